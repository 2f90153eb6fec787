/**
 * Sorted-set algebra: ZUNION, ZUNIONSTORE, ZINTER, ZINTERSTORE, ZINTERCARD, ZDIFF, ZDIFFSTORE,
 * following Redis 7.0's zunionInterDiffGenericCommand: every source is looked up (and type-checked)
 * before the options are parsed; sets count as sorted sets with every score 1; sources are taken
 * smallest first (a stable sort) for union and intersection, which fixes the order in which
 * weighted scores are aggregated; a NaN from a weighted score (inf × 0) or a sum (inf + -inf)
 * becomes 0. Stored results are listpack-encoded when they fit, as zsetConvertToListpackIfNeeded.
 */
import { Err, RedisError, ZsetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { SetValue } from "../types/set.js";
import { ZsetValue } from "../types/zset.js";
import { compareEntries } from "../types/zset-tree.js";
import { eqi, readInt, syntaxError } from "./args.js";
import { parseInt64 } from "../types/string.js";
import { readScore, zsetLimits } from "./zset-common.js";
import { replyRange } from "./zset-range.js";

/** One input of the algebra: a sorted set, a set (scores 1), or a missing key (empty). */
interface Source {
  value: ZsetValue | SetValue | null;
  weight: number;
}

function sourceSize(src: Source): number {
  return src.value === null ? 0 : src.value.size;
}

/** Visits every member of a source with its score (1 for sets). */
function forEachMember(src: Source, visit: (member: string, score: number) => void): void {
  const v = src.value;
  if (v === null) return;
  if (v instanceof SetValue) {
    for (let i = 0; i < v.size; i++) visit(v.at(i), 1);
  } else {
    v.forEach(visit);
  }
}

/** A member's score in a source (1 in a set), or undefined. */
function findMember(src: Source, member: string): number | undefined {
  const v = src.value;
  if (v === null) return undefined;
  if (v instanceof SetValue) return v.has(member) ? 1 : undefined;
  return v.score(member);
}

type Aggregate = "sum" | "min" | "max";

/** Redis's zunionInterAggregate. */
function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === "sum") {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === "min") return value < target ? value : target;
  return value > target ? value : target;
}

type Op = "union" | "inter" | "diff";

