/**
 * AOF: what is propagated (checked against the incr file of a real redis-server with
 * appendonly yes), the rewrite, the loader (truncated logs keep their valid prefix), and the
 * round trips with the real server: our appendonlydir loads in redis-server 7.0, and the AOF of
 * redis-server (with and without the RDB preamble) replays into the engine to the same data.
 */
import { describe as suite, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createEngine } from '../../src/engine';
import { aofLoad, aofRewrite, aofContents, aofDirectory, respCommand, AofError } from '../../src/engine/persistence/aof';
import {
  hasRedis, tmpDir, startRedis, engineRunner, describe, sameDataset, datasetCommands, runOnEngine, runOnRedis, type RealRedis,
} from './persistence-redis';

/** Commands whose propagation Redis rewrites (all deterministic). */
const SCRIPT: string[][] = [
  ['set', 'a', '1'], ['expire', 'a', '100'], ['setex', 'b', '100', 'v'], ['set', 'c', 'v', 'ex', '100'],
  ['set', 'd', 'v', 'px', '100000', 'get'], ['psetex', 'e', '100000', 'v'], ['expireat', 'a', '9999999999'],
  ['getex', 'a', 'ex', '50'], ['incrbyfloat', 'f', '1.5'], ['getset', 'gs', '1'], ['sadd', 's1', 'x'], ['spop', 's1'],
  ['select', '2'], ['set', 'x', 'y'], ['select', '0'], ['del', 'nokey'], ['persist', 'a'], ['set', 'g', 'v', 'keepttl'],
  ['lpush', 'l', 'a', 'b', 'c', 'd', 'e'], ['rpoplpush', 'l', 'l2'], ['blpop', 'l', '1'], ['set', 'h', 'v', 'exat', '9999999999'],
  ['getdel', 'h'], ['incr', 'cnt'], ['pexpire', 'cnt', '0'], ['hincrbyfloat', 'hf', 'f', '2.5'], ['lmpop', '1', 'l', 'left', 'count', '2'],
  ['zadd', 'z', '1', 'a', '2', 'b', '3', 'c'], ['zpopmin', 'z'], ['bzpopmax', 'z', '1'], ['getex', 'g', 'persist'],
  ['sadd', 's2', 'a', 'b', 'c'], ['spop', 's2', '5'], ['set', 'k', 'v', 'nx'], ['set', 'k', 'w', 'nx'], ['hset', 'hh', 'f', 'v'],
  // Streams: IDs resolved, approximate trims made exact, reads as XCLAIM (several in MULTI/EXEC).
  ['xadd', 'xs', '1-1', 'a', '1'], ['xadd', 'xs', '1-*', 'a', '2'], ['xadd', 'xs', 'maxlen', '~', '1', '2-1', 'a', '3'],
  ['xadd', 'xs', 'minid', '~', '0', '3-1', 'a', '4'], ['xgroup', 'create', 'xs', 'g', '0'],
  ['xreadgroup', 'group', 'g', 'c1', 'count', '2', 'streams', 'xs', '>'], ['xreadgroup', 'group', 'g', 'c2', 'noack', 'streams', 'xs', '>'],
  ['xclaim', 'xs', 'g', 'c3', '0', '1-1', 'justid'], ['xautoclaim', 'xs', 'g', 'c4', '0', '0', 'count', '1'], ['xack', 'xs', 'g', '1-2'],
  ['xdel', 'xs', '3-1'], ['xclaim', 'xs', 'g', 'c5', '0', '1-1', 'lastid', '8-0'], ['xtrim', 'xs', 'maxlen', '~', '0'], ['xsetid', 'xs', '9-9'],
  ['xgroup', 'setid', 'xs', 'g', '0'], ['xgroup', 'createconsumer', 'xs', 'g', 'c9'], ['xgroup', 'delconsumer', 'xs', 'g', 'c9'],
  ['xgroup', 'destroy', 'xs', 'g'], ['xtrim', 'xs', 'maxlen', '0'],
];

/** SCRIPT without the commands this engine does not have yet (blocking commands land separately). */
const SUPPORTED = (() => { const e = createEngine(); return SCRIPT.filter((c) => e.commands.lookup(c)?.proc); })();

