/**
 * The console in a real browser: production build (vite build runs before this project, see
 * package.json "test:browser"), served by scripts/serve.mjs, driven with playwright-core in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
// @ts-expect-error plain ESM script without type declarations
import { serve } from '../../scripts/serve.mjs';
// @ts-expect-error plain ESM script without type declarations
import { findChromium } from '../../scripts/ensure-chromium.mjs';

const SHOTS = 'test-results';
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function run(line: string, label = 'Redis command'): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  const before = await page.locator('[role="log"] .entry').count();
  await input.fill(line);
  await input.press('Enter');
  // Wait until this entry has printed (pending marker gone).
  await page.waitForFunction(
    (n) => {
      const entries = document.querySelectorAll('[role="log"] .entry');
      return entries.length > n && !entries[entries.length - 1].querySelector('.pending');
    },
    before,
  );
}

async function lastReply(): Promise<string> {
  return (await page.locator('[role="log"] .entry').last().locator('[data-testid="reply"]').last().textContent()) ?? '';
}

beforeAll(async () => {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `vite build` first (npm run test:browser does)');
  mkdirSync(SHOTS, { recursive: true });
  server = await serve({ dir: 'dist', port: 0 });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => { pageErrors.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(server.url);
  await page.getByRole('textbox', { name: 'Redis command' }).waitFor();
  await page.waitForFunction(() => !document.body.textContent?.includes('Starting the engine'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('console', () => {
  it('has the redis-cli prompt, a log and an empty visualizer', async () => {
    expect(await page.getByTestId('prompt').textContent()).toBe('127.0.0.1:6379>');
    expect(await page.getByRole('log').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Visualizer' }).count()).toBe(1);
    await expect(page.getByRole('textbox', { name: 'Redis command' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  it('prints replies exactly as redis-cli', async () => {
    await run('SET greeting hello');
    expect(await lastReply()).toBe('OK');
    await run('GET greeting');
    expect(await lastReply()).toBe('"hello"');
    await run('INCR n');
    expect(await lastReply()).toBe('(integer) 1');
    await run('GET missing');
    expect(await lastReply()).toBe('(nil)');
    await run('FOO a b');
    expect(await lastReply()).toBe("(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    await run('SET "unbalanced');
    expect(await lastReply()).toBe('Invalid argument(s)');
  });

  it('shows the steps badge and complexity beside each reply', async () => {
    await run('GET greeting');
    const badge = page.locator('[role="log"] .entry').last().getByTestId('steps');
    await expect(badge.isVisible()).resolves.toBe(true);
    expect(await badge.textContent()).toMatch(/^\d+ steps? · O\(1\)$/);
  });

  it('shows values as text, never as HTML', async () => {
    await run('SET x "<img src=x onerror=alert(1)>"');
    expect(await lastReply()).toBe('OK');
    await run('GET x');
    expect(await lastReply()).toBe('"<img src=x onerror=alert(1)>"');
    expect(await page.locator('[role="log"] img').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('runs the engine in a Web Worker and survives odd input', async () => {
    expect(await page.locator('body').textContent()).not.toContain('Web Workers are unavailable');
    await run('SET bin "\\xff\\x00é\\n"');
    expect(await lastReply()).toBe('OK');
    await run('GET bin');
    expect(await lastReply()).toBe('"\\xff\\x00\\xc3\\xa9\\n"');
    await run('PING');
    expect(await lastReply()).toBe('PONG');
  });

  it('changes the prompt after SELECT 2', async () => {
    await run('SELECT 2');
    expect(await lastReply()).toBe('OK');
    expect(await page.getByTestId('prompt').textContent()).toBe('127.0.0.1:6379[2]>');
    await page.screenshot({ path: `${SHOTS}/console.png` });
  });

  it('hints the syntax, completes with Tab and prints help', async () => {
    const input = page.getByRole('textbox', { name: 'Redis command' });
    await input.fill('SET k ');
    expect(await page.locator('.ghost .hint').textContent()).toMatch(/^value \[NX\|XX\] \[GET\]/);
    await page.screenshot({ path: `${SHOTS}/console-hint.png` });
    await input.fill('gre');
    await input.fill('');
    await input.fill('ge');
    await input.press('Tab');
    expect(await input.inputValue()).toMatch(/^get/);
    await run('help GET');
    const help = await lastReply();
    expect(help).toBe('\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n  complexity: O(1)\n');
    await page.screenshot({ path: `${SHOTS}/console-help.png` });
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
    await run('PING');
    await page.getByRole('textbox', { name: 'Redis command' }).fill('clear');
    await page.getByRole('textbox', { name: 'Redis command' }).press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .entry').length === 0);
  });

  it('works from a sub-path (base ./)', async () => {
    const root = await serve({ dir: '.', port: 0 });
    const sub = await context.newPage();
    try {
      // Hold the engine worker's script back: a line typed while the engine starts must wait for it, not vanish.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await sub.route('**/engine.worker-*.js', async (route) => { await held; await route.continue(); });
      await sub.goto(`${root.url}dist/`);
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
    await run('GET greeting', 'Redis 命令');
    expect(await page.locator('[role="log"] .entry').last().getByTestId('steps').textContent()).toMatch(/^\d+ 步 · O\(1\)$/);
    await page.screenshot({ path: `${SHOTS}/console-zh.png` });
    await page.getByLabel('语言').selectOption('en');
  });
});
