/**
 * The Postgres connection: a `pg` pool, connected with retries and backoff, schema migrations
 * applied by node-pg-migrate with the applied migrations recorded in `pgmigrations`, and a
 * clear refusal of a schema written by a newer version of the bot. The connection string and
 * its password are never written anywhere: messages name the database as `user@host:port/db`.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { releaseAdvisoryLock, takeAdvisoryLock } from './advisory-lock.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATIONS_TABLE = 'pgmigrations';
/** node-pg-migrate's advisory lock key (its PG_MIGRATE_LOCK_ID). */
const MIGRATION_LOCK = 7241865325823964;
const MIGRATION_WAIT_MS = 120_000;

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

/** `user@host:port/database`: what a log line may say about a connection string. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}`;
  } catch {
    return 'the database in DATABASE_URL (not a URL)';
  }
}

/** An error's message with the password (and the whole URL) removed, on one line. */
export function scrub(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message || error.name : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (text === '' && typeof code === 'string') text = code;
  text = text.split(url).join(describeDatabase(url));
  try {
    const pw = decodeURIComponent(new URL(url).password);
    if (pw) text = text.split(pw).join('***');
  } catch {
    // not a URL: nothing more to hide than the string itself
  }
  return text.replace(/\s+/gu, ' ').trim();
}

interface ConnectOptions {
  url: string;
  /** One line per event a person running the bot should know about. */
  log: { info(line: string): void; warn(line: string): void };
  /** Pool size; default 4. */
  max?: number;
  /** First wait between attempts; doubled each time up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many attempts (default: never). */
  attempts?: number;
  /** Give up once this long has passed since the first attempt (default: never): a command-line run, unlike the bot, should not wait for ever. */
  giveUpAfterMs?: number;
  signal?: AbortSignal;
}

/** A pool whose idle clients' errors (the database restarting) are logged once, not thrown. */
export function createPool(url: string, log: ConnectOptions['log'], max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  let warned = 0;
  // A client checked out of the pool (a search, the indexer's lock or transaction) whose connection
  // drops emits 'error' as well as failing its query: without a listener that event would be an
  // uncaught exception and end the process. The failed query is what reports it.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  pool.on('error', (error) => {
    // An idle connection was closed by the server (a restart, a failover): the pool opens a new one on next use.
    if (Date.now() - warned > 10_000) log.warn(`database connection lost (${scrub(error, url)}); reconnecting on next use`);
    warned = Date.now();
  });
  return pool;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03']);

/**
 * True when an error says the database is out of reach (refused, dropped, shutting down, a
 * connect timeout), rather than that a query was wrong: the user may be told "try again later".
 */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection is closed|connect ECONNREFUSED/u.test(message);
}

/**
 * Connects and migrates, retrying with backoff while the database cannot be reached. Says so
 * once when it first fails and once when it is back; a schema newer than this bot is fatal.
 */
export async function connectDatabase(opts: ConnectOptions): Promise<pg.Pool> {
  const where = describeDatabase(opts.url);
  let delay = opts.firstDelayMs ?? 1000;
  const deadline = opts.giveUpAfterMs === undefined ? Infinity : Date.now() + opts.giveUpAfterMs;
  for (let attempt = 1; ; attempt++) {
    const pool = createPool(opts.url, opts.log, opts.max);
    try {
      await migrate(pool, 'public', opts.log.warn);
      if (attempt > 1) opts.log.info(`database ${where} reachable again; connected`);
      return pool;
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof SchemaTooNewError) throw error;
      const left = deadline - Date.now();
      if ((opts.attempts !== undefined && attempt >= opts.attempts) || left <= 0) {
        const waited = opts.giveUpAfterMs !== undefined && left <= 0 ? ` (gave up after ${Math.round(opts.giveUpAfterMs / 1000)} s)` : '';
        throw new DatabaseUnreachableError(`database ${where} unreachable: ${scrub(error, opts.url)}${waited}`);
      }
      if (attempt === 1) {
        const until = Number.isFinite(deadline) ? ` for up to ${Math.round(opts.giveUpAfterMs! / 1000)} s` : `, up to every ${Math.round((opts.maxDelayMs ?? 30_000) / 1000)} s`;
        opts.log.warn(`database ${where} unreachable (${scrub(error, opts.url)}); retrying with backoff${until}`);
      }
      await sleep(Math.min(delay, Math.max(left, 0)), opts.signal);
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 30_000);
    }
  }
}

/** The database could not be reached in the attempts or the time allowed. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}

/** Migration names this version of the bot knows, in order. */
export async function knownMigrations(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/u, ''))
    .sort();
}

/** The schema version recorded in the database: the last migration applied, or null. */
export async function schemaVersion(pool: pg.Pool): Promise<string | null> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('public.${MIGRATIONS_TABLE}')::text AS t`);
  if (!exists.rows[0]?.t) return null;
  const r = await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY run_on DESC, id DESC LIMIT 1`);
  return r.rows[0]?.name ?? null;
}

/**
 * Applies the migrations this bot has and the database lacks; refuses a schema from a newer bot.
 * `schema` is where the record of applied migrations lives: the bot's is `public`; the bench
 * migrates a schema of its own (its connections' search_path), and records it there too, or it
 * would take the bot's record for its own and skip its migrations.
 */
export async function migrate(pool: pg.Pool, schema = 'public', log: (line: string) => void = () => {}): Promise<{ applied: string[]; version: string }> {
  const known = await knownMigrations();
  const table = `${pg.escapeIdentifier(schema)}.${MIGRATIONS_TABLE}`;
  const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (exists.rows[0]?.t) {
    const done = (await pool.query<{ name: string }>(`SELECT name FROM ${table}`)).rows.map((r) => r.name);
    const unknown = done.filter((n) => !known.includes(n)).sort();
    if (unknown.length > 0) {
      throw new SchemaTooNewError(
        `the database schema is at version ${unknown.at(-1)}, newer than this bot knows (${known.at(-1)}): upgrade the bot; it does not write to a schema it does not understand`,
      );
    }
  }
  const { runner } = await import('node-pg-migrate');
  const client = await pool.connect();
  try {
    // node-pg-migrate's own lock fails at once when another process holds it ("Another migration
    // is already running"); taken here instead, under the same key so older bots still exclude
    // us, it is waited for and its holder named.
    await takeAdvisoryLock(client, MIGRATION_LOCK, {
      timeoutMs: MIGRATION_WAIT_MS,
      waiting: (who) => log(`database: waiting up to ${MIGRATION_WAIT_MS / 1000} s for ${who}, which is migrating the schema`),
      busy: (who) => new Error(`the database schema is being migrated by ${who} for over ${MIGRATION_WAIT_MS / 1000} s; try again when it has finished`),
    });
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      migrationsSchema: schema,
      checkOrder: true,
      noLock: true,
      log: () => {},
    });
    return { applied: ran.map((m) => m.name), version: known.at(-1)! };
  } finally {
    await releaseAdvisoryLock(client, MIGRATION_LOCK).catch(() => undefined);
    client.release();
  }
}
