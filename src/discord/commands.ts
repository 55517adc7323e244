import { ApplicationCommandOptionType, ApplicationCommandType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { DEFAULTS } from '../core/defaults.js';

/**
 * The slash commands, as the JSON Discord registers: plain data, the single source of truth
 * for names, options and limits.
 */
export const COMMANDS = [
  {
    type: ApplicationCommandType.ChatInput,
    name: 'ask',
    description: 'Ask a question about the articles; the answer quotes them.',
    description_localizations: { fr: 'Posez une question sur les articles ; la réponse les cite.' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, in French or English',
        description_localizations: { fr: 'Votre question, en français ou en anglais' },
        required: true,
        max_length: DEFAULTS.maxQuestionChars,
      },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'source',
    description: "Show an article's title, date, link and opening lines.",
    description_localizations: { fr: 'Affiche le titre, la date, le lien et le début d’un article.' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'article',
        description: 'Article title',
        description_localizations: { fr: 'Titre de l’article' },
        required: true,
        autocomplete: true,
      },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'about',
    description: 'What the bot knows: articles, dates, model and index.',
    description_localizations: { fr: 'Ce que sait le bot : articles, dates, modèle et index.' },
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'reindex',
    description: 'Re-read the articles and update the index (Manage Server only).',
    description_localizations: { fr: 'Relit les articles et met l’index à jour (Gérer le serveur).' },
    // Hidden from and refused to members without Manage Server, by Discord itself.
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
] as const satisfies readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];

export type CommandName = (typeof COMMANDS)[number]['name'];
