/**
 * The stream view in a real browser (production build, playwright-core, Chromium): XADD draws one
 * box per entry (data-id = the entry ID), the new one highlighted; a consumer group shows up in the
 * side panel with its pending count; the captions follow the language. Screenshots go to test-results/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { run, runShown, shot, useSandbox, visualizer } from './harness';

// Reduced motion: the visualizer opens each command at its last frame (the after snapshot), transitions off.
const app = useSandbox({ context: { viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' } });
let page: Page;

beforeAll(async () => {
  ({ page } = await app.open());
});

const vis = () => visualizer(page);
const stream = () => vis().locator('.structure.value [data-structure="stream"]');
const ids = (sel: string) => stream().locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
/** runShown with the console's label in another language. */
async function runShownAs(line: string, label: string): Promise<void> {
  const before = await page.evaluate(() => document.querySelector('.vis')?.getAttribute('data-run') ?? '');
  await run(page, line, { label });
  await page.waitForFunction((r) => (document.querySelector('.vis')?.getAttribute('data-run') ?? '') !== r, before);
}
const caption = async () => (await stream().getByTestId('stream-caption').textContent()) ?? '';

describe('stream view', () => {
  it('XADD draws one node per entry, data-id = the entry ID, the new one highlighted', async () => {
    await runShown(page, 'XADD events 1-1 type created order 1001');
    await runShown(page, 'XADD events 1-2 type paid order 1001');
    expect(await ids('svg .node')).toEqual(['1-1', '1-2']);
    expect(await ids('svg .node.highlight')).toEqual(['1-2']);
    const second = stream().locator('svg .node[data-id="1-2"]');
    expect(await second.locator('text.id').textContent()).toBe('1-2');
    expect(await second.locator('text.pair').allTextContents()).toEqual(['type=paid', 'order=1001']);
    expect(await second.locator('text.ptr').textContent()).toContain('last_id');
    const svg = stream().locator('svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toBe('Stream with 2 entries in ID order, last ID 1-2; highlighted: 1-2');
    expect(await stream().getByTestId('stream-radix').textContent()).toContain('radix tree: 1 key, 2 nodes');
    expect(await stream().locator('figcaption .meta').textContent()).toBe('2 entries · last ID 1-2');
    expect(await caption()).toMatch(/^XADD appended entry 1-2 at the end/);
    expect(await vis().locator('.structure.value figcaption .title').first().textContent()).toBe('"events" · stream · stream');
  });

  it('XGROUP CREATE + XREADGROUP: the group marker shows 1 pending and points at 1-1', async () => {
    await runShown(page, 'XGROUP CREATE events mailers 0');
    expect(await ids('svg .group')).toEqual(['mailers']);
    expect(await caption()).toContain('Created group "mailers" with last-delivered-id 0-0');
    await runShown(page, 'XREADGROUP GROUP mailers m1 COUNT 1 STREAMS events >');
    const group = stream().locator('svg .group[data-id="mailers"]');
    expect(await group.count()).toBe(1);
    expect(await group.getAttribute('data-pending')).toBe('1');
    expect(await group.locator('text.pending').textContent()).toBe('1 pending');
    expect(await group.locator('text.consumer').allTextContents()).toEqual(['m1: 1 pending']);
    expect(await group.getAttribute('data-last-delivered')).toBe('1-1');
    expect(await stream().locator('svg .node[data-id="1-1"] text.gtag').textContent()).toBe('▲ mailers');
    expect(await ids('svg .node.highlight')).toEqual(['1-1']);
    expect(await ids('svg .node')).toEqual(['1-1', '1-2']);
    expect(await caption()).toBe('XREADGROUP returned 1 entry (highlighted). Group "mailers" moved its last-delivered-id to 1-1; the delivered entries stay pending until XACK.');
    await shot(page, 'visualizer-stream');
    await stream().screenshot({ path: 'test-results/visualizer-stream-view.png' });
  });

  it('XRANGE highlights the entries it returned', async () => {
    await runShown(page, 'XRANGE events 1-2 +');
    expect(await ids('svg .node.highlight')).toEqual(['1-2']);
    expect(await caption()).toBe('XRANGE returned 1 entry (highlighted).');
  });

  it('a longer stream: rows wrap, long values are cut, two groups, a trim', async () => {
    for (let i = 1; i <= 7; i++) {
      await runShown(page, `XADD orders 5-${i} type ${i % 2 ? 'created' : 'paid'} order ${1000 + i} note "${'a very long note '.repeat(i === 3 ? 20 : 1)}" extra x`);
    }
    await runShown(page, 'XGROUP CREATE orders mailers 0');
    await runShown(page, 'XGROUP CREATE orders analytics-with-a-long-name $');
    await runShown(page, 'XREADGROUP GROUP mailers m1 COUNT 3 STREAMS orders >');
    await runShown(page, 'XREADGROUP GROUP mailers m2 COUNT 2 STREAMS orders >');
    expect(await ids('svg .node')).toEqual(['5-1', '5-2', '5-3', '5-4', '5-5', '5-6', '5-7']);
    expect(await ids('svg .node.highlight')).toEqual(['5-4', '5-5']);
    // Groups in name order (the stream keeps them in a radix tree).
    expect(await ids('svg .group')).toEqual(['analytics-with-a-long-name', 'mailers']);
    const note = stream().locator('svg .node[data-id="5-3"] text.pair').nth(2);
    expect(await note.textContent()).toBe("note=a very long no…");
    expect(await stream().locator('svg .node[data-id="5-3"] text.morefields').textContent()).toBe('+1 more field');
    expect(await stream().locator('svg .group[data-id="mailers"] text.consumer').allTextContents()).toEqual(['m1: 3 pending', 'm2: 2 pending']);
    await shot(page, 'visualizer-stream-long-page');
    // A tall window: the whole stream view, its groups below the entries.
    await page.setViewportSize({ width: 1400, height: 1500 });
    await stream().screenshot({ path: 'test-results/visualizer-stream-long.png' });
    await page.setViewportSize({ width: 1400, height: 900 });
    await runShown(page, 'XTRIM orders MAXLEN 4');
    expect(await ids('svg .node')).toEqual(['5-4', '5-5', '5-6', '5-7']);
    expect(await caption()).toBe('3 entries removed.');
  });

  it('captions in 简体中文', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await runShownAs('XACK events mailers 1-1', 'Redis 命令');
    expect(await caption()).toBe('XACK：消费者组 "mailers" 确认了 1 个条目，还有 0 个待确认。');
    expect(await stream().locator('svg .group[data-id="mailers"] text.pending').textContent()).toBe('0 条待确认');
    expect(await stream().getByTestId('stream-radix').textContent()).toContain('基数树（radix tree）：1 个键，2 个节点');
    expect(await stream().locator('figcaption .meta').textContent()).toBe('2 个条目 · 最后 ID 1-2 · 1 个消费者组');
    expect(await stream().locator('svg').getAttribute('aria-label')).toBe('stream：2 个条目，按 ID 排序，最后 ID 1-2，1 个消费者组');
    await shot(page, 'visualizer-stream-zh');
    await stream().screenshot({ path: 'test-results/visualizer-stream-zh-view.png' });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    expect(app.errors).toEqual([]);
  });

  it('the event-log lesson runs in the page: every check ticks, the stream view follows', async () => {
    const { page: p, errors } = await app.open();
    await p.getByRole('button', { name: 'Lessons' }).click();
    await p.getByRole('button', { name: /An event log with streams/ }).click();
    await p.getByRole('heading', { name: 'An event log with streams', level: 3 }).waitFor();
    await p.getByRole('button', { name: 'Run all' }).click();
    const total = await p.locator('[data-testid="check"]').count();
    expect(total).toBe(6);
    await p.waitForFunction((n) => document.querySelectorAll('[data-testid="check"][data-ok="true"]').length === n, total, { timeout: 60_000 });
    // The lesson's last stream command was XTRIM clicks MAXLEN 3; show the orders stream with its groups.
    await runShown(p, 'XRANGE orders - + COUNT 3');
    const s = visualizer(p).locator('.structure.value [data-structure="stream"]');
    expect(await s.locator('svg .group').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-pending')])))
      .toEqual([['analytics', '6'], ['mailers', '0']]);
    expect(await s.locator('svg .node.highlight').count()).toBe(3);
    await shot(p, 'visualizer-stream-lesson');
    expect(errors).toEqual([]);
  });
});
