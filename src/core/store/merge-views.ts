/**
 * One corpus made of several libraries' (a server's own articles and the shared base), as the
 * answer stage reads a single one. Each library keeps its own indexes, so no statistic, ranking
 * or date of a library that is not merged in can reach an answer: term weights come from the
 * merged libraries' counts alone, and each library's rankings are fused.
 */
import { bm25Idf, fuseRankings, type DenseSearch, type LexicalIndex, type Retrievers } from '../retrieval/index.js';
import type { LoadedCorpus } from '../text/index.js';
import type { CorpusView } from './corpus-store.js';
import { unionOfStated } from './shared/index.js';

/** The libraries' views as one: the first one's order first. A single view is returned as it is. */
export function mergeViews(views: readonly CorpusView[]): CorpusView {
  if (views.length === 1) return views[0]!;
  const corpus = mergeCorpora(views.map((v) => v.corpus));
  const lexical = mergeLexical(views.map((v) => v.retrievers.lexical));
  const dense = views.map((v) => v.retrievers.dense);
  // Dense search only when every library has vectors from the same model: their cosines are then comparable.
  const all = dense.every((d): d is DenseSearch => d !== undefined && d.modelName === dense[0]!.modelName);
  return { corpus, retrievers: all ? { lexical, dense: mergeDense(dense as DenseSearch[]) } : { lexical } };
}

function mergeCorpora(corpora: readonly LoadedCorpus[]): LoadedCorpus {
  const statedDates = unionOfStated(corpora.map((c) => c.statedDates ?? null));
  return {
    articles: corpora.flatMap((c) => c.articles),
    passages: corpora.flatMap((c) => c.passages),
    skipped: corpora.flatMap((c) => c.skipped),
    passageById: new Map(corpora.flatMap((c) => [...c.passageById])),
    articleById: new Map(corpora.flatMap((c) => [...c.articleById])),
    languages: [...new Set(corpora.flatMap((c) => c.languages))].sort(),
    ...(statedDates ? { statedDates } : {}),
  };
}

/**
 * BM25 over several indexes: each ranks its own passages, the rankings are fused by reciprocal
 * rank (scores of two indexes are not comparable), and a term's IDF is computed from the summed
 * counts, as one index over all of them would.
 */
function mergeLexical(indexes: readonly LexicalIndex[]): LexicalIndex {
  const count = (): number => indexes.reduce((n, x) => n + x.documentCount, 0);
  const df = (term: string): number => indexes.reduce((n, x) => n + x.documentFrequency(term), 0);
  return {
    search: (query, k) => fuseRankings(indexes.map((x) => x.search(query, k).map((h) => h.id))).slice(0, k),
    // Every library is analysed the same way (French analysis); the first one's vocabulary splits glued words.
    terms: (text) => indexes[0]!.terms(text),
    idf(term) {
      const n = df(term);
      return n === 0 ? 0 : bm25Idf(n, count());
    },
    get maxIdf() {
      return bm25Idf(1, count());
    },
    documentFrequency: df,
    get documentCount() {
      return count();
    },
  };
}

/** Nearest passages over several vector indexes of the same model, by cosine. */
function mergeDense(searches: readonly DenseSearch[]): DenseSearch {
  const first = searches[0]!;
  return {
    modelName: first.modelName,
    family: first.family,
    embedQuery: (q) => first.embedQuery(q),
    search: (v, k) =>
      searches
        .flatMap((s) => s.search(v, k))
        .sort((a, b) => b.score - a.score)
        .slice(0, k),
    sentenceVector: (s) => {
      for (const x of searches) {
        const v = x.sentenceVector(s);
        if (v) return v;
      }
      return undefined;
    },
    passageVector: (id) => {
      for (const x of searches) {
        const v = x.passageVector(id);
        if (v) return v;
      }
      return undefined;
    },
  };
}
