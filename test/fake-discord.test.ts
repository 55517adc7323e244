// Runs the REAL discord.js v14 Client against the fake Discord in tools/fake-discord/.
import { Client, Events, GatewayIntentBits, type ClientEvents } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type RecordedCall } from '../tools/fake-discord/index.js';

const DUMMY_TOKEN = 'fake.discord.token';

let fake: FakeDiscord;
let client: Client;
/** Errors caught inside listeners or emitted by the client; asserted empty after each test. */
const errors: unknown[] = [];
const cleanups: Array<() => void> = [];

/** Register a listener for this test only (removed in afterEach). */
function on<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => Promise<void> | void): void {
  const wrapped = (...args: ClientEvents[E]): void => {
    // An error thrown in an async listener would surface as an unhandled rejection / 'error' event.
    Promise.resolve()
      .then(() => listener(...args))
      .catch((error: unknown) => errors.push(error));
  };
  client.on(event, wrapped);
  cleanups.push(() => client.off(event, wrapped));
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** /ping handler used by several tests: deferReply then editReply. Resolves `done` with the outcome. */
function installPing(done?: (outcome: 'ok' | Error) => void): void {
  on(Events.InteractionCreate, async (interaction) => {
    if (!interaction.isChatInputCommand() || interaction.commandName !== 'ping') return;
    try {
      await interaction.deferReply();
      await interaction.editReply({ content: 'pong @everyone', allowedMentions: { parse: [] } });
      done?.('ok');
    } catch (error) {
      done?.(error as Error);
      if (!done) throw error;
    }
  });
}

const originalPatch = (token: string) => (c: RecordedCall) =>
  c.method === 'PATCH' && c.path === `/webhooks/${fake.applicationId}/${token}/messages/@original`;

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: fake.apiBase },
    // The default identify throttler waits ≥5 s between IDENTIFYs; skip that for the re-identify test.
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) },
  });
  client.on(Events.Error, (error) => errors.push(error));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(DUMMY_TOKEN);
  await ready;
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  fake.clearFaults();
  const seen = errors.splice(0);
  expect(seen).toEqual([]);
});

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe('fake Discord driven by the real discord.js Client', () => {
  it('reaches ClientReady with the fake bot user and guild', async () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(fake.stats.identifies).toBe(1);
    // discord.js asked for JSON without compression (zlib-sync is not installed).
    const identify = fake.gatewayFrames.find((f) => f.direction === 'in' && f.op === 2);
    expect(identify?.d).toMatchObject({ token: DUMMY_TOKEN, compress: false, shard: [0, 1] });
    expect(fake.findCalls('GET /gateway/bot')).toHaveLength(1);
    expect(fake.calls[0]?.headers.authorization).toBe(`Bot ${DUMMY_TOKEN}`);
  });

  it('answers heartbeats', async () => {
    // heartbeat_interval is 1 s, so the client beats within ~1 s and gets an ACK.
    const beat = await fake.waitForGateway((f) => f.direction === 'in' && f.op === 1, 3_000);
    await fake.waitForGateway((f) => f.direction === 'out' && f.op === 11, 1_000, { since: beat.seq });
    expect(fake.stats.heartbeats).toBeGreaterThan(0);
  });

  it('deferReply + editReply on a slash command', async () => {
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    const patch = await fake.waitForCall(originalPatch(interaction.token));
    expect(await done.promise).toBe('ok');

    const callback = fake.findCalls(`POST /interactions/${interaction.id}/${interaction.token}/callback`);
    expect(callback).toHaveLength(1);
    expect(callback[0]!.body).toMatchObject({ type: 5, data: { flags: 0 } });
    expect(callback[0]!.query).toEqual({ with_response: 'false' });
    expect(callback[0]!.status).toBe(204);
    expect(callback[0]!.headers.authorization).toBeUndefined(); // interaction routes are unauthenticated
    expect(callback[0]!.seq).toBeLessThan(patch.seq);

    expect(patch.body.content).toBe('pong @everyone');
    expect(patch.body.allowed_mentions).toEqual({ parse: [] });
    expect(patch.status).toBe(200);
    expect(patch.response.mention_everyone).toBe(false);
    expect(patch.response.flags & 128).toBe(0); // no longer "thinking"
  });

  it('message.reply() on MESSAGE_CREATE posts with a message_reference', async () => {
    const seen = deferred<string>();
    on(Events.MessageCreate, async (message) => {
      if (message.author.bot) return;
      seen.resolve(message.content);
      await message.reply({ content: 'hi there', allowedMentions: { repliedUser: false } });
    });
    const incoming = fake.dispatchMessage({ content: `<@${fake.botUser.id}> hello bot` });
    const post = await fake.waitForCall(`POST /channels/${fake.channelId}/messages`);
    expect(await seen.promise).toBe(`<@${fake.botUser.id}> hello bot`);
    expect(post.body).toMatchObject({
      content: 'hi there',
      message_reference: { message_id: incoming.id, fail_if_not_exists: true },
      allowed_mentions: { replied_user: false },
    });
    expect(post.status).toBe(200);
    expect(post.response).toMatchObject({ type: 19, referenced_message: { id: incoming.id }, mentions: [] });
  });

  it('records autocomplete respond() as callback type 8', async () => {
    on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused();
      await interaction.respond([{ name: `${focused}pha`, value: 'alpha' }]);
    });
    const interaction = fake.dispatchInteraction({
      type: 'autocomplete',
      name: 'ask',
      options: [{ name: 'query', type: 3, value: 'al', focused: true }],
    });
    const callback = await fake.waitForCall(`POST /interactions/${interaction.id}/:token/callback`);
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'alpha', value: 'alpha' }] } });
    expect(callback.status).toBe(204);
  });

  it('button update() is recorded as callback type 7 and edits the component message', async () => {
    on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
    });
    const interaction = fake.dispatchInteraction({ type: 'component', customId: 'more:1' });
    const callback = await fake.waitForCall(`POST /interactions/${interaction.id}/:token/callback`);
    expect(callback.body).toMatchObject({ type: 7, data: { content: 'clicked more:1', components: [] } });
    expect(fake.world.messages.get(interaction.message.id)?.content).toBe('clicked more:1');
  });

  it('a 429 on the PATCH is retried after retry-after and the reply still arrives', async () => {
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 429, retryAfter: 0.2 });
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    expect(await done.promise).toBe('ok');
    const patches = fake.findCalls(originalPatch(interaction.token));
    expect(patches.map((c) => c.status)).toEqual([429, 200]);
    expect(patches[0]!.response).toMatchObject({ retry_after: 0.2, global: false });
    // discord.js waits retry-after (+ 50 ms offset) before retrying; 429s do not count against rest.retries.
    expect(patches[1]!.at - patches[0]!.at).toBeGreaterThanOrEqual(200);
    expect(patches[1]!.body.content).toBe('pong @everyone');
  });

  it('a 500 on the PATCH is retried immediately (rest.retries defaults to 3)', async () => {
    expect(client.rest.options.retries).toBe(3);
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 500 });
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    expect(await done.promise).toBe('ok');
    expect(fake.findCalls(originalPatch(interaction.token)).map((c) => c.status)).toEqual([500, 200]);
  });

  it('gives up after 1 + rest.retries attempts of 5xx and editReply rejects', async () => {
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 503 }, { times: 4 });
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    const outcome = await done.promise;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error & { status?: number }).status).toBe(503);
    expect(fake.findCalls(originalPatch(interaction.token)).map((c) => c.status)).toEqual([503, 503, 503, 503]);
  });

  it('refuses a second acknowledgement like Discord (40060)', async () => {
    const outcome = deferred<unknown>();
    on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'twice') return;
      await interaction.deferReply();
      // Bypass discord.js's own guard to hit the API a second time.
      await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 5 }, auth: false })
        .then(() => outcome.resolve('accepted'), (error: unknown) => outcome.resolve(error));
    });
    fake.dispatchInteraction({ name: 'twice' });
    expect(await outcome.promise).toMatchObject({ code: 40060, status: 400 });
  });

  it('handles 500 interactions dispatched at once', async () => {
    on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete() || interaction.commandName !== 'load') return;
      await interaction.respond([{ name: 'x', value: 'x' }]);
    });
    const since = fake.mark();
    for (let i = 0; i < 500; i++) {
      fake.dispatchInteraction({ type: 'autocomplete', name: 'load', options: [{ name: 'q', type: 3, value: String(i), focused: true }] });
    }
    const calls = await fake.waitForCalls('POST /interactions/:id/:token/callback', 500, 10_000, { since });
    expect(calls.every((c) => c.status === 204 && c.body.type === 8)).toBe(true);
    expect(new Set(calls.map((c) => c.path)).size).toBe(500);
  });

  it('resumes after the gateway drops the connection, replaying missed events', async () => {
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    const resumes = fake.stats.resumes;
    const identifies = fake.stats.identifies;
    const lastConnection = fake.stats.connections;
    expect(fake.dropConnections()).toBe(1); // close code 4000 → discord.js resumes
    // Dispatched while the client is away: queued in the session and replayed on RESUME.
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    await fake.waitForResume(resumes + 1);
    expect(await done.promise).toBe('ok');
    expect(fake.findCalls(originalPatch(interaction.token))).toHaveLength(1);
    expect(fake.stats.identifies).toBe(identifies);
    // It was delivered exactly once, on the new connection, as a replay after RESUME.
    const sent = fake.gatewayFrames.filter(
      (f) => f.direction === 'out' && f.t === 'INTERACTION_CREATE' && (f.d as { id?: string }).id === interaction.id,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.connectionId).toBeGreaterThan(lastConnection);
  });

  it('re-identifies when the session cannot be resumed, then keeps answering', async () => {
    const done = deferred<'ok' | Error>();
    installPing(done.resolve);
    const identifies = fake.stats.identifies;
    const since = fake.markGateway();
    fake.dropConnections(4000, { invalidateSessions: true }); // RESUME gets op 9 → IDENTIFY
    await fake.waitForIdentify(identifies + 1);
    await fake.waitForGateway((f) => f.direction === 'out' && f.t === 'GUILD_CREATE', 2_000, { since });
    await fake.waitForGateway((f) => f.direction === 'in' && f.op === 6, 0, { since }); // it did try to resume first
    expect(fake.stats.invalidSessions).toBeGreaterThan(0);
    const interaction = fake.dispatchInteraction({ name: 'ping' });
    expect(await done.promise).toBe('ok');
    expect(fake.findCalls(originalPatch(interaction.token))).toHaveLength(1);
  });
});
