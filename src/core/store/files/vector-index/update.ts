/** Bringing the index in a folder in line with the corpus, embedding only what it lacks. */
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Embedder } from '../../../model/index.js';
import { fsyncDir } from '../../../../lib/durable.js';
import { buildId, listDir, readText, writeDataFile } from '../checked-file.js';
import { acquireLock } from '../../../../lib/file-lock.js';
import { buildGraph, extendGraph, HNSW_EF_CONSTRUCTION, HNSW_M, writeGraph, type Graph } from './graph.js';
import { DATA_FILE, inspect, type Inspection } from './inspect.js';
import { FORMAT, FORMAT_VERSION, MANIFEST, compareModel, parseManifest, serializeManifest, type Manifest } from './manifest.js';
import { passageRows, planGraph, planUpdate, referencedRows, resolveEntries, storeNeedsCompaction, type GraphPolicy, type IndexablePassage } from './plan.js';
import { makeIndex, type VectorIndex } from './search.js';
import { forgetSegmentFiles, openSegment, writeSegment, type Segment } from './segments.js';
import type { IndexReport, UpdateStage } from '../../shared/index.js';
import { checkedUnitVectors, textHash } from '../../shared/index.js';
import { VectorStore } from './store.js';
import { NO_ROW, encodeTable, type TableEntry } from './table.js';

/** Arguments of {@link updateVectorIndex}. */
export interface UpdateOptions {
  /** Folder of the index; created when missing. */
  dir: string;
  embedder: Embedder;
  /** The whole corpus as it is now; passages not listed are removed from the index. */
  passages: readonly IndexablePassage[];
  /** Embedding progress, in texts (passages and sentences not yet stored). */
  onProgress?: (done: number, total: number) => void;
  /** One line per notable event (compaction, clean-up, waiting for a lock). Rebuild reasons are in the report, for the caller to say once. */
  log?: (line: string) => void;
  /**
   * Called as the update enters each stage. `embedding` only comes when something is not stored
   * yet; when there is nothing to write, no stage follows it.
   */
  onStage?: (stage: UpdateStage) => void;
  /** How long to wait for another process updating the same folder (said at once, with its pid). Default 2 minutes. */
  lockTimeoutMs?: number;
  /** When to use an HNSW graph rather than exact search (tests use a small corpus with a graph). */
  graph?: Partial<GraphPolicy>;
  /**
   * The index this process last got from an update of the same folder. When the manifest on disk
   * is still the one it was built from, its files are not read and checked again: an update that
   * adds one article to a large index then costs what the article costs.
   */
  previous?: VectorIndex | null;
  /** The folder as {@link prepareVectorIndex} read it, used when still current and for this model. */
  prepared?: Promise<PreparedIndex | null> | null;
  /** The caller guarantees that no two passages share an id (the text index does), so none is checked. */
  uniqueIds?: boolean;
}

/** What an index returned by an update was built from, to reuse in the next update. */
const builtFrom = new WeakMap<VectorIndex, { rawManifest: string; inspection: Inspection }>();

/** The files of an index, read and checked ahead of an update (see {@link prepareVectorIndex}). */
export interface PreparedIndex {
  rawManifest: string;
  inspection: Inspection;
}

/**
 * Reads and checks the index in `dir` for whatever model its manifest names, without waiting for
 * the model: a start reads the index while the model and the text index load. An update given
 * the result uses it when the model matches and the manifest has not changed since.
 */
export async function prepareVectorIndex(dir: string): Promise<PreparedIndex | null> {
  const raw = await readText(path.join(dir, MANIFEST));
  if (raw === null) return null;
  const parsed = parseManifest(raw);
  if (!('manifest' in parsed)) return null;
  const m = parsed.manifest;
  const inspection = await inspect(dir, { modelId: m.modelId, dimension: m.dimension, prefix: m.prefix });
  return inspection.rawManifest === raw ? { rawManifest: raw, inspection } : null;
}

/**
 * Exact search over up to 2,048 distinct passage vectors (≈ 0.5 µs each at 384 dimensions on one
 * core: about 1 ms), HNSW beyond, where exact search would pass 2 ms; up to 512 passage vectors
 * added since the graph was extended are searched exactly next to it (≈ 0.3 ms). Figures from
 * `npm run bench`.
 */
