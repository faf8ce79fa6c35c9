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
