/**
 * The dense passage index kept under `embeddings/`: an HNSW graph over passage vectors, a store of
 * passage and sentence vectors, and a manifest that ties them together.
 *
 * Layout of `dir` (one consistent set, named by the manifest):
 *
 * - `manifest.json` — format version, model id, dimension, prefix scheme, one line per live
 *   passage (`label`, `id`, `key`, content `hash`), tombstoned labels, build time, and name, size
 *   and SHA-256 of the two data files. It carries its own checksum. Written last.
 * - `passages-<buildId>.hnsw` — the hnswlib graph (labels are uint32; the manifest maps them to ids).
 * - `vectors-<buildId>.bin` — every vector this index knows, keyed by a 128-bit hash of the text it
 *   embeds: each passage text and each sentence, all embedded with the passage prefix. Header
 *   `NQBV`, u32 version, u32 dimension, u32 count (little-endian), then `count` 16-byte hashes, then
 *   `count × dimension` little-endian float32. A passage that is one sentence shares its row.
 * - `.lock` — present only while an update runs.
 *
 * Data files get a fresh build id whenever their content changes, so a manifest only ever names
 * files that were complete and fsynced before it was written, and an old manifest never names new
 * data. Old files are deleted only after the new manifest is in place.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW as Graph } from 'hnswlib-node';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { Embedder, PrefixScheme } from './embedder-types.js';

const { HierarchicalNSW } = hnswlib;

/** What the index needs of a passage; `Passage` from `types.ts` fits as is. */
export interface IndexablePassage {
  /** Stable, content-derived id: what search returns. */
  id: string;
  /** Position key (`articleId:ordinal`): tells a changed passage from a new one. */
  key: string;
  text: string;
  sentences: string[];
}

/** What an update did, counted in passages. */
export interface IndexReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /**
   * One-line reason when the index was rebuilt rather than updated (other model, missing or
   * damaged files), or null. When stored vectors could not be reused, every passage counts as
   * added; when only the graph was rebuilt from stored vectors, the counts are the usual diff.
   */
  rebuilt: string | null;
}

/** A loaded index, fully in memory. */
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

/** Points in an update where it reports progress; the crash tests stop a process at each. */
export type UpdateStage = 'embedding' | 'writing' | 'committing' | 'cleanup';

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
  /** How long to wait for another process updating the same folder. Default 10 minutes. */
  lockTimeoutMs?: number;
}

/** What {@link loadVectorIndex} checks the index against. */
export interface LoadExpectation {
  modelId: string;
  dimension: number;
  /** Also require this prefix scheme name when given. */
  prefixScheme?: string;
}

/** Result of {@link loadVectorIndex}: the index, or one line saying why it cannot be used. */
export type LoadResult = { ok: true; index: VectorIndex } | { ok: false; problem: string };

const FORMAT = 'news-quote-bot/vector-index';
const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const LOCK = '.lock';
const VECTORS_MAGIC = 'NQBV';
const VECTORS_VERSION = 1;
const VECTORS_HEADER_BYTES = 16;
const HASH_BYTES = 16;

// hnswlib's defaults, written down so a rebuild gives the same graph: M=16 and efConstruction=200
// are ample for tens of thousands of passages, and a fixed seed makes builds reproducible.
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 200;
const HNSW_SEED = 100;
const MIN_CAPACITY = 16;
const CAPACITY_HEADROOM = 1.25;

/**
 * Search-time `ef` floor. One question runs one search, and at this corpus size (≤ ~100k passages)
 * ef=100 costs well under a millisecond while giving near-exact recall, so there is nothing to gain
 * from a lower value. Above k=50 it grows as 2k, since ef below k is silently raised to k by hnswlib
 * and ef≈k loses recall at the tail of the list.
 */
const MIN_EF = 100;

/**
 * Rebuild the graph from stored vectors once tombstones exceed this share of its elements.
 * Tombstoned nodes still take memory and are still walked during search (they are only left out
 * of the results), and the links around them are never repaired, so many of them slow search and
 * cost recall. Rebuilding needs no embedding — every vector is in the store — so it is cheap; a
 * few tombstones between rebuilds are fine and keep small updates incremental.
 */
const COMPACT_RATIO = 0.2;
const MAX_LABEL = 0xffff_ffff;

// ---------------------------------------------------------------------------------------------
// Public API

