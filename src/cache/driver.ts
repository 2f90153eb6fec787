/**
 * The narrow interface between the typed cache API (keyspaces) and a backend (embedded server,
 * Redis, Redis Cluster, Sentinel, Memcached), and the registry that picks a backend from a URL.
 *
 * Two levels, so that every backend implements only what it can:
 * - typed operations for the basic keyspaces (string, int, float, struct): {@link CacheDriver.get},
 *   {@link CacheDriver.set}, {@link CacheDriver.incrBy}... each taking the write's
 *   {@link DriverExpiry}, which the driver applies atomically with the write. Memcached implements
 *   these directly; Redis-like backends get them for free by extending {@link RedisCommandDriver}.
 * - raw Redis commands for list and set keyspaces ({@link CacheDriver.command} and
 *   {@link CacheDriver.atomic}), restricted to the vocabulary {@link COLLECTION_COMMANDS}, whose
 *   key positions {@link commandKeys} reports (for cluster routing). Backends without them say so
 *   in {@link DriverCapabilities} and the keyspaces are rejected at construction.
 *
 * Values cross the interface as JavaScript strings (UTF-8 text on the wire): every keyspace value
 * is a string, a number or JSON.
 */

/** An argument of a raw command. Numbers are sent in decimal. */
export type DriverArg = string | number;

/** A raw command: its name (upper case) then its arguments. */
export type DriverCommand = readonly [CollectionCommandName, ...DriverArg[]];

/**
 * A reply value: bulk and status strings as strings (UTF-8 decoded), integers as numbers,
 * arrays (and sets) as arrays, nil as null. Error replies are never values: they are thrown as
 * {@link DriverError}.
 */
export type DriverReply = string | number | null | DriverReply[];

/**
 * What a write does to the key's time to live, resolved by the keyspace from the write option,
 * `with()` and `defaultExpiry` (in that order of precedence).
 * - `unset`: nothing configured. The command runs as Redis would run it alone: `SET` (and
 *   `set`, `setIfNotExists`, `replace`, `getAndSet`, `multiSet`) removes any previous TTL, while
 *   commands that modify a value in place (`INCRBY`, `APPEND`, `RPUSH`, `SADD`...) keep it.
 *   This is what Encore's runtime does (it sends plain `SET` / `INCRBY`).
 * - `keep`: keep the key's current TTL (`KEEPTTL`); a new key gets none.
 * - `never`: the key has no TTL after the write (`PERSIST`).
 * - `in`: the key expires `ms` milliseconds after the write; `ms <= 0` means it is expired at once
 *   (the write happens, its reply is returned, and the key is gone).
 */
export type DriverExpiry =
  | { readonly kind: "unset" }
  | { readonly kind: "keep" }
  | { readonly kind: "never" }
  | { readonly kind: "in"; readonly ms: number };

/** Kinds of {@link DriverError}, so keyspaces can raise the right `CacheError` subclass. */
export type DriverErrorKind =
  /** The key holds a value of another type (Redis `WRONGTYPE`). */
  | "wrong-type"
  /** The stored value or the delta is not a number, or the result overflows. */
  | "not-a-number"
  /** An index is out of range (`LSET`). */
  | "out-of-range"
  /** The key does not exist where it must (`LSET` on a missing list). */
  | "no-such-key"
  /** Could not reach the server, the connection broke, or the server is loading / read-only. */
  | "connection"
  /** The server did not answer in time. */
  | "timeout"
  /** Keys of one multi-key operation live in different Redis Cluster slots. */
  | "cross-slot"
  /** The memory limit was reached with the `noeviction` policy (Redis `OOM`). */
  | "out-of-memory"
  /** The backend cannot run this operation (e.g. lists on memcached). */
  | "unsupported"
  /** Anything else the server rejected. */
  | "other";

/** An error reported by a driver; the keyspace turns it into a `CacheError` with operation and key. */
export class DriverError extends Error {
  constructor(
    readonly kind: DriverErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DriverError";
  }
}

