/**
 * The server engine without networking: configuration, keyspace, command table, connected
 * clients, statistics and the periodic cron (active expiry, idle-client timeouts). The TCP layer
 * and the in-process API both drive it through {@link ServerCore.createClient} and the dispatcher.
 */
import { randomBytes } from "node:crypto";
import { ALL_COMMANDS } from "../commands/index.js";
import { CommandTable } from "../commands/registry.js";
import type { LatencyHistogram } from "../commands/server-state.js";
import type { Clock } from "../keyspace/clock.js";
import type { AclStore } from "../acl/store.js";
import { Keyspace } from "../keyspace/keyspace.js";
import { KeyspaceEventPublisher } from "../keyspace/notifications.js";
import { Random } from "../keyspace/random.js";
import { WatchRegistry } from "../keyspace/watch.js";
import type { ReplyWriter } from "../resp/writer.js";
import { BlockingManager } from "./blocking.js";
import { Client } from "./client.js";
import { Config } from "./config.js";
import { Evictor } from "./eviction.js";
import { OutputLimits } from "./output-limits.js";
import { PubSub } from "./pubsub.js";
import { Tracking } from "./tracking.js";

/** Counters reported by INFO. */
/** One command's statistics (INFO commandstats). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /** Its latency histogram (INFO latencystats), once the dispatcher looked it up. */
  histogram?: LatencyHistogram;
}

export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  totalErrorReplies: number;
  /** Clients disconnected by client-output-buffer-limit. */
  outputLimitDisconnections: number;
  /** Per command full name: calls, microseconds, rejected and failed calls (INFO commandstats). */
  commands: Map<string, CommandStats>;
  /** Per error code (`ERR`, `WRONGTYPE`...) counts (INFO errorstats). */
  errors: Map<string, number>;
}

/** Options of {@link ServerCore}. */
export interface ServerCoreOptions {
  clock: Clock;
  /** Seed for the server's random numbers; random when omitted. */
  seed?: number;
  /** Path of the config file the server was started with, if any. */
  configFile?: string;
  /** Configuration overrides by parameter name. */
  config?: Record<string, string>;
  /** A command table to share between cores (it is immutable once built); default: a new one. */
  commands?: CommandTable;
}

export class ServerCore {
  readonly config: Config;
  readonly clock: Clock;
  readonly random: Random;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly watches: WatchRegistry;
  /** Clients blocked in BLPOP, BZPOPMIN, XREAD BLOCK... (see `blocking.ts`). */
  readonly blocking: BlockingManager;
  /** maxmemory accounting and eviction (see `eviction.ts`). */
  readonly evictor: Evictor;
  readonly clients = new Map<number, Client>();
  /** Pub/sub channel, pattern and shard-channel subscriptions. */
  readonly pubsub = new PubSub();
  /** Client-side caching: CLIENT TRACKING state and invalidations. */
  readonly tracking = new Tracking(this.clients);
  /** client-output-buffer-limit, parsed. */
  readonly outputLimits: OutputLimits;
  readonly stats: ServerStats = {
    totalConnectionsReceived: 0,
    totalCommandsProcessed: 0,
    rejectedConnections: 0,
    totalNetInputBytes: 0,
    totalNetOutputBytes: 0,
    totalErrorReplies: 0,
    outputLimitDisconnections: 0,
    commands: new Map(),
    errors: new Map(),
  };
  /** Unix ms when the server started. */
  readonly startedAt: number;
  /** 40 hex characters identifying this run (INFO run_id). */
  readonly runId = randomBytes(20).toString("hex");
  /** Unix seconds of the last (pretend) save: reddish keeps no files. */
  lastSave: number;
  /** Port the server listens on (0 for in-process only); set by the TCP layer. */
  port = 0;
  /** Absolute path of the config file the server was started with (INFO, CONFIG REWRITE). */
  configFile: string | undefined;
  /** Changes since startup (Redis's server.dirty): bumped by every write command that ran. */
  dirty = 0;
  /** False after DEBUG SET-ACTIVE-EXPIRE 0: keys then expire only lazily. */
  activeExpireEnabled = true;
  /**
   * Called by SHUTDOWN after every connection is closed; the embedded server closes its
   * listener, the CLI exits. Set by whoever runs the server.
   */
  onShutdown: (() => void) | null = null;
  private nextClientId = 1;
  private cronTimer: NodeJS.Timeout | null = null;

