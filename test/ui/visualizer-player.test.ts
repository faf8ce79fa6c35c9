/**
 * The player's timeline (keyframes: random access, stepping back never replays from zero), frame
 * grouping, the scene reducer (replaying a real trace over the "before" snapshot rebuilds the
 * "after" snapshot), narration in both languages and the pseudocode lines.
 */
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/visualizer/timeline';
import { groupFrames } from '../../src/visualizer/frames';
import { initialScene, makeContext, reduceScene, finalScene, type Scene } from '../../src/visualizer/scene';
import { VIS_MESSAGES, narrate } from '../../src/visualizer/narration/index';
import { en } from '../../src/visualizer/narration/en';
import { zhCN } from '../../src/visualizer/narration/zh-CN';
import { pseudocodeFor } from '../../src/visualizer/pseudocode';
import { createEngine } from '../../src/engine';
import { createApi, type VisualData } from '../../src/worker/api';
import type { TraceEvent } from '../../src/engine/trace';

/** A timeline of numbers: state = sum of the frames so far. */
function sums(frames: number[], K: number) {
  return new Timeline<number, number>({ initial: 0, frames, reduce: (s, f) => s + f }, K);
}

describe('Timeline (keyframes)', () => {
  const frames = Array.from({ length: 50 }, (_, i) => i + 1);
  const sumTo = (i: number) => (i * (i + 1)) / 2;

  it.each([
    // K, sequence of cursors
    [1, [0, 50, 49, 10, 11, 0]],
    [4, [50, 49, 48, 3, 4, 5, 27]],
    [16, [0, 1, 2, 3, 50, 17, 16, 15, 0, 33]],
    [64, [50, 25, 0, 49]],
  ])('K=%i: stateAt is exact for %j', (K, cursors) => {
    const t = sums(frames, K);
    for (const c of cursors) expect(t.stateAt(c)).toBe(sumTo(c));
  });

  it('clamps out-of-range cursors', () => {
    const t = sums(frames, 8);
    expect(t.stateAt(-5)).toBe(0);
    expect(t.stateAt(500)).toBe(sumTo(50));
    expect(t.length).toBe(50);
  });

  it.each([
    // K, from, to, most reduce calls for the jump back
    [16, 50, 49, 15],
    [16, 50, 1, 1],
    [8, 40, 39, 7],
    [4, 50, 10, 3],
  ])('K=%i: jumping back from %i to %i replays at most %i frames, never from zero', (K, from, to, most) => {
    const t = sums(frames, K);
    t.stateAt(from);
    const before = t.reduceCalls;
    expect(t.stateAt(to)).toBe(sumTo(to));
    expect(t.reduceCalls - before).toBeLessThanOrEqual(most);
  });

  it('stepping forward one frame runs reduce once', () => {
    const t = sums(frames, 16);
    t.stateAt(20);
    const before = t.reduceCalls;
    for (let i = 21; i <= 30; i++) t.stateAt(i);
    expect(t.reduceCalls - before).toBe(10);
  });

  it('applies atEnd at the last frame only (and to an empty trace)', () => {
    const t = new Timeline<number, number>({ initial: 0, frames: [1, 2], reduce: (s, f) => s + f, atEnd: (s) => -s }, 4);
    expect([t.stateAt(0), t.stateAt(1), t.stateAt(2)]).toEqual([0, 1, -3]);
    const empty = new Timeline<number, number>({ initial: 5, frames: [], reduce: (s) => s, atEnd: () => 42 });
    expect(empty.stateAt(0)).toBe(42);
  });
});

