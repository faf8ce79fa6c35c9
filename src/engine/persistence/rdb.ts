/**
 * RDB files as Redis 7.0 writes and reads them (src/rdb.c, src/rdb.h): version 10, "REDIS0010".
 *
 *   header  "REDIS0010"
 *   aux     0xFA name value   (redis-ver, redis-bits, ctime, used-mem, aof-base)
 *   per db  0xFE dbid  0xFB dbsize expires   then per key: [0xFC ms-LE-u64] type key value
 *   end     0xFF  crc64 (8 bytes LE, Jones, over everything before it, the 0xFF included)
 *
 * Lengths use the 2-bit prefixed encoding (6 bit, 14 bit, 32/64 bit big endian); strings are raw,
 * integers (int8/16/32) or LZF-compressed. Values are written with the types 7.0 uses:
 * STRING 0, SET 2, HASH 4, ZSET_2 5, SET_INTSET 11, HASH_LISTPACK 16, ZSET_LISTPACK 17,
 * LIST_QUICKLIST_2 18, STREAM_LISTPACKS_2 19; the loader also reads the older ones (LIST 1, ZSET 3, HASH_ZIPMAP 9,
 * LIST_ZIPLIST 10, ZSET_ZIPLIST 12, HASH_ZIPLIST 13, LIST_QUICKLIST 14).
 *
 * The loader parses and validates the whole file first and only then replaces the dataset, so a
 * corrupt or truncated file leaves the engine untouched and throws an RdbError naming the problem
 * and its offset. No Node APIs: bytes in, bytes out.
 */
import type { Engine } from '../engine';
import { RObj, createStringObject } from '../object';
import { Listpack } from '../structures/listpack';
import { Quicklist, QuicklistNode } from '../structures/quicklist';
import { Dict } from '../structures/dict';
import { Intset } from '../structures/intset';
import { ZSet, lpScoreText } from '../t_zset';
import { Stream, StreamListpack, StreamNACK, streamDecodeID, STREAM_ITEM_FLAG_SAMEFIELDS, type StreamID } from '../structures/stream';
import { parseLongLong, strtod } from '../util';
import { usedMemory } from '../memory';
import { steps, tracing } from '../trace';
import { Crc64 } from './crc64';
import { lzfCompress, lzfDecompress, LzfError } from './lzf';
import {
  ByteWriter, BlobError, bytesToStr, listpackSerialize, listpackParse, intsetParse, ziplistParse, zipmapParse,
} from './codec';

export const RDB_VERSION = 10;

export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** A file Redis would refuse: what is wrong and where (byte offset). */
export class RdbError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(message);
    this.name = 'RdbError';
  }
}

// ====================================================================== writer

export interface RdbSaveOptions {
  /** ctime aux field, milliseconds (default: the engine clock). */
  now?: number;
  /** LZF-compress strings longer than 20 bytes (rdbcompression; default: the config, yes). */
  compress?: boolean;
}

class RdbWriter extends ByteWriter {
  constructor(private readonly compress: boolean) { super(4096); }

  type(t: number): void { this.byte(t); }

  /** rdbSaveLen: 6 bit, 14 bit, 32 bit or 64 bit (big endian) lengths. */
  saveLen(n: number): void {
    if (n < 1 << 6) this.byte(n);
    else if (n < 1 << 14) { this.byte(0x40 | (n >> 8)); this.byte(n & 0xff); }
    else if (n <= 0xffffffff) { this.byte(0x80); this.u32be(n); }
    else { this.byte(0x81); this.u64be(BigInt(n)); }
  }

  /** rdbSaveLen of a full 64-bit value (stream IDs, counters; -1 is saved as 2^64-1). */
  saveLenBig(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    if (u <= 0xffffffffn) this.saveLen(Number(u));
    else { this.byte(0x81); this.u64be(u); }
  }

  /** rdbEncodeInteger: the int8/16/32 special encodings; false if v does not fit 32 bits. */
  private saveIntEncoded(v: number): boolean {
    if (v >= -128 && v <= 127) { this.byte(0xc0); this.byte(v & 0xff); return true; }
    if (v >= -32768 && v <= 32767) { this.byte(0xc1); this.byte(v & 0xff); this.byte((v >> 8) & 0xff); return true; }
    if (v >= -2147483648 && v <= 2147483647) { this.byte(0xc2); this.ensure(4); new DataView(this.buf.buffer).setInt32(this.len, v, true); this.len += 4; return true; }
    return false;
  }

  /** rdbSaveRawString: integer encoding for short strict integers, LZF above 20 bytes, else raw. */
  saveString(s: string): void {
    const len = s.length;
    if (len <= 11) {
      const n = parseLongLong(s);
      if (typeof n === 'number' && this.saveIntEncoded(n)) return;
    }
    if (this.compress && len > 20) {
      const raw = new Uint8Array(len);
      for (let i = 0; i < len; i++) raw[i] = s.charCodeAt(i);
      if (this.saveLzf(raw)) return;
    }
    this.saveLen(len);
    this.str(s);
  }

