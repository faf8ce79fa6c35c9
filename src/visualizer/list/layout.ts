/**
 * Layout of a list, two ways (pure; the views draw what this returns):
 * - the textbook doubly linked list: one node per element, prev/next arrows, head and tail
 *   pointers; rows wrap; past WINDOW elements only a window around the highlight is drawn;
 * - Redis's real quicklist: nodes that each hold a listpack, the entries drawn inside each node.
 * Elements are keyed by value and occurrence ("x#0", "x#1"), so a push at the head slides the others.
 */
import { scaleBand } from 'd3-scale';
import type { QuicklistView } from '../../engine/snapshot';
import type { Highlight } from '../scene';

export const LIST = { nodeW: 66, nodeH: 34, gapX: 34, gapY: 46, pad: 10, top: 22, perRow: 8, window: 200 };
export const QL = { entryW: 58, entryH: 24, gap: 5, cols: 4, maxRows: 4, headH: 22, pad: 8, nodeGap: 34, perRow: 3, rowGap: 30 };

/** One element of the list, in order. */
export interface ListItem {
  kind: 'item';
  key: string;
  value: string;
  /** Position in the list (0 = head). */
  pos: number;
  node: number;
  offset: number;
  x: number;
  y: number;
  hot: boolean;
  /** Part of a whole quicklist node being visited (node-level highlight). */
  span: boolean;
}

/** Elements not drawn (cut from the snapshot or outside the window). */
export interface ListGap { kind: 'gap'; key: string; count: number; x: number; y: number }

export interface ListLink { key: string; d: string; cross: boolean }

export interface TextbookLayout {
  width: number;
  height: number;
  cells: (ListItem | ListGap)[];
  links: ListLink[];
  /** Elements in the list. */
  count: number;
  head: { x: number; y: number } | null;
  tail: { x: number; y: number } | null;
}

/** The elements of a quicklist view in list order, with the gaps where the snapshot left some out. */
export function flatten(v: QuicklistView): ({ kind: 'item'; value: string; pos: number; node: number; offset: number } | { kind: 'gap'; count: number })[] {
  const out: ({ kind: 'item'; value: string; pos: number; node: number; offset: number } | { kind: 'gap'; count: number })[] = [];
  let pos = 0;
  for (const n of v.nodes) {
    if (n.from > 0) out.push({ kind: 'gap', count: n.from });
    n.entries.forEach((value, j) => out.push({ kind: 'item', value, pos: pos + n.from + j, node: n.id, offset: n.from + j }));
    const after = n.count - n.from - n.entries.length;
    if (after > 0) out.push({ kind: 'gap', count: after });
    pos += n.count;
  }
  if (v.count > pos) out.push({ kind: 'gap', count: v.count - pos });
  return out;
}

function isHot(hl: Highlight | null, node: number, offset: number): { hot: boolean; span: boolean } {
  if (!hl || hl.target !== 'value' || hl.node === undefined || hl.node !== node || hl.mode === 'delete') return { hot: false, span: false };
  if (hl.index === undefined) return { hot: true, span: true };
  return { hot: hl.index === offset, span: false };
}

export function layoutTextbook(v: QuicklistView, hl: Highlight | null, opts: Partial<typeof LIST> = {}): TextbookLayout {
  const L = { ...LIST, ...opts };
  let seq = flatten(v);
  // Window: past L.window elements, keep a window around the highlight (else the head).
  const items = seq.filter((c) => c.kind === 'item');
  if (items.length > L.window) {
    let focus = items.findIndex((c) => c.kind === 'item' && isHot(hl, c.node, c.offset).hot);
    if (focus < 0) focus = 0;
    const from = Math.max(0, Math.min(items.length - L.window, focus - Math.floor(L.window / 2)));
    const keep = new Set(items.slice(from, from + L.window));
    const cut: typeof seq = [];
    let skipped = 0;
    for (const c of seq) {
      if (c.kind === 'gap' || keep.has(c)) {
        if (skipped) { cut.push({ kind: 'gap', count: skipped }); skipped = 0; }
        cut.push(c);
      } else skipped++;
    }
    if (skipped) cut.push({ kind: 'gap', count: skipped });
    // Merge adjacent gaps.
    seq = [];
    for (const c of cut) {
      const last = seq[seq.length - 1];
      if (c.kind === 'gap' && last && last.kind === 'gap') seq[seq.length - 1] = { kind: 'gap', count: last.count + c.count };
      else seq.push(c);
    }
  }
  const cols = Math.max(1, Math.min(L.perRow, seq.length));
  const step = L.nodeW + L.gapX;
  const band = scaleBand<number>().domain(Array.from({ length: cols }, (_, i) => i)).range([L.pad, L.pad + cols * step]).paddingInner(L.gapX / step);
  const at = (i: number) => ({ x: band(i % cols) ?? L.pad, y: L.pad + L.top + Math.floor(i / cols) * (L.nodeH + L.gapY) });
  const seen = new Map<string, number>();
  let gaps = 0;
  const cells: (ListItem | ListGap)[] = seq.map((c, i) => {
    const p = at(i);
    if (c.kind === 'gap') return { kind: 'gap', key: 'gap:' + gaps++, count: c.count, ...p };
    const k = seen.get(c.value) ?? 0;
    seen.set(c.value, k + 1);
    return { kind: 'item', key: c.value + '#' + k, value: c.value, pos: c.pos, node: c.node, offset: c.offset, ...p, ...isHot(hl, c.node, c.offset) };
  });
  const links: ListLink[] = [];
  const midY = L.nodeH / 2;
  for (let i = 0; i + 1 < cells.length; i++) {
    const a = cells[i];
    const b = cells[i + 1];
    if (a.y === b.y) {
      const x1 = a.x + L.nodeW + 2;
      const x2 = b.x - 2;
      // next above the middle, prev below it
      links.push({ key: `n:${a.key}`, d: `M${x1},${a.y + midY - 5}H${x2}`, cross: false });
      links.push({ key: `p:${a.key}`, d: `M${x2},${a.y + midY + 5}H${x1}`, cross: false });
    } else {
      // Wrap to the next row: down from a, left along the gap, down into b.
      const yMid = a.y + L.nodeH + L.gapY / 2;
      links.push({ key: `n:${a.key}`, d: `M${a.x + L.nodeW / 2},${a.y + L.nodeH + 2}V${yMid}H${b.x + L.nodeW / 2}V${b.y - 2}`, cross: true });
    }
  }
  const rows = Math.max(1, Math.ceil(cells.length / cols));
  const firstItem = cells.find((c) => c.kind === 'item');
  const lastCell = cells[cells.length - 1];
  return {
    width: L.pad * 2 + cols * step - L.gapX,
    height: L.pad * 2 + L.top + rows * (L.nodeH + L.gapY) - L.gapY,
    cells,
    links,
    count: v.count,
    head: firstItem && cells[0] === firstItem ? { x: firstItem.x, y: firstItem.y } : null,
    tail: lastCell && lastCell.kind === 'item' ? { x: lastCell.x, y: lastCell.y } : null,
  };
}

