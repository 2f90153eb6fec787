// Reference document, "Example: Rate limiting" and "Key patterns with multiple fields".
import { CacheCluster, IntKeyspace, ExpireIn } from "../../src/cache/index.js";
import { api, APIError } from "./encore-stubs.js";
import { getAuthData } from "./encore-stubs.js";

const cluster = new CacheCluster("rate-limit", {
  evictionPolicy: "allkeys-lru",
});

// RequestsPerUser tracks the number of requests per user.
// The cache items expire after 10 seconds without activity.
const requestsPerUser = new IntKeyspace<{ userId: string }>(cluster, {
  keyPattern: "requests/:userId",
  defaultExpiry: ExpireIn(10 * 1000), // 10 seconds in milliseconds
});

export const myEndpoint = api(
  { expose: true, method: "GET", path: "/my-endpoint", auth: true },
  async (): Promise<{ message: string }> => {
    const auth = getAuthData();
    if (!auth) {
      throw APIError.unauthenticated("not authenticated");
    }

    const count = await requestsPerUser.increment({ userId: auth.userID }, 1);

    // NOTE: this "fails open", meaning if we can't communicate with the cache
    // we default to allowing the requests.
    //
    // Consider whether that's the correct behavior for your application,
    // or if you want to return an error to the user in that case.
    if (count > 10) {
      throw APIError.resourceExhausted("rate limit exceeded");
    }

    return { message: "Hello!" };
  },
);

interface ResourceKey {
  userId: string;
  resourcePath: string;
}

// ResourceRequestsPerUser tracks the number of requests per user and resource.
const resourceRequestsPerUser = new IntKeyspace<ResourceKey>(cluster, {
  keyPattern: "requests/:userId/:resourcePath",
  defaultExpiry: ExpireIn(10 * 1000),
});

// Usage:
await resourceRequestsPerUser.increment({ userId: "user123", resourcePath: "api/users" }, 1);

export { cluster, requestsPerUser, resourceRequestsPerUser };
