/**
 * One numbered database: keys, values and absolute expiry times. Every key access goes through
 * here, because lookups have side effects: lazy expiry, LRU touch, hit/miss statistics; and
 * writes notify WATCHers, blocked clients and keyspace-event listeners through the {@link Keyspace}.
 *
 * Keys live in a dense array with a Map from key to slot (deletes swap the last key into the hole),
 * which gives O(1) random keys (RANDOMKEY, eviction sampling) and a stateless SCAN cursor.
 */
import type { Keyspace } from "./keyspace.js";
import { NotifyClass } from "./notify.js";
import { HashValue } from "../types/hash.js";
import type { RedisValue } from "../types/value.js";

/** Options of {@link Database.setKey}. */
export interface SetKeyOptions {
  /** Keep the existing TTL (SET KEEPTTL). */
  keepTtl?: boolean;
}

/** Largest value of the 24-bit LRU clock (LRU_CLOCK_MAX). */
const LRU_CLOCK_MAX = (1 << 24) - 1;

export class Database {
  private slots = new Map<string, number>();
  private keyAt: string[] = [];
  private valueAt: RedisValue[] = [];
  /** Last access per slot, in seconds of the LRU clock (OBJECT IDLETIME, LRU eviction). */
  private accessAt = new Uint32Array(64);
  /** Absolute expiry in Unix ms, for keys that have one. */
  private expiresAt = new Map<string, number>();
  /** Resumable walk over {@link expiresAt} for the active expiry cycle. */
  private expiryWalk: Iterator<[string, number]> | null = null;
  /** Resumable walk over {@link expiresAt} for volatile eviction sampling. */
  private evictionWalk: Iterator<[string, number]> | null = null;
  /**
   * Keys holding a hash with field TTLs (Redis 7.4's db->hexpires), for the active expiry cycle.
   * A superset: a key deleted or overwritten since is dropped when the cycle meets it.
   */
  private volatileHashes = new Set<string>();
  /** Resumable walk over {@link volatileHashes}. */
  private volatileWalk: Iterator<string> | null = null;

  constructor(
    readonly id: number,
    private readonly keyspace: Keyspace,
  ) {}

  /** Number of keys, expired-but-not-yet-reclaimed ones included (as DBSIZE in Redis). */
  get size(): number {
    return this.keyAt.length;
  }

  /** Number of keys with an expiry. */
  get expiresCount(): number {
    return this.expiresAt.size;
  }

  // ---- lookups ----

  /**
   * Looks a key up for reading: expires it if due, counts a keyspace hit or miss, touches its LRU
   * time unless `noTouch`, raises `keymiss` on a miss unless `noNotify`. Returns undefined when
   * absent.
   */
  lookupRead(key: string, noTouch = false, noNotify = false): RedisValue | undefined {
    const slot = this.liveSlot(key);
    if (slot === undefined) {
      this.keyspace.stats.keyspaceMisses++;
      if (!noNotify) this.keyspace.notify(this, NotifyClass.keyMiss, "keymiss", key);
      return undefined;
    }
    this.keyspace.stats.keyspaceHits++;
    if (!noTouch) this.touch(slot);
    return this.valueAt[slot];
  }

  /** Looks a key up for writing: expires it if due and touches its LRU/LFU data; no statistics. */
  lookupWrite(key: string): RedisValue | undefined {
    const slot = this.liveSlot(key);
    if (slot === undefined) return undefined;
    this.touch(slot);
    return this.valueAt[slot];
  }

  /** Records an access: the LRU time, or under LFU a decayed and maybe incremented counter. */
  private touch(slot: number): void {
    const ks = this.keyspace;
    this.accessAt[slot] = ks.lfu ? ks.lfuTouched(this.accessAt[slot]!) : ks.lruClock();
  }

  /** The LFU counter of a key (OBJECT FREQ), decayed; undefined if absent. No side effects. */
  lfuCounter(key: string): number | undefined {
    const slot = this.liveSlot(key);
    return slot === undefined ? undefined : this.keyspace.lfuCounter(this.accessAt[slot]!);
  }

