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
  /** Meaning (0 at `unrelated`, 1 at `same`) above which a sentence answers without the focus's words: a paraphrase. */
  focusMeaning: number;
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

const DENSE_CALIBRATION: Readonly<Record<string, DenseCalibration>> = Object.freeze({
  // multilingual-e5-small: the best sentence of an answerable question scores 0.82–0.90 (p10–p90)
  // against it, that of an unanswerable one 0.79–0.87: the anchors span that range. Weights and
  // thresholds are the sweep's choice (docs/evaluation.md, "Calibration"): the best hit@1/hit@3, then the
  // most abstentions on unanswerable questions that cost no more than 3% false abstentions.
  e5: Object.freeze({
    unrelated: 0.75,
    same: 0.9,
    // A sentence's meaning is read mostly through its passage: 0.75 beat 0, 0.25, 0.5 and 1 on
    // hit@1 and hit@3 in both languages, with the same abstentions.
    passageShare: 0.75,
    sameLanguage: Object.freeze({ lexicalWeight: 0.3, minEvidence: 0.45, focusMeaning: 0.6 }),
    otherLanguage: Object.freeze({ lexicalWeight: 0.1, minEvidence: 0.35, focusMeaning: 0.4 }),
    minDenseEvidence: 0.4,
  }),
});

/**
 * Coverage: how much a question term counts where it is found. A question names the people and
 * places of an article, and the sentence that answers often names only one of them: finding the
 * rest in its passage or article is evidence, but weaker. Near matches count less than the word
 * itself: one typo in a long word, a shared root (nécessaire / nécessité), another spelling of a
 * long name (Patrouchev / Patrushev).
 */
export interface CoverageCredit {
  sentence: number;
  passage: number;
  article: number;
  typo: number;
  root: number;
  spelling: number;
}

/** How the focus of a question (what it asks about its anchors) is looked for in a sentence. */
export interface FocusTuning {
  /** Share of the focus (IDF-weighted) a sentence must hold to answer, unless its meaning makes up for it. */
  minCoverage: number;
  /** The same without a model, where nothing can make up for it (a paraphrase then needs some of the words). */
  minLexicalCoverage: number;
  /** Credit for a focus term found in the sentence's passage but not in the sentence. */
  passageCredit: number;
  /** Added to the ordering score per unit of focus held: the sentence that holds the question's rare focus terms together first. */
  orderWeight: number;
}

/**
 * Every tunable that decides whether and what to answer, in one object that the engine passes
 * to retrieval and answering (no module reads it by itself), so the evaluation's sweep can vary
 * any of them. docs/evaluation.md shows the sweeps they were chosen from.
 */
export interface Tuning {
  /** Passages taken from each ranking before fusion. */
  rankDepth: number;
  /** Fused passages whose sentences compete to be quoted. */
  candidatePassages: number;
  /** And each retriever's own top passages, when they are not among the fused ones. */
  candidatesPerRetriever: number;
  /** At most this many quotes in an answer. */
  maxQuotes: number;
  /** A further quote must score at least this share of the best one. */
  secondaryQuoteRatio: number;
  /** Lexical mode: evidence needed to answer (IDF-weighted share of the question's terms in the best sentence). */
  minLexicalCoverage: number;
  /** Added to a sentence's ordering score when the question asks "when" and the sentence states a date. */
  dateQuestionBonus: number;
  /** Added to the ordering score of "latest" questions, newest article first (never to evidence). */
  latestBonus: number;
  /**
   * Added to the ordering score as `passageRankBonus / (rank + 1)` of the sentence's passage:
   * it only breaks ties between sentences of equal evidence, in the retrievers' order.
   */
  passageRankBonus: number;
  /** Without a calibrated model, coverage decides and this share of dense similarity only breaks ties. */
  uncalibratedDenseShare: number;
  /**
   * Weight of a question word the corpus never uses, as a share of the corpus's rarest word's
   * IDF: such a word ("salaire", "habitants", "Oslo") is the strongest sign that the question is
   * about something else.
   */
  unknownWordWeight: number;
  coverageCredit: Readonly<CoverageCredit>;
  /** What tells a sentence that answers from one about the same people and places (answer/focus.ts). */
  focus: Readonly<FocusTuning>;
  /** A follow-up ("Et quand ?"): added to the ordering score of sentences from the articles the previous answer quoted. */
  followUpArticleBonus: number;
  /** Titles of the best candidates named when the bot abstains, so the asker knows where to look. */
  maxPointers: number;
  /** `/cite` with words that are not verbatim in a sentence: the least share of them the cited sentence must hold. */
  minCiteShare: number;
  /** Per model family (`e5`, …): how its cosine similarities read. */
  calibrations: Readonly<Record<string, Readonly<DenseCalibration>>>;
}

export const TUNING: Readonly<Tuning> = Object.freeze({
  rankDepth: 20,
  candidatePassages: 6,
  candidatesPerRetriever: 6,
  maxQuotes: 3,
  secondaryQuoteRatio: 0.65,
  // Chosen on the lexical sweep of the question set.
  minLexicalCoverage: 0.4,
  dateQuestionBonus: 0.15,
  latestBonus: 0.1,
  passageRankBonus: 0.02,
  uncalibratedDenseShare: 0.5,
  unknownWordWeight: 1,
  coverageCredit: Object.freeze({ sentence: 1, passage: 0.6, article: 0.35, typo: 0.8, root: 0.7, spelling: 0.6 }),
  focus: Object.freeze({ minCoverage: 0.7, minLexicalCoverage: 0.15, passageCredit: 0.5, orderWeight: 0.4 }),
  followUpArticleBonus: 0.2,
  maxPointers: 3,
  minCiteShare: 0.5,
  calibrations: DENSE_CALIBRATION,
});

/** The calibration of a model family, or null when unknown: lexical evidence alone then decides. */
export function denseCalibration(family: string, tuning: Readonly<Tuning> = TUNING): DenseCalibration | null {
  return tuning.calibrations[family] ?? null;
}
