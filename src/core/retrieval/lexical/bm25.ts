/**
 * BM25 over passages, scored exactly as MiniSearch scores them, with the postings in typed arrays.
 *
 * The bot used MiniSearch (BM25+, fields text and title, fuzzy matching, OR) and its answers were
 * tuned on MiniSearch's scores, so this index reproduces them bit for bit: same tokens, same
 * field lengths (distinct tokens), same running average of field lengths, same fuzzy
 * expansions (MiniSearch's own radix tree, `SearchableMap`), same order of floating-point
 * additions, same ordering of ties (first seen first). The tests compare it with MiniSearch.
 *
 * What differs is the cost. MiniSearch builds a Map entry and a match object per matching
 * passage per query term, then sorts every match; a question's OR query matches half the corpus,
 * so at 100,000 passages that is hundreds of milliseconds. Here each posting is a few typed-array
 * operations and only the top k are kept. Its postings are also plain arrays, so the index is
 * saved and read back in milliseconds, where MiniSearch's JSON takes seconds to load.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { words } from '../../text/index.js';
import type { Section, Sections } from '../../../lib/sections.js';
import type { Analyzer } from './analysis.js';

/** A passage as the index sees it. */
export interface LexicalDoc {
  id: string;
  text: string;
  title: string;
}

export interface ScoredId {
  id: string;
  score: number;
}

const FIELD_COUNT = 2; // text, title
/** The title is shared by every passage of an article: it should tip the balance, not decide it. */
export const FIELD_BOOSTS = [1, 0.3] as const;
/** MiniSearch's BM25+ defaults. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;
/** BM25's inverse document frequency (MiniSearch's) of a term that `matching` of `documents` documents hold. */
export const bm25Idf = (matching: number, documents: number): number => Math.log(1 + (documents - matching + 0.5) / (matching + 0.5));
/**
 * {@link bm25Idf} as an SQL expression, for BM25 computed in Postgres: `matching` and `documents`
 * are SQL expressions of type float8. A test checks that both give the same figures.
 */
export const bm25IdfSql = (matching: string, documents: string): string => `ln(1 + (${documents} - ${matching} + 0.5) / (${matching} + 0.5))`;
/** MiniSearch's defaults for fuzzy matches. */
export const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;
/** Query terms whose fuzzy expansions are remembered. */
const FUZZY_CACHE = 10_000;

/**
 * Fuzzy matching forgives one edit in a longer word ("Séurité", "tranformation") at a
 * discount; short words must match exactly or they match everything.
 */
export const FUZZY_MIN_LENGTH = 6;
/** Edits forgiven, as a share of the word's length. */
export const FUZZY_SHARE = 0.2;
const fuzzyOf = (term: string): number | false => (term.length >= FUZZY_MIN_LENGTH ? FUZZY_SHARE : false);

interface Tail {
  docs: number[];
  freqs: number[];
}

export class Bm25Index {
  /** Passage id per document number; documents are numbered in the order they were added. */
  private ids: string[] = [];
  /** Id → document number of live documents; built when first needed (a loaded index that is only searched never needs it). */
  private byIdMap: Map<string, number> | null = new Map();
  private get byId(): Map<string, number> {
    if (!this.byIdMap) {
      this.byIdMap = new Map();
      this.ids.forEach((id, d) => {
        if (this.live[d]) this.byIdMap!.set(id, d);
      });
    }
    return this.byIdMap;
  }
  private live = new Uint8Array(16);
  private lengths: Uint32Array<ArrayBufferLike>[] = [new Uint32Array(16), new Uint32Array(16)];
  /** Live documents. */
  documentCount = 0;
  private readonly avg: number[] = [0, 0];
  private dead = 0;

  /** Term → term number. */
  private termIds = new Map<string, number>();
  /** The same, as MiniSearch's radix tree, for fuzzy lookup. */
  private dict = new SearchableMap<number>();
  private terms: string[] = [];
  /** Postings of terms 0 … frozenTerms − 1 as of the last freeze: CSR over term × field. */
  private start: Uint32Array<ArrayBufferLike> = new Uint32Array(1);
  private docs: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private freqs: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private frozenTerms = 0;
  /** Postings added since the last freeze, by `term × 2 + field`. */
  private tails = new Map<number, Tail>();

  /** Per field, `k * (1 - b + b * length / avg)` for every document: the part of BM25 that depends on the document. */
  private normCache: (Float64Array | null)[] = [null, null];
  private readonly fuzzyCache = new Map<string, readonly (readonly [number, number])[]>();
  /** Memos that depend on which documents are live; cleared on every change. */
  private liveCounts = new Map<number, number>();
  private unionCounts = new Map<string, number>();

