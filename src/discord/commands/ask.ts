import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import { isHelpRequest, MAX_QUESTION_CHARS, summaryRequest } from '../../core/text/index.js';
import { TEXT } from '../i18n.js';
import { stripMentions } from '../mentions.js';
import { validQuestion } from '../question.js';
import { notice, renderAnswer, renderHelp, renderNews, renderSummary } from '../render.js';
import { helpTitles } from './help.js';
import { langOf, libraryOf, type SlashCommand } from './types.js';

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
    ],
  },
  async execute(interaction, ctx) {
    const { cooldown, answer } = ctx;
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
    const answered = await answer(question, interaction.guildId, ctx.conversations.previous(place, null));
    const [first, ...rest] = renderAnswer(answered, lang, ctx.feedback.offer(interaction.guildId, answered));
    const sent = [(await interaction.editReply(first!)).id];
    for (const reply of rest) sent.push((await interaction.followUp(hidden ? { ...reply, flags: MessageFlags.Ephemeral } : reply)).id);
    ctx.conversations.remember(place, answered, sent);
  },
};