/** A RESP log as a list of argvs, 13-digit timestamps masked. */
function parseLog(s: string): string[][] {
  const out: string[][] = [];
  let p = 0;
  while (p < s.length) {
    const nl = s.indexOf('\r\n', p);
    const argc = Number(s.slice(p + 1, nl));
    p = nl + 2;
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const e = s.indexOf('\r\n', p);
      const len = Number(s.slice(p + 1, e));
      argv.push(s.slice(e + 2, e + 2 + len).replace(/^\d{13}$/, '<ms>'));
      p = e + 2 + len + 2;
    }
    out.push(argv);
  }
  return out;
}

suite('AOF in the engine', () => {
  it('onPropagate sees writes that changed something, rewritten as Redis propagates them', () => {
    const e = createEngine();
    const seen: string[] = [];
    e.onPropagate = (db, argv) => seen.push(`${db}:${argv.join(' ')}`);
    e.exec(['SET', 'k', 'v']);
    e.exec(['GET', 'k']);
    e.exec(['DEL', 'nokey']);
    e.exec(['EXPIRE', 'k', '0']);
    e.exec(['SADD', 's', 'a']);
    e.exec(['SADD', 's', 'a']);
    expect(seen).toEqual(['0:SET k v', '0:DEL k', '0:SADD s a']);
  });

  it('appendonly yes: base + incr, SELECT on db change, BGREWRITEAOF compacts (batches of 64)', () => {
    const e = createEngine({ config: { appendonly: true } });
    e.exec(['RPUSH', 'l', ...Array.from({ length: 100 }, (_, i) => String(i))]);
    e.exec(['SELECT', '1']);
    e.exec(['SET', 'x', '1']);
    const log = parseLog(aofContents(e));
    expect(log[0]).toEqual(['SELECT', '0']);
    expect(log[1].slice(0, 3)).toEqual(['RPUSH', 'l', '0']);
    expect(log[2]).toEqual(['SELECT', '1']);
    expect(e.exec(['BGREWRITEAOF']).reply).toEqual({ t: 'status', v: 'Background append only file rewriting started' });
    const base = parseLog(e.persistence.aofBase);
    expect(base.map((a) => `${a[0]} ${a.length}`)).toEqual(['SELECT 2', 'RPUSH 66', 'RPUSH 38', 'SELECT 2', 'SET 3']);
    expect(e.persistence.aofIncr).toEqual([]);
    const info = (e.exec(['INFO', 'persistence']).reply as { v: string }).v;
    expect(info).toContain('aof_enabled:1\r\n');
    expect(info).toContain('aof_rewrites:2\r\n');
  });

  it('replays a log; a truncated log keeps its valid prefix and says what was cut', () => {
    const log = respCommand(['SET', 'a', '1']) + respCommand(['MULTI']) + respCommand(['INCR', 'a']) + respCommand(['EXEC']) + respCommand(['RPUSH', 'l', 'x', 'y']);
    const e = createEngine();
    const r = aofLoad(e, log);
    expect(r).toMatchObject({ commands: 3, truncatedBytes: 0, truncated: null });
    expect(e.exec(['GET', 'a']).reply).toEqual({ t: 'bulk', v: '2' });
    const cut = log.slice(0, log.length - 4);
    const e2 = createEngine();
    const r2 = aofLoad(e2, cut);
    expect(r2.commands).toBe(2);
    expect(r2.truncated).toMatch(/partial command/);
    expect(r2.validBytes).toBe(log.length - respCommand(['RPUSH', 'l', 'x', 'y']).length);
    expect(() => aofLoad(createEngine(), cut, { loadTruncated: false })).toThrow(AofError);
    // An unfinished MULTI is reverted.
    const e3 = createEngine();
    const r3 = aofLoad(e3, respCommand(['SET', 'a', '1']) + respCommand(['MULTI']) + respCommand(['INCR', 'a']));
    expect(r3.truncated).toMatch(/unfinished MULTI/);
    expect(e3.exec(['GET', 'a']).reply).toEqual({ t: 'bulk', v: '1' });
    expect(() => aofLoad(createEngine(), 'garbage')).toThrow(/Bad file format reading the append only file/);
    expect(() => aofLoad(createEngine(), respCommand(['NOSUCH', 'x']))).toThrow(/Unknown command 'NOSUCH' reading the append only file/);
  });

  it('the rewrite of the dataset replays to the same dataset', async () => {
    const e = createEngine();
    runOnEngine(e, datasetCommands());
    const e2 = createEngine();
    aofLoad(e2, aofRewrite(e));
    expect(sameDataset(await describe(engineRunner(e)), await describe(engineRunner(e2)))).toEqual([]);
  });
});

