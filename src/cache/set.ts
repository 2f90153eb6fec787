/**
 * Keyspaces of unordered sets (Redis sets) of strings or numbers, with set algebra, sampling and
 * moves. Writes apply the keyspace's expiry in the same transaction as the write.
 */
import type { CacheCluster } from "./cluster.js";
import type { DriverReply } from "./driver.js";
import { CacheValueError } from "./errors.js";
import { Keyspace, type KeyspaceConfig, type WriteOptions } from "./keyspace.js";
import { writeWith } from "./list.js";

function count(n: number, operation: string): number {
  if (!Number.isInteger(n) || n < 0)
    throw new CacheValueError(`count must be a non-negative integer, got ${n}`, { operation });
  return n;
}

/** Operations of set keyspaces. */
export abstract class SetKeyspace<K, V> extends Keyspace<K> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config, "set");
  }

  /** Encodes a member. */
  protected abstract serializeItem(value: V, operation: string): string;
  /** Decodes a member. */
  protected abstract deserializeItem(data: string): V;

  private list(reply: DriverReply): V[] {
    return ((reply as DriverReply[] | null) ?? []).map((r) => this.deserializeItem(String(r)));
  }
  private one(reply: DriverReply): V | undefined {
    return reply === null ? undefined : this.deserializeItem(String(reply));
  }

  /** Adds members; returns how many were not already present. */
  async add(key: K, ...values: V[]): Promise<number> {
    return this.run("add", [key], async (d, [k]) => {
      if (values.length === 0) return 0;
      const items = values.map((v) => this.serializeItem(v, "add"));
      return Number(await writeWith(d, ["SADD", k!, ...items], this.expiry(d, undefined), [k!]));
    });
  }

  /** Removes members; returns how many were present. */
  async remove(key: K, ...values: V[]): Promise<number> {
    return this.run("remove", [key], async (d, [k]) => {
      if (values.length === 0) return 0;
      const items = values.map((v) => this.serializeItem(v, "remove"));
      return Number(await writeWith(d, ["SREM", k!, ...items], this.expiry(d, undefined), [k!]));
    });
  }

  /** Removes and returns a random member (undefined when empty). */
  async popOne(key: K, options?: WriteOptions): Promise<V | undefined> {
    return this.run("popOne", [key], async (d, [k]) =>
      this.one(await writeWith(d, ["SPOP", k!], this.expiry(d, options), [k!])),
    );
  }

  /** Removes and returns up to `count` random members. */
  async pop(key: K, count_: number, options?: WriteOptions): Promise<V[]> {
    return this.run("pop", [key], async (d, [k], n = count(count_, "pop")) =>
      this.list(await writeWith(d, ["SPOP", k!, n], this.expiry(d, options), [k!])),
    );
  }

  /** Whether `value` is a member. */
  async contains(key: K, value: V): Promise<boolean> {
    return this.run(
      "contains",
      [key],
      async (d, [k]) =>
        Number(await d.command(["SISMEMBER", k!, this.serializeItem(value, "contains")])) === 1,
    );
  }

  /** Number of members (0 when missing). */
  async len(key: K): Promise<number> {
    return this.run("len", [key], async (d, [k]) => Number(await d.command(["SCARD", k!])));
  }

  /** All members, in no particular order. */
  async items(key: K): Promise<V[]> {
    return this.run("items", [key], async (d, [k]) => this.list(await d.command(["SMEMBERS", k!])));
  }
  /** Same as {@link items}. */
  members(key: K): Promise<V[]> {
    return this.items(key);
  }
  /** All members as a `Set`. */
  async itemsSet(key: K): Promise<Set<V>> {
    return new Set(await this.items(key));
  }

  private algebra(op: string, name: "SDIFF" | "SINTER" | "SUNION", keys: K[]): Promise<V[]> {
    return this.run(op, keys, async (d, ks) =>
      ks.length === 0 ? [] : this.list(await d.command([name, ...ks])),
    );
  }
  private store(
    op: string,
    name: "SDIFFSTORE" | "SINTERSTORE" | "SUNIONSTORE",
    dest: K,
    keys: K[],
    options?: WriteOptions,
  ): Promise<number> {
    return this.run(op, [dest, ...keys], async (d, [t, ...ks]) => {
      if (ks.length === 0)
        throw new CacheValueError("at least one source key is needed", { operation: op, key: t });
      return Number(await writeWith(d, [name, t!, ...ks], this.expiry(d, options), [t!]));
    });
  }

  /** Members of the first set that are in none of the others. */
  diff(...keys: K[]): Promise<V[]> {
    return this.algebra("diff", "SDIFF", keys);
  }
  /** {@link diff} as a `Set`. */
  async diffSet(...keys: K[]): Promise<Set<V>> {
    return new Set(await this.diff(...keys));
  }
  /** Stores the {@link diff} of `keys` at `destination`; returns its size. */
  diffStore(destination: K, ...keys: K[]): Promise<number> {
    return this.store("diffStore", "SDIFFSTORE", destination, keys);
  }
  /** Members present in every set. */
  intersect(...keys: K[]): Promise<V[]> {
    return this.algebra("intersect", "SINTER", keys);
  }
  /** {@link intersect} as a `Set`. */
  async intersectSet(...keys: K[]): Promise<Set<V>> {
    return new Set(await this.intersect(...keys));
  }
  /** Stores the {@link intersect} of `keys` at `destination`; returns its size. */
  intersectStore(destination: K, ...keys: K[]): Promise<number> {
    return this.store("intersectStore", "SINTERSTORE", destination, keys);
  }
  /** Members present in any set. */
  union(...keys: K[]): Promise<V[]> {
    return this.algebra("union", "SUNION", keys);
  }
  /** {@link union} as a `Set`. */
  async unionSet(...keys: K[]): Promise<Set<V>> {
    return new Set(await this.union(...keys));
  }
  /** Stores the {@link union} of `keys` at `destination`; returns its size. */
  unionStore(destination: K, ...keys: K[]): Promise<number> {
    return this.store("unionStore", "SUNIONSTORE", destination, keys);
  }

  /** A random member, not removed (undefined when empty). */
  async sampleOne(key: K): Promise<V | undefined> {
    return this.run("sampleOne", [key], async (d, [k]) => this.one(await d.command(["SRANDMEMBER", k!])));
  }
  /** Up to `count` distinct random members, not removed. */
  async sample(key: K, count_: number): Promise<V[]> {
    return this.run("sample", [key], async (d, [k], n = count(count_, "sample")) =>
      n === 0 ? [] : this.list(await d.command(["SRANDMEMBER", k!, n])),
    );
  }
  /** Exactly `count` random members (repeats possible) when the set is not empty. */
  async sampleWithReplacement(key: K, count_: number): Promise<V[]> {
    return this.run(
      "sampleWithReplacement",
      [key],
      async (d, [k], n = count(count_, "sampleWithReplacement")) =>
        n === 0 ? [] : this.list(await d.command(["SRANDMEMBER", k!, -n])),
    );
  }

  /** Moves `value` from `src` to `dst` atomically (the expiry applies to `dst`); false if it was not in `src`. */
  async move(src: K, dst: K, value: V, options?: WriteOptions): Promise<boolean> {
    return this.run(
      "move",
      [src, dst],
      async (d, [s, t]) =>
        Number(
          await writeWith(d, ["SMOVE", s!, t!, this.serializeItem(value, "move")], this.expiry(d, options), [
            t!,
          ]),
        ) === 1,
    );
  }
}

/** A keyspace of sets of strings. */
export class StringSetKeyspace<K> extends SetKeyspace<K, string> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serializeItem(value: string, operation: string): string {
    if (typeof value !== "string")
      throw new CacheValueError(`expected a string member, got ${typeof value}`, { operation });
    return value;
  }
  protected deserializeItem(data: string): string {
    return data;
  }
}

/** A keyspace of sets of numbers (members compare by their decimal form: 1 and 1.0 are one member). */
export class NumberSetKeyspace<K> extends SetKeyspace<K, number> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serializeItem(value: number, operation: string): string {
    if (typeof value !== "number" || Number.isNaN(value))
      throw new CacheValueError(`expected a number member, got ${String(value)}`, { operation });
    return String(value);
  }
  protected deserializeItem(data: string): number {
    return Number(data);
  }
}
