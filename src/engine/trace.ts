/**
 * Step counting and tracing.
 *
 * Steps are counted by the data structures while they work (`steps.n++`). The engine resets the
 * counter before a command and reads it after: a step count is never computed from a formula.
 *
 * Tracing is an observer: `tracing.sink` is null unless the caller asked for a trace, and every
 * emit site is guarded by `if (tracing.sink)`, so with tracing off no event is allocated and the
 * step counts are identical.
 *
 * Every trace event is a plain, serializable object; all event kinds are typed here, in one file.
 */
export const steps = { n: 0 };

export type TraceEvent =
  // ---- dict (hash table) ----
  | { k: 'dict.hash'; dict: string; key: string; bucket: number; table: 0 | 1 }
  | { k: 'dict.visit'; dict: string; key: string; bucket: number; table: 0 | 1 }
  | { k: 'dict.found'; dict: string; key: string; bucket: number; table: 0 | 1 }
  | { k: 'dict.insert'; dict: string; key: string; bucket: number; table: 0 | 1 }
  | { k: 'dict.delete'; dict: string; key: string; bucket: number; table: 0 | 1 }
  | { k: 'dict.rehashStep'; dict: string; bucket: number; moved: string[]; rehashidx: number }
  | { k: 'dict.expand'; dict: string; from: number; to: number }
  | { k: 'dict.rehashDone'; dict: string; size: number }
  // ---- skiplist ----
  | { k: 'zsl.visit'; node: string; level: number }
  | { k: 'zsl.compare'; node: string; level: number; goRight: boolean }
  | { k: 'zsl.down'; node: string; level: number }
  | { k: 'zsl.update'; node: string; level: number; rank: number }
  | { k: 'zsl.coin'; heads: boolean; level: number }
  | { k: 'zsl.create'; node: string; level: number; score: number }
  | { k: 'zsl.span'; node: string; level: number; span: number }
  | { k: 'zsl.delete'; node: string }
  | { k: 'zsl.rank'; node: string; rank: number }
  // ---- quicklist / listpack ----
  | { k: 'ql.visitNode'; node: number; count: number }
  | { k: 'ql.visitEntry'; node: number; index: number }
  | { k: 'ql.insert'; node: number; index: number; value: string; /** LSET: the entry is overwritten, not inserted. */ replace?: true }
  | { k: 'ql.delete'; node: number; index: number; /** Entries deleted from `index` (LTRIM / LREM ranges); 1 when absent. */ n?: number }
  | { k: 'ql.createNode'; node: number }
  | { k: 'ql.deleteNode'; node: number }
  | { k: 'ql.split'; node: number; newNode: number; /** The split point and side (see Quicklist.split), for the visualizer. */ offset?: number; after?: boolean }
  | { k: 'ql.merge'; node: number; into: number }
  | { k: 'lp.visit'; index: number }
  | { k: 'lp.insert'; index: number; value: string }
  | { k: 'lp.delete'; index: number }
  // ---- intset ----
  | { k: 'is.probe'; index: number; value: number | string; cmp: -1 | 0 | 1 }
  | { k: 'is.insert'; index: number; value: number | string }
  | { k: 'is.delete'; index: number }
  | { k: 'is.upgrade'; from: 16 | 32 | 64; to: 16 | 32 | 64 }
  // ---- objects, keyspace, expiry ----
  | { k: 'obj.convert'; key: string; from: string; to: string }
  | { k: 'key.expired'; key: string; lazy: boolean }
  | { k: 'key.evicted'; key: string; policy: string }
  | { k: 'expire.pass'; db: number; sampled: number; expired: number }
  // ---- narration: a step boundary with pseudocode line and narration key ----
  | { k: 'step'; line: number; say: string; args?: Record<string, string | number> };

export const tracing: { sink: TraceEvent[] | null } = { sink: null };

/** Emit an event when tracing is on. Call sites may also guard with `if (tracing.sink)` to avoid building the object. */
export function emit(ev: TraceEvent): void {
  if (tracing.sink) tracing.sink.push(ev);
}
