/**
 * Deep differential fuzzer for strings, keys, expiry and databases: a seeded grammar of every option
 * and option combination of SET GETEX EXPIRE* COPY SCAN LCS BITCOUNT BITPOS ..., wrong arities,
 * garbage options, edge numbers (int64 limits, overflow, '+1', '-0', ' 1', '1e3', hex, inf, nan,
 * long digit strings), binary and long values (around the 44-byte embstr limit, several KB), big
 * SETRANGE/SETBIT offsets (and the 512MB errors), several databases, OBJECT ENCODING/REFCOUNT after
 * writes, short expiries (followed by a real sleep on both sides), RESP2 and RESP3.
 *
 * The engine (wall clock) and a live redis-server (started here) get the same commands; replies are
 * compared byte for byte, except where Redis's own reply is not determined:
 *  - KEYS (unordered), SCAN 0 with a COUNT that covers the keyspace (items unordered), other SCANs
 *    (shape only), RANDOMKEY (nil or a key the engine has);
 *  - PTTL / PEXPIRETIME within 1000 ms (a loaded machine may delay one side), TTL / EXPIRETIME within
 *    1 second near a half-second rounding boundary (the two clocks differ by a few ms); PEXPIRETIME
 *    right after an absolute time is exact;
 *  - commands skipped (sent to neither side): DBSIZE while a key's time is past (Redis's active expiry
 *    may or may not have removed it), EXPIRE GT/LT comparing two times closer than 300 ms, LCS over
 *    huge values.
 *
 * Env: DEEP_SEEDS (default 2: seeds 1..N, or a list "7,42"), DEEP_LEN (default 500 commands per
 * stream), DEEP_RESP ("2,3": the protocols, one stream each), DEEP_MUTATE (default 0.06: probability
 * of damaging a command), DEEP_CHECK (default 100: every N commands compare OBJECT ENCODING, OBJECT
 * REFCOUNT, TYPE and TTL of every key, and DBSIZE; 0 off), DEEP_STATS=1 (print how many of each command were
 * compared), REDIS_SERVER (the binary).
 *
 *   DEEP_SEEDS=40 DEEP_LEN=5000 npx vitest run --project engine test/conformance/deep/strings-keys.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine';
import type { Client } from '../../../src/engine/client';
import { encodeReply } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, RespConnection, sleep, type RedisServer } from '../lib/redis';
import { parseReply, serializeReply, escapeBytes, splitReplies, type RespValue } from '../lib/resp-reader';
import { Rng } from '../lib/generators';

const bin = findRedisServer();
const seeds = parseList(process.env.DEEP_SEEDS ?? '2', true);
const LEN = Number(process.env.DEEP_LEN ?? 500);
const RESPS = parseList(process.env.DEEP_RESP ?? '2,3', false);
const MUTATE = Number(process.env.DEEP_MUTATE ?? 0.06);
const CHECK = Number(process.env.DEEP_CHECK ?? 100);

function parseList(s: string, range: boolean): number[] {
  if (s.includes(',') || !range) return s.split(',').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

// ------------------------------------------------------------------------------------------ pools

const LONG_KEY = 'long:' + 'K'.repeat(60);
const MAIN_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'n0', 'n1'];
const ODD_KEYS = ['a*b', 'a?c', '[x]', 'h\\i', '\x00z', '\xffk', '', LONG_KEY, 'k10', 'K0'];
const ALL_KEYS = [...MAIN_KEYS, ...ODD_KEYS];
const key = (r: Rng) => (r.chance(0.12) ? r.pick(ODD_KEYS) : r.pick(MAIN_KEYS));

const WORDS = ['a', 'b', 'foo', 'bar', 'hello world', '', 'abcdef', 'ohmytext', 'xyz', 'A', 'zz'];
const INTISH = ['0', '1', '2', '10', '99', '9999', '10000', '-1', '-10000', '123', '007', '-0', '+1', ' 1', '1 ', '00',
  '9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '9223372036854775808',
  '-9223372036854775809', '18446744073709551616', '12345678901234567890', '1234567890123456789', '99999999999999999999',
  '1234567890123456789012', '0x10', '1e3', '4.5', '3.0', 'inf', '-inf', 'nan', '.5', '5.', '4611686018427387904'];
const FLOATISH = ['1.5', '-2.25', '1e308', '-1e308', '1e-5', '0.1', '3.3333333333333333', '1.7976931348623157e308', '5e-324',
  '0x1p3', '1e400', '1e-400', '17179869184.5', '1.0e1', '-0.0', '+.5', '0.30000000000000004', '12345678901234567.5'];
const BIN_BYTES = ['\x00', '\x01', '\x7f', '\x80', '\xff', 'a', '\r', '\n', ' ', '"', '\\', '1', '-'];

function binary(r: Rng, max: number): string {
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += r.pick(BIN_BYTES);
  return s;
}

function digits(r: Rng): string {
  const n = 1 + r.int(25);
  let s = r.chance(0.3) ? '-' : '';
  for (let i = 0; i < n; i++) s += String(i === 0 ? 1 + r.int(9) : r.int(10));
  return s;
}

/** A value: words, number-like text, lengths around the 44-byte embstr limit, binary, long. */
function value(r: Rng): string {
  const p = r.next();
  if (p < 0.25) return r.pick(WORDS);
  if (p < 0.47) return r.pick(INTISH);
  if (p < 0.55) return digits(r);
  if (p < 0.63) return r.pick(FLOATISH);
  if (p < 0.78) return r.pick(['x', '1', 'ab']).repeat(1).padEnd(r.pick([19, 20, 21, 39, 43, 44, 45, 46, 63, 64, 65]), r.pick(['y', '7', '\x00']));
  if (p < 0.92) return binary(r, 12);
  if (p < 0.97) return r.pick(['v', 'w', '\xfe']).repeat(100 + r.int(900));
  return r.pick(['L', 'M']).repeat(2000 + r.int(4000));
}

const INTS = ['0', '1', '-1', '5', '100', '-100', '10000', '9999', '9223372036854775807', '-9223372036854775808', '9223372036854775806',
  '-9223372036854775807', '9223372036854775808', '-9223372036854775809', '+1', '-0', ' 1', '1 ', '1e3', '0x10', 'inf', 'nan', '',
  '00', '01', '1'.repeat(30), '-' + '9'.repeat(25), '1.0', '4611686018427387904', '-4611686018427387904', 'x', '\x001', '1\x00',
  '4611686018427387903', '2147483648', '-2147483649'];
const intArg = (r: Rng) => (r.chance(0.6) ? r.pick(['1', '2', '5', '-3', '100', '0', '-1', '1000']) : r.pick(INTS));

