// The corpus and lexical index kept on disk: loaded as built, rebuilt when stale or damaged,
// updated file by file with the results of a fresh build.
import { appendFile, mkdtemp, readFile, readdir, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/core/text/corpus.js';
import { buildLexicalIndex } from '../src/core/retrieval/lexical/index.js';
import { TextStore, type TextReport } from '../src/core/store/files/text-store.js';
import { writeGenerated, testQuestions } from './helpers/generated.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

const questions = testQuestions().slice(0, 60);
let template: string;
beforeAll(async () => {
  template = await tempDir('text-seeds-');
  await writeGenerated(template, 600);
});

/** A copy of the generated seeds and an empty index folder. */
async function workspace(): Promise<{ seeds: string; dir: string }> {
  const root = await tempDir('text-store-');
  const seeds = path.join(root, 'seeds');
  const { cp } = await import('node:fs/promises');
  await cp(template, seeds, { recursive: true });
  return { seeds, dir: path.join(root, 'embeddings', 'text') };
}

async function open(seeds: string, dir: string, warnings: string[] = []): Promise<{ store: TextStore; report: TextReport }> {
  const { store, report } = await TextStore.open({ dir, seedsDir: seeds, log: { info: () => {}, warn: (m) => warnings.push(m) } });
  return { store, report };
}

/** The store gives what parsing the seeds and building the index from scratch gives. */
async function expectSameAsFreshBuild(store: TextStore, seeds: string): Promise<void> {
  const fresh = await loadCorpus(seeds);
  const { corpus, lexical } = store.index;
  expect(corpus.articles).toEqual(fresh.articles);
  expect(corpus.passages).toEqual(fresh.passages);
  expect(corpus.languages).toEqual(fresh.languages);
  const reference = buildLexicalIndex(fresh.passages);
  for (const q of questions) {
    const ours = lexical.search(q, 20);
    const theirs = reference.search(q, 20);
    // Same scores, and the same passages above the last score: an index updated in place may
    // order exact ties differently, which can change which tied passage makes the cut.
    expect(ours.length, q).toBe(theirs.length);
    ours.forEach((h, i) => expect(h.score, q).toBeCloseTo(theirs[i]!.score, 9));
    const cut = (theirs.at(-1)?.score ?? 0) + 1e-9;
    expect(new Set(ours.filter((h) => h.score > cut).map((h) => h.id)), q).toEqual(new Set(theirs.filter((h) => h.score > cut).map((h) => h.id)));
    for (const t of reference.terms(q)) expect(lexical.idf(t)).toBeCloseTo(reference.idf(t), 12);
  }
  expect(lexical.maxIdf).toBe(reference.maxIdf);
}

describe('text store', () => {
  it('loads what it saved: the same corpus and the same results as a fresh build, without parsing any file', async () => {
    const { seeds, dir } = await workspace();
    const first = await open(seeds, dir);
    expect(first.report).toMatchObject({ rebuilt: null, wrote: 'base' });
    expect(first.report.ingested).toBeGreaterThan(50);
    const again = await open(seeds, dir);
    expect(again.report).toMatchObject({ ingested: 0, unchanged: first.report.ingested, wrote: 'nothing', rebuilt: null });
    for (const q of questions) expect(again.store.index.lexical.search(q, 20)).toEqual(first.store.index.lexical.search(q, 20));
    await expectSameAsFreshBuild(again.store, seeds);
  });

  it('adds, changes and removes files with a small delta, with the results of a fresh build', async () => {
    const { seeds, dir } = await workspace();
    const { store } = await open(seeds, dir);
    const files = (await readdir(seeds)).sort();
    await writeFile(path.join(seeds, 'zz-new.txt'), 'Un titre nouveau\n\nLe ministre de la Sécurité publique a reçu une délégation dansla capitale. Les deux parties ont signé un accord sur la cybercriminalité.\n');
    await appendFile(path.join(seeds, files[10]!), '\n\nUn paragraphe ajouté sur le partenariat stratégique et la sécurité régionale.\n');
    await unlink(path.join(seeds, files[20]!));
    const { report } = await store.update();
    expect(report).toMatchObject({ ingested: 2, removedFiles: 1, wrote: 'delta' });
    await expectSameAsFreshBuild(store, seeds);
    expect((await readdir(dir)).filter((f) => f.startsWith('delta-'))).toHaveLength(1);

    // And a restart reads the base and the delta into the same state.
    const { store: reloaded, report: r2 } = await open(seeds, dir);
    expect(r2).toMatchObject({ ingested: 0, wrote: 'nothing', rebuilt: null });
    for (const q of questions) expect(reloaded.index.lexical.search(q, 20)).toEqual(store.index.lexical.search(q, 20));
    await expectSameAsFreshBuild(reloaded, seeds);
  });

  it('a file touched but not changed is not ingested again', async () => {
    const { seeds, dir } = await workspace();
    const { store } = await open(seeds, dir);
    const file = path.join(seeds, (await readdir(seeds)).sort()[3]!);
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    const { report } = await store.update();
    expect(report).toMatchObject({ ingested: 0, touched: 1, added: 0, removed: 0 });
    const { report: again } = await store.update();
    expect(again).toMatchObject({ touched: 0, wrote: 'nothing' });
  });

  it('writes a new base once the deltas add up, and loads it', async () => {
    const { seeds, dir } = await workspace();
    const { store } = await open(seeds, dir);
    const files = (await readdir(seeds)).sort();
    let wrote: string[] = [];
    for (let i = 0; i < 40; i++) {
      await appendFile(path.join(seeds, files[i]!), `\n\nMise à jour numéro ${i} sur la coopération.\n`);
      wrote.push((await store.update()).report.wrote);
    }
    expect(wrote).toContain('delta');
    expect(wrote).toContain('base');
    wrote = [];
    const { store: reloaded } = await open(seeds, dir);
    await expectSameAsFreshBuild(reloaded, seeds);
  });

  it('a file that turns bad keeps its previous version, with one warning', async () => {
    const { seeds, dir } = await workspace();
    const { store } = await open(seeds, dir);
    const name = (await readdir(seeds)).sort()[5]!;
    const before = store.index.corpus.articles.filter((a) => a.file === name);
    await writeFile(path.join(seeds, name), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const warnings: string[] = [];
    const { store: reopened } = await open(seeds, dir, warnings);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^Skipped ${name}: .*Keeping its previously indexed version\\.$`, 'u'))]);
    expect(reopened.index.corpus.articles.filter((a) => a.file === name)).toEqual(before);
    expect(reopened.index.corpus.skipped.map((s) => s.file)).toEqual([name]);
  });

  describe('damaged or stale: rebuilt from the seeds, said once, same results', () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      ['manifest is garbage', async (dir) => writeFile(path.join(dir, 'manifest.json'), 'not json'), /^corrupt: manifest\.json is not valid JSON/u],
      [
        'manifest edited',
        async (dir) => writeFile(path.join(dir, 'manifest.json'), (await readFile(path.join(dir, 'manifest.json'), 'utf8')).replace('"passages": ', '"passages": 1')),
        /^corrupt: manifest\.json fails its own checksum/u,
      ],
      ['base file truncated', async (dir) => truncate(path.join(dir, (await readdir(dir)).find((f) => f.startsWith('base-'))!), 1000), /^truncated: base-.*\.bin has 1000 bytes/u],
      ['base file missing', async (dir) => unlink(path.join(dir, (await readdir(dir)).find((f) => f.startsWith('base-'))!)), /^missing: base-.*\.bin/u],
      [
        'built by other analysis code',
        async (dir) => {
          const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
          const { checksum: _, ...body } = m;
          body['fingerprint'] = 'another';
          const { createHash } = await import('node:crypto');
          await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...body, checksum: createHash('sha256').update(JSON.stringify(body)).digest('hex') }));
        },
        /^stale: the text analysis code changed/u,
      ],
    ];
    it.each(cases)('%s', async (_, damage, reason) => {
      const { seeds, dir } = await workspace();
      await open(seeds, dir);
      await damage(dir);
      const { store, report } = await open(seeds, dir);
      expect(report.rebuilt).toMatch(reason);
      expect(report.wrote).toBe('base');
      await expectSameAsFreshBuild(store, seeds);
      expect((await open(seeds, dir)).report.rebuilt).toBeNull();
    });
  });
});
