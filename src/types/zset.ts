/**
 * Sorted-set values. Redis 7.0 has two encodings, and so does {@link ZsetValue}:
 *
 * - `listpack`: members and scores in two parallel arrays in order (score, then member bytes).
 *   Lookups scan, inserts and removals shift: O(n) for n ≤ `zset-max-listpack-entries`, as in
 *   Redis. Like Redis's listpack, which stores an integral score in [-2^62, 2^62] as an integer,
 *   a score of -0 is stored as 0; lex-range seeks scan as Redis's do, so even mixed-score sets
 *   answer byte for byte like Redis.
 * - `skiplist`: an order-statistic B+tree ({@link ZTree}) for the order, plus dense slot arrays
 *   (member, score) with a Map from member to slot: O(1) ZSCORE, O(1) uniform random members, a
 *   stateless ZSCAN cursor walking slots downwards (a removal moves the last slot into the hole, so
 *   members present for a whole scan are visited), and O(log n) for everything ordered.
 *
 * Conversion is one-way (listpack → skiplist) when a member is added past the limits, exactly
 * when Redis converts; results built by ZUNIONSTORE and friends pick their encoding by size, as
 * Redis's zsetConvertToListpackIfNeeded does. Members are latin1 strings (one char a byte).
 */
import type { Random } from "../keyspace/random.js";
import { formatDouble } from "../resp/format.js";
import { isIntsetMember } from "./set.js";
import type { CollectionValue } from "./value.js";
import { compareEntries, ZTree, type EntryPredicate, type ZLeaf } from "./zset-tree.js";

/** The listpack limits, from `zset-max-listpack-entries` and `zset-max-listpack-value`. */
export interface ZsetLimits {
  maxEntries: number;
  maxValue: number;
}

/** ZADD input flags (Redis's ZADD_IN_*). */
export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/** What {@link ZsetValue.add} did (Redis's ZADD_OUT_*). */
export const ZADD_OUT_NAN = 1;
export const ZADD_OUT_ADDED = 2;
export const ZADD_OUT_UPDATED = 4;
export const ZADD_OUT_NOP = 8;

/** A score interval (Redis's zrangespec). */
export interface ScoreRange {
  min: number;
  max: number;
  /** Exclusive bounds. */
  minex: boolean;
  maxex: boolean;
}

/** One end of a lex interval: a member, or the `-` / `+` infinities. */
export interface LexBound {
  /** -1 for `-` (below everything), 1 for `+` (above everything), 0 for a member. */
  inf: -1 | 0 | 1;
  value: string;
  exclusive: boolean;
}

/** A lex interval (Redis's zlexrangespec). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
}

/** Redis's sdscmplex: compares a member with a bound, the infinities included. */
function compareLexBound(value: string, bound: LexBound): number {
  if (bound.inf !== 0) return -bound.inf;
  return value < bound.value ? -1 : value > bound.value ? 1 : 0;
}

/** Redis's zslValueGteMin. */
export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minex ? score > range.min : score >= range.min;
}

/** Redis's zslValueLteMax. */
export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxex ? score < range.max : score <= range.max;
}

/** Redis's zslLexValueGteMin. */
export function lexGteMin(member: string, range: LexRange): boolean {
  const cmp = compareLexBound(member, range.min);
  return range.min.exclusive ? cmp > 0 : cmp >= 0;
}

/** Redis's zslLexValueLteMax. */
export function lexLteMax(member: string, range: LexRange): boolean {
  const cmp = compareLexBound(member, range.max);
  return range.max.exclusive ? cmp < 0 : cmp <= 0;
}

/** True when a score range can hold nothing (min > max, or min = max with an open end). */
function scoreRangeEmpty(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minex || range.maxex));
}

