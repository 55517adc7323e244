/**
 * A fingerprint of the code that turns text into passages and index terms. The text store keeps
 * parsed articles and analysed terms on disk; if that code changes (a noise rule, the sentence
 * splitter, the stop words, the stemmer), what is on disk is stale and is rebuilt. The fingerprint
 * hashes the source of those modules and the versions of the libraries they use, so a change is
 * noticed without anyone remembering to bump a version, and without importing any of them (a start
 * that finds nothing to ingest never loads the ingestion code).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped by hand when the store's layout or meaning changes in a way the sources cannot show. */
const TEXT_STORE_VERSION = 1;

/** Modules (relative to core/) whose code decides what the store holds. */
// time-filter: its statedDates gives the dates kept per file.
const MODULES = ['lang/months', 'lang/stop-words', 'lang/news-source', 'lang/language-hints', 'text/ingest', 'text/periods', 'text/noise', 'text/sentences', 'text/dates', 'retrieval/time-filter', 'text/passages', 'text/french', 'text/language', 'retrieval/lexical/analysis', 'retrieval/lexical/bm25', 'store/shared/corpus-codec'];
const LIBRARIES = ['snowball-stemmers', 'stopword', 'yaml', 'minisearch'];

let cached: string | null = null;

export function textFingerprint(): string {
  if (cached) return cached;
  const { core, ext } = sources();
  const hash = createHash('sha256').update(`v${TEXT_STORE_VERSION}\n`);
  for (const m of MODULES) {
    hash.update(`${m}\n`);
    try {
      hash.update(readFileSync(path.join(core, `${m}${ext}`)));
    } catch {
      hash.update('(missing)');
    }
  }
  const require = createRequire(import.meta.url);
  for (const lib of LIBRARIES) hash.update(`${lib}@${libraryVersion(require, lib)}\n`);
  cached = hash.digest('hex').slice(0, 32);
  return cached;
}

/**
 * Where core/'s TypeScript sources are. Run compiled from dist/ (src/launch.mjs), the fingerprint
 * is still theirs: otherwise the bot and the development tools, which run the sources through
 * tsx, would each find the other's text index out of date and rebuild it.
 */
function sources(): { core: string; ext: string } {
  const here = fileURLToPath(import.meta.url);
  const core = path.resolve(path.dirname(here), '../..');
  if (path.extname(here) === '.ts') return { core, ext: '.ts' };
  const compiled = /^(.*)[\\/]dist[\\/](src[\\/]core)$/u.exec(core);
  const source = compiled ? path.join(compiled[1]!, compiled[2]!) : null;
  return source && existsSync(path.join(source, 'text', 'ingest.ts')) ? { core: source, ext: '.ts' } : { core, ext: path.extname(here) };
}

function libraryVersion(require: NodeJS.Require, name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '?';
      } catch {
        // Not here: one level up.
      }
    }
  } catch {
    // Not resolvable from here.
  }
  return '?';
}
