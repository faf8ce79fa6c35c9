/**
 * String commands (as src/t_string.c and the string part of src/bitops.c in Redis 7.0):
 * SET GET GETSET GETDEL GETEX MGET MSET MSETNX SETNX SETEX PSETEX APPEND STRLEN INCR DECR INCRBY
 * DECRBY INCRBYFLOAT GETRANGE SUBSTR SETRANGE SETBIT GETBIT BITCOUNT BITPOS LCS.
 *
 * Values are byte strings in `o.ptr`; the encoding (int / embstr / raw) follows Redis: values coming
 * from an argument go through tryObjectEncoding (createStringObject), values modified in place
 * (APPEND, SETRANGE, SETBIT) become raw, INCR results are int, INCRBYFLOAT results embstr/raw.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj, createStringObject, createRawStringObject, EMBSTR_SIZE_LIMIT } from './object';
import { parseLongLong, eqi, INT64_MAX, INT64_MIN } from './util';
import { steps } from './trace';
import { sortResetErrno } from './t_sort';

// ---------------------------------------------------------------------------- helpers

const E_STRING_TOO_LONG = R.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
const E_BIT_OFFSET = R.error('ERR bit offset is not an integer or out of range');
const E_BIT_VALUE = R.error('ERR bit is not an integer or out of range');

/** getLongLongFromObjectOrReply as a bigint, or null (reply notInt). */
function parseLL(s: string): bigint | null {
  const v = parseLongLong(s);
  return v === null ? null : BigInt(v);
}

/** getLongLongFromObject as a JS number (values beyond 2^53 lose precision; fine for ranges). */
function parseLLNum(s: string): number | null {
  const v = parseLongLong(s);
  return v === null ? null : Number(v);
}

/** Redis's checkStringLength: the resulting size must not exceed proto-max-bulk-len. */
function checkStringLength(c: Client, size: number): boolean {
  return size <= c.engine.config.protoMaxBulkLen;
}

function written(c: Client, key: string, event: string): void {
  c.engine.signalModifiedKey(c.db, key);
  c.engine.notifyKeyspaceEvent(event, key, c.db.id);
  c.engine.dirty++;
}

/** The value of a string object (int-encoded values are kept as their decimal text). */
function strOf(o: RObj): string {
  return o.ptr as string;
}

/**
 * tryObjectEncoding / createStringObjectFromLongLongForValue use the shared integers 0..9999 unless
 * maxmemory is set with an LRU/LFU policy: decided when the object is made (OBJECT REFCOUNT shows it).
 */
function strObj(c: Client, value: string): RObj {
  const o = createStringObject(value);
  if (o.encoding === 'int') o.unshared = sharedIntegersOff(c);
  return o;
}

function sharedIntegersOff(c: Client): boolean {
  const cfg = c.engine.config;
  return cfg.maxmemory > 0 && /-(lru|lfu)$/.test(cfg.maxmemoryPolicy);
}

/** Redis's dbUnshareStringValue: the object becomes a raw string we may modify. */
function unshare(o: RObj): RObj {
  o.encoding = 'raw';
  return o;
}

// ---------------------------------------------------------------------------- SET family

const F_NX = 1, F_XX = 2, F_KEEPTTL = 4, F_GET = 8, F_EX = 16, F_PX = 32, F_EXAT = 64, F_PXAT = 128, F_PERSIST = 256;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

interface ExtArgs { flags: number; expire: string | null; }

/** Redis's parseExtendedStringArgumentsOrReply for SET (isSet) and GETEX. */
function parseExtendedArgs(argv: string[], isSet: boolean): ExtArgs | Reply {
  let flags = 0;
  let expire: string | null = null;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j];
    const hasNext = j < argv.length - 1;
    if (isSet && eqi(opt, 'nx') && !(flags & F_XX)) flags |= F_NX;
    else if (isSet && eqi(opt, 'xx') && !(flags & F_NX)) flags |= F_XX;
    else if (isSet && eqi(opt, 'get')) flags |= F_GET;
    else if (isSet && eqi(opt, 'keepttl') && !(flags & (F_PERSIST | F_ANY_EXPIRE))) flags |= F_KEEPTTL;
    else if (!isSet && eqi(opt, 'persist') && !(flags & (F_ANY_EXPIRE | F_KEEPTTL))) flags |= F_PERSIST;
    else if (eqi(opt, 'ex') && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EX; expire = argv[++j];
    } else if (eqi(opt, 'px') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      flags |= F_PX; expire = argv[++j];
    } else if (eqi(opt, 'exat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EXAT; expire = argv[++j];
    } else if (eqi(opt, 'pxat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      flags |= F_PXAT; expire = argv[++j];
    } else return R.E.syntax;
  }
  return { flags, expire };
}

