/**
 * The Redis backends of the cache API, on the ioredis client: a standalone server (`redis://`,
 * `rediss://`), Redis Cluster (`redis+cluster://`, see ./redis-cluster.ts) and a master found
 * through Sentinel (`redis+sentinel://`). Importing this module registers the four URL schemes.
 *
 * Why ioredis: with auto-pipelining (every command issued in the same event-loop tick goes out
 * in one write) it did 2.7x node-redis 6's SET+GET throughput with 1,000 operations in flight on
 * this machine (bench/cache-backends.ts, "clients"), and one client covers standalone, Cluster
 * and Sentinel. It is a regular dependency of reddish.
 *
 * One connection per driver, auto-pipelined, instead of a pool: the cache API sends no blocking
 * commands, so a single pipelined connection never waits behind a slow command and beats a pool
 * of unpipelined ones. Lost connections are re-established by ioredis (back-off 50 ms per
 * attempt, at most 2 s); commands issued meanwhile wait in its offline queue and fail with a
 * `connection` error after `maxRetriesPerRequest` failed attempts.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import {
  RedisCommandDriver,
  registerCacheBackend,
  type CacheDriver,
  type DriverArg,
  type DriverCapabilities,
  type DriverContext,
  type DriverReply,
} from "../driver.js";
import { CacheConfigError } from "../errors.js";
import { parseBackendUrl, safeUrl, UrlOptions, type BackendUrl } from "./redis-url.js";
import { CLUSTER_CAPABILITIES, IoredisClusterDriver } from "./redis-cluster.js";
import {
  closeClient,
  ConnectionErrors,
  execAtomic,
  ioredisError,
  reply,
  toArgs,
  type Endpoint,
} from "./redis-common.js";

/** Options of {@link redisDriver} besides the URL's own (the same names as the URL options). */
export interface RedisDriverOptions {
  /** Milliseconds to establish a connection (default 5000). */
  connectTimeout?: number;
  /** Milliseconds a command may wait for its reply before failing with a `timeout` error (default: no limit). */
  commandTimeout?: number;
  /** Reconnection attempts a pending command survives before failing (default 1). */
  maxRetriesPerRequest?: number;
  /** Send commands of one tick in one write (default true). */
  autoPipelining?: boolean;
  /**
   * Node's TLS options (`ca`, `cert`, `key` as PEM contents, `servername`, ...), used by
   * `rediss://`, `tls=true` (cluster, and Sentinel's master and replicas) and `sentinelTls=true`;
   * the URL's `ca`, `cert`, `key` (file paths), `servername`, `rejectUnauthorized` override them.
   */
  tls?: TlsOptions;
}

/** Capabilities of every Redis backend: everything, no key limit. */
const REDIS_CAPABILITIES: DriverCapabilities = { lists: true, sets: true };

/** A cache driver on one ioredis client (a standalone server, or a Sentinel-managed master). */
export class IoredisDriver extends RedisCommandDriver {
  readonly name: string;
  override readonly capabilities = REDIS_CAPABILITIES;

  /**
   * @param client the connection (owned: closed by {@link close} when `owned`).
   * @param endpoint how messages name the server, e.g. `Redis at 127.0.0.1:6379`.
   */
  constructor(
    readonly client: Redis,
    private readonly endpoint: Endpoint,
    private readonly owned: boolean,
    name = "redis",
  ) {
    super();
    this.name = name;
  }

  protected async send(args: readonly DriverArg[]): Promise<DriverReply> {
    const [name, rest] = toArgs(args);
    try {
      return reply(await this.client.call(name, rest));
    } catch (e) {
      throw ioredisError(e, this.endpoint);
    }
  }

  protected sendAtomic(cmds: readonly (readonly DriverArg[])[]): Promise<DriverReply[]> {
    return execAtomic(this.client, cmds, this.endpoint);
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    await closeClient(this.client);
  }
}

/**
 * The TLS settings: the code's `tls` option, overridden by the URL's `ca`, `cert`, `key` (PEM file
 * paths, read now), `servername` and `rejectUnauthorized`. Whether they are used is up to the
 * scheme and the `tls` / `sentinelTls` URL options.
 */
