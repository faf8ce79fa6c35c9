/**
 * The dataset survives a reload (an append-only log in IndexedDB, written in the engine's worker),
 * the persistence view follows the log, Reset sandbox empties everything, a damaged log still starts
 * the sandbox with a message, and RDB files go out (Download RDB) and in (Open RDB file).
 * Production build (vite build runs first, see package.json "test:browser"), Chromium via playwright-core.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { engineReady, replies, run, SHOTS, shot, useSandbox } from './harness';

const app = useSandbox();
let page: Page;

beforeAll(async () => {
  ({ page } = await app.open());
});

/** Run a line; every reply of its entry, one per line. */
async function cli(line: string): Promise<string> {
  await run(page, line);
  return (await replies(page)).join('\n');
}

const panel = () => page.getByRole('region', { name: 'Persistence' });

async function openPanel(): Promise<void> {
  if (await panel().count() === 0) await page.getByRole('button', { name: 'Persistence', exact: true }).click();
  await panel().waitFor();
}

async function logBytes(): Promise<number> {
  return Number(await page.getByTestId('aof-bytes').getAttribute('data-bytes'));
}

/** Wait until the log size shown satisfies `pred` (the view polls the worker). */
async function waitBytes(pred: string): Promise<number> {
  await page.waitForFunction((p) => {
    const n = Number(document.querySelector('[data-testid="aof-bytes"]')?.getAttribute('data-bytes'));
    return new Function('n', `return ${p}`)(n) as boolean;
  }, pred);
  return logBytes();
}

