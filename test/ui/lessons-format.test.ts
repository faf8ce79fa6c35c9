/** The lesson format: front matter, blocks, checks (and malformed input), the sanitizer, read-only evaluation. */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { buildLibrary, parseLesson, isLesson } from '../../src/lessons/loader';
import { compare, parseCheck, CheckSyntaxError } from '../../src/lessons/checks';
import { evaluateChecks } from '../../src/lessons/evaluate';
import { runLesson } from '../../src/lessons/runner';
import { renderMarkdown, sanitizeHtml } from '../../src/lessons/markdown';
import { createApi } from '../../src/worker/api';

const FM = '---\ntitle: T\nlevel: beginner\nminutes: 5\nlanguage: en\norder: 1\n---\n';
const F = 'src/lessons/en/t.md';

function err(src: string, file = F) {
  const r = parseLesson(file, src);
  if (isLesson(r)) throw new Error('expected an error');
  return r;
}

describe('parseLesson', () => {
  it('reads front matter, Markdown, redis blocks and checks with line numbers', () => {
    const l = parseLesson(F, FM + 'Intro *text*\n\n```redis\nSET a 1\n# a comment\n\nGET a\n```\nmore\n```js\nx\n```\n```check\nGET a == 1   # a is one\nTTL a == -1\n```\n');
    if (!isLesson(l)) throw new Error(l.message);
    expect([l.id, l.title, l.level, l.minutes, l.language, l.order]).toEqual(['t', 'T', 'beginner', 5, 'en', 1]);
    expect(l.blocks).toEqual([['SET a 1', 'GET a']]);
    expect(l.segments.map((s) => s.kind)).toEqual(['markdown', 'redis', 'markdown', 'checks']);
    expect(l.segments[2]).toEqual({ kind: 'markdown', text: 'more\n```js\nx\n```' });
    expect(l.checks.map((c) => [c.line, c.label, c.op])).toEqual([[21, 'a is one', '=='], [22, 'TTL a == -1', '==']]);
  });

  it('names the file and line of every mistake', () => {
    expect(err('title: x\n')).toMatchObject({ file: F, line: 1, message: expect.stringContaining('front matter missing') });
    expect(err('---\ntitle: x\n')).toMatchObject({ line: 1, message: expect.stringContaining('not closed') });
    expect(err('---\ntitle T\n---\n')).toMatchObject({ line: 2, message: expect.stringContaining('bad front matter line') });
    expect(err(FM.replace('level: beginner', 'level: expert'))).toMatchObject({ line: 3, message: expect.stringContaining('level must be one of') });
    expect(err(FM.replace('minutes: 5', 'minutes: soon'))).toMatchObject({ line: 4, message: expect.stringContaining('minutes') });
    expect(err(FM.replace('order: 1', 'order: 1\ncolor: red'))).toMatchObject({ line: 7, message: expect.stringContaining('unknown front matter field "color"') });
    expect(err(FM.replace('title: T\n', ''))).toMatchObject({ message: 'front matter field "title" is missing' });
    expect(err(FM, 'src/lessons/zh-CN/t.md')).toMatchObject({ file: 'src/lessons/zh-CN/t.md', message: expect.stringContaining('does not match the folder') });
    expect(err(FM + 'text\n\n```redis\nSET a 1\n')).toMatchObject({ line: 10, message: expect.stringContaining('unterminated ```redis block') });
    expect(err(FM + '```check\nGET a =~ 1\n```\n')).toMatchObject({ line: 9, message: expect.stringContaining("unknown check operator '=~'") });
    expect(err(FM + '```check\n\nGET a\n```\n')).toMatchObject({ line: 10, message: expect.stringContaining('missing comparison operator') });
    expect(err(FM + '```check\nGET a == {"x":1}\n```\n')).toMatchObject({ line: 9, message: expect.stringContaining('cannot read the expected value') });
    expect(err(FM + '```check\nTTL a > "soon"\n```\n')).toMatchObject({ message: expect.stringContaining("needs a number") });
    expect(err(FM + '```redis\n\n```\n')).toMatchObject({ line: 8, message: 'empty ```redis block' });
    expect(err(FM, 'src/lessons/en/bad name.md')).toMatchObject({ message: expect.stringContaining('<lang>/<id>.md') });
  });

  it('reads ```redis client=N blocks and refuses other options', () => {
    const l = parseLesson(F, FM + '```redis\nSET a 1\n```\n```redis client=2\nGET a\n```\n```check\nGET a == 1\n```\n');
    if (!isLesson(l)) throw new Error(l.message);
    expect(l.blocks).toEqual([['SET a 1'], ['GET a']]);
    expect(l.blockClients).toEqual([1, 2]);
    expect(l.segments[1]).toMatchObject({ kind: 'redis', client: 2, line: 11 });
    expect(err(FM + '```redis client=0\nGET a\n```\n')).toMatchObject({ line: 8, message: expect.stringContaining('unknown ```redis block option "client=0"') });
    expect(err(FM + '```redis color=red\nGET a\n```\n')).toMatchObject({ line: 8, message: expect.stringContaining('client=N') });
    expect(err(FM + '```check client=2\nGET a == 1\n```\n')).toMatchObject({ line: 8, message: expect.stringContaining('take no options') });
  });

  it('runs client=N blocks on their own clients (the runner)', () => {
    const l = parseLesson(F, FM + [
      '```redis client=2', 'SUBSCRIBE news', '```',
      '```redis', 'WATCH n', 'GET n', '```',
      '```redis client=3', 'INCR n', '```',
      '```redis', 'MULTI', 'SET n 10', 'EXEC', 'PUBLISH news hi', '```',
      '```check', 'PUBSUB NUMSUB news == ["news", 1]', 'GET n == 1', '```', ''].join('\n'));
    if (!isLesson(l)) throw new Error(l.message);
    const run = runLesson(createEngine({ seed: 1 }), l);
    expect(run.commands.map((c) => [c.client, c.line, c.reply])).toEqual([
      [2, 'SUBSCRIBE news', { t: 'array', v: [{ t: 'bulk', v: 'subscribe' }, { t: 'bulk', v: 'news' }, { t: 'int', v: 1 }] }],
      [1, 'WATCH n', { t: 'status', v: 'OK' }],
      [1, 'GET n', { t: 'nil' }],
      [3, 'INCR n', { t: 'int', v: 1 }],
      [1, 'MULTI', { t: 'status', v: 'OK' }],
      [1, 'SET n 10', { t: 'status', v: 'QUEUED' }],
      [1, 'EXEC', { t: 'nilarray' }],
      [1, 'PUBLISH news hi', { t: 'int', v: 1 }],
    ]);
    expect(run.checks.map((c) => c.ok)).toEqual([true, true]);
  });

  it('builds a library: sorted lessons, errors listed instead of a crash', () => {
    const lib = buildLibrary({
      './en/b.md': FM.replace('order: 1', 'order: 2'),
      './en/a.md': FM,
      './en/broken.md': '# no front matter',
    });
    expect(lib.byLang.en.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lib.errors).toEqual([{ file: 'src/lessons/en/broken.md', line: 1, message: expect.stringContaining('front matter missing') }]);
  });
});

