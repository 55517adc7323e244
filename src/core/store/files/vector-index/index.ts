/**
 * The dense passage index kept under `embeddings/` (see vector-index/): vectors of every passage
 * and sentence in append-only segments, a passage table, an HNSW graph over passage vectors once
 * the corpus is large enough for exact search to cost more, and a manifest that ties them together.
 *
 * - `manifest.json` — format version, model id, dimension, prefix scheme, build time, and name,
 *   size and checksum of each data file; its own checksum. Written last, atomically.
 * - `vectors-<id>.bin` — one or more segments of vectors keyed by a hash of their text (segments.ts).
 * - `table-<id>.bin` — each live passage's id, key and vector rows (table.ts).
 * - `graph-<id>.hnsw` — the hnswlib graph, when there is one (graph.ts).
 * - `.lock` — present only while an update runs.
 */
export { loadVectorIndex, type LoadExpectation, type LoadResult } from './load.js';
export { GRAPH_POLICY, prepareVectorIndex, updateVectorIndex, type PreparedIndex, type UpdateOptions } from './update.js';
export { SEARCH_EF, type VectorIndex } from './search.js';
export type { IndexablePassage } from './plan.js';
