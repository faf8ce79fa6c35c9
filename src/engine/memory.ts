/**
 * Memory accounting and the MEMORY command (as objectComputeSize / memoryCommand in src/object.c).
 *
 * Sizes follow Redis 7.0 on x86-64 with jemalloc: robj 16 bytes, dictEntry 24, dict 56, quicklist 40,
 * quicklistNode 40, zset 16, zskiplist 32, skiplist node 24 + 16 per level; every allocation is
 * rounded up to a jemalloc size class. For strings MEMORY USAGE matches the real server byte for byte
 * (except strings grown by APPEND/SETRANGE, whose sds Redis over-allocates); aggregates are sampled
 * like Redis (SAMPLES elements, default 5) and match when the structures have the same shape.
 *
 * used memory = the startup baseline + the db hash table bucket arrays + the expires entries + the
 * sum of every key's size (key sds + dictEntry + value). The per-key sum is maintained incrementally:
 * engine.call() measures the keys of a write command before and after it runs (only when maxmemory
 * is set); anything that changes keys outside such a window (active expiry, FLUSHALL, MOVE ...) is
 * detected by per-db key counts and makes the next `usedMemory()` recompute the sum from scratch.
 */
import type { CommandDef, Command } from './commands';
import { commandKeys } from './commands';
import type { Client } from './client';
import type { Engine } from './engine';
import type { Db } from './db';
import type { RObj } from './object';
import type { Stream } from './structures/stream';
import type { Reply } from './types';
import { Dict, DictEntry } from './structures/dict';
import { steps } from './trace';
import * as R from './reply';
import { eqi, parseLongLong } from './util';
import { memoryHooks, USED_MEMORY_STARTUP } from './info';

// ---------------------------------------------------------------- allocator model

/** used_memory_startup of a fresh redis-server 7.0.15 (INFO memory); the one constant lives in info.ts. */
export { USED_MEMORY_STARTUP };

export const SIZEOF_ROBJ = 16;
export const SIZEOF_DICT_ENTRY = 24;
export const SIZEOF_DICT = 56;
export const SIZEOF_QUICKLIST = 40;
export const SIZEOF_QUICKLIST_NODE = 40;
export const SIZEOF_ZSET = 16;
export const SIZEOF_ZSKIPLIST = 32;
export const SIZEOF_ZSKIPLIST_NODE = 24;
export const SIZEOF_ZSKIPLIST_LEVEL = 16;
export const ZSKIPLIST_MAXLEVEL = 32;
export const OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5;

/** jemalloc's usable size for a request of n bytes (x86-64 size classes: 8, 16, 32, 48, ..., 128, 160, 192, ...). */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  // Four classes per doubling above 128: the spacing is a quarter of the power of two below n.
  let p = 128;
  while (p * 2 < n) p *= 2;
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

/** Allocation size of an sds created with exactly `len` bytes (sdsnewlen / sdsdup). */
export function sdsAllocSize(len: number): number {
  let hdr: number;
  if (len < 32) hdr = len === 0 ? 3 : 1; // SDS_TYPE_5 (an empty sds is made SDS_TYPE_8)
  else if (len < 256) hdr = 3;
  else if (len < 65536) hdr = 5;
  else if (len < 4294967296) hdr = 9;
  else hdr = 17;
  return mallocSize(hdr + len + 1);
}

/** Size of a string object (robj + its sds), as objectComputeSize. */
export function stringObjectSize(encoding: string, value: string): number {
  if (encoding === 'int') return SIZEOF_ROBJ;
  if (encoding === 'embstr') return mallocSize(SIZEOF_ROBJ + 3 + value.length + 1);
  return SIZEOF_ROBJ + sdsAllocSize(value.length);
}

/** A member/field as an sds: integers from listpacks (numbers) are formatted as Redis would. */
function sdsSizeOf(v: unknown): number {
  if (typeof v === 'string') return sdsAllocSize(v.length);
  if (typeof v === 'number' || typeof v === 'bigint') return sdsAllocSize(String(v).length);
  if (v && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number') {
    return sdsAllocSize((v as { length: number }).length);
  }
  return 8;
}

