/**
 * maxmemory and eviction (as src/evict.c in Redis 7.0).
 *
 * performEvictions() runs before every command (and from cron) when maxmemory is set: while the used
 * memory estimate (memory.ts) is above maxmemory it deletes keys chosen by maxmemory-policy:
 *  - allkeys-lru / volatile-lru, allkeys-lfu / volatile-lfu, volatile-ttl: the eviction pool, 16 best
 *    candidates kept across calls, refilled by sampling maxmemory-samples keys of every db
 *    (dictGetSomeKeys); the candidate with the highest score (idle time, 255 - LFU counter, or
 *    sooner expiry) is evicted;
 *  - allkeys-random / volatile-random: a random key of the next db (round robin);
 *  - noeviction: nothing; commands flagged denyoom get the OOM error.
 * Randomness comes from engine.random (seeded), so eviction is reproducible.
 */
import type { Engine } from './engine';
import type { Client } from './client';
import type { Command } from './commands';
import type { Reply } from './types';
import type { Db } from './db';
import * as R from './reply';
import { tracing } from './trace';
import { estimateIdleTime, lfuDecrAndReturn } from './lru';
import { usedMemory, deleteKeyAccounted } from './memory';

export const EVPOOL_SIZE = 16;

interface PoolEntry {
  key: string;
  /** Higher is a better candidate. */
  idle: number;
  dbid: number;
}

interface EvictState {
  pool: (PoolEntry | null)[];
  /** Round-robin db cursor of the random policies (Redis's static next_db). */
  nextDb: number;
}

const states = new WeakMap<Engine, EvictState>();

function evictState(engine: Engine): EvictState {
  let s = states.get(engine);
  if (!s) {
    s = { pool: new Array<PoolEntry | null>(EVPOOL_SIZE).fill(null), nextDb: 0 };
    states.set(engine, s);
  }
  return s;
}

/** The eviction pool of an engine (for tests and the visualizer): best candidate last. */
export function evictionPool(engine: Engine): readonly (PoolEntry | null)[] {
  return evictState(engine).pool;
}

/** Memory above maxmemory, in bytes (0 when within the limit or when maxmemory is 0). */
export function memoryToFree(engine: Engine): number {
  const max = engine.config.maxmemory;
  if (max <= 0) return 0;
  const used = usedMemory(engine);
  return used > max ? used - max : 0;
}

/** Sample keys of one db and merge them into the pool, keeping it sorted by ascending score. */
function poolPopulate(engine: Engine, db: Db, allkeys: boolean, pool: (PoolEntry | null)[]): void {
  const policy = engine.config.maxmemoryPolicy;
  const now = engine.clock.now();
  const rand = (n: number) => engine.random.int(n);
  const sampled = allkeys
    ? db.dict.someEntries(engine.config.maxmemorySamples, rand)
    : db.expires.someEntries(engine.config.maxmemorySamples, rand);
  for (const de of sampled) {
    const key = de.key;
    let score: number;
    if (policy === 'volatile-ttl') {
      score = -(de.val as number); // the sooner it expires, the better
    } else {
      const o = allkeys ? (de.val as import('./object').RObj) : db.dict.get(key);
      if (!o) continue;
      score = policy.endsWith('-lru') ? estimateIdleTime(o.lru, now) : 255 - lfuDecrAndReturn(o.lru, now, engine.config);
    }
    // First empty slot, or first slot holding a better-or-equal candidate.
    let k = 0;
    while (k < EVPOOL_SIZE && pool[k] && pool[k]!.idle < score) k++;
    if (k === 0 && pool[EVPOOL_SIZE - 1]) continue; // worse than everything in a full pool
    if (!(k < EVPOOL_SIZE && pool[k] === null)) {
      if (pool[EVPOOL_SIZE - 1] === null) {
        // Room on the right: shift k.. right by one.
        for (let i = EVPOOL_SIZE - 1; i > k; i--) pool[i] = pool[i - 1];
      } else {
        // Full: drop the worst (leftmost) candidate, insert at k - 1.
        k--;
        for (let i = 0; i < k; i++) pool[i] = pool[i + 1];
      }
    }
    pool[k] = { key, idle: score, dbid: db.id };
  }
}

/** Choose the key to evict: [db, key], or null when there is nothing left to evict. */
function selectKey(engine: Engine, st: EvictState): [Db, string] | null {
  const policy = engine.config.maxmemoryPolicy;
  const allkeys = policy.startsWith('allkeys-');
  if (policy.endsWith('-random')) {
    const n = engine.dbs.length;
    for (let i = 0; i < n; i++) {
      st.nextDb = (st.nextDb + 1) % n;
      const db = engine.dbs[st.nextDb];
      const dict = allkeys ? db.dict : db.expires;
      if (dict.size() === 0) continue;
      const de = dict.randomEntry((m) => engine.random.int(m));
      if (de) return [db, de.key];
    }
    return null;
  }
  const pool = st.pool;
  for (;;) {
    let total = 0;
    for (const db of engine.dbs) {
      const size = allkeys ? db.dict.size() : db.expires.size();
      if (size === 0) continue;
      poolPopulate(engine, db, allkeys, pool);
      total += size;
    }
    if (total === 0) return null;
    // From the best candidate to the worst: the first one that still exists.
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const e = pool[k];
      if (!e) continue;
      pool[k] = null;
      const db = engine.dbs[e.dbid];
      const found = allkeys ? db.dict.findEntry(e.key) : db.expires.findEntry(e.key);
      if (found) return [db, e.key];
      // A ghost (deleted or expired since sampled): try the next one.
    }
  }
}

/**
 * Redis's performEvictions: returns true when memory is within the limit (or eviction is not
 * possible right now, e.g. while loading), false when it could not free enough (EVICT_FAIL).
 */
export function performEvictions(engine: Engine): boolean {
  if (engine.loading || engine.config.maxmemory <= 0) return true;
  const toFree = memoryToFree(engine);
  if (toFree === 0) return true;
  const policy = engine.config.maxmemoryPolicy;
  if (policy === 'noeviction') return false;
  const st = evictState(engine);
  let freed = 0;
  while (freed < toFree) {
    const pick = selectKey(engine, st);
    if (!pick) return false;
    const [db, key] = pick;
    freed += deleteKeyAccounted(engine, db, key);
    engine.stats.evictedKeys++;
    engine.signalModifiedKey(db, key);
    engine.notifyKeyspaceEvent('evicted', key, db.id);
    if (tracing.sink) tracing.sink.push({ k: 'key.evicted', key, policy });
  }
  return true;
}

function isMultiExempt(fullname: string): boolean {
  return fullname === 'exec' || fullname === 'discard' || fullname === 'quit' || fullname === 'reset';
}

/**
 * processCommand's maxmemory check: evict first; if memory is still over the limit, refuse commands
 * that may grow memory (denyoom, EXEC of a transaction holding one) and anything queued in MULTI.
 */
export function maybeDenyOom(engine: Engine, c: Client, cmd: Command): Reply | null {
  if (performEvictions(engine)) return null;
  let reject = cmd.flags.has('denyoom');
  if (!reject && cmd.fullname === 'exec' && c.multi) {
    for (const argv of c.multi.queue) {
      const q = engine.commands.lookup(argv);
      if (q && q.flags.has('denyoom')) { reject = true; break; }
    }
  }
  if (c.multi && !isMultiExempt(cmd.fullname)) reject = true;
  return reject ? R.E.oom : null;
}
