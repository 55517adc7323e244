import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Config } from '../config.js';

/** The discord.js client, with what the bot asks of Discord and of its REST queue. */
export function createClient(config: Config, clientOptions: Partial<ClientOptions> | undefined): Client {
  const shards = hostedShards(config);
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    allowedMentions: { parse: [], repliedUser: false },
    ...(shards ? { shards, shardCount: config.DISCORD_SHARD_COUNT! } : {}),
    ...clientOptions,
    rest: {
      // Set on purpose, not left to discord.js's defaults (same values in 14.28):
      // - retries 3: a 5xx, an ECONNRESET or a timeout is retried at once, up to 3 times; a 429
      //   is always waited out (retry_after) and retried whatever this says, so a rate-limited
      //   answer is late, never lost. More retries would only hammer an API that is failing.
      // - timeout 15 s: an answer's edit stays valid for 15 minutes, so a slow API is better
      //   waited for than aborted; a shorter one would not rescue the 3 s acknowledgement either
      //   (a retried callback arrives after the deadline, or as a duplicate).
      // - globalRequestsPerSecond 50: Discord's global limit per bot. Interaction callbacks are
      //   exempt in discord.js, but answer edits and mention replies queue behind it (500 answers
      //   take 10 s at least); raising it would buy 429s and, at 10,000 invalid requests in
      //   10 minutes, a temporary IP ban from Discord.
      retries: 3,
      timeout: 15_000,
      globalRequestsPerSecond: 50,
      ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}),
      ...clientOptions?.rest,
    },
  });
}

/**
 * Multi-machine sharding: with DISCORD_SHARD_COUNT, this process runs DISCORD_SHARD_LIST (or
 * every shard) of that many. A process spawned by ShardingManager gets its shards from it instead.
 */
export function hostedShards(config: Config): number[] | undefined {
  if (config.DISCORD_SHARD_COUNT === undefined || process.env.SHARDS !== undefined) return undefined;
  return config.DISCORD_SHARD_LIST ?? Array.from({ length: config.DISCORD_SHARD_COUNT }, (_, i) => i);
}
