/**
 * The list, intset and complexity views in a real browser (production build, playwright-core,
 * Chromium): LPUSH draws a node at the head, LINDEX walks node then entry, the quicklist toggle,
 * the intset upgrade and conversion, the complexity chart and its experiment. Screenshots go to
 * test-results/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runShown, shot, stepCounter, useSandbox, visualizer } from './harness';

// Reduced motion: the visualizer opens each command at its last frame (no autoplay), transitions off.
const app = useSandbox({ context: { viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' } });
let page: Page;

beforeAll(async () => {
  ({ page } = await app.open());
});

const vis = () => visualizer(page);
const counter = () => stepCounter(page);

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
    await runShown(page, 'LPUSH q x');
    const nodes = listNodes();
    expect(await dataIds(nodes)).toEqual(['x']);
    expect(await nodes.first().getAttribute('data-index')).toBe('0');
    const svg = vis().locator('[data-structure="list"] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/^Doubly linked list with 1 element/);
    expect(await vis().locator('[data-structure="list"] svg .ptr').first().textContent()).toContain('head');
    expect(await counter()).toMatch(/^step (\d+) of \1 · \d+ steps? · O\(1\)$/);
    await shot(page, 'visualizer-list-lpush');
  });

  it('RPUSH q y z then LINDEX q 1 walks: the node, then the entry', async () => {
    await runShown(page, 'RPUSH q y z');
    expect(await dataIds(listNodes())).toEqual(['x', 'y', 'z']);
    await runShown(page, 'LINDEX q 1');
    expect(await listHot()).toEqual(['y']);
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await listHot()).toEqual([]);
    expect(await stepUntil(/^Walk to quicklist node 1/)).toBe(true);
    // The whole quicklist node is one hop: its three elements light up together.
    expect(await listHot()).toEqual(['x', 'y', 'z']);
    const stepAtNode = await counter();
    await shot(page, 'visualizer-list-walk-node');
    await vis().getByRole('button', { name: 'Step forward' }).click();
    expect(await counter()).not.toBe(stepAtNode);
    expect(await listHot()).toEqual(['y']);
    expect(await narration()).toBe(`Inside node 1's listpack, reach entry 1 ("y").`);
    expect(await vis().locator('.pseudo li.current').textContent()).toContain('lpSeek');
    await shot(page, 'visualizer-list-walk');
  });

  it('the quicklist toggle shows one quicklist node holding 3 entries', async () => {
    const toggle = vis().getByRole('checkbox', { name: 'Show quicklist nodes' });
    await toggle.check();
    const qn = vis().locator('[data-structure="list"] svg .qlnode');
    expect(await qn.count()).toBe(1);
    expect(await dataIds(qn.locator('.node'))).toEqual(['x', 'y', 'z']);
    expect(await qn.getAttribute('data-count')).toBe('3');
    expect(await vis().locator('[data-structure="list"] svg').getAttribute('aria-label')).toMatch(/^Quicklist: 1 node holding 3 elements/);
    await shot(page, 'visualizer-quicklist');
    // It stays on for the next command; back to the textbook view.
    await runShown(page, 'LPUSH q w');
    expect(await vis().locator('[data-structure="list"] svg .qlnode .node').count()).toBe(4);
    await vis().getByRole('checkbox', { name: 'Show quicklist nodes' }).uncheck();
    expect(await dataIds(listNodes())).toEqual(['w', 'x', 'y', 'z']);
  });

  it('SADD s 1 2 3 shows an intset; 100000 upgrades it to int32; "x" converts it to a hash table', async () => {
    await runShown(page, 'SADD s 1 2 3');
    const cells = vis().locator('.structure.value [data-structure="intset"] svg .node');
    expect(await dataIds(cells)).toEqual(['1', '2', '3']);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('int16 · 2 bytes each');
    expect(await vis().locator('.structure.value figcaption .title').first().textContent()).toBe('"s" · set · intset');
    await shot(page, 'visualizer-intset');

    await runShown(page, 'SADD s 100000');
    expect(await dataIds(cells)).toEqual(['1', '2', '3', '100000']);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('int32 · 4 bytes each');
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await stepUntil(/upgrade every integer from int16 to int32/)).toBe(true);
    expect(await vis().getByTestId('intset-encoding').textContent()).toBe('upgrading int16 → int32');
    expect(await vis().locator('[data-structure="intset"]').getAttribute('data-encoding')).toBe('int32');
    await shot(page, 'visualizer-intset-upgrade');

    await runShown(page, 'SADD s x');
    expect(await vis().locator('.structure.value figcaption .title').first().textContent()).toBe('"s" · set · hashtable');
    const dictIds = await dataIds(vis().locator('.structure.value [data-structure="dict"] svg .node'));
    expect(dictIds.sort()).toEqual(['1', '100000', '2', '3', 'x']);
    // Step through: the intset stays as the source while the table fills.
    await vis().getByRole('button', { name: 'Jump to start' }).click();
    expect(await stepUntil(/Convert "s" from intset to hashtable/)).toBe(true);
    expect(await vis().locator('.structure.source [data-structure="intset"] svg .node').count()).toBe(4);
    await vis().getByRole('button', { name: 'Step forward' }).click();
    await vis().getByRole('button', { name: 'Step forward' }).click();
    await shot(page, 'visualizer-intset-convert');
    await vis().getByRole('button', { name: 'Jump to end' }).click();
    expect(await vis().locator('.structure.source').count()).toBe(0);
  });

  it('Complexity: points from the console, then the experiment plots its series', async () => {
    for (let i = 0; i < 5; i++) await runShown(page, `RPUSH big ${'a'.repeat(900)}${i} b${i}`);
    await runShown(page, 'LINDEX big 4');
    await vis().getByRole('tab', { name: 'Complexity' }).click();
    const points = vis().locator('[data-testid="complexity"] svg[role="img"] path.point');
    expect(await points.count()).toBe(6);
    expect(await vis().locator('[data-testid="complexity"] svg path.ref').count()).toBe(3);
    await shot(page, 'visualizer-chart-console');
    await vis().getByRole('button', { name: 'Run experiment' }).click();
    await vis().getByRole('progressbar').waitFor({ state: 'visible', timeout: 10_000 });
    await shot(page, 'visualizer-chart-progress');
    await vis().getByRole('status').waitFor({ timeout: 90_000 });
    expect(await vis().getByRole('status').textContent()).toMatch(/^Experiment done: \d+ commands run\.$/);
    expect(await vis().getByRole('progressbar').count()).toBe(0);
    expect(await points.count()).toBeGreaterThan(200);
    expect(await vis().getByTestId('best-fit').textContent()).toBe('O(n)');
    await shot(page, 'visualizer-chart-experiment');
    await vis().getByRole('combobox', { name: 'Series' }).selectOption('exp:ZADD');
    expect(await points.count()).toBeGreaterThan(200);
    await shot(page, 'visualizer-chart-zadd');
    // The student's keys were not touched by the experiment.
    await vis().getByRole('tab', { name: 'Structure' }).click();
    await runShown(page, 'EXISTS exp:z exp:l');
    expect(app.errors).toEqual([]);
  });
});
