/**
 * Offline and installable: the production build (vite build runs first, see package.json
 * "test:browser") copied under /some/path/ of a static server, driven with playwright-core in
 * Chromium. The service worker precaches the app; with the network off the console still answers.
 * Also: the JavaScript budget of a first load, the web app manifest, Chromium's installability
 * check, and the update prompt (a new version is offered, never forced).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
// @ts-expect-error plain ESM script without type declarations
import { serve } from '../../scripts/serve.mjs';
// @ts-expect-error plain ESM script without type declarations
import { findChromium } from '../../scripts/ensure-chromium.mjs';

const SHOTS = 'test-results';
const SUB = 'some/path/';
/** Gzipped JavaScript a first load may transfer (page + engine worker + service worker). */
const JS_BUDGET = 250 * 1000;

let site: string;
let server: { url: string; close: () => Promise<void> };
let appUrl: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
/** Every JS URL requested during the first load, with who asked for it. */
const jsRequests: { url: string; fromServiceWorker: boolean }[] = [];

async function run(line: string, label = 'Redis command'): Promise<string> {
  const input = page.getByRole('textbox', { name: label });
  const before = await page.locator('[role="log"] .entry').count();
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(
    (n) => {
      const entries = document.querySelectorAll('[role="log"] .entry');
      return entries.length > n && !entries[entries.length - 1].querySelector('.pending');
    },
    before,
  );
  return (await page.locator('[role="log"] .entry').last().locator('[data-testid="reply"]').last().textContent()) ?? '';
}

async function engineReady(p: Page): Promise<void> {
  await p.getByRole('textbox', { name: 'Redis command' }).waitFor();
  await p.waitForFunction(() => !document.body.textContent?.includes('Starting the engine'));
}

/** The served copy of dist/ (under /some/path/) relative path -> bytes. */
function served(rel: string): Buffer {
  return readFileSync(join(site, SUB, rel));
}

