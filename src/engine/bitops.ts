/**
 * Bit operations between and inside strings (as the BITOP / BITFIELD part of src/bitops.c in
 * Redis 7.0): BITOP AND|OR|XOR|NOT, BITFIELD and BITFIELD_RO. SETBIT GETBIT BITCOUNT BITPOS are in
 * t_string.ts.
 *
 * Strings are byte strings (one char per byte). A command that writes works on a Uint8Array copy
 * of the value and stores it back as a raw string at the end, as Redis writes into the sds in place
 * (the result is always raw-encoded: createObject / dbUnshareStringValue).
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj, createRawStringObject } from './object';
import { fromBytes } from './bytes';
import { parseLongLong, eqi } from './util';
import { steps } from './trace';

// ---------------------------------------------------------------------------- helpers

const E_BIT_OFFSET = R.error('ERR bit offset is not an integer or out of range');
const E_BITFIELD_TYPE = R.error('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.');
const E_OVERFLOW_TYPE = R.error('ERR Invalid OVERFLOW type specified');
const E_BITFIELD_RO = R.error('ERR BITFIELD_RO only supports the GET subcommand');
const E_BITOP_NOT = R.error('ERR BITOP NOT must be called with a single source key.');

/** The bytes of a byte string, with `extra` zero bytes of room at the end. */
function bytesOf(s: string, size = s.length): Uint8Array {
  const b = new Uint8Array(size);
  const n = Math.min(s.length, size);
  for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  return b;
}

// ---------------------------------------------------------------------------- BITOP

const BITOP_AND = 0, BITOP_OR = 1, BITOP_XOR = 2, BITOP_NOT = 3;

/** BITOP op destkey srckey [srckey ...]: the length of the result (the longest source). */
function bitopCommand(c: Client, argv: string[]): Reply {
  const opname = argv[1];
  let op: number;
  if (eqi(opname, 'and')) op = BITOP_AND;
  else if (eqi(opname, 'or')) op = BITOP_OR;
  else if (eqi(opname, 'xor')) op = BITOP_XOR;
  else if (eqi(opname, 'not')) op = BITOP_NOT;
  else return R.E.syntax;
  if (op === BITOP_NOT && argv.length !== 4) return E_BITOP_NOT;

  // Look up the sources: a missing key is an empty string (zero bytes as far as it goes).
  const targetkey = argv[2];
  const numkeys = argv.length - 3;
  const src: string[] = new Array(numkeys);
  let maxlen = 0;
  for (let j = 0; j < numkeys; j++) {
    const o = c.db.lookupKeyRead(argv[j + 3]);
    if (o === null) { src[j] = ''; continue; }
    if (o.type !== 'string') return R.E.wrongType;
    src[j] = o.ptr as string;
    if (src[j].length > maxlen) maxlen = src[j].length;
  }

  if (maxlen) {
    const res = new Uint8Array(maxlen);
    for (let j = 0; j < maxlen; j++) {
      steps.n++;
      const s0 = src[0];
      let output = j < s0.length ? s0.charCodeAt(j) : 0;
      if (op === BITOP_NOT) output = ~output & 0xff;
      for (let i = 1; i < numkeys; i++) {
        const si = src[i];
        const byte = j < si.length ? si.charCodeAt(j) : 0;
        if (op === BITOP_AND) output &= byte;
        else if (op === BITOP_OR) output |= byte;
        else output ^= byte;
      }
      res[j] = output;
    }
    // Store the result (a raw string, its TTL dropped).
    c.db.setKey(targetkey, createRawStringObject(fromBytes(res)));
    c.engine.notifyKeyspaceEvent('set', targetkey, c.db.id);
    c.engine.dirty++;
  } else if (c.db.lookupKeyWrite(targetkey) !== null) {
    // An empty result deletes the destination.
    c.db.delete(targetkey);
    c.engine.signalModifiedKey(c.db, targetkey);
    c.engine.notifyKeyspaceEvent('del', targetkey, c.db.id);
    c.engine.dirty++;
  }
  return R.int(maxlen);
}

// ---------------------------------------------------------------------------- bitfield integers

