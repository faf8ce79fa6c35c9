/**
 * Geohash encoding and the geometry of radius / box searches (as src/geohash.c and
 * src/geohash_helper.c in Redis 7.0). No command knowledge: t_geo.ts uses it.
 *
 * A position is stored as a sorted set score: longitude and latitude are each cut into 2^26 steps
 * (latitude only between -85.05112878 and 85.05112878, the Web Mercator limits) and their bits
 * interleaved (latitude on the even bits, longitude on the odd ones): a 52-bit integer. A search
 * estimates the step (box size) that covers the radius, takes the box of the center and its eight
 * neighbours, and scans the score range of each box.
 *
 * Hashes are 64-bit values: bigints where the C code works on uint64_t (boxes, neighbours), and
 * two 32-bit halves for the hot path of decoding a member's score. The trigonometry is correctly
 * rounded (crmath.ts), as glibc's nearly always is.
 */
import { crSin, crCos, crAsin } from './crmath';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84, in meters. */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

export interface GeoHashRange { min: number; max: number }
/** A hash: `step` bits per coordinate, 2*step bits in all. step 0 and bits 0 is the "zero" hash. */
export interface GeoHashBits { bits: bigint; step: number }
export interface GeoHashArea { hash: GeoHashBits; longitude: GeoHashRange; latitude: GeoHashRange }

export interface GeoHashNeighbors {
  north: GeoHashBits; east: GeoHashBits; west: GeoHashBits; south: GeoHashBits;
  northEast: GeoHashBits; southEast: GeoHashBits; northWest: GeoHashBits; southWest: GeoHashBits;
}

export interface GeoHashRadius { hash: GeoHashBits; area: GeoHashArea; neighbors: GeoHashNeighbors }

export const CIRCULAR_TYPE = 1;
export const RECTANGLE_TYPE = 2;

/** The search area: a circle (radius) or a box (width, height), in `conversion` units (meters per unit). */
export interface GeoShape {
  type: number;
  /** Center: longitude, latitude. */
  xy: [number, number];
  conversion: number;
  radius: number;
  width: number;
  height: number;
  /** The bounding box: min longitude, min latitude, max longitude, max latitude. */
  bounds: [number, number, number, number];
}

const WGS84_LONG: GeoHashRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: GeoHashRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

// ---------------------------------------------------------------------------- bit interleaving

/** Spread the 16 low bits of v over the even bits of a 32-bit word. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gather the even bits of a 32-bit word into 16 bits. */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64: x (latitude) on the even bits, y (longitude) on the odd bits. */
function interleave64(x: number, y: number): bigint {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** C's (uint32_t) conversion of a non-negative double below 2^32. */
function toUint32(d: number): number {
  return Math.trunc(d) >>> 0;
}

/** geohashEncode: the hash of a position at `step` bits per coordinate, or null out of range. */
export function geohashEncode(longRange: GeoHashRange, latRange: GeoHashRange, longitude: number, latitude: number, step: number): GeoHashBits | null {
  if (step > 32 || step === 0) return null;
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  return { bits: interleave64(toUint32(latOffset), toUint32(longOffset)), step };
}

export function geohashEncodeWGS84(longitude: number, latitude: number, step: number): GeoHashBits | null {
  return geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, step);
}

/** GEOHASH re-encodes with the standard ranges (latitude -90..90). */
export function geohashEncodeStandard(longitude: number, latitude: number, step: number): GeoHashBits | null {
  return geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, longitude, latitude, step);
}

/** geohashAlign52Bits: the hash shifted to 52 bits (a sorted set score). */
export function geohashAlign52Bits(hash: GeoHashBits): bigint {
  return BigInt.asUintN(64, hash.bits << BigInt(52 - hash.step * 2));
}

/** geohashDecode: the area a hash covers; null for the zero hash. */
export function geohashDecode(longRange: GeoHashRange, latRange: GeoHashRange, hash: GeoHashBits): GeoHashArea | null {
  if (hash.bits === 0n && hash.step === 0) return null;
  const lo = Number(hash.bits & 0xffffffffn);
  const hi = Number((hash.bits >> 32n) & 0xffffffffn);
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  return areaOf(longRange, latRange, hash, ilato, ilono);
}

