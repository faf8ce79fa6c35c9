/**
 * Set commands (as src/t_set.c in Redis 7.0).
 *
 * Two encodings (7.0 has no listpack sets), converting one way only, never back:
 * - intset: `ptr` is an Intset (sorted int64 values, binary search). A set starts as an intset when
 *   its first member is an integer (Redis's string2ll: no '+', no leading zeros, no spaces);
 * - hashtable: `ptr` is a Dict<null> whose keys are the members (dict.name = the key).
 * The intset converts to a hashtable when a non-integer member is added or when it grows beyond
 * set-max-intset-entries (checked after the add). The STORE commands build their result in a new
 * intset-encoded object exactly as Redis does, so the destination gets the encoding Redis gives it.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj } from './object';
import { Dict, type DictEntry } from './structures/dict';
import { Intset, type Int64 } from './structures/intset';
import { steps, tracing } from './trace';
import { parseLongLong, eqi, stringMatch } from './util';
import { parseScanCursor } from './t_keys';
import { noteStrtoulErrno } from './t_sort';

// ====================================================================== the set type API

/** A new, empty intset-encoded set object (createIntsetObject). */
export function createIntsetObject(): RObj {
  return new RObj('set', 'intset', new Intset());
}

/** A new, empty hashtable-encoded set object (createSetObject). */
export function createSetObject(key = ''): RObj {
  const d = new Dict<null>();
  d.name = key;
  return new RObj('set', 'hashtable', d);
}

/** Redis's setTypeCreate: an intset when the first member is an integer, else a hashtable. */
export function setTypeCreate(value: string, key = ''): RObj {
  return parseLongLong(value) !== null ? createIntsetObject() : createSetObject(key);
}

export function setTypeSize(o: RObj): number {
  return o.encoding === 'intset' ? (o.ptr as Intset).length : (o.ptr as Dict<null>).size();
}

/** Convert an intset to a hashtable presized for its elements (setTypeConvert). */
export function setTypeConvert(o: RObj, key: string): void {
  if (o.encoding !== 'intset') return;
  const is = o.ptr as Intset;
  const d = new Dict<null>();
  d.name = key;
  if (tracing.sink) tracing.sink.push({ k: 'obj.convert', key, from: 'intset', to: 'hashtable' });
  d.expand(is.length);
  for (let i = 0; i < is.length; i++) {
    steps.n++;
    d.add(String(is.get(i)), null);
  }
  o.encoding = 'hashtable';
  o.ptr = d;
}

/** Add a member; returns true if it was added (setTypeAdd). May convert the encoding. */
export function setTypeAdd(c: Client, o: RObj, key: string, value: string): boolean {
  if (o.encoding === 'hashtable') return (o.ptr as Dict<null>).add(value, null);
  const ll = parseLongLong(value);
  if (ll !== null) {
    const is = o.ptr as Intset;
    if (!is.add(ll)) return false;
    if (is.length > c.engine.config.setMaxIntsetEntries) setTypeConvert(o, key);
    return true;
  }
  setTypeConvert(o, key);
  (o.ptr as Dict<null>).add(value, null);
  return true;
}

/** Remove a member; returns true if it was there (setTypeRemove). A hash table may shrink. */
export function setTypeRemove(o: RObj, value: string): boolean {
  if (o.encoding === 'hashtable') {
    const d = o.ptr as Dict<null>;
    if (d.delete(value) === null) return false;
    if (d.needsResize()) d.resize();
    return true;
  }
  const ll = parseLongLong(value);
  return ll !== null && (o.ptr as Intset).remove(ll);
}

export function setTypeIsMember(o: RObj, value: string): boolean {
  if (o.encoding === 'hashtable') return (o.ptr as Dict<null>).has(value);
  const ll = parseLongLong(value);
  return ll !== null && (o.ptr as Intset).find(ll);
}