  /** A blob (listpack, intset): LZF above 20 bytes when compression is on, else raw. */
  saveBlob(b: Uint8Array): void {
    if (this.compress && b.length > 20 && this.saveLzf(b)) return;
    this.saveLen(b.length);
    this.bytes(b);
  }

  private saveLzf(raw: Uint8Array): boolean {
    const c = lzfCompress(raw);
    if (c === null || c.length > raw.length - 4) return false;
    this.byte(0xc3);
    this.saveLen(c.length);
    this.saveLen(raw.length);
    this.bytes(c);
    return true;
  }

  /** rdbSaveStringObject for an int-encoded string: int8/16/32, else its decimal digits. */
  saveStringObject(o: RObj): void {
    if (o.encoding === 'int') {
      const n = parseLongLong(o.ptr as string);
      if (typeof n === 'number' && this.saveIntEncoded(n)) return;
      const s = o.ptr as string;
      this.saveLen(s.length);
      this.str(s);
      return;
    }
    this.saveString(o.ptr as string);
  }

  saveAux(name: string, value: string): void {
    this.byte(RDB_OPCODE_AUX);
    this.saveString(name);
    this.saveString(value);
  }
}

/** The RDB type byte of a value, as rdbSaveObjectType. */
export function rdbObjectType(o: RObj): number {
  switch (o.type) {
    case 'string': return RDB_TYPE_STRING;
    case 'list': return RDB_TYPE_LIST_QUICKLIST_2;
    case 'set': return o.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case 'zset': return o.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case 'hash': return o.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    case 'stream': return RDB_TYPE_STREAM_LISTPACKS_2;
  }
}

function saveObject(w: RdbWriter, o: RObj): void {
  switch (o.type) {
    case 'string':
      w.saveStringObject(o);
      return;
    case 'list': {
      const ql = o.ptr as Quicklist;
      w.saveLen(ql.len);
      for (let n = ql.head; n; n = n.next) {
        if (n.lp) {
          w.saveLen(QUICKLIST_NODE_CONTAINER_PACKED);
          w.saveBlob(listpackSerialize(n.lp.entries));
        } else {
          w.saveLen(QUICKLIST_NODE_CONTAINER_PLAIN);
          w.saveString(n.plain!);
        }
      }
      return;
    }
    case 'set':
      if (o.encoding === 'intset') { w.saveBlob((o.ptr as Intset).toBlob()); return; }
      {
        const d = o.ptr as Dict<null>;
        w.saveLen(d.size());
        d.forEach((k) => w.saveString(k));
      }
      return;
    case 'zset':
      if (o.encoding === 'listpack') { w.saveBlob(listpackSerialize((o.ptr as Listpack).entries)); return; }
      {
        // ZSET_2: from the tail to the head (the loader then inserts at the head), binary doubles.
        const zs = o.ptr as ZSet;
        w.saveLen(zs.zsl.length);
        for (let x = zs.zsl.tail; x; x = x.backward) {
          w.saveString(x.member);
          w.f64le(x.score);
        }
      }
      return;
    case 'hash':
      if (o.encoding === 'listpack') { w.saveBlob(listpackSerialize((o.ptr as Listpack).entries)); return; }
      {
        const d = o.ptr as Dict<string>;
        w.saveLen(d.size());
        d.forEach((k, v) => { w.saveString(k); w.saveString(v); });
      }
      return;
    case 'stream':
      saveStream(w, o.ptr as Stream);
      return;
  }
}

/**
 * A stream as rdbSaveObject writes RDB_TYPE_STREAM_LISTPACKS_2: the nodes (16-byte key, listpack
 * blob), length, last ID, first ID, greatest deleted ID, entries added, then per group its name,
 * last delivered ID, read counter, PEL (raw ID, delivery time ms LE, delivery count) and consumers
 * (name, seen time, the raw IDs of their PEL).
 */
function saveStream(w: RdbWriter, s: Stream): void {
  w.saveLen(s.rax.size());
  s.rax.forEach((key, lp) => {
    w.saveString(key);
    w.saveBlob(listpackSerialize(lp.entries));
  });
  const id = (x: StreamID) => { w.saveLenBig(x.ms); w.saveLenBig(x.seq); };
  w.saveLen(s.length);
  id(s.lastId);
  id(s.firstId);
  id(s.maxDeletedEntryId);
  w.saveLenBig(s.entriesAdded);
  w.saveLen(s.cgroups ? s.cgroups.size() : 0);
  s.cgroups?.forEach((name, cg) => {
    w.saveString(name);
    id(cg.lastId);
    w.saveLenBig(cg.entriesRead);
    w.saveLen(cg.pel.size());
    cg.pel.forEach((raw, nack) => {
      w.str(raw);
      w.i64le(BigInt(nack.deliveryTime));
      w.saveLenBig(nack.deliveryCount);
    });
    w.saveLen(cg.consumers.size());
    cg.consumers.forEach((cname, consumer) => {
      w.saveString(cname);
      w.i64le(BigInt(consumer.seenTime));
      w.saveLen(consumer.pel.size());
      consumer.pel.forEach((raw) => w.str(raw));
    });
  });
}

