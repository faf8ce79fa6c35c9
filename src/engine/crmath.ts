/**
 * sin, cos and asin rounded as glibc rounds them (correctly: the double nearest the exact value),
 * for the geo commands (geohash.ts). JavaScript's Math.sin / Math.cos / Math.asin are faithful but
 * not correctly rounded: they differ from glibc's in the last bit for a few percent of arguments,
 * which changes the distances Redis prints with 17 digits (GEOSEARCHSTORE ... STOREDIST) and which
 * points fall exactly on a search radius.
 *
 * The values are computed in double-double arithmetic (about 106 bits: a sum hi + lo of two
 * doubles) and then rounded once. Arguments are reduced modulo pi/2 with a three-part pi/2 (exact
 * for |x| below about 2^20 * pi/2); beyond that Math's functions are used.
 */

// ---------------------------------------------------------------------------- double-double

/** Dekker's split constant 2^27 + 1. */
const SPLITTER = 134217729;

let ddLo = 0;

/** a + b exactly: returns the sum, the error in ddLo. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  ddLo = (a - (s - bb)) + (b - bb);
  return s;
}

/** a * b exactly: returns the product, the error in ddLo. */
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  ddLo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** A double-double value hi + lo with |lo| <= ulp(hi)/2. */
interface DD { hi: number; lo: number }

function dd(hi: number, lo: number): DD {
  const s = hi + lo;
  return { hi: s, lo: lo - (s - hi) };
}

function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  let e = ddLo;
  const t = twoSum(a.lo, b.lo);
  const f = ddLo;
  e += t;
  const s2 = s + e;
  e = e - (s2 - s);
  e += f;
  return dd(s2, e);
}

function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  const e = ddLo + (a.hi * b.lo + a.lo * b.hi);
  return dd(p, e);
}

function ddMulD(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  const e = ddLo + a.lo * b;
  return dd(p, e);
}

function ddNeg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

// ---------------------------------------------------------------------------- constants

/** pi/2 in three parts (33 + 33 + 53 bits, as fdlibm's PIO2_1, PIO2_2, PIO2_3 and their tails). */
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const INV_PIO2 = 6.36619772367581382433e-01;
/** pi/2 as a double-double. */
const PIO2_DD: DD = { hi: 1.5707963267948966, lo: 6.123233995736766e-17 };

/** 1/n! for n = 0..40, as double-doubles. */
const INV_FACT: DD[] = [];
{
  // Exact rationals 1/n! rounded to double-double through BigInt arithmetic.
  let f = 1n;
  for (let n = 0; n <= 40; n++) {
    if (n > 0) f *= BigInt(n);
    INV_FACT.push(ratToDD(1n, f));
  }
}

/** The double-double nearest p/q (p, q > 0 bigints). */
function ratToDD(p: bigint, q: bigint): DD {
  const hi = ratToDouble(p, q);
  // remainder p/q - hi, as a rational: (p - hi*q) / q, hi = m * 2^e
  const [m, e] = doubleParts(hi);
  let num: bigint, den: bigint;
  if (e >= 0) { num = p - m * (1n << BigInt(e)) * q; den = q; }
  else { num = p * (1n << BigInt(-e)) - m * q; den = q * (1n << BigInt(-e)); }
  const neg = num < 0n;
  const lo = num === 0n ? 0 : ratToDouble(neg ? -num : num, den) * (neg ? -1 : 1);
  return { hi, lo };
}

/** m * 2^e = d exactly (d > 0). */
function doubleParts(d: number): [bigint, number] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, d);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return [m, -1074];
  m |= 1n << 52n;
  return [m, exp - 1075];
}

/** The double nearest p/q (p, q > 0, the result a normal double), ties to even. */
function ratToDouble(p: bigint, q: bigint): number {
  const bits = (x: bigint) => x.toString(2).length;
  // A quotient of 64 or 65 bits, then rounded to 53.
  let shift = 64 - (bits(p) - bits(q));
  const num = shift >= 0 ? p << BigInt(shift) : p;
  const den = shift >= 0 ? q : q << BigInt(-shift);
  let quo = num / den;
  const rem = num - quo * den;
  const extra = bits(quo) - 53;
  const mask = (1n << BigInt(extra)) - 1n;
  const dropped = quo & mask;
  quo >>= BigInt(extra);
  const half = 1n << BigInt(extra - 1);
  if (dropped > half || (dropped === half && (rem !== 0n || (quo & 1n) === 1n))) quo++;
  shift -= extra;
  return Number(quo) * 2 ** -shift;
}

// ---------------------------------------------------------------------------- kernels

/** sin(r) for |r| <= ~pi/4 (a double-double argument), as a double-double: the Taylor series. */
function sinKernel(r: DD): DD {
  const r2 = ddMul(r, r);
  let term = r;
  let sum = r;
  for (let n = 3; n < 40; n += 2) {
    term = ddMul(term, r2);
    const t = ddMul(term, INV_FACT[n]);
    if (Math.abs(t.hi) < 1e-36 * Math.abs(sum.hi) || t.hi === 0) break;
    sum = ((n - 1) / 2) % 2 === 1 ? ddAdd(sum, ddNeg(t)) : ddAdd(sum, t);
  }
  return sum;
}