const FLOATS = ['0', '1', '-1', '1.5', '0.1', '-0.1', '2.5e-5', '1e2', '1e17', 'inf', '-inf', '+inf', 'nan', '-nan', '1e5000',
  '1e-5000', '0x1p-16500', '', ' 1', '1 ', '1e', '.', '-.', '1.5e+3', 'Infinity', '0x10', '0X1P3', '1_0', '5.0e3', '.5', '5.',
  '1.7976931348623157e308', '-1.7976931348623157e308', '3.3333333333333333', '123456789.123456789', '9223372036854775807',
  '0.000001', '1e-10', '-0', '+0', 'x', '1e308', '4.9406564584124654e-324', '1.1e-4950'];
const floatArg = (r: Rng) => r.pick(FLOATS);

const INDEXES = ['0', '1', '-1', '2', '-2', '3', '5', '10', '-10', '43', '44', '45', '100', '-100', '1000', '9223372036854775807',
  '-9223372036854775808', '4294967296', '-4294967297', 'x', '1.5', '', '+1', '-0', '9223372036854775808'];
const index = (r: Rng) => r.pick(INDEXES);

/** Relative seconds that stay far in the future for the run, or are in the past, or are errors. */
const REL_SEC = ['100', '1000', '86400', '3600', '12345', '-1', '0', '-100', '9223372036854775807', '9223372036854775',
  '9223372036854776', '9223372036854774', '-9223372036854775808', '-9223372036854775', '-9223372036854776', 'x', '1.5', '',
  '100000000000', '+100', '4611686018427387', '9223372036854'];
const REL_MS = ['100000', '2000000', '123456789', '-1', '0', '-100000', '9223372036854775807', '9223372036854775806',
  '9223370000000000000', '9007199254740993', 'x', '1e5', '', '-9223372036854775808', '100000.5', '86400000'];
const ABS_SEC = ['1', '0', '-1', '1000000000', '4102444800', '4102444801', '253402300799', '9223372036854775', '9223372036854776',
  '9223372036854775807', '-9223372036854775808', 'x', '9007199254740', '9007199254741', '4102444800.5'];
const ABS_MS = ['1', '0', '-1', '4102444800000', '4102444800123', '4102444800500', '4102444800499', '9007199254740993',
  '9007199254740992', '9223372036854775807', '9223372036854775806', '-9223372036854775808', 'x', '18014398509481985',
  '1000000000000', '9223372036854775000'];

const BIT_OFFSETS = ['0', '1', '7', '8', '9', '15', '16', '63', '64', '100', '351', '352', '360', '1000', '8191', '65536', '800000',
  '-1', 'x', '1.0', '4294967296', '9223372036854775807', '18446744073709551616', '+1', ' 1', '4294967295', '34359738368'];
const SETRANGE_OFFSETS = ['0', '1', '3', '10', '43', '44', '45', '100', '1000', '10000', '-1', 'x', '536870912', '536870913',
  '9223372036854775807', '9223372036854775806', '4294967296', '+5', '1.0', '-9223372036854775808'];

/** Random upper/lower case of an option (Redis compares case-insensitively). */
function cased(r: Rng, s: string): string {
  // Redis compares options with strcasecmp: an option ends at its first NUL byte.
  if (r.chance(0.02)) return s + r.pick(['\x00', '\x00z', '\x00\x00x']);
  const p = r.next();
  if (p < 0.5) return s.toUpperCase();
  if (p < 0.8) return s.toLowerCase();
  let o = '';
  for (const ch of s) o += r.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase();
  return o;
}

const GARBAGE = ['FOO', 'junk', '', 'EXX', 'N', 'X', 'GETT', '1', 'PXATT', 'EX\x00', 'KEEP', 'withmatch', 'DB1', 'REPLAC'];

