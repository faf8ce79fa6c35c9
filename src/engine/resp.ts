/**
 * RESP2 / RESP3 encoding of replies (as Redis's networking.c writes them) and a streaming request
 * parser (multibulk and inline, as processMultibulkBuffer / processInlineBuffer).
 * Byte strings in, byte strings out (one char per byte).
 */
import type { Reply } from './types';

/** Encode a reply as RESP bytes for a client speaking `proto` (2 or 3). */
export function encodeReply(r: Reply, proto: 2 | 3): string {
  switch (r.t) {
    case 'status': return '+' + r.v + '\r\n';
    case 'error': return '-' + r.v + '\r\n';
    case 'int': return ':' + r.v.toString() + '\r\n';
    case 'bulk': return '$' + r.v.length + '\r\n' + r.v + '\r\n';
    case 'nil': return proto === 3 ? '_\r\n' : '$-1\r\n';
    case 'nilarray': return proto === 3 ? '_\r\n' : '*-1\r\n';
    case 'array': return aggregate('*', r.v, r.v.length, proto);
    case 'map': return aggregate(proto === 3 ? '%' : '*', r.v, proto === 3 ? r.v.length / 2 : r.v.length, proto);
    case 'set': return aggregate(proto === 3 ? '~' : '*', r.v, r.v.length, proto);
    case 'push': return aggregate(proto === 3 ? '>' : '*', r.v, r.v.length, proto);
    case 'double':
      if (proto === 3) return ',' + r.s + '\r\n';
      return '$' + r.s.length + '\r\n' + r.s + '\r\n';
    case 'bool':
      if (proto === 3) return r.v ? '#t\r\n' : '#f\r\n';
      return r.v ? ':1\r\n' : ':0\r\n';
    case 'verbatim':
      if (proto === 3) return '=' + (r.v.length + 4) + '\r\n' + r.fmt + ':' + r.v + '\r\n';
      return '$' + r.v.length + '\r\n' + r.v + '\r\n';
  }
}

function aggregate(prefix: string, items: Reply[], count: number, proto: 2 | 3): string {
  let out = prefix + count + '\r\n';
  for (let i = 0; i < items.length; i++) out += encodeReply(items[i], proto);
  return out;
}

/** Encode a command as a RESP multibulk request. */
export function encodeCommand(argv: string[]): string {
  let out = '*' + argv.length + '\r\n';
  for (const a of argv) out += '$' + a.length + '\r\n' + a + '\r\n';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Request parser (processInputBuffer / processMultibulkBuffer / processInlineBuffer semantics).

/** PROTO_INLINE_MAX_SIZE: an inline request, or a `*N` / `$N` line, longer than this is an error. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** PROTO_IOBUF_LEN: Redis reads 16 KB at a time; feed the parser in slices of this size to match it. */
export const PROTO_IOBUF_LEN = 16 * 1024;

export interface RequestParserOptions {
  /** proto-max-bulk-len (default 512 MB): a longer `$N` is "invalid bulk length". */
  protoMaxBulkLen?: number;
  /** True while the client must still AUTH (requirepass set, not authenticated): stricter limits. */
  authRequired?: () => boolean;
}

type Latin1Decoder = (b: Uint8Array, start: number, end: number) => string;

/** Bytes to a byte string. Node's Buffer is much faster for long runs; the browser uses fromCharCode. */
const decodeLatin1: Latin1Decoder = (() => {
  const B = (globalThis as { Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, s: number, e: number) => string } } }).Buffer;
  const native = B?.prototype.latin1Slice;
  const js: Latin1Decoder = (b, s, e) => {
    let out = '';
    for (let i = s; i < e; i += 8192) {
      out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 8192)) as unknown as number[]);
    }
    return out;
  };
  if (!native) return js;
  return (b, s, e) => {
    const n = e - s;
    if (n <= 12) {
      // Short arguments: a JS loop beats the native call.
      let out = '';
      for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
      return out;
    }
    return native.call(b, s, e);
  };
})();

const INT_MAX = 2147483647;
const NEED_MORE = 0, READY = 1, FAILED = 2;

/**
 * Redis's string2ll on bytes [s, e): optional '-', no '+', no leading zeros, no spaces, must fit in
 * a signed 64-bit integer. Returns NaN when invalid (the value is approximate beyond 2^53, which
 * only matters for comparisons against limits far below that).
 */
export function parseLongLong(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 0 || len > 20) return NaN;
  if (len === 1 && b[s] === 48) return 0;
  let neg = false;
  let i = s;
  if (b[i] === 45) { neg = true; i++; if (i === e) return NaN; }
  if (b[i] < 49 || b[i] > 57) return NaN;
  const digits = e - i;
  if (digits > 19) return NaN;
  let v = 0;
  for (let j = i; j < e; j++) {
    const c = b[j];
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  if (digits === 19) {
    // Compare with 9223372036854775807 (or ...808 when negative) digit by digit.
    const lim = neg ? '9223372036854775808' : '9223372036854775807';
    for (let j = 0; j < 19; j++) {
      const d = b[i + j], l = lim.charCodeAt(j);
      if (d < l) break;
      if (d > l) return NaN;
    }
  }
  return neg ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13); // C isspace: space \t \n \v \f \r
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * sdssplitargs over bytes [s, e) of `b`, as Redis splits an inline request. The line is a C string:
 * it ends at the first NUL byte. Returns null for unbalanced quotes (or a closing quote followed by
 * something other than a space).
 */
