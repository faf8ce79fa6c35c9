/**
 * Hash commands: replies (checked against redis-server 7.0.15), encoding conversion at the
 * thresholds, HRANDFIELD invariants (seeded), HSCAN over a dict, shrinking after deletes, and the
 * step counts that show the theory: HGET on a hashtable is flat in the size of the hash (also while
 * the dict rehashes), HGET on a listpack grows with the position of the field.
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { Dict } from '../../src/engine/structures/dict';
import { Listpack } from '../../src/engine/structures/listpack';
import type { Reply } from '../../src/engine/types';

type E = ReturnType<typeof createEngine>;
const fresh = (seed = 1) => createEngine({ clock: new ManualClock(1_700_000_000_000), seed });
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const int = (n: number | string) => `:${n}\r\n`;
const NIL = '$-1\r\n';
const enc = (e: E, key: string) => e.dbs[0].dict.get(key)?.encoding;
const obj = (e: E, key: string) => e.dbs[0].dict.get(key)!;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

/** HSET key with n fields "field:i" -> "v<i>" in one command. */
function fill(e: E, key: string, n: number, prefix = 'field:'): void {
  const args = ['HSET', key];
  for (let i = 0; i < n; i++) args.push(prefix + i, 'v' + i);
  e.exec(args);
}

function bulksOf(r: Reply): string[] {
  if (r.t !== 'array' && r.t !== 'map') throw new Error('not an array: ' + r.t);
  return r.v.map((x) => {
    if (x.t !== 'bulk') throw new Error('not a bulk: ' + x.t);
    return x.v;
  });
}