  // Scratch for search, sized to the number of documents.
  private total = new Float64Array(0);
  private termScore = new Float64Array(0);
  private quality = new Uint16Array(0);
  private seenInQuery = new Int32Array(0);
  private seenInTerm = new Int32Array(0);
  private order = new Int32Array(0);
  private termDocs = new Int32Array(0);
  private stamp = 0;

  constructor(readonly analyzer: Analyzer) {}

  /** Number of document slots, live or not. */
  get slots(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Ids of the live documents (for checking an index read from disk against its corpus). */
  *liveIds(): Generator<string> {
    for (let d = 0; d < this.ids.length; d++) if (this.live[d]) yield this.ids[d]!;
  }

  /** Adds a passage, as MiniSearch's `add` does. Throws on a duplicate id. */
  add(doc: LexicalDoc): void {
    if (this.byId.has(doc.id)) throw new Error(`lexical index: duplicate passage id ${doc.id}`);
    const d = this.ids.length;
    this.ids.push(doc.id);
    this.byId.set(doc.id, d);
    this.ensureDocCapacity(d + 1);
    this.live[d] = 1;
    this.documentCount += 1;
    this.changed();
    const values = [doc.text, doc.title];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const tokens = words(values[f]!);
      const unique = new Set(tokens).size;
      this.lengths[f]![d] = unique;
      // MiniSearch's addFieldLength: a running average, in this exact order of operations.
      const count = this.documentCount - 1;
      this.avg[f] = (this.avg[f]! * count + unique) / (count + 1);
      const tf = new Map<number, number>();
      for (const token of tokens) {
        for (const term of this.analyzer.termsOfWord(token)) {
          const t = this.termNumber(term);
          tf.set(t, (tf.get(t) ?? 0) + 1);
        }
      }
      for (const [t, n] of tf) {
        const key = t * FIELD_COUNT + f;
        let tail = this.tails.get(key);
        if (!tail) this.tails.set(key, (tail = { docs: [], freqs: [] }));
        tail.docs.push(d);
        tail.freqs.push(n);
      }
    }
  }

  /** Removes a passage, as MiniSearch's `remove` does. Returns false when it is not indexed. */
  remove(id: string): boolean {
    const d = this.byId.get(id);
    if (d === undefined) return false;
    for (let f = 0; f < FIELD_COUNT; f++) {
      // MiniSearch's removeFieldLength.
      const count = this.documentCount;
      this.avg[f] = count === 1 ? 0 : (this.avg[f]! * count - this.lengths[f]![d]!) / (count - 1);
    }
    this.byId.delete(id);
    this.live[d] = 0;
    this.dead += 1;
    this.documentCount -= 1;
    this.changed();
    return true;
  }

  /** Ids of live documents whose postings hold `term` in either field. */
  idsWithTerm(term: string): string[] {
    const t = this.termIds.get(term);
    if (t === undefined) return [];
    const out = new Set<number>();
    for (let f = 0; f < FIELD_COUNT; f++) this.forEachPosting(t * FIELD_COUNT + f, (d) => void (this.live[d] && out.add(d)));
    return [...out].sort((a, b) => a - b).map((d) => this.ids[d]!);
  }

  /** Number of live passages holding `term` in their text or title. */
  documentFrequency(term: string): number {
    let n = this.unionCounts.get(term);
    if (n === undefined) {
      const t = this.termIds.get(term);
      n = 0;
      if (t !== undefined) {
        const seen = new Set<number>();
        for (let f = 0; f < FIELD_COUNT; f++) this.forEachPosting(t * FIELD_COUNT + f, (d) => void (this.live[d] && seen.add(d)));
        n = seen.size;
      }
      this.unionCounts.set(term, n);
    }
    return n;
  }

