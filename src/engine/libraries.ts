/**
 * A library per Discord server. Each server's own articles live in a folder of their own
 * (`LIBRARIES_DIR/<server id>/articles`, indexed beside them in `index/`), in a file store of
 * their own: nothing of one server's articles, statistics or dates is in another's indexes. A
 * question asked in a server is answered from its library and the shared base (seeds/, FEEDS)
 * merged for that question (core/store/merge-views.ts); in a DM, from the shared base alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Config } from '../config.js';
import type { Tuning } from '../core/answer/index.js';
import { modelOnDisk, type Embedder } from '../core/model/index.js';
import { buildLexicalIndex } from '../core/retrieval/index.js';
import { FileCorpusStore } from '../core/store/files/index.js';
import { mergeViews, type CorpusStore, type CorpusView, type StoreContext } from '../core/store/index.js';
import { indexCorpus, type LoadedCorpus } from '../core/text/index.js';
import type { Article, Passage } from '../core/types.js';
import { createAdmin, type Admin } from './admin.js';
import { createAsk } from './asking.js';
import { createLibrary } from './library.js';
import type { EngineModel } from './model-load.js';
import type { FeedFollower } from '../web/feeds.js';
import { DEFAULT_SETTINGS, type AboutFacts, type Announcement, type EngineLog, type EngineOptions, type LibraryScope, type ServerSettings } from './types.js';

/** A server's own library: its store, what adds to it, and the feeds it follows. */
interface ServerLibrary {
  store: FileCorpusStore;
  admin: Admin;
  subscriptions: Subscription[];
  follower: FeedFollower | null;
}

/** A feed a server follows, and the channel its new articles are announced in. */
interface Subscription {
  url: string;
  channel: string | null;
}

/** This server follows MAX_SERVER_FEEDS feeds already. */
export class ServerFeedsFullError extends Error {
  override name = 'ServerFeedsFullError';
  constructor(readonly limit: number) {
    super(`this server follows ${limit} feeds, the most it may`);
  }
}

/** Not an http(s) feed address. */
export class FeedUrlError extends Error {
  override name = 'FeedUrlError';
}

/** What a scope answers from: the stores it merges, in order (the shared base first). */
export type ReadableStore = Pick<CorpusStore, 'view' | 'forQuestion' | 'indexFree' | 'article' | 'passageCount' | 'mode' | 'builtAt' | 'passageContext'>;

export interface Libraries {
  library(serverId: string | null): LibraryScope;
  serverLibrariesAllowed(serverId: string): boolean;
  onAnnouncement(announce: (a: Announcement) => Promise<void>): void;
  startServerFeeds(hosts?: (serverId: string) => boolean): Promise<void>;
  serverLeft(serverId: string): Promise<void>;
  serverJoined(serverId: string): Promise<void>;
  sweepLibraries(now?: Date): Promise<string[]>;
  close(): Promise<void>;
}

interface LibrariesInput {
  config: Config;
  options: EngineOptions;
  context: StoreContext;
  model: EngineModel;
  tuning: Readonly<Tuning>;
  log: EngineLog;
  /** The shared base: the engine's own store and its administration, and its scope (the engine's own methods). */
  shared: { store: CorpusStore; admin: Admin; scope: LibraryScope };
}

