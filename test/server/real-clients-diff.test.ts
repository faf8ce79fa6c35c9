/**
 * Real clients against our RESP server and against a live redis-server 7.0.15, side by side: the same
 * application flow runs on both and what the client library hands back must be equal. ioredis
 * (pipelines, MULTI through the client API, WATCH, pub/sub with patterns, blocking pops with
 * timeouts, scanStream, connectionName, db, wrong password), node-redis v5 (RESP2 and RESP3, MULTI,
 * pub/sub, scanIterator, blocking pops, name / database options, wrong password), redis-cli
 * (--no-raw, --raw, -3, --scan, --pipe, commands from stdin, --bigkeys) and redis-benchmark (the
 * default tests run without errors). Skipped when redis-server is not installed.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { spawn } from 'node:child_process';
import net from 'node:net';
import Redis from 'ioredis';
import { createClient, type RedisClientType } from 'redis';
import { startServer, type RunningServer } from '../../src/server/resp-server';
import { encodeCommand } from '../../src/engine/resp';
import { findRedisServer, startRedisServer, type RedisServer } from '../conformance/lib/redis';
import { hasBinary } from './helpers';

const bin = findRedisServer();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: RedisServer;
let ours: RunningServer;
const toClose: (() => unknown)[] = [];

/** Run `flow` against redis-server, then against our server (each after FLUSHALL); both results. */
async function both<T>(flow: (port: number) => Promise<T>): Promise<{ real: T; ours: T }> {
  const out: T[] = [];
  for (const port of [redis.port, ours.port]) {
    const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false });
    await admin.connect();
    await admin.flushall();
    admin.disconnect();
    try {
      out.push(await flow(port));
    } finally {
      while (toClose.length) await toClose.pop()!();
    }
  }
  return { real: out[0], ours: out[1] };
}

function io(port: number, opts: Record<string, unknown> = {}): Redis {
  const r = new Redis({ port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0, ...opts });
  r.on('error', () => {});
  toClose.push(() => r.disconnect());
  return r;
}

async function nr(port: number, opts: Record<string, unknown> = {}): Promise<RedisClientType> {
  const c = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: false }, ...opts }) as RedisClientType;
  c.on('error', () => {});
  toClose.push(() => (c.isOpen ? c.close().catch(() => {}) : undefined));
  await c.connect();
  return c;
}

/** [error message or null, value] for every reply of an ioredis pipeline / multi. */
function settle(res: [Error | null, unknown][] | null): unknown {
  return res === null ? null : res.map(([e, v]) => (e ? ['ERR', e.message] : v));
}

async function caught<T>(p: Promise<T>): Promise<T | string> {
  try { return await p; } catch (e) { return `error: ${(e as Error).message}`; }
}

