/** The corpus-store contract the engine sees; the stores themselves are in files/ and pg/. */
export type { CorpusStore, CorpusView, ReindexResult, StoreContext } from './corpus-store.js';
export { CorpusUnavailableError } from './corpus-unavailable.js';
export { mergeViews } from './merge-views.js';
export { FEEDBACK_REASONS, type FeedbackEntry, type FeedbackLog, type FeedbackReason } from './feedback.js';
