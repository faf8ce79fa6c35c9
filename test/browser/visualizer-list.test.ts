/**
 * The list, intset and complexity views in a real browser (production build, playwright-core,
 * Chromium): LPUSH draws a node at the head, LINDEX walks node then entry, the quicklist toggle,
 * the intset upgrade and conversion, the complexity chart and its experiment. Screenshots go to
 * test-results/.
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

async function run(line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Redis command' });
  const before = await page.locator('[role="log"] .entry').count();
  const runBefore = await page.evaluate(() => document.querySelector('.vis')?.getAttribute('data-run') ?? '');
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(
    (n) => {
      const entries = document.querySelectorAll('[role="log"] .entry');
      return entries.length > n && !entries[entries.length - 1].querySelector('.pending');
    },
    before,
  );
  // The visualizer shows this command.
  await page.waitForFunction((r) => (document.querySelector('.vis')?.getAttribute('data-run') ?? '') !== r, runBefore);
}

const vis = () => page.locator('.vis[role="region"]');
const counter = async () => (await vis().getByTestId('step-counter').textContent()) ?? '';

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
  // Reduced motion: the visualizer opens each command at its last frame (no autoplay), transitions off.
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', reducedMotion: 'reduce' });
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


const listNodes = () => vis().locator('[data-structure="list"] svg .node');
const listHot = () => vis().locator('[data-structure="list"] svg .node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const dataIds = (loc: ReturnType<typeof listNodes>) => loc.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const narration = async () => (await vis().getByTestId('narration').textContent()) ?? '';

/** Step forward until the narration matches (at most `max` steps); returns whether it did. */
async function stepUntil(re: RegExp, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    if (re.test(await narration())) return true;
    await vis().getByRole('button', { name: 'Step forward' }).click();
  }
  return re.test(await narration());
}

