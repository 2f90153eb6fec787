// Reference document, "Expiry options", "Write options" and "Error handling".
import {
  ExpireIn,
  ExpireInSeconds,
  ExpireInMinutes,
  ExpireInHours,
  ExpireDailyAt,
  NeverExpire,
  KeepTTL,
} from "../../src/cache/index.js";
import { CacheError, CacheMiss, CacheKeyExists } from "../../src/cache/index.js";
import { StringKeyspace } from "../../src/cache/index.js";
import { cluster } from "./03-rate-limit.js";

// The document's write-option and error examples use a `keyspace`, a `key` and values:
const keyspace = new StringKeyspace<{ id: string }>(cluster, { keyPattern: "doc-examples/:id" });
const key = { id: "example" };
const value = "value";
const newValue = "new value";

// Expire in milliseconds
const expiry1 = ExpireIn(5000); // 5 seconds

// Expire in seconds
const expiry2 = ExpireInSeconds(30);

// Expire in minutes
const expiry3 = ExpireInMinutes(5);

// Expire in hours
const expiry4 = ExpireInHours(24);

// Expire at a specific time each day (UTC)
const expiry5 = ExpireDailyAt(0, 0, 0); // Midnight UTC

// Never expire (Redis may still evict based on eviction policy)
const expiry6 = NeverExpire;

// Keep existing TTL when updating (for write operations)
const expiry7 = KeepTTL;

export const expiries = [expiry1, expiry2, expiry3, expiry4, expiry5, expiry6, expiry7];

/** "Write options", verbatim. setIfNotExists throws CacheKeyExists here, as documented, since `key` was just set. */
export async function writeOptions(): Promise<void> {
  // Set with a specific expiry (overrides default)
  await keyspace.set(key, value, { expiry: ExpireInMinutes(30) });

  // Keep existing TTL when updating
  await keyspace.set(key, value, { expiry: KeepTTL });

  // Only set if key doesn't exist (throws CacheKeyExists otherwise)
  await keyspace.setIfNotExists(key, value);

  // Only set if key already exists (throws CacheMiss otherwise)
  await keyspace.replace(key, newValue);
}

/** "Error handling", verbatim. */
export async function errorHandling(): Promise<void> {
  // get returns undefined on cache miss
  const value = await keyspace.get(key);
  if (value === undefined) {
    // Key doesn't exist in cache
  }

  // replace throws CacheMiss if the key doesn't exist
  try {
    await keyspace.replace(key, newValue);
  } catch (err) {
    if (err instanceof CacheMiss) {
      console.log("Key doesn't exist, can't replace");
    }
    throw err;
  }
}

export { keyspace, key, CacheError, CacheKeyExists };
