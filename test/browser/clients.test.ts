/**
 * Many clients at once in a real browser: two consoles side by side, pub/sub between them, a
 * blocked BLPOP woken by the other client, a WATCH race, CLIENT LIST with the names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { lastReply as reply, replies, shot, useSandbox } from './harness';

const app = useSandbox({ context: { viewport: { width: 1400, height: 860 } } });
let page: Page;

const client = (n: number): Locator => page.getByRole('region', { name: `Client ${n}`, exact: true });

/** Type a line in a client's console; waits until its entry printed (unless it blocks). */
async function run(n: number, line: string, opts: { wait?: boolean } = {}): Promise<void> {
  const c = client(n);
  const before = await c.locator('[role="log"] .entry').count();
  const input = c.getByRole('textbox', { name: 'Redis command' });
  await input.fill(line);
  await input.press('Enter');
  await c.locator('[role="log"] .entry').nth(before).waitFor();
  if (opts.wait === false) return;
  await expect.poll(async () => c.locator('[role="log"] .entry').nth(before).locator('.pending').count()).toBe(0);
}

const lastReply = (n: number): Promise<string> => reply(client(n));
const lastEntryText = (n: number): Promise<string[]> => replies(client(n));

for (const mode of ['worker', 'main-thread'] as const) {
  describe(`many clients (${mode})`, () => {
    beforeAll(async () => {
      ({ page } = await app.open(mode === 'worker' ? '' : '?worker=0'));
    });

    it('adds a second client beside the first; Client 1 cannot be closed', async () => {
      expect(await page.getByRole('region', { name: /^Client \d$/ }).count()).toBe(1);
      await page.getByRole('button', { name: 'Add client' }).click();
      await client(2).getByRole('textbox', { name: 'Redis command' }).waitFor();
      expect(await page.getByRole('region', { name: /^Client \d$/ }).count()).toBe(2);
      expect(await client(1).getByRole('button', { name: 'Close client' }).count()).toBe(0);
      expect(await client(2).getByRole('button', { name: 'Close client' }).count()).toBe(1);
      const b1 = await client(1).boundingBox();
      const b2 = await client(2).boundingBox();
      expect(b2!.x).toBeGreaterThan(b1!.x + b1!.width - 1); // side by side
      await run(2, 'SELECT 3');
      expect(await client(2).getByTestId('prompt').textContent()).toBe('127.0.0.1:6379[3]>');
      expect(await client(1).getByTestId('prompt').textContent()).toBe('127.0.0.1:6379>');
      await run(2, 'SELECT 0');
    });

    it('SUBSCRIBE in Client 1, PUBLISH in Client 2: the message appears as redis-cli prints it', async () => {
      await run(1, 'SUBSCRIBE chat');
      expect(await lastEntryText(1)).toEqual(['Reading messages... (press Ctrl-C to quit)', '1) "subscribe"\n2) "chat"\n3) (integer) 1']);
      await run(2, 'PUBLISH chat hi');
      expect(await lastReply(2)).toBe('(integer) 1');
      await expect.poll(() => lastEntryText(1)).toEqual([
        'Reading messages... (press Ctrl-C to quit)',
        '1) "subscribe"\n2) "chat"\n3) (integer) 1',
        '1) "message"\n2) "chat"\n3) "hi"',
      ]);
      // The pub/sub view: publisher -> channel -> subscriber, PUBLISH's count.
      const view = page.getByRole('img', { name: /published to channel chat: 1 receiver/ });
      await view.waitFor();
      expect(await view.locator('.node[data-id="chat"]').count()).toBe(1);
      expect(await view.locator('.node[data-id="Client 1"]').count()).toBe(1);
      expect(await view.locator('.node[data-id="Client 2"]').count()).toBe(1);
      expect(await page.getByTestId('pubsub-receivers').textContent()).toContain('(integer) 1');
      await page.waitForTimeout(300);
      await shot(page, `clients-pubsub-${mode}`);
      // Ctrl-C leaves subscribed mode (RESET): PUBLISH now reaches nobody.
      await client(1).getByRole('textbox', { name: 'Redis command' }).press('Control+c');
      await expect.poll(async () => (await lastEntryText(1)).at(-1)).toMatch(/^\^C/);
      await expect.poll(async () => client(1).locator('[data-subscribed]').count()).toBe(0);
      await run(2, 'PUBLISH chat again');
      expect(await lastReply(2)).toBe('(integer) 0');
    });

    it('BLPOP in Client 1 waits; LPUSH in Client 2 wakes it', async () => {
      await run(1, 'BLPOP q 0', { wait: false });
      const waiting = client(1).getByTestId('waiting');
      await waiting.waitFor();
      expect(await waiting.textContent()).toMatch(/^waiting… \d+\.\d s \(no timeout\)$/);
      await page.waitForTimeout(600);
      await shot(page, `clients-blocked-${mode}`);
      await run(2, 'LPUSH q job');
      expect(await lastReply(2)).toBe('(integer) 1');
      // The reply, then the elapsed time redis-cli prints after a command of 0.5 s or more.
      await expect.poll(async () => (await lastEntryText(1)).at(-2), { timeout: 10000 }).toBe('1) "q"\n2) "job"');
      expect((await lastEntryText(1)).at(-1)).toMatch(/^\(\d+\.\d\ds\)$/);
      expect(await waiting.count()).toBe(0);
      // A timeout is served by the engine's timers.
      await run(1, 'BLPOP nothing 0.3', { wait: false });
      await expect.poll(async () => (await lastEntryText(1))[0], { timeout: 10000 }).toBe('(nil)');
    });

    it('a WATCH race: EXEC fails after Client 2 writes the key', async () => {
      await run(1, 'WATCH k');
      await run(1, 'MULTI');
      expect(await client(1).getByTestId('prompt').textContent()).toBe('127.0.0.1:6379(TX)>');
      await run(1, 'INCR k');
      expect(await lastReply(1)).toBe('QUEUED');
      await run(2, 'SET k 5');
      await run(1, 'EXEC');
      expect(await lastReply(1)).toBe('(nil)');
    });

    it('CLIENT LIST shows both clients with the names set by Rename client', async () => {
      await client(1).getByRole('button', { name: 'Rename client' }).click();
      await client(1).getByRole('textbox', { name: 'Client name' }).fill('alice');
      await client(1).getByRole('textbox', { name: 'Client name' }).press('Enter');
      await client(2).getByRole('button', { name: 'Rename client' }).click();
      await client(2).getByRole('textbox', { name: 'Client name' }).fill('bob');
      await client(2).getByRole('textbox', { name: 'Client name' }).press('Enter');
      await run(1, 'CLIENT LIST');
      const lines = (await lastReply(1)).split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^id=\d+ addr=\S+ laddr=\S+ fd=\d+ name=alice age=\d+ idle=\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 .* cmd=client\|list user=default redir=-1 resp=2$/);
      expect(lines[1]).toMatch(/ name=bob .* cmd=set /);
      await run(2, 'CLIENT GETNAME');
      expect(await lastReply(2)).toBe('"bob"');
      await shot(page, `clients-list-${mode}`);
    });

    it('CLIENT KILL closes the other console: redis-cli\'s error, then it reconnects', async () => {
      const id = (await client(2).getAttribute('data-client-id'))!;
      await run(1, `CLIENT KILL ID ${id}`);
      expect(await lastReply(1)).toBe('(integer) 1');
      await run(2, 'GET k');
      expect(await lastReply(2)).toBe('Error: Server closed the connection');
      expect(await client(2).getByTestId('prompt').textContent()).toBe('not connected>');
      await run(2, 'GET k');
      expect(await lastReply(2)).toBe('"5"');
      expect(await client(2).getAttribute('data-client-id')).not.toBe(id);
      await client(2).getByRole('button', { name: 'Close client' }).click();
      await expect.poll(() => page.getByRole('region', { name: /^Client \d$/ }).count()).toBe(1);
      await run(1, 'CLIENT LIST');
      expect((await lastReply(1)).split('\n')).toHaveLength(1);
      expect(app.errors).toEqual([]);
    });
  });
}
