import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/core/store/pg/database.js';
import { ftsSearch, ftsStats } from '../src/core/store/pg/fts.js';
import { bm25Idf, bm25IdfSql } from '../src/core/retrieval/lexical/bm25.js';
import { PgCorpusStore } from '../src/core/store/pg/pg-store.js';
import { createEngine } from '../src/engine/index.js';
import { makeTempDir } from './helpers/static-model.js';
import { quiet, seedsWith, useTestDatabase } from './helpers/pg.js';

const db = useTestDatabase();

const A = 'date 2025-01 Le ministère de la Culture a inauguré un observatoire des volcans islandais à Reykjavik. Il a salué les chercheurs.';
const B = 'date 2025-02 La délégation a visité une ferme de saumons norvégiens à Bergen. Elle a signé un accord.';
const C = 'date 2025-03 Les experts ont visité la centrale géothermique de Hellisheidi. Ils ont mesuré la vapeur.';
const D = 'date 2025-04 Les experts ont visité une école élémentaire de Akureyri. Ils ont rencontré les élèves.';

describe('PG_LEXICAL setting', () => {
  it('defaults to one of the two retrievers and accepts both', () => {
    expect(['bm25', 'postgres']).toContain(loadConfig({}).PG_LEXICAL);
    expect(loadConfig({ PG_LEXICAL: 'postgres' }).PG_LEXICAL).toBe('postgres');
    expect(loadConfig({ PG_LEXICAL: 'bm25' }).PG_LEXICAL).toBe('bm25');
  });

  it('refuses any other value with one clear line', () => {
    let error: unknown;
    try {
      loadConfig({ PG_LEXICAL: 'elastic' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('PG_LEXICAL: must be bm25 or postgres');
  });
});

describe('Postgres full-text search (PGlite over the socket)', () => {
  let pool: pg.Pool;
  let ids: Map<string, string>;

  beforeAll(async () => {
    const url = await db.fresh('fts');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B, 'c.txt': C, 'd.txt': D });
    pool = await connectDatabase({ url, log: quiet });
    const store = new PgCorpusStore(pool, url);
    await store.update({ seedsDir: seeds, embedder: null });
    ids = new Map((await store.records()).map((r) => [r.file, r.passages[0]!.id]));
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
  });

  const search = async (q: string, k = 4): Promise<string[]> => (await ftsSearch(pool, q, k, await ftsStats(pool))).map((h) => h.id);

  it("computes BM25's IDF in SQL as the in-process index does (one formula, bm25.ts)", async () => {
    const cases = [
      [1, 1],
      [1, 4],
      [3, 4],
      [4, 4],
      [1, 20_000],
      [137, 20_000],
      [19_999, 20_000],
    ] as const;
    const r = await pool.query<{ idf: number }>(
      `SELECT ${bm25IdfSql('x.df', 'x.n')}::float8 AS idf FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS x(df, n, o) ORDER BY o`,
      [cases.map(([df]) => df), cases.map(([, n]) => n)],
    );
    expect(r.rows).toHaveLength(cases.length);
    cases.forEach(([df, n], i) => expect(r.rows[i]!.idf, `df ${df}, n ${n}`).toBeCloseTo(bm25Idf(df, n), 12));
    // The values differ across the cases, so a formula that disagreed would be caught.
    expect(new Set(r.rows.map((x) => x.idf.toFixed(9))).size).toBe(cases.length);
  });

  it('has the text-search configuration, the column and its GIN index', async () => {
    const idx = await pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'passages_tsv'`);
    expect(idx.rows[0]?.indexdef).toMatch(/USING gin \(tsv\)/);
    const v = await pool.query<{ v: string }>(`SELECT to_tsvector('french_unaccent', 'Ministère ministères élèves') AS v`);
    expect(v.rows[0]!.v).toBe("'elev':3 'minister':1,2");
  });

  it('finds a passage by a word written without its accents, and with them', async () => {
    expect((await search('ministere'))[0]).toBe(ids.get('a.txt'));
    expect((await search('MINISTÈRE'))[0]).toBe(ids.get('a.txt'));
    expect((await search('geothermique'))[0]).toBe(ids.get('c.txt'));
    expect(await search('ministere')).toHaveLength(1);
  });

  it('finds a passage by another form of a word (stemming)', async () => {
    // "volcans" in the text; "volcan" asked. "inauguré" in the text; "inaugurer" asked.
    expect(await search('volcan')).toEqual([ids.get('a.txt')]);
    expect(await search('inaugurer')).toEqual([ids.get('a.txt')]);
    expect(await search('norvégien')).toEqual([ids.get('b.txt')]);
  });

  it('forgives a typo in a long word, as the BM25 fuzzy matching does', async () => {
    expect(await search('geothermiqe')).toEqual([ids.get('c.txt')]);
  });

  it("leaves out the bot's stop words, which Postgres' French list lacks", async () => {
    // Every passage says "a" (Postgres keeps it as a lexeme): it must not match them all.
    expect(await search('a')).toEqual([]);
    expect(await search("Qu'a-t-il inauguré ?")).toEqual([ids.get('a.txt')]);
  });

  it('ORs the words of a question and ranks the rarer word first', async () => {
    // A word absent from the corpus does not empty the result (an AND query would).
    expect(await search('volcans pingouins')).toEqual([ids.get('a.txt')]);
    // "visité" is in three passages, "Bergen" in one: the passage naming Bergen comes first.
    const ranked = await search('visites Bergen');
    expect(ranked[0]).toBe(ids.get('b.txt'));
    expect(new Set(ranked)).toEqual(new Set([ids.get('b.txt'), ids.get('c.txt'), ids.get('d.txt')]));
    expect(await search('pingouins manchots')).toEqual([]);
    expect(await search('   ')).toEqual([]);
  });
});

describe('the engine with PG_LEXICAL=postgres', () => {
  it('answers from the database ranking, and a bm25 engine does not depend on it', async () => {
    const url = await db.fresh('engine');
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B, 'c.txt': C, 'd.txt': D });
    const embeddings = await makeTempDir('pg-fts-emb-');
    const base = { SEEDS_DIR: seeds, EMBEDDINGS_DIR: embeddings, DATABASE_URL: url, OFFLINE: '1', EMBEDDING_MODEL: '/nonexistent' };
    const fts = await createEngine(loadConfig({ ...base, PG_LEXICAL: 'postgres' }), { log: quiet, updateOnStart: true });
    const bm25 = await createEngine(loadConfig({ ...base, PG_LEXICAL: 'bm25' }), { log: quiet });
    try {
      const answer = await fts.ask('Quel observatoire le ministere de la Culture a-t-il inaugure ?');
      expect(answer.answered).toBe(true);
      expect(answer.results[0]!.quote).toContain('observatoire des volcans islandais');
      // Without the full-text column, only the engine ranking in Postgres fails.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('ALTER TABLE passages DROP COLUMN tsv');
      await admin.end();
      await expect(fts.ask('Quel observatoire a été inauguré ?')).rejects.toThrow(/tsv/);
      expect((await bm25.ask('Quel observatoire a été inauguré ?')).answered).toBe(true);
    } finally {
      await fts.close();
      await bm25.close();
    }
  }, 120_000);
});

describe('the dates passages state, kept in Postgres', () => {
  it('tell "nothing from that period" apart, in both PG_LEXICAL modes, and appear with the file\'s next write', async () => {
    const url = await db.fresh('stated');
    // Articles of 2025; one of them says what happened in March 2019.
    const stated = 'date 2025-05 Le port de Hai Phong, rouvert le 12 mars 2019 après des travaux, a reçu un nouveau cargo.';
    const seeds = await seedsWith({ 'a.txt': A, 'b.txt': B, 'e.txt': stated });
    const base = { SEEDS_DIR: seeds, EMBEDDINGS_DIR: await makeTempDir('pg-stated-'), DATABASE_URL: url, OFFLINE: '1', EMBEDDING_MODEL: '/nonexistent' };
    const question = 'Quel accord sur le riz a été signé en mars 2019 ?';
    const outside = async (lexical: 'postgres' | 'bm25') => {
      const engine = await createEngine(loadConfig({ ...base, PG_LEXICAL: lexical }), { log: quiet, updateOnStart: true });
      try {
        expect(engine.corpus.statedDates).toEqual(['2019-03', '2019-03-12']);
        return (await engine.ask(question)).outsideDates ?? null;
      } finally {
        await engine.close();
      }
    };
    expect(await outside('postgres')).toBeNull();
    expect(await outside('bm25')).toBeNull();

    // A file written before the column existed has none: the catalogue then claims nothing.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("UPDATE files SET stated = NULL WHERE file = 'a.txt'");
    await admin.end();
    const engine = await createEngine(loadConfig({ ...base, PG_LEXICAL: 'postgres' }), { log: quiet });
    try {
      expect(engine.corpus.statedDates).toBeUndefined();
    } finally {
      await engine.close();
    }
    await writeFile(path.join(seeds, 'a.txt'), `${A} Ils ont déjeuné sur place.`);
    expect(await outside('postgres')).toBeNull();
  }, 120_000);
});
