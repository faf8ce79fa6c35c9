/**
 * List commands: the quicklist the commands build (node count and listpack bytes equal redis-server
 * 7.0.15's DEBUG OBJECT ql_nodes / ql_uncompressed_size after the same commands), RESP2 null vs
 * empty replies, WRONGTYPE, emptied keys, WATCH/dirty signals, COPY, and the theory in step counts.
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import type { Quicklist } from '../../src/engine/structures/quicklist';

type E = ReturnType<typeof createEngine>;
const fresh = () => createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 1 });
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const stepsOf = (e: E, ...argv: string[]) => e.exec(argv).steps;
const qlOf = (e: E, key: string) => e.dbs[0].dict.get(key)!.ptr as Quicklist;
const pad = (i: number) => String(i).padStart(10, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('quicklists built by commands match redis-server 7.0.15', () => {
  // [name, commands, ql_nodes, ql_uncompressed_size, LLEN] as read from DEBUG OBJECT on the real server.
  const cases: [string, string[][], number, number, number][] = [
    ['LINSERT into a full node splits it', [...range(2000).map((i) => ['RPUSH', 'l', pad(i)]), ['LINSERT', 'l', 'BEFORE', pad(1000), 'newvalue01']], 3, 24033, 2001],
    ['many LINSERTs (splits and merges)', [...range(2000).map((i) => ['RPUSH', 'l', pad(i)]), ...range(134).map((k) => ['LINSERT', 'l', 'AFTER', pad(300 + 3 * k), `ins${String(300 + 3 * k).padStart(7, '0')}`])], 4, 25636, 2134],
    ['fill 4: LINSERT, LREM, LINSERT at both ends', [
      ['CONFIG', 'SET', 'list-max-listpack-size', '4'], ...range(20).map((i) => ['RPUSH', 'l', String(i)]),
      ...[1, 5, 9, 10, 13, 2, 2, 2].map((i) => ['LINSERT', 'l', 'AFTER', String(i), 'x']), ['LREM', 'l', '0', 'x'],
      ['LINSERT', 'l', 'BEFORE', '7', 'y'], ['LINSERT', 'l', 'BEFORE', '0', 'y'], ['LINSERT', 'l', 'AFTER', '19', 'y']], 10, 119, 23],
    ['LTRIM', [...range(3000).map((i) => ['RPUSH', 'l', pad(i)]), ['LTRIM', 'l', '500', '2300']], 4, 21640, 1801],
    ['LREM from both ends', [...range(6000).map((i) => ['RPUSH', 'l', String(i % 3)]), ['LREM', 'l', '-1000', '1'], ['LREM', 'l', '0', '2']], 2, 6014, 3000],
    ['LSET to big values (replaced in place)', [...range(1500).map((i) => ['RPUSH', 'l', pad(i)]), ['LSET', 'l', '700', 'x'.repeat(9000)], ['LSET', 'l', '10', 'y'.repeat(3000)]], 3, 30008, 1500],
    ['LPOP / RPOP with count', [...range(3000).map((i) => ['RPUSH', 'l', pad(i)]), ['LPOP', 'l', '1000'], ['RPOP', 'l', '700'], ['LPOP', 'l']], 3, 15609, 1299],
    ['LINSERT of big values', [...range(1000).map((i) => ['RPUSH', 'l', pad(i)]), ['LINSERT', 'l', 'AFTER', pad(200), 'b'.repeat(9000)], ['LINSERT', 'l', 'BEFORE', pad(0), 'c'.repeat(9000)], ['LINSERT', 'l', 'AFTER', pad(999), 'd'.repeat(100)]], 4, 30145, 1003],
  ];
  for (const [name, cmds, nodes, bytes, len] of cases) {
    it(name, () => {
      const e = fresh();
      for (const c of cmds) expect(e.exec(c).reply.t).not.toBe('error');
      const q = qlOf(e, 'l');
      expect([q.len, q.size, q.count]).toEqual([nodes, bytes, len]);
      expect(resp(e, 'LLEN', 'l')).toBe(`:${len}\r\n`);
    });
  }

  it('a new list takes list-max-listpack-size and list-compress-depth from the config', () => {
    const e = fresh();
    e.exec(['CONFIG', 'SET', 'list-max-listpack-size', '7']);
    e.exec(['CONFIG', 'SET', 'list-compress-depth', '2']);
    e.exec(['RPUSH', 'l', 'a']);
    expect([qlOf(e, 'l').fill, qlOf(e, 'l').compress]).toEqual([7, 2]);
    expect(e.dbs[0].dict.get('l')!.encoding).toBe('quicklist');
  });
});

describe('replies (RESP2) as redis-server 7.0.15 gives them', () => {
  it('LPOP/RPOP: nil, null array, empty array', () => {
    const e = fresh();
    expect(resp(e, 'LPOP', 'missing')).toBe('$-1\r\n');
    expect(resp(e, 'LPOP', 'missing', '0')).toBe('*-1\r\n');
    expect(resp(e, 'RPOP', 'missing', '1')).toBe('*-1\r\n');
    expect(resp(e, 'LPOP', 'missing', '-1')).toBe('-ERR value is out of range, must be positive\r\n');
    e.exec(['RPUSH', 'l', 'a', 'b', 'c']);
    expect(resp(e, 'LPOP', 'l', '0')).toBe('*0\r\n');
    expect(resp(e, 'RPOP', 'l', '2')).toBe('*2\r\n$1\r\nc\r\n$1\r\nb\r\n');
    expect(resp(e, 'LPOP', 'l', '1', '2')).toBe("-ERR wrong number of arguments for 'lpop' command\r\n");
    expect(resp(e, 'LPOP', 'l')).toBe('$1\r\na\r\n');
    expect(resp(e, 'EXISTS', 'l')).toBe(':0\r\n');
  });

  it('LPOS errors and RANK edge', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'a']);
    expect(resp(e, 'LPOS', 'l', 'a', 'RANK', '0')).toBe("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    expect(resp(e, 'LPOS', 'l', 'a', 'COUNT', 'x')).toBe("-ERR COUNT can't be negative\r\n");
    expect(resp(e, 'LPOS', 'l', 'a', 'MAXLEN', '-1')).toBe("-ERR MAXLEN can't be negative\r\n");
    expect(resp(e, 'LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1')).toBe('*3\r\n:5\r\n:3\r\n:0\r\n');
    expect(resp(e, 'LPOS', 'l', 'a', 'RANK', '-2', 'COUNT', '2', 'MAXLEN', '3')).toBe('*1\r\n:3\r\n');
    expect(resp(e, 'LPOS', 'missing', 'a', 'COUNT', '0')).toBe('*0\r\n');
    expect(resp(e, 'LPOS', 'missing', 'a')).toBe('$-1\r\n');
  });

  it('LMPOP', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'a']);
    expect(resp(e, 'LMPOP', '1', 'l', 'RIGHT', 'COUNT', '4')).toBe('*2\r\n$1\r\nl\r\n*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n');
    expect(resp(e, 'LMPOP', 'x', 'l', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(resp(e, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', '0')).toBe('-ERR count should be greater than 0\r\n');
    expect(resp(e, 'LMPOP', '3', 'l', 'LEFT')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'LMPOP', '1', 'nokey', 'LEFT')).toBe('*-1\r\n');
  });

  it('WRONGTYPE on every command, the string untouched', () => {
    const e = fresh();
    e.exec(['SET', 's', 'v']);
    const wt = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
    for (const c of [['LPUSH', 's', 'a'], ['RPUSHX', 's', 'a'], ['LPOP', 's'], ['RPOP', 's', '0'], ['LLEN', 's'], ['LRANGE', 's', '0', '1'],
      ['LINDEX', 's', '0'], ['LSET', 's', '0', 'x'], ['LINSERT', 's', 'BEFORE', 'a', 'b'], ['LREM', 's', '0', 'a'], ['LTRIM', 's', '0', '1'],
      ['LPOS', 's', 'a'], ['LMOVE', 's', 'd', 'LEFT', 'LEFT'], ['RPOPLPUSH', 's', 'd'], ['LMPOP', '1', 's', 'LEFT']]) {
      expect(resp(e, ...c)).toBe(wt);
    }
    e.exec(['RPUSH', 'l', 'a']);
    expect(resp(e, 'LMOVE', 'l', 's', 'LEFT', 'LEFT')).toBe(wt);
    expect(resp(e, 'LRANGE', 'l', '0', '-1')).toBe('*1\r\n$1\r\na\r\n');
    expect(resp(e, 'GET', 's')).toBe('$1\r\nv\r\n');
  });

  it('RESP3 null for missing keys', () => {
    const e = fresh();
    e.exec(['HELLO', '3']);
    expect(encodeReply(e.exec(['LPOP', 'missing', '2']).reply, 3)).toBe('_\r\n');
    expect(encodeReply(e.exec(['LINDEX', 'missing', '0']).reply, 3)).toBe('_\r\n');
  });
});

describe('writes signal WATCH and count dirty; emptied lists delete their key; COPY is deep', () => {
  it('dirty counts elements', () => {
    const e = fresh();
    const d0 = e.dirty;
    e.exec(['RPUSH', 'l', 'a', 'b', 'c']);
    expect(e.dirty - d0).toBe(3);
    e.exec(['LPOP', 'l', '2']);
    expect(e.dirty - d0).toBe(5);
    e.exec(['LRANGE', 'l', '0', '-1']);
    expect(e.dirty - d0).toBe(5);
  });

  it('WATCH is invalidated by list writes', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', 'a', 'b']);
    const other = e.createClient();
    // Watch 'l' the way WATCH registers it (db "\0" key -> clients).
    const c = e.defaultClient;
    e.watchedKeys.set('0\0l', new Set([c]));
    for (const w of [['LSET', 'l', '0', 'z'], ['LINSERT', 'l', 'AFTER', 'z', 'y'], ['LTRIM', 'l', '0', '-1'], ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
      ['RPUSH', 'l', 'q'], ['LREM', 'l', '1', 'q'], ['LPOP', 'l', '1'], ['LMPOP', '1', 'l', 'RIGHT']]) {
      c.dirtyCas = false;
      other.exec(w);
      expect(c.dirtyCas, w.join(' ')).toBe(true);
    }
    // Reads and no-op writes do not touch it.
    for (const r of [['LRANGE', 'l', '0', '-1'], ['LINDEX', 'l', '0'], ['LPOS', 'l', 'z'], ['LREM', 'l', '0', 'nothing'], ['LINSERT', 'l', 'AFTER', 'nothing', 'x']]) {
      c.dirtyCas = false;
      other.exec(r);
      expect(c.dirtyCas, r.join(' ')).toBe(false);
    }
  });

  it('COPY makes an independent quicklist', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', ...range(2000).map(pad)]);
    expect(resp(e, 'COPY', 'l', 'm')).toBe(':1\r\n');
    e.exec(['LSET', 'm', '0', 'changed']);
    e.exec(['RPOP', 'm', '100']);
    expect(resp(e, 'LINDEX', 'l', '0')).toBe('$10\r\n0000000000\r\n');
    expect(resp(e, 'LLEN', 'l')).toBe(':2000\r\n');
    expect(resp(e, 'LLEN', 'm')).toBe(':1900\r\n');
  });
});

describe('theory, in real step counts', () => {
  function listOf(n: number, fill?: number): E {
    const e = fresh();
    if (fill !== undefined) e.exec(['CONFIG', 'SET', 'list-max-listpack-size', String(fill)]);
    const vals = range(n).map(pad);
    for (let i = 0; i < n; i += 1000) e.exec(['RPUSH', 'l', ...vals.slice(i, i + 1000)]);
    return e;
  }

  it('LINDEX at the middle grows linearly with n (node walk; 16 entries per node)', () => {
    const a = stepsOf(listOf(1_000, 16), 'LINDEX', 'l', '500');
    const b = stepsOf(listOf(10_000, 16), 'LINDEX', 'l', '5000');
    expect(b / a).toBeGreaterThan(5);
    expect(b / a).toBeLessThan(15);
  });

  it('LINDEX near either end stays cheap', () => {
    const e = listOf(10_000);
    expect(stepsOf(e, 'LINDEX', 'l', '0')).toBeLessThan(10);
    expect(stepsOf(e, 'LINDEX', 'l', '-1')).toBeLessThan(10);
  });

  it('LPUSH / RPUSH / LPOP / RPOP are O(1): the same steps at n = 100 and n = 50,000', () => {
    const small = listOf(100), large = listOf(50_000);
    for (const c of [['LPUSH', 'l', 'x'], ['RPUSH', 'l', 'x'], ['LPOP', 'l'], ['RPOP', 'l']]) {
      expect(stepsOf(large, ...c)).toBe(stepsOf(small, ...c));
    }
  });

  it('tracing on or off gives identical steps', () => {
    const script = [['RPUSH', 'l', ...range(3000).map(pad)], ['LINDEX', 'l', '1700'], ['LINSERT', 'l', 'BEFORE', pad(1500), 'n'],
      ['LSET', 'l', '-20', 'y'], ['LRANGE', 'l', '100', '150'], ['LREM', 'l', '-2', pad(7)], ['LPOS', 'l', pad(2999)],
      ['LTRIM', 'l', '10', '-10'], ['LPOP', 'l', '5'], ['LMOVE', 'l', 'm', 'RIGHT', 'LEFT'], ['LMPOP', '2', 'x', 'l', 'LEFT', 'COUNT', '3']];
    const run = (trace: boolean) => {
      const e = fresh();
      return script.map((c) => {
        const r = e.exec(c, { trace });
        if (trace) expect(r.trace!.length).toBeGreaterThan(0);
        return r.steps;
      });
    };
    expect(run(true)).toEqual(run(false));
  });
});
