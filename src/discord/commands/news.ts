import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { renderNews } from '../render.js';
import { langOf, libraryOf, type SlashCommand } from './types.js';

/** `/news [topic] [period]`: the newest articles this place sees, of the period or on the topic. */
export const news: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'news',
    description: 'The newest articles, on a topic or of a period.',
    description_localizations: { fr: 'Les articles les plus récents, sur un sujet ou d’une période.' },
    options: [
      { type: ApplicationCommandOptionType.String, name: 'topic', description: 'What about (“Singapore”)', description_localizations: { fr: 'Sur quoi (« Singapour »)' }, max_length: 200 },
      { type: ApplicationCommandOptionType.String, name: 'period', description: 'When (“October 2025”, “last month”)', description_localizations: { fr: 'Quand (« octobre 2025 », « le mois dernier »)' }, max_length: 100 },
    ],
  },
  async execute(interaction, ctx) {
    const topic = interaction.options.getString('topic')?.trim();
    const period = interaction.options.getString('period')?.trim();
    // Said as a person would: the period is read by the same time words as any question.
    const question = `news${topic ? ` about ${topic}` : ''}${period ? ` in ${period}` : ''}`;
    await interaction.deferReply();
    const found = await libraryOf(ctx, interaction.guildId).news(question);
    await interaction.editReply(renderNews(found ?? { topic: topic ?? null, period: null, items: [] }, langOf(ctx, interaction)));
  },
};
