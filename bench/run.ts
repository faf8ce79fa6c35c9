/**
 * Throughput benchmark: `npm run bench` (or `npm run bench -- --redis-benchmark`).
 *
 * 1. In process: one mixed workload (GET / SET / INCR / DEL / EXPIRE / MGET, fixed seed, 200k ops over
 *    10k keys, argv arrays prepared beforehand) run on our engine (client.exec directly), on
 *    ioredis-mock (pipelined in batches of 1000, its fastest mode) and on a bare JS Map doing the same
 *    gets and sets (the ceiling). Prints ops/s and the ratios engine/ioredis-mock and engine/Map.
 * 2. --redis-benchmark: starts our RESP server and a real redis-server on free ports and runs
 *    `redis-benchmark -P 16 -t set,get,incr -n 200000 -q` against both, printing the ratios.
 *
 * Options: --ops N (default 200000), --keys N (10000), --runs N (5, best run counts), --seed N,
 *          --redis-benchmark, --only-redis-benchmark, --cpu-prof-engine (engine loop only, for
 *          `node --cpu-prof`).
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

async function runMock(ops: Op[]): Promise<number> {
  const { default: RedisMock } = await import('ioredis-mock');
  const r = new RedisMock();
  const t0 = performance.now();
  for (let i = 0; i < ops.length; i += 1000) {
    const p = r.pipeline();
    for (let j = i; j < Math.min(ops.length, i + 1000); j++) {
      const a = ops[j];
      (p as unknown as Record<string, (...x: string[]) => unknown>)[a[0].toLowerCase()](...a.slice(1));
    }
    await p.exec();
  }
  const t = performance.now() - t0;
  r.disconnect();
  return t;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function inProcess(): Promise<void> {
  const probe = createEngine();
  const available = (name: string) => Boolean(probe.commands.lookup([name])?.proc);
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
  let eng = Infinity, map = Infinity, mock = Infinity;
  for (let i = 0; i < RUNS; i++) {
    eng = Math.min(eng, runEngine(ops));
    map = Math.min(map, runMap(ops));
  }
  const mockOps = ops.slice(0, MOCK_OPS);
  await runMock(mockOps.slice(0, 5000));
  for (let i = 0; i < Math.min(RUNS, 3); i++) mock = Math.min(mock, await runMock(mockOps));

  const engOps = OPS / (eng / 1000);
  const mapOps = OPS / (map / 1000);
  const mockOpsS = MOCK_OPS / (mock / 1000);
  console.log('');
  console.log(`  engine (client.exec)        ${fmt(engOps).padStart(12)} ops/s`);
  console.log(`  ioredis-mock (pipelined)    ${fmt(mockOpsS).padStart(12)} ops/s   (${fmt(MOCK_OPS)} ops)`);
  console.log(`  bare Map (ceiling)          ${fmt(mapOps).padStart(12)} ops/s`);
  console.log('');
  console.log(`  engine / ioredis-mock = ${(engOps / mockOpsS).toFixed(1)}x   (aim >= 10x)`);
  console.log(`  engine / Map          = ${((100 * engOps) / mapOps).toFixed(1)}%   (aim >= 20%)`);
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

if (!args.includes('--only-redis-benchmark')) await inProcess();
if (args.includes('--redis-benchmark') || args.includes('--only-redis-benchmark')) await withRedisBenchmark();
