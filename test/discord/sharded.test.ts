import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type RecordedCall } from '../../tools/fake-discord/index.js';
import { ROOT, SEEDS_DIR } from '../helpers/seeds.js';
import { makeTempDir } from '../helpers/static-model.js';
import { TOKEN, askOptions, spawnBotProcess } from './harness.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
});
afterAll(async () => {
  await fake?.close();
});

describe('npm run start:sharded', () => {
  it('runs one bot per shard, registers commands once, and answers', async () => {
    const { child, output, exited } = spawnBotProcess('src/cli/sharded.ts', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_SHARDS: '2',
      SEEDS_DIR,
      EMBEDDINGS_DIR: path.join(await makeTempDir('sharded-'), 'embeddings'),
      EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'),
      OFFLINE: '1',
    });
    try {
      await fake.waitForIdentify(2, 90_000);
      await fake.waitForCall('PUT /applications/:app/commands', 30_000);
      const i = fake.dispatchInteraction({ name: 'ask', options: askOptions('Qui a reçu les chefs de délégation ?') });
      const edit = await fake.waitForCall((c: RecordedCall) => c.method === 'PATCH' && c.path.includes(`/${i.token as string}/messages/@original`), 20_000);
      expect(JSON.stringify(edit.body)).toContain('chefs de délégation');
      const identifies = fake.gatewayFrames.filter((f) => f.direction === 'in' && f.op === 2);
      expect(identifies.map((f) => (f.d as { shard: number[] }).shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      // Shard 0 alone registers the commands.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(fake.findCalls('PUT /applications/:app/commands')).toHaveLength(1);
      expect(output()).not.toContain(TOKEN);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 180_000);
});

describe('multi-machine sharding (DISCORD_SHARD_COUNT and DISCORD_SHARD_LIST)', () => {
  it('each host identifies only its own shards, and only the host with shard 0 registers commands', async () => {
    const env = (list: string) => ({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_SHARD_COUNT: '3',
      DISCORD_SHARD_LIST: list,
      SEEDS_DIR,
      EMBEDDING_MODEL: path.join(ROOT, 'no-such-model'),
      OFFLINE: '1',
    });
    const before = fake.gatewayFrames.filter((f) => f.direction === 'in' && f.op === 2).length;
    const commandsBefore = fake.findCalls('PUT /applications/:app/commands').length;
    const hostA = spawnBotProcess('src/main.ts', { ...env('1,2'), EMBEDDINGS_DIR: path.join(await makeTempDir('shard-a-'), 'embeddings') });
    const hostB = spawnBotProcess('src/main.ts', { ...env('0'), EMBEDDINGS_DIR: path.join(await makeTempDir('shard-b-'), 'embeddings') });
    try {
      await fake.waitForIdentify(before + 3, 90_000);
      await fake.waitForCall('PUT /applications/:app/commands', 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      const shards = fake.gatewayFrames
        .filter((f) => f.direction === 'in' && f.op === 2)
        .slice(before)
        .map((f) => (f.d as { shard: number[] }).shard);
      expect(shards.sort()).toEqual([
        [0, 3],
        [1, 3],
        [2, 3],
      ]);
      expect(fake.findCalls('PUT /applications/:app/commands').length - commandsBefore).toBe(1);
    } finally {
      for (const host of [hostA, hostB]) process.kill(-host.child.pid!, 'SIGTERM');
      await Promise.all([hostA.exited, hostB.exited]);
    }
  }, 180_000);
});
