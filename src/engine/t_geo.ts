/**
 * Geo commands (as src/geo.c in Redis 7.0): GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE
 * GEORADIUS GEORADIUS_RO GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO.
 *
 * A geo set is a sorted set whose scores are 52-bit geohashes (geohash.ts): GEOADD is ZADD with
 * the encoded positions, and every other sorted set command works on it. A search takes the nine
 * geohash boxes covering the area (center and neighbours), scans each box's score range in the
 * sorted set, keeps the members within the radius / box, and sorts them by distance when asked
 * (or when COUNT is given without ANY).
 *
 * Output as Redis prints it: distances "%.4f" in the requested unit, coordinates as long doubles
 * ("%.17Lf" without trailing zeros), hashes as integers, GEOHASH as 11 base-32 characters.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Reply } from './types';
import * as R from './reply';
import { RObj } from './object';
import type { Listpack } from './structures/listpack';
import { ZSet, zsetScore, parseScore, zsetConvertToListpackIfNeeded } from './t_zset';
import { formatLongDoubleHuman } from './t_string';
import { eqi, parseLongLong, strtod } from './util';
import { steps } from './trace';
import {
  GEO_STEP_MAX, GEO_LAT_MIN, GEO_LAT_MAX, GEO_LONG_MIN, GEO_LONG_MAX, CIRCULAR_TYPE, RECTANGLE_TYPE,
  type GeoShape, type GeoHashBits, type GeoHashRadius,
  geohashEncodeWGS84, geohashEncodeStandard, geohashAlign52Bits, decodeGeohashScore, hashIsZero,
  geohashCalculateAreasByShapeWGS84, geohashGetDistance, geohashGetDistanceIfInRadius,
  geohashGetDistanceIfInRectangle,
} from './geohash';

// ---------------------------------------------------------------------------- number formatting

/** A finite double as m * 2^e exactly (m a bigint below 2^53). */
function decompose(a: number): { m: bigint; e: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, a);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m, e: -1074 };
  m |= 1n << 52n;
  return { m, e: exp - 1075 };
}

/** C's printf("%.<digits>f") of a double: the exact binary value rounded half to even. */
export function formatFixed(d: number, digits: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || Object.is(d, -0);
  const { m, e } = decompose(Math.abs(d));
  const p = 10n ** BigInt(digits);
  let q: bigint;
  if (e >= 0) q = (m * p) << BigInt(e);
  else {
    const num = m * p, den = 1n << BigInt(-e);
    q = num / den;
    const r2 = (num - q * den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  }
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = s.slice(0, -digits) + '.' + s.slice(-digits);
  }
  return (neg ? '-' : '') + s;
}

/** addReplyHumanLongDouble of a double: "%.17Lf" without trailing zeros (a bulk, or a RESP3 double). */
function humanDoubleReply(d: number): Reply {
  const { m, e } = decompose(Math.abs(d));
  const s = formatLongDoubleHuman({ kind: 'finite', neg: d < 0, m, e });
  return { t: 'double', v: d, s };
}

/** addReplyDoubleDistance: "%.4f" as a bulk string (in RESP3 too). */
function distanceReply(d: number): Reply {
  return R.bulk(formatFixed(d, 4));
}

// ---------------------------------------------------------------------------- argument helpers

/** extractLongLatOrReply: a longitude, latitude pair within the Web Mercator limits. */
function extractLongLat(lonArg: string, latArg: string): [number, number] | Reply {
  const x = parseScore(lonArg);
  if (x === null) return R.E.notFloat;
  const y = parseScore(latArg);
  if (y === null) return R.E.notFloat;
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    return R.error(`ERR invalid longitude,latitude pair ${formatFixed(x, 6)},${formatFixed(y, 6)}`);
  }
  return [x, y];
}

/** extractUnitOrReply: meters per unit, or -1 for an unknown unit. */
function extractUnit(u: string): number {
  if (eqi(u, 'm')) return 1;
  if (eqi(u, 'km')) return 1000;
  if (eqi(u, 'ft')) return 0.3048;
  if (eqi(u, 'mi')) return 1609.34;
  return -1;
}

const E_UNIT = R.error('ERR unsupported unit provided. please use M, KM, FT, MI');

/** extractDistanceOrReply: <radius> <unit>. */
function extractDistance(radiusArg: string, unitArg: string): { radius: number; conversion: number } | Reply {
  const distance = parseScore(radiusArg);
  if (distance === null) return R.error('ERR need numeric radius');
  if (distance < 0) return R.error('ERR radius cannot be negative');
  const conversion = extractUnit(unitArg);
  if (conversion < 0) return E_UNIT;
  return { radius: distance, conversion };
}

