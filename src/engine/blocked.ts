/**
 * Blocking commands (as src/blocked.c and the blocking parts of t_list.c / t_zset.c in Redis 7.0):
 * BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP, and the blocking forms of XREAD /
 * XREADGROUP (t_stream.ts parses them and calls blockForStreamKeys; serving is t_stream.ts's
 * serveClientBlockedOnStream). A stream key deleted or overwritten while XREADGROUP clients wait on
 * it unblocks them with an error (unblockDeletedStreamReadgroupClients).
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
import { noteStrtoldErrno } from './t_sort';
import { denyBlocking } from './multi';
import { serveClientBlockedOnStream } from './t_stream';
import type { Stream, StreamID } from './structures/stream';

export type BlockingCommandName = 'blpop' | 'brpop' | 'blmove' | 'brpoplpush' | 'blmpop' | 'bzpopmin' | 'bzpopmax' | 'bzmpop' | 'xread' | 'xreadgroup' | 'wait';

/** What a blocked client waits for (client.blocked). Plain data. */
export interface BlockedState {
  /** 'postpone': a command held back by CLIENT PAUSE (argv), processed again when the pause ends. */
  kind: 'list' | 'zset' | 'stream' | 'postpone' | 'wait';
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
  /** Bytes of the blocked command's arguments, kept while blocked (CLIENT LIST argv-mem). */
  argvLen?: number;
  /** A postponed command's arguments (CLIENT PAUSE). */
  argv?: string[];
  /** XREAD / XREADGROUP: per key, the ID the entries must be greater than (a group's moves on). */
  streamIds?: Map<string, StreamID>;
  /** XREADGROUP: the group, the consumer and NOACK. */
  xreadGroup?: string | null;
  xreadConsumer?: string | null;
  xreadNoack?: boolean;
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
  /** Clients postponed by CLIENT PAUSE, in order; then, once the pause ended, waiting to be processed. */
  postponed: Client[];
  unpaused: { c: Client; argv: string[] }[];
  processingUnpaused: boolean;
}

const states = new WeakMap<Engine, BlockingState>();

function state(e: Engine): BlockingState {
  let s = states.get(e);
  if (!s) {
    s = { keys: new Map(), ready: [], readySet: new Set(), clients: new Set(), handling: false, postponed: [], unpaused: [], processingUnpaused: false };
    states.set(e, s);
    const st = s;
    e.onKeyReady = (db, key) => {
      const k = db.id + '\0' + key;
      if (!st.keys.has(k) || st.readySet.has(k)) return;
      st.readySet.add(k);
      st.ready.push({ db, key });
    };
    e.onAfterCommand = () => {
      if (st.ready.length > 0) handleClientsBlockedOnKeys(e);
      if (st.unpaused.length > 0) processUnpausedClients(e);
    };
    e.onCronTick = () => {
      if (st.clients.size > 0) handleBlockedClientsTimeout(e);
      // Keys deleted by active expiry (a stream with XREADGROUP clients) are handled before sleeping.
      if (st.ready.length > 0) handleClientsBlockedOnKeys(e);
      if (st.unpaused.length > 0) processUnpausedClients(e);
    };
    const prevFreed = e.onClientFreed;
    e.onClientFreed = (c) => { prevFreed?.(c); if (c.blocked) unblockClient(c); };
    const prevReset = e.onClientReset;
    e.onClientReset = (c) => { prevReset?.(c); if (c.blocked) unblockClient(c); };
  }
  return s;
}

// ---------------------------------------------------------------------------- CLIENT PAUSE

/** Install the CLIENT PAUSE hooks of an engine (pauseClients calls it). */
export function initClientPause(e: Engine): void {
  state(e);
  if (e.onPostpone) return;
  e.onPostpone = postponeClient;
  // Redis's checkClientPauseTimeoutAndReturnIfPaused.
  e.checkPause = () => {
    if (e.pauseType === 0) return false;
    if (e.pauseEnd < e.cmdTime) unpauseClients(e);
    return (e.pauseType as number) !== 0;
  };
}

/** Redis's blockPostponeClient: hold the command back until the pause ends. */
function postponeClient(c: Client, argv: string[]): Reply {
  const s = state(c.engine);
  let n = 0;
  for (const a of argv) n += a.length;
  c.blocked = { kind: 'postpone', cmd: 'blpop', dbId: c.db.id, keys: [], timeout: 0, wherefrom: 'head', whereto: 'head', target: null, count: -1, since: c.engine.cmdTime, argvLen: n, argv };
  s.clients.add(c);
  s.postponed.push(c);
  return R.NILARRAY; // placeholder: the result says blocked
}

/**
 * CLIENT PAUSE <ms> [WRITE|ALL] (pauseClients): while a pause is in effect the later end time and the
 * stricter type win (a shorter or WRITE pause does not end or soften an ALL one).
 */
