/**
 * Sorted set commands (as src/t_zset.c in Redis 7.0).
 *
 * Two encodings, converting at Redis's thresholds (never back on deletion):
 * - listpack: `ptr` is a Listpack of member, score pairs (the score stored as its d2string text),
 *   sorted by score then member; every lookup scans it (steps: one per entry compared);
 * - skiplist: `ptr` is a ZSet, a Dict (member -> score) plus a Skiplist ordered by (score, member).
 *   ZSCORE is one dict lookup, ZRANK a skiplist walk.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import { RObj } from './object';
import { Dict, type DictEntry } from './structures/dict';
import { Listpack } from './structures/listpack';
import {
  Skiplist, ZslNode, LEX_MIN, LEX_MAX, type LexRange, type ScoreRange, type LexBound,
  scoreGteMin, scoreLteMax, lexGteMin, lexLteMax, scoreRangeEmpty, lexRangeEmpty,
} from './structures/skiplist';
import { steps, tracing } from './trace';
import { parseDouble, strtod, formatDouble, parseLongLong, eqi, stringMatch } from './util';
import { noteStrtodErrno, noteStrtoulErrno, setErrnoErange } from './t_sort';
import { parseScanCursor } from './t_keys';

// ====================================================================== the ZSet structure

/** The skiplist encoding's value: a dict for O(1) member -> score plus the skiplist for order. */
export class ZSet {
  dict = new Dict<number>();
  zsl: Skiplist;
  constructor(random: () => number, name = '') {
    this.zsl = new Skiplist(random);
    this.dict.name = name;
  }
  clone(): ZSet {
    const z = new ZSet(this.zsl.random, this.dict.name);
    z.zsl = this.zsl.clone();
    for (const n of this.zsl.nodes()) z.dict.add(n.member, n.score);
    return z;
  }
}

/** A deep copy of a zset value (COPY): listpack or skiplist encoding. */
export function cloneZsetValue(o: RObj): RObj {
  if (o.encoding === 'listpack') {
    const src = o.ptr as Listpack;
    const lp = new Listpack();
    lp.entries = src.entries.slice();
    lp.bytes = src.bytes;
    return new RObj('zset', 'listpack', lp);
  }
  return new RObj('zset', 'skiplist', (o.ptr as ZSet).clone());
}

const LIMIT_ERR = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
const WITHSCORES_LEX_ERR = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
const NAN_ERR = R.error('ERR resulting score is not a number (NaN)');
const RANGE_FLOAT_ERR = R.error('ERR min or max is not a float');
const RANGE_LEX_ERR = R.error('ERR min or max not valid string range item');
const POSITIVE_ERR = R.error('ERR value is out of range, must be positive');

// ====================================================================== number parsing

/** Redis's getDoubleFromObject: strtod over the whole string, no leading space, no NaN, no overflow/underflow to 0. */
export function parseScore(s: string): number | null {
  const v = parseDouble(s);
  if (v === null) return null;
  if (!Number.isFinite(v) && !/inf/i.test(s)) return null; // ERANGE overflow
  if (v === 0) {
    // ERANGE underflow to zero: a non-zero mantissa that became 0
    const hex = /^[+-]?0x/i.test(s);
    const mant = hex ? s.replace(/^[+-]?0x/i, '').split(/[pP]/)[0] : s.split(/[eE]/)[0];
    if (hex ? /[1-9a-f]/i.test(mant) : /[1-9]/.test(mant)) return null;
  }
  return v;
}

