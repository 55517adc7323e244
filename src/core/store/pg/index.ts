/** The PostgreSQL store (pgvector), imported only when DATABASE_URL is set. */
export { PgCorpus } from './pg-corpus.js';
export { PgFeedbackLog } from './feedback-log.js';
export { connectDatabase } from './database.js';
