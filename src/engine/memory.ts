/** MEMORY command and object size estimates. PLACEHOLDER: being written. */
import type { CommandDef } from './commands';

export const memoryCommands: CommandDef[] = [];