/** Redis's zunionInterDiffGenericCommand. `dstKey` is null for the replying forms. */
function zsetAlgebra(
  c: Client,
  dstKey: string | null,
  numkeysIndex: number,
  op: Op,
  cardinalityOnly: boolean,
): void {
  const argv = c.argv;
  const setnum = readInt(argv[numkeysIndex]!);
  if (setnum < 1) throw new RedisError(ZsetErr.atLeastOneKey(c.command?.fullName ?? argv[0]!.toLowerCase()));
  if (setnum > argv.length - (numkeysIndex + 1)) syntaxError();

  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const value = c.db.lookupRead(argv[j]!);
    if (value !== undefined && !(value instanceof ZsetValue) && !(value instanceof SetValue)) {
      throw new RedisError(Err.wrongType);
    }
    sources.push({ value: value ?? null, weight: 1 });
  }

  let how: Aggregate = "sum";
  let withscores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const arg = argv[j]!;
    if (op !== "diff" && !cardinalityOnly && remaining >= setnum + 1 && eqi(arg, "weights")) {
      j++;
      for (let i = 0; i < setnum; i++, j++) sources[i]!.weight = readScore(argv[j]!, ZsetErr.weightNotFloat);
    } else if (op !== "diff" && !cardinalityOnly && remaining >= 2 && eqi(arg, "aggregate")) {
      const name = argv[j + 1]!;
      if (eqi(name, "sum")) how = "sum";
      else if (eqi(name, "min")) how = "min";
      else if (eqi(name, "max")) how = "max";
      else syntaxError();
      j += 2;
    } else if (remaining >= 1 && dstKey === null && !cardinalityOnly && eqi(arg, "withscores")) {
      j++;
      withscores = true;
    } else if (cardinalityOnly && remaining >= 2 && eqi(arg, "limit")) {
      const v = parseInt64(argv[j + 1]!);
      if (v === undefined || v < 0n) throw new RedisError(ZsetErr.limitNegative);
      // A limit beyond any possible cardinality is as good as none.
      limit = v > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(v);
      j += 2;
    } else {
      syntaxError();
    }
  }

  // Smallest first (Array.prototype.sort is stable, as glibc's merge-sort qsort).
  if (op !== "diff") sources.sort((a, b) => sourceSize(a) - sourceSize(b));

  const members: string[] = [];
  const scores: number[] = [];
  if (op === "inter") {
    const first = sources[0]!;
    let cardinality = 0;
    if (sourceSize(first) > 0) {
      let done = false;
      forEachMember(first, (member, s) => {
        if (done) return;
        let score = first.weight * s;
        if (Number.isNaN(score)) score = 0;
        for (let k = 1; k < sources.length; k++) {
          const src = sources[k]!;
          const found = findMember(src, member);
          if (found === undefined) return;
          score = aggregate(score, found * src.weight, how);
        }
        if (cardinalityOnly) {
          cardinality++;
          if (limit && cardinality >= limit) done = true;
          return;
        }
        members.push(member);
        scores.push(score);
      });
    }
    if (cardinalityOnly) {
      c.reply.integer(cardinality);
      return;
    }
  } else if (op === "union") {
    const accumulator = new Map<string, number>();
    for (const src of sources) {
      forEachMember(src, (member, s) => {
        let score = src.weight * s;
        if (Number.isNaN(score)) score = 0;
        const existing = accumulator.get(member);
        accumulator.set(member, existing === undefined ? score : aggregate(existing, score, how));
      });
    }
    for (const [member, score] of accumulator) {
      members.push(member);
      scores.push(score);
    }
  } else {
    // The members of the first source found in no other, with their scores.
    const first = sources[0]!;
    forEachMember(first, (member, s) => {
      for (let k = 1; k < sources.length; k++) if (findMember(sources[k]!, member) !== undefined) return;
      members.push(member);
      scores.push(s);
    });
  }

  const sorted = sortEntries(members, scores);
  if (dstKey !== null) storeResult(c, dstKey, sorted.members, sorted.scores, `z${op}store`);
  else replyRange(c, sorted, withscores);
}

/** Orders entries as a sorted set does (score, then member bytes). */
function sortEntries(members: string[], scores: number[]): { members: string[]; scores: number[] } {
  const order = Array.from(members.keys());
  order.sort((a, b) => compareEntries(scores[a]!, members[a]!, scores[b]!, members[b]!));
  return { members: order.map((i) => members[i]!), scores: order.map((i) => scores[i]!) };
}

/**
 * Stores a result (overwriting, TTL cleared) in the encoding Redis ends up with, or deletes the
 * destination when the result is empty; replies with the result's size.
 */
function storeResult(c: Client, dstKey: string, members: string[], scores: number[], event: string): void {
  const n = members.length;
  if (n === 0) {
    if (c.db.delete(dstKey)) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", dstKey);
    c.reply.integer(0);
    return;
  }
  const limits = zsetLimits(c);
  let listpack = n <= limits.maxEntries;
  if (listpack) for (const m of members) if (m.length > limits.maxValue) listpack = false;
  c.db.setKey(dstKey, ZsetValue.fromSorted(members, scores, listpack));
  c.server.keyspace.notify(c.db, NotifyClass.zset, event, dstKey);
  c.reply.integer(n);
}

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
export function zunionstoreCommand(c: Client): void {
  zsetAlgebra(c, c.argv[1]!, 2, "union", false);
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
export function zinterstoreCommand(c: Client): void {
  zsetAlgebra(c, c.argv[1]!, 2, "inter", false);
}

/** ZDIFFSTORE destination numkeys key [key ...] */
export function zdiffstoreCommand(c: Client): void {
  zsetAlgebra(c, c.argv[1]!, 2, "diff", false);
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
export function zunionCommand(c: Client): void {
  zsetAlgebra(c, null, 1, "union", false);
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
export function zinterCommand(c: Client): void {
  zsetAlgebra(c, null, 1, "inter", false);
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
export function zinterCardCommand(c: Client): void {
  zsetAlgebra(c, null, 1, "inter", true);
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
export function zdiffCommand(c: Client): void {
  zsetAlgebra(c, null, 1, "diff", false);
}
