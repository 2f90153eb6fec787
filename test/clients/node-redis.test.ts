/**
 * The official `redis` client (node-redis v6) against reddish. Its connection handshake is
 * HELLO 3 (RESP3 by default), then CLIENT SETINFO LIB-VER/LIB-NAME pipelined. Every scenario also
 * runs against the real redis-server and the two transcripts must be equal, so the test checks
 * what a user of the client would see, not only that nothing throws.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, RESP_TYPES } from "redis";
import { startServer, type ReddishServer } from "../../src/index.js";
import { startRealRedis, type RealRedis } from "../parity/harness.js";

type Client = ReturnType<typeof createClient>;

let reddish: ReddishServer;
let redis: RealRedis;

before(async () => {
  [reddish, redis] = await Promise.all([startServer(), startRealRedis()]);
});

after(async () => {
  await Promise.all([reddish.close(), redis.stop()]);
});

/** Runs `scenario` with a connected client on each server; returns both transcripts. */
async function onBoth<T>(
  scenario: (client: Client) => Promise<T>,
  options: Parameters<typeof createClient>[0] = {},
): Promise<{ redis: T; reddish: T }> {
  const run = async (port: number) => {
    const client = createClient({ ...options, url: `redis://127.0.0.1:${port}` });
    const errors: Error[] = [];
    client.on("error", (e: Error) => errors.push(e));
    await client.connect();
    try {
      await client.flushAll();
      return await scenario(client);
    } finally {
      client.destroy();
      assert.deepEqual(errors, [], "no connection-level errors");
    }
  };
  return { redis: await run(redis.port), reddish: await run(reddish.port) };
}

