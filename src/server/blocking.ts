/**
 * Blocking commands: the machinery behind BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, and
 * (reused by their families) BZPOPMIN, BZPOPMAX, BZMPOP and XREAD/XREADGROUP with BLOCK.
 *
 * It follows Redis 7.0's blocked.c:
 * - A command that finds nothing to serve calls {@link blockForKeys}: the client is parked on its
 *   keys (in its database) with a deadline. Its transport stops processing its input (pipelined
 *   commands stay buffered); every other client keeps being served.
 * - A write that creates a key (`Database.add`/`setKey`) or adds to one a client may wait for
 *   (list pushes, XADD) signals the key as ready (`Keyspace.signalReady`). Ready keys are queued
 *   once each, in signalling order.
 * - After each command (a whole EXEC counting as one), {@link BlockingManager.serveReadyKeys} walks
 *   the ready keys in order and, for each, the clients blocked on it in the order they blocked,
 *   calling each one's `retry(key)`: the command's own serving logic run again for that key, as if
 *   the command ran now. A client blocked on several keys is thus served from the first of its keys
 *   that became ready. Serving may make further keys ready (BLMOVE pushes to its destination);
 *   those are served in the same pass, until no key is ready.
 * - A client whose deadline passes gets its command's timeout reply (a null array by default); so
 *   does CLIENT UNBLOCK id TIMEOUT, while CLIENT UNBLOCK id ERROR replies
 *   `-UNBLOCKED client unblocked via CLIENT UNBLOCK`. A client that disconnects (or is killed) is
 *   released silently.
 *
 * Time: deadlines are absolute times of the server clock (`ServerCore.clock`), so they move with
 * `fastForward`/`setTime`. A real-time timer is armed for the earliest deadline (a few ms of
 * accuracy); clock jumps are noticed after the next command and by the server cron (every
 * 1000/hz ms). With a manual clock, blocked clients time out only when the clock is moved.
 */
import { BlockingErr, RedisError } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import type { KeyspaceListener } from "../keyspace/keyspace.js";
import { parseLongDouble } from "../util/longdouble.js";
import type { Client } from "./client.js";
import type { ServerCore } from "./core.js";

/**
 * Re-runs a blocked command's serving logic for `key`, one of its keys that was signalled ready.
 * Runs as the blocked client (its `argv`, `db`, `reply` are those of the blocked command).
 *
 * Return true when the reply was written: the client is then unblocked. Return false, writing
 * nothing, when the key cannot serve it after all (missing, empty, of another type, no new stream
 * entries): the client stays blocked. Throwing a RedisError also ends the block: the client gets
 * that error (e.g. BLMOVE whose destination turned out to be of the wrong type).
 */
export type RetryBlocked = (key: string) => boolean;

/** Options of {@link blockForKeys}. */
export interface BlockOptions {
  /**
   * Writes the reply sent when the deadline passes or on CLIENT UNBLOCK id TIMEOUT. Default: a
   * null array (`*-1` in RESP2, `_` in RESP3), which is what lists, sorted sets and streams use.
   */
  onTimeout?: (client: Client) => void;
}

/** One blocked client. */
interface BlockedEntry {
  readonly client: Client;
  readonly db: Database;
  /** Distinct keys, in the order given. */
  readonly keys: readonly string[];
  /** Absolute server-clock ms; 0 for no timeout. */
  readonly deadline: number;
  readonly retry: RetryBlocked;
  readonly onTimeout: (client: Client) => void;
  /** Position in the timeout heap; -1 when not in it. */
  heapIndex: number;
  /** Set once unblocked (served, timed out, unblocked or disconnected). */
  released: boolean;
}

/** setTimeout's longest delay (2^31 - 1 ms); longer waits re-arm. */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * True if `client` may block now. Blocking is denied inside EXEC (and scripts, which run without a
 * transport) and for clients whose transport cannot hold a blocked client (in-process callers):
 * as in Redis, such clients get the command's timeout behaviour at once, even with timeout 0.
 */
export function canBlock(client: Client): boolean {
  return !client.inExec && typeof client.transport?.runUnblocking === "function";
}

