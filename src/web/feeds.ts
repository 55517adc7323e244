import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from 'feedsmith';
import writeFileAtomic from 'write-file-atomic';
import { addFromUrl, type AddOptions, type AddOutcome } from './add.js';
import { isoDay } from './extract.js';
import { FetchError, safeFetch } from './safe-fetch.js';

/**
 * Following RSS 2.0, Atom and JSON feeds: each feed is polled every interval; new items are
 * fetched and saved as articles, a few per pass; what was seen is persisted, so a restart
 * fetches nothing again; a failing feed or page is retried with backoff and never stops the others.
 */

export interface FeedItem {
  /** What identifies the item across polls: its guid/id, else its link. */
  key: string;
  link: string;
  title: string | null;
  /** The feed's `pubDate`/`published` as `YYYY-MM-DD`, or null. */
  date: string | null;
}

export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

/** A feed document → its title and items with links. Throws FeedParseError for anything that is not a feed. */
export function parseFeedItems(text: string, feedUrl: string): { title: string | null; items: FeedItem[] } {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    throw new FeedParseError(`not a valid RSS, Atom or JSON feed (${(error as Error).message})`);
  }
  const resolve = (href: unknown): string | null => {
    if (typeof href !== 'string' || href.trim() === '') return null;
    try {
      const url = new URL(href.trim(), feedUrl);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  };
  const text_ = (v: unknown): string | null => {
    if (typeof v === 'string') return v.trim() || null;
    if (v && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string') return (v as { value: string }).value.trim() || null;
    return null;
  };
  const day = (v: unknown): string | null => (typeof v === 'string' ? isoDay(v) : null);
  const items: FeedItem[] = [];
  const push = (key: string | null, link: string | null, title: string | null, date: string | null): void => {
    if (link) items.push({ key: key ?? link, link, title, date });
  };
  switch (parsed.format) {
    case 'rss': {
      const feed = parsed.feed as { title?: unknown; items?: { link?: unknown; guid?: { value?: unknown }; title?: unknown; pubDate?: unknown; dc?: { date?: unknown } }[] };
      for (const item of feed.items ?? []) push(text_(item.guid?.value), resolve(item.link) ?? resolve(item.guid?.value), text_(item.title), day(item.pubDate) ?? day(item.dc?.date));
      return { title: text_(feed.title), items };
    }
    case 'atom': {
      const feed = parsed.feed as { title?: unknown; entries?: { id?: unknown; links?: { href?: unknown; rel?: unknown }[]; title?: unknown; published?: unknown; updated?: unknown }[] };
      for (const e of feed.entries ?? []) {
        const link = e.links?.find((l) => l.rel === undefined || l.rel === 'alternate') ?? e.links?.[0];
        push(text_(e.id), resolve(link?.href), text_(e.title), day(e.published) ?? day(e.updated));
      }
      return { title: text_(feed.title), items };
    }
    case 'json': {
      const feed = parsed.feed as { title?: unknown; items?: { id?: unknown; url?: unknown; external_url?: unknown; title?: unknown; date_published?: unknown }[] };
      for (const i of feed.items ?? []) push(i.id === undefined ? null : String(i.id), resolve(i.url) ?? resolve(i.external_url), text_(i.title), day(i.date_published));
      return { title: text_(feed.title), items };
    }
    case 'rdf': {
      const feed = parsed.feed as { title?: unknown; items?: { link?: unknown; title?: unknown; dc?: { date?: unknown } }[] };
      for (const i of feed.items ?? []) push(null, resolve(i.link), text_(i.title), day(i.dc?.date));
      return { title: text_(feed.title), items };
    }
    default:
      throw new FeedParseError('not a valid RSS, Atom or JSON feed');
  }
}

/** What is kept about one feed between runs. */
export interface FeedState {
  url: string;
  title: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Consecutive failures of the feed itself (not of its pages). */
  failures: number;
  /** When the feed is next due (ISO), or null for "now". */
  nextAttempt: string | null;
  /** Items done with: saved (with their file) or given up on (with the reason). */
  seen: Record<string, { at: string; file?: string; error?: string }>;
  /** Items whose page failed in a way that may pass, and when to try again. */
  retry: Record<string, { failures: number; next: string; error: string }>;
  /** The items the feed listed when first read: saved like the others, never announced as new. */
  archive?: string[];
}

/** A feed as `/about` shows it. */
export interface FeedStatus {
  url: string;
  title: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  /** Articles saved from this feed. */
  articles: number;
  /** Items waiting for a later pass. */
  pending: number;
}

export interface PassReport {
  feeds: number;
  /** Feeds that could not be read this pass. */
  failedFeeds: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** New items left for a later pass (pacing). */
  remaining: number;
}

export interface FeedFollowerOptions {
  feeds: readonly string[];
  statePath: string;
  intervalMs: number;
  /** At most this many new items per feed and pass. */
  batch: number;
  add: Omit<AddOptions, 'fallbackDate'>;
  /** Pause between two page fetches of a pass (politeness). */
  pauseMs?: number;
  /** Called once after a pass that saved or changed articles (re-index). */
  onChanged?: () => Promise<unknown>;
  /**
   * Called after `onChanged` with the articles this pass saved for the first time from feeds
   * read before: what a server's channel is told about. The items a feed lists when it is first
   * read (its archive) are saved but not announced, so following a feed never floods a channel.
   */
  onNew?: (saved: { feed: string; file: string; link: string }[]) => Promise<unknown>;
  log?: { info(message: string): void; warn(message: string): void };
  now?: () => number;
}

export interface FeedFollower {
  /** One pass over every feed that is due (all of them with `force`). */
  runOnce(options?: { force?: boolean; onProgress?: (done: number, total: number, label: string) => void }): Promise<PassReport>;
  /** Polls in the background until `stop()`. */
  start(): void;
  stop(): Promise<void>;
  status(): FeedStatus[];
}

/** Item pages that keep failing are given up after this many tries. */
const MAX_ITEM_TRIES = 5;
const RETRY_BASE_MS = 60_000;
/** Seen items kept per feed beyond what the feed still lists. */
const SEEN_KEEP = 2000;

export async function createFeedFollower(options: FeedFollowerOptions): Promise<FeedFollower> {
  const now = options.now ?? Date.now;
  const log = options.log ?? { info: () => {}, warn: () => {} };
  const saved = await readState(options.statePath);
  const states = new Map<string, FeedState>(options.feeds.map((url) => [url, saved[url] ?? newFeedState(url)]));
  const backoff = (failures: number): number => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), Math.max(options.intervalMs * 4, RETRY_BASE_MS));
  const clock: Clock = { now, backoff, log };
  const persist = (): Promise<void> => saveStates(options.statePath, states, log);

  let passing: Promise<PassReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  async function pass(force: boolean, onProgress?: (done: number, total: number, label: string) => void): Promise<PassReport> {
    const report: PassReport = { feeds: 0, failedFeeds: 0, added: 0, updated: 0, unchanged: 0, failed: 0, remaining: 0 };
    const due = [...states.values()].filter((s) => force || s.nextAttempt === null || Date.parse(s.nextAttempt) <= now());
    // First every due feed is read, so the progress bar knows the whole pass.
    const work: { state: FeedState; items: FeedItem[] }[] = [];
    for (const state of due) {
      report.feeds++;
      const items = await readFeed(state, options, clock, report);
      if (items) work.push({ state, items });
    }
    await persist();

    const total = work.reduce((n, w) => n + w.items.length, 0);
    let done = 0;
    onProgress?.(0, total, '');
    const fresh: { feed: string; file: string; link: string }[] = [];
    for (const { state, items } of work) {
      const archive = new Set(state.archive ?? []);
      for (const item of items) {
        if (done > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        const outcome: AddOutcome = await addFromUrl(item.link, { ...options.add, fallbackDate: item.date });
        recordOutcome(state, item, outcome, report, clock);
        if (!archive.has(item.key) && outcome.ok && outcome.status === 'added') fresh.push({ feed: state.url, file: outcome.file, link: item.link });
        done++;
        onProgress?.(done, total, item.title ?? item.link);
        // Saved after every item: a pass stopped half way does not fetch again what it saved.
        await persist();
      }
    }
    if (report.added + report.updated > 0) await options.onChanged?.();
    if (fresh.length > 0) await options.onNew?.(fresh);
    // A pass with nothing due (every feed read recently) is not news: "0 feeds" read as "none configured".
    if (report.feeds > 0) log.info(`Feeds: ${describePass(report)}.`);
    return report;
  }

  const schedule = (): void => {
    if (stopped) return;
    const next = Math.min(...[...states.values()].map((s) => (s.nextAttempt ? Date.parse(s.nextAttempt) : now())));
    const wait = Math.max(1000, Math.min((Number.isFinite(next) ? next : now() + options.intervalMs) - now(), 2 ** 31 - 1));
    timer = setTimeout(() => {
      timer = null;
      follower.runOnce().catch((error: unknown) => log.warn(`Feed pass failed: ${(error as Error).message}`)).finally(schedule);
    }, wait);
    timer.unref();
  };

  const follower: FeedFollower = {
    runOnce(opts = {}) {
      passing ??= pass(opts.force ?? false, opts.onProgress).finally(() => {
        passing = null;
      });
      return passing;
    },
    start() {
      if (!stopped || states.size === 0) return;
      stopped = false;
      follower.runOnce().catch((error: unknown) => log.warn(`Feed pass failed: ${(error as Error).message}`)).finally(schedule);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await passing?.catch(() => undefined);
    },
    status: () => [...states.values()].map(statusOf),
  };
  return follower;
}