/** `12 new, 3 changed, 1 removed, 84 unchanged`, plus the rebuild reason when there is one. */
export function formatReport(r: IndexReport): string {
  const counts = `${r.added} new, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged`;
  return r.rebuilt === null ? counts : `${counts} (rebuilt: ${r.rebuilt})`;
}

/**
 * Loads the index in `dir` after checking every file against the manifest. Never throws for a
 * bad index: `problem` says, in one line, whether it is missing, truncated, corrupt, built with
 * another model, or does not match its manifest.
 */
export async function loadVectorIndex(dir: string, expect: LoadExpectation): Promise<LoadResult> {
  // An update running in another process may delete the files an old manifest names between our
  // reading the manifest and reading them; when the manifest changed meanwhile, read again.
  for (let attempt = 0; ; attempt++) {
    const found = await inspect(dir, expect);
    if (found.graph && found.store && found.manifest) {
      return { ok: true, index: makeIndex(found.manifest, found.store, found.graph) };
    }
    const problem = found.modelChange?.load ?? found.problem ?? `missing: no index in ${dir}`;
    if (attempt >= 2 || (await readText(path.join(dir, MANIFEST))) === found.rawManifest) {
      return { ok: false, problem };
    }
  }
}

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
  const release = await acquireLock(dir, opts.log ?? noop, opts.lockTimeoutMs ?? 10 * 60_000);
  try {
    return await updateLocked(opts);
  } finally {
    await release();
  }
}

// ---------------------------------------------------------------------------------------------
// Manifest

