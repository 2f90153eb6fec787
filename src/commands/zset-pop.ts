/**
 * Sorted-set pops and random members: ZPOPMIN, ZPOPMAX, ZMPOP (Redis 7.0's genericZpopCommand,
 * with its four reply shapes), the blocking BZPOPMIN, BZPOPMAX, BZMPOP
 * (blockingGenericZpopCommand, on `server/blocking.ts`), and ZRANDMEMBER
 * (zrandmemberWithCountCommand's strategies where they show: the whole set in reverse order when
 * at least its size is asked for). Randomness comes from the server's seedable generator.
 */
import { Err, RedisError, ZsetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Random } from "../keyspace/random.js";
import { blockForKeys, canBlock, readBlockingTimeout } from "../server/blocking.js";
import type { Client } from "../server/client.js";
import { parseInt64 } from "../types/string.js";
import { ZsetValue } from "../types/zset.js";
import { eqi, syntaxError } from "./args.js";
import { lookupZsetRead, lookupZsetWrite } from "./zset-common.js";

const LONG_MAX = 9223372036854775807n;

/**
 * Largest repetition count ZRANDMEMBER serves. Redis 7.0 has no limit and exhausts its memory on
 * counts like -2^62; reddish refuses beyond this (deliberate difference).
 */
const ZRANDMEMBER_MAX_REPEATS = 2 ** 25;

/** Which end a pop takes from. */
export type PopEnd = "min" | "max";

/** How a pop reply is shaped (Redis's genericZpopCommand flags). */
export interface PopShape {
  /** Name the key in the reply (BZPOPMIN/BZPOPMAX, ZMPOP, BZMPOP). */
  emitKey: boolean;
  /** Member/score pairs as nested arrays (RESP3 counted pops, ZMPOP, BZMPOP). */
  nested: boolean;
  /** Reply a null array (not an empty array) when every key is missing (ZMPOP, BZMPOP). */
  nilWhenEmpty: boolean;
}

/**
 * Pops up to `count` entries from the first non-empty sorted set among `keys` and replies, or
 * replies the empty form. `count` null means "no count given" (one entry). Throws WRONGTYPE at the
 * first existing key that is not a sorted set.
 */
export function genericZpop(
  c: Client,
  keys: readonly string[],
  where: PopEnd,
  count: bigint | null,
  shape: PopShape,
): void {
  let key = "";
  let zset: ZsetValue | undefined;
  for (const k of keys) {
    zset = lookupZsetWrite(c, k);
    if (zset !== undefined) {
      key = k;
      break;
    }
  }
  const reply = c.reply;
  if (zset === undefined) {
    if (shape.nilWhenEmpty) reply.nullArray();
    else reply.array(0);
    return;
  }
  if (count === 0n) {
    reply.array(0);
    return;
  }
  popFrom(c, key, zset, where, count ?? 1n, shape);
}

