// SIGKILL in the middle of `npm run index`: the previous index still loads, and the bot answers from it.
import { access, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../discord/harness.js';
import { runCli, startCli } from '../helpers/cli.js';
import { SEED } from '../helpers/seeds.js';
import { buildTestModel } from '../helpers/static-model.js';
import { expectNoTokenCaptured, expectStillServing, parsedLogs, userFactory, WARN, workspace } from './helpers.js';

const user = userFactory('73');

describe('SIGKILL during npm run index', () => {
  it('leaves the previous index intact: the bot loads it without a rebuild and answers', async () => {
    const w = await workspace('kill-index-');
    const env = { SEEDS_DIR: w.seeds, EMBEDDINGS_DIR: w.embeddings, EMBEDDING_MODEL: await buildTestModel(), OFFLINE: '1' };
    const first = runCli('index', [], env);
    expect(first.code, first.stderr).toBe(0);
    const manifest = await readFile(path.join(w.embeddings, 'manifest.json'), 'utf8');

    // Enough new text that embedding takes a while; kill the process group at the first progress line.
    const lines = (await readFile(path.join(w.seeds, SEED.convention), 'utf8')).split('\n');
    for (let i = 0; i < 30; i++) await writeFile(path.join(w.seeds, `copy-${i}.txt`), lines.map((l) => (l ? `${l} (copie ${i})` : l)).join('\n'));
    const child = startCli('index', [], env);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no embedding progress seen')), 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/Embedding: \d+\//u.test(chunk.toString())) {
          clearTimeout(timer);
          process.kill(-child.pid!, 'SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    expect(await readFile(path.join(w.embeddings, 'manifest.json'), 'utf8')).toBe(manifest);
    // The killed updater's lock is left behind: the next start must see it is stale.
    await access(path.join(w.embeddings, '.lock'));

    for (const f of await readdir(w.seeds)) if (f.startsWith('copy-')) await rm(path.join(w.seeds, f));
    const h = await startHarness({ seedsDir: w.seeds, env: { EMBEDDINGS_DIR: w.embeddings } });
    try {
      const report = h.engine.lastIndexReport!;
      expect(report).toMatchObject({ added: 0, changed: 0, removed: 0, rebuilt: null });
      expect(report.unchanged).toBeGreaterThan(50);
      const logs = parsedLogs(h.logs);
      expect(logs.filter((l) => l.level >= WARN)).toEqual([]);
      expect(logs.some((l) => /removing stale lock/u.test(l.msg))).toBe(true);
      await expectStillServing(h.fake, user());
    } finally {
      await h.close();
    }
    expectNoTokenCaptured(h);
    await expect(access(path.join(w.embeddings, '.lock'))).rejects.toThrow();
  });
});
