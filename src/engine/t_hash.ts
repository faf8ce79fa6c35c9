/**
 * Hash commands (as src/t_hash.c in Redis 7.0).
 *
 * Encodings:
 * - listpack: `ptr` is a Listpack of field, value, field, value ... in insertion order; fields are
 *   found with a linear scan comparing every other entry (`find(field, 0, 1)`);
 * - hashtable: `ptr` is a Dict<string> (field -> value) named after the key.
 *
 * A hash starts as a listpack and becomes a hashtable (never back) when it holds more than
 * hash-max-listpack-entries fields or when a field or value longer than hash-max-listpack-value
 * bytes is written. HSET / HSETNX check the lengths of all their arguments before writing
 * (hashTypeTryConversion); HINCRBY / HINCRBYFLOAT check the field and the new value on write.
 * After a delete from a hashtable the dict shrinks when it is less than 10% full.
 *
 * Steps are counted by the structures (one per listpack entry compared / walked, per dict bucket
 * probed and chain entry); iteration here counts one per bucket and per entry visited.
 */
import type { CommandDef } from './commands';
import type { Client } from './client';
import type { Reply } from './types';
import { RObj } from './object';
import * as R from './reply';
import { Listpack } from './structures/listpack';
import { Dict } from './structures/dict';
import { steps, tracing } from './trace';
import { parseLongLong, stringMatch, INT64_MAX, INT64_MIN, toBig } from './util';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman, type LongDouble } from './t_string';
import { parseScanCursor } from './t_keys';
import { sortResetErrno, noteStrtoulErrno } from './t_sort';

/** lpSafeToAdd: a listpack never grows beyond 1 GB. */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;
/** HRANDFIELD: beyond this, Redis 7.0 fills the reply in batches (listpack case 1). */
const HRANDFIELD_RANDOM_SAMPLE_LIMIT = 1000;
/** HRANDFIELD: case 3 (copy and remove) when count * this > size. */
const HRANDFIELD_SUB_STRATEGY_MUL = 3;
/**
 * Redis answers HRANDFIELD with a huge negative count by producing that many elements until it runs
 * out of memory (7.0.15 crashes). The sandbox refuses replies with more elements than this.
 */
export const HRANDFIELD_MAX_REPEATS = 1_000_000;

const E_NOT_INT_HASH = R.error('ERR hash value is not an integer');
const E_NOT_FLOAT_HASH = R.error('ERR hash value is not a float');
const E_NAN_INF_ARG = R.error('ERR value is NaN or Infinity');
const E_NAN_INF_RESULT = R.error('ERR increment would produce NaN or Infinity');
const E_RANGE_LONG = R.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
const E_RANGE = R.error('ERR value is out of range');
const E_INVALID_CURSOR = R.error('ERR invalid cursor');
const EMPTY_SCAN: Reply = R.array([R.bulk('0'), R.EMPTY_ARRAY]);

// ====================================================================== the hash type (hashType*)

/** A new empty hash object (createHashObject): listpack encoded. */
export function createHashObject(): RObj {
  return new RObj('hash', 'listpack', new Listpack());
}

/** A deep copy of a hash value (hashTypeDup, for COPY): keeps the encoding. */
export function cloneHashValue(o: RObj): RObj {
  if (o.encoding === 'listpack') return new RObj('hash', 'listpack', (o.ptr as Listpack).clone());
  return new RObj('hash', 'hashtable', (o.ptr as Dict<string>).clone());
}

export function hashLength(o: RObj): number {
  return o.encoding === 'listpack' ? (o.ptr as Listpack).length / 2 : (o.ptr as Dict<string>).size();
}

/** hashTypeGetValue: the value of a field, or undefined. */
export function hashGet(o: RObj, field: string): string | undefined {
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const i = lp.find(field, 0, 1);
    return i < 0 ? undefined : lp.entries[i + 1];
  }
  return (o.ptr as Dict<string>).get(field);
}

function hashExists(o: RObj, field: string): boolean {
  if (o.encoding === 'listpack') return (o.ptr as Listpack).find(field, 0, 1) >= 0;
  return (o.ptr as Dict<string>).has(field);
}

/** hashTypeConvert: listpack -> hashtable, a dict presized for every field. */
export function hashConvert(o: RObj, key: string): void {
  if (o.encoding !== 'listpack') return;
  const lp = o.ptr as Listpack;
  const d = new Dict<string>();
  d.name = key;
  if (lp.length > 0) d.expand(lp.length / 2);
  const e = lp.entries;
  for (let i = 0; i < e.length; i += 2) {
    steps.n++;
    d.add(e[i], e[i + 1]);
  }
  o.encoding = 'hashtable';
  o.ptr = d;
  if (tracing.sink) tracing.sink.push({ k: 'obj.convert', key, from: 'listpack', to: 'hashtable' });
}