/** Serialize every database as Redis 7.0's rdbSave does. Expired-but-not-yet-deleted keys are kept (as Redis). */
export function rdbSave(engine: Engine, opts: RdbSaveOptions = {}): Uint8Array {
  const now = opts.now ?? engine.clock.now();
  const compress = opts.compress ?? (engine.config.extra['rdbcompression'] ?? 'yes') !== 'no';
  const w = new RdbWriter(compress);
  const savedSteps = steps.n;
  const sink = tracing.sink;
  tracing.sink = null;
  try {
    w.str(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
    w.saveAux('redis-ver', '7.0.15');
    w.saveAux('redis-bits', '64');
    w.saveAux('ctime', String(Math.floor(now / 1000)));
    w.saveAux('used-mem', String(usedMemory(engine)));
    w.saveAux('aof-base', '0');
    for (const db of engine.dbs) {
      if (db.dict.size() === 0) continue;
      w.byte(RDB_OPCODE_SELECTDB);
      w.saveLen(db.id);
      w.byte(RDB_OPCODE_RESIZEDB);
      w.saveLen(db.dict.size());
      w.saveLen(db.expires.size());
      db.dict.forEach((key, o) => {
        const when = db.expires.size() > 0 ? db.expires.get(key) : undefined;
        if (when !== undefined) {
          w.byte(RDB_OPCODE_EXPIRETIME_MS);
          w.i64le(BigInt(when));
        }
        w.type(rdbObjectType(o));
        w.saveString(key);
        saveObject(w, o);
      });
    }
    w.byte(RDB_OPCODE_EOF);
    const crc = new Crc64().update(w.buf, 0, w.len).bytesLE();
    w.bytes(crc);
    return w.result();
  } finally {
    steps.n = savedSteps;
    tracing.sink = sink;
  }
}

// ====================================================================== reader

class Reader {
  p = 0;
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) { this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength); }

  need(n: number, what: string): void {
    if (this.p + n > this.b.length) {
      throw new RdbError(`Short read at offset ${this.p} while reading ${what} (need ${n} bytes, ${this.b.length - this.p} left)`, this.p);
    }
  }
  u8(what: string): number { this.need(1, what); return this.b[this.p++]; }

  /** rdbLoadLenByRef: returns [len, isEncoded]; an encoded "length" is the special type (0..3). */
  lenOrEnc(what: string): { len: number; enc: boolean } {
    const at = this.p;
    const c = this.u8(what);
    switch (c >> 6) {
      case 0: return { len: c & 0x3f, enc: false };
      case 1: return { len: ((c & 0x3f) << 8) | this.u8(what), enc: false };
      case 3: return { len: c & 0x3f, enc: true };
      default:
        if (c === 0x80) { this.need(4, what); const v = this.dv.getUint32(this.p, false); this.p += 4; return { len: v, enc: false }; }
        if (c === 0x81) {
          this.need(8, what);
          const v = this.dv.getBigUint64(this.p, false); this.p += 8;
          if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError(`Length ${v} too large at offset ${at} while reading ${what}`, at);
          return { len: Number(v), enc: false };
        }
        throw new RdbError(`Unknown length encoding 0x${c.toString(16)} at offset ${at} while reading ${what}`, at);
    }
  }

  len(what: string): number {
    const at = this.p;
    const r = this.lenOrEnc(what);
    if (r.enc) throw new RdbError(`Unexpected string encoding where a length was expected at offset ${at} (${what})`, at);
    return r.len;
  }

  /** rdbGenericLoadStringObject: raw, int8/16/32 or LZF. Returns a byte string. */
  string(what = 'a string'): string {
    return bytesToStr(...this.stringBytesRange(what));
  }

  stringBytes(what: string): Uint8Array {
    const [b, s, e] = this.stringBytesRange(what);
    return b.subarray(s, e);
  }

  private stringBytesRange(what: string): [Uint8Array, number, number] {
    const at = this.p;
    const { len, enc } = this.lenOrEnc(what);
    if (enc) {
      let v: number;
      switch (len) {
        case 0: this.need(1, what); v = this.dv.getInt8(this.p); this.p += 1; break;
        case 1: this.need(2, what); v = this.dv.getInt16(this.p, true); this.p += 2; break;
        case 2: this.need(4, what); v = this.dv.getInt32(this.p, true); this.p += 4; break;
        case 3: {
          const clen = this.len(what);
          const ulen = this.len(what);
          // LZF expands at most ~132x (a 2-byte back reference yields 264 bytes): refuse absurd sizes.
          if (ulen > clen * 132 + 64 || ulen > 512 * 1024 * 1024) {
            throw new RdbError(`Invalid LZF lengths at offset ${at} (${what}): ${clen} compressed bytes cannot give ${ulen}`, at);
          }
          this.need(clen, what);
          const src = this.b.subarray(this.p, this.p + clen);
          this.p += clen;
          try {
            const out = lzfDecompress(src, ulen);
            return [out, 0, out.length];
          } catch (e) {
            if (e instanceof LzfError) throw new RdbError(`Invalid LZF compressed string at offset ${at} (${what}): ${e.message}`, at);
            throw e;
          }
        }
        default: throw new RdbError(`Unknown RDB string encoding type ${len} at offset ${at} (${what})`, at);
      }
      const s = String(v);
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return [out, 0, out.length];
    }
    this.need(len, what);
    const s = this.p;
    this.p += len;
    return [this.b, s, s + len];
  }

  /** The old string-encoded double (ZSET type 3): length byte, 253 nan, 254 +inf, 255 -inf. */
  doubleStr(what: string): number {
    const at = this.p;
    const l = this.u8(what);
    if (l === 253) return NaN;
    if (l === 254) return Infinity;
    if (l === 255) return -Infinity;
    this.need(l, what);
    const s = bytesToStr(this.b, this.p, this.p + l);
    this.p += l;
    const v = strtod(s);
    if (v === null) throw new RdbError(`Invalid double value '${s}' at offset ${at} (${what})`, at);
    return v;
  }

  f64(what: string): number { this.need(8, what); const v = this.dv.getFloat64(this.p, true); this.p += 8; return v; }
  i64(what: string): number { this.need(8, what); const v = this.dv.getBigInt64(this.p, true); this.p += 8; return Number(v); }
  /** rdbLoadLen of a full 64-bit value, as a bigint. */
  lenBig(what: string): bigint {
    const at = this.p;
    const c = this.b[this.p];
    if (c === 0x81) {
      this.p++;
      this.need(8, what);
      const v = this.dv.getBigUint64(this.p, false);
      this.p += 8;
      return v;
    }
    const r = this.lenOrEnc(what);
    if (r.enc) throw new RdbError(`Unexpected string encoding where a length was expected at offset ${at} (${what})`, at);
    return BigInt(r.len);
  }
  raw(n: number, what: string): string {
    this.need(n, what);
    const s = bytesToStr(this.b, this.p, this.p + n);
    this.p += n;
    return s;
  }
  u32le(what: string): number { this.need(4, what); const v = this.dv.getUint32(this.p, true); this.p += 4; return v; }
}

