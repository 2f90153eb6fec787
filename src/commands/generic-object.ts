/**
 * Object introspection and serialization commands: OBJECT (ENCODING, REFCOUNT, IDLETIME, FREQ,
 * HELP) from Redis's object.c, and DUMP / RESTORE from cluster.c. The payload format lives in
 * `types/rdb.ts`.
 */
import { Err, GenericErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import {
  RdbFormatError,
  canSerialize,
  createDumpPayload,
  loadDumpPayload,
  verifyDumpPayload,
} from "../types/rdb.js";
import "../types/rdb-collections.js";
import { HashValue } from "../types/hash.js";
import { type StringValue, parseInt64, stringEncoding } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { eqi, readBigInt, syntaxError } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** Redis's OBJ_SHARED_REFCOUNT: the refcount OBJECT REFCOUNT shows for shared objects. */
const SHARED_REFCOUNT = 2147483647;
/** Integers 0..OBJ_SHARED_INTEGERS-1 are shared objects in Redis. */
const SHARED_INTEGERS = 10000n;

/** True when maxmemory-policy is an LFU one (MAXMEMORY_FLAG_LFU). */
function lfuPolicy(c: Client): boolean {
  return c.server.config.get("maxmemory-policy").endsWith("-lfu");
}

/**
 * True when small integers are stored as shared objects: Redis stops sharing them when maxmemory
 * is set with an LRU or LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS), as each key needs its own
 * access time then.
 */
function sharedIntegers(c: Client): boolean {
  if (c.server.config.getNumber("maxmemory") === 0) return true;
  const policy = c.server.config.get("maxmemory-policy");
  return !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
}

/** OBJECT ENCODING's answer for a value. */
function encodingOf(value: RedisValue): string {
  if (typeof value === "string" || value.type === "string") {
    return stringEncoding(value as StringValue);
  }
  return value.encoding();
}

/**
 * The value OBJECT subcommands inspect (objectCommandLookupOrReply): a lookup without touching
 * the access time. Replies null and returns undefined when the key is missing.
 */
function objectLookup(c: Client): RedisValue | undefined {
  const value = c.db.lookupRead(c.argv[2]!, true, true);
  if (value === undefined) c.reply.nullBulk();
  return value;
}

/** OBJECT ENCODING key */
function objectEncodingCommand(c: Client): void {
  const value = objectLookup(c);
  if (value !== undefined) c.reply.bulk(encodingOf(value));
}

/** OBJECT REFCOUNT key */
function objectRefcountCommand(c: Client): void {
  const value = objectLookup(c);
  if (value === undefined) return;
  let refcount = 1;
  if (typeof value === "string" && sharedIntegers(c)) {
    const n = value.length <= 20 ? parseInt64(value) : undefined;
    if (n !== undefined && n >= 0n && n < SHARED_INTEGERS) refcount = SHARED_REFCOUNT;
  }
  c.reply.integer(refcount);
}

/** OBJECT IDLETIME key */
function objectIdletimeCommand(c: Client): void {
  const value = objectLookup(c);
  if (value === undefined) return;
  if (lfuPolicy(c)) throw new RedisError(GenericErr.lfuSelected);
  c.reply.integer(c.db.idleSeconds(c.argv[2]!) ?? 0);
}

/** OBJECT FREQ key: the key's logarithmic access counter, decayed (LFU policies only). */
function objectFreqCommand(c: Client): void {
  const value = objectLookup(c);
  if (value === undefined) return;
  if (!lfuPolicy(c)) throw new RedisError(GenericErr.lfuNotSelected);
  c.reply.integer(c.db.lfuCounter(c.argv[2]!) ?? 0);
}

const OBJECT_HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

/** OBJECT HELP */
function objectHelpCommand(c: Client): void {
  c.reply.array(OBJECT_HELP.length + 1);
  c.reply.simple(`${c.argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of OBJECT_HELP) c.reply.simple(line);
}

/**
 * DUMP key — a hash with field TTLs (Redis 7.4) is dumped in the Redis 7.0 format this server
 * speaks, which cannot carry them: expired fields are reclaimed first, the live ones are dumped
 * without their TTLs (a deliberate difference from 7.4's RDB_TYPE_HASH_METADATA, see README).
 */
function dumpCommand(c: Client): void {
  const key = c.argv[1]!;
  let value = c.db.lookupRead(key);
  if (value instanceof HashValue && value.tracksFieldExpiry && value.hasExpiredFields(c.server.clock.now())) {
    c.db.expireHashFields(key, value);
    if (value.size === 0) value = undefined;
  }
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (!canSerialize(value)) {
    throw new RedisError(GenericErr.dumpUnsupported(typeof value === "string" ? "string" : value.type));
  }
  c.reply.bulk(createDumpPayload(value, c.server.config).toString("latin1"));
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restoreCommand(c: Client): void {
  const argv = c.argv;
  const db = c.db;
  const key = argv[1]!;
  let replace = false;
  let absttl = false;
  let idle = -1n;
  let freq = -1n;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const opt = argv[j]!;
    if (eqi(opt, "replace")) {
      replace = true;
    } else if (eqi(opt, "absttl")) {
      absttl = true;
    } else if (eqi(opt, "idletime") && additional >= 1 && freq === -1n) {
      idle = readBigInt(argv[++j]!);
      if (idle < 0n) throw new RedisError(GenericErr.restoreIdletime);
    } else if (eqi(opt, "freq") && additional >= 1 && idle === -1n) {
      freq = readBigInt(argv[++j]!);
      if (freq < 0n || freq > 255n) throw new RedisError(GenericErr.restoreFreq);
    } else {
      syntaxError();
    }
  }
  if (!replace && db.lookupWrite(key) !== undefined) throw new RedisError(Err.busyKey);
  let ttl = readBigInt(argv[2]!);
  if (ttl < 0n) throw new RedisError(GenericErr.restoreTtl);
  const payload = Buffer.from(argv[3]!, "latin1");
  if (!verifyDumpPayload(payload)) throw new RedisError(Err.dumpPayload);
  let value: RedisValue;
  try {
    value = loadDumpPayload(payload, c.server.config);
  } catch (e) {
    if (e instanceof RdbFormatError) throw new RedisError(GenericErr.badDataFormat);
    throw e;
  }

  const deleted = replace && db.delete(key);
  // C adds the current time with a wrapping signed 64-bit sum.
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(c.server.clock.now()));
  if (ttl !== 0n && ttl <= BigInt(c.server.clock.now())) {
    // Already expired: the key is not created (an old one was still deleted by REPLACE).
    if (deleted) c.server.keyspace.notify(db, NotifyClass.generic, "del", key);
    c.reply.simple("OK");
    return;
  }
  db.add(key, value);
  if (ttl !== 0n) db.setExpire(key, Number(ttl));
  if (idle >= 0n && !lfuPolicy(c)) db.setIdleSeconds(key, idle);
  if (freq >= 0n && lfuPolicy(c)) db.setLfuCounter(key, Number(freq));
  c.server.keyspace.signalModified(db, key);
  c.server.keyspace.notify(db, NotifyClass.generic, "restore", key);
  c.reply.simple("OK");
}

/** OBJECT subcommands, DUMP and RESTORE. */
export const objectCommands: CommandDefinition[] = [
  { name: "object|encoding", handler: objectEncodingCommand },
  { name: "object|refcount", handler: objectRefcountCommand },
  { name: "object|idletime", handler: objectIdletimeCommand },
  { name: "object|freq", handler: objectFreqCommand },
  { name: "object|help", handler: objectHelpCommand },
  { name: "dump", handler: dumpCommand },
  { name: "restore", handler: restoreCommand },
];