// ---------------------------------------------------------------- structure probes (duck-typed)

type AnyObj = Record<string, any>;

/** Bytes of a listpack-like blob (Listpack has `bytes`). */
function blobBytes(x: unknown): number | null {
  if (x == null || typeof x !== 'object') return null;
  const o = x as AnyObj;
  for (const f of ['bytes', 'byteSize', 'sizeBytes', 'blobLen']) {
    const v = o[f];
    if (typeof v === 'number') return v;
    if (typeof v === 'function') { const r = v.call(o); if (typeof r === 'number') return r; }
  }
  return null;
}

function isDict(x: unknown): x is Dict<unknown> {
  return x instanceof Dict || (!!x && typeof x === 'object' && Array.isArray((x as AnyObj).ht0) && Array.isArray((x as AnyObj).ht1));
}

function dictSlots(d: Dict<unknown>): number {
  return d.ht0.length + d.ht1.length;
}

/** The first `max` entries in iteration order (table 0 then table 1), without steps or rehashing. */
function firstEntries<V>(d: Dict<V>, max: number, fn: (de: DictEntry<V>) => void): number {
  let n = 0;
  if (max <= 0) return 0;
  for (const t of [d.ht0, d.ht1]) {
    for (let i = 0; i < t.length; i++) {
      for (let de = t[i]; de; de = de.next) {
        fn(de);
        if (++n >= max) return n;
      }
    }
  }
  return n;
}

/** Side-effect-free lookup (no rehash step, no step count, no trace). */
function peek<V>(d: Dict<V>, key: string): V | undefined {
  if (d.size() === 0) return undefined;
  const h = d.hash(key);
  for (const t of [d.ht0, d.ht1]) {
    if (t.length === 0) continue;
    for (let de = t[h & (t.length - 1)]; de; de = de.next) if (de.key === key) return de.val;
  }
  return undefined;
}

/** Quicklist nodes: the sizes (bytes of the node's entry) of the first `max` nodes and the node count. */
function quicklistNodes(ql: AnyObj, max: number): { sizes: number[]; count: number } {
  const sizes: number[] = [];
  const nodeBytes = (node: AnyObj): number => {
    // zmalloc_size(node->entry): the quicklistLZF of a compressed node, else the listpack.
    if (typeof node.entryBytes === 'number') return node.entryBytes;
    if (typeof node.sz === 'number') return node.sz;
    const b = blobBytes(node);
    if (b !== null) return b;
    for (const f of ['lp', 'entry', 'listpack', 'zl', 'value']) {
      const v = node[f];
      if (typeof v === 'string') return v.length; // a plain node holding one big element
      const bb = blobBytes(v);
      if (bb !== null) return bb;
    }
    return 0;
  };
  const arr = Array.isArray(ql.nodes) ? ql.nodes : null;
  if (arr) {
    for (let i = 0; i < arr.length && i < max; i++) sizes.push(nodeBytes(arr[i]));
    return { sizes, count: arr.length };
  }
  let node = ql.head as AnyObj | null;
  let count = 0;
  const known = typeof ql.nodeCount === 'number' ? ql.nodeCount
    : typeof ql.len === 'number' && typeof ql.count === 'number' ? ql.len : -1;
  while (node) {
    if (count < max) sizes.push(nodeBytes(node));
    count++;
    if (known >= 0 && count >= max) return { sizes, count: known };
    node = node.next ?? null;
  }
  return { sizes, count };
}