  /**
   * The `k` best passages for `query`, best first: what MiniSearch's
   * `search(query, { boost: { text: 1, title: 0.3 }, fuzzy, combineWith: 'OR' }).slice(0, k)` returns.
   */
  search(query: string, k: number): ScoredId[] {
    const queryTerms: string[] = [];
    for (const w of words(query)) for (const t of this.analyzer.termsOfWord(w)) queryTerms.push(t);
    if (queryTerms.length === 0 || k <= 0) return [];
    this.ensureScratch();
    const queryStamp = ++this.stamp;
    let seen = 0;
    const counted = new Set<string>();
    for (const term of queryTerms) {
      const termStamp = ++this.stamp;
      let touched = 0;
      const score = (t: number, weight: number): void => {
        for (let f = 0; f < FIELD_COUNT; f++) {
          const key = t * FIELD_COUNT + f;
          const matching = this.liveCount(key);
          if (matching === 0) continue;
          // MiniSearch computes these per posting; they depend only on the term and the field.
          const invDocFreq = bm25Idf(matching, this.documentCount);
          const norms = this.norms(f);
          const fieldWeight = weight * FIELD_BOOSTS[f]!;
          const live = this.live;
          const termScore = this.termScore;
          const seenInTerm = this.seenInTerm;
          const termDocs = this.termDocs;
          const { d: plus, k } = BM25;
          const visit = (docs: ArrayLike<number>, freqs: ArrayLike<number>, from: number, to: number): void => {
            let n = touched;
            for (let i = from; i < to; i++) {
              const d = docs[i]!;
              if (live[d] === 0) continue;
              const tf = freqs[i]!;
              // MiniSearch's calcBM25Score, invDocFreq * (d + tf * (k + 1) / (tf + k * (1 - b + b * length / avg))),
              // with the same operations in the same order, times the term's and the field's weight.
              const s = fieldWeight * (invDocFreq * (plus + (tf * (k + 1)) / (tf + norms[d]!)));
              if (seenInTerm[d] !== termStamp) {
                seenInTerm[d] = termStamp;
                termScore[d] = s;
                termDocs[n++] = d;
              } else {
                termScore[d] = termScore[d]! + s;
              }
            }
            touched = n;
          };
          if (t < this.frozenTerms) visit(this.docs, this.freqs, this.start[key]!, this.start[key + 1]!);
          const tail = this.tails.get(key);
          if (tail) visit(tail.docs, tail.freqs, 0, tail.docs.length);
        }
      };
      const exact = this.termIds.get(term);
      if (exact !== undefined) score(exact, 1);
      for (const [t, weight] of this.fuzzyMatches(term)) score(t, weight);
      // OR: a passage's total is the sum of its per-term scores, added term by term.
      // A repeated query term matches the same passages; it adds score but not quality.
      const countsQuality = !counted.has(term);
      counted.add(term);
      for (let i = 0; i < touched; i++) {
        const d = this.termDocs[i]!;
        if (this.seenInQuery[d] !== queryStamp) {
          this.seenInQuery[d] = queryStamp;
          this.total[d] = this.termScore[d]!;
          this.quality[d] = 0;
          this.order[seen++] = d;
        } else {
          this.total[d] = this.total[d]! + this.termScore[d]!;
        }
        if (countsQuality) this.quality[d] = this.quality[d]! + 1;
      }
    }
    return this.topK(seen, k);
  }

