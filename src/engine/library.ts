/** The library of articles as people look things up in it: by title, by typed words, the sentence to cite, the facts of `/about`. */
import path from 'node:path';
import type { Tuning } from '../core/answer/index.js';
import type { CorpusStore } from '../core/store/index.js';
import type { Article } from '../core/types.js';
import type { FeedFollower } from '../web/feeds.js';
import type { EngineModel } from './model-load.js';
import { newsRequest, overlaps, parseQuestion, statedDates } from '../core/text/index.js';
import { summarize } from '../core/answer/index.js';
import type { Engine, LibraryScope } from './types.js';

/** Articles a "what's new" shows. */
const NEWS_ITEMS = 5;
const collator = new Intl.Collator();

/** Case, accents and spacing ignored. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();

/**
 * Articles whose title, file, dates or opening paragraph hold every word typed ("singap",
 * "2023-11", "vna"), accents and case ignored; those whose title holds them first.
 */
function matchingArticles(articles: readonly Article[], typed: string): Article[] {
  const words = fold(typed).split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
  if (words.length === 0) return [...articles];
  const inTitle: Article[] = [];
  const elsewhere: Article[] = [];
  for (const a of articles) {
    const title = fold(a.title);
    if (words.every((w) => title.includes(w))) inTitle.push(a);
    else if (words.every((w) => searchKey(a).includes(w))) elsewhere.push(a);
  }
  return [...inTitle, ...elsewhere];
}

/** The one article the typed words match, or null when none or several do. */
function onlyMatch(articles: readonly Article[], typed: string): Article | null {
  const matching = matchingArticles(articles, typed);
  return matching.length === 1 ? matching[0]! : null;
}

/** What an article is found by besides its title, folded once per article object. */
function searchKey(a: Article): string {
  let key = searchKeys.get(a);
  if (key === undefined) {
    key = fold([a.title, a.file, a.date ?? '', a.dateText ?? '', ...(a.paragraphs[0] ?? [])].join(' '));
    searchKeys.set(a, key);
  }
  return key;
}
const searchKeys = new WeakMap<Article, string>();

/** The dates an article's text states, read once per article object (`/about` asks on every call). */
function statedIn(a: Article): readonly string[] {
  let dates = statedByArticle.get(a);
  if (!dates) statedByArticle.set(a, (dates = statedDates(a.paragraphs.flat().join(' '))));
  return dates;
}
const statedByArticle = new WeakMap<Article, readonly string[]>();

export function createLibrary(
  store: Pick<CorpusStore, 'view' | 'article' | 'passageCount' | 'mode' | 'builtAt' | 'forQuestion'>,
  model: EngineModel,
  feeds: FeedFollower | null,
  tuning: Readonly<Tuning>,
): Pick<Engine, 'findArticle' | 'suggestArticles' | 'findSentence' | 'about'> & Pick<LibraryScope, 'news' | 'summary'> {
  return {
    async summary(wanted) {
      const { corpus, retrievers } = store.view;
      let found = corpus.articleById.get(wanted) ?? corpus.articles.find((a) => fold(a.title) === fold(wanted));
      if (!found) {
        // A topic: the article of the passage its words find best.
        const view = await store.forQuestion(wanted, tuning.rankDepth, true, null);
        const top = view.retrievers.lexical.search(wanted, 1)[0];
        const id = top ? view.corpus.passageById.get(top.id)?.articleId : undefined;
        found = id ? (corpus.articleById.get(id) ?? view.corpus.articleById.get(id)) : undefined;
      }
      const article = found ? await store.article(found) : null;
      return article ? { article, sentences: summarize(article, retrievers.lexical) } : null;
    },
    async news(question) {
      const { time } = parseQuestion(question);
      const wanted = newsRequest(time.topic);
      if (!wanted) return null;
      // Dated items only (an undated one cannot be placed in time; a related blurb has its own date), of the period asked.
      let articles = store.view.corpus.articles.filter((a) => a.date !== null && (!time.period || overlaps(a.date, time.period)));
      if (wanted.topic) {
        // On the topic: the articles of the passages its words find.
        const view = await store.forQuestion(wanted.topic, tuning.rankDepth, true, null);
        const on = new Set(view.retrievers.lexical.search(wanted.topic, tuning.rankDepth).map((h) => view.corpus.passageById.get(h.id)?.articleId));
        articles = articles.filter((a) => on.has(a.id));
      }
      articles.sort((a, b) => b.date!.localeCompare(a.date!) || collator.compare(a.title, b.title));
      const items = [];
      for (const a of articles.slice(0, NEWS_ITEMS)) {
        const full = (await store.article(a)) ?? a;
        const opening = full.paragraphs.flat()[0];
        if (opening) items.push({ article: full, opening });
      }
      return { topic: wanted.topic, period: time.period, items };
    },
    async findArticle(wanted) {
      const { corpus } = store.view;
      // Picked from the choices (an id), typed whole (a title), or typed words that only one article has ("Singapour").
      const found = corpus.articleById.get(wanted) ?? corpus.articles.find((a) => fold(a.title) === fold(wanted)) ?? onlyMatch(corpus.articles, wanted);
      return found ? store.article(found) : null;
    },
    suggestArticles(typed, limit) {
      return matchingArticles(store.view.corpus.articles, typed).slice(0, limit);
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
      // Items with no publication date (an article whose dateline has no year, the related-article blurbs): counted, and the dates their text states given apart.
      const undated = corpus.articles.filter((a) => a.date === null);
      const stated = undated.flatMap(statedIn).sort();
      return {
        articles: corpus.articles.length,
        passages: store.passageCount(),
        dates: dates.length > 0 ? { first: dates[0]!, last: dates.at(-1)! } : null,
        undated: { items: undated.length, stated: stated.length > 0 ? { first: stated[0]!, last: stated.at(-1)! } : null },
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
