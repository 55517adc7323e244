import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createEngine } from '../src/engine/index.js';
import { seedsWith } from './helpers/pg.js';
import { makeTempDir } from './helpers/static-model.js';
import path from 'node:path';

const quiet = { info: () => {}, warn: () => {} };

describe('what’s new', () => {
  it('lists the newest dated articles first, of the period asked or on the topic, each with its opening sentence verbatim', async () => {
    const seeds = await seedsWith({
      'a.txt': 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.',
      'b.txt': 'date 2025-03 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord de pêche.',
      'c.txt': 'date 2024-11 Les experts ont visité une autre ferme de saumons en Écosse. Ils ont compté les bassins.',
      'd.txt': 'Un article sans date parle de saumons du Pacifique. Il ne dit pas quand.',
    });
    const engine = await createEngine(loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: path.join(await makeTempDir('news-'), 'embeddings'), OFFLINE: '1' }), { log: quiet });
    const shared = engine.library(null);
    const all = (await shared.news('quoi de neuf ?'))!;
    expect(all.items.map((i) => i.article.file)).toEqual(['b.txt', 'a.txt', 'c.txt']);
    expect(all.items[0]!.opening).toBe('La délégation a visité une ferme de saumons norvégiens à Bergen.');
    expect((await shared.news('latest news?'))!.items).toHaveLength(3);
    const march = (await shared.news('Quelles nouvelles en mars 2025 ?'))!;
    expect(march.period?.label).toBe('en mars 2025');
    expect(march.items.map((i) => i.article.file)).toEqual(['b.txt']);
    const salmon = (await shared.news('les dernières nouvelles sur les saumons'))!;
    expect(salmon.topic).toBe('les saumons');
    expect(salmon.items.map((i) => i.article.file)).toEqual(['b.txt', 'c.txt']);
    expect((await shared.news('what happened in January 2025?'))!.items.map((i) => i.article.file)).toEqual(['a.txt']);
    expect((await shared.news('Quelles nouvelles en 2019 ?'))!.items).toEqual([]);
    // A question is not a request for the news.
    for (const q of ['Qui a visité une ferme de saumons ?', 'Quelles nouvelles mesures ont été prises ?', 'What happened at the observatory?']) expect(await shared.news(q), q).toBeNull();
    await engine.close();
  });
});
