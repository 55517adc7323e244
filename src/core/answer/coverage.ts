import { DEFAULTS } from './tuning.js';
import type { LexicalIndex } from '../retrieval/index.js';

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

const { sentence: SENTENCE_CREDIT, passage: PASSAGE_CREDIT, article: ARTICLE_CREDIT, typo: TYPO_CREDIT, root: ROOT_CREDIT, spelling: SPELLING_CREDIT } = DEFAULTS.coverageCredit;
const ROOT_LENGTH = 6;
const UNKNOWN_WORD_WEIGHT = 1;

export function questionWeights(question: string, lexical: LexicalIndex): TermWeight[] {
  const terms = [...new Set(lexical.terms(question))];
  // A topic word the corpus never uses ("salaire", "habitants", "Oslo") is the strongest sign
  // that the question is about something else: it outweighs even the corpus's rarest word.
  const unknownWeight = UNKNOWN_WORD_WEIGHT * lexical.maxIdf;
  return terms.map((term) => ({ term, weight: lexical.idf(term) || unknownWeight }));
}

/** How well `term` is matched in `terms`: 1 exact, less for a typo or a shared root, 0 otherwise. */
export function matchCredit(term: string, terms: ReadonlySet<string>): number {
  if (terms.has(term)) return 1;
  let best = 0;
  for (const t of terms) {
    if (term.length >= 6 && withinOneEdit(t, term)) best = Math.max(best, TYPO_CREDIT);
    else if (sharesRoot(t, term)) best = Math.max(best, ROOT_CREDIT);
    else if (term.length >= 8 && trigramDice(t, term) >= 0.5) best = Math.max(best, SPELLING_CREDIT);
    // Nothing short of an exact match beats a typo: the rest of the set cannot change the answer.
    if (best === TYPO_CREDIT) break;
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
function creditIn(term: string, terms: ReadonlySet<string>): number {
  let memo = credits.get(terms);
  if (!memo) credits.set(terms, (memo = new Map()));
  let credit = memo.get(term);
  if (credit === undefined) {
    credit = matchCredit(term, terms);
    if (memo.size >= 512) memo.clear();
    memo.set(term, credit);
  }
  return credit;
}
const credits = new WeakMap<ReadonlySet<string>, Map<string, number>>();

/** IDF-weighted share of the question found in the sentence, or around it at a discount. */
export function coverage(weights: readonly TermWeight[], levels: EvidenceLevels): number {
  const total = weights.reduce((s, w) => s + w.weight, 0);
  if (total === 0) return 0;
  let found = 0;
  for (const { term, weight } of weights) {
    const credit = Math.max(
      creditIn(term, levels.sentence) * SENTENCE_CREDIT,
      creditIn(term, levels.passage) * PASSAGE_CREDIT,
      creditIn(term, levels.article) * ARTICLE_CREDIT,
    );
    found += weight * credit;
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
