/** The complexity chart: least-squares reference curves, sampling, layout, points from results, the experiment. */
import { describe, expect, it } from 'vitest';
import { fitCurve, layoutChart, samplePoints, OKABE_ITO } from '../../src/visualizer/chart/layout';
import { pointOf } from '../../src/visualizer/chart/points';
import { runExperiment } from '../../src/visualizer/chart/experiment';
import { createEngine } from '../../src/engine';
import { createApi } from '../../src/worker/api';

const series = (f: (n: number) => number, cmd = 'X') => Array.from({ length: 50 }, (_, i) => ({ n: (i + 1) * 10, steps: f((i + 1) * 10), cmd }));

describe('fitCurve / best fit', () => {
  it.each([
    ['O(1)', (_n: number) => 7],
    ['O(log n)', (n: number) => 3 * Math.log2(n + 1)],
    ['O(n)', (n: number) => 0.5 * n],
  ])('data growing like %s is fitted best by it', (name, f) => {
    const L = layoutChart(series(f));
    expect(L.best).toBe(name);
    expect(L.fits.map((x) => x.name)).toEqual(['O(1)', 'O(log n)', 'O(n)']);
    expect(L.fits.every((x) => x.d.startsWith('M'))).toBe(true);
  });

  it('c is the least-squares constant', () => {
    expect(fitCurve([{ n: 1, steps: 2, cmd: '' }, { n: 2, steps: 4, cmd: '' }], (n) => n)).toEqual({ c: 2, sse: 0 });
  });
});

describe('layoutChart', () => {
  it('one marker per point, shape and colour per command, ticks', () => {
    const L = layoutChart([...series((n) => n, 'LPUSH').slice(0, 3), ...series((n) => n, 'LINDEX').slice(0, 2)]);
    expect(L.points.length).toBe(5);
    expect(L.series.map((s) => [s.cmd, s.shape, s.color, s.count])).toEqual([['LPUSH', 'circle', OKABE_ITO[0], 3], ['LINDEX', 'square', OKABE_ITO[1], 2]]);
    expect(L.xTicks.length).toBeGreaterThan(1);
    expect(L.yTicks.length).toBeGreaterThan(1);
    for (const p of L.points) {
      expect(p.x).toBeGreaterThanOrEqual(L.margin.left);
      expect(p.y).toBeLessThanOrEqual(L.height - L.margin.bottom);
    }
  });

  it('samples long series, keeping the last point', () => {
    const s = samplePoints(Array.from({ length: 1000 }, (_, i) => i), 100);
    expect(s.length).toBe(100);
    expect(s[99]).toBe(999);
  });
});

describe('points and the experiment', () => {
  it('pointOf: n is the key size after the command', () => {
    const api = createApi(createEngine());
    expect(pointOf(api.exec('RPUSH l a b c', { visual: true }))).toEqual({ key: 'l', point: { n: 3, steps: expect.any(Number), cmd: 'RPUSH' } });
    expect(pointOf(api.exec('SADD s 1 2', { visual: true }))?.point.n).toBe(2);
    expect(pointOf(api.exec('GET nope', { visual: true }))).toBeNull();
    expect(pointOf(api.exec('LPUSH s x', { visual: true }))).toBeNull(); // WRONGTYPE
  });

  it('runExperiment: ZADD grows slowly, LINDEX at the middle grows linearly', async () => {
    const api = createApi(createEngine());
    const progress: number[] = [];
    const r = await runExperiment(api, { zadds: 300, lindex: 1000, batch: 50, onProgress: (d, t) => progress.push(d / t) });
    expect(r.zadd.length).toBe(300);
    expect(r.lindex.length).toBe(1000);
    expect(progress.at(-1)).toBe(1);
    expect(layoutChart(r.lindex).best).toBe('O(n)');
    const late = r.zadd.slice(-50).reduce((a, p) => a + p.steps, 0) / 50;
    const lindexLate = r.lindex.slice(-50).reduce((a, p) => a + p.steps, 0) / 50;
    expect(lindexLate).toBeGreaterThan(late);
    expect(api.exec('EXISTS exp:z exp:l').reply).toEqual({ t: 'int', v: 0 });
  });
});
