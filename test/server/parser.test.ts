/**
 * The request parser (resp.ts RequestParser): multibulk, inline, pipelining, requests split at every
 * byte, and Redis 7.0.15's protocol errors (texts recorded from the real server).
 */
import { describe, it, expect } from 'vitest';
import { RequestParser, splitInlineArgs, parseLongLong, encodeCommand } from '../../src/engine/resp';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Feed `input` in the given slices; collect every request and the error. */
function parse(input: string | string[], opts?: ConstructorParameters<typeof RequestParser>[0]) {
  const p = new RequestParser(opts);
  const out: string[][] = [];
  for (const part of Array.isArray(input) ? input : [input]) {
    p.feed(bytes(part));
    for (let a = p.next(); a; a = p.next()) out.push(a);
  }
  return { out, error: p.error, pending: p.pending };
}

function splitEvery(s: string, n: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += n) parts.push(s.slice(i, i + n));
  return parts;
}

describe('multibulk', () => {
  it('parses one request', () => {
    expect(parse('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n').out).toEqual([['SET', 'a', 'b']]);
  });

  it('parses pipelined requests in one chunk', () => {
    const s = encodeCommand(['SET', 'k', 'v']) + encodeCommand(['GET', 'k']) + 'PING\r\n' + encodeCommand(['DEL', 'k']);
    expect(parse(s).out).toEqual([['SET', 'k', 'v'], ['GET', 'k'], ['PING'], ['DEL', 'k']]);
  });

  it('gives the same requests whatever the chunk boundaries', () => {
    const reqs = [['SET', 'key:1', 'x'.repeat(100)], ['MGET', 'a', '', 'c'], ['PING'], ['ECHO', '\r\n\0\xff']];
    const s = reqs.map(encodeCommand).join('') + 'SET inline "a b"\r\n\r\nGET x\n';
    const want = [...reqs, ['SET', 'inline', 'a b'], ['GET', 'x']];
    for (const n of [1, 2, 3, 5, 7, 16, 1000]) expect(parse(splitEvery(s, n)).out).toEqual(want);
  });

  it('keeps binary bytes: all 256 byte values', () => {
    let v = '';
    for (let i = 0; i < 256; i++) v += String.fromCharCode(i);
    expect(parse(encodeCommand(['SET', v, v])).out).toEqual([['SET', v, v]]);
    expect(parse(splitEvery(encodeCommand(['SET', v, v]), 3)).out).toEqual([['SET', v, v]]);
  });

  it('reads a big bulk argument that arrives in many chunks', () => {
    const big = 'z'.repeat(3_000_000);
    const parts = splitEvery(encodeCommand(['SET', 'big', big]) + encodeCommand(['GET', 'big']), 65536);
    const r = parse(parts);
    expect(r.out.length).toBe(2);
    expect(r.out[0][2].length).toBe(3_000_000);
    expect(r.out[0][2] === big).toBe(true);
    expect(r.pending).toBe(0);
  });

  it('skips *0 and negative counts, takes the two bytes after \\r and after the data unchecked', () => {
    expect(parse('*0\r\n*-1\r\n*-9223372036854775808\r\nPING\r\n').out).toEqual([['PING']]);
    expect(parse('*1\rX$4\r\nPING\r\n').out).toEqual([['PING']]);
    expect(parse('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nbXX\r\nPING\r\n').out).toEqual([['SET', 'a', 'b'], ['PING']]);
    expect(parse('*1\r\n$3\r\r\nfoo\r\n').out).toEqual([['\nfo']]);
    expect(parse('*1\r\n$0\r\n\r\n').out).toEqual([['']]);
  });

  it('waits while a count line has no byte after its \\r, or a NUL hides the \\r', () => {
    expect(parse('*1\r').out).toEqual([]);
    expect(parse(['*1\r', '\n$4\r\nPING\r\n']).out).toEqual([['PING']]);
    const r = parse('*1\r\n$4\0\r\nPING\r\n');
    expect(r.out).toEqual([]);
    expect(r.error).toBe(null);
  });
});

