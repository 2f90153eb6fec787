/**
 * The part every keyspace shares: pattern validation and registration on the cluster (overlap
 * check), key encoding, expiry precedence (write option > `with()` > `defaultExpiry`), `delete`,
 * and the wrapper that runs each operation on the cluster's driver, turning failures into
 * `CacheError`s and recording metrics and events.
 */
import { EventEmitter } from "node:events";
import { CacheCluster, type ClusterState } from "./cluster.js";
import type { CacheDriver, DriverExpiry, SyncDriverOperations } from "./driver.js";
import { CacheConfigError, CacheError, CacheUnsupportedError, toCacheError } from "./errors.js";
import { type Expiry, resolveExpiry } from "./expiry.js";
import { KeyPattern, type KeyPatternFor } from "./keypattern.js";
import { type CacheOperationEvent, type OperationResult, KeyspaceMetrics, cacheEvents } from "./metrics.js";

/** Configuration of a keyspace. */
export interface KeyspaceConfig<K> {
  /**
   * How keys map to Redis keys: `/`-separated literals and `:field` parameters, e.g.
   * `"requests/:userId"`. For an object key type every field must appear (checked by TypeScript);
   * for a string or number key, the single parameter takes the key itself.
   */
  keyPattern: KeyPatternFor<K>;
  /** Expiry of writes that give none (no `expiry` option, no `with()`). Default: none. */
  defaultExpiry?: Expiry;
}

/** Options of write operations. */
export interface WriteOptions {
  /** Expiry of this write; overrides `with()` and the keyspace's `defaultExpiry`. */
  expiry?: Expiry;
}

/** What a keyspace stores, for the backend capability check. */
export type KeyspaceKind = "basic" | "list" | "set";

/** Base class of all keyspaces. */
export abstract class Keyspace<K> {
  /** Counters of this keyspace (shared with its `with()` views). */
  readonly metrics: KeyspaceMetrics;
  /** Emits `"operation"` with a {@link CacheOperationEvent} after each call (shared with `with()` views). */
  readonly events: EventEmitter<{ operation: [CacheOperationEvent] }>;
  /** @internal */
  protected readonly cluster: ClusterState;
  /** The parsed key pattern. */
  readonly keyPattern: KeyPattern;
  private readonly defaultExpiry: Expiry | undefined;
  private withExpiry: Expiry | undefined;
  private readonly kind: KeyspaceKind;

  constructor(cluster: CacheCluster, config: KeyspaceConfig<K>, kind: KeyspaceKind) {
    if (!(cluster instanceof CacheCluster))
      throw new CacheConfigError(
        "a keyspace needs a CacheCluster (new CacheCluster(name) or CacheCluster.named(name))",
      );
    if (!config || typeof config !== "object")
      throw new CacheConfigError("a keyspace needs a config with keyPattern");
    this.cluster = cluster.state;
    this.kind = kind;
    this.keyPattern = new KeyPattern(config.keyPattern as string);
    for (const other of this.cluster.patterns) {
      if (other.overlaps(this.keyPattern))
        throw new CacheConfigError(
          `key pattern ${JSON.stringify(this.keyPattern.pattern)} overlaps ${JSON.stringify(other.pattern)} in cache cluster "${this.cluster.name}": some keys of one would be keys of the other; make a literal segment differ`,
        );
    }
    this.checkCapabilities(this.cluster.capabilities());
    this.cluster.patterns.push(this.keyPattern);
    this.defaultExpiry = config.defaultExpiry;
    this.metrics = new KeyspaceMetrics();
    this.events = new EventEmitter();
  }

  private checkCapabilities(
    caps: { lists: boolean; sets: boolean } | undefined,
    backend = "this backend",
  ): void {
    if (!caps) return;
    if ((this.kind === "list" && !caps.lists) || (this.kind === "set" && !caps.sets))
      throw new CacheUnsupportedError(
        `${this.kind} keyspaces are not supported by ${backend} (cluster "${this.cluster.name}", pattern ${JSON.stringify(this.keyPattern.pattern)}); use a Redis backend for this cluster`,
      );
  }

  /**
   * A view of this keyspace whose writes use `options.expiry` unless a write gives its own.
   * @example await keyspace.with({ expiry: expireInSeconds(5) }).set(key, value);
   */
  with(options: WriteOptions): this {
    const view = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(view, this);
    (view as Keyspace<K>).withExpiry = options.expiry ?? this.withExpiry;
    return view;
  }

  /** The Redis key for `key` (exactly the pattern with escaped values; no hidden prefix). */
  redisKey(key: K, operation = "redisKey"): string {
    return this.keyPattern.encode(key, operation);
  }

  /** The driver expiry of a write. */
  protected expiry(driver: CacheDriver, options: WriteOptions | undefined): DriverExpiry {
    return resolveExpiry(options?.expiry ?? this.withExpiry ?? this.defaultExpiry, () => driver.now());
  }

