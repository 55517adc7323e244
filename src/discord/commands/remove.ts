import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags, PermissionFlagsBits, type AutocompleteInteraction } from 'discord.js';
import { TEXT } from '../i18n.js';
import { LIMITS, truncate } from '../limits.js';
import { escape, notice } from '../render.js';
import { langOf, canManageServer, libraryOf, type CommandContext, type SlashCommand } from './types.js';

/** `/remove`: one of this server's own articles, with its text and vectors; the shared base is never touched. */
export const remove: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'remove',
    description: "Remove an article this server added (Manage Server only).",
    description_localizations: { fr: 'Retire un article ajouté par ce serveur (Gérer le serveur).' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'article',
        description: 'Title of the article (pick one from the list)',
        description_localizations: { fr: 'Titre de l’article (choisissez dans la liste)' },
        required: true,
        autocomplete: true,
        max_length: 300,
      },
    ],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const t = TEXT[langOf(ctx, interaction)];
    const serverId = interaction.guildId;
    if (!canManageServer(interaction) || !serverId) return void (await interaction.reply({ ...notice(t.needsManageServer), flags: MessageFlags.Ephemeral }));
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const removed = await libraryOf(ctx, serverId).remove(interaction.options.getString('article', true));
    // Audit: the server and the member's id, never their name.
    ctx.logger.info({ server: serverId, member: interaction.user.id, removed: removed?.file ?? null }, 'article removed');
    await interaction.editReply(notice(removed ? t.removed(escape(removed.title)) : t.notOwnArticle));
  },
  async autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext) {
    const focused = interaction.options.getFocused(true);
    const choices = libraryOf(ctx, interaction.guildId)
      .suggestOwnArticles(String(focused.value), LIMITS.choices)
      .map((a) => ({ name: truncate(a.title, LIMITS.choiceName), value: a.id.slice(0, LIMITS.choiceValue) }));
    await interaction.respond(choices);
  },
};
