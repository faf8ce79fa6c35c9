/**
 * Points for the complexity chart: (n, steps, command) for every console command on a key (n = the
 * key's size after the command, from the after snapshot), and the experiment's series.
 */
import type { ExecResponse } from '../../worker/api';
import { structSize } from '../intset/reduce';
import type { ChartPoint } from './layout';

export const MAX_POINTS_PER_SERIES = 5000;

export interface Series { id: string; label: string; points: ChartPoint[] }

/** A command's point, or null (no key, an error, or a key that does not exist afterwards). */
export function pointOf(r: ExecResponse): { key: string; point: ChartPoint } | null {
  const v = r.visual;
  if (!v || v.key === null || r.reply.t === 'error' || !v.after) return null;
  const n = structSize(v.after.value);
  if (n === null) return null;
  return { key: v.key, point: { n, steps: r.steps, cmd: (v.argv[0] ?? '').toUpperCase() } };
}

class ComplexityLog {
  /** Series by id: "key:<name>" for console keys, "exp:<cmd>" for the experiment. */
  series = $state.raw<Series[]>([]);
  /** The series the chart shows (null: the visualizer's current key). */
  selected = $state.raw<string | null>(null);

  record(r: ExecResponse): void {
    const p = pointOf(r);
    if (!p) return;
    this.add('key:' + p.key, p.key, [p.point]);
  }

  add(id: string, label: string, points: ChartPoint[]): void {
    const list = this.series.slice();
    const i = list.findIndex((s) => s.id === id);
    if (i < 0) list.push({ id, label, points: points.slice(-MAX_POINTS_PER_SERIES) });
    else list[i] = { ...list[i], points: [...list[i].points, ...points].slice(-MAX_POINTS_PER_SERIES) };
    this.series = list;
  }

  clear(id: string): void {
    this.series = this.series.filter((s) => s.id !== id);
  }
}

export const complexityLog = new ComplexityLog();
