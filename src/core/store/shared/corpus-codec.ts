/**
 * The parsed corpus as file sections: every source file's stat and content hash, its articles
 * and their passages, with the text stored once as UTF-8. Reading it back builds the same
 * `Article` and `Passage` objects that parsing the files gives, in a fraction of the time
 * (no sentence segmentation, no hashing, no date finding).
 */
import type { Lang } from '../../text/index.js';
import { statedDates } from '../../text/index.js';
import type { Article, Passage } from '../../types.js';
import type { Section, Sections } from '../../../lib/sections.js';

/** One source file as last ingested. */
export interface FileRecord {
  file: string;
  size: number;
  mtimeMs: number;
  /** SHA-1 of the file's bytes: a touched but unchanged file is not ingested again. */
  sha1: string;
  articles: Article[];
  /** The language of each article, as `articleLanguage` read it. */
  languages: Lang[];
  passages: Passage[];
  /**
   * Every date with a year the texts of its passages state, sorted, each once: found at ingest,
   * so that "nothing from that period" never reads the whole corpus. Absent for records read
   * from Postgres.
   */
  stated?: string[];
}

type ArticleRow = [id: string, kind: Article['kind'], title: string, date: string | null, dateText: string | null, link: string | null, lang: Lang, paragraphs: number[]];
type FileRow = [file: string, size: number, mtimeMs: number, sha1: string, articles: number];

export function encodeCorpus(files: readonly FileRecord[]): Record<string, Section> {
  const fileRows: FileRow[] = [];
  const articleRows: ArticleRow[] = [];
  const sentenceLengths: number[] = [];
  const passageIds: string[] = [];
  const passageCols = { article: [] as number[], position: [] as number[], paragraph: [] as number[], start: [] as number[], count: [] as number[] };
  const ownDates: Record<number, [string | null, string | null]> = {};
  const stated: string[][] = [];
  for (const f of files) {
    stated.push(statedOf(f));
    fileRows.push([f.file, f.size, f.mtimeMs, f.sha1, f.articles.length]);
    const firstArticle = articleRows.length;
    const indexOf = new Map<string, number>();
    f.articles.forEach((a, i) => {
      indexOf.set(a.id, articleRows.length);
      articleRows.push([a.id, a.kind, a.title, a.date, a.dateText, a.link, f.languages[i] ?? 'fr', a.paragraphs.map((p) => p.length)]);
      for (const s of a.paragraphs.flat()) sentenceLengths.push(s.length);
    });
    for (const p of f.passages) {
      const a = indexOf.get(p.articleId);
      if (a === undefined) throw new Error(`passage ${p.id} of ${f.file} names no article of that file`);
      const article = f.articles[a - firstArticle]!;
      const paragraph = article.paragraphs[p.paragraph] ?? [];
      let start = -1;
      for (let at = 0; at + p.sentences.length <= paragraph.length && start < 0; at++) {
        if (p.sentences.every((s, i) => paragraph[at + i] === s)) start = at;
      }
      if (start < 0) throw new Error(`passage ${p.id} is not a run of its paragraph's sentences`);
      passageIds.push(p.id);
      passageCols.article.push(a);
      passageCols.position.push(p.position);
      passageCols.paragraph.push(p.paragraph);
      passageCols.start.push(start);
      passageCols.count.push(p.sentences.length);
      if (p.date !== article.date || p.dateText !== article.dateText) ownDates[passageIds.length - 1] = [p.date, p.dateText];
    }
  }
  // UTF-16: read back with a copy, where decoding UTF-8 costs three times as long, and most
  // news text has a character beyond Latin-1 (’, œ, –) that makes V8 store it as UTF-16 anyway.
  // Written sentence by sentence into one buffer of the final size.
  const text = Buffer.alloc(sentenceLengths.reduce((n, l) => n + l, 0) * 2);
  const textBytes: number[] = [0];
  let at = 0;
  for (const f of files) {
    for (const a of f.articles) {
      for (const p of a.paragraphs) for (const s of p) at += text.write(s, at, 'utf16le');
      textBytes.push(at);
    }
  }
  return {
    'corpus.files': { json: fileRows },
    'corpus.articles': { json: articleRows },
    'corpus.text': new Uint8Array(text.buffer, text.byteOffset, text.length),
    'corpus.textBytes': Float64Array.from(textBytes),
    'corpus.sentenceLengths': Uint32Array.from(sentenceLengths),
    'corpus.passageIds': { strings: passageIds },
    'corpus.passageArticle': Uint32Array.from(passageCols.article),
    'corpus.passagePosition': Uint32Array.from(passageCols.position),
    'corpus.passageParagraph': Uint32Array.from(passageCols.paragraph),
    'corpus.passageStart': Uint32Array.from(passageCols.start),
    'corpus.passageCount': Uint32Array.from(passageCols.count),
    'corpus.passageDates': { json: ownDates },
    'corpus.statedDates': { json: stated },
  };
}

