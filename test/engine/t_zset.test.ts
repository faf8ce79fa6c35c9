import { describe, it, expect } from 'vitest';
import { createEngine, type Engine } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { tracing } from '../../src/engine/trace';
import { cloneZsetValue, ZSet, parseScore } from '../../src/engine/t_zset';
import type { Listpack } from '../../src/engine/structures/listpack';
import type { RObj } from '../../src/engine/object';

const resp = (e: Engine, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const obj = (e: Engine, key: string) => e.dbs[0].dict.get(key) as RObj;
const bulkArr = (...xs: string[]) => `*${xs.length}\r\n` + xs.map((x) => `$${x.length}\r\n${x}\r\n`).join('');

/** An engine with z holding n members m0..m(n-1) with scores 0, 2, 4, ... (skiplist when n > 128). */
function build(n: number, seed = 1): Engine {
  const e = createEngine({ seed });
  const args = ['ZADD', 'z'];
  for (let i = 0; i < n; i++) args.push(String(i * 2), 'm' + i);
  e.exec(args);
  return e;
}

function meanSteps(e: Engine, n: number, cmd: (i: number, k: number) => string[], after?: (k: number) => string[]): number {
  const K = 400;
  let total = 0;
  for (let k = 0; k < K; k++) {
    const i = (k * 7919) % n;
    total += e.exec(cmd(i, k)).steps;
    if (after) e.exec(after(k));
  }
  return total / K;
}

describe('zset step counts follow the theory (counted, not timed)', () => {
  const small = build(1000);
  const large = build(100_000);

  it('builds skiplist-encoded sets', () => {
    expect(obj(small, 'z').encoding).toBe('skiplist');
    expect(obj(large, 'z').encoding).toBe('skiplist');
    expect(resp(large, 'ZCARD', 'z')).toBe(':100000\r\n');
  });

  it('ZSCORE is one dict lookup: its steps do not grow with n', () => {
    const cmd = (i: number) => ['ZSCORE', 'z', 'm' + i];
    const a = meanSteps(small, 1000, cmd), b = meanSteps(large, 100_000, cmd);
    expect(a).toBeLessThan(10);
    expect(b).toBeLessThan(10);
    expect(b / a).toBeGreaterThan(0.7);
    expect(b / a).toBeLessThan(1.3);
  });

  it('ZRANK walks the skiplist: steps grow like log n', () => {
    const cmd = (i: number) => ['ZRANK', 'z', 'm' + i];
    const a = meanSteps(small, 1000, cmd), b = meanSteps(large, 100_000, cmd);
    expect(b / a).toBeGreaterThan(1.3);
    expect(b / a).toBeLessThan(2.2);
  });

  it('ZADD of a new member: steps grow like log n', () => {
    // Each new member is removed again so that n stays fixed.
    const cmd = (i: number, k: number) => ['ZADD', 'z', String(i * 2 + 1), 'new' + k];
    const undo = (k: number) => ['ZREM', 'z', 'new' + k];
    const a = meanSteps(small, 1000, cmd, undo), b = meanSteps(large, 100_000, cmd, undo);
    expect(b / a).toBeGreaterThan(1.3);
    expect(b / a).toBeLessThan(2.2);
  });

  it('gives identical step counts with tracing on and off; no trace array when off', () => {
    const e1 = build(300, 5), e2 = build(300, 5);
    const cmds = [
      ['ZADD', 'z', '101', 'x'], ['ZRANK', 'z', 'm77'], ['ZSCORE', 'z', 'm5'], ['ZRANGE', 'z', '10', '20'],
      ['ZRANGEBYSCORE', 'z', '(50', '90', 'LIMIT', '1', '3'], ['ZREM', 'z', 'm3'], ['ZINCRBY', 'z', '1000', 'm4'],
      ['ZCOUNT', 'z', '10', '200'], ['ZREMRANGEBYRANK', 'z', '0', '5'], ['ZPOPMAX', 'z', '2'],
    ];
    for (const argv of cmds) {
      const off = e1.exec(argv);
      const on = e2.exec(argv, { trace: true });
      expect(on.steps).toBe(off.steps);
      expect(encodeReply(on.reply, 2)).toBe(encodeReply(off.reply, 2));
      expect('trace' in off).toBe(false);
      expect(Array.isArray(on.trace)).toBe(true);
      expect(tracing.sink).toBeNull();
    }
    const t = e2.exec(['ZADD', 'z', '55.5', 'traced'], { trace: true }).trace!;
    const kinds = new Set(t.map((ev) => ev.k));
    for (const k of ['zsl.compare', 'zsl.update', 'zsl.coin', 'zsl.create', 'zsl.span']) expect(kinds.has(k as never)).toBe(true);
    const r = e2.exec(['ZRANK', 'z', 'traced'], { trace: true }).trace!;
    expect(r.some((ev) => ev.k === 'zsl.rank')).toBe(true);
  });
});

describe('zset commands', () => {
  it('adds, scores and formats with %.17g', () => {
    const e = createEngine();
    expect(resp(e, 'ZADD', 'z', '0.1', 'a', '1e300', 'b', '-inf', 'c')).toBe(':3\r\n');
    expect(resp(e, 'ZSCORE', 'z', 'a')).toBe('$19\r\n0.10000000000000001\r\n');
    expect(resp(e, 'ZSCORE', 'z', 'b')).toBe('$23\r\n1.0000000000000001e+300\r\n');
    expect(resp(e, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(bulkArr('c', '-inf', 'a', '0.10000000000000001', 'b', '1.0000000000000001e+300'));
    expect(resp(e, 'ZADD', 'z', '1e400', 'x')).toBe('-ERR value is not a valid float\r\n');
    expect(resp(e, 'ZINCRBY', 'z', '+inf', 'c')).toBe('-ERR resulting score is not a number (NaN)\r\n');
    expect(resp(e, 'ZADD', 'z', 'NX', 'INCR', '1', 'a')).toBe('$-1\r\n');
    expect(resp(e, 'ZADD', 'z', 'XX', 'NX', '1', 'a')).toBe('-ERR XX and NX options at the same time are not compatible\r\n');
    expect(resp(e, 'ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe('-ERR GT, LT, and/or NX options at the same time are not compatible\r\n');
    expect(resp(e, 'ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe('-ERR INCR option supports a single increment-element pair\r\n');
  });

  it('parses scores like getDoubleFromObject', () => {
    expect(parseScore('1e400')).toBeNull();
    expect(parseScore('1e-400')).toBeNull();
    expect(parseScore('4e-320')).toBeGreaterThan(0);
    expect(parseScore('0')).toBe(0);
    expect(parseScore('0e10')).toBe(0);
    expect(parseScore('-inf')).toBe(-Infinity);
    expect(parseScore(' 1')).toBeNull();
    expect(parseScore('nan')).toBeNull();
    expect(parseScore('0x10')).toBe(16);
  });

  it('converts listpack -> skiplist above 128 entries or 64-byte members, never back', () => {
    const e = createEngine();
    const args = ['ZADD', 'z'];
    for (let i = 0; i < 128; i++) args.push(String(i), 'e' + i);
    e.exec(args);
    expect(obj(e, 'z').encoding).toBe('listpack');
    expect((obj(e, 'z').ptr as Listpack).entries.slice(0, 4)).toEqual(['e0', '0', 'e1', '1']);
    e.exec(['ZADD', 'z', '500', 'one-more']);
    expect(obj(e, 'z').encoding).toBe('skiplist');
    e.exec(['ZREMRANGEBYRANK', 'z', '0', '-3']);
    expect(resp(e, 'ZCARD', 'z')).toBe(':2\r\n');
    expect(obj(e, 'z').encoding).toBe('skiplist');
    e.exec(['ZADD', 'w', '1', 'y'.repeat(64)]);
    expect(obj(e, 'w').encoding).toBe('listpack');
    e.exec(['ZADD', 'w', '1', 'x'.repeat(65)]);
    expect(obj(e, 'w').encoding).toBe('skiplist');
    e.exec(['ZADD', 'v', '1', 'x'.repeat(65)]);
    expect(obj(e, 'v').encoding).toBe('skiplist');
  });

  it('keeps both encodings answering identically', () => {
    const lp = createEngine({ seed: 3 });
    const sl = createEngine({ seed: 3, config: { zsetMaxListpackEntries: 0 } });
    const script: string[][] = [
      ['ZADD', 'z', '1', 'a', '1', 'b', '2', 'c', '3', 'd', '3', 'e', '0', 'f', 'inf', 'g'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'z', '(1', '3', 'BYSCORE', 'LIMIT', '1', '2'],
      ['ZRANGE', 'z', '3', '(1', 'BYSCORE', 'REV', 'WITHSCORES'], ['ZRANGE', 'z', '[b', '(e', 'BYLEX'],
      ['ZREVRANGEBYLEX', 'z', '+', '[c'], ['ZRANK', 'z', 'e'], ['ZREVRANK', 'z', 'e'], ['ZCOUNT', 'z', '(1', '3'],
      ['ZLEXCOUNT', 'z', '(a', '[d'], ['ZINCRBY', 'z', '5', 'a'], ['ZADD', 'z', 'GT', 'CH', '0', 'b', '10', 'c'],
      ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '-1', '3'], ['ZREMRANGEBYSCORE', 'z', '(3', '6'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZPOPMIN', 'z', '2'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '2'],
      ['ZUNION', '2', 'z', 'z', 'WITHSCORES'], ['ZRANGESTORE', 'd', 'z', '0', '-1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZREMRANGEBYLEX', 'z', '-', '+'], ['EXISTS', 'z'],
    ];
    for (const argv of script) expect(resp(sl, ...argv)).toBe(resp(lp, ...argv));
    expect(obj(sl, 'd').encoding).toBe('skiplist');
    expect(obj(lp, 'd').encoding).toBe('listpack');
  });

  it('stores -0 as 0 in a listpack and as -0 in a skiplist (as Redis)', () => {
    const lp = createEngine();
    const sl = createEngine({ config: { zsetMaxListpackEntries: 0 } });
    lp.exec(['ZADD', 'z', '-0', 'a']);
    sl.exec(['ZADD', 'z', '-0', 'a']);
    expect(resp(lp, 'ZSCORE', 'z', 'a')).toBe('$1\r\n0\r\n');
    expect(resp(sl, 'ZSCORE', 'z', 'a')).toBe('$2\r\n-0\r\n');
  });

  it('replies with RESP3 shapes of 7.0', () => {
    const e = createEngine();
    e.defaultClient.resp = 3;
    e.exec(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']);
    const r3 = (...argv: string[]) => encodeReply(e.exec(argv).reply, 3);
    expect(r3('ZRANGE', 'z', '0', '0', 'WITHSCORES')).toBe('*1\r\n*2\r\n$1\r\na\r\n,1\r\n');
    expect(r3('ZPOPMIN', 'z')).toBe('*2\r\n$1\r\na\r\n,1\r\n');
    expect(r3('ZPOPMIN', 'z', '1')).toBe('*1\r\n*2\r\n$1\r\nb\r\n,2\r\n');
    expect(r3('ZMPOP', '1', 'z', 'MAX')).toBe('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,3\r\n');
    expect(r3('ZMPOP', '1', 'z', 'MAX')).toBe('_\r\n');
  });

  it('counts dirty changes', () => {
    const e = createEngine();
    const d0 = e.dirty;
    e.exec(['ZADD', 'z', '1', 'a', '2', 'b']);
    expect(e.dirty - d0).toBe(2);
    e.exec(['ZADD', 'z', '1', 'a']);
    expect(e.dirty - d0).toBe(2);
    e.exec(['ZREM', 'z', 'a', 'nope']);
    expect(e.dirty - d0).toBe(3);
  });

  it('ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE read their inputs: keyspace hits and misses (7.0.15)', () => {
    const e = createEngine();
    e.exec(['ZADD', 'a', '1', 'x']);
    e.exec(['SADD', 's', 'x']);
    for (const cmd of ['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']) {
      const h = e.stats.keyspaceHits, m = e.stats.keyspaceMisses;
      e.exec([cmd, 'd', '3', 'a', 's', 'nokey']);
      expect([e.stats.keyspaceHits - h, e.stats.keyspaceMisses - m]).toEqual([2, 1]);
    }
  });

  it('ZRANDMEMBER: distinct members for positive counts, repeats for negative ones, seeded', () => {
    const members = (r: string) => r.split('\r\n').filter((_, i) => i % 2 === 0 && i > 0);
    for (const n of [5, 200]) {
      const e = build(n, 11);
      const all = new Set(Array.from({ length: n }, (_, i) => 'm' + i));
      for (const count of [1, 3, Math.floor(n / 2), n - 1, n, n + 10]) {
        const got = members(resp(e, 'ZRANDMEMBER', 'z', String(count)));
        expect(got.length).toBe(Math.min(count, n));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(all.has(m)).toBe(true);
      }
      const rep = members(resp(e, 'ZRANDMEMBER', 'z', '-50'));
      expect(rep.length).toBe(50);
      for (const m of rep) expect(all.has(m)).toBe(true);
      const ws = e.exec(['ZRANDMEMBER', 'z', '-20', 'WITHSCORES']).reply as unknown as { v: { v: string; s: string }[] };
      expect(ws.v.length).toBe(40);
      for (let i = 0; i < 40; i += 2) expect(ws.v[i + 1].s).toBe(String(Number(ws.v[i].v.slice(1)) * 2));
    }
    expect(resp(build(50, 4), 'ZRANDMEMBER', 'z', '-10')).toBe(resp(build(50, 4), 'ZRANDMEMBER', 'z', '-10'));
  });

  it('ZSCAN over a skiplist visits every member exactly once', () => {
    const e = build(1000);
    const seen = new Map<string, string>();
    let cursor = '0';
    let rounds = 0;
    do {
      const r = e.exec(['ZSCAN', 'z', cursor, 'COUNT', '50']).reply as unknown as { v: [{ v: string }, { v: { v: string }[] }] };
      cursor = r.v[0].v;
      const items = r.v[1].v;
      for (let i = 0; i < items.length; i += 2) {
        expect(seen.has(items[i].v)).toBe(false);
        seen.set(items[i].v, items[i + 1].v);
      }
      rounds++;
    } while (cursor !== '0');
    expect(seen.size).toBe(1000);
    expect(seen.get('m10')).toBe('20');
    expect(rounds).toBeGreaterThan(5);
  });

  it('clones both encodings deeply (COPY)', () => {
    const e = build(200);
    const o = obj(e, 'z');
    const c = cloneZsetValue(o);
    expect(c.encoding).toBe('skiplist');
    const zs = c.ptr as ZSet;
    zs.zsl.delete(0, 'm0');
    zs.dict.delete('m0');
    expect((o.ptr as ZSet).zsl.length).toBe(200);
    expect((o.ptr as ZSet).dict.get('m0')).toBe(0);
    const e2 = build(3);
    const lpc = cloneZsetValue(obj(e2, 'z'));
    (lpc.ptr as Listpack).entries.length = 0;
    expect(resp(e2, 'ZCARD', 'z')).toBe(':3\r\n');
  });
});
