/**
 * A RESP2/RESP3 reply reader for the conformance tools: finds where one complete reply ends in a
 * buffer (keeping the raw bytes), parses a reply into a tree (for unordered comparisons), and
 * escapes bytes for readable failure messages.
 *
 * Types: + - : $ * (RESP2) and _ , # ! = ( % ~ > | (RESP3). An attribute (|) is followed by the
 * value it annotates; both belong to the same reply.
 */

/** A parsed reply. Aggregates keep their type byte; maps/attributes hold 2n items. */
export type RespValue =
  | { type: string; line: string }
  | { type: string; bulk: string | null }
  | { type: string; items: RespValue[] | null };

const CR = 13;
const LF = 10;

function findCrlf(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === CR && buf[i + 1] === LF) return i;
  return -1;
}

function readLine(buf: Uint8Array, from: number): string {
  let s = '';
  for (let i = from; i < buf.length; i++) s += String.fromCharCode(buf[i]);
  return s;
}

export class RespProtocolError extends Error {}

/**
 * The index just after one complete reply starting at `start`, or -1 when the buffer holds only a
 * part of it. Throws RespProtocolError for a byte that starts no RESP type.
 */
export function replyEnd(buf: Uint8Array, start: number): number {
  if (start >= buf.length) return -1;
  const type = String.fromCharCode(buf[start]);
  const crlf = findCrlf(buf, start + 1);
  if (crlf < 0) return -1;
  const after = crlf + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return after;
    case '$': case '=': case '!': {
      const len = parseInt(readLine(buf.subarray(start + 1, crlf), 0), 10);
      if (len < 0) return after;
      const end = after + len + 2;
      return end <= buf.length ? end : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = parseInt(readLine(buf.subarray(start + 1, crlf), 0), 10);
      if (type === '%' || type === '|') n *= 2;
      let pos = after;
      for (let i = 0; i < n; i++) {
        pos = replyEnd(buf, pos);
        if (pos < 0) return -1;
      }
      if (type === '|') return replyEnd(buf, pos); // the annotated value follows
      return pos;
    }
    default:
      throw new RespProtocolError(`unexpected RESP type byte 0x${buf[start].toString(16)} at ${start}`);
  }
}

/** Split a byte string (latin1) holding zero or more complete replies into the raw replies. */
export function splitReplies(raw: string): string[] {
  const buf = Buffer.from(raw, 'latin1');
  const out: string[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const end = replyEnd(buf, pos);
    if (end < 0) throw new RespProtocolError('incomplete reply: ' + escapeBytes(raw.slice(pos)));
    out.push(raw.slice(pos, end));
    pos = end;
  }
  return out;
}

/** Parse one complete reply (a latin1 byte string) into a tree. */
export function parseReply(raw: string): RespValue {
  const [v, end] = parseAt(raw, 0);
  if (end !== raw.length) throw new RespProtocolError('trailing bytes after reply');
  return v;
}

function parseAt(s: string, pos: number): [RespValue, number] {
  const type = s[pos];
  const crlf = s.indexOf('\r\n', pos + 1);
  if (crlf < 0) throw new RespProtocolError('incomplete reply');
  const line = s.slice(pos + 1, crlf);
  const after = crlf + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return [{ type, line }, after];
    case '$': case '=': case '!': {
      const len = parseInt(line, 10);
      if (len < 0) return [{ type, bulk: null }, after];
      return [{ type, bulk: s.slice(after, after + len) }, after + len + 2];
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = parseInt(line, 10);
      if (n < 0) return [{ type, items: null }, after];
      if (type === '%' || type === '|') n *= 2;
      const items: RespValue[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const [v, e] = parseAt(s, p);
        items.push(v);
        p = e;
      }
      return [{ type, items }, p];
    }
    default:
      throw new RespProtocolError(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** Write a parsed reply back as RESP bytes (inverse of parseReply). */
export function serializeReply(v: RespValue): string {
  if ('line' in v) return v.type + v.line + '\r\n';
  if ('bulk' in v) return v.bulk === null ? v.type + '-1\r\n' : v.type + v.bulk.length + '\r\n' + v.bulk + '\r\n';
  if (v.items === null) return v.type + '-1\r\n';
  const n = v.type === '%' || v.type === '|' ? v.items.length / 2 : v.items.length;
  return v.type + n + '\r\n' + v.items.map(serializeReply).join('');
}

/** Bytes as redis-cli's sdscatrepr would show them: printable ASCII as is, else \r \n \t \xHH. */
export function escapeBytes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x22) out += '\\"';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return '"' + out + '"';
}
