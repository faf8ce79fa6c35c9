/**
 * Snapshots for the visualizer: plain, structured-clone safe views of a key's value (by encoding)
 * and of a database's keyspace dict.
 *
 * Reading a snapshot never changes the engine: no rehash step, no lazy expiry, no LRU touch, no
 * step counted (dict chains are walked directly, never through Dict.findEntry). Large structures
 * are capped and windowed: a view never holds more than `maxNodes` entries, and says how many it
 * left out, so a snapshot stays small whatever the size of the key.
 *
 * Values and keys are byte strings, as everywhere in the engine (the UI decodes them for display).
 */
import { Dict, DictEntry } from './structures/dict';
import { Listpack } from './structures/listpack';
import { Stream, StreamIterator, streamIDString } from './structures/stream';
import { steps } from './trace';
import type { Db } from './db';
import type { RObj } from './object';

export interface SnapshotOptions {
  /** Most structure entries (dict entries, listpack entries, skiplist nodes ...) in one view. Default 64. */
  maxNodes?: number;
  /** Most buckets of one hash table in one view (a window around the focus). Default 32. */
  maxBuckets?: number;
  /** Centre the window on this key / field / member (its bucket, its listpack entry ...). */
  focus?: string;
  /** Longest value kept in a string view or an entry (bytes); longer ones are cut. Default 256. */
  maxValueBytes?: number;
}

export interface BucketView {
  index: number;
  /** The chain, head first (keys, fields or members). */
  keys: string[];
  /** Chain entries left out of `keys`. */
  more: number;
}

export interface DictTableView {
  /** Buckets in the table. */
  size: number;
  /** Entries in the table. */
  used: number;
  /** The window of buckets shown: [from, from + buckets.length). Every bucket of the window is listed, empty ones too. */
  from: number;
  buckets: BucketView[];
  /** Entries of this table not shown (outside the window or cut from chains). */
  omitted: number;
}

export interface DictView {
  kind: 'dict';
  /** The dict's name in trace events ("keyspace", "expires", or the key). */
  name: string;
  /** Table 0 and, while rehashing, table 1. */
  tables: [DictTableView, DictTableView | null];
  /** Next bucket of table 0 to move, -1 when not rehashing. */
  rehashidx: number;
  /** Entries in both tables. */
  used: number;
}

export interface ListpackView {
  kind: 'listpack';
  /** Entries shown: [from, from + entries.length). */
  from: number;
  entries: string[];
  /** Entries in the listpack. */
  total: number;
  /** Entries per logical element: 2 for hash (field, value) and zset (member, score), else 1. */
  group: 1 | 2;
  /** Bytes of the listpack as Redis encodes it. */
  bytes: number;
}

export interface IntsetView {
  kind: 'intset';
  /** Bytes per integer: 2, 4 or 8 (INTSET_ENC_INT16/32/64). */
  width: number;
  from: number;
  values: string[];
  total: number;
}

export interface SkiplistNodeView {
  member: string;
  score: number;
  /** Levels of the node (1..32). */
  level: number;
  /** Span of each level, level 0 first. */
  spans: number[];
  /** Rank (1-based). */
  rank: number;
}

export interface SkiplistView {
  kind: 'skiplist';
  /** Highest level in use. */
  level: number;
  length: number;
  /** Spans of the header's levels in use, level 0 first. */
  headerSpans: number[];
  /** Nodes shown: ranks [from + 1, from + nodes.length]. */
  from: number;
  nodes: SkiplistNodeView[];
  /** The member -> score dict of the skiplist encoding. */
  dict: DictView | null;
  /**
   * Set by snapshotSkiplistPath: `nodes` are not contiguous (the search path plus a window around
   * the target); each node's `rank` says where it is, hidden nodes are implied by the ranks.
   */
  sparse?: boolean;
}

export interface QuicklistNodeView {
  /** Stable node id (trace events name nodes by it). */
  id: number;
  count: number;
  bytes: number;
  plain: boolean;
  /** Entries shown: [from, from + entries.length). */
  from: number;
  entries: string[];
}

