/**
 * ZRANGE and its variants (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX,
 * ZREVRANGEBYLEX) and ZRANGESTORE, following Redis 7.0's zrangeGenericCommand: options are parsed
 * in Redis's order (LIMIT values as they are met, then the option conflicts, then min/max), and
 * results go either to the client or into a new sorted set stored at the destination.
 */
import { RedisError, ZsetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, ZsetValue } from "../types/zset.js";
import { compareEntries } from "../types/zset-tree.js";
import type { LexRange, ScoreRange } from "../types/zset.js";
import { eqi, readInt, syntaxError } from "./args.js";
import { lookupZsetRead, readLexRange, readScoreRange, zsetLimits } from "./zset-common.js";

type RangeType = "auto" | "rank" | "score" | "lex";
type Direction = "auto" | "forward" | "reverse";

/** Where a range's entries go: the client's reply, or a new sorted set stored under `dstKey`. */
interface RangeTarget {
  store: boolean;
  dstKey: string;
  withscores: boolean;
}

/** Entries collected from a range, in reply order. */
interface RangeResult {
  members: string[];
  scores: number[];
}

/** Redis's zrangeGenericCommand. `argStart` is the index of the source key. */
function zrangeGeneric(
  c: Client,
  argStart: number,
  dstKey: string | null,
  rangeType: RangeType,
  direction: Direction,
): void {
  const argv = c.argv;
  const store = dstKey !== null;
  const key = argv[argStart]!;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const arg = argv[j]!;
    const leftArgs = argv.length - j - 1;
    if (!store && eqi(arg, "withscores")) {
      withscores = true;
    } else if (eqi(arg, "limit") && leftArgs >= 2) {
      offset = readInt(argv[j + 1]!);
      limit = readInt(argv[j + 2]!);
      j += 2;
    } else if (direction === "auto" && eqi(arg, "rev")) {
      direction = "reverse";
    } else if (rangeType === "auto" && eqi(arg, "bylex")) {
      rangeType = "lex";
    } else if (rangeType === "auto" && eqi(arg, "byscore")) {
      rangeType = "score";
    } else {
      syntaxError();
    }
  }
  if (direction === "auto") direction = "forward";
  if (rangeType === "auto") rangeType = "rank";
  // As in Redis, `LIMIT x -1` counts as no LIMIT.
  if (limit !== -1 && rangeType === "rank") throw new RedisError(ZsetErr.limitNeedsByScoreOrLex);
  if (withscores && rangeType === "lex") throw new RedisError(ZsetErr.withscoresWithBylex);
  const reverse = direction === "reverse";
  if (reverse && rangeType !== "rank") [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (rangeType === "rank") {
    start = readInt(argv[minIdx]!);
    end = readInt(argv[maxIdx]!);
  } else if (rangeType === "score") {
    scoreRange = readScoreRange(argv[minIdx]!, argv[maxIdx]!);
  } else {
    lexRange = readLexRange(argv[minIdx]!, argv[maxIdx]!);
  }

  const zset = lookupZsetRead(c, key);
  const target: RangeTarget = { store, dstKey: dstKey ?? "", withscores };
  if (zset === undefined) {
    if (store) finishStore(c, target, null);
    else c.reply.array(0);
    return;
  }
  let result: RangeResult;
  let sizeHint = -1;
  if (rangeType === "rank") {
    result = rangeByRank(zset, start, end, reverse);
    sizeHint = result.members.length;
  } else if (rangeType === "score") {
    result = rangeByScore(zset, scoreRange!, offset, limit, reverse);
  } else {
    result = rangeByLex(zset, lexRange!, offset, limit, reverse);
  }
  if (store) finishStore(c, target, result, sizeHint);
  else replyRange(c, result, withscores);
}

/** Redis's genericZrangebyrankCommand: the entries between two ranks (negative from the end). */
function rangeByRank(zset: ZsetValue, start: number, end: number, reverse: boolean): RangeResult {
  const result: RangeResult = { members: [], scores: [] };
  const llen = zset.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return result;
  if (end >= llen) end = llen - 1;
  let left = end - start + 1;
  zset.walk(reverse ? llen - 1 - start : start, reverse, (m, s) => {
    result.members.push(m);
    result.scores.push(s);
    return --left > 0;
  });
  return result;
}

/**
 * Steps `offset` entries from a starting rank (Redis walks them one by one without checking the
 * range; a negative offset walks off the end), then collects up to `limit` entries (negative: no
 * limit) while `inRange` holds.
 */
