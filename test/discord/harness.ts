import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createBot, type Bot } from '../../src/discord/bot.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { createLogger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../../tools/fake-discord/index.js';
import { userEntry } from '../helpers/cli.js';
import { ROOT, SEEDS_DIR } from '../helpers/seeds.js';
import { buildTestModel, makeTempDir } from '../helpers/static-model.js';

export const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.test-token-never-to-be-logged_0123456789';

export interface Harness {
  fake: FakeDiscord;
  bot: Bot;
  engine: Engine;
  /** Everything the bot logged, one JSON line each. */
  logs: string[];
  close(): Promise<void>;
}

/** A real engine (hybrid, with the project-built model) and the real bot, against a fake Discord. */
export async function startHarness(options: { seedsDir?: string; env?: Record<string, string>; engine?: (e: Engine) => Engine } = {}): Promise<Harness> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
  const env = {
    SEEDS_DIR: options.seedsDir ?? SEEDS_DIR,
    EMBEDDINGS_DIR: path.join(await makeTempDir('bot-'), 'embeddings'),
    EMBEDDING_MODEL: await buildTestModel(),
    OFFLINE: '1',
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_GUILD_ID: fake.guildId,
    ...options.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('debug', config.DISCORD_TOKEN, sink);
  const real = await createEngine(config, { log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) } });
  const engine = options.engine ? options.engine(real) : real;
  const bot = createBot({
    engine,
    config,
    logger,
    noticeLifetimeMs: 500,
    clientOptions: { ws: { buildIdentifyThrottler: () => Promise.resolve({ waitForIdentify: async () => undefined }) } as never },
  });
  await bot.start();
  return {
    fake,
    bot,
    engine,
    logs,
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}

/** An /ask interaction's options. */
export const askOptions = (question: string) => [{ name: 'question', type: 3, value: question }];

/** Quote text from a rendered embed description: block-quote marks and Markdown escapes removed. */
export function quoteFromDescription(description: string): string {
  return description
    .split('\n')
    .map((l) => l.replace(/^> ?/u, ''))
    .join('\n')
    .replace(/\\([\\*_`~|>#[\]()-])/gu, '$1')
    .replace(/\n+/gu, ' ')
    .replace(/ \[…\]$/u, '');
}

/** A bot entry point (`src/main.ts`, `src/cli/sharded.ts`) running as its own process, with its output captured. */
export interface BotProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnBotProcess(entry: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, userEntry(entry), {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
