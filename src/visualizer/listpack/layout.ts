/**
 * Layout of a listpack: a header, the entries in a row (wrapping; d3 scaleBand for the columns),
 * then the end byte. Hash and zset listpacks draw one node per (field, value) / (member, score) pair.
 */
import { scaleBand } from 'd3-scale';
import type { ListpackView } from '../../engine/snapshot';
import type { Highlight } from '../scene';

export const LP = { nodeW: 92, nodeH: 46, gap: 10, pad: 8, perRow: 5, hdrW: 44 };

export interface LpNode { key: string; id: string; first: string; second: string | null; index: number; x: number; y: number; hot: boolean }

export interface LpLayout { width: number; height: number; nodes: LpNode[]; hdr: { x: number; y: number }; end: { x: number; y: number }; elements: number }

export function layoutListpack(v: ListpackView, hl: Highlight | null): LpLayout {
  const { nodeW, nodeH, gap, pad, perRow, hdrW } = LP;
  const g = v.group;
  const count = Math.ceil(v.entries.length / g);
  const slots = count + 2; // header + entries + end
  const cols = Math.min(perRow, slots);
  const band = scaleBand<number>().domain(Array.from({ length: cols }, (_, i) => i)).range([pad, pad + cols * (nodeW + gap)]).paddingInner(gap / (nodeW + gap));
  const pos = (slot: number) => ({ x: band(slot % cols) ?? pad, y: pad + Math.floor(slot / cols) * (nodeH + gap + 6) });
  const nodes: LpNode[] = [];
  const hotIndex = hl && hl.target === 'value' && hl.index !== undefined ? hl.index : null;
  for (let i = 0; i < count; i++) {
    const idx = v.from + i * g;
    const first = v.entries[i * g];
    const second = g === 2 ? v.entries[i * g + 1] ?? null : null;
    const hot = hotIndex !== null ? hotIndex >= idx && hotIndex < idx + g : !!hl && hl.target === 'value' && hl.id === first;
    // Keyed by field for hashes and zsets (unique), by position for plain lists.
    nodes.push({ key: g === 2 ? 'f:' + first : 'i:' + idx, id: first, first, second, index: idx, ...pos(i + 1), hot });
  }
  const rows = Math.ceil(slots / cols);
  return {
    width: pad * 2 + cols * (nodeW + gap) - gap + (hdrW - hdrW),
    height: pad * 2 + rows * (nodeH + gap + 6) - gap,
    nodes,
    hdr: pos(0),
    end: pos(count + 1),
    elements: Math.floor(v.total / g),
  };
}
