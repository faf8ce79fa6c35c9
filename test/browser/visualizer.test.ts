/**
 * The visualizer in a real browser (production build, playwright-core, Chromium): it follows the
 * console's last command; listpack and hash table views with one SVG node per key / field
 * (data-id), the listpack -> hashtable conversion, the keyspace dict, the playback controls and
 * keyboard, values shown as text. Screenshots go to test-results/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { playedToEnd, runShown, shot, stepCounter, useSandbox, visualizer } from './harness';

// Reduced motion: the visualizer opens each command at its last frame (no autoplay), transitions off.
const app = useSandbox({ context: { viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' } });
let page: Page;

beforeAll(async () => {
  ({ page } = await app.open());
});

const vis = () => visualizer(page);
const valueNodes = (structure: 'listpack' | 'dict') =>
  vis().locator(structure === 'dict' ? '.structure.value [data-structure="dict"] svg .node' : '.structure.value [data-structure="listpack"] svg .node');
const ids = async (loc: ReturnType<typeof valueNodes>) => loc.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const highlighted = async () => vis().locator('svg .node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const counter = () => stepCounter(page);

describe('visualizer', () => {
  it('shows a small hash as a listpack, one node per field', async () => {
    await runShown(page, 'CONFIG SET hash-max-listpack-entries 4');
    for (let i = 1; i <= 4; i++) await runShown(page, `HSET h f${i} v${i}`);
    expect(await ids(valueNodes('listpack'))).toEqual(['f1', 'f2', 'f3', 'f4']);
    const svg = vis().locator('[data-structure="listpack"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Listpack with 4 elements, \d+ bytes/);
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · listpack');
    expect(await counter()).toMatch(/^step (\d+) of \1 · \d+ steps? · O\([^)]+\)$/);
    expect(await page.getByRole('region', { name: 'Data structure visualizer' }).count()).toBe(1);
    await shot(page, 'visualizer-listpack');
  });

  it('shows the 5th HSET converting the listpack to a hash table', async () => {
    await runShown(page, 'HSET h f5 v5');
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · hashtable');
    expect((await ids(valueNodes('dict'))).sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    // Every field node sits in a bucket.
    const buckets = await valueNodes('dict').evaluateAll((els) => els.map((e) => e.getAttribute('data-bucket')));
    expect(buckets.every((b) => b !== null && /^\d+$/.test(b))).toBe(true);
    await shot(page, 'visualizer-hashtable');

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
        await shot(page, 'visualizer-converting');
      }
      if ((await vis().getByTestId('narration').textContent())?.includes('Convert "h" from listpack to hashtable')) sawConvert = true;
    }
    expect(sawBuilding).toBe(true);
    expect(sawConvert).toBe(true);
    expect(await vis().locator('.structure.value figcaption .title').textContent()).toBe('"h" · hash · hashtable');
    expect(await vis().locator('.pseudo li.current').textContent()).toContain('o.encoding = HT; o.ptr = d');
  });

  it('SET k v shows the keyspace dict with a node for k', async () => {
    await runShown(page, 'SET k v');
    const node = vis().locator('[data-structure="dict"][data-target="keyspace"] svg .node[data-id="k"]');
    expect(await node.count()).toBe(1);
    const svg = vis().locator('[data-target="keyspace"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Hash table Keyspace \(db 0\): 2 entries in \d+ buckets, load factor [\d.]+/);
    expect(await highlighted()).toEqual(['k']);
    await shot(page, 'visualizer-keyspace');
  });

  it('shows the expires dict beside the keyspace once a key has a TTL', async () => {
    await runShown(page, 'SET ttlkey v EX 100');
    const exp = vis().locator('[data-testid="expires-dict"] [data-structure="dict"][data-target="expires"]');
    await exp.waitFor();
    expect(await exp.locator('svg .node[data-id="ttlkey"]').count()).toBe(1);
    expect(await exp.textContent()).toContain('Expires dict');
    await runShown(page, 'PERSIST ttlkey');
    expect(await vis().locator('[data-testid="expires-dict"]').count()).toBe(0);
  });

  it('stepping forward and back moves the highlight (buttons and keyboard)', async () => {
    await runShown(page, 'HSET small a 1 b 2 c 3');
    await runShown(page, 'HGET small c');
    expect(await ids(valueNodes('listpack'))).toEqual(['a', 'b', 'c']);
    expect(await highlighted()).toEqual(['c']);
    await vis().getByRole('button', { name: 'Step back' }).click();
    expect(await highlighted()).toEqual(['b']);
    await vis().getByRole('button', { name: 'Step back' }).click();
    expect(await highlighted()).toEqual(['a']);
    await shot(page, 'visualizer-step');
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
    await playedToEnd(page, 20_000);
    expect(await vis().getByRole('button', { name: 'Play' }).count()).toBe(1);
    // Space (focus on the page body) starts playing again.
    await page.locator('.vis .narration').click();
    await page.keyboard.press('Space');
    expect(await vis().getByRole('button', { name: 'Pause' }).count()).toBe(1);
    await page.keyboard.press('Space');
    expect(await vis().getByRole('button', { name: 'Play' }).count()).toBe(1);
  });

  it('shows values as text, never as HTML', async () => {
    await runShown(page, 'HSET x "<img src=x onerror=alert(1)>" 1');
    const node = valueNodes('listpack');
    expect(await node.getAttribute('data-id')).toBe('<img src=x onerror=alert(1)>');
    expect(await node.locator('text').first().textContent()).toBe('<img src=x…');
    expect(await page.locator('.visualizer img').count()).toBe(0);
    await runShown(page, 'SET "<b>bold</b>" "<script>alert(2)</script>"');
    expect(await vis().locator('svg .node[data-id="<b>bold</b>"]').count()).toBe(1);
    expect(await vis().locator('.strval').textContent()).toBe('"<script>alert(2)</script>"');
    expect(await page.locator('.visualizer script, .visualizer svg b, .visualizer .strval *, .visualizer .narration *').count()).toBe(0);
    expect(await vis().getByTestId('narration').textContent()).toContain('"<b>bold</b>"');
    expect(app.errors).toEqual([]);
  });

  it('narrates in 简体中文', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    expect(await counter()).toMatch(/^第 \d+ \/ \d+ 步 · 共 \d+ 个基本步骤 · O\([^)]+\)$/);
    expect(await page.getByRole('button', { name: '后退一步' }).count()).toBe(1);
    await shot(page, 'visualizer-zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });
});
