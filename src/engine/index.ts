import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { answerQuestion, type AnswerOptions } from '../core/answer/index.js';
import type { CorpusStore, ReindexResult, StoreContext } from '../core/store/index.js';
import type { LoadedCorpus } from '../core/text/index.js';
import type { Embedder } from '../core/model/index.js';
import { cleanQuestion } from '../core/text/index.js';
import { modelOnDisk, type LoadEmbedderResult } from '../core/model/index.js';
import { startModelLoad } from './model-load.js';
import { findStatedDate } from '../core/text/index.js';
import { outsideDates, overlaps, parseTimeIntent } from '../core/retrieval/index.js';
import { FileCorpusStore } from '../core/store/files/index.js';
import type { Answer, Article, Passage, Quote, RetrievalMode } from '../core/types.js';
import { formatReport, type IndexReport } from '../core/store/shared/index.js';
// The web modules (fetching, HTML extraction) are imported when first used: answering needs none of them.
import type { AddOutcome } from '../web/add.js';
import type { FeedFollower, FeedStatus } from '../web/feeds.js';
import type { FetchOptions } from '../web/safe-fetch.js';

export type { ReindexResult } from '../core/store/index.js';

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
  /** How the model names itself; a folder's name, never a local path. */
  model: string | null;
  mode: RetrievalMode;
  builtAt: string | null;
  feeds: FeedStatus[];
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
  /** `mode` and `calibration` let the evaluation compare modes and thresholds; the bot leaves them unset. */
  ask(question: string, options?: Pick<AnswerOptions, 'mode' | 'calibration'>): Promise<Answer>;
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
   * most of them (at least half); the opening sentence when `words` is empty; else null.
   */
  findSentence(article: Article, words: string): string | null;
}

export class ModelRequiredError extends Error {
  override name = 'ModelRequiredError';
}

/** The model could not embed a question: the engine answers lexically instead. */
class QuestionEmbeddingError extends Error {
  override name = 'QuestionEmbeddingError';
}

export interface EngineOptions {
  log: EngineLog;
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
  /** With DATABASE_URL: how often to check for a new corpus version besides LISTEN/NOTIFY (default 2 s). */
  pollMs?: number;
}

/** Question vectors kept: 1,000 × 384 floats is about 3 MB. */
const QUERY_VECTOR_CACHE = 1000;

/** What the feed follower has seen, next to the index. */
const FEED_STATE = 'feeds.json';

