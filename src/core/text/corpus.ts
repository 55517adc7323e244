import type { Lang } from './date-label.js';
import { ingestArticles } from './ingest.js';
import { articleLanguage } from './language.js';
import { buildPassages } from './passages.js';
import type { Article, Passage, SkippedFile } from '../types.js';

/** The articles and passages of one seeds folder, with lookups. */
export interface LoadedCorpus {
  articles: Article[];
  passages: Passage[];
  skipped: SkippedFile[];
  passageById: ReadonlyMap<string, Passage>;
  articleById: ReadonlyMap<string, Article>;
  /** The languages the articles are written in. */
  languages: readonly Lang[];
  /**
   * Every date with a year that a passage's text states, sorted, each once, when the store
   * found them at ingest; otherwise absent, and read from the passages when needed.
   */
  statedDates?: readonly string[];
}

export function indexCorpus(articles: Article[], skipped: SkippedFile[] = []): LoadedCorpus {
  const passages = buildPassages(articles);
  return {
    articles,
    passages,
    skipped,
    passageById: new Map(passages.map((p) => [p.id, p])),
    articleById: new Map(articles.map((a) => [a.id, a])),
    languages: [...new Set(articles.map(articleLanguage))].sort(),
  };
}

export async function loadCorpus(seedsDir: string): Promise<LoadedCorpus> {
  const { articles, skipped } = await ingestArticles(seedsDir);
  return indexCorpus(articles, skipped);
}