export function createLibraries({ config, options, context, model, tuning, log, shared }: LibrariesInput): Libraries {
  const opened = new Map<string, Promise<ServerLibrary>>();
  /** The libraries opened so far, for reusing their vectors. */
  const loaded = new Map<string, ServerLibrary>();
  const scopes = new Map<string, LibraryScope>();
  // Libraries of their own need the file store: PostgreSQL keeps one corpus for now.
  const supported = shared.store.kind === 'files';
  const allowed = (id: string): boolean => supported && (config.SERVER_LIBRARIES === 'on' || (Array.isArray(config.SERVER_LIBRARIES) && config.SERVER_LIBRARIES.includes(id)));
  const dirOf = (id: string) => path.join(config.LIBRARIES_DIR, id);
  const announcers: ((a: Announcement) => Promise<void>)[] = [];
  let feedsStarted = false;

  /** The feeds the server follows, as saved in its folder. */
  const readSubscriptions = async (id: string): Promise<Subscription[]> => {
    try {
      const data: unknown = JSON.parse(await readFile(path.join(dirOf(id), FEEDS_FILE), 'utf8'));
      return Array.isArray(data) ? data.filter((s): s is Subscription => typeof s?.url === 'string').map((s) => ({ url: s.url, channel: typeof s.channel === 'string' ? s.channel : null })) : [];
    } catch {
      return [];
    }
  };
  const saveSubscriptions = (id: string, list: readonly Subscription[]): Promise<void> => saveJson(path.join(dirOf(id), FEEDS_FILE), list);
  /** The server's feed follower for its current subscriptions (its state file keeps what was seen across restarts). */
  const follow = async (id: string, lib: ServerLibrary): Promise<void> => {
    await lib.follower?.stop();
    lib.follower = null;
    if (lib.subscriptions.length === 0) return;
    const { createFeedFollower } = await import('../web/feeds.js');
    lib.follower = await createFeedFollower({
      feeds: lib.subscriptions.map((s) => s.url),
      statePath: path.join(dirOf(id), FEED_STATE_FILE),
      intervalMs: config.FEED_INTERVAL,
      batch: config.FEED_BATCH,
      pauseMs: options.feedPauseMs ?? 1000,
      add: { seedsDir: path.join(dirOf(id), 'articles'), fetch: { allowPrivate: config.ALLOW_PRIVATE_URLS, ...options.fetch } },
      onChanged: () => lib.admin.reindexAfterChanges(),
      onNew: (saved) => announce(id, lib, saved),
      log: { info: (m) => log.info(`server ${id}: ${m}`), warn: (m) => log.warn(`server ${id}: ${m}`) },
    });
    if (feedsStarted) lib.follower.start();
  };
  /** Each new article once, in the channel its feed's subscription names; a failure to post is logged, never retried into a flood. */
  const announce = async (id: string, lib: ServerLibrary, saved: { feed: string; file: string }[]): Promise<void> => {
    for (const { feed, file } of saved) {
      const channel = lib.subscriptions.find((s) => s.url === feed)?.channel;
      const article = lib.store.view.corpus.articles.find((a) => a.file === file && a.kind === 'article');
      if (!channel || !article) continue;
      for (const a of announcers) await a({ serverId: id, channelId: channel, article }).catch((error: unknown) => log.warn(`server ${id}: could not announce ${file} (${error instanceof Error ? error.message : String(error)})`));
    }
  };

  /** The server's library, opened once; created (an empty folder) only when something is added to it. */
  const open = (id: string, create: boolean): Promise<ServerLibrary> | null => {
    let found = opened.get(id);
    if (found) return found;
    const articles = path.join(dirOf(id), 'articles');
    if (!create && !existsSync(articles)) return null;
    found = (async () => {
      await mkdir(articles, { recursive: true });
      const own = { ...config, SEEDS_DIR: articles, EMBEDDINGS_DIR: path.join(dirOf(id), 'index'), FEEDS: [] };
      const prepareVectors = options.embedder !== undefined || modelOnDisk(config.EMBEDDING_MODEL, config.MODELS_DIR);
      // Text another library holds already (the shared base, another server's) is not embedded again.
      const known = (text: string): number[] | undefined => {
        for (const other of [shared.store, ...[...loaded.entries()].filter(([k]) => k !== id).map(([, lib]) => lib.store)]) {
          const v = other.view.retrievers.dense?.sentenceVector(text);
          if (v) return v;
        }
        return undefined;
      };
      const reusing: StoreContext = {
        ...context,
        embedder: async () => {
          const embedder = await context.embedder();
          return embedder ? reusingVectors(embedder, known) : null;
        },
      };
      const store = new FileCorpusStore({ embeddingsDir: own.EMBEDDINGS_DIR, seedsDir: articles, prepareVectors }, reusing);
      const first = await store.update();
      const lib: ServerLibrary = { store, admin: await createAdmin(own, options, store, first, log), subscriptions: await readSubscriptions(id), follower: null };
      await follow(id, lib);
      loaded.set(id, lib);
      return lib;
    })();
    found.catch(() => opened.delete(id));
    opened.set(id, found);
    return found;
  };

  /** A server's settings, read once from its folder (a few bytes, read synchronously: every reply needs them). */
  const settingsOf = new Map<string, ServerSettings>();
  const readSettings = (id: string): ServerSettings => {
    let found = settingsOf.get(id);
    if (!found) {
      found = { ...DEFAULT_SETTINGS };
      try {
        const data = JSON.parse(readFileSync(path.join(dirOf(id), SETTINGS_FILE), 'utf8')) as Partial<ServerSettings>;
        if (data.language === 'fr' || data.language === 'en') found.language = data.language;
        if (typeof data.privateAnswers === 'boolean') found.privateAnswers = data.privateAnswers;
        if (typeof data.threads === 'boolean') found.threads = data.threads;
        if (typeof data.publicSources === 'boolean') found.publicSources = data.publicSources;
        if (typeof data.addRole === 'string' && /^\d{17,20}$/u.test(data.addRole)) found.addRole = data.addRole;
      } catch {
        // None saved: the defaults.
      }
      settingsOf.set(id, found);
    }
    return found;
  };

  /** Look-ups in a server's own library alone (what `/remove` may remove), one per library. */
  const ownLookupsOf = new WeakMap<ServerLibrary, ReturnType<typeof createLibrary>>();
  const ownLookups = (lib: ServerLibrary): ReturnType<typeof createLibrary> => {
    let found = ownLookupsOf.get(lib);
    if (!found) ownLookupsOf.set(lib, (found = createLibrary(lib.store, model, null, tuning)));
    return found;
  };

  const scopeOf = (id: string): LibraryScope => {
    // A library opened in the background is read once it has loaded; until then the shared base answers.
    let own: ServerLibrary | null = null;
    const loading = open(id, false);
    void loading?.then(
      (lib) => (own = lib),
      (error: unknown) => log.warn(`server ${id}: its library could not be read (${error instanceof Error ? error.message : String(error)})`),
    );
    const ready = async (): Promise<ServerLibrary | null> => {
      if (own) return own;
      const lib = open(id, false);
      return lib ? (own = await lib) : null;
    };
    const parts = (): ReadableStore[] => [...(config.SHARED_LIBRARY ? [shared.store] : []), ...(own ? [own.store] : [])];
    const merged = combinedStore(parts);
    const ask = createAsk(merged, model, tuning, log);
    const lookups = createLibrary(merged, model, null, tuning);
    return {
      id,
      async ask(question, opts) {
        await ready();
        return ask(question, opts);
      },
      async add(urls) {
        if (!allowed(id)) throw new ServerLibrariesOffError();
        const lib = (own = await open(id, true)!);
        const have = lib.store.view.corpus.articles.filter((a) => a.kind === 'article').length;
        if (have + urls.length > config.MAX_SERVER_ARTICLES) throw new ServerLibraryFullError(config.MAX_SERVER_ARTICLES, have);
        return lib.admin.add(urls);
      },
      async remove(wanted) {
        const lib = await ready();
        // Looked up in the server's own library only: the shared base is never touched from a server.
        const article = lib ? await ownLookups(lib).findArticle(wanted) : null;
        if (!lib || !article) return null;
        // The article's file holds it and its related items: all go, with their text and vectors at the re-index.
        await rm(path.join(dirOf(id), 'articles', path.basename(article.file)), { force: true });
        await lib.admin.reindex();
        return article;
      },
      async reindex() {
        const lib = await ready();
        if (!lib) return { articles: 0, passages: 0, skipped: [], kept: [], vectors: null };
        return lib.admin.reindex();
      },
      get reindexing() {
        return own?.admin.reindexing ?? false;
      },
      async findArticle(wanted) {
        await ready();
        return lookups.findArticle(wanted);
      },
      suggestArticles: (typed, limit) => lookups.suggestArticles(typed, limit),
      async summary(wanted) {
        await ready();
        return lookups.summary(wanted);
      },
      async news(question) {
        await ready();
        return lookups.news(question);
      },
      suggestOwnArticles: (typed, limit) => (own ? ownLookups(own).suggestArticles(typed, limit).filter((a) => a.kind === 'article') : []),
      async passageContext(passageId) {
        await ready();
        return merged.passageContext(passageId);
      },
      async followFeed(url, channel) {
        if (!allowed(id)) throw new ServerLibrariesOffError();
        if (!/^https?:\/\/\S+$/iu.test(url) || !URL.canParse(url)) throw new FeedUrlError('only http and https feed links are accepted');
        const lib = (own = await open(id, true)!);
        const others = lib.subscriptions.filter((s) => s.url !== url);
        if (others.length >= config.MAX_SERVER_FEEDS) throw new ServerFeedsFullError(config.MAX_SERVER_FEEDS);
        lib.subscriptions = [...others, { url, channel }];
        await saveSubscriptions(id, lib.subscriptions);
        await follow(id, lib);
      },
      async unfollowFeed(url) {
        const lib = await ready();
        if (!lib || !lib.subscriptions.some((s) => s.url === url)) return false;
        lib.subscriptions = lib.subscriptions.filter((s) => s.url !== url);
        await saveSubscriptions(id, lib.subscriptions);
        await follow(id, lib);
        return true;
      },
      async feeds() {
        await ready();
        if (!own) return [];
        const status = own.follower?.status() ?? [];
        return own.subscriptions.map((s) => ({ ...(status.find((x) => x.url === s.url) ?? { url: s.url, title: null, lastSuccess: null, lastError: null, articles: 0, pending: 0 }), channel: s.channel }));
      },
      settings: () => readSettings(id),
      async updateSettings(change) {
        const next = { ...readSettings(id), ...change };
        await mkdir(dirOf(id), { recursive: true });
        await saveJson(path.join(dirOf(id), SETTINGS_FILE), next);
        settingsOf.set(id, next);
        return next;
      },
      async runFeeds() {
        const lib = await ready();
        await lib?.follower?.runOnce({ force: true });
      },
      about(): AboutFacts {
        const facts = lookups.about();
        return { ...facts, feeds: shared.admin.feeds?.status() ?? [], own: own ? { articles: own.store.view.corpus.articles.length, passages: own.store.passageCount() } : null };
      },
    };
  };

  const api: Libraries = {
    library(serverId) {
      if (serverId === null) return shared.scope;
      let scope = scopes.get(serverId);
      if (!scope) scopes.set(serverId, (scope = scopeOf(serverId)));
      return scope;
    },
    serverLibrariesAllowed: allowed,
    onAnnouncement: (a) => void announcers.push(a),
    async serverLeft(serverId) {
      if (!/^\d{17,20}$/u.test(serverId) || !existsSync(dirOf(serverId))) return;
      await writeFile(path.join(dirOf(serverId), LEFT_FILE), `${new Date().toISOString()}\n`);
      const lib = loaded.get(serverId);
      await lib?.follower?.stop();
      log.info(`server ${serverId}: the bot was removed; its library is deleted in ${config.SERVER_RETENTION_DAYS} days unless it is invited again`);
    },
    async serverJoined(serverId) {
      if (!/^\d{17,20}$/u.test(serverId)) return;
      await rm(path.join(dirOf(serverId), LEFT_FILE), { force: true });
      const lib = loaded.get(serverId);
      if (feedsStarted) lib?.follower?.start();
    },
    async sweepLibraries(now = new Date()) {
      if (!existsSync(config.LIBRARIES_DIR)) return [];
      const deleted: string[] = [];
      for (const id of await readdir(config.LIBRARIES_DIR)) {
        if (!/^\d{17,20}$/u.test(id)) continue;
        const left = await readFile(path.join(dirOf(id), LEFT_FILE), 'utf8').then((t) => Date.parse(t.trim()), () => NaN);
        if (!Number.isFinite(left) || now.getTime() - left < config.SERVER_RETENTION_DAYS * DAY_MS) continue;
        // Everything derived from it goes with it: articles, text and vector indexes, feeds and their state.
        const lib = await opened.get(id)?.catch(() => null);
        await lib?.follower?.stop();
        await lib?.store.close();
        opened.delete(id);
        loaded.delete(id);
        settingsOf.delete(id);
        scopes.delete(id);
        await rm(dirOf(id), { recursive: true, force: true });
        log.info(`server ${id}: library deleted (${config.SERVER_RETENTION_DAYS} days after the bot was removed)`);
        deleted.push(id);
      }
      return deleted;
    },
    async startServerFeeds(hosts = () => true) {
      feedsStarted = true;
      // Every server that follows feeds: its library is opened (and its follower started) now, not at its first question.
      await api.sweepLibraries();
      const sweep = setInterval(() => void api.sweepLibraries().catch((error: unknown) => log.warn(`libraries sweep failed: ${error instanceof Error ? error.message : String(error)}`)), DAY_MS / 4);
      sweep.unref();
      // A server the bot has left keeps its library for a while, but its feeds are not polled.
      const ids = existsSync(config.LIBRARIES_DIR) ? (await readdir(config.LIBRARIES_DIR)).filter((d) => hosts(d) && existsSync(path.join(dirOf(d), FEEDS_FILE)) && !existsSync(path.join(dirOf(d), LEFT_FILE))) : [];
      for (const id of ids) {
        const lib = await open(id, false)?.catch(() => null);
        lib?.follower?.start();
      }
    },
    async close() {
      await Promise.all(
        [...opened.values()].map(async (p) => {
          const lib = await p.catch(() => null);
          await lib?.follower?.stop();
          await lib?.store.close();
        }),
      );
    },
  };
  return api;
}

