/**
 * Client-side caching support (Redis's tracking.c): CLIENT TRACKING state, the table of keys
 * clients have read, and invalidation messages.
 *
 * - Default mode: the keys of every read-only command a tracking client runs (found through the
 *   command table's key specs, as COMMAND GETKEYS does) are remembered; when such a key is
 *   modified, each client that read it gets one `invalidate [key]` message and forgets it. As in
 *   Redis, the table is keyed by key name only (not by database).
 * - BCAST mode: clients subscribe to key prefixes; modified keys matching a prefix are collected
 *   and sent once the current work is done (Redis's beforeSleep), one message per prefix, keys in
 *   byte order.
 * - OPTIN / OPTOUT with CLIENT CACHING, NOLOOP, and REDIRECT to another client, which receives
 *   messages as RESP3 pushes or, in RESP2, as pub/sub messages on `__redis__:invalidate`.
 * - A flush sends a null invalidation to every tracking client.
 *
 * An invalidation caused by the client itself while its command runs is sent after that
 * command's reply (after the whole EXEC), as Redis 7.0 does.
 * - `tracking-table-max-keys`: past it, remembered keys are forgotten (their readers get an
 *   invalidation) before each command and in the cron. Redis picks them at random; reddish takes
 *   the oldest first.
 */
import type { Command } from "../commands/spec.js";
import { getKeys } from "../commands/keys.js";
import type { Database } from "../keyspace/database.js";
import type { KeyspaceListener } from "../keyspace/keyspace.js";
import type { Client } from "./client.js";

/** Read-only script runs, whose own keys are not remembered (Redis 7.0's call()). */
const RO_SCRIPT_RUNS = new Set(["eval_ro", "evalsha_ro", "fcall_ro"]);

/** Per-client tracking state (Redis's CLIENT_TRACKING_* flags and fields). */
export interface TrackingState {
  /** Client id invalidations go to; 0 for the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING was given for the next command. */
  caching: boolean;
  /** The redirection client disappeared (CLIENT TRACKINGINFO broken_redirect, flag R). */
  brokenRedirect: boolean;
  /** BCAST prefixes. */
  prefixes: Set<string>;
}

/** Options of CLIENT TRACKING ON. */
export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

/** One BCAST prefix: its clients, and the keys modified since the last broadcast (with who modified them). */
interface PrefixState {
  clients: Set<Client>;
  keys: Map<string, Client | null>;
}

const INVALIDATION_CHANNEL = "__redis__:invalidate";

/** Byte-order comparison of latin1 strings (Redis's rax order). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The server's tracking table and prefix table. */
export class Tracking implements KeyspaceListener {
  /** Key -> ids of the clients that read it. */
  private readonly table = new Map<string, Set<number>>();
  private totalItems = 0;
  private readonly prefixTable = new Map<string, PrefixState>();
  /** Number of clients with tracking on (INFO tracking_clients). */
  clientCount = 0;
  /** The client whose command is running (Redis's server.current_client). */
  private current: Client | null = null;
  /** Invalidations for `current` itself, sent after its command: keys, or null for a flush. */
  private pendingSelf: (string | null)[] = [];
  private broadcastScheduled = false;
  /** A flush invalidation was already sent during the current command (FLUSHALL empties every database). */
  private flushSent = false;
  /** Calls in a row that could not get the table under its limit (Redis's timeout_counter). */
  private limitMisses = 0;

  constructor(private readonly clients: ReadonlyMap<number, Client>) {}

  private lookupClient(id: number): Client | undefined {
    return this.clients.get(id);
  }

  /** INFO tracking_total_keys. */
  get totalKeys(): number {
    return this.table.size;
  }
  /** INFO tracking_total_items. */
  get totalItemsCount(): number {
    return this.totalItems;
  }
  /** INFO tracking_total_prefixes. */
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  // ---- CLIENT TRACKING ----

