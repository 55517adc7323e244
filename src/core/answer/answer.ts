import { DANGLING_STARTS, SUBJECT_PRONOUNS } from '../lang/index.js';
import { narrowByTime, rankPassages, type LexicalIndex, type Retrievers } from '../retrieval/index.js';
import { findStatedDate, words, type LoadedCorpus, type Question } from '../text/index.js';
import type { Answer, Passage, Quote, RetrievalMode } from '../types.js';
import { coverage, questionWeights } from './coverage.js';
import { anchorsHeld, focusHeld, questionFocus, saysWhatIsAsked } from './focus.js';
import { denseCalibration, TUNING, type DenseCalibration, type Tuning } from './tuning.js';

/**
 * Sentences that lean on the one before for their subject (lang/sentence-starts.ts): quoted alone
 * they say nothing. Also those whose subject is a pronoun after a short opening phrase ("Dans son
 * message, il a affirmé…").
 */
const DANGLING_START = new RegExp(`^(?:(?:${DANGLING_STARTS.join('|')})\\b|[^,.;:]{3,40}, (?:${SUBJECT_PRONOUNS.join('|')}) )`, 'u');

/** True when a sentence leans on the one before for its subject ("Il a ajouté…", "Les deux parties…"). */
export function leansOnPrevious(sentence: string): boolean {
  return DANGLING_START.test(sentence);
}

interface Candidate {
  passage: Passage;
  /** Index of the sentence in its passage. */
  index: number;
  sentence: string;
  /** The text to quote: the sentence, with the one before it when it cannot stand alone. */
  quote: string;
  coverage: number;
  dense: number | null;
  /** How strongly the sentence is about the question's topic; compared with the answer threshold. */
  evidence: number;
  /** Share of the question's focus it holds (answer/focus.ts). */
  held: number;
  /** Its similarity on the model's scale, null without a calibrated model. */
  meaning: number | null;
  /** Evidence plus what only orders sentences (a stated date for "when", the passage's rank). */
  score: number;
}

export interface AnswerOptions {
  /** Retrieval mode; by default the best the retrievers can do. */
  mode?: RetrievalMode;
  /** What decides whether and what to answer; the model's calibration is `tuning.calibrations[family]`. */
  tuning?: Readonly<Tuning>;
}

/**
 * Question → answer: rank passages, pick the sentences that answer, quote them verbatim
 * with their article's date, or abstain when the evidence is weak.
 */
