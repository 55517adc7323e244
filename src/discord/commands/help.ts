import { ApplicationCommandType, MessageFlags } from 'discord.js';
import { renderHelp } from '../render.js';
import { langOf, libraryOf, type CommandContext, type SlashCommand } from './types.js';

/** Titles of the articles this place sees, for example questions. */
export function helpTitles(ctx: CommandContext, serverId: string | null): string[] {
  return libraryOf(ctx, serverId)
    .suggestArticles('', 50)
    .filter((a) => a.kind === 'article')
    .slice(0, 3)
    .map((a) => a.title);
}

/** `/help`: what the bot can do, privately, in the asker's language. */
export const help: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'help',
    description: 'What this bot can do, with example questions.',
    description_localizations: { fr: 'Ce que sait faire ce bot, avec des exemples de questions.' },
  },
  async execute(interaction, ctx) {
    await interaction.reply({ ...renderHelp(helpTitles(ctx, interaction.guildId), langOf(ctx, interaction)), flags: MessageFlags.Ephemeral });
  },
};
