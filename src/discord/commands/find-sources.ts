import { ApplicationCommandType, MessageFlags } from 'discord.js';
import { TEXT } from '../i18n.js';
import { stripMentions } from '../mentions.js';
import { notice, renderClaim } from '../render.js';
import { langOf, type MessageCommand } from './types.js';
import { cleanQuestion, QuestionError } from '../../core/text/index.js';

/** Right-click a message → Apps → Find sources: its text as a claim, against the articles. */
export const findSources: MessageCommand = {
  data: {
    type: ApplicationCommandType.Message,
    name: 'Find sources',
    name_localizations: { fr: 'Trouver des sources' },
    dm_permission: false,
  },
  async execute(interaction, ctx) {
    const { answer, cooldown } = ctx;
    const lang = langOf(ctx, interaction);
    const t = TEXT[lang];
    const target = interaction.targetMessage;
    let claim: string;
    try {
      // A long message is checked on its first 1,000 characters.
      claim = cleanQuestion(stripMentions(target.content).slice(0, 1000));
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error;
      return void (await interaction.reply({ ...notice(t.claimEmpty), flags: MessageFlags.Ephemeral }));
    }
    const wait = await cooldown.take(interaction.user.id);
    if (wait > 0) return void (await interaction.reply({ ...notice(t.cooldown(wait)), flags: MessageFlags.Ephemeral }));
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const replies = renderClaim(await answer(claim, interaction.guildId), lang, target.url);
    // Privately to the member who asked, unless the server chose to post sources for everyone.
    const posted = interaction.guildId !== null && ctx.engine.library(interaction.guildId).settings().publicSources;
    if (!posted) {
      const [first, ...rest] = replies;
      await interaction.editReply(first!);
      for (const reply of rest) await interaction.followUp({ ...reply, flags: MessageFlags.Ephemeral });
      return;
    }
    try {
      // The sources go under the message they check, as a reply that pings nobody (not even its author).
      let previous = target;
      for (const reply of replies) previous = await previous.reply({ ...reply, allowedMentions: { parse: [], repliedUser: false } });
      await interaction.editReply(notice(t.claimPosted));
    } catch {
      // No right to post in that channel: the sources go to the person who asked.
      const [first, ...rest] = replies;
      await interaction.editReply(first!);
      for (const reply of rest) await interaction.followUp({ ...reply, flags: MessageFlags.Ephemeral });
    }
  },
};