describe('checks', () => {
  it('parses commands with quotes, operators, values and labels', () => {
    const c = parseCheck('HGET "my key" "a # b" == "x # y"   # the label');
    expect([c.argv, c.op, c.expected, c.label]).toEqual([['HGET', 'my key', 'a # b'], '==', 'x # y', 'the label']);
    expect(parseCheck('ZREVRANGE lb 0 0 == ["alice", "bob"]').expected).toEqual(['alice', 'bob']);
    expect(parseCheck('GET x == nil').expected).toBe(null);
    expect(parseCheck('OBJECT ENCODING s == hashtable').expected).toBe('hashtable');
    expect(parseCheck('TTL k >= 10').op).toBe('>=');
    expect(parseCheck('INFO stats contains "evicted_keys:"').op).toBe('contains');
    expect(() => parseCheck('== 3')).toThrow(CheckSyntaxError);
    expect(() => parseCheck('GET "x == 3')).toThrow(/missing comparison operator|unbalanced/);
    expect(() => parseCheck('GET x ==')).toThrow(/missing expected value/);
  });

  it('compares replies with coercion of numeric strings', () => {
    expect(compare('12', '==', 12)).toBe(true);
    expect(compare(12, '==', '12')).toBe(true);
    expect(compare('12a', '==', 12)).toBe(false);
    expect(compare(['a', 1], '==', ['a', '1'])).toBe(true);
    expect(compare(['a'], '==', ['a', 'b'])).toBe(false);
    expect(compare(5, '>', 0)).toBe(true);
    expect(compare(null, '>', 0)).toBe(false);
    expect(compare('hello', 'contains', 'ell')).toBe(true);
    expect(compare(['a', 'b'], 'contains', 'b')).toBe(true);
    expect(compare({ error: 'ERR x' }, '==', 'ERR x')).toBe(false);
    expect(compare({ error: 'ERR x' }, '!=', 3)).toBe(false);
    expect(compare(null, '==', null)).toBe(true);
  });
});

