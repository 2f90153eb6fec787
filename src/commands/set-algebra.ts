/**
 * Set algebra: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, following
 * Redis 7.0's sinterGenericCommand and sunionDiffGenericCommand: every source key's type is checked
 * before anything else; intersections iterate the smallest set; results are built in a fresh set
 * (intset first, like Redis), so their order and encoding match Redis's.
 */
import { RedisError, SetErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { SetValue } from "../types/set.js";
import { parseInt64 } from "../types/string.js";
import { eqi, syntaxError } from "./args.js";
import { checkSet, maxIntsetEntries, replyMembers, replySet } from "./set-common.js";

/**
 * Looks up the source sets (lookupKeyRead, as Redis 7.0 does for the STORE forms too). Missing keys
 * are null. Throws WRONGTYPE if any existing key is not a set, whether or not another is missing.
 */
function lookupSources(c: Client, keys: readonly string[]): (SetValue | null)[] {
  const sets: (SetValue | null)[] = [];
  for (const key of keys) sets.push(checkSet(c.db.lookupRead(key)) ?? null);
  return sets;
}

/**
 * Stores `result` at `dstKey` (overwriting, TTL cleared) or deletes `dstKey` if it is empty;
 * replies with its size. Raises the command's `event` (`sinterstore`...), or `del`.
 */
function storeResult(c: Client, dstKey: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    c.db.setKey(dstKey, result);
    c.reply.integer(result.size);
    c.server.keyspace.notify(c.db, NotifyClass.set, event, dstKey);
  } else {
    if (c.db.delete(dstKey)) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", dstKey);
    c.reply.integer(0);
  }
}

/** What {@link sinterGeneric} produces. */
type InterMode = { kind: "reply" } | { kind: "store"; dstKey: string } | { kind: "card"; limit: number };

/** Redis's sinterGenericCommand. */
function sinterGeneric(c: Client, keys: readonly string[], mode: InterMode): void {
  const found = lookupSources(c, keys);
  // An intersection with an empty set is empty.
  if (found.includes(null)) {
    if (mode.kind === "store") storeResult(c, mode.dstKey, new SetValue(), "sinterstore");
    else if (mode.kind === "card") c.reply.integer(0);
    else c.reply.set(0);
    return;
  }
  // Smallest first (a stable sort, as glibc's qsort is a merge sort).
  const sets = (found as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const max = maxIntsetEntries(c);
  const dst = mode.kind === "store" ? new SetValue() : null;
  const members: string[] = [];
  let cardinality = 0;
  const n = first.size;
  for (let i = 0; i < n; i++) {
    const m = first.at(i);
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      const other = sets[j]!;
      if (other === first) continue;
      if (!other.has(m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    if (mode.kind === "card") {
      cardinality++;
      if (mode.limit && cardinality >= mode.limit) break;
    } else if (dst !== null) {
      dst.add(m, max);
    } else {
      members.push(m);
    }
  }
  if (mode.kind === "card") c.reply.integer(cardinality);
  else if (mode.kind === "store") storeResult(c, mode.dstKey, dst!, "sinterstore");
  else replyMembers(c, members);
}

/** SINTER key [key ...] */
export function sinterCommand(c: Client): void {
  sinterGeneric(c, c.argv.slice(1), { kind: "reply" });
}

/** SINTERSTORE destination key [key ...] */
export function sinterstoreCommand(c: Client): void {
  sinterGeneric(c, c.argv.slice(2), { kind: "store", dstKey: c.argv[1]! });
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
export function sinterCardCommand(c: Client): void {
  const argv = c.argv;
  const numkeysArg = parseInt64(argv[1]!);
  if (numkeysArg === undefined || numkeysArg < 1n) throw new RedisError(SetErr.numkeysPositive);
  if (numkeysArg > BigInt(argv.length - 2)) throw new RedisError(SetErr.numkeysTooMany);
  const numkeys = Number(numkeysArg);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (eqi(argv[j]!, "limit") && moreArgs) {
      j++;
      const v = parseInt64(argv[j]!);
      if (v === undefined || v < 0n) throw new RedisError(SetErr.limitNegative);
      // Any limit beyond the smallest set's size is as good as none.
      limit = v > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(v);
    } else {
      syntaxError();
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), { kind: "card", limit });
}

/** Redis's sunionDiffGenericCommand: the union or difference as a new set. */
function sunionDiff(c: Client, keys: readonly string[], op: "union" | "diff"): SetValue {
  const sets = lookupSources(c, keys);
  const max = maxIntsetEntries(c);
  const dst = new SetValue();
  if (op === "union") {
    for (const set of sets) {
      if (set === null) continue;
      const n = set.size;
      for (let i = 0; i < n; i++) dst.add(set.at(i), max);
    }
    return dst;
  }
  const first = sets[0];
  if (!first) return dst;
  // Redis picks between two algorithms by estimated work; the choice shows in the result's
  // encoding (algorithm 2 copies the whole first set, which may stop fitting an intset).
  let oneWork = 0;
  let twoWork = 0;
  for (const set of sets) {
    if (set === null) continue;
    oneWork += first.size;
    twoWork += set.size;
  }
  oneWork = Math.floor(oneWork / 2);
  if (oneWork <= twoWork) {
    // Algorithm 1: each member of the first set not in any other. Redis orders the others by
    // decreasing size to fail fast; that changes nothing visible.
    const others = sets.slice(1).filter((s): s is SetValue => s !== null);
    others.sort((a, b) => b.size - a.size);
    const n = first.size;
    outer: for (let i = 0; i < n; i++) {
      const m = first.at(i);
      for (const other of others) {
        if (other === first || other.has(m)) continue outer;
      }
      dst.add(m, max);
    }
  } else {
    // Algorithm 2: copy the first set, then remove every member of the others.
    for (let j = 0; j < sets.length; j++) {
      const set = sets[j];
      if (!set) continue;
      if (j === 0) {
        for (let i = 0; i < set.size; i++) dst.add(set.at(i), max);
      } else {
        for (let i = 0; i < set.size; i++) dst.remove(set.at(i));
      }
      if (dst.size === 0) break;
    }
  }
  return dst;
}

/** SUNION key [key ...] */
export function sunionCommand(c: Client): void {
  replySet(c, sunionDiff(c, c.argv.slice(1), "union"));
}

/** SUNIONSTORE destination key [key ...] */
export function sunionstoreCommand(c: Client): void {
  storeResult(c, c.argv[1]!, sunionDiff(c, c.argv.slice(2), "union"), "sunionstore");
}

/** SDIFF key [key ...] */
export function sdiffCommand(c: Client): void {
  replySet(c, sunionDiff(c, c.argv.slice(1), "diff"));
}

/** SDIFFSTORE destination key [key ...] */
export function sdiffstoreCommand(c: Client): void {
  storeResult(c, c.argv[1]!, sunionDiff(c, c.argv.slice(2), "diff"), "sdiffstore");
}