  /** The k best of the `seen` passages in `order`; ties go to the one seen first (MiniSearch's stable sort). */
  private topK(seen: number, k: number): ScoredId[] {
    const n = Math.min(k, seen);
    // A min-heap of the best n, worst at the root: lower score, or equal score and seen later.
    const heapScore = new Float64Array(n);
    const heapSeq = new Int32Array(n);
    let size = 0;
    const worse = (i: number, j: number): boolean => heapScore[i]! < heapScore[j]! || (heapScore[i] === heapScore[j] && heapSeq[i]! > heapSeq[j]!);
    const swap = (i: number, j: number): void => {
      const s = heapScore[i]!;
      heapScore[i] = heapScore[j]!;
      heapScore[j] = s;
      const q = heapSeq[i]!;
      heapSeq[i] = heapSeq[j]!;
      heapSeq[j] = q;
    };
    for (let seq = 0; seq < seen; seq++) {
      const d = this.order[seq]!;
      const score = this.total[d]! * (this.quality[d]! || 1);
      if (size < n) {
        heapScore[size] = score;
        heapSeq[size] = seq;
        for (let i = size++; i > 0; ) {
          const p = (i - 1) >> 1;
          if (!worse(i, p)) break;
          swap(i, p);
          i = p;
        }
      } else if (score > heapScore[0]!) {
        heapScore[0] = score;
        heapSeq[0] = seq;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < size && worse(l, m)) m = l;
          if (r < size && worse(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
    }
    const out: { score: number; seq: number }[] = [];
    for (let i = 0; i < size; i++) out.push({ score: heapScore[i]!, seq: heapSeq[i]! });
    out.sort((a, b) => b.score - a.score || a.seq - b.seq);
    return out.map((e) => ({ id: this.ids[this.order[e.seq]!]!, score: e.score }));
  }

  /**
   * The terms within the fuzzy distance of `term` (itself excluded), with their weights, in
   * MiniSearch's order. Cached: questions reuse their words, and a lookup in the radix tree is a
   * good share of a query's cost. The cache is emptied whenever a new term enters the index.
   */
  private fuzzyMatches(term: string): readonly (readonly [number, number])[] {
    let out = this.fuzzyCache.get(term);
    if (out === undefined) {
      const list: [number, number][] = [];
      const fuzzy = fuzzyOf(term);
      const maxDistance = fuzzy ? Math.min(MAX_FUZZY, Math.round(term.length * fuzzy)) : 0;
      if (maxDistance) {
        for (const [derived, [t, distance]] of this.dict.fuzzyGet(term, maxDistance)) {
          if (distance) list.push([t, (FUZZY_WEIGHT * derived.length) / (derived.length + distance)]);
        }
      }
      if (this.fuzzyCache.size >= FUZZY_CACHE) this.fuzzyCache.delete(this.fuzzyCache.keys().next().value!);
      this.fuzzyCache.set(term, (out = list));
    }
    return out;
  }

  private termNumber(term: string): number {
    let t = this.termIds.get(term);
    if (t === undefined) {
      t = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, t);
      this.dict.set(term, t);
      if (this.fuzzyCache.size > 0) this.fuzzyCache.clear();
    }
    return t;
  }

  private forEachPosting(key: number, fn: (doc: number, tf: number) => void): void {
    const t = key >> 1;
    if (t < this.frozenTerms) {
      const end = this.start[key + 1]!;
      for (let i = this.start[key]!; i < end; i++) fn(this.docs[i]!, this.freqs[i]!);
    }
    const tail = this.tails.get(key);
    if (tail) for (let i = 0; i < tail.docs.length; i++) fn(tail.docs[i]!, tail.freqs[i]!);
  }

  /** Live passages with postings under `key` (MiniSearch's `matchingFields`). */
  private liveCount(key: number): number {
    const t = key >> 1;
    const frozen = t < this.frozenTerms ? this.start[key + 1]! - this.start[key]! : 0;
    const all = frozen + (this.tails.get(key)?.docs.length ?? 0);
    if (this.dead === 0 || all === 0) return all;
    let n = this.liveCounts.get(key);
    if (n === undefined) {
      n = 0;
      this.forEachPosting(key, (d) => void (this.live[d] && n!++));
      this.liveCounts.set(key, n);
    }
    return n;
  }

  private norms(f: number): Float64Array {
    let norms = this.normCache[f];
    if (!norms) {
      const { k, b } = BM25;
      const lengths = this.lengths[f]!;
      const avg = this.avg[f]!;
      norms = new Float64Array(this.ids.length);
      for (let d = 0; d < norms.length; d++) norms[d] = k * (1 - b + (b * lengths[d]!) / avg);
      this.normCache[f] = norms;
    }
    return norms;
  }

  private changed(): void {
    this.normCache[0] = null;
    this.normCache[1] = null;
    if (this.liveCounts.size > 0) this.liveCounts.clear();
    if (this.unionCounts.size > 0) this.unionCounts.clear();
  }

  private ensureDocCapacity(n: number): void {
    if (n <= this.live.length) return;
    const size = Math.max(n, this.live.length * 2);
    const live = new Uint8Array(size);
    live.set(this.live);
    this.live = live;
    this.lengths = this.lengths.map((old) => {
      const a = new Uint32Array(size);
      a.set(old);
      return a;
    });
  }

  private ensureScratch(): void {
    const n = this.ids.length;
    if (this.total.length >= n) return;
    const size = Math.max(n, Math.ceil(this.total.length * 1.5), 64);
    this.total = new Float64Array(size);
    this.termScore = new Float64Array(size);
    this.quality = new Uint16Array(size);
    this.seenInQuery = new Int32Array(size);
    this.seenInTerm = new Int32Array(size);
    this.order = new Int32Array(size);
    this.termDocs = new Int32Array(size);
    this.stamp = 0;
  }

  /** Moves every posting into the typed arrays, dropping removed passages and terms left without postings. */
  compact(): void {
    if (this.dead === 0 && this.tails.size === 0) return;
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    for (let d = 0; d < this.ids.length; d++) {
      if (this.live[d]) {
        renumber[d] = ids.length;
        ids.push(this.ids[d]!);
      }
    }
    const live = new Uint8Array(Math.max(16, ids.length)).fill(1, 0, ids.length);
    const lengths = this.lengths.map((old) => {
      const a = new Uint32Array(Math.max(16, ids.length));
      for (let d = 0; d < this.ids.length; d++) if (renumber[d]! >= 0) a[renumber[d]!] = old[d]!;
      return a;
    });
    // Two passes over the postings, counting then filling, so the typed arrays are allocated
    // once at their final size (a first build at 100,000 passages has millions of postings).
    const keep = new Uint8Array(this.terms.length);
    let terms = 0;
    let total = 0;
    for (let t = 0; t < this.terms.length; t++) {
      let n = 0;
      for (let f = 0; f < FIELD_COUNT; f++) this.forEachPosting(t * FIELD_COUNT + f, (d) => void (renumber[d]! >= 0 && n++));
      if (n > 0) {
        keep[t] = 1;
        terms++;
        total += n;
      }
    }
    const kept: string[] = [];
    const starts = new Uint32Array(terms * FIELD_COUNT + 1);
    const docs = new Int32Array(total);
    const freqs = new Uint32Array(total);
    let at = 0;
    let slot = 0;
    for (let t = 0; t < this.terms.length; t++) {
      if (!keep[t]) continue; // no live posting left: the term is dropped
      kept.push(this.terms[t]!);
      for (let f = 0; f < FIELD_COUNT; f++) {
        this.forEachPosting(t * FIELD_COUNT + f, (d, tf) => {
          const r = renumber[d]!;
          if (r >= 0) {
            docs[at] = r;
            freqs[at++] = tf;
          }
        });
        starts[++slot] = at;
      }
    }
    this.ids = ids;
    this.byIdMap = null;
    this.live = live;
    this.lengths = lengths;
    this.dead = 0;
    this.setTerms(kept, starts, docs, freqs);
    this.changed();
  }

  private setTerms(terms: string[], start: Uint32Array<ArrayBufferLike>, docs: Int32Array<ArrayBufferLike>, freqs: Uint32Array<ArrayBufferLike>): void {
    this.terms = terms;
    this.fuzzyCache.clear();
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    // Inserted in term-number order, which is the order MiniSearch first met them: same tree.
    this.dict = new SearchableMap<number>();
    terms.forEach((t, i) => this.dict.set(t, i));
    this.start = start;
    this.docs = docs;
    this.freqs = freqs;
    this.frozenTerms = terms.length;
    this.tails = new Map();
  }

  /** The index as file sections (compacted first). */
  toSections(): Record<string, Section> {
    this.compact();
    return {
      'bm25.meta': { json: { documentCount: this.documentCount, avg: this.avg } },
      'bm25.ids': { strings: this.ids },
      'bm25.lengths.text': this.lengths[0]!.subarray(0, this.ids.length),
      'bm25.lengths.title': this.lengths[1]!.subarray(0, this.ids.length),
      'bm25.terms': { strings: this.terms },
      'bm25.start': this.start,
      'bm25.docs': this.docs,
      'bm25.freqs': this.freqs,
    };
  }

  /** Reads an index written by {@link toSections}; throws on inconsistent data. */
  static fromSections(s: Sections, analyzer: Analyzer): Bm25Index {
    const index = new Bm25Index(analyzer);
    const meta = s.json<{ documentCount: number; avg: number[] }>('bm25.meta');
    const ids = s.strings('bm25.ids');
    const terms = s.strings('bm25.terms');
    // Copies, not views: a view would keep the whole file's buffer (article texts included) alive.
    const start = s.array('bm25.start', 'Uint32Array').slice();
    const docs = s.array('bm25.docs', 'Int32Array').slice();
    const freqs = s.array('bm25.freqs', 'Uint32Array').slice();
    const lengths = [s.array('bm25.lengths.text', 'Uint32Array'), s.array('bm25.lengths.title', 'Uint32Array')];
    if (meta.documentCount !== ids.length || lengths.some((l) => l.length !== ids.length)) throw new Error('document counts disagree');
    if (start.length !== terms.length * FIELD_COUNT + 1 || start[start.length - 1] !== docs.length || docs.length !== freqs.length) {
      throw new Error('postings do not match the term list');
    }
    for (let i = 0; i < docs.length; i++) if (docs[i]! < 0 || docs[i]! >= ids.length) throw new Error('a posting names no document');
    index.ids = ids;
    index.byIdMap = null;
    index.live = new Uint8Array(Math.max(16, ids.length)).fill(1, 0, ids.length);
    index.lengths = lengths.map((l) => {
      const a = new Uint32Array(Math.max(16, ids.length));
      a.set(l);
      return a;
    });
    index.documentCount = meta.documentCount;
    index.avg[0] = meta.avg[0]!;
    index.avg[1] = meta.avg[1]!;
    index.setTerms(terms, start, docs, freqs);
    return index;
  }
}
