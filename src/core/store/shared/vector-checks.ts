/**
 * The checks both stores make of what an embedder returned before storing it: one vector per
 * text asked for, each of the embedder's dimension and made of finite numbers; then each is
 * scaled to unit length (callers rank by inner product, which is cosine only for unit vectors).
 */
import type { Embedder } from '../../model/index.js';

interface VectorCheckOptions {
  /**
   * Whether the bad-vector error names the expected dimension. The file store's message always
   * did and PostgreSQL's never did; both are kept as they were, since what a store says on a
   * failure is part of its behaviour (logs and tests read it).
   */
  sayExpected: boolean;
}

/**
 * `vectors` as unit vectors, in order, once they are checked: throws when there are not `texts`
 * of them, or at the first one of another length than `embedder.dimension` or with a number
 * that is not finite.
 */
export function checkedUnitVectors(embedder: Pick<Embedder, 'modelId' | 'dimension'>, vectors: readonly number[][], texts: number, options: VectorCheckOptions): Float32Array[] {
  if (vectors.length !== texts) throw new Error(`embedder ${embedder.modelId} returned ${vectors.length} vectors for ${texts} texts`);
  return vectors.map((v) => {
    if (v.length !== embedder.dimension || !v.every(Number.isFinite)) {
      throw new Error(`embedder ${embedder.modelId} returned a bad vector (length ${v.length}${options.sayExpected ? `, expected ${embedder.dimension}` : ''})`);
    }
    return unitVector(v);
  });
}

/** `v` scaled to length 1 (all zeros stays all zeros). */
function unitVector(v: readonly number[]): Float32Array {
  let sq = 0;
  for (const x of v) sq += x * x;
  const norm = Math.sqrt(sq);
  return Float32Array.from(v, (x) => (norm > 0 ? x / norm : 0));
}
