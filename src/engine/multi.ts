/**
 * Transactions (as src/multi.c in Redis 7.0): MULTI EXEC DISCARD WATCH UNWATCH.
 *
 * The dispatcher (engine.ts processCommand) queues commands while `c.multi` is set and flags the
 * transaction (`c.multi.dirty`) when a command is rejected before it could be queued. EXEC then
 * replies EXECABORT; a touched WATCHed key (engine.signalModifiedKey sets `c.dirtyCas`, FLUSHDB /
 * FLUSHALL / SWAPDB via touchAllWatchedKeysInDb) or a watched key that expired since WATCH makes
 * EXEC reply a null array. Otherwise every queued command runs through engine.call and EXEC replies
 * the array of their replies (an error is just an element). The steps of EXEC are the sum of the
 * steps of its commands: they accumulate in the one step counter.
 *
 * Inside EXEC blocking commands do not block (`c.denyBlocking`): they answer as on a timeout.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { steps } from './trace';

/** Clients running EXEC: blocking commands must not block (Redis's CLIENT_DENY_BLOCKING). */
export const denyBlocking = new WeakSet<Client>();

function multiCommand(c: Client): Reply {
  if (c.multi) return R.error('ERR MULTI calls can not be nested');
  c.multi = { queue: [], dirty: false };
  return R.OK;
}

/** Redis's discardTransaction: forget the queue, the dirty flags and the WATCHes. */
export function discardTransaction(c: Client): void {
  c.multi = null;
  c.dirtyCas = false;
  c.engine.unwatchAll(c);
}

function discardCommand(c: Client): Reply {
  if (!c.multi) return R.error('ERR DISCARD without MULTI');
  discardTransaction(c);
  return R.OK;
}

/** Redis's isWatchedKeyExpired: a key that was alive at WATCH time and has logically expired since. */
function isWatchedKeyExpired(c: Client): boolean {
  for (const k of c.watched) {
    if (c.watchedExpired.has(k)) continue;
    const sep = k.indexOf('\0');
    const db = c.engine.dbs[Number(k.slice(0, sep))];
    if (db.keyIsExpired(k.slice(sep + 1))) return true;
  }
  return false;
}

function execCommand(c: Client): Reply {
  const e = c.engine;
  if (!c.multi) return R.error('ERR EXEC without MULTI');
  if (isWatchedKeyExpired(c)) c.dirtyCas = true;
  if (c.multi.dirty || c.dirtyCas) {
    const reply = c.multi.dirty ? R.E.execAbort : R.NILARRAY;
    discardTransaction(c);
    return reply;
  }
  const queue = c.multi.queue;
  // Unwatch ASAP (as Redis), then run every queued command with blocking denied.
  e.unwatchAll(c);
  const wasDenied = denyBlocking.has(c);
  denyBlocking.add(c);
  // Every reply the commands produce, in order: usually one each; (P)SUBSCRIBE a b gives more.
  const all: Reply[] = [];
  const savedPending = c.pendingReplies;
  const savedPush = c.onPush;
  c.pendingReplies = [];
  c.onPush = null;
  try {
    for (const argv of queue) {
      const cmd = e.commands.lookup(argv);
      if (!cmd || !cmd.proc) continue; // cannot happen: it was checked when queued
      const reply = e.call(c, cmd, argv);
      for (const r of c.pendingReplies) all.push(r);
      c.pendingReplies = [];
      all.push(reply);
    }
  } finally {
    c.pendingReplies = savedPending;
    c.onPush = savedPush;
    if (!wasDenied) denyBlocking.delete(c);
    discardTransaction(c);
  }
  const n = queue.length;
  if (all.length === n) return R.array(all);
  // More replies than commands (SUBSCRIBE a b inside MULTI): Redis wrote the array header for n
  // replies, so a reader sees the first n as the array and the rest as replies of their own.
  c.addReply(R.array(all.slice(0, n)));
  for (let i = n; i < all.length - 1; i++) c.addReply(all[i]);
  // That last reply (maybe an error) was counted when its command ran: EXEC must not count it again.
  c.execTail = all[all.length - 1];
  return c.execTail;
}

function watchCommand(c: Client, argv: string[]): Reply {
  if (c.multi) return R.error('ERR WATCH inside MULTI is not allowed');
  // No point in watching if the client is already dirty.
  if (c.dirtyCas) return R.OK;
  const e = c.engine;
  for (let j = 1; j < argv.length; j++) {
    steps.n++;
    const k = c.db.id + '\0' + argv[j];
    if (c.watched.has(k)) continue;
    c.watched.add(k);
    let set = e.watchedKeys.get(k);
    if (!set) { set = new Set(); e.watchedKeys.set(k, set); }
    set.add(c);
    if (c.db.keyIsExpired(argv[j])) c.watchedExpired.add(k);
    else c.watchedExpired.delete(k);
  }
  return R.OK;
}

function unwatchCommand(c: Client): Reply {
  c.engine.unwatchAll(c);
  c.dirtyCas = false;
  return R.OK;
}

export const multiCommands: CommandDef[] = [
  { name: 'multi', proc: multiCommand, complexity: 'O(1)' },
  { name: 'exec', proc: execCommand, complexity: 'O(N)' },
  { name: 'discard', proc: discardCommand, complexity: 'O(N)' },
  { name: 'watch', proc: watchCommand, complexity: 'O(1)' },
  { name: 'unwatch', proc: unwatchCommand, complexity: 'O(1)' },
];
