/**
 * maxmemory: the memory estimate (memory.ts) and eviction (evict.ts). MEMORY USAGE values were read
 * from redis-server 7.0.15; eviction counts are exact for the fixed seeds used here.
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { RObj } from '../../src/engine/object';
import { Dict } from '../../src/engine/structures/dict';
import { Listpack } from '../../src/engine/structures/listpack';
import { Skiplist } from '../../src/engine/structures/skiplist';
import {
  mallocSize, sdsAllocSize, objectComputeSize, keyMemoryUsage, usedMemory, invalidateMemory, USED_MEMORY_STARTUP,
} from '../../src/engine/memory';
import { performEvictions, maybeDenyOom, EVPOOL_SIZE, evictionPool } from '../../src/engine/evict';
import type { MaxmemoryPolicy } from '../../src/engine/config';

type E = ReturnType<typeof createEngine>;
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const fresh = (seed = 1) => createEngine({ clock: new ManualClock(1_700_000_000_000), seed });
const val = (i: number) => 'value-' + String(i).padStart(6, '0') + '-'.repeat(20);

function fill(e: E, prefix: string, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) e.exec(['SET', `${prefix}${i}`, val(i)]);
}

/** Set the policy and a limit `delta` bytes above (or below) the current estimate. */
function limit(e: E, policy: MaxmemoryPolicy, delta: number): number {
  e.config.maxmemoryPolicy = policy;
  e.config.maxmemory = usedMemory(e) + delta;
  return e.config.maxmemory;
}

function countPrefix(e: E, prefix: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (e.dbs[0].dict.get(`${prefix}${i}`)) n++;
  return n;
}

const usage = (e: E, key: string) => resp(e, 'MEMORY', 'USAGE', key);
const plant = (e: E, key: string, o: RObj) => e.dbs[0].add(key, o);
const listpack = (...v: string[]) => { const lp = new Listpack(); for (const x of v) lp.append(x); return lp; };

describe('allocator model', () => {
  it('rounds to jemalloc size classes', () => {
    expect([1, 8, 9, 16, 17, 21, 33, 49, 64, 65, 129, 161, 257, 536, 1004, 10004, 40006, 100010].map(mallocSize))
      .toEqual([8, 8, 16, 16, 32, 32, 48, 64, 64, 80, 160, 192, 320, 640, 1024, 10240, 40960, 114688]);
  });
  it('sizes sds headers by type (5, 8, 16, 32)', () => {
    expect([0, 1, 2, 30, 31, 32, 255, 256, 65535, 65536].map(sdsAllocSize)).toEqual([8, 8, 8, 32, 48, 48, 320, 320, 81920, 81920]);
  });
});