/**
 * hashTypeTryConversion: before writing argv[start..end], convert when any of them is longer than
 * hash-max-listpack-value, or when the listpack would grow beyond its safety size.
 */
function hashTryConversion(c: Client, o: RObj, key: string, argv: string[], start: number, end: number): void {
  if (o.encoding !== 'listpack') return;
  const max = c.engine.config.hashMaxListpackValue;
  let sum = 0;
  for (let i = start; i <= end; i++) {
    const len = argv[i].length;
    if (len > max) { hashConvert(o, key); return; }
    sum += len;
  }
  if (!(o.ptr as Listpack).fits(sum, LISTPACK_MAX_SAFETY_SIZE)) hashConvert(o, key);
}

/**
 * hashTypeSet: set field to value; returns true if the field existed (an update). A listpack first
 * converts if the field or the value is too long (the HINCRBY* path), and after the write if it
 * holds more than hash-max-listpack-entries fields.
 */
export function hashSet(c: Client, o: RObj, key: string, field: string, value: string): boolean {
  const cfg = c.engine.config;
  if (o.encoding === 'listpack' &&
      (field.length > cfg.hashMaxListpackValue || value.length > cfg.hashMaxListpackValue)) {
    hashConvert(o, key);
  }
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    let update = false;
    if (lp.length > 0) {
      const i = lp.find(field, 0, 1);
      if (i >= 0) { lp.replace(i + 1, value); update = true; }
    }
    if (!update) { lp.append(field); lp.append(value); }
    if (lp.length / 2 > cfg.hashMaxListpackEntries) hashConvert(o, key);
    return update;
  }
  return !(o.ptr as Dict<string>).set(field, value);
}

/** hashTypeDelete: returns true if the field existed. A hashtable shrinks when under 10% full. */
function hashDelete(o: RObj, field: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const i = lp.find(field, 0, 1);
    if (i < 0) return false;
    lp.delete(i, 2);
    return true;
  }
  const d = o.ptr as Dict<string>;
  if (d.delete(field) === null) return false;
  if (d.needsResize()) d.resize();
  return true;
}

/** Walk every field/value pair in the encoding's order (listpack order, or dict table order). */
function hashForEach(o: RObj, fn: (field: string, value: string) => void): void {
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    for (let i = 0; i < e.length; i += 2) { steps.n++; fn(e[i], e[i + 1]); }
    return;
  }
  dictForEachCounted(o.ptr as Dict<string>, fn);
}

/** A dict iterator (dictNext): one step per bucket visited and per entry. */
function dictForEachCounted<V>(d: Dict<V>, fn: (key: string, val: V) => void): void {
  if (d.size() === 0) return;
  for (const t of [d.ht0, d.ht1]) {
    for (let i = 0; i < t.length; i++) {
      steps.n++;
      for (let he = t[i]; he; he = he.next) { steps.n++; fn(he.key, he.val); }
    }
  }
}

// ====================================================================== lookups

function isReply(x: unknown): x is Reply {
  return x !== null && typeof x === 'object' && !(x instanceof RObj);
}

/** lookupKeyRead + checkType: the hash, null if missing, or the WRONGTYPE reply. */
function lookupHashRead(c: Client, key: string): RObj | null | Reply {
  const o = c.db.lookupKeyRead(key);
  if (o === null) return null;
  if (o.type !== 'hash') return R.E.wrongType;
  return o;
}

/** hashTypeLookupWriteOrCreate: the hash (created empty and added if missing) or WRONGTYPE. */
function lookupHashWriteOrCreate(c: Client, key: string): RObj | Reply {
  const o = c.db.lookupKeyWrite(key);
  if (o !== null) return o.type === 'hash' ? o : R.E.wrongType;
  const n = createHashObject();
  c.db.add(key, n);
  return n;
}

function written(c: Client, key: string, event: string, dirty = 1): void {
  c.engine.signalModifiedKey(c.db, key);
  c.engine.notifyKeyspaceEvent(event, key, c.db.id);
  c.engine.dirty += dirty;
}

// ====================================================================== writes

