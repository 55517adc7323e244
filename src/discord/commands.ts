/** The commands Discord registers; each command lives in its own module under `commands/`. */
export { COMMANDS, MESSAGE_COMMANDS, SLASH_COMMANDS } from './commands/index.js';
