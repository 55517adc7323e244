import { splitSentences } from '../core/text/index.js';

/** Discord's limits (https://discord.com/developers/docs/resources/message). */
export const LIMITS = Object.freeze({
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  embedTotal: 6000,
  embeds: 10,
  buttonLabel: 80,
  buttonsPerRow: 5,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
});

/**
 * Splits text into chunks of at most `limit` characters, on sentence boundaries when it can,
 * else on spaces; never inside a word unless a single word is longer than the limit.
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const pieces = splitSentences(text).flatMap((s) => (s.length <= limit ? [s] : splitOnSpaces(s, limit)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const next = current ? `${current} ${piece}` : piece;
    if (next.length <= limit) {
      current = next;
    } else {
      if (current) chunks.push(current);
      current = piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitOnSpaces(text: string, limit: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/u)) {
    for (const part of word.length > limit ? word.match(new RegExp(`[\\s\\S]{1,${limit}}`, 'gu'))! : [word]) {
      const next = current ? `${current} ${part}` : part;
      if (next.length <= limit) current = next;
      else {
        if (current) out.push(current);
        current = part;
      }
    }
  }
  if (current) out.push(current);
  return out;
}

/** Cuts to `limit` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}…`;
}