export interface QuicklistView {
  kind: 'quicklist';
  /** Nodes in the quicklist. */
  len: number;
  /** Elements in the quicklist. */
  count: number;
  /** Index of the first node shown. */
  from: number;
  nodes: QuicklistNodeView[];
  fill: number;
  compress: number;
}

export interface StringView {
  kind: 'string';
  value: string;
  /** Length in bytes of the whole value (value may be cut). */
  length: number;
}

export interface UnknownView {
  kind: 'unknown';
}

export interface StreamEntryView {
  id: string;
  /** Field, value, field, value ... (cut to maxValueBytes). */
  fields: string[];
}

export interface StreamGroupView {
  name: string;
  lastDeliveredId: string;
  /** Entries pending in the group's PEL. */
  pending: number;
  consumers: { name: string; pending: number }[];
}

/** A stream: its entries (the first `maxNodes`, in ID order), its radix tree sizes and its groups. */
export interface StreamView {
  kind: 'stream';
  length: number;
  lastId: string;
  /** Listpack nodes (keys of the radix tree) and radix tree nodes. */
  radixTreeKeys: number;
  radixTreeNodes: number;
  entries: StreamEntryView[];
  /** Entries left out of `entries`. */
  more: number;
  groups: StreamGroupView[];
}

export type StructView = DictView | ListpackView | IntsetView | SkiplistView | QuicklistView | StringView | StreamView | UnknownView;

export interface KeySnapshot {
  key: string;
  type: string;
  encoding: string;
  /** Absolute expiry time in ms, -1 without TTL. */
  expireAt: number;
  value: StructView;
}

const DEFAULTS = { maxNodes: 64, maxBuckets: 32, maxValueBytes: 256 };

function opts(o?: SnapshotOptions): Required<Omit<SnapshotOptions, 'focus'>> & { focus?: string } {
  return {
    maxNodes: Math.max(1, Math.floor(o?.maxNodes ?? DEFAULTS.maxNodes)),
    maxBuckets: Math.max(1, Math.floor(o?.maxBuckets ?? DEFAULTS.maxBuckets)),
    maxValueBytes: Math.max(1, Math.floor(o?.maxValueBytes ?? DEFAULTS.maxValueBytes)),
    focus: o?.focus,
  };
}

/** A window of `size` items out of `total`, containing `focus` when given (else from the start). */
export function windowAround(total: number, size: number, focus: number | null): number {
  if (total <= size) return 0;
  if (focus === null || focus < 0) return 0;
  let from = focus - Math.floor(size / 2);
  if (from < 0) from = 0;
  if (from > total - size) from = total - size;
  return from;
}

function cut(v: string, max: number): string {
  return v.length > max ? v.slice(0, max) : v;
}

// ---------------------------------------------------------------- dict

/** Find a key's entry without side effects: no rehash step, no steps counted. */
export function peekDict<V>(d: Dict<V>, key: string): DictEntry<V> | null {
  const h = d.hash(key);
  for (const t of [d.ht0, d.ht1]) {
    if (t.length === 0) continue;
    for (let e = t[h & (t.length - 1)]; e; e = e.next) if (e.key === key) return e;
  }
  return null;
}

function tableView<V>(t: (DictEntry<V> | null)[], used: number, focusBucket: number | null, o: ReturnType<typeof opts>, budget: { n: number }): DictTableView {
  const size = t.length;
  const nb = Math.min(size, o.maxBuckets);
  const from = windowAround(size, nb, focusBucket);
  const buckets: BucketView[] = [];
  let shown = 0;
  for (let i = from; i < from + nb; i++) {
    const keys: string[] = [];
    let more = 0;
    for (let e = t[i]; e; e = e.next) {
      if (budget.n > 0) { keys.push(cut(e.key, o.maxValueBytes)); budget.n--; shown++; } else more++;
    }
    buckets.push({ index: i, keys, more });
  }
  return { size, used, from, buckets, omitted: used - shown };
}

