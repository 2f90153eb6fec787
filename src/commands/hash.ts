/**
 * Hash commands: Redis 7.0's hash family (HSET ... HSCAN), aware of Redis 7.4's per-field expiry
 * (hash-expire.ts): fields whose TTL passed are invisible, reclaimed on access, except that HLEN
 * counts them until reclaimed, as Redis 7.4's HLEN does.
 */
import { Err, HashErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { HashValue } from "../types/hash.js";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../types/string.js";
import { globMatch } from "../util/glob.js";
import { eqi, readBigInt, readScanCursor, syntaxError } from "./args.js";
import {
  addLongDouble,
  formatLongDoubleHuman,
  longDoubleFromBigInt,
  parseLongDouble,
} from "../util/longdouble.js";
import { readScanOptions, replyScan } from "./scan-common.js";
import type { CommandDefinition } from "./spec.js";
import {
  hashLimits,
  liveFieldValue,
  lookupHashRead,
  lookupHashWrite,
  lookupHashWriteLive,
} from "./hash-common.js";

/** Stores a newly created hash under `key` (the caller checked it is absent). */
function addHash(c: Client, key: string, hash: HashValue): void {
  c.db.add(key, hash);
}

/** HSET key field value [field value ...] — also HMSET, which replies +OK. */
function hsetCommand(c: Client): void {
  const argv = c.argv;
  const name = argv[0]!.toLowerCase();
  if (argv.length % 2 === 1) throw new RedisError(Err.wrongArity(name));
  const key = argv[1]!;
  const limits = hashLimits(c);
  let hash = lookupHashWriteLive(c, key, 2, 2);
  if (hash === undefined) {
    hash = new HashValue();
    addHash(c, key, hash);
  }
  hash.convertForArgs(argv, 2, limits);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i]!, argv[i + 1]!, limits)) created++;
  }
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.hash, "hset", key);
  if (name === "hmset") c.reply.simple("OK");
  else c.reply.integer(created);
}

/** HSETNX key field value */
function hsetnxCommand(c: Client): void {
  const [, key, field, value] = c.argv as [string, string, string, string];
  let hash = lookupHashWriteLive(c, key, 2, 1, 3);
  if (hash !== undefined && hash.has(field)) {
    c.reply.integer(0);
    return;
  }
  const limits = hashLimits(c);
  if (hash === undefined) {
    hash = new HashValue();
    addHash(c, key, hash);
  }
  hash.convertForArgs(c.argv, 2, limits);
  hash.set(field, value, limits);
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.hash, "hset", key);
  c.reply.integer(1);
}

/** HGET key field */
function hgetCommand(c: Client): void {
  const key = c.argv[1]!;
  const hash = lookupHashRead(c, key);
  const value = hash && liveFieldValue(c, key, hash, c.argv[2]!);
  if (value === undefined) c.reply.nullBulk();
  else c.reply.bulk(value);
}

/** HMGET key field [field ...] */
function hmgetCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const hash = lookupHashRead(c, key);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const value = hash && liveFieldValue(c, key, hash, argv[i]!);
    if (value === undefined) c.reply.nullBulk();
    else c.reply.bulk(value);
  }
}

