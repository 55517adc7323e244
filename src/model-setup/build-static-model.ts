import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Long from 'long';
import onnxProto from 'onnx-proto';
import { mulberry32Bits } from '../lib/mulberry32.js';

const { onnx } = onnxProto;

/** Folder name under MODELS_DIR that `npm run model:build` writes to. */
export const STATIC_MODEL_NAME = 'news-quote-static';

/**
 * 256 dimensions: the random n-gram vectors of two unrelated words then overlap by about
 * 1/√256 ≈ 0.06 in cosine, well below the overlap of two forms of one word (≥ 0.5), while a
 * float32 row stays at 1 KB so a vocabulary of several thousand tokens is a few MB.
 */
export const STATIC_MODEL_DIMENSION = 256;

/** Vocabulary cap: at 256 dimensions, 8192 rows of float32 are 8 MB. */
const STATIC_MODEL_MAX_VOCAB = 8192;

/** Key in the model's config.json that `loadEmbedder` reads the query/passage prefixes from. */
export const MODEL_SETTINGS_KEY = 'news_quote_bot';

export interface BuildStaticModelOptions {
  /** Corpus the vocabulary and the IDF weights are taken from. */
  texts: string[];
  /** The model folder itself (created if missing); files in it are replaced. */
  outDir: string;
  /** Vector size; default {@link STATIC_MODEL_DIMENSION}. */
  dimension?: number;
  /** Most tokens in the vocabulary, specials included; default {@link STATIC_MODEL_MAX_VOCAB}. */
  maxVocab?: number;
}

