/**
 * SORT and SORT_RO, following Redis 7.0's sortCommandGeneric (src/sort.c):
 *
 * - Options are parsed left to right before the key is looked up; keywords are matched like C's
 *   strcasecmp, i.e. only up to a NUL byte. A BY pattern without `*` (again up to a NUL) sets
 *   "don't sort" for good: a later BY with a `*` replaces the pattern but does not sort again.
 * - Lists and sorted sets that are not sorted come out in their own order (reversed by DESC), with
 *   LIMIT applied while reading; sets come out in iteration order, except with STORE, where Redis
 *   forces an ALPHA sort for determinism (scripts would too; reddish has no scripting yet).
 * - Sorting a sorted set converts it to the skiplist encoding, even with SORT_RO (as Redis does).
 * - Numeric weights are parsed like glibc's strtod (leading white space, hex, inf, stopping at a
 *   NUL byte, ERANGE on overflow and on inexact underflow); missing BY values weigh 0.
 * - ALPHA compares with strcoll in the C / C.UTF-8 locale, i.e. bytes up to the first NUL, except
 *   with STORE, which compares whole strings; numeric ties fall back to comparing the elements.
 * - A full sort is glibc's qsort (a stable merge sort: ties keep the load order); a BY sort with a
 *   LIMIT that leaves elements out is Redis's partial quicksort, reproduced here step by step so
 *   ties come out as they do in Redis.
 */
import { RedisError, SortErr, Err } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { HashValue } from "../types/hash.js";
import { ListValue } from "../types/list.js";
import { SetValue } from "../types/set.js";
import { RawString, stringBytes } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { ZsetValue } from "../types/zset.js";
import { readInt, syntaxError } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** A string as C's string functions see it: up to the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** Binary comparison of two byte strings (Redis's compareStringObjects: memcmp, then length). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- strtod ----

