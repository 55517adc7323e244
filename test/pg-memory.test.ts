/**
 * PG_LEXICAL=postgres holds no corpus index in the bot process: no BM25 index, no passage texts.
 * Word weights (lexicon.ts) equal the in-process BM25's, answers still quote verbatim with their
 * date, and an article another process writes is answered without a restart.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Bm25Index } from '../src/core/retrieval/lexical/bm25.js';
import { buildLexicalIndex } from '../src/core/retrieval/lexical/index.js';
import { connectDatabase } from '../src/core/store/pg/database.js';
import { PgLexicon } from '../src/core/store/pg/lexicon.js';
import { PgCorpusStore } from '../src/core/store/pg/pg-store.js';
import { cleanQuestion } from '../src/core/text/question.js';
import { parseTimeIntent } from '../src/core/text/periods.js';
import { createEngine } from '../src/engine/index.js';
import { makeTempDir } from './helpers/static-model.js';
import { quiet, seedsWith, useTestDatabase } from './helpers/pg.js';

const db = useTestDatabase();

const A = 'date 2025-01 Le ministère de la Culture a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';
// Glued words, as scraped pages give them: their analysis depends on the corpus's word counts.
const C = 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi dansla vallée. Ils ont mesuré lavapeur et la vapeur.';
const D = 'date 2025-04 Les experts ont visité une école élémentaire de Akureyri. Ils ont rencontré les élèves de la vallée.';
const E = 'date 2025-05 Une délégation islandaise a présenté la vapeur géothermique aux ministres. La vallée produit de la vapeur.';

/** The in-process BM25's analysis and weights, and the database's, for the same texts. */
async function compare(pool: pg.Pool, store: PgCorpusStore, texts: readonly string[]): Promise<void> {
  const records = await store.records();
  const bm25 = buildLexicalIndex(records.flatMap((r) => r.passages));
  const passages = records.reduce((n, r) => n + r.passages.length, 0);
  const lexicon = new PgLexicon(pool, 0, passages);
  await lexicon.prepare(texts);
  for (const t of texts) expect(lexicon.terms(t), t).toEqual(bm25.terms(t));
  const terms = [...new Set(texts.flatMap((t) => bm25.terms(t)))];
  await lexicon.weigh(terms);
  for (const term of terms) expect(lexicon.idf(term), term).toBeCloseTo(bm25.idf(term), 12);
  expect(lexicon.maxIdf).toBeCloseTo(bm25.maxIdf, 12);
  expect(lexicon.unprepared).toBe(0);
}

