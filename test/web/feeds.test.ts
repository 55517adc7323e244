import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { createFeedFollower, parseFeedItems } from '../../src/web/feeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { FR_PARAGRAPHS, atomFeed, englishArticle, frenchArticle, rssFeed, undatedStory } from './pages.js';
import { startNewsServer, type NewsServer } from './server.js';

let site: NewsServer;
const STORY = [
  'Le conseil provincial de Quang Ninh a approuvé la construction d’un pont de 2,4 kilomètres entre Ha Long et l’île de Tuan Chau, qui doit ouvrir en 2027.',
  'Les travaux seront confiés à un consortium de trois entreprises vietnamiennes, a précisé le président du conseil.',
];

beforeAll(async () => {
  site = await startNewsServer();
  const o = site.origin;
  site.page('/economie/haiphong-terminal', frenchArticle(o));
  site.page('/news/da-nang-light-rail', englishArticle(o));
  site.page('/pont', undatedStory('Quang Ninh : un pont vers Tuan Chau', STORY));
  site.routes.set('/flaky', (_q, r) => void r.writeHead(503, { 'content-type': 'text/html' }).end('busy'));
  site.page(
    '/rss.xml',
    rssFeed(o, [
      { path: '/economie/haiphong-terminal', title: 'Haiphong inaugure un terminal', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' },
      { path: '/pont', title: 'Un pont vers Tuan Chau', pubDate: 'Mon, 20 Oct 2025 08:00:00 +0700' },
      { path: '/gone', title: 'Article retiré', pubDate: 'Sun, 19 Oct 2025 08:00:00 +0700' },
      { path: '/flaky', title: 'Serveur occupé', pubDate: 'Sat, 18 Oct 2025 08:00:00 +0700' },
    ]),
    'application/rss+xml; charset=utf-8',
  );
  site.page('/atom.xml', atomFeed(o, [{ path: '/news/da-nang-light-rail', title: 'Da Nang light rail', published: '2025-10-09T14:00:00Z' }]), 'application/atom+xml');
  site.page('/broken.xml', '<?xml version="1.0"?><rss version="2.0"><channel><title>Cassé</title><item><title>Sans fin', 'application/rss+xml');
  site.routes.set('/down.xml', (_q, r) => void r.writeHead(500, { 'content-type': 'text/html' }).end('oops'));
  // A feed with 50 items: paced over several passes.
  const many = Array.from({ length: 50 }, (_, i) => ({ path: `/many/${i}`, title: `Brève ${i}`, pubDate: `Wed, ${String((i % 28) + 1).padStart(2, '0')} Oct 2025 08:00:00 GMT` }));
  for (const m of many) {
    const n = m.path.split('/')[2];
    site.page(m.path, undatedStory(`Brève numéro ${n}`, [`La brève numéro ${n} raconte l’ouverture du marché flottant de Cai Rang le matin, avec ${n} bateaux chargés de fruits du delta du Mékong.`, `Les commerçants du marché numéro ${n} vendent des mangues, des ananas et des pastèques aux visiteurs venus de Can Tho et de Hô Chi Minh-Ville.`]));
  }
  site.page('/many.xml', rssFeed(o, many), 'application/rss+xml');
});
afterAll(() => site.close());

async function engineFor(dir: string, feeds: string[], extra: Record<string, string> = {}): Promise<Engine> {
  const config = loadConfig({
    SEEDS_DIR: path.join(dir, 'seeds'),
    EMBEDDINGS_DIR: path.join(dir, 'embeddings'),
    EMBEDDING_MODEL: path.join(dir, 'no-model'),
    OFFLINE: '1',
    ALLOW_PRIVATE_URLS: '1',
    FEEDS: feeds.join(','),
    ...extra,
  });
  return createEngine(config, { log: { info: () => {}, warn: () => {} }, feedPauseMs: 0, fetch: { timeoutMs: 3_000 } });
}

describe('parsing feeds', () => {
  it('reads RSS 2.0, Atom and JSON Feed items with their links and dates', () => {
    const o = 'http://news.example';
    expect(parseFeedItems(rssFeed(o, [{ path: '/a', title: 'A', pubDate: 'Mon, 20 Oct 2025 08:00:00 +0700' }]), `${o}/rss`).items).toEqual([{ key: `${o}/a`, link: `${o}/a`, title: 'A', date: '2025-10-20' }]);
    expect(parseFeedItems(atomFeed(o, [{ path: '/b', title: 'B', published: '2025-10-09T14:00:00Z' }]), `${o}/atom`).items).toEqual([{ key: `${o}/b`, link: `${o}/b`, title: 'B', date: '2025-10-09' }]);
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: '7', url: '/c', title: 'C', date_published: '2025-10-11T10:00:00+02:00' }] });
    expect(parseFeedItems(json, `${o}/feed.json`)).toEqual({ title: 'J', items: [{ key: '7', link: `${o}/c`, title: 'C', date: '2025-10-11' }] });
    expect(() => parseFeedItems('<rss><channel><item><title>x', o)).toThrow(/not a valid RSS, Atom or JSON feed/u);
    expect(() => parseFeedItems('<html><body>Bonjour</body></html>', o)).toThrow(/not a valid RSS, Atom or JSON feed/u);
  });
});

