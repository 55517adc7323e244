/**
 * A bot process's view of the corpus in Postgres. With PG_LEXICAL=bm25: the texts and the
 * in-process BM25 index, rebuilt from the database at start and brought up to date file by file
 * when another process commits a new version (LISTEN/NOTIFY, with a poll as a safety net).
 * With PG_LEXICAL=postgres: no corpus index at all, only a catalogue of the articles (ids,
 * titles, dates; no text); each question is ranked by full-text search in SQL (fts.ts), its
 * words weighed from the database (lexicon.ts), and the passages and articles it may quote read
 * by id (a small cache). Vectors stay in the database in both: dense search runs there, and a
 * question fetches only the vectors it scores.
 */
import { LRUCache } from 'lru-cache';
import type { Lang } from '../../text/index.js';
import type { LoadedCorpus } from '../../text/index.js';
import type { Embedder } from '../../model/index.js';
import type { LexicalIndex } from '../../retrieval/index.js';
import type { DenseSearch, Retrievers } from '../../retrieval/index.js';
import { unionOfStated } from '../shared/index.js';
import { TextIndex } from '../shared/index.js';
import type { Article, Passage } from '../../types.js';
import { CorpusUnavailableError } from '../index.js';
import { connectDatabase, describeDatabase } from './database.js';
import { ftsSearch, ftsStats, type FtsStats } from './fts.js';
import { PgLexicon } from './lexicon.js';

export { CorpusUnavailableError };
import { PgCorpusStore, type CorpusState } from './pg-store.js';


/** Which lexical retriever ranks passages: the in-process BM25, or Postgres full-text search (fts.ts). */
export type PgLexical = 'bm25' | 'postgres';

/** Passages and articles read by id kept between questions (cleared when the corpus version changes). */
const PASSAGE_CACHE = 2000;
const ARTICLE_CACHE = 500;

/** What one question reads: its retrievers, and the passages and articles they may rank and quote. */
interface QuestionView {
  retrievers: Retrievers;
  corpus: LoadedCorpus;
}

// Files in the order the engine has always used: by name as the locale sorts them (text-index.ts).
const collator = new Intl.Collator();
const byName = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

interface LiveLog {
  info(line: string): void;
  warn(line: string): void;
}

export class PgLive {
  store: PgCorpusStore | null = null;
  text: TextIndex = TextIndex.build([]);
  state: CorpusState | null = null;
  private versions = new Map<string, number>();
  private refreshing: Promise<boolean> | null = null;
  private again: Promise<boolean> | null = null;
  private stopWatch: (() => Promise<void>) | null = null;
  readonly connected: Promise<PgCorpusStore>;
  private failure: Error | null = null;
  private readonly abort = new AbortController();
  /** Corpus statistics for PG_LEXICAL=postgres, read again when the version changes. */
  private fts: { version: number; stats: FtsStats } | null = null;
  /** PG_LEXICAL=postgres: the articles without their text, and the passage counts; null in bm25 mode. */
  private catalogue: { corpus: LoadedCorpus; passages: number; byFile: Map<string, number> } | null = null;
  private lexicon: PgLexicon | null = null;
  private readonly passageCache = new LRUCache<string, Passage>({ max: PASSAGE_CACHE });
  private readonly articleCache = new LRUCache<string, Article>({ max: ARTICLE_CACHE });
  private cachedVersion = -1;
  /** How many times this process built an in-process lexical index (none with PG_LEXICAL=postgres). */
  lexicalBuilds = 0;

