/**
 * HyperLogLog (as src/hyperloglog.c in Redis 7.0): PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST.
 *
 * A HyperLogLog is a plain string value, byte for byte Redis's:
 *
 *   +------+---+-----+----------+--------------------------------+
 *   | HYLL | E | N/U | Cardin.  | registers (sparse or dense)     |
 *   +------+---+-----+----------+--------------------------------+
 *    4 bytes magic, 1 byte encoding (0 dense, 1 sparse), 3 unused, 8 bytes cached cardinality
 *    (little endian; the top bit of the last byte set means "stale").
 *
 * 16384 registers of 6 bits. Dense: the registers packed LSB first, 12288 bytes. Sparse: a run-length
 * code of opcodes, ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx yyyyyyyy (1..16384 zero
 * registers), VAL 1vvvvvxx (1..4 registers of value 1..32). A sparse HLL becomes dense when a
 * register needs a value above 32 or the string would grow past hll-sparse-max-bytes.
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register, the
 * run of zeros after them (plus one) is the value. The cardinality is Otmar Ertl's estimator over the
 * register histogram (hllCount), cached in the header until the next change.
 *
 * A command works on a Uint8Array copy of the string (`Hll`: the bytes and the used length, room to
 * grow as an sds has) and stores the bytes back as a raw string, as Redis edits the sds in place.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj, createRawStringObject } from './object';
import { fromBytes } from './bytes';
import { steps } from './trace';
import { invalidateMemory } from './memory';

const HLL_P = 14;
const HLL_Q = 64 - HLL_P;
const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
const HLL_HDR_SIZE = 16;
const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
const HLL_DENSE = 0;
const HLL_SPARSE = 1;
const HLL_RAW = 255;
const HLL_MAX_ENCODING = 1;

const HLL_SPARSE_XZERO_BIT = 0x40;
const HLL_SPARSE_VAL_BIT = 0x80;
const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.721347520444481703680; // 0.5/ln(2)

const E_WRONGTYPE_HLL = R.error('WRONGTYPE Key is not a valid HyperLogLog string value.');
const E_INVALID_HLL = R.error('INVALIDOBJ Corrupted HLL object detected');

/** A HyperLogLog string being edited: `b` holds `len` used bytes plus spare room (always >= 1 zero byte). */
interface Hll { b: Uint8Array; len: number }

function hllFromString(s: string, room = 4): Hll {
  const b = new Uint8Array(s.length + room);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return { b, len: s.length };
}

function hllToString(h: Hll): string {
  return fromBytes(h.b.subarray(0, h.len));
}

/*
 * The bytes just past the end of an HLL string. Redis edits the sds in place, and a corrupted
 * sparse HLL whose last opcode is a truncated XZERO reads its second byte from there: usually the
 * terminating zero, but a split written past the end leaves other bytes behind (kept until the
 * string is replaced). The engine's strings are immutable values, so those bytes are remembered
 * beside the object, for as long as its value is the string they were left after.
 */
const TAIL = 4;
const hllTails = new WeakMap<RObj, { ptr: string; tail: Uint8Array }>();

/** The HLL of an object for editing (its past-the-end bytes included). */
function loadHll(o: RObj, room = TAIL): Hll {
  const h = hllFromString(o.ptr as string, Math.max(room, TAIL));
  const t = hllTails.get(o);
  if (t && t.ptr === o.ptr) h.b.set(t.tail, h.len);
  return h;
}

/** Store an edited HLL back in its object. */
function storeHll(o: RObj, h: Hll): void {
  o.ptr = hllToString(h);
  const tail = new Uint8Array(TAIL);
  tail.set(h.b.subarray(h.len, Math.min(h.b.length, h.len + TAIL)));
  if (tail.some((x) => x !== 0)) hllTails.set(o, { ptr: o.ptr as string, tail });
  else hllTails.delete(o);
}

/** sdsMakeRoomFor: at least `n` free bytes after the used ones (plus the terminator). */
function makeRoomFor(h: Hll, n: number): void {
  if (h.len + n + 1 <= h.b.length) return;
  const nb = new Uint8Array(Math.max((h.len + n + 1) * 2, h.b.length));
  nb.set(h.b); // (realloc keeps what lies past the end too)
  h.b = nb;
}

