/**
 * Core types shared by every part of the engine.
 *
 * A Redis value is binary safe. Inside the engine every value, key and argument is a
 * "byte string": a JS string whose char codes are all 0..255, one char per byte (latin1).
 * This keeps values fast as JS strings while staying byte-exact. `bytes.ts` converts
 * from and to UTF-8 text and Uint8Array.
 */
export type ByteString = string;

/** A reply, modelled on RESP3 so that it can be written as RESP2 or RESP3. Plain data: structured-clone safe. */
export type Reply =
  | { t: 'status'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: number | bigint }
  | { t: 'bulk'; v: ByteString }
  /** Null bulk string ($-1 in RESP2, _ in RESP3). */
  | { t: 'nil' }
  /** Null array (*-1 in RESP2, _ in RESP3). */
  | { t: 'nilarray' }
  | { t: 'array'; v: Reply[] }
  /** A map: flattened to an array in RESP2. */
  | { t: 'map'; v: Reply[] }
  /** A set: an array in RESP2. */
  | { t: 'set'; v: Reply[] }
  /** A double: a bulk string in RESP2 (formatted as Redis formats it, `s`). */
  | { t: 'double'; v: number; s: ByteString }
  /** A boolean: integer 1/0 in RESP2. */
  | { t: 'bool'; v: boolean }
  /** Verbatim string (INFO, CLIENT INFO in RESP3): bulk in RESP2. */
  | { t: 'verbatim'; v: ByteString; fmt: string }
  /** Out-of-band push (pub/sub messages): an array in RESP2. */
  | { t: 'push'; v: Reply[] };

export type ObjType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';
export type Encoding = 'int' | 'embstr' | 'raw' | 'quicklist' | 'listpack' | 'hashtable' | 'intset' | 'skiplist' | 'stream';

/** Complexity class shown beside each reply. */
export type Complexity = 'O(1)' | 'O(log N)' | 'O(N)' | 'O(log N + M)' | 'O(N log N)' | 'O(N*M)' | 'O(M log N)' | 'O(N+M)';

export interface ExecResult {
  reply: Reply;
  /** Elementary steps the command really took (bucket probes, node visits, comparisons ...). */
  steps: number;
  /** The command's complexity class, from the command table. */
  complexity: string;
  /** Trace events, when tracing is on. */
  trace?: import('./trace').TraceEvent[];
  /**
   * Replies this client received before `reply`, in order, when it has no `onPush` handler: the
   * extra confirmations of SUBSCRIBE a b c (one per channel), pub/sub messages, a blocked command's
   * late reply. With `client.onPush` set they go there instead (as they are produced) and this is absent.
   */
  extra?: Reply[];
  /**
   * The command blocked (BLPOP on empty keys ...): `reply` is a placeholder (null array), nothing must
   * be written; the real reply comes later through `client.onPush` (or `extra` of a later result).
   */
  blocked?: boolean;
  /** CLIENT REPLY OFF / SKIP held the reply back: nothing must be written. */
  noReply?: boolean;
}
