/** MULTI / EXEC / DISCARD / WATCH / UNWATCH (multi.ts); replies as Redis 7.0.15 gives them. */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock, type Client } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const e = createEngine({ clock, seed: 1 });
  const a = e.defaultClient;
  const b = e.createClient();
  const run = (c: Client, ...argv: string[]) => encodeReply(c.exec(argv).reply, c.resp);
  return { e, clock, a, b, run };
}

describe('MULTI / EXEC', () => {
  it('queues and runs, replying with the array of replies', () => {
    const { a, run } = setup();
    expect(run(a, 'MULTI')).toBe('+OK\r\n');
    expect(run(a, 'SET', 'x', '1')).toBe('+QUEUED\r\n');
    expect(run(a, 'INCR', 'x')).toBe('+QUEUED\r\n');
    expect(run(a, 'EXEC')).toBe('*2\r\n+OK\r\n:2\r\n');
    expect(a.multi).toBeNull();
  });
  it('errors without MULTI and when nested', () => {
    const { a, run } = setup();
    expect(run(a, 'EXEC')).toBe('-ERR EXEC without MULTI\r\n');
    expect(run(a, 'DISCARD')).toBe('-ERR DISCARD without MULTI\r\n');
    run(a, 'MULTI');
    expect(run(a, 'MULTI')).toBe('-ERR MULTI calls can not be nested\r\n');
    expect(run(a, 'WATCH', 'x')).toBe('-ERR WATCH inside MULTI is not allowed\r\n');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
  });
  it('EXECABORT when a command failed to queue; a rejected EXEC says why', () => {
    const { a, run } = setup();
    run(a, 'MULTI');
    run(a, 'SET', 'x');
    expect(run(a, 'EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(run(a, 'EXEC', 'x')).toBe("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n");
  });
  it('runtime errors are elements', () => {
    const { a, run } = setup();
    run(a, 'SET', 's', 'str');
    run(a, 'MULTI');
    run(a, 'INCR', 's');
    run(a, 'SET', 't', '1');
    expect(run(a, 'EXEC')).toBe('*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n');
  });
  it('steps of EXEC are the sum of the steps of its commands', () => {
    const { e, a } = setup();
    const s1 = e.exec(['SET', 'x', '1']).steps;
    const s2 = e.exec(['GET', 'x']).steps;
    e.exec(['DEL', 'x']);
    a.exec(['MULTI']);
    a.exec(['SET', 'x', '1']);
    a.exec(['GET', 'x']);
    expect(a.exec(['EXEC']).steps).toBe(s1 + s2);
  });
  it('blocking commands inside MULTI answer as a timeout', () => {
    const { a, run } = setup();
    run(a, 'MULTI');
    run(a, 'BLPOP', 'l', '0');
    run(a, 'BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0');
    run(a, 'BZMPOP', '0', '1', 'z', 'MIN');
    expect(run(a, 'EXEC')).toBe('*3\r\n*-1\r\n$-1\r\n*-1\r\n');
    expect(a.blocked).toBeNull();
  });
  it('SUBSCRIBE a b inside MULTI: the extra reply follows the array', () => {
    const { a } = setup();
    a.exec(['MULTI']);
    a.exec(['SUBSCRIBE', 'x', 'y']);
    const r = a.exec(['EXEC']);
    const bytes = (r.extra ?? []).map((x) => encodeReply(x, 2)).join('') + encodeReply(r.reply, 2);
    expect(bytes).toBe('*1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\ny\r\n:2\r\n');
  });
});

describe('WATCH', () => {
  it('another client touching the key makes EXEC reply a null array', () => {
    const { a, b, run } = setup();
    run(a, 'SET', 'k', '1');
    run(a, 'WATCH', 'k');
    run(b, 'SET', 'k', '2');
    run(a, 'MULTI');
    run(a, 'INCR', 'k');
    expect(run(a, 'EXEC')).toBe('*-1\r\n');
    expect(run(a, 'GET', 'k')).toBe('$1\r\n2\r\n');
  });
  it('reads do not touch; EXEC and DISCARD unwatch', () => {
    const { a, b, run } = setup();
    run(a, 'SET', 'k', '1');
    run(a, 'WATCH', 'k');
    run(b, 'GET', 'k');
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
    run(b, 'SET', 'k', '2');
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
    expect(a.watched.size).toBe(0);
  });
  it('UNWATCH forgets a touch', () => {
    const { a, b, run } = setup();
    run(a, 'WATCH', 'k');
    run(b, 'SET', 'k', '2');
    run(a, 'UNWATCH');
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
  });
  it('FLUSHALL touches watched keys that exist', () => {
    const { a, b, run } = setup();
    run(a, 'SET', 'k', '1');
    run(a, 'WATCH', 'k');
    run(b, 'FLUSHALL');
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*-1\r\n');
    run(a, 'WATCH', 'missing');
    run(b, 'FLUSHALL');
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
  });
  it('a watched key that expires before EXEC fails the transaction', () => {
    const { a, clock, run } = setup();
    run(a, 'SET', 'k', '1', 'PX', '100');
    run(a, 'WATCH', 'k');
    clock.advance(200);
    run(a, 'MULTI');
    run(a, 'GET', 'k');
    expect(run(a, 'EXEC')).toBe('*-1\r\n');
  });
  it('a key already expired at WATCH time: its lazy deletion is no change', () => {
    const { a, clock, run } = setup();
    run(a, 'SET', 'k', '1', 'PX', '100');
    clock.advance(200);
    run(a, 'WATCH', 'k'); // logically expired, still in the keyspace
    run(a, 'GET', 'k'); // lazy expiry deletes it: no logical change
    run(a, 'MULTI');
    expect(run(a, 'EXEC')).toBe('*0\r\n');
  });
});