/** cos(r) for |r| <= ~pi/4, as a double-double. */
function cosKernel(r: DD): DD {
  const r2 = ddMul(r, r);
  let term: DD = { hi: 1, lo: 0 };
  let sum: DD = { hi: 1, lo: 0 };
  for (let n = 2; n < 40; n += 2) {
    term = ddMul(term, r2);
    const t = ddMul(term, INV_FACT[n]);
    if (Math.abs(t.hi) < 1e-36 || t.hi === 0) break;
    sum = (n / 2) % 2 === 1 ? ddAdd(sum, ddNeg(t)) : ddAdd(sum, t);
  }
  return sum;
}

const REDUCE_LIMIT = 1647099; // 2^20 * pi/2: three-part reduction is exact below this

/** x = k*pi/2 + r: returns r as a double-double and k mod 4 in reduceQuadrant. */
let reduceQuadrant = 0;
function reduce(x: number): DD {
  if (Math.abs(x) <= 0.7853981633974483) { reduceQuadrant = 0; return { hi: x, lo: 0 }; }
  const k = Math.round(x * INV_PIO2);
  // r = x - k*PIO2_1 - k*PIO2_2 - k*PIO2_3, the products exact (k has at most 21 bits).
  let r: DD = { hi: x, lo: 0 };
  r = ddAdd(r, { hi: -k * PIO2_1, lo: 0 });
  r = ddAdd(r, ddNeg({ hi: twoProd(k, PIO2_2), lo: ddLo }));
  r = ddAdd(r, ddNeg({ hi: twoProd(k, PIO2_3), lo: ddLo }));
  r = ddAdd(r, { hi: -k * PIO2_3T, lo: 0 });
  reduceQuadrant = ((k % 4) + 4) % 4;
  return r;
}
void PIO2_1T; void PIO2_2T;

function sinDD(x: number): DD {
  const r = reduce(x);
  switch (reduceQuadrant) {
    case 0: return sinKernel(r);
    case 1: return cosKernel(r);
    case 2: return ddNeg(sinKernel(r));
    default: return ddNeg(cosKernel(r));
  }
}

function cosDD(x: number): DD {
  const r = reduce(x);
  switch (reduceQuadrant) {
    case 0: return cosKernel(r);
    case 1: return ddNeg(sinKernel(r));
    case 2: return ddNeg(cosKernel(r));
    default: return sinKernel(r);
  }
}

// ---------------------------------------------------------------------------- the functions

/** sin(x), correctly rounded (as glibc's). */
export function crSin(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > REDUCE_LIMIT) return Math.sin(x);
  if (Math.abs(x) < 1e-8) return Math.sin(x); // sin(x) = x - x^3/6: Math's is exact enough here
  const s = sinDD(x);
  return s.hi + s.lo;
}

/** cos(x), correctly rounded (as glibc's). */
export function crCos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > REDUCE_LIMIT) return Math.cos(x);
  const c = cosDD(x);
  return c.hi + c.lo;
}

/** asin of |x| <= 1 as a double-double: Newton's step from Math.asin on sin/cos in double-double. */
function asinDD(x: number): DD {
  const y0 = Math.asin(x);
  const s = sinDD(y0);
  const c = cosDD(y0);
  // y1 = y0 + (x - sin y0) / cos y0
  const diff = ddAdd({ hi: x, lo: 0 }, ddNeg(s));
  const delta = (diff.hi + diff.lo) / (c.hi + c.lo);
  return ddAdd({ hi: y0, lo: 0 }, { hi: delta, lo: 0 });
}

/** asin(x), correctly rounded (as glibc's). */
export function crAsin(x: number): number {
  if (Number.isNaN(x) || x > 1 || x < -1) return Math.asin(x);
  const ax = Math.abs(x);
  if (ax < 1e-8) return Math.asin(x);
  let r: DD;
  if (ax <= 0.75) {
    r = asinDD(ax);
  } else {
    // asin(x) = pi/2 - 2 asin(sqrt((1 - x) / 2)): well conditioned near 1.
    const t = (1 - ax) / 2; // exact (Sterbenz)
    const s0 = Math.sqrt(t);
    // s = sqrt(t) as a double-double: s0 + (t - s0^2) / (2 s0)
    const sq = twoProd(s0, s0);
    const sqLo = ddLo;
    const corr = s0 === 0 ? 0 : ((t - sq) - sqLo) / (2 * s0);
    const s: DD = dd(s0, corr);
    const a = s.hi === 0 ? { hi: 0, lo: 0 } : asinOfDD(s);
    r = ddAdd(PIO2_DD, ddNeg(ddMulD(a, 2)));
  }
  const v = r.hi + r.lo;
  return x < 0 ? -v : v;
}

/** asin of a small double-double argument (|s| <= 0.36): Newton from Math.asin(s.hi). */
function asinOfDD(s: DD): DD {
  const y0 = Math.asin(s.hi);
  const sn = sinDD(y0);
  const c = cosDD(y0);
  const diff = ddAdd(s, ddNeg(sn));
  const delta = (diff.hi + diff.lo) / (c.hi + c.lo);
  return ddAdd({ hi: y0, lo: 0 }, { hi: delta, lo: 0 });
}