/** Redis's getLongFromObject (64-bit long) as a JS number (values beyond 2^53 are rounded). */
function parseLong(s: string): number | null {
  const v = parseLongLong(s);
  if (v === null) return null;
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * zslParseRange's bound: optional '(' then C strtod (leading spaces allowed, overflow gives inf). The
 * argument is read as a C string: it ends at its first NUL byte ("1\x00junk" is 1).
 */
function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let ex = false;
  if (s.charCodeAt(0) === 40 /* ( */) { ex = true; s = s.slice(1); }
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  let v: number | null;
  if (t.length === 0) v = s.length === 0 ? 0 : null;
  else v = strtod(t);
  if (v === null || Number.isNaN(v)) return null;
  return { v, ex };
}

/** zslParseRange for a command: its strtod calls leave errno behind (see t_sort.ts), min first, max only if min parsed. */
function scoreRangeFor(c: Client, min: string, max: string): ScoreRange | null {
  noteStrtodErrno(c.engine, min.charCodeAt(0) === 40 ? min.slice(1) : min, false);
  if (parseScoreBound(min)) noteStrtodErrno(c.engine, max.charCodeAt(0) === 40 ? max.slice(1) : max, false);
  return parseScoreRange(min, max);
}

export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseScoreBound(min);
  const b = parseScoreBound(max);
  if (!a || !b) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

function parseLexBound(s: string): { v: LexBound; ex: boolean } | null {
  switch (s[0]) {
    case '+': return s.length === 1 ? { v: LEX_MAX, ex: true } : null;
    case '-': return s.length === 1 ? { v: LEX_MIN, ex: true } : null;
    case '(': return { v: s.slice(1), ex: true };
    case '[': return { v: s.slice(1), ex: false };
    default: return null;
  }
}

export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  if (!a || !b) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

// ====================================================================== listpack encoding helpers

/** The text a score is stored as in a listpack (an integer when double2ll allows it, "-0" included, else d2string). */
export function lpScoreText(score: number): string {
  if (score === 0) return '0';
  if (Number.isSafeInteger(score)) return String(score);
  // zzlInsertAt: double2ll stores an integral score within +-LLONG_MAX/2 as an integer (all its digits),
  // anything else as d2string's %.17g text.
  if (Number.isInteger(score) && score >= -4611686018427387904 && score <= 4611686018427387904) return BigInt(score).toString();
  return formatDouble(score);
}

/**
 * The engine whose zset command is running: Redis reads a listpack score stored as text with strtod
 * (zzlStrtod), and a subnormal one leaves errno = ERANGE behind, which a later SORT sees (t_sort.ts).
 */
const lpErrno: { engine: Engine | null } = { engine: null };

function lpScore(text: string): number {
  const v = Number(text);
  if (!Number.isNaN(v)) {
    if (v !== 0 && v < 2.2250738585072014e-308 && v > -2.2250738585072014e-308 && lpErrno.engine) setErrnoErange(lpErrno.engine);
    return v;
  }
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return strtod(text) ?? 0;
}

function lpVisit(i: number): void {
  steps.n++;
  if (tracing.sink) tracing.sink.push({ k: 'lp.visit', index: i });
}

/** A score or lex range over the pairs of a listpack (pair index i: member e[2i], score e[2i+1]). */
interface LpRange { gte(i: number): boolean; lte(i: number): boolean; empty: boolean }

function lpRange(e: string[], sr: ScoreRange | null, lr: LexRange | null): LpRange {
  if (sr) {
    return { gte: (i) => scoreGteMin(lpScore(e[i * 2 + 1]), sr), lte: (i) => scoreLteMax(lpScore(e[i * 2 + 1]), sr), empty: scoreRangeEmpty(sr) };
  }
  return { gte: (i) => lexGteMin(e[i * 2], lr!), lte: (i) => lexLteMax(e[i * 2], lr!), empty: lexRangeEmpty(lr!) };
}

/** zzlIsInRange / zzlIsInLexRange: the last element is >= min and the first <= max. */
function lpIsInRange(e: string[], r: LpRange): boolean {
  const n = e.length >> 1;
  if (r.empty || n === 0) return false;
  steps.n += 2;
  return r.gte(n - 1) && r.lte(0);
}

/** zzlFirstInRange: the pair index of the first element in range, or -1. */
function lpFirstInRange(e: string[], r: LpRange): number {
  if (!lpIsInRange(e, r)) return -1;
  const n = e.length >> 1;
  for (let i = 0; i < n; i++) {
    lpVisit(i * 2);
    if (r.gte(i)) return r.lte(i) ? i : -1;
  }
  return -1;
}

/** zzlLastInRange: the pair index of the last element in range, or -1. */
function lpLastInRange(e: string[], r: LpRange): number {
  if (!lpIsInRange(e, r)) return -1;
  for (let i = (e.length >> 1) - 1; i >= 0; i--) {
    lpVisit(i * 2);
    if (r.lte(i)) return r.gte(i) ? i : -1;
  }
  return -1;
}

/** zzlFind: the entry index of member (the score follows it), or -1. */
function zzlFind(lp: Listpack, member: string): number {
  return lp.find(member, 0, 1);
}

/** zzlInsert: insert at the sorted position (score, then member bytes). */
function zzlInsert(lp: Listpack, member: string, score: number): void {
  const e = lp.entries;
  let i = 0;
  for (; i < e.length; i += 2) {
    lpVisit(i);
    const s = lpScore(e[i + 1]);
    if (s > score || (s === score && e[i] > member)) break;
  }
  lp.insert(i, member);
  lp.insert(i + 1, lpScoreText(score));
}

function zzlLength(lp: Listpack): number { return lp.entries.length >> 1; }

// ====================================================================== generic zset API

function zrandom(engine: Engine): () => number {
  return () => engine.random.u32();
}

export function zsetLength(o: RObj): number {
  return o.encoding === 'listpack' ? zzlLength(o.ptr as Listpack) : (o.ptr as ZSet).zsl.length;
}

/** A new, empty zset object; skiplist when the config or the first member requires it. */
export function zsetCreate(c: Client, key: string, sizeHint: number, maxLenHint: number): RObj {
  const cfg = c.engine.config;
  if (cfg.zsetMaxListpackEntries === 0 || sizeHint > cfg.zsetMaxListpackEntries || maxLenHint > cfg.zsetMaxListpackValue) {
    return new RObj('zset', 'skiplist', new ZSet(zrandom(c.engine), key));
  }
  return new RObj('zset', 'listpack', new Listpack());
}

/** Convert a listpack-encoded zset to the skiplist encoding (zsetConvert). */
export function zsetConvertToSkiplist(c: Client, o: RObj, key: string): void {
  if (o.encoding !== 'listpack') return;
  lpErrno.engine = c.engine;
  const lp = o.ptr as Listpack;
  const zs = new ZSet(zrandom(c.engine), key);
  const e = lp.entries;
  if (tracing.sink) tracing.sink.push({ k: 'obj.convert', key, from: 'listpack', to: 'skiplist' });
  for (let i = 0; i < e.length; i += 2) {
    steps.n++;
    const score = lpScore(e[i + 1]);
    zs.zsl.insert(score, e[i]);
    zs.dict.add(e[i], score);
  }
  o.encoding = 'skiplist';
  o.ptr = zs;
}

/** Convert a skiplist-encoded zset to a listpack (used for the destinations of store commands). */
function zsetConvertToListpack(o: RObj, key: string): void {
  if (o.encoding !== 'skiplist') return;
  const zs = o.ptr as ZSet;
  const lp = new Listpack();
  if (tracing.sink) tracing.sink.push({ k: 'obj.convert', key, from: 'skiplist', to: 'listpack' });
  for (const n of zs.zsl.nodes()) {
    lp.append(n.member);
    lp.append(lpScoreText(n.score));
  }
  o.encoding = 'listpack';
  o.ptr = lp;
}

/** zsetConvertToListpackIfNeeded: a small enough result goes back to a listpack. */
export function zsetConvertToListpackIfNeeded(c: Client, o: RObj, key: string, maxelelen: number): void {
  if (o.encoding !== 'skiplist') return;
  const cfg = c.engine.config;
  if ((o.ptr as ZSet).zsl.length <= cfg.zsetMaxListpackEntries && maxelelen <= cfg.zsetMaxListpackValue) {
    zsetConvertToListpack(o, key);
  }
}

export function zsetScore(o: RObj, member: string): number | null {
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const i = zzlFind(lp, member);
    return i < 0 ? null : lpScore(lp.entries[i + 1]);
  }
  const v = (o.ptr as ZSet).dict.get(member);
  return v === undefined ? null : v;
}

export interface ZaddFlags { incr: boolean; nx: boolean; xx: boolean; gt: boolean; lt: boolean }
export const ZADD_ADDED = 1, ZADD_UPDATED = 2, ZADD_NOP = 4, ZADD_NAN = 8;

/**
 * Redis's zsetAdd: add or update member. Returns the out flags (ZADD_ADDED / UPDATED / NOP / NAN)
 * and the new score.
 */
export function zsetAdd(c: Client, o: RObj, key: string, score: number, member: string, f: ZaddFlags): { flags: number; score: number } {
  if (Number.isNaN(score)) return { flags: ZADD_NAN, score };
  lpErrno.engine = c.engine;
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const i = zzlFind(lp, member);
    if (i >= 0) {
      const cur = lpScore(lp.entries[i + 1]); // zzlFind reads the score (errno) before NX is looked at
      if (f.nx) return { flags: ZADD_NOP, score };
      if (f.incr) {
        score += cur;
        if (Number.isNaN(score)) return { flags: ZADD_NAN, score };
      }
      if ((f.lt && score >= cur) || (f.gt && score <= cur)) return { flags: ZADD_NOP, score };
      if (score !== cur) {
        lp.delete(i, 2);
        zzlInsert(lp, member, score);
        return { flags: ZADD_UPDATED, score };
      }
      return { flags: 0, score };
    }
    if (f.xx) return { flags: ZADD_NOP, score };
    const cfg = c.engine.config;
    if (zzlLength(lp) + 1 > cfg.zsetMaxListpackEntries || member.length > cfg.zsetMaxListpackValue) {
      zsetConvertToSkiplist(c, o, key);
    } else {
      zzlInsert(lp, member, score);
      return { flags: ZADD_ADDED, score };
    }
  }
  const zs = o.ptr as ZSet;
  const de = zs.dict.findEntry(member);
  if (de) {
    if (f.nx) return { flags: ZADD_NOP, score };
    const cur = de.val;
    if (f.incr) {
      score += cur;
      if (Number.isNaN(score)) return { flags: ZADD_NAN, score };
    }
    if ((f.lt && score >= cur) || (f.gt && score <= cur)) return { flags: ZADD_NOP, score };
    if (score !== cur) {
      zs.zsl.updateScore(cur, member, score);
      de.val = score;
      return { flags: ZADD_UPDATED, score };
    }
    return { flags: 0, score };
  }
  if (f.xx) return { flags: ZADD_NOP, score };
  zs.zsl.insert(score, member);
  zs.dict.add(member, score);
  return { flags: ZADD_ADDED, score };
}