/**
 * Redis's getExpireMillisecondsOrReply: the absolute expire time in ms, or an error reply.
 * Seconds are multiplied by 1000 (overflow checked), relative times get "now" added (a signed
 * overflow of the sum is an invalid expire time).
 */
function getExpireMs(c: Client, arg: string, flags: number, cmdName: string): bigint | Reply {
  let ms = parseLL(arg);
  if (ms === null) return R.E.notInt;
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) return R.E.invalidExpire(cmdName);
  if (seconds) ms *= 1000n;
  if (flags & (F_EX | F_PX)) ms += BigInt(c.engine.cmdTime);
  if (ms > INT64_MAX) return R.E.invalidExpire(cmdName); // wraps negative in C
  return ms; // a bigint: times beyond 2^53 ms stay exact (Db.setExpire)
}

/** getGenericCommand: the string value (bulk), nil, or WRONGTYPE. */
function getGeneric(c: Client, key: string): Reply {
  const o = c.db.lookupKeyRead(key);
  if (!o) return R.NIL;
  if (o.type !== 'string') return R.E.wrongType;
  return R.bulk(strOf(o));
}

/** Redis's setKey with a known existence: add or overwrite, drop the TTL unless kept, signal. */
function setKeyKnown(c: Client, key: string, val: RObj, found: boolean, keepTtl: boolean): void {
  if (found) c.db.overwrite(key, val); else c.db.add(key, val);
  if (!keepTtl) c.db.removeExpire(key);
  c.engine.signalModifiedKey(c.db, key);
}

/** Redis's setGenericCommand. okReply/abortReply default to +OK / nil. */
function setGeneric(c: Client, cmdName: string, flags: number, key: string, value: string, expire: string | null,
  okReply: Reply = R.OK, abortReply: Reply = R.NIL): Reply {
  let when = 0n;
  if (expire !== null) {
    const w = getExpireMs(c, expire, flags, cmdName);
    if (typeof w !== 'bigint') return w;
    when = w;
  }
  let getReply: Reply | null = null;
  if (flags & F_GET) {
    getReply = getGeneric(c, key);
    if (getReply.t === 'error') return getReply;
  }
  const found = c.db.lookupKeyWrite(key) !== null;
  if (((flags & F_NX) && found) || ((flags & F_XX) && !found)) {
    return getReply ?? abortReply;
  }
  setKeyKnown(c, key, strObj(c, value), found, (flags & F_KEEPTTL) !== 0);
  c.engine.dirty++;
  c.engine.notifyKeyspaceEvent('set', key, c.db.id);
  if (expire !== null) {
    c.db.setExpire(key, when);
    c.engine.notifyKeyspaceEvent('expire', key, c.db.id);
  }
  return getReply ?? okReply;
}

function setCommand(c: Client, argv: string[]): Reply {
  const a = parseExtendedArgs(argv, true);
  if ('t' in a) return a;
  return setGeneric(c, 'set', a.flags, argv[1], argv[2], a.expire);
}

function setnxCommand(c: Client, argv: string[]): Reply {
  return setGeneric(c, 'setnx', F_NX, argv[1], argv[2], null, R.ONE, R.ZERO);
}

function setexCommand(c: Client, argv: string[]): Reply {
  return setGeneric(c, 'setex', F_EX, argv[1], argv[3], argv[2]);
}

function psetexCommand(c: Client, argv: string[]): Reply {
  return setGeneric(c, 'psetex', F_PX, argv[1], argv[3], argv[2]);
}

function getCommand(c: Client, argv: string[]): Reply {
  return getGeneric(c, argv[1]);
}