/** HSET key field value [field value ...] and HMSET (same, replies OK). */
function hsetGeneric(c: Client, argv: string[], hmset: boolean): Reply {
  if (argv.length % 2 === 1) return R.E.wrongArgs(hmset ? 'hmset' : 'hset');
  const key = argv[1];
  const o = lookupHashWriteOrCreate(c, key);
  if (isReply(o)) return o;
  hashTryConversion(c, o, key, argv, 2, argv.length - 1);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (!hashSet(c, o, key, argv[i], argv[i + 1])) created++;
  }
  written(c, key, 'hset', (argv.length - 2) / 2);
  return hmset ? R.OK : R.int(created);
}

function hsetnxCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = lookupHashWriteOrCreate(c, key);
  if (isReply(o)) return o;
  if (hashExists(o, argv[2])) return R.ZERO;
  hashTryConversion(c, o, key, argv, 2, 3);
  hashSet(c, o, key, argv[2], argv[3]);
  written(c, key, 'hset');
  return R.ONE;
}

function hdelCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = c.db.lookupKeyWrite(key);
  if (o === null) return R.ZERO;
  if (o.type !== 'hash') return R.E.wrongType;
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (hashDelete(o, argv[i])) {
      deleted++;
      if (hashLength(o) === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted) {
    written(c, key, 'hdel', deleted);
    if (keyRemoved) c.engine.notifyKeyspaceEvent('del', key, c.db.id);
  }
  return R.int(deleted);
}

function hincrbyCommand(c: Client, argv: string[]): Reply {
  const incrV = parseLongLong(argv[3]);
  if (incrV === null) return R.E.notInt;
  const key = argv[1];
  const o = lookupHashWriteOrCreate(c, key);
  if (isReply(o)) return o;
  const cur = hashGet(o, argv[2]);
  let value = 0n;
  if (cur !== undefined) {
    const v = parseLongLong(cur);
    if (v === null) return E_NOT_INT_HASH;
    value = toBig(v);
  }
  const incr = toBig(incrV);
  if ((incr < 0n && value < 0n && incr < INT64_MIN - value) ||
      (incr > 0n && value > 0n && incr > INT64_MAX - value)) {
    return R.E.overflow;
  }
  const sum = value + incr;
  hashSet(c, o, key, argv[2], sum.toString());
  written(c, key, 'hincrby');
  return R.int(Number.isSafeInteger(Number(sum)) ? Number(sum) : sum);
}

const LD_ZERO: LongDouble = { kind: 'finite', neg: false, m: 0n, e: 0 };

function hincrbyfloatCommand(c: Client, argv: string[]): Reply {
  // Redis's string2ld sets errno = 0 before strtold (SORT reads errno later: t_sort.ts).
  if (argv[3].length > 0) sortResetErrno(c.engine);
  const incr = parseLongDouble(argv[3]);
  if (incr === null) return R.E.notFloat;
  if (incr.kind === 'inf') return E_NAN_INF_ARG;
  const key = argv[1];
  const o = lookupHashWriteOrCreate(c, key);
  if (isReply(o)) return o;
  const cur = hashGet(o, argv[2]);
  let value: LongDouble = LD_ZERO;
  if (cur !== undefined) {
    const v = parseLongDouble(cur);
    if (v === null) return E_NOT_FLOAT_HASH;
    value = v;
  }
  const sum = addLongDouble(value, incr);
  if (sum === null || sum.kind === 'inf') return E_NAN_INF_RESULT;
  const text = formatLongDoubleHuman(sum);
  hashSet(c, o, key, argv[2], text);
  written(c, key, 'hincrbyfloat');
  return R.bulk(text);
}

// ====================================================================== reads

function hgetCommand(c: Client, argv: string[]): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return R.NIL;
  if (isReply(o)) return o;
  const v = hashGet(o, argv[2]);
  return v === undefined ? R.NIL : R.bulk(v);
}

function hmgetCommand(c: Client, argv: string[]): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o !== null && isReply(o)) return o;
  const out: Reply[] = [];
  for (let i = 2; i < argv.length; i++) {
    const v = o === null ? undefined : hashGet(o, argv[i]);
    out.push(v === undefined ? R.NIL : R.bulk(v));
  }
  return R.array(out);
}

function hexistsCommand(c: Client, argv: string[]): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  return hashExists(o, argv[2]) ? R.ONE : R.ZERO;
}

function hlenCommand(c: Client, argv: string[]): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  return R.int(hashLength(o));
}

function hstrlenCommand(c: Client, argv: string[]): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  const v = hashGet(o, argv[2]);
  return R.int(v === undefined ? 0 : v.length);
}

