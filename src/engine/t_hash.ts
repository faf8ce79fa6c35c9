/** hash commands. PLACEHOLDER: being written. */
import type { CommandDef } from './commands';

export const hashCommands: CommandDef[] = [];
