import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../src/core/model/types.js';
import { loadEmbedder } from '../src/core/model/embedder.js';
import { loadEmbedderInThread } from '../src/core/model/thread/index.js';
import { brokenCopyOf, buildTestModel, makeTempDir } from './helpers/static-model.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let dir: string;
let modelsDir: string;
let inThread: Embedder;
let here: Embedder;

beforeAll(async () => {
  dir = await buildTestModel();
  modelsDir = await makeTempDir('news-quote-models-');
  const [a, b] = await Promise.all([loadEmbedderInThread({ model: dir, modelsDir, offline: true }), loadEmbedder({ model: dir, modelsDir, offline: true })]);
  if (!a.ok) throw new Error(a.message);
  if (!b.ok) throw new Error(b.message);
  inThread = a.embedder;
  here = b.embedder;
});

describe('the model in its own thread', () => {
  it('describes the model as a load in this thread does', () => {
    expect({ modelId: inThread.modelId, name: inThread.name, dimension: inThread.dimension, prefix: inThread.prefix }).toEqual({
      modelId: here.modelId,
      name: here.name,
      dimension: here.dimension,
      prefix: here.prefix,
    });
  });

  it('returns the same vectors, in input order, with progress for passages', async () => {
    const texts = Array.from({ length: 37 }, (_, i) => `Passage ${i} sur la coopération ${'économique '.repeat(i % 7)}`);
    const progress: [number, number][] = [];
    const [threaded, local] = await Promise.all([inThread.embedPassages(texts, (done, total) => progress.push([done, total])), here.embedPassages(texts)]);
    expect(threaded).toEqual(local);
    expect(threaded.every((v) => Array.isArray(v) && v.length === inThread.dimension)).toBe(true);
    expect(progress.at(-1)).toEqual([texts.length, texts.length]);

    const questions = ['Qui a signé ?', 'Where was the meeting held?'];
    expect(await inThread.embedQueries(questions)).toEqual(await here.embedQueries(questions));
    expect(await inThread.embedQueries([])).toEqual([]);
  });

  it('answers requests made at the same time to the right caller', async () => {
    const texts = ['la pêche', 'le vote', 'la frontière', 'le budget'];
    const each = await Promise.all(texts.map((t) => inThread.embedQueries([t])));
    expect(each.map((v) => v[0])).toEqual(await here.embedQueries(texts));
  });

  it("fails with loadEmbedder's message for a missing or broken folder", async () => {
    const missing = await loadEmbedderInThread({ model: './models/nowhere', modelsDir, offline: true });
    expect(!missing.ok && missing.message).toMatch(/nowhere.*does not exist/);

    const broken = await brokenCopyOf(dir);
    const result = await loadEmbedderInThread({ model: broken, modelsDir, offline: true });
    expect(!result.ok && result.message).toMatch(/could not be loaded/);
  });

  it('refuses work once closed; the same model loads again, from the thread it is already in', async () => {
    const loaded = await loadEmbedderInThread({ model: dir, modelsDir, offline: true });
    if (!loaded.ok) throw new Error(loaded.message);
    const inFlight = loaded.embedder.embedQueries(['avant']);
    await loaded.embedder.close?.();
    expect(await inFlight).toEqual(await here.embedQueries(['avant']));
    await expect(loaded.embedder.embedQueries(['encore ?'])).rejects.toThrow(/closed/);

    const again = await loadEmbedderInThread({ model: dir, modelsDir, offline: true });
    if (!again.ok) throw new Error(again.message);
    expect(await again.embedder.embedQueries(['encore ?'])).toEqual(await here.embedQueries(['encore ?']));
  });

  it('keeps a process alive while it loads or embeds, and not once idle', () => {
    // Nothing else holds this process's event loop: were the thread not held while it works, the
    // process would exit before printing; were it held when idle, it would never exit.
    const script = `
      const { loadEmbedderInThread } = await import(${JSON.stringify(path.join(REPO, 'src/core/model/thread/index.ts'))});
      const loaded = await loadEmbedderInThread({ model: ${JSON.stringify(dir)}, modelsDir: ${JSON.stringify(modelsDir)}, offline: true });
      if (!loaded.ok) throw new Error(loaded.message);
      const [v] = await loaded.embedder.embedQueries(['bonjour']);
      console.log('dimension', v.length);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`dimension ${here.dimension}`);
    expect(run.status).toBe(0);
  });
});
