/**
 * The persistence half of the worker API (joined to EngineApi in src/worker/api.ts as SandboxApi):
 * the state of the saved log for the persistence view, and its controls. Plain, cloneable data.
 */
import type { Engine } from '../engine/engine';
import { rewriteAppendOnlyFile } from '../engine/persistence/aof';
import { Persister, type OpenRdbResult, type PersistOptions, type PersistStatus } from './persister';
import { browserStorage, type LogStorage } from './storage';

export type { PersistStatus, RestoreReport, OpenRdbResult, PersistMode } from './persister';

export interface PersistApi {
  /** The log's size, tail and the last save time. */
  persistStatus(): PersistStatus;
  /** Write buffered commands now (the page is hidden or closing); resolves when they are stored. */
  persistFlush(): Promise<PersistStatus>;
  /** BGREWRITEAOF: the log becomes the rewrite of the dataset. */
  persistRewrite(): Promise<PersistStatus>;
  /** Empty dataset, default configuration, no saved log. */
  persistReset(): Promise<PersistStatus>;
  /** The log as one appendonly.aof file (bytes). */
  persistAof(): Uint8Array;
  /** SAVE, then the RDB file's bytes (REDIS0010...). */
  persistRdb(): Uint8Array;
  /** Load an RDB file, replacing the dataset (the loader's message when it is refused). */
  persistOpenRdb(bytes: Uint8Array): Promise<OpenRdbResult>;
}

function byteStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function createPersistApi(engine: Engine, persister: Persister): PersistApi {
  return {
    persistStatus: () => persister.status(),
    async persistFlush() {
      await persister.flush();
      return persister.status();
    },
    async persistRewrite() {
      // As BGREWRITEAOF typed in the console: the engine's rewrite, which the persister follows.
      // As BGREWRITEAOF typed in the console: the engine's rewrite (INFO counts it), which the
      // persister follows (engine.persistence.onAofRewrite).
      rewriteAppendOnlyFile(engine);
      await persister.idle();
      return persister.status();
    },
    async persistReset() {
      await persister.reset();
      return persister.status();
    },
    persistAof: () => byteStringToBytes(persister.aof()),
    persistRdb: () => persister.rdb().slice(),
    persistOpenRdb: (bytes) => persister.openRdb(bytes),
  };
}

/** The name of the Web Lock held by the tab that writes the log (one writer per origin). */
export const LOCK_NAME = 'redis-sandbox-aof';

/**
 * Start persistence for an engine: IndexedDB when available, one writing tab per origin (a Web
 * Lock; a second tab restores the dataset but saves nothing until the first one closes).
 * Resolves once the saved dataset is in the engine.
 */
export async function startPersistence(engine: Engine, opts: PersistOptions & { storage?: LogStorage | null; lockWaitMs?: number } = {}): Promise<Persister> {
  const storage = opts.storage !== undefined ? opts.storage : browserStorage();
  let owner = true;
  let later: Promise<unknown> | null = null;
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  if (storage && locks) {
    let gotIt!: () => void;
    const acquired = new Promise<void>((ok) => (gotIt = ok));
    // Held until the tab (its worker) goes away.
    later = locks.request(LOCK_NAME, () => { gotIt(); return new Promise<never>(() => {}); }).catch(() => undefined);
    const wait = opts.lockWaitMs ?? 3000;
    owner = await Promise.race([acquired.then(() => true), new Promise<boolean>((ok) => setTimeout(() => ok(false), wait))]);
    if (!owner) {
      const p = new Persister(engine, storage, { ...opts, owner: false });
      void acquired.then(() => p.becomeOwner());
      await p.start();
      return p;
    }
  }
  void later;
  const p = new Persister(engine, storage, { ...opts, owner });
  await p.start();
  return p;
}
