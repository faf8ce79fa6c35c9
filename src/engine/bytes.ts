import type { ByteString } from './types';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Encode UTF-8 text as a byte string (fast path for ASCII). */
export function fromText(s: string): ByteString {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return fromBytes(encoder.encode(s));
  }
  return s;
}

export function fromBytes(b: Uint8Array): ByteString {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < b.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

export function toBytes(s: ByteString): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** Decode a byte string as UTF-8 text (invalid sequences become U+FFFD). */
export function toText(s: ByteString): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return decoder.decode(toBytes(s));
  }
  return s;
}

/** memcmp-style comparison of two byte strings: bytes first, then shorter first. */
export function compareBytes(a: ByteString, b: ByteString): number {
  return a < b ? -1 : a > b ? 1 : 0; // JS compares UTF-16 code units; for chars 0..255 that is memcmp order
}