describe('list, intset and complexity views', () => {
  it('LPUSH q x shows a node data-id="x" at the head', async () => {
    await run('LPUSH q x');
    const nodes = listNodes();
    expect(await dataIds(nodes)).toEqual(['x']);
    expect(await nodes.first().getAttribute('data-index')).toBe('0');
    const svg = vis().locator('[data-structure="list"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Doubly linked list with 1 element/);
    expect(await vis().locator('[data-structure="list"] svg .ptr').first().textContent()).toContain('head');
    expect(await counter()).toMatch(/^step (\d+) of \1 · \d+ steps? · O\(1\)$/);
    await page.screenshot({ path: `${SHOTS}/visualizer-list-lpush.png` });
  });

  it('RPUSH q y z then LINDEX q 1 walks: the node, then the entry', async () => {
    await run('RPUSH q y z');
    expect(await dataIds(listNodes())).toEqual(['x', 'y', 'z']);
    await run('LINDEX q 1');
    expect(await listHot()).toEqual(['y']);
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await listHot()).toEqual([]);
    expect(await stepUntil(/^Walk to quicklist node 1/)).toBe(true);
    // The whole quicklist node is one hop: its three elements light up together.
    expect(await listHot()).toEqual(['x', 'y', 'z']);
    const stepAtNode = await counter();
    await page.screenshot({ path: `${SHOTS}/visualizer-list-walk-node.png` });
    await vis().getByRole('button', { name: 'Step forward' }).click();
    expect(await counter()).not.toBe(stepAtNode);
    expect(await listHot()).toEqual(['y']);
    expect(await narration()).toBe(`Inside node 1's listpack, reach entry 1 ("y").`);
    expect(await vis().locator('.pseudo li.current').textContent()).toContain('lpSeek');
    await page.screenshot({ path: `${SHOTS}/visualizer-list-walk.png` });
  });

  it('the quicklist toggle shows one quicklist node holding 3 entries', async () => {
    const toggle = vis().getByRole('checkbox', { name: 'Show quicklist nodes' });
    await toggle.check();
    const qn = vis().locator('[data-structure="list"] svg .qlnode');
    expect(await qn.count()).toBe(1);
    expect(await dataIds(qn.locator('.node'))).toEqual(['x', 'y', 'z']);
    expect(await qn.getAttribute('data-count')).toBe('3');
    expect(await vis().locator('[data-structure="list"] svg').getAttribute('aria-label')).toMatch(/^Quicklist: 1 node holding 3 elements/);
    await page.screenshot({ path: `${SHOTS}/visualizer-quicklist.png` });
    // It stays on for the next command; back to the textbook view.
    await run('LPUSH q w');
    expect(await vis().locator('[data-structure="list"] svg .qlnode .node').count()).toBe(4);
    await vis().getByRole('checkbox', { name: 'Show quicklist nodes' }).uncheck();
    expect(await dataIds(listNodes())).toEqual(['w', 'x', 'y', 'z']);
  });

  it('SADD s 1 2 3 shows an intset; 100000 upgrades it to int32; "x" converts it to a hash table', async () => {
    await run('SADD s 1 2 3');
    const cells = vis().locator('.structure.value [data-structure="intset"] svg .node');
    expect(await dataIds(cells)).toEqual(['1', '2', '3']);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('int16 · 2 bytes each');
    expect(await vis().locator('.structure.value figcaption .title').first().textContent()).toBe('"s" · set · intset');
    await page.screenshot({ path: `${SHOTS}/visualizer-intset.png` });

    await run('SADD s 100000');
    expect(await dataIds(cells)).toEqual(['1', '2', '3', '100000']);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('int32 · 4 bytes each');
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await stepUntil(/upgrade every integer from int16 to int32/)).toBe(true);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('upgrading int16 → int32');
    expect(await vis().locator('[data-structure="intset"]').getAttribute('data-encoding')).toBe('int32');
    await page.screenshot({ path: `${SHOTS}/visualizer-intset-upgrade.png` });

    await run('SADD s x');
    expect(await vis().locator('.structure.value figcaption .title').first().textContent()).toBe('"s" · set · hashtable');
    const dictIds = await dataIds(vis().locator('.structure.value [data-structure="dict"] svg .node'));
    expect(dictIds.sort()).toEqual(['1', '100000', '2', '3', 'x']);
    // Step through: the intset stays as the source while the table fills.
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await stepUntil(/Convert "s" from intset to hashtable/)).toBe(true);
    expect(await vis().locator('.structure.source [data-structure="intset"] svg .node').count()).toBe(4);
    await vis().getByRole('button', { name: 'Step forward' }).click();
    await vis().getByRole('button', { name: 'Step forward' }).click();
    await page.screenshot({ path: `${SHOTS}/visualizer-intset-convert.png` });
    await vis().getByRole('button', { name: 'Jump to end' }).click();
    expect(await vis().locator('.structure.source').count()).toBe(0);
  });

  it('Complexity: points from the console, then the experiment plots its series', async () => {
    for (let i = 0; i < 5; i++) await run(`RPUSH big ${'a'.repeat(900)}${i} b${i}`);
    await run('LINDEX big 4');
    await vis().getByRole('tab', { name: 'Complexity' }).click();
    const points = vis().locator('[data-testid="complexity"] svg[role="img"] path.point');
    expect(await points.count()).toBe(6);
    expect(await vis().locator('[data-testid="complexity"] svg path.ref').count()).toBe(3);
    await page.screenshot({ path: `${SHOTS}/visualizer-chart-console.png` });
    await vis().getByRole('button', { name: 'Run experiment' }).click();
    await vis().getByRole('progressbar').waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/visualizer-chart-progress.png` });
    await vis().getByRole('status').waitFor({ timeout: 90_000 });
    expect(await vis().getByRole('status').textContent()).toMatch(/^Experiment done: \d+ commands run\.$/);
    expect(await vis().getByRole('progressbar').count()).toBe(0);
    expect(await points.count()).toBeGreaterThan(200);
    expect(await vis().getByTestId('best-fit').textContent()).toBe('O(n)');
    await page.screenshot({ path: `${SHOTS}/visualizer-chart-experiment.png` });
    await vis().getByRole('combobox', { name: 'Series' }).selectOption('exp:ZADD');
    expect(await points.count()).toBeGreaterThan(200);
    await page.screenshot({ path: `${SHOTS}/visualizer-chart-zadd.png` });
    // The student's keys were not touched by the experiment.
    await vis().getByRole('tab', { name: 'Structure' }).click();
    await run('EXISTS exp:z exp:l');
    expect(pageErrors).toEqual([]);
  });
});