export interface RdbLoadOptions {
  /** Time used to drop expired keys (default: the engine clock). */
  now?: number;
  /** Drop keys whose TTL has passed (a master does; default true). */
  skipExpired?: boolean;
  /** Verify the CRC64 (default true; a stored checksum of 0 means "not computed", as Redis). */
  verifyChecksum?: boolean;
}

export interface RdbLoadResult {
  version: number;
  aux: Record<string, string>;
  keysLoaded: number;
  keysExpired: number;
  /** Empty values Redis skips on load, and function libraries (not supported in the sandbox). */
  skipped: string[];
}

export interface LoadedKey { db: number; key: string; val: RObj; expire: number; lru?: { idle?: number; freq?: number } }

/** Parse an RDB file into keys without touching the engine (throws RdbError). */
export function rdbParse(engine: Engine, bytes: Uint8Array, opts: RdbLoadOptions = {}): { keys: LoadedKey[]; result: RdbLoadResult } {
  const { keys, result } = rdbParseWithEnd(engine, bytes, opts);
  return { keys, result };
}

/** rdbParse, also returning the offset just after the checksum (an AOF's RDB preamble ends there). */
export function rdbParseWithEnd(engine: Engine, bytes: Uint8Array, opts: RdbLoadOptions = {}): { keys: LoadedKey[]; result: RdbLoadResult; end: number } {
  const r = new Reader(bytes);
  const now = opts.now ?? engine.clock.now();
  const skipExpired = opts.skipExpired ?? true;
  r.need(9, 'the RDB header');
  const magic = bytesToStr(bytes, 0, 9);
  if (!magic.startsWith('REDIS')) throw new RdbError('Wrong signature trying to load DB from file (not an RDB file)', 0);
  const verStr = magic.slice(5);
  if (!/^\d{4}$/.test(verStr)) throw new RdbError(`Bad RDB version '${verStr}'`, 5);
  const version = Number(verStr);
  if (version < 1 || version > RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${version}`, 5);
  r.p = 9;
  const result: RdbLoadResult = { version, aux: {}, keysLoaded: 0, keysExpired: 0, skipped: [] };
  const keys: LoadedKey[] = [];
  let dbid = 0;
  let expire = -1;
  let lru: { idle?: number; freq?: number } | undefined;
  const savedSteps = steps.n;
  const sink = tracing.sink;
  tracing.sink = null;
  try {
    for (;;) {
      const at = r.p;
      const type = r.u8('an opcode or value type');
      if (type === RDB_OPCODE_EOF) break;
      switch (type) {
        case RDB_OPCODE_EXPIRETIME_MS: expire = r.i64('an expire time'); continue;
        case RDB_OPCODE_EXPIRETIME: expire = r.u32le('an expire time') * 1000; continue;
        case RDB_OPCODE_IDLE: lru = { idle: r.len('an LRU idle time') }; continue;
        case RDB_OPCODE_FREQ: lru = { freq: r.u8('an LFU frequency') }; continue;
        case RDB_OPCODE_SELECTDB:
          dbid = r.len('a database number');
          if (dbid >= engine.dbs.length) {
            throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${engine.dbs.length} databases (SELECTDB ${dbid} at offset ${at})`, at);
          }
          continue;
        case RDB_OPCODE_RESIZEDB: r.len('a db size'); r.len('an expires size'); continue;
        case RDB_OPCODE_AUX: {
          const k = r.string('an aux field name');
          const v = r.string('an aux field value');
          result.aux[k] = v;
          continue;
        }
        case RDB_OPCODE_MODULE_AUX:
          throw new RdbError(`Module auxiliary data at offset ${at}: modules are not supported by the sandbox`, at);
        case RDB_OPCODE_FUNCTION:
          throw new RdbError(`Pre-release function format at offset ${at} is not supported`, at);
        case RDB_OPCODE_FUNCTION2: {
          r.string('a function library');
          result.skipped.push('function library (functions are not supported by the sandbox)');
          continue;
        }
      }
      const key = r.string('a key');
      let val: RObj | null;
      try {
        val = loadObject(engine, r, type, key, at);
      } catch (e) {
        if (e instanceof BlobError) throw new RdbError(`Corrupt value of key '${printable(key)}' (type ${type}) at offset ${at}: ${e.message}`, at);
        throw e;
      }
      const exp = expire;
      const l = lru;
      expire = -1;
      lru = undefined;
      if (val === null) { result.skipped.push(`empty key '${printable(key)}'`); continue; }
      if (skipExpired && exp !== -1 && exp < now) { result.keysExpired++; continue; }
      keys.push({ db: dbid, key, val, expire: exp, lru: l });
    }
    if (version >= 5) {
      const at = r.p;
      r.need(8, 'the CRC64 checksum');
      const stored = r.dv.getBigUint64(r.p, true);
      r.p += 8;
      if ((opts.verifyChecksum ?? true) && stored !== 0n) {
        const crc = new Crc64().update(bytes, 0, at).value;
        if (crc !== stored) {
          throw new RdbError(`Wrong RDB checksum: CRC64 mismatch (file says 0x${stored.toString(16)}, computed 0x${crc.toString(16)})`, at);
        }
      }
    }
    // Keys that appear twice: Redis refuses ("Duplicate key found in RDB file").
    const seen = new Set<string>();
    for (const k of keys) {
      const id = k.db + '\0' + k.key;
      if (seen.has(id)) throw new RdbError(`Duplicate key '${printable(k.key)}' in db ${k.db}`, r.p);
      seen.add(id);
    }
    result.keysLoaded = keys.length;
    return { keys, result, end: r.p };
  } finally {
    steps.n = savedSteps;
    tracing.sink = sink;
  }
}

