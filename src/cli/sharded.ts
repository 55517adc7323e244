import { ShardingManager } from 'discord.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { fail } from './fail.js';

/**
 * `npm run start:sharded`: discord.js's ShardingManager runs the bot's main once per shard, each
 * process a full bot for its share of the servers. Needed past ~2,500 servers; below that one
 * process (`npm start`) is simpler.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message.split('\n').join('; '), 2);
    throw error;
  }
  if (!config.DISCORD_TOKEN) fail('DISCORD_TOKEN is required for start:sharded (npm start runs the terminal chat without one)', 2);
  const logger = createLogger(config.LOG_LEVEL, config.DISCORD_TOKEN);
  // Compiled (src/launch.mjs), shards run the compiled main.js; from the sources, main.ts through tsx.
  const here = fileURLToPath(import.meta.url);
  const fromSources = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), '..', fromSources ? 'main.ts' : 'main.js');
  const manager = new ShardingManager(entry, {
    token: config.DISCORD_TOKEN,
    // 'auto' asks Discord's own API for the recommended count; set DISCORD_SHARDS with another API base.
    // DISCORD_SHARD_COUNT / DISCORD_SHARD_LIST: this host runs only its share of the bot's shards.
    totalShards: config.DISCORD_SHARD_COUNT ?? config.DISCORD_SHARDS,
    shardList: config.DISCORD_SHARD_LIST ?? 'auto',
    execArgv: fromSources ? ['--expose-gc', '--import', 'tsx'] : ['--expose-gc'],
    respawn: true,
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id }, 'shard started');
    shard.on('death', () => logger.warn({ shard: shard.id }, 'shard process exited'));
  });
  const stop = (): void => {
    logger.info('stopping shards');
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await manager.spawn();
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
