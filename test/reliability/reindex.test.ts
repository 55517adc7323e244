// A seed file changes while the bot runs: /reindex updates in place without interrupting answers.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadVectorIndex } from '../../src/core/store/files/vector-index/index.js';
import { createEngine } from '../../src/engine/index.js';
import { STATIC_MODEL_DIMENSION } from '../../src/model-setup/build-static-model.js';
import type { RecordedCall } from '../../tools/fake-discord/index.js';
import { askOptions, quoteFromDescription, startHarness, type Harness } from '../discord/harness.js';
import { SEED } from '../helpers/seeds.js';
import { buildTestModel } from '../helpers/static-model.js';
import { askAndWait, expectNoTokenCaptured, expectStillServing, isCallback, isFollowUp, isOriginalEdit, parsedLogs, userFactory, workspace, type AnswerBody } from './helpers.js';

const user = userFactory('74');
const OLD_TEXT = 'créer une plate-forme de big data';
const NEW_TEXT = 'créer une plate-forme de données massives';
const NEW_QUESTION = 'Singapour va-t-il aider à créer une plate-forme de données massives ?';
/** Answered from 002, which the re-index does not touch. */
const STEADY_QUESTION = 'Quand a été signé le mémorandum sur les substances psychotropes ?';

let h: Harness;
let w: Awaited<ReturnType<typeof workspace>>;
let closed = false;

/** A file's text with whitespace collapsed, as quotes are compared against it. */
const normalised = async (file: string): Promise<string> => (await readFile(path.join(w.seeds, file), 'utf8')).replace(/\s+/gu, ' ');

/** Copies of an article under new names, so that a re-index has real embedding work to do. */
async function addCopies(prefix: string, count: number): Promise<void> {
  const lines = (await readFile(path.join(w.seeds, SEED.convention), 'utf8')).split('\n');
  for (let i = 0; i < count; i++) await writeFile(path.join(w.seeds, `${prefix}-${i}.txt`), lines.map((l) => (l ? `${l} (${prefix} ${i})` : l)).join('\n'));
}

