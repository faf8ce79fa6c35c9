/**
 * The one harness of the browser tests. The production build (dist/, or SANDBOX_DIST; vite build runs
 * first, see package.json "test:browser") is served on a free port by scripts/serve.mjs; Chromium is
 * found by scripts/ensure-chromium.mjs and launched headless by playwright-core; every page is watched
 * for uncaught errors and dialogs; everything is closed after the file. Screenshots go to test-results/.
 *
 *   const app = useSandbox({ context: { viewport: { width: 1400, height: 900 } } }); // beforeAll + afterAll
 *   const { page, errors } = await app.open('#script=…');  // a fresh context, the engine started
 *   await run(page, 'SET a 1');
 *   expect(await lastReply(page)).toBe('OK');
 *   await shot(page, 'console');                            // test-results/console.png
 *   expect(errors).toEqual([]);                              // or app.errors: every page of the file
 */
import { afterAll, beforeAll } from 'vitest';
import {
  chromium,
  type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type PageScreenshotOptions,
} from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { serve } from '../../scripts/serve.mjs';
// @ts-expect-error plain ESM script without type declarations
import { findChromium } from '../../scripts/ensure-chromium.mjs';

/** The production build under test. */
export const DIST: string = process.env.SANDBOX_DIST ?? 'dist';
/** Where screenshots (and downloaded files) go. */
export const SHOTS = 'test-results';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** Every browser context starts from these options. */
export const CONTEXT: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true };

export interface StaticServer { url: string; port: number; close(): Promise<void> }

/** Throws unless the production build is there. */
export function requireBuild(): void {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/ is missing: run \`vite build\` first (npm run test:browser does)`);
}

/** Serves `dir` on 127.0.0.1, on a free port. */
export function serveStatic(dir: string): Promise<StaticServer> {
  return serve({ dir, port: 0 });
}

/** The Chromium binary, or one line saying how to get one. */
export function chromiumPath(): string {
  const path = findChromium() as string | null;
  if (!path) throw new Error("Chromium not found: run `node scripts/ensure-chromium.mjs` (as root it installs Debian's chromium) or set CHROME_PATH to a Chrome/Chromium binary.");
  return path;
}

export interface SandboxOptions {
  /** Options for every context of the file, over CONTEXT. */
  context?: BrowserContextOptions;
  /** Serve a private copy of the build under this sub-path (e.g. 'some/path/'), removed afterwards; `root` is the copy. */
  copyAt?: string;
  /** One context on a temporary persistent profile (`app.context`) instead of incognito contexts:
   *  Chromium offers to install a web app only outside incognito. */
  persistent?: boolean;
  /** Also count console.error messages as errors. */
  consoleErrors?: boolean;
}

export interface Opened { page: Page; context: BrowserContext; errors: string[] }

export interface Sandbox {
  /** The static server's root URL (ends in '/'). */
  readonly url: string;
  /** The directory served. */
  readonly root: string;
  readonly browser: Browser;
  /** The persistent context (with `persistent: true`). */
  readonly context: BrowserContext;
  /** The errors of every page opened by this sandbox. */
  readonly errors: string[];
  /** A watched page in a fresh context (the persistent one with `persistent: true`), not navigated. */
  newPage(options?: BrowserContextOptions): Promise<Opened>;
  /** newPage, then go to url + `path` and wait for the engine. */
  open(path?: string, options?: BrowserContextOptions): Promise<Opened>;
}

