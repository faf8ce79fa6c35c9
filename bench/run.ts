/**
 * Throughput benchmark: `npm run bench` (or `npm run bench -- --redis-benchmark`, `-- --scale`).
 *
 * 1. In process: one mixed workload (GET / SET / INCR / DEL / EXPIRE / MGET, fixed seed, 200k ops over
 *    10k keys, argv arrays prepared beforehand) run on our engine (client.exec directly), on
 *    ioredis-mock both per operation (`await redis.get(k)`, how applications use it: the headline
 *    ratio) and pipelined in batches of 1000 (its fastest mode), and on a bare JS Map doing the same
 *    gets and sets (the ceiling). Prints ops/s and the ratios engine/ioredis-mock and engine/Map.
 * 2. Data types: one row per command (LPUSH, LRANGE 0 9 of a 100-element list, HSET, HGET, SADD,
 *    SISMEMBER, ZADD, ZRANGE 0 9, ZRANK): engine vs ioredis-mock per operation and pipelined.
 * 3. --scale: 1,000,000 ZADDs of random members into one key, then 100,000 ZRANKs: ops/s and heap
 *    bytes per member (after global.gc(); the npm script runs node with --expose-gc), next to real
 *    Redis's MEMORY USAGE of the same key (redis-server on port 16393, loaded through ioredis).
 * 4. --redis-benchmark: starts our RESP server and a real redis-server on free ports and runs
 *    `redis-benchmark -P 16 -t set,get,incr -n 200000 -q` against both, printing the ratios.
 *
 * Options: --ops N (default 200000), --keys N (10000), --runs N (5, best run counts), --seed N,
 *          --mock-ops N (50000), --types-ops N (100000), --no-types, --only-types, --scale, --only-scale,
 *          --scale-members N (1000000), --scale-ranks N (100000), --redis-benchmark,
 *          --only-redis-benchmark, --cpu-prof-engine (engine loop only, for `node --cpu-prof`).
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../src/engine';
import { startServer } from '../src/server/resp-server';

// ------------------------------------------------------------------ options

const args = process.argv.slice(2);
function opt(name: string, def: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
}
const OPS = opt('--ops', 200_000);
const KEYS = opt('--keys', 10_000);
const RUNS = opt('--runs', 5);
const SEED = opt('--seed', 42);
const MOCK_OPS = Math.min(OPS, opt('--mock-ops', 50_000));
const TYPES_OPS = opt('--types-ops', 100_000);
const SCALE_MEMBERS = opt('--scale-members', 1_000_000);
const SCALE_RANKS = opt('--scale-ranks', 100_000);

// ------------------------------------------------------------------ workload

/** xorshift32: the same sequence of operations every run. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

type Op = string[];

function makeWorkload(n: number, keys: number, seed: number, available: (cmd: string) => boolean): { ops: Op[]; mix: string } {
  const r = rng(seed);
  const key = () => 'key:' + Math.floor(r() * keys);
  const counter = () => 'counter:' + Math.floor(r() * keys);
  const value = () => 'value-' + Math.floor(r() * 1e9).toString(36) + '-' + 'x'.repeat(Math.floor(r() * 32));
  // Weights (percent). Commands the engine lacks are dropped and the rest renormalized.
  const table: [string, number, () => Op][] = [
    ['get', 40, () => ['GET', key()]],
    ['set', 30, () => ['SET', key(), value()]],
    ['incr', 10, () => ['INCR', counter()]],
    ['del', 5, () => ['DEL', r() < 0.5 ? key() : counter()]],
    ['expire', 5, () => ['EXPIRE', key(), '1000']],
    ['mget', 10, () => ['MGET', key(), key(), key(), key(), key()]],
  ];
  const use = table.filter(([name]) => available(name));
  const total = use.reduce((s, [, w]) => s + w, 0);
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    let p = r() * total;
    let j = 0;
    while (p >= use[j][1] && j < use.length - 1) { p -= use[j][1]; j++; }
    ops.push(use[j][2]());
  }
  const mix = use.map(([name, w]) => `${name.toUpperCase()} ${Math.round((100 * w) / total)}%`).join(', ');
  return { ops, mix };
}

// ------------------------------------------------------------------ runners

function runEngine(ops: Op[]): number {
  const engine = createEngine({ seed: SEED });
  const c = engine.createClient();
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i++) c.exec(ops[i]);
  return performance.now() - t0;
}

/** The ceiling: a bare Map doing the same reads and writes (plus an expires Map). */
function runMap(ops: Op[]): number {
  const m = new Map<string, string>();
  const expires = new Map<string, number>();
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i++) {
    const a = ops[i];
    switch (a[0]) {
      case 'GET': { const v = m.get(a[1]); if (v !== undefined) sink += v.length; break; }
      case 'SET': m.set(a[1], a[2]); expires.delete(a[1]); break;
      case 'INCR': { const v = m.get(a[1]); const n = (v === undefined ? 0 : Number(v)) + 1; m.set(a[1], String(n)); sink += n; break; }
      case 'DEL': if (m.delete(a[1])) expires.delete(a[1]); break;
      case 'EXPIRE': if (m.has(a[1])) expires.set(a[1], Date.now() + Number(a[2]) * 1000); break;
      case 'MGET': { const out: (string | undefined)[] = []; for (let j = 1; j < a.length; j++) out.push(m.get(a[j])); sink += out.length; break; }
    }
  }
  const t = performance.now() - t0;
  if (sink === -1) console.log(sink);
  return t;
}