/**
 * Maps a Redis error reply (`WRONGTYPE ...`, `ERR value is not an integer...`) to a
 * {@link DriverError}. Shared by every Redis-speaking driver so they classify errors alike.
 */
export function driverErrorFromReply(message: string): DriverError {
  const code = message.slice(0, message.indexOf(" ") >>> 0);
  let kind: DriverErrorKind = "other";
  if (code === "WRONGTYPE") kind = "wrong-type";
  else if (code === "CROSSSLOT") kind = "cross-slot";
  else if (code === "OOM") kind = "out-of-memory";
  else if (code === "LOADING" || code === "READONLY" || code === "MASTERDOWN" || code === "CLUSTERDOWN")
    kind = "connection";
  else if (code === "NOAUTH" || code === "WRONGPASS") kind = "connection";
  else if (/not an integer|not a valid float|overflow|would produce NaN or Infinity/.test(message))
    kind = "not-a-number";
  else if (message === "ERR index out of range") kind = "out-of-range";
  else if (message === "ERR no such key") kind = "no-such-key";
  return new DriverError(kind, message);
}

/** What a backend can do; the keyspaces check it at construction and before each operation. */
export interface DriverCapabilities {
  /** List keyspaces work (Redis-like backends). */
  readonly lists: boolean;
  /** Set keyspaces work (Redis-like backends). */
  readonly sets: boolean;
  /** Longest key in bytes (memcached: 250); undefined for no practical limit. */
  readonly maxKeyBytes?: number;
  /**
   * Longest relative TTL in ms the backend takes as a duration; longer ones the driver itself
   * converts (memcached treats more than 30 days as an absolute Unix time). Informative.
   */
  readonly maxRelativeTtlMs?: number;
  /** Multi-key operations may fail with `cross-slot` (Redis Cluster). */
  readonly crossSlotRestricted?: boolean;
}

/** Options of {@link CacheDriver.set}. */
export interface DriverSetOptions {
  /** `nx`: only if the key does not exist; `xx`: only if it exists; default: always. */
  readonly condition?: "nx" | "xx";
  /** Also return the previous value (`SET ... GET`). */
  readonly get?: boolean;
  readonly expiry: DriverExpiry;
}

/** Reply of {@link CacheDriver.set}. */
export interface DriverSetResult {
  /** False when the condition prevented the write. */
  readonly written: boolean;
  /** The previous value when `get` was asked (null: there was none). */
  readonly previous: string | null;
}

/**
 * The hottest driver operations in synchronous form: same commands and results as the
 * {@link CacheDriver} methods of the same names, returned instead of resolved, and failures
 * thrown ({@link DriverError}) instead of rejected. They save the promise hops that dominate
 * an in-process call.
 */
export interface SyncDriverOperations {
  /**
   * A `performance.now()` reading the caller took as its operation began, or undefined. The
   * driver times its next command from it instead of reading the clock again, then clears it.
   */
  startedAt: number | undefined;
  get(key: string): string | null;
  set(key: string, value: string, options: DriverSetOptions): DriverSetResult;
  incrBy(key: string, delta: number, expiry: DriverExpiry): number;
}

/**
 * A backend. All methods are asynchronous and either resolve with the reply or reject with a
 * {@link DriverError}. Every write applies its {@link DriverExpiry} atomically with the write.
 */
export interface CacheDriver {
  /** Backend name for messages, e.g. `"memory"`, `"redis"`, `"memcached"`. */
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  /** The backend's current time in Unix ms (a manual clock in tests); keyspaces resolve `expireDailyAt` with it. */
  now(): number;
  /**
   * Synchronous forms of the hottest operations, only on drivers whose commands complete before
   * the call returns (the embedded in-process driver); keyspaces prefer them when present.
   */
  readonly sync?: SyncDriverOperations;