/**
 * Load an RDB file into the engine, replacing every database (as DEBUG RELOAD / startup). On an
 * error nothing changes and an RdbError is thrown.
 */
export function rdbLoad(engine: Engine, bytes: Uint8Array, opts: RdbLoadOptions = {}): RdbLoadResult {
  const { keys, result } = rdbParse(engine, bytes, opts);
  rdbInstall(engine, keys, result, true);
  return result;
}

/** Put parsed keys into the engine (after emptying every db when `flush`). */
export function rdbInstall(engine: Engine, keys: LoadedKey[], result: RdbLoadResult, flush: boolean): void {
  const savedSteps = steps.n;
  const sink = tracing.sink;
  tracing.sink = null;
  const wasLoading = engine.loading;
  engine.loading = true;
  try {
    if (flush) for (const db of engine.dbs) db.flush();
    for (const k of keys) {
      const db = engine.dbs[k.db];
      if (!flush) db.delete(k.key);
      db.add(k.key, k.val);
      if (k.lru?.idle !== undefined && !engine.usesLfu()) k.val.lru = (engine.lruClock() - k.lru.idle) & ((1 << 24) - 1);
      else if (k.lru?.freq !== undefined && engine.usesLfu()) k.val.lru = (k.val.lru & ~0xff) | k.lru.freq;
      if (k.expire !== -1) db.setExpire(k.key, k.expire);
    }
  } finally {
    engine.loading = wasLoading;
    steps.n = savedSteps;
    tracing.sink = sink;
  }
  engine.persistence.lastLoadKeysLoaded = result.keysLoaded;
  engine.persistence.lastLoadKeysExpired = result.keysExpired;
}

