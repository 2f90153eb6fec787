/**
 * The memcached backend (`memcached://h1:p1,h2:p2`): String, Int, Float and Struct keyspaces
 * (list and set keyspaces are rejected at construction: memcached stores only blobs). Importing
 * this module registers the `memcached` URL scheme.
 *
 * - Servers are picked per key by consistent hashing (the `hashring` package, ketama-compatible:
 *   MD5 points on a continuum, so adding or removing a server moves only that server's share of
 *   the keys). Keys live on exactly one server; there is no replication or failover.
 * - Where memcached has no atomic operation for what Redis does, the driver reads the value, its
 *   CAS token and its remaining TTL in one `mg`, computes, and writes back with `ms ... C<cas>`,
 *   retrying when another client changed the item in between: `set` with `keepTTL` or returning
 *   the previous value (getAndSet), getAndDelete, float increments (computed with Redis's
 *   `long double` arithmetic and formatting, so results equal Redis's), decrements and increments
 *   of negative numbers (memcached's counters are unsigned and `decr` stops at 0, so signed 64-bit
 *   arithmetic is done here, with Redis's overflow error), append, setRange. Non-negative
 *   increments use memcached's atomic `ma` directly.
 * - TTLs: memcached counts in whole seconds (TTLs are rounded up) and reads a relative TTL of more
 *   than 30 days as an absolute Unix time, so longer TTLs are sent as absolute times (from this
 *   machine's clock). A CAS rewrite that keeps the TTL re-sends the remaining whole seconds.
 * - Keys are at most 250 bytes; keys with spaces, control or non-ASCII characters are sent
 *   base64-encoded (meta protocol `b` flag), which leaves room for 186 bytes. Longer keys, and
 *   values over the server's item size limit (1 MiB by default, `memcached -I`), are clear errors.
 * - Multi-key writes (multiSet, delete of several keys) are not atomic across keys: memcached has
 *   no transactions. Each key's write is.
 */
import HashRing from "hashring";
import {
  DriverError,
  formatFloat,
  registerCacheBackend,
  type CacheDriver,
  type DriverCapabilities,
  type DriverCommand,
  type DriverContext,
  type DriverExpiry,
  type DriverReply,
  type DriverSetOptions,
  type DriverSetResult,
} from "../driver.js";
import { CacheConfigError } from "../errors.js";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../../types/string.js";
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from "../../util/longdouble.js";
import { MemcachedConnection, MemcachedReplyError, type MetaReply } from "./memcached-protocol.js";
import { parseBackendUrl, safeUrl, UrlOptions } from "./redis-url.js";

/** memcached's longest key, in bytes. */
export const MEMCACHED_MAX_KEY_BYTES = 250;
/** Longest key in bytes when it must be sent base64-encoded (248 base64 characters). */
const MAX_BASE64_KEY_BYTES = 186;
/** memcached reads a TTL above this many seconds as an absolute Unix time. */
const MAX_RELATIVE_TTL_S = 30 * 24 * 3600;
/** CAS retries before an operation gives up (only under extreme contention on one key). */
const MAX_CAS_ATTEMPTS = 10_000;

/** What the memcached backend supports. */
export const MEMCACHED_CAPABILITIES: DriverCapabilities = {
  lists: false,
  sets: false,
  maxKeyBytes: MEMCACHED_MAX_KEY_BYTES,
  maxRelativeTtlMs: MAX_RELATIVE_TTL_S * 1000,
};

/** Options of {@link memcachedDriver} (also URL query options of the same names). */
export interface MemcachedDriverOptions {
  /** Milliseconds to connect to a server (default 5000). */
  connectTimeout?: number;
  /** Milliseconds a request may wait for its reply (default: no limit). */
  commandTimeout?: number;
}

/**
 * A key as sent on the wire: plain when it is printable ASCII without spaces, else base64 (the
 * request then ends with the `b` flag).
 */