  /** `GET key`: the value, or null. */
  get(key: string): Promise<string | null>;
  /** `MGET keys...`: values in order, null for missing ones. Cluster drivers split per slot. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** `SET key value [NX|XX] [GET] [PX ms|KEEPTTL]`. */
  set(key: string, value: string, options: DriverSetOptions): Promise<DriverSetResult>;
  /** Sets several keys atomically, each with the same expiry (one `MULTI`, or per-server batches). */
  mset(entries: readonly (readonly [key: string, value: string])[], expiry: DriverExpiry): Promise<void>;
  /** `GETDEL key`. */
  getDel(key: string): Promise<string | null>;
  /** `DEL keys...`: how many existed. */
  del(keys: readonly string[]): Promise<number>;
  /** `INCRBY key delta` (delta an integer) with the expiry applied atomically; the new value. */
  incrBy(key: string, delta: number, expiry: DriverExpiry): Promise<number>;
  /** `INCRBYFLOAT key delta` with the expiry applied atomically; the new value. */
  incrByFloat(key: string, delta: number, expiry: DriverExpiry): Promise<number>;
  /** `APPEND key value`; the new length in bytes. */
  append(key: string, value: string, expiry: DriverExpiry): Promise<number>;
  /** `GETRANGE key start end` (byte offsets, inclusive, negative from the end). */
  getRange(key: string, start: number, end: number): Promise<string>;
  /** `SETRANGE key offset value`; the new length in bytes. */
  setRange(key: string, offset: number, value: string, expiry: DriverExpiry): Promise<number>;
  /** `STRLEN key` (bytes; 0 when missing). */
  strlen(key: string): Promise<number>;

  /** Runs one raw command of {@link COLLECTION_COMMANDS}. Only when `capabilities.lists || capabilities.sets`. */
  command(cmd: DriverCommand): Promise<DriverReply>;
  /**
   * Runs raw commands atomically (`MULTI`/`EXEC`) and returns their replies. If one of them
   * fails, rejects with the first failure's {@link DriverError} (the others have run, as in Redis).
   */
  atomic(cmds: readonly DriverCommand[]): Promise<DriverReply[]>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Key positions of a raw command: argument indexes (1-based, after the name) holding keys. */
export type KeyPositions = "first" | "first-two" | "all";

/**
 * The raw commands list and set keyspaces send, with where their keys are. A driver must accept
 * these (when it supports lists/sets); cluster drivers route by the keys {@link commandKeys} gives.
 */
export const COLLECTION_COMMANDS = {
  // lists
  LPUSH: "first",
  RPUSH: "first",
  LPOP: "first",
  RPOP: "first",
  LLEN: "first",
  LTRIM: "first",
  LSET: "first",
  LINDEX: "first",
  LRANGE: "first",
  LINSERT: "first",
  LREM: "first",
  LMOVE: "first-two",
  // sets
  SADD: "first",
  SREM: "first",
  SPOP: "first",
  SISMEMBER: "first",
  SCARD: "first",
  SMEMBERS: "first",
  SRANDMEMBER: "first",
  SMOVE: "first-two",
  SDIFF: "all",
  SINTER: "all",
  SUNION: "all",
  SDIFFSTORE: "all",
  SINTERSTORE: "all",
  SUNIONSTORE: "all",
  // expiry, applied in the same transaction as the write
  PEXPIRE: "first",
  PERSIST: "first",
  DEL: "all",
} as const satisfies Record<string, KeyPositions>;

/** Name of a command of {@link COLLECTION_COMMANDS}. */
export type CollectionCommandName = keyof typeof COLLECTION_COMMANDS;

/** The keys of a raw command, in order (for cluster slot routing). */
export function commandKeys(cmd: DriverCommand): string[] {
  const positions: KeyPositions = COLLECTION_COMMANDS[cmd[0]];
  const args = cmd.slice(1).map(String);
  if (positions === "first") return args.slice(0, 1);
  if (positions === "first-two") return args.slice(0, 2);
  return args;
}

/** The raw commands that apply `expiry` to `key` after a write, inside the write's transaction. */
export function expiryCommands(key: string, expiry: DriverExpiry): DriverCommand[] {
  switch (expiry.kind) {
    case "unset":
    case "keep":
      return [];
    case "never":
      return [["PERSIST", key]];
    case "in":
      // PEXPIRE with a non-positive time deletes the key at once (Redis 7).
      return [["PEXPIRE", key, Math.max(0, Math.ceil(expiry.ms))]];
  }
}

/**
 * A base for drivers that speak Redis commands (embedded in-process, embedded TCP, Redis,
 * Cluster, Sentinel): implement {@link RedisCommandDriver.send} and
 * {@link RedisCommandDriver.sendAtomic} with your client; every typed operation is derived here,
 * so all Redis-like backends issue identical commands.
 */
export abstract class RedisCommandDriver implements CacheDriver {
  abstract readonly name: string;
  readonly capabilities: DriverCapabilities = { lists: true, sets: true };

