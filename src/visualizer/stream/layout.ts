/**
 * Layout of a stream (pure; StreamView draws what this returns): the entries in ID order as boxes
 * (ID on top, field=value pairs below) in one band, wrapping into rows (d3 scaleBand for the
 * columns), the last-id pointer, and the consumer groups as a side panel whose markers point at the
 * entry each group last delivered. Past S.window entries only a window around the first touched
 * entry (else the head) is drawn, with "+N more" cells where entries are left out.
 *
 * The snapshot (StreamView) does not say which listpack node (radix-tree key) holds which entry, so
 * the entries share one band captioned with the radix tree's size.
 *
 * What the last command touched: the engine emits no stream trace events (structures/stream.ts and
 * rax.ts never write to tracing.sink), so `streamChanges` derives it from the before / after
 * snapshots (an XADD's new entry is the one whose ID is greater than the previous last ID; a group
 * whose last-delivered-id or pending count moved) and from the reply (the entries XRANGE, XREAD,
 * XREADGROUP, XCLAIM ... returned). When the engine gains stream events, the scene should drive this.
 */
import { scaleBand } from 'd3-scale';
import type { StreamEntryView, StreamGroupView, StreamView } from '../../engine/snapshot';
import type { Reply } from '../../engine/types';

export const S = {
  entryW: 140, headH: 20, lineH: 14, maxPairs: 3, gap: 12, rowGap: 34, pad: 10, top: 34, perRow: 4,
  panelW: 176, panelGap: 30, groupGap: 10, maxConsumers: 4, window: 200,
  /** The width available (the figure's), 0 when unknown. */
  avail: 0,
};

// ---------------------------------------------------------------- IDs

/** "ms-seq" as a pair of bigints (null when it is not an entry ID). */
export function parseId(id: string): [bigint, bigint] | null {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m ? [BigInt(m[1]), BigInt(m[2])] : null;
}

/** Compare two entry IDs: -1, 0, 1 (IDs that do not parse sort first). */
export function compareIds(a: string, b: string): number {
  const x = parseId(a);
  const y = parseId(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] === y[1] ? 0 : x[1] < y[1] ? -1 : 1;
}

// ---------------------------------------------------------------- what the last command did

export interface StreamChanges {
  /** Entries the command appended (drawn or not), in ID order. */
  added: string[];
  /** Entries the command returned (XRANGE, XREAD, XREADGROUP, XCLAIM, XAUTOCLAIM). */
  read: string[];
  /** Entries removed (XDEL, XTRIM, XADD MAXLEN): counted from the lengths. */
  removed: number;
  /** Groups created, and groups whose last-delivered-id, pending count or consumers changed. */
  created: string[];
  delivered: { group: string; from: string; to: string; n: number }[];
  acked: { group: string; n: number; pending: number }[];
  /** Every group that changed (created, delivered, acked, claimed, consumers added ...). */
  touchedGroups: string[];
}

const ID_RE = /^\d+-\d+$/;

/** The IDs of the entries in a reply: every [id, fields] pair (fields may be nil for a deleted entry). */
export function replyEntryIds(r: Reply | null | undefined, out: string[] = []): string[] {
  if (!r || (r.t !== 'array' && r.t !== 'map' && r.t !== 'set' && r.t !== 'push')) return out;
  const v = r.v;
  if (r.t === 'array' && v.length === 2 && v[0].t === 'bulk' && ID_RE.test(v[0].v) && (v[1].t === 'array' || v[1].t === 'nilarray' || v[1].t === 'nil')) {
    out.push(v[0].v);
    return out;
  }
  for (const x of v) replyEntryIds(x, out);
  return out;
}

/** The part of an XREAD / XREADGROUP reply for `key` (RESP2: [[key, entries] ...]; RESP3: a map). */
function readPartFor(r: Reply, key: string): Reply | null {
  if (r.t === 'map') {
    for (let i = 0; i + 1 < r.v.length; i += 2) { const k = r.v[i]; if (k.t === 'bulk' && k.v === key) return r.v[i + 1]; }
    return null;
  }
  if (r.t === 'array') {
    for (const p of r.v) if (p.t === 'array' && p.v.length === 2 && p.v[0].t === 'bulk' && p.v[0].v === key) return p.v[1];
  }
  return null;
}

