/**
 * A real Postgres protocol server from npm: PGlite (Postgres compiled to 32-bit WebAssembly) with
 * the pgvector and unaccent extensions, behind pglite-socket on 127.0.0.1. The bot connects to
 * it with `pg` exactly as to a production Postgres. PGlite is one session underneath: the socket
 * server multiplexes connections (a transaction runs alone), so session-level advisory locks and
 * cross-connection NOTIFY cannot be told apart from one connection there. Used by the tests
 * (test/helpers/pglite-server.ts re-exports it) and by `npm run bench`'s pgvector section.
 */
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface TestDatabase {
  url: string;
  port: number;
  /** Stops accepting connections and closes the open ones (the database keeps its data). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'pw-not-to-be-logged-5f2c';

export interface PgliteServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A folder for the database files (on the real disk); in memory (inside WebAssembly) when absent. */
  dataDir?: string;
  /** Extra `postgresql.conf` lines, e.g. `maintenance_work_mem = '1GB'`. */
  postgresqlconf?: string[];
}

export async function startPgliteServer(opts: PgliteServerOptions = {}): Promise<TestDatabase> {
  const db = await PGlite.create({
    extensions: { vector, unaccent },
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.postgresqlconf ? { postgresqlconf: opts.postgresqlconf } : {}),
  });
  let server = new PGLiteSocketServer({ db, port: opts.port ?? 0, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  const actual = (server as unknown as { port: number }).port;
  return {
    url: `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${actual}/postgres`,
    port: actual,
    async stop() {
      await server.stop();
    },
    async restart() {
      server = new PGLiteSocketServer({ db, port: actual, host: '127.0.0.1', maxConnections: 32 });
      await server.start();
    },
    async close() {
      await server.stop().catch(() => undefined);
      await db.close();
    },
  };
}

/** The tests' name for {@link startPgliteServer} with a port: an in-memory database. */
export function startTestDatabase(port = 0): Promise<TestDatabase> {
  return startPgliteServer({ port });
}

/**
 * Serves a database from a child process (tests that kill or signal the server's clients, and the
 * bench, which measures the server's memory apart from the bot's). Prints the URL on one line.
 * PGLITE_PORT, PGLITE_DATA_DIR (a folder; in memory without it), PGLITE_CONF (conf lines, `;`-separated).
 */
if (process.argv[1]?.endsWith('pglite-server.ts') && process.env.PGLITE_SERVE === '1') {
  const conf = process.env.PGLITE_CONF?.split(';').map((s) => s.trim()).filter(Boolean);
  const started = await startPgliteServer({
    port: Number(process.env.PGLITE_PORT ?? 0),
    ...(process.env.PGLITE_DATA_DIR ? { dataDir: process.env.PGLITE_DATA_DIR } : {}),
    ...(conf?.length ? { postgresqlconf: conf } : {}),
  });
  process.stdout.write(`${started.url}\n`);
  process.on('SIGTERM', () => void started.close().then(() => process.exit(0)));
}
