/**
 * What changed in the seeds folder since the store last saw it, without reading what did not:
 * a file whose size and modification time are those recorded is taken as unchanged (as `make`,
 * `git` and `rsync` do); one whose stat changed is read, and ingested again only when its bytes
 * changed (SHA-1); a file that is gone is removed. A file that cannot be ingested is skipped,
 * keeping its previously ingested version when there is one.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { articleLanguage } from '../../text/index.js';
import { buildPassages } from '../../text/index.js';
import type { SkippedFile } from '../../types.js';
import { datesStatedIn, type FileRecord } from './corpus-codec.js';

type Ingest = typeof import('../../text/ingest.js');
/** Ingestion (YAML front matter, sentence segmentation) is loaded only when a file has to be read. */
const ingestModule = (): Promise<Ingest> => import('../../text/ingest.js');

/** Same selection as `ingestArticles`: visible regular files ending in .txt or .md. */
const ARTICLE_EXTENSIONS = new Set(['.txt', '.md']);
/** Files stat'ed between two yields to the event loop (a bot keeps answering while it re-indexes). */
const STAT_BATCH = 2000;

export interface SeedChanges {
  /** Files ingested anew (new or changed), ready to index. */
  ingested: FileRecord[];
  /** Files whose bytes are unchanged but whose stat changed: only their stat is updated. */
  touched: Pick<FileRecord, 'file' | 'size' | 'mtimeMs'>[];
  /** Files gone from the folder. */
  removed: string[];
  /** Files that could not be ingested now (their previous version, if any, stays). */
  skipped: SkippedFile[];
  /** Files taken as unchanged from their stat. */
  unchanged: number;
}

/** The record of one file, parsed: what ingesting it gives, plus its stat, hash and passages. */
function recordOf(ingest: Ingest, file: string, size: number, mtimeMs: number, bytes: Uint8Array): FileRecord {
  const articles = ingest.parseArticleFile(file, ingest.decodeArticle(bytes));
  const passages = buildPassages(articles);
  return {
    file,
    size,
    mtimeMs,
    sha1: sha1(bytes),
    articles,
    languages: articles.map(articleLanguage),
    passages,
    stated: datesStatedIn(passages),
  };
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

export async function scanSeeds(dir: string, known: ReadonlyMap<string, FileRecord>, maxBytesOption?: number): Promise<SeedChanges> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && ARTICLE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  const out: SeedChanges = { ingested: [], touched: [], removed: [], skipped: [], unchanged: 0 };
  const present = new Set(names);
  for (const file of known.keys()) if (!present.has(file)) out.removed.push(file);

  for (let i = 0; i < names.length; i += STAT_BATCH) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const stale: { file: string; size: number; mtimeMs: number }[] = [];
    for (const file of names.slice(i, i + STAT_BATCH)) {
      let size: number;
      let mtimeMs: number;
      try {
        ({ size, mtimeMs } = statSync(path.join(dir, file)));
      } catch (error) {
        out.skipped.push({ file, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      const old = known.get(file);
      if (old && old.size === size && old.mtimeMs === mtimeMs) out.unchanged++;
      else stale.push({ file, size, mtimeMs });
    }
    const ingest = stale.length > 0 ? await ingestModule() : null;
    const maxBytes = maxBytesOption ?? ingest?.MAX_ARTICLE_BYTES ?? Infinity;
    for (const { file, size, mtimeMs } of stale) {
      const { BadArticleError } = ingest!;
      try {
        if (size > maxBytes) throw new BadArticleError(`too large (${formatBytes(size)}, limit ${formatBytes(maxBytes)})`);
        const bytes = await readFile(path.join(dir, file));
        const old = known.get(file);
        if (old && old.sha1 === sha1(bytes)) out.touched.push({ file, size, mtimeMs });
        else out.ingested.push(recordOf(ingest!, file, size, mtimeMs, bytes));
      } catch (error) {
        const reason = error instanceof BadArticleError ? error.message : `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
        out.skipped.push({ file, reason });
      }
    }
  }
  out.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
