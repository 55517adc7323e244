import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { stringify } from 'yaml';
import { MAX_ARTICLE_BYTES } from '../core/text/ingest.js';

/** What is written to `seeds/<slug>.md`: front matter, then the article's paragraphs as they are. */
export interface ArticleFile {
  title: string;
  /** Publication date (`YYYY-MM-DD`/`YYYY-MM`), or null: then the file has no `date:` at all. */
  date: string | null;
  source: string;
  fetched: string;
  language: string;
  paragraphs: string[];
}

export type SaveStatus = 'added' | 'updated' | 'unchanged';

/** The file's text: YAML front matter, then one paragraph per line with a blank line between. */
function renderArticleFile(a: ArticleFile): string {
  const front: Record<string, string> = { title: a.title };
  if (a.date) front.date = a.date;
  front.source = a.source;
  front.fetched = a.fetched;
  front.language = a.language;
  // Dates stay strings (`'2025-10-14'`), so no YAML reader takes them for timestamps.
  const yaml = stringify(front, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' }).trimEnd();
  return `---\n${yaml}\n---\n\n${a.paragraphs.join('\n\n')}\n`;
}

/** A file name from a title: lowercase ASCII words joined by dashes, at most 60 characters. */
function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/gu, '')
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
  const cut = slug.length <= 60 ? slug : slug.slice(0, 60).replace(/-[^-]*$/u, '');
  return cut || 'article';
}

/** The `source:` of a saved file's front matter, read from its first few kilobytes. */
async function sourceOf(file: string): Promise<string | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(8192), position: 0 });
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const front = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---/u.exec(head)?.[1];
    const line = front ? /^source:[ \t]*(.+)$/mu.exec(front)?.[1] : undefined;
    return line ? line.trim().replace(/^(['"])(.*)\1$/u, '$2') : null;
  } finally {
    await handle.close();
  }
}

/** The file in `dir` whose front matter names `source`, if any. */
async function findBySource(dir: string, source: string): Promise<string | null> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.md')).sort();
  for (const name of names) if ((await sourceOf(path.join(dir, name))) === source) return name;
  return null;
}

/**
 * Saves an article: the same source URL updates its own file (never a duplicate); a page whose
 * content did not change leaves the file as it was (not even `fetched` moves). Written
 * atomically, so a failure half way leaves the previous file whole.
 */
export function saveArticle(dir: string, article: ArticleFile): Promise<{ file: string; status: SaveStatus }> {
  // One save at a time per folder: an /add and a feed saving the same link at once must not both create a file.
  const previous = saving.get(dir) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => saveNow(dir, article));
  saving.set(dir, next);
  return next;
}
const saving = new Map<string, Promise<unknown>>();

async function saveNow(dir: string, article: ArticleFile): Promise<{ file: string; status: SaveStatus }> {
  const existing = await findBySource(dir, article.source);
  if (existing) {
    const full = path.join(dir, existing);
    const before = await readFile(full, 'utf8').catch(() => '');
    const withoutFetched = (text: string): string => text.replace(/^fetched:.*$/mu, '');
    const text = renderArticleFile(article);
    if (withoutFetched(before) === withoutFetched(text)) return { file: existing, status: 'unchanged' };
    await write(full, text);
    return { file: existing, status: 'updated' };
  }
  const base = slugify(article.title);
  const taken = new Set(await readdir(dir).catch(() => [] as string[]));
  let name = `${base}.md`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}.md`;
  await write(path.join(dir, name), renderArticleFile(article));
  return { file: name, status: 'added' };
}

async function write(file: string, text: string): Promise<void> {
  if (Buffer.byteLength(text) > MAX_ARTICLE_BYTES) throw new Error(`article text over ${MAX_ARTICLE_BYTES / 1024 / 1024} MB`);
  await writeFileAtomic(file, text, { fsync: true });
}
