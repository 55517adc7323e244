import { about } from './about.js';
import { add } from './add.js';
import { ask } from './ask.js';
import { cite } from './cite.js';
import { feed } from './feed.js';
import { help } from './help.js';
import { news } from './news.js';
import { findSources } from './find-sources.js';
import { reindex } from './reindex.js';
import { remove } from './remove.js';
import { settings } from './settings.js';
import { source } from './source.js';
import { summary } from './summary.js';
import type { MessageCommand, SlashCommand } from './types.js';

/** The slash commands, by name. */
export const SLASH_COMMANDS: ReadonlyMap<string, SlashCommand> = new Map([ask, news, help, source, summary, cite, about, add, remove, feed, settings, reindex].map((c) => [c.data.name, c]));
/** The message context-menu commands ("Apps" on a message), by name. */
export const MESSAGE_COMMANDS: ReadonlyMap<string, MessageCommand> = new Map([findSources].map((c) => [c.data.name, c]));

/** Everything Discord registers: the single source of truth for names, options and limits. */
export const COMMANDS = [...SLASH_COMMANDS.values(), ...MESSAGE_COMMANDS.values()].map((c) => c.data);