/** extractBoxOrReply: <width> <height> <unit>. */
function extractBox(wArg: string, hArg: string, unitArg: string): { width: number; height: number; conversion: number } | Reply {
  const w = parseScore(wArg);
  if (w === null) return R.error('ERR need numeric width');
  const h = parseScore(hArg);
  if (h === null) return R.error('ERR need numeric height');
  if (h < 0 || w < 0) return R.error('ERR height or width cannot be negative');
  const conversion = extractUnit(unitArg);
  if (conversion < 0) return E_UNIT;
  return { width: w, height: h, conversion };
}

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 't' in x;
}

/** The longitude and latitude of a member (longLatFromMember), or null when it is not in the set. */
function longLatFromMember(zobj: RObj, member: string): [number, number] | null {
  const score = zsetScore(zobj, member);
  if (score === null) return null;
  return decodeGeohashScore(score);
}

/** A listpack score (its text) as a double. */
function lpScore(text: string): number {
  const v = Number(text);
  if (!Number.isNaN(v) && text !== '') return v;
  return strtod(text) ?? 0;
}

// ---------------------------------------------------------------------------- searching

interface GeoPoint {
  longitude: number;
  latitude: number;
  dist: number;
  score: number;
  member: string;
}

/** geoAppendIfWithinShape: add the member if its position is inside the shape. */
function appendIfWithinShape(ga: GeoPoint[], shape: GeoShape, score: number, member: string): void {
  const [x, y] = decodeGeohashScore(score);
  let distance: number | null;
  if (shape.type === CIRCULAR_TYPE) {
    distance = geohashGetDistanceIfInRadius(shape.xy[0], shape.xy[1], x, y, shape.radius * shape.conversion);
  } else {
    distance = geohashGetDistanceIfInRectangle(shape.width * shape.conversion, shape.height * shape.conversion,
      shape.xy[0], shape.xy[1], x, y);
  }
  if (distance === null) return;
  ga.push({ longitude: x, latitude: y, dist: distance, score, member });
}

/**
 * geoGetPointsInRange: the members with min <= score < max, in score order, that are inside the
 * shape; stops once `limit` points were collected (0: no limit).
 */
function geoGetPointsInRange(zobj: RObj, min: number, max: number, shape: GeoShape, ga: GeoPoint[], limit: number): void {
  if (zobj.encoding === 'listpack') {
    const e = (zobj.ptr as Listpack).entries;
    const n = e.length >> 1;
    // zzlFirstInRange: the range must overlap the set at all (last >= min, first < max).
    if (min > max || (min === max) || n === 0) return;
    steps.n += 2;
    if (lpScore(e[(n - 1) * 2 + 1]) < min || !(lpScore(e[1]) < max)) return;
    let i = 0;
    for (; i < n; i++) {
      steps.n++;
      if (lpScore(e[i * 2 + 1]) >= min) break;
    }
    for (; i < n; i++) {
      steps.n++;
      const score = lpScore(e[i * 2 + 1]);
      if (!(score < max)) break;
      appendIfWithinShape(ga, shape, score, e[i * 2]);
      if (ga.length && limit && ga.length >= limit) break;
    }
  } else {
    const zs = zobj.ptr as ZSet;
    let ln = zs.zsl.firstInRange({ min, max, minex: false, maxex: true });
    while (ln) {
      steps.n++;
      if (!(ln.score < max)) break;
      appendIfWithinShape(ga, shape, ln.score, ln.member);
      if (ga.length && limit && ga.length >= limit) break;
      ln = ln.forward0;
    }
  }
}

/** membersOfGeoHashBox: the score range of a box is [hash, hash + 1) aligned to 52 bits. */
function membersOfGeoHashBox(zobj: RObj, hash: GeoHashBits, ga: GeoPoint[], shape: GeoShape, limit: number): void {
  const min = Number(geohashAlign52Bits(hash));
  const max = Number(geohashAlign52Bits({ bits: BigInt.asUintN(64, hash.bits + 1n), step: hash.step }));
  geoGetPointsInRange(zobj, min, max, shape, ga, limit);
}

/**
 * membersOfAllNeighbors: the center box then N, S, E, W, NE, NW, SE, SW. A box equal to the one
 * processed just before is skipped (huge radii make neighbours coincide), except right after the
 * center box (Redis compares only when the last processed box is not box 0).
 */
