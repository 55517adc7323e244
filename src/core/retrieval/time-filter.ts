import type { LoadedCorpus, Period, TimeIntent } from '../text/index.js';
import { overlaps, statedDates } from '../text/index.js';
import type { Passage } from '../types.js';

/**
 * Candidate passages narrowed by the question's time intent (text/periods.ts): a period keeps
 * that period's passages (by publication date, or a date the passage states); "latest" favours
 * the newest articles.
 */

/** The dates a passage is about: its article's date, and those its text states. Cached per corpus. */
const datesCache = new WeakMap<LoadedCorpus, Map<string, string[]>>();
function passageDates(p: Passage, corpus: LoadedCorpus): string[] {
  let cache = datesCache.get(corpus);
  if (!cache) datesCache.set(corpus, (cache = new Map()));
  let dates = cache.get(p.id);
  if (!dates) {
    dates = [...(p.date ? [p.date] : []), ...statedDates(p.text)];
    cache.set(p.id, dates);
  }
  return dates;
}

/** The publication date used to tell newer from older: the article's own, for a main article. */
function publicationDate(p: Passage, corpus: LoadedCorpus): string | null {
  const article = corpus.articleById.get(p.articleId);
  return article?.kind === 'article' ? article.date : null;
}

export interface Narrowed {
  /** The candidates to score: within the period when there is one (from the whole ranking), else as given. */
  passages: Passage[];
  /** Added to a sentence's ordering score (never to its evidence): newer articles first for "latest". */
  bonus(passage: Passage): number;
}

/**
 * Filters and reorders candidate passages for the question's time intent. `ranked` is the whole
 * ranking (ids, best first): a period can keep passages that were below the usual candidate cut.
 */
export function narrowByTime(intent: TimeIntent, candidates: Passage[], ranked: readonly string[], corpus: LoadedCorpus, latestBonus: number): Narrowed {
  let passages = candidates;
  if (intent.period) {
    const period = intent.period;
    const pool = [...new Set([...candidates.map((p) => p.id), ...ranked])].map((id) => corpus.passageById.get(id)).filter((p): p is Passage => p !== undefined);
    // A passage of an article with no known date, that states none, cannot be placed outside the
    // period either: it stays a candidate, after those that are of the period.
    const of = pool.filter((p) => passageDates(p, corpus).some((d) => overlaps(d, period)));
    const unplaced = pool.filter((p) => passageDates(p, corpus).length === 0 && undatedArticle(p, corpus));
    passages = [...of, ...unplaced].slice(0, Math.max(candidates.length, 1));
  }
  if (!intent.latest) return { passages, bonus: () => 0 };
  const dates = [...new Set(passages.map((p) => publicationDate(p, corpus)).filter((d): d is string => d !== null))].sort();
  const rank = new Map(dates.map((d, i) => [d, dates.length === 1 ? 1 : i / (dates.length - 1)]));
  return {
    passages,
    bonus: (p) => {
      const d = publicationDate(p, corpus);
      return d ? latestBonus * (rank.get(d) ?? 0) : 0;
    },
  };
}

/** True when the passage's article (a main article) has no publication date. */
function undatedArticle(p: Passage, corpus: LoadedCorpus): boolean {
  const article = corpus.articleById.get(p.articleId);
  return article !== undefined && article.kind === 'article' && article.date === null;
}

/** The corpus's dates, for saying that no article is of a period: publication dates, and what the undated articles are (searched all the same). */
export interface OutsideDates {
  /** The range of publication dates ('' when no article has one). */
  first: string;
  last: string;
  /** The main articles with no publication date: searched too, and named, since nothing says they are not of the period. */
  undated: string[];
}

/** For a question about a period: null when some article is of that period, else the corpus's own dates. */
export function outsideDates(period: Period, corpus: LoadedCorpus): OutsideDates | null {
  // Publication dates first: usually one of them is in the period, and reading them is cheap,
  // where the dates a text states cost a pass over it (1–2 s over 100,000 passages).
  for (const p of corpus.passages) if (p.date && overlaps(p.date, period)) return null;
  const all: string[] = [];
  if (corpus.statedDates) {
    // Found at ingest (store/): no pass over the text.
    if (corpus.statedDates.some((d) => overlaps(d, period))) return null;
    for (const p of corpus.passages) if (p.date) all.push(p.date);
    all.push(...corpus.statedDates);
  } else {
    for (const p of corpus.passages) {
      const dates = passageDates(p, corpus);
      if (dates.some((d) => overlaps(d, period))) return null;
      all.push(...dates);
    }
  }
  const published = corpus.articles.filter((a) => a.kind === 'article' && a.date).map((a) => a.date!);
  const range = (published.length > 0 ? published : all).sort();
  const undated = corpus.articles.filter((a) => a.kind === 'article' && a.date === null).map((a) => a.title);
  return range.length > 0 ? { first: range[0]!, last: range.at(-1)!, undated } : { first: '', last: '', undated };
}