function getsetCommand(c: Client, argv: string[]): Reply {
  const r = getGeneric(c, argv[1]);
  if (r.t === 'error') return r;
  c.db.setKey(argv[1], strObj(c, argv[2]));
  c.engine.notifyKeyspaceEvent('set', argv[1], c.db.id);
  c.engine.dirty++;
  return r;
}

function getdelCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = c.db.lookupKeyRead(key);
  if (!o) return R.NIL;
  if (o.type !== 'string') return R.E.wrongType;
  const r = R.bulk(strOf(o));
  c.db.delete(key);
  written(c, key, 'del');
  return r;
}

function getexCommand(c: Client, argv: string[]): Reply {
  const a = parseExtendedArgs(argv, false);
  if ('t' in a) return a;
  const key = argv[1];
  const o = c.db.lookupKeyRead(key);
  if (!o) return R.NIL;
  if (o.type !== 'string') return R.E.wrongType;
  let when = 0n;
  if (a.expire !== null) {
    const w = getExpireMs(c, a.expire, a.flags, 'getex');
    if (typeof w !== 'bigint') return w;
    when = w;
  }
  const r = R.bulk(strOf(o));
  if ((a.flags & (F_PXAT | F_EXAT)) && when <= BigInt(c.engine.cmdTime) && !c.engine.loading) {
    // An absolute time already in the past deletes the key.
    c.db.delete(key);
    written(c, key, 'del');
  } else if (a.expire !== null) {
    c.db.setExpire(key, when);
    written(c, key, 'expire');
  } else if (a.flags & F_PERSIST) {
    if (c.db.removeExpire(key)) written(c, key, 'persist');
  }
  return r;
}

function mgetCommand(c: Client, argv: string[]): Reply {
  const out: Reply[] = [];
  for (let j = 1; j < argv.length; j++) {
    const o = c.db.lookupKeyRead(argv[j]);
    out.push(o && o.type === 'string' ? R.bulk(strOf(o)) : R.NIL);
  }
  return R.array(out);
}

function msetGeneric(c: Client, argv: string[], nx: boolean): Reply {
  if (argv.length % 2 === 0) return R.E.wrongArgs(nx ? 'msetnx' : 'mset');
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.lookupKeyWrite(argv[j]) !== null) return R.ZERO;
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    c.db.setKey(argv[j], strObj(c, argv[j + 1]));
    c.engine.notifyKeyspaceEvent('set', argv[j], c.db.id);
  }
  c.engine.dirty += (argv.length - 1) / 2;
  return nx ? R.ONE : R.OK;
}

function msetCommand(c: Client, argv: string[]): Reply { return msetGeneric(c, argv, false); }
function msetnxCommand(c: Client, argv: string[]): Reply { return msetGeneric(c, argv, true); }

// ---------------------------------------------------------------------------- APPEND, STRLEN, ranges

function appendCommand(c: Client, argv: string[]): Reply {
  const key = argv[1], app = argv[2];
  const o = c.db.lookupKeyWrite(key);
  let totlen: number;
  if (o === null) {
    c.db.add(key, strObj(c, app));
    totlen = app.length;
  } else {
    if (o.type !== 'string') return R.E.wrongType;
    const cur = strOf(o);
    if (!checkStringLength(c, cur.length + app.length)) return E_STRING_TOO_LONG;
    unshare(o).ptr = cur + app;
    totlen = cur.length + app.length;
  }
  written(c, key, 'append');
  return R.int(totlen);
}

function strlenCommand(c: Client, argv: string[]): Reply {
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.ZERO;
  if (o.type !== 'string') return R.E.wrongType;
  return R.int(strOf(o).length);
}

function getrangeCommand(c: Client, argv: string[]): Reply {
  let start = parseLLNum(argv[2]);
  if (start === null) return R.E.notInt;
  let end = parseLLNum(argv[3]);
  if (end === null) return R.E.notInt;
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.bulk('');
  if (o.type !== 'string') return R.E.wrongType;
  const s = strOf(o);
  const len = s.length;
  if (start < 0 && end < 0 && start > end) return R.bulk('');
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return R.bulk('');
  return R.bulk(s.slice(start, end + 1));
}

