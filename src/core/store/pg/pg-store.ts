/**
 * The corpus in PostgreSQL with pgvector: source files, articles, passages with their vectors,
 * and sentence vectors by text hash (schema in migrations/). One writer at a time (an advisory
 * lock, plus a version check inside the write transaction); every update is one transaction, so
 * an indexer killed midway leaves the previous corpus answering. Readers search the HNSW index
 * in the database with `hnsw.ef_search` set per query, and hear about new versions through
 * LISTEN/NOTIFY (and a light poll of the version, for a notification missed across a reconnect).
 */
import type pg from 'pg';
import type { Lang } from '../../text/index.js';
import type { Embedder } from '../../model/index.js';
import { stemAccentFree, words } from '../../text/index.js';
import { countWords } from '../../retrieval/index.js';
import { vocabularyTexts } from '../../retrieval/index.js';
import { diffPassages, scanSeeds, type SeedChanges } from '../shared/index.js';
import { statedOf, type FileRecord } from '../shared/index.js';
import type { Article, Passage, SkippedFile } from '../../types.js';
import { checkedUnitVectors, textHash } from '../shared/index.js';
import type { IndexReport, UpdateStage } from '../shared/index.js';
import { CorpusUnavailableError } from '../index.js';
import { takeAdvisoryLock, releaseAdvisoryLock } from './advisory-lock.js';
import { describeDatabase, isConnectionError, scrub } from './database.js';

/** Advisory lock key of indexers: "nqbindex" as a number. */
const INDEXER_LOCK = 0x6e71_6269_6e64;
const CHANNEL = 'corpus_changed';
/**
 * `hnsw.ef_search` floor per query (grows as 2k, at most pgvector's limit of 1,000). pgvector's
 * own value, independent of the file store's SEARCH_EF: the graph here is pgvector's, built with
 * other parameters (m 16, ef_construction 200: the index `writeState` creates), and a search is a
 * transaction of round trips to the database rather than a call in process, so the floor is
 * chosen on `npm run bench`'s pgvector section (recall@10 against exact search, time per search)
 * rather than carried over from hnswlib's.
 */
export const PG_SEARCH_EF = 256;
const BATCH = 500;

class IndexerBusyError extends Error {
  override name = 'IndexerBusyError';
}

export interface CorpusState {
  version: number;
  builtAt: string | null;
  modelId: string | null;
  dimension: number | null;
  prefixScheme: string | null;
  /** The vocabulary and the passages' words (lexicon.ts) cover every passage. */
  lexicon: boolean;
}

interface PgUpdateOptions {
  seedsDir: string;
  /** Null in lexical mode: texts are written, vectors left as they are. */
  embedder: Embedder | null;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  onStage?: (stage: UpdateStage) => void;
  /** How long to wait for another indexer; 0 = fail at once with IndexerBusyError. Default 60 s. */
  lockTimeoutMs?: number;
}

interface PgUpdateResult {
  report: IndexReport;
  skipped: SkippedFile[];
  version: number;
}

const vectorText = (v: ArrayLike<number>): string => `[${Array.from(v).join(',')}]`;
const parseVector = (s: string): number[] => s.slice(1, -1).split(',').map(Number);