/** Every member in iteration order (intset: ascending; hashtable: bucket order). One step each. */
export function setTypeMembers(o: RObj): string[] {
  if (o.encoding === 'intset') {
    const is = o.ptr as Intset;
    const out = new Array<string>(is.length);
    for (let i = 0; i < is.length; i++) { steps.n++; out[i] = String(is.get(i)); }
    return out;
  }
  const out: string[] = [];
  (o.ptr as Dict<null>).forEach((k) => { steps.n++; out.push(k); });
  return out;
}

/** A random member (setTypeRandomElement): intsetRandom or dictGetFairRandomKey. */
export function setTypeRandomElement(c: Client, o: RObj): string {
  const rand = (n: number) => c.engine.random.int(n);
  if (o.encoding === 'intset') return String((o.ptr as Intset).random(rand));
  return (o.ptr as Dict<null>).fairRandomEntry(rand)!.key;
}

/** A deep copy keeping the encoding (setTypeDup, for COPY). */
export function setTypeDup(o: RObj): RObj {
  if (o.encoding === 'intset') return new RObj('set', 'intset', (o.ptr as Intset).clone());
  return new RObj('set', 'hashtable', (o.ptr as Dict<null>).clone());
}

// ====================================================================== helpers

function isReply(x: unknown): x is Reply {
  return !!x && typeof x === 'object' && !(x instanceof RObj);
}

function checkSet(o: RObj | null): RObj | null | Reply {
  if (o && o.type !== 'set') return R.E.wrongType;
  return o;
}

function notify(c: Client, event: string, key: string): void {
  c.engine.notifyKeyspaceEvent(event, key, c.db.id);
}

const EMPTY_SET: Reply = { t: 'set', v: [] };
const EMPTY_SCAN: Reply = R.array([R.bulk('0'), R.EMPTY_ARRAY]);
const LONG_MAX = 9223372036854775807n;

/** getLongFromObjectOrReply: a strict int64 (as bigint) or the "not an integer" error. */
function getLong(s: string): bigint | Reply {
  const v = parseLongLong(s);
  if (v === null) return R.E.notInt;
  return typeof v === 'bigint' ? v : BigInt(v);
}

// ====================================================================== SADD SREM SMOVE

function saddCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  let set = c.db.lookupKeyWrite(key);
  if (set === null) {
    set = setTypeCreate(argv[2], key);
    c.db.add(key, set);
  } else if (set.type !== 'set') {
    return R.E.wrongType;
  }
  let added = 0;
  for (let j = 2; j < argv.length; j++) {
    if (setTypeAdd(c, set, key, argv[j])) added++;
  }
  if (added) {
    c.engine.signalModifiedKey(c.db, key);
    notify(c, 'sadd', key);
  }
  c.engine.dirty += added;
  return R.int(added);
}

function sremCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const set = checkSet(c.db.lookupKeyWrite(key));
  if (isReply(set)) return set;
  if (set === null) return R.ZERO;
  let deleted = 0;
  let keyremoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (setTypeRemove(set, argv[j])) {
      deleted++;
      if (setTypeSize(set) === 0) {
        c.db.delete(key);
        keyremoved = true;
        break;
      }
    }
  }
  if (deleted) {
    c.engine.signalModifiedKey(c.db, key);
    notify(c, 'srem', key);
    if (keyremoved) notify(c, 'del', key);
    c.engine.dirty += deleted;
  }
  return R.int(deleted);
}

function smoveCommand(c: Client, argv: string[]): Reply {
  const [, srckey, dstkey, ele] = argv;
  const srcset = c.db.lookupKeyWrite(srckey);
  let dstset = c.db.lookupKeyWrite(dstkey);
  if (srcset === null) return R.ZERO;
  if (srcset.type !== 'set' || (dstset && dstset.type !== 'set')) return R.E.wrongType;
  if (srcset === dstset) return setTypeIsMember(srcset, ele) ? R.ONE : R.ZERO;
  if (!setTypeRemove(srcset, ele)) return R.ZERO;
  notify(c, 'srem', srckey);
  if (setTypeSize(srcset) === 0) {
    c.db.delete(srckey);
    notify(c, 'del', srckey);
  }
  if (!dstset) {
    dstset = setTypeCreate(ele, dstkey);
    c.db.add(dstkey, dstset);
  }
  c.engine.signalModifiedKey(c.db, srckey);
  c.engine.dirty++;
  if (setTypeAdd(c, dstset, dstkey, ele)) {
    c.engine.dirty++;
    c.engine.signalModifiedKey(c.db, dstkey);
    notify(c, 'sadd', dstkey);
  }
  return R.ONE;
}

