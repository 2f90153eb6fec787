/**
 * Helpers shared by the set command modules: typed lookups and the intset limit.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { SetValue } from "../types/set.js";
import type { RedisValue } from "../types/value.js";

/** Throws WRONGTYPE unless `v` is absent or a set. */
export function checkSet(v: RedisValue | undefined): SetValue | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof SetValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** A set for reading (lookupKeyRead), or undefined if absent; throws WRONGTYPE for other types. */
export function lookupSetRead(c: Client, key: string): SetValue | undefined {
  return checkSet(c.db.lookupRead(key));
}

/** A set for writing (lookupKeyWrite), or undefined if absent; throws WRONGTYPE for other types. */
export function lookupSetWrite(c: Client, key: string): SetValue | undefined {
  return checkSet(c.db.lookupWrite(key));
}

/** The current `set-max-intset-entries`. */
export function maxIntsetEntries(c: Client): number {
  return c.server.config.hot.setMaxIntsetEntries;
}

/** Writes members as a RESP3 set (RESP2 array) of bulk strings. */
export function replyMembers(c: Client, members: readonly string[]): void {
  const reply = c.reply;
  reply.set(members.length);
  for (const m of members) reply.bulk(m);
}

/** Writes a whole set's members in iteration order as a RESP3 set (RESP2 array). */
export function replySet(c: Client, set: SetValue): void {
  const reply = c.reply;
  const n = set.size;
  reply.set(n);
  for (let i = 0; i < n; i++) reply.bulk(set.at(i));
}
