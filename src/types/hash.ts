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
 */
import type { Random } from "../keyspace/random.js";
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

  /** Number of fields. */
  get size(): number {
    return this.items.length >> 1;
  }

  /** True while the hash is in its compact (listpack) form. */
  get isListpack(): boolean {
    return this.index === null;
  }

  /** OBJECT ENCODING's answer. */
  encoding(): "listpack" | "hashtable" {
    return this.index === null ? "listpack" : "hashtable";
  }

  /** A deep copy with the same encoding and order (COPY). */
  clone(): HashValue {
    const copy = new HashValue();
    copy.items = this.items.slice();
    if (this.index !== null) copy.index = new Map(this.index);
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
   * long for a listpack or the hash outgrows it. Returns true if the field was new.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.index === null && (field.length > limits.maxValue || value.length > limits.maxValue)) {
      this.convertToHashtable();
    }
    const slot = this.slotOf(field);
    if (slot >= 0) {
      this.items[2 * slot + 1] = value;
      return false;
    }
    const newSlot = this.items.length >> 1;
    this.items.push(field, value);
    if (this.index !== null) this.index.set(field, newSlot);
    else if (newSlot + 1 > limits.maxEntries) this.convertToHashtable();
    return true;
  }

  /** Deletes a field; returns false if it was absent. */
  delete(field: string): boolean {
    const slot = this.slotOf(field);
    if (slot < 0) return false;
    const items = this.items;
    if (this.index === null) {
      items.splice(2 * slot, 2);
      return true;
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
    return true;
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
