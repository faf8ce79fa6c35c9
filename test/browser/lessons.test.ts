/** The lessons panel in Chromium: open the list, open "First steps", Run all, see replies and ticks, switch to 简体中文. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineReady, shot, useSandbox } from './harness';

const app = useSandbox({ context: { viewport: { width: 1440, height: 900 } } });
let page: Page;

beforeAll(async () => {
  ({ page } = await app.open());
});

describe('lessons', () => {
  it('opens the lesson list', async () => {
    await page.getByRole('button', { name: 'Lessons' }).click();
    const list = page.getByRole('navigation', { name: 'Lesson list' });
    await list.waitFor();
    const items = list.getByRole('button');
    expect(await items.count()).toBeGreaterThanOrEqual(7);
    expect(await items.first().textContent()).toContain('First steps');
    expect(await page.getByRole('alert').count()).toBe(0); // no malformed lesson
    await shot(page, 'lessons-list');
  });

  it('runs "First steps": replies in the console, ticks on the checks', async () => {
    await page.getByRole('button', { name: /First steps/ }).click();
    await page.getByRole('heading', { name: 'First steps', level: 3 }).waitFor();
    expect(await page.locator('[data-testid="check"][data-ok="true"]').count()).toBe(0);
    // One block first: its commands appear in the console as if typed.
    await page.getByRole('button', { name: 'Run', exact: true }).first().click();
    await page.waitForFunction(() => [...document.querySelectorAll('[role="log"] .entry .line')].some((e) => e.textContent === 'GET greeting'));
    await page.waitForFunction(() => [...document.querySelectorAll('[role="log"] [data-testid="reply"]')].some((e) => e.textContent === '"hello, redis"'));
    const first = page.locator('[data-testid="check"]').first();
    await page.waitForFunction(() => document.querySelector('[data-testid="check"]')?.getAttribute('data-ok') === 'true');
    expect(await first.textContent()).toContain('✓');
    // The announcement for screen readers.
    await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Check passed'));
    await page.getByRole('button', { name: 'Run all' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="check"][data-ok="true"]').length === 4, null, { timeout: 30_000 });
    const replies = await page.locator('[role="log"] [data-testid="reply"]').allTextContents();
    expect(replies).toContain('(integer) 12');
    expect(await page.getByTestId('lesson-progress').textContent()).toBe('4 of 4 checks done');
    await shot(page, 'lessons-first-steps');
  });

  it('keeps progress across a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'First steps', level: 3 }).waitFor();
    expect(await page.locator('[data-testid="check"][data-ok="true"]').count()).toBe(4);
  });

  it('switches to 简体中文: lesson text and UI change, the session stays', async () => {
    await engineReady(page);
    const input = page.getByRole('textbox', { name: 'Redis command' });
    await input.fill('SET kept yes');
    await input.press('Enter');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('heading', { name: '第一步', level: 3 }).waitFor();
    expect(await page.getByRole('button', { name: '全部运行' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '运行', exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('article.lesson').textContent()).toContain('键值数据库');
    expect(await page.getByTestId('lesson-progress').textContent()).toBe('已完成 4/4 个检查点');
    const zhInput = page.getByRole('textbox', { name: 'Redis 命令' });
    await zhInput.fill('GET kept');
    await zhInput.press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('[role="log"] [data-testid="reply"]')].some((e) => e.textContent === '"yes"'));
    await page.getByRole('button', { name: '← 全部教程' }).click();
    await page.getByRole('navigation', { name: '教程列表' }).waitFor();
    await page.getByRole('button', { name: /深入：跳表/ }).click();
    await page.getByRole('heading', { name: '深入：跳表', level: 3 }).waitFor();
    await shot(page, 'lessons-zh');
    expect(app.errors).toEqual([]);
  });

  it('runs a two-sided lesson: client=2 and client=3 blocks go to their own consoles', async () => {
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('en');
    await page.getByRole('button', { name: '← All lessons' }).click();
    await page.getByRole('button', { name: /A chat room with pub\/sub/ }).click();
    await page.getByRole('heading', { name: 'A chat room with pub/sub', level: 3 }).waitFor();
    await page.getByRole('button', { name: 'Run all' }).click();
    const total = await page.locator('[data-testid="check"]').count();
    expect(total).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="check"][data-ok="true"]').length === n, total, { timeout: 60_000 });
    // The subscriber's console (Client 2) received the published message, as redis-cli prints it.
    const c2 = page.locator('section.client[aria-label="Client 2"]');
    await c2.waitFor();
    expect(await c2.textContent()).toContain('Reading messages... (press Ctrl-C to quit)');
    expect(await c2.locator('[data-testid="reply"]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('1) "message"')]));
    expect(await page.locator('section.client[aria-label="Client 3"]').count()).toBe(1);
    await shot(page, 'lessons-chat');
    expect(app.errors).toEqual([]);
  });
});
