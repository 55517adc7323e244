import { DEFAULTS } from './defaults.js';

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

/**
 * Cleans what users paste: control characters, zero-width and bidirectional marks are
 * removed and whitespace collapsed. Refuses empty and over-long questions.
 */
export function cleanQuestion(raw: string, maxChars: number = DEFAULTS.maxQuestionChars): string {
  const cleaned = raw
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (cleaned === '') throw new QuestionError('The question is empty: ask something about the articles.', 'empty', maxChars);
  if (cleaned.length > maxChars) {
    throw new QuestionError(`The question is too long (${cleaned.length} characters, at most ${maxChars}).`, 'too-long', maxChars);
  }
  return cleaned;
}
