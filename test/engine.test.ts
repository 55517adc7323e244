import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createEngine } from '../src/engine/index.js';
import { makeTempDir } from './helpers/static-model.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';

async function setup(): Promise<{ seeds: string; warnings: string[]; engine: Awaited<ReturnType<typeof createEngine>> }> {
  const dir = await makeTempDir('engine-');
  const seeds = path.join(dir, 'seeds');
  await mkdir(seeds);
  await writeFile(path.join(seeds, 'a.txt'), 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.');
  await writeFile(path.join(seeds, 'b.txt'), 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.');
  const warnings: string[] = [];
  const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' });
  const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => warnings.push(m) } });
  return { seeds, warnings, engine };
}

describe('engine', () => {
  it('answers lexically, with one warning, while the model cannot embed questions, and with it again after', async () => {
    const dir = await makeTempDir('engine-model-');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(path.join(seeds, 'a.txt'), 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.');
    await writeFile(path.join(seeds, 'b.txt'), 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.');
    const base = trigramEmbedder();
    let broken = false;
    const embedder = { ...base, embedQueries: (texts: string[]) => (broken ? Promise.reject(new Error("its thread stopped (exit code 1)")) : base.embedQueries(texts)) };
    const warnings: string[] = [];
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(dir, 'embeddings'), EMBEDDING_MODEL: path.join(dir, 'no-model'), OFFLINE: '1' });
    const engine = await createEngine(config, { log: { info: () => {}, warn: (m) => warnings.push(m) }, embedder });
    expect((await engine.ask('observatoire des volcans islandais')).mode).toBe('hybrid');

    broken = true;
    const during = [await engine.ask('ferme de saumons norvégiens à Bergen'), await engine.ask('Qui a inauguré un observatoire à Reykjavik ?')];
    expect(during.map((a) => [a.answered, a.mode])).toEqual([
      [true, 'lexical'],
      [true, 'lexical'],
    ]);
    expect(during[0]!.results[0]!.source).toBe('b.txt');
    expect(warnings).toEqual(['The embedding model failed (its thread stopped (exit code 1)). Answering with lexical retrieval until it works again.']);

    broken = false;
    expect((await engine.ask('Qui a signé un accord à Bergen ?')).mode).toBe('hybrid');
    // A later failure is said again.
    broken = true;
    await engine.ask('Qui a visité une ferme ?');
    expect(warnings).toHaveLength(2);
  });

  it('keeps the last good version of a file that turns bad, with one warning', async () => {
    const { seeds, warnings, engine } = await setup();
    expect((await engine.ask('ferme de saumons norvégiens à Bergen')).answered).toBe(true);
    await writeFile(path.join(seeds, 'b.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
    const result = await engine.reindex();
    expect(result.skipped).toEqual(['b.txt']);
    expect(warnings.filter((w) => w.startsWith('Skipped'))).toEqual(['Skipped b.txt: binary file, not text. Keeping its previously indexed version.']);
    const a = await engine.ask('ferme de saumons norvégiens à Bergen');
    expect(a.answered).toBe(true);
    expect(a.results[0]!.source).toBe('b.txt');
  });

  it('sees new and changed files after a re-index, and shares one re-index between concurrent callers', async () => {
    const { seeds, engine } = await setup();
    expect((await engine.ask('centrale géothermique de Hellisheidi')).answered).toBe(false);
    await writeFile(path.join(seeds, 'c.txt'), 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi.');
    const first = engine.reindex();
    expect(engine.reindexing).toBe(true);
    const second = engine.reindex();
    expect(second).toBe(first);
    const result = await first;
    expect(engine.reindexing).toBe(false);
    expect(result.articles).toBe(3);
    expect((await engine.ask('centrale géothermique de Hellisheidi')).results[0]!.source).toBe('c.txt');
  });

  it('keeps answering from the previous state while a re-index runs', async () => {
    const { seeds, engine } = await setup();
    // Enough files that reading them takes a while, and an article that changes between the two states.
    for (let i = 0; i < 200; i++) await writeFile(path.join(seeds, `filler-${i}.txt`), `date 2025-03 Le conseil municipal numéro ${i} a voté le budget des bibliothèques.`);
    await engine.reindex();
    await writeFile(path.join(seeds, 'a.txt'), 'date 2025-01 Le ministre a inauguré un observatoire des glaciers groenlandais à Nuuk. Il a salué les chercheurs.');
    const reindex = engine.reindex();
    const during = await engine.ask('observatoire des volcans islandais');
    expect(engine.reindexing).toBe(true);
    expect(during.answered).toBe(true);
    expect(during.results[0]!.quote).toContain('volcans islandais');
    await reindex;
    const after = await engine.ask('observatoire des glaciers groenlandais');
    expect(after.results[0]!.quote).toContain('glaciers groenlandais');
    expect((await engine.ask('observatoire des volcans islandais')).results.map((r) => r.quote).join(' ')).not.toContain('volcans islandais');
  });
});
