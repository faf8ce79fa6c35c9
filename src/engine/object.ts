/** Redis objects (robj): a type, an encoding, the value, and the LRU/LFU field. As src/object.c. */
import type { ObjType, Encoding } from './types';
import { parseLongLong } from './util';

export class RObj {
  /** LRU clock (seconds resolution) or LFU data (ldt << 8 | counter), as the maxmemory policy says. */
  lru = 0;
  /**
   * An int-encoded string that is its own object, not one of the shared integers 0..9999 (a COPY, or
   * made while maxmemory had an LRU/LFU policy); false: shared if in range; undefined: as the config says now.
   */
  unshared?: boolean;
  constructor(public type: ObjType, public encoding: Encoding, public ptr: any) {}
}

/** Strings of at most this many bytes are embstr-encoded. */
export const EMBSTR_SIZE_LIMIT = 44;

/** Redis's createStringObject + tryObjectEncoding: int for strict integers of at most 20 chars, embstr up to 44 bytes, else raw. */
export function createStringObject(value: string): RObj {
  return new RObj('string', stringEncoding(value), value);
}

export function stringEncoding(value: string): Encoding {
  if (value.length <= 20 && parseLongLong(value) !== null) return 'int';
  return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** A string object that stays raw (APPEND, SETRANGE and friends create these). */
export function createRawStringObject(value: string): RObj {
  return new RObj('string', 'raw', value);
}

/**
 * Redis's dupStringObject / setTypeDup / hashTypeDup ... as COPY uses them: a deep copy that keeps
 * the encoding. Strings copy the string; every other type clones its structure.
 */
export function dupObject(o: RObj): RObj {
  if (o.type === 'string') {
    // dupStringObject makes a new object even for a shared integer: OBJECT REFCOUNT of the copy is 1.
    const d = new RObj('string', o.encoding, o.ptr as string);
    d.unshared = true;
    return d;
  }
  return new RObj(o.type, o.encoding, (o.ptr as { clone(): unknown }).clone());
}

/** Redis's getObjectTypeName: the TYPE reply ("none" for a missing key). */
export function objectTypeName(o: RObj | null): string {
  return o ? o.type : 'none';
}