describe('groupFrames', () => {
  const visit: TraceEvent = { k: 'dict.visit', dict: 'keyspace', key: 'a', bucket: 1, table: 0 };
  const found: TraceEvent = { k: 'dict.found', dict: 'keyspace', key: 'a', bucket: 1, table: 0 };
  const hash: TraceEvent = { k: 'dict.hash', dict: 'keyspace', key: 'a', bucket: 1, table: 0 };
  const step: TraceEvent = { k: 'step', line: 3, say: 'dict.hash' };
  it.each([
    ['one frame per event', [hash, visit], [['dict.hash'], ['dict.visit']]],
    ['found merges into its visit', [hash, visit, found], [['dict.hash'], ['dict.visit', 'dict.found']]],
    ['a step annotates the next frame', [step, hash], [['dict.hash']]],
    ['rehashDone merges into the rehash step', [{ k: 'dict.rehashStep', dict: 'd', bucket: 0, moved: [], rehashidx: 1 }, { k: 'dict.rehashDone', dict: 'd', size: 8 }], [['dict.rehashStep', 'dict.rehashDone']]],
    ['empty', [], []],
  ] as [string, TraceEvent[], string[][]][])('%s', (_name, trace, kinds) => {
    const f = groupFrames(trace);
    expect(f.map((x) => x.events.map((e) => e.k))).toEqual(kinds);
  });
  it('keeps the step event on the frame', () => {
    expect(groupFrames([step, hash])[0].step).toEqual(step);
  });
});

/** Run commands; return the visual data of the last one. */
function visualOf(lines: string[][]): { data: VisualData; steps: number } {
  const e = createEngine({ seed: 11 });
  const api = createApi(e);
  let r = api.exec(lines[0], { visual: true });
  for (const l of lines.slice(1)) r = api.exec(l, { visual: true });
  return { data: r.visual!, steps: r.steps };
}

function replay(data: VisualData): Scene[] {
  const frames = groupFrames(data.trace);
  const ctx = makeContext(data);
  const out = [initialScene(data)];
  frames.forEach((f, i) => out.push(reduceScene(out[out.length - 1], f, i, ctx)));
  return out;
}

function chains(v: unknown): string[] {
  const d = v as { kind: string; tables: ({ buckets: { index: number; keys: string[] }[] } | null)[] };
  return d.tables.flatMap((t, ti) => (t ? t.buckets.filter((b) => b.keys.length).map((b) => `${ti}:${b.index}:${b.keys.join(',')}`) : []));
}

describe('scene: replaying the trace over the before snapshot rebuilds the after snapshot', () => {
  it.each([
    ['SET on an empty db (table created)', [['SET', 'k', 'v']]],
    ['the 5th key starts a rehash', ['a', 'b', 'c', 'd', 'e'].map((k) => ['SET', k, 'v'])],
    ['rehash steps move buckets, then done', [...['a', 'b', 'c', 'd', 'e'].map((k) => ['SET', k, 'v']), ['GET', 'a'], ['GET', 'b'], ['SET', 'f', '1']]],
    ['DEL unlinks', [['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a']]],
  ])('keyspace: %s', (_name, lines) => {
    const { data } = visualOf(lines);
    const scenes = replay(data);
    const last = scenes[scenes.length - 1];
    expect(chains(last.keyspace)).toEqual(chains(data.keyspaceAfter));
    expect(last.keyspace.rehashidx).toBe(data.keyspaceAfter.rehashidx);
    expect(last.keyspace.used).toBe(data.keyspaceAfter.used);
  });

  it('a listpack hash: HSET inserts entries; the highlight follows the visited field', () => {
    const { data } = visualOf([['HSET', 'h', 'f1', 'a', 'f2', 'b', 'f3', 'c'], ['HGET', 'h', 'f3']]);
    const scenes = replay(data);
    const last = scenes[scenes.length - 1];
    expect(last.value).toEqual(data.after!.value);
    const visited = scenes.filter((s) => s.hl?.target === 'value').map((s) => s.hl!.id);
    expect(visited[visited.length - 1]).toBe('f3');
  });

  it('listpack -> hashtable: the table is built while converting, then replaces the listpack', () => {
    const { data } = visualOf([
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'],
      ['HSET', 'h', 'f1', '1'], ['HSET', 'h', 'f2', '2'], ['HSET', 'h', 'f3', '3'], ['HSET', 'h', 'f4', '4'],
      ['HSET', 'h', 'f5', '5'],
    ]);
    expect(data.before!.encoding).toBe('listpack');
    expect(data.after!.encoding).toBe('hashtable');
    const scenes = replay(data);
    expect(scenes.some((s) => s.building !== null && s.value?.kind === 'listpack')).toBe(true);
    const conv = scenes.findIndex((s) => s.meta?.encoding === 'hashtable');
    expect(conv).toBeGreaterThan(0);
    expect(scenes[conv].hl?.mode).toBe('convert');
    const last = scenes[scenes.length - 1];
    expect(last.value?.kind).toBe('dict');
    expect(chains(last.value).sort()).toEqual(chains(data.after!.value).sort());
    const fin = finalScene(last, data);
    expect(fin.value).toEqual(data.after!.value);
  });

  it('a zset listpack: ZADD inserts member/score pairs', () => {
    const { data } = visualOf([['ZADD', 'z', '1', 'a', '2', 'b']]);
    const scenes = replay(data);
    expect(scenes[scenes.length - 1].value).toEqual(data.after!.value);
  });
});

