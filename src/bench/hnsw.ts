/** hnswlib-node at a scale the seed corpus cannot reach: synthetic vectors, recall and latency. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { MemoryTracker } from './memory.js';
import { ClusteredVectors } from './random.js';
import { summarize, timed, type LatencySummary, type Progress } from './stats.js';

const { HierarchicalNSW } = hnswlib;

/** Same graph settings as the project's index (src/core/vector-index.ts), so the figures apply to it. */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;
export const HNSW_SEED = 100;
/** The search ef the project uses for k ≤ 50 (MIN_EF in vector-index.ts). */
export const PROJECT_EF = 100;

/** Settings of {@link benchHnsw}. */
export interface HnswBenchOptions {
  vectors: number;
  queries: number;
  dimension: number;
  clusters: number;
  noise: number;
  seed: number;
  k: number;
  efValues: readonly number[];
  /** Timed passes over the queries per ef, after one untimed pass. */
  repetitions: number;
  /** Temporary folder the index file is written to. */
  dir: string;
  progress: Progress;
  memory: MemoryTracker;
}

/** Recall and latency at one search ef. */
export interface EfResult {
  ef: number;
  /** Mean share of the exact top k that HNSW returned. */
  recall: number;
  latency: LatencySummary;
}

/** What {@link benchHnsw} measured. */
export interface HnswBenchResult {
  vectors: number;
  dimension: number;
  clusters: number;
  noise: number;
  m: number;
  efConstruction: number;
  queries: number;
  k: number;
  generateMs: number;
  buildMs: number;
  insertsPerSecond: number;
  bruteForce: LatencySummary;
  byEf: EfResult[];
  file: {
    bytes: number;
    writeMs: number;
    readMs: number;
    elementsAfterRead: number;
    /** ef in effect when the index was written. */
    efBeforeWrite: number;
    /** ef of the index just read back: hnswlib does not store it, so this is its default. */
    efAfterRead: number;
    recallAtEfAfterRead: number;
    /** Recall once ef is set to {@link PROJECT_EF} again. */
    recallAfterSetEf: number;
  };
}

/**
 * Builds an HNSW graph of `vectors` synthetic unit vectors, then compares it with exact search
 * on `queries` vectors drawn from the same distribution.
 */
