/** SUBSCRIBE / PSUBSCRIBE / PUBLISH / PUBSUB (pubsub.ts); replies as Redis 7.0.15 gives them. */
import { describe, it, expect } from 'vitest';
import { createEngine, type Client } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';

function setup() {
  const e = createEngine({ seed: 1 });
  const got = new Map<Client, string>();
  const mk = () => {
    const c = e.createClient();
    c.onPush = (r) => got.set(c, (got.get(c) ?? '') + encodeReply(r, c.resp));
    return c;
  };
  /** Everything the client received for this command: pushes, then the reply. */
  const run = (c: Client, ...argv: string[]) => {
    got.set(c, '');
    const r = c.exec(argv);
    const out = (got.get(c) ?? '') + encodeReply(r.reply, c.resp);
    got.set(c, '');
    return out;
  };
  const take = (c: Client) => { const s = got.get(c) ?? ''; got.set(c, ''); return s; };
  return { e, mk, run, take };
}

const arr = (...items: (string | number | null)[]) =>
  `*${items.length}\r\n` + items.map((x) => (x === null ? '$-1\r\n' : typeof x === 'number' ? `:${x}\r\n` : `$${x.length}\r\n${x}\r\n`)).join('');

describe('pub/sub', () => {
  it('SUBSCRIBE replies once per channel, PUBLISH delivers and counts', () => {
    const { mk, run, take } = setup();
    const a = mk(), b = mk();
    expect(run(a, 'SUBSCRIBE', 'x', 'y')).toBe(arr('subscribe', 'x', 1) + arr('subscribe', 'y', 2));
    expect(run(b, 'PUBLISH', 'y', 'hi')).toBe(':1\r\n');
    expect(take(a)).toBe(arr('message', 'y', 'hi'));
    expect(run(b, 'PUBLISH', 'z', 'hi')).toBe(':0\r\n');
  });
  it('without onPush the extra replies come in result.extra', () => {
    const e = createEngine();
    const r = e.exec(['SUBSCRIBE', 'a', 'b', 'c']);
    expect(r.extra?.length).toBe(2);
    expect(encodeReply(r.reply, 2)).toBe(arr('subscribe', 'c', 3));
  });
  it('patterns: pmessage, glob matching, NUMPAT', () => {
    const { mk, run, take } = setup();
    const a = mk(), b = mk();
    run(a, 'PSUBSCRIBE', 'h?llo');
    run(a, 'SUBSCRIBE', 'hello');
    expect(run(b, 'PUBLISH', 'hello', 'm')).toBe(':2\r\n');
    expect(take(a)).toBe(arr('message', 'hello', 'm') + arr('pmessage', 'h?llo', 'hello', 'm'));
    expect(run(b, 'PUBSUB', 'NUMPAT')).toBe(':1\r\n');
    expect(run(a, 'PUNSUBSCRIBE')).toBe(arr('punsubscribe', 'h?llo', 1));
    expect(run(a, 'UNSUBSCRIBE')).toBe(arr('unsubscribe', 'hello', 0));
    expect(run(a, 'UNSUBSCRIBE')).toBe(arr('unsubscribe', null, 0));
  });
  it('RESP2 subscribed context refuses other commands; PING answers pong', () => {
    const { mk, run } = setup();
    const a = mk();
    run(a, 'SUBSCRIBE', 'x');
    expect(run(a, 'GET', 'k')).toBe("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
    expect(run(a, 'PING')).toBe(arr('pong', ''));
  });
  it('RESP3 replies are pushes and other commands are allowed', () => {
    const { mk, run, take } = setup();
    const a = mk(), b = mk();
    run(a, 'HELLO', '3');
    expect(run(a, 'SUBSCRIBE', 'x')).toBe('>3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n');
    expect(run(a, 'GET', 'k')).toBe('_\r\n');
    run(b, 'PUBLISH', 'x', 'v');
    expect(take(a)).toBe('>3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$1\r\nv\r\n');
    // Publishing to itself: the message comes before the reply.
    expect(run(a, 'PUBLISH', 'x', 'me')).toBe('>3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$2\r\nme\r\n:1\r\n');
  });
  it('NUMSUB, CHANNELS, freed and RESET clients are cleaned up', () => {
    const { e, mk, run } = setup();
    const a = mk(), b = mk(), c = mk();
    run(a, 'SUBSCRIBE', 'ch');
    run(b, 'SUBSCRIBE', 'ch');
    expect(run(c, 'PUBSUB', 'NUMSUB', 'ch', 'no')).toBe(arr('ch', 2, 'no', 0));
    expect(run(c, 'PUBSUB', 'CHANNELS', 'c*')).toBe(arr('ch'));
    e.freeClient(a);
    expect(run(c, 'PUBSUB', 'NUMSUB', 'ch')).toBe(arr('ch', 1));
    run(b, 'RESET');
    expect(run(c, 'PUBLISH', 'ch', 'x')).toBe(':0\r\n');
    expect(run(c, 'PUBSUB', 'CHANNELS')).toBe('*0\r\n');
  });
  it('shard channels are their own namespace', () => {
    const { mk, run, take } = setup();
    const a = mk(), b = mk();
    expect(run(a, 'SSUBSCRIBE', 's')).toBe(arr('ssubscribe', 's', 1));
    expect(run(b, 'PUBLISH', 's', 'x')).toBe(':0\r\n');
    expect(run(b, 'SPUBLISH', 's', 'y')).toBe(':1\r\n');
    expect(take(a)).toBe(arr('smessage', 's', 'y'));
    expect(run(b, 'PUBSUB', 'SHARDNUMSUB', 's')).toBe(arr('s', 1));
  });
  it('PUBSUB errors', () => {
    const { mk, run } = setup();
    const a = mk();
    expect(run(a, 'PUBSUB', 'CHANNELS', 'a', 'b')).toBe("-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n");
    expect(run(a, 'PUBSUB', 'NUMPAT', 'x')).toBe("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
  });
});
