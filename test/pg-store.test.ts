import { spawn } from 'node:child_process';
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { connectDatabase, migrate, schemaVersion, SchemaTooNewError, createPool, knownMigrations } from '../src/core/store/pg/database.js';
import { PgCorpusStore } from '../src/core/store/pg/pg-store.js';
import { createEngine, ServerLibrariesOffError } from '../src/engine/index.js';
import { startTestDatabase, TEST_PASSWORD } from './helpers/pglite-server.js';
import { makeTempDir } from './helpers/static-model.js';
import { quiet, seedsWith, useTestDatabase } from './helpers/pg.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';
import { ROOT } from './helpers/seeds.js';


const db = useTestDatabase();

const A = 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';
const C = 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi. Ils ont mesuré la vapeur.';

describe('Postgres store (PGlite over the socket)', () => {
  it('migrates an empty database, records the version, and migrates an existing one again as a no-op', async () => {
    const url = await db.fresh('migrate');
    const pool = createPool(url, quiet);
    const first = await migrate(pool);
    expect(first.applied).toEqual(await knownMigrations());
    expect(await schemaVersion(pool)).toBe((await knownMigrations()).at(-1));
    const again = await migrate(pool);
    expect(again.applied).toEqual([]);
    // A schema written by a newer bot is refused, clearly.
    await pool.query(`INSERT INTO pgmigrations (name, run_on) VALUES ('9999999999999_from-the-future', now())`);
    await expect(migrate(pool)).rejects.toThrow(SchemaTooNewError);
    await expect(migrate(pool)).rejects.toThrow(/newer than this bot knows.*upgrade the bot/);
    await pool.end();
  }, 60_000);

  it('updates incrementally and counts like the file store', async () => {
    const url = await db.fresh('counts');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    const embedder = trigramEmbedder();
    const first = await store.update({ seedsDir: seeds, embedder });
    expect(first.report).toMatchObject({ added: 2, changed: 0, removed: 0, unchanged: 0, rebuilt: null });
    const none = await store.update({ seedsDir: seeds, embedder });
    expect(none.report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 2 });
    expect(none.version).toBe(first.version);
    await writeFile(path.join(seeds, 'c.txt'), C);
    await writeFile(path.join(seeds, 'b.txt'), B.replace('Bergen', 'Stavanger'));
    await rm(path.join(seeds, 'a.txt'));
    const next = await store.update({ seedsDir: seeds, embedder });
    expect(next.report).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 0 });
    const records = await store.records();
    expect(records.map((r) => r.file).sort()).toEqual(['b.txt', 'c.txt']);
    const q = (await embedder.embedQueries(['centrale géothermique de Hellisheidi']))[0]!;
    const hits = await store.search(q, 2, embedder.dimension);
    expect(hits[0]!.id).toBe(records.find((r) => r.file === 'c.txt')!.passages[0]!.id);
    // The HNSW index exists and the planner can use it.
    const idx = await pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'passages_hnsw_64'`);
    expect(idx.rows[0].indexdef).toMatch(/hnsw.*vector_cosine_ops/);
    // Sentence vectors of the removed file are gone; those in use are there.
    const v = await store.vectors([], records.flatMap((r) => r.passages.flatMap((p) => p.sentences)));
    expect(v.sentences.size).toBe(records.flatMap((r) => r.passages.flatMap((p) => p.sentences)).length);
    expect(Number((await pool.query('SELECT count(*) FROM sentence_vectors')).rows[0].count)).toBe(v.sentences.size);
    await pool.end();
  }, 60_000);

  it('an indexer that fails mid-update leaves the previous corpus answering (one transaction)', async () => {
    const url = await db.fresh('killed');
    const seeds = await seedsWith({ 'a.txt': A });
    const pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    await writeFile(path.join(seeds, 'b.txt'), B);
    await expect(
      store.update({
        seedsDir: seeds,
        embedder: trigramEmbedder(),
        onStage: (s) => {
          if (s === 'committing') throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect((await store.records()).map((r) => r.file)).toEqual(['a.txt']);
    expect((await store.state()).version).toBe(1);
    await pool.end();
  }, 60_000);

  it('an indexer process killed (SIGKILL) inside its transaction leaves the previous corpus', async () => {
    const url = await db.fresh('sigkill');
    const seeds = await seedsWith({ 'a.txt': A });
    const pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    await writeFile(path.join(seeds, 'b.txt'), B);
    const script = path.join(ROOT, 'test/fixtures/pg-indexer-hang.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, DATABASE_URL: url, SEEDS_DIR: seeds }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`indexer never reached the commit: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        if (out.includes('committing')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    expect((await store.records()).map((r) => r.file)).toEqual(['a.txt']);
    // And the next indexer finishes the job.
    const next = await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    expect(next.report).toMatchObject({ added: 1, unchanged: 1 });
    await pool.end();
  }, 60_000);

  it('two bots and one indexer: a new article is answered by both, without a restart', async () => {
    const url = await db.fresh('many');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const embeddings = path.join(await makeTempDir('pg-emb-'), 'embeddings');
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: embeddings, DATABASE_URL: url, OFFLINE: '1' });
    const indexer = await createEngine(config, { log: quiet, embedder: trigramEmbedder(), updateOnStart: true });
    const bots = await Promise.all([1, 2].map(() => createEngine(config, { log: quiet, embedder: trigramEmbedder(), pollMs: 300 })));
    for (const bot of bots) {
      expect(bot.store).toBe('postgres');
      expect(bot.mode).toBe('hybrid');
      expect((await bot.ask('ferme de saumons norvégiens à Bergen')).results[0]?.source).toBe('b.txt');
      expect((await bot.ask('centrale géothermique de Hellisheidi')).answered).toBe(false);
    }
    await writeFile(path.join(seeds, 'c.txt'), C);
    const result = await indexer.reindex();
    expect(result.vectors).toMatchObject({ added: 1, unchanged: 2 });
    // The bots poll every 300 ms and see it in well under a second on an idle machine; the
    // deadline only stops a bot that never sees it (the full suite on two cores has taken 10 s).
    const started = Date.now();
    for (const bot of bots) {
      for (;;) {
        const a = await bot.ask('centrale géothermique de Hellisheidi');
        if (a.answered && a.results[0]?.source === 'c.txt') break;
        if (Date.now() - started > 30_000) throw new Error('a bot did not see the new article within 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // Concurrent re-indexes from two processes: both finish, one writes.
    const [r1, r2] = await Promise.all(bots.map((b) => b.reindex()));
    expect([r1!.passages, r2!.passages]).toEqual([3, 3]);
    expect((await new PgCorpusStore(createPool(url, quiet), url).state()).version).toBe(2);
    await Promise.all([indexer, ...bots].map((e) => e.close()));
  }, 90_000);

  it('follows a version that changed before its first poll, or whose reading failed, on the next poll', async () => {
    const url = await db.fresh('watch');
    const seeds = await seedsWith({ 'a.txt': A });
    const pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    const { version } = await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    // The caller still holds the version before this one (the change landed before the watch began).
    let loaded = version - 1;
    const seen: number[] = [];
    const stop = store.watch((v) => {
      seen.push(v);
      if (seen.length >= 2) loaded = v; // the first reading "failed"; the second succeeds
    }, () => undefined, 50, () => loaded);
    const started = Date.now();
    while (loaded !== version && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(loaded).toBe(version);
    expect(seen.slice(0, 2)).toEqual([version, version]);
    await pool.end();
  }, 30_000);

  it('polling fast holds at most two connections: one listening, one polling (attempts never pile up)', async () => {
    const url = await db.fresh('watch-pool');
    const seeds = await seedsWith({ 'a.txt': A });
    const pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    const stop = store.watch(() => undefined, () => undefined, 1, () => -1);
    let most = 0;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      most = Math.max(most, pool.totalCount);
    }
    await stop();
    expect(most).toBeLessThanOrEqual(2);
    await pool.end();
  }, 30_000);

  it('keeps one corpus: servers may not add libraries of their own, and are answered from the shared base', async () => {
    const url = await db.fresh('libraries');
    const seeds = await seedsWith({ 'a.txt': A });
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-lib-'), 'embeddings'), DATABASE_URL: url, OFFLINE: '1' });
    const engine = await createEngine(config, { log: quiet, embedder: trigramEmbedder(), updateOnStart: true });
    expect(engine.serverLibrariesAllowed('1111111111111111111')).toBe(false);
    await expect(engine.library('1111111111111111111').add(['https://example.org/a'])).rejects.toThrow(ServerLibrariesOffError);
    expect((await engine.library('1111111111111111111').ask('observatoire des volcans islandais')).match).toBe('answer');
    await engine.close();
  }, 60_000);

  it('database unreachable at start: one line, retries with backoff, then answers; the password is never logged', async () => {
    const later = await startTestDatabase();
    const port = later.port;
    await later.stop();
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    const seeds = await seedsWith({ 'a.txt': A });
    const url = `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/postgres`;
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-emb-'), 'e'), DATABASE_URL: url, OFFLINE: '1' });
    const engine = await createEngine(config, { log, embedder: trigramEmbedder(), waitForDatabase: false });
    await expect(engine.ask('observatoire des volcans')).rejects.toThrow(/not reachable yet/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(lines.filter((l) => l.includes('unreachable'))).toHaveLength(1);
    expect(lines[0]).toMatch(/^database postgres@127\.0\.0\.1:\d+\/postgres unreachable \(.*\); retrying with backoff/);
    await later.restart();
    const started = Date.now();
    for (;;) {
      try {
        if ((await engine.ask('observatoire des volcans islandais')).answered) break;
      } catch {
        // still connecting
      }
      if (Date.now() - started > 15_000) throw new Error(`never answered: ${lines.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(lines.some((l) => l.includes('reachable again'))).toBe(true);
    for (const l of lines) expect(l).not.toContain(TEST_PASSWORD);
    await engine.close();
    await later.close();
  }, 60_000);
});
