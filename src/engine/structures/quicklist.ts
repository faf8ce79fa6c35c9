/**
 * Quicklist (as src/quicklist.c in Redis 7.0): a doubly linked list of nodes, each holding a
 * listpack. A node grows until list-max-listpack-size says it is full (negative fill: -1..-5 =
 * 4/8/16/32/64 KB of listpack bytes; positive fill: an entry count, with the 8 KB safety limit);
 * then a push creates a new node. Inserting in the middle of a full node splits it and merges the
 * neighbours again when they fit (_quicklistMergeNodes). Elements of at least `packedThreshold`
 * bytes (1 GB, as Redis; DEBUG QUICKLIST-PACKED-THRESHOLD changes it) live alone in a PLAIN node.
 *
 * Steps are counted while working: one per node visited, one per listpack entry crossed (the
 * listpack counts its own walks). No command knowledge.
 *
 * Compression (list-compress-depth): nodes are compressed and decompressed exactly when Redis does it
 * (__quicklistCompress, quicklistDecompressNodeForUse, quicklistRecompressOnly ... at the same call
 * sites), but only the size is modelled: a compressed node keeps its entries readable and records the
 * length of the LZF data of its listpack bytes (`lzfSz`, as lzf_compress with a clean hash table),
 * which MEMORY USAGE reads. No steps are counted for it. The visualizer's `wouldCompress` is the
 * depth rule alone.
 */
import { Listpack } from './listpack';
import { steps, tracing } from '../trace';
import { lzfCompress } from '../persistence/lzf';
import { listpackSerialize } from '../persistence/codec';

/** Byte limits of the negative fill values -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** Largest listpack of several entries when the fill is a count (8 KB). */
export const SIZE_SAFETY_LIMIT = 8192;
/** Estimated bytes added by one entry beyond its length (Redis 7.0 overestimates). */
export const SIZE_ESTIMATE_OVERHEAD = 8;
const FILL_MAX = (1 << 15) - 1;
const COMPRESS_MAX = (1 << 16) - 1;
/** __quicklistCompressNode: listpacks below this are not compressed; a compression must save more than this. */
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;
/** sizeof(quicklistLZF) before its data (size_t sz). */
export const QUICKLIST_LZF_HEADER = 8;

let packedThreshold = 1 << 30;

/** DEBUG QUICKLIST-PACKED-THRESHOLD: 0 restores 1 GB; above 4 GB - 1 MB refused (returns false). */
export function setPackedThreshold(sz: number): boolean {
  if (sz > 2 ** 32 - 2 ** 20) return false;
  packedThreshold = sz === 0 ? 1 << 30 : sz;
  return true;
}
export function getPackedThreshold(): number { return packedThreshold; }

function isLargeElement(sz: number): boolean { return sz >= packedThreshold; }

export class QuicklistNode {
  prev: QuicklistNode | null = null;
  next: QuicklistNode | null = null;
  constructor(
    /** Stable id for the visualizer (unique within its quicklist). */
    public readonly id: number,
    /** The entries of a PACKED node; null for a PLAIN node. */
    public lp: Listpack | null,
    /** The value of a PLAIN node. */
    public plain: string | null = null,
  ) {}

  /** LZF-compressed (node->encoding == LZF): only the size is modelled, the entries stay readable. */
  compressed = false;
  /** Decompressed for use: compress again when done (node->recompress). */
  recompress = false;
  /** Bytes of the LZF data while compressed (quicklistLZF->sz). */
  lzfSz = 0;
  /** Last LZF size computed, for the listpack at this version (a recompression of unchanged bytes). */
  private lzfOf: Listpack | null = null;
  private lzfVersion = -1;
  private lzfLast = 0;

  get isPlain(): boolean { return this.lp === null; }
  /** Entries in this node. */
  get count(): number { return this.lp ? this.lp.entries.length : 1; }
  /** Bytes of the node's listpack (or of the plain value), as node->sz. */
  get sz(): number { return this.lp ? this.lp.bytes : (this.plain as string).length; }
  /** Bytes allocated for node->entry: the quicklistLZF (header + data) while compressed, else the listpack. */
  get entryBytes(): number { return this.compressed ? QUICKLIST_LZF_HEADER + this.lzfSz : this.sz; }

