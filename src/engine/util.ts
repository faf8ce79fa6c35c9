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
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    let [mant, e] = v.toExponential(p - 1).split('e');
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  let s = v.toFixed(Math.max(0, p - 1 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** Case-insensitive equality of an argument with a lower-case keyword. */
export function eqi(arg: string, lower: string): boolean {
  return arg.length === lower.length && arg.toLowerCase() === lower;
}

/**
 * Redis's stringmatchlen: glob-style pattern matching with * ? [abc] [^a] [a-z] and \ escapes,
 * optionally case-insensitive. Binary safe.
 */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  return matchAt(pattern, 0, str, 0, nocase, 0);
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, nesting: number): boolean {
  if (nesting > 1000) return false;
  const plen = p.length, slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p[pi];
    if (pc === '*') {
      while (pi + 1 < plen && p[pi + 1] === '*') pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k <= slen; k++) {
        if (k < slen || true) {
          if (matchAt(p, pi + 1, s, k, nocase, nesting + 1)) return true;
        }
      }
      return false;
    }
    if (si >= slen) break;
    if (pc === '?') { si++; pi++; continue; }
    if (pc === '[') {
      pi++;
      const not = p[pi] === '^';
      if (not) pi++;
      let match = false;
      for (;;) {
        if (pi >= plen) { pi--; break; }
        if (p[pi] === '\\' && pi + 1 < plen) {
          pi++;
          if (p[pi] === s[si]) match = true;
        } else if (p[pi] === ']') {
          break;
        } else if (pi + 2 < plen && p[pi + 1] === '-') {
          let start = p.charCodeAt(pi), end = p.charCodeAt(pi + 2), c = s.charCodeAt(si);
          if (start > end) { const t = start; start = end; end = t; }
          if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else {
          if (nocase ? lower(p.charCodeAt(pi)) === lower(s.charCodeAt(si)) : p[pi] === s[si]) match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++; pi++;
      continue;
    }
    if (pc === '\\' && pi + 1 < plen) {
      pi++;
    }
    const a = p.charCodeAt(pi), b = s.charCodeAt(si);
    if (nocase ? lower(a) !== lower(b) : a !== b) return false;
    si++; pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

function lower(c: number): number { return c >= 65 && c <= 90 ? c + 32 : c; }
