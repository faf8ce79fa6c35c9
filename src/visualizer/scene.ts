/**
 * The scene: what the visualizer draws at one cursor position. It starts from the "before"
 * snapshots and applies the frames' events (a bucket gets an entry, the rehash moves a bucket, a
 * listpack gets an entry, the encoding converts ...). Pure and immutable (each reduce copies only
 * what it changes), so the player's keyframes stay valid. At the last frame the authoritative
 * "after" snapshots replace the reconstruction (`atEnd`).
 */
import type { TraceEvent } from '../engine/trace';
import type { DictTableView, DictView, KeySnapshot, StructView } from '../engine/snapshot';
import type { VisualData } from '../worker/api';
import type { Frame } from './frames';
import { lpEntrySize } from '../engine/structures/listpack';
import { reduceList, sceneHasQuicklist } from './list/reduce';
import { reduceIntset } from './intset/reduce';

/** What is highlighted: a structure ("keyspace" or "value"), and a node / bucket of it. */
export interface Highlight {
  target: 'keyspace' | 'value' | 'building' | 'none' | 'source';
  /** The node's data-id source (key, field, member: byte string), or null for a bucket only. */
  id: string | null;
  /** Index of a listpack / intset entry. */
  index?: number;
  bucket?: number;
  table?: 0 | 1;
  /** What happens to it: drives the colour. */
  mode: 'probe' | 'visit' | 'found' | 'insert' | 'delete' | 'move' | 'convert' | 'upgrade' | 'other';
  /** The quicklist node (id) of a list highlight; with `index`, one entry of it, else the whole node. */
  node?: number;
}

export interface Scene {
  keyspace: DictView;
  key: string | null;
  /** Type and encoding of the key's value (changes on obj.convert), null when the key does not exist. */
  meta: { type: string; encoding: string } | null;
  value: StructView | null;
  /** A hash table being filled while the value converts to it (obj.convert comes after the inserts). */
  building: DictView | null;
  hl: Highlight | null;
  /** The intset a set is converting from (obj.convert intset -> hashtable comes before the dict is filled). */
  source?: StructView | null;
  /** The frame index that produced this scene (-1 before the first). */
  frame: number;
}

/** Where each key sits in the tables of the known snapshots: "size:key" -> bucket. */
export type HomeIndex = Map<string, number>;

export function buildHomeIndex(...views: (StructView | DictView | null | undefined)[]): HomeIndex {
  const m: HomeIndex = new Map();
  const add = (d: DictView) => {
    for (const t of d.tables) if (t) for (const b of t.buckets) for (const k of b.keys) m.set(t.size + ':' + k, b.index);
  };
  for (const v of views) {
    if (!v) continue;
    if (v.kind === 'dict') add(v);
    if (v.kind === 'skiplist' && v.dict) add(v.dict);
  }
  return m;
}

export function emptyTable(size: number, from = 0, maxBuckets = 32): DictTableView {
  const n = Math.min(size, maxBuckets);
  const buckets = [];
  for (let i = from; i < from + n; i++) buckets.push({ index: i, keys: [] as string[], more: 0 });
  return { size, used: 0, from, buckets, omitted: 0 };
}

export function emptyDict(name: string): DictView {
  return { kind: 'dict', name, tables: [emptyTable(0), null], rehashidx: -1, used: 0 };
}

// ---------------------------------------------------------------- dict edits (copy on write)

function withBucket(t: DictTableView, bucket: number, edit: (keys: string[]) => string[] | null): DictTableView {
  const pos = bucket - t.from;
  if (pos < 0 || pos >= t.buckets.length) return t;
  const b = t.buckets[pos];
  const keys = edit(b.keys);
  if (keys === null) return t;
  const buckets = t.buckets.slice();
  buckets[pos] = { ...b, keys };
  return { ...t, buckets };
}

function inWindow(t: DictTableView, bucket: number): boolean {
  return bucket >= t.from && bucket < t.from + t.buckets.length;
}

