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

/*
 * The compressor as Redis builds liblzf 3.6 (src/lzfP.h): HLOG 16, VERY_FAST, offsets in the hash
 * table. The output is byte for byte Redis's (DUMP payloads, RDB strings): the same hash, the same
 * match rules (never a reference to the first byte), the same re-hashing after a match and the
 * same "does not fit" checks against the output size Redis passes (the input length minus 4).
 */
const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** IDX(h) of VERY_FAST: ((h >> (24 - HLOG)) - h*5) & (HSIZE - 1), in 32-bit unsigned arithmetic. */
function idx(h: number): number {
  return ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

const htab = new Uint32Array(HSIZE);

/**
 * lzf_compress(input, input.length, out, outLen): the compressed bytes, or null when they would not
 * fit in `outLen` bytes (default input.length - 4, what rdbSaveLzfStringObject allows; Redis then
 * stores the string uncompressed).
 */
export function lzfCompress(input: Uint8Array, outLen = input.length - 4): Uint8Array | null {
  const inLen = input.length;
  if (!inLen || outLen <= 0) return null;
  htab.fill(0); // slot 0 = offset 0 = "no entry" (a match may not reference the first byte)
  const out = new Uint8Array(outLen + 1);
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = (input[ip] << 8) | input[ip + 1];
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot];
    htab[slot] = ip;
    const off = ip - ref - 1;
    if (off >= 0 && off < MAX_OFF && ref > 0 && input[ref + 2] === input[ip + 2] &&
        input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      // match found at ref
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit ? 0 : 1) + 3 + 1 >= outEnd) return null;
      }
      out[op - lit - 1] = lit - 1; // stop run
      if (!lit) op--; // undo run if length is zero
      // liblzf first compares up to 16 more bytes unrolled, without the maxlen bound (a match can
      // then be one longer than maxlen allows), then goes on byte by byte.
      let mismatch = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) { mismatch = true; break; }
        }
      }
      if (!mismatch) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0; op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the two positions before the new one.
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip;
      ip++;
    } else {
      // one more literal byte we must copy
      if (op >= outEnd) return null;
      lit++; out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0; op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++; out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0; op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (!lit) op--; // undo run if length is zero
  return out.slice(0, op);
}