const READERS = new Set(['xrange', 'xrevrange', 'xclaim', 'xautoclaim']);
const MULTI_READERS = new Set(['xread', 'xreadgroup']);

/**
 * What the command did to the stream, from the snapshots before and after it, its argv and its reply
 * (see the comment at the top: no stream trace events exist yet).
 */
export function streamChanges(before: StreamView | null, after: StreamView, argv: readonly string[], reply: Reply | null | undefined, key: string | null): StreamChanges {
  const cmd = (argv[0] ?? '').toLowerCase();
  const ok = !!reply && reply.t !== 'error';
  const prevLast = before ? before.lastId : '0-0';
  // XADD: the new entry's ID is greater than the previous last ID (IDs only grow).
  const added = ok && cmd === 'xadd' && reply!.t === 'bulk'
    ? after.entries.filter((e) => compareIds(e.id, prevLast) > 0).map((e) => e.id)
    : [];
  // The new entry may be past the drawn entries: the reply names it.
  if (ok && cmd === 'xadd' && reply!.t === 'bulk' && !added.includes(reply!.v)) added.push(reply!.v);
  let read: string[] = [];
  if (ok && READERS.has(cmd)) read = replyEntryIds(reply);
  else if (ok && MULTI_READERS.has(cmd) && key !== null) { const part = readPartFor(reply!, key); read = part ? replyEntryIds(part) : []; }
  const removed = Math.max(0, (before?.length ?? 0) + (cmd === 'xadd' && ok && reply!.t === 'bulk' ? 1 : 0) - after.length);

  const created: string[] = [];
  const delivered: StreamChanges['delivered'] = [];
  const acked: StreamChanges['acked'] = [];
  const touched: string[] = [];
  const old = new Map<string, StreamGroupView>((before?.groups ?? []).map((g) => [g.name, g]));
  for (const g of after.groups) {
    const b = old.get(g.name);
    if (!b) { created.push(g.name); touched.push(g.name); continue; }
    let changed = false;
    if (compareIds(g.lastDeliveredId, b.lastDeliveredId) !== 0) {
      changed = true;
      if (compareIds(g.lastDeliveredId, b.lastDeliveredId) > 0) {
        const n = after.entries.filter((e) => compareIds(e.id, b.lastDeliveredId) > 0 && compareIds(e.id, g.lastDeliveredId) <= 0).length;
        delivered.push({ group: g.name, from: b.lastDeliveredId, to: g.lastDeliveredId, n });
      }
    }
    if (g.pending < b.pending && cmd === 'xack') acked.push({ group: g.name, n: b.pending - g.pending, pending: g.pending });
    if (g.pending !== b.pending) changed = true;
    const cons = (x: StreamGroupView) => x.consumers.map((c) => c.name + ':' + c.pending).join(',');
    if (cons(g) !== cons(b)) changed = true;
    if (changed) touched.push(g.name);
  }
  return { added, read, removed, created, delivered, acked, touchedGroups: touched };
}

// ---------------------------------------------------------------- layout

export interface StreamCell {
  kind: 'entry';
  key: string;
  id: string;
  /** field=value lines shown (cut by the view), and the pairs left out. */
  pairs: [string, string][];
  hiddenPairs: number;
  x: number;
  y: number;
  hot: 'insert' | 'read' | null;
  last: boolean;
  /** Names of the groups whose last-delivered-id is this entry. */
  groups: string[];
}

export interface StreamGap { kind: 'gap'; key: string; count: number; x: number; y: number }

export interface GroupBox {
  name: string;
  lastDeliveredId: string;
  pending: number;
  consumers: { name: string; pending: number }[];
  hiddenConsumers: number;
  x: number;
  y: number;
  h: number;
  hot: boolean;
  /** The link from the box to its entry's marker, when that entry is drawn (panel beside the entries only). */
  link: string | null;
}

