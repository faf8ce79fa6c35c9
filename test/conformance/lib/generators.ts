/**
 * The differential test's random command generator: a table of generators, one per command, over a
 * small key space (8 keys shared by every type, so types collide) and small value pools (words,
 * integers, floats, edge cases), with valid and invalid options. Only commands whose reply is
 * deterministic: no RANDOMKEY, SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, TIME, INFO, PTTL, blocking.
 *
 * To cover a new command: add an entry to GENERATORS. Replies that are sets (order not defined by
 * Redis: SMEMBERS, SINTER, KEYS ...) are marked `unordered` and compared after sorting.
 */

import type { Client } from '../../../src/engine/client';
import type { Reply } from '../../../src/engine/types';

/** A seeded PRNG (mulberry32): the same seed gives the same command sequence. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  /** 1..max picks. */
  some<T>(a: readonly T[], max: number): T[] {
    const n = 1 + this.int(max);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(a));
    return out;
  }
}

export const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'] as const;
export const VALUES = ['a', 'b', 'foo', '', '1', '-2', '10', '007', '1.5', '-0.5', '1e3', '9223372036854775807', 'ab\x00c', ' 1'];
export const MEMBERS = ['a', 'b', 'c', 'x', '1', '2', '-3', '10'];
export const FIELDS = ['f1', 'f2', 'f3', 'n', 'x'];
export const INTS = ['0', '1', '-1', '2', '5', '-3', '100', 'x', '1.5', '9223372036854775807', '-9223372036854775808'];
export const FLOATS = ['0', '1', '-1', '1.5', '0.1', '-2.25', '1e2', 'x', 'inf', '3.0e-1', '10.5'];
export const INDEXES = ['0', '1', '-1', '2', '-2', '3', '5', '-100', '100', 'x'];
export const SCORES = ['0', '1', '-1', '1.5', '2', '3', '10', '-inf', '+inf', '0.1', 'x', 'nan'];
export const SCORE_RANGES = ['-inf', '+inf', '0', '1', '(1', '2', '(0', '1.5', '(2', '10', 'x', '(x'];
export const LEX_RANGES = ['-', '+', '[a', '(b', '[1', '(c', '[x', 'c', '(', '['];
export const EXPIRES = ['100', '1000', '5000', '-1', '0', 'x'];
/** Edge values (strings/hashes, picked 1 time in 5): number-like text, float extremes, binary, encoding boundaries. */
export const EDGE_VALUES = ['0x10', '-0', '+1', '1 ', '1e308', '-1e308', 'inf', '-inf', '+inf', 'nan', '1.0', '.5', '5.',
  '9223372036854775808', '-9223372036854775808', '9999', '10000', '-1', '4.5e15', '\xff\xfe\x00', '\r\n', 'x'.repeat(44),
  'y'.repeat(45), 'z'.repeat(64), 'w'.repeat(65), '12345678901234567890', '01', '1e-320', '0.1'];
export const EDGE_INTS = ['9223372036854775808', '0x10', ' 1', '', '-0', '+5', '1e3', '4611686018427387904', '-9223372036854775807'];
export const EDGE_FLOATS = ['1e308', '-1e308', '-0', '+inf', '-inf', 'nan', '0x10', '1e-320', '5.0e3', '1.7976931348623157e308',
  '.5', '5.', '1e', '', ' 1', '4.5e15', '-1.5'];
/** List members, a few big enough (3000 bytes) that a quicklist node (8 kB) holds only two or three. */
export const LIST_MEMBERS = [...'abcx'.split(''), '1', '2', '-3', '10', '', 'L'.repeat(3000), 'M'.repeat(5000), 'z'.repeat(65)];
export const BIG_INDEXES = ['9223372036854775807', '-9223372036854775808', '2147483648', '-2147483649', '4294967296'];

export interface Generator {
  /** Lower-case command name; "container|sub" for a subcommand (checked against the engine's table). */
  name: string;
  family: 'string' | 'keys' | 'list' | 'hash' | 'set' | 'zset' | 'sort' | 'server' | 'multi' | 'pubsub';
  gen: (r: Rng) => string[];
  /** The reply is an unordered collection (compared after sorting; `nested`: the 2nd element of a 2-array). */
  unordered?: boolean | 'nested';
  /**
   * The command would not be deterministic in Redis in the current state (read from an engine client that
   * ran the same stream: skiplist levels, hash seed, random picks): it is sent to neither side.
   */
  skip?: (c: Client, argv: string[]) => boolean;
}

const k = (r: Rng) => r.pick(KEYS);
const v = (r: Rng) => (r.chance(0.2) ? r.pick(EDGE_VALUES) : r.pick(VALUES));
const int = (r: Rng) => (r.chance(0.15) ? r.pick(EDGE_INTS) : r.pick(INTS));
const flt = (r: Rng) => (r.chance(0.2) ? r.pick(EDGE_FLOATS) : r.pick(FLOATS));
const idx = (r: Rng) => (r.chance(0.1) ? r.pick(BIG_INDEXES) : r.pick(INDEXES));
const lm = (r: Rng) => (r.chance(0.3) ? r.pick(LIST_MEMBERS) : r.pick(MEMBERS));
const field = (r: Rng) => (r.chance(0.05) ? r.pick(['', 'F'.repeat(65), '\x00']) : r.pick(FIELDS));
/** Many fields at once (crosses hash-max-listpack-entries: 512 is the built-in default, redis.conf says 128). */
function manyFields(r: Rng): string[] {
  const n = r.pick([127, 128, 129, 511, 512, 513]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`g${i}`, String(i));
  return out;
}
const opt = (r: Rng, p: number, ...a: string[]) => (r.chance(p) ? a : []);
const oneOf = (r: Rng, ...choices: string[][]) => r.pick(choices);

