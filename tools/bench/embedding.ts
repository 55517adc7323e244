/** Embedding throughput: how many passages per second an embedder turns into vectors. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_EMBEDDING_MODEL, loadConfig } from '../../src/config.js';
import type { Embedder } from '../../src/core/model/types.js';
import { MODEL_FILES, loadEmbedder, locateModel } from '../../src/core/model/embedder.js';
import { STATIC_MODEL_NAME, buildStaticModel } from '../../src/model-setup/build-static-model.js';
import { timed } from './stats.js';

/** The project's own model, built for the benchmark. */
export interface BuiltModel {
  dir: string;
  vocabSize: number;
  dimension: number;
  buildMs: number;
  embedder: Embedder;
  loadMs: number;
}

/**
 * Builds the project's static model from the seed texts into `parentDir` and loads it. Built
 * rather than taken from models/ so the figures do not depend on whether, or from which
 * articles, someone last ran `npm run model:build`.
 */
export async function buildBenchModel(seedsDir: string, parentDir: string): Promise<BuiltModel> {
  // Same file selection and order as `npm run model:build`, so the model is the one users get.
  const names = (await readdir(seedsDir)).filter((n) => /\.(txt|md)$/i.test(n)).sort();
  if (names.length === 0) throw new Error(`no .txt or .md files in ${seedsDir} to build the model from`);
  const texts = await Promise.all(names.map((n) => readFile(path.join(seedsDir, n), 'utf8')));
  const built = await timed(() => buildStaticModel({ texts, outDir: path.join(parentDir, STATIC_MODEL_NAME) }));
  const loaded = await timed(() => loadEmbedder({ model: built.value.dir, modelsDir: parentDir, offline: true }));
  if (!loaded.value.ok) throw new Error(loaded.value.message);
  return { ...built.value, buildMs: built.ms, embedder: loaded.value.embedder, loadMs: loaded.ms };
}

/** The default model when its files are on disk, or why it is skipped. */
export type DefaultModel = { present: true; model: string; dir: string; embedder: Embedder; loadMs: number } | { present: false; model: string; reason: string };

/**
 * Loads the model the bot uses by default, without the network: the Hub's
 * multilingual-e5-small when its files are in `modelsDir`, else the copy `npm run model:import`
 * wrote (the configuration's own choice). Checked first with `locateModel` so a missing model is
 * a one-line skip, never a download attempt.
 */
/** Where the default model is on disk, or why it is not usable there; nothing is loaded. */
export function findDefaultModel(modelsDir: string): { present: true; model: string; dir: string } | { present: false; model: string; reason: string } {
  const model = loadConfig({ MODELS_DIR: modelsDir }).EMBEDDING_MODEL;
  const location = locateModel(model, modelsDir);
  if (location.kind === 'bad-folder') return { present: false, model, reason: `not present locally (skipped): ${location.dir} ${location.problem}` };
  const missing = MODEL_FILES.filter((f) => !existsSync(path.join(location.dir, f)));
  if (missing.length > 0) {
    const what = missing.length === MODEL_FILES.length ? `nothing at ${location.dir}` : `${location.dir} lacks ${missing.join(', ')}`;
    return { present: false, model, reason: `not present locally (skipped): ${what} (\`npm run model:import\` writes ${DEFAULT_EMBEDDING_MODEL} there without the Hub)` };
  }
  return { present: true, model, dir: location.dir };
}

export async function loadDefaultModelIfPresent(modelsDir: string): Promise<DefaultModel> {
  const found = findDefaultModel(modelsDir);
  if (!found.present) return found;
  const { model } = found;
  const loaded = await timed(() => loadEmbedder({ model, modelsDir, offline: true }));
  if (!loaded.value.ok) return { present: false, model, reason: `present but could not be loaded (skipped): ${loaded.value.message}` };
  return { present: true, model, dir: found.dir, embedder: loaded.value.embedder, loadMs: loaded.ms };
}
