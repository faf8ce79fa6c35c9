/**
 * Replies printed exactly as redis-cli 7.0 prints them in a terminal (cliFormatReplyTTY):
 * `(integer) 1`, `(nil)`, `"quoted"` strings (sdscatrepr), `(error) ...`, numbered and indented
 * aggregates, RESP3 maps (`1# "k" => "v"`), sets (`1~`), doubles, booleans and verbatim strings.
 * Values are byte strings (one char per byte); the result is text for a text node, never HTML.
 */
import type { Reply } from '../engine/types';
import { toText } from '../engine/bytes';

/** redis-cli's sdscatrepr: a double-quoted string with C escapes and \xNN for other bytes. */
export function quoteBytes(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        // isprint() in the C locale: 0x20..0x7e.
        if (c >= 0x20 && c <= 0x7e) out += String.fromCharCode(c);
        else out += '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

function isAggregate(r: Reply): r is Extract<Reply, { v: Reply[] }> {
  return r.t === 'array' || r.t === 'set' || r.t === 'map' || r.t === 'push';
}

/** redis-cli's cliIsMultilineValueTTY: a map value printed on its own lines. */
function isMultiline(r: Reply): boolean {
  if (r.t === 'array' || r.t === 'set' || r.t === 'push') {
    if (r.v.length === 0) return false;
    if (r.v.length > 1) return true;
    return isMultiline(r.v[0]);
  }
  if (r.t === 'map') {
    if (r.v.length === 0) return false;
    if (r.v.length > 2) return true;
    return isMultiline(r.v[1]);
  }
  return false;
}

function formatTTY(r: Reply, prefix: string): string {
  switch (r.t) {
    case 'error': return `(error) ${toText(r.v)}\n`;
    case 'status': return `${toText(r.v)}\n`;
    case 'int': return `(integer) ${r.v.toString()}\n`;
    case 'double': return `(double) ${r.s}\n`;
    case 'bulk': return quoteBytes(r.v) + '\n';
    case 'verbatim': return toText(r.v) + '\n';
    case 'nil': case 'nilarray': return '(nil)\n';
    case 'bool': return r.v ? '(true)\n' : '(false)\n';
    case 'array': case 'set': case 'map': case 'push': {
      const items = r.v;
      if (items.length === 0) {
        return r.t === 'array' ? '(empty array)\n' : r.t === 'map' ? '(empty hash)\n' : r.t === 'set' ? '(empty set)\n' : '(empty push)\n';
      }
      const count = r.t === 'map' ? Math.floor(items.length / 2) : items.length;
      const idxlen = String(count).length;
      const childPrefix = prefix + ' '.repeat(idxlen + 2);
      const sep = r.t === 'set' ? '~' : r.t === 'map' ? '#' : ')';
      let out = '';
      for (let i = 0; i < items.length; i++) {
        const human = (r.t === 'map' ? i / 2 : i) + 1;
        // The first element follows the index the parent already printed.
        out += (i === 0 ? '' : prefix) + String(human).padStart(idxlen, ' ') + sep + ' ';
        out += formatTTY(items[i], childPrefix);
        if (r.t === 'map') {
          i++;
          out = out.slice(0, -1) + ' => ';
          const value = items[i] ?? { t: 'nil' };
          if (isMultiline(value)) out += '\n' + childPrefix;
          out += formatTTY(value, childPrefix);
        }
      }
      return out;
    }
  }
}

/** The text redis-cli prints for a reply, without the final newline. */
export function formatReply(r: Reply): string {
  const s = formatTTY(r, '');
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/**
 * redis-cli's raw output (cliFormatReplyRaw), used for a few commands whose replies are meant to be
 * read as text even in a terminal (see isRawOutputCommand): bytes as they are, errors without
 * "(error)", aggregate elements one per line.
 */
export function formatReplyRaw(r: Reply): string {
  switch (r.t) {
    case 'error': case 'status': case 'bulk': case 'verbatim': return toText(r.v);
    case 'nil': case 'nilarray': return '';
    case 'int': return r.v.toString();
    case 'double': return r.s;
    case 'bool': return r.v ? '(true)' : '(false)';
    case 'array': case 'set': case 'map': case 'push': return r.v.map(formatReplyRaw).join('\n');
  }
}

/** Commands redis-cli prints raw in interactive mode (cliSendCommand's output_raw list, 7.0). */
export function isRawOutputCommand(argv: readonly string[]): boolean {
  const cmd = (argv[0] ?? '').toLowerCase();
  const sub = (argv[1] ?? '').toLowerCase();
  if (cmd === 'info' || cmd === 'lolwut') return true;
  if (argv.length < 2) return false;
  switch (cmd) {
    case 'debug': return sub === 'htstats' || sub === 'htstats-key';
    case 'memory': return sub === 'malloc-stats' || sub === 'doctor';
    case 'cluster': return sub === 'nodes' || sub === 'info';
    case 'client': return sub === 'list' || sub === 'info';
    case 'latency': return (argv.length === 3 && sub === 'graph') || (argv.length === 2 && sub === 'doctor');
    case 'proxy': return sub === 'info';
  }
  return false;
}

/** The text of a reply for the command that produced it, as the redis-cli console shows it. */
export function formatFor(argv: readonly string[], r: Reply): string {
  if (!isRawOutputCommand(argv)) return formatReply(r);
  return formatReplyRaw(r).replace(/\r\n/g, '\n').replace(/\n$/, '');
}
