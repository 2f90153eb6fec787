/**
 * Driver-level conformance checks shared by the production backends (real redis-server, Redis
 * Cluster, Sentinel, memcached): the typed operations of the CacheDriver interface, with the
 * expiry kinds and error kinds, exactly as the embedded backend answers them. Each test uses its
 * own key prefix, so no flush is needed between tests (and a cluster spreads them over slots).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DriverError, type CacheDriver, type DriverErrorKind } from "../../../src/cache/driver.js";

/** How a backend is plugged into the suite. */
export interface DriverUnderTest {
  /** The driver (created once for the whole file). */
  driver: () => CacheDriver;
  /** Remaining TTL of a key in ms (-1: none, -2: missing), read beside the driver. */
  ttl: (key: string) => Promise<number>;
  /** Whether the backend runs list/set commands (Redis-like). */
  collections: boolean;
  /** TTL granularity in ms (memcached: 1000). */
  ttlResolutionMs: number;
}

let counter = 0;
/** A fresh key prefix per test. */
export function prefix(): string {
  return `t${process.pid}-${Date.now().toString(36)}-${counter++}/`;
}

/** Asserts that `p` rejects with a DriverError of `kind` (and a message matching `message`). */
export async function rejectsKind(
  p: Promise<unknown>,
  kind: DriverErrorKind,
  message?: RegExp,
): Promise<DriverError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DriverError, `expected a DriverError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected a ${kind} DriverError`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Registers the shared driver tests (call inside a `describe`). */
export function driverSuite(t: DriverUnderTest): void {
  const d = () => t.driver();

  test("get/set, NX and XX conditions, GET of the previous value", async () => {
    const k = prefix() + "a";
    assert.equal(await d().get(k), null);
    assert.deepEqual(await d().set(k, "1", { expiry: { kind: "unset" } }), { written: true, previous: null });
    assert.equal(await d().get(k), "1");
    assert.deepEqual(await d().set(k, "2", { condition: "nx", expiry: { kind: "unset" } }), {
      written: false,
      previous: null,
    });
    assert.deepEqual(await d().set(k + "x", "2", { condition: "xx", expiry: { kind: "unset" } }), {
      written: false,
      previous: null,
    });
    assert.equal(await d().get(k + "x"), null);
    assert.deepEqual(await d().set(k, "3", { condition: "xx", get: true, expiry: { kind: "unset" } }), {
      written: true,
      previous: "1",
    });
    assert.deepEqual(await d().set(k, "4", { get: true, expiry: { kind: "unset" } }), {
      written: true,
      previous: "3",
    });
    assert.deepEqual(await d().set(k + "n", "5", { condition: "nx", get: true, expiry: { kind: "unset" } }), {
      written: true,
      previous: null,
    });
    assert.equal(await d().get(k), "4");
  });

  test("values are UTF-8 text, binary-safe for any string", async () => {
    const k = prefix() + "ü/ключ";
    const v = "héllo wörld ✓ \r\n\0 end";
    await d().set(k, v, { expiry: { kind: "unset" } });
    assert.equal(await d().get(k), v);
    assert.equal(await d().strlen(k), Buffer.byteLength(v));
  });

  test("expiry: in, keep, never, unset (SET drops the TTL), and expired at once", async () => {
    const p = prefix();
    await d().set(p + "a", "v", { expiry: { kind: "in", ms: 60_000 } });
    const ttl = await t.ttl(p + "a");
    assert.ok(ttl > 55_000 && ttl <= 60_000, `ttl ${ttl}`);
    await d().set(p + "a", "w", { expiry: { kind: "keep" } });
    assert.ok((await t.ttl(p + "a")) > 55_000);
    assert.equal(await d().get(p + "a"), "w");
    await d().set(p + "a", "x", { expiry: { kind: "unset" } });
    assert.equal(await t.ttl(p + "a"), -1);
    await d().set(p + "a", "y", { expiry: { kind: "in", ms: 60_000 } });
    await d().set(p + "a", "z", { expiry: { kind: "never" } });
    assert.equal(await t.ttl(p + "a"), -1);
    await d().set(p + "b", "v", { expiry: { kind: "keep" } });
    assert.equal(await t.ttl(p + "b"), -1);
    assert.deepEqual(await d().set(p + "c", "v", { get: true, expiry: { kind: "in", ms: -5 } }), {
      written: true,
      previous: null,
    });
    assert.equal(await d().get(p + "c"), null);
  });

  test("a short expiry ends the key", async () => {
    const k = prefix() + "short";
    // Long enough that a loaded machine still reads the value before it expires.
    const ms = Math.max(1500, 2 * t.ttlResolutionMs);
    await d().set(k, "v", { expiry: { kind: "in", ms } });
    assert.equal(await d().get(k), "v");
    await sleep(ms + t.ttlResolutionMs + 300);
    assert.equal(await d().get(k), null);
  });

  test("mget, mset (with expiry), del across many keys", async () => {
    const p = prefix();
    const keys = Array.from({ length: 20 }, (_, i) => `${p}k${i}`);
    await d().mset(
      keys.slice(0, 10).map((k, i) => [k, `v${i}`] as const),
      { kind: "in", ms: 60_000 },
    );
    const got = await d().mget(keys);
    assert.deepEqual(
      got,
      keys.map((_, i) => (i < 10 ? `v${i}` : null)),
    );
    assert.ok((await t.ttl(keys[3]!)) > 55_000);
    assert.deepEqual(await d().mget([]), []);
    assert.equal(await d().del(keys), 10);
    assert.deepEqual(await d().mget(keys.slice(0, 3)), [null, null, null]);
    assert.equal(await d().getDel(keys[0]!), null);
    await d().set(keys[0]!, "x", { expiry: { kind: "unset" } });
    assert.equal(await d().getDel(keys[0]!), "x");
    assert.equal(await d().get(keys[0]!), null);
  });

  test("incrBy: creates, adds, negative results, keeps the TTL when unset, applies expiry", async () => {
    const p = prefix();
    assert.equal(await d().incrBy(p + "n", 5, { kind: "unset" }), 5);
    assert.equal(await d().incrBy(p + "n", -8, { kind: "unset" }), -3);
    assert.equal(await d().incrBy(p + "n", -2, { kind: "unset" }), -5);
    assert.equal(await d().incrBy(p + "n", 10, { kind: "unset" }), 5);
    assert.equal(await d().get(p + "n"), "5");
    assert.equal(await t.ttl(p + "n"), -1);
    assert.equal(await d().incrBy(p + "n", 1, { kind: "in", ms: 60_000 }), 6);
    const ttl6 = await t.ttl(p + "n");
    assert.ok(ttl6 > 55_000, `ttl ${ttl6}`);
    assert.equal(await d().incrBy(p + "n", 1, { kind: "unset" }), 7);
    const ttl7 = await t.ttl(p + "n");
    assert.ok(ttl7 > 55_000, `INCRBY keeps the TTL (${ttl7})`);
    assert.equal(await d().incrBy(p + "n", 1, { kind: "never" }), 8);
    assert.equal(await t.ttl(p + "n"), -1);
    await d().set(p + "s", "abc", { expiry: { kind: "unset" } });
    await rejectsKind(d().incrBy(p + "s", 1, { kind: "unset" }), "not-a-number");
    await d().set(p + "big", "9223372036854775806", { expiry: { kind: "unset" } });
    await rejectsKind(d().incrBy(p + "big", 2, { kind: "unset" }), "not-a-number");
    assert.equal(await d().get(p + "big"), "9223372036854775806");
  });

  test("concurrent increments are atomic", async () => {
    const k = prefix() + "c";
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => d().incrBy(k, i % 2 === 0 ? 3 : -1, { kind: "unset" })),
    );
    assert.equal(await d().get(k), String(100 * 3 - 100));
  });

  test("incrByFloat", async () => {
    const k = prefix() + "f";
    assert.equal(await d().incrByFloat(k, 1.5, { kind: "unset" }), 1.5);
    assert.equal(await d().incrByFloat(k, -3.75, { kind: "unset" }), -2.25);
    assert.equal(await d().incrByFloat(k, 0.1, { kind: "in", ms: 60_000 }), -2.15);
    assert.ok((await t.ttl(k)) > 55_000);
    await d().set(k + "s", "x", { expiry: { kind: "unset" } });
    await rejectsKind(d().incrByFloat(k + "s", 1, { kind: "unset" }), "not-a-number");
  });

  test("append, getRange, setRange, strlen", async () => {
    const k = prefix() + "s";
    assert.equal(await d().append(k, "hello", { kind: "unset" }), 5);
    assert.equal(await d().append(k, " world", { kind: "unset" }), 11);
    assert.equal(await d().getRange(k, 0, 4), "hello");
    assert.equal(await d().getRange(k, -5, -1), "world");
    assert.equal(await d().getRange(k, 20, 30), "");
    assert.equal(await d().getRange(k + "missing", 0, -1), "");
    assert.equal(await d().setRange(k, 6, "there", { kind: "unset" }), 11);
    assert.equal(await d().get(k), "hello there");
    assert.equal(await d().setRange(k + "2", 3, "x", { kind: "unset" }), 4);
    assert.equal(await d().get(k + "2"), "\0\0\0x");
    assert.equal(await d().strlen(k), 11);
    assert.equal(await d().strlen(k + "missing"), 0);
  });

  if (t.collections) {
    test("collection commands and WRONGTYPE", async () => {
      const p = prefix();
      assert.equal(await d().command(["RPUSH", p + "l", "a", "b", "c"]), 3);
      assert.deepEqual(await d().command(["LRANGE", p + "l", 0, -1]), ["a", "b", "c"]);
      assert.deepEqual(
        await d().atomic([
          ["LPUSH", p + "l", "z"],
          ["PEXPIRE", p + "l", 60_000],
        ]),
        [4, 1],
      );
      assert.ok((await t.ttl(p + "l")) > 55_000);
      await rejectsKind(d().get(p + "l"), "wrong-type", /WRONGTYPE/);
      await rejectsKind(d().command(["SADD", p + "l", "x"]), "wrong-type");
      await rejectsKind(d().atomic([["SADD", p + "l", "x"]]), "wrong-type");
      await rejectsKind(d().command(["LSET", p + "none", 0, "x"]), "no-such-key");
      await rejectsKind(d().command(["LSET", p + "l", 99, "x"]), "out-of-range");
      assert.equal(await d().command(["DEL", p + "l"]), 1);
    });
  }
}
