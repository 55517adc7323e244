import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, MessageFlags, ThreadAutoArchiveDuration, type ChatInputCommandInteraction } from 'discord.js';
import type { Answer } from '../../core/types.js';
import type { Lang } from '../../core/text/index.js';
import { isHelpRequest, MAX_QUESTION_CHARS, summaryRequest } from '../../core/text/index.js';
import { TEXT } from '../i18n.js';
import { truncate } from '../limits.js';
import { stripMentions } from '../mentions.js';
import { validQuestion } from '../question.js';
import { sendAnswer } from '../answer-reply.js';
import { notice, renderHelp, renderNews, renderSummary } from '../render.js';
import { helpTitles } from './help.js';
import { langOf, libraryOf, type CommandContext, type SlashCommand } from './types.js';

/** A public thread from the answer, named after the question; the answer is its conversation's first turn. */
async function startThread(interaction: ChatInputCommandInteraction, ctx: CommandContext, question: string, messageId: string, answered: Answer, lang: Lang): Promise<void> {
  const channel = interaction.channel;
  try {
    if (!interaction.inGuild() || !channel || channel.type !== ChannelType.GuildText) throw new Error('not a server text channel');
    // A thread started from a message has that message's id: its conversation is ready before the first message in it can arrive.
    ctx.conversations.startThread({ server: interaction.guildId, channel: messageId }, answered);
    await channel.threads.create({ startMessage: messageId, name: threadName(question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
  } catch (error) {
    ctx.logger.warn({ err: error, server: interaction.guildId }, 'could not start a thread for an answer');
    await interaction.followUp({ ...notice(TEXT[lang].noThread), flags: MessageFlags.Ephemeral });
  }
}

/** The question as a thread's name: one line, at most Discord's 100 characters, cut at a word. */
export function threadName(question: string): string {
  return truncate(question.replace(/\s+/gu, ' ').trim(), 100);
}

export const ask: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'ask',
    description: 'Ask a question about the articles; the answer quotes them.',
    description_localizations: { fr: 'Posez une question sur les articles ; la réponse les cite.' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, in French or English (“in October 2025”, “latest” narrow it in time)',
        description_localizations: { fr: 'Votre question, en français ou en anglais (« en octobre 2025 », « dernière » la situent dans le temps)' },
        required: true,
        max_length: MAX_QUESTION_CHARS,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'thread',
        description: 'Answer in a new thread named after the question, for the follow-ups (default: the server’s choice)',
        description_localizations: { fr: 'Répondre dans un nouveau fil nommé d’après la question, pour la suite (par défaut : le choix du serveur)' },
      },
    ],
  },
  async execute(interaction, ctx) {
    const { cooldown } = ctx;
    const lang = langOf(ctx, interaction);
    // Mentions typed in the option arrive as <@id> markup: not part of the question (as in messages).
    const question = validQuestion(stripMentions(interaction.options.getString('question', true)), lang);
    if (typeof question !== 'string') return void (await interaction.reply({ ...question, flags: MessageFlags.Ephemeral }));
    if (isHelpRequest(question)) return void (await interaction.reply({ ...renderHelp(helpTitles(ctx, interaction.guildId), lang), flags: MessageFlags.Ephemeral }));
    const wait = await cooldown.take(interaction.user.id);
    if (wait > 0) return void (await interaction.reply({ ...notice(TEXT[lang].cooldown(wait)), flags: MessageFlags.Ephemeral }));
    // Acknowledge first: Discord drops interactions not answered within 3 seconds.
    // Seen by the asker only when the server chose so in /settings.
    const hidden = interaction.guildId !== null && ctx.engine.library(interaction.guildId).settings().privateAnswers;
    await interaction.deferReply(hidden ? { flags: MessageFlags.Ephemeral } : {});
    // "Quoi de neuf ?": the newest articles, not a quote.
    const library = libraryOf(ctx, interaction.guildId);
    const fresh = await library.news(question);
    if (fresh) return void (await interaction.editReply(renderNews(fresh, lang)));
    // "Résume l'article sur Singapour": its own sentences, not an answer.
    const wanted = summaryRequest(question);
    const summed = wanted ? await library.summary(wanted.topic) : null;
    if (summed) return void (await interaction.editReply(renderSummary(summed, lang)));
    // Right after the bot answered this person here, /ask may follow up on that answer ("Et quand ?").
    const place = { server: interaction.guildId, channel: interaction.channelId, user: interaction.user.id };
    const { answered, sent } = await sendAnswer(ctx, place, question, lang, null, (reply, i) =>
      i === 0 ? interaction.editReply(reply) : interaction.followUp(hidden ? { ...reply, flags: MessageFlags.Ephemeral } : reply),
    );
    // A thread of its own, for a discussion and its follow-ups: never for a private answer.
    const wantsThread = interaction.options.getBoolean('thread') ?? (interaction.guildId !== null && ctx.engine.library(interaction.guildId).settings().threads);
    if (wantsThread && !hidden) await startThread(interaction, ctx, question, sent[0]!, answered, lang);
  },
};