function areaOf(longRange: GeoHashRange, latRange: GeoHashRange, hash: GeoHashBits, ilato: number, ilono: number): GeoHashArea {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = 2 ** hash.step;
  return {
    hash,
    latitude: {
      min: latRange.min + (ilato * 1.0 / div) * latScale,
      max: latRange.min + (((ilato + 1) >>> 0) * 1.0 / div) * latScale, // uint32 arithmetic
    },
    longitude: {
      min: longRange.min + (ilono * 1.0 / div) * longScale,
      max: longRange.min + (((ilono + 1) >>> 0) * 1.0 / div) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat: the center of an area, clamped to the valid ranges. */
function areaCenter(area: GeoHashArea): [number, number] {
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

/**
 * The uint64_t a score converts to in C on x86-64, as two 32-bit halves (hi, lo): truncation
 * toward zero; negative values wrap (two's complement); values beyond the int64 range below, or
 * at or above 2^64, give what the conversion instructions give.
 */
function scoreToUint64(score: number): [number, number] {
  if (score >= 0 && score < TWO64) {
    const t = Math.trunc(score);
    const hi = Math.floor(t / TWO32);
    return [hi, t - hi * TWO32];
  }
  if (score < 0 && score >= -TWO63) {
    const v = BigInt.asUintN(64, BigInt(Math.trunc(score)));
    return [Number(v >> 32n), Number(v & 0xffffffffn)];
  }
  if (Number.isNaN(score) || score < 0) return [0x80000000, 0]; // cvttsd2si's "integer indefinite"
  return [0, 0]; // >= 2^64: (x - 2^63) converts to the indefinite value, xor 2^63 gives 0
}

/**
 * decodeGeohash: the longitude and latitude of a score (a 26-step hash). Never fails: any score
 * decodes to some position (out-of-range halves are clamped).
 */
export function decodeGeohashScore(score: number): [number, number] {
  const [hi, lo] = scoreToUint64(score);
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  const hash: GeoHashBits = { bits: 0n, step: GEO_STEP_MAX }; // (the bits are not needed here)
  return areaCenter(areaOf(WGS84_LONG, WGS84_LAT, hash, ilato, ilono));
}

/** The score's uint64 as C converts it (for GEORADIUS WITHHASH, a (long long) cast is separate). */
export function scoreToUint64Big(score: number): bigint {
  const [hi, lo] = scoreToUint64(score);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

// ---------------------------------------------------------------------------- neighbours

function moveX(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  const sh = BigInt(64 - hash.step * 2);
  let x = hash.bits & 0xaaaaaaaaaaaaaaaan;
  const y = hash.bits & 0x5555555555555555n;
  const zz = 0x5555555555555555n >> sh;
  if (d > 0) x = BigInt.asUintN(64, x + (zz + 1n));
  else {
    x = x | zz;
    x = BigInt.asUintN(64, x - (zz + 1n));
  }
  x &= 0xaaaaaaaaaaaaaaaan >> sh;
  return { bits: x | y, step: hash.step };
}

function moveY(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  const sh = BigInt(64 - hash.step * 2);
  const x = hash.bits & 0xaaaaaaaaaaaaaaaan;
  let y = hash.bits & 0x5555555555555555n;
  const zz = 0xaaaaaaaaaaaaaaaan >> sh;
  if (d > 0) y = BigInt.asUintN(64, y + (zz + 1n));
  else {
    y = y | zz;
    y = BigInt.asUintN(64, y - (zz + 1n));
  }
  y &= 0x5555555555555555n >> sh;
  return { bits: x | y, step: hash.step };
}

/** geohashNeighbors: the eight boxes around a hash, at the same step. */
export function geohashNeighbors(hash: GeoHashBits): GeoHashNeighbors {
  return {
    east: moveY(moveX(hash, 1), 0),
    west: moveY(moveX(hash, -1), 0),
    south: moveY(moveX(hash, 0), -1),
    north: moveY(moveX(hash, 0), 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

const ZERO_HASH = (): GeoHashBits => ({ bits: 0n, step: 0 });

export function hashIsZero(h: GeoHashBits): boolean {
  return h.bits === 0n && h.step === 0;
}

// ---------------------------------------------------------------------------- search areas

/** geohashEstimateStepsByRadius: the step whose boxes are about the size of the radius. */
export function geohashEstimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider range towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohashBoundingBox: the longitude / latitude box around the shape. The box is wider on the side
 * nearer the pole (the longitude delta is taken at the latitude of that edge).
 */
export function geohashBoundingBox(shape: GeoShape): void {
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  const height = shape.conversion * (shape.type === CIRCULAR_TYPE ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === CIRCULAR_TYPE ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  shape.bounds[0] = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
  shape.bounds[2] = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
  shape.bounds[1] = latitude - latDelta;
  shape.bounds[3] = latitude + latDelta;
}

/**
 * geohashCalculateAreasByShapeWGS84: the center box and its neighbours covering the shape, with
 * the neighbours that cannot contain results zeroed.
 */
export function geohashCalculateAreasByShapeWGS84(shape: GeoShape): GeoHashRadius {
  geohashBoundingBox(shape);
  const [minLon, minLat, maxLon, maxLat] = shape.bounds;
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  // A box: the distance from the center to a corner.
  let radiusMeters = shape.type === CIRCULAR_TYPE ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;

  let steps = geohashEstimateStepsByRadius(radiusMeters, latitude);
  let hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? { bits: 0n, step: steps };
  let neighbors = geohashNeighbors(hash);
  let area = geohashDecode(WGS84_LONG, WGS84_LAT, hash)!;

  // Near the edge of the center box one step may not be enough: the neighbours would not cover
  // the whole search area.
  let decreaseStep = false;
  {
    const north = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.north)!;
    const south = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.south)!;
    const east = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.east)!;
    const west = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.west)!;
    if (north.latitude.max < maxLat) decreaseStep = true;
    if (south.latitude.min > minLat) decreaseStep = true;
    if (east.longitude.max < maxLon) decreaseStep = true;
    if (west.longitude.min > minLon) decreaseStep = true;
  }
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? { bits: 0n, step: steps };
    neighbors = geohashNeighbors(hash);
    area = geohashDecode(WGS84_LONG, WGS84_LAT, hash)!;
  }

  // Exclude the boxes that are out of the search area.
  if (steps >= 2) {
    if (area.latitude.min < minLat) {
      neighbors.south = ZERO_HASH(); neighbors.southWest = ZERO_HASH(); neighbors.southEast = ZERO_HASH();
    }
    if (area.latitude.max > maxLat) {
      neighbors.north = ZERO_HASH(); neighbors.northEast = ZERO_HASH(); neighbors.northWest = ZERO_HASH();
    }
    if (area.longitude.min < minLon) {
      neighbors.west = ZERO_HASH(); neighbors.southWest = ZERO_HASH(); neighbors.northWest = ZERO_HASH();
    }
    if (area.longitude.max > maxLon) {
      neighbors.east = ZERO_HASH(); neighbors.southEast = ZERO_HASH(); neighbors.northEast = ZERO_HASH();
    }
  }
  return { hash, neighbors, area };
}

// ---------------------------------------------------------------------------- distances

/** geohashGetDistance: the haversine great-circle distance in meters. */
export function geohashGetDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lat1r = degRad(lat1d);
  const lon1r = degRad(lon1d);
  const lat2r = degRad(lat2d);
  const lon2r = degRad(lon2d);
  const u = crSin((lat2r - lat1r) / 2);
  const v = crSin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(u * u + crCos(lat1r) * crCos(lat2r) * v * v));
}

/** geohashGetDistanceIfInRadiusWGS84: the distance, or null when it is beyond the radius. */
export function geohashGetDistanceIfInRadius(x1: number, y1: number, x2: number, y2: number, radius: number): number | null {
  const distance = geohashGetDistance(x1, y1, x2, y2);
  return distance > radius ? null : distance;
}

/**
 * geohashGetDistanceIfInRectangle: (x2, y2) is in the box of width_m x height_m centered on
 * (x1, y1) when its east-west and north-south distances are within half the sides.
 */
export function geohashGetDistanceIfInRectangle(widthM: number, heightM: number, x1: number, y1: number, x2: number, y2: number): number | null {
  const lonDistance = geohashGetDistance(x2, y2, x1, y2);
  const latDistance = geohashGetDistance(x2, y2, x2, y1);
  if (lonDistance > widthM / 2 || latDistance > heightM / 2) return null;
  return geohashGetDistance(x1, y1, x2, y2);
}

