/**
 * Stream commands (as src/t_stream.c in Redis 7.0): XADD XLEN XRANGE XREVRANGE XDEL XTRIM XREAD
 * XREADGROUP XGROUP XACK XPENDING XCLAIM XAUTOCLAIM XINFO XSETID.
 *
 * One encoding, `stream`: `ptr` is a Stream (structures/stream.ts), a rax of listpack nodes plus
 * the consumer groups. IDs given as `*` or `<ms>-*` come from the engine clock (engine.cmdTime), so
 * tests with a ManualClock are deterministic.
 *
 * Blocking XREAD / XREADGROUP park the client through blocked.ts (as BLPOP): a key made ready by
 * XADD serves the clients waiting on it (serveClientBlockedOnStream below); a deleted or
 * overwritten stream unblocks XREADGROUP clients with an error, as Redis 7.0 does.
 *
 * Propagation (AOF, onPropagate) is Redis's: XADD with its ID (and an approximate trim made exact),
 * XREADGROUP / XCLAIM / XAUTOCLAIM as XCLAIM ... FORCE JUSTID commands (in MULTI/EXEC when there
 * are several), XGROUP SETID / CREATECONSUMER for NOACK reads.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Db } from './db';
import type { Reply } from './types';
import { RObj } from './object';
import * as R from './reply';
import { eqi, parseLongLong } from './util';
import { steps } from './trace';
import {
  Stream, StreamIterator, StreamNACK, type StreamCG, type StreamConsumer, type StreamID, type TrimArgs,
  ZERO_ID, MAX_ID, UINT64_MAX, SCG_INVALID_ENTRIES_READ,
  streamEncodeID, streamDecodeID, streamCompareID, streamIDString, streamIncrID, streamDecrID, streamIDEqZero,
} from './structures/stream';
import { blockForStreamKeys, type BlockedState } from './blocked';
import { denyBlocking } from './multi';
import { alsoPropagate } from './persistence/aof';

const LLONG_MAX = 9223372036854775807n;

// ====================================================================== errors

const E_INVALID_ID = R.error('ERR Invalid stream ID specified as stream command argument');
const E_XADD_EDOM = R.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
const E_XADD_ZERO = R.error('ERR The ID specified in XADD must be greater than 0-0');
const E_INVALID_START = R.error('ERR invalid start ID for the interval');
const E_INVALID_END = R.error('ERR invalid end ID for the interval');
const E_BUSYGROUP = R.error('BUSYGROUP Consumer Group name already exists');

/** A %s argument of addReplyErrorFormat: C strings stop at a NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/** addReplyErrorFormat: newlines would break the protocol, they become spaces. */
function errorf(msg: string): Reply {
  return R.error(msg.replace(/[\r\n]/g, ' '));
}

