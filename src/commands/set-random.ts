/**
 * Random set commands: SPOP and SRANDMEMBER, with Redis 7.0's strategies where they show (reply
 * types, which members come back in which order when the whole set is returned, the encoding a
 * popped set is left with). Randomness comes from the server's seedable generator.
 */
import { Err, RedisError, SetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Random } from "../keyspace/random.js";
import type { Client } from "../server/client.js";
import { compareIntStrings, isIntsetMember, SetValue } from "../types/set.js";
import { parseInt64 } from "../types/string.js";
import { syntaxError } from "./args.js";
import { lookupSetRead, lookupSetWrite, maxIntsetEntries, replyMembers } from "./set-common.js";

/** When fewer than 1/5 of the members would remain, SPOP rebuilds the set from the survivors. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER copies and thins the set when it asks for more than a third of it. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;
/**
 * Largest repetition count SRANDMEMBER serves. Redis 7.0 has no limit and exhausts its memory on
 * counts like -2^62; reddish refuses beyond this (deliberate difference).
 */
const SRANDMEMBER_MAX_REPEATS = 2 ** 25;

/**
 * The members of `set` in the order Redis lists a copy of it built by SUNION (what SPOP with a
 * count ≥ the size returns): a copy that fits an intset is in ascending order; a hashtable copy is
 * in hash order, which differs between implementations anyway.
 */
export function unionCopyOrder(set: SetValue, maxIntset: number): string[] {
  const members = set.toArray();
  if (set.isIntset || members.length > maxIntset) return members;
  for (const m of members) if (!isIntsetMember(m)) return members;
  return members.sort(compareIntStrings);
}

/** `count` distinct positions in [0, size), chosen uniformly (partial Fisher–Yates). */
function distinctPositions(size: number, count: number, random: Random): Int32Array {
  const positions = new Int32Array(size);
  for (let i = 0; i < size; i++) positions[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + random.below(size - i);
    const t = positions[i]!;
    positions[i] = positions[j]!;
    positions[j] = t;
  }
  return positions.subarray(0, count);
}

/** SPOP key [count] */
export function spopCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length === 3) {
    spopWithCountCommand(c);
    return;
  }
  if (argv.length > 3) syntaxError();
  const key = argv[1]!;
  const set = lookupSetWrite(c, key);
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  const member = set.removeAt(c.server.random.below(set.size));
  c.reply.bulk(member);
  c.server.keyspace.notify(c.db, NotifyClass.set, "spop", key);
  if (set.size === 0) {
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  } else {
    c.server.keyspace.signalModified(c.db, key);
  }
}

/** SPOP key count */
function spopWithCountCommand(c: Client): void {
  const key = c.argv[1]!;
  const requested = parseInt64(c.argv[2]!);
  if (requested === undefined || requested < 0n) throw new RedisError(SetErr.popCountRange);
  const set = lookupSetWrite(c, key);
  if (set === undefined || requested === 0n) {
    c.reply.set(0);
    return;
  }
  const size = set.size;
  const max = maxIntsetEntries(c);
  c.server.keyspace.notify(c.db, NotifyClass.set, "spop", key);
  // Everything is popped: reply with the whole set (as Redis, through a SUNION copy) and delete it.
  if (requested >= BigInt(size)) {
    replyMembers(c, unionCopyOrder(set, max));
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
    return;
  }
  const count = Number(requested);
  const remaining = size - count;
  const random = c.server.random;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Few members popped: draw and remove them one by one.
    c.reply.set(count);
    for (let i = 0; i < count; i++) c.reply.bulk(set.removeAt(random.below(set.size)));
  } else {
    // Most members popped: draw the survivors; reply with the rest in the set's iteration order.
    const keep = new Uint8Array(size);
    for (const p of distinctPositions(size, remaining, random)) keep[p] = 1;
    const popped: string[] = [];
    const kept: string[] = [];
    for (let i = 0; i < size; i++) (keep[i] ? kept : popped).push(set.at(i));
    replyMembers(c, popped);
    // Redis stores a new set built from the survivors, so its encoding is recomputed.
    const fitsIntset = kept.length <= max && kept.every(isIntsetMember);
    if (fitsIntset && !set.isIntset) {
      const fresh = new SetValue();
      for (const m of kept) fresh.add(m, max);
      c.db.replaceValue(key, fresh);
    } else {
      // Removing in place keeps an SSCAN in progress valid for the survivors.
      for (const m of popped) set.remove(m);
      if (!fitsIntset) set.convertToHashtable();
    }
  }
  c.server.keyspace.signalModified(c.db, key);
}

/** SRANDMEMBER key [count] */
export function srandmemberCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length === 3) {
    srandmemberWithCountCommand(c);
    return;
  }
  if (argv.length > 3) syntaxError();
  const set = lookupSetRead(c, argv[1]!);
  if (set === undefined) c.reply.nullBulk();
  else c.reply.bulk(set.at(c.server.random.below(set.size)));
}

/** SRANDMEMBER key count */
function srandmemberWithCountCommand(c: Client): void {
  const requested = parseInt64(c.argv[2]!);
  if (requested === undefined) throw new RedisError(Err.notInteger);
  if (requested < -9223372036854775807n) throw new RedisError(SetErr.randCountRange);
  const unique = requested >= 0n;
  const magnitude = unique ? requested : -requested;
  const set = lookupSetRead(c, c.argv[1]!);
  const reply = c.reply;
  // SRANDMEMBER with a count replies with arrays, also in RESP3 (members may repeat).
  if (set === undefined || magnitude === 0n) {
    reply.array(0);
    return;
  }
  const size = set.size;
  const random = c.server.random;
  // Repetitions allowed (or a single member): sample the whole set every time.
  if (!unique || magnitude === 1n) {
    if (magnitude > BigInt(SRANDMEMBER_MAX_REPEATS)) throw new RedisError(SetErr.randCountTooLarge);
    const count = Number(magnitude);
    reply.array(count);
    for (let i = 0; i < count; i++) reply.bulk(set.at(random.below(size)));
    return;
  }
  // At least the whole set asked for: return it, in iteration order.
  if (magnitude >= BigInt(size)) {
    reply.array(size);
    for (let i = 0; i < size; i++) reply.bulk(set.at(i));
    return;
  }
  const count = Number(magnitude);
  let positions: Iterable<number>;
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    positions = distinctPositions(size, count, random);
  } else {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(random.below(size));
    positions = chosen;
  }
  reply.array(count);
  for (const p of positions) reply.bulk(set.at(p));
}