const fileSchema = z.object({
  name: z.string().regex(/^[\w.-]+$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  modelId: z.string(),
  dimension: z.number().int().positive(),
  prefix: z.object({ name: z.string(), query: z.string(), passage: z.string() }),
  buildId: z.string(),
  builtAt: z.string(),
  hnsw: fileSchema.extend({
    capacity: z.number().int().nonnegative(),
    elements: z.number().int().nonnegative(),
    m: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
  }),
  vectors: fileSchema.extend({ count: z.number().int().nonnegative() }),
  nextLabel: z.number().int().nonnegative().max(MAX_LABEL + 1),
  tombstones: z.array(z.number().int().nonnegative().max(MAX_LABEL)),
  passages: z.array(
    z.object({
      label: z.number().int().nonnegative().max(MAX_LABEL),
      id: z.string(),
      key: z.string(),
      hash: z.string().regex(/^[0-9a-f]{32}$/),
    }),
  ),
});

type Manifest = z.infer<typeof manifestSchema>;
type ManifestEntry = Manifest['passages'][number];
type FileRecord = z.infer<typeof fileSchema>;

/**
 * One passage per line so the manifest stays readable and diffable; the checksum covers the
 * compact serialisation of everything but itself, which JSON.parse + JSON.stringify reproduces.
 */
function serializeManifest(m: Manifest): string {
  const checksum = sha256(JSON.stringify(m));
  const full: Record<string, unknown> = { ...m, checksum };
  const lines = Object.entries(full).map(([k, v]) =>
    k === 'passages' && Array.isArray(v) && v.length > 0
      ? `  "passages": [\n${v.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  return `{\n${lines.join(',\n')}\n}\n`;
}

function parseManifest(text: string): { manifest: Manifest } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: `corrupt: ${MANIFEST} is not valid JSON (${text.length} bytes; truncated?)` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problem: `corrupt: ${MANIFEST} is not an object` };
  }
  const { checksum, ...body } = raw as Record<string, unknown>;
  if (typeof checksum !== 'string' || checksum !== sha256(JSON.stringify(body))) {
    return { problem: `corrupt: ${MANIFEST} fails its own checksum (edited or damaged)` };
  }
  if (body['format'] !== FORMAT) return { problem: `corrupt: ${MANIFEST} is not a vector index manifest` };
  if (body['version'] !== FORMAT_VERSION) {
    return { problem: `unsupported: ${MANIFEST} is format version ${String(body['version'])}, this code reads ${FORMAT_VERSION}` };
  }
  const parsed = manifestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `corrupt: ${MANIFEST} field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}` };
  }
  return { manifest: parsed.data };
}

/** Internal consistency a checksum cannot vouch for (it only proves the file is what was written). */
function checkEntries(m: Manifest): string | null {
  const labels = new Set<number>();
  const ids = new Set<string>();
  for (const e of m.passages) {
    if (labels.has(e.label)) return `label ${e.label} is listed twice`;
    if (ids.has(e.id)) return `passage ${e.id} is listed twice`;
    if (e.label >= m.nextLabel) return `label ${e.label} is not below nextLabel ${m.nextLabel}`;
    labels.add(e.label);
    ids.add(e.id);
  }
  for (const t of m.tombstones) {
    if (labels.has(t)) return `label ${t} is both live and deleted`;
    labels.add(t);
  }
  if (labels.size !== m.hnsw.elements) {
    return `${labels.size} labels listed but the graph holds ${m.hnsw.elements}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Vector store

interface VectorStore {
  dim: number;
  /** Row order. */
  hashes: string[];
  rows: Map<string, number>;
  data: Float32Array;
}

function storeGet(s: VectorStore, hash: string): Float32Array | undefined {
  const row = s.rows.get(hash);
  return row === undefined ? undefined : s.data.subarray(row * s.dim, (row + 1) * s.dim);
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

function encodeStore(s: VectorStore): Buffer {
  const n = s.hashes.length;
  const floatsAt = VECTORS_HEADER_BYTES + n * HASH_BYTES;
  const buf = Buffer.alloc(floatsAt + s.data.byteLength);
  buf.write(VECTORS_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(VECTORS_VERSION, 4);
  buf.writeUInt32LE(s.dim, 8);
  buf.writeUInt32LE(n, 12);
  s.hashes.forEach((h, i) => buf.write(h, VECTORS_HEADER_BYTES + i * HASH_BYTES, HASH_BYTES, 'hex'));
  if (LITTLE_ENDIAN) {
    buf.set(new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength), floatsAt);
  } else {
    s.data.forEach((v, i) => buf.writeFloatLE(v, floatsAt + i * 4));
  }
  return buf;
}

function decodeStore(buf: Buffer, name: string, dim: number, count: number): VectorStore | string {
  const floatsAt = VECTORS_HEADER_BYTES + count * HASH_BYTES;
  if (buf.length < VECTORS_HEADER_BYTES || buf.toString('latin1', 0, 4) !== VECTORS_MAGIC) {
    return `corrupt: ${name} is not a vector store`;
  }
  if (buf.readUInt32LE(4) !== VECTORS_VERSION) return `unsupported: ${name} has store version ${buf.readUInt32LE(4)}`;
  if (buf.readUInt32LE(8) !== dim || buf.readUInt32LE(12) !== count || buf.length !== floatsAt + count * dim * 4) {
    return `manifest does not match ${name}: it holds ${buf.readUInt32LE(12)} vectors of dimension ${buf.readUInt32LE(8)}, manifest says ${count} of ${dim}`;
  }
  const hashes: string[] = [];
  const rows = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const h = buf.toString('hex', VECTORS_HEADER_BYTES + i * HASH_BYTES, VECTORS_HEADER_BYTES + (i + 1) * HASH_BYTES);
    if (rows.has(h)) return `corrupt: ${name} stores one text twice`;
    rows.set(h, i);
    hashes.push(h);
  }
  // A fresh array, not a view of `buf`: Float32Array needs 4-byte alignment and a private buffer.
  const data = new Float32Array(count * dim);
  if (LITTLE_ENDIAN) {
    new Uint8Array(data.buffer).set(buf.subarray(floatsAt));
  } else {
    for (let i = 0; i < data.length; i++) data[i] = buf.readFloatLE(floatsAt + i * 4);
  }
  return { dim, hashes, rows, data };
}

// ---------------------------------------------------------------------------------------------
// Reading what is on disk

interface Inspection {
  /** Checksum-valid manifest of this format, whatever model it names. */
  manifest: Manifest | null;
  rawManifest: string | null;
  /** Reusable vectors: same model, dimension and prefix; file intact; every entry's vector present. */
  store: VectorStore | null;
  /** Reusable graph: file intact and consistent with manifest and store (ef already set). */
  graph: Graph | null;
  /** First thing that stopped full reuse. */
  problem: string | null;
  /** Set when the manifest is for another model, dimension or prefix scheme. */
  modelChange: { load: string; update: string } | null;
  /** Nothing of an index in `dir`: a first build, not a rebuild. */
  empty: boolean;
}

async function inspect(dir: string, expect: LoadExpectation & { prefix?: PrefixScheme }): Promise<Inspection> {
  const out: Inspection = { manifest: null, rawManifest: null, store: null, graph: null, problem: null, modelChange: null, empty: false };
  const raw = await readText(path.join(dir, MANIFEST));
  if (raw === null) {
    out.empty = !(await listDir(dir)).some((f) => DATA_FILE.test(f));
    out.problem = out.empty
      ? `missing: no index in ${dir} (no ${MANIFEST})`
      : `missing: ${MANIFEST} is gone but index data files remain in ${dir}`;
    return out;
  }
  out.rawManifest = raw;
  const parsed = parseManifest(raw);
  if ('problem' in parsed) {
    out.problem = parsed.problem;
    return out;
  }
  const m = parsed.manifest;
  out.manifest = m;

  out.modelChange = compareModel(m, expect);
  if (out.modelChange) return out;
  const inconsistent = checkEntries(m);
  if (inconsistent) {
    out.problem = `corrupt: ${MANIFEST} is inconsistent (${inconsistent})`;
    return out;
  }

  const vectors = await readChecked(dir, m.vectors);
  if (typeof vectors === 'string') {
    out.problem = vectors;
    return out;
  }
  const store = decodeStore(vectors, m.vectors.name, m.dimension, m.vectors.count);
  if (typeof store === 'string') {
    out.problem = store;
    return out;
  }
  const orphan = m.passages.find((e) => !store.rows.has(e.hash));
  if (orphan) {
    out.problem = `manifest does not match ${m.vectors.name}: no vector for passage ${orphan.id}`;
    return out;
  }
  out.store = store;

  const graphProblem = await readChecked(dir, m.hnsw);
  if (typeof graphProblem === 'string') {
    out.problem = graphProblem;
    return out;
  }
  const graph = new HierarchicalNSW('cosine', m.dimension);
  try {
    // Only ever reached with bytes whose checksum matched: hnswlib trusts its input and can
    // crash the process on garbage, so it must never see a file we have not verified.
    await graph.readIndex(path.join(dir, m.hnsw.name));
  } catch (err) {
    out.problem = `corrupt: hnswlib cannot read ${m.hnsw.name} (${errorLine(err)})`;
    return out;
  }
  const mismatch = checkGraph(graph, m, store);
  if (mismatch) {
    out.problem = `manifest does not match ${m.hnsw.name}: ${mismatch}`;
    return out;
  }
  out.graph = graph;
  return out;
}

function compareModel(m: Manifest, expect: LoadExpectation & { prefix?: PrefixScheme }): Inspection['modelChange'] {
  const was = `${m.modelId} (dimension ${m.dimension}, prefix scheme ${m.prefix.name})`;
  const now = `${expect.modelId} (dimension ${expect.dimension}${expect.prefix ? `, prefix scheme ${expect.prefix.name}` : ''})`;
  const load = `built with another model: index has ${was}, expected ${now}`;
  if (m.modelId !== expect.modelId) return { load, update: `model changed: ${m.modelId} → ${expect.modelId}` };
  if (m.dimension !== expect.dimension) {
    return { load, update: `dimension changed: ${m.dimension} → ${expect.dimension}` };
  }
  const wantedName = expect.prefix?.name ?? expect.prefixScheme;
  if (wantedName !== undefined && wantedName !== m.prefix.name) {
    return { load, update: `prefix scheme changed: ${m.prefix.name} → ${wantedName}` };
  }
  // Same scheme name with different strings would silently mix two embeddings in one store.
  if (expect.prefix && (expect.prefix.passage !== m.prefix.passage || expect.prefix.query !== m.prefix.query)) {
    return { load, update: `prefix strings of scheme ${m.prefix.name} changed` };
  }
  return null;
}

function checkGraph(graph: Graph, m: Manifest, store: VectorStore): string | null {
  if (graph.getNumDimensions() !== m.dimension) return `graph has dimension ${graph.getNumDimensions()}`;
  if (graph.getCurrentCount() !== m.hnsw.elements) {
    return `graph holds ${graph.getCurrentCount()} elements, manifest says ${m.hnsw.elements}`;
  }
  const inGraph = new Set(graph.getIdsList());
  const missing = [...m.passages.map((e) => e.label), ...m.tombstones].find((l) => !inGraph.has(l));
  if (missing !== undefined) return `label ${missing} is not in the graph`;
  // Labels could still point at the wrong vectors (files from two builds of the same size); a
  // sample of graph points compared with the store catches that for the cost of a few reads.
  const step = Math.max(1, Math.floor(m.passages.length / 32));
  for (let i = 0; i < m.passages.length; i += step) {
    const e = m.passages[i]!;
    const stored = storeGet(store, e.hash)!;
    if (cosine(graph.getPoint(e.label), stored) < 0.999) return `label ${e.label} holds another vector than passage ${e.id}`;
  }
  return null;
}

/** The file's bytes if its size and SHA-256 match the manifest, else the problem. */
async function readChecked(dir: string, rec: FileRecord): Promise<Buffer | string> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, rec.name));
  } catch (err) {
    return isCode(err, 'ENOENT') ? `missing: ${rec.name} (named by ${MANIFEST})` : `unreadable: ${rec.name} (${errorLine(err)})`;
  }
  if (buf.length < rec.bytes) return `truncated: ${rec.name} has ${buf.length} bytes, ${MANIFEST} says ${rec.bytes}`;
  if (buf.length > rec.bytes) {
    return `manifest does not match ${rec.name}: it has ${buf.length} bytes, ${MANIFEST} says ${rec.bytes}`;
  }
  if (sha256(buf) !== rec.sha256) return `corrupt: ${rec.name} does not match its checksum in ${MANIFEST}`;
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Update