function dictInsert(d: DictView, table: 0 | 1, bucket: number, key: string): DictView {
  const t = d.tables[table];
  if (!t) return d;
  if (t.buckets.some((b) => b.keys.includes(key))) return d; // already drawn (idempotent)
  let nt: DictTableView;
  if (inWindow(t, bucket)) nt = { ...withBucket(t, bucket, (keys) => [key, ...keys]), used: t.used + 1 };
  else nt = { ...t, used: t.used + 1, omitted: t.omitted + 1 };
  const tables: DictView['tables'] = [...d.tables] as DictView['tables'];
  tables[table] = nt;
  return { ...d, tables, used: d.used + 1 };
}

function dictDelete(d: DictView, table: 0 | 1, bucket: number, key: string): DictView {
  const t = d.tables[table];
  if (!t) return d;
  let nt: DictTableView;
  if (inWindow(t, bucket)) nt = withBucket(t, bucket, (keys) => (keys.includes(key) ? keys.filter((k) => k !== key) : null));
  else nt = { ...t, omitted: Math.max(0, t.omitted - 1) };
  nt = { ...nt, used: Math.max(0, t.used - 1) };
  const tables: DictView['tables'] = [...d.tables] as DictView['tables'];
  tables[table] = nt;
  return { ...d, tables, used: Math.max(0, d.used - 1) };
}

function dictExpand(d: DictView, from: number, to: number, homes: HomeIndex, windowOf: (size: number) => number): DictView {
  const t = emptyTable(to, windowOf(to));
  if (from === 0 || d.tables[0].size === 0) return { ...d, tables: [t, null], rehashidx: -1 };
  void homes;
  return { ...d, tables: [d.tables[0], t], rehashidx: 0 };
}

function dictRehashStep(d: DictView, bucket: number, moved: string[], rehashidx: number, homes: HomeIndex): DictView {
  let t0 = d.tables[0];
  let t1 = d.tables[1];
  if (!t1) return d;
  if (inWindow(t0, bucket)) t0 = withBucket(t0, bucket, () => []);
  else t0 = { ...t0, omitted: Math.max(0, t0.omitted - moved.length) };
  t0 = { ...t0, used: Math.max(0, t0.used - moved.length) };
  for (const key of moved) {
    const home = homes.get(t1.size + ':' + key);
    if (home !== undefined && inWindow(t1, home)) t1 = withBucket(t1, home, (keys) => (keys.includes(key) ? null : [key, ...keys]));
    else t1 = { ...t1, omitted: t1.omitted + 1 };
    t1 = { ...t1, used: t1.used + 1 };
  }
  return { ...d, tables: [t0, t1], rehashidx };
}

function dictRehashDone(d: DictView): DictView {
  if (!d.tables[1]) return d;
  return { ...d, tables: [d.tables[1], null], rehashidx: -1 };
}

// ---------------------------------------------------------------- the reducer

export interface SceneContext {
  data: VisualData;
  homes: HomeIndex;
  /** Window start of a table of `size` buckets in the after snapshots (so the reconstruction matches them). */
  windowOf(size: number): number;
}

export function makeContext(data: VisualData): SceneContext {
  const homes = buildHomeIndex(data.keyspaceBefore, data.keyspaceAfter, data.before?.value, data.after?.value);
  const windows = new Map<number, number>();
  for (const v of [data.keyspaceAfter, data.after?.value, data.keyspaceBefore, data.before?.value]) {
    if (v?.kind === 'dict') for (const t of v.tables) if (t && !windows.has(t.size)) windows.set(t.size, t.from);
  }
  return { data, homes, windowOf: (size) => windows.get(size) ?? 0 };
}

export function initialScene(data: VisualData): Scene {
  const b: KeySnapshot | null = data.before;
  return {
    keyspace: data.keyspaceBefore,
    key: data.key,
    meta: b ? { type: b.type, encoding: b.encoding } : null,
    value: b ? b.value : null,
    building: null,
    hl: null,
    frame: -1,
  };
}

