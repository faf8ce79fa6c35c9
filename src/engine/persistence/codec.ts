/**
 * Byte-exact serializations of the compact encodings as Redis 7.0 lays them out, for RDB files:
 * listpack (src/listpack.c), intset (src/intset.c) and, for loading older files, ziplist
 * (src/ziplist.c). The engine's structures keep their entries in JS arrays; these functions turn
 * them into (and back from) the real bytes.
 */
import { parseLongLong } from '../util';
import { Intset, INTSET_ENC_INT16, INTSET_ENC_INT32, INTSET_ENC_INT64, type Int64 } from '../structures/intset';

/** A malformed blob inside an RDB value. */
export class BlobError extends Error {}

// ---------------------------------------------------------------- a tiny growable byte buffer

export class ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 256) { this.buf = new Uint8Array(initial); }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(v: number): void { this.ensure(1); this.buf[this.len++] = v & 0xff; }
  bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.len); this.len += b.length; }
  /** A byte string (one char per byte). */
  str(s: string): void {
    this.ensure(s.length);
    const b = this.buf;
    let o = this.len;
    for (let i = 0; i < s.length; i++) b[o++] = s.charCodeAt(i);
    this.len = o;
  }
  u32le(v: number): void { this.ensure(4); new DataView(this.buf.buffer).setUint32(this.len, v >>> 0, true); this.len += 4; }
  u32be(v: number): void { this.ensure(4); new DataView(this.buf.buffer).setUint32(this.len, v >>> 0, false); this.len += 4; }
  u64be(v: bigint): void { this.ensure(8); new DataView(this.buf.buffer).setBigUint64(this.len, v, false); this.len += 8; }
  i64le(v: bigint): void { this.ensure(8); new DataView(this.buf.buffer).setBigInt64(this.len, v, true); this.len += 8; }
  f64le(v: number): void { this.ensure(8); new DataView(this.buf.buffer).setFloat64(this.len, v, true); this.len += 8; }
  result(): Uint8Array { return this.buf.slice(0, this.len); }
}

