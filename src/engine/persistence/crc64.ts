/**
 * CRC-64/Jones as Redis uses it for RDB checksums (src/crc64.c): polynomial 0xad93d23594c935a9,
 * reflected input and output, initial value 0, no final xor. check("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * Table driven, one byte at a time, the 64-bit state kept as two uint32 halves (no BigInt in the loop).
 */

/** The reflected polynomial (bit-reversed 0xad93d23594c935a9) as two halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0, lo = n;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (bit) { hi = (hi ^ POLY_HI) >>> 0; lo = (lo ^ POLY_LO) >>> 0; }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** A running CRC64: `update` as many times as needed, then `value` (a bigint) or `bytesLE`. */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let hi = this.hi, lo = this.lo;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ TABLE_LO[idx];
      hi = (hi >>> 8) ^ TABLE_HI[idx];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  get value(): bigint { return (BigInt(this.hi) << 32n) | BigInt(this.lo); }

  /** The 8 bytes Redis appends to an RDB file (little endian). */
  bytesLE(): Uint8Array {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, this.lo, true);
    dv.setUint32(4, this.hi, true);
    return out;
  }
}

export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value;
}
