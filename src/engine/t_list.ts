/**
 * List commands (as src/t_list.c in Redis 7.0): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE
 * LINDEX LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP. The blocking variants live elsewhere.
 *
 * A list is always a quicklist in 7.0 (`ptr` is a Quicklist, encoding 'quicklist'); nodes are
 * sized by list-max-listpack-size and list-compress-depth at creation. An emptied list deletes
 * its key.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj } from './object';
import { parseLongLong, eqi } from './util';
import { Quicklist, type Where } from './structures/quicklist';

const E_POSITIVE = R.error('ERR value is out of range, must be positive');
const E_RANK_ZERO = R.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
const E_COUNT_NEG = R.error("ERR COUNT can't be negative");
const E_MAXLEN_NEG = R.error("ERR MAXLEN can't be negative");
const E_NUMKEYS = R.error('ERR numkeys should be greater than 0');
const E_COUNT_GT0 = R.error('ERR count should be greater than 0');

const INT64_MIN_BIG = -9223372036854775808n;

// ---------------------------------------------------------------------------- helpers

/** getLongFromObject: an int64 as a JS number (values beyond 2^53 lose precision; fine for ranges). */
function getLong(s: string): number | null {
  const v = parseLongLong(s);
  return v === null ? null : Number(v);
}

/** A new empty list object with the configured node size and compress depth. */
export function createListObject(c: Client): RObj {
  return new RObj('list', 'quicklist', new Quicklist(c.engine.config.listMaxListpackSize, c.engine.config.listCompressDepth));
}

function ql(o: RObj): Quicklist { return o.ptr as Quicklist; }

/** getListPositionFromObjectOrReply: LEFT -> head, RIGHT -> tail. */
function parseWhere(s: string): Where | null {
  if (eqi(s, 'left')) return 'head';
  if (eqi(s, 'right')) return 'tail';
  return null;
}

function modified(c: Client, key: string, event: string, dirty = 1): void {
  c.engine.notifyKeyspaceEvent(event, key, c.db.id);
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty += dirty;
}

/** Delete the key when its list became empty. */
function deleteIfEmpty(c: Client, key: string, o: RObj): void {
  if (ql(o).count === 0) {
    c.db.delete(key);
    c.engine.notifyKeyspaceEvent('del', key, c.db.id);
  }
}

/**
 * addListRangeReply: elements [start, end] (already valid indexes or not: converted here), from
 * the head, or from the tail when `reverse`.
 */
function rangeReply(o: RObj, start: number, end: number, reverse: boolean): Reply {
  const q = ql(o);
  const llen = q.count;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return R.EMPTY_ARRAY;
  if (end >= llen) end = llen - 1;
  let rangelen = end - start + 1;
  const it = q.iteratorAt(reverse ? end : start, reverse ? 'tail' : 'head')!;
  const out: Reply[] = [];
  while (rangelen-- > 0) {
    const e = it.next();
    if (!e) break;
    out.push(R.bulk(e.value));
  }
  it.release();
  return R.array(out);
}

// ---------------------------------------------------------------------------- push

function pushGeneric(c: Client, argv: string[], where: Where, xx: boolean): Reply {
  const key = argv[1];
  let o = c.db.lookupKeyWrite(key);
  if (o && o.type !== 'list') return R.E.wrongType;
  if (!o) {
    if (xx) return R.ZERO;
    o = createListObject(c);
    c.db.add(key, o);
  }
  const q = ql(o);
  for (let j = 2; j < argv.length; j++) q.push(argv[j], where);
  modified(c, key, where === 'head' ? 'lpush' : 'rpush', argv.length - 2);
  return R.int(q.count);
}

// ---------------------------------------------------------------------------- pop

