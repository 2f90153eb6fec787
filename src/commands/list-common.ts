/**
 * Helpers shared by the list commands (`list.ts`, `list-move.ts`, `list-blocking.ts`): typed
 * lookups, the LEFT/RIGHT argument, range replies, and the bookkeeping after elements are popped
 * (a list left empty is deleted, as in Redis).
 */
import { Err, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { ListValue } from "../types/list.js";
import { eqi, syntaxError } from "./args.js";

/** Looks a key up for reading (statistics, LRU): its list, undefined if absent, WRONGTYPE otherwise. */
export function lookupListRead(c: Client, key: string): ListValue | undefined {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** Looks a key up for writing: its list, undefined if absent, WRONGTYPE otherwise. */
export function lookupListWrite(c: Client, key: string): ListValue | undefined {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** LEFT → true (head), RIGHT → false (tail); anything else is a syntax error. */
export function readWhere(arg: string): boolean {
  if (eqi(arg, "left")) return true;
  if (eqi(arg, "right")) return false;
  return syntaxError();
}

/**
 * Replies with elements `start..end` (Redis's addListRangeReply): negative indexes count from the
 * tail, out-of-range ends are clamped, an empty range is an empty array. `reverse` lists them
 * from `end` down to `start`.
 */
export function replyListRange(
  c: Client,
  list: ListValue,
  start: number,
  end: number,
  reverse: boolean,
): void {
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  const r = c.reply;
  r.array(end - start + 1);
  list.forRange(start, end, reverse, (e) => r.bulk(e));
}

/**
 * After elements were removed from the list at `key` (Redis's listElementsRemoved): raises
 * `event` (`lpop`, `rpop`, `lrem`), deletes the key when the list is empty (raising `del`) and
 * signals the modification (WATCH). Returns true if deleted.
 */
export function listElementsRemoved(c: Client, key: string, list: ListValue, event: string): boolean {
  c.server.keyspace.notify(c.db, NotifyClass.list, event, key);
  if (list.length === 0) {
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
    return true;
  }
  c.server.keyspace.signalModified(c.db, key);
  return false;
}

/**
 * Pops up to `count` elements from one end and replies `[key, [elements...]]` (Redis's
 * listPopRangeAndReplyWithKey, used by LMPOP and BLMPOP). The list must not be empty.
 */
export function popRangeAndReplyWithKey(
  c: Client,
  list: ListValue,
  key: string,
  left: boolean,
  count: number,
): void {
  const n = Math.min(count, list.length);
  const r = c.reply;
  r.array(2);
  r.bulk(key);
  r.array(n);
  for (let i = 0; i < n; i++) r.bulk(left ? list.popHead()! : list.popTail()!);
  listElementsRemoved(c, key, list, left ? "lpop" : "rpop");
}

/**
 * The push half of LMOVE/RPOPLPUSH (Redis's lmoveHandlePush): creates the destination list if
 * needed, pushes `value` at the given end and replies with it. `dst` is the destination looked up
 * (and type-checked) before the pop.
 */
export function lmoveHandlePush(
  c: Client,
  dstKey: string,
  dst: ListValue | undefined,
  value: string,
  left: boolean,
): void {
  if (dst === undefined) {
    dst = new ListValue();
    c.db.add(dstKey, dst);
  } else {
    // Pushing to an existing list may serve clients still waiting on it.
    c.server.keyspace.signalReady(c.db, dstKey);
  }
  c.server.keyspace.signalModified(c.db, dstKey);
  dst.push(value, left);
  c.server.keyspace.notify(c.db, NotifyClass.list, left ? "lpush" : "rpush", dstKey);
  c.reply.bulk(value);
}

/**
 * LMOVE's pop-and-push once the source is known to be a non-empty list (Redis's
 * lmoveGenericCommand after its source lookup). Checks the destination's type first.
 */
export function lmoveFromList(
  c: Client,
  srcKey: string,
  src: ListValue,
  dstKey: string,
  from: boolean,
  to: boolean,
): void {
  const dst = lookupListWrite(c, dstKey);
  const value = src.pop(from)!;
  lmoveHandlePush(c, dstKey, dst, value, to);
  c.server.keyspace.notify(c.db, NotifyClass.list, from ? "lpop" : "rpop", srcKey);
  if (src.length === 0) {
    c.db.delete(srcKey);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", srcKey);
  } else {
    c.server.keyspace.signalModified(c.db, srcKey);
  }
}
