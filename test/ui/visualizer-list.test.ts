/**
 * The list view's scene and layout: replaying a real list trace (ql.* / lp.* events) over the
 * "before" snapshot rebuilds the "after" snapshot, nodes created, split, merged and deleted
 * included; the walk highlights node by node, then the entry; the textbook and quicklist layouts.
 */
import { describe, expect, it } from 'vitest';
import { groupFrames } from '../../src/visualizer/frames';
import { initialScene, makeContext, reduceScene, type Scene } from '../../src/visualizer/scene';
import { narrate, VIS_MESSAGES } from '../../src/visualizer/narration/index';
import { pseudocodeFor } from '../../src/visualizer/pseudocode';
import { layoutTextbook, layoutQuicklist, flatten } from '../../src/visualizer/list/layout';
import { createEngine } from '../../src/engine';
import { createApi, type VisualData } from '../../src/worker/api';
import type { QuicklistView } from '../../src/engine/snapshot';

function setup() {
  const api = createApi(createEngine());
  return (line: string, maxNodes = 500) => {
    const r = api.exec(line, { visual: true, maxNodes });
    return { r, data: r.visual as VisualData };
  };
}

/** Every scene of a command's frames (before atEnd). */
function scenes(data: VisualData): Scene[] {
  const frames = groupFrames(data.trace);
  const ctx = makeContext(data);
  const out = [initialScene(data)];
  frames.forEach((f, i) => out.push(reduceScene(out[out.length - 1], f, i, ctx)));
  return out;
}

const shape = (v: QuicklistView) => ({ len: v.len, count: v.count, nodes: v.nodes.map((n) => ({ id: n.id, count: n.count, entries: n.entries })) });

describe('list scene: replaying the trace rebuilds the after snapshot', () => {
  it.each([
    ['default fill', [] as string[]],
    ['4 entries per node (splits and merges)', ['CONFIG SET list-max-listpack-size 4']],
  ])('%s', (_name, pre) => {
    const run = setup();
    for (const c of pre) run(c);
    const cmds = [
      'LPUSH q x', 'RPUSH q y z', 'LINDEX q 1', 'LPUSH q a b c d e', 'RPUSH q f g h i j k',
      'LINSERT q BEFORE y w', 'LINSERT q AFTER c c2', 'LSET q -1 zz', 'LSET q 3 three', 'LREM q 0 w',
      'LPOP q', 'RPOP q 2', 'LTRIM q 1 -2', 'LINSERT q AFTER x mid', 'RPUSH q y y y', 'LREM q -2 y', 'LPOP q 100',
    ];
    for (const c of cmds) {
      const { data } = run(c);
      const all = scenes(data);
      const last = all[all.length - 1];
      if (data.after) {
        expect(last.value?.kind, c).toBe('quicklist');
        expect(shape(last.value as QuicklistView), c).toEqual(shape(data.after.value as QuicklistView));
        expect(last.meta, c).toEqual({ type: 'list', encoding: 'quicklist' });
      } else {
        // The key is gone: the last node was deleted.
        expect((last.value as QuicklistView).count, c).toBe(0);
      }
    }
  });
});

describe('list scene: a seeded fuzz of list commands', () => {
  it.each([[2], [3], [5]])('list-max-listpack-size %i: every command rebuilds its after snapshot', (fill) => {
    const run = setup();
    run(`CONFIG SET list-max-listpack-size ${fill}`);
    let seed = fill * 7919;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const kinds = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const v = 'v' + rnd(12);
      const idx = rnd(14) - 7;
      const ops = [`LPUSH q ${v}`, `RPUSH q ${v} ${v}x`, `LINSERT q BEFORE ${v} n${i}`, `LINSERT q AFTER ${v} n${i}`, `LSET q ${idx} s${i}`,
        `LREM q ${rnd(3) - 1} ${v}`, 'LPOP q', 'RPOP q', `LTRIM q ${rnd(3)} ${-1 - rnd(3)}`, `LINDEX q ${idx}`, `RPUSH q a${i} b${i} c${i} d${i}`];
      const c = ops[rnd(ops.length)];
      const { data } = run(c);
      for (const e of data.trace) kinds.add(e.k);
      const last = scenes(data).at(-1)!;
      if (data.after) expect(shape(last.value as QuicklistView), `#${i} ${c}`).toEqual(shape(data.after.value as QuicklistView));
      else if (last.value) expect((last.value as QuicklistView).count, `#${i} ${c}`).toBe(0);
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['ql.split', 'ql.createNode', 'ql.deleteNode', 'ql.delete', 'ql.visitEntry']));
  });
});

