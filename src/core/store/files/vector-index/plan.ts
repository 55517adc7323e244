/**
 * What an update must do, decided without touching the disk or the model: pure functions over
 * the stored table, the current passages and the store's contents, tested directly.
 */
import type { TableEntry } from './table.js';
import { NO_ROW } from './table.js';
import { diffPassages } from '../../shared/index.js';

/** What the index needs of a passage; `Passage` from `types.ts` fits as is. */
export interface IndexablePassage {
  /** Stable, content-derived id: what search returns. The same id always has the same text. */
  id: string;
  /** Position key (`articleId:ordinal`): tells a changed passage from a new one. */
  key: string;
  text: string;
  sentences: string[];
}

/** A stored vector's row, or the hash of a text still to embed. */
type Slot = number | string;

interface PlannedEntry {
  id: string;
  key: string;
  text: Slot;
  /** Stored rows as they are in the table, or slots of a passage being added. */
  sentences: readonly Slot[] | Uint32Array;
}

interface UpdatePlan {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** One entry per passage, in the order given. */
  entries: PlannedEntry[];
  /** Texts the store lacks, by hash, each once. */
  pending: Map<string, string>;
}

interface PlanInput {
  passages: readonly IndexablePassage[];
  /** The stored table (empty for a first build or when the store is unusable). */
  previous: readonly TableEntry[];
  /** Row of a stored text's hash, or -1. */
  find: (hash: string) => number;
  hash: (text: string) => string;
}

/**
 * Diffs passages against the stored table ({@link diffPassages}). An unchanged passage keeps its
 * stored rows (nothing is hashed again); only the texts of changed and new passages are hashed
 * and looked up, and those the store lacks are pending. Unlike PostgreSQL, which keeps a
 * passage's vector in the passage's row, every vector here is stored by its text's hash, so a
 * new passage whose text or sentence is already stored reuses that row.
 */
export function planUpdate({ passages, previous, find, hash }: PlanInput): UpdatePlan {
  const diff = diffPassages(passages, previous);
  const entries: PlannedEntry[] = passages.map((p, i) => {
    const old = previous[diff.kept[i]!];
    return old ? { id: p.id, key: p.key, text: old.row, sentences: old.sentences } : { id: p.id, key: p.key, text: '', sentences: [] };
  });
  const pending = new Map<string, string>();
  const slot = (text: string): Slot => {
    const h = hash(text);
    const row = find(h);
    if (row >= 0) return row;
    if (!pending.has(h)) pending.set(h, text);
    return h;
  };
  for (const i of diff.fresh) {
    const p = passages[i]!;
    const e = entries[i]!;
    e.text = slot(p.text);
    e.sentences = p.sentences.map(slot);
  }
  return { added: diff.added, changed: diff.changed, removed: diff.removed, unchanged: diff.unchanged, entries, pending };
}

/** The table entries once pending texts have rows. */
export function resolveEntries(entries: readonly PlannedEntry[], rowOf: ReadonlyMap<string, number>): TableEntry[] {
  const row = (s: Slot): number => {
    if (typeof s === 'number') return s;
    const r = rowOf.get(s);
    if (r === undefined) throw new Error(`vector index: no vector for text ${s}`);
    return r;
  };
  return entries.map((e) => ({ id: e.id, key: e.key, row: row(e.text), sentences: e.sentences instanceof Uint32Array ? e.sentences : e.sentences.map(row) }));
}

/** A set of rows as a bitmap: row numbers are dense, and a corpus has hundreds of thousands. */
class RowSet implements Iterable<number> {
  private readonly bits: Uint8Array;
  size = 0;

  constructor(rows: number) {
    this.bits = new Uint8Array(rows);
  }

  add(row: number): void {
    if (!this.bits[row]) {
      this.bits[row] = 1;
      this.size++;
    }
  }

  has(row: number): boolean {
    return this.bits[row] === 1;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let r = 0; r < this.bits.length; r++) if (this.bits[r]) yield r;
  }
}

/** Rows any live passage still uses (its text or a sentence), among the store's `rows`. */
export function referencedRows(entries: readonly TableEntry[], rows: number): RowSet {
  const out = new RowSet(rows);
  for (const e of entries) {
    out.add(e.row);
    for (const s of e.sentences) out.add(s);
  }
  return out;
}

/** A RowSet that lists its rows in the order they were first added. */
class OrderedRowSet extends RowSet {
  private readonly order: number[] = [];

  override add(row: number): void {
    if (!this.has(row)) this.order.push(row);
    super.add(row);
  }

  override *[Symbol.iterator](): Iterator<number> {
    yield* this.order;
  }
}

/** Rows of the live passages' own texts, in the table's order (the corpus's: article by article). */
export function passageRows(entries: readonly TableEntry[], rows: number): OrderedRowSet {
  const out = new OrderedRowSet(rows);
  for (const e of entries) out.add(e.row);
  return out;
}

/** When to merge every segment into one: a quarter of the rows unused, or too many segments. */
export function storeNeedsCompaction(rows: number, referenced: number, segments: number): boolean {
  return segments > MAX_SEGMENTS || (rows > 0 && rows - referenced > COMPACT_UNUSED_SHARE * rows);
}
const MAX_SEGMENTS = 16;
const COMPACT_UNUSED_SHARE = 0.25;

export interface GraphPolicy {
  /** At or below this many distinct passage vectors, search is exact and there is no graph. */
  exactMax: number;
  /** Passage vectors outside the graph (searched exactly) before they are inserted into it. */
  freshMax: number;
  /** Share of graph nodes no live passage uses, past which the graph is rebuilt without them. */
  deadShare: number;
}

type GraphAction =
  | { kind: 'keep' }
  /** No graph: search is exact. */
  | { kind: 'none' }
  | { kind: 'build'; rows: number[] }
  | { kind: 'extend'; rows: number[] };

/**
 * Keeps, extends, rebuilds or drops the HNSW graph. Passage vectors not in the graph are searched
 * exactly next to it, so an update that adds a few passages leaves the graph file alone; they are
 * inserted in a batch once there are `freshMax` of them. A graph built with other construction
 * parameters than today's (`current` false) is rebuilt, so a change of them reaches old indexes.
 *
 * Rows are inserted in `liveRows`' order, which update.ts makes the corpus's: an article's
 * passages one after another. The order of insertion shapes an HNSW graph: corpus order gives
 * clearly better recall than the store's row order (sorted by text hash, in effect random); see
 * docs/performance.md.
 */
export function planGraph(
  liveRows: Iterable<number> & { readonly size: number; has(row: number): boolean },
  nodeRows: Uint32Array | null,
  policy: GraphPolicy,
  current = true,
): GraphAction {
  if (liveRows.size <= policy.exactMax) return { kind: 'none' };
  if (!nodeRows || !current) return { kind: 'build', rows: [...liveRows] };
  const inGraph = new Set<number>();
  let dead = 0;
  for (const r of nodeRows) {
    if (r !== NO_ROW && liveRows.has(r) && !inGraph.has(r)) inGraph.add(r);
    else dead++;
  }
  if (dead > policy.deadShare * nodeRows.length) return { kind: 'build', rows: [...liveRows] };
  const fresh = [...liveRows].filter((r) => !inGraph.has(r));
  if (fresh.length > policy.freshMax) return { kind: 'extend', rows: fresh };
  return { kind: 'keep' };
}