function printable(s: string): string {
  const t = s.length > 64 ? s.slice(0, 64) + '...' : s;
  return t.replace(/[^\x20-\x7e]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

// ---------------------------------------------------------------- values

function isInteger(s: string): boolean {
  return s.length <= 20 && parseLongLong(s) !== null;
}

function zrandom(engine: Engine): () => number {
  return () => engine.random.u32();
}

function listFromNodes(engine: Engine, nodes: Array<{ lp: Listpack | null; plain: string | null }>): RObj | null {
  const cfg = engine.config;
  const q = new Quicklist(cfg.listMaxListpackSize, cfg.listCompressDepth);
  let id = 1;
  // quicklistAppendListpack: linked at the tail, interior nodes compressed (list-compress-depth).
  for (const nd of nodes) q.appendNode(new QuicklistNode(id++, nd.lp, nd.plain));
  (q as unknown as { nextId: number }).nextId = id;
  if (q.count === 0) return null;
  return new RObj('list', 'quicklist', q);
}

function listFromValues(engine: Engine, values: string[]): RObj | null {
  if (values.length === 0) return null;
  const cfg = engine.config;
  return new RObj('list', 'quicklist', Quicklist.from(values, cfg.listMaxListpackSize, cfg.listCompressDepth));
}

function hashFromPairs(engine: Engine, key: string, e: string[], fromListpack: boolean): RObj | null {
  if (e.length % 2 !== 0) throw new BlobError('odd number of hash entries');
  if (e.length === 0) return null;
  const cfg = engine.config;
  let maxlen = 0;
  for (const s of e) if (s.length > maxlen) maxlen = s.length;
  const seen = new Set<string>();
  for (let i = 0; i < e.length; i += 2) {
    if (seen.has(e[i])) throw new BlobError('duplicate hash fields detected');
    seen.add(e[i]);
  }
  // Listpack/ziplist blobs convert only above the entry count (as rdbLoadObject); a HASH (4) also
  // converts when a field or value is longer than hash-max-listpack-value.
  if (e.length / 2 <= cfg.hashMaxListpackEntries && (fromListpack || maxlen <= cfg.hashMaxListpackValue)) {
    return new RObj('hash', 'listpack', Listpack.from(e));
  }
  const d = new Dict<string>();
  d.name = key;
  d.expand(e.length / 2);
  for (let i = 0; i < e.length; i += 2) d.add(e[i], e[i + 1]);
  return new RObj('hash', 'hashtable', d);
}

function setFromMembers(engine: Engine, key: string, members: string[]): RObj | null {
  if (members.length === 0) return null;
  const cfg = engine.config;
  if (members.length <= cfg.setMaxIntsetEntries && members.every(isInteger)) {
    const is = new Intset();
    for (const m of members) {
      if (!is.add(parseLongLong(m)!)) throw new BlobError('duplicate set members detected');
    }
    return new RObj('set', 'intset', is);
  }
  const d = new Dict<null>();
  d.name = key;
  d.expand(members.length);
  for (const m of members) if (!d.add(m, null)) throw new BlobError('duplicate set members detected');
  return new RObj('set', 'hashtable', d);
}

function zsetFromPairs(engine: Engine, key: string, pairs: Array<[string, number]>, keepListpack: string[] | null): RObj | null {
  if (pairs.length === 0) return null;
  const cfg = engine.config;
  let maxlen = 0;
  for (const [m] of pairs) if (m.length > maxlen) maxlen = m.length;
  if (keepListpack && pairs.length <= cfg.zsetMaxListpackEntries) {
    const seen = new Set<string>();
    for (const [m] of pairs) { if (seen.has(m)) throw new BlobError('duplicate zset members detected'); seen.add(m); }
    return new RObj('zset', 'listpack', Listpack.from(keepListpack));
  }
  const small = !keepListpack && pairs.length <= cfg.zsetMaxListpackEntries && maxlen <= cfg.zsetMaxListpackValue;
  const zs = new ZSet(zrandom(engine), key);
  for (const [m, s] of pairs) {
    if (Number.isNaN(s)) throw new BlobError('zset score is NaN');
    if (!zs.dict.add(m, s)) throw new BlobError('duplicate zset members detected');
    zs.zsl.insert(s, m);
  }
  if (small) {
    // zsetConvert(o, OBJ_ENCODING_LISTPACK): members in order, scores as d2string text.
    const e: string[] = [];
    for (const n of zs.zsl.nodes()) e.push(n.member, lpScoreText(n.score)); // as zzlInsertAt stores it
    return new RObj('zset', 'listpack', Listpack.from(e));
  }
  return new RObj('zset', 'skiplist', zs);
}

function zsetPairsFromEntries(e: string[]): Array<[string, number]> {
  if (e.length % 2 !== 0) throw new BlobError('odd number of zset entries');
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < e.length; i += 2) {
    const s = strtod(e[i + 1]);
    if (s === null || Number.isNaN(s)) throw new BlobError(`invalid zset score '${e[i + 1]}'`);
    pairs.push([e[i], s]);
  }
  return pairs;
}

/** rdbLoadObject: one value of `type`, with the encoding Redis 7.0 gives it after loading; null for an empty value. */
function loadObject(engine: Engine, r: Reader, type: number, key: string, at: number): RObj | null {
  const cfg = engine.config;
  switch (type) {
    case RDB_TYPE_STRING:
      return createStringObject(r.string('a string value'));
    case RDB_TYPE_LIST: {
      const n = r.len('a list length');
      const vals: string[] = [];
      for (let i = 0; i < n; i++) vals.push(r.string('a list element'));
      return listFromValues(engine, vals);
    }
    case RDB_TYPE_SET: {
      const n = r.len('a set size');
      const vals: string[] = [];
      for (let i = 0; i < n; i++) vals.push(r.string('a set member'));
      return setFromMembers(engine, key, vals);
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = r.len('a zset size');
      const pairs: Array<[string, number]> = [];
      for (let i = 0; i < n; i++) {
        const m = r.string('a zset member');
        const s = type === RDB_TYPE_ZSET_2 ? r.f64('a zset score') : r.doubleStr('a zset score');
        pairs.push([m, s]);
      }
      return zsetFromPairs(engine, key, pairs, null);
    }
    case RDB_TYPE_HASH: {
      const n = r.len('a hash size');
      const e: string[] = [];
      for (let i = 0; i < n; i++) { e.push(r.string('a hash field')); e.push(r.string('a hash value')); }
      return hashFromPairs(engine, key, e, false);
    }
    case RDB_TYPE_SET_INTSET: {
      const is = intsetParse(r.stringBytes('an intset'));
      if (is.length > cfg.setMaxIntsetEntries) return toHashtableSet(key, is);
      return new RObj('set', 'intset', is);
    }
    case RDB_TYPE_HASH_LISTPACK:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_ZIPMAP: {
      const blob = r.stringBytes('a hash blob');
      const e = type === RDB_TYPE_HASH_LISTPACK ? listpackParse(blob) : type === RDB_TYPE_HASH_ZIPLIST ? ziplistParse(blob) : zipmapParse(blob);
      return hashFromPairs(engine, key, e, true);
    }
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_ZSET_ZIPLIST: {
      const blob = r.stringBytes('a zset blob');
      const e = type === RDB_TYPE_ZSET_LISTPACK ? listpackParse(blob) : ziplistParse(blob);
      return zsetFromPairs(engine, key, zsetPairsFromEntries(e), e);
    }
    case RDB_TYPE_LIST_ZIPLIST:
      return listFromValues(engine, ziplistParse(r.stringBytes('a list ziplist')));
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const n = r.len('a quicklist node count');
      const nodes: Array<{ lp: Listpack | null; plain: string | null }> = [];
      for (let i = 0; i < n; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          const cat = r.p;
          container = r.len('a quicklist node container');
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            throw new RdbError(`Quicklist integrity check failed: unknown node container ${container} at offset ${cat}`, cat);
          }
        }
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          nodes.push({ lp: null, plain: r.string('a plain quicklist node') });
          continue;
        }
        const blob = r.stringBytes('a quicklist node');
        const entries = type === RDB_TYPE_LIST_QUICKLIST_2 ? listpackParse(blob) : ziplistParse(blob);
        if (entries.length === 0) continue; // empty nodes are skipped, as Redis does
        nodes.push({ lp: Listpack.from(entries), plain: null });
      }
      return listFromNodes(engine, nodes);
    }
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2:
      throw new RdbError(`Module value of key '${printable(key)}' at offset ${at}: modules are not supported by the sandbox`, at);
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return loadStream(r, type);
    default:
      throw new RdbError(`Unknown RDB value type ${type} at offset ${at}`, at);
  }
}

