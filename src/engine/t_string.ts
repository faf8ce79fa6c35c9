/** String commands (as src/t_string.c). */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { createStringObject } from './object';

/** The string value of a key for reading, a WRONGTYPE error reply, or null when missing. */
function getStringOrReply(c: Client, key: string): string | null | Reply {
  const o = c.db.lookupKeyRead(key);
  if (!o) return null;
  if (o.type !== 'string') return R.E.wrongType;
  return o.ptr as string;
}

function getCommand(c: Client, argv: string[]): Reply {
  const v = getStringOrReply(c, argv[1]);
  if (v === null) return R.NIL;
  if (typeof v !== 'string') return v;
  return R.bulk(v);
}

function setCommand(c: Client, argv: string[]): Reply {
  // Minimal: options are being implemented.
  c.db.setKey(argv[1], createStringObject(argv[2]));
  c.engine.dirty++;
  return R.OK;
}

export const stringCommands: CommandDef[] = [
  { name: 'get', proc: getCommand, complexity: 'O(1)' },
  { name: 'set', proc: setCommand, complexity: 'O(1)' },
];