function subcommandSyntaxError(argv: string[]): Reply {
  return errorf(`ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
}

// ====================================================================== argument parsing

/** C's isspace. */
function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }

/**
 * Redis's string2ull: string2ll when it fits (negative is out of range), else strtoull (leading
 * spaces, a sign, digits to the end, no overflow; "-x" wraps around).
 */
function string2ull(s: string): bigint | null {
  const ll = parseLongLong(s);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === start || i !== s.length) return null;
  const v = BigInt(s.slice(start, i));
  if (v > UINT64_MAX) return null;
  return neg ? BigInt.asUintN(64, -v) : v;
}

interface ParsedID { id: StreamID; seqGiven: boolean }

/**
 * streamGenericParseIDOrReply: <ms>-<seq>, <ms> (the sequence is `missingSeq`), "-" and "+"
 * (unless strict), <ms>-* when `seqStar` (XADD). Null when invalid.
 */
function parseID(arg: string, missingSeq: bigint, strict: boolean, seqStar = false): ParsedID | null {
  if (arg.length > 127) return null;
  const buf = cstr(arg);
  if (strict && (buf === '-' || buf === '+')) return null;
  if (buf === '-') return { id: ZERO_ID, seqGiven: true };
  if (buf === '+') return { id: MAX_ID, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash >= 0 ? buf.slice(0, dash) : buf);
  if (ms === null) return null;
  let seq: bigint;
  let seqGiven = true;
  if (dash >= 0) {
    const rest = buf.slice(dash + 1);
    if (seqStar && rest === '*') { seq = 0n; seqGiven = false; }
    else {
      const v = string2ull(rest);
      if (v === null) return null;
      seq = v;
    }
  } else {
    seq = missingSeq;
  }
  return { id: { ms, seq }, seqGiven };
}

/** streamParseIntervalIDOrReply: an ID, "(" before it for an exclusive bound. */
function parseIntervalID(arg: string, missingSeq: bigint): { id: StreamID; exclude: boolean } | null {
  const exclude = arg.length > 1 && arg[0] === '(';
  const p = exclude ? parseID(arg.slice(1), missingSeq, true) : parseID(arg, missingSeq, false);
  return p ? { id: p.id, exclude } : null;
}

/** getLongLongFromObjectOrReply: a long long (bigint), or the error reply. */
function parseLL(s: string, msg?: string): bigint | Reply {
  const v = parseLongLong(s);
  if (v === null) return msg ? R.error(`ERR ${msg}`) : R.E.notInt;
  return BigInt(v);
}

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 't' in x;
}

/** getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): the absolute ms (0 = forever) or an error. */
function parseBlockTimeout(c: Client, s: string): number | Reply {
  const v = parseLL(s, 'timeout is not an integer or out of range');
  if (isReply(v)) return v;
  if (v < 0n) return R.error('ERR timeout is negative');
  if (v === 0n) return 0;
  const now = BigInt(c.engine.cmdTime);
  if (v > LLONG_MAX - now) return Number.MAX_VALUE; // past the long long range: never times out
  return Number(v + now);
}

// ====================================================================== lookups and replies

function lookupStreamRead(c: Client, key: string): Stream | null | Reply {
  const o = c.db.lookupKeyRead(key);
  if (!o) return null;
  return o.type === 'stream' ? (o.ptr as Stream) : R.E.wrongType;
}

function lookupStreamWrite(c: Client, key: string): Stream | null | Reply {
  const o = c.db.lookupKeyWrite(key);
  if (!o) return null;
  return o.type === 'stream' ? (o.ptr as Stream) : R.E.wrongType;
}

function createStreamObject(): RObj {
  return new RObj('stream', 'stream', new Stream());
}

function idReply(id: StreamID): Reply {
  return R.bulk(streamIDString(id));
}

function entryReply(id: StreamID, fields: string[]): Reply {
  return R.array([idReply(id), R.bulks(fields)]);
}

function nodeMaxBytes(c: Client): number { return c.engine.config.streamNodeMaxBytes; }
function nodeMaxEntries(c: Client): number { return c.engine.config.streamNodeMaxEntries; }

/** What a stream command propagates besides (or instead of) itself, flushed at its end. */
interface Propagation { cmds: string[][] }

/**
 * Redis 7.0's propagatePendingCommands: several commands propagated by one command go in a
 * MULTI/EXEC (not inside EXEC, whose transaction is already one unit).
 */
function flushPropagation(c: Client, p: Propagation): void {
  if (p.cmds.length === 0) return;
  const wrap = p.cmds.length > 1 && !denyBlocking.has(c);
  alsoPropagate(c.engine, c.db.id, wrap ? [['MULTI'], ...p.cmds, ['EXEC']] : p.cmds);
}

/** streamPropagateXCLAIM: the idempotent XCLAIM that gives `id` to the NACK's consumer. */
function propagateXclaim(p: Propagation, key: string, group: StreamCG, groupname: string, id: string, nack: StreamNACK): void {
  p.cmds.push(['XCLAIM', key, groupname, nack.consumer!.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', streamIDString(group.lastId)]);
}

/** streamPropagateGroupID: XGROUP SETID with the read counter (NOACK reads). */
function propagateGroupID(p: Propagation, key: string, group: StreamCG, groupname: string): void {
  p.cmds.push(['XGROUP', 'SETID', key, groupname, streamIDString(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
}

// ====================================================================== streamReplyWithRange

const RWR_NOACK = 1;
const RWR_HISTORY = 4;

/** The group context of a read: the group, the consumer, propagation info. */
interface GroupRead {
  group: StreamCG;
  consumer: StreamConsumer;
  key: string;
  groupname: string;
  prop: Propagation;
}

/**
 * streamReplyWithRange: the entries from start to end (null: open) as [id, [field, value ...]]
 * replies, at most `count` (0: all). With a group: the group's last delivered ID and read counter
 * move forward and (unless NOACK) every entry becomes pending for the consumer; with HISTORY the
 * consumer's own PEL is served instead.
 */
function streamReplyWithRange(c: Client, s: Stream, start: StreamID, end: StreamID | null, count: number, rev: boolean, g: GroupRead | null, flags: number): Reply[] {
  if (g && (flags & RWR_HISTORY)) return streamReplyWithRangeFromConsumerPEL(c, s, start, end, count, g.consumer);
  const out: Reply[] = [];
  const noack = (flags & RWR_NOACK) !== 0;
  const now = c.engine.cmdTime;
  let propagateLastId = false;
  const si = new StreamIterator(s, start, end, rev);
  for (let id = si.next(); id !== null; id = si.next()) {
    if (g && streamCompareID(id, g.group.lastId) > 0) {
      const group = g.group;
      if (group.entriesRead !== SCG_INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
        group.entriesRead++;
      } else if (s.entriesAdded) {
        group.entriesRead = s.estimateDistanceFromFirstEverEntry(id);
      }
      group.lastId = id;
      if (noack) propagateLastId = true;
    }
    out.push(entryReply(id, si.fields()));
    if (g && !noack) {
      const key = streamEncodeID(id);
      let nack = new StreamNACK(now, 1n, g.consumer);
      const groupInserted = g.group.pel.tryInsert(key, nack);
      g.consumer.pel.tryInsert(key, nack);
      if (!groupInserted) {
        // Already pending (the group's last ID was moved back): the entry changes hands.
        nack = g.group.pel.find(key)!;
        nack.consumer!.pel.remove(key);
        nack.consumer = g.consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1n;
        g.consumer.pel.insert(key, nack);
      }
      propagateXclaim(g.prop, g.key, g.group, g.groupname, streamIDString(id), nack);
    }
    if (count && out.length === count) break;
  }
  if (g && propagateLastId) propagateGroupID(g.prop, g.key, g.group, g.groupname);
  return out;
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from `start`; an entry
 * deleted from the stream meanwhile is [id, null]. Served entries count one more delivery.
 */
function streamReplyWithRangeFromConsumerPEL(c: Client, s: Stream, start: StreamID, end: StreamID | null, count: number, consumer: StreamConsumer): Reply[] {
  const out: Reply[] = [];
  const endKey = end ? streamEncodeID(end) : null;
  const ri = consumer.pel.iterator();
  ri.seek('>=', streamEncodeID(start));
  while ((!count || out.length < count) && ri.next()) {
    if (endKey !== null && ri.key > endKey) break;
    const id = streamDecodeID(ri.key);
    const entry = streamReplyWithRange(c, s, id, id, 1, false, null, 0);
    if (entry.length === 0) {
      out.push(R.array([idReply(id), R.NILARRAY]));
    } else {
      out.push(entry[0]);
      const nack = ri.data!;
      nack.deliveryTime = c.engine.cmdTime;
      nack.deliveryCount++;
    }
  }
  return out;
}

// ====================================================================== XADD / XTRIM

interface AddTrimArgs {
  id: StreamID;
  idGiven: boolean;
  seqGiven: boolean;
  noMkstream: boolean;
  trim: TrimArgs | null;
  /** Index of the MAXLEN / MINID value (rewritten for propagation). */
  trimArgIdx: number;
}

/** streamParseAddOrTrimArgsOrReply: the options; for XADD also the ID (idpos in the result). */
function parseAddOrTrimArgs(c: Client, argv: string[], xadd: boolean): { args: AddTrimArgs; idpos: number } | Reply {
  const args: AddTrimArgs = { id: ZERO_ID, idGiven: false, seqGiven: true, noMkstream: false, trim: null, trimArgIdx: 0 };
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxlen = 0n;
  let minid = ZERO_ID;
  let limit = 0n;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt === '*') break;
    if (eqi(opt, 'maxlen') && moreargs) {
      if (strategy !== null) return R.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = argv[i + 1];
      if (moreargs >= 2 && next === '~') { approx = true; i++; }
      else if (moreargs >= 2 && next === '=') i++;
      const v = parseLL(argv[i + 1]);
      if (isReply(v)) return v;
      if (v < 0n) return R.error('ERR The MAXLEN argument must be >= 0.');
      maxlen = v;
      i++;
      strategy = 'maxlen';
      args.trimArgIdx = i;
    } else if (eqi(opt, 'minid') && moreargs) {
      if (strategy !== null) return R.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = argv[i + 1];
      if (moreargs >= 2 && next === '~') { approx = true; i++; }
      else if (moreargs >= 2 && next === '=') i++;
      const p = parseID(argv[i + 1], 0n, true);
      if (!p) return E_INVALID_ID;
      minid = p.id;
      i++;
      strategy = 'minid';
      args.trimArgIdx = i;
    } else if (eqi(opt, 'limit') && moreargs) {
      const v = parseLL(argv[i + 1]);
      if (isReply(v)) return v;
      if (v < 0n) return R.error('ERR The LIMIT argument must be >= 0.');
      limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && eqi(opt, 'nomkstream')) {
      args.noMkstream = true;
    } else if (xadd) {
      const p = parseID(opt, 0n, true, true);
      if (!p) return E_INVALID_ID;
      args.id = p.id;
      args.seqGiven = p.seqGiven;
      args.idGiven = true;
      break;
    } else {
      return R.E.syntax;
    }
  }
  if (limit && strategy === null) return R.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && strategy === null) return R.error('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (c.engine.loading) {
    // A command from the AOF must trim exactly as it was written (mustObeyClient).
    limit = 0n;
  } else if (limitGiven) {
    if (!approx) return R.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (approx) {
    limit = 100n * BigInt(nodeMaxEntries(c));
    if (limit <= 0n) limit = 10000n;
    if (limit > 1000000n) limit = 1000000n;
  } else {
    limit = 0n;
  }
  if (strategy !== null) args.trim = { strategy, maxlen, minid, approx, limit };
  return { args, idpos: i };
}

/** The propagated form of an approximate trim: "=" and the resulting length or first ID. */
function rewriteApproxTrim(prop: string[], s: Stream, args: AddTrimArgs): void {
  prop[args.trimArgIdx - 1] = '=';
  prop[args.trimArgIdx] = args.trim!.strategy === 'maxlen' ? String(s.length) : streamIDString(s.getEdgeID(true, false));
}

function xaddCommand(c: Client, argv: string[]): Reply {
  const parsed = parseAddOrTrimArgs(c, argv, true);
  if (isReply(parsed)) return parsed;
  const { args, idpos } = parsed;
  const fieldPos = idpos + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) return R.E.wrongArgs('xadd');
  if (args.idGiven && args.seqGiven && streamIDEqZero(args.id)) return E_XADD_ZERO;

  const key = argv[1];
  let o = c.db.lookupKeyWrite(key);
  if (o && o.type !== 'stream') return R.E.wrongType;
  if (o === null) {
    if (args.noMkstream) return R.NIL;
    o = createStreamObject();
    c.db.add(key, o);
  }
  const s = o.ptr as Stream;
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) {
    return R.error('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  const id = s.appendItem(argv.slice(fieldPos), args.idGiven ? args.id : null, args.seqGiven, c.engine.cmdTime, nodeMaxBytes(c), nodeMaxEntries(c));
  if (id === 'EDOM') return E_XADD_EDOM;
  if (id === 'ERANGE') return R.error('ERR Elements are too large to be stored');
  const replyId = streamIDString(id);
  c.engine.notifyKeyspaceEvent('xadd', key, c.db.id);
  c.engine.dirty++;

  const prop = argv.slice();
  if (args.trim) {
    if (s.trim(args.trim)) c.engine.notifyKeyspaceEvent('xtrim', key, c.db.id);
    if (args.trim.approx) rewriteApproxTrim(prop, s, args);
  }
  c.engine.signalModifiedKey(c.db, key);
  if (!args.idGiven || !args.seqGiven) prop[idpos] = replyId;
  alsoPropagate(c.engine, c.db.id, [prop]);
  c.engine.signalKeyAsReady(c.db, key, o);
  return R.bulk(replyId);
}

function xtrimCommand(c: Client, argv: string[]): Reply {
  const parsed = parseAddOrTrimArgs(c, argv, false);
  if (isReply(parsed)) return parsed;
  const { args } = parsed;
  const s = lookupStreamWrite(c, argv[1]);
  if (s === null) return R.ZERO;
  if (isReply(s)) return s;
  const deleted = s.trim(args.trim!);
  if (deleted) {
    c.engine.notifyKeyspaceEvent('xtrim', argv[1], c.db.id);
    const prop = argv.slice();
    if (args.trim!.approx) rewriteApproxTrim(prop, s, args);
    c.engine.signalModifiedKey(c.db, argv[1]);
    c.engine.dirty += deleted;
    alsoPropagate(c.engine, c.db.id, [prop]);
  }
  return R.int(deleted);
}

// ====================================================================== XRANGE / XREVRANGE / XLEN

function xrangeGeneric(c: Client, argv: string[], rev: boolean): Reply {
  const startArg = rev ? argv[3] : argv[2];
  const endArg = rev ? argv[2] : argv[3];
  const sp = parseIntervalID(startArg, 0n);
  if (!sp) return E_INVALID_ID;
  let start = sp.id;
  if (sp.exclude) {
    const n = streamIncrID(start);
    if (!n) return E_INVALID_START;
    start = n;
  }
  const ep = parseIntervalID(endArg, UINT64_MAX);
  if (!ep) return E_INVALID_ID;
  let end = ep.id;
  if (ep.exclude) {
    const n = streamDecrID(end);
    if (!n) return E_INVALID_END;
    end = n;
  }
  let count = -1n;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (eqi(argv[j], 'count') && additional >= 1) {
      const v = parseLL(argv[j + 1]);
      if (isReply(v)) return v;
      count = v < 0n ? 0n : v;
      j++;
    } else {
      return R.E.syntax;
    }
  }
  const s = lookupStreamRead(c, argv[1]);
  if (s === null) return R.EMPTY_ARRAY;
  if (isReply(s)) return s;
  if (count === 0n) return R.NILARRAY;
  const n = count === -1n ? 0 : count > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(count);
  return R.array(streamReplyWithRange(c, s, start, end, n, rev, null, 0));
}

function xlenCommand(c: Client, argv: string[]): Reply {
  const s = lookupStreamRead(c, argv[1]);
  if (s === null) return R.ZERO;
  if (isReply(s)) return s;
  return R.int(s.length);
}

// ====================================================================== XREAD / XREADGROUP

/** When a blocked reader has no COUNT, it is served at most this many entries. */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

function xreadGeneric(c: Client, argv: string[], xreadgroup: boolean): Reply {
  let timeout = -1;
  let count = 0n;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupname: string | null = null;
  let consumername: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = argv[i];
    if (eqi(o, 'block') && moreargs) {
      i++;
      const t = parseBlockTimeout(c, argv[i]);
      if (isReply(t)) return t;
      timeout = t;
    } else if (eqi(o, 'count') && moreargs) {
      i++;
      const v = parseLL(argv[i]);
      if (isReply(v)) return v;
      count = v < 0n ? 0n : v;
    } else if (eqi(o, 'streams') && moreargs) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        return R.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      streamsCount /= 2;
      break;
    } else if (eqi(o, 'group') && moreargs >= 2) {
      if (!xreadgroup) return R.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupname = argv[i + 1];
      consumername = argv[i + 2];
      i += 2;
    } else if (eqi(o, 'noack')) {
      if (!xreadgroup) return R.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else {
      return R.E.syntax;
    }
  }
  if (streamsArg === 0) return R.E.syntax;
  if (xreadgroup && groupname === null) return R.error('ERR Missing GROUP option for XREADGROUP');

  const ids: StreamID[] = [];
  const groups: StreamCG[] = [];
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const idIdx = i - streamsArg - streamsCount;
    const key = argv[i - streamsCount];
    const o = c.db.lookupKeyRead(key);
    if (o && o.type !== 'stream') return R.E.wrongType;
    if (groupname !== null) {
      const group = o ? (o.ptr as Stream).lookupCG(groupname) : null;
      if (!group) {
        return errorf(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupname)}' in XREADGROUP with GROUP option`);
      }
      groups[idIdx] = group;
    }
    const a = cstr(argv[i]);
    if (a === '$') {
      if (xreadgroup) {
        return R.error('ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
      }
      ids[idIdx] = o ? (o.ptr as Stream).lastId : ZERO_ID;
      continue;
    } else if (a === '>') {
      if (!xreadgroup) return R.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids[idIdx] = MAX_ID;
      continue;
    }
    const p = parseID(argv[i], 0n, true);
    if (!p) return E_INVALID_ID;
    ids[idIdx] = p.id;
  }

  const n = count > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(count);
  const out: Reply[] = [];
  const prop: Propagation = { cmds: [] };
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    const o = c.db.lookupKeyRead(key);
    if (!o) continue;
    const s = o.ptr as Stream;
    let gt = ids[i];
    let serveSync = false;
    let serveHistory = false;
    if (groupname !== null) {
      if (streamCompareID(gt, MAX_ID) !== 0) {
        serveSync = true;
        serveHistory = true;
      } else if (s.length) {
        const last = groups[i].lastId;
        if (streamCompareID(s.lastValidID(), last) > 0) {
          serveSync = true;
          gt = last;
        }
      }
    } else if (s.length) {
      if (streamCompareID(s.lastValidID(), gt) > 0) serveSync = true;
    }
    if (!serveSync) continue;
    const start = streamIncrID(gt) ?? ZERO_ID;
    let g: GroupRead | null = null;
    if (groupname !== null) {
      const group = groups[i];
      let consumer = Stream.lookupConsumer(group, consumername!, c.engine.cmdTime);
      if (consumer === null) {
        consumer = Stream.createConsumer(group, consumername!, c.engine.cmdTime)!;
        c.engine.dirty++;
        c.engine.notifyKeyspaceEvent('xgroup-createconsumer', key, c.db.id);
        if (noack) prop.cmds.push(['XGROUP', 'CREATECONSUMER', key, groupname, consumername!]);
      }
      g = { group, consumer, key, groupname, prop };
    }
    let flags = 0;
    if (noack) flags |= RWR_NOACK;
    if (serveHistory) flags |= RWR_HISTORY;
    const entries = streamReplyWithRange(c, s, start, null, n, false, g, flags);
    if (g) c.engine.dirty++;
    if (c.resp === 2) out.push(R.array([R.bulk(key), R.array(entries)]));
    else out.push(R.bulk(key), R.array(entries));
  }
  flushPropagation(c, prop);
  if (out.length) return c.resp === 2 ? R.array(out) : R.map(out);

  if (timeout !== -1) {
    // Not allowed to block (inside MULTI): as a timeout, even with BLOCK 0.
    if (denyBlocking.has(c)) return R.NILARRAY;
    const keys = argv.slice(streamsArg, streamsArg + streamsCount);
    const byKey = new Map<string, StreamID>();
    for (let i = 0; i < keys.length; i++) if (!byKey.has(keys[i])) byKey.set(keys[i], ids[i]);
    let argvLen = 0;
    for (const x of argv) argvLen += x.length;
    return blockForStreamKeys(c, xreadgroup ? 'xreadgroup' : 'xread', keys, byKey, timeout,
      n ? n : XREAD_BLOCKED_DEFAULT_COUNT, groupname, consumername, noack, argvLen);
  }
  return R.NILARRAY;
}