  /**
   * Sends one command (any Redis command: the typed operations use GET, MGET, SET, GETDEL, DEL,
   * INCRBY, INCRBYFLOAT, APPEND, GETRANGE, SETRANGE, STRLEN, PEXPIRE, PERSIST besides
   * {@link COLLECTION_COMMANDS}). Rejects with {@link DriverError} (use {@link driverErrorFromReply}).
   */
  protected abstract send(args: readonly DriverArg[]): Promise<DriverReply>;
  /** Sends commands in one `MULTI`/`EXEC`; resolves with the replies, or rejects with the first error. */
  protected abstract sendAtomic(cmds: readonly (readonly DriverArg[])[]): Promise<DriverReply[]>;
  abstract close(): Promise<void>;

  now(): number {
    return Date.now();
  }

  /** Runs a write then the commands applying its expiry, atomically when there are any; the write's reply. */
  protected async writeWithExpiry(
    write: readonly DriverArg[],
    key: string,
    expiry: DriverExpiry,
  ): Promise<DriverReply> {
    const extra = expiryCommands(key, expiry);
    if (extra.length === 0) return this.send(write);
    const replies = await this.sendAtomic([write, ...extra]);
    return replies[0] ?? null;
  }

  async get(key: string): Promise<string | null> {
    return asBulk(await this.send(["GET", key]));
  }
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const reply = await this.send(["MGET", ...keys]);
    return (reply as DriverReply[]).map(asBulk);
  }
  async set(key: string, value: string, options: DriverSetOptions): Promise<DriverSetResult> {
    return setResult(await this.send(setArgs(key, value, options)), options);
  }
  async mset(entries: readonly (readonly [string, string])[], expiry: DriverExpiry): Promise<void> {
    if (entries.length === 0) return;
    const cmds: DriverArg[][] = entries.map(([k, v]) => {
      const c: DriverArg[] = ["SET", k, v];
      if (expiry.kind === "keep") c.push("KEEPTTL");
      else if (expiry.kind === "in") c.push(...(expiry.ms <= 0 ? ["PXAT", 1] : ["PX", Math.ceil(expiry.ms)]));
      return c;
    });
    await this.sendAtomic(cmds);
  }
  async getDel(key: string): Promise<string | null> {
    return asBulk(await this.send(["GETDEL", key]));
  }
  async del(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return Number(await this.send(["DEL", ...keys]));
  }
  async incrBy(key: string, delta: number, expiry: DriverExpiry): Promise<number> {
    return Number(await this.writeWithExpiry(["INCRBY", key, delta], key, expiry));
  }
  async incrByFloat(key: string, delta: number, expiry: DriverExpiry): Promise<number> {
    return Number(await this.writeWithExpiry(["INCRBYFLOAT", key, formatFloat(delta)], key, expiry));
  }
  async append(key: string, value: string, expiry: DriverExpiry): Promise<number> {
    return Number(await this.writeWithExpiry(["APPEND", key, value], key, expiry));
  }
  async getRange(key: string, start: number, end: number): Promise<string> {
    return asBulk(await this.send(["GETRANGE", key, start, end])) ?? "";
  }
  async setRange(key: string, offset: number, value: string, expiry: DriverExpiry): Promise<number> {
    return Number(await this.writeWithExpiry(["SETRANGE", key, offset, value], key, expiry));
  }
  async strlen(key: string): Promise<number> {
    return Number(await this.send(["STRLEN", key]));
  }
  command(cmd: DriverCommand): Promise<DriverReply> {
    return this.send(cmd);
  }
  atomic(cmds: readonly DriverCommand[]): Promise<DriverReply[]> {
    return this.sendAtomic(cmds);
  }
}