/**
 * Parks `client` until one of `keys` (in `db`) can serve it, the `deadline` passes (absolute
 * server-clock ms from {@link readBlockingTimeout}; 0 waits forever), or it is unblocked or
 * disconnected. The caller has already found that no key can serve it now, checked
 * {@link canBlock}, and written no reply. `retry` is called for each ready key (see
 * {@link RetryBlocked}); duplicate keys are ignored, the first occurrence setting the order.
 *
 * For authors of blocking commands:
 * - Key creation signals readiness by itself (`Database.add`/`setKey`). A write that adds to an
 *   existing key must call `c.server.keyspace.signalReady(c.db, key)` if a waiter could now be
 *   served (XADD to an existing stream; list pushes do it).
 * - `retry` may be called for a key that is missing, empty or of another type (any signalled key
 *   is tried); it must check, and return false when it cannot serve.
 * - `retry` runs after the signalling command (or EXEC) finished, from the dispatcher; it should
 *   do exactly what the command would do now for that key (reply, keyspace signals, `dirty`).
 *
 * Typical use, in a blocking command's handler:
 * ```ts
 * const deadline = readBlockingTimeout(c.argv[timeoutIdx]!, c.server.clock.now());
 * for (const key of keys) if (tryServe(c, key)) return;   // like the non-blocking form
 * if (!canBlock(c)) return c.reply.nullArray();           // MULTI/EXEC, scripts, in-process
 * blockForKeys(c, c.db, keys, deadline, (key) => tryServe(c, key));
 * ```
 */
export function blockForKeys(
  client: Client,
  db: Database,
  keys: readonly string[],
  deadline: number,
  retry: RetryBlocked,
  options: BlockOptions = {},
): void {
  client.server.blocking.block(client, db, keys, deadline, retry, options);
}

/**
 * Parses a blocking command's timeout in seconds (a float) into an absolute deadline in server
 * ms, like Redis 7.0's getTimeoutFromObjectOrReply with UNIT_SECONDS: the value is parsed as a
 * long double, multiplied by 1000, rounded up to whole milliseconds and converted to a 64-bit
 * integer (values out of range, infinities included, become negative, as on x86-64). Returns 0
 * (wait forever) for a zero timeout, and also when `now + timeout` would overflow 64 bits (Redis
 * then never times the client out).
 */