describe.skipIf(!bin)('real clients: our server vs redis-server', () => {
  beforeAll(async () => {
    redis = await startRedisServer(bin!);
    ours = await startServer({ port: 0, engineOptions: { seed: 11 } });
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
    await ours?.close();
  });
  beforeEach(() => { toClose.length = 0; });

  describe('ioredis', () => {
    it('a pipeline of mixed commands, errors included', async () => {
      const { real, ours: got } = await both(async (port) => {
        const r = io(port);
        const p = r.pipeline();
        p.set('s', 'v').get('s').incr('s').lpush('l', 'a', 'b', 'c').lrange('l', 0, -1).hset('h', 'f', '1', 'g', '2').hgetall('h')
          .zadd('z', 1, 'a', 2.5, 'b').zrange('z', 0, -1, 'WITHSCORES').expire('s', 100).ttl('s').exists('s', 'nokey')
          .call('NOPE', 'x').lpop('s').set('n', '10').incrbyfloat('n', '1.5').sadd('set', '1', '2', '3').scard('set')
          .getdel('n').type('l').object('ENCODING', 'l').del('s', 'l', 'nokey');
        return settle(await p.exec());
      });
      expect(got).toEqual(real);
    });

    it('MULTI through the client API: results, an error inside, EXECABORT, WATCH', async () => {
      const { real, ours: got } = await both(async (port) => {
        const a = io(port), b = io(port);
        const r1 = settle(await a.multi().set('a', '1').incr('a').lpush('a', 'x').get('a').exec());
        const r2 = await caught(a.multi().set('b', '1').call('SET', 'b').get('b').exec());
        await a.watch('w');
        await b.set('w', 'changed');
        const r3 = settle(await a.multi().set('w', 'mine').exec());
        await a.watch('w2');
        const r4 = settle(await a.multi().set('w2', 'mine').get('w2').exec());
        const r5 = await caught(a.multi().call('MULTI').exec());
        return [r1, r2, r3, r4, r5, await a.get('w'), await a.get('b')];
      });
      expect(got).toEqual(real);
    });

    it('pub/sub with channels and patterns: messages in order, counts, unsubscribe', async () => {
      const { real, ours: got } = await both(async (port) => {
        const sub = io(port), pub = io(port);
        // Messages in the order the subscriber got them; replies in the order the publisher got them.
        const messages: unknown[] = [];
        const replies: unknown[] = [];
        sub.on('message', (ch, msg) => messages.push(['message', ch, msg]));
        sub.on('pmessage', (p, ch, msg) => messages.push(['pmessage', p, ch, msg]));
        replies.push(['subscribe', await sub.subscribe('news', 'sports')]);
        replies.push(['psubscribe', await sub.psubscribe('news.*')]);
        for (const [ch, msg] of [['news', 'n1'], ['news.tech', 't1'], ['sports', 's1'], ['other', 'o1'], ['news.tech', 't2']]) {
          replies.push(['published', ch, await pub.publish(ch, msg)]);
        }
        replies.push(['numsub', await pub.pubsub('NUMSUB', 'news', 'sports', 'other')]);
        replies.push(['numpat', await pub.pubsub('NUMPAT')]);
        await sleep(50);
        replies.push(['unsubscribe', await sub.unsubscribe('news')]);
        replies.push(['published', 'news', await pub.publish('news', 'late')]);
        await sleep(50);
        replies.push(['ping', await caught(sub.ping())]);
        return { messages, replies };
      });
      expect(got).toEqual(real);
    });

    it('blocking pops: timeouts, served by another client, inside MULTI', async () => {
      const { real, ours: got } = await both(async (port) => {
        const a = io(port), b = io(port);
        const out: unknown[] = [];
        out.push(await a.blpop('q', 0.1));
        out.push(await a.bzpopmin('zq', 0.05));
        const p = a.brpop('q', 'q2', 2);
        await sleep(50);
        out.push(await b.rpush('q2', 'x', 'y'));
        out.push(await p);
        const p2 = a.blmove('src', 'dst', 'LEFT', 'RIGHT', 1);
        await sleep(50);
        await b.lpush('src', 'm');
        out.push(await p2, await b.lrange('dst', 0, -1));
        const p3 = a.bzpopmax('zq', 1);
        await sleep(50);
        await b.zadd('zq', 1, 'one', 2, 'two');
        out.push(await p3);
        out.push(settle(await b.multi().blpop('empty', 0).brpoplpush('empty', 'x', 0).exec()));
        out.push(await caught(a.blpop('q', -1)));
        out.push(await caught(a.call('BLPOP', 'q', 'abc')));
        return out;
      });
      expect(got).toEqual(real);
    });

    it('scanStream, hscanStream, sscanStream, zscanStream: every key once', async () => {
      const { real, ours: got } = await both(async (port) => {
        const r = io(port);
        const p = r.pipeline();
        for (let i = 0; i < 300; i++) p.set(`k:${i}`, String(i));
        for (let i = 0; i < 200; i++) p.hset('bigh', `f${i}`, String(i)).sadd('bigs', `m${i}`).zadd('bigz', i, `z${i}`);
        p.set('other', '1');
        await p.exec();
        const collect = async (stream: NodeJS.ReadableStream) => {
          const all: string[] = [];
          for await (const chunk of stream) all.push(...(chunk as unknown as string[]));
          return all;
        };
        const keys = (await collect(r.scanStream({ match: 'k:*', count: 37 }))).sort();
        const fields = (await collect(r.hscanStream('bigh', { count: 20 }))).length;
        const members = new Set(await collect(r.sscanStream('bigs', { count: 20 }))).size;
        const zs = (await collect(r.zscanStream('bigz', { match: 'z1*' }))).length;
        return [keys.length, new Set(keys).size, keys.slice(0, 5), fields, members, zs];
      });
      expect(got).toEqual(real);
    });

    it('connectionName, db and the ready check (INFO)', async () => {
      const { real, ours: got } = await both(async (port) => {
        const r = io(port, { connectionName: 'myapp', db: 3 });
        await r.set('x', 'in-db-3');
        const info = String(await r.client('INFO'));
        const other = io(port);
        return [await r.client('GETNAME'), / name=myapp /.test(info), / db=3 /.test(info), await other.get('x'), await other.select(3), await other.get('x')];
      });
      expect(got).toEqual(real);
    });

    it('a wrong password, the right one, AUTH with a user name', async () => {
      const { real, ours: got } = await both(async (port) => {
        const admin = io(port);
        await admin.config('SET', 'requirepass', 'secret');
        try {
          const out: unknown[] = [];
          const bad = io(port, { password: 'wrong', lazyConnect: true });
          out.push(await caught(bad.connect()));
          const none = io(port, { lazyConnect: true, enableReadyCheck: false });
          await none.connect();
          out.push(await caught(none.get('x')));
          const good = io(port, { password: 'secret' });
          out.push(await good.ping());
          const user = io(port, { username: 'default', password: 'secret' });
          out.push(await user.ping());
          out.push(await caught(none.call('AUTH', 'nobody', 'secret')));
          out.push(await none.call('AUTH', 'secret'));
          return out;
        } finally {
          await admin.config('SET', 'requirepass', '');
        }
      });
      expect(got).toEqual(real);
    });
  });

  describe('node-redis v5', () => {
    for (const RESP of [2, 3] as const) {
      it(`typed replies, MULTI, errors (RESP${RESP})`, async () => {
        const { real, ours: got } = await both(async (port) => {
          const c = await nr(port, { RESP });
          const out: unknown[] = [];
          out.push(await c.set('s', 'v'), await c.get('s'), await c.get('nokey'));
          await c.hSet('h', { f1: 'a', f2: 'b' });
          out.push(await c.hGetAll('h'));
          await c.zAdd('z', [{ score: 1, value: 'one' }, { score: 2.5, value: 'two' }]);
          out.push(await c.zRangeWithScores('z', '0', '-1'), await c.zScore('z', 'two'));
          await c.sAdd('set', ['a']);
          out.push(await c.sMembers('set'), await c.exists(['s', 'h', 'nokey']), await c.type('z'));
          out.push(await caught(c.incr('s')));
          out.push(await c.multi().set('m', '1').incr('m').get('m').exec());
          out.push(await caught(c.multi().set('m', '1').lPush('m', 'x').exec()));
          out.push(await c.sendCommand(['CONFIG', 'GET', 'maxmemory-policy']));
          out.push(await caught(c.sendCommand(['NOPE'])));
          out.push(await c.sendCommand(['OBJECT', 'ENCODING', 'z']));
          out.push(await c.lmPop(['nol'], 'LEFT'));
          return out;
        });
        expect(got).toEqual(real);
      });

      it(`pub/sub, scanIterator, blocking pops (RESP${RESP})`, async () => {
        const { real, ours: got } = await both(async (port) => {
          const c = await nr(port, { RESP });
          const sub = c.duplicate();
          sub.on('error', () => {});
          toClose.push(() => (sub.isOpen ? sub.close().catch(() => {}) : undefined));
          await sub.connect();
          const events: unknown[] = [];
          await sub.subscribe('ch', (msg, ch) => events.push(['message', ch, msg]));
          await sub.pSubscribe('ch*', (msg, ch) => events.push(['pmessage', ch, msg]));
          events.push(await c.publish('ch', 'hello'), await c.publish('chx', 'world'), await c.publish('nope', 'x'));
          events.push(await c.pubSubNumSub(['ch', 'chx']), await c.pubSubNumPat());
          await sleep(50);
          await sub.unsubscribe('ch');
          await sub.pUnsubscribe();
          events.push(await c.publish('ch', 'after'));
          for (let i = 0; i < 150; i++) await c.set(`key:${i}`, 'x');
          const seen: string[] = [];
          for await (const keys of c.scanIterator({ MATCH: 'key:*', COUNT: 25 })) seen.push(...keys);
          events.push(seen.length, new Set(seen).size);
          const b = c.duplicate();
          b.on('error', () => {});
          toClose.push(() => (b.isOpen ? b.close().catch(() => {}) : undefined));
          await b.connect();
          events.push(await b.blPop('bq', 0.1));
          const p = b.brPop(['bq', 'bq2'], 2);
          await sleep(50);
          await c.rPush('bq2', ['v1', 'v2']);
          events.push(await p, await b.bzPopMin('nz', 0.05));
          return events;
        });
        expect(got).toEqual(real);
      });
    }

    it('name and database options, a wrong password', async () => {
      const { real, ours: got } = await both(async (port) => {
        const c = await nr(port, { name: 'nr-app', database: 2 });
        await c.set('in2', 'yes');
        const info = String(await c.sendCommand(['CLIENT', 'INFO']));
        const out: unknown[] = [await c.clientGetName(), / name=nr-app /.test(info), / db=2 /.test(info)];
        await c.configSet('requirepass', 'pw');
        try {
          out.push(await caught(nr(port, { password: 'bad' }).then(() => 'connected')));
          const ok = await nr(port, { password: 'pw', database: 2 });
          out.push(await ok.get('in2'));
        } finally {
          await c.configSet('requirepass', '');
        }
        return out;
      });
      expect(got).toEqual(real);
    });
  });

  describe('raw connections: CLIENT REPLY', () => {
    /** Send each chunk on connection a (or b: "b:" prefix), keep what a received after each one. */
    async function script(port: number, chunks: string[]): Promise<string[]> {
      const conn = () => new Promise<net.Socket & { buf: string }>((res) => {
        const sock = net.connect(port, '127.0.0.1') as net.Socket & { buf: string };
        sock.buf = '';
        sock.on('data', (d) => { sock.buf += d.toString('latin1'); });
        sock.on('error', () => {});
        sock.on('connect', () => res(sock));
        toClose.push(() => sock.destroy());
      });
      const a = await conn(), b = await conn();
      const out: string[] = [];
      for (const ch of chunks) {
        if (ch.startsWith('b:')) b.write(ch.slice(2));
        else a.write(ch);
        await sleep(60);
        out.push(a.buf.replace(/(\$2\r\nid\r\n:)\d+/, '$1ID'));
        a.buf = '';
      }
      return out;
    }

    it('ON / OFF / SKIP, with errors, pub/sub (pushed anyway), RESET, blocked commands', async () => {
      const { real, ours: got } = await both((port) => script(port, [
        'CLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nPING\r\nPING 2\r\n',
        'CLIENT REPLY SKIP\r\nNOPE\r\nPING 3\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nPING 4\r\nPING 5\r\n',
        'CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY SKIP\r\nGET\r\nCLIENT REPLY ON\r\nPING 6\r\n',
        'CLIENT REPLY bogus\r\nCLIENT REPLY\r\nCLIENT REPLY on x\r\n',
        'CLIENT REPLY OFF\r\nSUBSCRIBE ch\r\nPSUBSCRIBE p*\r\n', 'b:PUBLISH ch m1\r\nPUBLISH pq m2\r\n',
        'PING\r\nUNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nCLIENT REPLY ON\r\n',
        'HELLO 3\r\nCLIENT REPLY OFF\r\nSUBSCRIBE ch\r\nRESET\r\nPING\r\n',
        'CLIENT REPLY OFF\r\nBLPOP q 0\r\n', 'b:RPUSH q x\r\n',
        'CLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nBLPOP q 0\r\nPING 7\r\n', 'b:RPUSH q y\r\n',
      ]));
      expect(got).toEqual(real);
    });
  });

  describe.skipIf(!hasBinary('redis-cli'))('redis-cli', () => {
    function cli(port: number, args: string[], input?: string): Promise<string> {
      return new Promise((resolve) => {
        const p = spawn('redis-cli', ['-p', String(port), ...args]);
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
        p.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
        p.on('close', () => resolve(out));
        if (input !== undefined) p.stdin.end(Buffer.from(input, 'latin1'));
        else p.stdin.end();
      });
    }

    async function setup(port: number): Promise<void> {
      const r = io(port);
      await r.rpush('l', 'a', 'b', 'c d', '');
      await r.hset('h', 'f1', 'v1', 'f2', '');
      await r.zadd('z', 1, 'a', 2.5, 'b');
      await r.sadd('s', 'x');
      await r.set('str', 'hello\nworld');
      await r.set('bin', Buffer.from([0x61, 0x00, 0x62, 0xff]));
      await r.set('n', '10');
      for (let i = 0; i < 40; i++) await r.set(`scan:${i}`, 'x'.repeat(i));
      await r.rpush('biglist', ...Array.from({ length: 50 }, (_, i) => `e${i}`));
    }

    const COMMANDS = [
      ['GET', 'str'], ['GET', 'nokey'], ['GET', 'bin'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'nokey', '0', '-1'], ['HGETALL', 'h'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'z', 'b'], ['SMEMBERS', 's'], ['INCR', 'str'], ['INCRBYFLOAT', 'n', '1.5'],
      ['PING'], ['TYPE', 'l'], ['OBJECT', 'ENCODING', 'l'], ['CONFIG', 'GET', 'maxmemory'], ['CLIENT', 'GETNAME'], ['EXISTS', 'l', 'h', 'nokey'],
      ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '2'], ['NOPE', 'a'], ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'],
      ['ECHO', ''], ['MEMORY', 'USAGE', 'str'], ['TTL', 'nokey'], ['HELLO', '2', 'SETNAME', 'bad name'], ['SCAN', 'x'],
    ];

    for (const mode of [['--no-raw'], ['--raw'], ['-3', '--no-raw'], ['-3', '--raw']]) {
      it(`one-shot commands, ${mode.join(' ')}`, async () => {
        const { real, ours: got } = await both(async (port) => {
          await setup(port);
          const out: string[] = [];
          for (const argv of COMMANDS) out.push(`${argv.join(' ')} => ${await cli(port, [...mode, ...argv])}`);
          return out;
        });
        expect(got).toEqual(real);
      });
    }

    it('commands from stdin (a transaction, pub/sub counts, errors), --scan, --bigkeys', async () => {
      const { real, ours: got } = await both(async (port) => {
        await setup(port);
        const script = 'MULTI\nSET a 1\nINCR a\nLPUSH a x\nEXEC\nSELECT 2\nSET b 2\nDBSIZE\nPUBSUB NUMSUB a\nHGETALL nokey\nSET\n';
        const stdin = await cli(port, ['--no-raw'], script);
        const scan = (await cli(port, ['--scan', '--pattern', 'scan:*'])).split('\n').filter(Boolean).sort();
        const scan2 = (await cli(port, ['--scan', '--count', '7'])).split('\n').filter(Boolean).length;
        const big = (await cli(port, ['--bigkeys'])).split('\n').filter((l) => /Biggest|found|keys with/.test(l) && !/^\[/.test(l));
        return [stdin, scan, scan2, big];
      });
      expect(got).toEqual(real);
    });

    it('--pipe mass insertion reports the same replies and errors', async () => {
      const { real, ours: got } = await both(async (port) => {
        let input = '';
        for (let i = 0; i < 3000; i++) input += encodeCommand(['SET', `pipe:${i}`, String(i)]);
        input += encodeCommand(['INCR', 'pipe:1']) + encodeCommand(['LPUSH', 'pipe:2', 'x']) + encodeCommand(['NOPE']);
        const out = await cli(port, ['--pipe'], input);
        return [/errors: (\d+), replies: (\d+)/.exec(out)?.slice(1), out.split('\n').filter((l) => l.startsWith('ERR') || l.startsWith('WRONGTYPE'))];
      });
      expect(got).toEqual(real);
      expect(got[0]).toEqual(['2', '3003']);
    });
  });

  describe.skipIf(!hasBinary('redis-benchmark'))('redis-benchmark', () => {
    function bench(port: number, args: string[]): Promise<string> {
      return new Promise((resolve) => {
        const p = spawn('redis-benchmark', ['-p', String(port), '-q', ...args]);
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
        p.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
        p.on('close', () => resolve(out));
      });
    }

    it('the default tests run without errors, with the same test names as on redis-server', async () => {
      const { real, ours: got } = await both(async (port) => {
        const out = (await bench(port, ['-n', '300', '-c', '5'])).split(/[\r\n]/).filter((l) => l.includes('requests per second') || /error|ERR/i.test(l));
        return out.map((l) => (l.includes('requests per second') ? l.slice(0, l.indexOf(':')) : l));
      });
      expect(got).toEqual(real);
      expect(got.length).toBeGreaterThanOrEqual(15);
      expect(got.some((l) => /error|ERR/i.test(l))).toBe(false);
    }, 120_000);

    it('pipelined (-P 16) and with random keys (-r)', async () => {
      const out = await bench(ours.port, ['-n', '2000', '-P', '16', '-r', '1000', '-t', 'set,get,incr,lpush,rpop,sadd,hset,zadd,mset']);
      const lines = out.split(/[\r\n]/).filter((l) => l.includes('requests per second'));
      expect(lines.length).toBe(9);
      expect(/error|ERR/i.test(out)).toBe(false);
    }, 120_000);
  });
});
