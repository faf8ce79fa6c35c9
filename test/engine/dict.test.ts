/** Redis's dict on its own: sizing, incremental rehash, shrink, and SCAN's guarantee (property test). */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Dict } from '../../src/engine/structures/dict';
import { steps } from '../../src/engine/trace';

function filled(n: number, prefix = 'k'): Dict<number> {
  const d = new Dict<number>();
  for (let i = 0; i < n; i++) d.add(`${prefix}${i}`, i);
  return d;
}

/** Finish any rehash in progress. */
function settle<V>(d: Dict<V>): void {
  while (d.rehash(100)) { /* keep going */ }
}

describe('dict sizing', () => {
  it('starts with 4 buckets and grows to the next power of two >= used + 1 when used >= size', () => {
    const d = filled(4);
    expect(d.buckets()).toEqual([4, 0]);
    expect(d.isRehashing()).toBe(false);
    d.add('k4', 4); // used (4) >= size (4): expand to 8 and start rehashing
    expect(d.buckets()).toEqual([4, 8]);
    expect(d.isRehashing()).toBe(true);
    expect(d.rehashidx).toBeGreaterThanOrEqual(0);
    settle(d);
    expect(d.buckets()).toEqual([8, 0]);
    expect(d.size()).toBe(5);
  });

  it('moves one bucket per operation while rehashing, and rehashidx only advances', () => {
    const d = filled(64);
    settle(d);
    d.add('x', 0); d.add('y', 0); // may trigger a grow
    for (let i = 0; i < 200 && !d.isRehashing(); i++) d.add(`more${i}`, i);
    expect(d.isRehashing()).toBe(true);
    let last = d.rehashidx;
    let ops = 0;
    while (d.isRehashing()) {
      d.get('k1');
      ops++;
      if (d.isRehashing()) { expect(d.rehashidx).toBeGreaterThan(last); last = d.rehashidx; }
    }
    // One bucket (plus at most 10 empty ones) per lookup: a 2^n table needs many lookups.
    expect(ops).toBeGreaterThan(4);
    for (let i = 0; i < 64; i++) expect(d.get(`k${i}`)).toBe(i);
  });

  it('visits at most 10 empty buckets per rehash step', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 200; i++) d.add(`k${i}`, i);
    settle(d);
    for (let i = 0; i < 190; i++) d.delete(`k${i}`);
    settle(d);
    expect(d.resize()).toBe(true); // shrink: 10 entries -> 16 buckets, rehashing from 256
    const before = d.rehashidx;
    steps.n = 0;
    d.rehash(1);
    expect(steps.n).toBeLessThanOrEqual(10 + 10); // <= 10 empty visits + the entries of one bucket
    expect(d.rehashidx - before).toBeLessThanOrEqual(11);
  });

  it('needs a shrink below 10% fill and shrinks to fit', () => {
    const d = filled(100);
    settle(d);
    expect(d.buckets()[0]).toBe(128);
    for (let i = 0; i < 87; i++) d.delete(`k${i}`);
    expect(d.needsResize()).toBe(false); // 13 * 100 / 128 = 10.2%
    d.delete('k87');
    expect(d.needsResize()).toBe(true); // 12 * 100 / 128 = 9.4% < 10%
    expect(d.resize()).toBe(true);
    settle(d);
    expect(d.buckets()[0]).toBe(16);
    for (let i = 88; i < 100; i++) expect(d.get(`k${i}`)).toBe(i);
  });

  it('counts one step per bucket probed and per chain entry compared', () => {
    const d = filled(3);
    steps.n = 0;
    d.get('k1');
    expect(steps.n).toBeGreaterThanOrEqual(2);
    expect(steps.n).toBeLessThanOrEqual(4);
  });
});

describe('dict SCAN', () => {
  function fullScan<V>(d: Dict<V>, between: (round: number) => void): Set<string> {
    const seen = new Set<string>();
    let cursor = 0;
    let round = 0;
    do {
      cursor = d.scan(cursor, (de) => { seen.add(de.key); });
      between(round++);
      if (round > 100000) throw new Error('scan did not terminate');
    } while (cursor !== 0);
    return seen;
  }

  it('returns every element of a quiet dict exactly once', () => {
    const d = filled(1000);
    const seen: string[] = [];
    let cursor = 0;
    do { cursor = d.scan(cursor, (de) => seen.push(de.key)); } while (cursor !== 0);
    expect(seen.length).toBe(1000);
    expect(new Set(seen).size).toBe(1000);
  });

  it('returns every element present for the whole scan, across grows, shrinks and rehashing (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.tuple(fc.constantFrom('add', 'del', 'rehash', 'resize'), fc.integer({ min: 1, max: 40 })), { maxLength: 60 }),
        (initial, ops) => {
          const d = filled(initial, 'stay');
          let extra = 0;
          const extras: string[] = [];
          const seen = fullScan(d, (round) => {
            const op = ops[round % Math.max(1, ops.length)];
            if (!op || round >= ops.length * 3) return;
            const [kind, n] = op;
            if (kind === 'add') for (let i = 0; i < n * 5; i++) { const k = `tmp${extra++}`; d.add(k, 0); extras.push(k); }
            else if (kind === 'del') for (let i = 0; i < n * 5 && extras.length; i++) d.delete(extras.pop()!);
            else if (kind === 'rehash') d.rehash(n);
            else if (d.needsResize()) d.resize();
          });
          for (let i = 0; i < initial; i++) if (!seen.has(`stay${i}`)) return false;
          return true;
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('dict random', () => {
  it('randomEntry and someEntries return present entries', () => {
    const d = filled(50);
    let s = 1;
    const rand = (n: number) => { s = (s * 1103515245 + 12345) >>> 0; return s % n; };
    for (let i = 0; i < 100; i++) expect(d.get(d.randomEntry(rand)!.key)).not.toBeUndefined();
    const some = d.someEntries(10, rand);
    expect(some.length).toBe(10);
    for (const e of some) expect(d.has(e.key)).toBe(true);
  });
});
