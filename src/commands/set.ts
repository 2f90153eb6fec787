/**
 * Set commands: Redis 7.0's set family. Membership commands and SSCAN live here; random commands
 * (SPOP, SRANDMEMBER) in `set-random.ts`; SINTER/SUNION/SDIFF and friends in `set-algebra.ts`.
 */
import { Err, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { SetValue } from "../types/set.js";
import { globMatch } from "../util/glob.js";
import { readScanCursor } from "./args.js";
import { sdiffCommand, sdiffstoreCommand, sinterCardCommand, sinterCommand } from "./set-algebra.js";
import { sinterstoreCommand, sunionCommand, sunionstoreCommand } from "./set-algebra.js";
import { lookupSetRead, lookupSetWrite, maxIntsetEntries, replySet } from "./set-common.js";
import { spopCommand, srandmemberCommand } from "./set-random.js";
import { readScanOptions, replyScan } from "./scan-common.js";
import type { CommandDefinition } from "./spec.js";

/** SADD key member [member ...] */
function saddCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  let set = lookupSetWrite(c, key);
  if (set === undefined) {
    set = new SetValue();
    c.db.add(key, set);
  }
  const max = maxIntsetEntries(c);
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (set.add(argv[j]!, max)) added++;
  if (added) {
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.set, "sadd", key);
  }
  c.reply.integer(added);
}

/** SREM key member [member ...] */
function sremCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const set = lookupSetWrite(c, key);
  if (set === undefined) {
    c.reply.integer(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (set.remove(argv[j]!)) {
      deleted++;
      if (set.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted && !keyRemoved) c.server.keyspace.signalModified(c.db, key);
  if (deleted) c.server.keyspace.notify(c.db, NotifyClass.set, "srem", key);
  if (keyRemoved) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  c.reply.integer(deleted);
}

/** SMOVE source destination member */
function smoveCommand(c: Client): void {
  const [, srcKey, dstKey, member] = c.argv as [string, string, string, string];
  const srcValue = c.db.lookupWrite(srcKey);
  const dstValue = c.db.lookupWrite(dstKey);
  if (srcValue === undefined) {
    c.reply.integer(0);
    return;
  }
  if (!(srcValue instanceof SetValue) || (dstValue !== undefined && !(dstValue instanceof SetValue))) {
    throw new RedisError(Err.wrongType);
  }
  const src = srcValue;
  // Same key: SMOVE is a no-op that reports membership.
  if (src === dstValue) {
    c.reply.integer(src.has(member) ? 1 : 0);
    return;
  }
  if (!src.remove(member)) {
    c.reply.integer(0);
    return;
  }
  c.server.keyspace.notify(c.db, NotifyClass.set, "srem", srcKey);
  if (src.size === 0) {
    c.db.delete(srcKey);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", srcKey);
  }
  let dst = dstValue;
  if (dst === undefined) {
    dst = new SetValue();
    c.db.add(dstKey, dst);
  }
  const added = dst.add(member, maxIntsetEntries(c));
  c.server.keyspace.signalModified(c.db, srcKey);
  c.server.keyspace.signalModified(c.db, dstKey);
  if (added) c.server.keyspace.notify(c.db, NotifyClass.set, "sadd", dstKey);
  c.reply.integer(1);
}

/** SISMEMBER key member */
function sismemberCommand(c: Client): void {
  const set = lookupSetRead(c, c.argv[1]!);
  c.reply.integer(set !== undefined && set.has(c.argv[2]!) ? 1 : 0);
}

/** SMISMEMBER key member [member ...] */
function smismemberCommand(c: Client): void {
  const argv = c.argv;
  // A missing key is an empty set: a series of zeros.
  const set = lookupSetRead(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.integer(set !== undefined && set.has(argv[j]!) ? 1 : 0);
}

/** SCARD key */
function scardCommand(c: Client): void {
  const set = lookupSetRead(c, c.argv[1]!);
  c.reply.integer(set === undefined ? 0 : set.size);
}

/** SMEMBERS key */
function smembersCommand(c: Client): void {
  const set = lookupSetRead(c, c.argv[1]!);
  if (set === undefined) c.reply.set(0);
  else replySet(c, set);
}

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscanCommand(c: Client): void {
  const argv = c.argv;
  const cursor = readScanCursor(argv[2]!);
  const set = lookupSetRead(c, argv[1]!);
  const reply = c.reply;
  if (set === undefined) {
    replyScan(reply, 0, []);
    return;
  }
  const { count, pattern } = readScanOptions(argv, 3);
  const found: string[] = [];
  const start = cursor > BigInt(set.size) ? set.size : Number(cursor);
  const next = set.scan(start, count, (member) => {
    if (pattern === null || globMatch(pattern, member)) found.push(member);
  });
  replyScan(reply, next, found);
}

export const setCommands: CommandDefinition[] = [
  { name: "sadd", handler: saddCommand },
  { name: "srem", handler: sremCommand },
  { name: "smove", handler: smoveCommand },
  { name: "sismember", handler: sismemberCommand },
  { name: "smismember", handler: smismemberCommand },
  { name: "scard", handler: scardCommand },
  { name: "smembers", handler: smembersCommand },
  { name: "sscan", handler: sscanCommand },
  { name: "spop", handler: spopCommand },
  { name: "srandmember", handler: srandmemberCommand },
  { name: "sinter", handler: sinterCommand },
  { name: "sintercard", handler: sinterCardCommand },
  { name: "sinterstore", handler: sinterstoreCommand },
  { name: "sunion", handler: sunionCommand },
  { name: "sunionstore", handler: sunionstoreCommand },
  { name: "sdiff", handler: sdiffCommand },
  { name: "sdiffstore", handler: sdiffstoreCommand },
];