/** HKEYS / HVALS / HGETALL (genericHgetallCommand): a map in RESP3 for HGETALL. */
function hgetallGeneric(c: Client, argv: string[], keys: boolean, vals: boolean): Reply {
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return keys && vals ? R.map([]) : R.EMPTY_ARRAY;
  if (isReply(o)) return o;
  const out: Reply[] = [];
  hashForEach(o, (f, v) => {
    if (keys) out.push(R.bulk(f));
    if (vals) out.push(R.bulk(v));
  });
  return keys && vals ? R.map(out) : R.array(out);
}

// ====================================================================== HRANDFIELD

function hrandfieldCommand(c: Client, argv: string[]): Reply {
  if (argv.length >= 3) {
    const lv = parseLongLong(argv[2]);
    if (lv === null) return R.E.notInt;
    const l = toBig(lv);
    if (l < -INT64_MAX) return E_RANGE_LONG;
    let withvalues = false;
    if (argv.length > 4 || (argv.length === 4 && argv[3].toLowerCase() !== 'withvalues')) return R.E.syntax;
    if (argv.length === 4) {
      withvalues = true;
      if (l < -(INT64_MAX / 2n) || l > INT64_MAX / 2n) return E_RANGE;
    }
    return hrandfieldWithCount(c, argv[1], l, withvalues);
  }
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return R.NIL;
  if (isReply(o)) return o;
  const rand = (n: number) => c.engine.random.int(n);
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const idx = rand(lp.length / 2) * 2;
    return R.bulk(lp.get(idx)!);
  }
  const de = (o.ptr as Dict<string>).fairRandomEntry(rand)!;
  return R.bulk(de.key);
}

function hrandfieldWithCount(c: Client, key: string, l: bigint, withvalues: boolean): Reply {
  const o = lookupHashRead(c, key);
  if (o === null) return R.EMPTY_ARRAY;
  if (isReply(o)) return o;
  const size = hashLength(o);
  const uniq = l >= 0n;
  const countBig = uniq ? l : -l;
  if (countBig === 0n) return R.EMPTY_ARRAY;
  const rand = (n: number) => c.engine.random.int(n);
  const resp3 = c.resp === 3;
  const out: Reply[] = [];
  const push = (f: string, v: string) => {
    if (!withvalues) out.push(R.bulk(f));
    else if (resp3) out.push(R.array([R.bulk(f), R.bulk(v)]));
    else out.push(R.bulk(f), R.bulk(v));
  };

  // CASE 1: negative count (repeats allowed, random order), or count 1.
  if (!uniq || countBig === 1n) {
    if (countBig > BigInt(HRANDFIELD_MAX_REPEATS)) {
      return R.error(`ERR the sandbox replies with at most ${HRANDFIELD_MAX_REPEATS} elements (Redis would run out of memory)`);
    }
    let count = Number(countBig);
    if (o.encoding === 'hashtable') {
      const d = o.ptr as Dict<string>;
      while (count--) {
        const de = d.fairRandomEntry(rand)!;
        push(de.key, de.val);
      }
    } else {
      const lp = o.ptr as Listpack;
      const limit = Math.min(count, HRANDFIELD_RANDOM_SAMPLE_LIMIT);
      while (count) {
        const sample = Math.min(count, limit);
        count -= sample;
        // lpRandomPairs: pick random pair indexes, then one walk of the listpack to fetch them.
        const picks: number[] = new Array(sample);
        let maxPick = 0;
        for (let i = 0; i < sample; i++) {
          picks[i] = rand(size);
          if (picks[i] > maxPick) maxPick = picks[i];
        }
        for (let p = 0; p <= maxPick; p++) steps.n++;
        for (let i = 0; i < sample; i++) push(lp.entries[picks[i] * 2], lp.entries[picks[i] * 2 + 1]);
      }
    }
    return R.array(out);
  }

  const count = Number(countBig);
  // CASE 2: the whole hash.
  if (count >= size) {
    hashForEach(o, push);
    return R.array(out);
  }

  // CASE 2.5: listpack, unique sampling in listpack order (lpRandomPairsUnique, selection sampling).
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    let picked = 0;
    let remaining = count;
    for (let index = 0; picked < count && index < size; index++) {
      steps.n++;
      const threshold = remaining / (size - index);
      if (c.engine.random.float() <= threshold) {
        push(e[index * 2], e[index * 2 + 1]);
        picked++;
        remaining--;
      }
    }
    return R.array(out);
  }

  const d = o.ptr as Dict<string>;
  // CASE 3: count close to the size: copy everything, remove random fields down to count.
  if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
    const tmp = new Dict<string>();
    tmp.expand(size);
    dictForEachCounted(d, (f, v) => { tmp.add(f, v); });
    let n = size;
    while (n > count) {
      const de = tmp.fairRandomEntry(rand)!;
      tmp.delete(de.key);
      n--;
    }
    dictForEachCounted(tmp, push);
    return R.array(out);
  }

  // CASE 4: count small compared to the size: random fields until count distinct ones.
  const seen = new Dict<null>();
  seen.expand(count);
  let added = 0;
  while (added < count) {
    const de = d.fairRandomEntry(rand)!;
    if (!seen.add(de.key, null)) continue;
    added++;
    push(de.key, de.val);
  }
  return R.array(out);
}

