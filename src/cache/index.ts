/**
 * `reddish/cache`: a declarative, typed cache API in the shape of Encore's
 * `encore.dev/storage/cache`, running on the embedded server in development and tests and on
 * Redis, Redis Cluster, Sentinel or Memcached in production (chosen by URL, see `configureCache`).
 *
 * @example
 * ```ts
 * import { CacheCluster, IntKeyspace, expireInSeconds } from "reddish/cache";
 * const cluster = new CacheCluster("rate-limit", { evictionPolicy: "allkeys-lru" });
 * const requests = new IntKeyspace<{ userId: string }>(cluster, {
 *   keyPattern: "requests/:userId",
 *   defaultExpiry: expireInSeconds(10),
 * });
 * const count = await requests.increment({ userId: "u1" }, 1);
 * ```
 * @packageDocumentation
 */
import "./backends/embedded.js";
import "./backends/redis.js";
import "./backends/memcached.js";

export {
  CacheCluster,
  EVICTION_POLICIES,
  DEFAULT_DEVELOPMENT_MAXMEMORY,
  configureCache,
  closeCache,
  clusterUrlVariable,
  type CacheClusterConfig,
  type CacheConfiguration,
  type EvictionPolicy,
} from "./cluster.js";
export { Keyspace, type KeyspaceConfig, type WriteOptions } from "./keyspace.js";
export {
  BasicKeyspace,
  StringKeyspace,
  IntKeyspace,
  FloatKeyspace,
  StructKeyspace,
  type GetResult,
  type MultiSetEntry,
} from "./basic.js";
export { ListKeyspace, StringListKeyspace, NumberListKeyspace, type ListPosition } from "./list.js";
export { SetKeyspace, StringSetKeyspace, NumberSetKeyspace } from "./set.js";
export {
  type Expiry,
  expireIn,
  expireInSeconds,
  expireInMinutes,
  expireInHours,
  expireDailyAt,
  neverExpire,
  keepTTL,
  ExpireIn,
  ExpireInSeconds,
  ExpireInMinutes,
  ExpireInHours,
  ExpireDailyAt,
  NeverExpire,
  KeepTTL,
} from "./expiry.js";
export {
  CacheError,
  CacheMiss,
  CacheKeyExists,
  CacheWrongTypeError,
  CacheValueError,
  CacheConnectionError,
  CacheConfigError,
  CacheUnsupportedError,
  CacheOutOfMemoryError,
} from "./errors.js";
export {
  KeyspaceMetrics,
  cacheEvents,
  type CacheOperationEvent,
  type KeyspaceMetricsSnapshot,
  type OperationResult,
} from "./metrics.js";
export { KeyPattern, type KeyPatternFor } from "./keypattern.js";
export {
  type CacheDriver,
  type DriverCapabilities,
  type DriverArg,
  type DriverCommand,
  type DriverContext,
  type DriverExpiry,
  type DriverFactory,
  type DriverReply,
  type DriverSetOptions,
  type DriverSetResult,
  type SyncDriverOperations,
  DriverError,
  RedisCommandDriver,
  registerCacheBackend,
  driverErrorFromReply,
} from "./driver.js";
export { InProcessDriver, createEmbeddedCore, type EmbeddedCoreOptions } from "./backends/embedded.js";
export { redisDriver, type RedisDriverOptions } from "./backends/redis.js";
export { memcachedDriver, type MemcachedDriverOptions } from "./backends/memcached.js";