/** Skiplist: the header's allocation and, for the first `max` nodes, [member, levels]. */
function skiplistNodes(zsl: AnyObj, max: number): { ele: unknown; level: number }[] {
  const out: { ele: unknown; level: number }[] = [];
  const header = zsl.header as AnyObj | undefined;
  const levelsOf = (n: AnyObj): number => {
    if (Array.isArray(n.level)) return n.level.length;
    if (Array.isArray(n.levels)) return n.levels.length;
    if (Array.isArray(n.forward)) return n.forward.length;
    if (Array.isArray(n.next)) return n.next.length;
    if (typeof n.height === 'number') return n.height;
    if (typeof n.level === 'number') return n.level;
    return 1;
  };
  const next0 = (n: AnyObj): AnyObj | null => {
    if (Array.isArray(n.level)) return n.level[0]?.forward ?? null;
    if (Array.isArray(n.levels)) return n.levels[0]?.forward ?? null;
    if (Array.isArray(n.forward)) return n.forward[0] ?? null;
    if (Array.isArray(n.next)) { const x = n.next[0]; return x && typeof x === 'object' && 'forward' in x ? x.forward : x ?? null; }
    return null;
  };
  if (!header) return out;
  for (let n = next0(header); n && out.length < max; n = next0(n)) {
    out.push({ ele: n.ele ?? n.member ?? n.key ?? n.value, level: levelsOf(n) });
  }
  return out;
}

// ---------------------------------------------------------------- objectComputeSize

/**
 * The bytes used by a value, as Redis's objectComputeSize: exact for strings, intsets and listpacks;
 * for lists, hash tables and skiplists the average of the first `samples` elements times the count.
 */
export function objectComputeSize(o: RObj, samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES): number {
  const ptr = o.ptr as AnyObj;
  switch (o.type) {
    case 'string':
      return stringObjectSize(o.encoding, typeof ptr === 'string' ? ptr : String(ptr));
    case 'list': {
      let asize = SIZEOF_ROBJ + SIZEOF_QUICKLIST;
      const b = blobBytes(ptr);
      if (!ptr || typeof ptr !== 'object') return asize;
      const { sizes, count } = quicklistNodes(ptr, Math.max(1, samples));
      if (sizes.length === 0) {
        // Unknown shape: one node of the whole size, if it says.
        return b !== null ? asize + SIZEOF_QUICKLIST_NODE + mallocSize(b) : asize;
      }
      let elesize = 0;
      for (const s of sizes) elesize += SIZEOF_QUICKLIST_NODE + mallocSize(s);
      // size_t += double: the sum is computed in double, then truncated (asize + x, not asize + floor(x)).
      asize = Math.floor(asize + (elesize / sizes.length) * count);
      return asize;
    }
    case 'set': {
      if (isDict(ptr)) {
        const d = ptr as Dict<unknown>;
        let asize = SIZEOF_ROBJ + SIZEOF_DICT + 8 * dictSlots(d);
        let elesize = 0;
        const n = firstEntries(d, samples, (de) => { elesize += SIZEOF_DICT_ENTRY + sdsSizeOf(de.key); });
        if (n) asize = Math.floor(asize + (elesize / n) * d.size()); // size_t += double, as object.c
        return asize;
      }
      // intset: 8 byte header + length * encoding
      let bytes = blobBytes(ptr);
      if (bytes === null && ptr && typeof ptr === 'object') {
        let enc = typeof ptr.encoding === 'number' ? ptr.encoding : 8;
        if (enc > 8) enc /= 8; // encoding given in bits (16/32/64)
        const len = typeof ptr.length === 'number' ? ptr.length : typeof ptr.count === 'number' ? ptr.count
          : typeof ptr.size === 'function' ? ptr.size() : Array.isArray(ptr.values) ? ptr.values.length : 0;
        bytes = 8 + enc * len;
      }
      return SIZEOF_ROBJ + mallocSize(bytes ?? 8);
    }
    case 'hash': {
      if (isDict(ptr)) {
        const d = ptr as Dict<unknown>;
        let asize = SIZEOF_ROBJ + SIZEOF_DICT + 8 * dictSlots(d);
        let elesize = 0;
        const n = firstEntries(d, samples, (de) => { elesize += sdsSizeOf(de.key) + sdsSizeOf(de.val) + SIZEOF_DICT_ENTRY; });
        if (n) asize = Math.floor(asize + (elesize / n) * d.size());
        return asize;
      }
      return SIZEOF_ROBJ + mallocSize(blobBytes(ptr) ?? 7);
    }
    case 'zset': {
      if (ptr && typeof ptr === 'object' && isDict(ptr.dict)) {
        const d = ptr.dict as Dict<unknown>;
        const headerSize = mallocSize(SIZEOF_ZSKIPLIST_NODE + ZSKIPLIST_MAXLEVEL * SIZEOF_ZSKIPLIST_LEVEL);
        let asize = SIZEOF_ROBJ + SIZEOF_ZSET + SIZEOF_ZSKIPLIST + SIZEOF_DICT + 8 * dictSlots(d) + headerSize;
        let elesize = 0;
        let n = 0;
        const nodes = ptr.zsl ? skiplistNodes(ptr.zsl, samples) : [];
        if (nodes.length) {
          for (const z of nodes) {
            elesize += sdsSizeOf(z.ele) + SIZEOF_DICT_ENTRY + mallocSize(SIZEOF_ZSKIPLIST_NODE + z.level * SIZEOF_ZSKIPLIST_LEVEL);
          }
          n = nodes.length;
        } else {
          // No skiplist we can read: assume level-1 nodes (the most common level).
          n = firstEntries(d, samples, (de) => {
            elesize += sdsSizeOf(de.key) + SIZEOF_DICT_ENTRY + mallocSize(SIZEOF_ZSKIPLIST_NODE + SIZEOF_ZSKIPLIST_LEVEL);
          });
        }
        if (n) asize = Math.floor(asize + (elesize / n) * d.size()); // size_t += double, as object.c
        return asize;
      }
      return SIZEOF_ROBJ + mallocSize(blobBytes(ptr) ?? 7);
    }
    case 'stream':
      return streamComputeSize(ptr as Stream, samples);
  }
  return SIZEOF_ROBJ;
}

