/**
 * Argument readers shared by command families. Each parses like Redis's corresponding C helper
 * and throws the catalogue error Redis gives, so handlers validate everything before mutating.
 */
import { Err, RedisError } from "../errors.js";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../types/string.js";

/**
 * A signed 64-bit integer argument (Redis's getLongLongFromObjectOrReply), as a JS number. Values
 * beyond 2^53 lose precision; use {@link readBigInt} where that matters.
 */
export function readInt(arg: string, error: string = Err.notInteger): number {
  const v = parseInt64(arg);
  if (v === undefined) throw new RedisError(error);
  return Number(v);
}

/** A signed 64-bit integer argument as a bigint. */
export function readBigInt(arg: string, error: string = Err.notInteger): bigint {
  const v = parseInt64(arg);
  if (v === undefined) throw new RedisError(error);
  return v;
}

/** An integer argument within [min, max] (Redis's getRangeLongFromObjectOrReply). */
export function readIntInRange(arg: string, min: number, max: number, error: string): number {
  const v = parseInt64(arg);
  if (v === undefined || v < BigInt(min) || v > BigInt(max)) throw new RedisError(error);
  return Number(v);
}

/** A non-negative integer argument (Redis's getPositiveLongFromObjectOrReply). */
export function readNonNegativeInt(arg: string, error: string): number {
  const v = parseInt64(arg);
  if (v === undefined || v < 0n) throw new RedisError(error);
  return Number(v);
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;
const HEX_FLOAT_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?$/;

/**
 * Parses a float like C's strtod over the whole string (decimal, inf/infinity, hex), rejecting
 * leading space, empty strings and NaN. Returns undefined when invalid.
 */
export function parseFloatStrict(arg: string): number | undefined {
  if (arg.length === 0 || arg.length > 5000) return undefined;
  if (FLOAT_RE.test(arg)) return Number(arg);
  if (INF_RE.test(arg)) return arg[0] === "-" ? -Infinity : Infinity;
  if (HEX_FLOAT_RE.test(arg)) return parseHexFloat(arg);
  return undefined;
}

function parseHexFloat(arg: string): number {
  const negative = arg[0] === "-";
  const body = arg.replace(/^[+-]?0[xX]/, "");
  const [mantissa, exponent] = body.split(/[pP]/) as [string, string | undefined];
  const [intPart, fracPart = ""] = mantissa.split(".") as [string, string | undefined];
  let value = intPart ? parseInt(intPart, 16) : 0;
  for (let i = 0; i < fracPart.length; i++) value += parseInt(fracPart[i]!, 16) / 16 ** (i + 1);
  value *= 2 ** (exponent ? Number(exponent) : 0);
  return negative ? -value : value;
}

/**
 * A float argument (Redis's getDoubleFromObjectOrReply): strtod over the whole string, where an
 * overflow to ±inf or an underflow to 0 (strtod's ERANGE) is an error, as is NaN.
 */
export function readFloat(arg: string, error: string = Err.notFloat): number {
  const v = parseFloatStrict(arg);
  if (v === undefined) throw new RedisError(error);
  if (!Number.isFinite(v) && !INF_RE.test(arg)) throw new RedisError(error);
  if (v === 0 && /[1-9a-f]/i.test(arg.replace(/^[+-]?0[xX]/, "").replace(/[eEpP].*$/, ""))) {
    throw new RedisError(error);
  }
  return v;
}

/**
 * A SCAN/HSCAN/SSCAN/ZSCAN cursor, parsed like Redis's parseScanCursorOrReply: strtoul in base 10
 * (optional sign, a negative value wrapping around 2^64, the empty string meaning 0, parsing
 * stopping at a NUL byte), rejecting leading whitespace, trailing characters and overflow.
 */
export function readScanCursor(arg: string): bigint {
  const nul = arg.indexOf("\0");
  const text = nul >= 0 ? arg.slice(0, nul) : arg;
  if (text.length === 0) return 0n;
  const m = /^([+-]?)([0-9]+)$/.exec(text);
  if (m === null) throw new RedisError(Err.invalidCursor);
  const value = BigInt(m[2]!);
  if (value > 0xffffffffffffffffn) throw new RedisError(Err.invalidCursor);
  return m[1] === "-" && value !== 0n ? (1n << 64n) - value : value;
}

/** Case-insensitive equality for option keywords (both sides ASCII). */
export function eqi(arg: string, keyword: string): boolean {
  return arg.length === keyword.length && arg.toLowerCase() === keyword;
}

/** Throws Redis's syntax error. */
export function syntaxError(): never {
  throw new RedisError(Err.syntax);
}

export { INT64_MAX, INT64_MIN };
