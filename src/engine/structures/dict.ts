/**
 * Redis's dict: a hash table with chaining and incremental rehashing (as src/dict.c in Redis 7.0).
 *
 * - two tables; table 1 exists only while rehashing, `rehashidx` is the next bucket of table 0 to move;
 * - every find, add and delete moves one bucket (visiting at most 10 empty buckets) while rehashing;
 * - the first table has 4 buckets; it grows to the next power of two >= used + 1 when used >= size
 *   (when resizing is disabled, only above a ratio of 5); `resize()` shrinks to fit;
 * - `scan` uses the reverse-binary cursor, so an element present for the whole scan is returned at
 *   least once even across a rehash.
 *
 * Keys are byte strings. Steps are counted in `steps.n` while the work is done: one per bucket
 * probed and one per chain entry compared. No command knowledge here.
 */
import { steps, tracing } from '../trace';

export class DictEntry<V> {
  constructor(public key: string, public val: V, public next: DictEntry<V> | null) {}
}

type Table<V> = (DictEntry<V> | null)[];

const INITIAL_SIZE = 4;
const FORCE_RESIZE_RATIO = 5;
export const HASHTABLE_MIN_FILL = 10; // percent

/**
 * The seed new dicts take (Redis seeds siphash randomly at start; the engine sets it from its own
 * seed). Each dict keeps the seed it was created with, so engines with different seeds in one
 * process never disturb each other's tables.
 */
export const dictSeed = { current: 0x5eed };

