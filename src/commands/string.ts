/**
 * String commands: GET, SET and the rest of Redis 7.0's string family. Counters (INCR...) live in
 * `string-counter.ts` and LCS in `string-lcs.ts`; bit commands in `bitmap.ts`.
 *
 * Strings set whole are stored as plain latin1 JS strings; APPEND and SETRANGE turn a value into a
 * {@link RawString} edited in place (OBJECT ENCODING `raw`), as Redis unshares and grows its sds.
 */
import { Err, RedisError, StringErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { RawString, toRawString, type StringValue } from "../types/string.js";
import { readBigInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { counterCommands } from "./string-counter.js";
import { lcsCommand } from "./string-lcs.js";
import {
  checkString,
  checkStringLength,
  expireArgToAbsoluteMs,
  lookupString,
  parseExtendedStringArgs,
  replyString,
} from "./string-common.js";

export {
  checkString,
  expireArgToAbsoluteMs,
  lookupString,
  parseExtendedStringArgs,
  type ExtendedStringFlags,
} from "./string-common.js";

/** GET key */
function getCommand(c: Client): void {
  const v = c.db.lookupRead(c.argv[1]!);
  if (v === undefined) c.reply.nullBulk();
  else if (typeof v === "string") c.reply.bulk(v);
  else if (v.type === "string") c.reply.bulk(v.toString());
  else throw new RedisError(Err.wrongType);
}

/**
 * Redis's getGenericCommand: replies the value (or null) and returns true, or throws WRONGTYPE.
 * Used by SET GET, GETSET and GETDEL before they write.
 */
function replyCurrent(c: Client, key: string): StringValue | undefined {
  const v = lookupString(c.db, key);
  if (v === undefined) c.reply.nullBulk();
  else replyString(c, v);
  return v;
}

/** SET key value [NX | XX] [GET] [EX seconds | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL] */
function setCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const value = argv[2]!;
  if (argv.length === 3) {
    c.db.setKey(key, value);
    c.server.keyspace.notify(c.db, NotifyClass.string, "set", key);
    c.reply.simple("OK");
    return;
  }
  const f = parseExtendedStringArgs(argv, 3, true);
  const when =
    f.expireUnit !== null
      ? expireArgToAbsoluteMs(f.expireUnit, f.expireArg!, c.server.clock.now(), "set")
      : null;
  if (f.get) replyCurrent(c, key);
  const found = c.db.lookupWrite(key) !== undefined;
  if ((f.nx && found) || (f.xx && !found)) {
    if (!f.get) c.reply.nullBulk();
    return;
  }
  c.db.setKey(key, value, { keepTtl: f.keepTtl });
  if (when !== null) c.db.setExpire(key, when);
  c.server.keyspace.notify(c.db, NotifyClass.string, "set", key);
  if (when !== null) c.server.keyspace.notify(c.db, NotifyClass.generic, "expire", key);
  if (!f.get) c.reply.simple("OK");
}

/** SETNX key value */
function setnxCommand(c: Client): void {
  const key = c.argv[1]!;
  if (c.db.lookupWrite(key) !== undefined) {
    c.reply.integer(0);
    return;
  }
  c.db.setKey(key, c.argv[2]!);
  c.server.keyspace.notify(c.db, NotifyClass.string, "set", key);
  c.reply.integer(1);
}

/** SETEX key seconds value / PSETEX key milliseconds value */
function setexGeneric(c: Client, unit: "EX" | "PX", name: string): void {
  const key = c.argv[1]!;
  const when = expireArgToAbsoluteMs(unit, c.argv[2]!, c.server.clock.now(), name);
  c.db.setKey(key, c.argv[3]!);
  c.db.setExpire(key, when);
  c.server.keyspace.notify(c.db, NotifyClass.string, "set", key);
  c.server.keyspace.notify(c.db, NotifyClass.generic, "expire", key);
  c.reply.simple("OK");
}

/** SETEX key seconds value */
function setexCommand(c: Client): void {
  setexGeneric(c, "EX", "setex");
}

/** PSETEX key milliseconds value */
function psetexCommand(c: Client): void {
  setexGeneric(c, "PX", "psetex");
}

/** GETEX key [EX seconds | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST] */
function getexCommand(c: Client): void {
  const key = c.argv[1]!;
  const f = parseExtendedStringArgs(c.argv, 2, false);
  const v = lookupString(c.db, key);
  if (v === undefined) {
    c.reply.nullBulk();
    return;
  }
  const now = c.server.clock.now();
  const when = f.expireUnit !== null ? expireArgToAbsoluteMs(f.expireUnit, f.expireArg!, now, "getex") : null;
  replyString(c, v);
  if (when !== null && (f.expireUnit === "EXAT" || f.expireUnit === "PXAT") && when <= now) {
    // An absolute time already past deletes the key (propagated as DEL).
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  } else if (when !== null) {
    c.db.setExpire(key, when);
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "expire", key);
  } else if (f.persist && c.db.removeExpire(key)) {
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "persist", key);
  }
}

