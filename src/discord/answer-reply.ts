import type { Lang } from '../core/text/index.js';
import type { Answer } from '../core/types.js';
import type { CommandContext } from './commands/types.js';
import type { Place } from './conversations.js';
import { renderAnswer, type Reply } from './render.js';

/**
 * A question asked at `place`, answered and sent: read with the turn it may follow up on (the
 * answer `repliedTo` names, or the asker's last turn there), rendered with its 👍 / 👎, sent one
 * message at a time by `send` (a reply, an interaction's edit and follow-ups), and remembered as
 * the place's last turn with the ids of the messages it went out as.
 */
export async function sendAnswer(
  ctx: CommandContext,
  place: Place,
  question: string,
  lang: Lang,
  repliedTo: string | null,
  send: (reply: Reply, index: number) => Promise<{ id: string }>,
): Promise<{ answered: Answer; sent: string[] }> {
  const answered = await ctx.answer(question, place.server, ctx.conversations.previous(place, repliedTo));
  const sent: string[] = [];
  for (const [i, reply] of renderAnswer(answered, lang, ctx.feedback.offer(place.server, answered)).entries()) sent.push((await send(reply, i)).id);
  ctx.conversations.remember(place, answered, sent);
  return { answered, sent };
}
