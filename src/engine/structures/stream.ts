/**
 * The stream data structure (the low-level half of src/t_stream.c and src/stream.h in Redis 7.0):
 * a radix tree (rax.ts) keyed by 128-bit entry IDs, 16 big-endian bytes, whose values are
 * listpacks of entries. Each listpack starts with a master entry
 *
 *   count | deleted | num-fields | field_1 ... field_N | 0
 *
 * (the fields of the entry that created the node) and then holds delta-encoded entries:
 *
 *   flags | ms-delta | seq-delta | [num-fields | field_1] value_1 ... [field_N] value_N | lp-count
 *
 * where the fields are left out when they are the master's (flag SAMEFIELDS), the ID is stored as
 * the difference with the node's key, deleted entries are only flagged (DELETED) until the whole
 * node goes, and lp-count (the number of elements of the entry before it) lets the listpack be
 * walked backwards. A node takes entries until it reaches stream-node-max-bytes or
 * stream-node-max-entries.
 *
 * Consumer groups (a rax by name) have a last delivered ID, a read counter, a pending entries list
 * (PEL: ID -> NACK) and consumers (a rax by name), each with its own PEL sharing the group's NACKs.
 *
 * IDs are pairs of unsigned 64-bit integers, kept as bigints. Listpack elements are byte strings,
 * integers as their decimal text (the byte size is counted as Redis encodes them). Steps: one per
 * listpack element walked, plus the rax's. No command knowledge here: no replies, no error texts.
 */
import { steps } from '../trace';
import { Listpack, LP_HDR_SIZE } from './listpack';
import { Rax } from './rax';
import { mallocSize } from '../memory';

export interface StreamID { readonly ms: bigint; readonly seq: bigint }

export const UINT64_MAX = 0xffffffffffffffffn;
export const ZERO_ID: StreamID = { ms: 0n, seq: 0n };
export const MAX_ID: StreamID = { ms: UINT64_MAX, seq: UINT64_MAX };

export const STREAM_ITEM_FLAG_NONE = 0;
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
/** Bytes preallocated for a new node's listpack (capped by stream-node-max-bytes). */
export const STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096;
/** A listpack never grows past this, whatever stream-node-max-bytes says. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** A consumer group read counter that is not known. */
export const SCG_INVALID_ENTRIES_READ = -1n;

// ====================================================================== IDs

const HEX = '0123456789abcdef';

function u64be(v: bigint): string {
  const h = v.toString(16).padStart(16, '0');
  let s = '';
  for (let i = 0; i < 16; i += 2) s += String.fromCharCode((HEX.indexOf(h[i]) << 4) | HEX.indexOf(h[i + 1]));
  return s;
}

function readU64be(s: string, at: number): bigint {
  let h = '0x';
  for (let i = at; i < at + 8; i++) { const b = s.charCodeAt(i); h += HEX[b >> 4] + HEX[b & 15]; }
  return BigInt(h);
}

/** streamEncodeID: the ID as 16 big-endian bytes (byte order = ID order). */
export function streamEncodeID(id: StreamID): string {
  return u64be(id.ms) + u64be(id.seq);
}

/** streamDecodeID. */
export function streamDecodeID(key: string): StreamID {
  return { ms: readU64be(key, 0), seq: readU64be(key, 8) };
}

/** streamCompareID: -1, 0 or 1. */
export function streamCompareID(a: StreamID, b: StreamID): number {
  if (a.ms > b.ms) return 1;
  if (a.ms < b.ms) return -1;
  if (a.seq > b.seq) return 1;
  if (a.seq < b.seq) return -1;
  return 0;
}

export function streamIDEqZero(id: StreamID): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** "<ms>-<seq>". */
export function streamIDString(id: StreamID): string {
  return `${id.ms}-${id.seq}`;
}