/** The scene at the end: the after snapshots, keeping the last frame's highlight. */
export function finalScene(s: Scene, data: VisualData): Scene {
  const a = data.after;
  return { ...s, keyspace: data.keyspaceAfter, meta: a ? { type: a.type, encoding: a.encoding } : null, value: a ? a.value : null, building: null, source: null };
}

/** An empty value of the after snapshot's kind, for a key created by this command. */
function emptyLike(v: StructView | null | undefined, name: string): StructView | null {
  if (!v) return null;
  switch (v.kind) {
    case 'dict': return emptyDict(name);
    case 'listpack': return { ...v, from: 0, entries: [], total: 0, bytes: 7 };
    case 'intset': return { ...v, from: 0, values: [], total: 0 };
    case 'skiplist': return { ...v, level: 1, length: 0, headerSpans: [0], from: 0, nodes: [], dict: v.dict ? emptyDict(name) : null, sparse: undefined };
    default: return null;
  }
}

/**
 * Apply a dict edit to the value: its own hash table, a new key's table, or (while the value is
 * still a listpack / intset) the table being built for the conversion.
 */
function editValueDict(s: Scene, name: string, edit: (d: DictView) => DictView, hl: Highlight, ctx: SceneContext): Scene {
  let v = s.value;
  if (!v) v = emptyLike(ctx.data.after?.value, name);
  if (v?.kind === 'dict') return { ...s, value: edit(v), hl };
  if (v?.kind === 'skiplist' && v.dict) return { ...s, value: { ...v, dict: edit(v.dict) }, hl };
  if (ctx.data.after?.value.kind === 'dict' || ctx.data.after?.encoding === 'hashtable') {
    return { ...s, building: edit(s.building ?? emptyDict(name)), hl: { ...hl, target: 'building' } };
  }
  return { ...s, hl };
}

