import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type ButtonInteraction,
  type ClientOptions,
  type Interaction,
  type Message,
  type RepliableInteraction,
} from 'discord.js';
import PQueue from 'p-queue';
import type { Config } from '../config.js';
import type { Answer } from '../core/types.js';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../logger.js';
import { COMMANDS, MESSAGE_COMMANDS, SLASH_COMMANDS } from './commands.js';
import type { CommandContext } from './commands/types.js';
import { validQuestion } from './question.js';
import { createCooldown } from './cooldown.js';
import { CorpusUnavailableError } from '../core/store/index.js';
import { TEXT, guessLang, langOfLocale } from './i18n.js';
import { stripMentions } from './mentions.js';
import { CONTEXT_BUTTON, notice, renderAnswer, renderContext } from './render.js';

export interface BotOptions {
  engine: Engine;
  config: Config;
  logger: Logger;
  /** Extra discord.js options (tests: faster reconnects, identify throttling). */
  clientOptions?: Partial<ClientOptions>;
}

export interface Bot {
  client: Client;
  /** Logs in; resolves when the client is ready and the commands are registered. */
  start(): Promise<void>;
  /** Stops taking new work, finishes what is in flight, and disconnects. */
  stop(): Promise<void>;
}

const EPHEMERAL = MessageFlags.Ephemeral;

/** The Discord adapter over the engine: every handler answers or says why not, and never throws. */
export function createBot({ engine, config, logger, clientOptions }: BotOptions): Bot {
  const shards = hostedShards(config);
  const client = new Client({
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
  const answer = (question: string): Promise<Answer> => queue.add(() => engine.ask(question), { throwOnTimeout: true });

  client.on(Events.InteractionCreate, (interaction) => track(onInteraction(interaction)));
  client.on(Events.MessageCreate, (message) => track(onMessage(message)));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'gateway resumed'));
  client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'gateway reconnecting'));

  const ctx: CommandContext = { engine, logger, answer, cooldown };

  async function onInteraction(interaction: Interaction): Promise<void> {
    const started = performance.now();
    try {
      if (stopping) {
        if (interaction.isRepliable()) await interaction.reply({ ...notice(TEXT[langOfLocale(interaction.locale)].stopping), flags: EPHEMERAL });
        return;
      }
      if (interaction.isAutocomplete()) {
        const command = SLASH_COMMANDS.get(interaction.commandName);
        return void (await (command?.autocomplete ? command.autocomplete(interaction, ctx) : interaction.respond([])));
      }
      if (interaction.isButton()) return await onButton(interaction);
      if (interaction.isChatInputCommand()) {
        const command = SLASH_COMMANDS.get(interaction.commandName);
        if (command) return await command.execute(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = MESSAGE_COMMANDS.get(interaction.commandName);
        if (command) return await command.execute(interaction, ctx);
      }
      // A command this version does not know (registered by an older one), a select menu, a modal:
      // a short answer rather than Discord's "the application did not respond".
      if (interaction.isRepliable()) await interaction.reply({ ...notice(TEXT[langOfLocale(interaction.locale)].unknownCommand), flags: EPHEMERAL });
    } catch (error) {
      logFailure(error, { interaction: describe(interaction) }, 'interaction failed');
      if (interaction.isRepliable()) await replyError(interaction, error);
    } finally {
      logger.debug({ interaction: describe(interaction), ms: Math.round(performance.now() - started) }, 'interaction handled');
    }
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const lang = langOfLocale(interaction.locale);
    if (!interaction.customId.startsWith(CONTEXT_BUTTON)) return void (await interaction.reply({ ...notice(TEXT[lang].unknownButton), flags: EPHEMERAL }));
    const found = await engine.passageContext(interaction.customId.slice(CONTEXT_BUTTON.length));
    const reply = found ? renderContext(found.passage, found.corpus, lang) : notice(TEXT[lang].passageGone);
    await interaction.reply({ ...reply, flags: EPHEMERAL });
  }

  async function onMessage(message: Message): Promise<void> {
    try {
      const me = client.user;
      if (stopping || !me || message.author.bot) return;
      const mentioned = message.mentions.users.has(me.id) || message.mentions.repliedUser?.id === me.id;
      if (!mentioned) return;
      const lang = guessLang(message.content);
      const question = validQuestion(stripMentions(message.content), lang);
      if (typeof question !== 'string') return void (await message.reply(question));
      const wait = await cooldown.take(message.author.id);
      if (wait > 0) return void (await message.reply(notice(TEXT[lang].cooldown(wait))));
      for (const reply of renderAnswer(await answer(question), lang)) await message.reply(reply);
    } catch (error) {
      logFailure(error, { message: message.id }, 'message handling failed');
      await message.reply(notice(failureText(TEXT[guessLang(message.content)], error))).catch((e: unknown) => logger.error({ err: e }, 'could not report the failure'));
    }
  }

  /** A database out of reach is expected and passes (a warning); anything else is a bug (an error, with its stack). */
  function logFailure(error: unknown, where: Record<string, string>, what: string): void {
    if (error instanceof CorpusUnavailableError) logger.warn({ ...where, reason: error.message }, 'corpus unavailable');
    else logger.error({ err: error, ...where }, what);
  }

  /** A short ephemeral reply saying what went wrong ({@link failureText}). */
  async function replyError(interaction: RepliableInteraction, error: unknown): Promise<void> {
    const reply = { ...notice(failureText(TEXT[langOfLocale(interaction.locale)], error)), flags: EPHEMERAL } as const;
    try {
      if (interaction.deferred || interaction.replied) await interaction.followUp(reply);
      else await interaction.reply(reply);
    } catch (error) {
      logger.error({ err: error }, 'could not report the failure to the user');
    }
  }

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

function describe(i: Interaction): string {
  if (i.isChatInputCommand() || i.isAutocomplete()) return `/${i.commandName} by ${i.user.id}`;
  if (i.isContextMenuCommand()) return `"${i.commandName}" by ${i.user.id}`;
  if (i.isButton()) return `button ${i.customId} by ${i.user.id}`;
  return `interaction type ${i.type}`;
}

/** "Temporarily unavailable" while the database is out of reach, else "something went wrong". */
function failureText(t: (typeof TEXT)[keyof typeof TEXT], error: unknown): string {
  return error instanceof CorpusUnavailableError ? t.unavailable : t.failed;
}

/**
 * Multi-machine sharding: with DISCORD_SHARD_COUNT, this process runs DISCORD_SHARD_LIST (or
 * every shard) of that many. A process spawned by ShardingManager gets its shards from it instead.
 */
function hostedShards(config: Config): number[] | undefined {
  if (config.DISCORD_SHARD_COUNT === undefined || process.env.SHARDS !== undefined) return undefined;
  return config.DISCORD_SHARD_LIST ?? Array.from({ length: config.DISCORD_SHARD_COUNT }, (_, i) => i);
}