function membersOfAllNeighbors(zobj: RObj, n: GeoHashRadius, shape: GeoShape, ga: GeoPoint[], limit: number): void {
  const nb = n.neighbors;
  const boxes: GeoHashBits[] = [n.hash, nb.north, nb.south, nb.east, nb.west, nb.northEast, nb.northWest, nb.southEast, nb.southWest];
  let lastProcessed = 0;
  for (let i = 0; i < boxes.length; i++) {
    if (hashIsZero(boxes[i])) continue;
    if (lastProcessed && boxes[i].bits === boxes[lastProcessed].bits && boxes[i].step === boxes[lastProcessed].step) continue;
    if (ga.length && limit && ga.length >= limit) break;
    membersOfGeoHashBox(zobj, boxes[i], ga, shape, limit);
    lastProcessed = i;
  }
}

const SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;

const RADIUS_COORDS = 1 << 0;
const RADIUS_MEMBER = 1 << 1;
const RADIUS_NOSTORE = 1 << 2;
const GEOSEARCH = 1 << 3;
const GEOSEARCHSTORE = 1 << 4;

function cmpAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}
function cmpDesc(a: GeoPoint, b: GeoPoint): number {
  return -cmpAsc(a, b);
}

/**
 * Redis 7.0's pqsort (NetBSD's qsort, Bentley & McIlroy, without the switch to insertion sort
 * when a pass swapped nothing, recursing only into the partitions that overlap the wanted range
 * [lrange, rrange]): the first elements end up sorted in exactly the order Redis leaves them,
 * equal distances included.
 */
function pqsort(a: GeoPoint[], n: number, cmp: (x: GeoPoint, y: GeoPoint) => number, lrange: number, rrange: number): void {
  pqsortRange(a, 0, n, cmp, lrange, rrange);
}

function swap(a: GeoPoint[], i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}

function vecswap(a: GeoPoint[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3(a: GeoPoint[], i: number, j: number, k: number, cmp: (x: GeoPoint, y: GeoPoint) => number): number {
  return cmp(a[i], a[j]) < 0
    ? (cmp(a[j], a[k]) < 0 ? j : (cmp(a[i], a[k]) < 0 ? k : i))
    : (cmp(a[j], a[k]) > 0 ? j : (cmp(a[i], a[k]) < 0 ? i : k));
}

function pqsortRange(arr: GeoPoint[], base: number, n: number, cmp: (x: GeoPoint, y: GeoPoint) => number, lrange: number, rrange: number): void {
  for (;;) {
    steps.n++;
    if (n < 7) {
      for (let pm = base + 1; pm < base + n; pm++) {
        for (let pl = pm; pl > base && cmp(arr[pl - 1], arr[pl]) > 0; pl--) swap(arr, pl, pl - 1);
      }
      return;
    }
    let pm = base + (n >> 1);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = n >> 3;
        pl = med3(arr, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(arr, pm - d, pm, pm + d, cmp);
        pn = med3(arr, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(arr, pl, pm, pn, cmp);
    }
    swap(arr, base, pm);
    let pa = base + 1, pb = base + 1;
    let pc = base + n - 1, pd = base + n - 1;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(arr[pb], arr[base])) <= 0) {
        if (r === 0) { swap(arr, pa, pb); pa++; }
        pb++;
      }
      while (pb <= pc && (r = cmp(arr[pc], arr[base])) >= 0) {
        if (r === 0) { swap(arr, pc, pd); pd--; }
        pc--;
      }
      if (pb > pc) break;
      swap(arr, pb, pc);
      pb++;
      pc--;
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(arr, base, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(arr, pb, pn - r, r);
    // Recurse into the left partition only if it overlaps the wanted range.
    r = pb - pa;
    if (r > 1) {
      const l = base, rr = base + r - 1;
      if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) pqsortRange(arr, base, r, cmp, lrange, rrange);
    }
    r = pd - pc;
    if (r > 1) {
      base = pn - r;
      n = r;
      const l = base, rr = base + r - 1;
      if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) continue;
    }
    return;
  }
}

/** (long long) of a double on x86-64: truncation, the "indefinite" value when out of range. */
function doubleToLongLong(d: number): number | bigint {
  if (d >= -9223372036854775808 && d < 9223372036854775808) {
    const t = Math.trunc(d);
    return Number.isSafeInteger(t) ? t : BigInt(t);
  }
  return -9223372036854775808n;
}

