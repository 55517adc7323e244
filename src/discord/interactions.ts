import { MessageFlags, type ButtonInteraction, type Interaction, type StringSelectMenuInteraction } from 'discord.js';
import type { Lang } from '../core/text/index.js';
import { FEEDBACK_BUTTON, FEEDBACK_REASON_MENU } from './feedback.js';
import { MESSAGE_COMMANDS, SLASH_COMMANDS } from './commands/index.js';
import { libraryOf, type CommandContext } from './commands/types.js';
import { describeInteraction, logFailure, replyError } from './failures.js';
import { TEXT, langOfLocale } from './i18n.js';
import { CONTEXT_BUTTON, notice, renderContext, renderFeedbackReasons } from './render.js';

const EPHEMERAL = MessageFlags.Ephemeral;

/** Routes an interaction to its command, autocompletion or button; every failure gets a short private reply. */
export function interactionHandler(ctx: CommandContext, stopping: () => boolean): (interaction: Interaction) => Promise<void> {
  const { logger } = ctx;

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const lang = langOfLocale(interaction.locale);
    if (interaction.customId.startsWith(FEEDBACK_BUTTON)) return onVote(interaction, lang);
    if (!interaction.customId.startsWith(CONTEXT_BUTTON)) return void (await interaction.reply({ ...notice(TEXT[lang].unknownButton), flags: EPHEMERAL }));
    // Looked up in what this place sees only: a button id naming another server's passage finds nothing.
    const found = await libraryOf(ctx, interaction.guildId).passageContext(interaction.customId.slice(CONTEXT_BUTTON.length));
    const reply = found ? renderContext(found.passage, found.corpus, lang) : notice(TEXT[lang].passageGone);
    await interaction.reply({ ...reply, flags: EPHEMERAL });
  }

  async function onVote(interaction: ButtonInteraction, lang: Lang): Promise<void> {
    const outcome = await ctx.feedback.vote(interaction.guildId, interaction.user.id, interaction.customId);
    if (outcome.kind === 'why') return void (await interaction.reply({ ...renderFeedbackReasons(outcome.entry, lang), flags: EPHEMERAL }));
    const text = { thanks: TEXT[lang].feedbackThanks, again: TEXT[lang].feedbackAgain, gone: TEXT[lang].feedbackGone }[outcome.kind];
    await interaction.reply({ ...notice(text), flags: EPHEMERAL });
  }

  async function onReason(interaction: StringSelectMenuInteraction): Promise<void> {
    const lang = langOfLocale(interaction.locale);
    const kept = await ctx.feedback.reason(interaction.guildId, interaction.customId, interaction.values[0] ?? '');
    // The menu's message is the asker's own private one: replaced by the outcome.
    await interaction.update({ ...notice(kept ? TEXT[lang].feedbackThanks : TEXT[lang].feedbackGone), components: [] });
  }

  return async (interaction) => {
    const started = performance.now();
    try {
      if (stopping()) {
        if (interaction.isRepliable()) await interaction.reply({ ...notice(TEXT[langOfLocale(interaction.locale)].stopping), flags: EPHEMERAL });
        return;
      }
      if (interaction.isAutocomplete()) {
        const command = SLASH_COMMANDS.get(interaction.commandName);
        return void (await (command?.autocomplete ? command.autocomplete(interaction, ctx) : interaction.respond([])));
      }
      if (interaction.isButton()) return await onButton(interaction);
      if (interaction.isStringSelectMenu() && interaction.customId.startsWith(FEEDBACK_REASON_MENU)) return await onReason(interaction);
      if (interaction.isChatInputCommand()) {
        const command = SLASH_COMMANDS.get(interaction.commandName);
        if (command) return await command.execute(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = MESSAGE_COMMANDS.get(interaction.commandName);
        if (command) return await command.execute(interaction, ctx);
      }
      // A command this version does not know (registered by an older one), a select menu, a modal:
      // a short answer rather than Discord's "the application did not respond".
      if (interaction.isRepliable()) await interaction.reply({ ...notice(TEXT[langOfLocale(interaction.locale)].unknownCommand), flags: EPHEMERAL });
    } catch (error) {
      logFailure(logger, error, { interaction: describeInteraction(interaction) }, 'interaction failed');
      if (interaction.isRepliable()) await replyError(logger, interaction, error);
    } finally {
      logger.debug({ interaction: describeInteraction(interaction), ms: Math.round(performance.now() - started) }, 'interaction handled');
    }
  };
}
