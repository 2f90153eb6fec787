/**
 * Keyspaces of single values: strings, 64-bit integers, floats and JSON structs, with the
 * operations of Encore's runtime (get, multiGet, set, multiSet, setIfNotExists, replace,
 * getAndSet, getAndDelete, delete, with; string and counter operations).
 */
import type { CacheCluster } from "./cluster.js";
import { CacheKeyExists, CacheMiss, CacheValueError } from "./errors.js";
import { Keyspace, type KeyspaceConfig, type WriteOptions } from "./keyspace.js";
import type { OperationResult } from "./metrics.js";

/** One result of {@link BasicKeyspace.getMulti}. */
export interface GetResult<V> {
  /** Whether the key was found. */
  found: boolean;
  /** The value, when found. */
  value?: V;
}

/** An entry of {@link BasicKeyspace.multiSet}: `[key, value]` or `{ key, value }`. */
export type MultiSetEntry<K, V> = readonly [K, V] | { readonly key: K; readonly value: V };

const toVoid = (): void => undefined;
const hitOrMiss = (v: unknown): OperationResult => (v === undefined ? "miss" : "hit");

/** Operations shared by the keyspaces of single values. */
export abstract class BasicKeyspace<K, V> extends Keyspace<K> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config, "basic");
  }

  /** Encodes a value for storage. */
  protected abstract serialize(value: V, operation: string): string;
  /** Decodes a stored value. */
  protected abstract deserialize(data: string, operation: string, key: string): V;

  private decode(data: string | null, operation: string, key: string): V | undefined {
    return data === null ? undefined : this.deserialize(data, operation, key);
  }

  /** The value of `key`, or undefined on a miss. */
  get(key: K): Promise<V | undefined> {
    const fast = this.runSync("get", key, (s, k) => this.decode(s.get(k), "get", k), hitOrMiss);
    return (
      fast ??
      this.run<V | undefined>(
        "get",
        [key],
        (d, [k]) => d.get(k!).then((v) => this.decode(v, "get", k!)),
        hitOrMiss,
      )
    );
  }

  /** Values of several keys in one round trip, in order; undefined for misses. */
  async multiGet(...keys: K[]): Promise<(V | undefined)[]> {
    return this.run(
      "multiGet",
      keys,
      async (d, ks) => (await d.mget(ks)).map((v, i) => this.decode(v, "multiGet", ks[i]!)),
      (vs) => {
        const misses = vs.filter((v) => v === undefined).length;
        return [vs.length - misses, misses];
      },
    );
  }

  /** Like {@link multiGet}, in Encore's `{ found, value }` form. */
  async getMulti(...keys: K[]): Promise<GetResult<V>[]> {
    return (await this.multiGet(...keys)).map((value) =>
      value === undefined ? { found: false } : { found: true, value },
    );
  }

  /** Stores `value` at `key`. Without any configured expiry the key loses a previous TTL (as Redis `SET`). */
  set(key: K, value: V, options?: WriteOptions): Promise<void> {
    const fast = this.runSync("set", key, (s, k, d) => {
      s.set(k, this.serialize(value, "set"), { expiry: this.expiry(d, options) });
    });
    return (
      fast ??
      this.run("set", [key], (d, [k]) =>
        d.set(k!, this.serialize(value, "set"), { expiry: this.expiry(d, options) }).then(toVoid),
      )
    );
  }

  /** Stores several entries atomically, each with the same expiry. */
  async multiSet(entries: readonly MultiSetEntry<K, V>[], options?: WriteOptions): Promise<void> {
    const pairs = entries.map((e): readonly [K, V] =>
      "key" in e && !Array.isArray(e) ? [e.key, e.value] : (e as readonly [K, V]),
    );
    await this.run(
      "multiSet",
      pairs.map((p) => p[0]),
      (d, ks) =>
        d.mset(
          ks.map((k, i) => [k, this.serialize(pairs[i]![1], "multiSet")] as const),
          this.expiry(d, options),
        ),
    );
  }

  /** Stores `value` only if `key` does not exist. @throws {CacheKeyExists} when it exists. */
  async setIfNotExists(key: K, value: V, options?: WriteOptions): Promise<void> {
    await this.run("setIfNotExists", [key], async (d, [k]) => {
      const r = await d.set(k!, this.serialize(value, "setIfNotExists"), {
        condition: "nx",
        expiry: this.expiry(d, options),
      });
      if (!r.written) throw new CacheKeyExists(k!);
    });
  }

  /** Stores `value` only if `key` exists. @throws {CacheMiss} when it does not. */
  async replace(key: K, value: V, options?: WriteOptions): Promise<void> {
    await this.run("replace", [key], async (d, [k]) => {
      const r = await d.set(k!, this.serialize(value, "replace"), {
        condition: "xx",
        expiry: this.expiry(d, options),
      });
      if (!r.written) throw new CacheMiss(k!);
    });
  }

  /** Stores `value` and returns the previous value (undefined if there was none), atomically. */
  async getAndSet(key: K, value: V, options?: WriteOptions): Promise<V | undefined> {
    return this.run("getAndSet", [key], async (d, [k]) => {
      const r = await d.set(k!, this.serialize(value, "getAndSet"), {
        get: true,
        expiry: this.expiry(d, options),
      });
      return this.decode(r.previous, "getAndSet", k!);
    });
  }

  /** Deletes `key` and returns its value (undefined on a miss), atomically. */
  async getAndDelete(key: K): Promise<V | undefined> {
    return this.run(
      "getAndDelete",
      [key],
      async (d, [k]) => this.decode(await d.getDel(k!), "getAndDelete", k!),
      hitOrMiss,
    );
  }
}