  /** lzf_compress(listpack, sz, out, sz): the compressed length, 0 when it does not fit in sz bytes. */
  lzfLength(): number {
    const lp = this.lp!;
    if (this.lzfOf !== lp || this.lzfVersion !== lp.version) {
      const out = lzfCompress(listpackSerialize(lp.entries), lp.bytes);
      this.lzfOf = lp;
      this.lzfVersion = lp.version;
      this.lzfLast = out ? out.length : 0;
    }
    return this.lzfLast;
  }
}

/** An element reached by an iterator: its node and its (non-negative) offset in the node. */
export interface QlEntry { node: QuicklistNode; offset: number; value: string }

export type Where = 'head' | 'tail';

export class Quicklist {
  head: QuicklistNode | null = null;
  tail: QuicklistNode | null = null;
  /** Number of nodes (quicklist->len). */
  len = 0;
  /** Number of entries (quicklist->count). */
  count = 0;
  fill = -2;
  compress = 0;
  private nextId = 1;

  constructor(fill = -2, compress = 0) {
    this.setOptions(fill, compress);
  }

  setOptions(fill: number, compress: number): void {
    this.fill = fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
    this.compress = compress > COMPRESS_MAX ? COMPRESS_MAX : compress < 0 ? 0 : compress;
  }

  /** Number of elements. */
  get length(): number { return this.count; }
  /** Total bytes of the nodes' listpacks (MEMORY USAGE estimates). */
  get size(): number {
    let b = 0;
    for (let n = this.head; n; n = n.next) b += n.sz;
    return b;
  }

  // ---------------------------------------------------------------- nodes

  private createNode(lp: Listpack | null, plain: string | null = null): QuicklistNode {
    const node = new QuicklistNode(this.nextId++, lp, plain);
    if (tracing.sink) tracing.sink.push({ k: 'ql.createNode', node: node.id });
    return node;
  }

  /** Link `node` after (or before) `old` (null: the list is empty). */
  private insertNode(old: QuicklistNode | null, node: QuicklistNode, after: boolean): void {
    if (after) {
      node.prev = old;
      if (old) {
        node.next = old.next;
        if (old.next) old.next.prev = node;
        old.next = node;
      }
      if (this.tail === old) this.tail = node;
    } else {
      node.next = old;
      if (old) {
        node.prev = old.prev;
        if (old.prev) old.prev.next = node;
        old.prev = node;
      }
      if (this.head === old) this.head = node;
    }
    if (this.len === 0) this.head = this.tail = node;
    this.len++;
    if (old) this.compressFor(old);
    this.compressFor(node);
  }

  private delNode(node: QuicklistNode): void {
    if (node.next) node.next.prev = node.prev;
    if (node.prev) node.prev.next = node.next;
    if (node === this.tail) this.tail = node.prev;
    if (node === this.head) this.head = node.next;
    this.len--;
    this.count -= node.count;
    // A node within the depth may have gone: the ends are decompressed, the next ones compressed.
    this.compressAround(null);
    if (tracing.sink) tracing.sink.push({ k: 'ql.deleteNode', node: node.id });
  }

  /** _quicklistNodeAllowInsert: may an element of `sz` bytes go into `node`? */
  static allowInsert(node: QuicklistNode | null, fill: number, sz: number): boolean {
    if (!node) return false;
    if (node.isPlain || isLargeElement(sz)) return false;
    const newSz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD;
    if (meetsOptimizationLevel(newSz, fill)) return true;
    if (newSz > SIZE_SAFETY_LIMIT) return false;
    return node.count < fill;
  }

