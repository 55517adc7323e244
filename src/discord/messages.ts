import type { Client, Message } from 'discord.js';
import { libraryOf, type CommandContext } from './commands/types.js';
import { failureText, logFailure } from './failures.js';
import { TEXT, guessLang } from './i18n.js';
import { stripMentions } from './mentions.js';
import { validQuestion } from './question.js';
import { helpRequest, summaryRequest } from '../core/text/index.js';
import { helpTitles } from './commands/help.js';
import { sendAnswer } from './answer-reply.js';
import { notice, renderHelp, renderNews, renderSummary } from './render.js';

/** Answers a message that mentions the bot (or replies to it); ignores every other message and all bots. */
export function messageHandler(client: Client, ctx: CommandContext, stopping: () => boolean): (message: Message) => Promise<void> {
  const { logger, cooldown } = ctx;
  return async (message) => {
    try {
      const me = client.user;
      if (stopping() || !me || message.author.bot) return;
      const mentioned = message.mentions.users.has(me.id) || message.mentions.repliedUser?.id === me.id;
      // In a thread the bot started from an answer, every message continues that conversation, mention or not.
      const thread = ctx.conversations.inThread(message.guildId, message.channelId, message.channel.isThread() && message.channel.ownerId === me.id);
      if (!mentioned && !thread) return;
      const lang = guessLang(message.content);
      const question = validQuestion(stripMentions(message.content), lang);
      if (typeof question !== 'string') return void (await message.reply(question));
      const help = helpRequest(question);
      if (help) return void (await message.reply(renderHelp(helpTitles(ctx, message.guildId), help.lang ?? lang)));
      const wait = await cooldown.take(message.author.id);
      if (wait > 0) {
        // Only the asker needs it, and a message cannot be private: it goes away by itself.
        const sent = await message.reply(notice(TEXT[lang].cooldown(wait)));
        setTimeout(() => void sent.delete().catch(() => undefined), ctx.noticeLifetimeMs).unref();
        return;
      }
      const library = libraryOf(ctx, message.guildId);
      const fresh = await library.news(question);
      if (fresh) return void (await message.reply(renderNews(fresh, lang)));
      const wanted = summaryRequest(question);
      const summed = wanted ? await library.summary(wanted.topic) : null;
      if (summed) return void (await message.reply(renderSummary(summed, lang)));
      // A reply to one of the bot's answers, or a mention right after it answered this person here, may follow up on it ("Et quand ?").
      const place = thread ?? { server: message.guildId, channel: message.channelId, user: message.author.id };
      await sendAnswer(ctx, place, question, lang, message.reference?.messageId ?? null, (reply) => message.reply(reply));
    } catch (error) {
      logFailure(logger, error, { message: message.id }, 'message handling failed');
      await message.reply(notice(failureText(TEXT[guessLang(message.content)], error))).catch((e: unknown) => logger.error({ err: e }, 'could not report the failure'));
    }
  };
}
