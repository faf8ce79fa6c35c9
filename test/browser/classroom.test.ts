/**
 * The classroom tools in Chromium: a shared link replays step by step ("Next command"), Share makes
 * such a link from the session, Export session downloads Markdown, presenter mode (big type, header
 * and side panels hidden), embed mode (console + visualizer only, also inside a cross-origin
 * sandboxed iframe), and hostile links (shown as text, nothing injected runs, clear messages).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { deflateRawSync } from 'node:zlib';
import { encodeScript, toBase64Url } from '../../src/ui/classroom/link';
import { entriesDone, lastReply, run, shot, useSandbox } from './harness';

const app = useSandbox();

/** Wait until the replay bar's main button ("Next command") is enabled. */
async function replayReady(page: Page): Promise<void> {
  await page.waitForFunction(() => !(document.querySelector('[data-testid="replay"] button.primary') as HTMLButtonElement | null)?.disabled);
}

describe('shared links', () => {
  it('replays a shared script one command at a time, the visualizer following', async () => {
    const data = await encodeScript(['SET a 1', 'INCR a', 'GET a']);
    const { page, errors } = await app.open(`#script=${data}`);
    const next = page.getByRole('button', { name: 'Next command' });
    await next.waitFor();
    await replayReady(page);
    expect(await page.getByTestId('replay-next').textContent()).toBe('SET a 1');
    expect(await page.locator('[role="log"] .entry').count()).toBe(0); // nothing runs by itself
    const expected = [['SET a 1', 'OK'], ['INCR a', '(integer) 2'], ['GET a', '"2"']];
    for (let i = 0; i < expected.length; i++) {
      await next.click();
      await entriesDone(page, i + 1);
      expect(await page.locator('[role="log"] .entry').last().locator('.line').textContent()).toBe(expected[i][0]);
      expect(await lastReply(page)).toBe(expected[i][1]);
      expect(await page.getByTestId('replay-progress').textContent()).toBe(`${i + 1} of 3 run`);
      if (i === 0) await shot(page, 'classroom-replay');
    }
    // The visualizer drew the last command.
    await expect.poll(() => page.locator('section[aria-labelledby="visualizer-title"]').textContent()).toContain('GET a');
    expect(await next.isDisabled()).toBe(true);
    expect(await page.getByTestId('replay').textContent()).toContain('All commands have run.');
    expect(errors).toEqual([]);
  });

  it('"Run all" runs the rest; Share makes a link from the session that replays it', async () => {
    const data = await encodeScript(['SET 问候 "你好"', 'GET 问候', 'ECHO "naïve"']);
    const { page, errors } = await app.open(`#script=${data}`);
    await replayReady(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    await entriesDone(page, 3);
    expect(await lastReply(page)).toBe('"na\\xc3\\xafve"');
    await run(page, 'RPUSH l x y');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share a script' });
    await dialog.waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Commands, one per line' }).inputValue()).toBe('SET 问候 "你好"\nGET 问候\nECHO "naïve"\nRPUSH l x y');
    const link = dialog.getByRole('textbox', { name: 'Link' });
    await page.waitForFunction(() => (document.getElementById('share-link') as HTMLInputElement | null)?.value.includes('#v=1&script='));
    const url = await link.inputValue();
    expect(url.startsWith(`${app.url}#v=1&script=`)).toBe(true);
    await dialog.getByRole('checkbox', { name: /embedding/ }).check();
    await page.waitForFunction(() => (document.getElementById('share-link') as HTMLInputElement | null)?.value.includes('#embed&v=1&script='));
    expect(await dialog.getByRole('textbox', { name: /Paste this/ }).inputValue()).toContain('sandbox="allow-scripts allow-same-origin');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText(/Link copied|Copy the link above/).waitFor();
    await shot(page, 'classroom-share');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);

    const other = await app.open(url.slice(app.url.length));
    await replayReady(other.page);
    expect(await other.page.getByTestId('replay-progress').textContent()).toBe('0 of 4 run');
    await other.page.getByRole('button', { name: 'Run all' }).click();
    await entriesDone(other.page, 4);
    expect(await lastReply(other.page)).toBe('(integer) 2');
    expect([...errors, ...other.errors]).toEqual([]);
  });

  it('exports the session as Markdown', async () => {
    const { page, errors } = await app.open();
    await run(page, 'SET greeting "hello"');
    await run(page, 'GET greeting');
    await run(page, 'GET 键');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export session' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^redis-session-\d{8}-\d{4}\.md$/);
    const md = readFileSync((await download.path())!, 'utf8');
    expect(md).toMatch(/^# Redis Sandbox session\n\nExported \d{4}-\d\d-\d\d \d\d:\d\d · 3 commands\n\n```text\n/);
    expect(md).toContain('127.0.0.1:6379> SET greeting "hello"\nOK\n127.0.0.1:6379> GET greeting\n"hello"\n127.0.0.1:6379> GET 键\n(nil)\n```\n');
    expect(errors).toEqual([]);
  });
});

describe('presenter and embed modes', () => {
  it('presenter mode: big type, high contrast, header and side panels hidden', async () => {
    const { page, errors } = await app.open();
    await page.getByRole('button', { name: 'Lessons' }).click(); // a side panel open
    await page.locator('#lessons-panel').waitFor();
    await run(page, 'ZADD board 10 ada 20 bob');
    const fontSize = () => page.locator('[role="log"] .entry .line').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await fontSize();
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('#lessons-panel').isVisible()).toBe(false);
    const after = await fontSize();
    expect(after).toBeGreaterThanOrEqual(before * 1.4);
    expect(await page.getByRole('log').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Visualizer' }).isVisible()).toBe(true);
    const bg = await page.locator('.console').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(0, 0, 0)');
    const toggle = page.getByRole('button', { name: 'Presenter mode' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'classroom-presenter');
    await toggle.click();
    expect(await page.locator('header.top').isVisible()).toBe(true);
    expect(await fontSize()).toBe(before);
    // The keyboard shortcut and ?present.
    await page.keyboard.press('Alt+Shift+KeyP');
    expect(await page.locator('header.top').isVisible()).toBe(false);
    await page.keyboard.press('Alt+Shift+KeyP');
    expect(await page.locator('header.top').isVisible()).toBe(true);
    const q = await app.open('?present');
    expect(await q.page.locator('header.top').isVisible()).toBe(false);
    expect(await q.page.getByRole('button', { name: 'Presenter mode' }).getAttribute('aria-pressed')).toBe('true');
    expect([...errors, ...q.errors]).toEqual([]);
  });

  it('embed mode shows only the console and the visualizer, and fits a narrow frame', async () => {
    const data = await encodeScript(['LPUSH q a b c', 'LRANGE q 0 -1']);
    const { page, errors } = await app.open(`#embed&script=${data}`, { viewport: { width: 480, height: 640 } });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Lessons' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    expect(await page.getByRole('log').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Visualizer' }).isVisible()).toBe(true);
    await replayReady(page);
    await page.getByRole('button', { name: 'Next command' }).click();
    await entriesDone(page, 1);
    expect(await lastReply(page)).toBe('(integer) 3');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'classroom-embed', { fullPage: true });
    const q = await app.open('?embed');
    expect(await q.page.locator('header.top').isVisible()).toBe(false);
    expect([...errors, ...q.errors]).toEqual([]);
  });

  it('works inside a cross-origin iframe with the suggested sandbox attribute', async () => {
    const data = await encodeScript(['SET a 1', 'INCR a', 'GET a']);
    const src = `${app.url}#embed&script=${data}`;
    const host: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Course</title><h1>Lesson 3</h1><iframe src="${src.replace(/&/g, '&amp;')}" title="Redis Sandbox" width="720" height="560" style="border:0" sandbox="allow-scripts allow-same-origin"></iframe>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (host.address() as { port: number }).port;
      const { page, errors } = await app.newPage({ viewport: { width: 800, height: 700 } });
      await page.goto(`http://localhost:${port}/`); // another origin than the sandbox (127.0.0.1)
      const frame = page.frameLocator('iframe');
      const next = frame.getByRole('button', { name: 'Next command' });
      await next.waitFor();
      await expect.poll(() => next.isDisabled(), { timeout: 20_000 }).toBe(false);
      for (let i = 0; i < 3; i++) {
        await next.click();
        await expect.poll(() => frame.locator('[role="log"] .entry:not(:has(.pending))').count()).toBe(i + 1);
      }
      expect(await frame.locator('[role="log"] [data-testid="reply"]').allTextContents()).toEqual(['OK', '(integer) 2', '"2"']);
      await shot(page, 'classroom-iframe');
      expect(errors).toEqual([]);
    } finally {
      await new Promise<void>((r) => host.close(() => r()));
    }
  });
});