type Mock = Record<string, (...x: string[]) => unknown> & { pipeline(): Record<string, (...x: string[]) => unknown> & { exec(): Promise<unknown> }; disconnect(): void };

async function newMock(): Promise<Mock> {
  const { default: RedisMock } = await import('ioredis-mock');
  return new RedisMock() as unknown as Mock;
}

/** ioredis-mock pipelined in batches of 1000 (its fastest mode). */
async function mockPipelined(r: Mock, ops: Op[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i += 1000) {
    const p = r.pipeline();
    for (let j = i; j < Math.min(ops.length, i + 1000); j++) {
      const a = ops[j];
      p[a[0].toLowerCase()](...a.slice(1));
    }
    await p.exec();
  }
  return performance.now() - t0;
}

/** ioredis-mock one command at a time, as applications use it: `await redis.get(k)`. */
async function mockPerOp(r: Mock, ops: Op[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i++) {
    const a = ops[i];
    await r[a[0].toLowerCase()](...a.slice(1));
  }
  return performance.now() - t0;
}

async function runMock(ops: Op[], mode: 'perop' | 'pipelined', setup: Op[] = []): Promise<number> {
  const r = await newMock();
  if (setup.length) await mockPipelined(r, setup);
  const t = mode === 'perop' ? await mockPerOp(r, ops) : await mockPipelined(r, ops);
  r.disconnect();
  return t;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const probe = createEngine();
const available = (name: string) => Boolean(probe.commands.lookup([name])?.proc);

async function inProcess(): Promise<void> {
  const { ops, mix } = makeWorkload(OPS, KEYS, SEED, available);
  const missing = ['get', 'set', 'incr', 'del', 'expire', 'mget'].filter((n) => !available(n));
  console.log(`Workload: ${fmt(OPS)} ops over ${fmt(KEYS)} keys, seed ${SEED}: ${mix}`);
  if (missing.length) console.log(`  (not in the engine yet, left out of the mix: ${missing.join(', ').toUpperCase()})`);

  if (args.includes('--cpu-prof-engine')) {
    for (let i = 0; i < RUNS; i++) console.log(`engine run ${i}: ${fmt(OPS / (runEngine(ops) / 1000))} ops/s`);
    return;
  }

  // Warm up the JIT on every runner, then keep the best of RUNS.
  runEngine(ops.slice(0, 20_000));
  runMap(ops.slice(0, 20_000));
  let eng = Infinity, map = Infinity, mockP = Infinity, mockO = Infinity;
  for (let i = 0; i < RUNS; i++) {
    eng = Math.min(eng, runEngine(ops));
    map = Math.min(map, runMap(ops));
  }
  const mockOps = ops.slice(0, MOCK_OPS);
  await runMock(mockOps.slice(0, 5000), 'pipelined');
  await runMock(mockOps.slice(0, 5000), 'perop');
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    mockP = Math.min(mockP, await runMock(mockOps, 'pipelined'));
    mockO = Math.min(mockO, await runMock(mockOps, 'perop'));
  }

  const engOps = OPS / (eng / 1000);
  const mapOps = OPS / (map / 1000);
  const mockPS = MOCK_OPS / (mockP / 1000);
  const mockOS = MOCK_OPS / (mockO / 1000);
  console.log('');
  console.log(`  engine (client.exec)          ${fmt(engOps).padStart(12)} ops/s`);
  console.log(`  ioredis-mock (await per op)   ${fmt(mockOS).padStart(12)} ops/s   (${fmt(MOCK_OPS)} ops)`);
  console.log(`  ioredis-mock (pipelined)      ${fmt(mockPS).padStart(12)} ops/s   (${fmt(MOCK_OPS)} ops, batches of 1000)`);
  console.log(`  bare Map (ceiling)            ${fmt(mapOps).padStart(12)} ops/s`);
  console.log('');
  console.log(`  engine / ioredis-mock = ${(engOps / mockOS).toFixed(1)}x   (headline: per-operation mode; aim >= 10x)`);
  console.log(`  engine / ioredis-mock = ${(engOps / mockPS).toFixed(1)}x   (pipelined mode)`);
  console.log(`  engine / Map          = ${((100 * engOps) / mapOps).toFixed(1)}%   (aim >= 20%)`);
}

