/**
 * The Postgres store under faults: the database going away and coming back while a bot runs,
 * two indexer processes started at the same moment, and the evaluation giving the same figures
 * on Postgres as on the file store. PGlite (Postgres in WebAssembly) behind a real socket server.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CorpusUnavailableError } from '../src/core/store/corpus-unavailable.js';
import { connectDatabase, createPool } from '../src/core/store/pg/database.js';
import { PgCorpusStore } from '../src/core/store/pg/pg-store.js';
import type { RetrievalMode } from '../src/core/types.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { parseQuestions, score, type EvalQuestion, type EvalRun, type Scores } from '../tools/eval/metrics.js';
import { startTestDatabase, type TestDatabase } from './helpers/pglite-server.js';
import { userEntry } from './helpers/cli.js';
import { ROOT, SEEDS_DIR } from './helpers/seeds.js';
import { buildTestModel, makeTempDir } from './helpers/static-model.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';
import { quiet, seedsWith } from './helpers/pg.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
});

async function database(): Promise<TestDatabase> {
  const db = await startTestDatabase();
  cleanup.push(() => db.close());
  return db;
}

const A = 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';
const C = 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi. Ils ont mesuré la vapeur.';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What an ask settled to: an answer's first source, "unavailable", or the other error's text. */
async function outcome(engine: Engine, q: string, mode?: RetrievalMode): Promise<string> {
  try {
    const a = await engine.ask(q, mode ? { mode } : undefined);
    return a.answered ? `answered ${a.results[0]?.source}` : 'not answered';
  } catch (error) {
    return error instanceof CorpusUnavailableError ? 'unavailable' : `error ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('Postgres store under faults', () => {
  it('database stopped and restarted mid-run: "temporarily unavailable" during the outage, answers again after, and a new article is seen', async () => {
    const server = await database();
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-faults-'), 'e'), DATABASE_URL: server.url, OFFLINE: '1' });
    const bot = await createEngine(config, { log, embedder: trigramEmbedder(), updateOnStart: true, pollMs: 300 });
    cleanup.push(() => bot.close());
    expect(bot.mode).toBe('hybrid');
    expect(await outcome(bot, 'ferme de saumons norvégiens à Bergen')).toBe('answered b.txt');

    await server.stop();
    // Every question during the outage is "temporarily unavailable": not a crash, not "something went wrong".
    for (let i = 0; i < 3; i++) {
      expect(await outcome(bot, 'ferme de saumons norvégiens à Bergen')).toBe('unavailable');
      expect(await outcome(bot, 'observatoire des volcans islandais')).toBe('unavailable');
      await sleep(300);
    }
    // A lexical-only question needs no database read: it is answered from memory, or unavailable; never another error.
    expect(['answered a.txt', 'unavailable']).toContain(await outcome(bot, 'observatoire des volcans islandais', 'lexical'));

    await server.restart();
    // Without restarting the bot: answers resume as soon as the pool reconnects.
    await until('answers after the restart', 15_000, async () => ((await outcome(bot, 'ferme de saumons norvégiens à Bergen')) === 'answered b.txt' ? true : undefined));
    expect(bot.mode).toBe('hybrid');

    // An article indexed after the restart (by another writer) reaches the running bot.
    expect(await outcome(bot, 'centrale géothermique de Hellisheidi')).not.toBe('answered c.txt');
    await writeFile(path.join(seeds, 'c.txt'), C);
    const pool = await connectDatabase({ url: server.url, log: quiet, attempts: 3 });
    cleanup.push(() => pool.end());
    const written = await new PgCorpusStore(pool, server.url).update({ seedsDir: seeds, embedder: trigramEmbedder() });
    expect(written.report).toMatchObject({ added: 1, unchanged: 2 });
    await until('the new article after the restart', 10_000, async () => ((await outcome(bot, 'centrale géothermique de Hellisheidi')) === 'answered c.txt' ? true : undefined));
    expect(bot.corpus.articles.map((a) => a.file).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  }, 60_000);

  it('two indexer processes started at the same moment: both finish (or one waits), one version written, no duplicate rows', async () => {
    const server = await database();
    const script = path.join(ROOT, 'test/fixtures/pg-indexer-race.ts');
    const children = [1, 2].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: server.url, SEEDS_DIR, EMBED_DELAY_MS: '1500' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      cleanup.push(async () => child.kill('SIGKILL'));
      return { child, out: () => out, exited };
    });
    // Both connected (and migrated: node-pg-migrate's lock lets two run it once), then go together.
    await until('both indexers ready', 30_000, async () => (children.every((c) => c.out().includes('ready\n')) ? true : undefined));
    for (const c of children) c.child.stdin.write('go\n');
    const codes = await Promise.race([Promise.all(children.map((c) => c.exited)), sleep(40_000).then(() => 'timeout' as const)]);
    const outs = children.map((c) => c.out());
    expect(codes, outs.join('\n----\n')).toEqual([0, 0]);
    const results = outs.map((o) => JSON.parse(/^result (.*)$/mu.exec(o)![1]!) as { version: number; report: { added: number; unchanged: number } });
    // Both were inside their update at once: each embedding the corpus (slowly), or one waiting for the other's lock...
    for (const o of outs) expect(o).toMatch(/stage embedding|waiting up to \d+ s for/u);
    // ...and exactly one wrote: the other either waited for the lock or found the version moved and had nothing left to do.
    expect(results.map((r) => r.version)).toEqual([1, 1]);
    const writers = outs.filter((o) => o.includes('stage committing'));
    expect(writers).toHaveLength(1);
    const loser = outs.find((o) => !o.includes('stage committing'))!;
    expect(loser).toMatch(/waiting up to \d+ s for|stage writing/u);

    // The corpus is what one indexer alone writes: the file store's counts, no duplicates.
    const files = await createEngine(loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-faults-'), 'e'), OFFLINE: '1' }), { log: quiet, embedder: trigramEmbedder() });
    const pool = createPool(server.url, quiet);
    cleanup.push(() => pool.end());
    const count = async (sql: string): Promise<number> => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);
    expect(await count('SELECT count(*) AS n FROM files')).toBe(new Set(files.corpus.articles.map((a) => a.file)).size);
    expect(await count('SELECT count(*) AS n FROM articles')).toBe(files.corpus.articles.length);
    expect(await count('SELECT count(*) AS n FROM passages')).toBe(files.corpus.passages.length);
    expect(await count('SELECT count(DISTINCT key) AS n FROM passages')).toBe(files.corpus.passages.length);
    expect(await count('SELECT count(*) AS n FROM passages WHERE embedding IS NULL')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM sentence_vectors')).toBe(new Set(files.corpus.passages.flatMap((p) => p.sentences)).size);
    expect(await count('SELECT version AS n FROM corpus_state')).toBe(1);
    // And a third run finds nothing to do.
    const again = await new PgCorpusStore(pool, server.url).update({ seedsDir: SEEDS_DIR, embedder: trigramEmbedder() });
    expect(again.version).toBe(1);
    expect(again.report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: files.corpus.passages.length });
  }, 60_000);

  it.each(['with a model', 'lexical only (no model)'])('two `npm run index` processes against one database, at once, %s: both exit 0 with the same counts, one version written', async (kind) => {
    const server = await database();
    const model = kind === 'with a model' ? await buildTestModel() : path.join(await makeTempDir('pg-faults-'), 'no-model');
    const env = { ...process.env, DATABASE_URL: server.url, SEEDS_DIR, EMBEDDING_MODEL: model, OFFLINE: '1', EMBEDDINGS_DIR: path.join(await makeTempDir('pg-faults-'), 'e') };
    const runs = [1, 2].map(() => {
      const child = spawn(process.execPath, userEntry('src/cli/index.ts'), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      cleanup.push(async () => child.kill('SIGKILL'));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
    });
    const done = await Promise.race([Promise.all(runs), sleep(45_000).then(() => null)]);
    expect(done, 'the two indexers did not both exit within 45 s').not.toBeNull();
    for (const r of done!) expect(r.code, r.out).toBe(0);
    const counts = done!.map((r) => /(\d+) articles, (\d+) passages/u.exec(r.out)?.slice(1).join('/'));
    expect(counts[0]).toMatch(/^\d+\/\d+$/u);
    expect(counts[1]).toBe(counts[0]);
    const pool = createPool(server.url, quiet);
    cleanup.push(() => pool.end());
    expect(Number((await pool.query('SELECT version FROM corpus_state')).rows[0].version)).toBe(1);
    expect(`${(await pool.query('SELECT count(*) AS n FROM articles')).rows[0].n}/${(await pool.query('SELECT count(*) AS n FROM passages')).rows[0].n}`).toBe(counts[0]);
  }, 60_000);

  it('the evaluation gives the same figures on Postgres as on the file store (lexical and hybrid), within one question', async () => {
    const server = await database();
    const questions: EvalQuestion[] = parseQuestions(await readFile(path.join(ROOT, 'test/eval/questions.jsonl'), 'utf8'));
    const sources = new Map<string, string>();
    const sourceText = async (file: string): Promise<string> => {
      if (!sources.has(file)) sources.set(file, (await readFile(path.join(SEEDS_DIR, file), 'utf8')).replace(/\s+/gu, ' '));
      return sources.get(file)!;
    };
    // As tools/cli/eval.ts runs an engine: every question, then the metrics.
    const evaluate = async (engine: Engine, mode: RetrievalMode): Promise<{ scores: Scores; answered: boolean[] }> => {
      const runs: EvalRun[] = [];
      for (const q of questions) {
        const a = await engine.ask(q.q, { mode });
        let nonVerbatim = 0;
        for (const r of a.results) if (!(await sourceText(r.source)).includes(r.quote)) nonVerbatim++;
        runs.push({ answered: a.answered, results: a.results, ms: 0, nonVerbatim });
      }
      return { scores: score(questions, runs), answered: runs.map((r) => r.answered) };
    };
    const fileConfig = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-faults-'), 'e'), OFFLINE: '1' });
    const pgConfig = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-faults-'), 'e'), OFFLINE: '1', DATABASE_URL: server.url });
    const files = await createEngine(fileConfig, { log: quiet, embedder: trigramEmbedder() });
    const db = await createEngine(pgConfig, { log: quiet, embedder: trigramEmbedder(), updateOnStart: true });
    cleanup.push(() => db.close());
    expect([files.mode, files.store, db.mode, db.store]).toEqual(['hybrid', 'files', 'hybrid', 'postgres']);
    expect(db.corpus.passages.length).toBe(files.corpus.passages.length);

    const n = questions.length;
    const answerable = questions.filter((q) => q.source !== null).length;
    const unanswerable = n - answerable;
    for (const mode of ['lexical', 'hybrid'] as const) {
      const a = await evaluate(files, mode);
      const b = await evaluate(db, mode);
      const label = `${mode}: file ${JSON.stringify(a.scores)} vs pg ${JSON.stringify(b.scores)}`;
      // The figures are shares; "within one question" is a difference of at most 1/n of the subset they are over.
      expect(Math.abs(a.scores.hitAt1 - b.scores.hitAt1) * answerable, label).toBeLessThanOrEqual(1 + 1e-9);
      expect(Math.abs(a.scores.hitAt3 - b.scores.hitAt3) * answerable, label).toBeLessThanOrEqual(1 + 1e-9);
      expect(Math.abs(a.scores.mrr - b.scores.mrr) * answerable, label).toBeLessThanOrEqual(1 + 1e-9);
      expect(Math.abs(a.scores.abstentionRecall - b.scores.abstentionRecall) * unanswerable, label).toBeLessThanOrEqual(1 + 1e-9);
      expect(Math.abs(a.scores.falseAbstentionRate - b.scores.falseAbstentionRate) * answerable, label).toBeLessThanOrEqual(1 + 1e-9);
      expect(a.answered.filter((x, i) => x !== b.answered[i]).length, label).toBeLessThanOrEqual(1);
      expect(b.scores.nonVerbatim, label).toBe(0);
      expect(a.scores.nonVerbatim, label).toBe(0);
      // The evaluation measured something: the stores are compared on answers, not on two empty runs.
      expect(a.scores.hitAt3, label).toBeGreaterThan(0.3);
    }
  }, 90_000);
});
