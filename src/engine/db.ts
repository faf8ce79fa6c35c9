/**
 * A database: the keyspace dict plus the expires dict (as src/db.c). Lookups expire keys lazily;
 * `activeExpireCycle` in expire.ts walks the expires dict.
 */
import { Dict } from './structures/dict';
import type { RObj } from './object';
import type { Engine } from './engine';
import { tracing } from './trace';
import { propagateDeletion } from './persistence/aof';

/**
 * The expires dict holds JS numbers, exact up to 2^53 ms; Redis keeps any int64 (PEXPIREAT k
 * 9223372036854775807). The exact value of such a far time is kept here, keyed by the expires dict
 * (SWAPDB swaps the dicts, the exact times follow), and used while the stored number is its rounding.
 */
const exactExpires = new WeakMap<Dict<number>, Map<string, bigint>>();
/** False until a first far time is set: the common path skips the WeakMap. */
let anyExact = false;

export class Db {
  dict = new Dict<RObj>();
  /** Key -> absolute unix time in milliseconds. */
  expires = new Dict<number>();
  /** Cursor of the active expire cycle over the expires dict. */
  expiresCursor = 0;
  avgTtl = 0;

  constructor(public id: number, public engine: Engine) {
    this.dict.name = 'keyspace';
    this.expires.name = 'expires';
  }

  size(): number { return this.dict.size(); }

  // ---------------------------------------------------------------- expiry

  getExpire(key: string): number {
    if (this.expires.size() === 0) return -1;
    const when = this.expires.get(key);
    return when === undefined ? -1 : when;
  }

  /** Set the key's expire time (ms); a bigint beyond 2^53 is kept exactly (see getExpireExact). */
  setExpire(key: string, when: number | bigint): void {
    const n = Number(when);
    this.expires.set(key, n);
    const m = anyExact ? exactExpires.get(this.expires) : undefined;
    if (typeof when === 'bigint' && !Number.isSafeInteger(n)) {
      anyExact = true;
      if (m) m.set(key, when); else exactExpires.set(this.expires, new Map([[key, when]]));
    } else if (m) m.delete(key);
  }

  /** The key's expire time (ms) as an exact bigint, -1n when it has none. */
  getExpireExact(key: string): bigint {
    const n = this.getExpire(key);
    if (n === -1) return -1n;
    if (Number.isSafeInteger(n)) return BigInt(n);
    const exact = exactExpires.get(this.expires)?.get(key);
    return exact !== undefined && Number(exact) === n ? exact : BigInt(n);
  }

  removeExpire(key: string): boolean {
    if (anyExact) exactExpires.get(this.expires)?.delete(key);
    return this.expires.delete(key) !== null;
  }

  /** Redis's keyIsExpired: expired when now > when. */
  keyIsExpired(key: string): boolean {
    const when = this.getExpire(key);
    if (when < 0) return false;
    if (this.engine.loading) return false;
    return this.engine.cmdTime > when;
  }

  /** Delete the key if it is logically expired (lazy expiry). Returns true if the key is now gone. */
  expireIfNeeded(key: string): boolean {
    if (!this.keyIsExpired(key)) return false;
    // Clients paused (CLIENT PAUSE): the key reads as expired but stays until the pause ends.
    const e = this.engine;
    if (e.pauseType !== 0 && e.checkPause !== null && e.checkPause()) return true;
    this.deleteExpiredKey(key, true);
    return true;
  }

  deleteExpiredKey(key: string, lazy: boolean): void {
    this.delete(key);
    this.engine.stats.expiredKeys++;
    if (tracing.sink) tracing.sink.push({ k: 'key.expired', key, lazy });
    this.engine.notifyKeyspaceEvent('expired', key, this.id);
    this.engine.signalModifiedKey(this, key);
    // propagateDeletion: the AOF and onPropagate see the expiry as a DEL.
    if (this.engine.onPropagate !== null || this.engine.persistence.aofOn) propagateDeletion(this.engine, this.id, key);
  }

  // ---------------------------------------------------------------- lookups

  /** Low-level lookup: no expiry check, no stats. Updates the LRU/LFU field unless noTouch. */
  lookupKey(key: string, noTouch = false): RObj | null {
    const o = this.dict.get(key);
    if (o === undefined) return null;
    if (!noTouch) this.engine.touchObject(o);
    return o;
  }

  /** Redis's lookupKeyRead: lazy expiry, keyspace hits/misses. */
  lookupKeyRead(key: string, noTouch = false): RObj | null {
    if (this.expireIfNeeded(key)) { this.engine.stats.keyspaceMisses++; return null; }
    const o = this.lookupKey(key, noTouch);
    if (o) this.engine.stats.keyspaceHits++; else this.engine.stats.keyspaceMisses++;
    return o;
  }

  /** Redis's lookupKeyWrite: lazy expiry, no stats. */
  lookupKeyWrite(key: string): RObj | null {
    if (this.expireIfNeeded(key)) return null;
    return this.lookupKey(key);
  }

  exists(key: string): boolean {
    if (this.expireIfNeeded(key)) return false;
    return this.dict.has(key);
  }

  // ---------------------------------------------------------------- writes

  /** Add a key that does not exist. */
  add(key: string, val: RObj): void {
    this.engine.initObjectLru(val);
    this.dict.add(key, val);
    this.engine.signalKeyAsReady(this, key, val);
  }

  /** Overwrite the value of an existing key, keeping its TTL. */
  overwrite(key: string, val: RObj): void {
    const de = this.dict.findEntry(key)!;
    this.engine.initObjectLru(val);
    // dbSetValue: the old value is unlinked (XREADGROUP clients blocked on a stream are unblocked).
    if (de.val.type === 'stream') this.engine.signalDeletedKeyAsReady(this, key, de.val);
    de.val = val;
  }

  /**
   * Redis's setKey: add or overwrite; removes the TTL unless keepTtl; signals the modified key.
   */
  setKey(key: string, val: RObj, keepTtl = false, signal = true): void {
    if (this.lookupKeyWrite(key) === null) this.add(key, val);
    else this.overwrite(key, val);
    if (!keepTtl) this.removeExpire(key);
    if (signal) this.engine.signalModifiedKey(this, key);
  }

  /** Delete a key and its TTL; returns true if it existed. */
  delete(key: string): boolean {
    if (this.expires.size() > 0) { this.expires.delete(key); if (anyExact) exactExpires.get(this.expires)?.delete(key); }
    const de = this.dict.delete(key);
    if (de === null) return false;
    // dbGenericDelete: XREADGROUP clients blocked on a deleted stream are unblocked.
    if (de.val.type === 'stream') this.engine.signalDeletedKeyAsReady(this, key, de.val);
    return true;
  }

  /** Remove every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size();
    // signalFlushedDb: streams with XREADGROUP clients blocked on them go away.
    if (this.engine.onKeyReady) this.dict.forEach((k, o) => this.engine.signalDeletedKeyAsReady(this, k, o));
    this.dict.clear();
    this.expires.clear();
    exactExpires.delete(this.expires);
    this.expiresCursor = 0;
    this.avgTtl = 0;
    return n;
  }
}
