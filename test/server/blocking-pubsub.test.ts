/** The RESP server with real clients (ioredis): a blocked BLPOP woken by another connection, pub/sub. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Redis from 'ioredis';
import { startServer, type RunningServer } from '../../src/server/resp-server';
import { raw } from './helpers';

let srv: RunningServer;
beforeAll(async () => { srv = await startServer({ port: 0, engineOptions: { seed: 3 } }); });
afterAll(async () => { await srv.close(); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('blocking over the RESP server', () => {
  it('one client BLPOPs, the other LPUSHes, the first wakes with the value', async () => {
    const a = new Redis({ port: srv.port, lazyConnect: true });
    const b = new Redis({ port: srv.port, lazyConnect: true });
    await a.connect();
    await b.connect();
    try {
      const pending = a.blpop('srv:list', 0);
      await sleep(50);
      expect(await b.lpush('srv:list', 'hello')).toBe(1);
      expect(await pending).toEqual(['srv:list', 'hello']);
      // The woken connection goes on with later commands.
      expect(await a.ping()).toBe('PONG');
      expect(await b.exists('srv:list')).toBe(0);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it('a blocked connection keeps its pipelined commands until it is served', async () => {
    const b = new Redis({ port: srv.port });
    try {
      const r = raw(srv.port, '*3\r\n$5\r\nBLPOP\r\n$6\r\nsrv:pl\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n', {
        until: (o) => o.endsWith('+PONG\r\n'),
        ms: 2000,
      });
      await sleep(80);
      await b.rpush('srv:pl', 'v');
      const { out } = await r;
      expect(out).toBe('*2\r\n$6\r\nsrv:pl\r\n$1\r\nv\r\n+PONG\r\n');
    } finally {
      b.disconnect();
    }
  });

  it('a timeout answers a null', async () => {
    const a = new Redis({ port: srv.port });
    try {
      const t0 = Date.now();
      expect(await a.brpop('srv:none', 0.2)).toBeNull();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    } finally {
      a.disconnect();
    }
  });
});

describe('pub/sub over the RESP server', () => {
  it('a subscriber receives a published message', async () => {
    const sub = new Redis({ port: srv.port });
    const pub = new Redis({ port: srv.port });
    try {
      const got = new Promise<[string, string]>((resolve) => sub.on('message', (ch, msg) => resolve([ch, msg])));
      expect(await sub.subscribe('srv:ch', 'srv:other')).toBe(2);
      expect(await pub.publish('srv:ch', 'hi there')).toBe(1);
      expect(await got).toEqual(['srv:ch', 'hi there']);
      const pgot = new Promise<[string, string, string]>((resolve) => sub.on('pmessage', (p, ch, msg) => resolve([p, ch, msg])));
      await sub.psubscribe('srv:*');
      expect(await pub.publish('srv:x', 'pat')).toBe(1);
      expect(await pgot).toEqual(['srv:*', 'srv:x', 'pat']);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('raw RESP2: SUBSCRIBE a b answers twice in one go', async () => {
    const { out } = await raw(srv.port, '*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n', { until: (o) => o.split('subscribe').length === 3 });
    expect(out).toBe('*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n');
  });
});
