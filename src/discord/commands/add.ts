import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { TEXT } from '../i18n.js';
import { notice, renderAddResults } from '../render.js';
import { ServerLibrariesOffError, ServerLibraryFullError } from '../../engine/index.js';
import { langOf, canAddArticles, libraryOf, type SlashCommand } from './types.js';

/** Links in one /add. */
const MAX_LINKS = 5;

export const add: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'add',
    description: 'Add a news article from the web by its link (Manage Server only).',
    description_localizations: { fr: 'Ajoute un article du web à partir de son lien (Gérer le serveur).' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'Link to the article (several, separated by spaces)',
        description_localizations: { fr: 'Lien de l’article (plusieurs, séparés par des espaces)' },
        required: true,
        max_length: 2000,
      },
    ],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const { engine, logger } = ctx;
    const lang = langOf(ctx, interaction);
    const t = TEXT[lang];
    const serverId = interaction.guildId;
    if (!canAddArticles(interaction, ctx) || !serverId) return void (await interaction.reply({ ...notice(t.needsManageServer), flags: MessageFlags.Ephemeral }));
    const urls = interaction.options.getString('url', true).split(/\s+/u).filter(Boolean);
    if (urls.length === 0) return void (await interaction.reply({ ...notice(t.addNoUrl), flags: MessageFlags.Ephemeral }));
    if (urls.length > MAX_LINKS) return void (await interaction.reply({ ...notice(t.addTooMany(MAX_LINKS)), flags: MessageFlags.Ephemeral }));
    if (!engine.serverLibrariesAllowed(serverId)) return void (await interaction.reply({ ...notice(t.addOff), flags: MessageFlags.Ephemeral }));
    // Fetching takes seconds: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Into this server's library only: nothing it adds is quoted in another server.
    let added;
    try {
      added = await libraryOf(ctx, serverId).add(urls);
    } catch (error) {
      if (error instanceof ServerLibrariesOffError) return void (await interaction.editReply(notice(t.addOff)));
      if (error instanceof ServerLibraryFullError) return void (await interaction.editReply(notice(t.addFull(error.limit, error.have))));
      throw error;
    }
    const { results } = added;
    // Audit: the server and the member's id, never their name.
    logger.info({ server: serverId, member: interaction.user.id, added: results.map((r) => (r.ok ? { url: r.url, status: r.status, file: r.file } : { url: r.url, error: r.error.code })) }, 'articles added');
    await interaction.editReply(renderAddResults(results, lang));
  },
};
