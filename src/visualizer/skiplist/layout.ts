/**
 * Layout of a skiplist: levels as rows (level 0 at the bottom), the header then the nodes as
 * columns in rank order, forward pointers with their spans. When the view holds only some ranks
 * (a window around the search path of a big skiplist), the ranks left out become narrow
 * "… N more" columns; pointers into them end there. Pure: positions only (d3 scales).
 */
import { scaleLinear } from 'd3-scale';
import { HEADER, type ZNode, type ZslScene } from './model';

export const ZSL = { boxW: 58, boxH: 20, levelH: 28, colGap: 34, gapW: 64, nullW: 40, pad: 10, top: 8, labelH: 34 };

export interface ZCol {
  kind: 'header' | 'node' | 'gap' | 'null';
  /** Key for the keyed each / D3 join: "header", "n:" + member, "gap:" + first hidden rank, "null". */
  key: string;
  /** The member (byte string) of a node column. */
  member?: string;
  score?: number;
  rank: number;
  level: number;
  x: number;
  w: number;
  /** Hidden ranks in a gap column. */
  count?: number;
  hot: boolean;
  compare: boolean;
  inserted: boolean;
  deleting: boolean;
  /** Levels on which this node is update[i]. */
  updateLevels: number[];
}

export interface ZPtr {
  id: string;
  level: number;
  x1: number;
  x2: number;
  y: number;
  span: number;
  /** Ends at a hidden rank (a gap column) or at NULL. */
  to: 'node' | 'gap' | 'null';
  path: boolean;
  changed: boolean;
}

export interface ZDown { id: string; x: number; y1: number; y2: number }

export interface ZslLayout {
  width: number;
  height: number;
  levels: number;
  cols: ZCol[];
  ptrs: ZPtr[];
  downs: ZDown[];
  /** y of the centre of level i's row. */
  rowY: (level: number) => number;
  /** x of the column the walk stands on (to scroll it into view), or null. */
  focusX: number | null;
}

