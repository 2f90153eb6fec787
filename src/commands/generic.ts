/**
 * Generic keyspace commands (Redis's db.c): DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY,
 * MOVE, KEYS, SCAN, RANDOMKEY, TOUCH. The expiry commands live in `generic-expire.ts`, OBJECT,
 * DUMP and RESTORE in `generic-object.ts`; this module exports the whole family.
 */
import { ConnectionErr, Err, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Database } from "../keyspace/database.js";
import type { Client } from "../server/client.js";
import { globMatch } from "../util/glob.js";
import { type RedisValue, typeName } from "../types/value.js";
import { eqi, readBigInt, readScanCursor, syntaxError } from "./args.js";
import { expireCommands } from "./generic-expire.js";
import { objectCommands } from "./generic-object.js";
import type { CommandDefinition } from "./spec.js";

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

/**
 * The database numbered by a DB argument (getIntFromObjectOrReply + selectDb): an integer, within
 * 32 bits, then an existing database index; each with Redis's error otherwise.
 */
function databaseArgument(c: Client, arg: string): Database {
  const n = readBigInt(arg);
  if (n < INT_MIN || n > INT_MAX) throw new RedisError(ConnectionErr.intOutOfRange);
  const id = Number(n);
  const db = id >= 0 ? c.server.keyspace.databases[id] : undefined;
  if (!db) throw new RedisError(Err.dbIndexOutOfRange);
  return db;
}

/** An independent copy of a value (COPY): strings are immutable, the rest clone themselves. */
function duplicate(value: RedisValue): RedisValue {
  return typeof value === "string" ? value : value.clone();
}

/** DEL key [key ...] and UNLINK key [key ...] (delGenericCommand). */
function delCommand(c: Client): void {
  let deleted = 0;
  for (let j = 1; j < c.argv.length; j++) {
    if (!c.db.delete(c.argv[j]!)) continue;
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", c.argv[j]!);
    deleted++;
  }
  c.reply.integer(deleted);
}

/** EXISTS key [key ...]: counts every argument that names an existing key, duplicates included. */
function existsCommand(c: Client): void {
  let count = 0;
  for (let j = 1; j < c.argv.length; j++) {
    if (c.db.lookupRead(c.argv[j]!, true) !== undefined) count++;
  }
  c.reply.integer(count);
}

/** TOUCH key [key ...]: like EXISTS, but updates the keys' access time. */
function touchCommand(c: Client): void {
  let touched = 0;
  for (let j = 1; j < c.argv.length; j++) {
    if (c.db.lookupRead(c.argv[j]!) !== undefined) touched++;
  }
  c.reply.integer(touched);
}

/** TYPE key */
function typeCommand(c: Client): void {
  const value = c.db.lookupRead(c.argv[1]!, true);
  c.reply.simple(value === undefined ? "none" : typeName(value));
}

/** RENAME key newkey / RENAMENX key newkey (renameGenericCommand). */
function renameGeneric(c: Client, nx: boolean): void {
  const db = c.db;
  const src = c.argv[1]!;
  const dst = c.argv[2]!;
  const value = db.lookupWrite(src);
  if (value === undefined) throw new RedisError(Err.noSuchKey);
  if (src === dst) {
    if (nx) c.reply.integer(0);
    else c.reply.simple("OK");
    return;
  }
  const expire = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.reply.integer(0);
      return;
    }
    db.delete(dst);
  }
  db.add(dst, value);
  if (expire !== undefined) db.setExpire(dst, expire);
  db.delete(src);
  c.server.keyspace.signalModified(db, dst);
  c.server.keyspace.notify(db, NotifyClass.generic, "rename_from", src);
  c.server.keyspace.notify(db, NotifyClass.generic, "rename_to", dst);
  if (nx) c.reply.integer(1);
  else c.reply.simple("OK");
}

/** RENAME key newkey */
function renameCommand(c: Client): void {
  renameGeneric(c, false);
}

/** RENAMENX key newkey */
function renamenxCommand(c: Client): void {
  renameGeneric(c, true);
}