export interface StreamLayout {
  width: number;
  height: number;
  cells: (StreamCell | StreamGap)[];
  groups: GroupBox[];
  entryH: number;
  /** The band around the entries. */
  band: { x: number; y: number; w: number; h: number };
  /** Where the groups' panel starts (its title), beside or below the entries. */
  panel: { x: number; y: number } | null;
  empty: boolean;
}

function pairsOf(e: StreamEntryView): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < e.fields.length; i += 2) out.push([e.fields[i], e.fields[i + 1]]);
  return out;
}

export function groupBoxHeight(g: StreamGroupView): number {
  const shown = Math.min(g.consumers.length, S.maxConsumers) + (g.consumers.length > S.maxConsumers ? 1 : 0);
  // Name, "last-delivered-id", the ID, the pending count, then the consumers.
  return 20 + 3 * S.lineH + Math.max(1, shown) * S.lineH + 8;
}

export function layoutStream(v: StreamView, ch: StreamChanges | null, opts: Partial<typeof S> = {}): StreamLayout {
  const L = { ...S, ...opts };
  const added = new Set(ch?.added ?? []);
  const read = new Set(ch?.read ?? []);
  // Window: past L.window entries, keep a window around the first touched entry (else the head).
  let entries = v.entries;
  let lead = 0;
  let trail = v.more;
  if (entries.length > L.window) {
    let focus = entries.findIndex((e) => added.has(e.id) || read.has(e.id));
    if (focus < 0) focus = 0;
    lead = Math.max(0, Math.min(entries.length - L.window, focus - Math.floor(L.window / 2)));
    trail += entries.length - lead - L.window;
    entries = entries.slice(lead, lead + L.window);
  }
  const groupAt = new Map<string, string[]>();
  for (const g of v.groups) { const a = groupAt.get(g.lastDeliveredId) ?? []; a.push(g.name); groupAt.set(g.lastDeliveredId, a); }

  const seq: ({ kind: 'entry'; e: StreamEntryView } | { kind: 'gap'; count: number; key: string })[] = [];
  if (lead > 0) seq.push({ kind: 'gap', count: lead, key: 'gap:lead' });
  for (const e of entries) seq.push({ kind: 'entry', e });
  if (trail > 0) seq.push({ kind: 'gap', count: trail, key: 'gap:trail' });

  const maxPairs = Math.max(1, ...entries.map((e) => pairsOf(e).length));
  const lines = Math.min(maxPairs, L.maxPairs) + (maxPairs > L.maxPairs ? 1 : 0);
  const entryH = L.headH + lines * L.lineH + 8;
  // Columns: as many as fit the width available (`avail`, the figure's width; unknown: S.perRow / 3).
  // With groups, the panel goes beside the entries when that leaves room for min(3, cells) columns,
  // else below them (then without links: the markers under the entries say where each group is).
  const unit = L.entryW + L.gap;
  const fitCols = (w: number) => Math.max(1, Math.floor((w - 2 * L.pad + L.gap) / unit));
  const hasGroups = v.groups.length > 0;
  let side = hasGroups;
  let cols: number;
  if (!hasGroups) cols = Math.min(L.perRow, L.avail > 0 ? fitCols(L.avail) : L.perRow, seq.length);
  else if (L.avail <= 0) cols = Math.min(3, seq.length);
  else {
    const sideCols = Math.min(L.perRow, fitCols(L.avail - L.panelGap - L.panelW));
    side = sideCols >= Math.min(3, seq.length);
    cols = Math.min(side ? sideCols : Math.min(L.perRow, fitCols(L.avail)), seq.length);
  }
  cols = Math.max(1, cols);
  const band = scaleBand<number>().domain(Array.from({ length: cols }, (_, i) => i))
    .range([L.pad, L.pad + cols * (L.entryW + L.gap)]).paddingInner(L.gap / (L.entryW + L.gap));
  const rowH = entryH + L.rowGap;
  const pos = (i: number) => ({ x: band(i % cols) ?? L.pad, y: L.top + Math.floor(i / cols) * rowH });

  const cells: (StreamCell | StreamGap)[] = seq.map((c, i) => {
    if (c.kind === 'gap') return { kind: 'gap', key: c.key, count: c.count, ...pos(i) };
    const pairs = pairsOf(c.e);
    return {
      kind: 'entry', key: 'e:' + c.e.id, id: c.e.id,
      pairs: pairs.slice(0, maxPairs > L.maxPairs ? L.maxPairs : pairs.length), hiddenPairs: Math.max(0, pairs.length - (maxPairs > L.maxPairs ? L.maxPairs : pairs.length)),
      ...pos(i),
      hot: added.has(c.e.id) ? 'insert' : read.has(c.e.id) ? 'read' : null,
      last: c.e.id === v.lastId,
      groups: groupAt.get(c.e.id) ?? [],
    };
  });
  const rows = Math.max(1, Math.ceil(seq.length / cols));
  const bandW = cols * (L.entryW + L.gap) - L.gap;
  // Above the first row: room for the last-id pointer; under the last row: group markers, then the caption.
  const bandBox = { x: L.pad - 6, y: L.top - 22, w: bandW + 12, h: (rows - 1) * rowH + entryH + 22 + 44 };
  const entriesBottom = bandBox.y + bandBox.h;

  // The groups: beside the band (stacked, linked to their markers) or below it (in rows).
  const groups: GroupBox[] = [];
  let panel: StreamLayout['panel'] = null;
  let panelBottom = 0;
  let width = L.pad * 2 + bandW;
  if (hasGroups) {
    const touched = new Set(ch?.touchedGroups ?? []);
    panel = side ? { x: L.pad + bandW + L.panelGap, y: L.top - 22 } : { x: L.pad - 6, y: entriesBottom + 12 };
    const perRowG = side ? 1 : Math.max(1, Math.floor((Math.max(L.avail, width) - 2 * L.pad + L.groupGap) / (L.panelW + L.groupGap)));
    let y = panel.y + 18;
    let rowH = 0;
    v.groups.forEach((g, i) => {
      const h = groupBoxHeight(g);
      const col = i % perRowG;
      if (col === 0 && i > 0) { y += rowH + L.groupGap; rowH = 0; }
      rowH = Math.max(rowH, h);
      const box: GroupBox = {
        name: g.name, lastDeliveredId: g.lastDeliveredId, pending: g.pending,
        consumers: g.consumers.slice(0, L.maxConsumers), hiddenConsumers: Math.max(0, g.consumers.length - L.maxConsumers),
        x: panel!.x + col * (L.panelW + L.groupGap), y, h, hot: touched.has(g.name), link: null,
      };
      const target = side ? cells.find((c): c is StreamCell => c.kind === 'entry' && c.id === g.lastDeliveredId) : undefined;
      if (target) {
        // Routed around the entries: left out of the box into the gap beside the band, down to the lane
        // under the target's row (below the group markers), along it, then up to the marker.
        const gx = L.pad + bandW + 10 + (i % 4) * 4;
        const lane = target.y + entryH + 22 + (i % 4) * 3;
        const tx = target.x + L.entryW / 2;
        box.link = `M${box.x},${y + 12}H${gx}V${lane}H${tx}V${target.y + entryH + 18}`;
      }
      groups.push(box);
    });
    panelBottom = y + rowH;
    width = side ? panel.x + L.panelW + L.pad : Math.max(width, panel.x + Math.min(perRowG, v.groups.length) * (L.panelW + L.groupGap) - L.groupGap + L.pad);
  }
  return {
    width: Math.max(width, 220),
    height: Math.max(entriesBottom, panelBottom) + L.pad,
    cells, groups, entryH, band: bandBox, panel, empty: v.entries.length === 0 && v.more === 0,
  };
}
