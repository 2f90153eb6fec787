// The application code the three test-framework examples exercise: a rate limiter on the typed cache.
import { CacheCluster, IntKeyspace, StructKeyspace, expireInSeconds } from "../../src/cache/index.js";

const cluster = new CacheCluster("examples-app", { evictionPolicy: "allkeys-lru" });

/** Requests per user, forgotten 10 seconds after the last one. */
export const requestsPerUser = new IntKeyspace<{ userId: string }>(cluster, {
  keyPattern: "requests/:userId",
  defaultExpiry: expireInSeconds(10),
});

/** Cached profiles. */
export const profiles = new StructKeyspace<{ userId: string }, { name: string }>(cluster, {
  keyPattern: "profile/:userId",
});

/** True while `userId` made at most `limit` requests in the window. */
export async function allowRequest(userId: string, limit = 3): Promise<boolean> {
  return (await requestsPerUser.increment({ userId }, 1)) <= limit;
}