interface Planned {
  p: IndexablePassage;
  hash: string;
  /** Old label for unchanged passages; assigned when the passage is added to the graph. */
  label: number;
  status: 'unchanged' | 'changed' | 'new';
}

async function updateLocked(opts: UpdateOptions): Promise<{ index: VectorIndex; report: IndexReport }> {
  const { dir, embedder } = opts;
  const log = opts.log ?? noop;
  const dim = embedder.dimension;
  const passages = dedupe(opts.passages, log);
  const prev = await inspect(dir, { modelId: embedder.modelId, dimension: dim, prefix: embedder.prefix });

  // What of the previous index can be reused decides the kind of update.
  const oldStore = prev.store;
  const oldManifest = oldStore ? prev.manifest : null;
  let rebuilt: string | null = null;
  if (!oldStore) {
    rebuilt = prev.empty ? null : (prev.modelChange?.update ?? prev.problem ?? 'previous index unusable');
  } else if (!prev.graph) {
    rebuilt = `${prev.problem ?? 'graph unusable'}; graph rebuilt from stored vectors`;
  }

  // Diff. Two passes so a passage that merely moved (same id and text, new key) is matched as
  // unchanged before another passage can claim its old key as "changed".
  const plans: Planned[] = passages.map((p) => ({ p, hash: textHash(p.text), label: -1, status: 'new' }));
  const oldEntries = oldManifest?.passages ?? [];
  const oldById = new Map(oldEntries.map((e) => [e.id, e]));
  const oldByKey = new Map(oldEntries.map((e) => [e.key, e]));
  const consumed = new Set<number>();
  for (const pl of plans) {
    const old = oldById.get(pl.p.id);
    if (old && old.hash === pl.hash) {
      pl.status = 'unchanged';
      pl.label = old.label;
      consumed.add(old.label);
    }
  }
  const retired: number[] = [];
  for (const pl of plans) {
    if (pl.status === 'unchanged') continue;
    const old = [oldByKey.get(pl.p.key), oldById.get(pl.p.id)].find((e) => e && !consumed.has(e.label));
    if (old) {
      pl.status = 'changed';
      consumed.add(old.label);
      retired.push(old.label);
    }
  }
  const gone = oldEntries.filter((e) => !consumed.has(e.label));
  retired.push(...gone.map((e) => e.label));
  const report: IndexReport = {
    added: plans.filter((pl) => pl.status === 'new').length,
    changed: plans.filter((pl) => pl.status === 'changed').length,
    removed: gone.length,
    unchanged: plans.filter((pl) => pl.status === 'unchanged').length,
    rebuilt,
  };

  // Embed every text (passage or sentence) the store lacks, once per distinct text.
  const pending = new Map<string, string>();
  const needed: string[] = [];
  const seen = new Set<string>();
  const want = (text: string, hash = textHash(text)): void => {
    if (seen.has(hash)) return;
    seen.add(hash);
    needed.push(hash);
    if (!oldStore?.rows.has(hash)) pending.set(hash, text);
  };
  for (const pl of plans) want(pl.p.text, pl.hash);
  for (const pl of plans) for (const s of pl.p.sentences) want(s);
  const fresh = await embed(embedder, pending, opts, log);

  const vectorsChanged = !oldStore || oldStore.hashes.length !== needed.length || pending.size > 0;
  const store: VectorStore = vectorsChanged ? assembleStore(dim, needed, oldStore, fresh) : oldStore;
  const vectorOf = (hash: string): number[] => Array.from(storeGet(store, hash)!);

  // Graph: incremental when the old one is usable and would not carry too many tombstones.
  let graph: Graph;
  let tombstones: number[];
  let nextLabel: number;
  let graphChanged: boolean;
  const toAdd = plans.filter((pl) => pl.status !== 'unchanged');
  const old = prev.graph && oldManifest ? { graph: prev.graph, manifest: oldManifest } : null;
  const tombstonesAfter = (old?.manifest.tombstones.length ?? 0) + retired.length;
  const elementsAfter = (old?.manifest.hnsw.elements ?? 0) + toAdd.length;
  const compact = old !== null && (tombstonesAfter > COMPACT_RATIO * elementsAfter || old.manifest.nextLabel + toAdd.length > MAX_LABEL);
  if (old && !compact) {
    graph = old.graph;
    for (const label of retired) graph.markDelete(label);
    if (elementsAfter > graph.getMaxElements()) {
      graph.resizeIndex(Math.max(elementsAfter, Math.ceil(graph.getMaxElements() * 1.5)));
    }
    nextLabel = old.manifest.nextLabel;
    for (const [i, pl] of toAdd.entries()) {
      pl.label = nextLabel++;
      graph.addPoint(vectorOf(pl.hash), pl.label);
      // Inserting is synchronous: in slices, so a large update never holds the event loop.
      if (i % GRAPH_SLICE === GRAPH_SLICE - 1) await yieldToEventLoop();
    }
    tombstones = [...old.manifest.tombstones, ...retired];
    graphChanged = toAdd.length > 0 || retired.length > 0;
  } else {
    if (compact) log(`vector index: ${tombstonesAfter} of ${elementsAfter} graph entries deleted; rebuilding the graph without them`);
    graph = new HierarchicalNSW('cosine', dim);
    graph.initIndex(Math.max(MIN_CAPACITY, Math.ceil(plans.length * CAPACITY_HEADROOM)), HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_SEED);
    for (const [i, pl] of plans.entries()) {
      pl.label = i;
      graph.addPoint(vectorOf(pl.hash), i);
      if (i % GRAPH_SLICE === GRAPH_SLICE - 1) await yieldToEventLoop();
    }
    tombstones = [];
    nextLabel = plans.length;
    graphChanged = true;
  }

  const entries: ManifestEntry[] = plans.map((pl) => ({ label: pl.label, id: pl.p.id, key: pl.p.key, hash: pl.hash }));
  if (oldManifest && prev.graph && !graphChanged && !vectorsChanged && sameEntries(oldManifest, entries, tombstones)) {
    // Nothing to write, but a run killed during its clean-up may have left files behind.
    await removeStale(dir, oldManifest, log);
    return { index: makeIndex(oldManifest, store, graph), report };
  }

  // Data files first, each complete and fsynced under a name no manifest uses yet; then the
  // manifest, atomically. A crash anywhere before the manifest's rename leaves the old manifest
  // naming the old, untouched files; after it, the new set is complete.
  opts.onStage?.('writing');
  const buildId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const vectors = vectorsChanged || !oldManifest ? await writeStore(dir, buildId, store) : oldManifest.vectors;
  const hnsw = graphChanged || !oldManifest ? await writeGraph(dir, buildId, graph) : oldManifest.hnsw;
  await fsyncDir(dir);
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    modelId: embedder.modelId,
    dimension: dim,
    prefix: { name: embedder.prefix.name, query: embedder.prefix.query, passage: embedder.prefix.passage },
    buildId,
    builtAt: new Date().toISOString(),
    hnsw,
    vectors,
    nextLabel,
    tombstones,
    passages: entries,
  };
  opts.onStage?.('committing');
  await writeFileAtomic(path.join(dir, MANIFEST), serializeManifest(manifest), { fsync: true });
  await fsyncDir(dir);
  opts.onStage?.('cleanup');
  await removeStale(dir, manifest, log);
  return { index: makeIndex(manifest, store, graph), report };
}