/** A keyspace of strings (UTF-8). Lengths and offsets of the string operations are in bytes, as in Redis. */
export class StringKeyspace<K> extends BasicKeyspace<K, string> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serialize(value: string, operation: string): string {
    if (typeof value !== "string")
      throw new CacheValueError(`expected a string value, got ${typeof value}`, { operation });
    return value;
  }
  protected deserialize(data: string): string {
    return data;
  }

  /** Appends `value` (creating the key if missing); returns the new length in bytes. */
  async append(key: K, value: string, options?: WriteOptions): Promise<number> {
    return this.run("append", [key], (d, [k]) =>
      d.append(k!, this.serialize(value, "append"), this.expiry(d, options)),
    );
  }

  /** The bytes from `start` to `end` inclusive (negative: from the end); "" on a miss. */
  async getRange(key: K, start: number, end: number): Promise<string> {
    return this.run("getRange", [key], (d, [k]) =>
      d.getRange(k!, int(start, "getRange"), int(end, "getRange")),
    );
  }

  /** Overwrites bytes from `offset` with `value` (zero-padding a shorter string); returns the new length. */
  async setRange(key: K, offset: number, value: string, options?: WriteOptions): Promise<number> {
    return this.run("setRange", [key], (d, [k]) =>
      d.setRange(k!, int(offset, "setRange"), this.serialize(value, "setRange"), this.expiry(d, options)),
    );
  }

  /** Length of the value in bytes (0 on a miss). */
  async strlen(key: K): Promise<number> {
    return this.run("strlen", [key], (d, [k]) => d.strlen(k!));
  }

  /** Same as {@link strlen}. */
  len(key: K): Promise<number> {
    return this.strlen(key);
  }
}

function int(n: number, operation: string): number {
  if (!Number.isInteger(n)) throw new CacheValueError(`expected an integer, got ${n}`, { operation });
  return n;
}

function finite(n: number, operation: string): number {
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new CacheValueError(`expected a finite number, got ${String(n)}`, { operation });
  return n;
}

/** A keyspace of 64-bit integers; values and deltas are floored with `Math.floor`. */
export class IntKeyspace<K> extends BasicKeyspace<K, number> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serialize(value: number, operation: string): string {
    return String(Math.floor(finite(value, operation)));
  }
  protected deserialize(data: string, operation: string, key: string): number {
    const n = Number(data);
    if (!/^-?\d+$/.test(data) || !Number.isFinite(n))
      throw new CacheValueError(`stored value ${JSON.stringify(data.slice(0, 40))} is not an integer`, {
        operation,
        key,
      });
    return n;
  }

  /** Adds `delta` (default 1; floored) and returns the new value; a missing key counts as 0. */
  increment(key: K, delta = 1, options?: WriteOptions): Promise<number> {
    return this.addInteger("increment", key, delta, 1, options);
  }

  /** Subtracts `delta` (default 1; floored) and returns the new value. */
  decrement(key: K, delta = 1, options?: WriteOptions): Promise<number> {
    return this.addInteger("decrement", key, delta, -1, options);
  }

  /** INCRBY of `sign` × floor(`delta`); a bad delta fails the operation (a rejected CacheError). */
  private addInteger(
    operation: string,
    key: K,
    delta: number,
    sign: 1 | -1,
    options: WriteOptions | undefined,
  ): Promise<number> {
    const by = (): number => sign * Math.floor(finite(delta, operation));
    const fast = this.runSync(operation, key, (s, k, d) => s.incrBy(k, by(), this.expiry(d, options)));
    return fast ?? this.run(operation, [key], (d, [k]) => d.incrBy(k!, by(), this.expiry(d, options)));
  }
}

/** A keyspace of 64-bit floats. */
export class FloatKeyspace<K> extends BasicKeyspace<K, number> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serialize(value: number, operation: string): string {
    return String(finite(value, operation));
  }
  protected deserialize(data: string, operation: string, key: string): number {
    const n = Number(data);
    if (data.trim() === "" || Number.isNaN(n))
      throw new CacheValueError(`stored value ${JSON.stringify(data.slice(0, 40))} is not a number`, {
        operation,
        key,
      });
    return n;
  }

  /** Adds `delta` (default 1) and returns the new value; a missing key counts as 0. */
  increment(key: K, delta = 1, options?: WriteOptions): Promise<number> {
    return this.run("increment", [key], (d, [k]) =>
      d.incrByFloat(k!, finite(delta, "increment"), this.expiry(d, options)),
    );
  }

  /** Subtracts `delta` (default 1) and returns the new value. */
  decrement(key: K, delta = 1, options?: WriteOptions): Promise<number> {
    return this.run("decrement", [key], (d, [k]) =>
      d.incrByFloat(k!, -finite(delta, "decrement"), this.expiry(d, options)),
    );
  }
}

/** A keyspace of structured values, stored as JSON. */
export class StructKeyspace<K, V> extends BasicKeyspace<K, V> {
  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>) {
    super(cluster, config);
  }
  protected serialize(value: V, operation: string): string {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      throw new CacheValueError(`value cannot be serialized as JSON: ${String(err)}`, {
        operation,
        cause: err,
      });
    }
    if (json === undefined) throw new CacheValueError("value cannot be serialized as JSON", { operation });
    return json;
  }
  protected deserialize(data: string, operation: string, key: string): V {
    try {
      return JSON.parse(data) as V;
    } catch (err) {
      throw new CacheValueError(`stored value is not valid JSON`, { operation, key, cause: err });
    }
  }
}
