/**
 * Stream consumption with consumer groups through node-redis (v6, RESP3) and ioredis (v6, RESP2)
 * against reddish: a producer XADDs, a consumer XREADGROUPs (also blocked, woken by the
 * producer), XACKs, inspects XPENDING, and another consumer takes over with XCLAIM and
 * XAUTOCLAIM. Every scenario also runs against the real redis-server and the transcripts must be
 * equal (IDs are explicit; idle times are left out).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { startServer, type ReddishServer } from "../../src/index.js";
import { startRealRedis, type RealRedis } from "../parity/harness.js";

let reddish: ReddishServer;
let redis: RealRedis;

before(async () => {
  [reddish, redis] = await Promise.all([startServer(), startRealRedis()]);
});

after(async () => {
  await Promise.all([reddish.close(), redis.stop()]);
});

type NodeRedis = ReturnType<typeof newNodeRedis>;

function newNodeRedis(port: number) {
  return createClient({ url: `redis://127.0.0.1:${port}` });
}

/** Runs `scenario` with two node-redis clients on each server; returns both transcripts. */
async function onBothNodeRedis<T>(scenario: (a: NodeRedis, b: NodeRedis) => Promise<T>): Promise<T[]> {
  const run = async (port: number) => {
    const [a, b] = [newNodeRedis(port), newNodeRedis(port)];
    await Promise.all([a!.connect(), b!.connect()]);
    try {
      await a!.flushAll();
      return await scenario(a!, b!);
    } finally {
      a!.destroy();
      b!.destroy();
    }
  };
  return [await run(redis.port), await run(reddish.port)];
}

/** Runs `scenario` with two ioredis clients on each server; returns both transcripts. */
async function onBothIoredis<T>(scenario: (a: Redis, b: Redis) => Promise<T>): Promise<T[]> {
  const run = async (port: number) => {
    const [a, b] = [0, 1].map(
      () => new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0 }),
    );
    await Promise.all([a!.connect(), b!.connect()]);
    try {
      await a!.flushall();
      return await scenario(a!, b!);
    } finally {
      a!.disconnect();
      b!.disconnect();
    }
  };
  return [await run(redis.port), await run(reddish.port)];
}

/** Polls until the server reports `n` blocked clients. */
async function waitBlocked(info: () => Promise<string>, n: number): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (new RegExp(`blocked_clients:${n}\\r?\\n`).test(await info())) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("client did not block");
}

describe("stream consumers", () => {
  test("node-redis: produce, consume with a group, ack, pending, claim, autoclaim, blocked read", async () => {
    const [real, ours] = await onBothNodeRedis(async (producer, consumer) => {
      const t: unknown[] = [];
      t.push(await producer.xGroupCreate("jobs", "workers", "0", { MKSTREAM: true }));
      for (let i = 1; i <= 4; i++) t.push(await producer.xAdd("jobs", `1-${i}`, { job: `j${i}` }));
      t.push(await consumer.xReadGroup("workers", "alice", { key: "jobs", id: ">" }, { COUNT: 3 }));
      t.push(await consumer.xAck("jobs", "workers", "1-1"));
      t.push(await consumer.xPending("jobs", "workers"));
      const range = await consumer.xPendingRange("jobs", "workers", "-", "+", 10);
      t.push(range.map((p) => [p.id, p.consumer, p.deliveriesCounter]));
      t.push(await consumer.xClaim("jobs", "workers", "bob", 0, ["1-2"]));
      t.push(await consumer.xClaimJustId("jobs", "workers", "bob", 0, ["1-3"]));
      t.push(await consumer.xAutoClaim("jobs", "workers", "carol", 0, "0-0", { COUNT: 10 }));
      t.push(await consumer.xAutoClaimJustId("jobs", "workers", "dave", 0, "0-0"));
      t.push(await consumer.xReadGroup("workers", "erin", { key: "jobs", id: ">" }));
      const blocked = consumer.xReadGroup("workers", "alice", { key: "jobs", id: ">" }, { BLOCK: 5000 });
      await waitBlocked(async () => String(await producer.info("clients")), 1);
      t.push(await producer.xAdd("jobs", "2-1", { job: "late" }));
      t.push(await blocked);
      t.push(await producer.xLen("jobs"));
      t.push(await producer.xRange("jobs", "-", "+", { COUNT: 2 }));
      t.push(await producer.xRevRange("jobs", "+", "-", { COUNT: 1 }));
      t.push(await producer.xTrim("jobs", "MAXLEN", 2));
      t.push(await producer.xDel("jobs", "2-1"));
      const groups = await producer.xInfoGroups("jobs");
      t.push(groups.map((g) => ({ ...g })));
      const stream = await producer.xInfoStream("jobs");
      t.push({ ...stream });
      return t;
    });
    assert.deepEqual(ours, real);
  });

  test("ioredis: produce, consume with a group, ack, pending, claim, autoclaim, blocked read", async () => {
    const [real, ours] = await onBothIoredis(async (producer, consumer) => {
      const t: unknown[] = [];
      t.push(await producer.xgroup("CREATE", "jobs", "workers", "$", "MKSTREAM"));
      for (let i = 1; i <= 4; i++) t.push(await producer.xadd("jobs", `1-${i}`, "job", `j${i}`));
      t.push(await consumer.xreadgroup("GROUP", "workers", "alice", "COUNT", 3, "STREAMS", "jobs", ">"));
      t.push(await consumer.xack("jobs", "workers", "1-1", "1-9"));
      t.push(await consumer.xpending("jobs", "workers"));
      const range = (await consumer.xpending("jobs", "workers", "-", "+", 10)) as unknown[][];
      t.push(range.map((p) => [p[0], p[1], p[3]]));
      t.push(await consumer.xclaim("jobs", "workers", "bob", 0, "1-2"));
      t.push(await consumer.xclaim("jobs", "workers", "bob", 0, "1-3", "JUSTID"));
      t.push(await consumer.xautoclaim("jobs", "workers", "carol", 0, "0-0", "COUNT", 10));
      t.push(await consumer.xreadgroup("GROUP", "workers", "erin", "STREAMS", "jobs", ">"));
      const blocked = consumer.xreadgroup("GROUP", "workers", "alice", "BLOCK", 5000, "STREAMS", "jobs", ">");
      await waitBlocked(() => producer.info("clients"), 1);
      t.push(await producer.xadd("jobs", "MAXLEN", "~", 100, "2-1", "job", "late"));
      t.push(await blocked);
      t.push(await producer.xread("COUNT", 2, "STREAMS", "jobs", "0"));
      t.push(await producer.xlen("jobs"));
      t.push(await producer.xinfo("GROUPS", "jobs"));
      t.push(await producer.xinfo("STREAM", "jobs"));
      t.push(await producer.xgroup("DESTROY", "jobs", "workers"));
      return t;
    });
    assert.deepEqual(ours, real);
  });
});