const encodingOf = (h: Hll): number => h.b[4];
const cacheValid = (h: Hll): boolean => (h.b[15] & 0x80) === 0;
const invalidateCache = (h: Hll): void => { h.b[15] |= 0x80; };

// ====================================================================== registers (dense)

/** HLL_DENSE_GET_REGISTER on the registers starting at byte `base`. */
function denseGet(p: Uint8Array, base: number, regnum: number): number {
  const byte = base + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  return ((p[byte] >> fb) | (p[byte + 1] << (8 - fb))) & HLL_REGISTER_MAX;
}

/** HLL_DENSE_SET_REGISTER. */
function denseSetRegister(p: Uint8Array, base: number, regnum: number, val: number): void {
  const byte = base + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  p[byte] = (p[byte] & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  p[byte + 1] = (p[byte + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
}

// ====================================================================== hashing

/**
 * The low 32 bits of the 64-bit product a*b (a = ah:al, b = bh:bl), returned with the high 32 bits in
 * mulHi: MurmurHash64A multiplies modulo 2^64.
 */
let mulHi = 0;
function mul64(ah: number, al: number, bh: number, bl: number): number {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const hi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh);
  mulHi = hi >>> 0;
  return lo;
}

const M_HI = 0xc6a4a793, M_LO = 0x5bd1e995;
let hashHi = 0;

/** MurmurHash64A (endian neutral, as Redis's): returns the low 32 bits, the high ones in hashHi. */
function murmurHash64A(key: string, seed: number): number {
  const len = key.length;
  let hl = mul64(0, len, M_HI, M_LO);
  let hh = mulHi;
  hl = (hl ^ seed) >>> 0;
  const end = len - (len & 7);
  let i = 0;
  for (; i < end; i += 8) {
    let kl = (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) | (key.charCodeAt(i + 2) << 16) | (key.charCodeAt(i + 3) << 24)) >>> 0;
    let kh = (key.charCodeAt(i + 4) | (key.charCodeAt(i + 5) << 8) | (key.charCodeAt(i + 6) << 16) | (key.charCodeAt(i + 7) << 24)) >>> 0;
    kl = mul64(kh, kl, M_HI, M_LO); kh = mulHi;
    kl = (kl ^ (kh >>> 15)) >>> 0; // k ^= k >> 47
    kl = mul64(kh, kl, M_HI, M_LO); kh = mulHi;
    hl = (hl ^ kl) >>> 0; hh = (hh ^ kh) >>> 0;
    hl = mul64(hh, hl, M_HI, M_LO); hh = mulHi;
  }
  const rest = len & 7;
  if (rest) {
    switch (rest) {
      case 7: hh ^= key.charCodeAt(i + 6) << 16; // fall through
      case 6: hh ^= key.charCodeAt(i + 5) << 8; // fall through
      case 5: hh ^= key.charCodeAt(i + 4); // fall through
      case 4: hl ^= key.charCodeAt(i + 3) << 24; // fall through
      case 3: hl ^= key.charCodeAt(i + 2) << 16; // fall through
      case 2: hl ^= key.charCodeAt(i + 1) << 8; // fall through
      case 1: hl ^= key.charCodeAt(i);
    }
    hl >>>= 0; hh >>>= 0;
    hl = mul64(hh, hl, M_HI, M_LO); hh = mulHi;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0; // h ^= h >> 47
  hl = mul64(hh, hl, M_HI, M_LO); hh = mulHi;
  hl = (hl ^ (hh >>> 15)) >>> 0;
  hashHi = hh;
  return hl;
}

/** Redis's hllPatLen: the register index of an element (in patIndex) and its 000..1 run length. */
let patIndex = 0;
function hllPatLen(ele: string): number {
  steps.n++;
  const lo = murmurHash64A(ele, 0xadc83b19);
  const hi = hashHi;
  patIndex = lo & HLL_P_MASK;
  // hash >>= P; hash |= 1 << Q: at most Q+1.
  const l = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  const h = ((hi >>> HLL_P) | (1 << (HLL_Q - 32))) >>> 0;
  if (l !== 0) return 32 - Math.clz32(l & -l);
  return 32 + 32 - Math.clz32(h & -h);
}

// ====================================================================== dense / sparse

/** hllDenseSet: raise register `index` to `count`; 1 if it changed. */
function hllDenseSet(p: Uint8Array, index: number, count: number): number {
  steps.n++;
  const oldcount = denseGet(p, HLL_HDR_SIZE, index);
  if (count > oldcount) {
    denseSetRegister(p, HLL_HDR_SIZE, index, count);
    return 1;
  }
  return 0;
}

const sparseIsZero = (v: number): boolean => (v & 0xc0) === 0;
const sparseIsXzero = (v: number): boolean => (v & 0xc0) === HLL_SPARSE_XZERO_BIT;
const sparseIsVal = (v: number): boolean => (v & HLL_SPARSE_VAL_BIT) !== 0;
const sparseZeroLen = (v: number): number => (v & 0x3f) + 1;
const sparseXzeroLen = (v: number, w: number): number => (((v & 0x3f) << 8) | w) + 1;
const sparseValValue = (v: number): number => ((v >> 2) & 0x1f) + 1;
const sparseValLen = (v: number): number => (v & 0x3) + 1;
const valOpcode = (val: number, len: number): number => (((val - 1) << 2) | (len - 1)) | HLL_SPARSE_VAL_BIT;

/** hllSparseToDense: false if the sparse representation is corrupted. Dense input: nothing to do. */
function hllSparseToDense(h: Hll): boolean {
  if (encodingOf(h) === HLL_DENSE) return true;
  const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
  dense.set(h.b.subarray(0, HLL_HDR_SIZE)); // magic and cached cardinality
  dense[4] = HLL_DENSE;
  const p = h.b;
  const end = h.len;
  let i = HLL_HDR_SIZE;
  let idx = 0;
  while (i < end) {
    steps.n++;
    const op = p[i];
    if (sparseIsZero(op)) {
      const runlen = sparseZeroLen(op);
      idx += runlen;
      i++;
    } else if (sparseIsXzero(op)) {
      const runlen = sparseXzeroLen(op, p[i + 1]);
      idx += runlen;
      i += 2;
    } else {
      let runlen = sparseValLen(op);
      const regval = sparseValValue(op);
      if (runlen + idx > HLL_REGISTERS) return false; // overflow: corrupted
      while (runlen--) { denseSetRegister(dense, HLL_HDR_SIZE, idx, regval); idx++; }
      i++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  h.b = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet: raise register `index` to `count` in a sparse HLL, splitting the opcode that covers
 * it and merging equal neighbours; promotes to dense when needed. 1 if changed, 0 if not, -1 if
 * the representation is invalid.
 */
function hllSparseSet(h: Hll, index: number, count: number, sparseMaxBytes: number): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE) return promote(h, index, count);

  // The worst case (XZERO split into XZERO-VAL-XZERO) grows the string by 3 bytes.
  makeRoomFor(h, 3);
  let p = h.b;
  const sparse = HLL_HDR_SIZE;
  let end = h.len;

  // Step 1: find the opcode covering the register.
  let pos = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (pos < end) {
    steps.n++;
    const op = p[pos];
    let oplen = 1;
    if (sparseIsZero(op)) span = sparseZeroLen(op);
    else if (sparseIsVal(op)) span = sparseValLen(op);
    else { span = sparseXzeroLen(op, p[pos + 1]); oplen = 2; }
    if (index <= first + span - 1) break;
    prev = pos;
    pos += oplen;
    first += span;
  }
  if (span === 0 || pos >= end) return -1;

  let next = sparseIsXzero(p[pos]) ? pos + 2 : pos + 1;
  if (next >= end) next = -1;

  let isZero = false, isXzero = false, isVal = false, runlen: number;
  const op = p[pos];
  if (sparseIsZero(op)) { isZero = true; runlen = sparseZeroLen(op); }
  else if (sparseIsXzero(op)) { isXzero = true; runlen = sparseXzeroLen(op, p[pos + 1]); }
  else { isVal = true; runlen = sparseValLen(op); }

  let updated = false;
  // Step 2: the trivial cases.
  if (isVal) {
    const oldcount = sparseValValue(op);
    if (oldcount >= count) return 0; // A) already large enough
    if (runlen === 1) { p[pos] = valOpcode(count, 1); updated = true; } // B)
  }
  if (!updated && isZero && runlen === 1) { p[pos] = valOpcode(count, 1); updated = true; } // C)

  if (!updated) {
    // D) General case: split the opcode into up to three.
    const seq: number[] = [];
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) {
        const len = index - first;
        if (len > HLL_SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | HLL_SPARSE_XZERO_BIT, (len - 1) & 0xff);
        else seq.push(len - 1);
      }
      seq.push(valOpcode(count, 1));
      if (index !== last) {
        const len = last - index;
        if (len > HLL_SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | HLL_SPARSE_XZERO_BIT, (len - 1) & 0xff);
        else seq.push(len - 1);
      }
    } else {
      const curval = sparseValValue(op);
      if (index !== first) seq.push(valOpcode(curval, index - first));
      seq.push(valOpcode(count, 1));
      if (index !== last) seq.push(valOpcode(curval, last - index));
    }

    // Step 3: substitute the new sequence for the old opcode.
    const seqlen = seq.length;
    const oldlen = isXzero ? 2 : 1;
    const deltalen = seqlen - oldlen;
    if (deltalen > 0 && h.len + deltalen > sparseMaxBytes) return promote(h, index, count);
    if (deltalen && next >= 0) p.copyWithin(next + deltalen, next, end);
    h.len += deltalen;
    for (let k = 0; k < seqlen; k++) p[pos + k] = seq[k];
    end += deltalen;
  }

  // Step 4: merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev.
  p = h.b;
  let q = prev >= 0 ? prev : sparse;
  let scanlen = 5;
  while (q < end && scanlen--) {
    steps.n++;
    if (sparseIsXzero(p[q])) { q += 2; continue; }
    if (sparseIsZero(p[q])) { q++; continue; }
    if (q + 1 < end && sparseIsVal(p[q + 1])) {
      const v1 = sparseValValue(p[q]);
      const v2 = sparseValValue(p[q + 1]);
      if (v1 === v2) {
        const len = sparseValLen(p[q]) + sparseValLen(p[q + 1]);
        if (len <= HLL_SPARSE_VAL_MAX_LEN) {
          p[q + 1] = valOpcode(v1, len);
          p.copyWithin(q, q + 1, end);
          h.len--;
          end--;
          continue; // try to merge the merged opcode with the next one
        }
      }
    }
    q++;
  }
  invalidateCache(h);
  return 1;
}

/** The promote label of hllSparseSet: convert to dense, then set the register there. */
function promote(h: Hll, index: number, count: number): number {
  if (!hllSparseToDense(h)) return -1;
  return hllDenseSet(h.b, index, count); // always 1: the register needed an update
}

/** hllAdd: add an element to a dense or sparse HLL (1 changed, 0 not, -1 invalid). */
function hllAdd(h: Hll, ele: string, sparseMaxBytes: number): number {
  const count = hllPatLen(ele);
  const index = patIndex;
  switch (encodingOf(h)) {
    case HLL_DENSE: return hllDenseSet(h.b, index, count);
    case HLL_SPARSE: return hllSparseSet(h, index, count, sparseMaxBytes);
    default: return -1;
  }
}

// ====================================================================== counting

/** The register histogram of a dense HLL. */
function hllDenseRegHisto(p: Uint8Array, reghisto: Int32Array): void {
  for (let j = 0; j < HLL_REGISTERS; j++) reghisto[denseGet(p, HLL_HDR_SIZE, j)]++;
  steps.n += HLL_REGISTERS / 16;
}

/** The register histogram of a sparse HLL; returns false if it does not cover 16384 registers. */
function hllSparseRegHisto(p: Uint8Array, start: number, end: number, reghisto: Int32Array): boolean {
  let idx = 0;
  let i = start;
  while (i < end) {
    steps.n++;
    const op = p[i];
    if (sparseIsZero(op)) {
      const runlen = sparseZeroLen(op);
      idx += runlen; reghisto[0] += runlen; i++;
    } else if (sparseIsXzero(op)) {
      const runlen = sparseXzeroLen(op, p[i + 1]);
      idx += runlen; reghisto[0] += runlen; i += 2;
    } else {
      const runlen = sparseValLen(op);
      idx += runlen; reghisto[sparseValValue(op)] += runlen; i++;
    }
  }
  return idx === HLL_REGISTERS;
}

/** hllSigma from "New cardinality estimation algorithms for HyperLogLog sketches" (Ertl). */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau from the same paper. */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The estimate from a register histogram (hllCount's common part); llroundl of the double. */
function hllEstimate(reghisto: Int32Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j];
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0] / m);
  const e = HLL_ALPHA_INF * m * m / z;
  if (!Number.isFinite(e)) return 0n;
  const f = Math.floor(e);
  return BigInt(e - f >= 0.5 ? f + 1 : f);
}

