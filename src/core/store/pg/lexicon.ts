/**
 * The question's word weights for PG_LEXICAL=postgres, read from the database per question
 * instead of an in-process BM25 index: the figures are the in-process index's own.
 *
 * The BM25 analysis of a word (its stem, and its parts' stems when it is two words glued) depends
 * on how often the corpus uses the word and its prefixes and suffixes (`splitGlued`); those
 * counts are the `lexicon` table, which the indexer keeps in the transaction that writes the
 * passages (migration 1767398400000_lexicon). A term's document frequency is the number of
 * passages holding a word analysed to it: the words of the term's stem, and the glued words one
 * of whose parts has that stem, looked up in the passages' `words` (a GIN index).
 *
 * What a question needs is fetched before the answer pipeline runs (it reads synchronously):
 * {@link PgLexicon.prepare} analyses the words of the question and of the texts it may quote,
 * {@link PgLexicon.weigh} counts the question's terms. Both are remembered until the corpus
 * version changes (the vocabulary, hence every analysis and count, may change with it).
 *
 * Cost, at 20,000 passages on PGlite (median of a question, nothing remembered): analysis ~50 ms
 * (the words of the passages and articles it may quote), weights ~35 ms, beside ~320 ms for the
 * full-text ranking itself (fts.ts). The indexer's full write takes ~12% longer (the words and the
 * vocabulary), and the database grows from 64 to 87 MB.
 */
import type pg from 'pg';
import { GLUE_WORDS, isStopWord, stemAccentFree, termsOf, words } from '../../text/index.js';
import { bm25Idf } from '../../retrieval/index.js';

/** Words analysed (and term frequencies) remembered per corpus version, at most. */
const CACHE_MAX = 200_000;

/** Vocabulary keys a word's analysis reads: the word, and its prefixes and suffixes when it may split. */
function keysOf(word: string): string[] {
  const keys = [word];
  if (word.length >= 5 && !/\d/u.test(word)) for (let i = 1; i < word.length - 1; i++) keys.push(word.slice(0, i), word.slice(i));
  return keys;
}

/** One corpus version's analysis and term counts (a new version gets a new object). */
export class PgLexicon {
  private readonly analysed = new Map<string, readonly string[]>();
  private readonly frequencies = new Map<string, number>();
  /** Words met unprepared (analysed as if never glued); 0 unless a caller forgot `prepare`. */
  unprepared = 0;

  constructor(
    private readonly pool: pg.Pool | pg.ClientBase,
    readonly version: number,
    /** The corpus's passage count. */
    readonly passages: number,
  ) {}

  /** Analyses every word of `texts` not analysed yet (one query). */
  async prepare(texts: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const text of texts) for (const w of words(text)) if (!this.analysed.has(w)) wanted.add(w);
    await this.analyse(wanted);
  }

  private async analyse(wanted: ReadonlySet<string>): Promise<void> {
    const keys = new Set<string>();
    for (const w of wanted) {
      if (isStopWord(w)) this.remember(w, []);
      else for (const k of keysOf(w)) keys.add(k);
    }
    if (keys.size === 0) return;
    const r = await this.pool.query<{ word: string; n: number }>('SELECT word, n FROM lexicon WHERE word = ANY($1)', [[...keys]]);
    const vocabulary = new Map(r.rows.map((row) => [row.word, row.n]));
    for (const w of wanted) if (!this.analysed.has(w)) this.remember(w, termsOf(w, vocabulary));
  }

  private remember(word: string, terms: readonly string[]): void {
    if (this.analysed.size >= CACHE_MAX) this.analysed.clear();
    this.analysed.set(word, terms);
  }

  /** Index terms of a text, as the in-process index analyses it (its words prepared). */
  terms(text: string): string[] {
    const out: string[] = [];
    for (const w of words(text)) {
      let terms = this.analysed.get(w);
      if (!terms) {
        this.unprepared++;
        terms = isStopWord(w) ? [] : [stemAccentFree(w)];
      }
      for (const t of terms) out.push(t);
    }
    return out;
  }

  /** Counts the passages holding each of `terms` not counted yet (a few queries). */
  async weigh(terms: Iterable<string>): Promise<void> {
    const wanted = [...new Set(terms)].filter((t) => !this.frequencies.has(t));
    if (wanted.length === 0) return;
    const wantedSet = new Set(wanted);
    // Words whose stem is a wanted term: analysed to it, and the parts glued words split into.
    const stems = await this.pool.query<{ word: string; stem: string }>('SELECT word, stem FROM lexicon WHERE stem = ANY($1)', [wanted]);
    const parts = new Set<string>();
    const mapped = new Map<string, Set<string>>(wanted.map((t) => [t, new Set()]));
    for (const { word, stem } of stems.rows) {
      if (isStopWord(word)) continue;
      parts.add(word);
      mapped.get(stem)?.add(word);
    }
    // A glue word that is no stop word counts as a part even if the corpus never uses it alone.
    for (const g of GLUE_WORDS) if (!isStopWord(g) && wantedSet.has(stemAccentFree(g))) parts.add(g);
    if (parts.size > 0) {
      const p = [...parts];
      const glued = await this.pool.query<{ word: string }>(
        `SELECT DISTINCT word FROM (
           SELECT l.word FROM unnest($1::text[]) AS s(p) JOIN lexicon l
             ON (l.word COLLATE "C") > (s.p COLLATE "C") AND (l.word COLLATE "C") < ((s.p || chr(1114111)) COLLATE "C")
           UNION ALL
           SELECT l.word FROM unnest($1::text[]) AS s(p) JOIN lexicon l
             ON (reverse(l.word) COLLATE "C") > (reverse(s.p) COLLATE "C") AND (reverse(l.word) COLLATE "C") < ((reverse(s.p) || chr(1114111)) COLLATE "C")
         ) x WHERE length(word) >= 5 AND word !~ '[0-9]'`,
        [p],
      );
      const candidates = glued.rows.map((r) => r.word).filter((w) => !isStopWord(w));
      await this.analyse(new Set(candidates.filter((w) => !this.analysed.has(w))));
      for (const w of candidates) for (const t of this.analysed.get(w) ?? []) mapped.get(t)?.add(w);
    }
    const rows = [...mapped].map(([t, m]) => ({ t, m: [...m] }));
    const df = await this.pool.query<{ t: string; df: number }>(
      `SELECT x.t, (SELECT count(*) FROM passages WHERE words && x.m)::int AS df FROM jsonb_to_recordset($1::jsonb) AS x(t text, m text[])`,
      [JSON.stringify(rows.filter((r) => r.m.length > 0))],
    );
    if (this.frequencies.size >= CACHE_MAX) this.frequencies.clear();
    for (const t of wanted) this.frequencies.set(t, 0);
    for (const r of df.rows) this.frequencies.set(r.t, r.df);
  }

  /** The term's IDF over passages (0 for a term no passage holds, or one not weighed). */
  idf(term: string): number {
    const df = this.frequencies.get(term) ?? 0;
    return df === 0 ? 0 : bm25Idf(df, this.passages);
  }

  /** The IDF of a term held by one passage. */
  get maxIdf(): number {
    return bm25Idf(1, this.passages);
  }

  /** Passages holding the term (0 for one no passage holds, or one not weighed). */
  documentFrequency(term: string): number {
    return this.frequencies.get(term) ?? 0;
  }

  get documentCount(): number {
    return this.passages;
  }
}
