import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as transformers from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFeatureExtractor } from '../src/core/model/transformers/feature-extractor.js';
import { brokenCopyOf, buildTestModel, makeTempDir } from './helpers/static-model.js';

const TEXTS = ['Qui a signé le traité de Paris ?', 'Who signed the treaty?', 'Les psychotropes sont interdits à la vente.', 'a'];
const OPTIONS = { pooling: 'mean', normalize: true } as const;

let dir: string;

beforeAll(async () => {
  dir = await buildTestModel();
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.useFSCache = false;
});

/** The folder's vectors for TEXTS as transformers.js' own pipeline() gives them. */
async function pipelineVectors(folder: string): Promise<number[]> {
  transformers.env.localModelPath = path.dirname(folder);
  const extract = await transformers.pipeline('feature-extraction', path.basename(folder), { quantized: true });
  return Array.from((await extract(TEXTS, OPTIONS)).data as Float32Array);
}

async function openedVectors(folder: string): Promise<number[]> {
  transformers.env.localModelPath = path.dirname(folder);
  const extract = await openFeatureExtractor(transformers, path.basename(folder), path.join(folder, 'onnx', 'model_quantized.onnx'));
  return Array.from((await extract(TEXTS, OPTIONS)).data as Float32Array);
}

describe('openFeatureExtractor', () => {
  it("gives exactly the vectors of transformers.js' pipeline() for the same folder", async () => {
    const opened = await openedVectors(dir);
    expect(opened.length).toBeGreaterThan(TEXTS.length);
    expect(opened).toEqual(await pipelineVectors(dir));
  });

  it('opens a model type AutoModel does not know with the base class, as pipeline() does', async () => {
    const copy = path.join(await makeTempDir(), 'unknown-type');
    cpSync(dir, copy, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(copy, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(copy, 'config.json'), JSON.stringify({ ...config, model_type: 'not-a-known-type' }));
    expect(await openedVectors(copy)).toEqual(await openedVectors(dir));
  });

  it('fails with onnxruntime’s error when the model file is not a model', async () => {
    await expect(openedVectors(await brokenCopyOf(dir))).rejects.toThrow(/protobuf|model|load/i);
  });
});