export class PgCorpusStore {
  constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  /**
   * `work`, with "the database is out of reach" (refused, dropped, restarting) turned into the
   * error a user is shown as "temporarily unavailable"; any other error as it is.
   */
  private async reachable<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (isConnectionError(error)) throw new CorpusUnavailableError(`the corpus database (${describeDatabase(this.url)}) is not reachable (${scrub(error, this.url)})`);
      throw error;
    }
  }

  async state(): Promise<CorpusState> {
    const r = await this.reachable(this.pool.query<{ version: string; built_at: Date | null; model_id: string | null; dimension: number | null; prefix_scheme: string | null; lexicon: boolean }>(
      'SELECT version, built_at, model_id, dimension, prefix_scheme, lexicon FROM corpus_state WHERE id = 1',
    ));
    const row = r.rows[0]!;
    return { version: Number(row.version), builtAt: row.built_at?.toISOString() ?? null, modelId: row.model_id, dimension: row.dimension, prefixScheme: row.prefix_scheme, lexicon: row.lexicon };
  }

  /** Each stored file's version (bumped whenever the file is written). */
  async fileVersions(): Promise<Map<string, number>> {
    const r = await this.pool.query<{ file: string; version: string }>('SELECT file, version FROM files');
    return new Map(r.rows.map((x) => [x.file, Number(x.version)]));
  }

  /** File records as the text index needs them: all, or those of `only`. */
  async records(only: readonly string[] | null = null, client: pg.ClientBase | pg.Pool = this.pool): Promise<FileRecord[]> {
    const filter = only ? 'WHERE file = ANY($1)' : '';
    const params = only ? [only] : [];
    const files = await client.query<{ file: string; size: number; mtime_ms: number; sha1: string; languages: string[]; stated: string[] | null }>(
      `SELECT file, size::float8 AS size, mtime_ms, sha1, languages, stated FROM files ${filter}`,
      params,
    );
    const articles = await client.query<{ id: string; file: string; kind: Article['kind']; title: string; date: string | null; date_text: string | null; link: string | null; paragraphs: string[][] }>(
      `SELECT id, file, kind, title, date, date_text, link, paragraphs FROM articles ${filter} ORDER BY file, ord`,
      params,
    );
    const passages = await client.query<{ id: string; key: string; article_id: string; file: string; position: number; paragraph: number; title: string; link: string | null; sentences: string[]; text: string; date: string | null; date_text: string | null }>(
      `SELECT id, key, article_id, file, position, paragraph, title, link, sentences, text, date, date_text FROM passages ${filter} ORDER BY file, ord`,
      params,
    );
    const byFile = new Map<string, FileRecord>();
    for (const f of files.rows) {
      byFile.set(f.file, { file: f.file, size: f.size, mtimeMs: f.mtime_ms, sha1: f.sha1, languages: f.languages as Lang[], articles: [], passages: [], ...(f.stated ? { stated: f.stated } : {}) });
    }
    for (const a of articles.rows) {
      byFile.get(a.file)?.articles.push({ id: a.id, file: a.file, kind: a.kind, title: a.title, date: a.date, dateText: a.date_text, link: a.link, paragraphs: a.paragraphs });
    }
    for (const p of passages.rows) {
      byFile.get(p.file)?.passages.push({
        id: p.id,
        key: p.key,
        articleId: p.article_id,
        file: p.file,
        title: p.title,
        link: p.link,
        position: p.position,
        paragraph: p.paragraph,
        sentences: p.sentences,
        text: p.text,
        date: p.date,
        dateText: p.date_text,
      } satisfies Passage);
    }
    return [...byFile.values()];
  }

  /** The `k` passages nearest to `vector` by cosine, through the HNSW index, best first. */
  search(vector: readonly number[], k: number, dimension: number, ef = PG_SEARCH_EF): Promise<{ id: string; score: number }[]> {
    return this.reachable(this.searchOnce(vector, k, dimension, ef));
  }

  private async searchOnce(vector: readonly number[], k: number, dimension: number, ef: number): Promise<{ id: string; score: number }[]> {
    const n = Math.max(1, Math.floor(k));
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    const q = vectorText(vector.map((x) => x / norm));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(ef, 2 * n))}`);
      const r = await client.query<{ id: string; d: number }>(
        `SELECT id, embedding::vector(${dimension}) <=> $1::vector(${dimension}) AS d FROM passages
         WHERE embedding IS NOT NULL ORDER BY embedding::vector(${dimension}) <=> $1::vector(${dimension}) LIMIT $2`,
        [q, n],
      );
      await client.query('COMMIT');
      return r.rows.map((row) => ({ id: row.id, score: 1 - row.d }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Stored vectors of passages (by id) and sentences (by text). */
  async vectors(passageIds: readonly string[], sentences: readonly string[]): Promise<{ passages: Map<string, number[]>; sentences: Map<string, number[]> }> {
    const hashes = new Map(sentences.map((s) => [textHash(s), s]));
    const [p, s] = await this.reachable(
      Promise.all([
        this.pool.query<{ id: string; e: string }>('SELECT id, embedding::text AS e FROM passages WHERE id = ANY($1) AND embedding IS NOT NULL', [passageIds]),
        this.pool.query<{ hash: string; e: string }>('SELECT hash, embedding::text AS e FROM sentence_vectors WHERE hash = ANY($1)', [[...hashes.keys()]]),
      ]),
    );
    return {
      passages: new Map(p.rows.map((r) => [r.id, parseVector(r.e)])),
      sentences: new Map(s.rows.map((r) => [hashes.get(r.hash)!, parseVector(r.e)])),
    };
  }

  /**
   * Calls `onChange` when another process commits a new corpus version: at once on NOTIFY, and
   * within `pollMs` otherwise (a notification lost while the database restarted). Returns a stop function.
   */
  watch(onChange: (version: number) => void, log: (line: string) => void, pollMs = 2000, loaded: () => number = () => -1): () => Promise<void> {
    let stopped = false;
    let listener: pg.PoolClient | null = null;
    let seen = -1;
    let checking = false;
    const check = async (): Promise<void> => {
      // A poll still waiting for the database is not joined by another one.
      if (checking) return;
      checking = true;
      try {
        const { version } = await this.state();
        // Compared with what the caller has loaded, not only with the last poll: a change that
        // landed before the first poll, or whose reading failed, is picked up on the next one.
        const have = loaded();
        if ((have >= 0 && version !== have) || (have < 0 && seen >= 0 && version !== seen)) onChange(version);
        seen = version;
      } catch {
        // The database is away; the next tick tries again.
      } finally {
        checking = false;
      }
    };
    // One connection attempt at a time: under load a connect outlasts the poll interval, and each
    // tick's attempt took a pool connection it never gave back, until the pool was exhausted and
    // every query (the poll's included) waited forever.
    let connecting = false;
    const listen = async (): Promise<void> => {
      if (listener || connecting || stopped) return;
      connecting = true;
      let client: pg.PoolClient | null = null;
      try {
        client = await this.pool.connect();
        const own = client;
        own.on('notification', (n) => {
          if (n.channel === CHANNEL) void check();
        });
        own.on('error', (error) => {
          log(`corpus notifications interrupted (${scrub(error, this.url)}); listening again`);
          own.release(true);
          listener = null;
        });
        await own.query(`LISTEN ${CHANNEL}`);
        if (stopped) own.release(true);
        else listener = own;
      } catch {
        // A connection that could not listen goes back to the pool, closed.
        if (client && listener !== client) client.release(true);
        listener = null;
      } finally {
        connecting = false;
      }
    };
    void check().then(listen);
    const timer = setInterval(() => {
      void check();
      void listen();
    }, pollMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      if (listener) {
        await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        listener.release(true);
        listener = null;
      }
    };
  }

  /** Takes the indexer lock on a dedicated connection, saying at once whom it waits for. */
  private async lock(log: (line: string) => void, timeoutMs: number): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    try {
      await takeAdvisoryLock(client, INDEXER_LOCK, {
        timeoutMs,
        waiting: (who) => log(`index: waiting up to ${Math.round(timeoutMs / 1000)} s for ${who}, which is updating the corpus`),
        busy: (who) => new IndexerBusyError(`the corpus is being updated by ${who}; try again when it has finished`),
      });
    } catch (error) {
      client.release();
      throw error;
    }
    return async () => {
      await releaseAdvisoryLock(client, INDEXER_LOCK).catch(() => undefined);
      client.release();
    };
  }

  /**
   * Brings the database in line with the seeds folder: files scanned against what is stored,
   * texts embedded only when not stored yet (outside the transaction), then one transaction
   * that writes everything, bumps the version and notifies readers.
   */
  async update(opts: PgUpdateOptions): Promise<PgUpdateResult> {
    const log = opts.log ?? (() => {});
    const release = await this.lock(log, opts.lockTimeoutMs ?? 60_000);
    try {
      for (let attempt = 0; ; attempt++) {
        const result = await this.updateOnce(opts, log);
        if (result !== 'retry') return result;
        if (attempt >= 2) throw new Error('the corpus kept changing under this update; try again');
      }
    } finally {
      await release();
    }
  }

  /** One attempt: 'retry' when another writer committed a version since this one read the state. */
  private async updateOnce(opts: PgUpdateOptions, log: (line: string) => void): Promise<PgUpdateResult | 'retry'> {
    const plan = await this.plan(opts);
    if (opts.embedder) await this.embedMissing(plan, opts.embedder, opts, log);
    const { before, changes, modelKey } = plan;
    const nothing = changes.ingested.length === 0 && changes.removed.length === 0 && changes.touched.length === 0 && plan.passageVectors.size === 0 && plan.sentenceVectors.size === 0;
    if (nothing && before.lexicon && (!modelKey || before.modelId !== null)) return { report: plan.report, skipped: changes.skipped, version: before.version };
    opts.onStage?.('writing');
    return this.write(plan, opts);
  }

  /** The stored state and files, the seeds scanned against them, the model check and the passage diff. */
  private async plan(opts: PgUpdateOptions): Promise<UpdatePlan> {
    const { embedder } = opts;
    const before = await this.state();
    const known = new Map((await this.records()).map((r) => [r.file, r]));
    const changes: SeedChanges = await scanSeeds(opts.seedsDir, known);
    const modelKey = embedder ? { modelId: embedder.modelId, dimension: embedder.dimension, prefixScheme: embedder.prefix.name } : null;
    const rebuild =
      modelKey && before.modelId !== null && (before.modelId !== modelKey.modelId || before.dimension !== modelKey.dimension || before.prefixScheme !== modelKey.prefixScheme)
        ? `built with ${before.modelId} (${before.dimension} dimensions), now ${modelKey.modelId} (${modelKey.dimension})`
        : null;

    // The passage diff over the files written again (removed or ingested): those left alone keep
    // their passages, unchanged.
    const rewritten = new Set([...changes.removed, ...changes.ingested.map((r) => r.file)]);
    const oldPassages = [...rewritten].flatMap((f) => known.get(f)?.passages ?? []);
    const newPassages = changes.ingested.flatMap((r) => r.passages);
    const diff = diffPassages(newPassages, oldPassages);
    let untouched = 0;
    for (const [file, r] of known) if (!rewritten.has(file)) untouched += r.passages.length;
    return {
      before,
      known,
      changes,
      modelKey,
      rebuild,
      rewritten,
      oldPassages,
      newPassages,
      freshIds: new Set(diff.fresh.map((i) => newPassages[i]!.id)),
      report: { added: diff.added, changed: diff.changed, removed: diff.removed, unchanged: diff.unchanged + untouched, rebuilt: rebuild },
      passageVectors: new Map(),
      sentenceVectors: new Map(),
    };
  }

  /**
   * Embeds, outside the transaction, the passages that need a vector: new ones, every one after a
   * model change, and any stored without one; and the sentences of those and of every passage
   * written whose vector (by text hash) is not stored. Unlike the file store, which keys every
   * vector by its text's hash, a passage's vector lives in its own row here: the passage texts
   * are chosen by passage, the sentences by hash.
   */
  private async embedMissing(plan: UpdatePlan, embedder: Embedder, opts: PgUpdateOptions, log: (line: string) => void): Promise<void> {
    const { rebuild, newPassages, freshIds } = plan;
    const missing = rebuild
      ? new Set<string>()
      : new Set((await this.pool.query<{ id: string }>('SELECT id FROM passages WHERE embedding IS NULL')).rows.map((r) => r.id));
    const all = allPassages(plan);
    const need = rebuild ? all : all.filter((p) => missing.has(p.id) || freshIds.has(p.id));
    const sentences = new Map<string, string>();
    for (const p of need) for (const s of p.sentences) sentences.set(textHash(s), s);
    for (const p of rebuild ? [] : newPassages) for (const s of p.sentences) sentences.set(textHash(s), s);
    if (!rebuild && sentences.size > 0) {
      const stored = await this.pool.query<{ hash: string }>('SELECT hash FROM sentence_vectors WHERE hash = ANY($1)', [[...sentences.keys()]]);
      for (const r of stored.rows) sentences.delete(r.hash);
    }
    const texts = [...need.map((p) => p.text), ...sentences.values()];
    if (texts.length === 0) return;
    opts.onStage?.('embedding');
    log(`index: embedding ${texts.length} texts with ${embedder.modelId}`);
    const vectors = await embedder.embedPassages(texts, opts.onProgress);
    const units = checkedUnitVectors(embedder, vectors, texts.length, { sayExpected: false });
    need.forEach((p, i) => plan.passageVectors.set(p.id, units[i]!));
    [...sentences.keys()].forEach((h, i) => plan.sentenceVectors.set(h, units[need.length + i]!));
  }

  /** The one write transaction: 'retry' when the version moved since `plan` read it. */
  private async write(plan: UpdatePlan, opts: PgUpdateOptions): Promise<PgUpdateResult | 'retry'> {
    const { before, changes } = plan;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const v = await client.query<{ version: string }>('SELECT version FROM corpus_state WHERE id = 1 FOR UPDATE');
      if (Number(v.rows[0]!.version) !== before.version) {
        await client.query('ROLLBACK');
        return 'retry';
      }
      const version = before.version + 1;
      await writeChanges(client, plan, version);
      await writeVocabulary(client, plan);
      await writeState(client, plan.modelKey, version);
      opts.onStage?.('committing');
      await client.query('COMMIT');
      return { report: plan.report, skipped: changes.skipped, version };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

interface ModelKey {
  modelId: string;
  dimension: number;
  prefixScheme: string;
}

/** What an update decided before its transaction; the vectors are filled in by `embedMissing`. */
interface UpdatePlan {
  /** The state read at the start: the transaction retries when the version has moved since. */
  before: CorpusState;
  /** Stored files by name. */
  known: Map<string, FileRecord>;
  changes: SeedChanges;
  /** The embedder's model (null in lexical mode). */
  modelKey: ModelKey | null;
  /** Why every vector is embedded again (another model than the stored one), or null. */
  rebuild: string | null;
  /** Files removed or ingested: their rows are written again. */
  rewritten: Set<string>;
  /** Stored passages of the rewritten files. */
  oldPassages: Passage[];
  /** Passages of the ingested files. */
  newPassages: Passage[];
  /** Ids of new passages that are added or changed (not stored as they are). */
  freshIds: Set<string>;
  report: IndexReport;
  /** Unit vectors to write, by passage id and by sentence hash. */
  passageVectors: Map<string, Float32Array>;
  sentenceVectors: Map<string, Float32Array>;
}

/** Every passage once the update is written: those of files left alone, then the new files'. */
function allPassages({ known, rewritten, newPassages }: UpdatePlan): Passage[] {
  return [...[...known.values()].filter((r) => !rewritten.has(r.file)).flatMap((r) => r.passages), ...newPassages];
}

/** Files, passages and vectors: vectors reset after a model change, files removed, touched and written, new vectors, unused sentence vectors dropped. */
async function writeChanges(client: pg.ClientBase, plan: UpdatePlan, version: number): Promise<void> {
  const { changes } = plan;
  if (plan.rebuild) {
    await client.query('UPDATE passages SET embedding = NULL');
    await client.query('DELETE FROM sentence_vectors');
  }
  if (changes.removed.length > 0) await client.query('DELETE FROM files WHERE file = ANY($1)', [changes.removed]);
  for (const t of changes.touched) await client.query('UPDATE files SET size = $2, mtime_ms = $3 WHERE file = $1', [t.file, t.size, t.mtimeMs]);
  for (const r of changes.ingested) await writeFile(client, r, version);
  const rows = [...plan.passageVectors].map(([id, e]) => ({ id, e: vectorText(e) }));
  for (let i = 0; i < rows.length; i += BATCH) {
    await client.query('UPDATE passages p SET embedding = x.e::vector FROM jsonb_to_recordset($1::jsonb) AS x(id text, e text) WHERE p.id = x.id', [JSON.stringify(rows.slice(i, i + BATCH))]);
  }
  const sv = [...plan.sentenceVectors].map(([hash, e]) => ({ hash, e: vectorText(e) }));
  for (let i = 0; i < sv.length; i += BATCH) {
    await client.query('INSERT INTO sentence_vectors (hash, embedding) SELECT hash, e::vector FROM jsonb_to_recordset($1::jsonb) AS x(hash text, e text) ON CONFLICT (hash) DO NOTHING', [
      JSON.stringify(sv.slice(i, i + BATCH)),
    ]);
  }
  if (plan.report.removed > 0 || changes.removed.length > 0) {
    // Sentence vectors no passage uses any more (same hash as textHash: 128 bits of SHA-256).
    await client.query(`DELETE FROM sentence_vectors WHERE hash NOT IN (SELECT left(encode(sha256(convert_to(s, 'UTF8')), 'hex'), 32) FROM passages, unnest(sentences) AS s)`);
  }
}

/**
 * The vocabulary (lexicon.ts): counted again from every passage the first time, else the words
 * of the passages written counted in and those of the passages replaced out.
 */
async function writeVocabulary(client: pg.ClientBase, plan: UpdatePlan): Promise<void> {
  const { newPassages, oldPassages } = plan;
  if (plan.before.lexicon) {
    await writeLexicon(client, vocabularyDelta(newPassages, oldPassages), false);
    return;
  }
  const all = allPassages(plan);
  const kept = all.slice(0, all.length - newPassages.length).map((p) => ({ id: p.id, words: passageWords(p) }));
  for (let i = 0; i < kept.length; i += BATCH) {
    await client.query('UPDATE passages p SET words = x.words FROM jsonb_to_recordset($1::jsonb) AS x(id text, words text[]) WHERE p.id = x.id', [JSON.stringify(kept.slice(i, i + BATCH))]);
  }
  await writeLexicon(client, countWords(vocabularyTexts(all)), true);
  await client.query('UPDATE corpus_state SET lexicon = true WHERE id = 1');
}

/** The HNSW index and the model for `modelKey` (none in lexical mode), the new version, and the notification readers hear at commit. */
async function writeState(client: pg.ClientBase, modelKey: ModelKey | null, version: number): Promise<void> {
  if (modelKey) {
    await client.query(`CREATE INDEX IF NOT EXISTS passages_hnsw_${modelKey.dimension} ON passages USING hnsw ((embedding::vector(${modelKey.dimension})) vector_cosine_ops) WITH (m = 16, ef_construction = 200)`);
    await client.query('UPDATE corpus_state SET model_id = $1, dimension = $2, prefix_scheme = $3 WHERE id = 1', [modelKey.modelId, modelKey.dimension, modelKey.prefixScheme]);
  }
  await client.query('UPDATE corpus_state SET version = $1, built_at = now() WHERE id = 1', [version]);
  await client.query(`SELECT pg_notify('${CHANNEL}', $1)`, [String(version)]);
}

/** One file's rows: the file, its articles and passages (kept vectors of unchanged passages). */
async function writeFile(client: pg.ClientBase, r: FileRecord, version: number): Promise<void> {
  await client.query(
    `INSERT INTO files (file, size, mtime_ms, sha1, languages, version, stated) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (file) DO UPDATE SET size = EXCLUDED.size, mtime_ms = EXCLUDED.mtime_ms, sha1 = EXCLUDED.sha1, languages = EXCLUDED.languages,
       version = EXCLUDED.version, stated = EXCLUDED.stated`,
    [r.file, r.size, r.mtimeMs, r.sha1, r.languages, version, statedOf(r)],
  );
  const articleIds = r.articles.map((a) => a.id);
  const passageIds = r.passages.map((p) => p.id);
  await client.query('DELETE FROM passages WHERE file = $1 AND NOT (id = ANY($2))', [r.file, passageIds]);
  await client.query('DELETE FROM articles WHERE file = $1 AND NOT (id = ANY($2))', [r.file, articleIds]);
  const articles = r.articles.map((a, ord) => ({ id: a.id, file: r.file, ord, kind: a.kind, title: a.title, date: a.date, date_text: a.dateText, link: a.link, paragraphs: a.paragraphs }));
  await client.query(
    `INSERT INTO articles (id, file, ord, kind, title, date, date_text, link, paragraphs)
     SELECT id, file, ord, kind, title, date, date_text, link, paragraphs FROM jsonb_to_recordset($1::jsonb)
       AS x(id text, file text, ord int, kind text, title text, date text, date_text text, link text, paragraphs jsonb)
     ON CONFLICT (id) DO UPDATE SET file = EXCLUDED.file, ord = EXCLUDED.ord, kind = EXCLUDED.kind, title = EXCLUDED.title, date = EXCLUDED.date,
       date_text = EXCLUDED.date_text, link = EXCLUDED.link, paragraphs = EXCLUDED.paragraphs`,
    [JSON.stringify(articles)],
  );
  const passages = r.passages.map((p, ord) => ({ id: p.id, key: p.key, article_id: p.articleId, file: r.file, ord, position: p.position, paragraph: p.paragraph, title: p.title, link: p.link, sentences: p.sentences, text: p.text, date: p.date, date_text: p.dateText, words: passageWords(p) }));
  for (let i = 0; i < passages.length; i += BATCH) {
    await client.query(
      `INSERT INTO passages (id, key, article_id, file, ord, position, paragraph, title, link, sentences, text, date, date_text, words)
       SELECT id, key, article_id, file, ord, position, paragraph, title, link, sentences, text, date, date_text, words FROM jsonb_to_recordset($1::jsonb)
         AS x(id text, key text, article_id text, file text, ord int, position int, paragraph int, title text, link text, sentences text[], text text, date text, date_text text, words text[])
       ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key, article_id = EXCLUDED.article_id, file = EXCLUDED.file, ord = EXCLUDED.ord, position = EXCLUDED.position,
         paragraph = EXCLUDED.paragraph, title = EXCLUDED.title, link = EXCLUDED.link, sentences = EXCLUDED.sentences, text = EXCLUDED.text, date = EXCLUDED.date, date_text = EXCLUDED.date_text,
         words = EXCLUDED.words`,
      [JSON.stringify(passages.slice(i, i + BATCH))],
    );
  }
}

/** A passage's distinct words, text and title, as the lexical analysis splits them. */
function passageWords(p: Pick<Passage, 'text' | 'title'>): string[] {
  return [...new Set([...words(p.text), ...words(p.title)])];
}

/** Word counts of `added` passages minus those of `removed` ones (zero deltas left out). */
function vocabularyDelta(added: readonly Passage[], removed: readonly Passage[]): Map<string, number> {
  const delta = countWords(vocabularyTexts(added));
  for (const [w, n] of countWords(vocabularyTexts(removed))) delta.set(w, (delta.get(w) ?? 0) - n);
  for (const [w, n] of delta) if (n === 0) delta.delete(w);
  return delta;
}

/** Adds `counts` to the vocabulary (or replaces it, `replace`); words counted down to 0 leave it. */
async function writeLexicon(client: pg.ClientBase, counts: ReadonlyMap<string, number>, replace: boolean): Promise<void> {
  if (replace) await client.query('DELETE FROM lexicon');
  const rows = [...counts].map(([word, n]) => ({ word, n, stem: stemAccentFree(word) }));
  for (let i = 0; i < rows.length; i += LEXICON_BATCH) {
    await client.query(
      `INSERT INTO lexicon (word, n, stem) SELECT word, n, stem FROM jsonb_to_recordset($1::jsonb) AS x(word text, n int, stem text)
       ON CONFLICT (word) DO UPDATE SET n = lexicon.n + EXCLUDED.n`,
      [JSON.stringify(rows.slice(i, i + LEXICON_BATCH))],
    );
  }
  if (!replace && rows.some((r) => r.n < 0)) await client.query('DELETE FROM lexicon WHERE n <= 0');
}
const LEXICON_BATCH = 5000;
