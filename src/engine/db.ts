/**
 * A database: the keyspace dict plus the expires dict (as src/db.c). Lookups expire keys lazily;
 * `activeExpireCycle` in expire.ts walks the expires dict.
 */
import { Dict } from './structures/dict';
import type { RObj } from './object';
import type { Engine } from './engine';
import { tracing } from './trace';
import { propagateDeletion } from './persistence/aof';

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

  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
  }

  removeExpire(key: string): boolean {
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
    this.expireIfNeeded(key);
    return this.lookupKey(key);
  }

  exists(key: string): boolean {
    this.expireIfNeeded(key);
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
    if (this.expires.size() > 0) this.expires.delete(key);
    return this.dict.delete(key) !== null;
  }

  /** Remove every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size();
    this.dict.clear();
    this.expires.clear();
    this.expiresCursor = 0;
    this.avgTtl = 0;
    return n;
  }
}
