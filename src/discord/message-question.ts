/**
 * The question in a message that mentions the bot: mentions of the bot, of anyone, of roles
 * and channels, and @everyone / @here are not part of it.
 */
export function questionFromMessage(content: string): string {
  return content
    .replace(/<@[!&]?\d+>/gu, ' ')
    .replace(/<#\d+>/gu, ' ')
    .replace(/@(?:everyone|here)\b/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
