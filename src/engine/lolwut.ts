/**
 * LOLWUT [VERSION version] (as src/lolwut.c in Redis 7.0): the version's art, here the one every
 * version but 5 and 6 shows: "Redis ver. 7.0.15". Versions 5 (Schotter) and 6 (skyscrapers) draw
 * randomized pictures Redis does not make reproducible; the sandbox answers them with the same line.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { eqi, parseLongLong } from './util';

const REDIS_VERSION = '7.0.15';

function lolwutCommand(_c: Client, argv: string[]): Reply {
  if (argv.length >= 3 && eqi(argv[1], 'version')) {
    // getLongFromObjectOrReply: only the validity of the version matters for this output.
    if (parseLongLong(argv[2]) === null) return R.E.notInt;
  }
  return R.verbatim(`Redis ver. ${REDIS_VERSION}\n`);
}

export const lolwutCommands: CommandDef[] = [
  { name: 'lolwut', proc: lolwutCommand, complexity: 'O(1)' },
];
