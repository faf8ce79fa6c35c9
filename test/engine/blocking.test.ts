/** Blocking commands (blocked.ts): block, serve in order, time out; replies as Redis 7.0.15 gives them. */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock, type Client } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { parseTimeout } from '../../src/engine/blocked';

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const e = createEngine({ clock, seed: 1 });
  const got = new Map<Client, string>();
  const mk = () => {
    const c = e.createClient();
    c.onPush = (r) => got.set(c, (got.get(c) ?? '') + encodeReply(r, c.resp));
    return c;
  };
  const run = (c: Client, ...argv: string[]) => {
    const r = c.exec(argv);
    return r.blocked ? 'BLOCKED' : encodeReply(r.reply, c.resp);
  };
  const take = (c: Client) => { const s = got.get(c) ?? ''; got.set(c, ''); return s; };
  return { e, clock, mk, run, take };
}

const arr = (...items: string[]) => `*${items.length}\r\n` + items.map((x) => `$${x.length}\r\n${x}\r\n`).join('');

describe('blocking lists', () => {
  it('BLPOP blocks and is served by a later push', () => {
    const { e, mk, run, take } = setup();
    const a = mk(), b = mk();
    const r = a.exec(['BLPOP', 'k', '0']);
    expect(r.blocked).toBe(true);
    expect(a.blocked?.keys).toEqual(['k']);
    expect(run(b, 'RPUSH', 'k', 'x', 'y')).toBe(':2\r\n');
    expect(take(a)).toBe(arr('k', 'x'));
    expect(a.blocked).toBeNull();
    expect(run(b, 'LRANGE', 'k', '0', '-1')).toBe(arr('y'));
    expect(e.clients.size).toBe(3);
  });
  it('with data it behaves as LPOP / RPOP', () => {
    const { mk, run } = setup();
    const a = mk();
    run(a, 'RPUSH', 'k', '1', '2', '3');
    expect(run(a, 'BLPOP', 'none', 'k', '0')).toBe(arr('k', '1'));
    expect(run(a, 'BRPOP', 'k', '0')).toBe(arr('k', '3'));
  });
  it('first come, first served', () => {
    const { mk, run, take } = setup();
    const [a, b, c, p] = [mk(), mk(), mk(), mk()];
    run(a, 'BLPOP', 'k', '0');
    run(b, 'BLPOP', 'k', '0');
    run(c, 'BLPOP', 'k', '0');
    run(p, 'RPUSH', 'k', '1', '2');
    expect(take(a)).toBe(arr('k', '1'));
    expect(take(b)).toBe(arr('k', '2'));
    expect(take(c)).toBe('');
    expect(run(p, 'EXISTS', 'k')).toBe(':0\r\n');
    run(p, 'RPUSH', 'k', '3');
    expect(take(c)).toBe(arr('k', '3'));
  });
  it('a timeout replies a null array (BLMOVE too), checked by cron', () => {
    const { e, clock, mk, run, take } = setup();
    const a = mk(), b = mk();
    run(a, 'BLPOP', 'k', '0.5');
    run(b, 'BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '1.5');
    clock.advance(600);
    e.cron();
    expect(take(a)).toBe('*-1\r\n');
    expect(take(b)).toBe('');
    clock.advance(1000);
    e.cron();
    expect(take(b)).toBe('*-1\r\n');
  });
  it('timeout 0 waits forever', () => {
    const { e, clock, mk, run, take } = setup();
    const a = mk();
    run(a, 'BLPOP', 'k', '0');
    clock.advance(1e9);
    e.cron();
    expect(take(a)).toBe('');
    expect(a.blocked).not.toBeNull();
  });
  it('BLMOVE chain serves the next client in the same round', () => {
    const { mk, run, take } = setup();
    const [a, b, p] = [mk(), mk(), mk()];
    run(a, 'BLMOVE', 'x', 'y', 'LEFT', 'LEFT', '0');
    run(b, 'BLPOP', 'y', '0');
    run(p, 'RPUSH', 'x', 'v');
    expect(take(a)).toBe('$1\r\nv\r\n');
    expect(take(b)).toBe(arr('y', 'v'));
    expect(run(p, 'EXISTS', 'x', 'y')).toBe(':0\r\n');
  });
  it('keys pushed inside MULTI are served after EXEC', () => {
    const { mk, run, take } = setup();
    const [a, p] = [mk(), mk()];
    run(a, 'BLPOP', 'k', '0');
    run(p, 'MULTI');
    run(p, 'RPUSH', 'k', '1');
    run(p, 'LPOP', 'k');
    run(p, 'RPUSH', 'k', '2');
    run(p, 'EXEC');
    expect(take(a)).toBe(arr('k', '2'));
  });
  it('a freed blocked client leaves the queue', () => {
    const { e, mk, run, take } = setup();
    const [a, b, p] = [mk(), mk(), mk()];
    run(a, 'BLPOP', 'k', '0');
    run(b, 'BLPOP', 'k', '0');
    e.freeClient(a);
    run(p, 'RPUSH', 'k', 'v');
    expect(take(b)).toBe(arr('k', 'v'));
  });
});

describe('blocking sorted sets', () => {
  it('BZPOPMIN / BZPOPMAX / BZMPOP served by ZADD', () => {
    const { mk, run, take } = setup();
    const [a, b, c, p] = [mk(), mk(), mk(), mk()];
    run(a, 'BZPOPMIN', 'z', '0');
    run(b, 'BZPOPMAX', 'z', '0');
    run(c, 'BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5');
    run(p, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(take(a)).toBe(arr('z', 'a', '1'));
    expect(take(b)).toBe(arr('z', 'c', '3'));
    expect(take(c)).toBe('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
  });
});

describe('timeout argument', () => {
  it('errors as Redis', () => {
    const { mk, run } = setup();
    const a = mk();
    expect(run(a, 'BLPOP', 'k', 'abc')).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(run(a, 'BLPOP', 'k', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(run(a, 'BLPOP', 'k', 'inf')).toBe('-ERR timeout is negative\r\n');
    expect(run(a, 'BLPOP', 'k', '1e400')).toBe('-ERR timeout is negative\r\n');
    expect(run(a, 'BLPOP', 'k', ' 1')).toBe('-ERR timeout is not a float or out of range\r\n');
  });
  it('rounds up to whole milliseconds; tiny negatives mean forever', () => {
    const e = createEngine({ clock: new ManualClock(1000) });
    e.cmdTime = 1000;
    const c = e.defaultClient;
    expect(parseTimeout(c, '0.0004')).toBe(1001);
    expect(parseTimeout(c, '1.5')).toBe(2500);
    expect(parseTimeout(c, '-0.0009')).toBe(0);
    expect(parseTimeout(c, '0')).toBe(0);
  });
});
