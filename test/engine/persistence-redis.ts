/**
 * Helpers for the persistence tests: a real redis-server in a temp dir, a dataset builder, and a
 * "describe the dataset" function that runs the same read commands on the engine and on Redis so
 * the two can be compared (types, encodings, values, TTLs).
 */
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import type { Engine } from '../../src/engine';
import type { Reply } from '../../src/engine/types';

export function hasRedis(): boolean {
  return spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-check-rdb && command -v redis-check-aof']).status === 0;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rsb-${prefix}-`));
}

export interface RealRedis {
  port: number;
  dir: string;
  client: Redis;
  call(...argv: string[]): Promise<unknown>;
  stop(): Promise<void>;
  log(): string;
}

/** Start redis-server 7.0 (built-in defaults) in `dir`; `args` are extra options. */
export async function startRedis(port: number, dir: string, args: string[] = []): Promise<RealRedis> {
  const logfile = path.join(dir, 'redis.log');
  const p: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--logfile', logfile, ...args], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 200 && p.exitCode === null; i++) {
    up = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const readLog = () => (fs.existsSync(logfile) ? fs.readFileSync(logfile, 'latin1') : '');
  if (!up) throw new Error(`redis-server did not start on ${port}:\n${readLog()}`);
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 0 });
  // Wait for the dataset to be loaded (PING replies -LOADING while it loads).
  for (let i = 0; i < 200; i++) {
    try { await client.ping(); break; } catch { await new Promise((r) => setTimeout(r, 25)); }
  }
  return {
    port, dir, client,
    call: (...argv: string[]) => client.callBuffer(argv[0], ...argv.slice(1).map((a) => Buffer.from(a, 'latin1'))).then(norm),
    stop: async () => {
      client.disconnect();
      if (p.exitCode !== null) return;
      await new Promise<void>((res) => { p.on('exit', () => res()); p.kill('SIGKILL'); });
    },
    log: readLog,
  };
}

function norm(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (Array.isArray(v)) return v.map(norm);
  return v;
}

export function replyToJs(r: Reply): unknown {
  switch (r.t) {
    case 'status': case 'bulk': case 'verbatim': return r.v;
    case 'double': return r.s;
    case 'int': return Number(r.v);
    case 'nil': case 'nilarray': return null;
    case 'bool': return r.v ? 1 : 0;
    case 'error': throw new Error(r.v);
    case 'array': case 'set': case 'map': case 'push': return r.v.map(replyToJs);
  }
}

export type Runner = (...argv: string[]) => Promise<unknown>;

export function engineRunner(e: Engine): Runner {
  const c = e.createClient();
  return async (...argv) => replyToJs(c.exec(argv).reply);
}

export interface KeyInfo { type: string; encoding: string; value: unknown; pttl: number }

/** Every key of dbs 0..15: type, encoding, value (sorted where order is not defined), PTTL. */
export async function describe(run: Runner, dbs = 16): Promise<Record<string, Record<string, KeyInfo>>> {
  const out: Record<string, Record<string, KeyInfo>> = {};
  for (let db = 0; db < dbs; db++) {
    await run('SELECT', String(db));
    const keys = ((await run('KEYS', '*')) as string[]).sort();
    if (keys.length === 0) continue;
    const d: Record<string, KeyInfo> = {};
    for (const k of keys) {
      const type = (await run('TYPE', k)) as string;
      const encoding = (await run('OBJECT', 'ENCODING', k)) as string;
      let value: unknown;
      switch (type) {
        case 'string': value = await run('GET', k); break;
        case 'list': value = await run('LRANGE', k, '0', '-1'); break;
        case 'set': value = ((await run('SMEMBERS', k)) as string[]).sort(); break;
        case 'zset': value = await run('ZRANGE', k, '0', '-1', 'WITHSCORES'); break;
        case 'hash': {
          const a = (await run('HGETALL', k)) as string[];
          const pairs: string[] = [];
          for (let i = 0; i < a.length; i += 2) pairs.push(JSON.stringify([a[i], a[i + 1]]));
          value = pairs.sort();
          break;
        }
        case 'stream': value = await describeStream(run, k); break;
      }
      d[k] = { type, encoding, value, pttl: (await run('PTTL', k)) as number };
    }
    out[db] = d;
  }
  await run('SELECT', '0');
  return out;
}

/**
 * A stream: XINFO STREAM FULL (entries, radix tree sizes, IDs, counters, groups with their PELs and
 * delivery times and counts, consumers) and XPENDING of each group. A consumer's seen-time is left
 * out: an AOF recreates consumers (with XCLAIM) at load time.
 */
