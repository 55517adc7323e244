/** The file store: the corpus under `embeddings/` (text store and hnswlib vector index). */
export { FileCorpusStore } from './file-corpus.js';
export { FileFeedbackLog } from './feedback-log.js';