/** Registers beforeAll (server, browser) and afterAll (close everything) for the calling test file. */
export function useSandbox(options: SandboxOptions = {}): Sandbox {
  const defaults: BrowserContextOptions = { ...CONTEXT, ...options.context };
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const temporary: string[] = [];
  let root = DIST;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let persistent: BrowserContext | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there: useSandbox() starts it in beforeAll`);
    return value;
  };
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    temporary.push(dir);
    return dir;
  };

  beforeAll(async () => {
    requireBuild();
    mkdirSync(SHOTS, { recursive: true });
    if (options.copyAt !== undefined) {
      root = tempDir('redis-sandbox-site-');
      cpSync(DIST, join(root, options.copyAt), { recursive: true });
    }
    server = await serveStatic(root);
    const launch = { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS };
    if (options.persistent) persistent = await chromium.launchPersistentContext(tempDir('redis-sandbox-profile-'), { ...launch, ...defaults });
    else browser = await chromium.launch(launch);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await persistent?.close();
    await browser?.close();
    await server?.close();
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  async function newPage(contextOptions: BrowserContextOptions = {}): Promise<Opened> {
    let context = persistent;
    if (!context) {
      context = await started(browser, 'The browser').newContext({ ...defaults, ...contextOptions });
      contexts.push(context);
    }
    const page = await context.newPage();
    const mine: string[] = [];
    const report = (message: string) => { mine.push(message); errors.push(message); };
    if (options.consoleErrors) page.on('console', (m) => { if (m.type() === 'error') report(`console: ${m.text()}`); });
    page.on('pageerror', (e) => report(`pageerror: ${String(e)}`));
    page.on('dialog', (d) => { report(`dialog: ${d.message()}`); void d.dismiss(); });
    return { page, context, errors: mine };
  }

  return {
    get url() { return started(server, 'The static server').url; },
    get root() { return root; },
    get browser() { return started(browser, 'The browser'); },
    get context() { return started(persistent, 'The persistent context'); },
    errors,
    newPage,
    async open(path = '', contextOptions = {}) {
      const opened = await newPage(contextOptions);
      await opened.page.goto(`${started(server, 'The static server').url}${path}`);
      await engineReady(opened.page);
      return opened;
    },
  };
}

/** Wait for the console and for the engine to have started. */
export async function engineReady(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Redis command' }).waitFor();
  await page.waitForFunction(() => !document.body.textContent?.includes('Starting the engine'));
}

/** Wait until the console has at least `n` entries, the last one printed (not pending). */
export async function entriesDone(page: Page, n: number, timeout?: number): Promise<void> {
  await page.waitForFunction((n) => {
    const entries = document.querySelectorAll('[role="log"] .entry');
    return entries.length >= n && !entries[entries.length - 1].querySelector('.pending');
  }, n, { timeout });
}

export interface RunOptions {
  /** The input's accessible name ('Redis 命令' in Chinese). */
  label?: string;
  timeout?: number;
}

/** Type a line in the console and press Enter; resolves when its entry has printed. */
export async function run(page: Page, line: string, { label = 'Redis command', timeout }: RunOptions = {}): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  const before = await page.locator('[role="log"] .entry').count();
  await input.fill(line);
  await input.press('Enter');
  await entriesDone(page, before + 1, timeout);
}

/** run, then wait until the visualizer shows this command. */
export async function runShown(page: Page, line: string, timeout?: number): Promise<void> {
  const shownBefore = await page.evaluate(() => document.querySelector('.vis')?.getAttribute('data-run') ?? '');
  await run(page, line, { timeout });
  await page.waitForFunction((r) => (document.querySelector('.vis')?.getAttribute('data-run') ?? '') !== r, shownBefore, { timeout });
}

/** The last reply of the last console entry (of the page, or of one client's console). */
export async function lastReply(scope: Page | Locator): Promise<string> {
  return (await scope.locator('[role="log"] .entry').last().locator('[data-testid="reply"]').last().textContent()) ?? '';
}

/** Every reply of the last console entry. */
export async function replies(scope: Page | Locator): Promise<string[]> {
  return scope.locator('[role="log"] .entry').last().locator('[data-testid="reply"]').allTextContents();
}

/** The visualizer's region. */
export const visualizer = (page: Page): Locator => page.locator('.vis[role="region"]');

/** The visualizer's step counter ("step 3 of 7 · 12 steps · O(1)"). */
export async function stepCounter(page: Page): Promise<string> {
  return (await visualizer(page).getByTestId('step-counter').textContent()) ?? '';
}

/** Wait until the visualizer's playback stands on its last step. */
export async function playedToEnd(page: Page, timeout?: number): Promise<void> {
  await page.waitForFunction(() => /^step (\d+) of \1 /.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''), null, { timeout });
}

/** Screenshot to test-results/`name`.png. */
export async function shot(page: Page, name: string, options: PageScreenshotOptions = {}): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, ...options });
}
