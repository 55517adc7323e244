import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { ServerLibrariesOffError, type ServerSettings } from '../../engine/index.js';
import { TEXT } from '../i18n.js';
import { notice } from '../render.js';
import { canManageServer, langOf, libraryOf, optionId, type SlashCommand } from './types.js';

/** `/settings`: the server's language, whether answers are private by default, the role that may add articles. */
export const settings: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'settings',
    description: "This server's language, private answers, threads, adding role (Manage Server only).",
    description_localizations: { fr: 'Langue, réponses privées, fils, rôle qui ajoute des articles (Gérer le serveur).' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'language',
        description: "The bot's language here (default: each member's Discord language)",
        description_localizations: { fr: 'La langue du bot ici (par défaut : celle de chaque membre sur Discord)' },
        choices: [
          { name: 'Each member’s Discord language', name_localizations: { fr: 'Celle de chaque membre' }, value: 'auto' },
          { name: 'Français', value: 'fr' },
          { name: 'English', value: 'en' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'answers',
        description: 'Who sees the answers to /ask',
        description_localizations: { fr: 'Qui voit les réponses à /ask' },
        choices: [
          { name: 'Everyone in the channel', name_localizations: { fr: 'Tout le salon' }, value: 'public' },
          { name: 'Only the member who asked', name_localizations: { fr: 'Seulement le membre qui pose la question' }, value: 'private' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'sources',
        description: 'Who sees what “Find sources” finds',
        description_localizations: { fr: 'Qui voit ce que « Trouver des sources » trouve' },
        choices: [
          { name: 'Only the member who asked', name_localizations: { fr: 'Seulement le membre qui le demande' }, value: 'private' },
          { name: 'Everyone, under the message checked', name_localizations: { fr: 'Tout le monde, sous le message vérifié' }, value: 'public' },
        ],
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'threads',
        description: 'Answer /ask in a new thread named after the question, by default',
        description_localizations: { fr: 'Répondre à /ask dans un nouveau fil nommé d’après la question, par défaut' },
      },
      {
        type: ApplicationCommandOptionType.Role,
        name: 'add_role',
        description: 'A role that may use /add and /feed besides Manage Server',
        description_localizations: { fr: 'Un rôle qui peut utiliser /add et /feed, en plus de Gérer le serveur' },
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'clear_add_role',
        description: 'Only Manage Server may add articles again',
        description_localizations: { fr: 'Seul Gérer le serveur peut de nouveau ajouter des articles' },
      },
    ],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const serverId = interaction.guildId;
    if (!canManageServer(interaction) || !serverId) return void (await interaction.reply({ ...notice(TEXT[langOf(ctx, interaction)].needsManageServer), flags: MessageFlags.Ephemeral }));
    const library = libraryOf(ctx, serverId);
    const change: Partial<ServerSettings> = {};
    const language = interaction.options.getString('language');
    if (language) change.language = language === 'fr' || language === 'en' ? language : null;
    const answers = interaction.options.getString('answers');
    if (answers) change.privateAnswers = answers === 'private';
    const sources = interaction.options.getString('sources');
    if (sources) change.publicSources = sources === 'public';
    const threads = interaction.options.getBoolean('threads');
    if (threads !== null) change.threads = threads;
    const role = optionId(interaction, 'add_role');
    if (role) change.addRole = role;
    if (interaction.options.getBoolean('clear_add_role')) change.addRole = null;
    let now: ServerSettings;
    try {
      now = Object.keys(change).length > 0 ? await library.updateSettings(change) : library.settings();
    } catch (error) {
      if (!(error instanceof ServerLibrariesOffError)) throw error;
      return void (await interaction.reply({ ...notice(TEXT[langOf(ctx, interaction)].addOff), flags: MessageFlags.Ephemeral }));
    }
    if (Object.keys(change).length > 0) ctx.logger.info({ server: serverId, member: interaction.user.id, settings: change }, 'settings changed');
    // In the language just chosen.
    await interaction.reply({ ...notice(TEXT[langOf(ctx, interaction)].settingsNow(now)), flags: MessageFlags.Ephemeral });
  },
};
