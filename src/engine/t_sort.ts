/** sort commands. PLACEHOLDER: being written. */
import type { CommandDef } from './commands';

export const sortCommands: CommandDef[] = [];
