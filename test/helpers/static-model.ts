import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { STATIC_MODEL_NAME, buildStaticModel } from '../../src/model-setup/build-static-model.js';

/** The project's sample articles, which the test model is built from. */
export const SEEDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seeds');

/** Texts of every .txt/.md seed file, in name order (as `npm run model:build` reads them). */
export async function readSeedTexts(): Promise<string[]> {
  const names = (await readdir(SEEDS_DIR)).filter((n) => /\.(txt|md)$/i.test(n)).sort();
  return Promise.all(names.map((n) => readFile(path.join(SEEDS_DIR, n), 'utf8')));
}

const tempDirs: string[] = [];

// Registered in the suite of whichever test file imports this helper (vitest workers do not
// reliably emit 'exit', so that is no place for cleanup).
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  built = undefined;
});

/** A fresh temporary directory, removed after the importing test file has run. */
export async function makeTempDir(prefix = 'news-quote-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A copy of a model folder whose ONNX file is not a model: loads fail after the files check out. */
export async function brokenCopyOf(modelDir: string): Promise<string> {
  const broken = path.join(await makeTempDir(), 'broken');
  cpSync(modelDir, broken, { recursive: true });
  writeFileSync(path.join(broken, 'onnx', 'model_quantized.onnx'), 'not a model');
  return broken;
}

let built: Promise<string> | undefined;

/**
 * Builds the project's static embedding model from the seed articles into a temp directory
 * and returns the model folder, ready for `loadEmbedder({ model: folder, ... })`. Built once
 * per test file, in well under a second; no network needed.
 */
export function buildTestModel(): Promise<string> {
  built ??= (async () => {
    const texts = await readSeedTexts();
    const dir = path.join(await makeTempDir(), STATIC_MODEL_NAME);
    return (await buildStaticModel({ texts, outDir: dir })).dir;
  })();
  return built;
}
