/** The model stage: loading the embedding model (in its own thread) and embedding passages and questions. */
export { type LoadEmbedderResult, modelOnDisk } from './embedder.js';
export { loadEmbedderInThread } from './thread/index.js';
export type { Embedder, PrefixScheme } from './types.js';
