/**
 * SORT and SORT_RO (as src/sort.c in Redis 7.0), on lists, sets and sorted sets.
 *
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE dst]
 *
 * What Redis does, and so do we:
 * - options are parsed first (a syntax error wins over WRONGTYPE); SORT_RO has no STORE;
 * - BY a pattern without '*' means "don't sort" (lists and sorted sets keep their order, DESC
 *   reverses it, LIMIT takes the range directly); a set with "don't sort" and STORE is sorted
 *   ALPHA anyway, so the stored result is deterministic;
 * - a sorted set is converted to the skiplist encoding first (Redis converts it destructively);
 * - numeric sorting parses every weight with C's strtod (leading spaces allowed, "" is 0, nothing
 *   may follow); NaN, a trailing character or an ERANGE fails the whole command. Like Redis, the
 *   ERANGE test reads a global errno that SORT never clears: once an over/underflow happened, every
 *   string-encoded weight fails until something resets errno (a new connection does);
 * - equal weights compare the elements themselves (binary), so numeric results are deterministic;
 *   ALPHA compares with strcoll (C.UTF-8 locale: bytes, up to the first NUL) or binary with STORE;
 * - the whole vector is sorted with a stable sort (glibc's qsort is a merge sort), but when BY
 *   and a LIMIT that trims the vector are both given, Redis uses its partial quicksort (pqsort):
 *   emulated here step for step, so ties come out in Redis's order too.
 * Steps: one per comparison, plus the structures' own steps when elements and weights are read.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import type { RObj } from './object';
import type { Dict } from './structures/dict';
import type { Quicklist } from './structures/quicklist';
import type { ZslNode } from './structures/skiplist';
import { steps } from './trace';
import { parseLongLong, eqi, strtod } from './util';
import { setTypeMembers } from './t_set';
import { createListObject } from './t_list';
import { hashGet } from './t_hash';
import { zsetConvertToSkiplist, type ZSet } from './t_zset';

// ====================================================================== errno emulation

/**
 * The sticky ERANGE of C's errno as SORT sees it: set by an out-of-range weight, never cleared by
 * SORT itself. A new connection resets it in Redis (accept() leaves EAGAIN in errno), so we
 * remember the connection count at the time it was set.
 */
const erange = new WeakMap<Engine, number>();

/** Clients created so far (the next client id): unlike total_connections_received, CONFIG RESETSTAT keeps it. */
function connGen(engine: Engine): number {
  return (engine as unknown as { nextClientId: number }).nextClientId;
}

function errnoIsErange(engine: Engine): boolean {
  const at = erange.get(engine);
  if (at === undefined) return false;
  if (at !== connGen(engine)) { erange.delete(engine); return false; }
  return true;
}

/** Forget a sticky ERANGE (what Redis's string2d and friends do when they set errno = 0). */
export function sortResetErrno(engine: Engine): void {
  erange.delete(engine);
}

/** errno = ERANGE (a strtod elsewhere over- or underflowed). */
export function setErrnoErange(engine: Engine): void {
  erange.set(engine, connGen(engine));
}

/**
 * errno after a C strtod(s) elsewhere in Redis (getDoubleFromObject sets errno = 0 first: `reset`;
 * zslParseRange does not): ERANGE when s over- or underflows, so a later SORT sees it.
 */
export function noteStrtodErrno(engine: Engine, s: string, reset: boolean): void {
  if (cStrtod(s).erange) erange.set(engine, connGen(engine));
  else if (reset) erange.delete(engine);
}

/**
 * errno after the SCAN family's cursor parse (parseScanCursorOrReply: errno = 0, then strtoul): ERANGE
 * when the cursor's digits overflow an unsigned long, else 0. SSCAN/ZSCAN (and SCAN/HSCAN) thus reset a
 * sticky ERANGE, whatever the key holds.
 */
export function noteStrtoulErrno(engine: Engine, s: string): void {
  const nul = s.indexOf('\0');
  const m = /^[ \t\n\v\f\r]*[+-]?(\d+)/.exec(nul >= 0 ? s.slice(0, nul) : s);
  if (m && BigInt(m[1]) > 18446744073709551615n) erange.set(engine, connGen(engine));
  else erange.delete(engine);
}