export async function answerQuestion(
  asked: Question,
  corpus: LoadedCorpus,
  retrievers: Retrievers,
  answerOptions: AnswerOptions = {},
): Promise<Answer> {
  const options = answerOptions.tuning ?? TUNING;
  const question = asked.text;
  // Time words ("en septembre 2024", "latest") narrow the candidates below (time-filter.ts); they are not what the question is about.
  const { topic } = asked.time;
  const ranked = await rankPassages(topic, retrievers, options.rankDepth, answerOptions.mode);
  const model = ranked.mode === 'lexical' ? null : (retrievers.dense?.modelName ?? null);
  const otherLanguage = corpus.languages.length > 0 && !corpus.languages.includes(asked.lang);
  const family = retrievers.dense?.family;
  const calibration = ranked.mode === 'lexical' || family === undefined ? null : denseCalibration(family, options);
  // The fused top, and each retriever's own top: a passage only one of them finds (an English
  // question's answer found by meaning alone, a rare name found by BM25 alone) still competes.
  const retrieved = [...new Set([...ranked.ids.slice(0, options.candidatePassages), ...ranked.dense.slice(0, options.candidatesPerRetriever), ...ranked.lexical.slice(0, options.candidatesPerRetriever)])]
    .map((id) => corpus.passageById.get(id))
    .filter((p): p is Passage => p !== undefined);
  // A follow-up ("Qu'est-ce qu'ils ont signé ?") is most often answered elsewhere in the articles just quoted: all their passages compete.
  if (asked.context && asked.context.preferArticles.size > 0) {
    const have = new Set(retrieved.map((p) => p.id));
    for (const p of passagesOf(corpus, asked.context.preferArticles)) if (!have.has(p.id)) retrieved.push(p);
  }
  // Time narrowing (time-filter.ts): a period in the question keeps that period's passages; "latest" favours the newest.
  const time = narrowByTime(asked.time, retrieved, ranked.ids, corpus, options.latestBonus);
  const candidates = time.passages;
  const pointers = [...new Set(candidates.map((p) => p.title))].slice(0, options.maxPointers);

  const focus = questionFocus(topic, retrievers.lexical, candidates, options.unknownWordWeight, asked.context?.asks);
  const weights = questionWeights(topic, retrievers.lexical, options.unknownWordWeight);
  // A question that asks for a time: the sentence stating a date is the better quote.
  const wantsDate = focus.asked.kind === 'date';
  const termsOf = termCache(retrievers.lexical, corpus);
  const languageWeights = calibration ? (otherLanguage ? calibration.otherLanguage : calibration.sameLanguage) : null;
  const scored: Candidate[] = [];
  candidates.forEach((passage, rank) => {
    const passageTerms = termsOf(passage.text);
    const articleTerms = termsOf(`article:${passage.articleId}`);
    passage.sentences.forEach((sentence, index) => {
      // Score what would be quoted: a dangling sentence is judged together with the one it leans on.
      const quote = quoteText(passage, index, corpus);
      const cov = coverage(weights, { sentence: termsOf(quote), passage: passageTerms, article: articleTerms }, options.coverageCredit);
      const dense = ranked.queryVector ? meaningSimilarity(sentence, passage, ranked.queryVector, retrievers, calibration) : null;
      const meaning = calibration && dense !== null ? meaningOf(dense, calibration) : null;
      const evidence = evidenceOf(cov, meaning, calibration, ranked.mode, otherLanguage);
      const held = focusHeld(focus, termsOf(quote), passageTerms, options);
      // Without a calibrated model, coverage decides and dense similarity only breaks ties.
      let score = evidence + (calibration ? 0 : (dense ?? 0) * options.uncalibratedDenseShare) + options.passageRankBonus / (rank + 1);
      // The sentence that holds what is asked about its names comes before one that holds only
      // the names, or only the words of what is asked about someone else.
      // (Scaled by the square root of the anchors held: one that leans on its passage for the names keeps most of it; docs/evaluation.md.)
      score += options.focus.orderWeight * held * Math.sqrt(anchorsHeld(focus, termsOf(quote), passageTerms, articleTerms, options));
      if (wantsDate && findStatedDate(sentence)) score += options.dateQuestionBonus;
      score += time.bonus(passage);
      if (asked.context?.preferArticles.has(passage.articleId)) score += options.followUpArticleBonus;
      if (asked.context?.avoidQuotes.has(quote)) return;
      scored.push({ passage, index, sentence, quote, coverage: cov, dense, evidence, held, meaning, score });
    });
  });

  scored.sort((a, b) => b.score - a.score);

  // About the topic: evidence enough. An answer: about the topic, and saying what is asked.
  const threshold = answerThreshold(options, calibration, ranked.mode, otherLanguage);
  const related = scored.filter((c) => c.evidence >= threshold);
  // Judged in order, only as far as needed: the best sentences decide, the rest are never read.
  const judged = new Map<Candidate, boolean>();
  const answers = (c: Candidate): boolean => {
    let v = judged.get(c);
    if (v === undefined) judged.set(c, (v = saysWhatIsAsked(focus, c.quote, c.passage, c.held, c.meaning, languageWeights, otherLanguage, options)));
    return v;
  };
  const best = related.find(answers) ?? related[0];
  if (!best) {
    return { question, answered: false, match: 'nothing', mode: ranked.mode, model, results: [], pointers, articleLanguages: otherLanguage ? [...corpus.languages] : null };
  }
  const match = answers(best) ? 'answer' : 'related';
  // The quotes follow the best sentence about the topic (that answers, for an answer), then those close to it.
  const after = scored.slice(scored.indexOf(best));
  const results = quotesOf(after, best, match === 'answer' ? answers : () => true, options);
  return { question, answered: true, match, mode: ranked.mode, model, results, pointers, articleLanguages: null };
}

/** The quotes to show, best first: the sentences close to the best one that `keep` accepts, each statement once. */
function quotesOf(scored: readonly Candidate[], best: Candidate, keep: (c: Candidate) => boolean, options: Readonly<Tuning>): Quote[] {
  const results: Quote[] = [];
  const seen: string[] = [];
  for (const c of scored) {
    if (results.length >= options.maxQuotes) break;
    // Once the best sentence answers, others close to it are worth showing too.
    if (c.score < best.score * options.secondaryQuoteRatio) break;
    if (!keep(c)) continue;
    const text = c.quote;
    const key = words(text).join(' ');
    // The seeds repeat leads and captions word for word: one copy of a statement is enough.
    if (seen.some((s) => s.includes(key))) continue;
    // A quote that holds an earlier one and goes on (the sentence a pronoun leans on, then the
    // statement) says more: it takes the earlier one's place.
    const shorter = seen.findIndex((s) => key.includes(s));
    const quote: Quote = {
      quote: text,
      source: c.passage.file,
      title: c.passage.title,
      date: c.passage.date,
      dateText: c.passage.dateText,
      link: c.passage.link,
      score: Math.round(c.score * 1000) / 1000,
      passageId: c.passage.id,
      articleId: c.passage.articleId,
      position: c.passage.position,
    };
    if (shorter >= 0) {
      seen[shorter] = key;
      results[shorter] = { ...quote, score: results[shorter]!.score };
    } else {
      seen.push(key);
      results.push(quote);
    }
  }
  return results;
}