export function readBlockingTimeout(arg: string, now: number): number {
  const v = parseLongDouble(arg);
  if (v === undefined) throw new RedisError(BlockingErr.timeoutNotFloat);
  const ms = v.inf ? INT64_MIN : ceilTimes1000(v.neg, v.mant, v.exp);
  if (ms < 0n) throw new RedisError(BlockingErr.timeoutNegative);
  if (ms === 0n) return 0;
  const deadline = BigInt(Math.floor(now)) + ms;
  return deadline > INT64_MAX ? 0 : Number(deadline);
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * (long long) ceill(x * 1000.0L) for the long double x = ±mant × 2^exp: the product rounded to a
 * 64-bit significand (ties to even), rounded up to an integer, and INT64_MIN when out of range.
 */
function ceilTimes1000(neg: boolean, mant: bigint, exp: number): bigint {
  if (mant === 0n) return 0n;
  let p = mant * 1000n;
  let e = exp;
  const bits = p.toString(2).length;
  if (bits > 64) {
    const shift = BigInt(bits - 64);
    let q = p >> shift;
    const r = p - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    p = q;
    e += bits - 64;
  }
  let int: bigint;
  if (e >= 0) {
    if (e > 70) return INT64_MIN;
    int = p << BigInt(e);
    if (neg) int = -int;
  } else {
    const div = 1n << BigInt(-e);
    const whole = p / div;
    const exact = whole * div === p;
    // ceil: round towards +infinity (up in magnitude for positives, down for negatives).
    int = neg ? -whole : exact ? whole : whole + 1n;
  }
  return int > INT64_MAX || int < INT64_MIN ? INT64_MIN : int;
}

/**
 * The server's blocked clients: who waits on which key, ready keys, deadlines. One per
 * {@link ServerCore} (`server.blocking`); it listens to the keyspace for ready keys.
 */
export class BlockingManager implements KeyspaceListener {
  /** Per database, per key: the clients blocked on it, in blocking order. */
  private readonly waiting = new Map<Database, Map<string, Set<BlockedEntry>>>();
  /** Keys signalled ready and not yet served, in signalling order. */
  private ready: { db: Database; key: string }[] = [];
  /** Per database, the keys currently in {@link ready}. */
  private readonly readySet = new Map<Database, Set<string>>();
  private readonly entries = new Map<Client, BlockedEntry>();
  /** Min-heap of entries with a deadline, by deadline. */
  private readonly heap: BlockedEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private serving = false;

  constructor(private readonly server: ServerCore) {}

  /** Number of blocked clients (INFO blocked_clients). */
  get blockedCount(): number {
    return this.entries.size;
  }

  /** See {@link blockForKeys}. */
  block(
    client: Client,
    db: Database,
    keys: readonly string[],
    deadline: number,
    retry: RetryBlocked,
    options: BlockOptions = {},
  ): void {
    if (this.entries.has(client)) throw new Error("client is already blocked");
    const distinct = [...new Set(keys)];
    const entry: BlockedEntry = {
      client,
      db,
      keys: distinct,
      deadline,
      retry,
      onTimeout: options.onTimeout ?? ((c) => c.reply.nullArray()),
      heapIndex: -1,
      released: false,
    };
    let byKey = this.waiting.get(db);
    if (!byKey) this.waiting.set(db, (byKey = new Map()));
    for (const key of distinct) {
      let queue = byKey.get(key);
      if (!queue) byKey.set(key, (queue = new Set()));
      queue.add(entry);
    }
    this.entries.set(client, entry);
    client.blockState = entry;
    client.unblock = (withError) => this.unblockByCommand(entry, withError);
    if (deadline > 0) {
      this.heapPush(entry);
      this.armTimer();
    }
  }

  // ---- keyspace listener ----

  /** A key was created or added to: queue it if someone waits for it. */
  keyReady(db: Database, key: string): void {
    if (this.waiting.size === 0 || !this.waiting.get(db)?.has(key)) return;
    let set = this.readySet.get(db);
    if (!set) this.readySet.set(db, (set = new Set()));
    if (set.has(key)) return;
    set.add(key);
    this.ready.push({ db, key });
  }

  /**
   * SWAPDB exchanged the contents of `a` and `b`; blocked clients stay with their database
   * number, so every key they wait for is ready: those that now exist may serve them
   * (scanDatabaseForReadyKeys), those that are gone end XREADGROUP waits
   * (scanDatabaseForDeletedStreams).
   */
  databaseSwapped(a: Database, b: Database): void {
    for (const db of [a, b]) {
      const byKey = this.waiting.get(db);
      if (!byKey) continue;
      for (const key of byKey.keys()) this.keyReady(db, key);
    }
  }

  /**
   * A key was modified: if it is gone and someone waits on it, it is ready too, as Redis 7.0's
   * signalDeletedKeyAsReady (XREADGROUP waiters then get an error; others keep waiting).
   */
  keyModified(db: Database, key: string): void {
    if (this.waiting.size === 0) return;
    if (this.waiting.get(db)?.has(key) && !db.holds(key)) this.keyReady(db, key);
  }

  /** FLUSHDB/FLUSHALL: every waited key of `db` is about to be deleted (see {@link keyModified}). */
  databaseFlushed(db: Database): void {
    const byKey = this.waiting.get(db);
    if (byKey) for (const key of byKey.keys()) this.keyReady(db, key);
  }

  // ---- serving ----

  /**
   * Called by the dispatcher at the end of processCommand, so once per command from a client (a
   * whole EXEC counting as one; code that runs commands inside another, like EXEC and scripts,
   * must use `call()` so that clients are served only afterwards). Serves clients blocked on the
   * keys that became ready, then times out clients whose deadline passed (the clock may have
   * jumped).
   */
  afterCommand(): void {
    if (this.ready.length > 0) this.serveReadyKeys();
    if (this.heap.length > 0 && this.heap[0]!.deadline < this.server.clock.now()) this.checkTimeouts();
  }

  /** Serves the clients blocked on ready keys, in Redis's order (see the module comment). */
  serveReadyKeys(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        for (const { db, key } of batch) {
          this.readySet.get(db)?.delete(key);
          const queue = this.waiting.get(db)?.get(key);
          if (!queue) continue;
          for (const entry of [...queue]) {
            if (!entry.released) this.serve(entry, key);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** Times out every client whose deadline is before the server clock's now. */
  checkTimeouts(): void {
    const now = this.server.clock.now();
    while (this.heap.length > 0 && this.heap[0]!.deadline < now) {
      const entry = this.heap[0]!;
      this.finish(entry, false, () => entry.onTimeout(entry.client));
      // A transport must run the code it is given; never loop on an entry that stayed.
      if (!entry.released) this.release(entry);
    }
    this.armTimer();
  }

  /** Releases a client that is going away (disconnect, CLIENT KILL), without a reply. */
  removeClient(client: Client): void {
    const entry = this.entries.get(client);
    if (entry) this.release(entry);
  }

  /** Tries to serve `entry` from `key`; on success the client is unblocked. */
  private serve(entry: BlockedEntry, key: string): void {
    const client = entry.client;
    this.runAsBlocked(client, () => {
      const start = performance.now();
      let served: boolean;
      let failed = false;
      try {
        served = entry.retry(key);
      } catch (e) {
        this.replyError(client, e);
        served = true;
        failed = true;
      }
      if (served) this.complete(entry, failed, performance.now() - start);
    });
  }

  /** CLIENT UNBLOCK: the timeout reply, or the -UNBLOCKED error. Counted as a failed call. */
  private unblockByCommand(entry: BlockedEntry, withError: boolean): void {
    if (entry.released) return;
    this.finish(entry, true, () => {
      if (withError) {
        entry.client.reply.error(BlockingErr.unblockedByClient);
        this.server.countError(BlockingErr.unblockedByClient);
      } else {
        entry.onTimeout(entry.client);
      }
    });
  }

  /** Writes a final reply for a blocked client and unblocks it. */
  private finish(entry: BlockedEntry, failed: boolean, write: () => void): void {
    this.runAsBlocked(entry.client, () => {
      try {
        write();
      } catch (e) {
        this.replyError(entry.client, e);
        failed = true;
      }
      this.complete(entry, failed, 0);
    });
  }

  /** Runs code that may end a client's block through its transport (reply modes, flush, resume). */
  private runAsBlocked(client: Client, run: () => void): void {
    const transport = client.transport;
    if (transport?.runUnblocking) transport.runUnblocking(run);
    else run();
  }

  /**
   * Unblocks after the final reply. Statistics as Redis's updateStatsOnUnblock: the call was
   * counted when the command blocked; the time spent serving it (not waiting) and a failure are
   * added now.
   */
  private complete(entry: BlockedEntry, failed: boolean, elapsedMs: number): void {
    const command = entry.client.command;
    if (command) {
      const stats = this.server.stats.commands.get(command.fullName);
      if (stats) {
        stats.usec += elapsedMs * 1000;
        if (failed) stats.failed++;
      }
    }
    this.release(entry);
  }

  private replyError(client: Client, e: unknown): void {
    if (e instanceof RedisError) {
      client.reply.error(e.message);
      this.server.countError(e.message);
      return;
    }
    // A bug in a command must not take the server down, nor leave the client blocked forever.
    const text = e instanceof Error ? e.message : String(e);
    const message = `ERR internal error in '${client.argv[0] ?? "?"}': ${text}`.replace(/[\r\n]/g, " ");
    client.reply.error(message);
    this.server.countError(message);
    process.emitWarning(e instanceof Error ? e : new Error(text), "ReddishInternalError");
  }

  /** Forgets a blocked client everywhere. */
  private release(entry: BlockedEntry): void {
    if (entry.released) return;
    entry.released = true;
    const byKey = this.waiting.get(entry.db);
    if (byKey) {
      for (const key of entry.keys) {
        const queue = byKey.get(key);
        if (!queue) continue;
        queue.delete(entry);
        if (queue.size === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.waiting.delete(entry.db);
    }
    if (entry.heapIndex >= 0) this.heapRemove(entry);
    this.entries.delete(entry.client);
    if (entry.client.blockState === entry) entry.client.blockState = null;
    entry.client.unblock = null;
    if (this.heap.length === 0) this.disarmTimer();
  }

  // ---- timer ----

  private armTimer(): void {
    if (this.heap.length === 0) return this.disarmTimer();
    const deadline = this.heap[0]!.deadline;
    if (this.timer !== null && this.timerAt === deadline) return;
    this.disarmTimer();
    // Redis times a client out once its deadline is strictly in the past.
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, deadline - this.server.clock.now() + 1));
    this.timerAt = deadline;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.checkTimeouts();
    }, delay);
    this.timer.unref();
  }

  private disarmTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  // ---- indexed binary min-heap on deadline ----

  private heapPush(entry: BlockedEntry): void {
    entry.heapIndex = this.heap.length;
    this.heap.push(entry);
    this.siftUp(entry.heapIndex);
  }

  private heapRemove(entry: BlockedEntry): void {
    const heap = this.heap;
    const i = entry.heapIndex;
    const last = heap.pop()!;
    entry.heapIndex = -1;
    if (last === entry) return;
    heap[i] = last;
    last.heapIndex = i;
    this.siftUp(i);
    this.siftDown(last.heapIndex);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.deadline <= item.deadline) break;
      heap[i] = heap[parent]!;
      heap[i]!.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadline < heap[child]!.deadline) child++;
      if (heap[child]!.deadline >= item.deadline) break;
      heap[i] = heap[child]!;
      heap[i]!.heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
