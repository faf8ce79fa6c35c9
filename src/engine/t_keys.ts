/**
 * Generic key commands (as the keyspace part of src/db.c and src/expire.c in Redis 7.0):
 * DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX MOVE COPY TOUCH,
 * EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Db } from './db';
import type { Reply } from './types';
import * as R from './reply';
import { dupObject, objectTypeName, type RObj } from './object';
import { eqi, parseLongLong, stringMatch, INT64_MAX, INT64_MIN } from './util';
import { steps } from './trace';
import { noteStrtoulErrno } from './t_sort';

const SAME_OBJECT = R.error('ERR source and destination objects are the same');

// ---------------------------------------------------------------- argument helpers

/** Redis's getLongLongFromObjectOrReply: a bigint, or an error reply. */
function getLongLong(arg: string): bigint | Reply {
  const v = parseLongLong(arg);
  if (v === null) return R.E.notInt;
  return BigInt(v);
}

/** Redis's getIntFromObjectOrReply (range INT_MIN..INT_MAX). */
function getInt(arg: string): number | Reply {
  const v = parseLongLong(arg);
  if (v === null) return R.E.notInt;
  const n = Number(v);
  if (n < -2147483648 || n > 2147483647) {
    return R.error('ERR value is out of range, value must between -2147483648 and 2147483647');
  }
  return n;
}

/** Redis's selectDb check: the db, or null when the index is out of range. */
function dbByIndex(c: Client, id: number): Db | null {
  return id >= 0 && id < c.engine.dbs.length ? c.engine.dbs[id] : null;
}

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * Redis's parseScanCursorOrReply: strtoul base 10 over the (NUL-terminated) argument. Leading
 * whitespace is refused, a sign is accepted ("-1" wraps to 2^64-1), an empty string is cursor 0,
 * overflow is an error. Returns the cursor, or null for "ERR invalid cursor".
 */
export function parseScanCursor(s: string): bigint | null {
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; i = 1; }
  const digitsStart = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  let end = i;
  let v = 0n;
  if (i === digitsStart) {
    end = 0; // no conversion: endptr is the start of the string
  } else {
    v = BigInt(s.slice(digitsStart, i));
    if (v > ULONG_MAX) return null;
    if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  }
  if (end < s.length && s.charCodeAt(end) !== 0) return null;
  return v;
}

// ---------------------------------------------------------------- exact expire times

/** Set an expire time exactly (int64 times beyond 2^53 ms are kept by Db.setExpire). */
function setExpireExact(db: Db, key: string, when: bigint): void {
  db.setExpire(key, when);
}

/** The key's expire time as an exact bigint, -1n when it has none. */
function getExpireExact(db: Db, key: string): bigint {
  return db.getExpireExact(key);
}

/** Give `dstKey` in `dst` the expire time `when` (from getExpireExact) unless it is -1n. */
function copyExpire(dst: Db, dstKey: string, when: bigint): void {
  if (when !== -1n) setExpireExact(dst, dstKey, when);
}

/** Call the keyspace-modified hooks every write does. */
function touched(c: Client, db: Db, key: string, event: string): void {
  c.engine.signalModifiedKey(db, key);
  c.engine.notifyKeyspaceEvent(event, key, db.id);
}

// ---------------------------------------------------------------- DEL / UNLINK / EXISTS / TOUCH / TYPE

function delGeneric(c: Client, argv: string[]): Reply {
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j];
    c.db.expireIfNeeded(key);
    if (c.db.delete(key)) {
      touched(c, c.db, key, 'del');
      c.engine.dirty++;
      deleted++;
    }
  }
  return R.int(deleted);
}

function existsCommand(c: Client, argv: string[]): Reply {
  let count = 0;
  for (let j = 1; j < argv.length; j++) {
    if (c.db.lookupKeyRead(argv[j], true)) count++;
  }
  return R.int(count);
}

function touchCommand(c: Client, argv: string[]): Reply {
  let count = 0;
  for (let j = 1; j < argv.length; j++) {
    if (c.db.lookupKeyRead(argv[j])) count++;
  }
  return R.int(count);
}

