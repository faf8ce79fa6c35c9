/**
 * Deep differential fuzzer for bit operations, HyperLogLogs, geo sets and DUMP / RESTORE: a seeded
 * stream of commands is sent to the engine and to a live redis-server 7.0 (started here on a free
 * port) and the replies are compared byte for byte, in RESP2 and RESP3.
 *
 * - bitmaps: random binary strings, SETBIT, BITOP (every operation, missing keys, other types),
 *   BITFIELD / BITFIELD_RO with random GET / SET / INCRBY over every type width, "#" offsets, every
 *   OVERFLOW mode, extreme values, damaged types and offsets;
 * - HyperLogLogs: PFADD of a few or hundreds of elements (sparse -> dense promotion), PFCOUNT of one
 *   or several keys, PFMERGE, CONFIG SET hll-sparse-max-bytes mid-stream, the cached cardinality
 *   poked with SETRANGE; the raw bytes (GET) are compared after every write;
 * - geo sets: points around a few centers, on the poles and the antimeridian, duplicated
 *   coordinates (equal distances: the order of COUNT results), every search option, STORE /
 *   STOREDIST / GEOSEARCHSTORE, both zset encodings (CONFIG SET zset-max-listpack-entries), scores
 *   that are not geohashes (ZADD);
 * - DUMP of every key (payload bytes) and RESTORE of Redis's payloads with random options, also
 *   damaged ones (the checksum then fails).
 * OBJECT ENCODING of the keys a write touched is compared after the write.
 *
 * Skipped when redis-server is missing. Env: DEEP_SEEDS (default 2, or a list "7,42"), DEEP_LEN
 * (default 500 commands per seed and RESP version), DEEP_RESP ("2,3"), DEEP_KEEPGOING=1 (report every
 * mismatching seed at the end instead of stopping at the first), DEEP_DIAG ("CMD a b;CMD c": commands
 * run on both sides at a mismatch, to look at the state), DEEP_STATS=1 (commands compared and how
 * many were errors), REDIS_SERVER.
 *
 *   DEEP_SEEDS=30 DEEP_LEN=3000 DEEP_KEEPGOING=1 npx vitest run --project engine test/conformance/deep/bits-hll-geo.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, ManualClock } from '../../../src/engine';
import type { Client } from '../../../src/engine/client';
import type { Engine } from '../../../src/engine/engine';
import { encodeReply } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, RespConnection, type RedisServer } from '../lib/redis';
import { parseReply, escapeBytes, type RespValue } from '../lib/resp-reader';
import { Rng } from '../lib/generators';

const SEEDS = parseSeeds(process.env.DEEP_SEEDS ?? '2');
const LEN = Number(process.env.DEEP_LEN ?? 500);
const RESPS = (process.env.DEEP_RESP ?? '2,3').split(',').map((x) => Number(x.trim()) as 2 | 3);
const KEEPGOING = process.env.DEEP_KEEPGOING === '1';
const DIAG = (process.env.DEEP_DIAG ?? '').split(';').map((x) => x.trim()).filter(Boolean);
/** DEEP_STATS=1: how often each command was compared, and how often Redis answered an error. */
const STATS = process.env.DEEP_STATS === '1';
const coverage = new Map<string, { n: number; err: number }>();
const bin = findRedisServer();