function tlsSettings(text: string, opts: UrlOptions, base: TlsOptions | undefined): TlsOptions {
  const file = (name: string): Buffer | undefined => {
    const path = opts.string(name);
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new CacheConfigError(
        `invalid cache URL "${safeUrl(text)}": cannot read ${name}=${path}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  };
  const tls: TlsOptions = { ...base };
  const ca = file("ca");
  const cert = file("cert");
  const key = file("key");
  const servername = opts.string("servername");
  const rejectUnauthorized = opts.bool("rejectUnauthorized");
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;
  if (servername !== undefined) tls.servername = servername;
  if (rejectUnauthorized !== undefined) tls.rejectUnauthorized = rejectUnauthorized;
  return tls;
}

/** The ioredis options every connection shares, from the URL's options and the code's. */
function commonOptions(
  url: BackendUrl,
  text: string,
  options: RedisDriverOptions,
): { opts: UrlOptions; redis: RedisOptions } {
  const opts = new UrlOptions(text, url.params);
  const redis: RedisOptions = {
    connectTimeout: opts.int("connectTimeout") ?? options.connectTimeout ?? 5000,
    maxRetriesPerRequest: opts.int("maxRetriesPerRequest") ?? options.maxRetriesPerRequest ?? 1,
    enableAutoPipelining: opts.bool("autoPipelining") ?? options.autoPipelining ?? true,
    retryStrategy: (times) => Math.min(times * 50, 2000),
  };
  const commandTimeout = opts.int("commandTimeout") ?? options.commandTimeout;
  if (commandTimeout !== undefined && commandTimeout > 0) redis.commandTimeout = commandTimeout;
  if (url.username !== undefined) redis.username = url.username;
  if (url.password !== undefined) redis.password = url.password;
  return { opts, redis };
}

function dbNumber(text: string, value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const db = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(db)) {
    throw new CacheConfigError(`invalid cache URL "${safeUrl(text)}": database "${value}" is not a number`);
  }
  return db;
}

function hostsText(url: BackendUrl): string {
  return url.hosts
    .map((h) => (h.host.includes(":") ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`))
    .join(",");
}

/**
 * A cache driver from a URL or a client you made:
 * - `redis://[user[:password]@]host[:port][/db][?options]`, `rediss://...` (TLS);
 * - `redis+cluster://[user[:password]@]h1:p1,h2:p2[?options]` (Redis Cluster: the seed nodes);
 * - `redis+sentinel://[user[:password]@]s1:p1,s2:p2/masterName[/db][?options]`;
 * - or an ioredis `Redis` or `Cluster` instance, which stays yours (close() leaves it open).
 *
 * URL options (query parameters): `connectTimeout`, `commandTimeout`, `maxRetriesPerRequest`
 * (milliseconds / counts), `autoPipelining` (true/false), `db`; TLS: `tls=true` (implied by
 * `rediss://`; on Sentinel, TLS to the master and replicas), `ca`, `cert`, `key` (PEM file paths),
 * `servername`, `rejectUnauthorized=false`; Sentinel: `sentinelUsername`, `sentinelPassword`,
 * `sentinelTls=true` (TLS to the sentinels). Connection errors name TLS failures and what to check.
 */