function typeCommand(c: Client, argv: string[]): Reply {
  return R.status(objectTypeName(c.db.lookupKeyRead(argv[1], true)));
}

// ---------------------------------------------------------------- KEYS / SCAN / RANDOMKEY

function keysCommand(c: Client, argv: string[]): Reply {
  const pattern = argv[1];
  const allkeys = pattern === '*';
  const out: Reply[] = [];
  // A safe iterator over the keyspace: logically expired keys are skipped, not deleted.
  for (const de of c.db.dict.entries()) {
    steps.n++;
    const key = de.key;
    if (allkeys || stringMatch(pattern, key)) {
      if (!c.db.keyIsExpired(key)) out.push(R.bulk(key));
    }
  }
  return R.array(out);
}

function scanCommand(c: Client, argv: string[]): Reply {
  noteStrtoulErrno(c.engine, argv[1]); // strtoul leaves errno behind (SORT reads it)
  const cur = parseScanCursor(argv[1]);
  if (cur === null) return R.error('ERR invalid cursor');
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length;) {
    const left = argv.length - i;
    if (eqi(argv[i], 'count') && left >= 2) {
      const v = getLongLong(argv[i + 1]);
      if (typeof v !== 'bigint') return v;
      if (v < 1n) return R.E.syntax;
      count = v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
      i += 2;
    } else if (eqi(argv[i], 'match') && left >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else if (eqi(argv[i], 'type') && left >= 2) {
      typeName = argv[i + 1];
      i += 2;
    } else {
      return R.E.syntax;
    }
  }

  // Step 2: walk the keyspace dict with the reverse-binary cursor. Only the bits below the table
  // mask matter, so the low 32 bits of the 64-bit cursor are enough.
  const keys: string[] = [];
  let cursor = Number(cur & 0xffffffffn);
  let maxIterations = count * 10;
  const collect = (de: { key: string }) => { keys.push(de.key); };
  do {
    cursor = c.db.dict.scan(cursor, collect);
  } while (cursor !== 0 && maxIterations-- !== 0 && keys.length < count);

  // Step 3: filter by pattern, type, and logical expiry (the last deletes expired keys).
  const out: Reply[] = [];
  for (const key of keys) {
    if (pattern !== null && !stringMatch(pattern, key)) continue;
    if (typeName !== null) {
      const o = c.db.lookupKeyRead(key, true);
      if (!eqi(typeName, objectTypeName(o))) continue; // strcasecmp: the name ends at a NUL byte
    }
    if (c.db.expireIfNeeded(key)) continue;
    out.push(R.bulk(key));
  }
  return R.array([R.bulk(String(cursor)), R.array(out)]);
}

function randomkeyCommand(c: Client, _argv: string[]): Reply {
  const db = c.db;
  const rand = (n: number) => c.engine.random.int(n);
  for (;;) {
    const de = db.dict.fairRandomEntry(rand);
    if (de === null) return R.NIL;
    const key = de.key;
    if (db.expires.size() > 0 && db.expires.has(key)) {
      if (db.expireIfNeeded(key)) continue; // this one expired: look for another key
    }
    return R.bulk(key);
  }
}

// ---------------------------------------------------------------- RENAME / MOVE / COPY

/** Redis's dbAdd keeps the object as it is (LRU/LFU included); Db.add would reset it. */
function addKeepingLru(db: Db, key: string, o: RObj): void {
  const lru = o.lru;
  db.add(key, o);
  o.lru = lru;
}

function renameGeneric(c: Client, argv: string[], nx: boolean): Reply {
  const src = argv[1], dst = argv[2];
  const o = c.db.lookupKeyWrite(src);
  if (!o) return R.E.noKey;
  if (src === dst) return nx ? R.ZERO : R.OK;
  const expire = getExpireExact(c.db, src);
  if (c.db.lookupKeyWrite(dst) !== null) {
    if (nx) return R.ZERO;
    c.db.delete(dst);
  }
  addKeepingLru(c.db, dst, o);
  copyExpire(c.db, dst, expire);
  c.db.delete(src);
  touched(c, c.db, src, 'rename_from');
  touched(c, c.db, dst, 'rename_to');
  c.engine.dirty++;
  return nx ? R.ONE : R.OK;
}

function moveCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const id = getInt(argv[2]);
  if (typeof id !== 'number') return id;
  const src = c.db;
  const dst = dbByIndex(c, id);
  if (!dst) return R.E.dbIndex;
  if (src === dst) return SAME_OBJECT;
  const o = src.lookupKeyWrite(key);
  if (!o) return R.ZERO;
  const expire = getExpireExact(src, key);
  if (dst.lookupKeyWrite(key) !== null) return R.ZERO;
  addKeepingLru(dst, key, o);
  copyExpire(dst, key, expire);
  src.delete(key);
  touched(c, src, key, 'move_from');
  touched(c, dst, key, 'move_to');
  c.engine.dirty++;
  return R.ONE;
}

function copyCommand(c: Client, argv: string[]): Reply {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (eqi(argv[j], 'replace')) {
      replace = true;
    } else if (eqi(argv[j], 'db') && additional >= 1) {
      const id = getInt(argv[j + 1]);
      if (typeof id !== 'number') return id;
      const d = dbByIndex(c, id);
      if (!d) return R.E.dbIndex;
      dst = d;
      j++;
    } else {
      return R.E.syntax;
    }
  }
  const key = argv[1], newkey = argv[2];
  if (src === dst && key === newkey) return SAME_OBJECT;
  const o = src.lookupKeyRead(key);
  if (!o) return R.ZERO;
  const expire = getExpireExact(src, key);
  let del = false;
  if (dst.lookupKeyWrite(newkey) !== null) {
    if (!replace) return R.ZERO;
    del = true;
  }
  const copy = dupObject(o);
  if (del) dst.delete(newkey);
  dst.add(newkey, copy);
  copyExpire(dst, newkey, expire);
  touched(c, dst, newkey, 'copy_to');
  c.engine.dirty++;
  return R.ONE;
}

// ---------------------------------------------------------------- EXPIRE family

const EXPIRE_NX = 1, EXPIRE_XX = 2, EXPIRE_GT = 4, EXPIRE_LT = 8;

/** Redis's parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags from argv[3..]. */
function parseExpireFlags(argv: string[]): number | Reply {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    if (eqi(opt, 'nx')) flags |= EXPIRE_NX;
    else if (eqi(opt, 'xx')) flags |= EXPIRE_XX;
    else if (eqi(opt, 'gt')) flags |= EXPIRE_GT;
    else if (eqi(opt, 'lt')) flags |= EXPIRE_LT;
    else return R.error(`ERR Unsupported option ${cString(opt).replace(/[\r\n]/g, ' ')}`);
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    return R.error('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    return R.error('ERR GT and LT options at the same time are not compatible');
  }
  return flags;
}

/** A C string stops at the first NUL byte (the %s of Redis's error formatting). */
function cString(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/**
 * Redis's expireGenericCommand. `basetime` is 0 for the *AT variants, else now (ms); `seconds`
 * says whether argv[2] is in seconds.
 */
function expireGeneric(c: Client, argv: string[], basetime: number, seconds: boolean, cmd: string): Reply {
  const key = argv[1];
  const flags = parseExpireFlags(argv);
  if (typeof flags !== 'number') return flags;
  const v = getLongLong(argv[2]);
  if (typeof v !== 'bigint') return v;
  let when = v;
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return R.E.invalidExpire(cmd);
    when *= 1000n;
  }
  const base = BigInt(basetime);
  if (when > INT64_MAX - base) return R.E.invalidExpire(cmd);
  when += base;

  const db = c.db;
  if (db.lookupKeyWrite(key) === null) return R.ZERO;

  if (flags) {
    const current = getExpireExact(db, key);
    if ((flags & EXPIRE_NX) && current !== -1n) return R.ZERO;
    if ((flags & EXPIRE_XX) && current === -1n) return R.ZERO;
    // No TTL counts as an infinite TTL: GT always fails, LT always passes.
    if ((flags & EXPIRE_GT) && (when <= current || current === -1n)) return R.ZERO;
    if ((flags & EXPIRE_LT) && current !== -1n && when >= current) return R.ZERO;
  }

  if (when <= BigInt(c.engine.cmdTime) && !c.engine.loading) {
    // Already expired: delete now (replicated as a DEL); not counted as an expiration.
    db.delete(key);
    c.engine.dirty++;
    touched(c, db, key, 'del');
    return R.ONE;
  }
  setExpireExact(db, key, when);
  touched(c, db, key, 'expire');
  c.engine.dirty++;
  return R.ONE;
}

