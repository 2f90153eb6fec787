/**
 * The public entry point: start a reddish server inside the current process, with a TCP (and
 * optionally TLS) listener, a controllable clock and a typed in-process API that runs commands
 * through the same dispatcher as network clients.
 */
import type { TlsOptions } from "node:tls";
import { type Clock, type ControllableClock, ManualClock, SystemClock } from "../keyspace/clock.js";
import { ReplyError, type ReplyValue, ValueCollector } from "../resp/collector.js";
import type { Client } from "./client.js";
import { ServerCore } from "./core.js";
import { processCommand } from "./dispatcher.js";
import { NetServer } from "./net.js";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** `"system"` (default): real time, which `fastForward`/`setTime` can shift; `"manual"`: frozen
   * time that moves only through `fastForward`/`setTime`; or a clock of your own. */
  clock?: "system" | "manual" | ControllableClock;
  /** Start time of a manual clock; default now. */
  startTime?: Date | number;
  /** Seed for the server's random numbers (RANDOMKEY, SRANDMEMBER...), for reproducible tests. */
  seed?: number;
  /** Configuration parameters by redis.conf name, e.g. `{ requirepass: "s3cret", databases: "4" }`. */
  config?: Record<string, string>;
  /** Serve TLS instead of plain TCP, with Node's TLS options (key, cert, ca...). */
  tls?: TlsOptions;
  /** false: no listener at all, in-process API only. Default true. */
  listen?: boolean;
  /** Path of a redis.conf the configuration came from (INFO config_file, CONFIG REWRITE). */
  configFile?: string;
}

/** A value accepted as a command argument by the in-process API. Strings are sent as UTF-8. */
export type Arg = string | Buffer | number;

/** A running reddish server. */
export interface ReddishServer {
  /** `redis://host:port` (or `rediss://` with TLS); empty when not listening. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The server's clock. */
  readonly clock: ControllableClock;
  /** Moves the server's time forward: TTLs run down, stream IDs advance. */
  fastForward(ms: number): void;
  /** Sets the server's time. */
  setTime(time: Date | number): void;
  /** The typed in-process API for database `index` (default 0). */
  db(index?: number): EmbeddedDb;
  /** Runs one command in process (database 0, RESP3 values); throws {@link ReplyError} on error replies. */
  command(...args: Arg[]): ReplyValue;
  /** Closes the listener and all connections. */
  close(): Promise<void>;
  /** Settles once the server is closed, by {@link ReddishServer.close} or a client's SHUTDOWN. */
  readonly closed: Promise<void>;
  /** The engine, for advanced uses (custom transports, introspection). */
  readonly core: ServerCore;
}

/** Starts a server. `await startServer()` listens on a free loopback port. */
export async function startServer(options: StartServerOptions = {}): Promise<ReddishServer> {
  const clock: ControllableClock =
    options.clock === "manual"
      ? new ManualClock(options.startTime ?? Date.now())
      : options.clock === "system" || options.clock === undefined
        ? new SystemClock()
        : options.clock;
  const config = { "enable-debug-command": "local", ...options.config };
  const core = new ServerCore({
    clock: clock as Clock,
    seed: options.seed,
    config,
    configFile: options.configFile,
  });
  const host = options.host ?? "127.0.0.1";
  let port = 0;
  let net: NetServer | null = null;
  if (options.listen !== false) {
    net = new NetServer(core);
    port = await net.listen({ port: options.port ?? 0, host, tls: options.tls });
    core.port = port;
  }
  core.startCron();
  const dbs = new Map<number, EmbeddedDb>();
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      core.stopCron();
      await net?.close();
      markClosed();
    })());
  core.onShutdown = () => void close();
  const server: ReddishServer = {
    url: net
      ? `${options.tls ? "rediss" : "redis"}://${host.includes(":") ? `[${host}]` : host}:${port}`
      : "",
    host,
    port,
    clock,
    core,
    fastForward: (ms) => {
      clock.fastForward(ms);
      core.blocking.checkTimeouts(); // blocked clients whose timeout passed are answered now
    },
    setTime: (t) => {
      clock.setTime(t);
      core.blocking.checkTimeouts();
    },
    db(index = 0) {
      let db = dbs.get(index);
      if (!db) dbs.set(index, (db = new EmbeddedDb(core, index)));
      return db;
    },
    command: (...args) => server.db(0).command(...args),
    close,
    closed,
  };
  return server;
}

