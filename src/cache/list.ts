/**
 * Keyspaces of ordered lists (Redis lists) of strings or numbers. Writes apply the keyspace's
 * expiry in the same transaction as the write.
 */
import type { CacheCluster } from "./cluster.js";
import {
  type CacheDriver,
  type DriverCommand,
  type DriverExpiry,
  type DriverReply,
  expiryCommands,
} from "./driver.js";
import { CacheValueError } from "./errors.js";
import { Keyspace, type KeyspaceConfig, type WriteOptions } from "./keyspace.js";

/** An end of a list: left is the head, right the tail. */
export type ListPosition = "left" | "right";

/** Runs a write and the commands applying its expiry atomically; returns the write's reply. */
export async function writeWith(
  d: CacheDriver,
  cmd: DriverCommand,
  expiry: DriverExpiry,
  keys: readonly string[],
): Promise<DriverReply> {
  const extra = keys.flatMap((k) => expiryCommands(k, expiry));
  if (extra.length === 0) return d.command(cmd);
  return (await d.atomic([cmd, ...extra]))[0] ?? null;
}

function count(n: number, name: string, operation: string): number {
  if (!Number.isInteger(n) || n < 0)
    throw new CacheValueError(`${name} must be a non-negative integer, got ${n}`, { operation });
  return n;
}

function index(n: number, operation: string): number {
  if (!Number.isInteger(n)) throw new CacheValueError(`expected an integer index, got ${n}`, { operation });
  return n;
}