describe('word weights from the database (lexicon.ts)', () => {
  it('equal the in-process BM25 analysis and IDF, through updates that change the vocabulary', async () => {
    const url = await db.fresh('lexicon');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B, 'c.txt': C });
    const pool = await connectDatabase({ url, log: quiet });
    try {
      const store = new PgCorpusStore(pool, url);
      await store.update({ seedsDir: seeds, embedder: null });
      const texts = [A, B, C, D, E, 'dansla vapeur', 'lavapeur de la vallée', 'islandais saumons Reykjavik', 'délégation'];
      await compare(pool, store, texts);
      // A file added changes the counts that decide whether "lavapeur" splits; one removed, another rewritten.
      await writeFile(path.join(seeds, 'd.txt'), D);
      await writeFile(path.join(seeds, 'e.txt'), E);
      await store.update({ seedsDir: seeds, embedder: null });
      await compare(pool, store, texts);
      await rm(path.join(seeds, 'b.txt'));
      await writeFile(path.join(seeds, 'c.txt'), `${C} La vapeur monte.`);
      await store.update({ seedsDir: seeds, embedder: null });
      await compare(pool, store, texts);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('equal them on the seeds for every evaluation question', async () => {
    const url = await db.fresh('lexicon-seeds');
    const pool = await connectDatabase({ url, log: quiet });
    try {
      const store = new PgCorpusStore(pool, url);
      await store.update({ seedsDir: path.resolve('seeds'), embedder: null });
      const questions = (await readFile('test/eval/questions.jsonl', 'utf8'))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => parseTimeIntent(cleanQuestion((JSON.parse(l) as { q: string }).q)).topic);
      await compare(pool, store, questions);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('fills in the vocabulary of a database written before it existed', async () => {
    const url = await db.fresh('lexicon-backfill');
    const seeds = await seedsWith({ 'a.txt': A, 'c.txt': C });
    const pool = await connectDatabase({ url, log: quiet });
    try {
      const store = new PgCorpusStore(pool, url);
      await store.update({ seedsDir: seeds, embedder: null });
      // As an older indexer left it: no words, no vocabulary.
      await pool.query('UPDATE passages SET words = NULL');
      await pool.query('DELETE FROM lexicon');
      await pool.query('UPDATE corpus_state SET lexicon = false');
      await store.update({ seedsDir: seeds, embedder: null });
      expect((await store.state()).lexicon).toBe(true);
      expect((await pool.query('SELECT count(*)::int AS n FROM passages WHERE words IS NULL')).rows[0].n).toBe(0);
      await compare(pool, store, [A, C, 'lavapeur dansla vallée']);
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe('a bot process with PG_LEXICAL=postgres', () => {
  it('builds no lexical index and holds no passage text, quotes verbatim with the date, and answers a new article without restart', async () => {
    const url = await db.fresh('memory');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B, 'c.txt': C });
    const embeddings = await makeTempDir('pg-memory-emb-');
    const base = { SEEDS_DIR: seeds, EMBEDDINGS_DIR: embeddings, DATABASE_URL: url, OFFLINE: '1', EMBEDDING_MODEL: '/nonexistent' };
    // The indexer: another process's writes, as `npm run index` makes them.
    const writerPool = await connectDatabase({ url, log: quiet });
    await new PgCorpusStore(writerPool, url).update({ seedsDir: seeds, embedder: null });
    const indexed = vi.spyOn(Bm25Index.prototype, 'add');
    const bot = await createEngine(loadConfig({ ...base, PG_LEXICAL: 'postgres' }), { log: quiet, pollMs: 200 });
    try {
      expect(bot.indexFree).toBe(true);
      expect(bot.corpus.passages).toEqual([]);
      expect(bot.corpus.passageById.size).toBe(0);
      expect(bot.corpus.articles.length).toBe(3);
      expect(bot.corpus.articles.every((a) => a.paragraphs.length === 0)).toBe(true);
      expect(bot.about().passages).toBe(3);

      const answer = await bot.ask('Quel observatoire le ministère de la Culture a-t-il inauguré ?');
      expect(answer.answered).toBe(true);
      const top = answer.results[0]!;
      expect(A).toContain(top.quote);
      expect(top.quote).toContain('observatoire des volcans islandais');
      expect(top.published).toEqual({ date: '2025-01', dateText: null });
      expect(top.date).toBe('2025-01');
      // The passage's context and the article are read from the database on demand.
      const context = await bot.passageContext(top.passageId);
      expect(context?.passage.text).toContain('observatoire');
      expect((await bot.findArticle(top.articleId))?.paragraphs.flat().join(' ')).toContain('Reykjavik');

      // Another process adds an article; the bot answers it without a restart.
      const question = 'Quelle école élémentaire les experts ont-ils visitée ?';
      await writeFile(path.join(seeds, 'd.txt'), D);
      await new PgCorpusStore(writerPool, url).update({ seedsDir: seeds, embedder: null });
      let late = await bot.ask(question);
      // Questions read the database itself; the catalogue (titles, counts) follows the notification.
      for (let i = 0; i < 50 && (!late.results.some((r) => r.quote.includes('Akureyri')) || bot.about().passages < 4); i++) {
        await new Promise((r) => setTimeout(r, 100));
        late = await bot.ask(question);
      }
      expect(late.answered).toBe(true);
      expect(late.results[0]!.quote).toContain('école élémentaire de Akureyri');
      expect(late.results[0]!.published?.date).toBe('2025-04');
      expect(bot.about().passages).toBe(4);
      expect(bot.corpus.passages).toEqual([]);
      // No BM25 index was built at any point.
      expect(indexed).not.toHaveBeenCalled();

      // The same database with PG_LEXICAL=bm25 does build one (the spy sees it).
      const bm25 = await createEngine(loadConfig({ ...base, PG_LEXICAL: 'bm25' }), { log: quiet });
      try {
        expect(bm25.indexFree).toBe(false);
        expect(indexed).toHaveBeenCalled();
        expect(bm25.corpus.passages.length).toBe(4);
      } finally {
        await bm25.close();
      }
    } finally {
      indexed.mockRestore();
      await bot.close();
      await writerPool.end();
    }
  }, 120_000);

  it('on a database written before the lexicon, builds the in-process index and lets it go once an indexer fills the lexicon in', async () => {
    const url = await db.fresh('memory-old');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B });
    const embeddings = await makeTempDir('pg-memory-emb-');
    const writerPool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(writerPool, url);
    await store.update({ seedsDir: seeds, embedder: null });
    await writerPool.query('UPDATE passages SET words = NULL');
    await writerPool.query('DELETE FROM lexicon');
    await writerPool.query('UPDATE corpus_state SET lexicon = false');
    const warnings: string[] = [];
    const config = loadConfig({ SEEDS_DIR: seeds, EMBEDDINGS_DIR: embeddings, DATABASE_URL: url, OFFLINE: '1', EMBEDDING_MODEL: '/nonexistent', PG_LEXICAL: 'postgres' });
    const bot = await createEngine(config, { log: { info: () => {}, warn: (m) => warnings.push(m) }, pollMs: 200 });
    try {
      expect(bot.indexFree).toBe(false);
      expect(warnings.some((w) => w.includes('no word statistics yet'))).toBe(true);
      expect((await bot.ask('Quel observatoire le ministère de la Culture a-t-il inauguré ?')).answered).toBe(true);
      await writeFile(path.join(seeds, 'd.txt'), D);
      await store.update({ seedsDir: seeds, embedder: null });
      for (let i = 0; i < 50 && !bot.indexFree; i++) await new Promise((r) => setTimeout(r, 100));
      expect(bot.indexFree).toBe(true);
      expect(bot.corpus.passages).toEqual([]);
      const late = await bot.ask('Quelle école élémentaire les experts ont-ils visitée ?');
      expect(late.results[0]!.quote).toContain('école élémentaire de Akureyri');
    } finally {
      await bot.close();
      await writerPool.end();
    }
  }, 120_000);
});