/** A view of a dict: both tables while rehashing, windowed around the focus key's bucket. */
export function snapshotDict<V>(d: Dict<V>, options?: SnapshotOptions): DictView {
  const o = opts(options);
  const h = o.focus !== undefined ? d.hash(o.focus) : null;
  const fb = (t: unknown[]) => (h === null || t.length === 0 ? null : h & (t.length - 1));
  // Budget: table 0 first, but keep room for table 1 while rehashing.
  const rehashing = d.rehashidx !== -1;
  const b0 = { n: rehashing ? Math.ceil(o.maxNodes / 2) : o.maxNodes };
  const t0 = tableView(d.ht0, d.used0, fb(d.ht0), o, b0);
  let t1: DictTableView | null = null;
  if (rehashing) {
    const b1 = { n: o.maxNodes - Math.ceil(o.maxNodes / 2) + b0.n };
    t1 = tableView(d.ht1, d.used1, fb(d.ht1), o, b1);
  }
  return { kind: 'dict', name: d.name, tables: [t0, t1], rehashidx: d.rehashidx, used: d.used0 + d.used1 };
}

// ---------------------------------------------------------------- other encodings

function snapshotListpack(lp: Listpack, group: 1 | 2, o: ReturnType<typeof opts>): ListpackView {
  const total = lp.entries.length;
  let size = Math.min(total, o.maxNodes);
  if (group === 2) size -= size % 2;
  let focus: number | null = null;
  if (o.focus !== undefined) {
    for (let i = 0; i < total; i += group) if (lp.entries[i] === o.focus) { focus = i; break; }
  }
  let from = windowAround(total, size, focus);
  if (group === 2) from -= from % 2;
  const entries = lp.entries.slice(from, from + size).map((v) => cut(v, o.maxValueBytes));
  return { kind: 'listpack', from, entries, total, group, bytes: lp.bytes };
}

/** Read an intset defensively (structures/intset.ts may expose its values in several shapes). */
function snapshotIntset(p: any, o: ReturnType<typeof opts>): IntsetView {
  let values: unknown[] = [];
  if (typeof p?.toArray === 'function') values = Array.from(p.toArray() as Iterable<unknown>);
  else if (Array.isArray(p?.values) || ArrayBuffer.isView(p?.values)) values = Array.from(p.values as ArrayLike<unknown>);
  else if (Array.isArray(p?.contents) || ArrayBuffer.isView(p?.contents)) values = Array.from(p.contents as ArrayLike<unknown>);
  else if (typeof p?.values === 'function') values = Array.from(p.values() as Iterable<unknown>);
  else if (p && typeof p[Symbol.iterator] === 'function') values = Array.from(p as Iterable<unknown>);
  if (typeof p?.length === 'number' && p.length < values.length) values = values.slice(0, p.length);
  let width = typeof p?.encoding === 'number' ? p.encoding : typeof p?.width === 'number' ? p.width : 2;
  if (width > 8) width /= 8; // given in bits
  const strs = values.map((v) => String(v));
  const size = Math.min(strs.length, o.maxNodes);
  const focus = o.focus !== undefined ? strs.indexOf(o.focus) : null;
  const from = windowAround(strs.length, size, focus);
  return { kind: 'intset', width, from, values: strs.slice(from, from + size), total: strs.length };
}

/** A skiplist node's spans, level 0 first (nodes keep their levels flattened: see ZslNode). */
function nodeSpans(x: { level: number; span(i: number): number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.level; i++) out.push(x.span(i));
  return out;
}

