import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findStatedDate, normaliseIsoDate } from './dates.js';
import { isNoiseParagraph, readSourceLink, stripSignOff } from './noise.js';
import { splitSentences } from './sentences.js';
import type { Article, DateInfo, SkippedFile } from '../types.js';

/** Files larger than this are not articles (a dump, a binary, a mistake) and are skipped. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
const ARTICLE_EXTENSIONS = new Set(['.txt', '.md']);
/** A first line that is a headline, not a sentence: short, and no closing punctuation. */
const MAX_HEADLINE_CHARS = 200;
const TITLE_CHARS = 115;

/** Raised for a file that cannot be ingested; its message is one short line for the user. */
export class BadArticleError extends Error {
  override name = 'BadArticleError';
}

interface FrontMatter {
  title?: string;
  date?: string;
  source?: string;
}

/** Reads every article file in `dir`. Bad files are reported in `skipped`, never thrown. */
export async function ingestArticles(
  dir: string,
  options: { maxBytes?: number } = {},
): Promise<{ articles: Article[]; skipped: SkippedFile[] }> {
  const maxBytes = options.maxBytes ?? MAX_ARTICLE_BYTES;
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && ARTICLE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of names) {
    try {
      const full = path.join(dir, file);
      const { size } = await stat(full);
      if (size > maxBytes) throw new BadArticleError(`too large (${formatBytes(size)}, limit ${formatBytes(maxBytes)})`);
      articles.push(...parseArticleFile(file, decodeArticle(await readFile(full))));
    } catch (error) {
      const reason = error instanceof BadArticleError ? error.message : `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      skipped.push({ file, reason });
    }
  }
  return { articles, skipped };
}

/** Bytes → text, refusing what is not a UTF-8 text file. */
export function decodeArticle(bytes: Uint8Array): string {
  if (bytes.subarray(0, 8192).includes(0)) throw new BadArticleError('binary file, not text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BadArticleError('not valid UTF-8 text (save it as UTF-8)');
  }
  if (text.trim() === '') throw new BadArticleError('empty file');
  return text;
}

/**
 * One file's text → its articles: the main article, then one item per related-article
 * blurb after "Voir plus", each with its own title and date.
 */
export function parseArticleFile(file: string, raw: string): Article[] {
  const { meta, body } = splitFrontMatter(raw.replace(/\r\n?/g, '\n'));

  // A first line "date 2024-04 …" gives the article's month; the rest of that line is text.
  let articleDate: string | null = null;
  let text = body;
  const dateLine = /^\s*date\s+(\d{4}-\d{2})\b[ \t]*/iu.exec(text);
  if (dateLine) {
    articleDate = normaliseIsoDate(dateLine[1]!);
    text = text.slice(dateLine[0].length);
  }

  const lines = text.split('\n').map((l) => l.replace(/\s+/gu, ' ').trim());
  const voirPlus = lines.findIndex((l) => /^voir plus$/iu.test(l));
  const mainLines = voirPlus === -1 ? lines : lines.slice(0, voirPlus);
  const relatedLines = voirPlus === -1 ? [] : lines.slice(voirPlus + 1);

  let link: string | null = meta.source ?? null;
  const seen = new Set<string>();
  const paragraphs: string[] = [];
  for (const line of mainLines) {
    if (line === '') continue;
    const source = readSourceLink(line);
    if (source) {
      link ??= source;
      continue;
    }
    // Repeated captions, titles and leads: the first copy is enough.
    if (isNoiseParagraph(line) || seen.has(line)) continue;
    seen.add(line);
    paragraphs.push(line);
  }
  if (paragraphs.length === 0) throw new BadArticleError('no article text after removing captions and credits');

  let title = meta.title ?? null;
  // With a title in the front matter, the first paragraph is text unless it repeats that title.
  const firstIsTitle = meta.title === undefined ? isHeadline(paragraphs[0]!) : paragraphs[0] === meta.title;
  if (firstIsTitle && paragraphs.length > 1) {
    const headline = paragraphs.shift()!;
    title ??= headline;
  }
  const sentences = paragraphs.map(toSentences).filter((p) => p.length > 0);
  title ??= titleFromSentence(sentences[0]?.[0] ?? file);

  const dateline = /^[\p{Lu}][\p{L} .'-]{1,40},\s*(\d{1,2}(?:er)?\s+\p{L}+)\s*\(VNA\)\s*[–—-]/u.exec(paragraphs[0] ?? '');
  const datelineText = dateline ? findStatedDate(dateline[1]!)?.dateText ?? null : null;
  const frontDate = meta.date ? normaliseIsoDate(meta.date) : null;

  const main: Article = {
    id: file,
    file,
    kind: 'article',
    title,
    date: frontDate ?? articleDate,
    dateText: frontDate ?? articleDate ? null : datelineText,
    link,
    paragraphs: sentences,
  };
  return [main, ...parseRelatedItems(file, relatedLines)];
}

/** The blurbs after "Voir plus": a caption, a headline, then the blurb's text. */
function parseRelatedItems(file: string, lines: string[]): Article[] {
  const items: Article[] = [];
  let current: { title: string; paragraphs: string[] } | null = null;
  const flush = (): void => {
    if (!current || current.paragraphs.length === 0) return;
    const paragraphs = current.paragraphs.map(toSentences).filter((p) => p.length > 0);
    // A blurb's date is only what the blurb itself says: never the article's above it.
    const stated: DateInfo = findStatedDate(current.paragraphs.join(' ')) ?? { date: null, dateText: null };
    items.push({
      id: `${file}#${items.length + 1}`,
      file,
      kind: 'related',
      title: current.title,
      ...stated,
      link: null,
      paragraphs,
    });
  };
  for (const line of lines) {
    if (line === '' || isNoiseParagraph(line)) continue;
    if (isHeadline(line)) {
      flush();
      current = { title: line, paragraphs: [] };
    } else if (current) {
      current.paragraphs.push(line);
    }
  }
  flush();
  return items;
}