  constructor(
    readonly url: string,
    private readonly log: LiveLog,
    readonly lexical: PgLexical = 'bm25',
    giveUpAfterMs?: number,
  ) {
    this.connected = connectDatabase({ url, log, signal: this.abort.signal, ...(giveUpAfterMs !== undefined ? { giveUpAfterMs } : {}) }).then(
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
    if (!this.refreshing) {
      this.refreshing = this.refreshOnce().finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    // The read in flight may have begun before the change that asks for this one: read again
    // after it (once, however many ask meanwhile).
    this.again ??= this.refreshing
      .catch(() => false)
      .then(() => {
        this.again = null;
        return this.refresh();
      });
    return this.again;
  }

  private async refreshOnce(): Promise<boolean> {
    const store = this.ready();
    const state = await store.state();
    const versions = await store.fileVersions();
    const changed = [...versions].filter(([f, v]) => this.versions.get(f) !== v).map(([f]) => f);
    const removed = [...this.versions.keys()].filter((f) => !versions.has(f));
    if (changed.length === 0 && removed.length === 0) {
      this.state = state;
      return false;
    }
    if (this.lexical === 'postgres' && state.lexicon) {
      this.catalogue = await readCatalogue(store);
      // A database filled in since this process started: the fallback index is let go.
      if (this.text.corpus.passages.length > 0) this.text = TextIndex.build([]);
      this.versions = versions;
      this.state = state;
      return true;
    }
    if (this.lexical === 'postgres') this.log.warn('the corpus database has no word statistics yet (run npm run index once): PG_LEXICAL=postgres builds the in-process index meanwhile');
    const records = await store.records(changed);
    if (this.versions.size === 0 || this.catalogue) {
      this.catalogue = null;
      this.text = TextIndex.build(this.versions.size === 0 ? records : await store.records());
      this.lexicalBuilds++;
    } else this.text.apply({ upsert: records, remove: removed });
    this.versions = versions;
    // Recorded last: a version whose reading failed is read again at the next poll.
    this.state = state;
    return true;
  }

  /** The corpus as the engine shows it: the catalogue (no text) with PG_LEXICAL=postgres, else the in-process one. */
  get corpus(): LoadedCorpus {
    return this.catalogue?.corpus ?? this.text.corpus;
  }

  /** Passages in the corpus (of one file, with `file`). */
  passageCount(file?: string): number {
    if (this.catalogue) return file === undefined ? this.catalogue.passages : (this.catalogue.byFile.get(file) ?? 0);
    return file === undefined ? this.text.corpus.passages.length : (this.text.record(file)?.passages.length ?? 0);
  }

  /** True when this process holds no corpus index nor passage texts (PG_LEXICAL=postgres). */
  get indexFree(): boolean {
    return this.catalogue !== null;
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
        () => this.state?.version ?? -1,
      );
    }, () => undefined);
  }

  /**
   * Everything one question needs. In bm25 mode the in-process corpus and {@link retrieversFor};
   * with PG_LEXICAL=postgres, a corpus of the passages either retriever ranks and their articles,
   * read by id, and the question's analysis and word weights read from the database.
   */
  async question(topic: string, depth: number, lexicalOnly: boolean, embedder: Embedder | null, embedQuery: (question: string) => Promise<number[]>): Promise<QuestionView> {
    const catalogue = this.catalogue;
    if (!catalogue) return { retrievers: await this.retrieversFor(topic, depth, lexicalOnly, embedder, embedQuery), corpus: this.text.corpus };
    const store = this.ready();
    const version = this.state?.version ?? -1;
    if (this.fts?.version !== version) this.fts = { version, stats: await ftsStats(store.pool) };
    if (this.lexicon?.version !== version) this.lexicon = new PgLexicon(store.pool, version, this.fts.stats.passages);
    if (this.cachedVersion !== version) {
      this.passageCache.clear();
      this.articleCache.clear();
      this.cachedVersion = version;
    }
    const lexicon = this.lexicon;
    const hits = await ftsSearch(store.pool, topic, depth, this.fts.stats);
    const searching = lexicalOnly ? null : this.denseModel(embedder);
    const dense = searching ? await store.search(await embedQuery(topic), depth, searching.dimension) : null;
    const ids = [...new Set([...hits.map((h) => h.id), ...(dense ?? []).map((h) => h.id)])];
    const passages = await this.passagesById(ids);
    const articles = await this.articlesById([...new Set(passages.map((p) => p.articleId))]);
    await lexicon.prepare([topic, ...passages.flatMap((p) => [p.text, p.title]), ...articles.flatMap((a) => [a.title, ...a.paragraphs.flat()])]);
    await lexicon.weigh(lexicon.terms(topic));
    const lexical: LexicalIndex = {
      search: (query, k) => (query === topic ? hits.slice(0, k) : []),
      terms: (text) => lexicon.terms(text),
      idf: (term) => lexicon.idf(term),
      maxIdf: lexicon.maxIdf,
      documentFrequency: (term) => lexicon.documentFrequency(term),
      documentCount: lexicon.documentCount,
    };
    const corpus: LoadedCorpus = {
      articles: catalogue.corpus.articles,
      passages,
      skipped: [],
      passageById: new Map(passages.map((p) => [p.id, p])),
      articleById: new Map(articles.map((a) => [a.id, a])),
      languages: catalogue.corpus.languages,
      ...(catalogue.corpus.statedDates ? { statedDates: catalogue.corpus.statedDates } : {}),
    };
    if (!dense || !searching) return { retrievers: { lexical }, corpus };
    return { retrievers: { lexical, dense: await this.prefetchedDense(searching, embedQuery, dense, ids, passages) }, corpus };
  }

  /** A passage and its article read by id (the bot's "context" button), as a one-passage corpus. */
  async passageView(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null> {
    const catalogue = this.catalogue;
    if (!catalogue) {
      const passage = this.text.corpus.passageById.get(id);
      return passage ? { passage, corpus: this.text.corpus } : null;
    }
    const [passage] = await this.passagesById([id]);
    if (!passage) return null;
    const articles = await this.articlesById([passage.articleId]);
    const corpus: LoadedCorpus = { ...catalogue.corpus, passages: [passage], passageById: new Map([[id, passage]]), articleById: new Map(articles.map((a) => [a.id, a])) };
    return { passage, corpus };
  }

  /** An article with its text, by id (PG_LEXICAL=postgres: the catalogue holds none). */
  async article(id: string): Promise<Article | null> {
    if (!this.catalogue) return this.text.corpus.articleById.get(id) ?? null;
    return (await this.articlesById([id]))[0] ?? null;
  }

  private async passagesById(ids: readonly string[]): Promise<Passage[]> {
    const missing = ids.filter((id) => !this.passageCache.has(id));
    if (missing.length > 0) {
      const r = await this.ready().pool.query<{ id: string; key: string; article_id: string; file: string; position: number; paragraph: number; title: string; link: string | null; sentences: string[]; text: string; date: string | null; date_text: string | null }>(
        'SELECT id, key, article_id, file, position, paragraph, title, link, sentences, text, date, date_text FROM passages WHERE id = ANY($1)',
        [missing],
      );
      for (const p of r.rows) {
        this.passageCache.set(p.id, { id: p.id, key: p.key, articleId: p.article_id, file: p.file, title: p.title, link: p.link, position: p.position, paragraph: p.paragraph, sentences: p.sentences, text: p.text, date: p.date, dateText: p.date_text });
      }
    }
    return ids.map((id) => this.passageCache.get(id)).filter((p): p is Passage => p !== undefined);
  }

  private async articlesById(ids: readonly string[]): Promise<Article[]> {
    const missing = ids.filter((id) => !this.articleCache.has(id));
    if (missing.length > 0) {
      const r = await this.ready().pool.query<{ id: string; file: string; kind: Article['kind']; title: string; date: string | null; date_text: string | null; link: string | null; paragraphs: string[][] }>(
        'SELECT id, file, kind, title, date, date_text, link, paragraphs FROM articles WHERE id = ANY($1)',
        [missing],
      );
      for (const a of r.rows) this.articleCache.set(a.id, { id: a.id, file: a.file, kind: a.kind, title: a.title, date: a.date, dateText: a.date_text, link: a.link, paragraphs: a.paragraphs });
    }
    return ids.map((id) => this.articleCache.get(id)).filter((a): a is Article => a !== undefined);
  }

  /**
   * Retrievers for one question: dense search and the vectors of every passage either retriever
   * ranks (and their sentences) fetched up front, so the answer pipeline reads them synchronously.
   */
  async retrieversFor(topic: string, depth: number, lexicalOnly: boolean, embedder: Embedder | null, embedQuery: (question: string) => Promise<number[]>): Promise<Retrievers> {
    const lexical = this.lexical === 'postgres' ? await this.ftsLexical(topic, depth) : this.text.lexical;
    const searching = lexicalOnly ? null : this.denseModel(embedder);
    if (!searching) return { lexical };
    const hits = await this.ready().search(await embedQuery(topic), depth, searching.dimension);
    const corpus = this.text.corpus;
    const ids = [...new Set([...hits.map((h) => h.id), ...lexical.search(topic, depth).map((h) => h.id)])];
    const passages = ids.map((id) => corpus.passageById.get(id)).filter((p): p is Passage => p !== undefined);
    return { lexical, dense: await this.prefetchedDense(searching, embedQuery, hits, ids, passages) };
  }

  /** The embedder when the stored vectors are its own (same model, same dimension), else null. */
  denseModel(embedder: Embedder | null): Embedder | null {
    return embedder && this.state?.modelId === embedder.modelId && this.state.dimension === embedder.dimension ? embedder : null;
  }

  /**
   * Dense search over `hits` already found, with the vectors of `ids` and of their passages'
   * sentences fetched up front, so the answer pipeline reads them synchronously.
   */
  private async prefetchedDense(embedder: Embedder, embedQuery: (question: string) => Promise<number[]>, hits: { id: string; score: number }[], ids: string[], passages: Passage[]): Promise<DenseSearch> {
    const fetched = await this.ready().vectors(ids, passages.flatMap((p) => p.sentences));
    return {
      modelName: embedder.name,
      family: embedder.prefix.name,
      embedQuery,
      search: (_v, k) => hits.slice(0, k),
      sentenceVector: (s) => fetched.sentences.get(s),
      passageVector: (id) => fetched.passages.get(id),
    };
  }

  /**
   * The in-process index with its ranking replaced by Postgres full-text search for `topic`
   * (searched once, here: the answer pipeline reads rankings synchronously), for a database
   * written before the lexicon existed (see {@link question} for the usual PG_LEXICAL=postgres
   * path). Its term analysis and IDF stay the in-process ones.
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
      documentFrequency: (term) => own.documentFrequency(term),
      get documentCount() {
        return own.documentCount;
      },
    };
  }

  async close(): Promise<void> {
    this.abort.abort(new Error('closed'));
    await this.stopWatch?.();
    await this.store?.pool.end().catch(() => undefined);
  }
}

/** The articles without their text (`paragraphs` empty), the languages and the passage counts. */
async function readCatalogue(store: PgCorpusStore): Promise<{ corpus: LoadedCorpus; passages: number; byFile: Map<string, number> }> {
  const [a, f, c] = await Promise.all([
    store.pool.query<{ id: string; file: string; kind: Article['kind']; title: string; date: string | null; date_text: string | null; link: string | null }>(
      'SELECT id, file, kind, title, date, date_text, link FROM articles ORDER BY file, ord',
    ),
    store.pool.query<{ languages: string[]; stated: string[] | null }>('SELECT languages, stated FROM files'),
    store.pool.query<{ file: string; n: number }>('SELECT file, count(*)::int AS n FROM passages GROUP BY file'),
  ]);
  const byFile = new Map<string, Article[]>();
  for (const r of a.rows) {
    let list = byFile.get(r.file);
    if (!list) byFile.set(r.file, (list = []));
    list.push({ id: r.id, file: r.file, kind: r.kind, title: r.title, date: r.date, dateText: r.date_text, link: r.link, paragraphs: [] });
  }
  const articles = [...byFile.keys()].sort(byName).flatMap((file) => byFile.get(file)!);
  const languages = [...new Set(f.rows.flatMap((r) => r.languages as Lang[]))].sort();
  const statedDates = unionOfStated(f.rows.map((r) => r.stated));
  const counts = new Map(c.rows.map((r) => [r.file, r.n]));
  let passages = 0;
  for (const n of counts.values()) passages += n;
  return {
    corpus: { articles, passages: [], skipped: [], passageById: new Map(), articleById: new Map(articles.map((x) => [x.id, x])), languages, ...(statedDates ? { statedDates } : {}) },
    passages,
    byFile: counts,
  };
}
