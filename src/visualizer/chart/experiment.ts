/**
 * The complexity experiment: a series of commands run through an engine API (a worker of its own,
 * so the student's keys stay untouched), sampled into (n, steps) points:
 *   - ZADD of `zadds` members into a new sorted set (listpack up to 128, then skiplist);
 *   - RPUSH onto a growing list, then LINDEX at its middle, `lindex` times.
 */
import type { ExecResponse } from '../../worker/api';
import type { ChartPoint } from './layout';

export interface ExecLike { exec(input: string[], options?: { visual?: boolean }): Promise<ExecResponse> | ExecResponse }

export interface ExperimentResult { zadd: ChartPoint[]; lindex: ChartPoint[]; commands: number }

export interface ExperimentOptions { zadds?: number; lindex?: number; batch?: number; onProgress?: (done: number, total: number) => void; signal?: { cancelled: boolean } }

/**
 * A list element of 1,000 bytes: a quicklist node holds 8 KB (list-max-listpack-size -2), so about
 * 8 elements per node, and walking to the middle crosses n / 16 nodes: the O(n) shows. (With tiny
 * elements a node holds hundreds and the walk inside one listpack dominates up to large n.)
 */
export function listValue(i: number): string {
  return ('item-' + i + '-').padEnd(1000, 'x');
}

export async function runExperiment(api: ExecLike, o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const zadds = o.zadds ?? 1000;
  const lindex = o.lindex ?? 1000;
  const batch = Math.max(1, o.batch ?? 100);
  const total = 2 + zadds + lindex * 2;
  let done = 0;
  const tick = (k: number) => { done += k; o.onProgress?.(done, total); };
  await api.exec(['DEL', 'exp:z', 'exp:l']);
  tick(1);
  const zadd: ChartPoint[] = [];
  for (let i = 0; i < zadds && !o.signal?.cancelled; i += batch) {
    const calls: Promise<ExecResponse>[] = [];
    for (let j = i; j < Math.min(zadds, i + batch); j++) {
      // Scores in a scrambled order, so inserts land everywhere in the skiplist.
      const score = (j * 7919) % 100003;
      calls.push(Promise.resolve(api.exec(['ZADD', 'exp:z', String(score), 'm' + j])));
    }
    const rs = await Promise.all(calls);
    rs.forEach((r, k) => zadd.push({ n: i + k + 1, steps: r.steps, cmd: 'ZADD' }));
    tick(rs.length);
  }
  const points: ChartPoint[] = [];
  for (let i = 0; i < lindex && !o.signal?.cancelled; i += batch) {
    const calls: Promise<ExecResponse>[] = [];
    for (let j = i; j < Math.min(lindex, i + batch); j++) {
      calls.push(Promise.resolve(api.exec(['RPUSH', 'exp:l', listValue(j)])));
      calls.push(Promise.resolve(api.exec(['LINDEX', 'exp:l', String(Math.floor(j / 2))])));
    }
    const rs = await Promise.all(calls);
    for (let k = 1; k < rs.length; k += 2) points.push({ n: i + (k - 1) / 2 + 1, steps: rs[k].steps, cmd: 'LINDEX' });
    tick(rs.length);
  }
  await api.exec(['DEL', 'exp:z', 'exp:l']);
  tick(1);
  return { zadd, lindex: points, commands: done };
}
