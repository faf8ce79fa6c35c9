/**
 * Blocking commands (as src/blocked.c and the blocking parts of t_list.c / t_zset.c in Redis 7.0):
 * BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP.
 *
 * When a key has data the command behaves as its non-blocking form (the functions of t_list.ts /
 * t_zset.ts do the work). Otherwise the client blocks on its keys:
 *  - `client.blocked` is set; the command's result has `blocked: true` and a placeholder reply (a
 *    null array) that must not be written. The RESP server then stops reading that connection.
 *  - Clients wait first come, first served per key. A key that gets created as a list / sorted set
 *    (Db.add -> engine.signalKeyAsReady -> engine.onKeyReady) is queued as ready; after the command
 *    that created it (engine.onAfterCommand, as Redis's handleClientsBlockedOnKeys after call()),
 *    the waiting clients are served in order while the key has elements. A BLMOVE that serves pushes
 *    to its destination, which may serve further clients in the same round.
 *  - The served reply, or a timeout's null array, is delivered with `client.addReply` (onPush).
 *  - Timeouts (seconds as decimals, 0 = forever) are checked against the engine clock by
 *    engine.cron() (engine.onCronTick) and by `handleBlockedClientsTimeout(engine)`.
 *  - Inside MULTI/EXEC a blocking command never blocks: it replies as on a timeout at once (a null
 *    array; BLMOVE / BRPOPLPUSH a null bulk).
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Db } from './db';
import type { Engine } from './engine';
import type { Reply } from './types';
import type { RObj } from './object';
import type { Where } from './structures/quicklist';
import * as R from './reply';
import { eqi, parseLongLong } from './util';
import { parseLongDouble } from './t_string';
import { lmoveGeneric, listPopRangeWithKey, parseMpopArgs } from './t_list';
import { genericZpop, zsetLength } from './t_zset';
import { denyBlocking } from './multi';

export type BlockingCommandName = 'blpop' | 'brpop' | 'blmove' | 'brpoplpush' | 'blmpop' | 'bzpopmin' | 'bzpopmax' | 'bzmpop';

/** What a blocked client waits for (client.blocked). Plain data. */
export interface BlockedState {
  kind: 'list' | 'zset';
  cmd: BlockingCommandName;
  /** The db the client blocked in (it cannot SELECT while blocked). */
  dbId: number;
  /** The keys, without duplicates, in argument order. */
  keys: string[];
  /** Absolute unix ms; 0 = forever. */
  timeout: number;
  /** Lists: where to pop; zsets: head = min, tail = max. */
  wherefrom: Where;
  /** BLMOVE / BRPOPLPUSH: where to push, and the destination key. */
  whereto: Where;
  target: string | null;
  /** BLMPOP / BZMPOP count; -1 for the single-element commands. */
  count: number;
  /** When it blocked (engine clock ms). */
  since: number;
}

interface BlockingState {
  /** "db\0key" -> clients blocked on it, in blocking order. */
  keys: Map<string, Client[]>;
  /** Keys signalled ready since the last handling, in order, without duplicates. */
  ready: { db: Db; key: string }[];
  readySet: Set<string>;
  /** Every blocked client. */
  clients: Set<Client>;
  handling: boolean;
}

const states = new WeakMap<Engine, BlockingState>();

function state(e: Engine): BlockingState {
  let s = states.get(e);
  if (!s) {
    s = { keys: new Map(), ready: [], readySet: new Set(), clients: new Set(), handling: false };
    states.set(e, s);
    const st = s;
    e.onKeyReady = (db, key) => {
      const k = db.id + '\0' + key;
      if (!st.keys.has(k) || st.readySet.has(k)) return;
      st.readySet.add(k);
      st.ready.push({ db, key });
    };
    e.onAfterCommand = () => { if (st.ready.length > 0) handleClientsBlockedOnKeys(e); };
    e.onCronTick = () => { if (st.clients.size > 0) handleBlockedClientsTimeout(e); };
    const prevFreed = e.onClientFreed;
    e.onClientFreed = (c) => { prevFreed?.(c); if (c.blocked) unblockClient(c); };
    const prevReset = e.onClientReset;
    e.onClientReset = (c) => { prevReset?.(c); if (c.blocked) unblockClient(c); };
  }
  return s;
}

/** Number of blocked clients (INFO blocked_clients). */
export function blockedClientCount(e: Engine): number {
  return states.get(e)?.clients.size ?? 0;
}

/** Number of keys with blocked clients (INFO keyspace-ish `blocking_keys`). */
export function blockingKeyCount(e: Engine): number {
  return states.get(e)?.keys.size ?? 0;
}

