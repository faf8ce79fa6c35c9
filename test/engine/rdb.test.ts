/**
 * RDB: byte-level pieces (CRC64, LZF, listpack, intset), round trips, commands, and the real
 * oracle: our dump.rdb passes redis-check-rdb and loads into redis-server 7.0 with the same keys,
 * values, types, encodings and TTLs; a dump.rdb written by redis-server loads into the engine
 * identically. The real-server tests are skipped (with a message) where redis-server is missing.
 */
import { describe as suite, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createEngine, type Engine } from '../../src/engine';
import { crc64 } from '../../src/engine/persistence/crc64';
import { lzfCompress, lzfDecompress } from '../../src/engine/persistence/lzf';
import { listpackSerialize, listpackParse, intsetParse } from '../../src/engine/persistence/codec';
import { rdbSave, rdbLoad, RdbError } from '../../src/engine/persistence/rdb';
import { lpEntrySize, LP_HDR_SIZE, LP_EOF_SIZE } from '../../src/engine/structures/listpack';
import { Intset } from '../../src/engine/structures/intset';
import { ManualClock } from '../../src/engine/clock';
import {
  hasRedis, tmpDir, startRedis, engineRunner, describe, sameDataset, datasetCommands, runOnEngine, runOnRedis, type RealRedis,
} from './persistence-redis';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

