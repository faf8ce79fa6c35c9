/**
 * Where the append only log is kept, behind a small interface: IndexedDB in the browser, memory in
 * Node tests. The log is a base (the dataset rewritten as commands, as BGREWRITEAOF writes it) plus
 * numbered segments appended after it (one per flush, like the .incr.aof file), and a meta record.
 *
 * IndexedDB layout (database "redis-sandbox-aof", object store "log", out-of-line keys):
 *   "meta" -> { v: 1, db: number, savedAt: number, rewrittenAt: number }
 *   "base" -> string (RESP byte string)
 *   1, 2, 3 ... -> string (RESP byte string), replayed in key order after the base
 * Every operation is one transaction, so a rewrite (clear + base) is all or nothing.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

export interface LogMeta {
  v: 1;
  /** The console client's selected database. */
  db: number;
  /** Time of the last write to storage (ms). */
  savedAt: number;
  /** Time of the last rewrite of the base (ms). */
  rewrittenAt: number;
}

/** What storage holds, unchecked (a damaged store may hold anything). */
export interface StoredLog {
  meta: unknown;
  base: unknown;
  /** Segments in key order. */
  segments: { key: IDBValidKey; value: unknown }[];
  /** Records that are neither meta, base nor a numbered segment. */
  other: IDBValidKey[];
}

export interface LogStorage {
  /** Everything stored (empty when nothing was ever saved). */
  load(): Promise<StoredLog>;
  /** Append segment `seq` and update meta, in one transaction. */
  append(seq: number, chunk: string, meta: LogMeta): Promise<void>;
  /** Replace the whole log by `base` (segments dropped), in one transaction. */
  replace(base: string, meta: LogMeta): Promise<void>;
  /** Forget everything. */
  clear(): Promise<void>;
}

function sortStored(entries: [IDBValidKey, unknown][]): StoredLog {
  const out: StoredLog = { meta: undefined, base: undefined, segments: [], other: [] };
  for (const [k, v] of entries) {
    if (k === 'meta') out.meta = v;
    else if (k === 'base') out.base = v;
    else if (typeof k === 'number' && Number.isInteger(k) && k > 0) out.segments.push({ key: k, value: v });
    else out.other.push(k);
  }
  out.segments.sort((a, b) => (a.key as number) - (b.key as number));
  return out;
}

/** An in-memory store (tests; also a store that failed can be swapped for it). */
export class MemoryStorage implements LogStorage {
  readonly data = new Map<IDBValidKey, unknown>();
  /** Operations so far (tests count writes). */
  writes = 0;
  async load(): Promise<StoredLog> {
    return sortStored([...this.data.entries()]);
  }
  async append(seq: number, chunk: string, meta: LogMeta): Promise<void> {
    this.writes++;
    this.data.set(seq, chunk);
    this.data.set('meta', { ...meta });
  }
  async replace(base: string, meta: LogMeta): Promise<void> {
    this.writes++;
    this.data.clear();
    this.data.set('base', base);
    this.data.set('meta', { ...meta });
  }
  async clear(): Promise<void> {
    this.writes++;
    this.data.clear();
  }
}

export const IDB_NAME = 'redis-sandbox-aof';
export const IDB_STORE = 'log';

/** The log in IndexedDB (idb-keyval's store helper; a worker or a page). */
export class IdbStorage implements LogStorage {
  private readonly store: UseStore;
  constructor(dbName = IDB_NAME, storeName = IDB_STORE) {
    this.store = createStore(dbName, storeName);
  }
  load(): Promise<StoredLog> {
    return this.store('readonly', async (s) => {
      const [keys, values] = await Promise.all([promisifyRequest(s.getAllKeys()), promisifyRequest(s.getAll())]);
      return sortStored(keys.map((k, i) => [k, values[i]]));
    });
  }
  append(seq: number, chunk: string, meta: LogMeta): Promise<void> {
    return this.store('readwrite', (s) => {
      s.put(chunk, seq);
      s.put(meta, 'meta');
      return done(s.transaction);
    });
  }
  replace(base: string, meta: LogMeta): Promise<void> {
    return this.store('readwrite', (s) => {
      s.clear();
      s.put(base, 'base');
      s.put(meta, 'meta');
      return done(s.transaction);
    });
  }
  clear(): Promise<void> {
    return this.store('readwrite', (s) => {
      s.clear();
      return done(s.transaction);
    });
  }
}

/** Commit now (do not wait for the task to end: the page may be closing) and wait for it. */
function done(tx: IDBTransaction): Promise<void> {
  const p = promisifyRequest(tx) as Promise<unknown> as Promise<void>;
  try { tx.commit?.(); } catch { /* already committing */ }
  return p;
}

/** IndexedDB when this context has it, else null. */
export function browserStorage(): LogStorage | null {
  try {
    return typeof indexedDB !== 'undefined' && indexedDB ? new IdbStorage() : null;
  } catch {
    return null;
  }
}