/** sizeof(stream), streamCG, streamConsumer (7.0: seen_time, name, pel), streamNACK, streamID, raxNode. */
const SIZEOF_STREAM = 80;
const SIZEOF_STREAM_CG = 40;
const SIZEOF_STREAM_CONSUMER = 24;
const SIZEOF_STREAM_NACK = 24;
const SIZEOF_STREAM_ID = 16;
const SIZEOF_RAX_NODE = 4;

/** streamRadixTreeMemoryUsage (its first line's sizeof(*rax) is overwritten by the second, as in Redis). */
function streamRadixTreeMemoryUsage(numele: number, numnodes: number): number {
  return numele * SIZEOF_STREAM_ID + numnodes * SIZEOF_RAX_NODE + numnodes * 8 * 30;
}

/**
 * objectComputeSize of a stream: the rax (as streamRadixTreeMemoryUsage counts it), the listpacks (the allocated size of the first
 * `samples` averaged over all but the last, plus the last's), and the groups' PELs and consumers.
 */
function streamComputeSize(s: Stream, samples: number): number {
  let asize = SIZEOF_ROBJ + SIZEOF_STREAM + streamRadixTreeMemoryUsage(s.rax.size(), s.rax.numnodes);
  const it = s.rax.iterator();
  it.seek('^');
  let lpsize = 0, n = 0;
  while (n < samples && it.next()) { lpsize += it.data!.alloc; n++; }
  const numele = s.rax.size();
  if (numele <= n) {
    asize += lpsize;
  } else {
    if (n) lpsize = Math.floor(lpsize / n);
    asize += lpsize * (numele - 1);
    asize += s.rax.last()!.node.value!.alloc;
  }
  s.cgroups?.forEach((_name, cg) => {
    asize += SIZEOF_STREAM_CG;
    asize += streamRadixTreeMemoryUsage(cg.pel.size(), cg.pel.numnodes);
    asize += SIZEOF_STREAM_NACK * cg.pel.size();
    cg.consumers.forEach((_cname, consumer) => {
      asize += SIZEOF_STREAM_CONSUMER + consumer.name.length;
      asize += streamRadixTreeMemoryUsage(consumer.pel.size(), consumer.pel.numnodes);
    });
  });
  return asize;
}

/** MEMORY USAGE of a key: value + key sds + dictEntry. */
export function keyMemoryUsage(key: string, o: RObj, samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES): number {
  return objectComputeSize(o, samples) + sdsAllocSize(key.length) + SIZEOF_DICT_ENTRY;
}