/** hllCount of a dense or sparse HLL; null when a sparse one is corrupted. */
function hllCount(h: Hll): bigint | null {
  const reghisto = new Int32Array(64);
  if (encodingOf(h) === HLL_DENSE) hllDenseRegHisto(h.b, reghisto);
  else if (!hllSparseRegHisto(h.b, HLL_HDR_SIZE, h.len, reghisto)) return null;
  return hllEstimate(reghisto);
}

/**
 * hllMerge: max[i] = MAX(max[i], register i) over the registers of an HLL (already validated as an
 * HLL string); false if a sparse one is corrupted.
 */
function hllMerge(max: Uint8Array, h: Hll): boolean {
  const p = h.b;
  if (encodingOf(h) === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(p, HLL_HDR_SIZE, i);
      if (val > max[i]) max[i] = val;
    }
    steps.n += HLL_REGISTERS / 16;
    return true;
  }
  let i = 0;
  let q = HLL_HDR_SIZE;
  const end = h.len;
  while (q < end) {
    steps.n++;
    const op = p[q];
    if (sparseIsZero(op)) {
      const runlen = sparseZeroLen(op);
      i += runlen; q++;
    } else if (sparseIsXzero(op)) {
      const runlen = sparseXzeroLen(op, p[q + 1]);
      i += runlen; q += 2;
    } else {
      let runlen = sparseValLen(op);
      const regval = sparseValValue(op);
      if (runlen + i > HLL_REGISTERS) return false; // overflow: corrupted
      while (runlen--) { if (regval > max[i]) max[i] = regval; i++; }
      q++;
    }
  }
  return i === HLL_REGISTERS;
}