// ====================================================================== SISMEMBER SMISMEMBER SCARD

function sismemberCommand(c: Client, argv: string[]): Reply {
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  if (set === null) return R.ZERO;
  return setTypeIsMember(set, argv[2]) ? R.ONE : R.ZERO;
}

function smismemberCommand(c: Client, argv: string[]): Reply {
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    out.push(set && setTypeIsMember(set, argv[j]) ? R.ONE : R.ZERO);
  }
  return R.array(out);
}

function scardCommand(c: Client, argv: string[]): Reply {
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  if (set === null) return R.ZERO;
  return R.int(setTypeSize(set));
}

// ====================================================================== SPOP SRANDMEMBER

/** How much bigger than the remaining part the set must be for SPOP to pop one by one. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER copies the whole set when it holds at most this many times the count. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;
/** The sandbox refuses to build replies larger than this (Redis would try, and take gigabytes). */
const SANDBOX_MAX_REPLY = 10_000_000;

/** Remove one member that setTypeRandomElement returned (intsetRemove / setTypeRemove). */
function removeMember(o: RObj, m: string): void {
  setTypeRemove(o, m);
}

function spopWithCountCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const l = parseLongLong(argv[2]);
  if (l === null || l < 0) return R.error('ERR value is out of range, must be positive');
  const set = checkSet(c.db.lookupKeyWrite(key));
  if (isReply(set)) return set;
  if (set === null) return EMPTY_SET;
  if (l === 0) return EMPTY_SET;
  const size = setTypeSize(set);
  const count = typeof l === 'bigint' || l >= size ? size : l;
  notify(c, 'spop', key);
  c.engine.dirty += count;

  // CASE 1: every member is asked for: reply the whole set (as SUNION of it) and delete the key.
  if (count >= size) {
    const reply = sunionDiffGeneric(c, [key], null, 'union');
    c.db.delete(key);
    notify(c, 'del', key);
    c.engine.signalModifiedKey(c.db, key);
    return reply;
  }

  const out: Reply[] = [];
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // CASE 2: few members asked for: pick and remove them one at a time.
    for (let n = count; n > 0; n--) {
      const m = setTypeRandomElement(c, set);
      out.push(R.bulk(m));
      removeMember(set, m);
    }
  } else {
    // CASE 3: most of the set is asked for: move the members that stay into a new set, reply
    // what is left in the old one, and store the new set under the key.
    let newset: RObj | null = null;
    while (remaining--) {
      const m = setTypeRandomElement(c, set);
      if (!newset) newset = setTypeCreate(m, key);
      setTypeAdd(c, newset, key, m);
      setTypeRemove(set, m);
    }
    for (const m of setTypeMembers(set)) out.push(R.bulk(m));
    c.db.overwrite(key, newset!);
  }
  c.engine.signalModifiedKey(c.db, key);
  return R.set(out);
}

function spopCommand(c: Client, argv: string[]): Reply {
  if (argv.length === 3) return spopWithCountCommand(c, argv);
  if (argv.length > 3) return R.E.syntax;
  const key = argv[1];
  const set = checkSet(c.db.lookupKeyWrite(key));
  if (isReply(set)) return set;
  if (set === null) return R.NIL;
  const m = setTypeRandomElement(c, set);
  removeMember(set, m);
  notify(c, 'spop', key);
  if (setTypeSize(set) === 0) {
    c.db.delete(key);
    notify(c, 'del', key);
  }
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty++;
  return R.bulk(m);
}

