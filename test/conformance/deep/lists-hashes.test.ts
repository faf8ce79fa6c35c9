/**
 * Deep differential fuzzer for lists and hashes: a seeded stream of commands is sent to the engine and
 * to a live redis-server 7.0 (started here on a free port) and the replies are compared byte for byte,
 * in RESP2 and in RESP3 (HELLO 3).
 *
 * Different from differential.test.ts (lib/generators.ts):
 * - lists that grow to thousands of elements (bulk pushes of hundreds of values), so quicklists have
 *   many nodes; values around the listpack size classes (strings of 63/64/4095/4096 bytes, values
 *   near the 4/8/16/32/64 KB node limits) and number-like values that a listpack stores as integers
 *   or not ('12', '-0', '007', ' 1', LLONG_MAX, 2^63 ...), binary values;
 * - CONFIG SET of list-max-listpack-size (counts and size classes -1..-5, and the ziplist alias),
 *   list-compress-depth, hash-max-listpack-entries/value (and the ziplist aliases) mid-stream;
 * - after every write, OBJECT ENCODING of the keys it touched and MEMORY USAGE where Redis's answer
 *   is deterministic (lists, LZF-compressed nodes included; listpack hashes; hash tables whose entries
 *   all have the same allocation size): node layout, compression and listpack bytes must match;
 * - every DEEP_CHECK commands the whole keyspace (type, encoding, contents, memory);
 * - HRANDFIELD is checked for count, membership, values, distinctness and (listpack) order;
 *   HSCAN over a hash table is iterated to the end on both sides; HKEYS/HVALS/HGETALL of a hash table
 *   are compared unordered;
 * - BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP when a source list is not empty (else skipped), and inside
 *   MULTI (where they never block); transactions of a few commands (EXEC or DISCARD);
 * - after every command: the dirty count (INFO rdb_changes_since_last_save) and whether a client
 *   WATCHing every key saw one touched (signalModifiedKey);
 * - wrong types, wrong arity and damaged arguments.
 *
 * Skipped when redis-server is missing. Env: DEEP_SEEDS (default 2, or a list "7,42"), DEEP_LEN
 * (default 800 commands per seed and RESP version), DEEP_RESP ("2,3"), DEEP_CHECK (full check every N
 * commands, default 50), DEEP_KEEPGOING=1 (a mismatch ends the seed but the run goes on; all are
 * reported at the end), DEEP_ONLY (only these commands: "LINSERT,LSET,CONFIG"), DEEP_STATS=1 (replies
 * and errors per command), DEEP_DUMP=dir (on a mismatch, every command sent, as JSON lines),
 * DEEP_WATCH=0, DEEP_NOTIFY=1 (also compare keyspace notifications: the engine sends none yet),
 * REDIS_SERVER.
 *
 * Not compared (Redis's answer depends on its hash seed): MEMORY USAGE of a hash table whose entries
 * differ in size, and the bucket arrays of a hash table (incremental rehashes end at seed-dependent
 * times).
 *
 *   DEEP_SEEDS=40 DEEP_LEN=5000 DEEP_KEEPGOING=1 npx vitest run --project engine test/conformance/deep/lists-hashes.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createEngine } from '../../../src/engine';
import type { Client } from '../../../src/engine/client';
import { encodeReply } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, RespConnection, type RedisServer } from '../lib/redis';
import { parseReply, serializeReply, escapeBytes, type RespValue } from '../lib/resp-reader';
import { Rng } from '../lib/generators';

const SEEDS = parseSeeds(process.env.DEEP_SEEDS ?? '2');
const LEN = Number(process.env.DEEP_LEN ?? 800);
const RESPS = (process.env.DEEP_RESP ?? '2,3').split(',').map((x) => Number(x.trim()) as 2 | 3);
const CHECK = Number(process.env.DEEP_CHECK ?? 50);
const KEEPGOING = process.env.DEEP_KEEPGOING === '1';
/** DEEP_STATS=1: print, per command, how many were compared and how many of Redis's replies were errors. */
const STATS = process.env.DEEP_STATS === '1';
/**
 * DEEP_NOTIFY=1: also compare the keyspace notifications of every command (notify-keyspace-events KEA;
 * off by default: the engine does not send keyspace notifications yet).
 */
const NOTIFY = process.env.DEEP_NOTIFY === '1';
/** DEEP_WATCH=0: do not check, after every command, whether a WATCHing client saw a key touched. */
const WATCH = process.env.DEEP_WATCH !== '0';
/** DEEP_ONLY=LINSERT,LSET,CONFIG: generate only these commands (upper case names). */
/** DEEP_DUMP=dir: on a mismatch, write every command of the seed run (JSON lines) to dir/seed-N-respV.jsonl. */
const DUMP = process.env.DEEP_DUMP ?? '';
const ONLY = process.env.DEEP_ONLY ? new Set(process.env.DEEP_ONLY.toUpperCase().split(',').map((x) => x.trim())) : null;
const stats = new Map<string, { n: number; err: number }>();
const errs = new Map<string, number>();
const bin = findRedisServer();

