// Runs the reference document's examples (examples/reference, compiled with tsc --strict by the
// build; unchanged except import paths) and checks what they did.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CacheCluster, CacheKeyExists, CacheMiss, closeCache } from "../../src/cache/index.js";

test("the reference document's examples run and do what the document says", async () => {
  process.env.NODE_ENV = "test";
  const { declared } = await import("../../examples/reference/01-clusters.js");
  assert.equal(declared.name, "my-cache");
  const { sessions } = await import("../../examples/reference/02-named.js");
  await sessions.set({ sessionId: "s1" }, "data");
  assert.equal(await sessions.get({ sessionId: "s1" }), "data");

  const { myEndpoint, cluster } = await import("../../examples/reference/03-rate-limit.js");
  const driver = await (cluster as CacheCluster).driver();
  assert.equal(await driver.get("requests/user123/api\\/users"), "1");
  for (let i = 0; i < 10; i++) assert.deepEqual(await myEndpoint(), { message: "Hello!" });
  await assert.rejects(myEndpoint(), /rate limit exceeded/);
  assert.equal(await driver.get("requests/user123"), "11");

  const { results } = await import("../../examples/reference/04-keyspace-types.js");
  assert.deepEqual(results, {
    token: "user-token-value",
    newCount: 1,
    decremented: 0,
    newOdds: 1.6,
    profile: {
      name: "Alice",
      email: "alice@example.com",
      preferences: { theme: "dark", notifications: true },
    },
    items: ["item1", "item2"],
    lastItem: "item2",
    allScores: [100, 200, 150],
    hasTag: true,
    allTags: results.allTags,
    has100: true,
    tagsAfter: results.tagsAfter,
  });
  assert.deepEqual([...results.allTags].sort(), ["backend", "encore", "typescript"]);
  assert.deepEqual([...results.tagsAfter].sort(), ["encore", "typescript"]);
  assert.equal(await driver.get("token/abc123"), null);

  const ex = await import("../../examples/reference/05-expiry-and-errors.js");
  assert.equal(ex.expiries.length, 7);
  await assert.rejects(ex.writeOptions(), CacheKeyExists);
  await ex.errorHandling(); // the key exists: replace succeeds
  assert.equal(await ex.keyspace.get(ex.key), "new value");
  await ex.keyspace.delete(ex.key);
  await assert.rejects(ex.errorHandling(), CacheMiss);
  await closeCache();
});
