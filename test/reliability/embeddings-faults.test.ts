// A missing, truncated, corrupt or foreign embeddings/ folder: the bot starts, rebuilds, says so, answers.
import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadVectorIndex } from '../../src/core/store/files/vector-index/index.js';
import { createEngine } from '../../src/engine/index.js';
import { STATIC_MODEL_DIMENSION, buildStaticModel } from '../../src/model-setup/build-static-model.js';
import { startHarness } from '../discord/harness.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { buildTestModel, makeTempDir, readSeedTexts } from '../helpers/static-model.js';
import { expectNoTokenCaptured, expectStillServing, parsedLogs, userFactory, WARN } from './helpers.js';

const user = userFactory('72');
const silent = { info: () => {}, warn: () => {} };
let model: string;
let goodIndex: string;
let otherModelIndex: string;
let passages: number;

/** An index built by the engine itself, with the given model. */
async function buildIndex(dir: string, embeddingModel: string): Promise<number> {
  const config = loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: dir, EMBEDDING_MODEL: embeddingModel, OFFLINE: '1' });
  const engine = await createEngine(config, { log: silent });
  expect(engine.mode).toBe('hybrid');
  return engine.corpus.passages.length;
}

beforeAll(async () => {
  model = await buildTestModel();
  const root = await makeTempDir('emb-faults-');
  goodIndex = path.join(root, 'good');
  passages = await buildIndex(goodIndex, model);
  // A second project model with another dimension: the index it builds is unusable with the first.
  const other = await buildStaticModel({ texts: await readSeedTexts(), outDir: path.join(root, 'other-model'), dimension: 64 });
  otherModelIndex = path.join(root, 'other');
  await buildIndex(otherModelIndex, other.dir);
});

const fileStarting = async (dir: string, prefix: string): Promise<string> => path.join(dir, (await readdir(dir)).find((f) => f.startsWith(prefix))!);
const halve = async (file: string): Promise<void> => truncate(file, Math.floor((await readFile(file)).length / 2));
const garble = async (file: string): Promise<void> => {
  const size = (await readFile(file)).length;
  // Same size, so only the checksum can tell: deterministic garbage bytes.
  await writeFile(file, Buffer.from(Array.from({ length: size }, (_, i) => (i * 2654435761) >>> 24)));
};

interface Case {
  name: string;
  /** Damages a copy of the good index in `dir`; returns the folder to give the bot. */
  damage: (dir: string) => Promise<string>;
  /** What the rebuild line must say, or null when it is a first build (nothing to rebuild). */
  reason: RegExp | null;
  /** Only the graph or the passage table was rebuilt, from stored vectors: no passage embedded again. */
  graphOnly?: boolean;
}

const CASES: Case[] = [
  { name: 'embeddings/ missing entirely', damage: async (dir) => path.join(dir, 'never-created'), reason: null },
  {
    name: 'manifest deleted, data files left',
    damage: async (dir) => (await rm(path.join(dir, 'manifest.json')), dir),
    reason: /missing: manifest\.json is gone/u,
  },
  // (The seeds are below the size where the index has an HNSW graph; damaged graphs are covered by test/vector-index.test.ts.)
  { name: 'passage table cut in half', damage: async (dir) => (await halve(await fileStarting(dir, 'table-')), dir), reason: /truncated: table-.*\.bin.*table rebuilt from stored vectors/u, graphOnly: true },
  { name: 'vectors file cut in half', damage: async (dir) => (await halve(await fileStarting(dir, 'vectors-')), dir), reason: /truncated: vectors-.*\.bin/u },
  { name: 'passage table overwritten with garbage', damage: async (dir) => (await garble(await fileStarting(dir, 'table-')), dir), reason: /corrupt: table-.*\.bin does not match its checksum/u, graphOnly: true },
  { name: 'vectors file overwritten with garbage', damage: async (dir) => (await garble(await fileStarting(dir, 'vectors-')), dir), reason: /corrupt: vectors-.*\.bin does not match its checksum/u },
  { name: 'manifest overwritten with garbage', damage: async (dir) => (await garble(path.join(dir, 'manifest.json')), dir), reason: /corrupt: manifest\.json is not valid JSON/u },
  { name: 'built with another model (dimension 64)', damage: async () => otherModelIndex, reason: /(model|dimension) changed/u },
];