/** MOVE key db */
function moveCommand(c: Client): void {
  const src = c.db;
  const key = c.argv[1]!;
  const dst = databaseArgument(c, c.argv[2]!);
  if (dst === src) throw new RedisError(Err.sameObject);
  const value = src.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.lookupWrite(key) !== undefined) {
    c.reply.integer(0);
    return;
  }
  dst.add(key, value);
  if (expire !== undefined) dst.setExpire(key, expire);
  src.delete(key);
  c.server.keyspace.signalModified(dst, key);
  c.server.keyspace.notify(src, NotifyClass.generic, "move_from", key);
  c.server.keyspace.notify(dst, NotifyClass.generic, "move_to", key);
  c.reply.integer(1);
}

/** COPY source destination [DB destination-db] [REPLACE] */
function copyCommand(c: Client): void {
  const argv = c.argv;
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (eqi(argv[j]!, "replace")) {
      replace = true;
    } else if (eqi(argv[j]!, "db") && additional >= 1) {
      dst = databaseArgument(c, argv[++j]!);
    } else {
      syntaxError();
    }
  }
  const key = argv[1]!;
  const newKey = argv[2]!;
  if (src === dst && key === newKey) throw new RedisError(Err.sameObject);
  const value = src.lookupRead(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  let mustDelete = false;
  if (dst.lookupWrite(newKey) !== undefined) {
    if (!replace) {
      c.reply.integer(0);
      return;
    }
    mustDelete = true;
  }
  const copy = duplicate(value);
  if (mustDelete) dst.delete(newKey);
  dst.add(newKey, copy);
  if (expire !== undefined) dst.setExpire(newKey, expire);
  c.server.keyspace.signalModified(dst, newKey);
  c.server.keyspace.notify(dst, NotifyClass.generic, "copy_to", newKey);
  c.reply.integer(1);
}

/** RANDOMKEY */
function randomkeyCommand(c: Client): void {
  const key = c.db.randomKey();
  if (key === undefined) c.reply.nullBulk();
  else c.reply.bulk(key);
}

/** KEYS pattern */
function keysCommand(c: Client): void {
  const pattern = c.argv[1]!;
  const all = pattern === "*";
  const out: string[] = [];
  for (const key of c.db.keys()) {
    if (all || globMatch(pattern, key)) out.push(key);
  }
  c.reply.array(out.length);
  for (const key of out) c.reply.bulk(key);
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
function scanCommand(c: Client): void {
  const argv = c.argv;
  const cursor = readScanCursor(argv[1]!);
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length;) {
    const left = argv.length - i;
    const opt = argv[i]!;
    if (eqi(opt, "count") && left >= 2) {
      const n = readBigInt(argv[i + 1]!);
      if (n < 1n) syntaxError();
      count = n > 1_000_000_000n ? 1_000_000_000 : Number(n);
      i += 2;
    } else if (eqi(opt, "match") && left >= 2) {
      pattern = argv[i + 1]!;
      if (pattern === "*") pattern = null; // always matches: same as no pattern
      i += 2;
    } else if (eqi(opt, "type") && left >= 2) {
      type = argv[i + 1]!.toLowerCase();
      i += 2;
    } else {
      syntaxError();
    }
  }
  // Our cursor is a slot index counting down (see Database.scan); any larger value restarts at
  // the top, which still visits every key.
  const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
  const found: string[] = [];
  const next = c.db.scan(start, count, (key) => {
    found.push(key);
  });
  const keys: string[] = [];
  for (const key of found) {
    if (pattern !== null && !globMatch(pattern, key)) continue;
    if (type !== null) {
      // Redis looks the key up to learn its type (a keyspace hit), and compares names ignoring case.
      const value = c.db.lookupRead(key, true);
      if ((value === undefined ? "none" : typeName(value)) !== type) continue;
    }
    keys.push(key);
  }
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(keys.length);
  for (const key of keys) c.reply.bulk(key);
}

/** The generic keyspace family. */
export const genericCommands: CommandDefinition[] = [
  { name: "del", handler: delCommand },
  { name: "unlink", handler: delCommand },
  { name: "exists", handler: existsCommand },
  { name: "touch", handler: touchCommand },
  { name: "type", handler: typeCommand },
  { name: "rename", handler: renameCommand },
  { name: "renamenx", handler: renamenxCommand },
  { name: "move", handler: moveCommand },
  { name: "copy", handler: copyCommand },
  { name: "randomkey", handler: randomkeyCommand },
  { name: "keys", handler: keysCommand },
  { name: "scan", handler: scanCommand },
  ...expireCommands,
  ...objectCommands,
];
