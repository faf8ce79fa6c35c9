/**
 * String commands: INCRBYFLOAT's long-double arithmetic and formatting, encodings, TTL handling,
 * WRONGTYPE paths (with a non-string object planted in the keyspace), dirty / WATCH signals, steps.
 * Every expected value below was read from redis-server 7.0.15.
 */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { createEngine, ManualClock } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { RObj } from '../../src/engine/object';

type E = ReturnType<typeof createEngine>;
const resp = (e: E, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const enc = (e: E, key: string) => e.dbs[0].dict.get(key)?.encoding;
const fresh = () => createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 1 });

/** [initial value, increment, reply] from redis-server 7.0.15. */
const INCRBYFLOAT_TABLE: [string, string, string][] = [
  ['10.5', '0.1', '10.6'],
  ['5.0e3', '2.0e2', '5200'],
  ['0.1', '0.2', '0.3'],
  ['3.0000000000000001', '0', '3.0000000000000001'],
  ['0', '0.000003814697265625', '0.00000381469726562'],
  ['1.1', '2.2', '3.3'],
  ['1e20', '1e-5', '100000000000000000000'],
  ['-1.5', '1.5', '0'],
  ['123456789.123456789', '0.000000001', '123456789.12345678999554366'],
  ['0x1p-18', '0', '0.00000381469726562'],
  ['9223372036854775807', '1', '9223372036854775808'],
  ['-1e-30', '0', '0'],
  ['0.1', '-0.1', '0'],
  ['1e-4950', '0', '0'],
  ['2.5e-17', '0', '0.00000000000000002'],
  ['1.23456789012345678901234567890', '0', '1.23456789012345679'],
  ['99999999999999999999', '1', '100000000000000000000'],
  ['0.3333333333333333333333', '0.6666666666666666666667', '1'],
  ['1e30', '1', '1000000000000000000024696061952'],
  ['-7.77', '-2.23', '-10'],
];

/** Long results: [initial, increment, length, first 40 chars, sha256 prefix]. */
const INCRBYFLOAT_LONG: [string, string, number, string, string][] = [
  ['1e308', '1e308', 309, '1999999999999999999933717593116912913211', 'd0421bd8c214cfd8'],
  ['1.7976931348623157e308', '0', 309, '1797693134862315699959210467741044340483', '7bcb86244d49b627'],
  ['1e4000', '0', 4000, '9999999999999999999965463873099623784932', '5b56729d9b9cbc79'],
];

describe('INCRBYFLOAT (80-bit long double, %.17Lf)', () => {
  it.each(INCRBYFLOAT_TABLE)('%s + %s = %s', (init, incr, out) => {
    const e = fresh();
    expect(resp(e, 'SET', 't', init)).toBe('+OK\r\n');
    expect(resp(e, 'INCRBYFLOAT', 't', incr)).toBe(bulk(out));
    expect(resp(e, 'GET', 't')).toBe(bulk(out));
  });

  it.each(INCRBYFLOAT_LONG)('%s + %s has the exact digits', (init, incr, len, head, sha) => {
    const e = fresh();
    e.exec(['SET', 't', init]);
    const r = e.exec(['INCRBYFLOAT', 't', incr]).reply as { t: 'bulk'; v: string };
    expect(r.t).toBe('bulk');
    expect(r.v.length).toBe(len);
    expect(r.v.slice(0, 40)).toBe(head);
    expect(createHash('sha256').update(r.v).digest('hex').slice(0, 16)).toBe(sha);
  });

  it('accumulates like the server', () => {
    const e = fresh();
    expect(resp(e, 'INCRBYFLOAT', 'g', '0.1')).toBe(bulk('0.1'));
    expect(resp(e, 'INCRBYFLOAT', 'g', '0.2')).toBe(bulk('0.3'));
    expect(resp(e, 'INCRBYFLOAT', 'g', '0.3')).toBe(bulk('0.6'));
    expect(resp(e, 'INCRBYFLOAT', 'h', '1e308')).toMatch(/^\$308\r\n99999999999999999996685879655845645660/);
  });

  it('rejects what strtold + string2ld reject', () => {
    const e = fresh();
    for (const bad of ['abc', '', ' 1', '1 ', '1e', '0x', 'nan', '-nan', 'infinit', '1,5', '1\x00', '1e5000', '1e-4951', '-1e-5000']) {
      expect(resp(e, 'INCRBYFLOAT', 'f', bad)).toBe('-ERR value is not a valid float\r\n');
    }
    for (const inf of ['inf', '-infinity', 'INF', '+Inf']) {
      expect(resp(e, 'INCRBYFLOAT', 'f', inf)).toBe('-ERR increment would produce NaN or Infinity\r\n');
    }
    expect(resp(e, 'EXISTS', 'f')).not.toBe(':1\r\n');
    e.exec(['SET', 's', 'inf']);
    expect(resp(e, 'INCRBYFLOAT', 's', '1')).toBe('-ERR increment would produce NaN or Infinity\r\n');
    e.exec(['SET', 's', '1.5 ']);
    expect(resp(e, 'INCRBYFLOAT', 's', '1')).toBe('-ERR value is not a valid float\r\n');
    e.exec(['SET', 's', '1e4932']);
    expect(resp(e, 'INCRBYFLOAT', 's', '1e4932')).toBe('-ERR increment would produce NaN or Infinity\r\n');
  });
});