/** True when a lex range can hold nothing (Redis compares the bounds as sdscmplex does). */
function lexRangeEmpty(range: LexRange): boolean {
  const a = range.min;
  const b = range.max;
  let cmp: number;
  if (a.inf !== 0 || b.inf !== 0) {
    // The same infinity on both ends compares equal; otherwise an infinity decides.
    if (a.inf === b.inf) cmp = 0;
    else if (a.inf === -1 || b.inf === 1) cmp = -1;
    else cmp = 1;
  } else {
    cmp = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  return cmp > 0 || (cmp === 0 && (a.exclusive || b.exclusive));
}

/** The score a listpack stores for `score`: -0 becomes the integer 0 (Redis's double2ll). */
function listpackScore(score: number): number {
  return score === 0 ? 0 : score;
}

/** True if a listpack stores this score as an integer (Redis's double2ll: integral, |d| ≤ 2^62). */
export function listpackScoreIsInteger(score: number): boolean {
  return Number.isInteger(score) && score >= -(2 ** 62) && score <= 2 ** 62;
}

/** A Redis sorted set. */
export class ZsetValue implements CollectionValue {
  readonly type = "zset" as const;
  /** Members in order (listpack), or by slot (skiplist). */
  private members: string[] = [];
  /** Scores, parallel to {@link members}. */
  private scores: number[] = [];
  /** Member → slot; null while listpack-encoded. */
  private slots: Map<string, number> | null = null;
  /** The ordered index; null while listpack-encoded. */
  private tree: ZTree | null = null;

  /** A new, empty sorted set in the given encoding. */
  constructor(encoding: "listpack" | "skiplist" = "listpack") {
    if (encoding === "skiplist") {
      this.slots = new Map();
      this.tree = new ZTree();
    }
  }

  /**
   * A sorted set holding entries given in order (unique members), in the listpack encoding if
   * `listpack` (scores normalised as a listpack stores them), else skiplist.
   */
  static fromSorted(members: string[], scores: number[], listpack: boolean): ZsetValue {
    const z = new ZsetValue();
    if (listpack) {
      z.members = members;
      z.scores = scores.map(listpackScore);
      return z;
    }
    z.members = members.slice();
    z.scores = scores.slice();
    const slots = new Map<string, number>();
    for (let i = 0; i < members.length; i++) slots.set(members[i]!, i);
    z.slots = slots;
    z.tree = ZTree.fromSorted(members, scores);
    return z;
  }

  /** Number of members. */
  get size(): number {
    return this.members.length;
  }

  /** True while listpack-encoded. */
  get isListpack(): boolean {
    return this.tree === null;
  }

  /** OBJECT ENCODING's answer. */
  encoding(): "listpack" | "skiplist" {
    return this.tree === null ? "listpack" : "skiplist";
  }

  /** A deep copy with the same encoding (Redis's zsetDup). */
  clone(): ZsetValue {
    const copy = new ZsetValue();
    copy.members = this.members.slice();
    copy.scores = this.scores.slice();
    if (this.tree !== null) {
      copy.slots = new Map(this.slots!);
      const members: string[] = [];
      const scores: number[] = [];
      this.forEach((m, s) => {
        members.push(m);
        scores.push(s);
      });
      copy.tree = ZTree.fromSorted(members, scores);
    }
    return copy;
  }

  /** Converts to the skiplist encoding (one-way). */
  convertToSkiplist(): void {
    if (this.tree !== null) return;
    const slots = new Map<string, number>();
    for (let i = 0; i < this.members.length; i++) slots.set(this.members[i]!, i);
    this.tree = ZTree.fromSorted(this.members, this.scores);
    this.slots = slots;
  }

  /**
   * Converts to the listpack encoding if the set fits the limits (Redis's
   * zsetConvertToListpackIfNeeded, used for ZUNIONSTORE-style results).
   */
  convertToListpackIfFits(limits: ZsetLimits): void {
    if (this.tree === null || this.size > limits.maxEntries) return;
    for (const m of this.members) if (m.length > limits.maxValue) return;
    const members: string[] = [];
    const scores: number[] = [];
    this.forEach((m, s) => {
      members.push(m);
      scores.push(listpackScore(s));
    });
    this.members = members;
    this.scores = scores;
    this.tree = null;
    this.slots = null;
  }

  /** The slot (skiplist) or position (listpack) of a member, or -1. */
  private find(member: string): number {
    if (this.slots !== null) return this.slots.get(member) ?? -1;
    return this.members.indexOf(member);
  }

  /** A member's score, or undefined. */
  score(member: string): number | undefined {
    const i = this.find(member);
    return i < 0 ? undefined : this.scores[i];
  }

  /** The new score after the last {@link add} that did not fail (Redis's `newscore`). */
  lastScore = 0;

  /**
   * Redis's zsetAdd: adds or updates one member under ZADD flags; returns ZADD_OUT_* flags and
   * sets {@link lastScore}. ZADD_OUT_NAN (nothing changed) when the score or the incremented
   * score is NaN.
   */
  add(score: number, member: string, flags: number, limits: ZsetLimits): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const i = this.find(member);
    if (i >= 0) {
      if (flags & ZADD_NX) return ZADD_OUT_NOP;
      const current = this.scores[i]!;
      if (flags & ZADD_INCR) {
        score += current;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if ((flags & ZADD_LT && score >= current) || (flags & ZADD_GT && score <= current)) return ZADD_OUT_NOP;
      this.lastScore = score;
      if (score === current) return 0;
      if (this.tree === null) {
        this.members.splice(i, 1);
        this.scores.splice(i, 1);
        this.listpackInsert(score, member);
      } else {
        this.tree.remove(current, member);
        this.tree.insert(score, member);
        this.scores[i] = score;
      }
      return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_XX) return ZADD_OUT_NOP;
    if (this.tree === null) {
      if (this.members.length + 1 > limits.maxEntries || member.length > limits.maxValue) {
        this.convertToSkiplist();
      } else {
        this.listpackInsert(score, member);
        this.lastScore = score;
        return ZADD_OUT_ADDED;
      }
    }
    this.slots!.set(member, this.members.length);
    this.members.push(member);
    this.scores.push(score);
    this.tree!.insert(score, member);
    this.lastScore = score;
    return ZADD_OUT_ADDED;
  }

  /** Inserts into the listpack arrays at the ordered position (Redis's zzlInsert). */
  private listpackInsert(score: number, member: string): void {
    score = listpackScore(score);
    const members = this.members;
    const scores = this.scores;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(scores[mid]!, members[mid]!, score, member) > 0) hi = mid;
      else lo = mid + 1;
    }
    members.splice(lo, 0, member);
    scores.splice(lo, 0, score);
  }

  /** Removes a member; returns false if it was not there. */
  remove(member: string): boolean {
    const i = this.find(member);
    if (i < 0) return false;
    if (this.tree === null) {
      this.members.splice(i, 1);
      this.scores.splice(i, 1);
    } else {
      this.tree.remove(this.scores[i]!, member);
      this.removeSlot(i);
    }
    return true;
  }

  /** Removes a slot (skiplist), moving the last slot into the hole. */
  private removeSlot(i: number): void {
    const members = this.members;
    const scores = this.scores;
    const slots = this.slots!;
    slots.delete(members[i]!);
    const last = members.length - 1;
    if (i !== last) {
      const moved = members[last]!;
      members[i] = moved;
      scores[i] = scores[last]!;
      slots.set(moved, i);
    }
    members.pop();
    scores.pop();
  }

  /** The 0-based rank of a member (from the end if `reverse`), or -1. */
  rank(member: string, reverse = false): number {
    const i = this.find(member);
    if (i < 0) return -1;
    const r = this.tree === null ? i : this.tree.rankOf(this.scores[i]!, member);
    return reverse ? this.size - 1 - r : r;
  }

  /** The member at a 0-based rank (< size). */
  memberAt(rank: number): string {
    if (this.tree === null) return this.members[rank]!;
    const { leaf, idx } = this.tree.select(rank);
    return leaf.members[idx]!;
  }

  /** The score at a 0-based rank (< size). */
  scoreAt(rank: number): number {
    if (this.tree === null) return this.scores[rank]!;
    const { leaf, idx } = this.tree.select(rank);
    return leaf.scores[idx]!;
  }

  /**
   * Walks entries from rank `start` (0 ≤ start < size) forwards, or backwards if `reverse`, while
   * `visit` returns true.
   */
  walk(start: number, reverse: boolean, visit: (member: string, score: number) => boolean): void {
    if (this.tree === null) {
      const members = this.members;
      const scores = this.scores;
      if (reverse) {
        for (let i = start; i >= 0; i--) if (!visit(members[i]!, scores[i]!)) return;
      } else {
        for (let i = start; i < members.length; i++) if (!visit(members[i]!, scores[i]!)) return;
      }
      return;
    }
    const pos = this.tree.select(start);
    let leaf: ZLeaf | null = pos.leaf;
    let idx = pos.idx;
    if (reverse) {
      while (leaf !== null) {
        const ms = leaf.members;
        const ss = leaf.scores;
        for (; idx >= 0; idx--) if (!visit(ms[idx]!, ss[idx]!)) return;
        leaf = leaf.prev;
        if (leaf !== null) idx = leaf.members.length - 1;
      }
    } else {
      while (leaf !== null) {
        const ms = leaf.members;
        const ss = leaf.scores;
        for (; idx < ms.length; idx++) if (!visit(ms[idx]!, ss[idx]!)) return;
        leaf = leaf.next;
        idx = 0;
      }
    }
  }

  /** Visits every entry in order. */
  forEach(visit: (member: string, score: number) => void): void {
    if (this.size === 0) return;
    this.walk(0, false, (m, s) => {
      visit(m, s);
      return true;
    });
  }

  /** Members and scores in order (copies). */
  entries(): { members: string[]; scores: number[] } {
    const members: string[] = [];
    const scores: number[] = [];
    this.forEach((m, s) => {
      members.push(m);
      scores.push(s);
    });
    return { members, scores };
  }

  /** Rank of the first entry satisfying a monotonic predicate (size if none). */
  private lowerBound(pred: EntryPredicate): number {
    if (this.tree !== null) return this.tree.countBefore(pred);
    const members = this.members;
    const scores = this.scores;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(scores[mid]!, members[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Rank of the first entry in a score range, or -1 (Redis's zslFirstInRange / zzlFirstInRange). */
  firstInScoreRange(range: ScoreRange): number {
    const n = this.size;
    if (n === 0 || scoreRangeEmpty(range)) return -1;
    const r = this.lowerBound((s) => scoreGteMin(s, range));
    return r < n && scoreLteMax(this.scoreAt(r), range) ? r : -1;
  }

  /** Rank of the last entry in a score range, or -1 (Redis's zslLastInRange / zzlLastInRange). */
  lastInScoreRange(range: ScoreRange): number {
    const n = this.size;
    if (n === 0 || scoreRangeEmpty(range)) return -1;
    const r = this.lowerBound((s) => !scoreLteMax(s, range)) - 1;
    return r >= 0 && scoreGteMin(this.scoreAt(r), range) ? r : -1;
  }

  /**
   * Rank of the first entry in a lex range, or -1. A listpack scans from the head as Redis's
   * zzlFirstInLexRange does (exact even when scores differ); the tree seeks by member, which is
   * what Redis's skiplist does when all scores are equal (the only case Redis defines).
   */
  firstInLexRange(range: LexRange): number {
    const n = this.size;
    if (n === 0 || lexRangeEmpty(range)) return -1;
    if (this.tree === null) {
      const members = this.members;
      if (!lexGteMin(members[n - 1]!, range) || !lexLteMax(members[0]!, range)) return -1;
      for (let i = 0; i < n; i++) {
        if (lexGteMin(members[i]!, range)) return lexLteMax(members[i]!, range) ? i : -1;
      }
      return -1;
    }
    const r = this.tree.countBefore((_s, m) => lexGteMin(m, range));
    return r < n && lexLteMax(this.memberAt(r), range) ? r : -1;
  }

  /** Rank of the last entry in a lex range, or -1 (see {@link firstInLexRange}). */
  lastInLexRange(range: LexRange): number {
    const n = this.size;
    if (n === 0 || lexRangeEmpty(range)) return -1;
    if (this.tree === null) {
      const members = this.members;
      if (!lexGteMin(members[n - 1]!, range) || !lexLteMax(members[0]!, range)) return -1;
      for (let i = n - 1; i >= 0; i--) {
        if (lexLteMax(members[i]!, range)) return lexGteMin(members[i]!, range) ? i : -1;
      }
      return -1;
    }
    const r = this.tree.countBefore((_s, m) => !lexLteMax(m, range)) - 1;
    return r >= 0 && lexGteMin(this.memberAt(r), range) ? r : -1;
  }

  /** Removes the entries with ranks start..end (inclusive, valid ranks); returns how many. */
  removeRankRange(start: number, end: number): number {
    const count = end - start + 1;
    if (count <= 0) return 0;
    if (this.tree === null) {
      this.members.splice(start, count);
      this.scores.splice(start, count);
      return count;
    }
    const slots = this.slots!;
    this.tree.removeAt(start, count, (m) => this.removeSlot(slots.get(m)!));
    return count;
  }

  /**
   * Removes the entries in a score range (Redis's zzlDeleteRangeByScore / zslDeleteRangeByScore:
   * from the first in range, while within the maximum); returns how many.
   */
  removeScoreRange(range: ScoreRange): number {
    const first = this.firstInScoreRange(range);
    if (first < 0) return 0;
    let end = first;
    if (this.tree === null) {
      while (end + 1 < this.size && scoreLteMax(this.scores[end + 1]!, range)) end++;
    } else {
      end = this.tree.countBefore((s) => !scoreLteMax(s, range)) - 1;
    }
    return this.removeRankRange(first, end);
  }

  /** Removes the entries in a lex range (as {@link removeScoreRange}); returns how many. */
  removeLexRange(range: LexRange): number {
    const first = this.firstInLexRange(range);
    if (first < 0) return 0;
    let end = first;
    if (this.tree === null) {
      while (end + 1 < this.size && lexLteMax(this.members[end + 1]!, range)) end++;
    } else {
      end = Math.max(first, this.tree.countBefore((_s, m) => !lexLteMax(m, range)) - 1);
    }
    return this.removeRankRange(first, end);
  }

  /**
   * One ZSCAN step. A listpack returns every entry at once, in order, and cursor 0 (Redis ignores
   * the cursor for listpacks). A skiplist walks slots downwards from `cursor` (0 starts at the
   * top) and visits `count` members; the returned cursor is 0 when done.
   */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    const members = this.members;
    const scores = this.scores;
    if (this.tree === null) {
      for (let i = 0; i < members.length; i++) visit(members[i]!, scores[i]!);
      return 0;
    }
    let next = cursor === 0 ? members.length : Math.min(cursor, members.length);
    for (let n = 0; n < count && next > 0; n++) {
      next--;
      visit(members[next]!, scores[next]!);
    }
    return next;
  }

  /**
   * A uniformly random entry's position for {@link memberAtPosition} / {@link scoreAtPosition}:
   * a rank (listpack) or a slot (skiplist).
   */
  randomPosition(random: Random): number {
    return random.below(this.members.length);
  }

  /** The member at a position from {@link randomPosition} (or any 0 ≤ p < size). */
  memberAtPosition(p: number): string {
    return this.members[p]!;
  }

  /** The score at a position from {@link randomPosition} (or any 0 ≤ p < size). */
  scoreAtPosition(p: number): number {
    return this.scores[p]!;
  }

  /**
   * MEMORY USAGE after Redis 7.0's objectComputeSize. A listpack is exact: the robj plus the
   * listpack's allocation (its encoded entries, as {@link listpackBytes} computes them). A skiplist
   * is estimated: the fixed structures (robj, zset, zskiplist, dict and its bucket array, the
   * 32-level header node) plus the average of the first `samples` entries (member sds, dict entry,
   * skiplist node) times the size. Node sizes depend on Redis's random levels; the expected size
   * (about 53 bytes with jemalloc's rounding) is used.
   */
  memoryUsage(samples: number): number {
    const ROBJ = 16;
    if (this.tree === null) return ROBJ + jemallocSize(this.listpackBytes());
    const n = this.members.length;
    const slots = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, n))));
    // robj + zset + zskiplist + dict + buckets + header node (24 + 32 levels × 16 bytes).
    let size = ROBJ + 16 + 32 + 56 + 8 * slots + jemallocSize(24 + 32 * 16);
    const sampled = Math.min(samples, n);
    if (sampled > 0) {
      let bytes = 0;
      this.walk(0, false, (m, _s) => {
        bytes += sdsSize(m.length) + 24 + EXPECTED_NODE_BYTES;
        return --samples > 0;
      });
      size += Math.floor((bytes / sampled) * n);
    }
    return size;
  }

  /** Bytes of the listpack Redis would hold for this (listpack-encoded) set. */
  listpackBytes(): number {
    let bytes = 7; // 6-byte header and the end byte
    const members = this.members;
    const scores = this.scores;
    for (let i = 0; i < members.length; i++) {
      bytes += listpackEntrySize(members[i]!);
      const score = scores[i]!;
      bytes += listpackScoreIsInteger(score)
        ? listpackIntEntrySize(score)
        : listpackEntrySize(formatDouble(score));
    }
    return bytes;
  }

  /** Checks internal consistency (tests). */
  check(): void {
    if (this.tree === null) {
      for (let i = 1; i < this.members.length; i++) {
        if (
          compareEntries(this.scores[i - 1]!, this.members[i - 1]!, this.scores[i]!, this.members[i]!) >= 0
        ) {
          throw new Error("listpack out of order");
        }
      }
      return;
    }
    this.tree.check();
    if (this.tree.size !== this.members.length || this.slots!.size !== this.members.length) {
      throw new Error("slot arrays and tree differ in size");
    }
    for (let i = 0; i < this.members.length; i++) {
      if (this.slots!.get(this.members[i]!) !== i) throw new Error("slot map out of date");
      if (this.tree.rankOf(this.scores[i]!, this.members[i]!) < 0) throw new Error("member missing in tree");
    }
  }
}