function keyToken(key: string): string {
  const bytes = Buffer.from(key, "utf8");
  const plain = /^[\x21-\x7e]+$/.test(key);
  if (plain && bytes.length <= MEMCACHED_MAX_KEY_BYTES) return key;
  if (!plain && bytes.length <= MAX_BASE64_KEY_BYTES) return bytes.toString("base64");
  throw new DriverError(
    "unsupported",
    `key of ${bytes.length} bytes is too long for memcached: keys are at most ${MEMCACHED_MAX_KEY_BYTES} bytes, ` +
      `or ${MAX_BASE64_KEY_BYTES} when they contain spaces, control or non-ASCII characters (sent base64-encoded); ` +
      `shorten the key pattern or its values`,
  );
}

/** A meta-protocol `T` flag value for a write, or undefined to keep the item's TTL. */
function ttlSeconds(expiry: DriverExpiry, nowMs: number): number | undefined {
  switch (expiry.kind) {
    case "unset":
    case "keep":
      return undefined;
    case "never":
      return 0;
    case "in": {
      if (expiry.ms <= 0) return -1;
      const s = Math.ceil(expiry.ms / 1000);
      return s > MAX_RELATIVE_TTL_S ? Math.ceil(nowMs / 1000) + s : s;
    }
  }
}

/** The `T` value that keeps an item's remaining TTL (`t` flag of `mg`: -1 for none). */
function keptTtl(reply: MetaReply): number {
  const t = Number(reply.flags.get("t") ?? "-1");
  // 0 seconds left: it expires within the second; T0 would make it permanent.
  return t < 0 ? 0 : Math.max(1, t);
}

/** Whether a reply's `t` flag (remaining seconds, -1 for none) is the TTL `ttl` (a `T` value) just set. */
function ttlMatches(reply: MetaReply, ttl: number): boolean {
  const t = Number(reply.flags.get("t") ?? "-1");
  if (ttl === 0) return t === -1;
  const wanted = ttl > MAX_RELATIVE_TTL_S ? ttl - Math.ceil(Date.now() / 1000) : ttl;
  return t >= 0 && Math.abs(t - wanted) <= 2;
}

function notInteger(): DriverError {
  return new DriverError("not-a-number", "ERR value is not an integer or out of range");
}