export const GRAPH_POLICY: GraphPolicy = { exactMax: 2048, freshMax: 512, deadShare: 0.2 };

const LOCK = '.lock';
const noop = (): void => {};

/**
 * Brings the index in `dir` in line with `passages`, embedding only what is not stored yet, and
 * returns the loaded result. Damaged or foreign files are never fatal: they lead to a rebuild
 * whose reason is in `report.rebuilt`. Throws only for real failures (embedder errors, disk
 * errors), in which case the previous index is left as it was.
 */
export async function updateVectorIndex(opts: UpdateOptions): Promise<{ index: VectorIndex; report: IndexReport }> {
  const { dir, embedder } = opts;
  if (!Number.isInteger(embedder.dimension) || embedder.dimension <= 0) {
    throw new Error(`embedder ${embedder.modelId} reports an invalid dimension (${embedder.dimension})`);
  }
  await mkdir(dir, { recursive: true });
  const release = await acquireLock(dir, LOCK, opts.log ?? noop, opts.lockTimeoutMs ?? 2 * 60_000, 'vector index');
  try {
    return await updateLocked(opts);
  } finally {
    await release();
  }
}

async function updateLocked(opts: UpdateOptions): Promise<{ index: VectorIndex; report: IndexReport }> {
  const { dir, embedder } = opts;
  const log = opts.log ?? noop;
  const policy = { ...GRAPH_POLICY, ...opts.graph };
  const dim = embedder.dimension;
  const passages = opts.uniqueIds ? opts.passages : dedupe(opts.passages, log);
  const expect = { modelId: embedder.modelId, dimension: dim, prefix: embedder.prefix };
  const known = (opts.previous ? builtFrom.get(opts.previous) : undefined) ?? (opts.prepared ? await opts.prepared.catch(() => null) : null) ?? undefined;
  const onDisk = known ? await readText(path.join(dir, MANIFEST)) : null;
  const reusable = known?.inspection.manifest && !compareModel(known.inspection.manifest, expect) && onDisk === known.rawManifest;
  const prev = reusable ? known.inspection : await inspect(dir, expect, { readLegacy: true });
  const rebuilt = rebuildReason(prev);

  const store = prev.store ?? new VectorStore(dim, []);
  // A lost table is rebuilt from the store: a passage whose texts are all stored was indexed.
  const previous = prev.table?.entries ?? (prev.store ? recoveredEntries(passages, store) : []);
  const plan = planUpdate({ passages, previous, find: (h) => store.find(h), hash: textHash });
  const report: IndexReport = { added: plan.added, changed: plan.changed, removed: plan.removed, unchanged: plan.unchanged, rebuilt };

  // Vectors for texts the store lacks: from a version 1 store being upgraded, else embedded.
  const fresh = new Map<string, Float32Array>();
  if (prev.legacy) {
    for (const [h] of plan.pending) {
      const v = prev.legacy.get(h);
      if (v) fresh.set(h, v);
    }
    for (const h of fresh.keys()) plan.pending.delete(h);
  }
  for (const [h, v] of await embed(embedder, plan.pending, opts, log)) fresh.set(h, v);

  let segments: Segment[] = [...store.segments];
  const newRows = new Map<string, number>();
  const id = buildId();
  if (fresh.size > 0) {
    opts.onStage?.('writing');
    const ref = await writeSegment(dir, `vectors-${id}.bin`, dim, fresh);
    const s = await openSegment(dir, ref, dim, store.rows, MANIFEST);
    if (typeof s === 'string') throw new Error(`vector index: the segment just written does not read back (${s})`);
    segments.push(s);
    [...fresh.keys()].sort().forEach((h, i) => newRows.set(h, s.firstRow + i));
  }
  let current = new VectorStore(dim, segments);
  let entries: TableEntry[] = resolveEntries(plan.entries, newRows);
  let nodeRows: Uint32Array | null = prev.graph && prev.table ? prev.table.nodeRows : null;

  // Compaction: every row still in use copied into one new segment.
  const referenced = referencedRows(entries, current.rows);
  let compacted = false;
  if (storeNeedsCompaction(current.rows, referenced.size, segments.length)) {
    opts.onStage?.('writing');
    log(`vector index: ${current.rows - referenced.size} of ${current.rows} stored vectors unused, in ${segments.length} files; merging them into one`);
    const rows = new Map<string, Float32Array>();
    const hashOf = new Map<number, string>();
    for (const row of referenced) {
      const v = current.read(row);
      if (!v) throw new Error(`vector index: stored vector ${row} is damaged`);
      const h = current.hashOf(row);
      rows.set(h, v);
      hashOf.set(row, h);
    }
    const ref = await writeSegment(dir, `vectors-${id}-all.bin`, dim, rows);
    const s = await openSegment(dir, ref, dim, 0, MANIFEST);
    if (typeof s === 'string') throw new Error(`vector index: the segment just written does not read back (${s})`);
    const rank = new Map([...rows.keys()].sort().map((h, i) => [h, i]));
    const remap = (row: number): number => {
      const h = hashOf.get(row);
      return h === undefined ? NO_ROW : rank.get(h)!;
    };
    entries = entries.map((e) => ({ ...e, row: remap(e.row), sentences: e.sentences.map(remap) }));
    if (nodeRows) nodeRows = nodeRows.map((r) => (r === NO_ROW ? NO_ROW : remap(r)));
    segments = [s];
    current = new VectorStore(dim, segments);
    compacted = true;
  }

  // The graph: kept, extended with the passage vectors outside it, rebuilt, or none at all.
  const builtWith = prev.manifest?.graph;
  const currentParameters = !builtWith || (builtWith.m === HNSW_M && builtWith.efConstruction === HNSW_EF_CONSTRUCTION);
  const action = planGraph(passageRows(entries, current.rows), nodeRows, policy, currentParameters);
  let graph: Graph | null = prev.graph;
  let graphRef = prev.manifest?.graph ?? null;
  let graphChanged = false;
  if (action.kind === 'none') {
    graphChanged = graph !== null || graphRef !== null;
    graph = null;
    graphRef = null;
    nodeRows = null;
  } else if (action.kind === 'build') {
    if (nodeRows) log(`vector index: rebuilding the graph over ${action.rows.length} passage vectors${currentParameters ? '' : ` (built with M=${builtWith!.m}, efConstruction=${builtWith!.efConstruction}; now ${HNSW_M}, ${HNSW_EF_CONSTRUCTION})`}`);
    graph = await buildGraph(current, action.rows);
    nodeRows = Uint32Array.from(action.rows);
    graphChanged = true;
  } else if (action.kind === 'extend') {
    log(`vector index: adding ${action.rows.length} passage vectors to the graph`);
    await extendGraph(graph!, current, action.rows, nodeRows!.length);
    nodeRows = Uint32Array.from([...nodeRows!, ...action.rows]);
    graphChanged = true;
  }

  const facts = { modelId: embedder.modelId, dimension: dim, prefixScheme: embedder.prefix.name };
  const tableUnchanged = prev.table !== null && sameEntries(prev.table.entries, entries) && !compacted;
  if (prev.manifest && rebuilt === null && fresh.size === 0 && tableUnchanged && !graphChanged) {
    // Nothing to write, but a run killed during its clean-up may have left files behind.
    await removeStale(dir, prev.manifest, log);
    const table = { entries, nodeRows: nodeRows ?? new Uint32Array(0) };
    const index = makeIndex({ ...facts, builtAt: prev.manifest.builtAt }, current, table, graph);
    if (prev.rawManifest) remember(index, prev.rawManifest, { ...prev, store: current, table, graph });
    return { index, report };
  }

  // Data files first, each complete and fsynced under a name no manifest uses yet; then the
  // manifest, atomically. A crash anywhere before the manifest's rename leaves the old manifest
  // naming the old, untouched files; after it, the new set is complete.
  opts.onStage?.('writing');
  const table = { entries, nodeRows: nodeRows ?? new Uint32Array(0) };
  const tableRef = await writeDataFile(dir, `table-${id}.bin`, encodeTable(table));
  if (graph && graphChanged) graphRef = await writeGraph(dir, `graph-${id}.hnsw`, graph);
  await fsyncDir(dir);
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    modelId: embedder.modelId,
    dimension: dim,
    prefix: { name: embedder.prefix.name, query: embedder.prefix.query, passage: embedder.prefix.passage },
    buildId: id,
    builtAt: new Date().toISOString(),
    segments: segments.map((s) => s.ref),
    table: { ...tableRef, passages: entries.length },
    graph: graphRef,
  };
  opts.onStage?.('committing');
  const rawManifest = serializeManifest(manifest);
  await writeFileAtomic(path.join(dir, MANIFEST), rawManifest, { fsync: true });
  await fsyncDir(dir);
  opts.onStage?.('cleanup');
  await removeStale(dir, manifest, log);
  const index = makeIndex({ ...facts, builtAt: manifest.builtAt }, current, table, graph);
  remember(index, rawManifest, { manifest, rawManifest, store: current, table, graph, problem: null, modelChange: null, empty: false, legacy: null });
  return { index, report };
}

