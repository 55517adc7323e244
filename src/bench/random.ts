/** Deterministic pseudo-random numbers and synthetic embedding-like vectors. */
import { mulberry32 } from '../lib/mulberry32.js';

/** Standard normal draws from `uniform` (Box–Muller; the second value of each pair is kept, not wasted). */
export function gaussian(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** Settings of {@link ClusteredVectors}. */
export interface ClusteredVectorOptions {
  seed: number;
  dimension: number;
  /** Number of random unit centres the vectors gather around. */
  clusters: number;
  /** Standard deviation of the Gaussian noise added per coordinate before normalising. */
  noise: number;
}

/**
 * Unit vectors scattered around random centres. Real text embeddings are clumped by topic;
 * uniform random vectors in 384 dimensions are all nearly orthogonal to each other, which is
 * the hardest and least realistic case for HNSW, so recall measured on them would mislead.
 */
export class ClusteredVectors {
  readonly dimension: number;
  private readonly centres: Float32Array;
  private readonly uniform: () => number;
  private readonly normal: () => number;
  private readonly scratch: Float64Array;

  constructor(private readonly options: ClusteredVectorOptions) {
    this.dimension = options.dimension;
    this.uniform = mulberry32(options.seed);
    this.normal = gaussian(this.uniform);
    this.scratch = new Float64Array(options.dimension);
    this.centres = new Float32Array(options.clusters * options.dimension);
    for (let c = 0; c < options.clusters; c++) this.unitGaussian(this.centres, c * options.dimension);
  }

  /** Writes the next vector into `out` at `offset`. */
  next(out: Float32Array, offset = 0): void {
    const { dimension: d, noise } = this.options;
    const c = Math.floor(this.uniform() * this.options.clusters) * d;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      const v = this.centres[c + i]! + noise * this.normal();
      this.scratch[i] = v;
      norm += v * v;
    }
    this.write(out, offset, Math.sqrt(norm));
  }

  /** `count` vectors, row after row. */
  many(count: number, onRow?: (row: number) => void): Float32Array {
    const out = new Float32Array(count * this.dimension);
    for (let r = 0; r < count; r++) {
      this.next(out, r * this.dimension);
      onRow?.(r);
    }
    return out;
  }

  private unitGaussian(out: Float32Array, offset: number): void {
    let norm = 0;
    for (let i = 0; i < this.dimension; i++) {
      const v = this.normal();
      this.scratch[i] = v;
      norm += v * v;
    }
    this.write(out, offset, Math.sqrt(norm));
  }

  private write(out: Float32Array, offset: number, norm: number): void {
    for (let i = 0; i < this.dimension; i++) out[offset + i] = this.scratch[i]! / norm;
  }
}
