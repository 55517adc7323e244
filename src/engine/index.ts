/**
 * The engine wires the core's stages for the adapters (Discord, CLI, evaluation): the model
 * (model-load.ts), the corpus store (open-store.ts), asking (asking.ts), the library of
 * articles (library.ts) and administration (admin.ts). One tuning object decides whether and
 * what to answer; the engine passes it down.
 */
import type { Config } from '../config.js';
import { TUNING } from '../core/answer/index.js';
import type { CorpusStore, ReindexResult, StoreContext } from '../core/store/index.js';
import { formatReport } from '../core/store/shared/index.js';
import { createAdmin } from './admin.js';
import { createAsk, questionVectors } from './asking.js';
import { createLibraries, ServerLibrariesOffError } from './libraries.js';
import { createLibrary } from './library.js';
import { engineModel } from './model-load.js';
import { openStore } from './open-store.js';
import { DEFAULT_SETTINGS, type Engine, type EngineOptions, type LibraryScope } from './types.js';

export type { ReindexResult } from '../core/store/index.js';
export { ModelRequiredError } from './model-load.js';
export { CONVERSATION_LIMITS, Conversations } from './conversations.js';
export { periodNotice, type OutsideDates } from './period-notice.js';
export type { AboutFacts, AddResult, Announcement, AskOptions, Engine, EngineLog, PreviousTurn, EngineOptions, LibraryScope, News, ServerSettings } from './types.js';
export { DEFAULT_SETTINGS } from './types.js';
export { FeedUrlError, ServerFeedsFullError, ServerLibrariesOffError, ServerLibraryFullError } from './libraries.js';

/** Ingests the seeds, loads the model (or says why not), and builds or updates the indexes. */
export async function createEngine(config: Config, options: EngineOptions): Promise<Engine> {
  const { log } = options;
  const tuning = options.tuning ?? TUNING;
  const model = engineModel(config, options);
  const context: StoreContext = {
    embedder: async () => {
      await model.ready();
      return model.embedder;
    },
    embedQuery: questionVectors(model),
    log,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let store: CorpusStore;
  let opened: ReindexResult;
  try {
    ({ store, opened } = await openStore(config, options, context));
    await model.ready();
  } catch (error) {
    await model.close();
    throw error;
  }
  const admin = await createAdmin(config, options, store, opened, log);
  const { embedder } = model;
  const lookups = createLibrary(store, model, admin.feeds, tuning);
  // The shared base: the engine's own methods, and what a DM or the CLI sees.
  const shared: LibraryScope = {
    id: null,
    ask: createAsk(store, model, tuning, log),
    add: admin.add,
    // The shared base is the operator's folder: its files are removed there, never from a server.
    remove: async () => null,
    reindex: admin.reindex,
    get reindexing() {
      return admin.reindexing;
    },
    findArticle: lookups.findArticle,
    suggestArticles: lookups.suggestArticles,
    suggestOwnArticles: () => [],
    news: lookups.news,
    summary: lookups.summary,
    passageContext: (id) => store.passageContext(id),
    about: lookups.about,
    // The shared base's feeds are the operator's FEEDS, not followed from a server.
    followFeed: async () => {
      throw new ServerLibrariesOffError();
    },
    unfollowFeed: async () => false,
    feeds: async () => (admin.feeds?.status() ?? []).map((f) => ({ ...f, channel: null })),
    runFeeds: async () => void (await admin.feeds?.runOnce({ force: true })),
    settings: () => DEFAULT_SETTINGS,
    updateSettings: async () => {
      throw new ServerLibrariesOffError();
    },
  };
  const libraries = createLibraries({ config, options, context, model, tuning, log, shared: { store, admin, scope: shared } });

  return {
    ...lookups,
    ask: shared.ask,
    reindex: admin.reindex,
    add: admin.add,
    feeds: admin.feeds,
    passageContext: shared.passageContext,
    feedback: store.feedback,
    library: libraries.library,
    serverLibrariesAllowed: libraries.serverLibrariesAllowed,
    onAnnouncement: libraries.onAnnouncement,
    serverLeft: (id) => libraries.serverLeft(id),
    serverJoined: (id) => libraries.serverJoined(id),
    sweepLibraries: (now) => libraries.sweepLibraries(now),
    startServerFeeds: libraries.startServerFeeds,
    get corpus() {
      return store.view.corpus;
    },
    get mode() {
      return store.mode(model.embedder);
    },
    model: embedder?.modelId ?? null,
    modelName: embedder?.name ?? null,
    embedderFamily: embedder?.prefix.name ?? null,
    get indexBuiltAt() {
      return store.builtAt;
    },
    store: store.kind,
    get reindexing() {
      return admin.reindexing;
    },
    get lastIndexReport() {
      return admin.last.vectors;
    },
    get indexFree() {
      return store.indexFree;
    },
    async close() {
      await libraries.close();
      await store.close();
      await model.close();
    },
  };
}

/** One line saying what a re-index did. */
export function describeReindex(r: ReindexResult): string {
  const vectors = r.vectors ? `; vectors: ${formatReport(r.vectors)}` : '';
  const dropped = r.skipped.filter((f) => !r.kept.includes(f));
  const skipped = dropped.length > 0 ? `; skipped: ${dropped.join(', ')}` : '';
  const kept = r.kept.length > 0 ? `; previous version kept: ${r.kept.join(', ')}` : '';
  return `${r.articles} articles, ${r.passages} passages${vectors}${skipped}${kept}`;
}
