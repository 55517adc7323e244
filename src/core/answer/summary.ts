import type { LexicalIndex } from '../retrieval/index.js';
import type { Article } from '../types.js';
import { leansOnPrevious } from './answer.js';

/** Sentences shorter than this many index terms say too little to stand for the article (datelines, captions). */
const MIN_TERMS = 5;

/**
 * An extractive summary: the 3 to 5 sentences of the article that together cover most of what
 * it is about, verbatim and in the article's order, never generated text. What an article is
 * about is its terms weighted by how often it uses them and how rare they are in the corpus
 * (TF-IDF); sentences are taken greedily by the weight of the terms they add that the chosen
 * ones do not hold yet, per term they cost (so a long sentence is not chosen for its length).
 */
export function summarize(article: Article, lexical: LexicalIndex, size = summarySize(article)): string[] {
  const seen = new Set<string>();
  const sentences = article.paragraphs.flat().filter((s) => (seen.has(s) ? false : (seen.add(s), true)));
  const terms = sentences.map((s) => lexical.terms(s));
  const weight = termWeights(terms, lexical);
  const chosen: number[] = [];
  const covered = new Set<string>();
  while (chosen.length < size) {
    let best = -1;
    let bestGain = 0;
    terms.forEach((list, i) => {
      // A sentence that leans on the one before ("Elles renforceront…") is taken only after it.
      if (chosen.includes(i) || list.length < MIN_TERMS || (leansOnPrevious(sentences[i]!) && !chosen.includes(i - 1))) return;
      const fresh = new Set(list.filter((t) => !covered.has(t)));
      let gain = 0;
      for (const t of fresh) gain += weight.get(t) ?? 0;
      gain /= Math.sqrt(list.length);
      if (gain > bestGain) {
        best = i;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    chosen.push(best);
    for (const t of terms[best]!) covered.add(t);
  }
  return chosen.sort((a, b) => a - b).map((i) => sentences[i]!);
}

/** Three sentences for a short article, up to five for a long one (one per five sentences). */
export function summarySize(article: Article): number {
  return Math.max(3, Math.min(5, Math.round(article.paragraphs.flat().length / 5)));
}

/** The share of an article's TF-IDF weight the given sentences hold: how much of it they cover. */
export function coverageOf(article: Article, sentences: readonly string[], lexical: LexicalIndex): number {
  const weight = termWeights(article.paragraphs.flat().map((s) => lexical.terms(s)), lexical);
  const held = new Set(sentences.flatMap((s) => lexical.terms(s)));
  let total = 0;
  let found = 0;
  for (const [t, w] of weight) {
    total += w;
    if (held.has(t)) found += w;
  }
  return total === 0 ? 0 : found / total;
}

/** TF-IDF of an article's terms: each occurrence weighs the term's IDF (a term the corpus does not know, the rarest's). */
function termWeights(terms: readonly (readonly string[])[], lexical: LexicalIndex): Map<string, number> {
  const weight = new Map<string, number>();
  for (const list of terms) for (const t of list) weight.set(t, (weight.get(t) ?? 0) + (lexical.idf(t) || lexical.maxIdf));
  return weight;
}