/**
 * The embedder, taking the vector of a text that `known` holds (the same model's vector of the
 * same text, stored by another library) instead of embedding it again: identical text added by
 * two servers is embedded once.
 */
export function reusingVectors(embedder: Embedder, known: (text: string) => number[] | undefined): Embedder {
  const reusing = Object.create(embedder) as Embedder;
  reusing.embedPassages = async (texts, onProgress) => {
    const out = texts.map(known);
    const missing = texts.flatMap((_, i) => (out[i] ? [] : [i]));
    const reused = texts.length - missing.length;
    if (missing.length > 0) {
      const fresh = await embedder.embedPassages(
        missing.map((i) => texts[i]!),
        onProgress ? (done) => onProgress(reused + done, texts.length) : undefined,
      );
      missing.forEach((i, j) => (out[i] = fresh[j]));
    }
    onProgress?.(texts.length, texts.length);
    return out as number[][];
  };
  return reusing;
}

/** The server's library holds MAX_SERVER_ARTICLES articles already (or would with these). */
export class ServerLibraryFullError extends Error {
  override name = 'ServerLibraryFullError';
  constructor(
    readonly limit: number,
    readonly have: number,
  ) {
    super(`this server's library holds ${have} of at most ${limit} articles`);
  }
}

/** This server may not add articles of its own (SERVER_LIBRARIES, or the PostgreSQL store). */
export class ServerLibrariesOffError extends Error {
  override name = 'ServerLibrariesOffError';
  constructor() {
    super('articles cannot be added to this server’s library here');
  }
}