export function layoutSkiplist(s: ZslScene): ZslLayout | null {
  const m = s.model;
  if (!m) return null;
  const { boxW, boxH, levelH, colGap, gapW, nullW, pad, top, labelH } = ZSL;
  const deleted = s.deleted;
  const levels = Math.max(1, m.level, deleted?.level ?? 0, ...m.nodes.map((n) => n.level));
  const row = scaleLinear().domain([0, levels - 1]).range([top + (levels - 1) * levelH, top]);
  const rowY = (i: number) => (levels === 1 ? top : row(i)) + boxH / 2;

  // Columns in rank order; a deleted node stays (fading) just before its old successor.
  const items: { n: ZNode; del: boolean; sort: number }[] = m.nodes.map((n) => ({ n, del: false, sort: n.rank }));
  if (deleted && !m.nodes.some((n) => n.member === deleted.member)) items.push({ n: deleted, del: true, sort: deleted.rank - 0.5 });
  items.sort((a, b) => a.sort - b.sort);

  const upd = new Map<string, number[]>();
  for (const [lv, node] of Object.entries(s.update)) upd.set(node, [...(upd.get(node) ?? []), Number(lv)]);
  const cols: ZCol[] = [];
  let x = pad;
  const mark = (member: string) => ({
    hot: s.x === member,
    compare: s.compare?.node === member,
    updateLevels: upd.get(member) ?? [],
  });
  cols.push({ kind: 'header', key: 'header', rank: 0, level: m.headerSpans.length, x, w: boxW, inserted: false, deleting: false, ...mark(HEADER), compare: false });
  x += boxW + colGap;
  let prev = 0;
  for (const it of items) {
    const r = it.del ? Math.floor(it.sort) + 1 : it.n.rank;
    if (!it.del && r - prev > 1) {
      cols.push({ kind: 'gap', key: 'gap:' + (prev + 1), rank: prev + 1, level: 0, x, w: gapW, count: r - prev - 1, hot: false, compare: false, inserted: false, deleting: false, updateLevels: [] });
      x += gapW + colGap;
    }
    cols.push({ kind: 'node', key: 'n:' + it.n.member, member: it.n.member, score: it.n.score, rank: it.n.rank, level: it.n.level, x, w: boxW, inserted: s.created === it.n.member, deleting: it.del, ...mark(it.n.member) });
    x += boxW + colGap;
    if (!it.del) prev = r;
  }
  if (m.length > prev) {
    cols.push({ kind: 'gap', key: 'gap:' + (prev + 1), rank: prev + 1, level: 0, x, w: gapW, count: m.length - prev, hot: false, compare: false, inserted: false, deleting: false, updateLevels: [] });
    x += gapW + colGap;
  }
  const nullCol: ZCol = { kind: 'null', key: 'null', rank: m.length + 1, level: levels, x, w: nullW, hot: false, compare: false, inserted: false, deleting: false, updateLevels: [] };
  cols.push(nullCol);
  x += nullW + pad;

  // Forward pointers.
  const byRank = new Map<number, ZCol>();
  for (const c of cols) if (c.kind === 'node' && !c.deleting) byRank.set(c.rank, c);
  const gaps = cols.filter((c) => c.kind === 'gap');
  const pathRight = new Set(s.path.filter((e) => e.kind === 'right').map((e) => e.from + '|' + e.level));
  const changed = new Set(s.spansChanged);
  const ptrs: ZPtr[] = [];
  for (const c of cols) {
    if (c.kind !== 'header' && c.kind !== 'node') continue;
    if (c.deleting) continue;
    const name = c.kind === 'header' ? HEADER : c.member!;
    const spans = c.kind === 'header' ? m.headerSpans : m.nodes.find((n) => n.member === c.member)?.spans ?? [];
    for (let i = 0; i < c.level && i < levels; i++) {
      const span = spans[i] ?? 0;
      const t = c.rank + span;
      let to: ZPtr['to'] = 'null';
      let x2 = nullCol.x;
      const target = span > 0 ? byRank.get(t) : undefined;
      if (target && target.level > i) { to = 'node'; x2 = target.x; }
      else if (span > 0 && !target && t <= m.length) {
        const g = gaps.find((gc) => t >= gc.rank && t < gc.rank + (gc.count ?? 0));
        if (g) { to = 'gap'; x2 = g.x + g.w / 2; }
      }
      ptrs.push({ id: c.key + '@' + i, level: i, x1: c.x + c.w, x2, y: rowY(i), span, to, path: pathRight.has(name + '|' + i), changed: changed.has(name + ':' + i) });
    }
  }
  const colOf = (name: string) => cols.find((c) => (name === HEADER ? c.kind === 'header' : c.member === name && !c.deleting));
  const downs: ZDown[] = [];
  for (const e of s.path) {
    if (e.kind !== 'down') continue;
    const c = colOf(e.from);
    if (c) downs.push({ id: e.from + '↓' + e.level, x: c.x + c.w / 2, y1: rowY(e.level + 1) + boxH / 2, y2: rowY(e.level) - boxH / 2 });
  }
  const focus = s.x !== null ? colOf(s.x) : s.created ? colOf(s.created) : undefined;
  return {
    width: x,
    height: top + levels * levelH + labelH,
    levels,
    cols,
    ptrs,
    downs,
    rowY,
    focusX: focus ? focus.x : null,
  };
}

/** The sentence screen readers get for the skiplist figure. */
export function describeSkiplist(s: ZslScene, L: ZslLayout | null): { nodes: number; levels: number; shown: number; at: string | null; level: number } {
  const m = s.model;
  return {
    nodes: m?.length ?? 0,
    levels: m?.level ?? 0,
    shown: L ? L.cols.filter((c) => c.kind === 'node').length : 0,
    at: s.x,
    level: s.xLevel,
  };
}