/** streamIncrID: the next ID; null past the greatest one (which wraps to 0-0 in Redis). */
export function streamIncrID(id: StreamID): StreamID | null {
  if (id.seq === UINT64_MAX) {
    if (id.ms === UINT64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** streamDecrID: the previous ID; null before 0-0. */
export function streamDecrID(id: StreamID): StreamID | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: UINT64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

// ====================================================================== listpack nodes

/** A node's listpack, with the bytes the allocator gave it (lp_malloc_size, for MEMORY USAGE). */
export class StreamListpack extends Listpack {
  alloc = 0;

  /** lpAppend: may grow the allocation to the new size. */
  push(v: string): void {
    this.append(v);
    if (this.bytes > this.alloc) this.alloc = mallocSize(this.bytes);
  }

  /** lpReplace (lpReplaceInteger): grows or shrinks the allocation as lpInsert does. */
  set(index: number, v: string): void {
    const old = this.bytes;
    this.replace(index, v);
    if (this.bytes > old && this.bytes > this.alloc) this.alloc = mallocSize(this.bytes);
    else if (this.bytes < old) this.alloc = mallocSize(this.bytes);
  }

  /** lpShrinkToFit. */
  shrinkToFit(): void {
    if (this.alloc > this.bytes) this.alloc = mallocSize(this.bytes);
  }

  int(index: number): number { return Number(this.entries[index]); }

  /** A copy allocated at its exact size (zmalloc(lpBytes) + memcpy). */
  copy(): StreamListpack {
    const lp = new StreamListpack();
    lp.entries = this.entries.slice();
    lp.bytes = this.bytes;
    lp.alloc = mallocSize(lp.bytes);
    return lp;
  }

  /** A listpack read from elsewhere (RDB): allocated at its exact size. */
  static fromEntries(entries: string[]): StreamListpack {
    const lp = new StreamListpack();
    const src = Listpack.from(entries);
    lp.entries = src.entries;
    lp.bytes = src.bytes;
    lp.alloc = mallocSize(lp.bytes);
    return lp;
  }
}

/** An ID delta as lpAppendInteger stores it: the 64-bit difference read as a signed integer. */
function delta(a: bigint, b: bigint): string {
  return BigInt.asIntN(64, a - b).toString();
}

function undelta(base: bigint, d: string): bigint {
  return BigInt.asUintN(64, base + BigInt(d));
}

/** The ID of the entry whose flags are at `p` in a node whose key is `master`. */
function entryID(lp: StreamListpack, p: number, master: StreamID): StreamID {
  return { ms: undelta(master.ms, lp.entries[p + 1]), seq: undelta(master.seq, lp.entries[p + 2]) };
}

/** Index of the first entry's flags (after the master entry and its terminator). */
function firstEntryPos(lp: StreamListpack): number {
  return 3 + lp.int(2) + 1;
}

/** lpGetEdgeStreamID: the first or last entry of the node (tombstones included), or null. */
export function lpGetEdgeStreamID(lp: StreamListpack, first: boolean, master: StreamID): StreamID | null {
  let p: number;
  if (first) {
    p = firstEntryPos(lp);
    if (p >= lp.entries.length) return null;
  } else {
    const last = lp.entries.length - 1;
    const count = lp.int(last);
    if (count === 0) return null;
    p = last - count;
  }
  steps.n++;
  return entryID(lp, p, master);
}

// ====================================================================== consumer groups

/** A pending entry (streamNACK): delivered, not yet acknowledged. Shared by the group and consumer PELs. */
export class StreamNACK {
  constructor(public deliveryTime: number, public deliveryCount: bigint, public consumer: StreamConsumer | null) {}
}

export class StreamConsumer {
  /** This consumer's pending entries (the same NACKs as the group's PEL). */
  pel = new Rax<StreamNACK>();
  constructor(public name: string, public seenTime: number) {}
}

export class StreamCG {
  /** Every pending entry of the group: 16-byte ID -> NACK. */
  pel = new Rax<StreamNACK>();
  consumers = new Rax<StreamConsumer>();
  constructor(public lastId: StreamID, public entriesRead: bigint) {}
}

export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  maxlen: bigint;
  minid: StreamID;
  approx: boolean;
  /** Most entries to delete; 0: no limit. */
  limit: bigint;
}

// ====================================================================== the stream

export class Stream {
  /** 16-byte master ID -> the node's listpack. */
  rax = new Rax<StreamListpack>();
  /** Live entries. */
  length = 0;
  lastId: StreamID = ZERO_ID;
  /** The first live entry's ID (0-0 when empty). */
  firstId: StreamID = ZERO_ID;
  /** The greatest ID ever deleted by XDEL (0-0: none). */
  maxDeletedEntryId: StreamID = ZERO_ID;
  /** Entries ever added. */
  entriesAdded = 0n;
  /** Created on the first group. */
  cgroups: Rax<StreamCG> | null = null;

  /**
   * streamAppendItem: add an entry of field/value pairs (`fv` = f1, v1, f2, v2 ...). `useId` is the
   * explicit ID (with `seqGiven` false for <ms>-*), null for an ID from `now`. Returns the new ID,
   * 'EDOM' if the ID is not greater than the last one, 'ERANGE' if the elements are too large.
   */
  appendItem(fv: string[], useId: StreamID | null, seqGiven: boolean, now: number, nodeMaxBytes: number, nodeMaxEntries: number): StreamID | 'EDOM' | 'ERANGE' {
    let id: StreamID;
    if (useId) {
      if (seqGiven) {
        id = useId;
      } else if (this.lastId.ms === useId.ms) {
        // Redis 7.0 fails here without setting errno: XADD then says the elements are too large.
        if (this.lastId.seq === UINT64_MAX) return 'ERANGE';
        id = { ms: useId.ms, seq: this.lastId.seq + 1n };
      } else {
        id = useId;
      }
    } else {
      const ms = BigInt(now);
      if (ms > this.lastId.ms) id = { ms, seq: 0n };
      else id = streamIncrID(this.lastId) ?? ZERO_ID;
    }
    if (streamCompareID(id, this.lastId) <= 0) return 'EDOM';

    let totelelen = 0;
    for (const e of fv) totelelen += e.length;
    if (totelelen > STREAM_LISTPACK_MAX_SIZE) return 'ERANGE';

    const numfields = fv.length / 2;
    const tail = this.rax.last();
    let lp: StreamListpack | null = tail ? tail.node.value! : null;
    let lpKey = tail ? tail.key : '';
    if (lp !== null) {
      let maxBytes = nodeMaxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      let newNode = false;
      if (lp.bytes + totelelen >= maxBytes) newNode = true;
      else if (nodeMaxEntries) {
        // Live and deleted entries both count.
        if (lp.int(0) + lp.int(1) >= nodeMaxEntries) newNode = true;
      }
      if (newNode) { lp.shrinkToFit(); lp = null; }
    }

    let flags = STREAM_ITEM_FLAG_NONE;
    let master: StreamID;
    if (lp === null) {
      master = id;
      lpKey = streamEncodeID(id);
      let prealloc = STREAM_LISTPACK_MAX_PRE_ALLOCATE;
      if (nodeMaxBytes > 0 && nodeMaxBytes < prealloc) prealloc = nodeMaxBytes;
      lp = new StreamListpack();
      lp.alloc = mallocSize(Math.max(prealloc, LP_HDR_SIZE + 1));
      lp.push('1');
      lp.push('0');
      lp.push(String(numfields));
      for (let i = 0; i < numfields; i++) lp.push(fv[i * 2]);
      lp.push('0');
      this.rax.insert(lpKey, lp);
      flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
    } else {
      master = streamDecodeID(lpKey);
      lp.set(0, String(lp.int(0) + 1));
      const masterFields = lp.int(2);
      steps.n += 3;
      if (numfields === masterFields) {
        let i = 0;
        for (; i < masterFields; i++) {
          steps.n++;
          if (lp.entries[3 + i] !== fv[i * 2]) break;
        }
        if (i === masterFields) flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
      }
    }

    const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
    lp.push(String(flags));
    lp.push(delta(id.ms, master.ms));
    lp.push(delta(id.seq, master.seq));
    if (!same) lp.push(String(numfields));
    for (let i = 0; i < numfields; i++) {
      if (!same) lp.push(fv[i * 2]);
      lp.push(fv[i * 2 + 1]);
    }
    let lpCount = numfields + 3;
    if (!same) lpCount += numfields + 1;
    lp.push(String(lpCount));

    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return id;
  }

  /**
   * streamTrim: delete from the head by MAXLEN or MINID; whole nodes first, then (unless approx)
   * entries of the first remaining node are flagged deleted. Returns the entries deleted.
   */
  trim(args: TrimArgs): number {
    const it = this.rax.iterator();
    it.seek('^');
    let deleted = 0;
    while (it.next()) {
      if (args.strategy === 'maxlen' && BigInt(this.length) <= args.maxlen) break;
      let lp = it.data!;
      const entries = lp.int(0);
      steps.n++;
      if (args.limit && BigInt(deleted + entries) > args.limit) break;

      let removeNode: boolean;
      let master = ZERO_ID;
      if (args.strategy === 'maxlen') {
        removeNode = BigInt(this.length - entries) >= args.maxlen;
      } else {
        master = streamDecodeID(it.key);
        const last = lpGetEdgeStreamID(lp, false, master) ?? ZERO_ID;
        removeNode = streamCompareID(last, args.minid) < 0;
      }
      if (removeNode) {
        this.rax.remove(it.key);
        it.seek('>=', it.key);
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;

      // Flag entries of this node deleted.
      const mfc = lp.int(2);
      let p = firstEntryPos(lp);
      let deletedFromLp = 0;
      while (p < lp.entries.length) {
        const flags = lp.int(p);
        steps.n += 3;
        let stop: boolean;
        if (args.strategy === 'maxlen') stop = BigInt(this.length) <= args.maxlen;
        else stop = streamCompareID(entryID(lp, p, master), args.minid) >= 0;
        if (stop) break;
        const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
        const n = same ? mfc : lp.int(p + 3);
        const next = p + 3 + (same ? n : 1 + 2 * n) + 1;
        steps.n += next - p - 3;
        if (!(flags & STREAM_ITEM_FLAG_DELETED)) {
          lp.set(p, String(flags | STREAM_ITEM_FLAG_DELETED));
          deletedFromLp++;
          this.length--;
        }
        p = next;
      }
      deleted += deletedFromLp;
      lp = it.data!;
      lp.set(0, String(entries - deletedFromLp));
      lp.set(1, String(lp.int(1) + deletedFromLp));
      break;
    }
    if (this.length === 0) this.firstId = ZERO_ID;
    else if (deleted) this.firstId = this.getEdgeID(true, true);
    return deleted;
  }

  /** streamGetEdgeID: the first or last entry's ID (tombstones optional); max / 0-0 when none. */
  getEdgeID(first: boolean, skipTombstones: boolean): StreamID {
    const si = new StreamIterator(this, null, null, !first);
    si.skipTombstones = skipTombstones;
    const id = si.next();
    if (id === null) return first ? MAX_ID : ZERO_ID;
    return id;
  }

  /** streamLastValidID: the last live entry's ID (0-0 when empty). */
  lastValidID(): StreamID {
    const si = new StreamIterator(this, null, null, true);
    return si.next() ?? ZERO_ID;
  }

  /** streamEntryExists: a live entry with this ID. */
  entryExists(id: StreamID): boolean {
    const si = new StreamIterator(this, id, id, false);
    return si.next() !== null;
  }

  /** streamDeleteItem: flag the entry deleted (the node goes with its last live entry). */
  deleteItem(id: StreamID): boolean {
    const si = new StreamIterator(this, id, id, false);
    const found = si.next();
    if (found === null) return false;
    si.removeEntry(found);
    return true;
  }

  // ------------------------------------------------------------------ consumer groups

  /** streamCreateCG: null if the name exists. */
  createCG(name: string, id: StreamID, entriesRead: bigint): StreamCG | null {
    if (this.cgroups === null) this.cgroups = new Rax<StreamCG>();
    if (this.cgroups.has(name)) return null;
    const cg = new StreamCG(id, entriesRead);
    this.cgroups.insert(name, cg);
    return cg;
  }

  lookupCG(name: string): StreamCG | null {
    if (this.cgroups === null) return null;
    return this.cgroups.find(name) ?? null;
  }

  /** streamCreateConsumer: null if the name exists. */
  static createConsumer(cg: StreamCG, name: string, now: number): StreamConsumer | null {
    const consumer = new StreamConsumer(name, now);
    if (!cg.consumers.tryInsert(name, consumer)) return null;
    return consumer;
  }

  /** streamLookupConsumer; refreshes the seen time unless told not to (SLC_NO_REFRESH). */
  static lookupConsumer(cg: StreamCG, name: string, now: number, refresh = true): StreamConsumer | null {
    const consumer = cg.consumers.find(name) ?? null;
    if (consumer && refresh) consumer.seenTime = now;
    return consumer;
  }

  /** streamDelConsumer: its pending entries leave the group PEL too. */
  static delConsumer(cg: StreamCG, consumer: StreamConsumer): void {
    consumer.pel.forEach((key) => { cg.pel.remove(key); });
    cg.consumers.remove(consumer.name);
  }

  /** streamRangeHasTombstones: is there a deleted entry between start and end (null: open)? */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    if (!this.length || streamIDEqZero(this.maxDeletedEntryId)) return false;
    // The latest tombstone is before the first entry.
    if (streamCompareID(this.firstId, this.maxDeletedEntryId) > 0) return false;
    const s = start ?? ZERO_ID;
    const e = end ?? MAX_ID;
    return streamCompareID(s, this.maxDeletedEntryId) <= 0 && streamCompareID(this.maxDeletedEntryId, e) <= 0;
  }

  /**
   * streamEstimateDistanceFromFirstEverEntry: the read counter of `id` (entries from the first
   * ever added), or SCG_INVALID_ENTRIES_READ when deletions make it unknown.
   */
  estimateDistanceFromFirstEverEntry(id: StreamID): bigint {
    if (!this.entriesAdded) return 0n;
    if (!this.length && streamCompareID(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = streamCompareID(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return SCG_INVALID_ENTRIES_READ;
    const cmpIdFirst = streamCompareID(id, this.firstId);
    const cmpXdelFirst = streamCompareID(this.maxDeletedEntryId, this.firstId);
    if (streamIDEqZero(this.maxDeletedEntryId) || cmpXdelFirst < 0) {
      if (cmpIdFirst < 0) return this.entriesAdded - BigInt(this.length);
      if (cmpIdFirst === 0) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return SCG_INVALID_ENTRIES_READ;
  }

  /** streamReplyWithCGLag's computation (7.0): the group's lag, or null when it cannot be known. */
  cgLag(cg: StreamCG): bigint | null {
    if (!this.entriesAdded) return 0n;
    if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !this.rangeHasTombstones(cg.lastId, null)) {
      return this.entriesAdded - cg.entriesRead;
    }
    const read = this.estimateDistanceFromFirstEverEntry(cg.lastId);
    if (read !== SCG_INVALID_ENTRIES_READ) return this.entriesAdded - read;
    return null;
  }

  // ------------------------------------------------------------------ copy

  /** streamDup (COPY): nodes copied at their exact size, groups, PELs and consumers rebuilt in order. */
  clone(): Stream {
    const n = new Stream();
    this.rax.forEach((key, lp) => { n.rax.insert(key, lp.copy()); });
    n.length = this.length;
    n.firstId = this.firstId;
    n.lastId = this.lastId;
    n.maxDeletedEntryId = this.maxDeletedEntryId;
    n.entriesAdded = this.entriesAdded;
    if (this.cgroups === null) return n;
    this.cgroups.forEach((name, cg) => {
      const ncg = n.createCG(name, cg.lastId, cg.entriesRead)!;
      cg.pel.forEach((key, nack) => { ncg.pel.insert(key, new StreamNACK(nack.deliveryTime, nack.deliveryCount, null)); });
      cg.consumers.forEach((cname, consumer) => {
        const nc = new StreamConsumer(consumer.name, consumer.seenTime);
        ncg.consumers.insert(cname, nc);
        consumer.pel.forEach((key) => {
          const nack = ncg.pel.find(key)!;
          nack.consumer = nc;
          nc.pel.insert(key, nack);
        });
      });
    });
    return n;
  }
}

// ====================================================================== the iterator

/**
 * streamIterator: entries from `start` to `end` (inclusive, null: open), forward or reversed,
 * skipping tombstones unless told otherwise. next() returns the next entry's ID (or null at the
 * end), fields() its field/value pairs.
 */
export class StreamIterator {
  skipTombstones = true;
  private startKey: string;
  private endKey: string;
  private ri;
  private lp: StreamListpack | null = null;
  private lpKey = '';
  private master: StreamID = ZERO_ID;
  private masterFields = 0;
  /** Forward: index of the next entry's flags. Reverse: index of the next entry's lp-count. */
  private cursor = 0;
  /** The current entry: flags index, flags, where its values start, field count. */
  private entryPos = 0;
  private entryFlags = 0;
  private valuesPos = 0;
  private numfields = 0;

  constructor(private readonly s: Stream, start: StreamID | null, end: StreamID | null, private readonly rev: boolean) {
    this.startKey = streamEncodeID(start ?? ZERO_ID);
    this.endKey = streamEncodeID(end ?? MAX_ID);
    this.ri = s.rax.iterator();
    this.seek(start, end);
  }

  private seek(start: StreamID | null, end: StreamID | null): void {
    const ri = this.ri;
    if (!this.rev) {
      if (start && !streamIDEqZero(start)) {
        ri.seek('<=', this.startKey);
        if (ri.eof()) ri.seek('^');
      } else ri.seek('^');
    } else {
      if (end && !streamIDEqZero(end)) {
        ri.seek('<=', this.endKey);
        if (ri.eof()) ri.seek('$');
      } else ri.seek('$');
    }
    this.lp = null;
  }

  /** streamIteratorGetID: the next entry in range, or null. */
  next(): StreamID | null {
    for (;;) {
      if (this.lp === null) {
        if (!this.rev ? !this.ri.next() : !this.ri.prev()) return null;
        this.lpKey = this.ri.key;
        this.master = streamDecodeID(this.lpKey);
        this.lp = this.ri.data!;
        this.masterFields = this.lp.int(2);
        this.cursor = !this.rev ? firstEntryPos(this.lp) : this.lp.entries.length - 1;
        steps.n += 3;
      }
      const lp = this.lp;
      const e = lp.entries;
      for (;;) {
        let p: number;
        if (!this.rev) {
          if (this.cursor >= e.length) break;
          p = this.cursor;
        } else {
          const lpCount = lp.int(this.cursor);
          steps.n++;
          if (lpCount === 0) break; // the master entry
          p = this.cursor - lpCount;
        }
        const flags = lp.int(p);
        const id = entryID(lp, p, this.master);
        const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
        const n = same ? this.masterFields : lp.int(p + 3);
        const valuesPos = p + 3 + (same ? 0 : 1);
        const end = valuesPos + (same ? n : 2 * n);
        steps.n += end - p + 1;
        if (!this.rev) this.cursor = end + 1;
        else this.cursor = p - 1;
        const key = streamEncodeID(id);
        if (!this.skipTombstones || !(flags & STREAM_ITEM_FLAG_DELETED)) {
          if (!this.rev) {
            if (key >= this.startKey) {
              if (key > this.endKey) return null;
              return this.setCurrent(p, flags, valuesPos, n, id);
            }
          } else if (key <= this.endKey) {
            if (key < this.startKey) return null;
            return this.setCurrent(p, flags, valuesPos, n, id);
          }
        }
      }
      this.lp = null;
    }
  }

  private setCurrent(p: number, flags: number, valuesPos: number, n: number, id: StreamID): StreamID {
    this.entryPos = p;
    this.entryFlags = flags;
    this.valuesPos = valuesPos;
    this.numfields = n;
    return id;
  }

  /** The current entry's field/value pairs, flattened. */
  fields(): string[] {
    const e = this.lp!.entries;
    const out: string[] = [];
    const same = (this.entryFlags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
    for (let i = 0; i < this.numfields; i++) {
      if (same) out.push(e[3 + i], e[this.valuesPos + i]);
      else out.push(e[this.valuesPos + 2 * i], e[this.valuesPos + 2 * i + 1]);
    }
    steps.n += this.numfields * 2;
    return out;
  }

  /** streamIteratorRemoveEntry: flag the current entry deleted, then re-seek past it. */
  removeEntry(current: StreamID): void {
    const lp = this.lp!;
    lp.set(this.entryPos, String(this.entryFlags | STREAM_ITEM_FLAG_DELETED));
    const live = lp.int(0);
    if (live === 1) {
      this.s.rax.remove(this.lpKey);
    } else {
      lp.set(0, String(live - 1));
      lp.set(1, String(lp.int(1) + 1));
    }
    this.s.length--;
    let start: StreamID, end: StreamID;
    if (this.rev) { start = streamDecodeID(this.startKey); end = current; }
    else { start = current; end = streamDecodeID(this.endKey); }
    this.startKey = streamEncodeID(start);
    this.endKey = streamEncodeID(end);
    this.ri = this.s.rax.iterator();
    this.seek(start, end);
  }
}
