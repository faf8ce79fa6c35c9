/**
 * The skiplist view's scene and layout, fed only by snapshots and real traces: replaying a
 * command's trace over the "before" snapshot rebuilds the "after" skiplist (levels, spans, ranks),
 * the walk / update[] / coins / rank from spans, the window around the search path of a big
 * skiplist, the forced level through the worker API, narration and pseudocode.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { createApi, type VisualData } from '../../src/worker/api';
import { groupFrames } from '../../src/visualizer/frames';
import { initialZslScene, reduceZsl, modelOf, zslProgramOf, HEADER, type ZslScene } from '../../src/visualizer/skiplist/model';
import { layoutSkiplist } from '../../src/visualizer/skiplist/layout';
import { narrateZsl } from '../../src/visualizer/skiplist/narration';
import { pseudocodeForZsl } from '../../src/visualizer/pseudocode';
import { en } from '../../src/visualizer/narration/en';
import { zhCN } from '../../src/visualizer/narration/zh-CN';
import type { SkiplistView } from '../../src/engine/snapshot';

function setup() {
  const api = createApi(createEngine({ seed: 7 }));
  expect(api.exec('CONFIG SET zset-max-listpack-entries 0').reply).toEqual({ t: 'status', v: 'OK' });
  return api;
}

/** Every scene of a command (index = cursor), without the final "after" replacement. */
function scenes(data: VisualData): ZslScene[] {
  const frames = groupFrames(data.trace);
  const out = [initialZslScene(data)];
  frames.forEach((f, i) => out.push(reduceZsl(out[out.length - 1], f, i)));
  return out;
}

function plain(v: SkiplistView) {
  const m = modelOf(v);
  return { level: m.level, length: m.length, headerSpans: m.headerSpans, nodes: m.nodes };
}