function snapshotSkiplist(z: any, o: ReturnType<typeof opts>): SkiplistView {
  const zsl = z.zsl;
  const header = zsl.header;
  const all: { member: string; score: number; level: number; span(i: number): number }[] = [];
  let focus: number | null = null;
  let rank = 0;
  const size = Math.min(zsl.length as number, o.maxNodes);
  // Walk level 0 only as far as needed (the window ends at most `size` nodes after the focus).
  for (let x = header.forward0; x; x = x.forward0) {
    if (o.focus !== undefined && focus === null && x.member === o.focus) focus = rank;
    all.push(x);
    rank++;
    if (focus === null ? (o.focus === undefined && rank >= size) : rank >= focus + size) break;
  }
  const from = windowAround(zsl.length, size, focus);
  const nodes: SkiplistNodeView[] = [];
  for (let i = from; i < Math.min(from + size, all.length); i++) {
    const x = all[i];
    nodes.push({ member: cut(x.member, o.maxValueBytes), score: x.score, level: x.level, spans: nodeSpans(x), rank: i + 1 });
  }
  const headerSpans: number[] = [];
  for (let i = 0; i < zsl.level; i++) headerSpans.push(header.span(i));
  const dict = z.dict instanceof Dict ? snapshotDict(z.dict, { maxNodes: o.maxNodes, maxBuckets: o.maxBuckets, focus: o.focus, maxValueBytes: o.maxValueBytes }) : null;
  return { kind: 'skiplist', level: zsl.level, length: zsl.length, headerSpans, from, nodes, dict };
}

function snapshotQuicklist(ql: any, o: ReturnType<typeof opts>): QuicklistView {
  const all: any[] = [];
  for (let n = ql.head; n; n = n.next) all.push(n);
  // Node window: as many nodes as the entry budget allows (at least one), from the head.
  let budget = o.maxNodes;
  const nodes: QuicklistNodeView[] = [];
  const maxNodesShown = Math.max(1, Math.min(all.length, Math.ceil(o.maxNodes / 4)));
  const from = 0;
  for (let i = from; i < all.length && nodes.length < maxNodesShown; i++) {
    const n = all[i];
    const entries: string[] = [];
    const src: string[] = n.lp ? n.lp.entries : [n.plain ?? ''];
    const take = Math.max(0, Math.min(src.length, budget, Math.ceil(o.maxNodes / Math.min(all.length, maxNodesShown))));
    for (let j = 0; j < take; j++) entries.push(cut(src[j], o.maxValueBytes));
    budget -= take;
    nodes.push({ id: n.id, count: n.count, bytes: n.sz, plain: !n.lp, from: 0, entries });
  }
  return { kind: 'quicklist', len: ql.len, count: ql.count, from, nodes, fill: ql.fill, compress: ql.compress };
}

/** A stream's entries (live ones, ID order, at most maxNodes), walked without counting steps. */
export function snapshotStream(st: Stream, o: Required<Omit<SnapshotOptions, 'focus'>>): StreamView {
  const saved = steps.n;
  try {
    const entries: StreamEntryView[] = [];
    const si = new StreamIterator(st, null, null, false);
    for (let id = si.next(); id !== null && entries.length < o.maxNodes; id = si.next()) {
      entries.push({ id: streamIDString(id), fields: si.fields().map((f) => cut(f, o.maxValueBytes)) });
    }
    const groups: StreamGroupView[] = [];
    st.cgroups?.forEach((name, cg) => {
      const consumers: { name: string; pending: number }[] = [];
      cg.consumers.forEach((cname, c) => consumers.push({ name: cname, pending: c.pel.size() }));
      groups.push({ name, lastDeliveredId: streamIDString(cg.lastId), pending: cg.pel.size(), consumers });
    });
    return {
      kind: 'stream', length: st.length, lastId: streamIDString(st.lastId), radixTreeKeys: st.rax.size(),
      radixTreeNodes: st.rax.numnodes, entries, more: Math.max(0, st.length - entries.length), groups,
    };
  } finally {
    steps.n = saved;
  }
}

/** A view of one value, by encoding. */
export function snapshotValue(o: RObj, options?: SnapshotOptions): StructView {
  const op = opts(options);
  const p = o.ptr as any;
  try {
    switch (o.type) {
      case 'string': {
        const v = typeof p === 'string' ? p : String(p);
        return { kind: 'string', value: cut(v, op.maxValueBytes), length: v.length };
      }
      case 'hash':
        if (p instanceof Listpack) return snapshotListpack(p, 2, op);
        if (p instanceof Dict) return snapshotDict(p, options);
        break;
      case 'set':
        if (p instanceof Dict) return snapshotDict(p, options);
        if (p instanceof Listpack) return snapshotListpack(p, 1, op);
        return snapshotIntset(p, op);
      case 'zset':
        if (p instanceof Listpack) return snapshotListpack(p, 2, op);
        if (p && p.zsl) return snapshotSkiplist(p, op);
        break;
      case 'stream':
        if (p instanceof Stream) return snapshotStream(p, op);
        break;
      case 'list':
        if (p && 'head' in p && 'len' in p) return snapshotQuicklist(p, op);
        if (p instanceof Listpack) return snapshotListpack(p, 1, op);
        break;
    }
  } catch {
    // A structure being rewritten by someone else must not break the visualizer.
  }
  return { kind: 'unknown' };
}