// ------------------------------------------------------------------ data types

interface TypeRow {
  /** The command measured (and the engine command that must exist). */
  name: string;
  /** Commands run before the clock starts (same on both sides). */
  setup: (r: () => number) => Op[];
  op: (i: number, r: () => number) => Op;
  /** ioredis-mock is slow on some commands: fewer operations there. */
  mockOps: number;
}

const LISTS = 100, HASHES = 100, SETS = 100, ZSETS = 10;
const TYPE_ROWS: TypeRow[] = [
  { name: 'LPUSH', setup: () => [], op: (i) => ['LPUSH', 'list:' + (i % LISTS), 'element-' + i], mockOps: 50_000 },
  {
    name: 'LRANGE', mockOps: 50_000,
    setup: () => { const s: Op[] = []; for (let k = 0; k < LISTS; k++) for (let j = 0; j < 100; j++) s.push(['RPUSH', 'list:' + k, 'element-' + j]); return s; },
    op: (i) => ['LRANGE', 'list:' + (i % LISTS), '0', '9'],
  },
  { name: 'HSET', setup: () => [], op: (i) => ['HSET', 'hash:' + (i % HASHES), 'field:' + ((i * 7) % 1000), 'value-' + i], mockOps: 50_000 },
  {
    name: 'HGET', mockOps: 50_000,
    setup: () => { const s: Op[] = []; for (let k = 0; k < HASHES; k++) for (let j = 0; j < 1000; j++) s.push(['HSET', 'hash:' + k, 'field:' + j, 'value-' + j]); return s; },
    op: (i) => ['HGET', 'hash:' + (i % HASHES), 'field:' + ((i * 7) % 1000)],
  },
  { name: 'SADD', setup: () => [], op: (i) => ['SADD', 'set:' + (i % SETS), 'member:' + ((i * 7) % 1000)], mockOps: 50_000 },
  {
    name: 'SISMEMBER', mockOps: 50_000,
    setup: () => { const s: Op[] = []; for (let k = 0; k < SETS; k++) for (let j = 0; j < 1000; j += 2) s.push(['SADD', 'set:' + k, 'member:' + j]); return s; },
    op: (i) => ['SISMEMBER', 'set:' + (i % SETS), 'member:' + ((i * 7) % 1000)],
  },
  { name: 'ZADD', setup: () => [], op: (i, r) => ['ZADD', 'zset:' + (i % ZSETS), String(Math.floor(r() * 1e6)), 'member:' + ((i * 7) % 10_000)], mockOps: 20_000 },
  { name: 'ZRANGE', setup: zsetSetup, op: (i) => ['ZRANGE', 'zset:' + (i % ZSETS), '0', '9'], mockOps: 2_000 },
  { name: 'ZRANK', setup: zsetSetup, op: (i) => ['ZRANK', 'zset:' + (i % ZSETS), 'member:' + ((i * 7) % 1000)], mockOps: 2_000 },
];

