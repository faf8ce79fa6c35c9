/** The Node server's --dir persistence: dump.rdb written on SAVE / BGSAVE / SHUTDOWN, loaded at start. */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Engine } from '../../src/engine/engine';
import { attachPersistence } from '../../src/server/persistence';
import { tmpDir, hasRedis } from './persistence-redis';

describe('--dir persistence (src/server/persistence.ts)', () => {
  it('writes dump.rdb on SAVE / BGSAVE / SHUTDOWN SAVE and loads it at start', () => {
    const dir = tmpDir('srv');
    const e = new Engine();
    attachPersistence(e, { dir });
    e.exec(['SET', 'a', '1']);
    e.exec(['RPUSH', 'l', 'x', 'y']);
    expect(e.exec(['SAVE']).reply).toEqual({ t: 'status', v: 'OK' });
    const file = path.join(dir, 'dump.rdb');
    expect(fs.existsSync(file)).toBe(true);
    if (hasRedis()) expect(spawnSync('redis-check-rdb', [file], { encoding: 'latin1' }).stdout).toContain('RDB looks OK');
    e.exec(['SET', 'b', '2']);
    let stopped = false;
    e.persistence.onShutdown = () => { stopped = true; };
    e.exec(['SHUTDOWN', 'SAVE']);
    expect(stopped).toBe(true);
    const e2 = new Engine();
    expect(attachPersistence(e2, { dir }).loadedKeys).toBe(3);
    expect(e2.exec(['LRANGE', 'l', '0', '-1']).reply).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'x' }, { t: 'bulk', v: 'y' }] });
    expect(e2.exec(['CONFIG', 'GET', 'dir']).reply).toEqual({ t: 'map', v: [{ t: 'bulk', v: 'dir' }, { t: 'bulk', v: dir }] });
  });

  it('SHUTDOWN without a host is refused; a corrupt dump.rdb stops the start with a clear message', () => {
    const e = new Engine();
    expect((e.exec(['SHUTDOWN']).reply as { v: string }).v).toMatch(/not available in the sandbox/);
    expect(e.exec(['SHUTDOWN', 'ABORT']).reply).toEqual({ t: 'error', v: 'ERR No shutdown in progress.' });
    const dir = tmpDir('srv-bad');
    fs.writeFileSync(path.join(dir, 'dump.rdb'), Buffer.from('REDIS0010\xfe', 'latin1'));
    expect(() => attachPersistence(new Engine(), { dir })).toThrow(/Bad RDB file .*Short read at offset 10 while reading a database number/);
  });
});
