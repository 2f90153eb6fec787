/**
 * The stream value: entries in ID order, consumer groups with their pending-entries lists (PEL).
 *
 * Entries live in nodes that mirror Redis 7.0's radix tree of listpacks one for one: a node is
 * keyed by its master ID (the first ID added to it), holds up to `stream-node-max-entries`
 * entries (deleted ones included) and closes when its emulated listpack size reaches
 * `stream-node-max-bytes`; XDEL and exact trimming only flag entries as deleted, and a node goes
 * away when its last live entry does. Keeping Redis's node boundaries is what makes approximate
 * trimming (`~`, which only drops whole nodes), MINID's node test and XINFO's `radix-tree-keys` /
 * `radix-tree-nodes` come out exactly as Redis's. Nodes are an array sorted by master ID: seeks
 * are binary searches (O(log n)), appends are O(1) amortised.
 *
 * PELs are {@link IdMap}s (ordered maps by ID); consumers and groups are Maps, listed in byte
 * order as Redis's rax lists them.
 */
import { listpackEntrySize } from "./listpack.js";
import { formatId, idMs, idSeq, MAX_ID, MIN_ID, type StreamId } from "./stream-id.js";
import type { CollectionValue } from "./value.js";

/** Redis's SCG_INVALID_ENTRIES_READ. */
export const INVALID_ENTRIES_READ = -1;

/** STREAM_LISTPACK_MAX_SIZE: a listpack's hard limit (1 GiB). */
const LISTPACK_MAX_SIZE = 1 << 30;

/** Node limits from the configuration. */
export interface StreamNodeLimits {
  maxBytes: number;
  maxEntries: number;
}

/** One node: a listpack of Redis's rax. Field/value arrays are flattened `[f1, v1, f2, v2...]`. */
export interface StreamNode {
  /** The rax key: the ID of the first entry added to the node. */
  readonly master: StreamId;
  /** The master entry's field names (for SAMEFIELDS compression). */
  readonly masterFields: readonly string[];
  /** Every entry's ID, deleted ones included, ascending. */
  readonly ids: StreamId[];
  readonly fields: (readonly string[])[];
  readonly deleted: boolean[];
  /** Live (not deleted) entries. */
  live: number;
  /** Entries flagged deleted. */
  dead: number;
  /** Listpack bytes except the header, end byte, and the live/deleted counters. */
  body: number;
}

/** A pending entry (streamNACK): delivered, not yet acknowledged. */
export interface Nack {
  /** Null only transiently (XCLAIM FORCE). */
  consumer: Consumer | null;
  deliveryTime: number;
  deliveryCount: number;
}

/** A consumer of a group. */
export interface Consumer {
  readonly name: string;
  seenTime: number;
  readonly pel: IdMap<Nack>;
}

/** A consumer group. */
export interface ConsumerGroup {
  readonly name: string;
  lastId: StreamId;
  /** Logical read counter, or {@link INVALID_ENTRIES_READ}. */
  entriesRead: number;
  readonly pel: IdMap<Nack>;
  readonly consumers: Map<string, Consumer>;
}

/** One entry as iterated. */
export interface StreamEntry {
  id: StreamId;
  fields: readonly string[];
}

const CHUNK = 128;

/**
 * An ordered map from stream IDs to values (the PELs): sorted chunks of at most 2×CHUNK keys,
 * found by binary search; O(log n + CHUNK) per operation, appends at the end O(1) amortised.
 */