/**
 * Several stores read as one: their views merged (once per change of any of them: the merge
 * builds maps over every passage), each question's views merged the same way.
 */
export function combinedStore(parts: () => readonly ReadableStore[]): ReadableStore {
  let last: { views: readonly CorpusView[]; merged: CorpusView } | null = null;
  const merge = (views: readonly CorpusView[]): CorpusView => {
    if (views.length === 0) return EMPTY;
    if (last && last.views.length === views.length && last.views.every((v, i) => v === views[i])) return last.merged;
    const merged = mergeViews(views);
    last = { views, merged };
    return merged;
  };
  const holding = (article: Article): ReadableStore | undefined => parts().find((s) => s.view.corpus.articleById.has(article.id));
  return {
    get view() {
      return merge(parts().map((s) => s.view));
    },
    async forQuestion(topic, depth, lexicalOnly, embedder) {
      return merge(await Promise.all(parts().map((s) => s.forQuestion(topic, depth, lexicalOnly, embedder))));
    },
    get indexFree() {
      return parts().some((s) => s.indexFree);
    },
    article: (article) => holding(article)?.article(article) ?? Promise.resolve(null),
    passageCount: (file) => parts().reduce((n, s) => n + s.passageCount(file), 0),
    mode: (embedder) => parts()[0]?.mode(embedder) ?? 'lexical',
    get builtAt() {
      const times = parts()
        .map((s) => s.builtAt)
        .filter((t): t is string => t !== null)
        .sort();
      return times.at(-1) ?? null;
    },
    async passageContext(id): Promise<{ passage: Passage; corpus: LoadedCorpus } | null> {
      for (const s of parts()) {
        const found = await s.passageContext(id);
        if (found) return found;
      }
      return null;
    },
  };
}

/** A small JSON file of a server's, written whole or not at all. */
function saveJson(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { fsync: true });
}

/** In a server's folder: the feeds it follows, and what its follower has seen. */
const FEEDS_FILE = 'feeds.json';
const FEED_STATE_FILE = 'feed-state.json';
/** When the bot was removed from the server (ISO), while its library waits to be deleted. */
const LEFT_FILE = 'left-at';
const SETTINGS_FILE = 'settings.json';
const DAY_MS = 86_400_000;

/** A library with no articles (SHARED_LIBRARY=off and a server that has added none). */
const EMPTY: CorpusView = { corpus: indexCorpus([]), retrievers: { lexical: buildLexicalIndex([]) } };

