/**
 * What the hash families share: typed lookups, the listpack limits, and Redis 7.4's lazy field
 * expiry (a field whose TTL passed is reclaimed when a command touches it; see hash-expire.ts).
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { HashValue, type HashLimits } from "../types/hash.js";

/** The listpack limits currently configured. */
export function hashLimits(c: Client): HashLimits {
  const hot = c.server.config.hot;
  return { maxEntries: hot.hashMaxListpackEntries, maxValue: hot.hashMaxListpackValue };
}

/** A hash for reading (keyspace hit/miss counted), or undefined; WRONGTYPE for other types. */
export function lookupHashRead(c: Client, key: string): HashValue | undefined {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** A hash for writing, or undefined; WRONGTYPE for other types. */
export function lookupHashWrite(c: Client, key: string): HashValue | undefined {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new RedisError(Err.wrongType);
  return v;
}

/**
 * A field's value, or undefined. A field whose TTL has passed is reclaimed first (Redis 7.4's
 * lazy field expiry: an `hexpired` event, and the key deleted with a `del` event if that was its
 * last field), so it reads as absent. Costs nothing for hashes without field TTLs.
 */
export function liveFieldValue(c: Client, key: string, hash: HashValue, field: string): string | undefined {
  if (hash.tracksFieldExpiry && c.db.expireHashField(key, hash, field)) return undefined;
  return hash.get(field);
}

/**
 * A hash for a write that touches the fields `argv[start]`, `argv[start + step]`...: those whose
 * TTL has passed are reclaimed first, so the write sees them absent (and a new field has no
 * TTL). Undefined if there is no hash, including when that reclaimed its last field.
 */
export function lookupHashWriteLive(
  c: Client,
  key: string,
  start: number,
  step: number,
  end = c.argv.length,
): HashValue | undefined {
  const hash = lookupHashWrite(c, key);
  if (hash === undefined || !hash.tracksFieldExpiry) return hash;
  if (hash.hasExpiredFields(c.server.clock.now())) {
    for (let i = start; i < end; i += step) c.db.expireHashField(key, hash, c.argv[i]!);
  }
  return hash.size === 0 ? undefined : hash;
}
