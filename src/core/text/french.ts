import { createRequire } from 'node:module';
import type * as Snowball from 'snowball-stemmers';
import type * as Stopword from 'stopword';
import { ENGLISH_WORDS_KEPT, QUESTION_WORDS } from '../lang/index.js';

/**
 * French text analysis for lexical search: words, elisions, stop words, Snowball stems,
 * accent-insensitive. Also mends words glued together where the source lost a line break
 * ("dansla", "dupartenariat", "decorps"), given the corpus's vocabulary.
 */

/**
 * The stemmer and the stop-word lists are loaded the first time a word not analysed before needs
 * them: they take a good part of a second to load, and a start whose index already holds the
 * analysis of every word it meets never needs them. Both are CommonJS, so a synchronous require.
 */
const require = createRequire(import.meta.url);
let stemmer: Snowball.Stemmer | null = null;
const frenchStemmer = (): Snowball.Stemmer => (stemmer ??= (require('snowball-stemmers') as typeof Snowball).newStemmer('french'));
const stripAccents = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

// Stop words: Snowball's French list, the question words of lang/, and English function words
// (users ask in English, and in a French corpus they only add noise) but those that are also
// parts of names or French words here.
const ENGLISH_KEPT = new Set(ENGLISH_WORDS_KEPT);
let stopWords: ReadonlySet<string> | null = null;
function stopWordSet(): ReadonlySet<string> {
  if (!stopWords) {
    const { eng: ENGLISH_STOP_WORDS, fra: FRENCH_STOP_WORDS } = require('stopword') as typeof Stopword;
    stopWords = new Set([...FRENCH_STOP_WORDS, ...QUESTION_WORDS, ...ENGLISH_STOP_WORDS.filter((w) => !ENGLISH_KEPT.has(w))].map((w) => stripAccents(w.toLowerCase())));
  }
  return stopWords;
}

/** Short words that the source glues to the next or previous word. */
export const GLUE_WORDS = new Set(['a', 'au', 'aux', 'dans', 'de', 'des', 'du', 'en', 'et', 'la', 'le', 'les', 'sur', 'par', 'pour', 'entre', 'avec']);

const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/u;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
/** Where letters meet digits: the seeds glue "APEC2017" that questions write "APEC 2017". */
const LETTER_DIGIT = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;

/**
 * Lowercased, accent-free word forms, elisions removed, in order. Stop words kept.
 * Letters and digits are separate words ("APEC2017" is "apec", "2017"), so both spellings match.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokens(text)) {
    let parts = wordParts.get(raw);
    if (parts === undefined) {
      const lower = raw.toLowerCase().replace(ELISION, '');
      parts = [];
      for (const part of lower.split(/['’]/u)) for (const w of part.split(LETTER_DIGIT)) if (w) parts.push(stripAccents(w));
      // Questions can bring any string: the cache is bounded (a corpus has far fewer distinct tokens).
      if (wordParts.size >= MAX_CACHED_TOKENS) wordParts.clear();
      wordParts.set(raw, parts);
    }
    for (const w of parts) out.push(w);
  }
  return out;
}

/**
 * The matches of {@link WORD} in `text`, found by a scan instead of the regular expression
 * (several times faster on long texts): runs of letters and digits, joined by an apostrophe
 * that has letters or digits on both sides.
 */
function* tokens(text: string): Generator<string> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let w = wordCharWidth(text, i);
    if (w === 0) {
      i += text.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    for (;;) {
      while (w > 0) {
        i += w;
        w = i < n ? wordCharWidth(text, i) : 0;
      }
      const c = text.charCodeAt(i);
      if ((c === 0x27 || c === 0x2019) && i + 1 < n) {
        const after = wordCharWidth(text, i + 1);
        if (after > 0) {
          i += 1;
          w = after;
          continue;
        }
      }
      break;
    }
    yield text.slice(start, i);
  }
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const wordCharCache = new Map<number, boolean>();

/** Width in UTF-16 units of the letter or digit at `i` (1 or 2), or 0 when it is neither. */
function wordCharWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ? 1 : 0;
  const cp = text.codePointAt(i)!;
  let isWord = wordCharCache.get(cp);
  if (isWord === undefined) {
    isWord = LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
    wordCharCache.set(cp, isWord);
  }
  return isWord ? (cp > 0xffff ? 2 : 1) : 0;
}

/**
 * The word forms of each distinct token, as written: Unicode normalisation per token is the
 * costly part of splitting text into words, and news text repeats its tokens.
 */
const wordParts = new Map<string, string[]>();
const MAX_CACHED_TOKENS = 500_000;

export function isStopWord(word: string): boolean {
  return stopWordSet().has(word);
}

export function stem(word: string): string {
  return frenchStemmer().stem(word);
}

/** Counts of word forms, used to recognise glued words. */
export type Vocabulary = ReadonlyMap<string, number>;

export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/**
 * Splits a word that is two words glued together, or returns null. A split needs a glue word
 * on one side ("dans"+"la", "du"+"partenariat", "entretien"+"le") and, on the other, a word
 * the corpus uses more often on its own than the glued form occurs; or two content words
 * that both occur on their own ("representation"+"diplomatique").
 */
export function splitGlued(word: string, vocabulary: Vocabulary): [string, string] | null {
  if (word.length < 5 || /\d/u.test(word)) return null;
  const own = vocabulary.get(word) ?? 0;
  let best: [string, string] | null = null;
  let bestScore = 0;
  for (let i = 1; i < word.length - 1; i++) {
    const left = word.slice(0, i);
    const right = word.slice(i);
    const l = vocabulary.get(left) ?? 0;
    const r = vocabulary.get(right) ?? 0;
    let score = 0;
    if (GLUE_WORDS.has(left) && right.length >= 3 && r > own) score = r;
    else if (GLUE_WORDS.has(right) && left.length >= 4 && l > own) score = l;
    else if (left.length >= 4 && right.length >= 4 && l > own && r > own && !GLUE_WORDS.has(left)) score = Math.min(l, r);
    if (score > bestScore) {
      best = [left, right];
      bestScore = score;
    }
  }
  return best;
}

/**
 * Index terms for one word: its stem, plus the stems of its parts when it is glued.
 * Stop words give nothing.
 */
export function termsOf(word: string, vocabulary: Vocabulary): string[] {
  if (isStopWord(word)) return [];
  const parts = splitGlued(word, vocabulary);
  const terms = [stemAccentFree(word)];
  if (parts) for (const p of parts) if (!isStopWord(p)) terms.push(stemAccentFree(p));
  return terms;
}

/** The index term of one word: its Snowball stem, accents removed. */
export function stemAccentFree(word: string): string {
  return stripAccents(stem(word));
}

/** All index terms of a text, in order (duplicates kept: BM25 counts them). */
export function analyze(text: string, vocabulary: Vocabulary): string[] {
  return words(text).flatMap((w) => termsOf(w, vocabulary));
}