const PLAIN: ZaddFlags = { incr: false, nx: false, xx: false, gt: false, lt: false };

/** Redis's zsetDel: remove member; returns true if it was there. */
export function zsetDel(o: RObj, member: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const i = zzlFind(lp, member);
    if (i < 0) return false;
    lp.delete(i, 2);
    return true;
  }
  const zs = o.ptr as ZSet;
  const de = zs.dict.delete(member);
  if (!de) return false;
  zs.zsl.delete(de.val, member);
  if (zs.dict.needsResize()) zs.dict.resize();
  return true;
}

/** 0-based rank of member (from the end when reverse), or -1. */
export function zsetRank(o: RObj, member: string, reverse: boolean): number {
  const len = zsetLength(o);
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    for (let i = 0, rank = 1; i < e.length; i += 2, rank++) {
      lpVisit(i);
      if (e[i] === member) return reverse ? len - rank : rank - 1;
    }
    return -1;
  }
  const zs = o.ptr as ZSet;
  const score = zs.dict.get(member);
  if (score === undefined) return -1;
  const rank = zs.zsl.getRank(score, member);
  return reverse ? len - rank : rank - 1;
}

/** Every (member, score) in order, without counting steps (for sets-of-sets operations, counted by the caller). */
function zsetPairs(o: RObj): { m: string[]; s: number[] } {
  const m: string[] = [], s: number[] = [];
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    for (let i = 0; i < e.length; i += 2) { m.push(e[i]); s.push(lpScore(e[i + 1])); }
  } else {
    for (const n of (o.ptr as ZSet).zsl.nodes()) { m.push(n.member); s.push(n.score); }
  }
  return { m, s };
}

/** Lookup a key for writing; a zset, null when missing, or the WRONGTYPE reply. */
function lookupZsetWrite(c: Client, key: string): RObj | null | Reply {
  lpErrno.engine = c.engine;
  const o = c.db.lookupKeyWrite(key);
  if (!o) return null;
  return o.type === 'zset' ? o : R.E.wrongType;
}

function lookupZsetRead(c: Client, key: string): RObj | null | Reply {
  lpErrno.engine = c.engine;
  const o = c.db.lookupKeyRead(key);
  if (!o) return null;
  return o.type === 'zset' ? o : R.E.wrongType;
}

function isReply(x: unknown): x is Reply {
  return x !== null && !(x instanceof RObj);
}

/** Delete the key when its zset became empty. Returns true if deleted. */
function deleteIfEmpty(c: Client, key: string, o: RObj): boolean {
  if (zsetLength(o) === 0) { c.db.delete(key); return true; }
  return false;
}

// ====================================================================== replies

/** Members with scores: flat in RESP2, [member, score] pairs in RESP3 (as Redis 7.0). */
function scoredReply(c: Client, m: string[], s: number[], withscores: boolean): Reply {
  const out: Reply[] = [];
  if (!withscores) {
    for (let i = 0; i < m.length; i++) out.push(R.bulk(m[i]));
  } else if (c.resp === 2) {
    for (let i = 0; i < m.length; i++) { out.push(R.bulk(m[i])); out.push(R.double(s[i])); }
  } else {
    for (let i = 0; i < m.length; i++) out.push(R.array([R.bulk(m[i]), R.double(s[i])]));
  }
  return R.array(out);
}

// ====================================================================== ZADD / ZINCRBY

function zaddGeneric(c: Client, argv: string[], incrCmd: boolean): Reply {
  const key = argv[1];
  const f: ZaddFlags = { incr: incrCmd, nx: false, xx: false, gt: false, lt: false };
  let ch = false;
  let idx = 2;
  if (!incrCmd) {
    for (; idx < argv.length; idx++) {
      const a = argv[idx];
      if (a.length < 2) break;
      // strcasecmp over a C string: "nx\0junk" is NX
      if (eqi(a, 'nx')) f.nx = true;
      else if (eqi(a, 'xx')) f.xx = true;
      else if (eqi(a, 'ch')) ch = true;
      else if (eqi(a, 'incr')) f.incr = true;
      else if (eqi(a, 'gt')) f.gt = true;
      else if (eqi(a, 'lt')) f.lt = true;
      else break;
    }
  }
  let elements = argv.length - idx;
  if (elements % 2 || !elements) return R.E.syntax;
  elements /= 2;
  if (f.nx && f.xx) return R.error('ERR XX and NX options at the same time are not compatible');
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
    return R.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (f.incr && elements > 1) return R.error('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    noteStrtodErrno(c.engine, argv[idx + j * 2], true);
    const v = parseScore(argv[idx + j * 2]);
    if (v === null) return R.E.notFloat;
    scores.push(v);
  }
  let o = lookupZsetWrite(c, key);
  if (isReply(o)) return o;
  let added = 0, updated = 0, processed = 0;
  let score = 0;
  if (o === null) {
    if (f.xx) return f.incr ? R.NIL : R.ZERO;
    o = zsetCreate(c, key, 0, argv[idx + 1].length);
    c.db.add(key, o);
  }
  let err: Reply | null = null;
  for (let j = 0; j < elements; j++) {
    const r = zsetAdd(c, o, key, scores[j], argv[idx + j * 2 + 1], f);
    if (r.flags & ZADD_NAN) { err = NAN_ERR; break; }
    if (r.flags & ZADD_ADDED) added++;
    if (r.flags & ZADD_UPDATED) updated++;
    if (!(r.flags & ZADD_NOP)) processed++;
    score = r.score;
  }
  if (added || updated) {
    c.engine.signalModifiedKey(c.db, key);
    c.engine.notifyKeyspaceEvent(f.incr ? 'zincr' : 'zadd', key, c.db.id);
  }
  c.engine.dirty += added + updated;
  if (err) return err;
  if (f.incr) return processed ? R.double(score) : R.NIL;
  return R.int(ch ? added + updated : added);
}

// ====================================================================== ZREM / ZREMRANGE*

function zremCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  const o = lookupZsetWrite(c, key);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (zsetDel(o, argv[j])) deleted++;
    if (zsetLength(o) === 0) { c.db.delete(key); removed = true; break; }
  }
  if (deleted) {
    c.engine.notifyKeyspaceEvent('zrem', key, c.db.id);
    if (removed) c.engine.notifyKeyspaceEvent('del', key, c.db.id);
    c.engine.signalModifiedKey(c.db, key);
    c.engine.dirty += deleted;
  }
  return R.int(deleted);
}

