/** list commands. PLACEHOLDER: being written. */
import type { CommandDef } from './commands';

export const listCommands: CommandDef[] = [];