function parseSeeds(s: string): number[] {
  if (s.includes(',')) return s.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

// ====================================================================== pools

const BIT_KEYS = ['b1', 'b2', 'b3', 'b4'];
const HLL_KEYS = ['h1', 'h2', 'h3', 'h4'];
const GEO_KEYS = ['g1', 'g2', 'g3'];
const OTHER_KEYS = ['lst', 'missing', 'dst'];
const ALL_KEYS = [...BIT_KEYS, ...HLL_KEYS, ...GEO_KEYS, ...OTHER_KEYS];

const BIT_TYPES = ['u1', 'u2', 'u3', 'u7', 'u8', 'u9', 'u15', 'u16', 'u31', 'u32', 'u33', 'u53', 'u62', 'u63',
  'i1', 'i2', 'i3', 'i7', 'i8', 'i9', 'i16', 'i31', 'i32', 'i33', 'i53', 'i63', 'i64'];
const BAD_TYPES = ['u64', 'i65', 'u0', 'i0', 'x8', 'U8', 'i08', '', 'i', 'u-1', 'i1.5'];
const INT_EDGES = ['0', '1', '-1', '127', '128', '-128', '-129', '255', '256', '32767', '-32768', '65535', '2147483647',
  '-2147483648', '4294967295', '4294967296', '9223372036854775807', '-9223372036854775808', '9007199254740993',
  '4611686018427387904', '-4611686018427387905'];
const BAD_INTS = ['x', '1.5', '', ' 1', '+1', '9223372036854775808', '01'];
const UNITS = ['m', 'km', 'mi', 'ft', 'M', 'KM', 'Mi'];
const CENTERS: [number, number][] = [[13.36, 38.11], [2.35, 48.85], [-73.98, 40.75], [0, 0], [179.9, 10], [-179.9, -10], [10, 84.9], [-20, -84.9], [139.7, 35.7]];

function bigIntStr(r: Rng): string {
  const v = (BigInt(r.int(0x7fffffff)) << 32n) | BigInt(r.int(0x100000000));
  return (r.chance(0.5) ? -v : v).toString();
}

function intArg(r: Rng): string {
  const x = r.next();
  if (x < 0.5) return String(r.int(2000) - 1000);
  if (x < 0.85) return r.pick(INT_EDGES);
  if (x < 0.97) return bigIntStr(r);
  return r.pick(BAD_INTS);
}

function randomBytes(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.3) ? r.pick([0, 255, 0x0f, 0xf0, 0xaa]) : r.int(256));
  return s;
}

function bitOffset(r: Rng, bits: number, write = false): string {
  const x = r.next();
  // (No offset near 2^32 bits for writes: a 512 MB string is slow in Redis and too long for a JS string.)
  if (write && x >= 0.9 && x < 0.95) return r.pick(['-1', '#-1', 'x', '#', '1.5', '4294967296', '#9223372036854775807']);
  if (x < 0.6) return String(r.int(200));
  if (x < 0.8) return '#' + r.int(20);
  if (x < 0.9) return String(r.int(2000));
  if (x < 0.95) return r.pick(['-1', '#-1', 'x', '#', '1.5', '4294967295', '4294967296', '#536870911', '#9223372036854775807']);
  return String(bits * r.int(10));
}

function coord(r: Rng, allowInvalid = true): [string, string] {
  const x = allowInvalid ? r.next() : r.next() * 0.95;
  if (x < 0.75) {
    const [lon, lat] = r.pick(CENTERS);
    const d = r.pick([0.001, 0.05, 0.5, 3]);
    let lo = lon + (r.next() * 2 - 1) * d;
    let la = lat + (r.next() * 2 - 1) * d;
    lo = Math.max(-180, Math.min(180, lo));
    la = Math.max(-85.05112878, Math.min(85.05112878, la));
    return [lo.toFixed(r.pick([0, 2, 6, 8])), la.toFixed(r.pick([0, 2, 6, 8]))];
  }
  if (x < 0.85) return [r.pick(['180', '-180', '0', '179.999999', '-0']), r.pick(['85.05112878', '-85.05112878', '0', '85', '-85'])];
  if (x < 0.95) return [String(r.next() * 360 - 180), String(r.next() * 170 - 85)];
  return [r.pick(['181', '-180.1', 'x', 'inf', '1e400', '0x10', '']), r.pick(['86', '-90', 'y', 'nan', '1'])];
}

function placeName(r: Rng): string {
  return r.chance(0.9) ? 'p' + r.int(60) : r.pick(['', '\x00', 'P\xff', 'a b', 'x'.repeat(70)]);
}

