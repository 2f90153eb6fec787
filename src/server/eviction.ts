/**
 * maxmemory: memory accounting and eviction (Redis 7.0's evict.c), for the eight
 * `maxmemory-policy` values.
 *
 * What is counted: reddish cannot see allocations the way Redis's allocator does (a JS heap
 * frees memory only when the garbage collector runs, and one process may hold several servers),
 * so `maxmemory` is compared with the data set as Redis would count it: the used memory of an
 * empty Redis 7.0 instance, plus, per key, the estimate MEMORY USAGE gives (key, dict entry,
 * value; collections sampled), plus the dict buckets and expire entries. Eviction therefore
 * starts at about the data volume at which Redis would start evicting. Client buffers are not
 * counted. The accounting runs only while `maxmemory` is set (enabling it walks the keyspace
 * once).
 *
 * Eviction follows evict.c: before each command (see the dispatcher), while over the limit, pick
 * a victim: the `-random` policies take a random key (databases in turn), the others keep a pool
 * of the 16 best candidates refilled with `maxmemory-samples` sampled keys per database (idle
 * time for LRU, 255 minus the logarithmic counter for LFU, nearest expiry for volatile-ttl).
 * A victim is deleted like DEL, counted in INFO evicted_keys and announced as an `evicted`
 * keyspace event. When nothing can be evicted (noeviction, or no candidate keys), denyoom
 * commands are refused with OOM. Unlike Redis there is no time limit per eviction run.
 */
import { dictBuckets } from "../commands/server-info.js";
import { keyMemoryUsage } from "../commands/server-memory.js";
import type { Database } from "../keyspace/database.js";
import type { KeyspaceListener } from "../keyspace/keyspace.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { ServerCore } from "./core.js";

/** used_memory of an empty redis-server 7.0.15 on 64-bit Linux (used_memory_startup). */
const EMPTY_INSTANCE_BYTES = 876_008;
/** An entry of the expires dict. */
const EXPIRES_ENTRY = 24;
/** Collections are sized from this many sampled elements, as MEMORY USAGE's default. */
const SIZE_SAMPLES = 5;
/** Redis's EVPOOL_SIZE. */
const POOL_SIZE = 16;

interface PoolEntry {
  score: number;
  key: string;
  db: Database;
}

/** Accounts the data set's memory while maxmemory is set, and evicts keys to stay under it. */
export class Evictor implements KeyspaceListener {
  /** Estimated bytes per key, per database; null while not accounting. */
  private sizes: Map<Database, Map<string, number>> | null = null;
  private datasetBytes = 0;
  /** Candidates, ascending by score (best victim last). */
  private pool: PoolEntry[] = [];
  /** Next database for the random policies (Redis's static next_db). */
  private nextDb = 0;
  /**
   * Whether memory was over maxmemory (and nothing could be evicted) when the command being run
   * started (Redis's pre_command_oom_state): recorded by the dispatcher while maxmemory is set;
   * scripts refuse their first denyoom command by it.
   */
  oomAtCommandStart = false;

  constructor(private readonly server: ServerCore) {}

  /** Starts or stops accounting as `maxmemory` is set or cleared. */
  configure(): void {
    const enabled = this.server.config.hot.maxmemory > 0;
    if (enabled && this.sizes === null) {
      this.sizes = new Map();
      this.datasetBytes = 0;
      for (const db of this.server.keyspace.databases) {
        if (db.size === 0) continue;
        for (let slot = 0; slot < db.size; slot++) this.account(db, db.keyAtSlot(slot));
      }
    } else if (!enabled && this.sizes !== null) {
      this.sizes = null;
      this.datasetBytes = 0;
      this.pool = [];
    }
  }

  /** The memory compared with maxmemory, in bytes. */
  usedMemory(): number {
    let buckets = 0;
    for (const db of this.server.keyspace.databases) {
      buckets += dictBuckets(db.size) * 8 + dictBuckets(db.expiresCount) * 8;
    }
    return EMPTY_INSTANCE_BYTES + this.datasetBytes + buckets;
  }

  // ---- keyspace listener: keep per-key estimates current ----

  keyModified(db: Database, key: string): void {
    if (this.sizes !== null) this.account(db, key);
  }
  keyReady(db: Database, key: string): void {
    if (this.sizes !== null) this.account(db, key);
  }
  databaseFlushed(db: Database): void {
    const byKey = this.sizes?.get(db);
    if (!byKey) return;
    for (const bytes of byKey.values()) this.datasetBytes -= bytes;
    this.sizes!.delete(db);
  }