/** A fast 32-bit hash of a byte string (murmur3-style mixing), seeded. */
export function hashKey(key: string, seed: number): number {
  let h = seed ^ key.length;
  let i = 0;
  const n = key.length;
  for (; i + 1 < n; i += 2) {
    let k = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = Math.imul(key.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Global switch like Redis's dict_can_resize (off while a fork child exists). */
export const dictResizePolicy = { canResize: true };

export class Dict<V> {
  ht0: Table<V> = [];
  ht1: Table<V> = [];
  used0 = 0;
  used1 = 0;
  rehashidx = -1;
  /** Safe iterators / scans in progress pause rehashing. */
  pauseRehash = 0;
  /** A name for trace events ("keyspace", "expires", or the key of a hash/set/zset). */
  name = '';
  /** The hash seed this dict was created with. */
  readonly seed = dictSeed.current;

  /** The hash of a key in this dict (side-effect free). */
  hash(key: string): number { return hashKey(key, this.seed); }

  size(): number { return this.used0 + this.used1; }
  /** Buckets of table 0 (and of table 1 while rehashing). */
  buckets(): [number, number] { return [this.ht0.length, this.ht1.length]; }
  isRehashing(): boolean { return this.rehashidx !== -1; }

  // ---------------------------------------------------------------- rehash

  /** Move up to n buckets from table 0 to table 1; returns true if more remain. */
  rehash(n: number): boolean {
    let emptyVisits = n * 10;
    if (!this.isRehashing()) return false;
    while (n-- && this.used0 !== 0) {
      while (this.ht0[this.rehashidx] === null) {
        steps.n++;
        this.rehashidx++;
        if (--emptyVisits === 0) return true;
      }
      let de = this.ht0[this.rehashidx];
      const moved: string[] | null = tracing.sink ? [] : null;
      const mask1 = this.ht1.length - 1;
      while (de) {
        steps.n++;
        const next: DictEntry<V> | null = de.next;
        const idx = hashKey(de.key, this.seed) & mask1;
        de.next = this.ht1[idx];
        this.ht1[idx] = de;
        this.used0--; this.used1++;
        if (moved) moved.push(de.key);
        de = next;
      }
      this.ht0[this.rehashidx] = null;
      if (tracing.sink) tracing.sink.push({ k: 'dict.rehashStep', dict: this.name, bucket: this.rehashidx, moved: moved!, rehashidx: this.rehashidx + 1 });
      this.rehashidx++;
    }
    if (this.used0 === 0) {
      this.ht0 = this.ht1; this.used0 = this.used1;
      this.ht1 = []; this.used1 = 0;
      this.rehashidx = -1;
      if (tracing.sink) tracing.sink.push({ k: 'dict.rehashDone', dict: this.name, size: this.ht0.length });
      return false;
    }
    return true;
  }

  private rehashStep(): void {
    if (this.pauseRehash === 0) this.rehash(1);
  }

  /** Rehash for about `ms` milliseconds of wall time, 100 buckets at a time (the server cron's active rehashing). */
  rehashMilliseconds(ms: number): number {
    const start = Date.now();
    let rehashes = 0;
    if (this.pauseRehash > 0) return 0;
    while (this.rehash(100)) {
      rehashes += 100;
      if (Date.now() - start > ms) break;
    }
    return rehashes;
  }

  // ---------------------------------------------------------------- sizing

  /** Grow or create the table to hold `size` elements (next power of two). Returns false if not possible now. */
  expand(size: number): boolean {
    if (this.isRehashing() || this.used0 > size) return false;
    let realsize = INITIAL_SIZE;
    while (realsize < size) realsize *= 2;
    if (realsize === this.ht0.length) return false;
    const table: Table<V> = new Array(realsize).fill(null);
    if (tracing.sink) tracing.sink.push({ k: 'dict.expand', dict: this.name, from: this.ht0.length, to: realsize });
    if (this.ht0.length === 0) {
      this.ht0 = table;
      return true;
    }
    this.ht1 = table;
    this.used1 = 0;
    this.rehashidx = 0;
    return true;
  }

  private expandIfNeeded(): void {
    if (this.isRehashing()) return;
    if (this.ht0.length === 0) { this.expand(INITIAL_SIZE); return; }
    if (this.used0 >= this.ht0.length &&
        (dictResizePolicy.canResize || this.used0 / this.ht0.length > FORCE_RESIZE_RATIO)) {
      this.expand(this.used0 + 1);
    }
  }

  /** Fill below HASHTABLE_MIN_FILL percent: the table should shrink (Redis's htNeedsResize). */
  needsResize(): boolean {
    const size = this.ht0.length + this.ht1.length;
    const used = this.size();
    return size > INITIAL_SIZE && (used * 100) / size < HASHTABLE_MIN_FILL;
  }

  /** Shrink (or grow) to the smallest power of two that holds every element (Redis's dictResize). */
  resize(): boolean {
    if (!dictResizePolicy.canResize || this.isRehashing()) return false;
    let minimal = this.used0;
    if (minimal < INITIAL_SIZE) minimal = INITIAL_SIZE;
    return this.expand(minimal);
  }

  // ---------------------------------------------------------------- lookups

  findEntry(key: string): DictEntry<V> | null {
    if (this.used0 + this.used1 === 0) return null;
    if (this.rehashidx !== -1) this.rehashStep();
    const h = hashKey(key, this.seed);
    if (this.rehashidx === -1) {
      // Fast path (not rehashing): one table, the same steps and events as the general loop below.
      const t = this.ht0;
      const idx = h & (t.length - 1);
      steps.n++;
      if (tracing.sink) return this.findTraced(t, idx, key, 0);
      let he = t[idx];
      while (he !== null) {
        steps.n++;
        if (he.key === key) return he;
        he = he.next;
      }
      return null;
    }
    for (let table = 0; table <= 1; table++) {
      const t = table === 0 ? this.ht0 : this.ht1;
      if (t.length === 0) break;
      const idx = h & (t.length - 1);
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'dict.hash', dict: this.name, key, bucket: idx, table: table as 0 | 1 });
      let he = t[idx];
      while (he) {
        steps.n++;
        if (tracing.sink) tracing.sink.push({ k: 'dict.visit', dict: this.name, key: he.key, bucket: idx, table: table as 0 | 1 });
        if (he.key === key) {
          if (tracing.sink) tracing.sink.push({ k: 'dict.found', dict: this.name, key, bucket: idx, table: table as 0 | 1 });
          return he;
        }
        he = he.next;
      }
      if (!this.isRehashing()) break;
    }
    return null;
  }

  /** findEntry's chain walk with trace events (tracing on); steps as the untraced walk. */
  private findTraced(t: Table<V>, idx: number, key: string, table: 0 | 1): DictEntry<V> | null {
    tracing.sink!.push({ k: 'dict.hash', dict: this.name, key, bucket: idx, table });
    let he = t[idx];
    while (he) {
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'dict.visit', dict: this.name, key: he.key, bucket: idx, table });
      if (he.key === key) {
        if (tracing.sink) tracing.sink.push({ k: 'dict.found', dict: this.name, key, bucket: idx, table });
        return he;
      }
      he = he.next;
    }
    return null;
  }

  get(key: string): V | undefined {
    const de = this.findEntry(key);
    return de ? de.val : undefined;
  }

  has(key: string): boolean {
    return this.findEntry(key) !== null;
  }

  /** Add a key that must not exist; returns the new entry, or null if it already exists. */
  addRaw(key: string, val: V): DictEntry<V> | null {
    if (this.isRehashing()) this.rehashStep();
    this.expandIfNeeded();
    const h = hashKey(key, this.seed);
    for (let table = 0; table <= 1; table++) {
      const t = table === 0 ? this.ht0 : this.ht1;
      if (t.length === 0) break;
      const idx = h & (t.length - 1);
      steps.n++;
      let he = t[idx];
      while (he) {
        steps.n++;
        if (he.key === key) return null;
        he = he.next;
      }
      if (!this.isRehashing()) break;
    }
    // New entries go into table 1 while rehashing, at the head of the chain.
    const rehashing = this.isRehashing();
    const t = rehashing ? this.ht1 : this.ht0;
    const idx = h & (t.length - 1);
    const entry = new DictEntry(key, val, t[idx]);
    t[idx] = entry;
    if (rehashing) this.used1++; else this.used0++;
    if (tracing.sink) tracing.sink.push({ k: 'dict.insert', dict: this.name, key, bucket: idx, table: rehashing ? 1 : 0 });
    return entry;
  }

  /** Add; returns false if the key already exists. */
  add(key: string, val: V): boolean {
    return this.addRaw(key, val) !== null;
  }

  /** Add or overwrite; returns true if the key was added, false if updated. */
  set(key: string, val: V): boolean {
    const de = this.findEntry(key);
    if (de) { de.val = val; return false; }
    this.addRaw(key, val);
    return true;
  }

  /** Remove a key; returns the removed entry or null. */
  delete(key: string): DictEntry<V> | null {
    if (this.used0 + this.used1 === 0) return null;
    if (this.rehashidx !== -1) this.rehashStep();
    const h = hashKey(key, this.seed);
    if (this.rehashidx === -1) {
      // Fast path (not rehashing): one table, the same steps and events as the general loop below.
      const t = this.ht0;
      const idx = h & (t.length - 1);
      steps.n++;
      let he = t[idx];
      let prev: DictEntry<V> | null = null;
      while (he !== null) {
        steps.n++;
        if (he.key === key) {
          if (prev !== null) prev.next = he.next; else t[idx] = he.next;
          this.used0--;
          if (tracing.sink) tracing.sink.push({ k: 'dict.delete', dict: this.name, key, bucket: idx, table: 0 });
          he.next = null;
          return he;
        }
        prev = he;
        he = he.next;
      }
      return null;
    }
    for (let table = 0; table <= 1; table++) {
      const t = table === 0 ? this.ht0 : this.ht1;
      if (t.length === 0) break;
      const idx = h & (t.length - 1);
      steps.n++;
      let he = t[idx];
      let prev: DictEntry<V> | null = null;
      while (he) {
        steps.n++;
        if (he.key === key) {
          if (prev) prev.next = he.next; else t[idx] = he.next;
          if (table === 0) this.used0--; else this.used1--;
          if (tracing.sink) tracing.sink.push({ k: 'dict.delete', dict: this.name, key, bucket: idx, table: table as 0 | 1 });
          he.next = null;
          return he;
        }
        prev = he;
        he = he.next;
      }
      if (!this.isRehashing()) break;
    }
    return null;
  }

  clear(): void {
    this.ht0 = []; this.ht1 = [];
    this.used0 = 0; this.used1 = 0;
    this.rehashidx = -1;
    this.pauseRehash = 0;
  }

  // ---------------------------------------------------------------- iteration

  /** Iterate every entry (a safe iterator: pauses rehashing meanwhile). Do not add during iteration. */
  *entries(): IterableIterator<DictEntry<V>> {
    this.pauseRehash++;
    try {
      for (const t of [this.ht0, this.ht1]) {
        for (let i = 0; i < t.length; i++) {
          let he = t[i];
          while (he) {
            const next: DictEntry<V> | null = he.next;
            yield he;
            he = next;
          }
        }
      }
    } finally {
      this.pauseRehash--;
    }
  }

  /** Call fn for every entry; fast (no generator). The callback must not modify the dict. */
  forEach(fn: (key: string, val: V) => void): void {
    for (const t of [this.ht0, this.ht1]) {
      for (let i = 0; i < t.length; i++) {
        for (let he = t[i]; he; he = he.next) fn(he.key, he.val);
      }
    }
  }

  /**
   * A copy (COPY's hashTypeDup / setTypeDup): a new dict presized for every entry, entries added in
   * iteration order; values are shared (copy them first if they are mutable). Counts the adds' steps.
   */
  clone(): Dict<V> {
    const d = new Dict<V>();
    d.name = this.name;
    if (this.size() > 0) d.expand(this.size());
    this.forEach((k, v) => { d.add(k, v); });
    return d;
  }

  keys(): string[] {
    const out: string[] = [];
    this.forEach((k) => out.push(k));
    return out;
  }

  /**
   * One SCAN step from `cursor`: calls fn for every entry of the visited bucket(s) and returns the
   * next cursor (0 when done). Reverse-binary increment of the cursor (Redis's dictScan).
   */
  scan(cursor: number, fn: (de: DictEntry<V>) => void): number {
    if (this.size() === 0) return 0;
    this.pauseRehash++;
    let v = cursor >>> 0;
    try {
      if (!this.isRehashing()) {
        const t = this.ht0;
        const m0 = t.length - 1;
        this.scanBucket(t, v & m0, fn);
        v |= ~m0;
        v = rev32(v); v = (v + 1) >>> 0; v = rev32(v);
      } else {
        let small = this.ht0, large = this.ht1;
        if (small.length > large.length) { small = this.ht1; large = this.ht0; }
        const m0 = small.length - 1;
        const m1 = large.length - 1;
        this.scanBucket(small, v & m0, fn);
        // Visit every bucket of the larger table that expands from the small table's bucket.
        do {
          this.scanBucket(large, v & m1, fn);
          v |= ~m1;
          v = rev32(v); v = (v + 1) >>> 0; v = rev32(v);
        } while (v & (m0 ^ m1));
      }
    } finally {
      this.pauseRehash--;
    }
    return v >>> 0;
  }

  private scanBucket(t: Table<V>, idx: number, fn: (de: DictEntry<V>) => void): void {
    steps.n++;
    let de = t[idx];
    while (de) {
      steps.n++;
      const next: DictEntry<V> | null = de.next;
      fn(de);
      de = next;
    }
  }

  // ---------------------------------------------------------------- random

  /** A random entry (Redis's dictGetRandomKey): random non-empty bucket, then a random element of its chain. */
  randomEntry(rand: (n: number) => number): DictEntry<V> | null {
    if (this.size() === 0) return null;
    if (this.isRehashing()) this.rehashStep();
    let he: DictEntry<V> | null = null;
    if (this.isRehashing()) {
      const s0 = this.ht0.length;
      do {
        steps.n++;
        const h = this.rehashidx + rand(s0 + this.ht1.length - this.rehashidx);
        he = h >= s0 ? this.ht1[h - s0] : this.ht0[h];
      } while (he === null);
    } else {
      const m = this.ht0.length - 1;
      do {
        steps.n++;
        he = this.ht0[rand(m + 1)];
      } while (he === null);
    }
    let len = 0;
    for (let e: DictEntry<V> | null = he; e; e = e.next) len++;
    let pick = rand(len);
    while (pick--) he = he!.next;
    return he;
  }

  /**
   * Sample up to `count` entries from random positions (Redis's dictGetSomeKeys): fast, not
   * uniform, may repeat no element. Used by eviction and SPOP/SRANDMEMBER helpers.
   */
  someEntries(count: number, rand: (n: number) => number): DictEntry<V>[] {
    const out: DictEntry<V>[] = [];
    const size = this.size();
    if (count > size) count = size;
    let maxsteps = count * 10;
    for (let j = 0; j < count; j++) {
      if (this.isRehashing()) this.rehashStep(); else break;
    }
    const tables = this.isRehashing() ? 2 : 1;
    let maxsizemask = this.ht0.length - 1;
    if (tables > 1 && maxsizemask < this.ht1.length - 1) maxsizemask = this.ht1.length - 1;
    let i = rand(maxsizemask + 1);
    let emptylen = 0;
    while (out.length < count && maxsteps--) {
      for (let j = 0; j < tables; j++) {
        const t = j === 0 ? this.ht0 : this.ht1;
        if (tables === 2 && j === 0 && i < this.rehashidx) {
          if (i >= this.ht1.length) i = this.rehashidx; else continue;
        }
        if (i >= t.length) continue;
        steps.n++;
        let he = t[i];
        if (he === null) {
          emptylen++;
          if (emptylen >= 5 && emptylen > count) { i = rand(maxsizemask + 1); emptylen = 0; }
        } else {
          emptylen = 0;
          while (he) {
            steps.n++;
            out.push(he);
            he = he.next;
            if (out.length === count) return out;
          }
        }
      }
      i = (i + 1) & maxsizemask;
    }
    return out;
  }

  /** Redis's dictGetFairRandomKey: sample some keys, pick one of them at random. */
  fairRandomEntry(rand: (n: number) => number): DictEntry<V> | null {
    const some = this.someEntries(15, rand); // GETFAIR_NUM_ENTRIES
    if (some.length === 0) return this.randomEntry(rand);
    return some[rand(some.length)];
  }
}

/** Reverse the bits of a 32-bit unsigned integer. */
export function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  v = (v >>> 16) | (v << 16);
  return v >>> 0;
}
