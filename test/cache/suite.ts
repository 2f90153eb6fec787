/**
 * The cache API's behaviour suite, run against any backend: call {@link cacheSuite} from a
 * `*.test.ts` file with a factory for your driver. Every backend must give the same results for
 * the operations it supports; list and set cases are skipped when the driver says it has none.
 *
 * @example
 * ```ts
 * cacheSuite("redis", async () => ({ driver: myDriver, sleep: realSleep, close: () => myDriver.close() }));
 * ```
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CacheCluster,
  CacheError,
  CacheKeyExists,
  CacheMiss,
  CacheUnsupportedError,
  CacheValueError,
  CacheWrongTypeError,
  type CacheDriver,
  type CacheOperationEvent,
  FloatKeyspace,
  IntKeyspace,
  NumberListKeyspace,
  NumberSetKeyspace,
  StringKeyspace,
  StringListKeyspace,
  StringSetKeyspace,
  StructKeyspace,
  configureCache,
  expireIn,
  expireInSeconds,
  keepTTL,
  neverExpire,
  ExpireIn,
  KeepTTL,
} from "../../src/cache/index.js";

/** What a backend gives the suite. */
export interface SuiteBackend {
  /** The driver under test; the suite owns it from now on and closes it at the end. */
  driver: CacheDriver;
  /** Lets `ms` pass for the backend: move a manual clock, or wait in real time. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds to live of a Redis key (-1: no TTL, -2: missing), when the backend can tell. */
  pttl?(key: string): Promise<number>;
  /** Stores a list at a key behind the API's back (to provoke wrong-type errors), when possible. */
  storeList?(key: string, items: string[]): Promise<void>;
  /** Releases what the factory started besides the driver (servers, processes). */
  close?(): Promise<void>;
  /** How coarse the backend's TTLs are (memcached: 1000); expiry waits add it. Default 100. */
  ttlResolutionMs?: number;
}

/** Options of {@link runCacheSuite}. */
export interface UrlSuiteOptions {
  /** Suite name, e.g. `"redis 7.0"`. */
  name: string;
  /** Backend URL, resolved through the normal configuration path (`configureCache`). */
  url: string;
  /** Called once before the cases (e.g. FLUSHALL); cases use distinct key prefixes anyway. */
  flush?: () => Promise<void>;
  /** See {@link SuiteBackend.ttlResolutionMs}. */
  ttlResolutionMs?: number;
  /** See {@link SuiteBackend.pttl}. */
  pttl?: (key: string) => Promise<number>;
  /** See {@link SuiteBackend.storeList}. */
  storeList?: (key: string, items: string[]) => Promise<void>;
  /** Called after the cases, after the driver is closed. */
  close?: () => Promise<void>;
}

