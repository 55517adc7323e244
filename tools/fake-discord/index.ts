// A fake Discord (REST + gateway) on 127.0.0.1 for running the real discord.js v14 Client in tests.
// See README.md in this folder.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gateway, Intents, type GatewayFrame, type GatewayStats } from './gateway.js';
import { compileMatcher, RestServer, type Fault, type FaultHandle, type RecordedCall, type RouteMatcher } from './rest.js';
import { World, type ApiObject, type InteractionInput, type MessageInput, type WorldOptions } from './world.js';

export type { ApiObject, ChannelSpec, InteractionInput, InteractionState, MessageInput, RecordedFile, WorldOptions } from './world.js';
export type { Fault, FaultHandle, RecordedCall, RouteMatcher } from './rest.js';
export type { GatewayFrame, GatewayStats } from './gateway.js';
export { World } from './world.js';
export { snowflake, snowflakeTime } from './util.js';

export interface FakeDiscordOptions extends WorldOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). REST and gateway share this port. */
  port?: number;
  /** HELLO heartbeat_interval in ms. Default 41250 (Discord's). */
  heartbeatIntervalMs?: number;
  /** If set, REST auth and IDENTIFY/RESUME must use this token (else 401 / close 4004). Default: any token. */
  token?: string;
  /** Enforce Discord's message limits (2000 chars, empty message, embed limits). Default true. */
  validateMessages?: boolean;
  /** Refuse interaction callbacks later than this many ms after dispatch (Discord: 3000). Default: off. */
  interactionCallbackDeadlineMs?: number;
  /** Max REST calls / gateway frames kept in the logs (oldest dropped). Default 5000. */
  maxRecorded?: number;
  /** Dispatches kept per session for RESUME replay. Default 1000. */
  replayBufferSize?: number;
  /** Record frames the fake sends too (direction 'out'). Default true. */
  recordOutgoing?: boolean;
  /** Delay between READY and GUILD_CREATE. Default 0. */
  guildCreateDelayMs?: number;
  /** Max request body size. Default 32 MiB. */
  maxBodyBytes?: number;
}

export interface WaitOptions {
  /** Only consider entries with seq >= since (see `mark()`). Default: every retained entry. */
  since?: number;
}

export interface FakeDiscord {
  readonly port: number;
  /** REST base to give discord.js: `new Client({ rest: { api: fake.apiBase } })` → requests go to `${apiBase}/v10/...`. */
  readonly apiBase: string;
  /** `ws://127.0.0.1:PORT` (returned by GET /gateway/bot and as resume_gateway_url). */
  readonly gatewayUrl: string;
  /** State: users, channels, stored messages, interactions, commands. */
  readonly world: World;
  readonly applicationId: string;
  /** The bot user (id = application id). */
  readonly botUser: ApiObject;
  /** Default human user who sends messages / invokes commands. */
  readonly user: ApiObject;
  readonly guildId: string;
  /** The default text channel. */
  readonly channelId: string;
  /** Recorded REST calls (live array, bounded, oldest dropped). */
  readonly calls: RecordedCall[];
  /** Recorded gateway frames, both directions (live array, bounded). */
  readonly gatewayFrames: GatewayFrame[];
  /** Live gateway counters (identifies, resumes, ...). */
  readonly stats: Readonly<GatewayStats>;
  /** Resolves when the first session got READY (+ GUILD_CREATE). */
  readonly ready: Promise<void>;
  /** Whether heartbeats are ACKed (set false to simulate a zombie connection). */
  ackHeartbeats: boolean;

