/** Connection and server commands (as parts of src/server.c, src/networking.c, src/config.c). */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';

function pingCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 2) return R.E.wrongArgs('ping');
  if (argv.length === 2) return R.bulk(argv[1]);
  return R.PONG;
}

export const connectionCommands: CommandDef[] = [
  { name: 'ping', proc: pingCommand, complexity: 'O(1)' },
];