/** Runs {@link cacheSuite} on the backend a URL selects, waiting in real time. */
export function runCacheSuite(options: UrlSuiteOptions): void {
  const clusterName = `url-${++clusterSeq}-${options.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.replace(
    /-+$/,
    "",
  );
  cacheSuite(
    options.name,
    async () => {
      configureCache({ clusters: { [clusterName]: options.url } });
      const driver = await CacheCluster.named(clusterName).driver();
      await options.flush?.();
      return {
        driver,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...(options.pttl ? { pttl: options.pttl } : {}),
        ...(options.storeList ? { storeList: options.storeList } : {}),
        ...(options.close ? { close: options.close } : {}),
        ...(options.ttlResolutionMs !== undefined ? { ttlResolutionMs: options.ttlResolutionMs } : {}),
      };
    },
    clusterName,
  );
}

let clusterSeq = 0;

/**
 * Registers the suite's cases under `describe(name)`. `create` runs once before the cases;
 * each case uses its own key prefix, so cases never see each other's keys.
 */
export function cacheSuite(
  name: string,
  create: () => Promise<SuiteBackend>,
  clusterNameOverride?: string,
): void {
  describe(`cache API on ${name}`, () => {
    let backend: SuiteBackend;
    const clusterName =
      clusterNameOverride ??
      `suite-${++clusterSeq}-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.replace(/-+$/, "");
    let cluster: CacheCluster;
    let seq = 0;
    /**
     * A fresh literal prefix for one case's key patterns; a hash tag on Redis Cluster, so the
     * keys of one case share a slot and multi-key operations work.
     */
    const prefix = () => (backend.driver.capabilities.crossSlotRestricted ? `{c${++seq}}` : `c${++seq}`);
    const lists = () => backend.driver.capabilities.lists;
    const sets = () => backend.driver.capabilities.sets;

    before(async () => {
      backend = await create();
      configureCache({ clusters: { [clusterName]: backend.driver } });
      cluster = new CacheCluster(clusterName, { evictionPolicy: "allkeys-lru" });
    });
    after(async () => {
      await backend.driver.close();
      await backend.close?.();
    });

    describe("basic keyspaces", () => {
      test("string set, get, miss, delete", async () => {
        const p = prefix();
        const ks = new StringKeyspace<{ id: string }>(cluster, { keyPattern: `${p}/:id` as const });
        assert.equal(await ks.get({ id: "a" }), undefined);
        await ks.set({ id: "a" }, "héllo ✓");
        assert.equal(await ks.get({ id: "a" }), "héllo ✓");
        await ks.set({ id: "b" }, "");
        assert.equal(await ks.get({ id: "b" }), "");
        assert.equal(await ks.delete({ id: "a" }, { id: "b" }, { id: "zz" }), 2);
        assert.equal(await ks.get({ id: "a" }), undefined);
      });

      test("the Redis key is exactly the pattern with the values, no prefix", async () => {
        const p = prefix();
        const ks = new IntKeyspace<{ userId: string }>(cluster, {
          keyPattern: `${p}/requests/:userId` as const,
        });
        assert.equal(ks.redisKey({ userId: "user123" }), `${p}/requests/user123`);
        await ks.increment({ userId: "user123" }, 1);
        assert.equal(await backend.driver.get(`${p}/requests/user123`), "1");
        const basic = new StringKeyspace<string>(cluster, { keyPattern: `${p}/token/:key` as const });
        await basic.set("abc", "v");
        assert.equal(await backend.driver.get(`${p}/token/abc`), "v");
      });

      test("values are escaped so distinct keys never collide", async () => {
        const p = prefix();
        const ks = new StringKeyspace<{ a: string; b: string }>(cluster, {
          keyPattern: `${p}/:a/:b` as const,
        });
        await ks.set({ a: "x/y", b: "z" }, "1");
        await ks.set({ a: "x", b: "y/z" }, "2");
        await ks.set({ a: "x\\", b: "y" }, "3");
        await ks.set({ a: "x", b: "\\y" }, "4");
        assert.deepEqual(
          await ks.multiGet(
            { a: "x/y", b: "z" },
            { a: "x", b: "y/z" },
            { a: "x\\", b: "y" },
            { a: "x", b: "\\y" },
          ),
          ["1", "2", "3", "4"],
        );
        assert.equal(ks.redisKey({ a: "x/y", b: "z" }), `${p}/x\\/y/z`);
      });

      test("setIfNotExists and replace throw CacheKeyExists and CacheMiss", async () => {
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        await assert.rejects(ks.replace("k", "v"), (e: unknown) => {
          assert.ok(e instanceof CacheMiss && e instanceof CacheError);
          assert.match(e.message, /replace/);
          assert.match(e.message, new RegExp(`${p}/k`));
          return true;
        });
        await ks.setIfNotExists("k", "first");
        await assert.rejects(ks.setIfNotExists("k", "second"), (e: unknown) => {
          assert.ok(e instanceof CacheKeyExists);
          assert.match(e.message, /setIfNotExists/);
          assert.equal(e.key, `${p}/k`);
          return true;
        });
        assert.equal(await ks.get("k"), "first");
        await ks.replace("k", "third");
        assert.equal(await ks.get("k"), "third");
      });

      test("getAndSet and getAndDelete", async () => {
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        assert.equal(await ks.getAndSet("k", "a"), undefined);
        assert.equal(await ks.getAndSet("k", "b"), "a");
        assert.equal(await ks.getAndDelete("k"), "b");
        assert.equal(await ks.getAndDelete("k"), undefined);
        assert.equal(await ks.get("k"), undefined);
      });

      test("multiGet, getMulti and multiSet", async () => {
        const p = prefix();
        const ks = new StructKeyspace<{ id: number }, { n: number }>(cluster, {
          keyPattern: `${p}/:id` as const,
        });
        await ks.multiSet([[{ id: 1 }, { n: 1 }], { key: { id: 2 }, value: { n: 2 } }]);
        assert.deepEqual(await ks.multiGet({ id: 1 }, { id: 3 }, { id: 2 }), [{ n: 1 }, undefined, { n: 2 }]);
        assert.deepEqual(await ks.getMulti({ id: 2 }, { id: 3 }), [
          { found: true, value: { n: 2 } },
          { found: false },
        ]);
        assert.deepEqual(await ks.multiGet(), []);
      });

      test("string operations count bytes like Redis", async () => {
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        assert.equal(await ks.strlen("s"), 0);
        assert.equal(await ks.append("s", "Hello"), 5);
        assert.equal(await ks.append("s", " World"), 11);
        assert.equal(await ks.getRange("s", 0, 4), "Hello");
        assert.equal(await ks.getRange("s", -5, -1), "World");
        assert.equal(await ks.getRange("missing", 0, -1), "");
        assert.equal(await ks.setRange("s", 6, "Redis"), 11);
        assert.equal(await ks.get("s"), "Hello Redis");
        assert.equal(await ks.setRange("pad", 2, "x"), 3);
        assert.equal(await ks.get("pad"), "\0\0x");
        await ks.set("u", "é");
        assert.equal(await ks.strlen("u"), 2);
        assert.equal(await ks.len("u"), 2);
      });

      test("integer counters floor values and deltas", async () => {
        const p = prefix();
        const ks = new IntKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        assert.equal(await ks.increment("c"), 1);
        assert.equal(await ks.increment("c", 2.9), 3);
        assert.equal(await ks.decrement("c", 1.5), 2); // floor(1.5) = 1
        assert.equal(await ks.decrement("d"), -1);
        await ks.set("e", 7.8);
        assert.equal(await ks.get("e"), 7);
        await ks.set("n", -2.5);
        assert.equal(await ks.get("n"), -3);
        assert.equal(await ks.increment("n", -0.5), -4);
      });

      test("float counters", async () => {
        const p = prefix();
        const ks = new FloatKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        await ks.set("f", 1.5);
        assert.equal(await ks.increment("f", 0.25), 1.75);
        assert.equal(await ks.decrement("f", 0.75), 1);
        assert.equal(await ks.increment("g"), 1);
        assert.equal(await ks.get("f"), 1);
      });

      test("struct values round-trip as JSON", async () => {
        const p = prefix();
        interface Profile {
          name: string;
          tags: string[];
          nested: { on: boolean; n: number | null };
        }
        const ks = new StructKeyspace<{ userId: string }, Profile>(cluster, {
          keyPattern: `${p}/:userId` as const,
        });
        const v: Profile = { name: "Ålice", tags: ["a", "b"], nested: { on: true, n: null } };
        await ks.set({ userId: "u" }, v);
        assert.deepEqual(await ks.get({ userId: "u" }), v);
        assert.equal(await backend.driver.get(`${p}/u`), JSON.stringify(v));
      });

      test("errors: non-integer values and wrong types", async () => {
        const p = prefix();
        const str = new StringKeyspace<string>(cluster, { keyPattern: `${p}/s/:id` as const });
        const int = new IntKeyspace<string>(cluster, { keyPattern: `${p}/i/:id` as const });
        await backend.driver.set(`${p}/i/x`, "abc", { expiry: { kind: "unset" } });
        await assert.rejects(int.increment("x"), (e: unknown) => {
          assert.ok(e instanceof CacheValueError, String(e));
          assert.match(e.message, /increment/);
          assert.match(e.message, new RegExp(`${p}/i/x`));
          return true;
        });
        await assert.rejects(int.get("x"), CacheValueError);
        await assert.rejects(int.increment("y", Number.NaN), (e: unknown) => {
          assert.ok(e instanceof CacheValueError);
          assert.equal(e.operation, "increment");
          assert.equal(e.key, `${p}/i/y`);
          return true;
        });
        await str.set("ok", "1");
        if (backend.storeList) {
          await backend.storeList(`${p}/s/l`, ["a"]);
          await assert.rejects(str.get("l"), (e: unknown) => {
            assert.ok(e instanceof CacheWrongTypeError, String(e));
            assert.match(e.message, /get/);
            return true;
          });
          assert.equal(str.metrics.errors, 1);
        }
      });
    });

    describe("expiry", () => {
      test("a negative or zero duration expires the key at once, the write still answers", async () => {
        const p = prefix();
        const ks = new IntKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        assert.equal(await ks.increment("a", 5, { expiry: expireIn(-1) }), 5);
        assert.equal(await ks.get("a"), undefined);
        await ks.set("b", 1, { expiry: ExpireIn(0) });
        assert.equal(await ks.get("b"), undefined);
        await ks.set("c", 1);
        assert.equal(await ks.getAndSet("c", 2, { expiry: expireIn(-5) }), 1);
        assert.equal(await ks.get("c"), undefined);
        await ks.setIfNotExists("d", 1, { expiry: expireIn(-1) });
        assert.equal(await ks.get("d"), undefined);
      });

      test("keys expire after their duration", async () => {
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, {
          keyPattern: `${p}/:id` as const,
          // 2 s, not 1: memcached's clock ticks in whole seconds, so a 1-second TTL may leave a key
          // only a few milliseconds to live.
          defaultExpiry: expireInSeconds(2),
        });
        await ks.set("k", "v");
        await ks.set("long", "v", { expiry: expireInSeconds(60) });
        assert.equal(await ks.get("k"), "v");
        await backend.sleep(2000 + (backend.ttlResolutionMs ?? 100));
        assert.equal(await ks.get("k"), undefined);
        assert.equal(await ks.get("long"), "v");
      });

      test("precedence: write option > with() > defaultExpiry", { skip: false }, async (t) => {
        if (!backend.pttl) return t.skip("backend cannot report TTLs");
        const pttl = backend.pttl;
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, {
          keyPattern: `${p}/:id` as const,
          defaultExpiry: expireInSeconds(100),
        });
        await ks.set("d", "v");
        await ks.with({ expiry: expireInSeconds(200) }).set("w", "v");
        await ks.with({ expiry: expireInSeconds(200) }).set("o", "v", { expiry: expireInSeconds(300) });
        const near = (ms: number, target: number) =>
          assert.ok(ms > target - 2000 && ms <= target, `${ms} ≈ ${target}`);
        near(await pttl(`${p}/d`), 100_000);
        near(await pttl(`${p}/w`), 200_000);
        near(await pttl(`${p}/o`), 300_000);
        // with() does not change the keyspace itself
        await ks.set("d2", "v");
        near(await pttl(`${p}/d2`), 100_000);
      });

      test("keepTTL, neverExpire and writes without expiry", async (t) => {
        if (!backend.pttl) return t.skip("backend cannot report TTLs");
        const pttl = backend.pttl;
        const p = prefix();
        const ks = new IntKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        await ks.set("k", 1, { expiry: expireInSeconds(100) });
        await ks.set("k", 2, { expiry: keepTTL });
        assert.ok((await pttl(`${p}/k`)) > 90_000);
        await ks.set("k", 3, { expiry: KeepTTL });
        assert.ok((await pttl(`${p}/k`)) > 90_000);
        // no configured expiry: increment keeps the TTL, set removes it (as Redis INCRBY / SET)
        await ks.increment("k", 1);
        assert.ok((await pttl(`${p}/k`)) > 90_000);
        await ks.set("k", 5);
        assert.equal(await pttl(`${p}/k`), -1);
        await ks.set("k", 6, { expiry: expireInSeconds(100) });
        await ks.increment("k", 1, { expiry: neverExpire });
        assert.equal(await pttl(`${p}/k`), -1);
        await ks.increment("k", 1, { expiry: expireInSeconds(50) });
        const ttl = await pttl(`${p}/k`);
        assert.ok(ttl > 45_000 && ttl <= 50_000, String(ttl));
        assert.equal(await ks.get("k"), 8);
      });
    });

    describe("metrics and events", () => {
      test("hits, misses, errors and latency per keyspace, and events", async () => {
        const p = prefix();
        const ks = new StringKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        const events: CacheOperationEvent[] = [];
        ks.events.on("operation", (e) => events.push(e));
        await ks.set("a", "1");
        await ks.get("a");
        await ks.get("a");
        await ks.get("b");
        await ks.multiGet("a", "b", "c");
        await assert.rejects(ks.replace("zz", "v"), CacheMiss);
        const m = ks.metrics.snapshot();
        assert.equal(m.hits, 3);
        assert.equal(m.misses, 3);
        assert.equal(m.errors, 1);
        assert.equal(m.operations, 6);
        assert.equal(m.hitRate, 0.5);
        assert.ok(m.totalLatencyMs > 0 && m.maxLatencyMs >= m.meanLatencyMs);
        assert.deepEqual(
          events.map((e) => [e.operation, e.result]),
          [
            ["set", "ok"],
            ["get", "hit"],
            ["get", "hit"],
            ["get", "miss"],
            ["multiGet", "miss"],
            ["replace", "error"],
          ],
        );
        assert.equal(events[1]!.key, `${p}/a`);
        assert.equal(events[1]!.cluster, clusterName);
        // with() views share the keyspace's metrics
        await ks.with({ expiry: expireInSeconds(5) }).get("a");
        assert.equal(ks.metrics.hits, 4);
      });

      test("a throwing event listener rejects the call (never throws), counted once", async () => {
        const p = prefix();
        const ks = new IntKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        const boom = new Error("listener failed");
        ks.events.on("operation", () => {
          throw boom;
        });
        let pending: Promise<unknown> | undefined;
        assert.doesNotThrow(() => (pending = ks.increment("n", 2)));
        await assert.rejects(pending!, (e) => e === boom);
        await assert.rejects(ks.get("n"), (e) => e === boom);
        // A failed call's event throws as well.
        assert.doesNotThrow(() => (pending = ks.increment("n", Number.NaN)));
        await assert.rejects(pending!, (e) => e === boom);
        ks.events.removeAllListeners("operation");
        await assert.rejects(ks.increment("n", Number.NaN), CacheError);
        assert.equal(await ks.get("n"), 2);
        const m = ks.metrics.snapshot();
        assert.deepEqual([m.operations, m.hits, m.errors], [5, 2, 2]);
      });
    });

    test("list and set keyspaces are rejected at construction where unsupported", async (t) => {
      if (lists() && sets()) return t.skip("this backend has lists and sets");
      const p = prefix();
      if (!lists())
        assert.throws(
          () => new StringListKeyspace<string>(cluster, { keyPattern: `${p}/l/:id` as const }),
          CacheError,
        );
      if (!sets())
        assert.throws(
          () => new NumberSetKeyspace<string>(cluster, { keyPattern: `${p}/s/:id` as const }),
          CacheError,
        );
    });

    test("multi-key set operations across cluster slots name hash tags", async (t) => {
      if (!backend.driver.capabilities.crossSlotRestricted || !sets()) return t.skip("not a Redis Cluster");
      const p = `x${++seq}`;
      const ks = new StringSetKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
      await ks.add("a", "1");
      await ks.add("b", "2");
      await assert.rejects(
        ks.diff("a", "b"),
        (e: unknown) => e instanceof CacheUnsupportedError && /hash tag/.test(e.message),
      );
    });

    describe("list keyspaces", () => {
      test("push, pop, len, items, getRange", async (t) => {
        if (!lists()) return t.skip("no lists on this backend");
        const p = prefix();
        const ks = new StringListKeyspace<{ userId: string }>(cluster, {
          keyPattern: `${p}/:userId` as const,
        });
        const k = { userId: "u" };
        assert.equal(await ks.pushRight(k, "item1", "item2"), 2);
        assert.equal(await ks.pushLeft(k, "a", "b"), 4);
        assert.deepEqual(await ks.items(k), ["b", "a", "item1", "item2"]);
        assert.deepEqual(await ks.getRange(k, 0, -1), ["b", "a", "item1", "item2"]);
        assert.deepEqual(await ks.getRange(k, 1, 2), ["a", "item1"]);
        assert.equal(await ks.len(k), 4);
        assert.equal(await ks.popRight(k), "item2");
        assert.equal(await ks.popLeft(k), "b");
        assert.equal(await ks.popLeft({ userId: "none" }), undefined);
        assert.deepEqual(await ks.items({ userId: "none" }), []);
      });

      test("get, set, trim, insert, remove, move", async (t) => {
        if (!lists()) return t.skip("no lists on this backend");
        const p = prefix();
        const ks = new NumberListKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        await ks.pushRight("l", 1, 2, 3, 2, 1, 2);
        assert.equal(await ks.get("l", 0), 1);
        assert.equal(await ks.get("l", -1), 2);
        assert.equal(await ks.get("l", 99), undefined);
        assert.equal(await ks.getIndex("l", 1), 2);
        await ks.set("l", 0, 10);
        await ks.setIndex("l", -1, 20);
        assert.deepEqual(await ks.items("l"), [10, 2, 3, 2, 1, 20]);
        await assert.rejects(ks.set("l", 50, 1), CacheValueError);
        await assert.rejects(ks.set("missing", 0, 1), CacheValueError);
        assert.equal(await ks.insertBefore("l", 3, 2.5), 7);
        assert.equal(await ks.insertAfter("l", 3, 3.5), 8);
        assert.equal(await ks.insertAfter("l", 999, 1), -1);
        assert.deepEqual(await ks.items("l"), [10, 2, 2.5, 3, 3.5, 2, 1, 20]);
        assert.equal(await ks.removeFirst("l", 1, 2), 1);
        assert.deepEqual(await ks.items("l"), [10, 2.5, 3, 3.5, 2, 1, 20]);
        await ks.pushRight("l", 2, 2);
        assert.equal(await ks.removeLast("l", 2, 2), 2);
        assert.deepEqual(await ks.items("l"), [10, 2.5, 3, 3.5, 2, 1, 20]);
        assert.equal(await ks.removeAll("l", 2), 1);
        assert.equal(await ks.removeFirst("l", 0, 3), 0);
        await assert.rejects(
          ks.removeLast("l", -1, 3),
          (e: unknown) => e instanceof CacheValueError && e.key === `${p}/l`,
        );
        await ks.trim("l", 1, 3);
        assert.deepEqual(await ks.items("l"), [2.5, 3, 3.5]);
        assert.equal(await ks.move("l", "m", "left", "right"), 2.5);
        assert.equal(await ks.move("l", "m", "right", "left"), 3.5);
        assert.deepEqual(await ks.items("m"), [3.5, 2.5]);
        assert.equal(await ks.move("empty", "m", "left", "left"), undefined);
      });

      test("list writes apply the keyspace expiry", async (t) => {
        if (!lists()) return t.skip("no lists on this backend");
        const p = prefix();
        const ks = new StringListKeyspace<string>(cluster, {
          keyPattern: `${p}/:id` as const,
          defaultExpiry: expireIn(-1),
        });
        assert.equal(await ks.pushRight("l", "a"), 1);
        assert.equal(await ks.len("l"), 0);
      });
    });

    describe("set keyspaces", () => {
      test("add, contains, members, remove", async (t) => {
        if (!sets()) return t.skip("no sets on this backend");
        const p = prefix();
        const tags = new StringSetKeyspace<{ articleId: string }>(cluster, {
          keyPattern: `${p}/:articleId` as const,
        });
        const k = { articleId: "post1" };
        assert.equal(await tags.add(k, "typescript", "encore", "backend", "encore"), 3);
        assert.equal(await tags.contains(k, "typescript"), true);
        assert.equal(await tags.contains(k, "go"), false);
        assert.deepEqual((await tags.members(k)).sort(), ["backend", "encore", "typescript"]);
        assert.deepEqual([...(await tags.itemsSet(k))].sort(), ["backend", "encore", "typescript"]);
        assert.equal(await tags.remove(k, "backend", "nope"), 1);
        assert.equal(await tags.len(k), 2);
        assert.deepEqual((await tags.items(k)).sort(), ["encore", "typescript"]);
      });

      test("algebra, stores, pops, samples, move", async (t) => {
        if (!sets()) return t.skip("no sets on this backend");
        const p = prefix();
        const ks = new NumberSetKeyspace<string>(cluster, { keyPattern: `${p}/:id` as const });
        await ks.add("a", 1, 2, 3, 4);
        await ks.add("b", 3, 4, 5);
        const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
        assert.deepEqual(sorted(await ks.diff("a", "b")), [1, 2]);
        assert.deepEqual(sorted(await ks.intersect("a", "b")), [3, 4]);
        assert.deepEqual(sorted(await ks.union("a", "b")), [1, 2, 3, 4, 5]);
        assert.deepEqual(sorted([...(await ks.diffSet("a", "b"))]), [1, 2]);
        assert.deepEqual(sorted([...(await ks.intersectSet("a", "b"))]), [3, 4]);
        assert.deepEqual(sorted([...(await ks.unionSet("a", "b"))]), [1, 2, 3, 4, 5]);
        assert.equal(await ks.diffStore("d", "a", "b"), 2);
        assert.equal(await ks.intersectStore("i", "a", "b"), 2);
        assert.equal(await ks.unionStore("u", "a", "b"), 5);
        assert.deepEqual(sorted(await ks.items("u")), [1, 2, 3, 4, 5]);
        const one = await ks.sampleOne("a");
        assert.ok(one !== undefined && [1, 2, 3, 4].includes(one));
        assert.equal(await ks.sampleOne("none"), undefined);
        const s = await ks.sample("a", 10);
        assert.deepEqual(sorted(s), [1, 2, 3, 4]);
        const r = await ks.sampleWithReplacement("a", 10);
        assert.equal(r.length, 10);
        assert.ok(r.every((x) => [1, 2, 3, 4].includes(x)));
        assert.deepEqual(await ks.sampleWithReplacement("none", 3), []);
        assert.equal(await ks.move("a", "m", 1), true);
        assert.equal(await ks.move("a", "m", 1), false);
        assert.deepEqual(await ks.items("m"), [1]);
        const popped = await ks.popOne("u");
        assert.ok(popped !== undefined);
        const rest = await ks.pop("u", 10);
        assert.equal(rest.length, 4);
        assert.equal(await ks.popOne("u"), undefined);
        assert.deepEqual(await ks.pop("u", 3), []);
      });
    });
  });
}