/*
 * Integers of 1..64 bits at any bit offset, bit 0 being the most significant bit of the first byte
 * (the SETBIT convention). Values are bigints: unsigned results in 0..2^64-1, signed in int64.
 */
const U64 = (1n << 64n) - 1n;

function setUnsignedBitfield(p: Uint8Array, offset: number, bits: number, value: bigint): void {
  for (let j = 0; j < bits; j++) {
    steps.n++;
    const bitval = (value >> BigInt(bits - 1 - j)) & 1n;
    const byte = offset >>> 3;
    const bit = 7 - (offset & 7);
    p[byte] = (p[byte] & ~(1 << bit)) | (Number(bitval) << bit);
    offset++;
  }
}

function getUnsignedBitfield(p: Uint8Array, offset: number, bits: number): bigint {
  let value = 0n;
  for (let j = 0; j < bits; j++) {
    steps.n++;
    const byte = offset >>> 3;
    const bit = 7 - (offset & 7);
    value = (value << 1n) | BigInt((p[byte] >> bit) & 1);
    offset++;
  }
  return value;
}

function getSignedBitfield(p: Uint8Array, offset: number, bits: number): bigint {
  // Two's complement: the top bit of the field is the sign.
  return BigInt.asIntN(bits, getUnsignedBitfield(p, offset, bits));
}

const BFOVERFLOW_WRAP = 0, BFOVERFLOW_SAT = 1, BFOVERFLOW_FAIL = 2;

/**
 * Redis's checkUnsignedBitfieldOverflow: 0 if value + incr fits `bits` bits, 1 on overflow, -1 on
 * underflow; `limit.v` is the wrapped (WRAP) or saturated (SAT) value. Computed with the same
 * 64-bit wrap-arounds as the C code (value is a uint64, incr and the increments' limits int64).
 */
function checkUnsignedBitfieldOverflow(value: bigint, incr: bigint, bits: number, owtype: number, limit: { v: bigint }): number {
  const max = bits === 64 ? U64 : (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): number => {
    limit.v = BigInt.asUintN(64, value + incr) & (bits === 64 ? U64 : (1n << BigInt(bits)) - 1n);
    return 1;
  };
  if (value > max || (incr > 0n && incr > maxincr)) {
    if (owtype === BFOVERFLOW_WRAP) return wrap();
    if (owtype === BFOVERFLOW_SAT) limit.v = max;
    return 1;
  } else if (incr < 0n && incr < minincr) {
    if (owtype === BFOVERFLOW_WRAP) return wrap();
    if (owtype === BFOVERFLOW_SAT) limit.v = 0n;
    return -1;
  }
  return 0;
}

/** Redis's checkSignedBitfieldOverflow (value and incr are int64), C wrap-arounds included. */
function checkSignedBitfieldOverflow(value: bigint, incr: bigint, bits: number, owtype: number, limit: { v: bigint }): number {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  const wrap = (): number => {
    let c = BigInt.asUintN(64, value + incr);
    if (bits < 64) {
      const mask = BigInt.asUintN(64, U64 << BigInt(bits));
      if (c & (1n << BigInt(bits - 1))) c |= mask;
      else c &= ~mask & U64;
    }
    limit.v = BigInt.asIntN(64, c);
    return 1;
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    if (owtype === BFOVERFLOW_WRAP) return wrap();
    if (owtype === BFOVERFLOW_SAT) limit.v = max;
    return 1;
  } else if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    if (owtype === BFOVERFLOW_WRAP) return wrap();
    if (owtype === BFOVERFLOW_SAT) limit.v = min;
    return -1;
  }
  return 0;
}

/**
 * Redis's getBitOffsetFromArgument: a bit offset whose byte is below proto-max-bulk-len. With
 * `hash` and bits > 0, "#N" means N * bits (the multiplication wraps in 64 bits as in C).
 */
function getBitOffsetFromArgument(c: Client, s: string, hash: boolean, bits: number): number | null {
  const usehash = s.charCodeAt(0) === 35 /* # */ && hash && bits > 0;
  const v = parseLongLong(usehash ? s.slice(1) : s);
  if (v === null) return null;
  let loffset = BigInt(v);
  if (usehash) loffset = BigInt.asIntN(64, loffset * BigInt(bits));
  if (loffset < 0n || (loffset >> 3n) >= BigInt(c.engine.config.protoMaxBulkLen)) return null;
  return Number(loffset);
}

/** Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63. */
function getBitfieldTypeFromArgument(s: string): { sign: boolean; bits: number } | null {
  let sign: boolean;
  if (s.charCodeAt(0) === 105 /* i */) sign = true;
  else if (s.charCodeAt(0) === 117 /* u */) sign = false;
  else return null;
  const nul = s.indexOf('\0');
  const v = parseLongLong(s.slice(1, nul < 0 ? s.length : nul)); // strlen: up to the first NUL
  if (v === null) return null;
  const n = Number(v);
  if (n < 1 || (sign && n > 64) || (!sign && n > 63)) return null;
  return { sign, bits: n };
}

// ---------------------------------------------------------------------------- BITFIELD

const BITFIELDOP_GET = 0, BITFIELDOP_SET = 1, BITFIELDOP_INCRBY = 2;

interface BitfieldOp {
  offset: number;
  /** The INCRBY increment or the SET value. */
  i64: bigint;
  opcode: number;
  owtype: number;
  bits: number;
  sign: boolean;
}

/**
 * Redis's bitfieldGeneric: parse every subcommand first (any error replies before anything is
 * done), then run them in order. BITFIELD_RO (readonly) accepts GET only.
 */
function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): Reply {
  const ops: BitfieldOp[] = [];
  let owtype = BFOVERFLOW_WRAP;
  let readonly = true;
  let highestWriteOffset = 0;

  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const subcmd = argv[j];
    let opcode: number;
    if (eqi(subcmd, 'get') && remargs >= 2) opcode = BITFIELDOP_GET;
    else if (eqi(subcmd, 'set') && remargs >= 3) opcode = BITFIELDOP_SET;
    else if (eqi(subcmd, 'incrby') && remargs >= 3) opcode = BITFIELDOP_INCRBY;
    else if (eqi(subcmd, 'overflow') && remargs >= 1) {
      const owtypename = argv[++j];
      if (eqi(owtypename, 'wrap')) owtype = BFOVERFLOW_WRAP;
      else if (eqi(owtypename, 'sat')) owtype = BFOVERFLOW_SAT;
      else if (eqi(owtypename, 'fail')) owtype = BFOVERFLOW_FAIL;
      else return E_OVERFLOW_TYPE;
      continue;
    } else return R.E.syntax;

    const type = getBitfieldTypeFromArgument(argv[j + 1]);
    if (type === null) return E_BITFIELD_TYPE;
    const bitoffset = getBitOffsetFromArgument(c, argv[j + 2], true, type.bits);
    if (bitoffset === null) return E_BIT_OFFSET;

    let i64 = 0n;
    if (opcode !== BITFIELDOP_GET) {
      readonly = false;
      if (highestWriteOffset < bitoffset + type.bits - 1) highestWriteOffset = bitoffset + type.bits - 1;
      const v = parseLongLong(argv[j + 3]);
      if (v === null) return R.E.notInt;
      i64 = BigInt(v);
    }
    ops.push({ offset: bitoffset, i64, opcode, owtype, bits: type.bits, sign: type.sign });
    j += opcode === BITFIELDOP_GET ? 2 : 3;
  }

  const key = argv[1];
  let o: RObj | null;
  let buf: Uint8Array | null = null;
  /** The string was created or grown to reach the bits written (strGrowSize != 0). */
  let grew = false;
  if (readonly) {
    // A missing key reads as zeros; another type is an error.
    o = c.db.lookupKeyRead(key);
    if (o !== null && o.type !== 'string') return R.E.wrongType;
  } else {
    if (readonlyCommand) return E_BITFIELD_RO;
    // lookupStringForBitCommand: create or zero-pad the string up to the farthest bit written.
    o = c.db.lookupKeyWrite(key);
    if (o !== null && o.type !== 'string') return R.E.wrongType;
    const byte = Math.floor(highestWriteOffset / 8);
    if (o === null) {
      o = createRawStringObject('');
      c.db.add(key, o);
      buf = new Uint8Array(byte + 1);
      grew = true;
    } else {
      o.encoding = 'raw'; // dbUnshareStringValue
      const s = o.ptr as string;
      buf = bytesOf(s, Math.max(s.length, byte + 1));
      grew = buf.length > s.length;
    }
  }

  const out: Reply[] = [];
  let changes = 0;
  const limit = { v: 0n };
  for (const op of ops) {
    if (op.opcode === BITFIELDOP_SET || op.opcode === BITFIELDOP_INCRBY) {
      const p = buf!;
      let overflow: number;
      let newval: bigint, retval: bigint;
      if (op.sign) {
        const oldval = getSignedBitfield(p, op.offset, op.bits);
        if (op.opcode === BITFIELDOP_INCRBY) {
          overflow = checkSignedBitfieldOverflow(oldval, op.i64, op.bits, op.owtype, limit);
          newval = overflow ? limit.v : BigInt.asIntN(64, oldval + op.i64);
          retval = newval;
        } else {
          newval = op.i64;
          overflow = checkSignedBitfieldOverflow(newval, 0n, op.bits, op.owtype, limit);
          if (overflow) newval = limit.v;
          retval = oldval;
        }
        if (!(overflow && op.owtype === BFOVERFLOW_FAIL)) {
          out.push(R.int(normInt(retval)));
          setUnsignedBitfield(p, op.offset, op.bits, BigInt.asUintN(64, newval));
          if (grew || oldval !== newval) changes++;
        } else {
          out.push(R.NIL);
        }
      } else {
        const oldval = getUnsignedBitfield(p, op.offset, op.bits);
        if (op.opcode === BITFIELDOP_INCRBY) {
          newval = BigInt.asUintN(64, oldval + op.i64);
          overflow = checkUnsignedBitfieldOverflow(oldval, op.i64, op.bits, op.owtype, limit);
          if (overflow) newval = limit.v;
          retval = newval;
        } else {
          newval = BigInt.asUintN(64, op.i64);
          overflow = checkUnsignedBitfieldOverflow(newval, 0n, op.bits, op.owtype, limit);
          if (overflow) newval = limit.v;
          retval = oldval;
        }
        if (!(overflow && op.owtype === BFOVERFLOW_FAIL)) {
          out.push(R.int(normInt(BigInt.asIntN(64, retval))));
          setUnsignedBitfield(p, op.offset, op.bits, newval);
          if (grew || oldval !== newval) changes++;
        } else {
          out.push(R.NIL);
        }
      }
    } else {
      // GET: read from a zero-padded copy of up to 9 bytes around the offset.
      const s = o !== null ? (buf !== null ? null : (o.ptr as string)) : '';
      const byte = Math.floor(op.offset / 8);
      const tmp = new Uint8Array(9);
      for (let i = 0; i < 9; i++) {
        if (buf !== null) {
          if (i + byte >= buf.length) break;
          tmp[i] = buf[i + byte];
        } else {
          if (i + byte >= s!.length) break;
          tmp[i] = s!.charCodeAt(i + byte);
        }
      }
      const rel = op.offset - byte * 8;
      const val = op.sign ? getSignedBitfield(tmp, rel, op.bits) : getUnsignedBitfield(tmp, rel, op.bits);
      out.push(R.int(normInt(val)));
    }
  }

  if (buf !== null) o!.ptr = fromBytes(buf);
  // Only a value that changed (or a string that grew) is a modification: signalled, propagated.
  if (changes) {
    c.engine.signalModifiedKey(c.db, key);
    c.engine.notifyKeyspaceEvent('setbit', key, c.db.id);
    c.engine.dirty += changes;
  }
  return R.array(out);
}

/** A bigint reply value as a number when it is safe. */
function normInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function bitfieldCommand(c: Client, argv: string[]): Reply {
  return bitfieldGeneric(c, argv, false);
}

function bitfieldRoCommand(c: Client, argv: string[]): Reply {
  return bitfieldGeneric(c, argv, true);
}

// ---------------------------------------------------------------------------- table

export const bitopsCommands: CommandDef[] = [
  { name: 'bitop', proc: bitopCommand, complexity: 'O(N)' },
  { name: 'bitfield', proc: bitfieldCommand, complexity: 'O(1)' },
  { name: 'bitfield_ro', proc: bitfieldRoCommand, complexity: 'O(1)' },
];
