import { ConfigError, loadConfig } from './config.js';
import { startModelLoad } from './engine/model-load.js';

/** `npm start`: build or update the index, then serve Discord, or a console chat without a token. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.message.split('\n')) process.stderr.write(`config error: ${line}\n`);
    process.exit(2);
  }
  // The model thread starts before the rest of the bot is even imported: a start waits for the
  // model longer than for anything else.
  const modelLoad = startModelLoad(config);
  const [{ runConsoleChat }, { embeddingProgress }, { createEngine }, { createLogger }, { collectLoadGarbage }, { corpusCounts }] = await Promise.all([
    import('./cli/chat.js'),
    import('./cli/progress.js'),
    import('./engine/index.js'),
    import('./logger.js'),
    import('./lib/collect-garbage.js'),
    import('./cli/output.js'),
  ]);
  const logger = createLogger(config.LOG_LEVEL, config.DISCORD_TOKEN);
  const progress = embeddingProgress();
  // In the terminal chat a person reads the log: plain lines. A running bot logs JSON for machines.
  const log = config.DISCORD_TOKEN
    ? { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) }
    : { info: () => {}, warn: (m: string) => process.stderr.write(`warning: ${m}\n`) };
  // With DATABASE_URL a bot logs in at once and says "temporarily unavailable" until the database answers.
  const engine = await createEngine(config, { log, modelLoad, onProgress: progress.update, waitForDatabase: !config.DISCORD_TOKEN }).finally(progress.stop);
  logger.debug({ articles: engine.corpus.articles.length, passages: engine.about().passages, mode: engine.mode, model: engine.model }, 'corpus ready');
  // A start with nothing new to ingest skips loading the ingestion code; the running bot loads it
  // now, in the background, so that the first article added later does not wait for it.
  void import('./core/text/ingest.js').catch(() => undefined);
  collectLoadGarbage();

  if (!config.DISCORD_TOKEN) {
    process.stdout.write(
      [
        `No DISCORD_TOKEN set: this is the bot in your terminal (${corpusCounts(engine.corpus.articles)}, ${engine.mode} retrieval).`,
        'Type a question and press Enter; Ctrl+D to quit.',
        'To connect it to Discord, set DISCORD_TOKEN (see README, "Connect to Discord") and run npm start again.',
      ].join('\n'),
    );
    await runConsoleChat(engine);
    return;
  }

  // discord.js is imported only to connect: the terminal chat does without it.
  const { createBot } = await import('./discord/bot.js');
  const bot = createBot({ engine, config, logger });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: finishing questions in flight');
    Promise.all([engine.feeds?.stop(), bot.stop()]).then(() => engine.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  // Orphaned: the process that started us (npm, a shell script) died without passing a signal on.
  // Nobody will stop this bot any more: drain and exit rather than stay connected forever.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('orphaned: parent process exited');
  }, 2000).unref();
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  await bot.start();
  // Feeds are polled in the background once the bot answers; a failing feed only logs.
  engine.feeds?.start();
  // And the feeds servers follow, whose new articles the bot announces in their channels.
  engine.startServerFeeds((id) => bot.client.guilds.cache.has(id)).catch((error: unknown) => logger.warn({ err: error }, 'could not start the servers’ feeds'));
}

main().catch((error: unknown) => {
  // Login failures and the like: one line, never the token (discord.js errors do not carry it).
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