describe('encodings (OBJECT ENCODING on the real server)', () => {
  it('follows tryObjectEncoding and the in-place writers', () => {
    const e = fresh();
    const cases: [string[], string, string][] = [
      [['SET', 'a', '12'], 'a', 'int'],
      [['APPEND', 'a', ''], 'a', 'raw'],
      [['SET', 'b', '007'], 'b', 'embstr'],
      [['SET', 'c', '1'.repeat(44)], 'c', 'embstr'],
      [['SET', 'c', '1'.repeat(45)], 'c', 'raw'],
      [['SET', 'd', '9223372036854775808'], 'd', 'embstr'],
      [['SET', 'd', '-9223372036854775808'], 'd', 'int'],
      [['INCRBYFLOAT', 'e', '1e40'], 'e', 'embstr'],
      [['INCRBYFLOAT', 'e2', '1e50'], 'e2', 'raw'],
      [['MSET', 'm1', '5', 'm2', 'hello'], 'm1', 'int'],
      [['SET', 'x', 'abc'], 'x', 'embstr'],
      [['SETRANGE', 'x', '0', ''], 'x', 'embstr'],
      [['SETRANGE', 'x', '0', 'z'], 'x', 'raw'],
      [['SETBIT', 'nb', '3', '1'], 'nb', 'raw'],
      [['APPEND', 'na', 'hello'], 'na', 'embstr'],
      [['APPEND', 'ni', '123'], 'ni', 'int'],
      [['PSETEX', 'p', '100000', '12'], 'p', 'int'],
      [['SETEX', 'p2', '100', '99'], 'p2', 'int'],
      [['SETNX', 'q', '55'], 'q', 'int'],
      [['GETSET', 'q', '5'], 'q', 'int'],
      [['SET', 's', '1.5'], 's', 'embstr'],
      [['INCRBYFLOAT', 's', '1.5'], 's', 'embstr'],
      [['SETRANGE', 'i', '0', '3'], 'i', 'raw'],
      [['INCR', 'i'], 'i', 'int'],
      [['SETRANGE', 'nn', '2', 'ab'], 'nn', 'raw'],
      [['SET', 'bb', '12'], 'bb', 'int'],
      [['BITCOUNT', 'bb'], 'bb', 'int'],
      [['GETBIT', 'bb', '2'], 'bb', 'int'],
      [['SETBIT', 'bb', '0', '0'], 'bb', 'raw'],
    ];
    for (const [argv, key, encoding] of cases) {
      const r = e.exec(argv).reply;
      expect(r.t, argv.join(' ')).not.toBe('error');
      expect(enc(e, key), argv.join(' ')).toBe(encoding);
    }
    expect(resp(e, 'GET', 'nn')).toBe(bulk('\0\0ab'));
    expect(resp(e, 'GET', 'i')).toBe(bulk('4'));
  });
});