function expireOpts(r: Rng): string[] {
  return oneOf(r, [], [], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX'], ['FOO']);
}

function zaddFlags(r: Rng): string[] {
  const f: string[] = [];
  if (r.chance(0.2)) f.push(r.pick(['NX', 'XX']));
  if (r.chance(0.15)) f.push(r.pick(['GT', 'LT']));
  if (r.chance(0.2)) f.push('CH');
  if (r.chance(0.1)) f.push('INCR');
  return f;
}

function pairs(r: Rng, max: number, a: () => string, b: () => string): string[] {
  const n = 1 + r.int(max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(a(), b());
  return out;
}

function numkeys(r: Rng): string[] {
  const keys = r.some(KEYS, 3);
  const n = r.chance(0.1) ? r.pick(['0', '-1', 'x', String(keys.length + 1)]) : String(keys.length);
  return [n, ...keys];
}

function limit(r: Rng): string[] {
  return opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1']), r.pick(['1', '2', '-1', '0', '5']));
}

// ---------------------------------------------------------------- zset / set / sort / server / multi / pubsub helpers

/** Scores: valid, edge (strtod accepts hex and inf spellings; overflow/underflow and spaces are errors). */
export const ZSCORES = ['0', '1', '-1', '1.5', '2', '3', '10', '-inf', '+inf', '0.1', 'x', 'nan', '1e308', '-1e308', '-0', '+0',
  '0x10', 'inf', 'Infinity', '-INF', '1e400', '1e-400', ' 1', '1 ', '', '5e-324', '.5', '1.', '+.5e1', '17179869184.5'];
export const ZRANGES = ['-inf', '+inf', '0', '1', '(1', '2', '(0', '1.5', '(2', '10', 'x', '(x', '(-inf', '(+inf', '(inf', 'inf',
  '-0', '(-0', '1e308', '(1e308', '0x1', '1e400', '(', '( 1', 'nan', '(nan', '3', '(3'];
export const ZLEX = ['-', '+', '[a', '(b', '[1', '(c', '[x', 'c', '(', '[', '[10', '(-3', '[\xff', '(a', '[b', '(x', '[ ', '-a', '+b'];
export const ZMEMBERS = ['a', 'b', 'c', 'x', '1', '2', '-3', '10', '', 'ab\x00c', '\xff', 'M'.repeat(65)];
/** Set members: integers of every intset width (16/32/64 bits) and strings that look like integers but are not. */
export const SMEMBERS_POOL = ['a', 'b', 'c', 'x', '1', '2', '-3', '10', '32767', '32768', '-32768', '-32769', '2147483647',
  '2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '+1', ' 1', '',
  'S'.repeat(70)];
/** What the streams' CONFIG SET may change (reset before each seed). */
export const DIFF_RESET_CONFIGS: [string, string][] = [
  ['set-max-intset-entries', '512'], ['zset-max-listpack-entries', '128'], ['zset-max-listpack-value', '64'],
  ['hash-max-listpack-entries', '512'], ['hash-max-listpack-value', '64'], ['list-max-listpack-size', '-2'],
];

const zm = (r: Rng) => r.pick(ZMEMBERS);
const sm = (r: Rng) => r.pick(SMEMBERS_POOL);
const zs = (r: Rng) => r.pick(ZSCORES);

/** Many members at once (crosses zset-max-listpack-entries 128 / set-max-intset-entries 512). */
function manyMembers(r: Rng, ints: boolean): string[] {
  const n = r.pick(ints ? [511, 512, 513, 3, 130] : [127, 128, 129, 5]);
  const base = r.pick([0, -40000, 2147483600, 100]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String(base + i));
  return out;
}

/** Side-effect-free look at a key of the client's db (no lazy expiry, no rehash step). */
interface PeekObj { type: string; encoding: string; ptr: any }
function peek(c: Client, key: string): PeekObj | undefined {
  let found: PeekObj | undefined;
  c.db.dict.forEach((k2, v2) => { if (k2 === key) found = v2 as unknown as PeekObj; });
  return found;
}

/** Lex ranges over a skiplist whose scores differ: the result depends on the random node levels. */
function lexUnsafe(c: Client, key: string): boolean {
  const o = peek(c, key);
  if (!o || o.type !== 'zset' || o.encoding !== 'skiplist') return false;
  if (c.multi) return true;
  let n = o.ptr.zsl.tail;
  const s0 = n?.score;
  while (n) { if (n.score !== s0) return true; n = n.backward; }
  return false;
}

/** Cardinality of a set / zset key (-1 when missing or another type). */
function card(c: Client, key: string, type: 'set' | 'zset'): number {
  const o = peek(c, key);
  if (!o || o.type !== type) return -1;
  if (o.encoding === 'listpack') return o.ptr.entries.length >> 1;
  if (o.encoding === 'skiplist') return o.ptr.zsl.length;
  if (o.encoding === 'intset') return o.ptr.length;
  return o.ptr.size();
}

/** A random-pick command (count argument at index 2) is deterministic only when it takes everything. */
function randomPickUnsafe(type: 'set' | 'zset') {
  return (c: Client, argv: string[]): boolean => {
    if (c.multi || c.isSubscribed()) return true;
    const n = card(c, argv[1], type);
    if (n <= 0) return false;
    if (argv.length < 3) return n > 1;
    if (!/^-?\d+$/.test(argv[2])) return false;
    const cnt = Number(argv[2]);
    if (cnt === 0) return false;
    return cnt < 0 ? n > 1 : cnt < n;
  };
}

/**
 * SORT over a hashtable set or a sorted set (SORT reads a zset from its dict): the input is in hash order, so
 * ties under BY (and a set's BY nosort) are not deterministic.
 */
function sortUnsafe(c: Client, argv: string[]): boolean {
  const o = peek(c, argv[1]);
  if (!o || (o.type !== 'set' && o.type !== 'zset')) return false;
  if (c.multi) return true;
  const up = argv.map((a) => a.toUpperCase());
  const by = up.indexOf('BY');
  const hasBy = by > 0 && by + 1 < argv.length;
  const nosort = hasBy && !argv[by + 1].includes('*');
  const store = up.includes('STORE');
  if (nosort) return o.type === 'set' && !store && o.encoding !== 'intset';
  return hasBy && o.encoding !== 'intset';
}

/** UNSUBSCRIBE / PUNSUBSCRIBE with no argument answers in the (hash seeded) dict order. */
function unsubUnsafe(c: Client, argv: string[]): boolean {
  if (argv.length > 1) return false;
  return (argv[0] === 'UNSUBSCRIBE' ? c.channels.size : c.patterns.size) > 1;
}

/** The expire time (ms) of a key in the client's db, -1 when none; no side effects. */
function peekExpire(c: Client, key: string): number {
  let when = -1;
  c.db.expires.forEach((k2, w) => { if (k2 === key) when = Number(w); });
  return when;
}

const nearHalfSecond = (ms: number) => Math.abs((((ms % 1000) + 1000) % 1000) - 500) < 25;

/**
 * TTL (and EXPIRETIME) round to whole seconds. The engine's clock and Redis's differ by a millisecond or
 * two, so near half a second (an absolute EXPIREAT for TTL, a relative EXPIRE for EXPIRETIME) they may
 * round apart: not deterministic.
 */
export function ttlUnsafe(c: Client, key: string, abs = false): boolean {
  const when = peekExpire(c, key);
  if (when < 0) return false;
  return nearHalfSecond(abs ? when : when - Date.now());
}

/**
 * DBSIZE counts a key whose time is past (SET k v EXAT 1) until it is deleted; Redis's active expiry
 * (10 times a second) may or may not have deleted it yet: not deterministic.
 */
export function dbsizeUnsafe(c: Client): boolean {
  let past = false;
  const now = Date.now() + 5;
  c.db.expires.forEach((_k, w) => { if (Number(w) <= now) past = true; });
  return past;
}

/** A key that is there (not missing, not logically expired) in the client's db. */
function present(c: Client, key: string): boolean {
  if (!peek(c, key)) return false;
  const when = peekExpire(c, key);
  return when < 0 || when > Date.now() + 5;
}

/**
 * A blocking list command answers at once unless every source key is missing (it would block): then it
 * is skipped. An invalid timeout or numkeys is an error at once, keys or not. `keys` picks the source keys.
 */
function blockUnsafe(keys: (argv: string[]) => string[], timeoutAt: (argv: string[]) => number) {
  return (c: Client, argv: string[]): boolean => {
    if (c.multi) return false; // inside MULTI a blocking command does not block
    const t = argv[timeoutAt(argv)] ?? '';
    if (!/^\d+(\.\d+)?$/.test(t)) return false;
    const ks = keys(argv);
    return ks.length > 0 && !ks.some((key) => present(c, key));
  };
}

/** HRANDFIELD is deterministic only when it takes the whole hash (count >= size) or nothing. */
function hrandUnsafe(c: Client, argv: string[]): boolean {
  if (c.multi || c.isSubscribed()) return true;
  const o = peek(c, argv[1]);
  if (!o || o.type !== 'hash') return false;
  const n = o.encoding === 'listpack' ? o.ptr.entries.length >> 1 : o.ptr.size();
  if (argv.length < 3) return n > 1;
  if (!/^-?\d+$/.test(argv[2])) return false;
  const cnt = Number(argv[2]);
  if (cnt === 0) return false;
  return cnt < 0 ? n > 1 : cnt < n;
}

/** SCAN/HSCAN from a cursor other than 0 (the cursor at index `at`): where it lands depends on the hash seed. */
function cursorUnsafe(at: number) {
  return (c: Client, argv: string[]): boolean => {
    if (c.multi) return true;
    const cur = argv[at] ?? '';
    if (!/^-?\d+$/.test(cur)) return false;
    const n = BigInt(cur); // strtoul: "-1" wraps to 2^64-1; above 2^64-1 is an error
    return n !== 0n && n <= 18446744073709551615n && n >= -18446744073709551615n;
  };
}

/** SSCAN/ZSCAN over a hashtable: the dict order depends on the hash seed. */
function scanUnsafe(c: Client, argv: string[]): boolean {
  const o = peek(c, argv[1]);
  return !!o && (o.encoding === 'hashtable' || o.encoding === 'skiplist' || !!c.multi);
}

/**
 * Every command, whichever generator made it: true when Redis's reply would not be deterministic in the
 * current state (read from a client that ran the same stream). Such a command is sent to neither side.
 */
export function nondeterministic(c: Client, argv: string[]): boolean {
  const name = argv[0].toLowerCase();
  const up = argv.map((a) => a.toUpperCase());
  switch (name) {
    case 'zrangebylex': case 'zrevrangebylex': case 'zlexcount': case 'zremrangebylex':
      return argv.length > 1 && lexUnsafe(c, argv[1]);
    case 'zrange': return up.includes('BYLEX') && argv.length > 1 && lexUnsafe(c, argv[1]);
    case 'zrangestore': return up.includes('BYLEX') && argv.length > 2 && lexUnsafe(c, argv[2]);
    case 'sort': case 'sort_ro': return argv.length > 1 && sortUnsafe(c, argv);
    case 'sscan': case 'zscan': case 'hscan': return argv.length > 1 && scanUnsafe(c, argv);
    case 'srandmember': case 'spop': return argv.length > 1 && randomPickUnsafe('set')(c, argv);
    case 'zrandmember': return argv.length > 1 && randomPickUnsafe('zset')(c, argv);
    case 'hrandfield': return argv.length > 1 && hrandUnsafe(c, argv);
    case 'scan': return cursorUnsafe(1)(c, argv);
    case 'unsubscribe': case 'punsubscribe': return unsubUnsafe(c, up);
    case 'publish': return c.patterns.size > 1;
    // The client id, the command table in dict order, the server's own state.
    case 'hello': return argv.length === 1 || argv[1] === '2' || argv[1] === '3';
    case 'command': return argv.length === 1 || up[1] === 'COUNT' || up[1] === 'LIST' || up[1] === 'DOCS';
    case 'client': return up[1] === 'ID' || up[1] === 'LIST' || up[1] === 'INFO';
    case 'info': case 'time': case 'lastsave': case 'randomkey': case 'debug': case 'memory': return true;
    default: return false;
  }
}

function sortArgs(r: Rng, ro: boolean): string[] {
  const a: string[] = [];
  if (r.chance(0.4)) a.push('BY', r.pick(['nosort', 'k*', 'k*->f1', 'k*->n', 'w*', '*', 'k*->', 'k*->f1->x', 'k']));
  if (r.chance(0.3)) a.push('LIMIT', r.pick(['0', '1', '2', '-1', 'x']), r.pick(['1', '2', '-1', '0', '5', '100']));
  for (let n = r.chance(0.4) ? 1 + r.int(3) : 0; n > 0; n--) a.push('GET', r.pick(['#', 'k*', 'k*->f1', 'k*->n', '*', 'nope*', '#x']));
  if (r.chance(0.3)) a.push(r.pick(['ASC', 'DESC']));
  if (r.chance(0.4)) a.push('ALPHA');
  if (!ro && r.chance(0.15)) a.push('STORE', r.pick(KEYS));
  if (r.chance(0.03)) a.push(r.pick(['FOO', 'LIMIT', 'BY', 'GET']));
  // options in any order, as Redis allows
  if (r.chance(0.3) && a.length > 2) { const x = a.splice(0, 2); a.push(...x); }
  return a;
}

const CONFIG_THRESHOLDS: [string, string[]][] = [
  ['zset-max-listpack-entries', ['0', '1', '2', '4', '128', 'x', '-1']],
  ['zset-max-listpack-value', ['0', '1', '3', '64', 'x']],
  ['set-max-intset-entries', ['0', '1', '2', '4', '512', 'x']],
  ['hash-max-listpack-entries', ['0', '1', '2', '4', '512', 'x', '-1']],
  ['hash-max-listpack-value', ['0', '1', '3', '64', 'x']],
  ['list-max-listpack-size', ['-1', '-2', '-5', '-6', '0', '1', '2', '3', 'x']],
];

function configSet(r: Rng, which: string[]): string[] {
  const t = CONFIG_THRESHOLDS.filter(([n]) => which.some((w) => n.startsWith(w)));
  const [name, vals] = r.pick(t);
  const a = ['CONFIG', 'SET', name, r.pick(vals)];
  if (r.chance(0.1)) a.push(r.pick(t)[0], '3');
  if (r.chance(0.03)) a.push('nosuch-param', '1');
  return a;
}

function zsetOpArgs(r: Rng, weights: boolean): string[] {
  const nk = numkeys(r);
  const a = [...nk];
  if (weights && r.chance(0.3)) a.push('WEIGHTS', ...nk.slice(1).map(() => r.pick(['1', '2', '-1', '0.5', 'x', '0', 'inf', '-inf', '1e308', 'nan'])));
  if (r.chance(0.3)) a.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'AVG', 'sum', 'max']));
  return a;
}