const REDIS = hasRedis();
if (!REDIS) console.warn('aof.test.ts: redis-server / redis-check-aof not installed: skipping the real-server AOF tests');

function writeAofDir(dir: string, files: { name: string; content: string }[]): void {
  const d = path.join(dir, 'appendonlydir');
  fs.mkdirSync(d, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(d, f.name), Buffer.from(f.content, 'latin1'));
}

suite.skipIf(!REDIS)('against redis-server 7.0', () => {
  const servers: RealRedis[] = [];
  afterAll(async () => { for (const s of servers) await s.stop(); });

  it('propagates the same commands as the incr AOF of redis-server', async () => {
    const dir = tmpDir('aof-prop');
    const r = await startRedis(16400, dir, ['--appendonly', 'yes']);
    servers.push(r);
    await runOnRedis(r, SUPPORTED);
    await new Promise((res) => setTimeout(res, 1100)); // appendfsync everysec
    const incrName = fs.readdirSync(path.join(dir, 'appendonlydir')).find((f) => f.endsWith('.incr.aof'))!;
    const theirs = parseLog(fs.readFileSync(path.join(dir, 'appendonlydir', incrName), 'latin1'));
    const e = createEngine({ config: { appendonly: true } });
    runOnEngine(e, SUPPORTED);
    const ours = parseLog(e.persistence.aofIncr.join(''));
    expect(ours).toEqual(theirs);
  });

  it('our appendonlydir (manifest, base, incr) passes redis-check-aof and loads in redis-server identically', async () => {
    const e = createEngine({ config: { appendonly: true } });
    runOnEngine(e, datasetCommands());
    runOnEngine(e, SUPPORTED);
    e.exec(['BGREWRITEAOF']);
    runOnEngine(e, [['RPUSH', 'after', 'rewrite'], ['SELECT', '4'], ['SET', 'k4', 'v'], ['EXPIRE', 'k4', '500']]);
    const dir = tmpDir('aof-ours');
    const files = aofDirectory(e);
    writeAofDir(dir, files);
    const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', files[0].name)], { encoding: 'latin1' });
    expect(check.stdout).toMatch(/is valid/);
    expect(check.status).toBe(0);
    const r = await startRedis(16401, dir, ['--appendonly', 'yes']);
    servers.push(r);
    expect(sameDataset(await describe(engineRunner(e)), await describe(r.call))).toEqual([]);
  });

  it("redis-server's AOF (no preamble, and with the RDB preamble) replays into the engine identically", async () => {
    for (const preamble of ['no', 'yes']) {
      const dir = tmpDir(`aof-theirs-${preamble}`);
      const r = await startRedis(preamble === 'no' ? 16402 : 16403, dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble]);
      servers.push(r);
      await runOnRedis(r, datasetCommands().slice(0, 20));
      await r.call('BGREWRITEAOF');
      for (let i = 0; i < 100 && String((await r.client.info('persistence'))).includes('aof_rewrite_in_progress:1'); i++) await new Promise((res) => setTimeout(res, 50));
      await new Promise((res) => setTimeout(res, 200));
      await runOnRedis(r, datasetCommands().slice(20));
      await runOnRedis(r, SUPPORTED);
      await new Promise((res) => setTimeout(res, 1100));
      const ad = path.join(dir, 'appendonlydir');
      const manifest = fs.readFileSync(path.join(ad, 'appendonly.aof.manifest'), 'latin1');
      const names = [...manifest.matchAll(/file (\S+) seq \d+ type ([bi])/g)].sort((a, b) => (a[2] === 'b' ? -1 : b[2] === 'b' ? 1 : 0)).map((m) => m[1]);
      expect(names[0]).toMatch(preamble === 'yes' ? /\.base\.rdb$/ : /\.base\.aof$/);
      const e = createEngine();
      for (const n of names) aofLoad(e, new Uint8Array(fs.readFileSync(path.join(ad, n))));
      // The oracle is redis-server restarted from the same files: Redis 7.0's own AOF does not keep
      // everything (a stream group's read counter is lost when a read propagates as XCLAIM ... LASTID).
      await r.stop();
      servers.splice(servers.indexOf(r), 1);
      const r2 = await startRedis(preamble === 'no' ? 16404 : 16405, dir, ['--appendonly', 'yes']);
      servers.push(r2);
      expect(sameDataset(await describe(r2.call), await describe(engineRunner(e)))).toEqual([]);
    }
  });
});