/** The outcome of a promise: its value, or the error's class and message. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (e) {
    const err = e as Error;
    return { error: err.constructor.name, message: err.message };
  }
}

describe("node-redis v6 client", () => {
  test("connects with the HELLO 3 handshake and CLIENT SETINFO", async () => {
    const r = await onBoth(async (c) => ({
      ping: await c.ping(),
      echo: await c.echo("hi"),
      // CLIENT SETINFO was sent during the handshake; Redis 7.0 refuses it (the client ignores
      // that), so CLIENT INFO shows no lib-name.
      libName: (await c.clientInfo()).libName,
    }));
    assert.deepEqual(r.reddish, { ping: "PONG", echo: "hi", libName: undefined });
    assert.deepEqual(r.reddish, r.redis);
  });

  test("strings: set, get, incr, mset, mget, del, exists, append, getrange", async () => {
    const r = await onBoth(async (c) => [
      await c.set("k", "v"),
      await c.get("k"),
      await c.get("missing"),
      await c.set("k", "v2", { NX: true }),
      await c.set("n", "10"),
      await c.incr("n"),
      await c.incrBy("n", 5),
      await c.decr("n"),
      await c.mSet({ a: "1", b: "2" }),
      await c.mGet(["a", "b", "nope"]),
      await c.append("a", "xyz"),
      await c.getRange("a", 1, -1),
      await c.exists(["a", "b", "nope"]),
      await c.del(["a", "b"]),
      await c.strLen("k"),
    ]);
    assert.deepEqual(r.reddish, [
      "OK",
      "v",
      null,
      null,
      "OK",
      11,
      16,
      15,
      "OK",
      ["1", "2", null],
      4,
      "xyz",
      2,
      2,
      1,
    ]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("expiry: set with EX, ttl, persist", async () => {
    const r = await onBoth(async (c) => [
      await c.set("t", "v", { EX: 100 }),
      await c.ttl("t"),
      await c.persist("t"),
      await c.ttl("t"),
      await c.ttl("missing"),
    ]);
    assert.deepEqual(r.reddish, ["OK", 100, 1, -1, -2]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("pipelines: MULTI/EXEC, execAsPipeline, and implicit pipelining", async () => {
    const r = await onBoth(async (c) => {
      const tx = await c.multi().set("p", "1").incr("p").get("p").exec();
      const pipe = await c.multi().set("q", "a").append("q", "b").get("q").execAsPipeline();
      // Commands issued in the same tick are written as one pipeline.
      const many = await Promise.all(Array.from({ length: 200 }, (_, i) => c.incrBy("counter", i)));
      return { tx, pipe, last: many[199], count: many.length };
    });
    assert.deepEqual(r.reddish, { tx: ["OK", 2, "2"], pipe: ["OK", 2, "ab"], last: 19900, count: 200 });
    assert.deepEqual(r.reddish, r.redis);
  });

  test("binary values round-trip as Buffers", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const r = await onBoth(async (c) => {
      const binary = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      await c.set(Buffer.from([0, 255, 13, 10]), bytes);
      await c.append(Buffer.from([0, 255, 13, 10]), Buffer.from([0xfe]));
      const back = await binary.get(Buffer.from([0, 255, 13, 10]));
      return Buffer.isBuffer(back) ? back.toString("hex") : String(back);
    });
    assert.equal(r.reddish, Buffer.concat([bytes, Buffer.from([0xfe])]).toString("hex"));
    assert.deepEqual(r.reddish, r.redis);
  });

  test("UTF-8 strings keep their bytes", async () => {
    const r = await onBoth(async (c) => {
      await c.set("ключ", "värde ✓ 🎉");
      return [await c.get("ключ"), await c.strLen("ключ")];
    });
    assert.deepEqual(r.reddish, ["värde ✓ 🎉", 15]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("RESP3 maps come back as objects", async () => {
    const r = await onBoth(async (c) => {
      await c.hSet("h", { f1: "v1", f2: "v2" });
      const all = await c.hGetAll("h");
      return Object.fromEntries(Object.entries(all).sort());
    });
    assert.deepEqual(r.reddish, { f1: "v1", f2: "v2" });
    assert.deepEqual(r.reddish, r.redis);
  });

  test("error replies surface as client errors; the connection stays usable", async () => {
    const r = await onBoth(async (c) => {
      await c.set("s", "not a number");
      await c.hSet("h", "f", "v");
      return [
        await outcome(c.incr("s")),
        await outcome(c.get("h")),
        await outcome(c.sendCommand(["NOSUCHCOMMAND", "x"])),
        await outcome(c.sendCommand(["GET"])),
        await outcome(c.multi().set("m", "1").incr("s").get("m").exec()),
        await c.get("s"),
      ];
    });
    // RESP3 error replies become the client's SimpleError.
    assert.deepEqual(r.reddish[0], {
      error: "SimpleError",
      message: "ERR value is not an integer or out of range",
    });
    assert.deepEqual(r.reddish[1], {
      error: "SimpleError",
      message: "WRONGTYPE Operation against a key holding the wrong kind of value",
    });
    assert.equal(r.reddish[5], "not a number");
    assert.deepEqual(r.reddish, r.redis);
  });

  test("the RESP2 client (RESP: 2) works too", async () => {
    const r = await onBoth(
      async (c) => [await c.set("k", "v"), await c.get("k"), await c.incr("n"), await c.ping()],
      { RESP: 2 },
    );
    assert.deepEqual(r.reddish, ["OK", "v", 1, "PONG"]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("SELECT through the url's database and a client name", async () => {
    const r = await onBoth(async (c) => [await c.set("db", "x"), await c.clientGetName()], {
      database: 2,
      name: "reddish-test",
    });
    assert.deepEqual(r.reddish, ["OK", "reddish-test"]);
    assert.deepEqual(r.reddish, r.redis);
  });

  test("close() quits cleanly", async () => {
    const client = createClient({ url: reddish.url });
    client.on("error", () => undefined);
    await client.connect();
    await client.set("bye", "1");
    await client.close();
    assert.equal(client.isOpen, false);
  });
});

/** Waits until `check` holds (polling), at most 2 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("node-redis v6: pub/sub and client-side caching", () => {
  for (const RESP of [2, 3] as const) {
    test(`subscribe, pSubscribe and publish (RESP${RESP})`, async () => {
      const r = await onBoth(
        async (c) => {
          const sub = c.duplicate();
          await sub.connect();
          const got: string[] = [];
          await sub.subscribe("news", (message, channel) => got.push(`${channel}:${message}`));
          await sub.pSubscribe("n*", (message, channel) => got.push(`p ${channel}:${message}`));
          const receivers = [await c.publish("news", "hello"), await c.publish("nope", "x")];
          await until(() => got.length === 3);
          const numsub = await c.pubSubNumSub("news");
          await sub.unsubscribe("news");
          await sub.pUnsubscribe("n*");
          const after = await c.publish("news", "again");
          sub.destroy();
          return { got, receivers, numsub, after };
        },
        { RESP },
      );
      assert.deepEqual(r.reddish.got, ["news:hello", "p news:hello", "p nope:x"]);
      assert.deepEqual(r.reddish, r.redis);
    });
  }

  test("clientSideCache: hits, then invalidation by another client's write", async () => {
    const r = await onBoth(
      async (c) => {
        const cache = c.clientSideCache as unknown as {
          size(): number;
          stats(): { hitCount: number; missCount: number };
        };
        const writer = c.duplicate({ clientSideCache: undefined });
        const seen: unknown[] = [];
        // Not cached yet (miss), then served from the cache (hit).
        seen.push(await c.get("k"), await c.get("k"));
        await writer.connect();
        await writer.set("k", "v1");
        // The server's invalidation push empties the entry: the next read is a miss again.
        await until(() => cache.stats().missCount > 0 && cache.size() === 0);
        seen.push(await c.get("k"), await c.get("k"));
        await writer.hSet("h", "f", "1");
        seen.push(await c.hGetAll("h"), await c.hGetAll("h"));
        await writer.hSet("h", "f", "2");
        await until(() => cache.size() === 1);
        seen.push(await c.hGetAll("h"));
        await writer.flushAll();
        await until(() => cache.size() === 0);
        writer.destroy();
        const stats = cache.stats();
        return { seen, hits: stats.hitCount, misses: stats.missCount };
      },
      { RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0, evictPolicy: "LRU" } },
    );
    assert.deepEqual(r.reddish.seen, [null, null, "v1", "v1", { f: "1" }, { f: "1" }, { f: "2" }]);
    assert.ok(r.reddish.hits >= 3);
    assert.deepEqual(r.reddish, r.redis);
  });
});