/** Graph insertions between two turns of the event loop (a few milliseconds each at 384 dimensions). */
const GRAPH_SLICE = 64;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Duplicate ids would return the same passage twice; keep the first and say so. */
function dedupe(passages: readonly IndexablePassage[], log: (line: string) => void): IndexablePassage[] {
  const seen = new Set<string>();
  const out: IndexablePassage[] = [];
  for (const p of passages) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
  }
  if (out.length < passages.length) {
    log(`vector index: ${passages.length - out.length} passages with a duplicate id ignored`);
  }
  return out;
}

async function embed(
  embedder: Embedder,
  pending: Map<string, string>,
  opts: UpdateOptions,
  log: (line: string) => void,
): Promise<Map<string, Float32Array>> {
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
  if (vectors.length !== texts.length) {
    throw new Error(`embedder ${embedder.modelId} returned ${vectors.length} vectors for ${texts.length} texts`);
  }
  vectors.forEach((v, i) => {
    if (v.length !== embedder.dimension || !v.every(Number.isFinite)) {
      throw new Error(`embedder ${embedder.modelId} returned a bad vector (length ${v.length}, expected ${embedder.dimension})`);
    }
    // Callers rank sentences by inner product, which is cosine only for unit vectors.
    let sq = 0;
    for (const x of v) sq += x * x;
    const norm = Math.sqrt(sq);
    out.set(hashes[i]!, Float32Array.from(v, (x) => (norm > 0 ? x / norm : 0)));
  });
  return out;
}

