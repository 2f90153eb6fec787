/**
 * WATCH bookkeeping: which clients watch which keys. A write to a watched key (or a flush or swap
 * of its database) marks each watcher's transaction as failed (`dirtyCas`), as Redis's
 * touchWatchedKey does. Costs nothing on writes while nobody watches.
 */
import type { Database } from "./database.js";
import type { KeyspaceListener } from "./keyspace.js";

/** The part of a client that WATCH needs. */
export interface Watcher {
  dirtyCas: boolean;
  watched: { db: Database; key: string; expiredWhenWatched: boolean }[];
}

export class WatchRegistry implements KeyspaceListener {
  /** Watchers per database, per key. */
  private byDb = new Map<Database, Map<string, Set<Watcher>>>();

  /** Starts watching `key` (idempotent per client). */
  watch(client: Watcher, db: Database, key: string, expiredNow: boolean): void {
    let keys = this.byDb.get(db);
    if (!keys) this.byDb.set(db, (keys = new Map()));
    let watchers = keys.get(key);
    if (!watchers) keys.set(key, (watchers = new Set()));
    if (watchers.has(client)) return;
    watchers.add(client);
    client.watched.push({ db, key, expiredWhenWatched: expiredNow });
  }

  /** Stops all of a client's watches (UNWATCH, EXEC, DISCARD, disconnect). */
  unwatchAll(client: Watcher): void {
    for (const { db, key } of client.watched) {
      const keys = this.byDb.get(db);
      const watchers = keys?.get(key);
      if (!watchers) continue;
      watchers.delete(client);
      if (watchers.size === 0) keys!.delete(key);
      if (keys!.size === 0) this.byDb.delete(db);
    }
    client.watched = [];
  }

  keyModified(db: Database, key: string): void {
    if (this.byDb.size === 0) return;
    const watchers = this.byDb.get(db)?.get(key);
    if (!watchers) return;
    for (const w of watchers) {
      const entry = w.watched.find((e) => e.db === db && e.key === key);
      // A key already expired when watched, now reclaimed, is logically unchanged (as in Redis).
      if (entry?.expiredWhenWatched && !db.holds(key)) {
        entry.expiredWhenWatched = false;
        continue;
      }
      w.dirtyCas = true;
    }
  }

  databaseFlushed(db: Database): void {
    const keys = this.byDb.get(db);
    if (!keys) return;
    // Like Redis, only watchers of keys that exist are touched (or that exist in the swapped-in db).
    for (const [key, watchers] of keys) {
      if (db.holds(key)) for (const w of watchers) w.dirtyCas = true;
    }
  }

  /**
   * Touches watchers of keys in `db` that exist in `db` or in `other` (SWAPDB exchanges contents,
   * so a watched key changes if it exists on either side).
   */
  databaseSwapped(db: Database, other: Database): void {
    const keys = this.byDb.get(db);
    if (!keys) return;
    for (const [key, watchers] of keys) {
      if (db.holds(key) || other.holds(key)) for (const w of watchers) w.dirtyCas = true;
    }
  }

  /** True if one of the client's watched keys has expired since it was watched (checked at EXEC). */
  watchedKeyExpired(client: Watcher): boolean {
    for (const w of client.watched) {
      if (!w.expiredWhenWatched && w.db.isLogicallyExpired(w.key)) return true;
    }
    return false;
  }
}