describe('skiplist scene', () => {
  it('ZADD board 1 a 2 b 3 c: the replay builds the after snapshot, node by node', () => {
    const api = setup();
    const r = api.exec('ZADD board 1 a 2 b 3 c', { visual: true });
    expect(r.reply).toEqual({ t: 'int', v: 3 });
    const d = r.visual!;
    expect(d.before).toBeNull();
    expect(d.after!.encoding).toBe('skiplist');
    const s = scenes(d);
    const last = s[s.length - 1];
    expect(last.model).toEqual(plain(d.after!.value as SkiplistView));
    expect(last.model!.nodes.map((n) => n.member)).toEqual(['a', 'b', 'c']);
    // Coins were flipped, and each insertion ends with a created node.
    expect(s.some((x) => x.coins.length > 0)).toBe(true);
    expect(s.filter((x) => x.ev?.k === 'zsl.create').map((x) => x.created)).toEqual(['a', 'b', 'c']);
  });

  it('replays 300 random ZADD / ZREM / score updates exactly (levels, spans, ranks)', () => {
    const api = setup();
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    api.exec('ZADD z 0 seed');
    for (let i = 0; i < 300; i++) {
      const member = 'm' + Math.floor(rnd() * 60);
      const line = rnd() < 0.25 ? `ZREM z ${member}` : `ZADD z ${Math.floor(rnd() * 20)} ${member}`;
      const d = api.exec(line, { visual: true }).visual!;
      if (!d.after || d.after.value.kind !== 'skiplist' || !d.before) continue;
      const s = scenes(d);
      expect(s[s.length - 1].model, line).toEqual(plain(d.after.value as SkiplistView));
    }
  });

  it('ZRANK board c: the walk, the highlight per step and the rank added up from the spans', () => {
    const api = setup();
    api.exec('ZADD board 1 a 2 b 3 c');
    const r = api.exec('ZRANK board c', { visual: true });
    expect(r.reply).toEqual({ t: 'int', v: 2 });
    const s = scenes(r.visual!);
    const zsl = s.filter((x) => x.ev?.k.startsWith('zsl.'));
    const last = zsl[zsl.length - 1];
    expect(last.rankFinal).toBe(3);
    expect(last.rankTerms.reduce((a, b) => a + b, 0)).toBe(3);
    // Each step's current node is the last node the walk reached.
    for (const x of zsl) if (x.ev?.k === 'zsl.visit') expect(x.x).toBe(x.ev.node);
    expect(zsl[0].x).toBe(HEADER);
    expect(zslProgramOf(['ZRANK', 'board', 'c'])).toBe('zslGetRank');
    const frames = groupFrames(r.visual!.trace);
    const rankFrame = frames[frames.length - 1];
    expect(narrateZsl(en, rankFrame, last)).toBe('Found "c": rank 3 (the spans added up); ZRANK replies 2.');
    expect(narrateZsl(zhCN, rankFrame, last)).toContain('排名 3');
    expect(pseudocodeForZsl('zslGetRank', rankFrame.events[0])?.program.lines[4]).toContain('return rank');
  });

  it('ZREM: the node is unlinked, spans merge; pseudocode follows zslDelete', () => {
    const api = setup();
    api.exec('ZADD board 1 a 2 b 3 c 4 d');
    const d = api.exec('ZREM board b', { visual: true }).visual!;
    const s = scenes(d);
    const del = s.find((x) => x.ev?.k === 'zsl.delete')!;
    expect(del.deleted?.member).toBe('b');
    expect(del.model!.nodes.map((n) => n.member)).toEqual(['a', 'c', 'd']);
    expect(s[s.length - 1].model).toEqual(plain(d.after!.value as SkiplistView));
    expect(pseudocodeForZsl('zslDelete', { k: 'zsl.delete', node: 'b' })?.line).toBe(10);
    // The deleted node is drawn fading during its frame.
    const L = layoutSkiplist(del)!;
    expect(L.cols.find((c) => c.member === 'b')?.deleting).toBe(true);
  });

  it('layout: header and one column per node, pointers land on the node their span names', () => {
    const api = setup();
    api.exec('ZADD board 1 a 2 b 3 c 4 d 5 e');
    const d = api.exec('ZSCORE board c', { visual: true }).visual!;
    const L = layoutSkiplist(initialZslScene(d))!;
    expect(L.cols.filter((c) => c.kind === 'node').map((c) => c.member)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(L.cols[0].kind).toBe('header');
    const byX = new Map(L.cols.map((c) => [c.x, c]));
    for (const p of L.ptrs) {
      if (p.to !== 'node') continue;
      const from = L.cols.find((c) => p.id.startsWith(c.key + '@'))!;
      expect(byX.get(p.x2)!.rank - from.rank).toBe(p.span);
    }
    // A ZSCORE never walks the skiplist: only dict events.
    expect(d.trace.some((e) => e.k.startsWith('zsl.'))).toBe(false);
    expect(d.trace.some((e) => e.k === 'dict.found' && e.dict === 'board')).toBe(true);
  });
});

describe('big skiplists: a window around the search path', () => {
  it('100,000 members: the snapshot holds the path and a window, the layout stays small', () => {
    const api = createApi(createEngine({ seed: 3 }));
    for (let c = 0; c < 10; c++) {
      const args = ['ZADD', 'big'];
      for (let i = c * 10_000; i < (c + 1) * 10_000; i++) args.push(String(i), 'm' + i);
      api.exec(args);
    }
    const r = api.exec('ZADD big 50000.5 new', { visual: true });
    expect(r.reply).toEqual({ t: 'int', v: 1 });
    const after = r.visual!.after!.value as SkiplistView;
    expect(after.sparse).toBe(true);
    expect(after.length).toBe(100_001);
    expect(after.nodes.length).toBeLessThan(120);
    expect(after.nodes.some((n) => n.member === 'new' && n.rank === 50_002)).toBe(true);
    const s = scenes(r.visual!);
    for (const x of s) {
      const L = layoutSkiplist(x)!;
      const nodes = L.cols.filter((c) => c.kind === 'header' || c.kind === 'node').length;
      expect(nodes).toBeLessThan(500);
      const hidden = L.cols.filter((c) => c.kind === 'gap').reduce((a, c) => a + (c.count ?? 0), 0);
      expect(hidden + L.cols.filter((c) => c.kind === 'node' && !c.deleting).length).toBe(x.model!.length);
    }
    // Every node the walk named is drawn.
    const named = new Set(r.visual!.trace.flatMap((e) => ('node' in e && e.k.startsWith('zsl.') ? [String(e.node)] : [])));
    named.delete(HEADER);
    const before = new Set((r.visual!.before!.value as SkiplistView).nodes.map((n) => n.member));
    for (const n of named) if (n !== 'new') expect(before.has(n), n).toBe(true);
    expect(s[s.length - 1].model!.nodes.find((n) => n.member === 'new')?.rank).toBe(50_002);
  });
});

describe('Force next level', () => {
  it('the next ZADD into the skiplist inserts a node of the forced level, without coin flips', () => {
    const api = setup();
    api.exec('ZADD board 1 a 2 b 3 c');
    expect(api.forceNextLevel(5)).toBe(5);
    // A command that inserts nothing keeps the force pending.
    api.exec('ZADD board 1 a');
    const r = api.exec('ZADD board 4 d', { visual: true });
    expect(r.visual!.forcedLevel).toBe(5);
    expect(r.visual!.trace.some((e) => e.k === 'zsl.coin')).toBe(false);
    expect(r.visual!.trace.find((e) => e.k === 'zsl.create')).toMatchObject({ node: 'd', level: 5 });
    const after = r.visual!.after!.value as SkiplistView;
    expect(after.level).toBe(5);
    // Consumed: the next insertion flips coins again.
    const r2 = api.exec('ZADD board 5 e', { visual: true });
    expect(r2.visual!.forcedLevel).toBeUndefined();
    expect(r2.visual!.trace.some((e) => e.k === 'zsl.coin')).toBe(true);
    expect(api.forceNextLevel(99)).toBe(32);
    expect(api.forceNextLevel(null)).toBeNull();
    expect(api.forceNextLevel('x' as never)).toBeNull();
  });
});

describe('narration tables', () => {
  it('zh-CN has every skiplist message of en', () => {
    expect(Object.keys(zhCN.zsl).sort()).toEqual(Object.keys(en.zsl).sort());
    expect(Object.keys(zhCN.zsl.say).sort()).toEqual(Object.keys(en.zsl.say).sort());
  });
});
