/** What the adapters (Discord, CLI, evaluation) see of the engine. */
import type { AnswerOptions, Tuning } from '../core/answer/index.js';
import type { Embedder, LoadEmbedderResult } from '../core/model/index.js';
import type { FeedbackLog, ReindexResult } from '../core/store/index.js';
import type { IndexReport } from '../core/store/shared/index.js';
import type { LoadedCorpus, Period } from '../core/text/index.js';
import type { Answer, Article, Passage, RetrievalMode } from '../core/types.js';
import type { AddOutcome } from '../web/add.js';
import type { FeedFollower, FeedStatus } from '../web/feeds.js';
import type { FetchOptions } from '../web/safe-fetch.js';

/** Where the engine reports what a person running it should know (skipped files, model problems). */
export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
}

/** One URL given to `add`, and what became of it; `passages` is counted in the updated index. */
export type AddResult = AddOutcome & { passages?: number };

/** The facts `/about` shows. */
export interface AboutFacts {
  articles: number;
  passages: number;
  /** First and last publication date (never a date an article merely mentions). */
  dates: { first: string; last: string } | null;
  /** Items with no publication date, and the first and last dates their text states (labelled as such, never as publication dates). */
  undated?: { items: number; stated: { first: string; last: string } | null };
  /** How the model names itself; a folder's name, never a local path. */
  model: string | null;
  mode: RetrievalMode;
  builtAt: string | null;
  feeds: FeedStatus[];
  /** In a server: the counts of its own library (the figures above are the shared base's and its own together). */
  own?: { articles: number; passages: number } | null;
}

/**
 * What one place sees: a Discord server sees the shared base and its own library; a DM, and the
 * CLI by default, the shared base alone. Nothing of another server's library is reachable from it.
 */
export interface LibraryScope {
  /** The server's id, or null for the shared base. */
  readonly id: string | null;
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Adds pages to this server's own library (the shared base, for the null scope: the operator's seeds). */
  add(urls: readonly string[]): Promise<{ results: AddResult[]; reindex: ReindexResult | null }>;
  /**
   * Removes one of this server's own articles (its whole file: an article and its related
   * items), with its text and vectors; null when this server's library holds no such article.
   * The shared base is never touched from a server.
   */
  remove(idOrTitle: string): Promise<Article | null>;
  /** Re-reads this library's articles (the shared base's seeds, for the null scope). */
  reindex(): Promise<ReindexResult>;
  readonly reindexing: boolean;
  findArticle(idOrTitle: string): Promise<Article | null>;
  suggestArticles(typed: string, limit: number): Article[];
  /** "Quoi de neuf ?", "latest news about X", "what happened in October 2025?": the newest articles; null when the question asks something else. */
  news(question: string): Promise<News | null>;
  /**
   * An extractive summary of an article (by id or title, else the article a topic's words find
   * best): its 3–5 sentences that best cover it, verbatim, in its order; null when none matches.
   */
  summary(articleOrTopic: string): Promise<{ article: Article; sentences: string[] } | null>;
  /** The same among this server's own articles only (what `/remove` may remove); none for the shared base. */
  suggestOwnArticles(typed: string, limit: number): Article[];
  passageContext(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null>;
  about(): AboutFacts;
  /** Follows a feed into this server's library; new articles are announced in `channel` when given. */
  followFeed(url: string, channel: string | null): Promise<void>;
  /** Stops following a feed (its articles stay); false when this server did not follow it. */
  unfollowFeed(url: string): Promise<boolean>;
  /** The feeds this server follows, each with its announcement channel. */
  feeds(): Promise<(FeedStatus & { channel: string | null })[]>;
  /** One pass over this server's feeds now, due or not. */
  runFeeds(): Promise<void>;
  /** The server's settings (defaults for the shared base and a server that set none). */
  settings(): ServerSettings;
  updateSettings(change: Partial<ServerSettings>): Promise<ServerSettings>;
}

/** The newest articles, of a period or on a topic, newest first. */
export interface News {
  topic: string | null;
  period: Period | null;
  /** Each with its opening sentence, verbatim. */
  items: { article: Article; opening: string }[];
}

