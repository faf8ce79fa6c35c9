/**
 * The page's side of the engine: a Comlink proxy of the worker's API, or, when Web Workers are
 * unavailable (or fail to start), the same API running on the main thread behind the same
 * promise-returning interface.
 */
import { wrap, type Remote } from 'comlink';
import type { ExecOptions, SandboxApi } from './api';

/** Every API method returns a promise on the page, wherever the engine runs. */
export type EngineRemote = Remote<SandboxApi>;

export interface Bridge {
  api: EngineRemote;
  /** 'worker' normally; 'main-thread' for the fallback. */
  mode: 'worker' | 'main-thread';
  close(): void;
}

/** The API on the main thread, async like the worker's (loaded lazily so the page bundle stays small). */
export async function createMainThreadBridge(): Promise<Bridge> {
  const [{ createEngine }, { createApi }, { withPersistence }] = await Promise.all([import('../engine'), import('./api'), import('../persist/setup')]);
  const engine = createEngine({ timers: true });
  const api = createApi(engine);
  const remote = {
    exec: async (input: string | string[], options?: ExecOptions) => api.exec(input, options),
    commands: async () => api.commands(),
    state: async () => api.state(),
    checks: async (specs: Parameters<typeof api.checks>[0]) => api.checks(specs),
    forceNextLevel: async (level: number | null) => api.forceNextLevel(level),
    // Many clients (src/ui/clients): the same calls as the worker's.
    clientDefault: async () => api.clientDefault(),
    clientOpen: async (name?: string) => api.clientOpen(name),
    clientClose: async (id: number) => api.clientClose(id),
    clientRename: async (id: number, name: string) => api.clientRename(id, name),
    clientExec: async (id: number, input: string | string[], options?: ExecOptions) => api.clientExec(id, input, options),
    clientDrain: async (ids: number[]) => api.clientDrain(ids),
  } as unknown as EngineRemote;
  // The saved dataset (IndexedDB) is restored first; every call waits for it (src/persist/).
  Object.assign(remote, withPersistence(engine, api));
  return { api: remote, mode: 'main-thread', close: () => engine.stopTimers() };
}

export interface BridgeOptions {
  /** Force the main-thread engine (tests, or `?worker=0`). */
  forceMainThread?: boolean;
}

export async function createBridge(options: BridgeOptions = {}): Promise<Bridge> {
  if (!options.forceMainThread && typeof Worker !== 'undefined') {
    let worker: Worker | null = null;
    try {
      worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'redis-engine' });
      const api = wrap<SandboxApi>(worker);
      // Make sure the worker really runs (a module worker can fail to load): ask it once.
      await withTimeout(api.state(), 10_000);
      const w = worker;
      return { api, mode: 'worker', close: () => w.terminate() };
    } catch (e) {
      worker?.terminate();
      console.warn('Redis Sandbox: the engine worker did not start, running on the main thread.', e);
    }
  }
  return createMainThreadBridge();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker timeout')), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}
