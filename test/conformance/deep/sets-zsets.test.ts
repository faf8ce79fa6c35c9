/**
 * Deep differential fuzzer for sets, sorted sets and SORT: a seeded stream of commands is sent to the
 * engine and to a live redis-server 7.0 (started here on a free port) and the replies are compared
 * byte for byte, in RESP2 and in RESP3 (HELLO 3).
 *
 * Different from differential.test.ts (lib/generators.ts):
 * - a big member space: integers of every intset width (16/32/64 bit), thousands of words, binary
 *   members, members around zset-max-listpack-value (64 bytes), number-like strings; bulk adds of
 *   hundreds of members, so every encoding conversion happens (intset -> hashtable at
 *   set-max-intset-entries, listpack -> skiplist at zset-max-listpack-entries/value) and
 *   CONFIG SET of the thresholds mid-stream;
 * - OBJECT ENCODING of every key a write touched, after the write, and every DEEP_CHECK commands
 *   the whole keyspace (type, encoding, contents);
 * - random commands are not skipped: SPOP / SRANDMEMBER / ZRANDMEMBER replies are checked for shape,
 *   count, membership, distinctness and scores against Redis's own state, and after an SPOP the
 *   engine's set is rebuilt from Redis's (same members, same encoding);
 * - SSCAN / ZSCAN over a hash table are iterated to the end on both sides and the element sets
 *   compared; SORT whose order Redis leaves to the hash order is compared as unordered groups;
 * - wrong types, wrong arity and damaged arguments (options with a NUL byte: Redis reads them as C strings);
 * - MULTI/EXEC blocks, blocking pops that answer at once, DUMP (bytes) and RESTORE of Redis's payload
 *   (the load converts encodings by the current config);
 * - after every command INFO's keyspace_hits, keyspace_misses and rdb_changes_since_last_save (dirty),
 *   and the keyspace notifications it raised (notify-keyspace-events KEA).
 *
 * Skipped when redis-server is missing. Env: DEEP_SEEDS (default 3, or a list "7,42"), DEEP_LEN
 * (default 700 commands per seed and RESP version), DEEP_RESP ("2,3"), DEEP_CHECK (full check every N
 * commands, default 60), DEEP_KEEPGOING=1 (a mismatch ends the seed but the run goes on; all are
 * reported at the end), DEEP_RANDOM=0 (no SPOP/SRANDMEMBER/ZRANDMEMBER: the stream is then exactly
 * reproducible), DEEP_STATS=1 (how often each command was compared), DEEP_NOTIFY=0, REDIS_SERVER.
 *
 *   DEEP_SEEDS=40 DEEP_LEN=5000 DEEP_KEEPGOING=1 npx vitest run --project engine test/conformance/deep/sets-zsets.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine } from '../../../src/engine';
import type { Client } from '../../../src/engine/client';
import { encodeReply } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, RespConnection, type RedisServer } from '../lib/redis';
import { parseReply, serializeReply, escapeBytes, type RespValue } from '../lib/resp-reader';
import { Rng, nondeterministic } from '../lib/generators';

const SEEDS = parseSeeds(process.env.DEEP_SEEDS ?? '3');
const LEN = Number(process.env.DEEP_LEN ?? 700);
const RESPS = (process.env.DEEP_RESP ?? '2,3').split(',').map((x) => Number(x.trim()) as 2 | 3);
const CHECK = Number(process.env.DEEP_CHECK ?? 60);
const KEEPGOING = process.env.DEEP_KEEPGOING === '1';
const RANDOM = process.env.DEEP_RANDOM !== '0';
/**
 * Keyspace notifications compared (DEEP_NOTIFY=0: not): a subscriber on Redis's side; on the engine's, its
 * own subscriber, or, while Engine.notifyKeyspaceEvent is a stub, the events the commands raise.
 */
const NOTIFY = process.env.DEEP_NOTIFY !== '0';
/** DEEP_STATS=1: print how often each command was compared, and how often it was an error or empty. */
const STATS = process.env.DEEP_STATS === '1';
const coverage = new Map<string, { n: number; err: number; empty: number }>();
const bin = findRedisServer();

