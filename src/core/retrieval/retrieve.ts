import { fuseRankings } from './fusion.js';
import type { LexicalIndex } from './lexical/index.js';
import type { RetrievalMode } from '../types.js';

/** Dense retrieval as the answer pipeline needs it: embed a question, search, look up sentence vectors. */
export interface DenseSearch {
  /** How the model names itself to users. */
  modelName: string;
  /**
   * The model's family (`e5`, …): it selects how its similarities read (the answer stage's
   * calibration); a family without one leaves only lexical evidence to decide whether to answer.
   */
  family: string;
  embedQuery(question: string): Promise<number[]>;
  search(queryVector: number[], k: number): { id: string; score: number }[];
  sentenceVector(sentence: string): number[] | undefined;
  passageVector(id: string): number[] | undefined;
}

export interface Retrievers {
  lexical: LexicalIndex;
  /** Absent when no embedding model could be loaded: retrieval is then lexical only. */
  dense?: DenseSearch | undefined;
}

export interface Ranked {
  mode: RetrievalMode;
  /** Passage ids, best first. */
  ids: string[];
  /** Each retriever's own ranking (empty for one that did not run). */
  lexical: string[];
  dense: string[];
  /** The question's vector, when dense retrieval ran (for choosing sentences). */
  queryVector: number[] | null;
}

/** What a set of retrievers can do: hybrid with a dense retriever, lexical without. */
export function retrievalMode(r: Retrievers): RetrievalMode {
  return r.dense ? 'hybrid' : 'lexical';
}

/**
 * Question → passage ids, best first: BM25 alone (lexical), vectors alone (dense), or both
 * fused by reciprocal rank (hybrid). A mode the retrievers cannot do falls back to lexical.
 */
export async function rankPassages(question: string, r: Retrievers, depth: number, wanted: RetrievalMode = retrievalMode(r)): Promise<Ranked> {
  const mode = r.dense ? wanted : 'lexical';
  const lexical = mode === 'dense' ? [] : r.lexical.search(question, depth).map((h) => h.id);
  if (!r.dense || mode === 'lexical') return { mode, ids: lexical, lexical, dense: [], queryVector: null };
  const queryVector = await r.dense.embedQuery(question);
  const dense = r.dense.search(queryVector, depth).map((h) => h.id);
  return { mode, ids: mode === 'dense' ? dense : fuseRankings([lexical, dense]).map((f) => f.id), lexical, dense, queryVector };
}