describe('bot start-up with a damaged embeddings/ folder', () => {
  it.each(CASES)('$name: starts, (re)builds, says so in the log, answers with a verbatim quote', async ({ damage, reason, graphOnly }) => {
    const copy = path.join(await makeTempDir('emb-case-'), 'embeddings');
    await cp(goodIndex, copy, { recursive: true });
    const dir = await damage(copy);

    const h = await startHarness({ env: { EMBEDDINGS_DIR: dir } });
    try {
      expect(h.engine.mode).toBe('hybrid');
      const logs = parsedLogs(h.logs);
      // The one line an operator is meant to see (the engine's own detail lines are info level).
      const rebuiltLines = logs.filter((l) => l.level >= WARN && /rebuil/iu.test(l.msg));
      const report = h.engine.lastIndexReport!;
      if (reason) {
        expect(rebuiltLines, h.logs.join('\n')).toHaveLength(1);
        expect(rebuiltLines[0]!.msg).toMatch(/^Vector index rebuilt: /u);
        expect(rebuiltLines[0]!.msg).toMatch(reason);
        expect(report.rebuilt).toMatch(reason);
        // A damaged graph is rebuilt from the stored vectors; lost vectors are embedded again.
        if (graphOnly) expect(report).toMatchObject({ added: 0, unchanged: passages });
        else expect(report).toMatchObject({ added: passages, unchanged: 0 });
      } else {
        // A first build, not a rebuild: the log says it is embedding everything.
        expect(rebuiltLines).toEqual([]);
        expect(logs.some((l) => /^vector index: embedding \d+ texts/u.test(l.msg))).toBe(true);
        expect(report).toMatchObject({ added: passages, rebuilt: null });
      }
      await expectStillServing(h.fake, user());
    } finally {
      await h.close();
    }
    expectNoTokenCaptured(h);

    // What it wrote is a complete index: it loads as is.
    const loaded = await loadVectorIndex(dir, { modelId: h.engine.model!, dimension: STATIC_MODEL_DIMENSION });
    expect(loaded.ok && loaded.index.size).toBe(passages);
  });

  it('a garbage text index is ignored and rebuilt from the seeds, said once; the vector index is reused as is', async () => {
    const dir = path.join(await makeTempDir('emb-case-'), 'embeddings');
    await cp(goodIndex, dir, { recursive: true });
    await writeFile(path.join(dir, 'text', 'manifest.json'), '\u0000\u0001not json');
    const h = await startHarness({ env: { EMBEDDINGS_DIR: dir } });
    try {
      expect(h.engine.lastIndexReport).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: passages, rebuilt: null });
      const rebuiltLines = parsedLogs(h.logs).filter((l) => l.level >= WARN && /rebuil/iu.test(l.msg));
      expect(rebuiltLines.map((l) => l.msg)).toEqual([expect.stringMatching(/^Text index rebuilt: corrupt: manifest\.json is not valid JSON/u)]);
      await expectStillServing(h.fake, user());
    } finally {
      await h.close();
    }
    // What it wrote loads as is: the next start rebuilds nothing.
    const warnings: string[] = [];
    const engine = await createEngine(loadConfig({ SEEDS_DIR, EMBEDDINGS_DIR: dir, EMBEDDING_MODEL: model, OFFLINE: '1' }), { log: { info: () => {}, warn: (m) => warnings.push(m) } });
    expect(warnings).toEqual([]);
    expect(engine.corpus.passages.length).toBe(passages);
  });
});