function toSentences(paragraph: string): string[] {
  return splitSentences(paragraph)
    .map(stripSignOff)
    .filter((s) => /\p{L}/u.test(s));
}

function isHeadline(line: string): boolean {
  return line.length <= MAX_HEADLINE_CHARS && !/[.!?…»"]$/u.test(line);
}

/** Openings that set the scene (when, where) before the sentence says what happened. */
const SCENE_SETTER = /^(?:(?:Dans|Au|Aux|À|A|Lors|En|Depuis|Selon|Jeudi|Vendredi|Samedi|Dimanche|Lundi|Mardi|Mercredi|(?:Le|Ce) \d{1,2}|Cette (?:semaine|année)|Ce (?:matin|soir|mois))\b[^,]{0,60},\s*)/iu;
/** Words a title should not end on. */
const TRAILING_FUNCTION_WORD = /\s+(?:de|des|du|d['’]\S*|la|le|les|l['’]\S*|à|au|aux|et|en|sur|pour|avec|par|un|une|dans|que|qui)$/iu;
/** Words that open a phrase of their own (where, with whom, why): a title may end before one, and still be a whole phrase. */
const PHRASE_OPENERS = new Set(['à', 'au', 'aux', 'avec', 'sur', 'dans', 'pour', 'lors', 'en', 'par', 'entre', 'contre', 'afin', 'qui', 'que', 'dont', 'où', 'lorsque', 'après', 'avant', 'depuis', 'selon', 'vers', 'chez', 'durant', 'pendant', 'sous']);
/** A title cut shorter than this would say too little. */
const MIN_TITLE_CHARS = 30;

/**
 * A title for an article that has none: its first sentence without the dateline and the
 * scene-setting openings ("Dans l'après-midi du 25 octobre, au siège du …,"), ended before the
 * last phrase that opens within TITLE_CHARS ("… à Hanoi", "… pour les questions de sécurité",
 * after a comma): a whole phrase of the article's own words, never a cut one with an ellipsis
 * the source does not have.
 */
function titleFromSentence(sentence: string): string {
  let text = sentence.replace(/^[\p{Lu}][\p{L} .'-]{1,40}(?:,\s*[^()]{1,30})?\s*\(VNA\)\s*[–—-]\s*/u, '').replace(/[.!?]$/u, '');
  for (let i = 0; i < 2; i++) {
    const m = SCENE_SETTER.exec(text);
    // Only an opening phrase without a verb of its own is dropped; what is left must still be a sentence.
    if (!m || text.length - m[0].length < 30 || /\b(?:a|ont|est|sont)\b/u.test(m[0])) break;
    text = text.slice(m[0].length);
  }
  text = text.charAt(0).toUpperCase() + text.slice(1);
  if (text.length <= TITLE_CHARS) return text;
  let best: string | null = null;
  for (const m of text.matchAll(/,?\s+(\S+)/gu)) {
    if (m.index > TITLE_CHARS) break;
    const opens = m[0].startsWith(',') || PHRASE_OPENERS.has(m[1]!.toLowerCase());
    const before = text.slice(0, m.index).replace(/[,;:]$/u, '');
    if (opens && before.length >= MIN_TITLE_CHARS && !TRAILING_FUNCTION_WORD.test(before)) best = before;
  }
  // No phrase ends early enough: the sentence's words up to the last whole word, still without an ellipsis.
  if (!best) {
    best = text.slice(0, text.lastIndexOf(' ', TITLE_CHARS)).replace(/[,;:]$/u, '');
    while (TRAILING_FUNCTION_WORD.test(best)) best = best.replace(TRAILING_FUNCTION_WORD, '');
  }
  return best;
}

/** A leading `---` YAML block (`title`, `date`, `source`) overrides what is inferred. */
function splitFrontMatter(text: string): { meta: FrontMatter; body: string } {
  const body = text.replace(/^\uFEFF/u, '');
  const m = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/u.exec(body);
  if (!m) {
    if (/^---[ \t]*\n/u.test(body)) throw new BadArticleError('front matter starts with --- but is never closed');
    return { meta: {}, body };
  }
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (error) {
    throw new BadArticleError(`front matter is not valid YAML (${firstLine((error as Error).message)})`);
  }
  if (data === null || data === undefined) return { meta: {}, body: body.slice(m[0].length) };
  if (typeof data !== 'object' || Array.isArray(data)) throw new BadArticleError('front matter must be "key: value" lines');
  const record = data as Record<string, unknown>;
  const meta: FrontMatter = {};
  for (const key of ['title', 'date', 'source'] as const) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    const str = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
    if (key === 'date' && !normaliseIsoDate(str)) throw new BadArticleError(`front matter date "${str.slice(0, 40)}" is not YYYY-MM or YYYY-MM-DD`);
    if (key === 'source' && !/^https?:\/\/\S+$/u.test(str)) throw new BadArticleError('front matter source must be an http(s) link');
    if (str !== '') meta[key] = str;
  }
  return { meta, body: body.slice(m[0].length) };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 120);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
