import type { LexicalIndex } from '../retrieval/index.js';
import type { CoverageCredit } from './tuning.js';

/** A question term and how much it tells (IDF). */
export interface TermWeight {
  term: string;
  weight: number;
}

/** Term sets of a sentence and of the text around it, with the credit each level gives. */
export interface EvidenceLevels {
  sentence: ReadonlySet<string>;
  passage: ReadonlySet<string>;
  article: ReadonlySet<string>;
}

/** Letters two words must share at their start to share a root (nécessaire / nécessité). */
const ROOT_LENGTH = 6;
/** Shortest word whose one-letter typo still names it: shorter words have too many neighbours. */
const TYPO_MIN_LENGTH = 6;
/** Shortest word compared by spelling (character trigrams): long names transliterated two ways. */
const SPELLING_MIN_LENGTH = 8;
const SPELLING_MIN_DICE = 0.5;

/** The question's terms, each weighted by its IDF; `unknownWordWeight` for a word the corpus never uses (see Tuning). */
export function questionWeights(question: string, lexical: LexicalIndex, unknownWordWeight: number): TermWeight[] {
  return termWeights([...new Set(lexical.terms(question))], lexical, unknownWordWeight);
}

/** Terms weighted by their IDF; `unknownWordWeight` × the rarest word's IDF for one the corpus never uses. */
export function termWeights(terms: readonly string[], lexical: LexicalIndex, unknownWordWeight: number): TermWeight[] {
  const unknownWeight = unknownWordWeight * lexical.maxIdf;
  return terms.map((term) => ({ term, weight: lexical.idf(term) || unknownWeight }));
}

/** How well `term` is matched in `terms`: 1 exact, less for a typo or a shared root, 0 otherwise. */
function matchCredit(term: string, terms: ReadonlySet<string>, credit: Readonly<CoverageCredit>): number {
  if (terms.has(term)) return 1;
  // Nothing short of an exact match beats the largest near-match credit: once found, the rest of the set cannot change the answer.
  const ceiling = Math.max(credit.typo, credit.root, credit.spelling);
  let best = 0;
  for (const t of terms) {
    if (term.length >= TYPO_MIN_LENGTH && withinOneEdit(t, term)) best = Math.max(best, credit.typo);
    else if (sharesRoot(t, term)) best = Math.max(best, credit.root);
    else if (term.length >= SPELLING_MIN_LENGTH && trigramDice(t, term) >= SPELLING_MIN_DICE) best = Math.max(best, credit.spelling);
    if (best === ceiling) break;
  }
  return best;
}

/** Share of character trigrams two words have in common (Dice): "patrouchev" / "patrushev". */
function trigramDice(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size || 1);
}

/** A word's character trigrams, computed once per word (bounded: questions bring arbitrary words). */
function trigrams(w: string): ReadonlySet<string> {
  let grams = trigramCache.get(w);
  if (!grams) {
    grams = new Set(Array.from({ length: Math.max(0, w.length - 2) }, (_, i) => w.slice(i, i + 3)));
    if (trigramCache.size >= 100_000) trigramCache.clear();
    trigramCache.set(w, grams);
  }
  return grams;
}
const trigramCache = new Map<string, ReadonlySet<string>>();

/**
 * {@link matchCredit}, remembered per term set: the answer pipeline's term sets (a sentence's,
 * a passage's, an article's) are built once and never changed, and every candidate sentence of
 * an article scans the same article set for the same question terms.
 */
function creditIn(term: string, terms: ReadonlySet<string>, credit: Readonly<CoverageCredit>): number {
  let byTerms = credits.get(credit);
  if (!byTerms) credits.set(credit, (byTerms = new WeakMap()));
  let memo = byTerms.get(terms);
  if (!memo) byTerms.set(terms, (memo = new Map()));
  let found = memo.get(term);
  if (found === undefined) {
    found = matchCredit(term, terms, credit);
    if (memo.size >= 512) memo.clear();
    memo.set(term, found);
  }
  return found;
}
/** Per credit table (a sweep may vary it), per term set, per term. */
const credits = new WeakMap<Readonly<CoverageCredit>, WeakMap<ReadonlySet<string>, Map<string, number>>>();

/** IDF-weighted share of the question found in the sentence, or around it at a discount. */
export function coverage(weights: readonly TermWeight[], levels: EvidenceLevels, credit: Readonly<CoverageCredit>): number {
  const total = weights.reduce((s, w) => s + w.weight, 0);
  if (total === 0) return 0;
  let found = 0;
  for (const { term, weight } of weights) {
    const best = Math.max(
      creditIn(term, levels.sentence, credit) * credit.sentence,
      creditIn(term, levels.passage, credit) * credit.passage,
      creditIn(term, levels.article, credit) * credit.article,
    );
    found += weight * best;
  }
  return found / total;
}

/** Same root: 6+ letters in common at the start, or one stem a 5+ letter prefix of the other ("ratif" / "ratifi"). */
function sharesRoot(a: string, b: string): boolean {
  const common = sharedPrefix(a, b);
  return common >= ROOT_LENGTH || (common >= 5 && common === Math.min(a.length, b.length));
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const i = sharedPrefix(a, b);
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}
