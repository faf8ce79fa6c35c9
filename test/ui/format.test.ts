/**
 * Reply formatting against real redis-cli 7.0.15 output. Each expected string was copied from
 * `redis-cli --no-raw` (TTY formatting) talking to redis-server 7.0.15; the reply is the same
 * reply built by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/engine/types';
import { formatFor, formatReply, quoteBytes } from '../../src/ui/format';

const b = (v: string): Reply => ({ t: 'bulk', v });
const i = (v: number | bigint): Reply => ({ t: 'int', v });
const st = (v: string): Reply => ({ t: 'status', v });
const arr = (...v: Reply[]): Reply => ({ t: 'array', v });
const set = (...v: Reply[]): Reply => ({ t: 'set', v });
const map = (...v: Reply[]): Reply => ({ t: 'map', v });

const cases: [string, Reply, string][] = [
  ['SET greeting hello', st('OK'), 'OK'],
  ['GET greeting', b('hello'), '"hello"'],
  ['INCR n', i(1), '(integer) 1'],
  ['INCRBY neg -5', i(-5), '(integer) -5'],
  ['big integer', i(9223372036854775807n), '(integer) 9223372036854775807'],
  ['GET missing', { t: 'nil' }, '(nil)'],
  ['BLPOP nolist 0.01 (null array)', { t: 'nilarray' }, '(nil)'],
  ['EXEC without MULTI', { t: 'error', v: 'ERR EXEC without MULTI' }, '(error) ERR EXEC without MULTI'],
  ['FOO a b', { t: 'error', v: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' " },
    "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' "],
  // SET x "a\"b\\c\n\r\t\x01\a\b\xff é" (é as UTF-8), then GET x
  ['GET x (escapes)', b('a"b\\c\n\r\t\x01\x07\x08\xff \xc3\xa9'), '"a\\"b\\\\c\\n\\r\\t\\x01\\a\\b\\xff \\xc3\\xa9"'],
  ['empty string', b(''), '""'],
  ['LRANGE nope 0 -1', arr(), '(empty array)'],
  ['ZRANGE z 0 -1 WITHSCORES', arr(b('m'), b('1.5'), b('n'), b('2')), '1) "m"\n2) "1.5"\n3) "n"\n4) "2"'],
  ['LRANGE l 0 -1 (11 elements)', arr(...'abcdefghijk'.split('').map(b)),
    ' 1) "a"\n 2) "b"\n 3) "c"\n 4) "d"\n 5) "e"\n 6) "f"\n 7) "g"\n 8) "h"\n 9) "i"\n10) "j"\n11) "k"'],
  // RESP3 (redis-cli -3)
  ['-3 HGETALL nope', map(), '(empty hash)'],
  ['-3 SMEMBERS none', set(), '(empty set)'],
  ['-3 ZSCORE z m', { t: 'double', v: 1.5, s: '1.5' }, '(double) 1.5'],
  ['-3 SMEMBERS s', set(b('b'), b('a')), '1~ "b"\n2~ "a"'],
  ['-3 HGETALL h', map(b('f'), b('v'), b('g'), b('w')), '1# "f" => "v"\n2# "g" => "w"'],
  ['-3 DEBUG PROTOCOL true', { t: 'bool', v: true }, '(true)'],
  ['-3 DEBUG PROTOCOL false', { t: 'bool', v: false }, '(false)'],
  ['-3 DEBUG PROTOCOL null', { t: 'nil' }, '(nil)'],
  ['-3 DEBUG PROTOCOL verbatim', { t: 'verbatim', v: 'This is a verbatim\nstring', fmt: 'txt' }, 'This is a verbatim\nstring'],
  ['-3 DEBUG PROTOCOL map', map(i(0), { t: 'bool', v: false }, i(1), { t: 'bool', v: true }, i(2), { t: 'bool', v: false }),
    '1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)'],
  ['-3 DEBUG PROTOCOL set', set(i(0), i(1), i(2)), '1~ (integer) 0\n2~ (integer) 1\n3~ (integer) 2'],
  [
    '-3 COMMAND INFO get (nesting, right-aligned indexes, multi-line map values)',
    arr(arr(
      b('get'), i(2), set(st('readonly'), st('fast')), i(1), i(1), i(1),
      set(st('@read'), st('@string'), st('@fast')), set(),
      set(map(
        b('flags'), set(st('RO'), st('access')),
        b('begin_search'), map(b('type'), b('index'), b('spec'), map(b('index'), i(1))),
        b('find_keys'), map(b('type'), b('range'), b('spec'), map(b('lastkey'), i(0), b('keystep'), i(1), b('limit'), i(0))),
      )),
      set(),
    )),
    [
      '1)  1) "get"',
      '    2) (integer) 2',
      '    3) 1~ readonly',
      '       2~ fast',
      '    4) (integer) 1',
      '    5) (integer) 1',
      '    6) (integer) 1',
      '    7) 1~ @read',
      '       2~ @string',
      '       3~ @fast',
      '    8) (empty set)',
      '    9) 1~ 1# "flags" => ',
      '             1~ RO',
      '             2~ access',
      '          2# "begin_search" => ',
      '             1# "type" => "index"',
      '             2# "spec" => 1# "index" => (integer) 1',
      '          3# "find_keys" => ',
      '             1# "type" => "range"',
      '             2# "spec" => ',
      '                1# "lastkey" => (integer) 0',
      '                2# "keystep" => (integer) 1',
      '                3# "limit" => (integer) 0',
      '   10) (empty set)',
    ].join('\n'),
  ],
];

describe('formatReply (redis-cli 7.0 TTY output)', () => {
  it.each(cases)('%s', (_name, reply, expected) => {
    expect(formatReply(reply)).toBe(expected);
  });
});

describe('raw-output commands (INFO, CLIENT LIST ... as redis-cli prints them)', () => {
  it('INFO keyspace prints the text, not a quoted string', () => {
    expect(formatFor(['INFO', 'keyspace'], b('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n'))).toBe('# Keyspace\ndb0:keys=1,expires=0,avg_ttl=0');
  });
  it('an error of CLIENT LIST has no (error) prefix', () => {
    expect(formatFor(['CLIENT', 'LIST', 'TYPE', 'foo'], { t: 'error', v: "ERR Unknown client type 'foo'" })).toBe("ERR Unknown client type 'foo'");
  });
  it('other commands are not raw', () => {
    expect(formatFor(['GET', 'k'], b('v'))).toBe('"v"');
    expect(formatFor(['client', 'id'], i(3))).toBe('(integer) 3');
  });
});

describe('quoteBytes (sdscatrepr)', () => {
  it('escapes every byte >= 0x80 and control bytes as lower-case \\xNN', () => {
    expect(quoteBytes('\x00\x1f\x7f\x80\xAB')).toBe('"\\x00\\x1f\\x7f\\x80\\xab"');
  });
  it('keeps printable ASCII', () => {
    expect(quoteBytes(' ~<img>')).toBe('" ~<img>"');
  });
});
