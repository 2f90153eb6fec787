/**
 * The embedded backend (`memory:` URLs): a reddish server core in this process. The in-process
 * driver calls the same dispatcher as network clients through a value-collecting reply writer,
 * without sockets; the TCP path (see `embeddedTcpDriver`) starts a listener and talks to it with
 * the `redis://` driver.
 */
import { type ControllableClock, ManualClock, SystemClock } from "../../keyspace/clock.js";
import { ReplyError, ReplyMap, type ReplyValue, StatusReply, ValueCollector } from "../../resp/collector.js";
import type { Client } from "../../server/client.js";
import { ServerCore } from "../../server/core.js";
import { processCommand } from "../../server/dispatcher.js";
import {
  type CacheDriver,
  type DriverArg,
  type DriverExpiry,
  type DriverReply,
  type DriverSetOptions,
  type DriverSetResult,
  type SyncDriverOperations,
  DriverError,
  RedisCommandDriver,
  driverErrorFromReply,
  expiryCommands,
  registerCacheBackend,
  setArgs,
  setResult,
} from "../driver.js";

/** Options of an embedded server created for the cache. */
export interface EmbeddedCoreOptions {
  /** The server's clock; default: the system clock. */
  clock?: ControllableClock;
  /** Redis configuration by redis.conf name, e.g. `{ maxmemory: "16mb", "maxmemory-policy": "allkeys-lru" }`. */
  config?: Record<string, string>;
  /** Seed of the server's random numbers. */
  seed?: number;
  /** Run the periodic jobs (active expiry). Default true. */
  cron?: boolean;
}

/** Creates a reddish server core (no listener) for the cache. */
export function createEmbeddedCore(options: EmbeddedCoreOptions = {}): ServerCore {
  const core = new ServerCore({
    clock: options.clock ?? new SystemClock(),
    config: options.config,
    seed: options.seed,
  });
  if (options.cron !== false) core.startCron();
  return core;
}

/**
 * True if `s` has a character above 0x7f. Past a few characters, comparing the UTF-8 length
 * (a native call of fixed cost, ~17 ns here) beats a JavaScript loop or a regex (~75 ns at 96 chars).
 */
