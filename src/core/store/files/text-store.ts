/**
 * The corpus and its lexical index on disk, under `<EMBEDDINGS_DIR>/text/`, so that a start
 * does not read and parse every article and re-index every passage.
 *
 * - `manifest.json` — format, the text fingerprint (see fingerprint.ts), the base file and the
 *   delta files in order, each with size and SHA-256; its own checksum. Written last, atomically.
 * - `base-<id>.bin` — every file's stat, hash, articles and passages, the BM25 postings and the
 *   analysed vocabulary (sections.ts layout).
 * - `delta-<id>.json` — one update: files ingested anew, removed, or only touched.
 *
 * An update writes a small delta; once deltas add up to a tenth of the corpus (or 32 of them),
 * it writes a new base instead. Loading reads the base and applies the deltas, which costs what
 * they hold. Anything missing, damaged, from another version or from other analysis code is
 * detected by checksums and the fingerprint before use, and the store is rebuilt from the seeds.
 */
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { buildPassages } from '../../text/index.js';
import { Analyzer } from '../../retrieval/index.js';
import { Bm25Index } from '../../retrieval/index.js';
import type { Article, SkippedFile } from '../../types.js';
import type { Lang } from '../../text/index.js';
import { decodeCorpus, encodeCorpus, type FileRecord } from '../shared/index.js';
import { fsyncDir } from '../../../lib/durable.js';
import { buildId, errorLine, listDir, readChecked, readText, readUnchecked, sha256, writeDataFile, type FileRef } from './checked-file.js';
import { textFingerprint } from './fingerprint.js';
import { acquireLock } from '../../../lib/file-lock.js';
import { scanSeeds, type SeedChanges } from '../shared/index.js';
import { Sections, encodeSections, type Section } from '../../../lib/sections.js';
import { TextIndex, type AppliedChange, type FileChange } from '../shared/index.js';

export const TEXT_DIR = 'text';
const FORMAT = 'news-quote-bot/text-index';
const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const LOCK = '.lock';
const BASE_MAGIC = 'NQBTEXT\u0001';
const BASE_VERSION = 2;
/** A new base once the deltas hold this share of the corpus's passages (and at least the minimum), or this many deltas. */
const COMPACT_SHARE = 0.1;
const COMPACT_MIN_PASSAGES = 2000;
const MAX_DELTAS = 32;

const refSchema = z.object({ name: z.string().regex(/^[\w.-]+$/), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), passages: z.number().int().nonnegative() });
const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  fingerprint: z.string(),
  builtAt: z.string(),
  base: refSchema,
  deltas: z.array(refSchema),
});
type Manifest = z.infer<typeof manifestSchema>;

/** What an update of the text store did. */
export interface TextReport {
  /** Files ingested anew, removed, only touched, and unchanged (taken from their stat). */
  ingested: number;
  removedFiles: number;
  touched: number;
  unchanged: number;
  /** Passages added and removed. */
  added: number;
  removed: number;
  /** Why the stored index could not be used and was rebuilt from the seeds, or null. */
  rebuilt: string | null;
  /** What was written: nothing, a delta, or a whole new base. */
  wrote: 'nothing' | 'delta' | 'base';
}

interface DeltaFile {
  upsert: (Omit<FileRecord, 'passages'>)[];
  remove: string[];
  touch: Pick<FileRecord, 'file' | 'size' | 'mtimeMs'>[];
}

interface TextStoreOptions {
  /** The store's folder (`<EMBEDDINGS_DIR>/text`). */
  dir: string;
  seedsDir: string;
  /** Skipped files and save failures are warnings; waiting for a lock is information. */
  log?: { info(line: string): void; warn(line: string): void };
  lockTimeoutMs?: number;
}

const quiet = { info: () => {}, warn: () => {} };

/** The corpus and lexical index, in memory and on disk. */
export class TextStore {
  private constructor(
    private readonly options: TextStoreOptions,
    public index: TextIndex,
    /** The manifest as this process last read or wrote it. */
    private manifest: Manifest | null,
    private manifestText: string | null,
  ) {}

  /** Loads the store (or says why it cannot), then brings it up to date with the seeds. */
  static async open(options: TextStoreOptions): Promise<{ store: TextStore; report: TextReport; applied: AppliedChange }> {
    const loaded = await loadStore(options.dir);
    const store = new TextStore(options, loaded.index ?? TextIndex.build([]), loaded.manifest, loaded.manifestText);
    const rebuilt = loaded.index ? null : loaded.empty ? null : loaded.problem;
    const { report, applied } = await store.update(rebuilt);
    return { store, report, applied };
  }