describe('basic replies (as redis-server 7.0.15)', () => {
  it('HSET / HGET / HMGET / HLEN / HEXISTS / HSTRLEN', () => {
    const e = fresh();
    expect(resp(e, 'HSET', 'h', 'a', '1', 'b', '2', 'a', '3')).toBe(int(2));
    expect(resp(e, 'HSET', 'h', 'a', '4', 'c', '5')).toBe(int(1));
    expect(resp(e, 'HGET', 'h', 'a')).toBe(bulk('4'));
    expect(resp(e, 'HGET', 'h', 'zz')).toBe(NIL);
    expect(resp(e, 'HGET', 'nokey', 'a')).toBe(NIL);
    expect(resp(e, 'HMGET', 'h', 'a', 'zz', 'c')).toBe(arr(bulk('4'), NIL, bulk('5')));
    expect(resp(e, 'HMGET', 'nokey', 'a', 'b')).toBe(arr(NIL, NIL));
    expect(resp(e, 'HLEN', 'h')).toBe(int(3));
    expect(resp(e, 'HEXISTS', 'h', 'b')).toBe(int(1));
    expect(resp(e, 'HEXISTS', 'h', 'B')).toBe(int(0));
    expect(resp(e, 'HSTRLEN', 'h', 'c')).toBe(int(1));
    expect(resp(e, 'HSTRLEN', 'h', 'zz')).toBe(int(0));
    expect(resp(e, 'HGETALL', 'h')).toBe(arr(bulk('a'), bulk('4'), bulk('b'), bulk('2'), bulk('c'), bulk('5')));
    expect(resp(e, 'HKEYS', 'h')).toBe(arr(bulk('a'), bulk('b'), bulk('c')));
    expect(resp(e, 'HVALS', 'h')).toBe(arr(bulk('4'), bulk('2'), bulk('5')));
    expect(resp(e, 'HMSET', 'h', 'd', '6')).toBe('+OK\r\n');
    expect(resp(e, 'HSETNX', 'h', 'd', 'x')).toBe(int(0));
    expect(resp(e, 'HSETNX', 'h', 'e', 'x')).toBe(int(1));
  });

  it('odd argument counts are arity errors', () => {
    const e = fresh();
    expect(resp(e, 'HSET', 'h', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'hset' command\r\n");
    expect(resp(e, 'HMSET', 'h', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'hmset' command\r\n");
    expect(resp(e, 'EXISTS', 'h')).toBe(int(0));
  });

  it('HDEL deletes the key when the hash becomes empty', () => {
    const e = fresh();
    e.exec(['HSET', 'h', 'a', '1', 'b', '2']);
    const dirty = e.dirty;
    expect(resp(e, 'HDEL', 'h', 'a', 'zz', 'a')).toBe(int(1));
    expect(e.dirty).toBe(dirty + 1);
    expect(resp(e, 'HDEL', 'h', 'b', 'a')).toBe(int(1));
    expect(resp(e, 'EXISTS', 'h')).toBe(int(0));
    expect(resp(e, 'HDEL', 'h', 'b')).toBe(int(0));
  });

  it('HINCRBY: errors and overflow', () => {
    const e = fresh();
    expect(resp(e, 'HINCRBY', 'h', 'n', '5')).toBe(int(5));
    expect(resp(e, 'HINCRBY', 'h', 'n', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    e.exec(['HSET', 'h', 's', '1.5', 'z', '007', 'big', '9223372036854775807']);
    expect(resp(e, 'HINCRBY', 'h', 's', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(resp(e, 'HINCRBY', 'h', 'z', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(resp(e, 'HINCRBY', 'h', 'big', '1')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(resp(e, 'HINCRBY', 'h', 'neg', '-9223372036854775808')).toBe(int('-9223372036854775808'));
    expect(resp(e, 'HINCRBY', 'h', 'neg', '-1')).toBe('-ERR increment or decrement would overflow\r\n');
  });

  it('HINCRBYFLOAT: long double arithmetic, NaN/Inf errors, no key created on a refused increment', () => {
    const e = fresh();
    expect(resp(e, 'HINCRBYFLOAT', 'h', 'f', '10.5')).toBe(bulk('10.5'));
    expect(resp(e, 'HINCRBYFLOAT', 'h', 'f', '0.1')).toBe(bulk('10.6'));
    expect(resp(e, 'HINCRBYFLOAT', 'nokey', 'f', 'inf')).toBe('-ERR value is NaN or Infinity\r\n');
    expect(resp(e, 'HINCRBYFLOAT', 'nokey', 'f', 'nan')).toBe('-ERR value is not a valid float\r\n');
    expect(resp(e, 'EXISTS', 'nokey')).toBe(int(0));
    e.exec(['HSET', 'h', 's', 'hello', 'big', '9223372036854775807', 'huge', '1e4932']);
    expect(resp(e, 'HINCRBYFLOAT', 'h', 's', '1')).toBe('-ERR hash value is not a float\r\n');
    expect(resp(e, 'HINCRBYFLOAT', 'h', 'big', '1')).toBe(bulk('9223372036854775808'));
    expect(resp(e, 'HINCRBYFLOAT', 'h', 'huge', '1.18e4932')).toBe('-ERR increment would produce NaN or Infinity\r\n');
  });

  it('WRONGTYPE for every command on a string key', () => {
    const e = fresh();
    e.exec(['SET', 's', 'x']);
    const cmds = [
      ['HSET', 's', 'f', 'v'], ['HMSET', 's', 'f', 'v'], ['HSETNX', 's', 'f', 'v'], ['HGET', 's', 'f'],
      ['HMGET', 's', 'f'], ['HDEL', 's', 'f'], ['HEXISTS', 's', 'f'], ['HLEN', 's'], ['HSTRLEN', 's', 'f'],
      ['HKEYS', 's'], ['HVALS', 's'], ['HGETALL', 's'], ['HINCRBY', 's', 'f', '1'],
      ['HINCRBYFLOAT', 's', 'f', '1'], ['HRANDFIELD', 's'], ['HRANDFIELD', 's', '2'], ['HSCAN', 's', '0'],
    ];
    for (const c of cmds) expect(resp(e, ...c), c.join(' ')).toBe(WRONGTYPE);
    // Argument errors come first where Redis checks them first.
    expect(resp(e, 'HSCAN', 's', 'x')).toBe('-ERR invalid cursor\r\n');
    expect(resp(e, 'HRANDFIELD', 's', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'HINCRBY', 's', 'f', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
  });

  it('RESP3: HGETALL is a map (also for a missing key), HRANDFIELD WITHVALUES nests pairs', () => {
    const e = fresh();
    e.exec(['HELLO', '3']);
    const c = e.defaultClient;
    expect(encodeReply(e.exec(['HGETALL', 'nokey']).reply, 3)).toBe('%0\r\n');
    e.exec(['HSET', 'h', 'a', '1', 'b', '2']);
    expect(encodeReply(e.exec(['HGETALL', 'h']).reply, 3)).toBe('%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    expect(c.resp).toBe(3);
    expect(encodeReply(e.exec(['HRANDFIELD', 'h', '5', 'WITHVALUES']).reply, 3))
      .toBe('*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
    expect(encodeReply(e.exec(['HRANDFIELD', 'nokey']).reply, 3)).toBe('_\r\n');
  });
});

describe('encoding conversion', () => {
  it('CONFIG SET hash-max-listpack-entries 4, then 5 HSETs -> hashtable, with one obj.convert event', () => {
    const e = fresh();
    e.exec(['CONFIG', 'SET', 'hash-max-listpack-entries', '4']);
    for (let i = 1; i <= 4; i++) e.exec(['HSET', 'h', 'f' + i, 'v']);
    expect(resp(e, 'OBJECT', 'ENCODING', 'h')).toBe(bulk('listpack'));
    expect(obj(e, 'h').ptr).toBeInstanceOf(Listpack);
    const r = e.exec(['HSET', 'h', 'f5', 'v'], { trace: true });
    expect(resp(e, 'OBJECT', 'ENCODING', 'h')).toBe(bulk('hashtable'));
    const d = obj(e, 'h').ptr as Dict<string>;
    expect(d).toBeInstanceOf(Dict);
    expect(d.name).toBe('h');
    expect(d.size()).toBe(5);
    expect(r.trace!.filter((t) => t.k === 'obj.convert')).toEqual([{ k: 'obj.convert', key: 'h', from: 'listpack', to: 'hashtable' }]);
    // Never converts back.
    e.exec(['HDEL', 'h', 'f1', 'f2', 'f3', 'f4']);
    expect(enc(e, 'h')).toBe('hashtable');
    expect(resp(e, 'HGETALL', 'h')).toBe(arr(bulk('f5'), bulk('v')));
  });

  it('updating an existing field does not count as a new entry; repeated fields in one HSET do not convert', () => {
    const e = fresh();
    e.exec(['CONFIG', 'SET', 'hash-max-listpack-entries', '2']);
    e.exec(['HSET', 'h', 'a', '1', 'a', '2', 'a', '3']);
    expect(enc(e, 'h')).toBe('listpack');
    e.exec(['HSET', 'h', 'b', '1', 'a', '9']);
    expect(enc(e, 'h')).toBe('listpack');
    e.exec(['HSET', 'h', 'c', '1']);
    expect(enc(e, 'h')).toBe('hashtable');
  });

  it('value length: exactly hash-max-listpack-value stays, one more converts; HSET checks every argument first', () => {
    const e = fresh();
    e.exec(['HSET', 'h', 'f', 'x'.repeat(64)]);
    expect(enc(e, 'h')).toBe('listpack');
    e.exec(['HSET', 'h', 'x'.repeat(65), 'v']);
    expect(enc(e, 'h')).toBe('hashtable');
    e.exec(['CONFIG', 'SET', 'hash-max-listpack-value', '3']);
    e.exec(['HSET', 'h2', 'a', '1', 'b', '1234']);
    expect(enc(e, 'h2')).toBe('hashtable');
    // HSETNX on an existing field writes nothing and does not convert.
    e.exec(['HSET', 'h3', 'a', '1']);
    expect(resp(e, 'HSETNX', 'h3', 'a', '12345')).toBe(int(0));
    expect(enc(e, 'h3')).toBe('listpack');
    expect(resp(e, 'HSETNX', 'h3', 'b', '12345')).toBe(int(1));
    expect(enc(e, 'h3')).toBe('hashtable');
  });

  it('HINCRBY / HINCRBYFLOAT convert when the field or the new value is too long', () => {
    const e = fresh();
    e.exec(['CONFIG', 'SET', 'hash-max-listpack-value', '5']);
    e.exec(['HINCRBY', 'a', 'abcdefgh', '1']);
    expect(enc(e, 'a')).toBe('hashtable');
    e.exec(['HSET', 'b', 'f', '1']);
    e.exec(['HINCRBY', 'b', 'f', '99998']);
    expect(enc(e, 'b')).toBe('listpack');
    e.exec(['HINCRBY', 'b', 'f', '1']);
    expect(enc(e, 'b')).toBe('hashtable');
    e.exec(['HSET', 'c', 'f', '1']);
    expect(resp(e, 'HINCRBYFLOAT', 'c', 'f', '1234.5')).toBe(bulk('1235.5'));
    expect(enc(e, 'c')).toBe('hashtable');
  });

  it('the converted dict is presized for the fields it receives', () => {
    const e = fresh();
    fill(e, 'h', 513);
    const d = obj(e, 'h').ptr as Dict<string>;
    expect(d.buckets()).toEqual([1024, 0]);
    expect(d.isRehashing()).toBe(false);
  });

  it('a hashtable shrinks after deletes leave it under 10% full', () => {
    const e = fresh();
    fill(e, 'h', 1000);
    const d = obj(e, 'h').ptr as Dict<string>;
    expect(d.buckets()[0]).toBe(1024);
    const del = ['HDEL', 'h'];
    for (let i = 0; i < 990; i++) del.push('field:' + i);
    expect(resp(e, ...del)).toBe(int(990));
    // Fill fell under 10% at 102 fields of 1024 buckets: resize to 128 buckets, rehashing since.
    expect(d.buckets()).toEqual([1024, 128]);
    expect(resp(e, 'HLEN', 'h')).toBe(int(10));
    expect(resp(e, 'HGET', 'h', 'field:995')).toBe(bulk('v995'));
    // Lookups finish the rehash; deleting down to 12 fields of 128 buckets (< 10%) shrinks again.
    for (let i = 0; i < 200; i++) e.exec(['HGET', 'h', 'field:999']);
    expect(d.buckets()).toEqual([128, 0]);
    fill(e, 'h', 3, 'more:');
    expect(resp(e, 'HDEL', 'h', 'field:990')).toBe(int(1));
    expect(d.size()).toBe(12);
    expect(d.buckets()).toEqual([128, 16]);
  });

  it('COPY of both encodings is deep', () => {
    const e = fresh();
    e.exec(['HSET', 'small', 'a', '1']);
    fill(e, 'big', 600);
    e.exec(['COPY', 'small', 'small2']);
    e.exec(['COPY', 'big', 'big2']);
    e.exec(['HSET', 'small2', 'a', '2']);
    e.exec(['HSET', 'big2', 'field:1', 'changed']);
    expect(resp(e, 'HGET', 'small', 'a')).toBe(bulk('1'));
    expect(resp(e, 'HGET', 'big', 'field:1')).toBe(bulk('v1'));
    expect(resp(e, 'HGET', 'big2', 'field:1')).toBe(bulk('changed'));
    expect(enc(e, 'big2')).toBe('hashtable');
    expect(resp(e, 'HLEN', 'big2')).toBe(int(600));
  });
});

describe('HRANDFIELD', () => {
  it('is deterministic for a seed', () => {
    const run = () => {
      const e = fresh(42);
      fill(e, 'lp', 10);
      fill(e, 'ht', 1000);
      return [
        resp(e, 'HRANDFIELD', 'lp'), resp(e, 'HRANDFIELD', 'lp', '-7', 'WITHVALUES'), resp(e, 'HRANDFIELD', 'lp', '4'),
        resp(e, 'HRANDFIELD', 'ht'), resp(e, 'HRANDFIELD', 'ht', '-7'), resp(e, 'HRANDFIELD', 'ht', '600'),
        resp(e, 'HRANDFIELD', 'ht', '20', 'WITHVALUES'),
      ];
    };
    expect(run()).toEqual(run());
  });

  for (const [label, n] of [['listpack', 10], ['hashtable', 1000]] as const) {
    it(`${label}: unique counts, repeats for negative counts, values match their fields`, () => {
      const e = fresh(7);
      fill(e, 'h', n);
      expect(enc(e, 'h')).toBe(label);
      const value = (f: string) => 'v' + f.slice('field:'.length);
      for (const count of [1, 2, 3, Math.floor(n / 3), Math.floor(n / 2), n - 1, n, n + 5]) {
        const got = bulksOf(e.exec(['HRANDFIELD', 'h', String(count)]).reply);
        expect(got.length).toBe(Math.min(count, n));
        expect(new Set(got).size).toBe(got.length);
        for (const f of got) expect(f.startsWith('field:')).toBe(true);
        const wv = bulksOf(e.exec(['HRANDFIELD', 'h', String(count), 'WITHVALUES']).reply);
        expect(wv.length).toBe(2 * Math.min(count, n));
        for (let i = 0; i < wv.length; i += 2) expect(wv[i + 1]).toBe(value(wv[i]));
      }
      const rep = bulksOf(e.exec(['HRANDFIELD', 'h', String(-3 * n)]).reply);
      expect(rep.length).toBe(3 * n);
      expect(new Set(rep).size).toBeLessThan(rep.length); // repeats
      const rwv = bulksOf(e.exec(['HRANDFIELD', 'h', '-50', 'WITHVALUES']).reply);
      expect(rwv.length).toBe(100);
      for (let i = 0; i < rwv.length; i += 2) expect(rwv[i + 1]).toBe(value(rwv[i]));
      // count >= size: the whole hash in iteration order
      expect(resp(e, 'HRANDFIELD', 'h', String(n))).toBe(resp(e, 'HKEYS', 'h'));
      expect(resp(e, 'HRANDFIELD', 'h', '0')).toBe('*0\r\n');
      const one = e.exec(['HRANDFIELD', 'h']).reply;
      expect(one.t).toBe('bulk');
    });
  }

  it('listpack unique sampling keeps listpack order', () => {
    const e = fresh(3);
    fill(e, 'h', 20);
    for (let k = 0; k < 10; k++) {
      const got = bulksOf(e.exec(['HRANDFIELD', 'h', '7']).reply).map((f) => Number(f.slice(6)));
      expect(got).toEqual([...got].sort((a, b) => a - b));
    }
  });

  it('every field is eventually returned (no field is unreachable)', () => {
    const e = fresh(5);
    fill(e, 'h', 600);
    const seen = new Set<string>();
    for (let k = 0; k < 50; k++) for (const f of bulksOf(e.exec(['HRANDFIELD', 'h', '-100']).reply)) seen.add(f);
    expect(seen.size).toBe(600);
  });

  it('range errors as Redis 7.0.15; a huge negative count is refused instead of exhausting memory', () => {
    const e = fresh();
    e.exec(['HSET', 'h', 'a', '1']);
    expect(resp(e, 'HRANDFIELD', 'h', '-9223372036854775808'))
      .toBe('-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
    expect(resp(e, 'HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES')).toBe('-ERR value is out of range\r\n');
    expect(resp(e, 'HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES')).toBe(arr(bulk('a'), bulk('1')));
    expect(resp(e, 'HRANDFIELD', 'h', '1', 'WITHVALUE')).toBe('-ERR syntax error\r\n');
    expect(e.exec(['HRANDFIELD', 'h', '-9223372036854775807']).reply.t).toBe('error');
  });
});

describe('HSCAN', () => {
  it('listpack: everything at once, cursor 0, MATCH filters fields', () => {
    const e = fresh();
    e.exec(['HSET', 'h', 'apple', '1', 'banana', '2', 'avocado', '3']);
    expect(resp(e, 'HSCAN', 'h', '7', 'COUNT', '1', 'MATCH', 'a*'))
      .toBe(arr(bulk('0'), arr(bulk('apple'), bulk('1'), bulk('avocado'), bulk('3'))));
    expect(resp(e, 'HSCAN', 'h', '0', 'COUNT', '0')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'HSCAN', 'nokey', '0', 'COUNT', '0')).toBe(arr(bulk('0'), '*0\r\n'));
  });

  it('hashtable: a full scan returns every field exactly once, with its value', () => {
    const e = fresh();
    fill(e, 'h', 1000);
    const seen = new Map<string, number>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = e.exec(['HSCAN', 'h', cursor, 'COUNT', '20']).reply;
      if (r.t !== 'array') throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      const items = bulksOf(r.v[1]);
      for (let i = 0; i < items.length; i += 2) {
        expect(items[i + 1]).toBe('v' + items[i].slice(6));
        seen.set(items[i], (seen.get(items[i]) ?? 0) + 1);
      }
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(calls).toBeGreaterThan(10);
  });

  it('hashtable: a scan across a rehash still returns every field present throughout', () => {
    const e = fresh();
    fill(e, 'h', 1024);
    const seen = new Set<string>();
    let cursor = '0';
    let i = 0;
    do {
      const r = e.exec(['HSCAN', 'h', cursor]).reply;
      if (r.t !== 'array') throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      const items = bulksOf(r.v[1]);
      for (let j = 0; j < items.length; j += 2) seen.add(items[j]);
      // Grow the hash during the scan (triggers and advances a rehash).
      e.exec(['HSET', 'h', 'extra:' + i++, 'x']);
    } while (cursor !== '0');
    for (let k = 0; k < 1024; k++) expect(seen.has('field:' + k)).toBe(true);
  });
});

describe('steps: the theory', () => {
  /** Average steps of HGET over a fixed set of existing fields. */
  function avgHget(e: E, n: number, samples = 200): number {
    let total = 0;
    for (let j = 0; j < samples; j++) total += e.exec(['HGET', 'h', 'field:' + ((j * 7919) % n)]).steps;
    return total / samples;
  }

  it('HGET on a hashtable is flat in N, also while the dict rehashes after a grow', () => {
    const e1 = fresh(); fill(e1, 'h', 1000);
    const e2 = fresh(); fill(e2, 'h', 100_000);
    const d1 = obj(e1, 'h').ptr as Dict<string>;
    const d2 = obj(e2, 'h').ptr as Dict<string>;
    expect(d1.isRehashing()).toBe(false);
    expect(d2.isRehashing()).toBe(false);
    const s1 = avgHget(e1, 1000);
    const s2 = avgHget(e2, 100_000);
    expect(Math.max(s1, s2) / Math.min(s1, s2)).toBeLessThan(2);

    // Right after a grow: 131073 fields just made the 131072-bucket table grow; rehash in progress.
    const e3 = fresh(); fill(e3, 'h', 131_073);
    const d3 = obj(e3, 'h').ptr as Dict<string>;
    expect(d3.isRehashing()).toBe(true);
    const s3 = avgHget(e3, 131_073);
    expect(d3.isRehashing()).toBe(true);
    expect(Math.max(s1, s3) / Math.min(s1, s3)).toBeLessThan(2);
    // And the same comparison at the small size, also right after a grow.
    const e4 = fresh(); fill(e4, 'h', 1025);
    expect((obj(e4, 'h').ptr as Dict<string>).isRehashing()).toBe(true);
    const s4 = avgHget(e4, 1025);
    expect(Math.max(s3, s4) / Math.min(s3, s4)).toBeLessThan(2);
  });

  it('HGET on a listpack grows with the position of the field: one step per field compared', () => {
    const e = fresh();
    fill(e, 'h', 100);
    expect(enc(e, 'h')).toBe('listpack');
    const s0 = e.exec(['HGET', 'h', 'field:0']).steps;
    const s10 = e.exec(['HGET', 'h', 'field:10']).steps;
    const s99 = e.exec(['HGET', 'h', 'field:99']).steps;
    const miss = e.exec(['HGET', 'h', 'nofield']).steps;
    expect(s10 - s0).toBe(10);
    expect(s99 - s0).toBe(99);
    expect(miss - s0).toBe(99);
  });

  it('tracing on or off gives identical steps and replies', () => {
    const script: string[][] = [
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '8'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HGET', 'h', 'c'],
      ['HSET', 'h', 'd', '4', 'e', '5', 'f', '6', 'g', '7', 'h', '8', 'i', '9'],
      ['HGET', 'h', 'c'], ['HINCRBY', 'h', 'a', '5'], ['HINCRBYFLOAT', 'h', 'b', '0.5'],
      ['HRANDFIELD', 'h', '-5', 'WITHVALUES'], ['HRANDFIELD', 'h', '3'], ['HSCAN', 'h', '0'],
      ['HGETALL', 'h'], ['HDEL', 'h', 'a', 'b', 'c', 'd'], ['HLEN', 'h'],
    ];
    const run = (trace: boolean) => {
      const e = fresh(9);
      fill(e, 'big', 3000);
      return script.map((argv) => {
        const r = e.exec(argv, { trace });
        if (trace) expect(r.trace).toBeDefined();
        return [r.steps, encodeReply(r.reply, 2)];
      });
    };
    expect(run(true)).toEqual(run(false));
  });

  it('HGET of a hashtable emits dict events naming the key when traced', () => {
    const e = fresh();
    fill(e, 'h', 600);
    const r = e.exec(['HGET', 'h', 'field:5'], { trace: true });
    expect(r.trace!.some((t) => t.k === 'dict.found' && t.dict === 'h' && t.key === 'field:5')).toBe(true);
  });
});

describe('keyspace bookkeeping', () => {
  it('dirty counts and WATCH-visible writes', () => {
    const e = fresh();
    let d = e.dirty;
    e.exec(['HSET', 'h', 'a', '1', 'b', '2', 'a', '3']);
    expect(e.dirty - d).toBe(3);
    d = e.dirty;
    e.exec(['HSETNX', 'h', 'a', 'x']);
    expect(e.dirty).toBe(d);
    e.exec(['HINCRBY', 'h', 'n', '1']);
    expect(e.dirty).toBe(d + 1);
    d = e.dirty;
    e.exec(['HDEL', 'h', 'zz']);
    expect(e.dirty).toBe(d);
  });
});
