import type { Interaction, RepliableInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { CorpusUnavailableError } from '../core/store/index.js';
import type { Logger } from '../logger.js';
import { TEXT, langOfLocale } from './i18n.js';
import { notice } from './render.js';

/** "Temporarily unavailable" while the database is out of reach, else "something went wrong". */
export function failureText(t: (typeof TEXT)[keyof typeof TEXT], error: unknown): string {
  return error instanceof CorpusUnavailableError ? t.unavailable : t.failed;
}

/** A database out of reach is expected and passes (a warning); anything else is a bug (an error, with its stack). */
export function logFailure(logger: Logger, error: unknown, where: Record<string, string>, what: string): void {
  if (error instanceof CorpusUnavailableError) logger.warn({ ...where, reason: error.message }, 'corpus unavailable');
  else logger.error({ err: error, ...where }, what);
}

/** A short ephemeral reply saying what went wrong ({@link failureText}), never a stack trace. */
export async function replyError(logger: Logger, interaction: RepliableInteraction, error: unknown): Promise<void> {
  const reply = { ...notice(failureText(TEXT[langOfLocale(interaction.locale)], error)), flags: MessageFlags.Ephemeral } as const;
  try {
    if (interaction.deferred || interaction.replied) await interaction.followUp(reply);
    else await interaction.reply(reply);
  } catch (error) {
    logger.error({ err: error }, 'could not report the failure to the user');
  }
}

/** An interaction as logs name it: the command or button and who used it, never what they typed. */
export function describeInteraction(i: Interaction): string {
  if (i.isChatInputCommand() || i.isAutocomplete()) return `/${i.commandName} by ${i.user.id}`;
  if (i.isContextMenuCommand()) return `"${i.commandName}" by ${i.user.id}`;
  if (i.isButton()) return `button ${i.customId} by ${i.user.id}`;
  return `interaction type ${i.type}`;
}
