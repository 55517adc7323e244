import path from 'node:path';
import { z } from 'zod';

/** The default embedding model: strongest small model on French retrieval, and cross-lingual. */
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/multilingual-e5-small';

const flag = z
  .enum(['', '0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be 1 or 0' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const positiveInt = z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').positive('must be positive');

const schema = z.object({
  SEEDS_DIR: z.string().min(1).default('seeds'),
  EMBEDDINGS_DIR: z.string().min(1).default('embeddings'),
  EMBEDDING_MODEL: z.string().min(1).default(DEFAULT_EMBEDDING_MODEL),
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
  COOLDOWN_QUESTIONS: positiveInt.default(5),
  COOLDOWN_SECONDS: positiveInt.default(30),
  ANSWER_CONCURRENCY: positiveInt.default(2),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'SEEDS_DIR' | 'EMBEDDINGS_DIR' | 'MODELS_DIR'> & {
    SEEDS_DIR: string;
    EMBEDDINGS_DIR: string;
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
  return Object.freeze({
    ...c,
    SEEDS_DIR: path.resolve(cwd, c.SEEDS_DIR),
    EMBEDDINGS_DIR: path.resolve(cwd, c.EMBEDDINGS_DIR),
    MODELS_DIR: path.resolve(cwd, c.MODELS_DIR),
  });
}
