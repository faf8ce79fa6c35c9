/**
 * Quicklist structure: node counts and listpack bytes after pushes of values of various sizes
 * equal what redis-server 7.0.15 builds (read with DEBUG OBJECT: ql_nodes and
 * ql_uncompressed_size), plus iterators, index lookup, insert/split/merge, delRange, replace,
 * plain nodes (DEBUG QUICKLIST-PACKED-THRESHOLD) and step counting.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { Quicklist, QuicklistNode, setPackedThreshold } from '../../src/engine/structures/quicklist';
import { lpEntrySize } from '../../src/engine/structures/listpack';
import { steps, tracing, type TraceEvent } from '../../src/engine/trace';

function build(values: string[], where: 'head' | 'tail' = 'tail', fill = -2): Quicklist {
  const q = new Quicklist(fill, 0);
  for (const v of values) q.push(v, where);
  return q;
}
const rep = (v: string, n: number) => Array.from({ length: n }, () => v);
/** Every node's invariants: links, counts, listpack bytes recomputed from the entries. */
function check(q: Quicklist): void {
  let n = 0, count = 0, prev = null;
  for (let node = q.head; node; node = node.next) {
    expect(node.prev).toBe(prev);
    expect(node.count).toBeGreaterThan(0);
    if (node.lp) expect(node.lp.bytes).toBe(7 + node.lp.entries.reduce((a, v) => a + lpEntrySize(v), 0));
    count += node.count;
    n++;
    prev = node;
  }
  expect(q.tail).toBe(prev);
  expect(q.len).toBe(n);
  expect(q.count).toBe(count);
}

afterEach(() => { setPackedThreshold(0); });

describe('node counts match redis-server 7.0.15 (DEBUG OBJECT ql_nodes / ql_uncompressed_size)', () => {
  // [name, values, where, fill, ql_nodes, ql_uncompressed_size]
  const cases: [string, string[], 'head' | 'tail', number, number, number][] = [
    ['1000 RPUSH of 10-byte values', rep('abcdefghij', 1000), 'tail', -2, 2, 12014],
    ['1000 LPUSH of 10-byte values', rep('abcdefghij', 1000), 'head', -2, 2, 12014],
    ['681 RPUSH of 10-byte values (one full node)', rep('abcdefghij', 681), 'tail', -2, 1, 8179],
    ['682 RPUSH of 10-byte values', rep('abcdefghij', 682), 'tail', -2, 2, 8198],
    ['100 RPUSH of 1000-byte values', rep('v'.repeat(1000), 100), 'tail', -2, 13, 100491],
    ['5000 RPUSH of integers 0..4999', Array.from({ length: 5000 }, (_, i) => String(i)), 'tail', -2, 2, 15790],
    ['values around and above 8 KB', [10, 5000, 9000, 10, 10, 8000, 3, 8170, 8180, 8190, 4000, 4000, 100].map((n) => 'a'.repeat(n)), 'tail', -2, 7, 54783],
    ['fill 5: 100 integers', Array.from({ length: 100 }, (_, i) => String(i)), 'tail', 5, 20, 340],
    ['fill -1: 500 values of 50 bytes', rep('z'.repeat(50), 500), 'tail', -1, 7, 26049],
    ['fill -5: 500 LPUSH of 300 bytes', rep('z'.repeat(300), 500), 'head', -5, 3, 152021],
    ['fill 100: 300 values of 200 bytes (8 KB safety limit)', rep('q'.repeat(200), 300), 'tail', 100, 8, 61256],
  ];
  for (const [name, values, where, fill, nodes, bytes] of cases) {
    it(name, () => {
      const q = build(values, where, fill);
      expect(q.len).toBe(nodes);
      expect(q.size).toBe(bytes);
      expect(q.count).toBe(values.length);
      check(q);
      const arr = where === 'tail' ? values : values.slice().reverse();
      expect(q.toArray()).toEqual(arr);
    });
  }

  it('a value larger than the node limit gets a node of its own', () => {
    const q = build(['a', 'b'.repeat(9000), 'c']);
    expect(q.snapshot().map((n) => n.count)).toEqual([1, 1, 1]);
  });
});