// ====================================================================== HSCAN

function hscanCommand(c: Client, argv: string[]): Reply {
  noteStrtoulErrno(c.engine, argv[2]); // strtoul leaves errno behind (SORT reads it)
  const cur = parseScanCursor(argv[2]);
  if (cur === null) return E_INVALID_CURSOR;
  const o = lookupHashRead(c, argv[1]);
  if (o === null) return EMPTY_SCAN;
  if (isReply(o)) return o;
  let count = 10;
  let pat: string | null = null;
  for (let i = 3; i < argv.length;) {
    const left = argv.length - i;
    const opt = argv[i].toLowerCase();
    if (opt === 'count' && left >= 2) {
      const v = parseLongLong(argv[i + 1]);
      if (v === null) return R.E.notInt;
      if (v < 1) return R.E.syntax;
      count = typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
      i += 2;
    } else if (opt === 'match' && left >= 2) {
      pat = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else {
      return R.E.syntax;
    }
  }
  const items: string[] = [];
  let cursor = 0;
  if (o.encoding === 'listpack') {
    // A listpack is small: everything in one call, cursor 0.
    const e = (o.ptr as Listpack).entries;
    for (let i = 0; i < e.length; i++) { steps.n++; items.push(e[i]); }
  } else {
    const d = o.ptr as Dict<string>;
    cursor = Number(cur & 0xffffffffn);
    let maxIterations = count * 10;
    const cb = (de: { key: string; val: string }) => { items.push(de.key, de.val); };
    do {
      cursor = d.scan(cursor, cb);
    } while (cursor && maxIterations-- && items.length < count);
  }
  const out: Reply[] = [];
  for (let i = 0; i < items.length; i += 2) {
    if (pat !== null && !stringMatch(pat, items[i])) continue;
    out.push(R.bulk(items[i]), R.bulk(items[i + 1]));
  }
  return R.array([R.bulk(String(cursor)), R.array(out)]);
}

// ====================================================================== the command table

export const hashCommands: CommandDef[] = [
  { name: 'hset', proc: (c, a) => hsetGeneric(c, a, false), complexity: 'O(N)' },
  { name: 'hmset', proc: (c, a) => hsetGeneric(c, a, true), complexity: 'O(N)' },
  { name: 'hsetnx', proc: hsetnxCommand, complexity: 'O(1)' },
  { name: 'hget', proc: hgetCommand, complexity: 'O(1)' },
  { name: 'hmget', proc: hmgetCommand, complexity: 'O(N)' },
  { name: 'hdel', proc: hdelCommand, complexity: 'O(N)' },
  { name: 'hexists', proc: hexistsCommand, complexity: 'O(1)' },
  { name: 'hlen', proc: hlenCommand, complexity: 'O(1)' },
  { name: 'hstrlen', proc: hstrlenCommand, complexity: 'O(1)' },
  { name: 'hkeys', proc: (c, a) => hgetallGeneric(c, a, true, false), complexity: 'O(N)' },
  { name: 'hvals', proc: (c, a) => hgetallGeneric(c, a, false, true), complexity: 'O(N)' },
  { name: 'hgetall', proc: (c, a) => hgetallGeneric(c, a, true, true), complexity: 'O(N)' },
  { name: 'hincrby', proc: hincrbyCommand, complexity: 'O(1)' },
  { name: 'hincrbyfloat', proc: hincrbyfloatCommand, complexity: 'O(1)' },
  { name: 'hrandfield', proc: hrandfieldCommand, complexity: 'O(N)' },
  { name: 'hscan', proc: hscanCommand, complexity: 'O(1)' },
];