  constructor(options: ServerCoreOptions) {
    this.clock = options.clock;
    this.config = new Config(options.config);
    this.outputLimits = new OutputLimits(this.config);
    this.random = new Random(options.seed);
    this.keyspace = new Keyspace(this.config.getNumber("databases"), this.clock, this.random);
    this.commands = options.commands ?? new CommandTable(ALL_COMMANDS);
    this.watches = new WatchRegistry();
    this.keyspace.addListener(this.watches);
    this.blocking = new BlockingManager(this);
    this.keyspace.addListener(this.blocking);
    this.evictor = new Evictor(this);
    this.keyspace.addListener(this.evictor);
    this.applyMemoryConfig();
    this.config.onChange((name) => {
      if (name.startsWith("maxmemory") || name.startsWith("lfu-")) this.applyMemoryConfig();
    });
    const events = new KeyspaceEventPublisher(this.keyspace, (channel, message) => {
      this.pubsub.publish(channel, message);
    });
    events.configure(this.config.get("notify-keyspace-events"));
    this.config.onChange((name, value) => {
      if (name === "notify-keyspace-events") events.configure(value);
    });
    this.keyspace.addListener(events);
    this.keyspace.addListener(this.tracking);
    this.configFile = options.configFile;
    this.startedAt = this.clock.now();
    this.lastSave = Math.floor(this.startedAt / 1000);
  }

  /** Applies maxmemory, maxmemory-policy and the LFU parameters to the keyspace and evictor. */
  private applyMemoryConfig(): void {
    const ks = this.keyspace;
    ks.lfu = this.config.get("maxmemory-policy").endsWith("-lfu");
    ks.lfuLogFactor = this.config.getNumber("lfu-log-factor");
    ks.lfuDecayTime = this.config.getNumber("lfu-decay-time");
    this.evictor.configure();
  }

  /** True when new clients must authenticate first: requirepass is set, or the ACL `default` user is off or has no `nopass`. */
  requiresAuth(): boolean {
    if (this.defaultUserRequiresAuth) return this.defaultUserRequiresAuth();
    return this.config.get("requirepass") !== "";
  }

  /**
   * Set by the ACL store once it exists: whether the `default` user makes new connections
   * authenticate (it is off or has no `nopass`), as Redis decides for every new client.
   */
  defaultUserRequiresAuth: (() => boolean) | undefined = undefined;

  /** The ACL users store, created on first use by `aclOf` (src/acl/index.ts). */
  aclStore: AclStore | undefined = undefined;

  /** Creates and registers a client whose replies go to `reply`. */
  createClient(reply: ReplyWriter & { resp: 2 | 3 }): Client {
    const client = new Client(this.nextClientId++, this, reply);
    this.clients.set(client.id, client);
    this.stats.totalConnectionsReceived++;
    return client;
  }

  /** Number of clients blocked in a command (INFO blocked_clients). */
  get blockedClients(): number {
    return this.blocking.blockedCount;
  }

  /** Unregisters a client and releases what it holds (WATCHes, subscriptions, a block). */
  removeClient(client: Client): void {
    this.blocking.removeClient(client);
    this.watches.unwatchAll(client);
    this.pubsub.removeClient(client);
    this.tracking.disable(client);
    this.clients.delete(client.id);
  }

  /** Starts the periodic jobs (`hz` times a second). The timer does not keep Node alive. */
  startCron(): void {
    if (this.cronTimer) return;
    const hz = Math.max(1, Math.min(500, this.config.getNumber("hz")));
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref();
  }

  stopCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  /** One run of the periodic jobs: active expiry, blocked-client and idle-client timeouts. */
  cron(): void {
    if (this.activeExpireEnabled) this.keyspace.activeExpireCycle();
    // Blocked clients have their own timer; this catches clock jumps (fastForward, setTime).
    this.blocking.checkTimeouts();
    // Also here, so a lowered tracking-table-max-keys applies on an idle server.
    if (this.tracking.clientCount > 0) this.tracking.limitUsedSlots(this.config.hot.trackingTableMaxKeys);
    const timeout = this.config.getNumber("timeout");
    if (timeout > 0) {
      const now = this.clock.now();
      for (const client of this.clients.values()) {
        if (
          client.transport &&
          client.subscriptionCount === 0 &&
          !client.blocked &&
          now - client.lastInteraction > timeout * 1000
        ) {
          client.transport.close(false);
        }
      }
    }
  }

  /** SHUTDOWN: stops the cron, closes every client's connection at once, then calls {@link onShutdown}. */
  shutdown(): void {
    this.stopCron();
    for (const client of [...this.clients.values()]) client.transport?.close(false);
    this.onShutdown?.();
  }

  /** Records a reply error for INFO errorstats. */
  countError(message: string): void {
    this.stats.totalErrorReplies++;
    const space = message.indexOf(" ");
    const code = space < 0 ? message : message.slice(0, space);
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }
}