function distance(r: Rng): string {
  if (r.chance(0.04)) return r.pick(['-1', 'x', '']);
  return r.pick(['0', '1', '10', '50', '100', '200', '500', '1000', '5000', '20000', '0.5', '123.456', '3.75']);
}

// ====================================================================== generators

interface Cmd {
  argv: string[];
  /** Keys whose encoding and bytes are compared after the command. */
  touched?: string[];
}

interface State {
  /** The last DUMP payloads Redis returned (RESTORE material). */
  payloads: { payload: string; key: string }[];
}

function genBits(r: Rng): Cmd {
  const key = r.pick(BIT_KEYS);
  const x = r.next();
  if (x < 0.12) return { argv: ['SET', key, randomBytes(r, r.pick([0, 1, 2, 3, 5, 8, 9, 16, 40]))], touched: [key] };
  if (x < 0.2) return { argv: ['SETBIT', key, String(r.int(300)), r.pick(['0', '1'])], touched: [key] };
  if (x < 0.35) {
    const op = r.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'Or', 'FOO']);
    const n = op.toUpperCase() === 'NOT' ? (r.chance(0.9) ? 1 : 2) : 1 + r.int(4);
    const dest = r.chance(0.97) ? r.pick(BIT_KEYS) : r.pick(ALL_KEYS);
    const srcs: string[] = [];
    for (let i = 0; i < n; i++) srcs.push(r.chance(0.95) ? r.pick(BIT_KEYS) : r.pick(ALL_KEYS));
    return { argv: ['BITOP', op, dest, ...srcs], touched: [dest] };
  }
  if (x < 0.85) {
    const ro = r.chance(0.15);
    const argv = [ro ? 'BITFIELD_RO' : 'BITFIELD', r.chance(0.95) ? key : r.pick(ALL_KEYS)];
    const nops = r.int(5);
    for (let i = 0; i < nops; i++) {
      const y = r.next();
      const type = r.chance(0.97) ? r.pick(BIT_TYPES) : r.pick(BAD_TYPES);
      const bits = Number(type.slice(1)) || 8;
      if (y < 0.35 || ro && y < 0.9) argv.push(r.pick(['GET', 'get']), type, bitOffset(r, bits));
      else if (y < 0.6) argv.push('SET', type, bitOffset(r, bits, true), intArg(r));
      else if (y < 0.85) argv.push(r.pick(['INCRBY', 'incrby']), type, bitOffset(r, bits, true), intArg(r));
      else if (y < 0.97) argv.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL', 'sat', 'fail']));
      else argv.push(r.pick(['OVERFLOW', 'FOO', 'GET', 'SET']));
    }
    return { argv, touched: [argv[1]] };
  }
  if (x < 0.95) return { argv: [r.pick(['GET', 'STRLEN', 'BITCOUNT']), key] };
  return { argv: ['BITPOS', key, r.pick(['0', '1'])] };
}

function hllElements(r: Rng, pool: number): string[] {
  const n = r.chance(0.15) ? r.pick([50, 100, 300, 700, 1500]) : r.int(6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.chance(0.97) ? 'e' + r.int(pool) : r.pick(['', '\x00', 'a\x00b', 'x'.repeat(100), '123', '-1']));
  return out;
}

