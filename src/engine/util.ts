/** Number parsing and formatting exactly as Redis's util.c does it. */

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Redis's string2ll: strict base-10 int64, no spaces, no '+', no leading zeros, no "-0".
 * Returns a number when it is a safe integer, else a bigint; null if not valid.
 */
export function parseLongLong(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && s === '0') return 0;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) { i = 1; if (n === 1) return null; }
  let c = s.charCodeAt(i);
  if (c < 49 || c > 57) return null; // first digit 1-9
  for (let j = i + 1; j < n; j++) {
    c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n < 16) return Number(s);
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return null;
  return Number.isSafeInteger(Number(b)) && BigInt(Number(b)) === b ? Number(b) : b;
}

/** Parse as a JS number for ranges/counts: int64 values outside the safe range are clamped to ±Infinity-ish bigints. */
export function parseLongLongNumber(s: string): number | null {
  const v = parseLongLong(s);
  if (v === null) return null;
  return typeof v === 'bigint' ? Number(v) : v;
}

export function toBig(v: number | bigint): bigint { return typeof v === 'bigint' ? v : BigInt(v); }
export function fromBig(b: bigint): number | bigint {
  return b <= 9007199254740991n && b >= -9007199254740991n ? Number(b) : b;
}
export function inInt64(b: bigint): boolean { return b <= INT64_MAX && b >= INT64_MIN; }
export { INT64_MAX, INT64_MIN };

/**
 * Redis's string2d / strtod checks as used by getDoubleFromObject: the whole string must be a
 * number (strtod syntax: decimal, exponent, hex floats, "inf"/"infinity"/"nan" case-insensitive),
 * no leading space, not NaN. Returns null if invalid.
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return null;
  const v = strtod(s);
  if (v === null || Number.isNaN(v)) return null;
  return v;
}

function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;

/** C strtod over the whole string; null if any trailing characters remain. */
export function strtod(s: string): number | null {
  if (DEC_RE.test(s)) return Number(s);
  const low = s.toLowerCase();
  const body = low[0] === '+' || low[0] === '-' ? low.slice(1) : low;
  const neg = low[0] === '-';
  if (body === 'inf' || body === 'infinity') return neg ? -Infinity : Infinity;
  if (body === 'nan') return NaN;
  const m = HEX_RE.exec(s);
  if (m && (m[2].length > 0 || m[3].length > 0)) {
    const intPart = m[2] ? parseInt(m[2], 16) : 0;
    let frac = 0;
    for (let i = 0; i < m[3].length; i++) frac += parseInt(m[3][i], 16) / Math.pow(16, i + 1);
    const exp = m[4] ? parseInt(m[4], 10) : 0;
    const v = (intPart + frac) * Math.pow(2, exp);
    return m[1] === '-' ? -v : v;
  }
  return null;
}

/** printf("%.17g") as Redis uses for scores (RESP2 doubles, d2string). */
export function formatDouble(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isNaN(v)) return 'nan';
  return formatG(v, 17);
}

