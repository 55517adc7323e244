import { removeInvisible } from '../core/text/index.js';

/**
 * The question without mention markup: mentions of the bot, of anyone, of roles and channels,
 * and @everyone / @here are not part of it (in a message that mentions the bot, or typed into /ask).
 * Zero-width and bidirectional marks go first: "@\u200beveryone" (as Discord defuses it) is a mention too.
 */
export function stripMentions(content: string): string {
  return removeInvisible(content)
    .replace(/<@[!&]?\d+>/gu, ' ')
    .replace(/<#\d+>/gu, ' ')
    .replace(/@(?:everyone|here)\b/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