async function describeStream(run: Runner, k: string): Promise<unknown> {
  const mask = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    const out = v.map(mask);
    for (let i = 0; i + 1 < out.length; i++) if (out[i] === 'seen-time') out[i + 1] = '<seen-time>';
    return out;
  };
  const full = mask(await run('XINFO', 'STREAM', k, 'FULL', 'COUNT', '0'));
  const groups = (await run('XINFO', 'GROUPS', k)) as unknown[][];
  const pending: unknown[] = [];
  for (const g of groups) pending.push(await run('XPENDING', k, String(g[1])));
  return { full, groups, pending };
}

/** Compare two descriptions; PTTLs within `tol` ms (both -1, or both positive and close). */
export function sameDataset(a: Record<string, Record<string, KeyInfo>>, b: Record<string, Record<string, KeyInfo>>, tol = 3000): string[] {
  const diffs: string[] = [];
  const dbs = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const db of dbs) {
    const ka = a[db] ?? {}, kb = b[db] ?? {};
    for (const k of new Set([...Object.keys(ka), ...Object.keys(kb)])) {
      const x = ka[k], y = kb[k];
      if (!x || !y) { diffs.push(`db${db} ${JSON.stringify(k)}: missing on ${x ? 'right' : 'left'}`); continue; }
      for (const f of ['type', 'encoding'] as const) if (x[f] !== y[f]) diffs.push(`db${db} ${JSON.stringify(k)} ${f}: ${x[f]} vs ${y[f]}`);
      if (JSON.stringify(x.value) !== JSON.stringify(y.value)) diffs.push(`db${db} ${JSON.stringify(k)} value differs: ${String(JSON.stringify(x.value)).slice(0, 200)} vs ${String(JSON.stringify(y.value)).slice(0, 200)}`);
      const ttlOk = (x.pttl < 0 && x.pttl === y.pttl) || (x.pttl >= 0 && y.pttl >= 0 && Math.abs(x.pttl - y.pttl) <= tol);
      if (!ttlOk) diffs.push(`db${db} ${JSON.stringify(k)} pttl: ${x.pttl} vs ${y.pttl}`);
    }
  }
  return diffs;
}