/**
 * georadiusGeneric: GEORADIUS[_RO], GEORADIUSBYMEMBER[_RO], GEOSEARCH and GEOSEARCHSTORE. The source
 * key is argv[srcKeyIndex].
 */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): Reply {
  let storekey: string | null = null;
  let storedist = false;

  const zobj = c.db.lookupKeyRead(argv[srcKeyIndex]);
  if (zobj !== null && zobj.type !== 'zset') return R.E.wrongType;

  const shape: GeoShape = { type: 0, xy: [0, 0], conversion: 0, radius: 0, width: 0, height: 0, bounds: [0, 0, 0, 0] };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    shape.type = CIRCULAR_TYPE;
    const xy = extractLongLat(argv[2], argv[3]);
    if (isReply(xy)) return xy;
    shape.xy = xy;
    const d = extractDistance(argv[baseArgs - 2], argv[baseArgs - 1]);
    if (isReply(d)) return d;
    shape.radius = d.radius; shape.conversion = d.conversion;
  } else if ((flags & RADIUS_MEMBER) && zobj === null) {
    // No source key: parse the options anyway, the reply depends on STORE.
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    shape.type = CIRCULAR_TYPE;
    const xy = longLatFromMember(zobj!, argv[2]);
    if (xy === null) return R.error('ERR could not decode requested zset member');
    shape.xy = xy;
    const d = extractDistance(argv[baseArgs - 2], argv[baseArgs - 1]);
    if (isReply(d)) return d;
    shape.radius = d.radius; shape.conversion = d.conversion;
  } else {
    // GEOSEARCH / GEOSEARCHSTORE
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1];
    }
  }

  let withdist = false, withhash = false, withcoords = false;
  let frommember = false, fromloc = false, byradius = false, bybox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  if (argv.length > baseArgs) {
    const remaining = argv.length - baseArgs;
    for (let i = 0; i < remaining; i++) {
      const arg = argv[baseArgs + i];
      if (eqi(arg, 'withdist')) withdist = true;
      else if (eqi(arg, 'withhash')) withhash = true;
      else if (eqi(arg, 'withcoord')) withcoords = true;
      else if (eqi(arg, 'any')) any = true;
      else if (eqi(arg, 'asc')) sort = SORT_ASC;
      else if (eqi(arg, 'desc')) sort = SORT_DESC;
      else if (eqi(arg, 'count') && i + 1 < remaining) {
        const v = parseLongLong(argv[baseArgs + i + 1]);
        if (v === null) return R.E.notInt;
        if (v <= 0) return R.error('ERR COUNT must be > 0');
        count = Number(v);
        i++;
      } else if (eqi(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
        storekey = argv[baseArgs + i + 1];
        storedist = false;
        i++;
      } else if (eqi(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
        storekey = argv[baseArgs + i + 1];
        storedist = true;
        i++;
      } else if (eqi(arg, 'storedist') && (flags & GEOSEARCH) && (flags & GEOSEARCHSTORE)) {
        storedist = true;
      } else if (eqi(arg, 'frommember') && i + 1 < remaining && (flags & GEOSEARCH) && !fromloc) {
        if (zobj === null) { // no source key: keep parsing, the error comes at the end
          frommember = true;
          i++;
          continue;
        }
        const xy = longLatFromMember(zobj, argv[baseArgs + i + 1]);
        if (xy === null) return R.error('ERR could not decode requested zset member');
        shape.xy = xy;
        frommember = true;
        i++;
      } else if (eqi(arg, 'fromlonlat') && i + 2 < remaining && (flags & GEOSEARCH) && !frommember) {
        const xy = extractLongLat(argv[baseArgs + i + 1], argv[baseArgs + i + 2]);
        if (isReply(xy)) return xy;
        shape.xy = xy;
        fromloc = true;
        i += 2;
      } else if (eqi(arg, 'byradius') && i + 2 < remaining && (flags & GEOSEARCH) && !bybox) {
        const d = extractDistance(argv[baseArgs + i + 1], argv[baseArgs + i + 2]);
        if (isReply(d)) return d;
        shape.radius = d.radius; shape.conversion = d.conversion;
        shape.type = CIRCULAR_TYPE;
        byradius = true;
        i += 2;
      } else if (eqi(arg, 'bybox') && i + 3 < remaining && (flags & GEOSEARCH) && !byradius) {
        const b = extractBox(argv[baseArgs + i + 1], argv[baseArgs + i + 2], argv[baseArgs + i + 3]);
        if (isReply(b)) return b;
        shape.width = b.width; shape.height = b.height; shape.conversion = b.conversion;
        shape.type = RECTANGLE_TYPE;
        bybox = true;
        i += 3;
      } else {
        return R.E.syntax;
      }
    }
  }

  // Options that do not go with STORE / STOREDIST.
  if (storekey !== null && (withdist || withhash || withcoords)) {
    return R.error(`ERR ${flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if ((flags & GEOSEARCH) && !(frommember || fromloc)) {
    return R.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
  }
  if ((flags & GEOSEARCH) && !(byradius || bybox)) {
    return R.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  }
  if (any && !count) return R.error('ERR the ANY argument requires COUNT argument');

  // No source key: an empty reply (or 0, deleting the destination).
  if (zobj === null) {
    if (storekey !== null) {
      if (c.db.lookupKeyWrite(storekey) !== null) {
        c.db.delete(storekey);
        c.engine.signalModifiedKey(c.db, storekey);
        c.engine.notifyKeyspaceEvent('del', storekey, c.db.id);
        c.engine.dirty++;
      }
      return R.ZERO;
    }
    return R.EMPTY_ARRAY;
  }

  // COUNT without an order means the nearest ones (unless ANY).
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const georadius = geohashCalculateAreasByShapeWGS84(shape);
  const ga: GeoPoint[] = [];
  membersOfAllNeighbors(zobj, georadius, shape, ga, any ? count : 0);

  if (ga.length === 0 && storekey === null) return R.EMPTY_ARRAY;

  const resultLength = ga.length;
  const returnedItems = count === 0 || resultLength < count ? resultLength : count;

  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? cmpAsc : cmpDesc;
    steps.n += resultLength;
    if (returnedItems === resultLength) ga.sort(cmp); // glibc's qsort is a stable merge sort
    else pqsort(ga, resultLength, cmp, 0, returnedItems - 1);
  }

  if (storekey === null) {
    const out: Reply[] = new Array(returnedItems);
    const optionLength = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    for (let i = 0; i < returnedItems; i++) {
      const gp = ga[i];
      gp.dist /= shape.conversion;
      if (!optionLength) { out[i] = R.bulk(gp.member); continue; }
      const item: Reply[] = [R.bulk(gp.member)];
      if (withdist) item.push(distanceReply(gp.dist));
      if (withhash) item.push(R.int(doubleToLongLong(gp.score)));
      if (withcoords) item.push(R.array([humanDoubleReply(gp.longitude), humanDoubleReply(gp.latitude)]));
      out[i] = R.array(item);
    }
    return R.array(out);
  }

  // Store the results in a sorted set (scores: the hashes, or the distances with STOREDIST).
  if (returnedItems) {
    const zs = new ZSet(() => c.engine.random.u32(), storekey);
    let maxelelen = 0;
    for (let i = 0; i < returnedItems; i++) {
      const gp = ga[i];
      gp.dist /= shape.conversion;
      const score = storedist ? gp.dist : gp.score;
      if (maxelelen < gp.member.length) maxelelen = gp.member.length;
      zs.zsl.insert(score, gp.member);
      zs.dict.add(gp.member, score);
    }
    const stored = new RObj('zset', 'skiplist', zs); // createZsetObject
    zsetConvertToListpackIfNeeded(c, stored, storekey, maxelelen);
    c.db.setKey(storekey, stored);
    c.engine.notifyKeyspaceEvent(flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storekey, c.db.id);
    c.engine.dirty += returnedItems;
  } else if (c.db.lookupKeyWrite(storekey) !== null) {
    c.db.delete(storekey);
    c.engine.signalModifiedKey(c.db, storekey);
    c.engine.notifyKeyspaceEvent('del', storekey, c.db.id);
    c.engine.dirty++;
  }
  return R.int(returnedItems);
}

// ---------------------------------------------------------------------------- commands

/** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with the 52-bit hashes as scores. */
function geoaddCommand(c: Client, argv: string[]): Reply {
  let xx = false, nx = false;
  let longidx = 2;
  while (longidx < argv.length) {
    const opt = argv[longidx];
    if (eqi(opt, 'nx')) nx = true;
    else if (eqi(opt, 'xx')) xx = true;
    else if (eqi(opt, 'ch')) { /* handled by ZADD */ }
    else break;
    longidx++;
  }
  if ((argv.length - longidx) % 3 || (xx && nx)) return R.E.syntax;

  const elements = (argv.length - longidx) / 3;
  const zargv: string[] = ['zadd', ...argv.slice(1, longidx)];
  for (let i = 0; i < elements; i++) {
    const xy = extractLongLat(argv[longidx + i * 3], argv[longidx + i * 3 + 1]);
    if (isReply(xy)) return xy;
    const hash = geohashEncodeWGS84(xy[0], xy[1], GEO_STEP_MAX)!;
    const bits = geohashAlign52Bits(hash);
    zargv.push(BigInt.asIntN(64, bits).toString(), argv[longidx + i * 3 + 2]);
  }
  // replaceClientCommandVector + zaddCommand.
  const zadd = c.engine.commands.commands.get('zadd')!;
  return zadd.proc!(c, zargv);
}

function georadiusCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 1, RADIUS_COORDS);
}
function georadiusbymemberCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}
function georadiusroCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}
function georadiusbymemberroCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}
function geosearchCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 1, GEOSEARCH);
}
function geosearchstoreCommand(c: Client, argv: string[]): Reply {
  return georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH key [member ...]: standard 11-character geohashes (nil for missing members). */
function geohashCommand(c: Client, argv: string[]): Reply {
  const zobj = c.db.lookupKeyRead(argv[1]);
  if (zobj !== null && zobj.type !== 'zset') return R.E.wrongType;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = zobj === null ? null : zsetScore(zobj, argv[j]);
    if (score === null) { out.push(R.NIL); continue; }
    // Our latitude range is -85..85; a standard geohash uses -90..90: decode, then re-encode.
    const [x, y] = decodeGeohashScore(score);
    const hash = geohashEncodeStandard(x, y, 26);
    const bits = hash ? hash.bits : 0n;
    let buf = '';
    for (let i = 0; i < 11; i++) {
      // 52 bits only: the 11th character is always '0'.
      const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
      buf += GEOALPHABET[idx];
    }
    out.push(R.bulk(buf));
  }
  return R.array(out);
}

/** GEOPOS key [member ...]: [longitude, latitude] pairs (a null array for missing members). */
function geoposCommand(c: Client, argv: string[]): Reply {
  const zobj = c.db.lookupKeyRead(argv[1]);
  if (zobj !== null && zobj.type !== 'zset') return R.E.wrongType;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = zobj === null ? null : zsetScore(zobj, argv[j]);
    if (score === null) { out.push(R.NILARRAY); continue; }
    const [x, y] = decodeGeohashScore(score);
    out.push(R.array([humanDoubleReply(x), humanDoubleReply(y)]));
  }
  return R.array(out);
}

/** GEODIST key member1 member2 [M|KM|FT|MI]: the distance, nil if a member is missing. */
function geodistCommand(c: Client, argv: string[]): Reply {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = extractUnit(argv[4]);
    if (toMeter < 0) return E_UNIT;
  } else if (argv.length > 5) {
    return R.E.syntax;
  }
  const zobj = c.db.lookupKeyRead(argv[1]);
  if (zobj === null) return R.NIL;
  if (zobj.type !== 'zset') return R.E.wrongType;
  const score1 = zsetScore(zobj, argv[2]);
  const score2 = score1 === null ? null : zsetScore(zobj, argv[3]);
  if (score1 === null || score2 === null) return R.NIL;
  const a = decodeGeohashScore(score1);
  const b = decodeGeohashScore(score2);
  return distanceReply(geohashGetDistance(a[0], a[1], b[0], b[1]) / toMeter);
}

export const geoCommands: CommandDef[] = [
  { name: 'geoadd', proc: geoaddCommand, complexity: 'O(log N)' },
  { name: 'geodist', proc: geodistCommand, complexity: 'O(1)' },
  { name: 'geohash', proc: geohashCommand, complexity: 'O(1)' },
  { name: 'geopos', proc: geoposCommand, complexity: 'O(1)' },
  { name: 'georadius', proc: georadiusCommand, complexity: 'O(log N + M)' },
  { name: 'georadius_ro', proc: georadiusroCommand, complexity: 'O(log N + M)' },
  { name: 'georadiusbymember', proc: georadiusbymemberCommand, complexity: 'O(log N + M)' },
  { name: 'georadiusbymember_ro', proc: georadiusbymemberroCommand, complexity: 'O(log N + M)' },
  { name: 'geosearch', proc: geosearchCommand, complexity: 'O(log N + M)' },
  { name: 'geosearchstore', proc: geosearchstoreCommand, complexity: 'O(log N + M)' },
];