describe('narration and pseudocode', () => {
  it('zh-CN has every key of en', () => {
    expect(Object.keys(zhCN.ui).sort()).toEqual(Object.keys(en.ui).sort());
    expect(Object.keys(zhCN.say).sort()).toEqual(Object.keys(en.say).sort());
  });

  it.each([
    ['en', 'Hash "k": bucket 2 of table 0.', 'step 3 of 7 · 7 steps · O(1)'],
    ['zh-CN', '计算 "k" 的哈希：落在哈希表 0 的第 2 号桶。', '第 3 / 7 步 · 共 7 个基本步骤 · O(1)'],
  ] as const)('%s', (lang, hashLine, counter) => {
    const m = VIS_MESSAGES[lang];
    const f = groupFrames([{ k: 'dict.hash', dict: 'keyspace', key: 'k', bucket: 2, table: 0 }])[0];
    expect(narrate(m, f, null)).toBe(hashLine);
    expect(m.ui.counter(3, 7, 7, 'O(1)')).toBe(counter);
  });

  it('narrates every traced frame of real commands in both languages, values as text', () => {
    const { data } = visualOf([
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'],
      ['HSET', 'h', '<img src=x onerror=alert(1)>', '1', 'b', '2', 'c', '3'],
    ]);
    const frames = groupFrames(data.trace);
    expect(frames.length).toBeGreaterThan(3);
    for (const m of [en, zhCN]) {
      for (const f of frames) {
        const s = narrate(m, f, null);
        expect(s.length).toBeGreaterThan(0);
        expect(s).not.toContain('undefined');
      }
    }
  });

  it.each([
    [{ k: 'dict.hash', dict: 'keyspace', key: 'a', bucket: 0, table: 0 }, 'dictFind', '  idx = h & sizemask[table]'],
    [{ k: 'dict.insert', dict: 'keyspace', key: 'a', bucket: 0, table: 0 }, 'dictAdd', 'ht[idx] = entry; used++'],
    [{ k: 'dict.rehashStep', dict: 'keyspace', bucket: 0, moved: ['a'], rehashidx: 1 }, 'dictRehash', '  he.next = ht[1][idx]; ht[1][idx] = he'],
    [{ k: 'lp.visit', index: 0 }, 'lpFind', '  if p == field: return p'],
    [{ k: 'obj.convert', key: 'h', from: 'listpack', to: 'hashtable' }, 'convert', '  o.encoding = HT; o.ptr = d'],
  ] as [TraceEvent, string, string][])('pseudocode for %j', (ev, program, line) => {
    const p = pseudocodeFor(ev)!;
    expect(p.program.id).toBe(program);
    expect(p.program.lines[p.line]).toBe(line);
  });
});