function popGeneric(c: Client, argv: string[], where: Where): Reply {
  if (argv.length > 3) return R.E.wrongArgs(argv[0].toLowerCase());
  const hascount = argv.length === 3;
  let count = 0;
  if (hascount) {
    const n = getLong(argv[2]);
    if (n === null || n < 0) return E_POSITIVE;
    count = n;
  }
  const key = argv[1];
  const o = c.db.lookupKeyWrite(key);
  if (!o) return hascount ? R.NILARRAY : R.NIL;
  if (o.type !== 'list') return R.E.wrongType;
  if (hascount && count === 0) return R.EMPTY_ARRAY;
  const q = ql(o);
  const event = where === 'head' ? 'lpop' : 'rpop';
  if (!hascount) {
    const v = q.pop(where)!;
    c.engine.notifyKeyspaceEvent(event, key, c.db.id);
    deleteIfEmpty(c, key, o);
    c.engine.signalModifiedKey(c.db, key);
    c.engine.dirty++;
    return R.bulk(v);
  }
  const llen = q.count;
  const rangelen = count > llen ? llen : count;
  const rangestart = where === 'head' ? 0 : -rangelen;
  const rangeend = where === 'head' ? rangelen - 1 : -1;
  const reply = rangeReply(o, rangestart, rangeend, where === 'tail');
  q.delRange(rangestart, rangelen);
  c.engine.notifyKeyspaceEvent(event, key, c.db.id);
  deleteIfEmpty(c, key, o);
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty += rangelen;
  return reply;
}

// ---------------------------------------------------------------------------- read commands

function llenCommand(c: Client, argv: string[]): Reply {
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.ZERO;
  if (o.type !== 'list') return R.E.wrongType;
  return R.int(ql(o).count);
}

function lindexCommand(c: Client, argv: string[]): Reply {
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.NIL;
  if (o.type !== 'list') return R.E.wrongType;
  const index = getLong(argv[2]);
  if (index === null) return R.E.notInt;
  const v = ql(o).index(index);
  return v === null ? R.NIL : R.bulk(v);
}

function lrangeCommand(c: Client, argv: string[]): Reply {
  const start = getLong(argv[2]);
  const end = getLong(argv[3]);
  if (start === null || end === null) return R.E.notInt;
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.EMPTY_ARRAY;
  if (o.type !== 'list') return R.E.wrongType;
  return rangeReply(o, start, end, false);
}

function lposCommand(c: Client, argv: string[]): Reply {
  const ele = argv[2];
  let rank = 1;
  let rankIsMin = false;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const moreargs = argv.length - 1 - j;
    if (eqi(opt, 'rank') && moreargs) {
      j++;
      const v = parseLongLong(argv[j]);
      if (v === null) return R.E.notInt;
      rankIsMin = v === INT64_MIN_BIG;
      rank = Number(v);
      if (rank === 0) return E_RANK_ZERO;
    } else if (eqi(opt, 'count') && moreargs) {
      j++;
      const v = getLong(argv[j]);
      if (v === null || v < 0) return E_COUNT_NEG;
      count = v;
    } else if (eqi(opt, 'maxlen') && moreargs) {
      j++;
      const v = getLong(argv[j]);
      if (v === null || v < 0) return E_MAXLEN_NEG;
      maxlen = v;
    } else {
      return R.E.syntax;
    }
  }
  const hascount = count !== -1;
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return hascount ? R.EMPTY_ARRAY : R.NIL;
  if (o.type !== 'list') return R.E.wrongType;

  let direction: Where = 'head';
  if (rank < 0) { rank = -rank; direction = 'tail'; }
  const q = ql(o);
  const it = direction === 'head' ? q.iteratorAt(0, 'head') : q.iteratorAt(-1, 'tail');
  const llen = q.count;
  let index = 0, matches = 0, matchindex = -1;
  const out: Reply[] = [];
  for (;;) {
    const e = it ? it.next() : null;
    if (!e || !(maxlen === 0 || index < maxlen)) break;
    if (e.value === ele) {
      matches++;
      matchindex = direction === 'tail' ? llen - index - 1 : index;
      // RANK -9223372036854775808 cannot be negated: every match qualifies and COUNT never stops it.
      if (rankIsMin || matches >= rank) {
        if (hascount) {
          out.push(R.int(matchindex));
          if (count && !rankIsMin && matches - rank + 1 >= count) break;
        } else {
          break;
        }
      }
    }
    index++;
    matchindex = -1;
  }
  it?.release();
  if (hascount) return R.array(out);
  return matchindex !== -1 ? R.int(matchindex) : R.NIL;
}

// ---------------------------------------------------------------------------- writes

function lsetCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = c.db.lookupKeyWrite(key);
  if (!o) return R.E.noKey;
  if (o.type !== 'list') return R.E.wrongType;
  const index = getLong(argv[2]);
  if (index === null) return R.E.notInt;
  if (!ql(o).replaceAtIndex(index, argv[3])) return R.E.outOfRange;
  modified(c, key, 'lset');
  return R.OK;
}

function linsertCommand(c: Client, argv: string[]): Reply {
  let after: boolean;
  if (eqi(argv[2], 'after')) after = true;
  else if (eqi(argv[2], 'before')) after = false;
  else return R.E.syntax;
  const key = argv[1];
  const o = c.db.lookupKeyWrite(key);
  if (!o) return R.ZERO;
  if (o.type !== 'list') return R.E.wrongType;
  const q = ql(o);
  const it = q.iterator('head');
  let inserted = false;
  for (let e = it.next(); e; e = it.next()) {
    if (e.value === argv[3]) {
      q.insert(e, argv[4], after);
      inserted = true;
      break;
    }
  }
  if (!inserted) return R.MINUS_ONE;
  modified(c, key, 'linsert');
  return R.int(q.count);
}

function lremCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const toremoveArg = getLong(argv[2]);
  if (toremoveArg === null) return R.E.notInt;
  const o = c.db.lookupKeyWrite(key);
  if (!o) return R.ZERO;
  if (o.type !== 'list') return R.E.wrongType;
  const q = ql(o);
  let toremove = toremoveArg;
  const it = toremove < 0 ? q.iteratorAt(-1, 'tail') : q.iteratorAt(0, 'head');
  if (toremove < 0) toremove = -toremove;
  let removed = 0;
  if (it) {
    for (let e = it.next(); e; e = it.next()) {
      if (e.value === argv[3]) {
        it.delEntry(e);
        c.engine.dirty++;
        removed++;
        if (toremove && removed === toremove) break;
      }
    }
    it.release();
  }
  if (removed) c.engine.notifyKeyspaceEvent('lrem', key, c.db.id);
  deleteIfEmpty(c, key, o);
  if (removed) c.engine.signalModifiedKey(c.db, key);
  return R.int(removed);
}

function ltrimCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  let start = getLong(argv[2]);
  let end = getLong(argv[3]);
  if (start === null || end === null) return R.E.notInt;
  const o = c.db.lookupKeyWrite(key);
  if (!o) return R.OK;
  if (o.type !== 'list') return R.E.wrongType;
  const q = ql(o);
  const llen = q.count;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: number, rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  q.delRange(0, ltrim);
  q.delRange(-rtrim, rtrim);
  c.engine.notifyKeyspaceEvent('ltrim', key, c.db.id);
  deleteIfEmpty(c, key, o);
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty += ltrim + rtrim;
  return R.OK;
}

// ---------------------------------------------------------------------------- LMOVE / RPOPLPUSH

/** lmoveGenericCommand (also used by the blocking variant once the source has elements). */
export function lmoveGeneric(c: Client, src: string, dst: string, wherefrom: Where, whereto: Where): Reply {
  const sobj = c.db.lookupKeyWrite(src);
  if (!sobj) return R.NIL;
  if (sobj.type !== 'list') return R.E.wrongType;
  if (ql(sobj).count === 0) return R.NIL;
  let dobj = c.db.lookupKeyWrite(dst);
  if (dobj && dobj.type !== 'list') return R.E.wrongType;
  const value = ql(sobj).pop(wherefrom)!;
  // lmoveHandlePush
  if (!dobj) {
    dobj = createListObject(c);
    c.db.add(dst, dobj);
  }
  c.engine.signalModifiedKey(c.db, dst);
  ql(dobj).push(value, whereto);
  c.engine.notifyKeyspaceEvent(whereto === 'head' ? 'lpush' : 'rpush', dst, c.db.id);
  c.engine.notifyKeyspaceEvent(wherefrom === 'head' ? 'lpop' : 'rpop', src, c.db.id);
  deleteIfEmpty(c, src, sobj);
  c.engine.signalModifiedKey(c.db, src);
  c.engine.dirty++;
  return R.bulk(value);
}

