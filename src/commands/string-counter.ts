/**
 * Counter commands on string values: INCR, DECR, INCRBY, DECRBY (signed 64-bit, with Redis's
 * overflow errors) and INCRBYFLOAT (x87 `long double` arithmetic and `%.17Lf` formatting, emulated
 * exactly by `hash-longdouble.ts`). Counters keep the key's TTL.
 */
import { Err, RedisError, StringErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../types/string.js";
import {
  addLongDouble,
  formatLongDoubleHuman,
  parseLongDouble,
  type LongDouble,
} from "../util/longdouble.js";
import type { CommandDefinition } from "./spec.js";
import { checkString } from "./string-common.js";

/**
 * Parses a canonical decimal integer of at most 15 digits (so exact as a double) without
 * allocating; undefined when longer or not canonical (callers then fall back to 64-bit parsing).
 */
function parseSmallInt(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 16) return undefined;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return undefined;
    negative = true;
    i = 1;
  }
  if (n - i > 15) return undefined;
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : undefined;
  if (first < 49 || first > 57) return undefined;
  let v = first - 48;
  for (let j = i + 1; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

/** A 64-bit integer argument: a number when small, else a bigint. Throws not-an-integer. */
function readCounterArg(arg: string): number | bigint {
  const small = parseSmallInt(arg);
  if (small !== undefined) return small;
  const big = parseInt64(arg);
  if (big === undefined) throw new RedisError(Err.notInteger);
  return big;
}

/** Redis's incrDecrCommand: adds `incr` to the integer at argv[1] (0 when missing). */
function incrDecr(c: Client, incr: number | bigint): void {
  const key = c.argv[1]!;
  const db = c.db;
  const cur = checkString(db.lookupWrite(key));
  let value: number | bigint = 0;
  if (cur !== undefined) {
    const text = typeof cur === "string" ? cur : cur.length <= 20 ? cur.toString() : "";
    const small = parseSmallInt(text);
    if (small !== undefined) value = small;
    else {
      const big = parseInt64(text);
      if (big === undefined) throw new RedisError(Err.notInteger);
      value = big;
    }
  }
  let result: number | bigint;
  let stored: string;
  if (typeof value === "number" && typeof incr === "number") {
    // Both below 10^15 in magnitude: the sum is exact and far from the 64-bit limits.
    result = value + incr;
    stored = String(result);
  } else {
    const sum = BigInt(value) + BigInt(incr);
    if (sum > INT64_MAX || sum < INT64_MIN) throw new RedisError(Err.overflow);
    result = sum;
    stored = sum.toString();
  }
  if (cur === undefined) db.add(key, stored);
  else db.replaceValue(key, stored);
  c.server.keyspace.signalModified(db, key);
  c.server.keyspace.notify(db, NotifyClass.string, "incrby", key);
  c.reply.integer(result);
}

/** INCR key */
function incrCommand(c: Client): void {
  incrDecr(c, 1);
}

/** DECR key */
function decrCommand(c: Client): void {
  incrDecr(c, -1);
}

/** INCRBY key increment */
function incrbyCommand(c: Client): void {
  incrDecr(c, readCounterArg(c.argv[2]!));
}

/** DECRBY key decrement */
function decrbyCommand(c: Client): void {
  const decr = readCounterArg(c.argv[2]!);
  if (typeof decr === "number") incrDecr(c, -decr);
  else if (decr === INT64_MIN) throw new RedisError(StringErr.decrementOverflow);
  else incrDecr(c, -decr);
}

const LD_ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };

/** INCRBYFLOAT key increment */
function incrbyfloatCommand(c: Client): void {
  const key = c.argv[1]!;
  const db = c.db;
  const cur = checkString(db.lookupWrite(key));
  let value = LD_ZERO;
  if (cur !== undefined) {
    const parsed = parseLongDouble(typeof cur === "string" ? cur : cur.toString());
    if (parsed === undefined) throw new RedisError(Err.notFloat);
    value = parsed;
  }
  const incr = parseLongDouble(c.argv[2]!);
  if (incr === undefined) throw new RedisError(Err.notFloat);
  const sum = addLongDouble(value, incr);
  if (sum === undefined || sum.inf) throw new RedisError(Err.incrFloatNaN);
  const stored = formatLongDoubleHuman(sum);
  if (cur === undefined) db.add(key, stored);
  else db.replaceValue(key, stored);
  c.server.keyspace.signalModified(db, key);
  c.server.keyspace.notify(db, NotifyClass.string, "incrbyfloat", key);
  c.reply.bulk(stored);
}

/** The counter commands, for `stringCommands`. */
export const counterCommands: CommandDefinition[] = [
  { name: "incr", handler: incrCommand },
  { name: "decr", handler: decrCommand },
  { name: "incrby", handler: incrbyCommand },
  { name: "decrby", handler: decrbyCommand },
  { name: "incrbyfloat", handler: incrbyfloatCommand },
];