// ====================================================================== objects

/** createHLLObject: an empty sparse HLL (the header and one XZERO opcode for all 16384 registers). */
function createHLLString(): string {
  const b = new Uint8Array(HLL_HDR_SIZE + 2);
  b[0] = 72; b[1] = 89; b[2] = 76; b[3] = 76; // "HYLL"
  b[4] = HLL_SPARSE;
  let p = HLL_HDR_SIZE;
  let aux = HLL_REGISTERS;
  while (aux) {
    const xzero = Math.min(HLL_SPARSE_XZERO_MAX_LEN, aux);
    b[p] = ((xzero - 1) >> 8) | HLL_SPARSE_XZERO_BIT;
    b[p + 1] = (xzero - 1) & 0xff;
    p += 2;
    aux -= xzero;
  }
  return fromBytes(b);
}

/** isHLLObjectOrReply: null if `o` is a valid HLL string, else the error to reply. */
function checkHLLObject(o: RObj): Reply | null {
  if (o.type !== 'string') return R.E.wrongType;
  if (o.encoding === 'int') return E_WRONGTYPE_HLL;
  const s = o.ptr as string;
  if (s.length < HLL_HDR_SIZE) return E_WRONGTYPE_HLL;
  if (s.charCodeAt(0) !== 72 || s.charCodeAt(1) !== 89 || s.charCodeAt(2) !== 76 || s.charCodeAt(3) !== 76) return E_WRONGTYPE_HLL;
  const enc = s.charCodeAt(4);
  if (enc > HLL_MAX_ENCODING) return E_WRONGTYPE_HLL;
  if (enc === HLL_DENSE && s.length !== HLL_DENSE_SIZE) return E_WRONGTYPE_HLL;
  return null;
}