/** The `SET` command for {@link CacheDriver.set}. */
export function setArgs(key: string, value: string, options: DriverSetOptions): DriverArg[] {
  const args: DriverArg[] = ["SET", key, value];
  if (options.condition === "nx") args.push("NX");
  else if (options.condition === "xx") args.push("XX");
  if (options.get) args.push("GET");
  const expiry = options.expiry;
  if (expiry.kind === "keep") args.push("KEEPTTL");
  else if (expiry.kind === "in") {
    // An expiry at or before now: PXAT 1 makes SET store nothing (the key is expired at
    // once) while NX/XX/GET behave exactly as for a live write.
    if (expiry.ms <= 0) args.push("PXAT", 1);
    else args.push("PX", Math.ceil(expiry.ms));
  }
  return args;
}

/** The result of {@link CacheDriver.set} from the reply of {@link setArgs}' command. */
export function setResult(reply: DriverReply, options: DriverSetOptions): DriverSetResult {
  if (options.get) {
    const previous = asBulk(reply);
    // With GET, SET answers the old value; whether it wrote follows from the condition.
    const written =
      options.condition === "nx" ? previous === null : options.condition === "xx" ? previous !== null : true;
    return { written, previous };
  }
  return { written: reply !== null, previous: null };
}

function asBulk(reply: DriverReply): string | null {
  return reply === null ? null : String(reply);
}

/** A finite float as a decimal string (`INCRBYFLOAT` accepts JavaScript's forms, `1e+21` included). */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) throw new DriverError("not-a-number", `${n} is not a finite number`);
  return String(n);
}

/** What a backend factory learns about the cluster it serves. */
export interface DriverContext {
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's eviction policy (Redis `maxmemory-policy`). */
  readonly evictionPolicy: string;
}

/** Creates drivers for the URL schemes it registers. */
export interface DriverFactory {
  /** URL schemes without the colon, e.g. `["redis", "rediss"]`. */
  readonly schemes: readonly string[];
  /** Capabilities every driver of this factory has, known before connecting (checked at keyspace construction). */
  readonly capabilities: DriverCapabilities;
  /**
   * Creates a driver; may connect lazily. `url` is the raw configured string (multi-host forms
   * like `redis+cluster://h1:7000,h2:7001` are not WHATWG URLs, so each factory parses its own).
   * Throw a `CacheConfigError` (or any error: it is wrapped in one) for a malformed URL.
   */
  create(url: string, context: DriverContext): CacheDriver | Promise<CacheDriver>;
}

const factories = new Map<string, DriverFactory>();

/**
 * Registers a backend for its URL schemes (replacing an earlier one for the same scheme).
 * The embedded backend registers `memory`; the Redis, Cluster, Sentinel and Memcached backends
 * register `redis`, `rediss`, `redis+cluster`, `redis+sentinel`, `memcached`.
 */
export function registerCacheBackend(factory: DriverFactory): void {
  for (const scheme of factory.schemes) factories.set(scheme.toLowerCase(), factory);
}

/** The scheme of a backend URL: the text before the first `:`, lower-cased ("" when there is none). */
export function urlScheme(url: string): string {
  const colon = url.indexOf(":");
  return colon <= 0 ? "" : url.slice(0, colon).toLowerCase();
}

/** The factory for a URL's scheme, or undefined when none is registered. */
export function backendForUrl(url: string): DriverFactory | undefined {
  return factories.get(urlScheme(url));
}

/** Schemes with a registered backend (for error messages). */
export function registeredSchemes(): string[] {
  return [...factories.keys()].sort();
}
