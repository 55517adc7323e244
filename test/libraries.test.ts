import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { bm25Idf, buildLexicalIndex } from '../src/core/retrieval/index.js';
import { mergeViews } from '../src/core/store/index.js';
import { indexCorpus } from '../src/core/text/index.js';
import { createEngine, ServerLibrariesOffError } from '../src/engine/index.js';
import { runCli } from './helpers/cli.js';
import { seedsWith } from './helpers/pg.js';
import { makeTempDir } from './helpers/static-model.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';
import { englishArticle, frenchArticle, rssFeed } from './web/pages.js';
import { startNewsServer } from './web/server.js';
import { FeedUrlError, ServerFeedsFullError, type Announcement } from '../src/engine/index.js';

const A = '1111111111111111111';
const B = '2222222222222222222';
const SHARED = 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const OWN = 'date 2019-03 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord de pêche.';
const quiet = { info: () => {}, warn: () => {} };

/** An engine over a shared base, with server A's library holding one article. */
async function setUp(env: Record<string, string> = {}) {
  const seeds = await seedsWith({ 'shared.txt': SHARED });
  const root = await makeTempDir('libs-');
  const libraries = path.join(root, 'libraries');
  await mkdir(path.join(libraries, A, 'articles'), { recursive: true });
  await writeFile(path.join(libraries, A, 'articles', 'own.txt'), OWN);
  const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(root, 'embeddings'), LIBRARIES_DIR: libraries, OFFLINE: '1', ...env });
  return { config, libraries, engine: await createEngine(config, { log: quiet, embedder: trigramEmbedder() }) };
}