function assembleStore(
  dim: number,
  hashes: string[],
  oldStore: VectorStore | null,
  fresh: Map<string, Float32Array>,
): VectorStore {
  const data = new Float32Array(hashes.length * dim);
  const rows = new Map<string, number>();
  hashes.forEach((h, i) => {
    const v = fresh.get(h) ?? (oldStore ? storeGet(oldStore, h) : undefined);
    if (!v) throw new Error(`vector index: no vector for text ${h}`);
    data.set(v, i * dim);
    rows.set(h, i);
  });
  return { dim, hashes, rows, data };
}

function sameEntries(m: Manifest, entries: ManifestEntry[], tombstones: number[]): boolean {
  return (
    m.passages.length === entries.length &&
    m.passages.every((e, i) => {
      const n = entries[i]!;
      return e.label === n.label && e.id === n.id && e.key === n.key && e.hash === n.hash;
    }) &&
    m.tombstones.length === tombstones.length &&
    m.tombstones.every((t, i) => t === tombstones[i])
  );
}

// ---------------------------------------------------------------------------------------------
// Writing

async function writeStore(dir: string, buildId: string, store: VectorStore): Promise<Manifest['vectors']> {
  const name = `vectors-${buildId}.bin`;
  const bytes = encodeStore(store);
  await writeFileAtomic(path.join(dir, name), bytes, { fsync: true });
  return { name, bytes: bytes.length, sha256: sha256(bytes), count: store.hashes.length };
}