/** A varied dataset: every type and encoding, int strings, LZF-sized values, binary bytes, TTLs, several dbs. */
export function datasetCommands(): string[][] {
  const cmds: string[][] = [];
  const range = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  cmds.push(['SET', 'str:small', 'hello']);
  cmds.push(['SET', 'str:int', '12345']);
  cmds.push(['SET', 'str:int8', '-7']);
  cmds.push(['SET', 'str:int64', '1234567890123456789']);
  cmds.push(['SET', 'str:neg64', '-9223372036854775808']);
  cmds.push(['SET', 'str:zeros', '007']);
  cmds.push(['SET', 'str:44', 'a'.repeat(44)]);
  cmds.push(['SET', 'str:45', 'b'.repeat(45)]);
  cmds.push(['SET', 'str:lzf', 'abcdefgh'.repeat(500)]);
  cmds.push(['SET', 'str:text', 'The quick brown fox jumps over the lazy dog, again and again and again.']);
  cmds.push(['SET', 'str:bin', '\x00\x01\xff\xfe\r\n\x80binary']);
  cmds.push(['SET', '12345', 'int-like key']);
  cmds.push(['APPEND', 'str:raw', 'appended']);
  cmds.push(['SET', 'str:float', '3.14']);
  cmds.push(['RPUSH', 'list:small', 'a', 'b', 'c', '1', '-1', '127', '128', '-4096', '4095', '-32768', '70000', '-8388608', '2147483647', '9223372036854775807', 'x'.repeat(70), 'y'.repeat(5000)]);
  cmds.push(['RPUSH', 'list:big', ...range(3000, (i) => `element-${i}-${'z'.repeat(i % 50)}`)]);
  cmds.push(['RPUSH', 'list:ints', ...range(1000, (i) => String(i * 997 - 300000))]);
  cmds.push(['HSET', 'hash:small', 'name', 'redis', 'version', '7', 'neg', '-12', 'pi', '3.14159']);
  cmds.push(['HSET', 'hash:big', ...range(600, (i) => [`field${i}`, `value${i}`]).flat()]);
  cmds.push(['HSET', 'hash:longval', 'f', 'v'.repeat(100), 'g', 'short']);
  cmds.push(['SADD', 'set:int16', '1', '2', '3', '-5', '300']);
  cmds.push(['SADD', 'set:int32', '1', '70000', '-70000']);
  cmds.push(['SADD', 'set:int64', '1', '5000000000', '-9223372036854775808']);
  cmds.push(['SADD', 'set:bigint', ...range(600, (i) => String(i))]);
  cmds.push(['SADD', 'set:str', 'apple', 'banana', 'cherry', '42']);
  cmds.push(['ZADD', 'zset:small', '1.5', 'a', '2', 'b', '-3.25', 'c', '0', 'zero', 'inf', 'top', '-inf', 'bottom', '0.1', 'tenth', '1e20', 'huge', '123456789', 'int']);
  cmds.push(['ZADD', 'zset:big', ...range(200, (i) => [String(i / 7), `m${i}`]).flat()]);
  cmds.push(['ZADD', 'zset:longmember', '1', 'm'.repeat(100), '2', 'short']);
  // Streams: several listpack nodes (and LZF-sized ones), a tombstone, consumer groups with pending
  // entries, an idle consumer, a group with an unknown read counter, an empty stream with a group.
  cmds.push(['XADD', 'stream:small', '1-1', 'name', 'alice', 'age', '30']);
  cmds.push(['XADD', 'stream:small', '1-2', 'name', 'bob', 'age', '25']);
  cmds.push(['XADD', 'stream:small', '2-0', 'name', 'carol', 'city', 'paris']);
  cmds.push(['XADD', 'stream:small', '3-5', 'field', '123', 'other', '-7', 'bin', '\x00\xff']);
  cmds.push(['XDEL', 'stream:small', '1-2']);
  cmds.push(['XGROUP', 'CREATE', 'stream:small', 'g1', '0']);
  cmds.push(['XGROUP', 'CREATE', 'stream:small', 'g2', '1-1']);
  cmds.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream:small', '>']);
  cmds.push(['XREADGROUP', 'GROUP', 'g1', 'bob', 'STREAMS', 'stream:small', '>']);
  cmds.push(['XACK', 'stream:small', 'g1', '1-1']);
  cmds.push(['XCLAIM', 'stream:small', 'g1', 'bob', '0', '2-0', 'RETRYCOUNT', '5', 'JUSTID']);
  cmds.push(['XGROUP', 'CREATECONSUMER', 'stream:small', 'g2', 'idle-consumer']);
  for (let i = 0; i < 250; i++) cmds.push(['XADD', 'stream:big', `${1000 + i}-${i % 3}`, 'n', String(i), 'payload', `value-${i}-${'p'.repeat(i % 40)}`]);
  cmds.push(['XGROUP', 'CREATE', 'stream:big', 'readers', '1100-0', 'ENTRIESREAD', '100']);
  cmds.push(['XREADGROUP', 'GROUP', 'readers', 'r1', 'COUNT', '3', 'STREAMS', 'stream:big', '>']);
  cmds.push(['XSETID', 'stream:big', '5000-0', 'ENTRIESADDED', '300', 'MAXDELETEDID', '900-0']);
  cmds.push(['XGROUP', 'CREATE', 'stream:empty', 'g', '$', 'MKSTREAM']);
  cmds.push(['XADD', 'stream:trimmed', '1-1', 'a', '1']);
  cmds.push(['XADD', 'stream:trimmed', 'MAXLEN', '0', '1-2', 'a', '2']);
  cmds.push(['SET', 'ttl:str', 'v', 'EX', '1000']);
  cmds.push(['RPUSH', 'ttl:list', 'a', 'b']);
  cmds.push(['PEXPIRE', 'ttl:list', '5000000']);
  cmds.push(['HSET', 'ttl:hash', 'a', '1']);
  cmds.push(['EXPIREAT', 'ttl:hash', '4102444800']);
  cmds.push(['SELECT', '1']);
  cmds.push(['SET', 'db1:key', 'in db 1']);
  cmds.push(['SADD', 'db1:set', 'x', 'y']);
  cmds.push(['SELECT', '15']);
  cmds.push(['ZADD', 'db15:z', '1', 'one']);
  cmds.push(['SELECT', '0']);
  return cmds;
}

export function runOnEngine(e: Engine, cmds: string[][]): void {
  for (const c of cmds) {
    const r = e.exec(c).reply;
    if (r.t === 'error') throw new Error(`${c.join(' ').slice(0, 80)}: ${r.v}`);
  }
}

export async function runOnRedis(r: RealRedis, cmds: string[][]): Promise<void> {
  // One connection: SELECT applies to the following commands.
  for (const c of cmds) await r.call(...c);
}