// ---------------------------------------------------------------------------- timeout argument

const E_TIMEOUT_FLOAT = R.error('ERR timeout is not a float or out of range');
const E_TIMEOUT_NEG = R.error('ERR timeout is negative');
const LLONG_MAX = 9223372036854775807n;

/**
 * Redis's getTimeoutFromObjectOrReply(UNIT_SECONDS): a long double number of seconds, times 1000,
 * rounded up to whole ms (0.0004 waits 1 ms, -0.0004 is 0 = forever); out of the long long range
 * reads as negative. Returns the absolute unix ms (0 = forever) or an error reply.
 */
export function parseTimeout(c: Client, s: string): number | Reply {
  const ld = parseLongDouble(s);
  if (ld === null) return E_TIMEOUT_FLOAT;
  if (ld.kind === 'inf') return E_TIMEOUT_NEG;
  // value = m * 2^e exactly; ms = ceil(value * 1000)
  const num = ld.m * 1000n;
  let mag: bigint;
  let exact = true;
  if (ld.e >= 0) mag = num << BigInt(ld.e);
  else {
    const sh = BigInt(-ld.e);
    mag = num >> sh;
    exact = mag << sh === num;
  }
  let ms: bigint;
  if (ld.neg) ms = -mag; // ceil of a negative: drop the fraction
  else ms = exact ? mag : mag + 1n;
  if (ms > LLONG_MAX || ms < -LLONG_MAX - 1n) return E_TIMEOUT_NEG; // (long long) overflow: LLONG_MIN
  if (ms < 0n) return E_TIMEOUT_NEG;
  if (ms === 0n) return 0;
  const now = BigInt(c.engine.cmdTime);
  // Past the long long range once the time is added: the wait never ends.
  if (ms > LLONG_MAX - now) return Number.MAX_VALUE;
  return Number(ms + now);
}

function parseWhere(s: string): Where | null {
  if (eqi(s, 'left')) return 'head';
  if (eqi(s, 'right')) return 'tail';
  return null;
}

// ---------------------------------------------------------------------------- block / unblock

function blockForKeys(c: Client, st: Omit<BlockedState, 'dbId' | 'since' | 'keys'>, keys: string[]): Reply {
  const s = state(c.engine);
  const unique: string[] = [];
  for (const k of keys) if (!unique.includes(k)) unique.push(k);
  c.blocked = { ...st, keys: unique, dbId: c.db.id, since: c.engine.cmdTime };
  for (const key of unique) {
    const k = c.db.id + '\0' + key;
    let l = s.keys.get(k);
    if (!l) { l = []; s.keys.set(k, l); }
    l.push(c);
  }
  s.clients.add(c);
  return R.NILARRAY; // placeholder: the result says blocked, nothing is written
}

/** Take the client out of every waiting list (no reply). */
export function unblockClient(c: Client): void {
  const b = c.blocked;
  if (!b) return;
  const s = state(c.engine);
  for (const key of b.keys) {
    const k = b.dbId + '\0' + key;
    const l = s.keys.get(k);
    if (!l) continue;
    const i = l.indexOf(c);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) s.keys.delete(k);
  }
  s.clients.delete(c);
  c.blocked = null;
}

/**
 * CLIENT UNBLOCK: unblock as on a timeout (null array) or with the UNBLOCKED error.
 * Returns false when the client was not blocked.
 */
export function clientUnblock(c: Client, withError: boolean): boolean {
  if (!c.blocked) return false;
  unblockClient(c);
  c.addReply(withError ? R.error('UNBLOCKED client unblocked via CLIENT UNBLOCK') : R.NILARRAY);
  return true;
}

/** Redis's handleBlockedClientsTimeout: reply a null array to every client whose time is up. */
export function handleBlockedClientsTimeout(e: Engine): void {
  const s = states.get(e);
  if (!s || s.clients.size === 0) return;
  const now = e.clock.now();
  const due = [...s.clients].filter((c) => c.blocked && c.blocked.timeout !== 0 && c.blocked.timeout < now);
  due.sort((a, b) => a.blocked!.timeout - b.blocked!.timeout || a.id - b.id);
  for (const c of due) {
    unblockClient(c);
    c.addReply(R.NILARRAY);
  }
}

// ---------------------------------------------------------------------------- serving

