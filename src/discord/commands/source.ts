import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import { TEXT } from '../i18n.js';
import { LIMITS, truncate } from '../limits.js';
import { notice, renderArticle } from '../render.js';
import { langOf, libraryOf, type CommandContext, type SlashCommand } from './types.js';
import type { AutocompleteInteraction } from 'discord.js';

/** The `article` option, autocompleted by {@link completeTitles} (shared by /source and /cite). */
export const ARTICLE_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'article',
  description: 'Article title',
  description_localizations: { fr: 'Titre de l’article' },
  required: true,
  autocomplete: true,
} as const;

/** Autocompletes article titles (shared by /source and /cite). */
export async function completeTitles(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'article') return void (await interaction.respond([]));
  const choices = libraryOf(ctx, interaction.guildId)
    .suggestArticles(String(focused.value), LIMITS.choices)
    .map((a) => ({ name: truncate(a.title, LIMITS.choiceName), value: a.id.slice(0, LIMITS.choiceValue) }));
  await interaction.respond(choices);
}

export const source: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'source',
    description: "Show an article's title, date, link and opening lines.",
    description_localizations: { fr: 'Affiche le titre, la date, le lien et le début d’un article.' },
    options: [
      ARTICLE_OPTION,
    ],
  },
  async execute(interaction, ctx) {
    const lang = langOf(ctx, interaction);
    const article = await libraryOf(ctx, interaction.guildId).findArticle(interaction.options.getString('article', true));
    if (!article) return void (await interaction.reply({ ...notice(TEXT[lang].unknownArticle), flags: MessageFlags.Ephemeral }));
    await interaction.reply(renderArticle(article, lang));
  },
  autocomplete: completeTitles,
};
