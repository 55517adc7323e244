/**
 * The bench's vector-store section (tools/bench/pg.ts) end to end at a tiny size, so that its code
 * path cannot rot unnoticed: PGlite started as a child process, the store's schema, rows and the
 * HNSW index, searches through PgCorpusStore, the file store, brute force, and the report.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createEngine } from '../src/engine/index.js';
import { benchPg, isMeasured, type SearchFigures } from '../tools/bench/pg.js';
import { formatPg } from '../tools/bench/pg-report.js';
import { quiet, useTestDatabase } from './helpers/pg.js';
import { ROOT, SEEDS_DIR } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';

const db = useTestDatabase();

/** Everything a database holds outside the bench's own schemas: relations (with row counts), indexes, schemas, text search configurations. */
async function snapshot(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const relations = await client.query<{ schema: string; name: string; kind: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2`,
    );
    const counts: Record<string, number> = {};
    for (const r of relations.rows.filter((r) => r.kind === 'r')) {
      counts[`${r.schema}.${r.name}`] = Number((await client.query(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(r.schema)}.${pg.escapeIdentifier(r.name)}`)).rows[0].n);
    }
    const schemas = (await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace ORDER BY 1`)).rows.map((r) => r.name);
    const configs = (await client.query<{ name: string }>(`SELECT n.nspname || '.' || cfgname AS name FROM pg_ts_config JOIN pg_namespace n ON n.oid = cfgnamespace ORDER BY 1`)).rows.map((r) => r.name);
    return { relations: relations.rows, counts, schemas, configs };
  } finally {
    await client.end();
  }
}

describe('npm run bench: vector stores side by side', () => {
  it('measures pgvector, the file store and brute force at 2,000 vectors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pg-test-'));
    try {
      const r = await benchPg({ sizes: [2000], seed: 7, queries: 30, dir, efValues: [40], budgetMs: 120_000, fileStoreMax: 200_000, incrementalRows: 20, progress: () => {} });
      const size = r.sizes[0]!;
      if (!isMeasured(size.pg)) throw new Error(`pgvector not measured: ${size.pg.notMeasured}`);
      if (!isMeasured(size.file)) throw new Error(`file store not measured: ${size.file.notMeasured}`);
      const searches: SearchFigures[] = [size.pg.search, ...size.pg.sweep, size.file.search];
      for (const s of searches) {
        expect(s.recallAt10).toBeGreaterThanOrEqual(0);
        expect(s.recallAt10).toBeLessThanOrEqual(1);
        expect(s.recallAt10).toBeGreaterThanOrEqual(0.9);
        expect(s.latency.n).toBe(30);
        expect(s.latency.p50Ms).toBeGreaterThan(0);
        expect(s.latency.p95Ms).toBeGreaterThanOrEqual(s.latency.p50Ms);
      }
      expect(size.pg.indexUsed).toBe(true);
      expect(size.pg.loadPerSecond).toBeGreaterThan(0);
      expect(size.pg.indexMs).toBeGreaterThan(0);
      expect(isMeasured(size.pg.incremental)).toBe(true);
      expect(size.bruteForce.n).toBe(30);
      expect(isMeasured(size.pg.bot) && size.pg.bot.rssAfterSearchesBytes > 0).toBe(true);
      expect(isMeasured(size.file.bot) && size.file.bot.rssAfterSearchesBytes > 0).toBe(true);
      expect(size.pg.serverRss?.peakBytes).toBeGreaterThan(0);
      const text = formatPg(r, '4').join('\n');
      expect(text).toContain('pgvector HNSW, ef 256');
      expect(text).toContain('file store (hnswlib)');
      expect(text).not.toContain('not measured');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('against a database that already holds a corpus, touches nothing outside its own schema, migrations record included', async () => {
    const url = await db.fresh('bench_beside_a_corpus');
    const config = loadConfig({ DATABASE_URL: url, SEEDS_DIR, EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'), OFFLINE: '1', EMBEDDINGS_DIR: path.join(await makeTempDir('bench-pg-'), 'e') });
    const openCorpus = async (): Promise<number> => {
      const engine = await createEngine(config, { log: quiet, updateOnStart: true });
      const passages = engine.about().passages;
      await engine.close();
      return passages;
    };
    const passages = await openCorpus();
    expect(passages).toBeGreaterThan(10);
    const before = await snapshot(url);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pg-test-'));
    try {
      // Two sizes in one run: the second used to find the first's record of migrations and skip its own.
      const r = await benchPg({ sizes: [300, 400], seed: 3, queries: 10, dir, efValues: [], budgetMs: 60_000, fileStoreMax: 0, incrementalRows: 5, url, progress: () => {} });
      for (const size of r.sizes) if (!isMeasured(size.pg)) throw new Error(`pgvector not measured at ${size.target}: ${size.pg.notMeasured}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    expect(await snapshot(url)).toEqual(before);
    // And the bot's database still opens and updates as before.
    expect(await openCorpus()).toBe(passages);
  }, 120_000);
});
