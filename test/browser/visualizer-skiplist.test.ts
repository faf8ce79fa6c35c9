/**
 * The skiplist view in a real browser (production build, playwright-core, Chromium): a zset forced
 * to the skiplist encoding, the header and one SVG node per member, stepping moves the highlight,
 * ZRANK adds the rank up from the spans, ZSCORE probes the dict beside it, "Force next level",
 * and a 100,000-member zset windowed around the search path with frame times measured while the
 * insertion plays. Screenshots go to test-results/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { playedToEnd, runShown, shot, useSandbox } from './harness';

const app = useSandbox({ context: { viewport: { width: 1400, height: 900 } } });

async function open(reducedMotion: 'reduce' | 'no-preference'): Promise<Page> {
  return (await app.open('', { reducedMotion })).page;
}

const zsvg = (page: Page) => page.locator('.vis [data-structure="skiplist"] svg.zsl');
const zids = (page: Page) => zsvg(page).locator('.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const zhot = (page: Page) => zsvg(page).locator('.node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
const narration = async (page: Page) => (await page.getByTestId('narration').textContent()) ?? '';
const button = (page: Page, name: string) => page.locator('.vis').getByRole('button', { name, exact: true });

describe('skiplist view', () => {
  let page: Page;

  it('ZADD board 1 a 2 b 3 c (skiplist encoding): the header and 3 nodes', async () => {
    page = await open('reduce');
    await runShown(page, 'CONFIG SET zset-max-listpack-entries 0');
    await runShown(page, 'ZADD board 1 a 2 b 3 c');
    expect(await page.locator('[role="log"] .entry').last().textContent()).toContain('(integer) 3');
    expect(await zids(page)).toEqual(['header', 'a', 'b', 'c']);
    const svg = zsvg(page);
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Skiplist with 3 nodes and \d levels?/);
    expect(await page.locator('.vis .structure.value figcaption .title').first().textContent()).toMatch(/^"board" · zset · skiplist/);
    // The dict beside it: one node per member.
    const dictIds = await page.locator('.vis [data-structure="skiplist"] [data-structure="dict"] svg .node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(dictIds.sort()).toEqual(['a', 'b', 'c']);
    await shot(page, 'skiplist-zadd');
  });

  it('stepping back and forward moves the highlight along the search path', async () => {
    await button(page, 'Jump to start').click();
    expect(await zhot(page)).toEqual([]);
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await button(page, 'Step forward').click();
      if (/^Go right to "b" on level 0/.test(await narration(page))) found = true;
    }
    expect(found).toBe(true);
    expect(await zhot(page)).toEqual(['b']);
    expect(await page.locator('.vis .pseudo li.current').textContent()).toContain('rank[i] += x.level[i].span');
    await shot(page, 'skiplist-step');
    await button(page, 'Step back').click();
    // The comparison before it: the walk stands on a and looks at b.
    expect(await narration(page)).toBe('Level 0: "b" comes before the target: go right.');
    expect(await zhot(page)).toEqual(['a']);
    expect(await zsvg(page).locator('.node.compare').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(['b']);
    await button(page, 'Step back').click();
    // update[1] = a, go down to level 0.
    expect(await narration(page)).toBe('update[1] = "a" (rank[1] = 1); go down to level 0.');
    expect(await zhot(page)).toEqual(['a']);
    expect(await zsvg(page).locator('.node[data-id="a"] .lvl.upd').count()).toBe(1);
    expect(await zsvg(page).locator('line.down').count()).toBe(1);
    await button(page, 'Step forward').click();
    await button(page, 'Step forward').click();
    expect(await zhot(page)).toEqual(['b']);
    // Coin flips for c, one by one.
    for (let i = 0; i < 10 && !(await narration(page)).startsWith('Coin flip'); i++) await button(page, 'Step forward').click();
    expect(await narration(page)).toMatch(/^Coin flip 1: /);
    expect(await page.getByTestId('zsl-coins').locator('.coin').count()).toBe(1);
    await shot(page, 'skiplist-coins');
  });

  it('ZRANK board c: the rank accumulates from the spans', async () => {
    await runShown(page, 'ZRANK board c');
    expect(await page.locator('[role="log"] .entry').last().textContent()).toContain('(integer) 2');
    expect(await page.getByTestId('zsl-rank').textContent()).toMatch(/^rank = .+ = 3$/);
    expect(await narration(page)).toBe('Found "c": rank 3 (the spans added up); ZRANK replies 2.');
    expect(await zsvg(page).getAttribute('aria-label')).toContain('rank so far 3');
    await shot(page, 'skiplist-zrank');
    await button(page, 'Jump to start').click();
    const ranks: string[] = [];
    for (let i = 0; i < 20; i++) {
      if (await button(page, 'Step forward').isDisabled()) break;
      await button(page, 'Step forward').click();
      const r = page.getByTestId('zsl-rank');
      if (await r.count()) ranks.push((await r.textContent()) ?? '');
    }
    // rank = 1, then rank = 1 + ... = 3: each step right adds its span.
    expect(ranks[0]).toMatch(/^rank = \d+ = \d+$|^rank = 0$/);
    expect(ranks[ranks.length - 1]).toMatch(/= 3$/);
    expect(new Set(ranks).size).toBeGreaterThan(1);
    expect(await page.locator('.vis .pseudo .ptitle').textContent()).toBe('zslGetRank(zsl, score, ele)');
  });

  it('ZSCORE board c: a dict probe, O(1), no skiplist walk', async () => {
    await runShown(page, 'ZSCORE board c');
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/O\(1\)$/);
    const dictHot = await page.locator('.vis [data-structure="skiplist"] [data-structure="dict"] svg .node.highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(dictHot).toEqual(['c']);
    expect(await zhot(page)).toEqual([]);
    await shot(page, 'skiplist-zscore');
  });

  it('"Force next level" makes the next ZADD insert a node of that level', async () => {
    const force = page.getByRole('combobox', { name: 'Force next level' });
    expect(await force.locator('option').count()).toBe(33);
    await force.selectOption('5');
    expect(await page.getByTestId('force-pending').textContent()).toContain('5 levels');
    await runShown(page, 'ZADD board 4 d');
    expect(await zsvg(page).locator('.node[data-id="d"]').getAttribute('data-level')).toBe('5');
    expect(await page.getByTestId('zsl-level').textContent()).toBe('5');
    expect(await force.inputValue()).toBe('random');
    await shot(page, 'skiplist-forced');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    expect(await zsvg(page).getAttribute('aria-label')).toMatch(/^跳表：4 个节点，5 层/);
    await shot(page, 'skiplist-zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    expect(app.errors).toEqual([]);
  });
});

describe('a 100,000-member skiplist', () => {
  it('windows around the search path; the insertion plays with p95 frame time < 50 ms', async () => {
    const page = await open('no-preference');
    const N = 100_000, CHUNK = 10_000;
    for (let c = 0; c < N / CHUNK; c++) {
      const parts = ['ZADD big'];
      for (let i = c * CHUNK; i < (c + 1) * CHUNK; i++) parts.push(`${i} m${i}`);
      await runShown(page, parts.join(' '), 60_000);
    }
    await runShown(page, 'ZCARD big');
    expect(await page.locator('[role="log"] .entry').last().textContent()).toContain('(integer) 100000');
    await page.locator('.vis').getByRole('combobox', { name: 'Speed' }).selectOption('4');

    // The machine's own jank: rAF intervals of the idle page, for the report.
    const idle = await page.evaluate(() => new Promise<number[]>((resolve) => {
      const ts: number[] = [];
      const f = (t: number) => { ts.push(t); if (ts.length < 90) requestAnimationFrame(f); else resolve(ts); };
      requestAnimationFrame(f);
    }));
    const idleD = idle.slice(1).map((t, i) => t - idle[i]).sort((a, b) => a - b);
    const idleP95 = idleD[Math.floor(0.95 * idleD.length)];
    await runShown(page, 'ZADD big 50000.5 new');
    // Record requestAnimationFrame timestamps while the ZADD plays (from the first step to the end).
    await button(page, 'Jump to start').click();
    await page.evaluate(() => {
      const w = window as unknown as { __ts: number[]; __rec: boolean; __maxNodes: number };
      w.__ts = []; w.__rec = true; w.__maxNodes = 0;
      const tick = (t: number) => {
        w.__ts.push(t);
        w.__maxNodes = Math.max(w.__maxNodes, document.querySelectorAll('.vis svg.zsl .node').length);
        if (w.__rec) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await button(page, 'Play').click();
    await playedToEnd(page, 60_000);
    await page.waitForTimeout(400);
    const { ts, maxNodes } = await page.evaluate(() => {
      const w = window as unknown as { __ts: number[]; __rec: boolean; __maxNodes: number };
      w.__rec = false;
      return { ts: w.__ts, maxNodes: w.__maxNodes };
    });
    const d = ts.slice(1).map((t, i) => t - ts[i]).sort((a, b) => a - b);
    const q = (p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))];
    const stats = { frames: d.length, p50: q(0.5), p95: q(0.95), max: d[d.length - 1], maxNodes, idleP95 };
    console.log('skiplist 100k frame times (ms):', JSON.stringify(stats));
    expect(d.length).toBeGreaterThan(20);
    // Smooth means at most 3 vsyncs (50 ms) at p95; frame times are quantized to vsyncs, so a
    // loaded machine whose idle page already drops frames may add at most one vsync to its idle p95.
    expect(stats.p95).toBeLessThanOrEqual(Math.max(50, idleP95 + 17));
    expect(maxNodes).toBeGreaterThan(10);
    expect(maxNodes).toBeLessThan(500);
    expect(await zsvg(page).locator('.node').count()).toBeLessThan(500);
    expect(await zsvg(page).locator('.node[data-id="new"]').count()).toBe(1);
    const more = await zsvg(page).locator('.gap').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(more.length).toBeGreaterThan(0);
    expect(more.reduce((a, b) => a + b, 0) + (await zsvg(page).locator('.node:not(.header)').count())).toBe(100_001);
    expect(await zsvg(page).getAttribute('aria-label')).toMatch(/^Skiplist with 100001 nodes and \d+ levels, \d+ shown around the search path/);
    await shot(page, 'skiplist-100k');
    // Mid-walk: step back into the search.
    await button(page, 'Jump to start').click();
    for (let i = 0; i < 60 && !/^Go right to/.test(await narration(page)); i++) await button(page, 'Step forward').click();
    for (let i = 0; i < 6; i++) await button(page, 'Step forward').click();
    expect((await zhot(page)).length).toBe(1);
    await shot(page, 'skiplist-100k-walk');
    expect(app.errors).toEqual([]);
  });
});