/** Operations of list keyspaces. */
export abstract class ListKeyspace<K, V> extends Keyspace<K> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config, "list");
  }

  /** Encodes an item. */
  protected abstract serializeItem(value: V, operation: string): string;
  /** Decodes an item. */
  protected abstract deserializeItem(data: string): V;

  private items_(reply: DriverReply): V[] {
    return ((reply as DriverReply[] | null) ?? []).map((r) => this.deserializeItem(String(r)));
  }
  private item(reply: DriverReply): V | undefined {
    return reply === null ? undefined : this.deserializeItem(String(reply));
  }

  /** Pushes values onto the head, in order (the last value ends up first); returns the new length. */
  async pushLeft(key: K, ...values: V[]): Promise<number> {
    return this.push("pushLeft", "LPUSH", key, values);
  }
  /** Appends values to the tail; returns the new length. */
  async pushRight(key: K, ...values: V[]): Promise<number> {
    return this.push("pushRight", "RPUSH", key, values);
  }
  private async push(op: string, name: "LPUSH" | "RPUSH", key: K, values: V[]): Promise<number> {
    return this.run(op, [key], async (d, [k]) => {
      if (values.length === 0) return Number(await d.command(["LLEN", k!]));
      const items = values.map((v) => this.serializeItem(v, op));
      return Number(await writeWith(d, [name, k!, ...items], this.expiry(d, undefined), [k!]));
    });
  }

  /** Removes and returns the head (undefined if the list is empty or missing). */
  async popLeft(key: K, options?: WriteOptions): Promise<V | undefined> {
    return this.run("popLeft", [key], async (d, [k]) =>
      this.item(await writeWith(d, ["LPOP", k!], this.expiry(d, options), [k!])),
    );
  }
  /** Removes and returns the tail (undefined if the list is empty or missing). */
  async popRight(key: K, options?: WriteOptions): Promise<V | undefined> {
    return this.run("popRight", [key], async (d, [k]) =>
      this.item(await writeWith(d, ["RPOP", k!], this.expiry(d, options), [k!])),
    );
  }

  /** Number of items (0 when missing). */
  async len(key: K): Promise<number> {
    return this.run("len", [key], async (d, [k]) => Number(await d.command(["LLEN", k!])));
  }

  /** Keeps only the items from `start` to `stop` inclusive (negative: from the end). */
  async trim(key: K, start: number, stop: number, options?: WriteOptions): Promise<void> {
    await this.run("trim", [key], (d, [k]) =>
      writeWith(d, ["LTRIM", k!, index(start, "trim"), index(stop, "trim")], this.expiry(d, options), [k!]),
    );
  }

  /** Replaces the item at `idx` (negative: from the end). @throws CacheValueError when out of range or missing. */
  async set(key: K, idx: number, value: V, options?: WriteOptions): Promise<void> {
    await this.run("set", [key], (d, [k]) =>
      writeWith(
        d,
        ["LSET", k!, index(idx, "set"), this.serializeItem(value, "set")],
        this.expiry(d, options),
        [k!],
      ),
    );
  }
  /** Same as {@link set} (Encore's TypeScript name). */
  setIndex(key: K, idx: number, value: V, options?: WriteOptions): Promise<void> {
    return this.set(key, idx, value, options);
  }

  /** The item at `idx` (negative: from the end), or undefined when out of range. */
  async get(key: K, idx: number): Promise<V | undefined> {
    return this.run("get", [key], async (d, [k]) =>
      this.item(await d.command(["LINDEX", k!, index(idx, "get")])),
    );
  }
  /** Same as {@link get} (Encore's TypeScript name). */
  getIndex(key: K, idx: number): Promise<V | undefined> {
    return this.get(key, idx);
  }

  /** All items ([] when missing). */
  async items(key: K): Promise<V[]> {
    return this.run("items", [key], async (d, [k]) => this.items_(await d.command(["LRANGE", k!, 0, -1])));
  }

  /** Items from `start` to `stop` inclusive (negative: from the end). */
  async getRange(key: K, start: number, stop: number): Promise<V[]> {
    return this.run("getRange", [key], async (d, [k]) =>
      this.items_(await d.command(["LRANGE", k!, index(start, "getRange"), index(stop, "getRange")])),
    );
  }

  /** Inserts `value` before the first `pivot`; returns the new length, -1 if no pivot, 0 if the list is missing. */
  async insertBefore(key: K, pivot: V, value: V, options?: WriteOptions): Promise<number> {
    return this.insert("insertBefore", "BEFORE", key, pivot, value, options);
  }
  /** Inserts `value` after the first `pivot`; returns the new length, -1 if no pivot, 0 if the list is missing. */
  async insertAfter(key: K, pivot: V, value: V, options?: WriteOptions): Promise<number> {
    return this.insert("insertAfter", "AFTER", key, pivot, value, options);
  }
  private insert(
    op: string,
    where: string,
    key: K,
    pivot: V,
    value: V,
    options?: WriteOptions,
  ): Promise<number> {
    return this.run(op, [key], async (d, [k]) =>
      Number(
        await writeWith(
          d,
          ["LINSERT", k!, where, this.serializeItem(pivot, op), this.serializeItem(value, op)],
          this.expiry(d, options),
          [k!],
        ),
      ),
    );
  }

  /** Removes every occurrence of `value`; returns how many were removed. */
  async removeAll(key: K, value: V, options?: WriteOptions): Promise<number> {
    return this.remove("removeAll", key, () => 0, value, options);
  }
  /** Removes the first `count` occurrences of `value` (from the head); returns how many were removed. */
  async removeFirst(key: K, count_: number, value: V, options?: WriteOptions): Promise<number> {
    return this.remove("removeFirst", key, () => count(count_, "count", "removeFirst"), value, options);
  }
  /** Removes the last `count` occurrences of `value` (from the tail); returns how many were removed. */
  async removeLast(key: K, count_: number, value: V, options?: WriteOptions): Promise<number> {
    return this.remove("removeLast", key, () => -count(count_, "count", "removeLast"), value, options);
  }
  /** LREM with the count `n()` gives (checked inside the operation); a zero count from removeFirst/Last removes nothing. */
  private remove(op: string, key: K, n: () => number, value: V, options?: WriteOptions): Promise<number> {
    return this.run(op, [key], async (d, [k]) => {
      const c = n();
      if (c === 0 && op !== "removeAll") return 0; // LREM's 0 means "all"
      return Number(
        await writeWith(d, ["LREM", k!, c, this.serializeItem(value, op)], this.expiry(d, options), [k!]),
      );
    });
  }

  /**
   * Atomically pops an item from `srcPos` of `src` and pushes it at `dstPos` of `dst` (the expiry
   * applies to `dst`); returns the item, or undefined when `src` is empty.
   */
  async move(
    src: K,
    dst: K,
    srcPos: ListPosition,
    dstPos: ListPosition,
    options?: WriteOptions,
  ): Promise<V | undefined> {
    const side = (p: ListPosition) => {
      if (p !== "left" && p !== "right")
        throw new CacheValueError(`position must be "left" or "right", got ${String(p)}`, {
          operation: "move",
        });
      return p.toUpperCase();
    };
    return this.run("move", [src, dst], async (d, [s, t]) =>
      this.item(
        await writeWith(d, ["LMOVE", s!, t!, side(srcPos), side(dstPos)], this.expiry(d, options), [t!]),
      ),
    );
  }
}

/** A keyspace of lists of strings. */
export class StringListKeyspace<K> extends ListKeyspace<K, string> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serializeItem(value: string, operation: string): string {
    if (typeof value !== "string")
      throw new CacheValueError(`expected a string item, got ${typeof value}`, { operation });
    return value;
  }
  protected deserializeItem(data: string): string {
    return data;
  }
}

/** A keyspace of lists of numbers. */
export class NumberListKeyspace<K> extends ListKeyspace<K, number> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serializeItem(value: number, operation: string): string {
    if (typeof value !== "number" || Number.isNaN(value))
      throw new CacheValueError(`expected a number item, got ${String(value)}`, { operation });
    return String(value);
  }
  protected deserializeItem(data: string): number {
    return Number(data);
  }
}