/** The files of {@link encodeCorpus}; throws on data that does not fit together. */
export function decodeCorpus(s: Sections): FileRecord[] {
  const fileRows = s.json<FileRow[]>('corpus.files');
  const articleRows = s.json<ArticleRow[]>('corpus.articles');
  const text = s.bytes('corpus.text');
  const textBytes = s.array('corpus.textBytes', 'Float64Array');
  const sentenceLengths = s.array('corpus.sentenceLengths', 'Uint32Array');
  const ids = s.strings('corpus.passageIds');
  const col = {
    article: s.array('corpus.passageArticle', 'Uint32Array'),
    position: s.array('corpus.passagePosition', 'Uint32Array'),
    paragraph: s.array('corpus.passageParagraph', 'Uint32Array'),
    start: s.array('corpus.passageStart', 'Uint32Array'),
    count: s.array('corpus.passageCount', 'Uint32Array'),
  };
  const ownDates = s.json<Record<string, [string | null, string | null]>>('corpus.passageDates');
  const stated = s.json<string[][]>('corpus.statedDates');
  if (stated.length !== fileRows.length) throw new Error('stated dates do not match the file list');
  if (textBytes.length !== articleRows.length + 1 || textBytes[articleRows.length] !== text.length) throw new Error('article texts do not match the article list');
  if (Object.values(col).some((c) => c.length !== ids.length)) throw new Error('passage columns differ in length');
  if (fileRows.reduce((n, f) => n + f[4], 0) !== articleRows.length) throw new Error('files and articles do not add up');

  const articles: Article[] = [];
  const fileOfArticle: number[] = [];
  let sentence = 0;
  fileRows.forEach(([file, , , , count], fileIndex) => {
    for (let i = 0; i < count; i++) {
      const a = articles.length;
      const [id, kind, title, date, dateText, link, , shape] = articleRows[a]!;
      const whole = text.toString('utf16le', textBytes[a]!, textBytes[a + 1]!);
      let at = 0;
      const paragraphs = shape.map((n) => {
        const out: string[] = [];
        for (let k = 0; k < n; k++) {
          const len = sentenceLengths[sentence++];
          if (len === undefined) throw new Error('fewer sentence lengths than sentences');
          out.push(whole.slice(at, (at += len)));
        }
        return out;
      });
      if (at !== whole.length) throw new Error(`article ${id}: sentence lengths do not cover its text`);
      articles.push({ id, file, kind, title, date, dateText, link, paragraphs });
      fileOfArticle.push(fileIndex);
    }
  });
  if (sentence !== sentenceLengths.length) throw new Error('more sentence lengths than sentences');

  const passagesOfFile: Passage[][] = fileRows.map(() => []);
  for (let i = 0; i < ids.length; i++) {
    const a = col.article[i]!;
    const article = articles[a];
    if (!article) throw new Error(`passage ${ids[i]} names article ${a}, which does not exist`);
    const paragraph = article.paragraphs[col.paragraph[i]!];
    const start = col.start[i]!;
    const count = col.count[i]!;
    if (!paragraph || count === 0 || start + count > paragraph.length) throw new Error(`passage ${ids[i]} lies outside its paragraph`);
    const sentences = paragraph.slice(start, start + count);
    // The same string as `sentences.join(' ')`, built by concatenation: V8 keeps it as a rope
    // until something reads it character by character, so loading copies no passage text.
    let passageText = sentences[0]!;
    for (let k = 1; k < sentences.length; k++) passageText = `${passageText} ${sentences[k]!}`;
    const own = ownDates[i];
    passagesOfFile[fileOfArticle[a]!]!.push({
      id: ids[i]!,
      key: `${article.id}:${col.position[i]!}`,
      articleId: article.id,
      file: article.file,
      title: article.title,
      link: article.link,
      position: col.position[i]!,
      paragraph: col.paragraph[i]!,
      sentences,
      text: passageText,
      date: own ? own[0] : article.date,
      dateText: own ? own[1] : article.dateText,
    });
  }

  let next = 0;
  return fileRows.map(([file, size, mtimeMs, sha1, count], f) => {
    const mine = articles.slice(next, next + count);
    const languages = articleRows.slice(next, next + count).map((r) => r[6]);
    next += count;
    return { file, size, mtimeMs, sha1, articles: mine, languages, passages: passagesOfFile[f]!, stated: stated[f]! };
  });
}

/** The dates a file's passages state, sorted, each once. */
export function datesStatedIn(passages: readonly Passage[]): string[] {
  const dates = new Set<string>();
  for (const p of passages) for (const d of statedDates(p.text)) dates.add(d);
  return [...dates].sort();
}

/** A record's stated dates: kept since ingest, or found now (a record read from Postgres may have none). */
export function statedOf(record: Pick<FileRecord, 'passages' | 'stated'>): string[] {
  return record.stated ?? datesStatedIn(record.passages);
}

/**
 * The corpus's stated dates, sorted, each once, from its files' lists; null when a file has no
 * list (written before they were kept), since the union would then claim too little.
 */
export function unionOfStated(lists: Iterable<readonly string[] | null | undefined>): string[] | null {
  const dates = new Set<string>();
  for (const list of lists) {
    if (!list) return null;
    for (const d of list) dates.add(d);
  }
  return [...dates].sort();
}
