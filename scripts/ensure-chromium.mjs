#!/usr/bin/env node
/**
 * Find a Chromium for the browser tests and print its path: CHROME_PATH, then chromium,
 * chromium-browser, google-chrome(-stable) on PATH and their usual locations. When none is found
 * and apt-get runs as root, install Debian's chromium; otherwise exit 1 with one line saying how.
 * Import findChromium() to get the path from a test.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const PLACES = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium', '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function executable(p) {
  try { accessSync(p, constants.X_OK); return true; } catch { return false; }
}

/** @returns {string | null} */
export function findChromium() {
  const env = process.env.CHROME_PATH;
  if (env && executable(env)) return env;
  for (const name of NAMES) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && executable(join(dir, name))) return join(dir, name);
    }
  }
  return PLACES.find(executable) ?? null;
}

function canAptInstall() {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  try { execFileSync('apt-get', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let found = findChromium();
  if (!found && canAptInstall()) {
    console.error('Chromium not found: installing it with apt-get (Debian package "chromium")...');
    try {
      execFileSync('apt-get', ['update'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch { /* reported below */ }
    found = findChromium();
  }
  if (!found) {
    console.error('Chromium not found: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH to a Chrome/Chromium binary.');
    process.exit(1);
  }
  console.log(found);
}
