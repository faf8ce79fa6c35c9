/**
 * DUMP and RESTORE (as dumpCommand / restoreCommand in src/cluster.c of Redis 7.0).
 *
 * A DUMP payload is one value in RDB format (persistence/rdb.ts: the type byte then the value, with
 * the encodings and LZF compression an RDB file would use), then a footer:
 *
 *   ... RDB value | 2 bytes RDB version (10, little endian) | 8 bytes CRC64 (little endian) |
 *
 * the CRC64 (Jones, as RDB files) covering everything before it. RESTORE checks the version and
 * the checksum, loads the value as an RDB load would (so encodings follow the current limits), and
 * creates the key with an optional TTL (relative, or absolute with ABSTTL) and LRU idle time / LFU
 * frequency.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { toBytes, fromBytes } from './bytes';
import { eqi, parseLongLong } from './util';
import { steps } from './trace';
import { RDB_VERSION, rdbSerializeObject, rdbDeserializeObject } from './persistence/rdb';
import { Crc64 } from './persistence/crc64';
import { LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION } from './lru';

const E_BUSYKEY = R.error('BUSYKEY Target key name already exists.');
const E_PAYLOAD = R.error('ERR DUMP payload version or checksum are wrong');
const E_BAD_FORMAT = R.error('ERR Bad data format');

/** createDumpPayload: the serialized value, the RDB version and the CRC64. */
function createDumpPayload(c: Client, o: import('./object').RObj): Uint8Array {
  const body = rdbSerializeObject(c.engine, o);
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  out[body.length] = RDB_VERSION & 0xff;
  out[body.length + 1] = (RDB_VERSION >> 8) & 0xff;
  const crc = new Crc64().update(out, 0, body.length + 2).bytesLE();
  out.set(crc, body.length + 2);
  steps.n += out.length >> 4;
  return out;
}

/** verifyDumpPayload: at least a footer, a version we can read, a matching CRC64. */
function verifyDumpPayload(p: Uint8Array): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const rdbver = (p[footer + 1] << 8) | p[footer];
  if (rdbver > RDB_VERSION) return false;
  const crc = new Crc64().update(p, 0, p.length - 8).bytesLE();
  for (let i = 0; i < 8; i++) if (crc[i] !== p[footer + 2 + i]) return false;
  return true;
}

/** DUMP key: the serialized value, or nil. */
function dumpCommand(c: Client, argv: string[]): Reply {
  const o = c.db.lookupKeyRead(argv[1]);
  if (o === null) return R.NIL;
  return R.bulk(fromBytes(createDumpPayload(c, o)));
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
function restoreCommand(c: Client, argv: string[]): Reply {
  let replace = false, absttl = false;
  let lfuFreq = -1, lruIdle = -1n, lruClock = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (eqi(argv[j], 'replace')) replace = true;
    else if (eqi(argv[j], 'absttl')) absttl = true;
    else if (eqi(argv[j], 'idletime') && additional >= 1 && lfuFreq === -1) {
      const v = parseLongLong(argv[j + 1]);
      if (v === null) return R.E.notInt;
      if (v < 0) return R.error('ERR Invalid IDLETIME value, must be >= 0');
      lruIdle = BigInt(v);
      lruClock = c.engine.lruClock();
      j++;
    } else if (eqi(argv[j], 'freq') && additional >= 1 && lruIdle === -1n) {
      const v = parseLongLong(argv[j + 1]);
      if (v === null) return R.E.notInt;
      if (v < 0 || v > 255) return R.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
      lfuFreq = Number(v);
      j++;
    } else return R.E.syntax;
  }

  const key = argv[1];
  if (!replace && c.db.lookupKeyWrite(key) !== null) return E_BUSYKEY;

  const t = parseLongLong(argv[2]);
  if (t === null) return R.E.notInt;
  let ttl = BigInt(t);
  if (ttl < 0n) return R.error('ERR Invalid TTL value, must be >= 0');

  const payload = toBytes(argv[3]);
  if (!verifyDumpPayload(payload)) return E_PAYLOAD;
  steps.n += payload.length >> 4;
  // The value is read from the whole payload, footer included (a short value reads into it, as in Redis).
  const obj = rdbDeserializeObject(c.engine, payload, key);
  if (obj === null) return E_BAD_FORMAT;

  let deleted = false;
  if (replace) deleted = c.db.delete(key);

  if (ttl && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(c.engine.cmdTime));
  if (ttl && ttl <= BigInt(c.engine.cmdTime) && !c.engine.loading) {
    // Already expired: the key is not created (an old one REPLACE removed stays deleted).
    if (deleted) {
      c.engine.signalModifiedKey(c.db, key);
      c.engine.notifyKeyspaceEvent('del', key, c.db.id);
      c.engine.dirty++;
    }
    return R.OK;
  }

  c.db.add(key, obj);
  if (ttl) c.db.setExpire(key, ttl);
  // objectSetLRUOrLFU
  if (c.engine.usesLfu()) {
    if (lfuFreq >= 0) obj.lru = ((Math.floor(c.engine.cmdTime / 60000) & 65535) << 8) | lfuFreq;
  } else if (lruIdle >= 0n) {
    // Seconds scaled to the LRU clock resolution (the multiplication wraps as a long long in C),
    // stored in the 24-bit field.
    const idle = BigInt.asIntN(64, lruIdle * 1000n) / BigInt(LRU_CLOCK_RESOLUTION);
    let abs = BigInt.asIntN(64, BigInt(lruClock) - idle);
    if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
    obj.lru = Number(BigInt.asUintN(24, abs));
  }
  c.engine.signalModifiedKey(c.db, key);
  c.engine.notifyKeyspaceEvent('restore', key, c.db.id);
  c.engine.dirty++;
  return R.OK;
}

export const dumpCommands: CommandDef[] = [
  { name: 'dump', proc: dumpCommand, complexity: 'O(N)' },
  { name: 'restore', proc: restoreCommand, complexity: 'O(N)' },
];