/** What a server's admins choose with `/settings`. */
export interface ServerSettings {
  /** The language of the bot's own words, when the members' Discord locale is not the right one; null: each member's locale. */
  language: 'fr' | 'en' | null;
  /** Answers to /ask seen only by the asker by default. */
  privateAnswers: boolean;
  /** A role whose members may add articles and feeds besides those with Manage Server. */
  addRole: string | null;
  /** Answers to /ask in a new thread named after the question, by default. */
  threads: boolean;
  /** "Find sources" posts its sources under the message checked, for everyone; by default only the member who asked sees them. */
  publicSources: boolean;
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({ language: null, privateAnswers: false, addRole: null, threads: false, publicSources: false });

/** A new article of a server's feed, to be announced in the channel the server chose. */
export interface Announcement {
  serverId: string;
  channelId: string;
  article: Article;
}

/** How one question is answered: `mode` and `tuning` let the evaluation compare modes and tunables; the bot leaves them unset. */
export type AskOptions = Pick<AnswerOptions, 'mode' | 'tuning'> & {
  /** The turn before, when the question may continue a conversation ("Et quand ?"). */
  previous?: PreviousTurn | null;
};

/** What a follow-up needs of the turn before it (conversations.ts keeps it). */
export interface PreviousTurn {
  /** Its question as understood (itself resolved when it was a follow-up). */
  understood: string;
  /** The articles its quotes came from. */
  articles: readonly string[];
  /** Its quotes' text. */
  quotes: readonly string[];
}

/** Everything needed to answer, loaded once per process. */
export interface Engine {
  readonly corpus: LoadedCorpus;
  readonly mode: RetrievalMode;
  /** Model id (hub id or folder) when dense retrieval is on, else null. */
  readonly model: string | null;
  /** How that model names itself to users, else null. */
  readonly modelName: string | null;
  /** The model's family (`e5`, …), which selects its calibration; null without a model. */
  readonly embedderFamily: string | null;
  /** When the vector index was built (ISO), or null without one. */
  readonly indexBuiltAt: string | null;
  /** True while a re-index runs. */
  readonly reindexing: boolean;
  /** Where the corpus lives: `embeddings/` (files) or DATABASE_URL (postgres). */
  readonly store: 'files' | 'postgres';
  /** Stops following the database (no-op for the file store). */
  close(): Promise<void>;
  /** What the last index update did, or null in lexical mode. */
  readonly lastIndexReport: IndexReport | null;
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /**
   * Reads the seeds again and brings both indexes up to date. Answers keep being served from
   * the previous state until the new one is complete; then it replaces it in one step.
   */
  reindex(): Promise<ReindexResult>;
  /**
   * Fetches each URL, saves its article in the seeds folder (updating the file of the same
   * canonical URL), then updates the index once. Never throws for a bad URL: each result says why.
   */
  add(urls: readonly string[]): Promise<{ results: AddResult[]; reindex: ReindexResult | null }>;
  /** The feeds of `FEEDS`, or null when there are none. `start()` it to poll in the background. */
  readonly feeds: FeedFollower | null;
  /** An article with its text, by id, or by title (case and accents ignored). */
  findArticle(idOrTitle: string): Promise<Article | null>;
  /** A passage by id and the corpus around it (its article), for showing its context; null when gone. */
  passageContext(id: string): Promise<{ passage: Passage; corpus: LoadedCorpus } | null>;
  /** What people said of answers (every server's, each entry tagged with its server): the shared store keeps it. */
  readonly feedback: FeedbackLog;
  /**
   * True when this process holds no corpus index nor passage texts in memory: DATABASE_URL with
   * PG_LEXICAL=postgres, where each question reads what it needs from the database.
   */
  readonly indexFree: boolean;
  /** Articles whose title contains what was typed (case and accents ignored), for autocompletion. */
  suggestArticles(typed: string, limit: number): Article[];
  about(): AboutFacts;
  /**
   * The sentence of an article to cite: the one containing `words` verbatim, else the one holding
   * most of them (at least the tuning's `minCiteShare`); the opening sentence when `words` is empty; else null.
   */
  findSentence(article: Article, words: string): string | null;
  /**
   * What a Discord server sees (its own library and, unless SHARED_LIBRARY=off, the shared
   * base); null: the shared base alone (a DM, the CLI).
   */
  library(serverId: string | null): LibraryScope;
  /** Whether servers may have libraries of their own here (SERVER_LIBRARIES, and the file store). */
  serverLibrariesAllowed(serverId: string): boolean;
  /** The bot was removed from a server: its feeds stop, and its library is deleted after SERVER_RETENTION_DAYS. */
  serverLeft(serverId: string): Promise<void>;
  /** The bot is in a server (again): a library waiting to be deleted is kept. */
  serverJoined(serverId: string): Promise<void>;
  /** Deletes the libraries of servers left more than SERVER_RETENTION_DAYS ago; their ids. */
  sweepLibraries(now?: Date): Promise<string[]>;
  /** Where new articles of servers' feeds are announced (the Discord bot registers itself). */
  onAnnouncement(announce: (a: Announcement) => Promise<void>): void;
  /**
   * Starts polling the feeds of the servers `hosts` says this process serves (a sharded bot: its
   * own shards' servers), every server's by default; the CLI tools do not poll them.
   */
  startServerFeeds(hosts?: (serverId: string) => boolean): Promise<void>;
}

export interface EngineOptions {
  log: EngineLog;
  /** What decides whether and what to answer; TUNING by default (the evaluation may vary it). */
  tuning?: Readonly<Tuning>;
  /** Fail instead of falling back to lexical retrieval when the model cannot be loaded. */
  requireModel?: boolean;
  /** Embedding progress, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Fetch limits and address policy beyond the configuration (tests: a short timeout, an address allow-list). */
  fetch?: Omit<FetchOptions, 'kind'>;
  /** Pause between two page fetches of a feed pass; default 1 s. */
  feedPauseMs?: number;
  /** Embed with this instead of loading EMBEDDING_MODEL (benchmarks at scale, tests). */
  embedder?: Embedder;
  /** EMBEDDING_MODEL's load, started earlier by the caller (startModelLoad); else the engine starts it. */
  modelLoad?: Promise<LoadEmbedderResult>;
  /**
   * With DATABASE_URL: bring the database up to date with the seeds at start (`npm run index`).
   * Default: only when the database holds no corpus yet; a bot otherwise only reads.
   */
  updateOnStart?: boolean;
  /**
   * With DATABASE_URL: wait for the database at start (default). The bot does not: it logs in
   * at once and answers "temporarily unavailable" until the database is reachable.
   */
  waitForDatabase?: boolean;
  /** With DATABASE_URL: fail once the database has been unreachable this long (command-line runs; default: keep trying). */
  giveUpOnDatabaseAfterMs?: number;
  /** With DATABASE_URL: how often to check for a new corpus version besides LISTEN/NOTIFY (default 2 s). */
  pollMs?: number;
}