/** 10 sorted sets of 1000 members (skiplist encoded: above zset-max-listpack-entries). */
function zsetSetup(r: () => number): Op[] {
  const s: Op[] = [];
  for (let k = 0; k < ZSETS; k++) for (let j = 0; j < 1000; j++) s.push(['ZADD', 'zset:' + k, String(Math.floor(r() * 1e6)), 'member:' + j]);
  return s;
}

function runEngineRow(setup: Op[], ops: Op[]): { ms: number; error: string | null } {
  const engine = createEngine({ seed: SEED });
  const c = engine.createClient();
  for (let i = 0; i < setup.length; i++) c.exec(setup[i]);
  const first = c.exec(ops[0]).reply;
  const error = first.t === 'error' ? first.v : null;
  const t0 = performance.now();
  for (let i = 1; i < ops.length; i++) c.exec(ops[i]);
  return { ms: ((performance.now() - t0) * ops.length) / (ops.length - 1), error };
}

async function dataTypes(): Promise<void> {
  console.log('');
  console.log(`Data types: ${fmt(TYPES_OPS)} ops per command on the engine (ioredis-mock: fewer, shown), best of ${Math.min(RUNS, 3)}`);
  console.log(`  lists: ${LISTS} keys (LRANGE 0 9 of 100 elements), hashes: ${HASHES} keys x 1000 fields, sets: ${SETS} keys x 500 members,`);
  console.log(`  sorted sets: ${ZSETS} keys x 1000 members (ZRANGE 0 9, ZRANK)`);
  console.log(`  ${'command'.padEnd(10)} ${'engine'.padStart(12)} ${'mock/op'.padStart(12)} ${'mock pipe'.padStart(12)} ${'ratio/op'.padStart(9)} ${'ratio/pipe'.padStart(10)}  (ops/s)`);
  for (const row of TYPE_ROWS) {
    const needed = [row.name, ...new Set(row.setup(rng(SEED)).map((a) => a[0]))].map((n) => n.toLowerCase());
    const lacking = needed.filter((n) => !available(n));
    if (lacking.length) {
      console.log(`  ${row.name.padEnd(10)} ${'n/a'.padStart(12)}   (${lacking.join(', ').toUpperCase()} not in the engine yet)`);
      continue;
    }
    const setup = row.setup(rng(SEED));
    const r = rng(SEED + 1);
    const ops: Op[] = [];
    for (let i = 0; i < TYPES_OPS; i++) ops.push(row.op(i, r));
    const mockOps = ops.slice(0, Math.min(TYPES_OPS, row.mockOps));
    runEngineRow(setup, ops.slice(0, Math.min(ops.length, 20_000)));
    let eng = Infinity, mo = Infinity, mp = Infinity;
    let error: string | null = null;
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const e = runEngineRow(setup, ops);
      eng = Math.min(eng, e.ms);
      error = e.error;
    }
    for (let i = 0; i < 2; i++) {
      mo = Math.min(mo, await runMock(mockOps, 'perop', setup));
      mp = Math.min(mp, await runMock(mockOps, 'pipelined', setup));
    }
    const e = ops.length / (eng / 1000), o = mockOps.length / (mo / 1000), p = mockOps.length / (mp / 1000);
    console.log(`  ${row.name.padEnd(10)} ${fmt(e).padStart(12)} ${fmt(o).padStart(12)} ${fmt(p).padStart(12)} ${(e / o).toFixed(1).padStart(8)}x ${(e / p).toFixed(1).padStart(9)}x` +
      (mockOps.length < ops.length ? `  (mock: ${fmt(mockOps.length)} ops)` : '') + (error ? `  (engine replied ${error})` : ''));
  }
}

