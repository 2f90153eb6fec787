/**
 * CLIENT PAUSE on a manual clock: the pause ends when the server's time passes its end (no real
 * waiting), held commands then run in order; active expiry is stopped meanwhile. Also MONITOR's
 * refusal for in-process callers, and that feeding stops once the monitor is gone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../../src/index.js";
import { monitoring } from "../../src/server/monitor.js";
import { encodeCommand, RawConnection, sleep } from "../parity/harness.js";

test("CLIENT PAUSE ALL ends when the manual clock passes its end", async () => {
  const server = await startServer({ clock: "manual" });
  const a = await RawConnection.connect(server.port);
  const b = await RawConnection.connect(server.port);
  try {
    await a.call("SET", "k", "v", "PX", "500");
    assert.equal((await a.call("CLIENT", "PAUSE", "1000", "ALL"))!.value, "OK");
    b.send(encodeCommand(["GET", "k"]));
    b.send(encodeCommand(["SET", "k2", "x"]));
    await sleep(50);
    // Held: no reply yet, and the key past its TTL is not actively expired during the pause.
    await assert.rejects(b.read(100), /timed out/);
    server.clock.fastForward(600);
    server.core.cron();
    assert.equal(server.core.keyspace.databases[0]!.size, 1);
    server.clock.fastForward(500);
    // The next command anyone sends finds the pause over; the held client resumes first.
    a.send(encodeCommand(["PING"]));
    assert.equal((await a.read())!.value, "PONG");
    assert.equal((await b.read())!.value, null);
    assert.equal((await b.read())!.value, "OK");
  } finally {
    a.close();
    b.close();
    await server.close();
  }
});

test("CLIENT PAUSE WRITE holds writes only; UNPAUSE releases them", async () => {
  const server = await startServer({ clock: "manual" });
  const a = await RawConnection.connect(server.port);
  const b = await RawConnection.connect(server.port);
  try {
    await a.call("CLIENT", "PAUSE", "100000", "WRITE");
    b.send(encodeCommand(["INCR", "n"]));
    await sleep(30);
    assert.equal((await a.call("GET", "n"))!.value, null);
    await a.call("CLIENT", "UNPAUSE");
    assert.equal((await b.read())!.value, "1");
  } finally {
    a.close();
    b.close();
    await server.close();
  }
});

test("MONITOR from an in-process caller is refused; a closed monitor stops the feed", async () => {
  const server = await startServer();
  try {
    assert.throws(() => server.command("MONITOR"), /MONITOR isn't allowed for DENY BLOCKING client/);
    const m = await RawConnection.connect(server.port);
    await m.call("MONITOR");
    const before = monitoring.count;
    m.close();
    await sleep(50);
    server.command("PING");
    assert.equal(monitoring.count, before - 1);
  } finally {
    await server.close();
  }
});