describe('list scene: the walk', () => {
  it('LINDEX q 1 visits the node, then the entry; narration and pseudocode follow', () => {
    const run = setup();
    run('LPUSH q x');
    run('RPUSH q y z');
    const { data } = run('LINDEX q 1');
    const frames = groupFrames(data.trace);
    const all = scenes(data);
    const listFrames = frames.map((f, i) => ({ f, s: all[i + 1], prev: all[i] })).filter((x) => x.f.events[0].k.startsWith('ql.'));
    expect(listFrames.map((x) => x.f.events.map((e) => e.k))).toEqual([['ql.visitNode'], ['ql.visitEntry', 'lp.visit']]);
    expect(listFrames[0].s.hl).toMatchObject({ target: 'value', node: 1, index: undefined, mode: 'visit' });
    expect(listFrames[1].s.hl).toMatchObject({ target: 'value', node: 1, index: 1, id: 'y', mode: 'visit' });
    const m = VIS_MESSAGES.en;
    expect(narrate(m, listFrames[1].f, listFrames[1].prev)).toBe(`Inside node 1's listpack, reach entry 1 ("y").`);
    expect(narrate(VIS_MESSAGES['zh-CN'], listFrames[1].f, listFrames[1].prev)).toContain('"y"');
    expect(pseudocodeFor(listFrames[0].f.events[0])?.program.lines[pseudocodeFor(listFrames[0].f.events[0])!.line]).toMatch(/nearer end/);
    // The textbook layout: the whole node, then only y.
    const hot = (s: Scene) => layoutTextbook(s.value as QuicklistView, s.hl).cells.filter((c) => c.kind === 'item' && c.hot).map((c) => (c.kind === 'item' ? c.value : ''));
    expect(hot(listFrames[0].s)).toEqual(['x', 'y', 'z']);
    expect(hot(listFrames[1].s)).toEqual(['y']);
  });

  it('LPUSH on a new key builds the list from an empty quicklist; LSET overwrites', () => {
    const run = setup();
    const { data } = run('LPUSH q x');
    const all = scenes(data);
    expect(all[0].value).toBeNull();
    const s = all.find((x) => x.value?.kind === 'quicklist' && (x.value as QuicklistView).count === 1)!;
    expect(s.hl).toMatchObject({ mode: 'insert', id: 'x', node: 1 });
    const lset = run('LSET q 0 X').data;
    const fin = scenes(lset).at(-1)!;
    expect((fin.value as QuicklistView).nodes[0].entries).toEqual(['X']);
    expect(pseudocodeFor(groupFrames(lset.trace).map((f) => f.events[0]).find((e) => e.k === 'ql.insert'))?.line).toBe(5);
  });
});

describe('list layouts', () => {
  const v = (counts: number[], cut = Infinity): QuicklistView => {
    let k = 0;
    return {
      kind: 'quicklist', len: counts.length, count: counts.reduce((a, b) => a + b, 0), from: 0, fill: -2, compress: 0,
      nodes: counts.map((c, i) => ({ id: i + 1, count: c, bytes: 7, plain: false, from: 0, entries: Array.from({ length: Math.min(c, cut) }, () => 'v' + k++) })),
    };
  };

  it('flatten: positions across nodes, gaps where the snapshot cut entries', () => {
    const f = flatten(v([3, 2], 2));
    expect(f.map((c) => (c.kind === 'item' ? `${c.value}@${c.pos}/${c.node}:${c.offset}` : `gap ${c.count}`))).toEqual(['v0@0/1:0', 'v1@1/1:1', 'gap 1', 'v2@3/2:0', 'v3@4/2:1']);
  });

  it('textbook: one node per element, next and prev links, duplicates keyed apart', () => {
    const q = v([3]);
    q.nodes[0].entries = ['a', 'a', 'b'];
    const L = layoutTextbook(q, null);
    expect(L.cells.map((c) => c.key)).toEqual(['a#0', 'a#1', 'b#0']);
    expect(L.links.length).toBe(4);
    expect(L.head).not.toBeNull();
    expect(L.tail).not.toBeNull();
  });

  it.each([[150, 150, 0], [250, 200, 1], [1000, 200, 1]])('textbook windowing: %i elements draw %i items and %i gap', (n, items, gaps) => {
    const L = layoutTextbook(v([n]), { target: 'value', id: null, node: 1, index: n - 1, mode: 'visit' });
    expect(L.cells.filter((c) => c.kind === 'item').length).toBe(items);
    expect(L.cells.filter((c) => c.kind === 'gap').length).toBe(gaps);
    // The highlighted element is inside the window.
    expect(L.cells.some((c) => c.kind === 'item' && c.hot)).toBe(true);
  });

  it('quicklist: a box per node with its entries; the node-level highlight', () => {
    const L = layoutQuicklist(v([3, 20]), { target: 'value', id: null, node: 2, mode: 'visit' });
    expect(L.nodes.map((n) => [n.id, n.entries.length, n.hidden])).toEqual([[1, 3, 0], [2, 16, 4]]);
    expect(L.nodes.map((n) => n.hot)).toEqual([false, true]);
    expect(L.links.length).toBe(2);
  });
});
