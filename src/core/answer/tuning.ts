/**
 * Every tunable that decides whether and what to answer, in one place. Values are explained
 * here; docs/evaluation.md shows the sweeps they were chosen from.
 */
export const DEFAULTS = Object.freeze({
  /** Passages taken from each ranking before fusion. */
  rankDepth: 20,
  /** Fused passages whose sentences compete to be quoted. */
  candidatePassages: 6,
  /** And each retriever's own top passages, when they are not among the fused ones. */
  candidatesPerRetriever: 6,
  /** At most this many quotes in an answer. */
  maxQuotes: 3,
  /** A further quote must score at least this share of the best one. */
  secondaryQuoteRatio: 0.75,
  /**
   * Lexical mode: evidence needed to answer (IDF-weighted share of the question's terms in the
   * best sentence). 0.4 was chosen on the lexical sweep of the question set.
   */
  minLexicalCoverage: 0.4,
  /** Longest question accepted, in characters. */
  maxQuestionChars: 1000,
  /** Added to a sentence's ordering score when the question asks "when" and the sentence states a date. */
  dateQuestionBonus: 0.15,
  /**
   * Coverage: how much a question term counts where it is found. A question names the people
   * and places of an article, and the sentence that answers often names only one of them:
   * finding the rest in its passage or article is evidence, but weaker. Near matches count less
   * than the word itself: one typo in a long word, a shared root (nécessaire / nécessité), another
   * spelling of a long name (Patrouchev / Patrushev).
   */
  coverageCredit: Object.freeze({ sentence: 1, passage: 0.6, article: 0.35, typo: 0.8, root: 0.7, spelling: 0.6 }),
});

export type Defaults = typeof DEFAULTS;

/**
 * How a model family's cosine similarities read, measured on `npm run eval -- --sweep`.
 * `meaning` maps a question–sentence cosine to 0 at `unrelated` and 1 at `same`; evidence is
 * then `lexicalWeight × coverage + (1 − lexicalWeight) × meaning` (dense mode: meaning alone),
 * and the bot answers when the best sentence's evidence reaches `minEvidence`
 * (`minDenseEvidence` in dense mode). Lexical coverage and meaning are weighed together, so a
 * sentence that shares the question's words but not its meaning (a near-topic trap) can be
 * vetoed, and one that shares the meaning in other words (a paraphrase) can answer.
 *
 * Word overlap only means something within one language: a question in a language none of the
 * articles is in (English over French articles) has its own weights, which lean on meaning.
 */
export interface EvidenceWeights {
  lexicalWeight: number;
  minEvidence: number;
}

export interface DenseCalibration {
  unrelated: number;
  same: number;
  /** Share of the passage's similarity in a sentence's (the rest is the sentence's own). */
  passageShare: number;
  /** The question is in a language of the articles. */
  sameLanguage: EvidenceWeights;
  /** It is not (an English question over French articles). */
  otherLanguage: EvidenceWeights;
  minDenseEvidence: number;
}

export const DENSE_CALIBRATION: Readonly<Record<string, DenseCalibration>> = Object.freeze({
  // multilingual-e5-small: the best sentence of an answerable question scores 0.82–0.90 (p10–p90)
  // against it, that of an unanswerable one 0.79–0.87: the anchors span that range. Weights and
  // thresholds are the sweep's choice (docs/evaluation.md, "Calibration"): the best hit@1/hit@3,
  // then the most abstentions on unanswerable questions that cost no more than 3% false abstentions.
  e5: Object.freeze({
    unrelated: 0.75,
    same: 0.9,
    // A sentence's meaning is read mostly through its passage: 0.75 beat 0, 0.25, 0.5 and 1 on
    // hit@1 and hit@3 in both languages, with the same abstentions.
    passageShare: 0.75,
    sameLanguage: Object.freeze({ lexicalWeight: 0.3, minEvidence: 0.45 }),
    otherLanguage: Object.freeze({ lexicalWeight: 0.1, minEvidence: 0.35 }),
    minDenseEvidence: 0.4,
  }),
});

/** The calibration of a model family, or null when unknown: lexical evidence alone then decides. */
export function denseCalibration(family: string): DenseCalibration | null {
  return DENSE_CALIBRATION[family] ?? null;
}