  /** _quicklistNodeAllowMerge. */
  static allowMerge(a: QuicklistNode | null, b: QuicklistNode | null, fill: number): boolean {
    if (!a || !b) return false;
    if (a.isPlain || b.isPlain) return false;
    const mergeSz = a.sz + b.sz - 11;
    if (meetsOptimizationLevel(mergeSz, fill)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.count + b.count <= fill;
  }

  // ---------------------------------------------------------------- compression (list-compress-depth)

  /** __quicklistCompressNode: compress an interior node if it is big enough and LZF saves enough. */
  private compressNodeNow(node: QuicklistNode): void {
    // Redis asserts an interior node; a head or tail is never compressed.
    if (!node.prev || !node.next || node.isPlain) return;
    node.recompress = false;
    if (node.sz < MIN_COMPRESS_BYTES) return;
    const len = node.lzfLength();
    if (len === 0 || len + MIN_COMPRESS_IMPROVE >= node.sz) return;
    node.compressed = true;
    node.lzfSz = len;
  }

  /** quicklistCompressNode: compress a node that is not compressed. */
  private compressNode(node: QuicklistNode | null): void {
    if (node && !node.compressed) this.compressNodeNow(node);
  }

  /** quicklistDecompressNode. */
  private decompressNode(node: QuicklistNode | null): void {
    if (node && node.compressed) {
      node.recompress = false;
      node.compressed = false;
    }
  }

  /** quicklistDecompressNodeForUse: decompressed, to be compressed again when done. */
  decompressForUse(node: QuicklistNode | null): void {
    if (node && node.compressed) {
      node.compressed = false;
      node.recompress = true;
    }
  }

  /**
   * __quicklistCompress: the `compress` nodes at each end are uncompressed; `node` (when not among them)
   * and the first node past the depth at each end are compressed. Nothing when the list is shorter
   * than twice the depth.
   */
  private compressAround(node: QuicklistNode | null): void {
    if (this.len === 0 || this.compress === 0 || this.len < this.compress * 2) return;
    let forward = this.head!;
    let reverse = this.tail!;
    let depth = 0;
    let inDepth = false;
    while (depth++ < this.compress) {
      this.decompressNode(forward);
      this.decompressNode(reverse);
      if (forward === node || reverse === node) inDepth = true;
      if (forward === reverse || forward.next === reverse) return;
      forward = forward.next!;
      reverse = reverse.prev!;
    }
    if (!inDepth) this.compressNode(node);
    this.compressNode(forward);
    this.compressNode(reverse);
  }

  /** quicklistCompress: a node decompressed for use is compressed again, else __quicklistCompress. */
  compressFor(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node);
    else this.compressAround(node);
  }

