import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import { TEXT } from '../i18n.js';
import { notice, renderCitation } from '../render.js';
import { ARTICLE_OPTION, completeTitles } from './source.js';
import { langOf, libraryOf, type SlashCommand } from './types.js';

export const cite: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'cite',
    description: 'A ready-to-paste citation: « quote » — title, date, link.',
    description_localizations: { fr: 'Une citation prête à coller : « citation » — titre, date, lien.' },
    options: [
      ARTICLE_OPTION,
      {
        type: ApplicationCommandOptionType.String,
        name: 'quote',
        description: 'Words from the sentence to quote (default: the opening sentence)',
        description_localizations: { fr: 'Des mots de la phrase à citer (par défaut : la première phrase)' },
        required: false,
        max_length: 300,
      },
    ],
  },
  async execute(interaction, ctx) {
    const { engine } = ctx;
    const lang = langOf(ctx, interaction);
    const t = TEXT[lang];
    const article = await libraryOf(ctx, interaction.guildId).findArticle(interaction.options.getString('article', true));
    if (!article) return void (await interaction.reply({ ...notice(t.unknownArticle), flags: MessageFlags.Ephemeral }));
    const sentence = engine.findSentence(article, interaction.options.getString('quote') ?? '');
    if (!sentence) return void (await interaction.reply({ ...notice(t.citeNoMatch), flags: MessageFlags.Ephemeral }));
    await interaction.reply(renderCitation(article, sentence, lang));
  },
  autocomplete: completeTitles,
};
