/**
 * One seedable random source for everything random in the engine (skiplist levels, SPOP,
 * RANDOMKEY, eviction sampling), so a lesson replays identically. xoshiro128** 32-bit.
 */
export class Random {
  private a = 0; private b = 0; private c = 0; private d = 0;
  constructor(seed = 0x9e3779b9) { this.seed(seed); }

  seed(seed: number): void {
    // splitmix32 to spread the seed over the state
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
  }

  /** A uniformly random unsigned 32-bit integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t; this.d = rotl(this.d, 11);
    return r;
  }

  /** A random integer in [0, n). */
  int(n: number): number {
    if (n <= 0x100000000) return Math.floor((this.u32() / 0x100000000) * n);
    return Math.floor(this.float() * n);
  }

  /** A random float in [0, 1). */
  float(): number {
    return (this.u32() * 0x200000 + (this.u32() >>> 11)) / 0x20000000000000;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
