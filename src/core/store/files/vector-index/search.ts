/**
 * The loaded index: nearest passages to a question, and stored vectors by text. Passage vectors
 * in the HNSW graph are searched there; the others (all of them below the exact-search size, or
 * the few added since the graph was last extended) by an exact scan; the two lists are merged.
 * Passages with the same text share one vector and come back together, in table order.
 */
import type { Graph } from './graph.js';
import { textHash } from '../../shared/index.js';
import type { VectorStore } from './store.js';
import { NO_ROW, type Table } from './table.js';

/** A loaded index, ready to search. */
export interface VectorIndex {
  readonly modelId: string;
  readonly dimension: number;
  /** Name of the prefix scheme the passages were embedded with. */
  readonly prefixScheme: string;
  /** ISO time the manifest was written. */
  readonly builtAt: string;
  /** Number of live passages. */
  readonly size: number;
  /**
   * The `k` passages nearest to `queryVector` (need not be unit length), best first;
   * `score` is cosine similarity. Only live passages are returned.
   */
  search(queryVector: readonly number[], k: number): { id: string; score: number }[];
  /** The stored vector of a sentence (passage prefix), looked up by its exact text. */
  sentenceVector(sentence: string): number[] | undefined;
  /** The stored vector of a live passage. */
  passageVector(id: string): number[] | undefined;
}

/**
 * Search-time `ef` floor: the smallest that reaches recall@10 0.98 on `npm run bench`'s corpus at
 * 100,000 passages with the graph graph.ts builds, while keeping the median search near 2 ms on
 * two cores (see docs/performance.md). The corpus's near-duplicates make HNSW's misses near-ties.
 * Above k = EF / 2 it grows as 2k, since ef below k is silently raised to k by hnswlib and ef ≈ k
 * loses recall at the tail of the list.
 */
export const SEARCH_EF = 768;

/** Sentence vectors kept decoded (a few MB): the sentences of the passages questions come back to. */
const SENTENCE_CACHE = 4096;

interface IndexFacts {
  modelId: string;
  dimension: number;
  prefixScheme: string;
  builtAt: string;
}

interface Hit {
  row: number;
  score: number;
}

