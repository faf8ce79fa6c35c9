/**
 * The production build is an installable, offline-capable app: dist/ (vite build runs before this
 * project, see package.json "test:browser") has the service worker, the web app manifest with its
 * PNG icons, and a precache list that covers every file the app can load, with relative URLs.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIST, requireBuild } from './harness';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [relative(DIST, p).split('\\').join('/')];
  });
}

/** Width and height from a PNG's IHDR chunk (throws unless it is a PNG). */
function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** The precache manifest workbox wrote into sw.js: [{ url, revision }]. */
function precached(): string[] {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  return [...sw.matchAll(/\{url:"([^"]+)",revision:(?:"[^"]*"|null)\}/g)].map((m) => m[1]);
}

describe('PWA build output', () => {
  it('has sw.js, its workbox runtime and manifest.webmanifest', () => {
    requireBuild();
    expect(existsSync(join(DIST, 'sw.js'))).toBe(true);
    expect(existsSync(join(DIST, 'manifest.webmanifest'))).toBe(true);
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    const runtime = /define\(\["\.\/(workbox-[\w-]+)"\]/.exec(sw)?.[1];
    expect(runtime).toBeDefined();
    expect(existsSync(join(DIST, `${runtime}.js`))).toBe(true);
  });

  it('the manifest has the required fields and real 192/512 px PNG icons (one maskable)', () => {
    const m = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
    expect(m).toMatchObject({
      name: 'Redis Sandbox',
      short_name: 'Redis Sandbox',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#0b0e13',
      background_color: '#0b0e13',
    });
    expect(m.short_name.length).toBeLessThanOrEqual(15);
    expect(typeof m.description).toBe('string');
    const icons = m.icons as { src: string; sizes: string; type: string; purpose?: string }[];
    const purposes = icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`).sort();
    expect(purposes).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of icons) {
      expect(icon.src.startsWith('/')).toBe(false); // relative: works from a sub-path
      expect(icon.type).toBe('image/png');
      const [w, h] = pngSize(join(DIST, icon.src));
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
    expect(pngSize(join(DIST, 'icons/apple-touch-icon.png'))).toEqual([180, 180]);
  });

  it('index.html links the manifest, the icons and the theme color with relative URLs', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).toContain('<link rel="manifest" href="./manifest.webmanifest">');
    expect(html).toContain('<link rel="apple-touch-icon" href="./icons/apple-touch-icon.png" />');
    expect(html).toContain('<meta name="theme-color" content="#0b0e13" />');
    expect(html).not.toMatch(/(src|href)="\/[^/]/);
  });

  it('precaches every file the app can load (worker chunk, lazy chunks, CSS, HTML, icons), no sourcemaps', () => {
    const list = precached();
    expect(new Set(list).size).toBe(list.length);
    for (const url of list) {
      expect(url.startsWith('/') || url.includes('://')).toBe(false);
      expect(existsSync(join(DIST, url))).toBe(true);
    }
    const expected = files(DIST).filter((f) => !f.endsWith('.map') && f !== 'sw.js' && !/^workbox-[\w-]+\.js$/.test(f));
    expect(list.slice().sort()).toEqual(expected.sort());
    expect(list).toContain('index.html');
    expect(list.some((u) => /^assets\/engine\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(list.some((u) => u.endsWith('.css'))).toBe(true);
    expect(list.filter((u) => u.startsWith('icons/')).length).toBe(4);
    expect(list.some((u) => u.endsWith('.map'))).toBe(false);
  });

  it('the service worker waits for the student (no skipWaiting), serves index.html for navigations', () => {
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    // skipWaiting() only on the message the prompt's "Reload" sends.
    const all = sw.match(/self\.skipWaiting\(\)/g) ?? [];
    const onMessage = sw.match(/"SKIP_WAITING"===\w+\.data\.type&&self\.skipWaiting\(\)/g) ?? [];
    expect(all.length).toBe(1);
    expect(onMessage.length).toBe(1);
    expect(sw).toMatch(/createHandlerBoundToURL\("index\.html"\)/);
  });
});