function applyEvent(s: Scene, ev: TraceEvent, ctx: SceneContext): Scene {
  switch (ev.k) {
    case 'dict.hash': case 'dict.visit': case 'dict.found': case 'dict.insert': case 'dict.delete': {
      if (ev.dict === 'expires') return { ...s, hl: { target: 'none', id: ev.key, mode: 'other' } };
      const target = ev.dict === 'keyspace' ? 'keyspace' : 'value';
      const mode = ev.k === 'dict.hash' ? 'probe' : ev.k === 'dict.visit' ? 'visit' : ev.k === 'dict.found' ? 'found' : ev.k === 'dict.insert' ? 'insert' : 'delete';
      const hl: Highlight = { target, id: ev.k === 'dict.hash' || ev.k === 'dict.delete' ? null : ev.key, bucket: ev.bucket, table: ev.table, mode };
      if (ev.k !== 'dict.insert' && ev.k !== 'dict.delete') return { ...s, hl };
      const edit = (d: DictView) => (ev.k === 'dict.insert' ? dictInsert(d, ev.table, ev.bucket, ev.key) : dictDelete(d, ev.table, ev.bucket, ev.key));
      if (target === 'keyspace') return { ...s, keyspace: edit(s.keyspace), hl };
      return editValueDict(s, ev.dict, edit, hl, ctx);
    }
    case 'dict.expand': case 'dict.rehashStep': case 'dict.rehashDone': {
      if (ev.dict === 'expires') return s;
      const edit = (d: DictView): DictView =>
        ev.k === 'dict.expand' ? dictExpand(d, ev.from, ev.to, ctx.homes, ctx.windowOf)
          : ev.k === 'dict.rehashStep' ? dictRehashStep(d, ev.bucket, ev.moved, ev.rehashidx, ctx.homes)
            : dictRehashDone(d);
      const target = ev.dict === 'keyspace' ? 'keyspace' : 'value';
      const hl: Highlight = ev.k === 'dict.rehashStep'
        ? { target, id: ev.moved[0] ?? null, bucket: ev.bucket, table: 0, mode: 'move' }
        : { target, id: null, mode: 'other' };
      if (target === 'keyspace') return { ...s, keyspace: edit(s.keyspace), hl };
      return editValueDict(s, ev.dict, edit, hl, ctx);
    }
    case 'lp.visit': case 'lp.insert': case 'lp.delete': {
      if (sceneHasQuicklist(s, ctx)) return reduceList(s, ev, ctx);
      let v = s.value;
      if (!v) v = emptyLike(ctx.data.after?.value, s.key ?? '');
      if (!v || v.kind !== 'listpack') return { ...s, hl: { target: 'value', id: null, index: ev.index, mode: 'other' } };
      const pos = ev.index - v.from;
      if (ev.k === 'lp.visit') {
        const g = v.group;
        const first = v.entries[pos - (pos % g)];
        return { ...s, value: v, hl: { target: 'value', id: first ?? null, index: ev.index, mode: 'visit' } };
      }
      if (ev.k === 'lp.insert') {
        const entries = v.entries.slice();
        if (pos >= 0 && pos <= entries.length) entries.splice(pos, 0, ev.value);
        const nv = { ...v, entries, total: v.total + 1, bytes: v.bytes + lpEntrySize(ev.value) };
        const g = v.group;
        const id = pos >= 0 ? entries[pos - (pos % g)] ?? ev.value : ev.value;
        return { ...s, value: nv, hl: { target: 'value', id, index: ev.index, mode: 'insert' } };
      }
      const entries = v.entries.slice();
      const n = v.group;
      const victim = entries[pos] ?? null;
      let bytes = v.bytes;
      if (pos >= 0 && pos < entries.length) for (const e of entries.splice(pos, n)) bytes -= lpEntrySize(e);
      return { ...s, value: { ...v, entries, total: Math.max(0, v.total - n), bytes }, hl: { target: 'value', id: victim, index: ev.index, mode: 'delete' } };
    }
    case 'obj.convert': {
      const after = ctx.data.after;
      const meta = { type: s.meta?.type ?? after?.type ?? '', encoding: ev.to };
      let value: StructView | null;
      if (ev.to === 'hashtable') value = s.building ?? emptyDict(ev.key);
      else if (after && after.encoding === ev.to) value = after.value;
      else value = s.value;
      const source = ev.to === 'hashtable' && s.value?.kind === 'intset' ? s.value : null;
      return { ...s, meta, value, building: null, source, hl: { target: 'value', id: null, mode: 'convert' } };
    }
    case 'is.probe': case 'is.insert': case 'is.delete': case 'is.upgrade':
      return reduceIntset(s, ev, ctx);
    case 'zsl.visit': case 'zsl.compare': case 'zsl.update': case 'zsl.down': case 'zsl.create': case 'zsl.delete': case 'zsl.rank': case 'zsl.span':
      // A sorted set created by this command in the skiplist encoding: draw it from its first node on.
      if (!s.value && ctx.data.after?.value.kind === 'skiplist') {
        s = { ...s, value: emptyLike(ctx.data.after.value, s.key ?? ''), meta: { type: ctx.data.after.type, encoding: ctx.data.after.encoding } };
      }
      return { ...s, hl: { target: 'value', id: ev.node, mode: ev.k === 'zsl.create' ? 'insert' : ev.k === 'zsl.delete' ? 'delete' : 'visit' } };
    case 'ql.visitNode': case 'ql.visitEntry': case 'ql.insert': case 'ql.delete': case 'ql.createNode': case 'ql.deleteNode': case 'ql.split': case 'ql.merge':
      return reduceList(s, ev, ctx);
    case 'key.expired': case 'key.evicted':
      return { ...s, hl: { target: 'keyspace', id: ev.key, mode: 'delete' } };
    default:
      return { ...s, hl: { target: 'none', id: null, mode: 'other' } };
  }
}

export function reduceScene(s: Scene, f: Frame, i: number, ctx: SceneContext): Scene {
  let out = s;
  for (const ev of f.events) out = applyEvent(out, ev, ctx);
  // The frame's main event decides the highlight (merged follow-ups like dict.found refine it).
  return { ...out, frame: i };
}
