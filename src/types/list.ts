/**
 * List values. Redis 7.0 stores every list as a `quicklist` (a linked list of listpack nodes):
 * OBJECT ENCODING answers `quicklist` whatever the size (the `listpack` list encoding only arrived
 * in Redis 7.2), and so does {@link ListValue}.
 *
 * Storage is a growable ring buffer: one JS array whose capacity is a power of two, with a head
 * index and a count. Pushes and pops at either end are O(1) without moving other elements
 * (the array is copied only when it doubles or halves, amortised O(1)); index access is O(1);
 * inserts and removals in the middle shift the shorter side.
 *
 * Memory: elements that are the canonical decimal form of a small integer (`"0"`, `"-17"`,
 * `"123456"`, no leading zeros, within ±2^30) are stored as JS small integers, which live in the
 * array slot itself with no heap allocation (much like listpack's integer encoding); every other
 * element is a latin1 string (one char per byte). The encoding is canonical, so two elements are
 * equal exactly when their stored forms are `===`. The buffer shrinks when it falls below a quarter
 * full, so a list that grew and was then drained does not keep its peak capacity.
 */
import { isIntsetMember } from "./set.js";
import type { CollectionValue } from "./value.js";

/** A stored element: a latin1 string, or a small integer standing for its decimal form. */
type Item = string | number;

/** An element prepared for comparisons against stored elements (see {@link ListValue.probe}). */
export type ListProbe = Item & { readonly __listProbe?: never };

/** Largest magnitude stored as a JS small integer (V8 Smis are at least 31-bit). */
const SMALL_INT_MAX = 0x3fffffff;
const MIN_CAPACITY = 4;

/**
 * The stored form of an element: a number when `s` is the canonical decimal form of an integer in
 * [-2^30+1, 2^30-1] (so `String(n)` gives back exactly `s`), else `s` itself.
 */
function encode(s: string): Item {
  const n = s.length;
  if (n === 0 || n > 10) return s;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return s;
    negative = true;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : s; // "0" only: no leading zeros, no "-0"
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return s;
    v = v * 10 + d;
  }
  if (v > SMALL_INT_MAX) return s;
  return negative ? -v : v;
}

function decode(v: Item): string {
  return typeof v === "number" ? String(v) : v;
}

/** A Redis list. */
export class ListValue implements CollectionValue {
  readonly type = "list" as const;
  /** Ring buffer; slots outside [head, head + count) hold undefined. Length is a power of two. */
  private items: (Item | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.items = new Array<Item | undefined>(cap);
  }

  /** A list holding `elements` in order (head first). */
  static from(elements: readonly string[]): ListValue {
    const list = new ListValue(elements.length);
    for (const e of elements) list.pushTail(e);
    return list;
  }

  /** The prepared form of `element` for {@link equalAt} (compare many elements against one value). */
  static probe(element: string): ListProbe {
    return encode(element) as ListProbe;
  }

  /** Number of elements. */
  get length(): number {
    return this.count;
  }

  /** OBJECT ENCODING's answer: always `quicklist` in Redis 7.0. */
  encoding(): "quicklist" {
    return "quicklist";
  }

