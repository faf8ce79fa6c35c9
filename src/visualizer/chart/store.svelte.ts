/**
 * Points for the complexity chart: (n, steps, command) for every console command on a key (n = the
 * key's size after the command, from the after snapshot), and the experiment's series.
 */
import type { ExecResponse } from '../../worker/api';
import type { ChartPoint } from './layout';
import { pointOf } from './points';

export { pointOf };

export const MAX_POINTS_PER_SERIES = 5000;

export interface Series { id: string; label: string; points: ChartPoint[] }

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