/** The smallest normal double (DBL_MIN). */
const DBL_MIN = 2 ** -1022;
/** Largest value (times 2^-1076) that is still "tiny" after rounding to DBL_MIN: DBL_MIN - 2^-1076. */
const TINY_LIMIT_1076 = (1n << 54n) - 1n;
const SMALL_INT_RE = /^-?\d{1,15}$/;
const DECIMAL_RE = /^[+-]?(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;

/** C's isspace in the C locale. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Sign of (m · 2^e2 − x · 2^-1076) for non-negative bigints `m`, `x`: the exact comparison of a
 * binary value with a multiple of 2^-1076.
 */
function compareBinary(m: bigint, e2: number, x: bigint): number {
  const s = e2 + 1076;
  const lhs = s >= 0 ? m << BigInt(s) : m;
  const rhs = s >= 0 ? x : x << BigInt(-s);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/** Sign of (d · 10^e10 − x · 2^-1076) for non-negative bigints `d`, `x`. */
function compareDecimal(d: bigint, e10: number, x: bigint): number {
  let lhs = d << 1076n;
  let rhs = x;
  if (e10 >= 0) lhs *= 10n ** BigInt(e10);
  else rhs *= 10n ** BigInt(-e10);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/**
 * glibc's underflow rule for a rounded result `r` of a non-zero exact value: ERANGE when the value
 * is tiny after rounding (below DBL_MIN with unbounded exponent) and the result is inexact.
 * `compare(x)` gives the sign of |value| − x·2^-1076. Returns true when strtod sets ERANGE.
 */
function underflows(r: number, compare: (x: bigint) => number): boolean {
  const a = Math.abs(r);
  if (a === 0) return true;
  if (a > DBL_MIN) return false;
  if (a === DBL_MIN) return compare(TINY_LIMIT_1076) < 0;
  return compare(BigInt(a / Number.MIN_VALUE) * 4n) !== 0;
}

/** A decimal (already matched by {@link DECIMAL_RE}) as strtod converts it; undefined on ERANGE. */
function decimalValue(text: string, m: RegExpExecArray): number | undefined {
  const r = Number(text);
  if (!Number.isFinite(r)) return undefined;
  const a = Math.abs(r);
  if (a > DBL_MIN) return r;
  const intDigits = m[1] ?? "";
  const fracDigits = m[2] ?? m[3] ?? "";
  const digits = (intDigits + fracDigits).replace(/^0+/, "");
  if (digits === "") return r; // an exact zero
  if (a === 0) return undefined;
  const e10 = Number(m[4] ?? "0") - fracDigits.length;
  const d = BigInt(digits);
  return underflows(r, (x) => compareDecimal(d, e10, x)) ? undefined : r;
}

/** A hexadecimal float (matched by {@link HEX_RE}), rounded to nearest even; undefined on ERANGE. */
function hexValue(m: RegExpExecArray): number | undefined {
  const negative = m[1] === "-";
  const intDigits = m[2] ?? "";
  const fracDigits = m[3] ?? m[4] ?? "";
  const mantissa = BigInt("0x" + (intDigits + fracDigits || "0"));
  if (mantissa === 0n) return negative ? -0 : 0;
  const e2 = Number(m[5] ?? "0") - 4 * fracDigits.length;
  const top = mantissa.toString(2).length - 1 + e2;
  if (top > 1024 || top < -1100) return undefined; // certain overflow or underflow to zero
  const q = Math.max(top - 52, -1074);
  const shift = q - e2;
  let k: bigint;
  let inexact = false;
  if (shift <= 0) {
    k = mantissa << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    k = mantissa >> s;
    const rest = mantissa - (k << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (k & 1n) === 1n)) k++;
    inexact = rest !== 0n;
  }
  const r = Number(k) * 2 ** q;
  if (!Number.isFinite(r)) return undefined;
  if (inexact && underflows(r, (x) => compareBinary(mantissa, e2, x))) return undefined;
  return negative ? -r : r;
}

/**
 * A weight as Redis's SORT reads it: `strtod(s, &end)` accepted only if `end` reached the C
 * string's end (a NUL byte ends it early), errno is not ERANGE, and the result is not NaN.
 * Returns undefined when Redis reports a conversion error.
 */
export function sortWeight(raw: string): number | undefined {
  if (SMALL_INT_RE.test(raw)) return Number(raw);
  const s = cString(raw);
  if (s.length === 0) return 0; // nothing converted, but the end pointer is at the NUL
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  const t = s.slice(i);
  let m = DECIMAL_RE.exec(t);
  if (m !== null) return decimalValue(t, m);
  m = HEX_RE.exec(t);
  if (m !== null) return hexValue(m);
  if (INF_RE.test(t)) return t.charCodeAt(0) === 45 /* - */ ? -Infinity : Infinity;
  return undefined;
}

// ---- Redis's partial quicksort (pqsort.c: Bentley & McIlroy, skipping parts outside a range) ----

type Compare<T> = (a: T, b: T) => number;

/**
 * Sorts `v` enough that positions `lrange..rrange` (inclusive, lrange ≤ rrange) hold what a full
 * sort would put there, making exactly the swaps Redis's pqsort makes, so that elements comparing
 * equal end up in the same order as in Redis.
 */
export function partialQuicksort<T>(v: T[], cmp: Compare<T>, lrange: number, rrange: number): void {
  const swap = (i: number, j: number): void => {
    const t = v[i]!;
    v[i] = v[j]!;
    v[j] = t;
  };
  const at = (i: number, j: number): number => cmp(v[i]!, v[j]!);
  const med3 = (a: number, b: number, c: number): number =>
    at(a, b) < 0 ? (at(b, c) < 0 ? b : at(a, c) < 0 ? c : a) : at(b, c) > 0 ? b : at(a, c) < 0 ? a : c;
  const insertionSort = (base: number, n: number): void => {
    for (let pm = base + 1; pm < base + n; pm++) {
      for (let pl = pm; pl > base && at(pl - 1, pl) > 0; pl--) swap(pl, pl - 1);
    }
  };
  /** True if [first, last] overlaps the wanted range. */
  const wanted = (first: number, last: number): boolean => !(rrange < first || lrange > last);

  const sortPart = (base: number, n: number): void => {
    for (;;) {
      if (n < 7) return insertionSort(base, n);
      let pm = base + Math.floor(n / 2);
      if (n > 7) {
        let pl = base;
        let pn = base + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(base, pm);
      let pa = base + 1;
      let pb = pa;
      let pc = base + n - 1;
      let pd = pc;
      let swapped = false;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = at(pb, base)) <= 0) {
          if (r === 0) {
            swapped = true;
            swap(pa++, pb);
          }
          pb++;
        }
        while (pb <= pc && (r = at(pc, base)) >= 0) {
          if (r === 0) {
            swapped = true;
            swap(pc, pd--);
          }
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
        swapped = true;
      }
      if (!swapped) return insertionSort(base, n);
      const end = base + n;
      let r = Math.min(pa - base, pb - pa);
      for (let i = 0; i < r; i++) swap(base + i, pb - r + i);
      r = Math.min(pd - pc, end - pd - 1);
      for (let i = 0; i < r; i++) swap(pb + i, end - r + i);
      r = pb - pa;
      if (r > 1 && wanted(base, base + r - 1)) sortPart(base, r);
      r = pd - pc;
      if (r <= 1) return;
      base = end - r;
      n = r;
      if (!wanted(base, base + n - 1)) return;
    }
  };
  sortPart(0, v.length);
}

// ---- patterns ----

/**
 * Redis's lookupKeyByPattern: `#` is the element itself; otherwise the first `*` is replaced by the
 * element and, if `->field` follows it, the field of that hash is read, else the string value.
 * Missing keys, fields and keys of the wrong type give null; a pattern without `*` gives null
 * without any lookup. Lookups are reads (keyspace hits/misses, lazy expiry).
 */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  const spat = cString(pattern);
  if (spat === "#") return subst;
  const star = spat.indexOf("*");
  if (star < 0) return null;
  const arrow = spat.indexOf("->", star + 1);
  const hasField = arrow >= 0 && arrow + 2 < spat.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, hasField ? arrow : pattern.length);
  const value = c.db.lookupRead(key);
  if (value === undefined) return null;
  if (hasField) {
    if (!(value instanceof HashValue)) return null;
    const field = pattern.slice(arrow + 2);
    // A hash field whose TTL passed (Redis 7.4's field expiry) reads as missing.
    if (value.tracksFieldExpiry && value.isFieldExpired(field, c.server.clock.now())) return null;
    return value.get(field) ?? null;
  }
  if (typeof value === "string") return value;
  return value instanceof RawString ? stringBytes(value) : null;
}

