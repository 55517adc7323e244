import MiniSearch from 'minisearch';
import { analyze, buildVocabulary, termsOf, words, type Vocabulary } from './french.js';
import type { Passage } from './types.js';

export interface LexicalHit {
  id: string;
  /** BM25 score (MiniSearch's BM25+), comparable only within one query. */
  score: number;
}

/** BM25 over passages with French analysis. Rebuilt at start-up: it takes milliseconds. */
export interface LexicalIndex {
  search(query: string, k: number): LexicalHit[];
  /** Index terms of a text, with the same analysis as the index. */
  terms(text: string): string[];
  /** Inverse document frequency of a term over passages (0 for unknown terms). */
  idf(term: string): number;
  /** The IDF of the rarest terms (those in one passage). */
  maxIdf: number;
}

/**
 * Fuzzy matching forgives one edit in a longer word ("Séurité", "tranformation") at a
 * discount; short words must match exactly or they match everything.
 */
const fuzzy = (term: string): number | false => (term.length >= 6 ? 0.2 : false);

/** BM25's IDF. */
const idfOf = (df: number, n: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export function buildLexicalIndex(passages: readonly Passage[]): LexicalIndex {
  const vocabulary: Vocabulary = buildVocabulary(passages.flatMap((p) => [p.text, p.title]));
  const search = new MiniSearch<{ id: string; text: string; title: string }>({
    fields: ['text', 'title'],
    tokenize: (text) => words(text),
    processTerm: (word) => {
      const terms = termsOf(word, vocabulary);
      return terms.length === 0 ? null : terms;
    },
    searchOptions: {
      // The title is shared by every passage of an article: it should tip the balance, not decide it.
      boost: { text: 1, title: 0.3 },
      fuzzy,
      prefix: false,
      combineWith: 'OR',
    },
  });
  search.addAll(passages.map((p) => ({ id: p.id, text: p.text, title: p.title })));

  const documentFrequency = new Map<string, number>();
  for (const p of passages) for (const t of new Set(analyze(`${p.title} ${p.text}`, vocabulary))) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const n = passages.length;

  return {
    search(query, k) {
      return search
        .search(query)
        .slice(0, k)
        .map((r) => ({ id: String(r.id), score: r.score }));
    },
    terms: (text) => analyze(text, vocabulary),
    idf(term) {
      const df = documentFrequency.get(term) ?? 0;
      return df === 0 ? 0 : idfOf(df, n);
    },
    maxIdf: idfOf(1, n),
  };
}