  /** Scans the seeds, applies what changed, and saves it. */
  async update(rebuilt: string | null = null): Promise<{ report: TextReport; applied: AppliedChange }> {
    const { seedsDir } = this.options;
    const log = this.options.log ?? quiet;
    const changes = await scanSeeds(seedsDir, this.index.recordMap);
    const kept = changes.skipped.filter((s) => this.index.record(s.file) !== undefined);
    for (const s of changes.skipped) log.warn(`Skipped ${s.file}: ${s.reason}.${kept.includes(s) ? ' Keeping its previously indexed version.' : ''}`);
    const change: FileChange = { upsert: changes.ingested, remove: changes.removed, touch: changes.touched };
    const applied = this.index.apply(change, changes.skipped);
    const report: TextReport = {
      ingested: changes.ingested.length,
      removedFiles: changes.removed.length,
      touched: changes.touched.length,
      unchanged: changes.unchanged,
      added: applied.added.length,
      removed: applied.removed.length,
      rebuilt,
      wrote: 'nothing',
    };
    report.wrote = await this.save(changes, applied, rebuilt !== null);
    return { report, applied };
  }

  /** Writes what changed: a delta, or a new base when one is due. Never throws for disk trouble: the next start rescans. */
  private async save(changes: SeedChanges, applied: AppliedChange, forceBase: boolean): Promise<TextReport['wrote']> {
    const { dir } = this.options;
    const log = this.options.log ?? quiet;
    const nothing = changes.ingested.length === 0 && changes.removed.length === 0 && changes.touched.length === 0;
    try {
      await mkdir(dir, { recursive: true });
      const release = await acquireLock(dir, LOCK, (line) => log.warn(line), this.options.lockTimeoutMs ?? 2 * 60_000, 'text index');
      try {
        const onDisk = await readText(path.join(dir, MANIFEST));
        const ours = this.manifest !== null && onDisk === this.manifestText;
        if (nothing && ours && !forceBase) return 'nothing';
        const deltaPassages = (this.manifest?.deltas ?? []).reduce((n, d) => n + d.passages, 0) + applied.added.length + applied.removed.length;
        const due =
          forceBase ||
          !ours ||
          this.manifest!.fingerprint !== textFingerprint() ||
          this.manifest!.deltas.length >= MAX_DELTAS ||
          (deltaPassages >= COMPACT_MIN_PASSAGES && deltaPassages > COMPACT_SHARE * this.index.corpus.passages.length);
        const id = buildId();
        let manifest: Manifest;
        if (due) {
          const base = await writeDataFile(dir, `base-${id}.bin`, encodeBase(this.index));
          manifest = { format: FORMAT, version: FORMAT_VERSION, fingerprint: textFingerprint(), builtAt: new Date().toISOString(), base: { ...base, passages: this.index.corpus.passages.length }, deltas: [] };
        } else {
          const delta: DeltaFile = {
            upsert: changes.ingested.map(({ passages: _, ...rest }) => rest),
            remove: changes.removed,
            touch: changes.touched,
          };
          const ref = await writeDataFile(dir, `delta-${id}.json`, Buffer.from(JSON.stringify(delta)));
          manifest = { ...this.manifest!, builtAt: new Date().toISOString(), deltas: [...this.manifest!.deltas, { ...ref, passages: applied.added.length + applied.removed.length }] };
        }
        await fsyncDir(dir);
        const text = serializeManifest(manifest);
        await writeFileAtomic(path.join(dir, MANIFEST), text, { fsync: true });
        await fsyncDir(dir);
        this.manifest = manifest;
        this.manifestText = text;
        await removeStale(dir, manifest);
        return due ? 'base' : 'delta';
      } finally {
        await release();
      }
    } catch (error) {
      log.warn(`Could not save the text index in ${dir}: ${errorLine(error)}. It will be brought up to date at the next start.`);
      return 'nothing';
    }
  }
}

function serializeManifest(m: Manifest): string {
  return `${JSON.stringify({ ...m, checksum: sha256(JSON.stringify(m)) }, null, 1)}\n`;
}

interface Loaded {
  index: TextIndex | null;
  manifest: Manifest | null;
  manifestText: string | null;
  problem: string;
  /** Nothing of a store in the folder: a first build, not a rebuild. */
  empty: boolean;
}

/** Reads the store in `dir`; never throws for a bad store: `problem` says what is wrong. */
async function loadStore(dir: string): Promise<Loaded> {
  const raw = await readText(path.join(dir, MANIFEST));
  const fail = (problem: string, empty = false): Loaded => ({ index: null, manifest: null, manifestText: raw, problem, empty });
  if (raw === null) {
    const leftovers = (await listDir(dir)).some((f) => DATA_FILE.test(f));
    return fail(leftovers ? `missing: ${MANIFEST} is gone but data files remain in ${dir}` : `missing: no text index in ${dir}`, !leftovers);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return fail(`corrupt: ${MANIFEST} is not valid JSON (${raw.length} bytes; truncated?)`);
  }
  const { checksum, ...rest } = body ?? {};
  if (typeof checksum !== 'string' || checksum !== sha256(JSON.stringify(rest))) return fail(`corrupt: ${MANIFEST} fails its own checksum (edited or damaged)`);
  const parsed = manifestSchema.safeParse(rest);
  if (!parsed.success) return fail(`unsupported: ${MANIFEST} is not a text index of version ${FORMAT_VERSION}`);
  const manifest = parsed.data;
  if (manifest.fingerprint !== textFingerprint()) return fail('stale: the text analysis code changed since the index was built');

  // The base is decoded while it is hashed (on the thread pool), and thrown away if the hash
  // does not match: nothing reads it before then.
  const base = await readUnchecked(dir, manifest.base, MANIFEST);
  if (typeof base === 'string') return fail(base);
  const baseBytes = base.bytes;
  const deltas: DeltaFile[] = [];
  for (const ref of manifest.deltas) {
    const bytes = await readChecked(dir, ref, MANIFEST);
    if (typeof bytes === 'string') return fail(bytes);
    try {
      deltas.push(JSON.parse(bytes.toString('utf8')) as DeltaFile);
    } catch {
      return fail(`corrupt: ${ref.name} is not valid JSON`);
    }
  }
  let index: TextIndex;
  try {
    index = decodeBase(baseBytes, manifest.base.name);
  } catch (error) {
    return fail((await base.verified) ?? `corrupt: ${manifest.base.name} cannot be read (${errorLine(error)})`);
  }
  const mismatch = await base.verified;
  if (mismatch) return fail(mismatch);
  try {
    const net = netChange(deltas, index);
    if (net.upsert.length + net.remove.length + (net.touch?.length ?? 0) > 0) index.apply(net);
  } catch (error) {
    return fail(`corrupt: a delta of ${MANIFEST} cannot be applied (${errorLine(error)})`);
  }
  return { index, manifest, manifestText: raw, problem: '', empty: false };
}

