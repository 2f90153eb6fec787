/**
 * Key expiry commands (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT,
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
 */
import { Err, GenericErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { INT64_MAX, INT64_MIN, eqi, readBigInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Parses the NX/XX/GT/LT flags after argv[2] (parseExtendedExpireArgumentsOrReply). */
function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (eqi(opt, "nx")) flags |= EXPIRE_NX;
    else if (eqi(opt, "xx")) flags |= EXPIRE_XX;
    else if (eqi(opt, "gt")) flags |= EXPIRE_GT;
    else if (eqi(opt, "lt")) flags |= EXPIRE_LT;
    else throw new RedisError(GenericErr.unsupportedOption(opt));
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    throw new RedisError(GenericErr.expireNxAndOthers);
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) throw new RedisError(GenericErr.expireGtAndLt);
  return flags;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (expireGenericCommand). `basetime` is the current time
 * for the relative forms and 0 for the absolute ones; `seconds` tells the unit of argv[2].
 */
function expireGeneric(c: Client, basetime: bigint, seconds: boolean): void {
  const db = c.db;
  const key = c.argv[1]!;
  const flags = parseExpireFlags(c.argv);
  let when = readBigInt(c.argv[2]!);
  const invalid = Err.invalidExpire(c.command?.fullName ?? c.argv[0]!.toLowerCase());
  if (seconds) {
    // C's LLONG_MAX/1000 and LLONG_MIN/1000 truncate toward zero, as BigInt division does.
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw new RedisError(invalid);
    when *= 1000n;
  }
  if (when > INT64_MAX - basetime) throw new RedisError(invalid);
  when += basetime;

  if (db.lookupWrite(key) === undefined) {
    c.reply.integer(0);
    return;
  }
  if (flags) {
    const current = db.getExpire(key);
    const hasTtl = current !== undefined;
    if (flags & EXPIRE_NX && hasTtl) return c.reply.integer(0);
    if (flags & EXPIRE_XX && !hasTtl) return c.reply.integer(0);
    // No TTL counts as an infinite one: GT never wins against it, LT always does.
    if (flags & EXPIRE_GT && (!hasTtl || when <= BigInt(current))) return c.reply.integer(0);
    if (flags & EXPIRE_LT && hasTtl && when >= BigInt(current)) return c.reply.integer(0);
  }
  if (when <= BigInt(c.server.clock.now())) {
    // A time in the past deletes the key (Redis propagates it as a DEL).
    db.delete(key);
    c.server.keyspace.notify(db, NotifyClass.generic, "del", key);
  } else {
    db.setExpire(key, Number(when));
    c.server.keyspace.signalModified(db, key);
    c.server.keyspace.notify(db, NotifyClass.generic, "expire", key);
  }
  c.reply.integer(1);
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expireCommand(c: Client): void {
  expireGeneric(c, BigInt(c.server.clock.now()), true);
}

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireatCommand(c: Client): void {
  expireGeneric(c, 0n, true);
}

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpireCommand(c: Client): void {
  expireGeneric(c, BigInt(c.server.clock.now()), false);
}

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireatCommand(c: Client): void {
  expireGeneric(c, 0n, false);
}

/**
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME (ttlGenericCommand): -2 for a missing key, -1 without a
 * TTL, else the remaining (or absolute) time, seconds rounded to the nearest.
 */
function ttlGeneric(c: Client, milliseconds: boolean, absolute: boolean): void {
  const key = c.argv[1]!;
  if (c.db.lookupRead(key, true) === undefined) {
    c.reply.integer(-2);
    return;
  }
  const expire = c.db.getExpire(key);
  if (expire === undefined) {
    c.reply.integer(-1);
    return;
  }
  let ttl = absolute ? expire : expire - c.server.clock.now();
  if (ttl < 0) ttl = 0;
  c.reply.integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
}

/** TTL key */
function ttlCommand(c: Client): void {
  ttlGeneric(c, false, false);
}

/** PTTL key */
function pttlCommand(c: Client): void {
  ttlGeneric(c, true, false);
}

/** EXPIRETIME key */
function expiretimeCommand(c: Client): void {
  ttlGeneric(c, false, true);
}

/** PEXPIRETIME key */
function pexpiretimeCommand(c: Client): void {
  ttlGeneric(c, true, true);
}

/** PERSIST key */
function persistCommand(c: Client): void {
  const key = c.argv[1]!;
  if (c.db.lookupWrite(key) !== undefined && c.db.removeExpire(key)) {
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "persist", key);
    c.reply.integer(1);
  } else {
    c.reply.integer(0);
  }
}

/** The expiry commands of the generic family. */
export const expireCommands: CommandDefinition[] = [
  { name: "expire", handler: expireCommand },
  { name: "pexpire", handler: pexpireCommand },
  { name: "expireat", handler: expireatCommand },
  { name: "pexpireat", handler: pexpireatCommand },
  { name: "ttl", handler: ttlCommand },
  { name: "pttl", handler: pttlCommand },
  { name: "expiretime", handler: expiretimeCommand },
  { name: "pexpiretime", handler: pexpiretimeCommand },
  { name: "persist", handler: persistCommand },
];