/** Maps a memcached error line to a DriverError. */
function replyError(e: unknown, where: string): DriverError {
  if (e instanceof DriverError) return e;
  if (e instanceof MemcachedReplyError) {
    if (/too large/.test(e.line)) {
      return new DriverError(
        "other",
        `value too large for memcached ${where} (${e.line}): items are limited to the server's item size (1 MiB by default, memcached -I)`,
      );
    }
    if (/out of memory/i.test(e.line))
      return new DriverError("out-of-memory", `memcached ${where}: ${e.line}`);
    return new DriverError("other", `memcached ${where}: ${e.line}`);
  }
  return new DriverError("connection", `memcached ${where}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

/** A cache driver on one or more memcached servers. */
export class MemcachedDriver implements CacheDriver {
  readonly name = "memcached";
  readonly capabilities = MEMCACHED_CAPABILITIES;
  private readonly connections = new Map<string, MemcachedConnection>();
  private readonly ring: HashRing;

  /** @param servers `host:port` of each server (IPv6 hosts in brackets). */
  constructor(servers: readonly { host: string; port: number }[], options: MemcachedDriverOptions = {}) {
    if (servers.length === 0) throw new CacheConfigError("memcached needs at least one server");
    for (const s of servers) {
      const conn = new MemcachedConnection({
        host: s.host,
        port: s.port,
        connectTimeout: options.connectTimeout ?? 5000,
        commandTimeout: options.commandTimeout ?? 0,
      });
      this.connections.set(conn.address, conn);
    }
    this.ring = new HashRing([...this.connections.keys()], "md5", { compatibility: "ketama" });
  }

  now(): number {
    return Date.now();
  }

  /** The `host:port` of the server that holds `key`. */
  serverFor(key: string): string {
    return this.ring.get(key);
  }

  /**
   * Sends one meta request for `key` to its server; `{key}` in `line` is replaced by the key's
   * token (and the `b` flag appended when that is base64).
   */
  private async meta(key: string, line: string, data?: Buffer): Promise<MetaReply> {
    const token = keyToken(key);
    const conn = this.connections.get(this.ring.get(key))!;
    const request = line.replace("{key}", token) + (token === key ? "" : " b");
    try {
      return await conn.request(request, data);
    } catch (e) {
      throw replyError(e, conn.address);
    }
  }

  private read(key: string): Promise<MetaReply> {
    return this.meta(key, "mg {key} v c t");
  }

  /**
   * Rewrites `key` under compare-and-swap: `update` gets the current bytes (null when missing)
   * and returns the new ones; `ttl` decides the TTL of the write (undefined: keep the item's, none
   * for a new item). Retries when the item changed meanwhile. Resolves with the bytes written.
   */
  private async casUpdate(
    key: string,
    update: (current: Buffer | null) => Buffer,
    expiry: DriverExpiry,
  ): Promise<Buffer> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const r = await this.read(key);
      const current = r.status === "VA" ? r.value! : null;
      const next = update(current);
      const ttl = ttlSeconds(expiry, this.now()) ?? (current === null ? 0 : keptTtl(r));
      const w =
        current === null
          ? await this.meta(key, `ms {key} ${next.length} T${ttl} ME`, next)
          : await this.meta(key, `ms {key} ${next.length} T${ttl} MS C${r.flags.get("c")}`, next);
      if (w.status === "HD") return next;
    }
    throw new DriverError(
      "other",
      `memcached: gave up after ${MAX_CAS_ATTEMPTS} compare-and-swap attempts on one key`,
    );
  }

  async get(key: string): Promise<string | null> {
    const r = await this.meta(key, "mg {key} v");
    return r.status === "VA" ? r.value!.toString("utf8") : null;
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  async set(key: string, value: string, options: DriverSetOptions): Promise<DriverSetResult> {
    const data = Buffer.from(value, "utf8");
    // A SET without a configured expiry removes the TTL (T0); keepTTL needs the item's own.
    const ttl = options.expiry.kind === "unset" ? 0 : ttlSeconds(options.expiry, this.now());
    if (!options.get && ttl !== undefined) {
      const mode = options.condition === "nx" ? "ME" : options.condition === "xx" ? "MR" : "MS";
      const r = await this.meta(key, `ms {key} ${data.length} T${ttl} ${mode}`, data);
      return { written: r.status === "HD", previous: null };
    }
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const r = await this.read(key);
      if (r.status !== "VA") {
        if (options.condition === "xx") return { written: false, previous: null };
        const w = await this.meta(key, `ms {key} ${data.length} T${ttl ?? 0} ME`, data);
        if (w.status === "HD") return { written: true, previous: null };
        continue;
      }
      const previous = options.get ? r.value!.toString("utf8") : null;
      if (options.condition === "nx") return { written: false, previous };
      const t = options.expiry.kind === "keep" ? keptTtl(r) : (ttl ?? 0);
      const w = await this.meta(key, `ms {key} ${data.length} T${t} MS C${r.flags.get("c")}`, data);
      if (w.status === "HD") return { written: true, previous };
    }
    throw new DriverError(
      "other",
      `memcached: gave up after ${MAX_CAS_ATTEMPTS} compare-and-swap attempts on one key`,
    );
  }

  async mset(
    entries: readonly (readonly [key: string, value: string])[],
    expiry: DriverExpiry,
  ): Promise<void> {
    await Promise.all(entries.map(([k, v]) => this.set(k, v, { expiry })));
  }

  async getDel(key: string): Promise<string | null> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const r = await this.meta(key, "mg {key} v c");
      if (r.status !== "VA") return null;
      const d = await this.meta(key, `md {key} C${r.flags.get("c")}`);
      if (d.status === "HD") return r.value!.toString("utf8");
    }
    throw new DriverError(
      "other",
      `memcached: gave up after ${MAX_CAS_ATTEMPTS} compare-and-swap attempts on one key`,
    );
  }

  async del(keys: readonly string[]): Promise<number> {
    const replies = await Promise.all(keys.map((k) => this.meta(k, "md {key}")));
    return replies.filter((r) => r.status === "HD").length;
  }

  async incrBy(key: string, delta: number, expiry: DriverExpiry): Promise<number> {
    if (!Number.isSafeInteger(delta)) throw notInteger();
    const ttl = ttlSeconds(expiry, this.now());
    if (delta >= 0 && (ttl === undefined || ttl >= 0)) {
      // memcached's own atomic increment; creates the key with `delta` when missing.
      const t = ttl === undefined ? "" : ` T${ttl}`;
      try {
        const r = await this.meta(key, `ma {key} v t N${ttl ?? 0} J${delta} D${delta}${t}`);
        if (ttl !== undefined && !ttlMatches(r, ttl)) {
          // memcached 1.6 drops ma's T when another connection holds the item at that moment
          // (it then copies the item with its old TTL); the reply shows it, so touch it.
          await this.meta(key, `mg {key} T${ttl}`);
        }
        const result = BigInt(r.value!.toString("latin1").trim());
        if (result <= INT64_MAX) return Number(result);
        // Past Redis's int64 range (memcached counts to 2^64): take the increment back.
        await this.casUpdate(
          key,
          (cur) => Buffer.from(String(BigInt(cur!.toString("latin1").trim()) - BigInt(delta))),
          {
            kind: "keep",
          },
        );
        throw new DriverError("not-a-number", "ERR increment or decrement would overflow");
      } catch (e) {
        // A negative or non-numeric value: memcached's counters are unsigned; do it below.
        if (!(e instanceof DriverError && /non-numeric/.test(e.message))) throw e;
      }
    }
    const written = await this.casUpdate(
      key,
      (cur) => {
        const n = cur === null ? 0n : parseInt64(cur.toString("latin1"));
        if (n === undefined) throw notInteger();
        const sum = n + BigInt(delta);
        if (sum > INT64_MAX || sum < INT64_MIN) {
          throw new DriverError("not-a-number", "ERR increment or decrement would overflow");
        }
        return Buffer.from(String(sum), "latin1");
      },
      expiry,
    );
    return Number(written.toString("latin1"));
  }

  async incrByFloat(key: string, delta: number, expiry: DriverExpiry): Promise<number> {
    const incr = parseLongDouble(formatFloat(delta));
    if (incr === undefined) throw new DriverError("not-a-number", "ERR value is not a valid float");
    const written = await this.casUpdate(
      key,
      (cur) => {
        const value = parseLongDouble(cur === null ? "0" : cur.toString("latin1"));
        if (value === undefined) throw new DriverError("not-a-number", "ERR value is not a valid float");
        const sum = addLongDouble(value, incr);
        if (sum === undefined || sum.inf) {
          throw new DriverError("not-a-number", "ERR increment would produce NaN or Infinity");
        }
        return Buffer.from(formatLongDoubleHuman(sum), "latin1");
      },
      expiry,
    );
    return Number(written.toString("latin1"));
  }

  async append(key: string, value: string, expiry: DriverExpiry): Promise<number> {
    const tail = Buffer.from(value, "utf8");
    const written = await this.casUpdate(
      key,
      (cur) => (cur === null ? tail : Buffer.concat([cur, tail])),
      expiry,
    );
    return written.length;
  }

  /**
   * Remaining time to live of `key` in milliseconds, like Redis's PTTL: -1 when it has none, -2
   * when it does not exist. memcached keeps TTLs in whole seconds.
   */
  async pttl(key: string): Promise<number> {
    const r = await this.meta(key, "mg {key} t");
    if (r.status !== "HD") return -2;
    const t = Number(r.flags.get("t") ?? "-1");
    return t < 0 ? -1 : t * 1000;
  }

  async getRange(key: string, start: number, end: number): Promise<string> {
    const r = await this.meta(key, "mg {key} v");
    if (r.status !== "VA") return "";
    const bytes = r.value!;
    const len = bytes.length;
    // GETRANGE's index rules (Redis 7.0 getrangeCommand).
    if (start < 0 && end < 0 && start > end) return "";
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (start > end || len === 0) return "";
    return bytes.subarray(start, end + 1).toString("utf8");
  }

  async setRange(key: string, offset: number, value: string, expiry: DriverExpiry): Promise<number> {
    const part = Buffer.from(value, "utf8");
    if (part.length === 0) {
      // SETRANGE with an empty value only reports the length (and creates nothing).
      return this.strlen(key);
    }
    const written = await this.casUpdate(
      key,
      (cur) => {
        const base = cur ?? Buffer.alloc(0);
        const out = Buffer.alloc(Math.max(base.length, offset + part.length));
        base.copy(out);
        part.copy(out, offset);
        return out;
      },
      expiry,
    );
    return written.length;
  }

  async strlen(key: string): Promise<number> {
    const r = await this.meta(key, "mg {key} s");
    return r.status === "HD" ? Number(r.flags.get("s") ?? 0) : 0;
  }

  command(cmd: DriverCommand): Promise<DriverReply> {
    return Promise.reject(
      new DriverError(
        "unsupported",
        `memcached has no lists or sets (${cmd[0]}); use a Redis backend for this cluster`,
      ),
    );
  }

  atomic(cmds: readonly DriverCommand[]): Promise<DriverReply[]> {
    return this.command(cmds[0] ?? ["DEL"]) as Promise<never>;
  }

  async close(): Promise<void> {
    for (const conn of this.connections.values()) conn.close();
  }
}

/**
 * A memcached cache driver from a URL, `memcached://host1[:port1],host2[:port2]...[?options]`
 * (port 11211 by default), or from a list of servers. URL options: `connectTimeout`,
 * `commandTimeout` (milliseconds). memcached's SASL authentication (binary protocol only) is not
 * supported, so the URL takes no user or password.
 */
export function memcachedDriver(
  target: string | readonly { host: string; port: number }[],
  options: MemcachedDriverOptions = {},
): MemcachedDriver {
  if (typeof target !== "string") return new MemcachedDriver(target, options);
  const url = parseBackendUrl(target, 11211);
  if (url.scheme !== "memcached")
    throw new CacheConfigError(`invalid cache URL "${safeUrl(target)}": not a memcached URL`);
  if (url.username !== undefined || url.password !== undefined) {
    throw new CacheConfigError(
      `invalid cache URL "${safeUrl(target)}": memcached authentication (SASL, binary protocol only) is not supported`,
    );
  }
  if (url.path.length > 0)
    throw new CacheConfigError(`invalid cache URL "${safeUrl(target)}": memcached URLs have no path`);
  const opts = new UrlOptions(target, url.params);
  const connectTimeout = opts.int("connectTimeout") ?? options.connectTimeout;
  const commandTimeout = opts.int("commandTimeout") ?? options.commandTimeout;
  opts.done();
  return new MemcachedDriver(url.hosts, {
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    ...(commandTimeout !== undefined ? { commandTimeout } : {}),
  });
}

registerCacheBackend({
  schemes: ["memcached"],
  capabilities: MEMCACHED_CAPABILITIES,
  create: (url: string, _context: DriverContext) => memcachedDriver(url),
});