/**
 * errno after CONFIG SET parsed a memory value (memtoull: a valid unit, then errno = 0 and strtoull of the
 * digits): ERANGE when the digits overflow an unsigned long long, else 0. An invalid unit leaves errno.
 */
export function noteMemtoullErrno(engine: Engine, s: string): void {
  const m = /^([0-9]*)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m || m[1].length >= 128) return;
  if (m[1] !== '' && BigInt(m[1]) > 18446744073709551615n) erange.set(engine, connGen(engine));
  else erange.delete(engine);
}

/**
 * errno after string2ld (a blocking command's timeout, getTimeoutFromObjectOrReply): errno = 0 then
 * strtold, unless the argument is empty or 5120 bytes or longer; ERANGE when the long double over- or
 * underflows (decimal exponents beyond about +-4932).
 */
export function noteStrtoldErrno(engine: Engine, s: string): void {
  if (s.length === 0 || s.length >= 5120) return;
  const nul = s.indexOf('\0');
  const m = /^[ \t\n\v\f\r]*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?/.exec(nul >= 0 ? s.slice(0, nul) : s);
  const int = m?.[1] ?? '', frac = m?.[2] ?? '';
  const digits = int + frac;
  const first = digits.search(/[1-9]/);
  if (m && first >= 0 && !/^[ \t\n\v\f\r]*[+-]?0[xX]/.test(s)) {
    const mag = int.length - 1 - first + Number(m[3] ?? 0);
    if (mag > 4932 || mag < -4950) { erange.set(engine, connGen(engine)); return; }
  }
  erange.delete(engine);
}

const DBL_MIN = 2.2250738585072014e-308;

function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }

/**
 * C's strtod(s, &eptr) as sort.c checks it: returns the value, whether eptr stopped on the NUL
 * terminator (a string ends at its first NUL byte for C), and whether errno would be ERANGE.
 */
function cStrtod(s: string): { v: number; ok: boolean; erange: boolean } {
  const nul = s.indexOf('\0');
  const cs = nul >= 0 ? s.slice(0, nul) : s;
  let i = 0;
  while (i < cs.length && isSpace(cs.charCodeAt(i))) i++;
  const body = cs.slice(i);
  // Longest prefix that strtod accepts.
  const m = /^[+-]?(?:(?:inf(?:inity)?|nan(?:\([0-9a-z_]*\))?)|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(body);
  if (!m) return { v: 0, ok: cs.length === 0, erange: false }; // no conversion: eptr = s
  const text = m[0];
  // An exponent marker without digits is not consumed ("1e" parses "1").
  const ok = text.length === body.length;
  const low = text.toLowerCase().replace(/^[+-]/, '');
  const neg = text[0] === '-';
  let v: number;
  let er = false;
  if (low.startsWith('inf')) v = neg ? -Infinity : Infinity;
  else if (low.startsWith('nan')) v = NaN;
  else {
    v = /^[+-]?0x/i.test(text) ? strtod(text) ?? 0 : Number(text);
    const mantissaZero = !/[1-9a-fA-F]/.test(text.replace(/^[+-]?0[xX]/, '').replace(/[pPeE].*$/, ''));
    if (!Number.isFinite(v)) er = true;
    else if (!mantissaZero && Math.abs(v) < DBL_MIN) {
      // Underflow: glibc reports ERANGE when the result is tiny and inexact (decimal is inexact).
      er = /^[+-]?0x/i.test(text) ? v === 0 : true;
    }
  }
  return { v, ok, erange: er };
}

// ====================================================================== pattern lookups

/**
 * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by
 * the element, and "->field" after it reads a hash field. Only string values (or hash fields)
 * count; anything else is "missing". Returns the value and whether Redis holds it int-encoded.
 */
function lookupKeyByPattern(c: Client, pattern: string, subst: string): { v: string; int: boolean } | null {
  if (pattern[0] === '#' && (pattern.length === 1 || pattern.charCodeAt(1) === 0)) {
    return { v: subst, int: parseLongLong(subst) !== null };
  }
  const cend = cLen(pattern);
  const star = pattern.indexOf('*');
  if (star < 0 || star >= cend) return null;
  const arrow = pattern.indexOf('->', star + 1);
  let field: string | null = null;
  let fieldlen = 0;
  if (arrow >= 0 && arrow + 2 < cend) {
    field = pattern.slice(arrow + 2);
    fieldlen = field.length;
  }
  const postfixlen = pattern.length - (star + 1) - (field !== null ? fieldlen + 2 : 0);
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, star + 1 + postfixlen);
  const o = c.db.lookupKeyRead(key);
  if (o === null) return null;
  if (field !== null) {
    if (o.type !== 'hash') return null;
    const v = hashGet(o, field);
    if (v === undefined) return null;
    return { v, int: o.encoding === 'listpack' && parseLongLong(v) !== null };
  }
  if (o.type !== 'string') return null;
  const v = o.ptr as string | number | bigint;
  return { v: String(v), int: o.encoding === 'int' };
}