function collectFrom(
  zset: ZsetValue,
  first: number,
  offset: number,
  limit: number,
  reverse: boolean,
  inRange: (member: string, score: number) => boolean,
): RangeResult {
  const result: RangeResult = { members: [], scores: [] };
  if (first < 0 || limit === 0 || offset < 0) return result;
  const startRank = reverse ? first - offset : first + offset;
  if (startRank < 0 || startRank >= zset.size) return result;
  let left = limit;
  zset.walk(startRank, reverse, (m, s) => {
    if (!inRange(m, s)) return false;
    result.members.push(m);
    result.scores.push(s);
    return --left !== 0;
  });
  return result;
}

/** Redis's genericZrangebyscoreCommand. */
function rangeByScore(
  zset: ZsetValue,
  range: ScoreRange,
  offset: number,
  limit: number,
  reverse: boolean,
): RangeResult {
  if (offset > 0 && offset >= zset.size) return { members: [], scores: [] };
  const first = reverse ? zset.lastInScoreRange(range) : zset.firstInScoreRange(range);
  return collectFrom(zset, first, offset, limit, reverse, (_m, s) =>
    reverse ? scoreGteMin(s, range) : scoreLteMax(s, range),
  );
}

/** Redis's genericZrangebylexCommand. */
function rangeByLex(
  zset: ZsetValue,
  range: LexRange,
  offset: number,
  limit: number,
  reverse: boolean,
): RangeResult {
  const first = reverse ? zset.lastInLexRange(range) : zset.firstInLexRange(range);
  return collectFrom(zset, first, offset, limit, reverse, (m) =>
    reverse ? lexGteMin(m, range) : lexLteMax(m, range),
  );
}

/** Writes range entries to the client: members, with scores (RESP3: as pairs) if asked. */
export function replyRange(c: Client, result: RangeResult, withscores: boolean): void {
  const reply = c.reply;
  const { members, scores } = result;
  const n = members.length;
  if (!withscores) {
    reply.array(n);
    for (let i = 0; i < n; i++) reply.bulk(members[i]!);
    return;
  }
  const pairs = reply.resp === 3;
  reply.array(pairs ? n : n * 2);
  for (let i = 0; i < n; i++) {
    if (pairs) reply.array(2);
    reply.bulk(members[i]!);
    reply.double(scores[i]!);
  }
}

/**
 * ZRANGESTORE's end (zrangeResultBeginStore / FinalizeStore): a destination created as a
 * listpack unless the known result size exceeds the limit, filled with ZADD semantics (which
 * convert it as it grows), stored, or deleted when the result is empty.
 */
function finishStore(c: Client, target: RangeTarget, result: RangeResult | null, sizeHint = -1): void {
  const n = result === null ? 0 : result.members.length;
  if (n === 0) {
    if (c.db.delete(target.dstKey)) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", target.dstKey);
    c.reply.integer(0);
    return;
  }
  const limits = zsetLimits(c);
  const { members, scores } = result!;
  // Adding the entries one by one to a listpack converts it at the first entry past a limit;
  // entries added before that were stored as a listpack stores them (-0 as 0).
  let convertAt = sizeHint > limits.maxEntries ? 0 : -1;
  for (let i = 0; i < n && convertAt < 0; i++) {
    if (i + 1 > limits.maxEntries || members[i]!.length > limits.maxValue) convertAt = i;
  }
  let dst: ZsetValue;
  if (convertAt < 0) {
    dst = new ZsetValue("listpack");
    for (let i = 0; i < n; i++) dst.add(scores[i]!, members[i]!, 0, limits);
  } else {
    const normalized = scores.map((s, i) => (i < convertAt && s === 0 ? 0 : s));
    // Ranges come in order or in reverse order: build the skiplist in one pass.
    const ascending = n < 2 || compareEntries(normalized[0]!, members[0]!, normalized[1]!, members[1]!) < 0;
    dst = ascending
      ? ZsetValue.fromSorted(members, normalized, false)
      : ZsetValue.fromSorted(members.slice().reverse(), normalized.reverse(), false);
  }
  c.db.setKey(target.dstKey, dst);
  c.server.keyspace.notify(c.db, NotifyClass.zset, "zrangestore", target.dstKey);
  c.reply.integer(n);
}

/** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
export function zrangeCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "auto", "auto");
}

/** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
export function zrangestoreCommand(c: Client): void {
  zrangeGeneric(c, 2, c.argv[1]!, "auto", "auto");
}

/** ZREVRANGE key start stop [WITHSCORES] */
export function zrevrangeCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "rank", "reverse");
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
export function zrangebyscoreCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "score", "forward");
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
export function zrevrangebyscoreCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "score", "reverse");
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
export function zrangebylexCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "lex", "forward");
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
export function zrevrangebylexCommand(c: Client): void {
  zrangeGeneric(c, 1, null, "lex", "reverse");
}
