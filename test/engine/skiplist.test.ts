import { describe, it, expect } from 'vitest';
import { Skiplist, ZslNode, ZSKIPLIST_MAXLEVEL, LEX_MIN, LEX_MAX } from '../../src/engine/structures/skiplist';
import { Random } from '../../src/engine/random';
import { steps, tracing, type TraceEvent } from '../../src/engine/trace';

function make(seed = 1): Skiplist {
  const r = new Random(seed);
  return new Skiplist(() => r.u32());
}

type Pair = [number, string];
const cmp = (a: Pair, b: Pair) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** Check every structural invariant; returns the level-0 order as pairs. */
function check(zsl: Skiplist): Pair[] {
  const order: ZslNode[] = [];
  const rank = new Map<ZslNode, number>();
  let prev: ZslNode | null = null;
  let maxLevel = 1;
  for (let x = zsl.header.levels[0].forward; x; x = x.levels[0].forward) {
    expect(x.backward).toBe(prev);
    expect(x.levels.length).toBeGreaterThanOrEqual(1);
    expect(x.levels.length).toBeLessThanOrEqual(ZSKIPLIST_MAXLEVEL);
    maxLevel = Math.max(maxLevel, x.levels.length);
    order.push(x);
    rank.set(x, order.length);
    prev = x;
  }
  expect(zsl.tail).toBe(prev);
  expect(zsl.length).toBe(order.length);
  expect(zsl.level).toBe(maxLevel);
  rank.set(zsl.header, 0);
  // On every level: the list is a sub-sequence of level 0 and each span is the rank distance.
  for (let i = 0; i < zsl.level; i++) {
    let x: ZslNode = zsl.header;
    let r = 0;
    for (;;) {
      const f = x.levels[i].forward;
      if (!f) break;
      expect(f.levels.length).toBeGreaterThan(i);
      expect(rank.get(f)! - rank.get(x)!).toBe(x.levels[i].span);
      r += x.levels[i].span;
      expect(r).toBe(rank.get(f));
      x = f;
    }
  }
  // Sorted by score, then member bytes.
  const pairs: Pair[] = order.map((n) => [n.score, n.member]);
  for (let k = 1; k < pairs.length; k++) expect(cmp(pairs[k - 1], pairs[k])).toBeLessThan(0);
  return pairs;
}

