/** Share links (encode/decode, limits, hostile input), the address parser and the session export. */
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import {
  MAX_COMMANDS,
  MAX_ENCODED_CHARS,
  MAX_SCRIPT_BYTES,
  LinkError,
  buildLink,
  checkVersion,
  checkScript,
  decodeScript,
  encodeScript,
  fromBase64Url,
  iframeSnippet,
  parseLocation,
  scriptFromText,
  toBase64Url,
} from '../../src/ui/classroom/link';
import { fenceFor, sessionFileName, sessionMarkdown, transcript } from '../../src/ui/classroom/session';
import type { Entry } from '../../src/ui/console-types';
import { classroomStringsEn, classroomStringsZh } from '../../src/ui/classroom/strings';

const raw = (text: string) => toBase64Url(new Uint8Array(deflateRawSync(Buffer.from(text, 'utf8'))));

async function roundTrip(lines: string[]): Promise<string[]> {
  const data = await encodeScript(lines);
  expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
  const r = await decodeScript(data);
  if (!r.ok) throw new Error(r.error);
  return r.lines;
}

describe('share link encoding', () => {
  it('round-trips a script', async () => {
    expect(await roundTrip(['SET a 1', 'INCR a', 'GET a'])).toEqual(['SET a 1', 'INCR a', 'GET a']);
  });

  it('round-trips UTF-8 and 简体中文', async () => {
    const lines = ['SET 问候 "你好，世界"', 'HSET 用户:1 名字 "张三" 城市 北京', 'GET 问候', 'SET emoji "🙂 naïve café"'];
    expect(await roundTrip(lines)).toEqual(lines);
  });

  it('round-trips binary characters and redis-cli escapes', async () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i))
      .filter((c) => c !== '\n' && c !== '\r')
      .join('');
    const lines = ['SET bin "\\xff\\x00\\xc3\\xa9\\n"', `SET raw "${all}"`, 'SET tab "a\tb"'];
    expect(await roundTrip(lines)).toEqual(lines);
  });

  it('round-trips hostile text as text', async () => {
    const lines = ['SET x "<script>alert(1)</script>"', 'SET y "<img src=x onerror=alert(1)>"', 'ECHO javascript:alert(document.cookie)', 'ECHO "```\\n# not a heading"'];
    expect(await roundTrip(lines)).toEqual(lines);
  });

  it('compresses: a repetitive script of 2,000 commands fits a link', async () => {
    const lines = Array.from({ length: MAX_COMMANDS }, (_, i) => `ZADD board ${i} player:${i}`);
    const data = await encodeScript(lines);
    expect(data.length).toBeLessThan(MAX_ENCODED_CHARS);
    expect(await roundTrip(lines)).toEqual(lines);
  });

  it('drops blank lines and splits lines holding a newline', async () => {
    expect(await roundTrip(['PING', '', '   ', 'SET a 1\nGET a'])).toEqual(['PING', 'SET a 1', 'GET a']);
  });

  it('refuses to encode an empty script, too many commands, or too many bytes', async () => {
    await expect(encodeScript([])).rejects.toMatchObject({ code: 'empty' });
    await expect(encodeScript(Array.from({ length: MAX_COMMANDS + 1 }, () => 'PING'))).rejects.toBeInstanceOf(LinkError);
    await expect(encodeScript(Array.from({ length: MAX_COMMANDS + 1 }, () => 'PING'))).rejects.toMatchObject({ code: 'too-many-commands' });
    await expect(encodeScript([`SET big ${'x'.repeat(MAX_SCRIPT_BYTES)}`])).rejects.toMatchObject({ code: 'too-large' });
    // Bytes, not characters: 34,000 Chinese characters are 102,000 bytes.
    await expect(encodeScript([`SET big ${'中'.repeat(34_000)}`])).rejects.toMatchObject({ code: 'too-large' });
    expect(checkScript(Array.from({ length: MAX_COMMANDS }, () => 'PING'))).toBeNull();
  });
});

