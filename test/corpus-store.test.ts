/**
 * The two corpus stores honour one contract (core/corpus-store.ts): the same seeds give the same
 * articles, passages, counts and context, and a question gets retrievers over them.
 */
import path from 'node:path';
import { TUNING } from '../src/core/answer/tuning.js';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CorpusStore, StoreContext } from '../src/core/store/corpus-store.js';
import { PgCorpus } from '../src/core/store/pg/pg-corpus.js';
import { FileCorpusStore } from '../src/core/store/files/file-corpus.js';
import { quiet, seedsWith, useTestDatabase } from './helpers/pg.js';
import { makeTempDir } from './helpers/static-model.js';
import { trigramEmbedder } from './helpers/trigram-embedder.js';

const db = useTestDatabase();

const A = 'date 2025-01 Le ministre a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';
const C = 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi. Ils ont mesuré la vapeur.';

function context(): StoreContext {
  const embedder = trigramEmbedder();
  return { embedder: async () => embedder, embedQuery: async (q) => (await embedder.embedQueries([q]))[0]!, log: quiet };
}

const stores: [string, (seeds: string) => Promise<{ store: CorpusStore; open: () => Promise<unknown> }>][] = [
  [
    'files',
    async (seeds) => {
      const store = new FileCorpusStore({ embeddingsDir: path.join(await makeTempDir('store-files-'), 'embeddings'), seedsDir: seeds, prepareVectors: false }, context());
      return { store, open: () => store.update() };
    },
  ],
  [
    'postgres',
    async (seeds) => {
      const store = new PgCorpus({ url: await db.fresh('contract'), seedsDir: seeds, lexical: 'bm25', pollMs: 200 }, context());
      return { store, open: () => store.open() };
    },
  ],
];

describe.each(stores)('corpus store: %s', (kind, make) => {
  it('reads the seeds, counts and finds what it holds, and updates incrementally', async () => {
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const { store, open } = await make(seeds);
    try {
      await open();
      expect(store.kind).toBe(kind);
      expect(store.view.corpus.articles.map((a) => a.file)).toEqual(['a.txt', 'b.txt']);
      expect(store.passageCount()).toBe(2);
      expect(store.passageCount('a.txt')).toBe(1);
      expect(store.mode(await context().embedder())).toBe('hybrid');

      const { corpus, retrievers } = await store.forQuestion('volcans islandais', TUNING.rankDepth, false, await context().embedder());
      const hit = retrievers.lexical.search('volcans islandais', 1)[0]!;
      const passage = corpus.passageById.get(hit.id) ?? (await store.passageContext(hit.id))?.passage;
      expect(passage?.text).toContain('volcans islandais');
      expect(retrievers.dense).toBeDefined();
      const context_ = await store.passageContext(hit.id);
      expect(context_?.passage.file).toBe('a.txt');
      const article = await store.article(store.view.corpus.articles[0]!);
      expect(article?.paragraphs.flat().join(' ')).toContain('Reykjavik');

      await writeFile(path.join(seeds, 'c.txt'), C);
      const result = await store.update();
      expect(result).toMatchObject({ articles: 3, passages: 3 });
      expect(result.vectors).toMatchObject({ added: 1, unchanged: 2 });
      expect(store.passageCount('c.txt')).toBe(1);
    } finally {
      await store.close();
    }
  });
});