function setrangeCommand(c: Client, argv: string[]): Reply {
  const key = argv[1], value = argv[3];
  const offset = parseLLNum(argv[2]);
  if (offset === null) return R.E.notInt;
  if (offset < 0) return R.error('ERR offset is out of range');
  let o = c.db.lookupKeyWrite(key);
  if (o === null) {
    if (value.length === 0) return R.ZERO;
    if (!checkStringLength(c, offset + value.length)) return E_STRING_TOO_LONG;
    o = createRawStringObject('');
    c.db.add(key, o);
  } else {
    if (o.type !== 'string') return R.E.wrongType;
    const olen = strOf(o).length;
    if (value.length === 0) return R.int(olen);
    if (!checkStringLength(c, offset + value.length)) return E_STRING_TOO_LONG;
    unshare(o);
  }
  let cur = strOf(o);
  if (cur.length < offset) cur += '\0'.repeat(offset - cur.length);
  o.ptr = cur.slice(0, offset) + value + cur.slice(offset + value.length);
  written(c, key, 'setrange');
  return R.int((o.ptr as string).length);
}

// ---------------------------------------------------------------------------- INCR family

/**
 * Redis's incrDecrCommand. Safe-integer values and increments add as JS numbers (no BigInt per
 * INCR); anything larger goes through bigint with the int64 overflow check.
 */
function incrDecr(c: Client, key: string, incr: bigint | number): Reply {
  const o = c.db.lookupKeyWrite(key);
  let value: bigint | number;
  if (o === null) value = 0;
  else {
    if (o.type !== 'string') return R.E.wrongType;
    const v = parseLongLong(strOf(o));
    if (v === null) return R.E.notInt;
    value = v;
  }
  let result: bigint | number;
  if (typeof value === 'number' && typeof incr === 'number' && Number.isSafeInteger(value + incr)) {
    result = value + incr;
  } else {
    const big = BigInt(value) + BigInt(incr);
    if (big > INT64_MAX || big < INT64_MIN) return R.E.overflow;
    result = big;
  }
  const text = result.toString();
  if (o !== null) {
    o.ptr = text;
    o.encoding = 'int';
    o.unshared = sharedIntegersOff(c); // a result in 0..9999 is the shared integer again (a new object in Redis)
  } else {
    c.db.add(key, strObj(c, text));
  }
  written(c, key, 'incrby');
  return R.int(Number.isSafeInteger(Number(result)) ? Number(result) : result);
}

function incrCommand(c: Client, argv: string[]): Reply { return incrDecr(c, argv[1], 1); }
function decrCommand(c: Client, argv: string[]): Reply { return incrDecr(c, argv[1], -1); }

function incrbyCommand(c: Client, argv: string[]): Reply {
  const incr = parseLongLong(argv[2]);
  if (incr === null) return R.E.notInt;
  return incrDecr(c, argv[1], incr);
}

function decrbyCommand(c: Client, argv: string[]): Reply {
  const incr = parseLongLong(argv[2]);
  if (incr === null) return R.E.notInt;
  if (incr === INT64_MIN) return R.error('ERR decrement would overflow');
  return incrDecr(c, argv[1], typeof incr === 'number' ? 0 - incr : -incr);
}

function incrbyfloatCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = c.db.lookupKeyWrite(key);
  if (o !== null && o.type !== 'string') return R.E.wrongType;
  // Redis's string2ld sets errno = 0 before strtold (SORT reads errno later: t_sort.ts).
  if (o !== null && o.encoding !== 'int' && strOf(o).length > 0) sortResetErrno(c.engine);
  const value = o === null ? LD_ZERO : parseLongDouble(strOf(o));
  if (value === null) return R.E.notFloat;
  if (argv[2].length > 0) sortResetErrno(c.engine);
  const incr = parseLongDouble(argv[2]);
  if (incr === null) return R.E.notFloat;
  const sum = addLongDouble(value, incr);
  if (sum === null || sum.kind === 'inf') return R.error('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  // createStringObject (embstr or raw by length), never int-encoded.
  const nv = new RObj('string', text.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw', text);
  if (o !== null) c.db.overwrite(key, nv); else c.db.add(key, nv);
  written(c, key, 'incrbyfloat');
  return R.bulk(text);
}

// ---------------------------------------------------------------------------- bits

/** Redis's getBitOffsetFromArgument (no '#' form here): a bit offset below proto-max-bulk-len bytes. */
function parseBitOffset(c: Client, s: string): number | null {
  const v = parseLL(s);
  if (v === null || v < 0n || (v >> 3n) >= BigInt(c.engine.config.protoMaxBulkLen)) return null;
  return Number(v);
}

function setbitCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const offset = parseBitOffset(c, argv[2]);
  if (offset === null) return E_BIT_OFFSET;
  const on = parseLL(argv[3]);
  if (on === null || (on !== 0n && on !== 1n)) return E_BIT_VALUE;
  const byte = offset >> 3;
  let o = c.db.lookupKeyWrite(key);
  let s: string;
  // Redis 7.0.15 signals, notifies and counts a change only when the key was created, the string
  // grew, or the bit really flipped (SETBIT k 0 0 on a 0 bit is no write).
  let dirty = false;
  if (o === null) {
    o = createRawStringObject('');
    c.db.add(key, o);
    s = '';
    dirty = true;
  } else {
    if (o.type !== 'string') return R.E.wrongType;
    unshare(o);
    s = strOf(o);
  }
  if (s.length < byte + 1) { s += '\0'.repeat(byte + 1 - s.length); dirty = true; }
  const bit = 7 - (offset & 7);
  const cur = s.charCodeAt(byte);
  const old = (cur >> bit) & 1;
  const nb = on === 1n ? cur | (1 << bit) : cur & ~(1 << bit);
  steps.n++;
  o.ptr = nb === cur ? s : s.slice(0, byte) + String.fromCharCode(nb) + s.slice(byte + 1);
  if (dirty || nb !== cur) written(c, key, 'setbit');
  return old ? R.ONE : R.ZERO;
}

function getbitCommand(c: Client, argv: string[]): Reply {
  const offset = parseBitOffset(c, argv[2]);
  if (offset === null) return E_BIT_OFFSET;
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.ZERO;
  if (o.type !== 'string') return R.E.wrongType;
  const s = strOf(o);
  const byte = offset >> 3;
  if (byte >= s.length) return R.ZERO;
  steps.n++;
  return (s.charCodeAt(byte) >> (7 - (offset & 7))) & 1 ? R.ONE : R.ZERO;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/** Parse BYTE|BIT (case-insensitive); null for a syntax error. */
function parseUnit(s: string): boolean | null {
  if (eqi(s, 'bit')) return true;
  if (eqi(s, 'byte')) return false;
  return null;
}

function bitcountCommand(c: Client, argv: string[]): Reply {
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.ZERO;
  if (o.type !== 'string') return R.E.wrongType;
  const s = strOf(o);
  const len = s.length;
  let sb: number, eb: number; // inclusive bit range
  if (argv.length === 4 || argv.length === 5) {
    let start = parseLLNum(argv[2]);
    if (start === null) return R.E.notInt;
    let end = parseLLNum(argv[3]);
    if (end === null) return R.E.notInt;
    if (start < 0 && end < 0 && start > end) return R.ZERO;
    let isbit = false;
    if (argv.length === 5) {
      const u = parseUnit(argv[4]);
      if (u === null) return R.E.syntax;
      isbit = u;
    }
    const tot = isbit ? len * 8 : len;
    if (start < 0) start = tot + start;
    if (end < 0) end = tot + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= tot) end = tot - 1;
    if (start > end) return R.ZERO;
    if (isbit) { sb = start; eb = end; } else { sb = start * 8; eb = end * 8 + 7; }
  } else if (argv.length === 2) {
    if (len === 0) return R.ZERO;
    sb = 0; eb = len * 8 - 1;
  } else {
    return R.E.syntax;
  }
  const first = sb >> 3, last = eb >> 3;
  let count = 0;
  for (let i = first; i <= last; i++) {
    steps.n++;
    let b = s.charCodeAt(i);
    if (i === first) b &= 0xff >> (sb & 7);
    if (i === last) b &= (0xff << (7 - (eb & 7))) & 0xff;
    count += POPCOUNT[b];
  }
  return R.int(count);
}

