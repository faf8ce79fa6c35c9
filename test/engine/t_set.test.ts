/**
 * Set commands: encodings and conversions, random commands checked by invariants (Redis's replies
 * are random), dirty / WATCH signals, COPY, RESP3 set replies, and the theory of the step counts:
 * SISMEMBER on an intset costs a binary search (grows like log2 n), on a hash table it is flat.
 * Fixed replies were read from redis-server 7.0.15 (see also test/conformance/cases/set.txt).
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import type { Reply } from '../../src/engine/types';

type E = ReturnType<typeof createEngine>;
const fresh = (config: Record<string, unknown> = {}) =>
  createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 7, config });
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const enc = (e: E, key: string) => e.dbs[0].dict.get(key)?.encoding;
const elems = (r: Reply): string[] => {
  if (r.t !== 'array' && r.t !== 'set') throw new Error(`not an aggregate: ${JSON.stringify(r)}`);
  return r.v.map((x) => (x.t === 'bulk' ? x.v : JSON.stringify(x)));
};
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));

describe('encodings', () => {
  it('intset for integers, hashtable for anything else, never back', () => {
    const e = fresh();
    expect(resp(e, 'SADD', 's', '3', '1', '2')).toBe(':3\r\n');
    expect(enc(e, 's')).toBe('intset');
    expect(resp(e, 'SMEMBERS', 's')).toBe('*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n');
    expect(resp(e, 'SADD', 's', '007')).toBe(':1\r\n');
    expect(enc(e, 's')).toBe('hashtable');
    expect(resp(e, 'SREM', 's', '007')).toBe(':1\r\n');
    expect(enc(e, 's')).toBe('hashtable');
    expect(resp(e, 'SADD', 't', 'x')).toBe(':1\r\n');
    expect(enc(e, 't')).toBe('hashtable');
  });

  it('converts after the add that exceeds set-max-intset-entries', () => {
    const e = fresh();
    e.exec(['SADD', 's', ...range(1, 512)]);
    expect(enc(e, 's')).toBe('intset');
    e.exec(['SADD', 's', '513']);
    expect(enc(e, 's')).toBe('hashtable');
    expect(resp(e, 'SCARD', 's')).toBe(':513\r\n');
    expect(resp(e, 'SISMEMBER', 's', '513')).toBe(':1\r\n');
  });

  it('traces the conversion', () => {
    const e = fresh();
    e.exec(['SADD', 's', '1', '2']);
    const r = e.exec(['SADD', 's', 'a'], { trace: true });
    expect(r.trace!.filter((t) => t.k === 'obj.convert')).toEqual([{ k: 'obj.convert', key: 's', from: 'intset', to: 'hashtable' }]);
  });

  it('STORE destinations: intset when every member is an integer', () => {
    const e = fresh();
    e.exec(['SADD', 'h', 'x', '1', '2']);
    e.exec(['SADD', 'i', '1', '2', '3']);
    expect(resp(e, 'SINTERSTORE', 'd', 'h', 'i')).toBe(':2\r\n');
    expect(enc(e, 'd')).toBe('intset');
    expect(resp(e, 'SDIFFSTORE', 'd2', 'h', 'i')).toBe(':1\r\n');
    expect(enc(e, 'd2')).toBe('hashtable');
    expect(resp(e, 'SUNIONSTORE', 'd3', 'i')).toBe(':3\r\n');
    expect(enc(e, 'd3')).toBe('intset');
    expect(resp(e, 'SINTERSTORE', 'd3', 'i', 'nokey')).toBe(':0\r\n');
    expect(resp(e, 'EXISTS', 'd3')).toBe(':0\r\n');
  });

  it('COPY deep-copies both encodings', () => {
    const e = fresh();
    e.exec(['SADD', 'i', '1', '2']);
    e.exec(['SADD', 'h', 'a', 'b']);
    expect(resp(e, 'COPY', 'i', 'i2')).toBe(':1\r\n');
    expect(resp(e, 'COPY', 'h', 'h2')).toBe(':1\r\n');
    e.exec(['SADD', 'i2', '3']);
    e.exec(['SREM', 'h2', 'a']);
    expect(resp(e, 'SCARD', 'i')).toBe(':2\r\n');
    expect(resp(e, 'SCARD', 'h')).toBe(':2\r\n');
    expect(enc(e, 'i2')).toBe('intset');
    expect(enc(e, 'h2')).toBe('hashtable');
  });
});

describe('replies', () => {
  it('RESP3 set replies for SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count', () => {
    const e = fresh();
    e.exec(['SADD', 's', '2', '1']);
    const c = e.defaultClient;
    c.resp = 3;
    const r3 = (...argv: string[]) => encodeReply(e.exec(argv).reply, 3);
    expect(r3('SMEMBERS', 's')).toBe('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    expect(r3('SINTER', 's')).toBe('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    expect(r3('SUNION', 's', 'nokey')).toBe('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    expect(r3('SDIFF', 'nokey', 's')).toBe('~0\r\n');
    expect(r3('SRANDMEMBER', 's', '5')).toBe('*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    expect(r3('SPOP', 'nokey')).toBe('_\r\n');
    expect(r3('SPOP', 'nokey', '1')).toBe('~0\r\n');
    expect(r3('SPOP', 's', '5')).toBe('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
  });

  it('SSCAN walks a hash table with the cursor and returns everything once', () => {
    const e = fresh();
    const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
    e.exec(['SADD', 's', ...members]);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = e.exec(['SSCAN', 's', cursor, 'COUNT', '7']).reply;
      if (r.t !== 'array') throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      for (const m of elems(r.v[1])) seen.add(m);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(200);
    expect(calls).toBeGreaterThan(5);
  });
});

describe('random commands (invariants)', () => {
  it('SRANDMEMBER: each strategy returns distinct members of the set', () => {
    const e = fresh();
    const ints = range(1, 100);
    e.exec(['SADD', 'i', ...ints]);
    e.exec(['SADD', 'h', ...ints.map((x) => `k${x}`)]);
    for (const key of ['i', 'h']) {
      const all = new Set(elems(e.exec(['SMEMBERS', key]).reply));
      for (const count of [1, 5, 30, 34, 90, 99]) { // case 4 (count*3 <= size) and case 3
        const got = elems(e.exec(['SRANDMEMBER', key, String(count)]).reply);
        expect(got.length).toBe(count);
        expect(new Set(got).size).toBe(count);
        for (const m of got) expect(all.has(m)).toBe(true);
      }
      expect(elems(e.exec(['SRANDMEMBER', key, '100']).reply).length).toBe(100);
      expect(elems(e.exec(['SRANDMEMBER', key, '1000']).reply).length).toBe(100);
      const rep = elems(e.exec(['SRANDMEMBER', key, '-50']).reply);
      expect(rep.length).toBe(50);
      expect(new Set(rep).size).toBeLessThan(50); // repeats (the seed is fixed)
      for (const m of rep) expect(all.has(m)).toBe(true);
      expect(resp(e, 'SCARD', key)).toBe(':100\r\n');
    }
  });

  it('SPOP: pops distinct members, removes them, deletes the emptied key', () => {
    for (const count of [1, 3, 10, 17, 19]) { // case 2 (remaining*5 > count) and case 3
      const e = fresh();
      e.exec(['SADD', 'h', ...range(1, 20).map((x) => `v${x}`)]);
      const popped = elems(e.exec(['SPOP', 'h', String(count)]).reply);
      expect(popped.length).toBe(count);
      expect(new Set(popped).size).toBe(count);
      const left = elems(e.exec(['SMEMBERS', 'h']).reply);
      expect(left.length).toBe(20 - count);
      for (const m of popped) expect(left.includes(m)).toBe(false);
      expect(new Set([...left, ...popped]).size).toBe(20);
    }
    const e = fresh();
    e.exec(['SADD', 's', '1', '2', '3']);
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = e.exec(['SPOP', 's']).reply;
      expect(r.t).toBe('bulk');
      seen.add((r as { v: string }).v);
    }
    expect([...seen].sort()).toEqual(['1', '2', '3']);
    expect(resp(e, 'EXISTS', 's')).toBe(':0\r\n');
    expect(resp(e, 'SPOP', 's')).toBe('$-1\r\n');
    expect(resp(e, 'SPOP', 's', '2')).toBe('*0\r\n');
  });

  it('the same seed gives the same random replies', () => {
    const run = () => {
      const e = fresh();
      e.exec(['SADD', 's', ...range(1, 50)]);
      return [resp(e, 'SRANDMEMBER', 's', '-5'), resp(e, 'SPOP', 's', '4'), resp(e, 'SPOP', 's')];
    };
    expect(run()).toEqual(run());
  });
});

describe('writes signal and count', () => {
  it('dirty and WATCH', () => {
    const e = fresh();
    const before = e.dirty;
    e.exec(['SADD', 's', 'a', 'b', 'a']);
    expect(e.dirty - before).toBe(2);
    e.exec(['SADD', 's', 'a']);
    expect(e.dirty - before).toBe(2);
    e.exec(['SREM', 's', 'a', 'zz']);
    expect(e.dirty - before).toBe(3);
    const signalled: string[] = [];
    const orig = e.signalModifiedKey.bind(e);
    e.signalModifiedKey = (db, key) => { signalled.push(key); orig(db, key); };
    e.exec(['SMOVE', 's', 'd', 'b']);
    expect(signalled).toEqual(['s', 'd']);
    signalled.length = 0;
    e.exec(['SADD', 'd', 'b']);
    e.exec(['SISMEMBER', 'd', 'b']);
    expect(signalled).toEqual([]);
    e.exec(['SINTERSTORE', 'd', 'nokey']);
    expect(signalled).toEqual(['d']);
    expect(resp(e, 'EXISTS', 's')).toBe(':0\r\n');
  });
});

describe('the theory of the step counts', () => {
  const sismemberSteps = (e: E, key: string, members: string[]) => {
    let worst = 0;
    for (const m of members) {
      const r = e.exec(['SISMEMBER', key, m]);
      expect(encodeReply(r.reply, 2)).toBe(':1\r\n');
      worst = Math.max(worst, r.steps);
    }
    return worst;
  };

  it('SISMEMBER on an intset grows like log2 n; on a hash table it stays flat', () => {
    const e = fresh({ setMaxIntsetEntries: 1 << 20 });
    const intsetSteps: number[] = [];
    const tableSteps: number[] = [];
    const sizes = [64, 1024, 16384];
    for (const n of sizes) {
      const ints = range(1, n);
      for (let i = 0; i < n; i += 4096) e.exec(['SADD', `i${n}`, ...ints.slice(i, i + 4096)]);
      expect(enc(e, `i${n}`)).toBe('intset');
      const words = ints.map((x) => `w${x}`);
      for (let i = 0; i < n; i += 4096) e.exec(['SADD', `h${n}`, ...words.slice(i, i + 4096)]);
      expect(enc(e, `h${n}`)).toBe('hashtable');
      const sample = (a: string[]) => a.filter((_, i) => i % Math.max(1, n >> 5) === 0);
      intsetSteps.push(sismemberSteps(e, `i${n}`, sample(ints)));
      tableSteps.push(sismemberSteps(e, `h${n}`, sample(words)));
    }
    // Binary search: about log2 n probes (+2 end checks, +1 keyspace lookup and its chain).
    for (let k = 0; k < sizes.length; k++) {
      const lg = Math.log2(sizes[k]);
      expect(intsetSteps[k]).toBeGreaterThanOrEqual(lg);
      expect(intsetSteps[k]).toBeLessThanOrEqual(lg + 8);
    }
    // 16x more members: about 4 more probes each time.
    expect(intsetSteps[1] - intsetSteps[0]).toBeGreaterThanOrEqual(3);
    expect(intsetSteps[2] - intsetSteps[1]).toBeGreaterThanOrEqual(3);
    // The hash table does not care about n.
    expect(Math.max(...tableSteps)).toBeLessThanOrEqual(Math.min(...tableSteps) + 4);
    expect(Math.max(...tableSteps)).toBeLessThan(intsetSteps[2]);
  });
});

describe('SSCAN / ZSCAN cursors', () => {
  it('parse the cursor like SCAN does: strtoul over the C string, so "0\\x00x" is cursor 0 (as Redis 7.0 replies)', async () => {
    const { createEngine } = await import('../../src/engine');
    const { encodeReply } = await import('../../src/engine/resp');
    const e = createEngine();
    e.exec(['SADD', 's', '1']);
    e.exec(['ZADD', 'z', '1', 'a']);
    expect(encodeReply(e.exec(['SSCAN', 's', '\x00']).reply, 2)).toBe('*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n');
    expect(encodeReply(e.exec(['ZSCAN', 'z', '0\x00x']).reply, 2)).toBe('*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(encodeReply(e.exec(['SSCAN', 's', ' 0']).reply, 2)).toBe('-ERR invalid cursor\r\n');
  });
});