/** HDEL key field [field ...] */
function hdelCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const hash = lookupHashWrite(c, key);
  if (hash === undefined) {
    c.reply.integer(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    // A field whose TTL passed is reclaimed (as expired, not counted); it may take the key along.
    if (hash.tracksFieldExpiry && c.db.expireHashField(key, hash, argv[i]!)) {
      if (hash.size === 0) break;
      continue;
    }
    if (hash.delete(argv[i]!)) {
      deleted++;
      if (hash.size === 0) {
        c.db.delete(key); // signals the modification itself
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0 && !keyRemoved) c.server.keyspace.signalModified(c.db, key);
  if (deleted > 0) c.server.keyspace.notify(c.db, NotifyClass.hash, "hdel", key);
  if (keyRemoved) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  c.reply.integer(deleted);
}

/**
 * HLEN key — like Redis 7.4, counts fields whose TTL passed but that were not reclaimed yet
 * (HLEN does not look at field TTLs).
 */
function hlenCommand(c: Client): void {
  c.reply.integer(lookupHashRead(c, c.argv[1]!)?.size ?? 0);
}

/** HSTRLEN key field */
function hstrlenCommand(c: Client): void {
  const key = c.argv[1]!;
  const hash = lookupHashRead(c, key);
  c.reply.integer((hash && liveFieldValue(c, key, hash, c.argv[2]!))?.length ?? 0);
}

/** HEXISTS key field */
function hexistsCommand(c: Client): void {
  const key = c.argv[1]!;
  const hash = lookupHashRead(c, key);
  c.reply.integer(hash && liveFieldValue(c, key, hash, c.argv[2]!) !== undefined ? 1 : 0);
}

/** HGETALL key / HKEYS key / HVALS key (Redis's genericHgetallCommand). */
function hgetallGeneric(c: Client, fields: boolean, values: boolean): void {
  const hash = lookupHashRead(c, c.argv[1]!);
  const reply = c.reply;
  const now = hash?.tracksFieldExpiry ? c.server.clock.now() : 0;
  if (hash !== undefined && now !== 0 && hash.hasExpiredFields(now)) {
    // Expired fields are skipped, not reclaimed (Redis 7.4's hashTypeNext with skipExpiredFields).
    const live: string[] = [];
    hash.forEach((field, value) => {
      if (!hash.isFieldExpired(field, now)) live.push(field, value);
    });
    if (fields && values) reply.map(live.length >> 1);
    else reply.array(live.length >> 1);
    for (let i = 0; i < live.length; i += 2) {
      if (fields) reply.bulk(live[i]!);
      if (values) reply.bulk(live[i + 1]!);
    }
    return;
  }
  const size = hash?.size ?? 0;
  if (fields && values) reply.map(size);
  else reply.array(size);
  if (hash === undefined) return;
  hash.forEach((field, value) => {
    if (fields) reply.bulk(field);
    if (values) reply.bulk(value);
  });
}

/** HGETALL key */
function hgetallCommand(c: Client): void {
  hgetallGeneric(c, true, true);
}

/** HKEYS key */
function hkeysCommand(c: Client): void {
  hgetallGeneric(c, true, false);
}

/** HVALS key */
function hvalsCommand(c: Client): void {
  hgetallGeneric(c, false, true);
}

/** HINCRBY key field increment */
function hincrbyCommand(c: Client): void {
  const [, key, field, incrArg] = c.argv as [string, string, string, string];
  const incr = readBigInt(incrArg);
  let hash = lookupHashWriteLive(c, key, 2, 1, 3);
  let current = 0n;
  const old = hash?.get(field);
  if (old !== undefined) {
    const parsed = parseInt64(old);
    if (parsed === undefined) throw new RedisError(HashErr.valueNotInteger);
    current = parsed;
  }
  const result = current + incr;
  if (result > INT64_MAX || result < INT64_MIN) throw new RedisError(Err.overflow);
  const limits = hashLimits(c);
  if (hash === undefined) {
    hash = new HashValue();
    addHash(c, key, hash);
  }
  hash.set(field, result.toString(), limits, true); // keeps the field's TTL, as Redis 7.4
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.hash, "hincrby", key);
  c.reply.integer(result);
}

/** HINCRBYFLOAT key field increment — x87 long double arithmetic and formatting, as Redis. */
function hincrbyfloatCommand(c: Client): void {
  const [, key, field, incrArg] = c.argv as [string, string, string, string];
  const incr = parseLongDouble(incrArg);
  if (incr === undefined) throw new RedisError(Err.notFloat);
  if (incr.inf) throw new RedisError(HashErr.incrNaNOrInfinity);
  let hash = lookupHashWriteLive(c, key, 2, 1, 3);
  const old = hash?.get(field);
  let current = longDoubleFromBigInt(0n);
  if (old !== undefined) {
    const parsed = parseLongDouble(old);
    if (parsed === undefined) throw new RedisError(HashErr.valueNotFloat);
    current = parsed;
  }
  const sum = addLongDouble(current, incr);
  if (sum === undefined || sum.inf) throw new RedisError(Err.incrFloatNaN);
  const text = formatLongDoubleHuman(sum);
  const limits = hashLimits(c);
  if (hash === undefined) {
    hash = new HashValue();
    addHash(c, key, hash);
  }
  hash.set(field, text, limits, true); // keeps the field's TTL, as Redis 7.4
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.hash, "hincrbyfloat", key);
  c.reply.bulk(text);
}

const LONG_MAX = INT64_MAX;
const HALF_LONG_MIN = INT64_MIN / 2n;
const HALF_LONG_MAX = INT64_MAX / 2n;

/**
 * A hash for HRANDFIELD: every field whose TTL passed is reclaimed first (Redis 7.4's
 * hashTypeExpireIfNeeded), so random picks never return one; undefined if none is left.
 */