function bitposCommand(c: Client, argv: string[]): Reply {
  const bitArg = parseLLNum(argv[2]);
  if (bitArg === null) return R.E.notInt;
  if (bitArg !== 0 && bitArg !== 1) return R.error('ERR The bit argument must be 1 or 0.');
  const bit = bitArg;
  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) return R.int(bit ? -1 : 0);
  if (o.type !== 'string') return R.E.wrongType;
  const s = strOf(o);
  const len = s.length;
  let endGiven = false;
  let sb: number, eb: number;
  if (argv.length >= 4 && argv.length <= 6) {
    let start = parseLLNum(argv[3]);
    if (start === null) return R.E.notInt;
    let isbit = false;
    if (argv.length === 6) {
      const u = parseUnit(argv[5]);
      if (u === null) return R.E.syntax;
      isbit = u;
    }
    let end: number;
    if (argv.length >= 5) {
      const e = parseLLNum(argv[4]);
      if (e === null) return R.E.notInt;
      end = e;
      endGiven = true;
    } else {
      end = isbit ? len * 8 + 7 : len - 1;
    }
    const tot = isbit ? len * 8 : len;
    if (start < 0) start = tot + start;
    if (end < 0) end = tot + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= tot) end = tot - 1;
    if (start > end) return R.MINUS_ONE;
    if (isbit) { sb = start; eb = end; } else { sb = start * 8; eb = end * 8 + 7; }
  } else if (argv.length === 3) {
    if (len === 0) return R.MINUS_ONE;
    sb = 0; eb = len * 8 - 1;
  } else {
    return R.E.syntax;
  }
  const first = sb >> 3, last = eb >> 3;
  for (let i = first; i <= last; i++) {
    steps.n++;
    let b = s.charCodeAt(i);
    if (!bit) b ^= 0xff;
    if (i === first) b &= 0xff >> (sb & 7);
    if (i === last) b &= (0xff << (7 - (eb & 7))) & 0xff;
    if (b !== 0) return R.int(i * 8 + Math.clz32(b) - 24);
  }
  if (bit === 1 || endGiven) return R.MINUS_ONE;
  return R.int(eb + 1);
}

// ---------------------------------------------------------------------------- LCS

function lcsCommand(c: Client, argv: string[]): Reply {
  const oa = c.db.lookupKeyRead(argv[1]);
  const ob = c.db.lookupKeyRead(argv[2]);
  if ((oa && oa.type !== 'string') || (ob && ob.type !== 'string')) {
    return R.error('ERR The specified keys must contain string values');
  }
  const a = oa ? strOf(oa) : '';
  const b = ob ? strOf(ob) : '';
  let getlen = false, getidx = false, withmatchlen = false;
  let minmatchlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const moreargs = argv.length - 1 - j;
    if (eqi(opt, 'idx')) getidx = true;
    else if (eqi(opt, 'len')) getlen = true;
    else if (eqi(opt, 'withmatchlen')) withmatchlen = true;
    else if (eqi(opt, 'minmatchlen') && moreargs) {
      const v = parseLLNum(argv[j + 1]);
      if (v === null) return R.E.notInt;
      minmatchlen = v < 0 ? 0 : v;
      j++;
    } else return R.E.syntax;
  }
  if (getidx && getlen) return R.error('ERR If you want both the length and indexes, please just use IDX.');
  const alen = a.length, blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.engine.config.protoMaxBulkLen) {
    return R.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  const w = blen + 1;
  const lcs = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    for (let j = 1; j <= blen; j++) {
      steps.n++;
      if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) lcs[i * w + j] = lcs[(i - 1) * w + j - 1] + 1;
      else {
        const l1 = lcs[(i - 1) * w + j], l2 = lcs[i * w + j - 1];
        lcs[i * w + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = lcs[alen * w + blen];
  if (getlen) return R.int(total);
  // Walk back from the end, building the LCS string and the matching ranges.
  const chars: string[] = new Array(total);
  let idx = total;
  const matches: Reply[] = [];
  let aStart = alen, aEnd = 0, bStart = 0, bEnd = 0; // aStart === alen: no range open
  let i = alen, j = blen;
  while (i > 0 && j > 0) {
    steps.n++;
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1; aEnd = i - 1; bStart = j - 1; bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--; bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--; i--; j--;
    } else {
      const l1 = lcs[(i - 1) * w + j], l2 = lcs[i * w + j - 1];
      if (l1 > l2) i--; else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getidx && (minmatchlen === 0 || matchLen >= minmatchlen)) {
        const m: Reply[] = [R.array([R.int(aStart), R.int(aEnd)]), R.array([R.int(bStart), R.int(bEnd)])];
        if (withmatchlen) m.push(R.int(matchLen));
        matches.push(R.array(m));
      }
      aStart = alen;
    }
  }
  if (getidx) return R.map([R.bulk('matches'), R.array(matches), R.bulk('len'), R.int(total)]);
  return R.bulk(chars.join(''));
}

