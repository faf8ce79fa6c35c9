/**
 * Listpack (as src/listpack.c): a compact sequence of string/integer entries. Here the entries are
 * kept in a JS array, while `bytes` tracks exactly how many bytes Redis's encoding would take, so
 * the size limits (list-max-listpack-size -2 = 8 KB per quicklist node, hash/zset value limits)
 * behave as in Redis. Steps: one per entry visited. No command knowledge.
 */
import { steps, tracing } from '../trace';
import { parseLongLong } from '../util';

export const LP_HDR_SIZE = 6;
export const LP_EOF_SIZE = 1;

/** Bytes taken by one entry: encoding + data + backlen (as lpEncodeGetType / lpEncodeBacklen). */
export function lpEntrySize(v: string): number {
  let enc: number;
  const n = v.length <= 20 ? parseLongLong(v) : null;
  if (typeof n === 'number') {
    // Safe integers compare as numbers (no BigInt allocation on the hot path).
    if (n >= 0 && n <= 127) enc = 1;
    else if (n >= -4096 && n <= 4095) enc = 2;
    else if (n >= -32768 && n <= 32767) enc = 3;
    else if (n >= -8388608 && n <= 8388607) enc = 4;
    else if (n >= -2147483648 && n <= 2147483647) enc = 5;
    else enc = 9;
  } else if (n !== null) {
    const x = n;
    if (x >= 0n && x <= 127n) enc = 1;
    else if (x >= -4096n && x <= 4095n) enc = 2;
    else if (x >= -32768n && x <= 32767n) enc = 3;
    else if (x >= -8388608n && x <= 8388607n) enc = 4;
    else if (x >= -2147483648n && x <= 2147483647n) enc = 5;
    else enc = 9;
  } else {
    const len = v.length;
    if (len < 64) enc = 1 + len;
    else if (len < 4096) enc = 2 + len;
    else enc = 5 + len;
  }
  return enc + backlenSize(enc);
}

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

export class Listpack {
  entries: string[] = [];
  bytes = LP_HDR_SIZE + LP_EOF_SIZE;
  /** Bumped by every change of the entries (a quicklist node caches its LZF size per version). */
  version = 0;

  get length(): number { return this.entries.length; }

  /** Entry at index (negative counts from the tail); walks from the nearer end, one step per entry. */
  get(index: number): string | undefined {
    const n = this.entries.length;
    if (index < 0) index += n;
    if (index < 0 || index >= n) return undefined;
    // Real listpacks are walked entry by entry; count the entries crossed from the nearer end.
    const walk = index < n / 2 ? index + 1 : n - index;
    steps.n += walk;
    if (tracing.sink) tracing.sink.push({ k: 'lp.visit', index });
    return this.entries[index];
  }

  /** Insert before `index` (index == length appends). */
  insert(index: number, v: string): void {
    steps.n++;
    this.version++;
    this.entries.splice(index, 0, v);
    this.bytes += lpEntrySize(v);
    if (tracing.sink) tracing.sink.push({ k: 'lp.insert', index, value: v });
  }

  append(v: string): void { this.insert(this.entries.length, v); }
  prepend(v: string): void { this.insert(0, v); }

  /** Delete `count` entries from `index`. */
  delete(index: number, count = 1): void {
    const removed = this.entries.splice(index, count);
    this.version++;
    for (const v of removed) { steps.n++; this.bytes -= lpEntrySize(v); }
    if (tracing.sink) tracing.sink.push({ k: 'lp.delete', index });
  }

  replace(index: number, v: string): void {
    steps.n++;
    this.version++;
    this.bytes += lpEntrySize(v) - lpEntrySize(this.entries[index]);
    this.entries[index] = v;
  }

  /**
   * Find `v` scanning from `start`, comparing every `skip`+1-th entry (skip = 1 for hash fields and
   * zset members, which alternate with values/scores). Returns the index or -1. One step per entry compared.
   */
  find(v: string, start = 0, skip = 0): number {
    const e = this.entries;
    for (let i = start; i < e.length; i += skip + 1) {
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'lp.visit', index: i });
      if (e[i] === v) return i;
    }
    return -1;
  }

  /** Deep copy (COPY): same entries, same byte size. No steps. */
  clone(): Listpack {
    const lp = new Listpack();
    lp.entries = this.entries.slice();
    lp.bytes = this.bytes;
    return lp;
  }

  /** A listpack holding `values` (bytes computed as Redis encodes them). No steps. */
  static from(values: string[]): Listpack {
    const lp = new Listpack();
    lp.entries = values;
    for (const v of values) lp.bytes += lpEntrySize(v);
    return lp;
  }

  /**
   * Remove and return entries [index, index+count) as a new listpack (used to split a quicklist
   * node). One step per entry moved.
   */
  splice(index: number, count: number): Listpack {
    const moved = this.entries.splice(index, count);
    this.version++;
    const out = new Listpack();
    out.entries = moved;
    for (const v of moved) {
      steps.n++;
      const sz = lpEntrySize(v);
      this.bytes -= sz;
      out.bytes += sz;
    }
    return out;
  }

  /** Append (`atTail`) or prepend every entry of `other` (lpMerge). One step per entry moved. */
  merge(other: Listpack, atTail: boolean): void {
    steps.n += other.entries.length;
    this.version++;
    this.entries = atTail ? this.entries.concat(other.entries) : other.entries.concat(this.entries);
    this.bytes += other.bytes - LP_HDR_SIZE - LP_EOF_SIZE;
  }

  /** Would adding entries totalling `extraBytes` keep this listpack within `limit` bytes? */
  fits(extraBytes: number, limit: number): boolean {
    return this.bytes + extraBytes <= limit;
  }
}