/** A view of one key (null when the key does not exist). Never expires, touches or counts. */
export function snapshotKey(db: Db, key: string, options?: SnapshotOptions): KeySnapshot | null {
  const de = peekDict(db.dict, key);
  if (!de) return null;
  const o = de.val as RObj;
  const exp = peekDict(db.expires, key);
  return { key, type: o.type, encoding: o.encoding, expireAt: exp ? (exp.val as number) : -1, value: snapshotValue(o, options) };
}

/** A view of a database's keyspace dict (windowed around `focus`). */
export function snapshotKeyspace(db: Db, options?: SnapshotOptions): DictView {
  return snapshotDict(db.dict, options);
}

// ---------------------------------------------------------------- skiplist around a search path

/** Largest skiplist drawn whole by snapshotSkiplistPath; longer ones are windowed around the path. */
export const ZSL_FULL_MAX = 200;

/**
 * A view of a big skiplist for one command: every node a search for (score, member) compares on
 * every level (the update[] nodes and their forward nodes), plus `window` nodes of level 0 around
 * the target, each with its rank. Small skiplists (at most ZSL_FULL_MAX nodes) come whole. Walks
 * the pointers directly: no steps counted, nothing traced.
 */
export function snapshotSkiplistPath(z: any, target: { score: number; member: string }, options?: SnapshotOptions & { window?: number }): SkiplistView {
  const o = opts(options);
  const zsl = z.zsl;
  if (zsl.length <= ZSL_FULL_MAX) return snapshotSkiplist(z, { ...o, maxNodes: Math.max(o.maxNodes, ZSL_FULL_MAX), focus: target.member });
  const header = zsl.header;
  const picked = new Map<any, number>(); // node -> rank
  const before = (x: any) => x.score < target.score || (x.score === target.score && x.member < target.member);
  let x = header;
  let rank = 0;
  for (let i = zsl.level - 1; i >= 0; i--) {
    for (;;) {
      const f = x.forward(i);
      if (!f) break;
      picked.set(f, rank + x.span(i));
      if (!before(f)) break;
      rank += x.span(i);
      x = f;
    }
  }
  // The window on level 0: `half` nodes before the target's predecessor, `half` after it.
  const half = Math.max(1, Math.floor((options?.window ?? 40) / 2));
  let b = x, rb = rank;
  for (let n = 0; n < half && b !== header && b; n++) { picked.set(b, rb); b = b.backward; rb--; }
  let f = x.forward0, rf = rank + 1;
  for (let n = 0; n < half && f; n++) { picked.set(f, rf); f = f.forward0; rf++; }
  const nodes: SkiplistNodeView[] = [...picked.entries()]
    .sort((p, q) => p[1] - q[1])
    .map(([n, r]) => ({ member: cut(n.member, o.maxValueBytes), score: n.score, level: n.level, spans: nodeSpans(n), rank: r }));
  const headerSpans: number[] = [];
  for (let i = 0; i < zsl.level; i++) headerSpans.push(header.span(i));
  const dict = z.dict instanceof Dict ? snapshotDict(z.dict, { maxNodes: o.maxNodes, maxBuckets: o.maxBuckets, focus: target.member, maxValueBytes: o.maxValueBytes }) : null;
  return { kind: 'skiplist', level: zsl.level, length: zsl.length, headerSpans, from: nodes.length ? nodes[0].rank - 1 : 0, nodes, dict, sparse: true };
}
