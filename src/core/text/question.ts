import { stripVTControlCharacters } from 'node:util';
import type { Lang } from './date-label.js';
import { HELP_REQUESTS, NEWS_ALONE, NEWS_OPENINGS, NEWS_TOPIC_WORDS, SUMMARY_OPENINGS, SUMMARY_TOPIC_WORDS } from '../lang/index.js';
import { words } from './french.js';
import { guessLang } from './language.js';
import { parseTimeIntent, type TimeIntent } from './periods.js';

/** Longest question accepted, in characters: longer is a paste, not a question (Discord's option limit too). */
export const MAX_QUESTION_CHARS = 1000;

/** A question as every later stage reads it, parsed once. */
export interface Question {
  /** What was asked, cleaned ({@link cleanQuestion}). */
  text: string;
  lang: Lang;
  /** Its time words (period, "latest") and its topic without them, which is what retrieval searches. */
  time: TimeIntent;
  /** A follow-up: what the conversation so far says about where its answer is. */
  context?: ConversationContext;
}

/** What a follow-up carries from the turn before it. */
export interface ConversationContext {
  /** The articles the previous answer quoted: their sentences come first among equals. */
  preferArticles: ReadonlySet<string>;
  /** "Who else?": the sentences quoted already, not to be quoted again. */
  avoidQuotes: ReadonlySet<string>;
  /** The follow-up's words that say what it asks ("quand"): its focus and the kind of answer it wants come from them, not from the topic carried over. */
  asks: string;
}

/** Cleans and parses a question; throws {@link QuestionError} for an empty or over-long one. */
export function parseQuestion(raw: string, maxChars: number = MAX_QUESTION_CHARS, today: Date = new Date()): Question {
  const text = cleanQuestion(raw, maxChars);
  return { text, lang: guessLang(text), time: parseTimeIntent(text, today) };
}

const HELP_FR = new Set(HELP_REQUESTS.fr);
const HELP_EN = new Set(HELP_REQUESTS.en);

/**
 * Whether the text asks what the bot can do ("help", "aide", "?", "comment ça marche ?", "what
 * can you do?") rather than asking the articles something: null when it does not; else the
 * language it asked in, or null in `lang` for a bare "?".
 */
export function helpRequest(text: string): { lang: Lang | null } | null {
  if (/^\s*\?+\s*$/u.test(text)) return { lang: null };
  const said = words(text).join(' ');
  return HELP_FR.has(said) ? { lang: 'fr' } : HELP_EN.has(said) ? { lang: 'en' } : null;
}

const OPENINGS = [...NEWS_OPENINGS].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const TOPIC_WORDS = [...NEWS_TOPIC_WORDS].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

/**
 * Whether a question's topic (its time words already taken out: text/periods.ts) asks for the
 * news: null when it asks something else; else the topic the news should be about, or null
 * for all of them ("quoi de neuf ?", "les dernières nouvelles sur Singapour", "news about the convention").
 */
export function newsRequest(topic: string): { topic: string | null } | null {
  const w = words(topic);
  if (NEWS_ALONE.includes(w.join(' '))) return { topic: null };
  for (const opening of OPENINGS) {
    if (!opening.every((x, i) => w[i] === x)) continue;
    const rest = w.slice(opening.length);
    if (rest.length === 0) return { topic: null };
    const lead = TOPIC_WORDS.find((t) => t.every((x, i) => rest[i] === x));
    if (lead && rest.length > lead.length) return { topic: rest.slice(lead.length).join(' ') };
    return null;
  }
  return null;
}

const SUMMARY = [...SUMMARY_OPENINGS].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const SUMMARY_TOPIC = [...SUMMARY_TOPIC_WORDS].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

/** Whether the text asks for a summary of an article, and of which ("résume l'article sur Singapour" → "singapour"); null otherwise. */
export function summaryRequest(text: string): { topic: string } | null {
  const w = words(text);
  const opening = SUMMARY.find((o) => o.every((x, i) => w[i] === x));
  if (!opening) return null;
  let rest = w.slice(opening.length);
  const lead = SUMMARY_TOPIC.find((t) => t.every((x, i) => rest[i] === x));
  if (lead) rest = rest.slice(lead.length);
  return rest.length > 0 ? { topic: rest.join(' ') } : null;
}

export function isHelpRequest(text: string): boolean {
  return helpRequest(text) !== null;
}

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
export function cleanQuestion(raw: string, maxChars: number = MAX_QUESTION_CHARS): string {
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
