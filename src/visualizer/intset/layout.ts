/**
 * Layout of an intset: the sorted integers in a row (wrapping), each cell as wide as its encoding
 * (int16 / int32 / int64), the binary search's remaining range, the probed cell.
 */
import type { IntsetView } from '../../engine/snapshot';
import type { Highlight } from '../scene';
import { searchRange, type IntsetSceneView } from './reduce';

export const IS = { cellW: { 2: 54, 4: 92, 8: 168 } as Record<number, number>, cellH: 34, gap: 6, pad: 8, top: 6, maxWidth: 760 };

export interface IsCell { key: string; value: string; index: number; x: number; y: number; w: number; hot: boolean; out: boolean; copied: boolean }

export interface IsLayout { width: number; height: number; cells: IsCell[]; bits: number; range: [number, number] | null; fromBits: number | null }

export function cellWidth(width: number): number {
  return IS.cellW[width] ?? IS.cellW[8];
}

/**
 * `copied`: values already added to the hash table a conversion is filling (when drawn as the
 * conversion's source).
 */
export function layoutIntset(v: IntsetView, hl: Highlight | null, copied?: ReadonlySet<string>): IsLayout {
  const sv = v as IntsetSceneView;
  const w = cellWidth(v.width);
  const perRow = Math.max(1, Math.floor((IS.maxWidth - IS.pad * 2 + IS.gap) / (w + IS.gap)));
  const range = searchRange(sv.probes, v.total);
  const cells: IsCell[] = v.values.map((value, i) => {
    const index = v.from + i;
    const hot = !!hl && hl.mode !== 'delete' && hl.mode !== 'upgrade' && (hl.index !== undefined ? hl.index === index : hl.id === value) && (hl.target === 'value' || hl.target === 'source');
    return {
      key: value,
      value,
      index,
      x: IS.pad + (i % perRow) * (w + IS.gap),
      y: IS.top + IS.pad + Math.floor(i / perRow) * (IS.cellH + IS.gap + 12),
      w,
      hot,
      out: range !== null && (index < range[0] || index > range[1]),
      copied: !!copied && copied.has(value),
    };
  });
  const cols = Math.min(perRow, Math.max(1, v.values.length));
  const rows = Math.max(1, Math.ceil(v.values.length / perRow));
  return {
    width: IS.pad * 2 + cols * (w + IS.gap) - IS.gap,
    height: IS.top + IS.pad * 2 + rows * (IS.cellH + IS.gap + 12) - IS.gap,
    cells,
    bits: v.width * 8,
    range,
    fromBits: sv.upgradedFrom !== undefined && hl?.mode === 'upgrade' ? sv.upgradedFrom * 8 : null,
  };
}