// ---------------------------------------------------------------- used memory

interface MemState {
  /** Sum of keyMemoryUsage over every key of every db, when valid. */
  dataset: number;
  valid: boolean;
  /** engine.dirty and the per-db key counts when `dataset` was last known right. */
  dirty: number;
  counts: number[];
}

const states = new WeakMap<Engine, MemState>();

function state(engine: Engine): MemState {
  let s = states.get(engine);
  if (!s) {
    s = { dataset: 0, valid: false, dirty: -1, counts: [] };
    states.set(engine, s);
  }
  return s;
}

function countsMatch(engine: Engine, s: MemState): boolean {
  const dbs = engine.dbs;
  if (s.counts.length !== dbs.length) return false;
  for (let i = 0; i < dbs.length; i++) if (dbs[i].dict.size() !== s.counts[i]) return false;
  return true;
}

function snapshot(engine: Engine, s: MemState): void {
  s.dirty = engine.dirty;
  const dbs = engine.dbs;
  s.counts.length = dbs.length;
  for (let i = 0; i < dbs.length; i++) s.counts[i] = dbs[i].dict.size();
}

function isValid(engine: Engine, s: MemState): boolean {
  return s.valid && s.dirty === engine.dirty && countsMatch(engine, s);
}

/** Force the next usedMemory() to recompute the keyspace sum (FLUSHALL, DEBUG RELOAD, loading ...). */
export function invalidateMemory(engine: Engine): void {
  state(engine).valid = false;
}

/** Walk every key (O(N)): the dataset sum from scratch. */
function recompute(engine: Engine, s: MemState): void {
  let total = 0;
  for (const db of engine.dbs) {
    const t0 = db.dict.ht0, t1 = db.dict.ht1;
    for (const t of [t0, t1]) {
      for (let i = 0; i < t.length; i++) {
        for (let de = t[i]; de; de = de.next) total += keyMemoryUsage(de.key, de.val);
      }
    }
  }
  s.dataset = total;
  s.valid = true;
  snapshot(engine, s);
}

/** Memory of the keyspace tables themselves: bucket arrays and expires entries. */
function tablesOverhead(engine: Engine): number {
  let n = 0;
  for (const db of engine.dbs) {
    n += 8 * (db.dict.ht0.length + db.dict.ht1.length + db.expires.ht0.length + db.expires.ht1.length);
    n += SIZEOF_DICT_ENTRY * db.expires.size();
  }
  return n;
}

/** The estimate of Redis's used_memory. Cheap while the incremental sum is valid. */
export function usedMemory(engine: Engine): number {
  const s = state(engine);
  if (!isValid(engine, s)) recompute(engine, s);
  return USED_MEMORY_STARTUP + tablesOverhead(engine) + s.dataset;
}

// INFO memory reports this estimate.
memoryHooks.usedMemory = usedMemory;

/** The dataset part (sum of keys' sizes) of usedMemory. */
export function usedMemoryDataset(engine: Engine): number {
  const s = state(engine);
  if (!isValid(engine, s)) recompute(engine, s);
  return s.dataset;
}

/** Size of a key as accounted (0 if missing); no side effects on the dict or the step counter. */
export function accountedKeySize(db: Db, key: string): number {
  const o = peek(db.dict, key);
  return o === undefined ? 0 : keyMemoryUsage(key, o);
}

/**
 * Delete a key and keep the incremental sum right (eviction). Returns the bytes freed: the key's
 * size plus its expires entry.
 */
export function deleteKeyAccounted(engine: Engine, db: Db, key: string): number {
  const s = state(engine);
  const wasValid = isValid(engine, s);
  const saved = steps.n;
  const size = accountedKeySize(db, key);
  const volatile = peek(db.expires, key) !== undefined;
  steps.n = saved;
  db.delete(key);
  if (wasValid) {
    s.dataset -= size;
    snapshot(engine, s);
  }
  return size + (volatile ? SIZEOF_DICT_ENTRY : 0);
}

