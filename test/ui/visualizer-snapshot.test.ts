/** snapshotKey / snapshotKeyspace: plain views by encoding, capped and windowed, with no side effects. */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { snapshotKey, snapshotKeyspace, snapshotDict, windowAround, peekDict } from '../../src/engine/snapshot';
import { Dict } from '../../src/engine/structures/dict';
import { steps } from '../../src/engine/trace';

function engineWith(lines: string[][]) {
  const e = createEngine({ seed: 7 });
  for (const argv of lines) e.exec(argv);
  return e;
}

describe('windowAround', () => {
  it.each([
    // total, size, focus, from
    [10, 20, 5, 0],
    [100, 10, null, 0],
    [100, 10, 0, 0],
    [100, 10, 50, 45],
    [100, 10, 99, 90],
    [100, 10, 3, 0],
  ])('total %i size %i focus %s -> %i', (total, size, focus, from) => {
    expect(windowAround(total, size, focus)).toBe(from);
  });
});

describe('snapshotKeyspace', () => {
  it('lists every bucket of a small table with its chain, and is plain data', () => {
    const e = engineWith([['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3']]);
    const v = snapshotKeyspace(e.dbs[0]);
    expect(v.kind).toBe('dict');
    expect(v.name).toBe('keyspace');
    expect(v.used).toBe(3);
    expect(v.rehashidx).toBe(-1);
    expect(v.tables[1]).toBeNull();
    const t = v.tables[0];
    expect(t.size).toBe(4);
    expect(t.buckets.map((b) => b.index)).toEqual([0, 1, 2, 3]);
    expect(t.buckets.flatMap((b) => b.keys).sort()).toEqual(['a', 'b', 'c']);
    expect(t.omitted).toBe(0);
    expect(structuredClone(v)).toEqual(v);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('shows both tables during an incremental rehash', () => {
    const e = engineWith(['a', 'b', 'c', 'd', 'e'].map((k) => ['SET', k, 'v']));
    const d = e.dbs[0].dict;
    expect(d.isRehashing()).toBe(true);
    const v = snapshotKeyspace(e.dbs[0]);
    expect(v.rehashidx).toBe(d.rehashidx);
    expect(v.tables[0].size).toBe(4);
    expect(v.tables[1]!.size).toBe(8);
    expect(v.tables[0].used + v.tables[1]!.used).toBe(5);
    const all = [...v.tables[0].buckets, ...v.tables[1]!.buckets].flatMap((b) => b.keys).sort();
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('never holds more than maxNodes entries, windows the buckets and counts what it left out', () => {
    const e = createEngine({ seed: 3 });
    for (let i = 0; i < 1000; i++) e.exec(['SET', `key:${i}`, 'v']);
    const v = snapshotKeyspace(e.dbs[0], { maxNodes: 20, maxBuckets: 16, focus: 'key:500' });
    let shown = 0;
    for (const t of v.tables) {
      if (!t) continue;
      expect(t.buckets.length).toBeLessThanOrEqual(16);
      const n = t.buckets.reduce((s, b) => s + b.keys.length, 0);
      shown += n;
      expect(t.omitted).toBe(t.used - n);
    }
    expect(shown).toBeLessThanOrEqual(20);
    expect(v.used).toBe(1000);
    // The focus key's bucket is inside the window.
    const t0 = v.tables[1] ?? v.tables[0];
    const home = t0.buckets.some((b) => b.keys.includes('key:500') || b.more > 0);
    expect(home || t0.omitted > 0).toBe(true);
  });

  it('changes nothing: no rehash step, no steps counted, no expiry, no LRU touch', () => {
    const e = engineWith(['a', 'b', 'c', 'd', 'e'].map((k) => ['SET', k, 'v']));
    e.exec(['PEXPIRE', 'a', '1']);
    const d = e.dbs[0].dict;
    const idx = d.rehashidx;
    const lru = peekDict(d, 'b')!.val.lru;
    steps.n = 0;
    snapshotKeyspace(e.dbs[0]);
    snapshotKey(e.dbs[0], 'a');
    snapshotKey(e.dbs[0], 'b');
    expect(steps.n).toBe(0);
    expect(d.rehashidx).toBe(idx);
    expect(peekDict(d, 'b')!.val.lru).toBe(lru);
    expect(snapshotKey(e.dbs[0], 'a')!.expireAt).toBeGreaterThan(0);
  });
});

describe('snapshotKey by encoding', () => {
  it('strings, missing keys', () => {
    const e = engineWith([['SET', 's', 'hello'], ['SET', 'n', '12']]);
    expect(snapshotKey(e.dbs[0], 'missing')).toBeNull();
    expect(snapshotKey(e.dbs[0], 's')).toEqual({ key: 's', type: 'string', encoding: 'embstr', expireAt: -1, value: { kind: 'string', value: 'hello', length: 5 } });
    expect(snapshotKey(e.dbs[0], 'n')!.encoding).toBe('int');
  });

  it('a listpack hash: field/value entries in order, grouped by 2', () => {
    const e = engineWith([['HSET', 'h', 'f1', 'v1', 'f2', 'v2']]);
    const s = snapshotKey(e.dbs[0], 'h')!;
    expect(s.type).toBe('hash');
    expect(s.encoding).toBe('listpack');
    expect(s.value).toMatchObject({ kind: 'listpack', from: 0, entries: ['f1', 'v1', 'f2', 'v2'], total: 4, group: 2 });
  });

  it('a hashtable hash after the conversion: a dict of the fields', () => {
    const e = engineWith([['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3']]);
    const s = snapshotKey(e.dbs[0], 'h')!;
    expect(s.encoding).toBe('hashtable');
    if (s.value.kind !== 'dict') throw new Error('not a dict');
    expect(s.value.used).toBe(3);
    expect(s.value.tables.flatMap((t) => (t ? t.buckets.flatMap((b) => b.keys) : [])).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a listpack zset, and a skiplist zset with levels and spans', () => {
    const e = engineWith([['ZADD', 'z', '1', 'a', '2', 'b']]);
    expect(snapshotKey(e.dbs[0], 'z')!.value).toMatchObject({ kind: 'listpack', entries: ['a', '1', 'b', '2'], group: 2 });
    e.exec(['CONFIG', 'SET', 'zset-max-listpack-entries', '0']);
    e.exec(['ZADD', 'big', '3', 'c', '1', 'a', '2', 'b']);
    const s = snapshotKey(e.dbs[0], 'big')!;
    expect(s.encoding).toBe('skiplist');
    if (s.value.kind !== 'skiplist') throw new Error('not a skiplist');
    expect(s.value.length).toBe(3);
    expect(s.value.nodes.map((n) => [n.member, n.score, n.rank])).toEqual([['a', 1, 1], ['b', 2, 2], ['c', 3, 3]]);
    for (const n of s.value.nodes) expect(n.spans.length).toBe(n.level);
    expect(s.value.headerSpans.length).toBe(s.value.level);
    expect(s.value.dict?.used).toBe(3);
  });

  it('a skiplist window around a focus member, capped at maxNodes', () => {
    const e = engineWith([['CONFIG', 'SET', 'zset-max-listpack-entries', '0']]);
    for (let i = 0; i < 300; i++) e.exec(['ZADD', 'z', String(i), `m${i}`]);
    const s = snapshotKey(e.dbs[0], 'z', { maxNodes: 10, focus: 'm150' })!;
    if (s.value.kind !== 'skiplist') throw new Error('not a skiplist');
    expect(s.value.nodes.length).toBe(10);
    expect(s.value.nodes.map((n) => n.member)).toContain('m150');
    expect(s.value.from).toBe(145);
    expect(s.value.nodes[0].rank).toBe(146);
  });

  it('a quicklist: nodes with their entries, capped', () => {
    const e = engineWith([['RPUSH', 'l', 'a', 'b', 'c']]);
    const s = snapshotKey(e.dbs[0], 'l')!;
    expect(s.type).toBe('list');
    if (s.value.kind !== 'quicklist') throw new Error('not a quicklist');
    expect(s.value.count).toBe(3);
    expect(s.value.nodes.flatMap((n) => n.entries)).toEqual(['a', 'b', 'c']);
    e.exec(['CONFIG', 'SET', 'list-max-listpack-size', '2']);
    for (let i = 0; i < 500; i++) e.exec(['RPUSH', 'long', `v${i}`]);
    const big = snapshotKey(e.dbs[0], 'long', { maxNodes: 16 })!.value;
    if (big.kind !== 'quicklist') throw new Error('not a quicklist');
    expect(big.len).toBe(250);
    expect(big.nodes.reduce((n, x) => n + x.entries.length, 0)).toBeLessThanOrEqual(16);
  });

  it('a set (intset or hashtable) gives a view of its encoding', () => {
    const e = engineWith([['SADD', 'ints', '3', '1', '2'], ['SADD', 'strs', 'x', 'y']]);
    const ints = snapshotKey(e.dbs[0], 'ints');
    const strs = snapshotKey(e.dbs[0], 'strs');
    if (ints && ints.encoding === 'intset') {
      expect(ints.value).toMatchObject({ kind: 'intset', values: ['1', '2', '3'], total: 3 });
    }
    if (strs && strs.encoding === 'hashtable') expect(strs.value.kind).toBe('dict');
  });

  it('cuts long values', () => {
    const e = engineWith([['SET', 'big', 'x'.repeat(10000)]]);
    const v = snapshotKey(e.dbs[0], 'big', { maxValueBytes: 16 })!.value;
    expect(v).toEqual({ kind: 'string', value: 'x'.repeat(16), length: 10000 });
  });

  it('snapshotDict on an empty dict', () => {
    const d = new Dict<number>();
    expect(snapshotDict(d)).toEqual({ kind: 'dict', name: '', tables: [{ size: 0, used: 0, from: 0, buckets: [], omitted: 0 }, null], rehashidx: -1, used: 0 });
  });
});
