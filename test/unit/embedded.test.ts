/** The public embedding API: startServer, manual clock, in-process typed API, TCP round trip. */
import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { ReplyError, startServer } from "../../src/index.js";

test("manual clock drives TTLs deterministically", async () => {
  const server = await startServer({
    clock: "manual",
    startTime: new Date("2030-01-01T00:00:00Z"),
    listen: false,
  });
  const db = server.db();
  assert.equal(db.set("k", "v", { ex: 10 }), true);
  assert.equal(db.ttl("k"), 10);
  server.fastForward(9_999);
  assert.equal(db.get("k"), "v");
  assert.equal(db.pttl("k"), 1);
  server.fastForward(1);
  // As in Redis, a key expires once the time is past its expiry, not at it.
  assert.equal(db.pttl("k"), 0);
  server.fastForward(1);
  assert.equal(db.get("k"), null);
  assert.equal(db.ttl("k"), -2);
  server.setTime(new Date("2031-01-01T00:00:00Z"));
  assert.deepEqual(server.command("TIME"), [String(Date.UTC(2031, 0, 1) / 1000), "0"]);
  await server.close();
});

test("active expiry reclaims keys without lookups", async () => {
  const server = await startServer({ clock: "manual", listen: false });
  const db = server.db();
  for (let i = 0; i < 100; i++) db.set(`k${i}`, "v", { px: 100 });
  db.set("keep", "v");
  assert.equal(db.dbsize(), 101);
  server.fastForward(200);
  server.core.cron();
  assert.equal(db.dbsize(), 1);
  await server.close();
});

test("in-process API: UTF-8 strings, binary buffers, errors as ReplyError", async () => {
  const server = await startServer({ listen: false });
  const db = server.db(1);
  db.set("naïve", "café ☕");
  assert.equal(db.get("naïve"), "café ☕");
  const bytes = Buffer.from([0, 255, 13, 10, 128]);
  db.set("bin", bytes);
  assert.deepEqual(db.getBuffer("bin"), bytes);
  assert.equal(db.set("bin", "x", { nx: true }), false);
  assert.equal(db.incr("n"), 1);
  assert.equal(db.incr("n", 41), 42);
  assert.throws(
    () => db.incr("naïve"),
    (e: unknown) => e instanceof ReplyError && /not an integer/.test(e.message),
  );
  assert.deepEqual(db.keys("n*").sort(), ["naïve", "n"].sort());
  assert.equal(server.db(0).dbsize(), 0, "databases are separate");
  await server.close();
});

test("seeded servers pick the same random keys", async () => {
  const picks: unknown[] = [];
  for (let run = 0; run < 2; run++) {
    const server = await startServer({ seed: 42, listen: false });
    for (let i = 0; i < 50; i++) server.db().set(`key${i}`, "v");
    picks.push([1, 2, 3, 4, 5].map(() => server.command("RANDOMKEY")));
    await server.close();
  }
  assert.deepEqual(picks[0], picks[1]);
});

test("a TCP client sees what the in-process API wrote", async () => {
  const server = await startServer();
  assert.match(server.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  server.db().set("greeting", "hello");
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () =>
      socket.write("*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n"),
    );
    socket.on("data", (d) => {
      resolve(d.toString());
      socket.destroy();
    });
    socket.on("error", reject);
  });
  assert.equal(reply, "$5\r\nhello\r\n");
  await server.close();
});
