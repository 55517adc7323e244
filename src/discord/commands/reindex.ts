import { ApplicationCommandType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { TEXT } from '../i18n.js';
import { notice } from '../render.js';
import { langOf, canManageServer, libraryOf, type SlashCommand } from './types.js';

export const reindex: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'reindex',
    description: 'Re-read the articles and update the index (Manage Server only).',
    description_localizations: { fr: 'Relit les articles et met l’index à jour (Gérer le serveur).' },
    // Hidden from members without Manage Server by default; the handler checks it again.
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const { engine, logger } = ctx;
    const own = libraryOf(ctx, interaction.guildId);
    const t = TEXT[langOf(ctx, interaction)];
    if (!canManageServer(interaction)) return void (await interaction.reply({ ...notice(t.needsManageServer), flags: MessageFlags.Ephemeral }));
    if (engine.reindexing || own.reindexing) return void (await interaction.reply({ ...notice(t.reindexBusy), flags: MessageFlags.Ephemeral }));
    // Started before the acknowledgement's round trip: a /reindex arriving meanwhile must see it
    // running and be told so, not share it silently. The catch only keeps a failed deferReply
    // from leaving the re-index's own failure unhandled; it is still awaited below.
    // The shared base (seeds/), then this server's own library; never another server's.
    const work = engine.reindex().then(async (result) => {
      const mine = await own.reindex();
      return { ...result, articles: result.articles + mine.articles, passages: result.passages + mine.passages };
    });
    work.catch(() => undefined);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await work;
    logger.info({ result }, 'reindexed');
    await interaction.editReply(notice(t.reindexDone(t.reindexSummary(result))));
  },
};
