/**
 * List commands: Redis 7.0's list family. Pushes, pops, index and range commands live here;
 * LMOVE, RPOPLPUSH and LMPOP in `list-move.ts`; the blocking forms in `list-blocking.ts`.
 * Argument parsing and lookups follow Redis's t_list.c order, so errors come out the same.
 */
import { Err, ListErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { ListValue } from "../types/list.js";
import { parseInt64 } from "../types/string.js";
import { eqi, readInt, readNonNegativeInt, syntaxError } from "./args.js";
import { blockingListCommands } from "./list-blocking.js";
import { listElementsRemoved, lookupListRead, lookupListWrite, replyListRange } from "./list-common.js";
import { lmoveCommand, lmpopCommand, rpoplpushCommand } from "./list-move.js";
import type { CommandDefinition } from "./spec.js";

const LONG_MIN = -(2n ** 63n);

/** LPUSH / RPUSH / LPUSHX / RPUSHX (Redis's pushGenericCommand). */
function pushGeneric(c: Client, left: boolean, onlyIfExists: boolean): void {
  const argv = c.argv;
  const key = argv[1]!;
  let list = lookupListWrite(c, key);
  if (list === undefined) {
    if (onlyIfExists) {
      c.reply.integer(0);
      return;
    }
    list = new ListValue(argv.length - 2);
    c.db.add(key, list);
  } else {
    c.server.keyspace.signalReady(c.db, key);
  }
  for (let j = 2; j < argv.length; j++) list.push(argv[j]!, left);
  c.reply.integer(list.length);
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.list, left ? "lpush" : "rpush", key);
}

/** LPUSH key element [element ...] */
function lpushCommand(c: Client): void {
  pushGeneric(c, true, false);
}

/** RPUSH key element [element ...] */
function rpushCommand(c: Client): void {
  pushGeneric(c, false, false);
}

/** LPUSHX key element [element ...] */
function lpushxCommand(c: Client): void {
  pushGeneric(c, true, true);
}

/** RPUSHX key element [element ...] */
function rpushxCommand(c: Client): void {
  pushGeneric(c, false, true);
}

/** LPOP / RPOP key [count] (Redis's popGenericCommand). */
function popGeneric(c: Client, left: boolean): void {
  const argv = c.argv;
  if (argv.length > 3) throw new RedisError(Err.wrongArity(c.command!.fullName));
  const hasCount = argv.length === 3;
  const count = hasCount ? readNonNegativeInt(argv[2]!, ListErr.popCountRange) : 0;
  const key = argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (hasCount && count === 0) {
    c.reply.array(0);
    return;
  }
  if (!hasCount) {
    c.reply.bulk(list.pop(left)!);
    listElementsRemoved(c, key, list, left ? "lpop" : "rpop");
    return;
  }
  const n = Math.min(count, list.length);
  const r = c.reply;
  r.array(n);
  for (let i = 0; i < n; i++) r.bulk(list.pop(left)!);
  listElementsRemoved(c, key, list, left ? "lpop" : "rpop");
}

/** LPOP key [count] */
function lpopCommand(c: Client): void {
  popGeneric(c, true);
}

/** RPOP key [count] */
function rpopCommand(c: Client): void {
  popGeneric(c, false);
}

/** LLEN key */
function llenCommand(c: Client): void {
  const list = lookupListRead(c, c.argv[1]!);
  c.reply.integer(list === undefined ? 0 : list.length);
}

/** LINDEX key index */
function lindexCommand(c: Client): void {
  const list = lookupListRead(c, c.argv[1]!);
  if (list === undefined) {
    c.reply.nullBulk();
    return;
  }
  let index = readInt(c.argv[2]!);
  if (index < 0) index += list.length;
  if (index < 0 || index >= list.length) c.reply.nullBulk();
  else c.reply.bulk(list.at(index));
}

/** LSET key index element */
function lsetCommand(c: Client): void {
  const key = c.argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === undefined) throw new RedisError(Err.noSuchKey);
  let index = readInt(c.argv[2]!);
  if (index < 0) index += list.length;
  if (index < 0 || index >= list.length) throw new RedisError(ListErr.indexOutOfRange);
  list.set(index, c.argv[3]!);
  c.reply.simple("OK");
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.list, "lset", key);
}

/** LINSERT key BEFORE | AFTER pivot element */
function linsertCommand(c: Client): void {
  const [, key, where, pivot, element] = c.argv as [string, string, string, string, string];
  let after: boolean;
  if (eqi(where, "after")) after = true;
  else if (eqi(where, "before")) after = false;
  else syntaxError();
  const list = lookupListWrite(c, key);
  if (list === undefined) {
    c.reply.integer(0);
    return;
  }
  const at = list.indexOf(pivot);
  if (at < 0) {
    c.reply.integer(-1);
    return;
  }
  list.insert(after ? at + 1 : at, element);
  c.server.keyspace.signalModified(c.db, key);
  c.server.keyspace.notify(c.db, NotifyClass.list, "linsert", key);
  c.reply.integer(list.length);
}

