/**
 * Helpers shared by the sorted-set command modules: typed lookups, the listpack limits, and the
 * argument parsers whose quirks show in replies (scores parsed like Redis's getDoubleFromObject,
 * range bounds like zslParseRange's bare strtod, lex bounds like zslParseLexRangeItem).
 */
import { Err, RedisError, ZsetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import type { RedisValue } from "../types/value.js";
import { ZsetValue, type LexBound, type LexRange, type ScoreRange, type ZsetLimits } from "../types/zset.js";
import { parseFloatStrict } from "./args.js";

/** Throws WRONGTYPE unless `v` is absent or a sorted set. */
export function checkZset(v: RedisValue | undefined): ZsetValue | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof ZsetValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** A sorted set for reading (lookupKeyRead), or undefined; throws WRONGTYPE for other types. */
export function lookupZsetRead(c: Client, key: string): ZsetValue | undefined {
  return checkZset(c.db.lookupRead(key));
}

/** A sorted set for writing (lookupKeyWrite), or undefined; throws WRONGTYPE for other types. */
export function lookupZsetWrite(c: Client, key: string): ZsetValue | undefined {
  return checkZset(c.db.lookupWrite(key));
}

/** The current `zset-max-listpack-entries` and `zset-max-listpack-value`. */
export function zsetLimits(c: Client): ZsetLimits {
  const hot = c.server.config.hot;
  return { maxEntries: hot.zsetMaxListpackEntries, maxValue: hot.zsetMaxListpackValue };
}

/**
 * A new sorted set for a key about to be created by ZADD, encoded as Redis picks it: skiplist
 * when listpacks are disabled or the first member is too long for one.
 */
export function createZsetFor(limits: ZsetLimits, firstMember: string): ZsetValue {
  const skiplist = limits.maxEntries === 0 || limits.maxValue < firstMember.length;
  return new ZsetValue(skiplist ? "skiplist" : "listpack");
}

/**
 * After deleting members: raises `event` (`zrem`, `zremrangebyrank`...), deletes the key if empty
 * (raising `del`), else signals the modification (WATCH).
 */
export function afterRemoval(c: Client, key: string, zset: ZsetValue, event: string): void {
  c.server.keyspace.notify(c.db, NotifyClass.zset, event, key);
  if (zset.size === 0) {
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  } else {
    c.server.keyspace.signalModified(c.db, key);
  }
}

const STRTOD_RE =
  /^[+-]?(?:infinity|inf|nan(?:\([0-9a-z_]*\))?|0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;
const C_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * C's strtod on a NUL-terminated string: skips leading whitespace, parses the longest number
 * prefix. Returns the value and how many characters were consumed (0 when nothing parsed).
 */
function strtod(text: string): { value: number; end: number } {
  const skip = C_SPACE.exec(text)![0].length;
  const m = STRTOD_RE.exec(text.slice(skip));
  if (m === null) return { value: 0, end: 0 };
  const lexeme = m[0];
  const body = lexeme.replace(/^[+-]/, "").toLowerCase();
  let value: number;
  if (body.startsWith("inf")) value = Infinity;
  else if (body.startsWith("nan")) value = NaN;
  else value = body.startsWith("0x") ? parseFloatStrict(body)! : Number(body);
  if (lexeme[0] === "-") value = -value;
  return { value, end: skip + lexeme.length };
}

/**
 * A score argument, as Redis's getDoubleFromObject parses it: the whole string must be a number
 * (no leading space, no NaN); an overflow to ±inf or an underflow to 0 is out of range.
 */
export function parseScore(arg: string): number | undefined {
  if (arg.length === 0 || /^[ \t\n\v\f\r]/.test(arg)) return undefined;
  const { value, end } = strtod(arg);
  if (end !== arg.length || Number.isNaN(value)) return undefined;
  if (!Number.isFinite(value) && !/^[+-]?inf/i.test(arg)) return undefined;
  if (value === 0 && /^[+-]?(?:0x)?[0-9a-f.]*[1-9a-f]/i.test(arg.replace(/[eEpP].*$/, ""))) return undefined;
  return value;
}

/** A score argument or Redis's error (`ERR value is not a valid float` unless told otherwise). */
export function readScore(arg: string, error: string = Err.notFloat): number {
  const v = parseScore(arg);
  if (v === undefined) throw new RedisError(error);
  return v;
}

/** One end of a score range: `[(]number`, parsed by a bare strtod up to the first NUL byte. */
function parseRangeItem(arg: string): { value: number; exclusive: boolean } | undefined {
  const nul = arg.indexOf("\0");
  let text = nul >= 0 ? arg.slice(0, nul) : arg;
  const exclusive = text[0] === "(";
  if (exclusive) text = text.slice(1);
  const { value, end } = strtod(text);
  // strtod consuming nothing leaves the end at the start: only an empty string passes then.
  if (end !== text.length || Number.isNaN(value)) return undefined;
  return { value, exclusive };
}

/** ZRANGEBYSCORE-style `min max` (Redis's zslParseRange); throws `min or max is not a float`. */
export function readScoreRange(minArg: string, maxArg: string): ScoreRange {
  const min = parseRangeItem(minArg);
  const max = parseRangeItem(maxArg);
  if (min === undefined || max === undefined) throw new RedisError(ZsetErr.minMaxNotFloat);
  return { min: min.value, max: max.value, minex: min.exclusive, maxex: max.exclusive };
}

/** One end of a lex range (Redis's zslParseLexRangeItem): `-`, `+`, `(member` or `[member`. */
function parseLexItem(arg: string): LexBound | undefined {
  switch (arg[0]) {
    case "+":
    case "-":
      // The C code checks the byte after the sign, which is the NUL terminator for "+" / "-".
      if (arg.length > 1 && arg.charCodeAt(1) !== 0) return undefined;
      return { inf: arg[0] === "+" ? 1 : -1, value: "", exclusive: true };
    case "(":
      return { inf: 0, value: arg.slice(1), exclusive: true };
    case "[":
      return { inf: 0, value: arg.slice(1), exclusive: false };
    default:
      return undefined;
  }
}

/** ZRANGEBYLEX-style `min max`; throws `min or max not valid string range item`. */
export function readLexRange(minArg: string, maxArg: string): LexRange {
  const min = parseLexItem(minArg);
  const max = parseLexItem(maxArg);
  if (min === undefined || max === undefined) throw new RedisError(ZsetErr.minMaxNotLex);
  return { min, max };
}
