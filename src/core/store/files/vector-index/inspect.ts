/** Reading what is on disk, checking every file against the manifest before anything trusts it. */
import path from 'node:path';
import { listDir, readChecked, readText } from '../checked-file.js';
import { readGraph, type Graph } from './graph.js';
import { parseLegacy, readLegacyVectors } from './legacy.js';
import { MANIFEST, compareModel, parseManifest, type Manifest, type ModelExpectation } from './manifest.js';
import { openSegment, type Segment } from './segments.js';
import { VectorStore } from './store.js';
import { decodeTable, type Table } from './table.js';

/** Our data files, temp files of ours and of write-file-atomic (`name.<number>`), and version 1's. */
export const DATA_FILE = /^(?:(?:table-[\w-]+\.bin|vectors-[\w-]+\.bin|graph-[\w-]+\.hnsw|passages-[\w-]+\.hnsw)(?:\.tmp|\.\d+)?|manifest\.json\.\d+)$/;

export interface Inspection {
  /** Checksum-valid manifest of this format, whatever model it names. */
  manifest: Manifest | null;
  rawManifest: string | null;
  /** Reusable vectors: same model, dimension and prefix; every segment intact. */
  store: VectorStore | null;
  /** Reusable passage table (needs the store). */
  table: Table | null;
  /** Reusable graph, checked against the store; null also when the index has none. */
  graph: Graph | null;
  /** First thing that stopped full reuse. */
  problem: string | null;
  /** Set when the manifest is for another model, dimension or prefix scheme. */
  modelChange: { load: string; update: string } | null;
  /** Nothing of an index in the folder: a first build, not a rebuild. */
  empty: boolean;
  /** Vectors of a version 1 index of the same model, to upgrade without embedding again. */
  legacy: Map<string, Float32Array> | null;
}

export async function inspect(dir: string, expect: ModelExpectation, { readLegacy = false } = {}): Promise<Inspection> {
  const out: Inspection = { manifest: null, rawManifest: null, store: null, table: null, graph: null, problem: null, modelChange: null, empty: false, legacy: null };
  const raw = await readText(path.join(dir, MANIFEST));
  if (raw === null) {
    out.empty = !(await listDir(dir)).some((f) => DATA_FILE.test(f));
    out.problem = out.empty ? `missing: no index in ${dir} (no ${MANIFEST})` : `missing: ${MANIFEST} is gone but index data files remain in ${dir}`;
    return out;
  }
  out.rawManifest = raw;
  const parsed = parseManifest(raw);
  if ('problem' in parsed) {
    out.problem = parsed.problem;
    return out;
  }
  if ('legacy' in parsed) {
    out.problem = `unsupported: ${MANIFEST} is format version ${parsed.legacy}; \`npm run index\` upgrades it`;
    const legacy = parseLegacy(parsed.body);
    if (readLegacy && legacy && !compareModel(legacy, expect)) {
      const vectors = await readLegacyVectors(dir, legacy);
      if (typeof vectors !== 'string') out.legacy = vectors;
    }
    return out;
  }
  const m = parsed.manifest;
  out.manifest = m;
  out.modelChange = compareModel(m, expect);
  if (out.modelChange) return out;

  const segments: Segment[] = [];
  let firstRow = 0;
  for (const ref of m.segments) {
    const s = await openSegment(dir, ref, m.dimension, firstRow, MANIFEST);
    if (typeof s === 'string') {
      out.problem = s;
      return out;
    }
    segments.push(s);
    firstRow += ref.count;
  }
  const store = new VectorStore(m.dimension, segments);
  out.store = store;

  const tableBytes = await readChecked(dir, m.table, MANIFEST);
  const table = typeof tableBytes === 'string' ? tableBytes : decodeTable(tableBytes, m.table.name, store.rows);
  if (typeof table === 'string') {
    out.problem = table;
    return out;
  }
  if (table.entries.length !== m.table.passages) {
    out.problem = `manifest does not match ${m.table.name}: it lists ${table.entries.length} passages, ${MANIFEST} says ${m.table.passages}`;
    return out;
  }
  out.table = table;

  if (m.graph) {
    const graph = await readGraph(dir, m.graph, store, table.nodeRows, MANIFEST);
    if (typeof graph === 'string') out.problem = graph;
    else out.graph = graph;
  } else if (table.nodeRows.length > 0) {
    out.problem = `manifest does not match ${m.table.name}: it lists graph nodes but ${MANIFEST} names no graph`;
  }
  return out;
}