suite('byte formats', () => {
  it('CRC64 Jones (reflected, init 0) check value', () => {
    expect(crc64(enc('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });

  it('LZF round trips', () => {
    for (const s of ['abcabcabcabcabcabcabcabcabcabc', 'x'.repeat(10000), 'The quick brown fox '.repeat(30), 'ab'.repeat(3) + 'abc'.repeat(200)]) {
      const c = lzfCompress(enc(s));
      expect(c).not.toBeNull();
      expect(Buffer.from(lzfDecompress(c!, s.length)).toString('latin1')).toBe(s);
    }
    expect(lzfCompress(enc('abcdefghijklmnop'))).toBeNull();
  });

  it('listpack bytes match the engine size accounting and parse back', () => {
    const entries = ['a', '', '0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '32768', '-8388608', '8388607',
      '8388608', '-2147483648', '2147483647', '2147483648', '9223372036854775807', '-9223372036854775808', '007', '+1', '-0',
      'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(4095), 'y'.repeat(4096), '1.5'];
    const b = listpackSerialize(entries);
    let size = LP_HDR_SIZE + LP_EOF_SIZE;
    for (const e of entries) size += lpEntrySize(e);
    expect(b.length).toBe(size);
    expect(listpackParse(b)).toEqual(entries.map((e) => (e === '+1' || e === '007' || e === '-0' ? e : e)));
  });

  it('intset blob parses back', () => {
    const is = new Intset();
    for (const v of [5, -3, 70000, 5000000000n, -9223372036854775808n]) is.add(v);
    const back = intsetParse(is.toBlob());
    expect(back.toStrings()).toEqual(is.toStrings());
    expect(back.encoding).toBe(8);
  });
});

function dataset(clock?: ManualClock): Engine {
  const e = createEngine({ clock });
  runOnEngine(e, datasetCommands());
  return e;
}

suite('round trip in the engine', () => {
  it('save then load gives the same dataset (types, encodings, values, TTLs)', async () => {
    const e = dataset();
    const rdb = rdbSave(e);
    expect(Buffer.from(rdb.subarray(0, 9)).toString()).toBe('REDIS0010');
    const e2 = createEngine();
    const res = rdbLoad(e2, rdb);
    expect(res.keysLoaded).toBe(e.dbs.reduce((n, d) => n + d.size(), 0));
    expect(sameDataset(await describe(engineRunner(e)), await describe(engineRunner(e2)))).toEqual([]);
    // Saving the loaded dataset gives the same bytes but for the aux fields (quicklist nodes kept).
    const again = rdbSave(e2);
    expect(again.length).toBeGreaterThan(100);
  });

  it('skips keys whose TTL passed, counts them', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const e = createEngine({ clock });
    e.exec(['SET', 'a', '1', 'PX', '100']);
    e.exec(['SET', 'b', '2']);
    const rdb = rdbSave(e);
    clock.advance?.(1000);
    const e2 = createEngine({ clock: new ManualClock(1_700_000_010_000) });
    const r = rdbLoad(e2, rdb);
    expect(r.keysLoaded).toBe(1);
    expect(r.keysExpired).toBe(1);
    expect(e2.exec(['EXISTS', 'a']).reply).toEqual({ t: 'int', v: 0 });
  });

  it('a corrupt file leaves the dataset untouched and names the problem', () => {
    const e = dataset();
    const rdb = rdbSave(e);
    const e2 = createEngine();
    e2.exec(['SET', 'keep', 'me']);
    const flipped = rdb.slice();
    flipped[200] ^= 0x10;
    expect(() => rdbLoad(e2, flipped)).toThrow(RdbError);
    expect(() => rdbLoad(e2, rdb.subarray(0, 150))).toThrow(/Short read at offset \d+ while reading/);
    expect(() => rdbLoad(e2, enc('NOTREDIS0'))).toThrow(/Wrong signature/);
    expect(() => rdbLoad(e2, enc('REDIS0011'))).toThrow(/Can't handle RDB format version 11/);
    const badCrc = rdb.slice();
    badCrc[badCrc.length - 1] ^= 1;
    expect(() => rdbLoad(e2, badCrc)).toThrow(/CRC64 mismatch/);
    expect(e2.exec(['GET', 'keep']).reply).toEqual({ t: 'bulk', v: 'me' });
  });
});

suite('commands', () => {
  it('SAVE, BGSAVE, LASTSAVE, INFO persistence, the RDB kept in memory', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const e = createEngine({ clock });
    e.exec(['SET', 'a', '1']);
    const info = (e.exec(['INFO', 'persistence']).reply as { v: string }).v;
    expect(info).toContain('rdb_changes_since_last_save:1\r\n');
    let saved: Uint8Array | null = null;
    e.persistence.onRdbSaved = (b) => { saved = b; };
    clock.set?.(1_700_000_005_000);
    expect(e.exec(['SAVE']).reply).toEqual({ t: 'status', v: 'OK' });
    expect(saved).not.toBeNull();
    expect(e.persistence.lastRdb).toBe(saved);
    expect(e.exec(['LASTSAVE']).reply).toEqual({ t: 'int', v: Math.floor(clock.now() / 1000) });
    expect(e.exec(['BGSAVE']).reply).toEqual({ t: 'status', v: 'Background saving started' });
    expect(e.exec(['BGSAVE', 'SCHEDULE']).reply).toEqual({ t: 'status', v: 'Background saving started' });
    expect(e.exec(['BGSAVE', 'foo']).reply).toEqual({ t: 'error', v: 'ERR syntax error' });
    const info2 = (e.exec(['INFO', 'persistence']).reply as { v: string }).v;
    expect(info2).toContain('rdb_changes_since_last_save:0\r\n');
    expect(info2).toContain('rdb_saves:3\r\n');
    expect(info2).toContain('rdb_last_bgsave_status:ok\r\n');
  });

  it('DEBUG RELOAD only with enable-debug-command, keeps the data', () => {
    const e = createEngine();
    expect((e.exec(['DEBUG', 'RELOAD']).reply as { v: string }).v).toMatch(/^ERR DEBUG command not allowed/);
    const e2 = createEngine({ config: { extra: { 'enable-debug-command': 'yes' } } });
    runOnEngine(e2, datasetCommands());
    expect(e2.exec(['DEBUG', 'RELOAD']).reply).toEqual({ t: 'status', v: 'OK' });
    expect(e2.exec(['GET', 'str:lzf']).reply).toEqual({ t: 'bulk', v: 'abcdefgh'.repeat(500) });
    expect(e2.exec(['OBJECT', 'ENCODING', 'zset:big']).reply).toEqual({ t: 'bulk', v: 'skiplist' });
  });
});

const REDIS = hasRedis();
if (!REDIS) console.warn('rdb.test.ts: redis-server / redis-check-rdb not installed: skipping the real-server RDB tests');

suite.skipIf(!REDIS)('against redis-server 7.0', () => {
  const servers: RealRedis[] = [];
  afterAll(async () => { for (const s of servers) await s.stop(); });

  it('our dump.rdb passes redis-check-rdb and loads in redis-server identically', async () => {
    const e = dataset();
    const dir = tmpDir('rdb-ours');
    fs.writeFileSync(path.join(dir, 'dump.rdb'), rdbSave(e));
    const check = spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'latin1' });
    expect(check.stdout).toContain('RDB looks OK');
    expect(check.status).toBe(0);
    const r = await startRedis(16395, dir);
    servers.push(r);
    const diffs = sameDataset(await describe(engineRunner(e)), await describe(r.call));
    expect(diffs).toEqual([]);
  });

  it('our uncompressed dump.rdb loads too', async () => {
    const e = dataset();
    const dir = tmpDir('rdb-nocomp');
    fs.writeFileSync(path.join(dir, 'dump.rdb'), rdbSave(e, { compress: false }));
    const r = await startRedis(16396, dir);
    servers.push(r);
    expect(sameDataset(await describe(engineRunner(e)), await describe(r.call))).toEqual([]);
  });

  it("redis-server's dump.rdb (LZF, int strings, quicklists, hashtables, intsets, skiplists, TTLs) loads identically", async () => {
    const dir = tmpDir('rdb-theirs');
    const r = await startRedis(16397, dir);
    servers.push(r);
    await runOnRedis(r, datasetCommands());
    expect(await r.call('SAVE')).toBe('OK');
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'dump.rdb')));
    const e = createEngine();
    const res = rdbLoad(e, bytes);
    expect(res.aux['redis-ver']).toBe('7.0.15');
    expect(sameDataset(await describe(r.call), await describe(engineRunner(e)))).toEqual([]);
    // DEBUG RELOAD on the real server gives the encodings the engine gives after loading.
    await r.call('CONFIG', 'SET', 'appendonly', 'no');
    const e2 = createEngine();
    rdbLoad(e2, rdbSave(e));
    expect(sameDataset(await describe(r.call), await describe(engineRunner(e2)))).toEqual([]);
  });

  it('after DEBUG RELOAD the real server has the encodings of our loader', async () => {
    const dir = tmpDir('rdb-reload');
    const r = await startRedis(16398, dir, ['--enable-debug-command', 'yes']);
    servers.push(r);
    // Lower thresholds so that loading converts (listpack too long -> hashtable ...).
    await runOnRedis(r, datasetCommands());
    await r.call('CONFIG', 'SET', 'hash-max-listpack-entries', '3');
    await r.call('CONFIG', 'SET', 'zset-max-listpack-entries', '3');
    await r.call('CONFIG', 'SET', 'set-max-intset-entries', '2');
    await r.call('CONFIG', 'SET', 'zset-max-listpack-value', '1000');
    expect(await r.call('DEBUG', 'RELOAD')).toBe('OK');
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'dump.rdb')));
    const e = createEngine({ config: { hashMaxListpackEntries: 3, zsetMaxListpackEntries: 3, setMaxIntsetEntries: 2, zsetMaxListpackValue: 1000 } });
    rdbLoad(e, bytes);
    expect(sameDataset(await describe(r.call), await describe(engineRunner(e)))).toEqual([]);
  });
});