  /** Sequence number the next REST call will get: pass as `since` to ignore earlier calls. */
  mark(): number;
  /** Sequence number the next gateway frame will get. */
  markGateway(): number;
  findCalls(matcher: RouteMatcher, opts?: WaitOptions): RecordedCall[];
  /** Resolves with the first matching call (already recorded, or future). Default timeout 5000 ms. */
  waitForCall(matcher: RouteMatcher, timeoutMs?: number, opts?: WaitOptions): Promise<RecordedCall>;
  /** Resolves once `count` matching calls have been recorded (since `opts.since`). */
  waitForCalls(matcher: RouteMatcher, count: number, timeoutMs?: number, opts?: WaitOptions): Promise<RecordedCall[]>;
  waitForGateway(predicate: (frame: GatewayFrame) => boolean, timeoutMs?: number, opts?: WaitOptions): Promise<GatewayFrame>;
  /** Resolves once `stats.identifies >= count` (default 1). */
  waitForIdentify(count?: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `stats.resumes >= count` (default 1). */
  waitForResume(count?: number, timeoutMs?: number): Promise<void>;

  /** Raw dispatch (op 0) to the session owning `guildId` (default: the fake's guild; null = shard 0). Returns sessions reached. */
  dispatch(t: string, d: unknown, opts?: { guildId?: string | null; intent?: number }): number;
  /** INTERACTION_CREATE. Returns the payload sent (with `id`, `token`). */
  dispatchInteraction(input?: InteractionInput): ApiObject;
  /** MESSAGE_CREATE (content stripped for sessions without MessageContent unless the bot is mentioned). Returns the payload. */
  dispatchMessage(input?: MessageInput): ApiObject;

  /** Make the next `times` (default 1) matching REST calls fail with `fault`. */
  failNext(matcher: RouteMatcher, fault: Fault, opts?: { times?: number }): FaultHandle;
  clearFaults(): void;
  /**
   * Close all gateway connections. Default code 4000 → discord.js RESUMEs. 1000 → it re-IDENTIFYs
   * (throttled: ≥5 s after the previous identify with the default throttler). 1006 → abrupt terminate (resume).
   * `invalidateSessions` makes any RESUME fail with op 9 (forcing a re-identify). Returns connections closed.
   */
  dropConnections(code?: number, opts?: { invalidateSessions?: boolean; reason?: string }): number;
  /** Send op 7 RECONNECT. */
  requestReconnect(): void;
  /** Send op 9 INVALID_SESSION (d = resumable). */
  invalidateSessions(resumable?: boolean): void;
  /** Shut everything down (sockets terminated, servers closed, waiters rejected). Idempotent. */
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const host = options.host ?? '127.0.0.1';
  const world = new World(options);
  const maxRecorded = options.maxRecorded ?? 5000;
  let gatewayUrl = '';
  const rest = new RestServer(
    world,
    {
      gatewayUrl: () => gatewayUrl,
      token: options.token,
      interactionCallbackDeadlineMs: options.interactionCallbackDeadlineMs,
      validateMessages: options.validateMessages ?? true,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
      dispatch: (t, d, guildId) => gateway.dispatch(t, d, guildId),
    },
    maxRecorded,
  );
  const gateway = new Gateway(
    world,
    {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      token: options.token,
      gatewayUrl: () => gatewayUrl,
      replayBufferSize: options.replayBufferSize ?? 1000,
      recordOutgoing: options.recordOutgoing ?? true,
      guildCreateDelayMs: options.guildCreateDelayMs ?? 0,
    },
    maxRecorded,
  );

  const server: Server = createServer((req, res) => {
    void rest.handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  gatewayUrl = `ws://${hostForUrl}:${port}`;
  const apiBase = `http://${hostForUrl}:${port}/api`;

  // Matchers are compiled the same way for waits and faults.
  const matcherFn = compileMatcher;

  let closing: Promise<void> | undefined;

  const fake: FakeDiscord = {
    port,
    apiBase,
    gatewayUrl,
    world,
    applicationId: world.applicationId,
    botUser: world.bot,
    user: world.user,
    guildId: world.guildId,
    channelId: world.channelId,
    calls: rest.log.items,
    gatewayFrames: gateway.log.items,
    stats: gateway.stats,
    ready: gateway.ready,
    get ackHeartbeats() {
      return gateway.ackHeartbeats;
    },
    set ackHeartbeats(value: boolean) {
      gateway.ackHeartbeats = value;
    },

    mark: () => rest.log.mark,
    markGateway: () => gateway.log.mark,
    findCalls: (matcher, opts = {}) => rest.log.since(opts.since ?? 0).filter(matcherFn(matcher)),
    waitForCall: (matcher, timeoutMs = 5000, opts = {}) =>
      rest.log.waitFor(matcherFn(matcher), timeoutMs, opts.since ?? 0, `REST call ${describe(matcher)}`),
    waitForCalls: async (matcher, count, timeoutMs = 5000, opts = {}) => {
      const fn = matcherFn(matcher);
      const since = opts.since ?? 0;
      let seen = 0;
      const found: RecordedCall[] = [];
      await rest.log.waitFor(
        (call) => {
          if (!fn(call)) return false;
          found.push(call);
          seen++;
          return seen >= count;
        },
        timeoutMs,
        since,
        `${count} REST calls ${describe(matcher)}`,
      );
      return found;
    },
    waitForGateway: (predicate, timeoutMs = 5000, opts = {}) =>
      gateway.log.waitFor(predicate, timeoutMs, opts.since ?? 0, 'gateway frame'),
    waitForIdentify: (count = 1, timeoutMs = 10_000) =>
      gateway.changed.wait(() => gateway.stats.identifies >= count, timeoutMs, `${count} IDENTIFY`),
    waitForResume: (count = 1, timeoutMs = 10_000) =>
      gateway.changed.wait(() => gateway.stats.resumes >= count, timeoutMs, `${count} RESUME`),

    dispatch: (t, d, opts = {}) => gateway.dispatch(t, d, opts.guildId === undefined ? world.guildId : opts.guildId, opts.intent),
    dispatchInteraction: (input = {}) => {
      const { payload } = world.buildInteraction(input);
      gateway.dispatch('INTERACTION_CREATE', payload, (payload.guild_id as string | undefined) ?? null);
      return payload;
    },
    dispatchMessage: (input = {}) => {
      const payload = world.buildIncomingMessage(input);
      const guildId = (payload.guild_id as string | undefined) ?? null;
      const mentionsBot = (payload.mentions as ApiObject[]).some((u) => u.id === world.bot.id);
      const fromBot = payload.author?.id === world.bot.id;
      gateway.dispatch(
        'MESSAGE_CREATE',
        payload,
        guildId,
        guildId ? Intents.GuildMessages : Intents.DirectMessages,
        (session, d) => {
          // Without the privileged MessageContent intent Discord blanks these fields, except in
          // DMs, messages that mention the bot, and the bot's own messages.
          if (!guildId || mentionsBot || fromBot || (session.intents & Intents.MessageContent) !== 0) return d;
          return { ...(d as ApiObject), content: '', embeds: [], attachments: [], components: [], poll: undefined };
        },
      );
      return payload;
    },

    failNext: (matcher, fault, opts = {}) => rest.failNext(matcher, fault, opts.times ?? 1),
    clearFaults: () => rest.clearFaults(),
    dropConnections: (code = 4000, opts = {}) => gateway.dropConnections(code, opts),
    requestReconnect: () => gateway.requestReconnect(),
    invalidateSessions: (resumable = false) => gateway.invalidateSessions(resumable),

    close: () => {
      closing ??= (async () => {
        const error = new Error('fake-discord: closed');
        rest.close();
        gateway.close(error);
        rest.log.close(error);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
  return fake;
}

function describe(matcher: RouteMatcher): string {
  return typeof matcher === 'function' ? '(predicate)' : String(matcher);
}