export class IdMap<V> {
  private chunks: { keys: StreamId[]; vals: V[] }[] = [];
  private count = 0;

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** Index of the chunk that holds or would hold `key`. */
  private chunkFor(key: StreamId): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid]!.keys[0]! <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get(key: StreamId): V | undefined {
    if (this.count === 0) return undefined;
    const chunk = this.chunks[this.chunkFor(key)]!;
    const i = lowerBound(chunk.keys, key);
    return chunk.keys[i] === key ? chunk.vals[i] : undefined;
  }

  has(key: StreamId): boolean {
    return this.get(key) !== undefined;
  }

  /** Inserts or replaces; returns true if the key was new. */
  set(key: StreamId, value: V): boolean {
    if (this.count === 0) {
      this.chunks.push({ keys: [key], vals: [value] });
      this.count = 1;
      return true;
    }
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const keys = chunk.keys;
    if (keys[keys.length - 1]! < key) {
      keys.push(key);
      chunk.vals.push(value);
    } else {
      const i = lowerBound(keys, key);
      if (keys[i] === key) {
        chunk.vals[i] = value;
        return false;
      }
      keys.splice(i, 0, key);
      chunk.vals.splice(i, 0, value);
    }
    this.count++;
    if (keys.length >= 2 * CHUNK) {
      this.chunks.splice(ci + 1, 0, { keys: keys.splice(CHUNK), vals: chunk.vals.splice(CHUNK) });
    }
    return true;
  }

  /** Removes a key; returns true if it was there. */
  delete(key: StreamId): boolean {
    if (this.count === 0) return false;
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk.keys, key);
    if (chunk.keys[i] !== key) return false;
    chunk.keys.splice(i, 1);
    chunk.vals.splice(i, 1);
    this.count--;
    if (chunk.keys.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** The first entry whose key is ≥ `key`, if any. */
  ceiling(key: StreamId): [StreamId, V] | undefined {
    if (this.count === 0) return undefined;
    let ci = this.chunkFor(key);
    let chunk = this.chunks[ci]!;
    let i = lowerBound(chunk.keys, key);
    if (i === chunk.keys.length) {
      if (++ci === this.chunks.length) return undefined;
      chunk = this.chunks[ci]!;
      i = 0;
    }
    return [chunk.keys[i]!, chunk.vals[i]!];
  }

  /** The smallest key, if any. */
  firstKey(): StreamId | undefined {
    return this.count === 0 ? undefined : this.chunks[0]!.keys[0];
  }

  /** The largest key, if any. */
  lastKey(): StreamId | undefined {
    if (this.count === 0) return undefined;
    const keys = this.chunks[this.chunks.length - 1]!.keys;
    return keys[keys.length - 1];
  }

  /** Entries with keys ≥ `from`, in order (the map must not change during the walk). */
  *entries(from: StreamId = MIN_ID): Generator<[StreamId, V]> {
    if (this.count === 0) return;
    let ci = this.chunkFor(from);
    let i = lowerBound(this.chunks[ci]!.keys, from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.keys.length; i++) yield [chunk.keys[i]!, chunk.vals[i]!];
    }
  }
}

/** First index whose value is ≥ key. */
function lowerBound(keys: readonly StreamId[], key: StreamId): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bytes a listpack integer element takes (encoding, data and a 1-byte backlen; the same as
 * `listpackEntrySize(String(v))`, without the string round trip on XADD's hot path).
 */
export function listpackIntSize(v: bigint | number): number {
  if (typeof v === "bigint") {
    if (v < -2147483648n || v > 2147483647n) return 10;
    v = Number(v);
  }
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  return 6;
}

/** int64_t view of an unsigned 64-bit difference, as lpAppendInteger stores it. */
function delta(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a - b);
}

export class StreamValue implements CollectionValue {
  readonly type = "stream" as const;
  /** Nodes sorted by master ID. */
  nodes: StreamNode[] = [];
  /** Live entries. */
  length = 0;
  lastId: StreamId = MIN_ID;
  /** `recorded-first-entry-id`: the first live entry, 0-0 when empty. */
  firstId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  entriesAdded = 0;
  /** Groups by name. */
  groups = new Map<string, ConsumerGroup>();

  encoding(): string {
    return "stream";
  }

