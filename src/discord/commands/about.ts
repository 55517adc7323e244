import { ApplicationCommandType } from 'discord.js';
import { renderAbout } from '../render.js';
import { canManageServer, langOf, libraryOf, type SlashCommand } from './types.js';

export const about: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'about',
    description: 'What the bot knows: articles, dates, feeds, model and index.',
    description_localizations: { fr: 'Ce que sait le bot : articles, dates, flux, modèle et index.' },
  },
  async execute(interaction, ctx) {
    // In a server: its own library with the shared base; the operator's feeds only in a DM.
    const facts = interaction.guildId ? libraryOf(ctx, interaction.guildId).about() : ctx.engine.about();
    // The server's own ratings, for those who run it: read here, so /about stays one call for everyone else.
    const ratings = canManageServer(interaction) ? await ctx.engine.feedback.list(interaction.guildId).catch(() => null) : null;
    const votes = ratings ? { up: ratings.filter((r) => r.vote === 'up').length, all: ratings.length } : null;
    await interaction.reply(renderAbout({ ...facts, ...(votes ? { ratings: votes } : {}) }, langOf(ctx, interaction)));
  },
};
