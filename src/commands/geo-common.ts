/**
 * Helpers shared by the geo command modules: argument readers with Redis's errors (coordinates,
 * units, distances, boxes) and the number formats of geo replies.
 */
import { GeoErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { formatLongDoubleHuman } from "../util/longdouble.js";
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from "../util/geohash.js";
import { eqi, readFloat } from "./args.js";

/** The sign, significand and binary exponent of a finite double: value = ±mant × 2^exp. */
function exactParts(x: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { neg: hi >>> 31 === 1, mant, exp };
}

/** C's `%.<digits>f` for a double (glibc: exact value, ties to even; `inf`, `-inf`, `-0.000000`). */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const { neg, mant, exp } = exactParts(x);
  const scale = 10n ** BigInt(digits);
  let q: bigint;
  if (exp >= 0) q = (mant << BigInt(exp)) * scale;
  else {
    const den = 1n << BigInt(-exp);
    const num = mant * scale;
    q = num / den;
    const twice = (num - q * den) * 2n;
    if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  }
  const text = q.toString().padStart(digits + 1, "0");
  const cut = text.length - digits;
  return (neg ? "-" : "") + text.slice(0, cut) + (digits > 0 ? "." + text.slice(cut) : "");
}

/** Redis's addReplyHumanLongDouble digits for a double: `%.17Lf`, trailing zeros removed. */
export function humanDouble(x: number): string {
  return formatLongDoubleHuman({ ...exactParts(x), inf: false });
}

/** Replies a coordinate as Redis's addReplyHumanLongDouble does (bulk in RESP2, double in RESP3). */
export function replyCoordinate(c: Client, x: number): void {
  c.reply.double(x, humanDouble(x));
}

/**
 * Redis's fixedpoint_d2string with 4 digits (GEODIST, WITHDIST): llrint(d × 10000) (ties to even),
 * printed with the point 4 digits from the end.
 */
export function formatDistance(d: number): string {
  if (d === 0) return "0.0000";
  const scaled = d * 10000;
  let r = Math.round(scaled);
  if (r - scaled === 0.5 && r % 2 !== 0) r -= 1;
  const neg = r < 0;
  const digits = (neg ? BigInt(-r) : BigInt(r)).toString().padStart(5, "0");
  return (neg ? "-" : "") + digits.slice(0, -4) + "." + digits.slice(-4);
}

/** Redis's extractLongLatOrReply: [longitude, latitude] from argv[at], argv[at + 1]. */
export function readLonLat(argv: string[], at: number): [number, number] {
  const lon = readFloat(argv[at]!);
  const lat = readFloat(argv[at + 1]!);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    throw new RedisError(GeoErr.invalidLonLat(formatFixed(lon, 6), formatFixed(lat, 6)));
  }
  return [lon, lat];
}

/** Redis's extractUnitOrReply: meters per unit. */
export function readUnit(arg: string): number {
  if (eqi(arg, "m")) return 1;
  if (eqi(arg, "km")) return 1000;
  if (eqi(arg, "ft")) return 0.3048;
  if (eqi(arg, "mi")) return 1609.34;
  throw new RedisError(GeoErr.unsupportedUnit);
}

/** Redis's extractDistanceOrReply: a radius and its unit's conversion factor. */
export function readDistance(argv: string[], at: number): { radius: number; conversion: number } {
  const radius = readFloat(argv[at]!, GeoErr.needNumericRadius);
  if (radius < 0) throw new RedisError(GeoErr.radiusNegative);
  return { radius, conversion: readUnit(argv[at + 1]!) };
}

/** Redis's extractBoxOrReply: width, height and the unit's conversion factor. */
export function readBox(argv: string[], at: number): { width: number; height: number; conversion: number } {
  const width = readFloat(argv[at]!, GeoErr.needNumericWidth);
  const height = readFloat(argv[at + 1]!, GeoErr.needNumericHeight);
  if (height < 0 || width < 0) throw new RedisError(GeoErr.boxNegative);
  return { width, height, conversion: readUnit(argv[at + 2]!) };
}

/** C's (long long) cast of a score as gcc compiles it on x86-64 (WITHHASH). */
export function scoreToInt64(score: number): bigint | number {
  if (Number.isSafeInteger(Math.trunc(score))) return Math.trunc(score);
  if (score < 9223372036854775808 && score >= -9223372036854775808) return BigInt(Math.trunc(score));
  return -9223372036854775808n;
}
