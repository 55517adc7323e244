import { MessageFlags, type ButtonInteraction, type Interaction } from 'discord.js';
import { MESSAGE_COMMANDS, SLASH_COMMANDS } from './commands/index.js';
import { libraryOf, type CommandContext } from './commands/types.js';
import { describeInteraction, logFailure, replyError } from './failures.js';
import { TEXT, langOfLocale } from './i18n.js';
import { CONTEXT_BUTTON, notice, renderContext } from './render.js';

const EPHEMERAL = MessageFlags.Ephemeral;

/** Routes an interaction to its command, autocompletion or button; every failure gets a short private reply. */
export function interactionHandler(ctx: CommandContext, stopping: () => boolean): (interaction: Interaction) => Promise<void> {
  const { logger } = ctx;

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const lang = langOfLocale(interaction.locale);
    if (!interaction.customId.startsWith(CONTEXT_BUTTON)) return void (await interaction.reply({ ...notice(TEXT[lang].unknownButton), flags: EPHEMERAL }));
    // Looked up in what this place sees only: a button id naming another server's passage finds nothing.
    const found = await libraryOf(ctx, interaction.guildId).passageContext(interaction.customId.slice(CONTEXT_BUTTON.length));
    const reply = found ? renderContext(found.passage, found.corpus, lang) : notice(TEXT[lang].passageGone);
    await interaction.reply({ ...reply, flags: EPHEMERAL });
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
