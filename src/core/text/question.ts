import { stripVTControlCharacters } from 'node:util';
import { DEFAULTS } from '../answer/index.js';

/** A question that cannot be asked; `message` is one short line for the user. */
export class QuestionError extends Error {
  override name = 'QuestionError';
  constructor(
    message: string,
    /** What is wrong, so adapters can word it in the user's language. */
    readonly kind: 'empty' | 'too-long',
    readonly limit: number,
  ) {
    super(message);
  }
}

/** Zero-width and bidirectional marks. */
const INVISIBLE_MARKS = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

/**
 * The text as it shows: zero-width and bidirectional marks removed first (they hide markup,
 * as in Discord's defused "@\u200beveryone"), then whole terminal escape sequences (ANSI
 * CSI/OSC: colours, titles, links), not just their control character, which left "31m" behind.
 * Run before anything that looks for markup in the text, such as mention stripping.
 */
export function removeInvisible(text: string): string {
  return stripVTControlCharacters(text.replace(INVISIBLE_MARKS, ''));
}

/**
 * Cleans what users paste: zero-width and bidirectional marks, terminal escape sequences and
 * control characters are removed and whitespace collapsed. Refuses empty and over-long questions.
 */
export function cleanQuestion(raw: string, maxChars: number = DEFAULTS.maxQuestionChars): string {
  const cleaned = removeInvisible(raw)
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (cleaned === '') throw new QuestionError('The question is empty: ask something about the articles.', 'empty', maxChars);
  if (cleaned.length > maxChars) {
    throw new QuestionError(`The question is too long (${cleaned.length} characters, at most ${maxChars}).`, 'too-long', maxChars);
  }
  return cleaned;
}