/** dbUnshareStringValue: the value becomes a raw string the command may modify. */
function unshare(o: RObj): void {
  if (o.encoding !== 'raw') hllTails.delete(o); // a new sds: a zero past the end
  o.encoding = 'raw';
}

function sparseMax(c: Client): number {
  return c.engine.config.hllSparseMaxBytes;
}

// ====================================================================== commands

/** PFADD key [element ...]: 1 if the HLL changed (or was created), else 0. */
function pfaddCommand(c: Client, argv: string[]): Reply {
  const key = argv[1];
  let o = c.db.lookupKeyWrite(key);
  let updated = 0;
  if (o === null) {
    o = createRawStringObject(createHLLString());
    c.db.add(key, o);
    updated++;
  } else {
    const err = checkHLLObject(o);
    if (err) return err;
    unshare(o);
  }
  const h = loadHll(o);
  const max = sparseMax(c);
  for (let j = 2; j < argv.length; j++) {
    const retval = hllAdd(h, argv[j], max);
    if (retval === 1) updated++;
    else if (retval === -1) {
      storeHll(o, h); // what was done so far stays, as in the C code
      return E_INVALID_HLL;
    }
  }
  if (updated) {
    invalidateCache(h);
    c.engine.signalModifiedKey(c.db, key);
    c.engine.notifyKeyspaceEvent('pfadd', key, c.db.id);
    c.engine.dirty += updated;
  }
  storeHll(o, h);
  return updated ? R.ONE : R.ZERO;
}

