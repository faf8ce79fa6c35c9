/**
 * SORT / SORT_RO: replies read from redis-server 7.0.15 (more in test/conformance/cases/sort.txt),
 * Redis's partial quicksort (pqsort) against a full sort, the sticky-errno quirk, steps.
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { pqsort } from '../../src/engine/t_sort';
import { Random } from '../../src/engine/random';

type E = ReturnType<typeof createEngine>;
const fresh = () => createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 3 });
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const bulks = (...v: string[]) => `*${v.length}\r\n` + v.map((s) => `$${s.length}\r\n${s}\r\n`).join('');
const CONV = "-ERR One or more scores can't be converted into double\r\n";

describe('SORT', () => {
  it('reads its key with STORE too: keyspace hits and misses (7.0.15)', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', '3', '1']);
    const h = e.stats.keyspaceHits, m = e.stats.keyspaceMisses;
    e.exec(['SORT', 'l', 'STORE', 'd']);
    e.exec(['SORT', 'nokey', 'STORE', 'd']);
    expect([e.stats.keyspaceHits - h, e.stats.keyspaceMisses - m]).toEqual([1, 1]);
  });

  it('CONFIG RESETSTAT keeps a sticky ERANGE (only a new connection clears it)', () => {
    const e = fresh();
    e.exec(['SADD', 'sx', '1.5', '2.5']);
    e.exec(['ZADD', 'z', '-1e400', 'm']);
    e.exec(['CONFIG', 'RESETSTAT']);
    expect(resp(e, 'SORT', 'sx')).toBe(CONV);
    e.createClient();
    expect(resp(e, 'SORT', 'sx')).toBe(bulks('1.5', '2.5'));
  });

  it('numeric, alpha, desc, limit', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', '3', '1', '2', '10', '-5', '2.5']);
    expect(resp(e, 'SORT', 'l')).toBe(bulks('-5', '1', '2', '2.5', '3', '10'));
    expect(resp(e, 'SORT', 'l', 'DESC', 'LIMIT', '1', '2')).toBe(bulks('3', '2.5'));
    expect(resp(e, 'SORT', 'l', 'ALPHA')).toBe(bulks('-5', '1', '10', '2', '2.5', '3'));
    expect(resp(e, 'SORT', 'l', 'LIMIT', '10', '1')).toBe('*0\r\n');
    e.exec(['RPUSH', 'l', 'x']);
    expect(resp(e, 'SORT', 'l')).toBe(CONV);
    expect(resp(e, 'SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '2')).toBe(bulks('x', '2.5'));
  });

  it('BY and GET patterns with strings and hash fields; STORE makes a list', () => {
    const e = fresh();
    e.exec(['RPUSH', 'l', '1', '2', '3']);
    e.exec(['HSET', 'o_1', 'w', '30', 'n', 'one']);
    e.exec(['HSET', 'o_2', 'w', '10', 'n', 'two']);
    e.exec(['MSET', 'w_1', '2', 'w_2', '1', 'w_3', '3']);
    expect(resp(e, 'SORT', 'l', 'BY', 'w_*')).toBe(bulks('2', '1', '3'));
    expect(resp(e, 'SORT', 'l', 'BY', 'o_*->w', 'GET', '#', 'GET', 'o_*->n')).toBe(
      '*6\r\n$1\r\n3\r\n$-1\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\n1\r\n$3\r\none\r\n');
    expect(resp(e, 'SORT', 'l', 'GET', 'o_*->n', 'STORE', 'd')).toBe(':3\r\n');
    expect(resp(e, 'LRANGE', 'd', '0', '-1')).toBe(bulks('one', 'two', ''));
    expect(e.dbs[0].dict.get('d')!.encoding).toBe('quicklist');
    expect(resp(e, 'SORT_RO', 'l', 'STORE', 'd')).toBe('-ERR syntax error\r\n');
  });

  it('converts a listpack sorted set to a skiplist', () => {
    const e = fresh();
    e.exec(['ZADD', 'z', '2', 'b', '1', 'a', '3', 'c']);
    expect(e.dbs[0].dict.get('z')!.encoding).toBe('listpack');
    expect(resp(e, 'SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5')).toBe(bulks('b', 'a'));
    expect(e.dbs[0].dict.get('z')!.encoding).toBe('skiplist');
  });

  it('a set sorted in nosort mode with STORE is sorted ALPHA', () => {
    const e = fresh();
    e.exec(['SADD', 's', 'b', 'c', 'a', '10', '9']);
    expect(resp(e, 'SORT', 's', 'BY', 'nosort', 'STORE', 'd')).toBe(':5\r\n');
    expect(resp(e, 'LRANGE', 'd', '0', '-1')).toBe(bulks('10', '9', 'a', 'b', 'c'));
  });

  it('ERANGE sticks until a new connection (as Redis: errno is never cleared by SORT)', () => {
    const e = fresh();
    e.exec(['RPUSH', 'ok', '1.5', '2.5']);
    e.exec(['RPUSH', 'ints', '3', '1']);
    e.exec(['RPUSH', 'bad', '1e-400']);
    expect(resp(e, 'SORT', 'ok')).toBe(bulks('1.5', '2.5'));
    expect(resp(e, 'SORT', 'bad')).toBe(CONV);
    expect(resp(e, 'SORT', 'ok')).toBe(CONV);
    expect(resp(e, 'SORT', 'ints')).toBe(bulks('1', '3')); // int-encoded: no strtod
    e.createClient(); // a new connection: accept() leaves EAGAIN in errno
    expect(resp(e, 'SORT', 'ok')).toBe(bulks('1.5', '2.5'));
  });

  it('counts comparisons as steps', () => {
    const e = fresh();
    const vals = Array.from({ length: 64 }, (_, i) => String((i * 37) % 64));
    e.exec(['RPUSH', 'l', ...vals]);
    const small = e.exec(['SORT', 'l', 'LIMIT', '0', '1']).steps;
    e.exec(['RPUSH', 'l2', ...vals.slice(0, 8)]);
    const tiny = e.exec(['SORT', 'l2']).steps;
    expect(small).toBeGreaterThan(64 * 4);
    expect(tiny).toBeLessThan(small / 4);
  });
});

describe('pqsort', () => {
  it('puts the requested range in order, like a full sort', () => {
    const rnd = new Random(11);
    for (let t = 0; t < 200; t++) {
      const n = 1 + rnd.int(300);
      const v = Array.from({ length: n }, () => rnd.int(50));
      const full = v.slice().sort((a, b) => a - b);
      const l = rnd.int(n);
      const r = Math.min(n - 1, l + rnd.int(20));
      const p = v.slice();
      pqsort(p, (a, b) => a - b, l, r);
      expect(p.slice(l, r + 1)).toEqual(full.slice(l, r + 1));
      expect(p.slice().sort((a, b) => a - b)).toEqual(full);
    }
  });
});