describe('WRONGTYPE on a non-string key', () => {
  it('every string command refuses a list and leaves it alone', () => {
    const e = fresh();
    const list = new RObj('list', 'quicklist', null);
    e.dbs[0].dict.add('l', list);
    e.exec(['SET', 'k', 'v']);
    const WT = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
    for (const argv of [
      ['GET', 'l'], ['GETSET', 'l', 'v'], ['GETDEL', 'l'], ['GETEX', 'l'], ['GETEX', 'l', 'EX', 'abc'],
      ['SET', 'l', 'v', 'GET'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'],
      ['SUBSTR', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x'], ['INCR', 'l'], ['DECR', 'l'], ['INCRBY', 'l', '1'],
      ['DECRBY', 'l', '1'], ['INCRBYFLOAT', 'l', '1'], ['INCRBYFLOAT', 'l', 'abc'], ['SETBIT', 'l', '0', '1'],
      ['GETBIT', 'l', '0'], ['BITCOUNT', 'l'], ['BITCOUNT', 'l', 'a', 'b'], ['BITPOS', 'l', '1'], ['BITPOS', 'l', '1', 'x'],
      ['SET', 'l', 'v', 'EX', '10', 'GET'],
    ]) {
      expect(resp(e, ...argv), argv.join(' ')).toBe(WT);
    }
    // Parse errors that come before the type check.
    expect(resp(e, 'INCRBY', 'l', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'GETRANGE', 'l', 'x', '1')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'SETRANGE', 'l', '-1', 'x')).toBe('-ERR offset is out of range\r\n');
    expect(resp(e, 'SETBIT', 'l', 'x', '1')).toBe('-ERR bit offset is not an integer or out of range\r\n');
    expect(resp(e, 'SETBIT', 'l', '0', 'x')).toBe('-ERR bit is not an integer or out of range\r\n');
    expect(resp(e, 'BITPOS', 'l', '2')).toBe('-ERR The bit argument must be 1 or 0.\r\n');
    expect(resp(e, 'GETEX', 'l', 'FOO')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'SET', 'l', 'v', 'EX', 'abc', 'GET')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(resp(e, 'LCS', 'k', 'l')).toBe('-ERR The specified keys must contain string values\r\n');
    expect(resp(e, 'LCS', 'l', 'k')).toBe('-ERR The specified keys must contain string values\r\n');
    expect(resp(e, 'MGET', 'k', 'l', 'missing')).toBe('*3\r\n$1\r\nv\r\n$-1\r\n$-1\r\n');
    expect(e.dbs[0].dict.get('l')).toBe(list);
    // Plain SET / MSET / SETEX overwrite any type.
    expect(resp(e, 'SETEX', 'l', '10', 'v')).toBe('+OK\r\n');
    expect(enc(e, 'l')).toBe('embstr');
  });
});

describe('TTL handling', () => {
  it('SET EX/PX/EXAT/PXAT, KEEPTTL, plain SET, GETEX PERSIST and lazy expiry', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const e = createEngine({ clock, seed: 1 });
    const db = e.dbs[0];
    e.exec(['SET', 'k', 'v', 'EX', '100']);
    expect(db.getExpire('k')).toBe(1_700_000_100_000);
    e.exec(['SET', 'k', 'v', 'PX', '1500']);
    expect(db.getExpire('k')).toBe(1_700_000_001_500);
    e.exec(['SET', 'k', 'v', 'EXAT', '1800000000']);
    expect(db.getExpire('k')).toBe(1_800_000_000_000);
    e.exec(['SET', 'k', 'v', 'PXAT', '1800000000123']);
    expect(db.getExpire('k')).toBe(1_800_000_000_123);
    e.exec(['SET', 'k', 'w', 'KEEPTTL']);
    expect(db.getExpire('k')).toBe(1_800_000_000_123);
    e.exec(['INCRBYFLOAT', 'k2', '1']);
    e.exec(['APPEND', 'k', 'x']);
    e.exec(['SETRANGE', 'k', '0', 'y']);
    e.exec(['SETBIT', 'k', '0', '1']);
    expect(db.getExpire('k')).toBe(1_800_000_000_123);
    e.exec(['GETSET', 'k', 'v']);
    expect(db.getExpire('k')).toBe(-1);
    e.exec(['SETEX', 'k', '10', 'v']);
    expect(db.getExpire('k')).toBe(1_700_000_010_000);
    e.exec(['INCR', 'k2']);
    e.exec(['SET', 'k', 'v2']);
    expect(db.getExpire('k')).toBe(-1);
    e.exec(['GETEX', 'k', 'PX', '2000']);
    expect(db.getExpire('k')).toBe(1_700_000_002_000);
    expect(resp(e, 'GETEX', 'k', 'PERSIST')).toBe(bulk('v2'));
    expect(db.getExpire('k')).toBe(-1);
    e.exec(['PSETEX', 'k', '1000', 'v3']);
    clock.advance(1000);
    expect(resp(e, 'GET', 'k')).toBe(bulk('v3'));
    clock.advance(1);
    expect(resp(e, 'GET', 'k')).toBe('$-1\r\n');
    // An absolute time in the past: SET keeps the key until it is looked up; GETEX deletes it.
    e.exec(['SET', 'p', 'v', 'EXAT', '1']);
    expect(e.dbs[0].dict.has('p')).toBe(true);
    expect(resp(e, 'GET', 'p')).toBe('$-1\r\n');
    e.exec(['SET', 'p', 'v']);
    expect(resp(e, 'GETEX', 'p', 'EXAT', '1')).toBe(bulk('v'));
    expect(e.dbs[0].dict.has('p')).toBe(false);
  });

  it('expire time errors', () => {
    const e = fresh();
    const inv = (cmd: string) => `-ERR invalid expire time in '${cmd}' command\r\n`;
    expect(resp(e, 'SET', 'k', 'v', 'EX', '0')).toBe(inv('set'));
    expect(resp(e, 'SET', 'k', 'v', 'EX', '9223372036854776')).toBe(inv('set'));
    expect(resp(e, 'SET', 'k', 'v', 'PX', '9223372036854775807')).toBe(inv('set'));
    expect(resp(e, 'SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe('+OK\r\n');
    expect(resp(e, 'SETEX', 'k', '0', 'v')).toBe(inv('setex'));
    expect(resp(e, 'PSETEX', 'k', '-1', 'v')).toBe(inv('psetex'));
    expect(resp(e, 'GETEX', 'k', 'EX', '0')).toBe(inv('getex'));
    expect(resp(e, 'SET', 'k', 'v', 'KEEPTTL', 'EX', '1')).toBe('-ERR syntax error\r\n');
    expect(resp(e, 'SET', 'k', 'v', 'NX', 'XX')).toBe('-ERR syntax error\r\n');
  });
});

describe('writes signal and count', () => {
  it('increments dirty and touches WATCHed keys only on real writes', () => {
    const e = fresh();
    const c = e.defaultClient;
    const watch = () => { c.dirtyCas = false; e.watchedKeys.set('0\0k', new Set([c])); };
    const writes: string[][] = [
      ['SET', 'k', 'v'], ['SETNX', 'k2', 'v'], ['SETEX', 'k', '10', 'v'], ['PSETEX', 'k', '10', 'v'], ['GETSET', 'k', 'v'],
      ['APPEND', 'k', 'x'], ['SETRANGE', 'k', '0', 'y'], ['SET', 'k', '1'], ['INCR', 'k'], ['DECR', 'k'], ['INCRBY', 'k', '2'],
      ['DECRBY', 'k', '2'], ['INCRBYFLOAT', 'k', '1.5'], ['SETBIT', 'k', '1', '1'], ['GETEX', 'k', 'EX', '10'],
      ['GETEX', 'k', 'PERSIST'], ['MSET', 'k', 'v'], ['GETDEL', 'k'],
    ];
    for (const argv of writes) {
      watch();
      const before = e.dirty;
      e.exec(argv);
      expect(e.dirty, argv.join(' ')).toBeGreaterThan(before);
      if (argv[1] === 'k') expect(c.dirtyCas, argv.join(' ')).toBe(true);
    }
    e.exec(['SET', 'k', 'v']);
    const reads: string[][] = [
      ['GET', 'k'], ['MGET', 'k'], ['STRLEN', 'k'], ['GETRANGE', 'k', '0', '1'], ['GETBIT', 'k', '0'], ['BITCOUNT', 'k'],
      ['BITPOS', 'k', '1'], ['LCS', 'k', 'k'], ['GETEX', 'k'], ['GETEX', 'k', 'PERSIST'], ['SETNX', 'k', 'w'],
      ['SET', 'k', 'w', 'NX'], ['SETRANGE', 'k', '0', ''], ['MSETNX', 'k', 'w'],
      ['INCR', 'k'], ['SET', 'nope', 'v', 'XX'],
    ];
    for (const argv of reads) {
      watch();
      const before = e.dirty;
      e.exec(argv);
      expect(e.dirty, argv.join(' ')).toBe(before);
      expect(c.dirtyCas, argv.join(' ')).toBe(false);
    }
    e.watchedKeys.clear();
  });
});

describe('bits and ranges', () => {
  it('BITCOUNT and BITPOS count one step per byte scanned', () => {
    const e = fresh();
    e.exec(['SET', 'a', 'x'.repeat(10)]);
    const sa = e.exec(['BITCOUNT', 'a']).steps;
    e.exec(['SET', 'a', 'x'.repeat(30)]);
    const sb = e.exec(['BITCOUNT', 'a']).steps;
    expect(sb - sa).toBe(20);
    e.exec(['SET', 'z', '\0'.repeat(10)]);
    const s10 = e.exec(['BITPOS', 'z', '1']).steps;
    e.exec(['SET', 'z', '\0'.repeat(25)]);
    expect(e.exec(['BITPOS', 'z', '1']).steps - s10).toBe(15);
  });

  it('examples from the docs', () => {
    const e = fresh();
    e.exec(['SET', 'mykey', 'foobar']);
    expect(resp(e, 'BITCOUNT', 'mykey')).toBe(':26\r\n');
    expect(resp(e, 'BITCOUNT', 'mykey', '0', '0')).toBe(':4\r\n');
    expect(resp(e, 'BITCOUNT', 'mykey', '1', '1')).toBe(':6\r\n');
    expect(resp(e, 'BITCOUNT', 'mykey', '1', '1', 'BYTE')).toBe(':6\r\n');
    expect(resp(e, 'BITCOUNT', 'mykey', '5', '30', 'BIT')).toBe(':17\r\n');
    e.exec(['SET', 'mykey', '\xff\xf0\x00']);
    expect(resp(e, 'BITPOS', 'mykey', '0')).toBe(':12\r\n');
    e.exec(['SET', 'mykey', '\x00\xff\xf0']);
    expect(resp(e, 'BITPOS', 'mykey', '1', '0')).toBe(':8\r\n');
    expect(resp(e, 'BITPOS', 'mykey', '1', '2')).toBe(':16\r\n');
    expect(resp(e, 'BITPOS', 'mykey', '1', '2', '-1', 'BYTE')).toBe(':16\r\n');
    expect(resp(e, 'BITPOS', 'mykey', '1', '7', '15', 'BIT')).toBe(':8\r\n');
    e.exec(['SET', 'mykey', '\x00\x00\x00']);
    expect(resp(e, 'BITPOS', 'mykey', '1')).toBe(':-1\r\n');
    expect(resp(e, 'BITPOS', 'mykey', '1', '7', '-3', 'BIT')).toBe(':-1\r\n');
    e.exec(['MSET', 'key1', 'ohmytext', 'key2', 'mynewtext']);
    expect(resp(e, 'LCS', 'key1', 'key2')).toBe(bulk('mytext'));
    expect(resp(e, 'LCS', 'key1', 'key2', 'LEN')).toBe(':6\r\n');
    expect(resp(e, 'LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      '*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n');
    expect(encodeReply(e.exec(['LCS', 'key1', 'key2', 'IDX']).reply, 3)).toBe(
      '%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n');
  });

  it('size limits (proto-max-bulk-len)', () => {
    const e = fresh();
    const tooBig = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';
    expect(resp(e, 'SETRANGE', 'k', '536870912', 'x')).toBe(tooBig);
    expect(resp(e, 'SETRANGE', 'k', '9223372036854775807', 'x')).toBe(tooBig);
    expect(resp(e, 'SETRANGE', 'k', '536870912', '')).toBe(':0\r\n');
    expect(resp(e, 'SETBIT', 'k', '4294967296', '1')).toBe('-ERR bit offset is not an integer or out of range\r\n');
    e.config.protoMaxBulkLen = 10;
    e.exec(['SET', 'k', '12345678']);
    expect(resp(e, 'APPEND', 'k', '123')).toBe(tooBig);
    expect(resp(e, 'APPEND', 'k', '12')).toBe(':10\r\n');
    expect(resp(e, 'SETBIT', 'k', '80', '1')).toBe('-ERR bit offset is not an integer or out of range\r\n');
    expect(resp(e, 'SETBIT', 'k', '79', '1')).toBe(':0\r\n');
  });

  it('INCR family overflow and parsing', () => {
    const e = fresh();
    e.exec(['SET', 'c', '9223372036854775806']);
    expect(resp(e, 'INCR', 'c')).toBe(':9223372036854775807\r\n');
    expect(resp(e, 'INCR', 'c')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(resp(e, 'DECRBY', 'c', '-9223372036854775808')).toBe('-ERR decrement would overflow\r\n');
    expect(resp(e, 'INCRBY', 'c', '-9223372036854775808')).toBe(':-1\r\n');
    for (const bad of [' 1', '1 ', '+1', '01', '-0', '1.0', '', '9223372036854775808']) {
      e.exec(['SET', 's', bad]);
      expect(resp(e, 'INCR', 's'), JSON.stringify(bad)).toBe('-ERR value is not an integer or out of range\r\n');
    }
  });
});