  /** quicklistRecompressOnly. */
  private recompressOnly(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node);
  }

  // ---------------------------------------------------------------- push / pop

  /** Push at the head; returns true if a new head node was created. */
  pushHead(v: string): boolean { return this.push(v, 'head'); }
  /** Push at the tail; returns true if a new tail node was created. */
  pushTail(v: string): boolean { return this.push(v, 'tail'); }

  push(v: string, where: Where): boolean {
    const atHead = where === 'head';
    const node = atHead ? this.head : this.tail;
    if (node) {
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: node.id, count: node.count });
    }
    if (isLargeElement(v.length)) {
      const plain = this.createNode(null, v);
      this.insertNode(node, plain, !atHead);
      this.count++;
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: plain.id, index: 0, value: v });
      return true;
    }
    let target: QuicklistNode;
    let created = false;
    let index: number;
    if (Quicklist.allowInsert(node, this.fill, v.length)) {
      target = node!;
      index = atHead ? 0 : target.lp!.entries.length;
      target.lp!.insert(index, v);
    } else {
      // The new node holds the value before it is linked (linking compresses around it).
      target = this.createNode(new Listpack());
      index = 0;
      target.lp!.insert(0, v);
      this.insertNode(node, target, !atHead);
      created = true;
    }
    this.count++;
    if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: target.id, index, value: v });
    return created;
  }

  /** Pop from the head or the tail; null when empty. */
  pop(where: Where): string | null {
    if (this.count === 0) return null;
    const node = (where === 'head' ? this.head : this.tail)!;
    steps.n++;
    if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: node.id, count: node.count });
    const offset = where === 'head' ? 0 : node.count - 1;
    const v = node.isPlain ? node.plain! : node.lp!.get(offset)!;
    this.delIndex(node, offset);
    return v;
  }

  /** Delete the entry at `offset` of `node`; returns true if the node was deleted. */
  delIndex(node: QuicklistNode, offset: number): boolean {
    if (tracing.sink) tracing.sink.push({ k: 'ql.delete', node: node.id, index: offset });
    if (node.isPlain) {
      steps.n++;
      this.delNode(node);
      return true;
    }
    node.lp!.delete(offset, 1);
    this.count--;
    if (node.lp!.entries.length === 0) {
      this.delNode(node);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- index lookup

  /**
   * quicklistGetIteratorAtIdx's seek: the node holding element `idx` (negative from the tail) and
   * the offset in it, walking node by node from the nearer end (one step per node visited).
   */
  locate(idx: number): { node: QuicklistNode; offset: number } | null {
    const forward = idx >= 0;
    const index = forward ? idx : -idx - 1;
    if (index >= this.count) return null;
    let seekForward = forward;
    let seekIndex = index;
    if (index > Math.floor((this.count - 1) / 2)) {
      seekForward = !forward;
      seekIndex = this.count - 1 - index;
    }
    let n = seekForward ? this.head : this.tail;
    let accum = 0;
    while (n) {
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: n.id, count: n.count });
      if (accum + n.count > seekIndex) break;
      accum += n.count;
      n = seekForward ? n.next : n.prev;
    }
    if (!n) return null;
    // Position of the element from the head, and of the node's first element.
    const abs = forward ? index : this.count - 1 - index;
    const nodeStart = seekForward ? accum : this.count - accum - n.count;
    return { node: n, offset: abs - nodeStart };
  }

  /** Read the entry at `offset` of `node` (lpSeek from the nearer end: steps per entry crossed). */
  private read(node: QuicklistNode, offset: number): string {
    if (node.isPlain) { steps.n++; return node.plain!; }
    const v = node.lp!.get(offset)!;
    if (tracing.sink) tracing.sink.push({ k: 'ql.visitEntry', node: node.id, index: offset });
    return v;
  }

  /** The element at `idx` (negative counts from the tail), or null. */
  index(idx: number): string | null {
    const loc = this.locate(idx);
    if (!loc) return null;
    // quicklistGetIteratorEntryAtIdx (decompress for use), then quicklistReleaseIterator.
    this.decompressForUse(loc.node);
    const v = this.read(loc.node, loc.offset);
    this.compressFor(loc.node);
    return v;
  }

  /** The entry at `idx` with its node, or null. */
  entryAt(idx: number): QlEntry | null {
    const loc = this.locate(idx);
    if (!loc) return null;
    return { node: loc.node, offset: loc.offset, value: this.read(loc.node, loc.offset) };
  }

  // ---------------------------------------------------------------- iterators

  /** Iterator from the head or the tail. */
  iterator(direction: Where = 'head'): QuicklistIter {
    const node = direction === 'head' ? this.head : this.tail;
    if (node) {
      steps.n++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: node.id, count: node.count });
    }
    return new QuicklistIter(this, direction, node, node ? (direction === 'head' ? 0 : node.count - 1) : 0);
  }

  /** Iterator starting at element `idx` (negative from the tail); null if out of range. */
  iteratorAt(idx: number, direction: Where): QuicklistIter | null {
    const loc = this.locate(idx);
    if (!loc) return null;
    return new QuicklistIter(this, direction, loc.node, loc.offset);
  }

  // ---------------------------------------------------------------- insert / replace

  /**
   * _quicklistInsert: insert `v` before or after `entry` (null entry: the list is empty). Splits a
   * full node and merges neighbours as Redis does.
   */
  insert(entry: { node: QuicklistNode; offset: number } | null, v: string, after: boolean): void {
    const sz = v.length;
    const fill = this.fill;
    if (!entry) {
      const nn = isLargeElement(sz) ? this.createNode(null, v) : this.createNode(Listpack.from([v]));
      steps.n++;
      this.insertNode(isLargeElement(sz) ? this.tail : null, nn, after);
      this.count++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: nn.id, index: 0, value: v });
      return;
    }
    const node = entry.node;
    const offset = entry.offset;
    const full = !Quicklist.allowInsert(node, fill, sz);
    let atTail = false, atHead = false, availNext = false, availPrev = false;
    if (after && offset === node.count - 1) {
      atTail = true;
      if (Quicklist.allowInsert(node.next, fill, sz)) availNext = true;
    }
    if (!after && offset === 0) {
      atHead = true;
      if (Quicklist.allowInsert(node.prev, fill, sz)) availPrev = true;
    }

    if (isLargeElement(sz)) {
      const plain = this.createNode(null, v);
      steps.n++;
      if (node.isPlain || (atTail && after) || (atHead && !after)) {
        this.insertNode(node, plain, after);
      } else {
        this.decompressForUse(node);
        const nn = this.split(node, offset, after);
        this.insertNode(node, plain, after);
        this.insertNode(plain, nn, after);
      }
      this.count++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: plain.id, index: 0, value: v });
      return;
    }

    let target: QuicklistNode;
    let index: number;
    if (!full) {
      target = node;
      index = after ? offset + 1 : offset;
      this.decompressForUse(node);
      node.lp!.insert(index, v);
      this.recompressOnly(node);
    } else if (atTail && availNext && after) {
      target = node.next!;
      index = 0;
      this.decompressForUse(target);
      target.lp!.insert(0, v);
      this.recompressOnly(target);
      this.recompressOnly(node);
    } else if (atHead && availPrev && !after) {
      target = node.prev!;
      index = target.lp!.entries.length;
      this.decompressForUse(target);
      target.lp!.insert(index, v);
      this.recompressOnly(target);
      this.recompressOnly(node);
    } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
      target = this.createNode(new Listpack());
      index = 0;
      target.lp!.insert(0, v);
      this.insertNode(node, target, after);
    } else {
      this.decompressForUse(node);
      target = this.split(node, offset, after);
      index = after ? 0 : target.lp!.entries.length;
      target.lp!.insert(index, v);
      this.insertNode(node, target, after);
      this.count++;
      if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: target.id, index, value: v });
      this.mergeNodes(node);
      return;
    }
    this.count++;
    if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: target.id, index, value: v });
  }

  /**
   * quicklistAppendListpack / quicklistAppendPlainNode (RDB load, RESTORE): link a ready node at the
   * tail, compressing around it as Redis does. No steps.
   */
  appendNode(node: QuicklistNode): void {
    this.insertNode(this.tail, node, true);
    this.count += node.count;
  }

  insertBefore(entry: { node: QuicklistNode; offset: number }, v: string): void { this.insert(entry, v, false); }
  insertAfter(entry: { node: QuicklistNode; offset: number }, v: string): void { this.insert(entry, v, true); }

  /**
   * _quicklistSplitNode. after: the new node takes [offset+1, end] and `node` keeps [0, offset];
   * else the new node takes [0, offset-1] and `node` keeps [offset, end]. Not linked yet.
   */
  private split(node: QuicklistNode, offset: number, after: boolean): QuicklistNode {
    const lp = node.lp!;
    const moved = after ? lp.splice(offset + 1, lp.entries.length - offset - 1) : lp.splice(0, offset);
    const nn = this.createNode(moved);
    if (tracing.sink) tracing.sink.push({ k: 'ql.split', node: node.id, newNode: nn.id, offset, after });
    return nn;
  }

  /** _quicklistMergeNodes around `center`. */
  private mergeNodes(center: QuicklistNode): void {
    const fill = this.fill;
    let prev = center.prev, prevPrev = prev ? prev.prev : null;
    let next = center.next, nextNext = next ? next.next : null;
    if (Quicklist.allowMerge(prev, prevPrev, fill)) {
      this.lpMerge(prevPrev!, prev!);
      prev = prevPrev = null;
    }
    if (Quicklist.allowMerge(next, nextNext, fill)) {
      this.lpMerge(next!, nextNext!);
      next = nextNext = null;
    }
    let target: QuicklistNode;
    if (Quicklist.allowMerge(center, center.prev, fill)) {
      target = this.lpMerge(center.prev!, center);
    } else {
      target = center;
    }
    if (Quicklist.allowMerge(target, target.next, fill)) this.lpMerge(target, target.next!);
  }

  /** _quicklistListpackMerge: `a` is left of `b`; the node with the bigger listpack is kept. */
  private lpMerge(a: QuicklistNode, b: QuicklistNode): QuicklistNode {
    this.decompressNode(a);
    this.decompressNode(b);
    const keepA = a.sz >= b.sz;
    const keep = keepA ? a : b;
    const gone = keepA ? b : a;
    keep.lp!.merge(gone.lp!, keepA);
    if (tracing.sink) tracing.sink.push({ k: 'ql.merge', node: gone.id, into: keep.id });
    // The emptied node leaves the list; its entries now belong to `keep`.
    gone.lp = new Listpack();
    this.delNode(gone);
    this.compressFor(keep);
    return keep;
  }

  /** quicklistReplaceEntry. */
  replaceEntry(entry: { node: QuicklistNode; offset: number }, v: string): void {
    const node = entry.node;
    if (!node.isPlain && !isLargeElement(v.length)) {
      node.lp!.replace(entry.offset, v);
      if (tracing.sink) tracing.sink.push({ k: 'ql.insert', node: node.id, index: entry.offset, value: v, replace: true });
      this.compressFor(node);
    } else if (node.isPlain) {
      if (isLargeElement(v.length)) {
        steps.n++;
        node.plain = v;
        this.compressFor(node);
      } else {
        this.insert(entry, v, true);
        this.delNode(node);
      }
    } else {
      this.insert(entry, v, true);
      if (node.count === 1) this.delNode(node);
      else this.delIndex(node, node.count - 1);
    }
  }

  /** Replace the element at `idx`; false if out of range. */
  replaceAtIndex(idx: number, v: string): boolean {
    const loc = this.locate(idx);
    if (!loc) return false;
    // quicklistGetIteratorEntryAtIdx: the node is decompressed for use.
    this.decompressForUse(loc.node);
    if (!loc.node.isPlain) {
      // lpSeek to the entry (entries crossed).
      this.read(loc.node, loc.offset);
    }
    this.replaceEntry(loc, v);
    return true;
  }

  // ---------------------------------------------------------------- delete range

  /** quicklistDelRange: delete `count` elements from `start` (negative from the tail). */
  delRange(start: number, count: number): boolean {
    if (count <= 0) return false;
    let extent = count;
    if (start >= 0 && extent > this.count - start) extent = this.count - start;
    else if (start < 0 && extent > -start) extent = -start;
    const loc = this.locate(start);
    if (!loc) return false;
    // quicklistGetIteratorAtIdx then quicklistReleaseIterator: compresses around the first node.
    this.compressFor(loc.node);
    let node: QuicklistNode | null = loc.node;
    let offset = loc.offset;
    let first = true;
    while (extent > 0 && node) {
      const next: QuicklistNode | null = node.next;
      if (!first) {
        steps.n++;
        if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: node.id, count: node.count });
      }
      first = false;
      let del: number;
      const entire = offset === 0 && extent >= node.count;
      if (entire) del = node.count;
      else del = Math.min(node.count - offset, extent);
      if (entire || node.isPlain) {
        this.delNode(node);
      } else {
        if (tracing.sink) tracing.sink.push(del === 1 ? { k: 'ql.delete', node: node.id, index: offset } : { k: 'ql.delete', node: node.id, index: offset, n: del });
        this.decompressForUse(node);
        node.lp!.delete(offset, del);
        this.count -= del;
        if (node.lp!.entries.length === 0) this.delNode(node);
        else this.recompressOnly(node);
      }
      extent -= del;
      node = next;
      offset = 0;
    }
    return true;
  }

  // ---------------------------------------------------------------- copies and views

  /** Deep copy (COPY); node ids are kept. No steps. */
  clone(): Quicklist {
    const q = new Quicklist(this.fill, this.compress);
    for (let n = this.head; n; n = n.next) {
      const c = new QuicklistNode(n.id, n.lp ? n.lp.clone() : null, n.plain);
      // quicklistDup copies a compressed node as it is.
      c.compressed = n.compressed;
      c.lzfSz = n.lzfSz;
      q.insertNode(q.tail, c, true);
      q.count += c.count;
    }
    q.nextId = this.nextId;
    return q;
  }

  /** Every element, head to tail (no steps: for tests, snapshots and persistence). */
  toArray(): string[] {
    const out: string[] = [];
    for (let n = this.head; n; n = n.next) {
      if (n.lp) for (const e of n.lp.entries) out.push(e);
      else out.push(n.plain!);
    }
    return out;
  }

  /** Build from values, pushing at the tail (no steps). */
  static from(values: string[], fill = -2, compress = 0): Quicklist {
    const q = new Quicklist(fill, compress);
    const saved = steps.n;
    const sink = tracing.sink;
    tracing.sink = null;
    try { for (const v of values) q.pushTail(v); } finally { tracing.sink = sink; steps.n = saved; }
    return q;
  }

  /** Nodes for the visualizer: id, container, entry count, listpack bytes, entries. */
  snapshot(): { id: number; plain: boolean; count: number; sz: number; entries: string[]; compressed: boolean }[] {
    const out: { id: number; plain: boolean; count: number; sz: number; entries: string[]; compressed: boolean }[] = [];
    let i = 0;
    for (let n = this.head; n; n = n.next, i++) {
      out.push({
        id: n.id, plain: n.isPlain, count: n.count, sz: n.sz,
        entries: n.lp ? n.lp.entries.slice() : [n.plain!],
        compressed: this.wouldCompress(i),
      });
    }
    return out;
  }

  /** Would Redis keep node number `i` (from the head) LZF-compressed with this compress depth? (Not done here.) */
  wouldCompress(i: number): boolean {
    if (this.compress === 0 || this.len < this.compress * 2) return false;
    return i >= this.compress && i < this.len - this.compress;
  }
}

