/**
 * `redis+sentinel://` through real failovers: a master, two replicas and one Sentinel (quorum 1,
 * `down-after-milliseconds` 500). First the master is killed: the Sentinel promotes a replica, and
 * the driver, which asks the Sentinel for the master's address on every reconnection, carries on
 * against it (operations fail with connection errors meanwhile, retried here with a bounded
 * wait), and a value written and replicated before the crash is still there. Then a planned
 * `SENTINEL FAILOVER` to the other replica, where the old master stays up (and a master, until
 * the Sentinel reconfigures it): the driver must move its writes to the new master within
 * seconds (it follows the Sentinel's +switch-master announcement).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { redisDriver } from "../../../src/cache/backends/redis.js";
import { DriverError, type CacheDriver } from "../../../src/cache/driver.js";
import { prefix } from "./driver-suite.js";
import { installed, startRedisSentinel, type TestServer } from "./servers.js";

const skip = installed("redis") ? false : "redis-server is not installed";

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `op` until it succeeds, for at most `ms`; only connection errors are retried (a failover
 * in progress). Returns the result and how many attempts failed.
 */
async function retrying<T>(ms: number, op: () => Promise<T>): Promise<{ value: T; failures: number }> {
  const deadline = Date.now() + ms;
  for (let failures = 0; ; failures++) {
    try {
      return { value: await op(), failures };
    } catch (e) {
      if (!(e instanceof DriverError) || e.kind !== "connection" || Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await sleep(20);
  }
}

describe("redis+sentinel:// failovers (a master, two replicas, one Sentinel)", { skip }, () => {
  let server: TestServer & { kill(port: number): Promise<void> };
  let driver: CacheDriver;
  let sentinel: Redis;
  /** A raw client per Redis port. */
  const raw = new Map<number, Redis>();
  const node = (port: number) => raw.get(port)!;
  /** The port of the master the first test kills. */
  let killed = 0;
  const masterPort = async () =>
    Number(((await sentinel.call("SENTINEL", ["get-master-addr-by-name", "failmaster"])) as string[])[1]);
  const role = async (port: number) => /role:(\w+)/.exec(await node(port).info("replication"))?.[1];

  before(async () => {
    server = await startRedisSentinel("failmaster", {
      replicas: 2,
      downAfterMs: 500,
      failoverTimeoutMs: 5000,
    });
    driver = redisDriver(`${server.url}?connectTimeout=1000`);
    sentinel = new Redis(server.ports[0]!, "127.0.0.1");
    for (const port of server.ports.slice(1)) {
      // Sentinel kills the clients of the instances it reconfigures: reconnect at once.
      const client = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 5, retryStrategy: () => 50 });
      client.on("error", () => undefined);
      raw.set(port, client);
    }
  });
  after(async () => {
    await driver?.close();
    sentinel?.disconnect();
    for (const client of raw.values()) client.disconnect();
    await server?.stop();
  });

  test("the master dies: operations continue on the promoted replica, replicated data survives", async (t) => {
    const [oldMaster, ...replicas] = server.ports.slice(1) as [number, number, number];
    assert.equal(await masterPort(), oldMaster);
    const k = prefix() + "survivor";
    await driver.set(k, "written before the crash", { expiry: { kind: "in", ms: 60_000 } });
    assert.equal(await driver.incrBy(k + "n", 5, { kind: "unset" }), 5);
    // Replication is asynchronous: only writes the replicas have received are promised to survive.
    await until("the replicas are in sync and have the writes", 10_000, async () => {
      const got = await Promise.all(
        replicas.map(async (p) => [await node(p).info("replication"), ...(await node(p).mget(k, k + "n"))]),
      );
      return got.every(([info, v, n]) => /master_link_status:up/.test(info!) && v !== null && n !== null);
    });

    const killedAt = Date.now();
    await server.kill(oldMaster);
    killed = oldMaster;
    // The Sentinel sees the master down after 500 ms, starts the failover within a second and
    // promotes a replica; the driver reconnects to whatever address the Sentinel gives.
    const read = await retrying(15_000, () => driver.get(k));
    const tookMs = Date.now() - killedAt;
    assert.equal(read.value, "written before the crash");
    assert.ok(read.failures > 0, "some operations must have failed while the master was down");
    t.diagnostic(`first successful read ${tookMs} ms after the kill, ${read.failures} failed attempts`);

    const promoted = await masterPort();
    assert.ok(replicas.includes(promoted), `the Sentinel names ${promoted}`);
    assert.equal(await role(promoted), "master");
    // Writes go to the new master; TTLs and counters survived.
    assert.equal(await driver.incrBy(k + "n", 1, { kind: "unset" }), 6);
    await driver.set(k + "after", "written after the failover", { expiry: { kind: "unset" } });
    assert.equal(await node(promoted).get(k + "after"), "written after the failover");
    const ttl = await node(promoted).pttl(k);
    assert.ok(ttl > 40_000 && ttl <= 60_000, `TTL ${ttl}`);
    assert.deepEqual(
      await driver.atomic([
        ["RPUSH", k + "l", "a"],
        ["PEXPIRE", k + "l", 60_000],
      ]),
      [1, 1],
    );
  });
  test("SENTINEL FAILOVER (planned): writes move to the new master within seconds", async (t) => {
    // After the crash above: the promoted replica is the master, the other replica follows it
    // once the Sentinel has reconfigured it.
    const oldMaster = await masterPort();
    const replicas = server.ports.slice(1).filter((p) => p !== oldMaster && p !== killed);
    assert.equal(replicas.length, 1);
    await until("the other replica is in sync", 10_000, async () =>
      /master_link_status:up/.test(await node(replicas[0]!).info("replication")),
    );
    const k = prefix() + "planned";
    await driver.set(k, "before", { expiry: { kind: "unset" } });
    // -INPROG while the Sentinel is still finishing the previous failover.
    await until("SENTINEL FAILOVER is accepted", 10_000, () =>
      sentinel.call("SENTINEL", ["FAILOVER", "failmaster"]).then(
        () => true,
        (e: Error) => (/INPROG|NOGOODSLAVE/.test(e.message) ? false : Promise.reject(e)),
      ),
    );
    const accepted = Date.now();
    const promoted = replicas[0]!;
    await until("the replica is promoted", 10_000, async () => (await role(promoted)) === "master");
    const promotedAt = Date.now();
    // Once promoted, the replica no longer replicates the old master: a value found there was
    // written to it; one that is not went to the old master (and is lost when it is reconfigured).
    let n = 0;
    let toOldMaster = 0;
    const wrote = await retrying(10_000, async () => {
      const v = `after ${++n}`;
      await driver.set(k, v, { expiry: { kind: "unset" } });
      if ((await node(promoted).get(k)) === v) return v;
      toOldMaster++;
      throw new DriverError("connection", "written to the old master");
    });
    const tookMs = Date.now() - promotedAt;
    t.diagnostic(
      `promoted ${promotedAt - accepted} ms after SENTINEL FAILOVER; writes reach it ${tookMs} ms later ` +
        `(${toOldMaster} went to the old master, ${wrote.failures - toOldMaster} failed)`,
    );
    assert.ok(tookMs < 5000, `took ${tookMs} ms`);
    assert.equal(await masterPort(), promoted);
    assert.equal(await driver.get(k), wrote.value);
  });
});