function parseSeeds(s: string): number[] {
  if (s.includes(',')) return s.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

// ====================================================================== pools

const SET_KEYS = ['s1', 's2', 's3', 's4'];
const ZSET_KEYS = ['z1', 'z2', 'z3', 'z4'];
const OTHER_KEYS = ['k', 'str', 'h', 'l1', 'missing'];
const ALL_KEYS = [...SET_KEYS, ...ZSET_KEYS, ...OTHER_KEYS];

const INT_EDGES = ['0', '1', '-1', '32767', '32768', '-32768', '-32769', '65535', '65536', '2147483647', '2147483648',
  '-2147483648', '-2147483649', '4294967296', '9223372036854775807', '-9223372036854775808', '9007199254740993',
  '-9007199254740993', '4611686018427387904', '1000000', '-1000000'];
const NUMLIKE = ['01', '+1', '-0', ' 1', '1 ', '1.0', '1e3', '0x10', '9223372036854775808', '-9223372036854775809', '00', '1.5'];
const BINARY = ['', '\x00', 'a\x00b', 'a\x00c', 'a', 'b', '\xff', '\xfe\xff', '\r\n', ' ', '\xc3\xa9', 'A', 'Z', 'z', 'a\x00'];

/** A seed's member profile: how often each kind of member comes up. */
interface Profile { int: number; word: number; num: number; bin: number; long: number; words: number; ints: number }

function profileFor(seed: number): Profile {
  switch (seed % 4) {
    case 0: return { int: 0.85, word: 0.1, num: 0.03, bin: 0.01, long: 0.01, words: 50, ints: 100 };
    case 1: return { int: 0.4, word: 0.35, num: 0.1, bin: 0.08, long: 0.07, words: 3000, ints: 1000 };
    case 2: return { int: 0.3, word: 0.5, num: 0.05, bin: 0.1, long: 0.05, words: 40, ints: 40 };
    default: return { int: 0.55, word: 0.2, num: 0.1, bin: 0.05, long: 0.1, words: 500, ints: 5000 };
  }
}

function bigInt64(r: Rng): string {
  const hi = BigInt(r.int(0x7fffffff)) << 32n;
  const v = hi | BigInt(r.int(0x100000000));
  return (r.chance(0.5) ? -v : v).toString();
}

function intMember(r: Rng, p: Profile): string {
  const x = r.next();
  if (x < 0.6) return String(r.int(p.ints) - (r.chance(0.2) ? Math.floor(p.ints / 2) : 0));
  if (x < 0.8) return r.pick(INT_EDGES);
  if (x < 0.9) return String(r.int(4000000000) - 2000000000);
  return bigInt64(r);
}

function longMember(r: Rng): string {
  const n = r.pick([60, 62, 63, 64, 65, 66, 70, 100, 200]);
  return r.pick(['L', 'M', 'x']).repeat(n - 1) + String.fromCharCode(97 + r.int(4));
}

function member(r: Rng, p: Profile): string {
  let x = r.next();
  if ((x -= p.int) < 0) return intMember(r, p);
  if ((x -= p.word) < 0) return 'm' + r.int(p.words);
  if ((x -= p.num) < 0) return r.pick(NUMLIKE);
  if ((x -= p.bin) < 0) return r.pick(BINARY);
  return longMember(r);
}

function members(r: Rng, p: Profile, max: number): string[] {
  const n = 1 + r.int(max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(member(r, p));
  return out;
}

/** Hundreds of members at once: around set-max-intset-entries (512) and zset-max-listpack-entries (128). */
function bulkMembers(r: Rng, p: Profile, zset: boolean): string[] {
  const n = r.pick(zset ? [30, 100, 127, 128, 129, 200, 400] : [100, 300, 510, 511, 512, 513, 600, 1000]);
  const out: string[] = [];
  const kind = r.int(4);
  const base = r.pick([0, -40000, 32700, 2147483000, -2147484000, 100]);
  for (let i = 0; i < n; i++) {
    if (kind === 0) out.push(String(base + i));
    else if (kind === 1) out.push(intMember(r, p));
    else if (kind === 2) out.push('m' + (zset ? r.int(Math.max(p.words, 600)) : i));
    else out.push(member(r, p));
  }
  if (!zset && r.chance(0.15)) out.splice(r.int(out.length), 0, r.pick(['x', 'm1', '01', longMember(r)]));
  return out;
}

const SCORE_EDGES = ['-0', '+0', '0.1', '0.2', '0.3', '1e20', '1e21', '1e22', '-1e20', '1e-7', '1.5e-7', '123456789012345678',
  '4503599627370496', '4503599627370495', '9007199254740993', '9007199254740992', '1.7976931348623157e308',
  '-1.7976931348623157e308', '5e-324', '2.2250738585072014e-308', '1e-310', 'inf', '-inf', '+inf', 'Infinity', '-infinity',
  'INF', 'nan', 'NaN', '0x10', '0X1p3', '1e400', '-1e400', '1e-400', ' 1', '1 ', '', 'abc', '1e', '1e+', '.5', '5.', '+.5',
  '-.5e-3', '3.0000000000000004', '0.30000000000000004', '100000000000000000000', '1e16', '1e17', '12345.678',
  '-12345678901234567890', '1e308', '-1e308', '0.1e1', '1\x00', '17179869184.5', '1e15', '999999999999999.9'];

/** The score edges ZADD accepts (getDoubleFromObject: no spaces, no NaN, no overflow or underflow to 0). */
const VALID_SCORE_EDGES = SCORE_EDGES.filter((x) => /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d{1,3})?$|^[+-]?inf(inity)?$|^0x/i.test(x) && !/e-?4\d\d/.test(x));

function score(r: Rng): string {
  const x = r.next();
  if (x < 0.45) return String(r.int(26) - 5);
  if (x < 0.6) return String((r.int(2000) - 1000) / 8);
  if (x < 0.7) {
    const v = (r.next() - 0.5) * Math.pow(10, r.int(44) - 22);
    return v.toPrecision(1 + r.int(17));
  }
  return r.pick(r.chance(0.85) ? VALID_SCORE_EDGES : SCORE_EDGES);
}

/** A score range bound: a score, exclusive or not, or an invalid one. */
function scoreBound(r: Rng): string {
  const x = r.next();
  if (x < 0.15) return r.pick(['-inf', '+inf', '-inf', '+inf', 'inf', '(-inf', '(+inf', '(inf', '-INF']);
  if (x < 0.2) return r.pick(['x', '(x', '', '(', 'nan', '(nan', ' 1', '( 1', '1e400', '(1e400', '0x10', '(0x10', '1 ', '((1', '[1']);
  const s = score(r);
  return r.chance(0.3) ? '(' + s : s;
}

function lexBound(r: Rng, p: Profile): string {
  const x = r.next();
  if (x < 0.25) return r.pick(['-', '+', '-', '+']);
  if (x < 0.3) return r.pick(['a', '', '-a', '+b', '[', '(', 'm1', '++', '--']);
  const m = r.chance(0.5) ? 'm' + r.int(Math.min(p.words, 60)) : member(r, p);
  return (r.chance(0.5) ? '[' : '(') + m;
}

const RANK_EDGES = ['0', '1', '2', '-1', '-2', '5', '10', '-10', '100', '-100', 'x', '9223372036854775807',
  '-9223372036854775808', '9223372036854775808', '1.5', ' 1', '', '127', '128', '-129', '511', '512'];
function rank(r: Rng): string {
  return r.chance(0.6) ? String(r.int(40) - 20) : r.pick(RANK_EDGES);
}

const COUNTS = ['0', '1', '2', '3', '5', '10', '-1', '-2', '-5', '-10', '100', '-100', '1000', 'x', '', '1.5',
  '9223372036854775807', '-9223372036854775808', '-9223372036854775807', '9223372036854775808'];

/** Counts for the random commands: no huge negative count (Redis would build a reply of that many elements). */
const RANDOM_COUNTS = COUNTS.filter((x) => x !== '-9223372036854775807');

const WEIGHT_VALUES = ['1', '2', '-1', '0', '0.5', '10', '1.5', '-3', 'inf', '-inf', 'nan', 'x', '1e308', '', ' 1', '1e400', '5e-324'];
const SORT_WEIGHTS = ['1', '2', '-1', '0', '10', '1.5', '-2.5', '', ' 3', '3 ', 'abc', 'inf', '-inf', 'nan', '1e400', '1e-320', '0x10',
  '7', '100', '1e3', 'b', 'a', 'A', '\xc3\xa9', 'a\x00b',
  // longer than hash-max-listpack-value: the hash becomes a hash table, its fields are strings (strtod, errno)
  ' '.repeat(70) + '5', '5' + '0'.repeat(70), '0.' + '0'.repeat(70) + '1', '1'.repeat(65)];

// ====================================================================== commands

type Mode =
  | { kind: 'exact' }
  | { kind: 'unordered' }
  /** SORT in hash order: groups of `size` elements (an element and its GETs) compared as a multiset. */
  | { kind: 'groups'; size: number }
  | { kind: 'random' }
  | { kind: 'scan' }
  /** MULTI, the queued commands (argv), EXEC (or DISCARD). */
  | { kind: 'multi'; cmds: string[][]; discard: boolean }
  /** DUMP key, then RESTORE dst with Redis's payload (the load converts encodings by the current config). */
  | { kind: 'dump'; dst: string };

interface Cmd { argv: string[]; mode?: Mode; store?: string }

const pickKey = (r: Rng, family: string[]): string => {
  const x = r.next();
  if (x < 0.8) return r.pick(family);
  if (x < 0.92) return r.pick(r.chance(0.5) ? SET_KEYS : ZSET_KEYS);
  return r.pick(OTHER_KEYS);
};
const sk = (r: Rng) => pickKey(r, SET_KEYS);
const zk = (r: Rng) => pickKey(r, ZSET_KEYS);
const anyKey = (r: Rng) => r.pick(ALL_KEYS);

function zaddFlags(r: Rng): string[] {
  const f: string[] = [];
  const n = r.chance(0.6) ? 0 : 1 + r.int(3);
  for (let i = 0; i < n; i++) f.push(r.pick(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR', 'nx', 'ch', 'Gt', 'incr']));
  return f;
}

function scorePairs(r: Rng, p: Profile, max: number): string[] {
  const out: string[] = [];
  const n = 1 + r.int(max);
  for (let i = 0; i < n; i++) out.push(score(r), member(r, p));
  return out;
}

function numkeysArgs(r: Rng, keys: string[]): string[] {
  const n = r.chance(0.08) ? r.pick(['0', '-1', 'x', String(keys.length + 1), '', '9223372036854775807']) : String(keys.length);
  return [n, ...keys];
}

function opKeys(r: Rng): string[] {
  const n = 1 + r.int(4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r.next();
    out.push(x < 0.55 ? r.pick(ZSET_KEYS) : x < 0.9 ? r.pick(SET_KEYS) : r.pick(OTHER_KEYS));
  }
  return out;
}

function limitArgs(r: Rng): string[] {
  return ['LIMIT', r.pick(['0', '0', '1', '2', '5', '-1', '-5', 'x', '100', '']), r.pick(['-1', '0', '1', '2', '3', '10', '-5', 'x', '9223372036854775807', '100'])];
}

function shuffle<T>(r: Rng, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) { const j = r.int(i + 1); const t = a[i]; a[i] = a[j]; a[j] = t; }
  return a;
}

/** ZRANGE / ZRANGESTORE options: BYSCORE / BYLEX / REV / LIMIT / WITHSCORES in any order, legal or not. */
function zrangeArgs(r: Rng, p: Profile, store: boolean): string[] {
  const mode = r.pick(['rank', 'rank', 'score', 'score', 'lex']);
  let min: string, max: string;
  const boundsOf = (m: string) => (m === 'rank' ? rank(r) : m === 'score' ? scoreBound(r) : lexBound(r, p));
  const bmode = r.chance(0.05) ? r.pick(['rank', 'score', 'lex']) : mode;
  min = boundsOf(bmode); max = boundsOf(bmode);
  if (r.chance(0.3)) { const t = min; min = max; max = t; }
  const groups: string[][] = [];
  if (mode === 'score') groups.push([r.pick(['BYSCORE', 'byscore'])]);
  if (mode === 'lex') groups.push([r.pick(['BYLEX', 'bylex'])]);
  if (r.chance(0.35)) groups.push(['REV']);
  if (r.chance(mode === 'rank' ? 0.08 : 0.4)) groups.push(limitArgs(r));
  if (r.chance(store ? 0.05 : mode === 'lex' ? 0.06 : 0.45)) groups.push(['WITHSCORES']);
  if (r.chance(0.03)) groups.push([r.pick(['BYSCORE', 'BYLEX', 'REV', 'LIMIT', 'FOO', 'WITHSCORES'])]);
  return [min, max, ...shuffle(r, groups).flat()];
}

function sortArgs(r: Rng, ro: boolean): string[] {
  const groups: string[][] = [];
  if (r.chance(0.45)) groups.push(['BY', r.pick(['w_*', 'w_*', 'h_*->f', 'h_*->g', 'nosort', 'w_*->', 'nope_*', '*', 'h_*->', 'w_*x', 'nosort\x00*'])]);
  if (r.chance(0.3)) groups.push(['LIMIT', r.pick(['0', '1', '2', '-1', '5', 'x', '100']), r.pick(['1', '2', '-1', '0', '5', '100', '3'])]);
  for (let n = r.chance(0.35) ? 1 + r.int(3) : 0; n > 0; n--) groups.push(['GET', r.pick(['#', 'w_*', 'h_*->f', 'h_*->g', 'nope_*', '#x', '*', 'h_*->'])]);
  if (r.chance(0.3)) groups.push([r.pick(['ASC', 'DESC', 'desc'])]);
  if (r.chance(0.45)) groups.push(['ALPHA']);
  if (!ro && r.chance(0.2)) groups.push(['STORE', r.pick(['l2', 'l2', 's1', 'z1', 'k'])]);
  if (r.chance(0.02)) groups.push([r.pick(['FOO', 'LIMIT', 'BY', 'GET', 'STORE'])]);
  return shuffle(r, groups).flat();
}

interface Gen { w: number; gen: (r: Rng, p: Profile) => Cmd }

const G: Gen[] = [
  // ---------------------------------------------------------------- sets
  { w: 10, gen: (r, p) => ({ argv: ['SADD', sk(r), ...members(r, p, 5)] }) },
  { w: 1.5, gen: (r, p) => ({ argv: ['SADD', sk(r), ...bulkMembers(r, p, false)] }) },
  { w: 5, gen: (r, p) => ({ argv: ['SREM', sk(r), ...members(r, p, 4)] }) },
  { w: 1, gen: (r, p) => ({ argv: ['SREM', sk(r), ...bulkMembers(r, p, false)] }) },
  { w: 3, gen: (r) => ({ argv: ['SCARD', sk(r)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['SISMEMBER', sk(r), member(r, p)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['SMISMEMBER', sk(r), ...members(r, p, 5)] }) },
  { w: 2, gen: (r) => ({ argv: ['SMEMBERS', sk(r)], mode: { kind: 'unordered' } }) },
  { w: 3, gen: (r, p) => ({ argv: ['SMOVE', sk(r), sk(r), member(r, p)] }) },
  { w: 2, gen: (r) => ({ argv: ['SINTER', ...r.some(SET_KEYS.concat('missing', 'z1'), 3)], mode: { kind: 'unordered' } }) },
  { w: 2, gen: (r) => ({ argv: ['SUNION', ...r.some(SET_KEYS.concat('missing', 'str'), 3)], mode: { kind: 'unordered' } }) },
  { w: 2, gen: (r) => ({ argv: ['SDIFF', ...r.some(SET_KEYS.concat('missing'), 4)], mode: { kind: 'unordered' } }) },
  { w: 2, gen: (r) => ({ argv: ['SINTERSTORE', sk(r), ...r.some(SET_KEYS.concat('missing'), 3)] }) },
  { w: 2, gen: (r) => ({ argv: ['SUNIONSTORE', sk(r), ...r.some(SET_KEYS.concat('missing'), 3)] }) },
  { w: 2, gen: (r) => ({ argv: ['SDIFFSTORE', sk(r), ...r.some(SET_KEYS.concat('missing'), 4)] }) },
  {
    w: 2, gen: (r) => ({
      argv: ['SINTERCARD', ...numkeysArgs(r, r.some(SET_KEYS.concat('missing', 'z1'), 3)),
        ...(r.chance(0.4) ? ['LIMIT', r.pick(['0', '1', '2', '5', '-1', 'x', '100', '9223372036854775807'])] : []),
        ...(r.chance(0.03) ? [r.pick(['LIMIT', 'FOO'])] : [])],
    }),
  },
  { w: 3, gen: (r) => ({ argv: ['SPOP', sk(r), ...(r.chance(0.6) ? [r.pick(COUNTS)] : [])], mode: { kind: 'random' } }) },
  { w: 3, gen: (r) => ({ argv: ['SRANDMEMBER', sk(r), ...(r.chance(0.7) ? [r.pick(RANDOM_COUNTS)] : [])], mode: { kind: 'random' } }) },
  {
    w: 3, gen: (r) => ({
      argv: ['SSCAN', sk(r), r.chance(0.85) ? '0' : r.pick(['x', '-1', '18446744073709551616', ' 1', '1', '0x0', '00']),
        ...shuffle(r, [r.chance(0.4) ? ['MATCH', r.pick(['*', '1*', 'm1*', '*5', '?', '[a-m]*', '-*', '*\x00*'])] : [],
          r.chance(0.4) ? ['COUNT', r.pick(['1', '5', '10', '100', '0', '-1', 'x', '1000'])] : []]).flat(),
        ...(r.chance(0.03) ? ['MATCH'] : [])],
      mode: { kind: 'scan' },
    }),
  },
  // ---------------------------------------------------------------- sorted sets
  { w: 10, gen: (r, p) => ({ argv: ['ZADD', zk(r), ...zaddFlags(r), ...scorePairs(r, p, 4)] }) },
  {
    w: 1.5, gen: (r, p) => {
      const ms = bulkMembers(r, p, true);
      const same = r.chance(0.4);
      const a: string[] = [];
      for (const m of ms) a.push(same ? '0' : r.chance(0.5) ? String(r.int(100)) : score(r).replace(/^(nan|NaN|x|abc|1e|1e\+| 1|1 |)$/, '7'), m);
      return { argv: ['ZADD', zk(r), ...(r.chance(0.1) ? [r.pick(['NX', 'XX', 'GT', 'LT', 'CH'])] : []), ...a] };
    },
  },
  { w: 4, gen: (r, p) => ({ argv: ['ZINCRBY', zk(r), score(r), member(r, p)] }) },
  { w: 5, gen: (r, p) => ({ argv: ['ZREM', zk(r), ...members(r, p, 4)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['ZSCORE', zk(r), member(r, p)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['ZMSCORE', zk(r), ...members(r, p, 5)] }) },
  { w: 2, gen: (r) => ({ argv: ['ZCARD', zk(r)] }) },
  { w: 3, gen: (r) => ({ argv: ['ZCOUNT', zk(r), scoreBound(r), scoreBound(r)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['ZLEXCOUNT', zk(r), lexBound(r, p), lexBound(r, p)] }) },
  { w: 3, gen: (r, p) => ({ argv: [r.pick(['ZRANK', 'ZREVRANK']), zk(r), member(r, p)] }) },
  { w: 10, gen: (r, p) => ({ argv: ['ZRANGE', zk(r), ...zrangeArgs(r, p, false)] }) },
  { w: 3, gen: (r, p) => ({ argv: ['ZRANGESTORE', zk(r), zk(r), ...zrangeArgs(r, p, true)] }) },
  { w: 2, gen: (r) => ({ argv: ['ZREVRANGE', zk(r), rank(r), rank(r), ...(r.chance(0.5) ? ['WITHSCORES'] : [])] }) },
  {
    w: 4, gen: (r) => ({
      argv: [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), zk(r), scoreBound(r), scoreBound(r),
        ...shuffle(r, [r.chance(0.45) ? ['WITHSCORES'] : [], r.chance(0.35) ? limitArgs(r) : []]).flat()],
    }),
  },
  {
    w: 3, gen: (r, p) => ({
      argv: [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), zk(r), lexBound(r, p), lexBound(r, p),
        ...(r.chance(0.35) ? limitArgs(r) : []), ...(r.chance(0.03) ? ['WITHSCORES'] : [])],
    }),
  },
  { w: 2, gen: (r) => ({ argv: ['ZREMRANGEBYRANK', zk(r), rank(r), rank(r)] }) },
  { w: 2, gen: (r) => ({ argv: ['ZREMRANGEBYSCORE', zk(r), scoreBound(r), scoreBound(r)] }) },
  { w: 2, gen: (r, p) => ({ argv: ['ZREMRANGEBYLEX', zk(r), lexBound(r, p), lexBound(r, p)] }) },
  { w: 3, gen: (r) => ({ argv: [r.pick(['ZPOPMIN', 'ZPOPMAX']), zk(r), ...(r.chance(0.5) ? [r.pick(COUNTS)] : [])] }) },
  {
    w: 3, gen: (r) => ({
      argv: ['ZMPOP', ...numkeysArgs(r, r.some(ZSET_KEYS.concat('missing', 's1'), 3)), r.pick(['MIN', 'MAX', 'min', 'max', 'LEFT']),
        ...(r.chance(0.5) ? ['COUNT', r.pick(COUNTS)] : []), ...(r.chance(0.03) ? [r.pick(['COUNT', 'FOO'])] : [])],
    }),
  },
  {
    w: 3, gen: (r) => ({
      argv: ['ZRANDMEMBER', zk(r), ...(r.chance(0.75) ? [r.pick(RANDOM_COUNTS)] : []), ...(r.chance(0.35) ? [r.pick(['WITHSCORES', 'withscores', 'FOO'])] : [])],
      mode: { kind: 'random' },
    }),
  },
  {
    w: 6, gen: (r) => {
      const cmd = r.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZINTERCARD']);
      const keys = opKeys(r);
      const a = [cmd];
      if (cmd.endsWith('STORE')) a.push(zk(r));
      a.push(...numkeysArgs(r, keys));
      const groups: string[][] = [];
      if (r.chance(cmd.startsWith('ZDIFF') || cmd === 'ZINTERCARD' ? 0.05 : 0.4)) {
        const n = r.chance(0.9) ? keys.length : keys.length + r.pick([-1, 1]);
        groups.push(['WEIGHTS', ...Array.from({ length: Math.max(0, n) }, () => r.pick(WEIGHT_VALUES))]);
      }
      if (r.chance(cmd.startsWith('ZDIFF') || cmd === 'ZINTERCARD' ? 0.05 : 0.4)) {
        groups.push(['AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'sum', 'min', 'max', 'AVG'])]);
      }
      if (r.chance(cmd.endsWith('STORE') || cmd === 'ZINTERCARD' ? 0.04 : 0.5)) groups.push(['WITHSCORES']);
      if (r.chance(cmd === 'ZINTERCARD' ? 0.4 : 0.03)) groups.push(['LIMIT', r.pick(['0', '1', '2', '5', '-1', 'x'])]);
      if (r.chance(0.02)) groups.push([r.pick(['WEIGHTS', 'AGGREGATE', 'FOO'])]);
      a.push(...shuffle(r, groups).flat());
      return { argv: a };
    },
  },
  {
    w: 3, gen: (r) => ({
      argv: ['ZSCAN', zk(r), r.chance(0.85) ? '0' : r.pick(['x', '-1', '18446744073709551616', ' 1', '1']),
        ...shuffle(r, [r.chance(0.4) ? ['MATCH', r.pick(['*', '1*', 'm1*', '*5', '?', '[a-m]*', 'L*'])] : [],
          r.chance(0.4) ? ['COUNT', r.pick(['1', '5', '10', '100', '0', '-1', 'x'])] : []]).flat()],
      mode: { kind: 'scan' },
    }),
  },
  // Blocking pops that answer at once (sent only when some key exists: see Runner.step).
  {
    w: 2, gen: (r) => {
      const keys = r.some(ZSET_KEYS.concat('missing', 's1'), 3);
      const t = r.pick(['0.01', '0.01', '0', '-1', 'x', '0.001', '1e5000', '', '1e400']);
      if (r.chance(0.6)) return { argv: [r.pick(['BZPOPMIN', 'BZPOPMAX']), ...keys, t] };
      return { argv: ['BZMPOP', t, ...numkeysArgs(r, keys), r.pick(['MIN', 'MAX', 'max', 'LEFT']), ...(r.chance(0.5) ? ['COUNT', r.pick(COUNTS)] : [])] };
    },
  },
  // ---------------------------------------------------------------- SORT and its helpers
  { w: 5, gen: (r) => ({ argv: ['SORT', r.pick([...SET_KEYS, ...ZSET_KEYS, 'l1', 'l1', 'missing', 'str', 'h']), ...sortArgs(r, false)] }) },
  { w: 2, gen: (r) => ({ argv: ['SORT_RO', r.pick([...SET_KEYS, ...ZSET_KEYS, 'l1', 'missing']), ...sortArgs(r, true)] }) },
  {
    w: 2, gen: (r, p) => {
      const a = ['MSET'];
      for (let n = 1 + r.int(20); n > 0; n--) a.push('w_' + member(r, p), r.pick(SORT_WEIGHTS));
      return { argv: a };
    },
  },
  { w: 1.5, gen: (r, p) => ({ argv: ['HSET', 'h_' + member(r, p), 'f', r.pick(SORT_WEIGHTS), ...(r.chance(0.5) ? ['g', r.pick(SORT_WEIGHTS)] : [])] }) },
  { w: 1.5, gen: (r, p) => ({ argv: ['RPUSH', r.pick(['l1', 'l1', 'k']), ...members(r, p, 6)] }) },
  {
    w: 1.5, gen: (r) => ({ argv: ['DUMP', r.pick([...SET_KEYS, ...ZSET_KEYS, ...SET_KEYS, ...ZSET_KEYS, 'l1', 'missing', 'k'])], mode: { kind: 'dump', dst: r.pick([...SET_KEYS, ...ZSET_KEYS, 'k']) } }),
  },
  // ---------------------------------------------------------------- keyspace, config
  { w: 1.5, gen: (r) => ({ argv: ['COPY', anyKey(r), anyKey(r), ...(r.chance(0.5) ? ['REPLACE'] : [])] }) },
  { w: 0.8, gen: (r) => ({ argv: ['DEL', anyKey(r)] }) },
  { w: 1, gen: (r) => ({ argv: ['TYPE', anyKey(r)] }) },
  { w: 0.5, gen: (r) => ({ argv: ['SET', r.pick(['k', 'str']), r.pick(['v', '1', '10'])] }) },
  { w: 0.5, gen: (r) => ({ argv: ['HSET', r.pick(['k', 'h']), 'f', '1'] }) },
  {
    w: 1.2, gen: (r) => {
      const [name, vals] = r.pick(THRESHOLDS);
      return { argv: ['CONFIG', 'SET', name, r.pick(vals)] };
    },
  },
];

const THRESHOLDS: [string, string[]][] = [
  ['set-max-intset-entries', ['0', '1', '2', '8', '64', '512', '512', '512', '1000', 'x', '-1']],
  ['zset-max-listpack-entries', ['0', '1', '4', '16', '128', '128', '128', '500', 'x']],
  ['zset-max-listpack-value', ['0', '1', '8', '64', '64', '64', '65', '70', '200', 'x']],
];
const RESET_CONFIG = ['CONFIG', 'SET', 'set-max-intset-entries', '512', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64'];

const WEIGHT_SUM = G.reduce((s, g) => s + g.w, 0);

/** Commands whose reply is deterministic whatever the state (no hash order, no skiplist levels): for MULTI. */
const TX_SAFE = new Set(['sadd', 'srem', 'scard', 'sismember', 'smismember', 'smove', 'sinterstore', 'sunionstore', 'sdiffstore',
  'sintercard', 'zadd', 'zincrby', 'zrem', 'zscore', 'zmscore', 'zcard', 'zcount', 'zrank', 'zrevrank', 'zrevrange',
  'zrangebyscore', 'zrevrangebyscore', 'zremrangebyrank', 'zremrangebyscore', 'zpopmin', 'zpopmax', 'zmpop', 'zunionstore',
  'zinterstore', 'zdiffstore', 'zunion', 'zinter', 'zdiff', 'zintercard', 'config', 'copy', 'del', 'type', 'bzpopmin',
  'bzpopmax', 'bzmpop', 'rpush', 'mset', 'hset', 'set']);

function generate(r: Rng, p: Profile): Cmd {
  if (r.chance(0.025)) {
    const cmds: string[][] = [];
    for (let n = 1 + r.int(5); n > 0;) {
      const c = generateOne(r, p);
      const name = c.argv[0].toLowerCase();
      const lex = name.includes('lex') || c.argv.some((a) => a.split('\x00')[0].toUpperCase() === 'BYLEX');
      if ((TX_SAFE.has(name) || (name.startsWith('zrange') && !lex)) && !c.mode) { cmds.push(c.argv); n--; }
    }
    return { argv: ['MULTI'], mode: { kind: 'multi', cmds, discard: r.chance(0.1) } };
  }
  return generateOne(r, p);
}

function generateOne(r: Rng, p: Profile): Cmd {
  let x = r.next() * WEIGHT_SUM;
  let g = G[G.length - 1];
  for (const cand of G) { if ((x -= cand.w) < 0) { g = cand; break; } }
  const cmd = g.gen(r, p);
  if (r.chance(0.04)) {
    // Damage: wrong arity or a junk argument.
    const a = cmd.argv.slice();
    switch (r.int(4)) {
      case 3: {
        // An option read as a C string: "WITHSCORES\0junk" is WITHSCORES.
        const at = a.findIndex((x, i) => i >= 2 && /^[A-Za-z]{2,}$/.test(x) && r.chance(0.5));
        if (at > 0) a[at] += r.pick(['\x00', '\x00junk', '\x00\x00']);
        break;
      }
      case 0: a.length = 1 + r.int(Math.max(1, a.length - 1)); break;
      case 1: a.push(r.pick(['junk', '1', 'x', '', 'WITHSCORES', 'LIMIT'])); break;
      case 2: if (a.length > 1) a[1 + r.int(a.length - 1)] = r.pick(['x', '-1', '', '99999999999999999999', 'missing']); break;
    }
    cmd.argv = a;
  }
  return cmd;
}

// ====================================================================== engine-side looks (no side effects)

interface PeekObj { type: string; encoding: string; ptr: any }
function peek(c: Client, key: string): PeekObj | undefined {
  let found: PeekObj | undefined;
  c.db.dict.forEach((k2, v2) => { if (k2 === key) found = v2 as unknown as PeekObj; });
  return found;
}

function cardOf(o: PeekObj | undefined): number {
  if (!o) return 0;
  if (o.type === 'set') return o.encoding === 'intset' ? o.ptr.length : o.ptr.size();
  if (o.type === 'zset') return o.encoding === 'listpack' ? o.ptr.entries.length >> 1 : o.ptr.zsl.length;
  return 0;
}

/** Set members (engine state). */
function setMembersOf(o: PeekObj): string[] {
  if (o.encoding === 'intset') return (o.ptr.toArray() as unknown[]).map(String);
  return o.ptr.keys() as string[];
}

const WRITES = new Set(['restore', 'bzpopmin', 'bzpopmax', 'bzmpop', 'exec', 'sadd', 'srem', 'smove', 'spop', 'sinterstore', 'sunionstore', 'sdiffstore', 'zadd', 'zincrby', 'zrem',
  'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex', 'zpopmin', 'zpopmax', 'zmpop', 'zrangestore', 'zunionstore',
  'zinterstore', 'zdiffstore', 'sort', 'copy', 'del', 'set', 'hset', 'rpush', 'mset']);

/**
 * How a SORT reply can be compared. SORT reads a hash table set or a sorted set in hash order (its dict);
 * the output order is then Redis's own only where the comparison is a total order.
 */
function sortMode(c: Client, argv: string[]): Mode | 'skip' {
  const o = peek(c, argv[1]);
  const up = argv.map((a) => a.split('\x00')[0].toUpperCase()); // options are C strings
  let by: string | null = null, alpha = false, store = false, limit = false, gets = 0, dontsort = false;
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    if (up[j] === 'BY' && left >= 1) {
      // A pattern without '*' (before a NUL) means "don't sort", and a later BY does not undo it.
      by = argv[++j];
      const star = by.indexOf('*'), nul = by.indexOf('\x00');
      if (star < 0 || (nul >= 0 && star > nul)) dontsort = true;
    }
    else if (up[j] === 'LIMIT' && left >= 2) { limit = true; j += 2; }
    else if (up[j] === 'GET' && left >= 1) { gets++; j++; }
    else if (up[j] === 'STORE' && left >= 1) { store = argv[0].toUpperCase() === 'SORT'; j++; }
    else if (up[j] === 'ALPHA') alpha = true;
  }
  if (!o || (o.type !== 'set' && o.type !== 'zset')) return { kind: 'exact' };
  if (o.type === 'set' && o.encoding === 'intset') return { kind: 'exact' };
  const els = o.type === 'set' ? setMembersOf(o)
    : o.encoding === 'listpack' ? (o.ptr.entries as string[]).filter((_, i) => i % 2 === 0) : (o.ptr.dict.keys() as string[]);
  const nul = els.some((m) => m.includes('\x00'));
  let unsafe: boolean;
  if (dontsort) unsafe = o.type === 'set' && !store;
  else if (!alpha) unsafe = false; // ties compare the elements: a total order
  else if (by !== null) unsafe = true; // equal (or missing) weights tie
  else unsafe = nul && !store; // strcoll stops at a NUL
  if (!unsafe) return { kind: 'exact' };
  if (store) return 'skip';
  if (limit) return 'skip';
  return { kind: 'groups', size: Math.max(1, gets) };
}

// ====================================================================== comparison helpers

function cmpStr(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** An unordered reply: its elements sorted (groups of `size` kept together). */
function canonical(raw: string, size = 1): string {
  try {
    const v = parseReply(raw);
    if (!('items' in v) || !v.items) return raw;
    const groups: string[] = [];
    for (let i = 0; i < v.items.length; i += size) groups.push(v.items.slice(i, i + size).map(serializeReply).join(''));
    groups.sort(cmpStr);
    return v.type + v.items.length + '\r\n' + groups.join('');
  } catch {
    return raw;
  }
}

function show(argv: string[]): string {
  const s = argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : '"' + escapeBytes(a) + '"')).join(' ');
  return s.length > 300 ? s.slice(0, 300) + `... (${argv.length} args)` : s;
}

/** Where two long replies first differ (the replies above are cut at 600 bytes). */
function firstDiff(a: string, b: string): string {
  if (a === b || (a.length <= 600 && b.length <= 600)) return '';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `\n  first difference at byte ${i}:\n    redis:  ...${escapeBytes(a.slice(from, i + 120))}\n    engine: ...${escapeBytes(b.slice(from, i + 120))}`;
}

function clip(s: string): string { return s.length > 600 ? s.slice(0, 600) + `... (${s.length} bytes)` : s; }

function bulkItems(v: RespValue): (string | null)[] {
  if (!('items' in v) || !v.items) return [];
  return v.items.map((x) => ('bulk' in x ? x.bulk : 'line' in x ? x.line : null));
}

// ====================================================================== the run

interface Mismatch { seed: number; resp: number; step: number; argv: string[]; expected: string; actual: string; note: string; history: string[] }

class Runner {
  engine: ReturnType<typeof createEngine>;
  c: Client;
  history: string[] = [];
  compared = 0;
  /** Keyspace notifications: a subscribed connection on each side, and a marker published after each command. */
  sub: RespConnection | null = null;
  subClient: Client | null = null;
  pushed: string[] = [];
  marker = 0;
  dirtyBase = 0;
  /** Decides the WATCH probes (its own stream: the commands stay the same). */
  probe: Rng;
  constructor(private conn: RespConnection, private resp: 2 | 3, engineSeed: number) {
    this.engine = createEngine({ seed: engineSeed });
    this.c = this.engine.defaultClient;
    this.probe = new Rng(engineSeed * 31 + resp);
  }

  /** Subscribe both sides to every keyspace event (before the stream: a new client resets errno). */
  async startNotify(port: number): Promise<void> {
    await this.conn.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    this.c.exec(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    this.sub = await RespConnection.connect(port);
    await this.sub.call(['PSUBSCRIBE', '__key*__:*']);
    await this.sub.call(['SUBSCRIBE', 'deep-marker']);
    this.subClient = this.engine.createClient();
    const sc = this.subClient;
    sc.onPush = (r) => { this.pushed.push(encodeReply(r, sc.resp)); };
    this.engine.execFor(sc, ['PSUBSCRIBE', '__key*__:*']);
    this.engine.execFor(sc, ['SUBSCRIBE', 'deep-marker']);
    this.pushed = [];
    // The engine does not publish keyspace notifications yet: record the commands' notifyKeyspaceEvent calls
    // and write them as Redis would deliver them (KEA: every class), so the events themselves are compared.
    if (String(this.engine.notifyKeyspaceEvent).replace(/\s/g, '').endsWith('{}')) {
      const pm = (ch: string, msg: string) => encodeReply({ t: 'array', v: ['pmessage', '__key*__:*', ch, msg].map((v) => ({ t: 'bulk', v })) } as never, 2);
      this.engine.notifyKeyspaceEvent = (event: string, key: string, dbid: number) => {
        this.pushed.push(pm(`__keyspace@${dbid}__:${key}`, event), pm(`__keyevent@${dbid}__:${event}`, key));
      };
    }
  }

  /** The keyspace notifications since the last marker, on both sides. */
  async notifications(): Promise<string | null> {
    if (!this.sub || !this.subClient) return null;
    const m = String(++this.marker);
    await this.conn.call(['PUBLISH', 'deep-marker', m]);
    this.c.exec(['PUBLISH', 'deep-marker', m]);
    const end = encodeReply({ t: 'push', v: [{ t: 'bulk', v: 'message' }, { t: 'bulk', v: 'deep-marker' }, { t: 'bulk', v: m }] } as never, 2);
    let exp = '';
    for (;;) {
      const r = await this.sub.read(5000);
      if (r.status !== 'ok') return `notifications: subscriber ${r.status}`;
      if (r.raw === end) break;
      exp += r.raw;
    }
    const all = this.pushed.join('');
    this.pushed = [];
    const act = all.endsWith(end) ? all.slice(0, -end.length) : all + ' (no marker)';
    const short = (x: string) => clip(escapeBytes(x.replace(/\*4\r\n\$8\r\npmessage\r\n\$10\r\n__key\*__:\*\r\n/g, ' | ')));
    if (exp !== act) return `keyspace notifications differ\n  redis:  ${short(exp)}\n  engine: ${short(act)}`;
    return null;
  }

  /** INFO's keyspace_hits, keyspace_misses and rdb_changes_since_last_save (from the seed's baseline). */
  async stats(): Promise<string | null> {
    const pick = (raw: string) => {
      const f = (n: string) => Number(new RegExp(`${n}:(\\d+)`).exec(raw)?.[1] ?? -1);
      return [f('keyspace_hits'), f('keyspace_misses'), f('rdb_changes_since_last_save')];
    };
    const e = pick(await this.conn.call(['INFO', 'stats', 'persistence']));
    const a = pick(this.eng(['INFO', 'stats', 'persistence']));
    e[2] -= this.dirtyBase;
    if (e.join() !== a.join()) {
      return `INFO stats differ (keyspace_hits, keyspace_misses, dirty)\n  redis:  ${e.join(' ')}\n  engine: ${a.join(' ')}`;
    }
    return null;
  }

  /** Engine-only work (a resync) must not show in the engine's stats or notifications. */
  private quietly(fn: () => void): void {
    const st = this.engine.stats;
    const saved = [st.keyspaceHits, st.keyspaceMisses, this.engine.dirty];
    fn();
    [st.keyspaceHits, st.keyspaceMisses, this.engine.dirty] = saved;
    this.pushed = [];
  }

  /** After the stream command: notifications and stats, then OBJECT ENCODING of the written keys. */
  async after(argv: string[]): Promise<string | null> {
    const bad = (await this.notifications()) ?? (await this.stats());
    if (bad) return bad;
    if (WRITES.has(argv[0].toLowerCase())) {
      return this.encodings(argv.slice(1).filter((a) => ALL_KEYS.includes(a) || a === 'l2'));
    }
    return null;
  }

  eng(argv: string[]): string {
    const r = this.c.exec(argv);
    return (r.extra ?? []).map((x) => encodeReply(x, this.c.resp)).join('') + encodeReply(r.reply, this.c.resp);
  }

  async both(argv: string[]): Promise<{ exp: string; act: string }> {
    const exp = await this.conn.call(argv);
    const act = this.eng(argv);
    this.compared++;
    if (STATS) {
      const k = argv[0].toUpperCase() === 'OBJECT' ? 'OBJECT ENCODING ' + exp.replace(/^\$\d+\r\n|\r\n$/g, '') : argv[0].toUpperCase();
      const c = coverage.get(k) ?? { n: 0, err: 0, empty: 0 };
      c.n++;
      if (exp[0] === '-') c.err++;
      else if (/^([*~%]0|\$-1|_|\*-1|:0)\r\n$/.test(exp)) c.empty++;
      coverage.set(k, c);
    }
    return { exp, act };
  }

  /** Both sides, compared exactly; returns a mismatch note or null. */
  async same(argv: string[], what = ''): Promise<string | null> {
    const { exp, act } = await this.both(argv);
    this.history.push(`${what}${show(argv)} -> ${clip(escapeBytes(exp))}`);
    if (exp !== act) return `${what}${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
    return null;
  }

  /** OBJECT ENCODING of the keys named in argv (after a write). */
  async encodings(keys: string[]): Promise<string | null> {
    for (const k of new Set(keys)) {
      if (!ALL_KEYS.includes(k) && k !== 'l2') continue;
      const bad = await this.same(['OBJECT', 'ENCODING', k], '  (check) ');
      if (bad) return bad;
    }
    return null;
  }

  /** The whole keyspace: type, encoding and contents of every key. */
  async fullCheck(): Promise<string | null> {
    for (const k of [...ALL_KEYS, 'l2']) {
      const { exp: t, act: ta } = await this.both(['TYPE', k]);
      if (t !== ta) return `  (check) TYPE ${k}\n  redis:  ${escapeBytes(t)}\n  engine: ${escapeBytes(ta)}`;
      const bad = await this.same(['OBJECT', 'ENCODING', k], '  (check) ');
      if (bad) return bad;
      let dump: string[] | null = null;
      let unordered = false;
      if (t.includes('set') && !t.includes('zset')) { dump = ['SMEMBERS', k]; unordered = true; }
      else if (t.includes('zset')) dump = ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
      else if (t.includes('list')) dump = ['LRANGE', k, '0', '-1'];
      else if (t.includes('hash')) { dump = ['HGETALL', k]; unordered = true; }
      else if (t.includes('string')) dump = ['GET', k];
      if (!dump) continue;
      const { exp, act } = await this.both(dump);
      const size = dump[0] === 'HGETALL' ? 2 : 1;
      if ((unordered ? canonical(exp, size) : exp) !== (unordered ? canonical(act, size) : act)) {
        return `  (check) ${show(dump)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
      }
    }
    return null;
  }

  /** Rebuild the engine's set `key` as Redis holds it (members and encoding), after a random pop. */
  async resyncSet(key: string): Promise<void> {
    // The same reads on both sides (keyspace hits), then the engine's key is rebuilt quietly.
    const { exp: enc } = await this.both(['OBJECT', 'ENCODING', key]);
    const { exp: raw } = await this.both(['SMEMBERS', key]);
    const ms = bulkItems(parseReply(raw)).filter((x): x is string => x !== null);
    const cfg = this.engine.config;
    const saved = cfg.setMaxIntsetEntries;
    this.quietly(() => {
      this.c.exec(['DEL', key]);
      if (ms.length) {
        cfg.setMaxIntsetEntries = enc.includes('intset') ? 1 << 30 : 0;
        this.c.exec(['SADD', key, ...ms]);
        cfg.setMaxIntsetEntries = saved;
      }
    });
  }

  /** SPOP / SRANDMEMBER / ZRANDMEMBER: the replies are checked against Redis's state before the command. */
  async random(argv: string[]): Promise<string | null> {
    const name = argv[0].toLowerCase();
    const key = argv[1];
    const isZ = name === 'zrandmember';
    // Redis's state before (both sides run the same read: a zset read may leave errno behind).
    let before: string[] = [];
    const scores = new Map<string, string>();
    const { exp: t } = await this.both(['TYPE', key ?? '']);
    const typeOk = t.includes(isZ ? 'zset' : 'set') && (isZ || !t.includes('zset'));
    if (argv.length >= 2 && typeOk) {
      const dump = isZ ? ['ZRANGE', key, '0', '-1', 'WITHSCORES'] : ['SMEMBERS', key];
      const { exp, act } = await this.both(dump);
      const items = bulkItems(parseReply(exp)) as string[];
      if (isZ) {
        // RESP3: [member, score] pairs
        const v = parseReply(exp);
        if (this.resp === 3 && 'items' in v && v.items && v.items.length && 'items' in v.items[0]) {
          for (const pr of v.items) { const [m, s] = bulkItems(pr) as string[]; before.push(m); scores.set(m, s); }
        } else {
          for (let i = 0; i < items.length; i += 2) { before.push(items[i]); scores.set(items[i], items[i + 1]); }
        }
        if (exp !== act) return `  (before) ${show(dump)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
      } else {
        before = items;
        if (canonical(exp) !== canonical(act)) return `  (before) ${show(dump)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
      }
    }
    const setEnc = !isZ && typeOk ? peek(this.c, key)?.encoding : undefined;
    const { exp, act } = await this.both(argv);
    this.history.push(`${show(argv)} -> ${clip(escapeBytes(exp))}`);
    const fail = (why: string) => `${show(argv)}: ${why}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
    const ev = parseReply(exp), av = parseReply(act);
    // Errors, nil, empty replies and everything else that is not random: exact.
    const isRandom = 'items' in ev && ev.items && ev.items.length > 0 || ('bulk' in ev && ev.bulk !== null && ev.type === '$' && typeOk);
    if (!isRandom) {
      if (exp !== act) return fail('differs');
      return this.after(argv);
    }
    if (ev.type !== av.type) return fail('reply types differ');
    const shape = (v: RespValue) => ('items' in v && v.items ? v.items.length : -1);
    const nE = shape(ev), nA = shape(av);
    if (nE !== nA) return fail('lengths differ');
    // Element check.
    const inSet = new Set(before);
    const els: string[] = [];
    if ('bulk' in av) {
      els.push(av.bulk!);
    } else if ('items' in av && av.items) {
      const withscores = argv.some((a, i) => i >= 3 && a.split('\x00')[0].toUpperCase() === 'WITHSCORES');
      if (isZ && withscores && this.resp === 3) {
        for (const pr of av.items) {
          if (!('items' in pr) || !pr.items || pr.items.length !== 2 || pr.type !== '*') return fail('RESP3 pair shape');
          const [m] = bulkItems(pr) as string[];
          const sv = pr.items[1];
          if (sv.type !== ',' || !('line' in sv) || sv.line !== scores.get(m)) return fail(`score of ${escapeBytes(m)}`);
          els.push(m);
        }
        for (const pr of ('items' in ev && ev.items) || []) if (!('items' in pr)) return fail('redis pair shape?');
      } else if (isZ && withscores) {
        const it = bulkItems(av) as string[];
        for (let i = 0; i < it.length; i += 2) {
          if (it[i + 1] !== scores.get(it[i])) return fail(`score of ${escapeBytes(it[i])}`);
          els.push(it[i]);
        }
      } else {
        for (const x of av.items) {
          if (!('bulk' in x) || x.bulk === null || x.type !== '$') return fail('element type');
          els.push(x.bulk);
        }
      }
    }
    for (const m of els) if (!inSet.has(m)) return fail(`${escapeBytes(m)} is not a member`);
    const count = argv.length >= 3 ? Number(argv[2]) : NaN;
    if (argv.length >= 3 && count > 0 && new Set(els).size !== els.length) return fail('repeated elements');
    if (argv.length >= 3 && count > 0 && count >= before.length && canonical(exp, isZ && this.resp === 2 && els.length * 2 === nE ? 2 : 1) !== canonical(act, isZ && this.resp === 2 && els.length * 2 === nE ? 2 : 1)) return fail('whole set differs');
    const notes = (await this.notifications()) ?? (await this.stats());
    if (notes) return notes;
    if (name === 'spop') {
      // Redis's SPOP with a count builds a new set from the remaining members when it pops most of the set
      // (then the encoding depends on which remain): compare the encoding when it does not, then resync.
      if (setEnc !== undefined) {
        const remaining = before.length - els.length;
        const allInts = before.every((m) => /^(0|-?[1-9]\d*)$/.test(m) && BigInt(m) <= 9223372036854775807n && BigInt(m) >= -9223372036854775808n);
        const noInts = before.every((m) => !/^(0|-?[1-9]\d*)$/.test(m));
        if (remaining > 0 && (allInts || noInts || remaining * 5 > els.length)) {
          const bad = await this.same(['OBJECT', 'ENCODING', key], '  (after) ');
          if (bad) return bad + `\n  (${setEnc} before, ${before.length} members, ${els.length} popped)`;
        }
      }
      const popE = new Set(bulkItems(ev).length ? bulkItems(ev) : 'bulk' in ev ? [ev.bulk] : []);
      const same = els.length === popE.size && els.every((m) => popE.has(m));
      if (!same) await this.resyncSet(key);
    }
    return null;
  }

  /** SSCAN / ZSCAN: exact over a small encoding; over a hash table, iterated to the end on both sides. */
  async scan(argv: string[]): Promise<string | null> {
    const o = argv.length >= 3 ? peek(this.c, argv[1]) : undefined;
    const big = o && (o.encoding === 'hashtable' || o.encoding === 'skiplist') && o.type === (argv[0] === 'ZSCAN' ? 'zset' : 'set');
    if (!big) return (await this.same(argv)) ?? this.after(argv);
    if (argv[2] !== '0') {
      // A cursor other than 0 lands wherever the hash seed puts it: only its errors are comparable.
      const cur = argv[2];
      if (/^-?\d+$/.test(cur) && BigInt(cur) <= 18446744073709551615n && BigInt(cur) >= -18446744073709551615n) return null;
      // Other spellings ("", "+0", "00"): where they land is the hash seed's business; errors are compared.
      const { exp, act } = await this.both(argv);
      this.history.push(`${show(argv)} -> ${clip(escapeBytes(exp))}`);
      if ((exp[0] === '-' || act[0] === '-') && exp !== act) return `${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
      return this.after(argv);
    }
    const collect = async (call: (a: string[]) => Promise<string> | string): Promise<{ els: string[]; err: string | null; calls: number }> => {
      const els: string[] = [];
      let cursor = '0';
      let calls = 0;
      for (let i = 0; i < 100000; i++, calls++) {
        const a = argv.slice(); a[2] = cursor;
        const raw = await call(a);
        const v = parseReply(raw);
        if (!('items' in v) || !v.items || v.items.length !== 2) return { els, err: raw, calls: calls + 1 };
        cursor = (bulkItems(v)[0]) ?? '0';
        const it = bulkItems(v.items[1]) as string[];
        const step = argv[0] === 'ZSCAN' ? 2 : 1;
        for (let j = 0; j < it.length; j += step) els.push(it.slice(j, j + step).join('\x01'));
        if (cursor === '0') { calls++; break; }
      }
      return { els: [...new Set(els)].sort(cmpStr), err: null, calls };
    };
    const e = await collect((a) => this.conn.call(a));
    const x = await collect((a) => this.eng(a));
    // Each call is a keyspace hit: the two sides walk the table in a different number of calls.
    this.engine.stats.keyspaceHits += e.calls - x.calls;
    this.compared++;
    this.history.push(`${show(argv)} (full scan) -> ${e.err ? escapeBytes(e.err) : e.els.length + ' elements'}`);
    const notes = (await this.notifications()) ?? (await this.stats());
    if (notes) return notes;
    if ((e.err ?? '') !== (x.err ?? '') || e.els.join('\x02') !== x.els.join('\x02')) {
      const onlyE = e.els.filter((m) => !x.els.includes(m)).slice(0, 10).map(escapeBytes);
      const onlyA = x.els.filter((m) => !e.els.includes(m)).slice(0, 10).map(escapeBytes);
      return `${show(argv)} (full scan)\n  redis:  ${e.err ? escapeBytes(e.err) : e.els.length + ' elements'}; only in redis: ${onlyE.join(' ')}\n  engine: ${x.err ? escapeBytes(x.err) : x.els.length + ' elements'}; only in engine: ${onlyA.join(' ')}`;
    }
    return null;
  }

  /** MULTI ... EXEC: every QUEUED (or error) reply, then EXEC's array; then stats and encodings of the keys. */
  async multi(cmds: string[][], discard: boolean): Promise<string | null> {
    const seq = [['MULTI'], ...cmds, [discard ? 'DISCARD' : 'EXEC']];
    for (const a of seq) {
      const bad = await this.same(a, a[0] === 'MULTI' || a[0] === 'EXEC' || a[0] === 'DISCARD' ? '' : '  (queued) ');
      if (bad) return bad;
    }
    return this.after(['EXEC', ...cmds.flatMap((a) => a.slice(1))]);
  }

  /** A blocking pop would block (Redis and the engine alike) when none of its keys exists: not sent. */
  wouldBlock(argv: string[]): boolean {
    return !argv.slice(1).some((a) => ALL_KEYS.includes(a) && peek(this.c, a) !== undefined);
  }

  /** DUMP (bytes compared unless a hash table's order is in them), then RESTORE ... REPLACE of Redis's payload. */
  async dumpRestore(argv: string[], dst: string): Promise<string | null> {
    const o = peek(this.c, argv[1]);
    const { exp, act } = await this.both(argv);
    this.history.push(`${show(argv)} -> ${clip(escapeBytes(exp))}`);
    const hashOrder = o && (o.encoding === 'hashtable' || (o.type === 'zset' && o.encoding !== 'listpack' && o.encoding !== 'skiplist'));
    if (!hashOrder && exp !== act) return `${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
    const v = parseReply(exp);
    if (!('bulk' in v) || v.bulk === null) return null;
    return (await this.same(['RESTORE', dst, '0', v.bulk, 'REPLACE'])) ?? this.after(['RESTORE', dst]);
  }

  async step(cmd: Cmd): Promise<string | null> {
    const argv = cmd.argv;
    const name = argv[0].toLowerCase();
    if (cmd.mode?.kind === 'dump') return this.dumpRestore(argv, cmd.mode.dst);
    if (cmd.mode?.kind === 'multi') return this.multi(cmd.mode.cmds, cmd.mode.discard);
    if ((name === 'bzpopmin' || name === 'bzpopmax' || name === 'bzmpop') && this.wouldBlock(argv)) return null;
    if (cmd.mode?.kind === 'random') return this.random(argv);
    if (cmd.mode?.kind === 'scan') return this.scan(argv);
    let mode: Mode = cmd.mode ?? { kind: 'exact' };
    if ((name === 'sort' || name === 'sort_ro') && argv.length >= 2) {
      const m = sortMode(this.c, argv);
      if (m === 'skip') return null;
      mode = m;
    } else if (nondeterministic(this.c, argv)) {
      return null;
    }
    // Now and then WATCH every key first: EXEC then tells whether the command touched one (signalModifiedKey).
    const watch = this.probe.chance(0.15) && !this.c.multi;
    if (watch) {
      const bad = await this.same(['WATCH', ...ALL_KEYS, 'l2'], '  (watch) ');
      if (bad) return bad;
    }
    const { exp, act } = await this.both(argv);
    this.history.push(`${show(argv)} -> ${clip(escapeBytes(exp))}`);
    const size = mode.kind === 'groups' ? mode.size : 1;
    const un = mode.kind === 'unordered' || mode.kind === 'groups';
    if ((un ? canonical(exp, size) : exp) !== (un ? canonical(act, size) : act)) {
      return `${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}${firstDiff(exp, act)}`;
    }
    if (watch && !this.c.multi) {
      const bad = (await this.same(['MULTI'], '  (watch) ')) ?? (await this.same(['EXEC'], '  (watch) '));
      if (bad) return bad + '\n  (EXEC after WATCH: a nil reply means the command touched a watched key)';
    } else if (watch) {
      await this.same(['UNWATCH'], '  (watch) ');
    }
    return this.after(argv);
  }
}

// ====================================================================== vitest

const mismatches: Mismatch[] = [];

describe.skipIf(!bin)('deep differential: sets, sorted sets, SORT (engine vs redis-server)', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (STATS) {
      const rows = [...coverage].sort((a, b) => b[1].n - a[1].n).map(([k, c]) => `  ${k.padEnd(34)} ${String(c.n).padStart(7)}  err ${String(c.err).padStart(6)}  empty ${String(c.empty).padStart(6)}`);
      console.log('deep sets-zsets coverage (replies compared):\n' + rows.join('\n'));
    }
    if (mismatches.length) {
      const by = new Map<string, number>();
      for (const m of mismatches) by.set(m.argv[0].toUpperCase(), (by.get(m.argv[0].toUpperCase()) ?? 0) + 1);
      console.log(`deep sets-zsets: ${mismatches.length} mismatching seed runs; by command: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const m of mismatches) console.log(`--- seed ${m.seed} RESP${m.resp} step ${m.step}\n${m.note}`);
    }
  });

  for (const resp of RESPS) {
    for (const seed of SEEDS) {
      it(`RESP${resp} seed ${seed}: ${LEN} commands`, async () => {
        const conn = await RespConnection.connect(server.port);
        let run: Runner | undefined;
        try {
          expect(await conn.call(['FLUSHALL'])).toBe('+OK\r\n');
          expect(await conn.call(RESET_CONFIG)).toBe('+OK\r\n');
          run = new Runner(conn, resp, seed);
          expect(await conn.call(['CONFIG', 'RESETSTAT'])).toBe('+OK\r\n');
          run.dirtyBase = Number(/rdb_changes_since_last_save:(\d+)/.exec(await conn.call(['INFO', 'persistence']))![1]);
          if (NOTIFY) await run.startNotify(server.port);
          if (resp === 3) {
            await conn.call(['HELLO', '3']);
            run.c.exec(['HELLO', '3']);
          }
          if (seed % 3 === 2) {
            // Some streams run in db 1 (keyspace notifications carry the db id).
            expect(await conn.call(['SELECT', '1'])).toBe('+OK\r\n');
            run.c.exec(['SELECT', '1']);
          }
          const rng = new Rng(seed * 7919 + resp);
          const profile = profileFor(seed);
          for (let step = 1; step <= LEN; step++) {
            const cmd = generate(rng, profile);
            if (!RANDOM && cmd.mode?.kind === 'random') continue;
            let bad: string | null = await run.step(cmd);
            if (!bad && CHECK > 0 && step % CHECK === 0) bad = await run.fullCheck();
            if (bad) {
              const m: Mismatch = { seed, resp, step, argv: cmd.argv, expected: '', actual: '', note: bad, history: run.history.slice(-25) };
              const text: string = [
                `RESP${resp} seed ${seed}, step ${step}: ${bad}`,
                `last ${m.history.length} commands (with Redis's replies):`,
                ...m.history.map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed}, DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/sets-zsets.test.ts`,
              ].join('\n');
              if (KEEPGOING) { mismatches.push({ ...m, note: text }); return; }
              expect.fail(text);
            }
          }
        } finally {
          await conn.close();
          await run?.sub?.close();
        }
      }, 600_000);
    }
  }

  it('no mismatches (DEEP_KEEPGOING)', () => {
    expect(mismatches.length, `${mismatches.length} seed runs mismatched (see the log)`).toBe(0);
  });
});

if (!bin) {
  describe('deep differential: sets, sorted sets, SORT', () => {
    it.skip('redis-server is not installed: skipped', () => {});
  });
}
