import { isStopWord, splitGlued, stemAccentFree, termsOf, words, type Vocabulary } from '../../text/index.js';

/**
 * The French analysis of one corpus, cached per distinct word. Stemming is most of the cost of
 * analysing text, and news repeats its words: a corpus of 100,000 passages has millions of word
 * occurrences but tens of thousands of distinct words, so each is stemmed (and checked for
 * gluing) once. Results are exactly `termsOf(word, vocabulary)`.
 *
 * The vocabulary (word counts over passage texts and titles) decides which words are glued
 * pairs; when it changes, {@link Analyzer.recount} says which cached words may now split
 * differently, and forgets them.
 */
export class Analyzer {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(readonly vocabulary: Map<string, number> = new Map()) {}

  /** Index terms of one word (its stem, and its parts' stems when glued); none for stop words. */
  termsOfWord(word: string): readonly string[] {
    let terms = this.cache.get(word);
    if (terms === undefined) {
      terms = termsOf(word, this.vocabulary as Vocabulary);
      this.cache.set(word, terms);
    }
    return terms;
  }

  /** All index terms of a text, in order (duplicates kept). Same as `analyze(text, vocabulary)`. */
  analyze(text: string): string[] {
    const out: string[] = [];
    for (const w of words(text)) for (const t of this.termsOfWord(w)) out.push(t);
    return out;
  }

  /** Seeds the cache with analyses computed earlier against the same vocabulary (a loaded index). */
  prime(word: string, terms: readonly string[]): void {
    this.cache.set(word, terms);
  }

  /** Every cached word and its terms, for persisting. */
  entries(): IterableIterator<[string, readonly string[]]> {
    return this.cache.entries();
  }

  /**
   * Counts `added` texts' words into the vocabulary and `removed` texts' words out of it. Returns
   * the cached words whose analysis changed, with their analysis before: only words that are,
   * start with or end with a recounted word can change, as `splitGlued` compares exactly those
   * counts.
   */
  recount(added: Iterable<string>, removed: Iterable<string>): Map<string, readonly string[]> {
    const changed = new Set<string>();
    const count = (texts: Iterable<string>, sign: number): void => {
      for (const text of texts) {
        for (const w of words(text)) {
          const n = (this.vocabulary.get(w) ?? 0) + sign;
          if (n > 0) this.vocabulary.set(w, n);
          else this.vocabulary.delete(w);
          changed.add(w);
        }
      }
    };
    count(removed, -1);
    count(added, 1);
    const out = new Map<string, readonly string[]>();
    if (changed.size === 0) return out;
    for (const [word, before] of this.cache) {
      // A stop word gives nothing whatever the counts; otherwise only the split can change
      // (termsOf: the word's stem, then its parts' stems when glued), so the stem is kept.
      if (before.length === 0 || (!changed.has(word) && !dependsOn(word, changed))) continue;
      const parts = splitGlued(word, this.vocabulary as Vocabulary);
      const after = [before[0]!];
      if (parts) for (const p of parts) if (!isStopWord(p)) after.push(stemAccentFree(p));
      if (after.length !== before.length || after.some((t, i) => t !== before[i])) {
        out.set(word, before);
        this.cache.set(word, after);
      }
    }
    return out;
  }
}

/** True when a split of `word` would look at the count of one of `changed` (a prefix or a suffix of it). */
function dependsOn(word: string, changed: ReadonlySet<string>): boolean {
  // splitGlued ignores short words and words with digits: their analysis never depends on counts.
  if (word.length < 5 || /\d/u.test(word)) return false;
  for (let i = 1; i < word.length - 1; i++) {
    if (changed.has(word.slice(0, i)) || changed.has(word.slice(i))) return true;
  }
  return false;
}

/** Word counts over texts, as {@link Analyzer} expects them. */
export function countWords(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}
