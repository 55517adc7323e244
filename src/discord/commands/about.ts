import { ApplicationCommandType } from 'discord.js';
import { langOfLocale } from '../i18n.js';
import { renderAbout } from '../render.js';
import type { SlashCommand } from './types.js';

export const about: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'about',
    description: 'What the bot knows: articles, dates, feeds, model and index.',
    description_localizations: { fr: 'Ce que sait le bot : articles, dates, flux, modèle et index.' },
  },
  async execute(interaction, { engine }) {
    await interaction.reply(renderAbout(engine.about(), langOfLocale(interaction.locale)));
  },
};
