/** The worker API for many clients (src/worker/clients.ts), on the engine in Node. */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { createApi } from '../../src/worker/api';
import { formatReply, formatFor } from '../../src/ui/format';

function setup() {
  const engine = createEngine();
  const api = createApi(engine);
  const c1 = api.clientDefault();
  const c2 = api.clientOpen();
  return { engine, api, c1: c1.id, c2: c2.id };
}

describe('clients API', () => {
  it('delivers a PUBLISH to the subscriber, in redis-cli order, and describes the delivery', () => {
    const { api, c1, c2 } = setup();
    api.clientRename(c1, 'alice');
    api.clientRename(c2, 'bob');
    const s = api.clientExec(c1, ['SUBSCRIBE', 'chat', 'news']);
    expect(s.extra!.map(formatReply)).toEqual(['1) "subscribe"\n2) "chat"\n3) (integer) 1']);
    expect(formatReply(s.reply)).toBe('1) "subscribe"\n2) "news"\n3) (integer) 2');
    expect(s.client.subscriptions).toBe(2);
    api.clientExec(c2, ['PSUBSCRIBE', 'ch*']);
    const p = api.clientExec(c2, ['PUBLISH', 'chat', 'hi']);
    // c2 is now in subscribed mode (RESP2): PUBLISH is refused, as Redis does.
    expect(formatReply(p.reply)).toBe("(error) ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    expect(p.publish).toBeUndefined();
  });

  it('PUBLISH from a plain client reaches channel and pattern subscribers', () => {
    const { api, c1, c2 } = setup();
    const c3 = api.clientOpen('sub3').id;
    api.clientRename(c1, 'alice');
    api.clientExec(c1, ['SUBSCRIBE', 'chat']);
    api.clientExec(c3, ['PSUBSCRIBE', 'ch*']);
    const p = api.clientExec(c2, ['PUBLISH', 'chat', 'hi']);
    expect(p.reply).toEqual({ t: 'int', v: 2 });
    expect(p.wake.sort()).toEqual([c1, c3].sort());
    expect(p.publish).toEqual([{
      publisher: { id: c2, name: '' }, channel: 'chat', message: 'hi', shard: false, receivers: 2,
      deliveries: [
        { client: { id: c1, name: 'alice' }, via: 'channel' },
        { client: { id: c3, name: 'sub3' }, via: 'pattern', pattern: 'ch*' },
      ],
    }]);
    const [d1, d3] = api.clientDrain([c1, c3]);
    expect(d1.replies.map(formatReply)).toEqual(['1) "message"\n2) "chat"\n3) "hi"']);
    expect(d3.replies.map(formatReply)).toEqual(['1) "pmessage"\n2) "ch*"\n3) "chat"\n4) "hi"']);
    expect(api.clientDrain([c1])[0].replies).toEqual([]);
  });

  it('a blocked BLPOP is woken by another client', () => {
    const { api, c1, c2 } = setup();
    const b = api.clientExec(c1, ['BLPOP', 'q', '0']);
    expect(b.blocked).toBe(true);
    expect(b.client.blocked).toEqual({ command: 'blpop', keys: ['q'], timeout: 0 });
    const b2 = api.clientExec(c2, ['BLPOP', 'q2', '2.5']);
    expect(b2.client.blocked!.timeout).toBe(2.5);
    const l = api.clientExec(api.clientOpen().id, ['LPUSH', 'q', 'job']);
    expect(l.reply).toEqual({ t: 'int', v: 1 });
    expect(l.wake).toContain(c1);
    const [d] = api.clientDrain([c1]);
    expect(d.client.blocked).toBe(null);
    expect(d.replies.map(formatReply)).toEqual(['1) "q"\n2) "job"']);
  });

  it('WATCH race: EXEC fails after another client writes', () => {
    const { api, c1, c2 } = setup();
    api.clientExec(c1, ['WATCH', 'k']);
    expect(api.clientExec(c1, ['MULTI']).client.inMulti).toBe(true);
    expect(formatReply(api.clientExec(c1, ['INCR', 'k']).reply)).toBe('QUEUED');
    api.clientExec(c2, ['SET', 'k', '5']);
    expect(formatReply(api.clientExec(c1, ['EXEC']).reply)).toBe('(nil)');
  });

  it('CLIENT LIST shows the sandbox clients with their names; CLIENT KILL closes one, which reconnects', () => {
    const { api, c1, c2 } = setup();
    api.clientRename(c1, 'alice');
    expect(api.clientRename(c2, 'b o b').reply).toEqual({ t: 'error', v: 'ERR Client names cannot contain spaces, newlines or special characters.' });
    api.clientRename(c2, 'bob');
    const list = formatFor(['CLIENT', 'LIST'], api.clientExec(c1, ['CLIENT', 'LIST']).reply).split('\n');
    expect(list).toHaveLength(2);
    expect(list[0]).toMatch(new RegExp(`^id=${c1} .* name=alice .*cmd=client\\|list `));
    expect(list[1]).toMatch(new RegExp(`^id=${c2} .* name=bob `));
    const k = api.clientExec(c1, ['CLIENT', 'KILL', 'ID', String(c2)]);
    expect(k.reply).toEqual({ t: 'int', v: 1 });
    expect(k.wake).toEqual([c2]);
    expect(api.clientDrain([c2])[0].client.closed).toBe(true);
    const again = api.clientExec(c2, ['CLIENT', 'GETNAME']);
    expect(again.client.id).not.toBe(c2);
    expect(formatReply(again.reply)).toBe('"bob"');
    // QUIT closes the default client; the next command brings it back with its id.
    expect(api.clientExec(c1, ['QUIT']).client.closed).toBe(true);
    const back = api.clientExec(c1, ['CLIENT', 'ID']);
    expect(back.reply).toEqual({ t: 'int', v: c1 });
    expect(api.clientClose(c1)).toBe(false);
    expect(api.clientClose(again.client.id)).toBe(true);
  });

  it('RESET leaves subscribed mode and unblocks (what Ctrl-C does)', () => {
    const { api, c1, c2 } = setup();
    api.clientExec(c1, ['SUBSCRIBE', 'a']);
    expect(formatReply(api.clientExec(c1, ['RESET']).reply)).toBe('RESET');
    expect(api.clientExec(c2, ['PUBLISH', 'a', 'x']).reply).toEqual({ t: 'int', v: 0 });
    api.clientExec(c2, ['BLPOP', 'z', '0']);
    const r = api.clientExec(c2, ['RESET']);
    expect(r.client.blocked).toBe(null);
    expect(api.clientExec(c1, ['LPUSH', 'z', '1']).wake).toEqual([]);
  });
});
