/**
 * The cache's errors: every failure of the typed cache API is a {@link CacheError}, naming the
 * operation and the Redis key involved.
 */
import { DriverError } from "./driver.js";

/** Base class of every error the cache API throws. */
export class CacheError extends Error {
  /** The keyspace operation, e.g. `"increment"`; empty for errors outside an operation. */
  readonly operation: string;
  /** The Redis key the operation worked on (the first one for multi-key operations), if any. */
  readonly key: string | undefined;
  /** The message without the `cache:` prefix and the operation/key suffix. */
  readonly detail: string;

  constructor(message: string, options: { operation?: string; key?: string; cause?: unknown } = {}) {
    const where = options.operation
      ? ` (${options.operation}${options.key !== undefined ? ` ${JSON.stringify(options.key)}` : ""})`
      : "";
    super(`cache: ${message}${where}`, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.operation = options.operation ?? "";
    this.key = options.key;
    this.detail = message;
  }
}

/** The key does not exist (thrown by `replace()`). */
export class CacheMiss extends CacheError {
  constructor(key: string, operation = "replace") {
    super("key not found", { operation, key });
  }
}

/** The key already exists (thrown by `setIfNotExists()`). */
export class CacheKeyExists extends CacheError {
  constructor(key: string, operation = "setIfNotExists") {
    super("key already exists", { operation, key });
  }
}

/** The key holds a value of another type than the keyspace's (e.g. a list where an integer is expected). */
export class CacheWrongTypeError extends CacheError {}

/** The stored value is not a number, or an increment overflows. */
export class CacheValueError extends CacheError {}

/** The backend could not be reached, the connection broke, or it timed out. */
export class CacheConnectionError extends CacheError {}

/** The cache is misconfigured: bad cluster name or key pattern, unknown URL, overlapping keyspaces... */
export class CacheConfigError extends CacheError {}

/** The backend cannot run this operation (e.g. list keyspaces on memcached), or keys span cluster slots. */
export class CacheUnsupportedError extends CacheError {}

/** The backend's memory limit was reached and its eviction policy is `noeviction`. */
export class CacheOutOfMemoryError extends CacheError {}

/** Turns any failure of a driver call into the matching {@link CacheError}, naming `operation` and `key`. */
export function toCacheError(err: unknown, operation: string, key: string | undefined): CacheError {
  if (err instanceof CacheError) {
    if (err.operation !== "" && (err.key !== undefined || key === undefined)) return err;
    // Thrown before the key was known (argument checks): same class, with the operation and key.
    const Ctor = err.constructor as new (m: string, o: object) => CacheError;
    if (err instanceof CacheMiss || err instanceof CacheKeyExists) return err;
    return new Ctor(err.detail, {
      operation: err.operation || operation,
      key: err.key ?? key,
      cause: err.cause,
    });
  }
  const ctx = { operation, key, cause: err };
  if (err instanceof DriverError) {
    const msg = err.message;
    switch (err.kind) {
      case "wrong-type":
        return new CacheWrongTypeError(`the key holds a value of another type: ${msg}`, ctx);
      case "not-a-number":
        return new CacheValueError(msg, ctx);
      case "out-of-range":
      case "no-such-key":
        return new CacheValueError(msg, ctx);
      case "connection":
      case "timeout":
        return new CacheConnectionError(msg, ctx);
      case "cross-slot":
        return new CacheUnsupportedError(
          `the keys map to different Redis Cluster slots; give them a common hash tag ({...}) in the key pattern: ${msg}`,
          ctx,
        );
      case "out-of-memory":
        return new CacheOutOfMemoryError(msg, ctx);
      case "unsupported":
        return new CacheUnsupportedError(msg, ctx);
      default:
        return new CacheError(msg, ctx);
    }
  }
  return new CacheError(err instanceof Error ? err.message : String(err), ctx);
}
