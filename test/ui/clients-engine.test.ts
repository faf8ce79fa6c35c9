/** CLIENT UNBLOCK and CLIENT LIST ssub= (checked against redis-server 7.0.15). */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { formatReply } from '../../src/ui/format';

describe('CLIENT UNBLOCK', () => {
  it('replies as Redis 7.0 for bad input', () => {
    const e = createEngine();
    const t = (line: string[]) => formatReply(e.exec(line).reply);
    expect(t(['CLIENT', 'UNBLOCK', 'abc'])).toBe('(error) ERR value is not an integer or out of range');
    expect(t(['CLIENT', 'UNBLOCK', '99999'])).toBe('(integer) 0');
    expect(t(['CLIENT', 'UNBLOCK', '99999', 'foo'])).toBe('(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    expect(t(['CLIENT', 'UNBLOCK', 'abc', 'foo'])).toBe('(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    expect(t(['CLIENT', 'UNBLOCK', '99999', 'error'])).toBe('(integer) 0');
    expect(t(['CLIENT', 'UNBLOCK', '-5'])).toBe('(integer) 0');
    expect(t(['client', 'unblock', '1', 'timeout', 'x'])).toBe("(error) ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.");
    expect(t(['CLIENT', 'UNBLOCK'])).toBe("(error) ERR wrong number of arguments for 'client|unblock' command");
  });

  it('unblocks with a null array (TIMEOUT) or the UNBLOCKED error', () => {
    const e = createEngine();
    const b = e.createClient();
    expect(b.exec(['BLPOP', 'q', '0']).blocked).toBe(true);
    expect(e.exec(['CLIENT', 'LIST']).reply).toMatchObject({ v: expect.stringContaining(`id=${b.id} `) });
    const list = (e.exec(['CLIENT', 'LIST']).reply as { v: string }).v;
    expect(list.split('\n').find((l) => l.startsWith(`id=${b.id} `))).toContain(' flags=b ');
    expect(e.exec(['CLIENT', 'UNBLOCK', String(b.id)]).reply).toEqual({ t: 'int', v: 1 });
    expect(b.blocked).toBe(null);
    expect(b.pendingReplies).toEqual([{ t: 'nilarray' }]);
    expect(e.exec(['CLIENT', 'UNBLOCK', String(b.id)]).reply).toEqual({ t: 'int', v: 0 });
    b.pendingReplies = [];
    b.exec(['BLPOP', 'q', '0']);
    expect(e.exec(['CLIENT', 'UNBLOCK', String(b.id), 'ERROR']).reply).toEqual({ t: 'int', v: 1 });
    expect(b.pendingReplies).toEqual([{ t: 'error', v: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' }]);
  });

  it('CLIENT LIST counts shard channels in ssub=', () => {
    const e = createEngine();
    const b = e.createClient();
    b.exec(['CLIENT', 'SETNAME', 'shard']);
    b.exec(['SSUBSCRIBE', 's1', 's2']);
    const list = (e.exec(['CLIENT', 'LIST']).reply as { v: string }).v;
    const line = list.split('\n').find((l) => l.includes('name=shard'))!;
    expect(line).toContain(' flags=P db=0 sub=0 psub=0 ssub=2 ');
  });
});
