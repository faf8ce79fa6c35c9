/**
 * The browser-side persistence logic (src/persist/) in Node: an in-memory LogStorage stands in for
 * IndexedDB. A "reload" is a new engine restoring from the same storage.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { Persister } from '../../src/persist/persister';
import { MemoryStorage, type LogStorage } from '../../src/persist/storage';
import { scanLog, commandLine, respText } from '../../src/persist/resp-scan';
import { respCommand } from '../../src/engine/persistence/aof';
import { createPersistApi } from '../../src/persist/api';
import { withPersistence } from '../../src/persist/setup';
import { createApi } from '../../src/worker/api';
import { formatReply } from '../../src/ui/format';
import { parseCommandLine } from '../../src/engine/splitargs';

const T0 = 1_700_000_000_000;

async function boot(storage: LogStorage | null, opts: ConstructorParameters<typeof Persister>[2] = {}) {
  const clock = new ManualClock(T0);
  const engine = createEngine({ clock });
  const p = new Persister(engine, storage, { flushMs: 0, now: () => clock.now(), ...opts });
  const report = await p.start();
  const run = (line: string) => formatReply(engine.exec(parseCommandLine(line)!).reply);
  return { engine, p, report, run, clock };
}

describe('resp-scan', () => {
  it('counts commands, keeps the tail, stops at the first bad byte', () => {
    const log = respCommand(['SET', 'a', '1']) + respCommand(['RPUSH', 'l', 'x', 'y']) + respCommand(['SELECT', '2']);
    const r = scanLog(log, 2);
    expect(r).toEqual({ count: 3, end: log.length, problem: null, tail: [['RPUSH', 'l', 'x', 'y'], ['SELECT', '2']] });
    const partial = scanLog(log + '*2\r\n$3\r\nGET', 0);
    expect(partial.count).toBe(3);
    expect(partial.end).toBe(log.length);
    expect(partial.problem).toBe(`a partial command at offset ${log.length}`);
    const bad = scanLog(log + 'garbage');
    expect(bad.problem).toBe(`bad format at offset ${log.length}: expected '*', found 'g'`);
  });

  it('formats commands as redis-cli lines and as RESP text', () => {
    expect(commandLine(['SET', 'k', 'hello world', '\x00\xff'])).toBe('SET k "hello world" "\\x00\\xff"');
    expect(respText(['GET', 'k'])).toBe('*2\\r\\n$3\\r\\nGET\\r\\n$1\\r\\nk\\r\\n');
    // Big commands stay small on their way to the page.
    const big = ['ZADD', 'z', ...Array.from({ length: 20_000 }, (_, i) => String(i)), 'x'.repeat(100)];
    expect(commandLine(big)).toBe('ZADD z 0 1 2 3 4 5 …(+19995 arguments)');
    expect(commandLine(['SET', 'k', 'x'.repeat(100)])).toBe(`SET k ${'x'.repeat(64)}…(100 bytes)`);
    expect(respText(['SET', 'k', 'y'.repeat(70)])).toBe(`*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nk\\r\\n$70\\r\\n${'y'.repeat(64)}…\\r\\n`);
  });
});

describe('Persister', () => {
  it('appends propagated writes, flushes them as one segment, and restores them after a reload', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    expect(a.report).toMatchObject({ commands: 0, damage: null });
    a.run('SET s hello');
    a.run('RPUSH l a b c');
    a.run('HSET h f v');
    a.run('ZADD z 1.5 m');
    a.run('EXPIRE s 100');
    a.run('GET s'); // a read: not logged
    let st = a.p.status();
    expect(st.pendingCommands).toBe(6); // SELECT 0 + 5 writes
    expect(st.commands).toBe(6);
    expect(storage.writes).toBe(0);
    await a.p.flush();
    st = a.p.status();
    expect(storage.writes).toBe(1);
    expect(st.pendingBytes).toBe(0);
    expect(st.savedAt).toBe(T0);
    expect(st.tail.map((x) => x.args[0])).toEqual(['SELECT', 'SET', 'RPUSH', 'HSET', 'ZADD', 'PEXPIREAT']);
    expect(st.tail[5]).toEqual({ argc: 3, args: ['PEXPIREAT', 's', String(T0 + 100_000)], lens: [9, 1, 13] });
    expect(a.p.aof()).toBe(storage.data.get(1));
    await a.p.flush(); // nothing pending: no write
    expect(storage.writes).toBe(1);

    const b = await boot(storage);
    expect(b.report).toMatchObject({ commands: 6, keys: 4, damage: null, cutBytes: 0 });
    expect(b.run('GET s')).toBe('"hello"');
    expect(b.run('LRANGE l 0 -1')).toBe('1) "a"\n2) "b"\n3) "c"');
    expect(b.run('HGET h f')).toBe('"v"');
    expect(b.run('ZSCORE z m')).toBe('(double) 1.5');
    expect(b.run('TTL s')).toBe('(integer) 100');
    // The next writes continue the log after the stored segments.
    b.run('DEL h');
    await b.p.flush();
    expect([...storage.data.keys()].filter((k) => typeof k === 'number')).toEqual([1, 2]);
    const c = await boot(storage);
    expect(c.run('EXISTS h')).toBe('(integer) 0');
    expect(c.run('DBSIZE')).toBe('(integer) 3');
  });

  it('keeps the console database and the SELECTs of other databases', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    a.run('SELECT 3');
    a.run('SET k three');
    a.run('SELECT 5');
    await a.p.flush();
    const b = await boot(storage);
    expect(b.report.db).toBe(5);
    expect(b.engine.defaultClient.db.id).toBe(5);
    b.run('SELECT 3');
    expect(b.run('GET k')).toBe('"three"');
  });

  it('rewrites the log when it doubled past the minimum size, and on demand', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage, { rewriteMinSize: 2000 });
    for (let i = 0; i < 80; i++) a.run(`INCR counter`);
    expect(a.p.status().bytes).toBe(23 + 80 * 27); // SELECT 0 + 80 INCRs, not saved yet
    await a.p.flush();
    // Past 2000 bytes and more than twice the last rewrite: rewritten to SELECT + SET.
    const big = a.p.status();
    expect(big.rewrites).toBe(1);
    expect(big.commands).toBe(2);
    expect(storage.data.get('base')).toBe(respCommand(['SELECT', '0']) + respCommand(['SET', 'counter', '80']));
    expect([...storage.data.keys()].sort()).toEqual(['base', 'meta']);
    // On demand: smaller after a rewrite, and the engine's BGREWRITEAOF does the same.
    a.run('SET x 1');
    a.run('SET x 2');
    a.run('SET x 3');
    const before = a.p.status().bytes;
    a.run('BGREWRITEAOF');
    await a.p.idle();
    const after = a.p.status();
    expect(after.bytes).toBeLessThan(before);
    expect(after.rewrites).toBe(2);
    expect(after.pendingBytes).toBe(0);
    const b = await boot(storage);
    expect(b.run('GET x')).toBe('"3"');
    expect(b.run('GET counter')).toBe('"80"');
  });

  it('a truncated log keeps its valid prefix and says what was cut', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    a.run('SET a 1');
    a.run('SET b 2');
    await a.p.flush();
    storage.data.set(2, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1'); // a write cut in the middle
    const b = await boot(storage);
    expect(b.report.commands).toBe(3);
    expect(b.report.cutBytes).toBe(22);
    expect(b.report.damage).toMatch(/partial command at offset/);
    expect(b.run('MGET a b c')).toBe('1) "1"\n2) "2"\n3) (nil)');
    // The stored log is valid again (rewritten), so the next start is clean.
    const c = await boot(storage);
    expect(c.report.damage).toBeNull();
    expect(c.run('DBSIZE')).toBe('(integer) 2');
  });

  it('garbage, unknown commands and non-text records never stop the start', async () => {
    for (const [bad, reason] of [
      ['this is not RESP at all', /bad format at offset \d+: expected '\*'/],
      [respCommand(['NOSUCHCMD', 'x']), /Unknown command 'NOSUCHCMD'/],
      [{ not: 'text' }, /segment 2 is not text \(an object\)/],
      [new Uint8Array([1, 2, 3]), /segment 2 is not text \(binary data\)/],
    ] as const) {
      const storage = new MemoryStorage();
      const a = await boot(storage);
      a.run('SET kept yes');
      await a.p.flush();
      storage.data.set(2, bad);
      storage.data.set(3, respCommand(['SET', 'after', 'x']));
      const b = await boot(storage);
      expect(b.report.damage).toMatch(reason);
      expect(b.report.cutBytes + b.report.cutRecords).toBeGreaterThan(0);
      expect(b.run('GET kept')).toBe('"yes"');
      expect(b.run('EXISTS after')).toBe('(integer) 0');
    }
    // A base that is not text: nothing usable, an empty sandbox that still starts.
    const storage = new MemoryStorage();
    storage.data.set('base', 42);
    storage.data.set('meta', 'nonsense');
    const b = await boot(storage);
    expect(b.report.damage).toMatch(/base record is not text/);
    expect(b.run('DBSIZE')).toBe('(integer) 0');
    expect(b.run('PING')).toBe('PONG');
  });

  it('a storage that fails to load: the sandbox starts empty with the reason', async () => {
    const failing: LogStorage = {
      load: () => Promise.reject(new Error('QuotaExceededError')),
      append: () => Promise.reject(new Error('nope')),
      replace: () => Promise.reject(new Error('nope')),
      clear: () => Promise.reject(new Error('nope')),
    };
    const a = await boot(failing);
    expect(a.report.damage).toMatch(/could not be read: QuotaExceededError/);
    a.run('SET k v');
    await a.p.flush();
    const st = a.p.status();
    expect(st.writeError).toBe('nope');
    expect(st.pendingCommands).toBe(2); // kept for the next try
  });

  it('reset empties the dataset, the configuration and the log', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    a.run('SET k v');
    a.run('CONFIG SET hash-max-listpack-entries 2');
    a.run('SELECT 4');
    await a.p.flush();
    await a.p.reset();
    expect(storage.data.size).toBe(0);
    expect(a.run('DBSIZE')).toBe('(integer) 0');
    expect(a.engine.defaultClient.db.id).toBe(0);
    expect(a.run('CONFIG GET hash-max-listpack-entries')).toBe('1# "hash-max-listpack-entries" => "512"');
    expect(a.p.status()).toMatchObject({ bytes: 0, commands: 0, tail: [], restore: null });
    const b = await boot(storage);
    expect(b.run('DBSIZE')).toBe('(integer) 0');
  });

  it('Download RDB / Open RDB file: REDIS0010, a round trip, and the loader message for a bad file', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    const api = createPersistApi(a.engine, a.p);
    a.run('SET k v');
    a.run('SADD s 1 2 3');
    const rdb = api.persistRdb();
    expect(String.fromCharCode(...rdb.slice(0, 9))).toBe('REDIS0010');
    a.run('FLUSHALL');
    const ok = await api.persistOpenRdb(rdb);
    expect(ok).toEqual({ ok: true, message: '', keys: 2 });
    expect(a.run('SCARD s')).toBe('(integer) 3');
    const b = await boot(storage); // the log was rewritten from the loaded dataset
    expect(b.run('GET k')).toBe('"v"');
    const bad = rdb.slice();
    bad[bad.length - 1] ^= 0xff;
    const res = await api.persistOpenRdb(bad);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(/^Wrong RDB checksum/);
    expect(a.run('GET k')).toBe('"v"'); // unchanged
    const notRdb = await api.persistOpenRdb(new TextEncoder().encode('hello'));
    expect(notRdb.message).toMatch(/RDB/);
    const aof = new TextDecoder('latin1').decode(api.persistAof());
    expect(aof.startsWith('*2\r\n$6\r\nSELECT\r\n')).toBe(true);
  });

  it('with a second tab owning the log: restores, saves nothing, takes over when it can', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    a.run('SET k v');
    await a.p.flush();
    const b = await boot(storage, { owner: false });
    expect(b.p.status().mode).toBe('other-tab');
    expect(b.run('GET k')).toBe('"v"');
    b.run('SET mine 1');
    await b.p.flush();
    expect(storage.data.has(2)).toBe(false);
    await b.p.becomeOwner();
    expect(b.p.status().mode).toBe('saving');
    const c = await boot(storage);
    expect(c.run('GET mine')).toBe('"1"');
  });

  it('taking over while the restore is still reading does not wipe the saved log', async () => {
    const storage = new MemoryStorage();
    const a = await boot(storage);
    a.run('SET k v');
    await a.p.flush();
    const load = storage.load.bind(storage);
    storage.load = async () => { await new Promise((ok) => setTimeout(ok, 20)); return load(); };
    const engine = createEngine();
    const p = new Persister(engine, storage, { owner: false, flushMs: 0 });
    const started = p.start();
    const own = p.becomeOwner();
    await started;
    await own;
    expect(formatReply(engine.exec(['GET', 'k']).reply)).toBe('"v"');
    expect(storage.data.get('base')).toContain('$1\r\nk\r\n$1\r\nv\r\n');
  });

  it('withPersistence: without IndexedDB (Node) every call still works', async () => {
    const engine = createEngine();
    const api = withPersistence(engine, createApi(engine));
    const r = await (api.exec('SET a 1') as unknown as Promise<{ reply: unknown }>);
    expect(formatReply(r.reply as never)).toBe('OK');
    const st = await (api.persistStatus() as unknown as Promise<{ mode: string; commands: number }>);
    expect(st.mode).toBe('unavailable');
    expect(st.commands).toBe(2);
  });
});