type RangeKind = 'rank' | 'score' | 'lex';

function zremrangeGeneric(c: Client, argv: string[], kind: RangeKind): Reply {
  const key = argv[1];
  let start = 0, end = 0;
  let sr: ScoreRange | null = null, lr: LexRange | null = null;
  if (kind === 'rank') {
    const a = parseLong(argv[2]), b = parseLong(argv[3]);
    if (a === null || b === null) return R.E.notInt;
    start = a; end = b;
  } else if (kind === 'score') {
    sr = scoreRangeFor(c, argv[2], argv[3]);
    if (!sr) return RANGE_FLOAT_ERR;
  } else {
    lr = parseLexRange(argv[2], argv[3]);
    if (!lr) return RANGE_LEX_ERR;
  }
  const o = lookupZsetWrite(c, key);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  if (kind === 'rank') {
    const llen = zsetLength(o);
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return R.ZERO;
    if (end >= llen) end = llen - 1;
  }
  let deleted = 0;
  if (o.encoding === 'listpack') {
    const lp = o.ptr as Listpack;
    const e = lp.entries;
    if (kind === 'rank') {
      steps.n += start + 1; // lpSeek to the first entry to delete
      deleted = end - start + 1;
      lp.delete(start * 2, deleted * 2);
    } else {
      const r = lpRange(e, sr, lr);
      const first = lpFirstInRange(e, r);
      let count = 0;
      if (first >= 0) {
        for (let i = first; i < e.length >> 1; i++) {
          lpVisit(i * 2);
          if (!r.lte(i)) break;
          count++;
        }
      }
      if (count) lp.delete(first * 2, count * 2);
      deleted = count;
    }
  } else {
    const zs = o.ptr as ZSet;
    const del = (m: string) => { zs.dict.delete(m); };
    if (kind === 'rank') deleted = zs.zsl.deleteRangeByRank(start + 1, end + 1, del);
    else if (kind === 'score') deleted = zs.zsl.deleteRangeByScore(sr!, del);
    else deleted = zs.zsl.deleteRangeByLex(lr!, del);
    if (zs.dict.needsResize()) zs.dict.resize();
  }
  const removed = deleteIfEmpty(c, key, o);
  if (deleted) {
    c.engine.signalModifiedKey(c.db, key);
    c.engine.notifyKeyspaceEvent('zremrangeby' + kind, key, c.db.id);
    if (removed) c.engine.notifyKeyspaceEvent('del', key, c.db.id);
  }
  c.engine.dirty += deleted;
  return R.int(deleted);
}

// ====================================================================== reads: ZSCORE ZMSCORE ZCARD ZRANK ZCOUNT ZLEXCOUNT

function zscoreCommand(c: Client, argv: string[]): Reply {
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return R.NIL;
  if (isReply(o)) return o;
  const s = zsetScore(o, argv[2]);
  return s === null ? R.NIL : R.double(s);
}

function zmscoreCommand(c: Client, argv: string[]): Reply {
  const o = lookupZsetRead(c, argv[1]);
  if (isReply(o)) return o;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = o ? zsetScore(o, argv[j]) : null;
    out.push(s === null ? R.NIL : R.double(s));
  }
  return R.array(out);
}

function zcardCommand(c: Client, argv: string[]): Reply {
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  return R.int(zsetLength(o));
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): Reply {
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return R.NIL;
  if (isReply(o)) return o;
  const r = zsetRank(o, argv[2], reverse);
  return r < 0 ? R.NIL : R.int(r);
}

function zcountGeneric(c: Client, argv: string[], lex: boolean): Reply {
  let sr: ScoreRange | null = null, lr: LexRange | null = null;
  if (lex) { lr = parseLexRange(argv[2], argv[3]); if (!lr) return RANGE_LEX_ERR; }
  else { sr = scoreRangeFor(c, argv[2], argv[3]); if (!sr) return RANGE_FLOAT_ERR; }
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return R.ZERO;
  if (isReply(o)) return o;
  let count = 0;
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    const r = lpRange(e, sr, lr);
    const first = lpFirstInRange(e, r);
    if (first >= 0) {
      for (let i = first; i < e.length >> 1; i++) {
        lpVisit(i * 2);
        if (!r.lte(i)) break;
        count++;
      }
    }
  } else {
    const zsl = (o.ptr as ZSet).zsl;
    let zn = lex ? zsl.firstInLexRange(lr!) : zsl.firstInRange(sr!);
    if (zn) {
      count = zsl.length - (zsl.getRank(zn.score, zn.member) - 1);
      zn = lex ? zsl.lastInLexRange(lr!) : zsl.lastInRange(sr!);
      if (zn) count -= zsl.length - zsl.getRank(zn.score, zn.member);
    }
  }
  return R.int(count);
}

// ====================================================================== ZRANGE family

interface RangeResult { m: string[]; s: number[] }

/**
 * Ranks start..end (already sanitized, inclusive, 0-based) from the head, or from the tail when reverse.
 * A listpack score is parsed only when it is wanted (WITHSCORES, a store): parsing may set errno.
 */
function rangeByRank(o: RObj, start: number, end: number, reverse: boolean, out: RangeResult, scores: boolean): void {
  let rangelen = end - start + 1;
  const llen = zsetLength(o);
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    let idx = reverse ? llen - 1 - start : start;
    steps.n += start + 1; // lpSeek to the first entry of the range
    while (rangelen--) {
      lpVisit(idx * 2);
      out.m.push(e[idx * 2]); out.s.push(scores ? lpScore(e[idx * 2 + 1]) : 0);
      idx += reverse ? -1 : 1;
    }
    return;
  }
  const zsl = (o.ptr as ZSet).zsl;
  let ln: ZslNode | null;
  if (reverse) ln = start > 0 ? zsl.getElementByRank(llen - start) : zsl.tail;
  else ln = start > 0 ? zsl.getElementByRank(start + 1) : zsl.first();
  while (rangelen-- && ln) {
    steps.n++;
    out.m.push(ln.member); out.s.push(ln.score);
    ln = reverse ? ln.backward : ln.forward0;
  }
}