describe('libraries: each server its own articles, and the shared base', () => {
  it('answers from A’s library in A only; B and the shared base never see it, in answers, titles, passages or dates', async () => {
    const { engine } = await setUp();
    const q = 'ferme de saumons norvégiens à Bergen';
    const inA = await engine.library(A).ask(q);
    expect(inA.match).toBe('answer');
    expect(inA.results[0]!.quote).toContain('saumons norvégiens');
    for (const scope of [engine.library(B), engine.library(null)]) {
      const a = await scope.ask(q);
      expect(a.results.every((r) => !r.quote.includes('saumons')), String(scope.id)).toBe(true);
      expect(scope.suggestArticles('saumons', 10)).toEqual([]);
      expect(await scope.findArticle('own.txt')).toBeNull();
      expect(await scope.passageContext(inA.results[0]!.passageId)).toBeNull();
      expect(scope.about().articles).toBe(1);
    }
    expect(engine.library(A).about()).toMatchObject({ articles: 2, own: { articles: 1 } });
    // The shared base is everyone's.
    for (const id of [A, B, null]) expect((await engine.library(id).ask('observatoire des volcans islandais à Reykjavik')).match).toBe('answer');
    // A period only A's article is from: B is told the articles' dates are its own (the shared base's), never A's.
    const period = await engine.library(B).ask('Qui a visité une ferme de saumons en mars 2019 ?');
    expect(period.outsideDates).toEqual({ first: '2025-01', last: '2025-01', undated: [] });
    expect((await engine.library(A).ask('Qui a visité une ferme de saumons en mars 2019 ?')).results[0]?.quote).toContain('saumons');
    await engine.close();
  });

  it('SHARED_LIBRARY=off: a server is answered from its own articles only (a DM still from the shared base)', async () => {
    const { engine } = await setUp({ SHARED_LIBRARY: 'off' });
    expect((await engine.library(A).ask('observatoire des volcans islandais à Reykjavik')).match).not.toBe('answer');
    expect((await engine.library(A).ask('ferme de saumons norvégiens à Bergen')).match).toBe('answer');
    expect((await engine.library(B).ask('observatoire des volcans islandais à Reykjavik')).match).toBe('nothing');
    expect((await engine.library(null).ask('observatoire des volcans islandais à Reykjavik')).match).toBe('answer');
    await engine.close();
  });

  it('SERVER_LIBRARIES: off refuses adding in every server; a list allows those servers only', async () => {
    const off = await setUp({ SERVER_LIBRARIES: 'off' });
    expect(off.engine.serverLibrariesAllowed(A)).toBe(false);
    await expect(off.engine.library(A).add(['https://example.org/a'])).rejects.toThrow(ServerLibrariesOffError);
    await off.engine.close();
    const listed = await setUp({ SERVER_LIBRARIES: A });
    expect([listed.engine.serverLibrariesAllowed(A), listed.engine.serverLibrariesAllowed(B)]).toEqual([true, false]);
    await listed.engine.close();
    const full = await setUp({ MAX_SERVER_ARTICLES: '1' });
    await expect(full.engine.library(A).add(['https://example.org/a'])).rejects.toThrow(/holds 1 of at most 1 articles/u);
    await full.engine.close();
    expect(() => loadConfig({ SERVER_LIBRARIES: 'some' })).toThrow(/SERVER_LIBRARIES: must be on, off, or server ids/u);
    expect(() => loadConfig({ SHARED_LIBRARY: 'maybe' })).toThrow(/SHARED_LIBRARY: must be on or off/u);
  });

  it('re-indexes a server’s library on its own: a new article of A is answered in A after its re-index, never elsewhere', async () => {
    const { engine, libraries } = await setUp();
    await writeFile(path.join(libraries, A, 'articles', 'more.txt'), 'date 2024-05 Les experts ont visité la centrale géothermique de Hellisheidi. Ils ont mesuré la vapeur.');
    const r = await engine.library(A).reindex();
    expect(r.articles).toBe(2);
    expect((await engine.library(A).ask('centrale géothermique de Hellisheidi')).match).toBe('answer');
    expect((await engine.library(B).ask('centrale géothermique de Hellisheidi')).match).toBe('nothing');
    await engine.close();
  });

  it('npm run ask -- --library shows what a server sees', async () => {
    const { config } = await setUp();
    const env = { SEEDS_DIR: config.SEEDS_DIR, EMBEDDINGS_DIR: config.EMBEDDINGS_DIR, LIBRARIES_DIR: config.LIBRARIES_DIR, OFFLINE: '1' };
    const inA = JSON.parse(runCli('ask', ['--json', '--library', A, 'ferme de saumons norvégiens à Bergen'], env).stdout);
    expect(inA.match).toBe('answer');
    const shared = JSON.parse(runCli('ask', ['--json', 'ferme de saumons norvégiens à Bergen'], env).stdout);
    expect(shared.results.every((r: { quote: string }) => !r.quote.includes('saumons'))).toBe(true);
    const bad = runCli('ask', ['--library', 'abc', 'question'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--library: must be a server id/u);
  }, 60_000);
});

describe('vectors shared between libraries', () => {
  it('embeds a text two servers both added once: the second library takes the first one’s vectors', async () => {
    const seeds = await seedsWith({ 'shared.txt': SHARED });
    const root = await makeTempDir('libs-share-');
    const libraries = path.join(root, 'libraries');
    for (const id of [A, B]) {
      await mkdir(path.join(libraries, id, 'articles'), { recursive: true });
      await writeFile(path.join(libraries, id, 'articles', 'own.txt'), OWN);
    }
    const inner = trigramEmbedder();
    let embedded = 0;
    const counting = Object.create(inner) as typeof inner;
    counting.embedPassages = (texts, onProgress) => {
      embedded += texts.length;
      return inner.embedPassages(texts, onProgress);
    };
    const engine = await createEngine(loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(root, 'embeddings'), LIBRARIES_DIR: libraries }), { log: quiet, embedder: counting });
    expect(engine.mode).toBe('hybrid');
    const before = embedded;
    expect((await engine.library(A).ask('ferme de saumons norvégiens à Bergen')).match).toBe('answer');
    const forA = embedded - before;
    expect(forA).toBeGreaterThan(0);
    const b = await engine.library(B).ask('ferme de saumons norvégiens à Bergen');
    expect(b.match).toBe('answer');
    expect(b.mode).toBe('hybrid');
    expect(embedded - before - forA).toBe(0);
    await engine.close();
  });
});

describe('mergeViews', () => {
  it('weighs a term from the merged libraries’ counts, as one index over both would', () => {
    const one = indexCorpus([{ id: 'a', file: 'a', kind: 'article', title: 'a', date: null, dateText: null, link: null, paragraphs: [['Les saumons de Bergen.', 'Une ferme.']] }]);
    const two = indexCorpus([{ id: 'b', file: 'b', kind: 'article', title: 'b', date: null, dateText: null, link: null, paragraphs: [['Des volcans.', 'Des saumons encore.']] }]);
    const merged = mergeViews([
      { corpus: one, retrievers: { lexical: buildLexicalIndex(one.passages) } },
      { corpus: two, retrievers: { lexical: buildLexicalIndex(two.passages) } },
    ]);
    const both = buildLexicalIndex([...one.passages, ...two.passages]);
    const term = merged.retrievers.lexical.terms('saumons')[0]!;
    expect(merged.retrievers.lexical.idf(term)).toBeCloseTo(both.idf(term));
    expect(merged.retrievers.lexical.idf(term)).toBeCloseTo(bm25Idf(2, one.passages.length + two.passages.length));
    expect(merged.retrievers.lexical.search('volcans', 5).map((h) => h.id)).toEqual([two.passages[0]!.id]);
    expect(merged.corpus.articles.map((a) => a.id)).toEqual(['a', 'b']);
  });
});

