import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/core/text/corpus.js';
import { buildStaticModel } from '../src/model-setup/build-static-model.js';
import { runCli, startCli } from './helpers/cli.js';
import { SEED, normalisedSeed } from './helpers/seeds.js';
import { buildTestModel, makeTempDir, readSeedTexts, SEEDS_DIR } from './helpers/static-model.js';

let model: string;
beforeAll(async () => {
  model = await buildTestModel();
});

/** A private seeds folder and index folder, with the project-built model. */
async function workspace(): Promise<{ env: Record<string, string>; seeds: string; embeddings: string }> {
  const dir = await makeTempDir('index-cli-');
  const seeds = path.join(dir, 'seeds');
  const embeddings = path.join(dir, 'embeddings');
  await cp(SEEDS_DIR, seeds, { recursive: true });
  return { seeds, embeddings, env: { SEEDS_DIR: seeds, EMBEDDINGS_DIR: embeddings, EMBEDDING_MODEL: model, OFFLINE: '1' } };
}

const counts = (out: string): [number, number, number, number] => {
  const m = /(\d+) new, (\d+) changed, (\d+) removed, (\d+) unchanged/u.exec(out);
  expect(m, out).not.toBeNull();
  return m!.slice(1).map(Number) as [number, number, number, number];
};

const QUESTION = 'Quand a été signé le mémorandum sur les substances psychotropes ?';

describe('npm run index', () => {
  it('builds, then re-indexes incrementally and reports what it did', async () => {
    const w = await workspace();
    const first = runCli('index', [], w.env);
    expect(first.code, first.stderr).toBe(0);
    const [added, , , unchanged] = counts(first.stdout);
    expect(added).toBeGreaterThan(50);
    expect(unchanged).toBe(0);

    expect(counts(runCli('index', [], w.env).stdout)).toEqual([0, 0, 0, added]);

    // Change one sentence of 003, add a file, remove 001.
    const singapore = path.join(w.seeds, SEED.singapore);
    await writeFile(singapore, (await readFile(singapore, 'utf8')).replace('créer une plate-forme de big data', 'créer une plate-forme de données massives'));
    await writeFile(path.join(w.seeds, 'new.txt'), 'Le ministre a inauguré un centre de formation à la cybersécurité à Da Nang le 3 mars 2025. Il a salué les experts.');
    const removedPassages = (await loadCorpus(w.seeds)).passages.filter((p) => p.file === SEED.police2024).length;
    expect(removedPassages).toBeGreaterThan(0);
    await rm(path.join(w.seeds, SEED.police2024));
    const third = runCli('index', [], w.env);
    expect(third.code, third.stderr).toBe(0);
    const [n, changed, removed, same] = counts(third.stdout);
    expect(n).toBe(1);
    expect(changed).toBe(1);
    expect(removed).toBe(removedPassages);
    expect(same).toBe(added - changed - removed);

    const ask = JSON.parse(runCli('ask', ['--json', 'plate-forme de données massives Singapour'], w.env).stdout);
    expect(ask.mode).toBe('hybrid');
    expect(ask.results[0].quote).toContain('données massives');
  });

  it('rebuilds in full when the model changes, and says so in one line', async () => {
    const w = await workspace();
    const [added] = counts(runCli('index', [], w.env).stdout);
    const other = await buildStaticModel({ texts: await readSeedTexts(), outDir: path.join(await makeTempDir(), 'other-model'), dimension: 64 });
    const r = runCli('index', [], { ...w.env, EMBEDDING_MODEL: other.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(counts(r.stdout)).toEqual([added, 0, 0, 0]);
    const rebuildLines = r.stderr.split('\n').filter((l) => /rebuilt/iu.test(l));
    expect(rebuildLines).toHaveLength(1);
    expect(rebuildLines[0]).toMatch(/model|dimension/u);
  });

  it('a SIGKILL in the middle leaves the previous index answering', async () => {
    const w = await workspace();
    expect(runCli('index', [], w.env).code).toBe(0);
    const before = JSON.parse(runCli('ask', ['--json', QUESTION], w.env).stdout);
    expect(before.mode).toBe('hybrid');
    const manifest = await readFile(path.join(w.embeddings, 'manifest.json'), 'utf8');

    // Enough new text that embedding takes a while, then kill at the first progress line.
    const big = (await readFile(path.join(w.seeds, SEED.convention), 'utf8')).split('\n');
    for (let i = 0; i < 30; i++) await writeFile(path.join(w.seeds, `copy-${i}.txt`), big.map((l) => (l ? `${l} (copie ${i})` : l)).join('\n'));
    const child = startCli('index', [], w.env);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no progress seen')), 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/Embedding: \d+\//u.test(chunk.toString())) {
          clearTimeout(timer);
          process.kill(-child.pid!, 'SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(await readFile(path.join(w.embeddings, 'manifest.json'), 'utf8')).toBe(manifest);

    for (const f of await readdir(w.seeds)) if (f.startsWith('copy-')) await rm(path.join(w.seeds, f));
    const after = runCli('ask', ['--json', QUESTION], w.env);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual(before);
    expect(after.stderr).not.toMatch(/rebuilt/iu);
  });

  it('a corrupt index gives a clear message, a rebuild, and right answers', async () => {
    const w = await workspace();
    expect(runCli('index', [], w.env).code).toBe(0);
    const before = JSON.parse(runCli('ask', ['--json', QUESTION], w.env).stdout);
    // The vector segment: on a corpus this small there is no graph file (search is exact).
    const vectors = (await readdir(w.embeddings)).find((f) => f.startsWith('vectors-'));
    expect(vectors).toBeDefined();
    await writeFile(path.join(w.embeddings, vectors!), Buffer.from('garbage, not an index'));
    const after = runCli('ask', ['--json', QUESTION], w.env);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/rebuil/iu);
    expect(after.stderr).not.toMatch(/\n\s+at /u);
    expect(JSON.parse(after.stdout)).toEqual(before);
    for (const r of before.results) expect(normalisedSeed(r.source)).toContain(r.quote);
  });
});

describe('without the embedding model', () => {
  it('says so once, clearly, and answers lexically', async () => {
    const w = await workspace();
    const missing = path.join(w.embeddings, '..', 'no-such-model');
    const r = runCli('ask', ['--json', QUESTION], { ...w.env, EMBEDDING_MODEL: missing });
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ answered: true, mode: 'lexical' });
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(missing);
    expect(warnings[0]).toMatch(/lexical/u);
  });

  it('--require-model makes it a fatal error', async () => {
    const w = await workspace();
    const r = runCli('ask', ['--json', '--require-model', QUESTION], { ...w.env, EMBEDDING_MODEL: 'Xenova/multilingual-e5-small', MODELS_DIR: w.embeddings });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*multilingual-e5-small/u);
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });
});
