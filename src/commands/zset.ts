/**
 * Sorted-set commands: Redis 7.0's zset family. Membership, counting and removal commands live
 * here; ZRANGE and its variants in `zset-range.ts`; ZUNION/ZINTER/ZDIFF and friends in
 * `zset-algebra.ts`; ZPOPMIN/ZPOPMAX/ZMPOP, ZRANDMEMBER and the blocking pops in `zset-pop.ts`.
 */
import { RedisError, ZsetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import { formatDouble } from "../resp/format.js";
import type { Client } from "../server/client.js";
import {
  lexLteMax,
  listpackScoreIsInteger,
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZADD_XX,
} from "../types/zset.js";
import { globMatch } from "../util/glob.js";
import { readInt, readScanCursor, syntaxError } from "./args.js";
import { readScanOptions, replyScan } from "./scan-common.js";
import type { CommandDefinition } from "./spec.js";
import { zdiffCommand, zdiffstoreCommand, zinterCardCommand, zinterCommand } from "./zset-algebra.js";
import { zinterstoreCommand, zunionCommand, zunionstoreCommand } from "./zset-algebra.js";
import { afterRemoval, createZsetFor, lookupZsetRead, lookupZsetWrite, readLexRange } from "./zset-common.js";
import { readScore, readScoreRange, zsetLimits } from "./zset-common.js";
import { bzmpopCommand, bzpopmaxCommand, bzpopminCommand } from "./zset-pop.js";
import { zmpopCommand, zpopmaxCommand, zpopminCommand, zrandmemberCommand } from "./zset-pop.js";
import { zrangebylexCommand, zrangebyscoreCommand, zrangeCommand, zrangestoreCommand } from "./zset-range.js";
import { zrevrangebylexCommand, zrevrangebyscoreCommand, zrevrangeCommand } from "./zset-range.js";

const ZADD_OPTIONS: Record<string, number> = {
  nx: ZADD_NX,
  xx: ZADD_XX,
  gt: ZADD_GT,
  lt: ZADD_LT,
  incr: ZADD_INCR,
};

/** Redis's zaddGenericCommand, for ZADD and ZINCRBY (which is ZADD with INCR preset). */
function zaddGeneric(c: Client, presetFlags: number): void {
  const argv = c.argv;
  const key = argv[1]!;
  let flags = presetFlags;
  let ch = false;
  // Options come first; the first argument that is not one starts the score/member pairs.
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const arg = argv[scoreIdx]!;
    if (arg.length > 4) break;
    const opt = arg.toLowerCase();
    if (opt === "ch") ch = true;
    else if (Object.hasOwn(ZADD_OPTIONS, opt)) flags |= ZADD_OPTIONS[opt]!;
    else break;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const pairsArgs = argv.length - scoreIdx;
  if (pairsArgs % 2 !== 0 || pairsArgs === 0) syntaxError();
  const elements = pairsArgs / 2;
  if (nx && xx) throw new RedisError(ZsetErr.xxAndNx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new RedisError(ZsetErr.gtLtNx);
  if (incr && elements > 1) throw new RedisError(ZsetErr.incrSinglePair);
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) scores.push(readScore(argv[scoreIdx + 2 * j]!));

  let zset = lookupZsetWrite(c, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (zset !== undefined || !xx) {
    const limits = zsetLimits(c);
    const existed = zset !== undefined;
    if (zset === undefined) {
      zset = createZsetFor(limits, argv[scoreIdx + 1]!);
      c.db.add(key, zset);
    }
    for (let j = 0; j < elements; j++) {
      const out = zset.add(scores[j]!, argv[scoreIdx + 1 + 2 * j]!, flags, limits);
      // Only INCR can produce NaN, and it has a single pair: nothing was changed yet.
      if (out & ZADD_OUT_NAN) throw new RedisError(ZsetErr.nan);
      if (out & ZADD_OUT_ADDED) added++;
      if (out & ZADD_OUT_UPDATED) updated++;
      if (!(out & ZADD_OUT_NOP)) processed++;
      score = zset.lastScore;
    }
    if (added || updated) {
      c.server.keyspace.signalModified(c.db, key);
      c.server.keyspace.notify(c.db, NotifyClass.zset, incr ? "zincr" : "zadd", key);
      if (added && existed) c.server.keyspace.signalReady(c.db, key);
    }
  }
  if (incr) {
    if (processed) c.reply.double(score);
    else c.reply.nullBulk();
  } else {
    c.reply.integer(ch ? added + updated : added);
  }
}

/** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
export function zaddCommand(c: Client): void {
  zaddGeneric(c, 0);
}

/** ZINCRBY key increment member */
function zincrbyCommand(c: Client): void {
  zaddGeneric(c, ZADD_INCR);
}

/** ZREM key member [member ...] */
function zremCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const zset = lookupZsetWrite(c, key);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (zset.remove(argv[j]!)) deleted++;
    if (zset.size === 0) break;
  }
  if (deleted) afterRemoval(c, key, zset, "zrem");
  c.reply.integer(deleted);
}