/**
 * How strongly a sentence answers. Lexically, the share of what the question is about that it
 * holds (coverage). With a calibrated model, coverage and meaning weighed together (see
 * `DENSE_CALIBRATION`): either can make up for the other, and either can veto.
 */
function evidenceOf(coverage: number, meaning: number | null, calibration: DenseCalibration | null, mode: RetrievalMode, otherLanguage: boolean): number {
  if (!calibration || meaning === null) return coverage;
  if (mode === 'dense') return meaning;
  const { lexicalWeight } = otherLanguage ? calibration.otherLanguage : calibration.sameLanguage;
  return lexicalWeight * coverage + (1 - lexicalWeight) * meaning;
}

/** A cosine read on the model's scale: 0 at `unrelated`, 1 at `same`. */
function meaningOf(dense: number, calibration: DenseCalibration): number {
  return (dense - calibration.unrelated) / (calibration.same - calibration.unrelated);
}

function answerThreshold(options: Readonly<Tuning>, calibration: DenseCalibration | null, mode: RetrievalMode, otherLanguage: boolean): number {
  if (!calibration) return options.minLexicalCoverage;
  if (mode === 'dense') return calibration.minDenseEvidence;
  return (otherLanguage ? calibration.otherLanguage : calibration.sameLanguage).minEvidence;
}

/** The sentence, preceded by the one before it when it cannot stand alone. */
function quoteText(passage: Passage, index: number, corpus: LoadedCorpus): string {
  const sentence = passage.sentences[index]!;
  if (!DANGLING_START.test(sentence)) return sentence;
  const paragraph = corpus.articleById.get(passage.articleId)?.paragraphs[passage.paragraph] ?? passage.sentences;
  const at = paragraph.indexOf(sentence);
  const before = at > 0 ? paragraph[at - 1] : index > 0 ? passage.sentences[index - 1] : undefined;
  return before ? `${before} ${sentence}` : sentence;
}

/** The passages of some articles, in corpus order (a store that holds no passage text has none to give). */
function passagesOf(corpus: LoadedCorpus, articles: ReadonlySet<string>): Passage[] {
  let byArticle = passagesByArticle.get(corpus);
  if (!byArticle) {
    byArticle = new Map();
    for (const p of corpus.passages) {
      const list = byArticle.get(p.articleId);
      if (list) list.push(p);
      else byArticle.set(p.articleId, [p]);
    }
    passagesByArticle.set(corpus, byArticle);
  }
  return [...articles].flatMap((a) => byArticle!.get(a) ?? []);
}
const passagesByArticle = new WeakMap<LoadedCorpus, Map<string, Passage[]>>();

/**
 * Term sets, computed once per text for the life of the corpus. `article:<id>` keys the
 * whole article's text (title and all its sentences).
 */
function termCache(lexical: LexicalIndex, corpus: LoadedCorpus): (text: string) => ReadonlySet<string> {
  let cache = termCaches.get(corpus);
  if (!cache) termCaches.set(corpus, (cache = new Map()));
  const store = cache;
  return (text) => {
    let terms = store.get(text);
    if (!terms) {
      const article = text.startsWith('article:') ? corpus.articleById.get(text.slice(8)) : undefined;
      const source = article ? [article.title, ...article.paragraphs.flat()].join(' ') : text;
      terms = new Set(lexical.terms(source));
      store.set(text, terms);
    }
    return terms;
  };
}
const termCaches = new WeakMap<LoadedCorpus, Map<string, ReadonlySet<string>>>();

/**
 * Question–sentence similarity. A sentence read alone loses what its passage says around it
 * (who "il" is, what "le texte" is), so with a calibrated model the passage's similarity is
 * blended in (`passageShare`).
 */
function meaningSimilarity(sentence: string, passage: Passage, query: number[], retrievers: Retrievers, calibration: DenseCalibration | null): number | null {
  const sentenceVector = retrievers.dense?.sentenceVector(sentence);
  if (!sentenceVector) return null;
  const own = dot(sentenceVector, query);
  const passageVector = calibration ? retrievers.dense?.passageVector(passage.id) : undefined;
  if (!calibration || !passageVector) return own;
  return (1 - calibration.passageShare) * own + calibration.passageShare * dot(passageVector, query);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
