/**
 * The HNSW graph over passage vectors (hnswlib), one node per distinct passage text; node labels
 * are indexes into the table's `nodeRows`. Built or extended in slices that yield to the event
 * loop, written through a temporary file that is read back before the manifest may name it, and
 * read only after its checksum matched: hnswlib trusts its input and can crash on garbage.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW as Graph } from 'hnswlib-node';
import { fsyncFile } from '../../../../lib/durable.js';
import { checkFile, errorLine, hashFile } from '../checked-file.js';
import type { VectorStore } from './store.js';
import { NO_ROW } from './table.js';
import { cosine } from '../../../../lib/vectors.js';

const { HierarchicalNSW } = hnswlib;
export type { Graph };

// Construction parameters, chosen on `npm run bench`'s generated news corpus (many near-duplicate
// passages): M 48 finds the same neighbours as M 32 in fewer hops, and efConstruction is what
// moves recall once passages are inserted in the corpus's order (plan.ts); its cost is paid once,
// since an update inserts only new passages and a graph is rebuilt only when a fifth of it is dead
// or these parameters change. A fixed seed makes builds reproducible. Figures: docs/performance.md.
export const HNSW_M = 48;
export const HNSW_EF_CONSTRUCTION = 1600;
const HNSW_SEED = 100;
const MIN_CAPACITY = 16;
const CAPACITY_HEADROOM = 1.25;
/**
 * Graph insertions between two turns of the event loop: few enough that a running bot's questions
 * wait tens of milliseconds, not seconds, during an update (see docs/performance.md).
 */
const GRAPH_SLICE = 16;

interface GraphRef {
  name: string;
  bytes: number;
  sha256: string;
  nodes: number;
  capacity: number;
  m: number;
  efConstruction: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function vectorOf(store: VectorStore, row: number): number[] {
  const v = store.read(row);
  if (!v) throw new Error(`vector index: stored vector ${row} is damaged`);
  return Array.from(v);
}

/** A new graph over `rows` (label i is rows[i]). */
export async function buildGraph(store: VectorStore, rows: readonly number[]): Promise<Graph> {
  const graph = new HierarchicalNSW('cosine', store.dim);
  graph.initIndex(Math.max(MIN_CAPACITY, Math.ceil(rows.length * CAPACITY_HEADROOM)), HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_SEED);
  await insert(graph, store, rows, 0);
  return graph;
}

/** Adds `rows` to `graph` as labels `firstLabel`, `firstLabel + 1`, …, growing it as needed. */
export async function extendGraph(graph: Graph, store: VectorStore, rows: readonly number[], firstLabel: number): Promise<void> {
  const needed = graph.getCurrentCount() + rows.length;
  if (needed > graph.getMaxElements()) graph.resizeIndex(Math.max(needed, Math.ceil(graph.getMaxElements() * 1.5)));
  await insert(graph, store, rows, firstLabel);
}

async function insert(graph: Graph, store: VectorStore, rows: readonly number[], firstLabel: number): Promise<void> {
  for (const [i, row] of rows.entries()) {
    graph.addPoint(vectorOf(store, row), firstLabel + i);
    // Inserting is synchronous: in slices, so a large update never holds the event loop.
    if (i % GRAPH_SLICE === GRAPH_SLICE - 1) await yieldToEventLoop();
  }
}

export async function writeGraph(dir: string, name: string, graph: Graph): Promise<GraphRef> {
  const final = path.join(dir, name);
  const tmp = `${final}.tmp`;
  // hnswlib writes through a plain ofstream and reports no I/O error, so the file is read back:
  // the manifest must only ever name a graph that loads.
  await graph.writeIndex(tmp);
  const written = await hashFile(tmp);
  const check = new HierarchicalNSW('cosine', graph.getNumDimensions());
  await check.readIndex(tmp);
  if (check.getCurrentCount() !== graph.getCurrentCount()) {
    throw new Error(`vector index: ${tmp} does not read back (${check.getCurrentCount()} of ${graph.getCurrentCount()} elements)`);
  }
  await fsyncFile(tmp);
  await rename(tmp, final);
  return { name, bytes: written.bytes, sha256: written.sha256, nodes: graph.getCurrentCount(), capacity: graph.getMaxElements(), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION };
}

/** The graph named by `ref`, checked against the store; or the problem in one line. */
export async function readGraph(dir: string, ref: GraphRef, store: VectorStore, nodeRows: Uint32Array, namedBy: string): Promise<Graph | string> {
  const problem = await checkFile(dir, ref, namedBy);
  if (problem) return problem;
  const graph = new HierarchicalNSW('cosine', store.dim);
  try {
    // Only ever reached with a file whose checksum matched (graph files are never rewritten in place).
    await graph.readIndex(path.join(dir, ref.name));
  } catch (err) {
    return `corrupt: hnswlib cannot read ${ref.name} (${errorLine(err)})`;
  }
  const mismatch = checkGraph(graph, ref, store, nodeRows);
  return mismatch ? `manifest does not match ${ref.name}: ${mismatch}` : graph;
}

function checkGraph(graph: Graph, ref: GraphRef, store: VectorStore, nodeRows: Uint32Array): string | null {
  if (graph.getNumDimensions() !== store.dim) return `graph has dimension ${graph.getNumDimensions()}`;
  if (graph.getCurrentCount() !== ref.nodes || nodeRows.length !== ref.nodes) {
    return `graph holds ${graph.getCurrentCount()} elements, the manifest says ${ref.nodes} and the table ${nodeRows.length}`;
  }
  // Labels could still point at the wrong vectors (files from two builds of the same size); a
  // sample of graph points compared with the store catches that for the cost of a few reads.
  const step = Math.max(1, Math.floor(nodeRows.length / 32));
  for (let label = 0; label < nodeRows.length; label += step) {
    const row = nodeRows[label]!;
    if (row === NO_ROW) continue;
    const stored = store.read(row);
    if (!stored) return `stored vector ${row} is damaged`;
    let point: number[];
    try {
      point = graph.getPoint(label);
    } catch {
      return `label ${label} is not in the graph`;
    }
    if (cosine(point, stored) < 0.999) return `label ${label} holds another vector than row ${row}`;
  }
  return null;
}
