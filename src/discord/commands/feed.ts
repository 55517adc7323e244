import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { FeedUrlError, ServerFeedsFullError, ServerLibrariesOffError } from '../../engine/index.js';
import { TEXT } from '../i18n.js';
import { LIMITS, truncate } from '../limits.js';
import { escape, notice } from '../render.js';
import { langOf, canAddArticles, libraryOf, optionId, type SlashCommand } from './types.js';

const URL_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'url',
  description: 'Link to the RSS, Atom or JSON feed',
  description_localizations: { fr: 'Lien du flux RSS, Atom ou JSON' },
  required: true,
  max_length: 2000,
} as const;

/** `/feed add|remove|list`: the feeds this server follows into its own library, each optionally announced in a channel. */
export const feed: SlashCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'feed',
    description: "Follow news feeds into this server's library (Manage Server only).",
    description_localizations: { fr: 'Suivre des flux d’actualité dans la bibliothèque de ce serveur (Gérer le serveur).' },
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Follow a feed; new articles are announced in the channel, if you give one',
        description_localizations: { fr: 'Suivre un flux ; les nouveaux articles sont annoncés dans le salon indiqué' },
        options: [
          URL_OPTION,
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Where to announce new articles',
            description_localizations: { fr: 'Où annoncer les nouveaux articles' },
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'remove', description: 'Stop following a feed', description_localizations: { fr: 'Ne plus suivre un flux' }, options: [URL_OPTION] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'The feeds this server follows', description_localizations: { fr: 'Les flux que suit ce serveur' } },
    ],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const t = TEXT[langOf(ctx, interaction)];
    const serverId = interaction.guildId;
    if (!canAddArticles(interaction, ctx) || !serverId) return void (await interaction.reply({ ...notice(t.needsManageServer), flags: MessageFlags.Ephemeral }));
    const library = libraryOf(ctx, serverId);
    const sub = interaction.options.getSubcommand();
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let reply: string;
    if (sub === 'list') {
      const feeds = await library.feeds();
      reply = feeds.length === 0 ? t.feedNone : feeds.map((f) => t.serverFeedLine({ ...f, title: f.title ? escape(f.title) : null })).join('\n');
    } else {
      const url = interaction.options.getString('url', true).trim();
      if (sub === 'remove') {
        reply = (await library.unfollowFeed(url)) ? t.feedRemoved(url) : t.feedUnknown;
      } else {
        const channel = optionId(interaction, 'channel');
        try {
          await library.followFeed(url, channel);
          reply = t.feedAdded(url, channel);
        } catch (error) {
          if (error instanceof ServerLibrariesOffError) reply = t.addOff;
          else if (error instanceof ServerFeedsFullError) reply = t.feedsFull(error.limit);
          else if (error instanceof FeedUrlError) reply = t.feedBadUrl;
          else throw error;
        }
      }
      // Audit: the server and the member's id, never their name.
      ctx.logger.info({ server: serverId, member: interaction.user.id, feed: sub, url }, 'feed changed');
    }
    await interaction.editReply(notice(truncate(reply, LIMITS.content)));
  },
};