describe('following feeds', () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = await makeTempDir('feeds-');
    await mkdir(path.join(dir, 'seeds'));
    await writeFile(path.join(dir, 'seeds', 'old.txt'), 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik.');
    engine = await engineFor(dir, [`${site.origin}/rss.xml`, `${site.origin}/broken.xml`, `${site.origin}/down.xml`, `${site.origin}/atom.xml`]);
  });

  it('adds new items of RSS and Atom feeds; a broken or failing feed stops nothing', async () => {
    const report = await engine.feeds!.runOnce();
    expect(report).toMatchObject({ feeds: 4, failedFeeds: 2, added: 3, updated: 0, failed: 2, remaining: 0 });
    const files = (await readdir(path.join(dir, 'seeds'))).sort();
    expect(files).toEqual(['da-nang-approves-airport-light-rail-line.md', 'haiphong-inaugure-un-terminal-a-conteneurs-geant.md', 'old.txt', 'quang-ninh-un-pont-vers-tuan-chau.md']);
    // The page's own date wins; a page without one takes the feed's pubDate.
    expect(await readFile(path.join(dir, 'seeds', 'haiphong-inaugure-un-terminal-a-conteneurs-geant.md'), 'utf8')).toMatch(/^date: 2025-10-14$/mu);
    expect(await readFile(path.join(dir, 'seeds', 'quang-ninh-un-pont-vers-tuan-chau.md'), 'utf8')).toMatch(/^date: 2025-10-20$/mu);
    // And the index was updated once, after the pass.
    const answer = await engine.ask('Quand le pont vers l’île de Tuan Chau doit-il ouvrir ?');
    expect(answer.results[0]!.source).toBe('quang-ninh-un-pont-vers-tuan-chau.md');
    expect((await engine.ask(FR_PARAGRAPHS[0]!)).results[0]!.source).toBe('haiphong-inaugure-un-terminal-a-conteneurs-geant.md');
  });

  it('reports each feed: last success, last error, article count', () => {
    const status = Object.fromEntries(engine.about().feeds.map((f) => [f.url.replace(site.origin, ''), f]));
    expect(status['/rss.xml']).toMatchObject({ title: 'Le Quotidien du Delta', lastError: null, articles: 2, pending: 1 });
    expect(status['/rss.xml']!.lastSuccess).toMatch(/^\d{4}-\d\d-\d\dT/u);
    expect(status['/atom.xml']).toMatchObject({ title: 'Delta Daily', articles: 1 });
    expect(status['/broken.xml']).toMatchObject({ lastSuccess: null, articles: 0 });
    expect(status['/broken.xml']!.lastError).toMatch(/^not a valid RSS, Atom or JSON feed/u);
    expect(status['/down.xml']!.lastError).toBe('the server answered 500');
  });

  it('persists what was seen: after a restart nothing is fetched again; failures wait for their backoff', async () => {
    const pageHits = (): number => ['/economie/haiphong-terminal', '/news/da-nang-light-rail', '/pont', '/gone', '/flaky'].reduce((n, p) => n + (site.hits.get(p) ?? 0), 0);
    const feedHits = (): number => site.hits.get('/rss.xml') ?? 0;
    const before = { pages: pageHits(), feed: feedHits(), down: site.hits.get('/down.xml') ?? 0 };
    const state = JSON.parse(await readFile(path.join(dir, 'embeddings', 'feeds.json'), 'utf8')) as Record<string, { seen: Record<string, { error?: string }>; retry: Record<string, { next: string }>; nextAttempt: string; failures: number }>;
    const rss = state[`${site.origin}/rss.xml`]!;
    expect(rss.seen[`${site.origin}/gone`]!.error).toBe('the server answered 404');
    expect(Date.parse(rss.retry[`${site.origin}/flaky`]!.next)).toBeGreaterThan(Date.now());
    expect(state[`${site.origin}/down.xml`]!.failures).toBe(1);
    expect(Date.parse(state[`${site.origin}/down.xml`]!.nextAttempt)).toBeGreaterThan(Date.now());

    const restarted = await engineFor(dir, [`${site.origin}/rss.xml`, `${site.origin}/broken.xml`, `${site.origin}/down.xml`, `${site.origin}/atom.xml`]);
    // Not due yet: a restart does not poll again at once.
    expect(await restarted.feeds!.runOnce()).toMatchObject({ feeds: 0, added: 0 });
    expect(feedHits()).toBe(before.feed);
    // Forced, the feeds are read again, but no page already seen (or waiting for its retry) is fetched.
    const forced = await restarted.feeds!.runOnce({ force: true });
    expect(forced).toMatchObject({ feeds: 4, added: 0, updated: 0, failed: 0 });
    expect(feedHits()).toBe(before.feed + 1);
    expect(pageHits()).toBe(before.pages);
    expect(site.hits.get('/down.xml')).toBe(before.down + 1);
    expect(restarted.about().feeds.find((f) => f.url.endsWith('/down.xml'))!.lastError).toBe('the server answered 500');
    expect(restarted.about().articles).toBe(engine.about().articles);
  });

  it('paces a feed with many items: FEED_BATCH per pass, newest first, the rest on later passes', async () => {
    const d = await makeTempDir('feeds-many-');
    await mkdir(path.join(d, 'seeds'));
    const e = await engineFor(d, [`${site.origin}/many.xml`], { FEED_BATCH: '20' });
    const first = await e.feeds!.runOnce();
    expect(first).toMatchObject({ added: 20, remaining: 30 });
    const fetched = [...site.hits.keys()].filter((k) => k.startsWith('/many/'));
    expect(fetched).toHaveLength(20);
    // Newest first: the items dated 28 October (and the later days) came before the 1st.
    expect(site.hits.get('/many/27')).toBe(1);
    expect(site.hits.get('/many/0') ?? 0).toBe(0);
    // The rest is due soon, not in 30 minutes.
    const next = Date.parse(e.about().feeds[0] ? JSON.parse(await readFile(path.join(d, 'embeddings', 'feeds.json'), 'utf8'))[`${site.origin}/many.xml`].nextAttempt : '');
    expect(next - Date.now()).toBeLessThanOrEqual(60_000);
    expect(await e.feeds!.runOnce({ force: true })).toMatchObject({ added: 20, remaining: 10 });
    expect(await e.feeds!.runOnce({ force: true })).toMatchObject({ added: 10, remaining: 0 });
    expect((await readdir(path.join(d, 'seeds'))).length).toBe(50);
  });
});

describe('feed pass logs', () => {
  it('say what a pass read, and nothing when no feed was due (not "0 feeds" while feeds are configured)', async () => {
    const dir = await makeTempDir('feeds-log-');
    await mkdir(path.join(dir, 'seeds'));
    const lines: string[] = [];
    const follower = await createFeedFollower({
      feeds: [`${site.origin}/broken.xml`, `${site.origin}/down.xml`],
      statePath: path.join(dir, 'feeds.json'),
      intervalMs: 3_600_000,
      batch: 5,
      pauseMs: 0,
      add: { seedsDir: path.join(dir, 'seeds'), fetch: { allowPrivate: true, timeoutMs: 3_000 } },
      log: { info: (m) => lines.push(m), warn: () => {} },
    });
    await follower.runOnce();
    expect(lines.filter((l) => l.startsWith('Feeds:'))).toEqual([expect.stringMatching(/^Feeds: 2 feeds, 2 could not be read;/u)]);
    // Both were just read (and failed): neither is due yet.
    await follower.runOnce();
    expect(lines.filter((l) => l.startsWith('Feeds:'))).toHaveLength(1);
    await follower.stop();
  });
});