export function pauseClients(e: Engine, end: number, type: 1 | 2): void {
  initClientPause(e);
  if (e.pauseType === 0) {
    e.pauseType = type;
    e.pauseEnd = end;
    return;
  }
  if (e.pauseEnd < end) e.pauseEnd = end;
  if (e.pauseType < type) e.pauseType = type;
}

/**
 * Redis's unpauseClients + unblockPostponedClients: the postponed clients run their command again,
 * in the order they were postponed, after the current command (or at once from the cron).
 */
export function unpauseClients(e: Engine): void {
  e.pauseType = 0;
  e.pauseEnd = 0;
  const s = state(e);
  const list = s.postponed;
  s.postponed = [];
  for (const c of list) {
    const argv = c.blocked?.argv;
    if (!argv) continue;
    unblockClient(c);
    s.unpaused.push({ c, argv });
  }
}

function processUnpausedClients(e: Engine): void {
  const s = state(e);
  if (s.processingUnpaused) return;
  s.processingUnpaused = true;
  try {
    while (s.unpaused.length > 0) {
      const { c, argv } = s.unpaused.shift()!;
      if (e.clients.get(c.id) !== c && c !== e.defaultClient) continue; // gone meanwhile
      const r = e.execFor(c, argv);
      if (r.blocked) continue;
      if (r.extra) for (const x of r.extra) c.addReply(x);
      c.addReply(r.reply);
    }
  } finally {
    s.processingUnpaused = false;
  }
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
  noteStrtoldErrno(c.engine, s); // string2ld leaves errno behind (SORT reads it)
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

/**
 * XREAD / XREADGROUP BLOCK: wait on `keys` for entries past `ids` (per key, its first occurrence),
 * at most `count` of them; with a group, as `consumer` of `group`.
 */
/** WAIT (replication.ts): no replica will acknowledge; the client waits for its timeout, then gets 0. */
export function blockForWait(c: Client, timeout: number, argvLen: number): Reply {
  const r = blockForKeys(c, { kind: 'wait', cmd: 'wait', timeout, wherefrom: 'head', whereto: 'head', target: null, count: -1 }, []);
  c.blocked!.argvLen = argvLen;
  return r;
}

export function blockForStreamKeys(c: Client, cmd: 'xread' | 'xreadgroup', keys: string[], ids: Map<string, StreamID>, timeout: number,
  count: number, group: string | null, consumer: string | null, noack: boolean, argvLen: number): Reply {
  const r = blockForKeys(c, { kind: 'stream', cmd, timeout, wherefrom: 'head', whereto: 'head', target: null, count }, keys);
  const b = c.blocked!;
  b.streamIds = ids;
  b.xreadGroup = group;
  b.xreadConsumer = consumer;
  b.xreadNoack = noack;
  b.argvLen = argvLen;
  return r;
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
  if (b.kind === 'postpone') {
    const i = s.postponed.indexOf(c);
    if (i >= 0) s.postponed.splice(i, 1);
  }
  c.blocked = null;
}

/**
 * CLIENT UNBLOCK: unblock as on a timeout (null array) or with the UNBLOCKED error.
 * Returns false when the client was not blocked.
 */
export function clientUnblock(c: Client, withError: boolean): boolean {
  const b = c.blocked;
  if (!b) return false;
  if (b.kind === 'postpone') {
    // Redis 7.0.15 crashes on the TIMEOUT form. With ERROR the client gets the error, and its command,
    // processed again at once, is postponed again (at the end of the line): it still runs after the pause.
    if (!withError) return false;
    const e = c.engine;
    const msg = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
    e.countErrorReply(msg);
    c.addReply(R.error(msg));
    const cmd = b.argv ? e.commands.lookup(b.argv) : null;
    if (cmd) { cmd.failedCalls++; cmd.latency = true; }
    const s = state(e);
    const i = s.postponed.indexOf(c);
    if (i >= 0) { s.postponed.splice(i, 1); s.postponed.push(c); }
    return true;
  }
  unblockClient(c);
  const msg = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
  if (withError) c.engine.countErrorReply(msg);
  c.addReply(withError ? R.error(msg) : b.kind === 'wait' ? R.ZERO : R.NILARRAY);
  // updateStatsOnUnblock(target, 0, 0, 1): Redis 7.0 counts either form as a failed call.
  statsOnUnblock(c.engine, b, true);
  return true;
}

/** Redis 7.0's updateStatsOnUnblock for a served / CLIENT UNBLOCKed client (its call was counted when it blocked). */
function statsOnUnblock(e: Engine, b: BlockedState, hadErrors: boolean): void {
  const cmd = e.commands.lookup([b.cmd]);
  if (!cmd) return;
  if (hadErrors) cmd.failedCalls++;
  cmd.latency = true;
}

/** Redis's handleBlockedClientsTimeout: reply a null array to every client whose time is up. */
export function handleBlockedClientsTimeout(e: Engine): void {
  const s = states.get(e);
  if (!s || s.clients.size === 0) return;
  const now = e.clock.now();
  const due = [...s.clients].filter((c) => c.blocked && c.blocked.timeout !== 0 && c.blocked.timeout < now);
  due.sort((a, b) => a.blocked!.timeout - b.blocked!.timeout || a.id - b.id);
  for (const c of due) {
    const wait = c.blocked!.kind === 'wait'; // WAIT answers the acknowledged replicas: 0
    unblockClient(c);
    c.addReply(wait ? R.ZERO : R.NILARRAY);
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
        if (!o) {
          // A deleted stream: XREADGROUP clients can never be served (their group is gone).
          unblockDeletedStreamReadgroupClients(e, s, rl.db, rl.key);
          continue;
        }
        if (o.type === 'list') serveClientsBlockedOnListKey(e, s, o, rl.db, rl.key);
        else if (o.type === 'zset') serveClientsBlockedOnSortedSetKey(e, s, o, rl.db, rl.key);
        else if (o.type === 'stream') serveClientsBlockedOnStreamKey(e, s, o, rl.db, rl.key);
        // Overwritten by another type (SET, or DEL + SADD in a transaction).
        if (o.type !== 'stream') unblockDeletedStreamReadgroupClients(e, s, rl.db, rl.key);
      }
    }
  } finally {
    s.handling = false;
  }
}