/**
 * serveClientsBlockedOnStreamKey, for one client: the stream at `key` got new entries (or its
 * group went away). Returns the reply that unblocks the client, or null to keep it waiting.
 */
export function serveClientBlockedOnStream(receiver: Client, db: Db, key: string, s: Stream, b: BlockedState): Reply | null {
  const gtMap = b.streamIds!;
  let gt = gtMap.get(key)!;
  let group: StreamCG | null = null;
  if (b.xreadGroup != null) {
    group = s.lookupCG(b.xreadGroup);
    if (!group) return R.error('NOGROUP the consumer group this client was blocked on no longer exists');
    gt = group.lastId;
    gtMap.set(key, gt);
  }
  if (streamCompareID(s.lastId, gt) <= 0) return null;
  const start = streamIncrID(gt) ?? ZERO_ID;
  const savedDb = receiver.db;
  receiver.db = db;
  try {
    const prop: Propagation = { cmds: [] };
    let g: GroupRead | null = null;
    if (group) {
      const name = b.xreadConsumer!;
      let consumer = Stream.lookupConsumer(group, name, receiver.engine.cmdTime);
      if (consumer === null) {
        consumer = Stream.createConsumer(group, name, receiver.engine.cmdTime)!;
        receiver.engine.dirty++;
        receiver.engine.notifyKeyspaceEvent('xgroup-createconsumer', key, db.id);
        if (b.xreadNoack) prop.cmds.push(['XGROUP', 'CREATECONSUMER', key, b.xreadGroup!, name]);
      }
      g = { group, consumer, key, groupname: b.xreadGroup!, prop };
    }
    const entries = streamReplyWithRange(receiver, s, start, null, b.count, false, g, b.xreadNoack ? RWR_NOACK : 0);
    flushPropagation(receiver, prop);
    const body = R.array(entries);
    return receiver.resp === 2 ? R.array([R.array([R.bulk(key), body])]) : R.map([R.bulk(key), body]);
  } finally {
    receiver.db = savedDb;
  }
}