describe('share link decoding of hostile links', () => {
  it('rejects broken base64 with a typed error', async () => {
    for (const bad of ['@@@', 'abc$', 'a', 'ab=c', '<script>', 'javascript:alert(1)', '%3Cscript%3E', 'a b', '====']) {
      const r = await decodeScript(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(['bad-base64', 'bad-compression', 'empty']).toContain(r.error);
    }
    expect(await decodeScript('@@@')).toEqual({ ok: false, error: 'bad-base64' });
  });

  it('rejects broken compression', async () => {
    expect(await decodeScript(toBase64Url(new TextEncoder().encode('SET a 1 -- not deflate at all \u00ff\u00fe')))).toMatchObject({ ok: false });
    expect(await decodeScript(toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x13])))).toEqual({ ok: false, error: 'bad-compression' });
    // A valid stream cut in half.
    const good = await encodeScript(Array.from({ length: 50 }, (_, i) => `SET key:${i} ${Math.random()}`));
    const cut = await decodeScript(good.slice(0, Math.floor(good.length / 2)));
    expect(cut.ok).toBe(false);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array(deflateRawSync(Buffer.from([0x53, 0x45, 0x54, 0x20, 0xff, 0xfe, 0xc3])));
    expect(await decodeScript(toBase64Url(bytes))).toEqual({ ok: false, error: 'bad-text' });
  });

  it('stops a decompression bomb at the byte cap', async () => {
    const bomb = new Uint8Array(deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 0x61)));
    const data = toBase64Url(bomb);
    expect(data.length).toBeLessThan(MAX_ENCODED_CHARS);
    const t0 = Date.now();
    expect(await decodeScript(data)).toEqual({ ok: false, error: 'too-large' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('rejects huge fragments before decoding, and too many commands after', async () => {
    expect(await decodeScript('A'.repeat(MAX_ENCODED_CHARS + 1))).toEqual({ ok: false, error: 'too-large' });
    expect(await decodeScript(raw(Array.from({ length: MAX_COMMANDS + 1 }, () => 'PING').join('\n')))).toEqual({ ok: false, error: 'too-many-commands' });
    expect(await decodeScript(raw('\n\n  \n'))).toEqual({ ok: false, error: 'empty' });
    expect(await decodeScript('')).toEqual({ ok: false, error: 'empty' });
  });

  it('decodes what other deflate-raw writers produce (zlib)', async () => {
    expect(await decodeScript(raw('SET a 1\r\nINCR a\nGET a\n'))).toEqual({ ok: true, lines: ['SET a 1', 'INCR a', 'GET a'] });
  });

  it('base64url helpers', () => {
    const bytes = new Uint8Array([0, 255, 62, 63, 250, 251, 252]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(toBase64Url(bytes)).not.toMatch(/[+/=]/);
    expect(fromBase64Url('AP8-P_r7_A==')).toEqual(bytes);
    expect(fromBase64Url('A')).toBeNull();
    expect(fromBase64Url('A+B/')).toBeNull();
  });
});

describe('addresses', () => {
  it('reads ?embed, ?present and #embed&script=', () => {
    expect(parseLocation('', '')).toEqual({ embed: false, present: false, script: null, version: 1 });
    expect(parseLocation('?embed', '')).toEqual({ embed: true, present: false, script: null, version: 1 });
    expect(parseLocation('?present', '#script=abc')).toEqual({ embed: false, present: true, script: 'abc', version: 1 });
    expect(parseLocation('', '#embed&script=ab-_c')).toEqual({ embed: true, present: false, script: 'ab-_c', version: 1 });
    expect(parseLocation('?worker=0', '#script=x&present')).toEqual({ embed: false, present: true, script: 'x', version: 1 });
    expect(parseLocation('', '#script=a+b')).toEqual({ embed: false, present: false, script: 'a+b', version: 1 });
    expect(parseLocation('', '#%E0%A4%A&script=')).toEqual({ embed: false, present: false, script: '', version: 1 });
  });

  it('builds links without the current query or fragment', () => {
    expect(buildLink('https://example.org/sandbox/?present#script=old', 'NEW')).toBe('https://example.org/sandbox/#v=1&script=NEW');
    expect(buildLink('http://127.0.0.1:4173/', 'D', { embed: true })).toBe('http://127.0.0.1:4173/#embed&v=1&script=D');
  });

  it('reads the link version: absent is 1, a newer or garbled one is refused', () => {
    expect(parseLocation('', '#v=1&script=x').version).toBe(1);
    expect(parseLocation('', '#v=2&script=x').version).toBe(2);
    expect(Number.isNaN(parseLocation('', '#v=1e3&script=x').version)).toBe(true);
    expect(checkVersion(1)).toBeNull();
    expect(checkVersion(2)).toBe('newer-version');
    expect(checkVersion(Number.NaN)).toBe('newer-version');
  });

  it('writes an iframe snippet with escaped attributes and a sandbox', () => {
    const s = iframeSnippet('https://x.org/#embed&script=a"><script>');
    expect(s).toContain('src="https://x.org/#embed&amp;script=a&quot;&gt;&lt;script&gt;"');
    expect(s).toContain('sandbox="allow-scripts allow-same-origin');
    expect(s).not.toContain('<script>');
  });

  it('reads a typed script: one command per line, comments and blanks skipped', () => {
    expect(scriptFromText('# warm up\nSET a 1\r\n\n  INCR a  \n// read it\nGET a\n')).toEqual(['SET a 1', 'INCR a', 'GET a']);
  });
});

describe('session export', () => {
  const entries: Entry[] = [
    { id: 1, prompt: '127.0.0.1:6379>', line: 'SET a 1', outputs: [{ kind: 'reply', text: 'OK', error: false, steps: 3, complexity: 'O(1)' }], pending: false },
    { id: 2, prompt: '127.0.0.1:6379>', line: 'GET 问候', outputs: [{ kind: 'reply', text: '"\\xe4\\xbd\\xa0"', error: false, steps: 1, complexity: 'O(1)' }], pending: false },
    { id: 3, prompt: '127.0.0.1:6379>', line: 'help GET', outputs: [{ kind: 'help', blocks: [{ name: 'GET', syntax: 'key', lines: [{ label: 'summary', value: 'Get the value of a key' }] }] }], pending: false },
    { id: 4, prompt: '127.0.0.1:6379>', line: 'ECHO "```"', outputs: [{ kind: 'reply', text: '"```"', error: false, steps: 1, complexity: 'O(1)' }], pending: false },
  ];

  it('prints the transcript as redis-cli did', () => {
    expect(transcript(entries.slice(0, 3))).toBe(
      '127.0.0.1:6379> SET a 1\nOK\n127.0.0.1:6379> GET 问候\n"\\xe4\\xbd\\xa0"\n127.0.0.1:6379> help GET\n\n  GET key\n  summary: Get the value of a key\n',
    );
  });

  it('writes Markdown in a fence no value can close', () => {
    const when = new Date(2025, 2, 4, 9, 5);
    const md = sessionMarkdown(entries, { title: classroomStringsEn.mdTitle, exported: classroomStringsEn.mdExported, empty: classroomStringsEn.mdEmpty }, when);
    expect(md.startsWith('# Redis Sandbox session\n\nExported 2025-03-04 09:05 · 4 commands\n\n````text\n127.0.0.1:6379> SET a 1\nOK\n')).toBe(true);
    expect(md.endsWith('"```"\n````\n')).toBe(true);
    expect(fenceFor('no ticks')).toBe('```');
    expect(sessionFileName(when)).toBe('redis-session-20250304-0905.md');
    const zh = sessionMarkdown([], { title: classroomStringsZh.mdTitle, exported: classroomStringsZh.mdExported, empty: classroomStringsZh.mdEmpty }, when);
    expect(zh).toBe('# Redis 沙盒会话\n\n导出于 2025-03-04 09:05 · 共 0 条命令\n\n（尚无命令）\n');
  });

  it('has every string in both languages', () => {
    expect(Object.keys(classroomStringsZh).sort()).toEqual(Object.keys(classroomStringsEn).sort());
    expect(Object.keys(classroomStringsZh.linkError).sort()).toEqual(Object.keys(classroomStringsEn.linkError).sort());
  });
});
