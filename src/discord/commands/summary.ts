import { ApplicationCommandType, MessageFlags } from 'discord.js';
import { TEXT } from '../i18n.js';
import { notice, renderSummary } from '../render.js';
import { ARTICLE_OPTION, completeTitles } from './source.js';
import { langOf, libraryOf, type SlashCommand } from './types.js';

/** `/summary article:<title>`: the article's 3–5 sentences that best cover it, verbatim, never generated text. */
export const summary: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'summary',
    description: "An article's own sentences that best cover it, word for word.",
    description_localizations: { fr: 'Les phrases d’un article qui le couvrent le mieux, mot pour mot.' },
    options: [ARTICLE_OPTION],
  },
  async execute(interaction, ctx) {
    const lang = langOf(ctx, interaction);
    const found = await libraryOf(ctx, interaction.guildId).summary(interaction.options.getString('article', true));
    if (!found) return void (await interaction.reply({ ...notice(TEXT[lang].unknownArticle), flags: MessageFlags.Ephemeral }));
    await interaction.reply(renderSummary(found, lang));
  },
  autocomplete: completeTitles,
};
