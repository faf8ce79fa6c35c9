import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { tracing, type TraceEvent } from '../../src/engine/trace';
import type { Engine } from '../../src/engine/engine';

const T0 = 1_700_000_000_000;
const resp = (e: Engine, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);

function setup(seed = 1) {
  const clock = new ManualClock(T0);
  const e = createEngine({ clock, seed });
  return { clock, e };
}

/** Run one cron and return the expire.pass events it produced. */
function cronPasses(e: Engine): { db: number; sampled: number; expired: number }[] {
  const sink: TraceEvent[] = [];
  const prev = tracing.sink;
  tracing.sink = sink;
  try { e.cron(); } finally { tracing.sink = prev; }
  return sink.filter((ev): ev is Extract<TraceEvent, { k: 'expire.pass' }> => ev.k === 'expire.pass')
    .map(({ db, sampled, expired }) => ({ db, sampled, expired }));
}

describe('lazy expiry', () => {
  it('deletes on access only when now > when', () => {
    const { clock, e } = setup();
    resp(e, 'SET', 'k', 'v');
    expect(resp(e, 'PEXPIREAT', 'k', String(T0 + 100))).toBe(':1\r\n');
    clock.set(T0 + 100); // now == when: still alive
    expect(resp(e, 'GET', 'k')).toBe('$1\r\nv\r\n');
    expect(resp(e, 'PTTL', 'k')).toBe(':0\r\n');
    expect(resp(e, 'TTL', 'k')).toBe(':0\r\n');
    expect(e.stats.expiredKeys).toBe(0);
    clock.set(T0 + 101);
    expect(resp(e, 'GET', 'k')).toBe('$-1\r\n');
    expect(e.stats.expiredKeys).toBe(1);
    expect(e.dbs[0].dict.size()).toBe(0);
    expect(e.dbs[0].expires.size()).toBe(0);
  });

  it('traces the lazy deletion', () => {
    const { clock, e } = setup();
    resp(e, 'SET', 'k', 'v');
    resp(e, 'PEXPIRE', 'k', '10');
    clock.advance(11);
    const r = e.exec(['EXISTS', 'k'], { trace: true });
    expect(r.trace!.filter((ev) => ev.k === 'key.expired')).toEqual([{ k: 'key.expired', key: 'k', lazy: true }]);
  });

  it('TTL rounds to the nearest second; EXPIRETIME is absolute', () => {
    const { clock, e } = setup();
    resp(e, 'SET', 'k', 'v');
    resp(e, 'PEXPIRE', 'k', '1499');
    expect(resp(e, 'TTL', 'k')).toBe(':1\r\n');
    resp(e, 'PEXPIRE', 'k', '1500');
    expect(resp(e, 'TTL', 'k')).toBe(':2\r\n');
    expect(resp(e, 'PTTL', 'k')).toBe(':1500\r\n');
    expect(resp(e, 'PEXPIRETIME', 'k')).toBe(`:${T0 + 1500}\r\n`);
    expect(resp(e, 'EXPIRETIME', 'k')).toBe(`:${Math.floor((T0 + 1500 + 500) / 1000)}\r\n`);
    clock.advance(1000);
    expect(resp(e, 'PTTL', 'k')).toBe(':500\r\n');
    expect(resp(e, 'TTL', 'k')).toBe(':1\r\n');
  });

  it('a time in the past deletes at once, as a DEL (not counted as expired)', () => {
    const { e } = setup();
    resp(e, 'SET', 'k', 'v');
    const d0 = e.dirty;
    expect(resp(e, 'PEXPIREAT', 'k', String(T0))).toBe(':1\r\n'); // when <= now
    expect(e.dirty - d0).toBe(1);
    expect(resp(e, 'EXISTS', 'k')).toBe(':0\r\n');
    expect(e.stats.expiredKeys).toBe(0);
  });

  it('GT/LT compare with the stored absolute time; no TTL is infinite', () => {
    const { e } = setup();
    resp(e, 'SET', 'k', 'v');
    expect(resp(e, 'EXPIRE', 'k', '100', 'GT')).toBe(':0\r\n');
    expect(resp(e, 'EXPIRE', 'k', '100', 'LT')).toBe(':1\r\n');
    expect(resp(e, 'EXPIRE', 'k', '100', 'LT')).toBe(':0\r\n'); // equal is not less
    expect(resp(e, 'EXPIRE', 'k', '100', 'GT')).toBe(':0\r\n');
    expect(resp(e, 'PEXPIRE', 'k', '100001', 'GT')).toBe(':1\r\n');
    expect(resp(e, 'PTTL', 'k')).toBe(':100001\r\n');
  });
});