export function makeIndex(facts: IndexFacts, store: VectorStore, table: Table, graph: Graph | null, ef = SEARCH_EF): VectorIndex {
  const { entries } = table;
  const dim = facts.dimension;
  // Built at the first passage lookup: a start answers its first question without it unless
  // the model's calibration reads passage vectors.
  let rowOfIdMap: Map<string, number> | null = null;
  const rowOfId = (id: string): number | undefined => {
    if (!rowOfIdMap) {
      rowOfIdMap = new Map();
      for (const e of entries) rowOfIdMap.set(e.id, e.row);
    }
    return rowOfIdMap.get(id);
  };
  // Rows a live passage uses: the store keeps vectors of removed texts until it is compacted,
  // but they are not this index's to give.
  const rows = store.rows;
  const live = new Uint8Array(rows);
  for (const e of entries) {
    live[e.row] = 1;
    for (const r of e.sentences) live[r] = 1;
  }
  // Passages grouped by the row of their text, in table order within a row (a counting sort):
  // the passages of row r are order[start[r]] … order[start[r + 1] - 1].
  const start = new Int32Array(rows + 1);
  for (const e of entries) start[e.row + 1]!++;
  for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
  const order = new Int32Array(entries.length);
  const next = start.slice(0, rows);
  entries.forEach((e, i) => (order[next[e.row]!++] = i));
  const hasPassages = (row: number): boolean => row >= 0 && row < rows && start[row + 1]! > start[row]!;

  // Graph nodes no live passage uses are left out of its results; passage rows outside the
  // graph are scanned exactly.
  const inGraph = new Uint8Array(rows);
  let liveNodes = 0;
  if (graph) {
    table.nodeRows.forEach((row, label) => {
      if (row !== NO_ROW && hasPassages(row) && !inGraph[row]) {
        inGraph[row] = 1;
        liveNodes++;
      } else {
        markDeleted(graph, label);
      }
    });
  }
  const scanned: number[] = [];
  for (let r = 0; r < rows; r++) if (hasPassages(r) && !inGraph[r]) scanned.push(r);
  const matrix = new Float32Array(scanned.length * dim);
  scanned.forEach((row, i) => {
    const v = store.read(row);
    if (v) matrix.set(v, i * dim);
  });
  const labelRow = table.nodeRows;
  if (graph) graph.setEf(ef);
  let currentEf = ef;

  const sentences = new Map<string, number[] | null>();
  const vector = (row: number | undefined): number[] | undefined => {
    if (row === undefined || row < 0 || !live[row]) return undefined;
    const v = store.read(row);
    return v ? Array.from(v) : undefined;
  };

  return {
    ...facts,
    size: entries.length,
    search(queryVector, k) {
      if (queryVector.length !== dim) throw new Error(`query vector has dimension ${queryVector.length}, index has ${dim}`);
      const n = Math.min(Math.floor(k), entries.length);
      if (!(n > 0)) return [];
      let norm = 0;
      for (const x of queryVector) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      const q = Float32Array.from(queryVector, (x) => x / norm);
      const hits = exactTop(matrix, scanned, q, dim, n);
      if (graph && liveNodes > 0) {
        const want = Math.max(ef, 2 * n);
        if (want !== currentEf) graph.setEf((currentEf = want));
        let found: { neighbors: number[]; distances: number[] };
        try {
          found = graph.searchKnn(Array.from(q), Math.min(n, liveNodes));
        } catch {
          // hnswlib throws when it finds fewer than k live nodes (possible with many deleted ones):
          // scan the graph's rows instead, exactly.
          const graphRows: number[] = [];
          for (let r = 0; r < rows; r++) if (inGraph[r]) graphRows.push(r);
          const all = new Float32Array(graphRows.length * dim);
          graphRows.forEach((row, i) => all.set(store.read(row) ?? new Float32Array(dim), i * dim));
          found = { neighbors: [], distances: [] };
          hits.push(...exactTop(all, graphRows, q, dim, n));
        }
        found.neighbors.forEach((label, i) => hits.push({ row: labelRow[label]!, score: 1 - found.distances[i]! }));
      }
      hits.sort((a, b) => b.score - a.score || a.row - b.row);
      const out: { id: string; score: number }[] = [];
      for (const { row, score } of hits) {
        if (!hasPassages(row)) continue;
        for (let i = start[row]!; i < start[row + 1]! && out.length < n; i++) out.push({ id: entries[order[i]!]!.id, score });
        if (out.length >= n) break;
      }
      return out;
    },
    sentenceVector(sentence) {
      let v = sentences.get(sentence);
      if (v === undefined) {
        v = vector(store.find(textHash(sentence))) ?? null;
        if (sentences.size >= SENTENCE_CACHE) sentences.delete(sentences.keys().next().value!);
        sentences.set(sentence, v);
      }
      return v ?? undefined;
    },
    passageVector: (id) => vector(rowOfId(id)),
  };
}

function markDeleted(graph: Graph, label: number): void {
  try {
    graph.markDelete(label);
  } catch {
    // Already marked (a graph object shared with the previous index).
  }
}

/** The `n` best rows of an exact scan, best first. */
function exactTop(matrix: Float32Array, rows: readonly number[], q: Float32Array, dim: number, n: number): Hit[] {
  const best: Hit[] = [];
  let worst = -Infinity;
  for (let r = 0, off = 0; r < rows.length; r++, off += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      s0 += matrix[off + j]! * q[j]!;
      s1 += matrix[off + j + 1]! * q[j + 1]!;
      s2 += matrix[off + j + 2]! * q[j + 2]!;
      s3 += matrix[off + j + 3]! * q[j + 3]!;
    }
    for (; j < dim; j++) s0 += matrix[off + j]! * q[j]!;
    const score = s0 + s1 + s2 + s3;
    if (best.length < n) {
      best.push({ row: rows[r]!, score });
      if (best.length === n) {
        best.sort((a, b) => b.score - a.score || a.row - b.row);
        worst = best[n - 1]!.score;
      }
    } else if (score > worst) {
      let p = n - 1;
      while (p > 0 && best[p - 1]!.score < score) {
        best[p] = best[p - 1]!;
        p--;
      }
      best[p] = { row: rows[r]!, score };
      worst = best[n - 1]!.score;
    }
  }
  return best;
}