  /**
   * Runs one operation: maps the keys, gets the driver, runs `fn`, converts failures into
   * `CacheError`s, records metrics and emits the event. `outcome` classifies reads as hit/miss.
   */
  protected run<T>(
    operation: string,
    keys: readonly K[],
    fn: (driver: CacheDriver, redisKeys: string[]) => Promise<T>,
    outcome?: (result: T) => OperationResult | [hits: number, misses: number],
  ): Promise<T> {
    const start = performance.now();
    let first: string | undefined;
    let pending: Promise<T>;
    try {
      const redisKeys = keys.map((k) => this.keyPattern.encode(k, operation));
      first = redisKeys[0];
      const driver = this.cluster.current();
      // Not connected yet (first operation): connect, then run.
      if (driver === undefined) return this.runConnecting(operation, redisKeys, start, fn, outcome);
      this.checkDriver(driver, redisKeys, operation);
      pending = fn(driver, redisKeys);
    } catch (err) {
      return rejectWith(() => this.fail(err, operation, first, start));
    }
    return pending.then(
      (result) => {
        this.finish(operation, first, start, outcome ? outcome(result) : "ok");
        return result;
      },
      (err: unknown) => {
        throw this.fail(err, operation, first, start);
      },
    );
  }

  /**
   * The fast path of single-key operations on drivers with {@link CacheDriver.sync} (in-process):
   * runs `fn` at once and returns its settled result, with the same errors, metrics and events as
   * {@link run}. Returns undefined, having done nothing, when the driver has no synchronous form
   * (or is not created yet); the caller then uses {@link run}.
   */
  protected runSync<T>(
    operation: string,
    key: K,
    fn: (ops: SyncDriverOperations, redisKey: string, driver: CacheDriver) => T,
    outcome?: (result: T) => OperationResult,
  ): Promise<T> | undefined {
    const driver = this.cluster.current();
    const ops = driver?.sync;
    if (ops === undefined) return undefined;
    const start = performance.now();
    let redisKey: string | undefined;
    let result: T;
    try {
      redisKey = this.keyPattern.encode(key, operation);
      if (this.kind !== "basic") this.checkCapabilities(driver!.capabilities, `the ${driver!.name} backend`);
      checkKeyLength(driver!, redisKey, operation);
      ops.startedAt = start; // the command's timing starts with the operation (one clock reading less)
      result = fn(ops, redisKey, driver!);
    } catch (err) {
      // `fn` may have failed before running a command (a value that cannot be serialized): the
      // reading must not time a later, unrelated command.
      ops.startedAt = undefined;
      return rejectWith(() => this.fail(err, operation, redisKey, start));
    }
    // Apart: a throwing event listener rejects the call (as on the asynchronous path) but must not
    // count the operation twice.
    try {
      this.finish(operation, redisKey, start, outcome ? outcome(result) : "ok");
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve(result);
  }

  private async runConnecting<T>(
    operation: string,
    redisKeys: string[],
    start: number,
    fn: (driver: CacheDriver, redisKeys: string[]) => Promise<T>,
    outcome?: (result: T) => OperationResult | [hits: number, misses: number],
  ): Promise<T> {
    const first = redisKeys[0];
    try {
      const driver = await this.cluster.connect();
      this.checkDriver(driver, redisKeys, operation);
      const result = await fn(driver, redisKeys);
      this.finish(operation, first, start, outcome ? outcome(result) : "ok");
      return result;
    } catch (err) {
      throw this.fail(err, operation, first, start);
    }
  }

  /** Refuses what the connected backend cannot do (collections, over-long keys). */
  private checkDriver(driver: CacheDriver, redisKeys: readonly string[], operation: string): void {
    if (this.kind !== "basic") this.checkCapabilities(driver.capabilities, `the ${driver.name} backend`);
    for (const k of redisKeys) checkKeyLength(driver, k, operation);
  }

  /** The CacheError of a failed operation, recorded in the metrics and events. */
  private fail(err: unknown, operation: string, key: string | undefined, start: number): CacheError {
    const e = toCacheError(err, operation, key);
    this.finish(operation, key, start, "error", e);
    return e;
  }

  private finish(
    operation: string,
    key: string | undefined,
    start: number,
    outcome: OperationResult | [number, number],
    error?: Error,
  ): void {
    const durationMs = performance.now() - start;
    let result: OperationResult;
    if (Array.isArray(outcome)) {
      const [hits, misses] = outcome;
      this.metrics.record("ok", durationMs);
      this.metrics.hits += hits;
      this.metrics.misses += misses;
      result = misses === 0 ? "hit" : "miss";
    } else {
      result = outcome;
      this.metrics.record(result, durationMs);
    }
    if (this.events.listenerCount("operation") > 0 || cacheEvents.listenerCount("operation") > 0) {
      const event: CacheOperationEvent = {
        cluster: this.cluster.name,
        keyspace: this.keyPattern.pattern,
        operation,
        key,
        result,
        durationMs,
        ...(error ? { error } : {}),
      };
      this.events.emit("operation", event);
      cacheEvents.emit("operation", event);
    }
  }

  /**
   * Deletes the keys; missing ones are ignored.
   * @returns how many existed.
   */
  delete(...keys: K[]): Promise<number> {
    return this.run("delete", keys, (d, ks) => d.del(ks));
  }
}

/** Refuses a key longer than the backend accepts (memcached's 250 bytes). */
function checkKeyLength(driver: CacheDriver, redisKey: string, operation: string): void {
  const max = driver.capabilities.maxKeyBytes;
  if (max === undefined) return;
  const bytes = Buffer.byteLength(redisKey);
  if (bytes > max)
    throw new CacheError(`key is ${bytes} bytes, more than the ${max} the ${driver.name} backend accepts`, {
      operation,
      key: redisKey,
    });
}

/** A promise rejected with `error()`'s result, or with what it threw (a throwing event listener). */
function rejectWith(error: () => unknown): Promise<never> {
  try {
    return Promise.reject(error());
  } catch (err) {
    return Promise.reject(err);
  }
}
