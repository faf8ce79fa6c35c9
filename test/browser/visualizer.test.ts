/**
 * The visualizer in a real browser (production build, playwright-core, Chromium): it follows the
 * console's last command; listpack and hash table views with one SVG node per key / field
 * (data-id), the listpack -> hashtable conversion, the keyspace dict, the playback controls and
 * keyboard, values shown as text. Screenshots go to test-results/.
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
const valueNodes = (structure: 'listpack' | 'dict') =>
  vis().locator(structure === 'dict' ? '.structure.value [data-structure="dict"] svg .node' : '.structure.value [data-structure="listpack"] svg .node');
const ids = async (loc: ReturnType<typeof valueNodes>) => loc.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const highlighted = async () => vis().locator('svg .node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
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

describe('visualizer', () => {
  it('shows a small hash as a listpack, one node per field', async () => {
    await run('CONFIG SET hash-max-listpack-entries 4');
    for (let i = 1; i <= 4; i++) await run(`HSET h f${i} v${i}`);
    expect(await ids(valueNodes('listpack'))).toEqual(['f1', 'f2', 'f3', 'f4']);
    const svg = vis().locator('[data-structure="listpack"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Listpack with 4 elements, \d+ bytes/);
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · listpack');
    expect(await counter()).toMatch(/^step (\d+) of \1 · \d+ steps? · O\([^)]+\)$/);
    expect(await page.getByRole('region', { name: 'Data structure visualizer' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/visualizer-listpack.png` });
  });

  it('shows the 5th HSET converting the listpack to a hash table', async () => {
    await run('HSET h f5 v5');
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · hashtable');
    expect((await ids(valueNodes('dict'))).sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    // Every field node sits in a bucket.
    const buckets = await valueNodes('dict').evaluateAll((els) => els.map((e) => e.getAttribute('data-bucket')));
    expect(buckets.every((b) => b !== null && /^\d+$/.test(b))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/visualizer-hashtable.png` });

    // Back to the start: the listpack of 4 fields.
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await counter()).toMatch(/^step 0 of \d+/);
    expect(await ids(valueNodes('listpack'))).toEqual(['f1', 'f2', 'f3', 'f4']);
    // Step forward until the table being built appears next to the listpack, then the conversion.
    let sawBuilding = false;
    let sawConvert = false;
    for (let i = 0; i < 60 && !sawConvert; i++) {
      await vis().getByRole('button', { name: 'Step forward' }).click();
      if (!sawBuilding && (await vis().locator('.structure.building').count())) {
        sawBuilding = true;
        // The listpack and the hash table being filled, side by side.
        expect(await ids(valueNodes('listpack'))).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
        await page.screenshot({ path: `${SHOTS}/visualizer-converting.png` });
      }
      if ((await vis().getByTestId('narration').textContent())?.includes('Convert "h" from listpack to hashtable')) sawConvert = true;
    }
    expect(sawBuilding).toBe(true);
    expect(sawConvert).toBe(true);
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · hashtable');
    expect(await vis().locator('.pseudo li.current').textContent()).toContain('o.encoding = HT; o.ptr = d');
  });

  it('SET k v shows the keyspace dict with a node for k', async () => {
    await run('SET k v');
    const node = vis().locator('[data-structure="dict"][data-target="keyspace"] svg .node[data-id="k"]');
    expect(await node.count()).toBe(1);
    const svg = vis().locator('[data-target="keyspace"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Hash table Keyspace \(db 0\): 2 entries in \d+ buckets, load factor [\d.]+/);
    expect(await highlighted()).toEqual(['k']);
    await page.screenshot({ path: `${SHOTS}/visualizer-keyspace.png` });
  });

  it('shows the expires dict beside the keyspace once a key has a TTL', async () => {
    await run('SET ttlkey v EX 100');
    const exp = vis().locator('[data-testid="expires-dict"] [data-structure="dict"][data-target="expires"]');
    await exp.waitFor();
    expect(await exp.locator('svg .node[data-id="ttlkey"]').count()).toBe(1);
    expect(await exp.textContent()).toContain('Expires dict');
    await run('PERSIST ttlkey');
    expect(await vis().locator('[data-testid="expires-dict"]').count()).toBe(0);
  });

  it('stepping forward and back moves the highlight (buttons and keyboard)', async () => {
    await run('HSET small a 1 b 2 c 3');
    await run('HGET small c');
    expect(await ids(valueNodes('listpack'))).toEqual(['a', 'b', 'c']);
    expect(await highlighted()).toEqual(['c']);
    await vis().getByRole('button', { name: 'Step back' }).click();
    expect(await highlighted()).toEqual(['b']);
    await vis().getByRole('button', { name: 'Step back' }).click();
    expect(await highlighted()).toEqual(['a']);
    await page.screenshot({ path: `${SHOTS}/visualizer-step.png` });
    // Keyboard: Right / Left step when focus is not in the console input.
    await page.keyboard.press('ArrowRight');
    expect(await highlighted()).toEqual(['b']);
    await page.keyboard.press('ArrowLeft');
    expect(await highlighted()).toEqual(['a']);
    // In the console input, arrows belong to the input.
    await page.getByRole('textbox', { name: 'Redis command' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await highlighted()).toEqual(['a']);
    // The keyspace lookup comes first: at step 1 the key's bucket is hashed, no field highlighted.
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    await vis().getByRole('button', { name: 'Step forward' }).click();
    expect(await counter()).toMatch(/^step 1 of \d+ · \d+ steps · O\(1\)$/);
    expect(await vis().getByTestId('narration').textContent()).toMatch(/^Hash "small": bucket \d+ of table 0\.$/);
    expect(await vis().locator('[data-target="keyspace"] .bucket.hot').count()).toBe(1);
    // Scrub to the end.
    const scrub = vis().getByRole('slider', { name: 'Scrub' });
    const max = Number(await scrub.getAttribute('max'));
    await scrub.fill(String(max));
    expect(await highlighted()).toEqual(['c']);
    expect(await counter()).toMatch(new RegExp(`^step ${max} of ${max} `));
  });

  it('has named playback controls; Play runs to the end; Space toggles', async () => {
    for (const name of ['Play', 'Step back', 'Step forward', 'Jump to end', 'Jump to start']) {
      expect(await vis().getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    const speed = vis().getByRole('combobox', { name: 'Speed' });
    expect(await speed.locator('option').allTextContents()).toEqual(['0.5x', '1x', '2x', '4x']);
    await speed.selectOption('4');
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    await vis().getByRole('button', { name: 'Play' }).click();
    expect(await vis().getByRole('button', { name: 'Pause' }).count()).toBe(1);
    await page.waitForFunction(() => /^step (\d+) of \1 /.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''), null, { timeout: 20_000 });
    expect(await vis().getByRole('button', { name: 'Play' }).count()).toBe(1);
    // Space (focus on the page body) starts playing again.
    await page.locator('.vis .narration').click();
    await page.keyboard.press('Space');
    expect(await vis().getByRole('button', { name: 'Pause' }).count()).toBe(1);
    await page.keyboard.press('Space');
    expect(await vis().getByRole('button', { name: 'Play' }).count()).toBe(1);
  });

  it('shows values as text, never as HTML', async () => {
    await run('HSET x "<img src=x onerror=alert(1)>" 1');
    const node = valueNodes('listpack');
    expect(await node.getAttribute('data-id')).toBe('<img src=x onerror=alert(1)>');
    expect(await node.locator('text').first().textContent()).toBe('<img src=x…');
    expect(await page.locator('.visualizer img').count()).toBe(0);
    await run('SET "<b>bold</b>" "<script>alert(2)</script>"');
    expect(await vis().locator('svg .node[data-id="<b>bold</b>"]').count()).toBe(1);
    expect(await vis().locator('.strval').textContent()).toBe('"<script>alert(2)</script>"');
    expect(await page.locator('.visualizer script, .visualizer svg b, .visualizer .strval *, .visualizer .narration *').count()).toBe(0);
    expect(await vis().getByTestId('narration').textContent()).toContain('"<b>bold</b>"');
    expect(pageErrors).toEqual([]);
  });

  it('narrates in 简体中文', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    expect(await counter()).toMatch(/^第 \d+ \/ \d+ 步 · 共 \d+ 个基本步骤 · O\([^)]+\)$/);
    expect(await page.getByRole('button', { name: '后退一步' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/visualizer-zh.png` });
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });
});
