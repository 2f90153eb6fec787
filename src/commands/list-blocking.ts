/**
 * Blocking list commands: BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH (Redis 7.0's
 * blockingPopGenericCommand and blmoveGenericCommand). When a key can serve the client they act
 * like their non-blocking forms; otherwise the client blocks (see `server/blocking.ts`) and is
 * served later from the first of its keys that gets elements, exactly as the pop would run then.
 * Where blocking is not allowed (inside MULTI/EXEC, in-process callers) they answer at once as on
 * timeout.
 */
import type { Client } from "../server/client.js";
import { blockForKeys, canBlock, readBlockingTimeout } from "../server/blocking.js";
import { ListValue } from "../types/list.js";
import {
  listElementsRemoved,
  lmoveFromList,
  lookupListWrite,
  popRangeAndReplyWithKey,
  readWhere,
} from "./list-common.js";
import { readMpopArgs } from "./list-move.js";
import type { CommandDefinition } from "./spec.js";

/**
 * Pops for a blocking command from a non-empty list: `[key, element]` for BLPOP/BRPOP
 * (`count` -1), `[key, [elements...]]` for BLMPOP.
 */
function popAndReply(c: Client, list: ListValue, key: string, left: boolean, count: number): void {
  if (count !== -1) {
    popRangeAndReplyWithKey(c, list, key, left, count);
    return;
  }
  const value = list.pop(left)!;
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(value);
  listElementsRemoved(c, key, list, left ? "lpop" : "rpop");
}

/** BLPOP/BRPOP/BLMPOP (Redis's blockingPopGenericCommand); `count` is -1 for BLPOP/BRPOP. */
function blockingPop(c: Client, keys: string[], left: boolean, timeoutIdx: number, count: number): void {
  const deadline = readBlockingTimeout(c.argv[timeoutIdx]!, c.server.clock.now());
  for (const key of keys) {
    const list = lookupListWrite(c, key);
    if (list === undefined || list.length === 0) continue;
    popAndReply(c, list, key, left, count);
    return;
  }
  if (!canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blockForKeys(c, c.db, keys, deadline, (key) => {
    const value = c.db.lookupWrite(key);
    if (!(value instanceof ListValue) || value.length === 0) return false;
    popAndReply(c, value, key, left, count);
    c.server.dirty++;
    return true;
  });
}

/** BLPOP key [key ...] timeout */
function blpopCommand(c: Client): void {
  blockingPop(c, c.argv.slice(1, -1), true, c.argv.length - 1, -1);
}

/** BRPOP key [key ...] timeout */
function brpopCommand(c: Client): void {
  blockingPop(c, c.argv.slice(1, -1), false, c.argv.length - 1, -1);
}

/** BLMPOP timeout numkeys key [key ...] LEFT | RIGHT [COUNT count] */
function blmpopCommand(c: Client): void {
  const { keys, left, count } = readMpopArgs(c.argv, 2);
  blockingPop(c, keys, left, 1, count);
}

/** BLMOVE/BRPOPLPUSH once the ends and the deadline are known (Redis's blmoveGenericCommand). */
function blmoveGeneric(c: Client, from: boolean, to: boolean, deadline: number): void {
  const srcKey = c.argv[1]!;
  const dstKey = c.argv[2]!;
  const src = lookupListWrite(c, srcKey);
  if (src !== undefined) {
    lmoveFromList(c, srcKey, src, dstKey, from, to);
    return;
  }
  if (!canBlock(c)) {
    c.reply.nullBulk();
    return;
  }
  blockForKeys(c, c.db, [srcKey], deadline, (key) => {
    const value = c.db.lookupWrite(key);
    if (!(value instanceof ListValue) || value.length === 0) return false;
    // A destination of the wrong type ends the wait with WRONGTYPE, popping nothing (as Redis).
    lmoveFromList(c, key, value, dstKey, from, to);
    c.server.dirty++;
    return true;
  });
}

/** BLMOVE source destination LEFT | RIGHT LEFT | RIGHT timeout */
function blmoveCommand(c: Client): void {
  const from = readWhere(c.argv[3]!);
  const to = readWhere(c.argv[4]!);
  const deadline = readBlockingTimeout(c.argv[5]!, c.server.clock.now());
  blmoveGeneric(c, from, to, deadline);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: Client): void {
  const deadline = readBlockingTimeout(c.argv[3]!, c.server.clock.now());
  blmoveGeneric(c, false, true, deadline);
}

export const blockingListCommands: CommandDefinition[] = [
  { name: "blpop", handler: blpopCommand },
  { name: "brpop", handler: brpopCommand },
  { name: "blmpop", handler: blmpopCommand },
  { name: "blmove", handler: blmoveCommand },
  { name: "brpoplpush", handler: brpoplpushCommand },
];
