/**
 * The memcached backend against real memcached servers started on loopback (Debian's
 * `memcached`): the driver conformance checks (CAS-emulated operations, signed and float
 * counters, TTLs in whole seconds), the 30-day TTL rule, key and value limits, consistent hashing
 * over three servers, and connection errors.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { memcachedDriver, type MemcachedDriver } from "../../../src/cache/backends/memcached.js";
import { MemcachedConnection } from "../../../src/cache/backends/memcached-protocol.js";
import { backendForUrl } from "../../../src/cache/driver.js";
import { driverSuite, prefix, rejectsKind } from "./driver-suite.js";
import { freePort, installed, startMemcached, type TestServer } from "./servers.js";

const skip = installed("memcached") ? false : "memcached is not installed (apt-get install memcached)";

/** Raw connections to each server, to look behind the driver's back. */
function rawConnections(server: TestServer): Map<string, MemcachedConnection> {
  return new Map(
    server.ports.map((port) => [
      `127.0.0.1:${port}`,
      new MemcachedConnection({ host: "127.0.0.1", port, connectTimeout: 2000, commandTimeout: 2000 }),
    ]),
  );
}

describe("memcached:// against three real memcached servers", { skip }, () => {
  let server: TestServer;
  let driver: MemcachedDriver;
  let raw: Map<string, MemcachedConnection>;
  const ttl = (key: string) => driver.pttl(key);
  before(async () => {
    server = await startMemcached(3);
    driver = memcachedDriver(server.url);
    raw = rawConnections(server);
  });
  after(async () => {
    await driver?.close();
    for (const c of raw?.values() ?? []) c.close();
    await server?.stop();
  });

  driverSuite({ driver: () => driver, ttl, collections: false, ttlResolutionMs: 1000 });

  test("the scheme is registered without lists and sets", () => {
    const f = backendForUrl("memcached://h:1");
    assert.equal(f?.capabilities.lists, false);
    assert.equal(f?.capabilities.sets, false);
    assert.equal(f?.capabilities.maxKeyBytes, 250);
  });

  test("TTLs over 30 days are sent as absolute times and still mean 'from now'", async () => {
    const p = prefix();
    const days40 = 40 * 24 * 3600 * 1000;
    await driver.set(p + "long", "v", { expiry: { kind: "in", ms: days40 } });
    assert.equal(await driver.get(p + "long"), "v");
    const left = await ttl(p + "long");
    assert.ok(Math.abs(left - days40) < 5000, `ttl ${left}`);
    assert.equal(await driver.incrBy(p + "n", 1, { kind: "in", ms: days40 }), 1);
    assert.ok(Math.abs((await ttl(p + "n")) - days40) < 5000);
    assert.equal(await driver.incrBy(p + "n", -3, { kind: "in", ms: days40 }), -2);
    assert.ok(Math.abs((await ttl(p + "n")) - days40) < 5000);
  });

  test("signed counters below zero and back (memcached's own decr stops at 0)", async () => {
    const k = prefix() + "c";
    assert.equal(await driver.incrBy(k, 3, { kind: "unset" }), 3);
    assert.equal(await driver.incrBy(k, -5, { kind: "unset" }), -2);
    assert.equal(await driver.incrBy(k, 1, { kind: "unset" }), -1);
    assert.equal(await driver.incrBy(k, 1, { kind: "unset" }), 0);
    assert.equal(await driver.incrBy(k, 1, { kind: "unset" }), 1);
    await driver.set(k + "m", "-9223372036854775807", { expiry: { kind: "unset" } });
    await rejectsKind(driver.incrBy(k + "m", -2, { kind: "unset" }), "not-a-number", /overflow/);
    assert.equal(await driver.get(k + "m"), "-9223372036854775807");
    assert.equal(await driver.incrBy(k + "s", -(2 ** 53 - 1), { kind: "unset" }), -(2 ** 53 - 1));
  });

  test("float increments equal Redis's long double results", async () => {
    const k = prefix() + "f";
    assert.equal(await driver.incrByFloat(k, 0.1, { kind: "unset" }), 0.1);
    assert.equal(await driver.incrByFloat(k, 0.2, { kind: "unset" }), 0.3);
    assert.equal(await driver.get(k), "0.3");
    assert.equal(await driver.incrByFloat(k, 1e20, { kind: "unset" }), 100000000000000000000);
  });

  test("keepTTL and getAndSet keep the TTL through compare-and-swap", async () => {
    const k = prefix() + "k";
    await driver.set(k, "a", { expiry: { kind: "in", ms: 100_000 } });
    assert.deepEqual(await driver.set(k, "b", { get: true, expiry: { kind: "keep" } }), {
      written: true,
      previous: "a",
    });
    assert.ok((await ttl(k)) > 95_000);
    assert.equal(await driver.append(k, "c", { kind: "unset" }), 2);
    assert.ok((await ttl(k)) > 95_000);
    assert.equal(await driver.get(k), "bc");
  });

  test("concurrent CAS writers do not lose updates", async () => {
    const k = prefix() + "cas";
    await Promise.all(Array.from({ length: 50 }, () => driver.append(k, "x", { kind: "unset" })));
    assert.equal(await driver.strlen(k), 50);
    await Promise.all(Array.from({ length: 50 }, () => driver.incrByFloat(k + "f", 0.5, { kind: "unset" })));
    assert.equal(await driver.get(k + "f"), "25");
  });

  test("key length limits: 250 bytes, 186 when base64-encoded", async () => {
    const p = prefix();
    const ascii = p + "a".repeat(250 - p.length);
    await driver.set(ascii, "ok", { expiry: { kind: "unset" } });
    assert.equal(await driver.get(ascii), "ok");
    await rejectsKind(driver.get(ascii + "a"), "unsupported", /250 bytes/);
    const spaced = p + " ".repeat(186 - p.length);
    await driver.set(spaced, "ok", { expiry: { kind: "unset" } });
    assert.equal(await driver.get(spaced), "ok");
    await rejectsKind(driver.get(spaced + " "), "unsupported", /186/);
  });

  test("a value over the item size limit is a clear error; the connection stays usable", async () => {
    const k = prefix() + "big";
    await rejectsKind(
      driver.set(k, "x".repeat(2 * 1024 * 1024), { expiry: { kind: "unset" } }),
      "other",
      /too large.*1 MiB/,
    );
    await driver.set(k, "small", { expiry: { kind: "unset" } });
    assert.equal(await driver.get(k), "small");
  });

  test("keys are spread over the servers by consistent hashing, each on exactly one", async () => {
    const p = prefix();
    const keys = Array.from({ length: 300 }, (_, i) => `${p}${i}`);
    await driver.mset(
      keys.map((k) => [k, k] as const),
      { kind: "unset" },
    );
    const perServer = new Map<string, number>();
    for (const k of keys) {
      let holders = 0;
      for (const [addr, conn] of raw) {
        if ((await conn.request(`mg ${k} v`)).status === "VA") {
          holders++;
          assert.equal(addr, driver.serverFor(k));
          perServer.set(addr, (perServer.get(addr) ?? 0) + 1);
        }
      }
      assert.equal(holders, 1, k);
    }
    assert.equal(perServer.size, 3);
    for (const n of perServer.values())
      assert.ok(n > 50, `unbalanced: ${[...perServer.values()].join(", ")}`);
    assert.deepEqual(await driver.mget(keys), keys);
    assert.equal(await driver.del(keys), 300);
  });

  test("removing a server moves only that server's keys", async () => {
    const [a, b, c] = server.ports.map((port) => `127.0.0.1:${port}`);
    const three = memcachedDriver(`memcached://${a},${b},${c}`);
    const two = memcachedDriver(`memcached://${a},${b}`);
    let moved = 0;
    for (let i = 0; i < 1000; i++) {
      const k = `key${i}`;
      const before = three.serverFor(k);
      if (before !== c) assert.equal(two.serverFor(k), before, k);
      else moved++;
    }
    assert.ok(moved > 200 && moved < 470, `moved ${moved}`);
    await Promise.all([three.close(), two.close()]);
  });

  test("lists and sets are unsupported", async () => {
    await rejectsKind(driver.command(["RPUSH", "l", "a"]), "unsupported", /no lists or sets/);
    await rejectsKind(driver.atomic([["SADD", "s", "a"]]), "unsupported");
  });

  test("URL errors", () => {
    assert.throws(() => memcachedDriver("memcached://u:pw@h"), /authentication/);
    assert.throws(() => memcachedDriver("memcached://h/x"), /no path/);
    assert.throws(() => memcachedDriver("memcached://h?timeout=1"), /unknown option "timeout"/);
  });

  test("a server that cannot be reached is a connection error", async () => {
    const port = await freePort();
    const d = memcachedDriver(`memcached://127.0.0.1:${port}`);
    await rejectsKind(d.get("k"), "connection", new RegExp(`127.0.0.1:${port}`));
    await d.close();
  });

  test("a server that stops answering is a timeout error", async () => {
    const net = await import("node:net");
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    const d = memcachedDriver(`memcached://127.0.0.1:${port}?commandTimeout=100`);
    await rejectsKind(d.get("k"), "timeout", /commandTimeout/);
    await d.close();
    silent.close();
  });
});