function shuffle<T>(r: Rng, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ------------------------------------------------------------------------------------------ commands

type Mode =
  | { kind: 'exact' }
  | { kind: 'unordered' }
  | { kind: 'scan-full' }
  | { kind: 'shape' }
  | { kind: 'randomkey' }
  /** Integers equal within `tol` (both replies integers; negatives exact). */
  | { kind: 'num'; tol: number };

interface Cmd {
  argv: string[];
  mode?: Mode;
  /** Real milliseconds to wait after the command (short expiries), both sides. */
  sleepAfter?: number;
  /** Real milliseconds to wait before the command, running the engine's cron every 100 ms (active expiry). */
  sleepBefore?: number;
  /** SCAN: iterate from cursor 0 until the cursor is 0 again, on each side, and compare the keys seen. */
  iterate?: boolean;
  /** Never damaged by mutate() (CONFIG SET: its argument parsing is not this fuzzer's area). */
  noMutate?: boolean;
  /** Commands to run right after this one (a transaction's body and EXEC). */
  then?: Cmd[];
  /** A write that may change what probes see: absolute (exact PEXPIRETIME) or relative (TTL). */
  expiry?: 'abs' | 'rel';
}

interface Gen {
  name: string;
  weight: number;
  gen: (r: Rng, e: Engine) => Cmd;
}

/** The SET options: a random selection of NX XX GET KEEPTTL EX PX EXAT PXAT (and garbage), random order. */
function setOptions(r: Rng): { opts: string[]; expiry?: 'abs' | 'rel' } {
  const opts: string[][] = [];
  let expiry: 'abs' | 'rel' | undefined;
  const n = r.pick([0, 0, 1, 1, 1, 2, 2, 3, 4]);
  for (let i = 0; i < n; i++) {
    const o = r.pick(['NX', 'XX', 'GET', 'KEEPTTL', 'EX', 'PX', 'EXAT', 'PXAT', 'EX', 'PX', 'EXAT', 'PXAT', 'GET']);
    if (o === 'EX') { opts.push([cased(r, o), r.pick(REL_SEC)]); expiry = 'rel'; }
    else if (o === 'PX') { opts.push([cased(r, o), r.pick(REL_MS)]); expiry = 'rel'; }
    else if (o === 'EXAT') { opts.push([cased(r, o), r.pick(ABS_SEC)]); expiry ??= 'abs'; }
    else if (o === 'PXAT') { opts.push([cased(r, o), r.pick(ABS_MS)]); expiry ??= 'abs'; }
    else opts.push([cased(r, o)]);
  }
  if (r.chance(0.04)) opts.push([r.pick(GARBAGE)]);
  const flat = shuffle(r, opts).flat();
  if (r.chance(0.04)) flat.push(r.pick(['EX', 'PX', 'EXAT', 'PXAT'])); // an option without its value
  return { opts: flat, expiry };
}

function getexOptions(r: Rng): { opts: string[]; expiry?: 'abs' | 'rel' } {
  const opts: string[][] = [];
  let expiry: 'abs' | 'rel' | undefined;
  const n = r.pick([0, 1, 1, 1, 1, 2, 3]);
  for (let i = 0; i < n; i++) {
    const o = r.pick(['EX', 'PX', 'EXAT', 'PXAT', 'PERSIST', 'PERSIST']);
    if (o === 'EX') { opts.push([cased(r, o), r.pick(REL_SEC)]); expiry = 'rel'; }
    else if (o === 'PX') { opts.push([cased(r, o), r.pick(REL_MS)]); expiry = 'rel'; }
    else if (o === 'EXAT') { opts.push([cased(r, o), r.pick(ABS_SEC)]); expiry ??= 'abs'; }
    else if (o === 'PXAT') { opts.push([cased(r, o), r.pick(ABS_MS)]); expiry ??= 'abs'; }
    else opts.push([cased(r, o)]);
  }
  if (r.chance(0.05)) opts.push([r.pick([...GARBAGE, 'KEEPTTL', 'NX', 'GET'])]);
  const flat = shuffle(r, opts).flat();
  if (r.chance(0.05)) flat.push(r.pick(['EX', 'PX', 'EXAT', 'PXAT']));
  return { opts: flat, expiry };
}

function expireFlags(r: Rng): string[] {
  const n = r.pick([0, 0, 0, 1, 1, 1, 2, 3]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.chance(0.06) ? r.pick(GARBAGE) : cased(r, r.pick(['NX', 'XX', 'GT', 'LT'])));
  return out;
}

function keysPattern(r: Rng): string {
  if (r.chance(0.3)) return r.pick(['*', 'k*', 'k?', 'k[0-3]', 'k[^0-3]', '*1', 'n*', '[kn][0-9]', 'a\\*b', 'a*', 'h\\\\i', '\\[x\\]',
    '[[]x]', '*\x00*', '\xff*', 'm:1*', 'm:?', 'm:[1-2]?', 'm:*[^0-4]', '*:1?0', 'k[3-0]', 'k[0-]', 'k[', 'k[\\]', '*[', '', '**', 'K*', 'k[a-z0-9]*', '?', '??', 'long:*', '[^k]*']);
  const alphabet = ['k', 'n', '0', '1', '3', 'a', 'b', 'x', '*', '*', '?', '[', ']', '^', '-', '\\', '\x00', '\xff', 'K', 'z'];
  const n = r.int(7);
  let s = '';
  for (let i = 0; i < n; i++) s += r.pick(alphabet);
  return s;
}

const TYPES = ['string', 'list', 'set', 'zset', 'hash', 'none', 'STRING', 'stream', 'foo', ''];

const dbArg = (r: Rng) => (r.chance(0.85) ? r.pick(['0', '1', '2', '0', '1', '15']) : r.pick(['16', '-1', 'x', '', ' 1', '1.0', '2147483648',
  '-2147483649', '9223372036854775808', '+1', '01']));

const GENERATORS: Gen[] = [
  // ------------------------------------------------------------ strings
  { name: 'set', weight: 10, gen: (r) => { const o = setOptions(r); return { argv: [cased(r, 'SET'), key(r), value(r), ...o.opts], expiry: o.expiry }; } },
  { name: 'get', weight: 5, gen: (r) => ({ argv: ['GET', key(r)] }) },
  { name: 'getset', weight: 2, gen: (r) => ({ argv: ['GETSET', key(r), value(r)] }) },
  { name: 'getdel', weight: 2, gen: (r) => ({ argv: ['GETDEL', key(r)] }) },
  { name: 'getex', weight: 4, gen: (r) => { const o = getexOptions(r); return { argv: ['GETEX', key(r), ...o.opts], expiry: o.expiry }; } },
  { name: 'mget', weight: 2, gen: (r) => ({ argv: ['MGET', ...r.some(ALL_KEYS, 5)] }) },
  {
    name: 'mset', weight: 2, gen: (r) => {
      const a = ['MSET'];
      for (let i = 0, n = 1 + r.int(4); i < n; i++) a.push(key(r), value(r));
      if (r.chance(0.05)) a.pop();
      return { argv: a };
    },
  },
  {
    name: 'msetnx', weight: 2, gen: (r) => {
      const a = ['MSETNX'];
      for (let i = 0, n = 1 + r.int(3); i < n; i++) a.push(key(r), value(r));
      if (r.chance(0.05)) a.pop();
      return { argv: a };
    },
  },
  { name: 'setnx', weight: 2, gen: (r) => ({ argv: ['SETNX', key(r), value(r)] }) },
  { name: 'setex', weight: 2, gen: (r) => ({ argv: ['SETEX', key(r), r.pick(REL_SEC), value(r)], expiry: 'rel' }) },
  { name: 'psetex', weight: 2, gen: (r) => ({ argv: ['PSETEX', key(r), r.pick(REL_MS), value(r)], expiry: 'rel' }) },
  { name: 'append', weight: 5, gen: (r) => ({ argv: ['APPEND', key(r), r.chance(0.3) ? r.pick(['1', '0', '99', '-5', '']) : value(r)] }) },
  { name: 'strlen', weight: 2, gen: (r) => ({ argv: ['STRLEN', key(r)] }) },
  { name: 'incr', weight: 4, gen: (r) => ({ argv: ['INCR', key(r)] }) },
  { name: 'decr', weight: 3, gen: (r) => ({ argv: ['DECR', key(r)] }) },
  { name: 'incrby', weight: 4, gen: (r) => ({ argv: ['INCRBY', key(r), intArg(r)] }) },
  { name: 'decrby', weight: 3, gen: (r) => ({ argv: ['DECRBY', key(r), intArg(r)] }) },
  { name: 'incrbyfloat', weight: 4, gen: (r) => ({ argv: ['INCRBYFLOAT', key(r), floatArg(r)] }) },
  { name: 'getrange', weight: 3, gen: (r) => ({ argv: [r.pick(['GETRANGE', 'SUBSTR']), key(r), index(r), index(r)] }) },
  {
    name: 'setrange', weight: 4, gen: (r) => {
      const off = r.chance(0.7) ? r.pick(['0', '1', '3', '10', '43', '44', '45', '100', '0', '2']) : r.pick(SETRANGE_OFFSETS);
      let v = r.chance(0.2) ? '' : value(r);
      // 536870911 + 1 byte would build a 512MB string: keep the offsets that are errors only.
      if (off === '536870911' && v.length < 2) v = 'ab';
      return { argv: ['SETRANGE', key(r), off, v] };
    },
  },
  {
    name: 'setbit', weight: 4, gen: (r) => {
      let off = r.chance(0.6) ? String(r.int(200)) : r.pick(BIT_OFFSETS);
      if (off === '4294967295') off = '4294967296'; // the largest valid offset would build a 512MB string
      return { argv: ['SETBIT', key(r), off, r.pick(['0', '1', '1', '0', '2', '-1', 'x', '', '01', ' 1', '1.0'])] };
    },
  },
  { name: 'getbit', weight: 3, gen: (r) => ({ argv: ['GETBIT', key(r), r.chance(0.6) ? String(r.int(200)) : r.pick(BIT_OFFSETS)] }) },
  {
    name: 'bitcount', weight: 4, gen: (r) => {
      const a = ['BITCOUNT', key(r)];
      const p = r.next();
      if (p < 0.2) return { argv: a };
      if (p < 0.25) return { argv: [...a, index(r)] };
      a.push(r.chance(0.7) ? String(r.int(12) - 4) : index(r), r.chance(0.7) ? String(r.int(40) - 10) : index(r));
      if (r.chance(0.5)) a.push(r.chance(0.9) ? cased(r, r.pick(['BIT', 'BYTE'])) : r.pick(GARBAGE));
      if (r.chance(0.03)) a.push('BIT');
      return { argv: a };
    },
  },
  {
    name: 'bitpos', weight: 4, gen: (r) => {
      const a = ['BITPOS', key(r), r.chance(0.9) ? r.pick(['0', '1']) : r.pick(['2', '-1', 'x', '', '01'])];
      const n = r.pick([0, 1, 2, 3, 3, 4]);
      if (n >= 1) a.push(r.chance(0.7) ? String(r.int(12) - 4) : index(r));
      if (n >= 2) a.push(r.chance(0.7) ? String(r.int(40) - 10) : index(r));
      if (n >= 3) a.push(r.chance(0.9) ? cased(r, r.pick(['BIT', 'BYTE'])) : r.pick(GARBAGE));
      if (n >= 4) a.push('BIT');
      return { argv: a };
    },
  },
  {
    name: 'lcs', weight: 3, gen: (r) => {
      const opts: string[][] = [];
      for (let i = 0, n = r.pick([0, 0, 1, 1, 2, 3]); i < n; i++) {
        const o = r.pick(['LEN', 'IDX', 'IDX', 'MINMATCHLEN', 'WITHMATCHLEN', 'WITHMATCHLEN']);
        if (o === 'MINMATCHLEN') opts.push([cased(r, o), r.pick(['0', '1', '2', '3', '-1', 'x', '9223372036854775807', '4', ''])]);
        else opts.push([cased(r, o)]);
      }
      if (r.chance(0.05)) opts.push([r.pick([...GARBAGE, 'MINMATCHLEN'])]);
      return { argv: ['LCS', key(r), key(r), ...shuffle(r, opts).flat()] };
    },
  },
  // ------------------------------------------------------------ keys
  { name: 'del', weight: 3, gen: (r) => ({ argv: [r.pick(['DEL', 'UNLINK']), ...r.some(ALL_KEYS, 4)] }) },
  { name: 'exists', weight: 2, gen: (r) => ({ argv: ['EXISTS', ...r.some(ALL_KEYS, 5)] }) },
  { name: 'touch', weight: 1, gen: (r) => ({ argv: ['TOUCH', ...r.some(ALL_KEYS, 4)] }) },
  { name: 'type', weight: 2, gen: (r) => ({ argv: ['TYPE', key(r)] }) },
  { name: 'keys', weight: 3, gen: (r) => ({ argv: ['KEYS', keysPattern(r)], mode: { kind: 'unordered' } }) },
  {
    name: 'scan', weight: 3, gen: (r, e) => {
      const full = r.chance(0.8);
      const cursor = full ? '0' : r.pick(['0', '1', '5', 'x', '-1', '18446744073709551615', '18446744073709551616', ' 0', '+0', '0x0', '', '1\x00']);
      const opts: string[][] = [];
      const count = full ? r.pick(['1000', '100000', '9223372036854775807']) : r.pick(['1', '2', '5', '0', '-1', 'x', '', '10']);
      if (full || r.chance(0.8)) opts.push([cased(r, 'COUNT'), count]);
      if (r.chance(0.4)) opts.push([cased(r, 'MATCH'), keysPattern(r)]);
      if (r.chance(0.3)) opts.push([cased(r, 'TYPE'), r.pick(TYPES)]);
      if (r.chance(0.05)) opts.push([r.pick([...GARBAGE, 'COUNT', 'MATCH', 'TYPE'])]);
      const argv = ['SCAN', cursor, ...shuffle(r, opts).flat()];
      const dbsize = e.defaultClient.db.dict.size();
      const covers = cursor === '0' && argv.some((a, i) => /^count$/i.test(a) && /^\d{4,}$/.test(argv[i + 1] ?? '')) && dbsize < 500;
      return { argv, mode: covers ? { kind: 'scan-full' } : { kind: 'shape' } };
    },
  },
  {
    name: 'scan-iterate', weight: 1, gen: (r) => {
      const opts: string[][] = [[cased(r, 'COUNT'), r.pick(['1', '2', '3', '7', '20'])]];
      if (r.chance(0.4)) opts.push([cased(r, 'MATCH'), keysPattern(r)]);
      if (r.chance(0.3)) opts.push([cased(r, 'TYPE'), r.pick(TYPES)]);
      return { argv: ['SCAN', '0', ...shuffle(r, opts).flat()], iterate: true };
    },
  },
  { name: 'randomkey', weight: 1, gen: () => ({ argv: ['RANDOMKEY'], mode: { kind: 'randomkey' } }) },
  { name: 'rename', weight: 3, gen: (r) => ({ argv: [r.pick(['RENAME', 'RENAMENX']), key(r), key(r)] }) },
  {
    name: 'expire', weight: 6, gen: (r) => {
      const which = r.pick(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']);
      const t = r.pick(which === 'EXPIRE' ? REL_SEC : which === 'PEXPIRE' ? REL_MS : which === 'EXPIREAT' ? ABS_SEC : ABS_MS);
      return { argv: [cased(r, which), key(r), t, ...expireFlags(r)], expiry: which.endsWith('AT') ? 'abs' : 'rel' };
    },
  },
  {
    name: 'short-expire', weight: 1, gen: (r) => {
      const ms = String(1 + r.int(30));
      const k = key(r);
      const argv = r.pick([
        ['PEXPIRE', k, ms], ['SET', k, value(r), 'PX', ms], ['PSETEX', k, ms, value(r)], ['GETEX', k, 'PX', ms],
        ['SET', k, value(r), 'PX', ms, 'GET'], ['PEXPIRE', k, ms, 'NX'], ['PEXPIRE', k, ms, 'LT'],
      ]);
      return { argv, sleepAfter: 60 };
    },
  },
  { name: 'persist', weight: 2, gen: (r) => ({ argv: ['PERSIST', key(r)] }) },
  { name: 'ttl', weight: 3, gen: (r) => ({ argv: [r.pick(['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']), key(r)] }) },
  { name: 'select', weight: 2, gen: (r) => ({ argv: ['SELECT', dbArg(r)] }) },
  { name: 'move', weight: 2, gen: (r) => ({ argv: ['MOVE', key(r), dbArg(r)] }) },
  { name: 'swapdb', weight: 1, gen: (r) => ({ argv: ['SWAPDB', dbArg(r), dbArg(r)] }) },
  {
    name: 'copy', weight: 3, gen: (r) => {
      const opts: string[][] = [];
      if (r.chance(0.5)) opts.push([cased(r, 'DB'), dbArg(r)]);
      if (r.chance(0.4)) opts.push([cased(r, 'REPLACE')]);
      if (r.chance(0.1)) opts.push([cased(r, 'REPLACE')]);
      if (r.chance(0.05)) opts.push([r.pick([...GARBAGE, 'DB'])]);
      return { argv: ['COPY', key(r), key(r), ...shuffle(r, opts).flat()] };
    },
  },
  { name: 'dbsize', weight: 2, gen: () => ({ argv: ['DBSIZE'] }) },
  {
    name: 'sleep-dbsize', weight: 0.8, gen: (r) => r.pick<Cmd>([
      { argv: ['DBSIZE'], sleepBefore: 350 }, { argv: ['DBSIZE'], sleepBefore: 350 }, { argv: ['KEYS', '*'], mode: { kind: 'unordered' }, sleepBefore: 350 },
      { argv: ['RANDOMKEY'], mode: { kind: 'randomkey' }, sleepBefore: 350 },
    ]),
  },
  { name: 'flushdb', weight: 0.15, gen: (r) => ({ argv: [r.pick(['FLUSHDB', 'FLUSHALL']), ...(r.chance(0.5) ? [r.pick(['ASYNC', 'SYNC', 'sync', 'junk', ''])] : [])] }) },
  {
    name: 'object', weight: 4, gen: (r) => {
      const sub = r.chance(0.9) ? r.pick(['ENCODING', 'ENCODING', 'REFCOUNT', 'FREQ']) : r.pick(['encoding', 'Refcount', 'junk']);
      return { argv: ['OBJECT', sub, key(r), ...(r.chance(0.03) ? ['x'] : [])] };
    },
  },
  // ------------------------------------------------------------ focused value shapes
  {
    // Small-alphabet strings: LCS finds many matches, GETRANGE/SETRANGE/BITPOS random positions.
    name: 'lcs-values', weight: 2, gen: (r) => {
      const ab = r.pick(['ab', 'abc', 'abcd', 'ACGT', 'a\x00\xff']);
      const mk = () => { let x = ''; for (let i = 0, n = r.int(r.chance(0.2) ? 300 : 30); i < n; i++) x += ab[r.int(ab.length)]; return x; };
      if (r.chance(0.5)) return { argv: ['MSET', 'k0', mk(), 'k1', mk()] };
      const opts: string[][] = [];
      if (r.chance(0.6)) opts.push(['IDX']);
      if (r.chance(0.3)) opts.push(['MINMATCHLEN', String(r.int(6))]);
      if (r.chance(0.4)) opts.push(['WITHMATCHLEN']);
      if (r.chance(0.15)) opts.push(['LEN']);
      return { argv: ['LCS', r.pick(['k0', 'k1', 'k2']), r.pick(['k0', 'k1', 'k2']), ...shuffle(r, opts).flat()] };
    },
  },
  {
    // Random bytes (all 256 values) for the bit commands, then a bit command at a random position.
    name: 'bit-values', weight: 2, gen: (r) => {
      if (r.chance(0.3)) {
        let x = '';
        const dense = r.pick([0x00, 0xff, -1]);
        for (let i = 0, n = r.int(40); i < n; i++) x += String.fromCharCode(dense >= 0 && r.chance(0.8) ? dense : r.int(256));
        return { argv: ['SET', r.pick(['k2', 'k3']), x] };
      }
      const k = r.pick(['k2', 'k3']);
      const pos = () => String(r.int(400) - 100);
      return {
        argv: r.pick([
          ['BITPOS', k, r.pick(['0', '1']), pos(), pos(), r.pick(['BIT', 'BYTE'])], ['BITPOS', k, r.pick(['0', '1']), pos()],
          ['BITPOS', k, r.pick(['0', '1']), pos(), pos()], ['BITCOUNT', k, pos(), pos(), r.pick(['BIT', 'BYTE'])],
          ['BITCOUNT', k, pos(), pos()], ['SETBIT', k, String(r.int(400)), r.pick(['0', '1'])], ['GETBIT', k, String(r.int(400))],
          ['GETRANGE', k, pos(), pos()], ['SETRANGE', k, String(r.int(60)), binary(r, 5)],
        ]),
      };
    },
  },
  {
    // Random decimal floats (long-double INCRBYFLOAT: parsing, rounding, %.17Lf formatting).
    name: 'float-values', weight: 2, gen: (r) => {
      const f = () => {
        let x = r.pick(['', '', '-', '+']);
        const id = r.int(22);
        for (let i = 0; i < id; i++) x += String(r.int(10));
        if (r.chance(0.7) || id === 0) { x += '.'; for (let i = 0, n = 1 + r.int(22); i < n; i++) x += String(r.int(10)); }
        if (r.chance(0.3)) x += r.pick(['e', 'E']) + r.pick(['', '-', '+']) + String(r.int(r.chance(0.2) ? 5000 : 40));
        return x;
      };
      const k = r.pick(['k4', 'k5']);
      return { argv: r.chance(0.3) ? ['SET', k, f()] : ['INCRBYFLOAT', k, f()] };
    },
  },
  {
    // Integers near the int64 limits and the shared range (INCRBY/DECRBY overflow, encodings).
    name: 'int-values', weight: 2, gen: (r) => {
      const near = () => {
        const base = r.pick([9223372036854775807n, -9223372036854775808n, 0n, 9999n, 10000n, -1n, 4611686018427387904n]);
        return String(base + BigInt(r.int(7) - 3));
      };
      const k = r.pick(['n0', 'n1']);
      return { argv: r.pick([['SET', k, near()], ['INCRBY', k, near()], ['DECRBY', k, near()], ['INCR', k], ['DECR', k], ['OBJECT', 'ENCODING', k], ['OBJECT', 'REFCOUNT', k], ['GETSET', k, near()], ['APPEND', k, String(r.int(10))], ['INCRBYFLOAT', k, near()]]) };
    },
  },
  {
    // Many keys at once (the keyspace dict grows and rehashes; KEYS, SCAN and DBSIZE over hundreds of keys).
    name: 'many-keys', weight: 0.3, gen: (r) => {
      if (r.chance(0.4)) return { argv: ['DEL', ...Array.from({ length: 100 }, (_, i) => `m:${i}`)] };
      const n = 1 + r.int(150);
      const a = ['MSET'];
      for (let i = 0; i < n; i++) a.push(`m:${r.int(300)}`, r.chance(0.5) ? String(r.int(20000)) : value(r).slice(0, 60));
      return { argv: a };
    },
  },
  {
    // Configs that change replies here: shared integers (maxmemory with an LRU/LFU policy), size limits.
    name: 'config', weight: 0.5, gen: (r) => ({
      noMutate: true,
      argv: ['CONFIG', 'SET', ...r.pick([
        ['maxmemory', r.pick(['0', '1gb', '1gb'])],
        ['maxmemory-policy', r.pick(['noeviction', 'allkeys-lru', 'volatile-lfu', 'allkeys-random', 'volatile-ttl', 'volatile-lru', 'allkeys-lfu'])],
        ['proto-max-bulk-len', r.pick(['1mb', '536870912', '2mb'])],
        ['maxmemory', '1gb', 'maxmemory-policy', r.pick(['allkeys-lru', 'noeviction'])],
      ])],
    }),
  },
  // ------------------------------------------------------------ other types (WRONGTYPE paths)
  {
    name: 'other-types', weight: 1.5, gen: (r) => ({
      argv: r.pick([['LPUSH', key(r), 'a'], ['SADD', key(r), '1'], ['HSET', key(r), 'f', 'v'], ['ZADD', key(r), '1', 'a'], ['RPUSH', key(r), '1', '2']]),
    }),
  },
];

/** Not inside MULTI: replies compared loosely, time-dependent (GT/LT a few ms apart), slow, or sleeping. */
const NOT_IN_MULTI = new Set(['scan-iterate', 'config', 'sleep-dbsize', 'keys', 'scan', 'randomkey', 'ttl', 'dbsize', 'short-expire', 'flushdb', 'many-keys', 'lcs', 'lcs-values', 'expire']);

GENERATORS.push({
  // A transaction: MULTI, 1..4 commands (queued, or refused: arity, unknown), then EXEC or DISCARD.
  name: 'multi', weight: 1.5, gen: (r, e) => {
    const inner: Cmd[] = [];
    for (let i = 0, n = 1 + r.int(4); i < n; i++) {
      let g: Gen;
      do g = pickGen(r); while (NOT_IN_MULTI.has(g.name) || g.name === 'multi');
      const c = g.gen(r, e);
      if (r.chance(0.1)) c.argv = mutate(r, c.argv);
      inner.push({ argv: c.argv });
    }
    if (r.chance(0.05)) inner.push({ argv: ['MULTI'] });
    inner.push({ argv: [r.chance(0.9) ? 'EXEC' : 'DISCARD'] });
    return { argv: ['MULTI'], then: inner };
  },
});

const TOTAL_WEIGHT = GENERATORS.reduce((s, g) => s + g.weight, 0);

function pickGen(r: Rng): Gen {
  let x = r.next() * TOTAL_WEIGHT;
  for (const g of GENERATORS) {
    x -= g.weight;
    if (x < 0) return g;
  }
  return GENERATORS[GENERATORS.length - 1];
}

/** Damage a command: drop, add, duplicate or replace an argument. */
function mutate(r: Rng, argv: string[]): string[] {
  const a = argv.slice();
  switch (r.int(5)) {
    case 0: if (a.length > 1) a.pop(); break;
    case 1: a.push(r.pick(['junk', '1', 'x', '', 'EX', 'NX', 'GET', '-1'])); break;
    case 2: if (a.length > 1) a[1 + r.int(a.length - 1)] = r.pick(['x', '-1', '', '99999999999999999999', '\x00', '0']); break;
    case 3: if (a.length > 1) a.splice(1 + r.int(a.length - 1), 0, a[1 + r.int(a.length - 1)]); break;
    case 4: a.length = 1; break;
  }
  return a;
}

// ------------------------------------------------------------------------------------------ engine peeks

/** The key's expire time (ms) in the client's current db, without side effects; null if none. */
function peekExpire(c: Client, k: string): number | null {
  let when: number | null = null;
  c.db.expires.forEach((k2, w) => { if (k2 === k) when = Number(w); });
  return when;
}

function peekValue(c: Client, k: string): { type: string; ptr: unknown } | null {
  let v: { type: string; ptr: unknown } | null = null;
  c.db.dict.forEach((k2, o) => { if (k2 === k) v = o as { type: string; ptr: unknown }; });
  return v;
}

/** A key in any db whose time is past (or about to pass): Redis may have deleted it already, or not. */
function pastKeys(c: Client): boolean {
  const now = Date.now() + 50;
  let past = false;
  for (const db of c.engine.dbs) db.expires.forEach((_k, w) => { if (Number(w) <= now) past = true; });
  return past;
}

/**
 * When a key's time was last seen past (or about to pass). For a while after, DBSIZE is not
 * deterministic: the engine may have deleted the key lazily (RANDOMKEY, a lookup) while Redis's
 * active expiry (10 times a second) has not yet, or the other way round.
 */
let lastPastAt = 0;

const nearHalf = (ms: number, w: number) => Math.abs((((ms % 1000) + 1000) % 1000) - 500) < w;

function toBigOrNull(s: string | undefined): bigint | null {
  if (s === undefined || !/^-?\d{1,19}$/.test(s)) return null;
  return BigInt(s);
}

/**
 * Commands Redis answers nondeterministically in this state: sent to neither side (null), or
 * compared with a tolerance (a Mode).
 */
function judge(c: Client, cmd: Cmd): 'skip' | Mode | undefined {
  const argv = cmd.argv;
  const name = argv[0].toUpperCase();
  if (pastKeys(c)) lastPastAt = Date.now();
  // After a sleep with the engine's cron running (cmd.sleepBefore), both active expiries had time.
  if (name === 'DBSIZE') return Date.now() - lastPastAt < (cmd.sleepBefore ? 250 : 1000) ? 'skip' : undefined;
  // SCAN ... TYPE none lists a logically expired key that is still there (lookupKey says "none", then
  // expireIfNeeded finds no TTL): in Redis, unless its active expiry deleted it already.
  if (name === 'SCAN' && argv.some((a, i) => i > 1 && /^type$/i.test(argv[i - 1]) && /^none(\x00|$)/i.test(a)) && Date.now() - lastPastAt < 1000) return 'skip';
  if ((name === 'TTL' || name === 'EXPIRETIME') && argv.length === 2) {
    const when = peekExpire(c, argv[1]);
    if (when === null) return undefined;
    if (when - Date.now() < 200) return 'skip'; // expiring now
    return nearHalf(name === 'TTL' ? when - Date.now() : when, 300) ? { kind: 'num', tol: 1 } : undefined;
  }
  if ((name === 'PTTL' || name === 'PEXPIRETIME') && argv.length === 2) {
    const when = peekExpire(c, argv[1]);
    if (when === null) return undefined;
    if (when - Date.now() < 200) return 'skip';
    return { kind: 'num', tol: 1000 };
  }
  if (name === 'LCS' && argv.length >= 3) {
    const a = peekValue(c, argv[1]), b = peekValue(c, argv[2]);
    const la = a && typeof a.ptr === 'string' ? a.ptr.length : 0;
    const lb = b && typeof b.ptr === 'string' ? b.ptr.length : 0;
    // Slow, unless it is the quick "exceeds proto-max-bulk-len" error.
    if (la * lb > 400_000 && (la + 1) * (lb + 1) * 4 <= c.engine.config.protoMaxBulkLen) return 'skip';
  }
  // LFU counters grow with a random probability (OBJECT FREQ), and LRU/LFU fields of shared integers are shared.
  if (name === 'OBJECT' && argv.length > 1 && /^freq/i.test(argv[1]) && c.engine.usesLfu()) return 'skip';
  if (name === 'EXPIRE' || name === 'PEXPIRE' || name === 'EXPIREAT' || name === 'PEXPIREAT') {
    // GT / LT comparing two times a few ms apart (set relatively on two clocks): not deterministic.
    const up = argv.slice(3).map((x) => x.toUpperCase());
    if (!up.includes('GT') && !up.includes('LT')) return undefined;
    const cur = peekExpire(c, argv[1] ?? '');
    const t = toBigOrNull(argv[2]);
    if (cur === null || t === null) return undefined;
    let when = name.startsWith('P') ? t : t * 1000n;
    if (!name.endsWith('AT')) when += BigInt(Date.now());
    const d = when - BigInt(cur);
    if (d < 300n && d > -300n) return 'skip';
  }
  if (name === 'GETEX' || name === 'SET') {
    // An absolute time within a few ms of now: deleted or not depending on the clock.
    for (let i = 2; i < argv.length - 1; i++) {
      const u = argv[i].toUpperCase();
      if (u !== 'EXAT' && u !== 'PXAT') continue;
      const t = toBigOrNull(argv[i + 1]);
      if (t === null) continue;
      const ms = u === 'EXAT' ? t * 1000n : t;
      const d = ms - BigInt(Date.now());
      if (d < 300n && d > -300n) return 'skip';
    }
  }
  return undefined;
}

/** The absolute time (ms) an EXPIREAT / PEXPIREAT / SET ... EXAT|PXAT / GETEX ... EXAT|PXAT asks for. */
function absoluteMs(argv: string[]): bigint | null {
  const name = argv[0].toUpperCase();
  if (name === 'EXPIREAT' || name === 'PEXPIREAT') {
    const t = toBigOrNull(argv[2]);
    return t === null ? null : name === 'EXPIREAT' ? t * 1000n : t;
  }
  for (let i = 2; i < argv.length - 1; i++) {
    const u = argv[i].toUpperCase();
    if (u !== 'EXAT' && u !== 'PXAT') continue;
    const t = toBigOrNull(argv[i + 1]);
    return t === null ? null : u === 'EXAT' ? t * 1000n : t;
  }
  return null;
}

// ------------------------------------------------------------------------------------------ comparison

function cmpStr(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function sortItems(v: RespValue): RespValue {
  return 'items' in v && v.items ? { type: v.type, items: v.items.slice().sort((a, b) => cmpStr(serializeReply(a), serializeReply(b))) } : v;
}

/** null when equal under the mode, else a reason. */
function compare(mode: Mode, expected: string, actual: string, engine: Engine): string | null {
  if (expected === actual) return null;
  if (mode.kind === 'exact') return 'bytes differ';
  let ev: RespValue, av: RespValue;
  try { ev = parseReply(expected); av = parseReply(actual); } catch (e) { return String(e); }
  if (ev.type !== av.type) return 'types differ';
  switch (mode.kind) {
    case 'unordered':
      return serializeReply(sortItems(ev)) === serializeReply(sortItems(av)) ? null : 'members differ';
    case 'scan-full': {
      if (!('items' in ev) || !('items' in av) || !ev.items || !av.items || ev.items.length !== 2 || av.items.length !== 2) return 'shape differs';
      if (serializeReply(ev.items[0]) !== serializeReply(av.items[0])) return 'cursor differs';
      return serializeReply(sortItems(ev.items[1])) === serializeReply(sortItems(av.items[1])) ? null : 'members differ';
    }
    case 'shape': {
      if ('items' in ev && 'items' in av) return ev.items?.length === av.items?.length ? null : 'lengths differ';
      return 'differ';
    }
    case 'randomkey': {
      if (!('bulk' in ev) || !('bulk' in av)) return 'differ';
      if ((ev.bulk === null) !== (av.bulk === null)) return 'nil vs key';
      if (ev.bulk !== null && !engine.defaultClient.db.dict.has(ev.bulk)) return 'Redis returned a key the engine does not have';
      return null;
    }
    case 'num': {
      if (!('line' in ev) || !('line' in av) || ev.type !== ':') return 'differ';
      const a = BigInt(ev.line), b = BigInt(av.line);
      if (a < 0n || b < 0n) return 'differ';
      const d = a - b;
      return d <= BigInt(mode.tol) && d >= -BigInt(mode.tol) ? null : `differ by more than ${mode.tol}`;
    }
  }
  return 'differ';
}

function show(argv: string[]): string {
  const one = (a: string) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : escapeBytes(a));
  return argv.map((a) => (a.length > 80 ? one(a.slice(0, 40)) + `...(${a.length} bytes)` : one(a))).join(' ');
}

// ------------------------------------------------------------------------------------------ the test

describe.skipIf(!bin)('deep differential: strings, keys, expiry, databases', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  for (const resp of RESPS) {
    for (const seed of seeds) {
      it(`RESP${resp} seed ${seed}: ${LEN} commands`, async () => {
        const conn = await RespConnection.connect(server.port);
        try {
          expect(await conn.call(['FLUSHALL'])).toBe('+OK\r\n');
          expect(await conn.call(['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'proto-max-bulk-len', '536870912'])).toBe('+OK\r\n');
          const engine = createEngine({ seed });
          const client = engine.defaultClient;
          if (resp === 3) {
            await conn.call(['HELLO', '3']);
            client.exec(['HELLO', '3']);
          }
          const rng = new Rng(seed * 7919 + resp);
          const history: string[] = [];
          let compared = 0, skipped = 0;
          const byName = new Map<string, number>();

          const run = async (cmd: Cmd, step: number, label: string): Promise<void> => {
            if (cmd.sleepBefore) {
              // Redis's serverCron runs during the real sleep; the engine's cron runs here, as often.
              for (let left = cmd.sleepBefore; left > 0; left -= 100) {
                if (pastKeys(client)) lastPastAt = Date.now();
                await sleep(Math.min(100, left));
                engine.cron();
              }
            }
            const j = judge(client, cmd);
            if (j === 'skip') { skipped++; return; }
            const mode: Mode = cmd.mode ?? j ?? { kind: 'exact' };
            conn.send(cmd.argv);
            const r = client.exec(cmd.argv);
            const actual = (r.extra ?? []).map((x) => encodeReply(x, client.resp)).join('') + encodeReply(r.reply, client.resp);
            let expected = '';
            for (let i = 0, n = Math.max(1, splitReplies(actual).length); i < n; i++) {
              const res = await conn.read(i === 0 ? 10_000 : 1000);
              if (res.status !== 'ok') {
                if (i === 0) throw new Error(`redis-server: ${res.status} after ${show(cmd.argv)}`);
                break;
              }
              expected += res.raw;
            }
            compared++;
            const nm = cmd.argv[0]?.toUpperCase() + (cmd.sleepBefore ? '(after sleep)' : '');
            byName.set(nm, (byName.get(nm) ?? 0) + 1);
            const shown = expected.length > 300 ? escapeBytes(expected.slice(0, 300)) + `...(${expected.length} bytes)` : escapeBytes(expected);
            history.push(`${label}: ${show(cmd.argv).slice(0, 400)} -> ${shown}`);
            const why = compare(mode, expected, actual, engine);
            if (why !== null) {
              const cut = (s: string) => (s.length > 2000 ? escapeBytes(s.slice(0, 2000)) + `...(${s.length} bytes)` : escapeBytes(s));
              expect.fail([
                `RESP${resp} seed ${seed}, ${label}: ${show(cmd.argv).slice(0, 2000)}  (${mode.kind}: ${why})`,
                `  redis:  ${cut(expected)}`,
                `  engine: ${cut(actual)}`,
                `last ${Math.min(25, history.length)} commands (with Redis's replies):`,
                ...history.slice(-26, -1).map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed},${seed} DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/strings-keys.test.ts`,
              ].join('\n'));
            }
            if (cmd.sleepAfter) await sleep(cmd.sleepAfter);
          };

          /**
           * A whole SCAN iteration (COUNT small) on each side until the cursor is 0: the cursors and the
           * batches depend on the hash seed, the set of keys returned does not (no writes in between).
           */
          const scanAll = async (cmd: Cmd, step: number): Promise<void> => {
            if (Date.now() - lastPastAt < 1000 || pastKeys(client)) { skipped++; return; }
            const collect = async (call: (argv: string[]) => Promise<string>): Promise<string> => {
              const seen = new Set<string>();
              let cursor = '0';
              for (let i = 0; i < 5000; i++) {
                const raw = await call(['SCAN', cursor, ...cmd.argv.slice(2)]);
                const v = parseReply(raw);
                if (!('items' in v) || !v.items || v.items.length !== 2) return 'not a scan reply: ' + escapeBytes(raw);
                const [cur, items] = v.items;
                if ('items' in items) for (const it of items.items ?? []) if ('bulk' in it && it.bulk !== null) seen.add(it.bulk);
                cursor = 'bulk' in cur && cur.bulk !== null ? cur.bulk : '0';
                if (cursor === '0') return [...seen].sort().map(escapeBytes).join(' ');
              }
              return 'no end';
            };
            const exp = await collect((argv) => conn.call(argv));
            const act = await collect(async (argv) => encodeReply(client.exec(argv).reply, client.resp));
            compared++;
            history.push(`step ${step}: iterate ${show(cmd.argv)} -> ${exp.slice(0, 300)}`);
            if (exp !== act) {
              expect.fail([
                `RESP${resp} seed ${seed}, step ${step}: iterate ${show(cmd.argv)}: the keys differ`,
                `  redis:  ${exp.slice(0, 2000)}`,
                `  engine: ${act.slice(0, 2000)}`,
                `last ${Math.min(25, history.length)} commands (with Redis's replies):`,
                ...history.slice(-26, -1).map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed},${seed} DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/strings-keys.test.ts`,
              ].join('\n'));
            }
          };

          for (let step = 1; step <= LEN; step++) {
            const g = pickGen(rng);
            const cmd = g.gen(rng, engine);
            if (rng.chance(MUTATE) && !cmd.noMutate) {
              cmd.argv = mutate(rng, cmd.argv);
              cmd.expiry = undefined;
              if (cmd.mode?.kind === 'scan-full') cmd.mode = { kind: 'shape' };
            }
            if (cmd.iterate) { await scanAll(cmd, step); continue; }
            await run(cmd, step, `step ${step}`);
            for (const t of cmd.then ?? []) await run(t, step, `step ${step} then`);
            // Deterministic probes of what an expiry write did.
            if (cmd.expiry && cmd.argv.length > 1) {
              const k = cmd.argv[1];
              // Exact when the key now holds the absolute time the command asked for (not a relative one it kept).
              const abs = cmd.expiry === 'abs' ? absoluteMs(cmd.argv) : null;
              const cur = peekExpire(client, k);
              if (abs !== null && cur !== null && cur === Number(abs)) await run({ argv: ['PEXPIRETIME', k], mode: { kind: 'exact' } }, step, `step ${step} probe`);
              else await run({ argv: ['PEXPIRETIME', k] }, step, `step ${step} probe`);
              await run({ argv: ['TTL', k] }, step, `step ${step} probe`);
            }
            if (CHECK > 0 && step % CHECK === 0) {
              for (const k of ALL_KEYS) {
                await run({ argv: ['OBJECT', 'ENCODING', k] }, step, `check ${step}`);
                await run({ argv: ['OBJECT', 'REFCOUNT', k] }, step, `check ${step}`);
                await run({ argv: ['TYPE', k] }, step, `check ${step}`);
                await run({ argv: ['TTL', k] }, step, `check ${step}`);
              }
              await run({ argv: ['DBSIZE'] }, step, `check ${step}`);
            }
          }
          console.log(`deep strings-keys RESP${resp} seed ${seed}: ${compared} compared, ${skipped} skipped` +
            (process.env.DEEP_STATS ? '\n  ' + [...byName].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n} ${k}`).join(', ') : ''));
        } finally {
          await conn.close();
        }
      }, Math.max(60_000, LEN * 60));
    }
  }
});

if (!bin) {
  describe('deep differential: strings, keys, expiry, databases', () => {
    it.skip('redis-server is not installed: skipped', () => {});
  });
}
