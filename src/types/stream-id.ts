/**
 * Stream entry IDs (`<ms>-<seq>`, two unsigned 64-bit integers) as one 128-bit bigint,
 * `ms << 64 | seq`: ordering, +1 and -1 are then plain bigint arithmetic, and the carry from
 * `seq` into `ms` is exactly Redis's streamIncrID/streamDecrID. Parsing follows Redis 7.0's
 * streamGenericParseIDOrReply, quirks included (strtoull fallback, NUL-terminated buffer).
 */
import { RedisError, StreamErr } from "../errors.js";

/** A stream ID: `ms << 64n | seq`. */
export type StreamId = bigint;

/** The largest 64-bit unsigned value. */
export const UINT64_MAX = (1n << 64n) - 1n;
/** `0-0`. */
export const MIN_ID: StreamId = 0n;
/** `18446744073709551615-18446744073709551615`. */
export const MAX_ID: StreamId = (1n << 128n) - 1n;

/** Builds an ID from its two halves. */
export function makeId(ms: bigint, seq: bigint): StreamId {
  return (ms << 64n) | seq;
}

/** The milliseconds half. */
export function idMs(id: StreamId): bigint {
  return id >> 64n;
}

/** The sequence half. */
export function idSeq(id: StreamId): bigint {
  return id & UINT64_MAX;
}

/** `<ms>-<seq>`, as Redis formats IDs. */
export function formatId(id: StreamId): string {
  return `${id >> 64n}-${id & UINT64_MAX}`;
}

/** A parsed ID argument; `seqGiven` is false for the `<ms>-*` form of XADD. */
export interface ParsedId {
  id: StreamId;
  seqGiven: boolean;
}

const C_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * Redis's string2ull: the fast canonical parse (negatives rejected), else strtoull in base 10
 * (leading whitespace, a sign, leading zeros; a minus negates modulo 2^64; overflow and trailing
 * characters rejected). Undefined when invalid.
 */
function string2ull(s: string): bigint | undefined {
  if (/^(?:0|-?[1-9][0-9]*)$/.test(s) && s.length <= 20) {
    const v = BigInt(s);
    if (v >= -(1n << 63n) && v < 1n << 63n) return v < 0n ? undefined : v;
  }
  const body = s.slice(C_SPACE.exec(s)![0].length);
  const m = /^([+-]?)([0-9]+)$/.exec(body);
  if (m === null) return undefined;
  const v = BigInt(m[2]!);
  if (v > UINT64_MAX) return undefined;
  return m[1] === "-" ? (UINT64_MAX + 1n - v) & UINT64_MAX : v;
}

/**
 * Parses an ID argument (Redis's streamGenericParseIDOrReply). `missingSeq` fills the sequence of
 * a bare `<ms>`; `strict` rejects `-` and `+`; `allowSeqStar` accepts `<ms>-*` (XADD). Returns
 * undefined when invalid.
 */
export function parseStreamId(
  arg: string,
  missingSeq: bigint,
  strict: boolean,
  allowSeqStar = false,
): ParsedId | undefined {
  if (arg.length > 127) return undefined;
  const nul = arg.indexOf("\0");
  const buf = nul >= 0 ? arg.slice(0, nul) : arg;
  if (buf === "-" || buf === "+") {
    if (strict) return undefined;
    return { id: buf === "-" ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = buf.indexOf("-");
  const ms = string2ull(dash >= 0 ? buf.slice(0, dash) : buf);
  if (ms === undefined) return undefined;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowSeqStar && rest === "*") return { id: makeId(ms, 0n), seqGiven: false };
  const seq = string2ull(rest);
  if (seq === undefined) return undefined;
  return { id: makeId(ms, seq), seqGiven: true };
}

/** An ID argument or Redis's "Invalid stream ID" error (streamParseIDOrReply / ...StrictID...). */
export function readStreamId(arg: string, missingSeq: bigint, strict: boolean): StreamId {
  const parsed = parseStreamId(arg, missingSeq, strict);
  if (parsed === undefined) throw new RedisError(StreamErr.invalidId);
  return parsed.id;
}

/**
 * A range bound that may be exclusive (`(id`, Redis's streamParseIntervalIDOrReply): returns the
 * inclusive bound, moved by one for an exclusive one; throws the interval error when it cannot
 * move (exclusive `(` of the extreme IDs).
 */
export function readIntervalId(arg: string, missingSeq: bigint, isStart: boolean): StreamId {
  if (arg.length > 1 && arg[0] === "(") {
    const id = readStreamId(arg.slice(1), missingSeq, true);
    if (isStart) {
      if (id === MAX_ID) throw new RedisError(StreamErr.invalidStartInterval);
      return id + 1n;
    }
    if (id === MIN_ID) throw new RedisError(StreamErr.invalidEndInterval);
    return id - 1n;
  }
  return readStreamId(arg, missingSeq, false);
}
