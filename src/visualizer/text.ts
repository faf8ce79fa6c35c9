/** Byte strings (one char per byte) shown as text: UTF-8 decoded, control characters escaped, long ones cut. */
import { toText } from '../engine/bytes';

export function display(s: string, max = 40): string {
  let t = toText(s).replace(/[\u0000-\u001f\u007f]/g, (c) => {
    const n = c.charCodeAt(0);
    return n === 10 ? '\\n' : n === 13 ? '\\r' : n === 9 ? '\\t' : '\\x' + n.toString(16).padStart(2, '0');
  });
  if ([...t].length > max) t = [...t].slice(0, max - 1).join('') + '…';
  return t;
}

/** A node id for data-id attributes: the decoded text, uncut. */
export function nodeId(s: string): string {
  return toText(s);
}
