/**
 * The hash value type. Like Redis, a hash starts in a compact "listpack" form and converts, once
 * and for good, to a "hashtable" when it grows past `hash-max-listpack-entries` fields or is given
 * a field or value longer than `hash-max-listpack-value` bytes.
 *
 * Both forms keep fields and values interleaved in one dense array (`[f0, v0, f1, v1, ...]`):
 * - listpack: insertion order, like Redis's listpack, so HGETALL/HKEYS/HVALS/HSCAN of small
 *   hashes reply in Redis's exact order; lookups scan the array (O(n) for n bounded by the
 *   listpack limits, as in Redis) and deletes close the gap, keeping the order.
 * - hashtable: a Map from field to pair slot gives O(1) lookups; deletes move the last pair into
 *   the hole, which keeps the array dense for O(1) random fields (HRANDFIELD) and gives HSCAN a
 *   stateless cursor: walking slots downwards visits every field present for the whole scan.
 *
 * Fields and values are latin1 ("binary") strings: one char per byte.
 *
 * Per-field expiry (Redis 7.4's HEXPIRE family; reddish's reference server, 7.0, predates it, so
 * this follows Redis 7.4's documentation and source): a hash gets a {@link FieldExpiry} the first
 * time a field TTL is set on it, and keeps it (Redis likewise keeps the "listpackex" encoding and
 * the HFE metadata). Hashes that never had one pay nothing. While a listpack, such a hash keeps
 * Redis's listpackex order: fields with a TTL first, by ascending expiry, then the others in
 * insertion order. Expired fields stay stored until the command layer reclaims them (lazily on
 * access, or by the active expiry cycle); this class only answers what is expired at a time.
 */
import type { Random } from "../keyspace/random.js";
import { FieldExpiry } from "./field-expiry.js";
import type { CollectionValue } from "./value.js";

/** The listpack limits, from `hash-max-listpack-entries` and `hash-max-listpack-value`. */
export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

export class HashValue implements CollectionValue {
  readonly type = "hash" as const;
  /** Fields and values interleaved: field of slot i at 2i, its value at 2i+1. */
  private items: string[] = [];
  /** Field → slot; null while listpack-encoded. */
  private index: Map<string, number> | null = null;
  /** Field expiry times; null until a field TTL is first set (no cost for other hashes). */
  private ttl: FieldExpiry | null = null;

  /** Number of fields. */
  get size(): number {
    return this.items.length >> 1;
  }

  /** True while the hash is in its compact (listpack) form. */
  get isListpack(): boolean {
    return this.index === null;
  }

  /** OBJECT ENCODING's answer (`listpackex` once a small hash has had field TTLs, as Redis 7.4). */
  encoding(): "listpack" | "listpackex" | "hashtable" {
    if (this.index !== null) return "hashtable";
    return this.ttl === null ? "listpack" : "listpackex";
  }

  /** A deep copy with the same encoding, order and field TTLs (COPY). */
  clone(): HashValue {
    const copy = new HashValue();
    copy.items = this.items.slice();
    if (this.index !== null) copy.index = new Map(this.index);
    if (this.ttl !== null) copy.ttl = this.ttl.clone();
    return copy;
  }