// ---------------------------------------------------------------- quicklist nodes

export interface QlEntryCell { key: string; value: string; offset: number; x: number; y: number; hot: boolean }

export interface QlNodeBox {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  count: number;
  bytes: number;
  plain: boolean;
  entries: QlEntryCell[];
  /** Entries not drawn. */
  hidden: number;
  hot: boolean;
}

export interface QuicklistLayout { width: number; height: number; nodes: QlNodeBox[]; links: ListLink[]; hiddenNodes: number }

export function layoutQuicklist(v: QuicklistView, hl: Highlight | null): QuicklistLayout {
  const Q = QL;
  const w = Q.pad * 2 + Q.cols * (Q.entryW + Q.gap) - Q.gap;
  const boxes: QlNodeBox[] = v.nodes.map((n) => {
    const max = Q.cols * Q.maxRows;
    const shown = n.entries.slice(0, max);
    const hidden = n.count - shown.length;
    const rows = Math.max(1, Math.ceil((shown.length + (hidden > 0 ? 1 : 0)) / Q.cols));
    const seen = new Map<string, number>();
    const entries = shown.map((value, j) => {
      const k = seen.get(value) ?? 0;
      seen.set(value, k + 1);
      const offset = n.from + j;
      const hot = !!hl && hl.target === 'value' && hl.node === n.id && hl.index === offset && hl.mode !== 'delete';
      return { key: value + '#' + k, value, offset, x: Q.pad + (j % Q.cols) * (Q.entryW + Q.gap), y: Q.headH + Q.pad / 2 + Math.floor(j / Q.cols) * (Q.entryH + Q.gap), hot };
    });
    const hot = !!hl && hl.target === 'value' && hl.node === n.id && hl.index === undefined;
    return { id: n.id, x: 0, y: 0, w, h: Q.headH + Q.pad + rows * (Q.entryH + Q.gap), count: n.count, bytes: n.bytes, plain: n.plain, entries, hidden, hot };
  });
  const cols = Math.max(1, Math.min(Q.perRow, boxes.length));
  let y = QL.pad + 16;
  for (let r = 0; r * cols < boxes.length; r++) {
    const row = boxes.slice(r * cols, r * cols + cols);
    const h = Math.max(...row.map((b) => b.h));
    row.forEach((b, i) => { b.x = Q.pad + i * (w + Q.nodeGap); b.y = y; });
    y += h + Q.rowGap;
  }
  const links: ListLink[] = [];
  for (let i = 0; i + 1 < boxes.length; i++) {
    const a = boxes[i];
    const b = boxes[i + 1];
    if (a.y === b.y) {
      links.push({ key: `n:${a.id}`, d: `M${a.x + a.w + 2},${a.y + 9}H${b.x - 2}`, cross: false });
      links.push({ key: `p:${a.id}`, d: `M${b.x - 2},${a.y + 17}H${a.x + a.w + 2}`, cross: false });
    } else {
      const yMid = b.y - Q.rowGap / 2;
      links.push({ key: `n:${a.id}`, d: `M${a.x + a.w / 2},${a.y + a.h + 2}V${yMid}H${b.x + b.w / 2}V${b.y - 2}`, cross: true });
    }
  }
  const width = Q.pad * 2 + cols * (w + Q.nodeGap) - Q.nodeGap;
  return { width, height: y - Q.rowGap + Q.pad, nodes: boxes, links, hiddenNodes: Math.max(0, v.len - boxes.length) };
}