describe('MEMORY USAGE (values from redis-server 7.0.15)', () => {
  it('strings: embstr, raw, int, key lengths', () => {
    const e = fresh();
    const cases: [string, string, number][] = [
      ['s1', 'x', 64], ['s10', 'x'.repeat(10), 64], ['s20', 'x'.repeat(20), 80], ['s21', 'x'.repeat(21), 80],
      ['s44', 'x'.repeat(44), 96], ['s45', 'x'.repeat(45), 112], ['s100', 'x'.repeat(100), 160],
      ['s1000', 'x'.repeat(1000), 1072], ['s10000', 'x'.repeat(10000), 10288], ['big2', 'y'.repeat(40000), 41008],
      ['big', 'y'.repeat(100000), 114736], ['e', '', 64], ['i', '0', 48], ['j', '123456789', 48], ['m', '-5', 48],
      ['u', '12345678901234567890', 80], ['k'.repeat(30), 'x', 88], ['k'.repeat(31), 'x', 104], ['k'.repeat(32), 'x', 104],
      ['k'.repeat(100), 'x', 168], ['k'.repeat(300), 'x', 376],
    ];
    for (const [k, v, n] of cases) {
      expect(resp(e, 'SET', k, v)).toBe('+OK\r\n');
      expect([k.slice(0, 8), usage(e, k)]).toEqual([k.slice(0, 8), `:${n}\r\n`]);
    }
  });
  it('SETRANGE on a missing key makes a type-5 raw sds', () => {
    const e = fresh();
    resp(e, 'SETRANGE', 'b', '0', 'x');
    expect(usage(e, 'b')).toBe(':56\r\n');
  });
  it('errors and options', () => {
    const e = fresh();
    resp(e, 'SET', 'a', 'hello');
    expect(resp(e, 'MEMORY', 'USAGE', 'nokey')).toBe('$-1\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'SAMPLES')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'SAMPLES', '-1')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'SAMPLES', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'foo')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'nokey', 'foo')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'samples', '0')).toBe(':64\r\n');
    expect(resp(e, 'MEMORY', 'USAGE', 'a', 'SAMPLES', '3', 'samples', '4')).toBe(':64\r\n');
    expect(resp(e, 'MEMORY', 'USAGE')).toBe("-ERR wrong number of arguments for 'memory|usage' command\r\n");
    expect(resp(e, 'MEMORY', 'foo')).toBe("-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n");
    const help = e.exec(['MEMORY', 'HELP']).reply;
    expect(help.t === 'array' && help.v.length).toBe(14);
    expect(resp(e, 'MEMORY', 'DOCTOR')).toMatch(/^\$\d+\r\nHi Sam, this instance is empty or is using very little memory/);
  });
  it('MEMORY STATS: the db table overheads as the real server reports them', () => {
    const e = fresh();
    resp(e, 'SET', 'a', 'b');
    e.dbs[0].setExpire('a', Date.now() + 100_000);
    const r = e.exec(['MEMORY', 'STATS']).reply;
    expect(r.t).toBe('map');
    const v = r.t === 'map' ? r.v : [];
    const names = v.filter((_, i) => i % 2 === 0).map((x) => (x.t === 'bulk' ? x.v : ''));
    expect(names.length).toBe(28);
    expect(names.slice(0, 11)).toEqual(['peak.allocated', 'total.allocated', 'startup.allocated', 'replication.backlog',
      'clients.slaves', 'clients.normal', 'cluster.links', 'aof.buffer', 'lua.caches', 'functions.caches', 'db.0']);
    expect(encodeReply(v[21], 2)).toBe('*6\r\n$23\r\noverhead.hashtable.main\r\n:72\r\n$26\r\noverhead.hashtable.expires\r\n:56\r\n$31\r\noverhead.hashtable.slot-to-keys\r\n:0\r\n');
    expect(encodeReply(v[23], 2)).toBe(':876640\r\n');
  });
  it('listpack hashes and zsets, intsets, quicklists, hash tables', () => {
    const e = fresh();
    plant(e, 'h1', new RObj('hash', 'listpack', listpack('f', 'v')));
    plant(e, 'h2', new RObj('hash', 'listpack', listpack('field1', 'value1', 'field2', 'value2')));
    plant(e, 'z1', new RObj('zset', 'listpack', listpack('a', '1')));
    plant(e, 's1', new RObj('set', 'intset', { encoding: 2, length: 1 }));
    plant(e, 's2', new RObj('set', 'intset', { encoding: 4, length: 4 }));
    plant(e, 's3', new RObj('set', 'intset', { encoding: 8, length: 4 }));
    plant(e, 'l1', new RObj('list', 'quicklist', { head: { entry: listpack('a'), next: null }, count: 1, len: 1 }));
    plant(e, 'l2', new RObj('list', 'quicklist', { head: { entry: listpack('a', 'b', 'c', '1', '2', '3'), next: null }, count: 6, len: 1 }));
    const s4 = new Dict<null>(); s4.add('a', null);
    plant(e, 's4', new RObj('set', 'hashtable', s4));
    const hb = new Dict<string>(); hb.expand(513);
    for (let i = 1; i <= 600; i++) hb.add(`f${i}`, `v${i}`);
    plant(e, 'hb', new RObj('hash', 'hashtable', hb));
    const expected: Record<string, number> = { h1: 64, h2: 96, z1: 64, s1: 64, s2: 80, s3: 96, l1: 144, l2: 160, s4: 168, hb: 32296 };
    for (const [k, n] of Object.entries(expected)) expect([k, usage(e, k)]).toEqual([k, `:${n}\r\n`]);
    expect(resp(e, 'MEMORY', 'USAGE', 'hb', 'SAMPLES', '0')).toBe(':32296\r\n');
  });
  it('skiplist zsets: header, levels, members, dict slots', () => {
    const zsl = new Skiplist(() => 0);
    const dict = new Dict<number>();
    for (let i = 0; i < 10; i++) { zsl.forceNextLevel(i < 5 ? 1 : 2); zsl.insert(i, `m${i}`); dict.add(`m${i}`, i); }
    const o = new RObj('zset', 'skiplist', { dict, zsl });
    const base = 16 + 16 + 32 + 56 + 8 * (dict.ht0.length + dict.ht1.length) + 640;
    // The first 5 nodes (level 1): sds 8 + dictEntry 24 + node 48 = 80 each, times 10 elements.
    expect(objectComputeSize(o)).toBe(base + 800);
    // All: 5 of level 1 (80), 5 of level 2 (8 + 24 + 64 = 96).
    expect(objectComputeSize(o, Infinity)).toBe(base + 5 * 80 + 5 * 96);
    expect(keyMemoryUsage('z', o, Infinity)).toBe(base + 880 + 8 + 24);
  });
});

describe('used memory estimate', () => {
  it('starts at the startup baseline plus the empty tables', () => {
    const e = fresh();
    expect(usedMemory(e)).toBe(USED_MEMORY_STARTUP);
  });
  it('stays equal to a full recomputation while maintained incrementally', () => {
    const e = fresh();
    e.config.maxmemory = 1 << 30;
    fill(e, 'k', 300);
    for (let i = 0; i < 100; i++) e.exec(['APPEND', `k${i}`, 'more']);
    for (let i = 100; i < 150; i++) e.exec(['GETDEL', `k${i}`]);
    for (let i = 150; i < 200; i++) e.exec(['SETEX', `k${i}`, '100', 'x'.repeat(i)]);
    e.exec(['MSET', 'a', '1', 'b', '2', 'a', '3']);
    e.exec(['SELECT', '3']); fill(e, 'z', 10); e.exec(['SELECT', '0']);
    const incremental = usedMemory(e);
    invalidateMemory(e);
    expect(usedMemory(e)).toBe(incremental);
    let sum = 0;
    for (const db of e.dbs) db.dict.forEach((k, o) => { sum += keyMemoryUsage(k, o); });
    const tables = e.dbs.reduce((n, db) => n + 8 * (db.dict.ht0.length + db.dict.ht1.length + db.expires.ht0.length + db.expires.ht1.length) + 24 * db.expires.size(), 0);
    expect(incremental).toBe(USED_MEMORY_STARTUP + tables + sum);
  });
  it('notices keys removed outside a write (FLUSHALL, lazy expiry)', () => {
    const e = fresh();
    const clock = e.clock as ManualClock;
    e.config.maxmemory = 1 << 30;
    fill(e, 'k', 50);
    e.exec(['SETEX', 'gone', '1', 'x'.repeat(100)]);
    const before = usedMemory(e);
    clock.advance(2000);
    expect(resp(e, 'GET', 'gone')).toBe('$-1\r\n');
    expect(usedMemory(e)).toBeLessThan(before);
    e.exec(['FLUSHALL']);
    expect(usedMemory(e)).toBe(USED_MEMORY_STARTUP);
  });
  it('does not change step counts', () => {
    const run = (maxmemory: number) => {
      const e = fresh();
      e.config.maxmemory = maxmemory;
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push(e.exec(['SET', `k${i}`, val(i)]).steps);
      return out;
    };
    expect(run(1 << 30)).toEqual(run(0));
  });
});

describe('eviction', () => {
  it('noeviction: SET gets OOM once over the limit, GET and GETDEL still work', () => {
    const e = fresh();
    fill(e, 'k', 200);
    limit(e, 'noeviction', 1000);
    let ok = 0;
    for (let i = 0; i < 100; i++) if (resp(e, 'SET', `n${i}`, val(i)) === '+OK\r\n') ok++;
    expect(ok).toBe(11);
    expect(resp(e, 'SET', 'x', 'y')).toBe(OOM);
    expect(resp(e, 'INCR', 'counter')).toBe(OOM);
    expect(resp(e, 'GET', 'k1')).toBe(`$${val(1).length}\r\n${val(1)}\r\n`);
    expect(resp(e, 'GETDEL', 'k1')).toBe(`$${val(1).length}\r\n${val(1)}\r\n`);
    expect(e.stats.evictedKeys).toBe(0);
    for (let i = 2; i < 40; i++) resp(e, 'GETDEL', `k${i}`);
    expect(resp(e, 'SET', 'x', 'y')).toBe('+OK\r\n');
  });

  it('allkeys-random keeps used memory under maxmemory', () => {
    const e = fresh();
    fill(e, 'k', 1000);
    const max = limit(e, 'allkeys-random', -10000);
    resp(e, 'PING');
    expect(e.stats.evictedKeys).toBe(105);
    expect(usedMemory(e)).toBeLessThanOrEqual(max);
    fill(e, 'n', 500);
    e.cron();
    expect(usedMemory(e)).toBeLessThanOrEqual(max);
    expect(e.stats.evictedKeys).toBe(605);
    expect([countPrefix(e, 'k', 0, 1000), countPrefix(e, 'n', 0, 500)]).toEqual([525, 370]);
  });

  it('allkeys-lru evicts the keys not touched recently', () => {
    const e = fresh();
    const clock = e.clock as ManualClock;
    fill(e, 'k', 1000);
    clock.advance(10_000);
    for (let i = 0; i < 500; i++) e.exec(['GET', `k${i}`]);
    clock.advance(10_000);
    limit(e, 'allkeys-lru', 0);
    fill(e, 'n', 200);
    e.cron();
    expect(e.stats.evictedKeys).toBe(200);
    // Every eviction hit an untouched key: touched and new keys all survive.
    expect([countPrefix(e, 'k', 0, 500), countPrefix(e, 'k', 500, 1000), countPrefix(e, 'n', 0, 200)]).toEqual([500, 300, 200]);
    expect(evictionPool(e).length).toBe(EVPOOL_SIZE);
  });

  it('volatile-lru only evicts keys with a TTL', () => {
    const e = fresh();
    const clock = e.clock as ManualClock;
    for (let i = 0; i < 1000; i++) e.exec(['SETEX', `k${i}`, '100000', val(i)]);
    clock.advance(10_000);
    for (let i = 0; i < 500; i++) e.exec(['GET', `k${i}`]);
    clock.advance(10_000);
    limit(e, 'volatile-lru', 0);
    fill(e, 'n', 200);
    e.cron();
    expect(e.stats.evictedKeys).toBe(234);
    expect([countPrefix(e, 'k', 0, 500), countPrefix(e, 'k', 500, 1000), countPrefix(e, 'n', 0, 200)]).toEqual([500, 266, 200]);
  });

  it('allkeys-lfu keeps the frequently used keys', () => {
    const e = fresh();
    e.config.maxmemoryPolicy = 'allkeys-lfu';
    const clock = e.clock as ManualClock;
    fill(e, 'k', 1000);
    for (let i = 0; i < 500; i++) for (let j = 0; j < 21; j++) e.exec(['GET', `k${i}`]);
    clock.advance(20_000);
    limit(e, 'allkeys-lfu', 0);
    fill(e, 'n', 200);
    e.cron();
    expect(e.stats.evictedKeys).toBe(200);
    // New keys start at the same counter (5) as the untouched ones: both are candidates.
    expect([countPrefix(e, 'k', 0, 500), countPrefix(e, 'k', 500, 1000), countPrefix(e, 'n', 0, 200)]).toEqual([500, 335, 165]);
  });

  it('volatile-ttl evicts the keys that expire soonest', () => {
    const e = fresh();
    for (let i = 0; i < 100; i++) e.exec(['SETEX', `t${i}`, String(1000 + i * 100), val(i)]);
    fill(e, 'p', 100);
    limit(e, 'volatile-ttl', -20 * 90);
    resp(e, 'PING');
    const gone: number[] = [];
    for (let i = 0; i < 100; i++) if (!e.dbs[0].dict.get(`t${i}`)) gone.push(i);
    expect(e.stats.evictedKeys).toBe(15);
    expect(gone).toEqual([0, 2, 5, 6, 11, 12, 13, 17, 20, 21, 23, 24, 26, 27, 28]);
    expect(countPrefix(e, 'p', 0, 100)).toBe(100);
  });

  it('volatile policies with no volatile keys cannot free anything: OOM', () => {
    for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'] as MaxmemoryPolicy[]) {
      const e = fresh();
      fill(e, 'k', 100);
      limit(e, policy, -1);
      expect([policy, resp(e, 'SET', 'x', 'y')]).toEqual([policy, OOM]);
      expect(resp(e, 'GET', 'k5')).toBe(`$${val(5).length}\r\n${val(5)}\r\n`);
      expect(e.stats.evictedKeys).toBe(0);
      expect(e.dbs[0].size()).toBe(100);
    }
  });

  it('evicts from every db and traces key.evicted', () => {
    const e = fresh();
    fill(e, 'k', 50);
    e.exec(['SELECT', '5']);
    fill(e, 'k', 50);
    limit(e, 'allkeys-random', -3000);
    const r = e.exec(['PING'], { trace: true });
    const evicted = (r.trace ?? []).filter((ev) => ev.k === 'key.evicted');
    expect(evicted.length).toBe(e.stats.evictedKeys);
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.every((ev) => ev.k === 'key.evicted' && ev.policy === 'allkeys-random')).toBe(true);
    expect(e.dbs[0].size() + e.dbs[5].size()).toBe(100 - evicted.length);
    expect(e.dbs[0].size()).toBeLessThan(50);
    expect(e.dbs[5].size()).toBeLessThan(50);
  });

  it('inside MULTI every command but EXEC/DISCARD is refused when out of memory', () => {
    const e = fresh();
    const c = e.defaultClient;
    e.config.maxmemory = 1;
    const get = e.commands.lookup(['GET'])!;
    // EXEC's flags as the real server has them (the table entry may not have a proc yet).
    const exec = { ...get, name: 'exec', fullname: 'exec', flags: new Set(['noscript', 'loading', 'stale', 'skip_slowlog']) };
    expect(maybeDenyOom(e, c, get)).toBeNull();
    c.multi = { queue: [], dirty: false };
    expect(maybeDenyOom(e, c, get)).toEqual({ t: 'error', v: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(maybeDenyOom(e, c, exec)).toBeNull();
    c.multi.queue.push(['SET', 'a', 'b']);
    expect(maybeDenyOom(e, c, exec)).not.toBeNull();
    c.multi = null;
    expect(performEvictions(e)).toBe(false);
    e.config.maxmemory = 0;
    expect(performEvictions(e)).toBe(true);
  });
});
