import type { FollowUp } from './text/index.js';
/** A date as the source states it: `date` is normalised only when the source gives a year. */
export interface DateInfo {
  /** `YYYY-MM` or `YYYY-MM-DD`, or null when the source gives no year. */
  date: string | null;
  /** The words the source uses ("25 juillet", "le 23 octobre 2025"), or null. */
  dateText: string | null;
}

/**
 * One citable item of a source file. Most files hold one article; a file can also hold
 * related-article blurbs ("Voir plus"), each its own item with its own date.
 */
export interface Article extends DateInfo {
  /** File name for the main article, `file#n` for the n-th related item in that file. */
  id: string;
  /** The source file's name inside the seeds folder. */
  file: string;
  kind: 'article' | 'related';
  title: string;
  /** The article's source URL when the text gives one. */
  link: string | null;
  /** Paragraphs of quotable text (noise removed), each a list of verbatim sentences. */
  paragraphs: string[][];
}

export interface Passage extends DateInfo {
  /** Stable id derived from the content: unchanged text re-ingested gives the same id. */
  id: string;
  /** Position key (`articleId:ordinal`), used to tell a changed passage from a new one. */
  key: string;
  articleId: string;
  file: string;
  title: string;
  link: string | null;
  /** Ordinal of the passage within its article (0-based). */
  position: number;
  /** Index of the paragraph the passage starts in. */
  paragraph: number;
  /** Verbatim sentences, in order. */
  sentences: string[];
  /** The sentences joined by a space. */
  text: string;
}

/** A file that could not be ingested, and why (one short line). */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Corpus {
  articles: Article[];
  passages: Passage[];
  skipped: SkippedFile[];
}

export type RetrievalMode = 'lexical' | 'hybrid' | 'dense';

/** Whether the quotes answer the question (see {@link Answer.match}). */
export type Match = 'answer' | 'related' | 'nothing';

export interface Quote extends DateInfo {
  /** Verbatim source text (whitespace normalised). */
  quote: string;
  /** File name of the source. */
  source: string;
  title: string;
  link: string | null;
  score: number;
  passageId: string;
  articleId: string;
  /** Position of the passage within its article, for showing context. */
  position: number;
  /** The article's publication date (null when it states none); set by the engine. */
  published?: DateInfo | null;
  /** A date the quoted text itself states (null when none); set by the engine. */
  stated?: DateInfo | null;
  /** An article with no publication date but a dateline ("Hanoi, 25 juillet (VNA)"): the dateline's words, never shown as a publication date; set by the engine. */
  dateline?: string | null;
}

export interface Answer {
  question: string;
  /** True when there are quotes: they answer (`match: 'answer'`) or are only the closest passages (`'related'`). */
  answered: boolean;
  /**
   * `answer`: the quotes say what is asked. `related`: the articles speak of the question's
   * people, places or events but none says what is asked; the quotes are the closest passages,
   * never to be shown as an answer. `nothing`: nothing close; no quotes.
   */
  match: Match;
  mode: RetrievalMode;
  /** The embedding model that took part (its own name), or null when lexical retrieval answered alone. */
  model: string | null;
  results: Quote[];
  /** Titles of the nearest articles, offered as pointers when the corpus does not answer. */
  pointers: string[];
  /**
   * When the corpus does not answer and the question is in a language none of the articles is
   * in, the articles' languages, so the reply can say so; otherwise null.
   */
  articleLanguages: ('fr' | 'en')[] | null;
  /** The period the question names ("en septembre 2024"), when it names one; set by the engine. */
  period?: { from: string; to: string; label: string } | null;
  /** When no article is of that period: the articles' own date range; set by the engine. */
  outsideDates?: { first: string; last: string; /** Main articles with no publication date, searched all the same. */ undated?: string[] } | null;
  /** When the question continued the previous one ("Et quand ?"): how it was understood; set by the engine. */
  followUp?: FollowUp | null;
}
