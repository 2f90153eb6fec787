/**
 * The Redis backends against real servers started on loopback: a standalone redis-server (URL
 * forms, db numbers, passwords, a client of your own, connection and timeout errors), a 3-master
 * Redis Cluster (per-slot splitting of multi-key operations, cross-slot errors, a slot moved to
 * another master behind the driver's back) and a master behind
 * a Sentinel. Each topology is started once for its `describe`.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Cluster, Redis } from "ioredis";
import calculateSlot from "cluster-key-slot";
import { redisDriver } from "../../../src/cache/backends/redis.js";
import { parseBackendUrl } from "../../../src/cache/backends/redis-url.js";
import { backendForUrl, type CacheDriver } from "../../../src/cache/driver.js";
import { driverSuite, prefix, rejectsKind } from "./driver-suite.js";
import {
  freePort,
  installed,
  startRedis,
  startRedisCluster,
  startRedisSentinel,
  type TestServer,
} from "./servers.js";

const skip = installed("redis") ? false : "redis-server is not installed";

describe("backend URLs", () => {
  test("parse user, password, host list, IPv6, path and options", () => {
    const u = parseBackendUrl(
      "redis+sentinel://me:p%40ss@h1:1,[::1]:2,h3/mymaster/2?sentinelPassword=x&a=b",
      26379,
    );
    assert.equal(u.scheme, "redis+sentinel");
    assert.equal(u.username, "me");
    assert.equal(u.password, "p@ss");
    assert.deepEqual(u.hosts, [
      { host: "h1", port: 1 },
      { host: "::1", port: 2 },
      { host: "h3", port: 26379 },
    ]);
    assert.deepEqual(u.path, ["mymaster", "2"]);
    assert.equal(u.params.get("sentinelPassword"), "x");
    assert.equal(parseBackendUrl("redis://:secret@h", 6379).password, "secret");
  });

  test("bad URLs are clear errors that never show the password", () => {
    assert.throws(
      () => redisDriver("redis://u:hunter2@h:99999"),
      (e: Error) => {
        assert.match(e.message, /bad port/);
        assert.doesNotMatch(e.message, /hunter2/);
        return true;
      },
    );
    assert.throws(() => redisDriver("redis://h1:1,h2:2"), /redis\+cluster:\/\//);
    assert.throws(() => redisDriver("redis://h/x"), /database "x" is not a number/);
    assert.throws(() => redisDriver("redis://h?conectTimeout=5"), /unknown option "conectTimeout"/);
    assert.throws(() => redisDriver("redis+sentinel://h:1"), /name the master/);
    assert.throws(() => redisDriver("redis+cluster://h:1/3"), /only database 0/);
  });

  test("the four schemes are registered", () => {
    for (const scheme of ["redis", "rediss", "redis+cluster", "redis+sentinel"]) {
      const factory = backendForUrl(`${scheme}://h`);
      assert.ok(factory, scheme);
      assert.equal(factory.capabilities.lists, true);
    }
    assert.equal(backendForUrl("redis+cluster://h")?.capabilities.crossSlotRestricted, true);
  });
});

describe("redis:// against a real redis-server", { skip }, () => {
  let server: TestServer;
  let driver: CacheDriver;
  let raw: Redis;
  before(async () => {
    server = await startRedis();
    driver = redisDriver(server.url);
    raw = new Redis(server.ports[0]!, "127.0.0.1");
  });
  after(async () => {
    await driver?.close();
    raw?.disconnect();
    await server?.stop();
  });

  driverSuite({ driver: () => driver, ttl: (k) => raw.pttl(k), collections: true, ttlResolutionMs: 100 });

  test("the database number of the URL path (and ?db=)", async () => {
    const k = prefix() + "db";
    for (const url of [`${server.url}/3`, `${server.url}?db=3`]) {
      const d3 = redisDriver(url);
      try {
        await d3.set(k, "in three", { expiry: { kind: "unset" } });
        assert.equal(await driver.get(k), null);
        await raw.select(3);
        assert.equal(await raw.get(k), "in three");
        await raw.del(k);
        await raw.select(0);
      } finally {
        await d3.close();
      }
    }
  });

  test("a client of your own is used as is and left open", async () => {
    const mine = new Redis(server.ports[0]!, "127.0.0.1", { enableAutoPipelining: true });
    const d = redisDriver(mine);
    const k = prefix() + "mine";
    await d.set(k, "v", { expiry: { kind: "unset" } });
    assert.equal(await raw.get(k), "v");
    await d.close();
    assert.equal(await mine.get(k), "v");
    mine.disconnect();
  });

  test("a server that cannot be reached is a connection error, soon", async () => {
    const port = await freePort();
    const d = redisDriver(`redis://127.0.0.1:${port}?connectTimeout=500`);
    const started = Date.now();
    await rejectsKind(d.get("k"), "connection", new RegExp(`cannot reach Redis at 127.0.0.1:${port}`));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    await d.close();
  });

  test("a command that gets no reply in time is a timeout error", async () => {
    const d = redisDriver(`${server.url}?commandTimeout=100`);
    const blocker = new Redis(server.ports[0]!, "127.0.0.1");
    try {
      await d.get("warm");
      // DEBUG SLEEP is not enabled; CLIENT PAUSE holds every client's commands.
      await blocker.call("CLIENT", ["PAUSE", "1500", "ALL"]);
      await rejectsKind(d.get("k"), "timeout", /commandTimeout/);
    } finally {
      await blocker.call("CLIENT", ["UNPAUSE"]);
      blocker.disconnect();
      await d.close();
    }
  });

  test("reconnects after the server drops the connection", async () => {
    const d = redisDriver(server.url);
    const k = prefix() + "re";
    await d.set(k, "1", { expiry: { kind: "unset" } });
    await raw.call("CLIENT", ["KILL", "TYPE", "normal", "SKIPME", "yes"]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await d.get(k), "1");
    await d.close();
  });
});

describe("redis:// with a password and ACL user", { skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startRedis(["--requirepass", "s3cret"]);
    const admin = new Redis(server.ports[0]!, "127.0.0.1", { password: "s3cret" });
    await admin.call("ACL", ["SETUSER", "app", "on", ">app-pw", "~*", "+@all"]);
    admin.disconnect();
  });
  after(async () => server?.stop());

  test("password only, user and password, and a wrong password", async () => {
    const port = server.ports[0]!;
    for (const url of [`redis://:s3cret@127.0.0.1:${port}`, `redis://app:app-pw@127.0.0.1:${port}/1`]) {
      const d = redisDriver(url);
      await d.set("k", url, { expiry: { kind: "unset" } });
      assert.equal(await d.get("k"), url);
      await d.close();
    }
    const wrong = redisDriver(`redis://app:nope@127.0.0.1:${port}`);
    const e = await rejectsKind(wrong.get("k"), "connection");
    assert.doesNotMatch(e.message, /nope/);
    await wrong.close();
  });
});

describe("redis+cluster:// against a real 3-master Redis Cluster", { skip }, () => {
  let server: TestServer;
  let driver: CacheDriver;
  let raw: Cluster;
  before(async () => {
    server = await startRedisCluster(3);
    driver = redisDriver(server.url);
    raw = new Cluster(server.ports.map((port) => ({ host: "127.0.0.1", port })));
  });
  after(async () => {
    await driver?.close();
    raw?.disconnect();
    await server?.stop();
  });

  driverSuite({ driver: () => driver, ttl: (k) => raw.pttl(k), collections: true, ttlResolutionMs: 100 });

  test("the keys of the suite really are spread over the three masters", async () => {
    const p = prefix();
    const keys = Array.from({ length: 30 }, (_, i) => `${p}${i}`);
    await driver.mset(
      keys.map((k) => [k, k] as const),
      { kind: "unset" },
    );
    const sizes = await Promise.all(raw.nodes("master").map((node) => node.dbsize()));
    assert.equal(sizes.length, 3);
    assert.ok(
      sizes.every((n) => n > 0),
      `keys per master: ${sizes.join(", ")}`,
    );
    assert.deepEqual(await driver.mget(keys), keys);
    assert.equal(await driver.del(keys), 30);
  });

  test("multi-key commands across slots fail with a message naming hash tags", async () => {
    const p = prefix();
    const [a, b] = differentSlots(p);
    await driver.command(["SADD", a, "x", "y"]);
    await driver.command(["SADD", b, "y"]);
    const e = await rejectsKind(driver.command(["SDIFF", a, b]), "cross-slot", /hash tag/);
    assert.match(e.message, /SDIFF/);
    assert.ok(e.message.includes(a) && e.message.includes(b));
    await rejectsKind(driver.command(["SMOVE", a, b, "x"]), "cross-slot", /\{/);
    await rejectsKind(driver.command(["LMOVE", a + "l", b + "l", "LEFT", "RIGHT"]), "cross-slot");
    await rejectsKind(
      driver.atomic([
        ["SUNIONSTORE", a, a, b],
        ["PEXPIRE", a, 1000],
      ]),
      "cross-slot",
    );
    // Nothing was sent: the sets are unchanged.
    assert.deepEqual(((await driver.command(["SMEMBERS", a])) as string[]).sort(), ["x", "y"]);
    assert.equal(await driver.command(["DEL", a, b]), 2);
  });

  test("after a slot moves to another master (MOVED), multi-key operations follow it", async () => {
    const p = `{${prefix()}}`;
    const [a, b] = [p + "a", p + "b"];
    const other = prefix() + "elsewhere";
    await driver.mset(
      [
        [a, "1"],
        [b, "2"],
        [other, "3"],
      ],
      { kind: "unset" },
    );
    // The driver's slot map now says where `a` and `b` live; move their slot behind its back,
    // as redis-cli --cluster reshard does: IMPORTING/MIGRATING, MIGRATE the keys, SETSLOT NODE.
    const slot = calculateSlot(a);
    const nodes = raw.nodes("master");
    const ids = await Promise.all(nodes.map((n) => n.call("CLUSTER", ["MYID"]) as Promise<string>));
    const owner = async () => {
      const counts = await Promise.all(
        nodes.map((n) => n.call("CLUSTER", ["COUNTKEYSINSLOT", String(slot)])),
      );
      return counts.findIndex((count) => Number(count) > 0);
    };
    const moveSlot = async () => {
      const from = await owner();
      const to = (from + 1) % nodes.length;
      const [source, target] = [nodes[from]!, nodes[to]!];
      await target.call("CLUSTER", ["SETSLOT", String(slot), "IMPORTING", ids[from]!]);
      await source.call("CLUSTER", ["SETSLOT", String(slot), "MIGRATING", ids[to]!]);
      const keys = (await source.call("CLUSTER", ["GETKEYSINSLOT", String(slot), "100"])) as string[];
      const { host, port } = target.options;
      await source.call("MIGRATE", [String(host), String(port), "", "0", "5000", "KEYS", ...keys]);
      for (const node of nodes) await node.call("CLUSTER", ["SETSLOT", String(slot), "NODE", ids[to]!]);
      assert.equal(await owner(), to);
      return target;
    };

    // First a transaction (MULTI/EXEC answered -MOVED, then -EXECABORT), then single commands.
    let target = await moveSlot();
    assert.deepEqual(
      await driver.atomic([
        ["RPUSH", p + "l", "a"],
        ["PEXPIRE", p + "l", 60_000],
      ]),
      [1, 1],
    );
    assert.equal(await target.llen(p + "l"), 1);
    assert.equal(await driver.incrBy(a, 10, { kind: "unset" }), 11);
    // Then the per-slot splitting of multi-key operations.
    target = await moveSlot();
    assert.deepEqual(await driver.mget([a, other, b]), ["11", "3", "2"]);
    target = await moveSlot();
    await driver.mset(
      [
        [a, "x"],
        [b, "y"],
      ],
      { kind: "in", ms: 60_000 },
    );
    assert.equal(await target.get(a), "x");
    assert.ok((await target.pttl(b)) > 50_000);
    await moveSlot();
    assert.equal(await driver.del([a, b, other, p + "l"]), 4);
  });

  test("with a common hash tag the same commands work", async () => {
    const p = prefix();
    const a = `{${p}}a`;
    const b = `{${p}}b`;
    await driver.command(["SADD", a, "x", "y"]);
    await driver.command(["SADD", b, "y"]);
    assert.deepEqual(await driver.command(["SDIFF", a, b]), ["x"]);
    assert.deepEqual(
      await driver.atomic([
        ["SDIFFSTORE", `{${p}}c`, a, b],
        ["PEXPIRE", `{${p}}c`, 60_000],
      ]),
      [1, 1],
    );
    assert.equal(await driver.command(["SMOVE", a, b, "x"]), 1);
  });
});

describe("redis+sentinel:// against a master and a Sentinel", { skip }, () => {
  let server: TestServer;
  let driver: CacheDriver;
  let raw: Redis;
  before(async () => {
    server = await startRedisSentinel("mymaster");
    driver = redisDriver(server.url);
    raw = new Redis(server.ports[1]!, "127.0.0.1");
  });
  after(async () => {
    await driver?.close();
    raw?.disconnect();
    await server?.stop();
  });

  test("operations reach the master the Sentinel names", async () => {
    const k = prefix() + "s";
    await driver.set(k, "via sentinel", { expiry: { kind: "in", ms: 60_000 } });
    assert.equal(await raw.get(k), "via sentinel");
    assert.ok((await raw.pttl(k)) > 55_000);
    assert.equal(await driver.incrBy(k + "n", 2, { kind: "unset" }), 2);
    assert.deepEqual(
      await driver.atomic([
        ["RPUSH", k + "l", "a"],
        ["PEXPIRE", k + "l", 60_000],
      ]),
      [1, 1],
    );
  });

  test("an unknown master name is a connection error", async () => {
    const d = redisDriver(`redis+sentinel://127.0.0.1:${server.ports[0]}/nosuchmaster`);
    await rejectsKind(d.get("k"), "connection", /nosuchmaster/);
    await d.close();
  });
});

/** Two keys under `p` in different hash slots. */
function differentSlots(p: string): [string, string] {
  const a = p + "a";
  for (let i = 0; ; i++) {
    const b = `${p}b${i}`;
    if (calculateSlot(b) !== calculateSlot(a)) return [a, b];
  }
}