describe('hostile links', () => {
  it('shows a hostile script as text and nothing in it runs', async () => {
    const data = await encodeScript([
      'SET x "<script>alert(1)</script>"',
      'ECHO "<img src=x onerror=alert(2)>"',
      'ECHO javascript:alert(3)',
      'ECHO "</code><iframe src=javascript:alert(4)></iframe>"',
      'GET x',
    ]);
    const { page, errors } = await app.open(`#script=${data}`);
    const baseline = await page.evaluate(() => ({ scripts: document.scripts.length, imgs: document.images.length }));
    await replayReady(page);
    expect(await page.getByTestId('replay-next').textContent()).toBe('SET x "<script>alert(1)</script>"');
    await page.getByText(/Show the script/).click();
    expect(await page.getByTestId('replay-script').locator('li').allTextContents()).toContain('ECHO "<img src=x onerror=alert(2)>"');
    await page.getByRole('button', { name: 'Run all' }).click();
    await entriesDone(page, 5);
    expect(await page.locator('[role="log"] [data-testid="reply"]').allTextContents()).toEqual([
      'OK',
      '"<img src=x onerror=alert(2)>"',
      '"javascript:alert(3)"',
      '"</code><iframe src=javascript:alert(4)></iframe>"',
      '"<script>alert(1)</script>"',
    ]);
    await page.waitForTimeout(300);
    const now = await page.evaluate(() => ({ scripts: document.scripts.length, imgs: document.images.length }));
    expect(now).toEqual(baseline);
    expect(await page.locator('img[src="x"], [onerror], iframe, a[href^="javascript:"]').count()).toBe(0);
    await shot(page, 'classroom-hostile');
    expect(errors).toEqual([]);
  });

  const broken: [string, string, RegExp][] = [
    ['broken base64', '#script=@@@<script>alert(1)</script>', /not valid base64url/],
    ['broken compression', `#script=${toBase64Url(new TextEncoder().encode('definitely not deflate'))}`, /could not be decompressed|not valid UTF-8/],
    ['a huge payload', `#script=${'A'.repeat(200_000)}`, /larger than 100 KB/],
    ['too many commands', `#script=${toBase64Url(new Uint8Array(deflateRawSync(Buffer.from(Array.from({ length: 2001 }, () => 'PING').join('\n')))))}`, /more than 2000 commands/],
    ['a decompression bomb', `#script=${toBase64Url(new Uint8Array(deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 0x61))))}`, /larger than 100 KB/],
    ['javascript: in the fragment', '#script=javascript:alert(document.domain)', /not valid base64url/],
    ['a link from a newer version', `#v=2&script=${toBase64Url(new Uint8Array(deflateRawSync(Buffer.from('PING'))))}`, /made by a newer version/],
  ];
  it.each(broken)('%s gives a clear message, and the console still works', async (_name, hash, message) => {
    const { page, errors } = await app.open(hash);
    const alert = page.getByTestId('link-error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/This link could not be opened/);
    expect(await alert.textContent()).toMatch(message);
    expect(await page.getByTestId('replay').count()).toBe(0);
    await run(page, 'PING');
    expect(await lastReply(page)).toBe('PONG');
    if (_name === 'broken base64') await shot(page, 'classroom-broken-link');
    expect(errors).toEqual([]);
  });
});