/** ZCARD key */
function zcardCommand(c: Client): void {
  const zset = lookupZsetRead(c, c.argv[1]!);
  c.reply.integer(zset === undefined ? 0 : zset.size);
}

/** ZSCORE key member */
function zscoreCommand(c: Client): void {
  const zset = lookupZsetRead(c, c.argv[1]!);
  const score = zset?.score(c.argv[2]!);
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

/** ZMSCORE key member [member ...] */
function zmscoreCommand(c: Client): void {
  const argv = c.argv;
  const zset = lookupZsetRead(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

/** Redis's zrankGenericCommand. */
function zrankGeneric(c: Client, reverse: boolean): void {
  const zset = lookupZsetRead(c, c.argv[1]!);
  const rank = zset === undefined ? -1 : zset.rank(c.argv[2]!, reverse);
  if (rank < 0) c.reply.nullBulk();
  else c.reply.integer(rank);
}

/** ZRANK key member */
function zrankCommand(c: Client): void {
  zrankGeneric(c, false);
}

/** ZREVRANK key member */
function zrevrankCommand(c: Client): void {
  zrankGeneric(c, true);
}

/** ZCOUNT key min max */
function zcountCommand(c: Client): void {
  const range = readScoreRange(c.argv[2]!, c.argv[3]!);
  const zset = lookupZsetRead(c, c.argv[1]!);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  const first = zset.firstInScoreRange(range);
  const last = first < 0 ? -1 : zset.lastInScoreRange(range);
  c.reply.integer(first < 0 || last < first ? 0 : last - first + 1);
}

/** ZLEXCOUNT key min max */
function zlexcountCommand(c: Client): void {
  const range = readLexRange(c.argv[2]!, c.argv[3]!);
  const zset = lookupZsetRead(c, c.argv[1]!);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  const first = zset.firstInLexRange(range);
  let count = 0;
  if (first >= 0) {
    if (zset.isListpack) {
      // Redis's listpack count: from the first in range, while within the maximum.
      zset.walk(first, false, (m) => {
        if (!lexLteMax(m, range)) return false;
        count++;
        return true;
      });
    } else {
      const last = zset.lastInLexRange(range);
      count = last < first ? 0 : last - first + 1;
    }
  }
  c.reply.integer(count);
}

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrankCommand(c: Client): void {
  const key = c.argv[1]!;
  let start = readInt(c.argv[2]!);
  let end = readInt(c.argv[3]!);
  const zset = lookupZsetWrite(c, key);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  const llen = zset.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    c.reply.integer(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  const deleted = zset.removeRankRange(start, end);
  if (deleted) afterRemoval(c, key, zset, "zremrangebyrank");
  c.reply.integer(deleted);
}

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscoreCommand(c: Client): void {
  const key = c.argv[1]!;
  const range = readScoreRange(c.argv[2]!, c.argv[3]!);
  const zset = lookupZsetWrite(c, key);
  const deleted = zset === undefined ? 0 : zset.removeScoreRange(range);
  if (deleted) afterRemoval(c, key, zset!, "zremrangebyscore");
  c.reply.integer(deleted);
}

/** ZREMRANGEBYLEX key min max */
function zremrangebylexCommand(c: Client): void {
  const key = c.argv[1]!;
  const range = readLexRange(c.argv[2]!, c.argv[3]!);
  const zset = lookupZsetWrite(c, key);
  const deleted = zset === undefined ? 0 : zset.removeLexRange(range);
  if (deleted) afterRemoval(c, key, zset!, "zremrangebylex");
  c.reply.integer(deleted);
}

/**
 * A score as ZSCAN prints it: a listpack holds integral scores within ±2^62 as integers (printed
 * as such, `100000000000000000`), other scores as `%.17g` text; a skiplist prints `%.17Lg`.
 */
function scanScoreText(score: number, listpack: boolean): string {
  if (listpack && listpackScoreIsInteger(score)) return BigInt(score).toString();
  return formatDouble(score);
}

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscanCommand(c: Client): void {
  const argv = c.argv;
  const cursor = readScanCursor(argv[2]!);
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === undefined) {
    replyScan(c.reply, 0, []);
    return;
  }
  const { count, pattern } = readScanOptions(argv, 3);
  const listpack = zset.isListpack;
  const found: string[] = [];
  const start = cursor > BigInt(zset.size) ? zset.size : Number(cursor);
  const next = zset.scan(start, count, (member, score) => {
    if (pattern === null || globMatch(pattern, member)) found.push(member, scanScoreText(score, listpack));
  });
  replyScan(c.reply, next, found);
}

export const zsetCommands: CommandDefinition[] = [
  { name: "zadd", handler: zaddCommand },
  { name: "zincrby", handler: zincrbyCommand },
  { name: "zrem", handler: zremCommand },
  { name: "zcard", handler: zcardCommand },
  { name: "zscore", handler: zscoreCommand },
  { name: "zmscore", handler: zmscoreCommand },
  { name: "zrank", handler: zrankCommand },
  { name: "zrevrank", handler: zrevrankCommand },
  { name: "zcount", handler: zcountCommand },
  { name: "zlexcount", handler: zlexcountCommand },
  { name: "zremrangebyrank", handler: zremrangebyrankCommand },
  { name: "zremrangebyscore", handler: zremrangebyscoreCommand },
  { name: "zremrangebylex", handler: zremrangebylexCommand },
  { name: "zscan", handler: zscanCommand },
  { name: "zrange", handler: zrangeCommand },
  { name: "zrangestore", handler: zrangestoreCommand },
  { name: "zrevrange", handler: zrevrangeCommand },
  { name: "zrangebyscore", handler: zrangebyscoreCommand },
  { name: "zrevrangebyscore", handler: zrevrangebyscoreCommand },
  { name: "zrangebylex", handler: zrangebylexCommand },
  { name: "zrevrangebylex", handler: zrevrangebylexCommand },
  { name: "zunion", handler: zunionCommand },
  { name: "zunionstore", handler: zunionstoreCommand },
  { name: "zinter", handler: zinterCommand },
  { name: "zinterstore", handler: zinterstoreCommand },
  { name: "zintercard", handler: zinterCardCommand },
  { name: "zdiff", handler: zdiffCommand },
  { name: "zdiffstore", handler: zdiffstoreCommand },
  { name: "zpopmin", handler: zpopminCommand },
  { name: "zpopmax", handler: zpopmaxCommand },
  { name: "zmpop", handler: zmpopCommand },
  { name: "zrandmember", handler: zrandmemberCommand },
  { name: "bzpopmin", handler: bzpopminCommand },
  { name: "bzpopmax", handler: bzpopmaxCommand },
  { name: "bzmpop", handler: bzmpopCommand },
];
