/**
 * Layout of a hash table view: each table is a column of buckets (d3 scaleBand), each bucket's
 * chain runs to the right. During a rehash table 1 is placed below table 0. Pure: positions only.
 */
import { scaleBand } from 'd3-scale';
import type { DictView } from '../../engine/snapshot';
import type { Highlight } from '../scene';

export const DICT = { bucketW: 46, rowH: 30, nodeW: 96, nodeH: 22, gap: 22, pad: 8, tableGap: 34, labelH: 20, maxChain: 4 };

export interface BucketBox { table: 0 | 1; index: number; x: number; y: number; moved: boolean; hot: boolean; more: number; empty: boolean }
export interface NodeBox { id: string; table: 0 | 1; bucket: number; pos: number; x: number; y: number; hot: boolean }
export interface Link { id: string; x1: number; y1: number; x2: number; y2: number }
export interface TableBox { table: 0 | 1; y: number; size: number; used: number; from: number; omitted: number; hiddenBefore: number; hiddenAfter: number; rehashY: number | null }

export interface DictLayout {
  width: number;
  height: number;
  /** x of the bucket column (room on the left for the rehashidx marker while rehashing). */
  left: number;
  tables: TableBox[];
  buckets: BucketBox[];
  nodes: NodeBox[];
  links: Link[];
  /** Entries / buckets (table 0 + table 1), as Redis computes the load factor per table 0. */
  loadFactor: number;
}

export function loadFactor(d: DictView): number {
  const size = d.tables[0].size + (d.tables[1]?.size ?? 0);
  return size === 0 ? 0 : d.used / size;
}

export function layoutDict(d: DictView, hl: Highlight | null, target: 'keyspace' | 'value' | 'building'): DictLayout {
  const { bucketW, rowH, nodeW, nodeH, gap, pad, tableGap, labelH, maxChain } = DICT;
  const tables: TableBox[] = [];
  const buckets: BucketBox[] = [];
  const nodes: NodeBox[] = [];
  const links: Link[] = [];
  let y = pad;
  let maxLen = 0;
  const mine = hl && hl.target === target ? hl : null;
  const left = pad + (d.rehashidx >= 0 ? 66 : 0);
  for (const table of [0, 1] as const) {
    const t = d.tables[table];
    if (!t) continue;
    const top = y + labelH;
    const band = scaleBand<number>().domain(t.buckets.map((b) => b.index)).range([top, top + t.buckets.length * rowH]).paddingInner(0.12);
    let rehashY: number | null = null;
    for (const b of t.buckets) {
      const by = band(b.index) ?? top;
      const hotBucket = !!mine && mine.bucket === b.index && (mine.table ?? 0) === table;
      const moved = table === 0 && d.rehashidx > b.index;
      if (table === 0 && d.rehashidx === b.index) rehashY = by;
      const shown = b.keys.slice(0, maxChain);
      const more = b.more + (b.keys.length - shown.length);
      buckets.push({ table, index: b.index, x: left, y: by, moved, hot: hotBucket, more, empty: b.keys.length === 0 && b.more === 0 });
      maxLen = Math.max(maxLen, shown.length + (more > 0 ? 1 : 0));
      let px = left + bucketW;
      shown.forEach((key, pos) => {
        const nx = left + bucketW + gap + pos * (nodeW + gap);
        const ny = by + (band.bandwidth() - nodeH) / 2;
        nodes.push({ id: key, table, bucket: b.index, pos, x: nx, y: ny, hot: !!mine && mine.id === key });
        links.push({ id: `${table}:${b.index}:${key}`, x1: px, y1: ny + nodeH / 2, x2: nx, y2: ny + nodeH / 2 });
        px = nx + nodeW;
      });
    }
    if (table === 0 && d.rehashidx >= 0 && rehashY === null && d.rehashidx >= t.from + t.buckets.length) rehashY = top + t.buckets.length * rowH;
    tables.push({ table, y, size: t.size, used: t.used, from: t.from, omitted: t.omitted, hiddenBefore: t.from, hiddenAfter: t.size - t.from - t.buckets.length, rehashY });
    y = top + Math.max(1, t.buckets.length) * rowH + tableGap;
  }
  const width = left + pad + bucketW + gap + Math.max(2, maxLen) * (nodeW + gap) + 40;
  return { width, height: y - tableGap + pad + 14, left, tables, buckets, nodes, links, loadFactor: loadFactor(d) };
}
