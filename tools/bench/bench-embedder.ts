/**
 * A fast stand-in for a neural embedder, for the benchmark at 100,000 passages: embedding that
 * many texts with multilingual-e5-small takes hours on two cores, and what the scale benchmark
 * measures (index build, load, search recall and latency) depends on how the vectors are spread,
 * not on what they mean. Each word gets a fixed random direction; a text is the normalised sum of
 * its words plus a direction shared by all texts, weighted so that unrelated texts have cosine
 * ≈ 0.7, as E5's do. Texts that share most words (the corpus's near-duplicates) get nearly the
 * same vector, which is what makes approximate search hard. Deterministic.
 */
import type { Embedder, PrefixScheme } from '../../src/core/model/types.js';
import { gaussian } from './random.js';
import { mulberry32 } from '../../src/lib/mulberry32.js';

export const BENCH_EMBEDDER_ID = 'bench/hashed-words-384';
const SHARED_WEIGHT = 1.5;

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class BenchEmbedder implements Embedder {
  readonly modelId = BENCH_EMBEDDER_ID;
  readonly name = 'hashed words (benchmark stand-in)';
  readonly prefix: PrefixScheme = { name: 'none', query: '', passage: '' };
  private readonly words = new Map<string, Float32Array>();
  private readonly shared: Float32Array;

  constructor(readonly dimension = 384) {
    this.shared = this.direction('\u0000shared');
  }

  private direction(word: string): Float32Array {
    let v = this.words.get(word);
    if (!v) {
      const normal = gaussian(mulberry32(fnv(word)));
      v = new Float32Array(this.dimension);
      let n = 0;
      for (let i = 0; i < v.length; i++) n += (v[i] = normal()) ** 2;
      n = Math.sqrt(n);
      for (let i = 0; i < v.length; i++) v[i]! /= n;
      this.words.set(word, v);
    }
    return v;
  }

  embed(text: string): number[] {
    const sum = new Float64Array(this.dimension);
    for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (w.length < 2) continue;
      const d = this.direction(w);
      for (let i = 0; i < sum.length; i++) sum[i]! += d[i]!;
    }
    let n = 0;
    for (const x of sum) n += x * x;
    n = Math.sqrt(n) || 1;
    const out = new Array<number>(this.dimension);
    let m = 0;
    for (let i = 0; i < out.length; i++) m += (out[i] = sum[i]! / n + SHARED_WEIGHT * this.shared[i]!) ** 2;
    m = Math.sqrt(m);
    for (let i = 0; i < out.length; i++) out[i]! /= m;
    return out;
  }

  async embedQueries(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      out.push(this.embed(texts[i]!));
      if (i % 1000 === 999) {
        onProgress?.(i + 1, texts.length);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    onProgress?.(texts.length, texts.length);
    return out;
  }
}