  /** The slot of a field, or -1. */
  private slotOf(field: string): number {
    if (this.index !== null) return this.index.get(field) ?? -1;
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === field) return i >> 1;
    return -1;
  }

  /** A field's value, or undefined. */
  get(field: string): string | undefined {
    const slot = this.slotOf(field);
    return slot < 0 ? undefined : this.items[2 * slot + 1];
  }

  has(field: string): boolean {
    return this.slotOf(field) >= 0;
  }

  /** Converts to the hashtable form (one way, as in Redis). */
  convertToHashtable(): void {
    if (this.index !== null) return;
    const index = new Map<string, number>();
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) index.set(items[i]!, i >> 1);
    this.index = index;
  }

  /**
   * Redis's hashTypeTryConversion: converts before a write if any of `args[start..]` is longer
   * than the listpack value limit.
   */
  convertForArgs(args: readonly string[], start: number, limits: HashLimits): void {
    if (this.index !== null) return;
    for (let i = start; i < args.length; i++) {
      if (args[i]!.length > limits.maxValue) {
        this.convertToHashtable();
        return;
      }
    }
  }

  /**
   * Sets a field (Redis's hashTypeSet), converting to a hashtable if the field or value is too
   * long for a listpack or the hash outgrows it. Returns true if the field was new. Overwriting a
   * field clears its TTL (HSET) unless `keepTtl` (HINCRBY, HINCRBYFLOAT), as in Redis 7.4.
   */
  set(field: string, value: string, limits: HashLimits, keepTtl = false): boolean {
    if (this.index === null && (field.length > limits.maxValue || value.length > limits.maxValue)) {
      this.convertToHashtable();
    }
    const slot = this.slotOf(field);
    if (slot >= 0) {
      this.items[2 * slot + 1] = value;
      if (!keepTtl && this.ttl !== null) this.persistField(field);
      return false;
    }
    const newSlot = this.items.length >> 1;
    this.items.push(field, value);
    if (this.index !== null) this.index.set(field, newSlot);
    else if (newSlot + 1 > limits.maxEntries) this.convertToHashtable();
    return true;
  }

  /** Deletes a field (and its TTL); returns false if it was absent. */
  delete(field: string): boolean {
    const slot = this.slotOf(field);
    if (slot < 0) return false;
    this.ttl?.delete(field);
    this.removeSlot(field, slot);
    return true;
  }

  /** Removes the pair in `slot` (holding `field`), keeping listpack order. */
  private removeSlot(field: string, slot: number): void {
    const items = this.items;
    if (this.index === null) {
      items.splice(2 * slot, 2);
      return;
    }
    const last = (items.length >> 1) - 1;
    if (slot !== last) {
      const moved = items[2 * last]!;
      items[2 * slot] = moved;
      items[2 * slot + 1] = items[2 * last + 1]!;
      this.index.set(moved, slot);
    }
    items.length -= 2;
    this.index.delete(field);
  }

  // ---- per-field expiry (Redis 7.4) ----

  /** True once field expiry is enabled on this hash (even if no field has a TTL now). */
  get tracksFieldExpiry(): boolean {
    return this.ttl !== null;
  }

  /** Number of fields that currently have a TTL. */
  get volatileFieldCount(): number {
    return this.ttl === null ? 0 : this.ttl.size;
  }

  /**
   * Enables field expiry (Redis converts to listpackex, or attaches HFE metadata to the dict, as
   * soon as an HEXPIRE-family command touches an existing hash, whether or not a TTL is set).
   */
  enableFieldExpiry(): void {
    this.ttl ??= new FieldExpiry();
  }

  /** A field's absolute expiry (Unix ms), or undefined when it has none. */
  fieldExpireAt(field: string): number | undefined {
    return this.ttl === null ? undefined : this.ttl.get(field);
  }

  /** True if the field exists with a TTL that has passed at `now` (expired once now > when). */
  isFieldExpired(field: string, now: number): boolean {
    if (this.ttl === null) return false;
    const when = this.ttl.get(field);
    return when !== undefined && when < now;
  }

  /** True if some field's TTL has passed at `now`. O(1). */
  hasExpiredFields(now: number): boolean {
    return this.ttl !== null && this.ttl.minWhen() < now;
  }

  /** The earliest field expiry (Unix ms), or Infinity. */
  nextFieldExpiry(): number {
    return this.ttl === null ? Infinity : this.ttl.minWhen();
  }

  /**
   * Sets the TTL of an existing field. While a listpack, the pair moves to its place in expiry
   * order (before the first field with no TTL or a later-or-equal one), as Redis's listpackex.
   */
  setFieldExpire(field: string, when: number): void {
    const slot = this.slotOf(field);
    if (slot < 0) return;
    this.ttl ??= new FieldExpiry();
    const ttl = this.ttl;
    if (this.index !== null) {
      ttl.set(field, when);
      return;
    }
    const value = this.items[2 * slot + 1]!;
    this.items.splice(2 * slot, 2);
    ttl.set(field, when);
    const items = this.items;
    let at = items.length;
    for (let i = 0; i < items.length; i += 2) {
      const other = ttl.get(items[i]!);
      if (other === undefined || other >= when) {
        at = i;
        break;
      }
    }
    items.splice(at, 0, field, value);
  }

  /**
   * Removes a field's TTL; returns false if it had none. A listpack moves the pair to the end
   * (Redis's listpackExPersist), with the fields that have no TTL.
   */
  persistField(field: string): boolean {
    if (this.ttl === null || !this.ttl.delete(field)) return false;
    if (this.index === null) {
      const slot = this.slotOf(field);
      const value = this.items[2 * slot + 1]!;
      this.items.splice(2 * slot, 2);
      this.items.push(field, value);
    }
    return true;
  }

  /**
   * Deletes up to `max` fields whose TTL passed at `now`, earliest first, calling `onExpire` for
   * each. Returns how many were deleted.
   */
  expireFields(now: number, max = Infinity, onExpire?: (field: string) => void): number {
    const ttl = this.ttl;
    if (ttl === null) return 0;
    let n = 0;
    while (n < max && ttl.size > 0 && ttl.minWhen() < now) {
      const field = ttl.minField();
      this.delete(field);
      onExpire?.(field);
      n++;
    }
    return n;
  }

  /** The field in a slot (0 ≤ slot < size). */
  fieldAt(slot: number): string {
    return this.items[2 * slot]!;
  }

  /** The value in a slot (0 ≤ slot < size). */
  valueAt(slot: number): string {
    return this.items[2 * slot + 1]!;
  }

  /** A uniformly random slot; the hash must not be empty. */
  randomSlot(random: Random): number {
    return random.below(this.items.length >> 1);
  }

  /**
   * `count` distinct uniformly random slots (count < size), in random order: a partial
   * Fisher-Yates shuffle over a sparse permutation, O(count) time and space.
   */
  randomDistinctSlots(count: number, random: Random): number[] {
    const n = this.items.length >> 1;
    const swapped = new Map<number, number>();
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const j = i + random.below(n - i);
      const atJ = swapped.get(j) ?? j;
      const atI = swapped.get(i) ?? i;
      swapped.set(j, atI);
      out.push(atJ);
    }
    return out;
  }

  /** Calls `visit` for every field in iteration order (insertion order while a listpack). */
  forEach(visit: (field: string, value: string) => void): void {
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) visit(items[i]!, items[i + 1]!);
  }

  /**
   * One HSCAN step. A listpack hash is returned whole, in order, with cursor 0 (as Redis does,
   * whatever the cursor). A hashtable walks slots downwards from the cursor (0 starts at the top)
   * visiting `count` of them; the returned cursor is 0 when done. Because deletes move the last
   * slot into the hole, every field present for the whole scan is visited at least once.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const items = this.items;
    if (this.index === null) {
      this.forEach(visit);
      return 0;
    }
    const size = items.length >> 1;
    let next = cursor === 0 ? size : Math.min(cursor, size);
    for (let n = 0; n < count && next > 0; n++) {
      next--;
      visit(items[2 * next]!, items[2 * next + 1]!);
    }
    return next;
  }
}