/** The deltas as one change against the base: later deltas win. */
function netChange(deltas: readonly DeltaFile[], index: TextIndex): FileChange {
  const upsert = new Map<string, Omit<FileRecord, 'passages'>>();
  const remove = new Set<string>();
  const touch = new Map<string, Pick<FileRecord, 'file' | 'size' | 'mtimeMs'>>();
  for (const d of deltas) {
    for (const f of d.remove) {
      upsert.delete(f);
      touch.delete(f);
      remove.add(f);
    }
    for (const r of d.upsert) {
      upsert.set(r.file, r);
      remove.delete(r.file);
      touch.delete(r.file);
    }
    for (const t of d.touch) {
      const u = upsert.get(t.file);
      if (u) upsert.set(t.file, { ...u, size: t.size, mtimeMs: t.mtimeMs });
      else touch.set(t.file, t);
    }
  }
  return {
    upsert: [...upsert.values()].map((r) => ({ ...r, passages: buildPassages(r.articles as Article[]), languages: r.languages as Lang[] })),
    remove: [...remove].filter((f) => index.record(f) !== undefined),
    touch: [...touch.values()],
  };
}

function encodeBase(index: TextIndex): Buffer {
  const analyzer = index.bm25.analyzer;
  const vocabulary = [...analyzer.vocabulary.keys()];
  const counts = Uint32Array.from(vocabulary, (w) => analyzer.vocabulary.get(w)!);
  const analysed = new Map(analyzer.entries());
  const termCounts = new Uint8Array(vocabulary.length).fill(255);
  const terms: string[] = [];
  vocabulary.forEach((w, i) => {
    const t = analysed.get(w);
    if (t && t.length < 255) {
      termCounts[i] = t.length;
      terms.push(...t);
    }
  });
  const sections: Record<string, Section> = {
    ...encodeCorpus(index.records()),
    ...index.bm25.toSections(),
    'analysis.words': { strings: vocabulary },
    'analysis.counts': counts,
    'analysis.termCounts': termCounts,
    'analysis.terms': { strings: terms },
  };
  return encodeSections(BASE_MAGIC, BASE_VERSION, sections);
}

function decodeBase(buf: Buffer, name: string): TextIndex {
  const s = Sections.open(buf, BASE_MAGIC, BASE_VERSION, name);
  if (typeof s === 'string') throw new Error(s);
  const vocabulary = s.strings('analysis.words');
  const counts = s.array('analysis.counts', 'Uint32Array');
  const termCounts = s.array('analysis.termCounts', 'Uint8Array');
  const terms = s.strings('analysis.terms');
  if (counts.length !== vocabulary.length || termCounts.length !== vocabulary.length) throw new Error('vocabulary columns differ in length');
  const analyzer = new Analyzer(new Map(vocabulary.map((w, i) => [w, counts[i]!])));
  let at = 0;
  vocabulary.forEach((w, i) => {
    const n = termCounts[i]!;
    if (n !== 255) analyzer.prime(w, terms.slice(at, (at += n)));
  });
  if (at !== terms.length) throw new Error('analysed terms do not add up');
  return TextIndex.restore(decodeCorpus(s), Bm25Index.fromSections(s, analyzer));
}

const DATA_FILE = /^(?:base-[\w-]+\.bin|delta-[\w-]+\.json)(?:\.\d+)?$|^manifest\.json\.\d+$/;

/** Deletes data files no longer named by the manifest (and leftovers of killed writes). */
async function removeStale(dir: string, m: Manifest): Promise<void> {
  const keep = new Set([m.base.name, ...m.deltas.map((d) => d.name)]);
  for (const f of await listDir(dir)) if (DATA_FILE.test(f) && !keep.has(f)) await unlink(path.join(dir, f)).catch(() => undefined);
}

export type { FileRef, SkippedFile };