  clone(): StreamValue {
    const s = new StreamValue();
    s.nodes = this.nodes.map((n) => ({
      master: n.master,
      masterFields: n.masterFields,
      ids: [...n.ids],
      fields: [...n.fields],
      deleted: [...n.deleted],
      live: n.live,
      dead: n.dead,
      body: n.body,
    }));
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const g of this.groups.values()) {
      const copy: ConsumerGroup = {
        name: g.name,
        lastId: g.lastId,
        entriesRead: g.entriesRead,
        pel: new IdMap(),
        consumers: new Map(),
      };
      for (const c of g.consumers.values()) {
        copy.consumers.set(c.name, { name: c.name, seenTime: c.seenTime, pel: new IdMap() });
      }
      for (const [id, nack] of g.pel.entries()) {
        const consumer = nack.consumer ? copy.consumers.get(nack.consumer.name)! : null;
        const n: Nack = { consumer, deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount };
        copy.pel.set(id, n);
        consumer?.pel.set(id, n);
      }
      s.groups.set(g.name, copy);
    }
    return s;
  }

  // ---- appending ----

  /**
   * Appends an entry (streamAppendItem after the ID checks, which the caller made). `fields` is
   * `[f1, v1, ...]`; `totalLen` the sum of their lengths.
   */
  append(id: StreamId, fields: readonly string[], totalLen: number, limits: StreamNodeLimits): void {
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1]! : undefined;
    if (node !== undefined) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      if (nodeBytes(node) + totalLen >= maxBytes) node = undefined;
      else if (limits.maxEntries && node.live + node.dead >= limits.maxEntries) node = undefined;
    }
    const numFields = fields.length / 2;
    let sameFields: boolean;
    if (node === undefined) {
      const masterFields: string[] = [];
      let body = listpackIntSize(numFields) + listpackIntSize(0);
      for (let i = 0; i < fields.length; i += 2) {
        masterFields.push(fields[i]!);
        body += listpackEntrySize(fields[i]!);
      }
      node = { master: id, masterFields, ids: [], fields: [], deleted: [], live: 0, dead: 0, body };
      this.nodes.push(node);
      sameFields = true;
    } else {
      const mf = node.masterFields;
      sameFields = mf.length === numFields;
      for (let i = 0; sameFields && i < numFields; i++) if (mf[i] !== fields[i * 2]) sameFields = false;
    }
    // flags, ms-delta, seq-delta, [num-fields, fields...], values..., lp-count
    let body = listpackIntSize(sameFields ? 2 : 0);
    body += listpackIntSize(delta(idMs(id), idMs(node.master)));
    body += listpackIntSize(delta(idSeq(id), idSeq(node.master)));
    let lpCount = numFields + 3;
    if (!sameFields) {
      body += listpackIntSize(numFields);
      lpCount += numFields + 1;
      for (const f of fields) body += listpackEntrySize(f);
    } else {
      for (let i = 1; i < fields.length; i += 2) body += listpackEntrySize(fields[i]!);
    }
    body += listpackIntSize(lpCount);
    node.body += body;
    node.ids.push(id);
    node.fields.push(fields);
    node.deleted.push(false);
    node.live++;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  // ---- lookups and iteration ----

  /** Index of the node a forward seek to `id` starts from (raxSeek "<=", else the first). */
  private nodeAtOrBefore(id: StreamId): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    if (hi < 0 || nodes[0]!.master > id) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (nodes[mid]!.master <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Live entries with start ≤ ID ≤ end, ascending (or descending when `rev`). */
  *range(start: StreamId, end: StreamId, rev = false): Generator<StreamEntry> {
    if (start > end || this.nodes.length === 0) return;
    if (!rev) {
      for (let ni = this.nodeAtOrBefore(start); ni < this.nodes.length; ni++) {
        const node = this.nodes[ni]!;
        if (node.master > end) return;
        const ids = node.ids;
        for (let i = lowerBound(ids, start); i < ids.length; i++) {
          const id = ids[i]!;
          if (id > end) return;
          if (!node.deleted[i]) yield { id, fields: node.fields[i]! };
        }
      }
    } else {
      for (let ni = this.nodeAtOrBefore(end); ni >= 0; ni--) {
        const node = this.nodes[ni]!;
        const ids = node.ids;
        let i = lowerBound(ids, end);
        if (i === ids.length || ids[i]! > end) i--;
        for (; i >= 0; i--) {
          const id = ids[i]!;
          if (id < start) return;
          if (!node.deleted[i]) yield { id, fields: node.fields[i]! };
        }
      }
    }
  }

  /** The live entry with this ID, if any. */
  get(id: StreamId): StreamEntry | undefined {
    for (const e of this.range(id, id)) return e;
    return undefined;
  }

  /** The last live entry's ID (streamLastValidID), 0-0 when empty. */
  lastValidId(): StreamId {
    for (const e of this.range(MIN_ID, MAX_ID, true)) return e.id;
    return MIN_ID;
  }

  /** The first live entry's ID, 0-0 when empty. */
  firstValidId(): StreamId {
    for (const e of this.range(MIN_ID, MAX_ID)) return e.id;
    return MIN_ID;
  }

  // ---- deletion ----

  /** Flags an entry deleted (streamDeleteItem); returns false if there is no such live entry. */
  delete(id: StreamId): boolean {
    if (this.nodes.length === 0) return false;
    const ni = this.nodeAtOrBefore(id);
    const node = this.nodes[ni]!;
    const i = lowerBound(node.ids, id);
    if (node.ids[i] !== id || node.deleted[i]) return false;
    if (node.live === 1) {
      this.nodes.splice(ni, 1);
    } else {
      node.deleted[i] = true;
      node.live--;
      node.dead++;
    }
    this.length--;
    return true;
  }

  /** After removals: `recorded-first-entry-id` as Redis recomputes it. */
  refreshFirstId(): void {
    this.firstId = this.length === 0 ? MIN_ID : this.firstValidId();
  }

  /**
   * Trims (streamTrim): drops whole nodes from the head while allowed; unless `approx`, then flags
   * entries of the next node deleted. `maxlen` or `minid` gives the strategy; `limit` (0 for
   * none) caps the entries removed by whole nodes. Returns the entries removed.
   */
  trim(strategy: { maxlen: number } | { minid: StreamId }, approx: boolean, limit: number): number {
    let deleted = 0;
    const byLen = "maxlen" in strategy;
    let ni = 0;
    while (ni < this.nodes.length) {
      if (byLen && this.length <= strategy.maxlen) break;
      const node = this.nodes[ni]!;
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      const removeNode = byLen
        ? this.length - entries >= strategy.maxlen
        : node.ids[node.ids.length - 1]! < strategy.minid;
      if (removeNode) {
        ni++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      let fromNode = 0;
      for (let i = 0; i < node.ids.length; i++) {
        const stop = byLen ? this.length <= strategy.maxlen : node.ids[i]! >= strategy.minid;
        if (stop) break;
        if (!node.deleted[i]) {
          node.deleted[i] = true;
          fromNode++;
          this.length--;
        }
      }
      node.live -= fromNode;
      node.dead += fromNode;
      deleted += fromNode;
      break;
    }
    if (ni > 0) this.nodes.splice(0, ni);
    this.refreshFirstId();
    return deleted;
  }

  // ---- groups ----

  /** Creates a group (streamCreateCG); undefined if the name is taken. */
  createGroup(name: string, lastId: StreamId, entriesRead: number): ConsumerGroup | undefined {
    if (this.groups.has(name)) return undefined;
    const group: ConsumerGroup = { name, lastId, entriesRead, pel: new IdMap(), consumers: new Map() };
    this.groups.set(name, group);
    return group;
  }

  /** Groups in Redis's (byte) order. */
  sortedGroups(): ConsumerGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * True if a tombstone may lie in [start, end] (streamRangeHasTombstones): only the largest
   * deleted ID is known.
   */
  rangeHasTombstones(start: StreamId, end: StreamId = MAX_ID): boolean {
    if (this.length === 0 || this.maxDeletedId === MIN_ID) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id`, or -1. */
  estimateDistance(id: StreamId): number {
    if (!this.entriesAdded) return 0;
    if (!this.length && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return INVALID_ENTRIES_READ;
    if (this.maxDeletedId === MIN_ID || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag (streamReplyWithCGLag), or null when it cannot be known. */
  groupLag(group: ConsumerGroup): number | null {
    if (!this.entriesAdded) return 0;
    if (group.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(group.lastId)) {
      return this.entriesAdded - group.entriesRead;
    }
    const read = this.estimateDistance(group.lastId);
    return read === INVALID_ENTRIES_READ ? null : this.entriesAdded - read;
  }

  /**
   * `radix-tree-nodes`: the node count of Redis's rax holding the node keys (16-byte big-endian
   * IDs). Rax keeps the canonical compressed shape (one node per branching point, per chain of
   * single-child characters, per key end, plus the root), so the count follows from the keys.
   */
  raxNodeCount(): number {
    if (this.nodes.length === 0) return 1;
    const keys = this.nodes.map((n) => n.master.toString(16).padStart(32, "0"));
    // Work on hex digits in pairs: a byte is two hex characters.
    const byteAt = (k: string, d: number): string => k.slice(2 * d, 2 * d + 2);
    const count = (lo: number, hi: number, depth: number): number => {
      if (depth === 16) return 1;
      // [lo, hi) share `depth` bytes; find how far they keep sharing.
      const first = keys[lo]!;
      const last = keys[hi - 1]!;
      let common = depth;
      while (common < 16 && byteAt(first, common) === byteAt(last, common)) common++;
      if (common > depth) return 1 + count(lo, hi, common);
      let total = 1;
      let start = lo;
      for (let i = lo + 1; i <= hi; i++) {
        if (i === hi || byteAt(keys[i]!, depth) !== byteAt(keys[start]!, depth)) {
          total += count(start, i, depth + 1);
          start = i;
        }
      }
      return total;
    };
    return count(0, keys.length, 0);
  }
}

/** The emulated lpBytes of a node. */
export function nodeBytes(node: StreamNode): number {
  return 7 + listpackIntSize(node.live) + listpackIntSize(node.dead) + node.body;
}

/** For debugging and tests: an ID list of the live entries. */
export function streamIds(s: StreamValue): string[] {
  return [...s.range(MIN_ID, MAX_ID)].map((e) => formatId(e.id));
}
