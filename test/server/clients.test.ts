/**
 * Real clients against the RESP server: redis-cli (one-shot, --no-raw, --pipe), ioredis (pipelining,
 * many connections at once) and node-redis v5. Commands that other parts of the engine have not
 * implemented yet are skipped (see `has`).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startServer, type RunningServer } from '../../src/server/resp-server';
import { encodeCommand } from '../../src/engine/resp';
import { cli, hasBinary, raw } from './helpers';

let srv: RunningServer;
beforeAll(async () => { srv = await startServer({ port: 0, engineOptions: { seed: 7 } }); });
afterAll(async () => { await srv.close(); });

/** Is the command implemented by the engine (the table has a proc for it)? */
function has(...argv: string[]): boolean {
  // Evaluated at collection time, before beforeAll: use a throwaway engine.
  return Boolean(probe.commands.lookup(argv)?.proc);
}
import { createEngine } from '../../src/engine';
const probe = createEngine();

describe.skipIf(!hasBinary('redis-cli'))('redis-cli', () => {
  it('SET / GET, raw and --no-raw', async () => {
    expect((await cli(srv.port, ['SET', 'cli:a', 'hello world'])).stdout).toBe('OK\n');
    expect((await cli(srv.port, ['GET', 'cli:a'])).stdout).toBe('hello world\n');
    expect((await cli(srv.port, ['--no-raw', 'GET', 'cli:a'])).stdout).toBe('"hello world"\n');
    expect((await cli(srv.port, ['--no-raw', 'GET', 'cli:nokey'])).stdout).toBe('(nil)\n');
    expect((await cli(srv.port, ['--no-raw', 'PING'])).stdout).toBe('PONG\n');
  });

  it('errors as redis-cli prints them', async () => {
    expect((await cli(srv.port, ['--no-raw', 'GET'])).stdout).toBe("(error) ERR wrong number of arguments for 'get' command\n");
    expect((await cli(srv.port, ['--no-raw', 'NOPE', 'x'])).stdout).toBe("(error) ERR unknown command 'NOPE', with args beginning with: 'x' \n");
  });

  it('binary values through redis-cli (-x reads the value from stdin)', async () => {
    let v = '';
    for (let i = 0; i < 256; i++) v += String.fromCharCode(i);
    expect((await cli(srv.port, ['-x', 'SET', 'cli:bin'], v)).stdout).toBe('OK\n');
    expect((await cli(srv.port, ['GET', 'cli:bin'])).stdout).toBe(v + '\n');
  });

  // redis-cli --pipe ends with ECHO <20 random bytes> and waits for its reply.
  it.skipIf(!has('echo'))('--pipe mass insertion', async () => {
    let input = '';
    for (let i = 0; i < 2000; i++) input += encodeCommand(['SET', `pipe:${i}`, String(i)]);
    const r = await cli(srv.port, ['--pipe'], input);
    expect(r.stdout).toContain('errors: 0, replies: 2000');
    expect((await cli(srv.port, ['GET', 'pipe:1999'])).stdout).toBe('1999\n');
  });
});