function lmoveCommand(c: Client, argv: string[]): Reply {
  const from = parseWhere(argv[3]);
  if (!from) return R.E.syntax;
  const to = parseWhere(argv[4]);
  if (!to) return R.E.syntax;
  return lmoveGeneric(c, argv[1], argv[2], from, to);
}

function rpoplpushCommand(c: Client, argv: string[]): Reply {
  return lmoveGeneric(c, argv[1], argv[2], 'tail', 'head');
}

// ---------------------------------------------------------------------------- LMPOP

/** The parsed arguments of LMPOP / BLMPOP, or an error reply. */
export function parseMpopArgs(argv: string[], numkeysIdx: number): { keys: string[]; where: Where; count: number } | Reply {
  const numkeys = getLong(argv[numkeysIdx]);
  if (numkeys === null || numkeys < 1) return E_NUMKEYS;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return R.E.syntax;
  const where = parseWhere(argv[whereIdx]);
  if (!where) return R.E.syntax;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && moreargs) {
      j++;
      const v = getLong(argv[j]);
      if (v === null || v < 1) return E_COUNT_GT0;
      count = v;
    } else {
      return R.E.syntax;
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where, count };
}

/** listPopRangeAndReplyWithKey: [key, [elements]] and the elements removed. */
export function listPopRangeWithKey(c: Client, o: RObj, key: string, where: Where, count: number): Reply {
  const q = ql(o);
  const llen = q.count;
  const rangelen = count > llen ? llen : count;
  const rangestart = where === 'head' ? 0 : -rangelen;
  const rangeend = where === 'head' ? rangelen - 1 : -1;
  const elems = rangeReply(o, rangestart, rangeend, where === 'tail');
  q.delRange(rangestart, rangelen);
  c.engine.notifyKeyspaceEvent(where === 'head' ? 'lpop' : 'rpop', key, c.db.id);
  deleteIfEmpty(c, key, o);
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty += rangelen;
  return R.array([R.bulk(key), elems]);
}

function lmpopCommand(c: Client, argv: string[]): Reply {
  const args = parseMpopArgs(argv, 1);
  if ('t' in args) return args;
  for (const key of args.keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (o.type !== 'list') return R.E.wrongType;
    if (ql(o).count === 0) continue;
    return listPopRangeWithKey(c, o, key, args.where, args.count);
  }
  return R.NILARRAY;
}

// ---------------------------------------------------------------------------- table

export const listCommands: CommandDef[] = [
  { name: 'lpush', proc: (c, a) => pushGeneric(c, a, 'head', false), complexity: 'O(1)' },
  { name: 'rpush', proc: (c, a) => pushGeneric(c, a, 'tail', false), complexity: 'O(1)' },
  { name: 'lpushx', proc: (c, a) => pushGeneric(c, a, 'head', true), complexity: 'O(1)' },
  { name: 'rpushx', proc: (c, a) => pushGeneric(c, a, 'tail', true), complexity: 'O(1)' },
  { name: 'lpop', proc: (c, a) => popGeneric(c, a, 'head'), complexity: 'O(N)' },
  { name: 'rpop', proc: (c, a) => popGeneric(c, a, 'tail'), complexity: 'O(N)' },
  { name: 'llen', proc: llenCommand, complexity: 'O(1)' },
  { name: 'lindex', proc: lindexCommand, complexity: 'O(N)' },
  { name: 'lrange', proc: lrangeCommand, complexity: 'O(S+N)' },
  { name: 'lpos', proc: lposCommand, complexity: 'O(N)' },
  { name: 'lset', proc: lsetCommand, complexity: 'O(N)' },
  { name: 'linsert', proc: linsertCommand, complexity: 'O(N)' },
  { name: 'lrem', proc: lremCommand, complexity: 'O(N+M)' },
  { name: 'ltrim', proc: ltrimCommand, complexity: 'O(N)' },
  { name: 'lmove', proc: lmoveCommand, complexity: 'O(1)' },
  { name: 'rpoplpush', proc: rpoplpushCommand, complexity: 'O(1)' },
  { name: 'lmpop', proc: lmpopCommand, complexity: 'O(N+M)' },
];