function remember(index: VectorIndex, rawManifest: string, inspection: Inspection): void {
  builtFrom.set(index, { rawManifest, inspection: { ...inspection, legacy: null } });
}

function recoveredEntries(passages: readonly IndexablePassage[], store: VectorStore): TableEntry[] {
  const out: TableEntry[] = [];
  for (const p of passages) {
    const row = store.find(textHash(p.text));
    const sentences = p.sentences.map((s) => store.find(textHash(s)));
    if (row >= 0 && sentences.every((r) => r >= 0)) out.push({ id: p.id, key: p.key, row, sentences });
  }
  return out;
}

function rebuildReason(prev: Inspection): string | null {
  if (!prev.store) {
    if (prev.legacy) return `${prev.problem}; upgraded, no text embedded again`;
    return prev.empty ? null : (prev.modelChange?.update ?? prev.problem ?? 'previous index unusable');
  }
  if (!prev.table) return `${prev.problem ?? 'passage table unusable'}; table rebuilt from stored vectors`;
  if (prev.manifest?.graph && !prev.graph) return `${prev.problem ?? 'graph unusable'}; graph rebuilt from stored vectors`;
  if (prev.problem) return prev.problem;
  return null;
}

function sameEntries(a: readonly TableEntry[], b: readonly TableEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const n = b[i]!;
      return e.id === n.id && e.key === n.key && e.row === n.row && e.sentences.length === n.sentences.length && e.sentences.every((s, j) => s === n.sentences[j]);
    })
  );
}