/** A write window: the keys of a write command and their sizes before it ran. */
export interface WriteWindow {
  db: Db;
  keys: string[];
  before: number[];
  present: number;
  /** The command may touch keys we cannot list: recompute afterwards. */
  opaque: boolean;
}

/** The keys a write command may modify (movable keys for the commands that have them). */
function writeKeys(cmd: Command, argv: string[]): string[] | null {
  if (!cmd.flags.has('movablekeys')) return commandKeys(cmd, argv);
  const name = cmd.fullname;
  const numkeysAt = name === 'lmpop' || name === 'zmpop' ? 1 : name === 'blmpop' || name === 'bzmpop' ? 2 : 0;
  if (numkeysAt) {
    const n = parseLongLong(argv[numkeysAt] ?? '');
    if (typeof n !== 'number' || n <= 0) return [];
    return argv.slice(numkeysAt + 1, numkeysAt + 1 + n);
  }
  if (name === 'zunionstore' || name === 'zinterstore' || name === 'zdiffstore') return [argv[1]];
  if (name === 'sort') {
    const keys = [argv[1]];
    for (let i = 2; i < argv.length - 1; i++) if (eqi(argv[i], 'store')) keys.push(argv[i + 1]);
    return keys;
  }
  return null;
}

/** engine.call(): before a write command runs (only when maxmemory is set). */
export function memoryBeforeWrite(engine: Engine, c: Client, cmd: Command, argv: string[]): WriteWindow | null {
  const s = state(engine);
  if (!isValid(engine, s)) return null; // the next usedMemory() recomputes anyway
  const listed = writeKeys(cmd, argv);
  const db = c.db;
  if (listed === null) return { db, keys: [], before: [], present: 0, opaque: true };
  const keys = listed.length > 1 ? [...new Set(listed)] : listed;
  const before: number[] = new Array(keys.length);
  let present = 0;
  const savedSteps = steps.n;
  for (let i = 0; i < keys.length; i++) {
    const sz = accountedKeySize(db, keys[i]);
    before[i] = sz;
    if (sz) present++;
  }
  steps.n = savedSteps;
  return { db, keys, before, present, opaque: false };
}

/** engine.call(): after the write command ran. */
export function memoryAfterWrite(engine: Engine, w: WriteWindow): void {
  const s = state(engine);
  if (w.opaque || !s.valid) { s.valid = false; return; }
  const savedSteps = steps.n;
  let delta = 0;
  let present = 0;
  for (let i = 0; i < w.keys.length; i++) {
    const sz = accountedKeySize(w.db, w.keys[i]);
    if (sz) present++;
    delta += sz - w.before[i];
  }
  steps.n = savedSteps;
  // Keys created or deleted anywhere else (FLUSHALL, MOVE, COPY ... DB, SWAPDB): recompute lazily.
  const dbs = engine.dbs;
  for (let i = 0; i < dbs.length; i++) {
    const expected = s.counts[i] + (dbs[i] === w.db ? present - w.present : 0);
    if (dbs[i].dict.size() !== expected) { s.valid = false; return; }
  }
  s.dataset += delta;
  snapshot(engine, s);
}

// ---------------------------------------------------------------- MEMORY command

const HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

function memoryHelpCommand(_c: Client, _argv: string[]): Reply {
  return R.array(HELP.map((l) => R.status(l)));
}

function memoryUsageCommand(c: Client, argv: string[]): Reply {
  let samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (eqi(argv[j], 'samples') && j + 1 < argv.length) {
      const v = parseLongLong(argv[j + 1]);
      if (v === null) return R.E.notInt;
      if (v < 0) return R.E.syntax;
      samples = v === 0 ? Number.MAX_SAFE_INTEGER : typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
      j++;
    } else {
      return R.E.syntax;
    }
  }
  // Like Redis: a plain dict lookup, no expiry check and no LRU update.
  const o = c.db.dict.get(argv[2]);
  if (o === undefined) return R.NIL;
  return R.int(keyMemoryUsage(argv[2], o, samples));
}

const DOCTOR_EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
  'Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming ' +
  'as soon as I finished rebooting.\n';
