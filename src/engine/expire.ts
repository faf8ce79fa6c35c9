/**
 * Active expiry, as Redis 7.0's activeExpireCycle (slow cycle) in src/expire.c: for each db, walk
 * the expires dict with a cursor, sample 20 keys a pass (more with active-expire-effort), delete the
 * expired ones, and repeat while more than 10% of the sampled keys had expired.
 */
import type { Engine } from './engine';
import { tracing } from './trace';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 10; // percent
/** Redis stops after 25% of a cron period of CPU; we bound passes instead so runs are deterministic. */
const MAX_PASSES_PER_DB = 4096;

/** CRON_DBS_PER_CALL: databases visited per cycle (all of them when there are fewer). */
const DBS_PER_CALL = 16;

/** Redis keeps the next db to test in a static variable; here it lives per engine. */
const nextDb = new WeakMap<Engine, number>();

export function activeExpireCycle(engine: Engine): number {
  const effort = engine.config.activeExpireEffort - 1;
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const dbs = engine.dbs;
  let totalExpired = 0;
  let totalSampled = 0;
  const now = engine.cmdTime;
  let currentDb = nextDb.get(engine) ?? 0;
  const dbsPerCall = Math.min(DBS_PER_CALL, dbs.length);
  for (let j = 0; j < dbsPerCall; j++) {
    const db = dbs[currentDb % dbs.length];
    currentDb++;
    let passes = 0;
    let repeat: boolean;
    do {
      const num0 = db.expires.size();
      if (num0 === 0) { db.avgTtl = 0; break; }
      const [s0, s1] = db.expires.buckets();
      // A very sparse table: sampling would mostly hit empty buckets; wait for it to shrink.
      if (s0 + s1 > 4 && Math.floor((num0 * 100) / (s0 + s1)) < 1) break;
      const num = Math.min(num0, keysPerLoop);
      const maxBuckets = num * 20;
      let sampled = 0, expired = 0, checkedBuckets = 0, ttlSum = 0, ttlSamples = 0;
      const d = db.expires;
      while (sampled < num && checkedBuckets < maxBuckets) {
        for (let table = 0; table < 2; table++) {
          if (table === 1 && !d.isRehashing()) break;
          const t = table === 0 ? d.ht0 : d.ht1;
          const idx = db.expiresCursor & (t.length - 1);
          // While rehashing, buckets of table 0 below rehashidx are empty: skip to table 1.
          checkedBuckets++;
          let de = t[idx];
          while (de) {
            const e = de;
            de = de.next;
            const ttl = e.val - now;
            if (now > e.val) {
              db.deleteExpiredKey(e.key, false);
              expired++;
            } else if (ttl > 0) {
              ttlSum += ttl; ttlSamples++;
            }
            sampled++;
          }
        }
        db.expiresCursor++;
      }
      totalExpired += expired;
      totalSampled += sampled;
      if (ttlSamples) {
        // Integer arithmetic, as Redis's long long running average (2% weight to the new sample).
        const avg = Math.trunc(ttlSum / ttlSamples);
        if (db.avgTtl === 0) db.avgTtl = avg;
        db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
      }
      if (tracing.sink) tracing.sink.push({ k: 'expire.pass', db: db.id, sampled, expired });
      repeat = sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale;
    } while (repeat && ++passes < MAX_PASSES_PER_DB);
  }
  nextDb.set(engine, currentDb);
  const stale = totalSampled ? totalExpired / totalSampled : 0;
  engine.stats.expiredStalePerc = stale * 0.05 + engine.stats.expiredStalePerc * 0.95;
  return totalExpired;
}