/**
 * streamValidateListpackIntegrity (deep): the master entry, then entries whose element counts add
 * up, every number an integer. Redis checks this only with sanitize-dump-payload; the sandbox always
 * does, since a malformed node would break every later read.
 */
function validateStreamListpack(e: string[]): void {
  const int = (i: number): number => {
    if (i >= e.length) throw new BlobError('stream listpack truncated');
    const v = parseLongLong(e[i]);
    if (v === null) throw new BlobError(`stream listpack element ${i} is not an integer`);
    return Number(v);
  };
  const entries = int(0), deleted = int(1), masterFields = int(2);
  if (entries < 0 || deleted < 0 || masterFields < 0) throw new BlobError('negative stream listpack counters');
  let p = 3 + masterFields;
  if (int(p) !== 0) throw new BlobError('stream master entry without its terminator');
  p++;
  for (let n = entries + deleted; n > 0; n--) {
    const flags = int(p);
    int(p + 1); int(p + 2);
    let fields = masterFields;
    let extra = 3;
    let q = p + 3;
    if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) {
      fields = int(q);
      if (fields < 0) throw new BlobError('negative stream entry field count');
      q += 1 + fields * 2;
      extra += fields + 1;
    } else {
      q += fields;
    }
    if (int(q) !== fields + extra) throw new BlobError('stream entry lp-count mismatch');
    p = q + 1;
  }
  if (p !== e.length) throw new BlobError('stream listpack has trailing elements');
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS (15) and _2 (19). */
function loadStream(r: Reader, type: number): RObj {
  const s = new Stream();
  const id = (what: string): StreamID => ({ ms: r.lenBig(what), seq: r.lenBig(what) });
  const nodes = r.len('a stream node count');
  for (let i = 0; i < nodes; i++) {
    const at = r.p;
    const nodekey = r.string('a stream node key');
    if (nodekey.length !== 16) throw new RdbError(`Stream node key entry is not the size of a stream ID (offset ${at})`, at);
    const entries = listpackParse(r.stringBytes('a stream listpack'));
    if (entries.length === 0) throw new BlobError('Empty listpack inside stream');
    validateStreamListpack(entries);
    if (!s.rax.tryInsert(nodekey, StreamListpack.fromEntries(entries))) throw new BlobError('Listpack re-added with existing key');
  }
  s.length = r.len('a stream length');
  s.lastId = id('the stream last ID');
  if (type === RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = id('the stream first ID');
    s.maxDeletedEntryId = id('the stream max deleted ID');
    s.entriesAdded = r.lenBig('the stream entries added');
  } else {
    s.entriesAdded = BigInt(s.length);
    s.firstId = s.getEdgeID(true, true);
  }
  if (s.length && !s.rax.size()) throw new BlobError('Stream length inconsistent with rax entries');
  const groups = r.len('a stream group count');
  for (let g = 0; g < groups; g++) {
    const name = r.string('a consumer group name');
    const cgId = id('a consumer group last ID');
    const entriesRead = type === RDB_TYPE_STREAM_LISTPACKS_2
      ? BigInt.asIntN(64, r.lenBig('a consumer group read counter'))
      : s.estimateDistanceFromFirstEverEntry(cgId);
    const cg = s.createCG(name, cgId, entriesRead);
    if (!cg) throw new BlobError('Duplicated consumer group name');
    const pel = r.len('a group PEL size');
    for (let i = 0; i < pel; i++) {
      const raw = r.raw(16, 'a PEL entry ID');
      const nack = new StreamNACK(r.i64('a delivery time'), r.lenBig('a delivery count'), null);
      if (!cg.pel.tryInsert(raw, nack)) throw new BlobError('Duplicated global PEL entry loading stream consumer group');
    }
    const consumers = r.len('a consumer count');
    for (let i = 0; i < consumers; i++) {
      const cname = r.string('a consumer name');
      const consumer = Stream.createConsumer(cg, cname, 0);
      if (!consumer) throw new BlobError('Duplicate stream consumer detected.');
      consumer.seenTime = r.i64('a consumer seen time');
      const cpel = r.len('a consumer PEL size');
      for (let j = 0; j < cpel; j++) {
        const raw = r.raw(16, 'a consumer PEL entry ID');
        const nack = cg.pel.find(raw);
        if (!nack) throw new BlobError('Consumer entry not found in group global PEL');
        nack.consumer = consumer;
        if (!consumer.pel.tryInsert(raw, nack)) throw new BlobError('Duplicated consumer PEL entry loading a stream consumer group');
      }
    }
    cg.pel.forEach((raw, nack) => {
      if (!nack.consumer) throw new BlobError(`Stream CG PEL entry ${streamDecodeID(raw).ms}-${streamDecodeID(raw).seq} without consumer`);
    });
  }
  return new RObj('stream', 'stream', s);
}