describe('npm run library', () => {
  it('lists the server libraries and deletes one at once, with its articles, text and vectors', async () => {
    const { config, libraries, engine } = await setUp();
    await engine.library(A).ask('saumons');
    await engine.close();
    const env = { EMBEDDINGS_DIR: config.EMBEDDINGS_DIR, LIBRARIES_DIR: libraries };
    expect(runCli('library', ['list'], env).stdout).toBe(`${A}  1 article files\n`);
    expect(runCli('library', ['delete', B], env)).toMatchObject({ code: 1 });
    const deleted = runCli('library', ['delete', A], env);
    expect(deleted.stdout).toBe(`deleted the library of server ${A} (articles, text index, vectors)\n`);
    expect(existsSync(path.join(libraries, A))).toBe(false);
    expect(runCli('library', ['list'], env).stdout).toMatch(/^no server libraries in /u);
    expect(runCli('library', ['delete', 'x'], env)).toMatchObject({ code: 2 });
  }, 60_000);
});

describe('a server’s feeds', () => {
  it('announces each new item once, never the archive, and not again after a restart; at most MAX_SERVER_FEEDS feeds', async () => {
    const site = await startNewsServer();
    try {
      site.page('/fr', frenchArticle(site.origin));
      site.page('/en', englishArticle(site.origin));
      site.page('/rss.xml', rssFeed(site.origin, [{ path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
      const { config } = await setUp({ ALLOW_PRIVATE_URLS: '1', MAX_SERVER_FEEDS: '2' });
      const announced: Announcement[] = [];
      const start = async () => {
        const engine = await createEngine(config, { log: quiet, embedder: trigramEmbedder(), feedPauseMs: 0 });
        engine.onAnnouncement(async (a) => void announced.push(a));
        return engine;
      };
      let engine = await start();
      const feed = `${site.origin}/rss.xml`;
      await engine.library(A).followFeed(feed, '3333333333333333333');
      await engine.library(A).runFeeds();
      expect(announced).toEqual([]);
      site.page('/rss.xml', rssFeed(site.origin, [{ path: '/en', title: 'Rail', pubDate: 'Thu, 16 Oct 2025 03:00:00 GMT' }, { path: '/fr', title: 'Haiphong', pubDate: 'Tue, 14 Oct 2025 03:00:00 GMT' }]), 'application/rss+xml');
      await engine.library(A).runFeeds();
      expect(announced.map((a) => [a.serverId, a.channelId, a.article.title])).toEqual([[A, '3333333333333333333', 'Da Nang approves airport light-rail line']]);
      expect((await engine.library(B).ask('Da Nang airport light rail')).results.every((r) => !r.quote.includes('Da Nang'))).toBe(true);
      await engine.close();
      // A restart: the follower's state is read back; nothing is announced again.
      engine = await start();
      await engine.library(A).runFeeds();
      expect(announced).toHaveLength(1);
      expect((await engine.library(A).feeds()).map((f) => [f.url, f.articles, f.channel])).toEqual([[feed, 2, '3333333333333333333']]);
      await engine.library(A).followFeed(`${site.origin}/other.xml`, null);
      await expect(engine.library(A).followFeed(`${site.origin}/third.xml`, null)).rejects.toThrow(ServerFeedsFullError);
      await expect(engine.library(A).followFeed('file:///etc/passwd', null)).rejects.toThrow(FeedUrlError);
      expect(await engine.library(A).unfollowFeed(`${site.origin}/other.xml`)).toBe(true);
      expect(await engine.library(B).unfollowFeed(feed)).toBe(false);
      await engine.close();
    } finally {
      await site.close();
    }
  }, 60_000);
});

describe('a server the bot is removed from', () => {
  it('keeps its library SERVER_RETENTION_DAYS, then deletes it with everything derived from it; invited again, it is kept', async () => {
    const { engine, libraries } = await setUp({ SERVER_RETENTION_DAYS: '30' });
    await mkdir(path.join(libraries, B, 'articles'), { recursive: true });
    await writeFile(path.join(libraries, B, 'articles', 'own.txt'), OWN);
    expect((await engine.library(A).ask('ferme de saumons norvégiens à Bergen')).match).toBe('answer');
    await engine.serverLeft(A);
    await engine.serverLeft(B);
    await engine.serverJoined(B);
    const day = 86_400_000;
    expect(await engine.sweepLibraries(new Date(Date.now() + 29 * day))).toEqual([]);
    expect(existsSync(path.join(libraries, A))).toBe(true);
    expect(await engine.sweepLibraries(new Date(Date.now() + 31 * day))).toEqual([A]);
    expect(existsSync(path.join(libraries, A))).toBe(false);
    expect(existsSync(path.join(libraries, B, 'articles', 'own.txt'))).toBe(true);
    // Gone from the running bot too.
    expect((await engine.library(A).ask('ferme de saumons norvégiens à Bergen')).match).not.toBe('answer');
    await engine.close();
  });
});