function rangeByScoreOrLex(o: RObj, sr: ScoreRange | null, lr: LexRange | null, offset: number, limit: number, reverse: boolean, out: RangeResult, scores: boolean): void {
  const gteMin = (m: string, s: number) => (sr ? scoreGteMin(s, sr) : lexGteMin(m, lr!));
  const lteMax = (m: string, s: number) => (sr ? scoreLteMax(s, sr) : lexLteMax(m, lr!));
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    const n = e.length >> 1;
    const r = lpRange(e, sr, lr);
    let i = reverse ? lpLastInRange(e, r) : lpFirstInRange(e, r);
    if (i < 0) return;
    while (i >= 0 && i < n && offset-- !== 0) { steps.n++; i += reverse ? -1 : 1; }
    while (i >= 0 && i < n && limit-- !== 0) {
      lpVisit(i * 2);
      if (!(reverse ? r.gte(i) : r.lte(i))) break;
      out.m.push(e[i * 2]); out.s.push(sr || scores ? lpScore(e[i * 2 + 1]) : 0);
      i += reverse ? -1 : 1;
    }
    return;
  }
  const zsl = (o.ptr as ZSet).zsl;
  let ln: ZslNode | null;
  if (sr) ln = reverse ? zsl.lastInRange(sr) : zsl.firstInRange(sr);
  else ln = reverse ? zsl.lastInLexRange(lr!) : zsl.firstInLexRange(lr!);
  while (ln && offset-- !== 0) { steps.n++; ln = reverse ? ln.backward : ln.forward0; }
  while (ln && limit-- !== 0) {
    steps.n++;
    if (!(reverse ? gteMin(ln.member, ln.score) : lteMax(ln.member, ln.score))) break;
    out.m.push(ln.member); out.s.push(ln.score);
    ln = reverse ? ln.backward : ln.forward0;
  }
}

/**
 * Redis's zrangeGenericCommand: ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX, ZREVRANGEBYLEX. `argStart` is the index of the source key.
 */
function zrangeGeneric(c: Client, argv: string[], argStart: number, store: string | null, kind: RangeKind | null, rev: boolean | null): Reply {
  const key = argv[argStart];
  let minidx = argStart + 1, maxidx = argStart + 2;
  let withscores = false;
  let offset = 0, limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && eqi(a, 'withscores')) withscores = true;
    else if (eqi(a, 'limit') && left >= 2) {
      const off = parseLong(argv[j + 1]), lim = parseLong(argv[j + 2]);
      if (off === null || lim === null) return R.E.notInt;
      offset = off; limit = lim;
      j += 2;
    } else if (rev === null && eqi(a, 'rev')) rev = true;
    else if (kind === null && eqi(a, 'bylex')) kind = 'lex';
    else if (kind === null && eqi(a, 'byscore')) kind = 'score';
    else return R.E.syntax;
  }
  if (rev === null) rev = false;
  if (kind === null) kind = 'rank';
  if (limit !== -1 && kind === 'rank') return R.error(LIMIT_ERR);
  if (withscores && kind === 'lex') return R.error(WITHSCORES_LEX_ERR);
  if (rev && kind !== 'rank') { const t = maxidx; maxidx = minidx; minidx = t; }
  let start = 0, end = 0;
  let sr: ScoreRange | null = null, lr: LexRange | null = null;
  if (kind === 'rank') {
    const a = parseLong(argv[minidx]), b = parseLong(argv[maxidx]);
    if (a === null || b === null) return R.E.notInt;
    start = a; end = b;
  } else if (kind === 'score') {
    sr = scoreRangeFor(c, argv[minidx], argv[maxidx]);
    if (!sr) return RANGE_FLOAT_ERR;
  } else {
    lr = parseLexRange(argv[minidx], argv[maxidx]);
    if (!lr) return RANGE_LEX_ERR;
  }
  const o = lookupZsetRead(c, key);
  if (isReply(o)) return o;
  const out: RangeResult = { m: [], s: [] };
  if (o) {
    if (kind === 'rank') {
      const llen = zsetLength(o);
      if (start < 0) start = llen + start;
      if (end < 0) end = llen + end;
      if (start < 0) start = 0;
      if (!(start > end || start >= llen)) {
        if (end >= llen) end = llen - 1;
        rangeByRank(o, start, end, rev, out, withscores || store !== null);
      }
    } else if (!(offset > 0 && offset >= zsetLength(o))) {
      rangeByScoreOrLex(o, sr, lr, offset, limit, rev, out, withscores || store !== null);
    }
  }
  if (store === null) return scoredReply(c, out.m, out.s, withscores);
  return storeResult(c, store, out, kind === 'rank' ? out.m.length : -1);
}

/** Write a range result to dst (ZRANGESTORE): replaced, or deleted when empty. */
function storeResult(c: Client, dst: string, out: RangeResult, sizeHint: number): Reply {
  const n = out.m.length;
  if (n > 0) {
    let maxlen = 0;
    const o = zsetCreate(c, dst, sizeHint, 0);
    for (let i = 0; i < n; i++) {
      zsetAdd(c, o, dst, out.s[i], out.m[i], PLAIN);
      if (out.m[i].length > maxlen) maxlen = out.m[i].length;
    }
    c.db.setKey(dst, o);
    c.engine.notifyKeyspaceEvent('zrangestore', dst, c.db.id);
    c.engine.dirty++;
  } else if (c.db.delete(dst)) {
    c.engine.signalModifiedKey(c.db, dst);
    c.engine.notifyKeyspaceEvent('del', dst, c.db.id);
    c.engine.dirty++;
  }
  return R.int(n);
}

// ====================================================================== ZPOP / ZMPOP

/**
 * Redis's genericZpopCommand. count -1: no count given. `nested`: [member, score] pairs;
 * `emitKey`: reply [key, pairs] (ZMPOP), null array when nothing to pop. Exported for the blocking variants.
 */
export function genericZpop(c: Client, keys: string[], max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): Reply {
  let o: RObj | null = null;
  let key = '';
  for (const k of keys) {
    lpErrno.engine = c.engine;
    const x = c.db.lookupKeyWrite(k);
    if (!x) continue;
    if (x.type !== 'zset') return R.E.wrongType;
    o = x; key = k;
    break;
  }
  if (!o) return nilWhenEmpty ? R.NILARRAY : R.EMPTY_ARRAY;
  if (count === 0) return R.EMPTY_ARRAY;
  if (count === -1) count = 1;
  const llen = zsetLength(o);
  let rangelen = count > llen ? llen : count;
  const items: Reply[] = [];
  while (rangelen-- > 0) {
    let member: string, score: number;
    if (o.encoding === 'listpack') {
      const e = (o.ptr as Listpack).entries;
      const i = max ? e.length - 2 : 0;
      lpVisit(i);
      member = e[i]; score = lpScore(e[i + 1]);
    } else {
      const zsl = (o.ptr as ZSet).zsl;
      const n = max ? zsl.tail! : zsl.first()!;
      steps.n++;
      member = n.member; score = n.score;
    }
    zsetDel(o, member);
    c.engine.dirty++;
    if (nested) items.push(R.array([R.bulk(member), R.double(score)]));
    else { items.push(R.bulk(member)); items.push(R.double(score)); }
  }
  c.engine.notifyKeyspaceEvent(max ? 'zpopmax' : 'zpopmin', key, c.db.id);
  if (zsetLength(o) === 0) {
    c.db.delete(key);
    c.engine.notifyKeyspaceEvent('del', key, c.db.id);
  }
  c.engine.signalModifiedKey(c.db, key);
  if (emitKey && nested) return R.array([R.bulk(key), R.array(items)]);
  if (emitKey) return R.array([R.bulk(key), ...items]);
  return R.array(items);
}

