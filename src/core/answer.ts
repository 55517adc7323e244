import type { LoadedCorpus } from './corpus.js';
import { findStatedDate } from './dates.js';
import { DEFAULTS, type Defaults } from './defaults.js';
import { words } from './french.js';
import type { LexicalIndex } from './lexical.js';
import { cleanQuestion } from './question.js';
import { rankPassages, type Retrievers } from './retrieve.js';
import type { Answer, Passage, Quote } from './types.js';

/** Sentences that lean on the one before for their subject: quoted alone they say nothing. */
const DANGLING_START =
  /^(?:Il|Elle|Ils|Elles|Lui|Leur|Ce|Cet|Cette|Ces|Cela|Celui-ci|Celle-ci|Les deux (?:parties|ministres|pays|dirigeants)|Selon (?:lui|elle)|Par conséquent|Car|Plus largement|Parallèlement|Dans ce contexte|Pour sa part)\b/u;

/** Questions that ask for a time: the sentence stating a date is then the better quote. */
const ASKS_FOR_DATE = /\b(?:quand|date|when|what day|which day|what year|quel jour|quelle année|en quelle année|depuis quand)\b/iu;
const DATE_BONUS = 0.15;

interface Candidate {
  passage: Passage;
  /** Index of the sentence in its passage. */
  index: number;
  sentence: string;
  coverage: number;
  dense: number | null;
  score: number;
}

/**
 * Question → answer: rank passages, pick the sentences that answer, quote them verbatim
 * with their article's date, or abstain when the evidence is weak.
 */
export async function answerQuestion(
  rawQuestion: string,
  corpus: LoadedCorpus,
  retrievers: Retrievers,
  options: Defaults = DEFAULTS,
): Promise<Answer> {
  const question = cleanQuestion(rawQuestion, options.maxQuestionChars);
  const ranked = await rankPassages(question, retrievers, options.rankDepth);
  const candidates = ranked.ids
    .slice(0, options.candidatePassages)
    .map((id) => corpus.passageById.get(id))
    .filter((p): p is Passage => p !== undefined);
  const pointers = [...new Set(candidates.map((p) => p.title))].slice(0, 3);

  const weights = termWeights(question, retrievers.lexical);
  const wantsDate = ASKS_FOR_DATE.test(question);
  const scored: Candidate[] = [];
  candidates.forEach((passage, rank) => {
    passage.sentences.forEach((sentence, index) => {
      const coverage = lexicalCoverage(weights, sentence, retrievers.lexical);
      const vector = ranked.queryVector && retrievers.dense?.sentenceVector(sentence);
      const dense = vector && ranked.queryVector ? dot(vector, ranked.queryVector) : null;
      // Coverage decides; dense similarity and the passage's rank break ties between sentences.
      let score = coverage + (dense ?? 0) * 0.5 + 0.02 / (rank + 1);
      if (wantsDate && findStatedDate(sentence)) score += DATE_BONUS;
      scored.push({ passage, index, sentence, coverage, dense, score });
    });
  });
  scored.sort((a, b) => b.score - a.score);

  const best = scored[0];
  if (!best || !isConfident(best, options)) {
    return { question, answered: false, mode: ranked.mode, results: [], pointers };
  }

  const results: Quote[] = [];
  const seen: string[] = [];
  for (const c of scored) {
    if (results.length >= options.maxQuotes) break;
    if (c.score < best.score * options.secondaryQuoteRatio || !isConfident(c, options)) break;
    const text = quoteText(c, corpus);
    const key = words(text).join(' ');
    // The seeds repeat leads and captions word for word: one copy of a statement is enough.
    if (seen.some((s) => s.includes(key) || key.includes(s))) continue;
    seen.push(key);
    results.push({
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
    });
  }
  return { question, answered: true, mode: ranked.mode, results, pointers };
}

/**
 * The thresholds were calibrated on test/eval/questions.jsonl (see README, "Abstention"):
 * a sentence answers when it holds most of what the question is about (IDF-weighted), or,
 * with a model loaded, when its meaning is close enough.
 */
function isConfident(c: Candidate, options: Defaults): boolean {
  return c.coverage >= options.minLexicalCoverage || (c.dense !== null && c.dense >= options.minDenseSimilarity);
}

/** The sentence, preceded by the one before it when it cannot stand alone. */
function quoteText(c: Candidate, corpus: LoadedCorpus): string {
  if (!DANGLING_START.test(c.sentence)) return c.sentence;
  const paragraph = corpus.articleById.get(c.passage.articleId)?.paragraphs[c.passage.paragraph] ?? c.passage.sentences;
  const at = paragraph.indexOf(c.sentence);
  const before = at > 0 ? paragraph[at - 1] : c.index > 0 ? c.passage.sentences[c.index - 1] : undefined;
  return before ? `${before} ${c.sentence}` : c.sentence;
}

interface TermWeight {
  term: string;
  weight: number;
}

function termWeights(question: string, lexical: LexicalIndex): TermWeight[] {
  const terms = [...new Set(lexical.terms(question))];
  const known = terms.map((t) => lexical.idf(t)).filter((w) => w > 0);
  // A word the corpus never uses is as telling as its rarest word: missing it counts fully.
  const unknownWeight = known.length > 0 ? Math.max(...known) : 1;
  return terms.map((term) => ({ term, weight: lexical.idf(term) || unknownWeight }));
}

/** Share of the question's term weight found in the sentence; a one-letter typo counts at a discount. */
function lexicalCoverage(weights: TermWeight[], sentence: string, lexical: LexicalIndex): number {
  const total = weights.reduce((s, w) => s + w.weight, 0);
  if (total === 0) return 0;
  const terms = new Set(lexical.terms(sentence));
  let found = 0;
  for (const { term, weight } of weights) {
    if (terms.has(term)) found += weight;
    else if (term.length >= 6 && [...terms].some((t) => withinOneEdit(t, term))) found += weight * 0.8;
  }
  return found / total;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
