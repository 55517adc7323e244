/**
 * A real Postgres protocol server for the tests: PGlite (Postgres compiled to WebAssembly) with
 * the pgvector and unaccent extensions, behind pglite-socket on 127.0.0.1. The bot connects to
 * it with `pg` exactly as to a production Postgres. PGlite is one session underneath: the socket
 * server multiplexes connections (a transaction runs alone), so session-level advisory locks and
 * cross-connection NOTIFY cannot be told apart from one connection there.
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

export async function startTestDatabase(port = 0): Promise<TestDatabase> {
  const db = await PGlite.create({ extensions: { vector, unaccent } });
  let server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
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

/** Serves a database from a child process (tests that kill or signal the server's clients). */
if (process.argv[1]?.endsWith('pglite-server.ts') && process.env.PGLITE_SERVE === '1') {
  const started = await startTestDatabase(Number(process.env.PGLITE_PORT ?? 0));
  process.stdout.write(`${started.url}\n`);
  process.on('SIGTERM', () => void started.close().then(() => process.exit(0)));
}