// ---------------------------------------------------------------------------- table

export const stringCommands: CommandDef[] = [
  { name: 'get', proc: getCommand, complexity: 'O(1)' },
  { name: 'set', proc: setCommand, complexity: 'O(1)' },
  { name: 'setnx', proc: setnxCommand, complexity: 'O(1)' },
  { name: 'setex', proc: setexCommand, complexity: 'O(1)' },
  { name: 'psetex', proc: psetexCommand, complexity: 'O(1)' },
  { name: 'getset', proc: getsetCommand, complexity: 'O(1)' },
  { name: 'getdel', proc: getdelCommand, complexity: 'O(1)' },
  { name: 'getex', proc: getexCommand, complexity: 'O(1)' },
  { name: 'mget', proc: mgetCommand, complexity: 'O(N)' },
  { name: 'mset', proc: msetCommand, complexity: 'O(N)' },
  { name: 'msetnx', proc: msetnxCommand, complexity: 'O(N)' },
  { name: 'append', proc: appendCommand, complexity: 'O(1)' },
  { name: 'strlen', proc: strlenCommand, complexity: 'O(1)' },
  { name: 'getrange', proc: getrangeCommand, complexity: 'O(N)' },
  { name: 'substr', proc: getrangeCommand, complexity: 'O(N)' },
  { name: 'setrange', proc: setrangeCommand, complexity: 'O(1)' },
  { name: 'incr', proc: incrCommand, complexity: 'O(1)' },
  { name: 'decr', proc: decrCommand, complexity: 'O(1)' },
  { name: 'incrby', proc: incrbyCommand, complexity: 'O(1)' },
  { name: 'decrby', proc: decrbyCommand, complexity: 'O(1)' },
  { name: 'incrbyfloat', proc: incrbyfloatCommand, complexity: 'O(1)' },
  { name: 'setbit', proc: setbitCommand, complexity: 'O(1)' },
  { name: 'getbit', proc: getbitCommand, complexity: 'O(1)' },
  { name: 'bitcount', proc: bitcountCommand, complexity: 'O(N)' },
  { name: 'bitpos', proc: bitposCommand, complexity: 'O(N)' },
  { name: 'lcs', proc: lcsCommand, complexity: 'O(N*M)' },
];

// ---------------------------------------------------------------------------- long double (INCRBYFLOAT)

/*
 * x87 80-bit long double emulation for INCRBYFLOAT (Redis computes it with strtold, a long-double
 * addition and printf("%.17Lf")). Values are exact: mantissa (at most 64 bits) times a power of two.
 * Parsing and addition round to nearest, ties to even, like glibc and the FPU do; formatting prints
 * the exact binary value rounded half-even at 17 fractional digits.
 */
export type LongDouble =
  | { kind: 'finite'; neg: boolean; m: bigint; e: number }
  | { kind: 'inf'; neg: boolean };

