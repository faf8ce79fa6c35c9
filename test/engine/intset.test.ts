/**
 * The intset structure: 16/32/64-bit encodings with upgrades (front for negatives, end for
 * positives), sorted distinct values, exact int64, binary search steps growing like log2 n.
 */
import { describe, it, expect } from 'vitest';
import { Intset, intsetValueEncoding } from '../../src/engine/structures/intset';
import { steps, tracing, type TraceEvent } from '../../src/engine/trace';

describe('intset', () => {
  it('keeps values sorted and distinct', () => {
    const is = new Intset();
    for (const v of [5, 1, 3, 3, -2, 5, 0]) is.add(v);
    expect(is.toArray()).toEqual([-2, 0, 1, 3, 5]);
    expect(is.length).toBe(5);
    expect(is.add(3)).toBe(false);
    expect(is.remove(4)).toBe(false);
    expect(is.remove(3)).toBe(true);
    expect(is.toArray()).toEqual([-2, 0, 1, 5]);
    expect(is.find(5)).toBe(true);
    expect(is.find(3)).toBe(false);
    expect(is.get(0)).toBe(-2);
    expect(is.get(4)).toBeUndefined();
  });

  it('chooses the smallest encoding of a value', () => {
    expect(intsetValueEncoding(32767)).toBe(2);
    expect(intsetValueEncoding(-32768)).toBe(2);
    expect(intsetValueEncoding(32768)).toBe(4);
    expect(intsetValueEncoding(-32769)).toBe(4);
    expect(intsetValueEncoding(2147483647)).toBe(4);
    expect(intsetValueEncoding(2147483648)).toBe(8);
    expect(intsetValueEncoding(-2147483649)).toBe(8);
    expect(intsetValueEncoding(9223372036854775807n)).toBe(8);
  });

  it('upgrades 16 -> 32 -> 64 bit, appending positives and prepending negatives', () => {
    const is = new Intset();
    is.add(1); is.add(2);
    expect(is.encoding).toBe(2);
    expect(is.bytes).toBe(8 + 2 * 2);
    const sink: TraceEvent[] = [];
    tracing.sink = sink;
    try {
      is.add(40000);
      expect(is.encoding).toBe(4);
      expect(is.bytes).toBe(8 + 4 * 3);
      expect(is.toArray()).toEqual([1, 2, 40000]);
      is.add(-3000000000);
      expect(is.encoding).toBe(8);
      expect(is.bytes).toBe(8 + 8 * 4);
      expect(is.toArray()).toEqual([-3000000000, 1, 2, 40000]);
    } finally {
      tracing.sink = null;
    }
    expect(sink.filter((e) => e.k === 'is.upgrade')).toEqual([
      { k: 'is.upgrade', from: 16, to: 32 },
      { k: 'is.upgrade', from: 32, to: 64 },
    ]);
    expect(sink.filter((e) => e.k === 'is.insert')).toEqual([
      { k: 'is.insert', index: 2, value: 40000 },
      { k: 'is.insert', index: 0, value: -3000000000 },
    ]);
    // Never downgrades.
    is.remove(-3000000000); is.remove(40000);
    expect(is.encoding).toBe(8);
    // Upgrade from empty straight to 64 bit.
    const e = new Intset();
    e.add(-9223372036854775808n);
    expect(e.encoding).toBe(8);
    expect(e.toArray()).toEqual([-9223372036854775808n]);
  });

  it('is exact beyond 2^53', () => {
    const is = new Intset();
    is.add(9007199254740993n); is.add(9007199254740992); is.add(9223372036854775807n); is.add(-9223372036854775808n);
    expect(is.toStrings()).toEqual(['-9223372036854775808', '9007199254740992', '9007199254740993', '9223372036854775807']);
    expect(is.find(9007199254740993n)).toBe(true);
    expect(is.find(9007199254740994n)).toBe(false);
    expect(is.add(9007199254740992n)).toBe(false); // normalized to the number
  });

  it('a value wider than the encoding is found without a search', () => {
    const is = new Intset();
    is.add(1);
    steps.n = 0;
    expect(is.find(100000)).toBe(false);
    expect(steps.n).toBe(0);
  });

  it('binary search probes about log2(n) values', () => {
    for (const n of [16, 256, 4096, 65536]) {
      const is = new Intset();
      for (let i = 0; i < n; i++) is.add(i * 2);
      let worst = 0;
      for (let i = 0; i < n; i += Math.max(1, n >> 6)) {
        steps.n = 0;
        expect(is.find(i * 2)).toBe(true);
        worst = Math.max(worst, steps.n);
      }
      // Two end checks, then at most floor(log2 n) + 1 probes.
      expect(worst).toBeLessThanOrEqual(2 + Math.floor(Math.log2(n)) + 1);
      expect(worst).toBeGreaterThanOrEqual(Math.floor(Math.log2(n)));
    }
  });

  it('probes are traced with their comparison', () => {
    const is = new Intset();
    for (let i = 1; i <= 7; i++) is.add(i * 10);
    const sink: TraceEvent[] = [];
    tracing.sink = sink;
    steps.n = 0;
    try { is.find(50); } finally { tracing.sink = null; }
    expect(sink).toEqual([
      { k: 'is.probe', index: 6, value: 70, cmp: -1 },
      { k: 'is.probe', index: 0, value: 10, cmp: 1 },
      { k: 'is.probe', index: 3, value: 40, cmp: 1 },
      { k: 'is.probe', index: 5, value: 60, cmp: -1 },
      { k: 'is.probe', index: 4, value: 50, cmp: 0 },
    ]);
    expect(steps.n).toBe(5);
  });

  it('random, clone and blob', () => {
    const is = new Intset();
    for (const v of [3, 1, 2]) is.add(v);
    let i = 0;
    expect(is.random(() => i++ % 3)).toBe(1);
    const c = is.clone();
    c.add(4);
    expect(is.toArray()).toEqual([1, 2, 3]);
    expect(c.toArray()).toEqual([1, 2, 3, 4]);
    expect(Array.from(is.toBlob())).toEqual([2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]);
  });
});
