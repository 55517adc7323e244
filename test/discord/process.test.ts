import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type RecordedCall } from '../../tools/fake-discord/index.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { buildTestModel, makeTempDir } from '../helpers/static-model.js';
import { TOKEN, askOptions, spawnBotProcess } from './harness.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
});
afterAll(async () => {
  await fake?.close();
});

describe('npm start with a token', () => {
  it('on SIGTERM finishes the question in flight, disconnects and exits 0; the token is never printed', async () => {
    const { child, output, exited } = spawnBotProcess('src/main.ts', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_GUILD_ID: fake.guildId,
      SEEDS_DIR,
      EMBEDDINGS_DIR: path.join(await makeTempDir('main-'), 'embeddings'),
      EMBEDDING_MODEL: await buildTestModel(),
      OFFLINE: '1',
      LOG_LEVEL: 'debug',
    });

    await fake.waitForCall(`PUT /applications/:app/guilds/${fake.guildId}/commands`, 60_000);
    const i = fake.dispatchInteraction({ name: 'ask', options: askOptions('Quand a été signé le mémorandum sur les substances psychotropes ?') });
    const token = i.token as string;
    await fake.waitForCall((c: RecordedCall) => c.path.endsWith(`/${token}/callback`), 10_000);
    child.kill('SIGTERM');

    const edit = await fake.waitForCall((c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`), 10_000).catch((e: unknown) => {
      console.log(output(), fake.calls.slice(-5).map((c) => `${c.method} ${c.path} ${c.status}`));
      throw e;
    });
    expect(JSON.stringify(edit.body)).toContain('psychotropes');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/stopping/u);
    expect(output()).not.toContain(TOKEN);
    // The client said goodbye to the gateway rather than vanishing.
    expect(fake.stats.identifies).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('rejects bad configuration with one line per variable, before connecting', async () => {
    const { output, exited } = spawnBotProcess('src/main.ts', { DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'not-a-server', DISCORD_API_BASE: 'nope' });
    const code = await exited;
    const stderr = output();
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n').filter((l) => !l.includes('nodedir'));
    expect(lines).toEqual([expect.stringMatching(/^config error: DISCORD_GUILD_ID: /u), expect.stringMatching(/^config error: DISCORD_API_BASE: /u)]);
    expect(stderr).not.toContain(TOKEN);
  }, 60_000);
});