describe('plain nodes (DEBUG QUICKLIST-PACKED-THRESHOLD 100)', () => {
  it('matches redis-server 7.0.15: 8 nodes, 656 bytes, same order', () => {
    setPackedThreshold(100);
    const B = 'p'.repeat(150);
    const q = build(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', B]);
    const find = (v: string) => { const it = q.iterator('head'); for (let e = it.next(); e; e = it.next()) if (e.value === v) return e; return null; };
    q.insert(find('c'), B, true);          // LINSERT l AFTER c B
    q.pushHead(B);                          // LPUSH l B
    q.replaceAtIndex(6, B);                 // LSET l 6 B
    q.insert(find(B), 'x', false);          // LINSERT l BEFORE B x
    q.replaceAtIndex(0, 'small');           // LSET l 0 small
    expect(q.toArray().map((v) => v.slice(0, 5))).toEqual(['small', 'ppppp', 'a', 'b', 'c', 'ppppp', 'd', 'ppppp', 'f', 'g', 'h', 'ppppp']);
    expect(q.len).toBe(8);
    expect(q.size).toBe(656);
    check(q);
  });
});

describe('index lookup, iterators, delRange, replace', () => {
  const values = Array.from({ length: 3000 }, (_, i) => `v${i}`);
  it('index from both ends', () => {
    const q = build(values, 'tail', 16);
    for (const i of [0, 1, 15, 16, 17, 1499, 1500, 2999]) {
      expect(q.index(i)).toBe(values[i]);
      expect(q.index(i - 3000)).toBe(values[i]);
    }
    expect(q.index(3000)).toBeNull();
    expect(q.index(-3001)).toBeNull();
  });

  it('iterators forward and backward, from an index', () => {
    const q = build(values, 'tail', 7);
    const fwd: string[] = [];
    const it = q.iterator('head');
    for (let e = it.next(); e; e = it.next()) fwd.push(e.value);
    expect(fwd).toEqual(values);
    const back: string[] = [];
    const it2 = q.iteratorAt(-10, 'tail')!;
    for (let e = it2.next(); e; e = it2.next()) back.push(e.value);
    expect(back).toEqual(values.slice(0, 2991).reverse());
  });

  it('delete while iterating (LREM-like), both directions', () => {
    const q = build(values, 'tail', 5);
    const it = q.iterator('head');
    for (let e = it.next(); e; e = it.next()) if (Number(e.value.slice(1)) % 3 === 0) it.delEntry(e);
    expect(q.toArray()).toEqual(values.filter((v) => Number(v.slice(1)) % 3 !== 0));
    check(q);
    const it2 = q.iterator('tail');
    for (let e = it2.next(); e; e = it2.next()) if (Number(e.value.slice(1)) % 2 === 0) it2.delEntry(e);
    expect(q.toArray()).toEqual(values.filter((v) => Number(v.slice(1)) % 3 !== 0 && Number(v.slice(1)) % 2 !== 0));
    check(q);
  });

  it('delRange like LTRIM', () => {
    for (const [start, count] of [[0, 10], [5, 100], [-50, 50], [-100, 30], [1000, 2000], [0, 3000], [2999, 5], [-3000, 1]] as const) {
      const q = build(values, 'tail', 16);
      const exp = values.slice();
      const s = start < 0 ? 3000 + start : start;
      const ext = start < 0 ? Math.min(count, -start) : Math.min(count, 3000 - start);
      exp.splice(s, ext);
      q.delRange(start, count);
      expect(q.toArray()).toEqual(exp);
      check(q);
    }
  });

  it('replace and insert keep the structure consistent', () => {
    const q = build(values.slice(0, 100), 'tail', 4);
    expect(q.replaceAtIndex(50, 'X')).toBe(true);
    expect(q.replaceAtIndex(100, 'X')).toBe(false);
    expect(q.index(50)).toBe('X');
    for (let i = 0; i < 40; i++) q.insert(q.entryAt(i * 2)!, `i${i}`, i % 2 === 0);
    expect(q.count).toBe(140);
    check(q);
  });

  it('clone is deep and keeps node ids', () => {
    const q = build(values.slice(0, 50), 'tail', 8);
    const c = q.clone();
    expect(c.snapshot()).toEqual(q.snapshot());
    c.pushTail('new');
    c.replaceAtIndex(0, 'changed');
    expect(q.count).toBe(50);
    expect(q.index(0)).toBe('v0');
  });

  it('node ids are stable and unique', () => {
    const q = build(values.slice(0, 30), 'tail', 10);
    expect(q.snapshot().map((n) => n.id)).toEqual([1, 2, 3]);
    q.pop('head');
    q.delRange(0, 9);
    expect(q.snapshot().map((n) => n.id)).toEqual([2, 3]);
    q.pushHead('a');
    expect(q.snapshot().map((n) => n.id)).toEqual([4, 2, 3]);
  });

  it('list-compress-depth is recorded (snapshot: the depth rule; nodes under 48 bytes stay raw)', () => {
    const q = new Quicklist(2, 1);
    for (let i = 0; i < 10; i++) q.pushTail(String(i));
    expect(q.snapshot().map((n) => n.compressed)).toEqual([false, true, true, true, false]);
    const nodes: QuicklistNode[] = [];
    for (let n = q.head; n; n = n.next) nodes.push(n);
    expect(nodes.map((n) => n.compressed)).toEqual([false, false, false, false, false]);
    expect(q.toArray()).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
  });

  it('list-compress-depth: interior nodes are LZF-compressed, the ends are not; reads compress again', () => {
    const q = new Quicklist(16, 1);
    const values = Array.from({ length: 160 }, (_, i) => 'element-' + (i % 37) + '-' + (i % 11));
    for (const v of values) q.pushTail(v);
    const nodes: QuicklistNode[] = [];
    for (let n = q.head; n; n = n.next) nodes.push(n);
    expect(nodes.map((n) => n.compressed)).toEqual([false, ...Array(8).fill(true), false]);
    expect(nodes[1].lzfSz).toBeGreaterThan(0);
    expect(nodes[1].lzfSz + 8).toBeLessThan(nodes[1].sz);
    expect(nodes[1].entryBytes).toBe(8 + nodes[1].lzfSz);
    expect(nodes[0].entryBytes).toBe(nodes[0].sz);
    expect(q.index(20)).toBe(values[20]);
    expect(nodes[1].compressed).toBe(true);
    const it = q.iteratorAt(20, 'head')!;
    it.next();
    expect([nodes[1].compressed, nodes[1].recompress]).toEqual([false, true]);
    it.release();
    expect([nodes[1].compressed, nodes[1].recompress]).toEqual([true, false]);
    // Popping the head node away: the new head is decompressed.
    q.delRange(0, 16);
    expect(q.head).toBe(nodes[1]);
    expect(nodes[1].compressed).toBe(false);
    expect(q.toArray()).toEqual(values.slice(16));
  });
});

describe('steps', () => {
  function stepsOf(f: () => void): number {
    steps.n = 0;
    f();
    return steps.n;
  }
  it('index walks node by node then entry by entry (exact counts)', () => {
    const q = build(Array.from({ length: 100 }, (_, i) => String(i)), 'tail', 10);
    // index 25: nodes 0..2 visited (3 steps), offset 5 in a 10-entry listpack: lpSeek from the tail, 5 entries.
    expect(stepsOf(() => q.index(25))).toBe(3 + 5);
    // index 0: one node, one entry
    expect(stepsOf(() => q.index(0))).toBe(2);
    // index -1: one node, one entry (from the tail)
    expect(stepsOf(() => q.index(-1))).toBe(2);
    // index 70 is nearer the tail: nodes 9,8,7 (3 steps), offset 0 of 10: 1 entry
    expect(stepsOf(() => q.index(70))).toBe(3 + 1);
  });

  it('push and pop are O(1) whatever the length', () => {
    const small = build(rep('abcdefghij', 100));
    const large = build(rep('abcdefghij', 100_000));
    for (const where of ['head', 'tail'] as const) {
      expect(stepsOf(() => large.push('x', where))).toBe(stepsOf(() => small.push('x', where)));
      expect(stepsOf(() => large.pop(where))).toBe(stepsOf(() => small.pop(where)));
    }
  });

  it('tracing on or off gives identical steps', () => {
    const run = (trace: boolean) => {
      tracing.sink = trace ? [] : null;
      const q = new Quicklist(4, 0);
      const counts: number[] = [];
      try {
        counts.push(stepsOf(() => { for (let i = 0; i < 50; i++) q.pushTail(String(i)); }));
        counts.push(stepsOf(() => q.index(23)));
        counts.push(stepsOf(() => q.insert(q.entryAt(10)!, 'x', true)));
        counts.push(stepsOf(() => q.delRange(5, 20)));
        counts.push(stepsOf(() => q.replaceAtIndex(-3, 'y')));
        const events = tracing.sink as TraceEvent[] | null;
        return { counts, events: events?.length ?? 0 };
      } finally { tracing.sink = null; }
    };
    const off = run(false), on = run(true);
    expect(on.counts).toEqual(off.counts);
    expect(on.events).toBeGreaterThan(0);
  });
});