/** Duplicate ids would return the same passage twice; keep the first and say so. */
function dedupe(passages: readonly IndexablePassage[], log: (line: string) => void): IndexablePassage[] {
  const seen = new Set<string>();
  const out: IndexablePassage[] = [];
  for (const p of passages) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
  }
  if (out.length < passages.length) log(`vector index: ${passages.length - out.length} passages with a duplicate id ignored`);
  return out;
}

async function embed(embedder: Embedder, pending: Map<string, string>, opts: UpdateOptions, log: (line: string) => void): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  if (pending.size === 0) return out;
  const hashes = [...pending.keys()];
  const texts = [...pending.values()];
  opts.onStage?.('embedding');
  log(`vector index: embedding ${texts.length} texts with ${embedder.modelId}`);
  let last = -1;
  const vectors = await embedder.embedPassages(texts, (done, total) => {
    last = done;
    opts.onProgress?.(done, total);
  });
  if (last !== texts.length) opts.onProgress?.(texts.length, texts.length);
  checkedUnitVectors(embedder, vectors, texts.length, { sayExpected: true }).forEach((v, i) => out.set(hashes[i]!, v));
  return out;
}

/** Deletes files of earlier builds and leftovers of killed ones; only after the new manifest is in place. */
async function removeStale(dir: string, m: Manifest, log: (line: string) => void): Promise<void> {
  const keep = new Set([m.table.name, ...m.segments.map((s) => s.name), ...(m.graph ? [m.graph.name] : [])]);
  const stale = (await listDir(dir)).filter((f) => DATA_FILE.test(f) && !keep.has(f));
  for (const f of stale) await unlink(path.join(dir, f)).catch(() => undefined);
  if (stale.length > 0) {
    log(`vector index: removed ${stale.length} stale files`);
    // Readers of the previous index may still read the removed segments for a moment: their
    // descriptors stay open (the data stays readable) and are closed a minute later.
    const removed = stale.map((f) => path.join(dir, f));
    setTimeout(() => forgetSegmentFiles(removed), 60_000).unref();
  }
}
