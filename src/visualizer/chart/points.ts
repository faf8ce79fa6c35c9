/** A console command's point for the complexity chart: n = the key's size after it (from the after snapshot). */
import type { ExecResponse } from '../../worker/api';
import { structSize } from '../intset/reduce';
import type { ChartPoint } from './layout';

/** A command's point, or null (no key, an error, or a key that does not exist afterwards). */
export function pointOf(r: ExecResponse): { key: string; point: ChartPoint } | null {
  const v = r.visual;
  if (!v || v.key === null || r.reply.t === 'error' || !v.after) return null;
  const n = structSize(v.after.value);
  if (n === null) return null;
  return { key: v.key, point: { n, steps: r.steps, cmd: (v.argv[0] ?? '').toUpperCase() } };
}