describe('protocol errors (Redis 7.0.15 texts)', () => {
  const cases: [string, string][] = [
    ['*x\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*-0\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*+2\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*02\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*2 \r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*2147483648\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*9223372036854775807\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*-9223372036854775809\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*2\r\n$x\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$-1\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$+4\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$04\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\nx3\r\n', "ERR Protocol error: expected '$', got 'x'"],
    ['*1\r\n\r\n', "ERR Protocol error: expected '$', got ' '"],
    ['*1\r\n\n3\r\n', "ERR Protocol error: expected '$', got ' '"],
    ['*1\r\n\xff3\r\n', "ERR Protocol error: expected '$', got '\xff'"],
    ['SET a "b\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['GET a"b c"d\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['GET "ab"c\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['*' + '1'.repeat(65537), 'ERR Protocol error: too big mbulk count string'],
    ['*1\r\n$' + '1'.repeat(65537), 'ERR Protocol error: too big bulk count string'],
    ['ECHO ' + 'a'.repeat(70000), 'ERR Protocol error: too big inline request'],
  ];
  for (const [input, err] of cases) {
    it(JSON.stringify(input.length > 40 ? input.slice(0, 20) + '...' : input), () => {
      const r = parse(input);
      expect(r.error).toBe(err);
      expect(r.pending).toBe(0);
    });
  }

  it('replies to the requests before the error, then stops', () => {
    const p = new RequestParser();
    p.feed(bytes('*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n'));
    expect(p.next()).toEqual(['PING']);
    expect(p.next()).toBe(null);
    expect(p.error).toBe('ERR Protocol error: invalid multibulk length');
    p.feed(bytes('PING\r\n'));
    expect(p.next()).toBe(null);
  });

  it('no error at the limits', () => {
    expect(parse('*' + '1'.repeat(65530)).error).toBe(null);
    expect(parse('*1\r\n$536870912\r\n').error).toBe(null);
    expect(parse('*2147483647\r\n').error).toBe(null);
    expect(parse('ECHO ' + 'a'.repeat(65531)).error).toBe(null);
  });

  it('stricter limits before AUTH when a password is required', () => {
    const auth = { authRequired: () => true };
    expect(parse('*11\r\n', auth).error).toBe('ERR Protocol error: unauthenticated multibulk length');
    expect(parse('*10\r\n', auth).error).toBe(null);
    expect(parse('*1\r\n$16385\r\n', auth).error).toBe('ERR Protocol error: unauthenticated bulk length');
    expect(parse('*1\r\n$16384\r\n', auth).error).toBe(null);
  });

  it('honours proto-max-bulk-len', () => {
    expect(parse('*1\r\n$101\r\n', { protoMaxBulkLen: 100 }).error).toBe('ERR Protocol error: invalid bulk length');
    expect(parse('*1\r\n$100\r\n', { protoMaxBulkLen: 100 }).error).toBe(null);
  });
});

describe('inline requests (sdssplitargs on raw bytes)', () => {
  const cases: [string, string[] | null][] = [
    ['PING', ['PING']],
    ['  SET   a  b  ', ['SET', 'a', 'b']],
    ['ECHO  "a b"  c', ['ECHO', 'a b', 'c']],
    ["ECHO 'a\\'b\\n'", ['ECHO', "a'b\\n"]],
    ['ECHO "\\x41\\x4g"', ['ECHO', 'Ax4g']],
    ['ECHO "\\n\\r\\t\\b\\a\\q\\""', ['ECHO', '\n\r\t\b\x07q"']],
    ['ECHO x"ab" c', ['ECHO', 'xab', 'c']],
    ['ECHO a\vb', ['ECHO', 'a\vb']],
    ['\vECHO\f ab', ['ECHO\f', 'ab']],
    ['ECHO \xff\xa0', ['ECHO', '\xff\xa0']],
    ['ECHO a\0b c', ['ECHO', 'a']],
    ['ECHO ""', ['ECHO', '']],
    ['ECHO "a', null],
    ['ECHO "a\\"', null],
    ["ECHO 'a", null],
    ['ECHO "a"b', null],
    ["ECHO 'a'b", null],
    ['', []],
  ];
  for (const [line, want] of cases) {
    it(JSON.stringify(line), () => expect(splitInlineArgs(bytes(line), 0, line.length)).toEqual(want));
  }

  it('accepts \\n or \\r\\n, ignores empty lines', () => {
    expect(parse('\r\n\r\nPING\r\n\nGET a\n').out).toEqual([['PING'], ['GET', 'a']]);
  });

  it('a NUL before the newline hides it (strchr), as in Redis', () => {
    const r = parse('PING\0\r\n');
    expect(r.out).toEqual([]);
    expect(r.error).toBe(null);
  });
});

describe('parseLongLong (string2ll)', () => {
  const b = (s: string) => parseLongLong(bytes(s), 0, s.length);
  it('accepts canonical integers only', () => {
    expect(b('0')).toBe(0);
    expect(b('12')).toBe(12);
    expect(b('-5')).toBe(-5);
    expect(b('9223372036854775807')).toBeGreaterThan(9e18);
    expect(b('-9223372036854775808')).toBeLessThan(-9e18);
    for (const bad of ['', '-', '-0', '+1', '01', ' 1', '1 ', '1a', '9223372036854775808', '-9223372036854775809', '123456789012345678901']) {
      expect(b(bad), bad).toBeNaN();
    }
  });
});