describe('skiplist', () => {
  it('keeps order, spans, backward pointers and ranks through random inserts, updates and deletes', () => {
    const zsl = make(7);
    const r = new Random(99);
    const model = new Map<string, number>();
    for (let op = 0; op < 3000; op++) {
      const member = 'm' + r.int(400);
      const score = r.int(50) - 25; // many ties: order by member bytes
      const cur = model.get(member);
      const what = r.int(10);
      if (cur === undefined) {
        zsl.insert(score, member);
        model.set(member, score);
      } else if (what < 4) {
        expect(zsl.delete(cur, member)?.member).toBe(member);
        model.delete(member);
      } else {
        zsl.updateScore(cur, member, score);
        model.set(member, score);
      }
      if (op % 250 === 0) check(zsl);
    }
    const pairs = check(zsl);
    const sorted: Pair[] = [...model].map(([m, s]) => [s, m] as Pair).sort(cmp);
    expect(pairs).toEqual(sorted);
    sorted.forEach(([s, m], i) => {
      expect(zsl.getRank(s, m)).toBe(i + 1);
      expect(zsl.getElementByRank(i + 1)!.member).toBe(m);
    });
    expect(zsl.getRank(1000, 'nope')).toBe(0);
    expect(zsl.getElementByRank(sorted.length + 1)).toBeNull();
    expect(zsl.getElementByRank(0)).toBeNull();
    expect(zsl.delete(12345, 'nope')).toBeNull();
  });

  it('orders ties by member bytes, shorter prefix first', () => {
    const zsl = make();
    for (const m of ['b', 'a', 'ab', '', 'a\x00', '\xff', 'B']) zsl.insert(1, m);
    expect(check(zsl).map((p) => p[1])).toEqual(['', 'B', 'a', 'a\x00', 'ab', 'b', '\xff']);
  });

  it('updates a score in place when the order does not change', () => {
    const zsl = make();
    zsl.insert(1, 'a'); const b = zsl.insert(2, 'b'); zsl.insert(3, 'c');
    expect(zsl.updateScore(2, 'b', 2.5)).toBe(b); // same node object: in place
    expect(b.score).toBe(2.5);
    const moved = zsl.updateScore(2.5, 'b', 10);
    expect(moved).not.toBe(b);
    expect(check(zsl)).toEqual([[1, 'a'], [3, 'c'], [10, 'b']]);
  });

  it('finds first/last in score ranges with exclusive bounds', () => {
    const zsl = make();
    for (let i = 1; i <= 10; i++) zsl.insert(i, 'm' + i);
    expect(zsl.firstInRange({ min: 3, max: 7, minex: false, maxex: false })!.score).toBe(3);
    expect(zsl.firstInRange({ min: 3, max: 7, minex: true, maxex: false })!.score).toBe(4);
    expect(zsl.lastInRange({ min: 3, max: 7, minex: false, maxex: true })!.score).toBe(6);
    expect(zsl.firstInRange({ min: 11, max: 20, minex: false, maxex: false })).toBeNull();
    expect(zsl.firstInRange({ min: 5, max: 5, minex: true, maxex: false })).toBeNull();
    expect(zsl.lastInRange({ min: 7, max: 3, minex: false, maxex: false })).toBeNull();
    expect(zsl.firstInRange({ min: -Infinity, max: Infinity, minex: false, maxex: false })!.score).toBe(1);
  });

  it('finds first/last in lex ranges', () => {
    const zsl = make();
    for (const m of ['a', 'b', 'c', 'd', 'e']) zsl.insert(0, m);
    expect(zsl.firstInLexRange({ min: 'b', max: 'd', minex: true, maxex: false })!.member).toBe('c');
    expect(zsl.lastInLexRange({ min: 'b', max: 'd', minex: false, maxex: true })!.member).toBe('c');
    expect(zsl.firstInLexRange({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true })!.member).toBe('a');
    expect(zsl.lastInLexRange({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true })!.member).toBe('e');
    expect(zsl.firstInLexRange({ min: LEX_MAX, max: LEX_MIN, minex: true, maxex: true })).toBeNull();
    expect(zsl.firstInLexRange({ min: 'f', max: LEX_MAX, minex: false, maxex: true })).toBeNull();
  });

  it('deletes ranges by score, lex and rank, merging spans', () => {
    const zsl = make(3);
    for (let i = 1; i <= 100; i++) zsl.insert(i, 'm' + String(i).padStart(3, '0'));
    const gone: string[] = [];
    expect(zsl.deleteRangeByScore({ min: 10, max: 20, minex: true, maxex: false }, (m) => gone.push(m))).toBe(10);
    expect(gone[0]).toBe('m011');
    check(zsl);
    expect(zsl.deleteRangeByRank(1, 5, () => {})).toBe(5);
    expect(zsl.first()!.score).toBe(6);
    check(zsl);
    expect(zsl.deleteRangeByLex({ min: 'm090', max: LEX_MAX, minex: false, maxex: true }, () => {})).toBe(11);
    expect(zsl.tail!.score).toBe(89);
    expect(check(zsl).length).toBe(74);
  });

  it('draws levels with p = 1/4 from the injected random source (seeded)', () => {
    const zsl = make(12345);
    const counts = new Array(ZSKIPLIST_MAXLEVEL + 1).fill(0);
    const N = 200_000;
    for (let i = 0; i < N; i++) counts[zsl.randomLevel()]++;
    let atLeast = N;
    for (let l = 2; l <= 5; l++) {
      const next = atLeast - counts[l - 1];
      expect(Math.abs(next / atLeast - 0.25)).toBeLessThan(0.02); // P(level >= l | level >= l-1) = 1/4
      atLeast = next;
    }
    expect(counts[0]).toBe(0);
    // Same seed, same levels.
    const a = make(5), b = make(5);
    for (let i = 0; i < 100; i++) expect(a.randomLevel()).toBe(b.randomLevel());
  });

  it('lets the caller force the next level', () => {
    const zsl = make();
    zsl.insert(1, 'a');
    zsl.forceNextLevel(7);
    const n = zsl.insert(2, 'b');
    expect(n.levels.length).toBe(7);
    expect(zsl.level).toBe(7);
    expect(zsl.insert(3, 'c').levels.length).toBeLessThan(7 + 20);
    zsl.forceNextLevel(99);
    expect(zsl.insert(4, 'd').levels.length).toBe(32);
    check(zsl);
  });

  it('counts steps while working, identical with tracing on, and emits coin flips', () => {
    const build = () => { const z = make(42); for (let i = 0; i < 500; i++) z.insert(i, 'k' + i); return z; };
    const z1 = build(), z2 = build();
    steps.n = 0;
    z1.insert(250.5, 'x');
    const off = steps.n;
    const events: TraceEvent[] = [];
    tracing.sink = events;
    steps.n = 0;
    z2.insert(250.5, 'x');
    const on = steps.n;
    tracing.sink = null;
    expect(on).toBe(off);
    expect(off).toBeGreaterThan(0);
    expect(events.some((e) => e.k === 'zsl.coin')).toBe(true);
    expect(events.some((e) => e.k === 'zsl.create')).toBe(true);
    expect(events.filter((e) => e.k === 'zsl.compare').length).toBeGreaterThan(0);
  });

  it('clones deeply with the same levels and spans', () => {
    const zsl = make(9);
    for (let i = 0; i < 300; i++) zsl.insert(i % 17, 'n' + i);
    const copy = zsl.clone();
    expect(check(copy)).toEqual(check(zsl));
    const la: number[] = [], lb: number[] = [];
    for (const n of zsl.nodes()) la.push(n.levels.length);
    for (const n of copy.nodes()) lb.push(n.levels.length);
    expect(lb).toEqual(la);
    copy.delete(0, 'n0');
    expect(zsl.length).toBe(300);
    expect(copy.length).toBe(299);
  });
});
