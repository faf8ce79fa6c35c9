/** The worker API and the main-thread fallback (Node has no Web Worker: createBridge falls back). */
import { describe, expect, it } from 'vitest';
import { createBridge } from '../../src/worker/bridge';
import { createApi } from '../../src/worker/api';
import { createEngine } from '../../src/engine';
import { formatReply } from '../../src/ui/format';

describe('createBridge without Web Workers', () => {
  it('runs the engine on the main thread behind the same async API', async () => {
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    const bridge = await createBridge();
    try {
      expect(bridge.mode).toBe('main-thread');
      const set = await bridge.api.exec(['SET', 'greeting', 'hello']);
      expect(formatReply(set.reply)).toBe('OK');
      const get = await bridge.api.exec('GET greeting');
      expect(formatReply(get.reply)).toBe('"hello"');
      expect(get.steps).toBeGreaterThan(0);
      expect(get.complexity).toBe('O(1)');
      expect(get.db).toBe(0);
      const names = (await bridge.api.commands()).map((d) => d.name);
      expect(names).toContain('GET');
      expect(names).toContain('SET');
    } finally {
      bridge.close();
    }
  });
});

describe('createApi', () => {
  const api = createApi(createEngine({ seed: 1 }));

  it('parses lines like redis-cli and reports unbalanced quotes', () => {
    expect(formatReply(api.exec('SET k "a b"').reply)).toBe('OK');
    expect(formatReply(api.exec('GET k').reply)).toBe('"a b"');
    expect(api.exec('SET k "oops').reply).toEqual({ t: 'error', v: 'Invalid argument(s)' });
  });

  it('turns bad input into an error reply instead of throwing', () => {
    const r = api.exec([1, 2] as unknown as string[]);
    expect(r.reply.t).toBe('error');
    expect(formatReply(api.exec('PING').reply)).toBe('PONG');
  });

  it('documents implemented commands with redis-cli syntax', () => {
    const set = api.commands().find((d) => d.name === 'SET');
    expect(set?.syntax).toMatch(/^key value \[NX\|XX\]/);
    expect(set?.group).toBe('string');
    expect(set?.complexityClass).toBe('O(1)');
  });

  it('returns the selected db after each command', () => {
    const r = api.exec(['SELECT', '2']);
    if (r.reply.t === 'status') expect(r.db).toBe(2);
    expect(api.state().db).toBe(r.db);
  });
});

describe('replies as the client protocol delivers them', () => {
  it('prints RESP2 shapes until HELLO 3, like redis-cli', async () => {
    const { createEngine } = await import('../../src/engine');
    const { createApi } = await import('../../src/worker/api');
    const { formatFor } = await import('../../src/ui/format');
    const api = createApi(createEngine({ seed: 1 }));
    api.exec('HSET h f v');
    api.exec('ZADD z 1.5 a');
    expect(formatFor(['HGETALL', 'h'], api.exec('HGETALL h').reply)).toBe('1) "f"\n2) "v"');
    expect(formatFor(['ZSCORE', 'z', 'a'], api.exec('ZSCORE z a').reply)).toBe('"1.5"');
    api.exec('HELLO 3');
    expect(formatFor(['HGETALL', 'h'], api.exec('HGETALL h').reply)).toBe('1# "f" => "v"');
    expect(formatFor(['ZSCORE', 'z', 'a'], api.exec('ZSCORE z a').reply)).toBe('(double) 1.5');
  });
});