  /** Adds an element at the head (LPUSH). */
  pushHead(element: string): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    const mask = this.items.length - 1;
    this.head = (this.head - 1) & mask;
    this.items[this.head] = encode(element);
    this.count++;
  }

  /** Adds an element at the tail (RPUSH). */
  pushTail(element: string): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    const mask = this.items.length - 1;
    this.items[(this.head + this.count) & mask] = encode(element);
    this.count++;
  }

  /** Adds an element at the head (`left`) or tail. */
  push(element: string, left: boolean): void {
    if (left) this.pushHead(element);
    else this.pushTail(element);
  }

  /** Removes and returns the head element; undefined when empty. */
  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const items = this.items;
    const v = items[this.head]!;
    items[this.head] = undefined;
    this.head = (this.head + 1) & (items.length - 1);
    this.count--;
    this.maybeShrink();
    return decode(v);
  }

  /** Removes and returns the tail element; undefined when empty. */
  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const items = this.items;
    const slot = (this.head + this.count - 1) & (items.length - 1);
    const v = items[slot]!;
    items[slot] = undefined;
    this.count--;
    this.maybeShrink();
    return decode(v);
  }

  /** Removes and returns the head (`left`) or tail element; undefined when empty. */
  pop(left: boolean): string | undefined {
    return left ? this.popHead() : this.popTail();
  }

  /** The element at index `i` (0 ≤ i < length; negative indexes are not resolved here). */
  at(i: number): string {
    return decode(this.items[(this.head + i) & (this.items.length - 1)]!);
  }

  /** Replaces the element at index `i` (0 ≤ i < length). */
  set(i: number, element: string): void {
    this.items[(this.head + i) & (this.items.length - 1)] = encode(element);
  }

  /** True if the element at index `i` equals the probed value (see {@link ListValue.probe}). */
  equalAt(i: number, probe: ListProbe): boolean {
    return this.items[(this.head + i) & (this.items.length - 1)] === probe;
  }

  /** Index of the first element equal to `element` from the head, or -1. */
  indexOf(element: string): number {
    const probe = encode(element);
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) if (items[(this.head + i) & mask] === probe) return i;
    return -1;
  }

  /** Inserts an element so that it ends up at index `i` (0 ≤ i ≤ length), shifting the shorter side. */
  insert(i: number, element: string): void {
    if (i <= 0) return this.pushHead(element);
    if (i >= this.count) return this.pushTail(element);
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    if (i < this.count - i) {
      // Move the first i elements one slot towards the head.
      for (let k = 0; k < i; k++) items[(head - 1 + k) & mask] = items[(head + k) & mask];
      this.head = (head - 1) & mask;
    } else {
      // Move elements i..count-1 one slot towards the tail.
      for (let k = this.count; k > i; k--) items[(head + k) & mask] = items[(head + k - 1) & mask];
    }
    items[(this.head + i) & mask] = encode(element);
    this.count++;
  }

  /** Removes `n` elements starting at index `start` (a valid range), shifting the shorter side. */
  removeRange(start: number, n: number): void {
    if (n <= 0) return;
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    const after = this.count - start - n;
    if (start <= after) {
      // Move the first `start` elements n slots towards the tail, then clear the freed head slots.
      for (let k = start - 1; k >= 0; k--) items[(head + k + n) & mask] = items[(head + k) & mask];
      for (let k = 0; k < n; k++) items[(head + k) & mask] = undefined;
      this.head = (head + n) & mask;
    } else {
      // Move the last `after` elements n slots towards the head, then clear the freed tail slots.
      for (let k = start; k < start + after; k++) items[(head + k) & mask] = items[(head + k + n) & mask];
      for (let k = start + after; k < this.count; k++) items[(head + k) & mask] = undefined;
    }
    this.count -= n;
    this.maybeShrink();
  }

  /**
   * Removes elements equal to `element` (LREM): the first `limit` from the head, or from the tail
   * when `fromTail`; every match when `limit` is 0. Returns how many were removed. One pass, O(n).
   */
  removeMatching(element: string, limit: number, fromTail: boolean): number {
    const probe = encode(element);
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    const count = this.count;
    // Find the boundary: matches beyond it (in scan order) are kept.
    let lo = 0;
    let hi = count - 1;
    let found = 0;
    if (fromTail) {
      for (let i = count - 1; i >= 0; i--) {
        if (items[(head + i) & mask] === probe) {
          found++;
          lo = i;
          if (limit !== 0 && found === limit) break;
        }
      }
    } else {
      for (let i = 0; i < count; i++) {
        if (items[(head + i) & mask] === probe) {
          found++;
          hi = i;
          if (limit !== 0 && found === limit) break;
        }
      }
    }
    if (found === 0) return 0;
    // Compact in place: drop matches with lo <= index <= hi.
    let write = lo;
    for (let read = lo; read < count; read++) {
      const v = items[(head + read) & mask];
      if (read <= hi && v === probe) continue;
      if (write !== read) items[(head + write) & mask] = v;
      write++;
    }
    for (let k = write; k < count; k++) items[(head + k) & mask] = undefined;
    this.count = write;
    this.maybeShrink();
    return found;
  }

  /** Calls `visit` with elements `start..end` (inclusive, valid indexes), head to tail or reversed. */
  forRange(start: number, end: number, reverse: boolean, visit: (element: string) => void): void {
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    if (reverse) for (let i = end; i >= start; i--) visit(decode(items[(head + i) & mask]!));
    else for (let i = start; i <= end; i++) visit(decode(items[(head + i) & mask]!));
  }

  /** All elements, head first. */
  toArray(): string[] {
    const out: string[] = [];
    this.forRange(0, this.count - 1, false, (e) => out.push(e));
    return out;
  }

  /** A deep copy (COPY). */
  clone(): ListValue {
    const copy = new ListValue(this.count);
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) copy.items[i] = items[(this.head + i) & mask];
    copy.count = this.count;
    return copy;
  }

  /**
   * MEMORY USAGE estimate after Redis 7.0's objectComputeSize for quicklists: the robj and quicklist
   * headers, plus the average size of the first `samples` nodes times the node count. Nodes are
   * modelled as listpacks filled from the head while quicklist's 8 KiB rule (list-max-listpack-size
   * -2) admits the next element; exact for lists built by RPUSH, close otherwise.
   */
  memoryUsage(samples: number): number {
    const ROBJ = 16;
    const QUICKLIST = 40;
    const NODE = 40; // sizeof(quicklistNode)
    const LISTPACK_EMPTY = 7; // 6-byte header + end byte
    const NODE_LIMIT = 8192;
    let nodes = 0;
    let sampled = 0;
    let sampledBytes = 0;
    let nodeBytes = 0;
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) {
      const item = items[(this.head + i) & mask]!;
      const text = typeof item === "number" ? String(item) : item;
      // _quicklistNodeAllowInsert's estimate: element length plus worst-case entry overhead.
      const estimate =
        text.length + (text.length < 254 ? 1 : 5) + (text.length < 64 ? 1 : text.length < 16384 ? 2 : 5);
      if (nodeBytes === 0 || nodeBytes + estimate > NODE_LIMIT) {
        if (nodeBytes > 0 && sampled < samples) {
          sampled++;
          sampledBytes += NODE + jemallocSize(nodeBytes);
        }
        nodes++;
        nodeBytes = LISTPACK_EMPTY;
      }
      nodeBytes += listpackEntrySize(text);
    }
    if (nodeBytes > 0 && sampled < samples) {
      sampled++;
      sampledBytes += NODE + jemallocSize(nodeBytes);
    }
    if (sampled === 0) return ROBJ + QUICKLIST;
    return ROBJ + QUICKLIST + Math.floor((sampledBytes / sampled) * nodes);
  }

  private resize(capacity: number): void {
    const next = new Array<Item | undefined>(capacity);
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) next[i] = items[(this.head + i) & mask];
    this.items = next;
    this.head = 0;
  }

  private maybeShrink(): void {
    const cap = this.items.length;
    if (cap > 16 && this.count < cap >>> 2) this.resize(cap >>> 1);
  }
}

/** Bytes one element takes in a listpack: encoding and data, then the back-length. */
function listpackEntrySize(text: string): number {
  let body: number;
  if (isIntsetMember(text)) {
    // Integers are stored in the smallest of listpack's integer encodings.
    const v = Number(text);
    body =
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
  } else {
    const n = text.length;
    body = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  }
  const back = body <= 127 ? 1 : body < 16383 ? 2 : body < 2097151 ? 3 : body < 268435455 ? 4 : 5;
  return body + back;
}

/** jemalloc's usable size for an allocation of `n` bytes (64-bit size classes). */
function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const base = 2 ** Math.floor(Math.log2(n - 1));
  const step = base / 4;
  return Math.ceil(n / step) * step;
}
