import type { Config } from '../config.js';
import type { LoadEmbedderResult } from '../core/model/index.js';
import { loadEmbedderInThread } from '../core/model/index.js';

/**
 * Starts loading EMBEDDING_MODEL in the model thread. The longest part of a start with a real
 * model: the bot calls this before importing the rest of itself, and hands the promise to
 * createEngine (`modelLoad`).
 */
export function startModelLoad(config: Config): Promise<LoadEmbedderResult> {
  return loadEmbedderInThread({ model: config.EMBEDDING_MODEL, modelsDir: config.MODELS_DIR, offline: config.OFFLINE });
}
