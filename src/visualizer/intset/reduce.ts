/**
 * Intset edits for the scene, from trace events only: binary search probes (is.probe, with the
 * range still possible after each comparison), inserts and deletes (the tail moves), and the
 * 16 -> 32 -> 64 bit upgrade (is.upgrade). Copy on write.
 */
import type { IntsetView, StructView } from '../../engine/snapshot';
import type { TraceEvent } from '../../engine/trace';
import type { Highlight, Scene, SceneContext } from '../scene';

export type IntsetEvent = Extract<TraceEvent, { k: `is.${string}` }>;

/** The intset as the scene holds it: the snapshot view plus what the current command did to it. */
export interface IntsetSceneView extends IntsetView {
  /** Probes of the current search, in order (cmp: the searched value compared with the probed one). */
  probes?: { index: number; cmp: -1 | 0 | 1 }[];
  /** Set by is.upgrade: the width before (bytes per value). */
  upgradedFrom?: number;
}

export function isIntsetEvent(ev: TraceEvent): ev is IntsetEvent {
  return ev.k.startsWith('is.');
}

export function emptyIntset(): IntsetSceneView {
  return { kind: 'intset', width: 2, from: 0, values: [], total: 0 };
}

/**
 * The positions the search can still end in, [lo, hi] (absolute indexes), after the probes so far:
 * a probe the value is larger than excludes it and everything before it, and conversely.
 */
export function searchRange(probes: readonly { index: number; cmp: number }[] | undefined, total: number): [number, number] | null {
  if (!probes || probes.length === 0) return null;
  let lo = 0;
  let hi = total - 1;
  for (const p of probes) {
    if (p.cmp > 0) lo = Math.max(lo, p.index + 1);
    else if (p.cmp < 0) hi = Math.min(hi, p.index - 1);
    else { lo = p.index; hi = p.index; }
  }
  return [lo, hi];
}

export function reduceIntset(s: Scene, ev: IntsetEvent, ctx: SceneContext): Scene {
  let v = s.value as IntsetSceneView | null;
  let meta = s.meta;
  if (!v && ctx.data.after?.encoding === 'intset') {
    v = emptyIntset();
    meta = { type: ctx.data.after.type, encoding: 'intset' };
  }
  if (!v || v.kind !== 'intset') return { ...s, hl: { target: 'value', id: null, index: 'index' in ev ? ev.index : undefined, mode: 'other' } };
  const done = (value: IntsetSceneView, hl: Highlight): Scene => ({ ...s, meta, value, hl });
  switch (ev.k) {
    case 'is.probe': {
      const probes = [...(v.probes ?? []), { index: ev.index, cmp: ev.cmp }];
      return done({ ...v, probes }, { target: 'value', id: String(ev.value), index: ev.index, mode: ev.cmp === 0 ? 'found' : 'probe' });
    }
    case 'is.insert': {
      const pos = ev.index - v.from;
      const values = v.values.slice();
      if (pos >= 0 && pos <= values.length) values.splice(pos, 0, String(ev.value));
      return done({ ...v, values, total: v.total + 1, probes: undefined }, { target: 'value', id: String(ev.value), index: ev.index, mode: 'insert' });
    }
    case 'is.delete': {
      const pos = ev.index - v.from;
      const values = v.values.slice();
      const victim = values[pos] ?? null;
      if (pos >= 0 && pos < values.length) values.splice(pos, 1);
      return done({ ...v, values, total: Math.max(0, v.total - 1), probes: undefined }, { target: 'value', id: victim, index: ev.index, mode: 'delete' });
    }
    case 'is.upgrade':
      return done({ ...v, width: ev.to / 8, upgradedFrom: ev.from / 8, probes: undefined }, { target: 'value', id: null, mode: 'upgrade' });
  }
  return s;
}

/** The size of a value for the complexity chart. */
export function structSize(v: StructView | null | undefined): number | null {
  if (!v) return null;
  switch (v.kind) {
    case 'intset': return v.total;
    case 'quicklist': return v.count;
    case 'listpack': return Math.floor(v.total / v.group);
    case 'dict': return v.used;
    case 'skiplist': return v.length;
    case 'string': return v.length;
    default: return null;
  }
}