function srandmemberWithCountCommand(c: Client, argv: string[]): Reply {
  const l = getLong(argv[2]);
  if (isReply(l)) return l;
  if (l < -LONG_MAX) {
    return R.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  const uniq = l >= 0n;
  const count = uniq ? l : -l;
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  if (set === null) return R.EMPTY_ARRAY;
  if (count === 0n) return R.EMPTY_ARRAY;
  let size = setTypeSize(set);

  // CASE 1: negative count (repeats allowed) or a single member: sample the whole set each time.
  if (!uniq || count === 1n) {
    if (count > BigInt(SANDBOX_MAX_REPLY)) return R.error(`ERR the sandbox limits SRANDMEMBER replies to ${SANDBOX_MAX_REPLY} elements`);
    const out: Reply[] = [];
    for (let n = Number(count); n > 0; n--) out.push(R.bulk(setTypeRandomElement(c, set)));
    return R.array(out);
  }

  // CASE 2: at least the whole set: reply every member.
  if (count >= BigInt(size)) return R.bulks(setTypeMembers(set));

  const cnt = Number(count);
  const d = new Dict<null>();
  d.name = 'srandmember';
  const rand = (n: number) => c.engine.random.int(n);
  if (cnt * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // CASE 3: copy the set, then remove random members until count remain.
    d.expand(size);
    for (const m of setTypeMembers(set)) d.add(m, null);
    while (size > cnt) {
      const de = d.fairRandomEntry(rand)!;
      d.delete(de.key);
      size--;
    }
  } else {
    // CASE 4: add random members to a new set until it holds count of them.
    d.expand(cnt);
    let added = 0;
    while (added < cnt) {
      if (d.add(setTypeRandomElement(c, set), null)) added++;
    }
  }
  const out: Reply[] = [];
  d.forEach((k) => { out.push(R.bulk(k)); });
  return R.array(out);
}

function srandmemberCommand(c: Client, argv: string[]): Reply {
  if (argv.length === 3) return srandmemberWithCountCommand(c, argv);
  if (argv.length > 3) return R.E.syntax;
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  if (set === null) return R.NIL;
  return R.bulk(setTypeRandomElement(c, set));
}

// ====================================================================== SINTER SINTERCARD SINTERSTORE SMEMBERS

function sinterGeneric(c: Client, keys: string[], dstkey: string | null, cardinalityOnly: boolean, limit: number): Reply {
  const sets: RObj[] = [];
  let empty = 0;
  for (const k of keys) {
    const o = c.db.lookupKeyRead(k);
    if (!o) { empty++; continue; }
    if (o.type !== 'set') return R.E.wrongType;
    sets.push(o);
  }
  if (empty > 0) {
    if (dstkey !== null) {
      if (c.db.delete(dstkey)) {
        c.engine.signalModifiedKey(c.db, dstkey);
        notify(c, 'del', dstkey);
        c.engine.dirty++;
      }
      return R.ZERO;
    }
    return cardinalityOnly ? R.ZERO : EMPTY_SET;
  }
  // Smallest set first (a stable sort, like glibc's qsort for such small arrays).
  sets.sort((a, b) => setTypeSize(a) - setTypeSize(b));
  const dstset = dstkey !== null ? createIntsetObject() : null;
  const out: Reply[] = [];
  let cardinality = 0;
  const first = sets[0];
  for (const ele of setTypeMembers(first)) {
    let j = 1;
    for (; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!setTypeIsMember(sets[j], ele)) break;
    }
    if (j !== sets.length) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit && cardinality >= limit) break;
    } else if (dstset === null) {
      out.push(R.bulk(ele));
      cardinality++;
    } else {
      setTypeAdd(c, dstset, dstkey!, ele);
    }
  }
  if (cardinalityOnly) return R.int(cardinality);
  if (dstset !== null) return storeResult(c, dstkey!, dstset, 'sinterstore');
  return R.set(out);
}