/** Length of a byte string as C sees it (up to the first NUL). */
function cLen(s: string): number {
  const i = s.indexOf('\0');
  return i < 0 ? s.length : i;
}

// ====================================================================== comparison

interface SortObj {
  obj: string;
  /** Redis holds the element int-encoded (list entries and intset members that are integers). */
  int: boolean;
  score: number;
  cmpobj: string | null;
}

/** memcmp, then the shorter first (compareStringObjects, binary). */
function binCmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** strcoll in the C.UTF-8 locale: byte order, the strings ending at their first NUL. */
function collCmp(a: string, b: string): number {
  const ca = a.slice(0, cLen(a)), cb = b.slice(0, cLen(b));
  return ca === cb ? 0 : ca < cb ? -1 : 1;
}

function makeComparator(alpha: boolean, byPattern: boolean, store: boolean, desc: boolean): (a: SortObj, b: SortObj) => number {
  return (a, b) => {
    steps.n++;
    let cmp: number;
    if (!alpha) {
      if (a.score > b.score) cmp = 1;
      else if (a.score < b.score) cmp = -1;
      else cmp = binCmp(a.obj, b.obj);
    } else if (byPattern) {
      if (a.cmpobj === null || b.cmpobj === null) {
        cmp = a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
      } else {
        cmp = store ? binCmp(a.cmpobj, b.cmpobj) : collCmp(a.cmpobj, b.cmpobj);
      }
    } else {
      cmp = store ? binCmp(a.obj, b.obj) : collCmp(a.obj, b.obj);
    }
    return desc ? -cmp : cmp;
  };
}

// ====================================================================== pqsort

/**
 * Redis's pqsort (Bentley & McIlroy's quicksort that only recurses into partitions overlapping
 * [lrange, rrange]). Deterministic; not stable. Written over array indices.
 */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  const swap = (i: number, j: number) => { const t = v[i]; v[i] = v[j]; v[j] = t; };
  const vecswap = (i: number, j: number, n: number) => { for (let k = 0; k < n; k++) swap(i + k, j + k); };
  const med3 = (a: number, b: number, c: number) =>
    cmp(v[a], v[b]) < 0
      ? (cmp(v[b], v[c]) < 0 ? b : cmp(v[a], v[c]) < 0 ? c : a)
      : (cmp(v[b], v[c]) > 0 ? b : cmp(v[a], v[c]) < 0 ? a : c);
  const insertion = (a: number, n: number) => {
    for (let pm = a + 1; pm < a + n; pm++) {
      for (let pl = pm; pl > a && cmp(v[pl - 1], v[pl]) > 0; pl--) swap(pl, pl - 1);
    }
  };
  const outside = (lo: number, hi: number) => (lrange < lo && rrange < lo) || (lrange > hi && rrange > hi);
  const rec = (a: number, n: number): void => {
    for (;;) {
      let swapCnt = false;
      if (n < 7) { insertion(a, n); return; }
      let pm = a + (n >> 1);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(a, pm);
      let pa = a + 1, pb = a + 1;
      let pc = a + n - 1, pd = a + n - 1;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(v[pb], v[a])) <= 0) {
          if (r === 0) { swapCnt = true; swap(pa, pb); pa++; }
          pb++;
        }
        while (pb <= pc && (r = cmp(v[pc], v[a])) >= 0) {
          if (r === 0) { swapCnt = true; swap(pc, pd); pd--; }
          pc--;
        }
        if (pb > pc) break;
        swap(pb, pc);
        swapCnt = true;
        pb++;
        pc--;
      }
      if (!swapCnt) { insertion(a, n); return; }
      const pn = a + n;
      let r = Math.min(pa - a, pb - pa);
      vecswap(a, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      if ((r = pb - pa) > 1) {
        if (!outside(a, a + r - 1)) rec(a, r);
      }
      if ((r = pd - pc) > 1) {
        a = pn - r;
        n = r;
        if (!outside(a, a + r - 1)) continue;
      }
      return;
    }
  };
  rec(0, v.length);
}

