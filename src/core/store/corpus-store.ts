/**
 * Where the corpus lives, as the engine sees it. Two implementations: the files in
 * `embeddings/` with an hnswlib graph (store/file-corpus.ts, the default) and PostgreSQL with
 * pgvector (pg/pg-corpus.ts, with DATABASE_URL). Answering itself (answer.ts) only sees the
 * corpus and the retrievers a store hands it.
 */
import type { FeedbackLog } from './feedback.js';
import type { LoadedCorpus } from '../text/index.js';
import type { Embedder } from '../model/index.js';
import type { Retrievers } from '../retrieval/index.js';
import type { Article, Passage, RetrievalMode } from '../types.js';
import type { IndexReport } from './shared/index.js';

/** What a re-index did. */
export interface ReindexResult {
  articles: number;
  passages: number;
  skipped: string[];
  /** Of the skipped files, those whose previously indexed version is kept. */
  kept: string[];
  /** The vector index's report, or null in lexical mode. */
  vectors: IndexReport | null;
}

/** What answering reads: the corpus and the retrievers over it. */
export interface CorpusView {
  corpus: LoadedCorpus;
  retrievers: Retrievers;
}

/** How a store reaches the model and reports: given by the engine, which owns both. */
export interface StoreContext {
  /** The embedder once the model has loaded (or failed to: null); awaited only when needed. */
  embedder(): Promise<Embedder | null>;
  /** A question's vector (cached by the engine across re-indexes). */
  embedQuery(question: string): Promise<number[]>;
  log: { info(message: string): void; warn(message: string): void };
  onProgress?: (done: number, total: number) => void;
}

export interface CorpusStore {
  readonly kind: 'files' | 'postgres';
  /** The corpus as last read or written (articles and, unless `indexFree`, passages). */
  readonly view: CorpusView;
  /** When the corpus was last written: the vector manifest's time, or the database's version. */
  readonly builtAt: string | null;
  /** Retrieval the next answer gets, given the embedder the engine holds. */
  mode(embedder: Embedder | null): RetrievalMode;
  /**
   * Brings the store in line with the seeds folder, embedding only passages it has no vector
   * for. Answers keep coming from the previous version until the new one is complete.
   */
  update(): Promise<ReindexResult>;
  /**
   * What one question is answered from: the view itself, or what the database returns for it
   * (its `depth` best passages of each ranking, the tuning's `rankDepth`).
   */
  forQuestion(topic: string, depth: number, lexicalOnly: boolean, embedder: Embedder | null): Promise<CorpusView>;
  passageCount(file?: string): number;
  /** The article with its text (a store that holds no text reads it). */
  article(article: Article): Promise<Article | null>;
  passageContext(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null>;
  /** True when this process holds no corpus index nor passage texts. */
  readonly indexFree: boolean;
  /** What people said of answers, kept with the corpus. */
  readonly feedback: FeedbackLog;
  close(): Promise<void>;
}
