/**
 * Redis's geohash arithmetic (geohash.c and geohash_helper.c of Redis 7.0): 52-bit interleaved
 * cell ids over the Web Mercator limits (latitude ±85.05112878), decoding to the cell centre,
 * haversine distances on Redis's earth radius, and the 9-cell cover of a search area. Written by
 * hand because the scores and the search results must match Redis's bit for bit, which no general
 * geohash package does (they use ±90° and other steps).
 */

export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Bits per coordinate in a member's score (26 × 2 = 52 bits). */
export const GEO_STEP_MAX = 26;

const D_R = Math.PI / 180.0;
/** Redis's earth radius in meters (EARTH_RADIUS_IN_METERS). */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

/** A coordinate range (GeoHashRange). */
interface Range {
  min: number;
  max: number;
}

const LONG_RANGE: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges, used by GEOHASH's strings. */
export const STANDARD_LONG_RANGE: Range = { min: -180, max: 180 };
export const STANDARD_LAT_RANGE: Range = { min: -90, max: 90 };

/** A geohash cell: `step` bits per coordinate, interleaved into `bits` (GeoHashBits). */
export interface HashBits {
  bits: bigint;
  step: number;
}

/** A decoded cell (GeoHashArea). */
export interface Area {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

/** Spreads the low 16 bits of `v` to the even bit positions of a 32-bit value. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gathers the even bits of a 32-bit value into 16 bits (the inverse of {@link spread16}). */
function compact32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** Redis's interleave64: bits of `x` on even positions, bits of `y` on odd ones. */
function interleave64(x: number, y: number): bigint {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** C's conversion of a double to uint32_t for in-range values (truncation). */
const toUint32 = (v: number): number => Math.trunc(v) >>> 0;

/**
 * Redis's geohashEncode: the cell of (longitude, latitude) at `step` bits per coordinate within the
 * given ranges, or undefined outside the ranges or the Web Mercator limits.
 */
export function geohashEncode(
  longRange: Range,
  latRange: Range,
  longitude: number,
  latitude: number,
  step: number,
): HashBits | undefined {
  if (step > 32 || step === 0) return undefined;
  if (
    longitude > GEO_LONG_MAX ||
    longitude < GEO_LONG_MIN ||
    latitude > GEO_LAT_MAX ||
    latitude < GEO_LAT_MIN
  ) {
    return undefined;
  }
  if (
    latitude < latRange.min ||
    latitude > latRange.max ||
    longitude < longRange.min ||
    longitude > longRange.max
  ) {
    return undefined;
  }
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  return { bits: interleave64(toUint32(latOffset), toUint32(longOffset)), step };
}

/** The 52-bit score of a position (geohashEncodeWGS84 at GEO_STEP_MAX, aligned), as an exact integer. */
export function geohashScoreOf(longitude: number, latitude: number): bigint {
  const hash = geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, GEO_STEP_MAX)!;
  return hash.bits;
}

/** Redis's geohashAlign52Bits. */
export function align52Bits(hash: HashBits): bigint {
  return BigInt.asUintN(64, hash.bits << BigInt(52 - hash.step * 2));
}

/** Area registers of {@link decodeSplit} (no allocation on the per-member path). */
let latMin = 0;
let latMax = 0;
let lonMin = 0;
let lonMax = 0;

/** Decodes 64-bit cell bits given as hi:lo halves at `step` into the area registers (geohashDecode). */
function decodeSplit(longRange: Range, latRange: Range, hi: number, lo: number, step: number): void {
  const ilato = (compact32(lo) | (compact32(hi) << 16)) >>> 0;
  const ilono = (compact32(lo >>> 1) | (compact32(hi >>> 1) << 16)) >>> 0;
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = 2 ** step;
  latMin = latRange.min + (ilato / div) * latScale;
  latMax = latRange.min + (((ilato + 1) >>> 0) / div) * latScale;
  lonMin = longRange.min + (ilono / div) * longScale;
  lonMax = longRange.min + (((ilono + 1) >>> 0) / div) * longScale;
}

/** Redis's geohashDecode over the Web Mercator ranges. */
export function geohashDecode(hash: HashBits): Area {
  const bits = BigInt.asUintN(64, hash.bits);
  decodeSplit(LONG_RANGE, LAT_RANGE, Number(bits >> 32n), Number(bits & 0xffffffffn), hash.step);
  return { latMin, latMax, lonMin, lonMax };
}

/** C's (uint64_t) cast of a score as gcc compiles it on x86-64, for scores outside [0, 2^53). */
function scoreToUint64Slow(score: number): bigint {
  if (Number.isNaN(score)) return 1n << 63n;
  if (score < 9223372036854775808) {
    return score < -9223372036854775808 ? 1n << 63n : BigInt.asUintN(64, BigInt(Math.trunc(score)));
  }
  return score - 9223372036854775808 >= 9223372036854775808 ? 0n : BigInt(Math.trunc(score));
}

/**
 * Redis's decodeGeohash: the position (cell centre, clamped to the limits) of a member's score,
 * whose (uint64_t) cast gives the cell (truncation; out-of-range values as gcc's x86-64 code
 * converts them). Always succeeds, as in Redis. Writes [longitude, latitude] into `xy`.
 */
export function decodeScore(score: number, xy: [number, number]): void {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < 9007199254740992) {
    const t = Math.trunc(score);
    hi = Math.floor(t / 4294967296);
    lo = t >>> 0;
  } else {
    const v = scoreToUint64Slow(score);
    hi = Number(v >> 32n);
    lo = Number(v & 0xffffffffn);
  }
  decodeSplit(LONG_RANGE, LAT_RANGE, hi, lo, GEO_STEP_MAX);
  let lon = (lonMin + lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (latMin + latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  xy[0] = lon;
  xy[1] = lat;
}

/** The 11-character standard geohash string of a position (GEOHASH). */
export function geohashString(longitude: number, latitude: number): string {
  const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
  const hash = geohashEncode(STANDARD_LONG_RANGE, STANDARD_LAT_RANGE, longitude, latitude, 26);
  const bits = hash === undefined ? 0n : hash.bits;
  let out = "";
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += alphabet[idx];
  }
  return out;
}

// ---- distances ----

/** Redis's geohashGetLatDistance: meters between two latitudes on a meridian. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** Redis's geohashGetDistance: haversine distance in meters. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

// ---- search shapes ----

/** A search area (GeoShape): a circle of `radius` or a `width` × `height` box, in `conversion` units. */
export interface GeoShape {
  circle: boolean;
  longitude: number;
  latitude: number;
  radius: number;
  width: number;
  height: number;
  /** Meters per unit. */
  conversion: number;
}

/**
 * Redis's geoWithinShape on a decoded position: the distance in meters from the centre when the
 * point is inside the shape, else -1.
 */
export function distanceIfWithin(shape: GeoShape, lon: number, lat: number): number {
  if (shape.circle) {
    const d = geoDistance(shape.longitude, shape.latitude, lon, lat);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(lat, shape.latitude) > heightM / 2) return -1;
  if (geoDistance(lon, lat, shape.longitude, lat) > widthM / 2) return -1;
  return geoDistance(shape.longitude, shape.latitude, lon, lat);
}

/** Redis's geohashEstimateStepsByRadius. */
function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** Redis's geohashBoundingBox: [minLon, minLat, maxLon, maxLat]. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { longitude, latitude } = shape;
  const height = shape.conversion * (shape.circle ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circle ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

const ALL_ODD = 0xaaaaaaaaaaaaaaaan;
const ALL_EVEN = 0x5555555555555555n;

/**
 * Redis's geohash_move_x (`moving` = the odd bits, longitude) and geohash_move_y (the even bits,
 * latitude): one cell east/north (d > 0) or west/south, wrapping around.
 */
function move(hash: HashBits, d: number, moving: bigint, fixed: bigint): HashBits {
  let m = hash.bits & moving;
  const f = hash.bits & fixed;
  const shift = BigInt(64 - hash.step * 2);
  const zz = fixed >> shift;
  if (d > 0) m = m + (zz + 1n);
  else m = (m | zz) - (zz + 1n);
  m = BigInt.asUintN(64, m) & (moving >> shift);
  return { bits: m | f, step: hash.step };
}

const moveX = (hash: HashBits, d: number): HashBits => move(hash, d, ALL_ODD, ALL_EVEN);
const moveY = (hash: HashBits, d: number): HashBits => move(hash, d, ALL_EVEN, ALL_ODD);

/** The eight neighbours of a cell (geohashNeighbors); null marks one excluded from the search. */
interface Neighbors {
  north: HashBits | null;
  south: HashBits | null;
  east: HashBits | null;
  west: HashBits | null;
  northEast: HashBits | null;
  northWest: HashBits | null;
  southEast: HashBits | null;
  southWest: HashBits | null;
}

function neighborsOf(hash: HashBits): Neighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

/**
 * Redis's geohashCalculateAreasByShapeWGS84 followed by membersOfAllNeighbors' box order: the cells
 * to scan, centre first, then N, S, E, W, NE, NW, SE, SW; null for a cell left out.
 */
export function searchCells(shape: GeoShape): (HashBits | null)[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const { longitude, latitude } = shape;
  const radiusMeters =
    (shape.circle
      ? shape.radius
      : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))) *
    shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps)!;
  let neighbors = neighborsOf(hash);
  let area = geohashDecode(hash);
  const north = geohashDecode(neighbors.north!);
  const south = geohashDecode(neighbors.south!);
  const east = geohashDecode(neighbors.east!);
  const west = geohashDecode(neighbors.west!);
  const decreaseStep =
    north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps)!;
    neighbors = neighborsOf(hash);
    area = geohashDecode(hash);
  }
  if (steps >= 2) {
    if (area.latMin < minLat) neighbors.south = neighbors.southWest = neighbors.southEast = null;
    if (area.latMax > maxLat) neighbors.north = neighbors.northEast = neighbors.northWest = null;
    if (area.lonMin < minLon) neighbors.west = neighbors.southWest = neighbors.northWest = null;
    if (area.lonMax > maxLon) neighbors.east = neighbors.southEast = neighbors.northEast = null;
  }
  const n = neighbors;
  return [hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
}

/** The score interval [min, max) of the members inside a cell (scoresOfGeoHashBox). */
export function scoresOfCell(hash: HashBits): { min: number; max: number } {
  const min = align52Bits(hash);
  const max = align52Bits({ bits: hash.bits + 1n, step: hash.step });
  return { min: Number(min), max: Number(max) };
}