function isNonAscii(s: string): boolean {
  if (s.length > 8) return Buffer.byteLength(s, "utf8") !== s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/** UTF-8 text to the server's binary strings (one char per byte). */
function toBinary(arg: DriverArg): string {
  if (typeof arg === "number") return String(arg);
  return isNonAscii(arg) ? Buffer.from(arg, "utf8").toString("latin1") : arg;
}

/** The server's binary strings back to UTF-8 text. */
function fromBinary(s: string): string {
  return isNonAscii(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

function convert(reply: ReplyValue): DriverReply {
  if (reply === null || typeof reply === "number") return reply;
  if (typeof reply === "string") return fromBinary(reply);
  if (typeof reply === "bigint") return Number(reply);
  if (typeof reply === "boolean") return reply ? 1 : 0;
  if (reply instanceof StatusReply) return reply.text;
  if (Array.isArray(reply)) return reply.map(convert);
  if (reply instanceof ReplyMap) return reply.entries.flatMap(([k, v]) => [convert(k), convert(v)]);
  /* c8 ignore next */
  throw new DriverError("other", `unexpected reply ${String(reply)}`);
}

/**
 * A driver running commands in process on a {@link ServerCore}: no sockets, no parsing, the same
 * dispatcher and handlers as TCP clients. Commands run synchronously, so a batch is atomic
 * without MULTI (nothing else runs in between), with EXEC's semantics: every command runs, the
 * first error is reported.
 */
export class InProcessDriver extends RedisCommandDriver {
  readonly name = "memory";
  private readonly collector = new ValueCollector();
  private readonly client: Client;

  constructor(
    readonly core: ServerCore,
    dbIndex = 0,
    private readonly onClose?: () => void,
  ) {
    super();
    this.client = core.createClient(this.collector);
    this.client.authenticated = true;
    const db = core.keyspace.databases[dbIndex];
    if (!db) throw new DriverError("other", `database ${dbIndex} does not exist`);
    this.client.db = db;
  }

  override now(): number {
    return this.core.clock.now();
  }

  /**
   * Runs one command synchronously; throws {@link DriverError} on an error reply. The command
   * name (`args[0]`) is always one of the drivers' own ASCII names, so only the rest is converted.
   */
  run(args: readonly DriverArg[]): DriverReply {
    const argv = new Array<string>(args.length);
    argv[0] = args[0] as string;
    for (let i = 1; i < args.length; i++) argv[i] = toBinary(args[i]!);
    this.client.argv = argv;
    const start = this.sync.startedAt;
    this.sync.startedAt = undefined;
    processCommand(this.client, start);
    const reply = this.collector.takeFirst();
    if (reply instanceof ReplyError) throw driverErrorFromReply(reply.message);
    return convert(reply);
  }

  /**
   * Runs commands back to back; nothing else runs in between, so they are atomic, with EXEC's
   * semantics: every command runs, and the first error is thrown after the last one.
   */
  runAtomic(cmds: readonly (readonly DriverArg[])[]): DriverReply[] {
    const out: DriverReply[] = [];
    let failure: unknown;
    for (const cmd of cmds) {
      try {
        out.push(this.run(cmd));
      } catch (err) {
        failure ??= err;
        out.push(null);
      }
    }
    if (failure !== undefined) throw failure;
    return out;
  }

  /** The hot operations without promises (see {@link SyncDriverOperations}). */
  readonly sync: SyncDriverOperations = {
    startedAt: undefined,
    get: (key) => {
      const reply = this.run(["GET", key]);
      return reply === null ? null : String(reply);
    },
    set: (key, value, options) => setResult(this.run(setArgs(key, value, options)), options),
    incrBy: (key, delta, expiry) => {
      const extra = expiryCommands(key, expiry);
      if (extra.length === 0) return Number(this.run(["INCRBY", key, delta]));
      return Number(this.runAtomic([["INCRBY", key, delta], ...extra])[0]);
    },
  };

  override get(key: string): Promise<string | null> {
    return settle(() => this.sync.get(key));
  }
  override set(key: string, value: string, options: DriverSetOptions): Promise<DriverSetResult> {
    return settle(() => this.sync.set(key, value, options));
  }
  override incrBy(key: string, delta: number, expiry: DriverExpiry): Promise<number> {
    return settle(() => this.sync.incrBy(key, delta, expiry));
  }

  protected send(args: readonly DriverArg[]): Promise<DriverReply> {
    return settle(() => this.run(args));
  }

  protected sendAtomic(cmds: readonly (readonly DriverArg[])[]): Promise<DriverReply[]> {
    return settle(() => this.runAtomic(cmds));
  }

  async close(): Promise<void> {
    this.core.removeClient(this.client);
    this.onClose?.();
  }
}

/** `fn()`'s result as a settled promise: resolved with its value, or rejected with what it threw. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Parses a `memory:` URL's options: `memory:?maxmemory=16mb&policy=allkeys-lru&clock=manual`.
 * Any query parameter other than `clock` and `policy` is passed as server configuration.
 */
export function embeddedOptionsFromUrl(url: string, evictionPolicy: string): EmbeddedCoreOptions {
  const config: Record<string, string> = { "maxmemory-policy": evictionPolicy };
  let clock: ControllableClock | undefined;
  const query = url.indexOf("?");
  for (const [name, value] of new URLSearchParams(query < 0 ? "" : url.slice(query + 1))) {
    if (name === "clock") clock = value === "manual" ? new ManualClock(Date.now()) : new SystemClock();
    else if (name === "policy") config["maxmemory-policy"] = value;
    else config[name] = value;
  }
  return { config, clock };
}

registerCacheBackend({
  schemes: ["memory"],
  capabilities: { lists: true, sets: true },
  create(url, context): CacheDriver {
    const core = createEmbeddedCore(embeddedOptionsFromUrl(url, context.evictionPolicy));
    return new InProcessDriver(core, 0, () => core.stopCron());
  },
});
