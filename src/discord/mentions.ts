/**
 * The question without mention markup: mentions of the bot, of anyone, of roles and channels,
 * and @everyone / @here are not part of it (in a message that mentions the bot, or typed into /ask).
 */
export function stripMentions(content: string): string {
  return content
    .replace(/<@[!&]?\d+>/gu, ' ')
    .replace(/<#\d+>/gu, ' ')
    .replace(/@(?:everyone|here)\b/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