/** Store a STORE command's result, or delete the destination when the result is empty. */
function storeResult(c: Client, dstkey: string, dstset: RObj, event: string): Reply {
  const size = setTypeSize(dstset);
  if (size > 0) {
    if (dstset.encoding === 'hashtable') (dstset.ptr as Dict<null>).name = dstkey;
    c.db.setKey(dstkey, dstset);
    notify(c, event, dstkey);
    c.engine.dirty++;
    return R.int(size);
  }
  if (c.db.delete(dstkey)) {
    c.engine.dirty++;
    c.engine.signalModifiedKey(c.db, dstkey);
    notify(c, 'del', dstkey);
  }
  return R.ZERO;
}

function sintercardCommand(c: Client, argv: string[]): Reply {
  const nk = parseLongLong(argv[1]);
  if (nk === null || nk < 1) return R.error('ERR numkeys should be greater than 0');
  if (nk > argv.length - 2) return R.error("ERR Number of keys can't be greater than number of args");
  const numkeys = Number(nk);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (eqi(argv[j], 'limit') && moreargs) {
      j++;
      const v = parseLongLong(argv[j]);
      if (v === null || v < 0) return R.error("ERR LIMIT can't be negative");
      limit = typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
    } else {
      return R.E.syntax;
    }
  }
  return sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
}

// ====================================================================== SUNION SDIFF (+STORE)

function sunionDiffGeneric(c: Client, keys: string[], dstkey: string | null, op: 'union' | 'diff'): Reply {
  const sets: (RObj | null)[] = [];
  let sameset = false;
  for (let j = 0; j < keys.length; j++) {
    const o = c.db.lookupKeyRead(keys[j]);
    if (!o) { sets.push(null); continue; }
    if (o.type !== 'set') return R.E.wrongType;
    sets.push(o);
    if (j > 0 && sets[0] === o) sameset = true;
  }

  // Choose the DIFF algorithm: 1 walks the first set and probes the others (N*M), 2 adds the
  // first set and removes every other set's members (total size).
  let diffAlgo = 1;
  if (op === 'diff' && sets[0] && !sameset) {
    let one = 0, two = 0;
    for (const s of sets) {
      if (s === null) continue;
      one += setTypeSize(sets[0]);
      two += setTypeSize(s);
    }
    one = Math.floor(one / 2);
    diffAlgo = one <= two ? 1 : 2;
    if (diffAlgo === 1 && sets.length > 1) {
      const rest = sets.slice(1).sort((a, b) => (b ? setTypeSize(b) : 0) - (a ? setTypeSize(a) : 0));
      for (let j = 1; j < sets.length; j++) sets[j] = rest[j - 1];
    }
  }

  const dkey = dstkey ?? '';
  const dstset = createIntsetObject();
  let cardinality = 0;
  if (op === 'union') {
    for (const s of sets) {
      if (!s) continue;
      for (const ele of setTypeMembers(s)) if (setTypeAdd(c, dstset, dkey, ele)) cardinality++;
    }
  } else if (sameset) {
    // The first set is subtracted from itself: empty.
  } else if (sets[0] && diffAlgo === 1) {
    const first = sets[0];
    for (const ele of setTypeMembers(first)) {
      let j = 1;
      for (; j < sets.length; j++) {
        const s = sets[j];
        if (!s) continue;
        if (s === first) break;
        if (setTypeIsMember(s, ele)) break;
      }
      if (j === sets.length) {
        setTypeAdd(c, dstset, dkey, ele);
        cardinality++;
      }
    }
  } else if (sets[0] && diffAlgo === 2) {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (!s) continue;
      for (const ele of setTypeMembers(s)) {
        if (j === 0) { if (setTypeAdd(c, dstset, dkey, ele)) cardinality++; }
        else if (setTypeRemove(dstset, ele)) cardinality--;
      }
      if (cardinality === 0) break;
    }
  }

  if (dstkey === null) return R.set(setTypeMembers(dstset).map(R.bulk));
  return storeResult(c, dstkey, dstset, op === 'union' ? 'sunionstore' : 'sdiffstore');
}

