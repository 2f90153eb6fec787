/**
 * String commands: GET, SET and the rest of Redis 7.0's string family.
 */
import { Err, RedisError } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import type { Client } from "../server/client.js";
import { type StringValue } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { readInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";

const LLONG_MAX = 2 ** 63;

/** A string value for reading, or undefined if absent; throws WRONGTYPE for other types. */
export function lookupString(db: Database, key: string): StringValue | undefined {
  const v = db.lookupRead(key);
  if (v === undefined) return undefined;
  if (typeof v !== "string" && v.type !== "string") throw new RedisError(Err.wrongType);
  return v as StringValue;
}

/** Throws WRONGTYPE unless `v` is absent or a string. */
export function checkString(v: RedisValue | undefined): StringValue | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" && v.type !== "string") throw new RedisError(Err.wrongType);
  return v as StringValue;
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
 * (getExpireMillisecondsOrReply). `command` names the command in the error text.
 */
export function expireArgToAbsoluteMs(
  unit: "EX" | "PX" | "EXAT" | "PXAT",
  arg: string,
  now: number,
  command: string,
): number {
  let ms = readInt(arg);
  const seconds = unit === "EX" || unit === "EXAT";
  if (ms <= 0 || (seconds && ms > LLONG_MAX / 1000)) throw new RedisError(Err.invalidExpire(command));
  if (seconds) ms *= 1000;
  if (unit === "EX" || unit === "PX") {
    if (ms > LLONG_MAX - now) throw new RedisError(Err.invalidExpire(command));
    ms += now;
  }
  return ms;
}

/** GET key */
function getCommand(c: Client): void {
  const v = lookupString(c.db, c.argv[1]!);
  if (v === undefined) c.reply.nullBulk();
  else c.reply.bulk(typeof v === "string" ? v : v.toString());
}

/** SET key value [NX | XX] [GET] [EX seconds | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL] */
function setCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const value = argv[2]!;
  if (argv.length === 3) {
    c.db.setKey(key, value);
    c.reply.simple("OK");
    return;
  }
  const f = parseExtendedStringArgs(argv, 3, true);
  const when =
    f.expireUnit !== null
      ? expireArgToAbsoluteMs(f.expireUnit, f.expireArg!, c.server.clock.now(), "set")
      : null;
  if (f.get) {
    const old = checkString(c.db.lookupRead(key));
    if (old === undefined) c.reply.nullBulk();
    else c.reply.bulk(typeof old === "string" ? old : old.toString());
  }
  const found = c.db.lookupWrite(key) !== undefined;
  if ((f.nx && found) || (f.xx && !found)) {
    if (!f.get) c.reply.nullBulk();
    return;
  }
  c.db.setKey(key, value, { keepTtl: f.keepTtl });
  if (when !== null) c.db.setExpire(key, when);
  if (!f.get) c.reply.simple("OK");
}

export const stringCommands: CommandDefinition[] = [
  { name: "get", handler: getCommand },
  { name: "set", handler: setCommand },
];
