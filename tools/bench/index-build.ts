/** Time to build and re-index the project's vector index, and its size on disk. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../../src/core/model/types.js';
import type { IndexReport } from '../../src/core/store/shared/index-report.js';
import { loadVectorIndex, updateVectorIndex, type IndexablePassage } from '../../src/core/store/files/vector-index/index.js';
import { timed } from './stats.js';

/** One file of the index folder. */
export interface FileSize {
  name: string;
  bytes: number;
}

/** What {@link measureIndexBuild} found. */
export interface IndexBuildResult {
  passages: number;
  /** Sentence count too: sentences are embedded and stored alongside passages. */
  sentences: number;
  buildMs: number;
  buildReport: IndexReport;
  /** A second update with nothing changed: the cost paid at every start of the bot. */
  reindexMs: number;
  reindexReport: IndexReport;
  /** Reading and verifying the index from disk. */
  loadMs: number;
  files: FileSize[];
  totalBytes: number;
}

/** Builds the index from scratch in `dir` (which must not hold one), then updates it again unchanged. */
export async function measureIndexBuild(dir: string, embedder: Embedder, passages: readonly IndexablePassage[]): Promise<IndexBuildResult> {
  const build = await timed(() => updateVectorIndex({ dir, embedder, passages }));
  const reindex = await timed(() => updateVectorIndex({ dir, embedder, passages }));
  const load = await timed(() => loadVectorIndex(dir, { modelId: embedder.modelId, dimension: embedder.dimension }));
  if (!load.value.ok) throw new Error(`the index just built does not load: ${load.value.problem}`);
  const files = await folderFiles(dir);
  return {
    passages: passages.length,
    sentences: passages.reduce((a, p) => a + p.sentences.length, 0),
    buildMs: build.ms,
    buildReport: build.value.report,
    reindexMs: reindex.ms,
    reindexReport: reindex.value.report,
    loadMs: load.ms,
    files,
    totalBytes: files.reduce((a, f) => a + f.bytes, 0),
  };
}

/** Sizes of the regular files directly in `dir`, by name. */
export async function folderFiles(dir: string): Promise<FileSize[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => ({ name: e.name, bytes: (await stat(path.join(dir, e.name))).size })),
  );
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
