/** The library of articles as people look things up in it: by title, by typed words, the sentence to cite, the facts of `/about`. */
import path from 'node:path';
import type { Tuning } from '../core/answer/index.js';
import type { CorpusStore } from '../core/store/index.js';
import type { Article } from '../core/types.js';
import type { FeedFollower } from '../web/feeds.js';
import type { EngineModel } from './model-load.js';
import type { Engine } from './types.js';

/** Case, accents and spacing ignored. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();

export function createLibrary(
  store: Pick<CorpusStore, 'view' | 'article' | 'passageCount' | 'mode' | 'builtAt'>,
  model: EngineModel,
  feeds: FeedFollower | null,
  tuning: Readonly<Tuning>,
): Pick<Engine, 'findArticle' | 'suggestArticles' | 'findSentence' | 'about'> {
  return {
    async findArticle(wanted) {
      const { corpus } = store.view;
      const found = corpus.articleById.get(wanted) ?? corpus.articles.find((a) => fold(a.title) === fold(wanted)) ?? null;
      return found ? store.article(found) : null;
    },
    suggestArticles(typed, limit) {
      const t = fold(typed);
      return store.view.corpus.articles.filter((a) => fold(a.title).includes(t)).slice(0, limit);
    },
    findSentence: (article, wanted) => sentenceToCite(article, wanted, tuning.minCiteShare),
    about() {
      const { corpus } = store.view;
      const dates = corpus.articles
        .filter((a) => a.kind === 'article')
        .map((a) => a.date)
        .filter((d): d is string => d !== null)
        .sort();
      const name = model.embedder?.name ?? null;
      return {
        articles: corpus.articles.length,
        passages: store.passageCount(),
        dates: dates.length > 0 ? { first: dates[0]!, last: dates.at(-1)! } : null,
        // The model's own name when it gives one; else the folder's name, never a full local path.
        model: name === null ? null : name.includes(path.sep) ? path.basename(name) : name,
        mode: store.mode(model.embedder),
        builtAt: store.builtAt,
        feeds: feeds?.status() ?? [],
      };
    },
  };
}

/** See Engine.findSentence. */
function sentenceToCite(article: Article, wanted: string, minShare: number): string | null {
  const sentences = article.paragraphs.flat();
  const typed = fold(wanted).replace(/[«»"“”]/gu, '').trim();
  if (typed === '') return sentences[0] ?? null;
  const exact = sentences.find((s) => fold(s).includes(typed));
  if (exact) return exact;
  const words = [...new Set(typed.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1))];
  if (words.length === 0) return null;
  let best: { sentence: string; share: number } | null = null;
  for (const sentence of sentences) {
    const own = new Set(fold(sentence).split(/[^\p{L}\p{N}]+/u));
    const share = words.filter((w) => own.has(w)).length / words.length;
    if (!best || share > best.share) best = { sentence, share };
  }
  return best && best.share >= minShare ? best.sentence : null;
}
