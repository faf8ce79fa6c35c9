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

describe('explore', () => {
  it('prints', () => {
    {
      const e = fresh();
      fill(e, 'k', 200);
      limit(e, 'noeviction', 1000);
      let ok = 0; let first = '';
      for (let i = 0; i < 100; i++) { const r = resp(e, 'SET', `n${i}`, val(i)); if (r === '+OK\r\n') ok++; else { first ||= r; } }
      console.log('noeviction ok', ok, first, usedMemory(e), e.config.maxmemory);
    }
    {
      const e = fresh();
      fill(e, 'k', 1000);
      const max = limit(e, 'allkeys-random', -10000);
      resp(e, 'PING');
      console.log('random evicted', e.stats.evictedKeys, usedMemory(e), max);
      fill(e, 'n', 500);
      e.cron();
      console.log('random evicted', e.stats.evictedKeys, usedMemory(e), max, countPrefix(e, 'k', 0, 1000), countPrefix(e, 'n', 0, 500));
    }
    for (const policy of ['allkeys-lru', 'volatile-lru', 'allkeys-lfu'] as MaxmemoryPolicy[]) {
      const e = fresh();
      const clock = e.clock as ManualClock;
      if (policy === 'allkeys-lfu') e.config.maxmemoryPolicy = policy;
      for (let i = 0; i < 1000; i++) e.exec(policy === 'volatile-lru' ? ['SETEX', `k${i}`, '100000', val(i)] : ['SET', `k${i}`, val(i)]);
      clock.advance(10_000);
      for (let i = 0; i < 500; i++) { e.exec(['GET', `k${i}`]); if (policy === 'allkeys-lfu') for (let j = 0; j < 20; j++) e.exec(['GET', `k${i}`]); }
      clock.advance(10_000);
      limit(e, policy, 0);
      fill(e, 'n', 200);
      e.cron();
      console.log(policy, 'evicted', e.stats.evictedKeys, 'touched left', countPrefix(e, 'k', 0, 500), 'untouched left', countPrefix(e, 'k', 500, 1000), 'new left', countPrefix(e, 'n', 0, 200));
    }
    {
      const e = fresh();
      for (let i = 0; i < 100; i++) e.exec(['SETEX', `t${i}`, String(1000 + i * 100), val(i)]);
      fill(e, 'p', 100);
      limit(e, 'volatile-ttl', -20 * 90);
      resp(e, 'PING');
      const gone: number[] = [];
      for (let i = 0; i < 100; i++) if (!e.dbs[0].dict.get(`t${i}`)) gone.push(i);
      console.log('ttl evicted', e.stats.evictedKeys, gone.join(','), countPrefix(e, 'p', 0, 100));
    }
  });
});
