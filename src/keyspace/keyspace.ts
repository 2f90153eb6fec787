/**
 * The keyspace: all databases plus what is shared by them: the clock, seeded randomness,
 * statistics, and the signals that writes raise (WATCH invalidation, blocked-client wake-ups,
 * keyspace events). Other subsystems subscribe to those signals through {@link KeyspaceListener}s.
 */
import type { Clock } from "./clock.js";
import { Database } from "./database.js";
import type { NotifyClassFlag } from "./notify.js";
import type { Random } from "./random.js";

/** Something that reacts to keyspace signals (transactions, blocking, notifications, tracking). */
export interface KeyspaceListener {
  /** A key's value changed or the key was deleted (Redis's signalModifiedKey). */
  keyModified?(db: Database, key: string): void;
  /** A key was created or pushed to: blocked clients waiting on it may proceed. */
  keyReady?(db: Database, key: string): void;
  /** A whole database is about to be emptied (FLUSHDB/FLUSHALL), or swapped. */
  databaseFlushed?(db: Database): void;
  /** A key was deleted because its TTL passed (lazily or by the active cycle). */
  keyExpired?(db: Database, key: string): void;
  /**
   * A keyspace event (Redis's notifyKeyspaceEvent): `event` is the name Redis uses (`set`, `del`,
   * `lpush`, `expired`...), `klass` its {@link NotifyClass}.
   */
  keyspaceEvent?(db: Database, klass: NotifyClassFlag, event: string, key: string): void;
}

/** Counters reported by INFO stats. */
export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
}

/** LFU_INIT_VAL: the counter a key starts with under an LFU policy. */
export const LFU_INIT_VAL = 5;