// ------------------------------------------------------------------ scale

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) { gc(); gc(); }
  return process.memoryUsage().heapUsed;
}

/** The scale run's members and scores, in chunks (so that no argv array outlives its chunk). */
function scaleChunks(chunk: number, fn: (members: string[], scores: string[]) => void): void {
  const r = rng(SEED + 7);
  for (let i = 0; i < SCALE_MEMBERS; i += chunk) {
    const members: string[] = [], scores: string[] = [];
    for (let j = i; j < Math.min(SCALE_MEMBERS, i + chunk); j++) {
      members.push('m:' + Math.floor(r() * 4294967296).toString(36) + ':' + j.toString(36));
      scores.push(String(Math.floor(r() * 1e9) / 1000));
    }
    fn(members, scores);
  }
}

async function scale(): Promise<void> {
  console.log('');
  console.log(`Scale: ${fmt(SCALE_MEMBERS)} ZADDs of random members into one key, then ${fmt(SCALE_RANKS)} ZRANKs`);
  if (!available('zadd') || !available('zrank')) { console.log('  ZADD / ZRANK not in the engine yet: skipped'); return; }
  if (!(globalThis as { gc?: () => void }).gc) console.log('  (no global.gc: run node with --expose-gc, as `npm run bench` does; heap numbers are rough)');
  const h0 = heapUsed();
  const engine = createEngine({ seed: SEED });
  const c = engine.createClient();
  let addMs = 0;
  // ZRANK's members: every stride-th member (the same string objects the engine keeps: only the array adds bytes).
  const sample: string[] = [];
  const stride = Math.max(1, Math.floor(SCALE_MEMBERS / SCALE_RANKS));
  scaleChunks(10_000, (members, scores) => {
    const argvs = members.map((m, j) => ['ZADD', 'big', scores[j], m]);
    for (let j = 0; j < members.length; j += stride) sample.push(members[j]);
    const t0 = performance.now();
    for (let j = 0; j < argvs.length; j++) c.exec(argvs[j]);
    addMs += performance.now() - t0;
  });
  const card = c.exec(['ZCARD', 'big']).reply;
  const n = card.t === 'int' ? Number(card.v) : SCALE_MEMBERS;
  const sampleBytes = sample.length * 8; // the sample array's slots
  const h1 = heapUsed();
  const ranks: Op[] = [];
  const r = rng(SEED + 9);
  for (let i = 0; i < SCALE_RANKS; i++) ranks.push(['ZRANK', 'big', sample[Math.floor(r() * sample.length)]]);
  const t0 = performance.now();
  let steps = 0;
  for (let i = 0; i < ranks.length; i++) steps += c.exec(ranks[i]).steps;
  const rankMs = performance.now() - t0;
  const usage = c.exec(['MEMORY', 'USAGE', 'big', 'SAMPLES', '0']).reply;
  const perMember = (h1 - h0 - sampleBytes) / n;
  console.log(`  ZADD   ${fmt(SCALE_MEMBERS / (addMs / 1000)).padStart(12)} ops/s   (${fmt(n)} members)`);
  console.log(`  ZRANK  ${fmt(SCALE_RANKS / (rankMs / 1000)).padStart(12)} ops/s   (${(steps / SCALE_RANKS).toFixed(1)} steps per ZRANK)`);
  console.log(`  engine heap:                 ${perMember.toFixed(1)} bytes per member (heapUsed delta after gc / members)`);
  if (usage.t === 'int') console.log(`  engine MEMORY USAGE (model): ${(Number(usage.v) / n).toFixed(1)} bytes per member (${fmt(Number(usage.v))} bytes)`);
  await realRedisUsage(n);
  void engine;
}