// ====================================================================== XGROUP

interface XgroupCtx { o: RObj | null; s: Stream | null; cg: StreamCG | null; mkstream: boolean; entriesRead: bigint }

/** The part of xgroupCommand common to the subcommands with a key: options, key, group. */
function xgroupPrepare(c: Client, argv: string[]): XgroupCtx | Reply {
  const opt = argv[1];
  const create = eqi(opt, 'create');
  const setid = eqi(opt, 'setid');
  let mkstream = false;
  let entriesRead = SCG_INVALID_ENTRIES_READ;
  for (let i = 5; i < argv.length;) {
    if (create && eqi(argv[i], 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((create || setid) && eqi(argv[i], 'entriesread') && i + 1 < argv.length) {
      const v = parseLL(argv[i + 1]);
      if (isReply(v)) return v;
      if (v < 0n && v !== SCG_INVALID_ENTRIES_READ) return R.error('ERR value for ENTRIESREAD must be positive or -1');
      entriesRead = v;
      i += 2;
    } else {
      return subcommandSyntaxError(argv);
    }
  }
  const o = c.db.lookupKeyWrite(argv[2]);
  let s: Stream | null = null;
  if (o) {
    if (o.type !== 'stream') return R.E.wrongType;
    s = o.ptr as Stream;
  }
  const grpname = argv[3];
  let cg: StreamCG | null = null;
  if (!mkstream) {
    if (s === null) {
      return R.error('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    cg = s.lookupCG(grpname);
    if (cg === null && (setid || eqi(opt, 'createconsumer') || eqi(opt, 'delconsumer'))) {
      return errorf(`NOGROUP No such consumer group '${cstr(grpname)}' for key name '${cstr(argv[2])}'`);
    }
  } else if (s !== null) {
    cg = s.lookupCG(grpname);
  }
  return { o, s, cg, mkstream, entriesRead };
}

function xgroupCreateCommand(c: Client, argv: string[]): Reply {
  const ctx = xgroupPrepare(c, argv);
  if (isReply(ctx)) return ctx;
  if (argv.length > 8) return subcommandSyntaxError(argv);
  let id: StreamID;
  if (cstr(argv[4]) === '$') {
    id = ctx.s ? ctx.s.lastId : ZERO_ID;
  } else {
    const p = parseID(argv[4], 0n, true);
    if (!p) return E_INVALID_ID;
    id = p.id;
  }
  let s = ctx.s;
  const key = argv[2];
  if (s === null) {
    const o = createStreamObject();
    c.db.add(key, o);
    s = o.ptr as Stream;
    c.engine.signalModifiedKey(c.db, key);
  }
  if (s.createCG(argv[3], id, ctx.entriesRead)) {
    c.engine.dirty++;
    c.engine.notifyKeyspaceEvent('xgroup-create', key, c.db.id);
    return R.OK;
  }
  return E_BUSYGROUP;
}

function xgroupSetidCommand(c: Client, argv: string[]): Reply {
  const ctx = xgroupPrepare(c, argv);
  if (isReply(ctx)) return ctx;
  if (argv.length !== 5 && argv.length !== 7) return subcommandSyntaxError(argv);
  let id: StreamID;
  if (cstr(argv[4]) === '$') {
    id = ctx.s!.lastId;
  } else {
    const p = parseID(argv[4], 0n, false);
    if (!p) return E_INVALID_ID;
    id = p.id;
  }
  ctx.cg!.lastId = id;
  ctx.cg!.entriesRead = ctx.entriesRead;
  c.engine.dirty++;
  c.engine.notifyKeyspaceEvent('xgroup-setid', argv[2], c.db.id);
  return R.OK;
}

function xgroupDestroyCommand(c: Client, argv: string[]): Reply {
  const ctx = xgroupPrepare(c, argv);
  if (isReply(ctx)) return ctx;
  if (!ctx.cg) return R.ZERO;
  ctx.s!.cgroups!.remove(argv[3]);
  c.engine.dirty++;
  c.engine.notifyKeyspaceEvent('xgroup-destroy', argv[2], c.db.id);
  // XREADGROUP clients blocked on this group get -NOGROUP.
  c.engine.signalKeyAsReady(c.db, argv[2], ctx.o!);
  return R.ONE;
}

function xgroupCreateconsumerCommand(c: Client, argv: string[]): Reply {
  const ctx = xgroupPrepare(c, argv);
  if (isReply(ctx)) return ctx;
  const created = Stream.createConsumer(ctx.cg!, argv[4], c.engine.cmdTime);
  if (!created) return R.ZERO;
  c.engine.dirty++;
  c.engine.notifyKeyspaceEvent('xgroup-createconsumer', argv[2], c.db.id);
  return R.ONE;
}

function xgroupDelconsumerCommand(c: Client, argv: string[]): Reply {
  const ctx = xgroupPrepare(c, argv);
  if (isReply(ctx)) return ctx;
  const consumer = Stream.lookupConsumer(ctx.cg!, argv[4], c.engine.cmdTime, false);
  let pending = 0;
  if (consumer) {
    pending = consumer.pel.size();
    Stream.delConsumer(ctx.cg!, consumer);
    c.engine.dirty++;
    c.engine.notifyKeyspaceEvent('xgroup-delconsumer', argv[2], c.db.id);
  }
  return R.int(pending);
}

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

// ====================================================================== XSETID

function xsetidCommand(c: Client, argv: string[]): Reply {
  const p = parseID(argv[2], 0n, true);
  if (!p) return E_INVALID_ID;
  const id = p.id;
  let entriesAdded = -1n;
  let maxXdelId = ZERO_ID;
  for (let i = 3; i < argv.length;) {
    const moreargs = argv.length - 1 - i;
    if (eqi(argv[i], 'entriesadded') && moreargs) {
      const v = parseLL(argv[i + 1]);
      if (isReply(v)) return v;
      if (v < 0n) return R.error('ERR entries_added must be positive');
      entriesAdded = v;
      i += 2;
    } else if (eqi(argv[i], 'maxdeletedid') && moreargs) {
      const m = parseID(argv[i + 1], 0n, true);
      if (!m) return E_INVALID_ID;
      if (streamCompareID(id, m.id) < 0) return R.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxXdelId = m.id;
      i += 2;
    } else {
      return R.E.syntax;
    }
  }
  const s = lookupStreamWrite(c, argv[1]);
  if (s === null) return R.E.noKey;
  if (isReply(s)) return s;
  if (s.length > 0) {
    if (streamCompareID(id, s.lastValidID()) < 0) return R.error('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      return R.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (!streamIDEqZero(maxXdelId)) s.maxDeletedEntryId = maxXdelId;
  c.engine.dirty++;
  c.engine.notifyKeyspaceEvent('xsetid', argv[1], c.db.id);
  return R.OK;
}

// ====================================================================== XACK / XPENDING

function xackCommand(c: Client, argv: string[]): Reply {
  const s = lookupStreamRead(c, argv[1]);
  if (isReply(s)) return s;
  const group = s ? s.lookupCG(argv[2]) : null;
  if (s === null || group === null) return R.ZERO;
  const ids: StreamID[] = [];
  for (let j = 3; j < argv.length; j++) {
    const p = parseID(argv[j], 0n, true);
    if (!p) return E_INVALID_ID;
    ids.push(p.id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const key = streamEncodeID(id);
    const nack = group.pel.find(key);
    if (nack) {
      group.pel.remove(key);
      nack.consumer!.pel.remove(key);
      acknowledged++;
      c.engine.dirty++;
    }
  }
  return R.int(acknowledged);
}

function xpendingCommand(c: Client, argv: string[]): Reply {
  const justinfo = argv.length === 3;
  const key = argv[1];
  const groupname = argv[2];
  let consumername: string | null = null;
  let start = ZERO_ID, end = ZERO_ID;
  let count = 0n;
  let minidle = 0n;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) return R.E.syntax;
  if (argv.length >= 6) {
    let startidx = 3;
    if (eqi(argv[3], 'idle')) {
      const v = parseLL(argv[4]);
      if (isReply(v)) return v;
      minidle = v;
      if (argv.length < 8) return R.E.syntax;
      startidx += 2;
    }
    const cv = parseLL(argv[startidx + 2]);
    if (isReply(cv)) return cv;
    count = cv < 0n ? 0n : cv;
    const sp = parseIntervalID(argv[startidx], 0n);
    if (!sp) return E_INVALID_ID;
    start = sp.id;
    if (sp.exclude) {
      const n = streamIncrID(start);
      if (!n) return E_INVALID_START;
      start = n;
    }
    const ep = parseIntervalID(argv[startidx + 1], UINT64_MAX);
    if (!ep) return E_INVALID_ID;
    end = ep.id;
    if (ep.exclude) {
      const n = streamDecrID(end);
      if (!n) return E_INVALID_END;
      end = n;
    }
    if (startidx + 3 < argv.length) consumername = argv[startidx + 3];
  }
  const s = lookupStreamRead(c, key);
  if (isReply(s)) return s;
  const group = s ? s.lookupCG(groupname) : null;
  if (s === null || group === null) return errorf(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupname)}'`);

  if (justinfo) {
    const size = group.pel.size();
    if (size === 0) return R.array([R.ZERO, R.NIL, R.NIL, R.NILARRAY]);
    const first = group.pel.first()!;
    const last = group.pel.last()!;
    const consumers: Reply[] = [];
    group.consumers.forEach((name, consumer) => {
      steps.n++;
      if (consumer.pel.size() === 0) return;
      consumers.push(R.array([R.bulk(name), R.bulk(String(consumer.pel.size()))]));
    });
    return R.array([R.int(size), idReply(streamDecodeID(first.key)), idReply(streamDecodeID(last.key)), R.array(consumers)]);
  }

  let consumer: StreamConsumer | null = null;
  if (consumername !== null) {
    consumer = Stream.lookupConsumer(group, consumername, c.engine.cmdTime, false);
    if (consumer === null) return R.EMPTY_ARRAY;
  }
  const pel = consumer ? consumer.pel : group.pel;
  const now = c.engine.cmdTime;
  const endKey = streamEncodeID(end);
  const ri = pel.iterator();
  ri.seek('>=', streamEncodeID(start));
  const out: Reply[] = [];
  while (count && ri.next() && ri.key <= endKey) {
    const nack = ri.data!;
    if (minidle) {
      const idle = BigInt(now - nack.deliveryTime);
      if (idle < minidle) continue;
    }
    count--;
    let elapsed = now - nack.deliveryTime;
    if (elapsed < 0) elapsed = 0;
    out.push(R.array([idReply(streamDecodeID(ri.key)), R.bulk(nack.consumer!.name), R.int(elapsed), R.int(nack.deliveryCount)]));
  }
  return R.array(out);
}

// ====================================================================== XCLAIM / XAUTOCLAIM

function xclaimCommand(c: Client, argv: string[]): Reply {
  const s = lookupStreamRead(c, argv[1]);
  if (isReply(s)) return s;
  const group = s ? s.lookupCG(argv[2]) : null;
  if (s === null || group === null) return errorf(`NOGROUP No such key '${cstr(argv[1])}' or consumer group '${cstr(argv[2])}'`);
  const mi = parseLL(argv[4], 'Invalid min-idle-time argument for XCLAIM');
  if (isReply(mi)) return mi;
  const minidle = mi < 0n ? 0n : mi;

  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const p = parseID(argv[j], 0n, true);
    if (!p) break;
    ids.push(p.id);
  }
  const lastIdArg = j - 1;
  const now = c.engine.cmdTime;
  let retrycount = -1n;
  let deliverytime: bigint = -1n;
  let force = false;
  let justid = false;
  let lastId = ZERO_ID;
  let propagateLastId = false;
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j];
    if (eqi(opt, 'force')) {
      force = true;
    } else if (eqi(opt, 'justid')) {
      justid = true;
    } else if (eqi(opt, 'idle') && moreargs) {
      j++;
      const v = parseLL(argv[j], 'Invalid IDLE option argument for XCLAIM');
      if (isReply(v)) return v;
      deliverytime = BigInt(now) - v;
    } else if (eqi(opt, 'time') && moreargs) {
      j++;
      const v = parseLL(argv[j], 'Invalid TIME option argument for XCLAIM');
      if (isReply(v)) return v;
      deliverytime = v;
    } else if (eqi(opt, 'retrycount') && moreargs) {
      j++;
      const v = parseLL(argv[j], 'Invalid RETRYCOUNT option argument for XCLAIM');
      if (isReply(v)) return v;
      retrycount = v;
    } else if (eqi(opt, 'lastid') && moreargs) {
      j++;
      const p = parseID(argv[j], 0n, true);
      if (!p) return E_INVALID_ID;
      lastId = p.id;
    } else {
      return errorf(`ERR Unrecognized XCLAIM option '${cstr(opt)}'`);
    }
  }
  if (streamCompareID(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliverytime !== -1n) {
    if (deliverytime < 0n || deliverytime > BigInt(now)) deliverytime = BigInt(now);
  } else {
    deliverytime = BigInt(now);
  }
  const delivery = Number(deliverytime);

  const prop: Propagation = { cmds: [] };
  let consumer: StreamConsumer | null = null;
  const out: Reply[] = [];
  for (let k = 5; k <= lastIdArg; k++) {
    const id = ids[k - 5];
    const key = streamEncodeID(id);
    let nack = group.pel.find(key) ?? null;
    if (!s.entryExists(id)) {
      // Not in the stream any more: the pending entry goes too.
      if (nack !== null) {
        propagateXclaim(prop, argv[1], group, argv[2], argv[k], nack);
        propagateLastId = false;
        c.engine.dirty++;
        group.pel.remove(key);
        nack.consumer!.pel.remove(key);
      }
      continue;
    }
    if (force && nack === null) {
      nack = new StreamNACK(now, 1n, null);
      group.pel.insert(key, nack);
    }
    if (nack === null) continue;
    if (nack.consumer && minidle) {
      const idle = BigInt(now - nack.deliveryTime);
      if (idle < minidle) continue;
    }
    if (consumer === null) {
      consumer = Stream.lookupConsumer(group, argv[3], now);
      if (consumer === null) {
        consumer = Stream.createConsumer(group, argv[3], now)!;
        c.engine.dirty++;
        c.engine.notifyKeyspaceEvent('xgroup-createconsumer', argv[1], c.db.id);
      }
    }
    if (nack.consumer !== consumer && nack.consumer) nack.consumer.pel.remove(key);
    nack.deliveryTime = delivery;
    if (retrycount >= 0n) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.insert(key, nack);
      nack.consumer = consumer;
    }
    if (justid) out.push(idReply(id));
    else out.push(...streamReplyWithRange(c, s, id, id, 1, false, null, 0));
    propagateXclaim(prop, argv[1], group, argv[2], argv[k], nack);
    propagateLastId = false;
    c.engine.dirty++;
  }
  if (propagateLastId) {
    propagateGroupID(prop, argv[1], group, argv[2]);
    c.engine.dirty++;
  }
  flushPropagation(c, prop);
  return R.array(out);
}

/** XAUTOCLAIM's COUNT upper bound: LONG_MAX / max(sizeof(streamID), attempts factor). */
const XAUTOCLAIM_MAX_COUNT = 576460752303423487n;
/** Beyond this the deleted-IDs buffer (16 bytes per COUNT) cannot be allocated (ztrymalloc fails). */
const XAUTOCLAIM_ALLOC_LIMIT = 1n << 43n;

function xautoclaimCommand(c: Client, argv: string[]): Reply {
  const mi = parseLL(argv[4], 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (isReply(mi)) return mi;
  const minidle = mi < 0n ? 0n : mi;
  const sp = parseIntervalID(argv[5], 0n);
  if (!sp) return E_INVALID_ID;
  let startid = sp.id;
  if (sp.exclude) {
    const n = streamIncrID(startid);
    if (!n) return E_INVALID_START;
    startid = n;
  }
  let count = 100n;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (eqi(argv[j], 'count') && moreargs) {
      const v = parseLongLong(argv[j + 1]);
      if (v === null || BigInt(v) < 1n || BigInt(v) > XAUTOCLAIM_MAX_COUNT) return R.error('ERR COUNT must be > 0');
      count = BigInt(v);
      j++;
    } else if (eqi(argv[j], 'justid')) {
      justid = true;
    } else {
      return R.E.syntax;
    }
  }
  const s = lookupStreamRead(c, argv[1]);
  if (isReply(s)) return s;
  const group = s ? s.lookupCG(argv[2]) : null;
  if (s === null || group === null) return errorf(`NOGROUP No such key '${cstr(argv[1])}' or consumer group '${cstr(argv[2])}'`);
  if (count > XAUTOCLAIM_ALLOC_LIMIT) return R.error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');

  const now = c.engine.cmdTime;
  let attempts = count * 10n;
  let left = count;
  const prop: Propagation = { cmds: [] };
  let consumer: StreamConsumer | null = null;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  const ri = group.pel.iterator();
  ri.seek('>=', streamEncodeID(startid));
  while (attempts-- > 0n && left && ri.next()) {
    const nack = ri.data!;
    const id = streamDecodeID(ri.key);
    if (!s.entryExists(id)) {
      propagateXclaim(prop, argv[1], group, argv[2], streamIDString(id), nack);
      c.engine.dirty++;
      const key = ri.key;
      group.pel.remove(key);
      nack.consumer!.pel.remove(key);
      deleted.push(idReply(id));
      ri.seek('>=', key);
      left--;
      continue;
    }
    if (minidle) {
      const idle = BigInt(now - nack.deliveryTime);
      if (idle < minidle) continue;
    }
    if (consumer === null) {
      consumer = Stream.lookupConsumer(group, argv[3], now);
      if (consumer === null) {
        consumer = Stream.createConsumer(group, argv[3], now)!;
        c.engine.dirty++;
        c.engine.notifyKeyspaceEvent('xgroup-createconsumer', argv[1], c.db.id);
      }
    }
    if (nack.consumer !== consumer && nack.consumer) nack.consumer.pel.remove(ri.key);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.insert(ri.key, nack);
      nack.consumer = consumer;
    }
    if (justid) claimed.push(idReply(id));
    else claimed.push(...streamReplyWithRange(c, s, id, id, 1, false, null, 0));
    left--;
    propagateXclaim(prop, argv[1], group, argv[2], streamIDString(id), nack);
    c.engine.dirty++;
  }
  // The cursor for the next call: the next pending entry, 0-0 at the end.
  const endid = ri.next() ? streamDecodeID(ri.key) : ZERO_ID;
  flushPropagation(c, prop);
  return R.array([idReply(endid), R.array(claimed), R.array(deleted)]);
}

// ====================================================================== XDEL

function xdelCommand(c: Client, argv: string[]): Reply {
  const s = lookupStreamWrite(c, argv[1]);
  if (s === null) return R.ZERO;
  if (isReply(s)) return s;
  const ids: StreamID[] = [];
  for (let j = 2; j < argv.length; j++) {
    const p = parseID(argv[j], 0n, true);
    if (!p) return E_INVALID_ID;
    ids.push(p.id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (s.deleteItem(id)) {
      if (streamCompareID(id, s.firstId) === 0) firstEntry = true;
      if (streamCompareID(id, s.maxDeletedEntryId) > 0) s.maxDeletedEntryId = id;
      deleted++;
    }
  }
  if (deleted) {
    if (s.length === 0) s.firstId = ZERO_ID;
    else if (firstEntry) s.firstId = s.getEdgeID(true, true);
    c.engine.signalModifiedKey(c.db, argv[1]);
    c.engine.notifyKeyspaceEvent('xdel', argv[1], c.db.id);
    c.engine.dirty += deleted;
  }
  return R.int(deleted);
}

// ====================================================================== XINFO

function xinfoLookup(c: Client, key: string): Stream | Reply {
  const s = lookupStreamRead(c, key);
  if (s === null) return R.E.noKey;
  return s;
}

function xinfoStreamCommand(c: Client, argv: string[]): Reply {
  const s = xinfoLookup(c, argv[2]);
  if (isReply(s)) return s;
  const optc = argv.length - 3;
  let full = true;
  let count = 10n;
  if (optc === 0) {
    full = false;
  } else {
    if (optc !== 1 && optc !== 3) return subcommandSyntaxError(argv);
    if (!eqi(argv[3], 'full')) return subcommandSyntaxError(argv);
    if (optc === 3) {
      if (!eqi(argv[4], 'count')) return subcommandSyntaxError(argv);
      const v = parseLL(argv[5]);
      if (isReply(v)) return v;
      count = v < 0n ? 10n : v;
    }
  }
  const n = count > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(count);
  const out: Reply[] = [
    R.bulk('length'), R.int(s.length),
    R.bulk('radix-tree-keys'), R.int(s.rax.size()),
    R.bulk('radix-tree-nodes'), R.int(s.rax.numnodes),
    R.bulk('last-generated-id'), idReply(s.lastId),
    R.bulk('max-deleted-entry-id'), idReply(s.maxDeletedEntryId),
    R.bulk('entries-added'), R.int(s.entriesAdded),
    R.bulk('recorded-first-entry-id'), idReply(s.firstId),
  ];
  if (!full) {
    out.push(R.bulk('groups'), R.int(s.cgroups ? s.cgroups.size() : 0));
    const first = streamReplyWithRange(c, s, ZERO_ID, MAX_ID, 1, false, null, 0);
    out.push(R.bulk('first-entry'), first.length ? first[0] : R.NIL);
    const last = streamReplyWithRange(c, s, ZERO_ID, MAX_ID, 1, true, null, 0);
    out.push(R.bulk('last-entry'), last.length ? last[0] : R.NIL);
    return R.map(out);
  }
  out.push(R.bulk('entries'), R.array(streamReplyWithRange(c, s, ZERO_ID, null, n, false, null, 0)));
  const groups: Reply[] = [];
  s.cgroups?.forEach((name, cg) => {
    const pending: Reply[] = [];
    const ri = cg.pel.iterator();
    ri.seek('^');
    while (ri.next() && (!n || pending.length < n)) {
      const nack = ri.data!;
      pending.push(R.array([idReply(streamDecodeID(ri.key)), R.bulk(nack.consumer!.name), R.int(nack.deliveryTime), R.int(nack.deliveryCount)]));
    }
    const consumers: Reply[] = [];
    cg.consumers.forEach((_cname, consumer) => {
      const cpel: Reply[] = [];
      const ci = consumer.pel.iterator();
      ci.seek('^');
      while (ci.next() && (!n || cpel.length < n)) {
        const nack = ci.data!;
        cpel.push(R.array([idReply(streamDecodeID(ci.key)), R.int(nack.deliveryTime), R.int(nack.deliveryCount)]));
      }
      consumers.push(R.map([
        R.bulk('name'), R.bulk(consumer.name),
        R.bulk('seen-time'), R.int(consumer.seenTime),
        R.bulk('pel-count'), R.int(consumer.pel.size()),
        R.bulk('pending'), R.array(cpel),
      ]));
    });
    const lag = s.cgLag(cg);
    groups.push(R.map([
      R.bulk('name'), R.bulk(name),
      R.bulk('last-delivered-id'), idReply(cg.lastId),
      R.bulk('entries-read'), cg.entriesRead !== SCG_INVALID_ENTRIES_READ ? R.int(cg.entriesRead) : R.NIL,
      R.bulk('lag'), lag === null ? R.NIL : R.int(lag),
      R.bulk('pel-count'), R.int(cg.pel.size()),
      R.bulk('pending'), R.array(pending),
      R.bulk('consumers'), R.array(consumers),
    ]));
  });
  out.push(R.bulk('groups'), R.array(groups));
  return R.map(out);
}

function xinfoGroupsCommand(c: Client, argv: string[]): Reply {
  const s = xinfoLookup(c, argv[2]);
  if (isReply(s)) return s;
  const out: Reply[] = [];
  s.cgroups?.forEach((name, cg) => {
    const lag = s.cgLag(cg);
    out.push(R.map([
      R.bulk('name'), R.bulk(name),
      R.bulk('consumers'), R.int(cg.consumers.size()),
      R.bulk('pending'), R.int(cg.pel.size()),
      R.bulk('last-delivered-id'), idReply(cg.lastId),
      R.bulk('entries-read'), cg.entriesRead !== SCG_INVALID_ENTRIES_READ ? R.int(cg.entriesRead) : R.NIL,
      R.bulk('lag'), lag === null ? R.NIL : R.int(lag),
    ]));
  });
  return R.array(out);
}

function xinfoConsumersCommand(c: Client, argv: string[]): Reply {
  const s = xinfoLookup(c, argv[2]);
  if (isReply(s)) return s;
  const cg = s.lookupCG(argv[3]);
  if (!cg) return errorf(`NOGROUP No such consumer group '${cstr(argv[3])}' for key name '${cstr(argv[2])}'`);
  const now = c.engine.cmdTime;
  const out: Reply[] = [];
  cg.consumers.forEach((_name, consumer) => {
    let idle = now - consumer.seenTime;
    if (idle < 0) idle = 0;
    out.push(R.map([
      R.bulk('name'), R.bulk(consumer.name),
      R.bulk('pending'), R.int(consumer.pel.size()),
      R.bulk('idle'), R.int(idle),
    ]));
  });
  return R.array(out);
}

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

// ====================================================================== the command table

export const streamCommands: CommandDef[] = [
  { name: 'xadd', proc: xaddCommand, complexity: 'O(1)' },
  { name: 'xtrim', proc: xtrimCommand, complexity: 'O(N)' },
  { name: 'xdel', proc: xdelCommand, complexity: 'O(1)' },
  { name: 'xlen', proc: xlenCommand, complexity: 'O(1)' },
  { name: 'xrange', proc: (c, a) => xrangeGeneric(c, a, false), complexity: 'O(log N + M)' },
  { name: 'xrevrange', proc: (c, a) => xrangeGeneric(c, a, true), complexity: 'O(log N + M)' },
  { name: 'xread', proc: (c, a) => xreadGeneric(c, a, false), complexity: 'O(log N + M)' },
  { name: 'xreadgroup', proc: (c, a) => xreadGeneric(c, a, true), complexity: 'O(log N + M)' },
  { name: 'xgroup|create', proc: xgroupCreateCommand, complexity: 'O(1)' },
  { name: 'xgroup|setid', proc: xgroupSetidCommand, complexity: 'O(1)' },
  { name: 'xgroup|destroy', proc: xgroupDestroyCommand, complexity: 'O(N)' },
  { name: 'xgroup|createconsumer', proc: xgroupCreateconsumerCommand, complexity: 'O(1)' },
  { name: 'xgroup|delconsumer', proc: xgroupDelconsumerCommand, complexity: 'O(1)' },
  { name: 'xgroup|help', proc: () => R.array(XGROUP_HELP.map(R.status)), complexity: 'O(1)' },
  { name: 'xsetid', proc: xsetidCommand, complexity: 'O(1)' },
  { name: 'xack', proc: xackCommand, complexity: 'O(1)' },
  { name: 'xpending', proc: xpendingCommand, complexity: 'O(log N + M)' },
  { name: 'xclaim', proc: xclaimCommand, complexity: 'O(log N)' },
  { name: 'xautoclaim', proc: xautoclaimCommand, complexity: 'O(1)' },
  { name: 'xinfo|stream', proc: xinfoStreamCommand, complexity: 'O(N)' },
  { name: 'xinfo|groups', proc: xinfoGroupsCommand, complexity: 'O(1)' },
  { name: 'xinfo|consumers', proc: xinfoConsumersCommand, complexity: 'O(1)' },
  { name: 'xinfo|help', proc: () => R.array(XINFO_HELP.map(R.status)), complexity: 'O(1)' },
];