  /** Sets a key's LFU counter (RESTORE FREQ), as of now. */
  setLfuCounter(key: string, counter: number): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) this.accessAt[slot] = (this.keyspace.lfuMinutes() << 8) | counter;
  }

  /**
   * The eviction-pool score of the key in `slot` (higher evicts first): idle ms under LRU, 255
   * minus the counter under LFU (Redis's evictionPoolPopulate).
   */
  evictionScore(slot: number): number {
    const at = this.accessAt[slot]!;
    if (this.keyspace.lfu) return 255 - this.keyspace.lfuCounter(at);
    const now = this.keyspace.lruClock();
    return (now >= at ? now - at : now + (LRU_CLOCK_MAX - at)) * 1000;
  }

  /** The key in a slot (eviction sampling); slots are 0..size-1. */
  keyAtSlot(slot: number): string {
    return this.keyAt[slot]!;
  }

  /** The slot of a stored key (expired or not), or undefined. No side effects. */
  slotOf(key: string): number | undefined {
    return this.slots.get(key);
  }

  /**
   * Up to `count` keys that have a TTL, with their expiry (volatile eviction sampling): random
   * keys while TTLs are common enough to find that way, else the next ones of a rotating walk over
   * the expiry table. No side effects.
   */
  sampleVolatile(count: number): [string, number][] {
    const out: [string, number][] = [];
    if (this.expiresAt.size === 0) return out;
    const n = this.keyAt.length;
    for (let tries = 0; tries < count * 10 && out.length < count; tries++) {
      const key = this.keyAt[this.keyspace.random.below(n)]!;
      const when = this.expiresAt.get(key);
      if (when !== undefined) out.push([key, when]);
    }
    for (let wrapped = false; out.length < count;) {
      this.evictionWalk ??= this.expiresAt.entries();
      const step = this.evictionWalk.next();
      if (step.done) {
        this.evictionWalk = null;
        if (wrapped) break;
        wrapped = true;
        continue;
      }
      out.push(step.value);
    }
    return out;
  }

  /** Looks a key up with no side effect but lazy expiry (TYPE-like internal checks, OBJECT). */
  peek(key: string): RedisValue | undefined {
    const slot = this.liveSlot(key);
    return slot === undefined ? undefined : this.valueAt[slot];
  }

  /** The stored value, expired or not, with no side effect at all (accounting, eviction). */
  storedValue(key: string): RedisValue | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.valueAt[slot];
  }

  /** True if the key exists (after lazy expiry). No statistics, no LRU touch. */
  exists(key: string): boolean {
    return this.liveSlot(key) !== undefined;
  }

  /** True if the key is stored, expired or not. No side effects (Redis's dictFind). */
  holds(key: string): boolean {
    return this.slots.has(key);
  }

  /** True if the key exists but its TTL has passed (not yet reclaimed). No side effects. */
  isLogicallyExpired(key: string): boolean {
    if (!this.slots.has(key)) return false;
    const when = this.expiresAt.get(key);
    return when !== undefined && when < this.keyspace.expiryNow();
  }

  /**
   * Seconds since the key was last accessed (OBJECT IDLETIME), or undefined if absent. The LRU
   * clock wraps at 24 bits; like Redis's estimateObjectIdleTime, an access time ahead of the clock
   * means the clock wrapped since.
   */
  idleSeconds(key: string): number | undefined {
    const slot = this.liveSlot(key);
    if (slot === undefined) return undefined;
    const now = this.keyspace.lruClock();
    const at = this.accessAt[slot]!;
    return now >= at ? now - at : now + (LRU_CLOCK_MAX - at);
  }

  /**
   * Backdates a key's last access by `seconds` (RESTORE IDLETIME), on the wrapping 24-bit LRU clock
   * as Redis's objectSetLRUOrLFU does.
   */
  setIdleSeconds(key: string, seconds: bigint): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    let at = BigInt(this.keyspace.lruClock()) - seconds;
    if (at < 0n) at += BigInt(LRU_CLOCK_MAX);
    this.accessAt[slot] = Number(BigInt.asUintN(24, at));
  }

  private liveSlot(key: string): number | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.expiresAt.size !== 0) {
      const when = this.expiresAt.get(key);
      if (when !== undefined && when < this.keyspace.expiryNow()) {
        this.expireKey(key);
        return undefined;
      }
    }
    return slot;
  }

  // ---- writes ----

  /**
   * Sets a key to a value, creating or overwriting it (Redis's setKey). Clears the TTL unless
   * `keepTtl`. Signals the key as modified (WATCH, client tracking) and as ready (blocked clients).
   */
  setKey(key: string, value: RedisValue, options?: SetKeyOptions): void {
    const slot = this.slots.get(key);
    if (slot === undefined) {
      this.insert(key, value);
    } else {
      this.valueAt[slot] = value;
      // Redis's dbOverwrite: the new value has a fresh LRU time; under LFU it inherits the counter.
      if (!this.keyspace.lfu) this.accessAt[slot] = this.keyspace.lruClock();
      if (!options?.keepTtl && this.expiresAt.size !== 0) this.expiresAt.delete(key);
      this.noteVolatileHash(key, value);
    }
    this.keyspace.signalModified(this, key);
    this.keyspace.signalReady(this, key);
  }

  /**
   * Adds a key that the caller checked is absent (after lazy expiry). Signals ready for blocked
   * clients; the caller signals modification once its whole change is done.
   */
  add(key: string, value: RedisValue): void {
    this.insert(key, value);
    this.keyspace.signalReady(this, key);
  }

  /** Replaces the value of an existing key in place, keeping its TTL. */
  replaceValue(key: string, value: RedisValue): void {
    const slot = this.slots.get(key);
    if (slot === undefined) throw new Error(`replaceValue on missing key`);
    this.valueAt[slot] = value;
    this.noteVolatileHash(key, value);
  }

  private insert(key: string, value: RedisValue): void {
    const slot = this.keyAt.length;
    this.slots.set(key, slot);
    this.keyAt.push(key);
    this.valueAt.push(value);
    if (slot >= this.accessAt.length) {
      const next = new Uint32Array(this.accessAt.length * 2);
      next.set(this.accessAt);
      this.accessAt = next;
    }
    this.accessAt[slot] = this.keyspace.initialAccess();
    this.noteVolatileHash(key, value);
    // Redis's dbAdd raises `new` for every key it creates.
    this.keyspace.notify(this, NotifyClass.newKey, "new", key);
  }

  /** Registers a key for active field expiry if its value is a hash with field TTLs. */
  private noteVolatileHash(key: string, value: RedisValue): void {
    if (value instanceof HashValue && value.volatileFieldCount > 0) this.volatileHashes.add(key);
  }

  /** Registers a key whose hash was just given field TTLs (HEXPIRE family). */
  trackFieldExpiry(key: string): void {
    this.volatileHashes.add(key);
  }

  /**
   * Reclaims the fields of the hash stored at `key` whose TTL has passed (at most `max`), as
   * Redis's field expiry does: one `hexpired` event, and the key deleted (with a `del` event) if
   * no field is left. Signals the key as modified. Returns how many fields were reclaimed.
   */
  expireHashFields(key: string, hash: HashValue, max = Infinity): number {
    const n = hash.expireFields(this.keyspace.now(), max);
    if (n > 0) this.afterFieldExpiry(key, hash);
    return n;
  }

  /**
   * Reclaims one field if its TTL has passed (lazy field expiry on access). Returns true if it
   * did; the key is deleted when that was the last field.
   */
  expireHashField(key: string, hash: HashValue, field: string): boolean {
    if (!hash.isFieldExpired(field, this.keyspace.now())) return false;
    hash.delete(field);
    this.afterFieldExpiry(key, hash);
    return true;
  }

  private afterFieldExpiry(key: string, hash: HashValue): void {
    this.keyspace.notify(this, NotifyClass.hash, "hexpired", key);
    if (hash.size === 0) {
      this.remove(key);
      this.keyspace.notify(this, NotifyClass.generic, "del", key);
    }
    this.keyspace.signalModified(this, key);
  }

  /** Number of keys registered for active field expiry. */
  get volatileHashCount(): number {
    return this.volatileHashes.size;
  }

  /**
   * One step of active field expiry: visits up to `budget` registered hashes and reclaims their
   * due fields (at most `budget` in all). Returns how many fields were reclaimed.
   */
  activeExpireFieldsStep(budget: number): number {
    if (this.volatileHashes.size === 0) return 0;
    const now = this.keyspace.now();
    let examined = 0;
    let expired = 0;
    this.volatileWalk ??= this.volatileHashes.values();
    while (examined < budget && expired < budget) {
      const step = this.volatileWalk.next();
      if (step.done) {
        this.volatileWalk = null;
        break;
      }
      examined++;
      const key = step.value;
      const slot = this.slots.get(key);
      const value = slot === undefined ? undefined : this.valueAt[slot];
      if (!(value instanceof HashValue) || value.volatileFieldCount === 0) {
        this.volatileHashes.delete(key);
        continue;
      }
      // A key whose own TTL passed is left to key expiry (no field events for a dead key).
      if (value.nextFieldExpiry() < now && !this.isLogicallyExpired(key)) {
        expired += this.expireHashFields(key, value, budget - expired);
      }
    }
    return expired;
  }

  /** Deletes a key (and its TTL). Returns false if it did not exist. Signals modification. */
  delete(key: string): boolean {
    if (this.liveSlot(key) === undefined) return false;
    this.remove(key);
    this.keyspace.signalModified(this, key);
    return true;
  }

  /** Removes a key without expiry checks or signals. */
  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const last = this.keyAt.length - 1;
    if (slot !== last) {
      const movedKey = this.keyAt[last]!;
      this.keyAt[slot] = movedKey;
      this.valueAt[slot] = this.valueAt[last]!;
      this.accessAt[slot] = this.accessAt[last]!;
      this.slots.set(movedKey, slot);
    }
    this.keyAt.pop();
    this.valueAt.pop();
    this.slots.delete(key);
    this.expiresAt.delete(key);
  }

  /** Deletes an expired key: counts it, emits the `expired` event. */
  private expireKey(key: string): void {
    this.remove(key);
    this.keyspace.stats.expiredKeys++;
    this.keyspace.notify(this, NotifyClass.expired, "expired", key);
    this.keyspace.keyExpired(this, key);
  }

  // ---- expiry ----

  /** Sets the absolute expiry (Unix ms) of an existing key. */
  setExpire(key: string, whenMs: number): void {
    this.expiresAt.set(key, whenMs);
  }

  /** The absolute expiry (Unix ms) of a key, or undefined if it has none. */
  getExpire(key: string): number | undefined {
    return this.expiresAt.get(key);
  }

  /** Removes a key's TTL; returns true if it had one. */
  removeExpire(key: string): boolean {
    return this.expiresAt.delete(key);
  }

  /**
   * One step of the active expiry cycle: examines up to `budget` keys with a TTL, deleting those
   * that are due. Returns how many were examined and how many expired.
   */
  activeExpireStep(budget: number): { examined: number; expired: number } {
    let examined = 0;
    let expired = 0;
    const now = this.keyspace.now();
    if (this.expiresAt.size === 0) return { examined, expired };
    this.expiryWalk ??= this.expiresAt.entries();
    while (examined < budget) {
      const step = this.expiryWalk.next();
      if (step.done) {
        this.expiryWalk = null;
        break;
      }
      examined++;
      const [key, when] = step.value;
      if (when < now && this.slots.has(key)) {
        this.expireKey(key);
        expired++;
      }
    }
    return { examined, expired };
  }

  // ---- iteration ----

  /** A uniformly random live key, or undefined when the database is empty. */
  randomKey(): string | undefined {
    // Like Redis, give up on the expiry filter after many tries when nearly all keys are expired.
    for (let tries = 0; this.keyAt.length > 0; tries++) {
      const key = this.keyAt[this.keyspace.random.below(this.keyAt.length)]!;
      const when = this.expiresAt.get(key);
      if (when === undefined || tries > 100) return key;
      if (when >= this.keyspace.expiryNow()) return key;
      this.expireKey(key);
    }
    return undefined;
  }

  /**
   * One SCAN step. The cursor counts down through slots (0 starts a scan; the returned cursor is 0
   * when done). Because a delete moves the last slot into the hole, walking downwards returns every
   * key that exists for the whole scan at least once. Calls `visit` for about `count` keys.
   */
  scan(cursor: number, count: number, visit: (key: string, value: RedisValue) => void): number {
    let next = cursor === 0 ? this.keyAt.length : Math.min(cursor, this.keyAt.length);
    const now = this.keyspace.expiryNow();
    const expired: string[] = [];
    for (let n = 0; n < count && next > 0; n++) {
      next--;
      const key = this.keyAt[next]!;
      const when = this.expiresAt.get(key);
      if (when !== undefined && when < now) expired.push(key);
      else visit(key, this.valueAt[next]!);
    }
    for (const key of expired) this.expireKey(key);
    return next;
  }

  /** All live keys (KEYS). Expired keys met on the way are reclaimed. */
  keys(): string[] {
    const now = this.keyspace.expiryNow();
    const out: string[] = [];
    const expired: string[] = [];
    for (const key of this.keyAt) {
      const when = this.expiresAt.get(key);
      if (when !== undefined && when < now) expired.push(key);
      else out.push(key);
    }
    for (const key of expired) this.expireKey(key);
    return out;
  }

  /** Removes every key. Signals every WATCHed key that existed. Returns how many were removed. */
  flush(): number {
    const removed = this.keyAt.length;
    this.keyspace.signalFlushed(this);
    this.slots = new Map();
    this.keyAt = [];
    this.valueAt = [];
    this.accessAt = new Uint32Array(64);
    this.expiresAt = new Map();
    this.expiryWalk = null;
    this.volatileHashes = new Set();
    this.volatileWalk = null;
    this.evictionWalk = null;
    return removed;
  }

  /** Exchanges all contents with another database (SWAPDB). */
  swapContents(other: Database): void {
    [this.slots, other.slots] = [other.slots, this.slots];
    [this.keyAt, other.keyAt] = [other.keyAt, this.keyAt];
    [this.valueAt, other.valueAt] = [other.valueAt, this.valueAt];
    [this.accessAt, other.accessAt] = [other.accessAt, this.accessAt];
    [this.expiresAt, other.expiresAt] = [other.expiresAt, this.expiresAt];
    [this.volatileHashes, other.volatileHashes] = [other.volatileHashes, this.volatileHashes];
    this.expiryWalk = null;
    other.expiryWalk = null;
    this.volatileWalk = null;
    other.volatileWalk = null;
    this.evictionWalk = null;
    other.evictionWalk = null;
  }
}
