/** The LRU clock and the LFU counter (as src/evict.c): approximations Redis keeps in 24 bits per object. */
import type { Config } from './config';
import type { Random } from './random';

export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LRU_CLOCK_RESOLUTION = 1000; // ms
export const LFU_INIT_VAL = 5;

export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/** Milliseconds since the object was last accessed, per the LRU clock. */
export function estimateIdleTime(lru: number, nowMs: number): number {
  const now = lruClock(nowMs);
  if (now >= lru) return (now - lru) * LRU_CLOCK_RESOLUTION;
  return (now + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

/** Minutes clock, 16 bits (LFU decay time). */
function lfuTimeInMinutes(nowMs: number): number {
  return Math.floor(nowMs / 1000 / 60) & 65535;
}

export function lfuInitObject(nowMs: number): number {
  return (lfuTimeInMinutes(nowMs) << 8) | LFU_INIT_VAL;
}

function lfuElapsedMinutes(ldt: number, nowMs: number): number {
  const now = lfuTimeInMinutes(nowMs);
  if (now >= ldt) return now - ldt;
  return 65535 - ldt + now;
}

/** The counter decayed by the minutes elapsed (Redis's LFUDecrAndReturn). */
export function lfuDecrAndReturn(lru: number, nowMs: number, config: Config): number {
  const ldt = lru >>> 8;
  const counter = lru & 255;
  const periods = config.lfuDecayTime ? Math.floor(lfuElapsedMinutes(ldt, nowMs) / config.lfuDecayTime) : 0;
  if (periods) return periods > counter ? 0 : counter - periods;
  return counter;
}

/** Logarithmic increment: the higher the counter, the less likely it grows (Redis's LFULogIncr). */
export function lfuLogIncr(counter: number, config: Config, random: Random): number {
  if (counter === 255) return 255;
  const r = random.float();
  let baseval = counter - LFU_INIT_VAL;
  if (baseval < 0) baseval = 0;
  const p = 1.0 / (baseval * config.lfuLogFactor + 1);
  if (r < p) counter++;
  return counter;
}

export function lfuTouchObject(lru: number, nowMs: number, config: Config, random: Random): number {
  let counter = lfuDecrAndReturn(lru, nowMs, config);
  counter = lfuLogIncr(counter, config, random);
  return (lfuTimeInMinutes(nowMs) << 8) | counter;
}
