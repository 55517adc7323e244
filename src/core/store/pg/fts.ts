/**
 * Lexical retrieval in Postgres (PG_LEXICAL=postgres): full-text search over the passages'
 * `tsv` column (migration 1767312000000_fts: the `french_unaccent` configuration, accents folded
 * before the French Snowball stemmer, the text weighed A and the title C, a GIN index).
 *
 * A question is an OR of its lexemes, as the BM25 queries are: an AND query finds nothing as
 * soon as one word of the question is missing from the passage, and the answer pipeline would
 * abstain. Postgres' own ranks (ts_rank, ts_rank_cd) know nothing of how rare a word is, so an
 * OR query would rank a passage full of "président" above the one naming the rare word asked
 * about; the score is therefore BM25 computed in SQL: each lexeme's document frequency counted
 * through the GIN index, its weighted frequency in the passage read with ts_rank_cd (text
 * occurrences 1, title occurrences 0.3, as the in-process BM25 boosts the title), and the
 * passage's length as its number of distinct lexemes.
 *
 * The question's words are the bot's own (`words`), without its stop words, which know the
 * question words Postgres' French list lacks ("quoi", "article", "which", "were"): in a small
 * corpus such a word is rare enough to outrank the words the question is about.
 *
 * Cost: an OR question matches most passages, and each (passage, lexeme) pair is checked and
 * ranked in SQL. On the seeds this gives the file store's evaluation figures at ~20 ms a question
 * (PGlite); at 20,000 passages it takes ~1 s a question on PGlite, where the in-process BM25
 * takes ~2 ms. Hence PG_LEXICAL's default, bm25.
 */
import type pg from 'pg';
import { isStopWord, words } from '../../text/index.js';
import type { LexicalHit } from '../../retrieval/index.js';
import { BM25, bm25IdfSql, FIELD_BOOSTS, FUZZY_MIN_LENGTH, FUZZY_SHARE, FUZZY_WEIGHT } from '../../retrieval/index.js';

/** The text-search configuration the migration creates. */
const FTS_CONFIG = 'french_unaccent';
/** ts_rank_cd weights {D, C, B, A}: title (C) and text (A) occurrences weighed as the in-process BM25's fields. */
const WEIGHTS = `{0.1, ${FIELD_BOOSTS[1]}, 0.4, ${FIELD_BOOSTS[0]}}`;
/** BM25's k1 and b, as the in-process index. */
const K1 = BM25.k;
const B = BM25.b;
/*
 * Near spellings, in place of the BM25's fuzzy matching (one edit per five letters, at 0.45): a
 * lexeme of 6+ letters also matches, at 0.45, the other words starting with all but its last fifth.
 */

/** What BM25 needs of the whole corpus: passages and their average length in lexemes. */
export interface FtsStats {
  passages: number;
  averageLength: number;
}

/** Corpus statistics; read once per corpus version (a full scan of the passages). */
export async function ftsStats(pool: pg.Pool | pg.ClientBase): Promise<FtsStats> {
  const r = await pool.query<{ n: string; avg: number | null }>('SELECT count(*) AS n, avg(length(tsv))::float8 AS avg FROM passages');
  return { passages: Number(r.rows[0]!.n), averageLength: r.rows[0]!.avg ?? 1 };
}

/** The `k` passages that best match `query` (any of its words), best first, with their BM25 score. */
export async function ftsSearch(pool: pg.Pool | pg.ClientBase, query: string, k: number, stats: FtsStats): Promise<LexicalHit[]> {
  const asked = words(query)
    .filter((w) => !isStopWord(w))
    .join(' ');
  if (stats.passages === 0 || asked === '') return [];
  const r = await pool.query<{ id: string; score: number }>(
    `WITH lexemes AS (
       SELECT DISTINCT lexeme FROM unnest(to_tsvector('${FTS_CONFIG}'::regconfig, $1))
     ), terms AS (
       SELECT quote_literal(lexeme)::tsquery AS q, 1.0::float8 AS w FROM lexemes
       UNION ALL
       SELECT (quote_literal(left(lexeme, length(lexeme) - greatest(1, round(length(lexeme) * ${FUZZY_SHARE})::int))) || ':* & !' || quote_literal(lexeme))::tsquery, ${FUZZY_WEIGHT}
       FROM lexemes WHERE length(lexeme) >= ${FUZZY_MIN_LENGTH}
     ), weighted AS (
       SELECT t.q, t.w * ${bm25IdfSql('d.df', '$3::float8')} AS idf
       FROM terms t CROSS JOIN LATERAL (SELECT count(*)::float8 AS df FROM passages WHERE tsv @@ t.q) d
       WHERE d.df > 0
     ), matched AS (
       SELECT id, tsv, length(tsv)::float8 AS len FROM passages
       WHERE tsv @@ (SELECT string_agg(q::text, ' | ')::tsquery FROM weighted)
     )
     SELECT m.id, sum(w.idf * f.tf * ${K1 + 1} / (f.tf + ${K1} * (${1 - B} + ${B} * m.len / $4::float8)))::float8 AS score
     FROM matched m JOIN weighted w ON m.tsv @@ w.q
       CROSS JOIN LATERAL (SELECT ts_rank_cd('${WEIGHTS}'::float4[], m.tsv, w.q)::float8 AS tf OFFSET 0) f
     GROUP BY m.id
     ORDER BY score DESC, m.id
     LIMIT $2`,
    [asked, Math.max(1, Math.floor(k)), stats.passages, stats.averageLength || 1],
  );
  return r.rows.map((row) => ({ id: row.id, score: row.score }));
}