export function splitInlineArgs(b: Uint8Array, s: number, e: number): string[] | null {
  const z = b.subarray(s, e).indexOf(0);
  if (z >= 0) e = s + z;
  const out: string[] = [];
  let p = s;
  for (;;) {
    while (p < e && isSpace(b[p])) p++;
    if (p >= e) return out;
    let inq = false, insq = false, done = false;
    let cur = '';
    let runStart = p; // start of a run of plain bytes not yet appended to `cur`
    const flush = (upTo: number) => { if (upTo > runStart) cur += decodeLatin1(b, runStart, upTo); };
    while (!done) {
      const c = p < e ? b[p] : 0;
      if (inq) {
        if (c === 92 && p + 3 < e && b[p + 1] === 120 && hexVal(b[p + 2]) >= 0 && hexVal(b[p + 3]) >= 0) {
          flush(p);
          cur += String.fromCharCode(hexVal(b[p + 2]) * 16 + hexVal(b[p + 3]));
          p += 3;
          runStart = p + 1;
        } else if (c === 92 && p + 1 < e) {
          flush(p);
          p++;
          const x = b[p];
          cur += x === 110 ? '\n' : x === 114 ? '\r' : x === 116 ? '\t' : x === 98 ? '\b' : x === 97 ? '\x07' : String.fromCharCode(x);
          runStart = p + 1;
        } else if (c === 34) {
          flush(p);
          if (p + 1 < e && !isSpace(b[p + 1])) return null;
          done = true;
        } else if (p >= e) {
          return null;
        }
      } else if (insq) {
        if (c === 92 && p + 1 < e && b[p + 1] === 39) {
          flush(p);
          p++;
          cur += "'";
          runStart = p + 1;
        } else if (c === 39) {
          flush(p);
          if (p + 1 < e && !isSpace(b[p + 1])) return null;
          done = true;
        } else if (p >= e) {
          return null;
        }
      } else {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
          flush(p);
          done = true;
        } else if (c === 34 || c === 39) {
          flush(p);
          if (c === 34) inq = true; else insq = true;
          runStart = p + 1;
        }
      }
      if (p < e) p++;
    }
    out.push(cur);
  }
}

/**
 * A streaming request parser for one connection: feed() bytes as they arrive, then call next()
 * until it returns null. Multibulk (`*N\r\n$len\r\n...`) and inline requests, pipelining, requests
 * split anywhere. Empty requests (`*0`, `*-1`, empty inline lines) are skipped as Redis does.
 * After a protocol error, next() returns null and `error` holds the reply text ("ERR Protocol
 * error: ..."): write it and close the connection.
 */
export class RequestParser {
  /** The protocol error, once one happened (the parser then stops). */
  error: string | null = null;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  /** True when `buf` is our own (growable) copy, false when it is the caller's chunk. */
  private owned = false;
  private reqtype = 0; // 0 unknown, 1 inline, 2 multibulk
  private multibulklen = 0;
  private bulklen = -1;
  private argv: string[] = [];
  private readonly protoMaxBulkLen: number;
  private readonly authRequired: () => boolean;

  constructor(options: RequestParserOptions = {}) {
    this.protoMaxBulkLen = options.protoMaxBulkLen ?? 512 * 1024 * 1024;
    this.authRequired = options.authRequired ?? (() => false);
  }

  /** Bytes received and not yet consumed (Redis's query buffer length, qbuf). */
  get pending(): number { return this.end - this.pos; }

