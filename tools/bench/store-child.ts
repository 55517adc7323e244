/**
 * One bot-like process holding one vector store, for its memory: opens the store (the file
 * store loads its vectors and HNSW graph; the Postgres store opens a connection pool and holds
 * no vectors), answers the given query vectors, and prints one JSON line: RSS after opening, after
 * answering, and the peak. Run by pg.ts, never by users. Only the dense-search part of the bot is
 * here (no text index, no model), so the figures compare the stores, not whole bots.
 */
import { readFileSync } from 'node:fs';
import { loadVectorIndex } from '../../src/core/store/files/vector-index/index.js';
import { poolInSchema } from './pg-schema.js';
import { PgCorpusStore } from '../../src/core/store/pg/pg-store.js';

export interface StoreChildOptions {
  store: 'file' | 'pg';
  /** The file store's folder, or the database URL. */
  where: string;
  /** The PostgreSQL schema the bench works in (its connections' search_path); required with `pg`. */
  schema?: string;
  modelId: string;
  dimension: number;
  /** A JSON file of query vectors (number[][]). */
  queriesFile: string;
}

export interface StoreChildResult {
  baselineRssBytes: number;
  openMs: number;
  rssAfterOpenBytes: number;
  rssAfterSearchesBytes: number;
  maxRssBytes: number;
  searches: number;
}

function status(field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'mu').exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return field === 'VmRSS' ? process.memoryUsage.rss() : process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]!) as StoreChildOptions;
  const queries = JSON.parse(readFileSync(o.queriesFile, 'utf8')) as number[][];
  const baselineRssBytes = process.memoryUsage.rss();
  const t0 = performance.now();
  let search: (q: number[]) => Promise<unknown>;
  let close = async (): Promise<void> => {};
  if (o.store === 'file') {
    const loaded = await loadVectorIndex(o.where, { modelId: o.modelId, dimension: o.dimension });
    if (!loaded.ok) throw new Error(`the file store does not load: ${loaded.problem}`);
    const index = loaded.index;
    search = async (q) => index.search(q, 10);
  } else {
    if (!o.schema) throw new Error('the PostgreSQL store child needs the bench schema to work in');
    const pool = poolInSchema(o.where, o.schema, 4);
    const store = new PgCorpusStore(pool, o.where);
    await store.state();
    search = (q) => store.search(q, 10, o.dimension);
    close = () => pool.end();
  }
  const openMs = performance.now() - t0;
  const rssAfterOpenBytes = process.memoryUsage.rss();
  for (const q of queries) await search(q);
  const result: StoreChildResult = {
    baselineRssBytes,
    openMs,
    rssAfterOpenBytes,
    rssAfterSearchesBytes: process.memoryUsage.rss(),
    maxRssBytes: status('VmHWM'),
    searches: queries.length,
  };
  await close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`store child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