function genHll(r: Rng, pool: number): Cmd {
  const key = r.pick(HLL_KEYS);
  const x = r.next();
  if (x < 0.4) return { argv: ['PFADD', r.chance(0.97) ? key : r.pick(ALL_KEYS), ...hllElements(r, pool)], touched: [key] };
  if (x < 0.55) return { argv: ['PFCOUNT', key] , touched: [key] };
  if (x < 0.65) {
    const keys = r.some(r.chance(0.9) ? HLL_KEYS : ALL_KEYS, 3);
    return { argv: ['PFCOUNT', ...keys] };
  }
  if (x < 0.75) {
    const dest = r.chance(0.9) ? key : r.pick(ALL_KEYS);
    const srcs = r.chance(0.1) ? [] : r.some(r.chance(0.9) ? HLL_KEYS : ALL_KEYS, 3);
    return { argv: ['PFMERGE', dest, ...srcs], touched: [dest] };
  }
  if (x < 0.8) return { argv: ['PFDEBUG', r.pick(['ENCODING', 'DECODE', 'TODENSE', 'GETREG', 'FOO']), key], touched: [key] };
  if (x < 0.84) return { argv: ['CONFIG', 'SET', 'hll-sparse-max-bytes', r.pick(['0', '30', '100', '300', '1000', '3000', '3000', '20000'])] };
  if (x < 0.9) {
    // Poke the cached cardinality, or the header.
    const at = key === 'h4' ? r.pick([8, 11, 15, 15, 4, 0]) : r.pick([8, 11, 15, 15]);
    const v = r.pick(['\x00', '\x80', '\x7f', '\x2a', '\x01', '\x02']);
    return { argv: ['SETRANGE', key, String(at), v], touched: [key] };
  }
  if (x < 0.93) return { argv: ['SET', 'h4', r.pick(['HYLL', 'foo', '12345', 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff', 'HYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x01\x7f\xfe'])], touched: [key] };
  return { argv: [r.pick(['GET', 'STRLEN']), key] };
}

function genGeo(r: Rng, s: State): Cmd {
  const key = r.chance(0.95) ? r.pick(GEO_KEYS) : r.pick(ALL_KEYS);
  const x = r.next();
  if (x < 0.25) {
    const argv = ['GEOADD', key];
    if (r.chance(0.2)) argv.push(...r.some(['NX', 'XX', 'CH', 'ch'], 2));
    const n = r.chance(0.2) ? 10 + r.int(60) : 1 + r.int(4);
    const dup = r.chance(0.2) ? coord(r) : null;
    for (let i = 0; i < n; i++) {
      // (An invalid pair fails the whole GEOADD: only now and then.)
      const [lo, la] = dup && r.chance(0.7) ? dup : coord(r, i === 0 && r.chance(0.3));
      argv.push(lo, la, placeName(r));
    }
    if (r.chance(0.03)) argv.pop();
    return { argv, touched: [key] };
  }
  if (x < 0.3) return { argv: ['ZADD', key, r.pick(['0', '1', '-5', '1.5', '1e30', 'inf', '4503599627370496', String(r.int(2 ** 52))]), placeName(r)], touched: [key] };
  if (x < 0.34) return { argv: ['ZREM', key, placeName(r), placeName(r)], touched: [key] };
  if (x < 0.42) return { argv: ['GEODIST', key, placeName(r), placeName(r), ...(r.chance(0.7) ? [r.pick([...UNITS, 'parsec'])] : [])] };
  if (x < 0.48) return { argv: [r.pick(['GEOPOS', 'GEOHASH']), key, ...Array.from({ length: 1 + r.int(4) }, () => placeName(r))] };
  if (x < 0.52) return { argv: ['CONFIG', 'SET', 'zset-max-listpack-entries', r.pick(['0', '1', '16', '128', '128', '1000'])] };
  // Searches.
  const variant = r.pick(['GEOSEARCH', 'GEOSEARCHSTORE', 'GEORADIUS', 'GEORADIUS_RO', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEOSEARCH', 'GEOSEARCH']);
  const argv = [variant];
  const store = variant === 'GEOSEARCHSTORE';
  if (store) argv.push(r.pick(['dst', ...GEO_KEYS]));
  argv.push(key);
  if (variant.startsWith('GEORADIUS')) {
    if (variant.startsWith('GEORADIUSBYMEMBER')) argv.push(placeName(r));
    else argv.push(...coord(r, r.chance(0.2)));
    argv.push(distance(r), r.pick(UNITS));
  } else {
    if (r.chance(0.5)) argv.push('FROMMEMBER', placeName(r));
    else argv.push('FROMLONLAT', ...coord(r, r.chance(0.2)));
    if (r.chance(0.5)) argv.push('BYRADIUS', distance(r), r.pick(UNITS));
    else argv.push('BYBOX', distance(r), distance(r), r.pick(UNITS));
  }
  const opts = r.int(4);
  for (let i = 0; i < opts; i++) {
    const y = r.next();
    if (y < 0.2) argv.push(r.pick(['ASC', 'DESC', 'asc']));
    else if (y < 0.45) argv.push('COUNT', r.pick(['1', '2', '3', '5', '10', '100', '0', '-1', 'x']), ...(r.chance(0.3) ? ['ANY'] : []));
    else if (y < 0.7 && !store) argv.push(r.pick(['WITHDIST', 'WITHCOORD', 'WITHHASH']));
    else if (y < 0.8 && variant.startsWith('GEORADIUS')) argv.push(r.pick(['STORE', 'STOREDIST']), r.pick(['dst', ...GEO_KEYS]));
    else if (y < 0.85 && store) argv.push('STOREDIST');
    else if (y < 0.9) argv.push(r.pick(['ANY', 'FOO', 'WITHDIST']));
  }
  const touched = [...GEO_KEYS, 'dst'];
  return { argv, touched };
}

function genDump(r: Rng, s: State): Cmd {
  const x = r.next();
  if (x < 0.5 || s.payloads.length === 0) return { argv: ['DUMP', r.pick(ALL_KEYS)] };
  const picked = r.pick(s.payloads);
  let payload = picked.payload;
  if (r.chance(0.1)) {
    // Damage it: the checksum catches it.
    const i = r.int(payload.length);
    payload = payload.slice(0, i) + String.fromCharCode((payload.charCodeAt(i) + 1 + r.int(254)) & 0xff) + payload.slice(i + 1);
  } else if (r.chance(0.05)) {
    payload = payload.slice(0, r.int(payload.length));
  }
  const family = BIT_KEYS.includes(picked.key) ? BIT_KEYS : HLL_KEYS.includes(picked.key) ? HLL_KEYS : GEO_KEYS.includes(picked.key) ? GEO_KEYS : ['r1'];
  const key = r.chance(0.5) ? r.pick(['r1', 'r2']) : r.chance(0.9) ? r.pick(family) : r.pick(ALL_KEYS);
  // (No relative TTL of a few ms: the two servers' clocks would race it.)
  const absttl = r.chance(0.1);
  const ttl = absttl ? r.pick(['0', '1', '4102444800000']) : r.chance(0.95) ? r.pick(['0', '0', '0', '100000']) : r.pick(['-1', 'x']);
  const argv = ['RESTORE', key, ttl, payload];
  if (r.chance(0.85)) argv.push('REPLACE');
  if (absttl) argv.push('ABSTTL');
  if (r.chance(0.1)) argv.push(r.pick(['IDLETIME', 'FREQ']), r.pick(['0', '5', '255', '256', '-1', 'x']));
  return { argv, touched: [key] };
}

function generate(r: Rng, s: State, pool: number): Cmd {
  const x = r.next();
  if (x < 0.3) return genBits(r);
  if (x < 0.55) return genHll(r, pool);
  if (x < 0.85) return genGeo(r, s);
  if (x < 0.97) return genDump(r, s);
  if (x < 0.98) return { argv: ['LPUSH', 'lst', 'a', 'b'], touched: ['lst'] };
  return { argv: ['DEL', r.pick(ALL_KEYS)] };
}

// ====================================================================== the runner

interface Mismatch { seed: number; resp: number; step: number; note: string }
const mismatches: Mismatch[] = [];

/*
 * Known difference, counted and reported but not a failure: a double that differs in its last bit
 * or two. Distances come from sin, cos and asin; the engine's are correctly rounded (crmath.ts),
 * glibc's are not always (about 0.1% of calls are 1 ulp off), so a distance stored with 17
 * digits (STOREDIST) is now and then 1 ulp away from Redis's.
 */
const ulpDiffs: string[] = [];

function nearlySameReply(a: RespValue, b: RespValue): boolean {
  if (a.type !== b.type && !(isNum(a) && isNum(b))) return false;
  if ('items' in a || 'items' in b) {
    const x = (a as { items: RespValue[] | null }).items, y = (b as { items: RespValue[] | null }).items;
    if (!x || !y) return x === y;
    return x.length === y.length && x.every((v, i) => nearlySameReply(v, y[i]));
  }
  const sa = text(a), sb = text(b);
  if (sa === sb) return true;
  const na = Number(sa), nb = Number(sb);
  if (!Number.isFinite(na) || !Number.isFinite(nb) || sa.length < 12 || sb.length < 12) return false;
  return Math.abs(na - nb) <= 4 * Number.EPSILON * Math.max(Math.abs(na), Math.abs(nb));
}

function text(v: RespValue): string {
  return 'bulk' in v ? v.bulk ?? '' : 'line' in v ? v.line : '';
}

function isNum(v: RespValue): boolean {
  return v.type === '$' || v.type === ',';
}

function show(argv: string[]): string {
  return argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : escapeBytes(a))).join(' ').slice(0, 400);
}

class Runner {
  readonly engine: Engine;
  readonly c: Client;
  readonly clock: ManualClock;
  history: string[] = [];
  readonly state: State = { payloads: [] };

  constructor(private conn: RespConnection, readonly resp: 2 | 3) {
    this.clock = new ManualClock(Date.now());
    this.engine = createEngine({ clock: this.clock, seed: 1 });
    this.c = this.engine.defaultClient;
  }

  async both(argv: string[]): Promise<{ redis: string; engine: string }> {
    this.clock.set(Date.now());
    const redis = await this.conn.call(argv);
    const r = this.c.exec(argv);
    const engine = (r.extra ?? []).map((x) => encodeReply(x, this.c.resp)).join('') + encodeReply(r.reply, this.c.resp);
    return { redis, engine };
  }

  /** Runs one command and its checks; returns a description of the first difference, or null. */
  async step(cmd: Cmd): Promise<string | null> {
    const { redis, engine } = await this.both(cmd.argv);
    if (STATS) {
      const k = cmd.argv[0].toUpperCase();
      const st = coverage.get(k) ?? { n: 0, err: 0 };
      st.n++;
      if (redis[0] === '-') st.err++;
      coverage.set(k, st);
    }
    this.history.push(`${show(cmd.argv)}  ->  ${escapeBytes(redis).slice(0, 200)}`);
    if (this.history.length > 30) this.history.shift();
    if (redis !== engine && cmd.argv[0] === 'DUMP') {
      // A sorted set holding distances 1 ulp off (see ulpDiffs) dumps its binary scores differently.
      const z = await this.both(['ZRANGE', cmd.argv[1], '0', '-1', 'WITHSCORES']);
      if (z.redis !== z.engine && nearlySameReply(parseReply(z.redis), parseReply(z.engine))) {
        ulpDiffs.push(show(cmd.argv));
        return null;
      }
    }
    if (redis !== engine) return `${show(cmd.argv)}\n  redis : ${escapeBytes(redis).slice(0, 3000)}\n  engine: ${escapeBytes(engine).slice(0, 3000)}`;
    if (cmd.argv[0] === 'DUMP' && redis[0] === '$' && redis !== '$-1\r\n') {
      const v = parseReply(redis) as { bulk?: string | null };
      if (typeof v.bulk === 'string') {
        this.state.payloads.push({ payload: v.bulk, key: cmd.argv[1] });
        if (this.state.payloads.length > 20) this.state.payloads.shift();
      }
    }
    for (const key of cmd.touched ?? []) {
      for (const check of [['TYPE', key], ['OBJECT', 'ENCODING', key]]) {
        const b = await this.both(check);
        if (b.redis !== b.engine) return `after ${show(cmd.argv)}: ${show(check)}\n  redis : ${escapeBytes(b.redis)}\n  engine: ${escapeBytes(b.engine)}`;
      }
      const t = (await this.both(['TYPE', key])).redis;
      const content = t === '+string\r\n' ? ['GET', key] : t === '+zset\r\n' ? ['ZRANGE', key, '0', '-1', 'WITHSCORES'] : null;
      if (content) {
        const b = await this.both(content);
        if (b.redis !== b.engine && nearlySameReply(parseReply(b.redis), parseReply(b.engine))) {
          ulpDiffs.push(`${show(cmd.argv)}: ${show(content)}`);
          continue;
        }
        if (b.redis !== b.engine) return `after ${show(cmd.argv)}: ${show(content)}\n  redis : ${escapeBytes(b.redis).slice(0, 3000)}\n  engine: ${escapeBytes(b.engine).slice(0, 3000)}`;
      }
    }
    return null;
  }
}

describe.skipIf(!bin)('deep differential: bitops, HyperLogLog, geo, DUMP/RESTORE (engine vs redis-server)', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (STATS) {
      const rows = [...coverage].sort((a, b) => b[1].n - a[1].n).map(([k, c]) => `  ${k.padEnd(22)} ${String(c.n).padStart(7)}  errors ${String(c.err).padStart(6)}`);
      console.log('deep bits-hll-geo coverage (replies compared):\n' + rows.join('\n'));
    }
    if (ulpDiffs.length) {
      console.log(`deep bits-hll-geo: ${ulpDiffs.length} stored distances (ZRANGE, DUMP) 1-4 ulp from Redis's (glibc's trigonometry is not always correctly rounded), e.g.\n  ${ulpDiffs.slice(0, 5).join('\n  ')}`);
    }
    if (mismatches.length) {
      console.log(`deep bits-hll-geo: ${mismatches.length} mismatching seed runs`);
      for (const m of mismatches) console.log(`--- seed ${m.seed} RESP${m.resp} step ${m.step}\n${m.note}`);
    }
  });

  for (const resp of RESPS) {
    for (const seed of SEEDS) {
      it(`RESP${resp} seed ${seed}: ${LEN} commands`, async () => {
        const conn = await RespConnection.connect(server.port);
        try {
          expect(await conn.call(['FLUSHALL'])).toBe('+OK\r\n');
          expect(await conn.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000', 'zset-max-listpack-entries', '128',
            'maxmemory-policy', 'noeviction'])).toBe('+OK\r\n');
          const run = new Runner(conn, resp);
          if (resp === 3) {
            await conn.call(['HELLO', '3']);
            run.c.exec(['HELLO', '3']);
          }
          const rng = new Rng(seed * 104729 + resp);
          const pool = [30, 300, 3000, 30000][seed % 4];
          for (let step = 1; step <= LEN; step++) {
            const cmd = generate(rng, run.state, pool);
            const bad = await run.step(cmd);
            if (bad && DIAG.length) {
              // DEEP_DIAG="PFDEBUG ENCODING h1;STRLEN h1": extra commands shown on both sides at a mismatch.
              for (const d of DIAG) {
                const b = await run.both(d.split(' '));
                console.log(`diag ${d}\n  redis : ${escapeBytes(b.redis).slice(0, 2000)}\n  engine: ${escapeBytes(b.engine).slice(0, 2000)}`);
              }
            }
            if (bad) {
              const text = [
                `RESP${resp} seed ${seed}, step ${step}: ${bad}`,
                `last ${run.history.length} commands (with Redis's replies):`,
                ...run.history.map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed}, DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/bits-hll-geo.test.ts`,
              ].join('\n');
              if (KEEPGOING) { mismatches.push({ seed, resp, step, note: text }); return; }
              expect.fail(text);
            }
          }
        } finally {
          conn.destroy();
        }
      }, 600_000);
    }
  }

  it('no mismatches (DEEP_KEEPGOING)', () => {
    expect(mismatches.length, `${mismatches.length} seed runs mismatched (see the log)`).toBe(0);
  });
});

if (!bin) {
  describe('deep differential: bitops, HyperLogLog, geo, DUMP/RESTORE', () => {
    it.skip('redis-server is not installed: skipped', () => {});
  });
}