/** C's %.<p>g for a finite double. */
export function formatG(v: number, p: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (p >= 16 && Number.isSafeInteger(v)) return String(v); // at most 16 digits: printed whole
  let [mant, es] = v.toExponential(p - 1).split('e');
  // An exact tie (the value's decimal expansion stops at digit p+1, a 5): glibc rounds it to even,
  // JS away from zero (904577479232102.625 is ...102.62 in C, ...102.63 in JS).
  if (mayTie(v, p, Number(es))) {
    const [m2, e2] = v.toExponential(p).split('e');
    if (m2.endsWith('5') && (m2.charCodeAt(m2.length - (p > 1 ? 2 : 3)) & 1) === 0 && isExactDecimal(v, m2, Number(e2))) {
      mant = m2.slice(0, -1);
      es = e2;
    }
  }
  const exp = Number(es);
  const neg = mant[0] === '-';
  const digits = mant.replace(/[-.]/g, '');
  let s: string;
  if (exp < -4 || exp >= p) {
    s = digits.length > 1 ? (digits[0] + '.' + digits.slice(1)).replace(/0+$/, '').replace(/\.$/, '') : digits;
    s += `e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else {
    s = exp >= 0 ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1) : '0.' + '0'.repeat(-exp - 1) + digits;
    s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  return neg ? '-' + s : s;
}

const f64 = new DataView(new ArrayBuffer(8));

/**
 * Whether v's exact decimal expansion may have exactly p+1 significant digits (a rounding tie at p
 * digits): it has f + exp10 + 1 of them, f being the number of binary digits after the point.
 */
function mayTie(v: number, p: number, exp10: number): boolean {
  f64.setFloat64(0, v);
  const hi = f64.getUint32(0), lo = f64.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const mhi = bexp === 0 ? hi & 0xfffff : (hi & 0xfffff) | 0x100000;
  const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : mhi !== 0 ? 32 + 31 - Math.clz32(mhi & -mhi) : 64;
  const f = Math.max(0, (bexp === 0 ? 1074 : 1075 - bexp) - tz);
  if (f === 0) return exp10 >= p; // an integer: a tie needs more than p digits
  const d = f + exp10 + 1 - (p + 1);
  return d >= -1 && d <= 1; // exp10 may be one off (rounding carried)
}

/** Whether the finite double v is exactly the decimal mant x 10^exp10 (mant as toExponential writes it). */
function isExactDecimal(v: number, mant: string, exp10: number): boolean {
  const ds = mant.replace(/[-.]/g, '');
  const k = exp10 - (ds.length - 1);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (bexp !== 0) { m |= 1n << 52n; e = bexp - 1075; }
  let l = m, r = BigInt(ds);
  if (e > 0) l <<= BigInt(e); else r <<= BigInt(-e);
  if (k > 0) r *= 10n ** BigInt(k); else l *= 10n ** BigInt(-k);
  return l === r;
}

/**
 * Case-insensitive equality of an argument with a lower-case keyword, as Redis's strcasecmp over
 * the argument as a C string: it ends at its first NUL byte, so "EX\0junk" is EX.
 */
export function eqi(arg: string, lower: string): boolean {
  const n = lower.length;
  if (arg.length !== n) {
    if (arg.length < n || arg.charCodeAt(n) !== 0) return false;
    arg = arg.slice(0, n);
  }
  return arg.toLowerCase() === lower;
}

/**
 * Redis's stringmatchlen: glob-style pattern matching with * ? [abc] [^a] [a-z] and \ escapes,
 * optionally case-insensitive. Binary safe. Follows Redis 7.0 exactly, quirks included:
 * - a '*' never matches against an exhausted string ("**" does not match "");
 * - an unterminated '[' still matches the characters listed so far ("[a" matches "a");
 * - range ends are compared as C signed chars ("[\x00-\xff]" matches only \x00 and \xff);
 * - reading past the pattern end sees the NUL terminator of the sds string;
 * - once the rest of the pattern failed after a '*', longer matches are not retried
 *   (skipLongerMatches), and recursion deeper than 1000 fails.
 */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  const skip = { v: false };
  return matchImpl(pattern, 0, str, 0, nocase, skip, 0);
}

/** The pattern byte at i, or 0 (the sds NUL terminator) past the end. */
function pat(p: string, i: number): number { return i < p.length ? p.charCodeAt(i) : 0; }

/** A byte as a C (signed) char. */
function schar(c: number): number { return c >= 128 ? c - 256 : c; }

function matchImpl(p: string, pi: number, s: string, si: number, nocase: boolean, skip: { v: boolean }, nesting: number): boolean {
  if (nesting > 1000) return false;
  const plen = p.length, slen = s.length;
  while (pi < plen && si < slen) {
    const c0 = p.charCodeAt(pi);
    if (c0 === 42 /* * */) {
      while (pi < plen && pat(p, pi + 1) === 42) pi++;
      if (plen - pi === 1) return true;
      while (si < slen) {
        if (matchImpl(p, pi + 1, s, si, nocase, skip, nesting + 1)) return true;
        if (skip.v) return false;
        si++;
      }
      skip.v = true;
      return false;
    } else if (c0 === 63 /* ? */) {
      si++;
    } else if (c0 === 91 /* [ */) {
      pi++;
      const not = pat(p, pi) === 94 /* ^ */;
      if (not) pi++;
      let match = false;
      const sc = s.charCodeAt(si);
      for (;;) {
        const c = pat(p, pi);
        if (c === 92 /* backslash */ && plen - pi >= 2) {
          pi++;
          if (p.charCodeAt(pi) === sc) match = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi >= plen) {
          pi--;
          break;
        } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = schar(c), end = schar(p.charCodeAt(pi + 2)), ch = schar(sc);
          if (start > end) { const t = start; start = end; end = t; }
          if (nocase) { start = lower(start); end = lower(end); ch = lower(ch); }
          pi += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (nocase ? lower(c) === lower(sc) : c === sc) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (c0 === 92 /* backslash */ && plen - pi >= 2) pi++;
      const a = p.charCodeAt(pi), b = s.charCodeAt(si);
      if (nocase ? lower(a) !== lower(b) : a !== b) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pat(p, pi) === 42) pi++;
      break;
    }
  }
  return pi >= plen && si === slen;
}

function lower(c: number): number { return c >= 65 && c <= 90 ? c + 32 : c; }