describe('persistence', () => {
  it('restores strings, lists, hashes and sorted sets with their TTLs after a reload', async () => {
    expect(await cli('DBSIZE')).toBe('(integer) 0');
    expect(await cli('SET greeting hello EX 1000')).toBe('OK');
    expect(await cli('RPUSH queue a b c')).toBe('(integer) 3');
    expect(await cli('HSET user:1 name Ada lang en')).toBe('(integer) 2');
    expect(await cli('ZADD board 1.5 alice 3 bob')).toBe('(integer) 2');
    expect(await cli('EXPIRE board 500')).toBe('(integer) 1');
    // Reloaded right away: the page asks the worker to write its buffer when it is hidden / closed.
    await page.reload();
    await engineReady(page);
    expect(await cli('GET greeting')).toBe('"hello"');
    expect(await cli('LRANGE queue 0 -1')).toBe('1) "a"\n2) "b"\n3) "c"');
    expect(await cli('HGET user:1 name')).toBe('"Ada"');
    expect(await cli('ZSCORE board bob')).toBe('"3"');
    const ttl = Number((await cli('TTL greeting')).replace('(integer) ', ''));
    expect(ttl).toBeGreaterThan(900);
    expect(ttl).toBeLessThanOrEqual(1000);
    expect(Number((await cli('TTL board')).replace('(integer) ', ''))).toBeGreaterThan(400);
    expect(await cli('DBSIZE')).toBe('(integer) 4');
  });

  it('keeps the console database across a reload', async () => {
    expect(await cli('SELECT 3')).toBe('OK');
    expect(await cli('SET in3 yes')).toBe('OK');
    await page.reload();
    await engineReady(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="prompt"]')?.textContent === '127.0.0.1:6379[3]>');
    expect(await cli('GET in3')).toBe('"yes"');
    expect(await cli('SELECT 0')).toBe('OK');
  });

  it('the persistence view: the log grows with writes, shows its end, and shrinks after Rewrite log', async () => {
    await openPanel();
    await panel().getByText('Saving in this browser').waitFor();
    const start = await waitBytes('n > 0');
    await cli('SET counter 1');
    const grown = await waitBytes(`n > ${start}`);
    for (let i = 2; i <= 6; i++) await cli(`SET counter ${i}`);
    const bigger = await waitBytes(`n > ${grown}`);
    // The end of the log, as commands: the last write is there.
    await page.waitForFunction(() => document.querySelector('[data-testid="aof-tail"] li:last-child')?.textContent === 'SET counter 6');
    await panel().getByRole('button', { name: 'RESP' }).click();
    expect(await page.locator('[data-testid="aof-tail"] li').last().textContent()).toBe('*3\\r\\n$3\\r\\nSET\\r\\n$7\\r\\ncounter\\r\\n$1\\r\\n6\\r\\n');
    await panel().getByRole('button', { name: 'Commands' }).click();
    // Saved within about a second (appendfsync everysec).
    await page.waitForFunction(() => document.querySelector('[data-testid="aof-pending"]')?.getAttribute('data-bytes') === '0', null, { timeout: 5000 });
    expect(await page.getByTestId('last-save').textContent()).not.toBe('never');
    await shot(page, 'persistence-view');
    await panel().getByRole('button', { name: 'Rewrite log' }).click();
    const after = await waitBytes(`n < ${bigger}`);
    expect(after).toBeLessThan(bigger);
    expect(await page.getByTestId('persist-message').textContent()).toMatch(/^Log rewritten: /);
    // The rewrite is the dataset: one SET for the counter.
    const tail = await page.locator('[data-testid="aof-tail"] li').allTextContents();
    expect(tail.filter((l) => l.startsWith('SET counter'))).toEqual(['SET counter 6']);
    await shot(page, 'persistence-rewritten');
    // And it still restores.
    await page.reload();
    await engineReady(page);
    expect(await cli('GET counter')).toBe('"6"');
    expect(await cli('HGET user:1 lang')).toBe('"en"');
  });

  let rdbPath = '';
  it('Download RDB gives a REDIS0010 file, Download AOF the log', async () => {
    await openPanel();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel().getByRole('button', { name: 'Download RDB' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dump.rdb');
    rdbPath = `${SHOTS}/persistence-dump.rdb`;
    await download.saveAs(rdbPath);
    const rdb = readFileSync(rdbPath);
    expect(rdb.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    expect(rdb[rdb.length - 9]).toBe(0xff); // EOF, then the CRC64
    const [aof] = await Promise.all([
      page.waitForEvent('download'),
      panel().getByRole('button', { name: 'Download AOF' }).click(),
    ]);
    expect(aof.suggestedFilename()).toBe('appendonly.aof');
    const aofPath = `${SHOTS}/persistence-appendonly.aof`;
    await aof.saveAs(aofPath);
    const text = readFileSync(aofPath, 'latin1');
    expect(text.startsWith('*2\r\n$6\r\nSELECT\r\n')).toBe(true);
    expect(text).toContain('$7\r\ncounter\r\n$1\r\n6\r\n');
  });

  it('Open RDB file replaces the dataset; a corrupt file gives the loader message', async () => {
    expect(await cli('FLUSHALL')).toBe('OK');
    expect(await cli('DBSIZE')).toBe('(integer) 0');
    await openPanel();
    await page.getByTestId('rdb-file').setInputFiles(rdbPath);
    await page.waitForFunction(() => document.querySelector('[data-testid="persist-message"]')?.textContent?.startsWith('Loaded persistence-dump.rdb'));
    expect(await cli('GET counter')).toBe('"6"');
    expect(await cli('LRANGE queue 0 -1')).toBe('1) "a"\n2) "b"\n3) "c"');
    const bad = Buffer.from(readFileSync(rdbPath));
    bad[bad.length - 1] ^= 0xff;
    const badPath = `${SHOTS}/persistence-bad.rdb`;
    writeFileSync(badPath, bad);
    await page.getByTestId('rdb-file').setInputFiles(badPath);
    await page.waitForFunction(() => document.querySelector('[data-testid="persist-message"]')?.textContent?.startsWith('Could not load'));
    expect(await page.getByTestId('persist-message').textContent()).toMatch(/^Could not load persistence-bad\.rdb: Wrong RDB checksum/);
    expect(await cli('GET counter')).toBe('"6"'); // unchanged
    await shot(page, 'persistence-open-rdb-error');
  });

  it('Reset sandbox asks first, then empties the dataset and the log', async () => {
    await openPanel();
    expect(await cli('CONFIG SET zset-max-listpack-entries 1')).toBe('OK');
    await panel().getByRole('button', { name: 'Reset sandbox' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the sandbox?' });
    await dialog.waitFor();
    await shot(page, 'persistence-reset-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await cli('DBSIZE')).not.toBe('(integer) 0');
    await panel().getByRole('button', { name: 'Reset sandbox' }).click();
    await dialog.getByRole('button', { name: 'Erase everything' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="persist-message"]')?.textContent?.startsWith('The sandbox was reset'));
    expect(await cli('DBSIZE')).toBe('(integer) 0');
    expect(await cli('CONFIG GET zset-max-listpack-entries')).toBe('1) "zset-max-listpack-entries"\n2) "128"');
    expect(await logBytes()).toBe(0);
    await page.reload();
    await engineReady(page);
    expect(await cli('DBSIZE')).toBe('(integer) 0');
    expect(await cli('SELECT 3')).toBe('OK');
    expect(await cli('DBSIZE')).toBe('(integer) 0');
    expect(await cli('SELECT 0')).toBe('OK');
  });

  it('a corrupt log in IndexedDB: the sandbox starts with its valid prefix and says what was cut', async () => {
    expect(await cli('SET survivor yes')).toBe('OK');
    await openPanel();
    await page.waitForFunction(() => document.querySelector('[data-testid="aof-pending"]')?.getAttribute('data-bytes') === '0', null, { timeout: 5000 });
    // Garbage after the valid segments, and a segment that is not even text.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, ko) => {
        const r = indexedDB.open('redis-sandbox-aof');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      await new Promise<void>((ok, ko) => {
        const tx = db.transaction('log', 'readwrite');
        tx.objectStore('log').put('*3\r\n$3\r\nSET\r\n$4\r\nlost\r\n$3\r\nyes\r\n\x00\x01garbage!!', 1_000_000);
        tx.objectStore('log').put({ not: 'a log' }, 1_000_001);
        tx.oncomplete = () => ok();
        tx.onerror = () => ko(tx.error);
      });
      db.close();
    });
    await page.reload();
    await engineReady(page);
    const alert = page.getByTestId('restore-damaged');
    await alert.waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'The saved sandbox was damaged' }).count()).toBe(1);
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/Cut 11 bytes and 1 record/);
    expect(text).toContain("bad format at offset");
    expect(text).toContain("expected '*', found byte 0x00");
    expect(text).toContain('segment 1000001 is not text (an object)');
    await shot(page, 'persistence-damaged');
    expect(await cli('GET survivor')).toBe('"yes"');
    expect(await cli('GET lost')).toBe('"yes"'); // the last complete command before the garbage
    expect(await cli('PING')).toBe('PONG');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    // The log was rewritten: the next start is clean.
    await page.reload();
    await engineReady(page);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('restore-damaged').count()).toBe(0);
    expect(await cli('GET survivor')).toBe('"yes"');
  });

  it('in 简体中文', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await openPanelZh();
    expect(await page.getByRole('button', { name: '重写日志' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '下载 RDB' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '重置沙盒' }).count()).toBe(1);
    await shot(page, 'persistence-zh');
    await page.getByLabel('语言').selectOption('en');
    expect(app.errors).toEqual([]);
  });
});

async function openPanelZh(): Promise<void> {
  const region = page.getByRole('region', { name: '持久化' });
  if (await region.count() === 0) await page.getByRole('button', { name: '持久化', exact: true }).click();
  await region.waitFor();
}