// ====================================================================== SSCAN


function sscanCommand(c: Client, argv: string[]): Reply {
  noteStrtoulErrno(c.engine, argv[2]);
  const cur = parseScanCursor(argv[2]);
  if (cur === null) return R.error('ERR invalid cursor');
  const set = checkSet(c.db.lookupKeyRead(argv[1]));
  if (isReply(set)) return set;
  if (set === null) return EMPTY_SCAN;
  let count = 10;
  let pat: string | null = null;
  for (let i = 3; i < argv.length;) {
    const left = argv.length - i;
    if (eqi(argv[i], 'count') && left >= 2) {
      const v = getLong(argv[i + 1]);
      if (isReply(v)) return v;
      if (v < 1n) return R.E.syntax;
      count = v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
      i += 2;
    } else if (eqi(argv[i], 'match') && left >= 2) {
      pat = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else {
      return R.E.syntax;
    }
  }
  let items: string[];
  let cursor = 0;
  if (set.encoding === 'intset') {
    // A small encoding is returned whole, in one call, with cursor 0.
    items = setTypeMembers(set);
  } else {
    items = [];
    const d = set.ptr as Dict<null>;
    cursor = Number(cur & 0xffffffffn);
    let maxIterations = count * 10;
    const cb = (de: DictEntry<null>) => { items.push(de.key); };
    do {
      cursor = d.scan(cursor, cb);
    } while (cursor !== 0 && maxIterations-- !== 0 && items.length < count);
  }
  const out: Reply[] = [];
  for (const m of items) {
    if (pat !== null && !stringMatch(pat, m)) continue;
    out.push(R.bulk(m));
  }
  return R.array([R.bulk(String(cursor)), R.array(out)]);
}

// ====================================================================== the command table

export const setCommands: CommandDef[] = [
  { name: 'sadd', proc: saddCommand, complexity: 'O(1)' },
  { name: 'srem', proc: sremCommand, complexity: 'O(N)' },
  { name: 'smove', proc: smoveCommand, complexity: 'O(1)' },
  { name: 'sismember', proc: sismemberCommand, complexity: 'O(1)' },
  { name: 'smismember', proc: smismemberCommand, complexity: 'O(N)' },
  { name: 'scard', proc: scardCommand, complexity: 'O(1)' },
  { name: 'spop', proc: spopCommand, complexity: 'O(1)' },
  { name: 'srandmember', proc: srandmemberCommand, complexity: 'O(N)' },
  { name: 'smembers', proc: (c, a) => sinterGeneric(c, a.slice(1), null, false, 0), complexity: 'O(N)' },
  { name: 'sinter', proc: (c, a) => sinterGeneric(c, a.slice(1), null, false, 0), complexity: 'O(N*M)' },
  { name: 'sintercard', proc: sintercardCommand, complexity: 'O(N*M)' },
  { name: 'sinterstore', proc: (c, a) => sinterGeneric(c, a.slice(2), a[1], false, 0), complexity: 'O(N*M)' },
  { name: 'sunion', proc: (c, a) => sunionDiffGeneric(c, a.slice(1), null, 'union'), complexity: 'O(N)' },
  { name: 'sunionstore', proc: (c, a) => sunionDiffGeneric(c, a.slice(2), a[1], 'union'), complexity: 'O(N)' },
  { name: 'sdiff', proc: (c, a) => sunionDiffGeneric(c, a.slice(1), null, 'diff'), complexity: 'O(N)' },
  { name: 'sdiffstore', proc: (c, a) => sunionDiffGeneric(c, a.slice(2), a[1], 'diff'), complexity: 'O(N)' },
  { name: 'sscan', proc: sscanCommand, complexity: 'O(1)' },
];

export type { Int64 };
