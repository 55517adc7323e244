import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { PermissionFlagsBits, type RepliableInteraction } from 'discord.js';
import type { Answer } from '../../core/types.js';
import type { Engine, LibraryScope, PreviousTurn } from '../../engine/index.js';
import type { DiscordConversations } from '../conversations.js';
import type { DiscordFeedback } from '../feedback.js';
import type { Logger } from '../../logger.js';
import type { Cooldown } from '../cooldown.js';
import { langOfLocale } from '../i18n.js';
import type { Lang } from '../../core/text/index.js';

/** What every command handler may use. The Discord-free work is behind the engine. */
export interface CommandContext {
  engine: Engine;
  logger: Logger;
  /**
   * Answers through the bot's bounded queue, so a burst cannot starve the gateway, from what the
   * place asked in sees: a server's own library and the shared base, or (null: a DM) the shared base.
   */
  answer(question: string, serverId: string | null, previous?: PreviousTurn | null): Promise<Answer>;
  cooldown: Cooldown;
  /** Which questions follow up on an earlier answer (conversations.ts). */
  conversations: DiscordConversations;
  /** 👍 / 👎 on answers (feedback.ts). */
  feedback: DiscordFeedback;
  /** How long a notice that only concerns one person stays where everyone sees it (a mention's cooldown): messages cannot be private. */
  noticeLifetimeMs: number;
}

/** The language of the bot's own words: the server's choice (`/settings`), else the member's Discord locale. */
export function langOf(ctx: CommandContext, interaction: { guildId: string | null; locale: string }): Lang {
  return (interaction.guildId ? ctx.engine.library(interaction.guildId).settings().language : null) ?? langOfLocale(interaction.locale);
}

/**
 * The id a channel or role option holds. Its value is the id, so this needs no resolved object
 * (which a payload may lack), unlike `getChannel` and `getRole`.
 */
export function optionId(interaction: ChatInputCommandInteraction, name: string): string | null {
  const raw = interaction.options.get(name)?.value;
  return typeof raw === 'string' && /^\d{17,20}$/u.test(raw) ? raw : null;
}

/** Adding articles and feeds: Manage Server, or the role the server's admins chose in `/settings`. */
export function canAddArticles(interaction: RepliableInteraction, ctx: CommandContext): boolean {
  if (canManageServer(interaction)) return true;
  if (!interaction.inGuild()) return false;
  const role = ctx.engine.library(interaction.guildId).settings().addRole;
  const roles = interaction.member.roles;
  return role !== null && (Array.isArray(roles) ? roles.includes(role) : roles.cache.has(role));
}

/** What the place an interaction or message comes from sees: its server's library, or in a DM the shared base. */
export function libraryOf(ctx: CommandContext, serverId: string | null): LibraryScope {
  return ctx.engine.library(serverId);
}

/** One command, as in discord.js's own starter: the JSON Discord registers, and what runs it. */
export interface SlashCommand {
  data: RESTPostAPIApplicationCommandsJSONBody & { name: string };
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

export interface MessageCommand {
  data: RESTPostAPIApplicationCommandsJSONBody & { name: string };
  execute(interaction: MessageContextMenuCommandInteraction, ctx: CommandContext): Promise<void>;
}

/**
 * Manage Server, checked in the handler too: a command's default permissions are only a
 * default, which a server's admins can change in Integrations.
 */
export function canManageServer(interaction: RepliableInteraction): boolean {
  return interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
}
