import type { Config } from '../config.js';
import type { Embedder, LoadEmbedderResult } from '../core/model/index.js';
import { loadEmbedderInThread } from '../core/model/index.js';
import type { EngineLog } from './types.js';

/**
 * Starts loading EMBEDDING_MODEL in the model thread. The longest part of a start with a real
 * model: the bot calls this before importing the rest of itself, and hands the promise to
 * createEngine (`modelLoad`).
 */
export function startModelLoad(config: Config): Promise<LoadEmbedderResult> {
  return loadEmbedderInThread({ model: config.EMBEDDING_MODEL, modelsDir: config.MODELS_DIR, offline: config.OFFLINE });
}

export class ModelRequiredError extends Error {
  override name = 'ModelRequiredError';
}

/** The engine's model: a load started early, awaited once when first needed, and closed with the engine. */
export interface EngineModel {
  /** The embedder once loaded; null before, or when it could not be loaded (lexical answers). */
  readonly embedder: Embedder | null;
  /** Waits for the load; a failure is logged once (or thrown, with `requireModel`). */
  ready(): Promise<void>;
  /** The model this engine loaded refuses work once the engine is closed (the process keeps its thread: core/model/thread/). */
  close(): Promise<void>;
}

export function engineModel(config: Config, options: { log: EngineLog; embedder?: Embedder; modelLoad?: Promise<LoadEmbedderResult>; requireModel?: boolean }): EngineModel {
  let embedder: Embedder | null = options.embedder ?? null;
  // The model loads in its own thread while this one reads the indexes; the first build waits for both.
  const load: Promise<LoadEmbedderResult> = embedder ? Promise.resolve({ ok: true, embedder }) : (options.modelLoad ?? startModelLoad(config));
  let checked = false;
  return {
    get embedder() {
      return embedder;
    },
    async ready() {
      if (checked) return;
      checked = true;
      const loaded = await load;
      if (loaded.ok) embedder = loaded.embedder;
      else if (options.requireModel) throw new ModelRequiredError(loaded.message);
      else options.log.warn(`${loaded.message} Answering with lexical retrieval only.`);
    },
    async close() {
      if (options.embedder) return;
      const loaded = await load;
      if (loaded.ok) await loaded.embedder.close?.();
    },
  };
}