export async function benchHnsw(o: HnswBenchOptions): Promise<HnswBenchResult> {
  const d = o.dimension;
  o.progress(`HNSW: generating ${o.vectors} + ${o.queries} vectors of ${d} dimensions around ${o.clusters} centres`);
  const source = new ClusteredVectors({ seed: o.seed, dimension: d, clusters: o.clusters, noise: o.noise });
  // One flat Float32Array: 4 bytes a coordinate instead of 8 plus an object per row, and the
  // brute-force scan walks it sequentially.
  const generated = await timed(() => source.many(o.vectors));
  const data = generated.value;
  const queryData = source.many(o.queries);
  const queries = Array.from({ length: o.queries }, (_, i) => Array.from(queryData.subarray(i * d, (i + 1) * d)));
  o.memory.mark('hnsw: vectors generated');

  const index = new HierarchicalNSW('cosine', d);
  index.initIndex(o.vectors, HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_SEED);
  o.progress(`HNSW: inserting ${o.vectors} vectors (M=${HNSW_M}, efConstruction=${HNSW_EF_CONSTRUCTION}; single-threaded)`);
  const buildStart = performance.now();
  const step = Math.max(1, Math.floor(o.vectors / 10));
  for (let i = 0; i < o.vectors; i++) {
    index.addPoint(Array.from(data.subarray(i * d, (i + 1) * d)), i);
    if ((i + 1) % 5000 === 0) o.memory.sample();
    if ((i + 1) % step === 0 && i + 1 < o.vectors) {
      const s = (performance.now() - buildStart) / 1000;
      // Insertion slows as the graph grows, so this estimate is a lower bound.
      const eta = (s / (i + 1)) * (o.vectors - i - 1);
      o.progress(`  … ${i + 1}/${o.vectors} inserted, ${s.toFixed(1)} s so far, ≥ ${eta.toFixed(0)} s to go`);
    }
  }
  const buildMs = performance.now() - buildStart;
  o.memory.mark('hnsw: graph built');

  o.progress(`HNSW: exact top-${o.k} for ${o.queries} queries by brute force`);
  const exact: Int32Array[] = [];
  const bruteMs: number[] = [];
  for (let q = 0; q < o.queries; q++) {
    const query = queryData.subarray(q * d, (q + 1) * d);
    const t = performance.now();
    exact.push(exactTopK(data, o.vectors, d, query, o.k));
    bruteMs.push(performance.now() - t);
  }

  const byEf: EfResult[] = [];
  for (const ef of o.efValues) {
    o.progress(`HNSW: searching at ef=${ef}`);
    index.setEf(ef);
    const found = queries.map((q) => index.searchKnn(q, o.k).neighbors);
    const ms: number[] = [];
    for (let r = 0; r < o.repetitions; r++) {
      for (const q of queries) {
        const t = performance.now();
        index.searchKnn(q, o.k);
        ms.push(performance.now() - t);
      }
    }
    byEf.push({ ef, recall: meanRecall(found, exact), latency: summarize(ms) });
  }
  o.memory.mark('hnsw: searched');

  o.progress('HNSW: writing the index and reading it back');
  index.setEf(PROJECT_EF);
  const file = path.join(o.dir, 'synthetic.hnsw');
  const write = await timed(() => index.writeIndex(file));
  const bytes = (await stat(file)).size;
  const copy = new HierarchicalNSW('cosine', d);
  const read = await timed(() => copy.readIndex(file));
  const efAfterRead = copy.getEf();
  const recallAtEfAfterRead = meanRecall(queries.map((q) => copy.searchKnn(q, o.k).neighbors), exact);
  copy.setEf(PROJECT_EF);
  const recallAfterSetEf = meanRecall(queries.map((q) => copy.searchKnn(q, o.k).neighbors), exact);
  o.memory.mark('hnsw: index read back');

  return {
    vectors: o.vectors,
    dimension: d,
    clusters: o.clusters,
    noise: o.noise,
    m: HNSW_M,
    efConstruction: HNSW_EF_CONSTRUCTION,
    queries: o.queries,
    k: o.k,
    generateMs: generated.ms,
    buildMs,
    insertsPerSecond: o.vectors / (buildMs / 1000),
    bruteForce: summarize(bruteMs),
    byEf,
    file: {
      bytes,
      writeMs: write.ms,
      readMs: read.ms,
      elementsAfterRead: copy.getCurrentCount(),
      efBeforeWrite: PROJECT_EF,
      efAfterRead,
      recallAtEfAfterRead,
      recallAfterSetEf,
    },
  };
}

/**
 * Rows of the `k` largest inner products of `query` with the `n` rows of `data` (cosine, since
 * every row is unit length). Unrolled by four because this loop is the brute-force baseline: a
 * naive scan would make HNSW look better than it is against a reasonable exact search.
 */
export function exactTopK(data: Float32Array, n: number, d: number, query: Float32Array, k: number): Int32Array {
  const best = new Float64Array(k).fill(-Infinity);
  const rows = new Int32Array(k).fill(-1);
  const tail = d - (d % 4);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < tail; j += 4) {
      s0 += data[off + j]! * query[j]!;
      s1 += data[off + j + 1]! * query[j + 1]!;
      s2 += data[off + j + 2]! * query[j + 2]!;
      s3 += data[off + j + 3]! * query[j + 3]!;
    }
    for (; j < d; j++) s0 += data[off + j]! * query[j]!;
    const s = s0 + s1 + s2 + s3;
    if (s <= best[k - 1]!) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1]! < s) {
      best[p] = best[p - 1]!;
      rows[p] = rows[p - 1]!;
      p--;
    }
    best[p] = s;
    rows[p] = i;
  }
  return rows;
}

/** Mean over queries of |found ∩ exact| / |exact|. */
export function meanRecall(found: readonly (readonly number[])[], exact: readonly Int32Array[]): number {
  let total = 0;
  exact.forEach((truth, q) => {
    const got = new Set(found[q] ?? []);
    let hits = 0;
    for (const row of truth) if (got.has(row)) hits++;
    total += hits / truth.length;
  });
  return exact.length === 0 ? 0 : total / exact.length;
}