// ---- the command ----

/** One element to sort, with its weight. */
interface SortItem {
  obj: string;
  /** Numeric weight (0 when the BY value is missing). */
  score: number;
  /** ALPHA comparison string; null when the BY value is missing. */
  key: string | null;
}

/** The parsed options. */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  dontSort: boolean;
  sortBy: string | null;
  storeKey: string | null;
  gets: string[];
}

/** Parses the options like sortCommandGeneric's loop (first error wins). */
function parseOptions(argv: readonly string[], readonly: boolean): SortOptions {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    dontSort: false,
    sortBy: null,
    storeKey: null,
    gets: [],
  };
  for (let j = 2; j < argv.length; j++) {
    const word = cString(argv[j]!).toLowerCase();
    const left = argv.length - j - 1;
    if (word === "asc") {
      o.desc = false;
    } else if (word === "desc") {
      o.desc = true;
    } else if (word === "alpha") {
      o.alpha = true;
    } else if (word === "limit" && left >= 2) {
      o.limitStart = readInt(argv[j + 1]!);
      o.limitCount = readInt(argv[j + 2]!);
      j += 2;
    } else if (!readonly && word === "store" && left >= 1) {
      o.storeKey = argv[++j]!;
    } else if (word === "by" && left >= 1) {
      o.sortBy = argv[++j]!;
      if (!cString(o.sortBy).includes("*")) o.dontSort = true;
    } else if (word === "get" && left >= 1) {
      o.gets.push(argv[++j]!);
    } else {
      syntaxError();
    }
  }
  return o;
}

/** The comparison Redis's sortCompare makes for these options. */
function comparator(o: SortOptions): Compare<SortItem> {
  let cmp: Compare<SortItem>;
  if (!o.alpha) {
    cmp = (a, b) => (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.obj, b.obj));
  } else {
    cmp = (a, b) => {
      if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? -1 : 1;
      return compareBytes(a.key, b.key);
    };
  }
  return o.desc ? (a, b) => -cmp(a, b) : cmp;
}