function toBinary(arg: Arg): string {
  if (typeof arg === "number") return String(arg);
  if (typeof arg === "string") return Buffer.from(arg, "utf8").toString("latin1");
  return arg.toString("latin1");
}

function fromBinary(value: string): string {
  return Buffer.from(value, "latin1").toString("utf8");
}

/** Options of {@link EmbeddedDb.set}. */
export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Only set if the key does not exist. */
  nx?: boolean;
  /** Only set if the key exists. */
  xx?: boolean;
  /** Keep the key's current TTL. */
  keepTtl?: boolean;
}

/**
 * A typed, synchronous in-process view of one database. Every method runs the real command
 * through the dispatcher (never a second implementation). Strings are UTF-8 in, UTF-8 out; use
 * {@link EmbeddedDb.command} with Buffers for binary data.
 */
export class EmbeddedDb {
  private readonly collector = new ValueCollector();
  private readonly client: Client;

  constructor(
    core: ServerCore,
    readonly index: number,
  ) {
    this.client = core.createClient(this.collector);
    this.client.authenticated = true;
    const db = core.keyspace.databases[index];
    if (!db) throw new RangeError(`database ${index} does not exist`);
    this.client.db = db;
  }

  /** Runs any command; returns its RESP3 reply as a value (bulk strings as latin1 strings). */
  command(...args: Arg[]): ReplyValue {
    this.client.argv = args.map(toBinary);
    processCommand(this.client);
    const [reply] = this.collector.take();
    if (reply instanceof ReplyError) throw reply;
    return reply ?? null;
  }

  private text(reply: ReplyValue): string | null {
    return typeof reply === "string" ? fromBinary(reply) : null;
  }

  get(key: string): string | null {
    return this.text(this.command("GET", key));
  }
  /** GET returning raw bytes. */
  getBuffer(key: string | Buffer): Buffer | null {
    const r = this.command("GET", key);
    return typeof r === "string" ? Buffer.from(r, "latin1") : null;
  }
  /** SET; returns false when NX/XX prevented the write. */
  set(key: string | Buffer, value: Arg, options: SetOptions = {}): boolean {
    const args: Arg[] = ["SET", key, value];
    if (options.ex !== undefined) args.push("EX", options.ex);
    if (options.px !== undefined) args.push("PX", options.px);
    if (options.nx) args.push("NX");
    if (options.xx) args.push("XX");
    if (options.keepTtl) args.push("KEEPTTL");
    return this.command(...args) !== null;
  }
  del(...keys: string[]): number {
    return this.command("DEL", ...keys) as number;
  }
  exists(...keys: string[]): number {
    return this.command("EXISTS", ...keys) as number;
  }
  incr(key: string, by = 1): number {
    return this.command("INCRBY", key, by) as number;
  }
  expire(key: string, seconds: number): boolean {
    return this.command("EXPIRE", key, seconds) === 1;
  }
  pexpire(key: string, ms: number): boolean {
    return this.command("PEXPIRE", key, ms) === 1;
  }
  /** Seconds to live: -1 without expiry, -2 when absent. */
  ttl(key: string): number {
    return this.command("TTL", key) as number;
  }
  /** Milliseconds to live: -1 without expiry, -2 when absent. */
  pttl(key: string): number {
    return this.command("PTTL", key) as number;
  }
  keys(pattern = "*"): string[] {
    return (this.command("KEYS", pattern) as string[]).map(fromBinary);
  }
  type(key: string): string {
    return String(this.command("TYPE", key));
  }
  dbsize(): number {
    return this.command("DBSIZE") as number;
  }
  /** Empties this database. */
  flush(): void {
    this.command("FLUSHDB");
  }
}
