/**
 * Helpers shared by the string and bitmap command modules: typed lookups, the extended SET/GETEX
 * option parser and expiry arguments. `string.ts` re-exports them for other families.
 */
import { Err, RedisError } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import type { Client } from "../server/client.js";
import type { StringValue } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { readBigInt } from "./args.js";

const LLONG_MAX = 9223372036854775807n;

/** A string value for reading, or undefined if absent; throws WRONGTYPE for other types. */
export function lookupString(db: Database, key: string): StringValue | undefined {
  const v = db.lookupRead(key);
  if (v === undefined || typeof v === "string") return v;
  if (v.type !== "string") throw new RedisError(Err.wrongType);
  return v as StringValue;
}

/** Throws WRONGTYPE unless `v` is absent or a string. */
export function checkString(v: RedisValue | undefined): StringValue | undefined {
  if (v === undefined || typeof v === "string") return v;
  if (v.type !== "string") throw new RedisError(Err.wrongType);
  return v as StringValue;
}

/** Replies a string value as a bulk string. */
export function replyString(c: Client, v: StringValue): void {
  c.reply.bulk(typeof v === "string" ? v : v.toString());
}

/** Flags of SET and GETEX (Redis's parseExtendedStringArgumentsOrReply). */
export interface ExtendedStringFlags {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  /** Which expiry form was given, and its argument. */
  expireUnit: "EX" | "PX" | "EXAT" | "PXAT" | null;
  expireArg: string | null;
}

/** Parses SET's (`forSet`) or GETEX's options from argv[start]. Throws syntax errors like Redis. */
export function parseExtendedStringArgs(argv: string[], start: number, forSet: boolean): ExtendedStringFlags {
  const f: ExtendedStringFlags = {
    nx: false,
    xx: false,
    get: false,
    keepTtl: false,
    persist: false,
    expireUnit: null,
    expireArg: null,
  };
  for (let j = start; j < argv.length; j++) {
    const opt = argv[j]!.toUpperCase();
    const hasNext = j < argv.length - 1;
    const noExpireYet = f.expireUnit === null;
    if (opt === "NX" && !f.xx && forSet) f.nx = true;
    else if (opt === "XX" && !f.nx && forSet) f.xx = true;
    else if (opt === "GET" && forSet) f.get = true;
    else if (opt === "KEEPTTL" && !f.persist && noExpireYet && forSet) f.keepTtl = true;
    else if (opt === "PERSIST" && !forSet && noExpireYet && !f.keepTtl) f.persist = true;
    else if (
      (opt === "EX" || opt === "PX" || opt === "EXAT" || opt === "PXAT") &&
      !f.keepTtl &&
      !f.persist &&
      (f.expireUnit === null || f.expireUnit === opt) &&
      hasNext
    ) {
      f.expireUnit = opt;
      f.expireArg = argv[++j]!;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  return f;
}

/**
 * Converts an EX/PX/EXAT/PXAT argument to an absolute Unix ms time, with Redis's checks
 * (getExpireMillisecondsOrReply): not an integer, not positive, or overflowing 64 bits once
 * scaled to ms and made absolute are errors. `command` names the command in the error text.
 */
export function expireArgToAbsoluteMs(
  unit: "EX" | "PX" | "EXAT" | "PXAT",
  arg: string,
  now: number,
  command: string,
): number {
  let ms = readBigInt(arg);
  const seconds = unit === "EX" || unit === "EXAT";
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) throw new RedisError(Err.invalidExpire(command));
  if (seconds) ms *= 1000n;
  if (unit === "EX" || unit === "PX") {
    ms += BigInt(Math.trunc(now));
    if (ms > LLONG_MAX) throw new RedisError(Err.invalidExpire(command));
  }
  return Number(ms);
}

/** proto-max-bulk-len: the largest string a command may build. */
export function maxStringLength(c: Client): number {
  return c.server.config.getNumber("proto-max-bulk-len");
}

/** Redis's checkStringLength: throws if a string of `size + append` bytes would be too long. */
export function checkStringLength(c: Client, size: number, append: number): void {
  if (size + append > maxStringLength(c)) throw new RedisError(Err.stringTooLong);
}
