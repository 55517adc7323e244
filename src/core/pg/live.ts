/**
 * A bot process's view of the corpus in Postgres: the texts and the in-process BM25 index,
 * rebuilt from the database at start and brought up to date file by file when another process
 * commits a new version (LISTEN/NOTIFY, with a poll as a safety net). Vectors stay in the
 * database: dense search runs there, and a question fetches only the vectors it scores.
 */
import type { LRUCache } from 'lru-cache';
import { denseCalibration } from '../defaults.js';
import type { Embedder } from '../embedder-types.js';
import type { LexicalIndex } from '../lexical.js';
import type { DenseSearch, Retrievers } from '../retrieve.js';
import { TextIndex } from '../store/text-index.js';
import type { Passage } from '../types.js';
import { CorpusUnavailableError } from '../corpus-unavailable.js';
import { connectDatabase, describeDatabase } from './database.js';
import { ftsSearch, ftsStats, type FtsStats } from './fts.js';

export { CorpusUnavailableError };
import { PgCorpusStore, type CorpusState } from './pg-store.js';


/** Which lexical retriever ranks passages: the in-process BM25, or Postgres full-text search (fts.ts). */
export type PgLexical = 'bm25' | 'postgres';

export interface LiveLog {
  info(line: string): void;
  warn(line: string): void;
}

export class PgLive {
  store: PgCorpusStore | null = null;
  text: TextIndex = TextIndex.build([]);
  state: CorpusState | null = null;
  private versions = new Map<string, number>();
  private refreshing: Promise<boolean> | null = null;
  private stopWatch: (() => Promise<void>) | null = null;
  readonly connected: Promise<PgCorpusStore>;
  private failure: Error | null = null;
  private readonly abort = new AbortController();
  /** Corpus statistics for PG_LEXICAL=postgres, read again when the version changes. */
  private fts: { version: number; stats: FtsStats } | null = null;

  constructor(
    readonly url: string,
    private readonly log: LiveLog,
    readonly lexical: PgLexical = 'bm25',
  ) {
    this.connected = connectDatabase({ url, log, signal: this.abort.signal }).then(
      (pool) => (this.store = new PgCorpusStore(pool, url)),
      (error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw this.failure;
      },
    );
    this.connected.catch(() => undefined);
  }

  get where(): string {
    return describeDatabase(this.url);
  }

  /** The store, or an error a user may be shown ("temporarily unavailable"). */
  ready(): PgCorpusStore {
    if (this.failure) throw this.failure;
    if (!this.store) throw new CorpusUnavailableError(`the corpus database (${this.where}) is not reachable yet`);
    return this.store;
  }

  /** Reads what changed since the last call (everything the first time); true when something did. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<boolean> {
    const store = this.ready();
    const state = await store.state();
    const versions = await store.fileVersions();
    const changed = [...versions].filter(([f, v]) => this.versions.get(f) !== v).map(([f]) => f);
    const removed = [...this.versions.keys()].filter((f) => !versions.has(f));
    this.state = state;
    if (changed.length === 0 && removed.length === 0) return false;
    const records = await store.records(changed);
    if (this.versions.size === 0) this.text = TextIndex.build(records);
    else this.text.apply({ upsert: records, remove: removed });
    this.versions = versions;
    return true;
  }

  /** Starts following other processes' updates; `onChange` runs after each refresh that changed something. */
  watch(onChange: () => void, pollMs?: number): void {
    void this.connected.then((store) => {
      this.stopWatch = store.watch(
        () => {
          this.refresh().then(
            (changed) => changed && onChange(),
            (error: unknown) => this.log.warn(`could not read the new corpus version: ${error instanceof Error ? error.message : String(error)}`),
          );
        },
        (line) => this.log.warn(line),
        pollMs,
      );
    }, () => undefined);
  }

  /**
   * Retrievers for one question: dense search and the vectors of every passage either retriever
   * ranks (and their sentences) fetched up front, so the answer pipeline reads them synchronously.
   */
  async retrieversFor(topic: string, depth: number, lexicalOnly: boolean, embedder: Embedder | null, queryVectors: LRUCache<string, number[]>): Promise<Retrievers> {
    const lexical = this.lexical === 'postgres' ? await this.ftsLexical(topic, depth) : this.text.lexical;
    const dim = this.state?.dimension;
    if (!embedder || lexicalOnly || dim !== embedder.dimension || this.state?.modelId !== embedder.modelId) return { lexical };
    const store = this.ready();
    const vector = (await queryVectors.fetch(topic)) as number[];
    const hits = await store.search(vector, depth, dim);
    const corpus = this.text.corpus;
    const ids = [...new Set([...hits.map((h) => h.id), ...lexical.search(topic, depth).map((h) => h.id)])];
    const passages = ids.map((id) => corpus.passageById.get(id)).filter((p): p is Passage => p !== undefined);
    const fetched = await store.vectors(ids, passages.flatMap((p) => p.sentences));
    const dense: DenseSearch = {
      modelName: embedder.name,
      calibration: denseCalibration(embedder.prefix.name),
      embedQuery: (q) => queryVectors.fetch(q) as Promise<number[]>,
      search: (_v, k) => hits.slice(0, k),
      sentenceVector: (s) => fetched.sentences.get(s),
      passageVector: (id) => fetched.passages.get(id),
    };
    return { lexical, dense };
  }

  /**
   * The in-process index with its ranking replaced by Postgres full-text search for `topic`
   * (searched once, here: the answer pipeline reads rankings synchronously). Its term analysis
   * and IDF, which weigh the question's words for the abstention check, stay the in-process ones.
   */
  private async ftsLexical(topic: string, depth: number): Promise<LexicalIndex> {
    const store = this.ready();
    const version = this.state?.version ?? -1;
    if (this.fts?.version !== version) this.fts = { version, stats: await ftsStats(store.pool) };
    const hits = await ftsSearch(store.pool, topic, depth, this.fts.stats);
    const own = this.text.lexical;
    return {
      search: (query, k) => (query === topic ? hits.slice(0, k) : own.search(query, k)),
      terms: (text) => own.terms(text),
      idf: (term) => own.idf(term),
      get maxIdf() {
        return own.maxIdf;
      },
    };
  }

  async close(): Promise<void> {
    this.abort.abort(new Error('closed'));
    await this.stopWatch?.();
    await this.store?.pool.end().catch(() => undefined);
  }
}