/** Pops from one existing sorted set and writes the reply (the part of genericZpopCommand after the lookup). */
export function popFrom(
  c: Client,
  key: string,
  zset: ZsetValue,
  where: PopEnd,
  count: bigint,
  shape: PopShape,
): void {
  const reply = c.reply;
  const llen = zset.size;
  const n = count > BigInt(llen) ? llen : Number(count);
  if (!shape.nested && !shape.emitKey) {
    reply.array(n * 2);
  } else if (shape.nested && !shape.emitKey) {
    reply.array(n);
  } else if (!shape.nested) {
    reply.array(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.array(2);
    reply.bulk(key);
    reply.array(n);
  }
  for (let i = 0; i < n; i++) {
    const rank = where === "max" ? zset.size - 1 : 0;
    const member = zset.memberAt(rank);
    const score = zset.scoreAt(rank);
    zset.remove(member);
    if (shape.nested) reply.array(2);
    reply.bulk(member);
    reply.double(score);
  }
  c.server.keyspace.notify(c.db, NotifyClass.zset, where === "max" ? "zpopmax" : "zpopmin", key);
  if (zset.size === 0) {
    c.db.delete(key);
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", key);
  } else {
    c.server.keyspace.signalModified(c.db, key);
  }
}

/** Redis's zpopMinMaxCommand. */
function zpopMinMax(c: Client, where: PopEnd): void {
  const argv = c.argv;
  if (argv.length > 3) syntaxError();
  let count: bigint | null = null;
  if (argv.length === 3) {
    const v = parseInt64(argv[2]!);
    if (v === undefined || v < 0n) throw new RedisError(ZsetErr.popCountPositive);
    count = v;
  }
  // RESP3 nests the pairs only when a count was given.
  const nested = c.reply.resp === 3 && count !== null;
  genericZpop(c, [argv[1]!], where, count, { emitKey: false, nested, nilWhenEmpty: false });
}

/** ZPOPMIN key [count] */
export function zpopminCommand(c: Client): void {
  zpopMinMax(c, "min");
}

/** ZPOPMAX key [count] */
export function zpopmaxCommand(c: Client): void {
  zpopMinMax(c, "max");
}

/** Parsed ZMPOP/BZMPOP arguments after numkeys. */
export interface MpopArgs {
  keys: string[];
  where: PopEnd;
  count: bigint;
}

/**
 * Parses `numkeys key [key ...] MIN | MAX [COUNT count]` starting at `numkeysIdx`, with Redis's
 * errors (zmpopGenericCommand).
 */
export function readMpopArgs(argv: readonly string[], numkeysIdx: number): MpopArgs {
  const numkeys = parseInt64(argv[numkeysIdx]!);
  if (numkeys === undefined || numkeys < 1n) throw new RedisError(ZsetErr.numkeysPositive);
  const whereIdx = BigInt(numkeysIdx) + numkeys + 1n;
  if (whereIdx >= BigInt(argv.length)) syntaxError();
  const wi = Number(whereIdx);
  let where: PopEnd;
  if (eqi(argv[wi]!, "min")) where = "min";
  else if (eqi(argv[wi]!, "max")) where = "max";
  else syntaxError();
  let count = -1n;
  for (let j = wi + 1; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (count === -1n && eqi(argv[j]!, "count") && moreArgs) {
      j++;
      const v = parseInt64(argv[j]!);
      if (v === undefined || v < 1n || v > LONG_MAX) throw new RedisError(ZsetErr.countPositive);
      count = v;
    } else {
      syntaxError();
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, wi), where, count: count === -1n ? 1n : count };
}

/** ZMPOP and BZMPOP replies: `[key, [[member, score], ...]]`, a null array when nothing pops. */
const MPOP_SHAPE: PopShape = { emitKey: true, nested: true, nilWhenEmpty: true };
/** BZPOPMIN and BZPOPMAX replies: `[key, member, score]`. */
const BZPOP_SHAPE: PopShape = { emitKey: true, nested: false, nilWhenEmpty: false };

/** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count] */
export function zmpopCommand(c: Client): void {
  const { keys, where, count } = readMpopArgs(c.argv, 1);
  genericZpop(c, keys, where, count, MPOP_SHAPE);
}

/**
 * Redis's blockingGenericZpopCommand: pops from the first non-empty sorted set among `keys`, or
 * blocks until one can serve (then pops from it as the command would run then), the timeout
 * passes (null array) or the client is unblocked. Where blocking is not allowed (MULTI/EXEC,
 * in-process callers) it answers at once as on timeout.
 */
function blockingZpop(
  c: Client,
  keys: readonly string[],
  where: PopEnd,
  timeoutIdx: number,
  count: bigint,
  shape: PopShape,
): void {
  const deadline = readBlockingTimeout(c.argv[timeoutIdx]!, c.server.clock.now());
  for (const key of keys) {
    const zset = lookupZsetWrite(c, key);
    if (zset === undefined || zset.size === 0) continue;
    popFrom(c, key, zset, where, count, shape);
    return;
  }
  if (!canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blockForKeys(c, c.db, keys, deadline, (key) => {
    const value = c.db.lookupWrite(key);
    if (!(value instanceof ZsetValue) || value.size === 0) return false;
    popFrom(c, key, value, where, count, shape);
    c.server.dirty++;
    return true;
  });
}

/** BZPOPMIN key [key ...] timeout */
export function bzpopminCommand(c: Client): void {
  const argv = c.argv;
  blockingZpop(c, argv.slice(1, -1), "min", argv.length - 1, 1n, BZPOP_SHAPE);
}

/** BZPOPMAX key [key ...] timeout */
export function bzpopmaxCommand(c: Client): void {
  const argv = c.argv;
  blockingZpop(c, argv.slice(1, -1), "max", argv.length - 1, 1n, BZPOP_SHAPE);
}

/** BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count] */
export function bzmpopCommand(c: Client): void {
  const { keys, where, count } = readMpopArgs(c.argv, 2);
  blockingZpop(c, keys, where, 1, count, MPOP_SHAPE);
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

/** ZRANDMEMBER key [count [WITHSCORES]] */
export function zrandmemberCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]!);
    if (l === undefined) throw new RedisError(Err.notInteger);
    if (l < -LONG_MAX) throw new RedisError(ZsetErr.randCountRange);
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3]!, "withscores"))) syntaxError();
    const withscores = argv.length === 4;
    if (withscores && (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n)) {
      throw new RedisError(ZsetErr.randCountTooLarge);
    }
    zrandmemberWithCount(c, l, withscores);
    return;
  }
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === undefined) c.reply.nullBulk();
  else c.reply.bulk(zset.memberAtPosition(zset.randomPosition(c.server.random)));
}

/** Redis's zrandmemberWithCountCommand. */
function zrandmemberWithCount(c: Client, l: bigint, withscores: boolean): void {
  const zset = lookupZsetRead(c, c.argv[1]!);
  const reply = c.reply;
  if (zset === undefined || l === 0n) {
    reply.array(0);
    return;
  }
  const unique = l > 0n;
  const magnitude = unique ? l : -l;
  const size = zset.size;
  const random = c.server.random;
  const pairs = withscores && reply.resp === 3;
  const emit = (member: string, score: number): void => {
    if (pairs) reply.array(2);
    reply.bulk(member);
    if (withscores) reply.double(score);
  };
  // Repetitions allowed (or a single member): sample the whole set every time.
  if (!unique || magnitude === 1n) {
    if (magnitude > BigInt(ZRANDMEMBER_MAX_REPEATS)) throw new RedisError(ZsetErr.randCountTooLarge);
    const count = Number(magnitude);
    reply.array(withscores && reply.resp === 2 ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const p = zset.randomPosition(random);
      emit(zset.memberAtPosition(p), zset.scoreAtPosition(p));
    }
    return;
  }
  // At least the whole set asked for: all of it, in Redis's iteration order (from the tail).
  if (magnitude >= BigInt(size)) {
    reply.array(withscores && reply.resp === 2 ? size * 2 : size);
    zset.walk(size - 1, true, (m, s) => {
      emit(m, s);
      return true;
    });
    return;
  }
  const count = Number(magnitude);
  reply.array(withscores && reply.resp === 2 ? count * 2 : count);
  for (const p of distinctPositions(size, count, random))
    emit(zset.memberAtPosition(p), zset.scoreAtPosition(p));
}