/** The cached cardinality (bytes 8..15, little endian). */
function readCache(h: Hll): bigint {
  let card = 0n;
  for (let i = 15; i >= 8; i--) card = (card << 8n) | BigInt(h.b[i]);
  return card;
}

function writeCache(h: Hll, card: bigint): void {
  for (let i = 8; i < 16; i++) { h.b[i] = Number(card & 0xffn); card >>= 8n; }
}

function intReply(v: bigint): Reply {
  const s = BigInt.asIntN(64, v);
  return R.int(s <= 9007199254740991n && s >= -9007199254740991n ? Number(s) : s);
}

/**
 * PFCOUNT key [key ...]: one key, its (cached) cardinality; several keys, the cardinality of their
 * union (computed on a temporary register array, nothing cached).
 */
function pfcountCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const o = c.db.lookupKeyRead(argv[j]);
      if (o === null) continue; // a missing key is an empty HLL
      const err = checkHLLObject(o);
      if (err) return err;
      if (!hllMerge(max, loadHll(o, 1))) return E_INVALID_HLL;
    }
    // hllCount of the HLL_RAW encoding: one byte per register.
    const reghisto = new Int32Array(64);
    for (let i = 0; i < HLL_REGISTERS; i++) reghisto[max[i]]++;
    steps.n += HLL_REGISTERS / 16;
    return intReply(hllEstimate(reghisto));
  }

  const key = argv[1];
  const o = c.db.lookupKeyRead(key);
  if (o === null) return R.ZERO;
  const err = checkHLLObject(o);
  if (err) return err;
  if (o.encoding !== 'raw') { unshare(o); invalidateMemory(c.engine); }
  const h = loadHll(o, 1);
  if (cacheValid(h)) return intReply(readCache(h));
  const card = hllCount(h);
  if (card === null) return E_INVALID_HLL;
  writeCache(h, card);
  storeHll(o, h);
  // A read-only command that modifies the value (the cache): it is signalled and propagated.
  c.engine.signalModifiedKey(c.db, key);
  c.engine.dirty++;
  return intReply(card);
}

/** PFMERGE destkey [sourcekey ...]: destkey becomes the union of itself and the sources. */
function pfmergeCommand(c: Client, argv: string[]): Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const o = c.db.lookupKeyRead(argv[j]);
    if (o === null) continue;
    const err = checkHLLObject(o);
    if (err) return err;
    const h = loadHll(o, 1);
    // One dense input: the destination becomes dense at once.
    if (encodingOf(h) === HLL_DENSE) useDense = true;
    if (!hllMerge(max, h)) return E_INVALID_HLL;
  }

  const key = argv[1];
  let o = c.db.lookupKeyWrite(key);
  if (o === null) {
    o = createRawStringObject(createHLLString());
    c.db.add(key, o);
  } else {
    unshare(o); // its type and size were checked above, as a source
  }
  const h = loadHll(o);
  if (useDense && !hllSparseToDense(h)) return E_INVALID_HLL;

  const sparseMaxBytes = sparseMax(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (encodingOf(h) === HLL_DENSE) hllDenseSet(h.b, j, max[j]);
    else if (encodingOf(h) === HLL_SPARSE) hllSparseSet(h, j, max[j], sparseMaxBytes);
  }
  invalidateCache(h);
  storeHll(o, h);
  c.engine.signalModifiedKey(c.db, key);
  c.engine.notifyKeyspaceEvent('pfadd', key, c.db.id);
  c.engine.dirty++;
  return R.OK;
}

