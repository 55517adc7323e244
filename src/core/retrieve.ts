import { fuseRankings } from './fusion.js';
import type { LexicalIndex } from './lexical.js';
import type { RetrievalMode } from './types.js';

/** Dense retrieval as the answer pipeline needs it: embed a question, search, look up sentence vectors. */
export interface DenseSearch {
  /**
   * Cosine between question and sentence at which the sentence answers on meaning alone, even
   * with few words in common (an English question over French text); null when not known for
   * the model, and then only lexical evidence decides whether to answer.
   */
  minSimilarity: number | null;
  embedQuery(question: string): Promise<number[]>;
  search(queryVector: number[], k: number): { id: string; score: number }[];
  sentenceVector(sentence: string): number[] | undefined;
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
  /** The question's vector, when dense retrieval ran (for choosing sentences). */
  queryVector: number[] | null;
}

/** What a set of retrievers can do: hybrid with a dense retriever, lexical without. */
export function retrievalMode(r: Retrievers): RetrievalMode {
  return r.dense ? 'hybrid' : 'lexical';
}

/** Question → passage ids, best first: BM25 alone, or BM25 and dense fused by reciprocal rank. */
export async function rankPassages(question: string, r: Retrievers, depth: number): Promise<Ranked> {
  const mode = retrievalMode(r);
  const lexical = r.lexical.search(question, depth).map((h) => h.id);
  if (!r.dense) return { mode, ids: lexical, queryVector: null };
  const queryVector = await r.dense.embedQuery(question);
  const dense = r.dense.search(queryVector, depth).map((h) => h.id);
  return { mode, ids: fuseRankings([lexical, dense]).map((f) => f.id), queryVector };
}
