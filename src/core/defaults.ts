/** Retrieval and answering tunables, in one place. Values are explained where they are used. */
export const DEFAULTS = Object.freeze({
  /** Passages taken from each ranking before fusion. */
  rankDepth: 20,
  /** Fused passages whose sentences compete to be quoted. */
  candidatePassages: 6,
  /** At most this many quotes in an answer. */
  maxQuotes: 3,
  /** A further quote must score at least this share of the best one. */
  secondaryQuoteRatio: 0.75,
  /** Lexical evidence needed to answer (IDF-weighted share of the question's terms in the best sentence). */
  minLexicalCoverage: 0.4,
  /** Dense evidence needed to answer when a model is loaded (cosine of question and best sentence). */
  minDenseSimilarity: 0.8,
  /** Longest question accepted, in characters. */
  maxQuestionChars: 1000,
});

export type Defaults = typeof DEFAULTS;
