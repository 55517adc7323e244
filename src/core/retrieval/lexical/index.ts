import { Analyzer, countWords } from './analysis.js';
import { bm25Idf, Bm25Index } from './bm25.js';
import type { Passage } from '../../types.js';

export interface LexicalHit {
  id: string;
  /** BM25 score (MiniSearch's BM25+), comparable only within one query. */
  score: number;
}

/** BM25 over passages with French analysis. */
export interface LexicalIndex {
  search(query: string, k: number): LexicalHit[];
  /** Index terms of a text, with the same analysis as the index. */
  terms(text: string): string[];
  /** Inverse document frequency of a term over passages (0 for unknown terms). */
  idf(term: string): number;
  /** The IDF of the rarest terms (those in one passage). */
  readonly maxIdf: number;
  /** Passages holding the term (0 for an unknown one), and all passages: what two indexes' statistics combine from. */
  documentFrequency(term: string): number;
  readonly documentCount: number;
}

/** The words whose counts decide glued-word splits: every passage's text and title. */
export function vocabularyTexts(passages: readonly Pick<Passage, 'text' | 'title'>[]): string[] {
  return passages.flatMap((p) => [p.text, p.title]);
}

/** Builds the index of `passages` from scratch. */
export function buildLexicalIndex(passages: readonly Passage[]): LexicalIndex {
  return lexicalIndexOf(buildBm25(passages));
}

export function buildBm25(passages: readonly Pick<Passage, 'id' | 'text' | 'title'>[]): Bm25Index {
  const engine = new Bm25Index(new Analyzer(countWords(vocabularyTexts(passages))));
  for (const p of passages) engine.add(p);
  return engine;
}

/** The answer pipeline's view of an index (which may change under it as articles are added). */
export function lexicalIndexOf(engine: Bm25Index): LexicalIndex {
  return {
    search: (query, k) => engine.search(query, k),
    terms: (text) => engine.analyzer.analyze(text),
    idf(term) {
      const df = engine.documentFrequency(term);
      return df === 0 ? 0 : bm25Idf(df, engine.documentCount);
    },
    get maxIdf() {
      return bm25Idf(1, engine.documentCount);
    },
    documentFrequency: (term) => engine.documentFrequency(term),
    get documentCount() {
      return engine.documentCount;
    },
  };
}
