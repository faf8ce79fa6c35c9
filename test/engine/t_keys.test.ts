import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { stringMatch } from '../../src/engine/util';
import { parseScanCursor } from '../../src/engine/t_keys';
import { dupObject, RObj, createStringObject } from '../../src/engine/object';
import type { Engine } from '../../src/engine/engine';

const resp = (e: Engine, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const bulkArr = (...items: string[]) => `*${items.length}\r\n` + items.map((s) => `$${s.length}\r\n${s}\r\n`).join('');

describe('stringMatch (Redis stringmatchlen)', () => {
  // [pattern, string, expected] checked against redis-server 7.0.15 with KEYS.
  const table: [string, string, boolean][] = [
    ['*', 'anything', true],
    ['*', '', false], // KEYS * and SCAN MATCH * shortcut before matching, so they still list ""
    ['**', '', false], // a '*' never matches an exhausted string
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*o', 'hello', true],
    ['h[ae]llo', 'hello', true],
    ['h[^e]llo', 'hello', false],
    ['h[^a]llo', 'hello', true],
    ['h[a-f]llo', 'hello', true],
    ['h[f-a]llo', 'hello', true], // reversed ranges are swapped
    ['hel\\lo', 'hello', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a[*]b', 'a*b', true],
    ['[a', 'a', true], // unterminated bracket: the listed chars still match
    ['[^', 'a', true],
    ['[', 'a', false],
    ['[a-]', 'a', true], // ']' is consumed as the range end
    ['[a-]', 'b', false],
    ['[\\a]', 'a', true],
    ['[\x00-\xff]', 'b', false], // signed chars: the range is -1..0
    ['[\x00-\xff]', '\xff', true],
    ['[\x00-\xff]', '\x00', true],
    ['[\x80-\xfe]', '\xff', false],
    ['[a-\xff]', 'b', false],
    ['?\xff', '\x00\xff', true],
    ['HELLO', 'hello', false],
    ['h*', 'h', true],
    ['*a', '', false],
    ['a*', 'a', true],
  ];
  for (const [p, s, want] of table) {
    it(`${JSON.stringify(p)} ~ ${JSON.stringify(s)} -> ${want}`, () => {
      expect(stringMatch(p, s)).toBe(want);
    });
  }
  it('nocase', () => {
    expect(stringMatch('HELLO', 'hello', true)).toBe(true);
    expect(stringMatch('h[A-Z]llo', 'hello', true)).toBe(true);
  });
  it('stays fast on abusive patterns (skipLongerMatches)', () => {
    const t0 = Date.now();
    expect(stringMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('gives up past 1000 nested stars', () => {
    expect(stringMatch('*a'.repeat(1001), 'a'.repeat(1001))).toBe(false);
    expect(stringMatch('*a'.repeat(999), 'a'.repeat(999))).toBe(true);
  });
});

describe('parseScanCursor (strtoul)', () => {
  it('accepts what Redis accepts', () => {
    expect(parseScanCursor('0')).toBe(0n);
    expect(parseScanCursor('')).toBe(0n);
    expect(parseScanCursor('+7')).toBe(7n);
    expect(parseScanCursor('-1')).toBe(18446744073709551615n);
    expect(parseScanCursor('-18446744073709551615')).toBe(1n);
    expect(parseScanCursor('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseScanCursor('5\x00junk')).toBe(5n);
  });
  it('refuses the rest', () => {
    for (const s of [' 0', '0 ', 'x', '1x', '-', '+', '18446744073709551616', '-18446744073709551616']) {
      expect(parseScanCursor(s)).toBe(null);
    }
  });
});

describe('DEL / UNLINK / EXISTS / TOUCH / TYPE', () => {
  it('counts and dirties', () => {
    const e = createEngine();
    resp(e, 'SET', 'a', '1');
    resp(e, 'SET', 'b', '2');
    const d0 = e.dirty;
    expect(resp(e, 'DEL', 'a', 'b', 'c', 'a')).toBe(':2\r\n');
    expect(e.dirty - d0).toBe(2);
    expect(resp(e, 'UNLINK', 'a')).toBe(':0\r\n');
    resp(e, 'SET', 'a', '1');
    expect(resp(e, 'EXISTS', 'a', 'a', 'x')).toBe(':2\r\n');
    expect(resp(e, 'TOUCH', 'a', 'a', 'x')).toBe(':2\r\n');
    expect(resp(e, 'TYPE', 'a')).toBe('+string\r\n');
    expect(resp(e, 'TYPE', 'x')).toBe('+none\r\n');
  });
  it('DEL invalidates WATCH', () => {
    const e = createEngine();
    resp(e, 'SET', 'a', '1');
    const c = e.createClient();
    e.watchedKeys.set('0\0a', new Set([c]));
    resp(e, 'DEL', 'a');
    expect(c.dirtyCas).toBe(true);
  });
});

describe('KEYS', () => {
  it('visits every key once: one step per entry', () => {
    const e = createEngine();
    for (let i = 0; i < 10; i++) e.exec(['SET', 'k' + i, 'v']);
    const r = e.exec(['KEYS', '*']);
    expect(r.reply.t).toBe('array');
    expect((r.reply as { v: unknown[] }).v.length).toBe(10);
    expect(r.steps).toBe(10);
    expect(resp(e, 'KEYS', 'k7')).toBe(bulkArr('k7'));
    expect(resp(e, 'KEYS', 'k1[0-9]')).toBe('*0\r\n');
  });
  it('skips logically expired keys without deleting them', () => {
    const clock = new ManualClock(1000);
    const e = createEngine({ clock });
    resp(e, 'SET', 'a', '1');
    resp(e, 'PEXPIRE', 'a', '10');
    clock.advance(11);
    expect(resp(e, 'KEYS', '*')).toBe('*0\r\n');
    expect(e.dbs[0].dict.size()).toBe(1);
    expect(e.stats.expiredKeys).toBe(0);
  });
});

describe('SCAN', () => {
  const scanAll = (e: Engine, extra: string[] = []) => {
    const seen: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const r = e.exec(['SCAN', cursor, ...extra]).reply as { t: 'array'; v: any[] };
      cursor = r.v[0].v;
      for (const k of r.v[1].v) seen.push(k.v);
      calls++;
    } while (cursor !== '0' && calls < 10000);
    return { seen, calls };
  };

  it('returns every key exactly once over a full iteration', () => {
    const e = createEngine({ seed: 3 });
    for (let i = 0; i < 200; i++) e.exec(['SET', 'key:' + i, 'v']);
    for (const count of ['1', '7', '10', '1000']) {
      const { seen } = scanAll(e, ['COUNT', count]);
      expect(seen.length).toBe(200);
      expect(new Set(seen).size).toBe(200);
    }
    const { seen } = scanAll(e, ['MATCH', 'key:1?']);
    expect(seen.sort()).toEqual(['key:10', 'key:11', 'key:12', 'key:13', 'key:14', 'key:15', 'key:16', 'key:17', 'key:18', 'key:19']);
  });

  it('returns keys present for the whole scan at least once across a rehash', () => {
    const e = createEngine({ seed: 9 });
    for (let i = 0; i < 50; i++) e.exec(['SET', 'old' + i, 'v']);
    const seen = new Set<string>();
    let cursor = '0';
    let n = 0;
    do {
      const r = e.exec(['SCAN', cursor, 'COUNT', '3']).reply as { t: 'array'; v: any[] };
      cursor = r.v[0].v;
      for (const k of r.v[1].v) seen.add(k.v);
      for (let j = 0; j < 5; j++) e.exec(['SET', `new${n}_${j}`, 'v']); // forces growth and rehashing
      n++;
    } while (cursor !== '0');
    for (let i = 0; i < 50; i++) expect(seen.has('old' + i)).toBe(true);
  });

  it('ignores cursor bits above the table mask', () => {
    const e = createEngine();
    for (let i = 0; i < 20; i++) e.exec(['SET', 'k' + i, 'v']);
    const a = resp(e, 'SCAN', '5', 'COUNT', '1');
    const b = resp(e, 'SCAN', String(5n + (1n << 40n)), 'COUNT', '1');
    const c = resp(e, 'SCAN', String(5n + (1n << 63n)), 'COUNT', '1');
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('filters by TYPE and deletes expired keys it meets', () => {
    const clock = new ManualClock(1000);
    const e = createEngine({ clock });
    resp(e, 'SET', 'a', '1');
    resp(e, 'PEXPIRE', 'a', '10');
    clock.advance(11);
    expect(resp(e, 'SCAN', '0', 'TYPE', 'string')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
    expect(e.dbs[0].dict.size()).toBe(0);
    expect(e.stats.expiredKeys).toBe(1);
  });

  it('errors', () => {
    const e = createEngine();
    expect(resp(e, 'SCAN', 'x')).toBe('-ERR invalid cursor\r\n');
    expect(resp(e, 'SCAN', '0', 'COUNT', '0')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'SCAN', '0', 'COUNT', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'SCAN', '0', 'MATCH')).toBe('-ERR syntax error\r\n');
  });
});

describe('RANDOMKEY', () => {
  it('is reproducible with a seed and returns existing keys', () => {
    const run = () => {
      const e = createEngine({ seed: 42 });
      for (let i = 0; i < 100; i++) e.exec(['SET', 'k' + i, 'v']);
      const out: string[] = [];
      for (let i = 0; i < 20; i++) out.push((e.exec(['RANDOMKEY']).reply as { v: string }).v);
      return out;
    };
    const a = run();
    expect(run()).toEqual(a);
    for (const k of a) expect(k).toMatch(/^k\d+$/);
    expect(new Set(a).size).toBeGreaterThan(5);
  });
  it('skips and deletes expired keys', () => {
    const clock = new ManualClock(1000);
    const e = createEngine({ clock, seed: 5 });
    for (let i = 0; i < 30; i++) { resp(e, 'SET', 'x' + i, 'v'); resp(e, 'PEXPIRE', 'x' + i, '10'); }
    resp(e, 'SET', 'live', 'v');
    clock.advance(11);
    expect(resp(e, 'RANDOMKEY')).toBe('$4\r\nlive\r\n');
    expect(e.stats.expiredKeys).toBe(30 - (e.dbs[0].dict.size() - 1));
    expect(e.stats.expiredKeys).toBeGreaterThan(0);
  });
  it('nil on an empty db; nil when every key expired', () => {
    const clock = new ManualClock(1000);
    const e = createEngine({ clock });
    expect(resp(e, 'RANDOMKEY')).toBe('$-1\r\n');
    resp(e, 'SET', 'a', '1');
    resp(e, 'PEXPIRE', 'a', '1');
    clock.advance(2);
    expect(resp(e, 'RANDOMKEY')).toBe('$-1\r\n');
    expect(e.dbs[0].dict.size()).toBe(0);
  });
});

describe('RENAME / MOVE / COPY', () => {
  it('RENAME keeps the object (and its LFU counter) and moves the TTL', () => {
    const clock = new ManualClock(1_000_000);
    const e = createEngine({ clock, config: { maxmemoryPolicy: 'allkeys-lfu' } });
    resp(e, 'SET', 'a', 'v');
    resp(e, 'PEXPIRE', 'a', '5000');
    const o = e.dbs[0].dict.get('a')!;
    o.lru = (o.lru & ~255) | 200; // a hot key
    expect(resp(e, 'RENAME', 'a', 'b')).toBe('+OK\r\n');
    expect(e.dbs[0].dict.get('b')).toBe(o);
    expect(o.lru & 255).toBeGreaterThanOrEqual(200); // not reset to LFU_INIT_VAL
    expect(e.dbs[0].getExpire('b')).toBe(1_005_000);
    expect(e.dbs[0].getExpire('a')).toBe(-1);
    expect(resp(e, 'RENAME', 'a', 'b')).toBe('-ERR no such key\r\n');
  });
  it('MOVE and COPY across dbs', () => {
    const e = createEngine();
    resp(e, 'SET', 'a', 'v');
    expect(resp(e, 'MOVE', 'a', '0')).toBe('-ERR source and destination objects are the same\r\n');
    expect(resp(e, 'COPY', 'a', 'a')).toBe('-ERR source and destination objects are the same\r\n');
    expect(resp(e, 'COPY', 'a', 'a', 'DB', '3')).toBe(':1\r\n');
    expect(e.dbs[3].dict.get('a')!.ptr).toBe('v');
    expect(e.dbs[3].dict.get('a')).not.toBe(e.dbs[0].dict.get('a'));
    expect(resp(e, 'MOVE', 'a', '3')).toBe(':0\r\n');
    expect(resp(e, 'MOVE', 'a', '4')).toBe(':1\r\n');
    expect(e.dbs[0].dict.size()).toBe(0);
    expect(resp(e, 'MOVE', 'a', '16')).toBe('-ERR DB index is out of range\r\n');
  });
  it('dupObject deep-copies structures and keeps the encoding', () => {
    const s = createStringObject('12345');
    const s2 = dupObject(s);
    expect(s2).not.toBe(s);
    expect([s2.type, s2.encoding, s2.ptr]).toEqual(['string', 'int', '12345']);
    class Box { constructor(public items: string[]) {} clone() { return new Box([...this.items]); } }
    const l = new RObj('list', 'quicklist', new Box(['x']));
    const l2 = dupObject(l);
    (l2.ptr as Box).items.push('y');
    expect((l.ptr as Box).items).toEqual(['x']);
    expect([l2.type, l2.encoding]).toEqual(['list', 'quicklist']);
  });
});
