/**
 * The replication commands a lone master answers (as src/replication.c in Redis 7.0): ROLE and
 * WAIT. The sandbox is always a master without replicas and without a replication backlog: its
 * offset stays 0 and no replica ever acknowledges a write.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { parseLongLong } from './util';
import { denyBlocking } from './multi';
import { blockForWait } from './blocked';

/** ROLE: ["master", replication offset, replicas]. */
function roleCommand(): Reply {
  return R.array([R.bulk('master'), R.ZERO, R.EMPTY_ARRAY]);
}

/**
 * WAIT numreplicas timeout: the number of replicas that acknowledged the client's writes (always
 * 0). When fewer than numreplicas did, the client blocks until the timeout (milliseconds, 0 =
 * forever), then gets 0; inside MULTI it answers at once.
 */
function waitCommand(c: Client, argv: string[]): Reply {
  const numreplicas = parseLongLong(argv[1]);
  if (numreplicas === null) return R.E.notInt;
  // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS)
  const t = parseLongLong(argv[2]);
  if (t === null) return R.error('ERR timeout is not an integer or out of range');
  let timeout = BigInt(t);
  if (timeout < 0n) return R.error('ERR timeout is negative');
  if (timeout > 0n) timeout += BigInt(c.engine.cmdTime);
  const ackreplicas = 0;
  if (ackreplicas >= numreplicas || denyBlocking.has(c)) return R.int(ackreplicas);
  let argvLen = 0;
  for (const a of argv) argvLen += a.length;
  return blockForWait(c, timeout > 9007199254740991n ? Number.MAX_VALUE : Number(timeout), argvLen);
}

export const replicationCommands: CommandDef[] = [
  { name: 'role', proc: roleCommand, complexity: 'O(1)' },
  { name: 'wait', proc: waitCommand, complexity: 'O(1)' },
];
