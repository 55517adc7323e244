import type { Config } from './config.js';
import { answerQuestion } from './core/answer.js';
import { loadCorpus, type LoadedCorpus } from './core/corpus.js';
import { buildLexicalIndex } from './core/lexical.js';
import { retrievalMode, type Retrievers } from './core/retrieve.js';
import type { Answer, RetrievalMode } from './core/types.js';

/** Where the engine reports what a person running it should know (skipped files, model problems). */
export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Everything needed to answer, loaded once per process. */
export interface Engine {
  corpus: LoadedCorpus;
  mode: RetrievalMode;
  /** Model id when dense retrieval is on, else null. */
  model: string | null;
  /** When the vector index was built (ISO), or null without one. */
  indexBuiltAt: string | null;
  /** `lexicalOnly` answers without the embedding model, for comparing modes. */
  ask(question: string, options?: { lexicalOnly?: boolean }): Promise<Answer>;
}

export interface EngineOptions {
  log: EngineLog;
}

/** Ingests the seeds and builds the retrievers. */
export async function createEngine(config: Config, options: EngineOptions): Promise<Engine> {
  const corpus = await loadCorpus(config.SEEDS_DIR);
  for (const s of corpus.skipped) options.log.warn(`Skipped ${s.file}: ${s.reason}.`);
  const retrievers: Retrievers = { lexical: buildLexicalIndex(corpus.passages) };
  return {
    corpus,
    mode: retrievalMode(retrievers),
    model: null,
    indexBuiltAt: null,
    ask: (question, opts) => answerQuestion(question, corpus, opts?.lexicalOnly ? { lexical: retrievers.lexical } : retrievers),
  };
}