function zpopMinMax(c: Client, argv: string[], max: boolean): Reply {
  if (argv.length > 3) return R.E.syntax;
  let count = -1;
  if (argv.length === 3) {
    const v = parseLong(argv[2]);
    if (v === null || v < 0) return POSITIVE_ERR;
    count = v;
  }
  return genericZpop(c, [argv[1]], max, false, count, c.resp > 2 && count !== -1, false);
}

function zmpopCommand(c: Client, argv: string[]): Reply {
  const numkeys = parseLong(argv[1]);
  if (numkeys === null || numkeys < 1) return R.error('ERR numkeys should be greater than 0');
  const whereIdx = 2 + numkeys;
  if (whereIdx >= argv.length) return R.E.syntax;
  let max: boolean;
  if (eqi(argv[whereIdx], 'min')) max = false;
  else if (eqi(argv[whereIdx], 'max')) max = true;
  else return R.E.syntax;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && more) {
      j++;
      const v = parseLong(argv[j]);
      if (v === null || v < 1) return R.error('ERR count should be greater than 0');
      count = v;
    } else return R.E.syntax;
  }
  if (count === -1) count = 1;
  return genericZpop(c, argv.slice(2, whereIdx), max, true, count, true, true);
}

// ====================================================================== ZRANDMEMBER

/** Above this many elements a ZRANDMEMBER reply is refused (Redis itself would run out of memory). */
const RANDMEMBER_MAX = 10_000_000;

function zrandmemberCommand(c: Client, argv: string[]): Reply {
  if (argv.length === 2) {
    const o = lookupZsetRead(c, argv[1]);
    if (o === null) return R.NIL;
    if (isReply(o)) return o;
    return R.bulk(randomPair(c, o, false)[0]);
  }
  const l = parseLongLong(argv[2]);
  if (l === null) return R.E.notInt;
  if (typeof l === 'bigint' && l === -9223372036854775808n) {
    return R.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  let withscores = false;
  if (argv.length === 4 && eqi(argv[3], 'withscores')) {
    withscores = true;
    // Redis: the reply would hold twice as many elements.
    if (l < -4611686018427387904n || l > 4611686018427387903n) return R.error('ERR value is out of range');
  } else if (argv.length >= 4) return R.E.syntax;
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return R.EMPTY_ARRAY;
  if (isReply(o)) return o;
  const ln = Number(l);
  let count = ln >= 0 ? ln : -ln;
  const uniq = ln >= 0;
  const size = zsetLength(o);
  if (count === 0) return R.EMPTY_ARRAY;
  const m: string[] = [], s: number[] = [];
  if (!uniq || count === 1) {
    // CASE 1: repeats allowed: sample the whole set every time.
    if (count > RANDMEMBER_MAX) return R.error('ERR count is too large for the sandbox');
    while (count--) { const p = randomPair(c, o, withscores); m.push(p[0]); s.push(p[1]); }
    return scoredReply(c, m, s, withscores);
  }
  if (count >= size) {
    // CASE 2: the whole set, as zuiNext walks it: from the last element to the first.
    const all = zsetPairs(o);
    steps.n += size;
    return scoredReply(c, all.m.reverse(), all.s.reverse(), withscores);
  }
  if (count * 3 > size) {
    // CASE 3: copy (zuiNext reads every score), then remove random elements until count are left.
    const all = zsetPairs(o);
    steps.n += size;
    const idx = all.m.map((_, i) => i);
    while (idx.length > count) {
      steps.n++;
      const r = c.engine.random.int(idx.length);
      idx[r] = idx[idx.length - 1];
      idx.pop();
    }
    for (const i of idx) { m.push(all.m[i]); s.push(all.s[i]); }
  } else {
    // CASE 4: pick random elements until count distinct ones were found (a listpack score is parsed only
    // for WITHSCORES: errno).
    const e = o.encoding === 'listpack' ? (o.ptr as Listpack).entries : null;
    const all = e ? null : zsetPairs(o);
    const picked = new Set<number>();
    while (picked.size < count) {
      steps.n++;
      const r = c.engine.random.int(size);
      if (picked.has(r)) continue;
      picked.add(r);
      if (e) { m.push(e[r * 2]); s.push(withscores ? lpScore(e[r * 2 + 1]) : 0); }
      else { m.push(all!.m[r]); s.push(all!.s[r]); }
    }
  }
  return scoredReply(c, m, s, withscores);
}

/** A random element; a listpack score is parsed only when wanted (errno). */
function randomPair(c: Client, o: RObj, withScore: boolean): [string, number] {
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    const i = c.engine.random.int(e.length >> 1) * 2;
    lpVisit(i);
    return [e[i], withScore ? lpScore(e[i + 1]) : 0];
  }
  const de = (o.ptr as ZSet).dict.fairRandomEntry((n) => c.engine.random.int(n))!;
  return [de.key, de.val];
}

// ====================================================================== ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD

/** The members of a set object (intset or hashtable), read without command knowledge of t_set. */
function setMembers(o: RObj): string[] {
  const p = o.ptr as any;
  if (p instanceof Dict) return p.keys();
  // Intset (or any other set structure): try the usual shapes.
  // TODO(t_set): replace with the Intset API once src/engine/structures/intset.ts lands.
  if (typeof p?.toArray === 'function') return Array.from(p.toArray() as Iterable<unknown>, (v) => String(v));
  if (typeof p?.values === 'function') return Array.from(p.values() as Iterable<unknown>, (v) => String(v));
  if (p && typeof p[Symbol.iterator] === 'function') return Array.from(p as Iterable<unknown>, (v) => String(v));
  if (p instanceof Set) return Array.from(p as Set<unknown>, (v) => String(v));
  return [];
}

interface OpSrc { o: RObj | null; weight: number; len: number; lookup?: Map<string, number> }

function srcLength(o: RObj | null): number {
  if (!o) return 0;
  if (o.type === 'zset') return zsetLength(o);
  return setMembers(o).length;
}

/**
 * zuiNext's walk of an input: a sorted set from its last element to its first, reading each score as it
 * goes (a listpack score is parsed then: errno, see lpScore); a set in its own order, score 1.
 */
function srcIter(src: OpSrc): { n: number; member: (k: number) => string; score: (k: number) => number } {
  const o = src.o;
  if (!o) return { n: 0, member: () => '', score: () => 0 };
  if (o.type === 'zset' && o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    const n = e.length >> 1;
    return { n, member: (k) => e[(n - 1 - k) * 2], score: (k) => lpScore(e[(n - 1 - k) * 2 + 1]) };
  }
  if (o.type === 'zset') {
    const nodes: ZslNode[] = [];
    for (let x = (o.ptr as ZSet).zsl.tail; x; x = x.backward) nodes.push(x);
    return { n: nodes.length, member: (k) => nodes[k].member, score: (k) => nodes[k].score };
  }
  const ms = setMembers(o);
  return { n: ms.length, member: (k) => ms[k], score: () => 1 };
}

/**
 * zsetChooseDiffAlgorithm: 0 when an input is the first one again (nothing is left), else 1 (probe the
 * others for each element of the first) when half the first input's size times the inputs is at most
 * their total size, else 2 (add the first, remove the others).
 */
