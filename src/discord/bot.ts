import { Events, type Client, type ClientOptions } from 'discord.js';
import PQueue from 'p-queue';
import type { Config } from '../config.js';
import type { Answer } from '../core/types.js';
import type { Engine, PreviousTurn } from '../engine/index.js';
import { createConversations } from './conversations.js';
import { createFeedback } from './feedback.js';
import type { Logger } from '../logger.js';
import { createClient, hostedShards } from './client.js';
import { COMMANDS } from './commands/index.js';
import type { CommandContext } from './commands/types.js';
import { createCooldown } from './cooldown.js';
import { interactionHandler } from './interactions.js';
import { messageHandler } from './messages.js';
import { langOfLocale } from './i18n.js';
import { renderAnnouncement } from './render.js';

export interface BotOptions {
  engine: Engine;
  config: Config;
  logger: Logger;
  /** Extra discord.js options (tests: faster reconnects, identify throttling). */
  clientOptions?: Partial<ClientOptions>;
  /** How long a cooldown notice in reply to a mention stays before it deletes itself (default 10 s). */
  noticeLifetimeMs?: number;
}

export interface Bot {
  client: Client;
  /** Logs in; resolves when the client is ready and the commands are registered. */
  start(): Promise<void>;
  /** Stops taking new work, finishes what is in flight, and disconnects. */
  stop(): Promise<void>;
}

/** The Discord adapter over the engine: every handler answers or says why not, and never throws. */
export function createBot({ engine, config, logger, clientOptions, noticeLifetimeMs = 10_000 }: BotOptions): Bot {
  const shards = hostedShards(config);
  const client = createClient(config, clientOptions);
  // Answering embeds the question, which is CPU work: a bounded queue keeps a burst of
  // questions from starving the event loop, and so the gateway heartbeat.
  const queue = new PQueue({ concurrency: config.ANSWER_CONCURRENCY });
  const cooldown = createCooldown(config.COOLDOWN_QUESTIONS, config.COOLDOWN_SECONDS);
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  const track = (work: Promise<unknown>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const answer = (question: string, serverId: string | null, previous?: PreviousTurn | null): Promise<Answer> =>
    queue.add(() => engine.library(serverId).ask(question, { previous: previous ?? null }), { throwOnTimeout: true });
  const ctx: CommandContext = { engine, logger, answer, cooldown, conversations: createConversations(), feedback: createFeedback(engine.feedback), noticeLifetimeMs };
  const onInteraction = interactionHandler(ctx, () => stopping);
  const onMessage = messageHandler(client, ctx, () => stopping);

  // A new article of a server's feed, in the channel the server chose: only by the process whose shard has that server.
  engine.onAnnouncement(async ({ serverId, channelId, article }) => {
    const guild = client.guilds.cache.get(serverId);
    if (!guild || stopping) return;
    const channel = await client.channels.fetch(channelId).catch(() => null);
    if (!channel || !channel.isSendable() || !('guildId' in channel) || channel.guildId !== serverId) return;
    await channel.send(renderAnnouncement(article, langOfLocale(guild.preferredLocale)));
  });
  // Removed from a server: its library is kept SERVER_RETENTION_DAYS, then deleted; invited again, it is kept.
  client.on(Events.GuildDelete, (guild) => void engine.serverLeft(guild.id).catch((error: unknown) => logger.warn({ err: error, server: guild.id }, 'could not record leaving a server')));
  client.on(Events.GuildCreate, (guild) => void engine.serverJoined(guild.id).catch((error: unknown) => logger.warn({ err: error, server: guild.id }, 'could not record joining a server')));
  client.on(Events.InteractionCreate, (interaction) => track(onInteraction(interaction)));
  client.on(Events.MessageCreate, (message) => track(onMessage(message)));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => void (stopping || logger.warn({ shard, code: event.code }, 'gateway disconnected')));
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'gateway resumed'));
  // Stopping closes the gateway on purpose: that is not a reconnection to report.
  client.on(Events.ShardReconnecting, (shard) => void (stopping || logger.info({ shard }, 'gateway reconnecting')));

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.DISCORD_TOKEN);
      await ready;
      // Server commands appear at once; global ones can take up to an hour to propagate.
      // With several shards, one registration is enough: shard 0 does it.
      const ids = client.shard?.ids ?? shards ?? [0];
      if (ids.includes(0)) {
        const commands = client.application!.commands;
        if (config.DISCORD_GUILD_ID) await commands.set(COMMANDS, config.DISCORD_GUILD_ID);
        else await commands.set(COMMANDS);
      }
      logger.info({ user: client.user?.tag, guild: config.DISCORD_GUILD_ID ?? 'global', commands: COMMANDS.length }, 'bot ready');
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await queue.onIdle();
      await client.destroy();
    },
  };
}
