// Bad seed files next to the real ones: each skipped with a one-line warning, nothing indexed is lost.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createEngine } from '../../src/engine/index.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { normalisedSeed } from '../helpers/seeds.js';
import { buildTestModel } from '../helpers/static-model.js';
import {
  expectNoTokenCaptured,
  expectStillServing,
  isOriginalEdit,
  NORMAL_FRAGMENT,
  NORMAL_QUESTION,
  NORMAL_SOURCE,
  parsedLogs,
  userFactory,
  WARN,
  workspace,
} from './helpers.js';

const user = userFactory('76');
let h: Harness;
let w: Awaited<ReturnType<typeof workspace>>;
let closed = false;

/** Runs /reindex and resolves with its "Re-index done" text. */
async function reindex(): Promise<string> {
  const token = h.fake.dispatchInteraction({ name: 'reindex', user: user(), locale: 'en-US', memberPermissions: '32' }).token as string;
  const done = await h.fake.waitForCall(isOriginalEdit(token), 60_000);
  return (done.body as { content: string }).content;
}

/** Warnings naming `file`, from log lines after `from`. */
const warningsAbout = (file: string, from: number) => parsedLogs(h.logs.slice(from)).filter((l) => l.level >= WARN && l.msg.includes(file));

beforeAll(async () => {
  w = await workspace('bad-seeds-');
  h = await startHarness({ seedsDir: w.seeds, env: { EMBEDDINGS_DIR: w.embeddings } });
});

afterAll(async () => {
  if (!closed) await h?.close();
});

const BAD_FILES: [name: string, content: () => Buffer | string, reason: RegExp][] = [
  ['empty.txt', () => '', /empty file/u],
  ['blank.md', () => '  \n\n\t \n', /empty file/u],
  ['binary.txt', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]), /binary file/u],
  ['latin1.txt', () => Buffer.from('Le ministre a visité Hanoï en été et a signé un accord très important.', 'latin1'), /not valid UTF-8/u],
  ['huge.txt', () => Buffer.alloc(50 * 1024 * 1024, 'Un texte répété sans fin. '), /too large \(50\.0 MB, limit 2\.0 MB\)/u],
  ['broken-yaml.md', () => '---\ntitle: [pas fermé\ndate: 2024-01\n---\nLe ministre a parlé.\n', /front matter is not valid YAML/u],
  ['unclosed.md', () => '---\ntitle: Sans fin\nLe ministre a parlé de la coopération.\n', /front matter starts with --- but is never closed/u],
  ['bad-date.md', () => '---\ntitle: Date fausse\ndate: hier\n---\nLe ministre a parlé.\n', /front matter date "hier" is not YYYY-MM or YYYY-MM-DD/u],
  ['only-captions.txt', () => 'Photo: VNA\n\n', /no article text after removing captions and credits/u],
];

describe('bad seed files', () => {
  it('each is skipped with one warning line naming it; every other article still answers', async () => {
    const articlesBefore = h.engine.corpus.articles.length;
    for (const [name, content] of BAD_FILES) await writeFile(path.join(w.seeds, name), content());
    const from = h.logs.length;

    const done = await reindex();
    expect(done).toMatch(/^Re-index done: /u);
    for (const [name, , reason] of BAD_FILES) {
      const lines = warningsAbout(name, from);
      expect(lines, name).toHaveLength(1);
      expect(lines[0]!.msg).toMatch(new RegExp(`^Skipped ${name.replace('.', '\\.')}: `, 'u'));
      expect(lines[0]!.msg).toMatch(reason);
      expect(lines[0]!.msg).not.toContain('\n');
      expect(lines[0]!.msg.length).toBeLessThan(200);
      expect(done).toContain(name);
    }
    expect(h.engine.corpus.articles.length).toBe(articlesBefore);
    expect(h.engine.corpus.skipped.map((s) => s.file).sort()).toEqual(BAD_FILES.map(([n]) => n).sort());
    await expectStillServing(h.fake, user());
  });

  it('an indexed article that turns bad keeps its previously indexed version (snapshot), also after a restart', async () => {
    const file = path.join(w.seeds, NORMAL_SOURCE);
    const good = await readFile(file, 'utf8');
    await writeFile(file, Buffer.from(good, 'latin1')); // the same text saved in the wrong encoding
    const articlesBefore = h.engine.corpus.articles.length;
    const from = h.logs.length;

    const done = await reindex();
    expect(done).toContain(NORMAL_SOURCE);
    const lines = warningsAbout(NORMAL_SOURCE, from);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe(`Skipped ${NORMAL_SOURCE}: not valid UTF-8 text (save it as UTF-8). Keeping its previously indexed version.`);
    expect(h.engine.corpus.articles.length).toBe(articlesBefore);
    expect(h.engine.lastIndexReport).toMatchObject({ changed: 0, removed: 0, rebuilt: null });
    // Still quoted verbatim from the good version.
    await expectStillServing(h.fake, user());

    // The corpus holds it…
    const kept = h.engine.corpus.articles.filter((a) => a.file === NORMAL_SOURCE);
    expect(kept.length).toBeGreaterThan(0);
    expect(normalisedSeed(NORMAL_SOURCE)).toContain(kept[0]!.paragraphs.flat()[0]!);

    // …and so does the text index on disk: a restart with the file still broken answers from it too.
    await h.close();
    closed = true;
    expectNoTokenCaptured(h);
    const warnings: string[] = [];
    const config = loadConfig({ SEEDS_DIR: w.seeds, EMBEDDINGS_DIR: w.embeddings, EMBEDDING_MODEL: await buildTestModel(), OFFLINE: '1' });
    const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => warnings.push(m) } });
    expect(warnings.filter((m) => m.includes(NORMAL_SOURCE))).toEqual([`Skipped ${NORMAL_SOURCE}: not valid UTF-8 text (save it as UTF-8). Keeping its previously indexed version.`]);
    expect(engine.lastIndexReport).toMatchObject({ added: 0, changed: 0, removed: 0, rebuilt: null });
    const answer = await engine.ask(NORMAL_QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.source).toBe(NORMAL_SOURCE);
    expect(answer.results[0]!.quote).toContain(NORMAL_FRAGMENT);
    expect(normalisedSeed(NORMAL_SOURCE)).toContain(answer.results[0]!.quote);
  });
});