/** Ingests the seeds, loads the model (or says why not), and builds or updates the indexes. */
export async function createEngine(config: Config, options: EngineOptions): Promise<Engine> {
  const { log } = options;
  let embedder: Embedder | null = options.embedder ?? null;
  // The model loads in its own thread while this one reads the indexes; the first build waits for both.
  const modelLoad: Promise<LoadEmbedderResult> = embedder ? Promise.resolve({ ok: true, embedder }) : (options.modelLoad ?? startModelLoad(config));
  /** The model this engine loaded refuses work once the engine is closed (the process keeps its thread: core/model/thread/). */
  const closeModel = async (): Promise<void> => {
    if (options.embedder) return;
    const loaded = await modelLoad;
    if (loaded.ok) await loaded.embedder.close?.();
  };
  let modelChecked = false;
  const modelReady = async (): Promise<void> => {
    if (modelChecked) return;
    modelChecked = true;
    const loaded = await modelLoad;
    if (loaded.ok) {
      embedder = loaded.embedder;
    } else if (options.requireModel) {
      throw new ModelRequiredError(loaded.message);
    } else {
      log.warn(`${loaded.message} Answering with lexical retrieval only.`);
    }
  };

  // The same question comes back often (a follow-up, someone else asking, the evaluation's
  // sweep); its vector does not depend on the corpus, so it outlives re-indexing.
  const queryVectors = new LRUCache<string, number[]>({
    max: QUERY_VECTOR_CACHE,
    fetchMethod: async (q) => (await embedder!.embedQueries([q]))[0]!,
  });

  const context: StoreContext = {
    embedder: async () => {
      await modelReady();
      return embedder;
    },
    embedQuery: async (q) => {
      try {
        return (await queryVectors.fetch(q))!;
      } catch (error) {
        throw new QuestionEmbeddingError(error instanceof Error ? error.message : String(error));
      }
    },
    log,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  // With DATABASE_URL the corpus lives in Postgres (core/pg/, imported only then); else in
  // EMBEDDINGS_DIR, whose vector files are read and checked while the model and the text load.
  let last: ReindexResult;
  let store: CorpusStore;
  try {
    if (config.DATABASE_URL) {
      const { PgCorpus } = await import('../core/store/pg/index.js');
      const pg = new PgCorpus(
        {
          url: config.DATABASE_URL,
          seedsDir: config.SEEDS_DIR,
          lexical: config.PG_LEXICAL,
          ...(options.updateOnStart !== undefined ? { updateOnStart: options.updateOnStart } : {}),
          ...(options.waitForDatabase !== undefined ? { waitForDatabase: options.waitForDatabase } : {}),
          ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        },
        context,
      );
      store = pg;
      last = await pg.open();
    } else {
      const prepareVectors = options.embedder !== undefined || modelOnDisk(config.EMBEDDING_MODEL, config.MODELS_DIR);
      store = new FileCorpusStore({ embeddingsDir: config.EMBEDDINGS_DIR, seedsDir: config.SEEDS_DIR, prepareVectors }, context);
      last = await store.update();
    }
    await modelReady();
  } catch (error) {
    await closeModel();
    throw error;
  }
  let running: Promise<ReindexResult> | null = null;
  let followUp: Promise<ReindexResult> | null = null;

  const reindex = (): Promise<ReindexResult> => {
    // One re-index at a time: a second caller shares the one already running.
    running ??= store
      .update()
      .then((result) => {
        last = result;
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  /** A re-index that reads the seeds after this call: a running one may have read them before a file was saved. */
  const reindexAfterChanges = (): Promise<ReindexResult> => {
    if (!running) return reindex();
    followUp ??= running
      .catch(() => undefined)
      .then(() => {
        followUp = null;
        return reindex();
      });
    return followUp;
  };

  const fetchOptions: Omit<FetchOptions, 'kind'> = { allowPrivate: config.ALLOW_PRIVATE_URLS, ...options.fetch };
  const feeds =
    config.FEEDS.length === 0
      ? null
      : await (await import('../web/feeds.js')).createFeedFollower({
          feeds: config.FEEDS,
          statePath: path.join(config.EMBEDDINGS_DIR, FEED_STATE),
          intervalMs: config.FEED_INTERVAL,
          batch: config.FEED_BATCH,
          pauseMs: options.feedPauseMs ?? 1000,
          add: { seedsDir: config.SEEDS_DIR, fetch: fetchOptions },
          onChanged: reindexAfterChanges,
          log,
        });

  const ask = async (question: string, opts: Pick<AnswerOptions, 'mode' | 'calibration'> | undefined): Promise<Answer> => {
    const { topic } = parseTimeIntent(cleanQuestion(question));
    const { corpus, retrievers } = await store.forQuestion(topic, opts?.mode === 'lexical', embedder);
    const answer = await answerQuestion(question, corpus, retrievers, opts);
    const { period } = parseTimeIntent(answer.question);
    let outside = period && !answer.answered ? outsideDates(period, corpus) : null;
    // PG_LEXICAL=postgres: `corpus` holds the passages this question read, every article's date
    // (the catalogue) and the dates passages state (when every file has them: see readCatalogue).
    if (outside && store.indexFree && corpus.articles.some((a) => a.date !== null && overlaps(a.date, period!))) outside = null;
    return { ...answer, results: answer.results.map((r) => withDates(r, corpus)), period, outsideDates: outside };
  };
  let modelFailing = false;

  const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();

  return {
    get corpus() {
      return store.view.corpus;
    },
    get mode() {
      return store.mode(embedder);
    },
    model: embedder?.modelId ?? null,
    modelName: embedder?.name ?? null,
    embedderFamily: embedder?.prefix.name ?? null,
    get indexBuiltAt() {
      return store.builtAt;
    },
    store: store.kind,
    async close() {
      await store.close();
      await closeModel();
    },
    get reindexing() {
      return running !== null;
    },
    get lastIndexReport() {
      return last.vectors;
    },
    async ask(question, opts) {
      try {
        const answer = await ask(question, opts);
        modelFailing = false;
        return answer;
      } catch (error) {
        if (!(error instanceof QuestionEmbeddingError) || opts?.mode === 'lexical') throw error;
        // A model that stops answering (its thread died) costs the dense half, not the answer.
        if (!modelFailing) log.warn(`The embedding model failed (${error.message}). Answering with lexical retrieval until it works again.`);
        modelFailing = true;
        return ask(question, { ...opts, mode: 'lexical' });
      }
    },
    reindex,
    async add(urls) {
      const results: AddResult[] = [];
      const { addFromUrl } = await import('../web/add.js');
      for (const url of urls) results.push(await addFromUrl(url, { seedsDir: config.SEEDS_DIR, fetch: fetchOptions }));
      const changed = results.some((r) => r.ok && r.status !== 'unchanged');
      const reindexed = changed ? await reindexAfterChanges() : null;
      for (const r of results) if (r.ok) r.passages = store.passageCount(r.file);
      return { results, reindex: reindexed };
    },
    feeds,
    async findArticle(wanted) {
      const { corpus } = store.view;
      const found = corpus.articleById.get(wanted) ?? corpus.articles.find((a) => fold(a.title) === fold(wanted)) ?? null;
      return found ? store.article(found) : null;
    },
    passageContext: (id) => store.passageContext(id),
    get indexFree() {
      return store.indexFree;
    },
    suggestArticles(typed, limit) {
      const t = fold(typed);
      return store.view.corpus.articles.filter((a) => fold(a.title).includes(t)).slice(0, limit);
    },
    findSentence(article, wanted) {
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
      return best && best.share >= 0.5 ? best.sentence : null;
    },
    about() {
      const { corpus } = store.view;
      const dates = corpus.articles
        .filter((a) => a.kind === 'article')
        .map((a) => a.date)
        .filter((d): d is string => d !== null)
        .sort();
      const name = embedder?.name ?? null;
      return {
        articles: corpus.articles.length,
        passages: store.passageCount(),
        dates: dates.length > 0 ? { first: dates[0]!, last: dates.at(-1)! } : null,
        // The model's own name when it gives one; else the folder's name, never a full local path.
        model: name === null ? null : name.includes(path.sep) ? path.basename(name) : name,
        mode: store.mode(embedder),
        builtAt: store.builtAt,
        feeds: feeds?.status() ?? [],
      };
    },
  };
}

/**
 * A quote's two dates, kept apart: its article's publication date (a related-article blurb has
 * none of its own), and a date the quoted text itself states.
 */
function withDates(quote: Quote, corpus: LoadedCorpus): Quote {
  const article = corpus.articleById.get(quote.articleId);
  const published = article && article.kind === 'article' && (article.date !== null || article.dateText !== null) ? { date: article.date, dateText: article.dateText } : null;
  return { ...quote, published, stated: findStatedDate(quote.quote) };
}

/** One line saying what a re-index did. */
export function describeReindex(r: ReindexResult): string {
  const vectors = r.vectors ? `; vectors: ${formatReport(r.vectors)}` : '';
  const dropped = r.skipped.filter((f) => !r.kept.includes(f));
  const skipped = dropped.length > 0 ? `; skipped: ${dropped.join(', ')}` : '';
  const kept = r.kept.length > 0 ? `; previous version kept: ${r.kept.join(', ')}` : '';
  return `${r.articles} articles, ${r.passages} passages${vectors}${skipped}${kept}`;
}