describe('evaluateChecks (read-only, the student session untouched)', () => {
  const specs = (...lines: string[]) => lines.map((l) => parseCheck(l));

  it('evaluates and refuses write, random and unknown commands', () => {
    const e = createEngine({ seed: 1 });
    e.exec(['ZADD', 'lb', '3', 'alice', '1', 'bob']);
    const r = evaluateChecks(e, specs('ZCARD lb == 2', 'ZREVRANGE lb 0 0 == ["alice"]', 'SET x 1 == OK', 'RANDOMKEY == lb', 'NOPE == 1', 'GET == 1', 'DEL lb == 1', 'CONFIG GET maxmemory == ["maxmemory", "0"]', 'PUBSUB NUMSUB a == ["a", 0]', 'PUBSUB CHANNELS == []', 'SUBSCRIBE a == 1', 'PUBLISH a x == 0'));
    expect(r.map((x) => x.ok)).toEqual([true, true, false, false, false, false, false, true, true, true, false, false]);
    expect(r[10].error).toMatch(/SUBSCRIBE/);
    expect(r[11].error).toMatch(/PUBLISH/);
    expect(r[2].error).toMatch(/read-only commands only: 'SET'/);
    expect(r[3].error).toMatch(/RANDOMKEY/);
    expect(r[4].error).toMatch(/unknown command/);
    expect(r[5].error).toMatch(/wrong number of arguments/);
    expect(r[6].error).toMatch(/DEL/);
    expect(e.exec(['EXISTS', 'x', 'lb']).reply).toEqual({ t: 'int', v: 1 });
    expect(evaluateChecks(e, [{ argv: 'bad' } as never, null as never]).every((x) => !x.ok && x.error)).toBe(true);
  });

  it('does not expire keys lazily, count stats, add a client or change the selected db', () => {
    const clock = new ManualClock(1_000_000);
    const e = createEngine({ seed: 1, clock });
    e.exec(['SET', 'gone', 'v', 'PX', '10']);
    e.exec(['SELECT', '2']);
    e.exec(['SET', 'here', 'v']);
    clock.advance(100);
    const info = (section: string) => (e.exec(['INFO', section]).reply as { v: string }).v;
    const statsBefore = info('stats');
    const clientsBefore = e.exec(['CLIENT', 'LIST']).reply;
    const r = evaluateChecks(e, specs('EXISTS here == 1', 'GET here == v', 'DBSIZE == 1'), 2);
    expect(r.map((x) => x.ok)).toEqual([true, true, true]);
    const r0 = evaluateChecks(e, specs('EXISTS gone == 0', 'DBSIZE == 1'), 0);
    expect(r0.map((x) => x.ok)).toEqual([true, true]); // reads as missing, but not deleted: DBSIZE still counts it
    expect(e.dbs[0].dict.size()).toBe(1);
    const strip = (s: string) => s.replace(/total_commands_processed:\d+|total_(reads|writes)_processed:\d+|instantaneous\S*|total_net\S*/g, '');
    expect(strip(info('stats'))).toBe(strip(statsBefore));
    expect(e.exec(['CLIENT', 'LIST']).reply).toEqual(clientsBefore);
    expect(e.defaultClient.db.id).toBe(2);
  });

  it('does not advance a dict rehash', () => {
    const e = createEngine({ seed: 1 });
    for (let i = 0; i < 5; i++) e.exec(['SET', `k${i}`, 'v']);
    const d = e.dbs[0].dict as unknown as { rehashidx: number };
    expect(d.rehashidx).not.toBe(-1);
    const at = d.rehashidx;
    evaluateChecks(e, specs('GET k1 == v', 'EXISTS k2 == 1', 'DBSIZE == 5'));
    expect(d.rehashidx).toBe(at);
    e.exec(['GET', 'k1']);
    expect(d.rehashidx).not.toBe(at);
  });

  it('is on the worker API', () => {
    const e = createEngine({ seed: 1 });
    const api = createApi(e);
    api.exec('SET greeting hello');
    expect(api.checks(specs('GET greeting == "hello"', 'SET a b == OK')).map((r) => r.ok)).toEqual([true, false]);
  });
});

describe('lesson Markdown', () => {
  it('escapes raw HTML and drops unsafe links and images', () => {
    const html = renderMarkdown('hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<div onclick="x()">y</div>\n\n[bad](javascript:alert(1)) [ok](https://redis.io) ![pic](x.png) `<b>`');
    expect(html).not.toMatch(/<(script|img|div)|<[^>]*\son\w+=|href="javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://redis.io" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('<code>&lt;b&gt;</code>');
  });

  it('the sanitizer keeps only allowlisted tags and attributes', () => {
    expect(sanitizeHtml('<p class="x" onclick="y">a</p><iframe src=x></iframe><a href="javascript:1" title="t">b</a>'))
      .toBe('<p>a</p>&lt;iframe src=x>&lt;/iframe><a title="t">b</a>');
    expect(sanitizeHtml('<svg/onload=alert(1)>')).toBe('&lt;svg/onload=alert(1)>');
    expect(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<td>1</td>');
  });
});