const reindex = () => h.fake.dispatchInteraction({ name: 'reindex', user: user(), locale: 'en-US', memberPermissions: '32' }).token as string;
const waitUntil = async (predicate: () => boolean, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

beforeAll(async () => {
  w = await workspace('reindex-');
  h = await startHarness({ seedsDir: w.seeds, env: { EMBEDDINGS_DIR: w.embeddings } });
});

afterAll(async () => {
  if (!closed) await h?.close();
});

describe('/reindex', () => {
  it('is registered for Manage Server only (default_member_permissions 32), not in DMs', () => {
    const put = h.fake.findCalls(`PUT /applications/:app/guilds/${h.fake.guildId}/commands`)[0]!;
    const command = (put.body as { name: string; default_member_permissions?: string; dm_permission?: boolean }[]).find((c) => c.name === 'reindex')!;
    expect(command.default_member_permissions).toBe('32');
    expect(command.dm_permission).toBe(false);
  });

  it('picks up a changed seed file, and /ask keeps being answered while it runs', async () => {
    const file = path.join(w.seeds, SEED.singapore);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(OLD_TEXT);
    await writeFile(file, text.replace(OLD_TEXT, NEW_TEXT));
    await addCopies('bulk', 20);

    const token = reindex();
    await waitUntil(() => h.engine.reindexing, 10_000);
    // Questions from users while the re-index runs.
    const ask = () => h.fake.dispatchInteraction({ name: 'ask', options: askOptions(STEADY_QUESTION), user: user() }).token as string;
    const during = Array.from({ length: 5 }, ask);
    while (h.engine.reindexing && during.length < 40) {
      await new Promise((r) => setTimeout(r, 50));
      if (h.engine.reindexing) during.push(ask());
    }
    const done = await h.fake.waitForCall(isOriginalEdit(token), 60_000);
    expect((done.body as { content: string }).content).toMatch(/^Re-index done: \d+ articles, \d+ passages; vectors: \d+ new, 1 changed, 0 removed, \d+ unchanged\.$/u);
    expect(during.length).toBeGreaterThanOrEqual(5);

    const steady = await normalised(SEED.russiaJuly);
    const edits: RecordedCall[] = [];
    for (const t of during) {
      const edit = await h.fake.waitForCall((c) => isOriginalEdit(t)(c) && c.status < 300, 20_000);
      expect(steady).toContain(quoteFromDescription((edit.body as AnswerBody).embeds![0]!.description));
      edits.push(edit);
    }
    // Not queued behind the re-index: answers went out before it finished.
    expect(edits.filter((e) => e.at < done.at).length).toBeGreaterThanOrEqual(1);

    const { body } = await askAndWait(h.fake, NEW_QUESTION, user());
    const quote = quoteFromDescription(body.embeds![0]!.description);
    expect(quote).toContain('données massives');
    expect(await normalised(SEED.singapore)).toContain(quote);
  });

  it('concurrent /reindex: one runs, the others are told it is already running (ephemeral)', async () => {
    await addCopies('more', 5);
    const before = parsedLogs(h.logs).filter((l) => l.msg === 'reindexed').length;
    const tokens = [reindex(), reindex(), reindex()];
    const acks = await Promise.all(tokens.map((t) => h.fake.waitForCall(isCallback(t), 10_000)));
    const bodies = acks.map((a) => a.body as { type: number; data?: { content?: string; flags?: number } });
    const deferred = bodies.filter((b) => b.type === 5);
    const busy = bodies.filter((b) => b.type === 4);
    expect(deferred).toHaveLength(1);
    expect(deferred[0]!.data?.flags).toBe(64);
    expect(busy).toHaveLength(2);
    for (const b of busy) {
      expect(b.data?.content).toBe('A re-index is already running; this one was not started.');
      expect(b.data?.flags).toBe(64);
    }
    const runner = tokens[bodies.indexOf(deferred[0]!)]!;
    const done = await h.fake.waitForCall(isOriginalEdit(runner), 60_000);
    expect((done.body as { content: string }).content).toMatch(/^Re-index done: .* \d+ new, 0 changed, 0 removed/u);
    expect(parsedLogs(h.logs).filter((l) => l.msg === 'reindexed').length).toBe(before + 1);
    await expectStillServing(h.fake, user());
  });

  it('a re-index that fails (seeds folder gone) gets the short error reply; the previous index keeps serving', async () => {
    const away = `${w.seeds}-away`;
    await rename(w.seeds, away);
    try {
      const token = reindex();
      const err = await h.fake.waitForCall(isFollowUp(token), 10_000);
      expect((err.body as { content: string; flags: number }).content).toMatch(/^Something went wrong/u);
      expect((err.body as { flags: number }).flags & 64).toBe(64);
      expect(h.engine.reindexing).toBe(false);
      await expectStillServing(h.fake, user());
    } finally {
      await rename(away, w.seeds);
    }
  });

  it('nothing is corrupted: after all this, the index loads as is and answers', async () => {
    await h.close();
    closed = true;
    expectNoTokenCaptured(h);
    const loaded = await loadVectorIndex(w.embeddings, { modelId: h.engine.model!, dimension: STATIC_MODEL_DIMENSION });
    expect(loaded.ok && loaded.index.size).toBe(h.engine.corpus.passages.length);
    const config = loadConfig({ SEEDS_DIR: w.seeds, EMBEDDINGS_DIR: w.embeddings, EMBEDDING_MODEL: await buildTestModel(), OFFLINE: '1' });
    const engine = await createEngine(config, { log: { info: () => {}, warn: () => {} } });
    expect(engine.lastIndexReport).toMatchObject({ added: 0, changed: 0, removed: 0, rebuilt: null });
    const answer = await engine.ask(NEW_QUESTION);
    expect(answer.answered && answer.results[0]!.quote).toContain('données massives');
  });
});
