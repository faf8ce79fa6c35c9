/**
 * LZF (liblzf, as Redis's src/lzf_c.c / lzf_d.c use it for RDB strings).
 *
 * Format: a sequence of runs. A control byte below 32 starts a literal run of ctrl+1 bytes; otherwise
 * the top 3 bits are a back-reference length (7 = one more length byte follows) and the low 5 bits
 * plus the next byte an offset back into the output: copy len+2 bytes from there.
 */

export class LzfError extends Error {}

/** Decompress `input` into exactly `outLen` bytes; throws LzfError on corrupt data. */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  let ip = 0, op = 0;
  const inLen = input.length;
  while (ip < inLen) {
    let ctrl = input[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen) throw new LzfError('LZF output overflow');
      if (ip + n > inLen) throw new LzfError('LZF input truncated');
      out.set(input.subarray(ip, ip + n), op);
      ip += n; op += n;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= inLen) throw new LzfError('LZF input truncated');
        len += input[ip++];
      }
      if (ip >= inLen) throw new LzfError('LZF input truncated');
      let ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
      len += 2;
      if (op + len > outLen) throw new LzfError('LZF output overflow');
      if (ref < 0) throw new LzfError('LZF back reference before the start');
      // Byte by byte: the reference may overlap the bytes being written.
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
      ctrl = 0;
    }
  }
  if (op !== outLen) throw new LzfError(`LZF output is ${op} bytes, expected ${outLen}`);
  return out;
}

const HLOG = 14;
const HSIZE = 1 << HLOG;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * Compress `input`; returns null when the result would not be smaller than `input.length - 1`
 * bytes (Redis then stores the string uncompressed). A simple hash-of-3-bytes matcher, the same
 * format liblzf writes (any valid LZF stream decompresses the same).
 */
export function lzfCompress(input: Uint8Array): Uint8Array | null {
  const inLen = input.length;
  if (inLen < 4) return null;
  const outMax = inLen - 1;
  const out = new Uint8Array(inLen + 64);
  const htab = new Int32Array(HSIZE).fill(-1);
  let ip = 0, op = 1, lit = 0;
  const hash = (p: number) => {
    const v = (input[p] << 16) | (input[p + 1] << 8) | input[p + 2];
    return ((v * 2654435761) >>> (32 - HLOG)) & (HSIZE - 1);
  };
  while (ip < inLen - 2) {
    const h = hash(ip);
    const ref = htab[h];
    htab[h] = ip;
    const off = ip - ref - 1;
    if (ref >= 0 && off < MAX_OFF && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      let len = 2;
      const maxlen = Math.min(inLen - ip - len, MAX_REF);
      // close the literal run
      if (lit) { out[op - lit - 1] = lit - 1; } else { op--; }
      do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2;
      ip++;
      if (op + 3 > outMax) return null;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0; op++; // reserve the next literal run's control byte
      ip += len + 1;
      if (ip >= inLen - 2) break;
      continue;
    }
    lit++;
    out[op++] = input[ip++];
    if (op >= outMax) return null;
    if (lit === MAX_LIT) { out[op - lit - 1] = MAX_LIT - 1; lit = 0; op++; }
  }
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++];
    if (op >= outMax) return null;
    if (lit === MAX_LIT) { out[op - lit - 1] = MAX_LIT - 1; lit = 0; op++; }
  }
  if (lit) out[op - lit - 1] = lit - 1;
  else op--; // drop the unused control byte
  if (op > outMax) return null;
  return out.slice(0, op);
}
