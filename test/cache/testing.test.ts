// reddish/testing with node:test: one-line isolation (also for concurrent tests) and the manual clock.
import assert from "node:assert/strict";
import { describe, test as base } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CacheCluster,
  CacheError,
  IntKeyspace,
  StringListKeyspace,
  expireInSeconds,
} from "../../src/cache/index.js";
import {
  cacheClock,
  currentCacheIsolation,
  isolatedTest,
  withIsolatedCache,
} from "../../src/testing/index.js";

const test = isolatedTest(base);

const cluster = new CacheCluster("testing-demo");
const counters = new IntKeyspace<{ id: string }>(cluster, {
  keyPattern: "counter/:id",
  defaultExpiry: expireInSeconds(10),
});
const recent = new StringListKeyspace<string>(cluster, { keyPattern: "recent/:user" });

describe("concurrent tests in one worker each see their own cache", { concurrency: true }, () => {
  for (let i = 0; i < 20; i++) {
    test(`test ${i}`, async () => {
      assert.equal(await counters.get({ id: "shared" }), undefined);
      assert.equal(await counters.increment({ id: "shared" }, i), i);
      await sleep(5 * (i % 4)); // interleave with the other tests
      assert.equal(await counters.increment({ id: "shared" }, 1), i + 1);
      await recent.pushRight("u", `from ${i}`);
      assert.deepEqual(await recent.items("u"), [`from ${i}`]);
    });
  }
});

test("the manual clock moves TTLs deterministically", async () => {
  await counters.increment({ id: "ttl" });
  cacheClock().advance(10_000); // Redis expires a key once now > its expiry time
  assert.equal(await counters.get({ id: "ttl" }), 1);
  cacheClock().advance(1);
  assert.equal(await counters.get({ id: "ttl" }), undefined);
  const start = cacheClock().now();
  cacheClock().setTime(start + 5000);
  assert.equal(cacheClock().now(), start + 5000);
});

test("modifiers keep working", () => {
  assert.equal(typeof test.skip, "function");
  assert.equal(typeof test.only, "function");
});

test.skip("skipped tests stay skipped", () => {
  assert.fail("must not run");
});

test("flush empties this test's clusters", async () => {
  await counters.increment({ id: "x" });
  const iso = currentCacheIsolation();
  assert.deepEqual(iso.clusters, ["testing-demo"]);
  iso.flush();
  assert.equal(await counters.get({ id: "x" }), undefined);
});

base("outside an isolated test there is no test clock", () => {
  assert.throws(() => cacheClock(), CacheError);
});

base("withIsolatedCache runs a block with its own cache", async () => {
  const a = await withIsolatedCache(async () => {
    await counters.increment({ id: "w" }, 5);
    return counters.get({ id: "w" });
  });
  assert.equal(a, 5);
  const b = await withIsolatedCache(() => counters.get({ id: "w" }));
  assert.equal(b, undefined);
});