function zdiffAlgorithm(srcs: OpSrc[]): 0 | 1 | 2 {
  let one = 0, two = 0;
  for (let j = 0; j < srcs.length; j++) {
    if (j > 0 && srcs[0].o === srcs[j].o) return 0;
    one += srcs[0].len;
    two += srcs[j].len;
  }
  one = Math.floor(one / 2);
  return one <= two ? 1 : 2;
}

/** zuiFind: the score of member in src (1 for a set), or null. */
function srcFind(src: OpSrc, member: string): number | null {
  if (!src.o) return null;
  if (src.o.type === 'zset') return zsetScore(src.o, member);
  if (src.o.ptr instanceof Dict) return (src.o.ptr as Dict<unknown>).has(member) ? 1 : null;
  if (!src.lookup) {
    src.lookup = new Map();
    for (const m of setMembers(src.o)) src.lookup.set(m, 1);
  }
  steps.n++;
  return src.lookup.has(member) ? 1 : null;
}

type Agg = 'sum' | 'min' | 'max';
function aggregate(target: number, val: number, agg: Agg): number {
  if (agg === 'sum') { const r = target + val; return Number.isNaN(r) ? 0 : r; }
  if (agg === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

type SetOp = 'union' | 'inter' | 'diff';

function zsetOpGeneric(c: Client, argv: string[], numkeysIdx: number, dst: string | null, op: SetOp, cardinalityOnly: boolean): Reply {
  const nk = parseLong(argv[numkeysIdx]);
  if (nk === null) return R.E.notInt;
  if (nk < 1) return R.error(`ERR at least 1 input key is needed for '${argv[0].toLowerCase()}' command`);
  const numkeys = nk;
  if (numkeys > argv.length - numkeysIdx - 1) return R.E.syntax;
  const srcs: OpSrc[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < numkeys; i++, j++) {
    lpErrno.engine = c.engine;
    const o = c.db.lookupKeyRead(argv[j]); // 7.0.15 reads the inputs even for a STORE (keyspace hits/misses)
    if (o && o.type !== 'zset' && o.type !== 'set') return R.E.wrongType;
    srcs.push({ o, weight: 1, len: 0 });
  }
  let agg: Agg = 'sum';
  let withscores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining) {
    const a = argv[j];
    if (op !== 'diff' && !cardinalityOnly && remaining >= numkeys + 1 && eqi(a, 'weights')) {
      j++; remaining--;
      for (let i = 0; i < numkeys; i++, j++, remaining--) {
        noteStrtodErrno(c.engine, argv[j], true);
        const w = parseScore(argv[j]);
        if (w === null) return R.error('ERR weight value is not a float');
        srcs[i].weight = w;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && eqi(a, 'aggregate')) {
      j++; remaining--;
      const v = argv[j];
      if (eqi(v, 'sum')) agg = 'sum';
      else if (eqi(v, 'min')) agg = 'min';
      else if (eqi(v, 'max')) agg = 'max';
      else return R.E.syntax;
      j++; remaining--;
    } else if (remaining >= 1 && !dst && !cardinalityOnly && eqi(a, 'withscores')) {
      j++; remaining--;
      withscores = true;
    } else if (cardinalityOnly && remaining >= 2 && eqi(a, 'limit')) {
      j++; remaining--;
      const l = parseLong(argv[j]);
      if (l === null || l < 0) return R.error("ERR LIMIT can't be negative");
      limit = l;
      j++; remaining--;
    } else return R.E.syntax;
  }
  for (const s of srcs) s.len = srcLength(s.o);
  if (op !== 'diff') srcs.sort((a, b) => a.len - b.len); // stable: smallest input first

  const dstName = dst ?? '';
  const result = new ZSet(zrandom(c.engine), dstName);
  let maxelelen = 0;
  let cardinality = 0;
  if (op === 'inter') {
    if (srcs[0].len > 0) {
      const first = srcIter(srcs[0]);
      for (let k = 0; k < first.n; k++) {
        steps.n++;
        const member = first.member(k);
        const s0 = first.score(k);
        let score = srcs[0].weight * s0;
        if (Number.isNaN(score)) score = 0;
        let i = 1;
        for (; i < srcs.length; i++) {
          let v: number | null;
          if (srcs[i].o === srcs[0].o) v = s0;
          else v = srcFind(srcs[i], member);
          if (v === null) break;
          score = aggregate(score, v * srcs[i].weight, agg);
        }
        if (i !== srcs.length) continue;
        if (cardinalityOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else {
          result.zsl.insert(score, member);
          result.dict.add(member, score);
          if (member.length > maxelelen) maxelelen = member.length;
        }
      }
    }
  } else if (op === 'union') {
    const acc = new Dict<number>();
    acc.name = 'accumulator';
    for (const src of srcs) {
      if (src.len === 0) continue;
      const it = srcIter(src);
      for (let k = 0; k < it.n; k++) {
        steps.n++;
        const m = it.member(k);
        let score = src.weight * it.score(k);
        if (Number.isNaN(score)) score = 0;
        const de = acc.findEntry(m);
        if (!de) {
          acc.add(m, score);
          if (m.length > maxelelen) maxelelen = m.length;
        } else {
          de.val = aggregate(de.val, score, agg);
        }
      }
    }
    acc.forEach((m, s) => { result.zsl.insert(s, m); result.dict.add(m, s); });
  } else if (srcs[0].len > 0) {
    const algo = zdiffAlgorithm(srcs);
    if (algo === 1) {
      // Walk the first input, keep what no other input holds.
      const first = srcIter(srcs[0]);
      for (let k = 0; k < first.n; k++) {
        steps.n++;
        const member = first.member(k);
        const s0 = first.score(k);
        let found = false;
        for (let i = 1; i < srcs.length; i++) {
          if (srcs[i].o === srcs[0].o || srcFind(srcs[i], member) !== null) { found = true; break; }
        }
        if (found) continue;
        result.zsl.insert(s0, member);
        result.dict.add(member, s0);
        if (member.length > maxelelen) maxelelen = member.length;
      }
    } else if (algo === 2) {
      // Add the first input, remove every other input's members, until nothing is left.
      let card = 0;
      for (let j = 0; j < srcs.length && (j === 0 || card > 0); j++) {
        if (srcs[j].len === 0) continue;
        const it = srcIter(srcs[j]);
        for (let k = 0; k < it.n; k++) {
          steps.n++;
          const member = it.member(k);
          const sc = it.score(k);
          if (j === 0) {
            result.zsl.insert(sc, member);
            result.dict.add(member, sc);
            card++;
          } else {
            const de = result.dict.delete(member);
            if (de) { result.zsl.delete(de.val, member); card--; }
          }
          if (card === 0) break;
        }
      }
      for (const n of result.zsl.nodes()) if (n.member.length > maxelelen) maxelelen = n.member.length;
    }
  }

  if (cardinalityOnly) return R.int(cardinality);
  if (dst !== null) {
    const n = result.zsl.length;
    if (n) {
      const o = new RObj('zset', 'skiplist', result);
      zsetConvertToListpackIfNeeded(c, o, dst, maxelelen);
      c.db.setKey(dst, o);
      c.engine.notifyKeyspaceEvent(op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore', dst, c.db.id);
      c.engine.dirty++;
      return R.int(n);
    }
    if (c.db.delete(dst)) {
      c.engine.signalModifiedKey(c.db, dst);
      c.engine.notifyKeyspaceEvent('del', dst, c.db.id);
      c.engine.dirty++;
    }
    return R.ZERO;
  }
  const m: string[] = [], s: number[] = [];
  for (const n of result.zsl.nodes()) { steps.n++; m.push(n.member); s.push(n.score); }
  return scoredReply(c, m, s, withscores);
}

// ====================================================================== ZSCAN


function zscanCommand(c: Client, argv: string[]): Reply {
  noteStrtoulErrno(c.engine, argv[2]);
  const cur = parseScanCursor(argv[2]);
  if (cur === null) return R.error('ERR invalid cursor');
  const o = lookupZsetRead(c, argv[1]);
  if (isReply(o)) return o;
  // Redis looks the key up (shared.emptyscan) before it parses the options.
  if (o === null) return R.array([R.bulk('0'), R.EMPTY_ARRAY]);
  let count = 10;
  let pat: string | null = null;
  for (let i = 3; i < argv.length;) {
    const left = argv.length - i;
    if (eqi(argv[i], 'count') && left >= 2) {
      const v = parseLong(argv[i + 1]);
      if (v === null) return R.E.notInt;
      if (v < 1) return R.E.syntax;
      count = v;
      i += 2;
    } else if (eqi(argv[i], 'match') && left >= 2) {
      pat = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else return R.E.syntax;
  }
  const items: string[] = [];
  let cursor = 0;
  if (o.encoding === 'listpack') {
    const e = (o.ptr as Listpack).entries;
    for (let i = 0; i < e.length; i++) { steps.n++; items.push(e[i]); }
  } else {
    const d = (o.ptr as ZSet).dict;
    cursor = Number(cur & 0xffffffffn);
    let maxIterations = count * 10;
    const cb = (de: DictEntry<number>) => { items.push(de.key, formatDouble(de.val)); };
    do {
      cursor = d.scan(cursor, cb);
    } while (cursor && maxIterations-- && items.length < count);
  }
  const out: Reply[] = [];
  for (let i = 0; i < items.length; i += 2) {
    if (pat !== null && !stringMatch(pat, items[i])) continue;
    out.push(R.bulk(items[i]), R.bulk(items[i + 1]));
  }
  return R.array([R.bulk(String(cursor)), R.array(out)]);
}

// ====================================================================== the command table

export const zsetCommands: CommandDef[] = [
  { name: 'zadd', proc: (c, a) => zaddGeneric(c, a, false), complexity: 'O(log N)' },
  { name: 'zincrby', proc: (c, a) => zaddGeneric(c, a, true), complexity: 'O(log N)' },
  { name: 'zrem', proc: zremCommand, complexity: 'O(M log N)' },
  { name: 'zremrangebyrank', proc: (c, a) => zremrangeGeneric(c, a, 'rank'), complexity: 'O(log N + M)' },
  { name: 'zremrangebyscore', proc: (c, a) => zremrangeGeneric(c, a, 'score'), complexity: 'O(log N + M)' },
  { name: 'zremrangebylex', proc: (c, a) => zremrangeGeneric(c, a, 'lex'), complexity: 'O(log N + M)' },
  { name: 'zscore', proc: zscoreCommand, complexity: 'O(1)' },
  { name: 'zmscore', proc: zmscoreCommand, complexity: 'O(N)' },
  { name: 'zcard', proc: zcardCommand, complexity: 'O(1)' },
  { name: 'zrank', proc: (c, a) => zrankGeneric(c, a, false), complexity: 'O(log N)' },
  { name: 'zrevrank', proc: (c, a) => zrankGeneric(c, a, true), complexity: 'O(log N)' },
  { name: 'zcount', proc: (c, a) => zcountGeneric(c, a, false), complexity: 'O(log N)' },
  { name: 'zlexcount', proc: (c, a) => zcountGeneric(c, a, true), complexity: 'O(log N)' },
  { name: 'zrange', proc: (c, a) => zrangeGeneric(c, a, 1, null, null, null), complexity: 'O(log N + M)' },
  { name: 'zrangestore', proc: (c, a) => zrangeGeneric(c, a, 2, a[1], null, null), complexity: 'O(log N + M)' },
  { name: 'zrevrange', proc: (c, a) => zrangeGeneric(c, a, 1, null, 'rank', true), complexity: 'O(log N + M)' },
  { name: 'zrangebyscore', proc: (c, a) => zrangeGeneric(c, a, 1, null, 'score', false), complexity: 'O(log N + M)' },
  { name: 'zrevrangebyscore', proc: (c, a) => zrangeGeneric(c, a, 1, null, 'score', true), complexity: 'O(log N + M)' },
  { name: 'zrangebylex', proc: (c, a) => zrangeGeneric(c, a, 1, null, 'lex', false), complexity: 'O(log N + M)' },
  { name: 'zrevrangebylex', proc: (c, a) => zrangeGeneric(c, a, 1, null, 'lex', true), complexity: 'O(log N + M)' },
  { name: 'zpopmin', proc: (c, a) => zpopMinMax(c, a, false), complexity: 'O(M log N)' },
  { name: 'zpopmax', proc: (c, a) => zpopMinMax(c, a, true), complexity: 'O(M log N)' },
  { name: 'zmpop', proc: zmpopCommand, complexity: 'O(M log N)' },
  { name: 'zrandmember', proc: zrandmemberCommand, complexity: 'O(N)' },
  { name: 'zunionstore', proc: (c, a) => zsetOpGeneric(c, a, 2, a[1], 'union', false), complexity: 'O(N+M)' },
  { name: 'zinterstore', proc: (c, a) => zsetOpGeneric(c, a, 2, a[1], 'inter', false), complexity: 'O(N*M)' },
  { name: 'zdiffstore', proc: (c, a) => zsetOpGeneric(c, a, 2, a[1], 'diff', false), complexity: 'O(N+M)' },
  { name: 'zunion', proc: (c, a) => zsetOpGeneric(c, a, 1, null, 'union', false), complexity: 'O(N+M)' },
  { name: 'zinter', proc: (c, a) => zsetOpGeneric(c, a, 1, null, 'inter', false), complexity: 'O(N*M)' },
  { name: 'zdiff', proc: (c, a) => zsetOpGeneric(c, a, 1, null, 'diff', false), complexity: 'O(N+M)' },
  { name: 'zintercard', proc: (c, a) => zsetOpGeneric(c, a, 1, null, 'inter', true), complexity: 'O(N*M)' },
  { name: 'zscan', proc: zscanCommand, complexity: 'O(1)' },
];
