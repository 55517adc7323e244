/** Embedding throughput: how many passages per second an embedder turns into vectors. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_EMBEDDING_MODEL } from '../config.js';
import type { Embedder } from '../core/embedder-types.js';
import { MODEL_FILES, loadEmbedder, locateModel } from '../core/embedder.js';
import { STATIC_MODEL_NAME, buildStaticModel } from '../model/build-static-model.js';
import { timed, type Progress } from './stats.js';

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

/** The default hub model when its files are on disk, or why it is skipped. */
export type DefaultModel = { present: true; embedder: Embedder; loadMs: number } | { present: false; reason: string };

/**
 * Loads {@link DEFAULT_EMBEDDING_MODEL} from `modelsDir` without the network. Checked first
 * with `locateModel` so a missing model is a one-line skip, never a download attempt.
 */
export async function loadDefaultModelIfPresent(modelsDir: string): Promise<DefaultModel> {
  const location = locateModel(DEFAULT_EMBEDDING_MODEL, modelsDir);
  if (location.kind === 'bad-folder') return { present: false, reason: `not present locally (skipped): ${location.dir} ${location.problem}` };
  const missing = MODEL_FILES.filter((f) => !existsSync(path.join(location.dir, f)));
  if (missing.length > 0) {
    const what = missing.length === MODEL_FILES.length ? `nothing at ${location.dir}` : `${location.dir} lacks ${missing.join(', ')}`;
    return { present: false, reason: `not present locally (skipped): ${what}` };
  }
  const loaded = await timed(() => loadEmbedder({ model: DEFAULT_EMBEDDING_MODEL, modelsDir, offline: true }));
  if (!loaded.value.ok) return { present: false, reason: `present but could not be loaded (skipped): ${loaded.value.message}` };
  return { present: true, embedder: loaded.value.embedder, loadMs: loaded.ms };
}

/** One embedder's throughput. */
export interface ThroughputResult {
  model: string;
  dimension: number;
  prefixScheme: string;
  /** Time to load the model (and run its dimension probe). */
  loadMs: number;
  /** Distinct passages in the corpus. */
  corpusPassages: number;
  meanPassageChars: number;
  /** Timed passes over the passage list. */
  repetitions: number;
  /** Passages embedded in the timed passes. */
  passages: number;
  seconds: number;
  passagesPerSecond: number;
}

/**
 * Times `embedPassages` over the corpus, one call per pass, until the passes add up to
 * `targetSeconds`: one pass over a few dozen passages is over in milliseconds with a small model,
 * far too short to time. Separate calls rather than one call on a repeated list, because the
 * embedder sorts a call's texts by length and would then batch identical copies together.
 * A first, untimed pass warms up the ONNX session and the JIT.
 */
export async function measureThroughput(
  embedder: Embedder,
  loadMs: number,
  texts: readonly string[],
  targetSeconds: number,
  progress: Progress,
): Promise<ThroughputResult> {
  if (texts.length === 0) throw new Error('no passages to embed');
  progress(`embedding the ${texts.length} passages with ${embedder.modelId} for ~${targetSeconds} s`);
  await embedder.embedPassages([...texts]);
  let elapsed = 0;
  let repetitions = 0;
  let lastLine = performance.now();
  while (elapsed < targetSeconds * 1000) {
    const pass = await timed(() => embedder.embedPassages([...texts]));
    elapsed += pass.ms;
    repetitions++;
    // A slow model (e5 on two cores) can take a while: say it is alive, at most every few seconds.
    if (performance.now() - lastLine >= 5000) {
      lastLine = performance.now();
      progress(`  … ${repetitions} passes, ${(elapsed / 1000).toFixed(1)} s`);
    }
  }
  const seconds = elapsed / 1000;
  const passages = repetitions * texts.length;
  return {
    model: embedder.modelId,
    dimension: embedder.dimension,
    prefixScheme: embedder.prefix.name,
    loadMs,
    corpusPassages: texts.length,
    meanPassageChars: texts.reduce((a, t) => a + t.length, 0) / texts.length,
    repetitions,
    passages,
    seconds,
    passagesPerSecond: passages / seconds,
  };
}
