import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../src/core/model/embedder.js';
import {
  STATIC_MODEL_DIMENSION,
  STATIC_MODEL_NAME,
  buildStaticModel,
  preTokenize,
} from '../src/model-setup/build-static-model.js';
import { buildTestModel, makeTempDir, readSeedTexts } from './helpers/static-model.js';

const { onnx } = onnxProto;
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'README.md'];

function readJson(file: string): Record<string, any> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
}

let dir: string;
beforeAll(async () => {
  dir = await buildTestModel();
});

describe('buildStaticModel: files', () => {
  it('writes the local layout transformers.js loads for a bert model', () => {
    expect(path.basename(dir)).toBe(STATIC_MODEL_NAME);
    for (const file of FILES) expect(existsSync(path.join(dir, file)), file).toBe(true);

    const config = readJson(path.join(dir, 'config.json'));
    expect(config.model_type).toBe('bert');
    expect(config.hidden_size).toBe(STATIC_MODEL_DIMENSION);
    expect(config.news_quote_bot).toMatchObject({ query_prefix: '', passage_prefix: '' });
    expect(config.news_quote_bot.description).toMatch(/not model meaning/);

    const tokenizerConfig = readJson(path.join(dir, 'tokenizer_config.json'));
    expect(tokenizerConfig.pad_token).toBe('[PAD]');
    expect(tokenizerConfig.model_max_length).toBe(512);

    const tokenizer = readJson(path.join(dir, 'tokenizer.json'));
    expect(tokenizer.model.type).toBe('WordPiece');
    expect(tokenizer.normalizer).toMatchObject({ type: 'BertNormalizer', lowercase: true, strip_accents: true });
    expect(tokenizer.pre_tokenizer.type).toBe('BertPreTokenizer');
    for (const special of ['[PAD]', '[UNK]', '[CLS]', '[SEP]']) expect(tokenizer.model.vocab).toHaveProperty([special]);
    expect(Object.keys(tokenizer.model.vocab)).toHaveLength(config.vocab_size);

    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/What it is not:\*\* a semantic model/);
  });

  it('is one Gather over a float32 table, with the three BERT inputs, and a few MB', () => {
    const file = path.join(dir, 'onnx/model_quantized.onnx');
    const model = onnx.ModelProto.decode(readFileSync(file));
    const inputs = model.graph?.input ?? [];
    expect(inputs.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    for (const input of inputs) expect(input.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.INT64);
    expect((model.graph?.node ?? []).map((n) => n.opType)).toEqual(['Gather']);
    expect((model.graph?.output ?? []).map((o) => o.name)).toEqual(['last_hidden_state']);
    const table = model.graph?.initializer?.[0];
    if (!table) throw new Error('no initializer');
    expect(table.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    const vocabSize = readJson(path.join(dir, 'config.json')).vocab_size as number;
    expect((table.dims ?? []).map(Number)).toEqual([vocabSize, STATIC_MODEL_DIMENSION]);
    expect(statSync(file).size).toBeLessThan(10 * 1024 * 1024);
  });

  it('is deterministic: same texts, byte-identical files', async () => {
    const again = await buildStaticModel({ texts: await readSeedTexts(), outDir: path.join(await makeTempDir(), 'again') });
    for (const file of FILES) {
      expect(readFileSync(path.join(again.dir, file)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
  });

  it('rejects a dimension it cannot use', async () => {
    await expect(buildStaticModel({ texts: ['a'], outDir: await makeTempDir(), dimension: 10 })).rejects.toThrow(/multiple of 8/);
  });
});

describe('buildStaticModel: tokenizer', () => {
  let tokenize: (text: string) => string[];
  beforeAll(async () => {
    // Read straight from the folder, as loadEmbedder does for a folder model.
    env.localModelPath = path.dirname(dir);
    env.allowRemoteModels = false;
    env.useFSCache = false;
    const tokenizer = await AutoTokenizer.from_pretrained(path.basename(dir));
    const vocab = (tokenizer as unknown as { model: { vocab: string[] } }).model.vocab;
    tokenize = (text) => Array.from((tokenizer(text).input_ids as { data: BigInt64Array }).data, (id) => vocab[Number(id)]!);
  });

  it('keeps every corpus word whole, lowercased and without accents', async () => {
    const words = [...new Set((await readSeedTexts()).flatMap(preTokenize))];
    const unknown = words.filter((w) => tokenize(w).length !== 3);
    expect(unknown).toEqual([]);
    expect(tokenize('Sécurité')).toEqual(['[CLS]', 'securite', '[SEP]']);
  });

  it('splits unseen words into known pieces instead of [UNK]', () => {
    for (const word of ['psychotrope', 'security', 'sécuritaires', 'Zyxwvq', 'hyperconnectivité']) {
      const pieces = tokenize(word).slice(1, -1);
      expect(pieces, word).not.toContain('[UNK]');
    }
    // A singular keeps the longest known start of its plural.
    expect(tokenize('psychotrope')).toEqual(['[CLS]', 'psychotrope', '[SEP]']);
    expect(tokenize('security').slice(1, -1)[0]).toBe('securit');
  });
});

describe('buildStaticModel: vectors', () => {
  it('has the requested dimension through the real pipeline, and the same vectors when rebuilt', async () => {
    const texts = ['Le ministre de la Sécurité publique participe à la rencontre.', 'Les psychotropes sont interdits.'];
    const one = await buildStaticModel({ texts, outDir: path.join(await makeTempDir(), 'one'), dimension: 64 });
    const two = await buildStaticModel({ texts, outDir: path.join(await makeTempDir(), 'two'), dimension: 64 });
    const [a, b] = await Promise.all([one, two].map((m) => loadEmbedder({ model: m.dir, modelsDir: m.dir, offline: true })));
    if (!a?.ok || !b?.ok) throw new Error('load failed');
    expect(a.embedder.dimension).toBe(64);
    const [va] = await a.embedder.embedQueries(['sécurité des psychotropes']);
    const [vb] = await b.embedder.embedQueries(['sécurité des psychotropes']);
    expect(va).toHaveLength(64);
    expect(va).toEqual(vb);
  });
});
