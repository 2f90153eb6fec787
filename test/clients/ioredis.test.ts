/**
 * The `ioredis` client (v6) against reddish. Before it reports ready, ioredis runs INFO and reads
 * `loading:` from it (the ready check). Every scenario also runs against the real redis-server
 * and the two transcripts must be equal.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis, type RedisOptions } from "ioredis";
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

/** Runs `scenario` with a ready client on each server; returns both transcripts. */
async function onBoth<T>(
  scenario: (client: Redis) => Promise<T>,
  options: RedisOptions = {},
): Promise<{ redis: T; reddish: T }> {
  const run = async (port: number) => {
    const client = new Redis({
      host: "127.0.0.1",
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      ...options,
    });
    const errors: Error[] = [];
    client.on("error", (e: Error) => errors.push(e));
    await client.connect();
    assert.equal(client.status, "ready");
    try {
      await client.flushall();
      return await scenario(client);
    } finally {
      client.disconnect();
      assert.deepEqual(errors, [], "no connection-level errors");
    }
  };
  return { redis: await run(redis.port), reddish: await run(reddish.port) };
}

/** An error as [class name, message] (pipeline results hold Error objects). */
function describeError(e: unknown): unknown {
  return e instanceof Error ? [e.constructor.name, e.message] : e;
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (e) {
    return { error: describeError(e) };
  }
}

describe("ioredis v6 client", () => {
  test("connects (INFO ready check) and runs basic commands", async () => {
    const r = await onBoth(async (c) => [await c.ping(), await c.echo("hi"), await c.call("PING", "x")]);
    assert.deepEqual(r.reddish, ["PONG", "hi", "x"]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("strings: set, get, incr, mset, mget, del, exists, expiry", async () => {
    const r = await onBoth(async (c) => [
      await c.set("k", "v"),
      await c.get("k"),
      await c.get("missing"),
      await c.set("k", "v2", "NX"),
      await c.set("n", 10),
      await c.incr("n"),
      await c.incrby("n", 5),
      await c.incrbyfloat("n", "0.5"),
      await c.mset({ a: "1", b: "2" }),
      await c.mget("a", "b", "nope"),
      await c.exists("a", "b", "nope"),
      await c.del("a", "b"),
      await c.set("t", "v", "EX", 100),
      await c.ttl("t"),
      await c.getset("k", "v3"),
    ]);
    assert.deepEqual(r.reddish, [
      "OK",
      "v",
      null,
      null,
      "OK",
      11,
      16,
      "16.5",
      "OK",
      ["1", "2", null],
      2,
      2,
      "OK",
      100,
      "v",
    ]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("pipeline() and multi()", async () => {
    const r = await onBoth(async (c) => {
      const pipe = await c.pipeline().set("p", "1").incr("p").get("p").exec();
      const tx = await c.multi().incr("p").append("p", "x").get("p").exec();
      const many = await Promise.all(Array.from({ length: 200 }, (_, i) => c.incrby("counter", i)));
      return { pipe, tx, last: many[199] };
    });
    assert.deepEqual(r.reddish, {
      pipe: [
        [null, "OK"],
        [null, 2],
        [null, "2"],
      ],
      tx: [
        [null, 3],
        [null, 2],
        [null, "3x"],
      ],
      last: 19900,
    });
    assert.deepEqual(r.reddish, r.redis);
  });

  test("binary values with Buffers and the *Buffer methods", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const key = Buffer.from([0, 13, 10, 255]);
    const r = await onBoth(async (c) => {
      await c.set(key, bytes);
      const back = await c.getBuffer(key);
      const range = await c.getrangeBuffer(key, 0, 3);
      return [back?.toString("hex"), range.toString("hex"), await c.strlen(key)];
    });
    assert.deepEqual(r.reddish, [bytes.toString("hex"), "fffefdfc", 256]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("hashes come back as objects", async () => {
    const r = await onBoth(async (c) => {
      await c.hset("h", { f1: "v1", f2: "v2" });
      const all = await c.hgetall("h");
      return Object.fromEntries(Object.entries(all).sort());
    });
    assert.deepEqual(r.reddish, { f1: "v1", f2: "v2" });
    assert.deepEqual(r.reddish, r.redis);
  });

  test("error replies surface as client errors, in pipelines too", async () => {
    const r = await onBoth(async (c) => {
      await c.set("s", "text");
      await c.hset("h", "f", "v");
      const pipe = await c.pipeline().incr("s").get("h").set("ok", "1").exec();
      return [
        await outcome(c.incr("s")),
        await outcome(c.get("h")),
        await outcome(c.call("NOSUCHCOMMAND", "x")),
        await outcome(c.call("GET")),
        pipe!.map(([err, value]) => [describeError(err), value]),
        await c.get("s"),
      ];
    });
    // ioredis v6 names its reply errors SimpleError.
    assert.deepEqual(r.reddish[0], { error: ["SimpleError", "ERR value is not an integer or out of range"] });
    assert.deepEqual(r.reddish[1], {
      error: ["SimpleError", "WRONGTYPE Operation against a key holding the wrong kind of value"],
    });
    assert.equal(r.reddish[5], "text");
    assert.deepEqual(r.reddish, r.redis);
  });

  test("db option (SELECT) and connectionName (CLIENT SETNAME)", async () => {
    const r = await onBoth(async (c) => [await c.set("x", "1"), await c.client("GETNAME")], {
      db: 3,
      connectionName: "reddish-io",
    });
    assert.deepEqual(r.reddish, ["OK", "reddish-io"]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("quit() ends the connection cleanly", async () => {
    const client = new Redis({
      host: "127.0.0.1",
      port: reddish.port,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    client.on("error", () => undefined);
    await client.connect();
    assert.equal(await client.quit(), "OK");
    await new Promise((resolve) => client.once("end", resolve));
    assert.equal(client.status, "end");
  });
});

describe("ioredis v6: pub/sub", () => {
  test("subscribe, psubscribe, publish, and leaving subscriber mode", async () => {
    const r = await onBoth(async (c) => {
      const sub = c.duplicate();
      await sub.connect();
      const got: string[] = [];
      sub.on("message", (channel: string, message: string) => got.push(`${channel}:${message}`));
      sub.on("pmessage", (pattern: string, channel: string, message: string) =>
        got.push(`${pattern} ${channel}:${message}`),
      );
      const counts = [await sub.subscribe("news", "sport"), await sub.psubscribe("n*")];
      const receivers = [
        await c.publish("news", "hello"),
        await c.publish("sport", "goal"),
        await c.publish("nx", "x"),
      ];
      const deadline = Date.now() + 2000;
      while (got.length < 4 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      const channels = (await c.pubsub("CHANNELS")) as string[];
      // (ioredis 6 waits forever on a bare UNSUBSCRIBE, against Redis too: name the channels.)
      await sub.unsubscribe("news", "sport");
      await sub.punsubscribe("n*");
      const afterLeaving = await outcome(sub.get("k"));
      sub.disconnect();
      return { got, counts, receivers, channels: channels.sort(), afterLeaving };
    });
    assert.deepEqual(r.reddish.got, ["news:hello", "n* news:hello", "sport:goal", "n* nx:x"]);
    assert.deepEqual(r.reddish, r.redis);
  });
});