export function redisDriver(
  target: string | URL | Redis | Cluster,
  options: RedisDriverOptions = {},
): CacheDriver {
  // A client of your own keeps its "error" listeners (or ioredis's logging of errors) as they are.
  if (target instanceof Cluster) {
    return new IoredisClusterDriver(target, { where: "Redis Cluster", tls: false }, false);
  }
  if (target instanceof Redis) {
    const o = target.options;
    const where = o.sentinels ? `Redis master "${o.name}" (Sentinel)` : `Redis at ${o.host}:${o.port}`;
    return new IoredisDriver(target, { where, tls: o.tls !== undefined }, false);
  }
  const text = String(target);
  const url = parseBackendUrl(text, url0Port(text));
  const { opts, redis } = commonOptions(url, text, options);
  switch (url.scheme) {
    case "redis":
    case "rediss": {
      if (url.hosts.length !== 1) {
        throw new CacheConfigError(
          `invalid cache URL "${safeUrl(text)}": redis:// takes one host; use redis+cluster:// for a cluster or redis+sentinel:// for Sentinel`,
        );
      }
      const { host, port } = url.hosts[0]!;
      const tlsOn = opts.bool("tls") ?? url.scheme === "rediss";
      const tls = tlsSettings(text, opts, options.tls);
      const db = dbNumber(text, opts.string("db") ?? url.path[0]);
      opts.done();
      const client = new Redis({ ...redis, host, port, db, ...(tlsOn ? { tls } : {}) });
      const endpoint = { where: `Redis at ${hostsText(url)}${tlsOn ? " (TLS)" : ""}`, tls: tlsOn };
      return new IoredisDriver(client, { ...endpoint, errors: new ConnectionErrors(client) }, true);
    }
    case "redis+sentinel": {
      const masterName = url.path[0];
      if (masterName === undefined) {
        throw new CacheConfigError(
          `invalid cache URL "${safeUrl(text)}": name the master, e.g. redis+sentinel://host:26379/mymaster`,
        );
      }
      // tls=true: TLS to the master (and replicas); sentinelTls=true: TLS to the sentinels.
      const tlsOn = opts.bool("tls") ?? false;
      const sentinelTls = opts.bool("sentinelTls") ?? false;
      const tls = tlsSettings(text, opts, options.tls);
      const db = dbNumber(text, opts.string("db") ?? url.path[1]);
      const sentinelUsername = opts.string("sentinelUsername");
      const sentinelPassword = opts.string("sentinelPassword");
      opts.done();
      const client = new Redis({
        ...redis,
        sentinels: url.hosts,
        name: masterName,
        db,
        ...(tlsOn ? { tls, enableTLSForSentinelMode: true } : {}),
        ...(sentinelTls ? { sentinelTLS: tls } : {}),
        ...(sentinelUsername !== undefined ? { sentinelUsername } : {}),
        ...(sentinelPassword !== undefined ? { sentinelPassword } : {}),
        // The sentinels are asked for the master's address on every (re)connection.
        sentinelRetryStrategy: (times: number) => (times > 3 ? null : Math.min(times * 100, 1000)),
        // Reconnect as soon as a sentinel announces a new master (+switch-master): after a planned
        // failover the old master stays up, and stays a master for seconds until the sentinels
        // reconfigure it; writes sent to it meanwhile would be lost (11 s on this machine).
        failoverDetector: true,
      });
      const where = `Redis master "${masterName}" via Sentinel ${hostsText(url)}${tlsOn ? " (TLS)" : ""}`;
      return new IoredisDriver(client, { where, tls: tlsOn, errors: new ConnectionErrors(client) }, true);
    }
    case "redis+cluster": {
      if (url.path.length > 0 && url.path[0] !== "0") {
        throw new CacheConfigError(`invalid cache URL "${safeUrl(text)}": Redis Cluster has only database 0`);
      }
      const tlsOn = opts.bool("tls") ?? false;
      const tls = tlsSettings(text, opts, options.tls);
      opts.done();
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...redis, ...(tlsOn ? { tls } : {}) },
        enableAutoPipelining: redis.enableAutoPipelining ?? true,
        clusterRetryStrategy: (times) => (times > 3 ? null : Math.min(times * 100, 1000)),
      };
      const client = new Cluster(url.hosts, clusterOptions);
      const where = `Redis Cluster at ${hostsText(url)}${tlsOn ? " (TLS)" : ""}`;
      return new IoredisClusterDriver(
        client,
        { where, tls: tlsOn, errors: new ConnectionErrors(client) },
        true,
      );
    }
    default:
      throw new CacheConfigError(`invalid cache URL "${safeUrl(text)}": not a Redis URL`);
  }
}

function url0Port(text: string): number {
  return /^redis\+sentinel:/i.test(text) ? 26379 : 6379;
}

registerCacheBackend({
  schemes: ["redis", "rediss", "redis+sentinel"],
  capabilities: REDIS_CAPABILITIES,
  create: (url: URL | string, _context: DriverContext) => redisDriver(String(url)),
});
registerCacheBackend({
  schemes: ["redis+cluster"],
  capabilities: CLUSTER_CAPABILITIES,
  create: (url: URL | string, _context: DriverContext) => redisDriver(String(url)),
});
