/**
 * Join persistence to the engine API where the engine runs (the worker, or the page in the
 * fallback): the saved dataset is restored first, and every call waits for that, so no command
 * runs against a half-restored sandbox.
 */
import type { Engine } from '../engine/engine';
import type { EngineApi, SandboxApi } from '../worker/api';
import { createPersistApi, startPersistence, type PersistApi } from './api';
import { Persister } from './persister';

export function withPersistence(engine: Engine, api: EngineApi, opts: Parameters<typeof startPersistence>[1] = {}): SandboxApi {
  const ready: Promise<PersistApi> = startPersistence(engine, opts)
    .catch(async (e: unknown) => {
      console.warn('Redis Sandbox: persistence is off.', e);
      const p = new Persister(engine, null);
      await p.start();
      return p;
    })
    .then((p) => createPersistApi(engine, p));
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(api) as [string, (...a: unknown[]) => unknown][]) {
    out[name] = async (...args: unknown[]) => { await ready; return fn(...args); };
  }
  const persistNames: (keyof PersistApi)[] = ['persistStatus', 'persistFlush', 'persistRewrite', 'persistReset', 'persistAof', 'persistRdb', 'persistOpenRdb'];
  for (const name of persistNames) {
    out[name] = async (...args: unknown[]) => ((await ready)[name] as (...a: unknown[]) => unknown)(...args);
  }
  return out as unknown as SandboxApi;
}
