/**
 * The console in a real browser: production build (vite build runs before this project, see
 * package.json "test:browser"), served by scripts/serve.mjs, driven with playwright-core in Chromium.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { basename, dirname, resolve } from 'node:path';
import { DIST, lastReply, run, serveStatic, shot, useSandbox } from './harness';

const app = useSandbox();
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({ page, context } = await app.open());
});

describe('console', () => {
  it('has the redis-cli prompt, a log and an empty visualizer', async () => {
    expect(await page.getByTestId('prompt').textContent()).toBe('127.0.0.1:6379>');
    expect(await page.getByRole('log').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Visualizer' }).count()).toBe(1);
    await expect(page.getByRole('textbox', { name: 'Redis command' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  it('prints replies exactly as redis-cli', async () => {
    await run(page, 'SET greeting hello');
    expect(await lastReply(page)).toBe('OK');
    await run(page, 'GET greeting');
    expect(await lastReply(page)).toBe('"hello"');
    await run(page, 'INCR n');
    expect(await lastReply(page)).toBe('(integer) 1');
    await run(page, 'GET missing');
    expect(await lastReply(page)).toBe('(nil)');
    await run(page, 'FOO a b');
    expect(await lastReply(page)).toBe("(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    await run(page, 'SET "unbalanced');
    expect(await lastReply(page)).toBe('Invalid argument(s)');
  });

  it('shows the steps badge and complexity beside each reply', async () => {
    await run(page, 'GET greeting');
    const badge = page.locator('[role="log"] .entry').last().getByTestId('steps');
    await expect(badge.isVisible()).resolves.toBe(true);
    expect(await badge.textContent()).toMatch(/^\d+ steps? · O\(1\)$/);
  });

  it('shows values as text, never as HTML', async () => {
    await run(page, 'SET x "<img src=x onerror=alert(1)>"');
    expect(await lastReply(page)).toBe('OK');
    await run(page, 'GET x');
    expect(await lastReply(page)).toBe('"<img src=x onerror=alert(1)>"');
    expect(await page.locator('[role="log"] img').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it('runs the engine in a Web Worker and survives odd input', async () => {
    expect(await page.locator('body').textContent()).not.toContain('Web Workers are unavailable');
    await run(page, 'SET bin "\\xff\\x00é\\n"');
    expect(await lastReply(page)).toBe('OK');
    await run(page, 'GET bin');
    expect(await lastReply(page)).toBe('"\\xff\\x00\\xc3\\xa9\\n"');
    await run(page, 'PING');
    expect(await lastReply(page)).toBe('PONG');
  });

  it('changes the prompt after SELECT 2', async () => {
    await run(page, 'SELECT 2');
    expect(await lastReply(page)).toBe('OK');
    expect(await page.getByTestId('prompt').textContent()).toBe('127.0.0.1:6379[2]>');
    await shot(page, 'console');
  });

  it('hints the syntax, completes with Tab and prints help', async () => {
    const input = page.getByRole('textbox', { name: 'Redis command' });
    await input.fill('SET k ');
    expect(await page.locator('.ghost .hint').textContent()).toMatch(/^value \[NX\|XX\] \[GET\]/);
    await shot(page, 'console-hint');
    await input.fill('gre');
    await input.fill('');
    await input.fill('ge');
    await input.press('Tab');
    expect(await input.inputValue()).toBe('geoadd'); // the first command name starting "ge", in order
    await input.press('End'); // any other key ends the Tab cycle, as in redis-cli
    await input.fill('getd');
    await input.press('Tab');
    expect(await input.inputValue()).toBe('getdel');
    await run(page, 'help GET');
    const help = await lastReply(page);
    expect(help).toBe('\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n  complexity: O(1)\n');
    await shot(page, 'console-help');
  });

  it('recalls history with Up and keeps it across a reload', async () => {
    const input = page.getByRole('textbox', { name: 'Redis command' });
    await input.fill('');
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('help GET');
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('SELECT 2');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    expect(await input.inputValue()).toBe('');
    await page.reload();
    await page.getByRole('textbox', { name: 'Redis command' }).waitFor();
    const again = page.getByRole('textbox', { name: 'Redis command' });
    await again.press('ArrowUp');
    expect(await again.inputValue()).toBe('help GET');
  });

  it('clear empties the log', async () => {
    await run(page, 'PING');
    await page.getByRole('textbox', { name: 'Redis command' }).fill('clear');
    await page.getByRole('textbox', { name: 'Redis command' }).press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .entry').length === 0);
  });

  it('works from a sub-path (base ./)', async () => {
    const root = await serveStatic(dirname(resolve(DIST)));
    const sub = await context.newPage();
    try {
      // Hold the engine worker's script back: a line typed while the engine starts must wait for it, not vanish.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await sub.route('**/engine.worker-*.js', async (route) => { await held; await route.continue(); });
      await sub.goto(`${root.url}${basename(resolve(DIST))}/`);
      const input = sub.getByRole('textbox', { name: 'Redis command' });
      await sub.getByText('Starting the engine…').waitFor();
      await input.fill('PING');
      await input.press('Enter');
      await sub.locator('[role="log"] .entry .pending').waitFor();
      await sub.waitForTimeout(300);
      expect(await sub.locator('[role="log"] .entry .pending').count()).toBe(1);
      release();
      await sub.waitForFunction(() => document.querySelector('[role="log"] [data-testid="reply"]')?.textContent === 'PONG', undefined, { timeout: 60_000 });
      expect(await sub.locator('[role="log"] .entry').count()).toBe(1);
    } finally {
      await sub.close();
      await root.close();
    }
  });

  it('switches to 简体中文', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['控制台', '可视化']);
    expect(await page.getByRole('textbox', { name: 'Redis 命令' }).count()).toBe(1);
    await run(page, 'GET greeting', { label: 'Redis 命令' });
    expect(await page.locator('[role="log"] .entry').last().getByTestId('steps').textContent()).toMatch(/^\d+ 步 · O\(1\)$/);
    await shot(page, 'console-zh');
    await page.getByLabel('语言').selectOption('en');
  });
});