export class Keyspace {
  readonly databases: Database[];
  /**
   * True under an LFU maxmemory-policy: each key's 24-bit access field then holds Redis's LFU
   * data (minutes of the last decrement << 8 | logarithmic counter) instead of an LRU time, and
   * is reinterpreted, not converted, when the policy changes (as in Redis).
   */
  lfu = false;
  /** lfu-log-factor and lfu-decay-time. */
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0, evictedKeys: 0 };
  private listeners: KeyspaceListener[] = [];
  private readonly onModified: ((db: Database, key: string) => void)[] = [];
  private readonly onReady: ((db: Database, key: string) => void)[] = [];
  /**
   * The {@link NotifyClass} flags some listener wants (`notify-keyspace-events`): events of other
   * classes are dropped at once, so that raising them costs writes nothing when disabled.
   */
  eventMask = 0;
  /** The pinned time of the command being executed (see {@link Keyspace.pinTime}); NaN when none. */
  private pinnedNow = Number.NaN;
  /** While a script runs: the time it started (see {@link Keyspace.expiryNow}). */
  private frozenAt: number | null = null;

  constructor(
    databaseCount: number,
    readonly clock: Clock,
    readonly random: Random,
  ) {
    this.databases = [];
    for (let i = 0; i < databaseCount; i++) this.databases.push(new Database(i, this));
  }

  /** Registers a listener for keyspace signals. */
  addListener(listener: KeyspaceListener): void {
    this.listeners.push(listener);
    // Each signal calls only the listeners that handle it, through bound functions (one call
    // site over several listener classes would otherwise look each method up the slow way).
    if (listener.keyModified) this.onModified.push(listener.keyModified.bind(listener));
    if (listener.keyReady) this.onReady.push(listener.keyReady.bind(listener));
  }

  /**
   * The keyspace's current time in Unix ms: while a command executes, the time it started (Redis's
   * cached `server.mstime`: one command sees one instant, so a key cannot expire half-way through
   * it, nor during the commands of an EXEC); otherwise the clock.
   */
  now(): number {
    const t = this.pinnedNow;
    return t === t ? t : this.clock.now();
  }

  /**
   * Pins {@link Keyspace.now} to `now` until {@link Keyspace.unpinTime}. Returns false (and changes
   * nothing) when a time is already pinned: nested commands keep the outer command's instant.
   */
  pinTime(now: number): boolean {
    if (this.pinnedNow === this.pinnedNow) return false;
    this.pinnedNow = now;
    return true;
  }

  /** Ends the pin of {@link Keyspace.pinTime}. */
  unpinTime(): void {
    this.pinnedNow = Number.NaN;
  }

  /**
   * The time keys are judged expired by (Redis's keyIsExpired): {@link Keyspace.now}, except while
   * a script runs, when it is the time the script started (scriptTimeSnapshot; it outlives the
   * per-command pin, which a busy script's pauses release), so that no key expires in the middle
   * of a script. TTLs and new expiry times still follow the clock, as in Redis 7.0.
   */
  expiryNow(): number {
    return this.frozenAt ?? this.now();
  }

  /** Freezes expiry at `at` (a script starts), or thaws it (null: the script ended). */
  freezeExpiry(at: number | null): void {
    this.frozenAt = at;
  }

  /** Redis's LFUGetTimeInMinutes: Unix minutes, wrapping at 16 bits. */
  lfuMinutes(): number {
    return Math.floor(this.now() / 60000) & 0xffff;
  }

  /** The LFU counter of an access field after decay (Redis's LFUDecrAndReturn). */
  lfuCounter(field: number): number {
    const ldt = field >>> 8;
    const counter = field & 255;
    const now = this.lfuMinutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = this.lfuDecayTime ? Math.floor(elapsed / this.lfuDecayTime) : 0;
    return periods > counter ? 0 : counter - periods;
  }

  /** A key's access field after an access under LFU (Redis's updateLFU with LFULogIncr). */
  lfuTouched(field: number): number {
    let counter = this.lfuCounter(field);
    if (counter < 255) {
      const base = Math.max(0, counter - LFU_INIT_VAL);
      if (this.random.next() < 1 / (base * this.lfuLogFactor + 1)) counter++;
    }
    return (this.lfuMinutes() << 8) | counter;
  }

  /** The access field of a new key: LFU_INIT_VAL under LFU, else the LRU clock. */
  initialAccess(): number {
    return this.lfu ? (this.lfuMinutes() << 8) | LFU_INIT_VAL : this.lruClock();
  }

  /** Redis's LRU clock: Unix seconds, wrapping at 24 bits like Redis's. */
  lruClock(): number {
    return Math.floor(this.now() / 1000) & 0xffffff;
  }

  signalModified(db: Database, key: string): void {
    const handlers = this.onModified;
    for (let i = 0; i < handlers.length; i++) handlers[i]!(db, key);
  }
  signalReady(db: Database, key: string): void {
    const handlers = this.onReady;
    for (let i = 0; i < handlers.length; i++) handlers[i]!(db, key);
  }
  signalFlushed(db: Database): void {
    for (const l of this.listeners) l.databaseFlushed?.(db);
  }
  /**
   * Raises a keyspace event (Redis's notifyKeyspaceEvent). Commands call it after their change,
   * with Redis's event name and class, exactly where Redis does.
   */
  notify(db: Database, klass: NotifyClassFlag, event: string, key: string): void {
    if ((this.eventMask & klass) === 0) return;
    for (const l of this.listeners) l.keyspaceEvent?.(db, klass, event, key);
  }
  /** A key was deleted because its TTL passed: also a modification (WATCH), as in Redis. */
  keyExpired(db: Database, key: string): void {
    for (const l of this.listeners) l.keyExpired?.(db, key);
    this.signalModified(db, key);
  }

  /**
   * Active expiry, run periodically: like Redis's cycle, keep sampling a database while more than
   * a quarter of the sampled keys were expired, within a per-run budget. Also reclaims expired
   * hash fields. Returns the number of keys expired. Does nothing while a script runs.
   */
  activeExpireCycle(budgetPerDb = 200): number {
    let expired = 0;
    // Not while a script runs (past busy-reply-threshold): Redis's cron does not run then.
    if (this.frozenAt !== null) return expired;
    for (const db of this.databases) {
      // Hash fields with a TTL (Redis 7.4's HFE), reclaimed within the same budget per run.
      if (db.volatileHashCount !== 0) db.activeExpireFieldsStep(budgetPerDb);
      if (db.expiresCount === 0) continue;
      for (let round = 0; round < 16; round++) {
        const r = db.activeExpireStep(budgetPerDb / 10);
        expired += r.expired;
        if (r.examined === 0 || r.expired * 4 < r.examined) break;
      }
    }
    return expired;
  }

  /** Number of keys over all databases. */
  totalKeys(): number {
    let n = 0;
    for (const db of this.databases) n += db.size;
    return n;
  }
}