  /** SWAPDB exchanged the contents of two databases: their estimates follow. */
  databaseSwapped(a: Database, b: Database): void {
    const sizes = this.sizes;
    if (sizes === null) return;
    const [ofA, ofB] = [sizes.get(a), sizes.get(b)];
    sizes.delete(a);
    sizes.delete(b);
    if (ofA) sizes.set(b, ofA);
    if (ofB) sizes.set(a, ofB);
  }

  /** Re-estimates one key (or forgets it when gone). */
  private account(db: Database, key: string): void {
    let byKey = this.sizes!.get(db);
    if (!byKey) this.sizes!.set(db, (byKey = new Map()));
    const old = byKey.get(key) ?? 0;
    const value = db.storedValue(key);
    if (value === undefined) {
      if (old !== 0) byKey.delete(key);
      this.datasetBytes -= old;
      return;
    }
    const bytes =
      keyMemoryUsage(key, value, SIZE_SAMPLES) + (db.getExpire(key) !== undefined ? EXPIRES_ENTRY : 0);
    byKey.set(key, bytes);
    this.datasetBytes += bytes - old;
  }

  // ---- eviction ----

  /**
   * Redis's performEvictions: evicts keys until used memory is within maxmemory. Returns false
   * when it cannot get there (EVICT_FAIL): the caller refuses denyoom commands.
   */
  performEvictions(): boolean {
    const server = this.server;
    const max = server.config.hot.maxmemory;
    if (max === 0 || this.sizes === null) return true;
    let used = this.usedMemory();
    if (used <= max) return true;
    const policy = server.config.get("maxmemory-policy");
    if (policy === "noeviction") return false;
    const volatile = policy.startsWith("volatile-");
    while (used > max) {
      const victim = policy.endsWith("-random")
        ? this.randomVictim(volatile)
        : this.pooledVictim(policy, volatile);
      if (!victim) return false;
      const { db, key } = victim;
      if (db.delete(key)) {
        server.keyspace.stats.evictedKeys++;
        server.keyspace.notify(db, NotifyClass.evicted, "evicted", key);
      }
      used = this.usedMemory();
    }
    return true;
  }

  private randomVictim(volatile: boolean): { db: Database; key: string } | undefined {
    const dbs = this.server.keyspace.databases;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[this.nextDb++ % dbs.length]!;
      if (volatile) {
        const [entry] = db.sampleVolatile(1);
        if (entry) return { db, key: entry[0] };
      } else if (db.size > 0) {
        return { db, key: db.keyAtSlot(this.server.random.below(db.size)) };
      }
    }
    return undefined;
  }

  /** Redis's pool-based selection (evictionPoolPopulate, then the best existing candidate). */
  private pooledVictim(policy: string, volatile: boolean): { db: Database; key: string } | undefined {
    const samples = this.server.config.getNumber("maxmemory-samples");
    for (;;) {
      let candidates = 0;
      for (const db of this.server.keyspace.databases) {
        const n = volatile ? db.expiresCount : db.size;
        if (n === 0) continue;
        candidates += n;
        this.populate(db, samples, policy, volatile);
      }
      if (candidates === 0) return undefined;
      while (this.pool.length > 0) {
        const best = this.pool.pop()!;
        if (best.db.slotOf(best.key) !== undefined) return best;
      }
    }
  }

  private populate(db: Database, samples: number, policy: string, volatile: boolean): void {
    const ttl = policy === "volatile-ttl";
    const sampled: [string, number | undefined][] = volatile
      ? db.sampleVolatile(samples)
      : Array.from({ length: Math.min(samples, db.size) }, () => [
          db.keyAtSlot(this.server.random.below(db.size)),
          undefined,
        ]);
    for (const [key, expireAt] of sampled) {
      const slot = db.slotOf(key);
      if (slot === undefined) continue;
      // volatile-ttl: the sooner the expiry, the better the victim.
      const score = ttl ? -(expireAt ?? 0) : db.evictionScore(slot);
      this.insert({ score, key, db });
    }
  }

  private insert(entry: PoolEntry): void {
    const pool = this.pool;
    if (pool.some((e) => e.key === entry.key && e.db === entry.db)) return;
    if (pool.length >= POOL_SIZE && entry.score <= pool[0]!.score) return;
    let i = pool.findIndex((e) => e.score > entry.score);
    if (i < 0) i = pool.length;
    pool.splice(i, 0, entry);
    if (pool.length > POOL_SIZE) pool.shift();
  }
}