const DOCTOR_OK = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

function memoryDoctorCommand(c: Client, _argv: string[]): Reply {
  return R.bulk(usedMemory(c.engine) < 5 * 1024 * 1024 ? DOCTOR_EMPTY : DOCTOR_OK);
}

/** Peak of the estimate, as seen by MEMORY STATS. */
const peaks = new WeakMap<Engine, number>();

/** MEMORY STATS: the 7.0 field list; allocator and RSS figures are the estimate itself (ratio 1). */
function memoryStatsCommand(c: Client, _argv: string[]): Reply {
  const e = c.engine;
  const used = usedMemory(e);
  const peak = Math.max(used, peaks.get(e) ?? 0);
  peaks.set(e, peak);
  const functionsCaches = 200;
  const f = (v: number) => R.double(Math.fround(v));
  const out: Reply[] = [];
  const kv = (k: string, v: Reply) => { out.push(R.bulk(k), v); };
  kv('peak.allocated', R.int(peak));
  kv('total.allocated', R.int(used));
  kv('startup.allocated', R.int(USED_MEMORY_STARTUP));
  for (const k of ['replication.backlog', 'clients.slaves', 'clients.normal', 'cluster.links', 'aof.buffer', 'lua.caches']) kv(k, R.int(0));
  kv('functions.caches', R.int(functionsCaches));
  let overhead = USED_MEMORY_STARTUP + functionsCaches;
  let keys = 0;
  for (const db of e.dbs) {
    const n = db.dict.size();
    if (n === 0) continue;
    keys += n;
    const main = n * (SIZEOF_DICT_ENTRY + SIZEOF_ROBJ) + 8 * dictSlots(db.dict);
    const expires = db.expires.size() * SIZEOF_DICT_ENTRY + 8 * dictSlots(db.expires);
    overhead += main + expires;
    kv(`db.${db.id}`, R.map([
      R.bulk('overhead.hashtable.main'), R.int(main),
      R.bulk('overhead.hashtable.expires'), R.int(expires),
      R.bulk('overhead.hashtable.slot-to-keys'), R.int(0),
    ]));
  }
  const net = used > USED_MEMORY_STARTUP ? used - USED_MEMORY_STARTUP : 1;
  const dataset = used - overhead;
  kv('overhead.total', R.int(overhead));
  kv('keys.count', R.int(keys));
  kv('keys.bytes-per-key', R.int(keys ? Math.floor(net / keys) : 0));
  kv('dataset.bytes', R.int(dataset));
  kv('dataset.percentage', f((dataset * 100) / net));
  kv('peak.percentage', f((used * 100) / peak));
  kv('allocator.allocated', R.int(used));
  kv('allocator.active', R.int(used));
  kv('allocator.resident', R.int(used));
  kv('allocator-fragmentation.ratio', f(1));
  kv('allocator-fragmentation.bytes', R.int(0));
  kv('allocator-rss.ratio', f(1));
  kv('allocator-rss.bytes', R.int(0));
  kv('rss-overhead.ratio', f(1));
  kv('rss-overhead.bytes', R.int(0));
  kv('fragmentation', f(1));
  kv('fragmentation.bytes', R.int(0));
  return R.map(out);
}

function memoryPurgeCommand(_c: Client, _argv: string[]): Reply {
  return R.OK;
}

function memoryMallocStatsCommand(_c: Client, _argv: string[]): Reply {
  return R.bulk('Stats not supported for the current allocator');
}

export const memoryCommands: CommandDef[] = [
  { name: 'memory|help', proc: memoryHelpCommand, complexity: 'O(1)' },
  { name: 'memory|usage', proc: memoryUsageCommand, complexity: 'O(N)' },
  { name: 'memory|doctor', proc: memoryDoctorCommand, complexity: 'O(1)' },
  { name: 'memory|purge', proc: memoryPurgeCommand, complexity: 'O(1)' },
  { name: 'memory|stats', proc: memoryStatsCommand, complexity: 'O(1)' },
  { name: 'memory|malloc-stats', proc: memoryMallocStatsCommand, complexity: 'O(1)' },
];
