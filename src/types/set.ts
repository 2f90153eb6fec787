/**
 * Set values. Redis 7.0 has two set encodings, and so does {@link SetValue}:
 *
 * - `intset`: every member is the canonical decimal form of a signed 64-bit integer and there are
 *   at most `set-max-intset-entries` of them. Members are kept in a sorted array (ascending by
 *   integer value, as Redis's intset), so iteration order matches Redis byte for byte. Inserts and
 *   removals shift the array: O(N) for N ≤ 512, as in Redis.
 * - `hashtable`: members live in a dense array with a Map from member to slot; a removal moves the
 *   last member into the hole. This gives O(1) add/remove/lookup, O(1) uniform random members, and
 *   a stateless SSCAN cursor that walks slots downwards (see {@link SetValue.scan}).
 *
 * Conversion is one-way (intset → hashtable), when a non-integer member is added or the intset
 * grows past the limit, exactly when Redis converts. Members are latin1 strings (one char a byte).
 */
import type { CollectionValue } from "./value.js";

const INT64_MAX_DIGITS = "9223372036854775807";
const INT64_MIN_TEXT = "-9223372036854775808";

/**
 * True if `s` is the canonical decimal form of a signed 64-bit integer (Redis's string2ll, which
 * decides whether a member can live in an intset): no sign but `-`, no leading zeros, no `-0`.
 */
export function isIntsetMember(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  const negative = s.charCodeAt(0) === 45; /* - */
  const start = negative ? 1 : 0;
  if (start === n) return false;
  const first = s.charCodeAt(start);
  if (first === 48 /* 0 */) return n === 1;
  if (first < 49 || first > 57) return false;
  for (let i = start + 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const digits = n - start;
  if (digits < 19) return true;
  if (digits > 19) return false;
  return negative ? s <= INT64_MIN_TEXT : s <= INT64_MAX_DIGITS;
}

/**
 * Compares two canonical integer strings by numeric value (negative, zero or positive), without
 * parsing: sign first, then length, then digits.
 */
export function compareIntStrings(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  if (a.length !== b.length) return a.length < b.length !== an ? -1 : 1;
  if (a === b) return 0;
  return a < b !== an ? -1 : 1;
}

/** A Redis set. */
export class SetValue implements CollectionValue {
  readonly type = "set";
  /**
   * The members. Intset-encoded: sorted ascending by integer value. Hashtable-encoded: dense
   * slots, in no particular order.
   */
  private items: string[] = [];
  /** Member → slot in {@link items}; null while intset-encoded. */
  private slots: Map<string, number> | null = null;

  /** Number of members. */
  get size(): number {
    return this.items.length;
  }

  /** OBJECT ENCODING's answer. */
  encoding(): "intset" | "hashtable" {
    return this.slots === null ? "intset" : "hashtable";
  }

  /** True while intset-encoded (iteration order is ascending integer order). */
  get isIntset(): boolean {
    return this.slots === null;
  }

  /**
   * The member at position `i` (0 ≤ i < size), in iteration order: ascending for intsets, slot
   * order for hashtables. Uniform `i` gives a uniformly random member.
   */
  at(i: number): string {
    return this.items[i]!;
  }

  /** A copy of all members in iteration order. */
  toArray(): string[] {
    return this.items.slice();
  }

  /** True if `member` is in the set. */
  has(member: string): boolean {
    if (this.slots !== null) return this.slots.has(member);
    return isIntsetMember(member) && this.intsetSearch(member) >= 0;
  }

  /**
   * Adds a member; returns false if it was already there. `maxIntsetEntries` is the current
   * `set-max-intset-entries`: an intset that grows past it becomes a hashtable.
   */
  add(member: string, maxIntsetEntries: number): boolean {
    if (this.slots !== null) return this.hashAdd(member);
    if (!isIntsetMember(member)) {
      this.convertToHashtable();
      return this.hashAdd(member);
    }
    const pos = this.intsetSearch(member);
    if (pos >= 0) return false;
    this.items.splice(-pos - 1, 0, member);
    if (this.items.length > maxIntsetEntries) this.convertToHashtable();
    return true;
  }

  /** Removes a member; returns false if it was not there. */
  remove(member: string): boolean {
    const slots = this.slots;
    if (slots === null) {
      if (!isIntsetMember(member)) return false;
      const pos = this.intsetSearch(member);
      if (pos < 0) return false;
      this.items.splice(pos, 1);
      return true;
    }
    const slot = slots.get(member);
    if (slot === undefined) return false;
    const last = this.items.length - 1;
    if (slot !== last) {
      const moved = this.items[last]!;
      this.items[slot] = moved;
      slots.set(moved, slot);
    }
    this.items.pop();
    slots.delete(member);
    return true;
  }

  /** Removes the member at position `i` (as {@link at}) and returns it. */
  removeAt(i: number): string {
    const member = this.items[i]!;
    this.remove(member);
    return member;
  }

  /** Converts to the hashtable encoding (one-way). Iteration order is kept at the moment of conversion. */
  convertToHashtable(): void {
    if (this.slots !== null) return;
    const slots = new Map<string, number>();
    const items = this.items;
    for (let i = 0; i < items.length; i++) slots.set(items[i]!, i);
    this.slots = slots;
  }

  /**
   * One SSCAN step. An intset returns every member at once and cursor 0 (Redis ignores the cursor
   * for intsets). A hashtable walks slots downwards from `cursor` (0 starts at the top) and visits
   * `count` members; the returned cursor is 0 when done. Since a removal only moves the highest
   * slot into a hole, every member present for the whole scan is visited at least once.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    const items = this.items;
    if (this.slots === null) {
      for (const m of items) visit(m);
      return 0;
    }
    let next = cursor === 0 ? items.length : Math.min(cursor, items.length);
    for (let n = 0; n < count && next > 0; n++) visit(items[--next]!);
    return next;
  }

  /** A deep copy with the same encoding (Redis's setTypeDup). */
  clone(): SetValue {
    const copy = new SetValue();
    copy.items = this.items.slice();
    if (this.slots !== null) copy.slots = new Map(this.slots);
    return copy;
  }

  private hashAdd(member: string): boolean {
    const slots = this.slots!;
    if (slots.has(member)) return false;
    slots.set(member, this.items.length);
    this.items.push(member);
    return true;
  }

  /**
   * Binary search of an integer member in the sorted intset: its index, or `-(insertion point) - 1`
   * when absent.
   */
  private intsetSearch(member: string): number {
    const items = this.items;
    let lo = 0;
    let hi = items.length - 1;
    // Fast paths for appends in ascending order, as Redis's intsetSearch has.
    if (hi >= 0 && compareIntStrings(member, items[hi]!) > 0) return -(hi + 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareIntStrings(items[mid]!, member);
      if (cmp < 0) lo = mid + 1;
      else if (cmp > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
}