async function writeGraph(dir: string, buildId: string, graph: Graph): Promise<Manifest['hnsw']> {
  const name = `passages-${buildId}.hnsw`;
  const final = path.join(dir, name);
  const tmp = `${final}.tmp`;
  // hnswlib writes through a plain ofstream and reports no I/O error, so the file is read back:
  // the manifest must only ever name a graph that loads.
  await graph.writeIndex(tmp);
  const bytes = await readFile(tmp);
  const check = new HierarchicalNSW('cosine', graph.getNumDimensions());
  await check.readIndex(tmp);
  if (check.getCurrentCount() !== graph.getCurrentCount()) {
    throw new Error(`vector index: ${tmp} does not read back (${check.getCurrentCount()} of ${graph.getCurrentCount()} elements)`);
  }
  await fsyncFile(tmp);
  await rename(tmp, final);
  return {
    name,
    bytes: bytes.length,
    sha256: sha256(bytes),
    capacity: graph.getMaxElements(),
    elements: graph.getCurrentCount(),
    m: HNSW_M,
    efConstruction: HNSW_EF_CONSTRUCTION,
  };
}

/** Our data files, temp files of ours and of write-file-atomic (`name.<number>`). */
const DATA_FILE = /^(?:(?:passages-[\w-]+\.hnsw|vectors-[\w-]+\.bin)(?:\.tmp|\.\d+)?|manifest\.json\.\d+)$/;