/** Real Redis's MEMORY USAGE for the same members (redis-server on port 16393, loaded through ioredis). */
async function realRedisUsage(n: number): Promise<void> {
  const has = (b: string) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0;
  if (!has('redis-server')) { console.log('  real Redis: redis-server not installed, skipped'); return; }
  const PORT = 16393;
  const started = spawnSync('redis-server', ['--port', String(PORT), '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
  if (started.status !== 0) { console.log(`  real Redis: could not start redis-server on ${PORT}, skipped`); return; }
  const { default: Redis } = await import('ioredis');
  const r = new Redis({ port: PORT, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined); // SHUTDOWN closes the connection
  try {
    await waitPort(PORT);
    await r.connect();
    await r.del('big');
    const chunks: Promise<unknown>[] = [];
    scaleChunks(10_000, (members, scores) => {
      const p = r.pipeline();
      for (let j = 0; j < members.length; j++) p.zadd('big', scores[j], members[j]);
      chunks.push(p.exec());
    });
    await Promise.all(chunks);
    const usage = Number(await r.call('MEMORY', 'USAGE', 'big', 'SAMPLES', '0'));
    const card = Number(await r.zcard('big'));
    console.log(`  real Redis 7.0 MEMORY USAGE:  ${(usage / card).toFixed(1)} bytes per member (${fmt(usage)} bytes, ${fmt(card)} members${card !== n ? ', differs!' : ''})`);
    await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  } catch (e) {
    console.log(`  real Redis: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    r.disconnect();
  }
}

// ------------------------------------------------------------------ redis-benchmark

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Run redis-benchmark in a child process (asynchronously: our server lives in this process). */
function redisBenchmark(port: number): Promise<Map<string, number>> {
  return new Promise((resolve) => {
    const p = spawn('redis-benchmark', ['-p', String(port), '-P', '16', '-t', 'set,get,incr', '-n', '200000', '-q']);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      const res = new Map<string, number>();
      // redis-benchmark -q rewrites its progress line with \r; keep the final "NAME: N requests per second".
      for (const m of out.replace(/\r/g, '\n').matchAll(/^(\w+): ([\d.]+) requests per second/gm)) res.set(m[1], Number(m[2]));
      resolve(res);
    });
  });
}

async function withRedisBenchmark(): Promise<void> {
  const has = (b: string) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0;
  if (!has('redis-benchmark') || !has('redis-server')) {
    console.log('redis-benchmark / redis-server not installed: skipped');
    return;
  }
  const ourPort = await freePort();
  const realPort = await freePort();
  const ours = await startServer({ port: ourPort, engineOptions: { seed: SEED } });
  const real = spawn('redis-server', ['--port', String(realPort), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    await waitPort(realPort);
    console.log('');
    console.log('redis-benchmark -P 16 -t set,get,incr -n 200000 -q');
    const a = await redisBenchmark(ourPort);
    const b = await redisBenchmark(realPort);
    console.log(`  ${'test'.padEnd(6)} ${'ours'.padStart(12)} ${'redis 7.0'.padStart(12)}  ratio`);
    for (const [name, r] of b) {
      const o = a.get(name);
      if (o === undefined) {
        console.log(`  ${name.padEnd(6)} ${'n/a'.padStart(12)} ${fmt(r).padStart(12)}  (${name} not in the engine yet)`);
        continue;
      }
      console.log(`  ${name.padEnd(6)} ${fmt(o).padStart(12)} ${fmt(r).padStart(12)}  ${((100 * o) / r).toFixed(1)}%`);
    }
  } finally {
    real.kill('SIGTERM');
    await ours.close();
  }
}

const only = args.includes('--only-redis-benchmark') || args.includes('--only-scale');
if (!only && !args.includes('--only-types')) await inProcess();
if (!only && !args.includes('--no-types') && !args.includes('--cpu-prof-engine')) await dataTypes();
if (args.includes('--scale') || args.includes('--only-scale')) await scale();
if (args.includes('--redis-benchmark') || args.includes('--only-redis-benchmark')) await withRedisBenchmark();