function parseSeeds(s: string): number[] {
  if (s.includes(',')) return s.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

// ====================================================================== pools

const LIST_KEYS = ['l1', 'l2', 'l3'];
const HASH_KEYS = ['h1', 'h2', 'h3'];
const OTHER_KEYS = ['str', 's', 'missing'];
const ALL_KEYS = [...LIST_KEYS, ...HASH_KEYS, ...OTHER_KEYS];

/** Integers at the listpack integer encoding boundaries, and number-like strings that are not integers. */
const INT_EDGES = ['0', '1', '-1', '12', '127', '128', '-128', '4095', '4096', '-4096', '-4097', '32767', '32768', '-32768',
  '-32769', '8388607', '8388608', '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649',
  '9223372036854775807', '-9223372036854775808', '4611686018427387904', '1000000'];
const NUMLIKE = ['-0', '007', '00', ' 1', '1 ', '+1', '1.0', '1e3', '0x10', '9223372036854775808', '-9223372036854775809',
  '12345678901234567890', '-', '', '1.5', '01'];
const BINARY = ['', '\x00', 'a\x00b', '\xff', '\xfe\xff', '\r\n', ' ', '\xc3\xa9', 'A', 'a\x00'];

interface Profile { int: number; word: number; num: number; bin: number; sized: number; words: number; big: number }

function profileFor(seed: number): Profile {
  switch (seed % 4) {
    case 0: return { int: 0.6, word: 0.25, num: 0.08, bin: 0.03, sized: 0.04, words: 40, big: 0.01 };
    case 1: return { int: 0.3, word: 0.4, num: 0.1, bin: 0.08, sized: 0.12, words: 2000, big: 0.03 };
    case 2: return { int: 0.25, word: 0.55, num: 0.05, bin: 0.05, sized: 0.1, words: 15, big: 0.02 };
    default: return { int: 0.45, word: 0.3, num: 0.1, bin: 0.05, sized: 0.1, words: 300, big: 0.05 };
  }
}

function bigInt64(r: Rng): string {
  const hi = BigInt(r.int(0x7fffffff)) << 32n;
  const v = hi | BigInt(r.int(0x100000000));
  return (r.chance(0.5) ? -v : v).toString();
}

function intValue(r: Rng): string {
  const x = r.next();
  if (x < 0.55) return String(r.int(300) - 60);
  if (x < 0.8) return r.pick(INT_EDGES);
  if (x < 0.9) return String(r.int(4000000000) - 2000000000);
  return bigInt64(r);
}

/** Strings whose length sits at a listpack string-encoding boundary or near a quicklist node limit. */
function sizedValue(r: Rng, p: Profile): string {
  const small = [1, 20, 50, 62, 63, 64, 65, 100, 127, 128, 200, 500, 1000, 2000, 3000, 4000, 4094, 4095, 4096, 4097];
  const big = [8000, 8170, 8180, 8183, 8184, 8185, 8190, 8192, 8200, 12000, 16370, 16376, 16384, 16390, 32760, 32768, 40000, 65000, 65530, 66000];
  const n = r.chance(p.big) ? r.pick(big) : r.pick(small);
  return String.fromCharCode(97 + r.int(3)).repeat(n);
}

function value(r: Rng, p: Profile): string {
  let x = r.next();
  if ((x -= p.int) < 0) return intValue(r);
  if ((x -= p.word) < 0) return 'v' + r.int(p.words);
  if ((x -= p.num) < 0) return r.pick(NUMLIKE);
  if ((x -= p.bin) < 0) return r.pick(BINARY);
  return sizedValue(r, p);
}

function values(r: Rng, p: Profile, max: number): string[] {
  const n = 1 + r.int(max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(value(r, p));
  return out;
}

/** Hundreds of values at once: many quicklist nodes. */
function bulkValues(r: Rng, p: Profile): string[] {
  const n = r.pick([50, 100, 200, 500, 1000, 1500]);
  const kind = r.int(5);
  const base = r.pick([0, -5000, 32700, 2147483000, 100]);
  const out: string[] = [];
  const filler = 'w'.repeat(r.pick([1, 10, 30, 60, 70, 200]));
  for (let i = 0; i < n; i++) {
    if (kind === 0) out.push(String(base + i));
    else if (kind === 1) out.push(intValue(r));
    else if (kind === 2) out.push('v' + r.int(Math.max(p.words, 50)));
    else if (kind === 3) out.push(filler + (i % 10));
    else out.push(r.chance(0.97) ? value(r, { ...p, big: 0 }) : sizedValue(r, { ...p, big: 0 }));
  }
  return out;
}

// ---------------------------------------------------------------- hash fields and values

function field(r: Rng, p: Profile): string {
  const x = r.next();
  if (x < 0.6) return 'f' + r.int(Math.max(8, Math.floor(p.words / 4)));
  if (x < 0.75) return intValue(r);
  if (x < 0.83) return r.pick(NUMLIKE);
  if (x < 0.9) return r.pick(BINARY);
  return 'F'.repeat(r.pick([62, 63, 64, 65, 66, 100, 10])) + r.int(3);
}

const FLOATS = ['0', '1', '-1', '1.5', '0.1', '-2.25', '1e2', '3.0e-1', '10.5', '1e300', '-1e300', '1e-300', '5e-324',
  '1.7976931348623157e308', '123456789.123456789', '0.30000000000000004', '-0', '+0', '1e17', '1e18', '1e-17', '.5', '5.',
  '4.5e15', '9007199254740993', '1e20', '-1e20', '2.5e-5', '100000000000000000000000'];
const BAD_FLOATS = ['x', 'inf', '-inf', '+inf', 'nan', 'NaN', '', ' 1', '1 ', '0x10', '1e', '1e400', '-1e400', 'infinity', '1.5.5'];
const INCRS = ['0', '1', '-1', '2', '5', '-3', '100', '-100', '1000000', '9223372036854775807', '-9223372036854775808',
  '-9223372036854775807', '4611686018427387904', '9223372036854775806'];
const BAD_INCRS = ['x', '1.5', '', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', '0x10', '+1', '-0', '007'];

function hvalue(r: Rng, p: Profile): string {
  const x = r.next();
  if (x < 0.3) return intValue(r);
  if (x < 0.45) return r.pick(FLOATS);
  if (x < 0.55) return r.pick(NUMLIKE);
  if (x < 0.85) return 'v' + r.int(p.words);
  if (x < 0.9) return r.pick(BINARY);
  return 'V'.repeat(r.pick([62, 63, 64, 65, 66, 100, 300, 5000])) + (r.chance(0.5) ? '' : String(r.int(10)));
}

function pairs(r: Rng, p: Profile, max: number): string[] {
  const out: string[] = [];
  for (let n = 1 + r.int(max); n > 0; n--) out.push(field(r, p), hvalue(r, p));
  return out;
}

/** Many fields: around hash-max-listpack-entries. */
function bulkPairs(r: Rng, p: Profile): string[] {
  const n = r.pick([10, 64, 127, 128, 129, 200, 511, 512, 513, 700]);
  const out: string[] = [];
  const base = r.int(3) * 100;
  const kind = r.int(3);
  for (let i = 0; i < n; i++) {
    out.push(kind === 0 ? 'f' + (base + i) : kind === 1 ? String(base + i) : field(r, p));
    out.push(kind === 2 ? hvalue(r, p) : String(r.int(1000)));
  }
  return out;
}

// ====================================================================== commands

type Mode =
  | { kind: 'exact' }
  /** A hash's contents: ordered on a listpack, unordered (groups of `size`) on a hash table. */
  | { kind: 'hashread'; size: number }
  | { kind: 'hrandfield' }
  | { kind: 'hscan' }
  | { kind: 'memory' }
  | { kind: 'blocking' }
  /** MULTI, the commands (queued), EXEC or DISCARD: every reply compared exactly. */
  | { kind: 'multi'; cmds: Cmd[]; discard: boolean };

interface Cmd { argv: string[]; mode?: Mode }

interface GenCtx { r: Rng; p: Profile; c: Client }

function pickKey(r: Rng, family: string[]): string {
  const x = r.next();
  if (x < 0.94) return r.pick(family);
  if (x < 0.99) return r.pick(OTHER_KEYS);
  return r.pick(ALL_KEYS);
}
const lk = (r: Rng) => pickKey(r, LIST_KEYS);
const hk = (r: Rng) => pickKey(r, HASH_KEYS);

/** The engine's list (no side effects), for picking existing elements and sensible indexes. */
function listOf(c: Client, key: string): string[] {
  const o = peek(c, key);
  if (!o || o.type !== 'list') return [];
  return o.ptr.toArray() as string[];
}

function hashFieldsOf(c: Client, key: string): string[] {
  const o = peek(c, key);
  if (!o || o.type !== 'hash') return [];
  if (o.encoding === 'listpack') return (o.ptr.entries as string[]).filter((_, i) => i % 2 === 0);
  return o.ptr.keys() as string[];
}

/** An element of the list (most of the time) or any value. */
function elementOf(g: GenCtx, key: string): string {
  const els = listOf(g.c, key);
  if (els.length && g.r.chance(0.75)) return els[g.r.int(els.length)];
  return value(g.r, g.p);
}

function fieldOf(g: GenCtx, key: string): string {
  const fs = hashFieldsOf(g.c, key);
  if (fs.length && g.r.chance(0.7)) return fs[g.r.int(fs.length)];
  return field(g.r, g.p);
}

const INDEX_EDGES = ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '2147483648', '-2147483649',
  '4294967296', 'x', '', '1.5', ' 1', '-0', '+1', '007'];

/** An index scaled to the list's length (in range most of the time). */
function index(g: GenCtx, key: string): string {
  const n = listOf(g.c, key).length;
  const r = g.r;
  const x = r.next();
  if (x < 0.06) return r.pick(INDEX_EDGES);
  if (x < 0.2) return String(r.int(21) - 10);
  const span = Math.max(1, n);
  const i = r.int(span + 10) - 5;
  return String(r.chance(0.4) ? i - span : i);
}

const COUNTS_OK = ['0', '1', '2', '3', '5', '10', '100', '1000', '5000', '9223372036854775807', '01'];
const COUNTS_BAD = ['-1', '-5', 'x', '', '1.5', '-9223372036854775808', '9223372036854775808', ' 1'];
const count = (r: Rng) => (r.chance(0.12) ? r.pick(COUNTS_BAD) : r.pick(COUNTS_OK));

/** LPOS options (RANK COUNT MAXLEN in any order, legal or not). */
function lposOpts(r: Rng): string[] {
  const groups: string[][] = [];
  const bad = r.chance(0.1);
  if (r.chance(0.5)) groups.push(['RANK', bad && r.chance(0.5) ? r.pick(['0', '-9223372036854775808', 'x', '1.5']) : r.pick(['1', '2', '3', '-1', '-2', '-3', '5', '-10', '9223372036854775807', '-9223372036854775807'])]);
  if (r.chance(0.5)) groups.push(['COUNT', bad && r.chance(0.5) ? r.pick(['-1', 'x', '-9223372036854775808']) : r.pick(['0', '1', '2', '3', '10', '1000', '9223372036854775807'])]);
  if (r.chance(0.3)) groups.push(['MAXLEN', bad && r.chance(0.5) ? r.pick(['-1', 'x']) : r.pick(['0', '1', '2', '5', '10', '100', '1000', '9223372036854775807'])]);
  if (r.chance(0.03)) groups.push([r.pick(['RANK', 'COUNT', 'MAXLEN', 'FOO'])]);
  for (let i = groups.length - 1; i > 0; i--) { const j = r.int(i + 1); const t = groups[i]; groups[i] = groups[j]; groups[j] = t; }
  return groups.flat().map((a) => (r.chance(0.1) ? a.toLowerCase() : a));
}

const WHERE = ['LEFT', 'RIGHT', 'LEFT', 'RIGHT', 'left', 'Right'];
const where = (r: Rng) => (r.chance(0.04) ? r.pick(['UP', '', 'LEFTX', 'MIN']) : r.pick(WHERE));
const TIMEOUTS_OK = ['0', '0.01', '1', '0.5', '10', '-0', '0.0001', '1e3', '9223372036854775'];
const TIMEOUTS_BAD = ['-1', 'x', '', 'nan', 'inf', '1e400', '9223372036854775807', '-0.5', ' 1'];
const timeout = (r: Rng) => (r.chance(0.15) ? r.pick(TIMEOUTS_BAD) : r.pick(TIMEOUTS_OK));

function numkeysArgs(r: Rng, keys: string[]): string[] {
  const n = r.chance(0.06) ? r.pick(['0', '-1', 'x', String(keys.length + 1), '', '9223372036854775807']) : String(keys.length);
  return [n, ...keys];
}

const LIST_SIZES = ['-1', '-2', '-2', '-3', '-4', '-5', '-6', '-100', '0', '1', '2', '3', '4', '5', '8', '16', '100', '128',
  '1000', '32767', '32768', '100000', '2147483647', '2147483648', '-2147483648', '-2147483649', 'x', ''];
const COMPRESS = ['0', '0', '0', '1', '2', '3', '5', '10', '65535', '65536', '2147483647', '-1', 'x'];
const HASH_ENTRIES = ['0', '1', '2', '4', '16', '64', '127', '128', '512', '512', '512', '513', '1000', '-1', 'x',
  '9223372036854775807', '9223372036854775808', '4294967296'];
const HASH_VALUES = ['0', '1', '8', '16', '63', '64', '64', '64', '65', '100', '1000', 'x', '-1'];

interface Gen { w: number; gen: (g: GenCtx) => Cmd }

const G: Gen[] = [
  // ---------------------------------------------------------------- lists
  { w: 8, gen: ({ r, p }) => ({ argv: [r.pick(['LPUSH', 'RPUSH']), lk(r), ...values(r, p, 6)] }) },
  { w: 1.6, gen: ({ r, p }) => ({ argv: [r.pick(['LPUSH', 'RPUSH']), lk(r), ...bulkValues(r, p)] }) },
  { w: 2, gen: ({ r, p }) => ({ argv: [r.pick(['LPUSHX', 'RPUSHX']), lk(r), ...values(r, p, 3)] }) },
  { w: 5, gen: ({ r }) => ({ argv: [r.pick(['LPOP', 'RPOP']), lk(r), ...(r.chance(0.6) ? [count(r)] : [])] }) },
  { w: 2, gen: ({ r }) => ({ argv: ['LLEN', lk(r)] }) },
  { w: 5, gen: (g) => { const k = lk(g.r); return { argv: ['LRANGE', k, index(g, k), index(g, k)] }; } },
  { w: 5, gen: (g) => { const k = lk(g.r); return { argv: ['LINDEX', k, index(g, k)] }; } },
  { w: 5, gen: (g) => { const k = lk(g.r); return { argv: ['LSET', k, index(g, k), value(g.r, g.p)] }; } },
  {
    w: 5, gen: (g) => {
      const k = lk(g.r);
      return { argv: ['LINSERT', k, g.r.chance(0.04) ? 'MIDDLE' : g.r.pick(['BEFORE', 'AFTER', 'before', 'after']), elementOf(g, k), value(g.r, g.p)] };
    },
  },
  {
    w: 4, gen: (g) => {
      const k = lk(g.r);
      return { argv: ['LREM', k, g.r.pick(['0', '1', '-1', '2', '-2', '5', '-5', '100', 'x', '-9223372036854775808', '9223372036854775807']), elementOf(g, k)] };
    },
  },
  {
    w: 3, gen: (g) => {
      const k = lk(g.r);
      const n = listOf(g.c, k).length;
      const r = g.r;
      // Mostly small trims (the list stays long), sometimes anything.
      if (r.chance(0.7) && n > 4) return { argv: ['LTRIM', k, String(r.int(Math.min(5, n))), String(-1 - r.int(Math.min(5, n)))] };
      return { argv: ['LTRIM', k, index(g, k), index(g, k)] };
    },
  },
  { w: 6, gen: (g) => { const k = lk(g.r); return { argv: ['LPOS', k, elementOf(g, k), ...lposOpts(g.r)] }; } },
  { w: 3, gen: ({ r }) => ({ argv: ['LMOVE', lk(r), lk(r), where(r), where(r)] }) },
  { w: 2, gen: ({ r }) => ({ argv: ['RPOPLPUSH', lk(r), lk(r)] }) },
  {
    w: 3, gen: ({ r }) => ({
      argv: ['LMPOP', ...numkeysArgs(r, r.some([...LIST_KEYS, 'missing', 'str', 'h1'], 3)), where(r),
        ...(r.chance(0.5) ? ['COUNT', count(r)] : []), ...(r.chance(0.03) ? [r.pick(['COUNT', 'FOO'])] : [])],
    }),
  },
  { w: 2, gen: ({ r }) => ({ argv: [r.pick(['BLPOP', 'BRPOP']), ...r.some([...LIST_KEYS, 'missing', 'str'], 3), timeout(r)], mode: { kind: 'blocking' } }) },
  { w: 1.5, gen: ({ r }) => ({ argv: ['BLMOVE', lk(r), lk(r), where(r), where(r), timeout(r)], mode: { kind: 'blocking' } }) },
  { w: 0.8, gen: ({ r }) => ({ argv: ['BRPOPLPUSH', lk(r), lk(r), timeout(r)], mode: { kind: 'blocking' } }) },
  {
    w: 1.5, gen: ({ r }) => ({
      argv: ['BLMPOP', timeout(r), ...numkeysArgs(r, r.some([...LIST_KEYS, 'missing', 'str'], 3)), where(r),
        ...(r.chance(0.5) ? ['COUNT', count(r)] : [])],
      mode: { kind: 'blocking' },
    }),
  },
  // ---------------------------------------------------------------- hashes
  { w: 8, gen: ({ r, p }) => ({ argv: ['HSET', hk(r), ...pairs(r, p, 4)] }) },
  { w: 1.2, gen: ({ r, p }) => ({ argv: [r.pick(['HSET', 'HMSET']), hk(r), ...bulkPairs(r, p)] }) },
  { w: 2, gen: ({ r, p }) => ({ argv: ['HMSET', hk(r), ...pairs(r, p, 3)] }) },
  { w: 3, gen: (g) => { const k = hk(g.r); return { argv: ['HSETNX', k, g.r.chance(0.5) ? fieldOf(g, k) : field(g.r, g.p), hvalue(g.r, g.p)] }; } },
  { w: 4, gen: (g) => { const k = hk(g.r); return { argv: ['HGET', k, fieldOf(g, k)] }; } },
  { w: 3, gen: (g) => { const k = hk(g.r); return { argv: ['HMGET', k, fieldOf(g, k), fieldOf(g, k), ...(g.r.chance(0.5) ? [fieldOf(g, k)] : [])] }; } },
  { w: 4, gen: (g) => { const k = hk(g.r); return { argv: ['HDEL', k, fieldOf(g, k), ...(g.r.chance(0.4) ? [fieldOf(g, k), field(g.r, g.p)] : [])] }; } },
  {
    w: 0.8, gen: (g) => {
      const k = hk(g.r);
      const fs = hashFieldsOf(g.c, k);
      const n = Math.ceil(fs.length * g.r.pick([0.3, 0.8, 0.95, 1]));
      return { argv: ['HDEL', k, ...(fs.length ? fs.slice(0, n) : ['f1'])] };
    },
  },
  { w: 3, gen: (g) => { const k = hk(g.r); return { argv: ['HEXISTS', k, fieldOf(g, k)] }; } },
  { w: 2, gen: ({ r }) => ({ argv: ['HLEN', hk(r)] }) },
  { w: 3, gen: (g) => { const k = hk(g.r); return { argv: ['HSTRLEN', k, fieldOf(g, k)] }; } },
  { w: 1.5, gen: ({ r }) => ({ argv: ['HKEYS', hk(r)], mode: { kind: 'hashread', size: 1 } }) },
  { w: 1.5, gen: ({ r }) => ({ argv: ['HVALS', hk(r)], mode: { kind: 'hashread', size: 1 } }) },
  { w: 2, gen: ({ r }) => ({ argv: ['HGETALL', hk(r)], mode: { kind: 'hashread', size: 2 } }) },
  {
    w: 5, gen: (g) => {
      const k = hk(g.r);
      return { argv: ['HINCRBY', k, g.r.chance(0.6) ? fieldOf(g, k) : field(g.r, g.p), g.r.chance(0.1) ? g.r.pick(BAD_INCRS) : g.r.pick(INCRS)] };
    },
  },
  {
    w: 5, gen: (g) => {
      const k = hk(g.r);
      return { argv: ['HINCRBYFLOAT', k, g.r.chance(0.6) ? fieldOf(g, k) : field(g.r, g.p), g.r.chance(0.12) ? g.r.pick(BAD_FLOATS) : g.r.chance(0.3) ? g.r.pick(INCRS) : g.r.pick(FLOATS)] };
    },
  },
  {
    w: 4, gen: ({ r }) => {
      // No huge negative count that Redis would accept: it would build a reply of that many elements.
      const count = r.pick(['1', '2', '3', '5', '10', '100', '1000', '0', '-1', '-2', '-5', '-10', '-100', '-1000',
        'x', '', '1.5', '9223372036854775807', '-9223372036854775808', '4611686018427387904', '-4611686018427387904',
        '4611686018427387903']);
      const wv = r.chance(0.4) || count === '-4611686018427387904';
      return {
        argv: ['HRANDFIELD', hk(r), ...(r.chance(0.8) || wv ? [count] : []), ...(wv ? [r.pick(['WITHVALUES', 'withvalues', 'FOO'])] : [])],
        mode: { kind: 'hrandfield' },
      };
    },
  },
  {
    w: 3, gen: ({ r }) => ({
      argv: ['HSCAN', hk(r), r.chance(0.85) ? '0' : r.pick(['x', '-1', '18446744073709551616', ' 1', '1', '00', '18446744073709551615']),
        ...(r.chance(0.4) ? ['MATCH', r.pick(['*', 'f1*', 'f*', '*5', '?', '[a-f]*', '1*', 'F*', '*\x00*'])] : []),
        ...(r.chance(0.4) ? ['COUNT', r.pick(['1', '5', '10', '100', '0', '-1', 'x', '1000'])] : []),
        ...(r.chance(0.03) ? [r.pick(['MATCH', 'COUNT', 'NOVALUES'])] : [])],
      mode: { kind: 'hscan' },
    }),
  },
  // ---------------------------------------------------------------- keyspace, config, memory
  { w: 1.5, gen: ({ r }) => ({ argv: ['MEMORY', 'USAGE', r.pick(ALL_KEYS), ...(r.chance(0.3) ? ['SAMPLES', r.pick(['0', '1', '3', '5', '10', '100'])] : [])], mode: { kind: 'memory' } }) },
  {
    w: 0.6, gen: ({ r }) => {
      const fam = r.pick([LIST_KEYS, HASH_KEYS]);
      return { argv: ['COPY', r.chance(0.9) ? r.pick(fam) : r.pick(ALL_KEYS), r.chance(0.95) ? r.pick(fam) : r.pick(OTHER_KEYS), ...(r.chance(0.5) ? ['REPLACE'] : [])] };
    },
  },
  {
    w: 1, gen: ({ r, c }) => {
      // Mostly a key holding the wrong type for its name (a damaged command or a cross-type write left it).
      const wrong = ALL_KEYS.filter((k) => { const o = peek(c, k); return o && (LIST_KEYS.includes(k) ? o.type !== 'list' : HASH_KEYS.includes(k) ? o.type !== 'hash' : false); });
      return { argv: ['DEL', wrong.length && r.chance(0.9) ? r.pick(wrong) : r.pick(ALL_KEYS)] };
    },
  },
  { w: 0.5, gen: ({ r }) => ({ argv: ['TYPE', r.pick(ALL_KEYS)] }) },
  { w: 0.3, gen: ({ r }) => ({ argv: ['SET', 'str', r.pick(['v', '1', '10'])] }) },
  { w: 0.3, gen: ({ r }) => ({ argv: ['SADD', 's', r.pick(['a', '1', 'b'])] }) },
  { w: 1.2, gen: ({ r }) => ({ argv: ['CONFIG', 'SET', r.pick(['list-max-listpack-size', 'list-max-listpack-size', 'list-max-ziplist-size']), r.pick(LIST_SIZES)] }) },
  { w: 0.6, gen: ({ r }) => ({ argv: ['CONFIG', 'SET', 'list-compress-depth', r.pick(COMPRESS)] }) },
  {
    w: 0.5, gen: ({ r }) => ({
      argv: ['CONFIG', 'GET', r.pick(['list-max-listpack-size', 'list-max-ziplist-size', 'list-compress-depth', 'hash-max-listpack-entries',
        'hash-max-ziplist-entries', 'hash-max-listpack-value', 'hash-max-ziplist-value'])],
    }),
  },
  { w: 0.8, gen: ({ r }) => ({ argv: ['CONFIG', 'SET', r.pick(['hash-max-listpack-entries', 'hash-max-ziplist-entries']), r.pick(HASH_ENTRIES)] }) },
  { w: 0.8, gen: ({ r }) => ({ argv: ['CONFIG', 'SET', r.pick(['hash-max-listpack-value', 'hash-max-ziplist-value']), r.pick(HASH_VALUES)] }) },
];

const RESET_CONFIG = ['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0',
  'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'];

const WEIGHT_SUM = G.reduce((s, g) => s + g.w, 0);

function generate(g: GenCtx): Cmd {
  if (g.r.chance(0.03)) {
    // A transaction of 1..5 commands whose replies are exact (a blocking command does not block in MULTI).
    const cmds: Cmd[] = [];
    for (let n = 1 + g.r.int(5); cmds.length < n;) {
      const c = generateOne(g);
      if (!c.mode || c.mode.kind === 'exact' || c.mode.kind === 'blocking') cmds.push(c);
    }
    return { argv: ['MULTI'], mode: { kind: 'multi', cmds, discard: g.r.chance(0.1) } };
  }
  return generateOne(g);
}

function generateOne(g: GenCtx): Cmd {
  for (let i = 0; ONLY && i < 1000; i++) {
    const c = generateAny(g);
    if (ONLY.has(c.argv[0].toUpperCase())) return c;
  }
  return generateAny(g);
}

function generateAny(g: GenCtx): Cmd {
  const r = g.r;
  let x = r.next() * WEIGHT_SUM;
  let gen = G[G.length - 1];
  for (const cand of G) { if ((x -= cand.w) < 0) { gen = cand; break; } }
  const cmd = gen.gen(g);
  if (r.chance(0.04) && !cmd.argv.includes('-4611686018427387904')) {
    // Damage: wrong arity or a junk argument.
    const a = cmd.argv.slice();
    switch (r.int(3)) {
      case 0: a.length = 1 + r.int(Math.max(1, a.length - 1)); break;
      case 1: a.push(r.pick(['junk', '1', 'x', '', 'WITHVALUES', 'COUNT', '0'])); break;
      case 2: if (a.length > 1) a[1 + r.int(a.length - 1)] = r.pick(['x', '-1', '', '99999999999999999999', 'missing', 'str', 'h1', 'l1']); break;
    }
    cmd.argv = a;
  }
  return cmd;
}

// ====================================================================== engine-side looks (no side effects)

interface PeekObj { type: string; encoding: string; ptr: any }
function peek(c: Client, key: string): PeekObj | undefined {
  // Side-effect free (dict.get would do a rehash step): the buckets of both tables.
  const d = c.db.dict as any;
  const h = d.hash(key);
  for (const t of [d.ht0, d.ht1]) {
    if (!t.length) continue;
    for (let de = t[h & (t.length - 1)]; de; de = de.next) if (de.key === key) return de.val as PeekObj;
  }
  return undefined;
}

const WRITES = new Set(['lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'lset', 'linsert', 'lrem', 'ltrim', 'lmove',
  'rpoplpush', 'lmpop', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'hset', 'hmset', 'hsetnx', 'hdel', 'hincrby',
  'hincrbyfloat', 'copy', 'del', 'set', 'sadd']);

/** jemalloc size classes (as src/engine/memory.ts). */
function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  let p = 128;
  while (p * 2 < n) p *= 2;
  const step = p / 4;
  return Math.ceil(n / step) * step;
}
function sdsAlloc(len: number): number {
  const hdr = len < 32 ? (len === 0 ? 3 : 1) : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return mallocSize(hdr + len + 1);
}

/**
 * Is MEMORY USAGE of `key` deterministic in Redis? Lists: always. Hashes: listpacks always; hash
 * tables only when every entry has the same allocation size (Redis samples the first entries in hash-seed order), and then
 * up to the bucket arrays: when an incremental rehash ends depends on which buckets are empty, so on
 * the hash seed ('slots': the two answers may differ by the bucket array of one table, 8 bytes x 2^k).
 */
function memoryDeterministic(c: Client, argv: string[]): boolean | 'slots' {
  if (argv.length < 3) return true;
  const o = peek(c, argv[2]);
  if (!o) return true;
  const i = argv.findIndex((a, j) => j >= 3 && a.toUpperCase() === 'SAMPLES');
  if (i >= 0 && !/^\d+$/.test(argv[i + 1] ?? '')) return true; // an error
  // Lists: compressed nodes too (LZF with a clean hash table, as the engine models it; Redis's table is
  // left uninitialized between calls, which in practice gives the same sizes).
  if (o.type === 'list') return true;
  if (o.type === 'hash') {
    if (o.encoding === 'listpack') return true;
    let size = -1;
    let same = true;
    o.ptr.forEach((f: string, v: string) => {
      const s = sdsAlloc(f.length) + sdsAlloc(v.length);
      if (size === -1) size = s; else if (s !== size) same = false;
    });
    return same && 'slots';
  }
  return false;
}

// ====================================================================== comparing

function cmpStr(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** Items of an aggregate reply as strings (bulk strings; nested arrays joined). */
function bulkItems(v: RespValue): (string | null)[] {
  if (!('items' in v) || !v.items) return [];
  return v.items.map((x) => ('bulk' in x ? x.bulk : 'line' in x ? x.line : serializeReply(x)));
}

/** An aggregate reply with its items sorted in groups of `size` (a map: pairs). */
function canonical(raw: string, size = 1): string {
  try {
    const v = parseReply(raw);
    if (!('items' in v) || !v.items) return raw;
    const groups: string[] = [];
    for (let i = 0; i < v.items.length; i += size) groups.push(v.items.slice(i, i + size).map(serializeReply).join(''));
    groups.sort(cmpStr);
    return v.type + String(v.type === '%' ? v.items.length / 2 : v.items.length) + '\r\n' + groups.join('');
  } catch {
    return raw;
  }
}

function show(argv: string[]): string {
  return argv.map((a) => {
    const t = a.length > 40 ? a.slice(0, 12) + `...(${a.length} bytes)` : a;
    return /^[\x21-\x7e]+$/.test(t) && !/["'\\]/.test(t) ? t : escapeBytes(t);
  }).join(' ').slice(0, 600);
}

function clip(s: string): string { return s.length > 600 ? s.slice(0, 600) + `...(${s.length} chars)` : s; }

interface Mismatch { seed: number; resp: number; step: number; argv: string[]; note: string }

class Runner {
  engine: ReturnType<typeof createEngine>;
  c: Client;
  history: string[] = [];
  compared = 0;
  /** A second connection (and engine client) subscribed to every keyspace notification. */
  private sub: RespConnection | null = null;
  private pushed: string[] = [];
  /** rdb_changes_since_last_save (Redis) and engine.dirty at the last check. */
  private dirtyR = 0;
  private dirtyE = 0;
  constructor(private conn: RespConnection, private resp: 2 | 3, engineSeed: number) {
    this.engine = createEngine({ seed: engineSeed });
    this.c = this.engine.defaultClient;
  }

  /** Start the dirty-count checks (and the notification checks with `notify`). */
  async startSideEffects(port: number, notify: boolean): Promise<void> {
    this.dirtyR = await this.redisDirty();
    this.dirtyE = this.engine.dirty;
    if (!notify) return;
    await this.conn.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    this.c.exec(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    this.sub = await RespConnection.connect(port);
    await this.sub.call(['PSUBSCRIBE', '__key*__:*']);
    const sc = this.engine.createClient();
    sc.onPush = (r) => { this.pushed.push(encodeReply(r, sc.resp)); };
    sc.exec(['PSUBSCRIBE', '__key*__:*']);
    this.pushed = [];
  }

  async close(): Promise<void> {
    await this.sub?.close();
    await this.watcher?.close();
  }

  /** A third connection (and engine client) WATCHing every key: was a key touched (signalModifiedKey)? */
  private watcher: RespConnection | null = null;
  private watchClient: Client | null = null;
  async startWatching(port: number): Promise<void> {
    this.watcher = await RespConnection.connect(port);
    this.watchClient = this.engine.createClient();
    await this.watcher.call(['WATCH', ...ALL_KEYS]);
    this.watchClient.exec(['WATCH', ...ALL_KEYS]);
  }

  /** MULTI / PING / EXEC on the watching clients: nil when the command touched a watched key. Then WATCH again. */
  private async touched(): Promise<{ r: string; e: string }> {
    const out = { r: '', e: '' };
    for (const a of [['MULTI'], ['PING'], ['EXEC'], ['WATCH', ...ALL_KEYS]]) {
      const r = await this.watcher!.call(a);
      const e = encodeReply(this.watchClient!.exec(a).reply, this.watchClient!.resp);
      if (a[0] === 'EXEC') { out.r = r; out.e = e; }
    }
    return out;
  }

  private async redisDirty(): Promise<number> {
    const info = await this.conn.call(['INFO', 'persistence']);
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  }

  /** The keyspace notifications the last command sent (in order), and its dirty count. */
  async sideEffects(argv: string[]): Promise<string | null> {
    if (this.watcher) {
      const t = await this.touched();
      if (STATS) stats.set('(watch saw a touch)', { n: (stats.get('(watch saw a touch)')?.n ?? 0) + (t.r.startsWith('*-1') || t.r.startsWith('_') ? 1 : 0), err: 0 });
      if (t.r !== t.e) return `${show(argv)}: WATCH saw a touched key differently (EXEC after it)\n  redis:  ${escapeBytes(t.r)}\n  engine: ${escapeBytes(t.e)}`;
    }
    if (this.sub) {
      this.sub.send(['PING']);
      let got = '';
      for (;;) {
        const r = await this.sub.read(10_000);
        if (r.status !== 'ok') throw new Error(`subscriber: ${r.status}`);
        if (r.raw === '*2\r\n$4\r\npong\r\n$0\r\n\r\n') break;
        got += r.raw;
      }
      const mine = this.pushed.join('');
      this.pushed = [];
      if (got !== mine) return `${show(argv)}: keyspace notifications differ\n  redis:  ${clip(escapeBytes(got))}\n  engine: ${clip(escapeBytes(mine))}`;
    }
    const name = argv[0].toLowerCase();
    if (WRITES.has(name) || name === 'config' || name === 'exec') {
      const r = await this.redisDirty();
      const e = this.engine.dirty;
      const dr = r - this.dirtyR, de = e - this.dirtyE;
      this.dirtyR = r; this.dirtyE = e;
      if (dr !== de) return `${show(argv)}: dirty (rdb_changes_since_last_save) grew by ${dr} in Redis, ${de} in the engine`;
    }
    return null;
  }

  eng(argv: string[]): { raw: string; blocked: boolean } {
    const r = this.c.exec(argv);
    if (r.blocked) return { raw: '', blocked: true };
    return { raw: (r.extra ?? []).map((x) => encodeReply(x, this.c.resp)).join('') + encodeReply(r.reply, this.c.resp), blocked: false };
  }

  /** Every command sent on the main connection (DEEP_DUMP). */
  sent: string[][] = [];

  async both(argv: string[]): Promise<{ exp: string; act: string }> {
    if (DUMP) this.sent.push(argv);
    const exp = await this.conn.call(argv, 10_000);
    const e = this.eng(argv);
    this.compared++;
    return { exp, act: e.blocked ? '(engine blocked)' : e.raw };
  }

  async same(argv: string[], what = ''): Promise<string | null> {
    const { exp, act } = await this.both(argv);
    if (STATS && !what) {
      const st = stats.get(argv[0].toUpperCase()) ?? { n: 0, err: 0 };
      st.n++;
      if (exp.startsWith('-')) { st.err++; const m = argv[0].toUpperCase() + ' ' + exp.slice(0, 40).trim(); errs.set(m, (errs.get(m) ?? 0) + 1); }
      stats.set(argv[0].toUpperCase(), st);
    }
    this.history.push(`${what}${show(argv)} -> ${clip(escapeBytes(exp))}`);
    if (exp !== act) return `${what}${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
    return null;
  }

  /** OBJECT ENCODING (and MEMORY USAGE where deterministic) of the keys a write touched. */
  async afterWrite(keys: string[]): Promise<string | null> {
    for (const k of new Set(keys)) {
      if (!ALL_KEYS.includes(k)) continue;
      const bad = await this.same(['OBJECT', 'ENCODING', k], '  (check) ');
      if (bad) return bad;
      // Lists: every node (SAMPLES 0), the first node alone (SAMPLES 1) and the default 5: the node layout.
      const o = peek(this.c, k);
      const probes = o?.type === 'list' ? [['SAMPLES', '0'], ['SAMPLES', '1'], []] : [[]];
      for (const extra of probes) {
        const bad2 = await this.memory(['MEMORY', 'USAGE', k, ...extra], '  (check) ');
        if (bad2) return bad2;
      }
    }
    return null;
  }

  /** The whole keyspace: type, encoding, contents and memory of every key. */
  async fullCheck(): Promise<string | null> {
    for (const k of ALL_KEYS) {
      const t = await this.conn.call(['TYPE', k]);
      const bad = await this.same(['TYPE', k], '  (check) ') ?? await this.same(['OBJECT', 'ENCODING', k], '  (check) ');
      if (bad) return bad;
      if (t.includes('list')) {
        const b = await this.same(['LRANGE', k, '0', '-1'], '  (check) ');
        if (b) return b;
      } else if (t.includes('hash')) {
        const b = await this.hashRead(['HGETALL', k], 2, '  (check) ');
        if (b) return b;
      }
      for (const mem of [['MEMORY', 'USAGE', k], ['MEMORY', 'USAGE', k, 'SAMPLES', '0']]) {
        const b = await this.memory(mem, '  (check) ');
        if (b) return b;
      }
    }
    return null;
  }

  /** MEMORY USAGE where Redis's answer is deterministic (see memoryDeterministic). */
  async memory(argv: string[], what = ''): Promise<string | null> {
    const det = memoryDeterministic(this.c, argv);
    if (!det) return null;
    if (det === true) return this.same(argv, what);
    const { exp, act } = await this.both(argv);
    this.history.push(`${what}${show(argv)} -> ${clip(escapeBytes(exp))}`);
    const e = /^:(\d+)\r\n$/.exec(exp), a = /^:(\d+)\r\n$/.exec(act);
    // Redis's bucket count (the engine's plus the difference / 8) must be a table size (2^a >= 4) or, during
    // a rehash, the sum of two. Which one depends on when each side's rehashes ended: on the hash seed.
    const o = peek(this.c, argv[2]);
    const engineSlots: number = o ? o.ptr.ht0.length + o.ptr.ht1.length : 0;
    const slots = e && a ? engineSlots + (Number(e[1]) - Number(a[1])) / 8 : -1;
    const pow2 = (x: number) => x >= 4 && (x & (x - 1)) === 0;
    const valid = Number.isInteger(slots) && (pow2(slots) || [...Array(31).keys()].some((k) => pow2(1 << k) && (1 << k) < slots && pow2(slots - (1 << k)) && slots - (1 << k) !== 1 << k));
    if (e && a ? !valid : exp !== act) {
      return `${what}${show(argv)} (up to bucket arrays)\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
    }
    return null;
  }

  /** HKEYS / HVALS / HGETALL: exact on a listpack, unordered on a hash table. */
  async hashRead(argv: string[], size: number, what = ''): Promise<string | null> {
    const o = argv.length >= 2 ? peek(this.c, argv[1]) : undefined;
    const unordered = !!o && o.type === 'hash' && o.encoding === 'hashtable';
    const { exp, act } = await this.both(argv);
    this.history.push(`${what}${show(argv)} -> ${clip(escapeBytes(exp))}`);
    if ((unordered ? canonical(exp, size) : exp) !== (unordered ? canonical(act, size) : act)) {
      return `${what}${show(argv)}${unordered ? ' (unordered)' : ''}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
    }
    return null;
  }

  /** HRANDFIELD: count, membership, values, distinctness and (listpack) order against Redis's state. */
  async hrandfield(argv: string[]): Promise<string | null> {
    const key = argv[1];
    const o = key !== undefined ? peek(this.c, key) : undefined;
    const isHash = !!o && o.type === 'hash';
    // Redis's contents before (and the same read on the engine).
    const contents = new Map<string, string>();
    const order: string[] = [];
    if (isHash) {
      const bad = await this.hashRead(['HGETALL', key], 2, '  (before) ');
      if (bad) return bad;
      const raw = await this.conn.call(['HGETALL', key]);
      const it = bulkItems(parseReply(raw)) as string[];
      for (let i = 0; i < it.length; i += 2) { contents.set(it[i], it[i + 1]); order.push(it[i]); }
    }
    const listpack = isHash && o!.encoding === 'listpack';
    const { exp, act } = await this.both(argv);
    this.history.push(`${show(argv)} -> ${clip(escapeBytes(exp))}`);
    const fail = (why: string) => `${show(argv)}: ${why}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
    let ev: RespValue, av: RespValue;
    try { ev = parseReply(exp); av = parseReply(act); } catch { return exp === act ? null : fail('differs'); }
    const random = isHash && ((ev.type === '$' && 'bulk' in ev && ev.bulk !== null) || ('items' in ev && !!ev.items && ev.items.length > 0));
    if (!random) return exp === act ? null : fail('differs');
    if (ev.type !== av.type) return fail('reply types differ');
    if (ev.type === '$') {
      return contents.has((av as { bulk: string }).bulk) ? null : fail('not a field');
    }
    const ei = (ev as { items: RespValue[] }).items, ai = (av as { items: RespValue[] | null }).items;
    if (!ai || ai.length !== ei.length) return fail('lengths differ');
    const withvalues = argv.length >= 4;
    const fields: string[] = [];
    if (withvalues && this.resp === 3) {
      for (const pr of ai) {
        if (!('items' in pr) || !pr.items || pr.items.length !== 2 || pr.type !== '*') return fail('RESP3 pair shape');
        const [f, v] = bulkItems(pr) as string[];
        if (contents.get(f) !== v) return fail(`value of ${escapeBytes(f)}`);
        fields.push(f);
      }
    } else if (withvalues) {
      const it = bulkItems(av) as string[];
      for (let i = 0; i < it.length; i += 2) {
        if (contents.get(it[i]) !== it[i + 1]) return fail(`value of ${escapeBytes(it[i])}`);
        fields.push(it[i]);
      }
    } else {
      for (const x of ai) {
        if (!('bulk' in x) || x.bulk === null || x.type !== '$') return fail('element type');
        fields.push(x.bulk);
      }
    }
    for (const f of fields) if (!contents.has(f)) return fail(`${escapeBytes(f)} is not a field`);
    const count = Number(argv[2]);
    if (count > 0) {
      if (new Set(fields).size !== fields.length) return fail('repeated fields');
      if (fields.length !== Math.min(count, contents.size)) return fail('wrong count');
      if (count >= contents.size) {
        // The whole hash, in the encoding's order (listpack: insertion order).
        if (listpack ? exp !== act : canonical(exp, withvalues && this.resp === 2 ? 2 : 1) !== canonical(act, withvalues && this.resp === 2 ? 2 : 1)) return fail('whole hash differs');
      } else if (listpack && count > 1) {
        // lpRandomPairsUnique: the picks come out in listpack order.
        let j = 0;
        for (const f of fields) {
          while (j < order.length && order[j] !== f) j++;
          if (j++ >= order.length) return fail('not in listpack order');
        }
      }
    }
    return null;
  }

  /** HSCAN: exact over a listpack; over a hash table, iterated to the end on both sides. */
  async hscan(argv: string[]): Promise<string | null> {
    const o = argv.length >= 3 ? peek(this.c, argv[1]) : undefined;
    const big = o && o.type === 'hash' && o.encoding === 'hashtable';
    if (!big) return this.same(argv);
    // strtoul: "" and "00" are cursor 0 too.
    const cur = argv[2];
    if (!/^\d*$/.test(cur) || BigInt(cur || '0') !== 0n) {
      if (/^-?\d+$/.test(cur) && BigInt(cur) <= 18446744073709551615n && BigInt(cur) >= -18446744073709551615n) return null;
      return this.same(argv);
    }
    const collect = async (call: (a: string[]) => Promise<string> | string): Promise<{ els: string[]; err: string | null }> => {
      const els: string[] = [];
      let cursor = '0';
      for (let i = 0; i < 100000; i++) {
        const a = argv.slice(); a[2] = cursor;
        const raw = await call(a);
        const v = parseReply(raw);
        if (!('items' in v) || !v.items || v.items.length !== 2) return { els, err: raw };
        cursor = (bulkItems(v)[0]) ?? '0';
        const it = bulkItems(v.items[1]) as string[];
        for (let j = 0; j < it.length; j += 2) els.push(it[j] + '\x01' + it[j + 1]);
        if (cursor === '0') break;
      }
      return { els: [...new Set(els)].sort(cmpStr), err: null };
    };
    const e = await collect((a) => this.conn.call(a));
    const x = await collect((a) => this.eng(a).raw);
    this.compared++;
    this.history.push(`${show(argv)} (full scan) -> ${e.err ? escapeBytes(e.err) : e.els.length + ' elements'}`);
    if ((e.err ?? '') !== (x.err ?? '') || e.els.join('\x02') !== x.els.join('\x02')) {
      const onlyE = e.els.filter((m) => !x.els.includes(m)).slice(0, 10).map(escapeBytes);
      const onlyA = x.els.filter((m) => !e.els.includes(m)).slice(0, 10).map(escapeBytes);
      return `${show(argv)} (full scan)\n  redis:  ${e.err ? escapeBytes(e.err) : e.els.length + ' elements'}; only in redis: ${onlyE.join(' ')}\n  engine: ${x.err ? escapeBytes(x.err) : x.els.length + ' elements'}; only in engine: ${onlyA.join(' ')}`;
    }
    return null;
  }

  /** Would this blocking command block in Redis (every source key missing)? Then it is skipped. */
  wouldBlock(argv: string[]): boolean {
    const name = argv[0].toLowerCase();
    let keys: string[];
    if (name === 'blpop' || name === 'brpop') {
      if (argv.length < 3) return false;
      keys = argv.slice(1, -1);
    } else if (name === 'blmove' || name === 'brpoplpush') {
      if (argv.length !== (name === 'blmove' ? 6 : 4)) return false;
      keys = [argv[1]];
    } else {
      if (argv.length < 5) return false;
      const n = Number(argv[2]);
      keys = Number.isInteger(n) && n > 0 ? argv.slice(3, 3 + n) : [];
      if (!keys.length) return false;
    }
    return keys.every((k) => !peek(this.c, k));
  }

  async step(cmd: Cmd): Promise<string | null> {
    const argv = cmd.argv;
    const name = argv[0].toLowerCase();
    const mode = cmd.mode ?? { kind: 'exact' };
    let bad: string | null;
    if (mode.kind === 'multi') {
      bad = await this.same(['MULTI']);
      for (const c of mode.cmds) bad ??= await this.same(c.argv, '  (queued) ');
      bad ??= await this.same([mode.discard ? 'DISCARD' : 'EXEC']);
      bad ??= await this.sideEffects(['EXEC']);
      return bad ?? this.afterWrite(mode.cmds.flatMap((c) => c.argv.slice(1)));
    }
    if (mode.kind === 'hrandfield') bad = await this.hrandfield(argv);
    else if (mode.kind === 'hscan') bad = await this.hscan(argv);
    else if (mode.kind === 'hashread') bad = await this.hashRead(argv, mode.size);
    else if (mode.kind === 'memory') bad = await this.memory(argv);
    else if (mode.kind === 'blocking') {
      if (this.wouldBlock(argv)) return null;
      bad = await this.same(argv);
    } else {
      bad = await this.same(argv);
    }
    if (bad) return bad;
    bad = await this.sideEffects(argv);
    if (bad) return bad;
    if (WRITES.has(name)) return this.afterWrite(argv.slice(1));
    return null;
  }
}

// ====================================================================== vitest

const mismatches: Mismatch[] = [];

describe.skipIf(!bin)('deep differential: lists, hashes (engine vs redis-server)', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (STATS) console.log([...stats].sort().map(([k, v]) => `${k} ${v.n} (${v.err} errors)`).join('\n') + '\n' + [...errs].sort().map(([k, v]) => `  ${v} ${k}`).join('\n'));
    if (mismatches.length) {
      const by = new Map<string, number>();
      for (const m of mismatches) by.set(m.argv[0].toUpperCase(), (by.get(m.argv[0].toUpperCase()) ?? 0) + 1);
      console.log(`deep lists-hashes: ${mismatches.length} mismatching seed runs; by command: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const m of mismatches) console.log(`--- seed ${m.seed} RESP${m.resp} step ${m.step}\n${m.note}`);
    }
  });

  for (const resp of RESPS) {
    for (const seed of SEEDS) {
      it(`RESP${resp} seed ${seed}: ${LEN} commands`, async () => {
        const conn = await RespConnection.connect(server.port);
        try {
          expect(await conn.call(['FLUSHALL'])).toBe('+OK\r\n');
          expect(await conn.call(RESET_CONFIG)).toBe('+OK\r\n');
          expect(await conn.call(['CONFIG', 'SET', 'notify-keyspace-events', ''])).toBe('+OK\r\n');
          const run = new Runner(conn, resp, seed);
          if (resp === 3) {
            await conn.call(['HELLO', '3']);
            run.c.exec(['HELLO', '3']);
          }
          await run.startSideEffects(server.port, NOTIFY);
          if (WATCH) await run.startWatching(server.port);
          const rng = new Rng(seed * 7919 + resp);
          const ctx: GenCtx = { r: rng, p: profileFor(seed), c: run.c };
          for (let step = 1; step <= LEN; step++) {
            const cmd = generate(ctx);
            let bad = await run.step(cmd);
            if (!bad && CHECK > 0 && step % CHECK === 0) bad = await run.fullCheck();
            if (bad) {
              const history = run.history.slice(-25);
              const text = [
                `RESP${resp} seed ${seed}, step ${step}: ${bad}`,
                `last ${history.length} commands (with Redis's replies):`,
                ...history.map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed}, DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/lists-hashes.test.ts`,
              ].join('\n');
              if (DUMP) writeFileSync(`${DUMP}/seed-${seed}-resp${resp}.jsonl`, run.sent.map((a) => JSON.stringify(a)).join('\n') + '\n', 'latin1');
              if (KEEPGOING) { mismatches.push({ seed, resp, step, argv: cmd.argv, note: text }); return; }
              expect.fail(text);
            }
          }
          await run.close();
        } finally {
          await conn.close();
        }
      }, 900_000);
    }
  }

  it('no mismatches (DEEP_KEEPGOING)', () => {
    expect(mismatches.length, `${mismatches.length} seed runs mismatched (see the log)`).toBe(0);
  });
});

if (!bin) {
  describe('deep differential: lists, hashes', () => {
    it.skip('redis-server is not installed: skipped', () => {});
  });
}