/** Redis's handleClientsBlockedOnKeys: serve the clients waiting on the keys made ready. */
export function handleClientsBlockedOnKeys(e: Engine): void {
  const s = state(e);
  if (s.handling) return;
  s.handling = true;
  try {
    while (s.ready.length > 0) {
      const batch = s.ready;
      s.ready = [];
      for (const rl of batch) {
        s.readySet.delete(rl.db.id + '\0' + rl.key);
        rl.db.expireIfNeeded(rl.key);
        const o = rl.db.lookupKey(rl.key, true);
        if (!o) continue;
        if (o.type === 'list') serveClientsBlockedOnListKey(e, s, o, rl.db, rl.key);
        else if (o.type === 'zset') serveClientsBlockedOnSortedSetKey(e, s, o, rl.db, rl.key);
      }
    }
  } finally {
    s.handling = false;
  }
}

/** Serve `receiver` as if it ran its command now, from its own db. */
function asReceiver<T>(receiver: Client, db: Db, fn: () => T): T {
  const saved = receiver.db;
  receiver.db = db;
  try { return fn(); } finally { receiver.db = saved; }
}

function serveClientsBlockedOnListKey(e: Engine, s: BlockingState, o: RObj, db: Db, key: string): void {
  const list = s.keys.get(db.id + '\0' + key);
  if (!list) return;
  const snapshot = list.slice();
  for (const receiver of snapshot) {
    const b = receiver.blocked;
    if (!b || b.kind !== 'list') continue;
    let reply: Reply;
    if (b.target === null) {
      const count = b.cmd === 'blmpop' ? b.count : 1;
      const r = asReceiver(receiver, db, () => listPopRangeWithKey(receiver, o, key, b.wherefrom, count));
      reply = b.cmd === 'blmpop' ? r : firstOfPopRange(key, r);
    } else {
      const dst = db.lookupKeyWrite(b.target);
      if (dst && dst.type !== 'list') reply = R.E.wrongType;
      else reply = asReceiver(receiver, db, () => lmoveGeneric(receiver, key, b.target!, b.wherefrom, b.whereto));
    }
    unblockClient(receiver);
    receiver.lastCommand = b.cmd;
    e.stats.totalCommands++;
    receiver.addReply(reply);
    if (db.dict.get(key) !== o) break; // the list was emptied and deleted
  }
}

function serveClientsBlockedOnSortedSetKey(e: Engine, s: BlockingState, o: RObj, db: Db, key: string): void {
  const list = s.keys.get(db.id + '\0' + key);
  if (!list) return;
  const snapshot = list.slice();
  for (const receiver of snapshot) {
    if (db.dict.get(key) !== o || zsetLength(o) === 0) break;
    const b = receiver.blocked;
    if (!b || b.kind !== 'zset') continue;
    const max = b.wherefrom === 'tail';
    const mpop = b.cmd === 'bzmpop';
    const reply = asReceiver(receiver, db, () => genericZpop(receiver, [key], max, true, mpop ? b.count : -1, mpop, mpop));
    unblockClient(receiver);
    receiver.lastCommand = b.cmd;
    e.stats.totalCommands++;
    receiver.addReply(reply);
  }
}

// ---------------------------------------------------------------------------- commands

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 't' in x;
}

/** BLPOP / BRPOP / BLMPOP once the arguments are parsed. */
function blockingListPop(c: Client, cmd: BlockingCommandName, keys: string[], where: Where, count: number, timeoutArg: string): Reply {
  const timeout = parseTimeout(c, timeoutArg);
  if (isReply(timeout)) return timeout;
  for (const key of keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (o.type !== 'list') return R.E.wrongType;
    if (zeroLength(o)) continue;
    const r = listPopRangeWithKey(c, o, key, where, cmd === 'blmpop' ? count : 1);
    return cmd === 'blmpop' ? r : firstOfPopRange(key, r);
  }
  // Not allowed to block (inside MULTI): as a timeout, even with timeout 0.
  if (denyBlocking.has(c)) return R.NILARRAY;
  return blockForKeys(c, { kind: 'list', cmd, timeout, wherefrom: where, whereto: 'head', target: null, count }, keys);
}

/** [key, [value]] (listPopRangeWithKey) -> [key, value] (BLPOP / BRPOP). */
function firstOfPopRange(key: string, r: Reply): Reply {
  if (r.t !== 'array') return r;
  const elems = r.v[1];
  return R.array([R.bulk(key), elems.t === 'array' ? elems.v[0] : elems]);
}

function zeroLength(o: RObj): boolean {
  return (o.ptr as { count: number }).count === 0;
}

function blpopCommand(c: Client, argv: string[]): Reply {
  return blockingListPop(c, 'blpop', argv.slice(1, -1), 'head', -1, argv[argv.length - 1]);
}