  /** Redis's enableTracking (the options were validated by CLIENT TRACKING). */
  enable(c: Client, options: TrackingOptions): void {
    let state = c.tracking;
    if (state === null) {
      this.clientCount++;
      state = {
        redirect: 0,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        caching: false,
        brokenRedirect: false,
        prefixes: new Set(),
      };
      c.tracking = state;
    }
    state.brokenRedirect = false;
    state.redirect = options.redirect;
    state.bcast = options.bcast;
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
    if (options.bcast) {
      const prefixes = options.prefixes.length === 0 ? [""] : options.prefixes;
      for (const prefix of prefixes) {
        if (state.prefixes.has(prefix)) continue;
        state.prefixes.add(prefix);
        let ps = this.prefixTable.get(prefix);
        if (!ps) this.prefixTable.set(prefix, (ps = { clients: new Set(), keys: new Map() }));
        ps.clients.add(c);
      }
    }
  }

  /** Redis's disableTracking: also used on RESET and disconnection. */
  disable(c: Client): void {
    const state = c.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const ps = this.prefixTable.get(prefix);
      if (!ps) continue;
      ps.clients.delete(c);
      if (ps.clients.size === 0) this.prefixTable.delete(prefix);
    }
    this.clientCount--;
    c.tracking = null;
  }

  /**
   * The first pair of overlapping prefixes (one a prefix of the other), checked against the
   * client's existing prefixes and among the new ones, in Redis's order; null when none.
   */
  prefixCollision(
    c: Client,
    prefixes: string[],
  ): { prefix: string; other: string; existing: boolean } | null {
    const existing = c.tracking ? [...c.tracking.prefixes].sort(byteOrder) : [];
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      for (const old of existing)
        if (overlaps(old, prefixes[i]!)) return { prefix: prefixes[i]!, other: old, existing: true };
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i]!, prefixes[j]!))
          return { prefix: prefixes[i]!, other: prefixes[j]!, existing: false };
      }
    }
    return null;
  }

  // ---- the command cycle ----

  /** Called by the dispatcher before a command runs. */
  beforeCommand(c: Client): void {
    this.current = c;
  }

  /**
   * After each command (queued ones in EXEC too): a read-only command run by a tracking client
   * has its keys remembered for that client. Read-only script runs are not: the commands their
   * scripts run are (see {@link Tracking.rememberKeys}).
   */
  commandRan(c: Client, command: Command): void {
    if (!command.isReadonly || RO_SCRIPT_RUNS.has(command.fullName)) return;
    this.rememberKeys(c, command);
  }

  /**
   * Redis's trackingRememberKeys: remembers the keys `command` names in `c.argv` for `c`, if it
   * tracks in default mode. Redis 7.0 calls it for a script's caller each time the script runs a
   * read-only command, with the caller's command: the script's declared keys are remembered.
   */
  rememberKeys(c: Client, command: Command): void {
    const state = c.tracking;
    if (state === null || state.bcast) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    if (command.meta.flags.includes("pubsub")) return;
    for (const ref of getKeys(command.meta, c.argv)) {
      const key = c.argv[ref.pos]!;
      let ids = this.table.get(key);
      if (!ids) this.table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /**
   * Called by the dispatcher once a command (or a whole EXEC) is done: sends the client's own
   * pending invalidations after its reply, and ends a CLIENT CACHING that applied to this command.
   */
  afterCommand(c: Client, command: Command | null): void {
    this.current = null;
    this.flushSent = false;
    if (this.pendingSelf.length > 0) {
      const pending = this.pendingSelf;
      this.pendingSelf = [];
      for (const key of pending) this.send(c, key === null ? null : [key]);
    }
    // Redis's resetClient: CACHING lasts for one command, MULTI and CLIENT commands excepted.
    if (c.tracking?.caching && !c.inMulti && (command?.parent ?? command)?.fullName !== "client") {
      c.tracking.caching = false;
    }
  }

  // ---- invalidation ----

  keyModified(_db: Database, key: string): void {
    this.invalidateKey(key, true);
  }

  /**
   * Redis's trackingLimitUsedSlots, run before each command and in the cron while clients track:
   * while more than `maxKeys` keys (0: no limit) are remembered, forgets keys as if they were
   * modified (their readers are told at once), oldest first, at most 100 keys per call more than
   * the previous call that could not get under the limit.
   */
  limitUsedSlots(maxKeys: number): void {
    if (maxKeys === 0) return;
    if (this.table.size <= maxKeys) {
      this.limitMisses = 0;
      return;
    }
    let effort = 100 * (this.limitMisses + 1);
    // Deleting the visited entry while iterating a Map is safe.
    for (const key of this.table.keys()) {
      this.invalidateKey(key, false);
      if (this.table.size <= maxKeys) {
        this.limitMisses = 0;
        return;
      }
      if (--effort === 0) break;
    }
    this.limitMisses++;
  }

  databaseFlushed(): void {
    if (this.clientCount === 0 && this.table.size === 0) return;
    if (!this.flushSent || this.current === null) {
      this.flushSent = this.current !== null;
      for (const c of this.clients.values()) {
        if (c.tracking === null) continue;
        if (c === this.current) this.pendingSelf.push(null);
        else this.send(c, null);
      }
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /**
   * Redis's trackingInvalidateKey. `modified`: the key changed (BCAST clients hear of it, and the
   * running client's own invalidation waits for its reply); false when the table forgets a key to
   * stay under its limit, before any command runs.
   */
  private invalidateKey(key: string, modified: boolean): void {
    // Every write passes here: nothing to hash while no client tracks anything.
    if (this.table.size === 0 && this.prefixTable.size === 0) return;
    if (modified && this.prefixTable.size > 0) this.rememberForBroadcast(key);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    for (const id of ids) {
      const target = this.lookupClient(id);
      const state = target?.tracking;
      if (!target || !state || state.bcast) continue;
      if (state.noloop && target === this.current) continue;
      if (modified && target === this.current) this.pendingSelf.push(key);
      else this.send(target, [key]);
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  private rememberForBroadcast(key: string): void {
    let any = false;
    for (const [prefix, ps] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      ps.keys.set(key, this.current);
      any = true;
    }
    if (any && !this.broadcastScheduled) {
      this.broadcastScheduled = true;
      // Redis broadcasts in beforeSleep: once the current batch of work is done.
      queueMicrotask(() => this.broadcast());
    }
  }

  /** Redis's trackingBroadcastInvalidationMessages. */
  private broadcast(): void {
    this.broadcastScheduled = false;
    const prefixes = [...this.prefixTable.keys()].sort(byteOrder);
    for (const prefix of prefixes) {
      const ps = this.prefixTable.get(prefix)!;
      if (ps.keys.size === 0) continue;
      const entries = [...ps.keys].sort((a, b) => byteOrder(a[0], b[0]));
      ps.keys = new Map();
      for (const c of ps.clients) {
        const keys: string[] = [];
        for (const [key, by] of entries) if (!(c.tracking?.noloop && by === c)) keys.push(key);
        if (keys.length > 0) this.send(c, keys);
      }
    }
  }

  /** Redis's sendTrackingMessage: `keys` null for a flush. */
  private send(c: Client, keys: string[] | null): void {
    const state = c.tracking;
    let target = c;
    let redirected = false;
    if (state !== null && state.redirect !== 0) {
      const redir = this.lookupClient(state.redirect);
      if (!redir || redir.closing) {
        state.brokenRedirect = true;
        if (c.resp === 3) {
          c.reply.push(2);
          c.reply.bulk("tracking-redir-broken");
          c.reply.integer(state.redirect);
          c.transport?.pushed?.();
        }
        return;
      }
      target = redir;
      redirected = true;
    }
    if (target.transport === null || target.closing) return;
    const r = target.reply;
    if (target.resp === 3) {
      r.push(2);
      r.bulk("invalidate");
    } else if (redirected && target.subscriptionCount > 0) {
      r.push(3);
      r.bulk("message");
      r.bulk(INVALIDATION_CHANNEL);
    } else {
      // RESP2 without a redirection to a subscriber: there is no way to deliver it.
      return;
    }
    if (keys === null) {
      // Redis writes the tracking client's protocol null; reddish the receiver's (they differ
      // only when a RESP2 client redirects to a RESP3 one or the reverse).
      r.nullBulk();
    } else {
      r.array(keys.length);
      for (const key of keys) r.bulk(key);
    }
    target.transport.pushed?.();
  }
}
