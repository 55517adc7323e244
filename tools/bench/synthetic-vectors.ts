/**
 * Synthetic embedding vectors for the vector-store benchmark (pg.ts): unit vectors in clusters
 * (topics), each a cluster centre plus noise, all leaning on one shared direction so that
 * unrelated vectors have cosine ≈ 0.5, as sentence embeddings do (they are far from isotropic).
 * Queries are drawn the same way from the same clusters, on their own random stream.
 * Deterministic for a seed.
 */
import { mulberry32 } from '../../src/lib/mulberry32.js';
import { gaussian } from './random.js';

export interface SyntheticVectors {
  dimension: number;
  count: number;
  /** `count` × `dimension`, row-major, each row of unit length. */
  data: Float32Array;
}

/** Vectors per cluster (on average): a topic and its follow-ups, wire copies and rewrites. */
const CLUSTER_SIZE = 50;
/** Noise around a cluster centre, relative to the centre's unit length. */
const SPREAD = 0.8;
/** Weight of the direction every vector shares. */
const SHARED = 1;

function unitGaussian(normal: () => number, dim: number, out: Float32Array, offset = 0): void {
  let n = 0;
  for (let i = 0; i < dim; i++) n += (out[offset + i] = normal()) ** 2;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < dim; i++) out[offset + i]! /= n;
}

/** Passage vectors and query vectors drawn from the same clusters. */
export function syntheticVectors(seed: number, count: number, queries: number, dimension = 384): { passages: SyntheticVectors; queries: SyntheticVectors } {
  const clusters = Math.max(4, Math.round(count / CLUSTER_SIZE));
  const normal = gaussian(mulberry32(seed));
  const centres = new Float32Array(clusters * dimension);
  for (let c = 0; c < clusters; c++) unitGaussian(normal, dimension, centres, c * dimension);
  const shared = new Float32Array(dimension);
  unitGaussian(normal, dimension, shared);
  const draw = (n: number, stream: number): SyntheticVectors => {
    const uniform = mulberry32((seed ^ Math.imul(stream, 0x9e3779b1)) >>> 0);
    const g = gaussian(uniform);
    const data = new Float32Array(n * dimension);
    const noise = new Float32Array(dimension);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(uniform() * clusters) * dimension;
      unitGaussian(g, dimension, noise);
      const off = i * dimension;
      let m = 0;
      for (let j = 0; j < dimension; j++) {
        const x = centres[c + j]! + SPREAD * noise[j]!;
        data[off + j] = x;
        m += x * x;
      }
      m = Math.sqrt(m) || 1;
      let m2 = 0;
      for (let j = 0; j < dimension; j++) m2 += (data[off + j] = data[off + j]! / m + SHARED * shared[j]!) ** 2;
      m2 = Math.sqrt(m2) || 1;
      for (let j = 0; j < dimension; j++) data[off + j]! /= m2;
    }
    return { dimension, count: n, data };
  };
  return { passages: draw(count, 1), queries: draw(queries, 2) };
}

/** Row `i` of `v` as a view (no copy). */
export const row = (v: SyntheticVectors, i: number): Float32Array => v.data.subarray(i * v.dimension, (i + 1) * v.dimension);

/** Dot product of two rows of equal length (cosine, for unit vectors). */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/**
 * The exact top `k` of `query` among all `passages` by a full scan (brute force, in JS): indexes
 * best first and the k-th score (for recall with ties counted).
 */
export function exactTopK(passages: SyntheticVectors, query: Float32Array, k: number): { top: number[]; kth: number } {
  const dim = passages.dimension;
  const data = passages.data;
  const best = new Float64Array(k).fill(-Infinity);
  const idx = new Int32Array(k).fill(-1);
  for (let i = 0, off = 0; i < passages.count; i++, off += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[off + j]! * query[j]!;
    if (s <= best[k - 1]!) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1]! < s) {
      best[p] = best[p - 1]!;
      idx[p] = idx[p - 1]!;
      p--;
    }
    best[p] = s;
    idx[p] = i;
  }
  return { top: Array.from(idx), kth: best[k - 1]! };
}