function bytesToStr(b: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

// ---------------------------------------------------------------- listpack

/** Append one listpack entry (encoding, data, backlen) for `v`, as lpInsert encodes it. */
function lpWriteEntry(w: ByteWriter, v: string): void {
  const start = w.len;
  const n = v.length <= 20 ? parseLongLong(v) : null;
  if (n !== null) {
    const x = BigInt(n);
    if (x >= 0n && x <= 127n) {
      w.byte(Number(x));
    } else if (x >= -4096n && x <= 4095n) {
      const u = Number(x < 0n ? (1n << 13n) + x : x);
      w.byte((u >> 8) | 0xc0); w.byte(u & 0xff);
    } else if (x >= -32768n && x <= 32767n) {
      const u = Number(x < 0n ? (1n << 16n) + x : x);
      w.byte(0xf1); w.byte(u & 0xff); w.byte(u >> 8);
    } else if (x >= -8388608n && x <= 8388607n) {
      const u = Number(x < 0n ? (1n << 24n) + x : x);
      w.byte(0xf2); w.byte(u & 0xff); w.byte((u >> 8) & 0xff); w.byte(u >> 16);
    } else if (x >= -2147483648n && x <= 2147483647n) {
      w.byte(0xf3); w.u32le(Number(x < 0n ? (1n << 32n) + x : x));
    } else {
      w.byte(0xf4); w.i64le(x);
    }
  } else {
    const len = v.length;
    if (len < 64) { w.byte(0x80 | len); }
    else if (len < 4096) { w.byte(0xe0 | (len >> 8)); w.byte(len & 0xff); }
    else { w.byte(0xf0); w.u32le(len); }
    w.str(v);
  }
  const l = w.len - start;
  // backlen: the entry size as a reversed varint (7 bits per byte, high bit on all but the first).
  if (l <= 127) w.byte(l);
  else if (l < 16383) { w.byte(l >> 7); w.byte((l & 127) | 128); }
  else if (l < 2097151) { w.byte(l >> 14); w.byte(((l >> 7) & 127) | 128); w.byte((l & 127) | 128); }
  else if (l < 268435455) { w.byte(l >> 21); w.byte(((l >> 14) & 127) | 128); w.byte(((l >> 7) & 127) | 128); w.byte((l & 127) | 128); }
  else { w.byte(Math.floor(l / 2 ** 28)); w.byte(((l >> 21) & 127) | 128); w.byte(((l >> 14) & 127) | 128); w.byte(((l >> 7) & 127) | 128); w.byte((l & 127) | 128); }
}

/** The listpack blob holding `entries`: header (total bytes u32, count u16), entries, 0xFF. */
export function listpackSerialize(entries: readonly string[]): Uint8Array {
  const w = new ByteWriter(64);
  w.u32le(0); w.byte(0); w.byte(0);
  for (const e of entries) lpWriteEntry(w, e);
  w.byte(0xff);
  const b = w.result();
  const dv = new DataView(b.buffer);
  dv.setUint32(0, b.length, true);
  dv.setUint16(4, entries.length < 65535 ? entries.length : 65535, true);
  return b;
}

/** Parse (and validate) a listpack blob into its entries, integers as decimal strings. */
export function listpackParse(b: Uint8Array): string[] {
  if (b.length < 7) throw new BlobError('listpack too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const total = dv.getUint32(0, true);
  if (total !== b.length) throw new BlobError(`listpack header says ${total} bytes, blob has ${b.length}`);
  const count = dv.getUint16(4, true);
  const out: string[] = [];
  let p = 6;
  const need = (n: number) => { if (p + n > b.length - 1) throw new BlobError('listpack entry runs past the end'); };
  while (p < b.length - 1) {
    const start = p;
    const c = b[p];
    let v: string;
    if ((c & 0x80) === 0) { v = String(c); p += 1; }
    else if ((c & 0xc0) === 0x80) { const len = c & 0x3f; need(1 + len); v = bytesToStr(b, p + 1, p + 1 + len); p += 1 + len; }
    else if ((c & 0xe0) === 0xc0) { need(2); let u = ((c & 0x1f) << 8) | b[p + 1]; if (u >= 1 << 12) u -= 1 << 13; v = String(u); p += 2; }
    else if ((c & 0xf0) === 0xe0) { need(2); const len = ((c & 0x0f) << 8) | b[p + 1]; need(2 + len); v = bytesToStr(b, p + 2, p + 2 + len); p += 2 + len; }
    else if (c === 0xf1) { need(3); v = String(dv.getInt16(p + 1, true)); p += 3; }
    else if (c === 0xf2) { need(4); let u = b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16); if (u >= 1 << 23) u -= 1 << 24; v = String(u); p += 4; }
    else if (c === 0xf3) { need(5); v = String(dv.getInt32(p + 1, true)); p += 5; }
    else if (c === 0xf4) { need(9); v = dv.getBigInt64(p + 1, true).toString(); p += 9; }
    else if (c === 0xf0) { need(5); const len = dv.getUint32(p + 1, true); need(5 + len); v = bytesToStr(b, p + 5, p + 5 + len); p += 5 + len; }
    else throw new BlobError(`listpack: invalid entry encoding 0x${c.toString(16)} at ${p}`);
    // backlen: must encode the entry's size
    const l = p - start;
    const bl = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    need(bl);
    let got = 0;
    for (let k = 0; k < bl; k++) got = got * 128 + (b[p + k] & 127);
    if (got !== l) throw new BlobError('listpack: bad entry back-length');
    p += bl;
    out.push(v);
  }
  if (p !== b.length - 1 || b[p] !== 0xff) throw new BlobError('listpack: missing end byte');
  if (count !== 65535 && count !== out.length) throw new BlobError(`listpack header says ${count} entries, found ${out.length}`);
  return out;
}

// ---------------------------------------------------------------- intset

/** Parse (and validate) an intset blob: encoding u32, length u32, sorted distinct values LE. */
export function intsetParse(b: Uint8Array): Intset {
  if (b.length < 8) throw new BlobError('intset too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const enc = dv.getUint32(0, true);
  const n = dv.getUint32(4, true);
  if (enc !== INTSET_ENC_INT16 && enc !== INTSET_ENC_INT32 && enc !== INTSET_ENC_INT64) throw new BlobError(`intset: invalid encoding ${enc}`);
  if (8 + n * enc !== b.length) throw new BlobError(`intset: ${n} values of ${enc} bytes do not fill ${b.length - 8} bytes`);
  if (n === 0) throw new BlobError('intset: empty');
  const is = new Intset();
  const vals: Int64[] = [];
  for (let i = 0; i < n; i++) {
    const off = 8 + i * enc;
    const v: Int64 = enc === 2 ? dv.getInt16(off, true) : enc === 4 ? dv.getInt32(off, true) : normBig(dv.getBigInt64(off, true));
    if (i > 0 && !(vals[i - 1] < v)) throw new BlobError('intset: values not sorted and distinct');
    vals.push(v);
  }
  is.encoding = enc;
  // Values are sorted and distinct: install them directly (the blob's width is kept, as Redis does).
  (is as unknown as { vals: Int64[] }).vals = vals;
  return is;
}

function normBig(v: bigint): Int64 {
  return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

// ---------------------------------------------------------------- ziplist (RDB files from Redis < 7)

/** Parse (and validate) a ziplist blob into its entries, integers as decimal strings. */
export function ziplistParse(b: Uint8Array): string[] {
  if (b.length < 11) throw new BlobError('ziplist too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== b.length) throw new BlobError('ziplist: header size mismatch');
  const count = dv.getUint16(8, true);
  const out: string[] = [];
  let p = 10;
  const need = (n: number) => { if (p + n > b.length - 1) throw new BlobError('ziplist entry runs past the end'); };
  while (p < b.length - 1 && b[p] !== 0xff) {
    need(1);
    p += b[p] === 0xfe ? 5 : 1; // prevlen
    need(1);
    const c = b[p];
    let v: string;
    switch (c >> 6) {
      case 0: { const len = c & 0x3f; need(1 + len); v = bytesToStr(b, p + 1, p + 1 + len); p += 1 + len; break; }
      case 1: { need(2); const len = ((c & 0x3f) << 8) | b[p + 1]; need(2 + len); v = bytesToStr(b, p + 2, p + 2 + len); p += 2 + len; break; }
      case 2: { need(5); const len = dv.getUint32(p + 1, false); need(5 + len); v = bytesToStr(b, p + 5, p + 5 + len); p += 5 + len; break; }
      default:
        if (c === 0xc0) { need(3); v = String(dv.getInt16(p + 1, true)); p += 3; }
        else if (c === 0xd0) { need(5); v = String(dv.getInt32(p + 1, true)); p += 5; }
        else if (c === 0xe0) { need(9); v = dv.getBigInt64(p + 1, true).toString(); p += 9; }
        else if (c === 0xf0) { need(4); let u = b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16); if (u >= 1 << 23) u -= 1 << 24; v = String(u); p += 4; }
        else if (c === 0xfe) { need(2); v = String(dv.getInt8(p + 1)); p += 2; }
        else if (c >= 0xf1 && c <= 0xfd) { v = String((c & 0x0f) - 1); p += 1; }
        else throw new BlobError(`ziplist: invalid entry encoding 0x${c.toString(16)}`);
    }
    out.push(v);
  }
  if (p !== b.length - 1 || b[p] !== 0xff) throw new BlobError('ziplist: missing end byte');
  if (count !== 65535 && count !== out.length) throw new BlobError('ziplist: entry count mismatch');
  return out;
}

// ---------------------------------------------------------------- zipmap (RDB type 9, Redis < 2.6)

export function zipmapParse(b: Uint8Array): string[] {
  const out: string[] = [];
  let p = 1;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = () => {
    if (p >= b.length) throw new BlobError('zipmap truncated');
    const c = b[p];
    if (c < 254) { p += 1; return c; }
    if (c === 254) { if (p + 5 > b.length) throw new BlobError('zipmap truncated'); const v = dv.getUint32(p + 1, true); p += 5; return v; }
    return -1;
  };
  for (;;) {
    const kl = len();
    if (kl < 0) break;
    if (p + kl > b.length) throw new BlobError('zipmap truncated');
    const k = bytesToStr(b, p, p + kl); p += kl;
    const vl = len();
    if (vl < 0) throw new BlobError('zipmap: key without value');
    if (p >= b.length) throw new BlobError('zipmap truncated');
    const free = b[p++];
    if (p + vl + free > b.length) throw new BlobError('zipmap truncated');
    out.push(k, bytesToStr(b, p, p + vl)); p += vl + free;
  }
  return out;
}

export { bytesToStr };