  /** Append received bytes (a Node Buffer is a Uint8Array; a byte string is accepted too). */
  feed(chunk: Uint8Array | string): void {
    if (typeof chunk === 'string') {
      const b = new Uint8Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) b[i] = chunk.charCodeAt(i);
      chunk = b;
    }
    if (chunk.length === 0 || this.error) return;
    if (this.pos === this.end) {
      // Nothing pending: parse straight from the chunk, no copy.
      this.buf = chunk; this.pos = 0; this.end = chunk.length; this.owned = false;
      return;
    }
    const pend = this.end - this.pos;
    const need = pend + chunk.length;
    if (this.owned && this.end + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.end);
      this.end += chunk.length;
      return;
    }
    // Reserve room for a pending big bulk argument (like sdsMakeRoomFor), else grow geometrically.
    let cap = Math.max(pend * 2, 4096);
    if (this.bulklen >= 0) cap = Math.min(cap, this.bulklen + 2);
    cap = Math.max(cap, need);
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(this.pos, this.end), 0);
    nb.set(chunk, pend);
    this.buf = nb; this.pos = 0; this.end = need; this.owned = true;
  }

  /** The next complete request's argv (byte strings), or null when more bytes are needed or on error. */
  next(): string[] | null {
    while (this.pos < this.end && !this.error) {
      if (this.reqtype === 0) this.reqtype = this.buf[this.pos] === 42 /* * */ ? 2 : 1;
      const r = this.reqtype === 2 ? this.multibulk() : this.inline();
      if (r !== READY) {
        if (r === FAILED) this.release();
        return null;
      }
      const argv = this.argv;
      this.reqtype = 0;
      this.argv = [];
      if (argv.length > 0) {
        if (this.pos === this.end) this.release();
        return argv;
      }
    }
    if (this.pos === this.end && !this.error) this.release();
    return null;
  }

  /** Drop every buffered byte (protocol error, or the caller closes). */
  release(): void {
    this.buf = new Uint8Array(0); this.pos = 0; this.end = 0; this.owned = false;
  }

  private fail(msg: string): number {
    this.error = 'ERR Protocol error: ' + msg;
    return FAILED;
  }

  /** Index of the first `ch` at or after `from`, or -1 if none comes before a NUL byte or the end (strchr). */
  private strchr(from: number, ch: number): number {
    const b = this.buf, end = this.end;
    for (let i = from; i < end; i++) {
      const c = b[i];
      if (c === ch) return i;
      if (c === 0) return -1;
    }
    return -1;
  }

  private inline(): number {
    const b = this.buf;
    let nl = b.subarray(this.pos, this.end).indexOf(10);
    if (nl >= 0) {
      nl += this.pos;
      // strchr stops at a NUL byte: a NUL before the newline hides it.
      if (b.subarray(this.pos, nl).indexOf(0) >= 0) nl = -1;
    }
    if (nl < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return NEED_MORE;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && b[lineEnd - 1] === 13) lineEnd--;
    const args = splitInlineArgs(b, this.pos, lineEnd);
    if (args === null) return this.fail('unbalanced quotes in request');
    this.pos = nl + 1;
    this.argv = args;
    return READY;
  }

  private multibulk(): number {
    const b = this.buf;
    if (this.multibulklen === 0) {
      const r = this.strchr(this.pos, 13);
      if (r < 0) {
        if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
        return NEED_MORE;
      }
      if (r + 1 >= this.end) return NEED_MORE; // the byte after \r (taken as \n) is not here yet
      const ll = parseLongLong(b, this.pos + 1, r);
      if (Number.isNaN(ll) || ll > INT_MAX) return this.fail('invalid multibulk length');
      if (ll > 10 && this.authRequired()) return this.fail('unauthenticated multibulk length');
      this.pos = r + 2;
      if (ll <= 0) return READY; // empty request: skipped
      this.multibulklen = ll;
      this.argv = [];
    }
    while (this.multibulklen > 0) {
      if (this.bulklen === -1) {
        const r = this.strchr(this.pos, 13);
        if (r < 0) {
          if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string');
          return NEED_MORE;
        }
        if (r + 1 >= this.end) return NEED_MORE;
        if (b[this.pos] !== 36 /* $ */) {
          const got = b[this.pos] === 13 || b[this.pos] === 10 ? ' ' : String.fromCharCode(b[this.pos]);
          return this.fail(`expected '$', got '${got}'`);
        }
        const ll = parseLongLong(b, this.pos + 1, r);
        if (Number.isNaN(ll) || ll < 0 || ll > this.protoMaxBulkLen) return this.fail('invalid bulk length');
        if (ll > 16384 && this.authRequired()) return this.fail('unauthenticated bulk length');
        this.pos = r + 2;
        this.bulklen = ll;
      }
      if (this.end - this.pos < this.bulklen + 2) return NEED_MORE;
      this.argv.push(decodeLatin1(b, this.pos, this.pos + this.bulklen));
      this.pos += this.bulklen + 2; // the two bytes after the data are skipped unchecked, as Redis does
      this.bulklen = -1;
      this.multibulklen--;
    }
    return READY;
  }
}

/**
 * The reply as a client speaking `proto` receives it: for RESP2, maps and sets become arrays,
 * doubles bulk strings, booleans integers, verbatim strings bulk strings, pushes arrays (what
 * encodeReply writes). Consoles format this, so redis-cli's RESP2 output is reproduced exactly.
 */
export function toProtocol(r: Reply, proto: 2 | 3): Reply {
  if (proto === 3) return r;
  switch (r.t) {
    case 'map': case 'set': case 'push': case 'array': {
      let changed = r.t !== 'array';
      const v = r.v.map((x) => { const y = toProtocol(x, 2); if (y !== x) changed = true; return y; });
      return changed ? { t: 'array', v } : r;
    }
    case 'double': return { t: 'bulk', v: r.s };
    case 'bool': return { t: 'int', v: r.v ? 1 : 0 };
    case 'verbatim': return { t: 'bulk', v: r.v };
    default: return r;
  }
}