/** GETDEL key */
function getdelCommand(c: Client): void {
  const key = c.argv[1]!;
  if (replyCurrent(c, key) === undefined) return;
  c.db.delete(key);
  c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
}

/** GETSET key value */
function getsetCommand(c: Client): void {
  const key = c.argv[1]!;
  replyCurrent(c, key);
  c.db.setKey(key, c.argv[2]!);
  c.server.keyspace.notify(c.db, NotifyClass.string, "set", key);
}

/** MGET key [key ...] */
function mgetCommand(c: Client): void {
  const argv = c.argv;
  c.reply.array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]!);
    if (v === undefined) c.reply.nullBulk();
    else if (typeof v === "string") c.reply.bulk(v);
    else if (v.type === "string") c.reply.bulk(v.toString());
    else c.reply.nullBulk();
  }
}

/** MSET key value [key value ...] / MSETNX: `nx` sets nothing if any key exists. */
function msetGeneric(c: Client, nx: boolean): void {
  const argv = c.argv;
  if (argv.length % 2 === 0) throw new RedisError(Err.wrongArity(nx ? "msetnx" : "mset"));
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.lookupWrite(argv[j]!) !== undefined) {
        c.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    c.db.setKey(argv[j]!, argv[j + 1]!);
    c.server.keyspace.notify(c.db, NotifyClass.string, "set", argv[j]!);
  }
  if (nx) c.reply.integer(1);
  else c.reply.simple("OK");
}

/** MSET key value [key value ...] */
function msetCommand(c: Client): void {
  msetGeneric(c, false);
}

/** MSETNX key value [key value ...] */
function msetnxCommand(c: Client): void {
  msetGeneric(c, true);
}

/** APPEND key value */
function appendCommand(c: Client): void {
  const key = c.argv[1]!;
  const tail = c.argv[2]!;
  const cur = checkString(c.db.lookupWrite(key));
  let total: number;
  if (cur === undefined) {
    c.db.add(key, tail);
    total = tail.length;
  } else {
    checkStringLength(c, cur.length, tail.length);
    if (typeof cur === "string") {
      const raw = toRawString(cur, tail.length);
      raw.append(tail);
      c.db.replaceValue(key, raw);
      total = raw.length;
    } else {
      cur.append(tail);
      total = cur.length;
    }
  }
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.string, "append", key);
  c.reply.integer(total);
}

/** STRLEN key */
function strlenCommand(c: Client): void {
  const v = lookupString(c.db, c.argv[1]!);
  c.reply.integer(v === undefined ? 0 : v.length);
}

/** SETRANGE key offset value */
function setrangeCommand(c: Client): void {
  const key = c.argv[1]!;
  const offsetBig = readBigInt(c.argv[2]!);
  const value = c.argv[3]!;
  if (offsetBig < 0n) throw new RedisError(StringErr.offsetOutOfRange);
  const offset = Number(offsetBig);
  const cur = checkString(c.db.lookupWrite(key));
  let length: number;
  if (cur === undefined) {
    // Setting nothing on a missing key creates nothing.
    if (value.length === 0) {
      c.reply.integer(0);
      return;
    }
    checkStringLength(c, offset, value.length);
    const raw = new RawString(Buffer.alloc(0), offset + value.length);
    raw.writeAt(offset, value);
    c.db.add(key, raw);
    length = raw.length;
  } else {
    if (value.length === 0) {
      c.reply.integer(cur.length);
      return;
    }
    checkStringLength(c, offset, value.length);
    const raw = toRawString(cur);
    raw.writeAt(offset, value);
    if (raw !== cur) c.db.replaceValue(key, raw);
    length = raw.length;
  }
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.string, "setrange", key);
  c.reply.integer(length);
}

/** GETRANGE key start end (and its old name SUBSTR) */
function getrangeCommand(c: Client): void {
  const startBig = readBigInt(c.argv[2]!);
  const endBig = readBigInt(c.argv[3]!);
  const v = lookupString(c.db, c.argv[1]!);
  if (v === undefined || (startBig < 0n && endBig < 0n && startBig > endBig)) {
    c.reply.bulk("");
    return;
  }
  const len = v.length;
  let start = Number(startBig);
  let end = Number(endBig);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    c.reply.bulk("");
    return;
  }
  c.reply.bulk(v.slice(start, end + 1));
}

export const stringCommands: CommandDefinition[] = [
  { name: "get", handler: getCommand },
  { name: "set", handler: setCommand },
  { name: "setnx", handler: setnxCommand },
  { name: "setex", handler: setexCommand },
  { name: "psetex", handler: psetexCommand },
  { name: "getex", handler: getexCommand },
  { name: "getdel", handler: getdelCommand },
  { name: "getset", handler: getsetCommand },
  { name: "mget", handler: mgetCommand },
  { name: "mset", handler: msetCommand },
  { name: "msetnx", handler: msetnxCommand },
  { name: "append", handler: appendCommand },
  { name: "strlen", handler: strlenCommand },
  { name: "setrange", handler: setrangeCommand },
  { name: "getrange", handler: getrangeCommand },
  { name: "substr", handler: getrangeCommand },
  { name: "lcs", handler: lcsCommand },
  ...counterCommands,
];
