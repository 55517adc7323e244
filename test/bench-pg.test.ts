/**
 * The bench's vector-store section (tools/bench/pg.ts) end to end at a tiny size, so that its code
 * path cannot rot unnoticed: PGlite started as a child process, the store's schema, rows and the
 * HNSW index, searches through PgCorpusStore, the file store, brute force, and the report.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchPg, isMeasured, type SearchFigures } from '../tools/bench/pg.js';
import { formatPg } from '../tools/bench/pg-report.js';

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
});
