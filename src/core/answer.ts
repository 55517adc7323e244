import type { LoadedCorpus } from './corpus.js';
import { findStatedDate } from './dates.js';
import { DEFAULTS, type Defaults } from './defaults.js';
import { coverage, questionWeights } from './coverage.js';
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
  /** The text to quote: the sentence, with the one before it when it cannot stand alone. */
  quote: string;
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

  const weights = questionWeights(question, retrievers.lexical);
  const wantsDate = ASKS_FOR_DATE.test(question);
  const termsOf = termCache(retrievers.lexical, corpus);
  const scored: Candidate[] = [];
  candidates.forEach((passage, rank) => {
    const passageTerms = termsOf(passage.text);
    const articleTerms = termsOf(`article:${passage.articleId}`);
    passage.sentences.forEach((sentence, index) => {
      // Score what would be quoted: a dangling sentence is judged together with the one it leans on.
      const quote = quoteText(passage, index, corpus);
      const cov = coverage(weights, { sentence: termsOf(quote), passage: passageTerms, article: articleTerms });
      const vector = ranked.queryVector && retrievers.dense?.sentenceVector(sentence);
      const dense = vector && ranked.queryVector ? dot(vector, ranked.queryVector) : null;
      // Coverage decides; dense similarity and the passage's rank break ties between sentences.
      let score = cov + (dense ?? 0) * 0.5 + 0.02 / (rank + 1);
      if (wantsDate && findStatedDate(sentence)) score += DATE_BONUS;
      scored.push({ passage, index, sentence, quote, coverage: cov, dense, score });
    });
  });

  scored.sort((a, b) => b.score - a.score);

  const best = scored[0];
  if (!best || !isConfident(best, options, retrievers.dense?.minSimilarity ?? null)) {
    return { question, answered: false, mode: ranked.mode, results: [], pointers };
  }

  const results: Quote[] = [];
  const seen: string[] = [];
  for (const c of scored) {
    if (results.length >= options.maxQuotes) break;
    // Once the best sentence answers, others close to it are worth showing too.
    if (c.score < best.score * options.secondaryQuoteRatio) break;
    const text = c.quote;
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
 * A sentence answers when it holds enough of what the question is about (see
 * `minLexicalCoverage`), or, with a model whose similarities are known, when its meaning is close enough.
 */
function isConfident(c: Candidate, options: Defaults, minSimilarity: number | null): boolean {
  return c.coverage >= options.minLexicalCoverage || (minSimilarity !== null && c.dense !== null && c.dense >= minSimilarity);
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

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
