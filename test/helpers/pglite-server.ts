/**
 * The tests' Postgres protocol server (PGlite with pgvector and unaccent behind pglite-socket):
 * it lives in tools/pg/ so that `npm run bench` can start it too. Run as a child process with
 * PGLITE_SERVE=1, either path serves a database (the code is in the tools file).
 */
export { startTestDatabase, startPgliteServer, TEST_PASSWORD, type TestDatabase, type PgliteServerOptions } from '../../tools/pg/pglite-server.js';
