/**
 * The lexical index as the bot built it with MiniSearch before it kept its own postings: the
 * reference the BM25 index must reproduce, score for score.
 */
import MiniSearch from 'minisearch';
import { buildVocabulary, termsOf, words } from '../../src/core/text/french.js';
import type { Passage } from '../../src/core/types.js';

export interface ReferenceDoc {
  id: string;
  text: string;
  title: string;
}

/** `vocabularyFrom` decides glued-word splits (by default, the passages indexed). */
export function referenceIndex(passages: readonly Pick<Passage, 'id' | 'text' | 'title'>[], vocabularyFrom = passages): MiniSearch<ReferenceDoc> {
  const vocabulary = buildVocabulary(vocabularyFrom.flatMap((p) => [p.text, p.title]));
  const search = new MiniSearch<ReferenceDoc>({
    fields: ['text', 'title'],
    tokenize: (text) => words(text),
    processTerm: (word) => {
      const terms = termsOf(word, vocabulary);
      return terms.length === 0 ? null : terms;
    },
    searchOptions: {
      boost: { text: 1, title: 0.3 },
      fuzzy: (term: string) => (term.length >= 6 ? 0.2 : false),
      prefix: false,
      combineWith: 'OR',
    },
  });
  search.addAll(passages.map((p) => ({ id: p.id, text: p.text, title: p.title })));
  return search;
}

export function referenceSearch(index: MiniSearch<ReferenceDoc>, query: string, k: number): { id: string; score: number }[] {
  return index
    .search(query)
    .slice(0, k)
    .map((r) => ({ id: String(r.id), score: r.score }));
}