/** Redis's sortCommandGeneric. */
function sortGeneric(c: Client, readonly: boolean): void {
  const o = parseOptions(c.argv, readonly);
  const found: RedisValue | undefined = c.db.lookupRead(c.argv[1]!);
  let source: ListValue | SetValue | ZsetValue;
  if (found === undefined) source = new ListValue();
  else if (found instanceof ListValue || found instanceof SetValue || found instanceof ZsetValue)
    source = found;
  else throw new RedisError(Err.wrongType);

  // An unsorted set would come out in hash order: STORE (and scripts) sort it for determinism.
  if (o.dontSort && source instanceof SetValue && o.storeKey !== null) {
    o.dontSort = false;
    o.alpha = true;
    o.sortBy = null;
  }
  if (source instanceof ZsetValue) source.convertToSkiplist();

  const length = source instanceof ListValue ? source.length : source.size;
  let start = Math.min(Math.max(o.limitStart, 0), length);
  const count = Math.min(Math.max(o.limitCount, -1), length);
  let end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  // Load the elements; unsorted lists and sorted sets load just the LIMIT range, in their order.
  let objs: string[];
  if (o.dontSort && !(source instanceof SetValue)) {
    objs = [];
    if (end >= start) {
      const n = end - start + 1;
      const first = o.desc ? length - 1 - start : start;
      if (source instanceof ListValue) {
        if (o.desc) source.forRange(first - n + 1, first, true, (e) => objs.push(e));
        else source.forRange(first, first + n - 1, false, (e) => objs.push(e));
      } else {
        source.walk(first, o.desc, (m) => objs.push(m) < n);
      }
    }
    end -= start;
    start = 0;
  } else if (source instanceof ListValue) {
    objs = source.toArray();
  } else if (source instanceof SetValue) {
    objs = source.toArray();
  } else {
    objs = source.entries().members;
  }

  let items: SortItem[] = objs.map((obj) => ({ obj, score: 0, key: null }));
  if (!o.dontSort) {
    let conversionError = false;
    const collate = o.storeKey === null; // strcoll (C locale) unless storing
    for (const item of items) {
      let by: string | null;
      if (o.sortBy !== null) {
        by = lookupByPattern(c, o.sortBy, item.obj);
        if (by === null) continue;
      } else {
        by = item.obj;
      }
      if (o.alpha) {
        item.key = collate ? cString(by) : by;
      } else {
        const w = sortWeight(by);
        if (w === undefined) conversionError = true;
        else item.score = w;
      }
    }
    if (conversionError) throw new RedisError(SortErr.notDouble);
    // Nothing is output when end < start, so the order is then irrelevant.
    if (end >= start) {
      const cmp = comparator(o);
      if (o.sortBy !== null && (start !== 0 || end !== items.length - 1)) {
        partialQuicksort(items, cmp, start, end);
      } else {
        items = items.sort(cmp);
      }
    }
  }

  const rows = Math.max(end - start + 1, 0);
  const outputLength = o.gets.length ? o.gets.length * rows : rows;
  if (o.storeKey === null) {
    c.reply.array(outputLength);
    for (let j = start; j <= end; j++) {
      const obj = items[j]!.obj;
      if (o.gets.length === 0) c.reply.bulk(obj);
      for (const pattern of o.gets) {
        const v = lookupByPattern(c, pattern, obj);
        if (v === null) c.reply.nullBulk();
        else c.reply.bulk(v);
      }
    }
    return;
  }
  const stored = new ListValue();
  for (let j = start; j <= end; j++) {
    const obj = items[j]!.obj;
    if (o.gets.length === 0) stored.pushTail(obj);
    for (const pattern of o.gets) stored.pushTail(lookupByPattern(c, pattern, obj) ?? "");
  }
  if (outputLength > 0) {
    c.db.setKey(o.storeKey, stored);
    c.server.keyspace.notify(c.db, NotifyClass.list, "sortstore", o.storeKey);
  } else if (c.db.delete(o.storeKey)) {
    c.server.keyspace.notify(c.db, NotifyClass.generic, "del", o.storeKey);
  }
  c.reply.integer(outputLength);
}

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC | DESC] [ALPHA] [STORE destination] */
export function sortCommand(c: Client): void {
  sortGeneric(c, false);
}

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC | DESC] [ALPHA] */
export function sortroCommand(c: Client): void {
  sortGeneric(c, true);
}

/** The SORT family's command definitions. */
export const sortCommands: CommandDefinition[] = [
  { name: "sort", handler: sortCommand },
  { name: "sort_ro", handler: sortroCommand },
];
