/**
 * Output buffer limits: a subscriber that stops reading is disconnected by the pubsub class's
 * `client-output-buffer-limit`, so the server's memory stays bounded, while other clients keep
 * being answered promptly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "../../src/index.js";
import { RawConnection, encodeCommand } from "../parity/harness.js";

test("a subscriber that does not read is disconnected at the hard limit; others are unaffected", async () => {
  const server = await startServer({ config: { "client-output-buffer-limit": "pubsub 1mb 256kb 60" } });
  try {
    // The slow consumer: subscribes, then never reads again.
    const slow = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
    let closed = false;
    slow.on("close", () => (closed = true));
    slow.on("error", () => undefined);
    slow.write(encodeCommand(["SUBSCRIBE", "flood"]));
    await new Promise<void>((resolve) => slow.once("data", () => resolve()));
    slow.pause();

    const publisher = await RawConnection.connect(server.port);
    const other = await RawConnection.connect(server.port);
    const payload = "x".repeat(16 * 1024);
    let maxPending = 0;
    let worstLatency = 0;
    let received = 1;
    // 64 MB of messages, far beyond what the socket buffers absorb.
    for (let round = 0; round < 64 && received > 0; round++) {
      for (let i = 0; i < 64; i++) publisher.send(encodeCommand(["PUBLISH", "flood", payload]));
      for (let i = 0; i < 64; i++) {
        const reply = await publisher.read();
        received = Number(reply?.value);
      }
      for (const c of server.core.clients.values()) {
        maxPending = Math.max(maxPending, c.transport?.outputBufferLength ?? 0);
      }
      const start = performance.now();
      assert.equal((await other.call("PING"))?.value, "PONG");
      worstLatency = Math.max(worstLatency, performance.now() - start);
    }
    // Once the subscriber is gone, PUBLISH reaches nobody and the server drops its connection.
    assert.equal(received, 0, "the slow subscriber was disconnected");
    assert.equal(server.core.stats.outputLimitDisconnections, 1);
    assert.ok(maxPending < 2 * 1024 * 1024, `pending output stayed bounded (${maxPending} bytes)`);
    assert.ok(worstLatency < 1500, `other clients kept being answered (worst ${worstLatency.toFixed(1)} ms)`);
    assert.equal(
      (await publisher.call("PUBSUB", "NUMSUB", "flood"))?.raw.toString(),
      "*2\r\n$5\r\nflood\r\n:0\r\n",
    );
    slow.resume();
    const deadline = Date.now() + 2000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(closed, "the slow subscriber's socket was closed");
    publisher.close();
    other.close();
  } finally {
    await server.close();
  }
});

test("the soft limit disconnects only after soft-seconds above it", async () => {
  const server = await startServer({
    clock: "manual",
    config: { "client-output-buffer-limit": "pubsub 0 256kb 10" },
  });
  try {
    const slow = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
    slow.on("error", () => undefined);
    slow.write(encodeCommand(["SUBSCRIBE", "flood"]));
    await new Promise<void>((resolve) => slow.once("data", () => resolve()));
    slow.pause();
    const publisher = await RawConnection.connect(server.port);
    const payload = "x".repeat(16 * 1024);
    const publishBatch = async () => {
      let last = 0;
      for (let i = 0; i < 64; i++) publisher.send(encodeCommand(["PUBLISH", "flood", payload]));
      for (let i = 0; i < 64; i++) last = Number((await publisher.read())?.value);
      return last;
    };
    // Fill the socket buffers until the server holds output above the soft limit.
    for (let i = 0; i < 200; i++) {
      await publishBatch();
      const pending = [...server.core.clients.values()].map((c) => c.transport?.outputBufferLength ?? 0);
      if (Math.max(...pending) > 512 * 1024) break;
    }
    assert.equal(await publishBatch(), 1, "still connected within soft-seconds");
    server.fastForward(11_000);
    assert.equal(await publishBatch(), 0, "disconnected once above the soft limit for longer");
    publisher.close();
    slow.destroy();
  } finally {
    await server.close();
  }
});

test("client-output-buffer-limit round-trips through CONFIG SET/GET", async () => {
  const server = await startServer();
  try {
    const c = await RawConnection.connect(server.port);
    const get = async () => (await c.call("CONFIG", "GET", "client-output-buffer-limit"))?.raw.toString();
    assert.equal(
      await get(),
      "*2\r\n$26\r\nclient-output-buffer-limit\r\n$67\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\r\n",
    );
    assert.equal(
      (await c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 5"))?.value,
      "OK",
    );
    assert.match(String(await get()), /pubsub 1048576 524288 5/);
    c.close();
  } finally {
    await server.close();
  }
});