/** What a follower's pass needs to know of time and where to report. */
interface Clock {
  now: () => number;
  /** Wait before the next try after `failures` failures in a row (ms). */
  backoff: (failures: number) => number;
  log: { info(message: string): void; warn(message: string): void };
}

/** Saves what the follower has seen; a failure to save is said, and the pass goes on. */
async function saveStates(file: string, states: ReadonlyMap<string, FeedState>, log: Clock['log']): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(Object.fromEntries(states), null, 1)}\n`, { fsync: true });
  } catch (error) {
    log.warn(`Could not save the feed state (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

function newFeedState(url: string): FeedState {
  return { url, title: null, lastSuccess: null, lastError: null, lastErrorAt: null, failures: 0, nextAttempt: null, seen: {}, retry: {} };
}

/**
 * Reads one due feed: its items not yet seen (nor waiting for a retry), newest first, at most a
 * batch of them; the state records the success or failure and when to come back. Null when the
 * feed could not be read.
 */
async function readFeed(state: FeedState, options: FeedFollowerOptions, { now, backoff, log }: Clock, report: PassReport): Promise<FeedItem[] | null> {
  try {
    const page = await safeFetch(state.url, { ...options.add.fetch, kind: 'feed' });
    const { title, items } = parseFeedItems(page.text, page.url);
    state.title = title ?? state.title;
    if (state.lastSuccess === null) state.archive = items.map((i) => i.key);
    state.lastSuccess = new Date(now()).toISOString();
    state.failures = 0;
    const listed = new Set(items.map((i) => i.key));
    const pending = items.filter((i) => !state.seen[i.key] && (!state.retry[i.key] || Date.parse(state.retry[i.key]!.next) <= now()));
    // Newest first: a feed with hundreds of items gives today's news first.
    pending.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
    const batch = pending.slice(0, options.batch);
    report.remaining += pending.length - batch.length;
    state.nextAttempt = new Date(now() + (pending.length > batch.length ? Math.min(RETRY_BASE_MS, options.intervalMs) : options.intervalMs)).toISOString();
    pruneSeen(state, listed);
    return batch;
  } catch (error) {
    report.failedFeeds++;
    state.failures++;
    state.lastError = error instanceof FetchError || error instanceof FeedParseError ? error.message : 'unexpected error';
    state.lastErrorAt = new Date(now()).toISOString();
    state.nextAttempt = new Date(now() + backoff(state.failures)).toISOString();
    log.warn(`Feed ${state.url}: ${state.lastError}; next try ${state.nextAttempt}.`);
    return null;
  }
}

/** Records what adding one item gave: seen for good, or (a transient failure, tries left) to retry later. */
function recordOutcome(state: FeedState, item: FeedItem, outcome: AddOutcome, report: PassReport, { now, backoff, log }: Clock): void {
  const at = new Date(now()).toISOString();
  if (outcome.ok) {
    state.seen[item.key] = { at, file: outcome.file };
    delete state.retry[item.key];
    report[outcome.status]++;
    return;
  }
  report.failed++;
  const tries = (state.retry[item.key]?.failures ?? 0) + 1;
  if (outcome.error.transient && tries < MAX_ITEM_TRIES) {
    state.retry[item.key] = { failures: tries, next: new Date(now() + backoff(tries)).toISOString(), error: outcome.error.message };
  } else {
    state.seen[item.key] = { at, error: outcome.error.message };
    delete state.retry[item.key];
  }
  log.warn(`Feed item ${item.link}: ${outcome.error.message}.`);
}

function statusOf(s: FeedState): FeedStatus {
  return {
    url: s.url,
    title: s.title,
    lastSuccess: s.lastSuccess,
    lastError: s.lastErrorAt && (!s.lastSuccess || s.lastErrorAt > s.lastSuccess) ? s.lastError : null,
    articles: new Set(Object.values(s.seen).flatMap((v) => (v.file ? [v.file] : []))).size,
    pending: Object.keys(s.retry).length,
  };
}

export function describePass(r: PassReport): string {
  const failedFeeds = r.failedFeeds > 0 ? `, ${r.failedFeeds} could not be read` : '';
  const remaining = r.remaining > 0 ? `, ${r.remaining} left for the next pass` : '';
  return `${r.feeds} feeds${failedFeeds}; ${r.added} new articles, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} failed${remaining}`;
}

function pruneSeen(state: FeedState, listed: ReadonlySet<string>): void {
  const keys = Object.keys(state.seen);
  if (keys.length <= SEEN_KEEP) return;
  const gone = keys.filter((k) => !listed.has(k)).sort((a, b) => state.seen[a]!.at.localeCompare(state.seen[b]!.at));
  for (const k of gone.slice(0, keys.length - SEEN_KEEP)) delete state.seen[k];
}

async function readState(file: string): Promise<Record<string, FeedState>> {
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
    const out: Record<string, FeedState> = {};
    for (const [url, s] of Object.entries(data as Record<string, Partial<FeedState>>)) {
      if (!s || typeof s !== 'object') continue;
      out[url] = {
        url,
        title: s.title ?? null,
        lastSuccess: s.lastSuccess ?? null,
        lastError: s.lastError ?? null,
        lastErrorAt: s.lastErrorAt ?? null,
        failures: s.failures ?? 0,
        nextAttempt: s.nextAttempt ?? null,
        seen: s.seen && typeof s.seen === 'object' ? s.seen : {},
        retry: s.retry && typeof s.retry === 'object' ? s.retry : {},
        ...(Array.isArray(s.archive) ? { archive: s.archive.filter((k): k is string => typeof k === 'string') } : {}),
      };
    }
    return out;
  } catch {
    return {};
  }
}