const MANT_BITS = 64;
/** Exponent of the smallest subnormal quantum: 2^-16445. */
const MIN_E = -16445;
/** Largest exponent of a 64-bit mantissa: (2^64-1) * 2^16320 is the largest finite value. */
const MAX_E = 16320;
const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Round p/q * 2^shift (p >= 0, q > 0) to a long double. */
function roundRational(neg: boolean, p: bigint, q: bigint, shift: number): LongDouble {
  if (p === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  // floor(log2(p/q)) is bitLength(p)-bitLength(q) or one less.
  let l2 = bitLength(p) - bitLength(q);
  if ((l2 >= 0 ? p : p << BigInt(-l2)) < (l2 >= 0 ? q << BigInt(l2) : q)) l2--;
  let k = l2 + shift - (MANT_BITS - 1); // exponent of the result's last mantissa bit
  if (k < MIN_E) k = MIN_E;
  // scaled = p/q * 2^(shift-k)
  const s = shift - k;
  let num = p, den = q;
  if (s >= 0) num <<= BigInt(s); else den <<= BigInt(-s);
  let m = num / den;
  const rem = num - m * den;
  const twice = rem * 2n;
  if (twice > den || (twice === den && (m & 1n) === 1n)) m++;
  if (m === TWO64) { m = TWO63; k++; }
  if (k > MAX_E) return { kind: 'inf', neg };
  return { kind: 'finite', neg, m, e: k };
}

/** The magnitude beyond which a decimal overflows / underflows for sure (powers of ten). */
const DEC_MAX = 4934;
const DEC_MIN = -4953;

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Redis's string2ld: strtold over the whole string; no leading space, nothing left over, not NaN,
 * and not an overflow (HUGE_VAL) or an underflow to zero. Returns null if invalid.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= 5 * 1024) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  let m = HEX_RE.exec(s);
  if (m) {
    const intd = m[2], frac = m[3] ?? '';
    if (intd.length + frac.length === 0) return null;
    const neg = m[1] === '-';
    const digits = BigInt('0x' + (intd + frac || '0'));
    let exp = m[4] === undefined ? 0n : BigInt(m[4]);
    exp -= BigInt(4 * frac.length);
    if (digits === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
    const mag = BigInt(bitLength(digits)) + exp;
    if (mag > 16400n) return null;
    if (mag < -16500n) return null;
    const r = roundRational(neg, digits, 1n, Number(exp));
    return checkRange(r);
  }
  m = DEC_RE.exec(s);
  if (m) {
    const intd = m[2], frac = m[3] ?? '';
    if (intd.length + frac.length === 0) return null;
    const neg = m[1] === '-';
    const all = (intd + frac).replace(/^0+/, '');
    if (all.length === 0) return { kind: 'finite', neg, m: 0n, e: 0 };
    let exp = m[4] === undefined ? 0n : BigInt(m[4]);
    exp -= BigInt(frac.length);
    const mag = BigInt(all.length) + exp; // value < 10^mag, >= 10^(mag-1)
    if (mag - 1n >= BigInt(DEC_MAX)) return null; // overflow
    if (mag <= BigInt(DEC_MIN)) return null; // underflow to zero
    const d = BigInt(all);
    const e = Number(exp);
    const r = e >= 0 ? roundRational(neg, d * 10n ** BigInt(e), 1n, 0) : roundRational(neg, d, 10n ** BigInt(-e), 0);
    return checkRange(r);
  }
  const low = s.toLowerCase();
  const neg = low[0] === '-';
  const body = low[0] === '-' || low[0] === '+' ? low.slice(1) : low;
  if (body === 'inf' || body === 'infinity') return { kind: 'inf', neg };
  return null; // nan, or garbage
}

function checkRange(r: LongDouble): LongDouble | null {
  if (r.kind === 'inf') return null; // ERANGE, HUGE_VAL
  if (r.m === 0n) return null; // ERANGE, underflow to zero
  return r;
}

/** a + b rounded to a long double; null for NaN (inf - inf). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return null;
    return a.kind === 'inf' ? a : b;
  }
  if (a.m === 0n && b.m === 0n) return { kind: 'finite', neg: a.neg && b.neg, m: 0n, e: 0 };
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const va = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const vb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = va + vb;
  if (sum === 0n) return { kind: 'finite', neg: false, m: 0n, e: 0 };
  return roundRational(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/** Redis's ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and '.' stripped, "-0" becomes "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  const P = 10n ** 17n;
  let n: bigint;
  if (v.e >= 0) n = (v.m << BigInt(v.e)) * P;
  else {
    const num = v.m * P, den = 1n << BigInt(-v.e);
    n = num / den;
    const twice = (num - n * den) * 2n;
    if (twice > den || (twice === den && (n & 1n) === 1n)) n++;
  }
  const digits = n.toString().padStart(18, '0');
  let out = (v.neg ? '-' : '') + digits.slice(0, -17) + '.' + digits.slice(-17);
  out = out.replace(/0+$/, '');
  if (out.endsWith('.')) out = out.slice(0, -1);
  if (out === '-0') out = '0';
  return out;
}

const LD_ZERO: LongDouble = { kind: 'finite', neg: false, m: 0n, e: 0 };