describe('ioredis', () => {
  it('commands, binary Buffers, pipelining', async () => {
    const r = new Redis({ port: srv.port, host: '127.0.0.1', enableReadyCheck: false, lazyConnect: true });
    await r.connect();
    try {
      expect(await r.set('io:a', 'v')).toBe('OK');
      expect(await r.get('io:a')).toBe('v');
      expect(await r.get('io:none')).toBe(null);
      const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      expect(await r.set(bin, bin)).toBe('OK');
      expect(Buffer.compare((await r.getBuffer(bin))!, bin)).toBe(0);
      await expect(r.call('NOPE')).rejects.toThrow("ERR unknown command 'NOPE', with args beginning with: ");

      const p = r.pipeline();
      for (let i = 0; i < 10000; i++) p.set(`io:p:${i}`, String(i)).get(`io:p:${i}`);
      const res = await p.exec();
      expect(res!.length).toBe(20000);
      for (let i = 0; i < 10000; i++) {
        expect(res![2 * i]).toEqual([null, 'OK']);
        expect(res![2 * i + 1]).toEqual([null, String(i)]);
      }
    } finally {
      r.disconnect();
    }
  });

  it('50 clients at once, interleaved', async () => {
    const clients = Array.from({ length: 50 }, () => new Redis({ port: srv.port, enableReadyCheck: false }));
    try {
      await Promise.all(clients.map(async (c, n) => {
        for (let i = 0; i < 100; i++) {
          expect(await c.set(`many:${n}:${i}`, `${n}-${i}`)).toBe('OK');
        }
        const got = await Promise.all(Array.from({ length: 100 }, (_, i) => c.get(`many:${n}:${i}`)));
        expect(got).toEqual(Array.from({ length: 100 }, (_, i) => `${n}-${i}`));
      }));
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  it.skipIf(!has('incr') || !has('del') || !has('mget'))('INCR / DEL / MGET', async () => {
    const r = new Redis({ port: srv.port, enableReadyCheck: false });
    try {
      await r.del('io:n');
      expect(await r.incr('io:n')).toBe(1);
      expect(await r.mget('io:n', 'io:none')).toEqual(['1', null]);
    } finally {
      r.disconnect();
    }
  });
});

describe('node-redis v5', () => {
  it('RESP2 commands and a pipeline (multi-less batch)', async () => {
    const c = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
    c.on('error', () => {});
    await c.connect();
    try {
      expect(await c.set('nr:a', 'x')).toBe('OK');
      expect(await c.get('nr:a')).toBe('x');
      expect(await c.get('nr:none')).toBe(null);
      const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => c.set(`nr:${i}`, String(i))));
      expect(replies.every((x) => x === 'OK')).toBe(true);
      expect(await c.get('nr:999')).toBe('999');
    } finally {
      await c.close();
    }
  });

  it.skipIf(!has('hello'))('RESP3 after HELLO 3 (node-redis with RESP: 3)', async () => {
    const c = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3 });
    c.on('error', () => {});
    await c.connect();
    try {
      expect(await c.set('nr3:a', 'x')).toBe('OK');
      expect(await c.get('nr3:a')).toBe('x');
      expect(await c.get('nr3:none')).toBe(null);
    } finally {
      await c.close();
    }
  });
});

describe('RESP3 on the wire', () => {
  it.skipIf(!has('hello'))('HELLO 3 switches the connection to RESP3: null is _', async () => {
    const r = await raw(srv.port, 'HELLO 3\r\nGET resp3:none\r\n', { until: (o) => o.endsWith('_\r\n') });
    expect(r.out.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n')).toBe(true);
    expect(r.out.endsWith('_\r\n')).toBe(true);
  });

  it.skipIf(!has('quit'))('QUIT replies +OK and closes; the rest of the pipeline is ignored', async () => {
    const r = await raw(srv.port, 'QUIT\r\nPING\r\n', { ms: 1000 });
    expect(r).toEqual({ out: '+OK\r\n', closed: true });
  });
});

describe('CLIENT KILL over the network', () => {
  it.skipIf(!has('client', 'kill'))('closes the killed connection; the killer gets :1', async () => {
    const victim = new Redis({ port: srv.port, enableReadyCheck: false, retryStrategy: () => null });
    const killer = new Redis({ port: srv.port, enableReadyCheck: false });
    try {
      expect(await victim.set('victim', '1')).toBe('OK');
      const id = Number(await victim.call('CLIENT', 'ID'));
      const closed = new Promise<void>((res) => victim.once('end', () => res()));
      expect(await killer.call('CLIENT', 'KILL', 'ID', String(id))).toBe(1);
      await closed;
      expect(srv.engine.clients.has(id)).toBe(false);
    } finally {
      victim.disconnect();
      killer.disconnect();
    }
  });
});

describe('--requirepass', () => {
  it('stricter protocol limits before AUTH', async () => {
    const s = await startServer({ port: 0, engineOptions: { config: { requirepass: 'pw' } } });
    try {
      expect(await raw(s.port, '*11\r\n', { ms: 1000 })).toEqual({ out: '-ERR Protocol error: unauthenticated multibulk length\r\n', closed: true });
      expect(await raw(s.port, '*1\r\n$16385\r\n', { ms: 1000 })).toEqual({ out: '-ERR Protocol error: unauthenticated bulk length\r\n', closed: true });
      const r = await raw(s.port, 'GET a\r\n', { until: (o) => o.length > 0 });
      expect(r.out).toBe('-NOAUTH Authentication required.\r\n');
    } finally {
      await s.close();
    }
  });

  it.skipIf(!has('auth'))('AUTH unlocks the connection', async () => {
    const s = await startServer({ port: 0, engineOptions: { config: { requirepass: 'pw' } } });
    try {
      const r = await raw(s.port, 'AUTH pw\r\nSET a b\r\nGET a\r\n', { until: (o) => o.endsWith('$1\r\nb\r\n') });
      expect(r.out).toBe('+OK\r\n+OK\r\n$1\r\nb\r\n');
    } finally {
      await s.close();
    }
  });
});