/** Redis's ttlGenericCommand. */
function ttlGeneric(c: Client, argv: string[], ms: boolean, abs: boolean): Reply {
  const key = argv[1];
  if (c.db.lookupKeyRead(key, true) === null) return R.MINUS_TWO;
  const expire = getExpireExact(c.db, key);
  if (expire === -1n) return R.MINUS_ONE;
  let ttl = abs ? expire : expire - BigInt(c.engine.cmdTime);
  if (ttl < 0n) ttl = 0n;
  const out = ms ? ttl : (ttl + 500n) / 1000n;
  return R.int(out <= 9007199254740991n ? Number(out) : out);
}

function persistCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  if (c.db.lookupKeyWrite(key) === null) return R.ZERO;
  if (!c.db.removeExpire(key)) return R.ZERO;
  touched(c, c.db, key, 'persist');
  c.engine.dirty++;
  return R.ONE;
}

export const keysCommands: CommandDef[] = [
  { name: 'del', proc: delGeneric, complexity: 'O(N)' },
  { name: 'unlink', proc: delGeneric, complexity: 'O(N)' },
  { name: 'exists', proc: existsCommand, complexity: 'O(N)' },
  { name: 'touch', proc: touchCommand, complexity: 'O(N)' },
  { name: 'type', proc: typeCommand, complexity: 'O(1)' },
  { name: 'keys', proc: keysCommand, complexity: 'O(N)' },
  { name: 'scan', proc: scanCommand, complexity: 'O(1)' },
  { name: 'randomkey', proc: randomkeyCommand, complexity: 'O(1)' },
  { name: 'rename', proc: (c, argv) => renameGeneric(c, argv, false), complexity: 'O(1)' },
  { name: 'renamenx', proc: (c, argv) => renameGeneric(c, argv, true), complexity: 'O(1)' },
  { name: 'move', proc: moveCommand, complexity: 'O(1)' },
  { name: 'copy', proc: copyCommand, complexity: 'O(N)' },
  { name: 'expire', proc: (c, argv) => expireGeneric(c, argv, c.engine.cmdTime, true, 'expire'), complexity: 'O(1)' },
  { name: 'pexpire', proc: (c, argv) => expireGeneric(c, argv, c.engine.cmdTime, false, 'pexpire'), complexity: 'O(1)' },
  { name: 'expireat', proc: (c, argv) => expireGeneric(c, argv, 0, true, 'expireat'), complexity: 'O(1)' },
  { name: 'pexpireat', proc: (c, argv) => expireGeneric(c, argv, 0, false, 'pexpireat'), complexity: 'O(1)' },
  { name: 'ttl', proc: (c, argv) => ttlGeneric(c, argv, false, false), complexity: 'O(1)' },
  { name: 'pttl', proc: (c, argv) => ttlGeneric(c, argv, true, false), complexity: 'O(1)' },
  { name: 'expiretime', proc: (c, argv) => ttlGeneric(c, argv, false, true), complexity: 'O(1)' },
  { name: 'pexpiretime', proc: (c, argv) => ttlGeneric(c, argv, true, true), complexity: 'O(1)' },
  { name: 'persist', proc: persistCommand, complexity: 'O(1)' },
];