function lookupHashReadReclaimed(c: Client, key: string): HashValue | undefined {
  const hash = lookupHashRead(c, key);
  if (hash === undefined || !hash.tracksFieldExpiry) return hash;
  if (!hash.hasExpiredFields(c.server.clock.now())) return hash;
  c.db.expireHashFields(key, hash);
  return hash.size === 0 ? undefined : hash;
}

/** HRANDFIELD key [count [WITHVALUES]] */
function hrandfieldCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length >= 3) {
    const count = readBigInt(argv[2]!);
    if (count < -LONG_MAX) throw new RedisError(HashErr.randCountRange);
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3]!, "withvalues"))) syntaxError();
    const withValues = argv.length === 4;
    if (withValues && (count < HALF_LONG_MIN || count > HALF_LONG_MAX)) {
      throw new RedisError(HashErr.countOutOfRange);
    }
    hrandfieldWithCount(c, count, withValues);
    return;
  }
  const hash = lookupHashReadReclaimed(c, argv[1]!);
  if (hash === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulk(hash.fieldAt(hash.randomSlot(c.server.random)));
}

/** HRANDFIELD with a count: distinct fields if positive, with repetitions if negative. */
function hrandfieldWithCount(c: Client, requested: bigint, withValues: boolean): void {
  const hash = lookupHashReadReclaimed(c, c.argv[1]!);
  const reply = c.reply;
  if (hash === undefined || requested === 0n) {
    reply.array(0);
    return;
  }
  const unique = requested > 0n;
  const size = hash.size;
  const flat = withValues && reply.resp === 2;
  const emit = (slot: number): void => {
    if (withValues && reply.resp === 3) reply.array(2);
    reply.bulk(hash.fieldAt(slot));
    if (withValues) reply.bulk(hash.valueAt(slot));
  };
  // With repetitions (or a single field): independent uniform picks.
  if (!unique || requested === 1n) {
    const count = Number(unique ? requested : -requested);
    reply.array(flat ? count * 2 : count);
    const random = c.server.random;
    for (let i = 0; i < count; i++) emit(hash.randomSlot(random));
    return;
  }
  // Asking for at least the whole hash returns the whole hash, in iteration order.
  if (requested >= BigInt(size)) {
    reply.array(flat ? size * 2 : size);
    for (let slot = 0; slot < size; slot++) emit(slot);
    return;
  }
  const count = Number(requested);
  const slots = hash.randomDistinctSlots(count, c.server.random);
  // Redis samples a listpack in order (lpRandomPairsUnique); a hashtable in random order.
  if (hash.isListpack) slots.sort((a, b) => a - b);
  reply.array(flat ? count * 2 : count);
  for (const slot of slots) emit(slot);
}

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscanCommand(c: Client): void {
  const argv = c.argv;
  const cursor = readScanCursor(argv[2]!);
  const hash = lookupHashRead(c, argv[1]!);
  const reply = c.reply;
  if (hash === undefined) {
    replyScan(reply, 0, []);
    return;
  }
  const { count, pattern } = readScanOptions(argv, 3);
  const found: string[] = [];
  const start = cursor > BigInt(hash.size) ? hash.size : Number(cursor);
  // Fields whose TTL passed are skipped (not reclaimed), as Redis 7.4's HSCAN.
  const now = hash.tracksFieldExpiry ? c.server.clock.now() : 0;
  const next = hash.scan(start, count, (field, value) => {
    if (now !== 0 && hash.isFieldExpired(field, now)) return;
    if (pattern === null || globMatch(pattern, field)) found.push(field, value);
  });
  replyScan(reply, next, found);
}

export const hashCommands: CommandDefinition[] = [
  { name: "hset", handler: hsetCommand },
  { name: "hmset", handler: hsetCommand },
  { name: "hsetnx", handler: hsetnxCommand },
  { name: "hget", handler: hgetCommand },
  { name: "hmget", handler: hmgetCommand },
  { name: "hdel", handler: hdelCommand },
  { name: "hlen", handler: hlenCommand },
  { name: "hstrlen", handler: hstrlenCommand },
  { name: "hexists", handler: hexistsCommand },
  { name: "hgetall", handler: hgetallCommand },
  { name: "hkeys", handler: hkeysCommand },
  { name: "hvals", handler: hvalsCommand },
  { name: "hincrby", handler: hincrbyCommand },
  { name: "hincrbyfloat", handler: hincrbyfloatCommand },
  { name: "hrandfield", handler: hrandfieldCommand },
  { name: "hscan", handler: hscanCommand },
];