export interface StaticModelInfo {
  dir: string;
  vocabSize: number;
  dimension: number;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;
const MAX_POSITIONS = 512;
const MIN_PREFIX = 4;
const MAX_SUFFIX = 6;
const NGRAM_MIN = 3;
const NGRAM_MAX = 5;
/** Floor so that a text made only of very common words still has a direction. */
const MIN_WEIGHT = 0.05;
/** [CLS]/[SEP] scale: negligible next to real tokens, but keeps an empty text from pooling to a zero vector (NaN once normalised). */
const SPECIAL_SCALE = 1e-4;
const HASH_SEED = 0x6e71_6273; // "nqbs"
const BASE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

// Same character classes as transformers.js' BertPreTokenizer, so the vocabulary is built
// from exactly the pieces the tokenizer will look up.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');
const ONLY_PUNCTUATION = new RegExp(`^[${PUNCTUATION}]+$`, 'u');
const CONTROL = /[\u0000\uFFFD\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;

/**
 * Builds the project's own embedding model: a WordPiece vocabulary from `texts`, each token's
 * vector a sum of hashed character n-grams weighted by IDF, exported as a one-`Gather` ONNX
 * `bert` model that transformers.js loads like any other. Lexical-grade similarity, tolerant
 * to inflection and typos; it does not know synonyms or meaning. Same texts → same bytes.
 */
export async function buildStaticModel(options: BuildStaticModelOptions): Promise<StaticModelInfo> {
  const dimension = options.dimension ?? STATIC_MODEL_DIMENSION;
  const maxVocab = options.maxVocab ?? STATIC_MODEL_MAX_VOCAB;
  if (!Number.isInteger(dimension) || dimension < 8 || dimension % 8 !== 0) {
    throw new Error(`dimension must be a multiple of 8, at least 8 (got ${dimension})`);
  }
  if (!Number.isInteger(maxVocab) || maxVocab < 256) {
    throw new Error(`maxVocab must be a whole number of at least 256 (got ${maxVocab})`);
  }
  const dir = path.resolve(options.outDir);
  const stats = corpusStatistics(options.texts);
  const vocab = chooseVocabulary(stats, maxVocab);
  const table = embeddingTable(vocab, stats, dimension);

  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const files: [string, string | Uint8Array][] = [
    ['config.json', json(modelConfig(vocab.length, dimension))],
    ['tokenizer.json', json(tokenizerJson(vocab))],
    ['tokenizer_config.json', json(tokenizerConfig())],
    ['onnx/model_quantized.onnx', onnxModel(table, vocab.length, dimension)],
    ['README.md', readme(vocab.length, dimension, stats.documents)],
  ];
  for (const [name, data] of files) {
    // Write-then-rename: a bot loading the folder meanwhile never reads half a file.
    const target = path.join(dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, data);
    await rename(temp, target);
  }
  return { dir, vocabSize: vocab.length, dimension };
}

/** What the tokenizer's normaliser does (BertNormalizer: clean, lowercase, strip accents). */
function normalizeForVocabulary(text: string): string {
  return text
    .replace(/[\t\n\r]/g, ' ')
    .replace(CONTROL, '')
    .replace(/\s/gu, ' ')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Words and punctuation marks as the BERT pre-tokenizer splits them. */
export function preTokenize(text: string): string[] {
  return normalizeForVocabulary(text).trim().match(PRE_TOKEN) ?? [];
}

interface CorpusStatistics {
  /** IDF documents: paragraphs, because a handful of long articles would make every word look common. */
  documents: number;
  wordCount: Map<string, number>;
  wordDf: Map<string, number>;
  prefixDf: Map<string, number>;
  suffixDf: Map<string, number>;
  charDf: Map<string, number>;
}

function corpusStatistics(texts: readonly string[]): CorpusStatistics {
  const stats: CorpusStatistics = {
    documents: 0,
    wordCount: new Map(),
    wordDf: new Map(),
    prefixDf: new Map(),
    suffixDf: new Map(),
    charDf: new Map(),
  };
  for (const text of texts) {
    for (const paragraph of text.split(/\n\s*\n/)) {
      const words = preTokenize(paragraph);
      if (words.length === 0) continue;
      stats.documents += 1;
      const seen = { word: new Set<string>(), prefix: new Set<string>(), suffix: new Set<string>(), char: new Set<string>() };
      for (const word of words) {
        stats.wordCount.set(word, (stats.wordCount.get(word) ?? 0) + 1);
        seen.word.add(word);
        const chars = [...word];
        for (const c of chars) seen.char.add(c);
        for (let n = MIN_PREFIX; n < chars.length; n++) seen.prefix.add(chars.slice(0, n).join(''));
        for (let n = 1; n <= Math.min(MAX_SUFFIX, chars.length - 1); n++) seen.suffix.add(chars.slice(-n).join(''));
      }
      bump(stats.wordDf, seen.word);
      bump(stats.prefixDf, seen.prefix);
      bump(stats.suffixDf, seen.suffix);
      bump(stats.charDf, seen.char);
    }
  }
  return stats;
}

function bump(counts: Map<string, number>, keys: Iterable<string>): void {
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
}

type TokenKind = 'special' | 'word' | 'prefix' | 'suffix';
interface Token {
  text: string;
  kind: TokenKind;
}

/** Byte-wise order, not locale order, so the vocabulary is the same on every machine. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every character (so almost nothing becomes [UNK]), then corpus words by frequency; then
 * word prefixes (an unseen form such as a singular or a typo keeps its longest known start)
 * and `##` endings (what follows it) share what the cap leaves.
 */
function chooseVocabulary(stats: CorpusStatistics, maxVocab: number): Token[] {
  const tokens: Token[] = SPECIALS.map((text) => ({ text, kind: 'special' }));
  const taken = new Set<string>(SPECIALS);
  const add = (text: string, kind: TokenKind): boolean => {
    if (tokens.length >= maxVocab || taken.has(text)) return false;
    taken.add(text);
    tokens.push({ text, kind });
    return true;
  };

  const chars = new Set<string>([...BASE_CHARS, ...stats.charDf.keys()]);
  for (const c of [...chars].sort(byText)) {
    add(c, stats.wordCount.has(c) ? 'word' : 'prefix');
    add(`##${c}`, 'suffix');
  }

  const words = [...stats.wordCount.entries()]
    .sort((a, b) => b[1] - a[1] || byText(a[0], b[0]))
    .map(([word]) => word);
  const room = maxVocab - tokens.length;
  const wordShare = Math.floor(room * 0.6);
  for (const word of words.slice(0, wordShare)) add(word, 'word');

  // Prefixes nearest the word end first (inflections), for frequent words first.
  const prefixes: string[] = [];
  const keptWords = words.filter((w) => taken.has(w));
  const longest = Math.max(0, ...keptWords.map((w) => [...w].length));
  for (let cut = 1; cut <= longest - MIN_PREFIX; cut++) {
    for (const word of keptWords) {
      const chars = [...word];
      if (chars.length - cut >= MIN_PREFIX) prefixes.push(chars.slice(0, chars.length - cut).join(''));
    }
  }
  const suffixes = [...stats.suffixDf.entries()]
    .filter(([s]) => [...s].length > 1)
    .sort((a, b) => b[1] - a[1] || byText(a[0], b[0]))
    .map(([s]) => `##${s}`);

  // Two thirds of what is left to prefixes, the rest to endings. A small corpus fits whole;
  // only then do the loops below find room for words and prefixes the shares cut off.
  const prefixShare = Math.floor((maxVocab - tokens.length) * (2 / 3));
  let added = 0;
  for (const p of prefixes) {
    if (added >= prefixShare) break;
    if (add(p, 'prefix')) added++;
  }
  for (const s of suffixes) add(s, 'suffix');
  for (const w of words) add(w, 'word');
  for (const p of prefixes) add(p, 'prefix');
  return tokens;
}

function idf(stats: CorpusStatistics, df: number): number {
  return Math.max(MIN_WEIGHT, Math.log((stats.documents + 1) / (df + 0.5)));
}

/** Row per token: unit direction from its n-grams, times its IDF. */
function embeddingTable(vocab: readonly Token[], stats: CorpusStatistics, dimension: number): Float32Array {
  const table = new Float32Array(vocab.length * dimension);
  const sum = new Float64Array(dimension);
  const gramCache = new Map<string, Float64Array>();
  const gramVector = (gram: string): Float64Array => {
    let v = gramCache.get(gram);
    if (!v) {
      v = hashedVector(gram, dimension);
      gramCache.set(gram, v);
    }
    return v;
  };
  const specialDirection = hashedVector('[special]', dimension);

  vocab.forEach((token, row) => {
    const out = table.subarray(row * dimension, (row + 1) * dimension);
    if (token.kind === 'special') {
      if (token.text === '[CLS]' || token.text === '[SEP]') {
        const norm = Math.sqrt(specialDirection.reduce((s, x) => s + x * x, 0));
        for (let i = 0; i < dimension; i++) out[i] = (specialDirection[i]! / norm) * SPECIAL_SCALE;
      }
      return; // [PAD] and [UNK] stay zero: unknown characters should not make two texts alike.
    }
    const { marked, df, whole } = describe(token, stats);
    sum.fill(0);
    for (const gram of ngrams(marked)) {
      const v = gramVector(gram);
      for (let i = 0; i < dimension; i++) sum[i]! += v[i]!;
    }
    if (whole) {
      // fastText keeps the whole word as one more feature: an exact match counts a bit more.
      const v = gramVector(marked);
      for (let i = 0; i < dimension; i++) sum[i]! += v[i]!;
    }
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += sum[i]! * sum[i]!;
    norm = Math.sqrt(norm);
    const weight = ONLY_PUNCTUATION.test(token.text.replace(/^##/, '')) ? MIN_WEIGHT : idf(stats, df);
    for (let i = 0; i < dimension; i++) out[i] = (sum[i]! / norm) * weight;
  });
  return table;
}

/** Boundary-marked form of a token (`<word>`, `<prefix`, `suffix>`) and its document frequency. */
function describe(token: Token, stats: CorpusStatistics): { marked: string; df: number; whole: boolean } {
  switch (token.kind) {
    case 'word':
      return { marked: `<${token.text}>`, df: stats.wordDf.get(token.text) ?? 0, whole: true };
    case 'prefix':
      return { marked: `<${token.text}`, df: stats.prefixDf.get(token.text) ?? stats.charDf.get(token.text) ?? 0, whole: false };
    default: {
      // `##` pieces are taken from word endings, and the tokenizer mostly uses them there.
      const body = token.text.slice(2);
      const df = [...body].length === 1 ? (stats.charDf.get(body) ?? 0) : (stats.suffixDf.get(body) ?? 0);
      return { marked: `${body}>`, df, whole: false };
    }
  }
}

function ngrams(marked: string): string[] {
  const chars = [...marked];
  if (chars.length < NGRAM_MIN) return [marked];
  const grams: string[] = [];
  for (let n = NGRAM_MIN; n <= NGRAM_MAX; n++) {
    for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(''));
  }
  return grams;
}

/** FNV-1a over UTF-8, then mulberry32 for ±1 components: seeded, deterministic, no Math.random. */
function hashedVector(gram: string, dimension: number): Float64Array {
  let h = HASH_SEED >>> 0;
  for (const byte of new TextEncoder().encode(gram)) {
    h ^= byte;
    h = Math.imul(h, 0x0100_0193) >>> 0;
  }
  const next = mulberry32Bits(h);
  const v = new Float64Array(dimension);
  for (let i = 0; i < dimension; i += 32) {
    const bits = next();
    for (let b = 0; b < 32 && i + b < dimension; b++) v[i + b] = (bits >>> b) & 1 ? 1 : -1;
  }
  return v;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function modelConfig(vocabSize: number, dimension: number): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dimension,
    vocab_size: vocabSize,
    max_position_embeddings: MAX_POSITIONS,
    // No transformer layers: the "model" is one embedding lookup, pooled by the pipeline.
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: dimension,
    type_vocab_size: 2,
    pad_token_id: 0,
    [MODEL_SETTINGS_KEY]: {
      kind: 'static-hashed-ngram',
      description:
        'Untrained static embeddings: each token is an IDF-weighted sum of hashed character 3- to 5-grams. ' +
        'Lexical-grade similarity, tolerant to inflection, accents and typos; it does not model meaning or synonyms.',
      query_prefix: '',
      passage_prefix: '',
    },
  };
}

function tokenizerJson(vocab: readonly Token[]): Record<string, unknown> {
  const ids = Object.fromEntries(vocab.map((t, i) => [t.text, i]));
  const special = (text: string) => ({ id: ids[text] as number, content: text, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

function tokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: true,
    tokenize_chinese_chars: true,
    // Same limit as E5, so long passages are cut where they would be with the default model.
    model_max_length: MAX_POSITIONS,
    // Needed for batches: padding looks the pad id up from here.
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    clean_up_tokenization_spaces: true,
  };
}

function onnxModel(table: Float32Array, vocabSize: number, dimension: number): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const int64 = (n: number) => Long.fromNumber(n);
  const batchBySequence = { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] };
  const input = (name: string) => ({ name, type: { tensorType: { elemType: DataType.INT64, shape: batchBySequence } } });
  // Explicit little-endian, as ONNX raw_data requires, whatever the machine.
  const raw = new Uint8Array(table.length * 4);
  const view = new DataView(raw.buffer);
  table.forEach((x, i) => view.setFloat32(i * 4, x, true));

  const model = onnx.ModelProto.create({
    irVersion: int64(7),
    opsetImport: [{ domain: '', version: int64(13) }],
    producerName: 'news-quote-bot',
    producerVersion: '1',
    modelVersion: int64(1),
    docString: 'Static hashed character n-gram embeddings (untrained). Lexical similarity only.',
    graph: {
      name: 'news_quote_static',
      node: [
        {
          name: 'word_embeddings',
          opType: 'Gather',
          input: ['embeddings.word_embeddings.weight', 'input_ids'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: int64(0) }],
        },
      ],
      initializer: [
        { name: 'embeddings.word_embeddings.weight', dataType: DataType.FLOAT, dims: [int64(vocabSize), int64(dimension)], rawData: raw },
      ],
      // attention_mask and token_type_ids are unused here but declared, as in any BERT export.
      input: [input('input_ids'), input('attention_mask'), input('token_type_ids')],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: DataType.FLOAT,
              shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: int64(dimension) }] },
            },
          },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function readme(vocabSize: number, dimension: number, documents: number): string {
  return `# ${STATIC_MODEL_NAME}

Built by \`npm run model:build\` from the project's own articles; nothing was downloaded.

**What it is:** a static embedding model. Each of its ${vocabSize} tokens (WordPiece, lowercased,
accents stripped) has a fixed ${dimension}-dimensional vector: the sum of hashed character 3- to
5-grams of the token (fastText-style, random and untrained), scaled by the token's IDF over the
${documents} paragraphs it was built from. transformers.js averages the token vectors of a text
and normalises the result.

**What it is good for:** lexical-grade similarity. Two texts are close when they share words or
parts of words, so it copes with inflection (singular/plural, verb endings), missing accents,
typos and close cognates (sécurité / security). Very common words weigh little.

**What it is not:** a semantic model. It does not know synonyms, paraphrases or translations
that do not share letters. For that, use the default \`Xenova/multilingual-e5-small\`.

**Use it:** \`EMBEDDING_MODEL=models/${STATIC_MODEL_NAME}\` (no query/passage prefixes; they are set
in \`config.json\` under \`${MODEL_SETTINGS_KEY}\`). Rebuild it when the articles change:
words added later are split into known pieces rather than matched whole.
`;
}