beforeAll(async () => {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `vite build` first (npm run test:browser does)');
  mkdirSync(SHOTS, { recursive: true });
  // A private copy: the update test changes sw.js in it.
  site = mkdtempSync(join(tmpdir(), 'redis-sandbox-offline-'));
  cpSync('dist', join(site, SUB), { recursive: true });
  server = await serve({ dir: site, port: 0 });
  appUrl = `${server.url}${SUB}`;
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
  // A persistent profile, not an incognito context: Chromium does not offer to install from incognito.
  profile = mkdtempSync(join(tmpdir(), 'redis-sandbox-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.js')) jsRequests.push({ url: r.url(), fromServiceWorker: r.serviceWorker() !== null });
  });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${String(e)}`));
  page.on('dialog', (d) => { consoleErrors.push(`dialog: ${d.message()}`); void d.dismiss(); });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('offline (service worker)', () => {
  it('first load from a sub-path: no console errors, the service worker takes control', async () => {
    await page.goto(appUrl);
    await engineReady(page);
    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
      }
      const active = reg.active!;
      if (active.state !== 'activated') {
        await new Promise((ok) => active.addEventListener('statechange', () => { if (active.state === 'activated') ok(undefined); }));
      }
      return { scope: reg.scope, active: reg.active?.state, controller: navigator.serviceWorker.controller?.scriptURL };
    });
    expect(sw.scope).toBe(appUrl);
    expect(sw.active).toBe('activated');
    expect(sw.controller).toBe(`${appUrl}sw.js`);
    expect(await run('PING')).toBe('PONG');
    expect(consoleErrors).toEqual([]);
  });

  it(`first load stays within the JavaScript budget (${JS_BUDGET / 1000} kB gzipped)`, async () => {
    // relative path -> requested by the page or its engine worker (true) / only by the service worker
    const requested = new Map<string, boolean>();
    for (const r of jsRequests) {
      const path = new URL(r.url).pathname;
      expect(path.startsWith(`/${SUB}`)).toBe(true);
      const rel = path.slice(SUB.length + 1);
      requested.set(rel, (requested.get(rel) ?? false) || !r.fromServiceWorker);
    }
    const gz = (rel: string) => gzipSync(served(rel), { level: 9 }).length;
    const kB = (n: number) => (n / 1000).toFixed(1);
    // The first load: the page's JS, the engine worker chunk, and the service worker's own scripts.
    const isSwScript = (rel: string) => rel === 'sw.js' || /^workbox-[\w-]+\.js$/.test(rel);
    const loaded = [...requested].filter(([rel, byPage]) => byPage || isSwScript(rel)).map(([rel]) => rel).sort();
    expect(loaded.some((f) => /^assets\/index-.*\.js$/.test(f))).toBe(true);
    expect(loaded.some((f) => /^assets\/engine\.worker-.*\.js$/.test(f))).toBe(true);
    expect(loaded).toContain('sw.js');
    const sizes = loaded.map((f) => [f, gz(f)] as const);
    const total = sizes.reduce((a, [, n]) => a + n, 0);
    // What the service worker downloads besides, in the background: the main-thread fallback engine.
    const precacheOnly = [...requested.keys()].filter((rel) => !loaded.includes(rel)).sort();
    const extra = precacheOnly.reduce((a, f) => a + gz(f), 0);
    console.log(
      `First-load JavaScript: ${kB(total)} kB gzipped in ${sizes.length} files ` +
      `(${sizes.map(([f, n]) => `${f.replace(/^assets\//, '')} ${kB(n)}`).join(', ')}); ` +
      `the service worker also precaches ${kB(extra)} kB gzipped of lazily loaded JS ` +
      `(${precacheOnly.map((f) => f.replace(/^assets\//, '')).join(', ')}): ${kB(total + extra)} kB in all.`,
    );
    expect(total).toBeLessThanOrEqual(JS_BUDGET);
  });

  it('is installable: manifest fields and icons, no installability errors', async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('./manifest.webmanifest');
    const manifestUrl = new URL(href!, appUrl).href;
    const manifest = await page.evaluate(async (u) => (await fetch(u)).json(), manifestUrl);
    expect(manifest).toMatchObject({
      name: 'Redis Sandbox',
      short_name: 'Redis Sandbox',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#0b0e13',
      background_color: '#0b0e13',
    });
    expect(manifest.description).toMatch(/Redis/);
    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose?: string }[];
    const has = (sizes: string, purpose: string) => icons.some((i) => i.sizes === sizes && i.type === 'image/png' && (i.purpose ?? 'any') === purpose);
    expect(has('192x192', 'any')).toBe(true);
    expect(has('512x512', 'any')).toBe(true);
    expect(has('512x512', 'maskable')).toBe(true);
    for (const icon of icons) {
      const res = await page.request.get(new URL(icon.src, manifestUrl).href);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('image/png');
    }
    expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')).toBe('./icons/apple-touch-icon.png');
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#0b0e13');

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const app = await cdp.send('Page.getAppManifest');
    expect(app.url).toBe(manifestUrl);
    expect(app.errors).toEqual([]);
    await cdp.detach();
  });

  it('works with the network off: reload, SET k v, GET k', async () => {
    await context.setOffline(true);
    try {
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      await page.reload();
      await engineReady(page);
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      expect(await page.locator('body').textContent()).not.toContain('Web Workers are unavailable');
      expect(await run('SET k v')).toBe('OK');
      expect(await run('GET k')).toBe('"v"');
      await page.screenshot({ path: `${SHOTS}/offline.png` });
      // A second page opened offline, at the app's start URL.
      const other = await context.newPage();
      try {
        await other.goto(appUrl);
        await engineReady(other);
      } finally {
        await other.close();
      }
    } finally {
      await context.setOffline(false);
    }
  });

  it('offers a new version without forcing it (Later keeps the page, Reload switches)', async () => {
    expect(await page.getByTestId('update-prompt').count()).toBe(0);
    // Publish a "new version": any byte change of sw.js makes the browser install it.
    appendFileSync(join(site, SUB, 'sw.js'), '\n// new version\n');
    await page.reload();
    await engineReady(page);
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor();
    expect(await prompt.getByText('A new version is available').count()).toBe(1);
    expect(await page.getByRole('group', { name: 'A new version is available' }).count()).toBe(1);
    const waiting = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
    expect(await waiting()).toBe('installed');
    // The console keeps the focus: a student typing is not interrupted.
    expect(await page.getByRole('textbox', { name: 'Redis command' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/update-prompt.png` });

    await page.getByLabel('Language').selectOption('zh-CN');
    expect(await prompt.getByText('有新版本可用').count()).toBe(1);
    expect(await prompt.getByRole('button', { name: '重新加载' }).count()).toBe(1);
    expect(await prompt.getByRole('button', { name: '稍后' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/update-prompt-zh.png` });
    // Narrow screens: a toast at the bottom instead of over the header.
    await page.setViewportSize({ width: 390, height: 760 });
    const box = await prompt.boundingBox();
    expect(box && box.y + box.height <= 760 && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await page.screenshot({ path: `${SHOTS}/update-prompt-narrow.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('语言').selectOption('en');

    // Later: nothing reloads, the session goes on, the new version keeps waiting.
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    expect(await run('SET lesson 1')).toBe('OK');
    await prompt.getByRole('button', { name: 'Later' }).click();
    await prompt.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await run('GET lesson')).toBe('"1"');
    expect(await waiting()).toBe('installed');

    // Next start: offered again; Reload activates it and reloads once.
    await page.reload();
    await engineReady(page);
    await prompt.waitFor();
    await Promise.all([
      page.waitForEvent('load'),
      prompt.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await engineReady(page);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    expect(await waiting()).toBeNull();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
    expect(await page.getByTestId('update-prompt').count()).toBe(0);
    expect(await run('PING')).toBe('PONG');
    expect(consoleErrors).toEqual([]);
  });
});
