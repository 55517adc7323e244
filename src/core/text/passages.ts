import { createHash } from 'node:crypto';
import { findStatedDate } from './dates.js';
import type { Article, DateInfo, Passage } from '../types.js';

/**
 * Passage size: up to 3 consecutive sentences of one paragraph, overlapping by 1.
 * News paragraphs are 1–4 sentences and each is about one thing, so a passage never crosses
 * a paragraph. Three sentences are short enough for BM25 and a small embedding model to stay
 * precise, and the one-sentence overlap keeps a sentence with the one before it, which is
 * where its subject ("Il", "Les deux parties") is usually named.
 */
export const PASSAGE_SENTENCES = 3;
const PASSAGE_OVERLAP = 1;

/**
 * Cuts articles into passages. Same text in, same ids out, and every id once: news pages
 * repeat text (a lead restated in the body, a syndicated block), and a window whose text is
 * already a passage of the same article would only be a second copy of the same evidence.
 */
export function buildPassages(articles: readonly Article[]): Passage[] {
  const passages: Passage[] = [];
  for (const article of articles) {
    let position = 0;
    const seen = new Set<string>();
    article.paragraphs.forEach((sentences, paragraph) => {
      for (const window of windows(sentences)) {
        const text = window.join(' ');
        const id = passageId(article.id, text);
        if (seen.has(id)) continue;
        seen.add(id);
        passages.push({
          id,
          key: `${article.id}:${position}`,
          articleId: article.id,
          file: article.file,
          title: article.title,
          link: article.link,
          position,
          paragraph,
          sentences: window,
          text,
          ...passageDate(article, text),
        });
        position += 1;
      }
    });
  }
  return passages;
}

function windows(sentences: string[]): string[][] {
  if (sentences.length <= PASSAGE_SENTENCES) return [sentences];
  const out: string[][] = [];
  const stride = PASSAGE_SENTENCES - PASSAGE_OVERLAP;
  for (let start = 0; start < sentences.length - PASSAGE_OVERLAP; start += stride) {
    out.push(sentences.slice(start, start + PASSAGE_SENTENCES));
  }
  return out;
}

/** A content hash, prefixed by nothing that can change when other files change. */
export function passageId(articleId: string, text: string): string {
  return createHash('sha256').update(articleId).update('\n').update(text).digest('hex').slice(0, 16);
}

/**
 * The article's date when it has one; otherwise its dateline (or a blurb's own date);
 * otherwise a date the passage itself states. Never another article's date.
 */
function passageDate(article: Article, text: string): DateInfo {
  if (article.date !== null || article.dateText !== null) return { date: article.date, dateText: article.dateText };
  return findStatedDate(text) ?? { date: null, dateText: null };
}
