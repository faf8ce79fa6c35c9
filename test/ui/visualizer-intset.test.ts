/**
 * The intset view's scene and layout: probes with the remaining search range, inserts, the
 * 16 -> 32 -> 64 bit upgrade, and the conversion to a hash table handing over to the dict view.
 */
import { describe, expect, it } from 'vitest';
import { groupFrames } from '../../src/visualizer/frames';
import { initialScene, makeContext, reduceScene, finalScene, type Scene } from '../../src/visualizer/scene';
import { narrate, VIS_MESSAGES } from '../../src/visualizer/narration/index';
import { pseudocodeFor } from '../../src/visualizer/pseudocode';
import { layoutIntset } from '../../src/visualizer/intset/layout';
import { searchRange, type IntsetSceneView } from '../../src/visualizer/intset/reduce';
import { createEngine } from '../../src/engine';
import { createApi, type VisualData } from '../../src/worker/api';

function setup() {
  const api = createApi(createEngine());
  return (line: string) => api.exec(line, { visual: true }).visual as VisualData;
}

function scenes(data: VisualData): { s: Scene; prev: Scene; f: ReturnType<typeof groupFrames>[number] }[] {
  const frames = groupFrames(data.trace);
  const ctx = makeContext(data);
  let s = initialScene(data);
  return frames.map((f, i) => { const prev = s; s = reduceScene(s, f, i, ctx); return { s, prev, f }; });
}

describe('searchRange', () => {
  it.each([
    [[], 5, null],
    [[{ index: 4, cmp: -1 }], 5, [0, 3]],
    [[{ index: 4, cmp: -1 }, { index: 0, cmp: 1 }, { index: 2, cmp: 1 }], 5, [3, 3]],
    [[{ index: 2, cmp: 0 }], 5, [2, 2]],
    [[{ index: 4, cmp: 1 }], 5, [5, 4]],
  ])('%j of %i -> %j', (probes, total, want) => {
    expect(searchRange(probes as never, total)).toEqual(want);
  });
});

describe('intset scene', () => {
  it('SADD s 1 2 3 on a new key builds the intset; each search narrows the range', () => {
    const run = setup();
    const data = run('SADD s 1 2 3');
    const all = scenes(data);
    const last = all.at(-1)!.s.value as IntsetSceneView;
    expect(last).toMatchObject({ kind: 'intset', width: 2, values: ['1', '2', '3'], total: 3 });
    expect(all.at(-1)!.s.meta).toEqual({ type: 'set', encoding: 'intset' });
    const probe = all.find((x) => x.f.events[0].k === 'is.probe')!;
    expect(probe.s.hl).toMatchObject({ mode: 'probe', index: 0 });
    expect(narrate(VIS_MESSAGES.en, probe.f, probe.prev)).toBe('Binary search: compare with 1 at position 0: the value is larger, look right.');
    expect(pseudocodeFor(probe.f.events[0])?.program.lines[4]).toMatch(/mid = \(lo \+ hi\) \/ 2/);
  });

  it('SISMEMBER probes are drawn, cells outside the range fade', () => {
    const run = setup();
    run('SADD s 1 2 3 4 5 6 7 8 9');
    const all = scenes(run('SISMEMBER s 7'));
    const probes = all.filter((x) => x.f.events[0].k === 'is.probe');
    expect(probes.length).toBeGreaterThan(2);
    const last = probes.at(-1)!.s;
    expect(last.hl).toMatchObject({ mode: 'found', id: '7' });
    const L = layoutIntset(last.value as IntsetSceneView, last.hl);
    expect(L.cells.filter((c) => c.hot).map((c) => c.value)).toEqual(['7']);
    expect(L.cells.filter((c) => !c.out).map((c) => c.value)).toEqual(['7']);
  });

  it('SADD s 100000 upgrades int16 -> int32, then SADD s 5000000000 to int64', () => {
    const run = setup();
    run('SADD s 1 2 3');
    const up = scenes(run('SADD s 100000'));
    const u = up.find((x) => x.f.events[0].k === 'is.upgrade')!;
    expect((u.s.value as IntsetSceneView).width).toBe(4);
    expect(u.s.hl?.mode).toBe('upgrade');
    const L = layoutIntset(u.s.value as IntsetSceneView, u.s.hl);
    expect([L.fromBits, L.bits]).toEqual([16, 32]);
    expect(narrate(VIS_MESSAGES.en, u.f, u.prev)).toMatch(/from int16 to int32/);
    expect(narrate(VIS_MESSAGES['zh-CN'], u.f, u.prev)).toMatch(/int16 升级为 int32/);
    expect((up.at(-1)!.s.value as IntsetSceneView).values).toEqual(['1', '2', '3', '100000']);
    const up64 = scenes(run('SADD s -5000000000'));
    expect((up64.at(-1)!.s.value as IntsetSceneView).values).toEqual(['-5000000000', '1', '2', '3', '100000']);
    expect((up64.at(-1)!.s.value as IntsetSceneView).width).toBe(8);
  });

  it('SADD s x converts to a hash table: the intset stays as the source while the dict fills', () => {
    const run = setup();
    run('SADD s 1 2 3 100000');
    const data = run('SADD s x');
    const all = scenes(data);
    const conv = all.find((x) => x.f.events[0].k === 'obj.convert')!;
    expect(conv.s.meta?.encoding).toBe('hashtable');
    expect(conv.s.source?.kind).toBe('intset');
    expect(conv.s.value?.kind).toBe('dict');
    expect(pseudocodeFor(conv.f.events[0])?.program.id).toBe('setConvert');
    const fin = all.at(-1)!.s;
    expect(fin.value?.kind).toBe('dict');
    expect(finalScene(fin, data).source).toBeNull();
  });
});
