/**
 * Every CLI command ends when its work is done: with DATABASE_URL the engine holds a pool and a
 * LISTEN connection, which keep a process alive unless the command closes the engine.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userEntry } from './helpers/cli.js';
import { useTestDatabase } from './helpers/pg.js';
import { ROOT, SEEDS_DIR } from './helpers/seeds.js';
import { makeTempDir } from './helpers/static-model.js';

const db = useTestDatabase();
/** Far longer than the work takes (a few seconds), far shorter than "never". */
const ENDS_WITHIN_MS = 30_000;

/** Runs a users' CLI with the database; `code` is null when it had not ended by the deadline (it is then killed). */
async function run(name: string, args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [...userEntry(`src/cli/${name}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, SEEDS_DIR, EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'), OFFLINE: '1', EMBEDDINGS_DIR: path.join(await makeTempDir('cli-exits-'), 'e'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, ENDS_WITHIN_MS);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr, ms: Date.now() - started };
}

describe('CLI commands with DATABASE_URL end when their work is done', () => {
  it('ask answers, closes the pool and exits 0', async () => {
    const url = await db.fresh('cli_exits_ask');
    const r = await run('ask', ['--json', 'Qui dirige l’ONUDC ?'], url);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ answered: true });
  });

  it('add exits with its status after a link that cannot be added', async () => {
    const url = await db.fresh('cli_exits_add');
    const r = await run('add', ['not-a-link'], url);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed: not-a-link/mu);
  });

  it('feeds ends after its pass, even when the feed cannot be read', async () => {
    const url = await db.fresh('cli_exits_feeds');
    // A private address the fetch guard refuses: the pass fails at once, and the command must still end.
    const r = await run('feeds', [], url, { FEEDS: 'http://127.0.0.1:9/feed.xml' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/127\.0\.0\.1:9\/feed\.xml: 0 articles; last success never; last error: /u);
  });

  it('feedback lists the database’s feedback and exits 0', async () => {
    const url = await db.fresh('cli_exits_feedback');
    const r = await run('feedback', [], url);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no feedback yet\n');
  });

  it('ask gives up on an unreachable database after DATABASE_WAIT, with one line and a non-zero exit', async () => {
    // Port 1 on loopback: refused at once, every attempt.
    const r = await run('ask', ['Qui dirige l’ONUDC ?'], 'postgres://bot@127.0.0.1:1/news', { DATABASE_WAIT: '3s' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: database bot@127\.0\.0\.1:1\/news unreachable: .*\(gave up after 3 s\)$/mu);
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });
});
