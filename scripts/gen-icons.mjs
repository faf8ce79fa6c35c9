#!/usr/bin/env node
/**
 * Draw the app icons (PNG) from public/favicon.svg's artwork with headless Chromium:
 *   node scripts/gen-icons.mjs
 * Writes public/icons/icon-192.png, icon-512.png (rounded, transparent corners),
 * icon-maskable-512.png (full-bleed background, artwork inside the 80% safe zone) and
 * apple-touch-icon.png (180 px, opaque square: iOS rounds it itself). The PNGs are committed;
 * run this again only when the artwork changes.
 */
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { findChromium } from './ensure-chromium.mjs';

const OUT = 'public/icons';
const BG = '#161b22';
// The artwork of public/favicon.svg without its background, in a 64x64 box.
const ART = readFileSync('public/favicon.svg', 'utf8')
  .replace(/^.*?<svg[^>]*>/s, '')
  .replace(/<\/svg>\s*$/, '')
  .replace(/<rect[^>]*\/>/, '');

/** @param {number} size @param {{ rounded: boolean, scale: number }} o */
function svg(size, { rounded, scale }) {
  const pad = (64 - 64 * scale) / 2;
  const bg = rounded ? `<rect width="64" height="64" rx="14" fill="${BG}"/>` : `<rect width="64" height="64" fill="${BG}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="${size}" height="${size}">${bg}` +
    `<g transform="translate(${pad} ${pad}) scale(${scale})">${ART}</g></svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, rounded: true, scale: 1 },
  { file: 'icon-512.png', size: 512, rounded: true, scale: 1 },
  // Maskable: the platform crops to a circle of 80% diameter; keep the artwork within it.
  { file: 'icon-maskable-512.png', size: 512, rounded: false, scale: 0.72 },
  { file: 'apple-touch-icon.png', size: 180, rounded: false, scale: 0.86 },
];

const executablePath = findChromium();
if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg(icon.size, icon)}`);
    await page.screenshot({ path: `${OUT}/${icon.file}`, omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
    await page.close();
    console.log(`${OUT}/${icon.file} (${icon.size}x${icon.size})`);
  }
} finally {
  await browser.close();
}