describe('active expiry (activeExpireCycle)', () => {
  it('an all-expired keyspace is emptied in one cron, 20 keys a pass', () => {
    const { clock, e } = setup();
    for (let i = 0; i < 100; i++) { e.exec(['SET', 'k' + i, 'v']); e.exec(['PEXPIRE', 'k' + i, '10']); }
    clock.advance(11);
    const passes = cronPasses(e);
    expect(passes.every((p) => p.db === 0 && p.expired === p.sampled)).toBe(true);
    expect(passes.reduce((s, p) => s + p.expired, 0)).toBe(100);
    // Each pass stops once 20 keys are sampled (whole buckets, so a few more), or after 400 buckets.
    for (const p of passes.slice(0, -1)) expect(p.sampled).toBeGreaterThanOrEqual(20);
    expect(passes.map((p) => p.sampled)).toEqual(PASSES_ALL_EXPIRED);
    expect(e.dbs[0].dict.size()).toBe(0);
    expect(e.stats.expiredKeys).toBe(100);
  });

  it('a mostly-unexpired keyspace stops after one pass', () => {
    const { clock, e } = setup(7);
    for (let i = 0; i < 1000; i++) { e.exec(['SET', 'k' + i, 'v']); e.exec(['PEXPIRE', 'k' + i, i < 10 ? '10' : '100000']); }
    clock.advance(11);
    // The model: whole buckets of the expires table, from cursor 0 up, until 20 keys are sampled.
    const d = e.dbs[0].expires;
    expect(d.isRehashing()).toBe(false);
    let sampled = 0, expired = 0, bucket = 0;
    while (sampled < 20) {
      for (let de = d.ht0[bucket]; de; de = de.next) { sampled++; if (T0 + 11 > de.val) expired++; }
      bucket++;
    }
    expect({ sampled, expired }).toEqual({ sampled: ONE_PASS.sampled, expired: ONE_PASS.expired });
    const passes = cronPasses(e);
    expect(e.dbs[0].expiresCursor).toBe(bucket);
    expect(passes.length).toBe(1);
    expect(passes[0].sampled).toBeGreaterThanOrEqual(20);
    expect(passes[0]).toEqual(ONE_PASS);
    expect(e.dbs[0].dict.size()).toBe(1000 - ONE_PASS.expired);
  });

  it('repeats while more than 10% of the sampled keys had expired, and the cursor moves on', () => {
    const { clock, e } = setup(11);
    for (let i = 0; i < 400; i++) { e.exec(['SET', 'k' + i, 'v']); e.exec(['PEXPIRE', 'k' + i, i % 4 === 0 ? '10' : '100000']); }
    clock.advance(11);
    const removed: number[] = [];
    const passCounts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = e.dbs[0].dict.size();
      const passes = cronPasses(e);
      passCounts.push(passes.length);
      removed.push(before - e.dbs[0].dict.size());
      // every pass but the last had more than 10% stale keys; the last had at most 10%
      for (const p of passes.slice(0, -1)) expect(Math.floor((p.expired * 100) / p.sampled)).toBeGreaterThan(10);
      const last = passes[passes.length - 1];
      expect(Math.floor((last.expired * 100) / last.sampled)).toBeLessThanOrEqual(10);
    }
    expect({ removed, passCounts }).toEqual(REPEATING);
    expect(e.stats.expiredKeys).toBe(removed.reduce((a, b) => a + b, 0));
  });

  it('visits every db, each with its own cursor', () => {
    const { clock, e } = setup();
    for (const db of [0, 5, 15]) {
      e.exec(['SELECT', String(db)]);
      for (let i = 0; i < 3; i++) { e.exec(['SET', 'k' + i, 'v']); e.exec(['PEXPIRE', 'k' + i, '10']); }
    }
    clock.advance(11);
    const passes = cronPasses(e);
    expect(passes).toEqual([
      { db: 0, sampled: 3, expired: 3 },
      { db: 5, sampled: 3, expired: 3 },
      { db: 15, sampled: 3, expired: 3 },
    ]);
    expect(e.stats.expiredKeys).toBe(9);
  });

  it('does nothing on keys that are not yet expired (now == when)', () => {
    const { clock, e } = setup();
    resp(e, 'SET', 'k', 'v');
    resp(e, 'PEXPIREAT', 'k', String(T0 + 50));
    clock.set(T0 + 50);
    expect(cronPasses(e)).toEqual([{ db: 0, sampled: 1, expired: 0 }]);
    clock.set(T0 + 51);
    expect(cronPasses(e)).toEqual([{ db: 0, sampled: 1, expired: 1 }]);
    expect(e.dbs[0].dict.size()).toBe(0);
  });

  it('keeps the average TTL with integer arithmetic', () => {
    const { e } = setup();
    resp(e, 'SET', 'k', 'v');
    resp(e, 'PEXPIRE', 'k', '100000');
    cronPasses(e);
    // first sample: avg = 100000, then avg/50*49 + avg/50 = 100000
    expect(e.dbs[0].avgTtl).toBe(100000);
  });
});

// Exact per-pass numbers for the seeded cases above (hash seed = engine seed).
const PASSES_ALL_EXPIRED: number[] = [20, 20, 21, 20, 19];
const ONE_PASS = { db: 0, sampled: 20, expired: 1 };
const REPEATING = { removed: [18, 34, 19], passCounts: [3, 7, 4] };