export const GENERATORS: Generator[] = [
  // ---------------------------------------------------------------- strings
  { name: 'get', family: 'string', gen: (r) => ['GET', k(r)] },
  {
    name: 'set', family: 'string', gen: (r) => ['SET', k(r), v(r),
      ...oneOf(r, [], [], [], ['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['XX', 'GET']),
      ...oneOf(r, [], [], [], ['EX', r.pick(EXPIRES)], ['PX', r.pick(['100000', '-5', 'x'])], ['EXAT', r.pick(['4102444800', '1'])],
        ['PXAT', '4102444800000'], ['KEEPTTL'], ['EX', '100', 'PX', '100'], ['EX'], ['BADOPT'])],
  },
  { name: 'setnx', family: 'string', gen: (r) => ['SETNX', k(r), v(r)] },
  { name: 'getset', family: 'string', gen: (r) => ['GETSET', k(r), v(r)] },
  { name: 'mget', family: 'string', gen: (r) => ['MGET', ...r.some(KEYS, 4)] },
  { name: 'mset', family: 'string', gen: (r) => ['MSET', ...pairs(r, 3, () => k(r), () => v(r))] },
  { name: 'msetnx', family: 'string', gen: (r) => ['MSETNX', ...pairs(r, 3, () => k(r), () => v(r))] },
  { name: 'append', family: 'string', gen: (r) => ['APPEND', k(r), v(r)] },
  { name: 'strlen', family: 'string', gen: (r) => ['STRLEN', k(r)] },
  { name: 'incr', family: 'string', gen: (r) => ['INCR', k(r)] },
  { name: 'decr', family: 'string', gen: (r) => ['DECR', k(r)] },
  { name: 'incrby', family: 'string', gen: (r) => ['INCRBY', k(r), int(r)] },
  { name: 'decrby', family: 'string', gen: (r) => ['DECRBY', k(r), int(r)] },
  { name: 'incrbyfloat', family: 'string', gen: (r) => ['INCRBYFLOAT', k(r), flt(r)] },
  { name: 'getrange', family: 'string', gen: (r) => ['GETRANGE', k(r), idx(r), idx(r)] },
  { name: 'substr', family: 'string', gen: (r) => ['SUBSTR', k(r), idx(r), idx(r)] },
  { name: 'setrange', family: 'string', gen: (r) => ['SETRANGE', k(r), r.pick(['0', '1', '3', '10', '-1', 'x', '44', '45', '536870912', '9223372036854775807']), v(r)] },
  { name: 'getdel', family: 'string', gen: (r) => ['GETDEL', k(r)] },
  { name: 'setex', family: 'string', gen: (r) => ['SETEX', k(r), r.pick(EXPIRES), v(r)] },
  { name: 'psetex', family: 'string', gen: (r) => ['PSETEX', k(r), r.pick(['100000', '0', '-1', 'x']), v(r)] },
  {
    name: 'getex', family: 'string', gen: (r) => ['GETEX', k(r),
      ...oneOf(r, [], ['PERSIST'], ['EX', r.pick(EXPIRES)], ['PX', '100000'], ['EXAT', '4102444800'], ['EX'], ['FOO'])],
  },
  { name: 'setbit', family: 'string', gen: (r) => ['SETBIT', k(r), r.pick(['0', '1', '7', '8', '15', '100', '-1', 'x', '4294967296', '-4294967296']), r.pick(['0', '1', '1', '2', 'x', ''])] },
  { name: 'getbit', family: 'string', gen: (r) => ['GETBIT', k(r), r.pick(['0', '1', '7', '8', '15', '100', '-1', 'x', '4294967296'])] },
  {
    name: 'bitcount', family: 'string', gen: (r) => ['BITCOUNT', k(r),
      ...oneOf(r, [], [idx(r), idx(r)], [idx(r), idx(r), r.pick(['BYTE', 'BIT', 'byte', 'bit', 'FOO'])], [idx(r)])],
  },
  {
    name: 'bitpos', family: 'string', gen: (r) => ['BITPOS', k(r), r.pick(['0', '1', '1', '2', 'x']),
      ...oneOf(r, [], [idx(r)], [idx(r), idx(r)], [idx(r), idx(r), r.pick(['BYTE', 'BIT', 'bit', 'FOO'])])],
  },
  {
    name: 'lcs', family: 'string', gen: (r) => ['LCS', k(r), k(r),
      ...oneOf(r, [], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', r.pick(['0', '1', '2', 'x'])], ['LEN', 'IDX'], ['FOO'])],
  },

  // ---------------------------------------------------------------- keys
  { name: 'del', family: 'keys', gen: (r) => ['DEL', ...r.some(KEYS, 3)] },
  { name: 'unlink', family: 'keys', gen: (r) => ['UNLINK', ...r.some(KEYS, 3)] },
  { name: 'exists', family: 'keys', gen: (r) => ['EXISTS', ...r.some(KEYS, 3)] },
  { name: 'touch', family: 'keys', gen: (r) => ['TOUCH', ...r.some(KEYS, 3)] },
  { name: 'type', family: 'keys', gen: (r) => ['TYPE', k(r)] },
  { name: 'rename', family: 'keys', gen: (r) => ['RENAME', k(r), k(r)] },
  { name: 'renamenx', family: 'keys', gen: (r) => ['RENAMENX', k(r), k(r)] },
  { name: 'expire', family: 'keys', gen: (r) => ['EXPIRE', k(r), r.chance(0.1) ? r.pick([...BIG_INDEXES, '9223372036854775', '9223372036854774']) : r.pick(EXPIRES), ...expireOpts(r)] },
  { name: 'pexpire', family: 'keys', gen: (r) => ['PEXPIRE', k(r), r.chance(0.1) ? r.pick(BIG_INDEXES) : r.pick(['100000', '2000000', '-1', '0', 'x']), ...expireOpts(r)] },
  { name: 'expireat', family: 'keys', gen: (r) => ['EXPIREAT', k(r), r.pick(['1', '4102444800', '4102444801', 'x', '9223372036854775807', '-1', '0']), ...expireOpts(r)] },
  { name: 'pexpireat', family: 'keys', gen: (r) => ['PEXPIREAT', k(r), r.pick(['1', '4102444800000', '4102444800123', 'x', '9223372036854775807', '-9223372036854775808']), ...expireOpts(r)] },
  { name: 'persist', family: 'keys', gen: (r) => ['PERSIST', k(r)] },
  { name: 'ttl', family: 'keys', skip: (c, a) => ttlUnsafe(c, a[1] ?? ''), gen: (r) => ['TTL', k(r)] },
  { name: 'dbsize', family: 'keys', skip: (c) => dbsizeUnsafe(c), gen: () => ['DBSIZE'] },
  { name: 'expiretime', family: 'keys', skip: (c, a) => ttlUnsafe(c, a[1] ?? '', true), gen: (r) => ['EXPIRETIME', k(r)] },
  { name: 'select', family: 'keys', gen: (r) => ['SELECT', r.chance(0.9) ? r.pick(['0', '0', '1', '2']) : r.pick(['16', '-1', 'x', '9223372036854775808'])] },
  { name: 'move', family: 'keys', gen: (r) => ['MOVE', k(r), r.chance(0.9) ? r.pick(['0', '1', '2']) : r.pick(['16', '-1', 'x'])] },
  { name: 'swapdb', family: 'keys', gen: (r) => ['SWAPDB', r.pick(['0', '1', '2', '0', '1', '16', 'x']), r.pick(['0', '1', '2', '1', '-1'])] },
  {
    name: 'copy', family: 'keys', gen: (r) => ['COPY', k(r), k(r), ...opt(r, 0.5, 'DB', r.pick(['0', '1', '2', '16', 'x'])), ...opt(r, 0.4, 'REPLACE'),
      ...opt(r, 0.05, r.pick(['FOO', 'DB']))],
  },
  {
    name: 'scan', family: 'keys', unordered: 'nested', skip: cursorUnsafe(1),
    gen: (r) => ['SCAN', r.chance(0.95) ? '0' : r.pick(['x', '-1', '18446744073709551616']), 'COUNT', r.pick(['1000', '1000', '0', 'x']),
      ...opt(r, 0.3, 'MATCH', r.pick(['*', 'k[0-3]', 'k?', '*1'])), ...opt(r, 0.3, 'TYPE', r.pick(['string', 'list', 'hash', 'set', 'zset', 'foo']))],
  },
  { name: 'object|refcount', family: 'keys', gen: (r) => ['OBJECT', 'REFCOUNT', k(r)] },
  { name: 'object|freq', family: 'keys', gen: (r) => ['OBJECT', 'FREQ', k(r)] },
  { name: 'keys', family: 'keys', gen: (r) => ['KEYS', r.pick(['*', 'k[0-3]', 'k?', '*1', 'x*', 'k[^2]*'])], unordered: true },
  { name: 'object|encoding', family: 'keys', gen: (r) => ['OBJECT', 'ENCODING', k(r)] },

  // ---------------------------------------------------------------- lists
  { name: 'lpush', family: 'list', gen: (r) => ['LPUSH', k(r), ...r.some(r.chance(0.3) ? LIST_MEMBERS : MEMBERS, 6)] },
  { name: 'rpush', family: 'list', gen: (r) => ['RPUSH', k(r), ...r.some(r.chance(0.3) ? LIST_MEMBERS : MEMBERS, 6)] },
  { name: 'lpushx', family: 'list', gen: (r) => ['LPUSHX', k(r), ...r.some(LIST_MEMBERS, 2)] },
  { name: 'rpushx', family: 'list', gen: (r) => ['RPUSHX', k(r), ...r.some(LIST_MEMBERS, 2)] },
  { name: 'lpop', family: 'list', gen: (r) => ['LPOP', k(r), ...opt(r, 0.4, r.pick(['0', '1', '2', '5', '-1', 'x', '9223372036854775807', '-9223372036854775808']))] },
  { name: 'rpop', family: 'list', gen: (r) => ['RPOP', k(r), ...opt(r, 0.4, r.pick(['0', '1', '2', '5', '-1', 'x', '9223372036854775807', '-9223372036854775808']))] },
  { name: 'llen', family: 'list', gen: (r) => ['LLEN', k(r)] },
  { name: 'lrange', family: 'list', gen: (r) => ['LRANGE', k(r), idx(r), idx(r)] },
  { name: 'lindex', family: 'list', gen: (r) => ['LINDEX', k(r), idx(r)] },
  { name: 'lset', family: 'list', gen: (r) => ['LSET', k(r), idx(r), lm(r)] },
  { name: 'linsert', family: 'list', gen: (r) => ['LINSERT', k(r), r.pick(['BEFORE', 'AFTER', 'after', 'MIDDLE']), lm(r), lm(r)] },
  { name: 'lrem', family: 'list', gen: (r) => ['LREM', k(r), r.pick(['0', '1', '-1', '2', '-2', 'x', '-9223372036854775808']), lm(r)] },
  { name: 'ltrim', family: 'list', gen: (r) => ['LTRIM', k(r), idx(r), idx(r)] },
  {
    name: 'lpos', family: 'list', gen: (r) => ['LPOS', k(r), lm(r),
      ...opt(r, 0.3, 'RANK', r.pick(['1', '-1', '2', '-2', '0', 'x', '-9223372036854775808', '9223372036854775807'])), ...opt(r, 0.3, 'COUNT', r.pick(['0', '1', '2', '-1'])),
      ...opt(r, 0.2, 'MAXLEN', r.pick(['0', '1', '3', '-1'])), ...opt(r, 0.05, r.pick(['FOO', 'RANK', 'COUNT']))],
  },
  { name: 'lmove', family: 'list', gen: (r) => ['LMOVE', k(r), k(r), r.pick(['LEFT', 'RIGHT', 'UP']), r.pick(['LEFT', 'RIGHT'])] },
  { name: 'rpoplpush', family: 'list', gen: (r) => ['RPOPLPUSH', k(r), k(r)] },
  { name: 'lmpop', family: 'list', gen: (r) => ['LMPOP', ...numkeys(r), r.pick(['LEFT', 'RIGHT', 'MIN', 'left']), ...opt(r, 0.4, 'COUNT', r.pick(['1', '2', '0', 'x', '-1', '9223372036854775807'])), ...opt(r, 0.03, 'COUNT', '1')] },

  // ---------------------------------------------------------------- hashes
  { name: 'hset', family: 'hash', gen: (r) => ['HSET', k(r), ...(r.chance(0.02) ? manyFields(r) : pairs(r, 3, () => field(r), () => v(r)))] },
  { name: 'hmset', family: 'hash', gen: (r) => ['HMSET', k(r), ...pairs(r, 2, () => field(r), () => v(r))] },
  { name: 'hsetnx', family: 'hash', gen: (r) => ['HSETNX', k(r), field(r), v(r)] },
  { name: 'hget', family: 'hash', gen: (r) => ['HGET', k(r), r.pick(FIELDS)] },
  { name: 'hmget', family: 'hash', gen: (r) => ['HMGET', k(r), ...r.some(FIELDS, 3)] },
  { name: 'hdel', family: 'hash', gen: (r) => ['HDEL', k(r), ...(r.chance(0.03) ? manyFields(r).filter((_, i) => i % 2 === 0) : r.some(FIELDS, 2))] },
  { name: 'hlen', family: 'hash', gen: (r) => ['HLEN', k(r)] },
  { name: 'hexists', family: 'hash', gen: (r) => ['HEXISTS', k(r), r.pick(FIELDS)] },
  // Unordered: a hashtable-encoded hash (more than 128 fields, or a value over 64 bytes) replies in dict order.
  { name: 'hkeys', family: 'hash', gen: (r) => ['HKEYS', k(r)], unordered: true },
  { name: 'hvals', family: 'hash', gen: (r) => ['HVALS', k(r)], unordered: true },
  { name: 'hgetall', family: 'hash', gen: (r) => ['HGETALL', k(r)], unordered: true },
  {
    name: 'hscan', family: 'hash', unordered: 'nested', skip: cursorUnsafe(2),
    gen: (r) => ['HSCAN', k(r), r.chance(0.95) ? '0' : r.pick(['x', '-1']), 'COUNT', r.pick(['1000', '1000', '0', 'x']),
      ...opt(r, 0.3, 'MATCH', r.pick(['*', 'f*', 'g1*', '?'])), ...opt(r, 0.05, 'NOVALUES')],
  },
  // The whole hash (count >= size) or nothing: deterministic apart from the order.
  { name: 'hrandfield', family: 'hash', unordered: true, skip: hrandUnsafe, gen: (r) => ['HRANDFIELD', k(r), ...oneOf(r, ['1000'], ['1000', 'WITHVALUES'], ['0'], ['0', 'WITHVALUES'], ['x'], ['1', 'FOO'], ['-9223372036854775808', 'WITHVALUES'])] },
  { name: 'hincrby', family: 'hash', gen: (r) => ['HINCRBY', k(r), field(r), int(r)] },
  { name: 'hincrbyfloat', family: 'hash', gen: (r) => ['HINCRBYFLOAT', k(r), field(r), flt(r)] },
  { name: 'config|set', family: 'hash', gen: (r) => configSet(r, ['hash']) },
  { name: 'config|set', family: 'list', gen: (r) => configSet(r, ['list']) },
  // Blocking pops, only where they answer at once (a source key is there; an error): see blockUnsafe.
  {
    name: 'blpop', family: 'list', skip: blockUnsafe((a) => a.slice(1, -1), (a) => a.length - 1),
    gen: (r) => [r.pick(['BLPOP', 'BRPOP']), ...r.some(KEYS, 3), r.pick(['0.01', '0.01', '0', 'x', '-1', '1e400'])],
  },
  {
    name: 'blmove', family: 'list', skip: blockUnsafe((a) => a.slice(1, 2), () => 5),
    gen: (r) => ['BLMOVE', k(r), k(r), r.pick(['LEFT', 'RIGHT', 'UP']), r.pick(['LEFT', 'RIGHT']), r.pick(['0.01', '0.01', 'x', '-1'])],
  },
  { name: 'brpoplpush', family: 'list', skip: blockUnsafe((a) => a.slice(1, 2), () => 3), gen: (r) => ['BRPOPLPUSH', k(r), k(r), r.pick(['0.01', '0.01', 'x', '-1'])] },
  {
    name: 'blmpop', family: 'list',
    skip: blockUnsafe((a) => (/^[1-9]\d*$/.test(a[2] ?? '') ? a.slice(3, 3 + Number(a[2])) : []), () => 1),
    gen: (r) => ['BLMPOP', r.pick(['0.01', '0.01', 'x', '-1']), ...numkeys(r), r.pick(['LEFT', 'RIGHT', 'MIN']), ...opt(r, 0.4, 'COUNT', r.pick(['1', '2', '0', 'x', '-1']))],
  },
  { name: 'hstrlen', family: 'hash', gen: (r) => ['HSTRLEN', k(r), r.pick(FIELDS)] },

  // ---------------------------------------------------------------- sets
  { name: 'sadd', family: 'set', gen: (r) => ['SADD', k(r), ...r.some(MEMBERS, 3)] },
  { name: 'srem', family: 'set', gen: (r) => ['SREM', k(r), ...r.some(MEMBERS, 2)] },
  { name: 'scard', family: 'set', gen: (r) => ['SCARD', k(r)] },
  { name: 'sismember', family: 'set', gen: (r) => ['SISMEMBER', k(r), r.pick(MEMBERS)] },
  { name: 'smismember', family: 'set', gen: (r) => ['SMISMEMBER', k(r), ...r.some(MEMBERS, 3)] },
  { name: 'smembers', family: 'set', gen: (r) => ['SMEMBERS', k(r)], unordered: true },
  { name: 'smove', family: 'set', gen: (r) => ['SMOVE', k(r), k(r), r.pick(MEMBERS)] },
  { name: 'sinter', family: 'set', gen: (r) => ['SINTER', ...r.some(KEYS, 3)], unordered: true },
  { name: 'sunion', family: 'set', gen: (r) => ['SUNION', ...r.some(KEYS, 3)], unordered: true },
  { name: 'sdiff', family: 'set', gen: (r) => ['SDIFF', ...r.some(KEYS, 3)], unordered: true },
  { name: 'sinterstore', family: 'set', gen: (r) => ['SINTERSTORE', k(r), ...r.some(KEYS, 3)] },
  { name: 'sunionstore', family: 'set', gen: (r) => ['SUNIONSTORE', k(r), ...r.some(KEYS, 3)] },
  { name: 'sdiffstore', family: 'set', gen: (r) => ['SDIFFSTORE', k(r), ...r.some(KEYS, 3)] },
  { name: 'sintercard', family: 'set', gen: (r) => ['SINTERCARD', ...numkeys(r), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1', 'x']))] },

  // ---------------------------------------------------------------- sorted sets
  { name: 'zadd', family: 'zset', gen: (r) => ['ZADD', k(r), ...zaddFlags(r), ...pairs(r, 3, () => r.pick(SCORES), () => r.pick(MEMBERS))] },
  { name: 'zrem', family: 'zset', gen: (r) => ['ZREM', k(r), ...r.some(MEMBERS, 2)] },
  { name: 'zcard', family: 'zset', gen: (r) => ['ZCARD', k(r)] },
  { name: 'zscore', family: 'zset', gen: (r) => ['ZSCORE', k(r), r.pick(MEMBERS)] },
  { name: 'zmscore', family: 'zset', gen: (r) => ['ZMSCORE', k(r), ...r.some(MEMBERS, 3)] },
  { name: 'zincrby', family: 'zset', gen: (r) => ['ZINCRBY', k(r), r.pick(SCORES), r.pick(MEMBERS)] },
  { name: 'zrank', family: 'zset', gen: (r) => ['ZRANK', k(r), r.pick(MEMBERS)] },
  { name: 'zrevrank', family: 'zset', gen: (r) => ['ZREVRANK', k(r), r.pick(MEMBERS)] },
  {
    name: 'zrange', family: 'zset', gen: (r) => {
      const by = r.pick(['', '', 'BYSCORE', 'BYLEX']);
      const range = by === 'BYSCORE' ? [r.pick(SCORE_RANGES), r.pick(SCORE_RANGES)] : by === 'BYLEX' ? [r.pick(LEX_RANGES), r.pick(LEX_RANGES)] : [r.pick(INDEXES), r.pick(INDEXES)];
      return ['ZRANGE', k(r), ...range, ...(by ? [by] : []), ...opt(r, 0.3, 'REV'), ...limit(r), ...opt(r, 0.4, 'WITHSCORES')];
    },
  },
  { name: 'zrangebyscore', family: 'zset', gen: (r) => ['ZRANGEBYSCORE', k(r), r.pick(SCORE_RANGES), r.pick(SCORE_RANGES), ...opt(r, 0.4, 'WITHSCORES'), ...limit(r)] },
  { name: 'zrevrangebyscore', family: 'zset', gen: (r) => ['ZREVRANGEBYSCORE', k(r), r.pick(SCORE_RANGES), r.pick(SCORE_RANGES), ...opt(r, 0.4, 'WITHSCORES'), ...limit(r)] },
  { name: 'zrangebylex', family: 'zset', gen: (r) => ['ZRANGEBYLEX', k(r), r.pick(LEX_RANGES), r.pick(LEX_RANGES), ...limit(r)] },
  { name: 'zrevrangebylex', family: 'zset', gen: (r) => ['ZREVRANGEBYLEX', k(r), r.pick(LEX_RANGES), r.pick(LEX_RANGES), ...limit(r)] },
  { name: 'zrevrange', family: 'zset', gen: (r) => ['ZREVRANGE', k(r), r.pick(INDEXES), r.pick(INDEXES), ...opt(r, 0.4, 'WITHSCORES')] },
  { name: 'zcount', family: 'zset', gen: (r) => ['ZCOUNT', k(r), r.pick(SCORE_RANGES), r.pick(SCORE_RANGES)] },
  { name: 'zlexcount', family: 'zset', gen: (r) => ['ZLEXCOUNT', k(r), r.pick(LEX_RANGES), r.pick(LEX_RANGES)] },
  { name: 'zremrangebyrank', family: 'zset', gen: (r) => ['ZREMRANGEBYRANK', k(r), r.pick(INDEXES), r.pick(INDEXES)] },
  { name: 'zremrangebyscore', family: 'zset', gen: (r) => ['ZREMRANGEBYSCORE', k(r), r.pick(SCORE_RANGES), r.pick(SCORE_RANGES)] },
  { name: 'zremrangebylex', family: 'zset', gen: (r) => ['ZREMRANGEBYLEX', k(r), r.pick(LEX_RANGES), r.pick(LEX_RANGES)] },
  { name: 'zpopmin', family: 'zset', gen: (r) => ['ZPOPMIN', k(r), ...opt(r, 0.4, r.pick(['0', '1', '2', '-1', 'x']))] },
  { name: 'zpopmax', family: 'zset', gen: (r) => ['ZPOPMAX', k(r), ...opt(r, 0.4, r.pick(['0', '1', '2', '-1', 'x']))] },
  {
    name: 'zunionstore', family: 'zset', gen: (r) => {
      const nk = numkeys(r);
      return ['ZUNIONSTORE', k(r), ...nk, ...opt(r, 0.3, 'WEIGHTS', ...nk.slice(1).map(() => r.pick(['1', '2', '-1', '0.5', 'x']))),
        ...opt(r, 0.3, 'AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'AVG']))];
    },
  },
  {
    name: 'zinterstore', family: 'zset', gen: (r) => {
      const nk = numkeys(r);
      return ['ZINTERSTORE', k(r), ...nk, ...opt(r, 0.3, 'WEIGHTS', ...nk.slice(1).map(() => r.pick(['1', '2', '-1', '0.5', 'x']))),
        ...opt(r, 0.3, 'AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'AVG']))];
    },
  },
  { name: 'zdiffstore', family: 'zset', gen: (r) => ['ZDIFFSTORE', k(r), ...numkeys(r)] },
  { name: 'zunion', family: 'zset', gen: (r) => ['ZUNION', ...numkeys(r), ...opt(r, 0.3, 'AGGREGATE', r.pick(['SUM', 'MIN', 'MAX'])), ...opt(r, 0.4, 'WITHSCORES')] },
  { name: 'zinter', family: 'zset', gen: (r) => ['ZINTER', ...numkeys(r), ...opt(r, 0.3, 'AGGREGATE', r.pick(['SUM', 'MIN', 'MAX'])), ...opt(r, 0.4, 'WITHSCORES')] },
  { name: 'zdiff', family: 'zset', gen: (r) => ['ZDIFF', ...numkeys(r), ...opt(r, 0.4, 'WITHSCORES')] },
  { name: 'zintercard', family: 'zset', gen: (r) => ['ZINTERCARD', ...numkeys(r), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '-1']))] },
  { name: 'zrangestore', family: 'zset', gen: (r) => ['ZRANGESTORE', k(r), k(r), r.pick(INDEXES), r.pick(INDEXES), ...opt(r, 0.2, 'REV')] },
  { name: 'zmpop', family: 'zset', gen: (r) => ['ZMPOP', ...numkeys(r), r.pick(['MIN', 'MAX', 'LEFT']), ...opt(r, 0.4, 'COUNT', r.pick(['1', '2', '0', 'x']))] },

  // ---------------------------------------------------------------- sort
  {
    name: 'sort', family: 'sort', gen: (r) => ['SORT', k(r), ...limit(r), ...opt(r, 0.3, r.pick(['ASC', 'DESC'])), ...opt(r, 0.5, 'ALPHA'),
      ...opt(r, 0.15, 'STORE', k(r))],
  },
  { name: 'sort_ro', family: 'sort', gen: (r) => ['SORT_RO', k(r), ...limit(r), ...opt(r, 0.3, 'DESC'), ...opt(r, 0.5, 'ALPHA')] },

  // ---------------------------------------------------------------- sorted sets: edge values, encodings, options
  { name: 'zadd', family: 'zset', gen: (r) => ['ZADD', k(r), ...zaddFlags(r), ...pairs(r, 4, () => zs(r), () => zm(r))] },
  { name: 'zadd', family: 'zset', gen: (r) => { const m = manyMembers(r, false); const a: string[] = []; for (const x of m) a.push(r.pick(['1', '2', x]), x); return ['ZADD', k(r), ...a]; } },
  { name: 'zincrby', family: 'zset', gen: (r) => ['ZINCRBY', k(r), zs(r), zm(r)] },
  { name: 'zrem', family: 'zset', gen: (r) => ['ZREM', k(r), ...r.some(ZMEMBERS, 3)] },
  { name: 'zscore', family: 'zset', gen: (r) => ['ZSCORE', k(r), zm(r)] },
  { name: 'zmscore', family: 'zset', gen: (r) => ['ZMSCORE', k(r), ...r.some(ZMEMBERS, 3)] },
  { name: 'zrank', family: 'zset', gen: (r) => [r.pick(['ZRANK', 'ZREVRANK']), k(r), zm(r)] },
  { name: 'object|encoding', family: 'zset', gen: (r) => ['OBJECT', 'ENCODING', k(r)] },
  { name: 'config|set', family: 'zset', gen: (r) => configSet(r, ['zset']) },
  {
    name: 'zrange', family: 'zset', skip: (c, a) => a.some((x) => x.toUpperCase() === 'BYLEX') && lexUnsafe(c, a[1]), gen: (r) => {
      const by = r.pick(['', 'BYSCORE', 'BYLEX', 'byscore']);
      const range = by === 'BYLEX' ? [r.pick(ZLEX), r.pick(ZLEX)] : by ? [r.pick(ZRANGES), r.pick(ZRANGES)] : [idx(r), idx(r)];
      const o: string[] = [...(by ? [by] : []), ...opt(r, 0.3, 'REV'), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1', 'x', '-5']), r.pick(['1', '2', '-1', '0', '-7', 'x'])), ...opt(r, 0.4, 'WITHSCORES')];
      if (r.chance(0.3)) o.reverse();
      return ['ZRANGE', k(r), ...range, ...o, ...opt(r, 0.02, 'FOO')];
    },
  },
  {
    name: 'zrangestore', family: 'zset', skip: (c, a) => a.some((x) => x.toUpperCase() === 'BYLEX') && lexUnsafe(c, a[2]), gen: (r) => {
      const by = r.pick(['', 'BYSCORE', 'BYLEX']);
      const range = by === 'BYLEX' ? [r.pick(ZLEX), r.pick(ZLEX)] : by ? [r.pick(ZRANGES), r.pick(ZRANGES)] : [idx(r), idx(r)];
      return ['ZRANGESTORE', k(r), k(r), ...range, ...(by ? [by] : []), ...opt(r, 0.3, 'REV'), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '-1']), r.pick(['1', '2', '-1', '0'])), ...opt(r, 0.05, 'WITHSCORES')];
    },
  },
  { name: 'zrangebyscore', family: 'zset', gen: (r) => [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), k(r), r.pick(ZRANGES), r.pick(ZRANGES), ...opt(r, 0.4, 'WITHSCORES'), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1', '-3']), r.pick(['1', '2', '-1', '0', '-5'])), ...opt(r, 0.02, 'LIMIT')] },
  { name: 'zrangebylex', family: 'zset', skip: (c, a) => lexUnsafe(c, a[1]), gen: (r) => [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), k(r), r.pick(ZLEX), r.pick(ZLEX), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1']), r.pick(['1', '2', '-1', '0', '-5'])), ...opt(r, 0.03, 'WITHSCORES')] },
  { name: 'zlexcount', family: 'zset', skip: (c, a) => lexUnsafe(c, a[1]), gen: (r) => ['ZLEXCOUNT', k(r), r.pick(ZLEX), r.pick(ZLEX)] },
  { name: 'zremrangebylex', family: 'zset', skip: (c, a) => lexUnsafe(c, a[1]), gen: (r) => ['ZREMRANGEBYLEX', k(r), r.pick(ZLEX), r.pick(ZLEX)] },
  { name: 'zcount', family: 'zset', gen: (r) => ['ZCOUNT', k(r), r.pick(ZRANGES), r.pick(ZRANGES)] },
  { name: 'zremrangebyscore', family: 'zset', gen: (r) => ['ZREMRANGEBYSCORE', k(r), r.pick(ZRANGES), r.pick(ZRANGES)] },
  { name: 'zremrangebyrank', family: 'zset', gen: (r) => ['ZREMRANGEBYRANK', k(r), idx(r), idx(r)] },
  { name: 'zpopmin', family: 'zset', gen: (r) => [r.pick(['ZPOPMIN', 'ZPOPMAX']), k(r), ...opt(r, 0.5, r.pick(['0', '1', '2', '-1', 'x', '100', '9223372036854775807', '-9223372036854775808']))] },
  { name: 'zunionstore', family: 'zset', gen: (r) => [r.pick(['ZUNIONSTORE', 'ZINTERSTORE']), k(r), ...zsetOpArgs(r, true)] },
  { name: 'zunion', family: 'zset', gen: (r) => [r.pick(['ZUNION', 'ZINTER']), ...zsetOpArgs(r, true), ...opt(r, 0.4, 'WITHSCORES')] },
  { name: 'zdiff', family: 'zset', gen: (r) => ['ZDIFF', ...numkeys(r), ...opt(r, 0.4, 'WITHSCORES'), ...opt(r, 0.05, 'AGGREGATE', 'SUM')] },
  { name: 'zdiffstore', family: 'zset', gen: (r) => ['ZDIFFSTORE', k(r), ...numkeys(r), ...opt(r, 0.05, 'WITHSCORES')] },
  { name: 'zintercard', family: 'zset', gen: (r) => ['ZINTERCARD', ...numkeys(r), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '-1', 'x', '2']))] },
  { name: 'zmpop', family: 'zset', gen: (r) => ['ZMPOP', ...numkeys(r), r.pick(['MIN', 'MAX', 'min', 'LEFT']), ...opt(r, 0.4, 'COUNT', r.pick(['1', '2', '0', 'x', '-1', '100'])), ...opt(r, 0.03, 'COUNT', '1')] },
  { name: 'zrandmember', family: 'zset', unordered: true, skip: randomPickUnsafe('zset'), gen: (r) => ['ZRANDMEMBER', k(r), ...opt(r, 0.8, r.pick(['0', '1', '-1', '5', '100', '-100', 'x'])), ...opt(r, 0.2, 'WITHSCORES')] },
  { name: 'zscan', family: 'zset', skip: scanUnsafe, gen: (r) => ['ZSCAN', k(r), r.pick(['0', '0', '1', 'x', '-1']), ...opt(r, 0.3, 'MATCH', r.pick(['*', 'a*', '1*'])), ...opt(r, 0.3, 'COUNT', r.pick(['1', '10', '0', 'x']))] },

  // ---------------------------------------------------------------- sets: intset widths, conversions
  { name: 'sadd', family: 'set', gen: (r) => ['SADD', k(r), ...r.some(SMEMBERS_POOL, 4)] },
  { name: 'sadd', family: 'set', gen: (r) => ['SADD', k(r), ...manyMembers(r, true)] },
  { name: 'srem', family: 'set', gen: (r) => ['SREM', k(r), ...r.some(SMEMBERS_POOL, 3)] },
  { name: 'sismember', family: 'set', gen: (r) => ['SISMEMBER', k(r), sm(r)] },
  { name: 'smismember', family: 'set', gen: (r) => ['SMISMEMBER', k(r), ...r.some(SMEMBERS_POOL, 3)] },
  { name: 'smove', family: 'set', gen: (r) => ['SMOVE', k(r), k(r), sm(r)] },
  { name: 'object|encoding', family: 'set', gen: (r) => ['OBJECT', 'ENCODING', k(r)] },
  { name: 'config|set', family: 'set', gen: (r) => configSet(r, ['set']) },
  { name: 'sinterstore', family: 'set', gen: (r) => [r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k(r), ...r.some(KEYS, 3)] },
  { name: 'sintercard', family: 'set', gen: (r) => ['SINTERCARD', ...numkeys(r), ...opt(r, 0.3, 'LIMIT', r.pick(['0', '1', '2', '-1', 'x'])), ...opt(r, 0.03, 'FOO')] },
  { name: 'srandmember', family: 'set', unordered: true, skip: randomPickUnsafe('set'), gen: (r) => ['SRANDMEMBER', k(r), ...opt(r, 0.8, r.pick(['0', '1', '-1', '5', '600', '-600', 'x']))] },
  { name: 'spop', family: 'set', unordered: true, skip: randomPickUnsafe('set'), gen: (r) => ['SPOP', k(r), ...opt(r, 0.7, r.pick(['0', '1', '5', '600', '-1', 'x']))] },
  { name: 'sscan', family: 'set', skip: scanUnsafe, gen: (r) => ['SSCAN', k(r), r.pick(['0', '0', '1', 'x']), ...opt(r, 0.3, 'MATCH', r.pick(['*', '1*', '3*'])), ...opt(r, 0.3, 'COUNT', r.pick(['1', '10', '0', 'x']))] },

  // ---------------------------------------------------------------- sort: BY / GET patterns over strings and hashes
  { name: 'sort', family: 'sort', skip: sortUnsafe, gen: (r) => ['SORT', k(r), ...sortArgs(r, false)] },
  { name: 'sort_ro', family: 'sort', skip: sortUnsafe, gen: (r) => ['SORT_RO', k(r), ...sortArgs(r, true)] },
  { name: 'hset', family: 'sort', gen: (r) => ['HSET', k(r), r.pick(['f1', 'n']), r.pick(['1', '2', '-3', 'a', '10', '1.5', ''])] },
  { name: 'set', family: 'sort', gen: (r) => ['SET', k(r), r.pick(['1', '2', '-3', 'a', '10', '1.5', '', '3e2'])] },
  { name: 'rpush', family: 'sort', gen: (r) => ['RPUSH', k(r), ...r.some(['1', '2', '-3', 'a', '10', '1.5', 'x', '0'], 4)] },
  { name: 'sadd', family: 'sort', gen: (r) => ['SADD', k(r), ...r.some(['1', '2', '-3', '10', '7', 'a', 'b'], 4)] },
  { name: 'zadd', family: 'sort', gen: (r) => ['ZADD', k(r), ...pairs(r, 3, () => r.pick(['1', '2', '0']), () => r.pick(['1', '2', '-3', 'a', '10']))] },

  // ---------------------------------------------------------------- server and connection
  { name: 'ping', family: 'server', gen: (r) => ['PING', ...opt(r, 0.4, v(r)), ...opt(r, 0.05, 'x')] },
  { name: 'echo', family: 'server', gen: (r) => ['ECHO', v(r), ...opt(r, 0.05, 'x')] },
  { name: 'select', family: 'server', gen: (r) => ['SELECT', r.pick(['0', '0', '1', '2', '15', '16', '-1', 'x', '1.0'])] },
  { name: 'swapdb', family: 'server', gen: (r) => ['SWAPDB', r.pick(['0', '1', '2', '16', 'x']), r.pick(['0', '1', '2', '-1'])] },
  { name: 'dbsize', family: 'server', gen: () => ['DBSIZE'] },
  { name: 'flushdb', family: 'server', gen: (r) => (r.chance(0.2) ? ['FLUSHDB', ...opt(r, 0.5, r.pick(['SYNC', 'ASYNC', 'x']))] : ['DBSIZE']) },
  { name: 'config|set', family: 'server', gen: (r) => configSet(r, ['zset', 'set']) },
  { name: 'config|get', family: 'server', unordered: true, gen: (r) => ['CONFIG', 'GET', r.pick(['zset-max-listpack-entries', 'set-max-intset-entries', 'zset-max-ziplist-entries', 'nosuch', 'zset-max-*', 'maxmemory', 'databases'])] },
  { name: 'object|encoding', family: 'server', gen: (r) => ['OBJECT', r.pick(['ENCODING', 'REFCOUNT', 'encoding', 'FREQ', 'NOSUCH']), k(r)] },
  { name: 'type', family: 'server', gen: (r) => ['TYPE', k(r)] },
  { name: 'client|setname', family: 'server', gen: (r) => ['CLIENT', 'SETNAME', r.pick(['n1', 'a b', '', 'x\n'])] },
  { name: 'client|getname', family: 'server', gen: () => ['CLIENT', 'GETNAME'] },
  { name: 'command|getkeys', family: 'server', gen: (r) => ['COMMAND', 'GETKEYS', ...r.pick([['SET', 'a', 'b'], ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['SORT', 'k', 'STORE', 'd'], ['PING'], ['NOSUCH', 'x'], ['ZADD', 'z'], []])] },
  { name: 'hello', family: 'server', gen: (r) => ['HELLO', r.pick(['4', '1', 'x', '0', '-1']), ...opt(r, 0.2, 'AUTH', 'default')] },
  { name: 'ping', family: 'server', gen: (r) => [r.pick(['NOSUCHCMD', 'ZADD', 'GET', 'ping', 'Ping'])] },

  // ---------------------------------------------------------------- transactions on one connection
  { name: 'multi', family: 'multi', gen: (r) => ['MULTI', ...opt(r, 0.03, 'x')] },
  { name: 'exec', family: 'multi', gen: (r) => ['EXEC', ...opt(r, 0.03, 'x')] },
  { name: 'discard', family: 'multi', gen: () => ['DISCARD'] },
  { name: 'watch', family: 'multi', gen: (r) => ['WATCH', ...r.some(KEYS, 2)] },
  { name: 'unwatch', family: 'multi', gen: () => ['UNWATCH'] },
  { name: 'exec', family: 'multi', gen: (r) => [r.pick(['SET', 'ZADD', 'SADD', 'GET', 'INCR']), k(r), ...(r.chance(0.5) ? [] : ['1', 'a'])] },

  // ---------------------------------------------------------------- pub/sub on one connection
  { name: 'subscribe', family: 'pubsub', gen: (r) => ['SUBSCRIBE', ...r.some(['c1', 'c2', 'c3'], 2)] },
  { name: 'unsubscribe', family: 'pubsub', skip: unsubUnsafe, gen: (r) => ['UNSUBSCRIBE', ...(r.chance(0.4) ? [] : r.some(['c1', 'c2', 'c4'], 2))] },
  { name: 'psubscribe', family: 'pubsub', gen: (r) => ['PSUBSCRIBE', ...r.some(['c*', 'x?', 'c[12]'], 2)] },
  { name: 'punsubscribe', family: 'pubsub', skip: unsubUnsafe, gen: (r) => ['PUNSUBSCRIBE', ...(r.chance(0.4) ? [] : r.some(['c*', 'x?', 'zz'], 2))] },
  { name: 'publish', family: 'pubsub', skip: (c, a) => c.patterns.size > 1, gen: (r) => ['PUBLISH', r.pick(['c1', 'c2', 'x1', 'zz']), v(r)] },
  { name: 'pubsub|numsub', family: 'pubsub', gen: (r) => ['PUBSUB', 'NUMSUB', ...r.some(['c1', 'c2', 'c3', 'x'], 2)] },
  { name: 'pubsub|numpat', family: 'pubsub', gen: () => ['PUBSUB', 'NUMPAT'] },
  { name: 'pubsub|channels', family: 'pubsub', unordered: true, gen: (r) => ['PUBSUB', 'CHANNELS', ...opt(r, 0.5, r.pick(['c*', '*', 'x']))] },
  { name: 'ping', family: 'pubsub', gen: (r) => ['PING', ...opt(r, 0.4, 'hi')] },
  { name: 'reset', family: 'pubsub', gen: (r) => (r.chance(0.3) ? ['RESET'] : ['GET', k(r)]) },
];

/** With a small probability, damage a command (drop the last argument, add junk, replace one). */
export function mutate(r: Rng, argv: string[]): string[] {
  const a = argv.slice();
  switch (r.int(3)) {
    case 0: if (a.length > 1) a.pop(); break;
    case 1: a.push(r.pick(['junk', '1', 'x', ''])); break;
    case 2: if (a.length > 1) a[1 + r.int(a.length - 1)] = r.pick(['x', '-1', '', '99999999999999999999']); break;
  }
  return a;
}
