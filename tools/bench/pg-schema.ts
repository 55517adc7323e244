import pg from 'pg';
import { createPool } from '../../src/core/store/pg/database.js';

/**
 * A pool whose every connection works in `schema`, then `public` (where the extensions are).
 * Set with SET on each new connection, not with the URL's `options`, which PGlite's socket
 * server and poolers such as PgBouncer ignore: there the bench would write into `public`.
 */
export function poolInSchema(url: string, schema: string, max: number): pg.Pool {
  const pool = createPool(url, { info: () => {}, warn: () => {} }, max);
  // Queued on the client before anything its user sends.
  pool.on('connect', (client) => void client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}, public`).catch(() => undefined));
  return pool;
}