/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key: the registers (as dense), the sparse opcodes as text,
 * the encoding, or a conversion to dense.
 */
function pfdebugCommand(c: Client, argv: string[]): Reply {
  const cmd = argv[1];
  const key = argv[2];
  const o = c.db.lookupKeyWrite(key);
  if (o === null) return R.error('ERR The specified key does not exist');
  const err = checkHLLObject(o);
  if (err) return err;
  unshare(o);
  const h = loadHll(o, 1);
  const lower = cmd.toLowerCase();
  if (lower === 'getreg') {
    if (encodingOf(h) === HLL_SPARSE) {
      if (!hllSparseToDense(h)) return E_INVALID_HLL;
      storeHll(o, h);
      c.engine.dirty++;
    }
    const regs: Reply[] = new Array(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) regs[j] = R.int(denseGet(h.b, HLL_HDR_SIZE, j));
    return R.array(regs);
  }
  if (lower === 'decode') {
    if (encodingOf(h) !== HLL_SPARSE) return R.error('ERR HLL encoding is not sparse');
    const parts: string[] = [];
    let i = HLL_HDR_SIZE;
    while (i < h.len) {
      const op = h.b[i];
      if (sparseIsZero(op)) { parts.push(`z:${sparseZeroLen(op)}`); i++; }
      else if (sparseIsXzero(op)) { parts.push(`Z:${sparseXzeroLen(op, h.b[i + 1])}`); i += 2; }
      else { parts.push(`v:${sparseValValue(op)},${sparseValLen(op)}`); i++; }
    }
    return R.bulk(parts.join(' '));
  }
  if (lower === 'encoding') {
    return R.status(encodingOf(h) === HLL_DENSE ? 'dense' : 'sparse');
  }
  if (lower === 'todense') {
    let conv = false;
    if (encodingOf(h) === HLL_SPARSE) {
      if (!hllSparseToDense(h)) return E_INVALID_HLL;
      storeHll(o, h);
      conv = true;
      c.engine.dirty++;
    }
    return conv ? R.ONE : R.ZERO;
  }
  return R.error(`ERR Unknown PFDEBUG subcommand '${cstr(cmd)}'`);
}

/** An argument as "%s" prints it: up to the first NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/**
 * PFSELFTEST: checks that every register reads back what was written next to random neighbours,
 * and that a dense and a sparse HLL fed the same elements agree (a shorter run than Redis's
 * 10 million elements: the sandbox must stay responsive).
 */
function pfselftestCommand(c: Client): Reply {
  const rnd = c.engine.random;
  const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
  const bytecounters = new Uint8Array(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const r = rnd.u32() & HLL_REGISTER_MAX;
    bytecounters[i] = r;
    denseSetRegister(dense, HLL_HDR_SIZE, i, r);
  }
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const val = denseGet(dense, HLL_HDR_SIZE, i);
    if (val !== bytecounters[i]) return R.error(`TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${val}`);
  }
  dense.fill(0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const d: Hll = { b: dense, len: HLL_DENSE_SIZE };
  const s = hllFromString(createHLLString());
  const max = sparseMax(c);
  for (let j = 1; j <= 10000; j++) {
    const ele = String(j ^ (rnd.u32() & 0xffff));
    hllAdd(d, ele, max);
    hllAdd(s, ele, max);
    if (j === 10 || j === 100 || j === 1000 || j === 10000) {
      if (hllCount(d) !== hllCount(s)) return R.error('TESTFAILED dense/sparse disagree');
    }
  }
  return R.OK;
}

// ====================================================================== table

export const hyperloglogCommands: CommandDef[] = [
  { name: 'pfadd', proc: pfaddCommand, complexity: 'O(1)' },
  { name: 'pfcount', proc: pfcountCommand, complexity: 'O(N)' },
  { name: 'pfmerge', proc: pfmergeCommand, complexity: 'O(N)' },
  { name: 'pfdebug', proc: pfdebugCommand, complexity: 'O(N)' },
  { name: 'pfselftest', proc: pfselftestCommand, complexity: 'O(N)' },
];