/**
 * Expected jemalloc size of a skiplist node (24 bytes + 16 per level, levels geometric with
 * p = 1/4): 3/4 × 48 + 3/16 × 64 + 3/64 × 80 + ...
 */
const EXPECTED_NODE_BYTES = (() => {
  let expected = 0;
  let p = 0.75;
  for (let level = 1; level <= 32; level++) {
    expected += p * jemallocSize(24 + 16 * level);
    p *= 0.25;
  }
  return expected;
})();

/** jemalloc's usable size for a request of `n` bytes (its size classes on 64-bit). */
function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const base = 2 ** Math.floor(Math.log2(n - 1));
  const step = base / 4;
  return Math.ceil(n / step) * step;
}

/** Allocation of an sds holding `len` bytes made by sdsnewlen (type 5 headers below 32 bytes). */
function sdsSize(len: number): number {
  const header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return jemallocSize(header + len + 1);
}

/** Bytes of a listpack entry's back-length for an entry body of `body` bytes. */
function backlenSize(body: number): number {
  return body <= 127 ? 1 : body < 16383 ? 2 : body < 2097151 ? 3 : body < 268435455 ? 4 : 5;
}

/** Bytes of an integer listpack entry (the smallest integer encoding), back-length included. */
function listpackIntEntrySize(v: number): number {
  const body =
    v >= 0 && v <= 127
      ? 1
      : v >= -4096 && v <= 4095
        ? 2
        : v >= -32768 && v <= 32767
          ? 3
          : v >= -8388608 && v <= 8388607
            ? 4
            : v >= -2147483648 && v <= 2147483647
              ? 5
              : 9;
  return body + backlenSize(body);
}

/** Bytes of a listpack entry holding `text` (stored as an integer when it is one), back-length included. */
function listpackEntrySize(text: string): number {
  if (isIntsetMember(text)) return listpackIntEntrySize(Number(text));
  const n = text.length;
  const body = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  return body + backlenSize(body);
}
