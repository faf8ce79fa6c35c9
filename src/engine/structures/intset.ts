/**
 * Redis's intset (as src/intset.c in Redis 7.0): a sorted array of distinct int64 values stored with
 * the smallest width that fits every value: 16, 32 or 64 bit (2, 4 or 8 bytes per value).
 *
 * - adding a value that needs a wider encoding upgrades the whole array; the new value is then
 *   necessarily smaller or larger than every other one, so it goes to the front (negative) or the
 *   end (positive), without a search;
 * - lookups are a binary search after two cheap checks of the ends; an intset never downgrades;
 * - the blob is 8 bytes of header (encoding, length) plus width * length bytes.
 *
 * Values are exact int64: a JS number when it is a safe integer, a bigint otherwise (always
 * normalized that way, so `===` compares two values). Steps: one per element probed (`steps.n++`).
 * No command knowledge here.
 */
import { steps, tracing } from '../trace';

export type Int64 = number | bigint;

/** Bytes per value of the three encodings. */
export const INTSET_ENC_INT16 = 2;
export const INTSET_ENC_INT32 = 4;
export const INTSET_ENC_INT64 = 8;
export type IntsetEncoding = 2 | 4 | 8;

const INT16_MIN = -32768, INT16_MAX = 32767;
const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

/** The smallest encoding that holds v (Redis's _intsetValueEncoding). */
export function intsetValueEncoding(v: Int64): IntsetEncoding {
  if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
  if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
  return INTSET_ENC_INT16;
}

