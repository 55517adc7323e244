// The token never leaks (logs, REST bodies, process output), even through errors; replies show no internals.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createEngine, type Engine, type LibraryScope } from '../../src/engine/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../tools/fake-discord/index.js';
import { TOKEN, askOptions, startHarness, type Harness } from '../discord/harness.js';
import { SEED, SEEDS_DIR } from '../helpers/seeds.js';
import { buildTestModel, makeTempDir } from '../helpers/static-model.js';
import {
  askAndWait,
  expectNoTokenCaptured,
  expectQuoteFrom,
  expectStillServing,
  INTERNALS,
  isCallback,
  isChannelMessage,
  isFollowUp,
  isOriginalEdit,
  NORMAL_FRAGMENT,
  NORMAL_QUESTION,
  NORMAL_SOURCE,
  killGroup,
  repliesSent,
  spawnMain,
  userFactory,
  type Spawned,
} from './helpers.js';

const user = userFactory('77');
/** An internal error that carries everything a reply must never show: the token, a path, a stack. */
const LEAKY = `request failed for Bot ${TOKEN} in /tmp/secret/src/engine/index.ts:42:7`;
const BOOM = 'cette question fait échouer le moteur';
let failReindex = false;

describe('in process (harness)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      engine: (real) => {
        const e = Object.create(real) as Engine;
        e.ask = (q, o) => (q === BOOM ? Promise.reject(new Error(LEAKY)) : real.ask(q, o));
        e.reindex = () => (failReindex ? Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '/tmp/secret/seeds/a.txt' ${TOKEN}`), { code: 'EACCES' })) : real.reindex());
        // The bot asks through the server's library: the same failure there.
        e.library = (id) => Object.assign(Object.create(real.library(id)) as LibraryScope, { ask: e.ask });
        return e;
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a handler error with the token in its message: short reply to the user, scrubbed log line', async () => {
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(BOOM), user: user(), locale: 'en-US' });
    const reply = await h.fake.waitForCall(isFollowUp(i.token as string), 10_000);
    expect((reply.body as { content: string }).content).toBe('Something went wrong while answering. Please try again in a moment.');
    const logged = h.logs.filter((l) => l.includes('"interaction failed"'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('[redacted]');
    expect(logged[0]).not.toContain(TOKEN);
  });

  it('a failing mention handler and a failing /reindex: same short replies, scrubbed logs', async () => {
    const mark = h.fake.mark();
    h.fake.dispatchMessage({ content: `<@${h.fake.botUser.id}> ${BOOM}`, author: user() });
    const reply = await h.fake.waitForCall(isChannelMessage(h.fake.channelId), 10_000, { since: mark });
    expect((reply.body as { content: string }).content).toBe('Une erreur est survenue pendant la réponse. Réessayez dans un instant.');

    failReindex = true;
    try {
      const t = h.fake.dispatchInteraction({ name: 'reindex', user: user(), locale: 'en-US', memberPermissions: '32' }).token as string;
      const err = await h.fake.waitForCall(isFollowUp(t), 10_000);
      expect((err.body as { content: string }).content).toMatch(/^Something went wrong/u);
    } finally {
      failReindex = false;
    }
    expect(h.logs.filter((l) => l.includes('[redacted]')).length).toBeGreaterThanOrEqual(3);
  });

  it('a REST error whose message carries the token is logged scrubbed', async () => {
    h.fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 400, code: 50035, message: `Invalid Form Body (${TOKEN})` });
    const i = h.fake.dispatchInteraction({ name: 'ask', options: askOptions(NORMAL_QUESTION), user: user(), locale: 'en-US' });
    await h.fake.waitForCall(isFollowUp(i.token as string), 10_000);
    const logged = h.logs.filter((l) => l.includes('Invalid Form Body'));
    expect(logged.length).toBeGreaterThanOrEqual(1);
    for (const l of logged) expect(l).toContain('[redacted]');
    await expectStillServing(h.fake, user());
  });

  it('no reply (answers, refusals, errors, /about, /source, context) shows a path, a source file, a stack or an error name', async () => {
    const { body } = await askAndWait(h.fake, NORMAL_QUESTION, user());
    expectQuoteFrom(body, NORMAL_SOURCE, NORMAL_FRAGMENT);
    await askAndWait(h.fake, 'Quelle est la recette de la tarte aux pommes ?', user());
    for (const i of [
      h.fake.dispatchInteraction({ name: 'about', user: user() }),
      h.fake.dispatchInteraction({ name: 'source', options: [{ name: 'article', type: 3, value: SEED.convention }], user: user() }),
      h.fake.dispatchInteraction({ name: 'source', options: [{ name: 'article', type: 3, value: '../../etc/passwd' }], user: user() }),
      h.fake.dispatchInteraction({ type: 'component', customId: 'ctx:no-such-passage', message: { id: '123456789012345999', content: '' }, user: user() }),
    ]) {
      await h.fake.waitForCall(isCallback(i.token as string), 10_000);
    }
    const sent = repliesSent(h.fake);
    expect(sent.length).toBeGreaterThan(8);
    for (const c of sent) expect(JSON.stringify(c.body ?? null), `${c.method} ${c.path}`).not.toMatch(INTERNALS);
    expectNoTokenCaptured(h);
  });
});

describe('as a process (npm start)', () => {
  let fake: FakeDiscord;
  let running: Spawned | undefined;
  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
  });
  afterAll(async () => {
    if (running) killGroup(running);
    await fake?.close();
  });

  const env = async (apiBase: string, guildId: string, level: string): Promise<Record<string, string>> => ({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: apiBase,
    DISCORD_GUILD_ID: guildId,
    SEEDS_DIR,
    EMBEDDINGS_DIR: path.join(await makeTempDir('sec-main-'), 'embeddings'),
    EMBEDDING_MODEL: await buildTestModel(),
    OFFLINE: '1',
    LOG_LEVEL: level,
  });

  it('answers, survives a handler error, stops on SIGTERM: the token is in no output and no REST body', async () => {
    running = spawnMain(await env(fake.apiBase, fake.guildId, 'debug'));
    const p = running;
    await fake.waitForCall(`PUT /applications/:app/guilds/${fake.guildId}/commands`, 60_000);
    const ok = fake.dispatchInteraction({ name: 'ask', options: askOptions(NORMAL_QUESTION), user: user() });
    const edit = await fake.waitForCall((c) => isOriginalEdit(ok.token as string)(c) && c.status === 200, 15_000);
    expectQuoteFrom(edit.body, NORMAL_SOURCE, NORMAL_FRAGMENT);

    fake.failNext('PATCH /webhooks/:app/:token/messages/@original', { status: 400, code: 50035, message: `Invalid Form Body (${TOKEN})` });
    const bad = fake.dispatchInteraction({ name: 'ask', options: askOptions(NORMAL_QUESTION), user: user(), locale: 'en-US' });
    const err = await fake.waitForCall(isFollowUp(bad.token as string), 15_000);
    expect((err.body as { content: string }).content).toMatch(/^Something went wrong/u);

    process.kill(p.child.pid!, 'SIGTERM');
    expect(await p.exited).toBe(0);
    const output = p.stdout() + p.stderr();
    expect(output).toMatch(/"interaction failed"/u);
    expect(output).toContain('[redacted]');
    expect(output).not.toContain(TOKEN);
    expectNoTokenCaptured({ logs: output.split('\n').filter(Boolean), fake });
  }, 90_000);

  it('a login failure (wrong token) prints one line without the token and exits non-zero', async () => {
    const strict = await startFakeDiscord({ token: 'another-token-than-the-bots.abcdefghijklmnop' });
    try {
      // An index already built, so that the only thing the process has to say is the failure.
      const settings = await env(strict.apiBase, strict.guildId, 'warn');
      await createEngine(loadConfig(settings), { log: { info: () => {}, warn: () => {} } });
      running = spawnMain(settings);
      const code = await running.exited;
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(running.stdout()).toBe('');
      const lines = running.stderr().trim().split('\n');
      expect(lines, running.stderr()).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /u);
      expect(lines[0]).not.toMatch(/\bat .+:\d+:\d+/u);
      expect(running.stderr()).not.toContain(TOKEN);
      for (const c of strict.calls) expect(JSON.stringify([c.body, c.response, c.rawUrl])).not.toContain(TOKEN);
    } finally {
      await strict.close();
    }
  }, 90_000);
});