function toHashtableSet(key: string, is: Intset): RObj {
  const d = new Dict<null>();
  d.name = key;
  d.expand(is.length);
  for (const v of is.toStrings()) d.add(v, null);
  return new RObj('set', 'hashtable', d);
}

// ====================================================================== single values (DUMP / RESTORE)

/**
 * A value as DUMP serializes it: its RDB type byte then the value (rdbSaveObjectType +
 * rdbSaveObject), strings LZF-compressed as rdbcompression says. No header, no footer.
 */
export function rdbSerializeObject(engine: Engine, o: RObj): Uint8Array {
  const compress = (engine.config.extra['rdbcompression'] ?? 'yes') !== 'no';
  const w = new RdbWriter(compress);
  const savedSteps = steps.n;
  const sink = tracing.sink;
  tracing.sink = null;
  try {
    w.type(rdbObjectType(o));
    saveObject(w, o);
    return w.result();
  } finally {
    steps.n = savedSteps;
    tracing.sink = sink;
  }
}

/**
 * RESTORE's rdbLoadObjectType + rdbLoadObject over `bytes` (the whole payload: Redis reads the value
 * from the buffer the footer ends, so a value may run into the footer's bytes): the
 * value with the encoding loading gives it, or null when the bytes are not a valid value (an
 * unknown type, a malformed value, an empty collection). Trailing bytes are ignored, as Redis does.
 */
export function rdbDeserializeObject(engine: Engine, bytes: Uint8Array, key: string): RObj | null {
  const r = new Reader(bytes);
  const savedSteps = steps.n;
  const sink = tracing.sink;
  tracing.sink = null;
  try {
    const type = r.u8('a value type');
    if (type > RDB_TYPE_STREAM_LISTPACKS_2 || type === 8) return null; // rdbIsObjectType
    return loadObject(engine, r, type, key, 0);
  } catch (e) {
    if (e instanceof RdbError || e instanceof BlobError) return null;
    throw e;
  } finally {
    steps.n = savedSteps;
    tracing.sink = sink;
  }
}