function meetsOptimizationLevel(sz: number, fill: number): boolean {
  if (fill >= 0) return false;
  const offset = -fill - 1;
  if (offset < OPTIMIZATION_LEVEL.length) return sz <= OPTIMIZATION_LEVEL[offset];
  return false;
}

/**
 * quicklistIter: walks entries forward ('head') or backward ('tail'). The first read after
 * creation or after a deletion seeks inside the listpack (entries crossed from the nearer end),
 * later reads move one entry (one step); moving to another node is one step.
 */
export class QuicklistIter {
  private seek = true;
  constructor(
    private ql: Quicklist,
    public direction: Where,
    public current: QuicklistNode | null,
    /** Offset (in `current`) of the next entry to return. */
    public offset: number,
  ) {}

  next(): QlEntry | null {
    const fwd = this.direction === 'head';
    while (this.current) {
      const node = this.current;
      if (this.offset >= 0 && this.offset < node.count) {
        const off = this.offset;
        let value: string;
        // quicklistNext: the first access to a node decompresses it for use.
        if (this.seek) this.ql.decompressForUse(node);
        if (node.isPlain) { steps.n++; value = node.plain!; }
        else if (this.seek) value = node.lp!.get(off)!;
        else { steps.n++; value = node.lp!.entries[off]; }
        this.seek = false;
        if (tracing.sink) tracing.sink.push({ k: 'ql.visitEntry', node: node.id, index: off });
        this.offset += fwd ? 1 : -1;
        return { node, offset: off, value };
      }
      // Leaving a node: compressed again (quicklistCompress).
      this.ql.compressFor(node);
      this.current = fwd ? node.next : node.prev;
      this.seek = true;
      if (this.current) {
        steps.n++;
        if (tracing.sink) tracing.sink.push({ k: 'ql.visitNode', node: this.current.id, count: this.current.count });
        this.offset = fwd ? 0 : this.current.count - 1;
      }
    }
    return null;
  }

  /**
   * quicklistReleaseIterator: the current node is compressed again. Call it when an iteration stops
   * before the end (not after an insert, which resets Redis's iterator).
   */
  release(): void {
    if (this.current) this.ql.compressFor(this.current);
    this.current = null;
  }

  /** quicklistDelEntry: delete the entry just returned; iteration continues with its neighbour. */
  delEntry(e: QlEntry): void {
    const fwd = this.direction === 'head';
    const prev = e.node.prev, next = e.node.next;
    const gone = this.ql.delIndex(e.node, e.offset);
    this.seek = true;
    if (gone) {
      this.current = fwd ? next : prev;
      if (this.current) this.offset = fwd ? 0 : this.current.count - 1;
    } else {
      this.offset = fwd ? e.offset : e.offset - 1;
    }
  }
}