function brpopCommand(c: Client, argv: string[]): Reply {
  return blockingListPop(c, 'brpop', argv.slice(1, -1), 'tail', -1, argv[argv.length - 1]);
}

function blmpopCommand(c: Client, argv: string[]): Reply {
  const args = parseMpopArgs(argv, 2);
  if (isReply(args)) return args;
  return blockingListPop(c, 'blmpop', args.keys, args.where, args.count, argv[1]);
}

function blmoveGeneric(c: Client, cmd: BlockingCommandName, argv: string[], from: Where, to: Where, timeoutArg: string): Reply {
  const timeout = parseTimeout(c, timeoutArg);
  if (isReply(timeout)) return timeout;
  const o = c.db.lookupKeyWrite(argv[1]);
  if (o && o.type !== 'list') return R.E.wrongType;
  if (o) return lmoveGeneric(c, argv[1], argv[2], from, to);
  // Blocking against an empty list inside MULTI returns at once (a null bulk, not a null array).
  if (denyBlocking.has(c)) return R.NIL;
  return blockForKeys(c, { kind: 'list', cmd, timeout, wherefrom: from, whereto: to, target: argv[2], count: -1 }, [argv[1]]);
}

function blmoveCommand(c: Client, argv: string[]): Reply {
  const from = parseWhere(argv[3]);
  if (!from) return R.E.syntax;
  const to = parseWhere(argv[4]);
  if (!to) return R.E.syntax;
  return blmoveGeneric(c, 'blmove', argv, from, to, argv[5]);
}

function brpoplpushCommand(c: Client, argv: string[]): Reply {
  return blmoveGeneric(c, 'brpoplpush', argv, 'tail', 'head', argv[3]);
}

/** BZPOPMIN / BZPOPMAX / BZMPOP once the arguments are parsed. */
function blockingZpop(c: Client, cmd: BlockingCommandName, keys: string[], max: boolean, count: number, timeoutArg: string): Reply {
  const timeout = parseTimeout(c, timeoutArg);
  if (isReply(timeout)) return timeout;
  const mpop = cmd === 'bzmpop';
  for (const key of keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (o.type !== 'zset') return R.E.wrongType;
    if (zsetLength(o) === 0) continue;
    return genericZpop(c, [key], max, true, mpop ? count : -1, mpop, mpop);
  }
  if (denyBlocking.has(c)) return R.NILARRAY;
  return blockForKeys(c, { kind: 'zset', cmd, timeout, wherefrom: max ? 'tail' : 'head', whereto: 'head', target: null, count }, keys);
}

function bzmpopCommand(c: Client, argv: string[]): Reply {
  const nv = parseLongLong(argv[2]);
  const n = typeof nv === 'number' ? nv : nv === null || nv < 0n ? 0 : Number.MAX_SAFE_INTEGER;
  if (n < 1) return R.error('ERR numkeys should be greater than 0');
  const whereIdx = 3 + n;
  if (whereIdx >= argv.length) return R.E.syntax;
  let max: boolean;
  if (eqi(argv[whereIdx], 'min')) max = false;
  else if (eqi(argv[whereIdx], 'max')) max = true;
  else return R.E.syntax;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && more) {
      j++;
      const cv = parseLongLong(argv[j]);
      const v = typeof cv === 'number' ? cv : cv === null || cv < 0n ? 0 : Number.MAX_SAFE_INTEGER;
      if (v < 1) return R.error('ERR count should be greater than 0');
      count = v;
    } else return R.E.syntax;
  }
  if (count === -1) count = 1;
  return blockingZpop(c, 'bzmpop', argv.slice(3, whereIdx), max, count, argv[1]);
}

export const blockingCommands: CommandDef[] = [
  { name: 'blpop', proc: blpopCommand, complexity: 'O(N)' },
  { name: 'brpop', proc: brpopCommand, complexity: 'O(N)' },
  { name: 'blmpop', proc: blmpopCommand, complexity: 'O(N+M)' },
  { name: 'blmove', proc: blmoveCommand, complexity: 'O(1)' },
  { name: 'brpoplpush', proc: brpoplpushCommand, complexity: 'O(1)' },
  { name: 'bzpopmin', proc: (c, a) => blockingZpop(c, 'bzpopmin', a.slice(1, -1), false, -1, a[a.length - 1]), complexity: 'O(log N)' },
  { name: 'bzpopmax', proc: (c, a) => blockingZpop(c, 'bzpopmax', a.slice(1, -1), true, -1, a[a.length - 1]), complexity: 'O(log N)' },
  { name: 'bzmpop', proc: bzmpopCommand, complexity: 'O(M log N)' },
];