/** Redis's serveClientsBlockedOnStreamKey: XREAD / XREADGROUP clients waiting on a stream that got entries. */
function serveClientsBlockedOnStreamKey(e: Engine, s: BlockingState, o: RObj, db: Db, key: string): void {
  const list = s.keys.get(db.id + '\0' + key);
  if (!list) return;
  for (const receiver of list.slice()) {
    const b = receiver.blocked;
    if (!b || b.kind !== 'stream') continue;
    const reply = serveClientBlockedOnStream(receiver, db, key, o.ptr as Stream, b);
    if (reply === null) continue;
    unblockClient(receiver);
    receiver.lastCommand = b.cmd;
    if (reply.t === 'error') e.countErrorReply(reply.v);
    receiver.addReply(reply);
    statsOnUnblock(e, b, reply.t === 'error');
  }
}

/** Redis's unblockDeletedStreamReadgroupClients: the stream went away under XREADGROUP clients. */
function unblockDeletedStreamReadgroupClients(e: Engine, s: BlockingState, db: Db, key: string): void {
  const list = s.keys.get(db.id + '\0' + key);
  if (!list) return;
  for (const receiver of list.slice()) {
    const b = receiver.blocked;
    if (!b || b.kind !== 'stream' || b.xreadGroup == null) continue;
    const msg = 'UNBLOCKED the stream key no longer exists';
    unblockClient(receiver);
    receiver.lastCommand = b.cmd;
    e.countErrorReply(msg);
    receiver.addReply(R.error(msg));
    statsOnUnblock(e, b, true);
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
    if (reply.t === 'error') e.countErrorReply(reply.v);
    receiver.addReply(reply);
    statsOnUnblock(e, b, reply.t === 'error');
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
    receiver.addReply(reply);
    statsOnUnblock(e, b, false);
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

/** A blocking command's proc that records the argv size of a client it blocked (Redis keeps the argv). */
function keepArgv(proc: (c: Client, argv: string[]) => Reply): (c: Client, argv: string[]) => Reply {
  return (c, argv) => {
    const r = proc(c, argv);
    if (c.blocked && c.blocked.argvLen === undefined) {
      let n = 0;
      for (const a of argv) n += a.length;
      c.blocked.argvLen = n;
    }
    return r;
  };
}

export const blockingCommands: CommandDef[] = [
  { name: 'blpop', proc: keepArgv(blpopCommand), complexity: 'O(N)' },
  { name: 'brpop', proc: keepArgv(brpopCommand), complexity: 'O(N)' },
  { name: 'blmpop', proc: keepArgv(blmpopCommand), complexity: 'O(N+M)' },
  { name: 'blmove', proc: keepArgv(blmoveCommand), complexity: 'O(1)' },
  { name: 'brpoplpush', proc: keepArgv(brpoplpushCommand), complexity: 'O(1)' },
  { name: 'bzpopmin', proc: keepArgv((c, a) => blockingZpop(c, 'bzpopmin', a.slice(1, -1), false, -1, a[a.length - 1])), complexity: 'O(log N)' },
  { name: 'bzpopmax', proc: keepArgv((c, a) => blockingZpop(c, 'bzpopmax', a.slice(1, -1), true, -1, a[a.length - 1])), complexity: 'O(log N)' },
  { name: 'bzmpop', proc: keepArgv(bzmpopCommand), complexity: 'O(M log N)' },
];