/** A safe integer as a number, anything else as a bigint. */
export function normInt64(v: Int64): Int64 {
  if (typeof v === 'number') return v;
  return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

function bits(enc: IntsetEncoding): 16 | 32 | 64 {
  return (enc * 8) as 16 | 32 | 64;
}

function traceValue(v: Int64): number | string {
  return typeof v === 'bigint' ? v.toString() : v;
}

export class Intset {
  /** Bytes per value: 2, 4 or 8. */
  encoding: IntsetEncoding = INTSET_ENC_INT16;
  /** The values, sorted ascending, distinct, normalized (see normInt64). */
  private vals: Int64[] = [];

  /** Number of values. */
  get length(): number { return this.vals.length; }
  size(): number { return this.vals.length; }
  /** The blob's size: 8 bytes of header plus the values (Redis's intsetBlobLen). */
  get bytes(): number { return 8 + this.encoding * this.vals.length; }
  /** The encoding in bits (16, 32, 64). */
  get width(): 16 | 32 | 64 { return bits(this.encoding); }

  /** The value at position pos (no step), or undefined. */
  get(pos: number): Int64 | undefined {
    return pos >= 0 && pos < this.vals.length ? this.vals[pos] : undefined;
  }

  /**
   * Binary search (Redis's intsetSearch). Returns the position of v when found, else -(insertion
   * position) - 1. Every probed element is one step.
   */
  search(v: Int64): number {
    const a = this.vals;
    const n = a.length;
    if (n === 0) return -1;
    // The two ends first: a value beyond them is not in the set, and the insertion point is known.
    steps.n++;
    const last = a[n - 1];
    if (tracing.sink) tracing.sink.push({ k: 'is.probe', index: n - 1, value: traceValue(last), cmp: v > last ? 1 : v < last ? -1 : 0 });
    if (v > last) return -(n) - 1;
    steps.n++;
    const first = a[0];
    if (tracing.sink) tracing.sink.push({ k: 'is.probe', index: 0, value: traceValue(first), cmp: v > first ? 1 : v < first ? -1 : 0 });
    if (v < first) return -1;
    let min = 0, max = n - 1;
    while (max >= min) {
      const mid = (min + max) >>> 1;
      const cur = a[mid];
      steps.n++;
      const cmp: -1 | 0 | 1 = v > cur ? 1 : v < cur ? -1 : 0;
      if (tracing.sink) tracing.sink.push({ k: 'is.probe', index: mid, value: traceValue(cur), cmp });
      if (cmp > 0) min = mid + 1;
      else if (cmp < 0) max = mid - 1;
      else return mid;
    }
    return -min - 1;
  }

  /** Is v a member? (intsetFind: a value wider than the encoding cannot be there, no search.) */
  find(v: Int64): boolean {
    v = normInt64(v);
    if (intsetValueEncoding(v) > this.encoding) return false;
    return this.search(v) >= 0;
  }

  /** Add v; returns false if it was already there (intsetAdd). */
  add(v: Int64): boolean {
    v = normInt64(v);
    const enc = intsetValueEncoding(v);
    if (enc > this.encoding) {
      this.upgradeAndAdd(v, enc);
      return true;
    }
    const r = this.search(v);
    if (r >= 0) return false;
    const pos = -r - 1;
    // Move the tail one slot to the right (Redis's memmove): one step per moved value.
    const a = this.vals;
    a.push(v);
    for (let i = a.length - 1; i > pos; i--) { a[i] = a[i - 1]; steps.n++; }
    a[pos] = v;
    if (tracing.sink) tracing.sink.push({ k: 'is.insert', index: pos, value: traceValue(v) });
    return true;
  }

  /** Redis's intsetUpgradeAndAdd: widen every value, then put v at the front or the end. */
  private upgradeAndAdd(v: Int64, enc: IntsetEncoding): void {
    const from = this.encoding;
    this.encoding = enc;
    if (tracing.sink) tracing.sink.push({ k: 'is.upgrade', from: bits(from), to: bits(enc) });
    // Every value is rewritten with the new width, from the back, one slot further right when the
    // new value goes to the front: one step each.
    const prepend = v < 0;
    const a = this.vals;
    const shift = prepend ? 1 : 0;
    for (let i = a.length - 1; i >= 0; i--) { a[i + shift] = a[i]; steps.n++; }
    if (prepend) a[0] = v; else a.push(v);
    if (tracing.sink) tracing.sink.push({ k: 'is.insert', index: prepend ? 0 : this.vals.length - 1, value: traceValue(v) });
  }

  /** Remove v; returns true if it was there (intsetRemove). */
  remove(v: Int64): boolean {
    v = normInt64(v);
    if (intsetValueEncoding(v) > this.encoding) return false;
    const pos = this.search(v);
    if (pos < 0) return false;
    // Move the tail one slot to the left: one step per moved value.
    const a = this.vals;
    for (let i = pos; i < a.length - 1; i++) { a[i] = a[i + 1]; steps.n++; }
    a.pop();
    if (tracing.sink) tracing.sink.push({ k: 'is.delete', index: pos });
    return true;
  }

  /** A random value (intsetRandom); `rand(n)` returns an integer in [0, n). The set must not be empty. */
  random(rand: (n: number) => number): Int64 {
    steps.n++;
    return this.vals[rand(this.vals.length)];
  }

  /** The values in order (a copy). */
  toArray(): Int64[] { return this.vals.slice(); }

  /** The values as decimal strings, in order. */
  toStrings(): string[] {
    const out = new Array<string>(this.vals.length);
    for (let i = 0; i < this.vals.length; i++) out[i] = String(this.vals[i]);
    return out;
  }

  [Symbol.iterator](): Iterator<Int64> { return this.vals[Symbol.iterator](); }

  /** Smallest and largest values (undefined when empty). */
  min(): Int64 | undefined { return this.vals[0]; }
  max(): Int64 | undefined { return this.vals[this.vals.length - 1]; }

  clone(): Intset {
    const c = new Intset();
    c.encoding = this.encoding;
    c.vals = this.vals.slice();
    return c;
  }

  /** The blob as Redis lays it out: encoding (u32 LE), length (u32 LE), values little endian. */
  toBlob(): Uint8Array {
    const buf = new Uint8Array(this.bytes);
    const dv = new DataView(buf.buffer);
    dv.setUint32(0, this.encoding, true);
    dv.setUint32(4, this.vals.length, true);
    let off = 8;
    for (const v of this.vals) {
      if (this.encoding === 2) dv.setInt16(off, Number(v), true);
      else if (this.encoding === 4) dv.setInt32(off, Number(v), true);
      else dv.setBigInt64(off, BigInt(v), true);
      off += this.encoding;
    }
    return buf;
  }
}
