/** Administration: re-indexing (one at a time), adding articles from the web, following feeds. */
import path from 'node:path';
import type { Config } from '../config.js';
import type { CorpusStore, ReindexResult } from '../core/store/index.js';
import type { FeedFollower } from '../web/feeds.js';
import type { FetchOptions } from '../web/safe-fetch.js';
import type { AddResult, Engine, EngineLog, EngineOptions } from './types.js';

/** What the feed follower has seen, next to the index. */
const FEED_STATE = 'feeds.json';

export interface Admin extends Pick<Engine, 'reindex' | 'add' | 'feeds'> {
  readonly reindexing: boolean;
  /** The last re-index's result (the store's opening update until another one runs). */
  readonly last: ReindexResult;
  /** A re-index that reads the articles after this call (one running may have read them before a file was saved). */
  reindexAfterChanges(): Promise<ReindexResult>;
}

// The web modules (fetching, HTML extraction) are imported when first used: answering needs none of them.
export async function createAdmin(config: Config, options: EngineOptions, store: CorpusStore, first: ReindexResult, log: EngineLog): Promise<Admin> {
  let last = first;
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
  const feeds: FeedFollower | null =
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

  return {
    get reindexing() {
      return running !== null;
    },
    get last() {
      return last;
    },
    reindex,
    reindexAfterChanges,
    feeds,
    async add(urls) {
      const results: AddResult[] = [];
      const { addFromUrl } = await import('../web/add.js');
      for (const url of urls) results.push(await addFromUrl(url, { seedsDir: config.SEEDS_DIR, fetch: fetchOptions }));
      const changed = results.some((r) => r.ok && r.status !== 'unchanged');
      const reindexed = changed ? await reindexAfterChanges() : null;
      for (const r of results) if (r.ok) r.passages = store.passageCount(r.file);
      return { results, reindex: reindexed };
    },
  };
}