/** LRANGE key start stop */
function lrangeCommand(c: Client): void {
  const start = readInt(c.argv[2]!);
  const end = readInt(c.argv[3]!);
  const list = lookupListRead(c, c.argv[1]!);
  if (list === undefined) {
    c.reply.array(0);
    return;
  }
  replyListRange(c, list, start, end, false);
}

/** LTRIM key start stop */
function ltrimCommand(c: Client): void {
  let start = readInt(c.argv[2]!);
  let end = readInt(c.argv[3]!);
  const key = c.argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === undefined) {
    c.reply.simple("OK");
    return;
  }
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= len) {
    ltrim = len;
    rtrim = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrim = start;
    rtrim = len - end - 1;
  }
  list.removeRange(0, ltrim);
  list.removeRange(list.length - rtrim, rtrim);
  c.server.keyspace.notify(c.db, NotifyClass.list, "ltrim", key);
  if (list.length === 0) {
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  } else {
    c.server.keyspace.signalModified(c.db, key);
  }
  c.reply.simple("OK");
}

/** LREM key count element */
function lremCommand(c: Client): void {
  const toRemove = readInt(c.argv[2]!);
  const key = c.argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === undefined) {
    c.reply.integer(0);
    return;
  }
  // A negative count removes from the tail; its magnitude caps the removals (0: all).
  const removed = list.removeMatching(c.argv[3]!, Math.abs(toRemove), toRemove < 0);
  if (removed > 0) listElementsRemoved(c, key, list, "lrem");
  c.reply.integer(removed);
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lposCommand(c: Client): void {
  const argv = c.argv;
  let rank = 1;
  let rankIsLongMin = false;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const moreArgs = argv.length - 1 - j;
    if (eqi(opt, "rank") && moreArgs) {
      const v = parseInt64(argv[++j]!);
      if (v === undefined) throw new RedisError(Err.notInteger);
      if (v === 0n) throw new RedisError(ListErr.lposRankZero);
      rankIsLongMin = v === LONG_MIN;
      rank = Number(v);
    } else if (eqi(opt, "count") && moreArgs) {
      count = readNonNegativeInt(argv[++j]!, ListErr.lposCountNegative);
    } else if (eqi(opt, "maxlen") && moreArgs) {
      maxlen = readNonNegativeInt(argv[++j]!, ListErr.lposMaxlenNegative);
    } else {
      syntaxError();
    }
  }
  // A negative rank searches from the tail. Redis negates it in a C long: LONG_MIN stays negative,
  // so every match qualifies and COUNT never stops the scan; reproduced here.
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = lookupListRead(c, argv[1]!);
  if (list === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.nullBulk();
    return;
  }
  const probe = ListValue.probe(argv[2]!);
  const len = list.length;
  const matchesFound: number[] = [];
  let matches = 0;
  let single = -1;
  for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
    const i = fromTail ? len - index - 1 : index;
    if (!list.equalAt(i, probe)) continue;
    matches++;
    if (!rankIsLongMin && matches < rank) continue;
    if (count === -1) {
      single = i;
      break;
    }
    matchesFound.push(i);
    if (!rankIsLongMin && count !== 0 && matches - rank + 1 >= count) break;
  }
  if (count !== -1) {
    c.reply.array(matchesFound.length);
    for (const i of matchesFound) c.reply.integer(i);
  } else if (single >= 0) {
    c.reply.integer(single);
  } else {
    c.reply.nullBulk();
  }
}

export const listCommands: CommandDefinition[] = [
  { name: "lpush", handler: lpushCommand },
  { name: "rpush", handler: rpushCommand },
  { name: "lpushx", handler: lpushxCommand },
  { name: "rpushx", handler: rpushxCommand },
  { name: "lpop", handler: lpopCommand },
  { name: "rpop", handler: rpopCommand },
  { name: "llen", handler: llenCommand },
  { name: "lindex", handler: lindexCommand },
  { name: "lset", handler: lsetCommand },
  { name: "linsert", handler: linsertCommand },
  { name: "lrange", handler: lrangeCommand },
  { name: "ltrim", handler: ltrimCommand },
  { name: "lrem", handler: lremCommand },
  { name: "lpos", handler: lposCommand },
  { name: "lmove", handler: lmoveCommand },
  { name: "rpoplpush", handler: rpoplpushCommand },
  { name: "lmpop", handler: lmpopCommand },
  ...blockingListCommands,
];