// ====================================================================== SORT

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  storekey: string | null;
  sortby: string | null;
  dontsort: boolean;
  getops: string[];
}

/** getLongFromObjectOrReply, clamped to a JS number (the values only bound a vector). */
function getLong(s: string): number | null {
  const v = parseLongLong(s);
  if (v === null) return null;
  return typeof v === 'bigint' ? (v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : v;
}

function parseSortOptions(argv: string[], readonly: boolean): SortOptions | Reply {
  const o: SortOptions = {
    desc: false, alpha: false, limitStart: 0, limitCount: -1,
    storekey: null, sortby: null, dontsort: false, getops: [],
  };
  for (let j = 2; j < argv.length; j++) {
    const leftargs = argv.length - j - 1;
    const a = argv[j];
    if (eqi(a, 'asc')) o.desc = false;
    else if (eqi(a, 'desc')) o.desc = true;
    else if (eqi(a, 'alpha')) o.alpha = true;
    else if (eqi(a, 'limit') && leftargs >= 2) {
      const s = getLong(argv[j + 1]);
      if (s === null) return R.E.notInt;
      const n = getLong(argv[j + 2]);
      if (n === null) return R.E.notInt;
      o.limitStart = s;
      o.limitCount = n;
      j += 2;
    } else if (eqi(a, 'store') && leftargs >= 1 && !readonly) {
      o.storekey = argv[j + 1];
      j++;
    } else if (eqi(a, 'by') && leftargs >= 1) {
      o.sortby = argv[j + 1];
      // A pattern without '*' (as C's strchr sees it) means: don't sort.
      const star = o.sortby.indexOf('*');
      if (star < 0 || star >= cLen(o.sortby)) o.dontsort = true;
      j++;
    } else if (eqi(a, 'get') && leftargs >= 1) {
      o.getops.push(argv[j + 1]);
      j++;
    } else {
      return R.E.syntax;
    }
  }
  return o;
}

function listLength(o: RObj): number { return (o.ptr as Quicklist).length; }

function zsetLen(o: RObj): number {
  return (o.ptr as ZSet).zsl.length;
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): Reply {
  const parsed = parseSortOptions(argv, readonly);
  if ('t' in parsed) return parsed as Reply;
  const opt = parsed as SortOptions;
  let { desc, alpha, sortby, dontsort } = opt;
  const { storekey, getops } = opt;

  const key = argv[1];
  const found = c.db.lookupKeyRead(key); // 7.0.15 reads it even with STORE (keyspace hits/misses)
  if (found && found.type !== 'set' && found.type !== 'list' && found.type !== 'zset') return R.E.wrongType;
  const sortval: RObj = found ?? createListObject(c);

  // A set in "don't sort" mode is sorted anyway when stored, so the result is deterministic.
  if (dontsort && sortval.type === 'set' && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  // Redis converts a listpack-encoded sorted set to a skiplist for SORT (destructively).
  if (sortval.type === 'zset') zsetConvertToSkiplist(c, sortval, key);

  let vectorlen = sortval.type === 'list' ? listLength(sortval)
    : sortval.type === 'set' ? (sortval.encoding === 'intset' ? (sortval.ptr as { length: number }).length : (sortval.ptr as Dict<null>).size())
    : zsetLen(sortval);

  // LIMIT sanity checks.
  let start = opt.limitStart < 0 ? 0 : opt.limitStart;
  let end = opt.limitCount < 0 ? vectorlen - 1 : start + opt.limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Ordered types in "don't sort" mode load only the requested range.
  if ((sortval.type === 'zset' || sortval.type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  const vector: SortObj[] = [];
  const push = (obj: string, int: boolean) => { vector.push({ obj, int, score: 0, cmpobj: null }); };
  if (sortval.type === 'list' && dontsort) {
    if (end >= start) {
      const ql = sortval.ptr as Quicklist;
      const it = ql.iteratorAt(desc ? ql.length - start - 1 : start, desc ? 'tail' : 'head');
      while (it && vector.length < vectorlen) {
        const e = it.next();
        if (!e) break;
        push(e.value, parseLongLong(e.value) !== null);
      }
      it?.release(); // listTypeReleaseIterator: compresses the node it stopped on (list-compress-depth)
      end -= start;
      start = 0;
    }
  } else if (sortval.type === 'list') {
    const it = (sortval.ptr as Quicklist).iterator('head');
    for (let e = it.next(); e; e = it.next()) push(e.value, parseLongLong(e.value) !== null);
  } else if (sortval.type === 'set') {
    // setTypeNextObject gives sds strings even for an intset: the weights go through strtod (and errno).
    for (const m of setTypeMembers(sortval)) push(m, false);
  } else if (dontsort) {
    const zsl = (sortval.ptr as ZSet).zsl;
    let ln: ZslNode | null;
    if (desc) {
      ln = zsl.tail;
      if (start > 0) ln = zsl.getElementByRank(zsl.length - start);
    } else {
      ln = zsl.header.forward0;
      if (start > 0) ln = zsl.getElementByRank(start + 1);
    }
    for (let n = vectorlen; n > 0 && ln; n--) {
      steps.n++;
      push(ln.member, false);
      ln = desc ? ln.backward : ln.forward0;
    }
    end -= start;
    start = 0;
  } else {
    (sortval.ptr as ZSet).dict.forEach((m) => { steps.n++; push(m, false); });
  }

  // Load the weights.
  let conversionError = false;
  if (!dontsort) {
    for (const so of vector) {
      let byval: { v: string; int: boolean } | null;
      if (sortby !== null) {
        byval = lookupKeyByPattern(c, sortby, so.obj);
        if (byval === null) continue;
      } else {
        byval = { v: so.obj, int: so.int };
      }
      if (alpha) {
        if (sortby !== null) so.cmpobj = byval.v;
      } else if (byval.int) {
        so.score = Number(byval.v);
      } else {
        const r = cStrtod(byval.v);
        so.score = r.v;
        if (r.erange) erange.set(c.engine, connGen(c.engine));
        if (!r.ok || Number.isNaN(r.v) || errnoIsErange(c.engine)) conversionError = true;
      }
    }
    const cmp = makeComparator(alpha, sortby !== null, storekey !== null, desc);
    if (sortby !== null && (start !== 0 || end !== vector.length - 1)) pqsort(vector, cmp, start, end);
    else vector.sort(cmp);
  }

  if (conversionError) return R.error("ERR One or more scores can't be converted into double");

  const outputlen = getops.length ? getops.length * (end - start + 1) : end - start + 1;
  if (storekey === null) {
    const out: Reply[] = [];
    for (let j = start; j <= end; j++) {
      const so = vector[j];
      if (getops.length === 0) { out.push(R.bulk(so.obj)); continue; }
      for (const p of getops) {
        const val = lookupKeyByPattern(c, p, so.obj);
        out.push(val === null ? R.NIL : R.bulk(val.v));
      }
    }
    return R.array(out);
  }

  const sobj = createListObject(c);
  const ql = sobj.ptr as Quicklist;
  for (let j = start; j <= end; j++) {
    const so = vector[j];
    if (getops.length === 0) { ql.push(so.obj, 'tail'); continue; }
    for (const p of getops) {
      const val = lookupKeyByPattern(c, p, so.obj);
      ql.push(val === null ? '' : val.v, 'tail');
    }
  }
  if (outputlen > 0) {
    c.db.setKey(storekey, sobj);
    c.engine.notifyKeyspaceEvent('sortstore', storekey, c.db.id);
    c.engine.dirty += outputlen;
  } else if (c.db.delete(storekey)) {
    c.engine.signalModifiedKey(c.db, storekey);
    c.engine.notifyKeyspaceEvent('del', storekey, c.db.id);
    c.engine.dirty++;
  }
  return R.int(outputlen);
}

export const sortCommands: CommandDef[] = [
  { name: 'sort', proc: (c, a) => sortGeneric(c, a, false), complexity: 'O(N log N)' },
  { name: 'sort_ro', proc: (c, a) => sortGeneric(c, a, true), complexity: 'O(N log N)' },
];