/** Deletes files of earlier builds and leftovers of killed ones; only after the new manifest is in place. */
async function removeStale(dir: string, m: Manifest, log: (line: string) => void): Promise<void> {
  const keep = new Set([m.hnsw.name, m.vectors.name]);
  const stale = (await listDir(dir)).filter((f) => DATA_FILE.test(f) && !keep.has(f));
  for (const f of stale) await unlink(path.join(dir, f)).catch(() => undefined);
  if (stale.length > 0) log(`vector index: removed ${stale.length} stale files`);
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes renames durable. Some platforms (Windows) cannot fsync a directory; nothing to do there. */
async function fsyncDir(dir: string): Promise<void> {
  await fsyncFile(dir).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Lock: two updaters on one folder would delete each other's new files.

const heldLocks = new Set<string>();

async function acquireLock(dir: string, log: (line: string) => void, timeoutMs: number): Promise<() => Promise<void>> {
  const file = path.resolve(dir, LOCK);
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      heldLocks.add(file);
      return async () => {
        heldLocks.delete(file);
        await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
    const holder = await lockHolder(file);
    if (holder === 'stale') {
      // Left by a killed process. Two waiters could both see it stale and one could remove the
      // other's fresh lock; that needs two updaters starting within one poll of a crash, which
      // this bot's single indexing step does not do.
      log(`vector index: removing stale lock ${file}`);
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`vector index: ${dir} is being updated by process ${holder ?? '?'} (lock ${file})`);
    }
    if (!announced) {
      log(`vector index: waiting for process ${holder ?? '?'} to finish updating ${dir}`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The live holder's pid, null while it is still writing the lock, or 'stale'. */
async function lockHolder(file: string): Promise<number | null | 'stale'> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => Date.now() - s.mtimeMs)]);
  } catch {
    return null; // released meanwhile: retry at once
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return ageMs > 10_000 ? 'stale' : null;
  // A restarted container can reuse our own pid; it is ours only if this process holds it.
  if (pid === process.pid) return heldLocks.has(file) ? pid : 'stale';
  try {
    process.kill(pid, 0);
  } catch (err) {
    return isCode(err, 'EPERM') ? pid : 'stale';
  }
  // A killed process whose parent died too can linger as a zombie until reaped, and a zombie
  // still answers kill(pid, 0); it will never release the lock.
  const procStat = await readText(`/proc/${pid}/stat`);
  const state = procStat?.slice(procStat.lastIndexOf(')') + 2, procStat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X' ? 'stale' : pid;
}

// ---------------------------------------------------------------------------------------------
// The in-memory index

function makeIndex(m: Manifest, store: VectorStore, graph: Graph): VectorIndex {
  const labelToId = new Map(m.passages.map((e) => [e.label, e.id]));
  const idToHash = new Map(m.passages.map((e) => [e.id, e.hash]));
  const size = m.passages.length;
  // ef is not saved with the graph (hnswlib reads it back as 10), so it is set here, after every read.
  let ef = MIN_EF;
  graph.setEf(ef);
  return {
    modelId: m.modelId,
    dimension: m.dimension,
    prefixScheme: m.prefix.name,
    builtAt: m.builtAt,
    size,
    search(queryVector, k) {
      if (queryVector.length !== m.dimension) {
        throw new Error(`query vector has dimension ${queryVector.length}, index has ${m.dimension}`);
      }
      const n = Math.min(Math.floor(k), size);
      if (!(n > 0)) return [];
      const wanted = Math.max(MIN_EF, 2 * n);
      if (wanted !== ef) graph.setEf((ef = wanted));
      const { neighbors, distances } = graph.searchKnn(Array.from(queryVector), n);
      const out: { id: string; score: number }[] = [];
      neighbors.forEach((label, i) => {
        const id = labelToId.get(label);
        // Tombstones are already excluded by hnswlib; this is the guarantee, not the filter.
        if (id !== undefined) out.push({ id, score: 1 - distances[i]! });
      });
      return out;
    },
    sentenceVector(sentence) {
      const v = storeGet(store, textHash(sentence));
      return v && Array.from(v);
    },
    passageVector(id) {
      const hash = idToHash.get(id);
      const v = hash === undefined ? undefined : storeGet(store, hash);
      return v && Array.from(v);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function noop(): void {}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** 128 bits of SHA-256: the key of a text in the store and the content hash in the manifest. */
function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_BYTES * 2);
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
