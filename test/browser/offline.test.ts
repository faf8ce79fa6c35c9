/**
 * Offline and installable: the production build (vite build runs first, see package.json
 * "test:browser") copied under /some/path/ of a static server, driven with playwright-core in
 * Chromium. The service worker precaches the app; with the network off the console still answers.
 * Also: the JavaScript budget of a first load, the web app manifest, Chromium's installability
 * check, and the update prompt (a new version is offered, never forced).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { engineReady, lastReply, run, shot, useSandbox } from './harness';

const SUB = 'some/path/';
/** Gzipped JavaScript a first load may transfer (page + engine worker + service worker). */
const JS_BUDGET = 250 * 1000;

// A private copy of the build under /some/path/ (the update test changes sw.js in it), and a
// persistent profile, not an incognito context: Chromium does not offer to install from incognito.
const app = useSandbox({ copyAt: SUB, persistent: true, consoleErrors: true });
let appUrl: string;
let context: BrowserContext;
let page: Page;
/** Every JS URL requested during the first load, with who asked for it. */
const jsRequests: { url: string; fromServiceWorker: boolean }[] = [];

/** Run a line; its last reply. */
async function cli(line: string): Promise<string> {
  await run(page, line);
  return lastReply(page);
}

/** The served copy of dist/ (under /some/path/) relative path -> bytes. */
function served(rel: string): Buffer {
  return readFileSync(join(app.root, SUB, rel));
}

beforeAll(async () => {
  appUrl = `${app.url}${SUB}`;
  context = app.context;
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.js')) jsRequests.push({ url: r.url(), fromServiceWorker: r.serviceWorker() !== null });
  });
  ({ page } = await app.newPage());
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
    expect(await cli('PING')).toBe('PONG');
    expect(app.errors).toEqual([]);
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
      expect(await cli('SET k v')).toBe('OK');
      expect(await cli('GET k')).toBe('"v"');
      await shot(page, 'offline');
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
    appendFileSync(join(app.root, SUB, 'sw.js'), '\n// new version\n');
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
    await shot(page, 'update-prompt');

    await page.getByLabel('Language').selectOption('zh-CN');
    expect(await prompt.getByText('有新版本可用').count()).toBe(1);
    expect(await prompt.getByRole('button', { name: '重新加载' }).count()).toBe(1);
    expect(await prompt.getByRole('button', { name: '稍后' }).count()).toBe(1);
    await shot(page, 'update-prompt-zh');
    // Narrow screens: a toast at the bottom instead of over the header.
    await page.setViewportSize({ width: 390, height: 760 });
    const box = await prompt.boundingBox();
    expect(box && box.y + box.height <= 760 && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await shot(page, 'update-prompt-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('语言').selectOption('en');

    // Later: nothing reloads, the session goes on, the new version keeps waiting.
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    expect(await cli('SET lesson 1')).toBe('OK');
    await prompt.getByRole('button', { name: 'Later' }).click();
    await prompt.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await cli('GET lesson')).toBe('"1"');
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
    expect(await cli('PING')).toBe('PONG');
    expect(app.errors).toEqual([]);
  });
});
