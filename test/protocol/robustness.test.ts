/**
 * Robustness of the network layer (reddish only): garbage, partial frames, huge headers, clients
 * that never read, many clients, disconnects mid-request, QUIT. The server must stay up, keep
 * serving everyone else, and keep its memory bounded.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer, type ReddishServer } from "../../src/index.js";
import { RawConnection, encodeCommand, sleep } from "../parity/harness.js";

let server: ReddishServer;
/** A connection that checks, throughout, that the server still answers promptly. */
let watcher: RawConnection;

before(async () => {
  server = await startServer();
  watcher = await RawConnection.connect(server.port);
});

after(async () => {
  watcher.close();
  await server.close();
});

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Asserts the watcher gets PONG within `ms`. */
async function assertResponsive(ms = 2000): Promise<void> {
  const start = Date.now();
  watcher.send(encodeCommand(["PING"]));
  const reply = await watcher.read(ms);
  assert.equal(reply?.raw.toString(), "+PONG\r\n");
  assert.ok(Date.now() - start < ms, `PING took ${Date.now() - start} ms`);
}

/** Waits until the server has exactly `n` clients (or fails after `ms`). */
async function waitForClients(n: number, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (server.core.clients.size !== n) {
    if (Date.now() > deadline) assert.fail(`expected ${n} clients, server has ${server.core.clients.size}`);
    await sleep(10);
  }
}

/** Opens a raw socket (optionally half-open capable) and resolves once connected. */
function rawSocket(allowHalfOpen = false): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: server.port, host: "127.0.0.1", allowHalfOpen }, () => resolve(s));
    s.once("error", reject);
  });
}

/** Resolves when the server ends or closes the socket (the socket is read to its end). */
function ended(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readableEnded || socket.destroyed) return resolve();
    socket.once("end", () => resolve());
    socket.once("close", () => resolve());
    socket.resume();
  });
}

const PREFIXES = [
  "",
  "*",
  "*3\r\n$3\r\nSET\r\n$",
  "*1\r\n$100\r\nabc",
  "*2\r\n$4\r\nECHO\r\n$40000\r\n",
  '"unterminated',
  "*99999\r\n",
  "\x00\x00",
];

describe("robustness", () => {
  test("garbage and partial frames never crash the server or stall other clients", async () => {
    const random = rng(99);
    for (let round = 0; round < 5; round++) {
      const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket()));
      for (const s of sockets) {
        s.on("error", () => undefined);
        s.on("data", () => undefined);
        const garbage = Buffer.alloc(1 + random(3000));
        for (let i = 0; i < garbage.length; i++) garbage[i] = random(256);
        s.write(Buffer.concat([Buffer.from(PREFIXES[random(PREFIXES.length)]!, "latin1"), garbage]));
      }
      await assertResponsive();
      // Half the sockets vanish abruptly, the others politely.
      sockets.forEach((s, i) => (i % 2 ? s.destroy() : s.end()));
    }
    await assertResponsive();
    await waitForClients(1);
  });

  test("a 600 MB bulk header gets Redis's error and a close, without allocating", async () => {
    const before = process.memoryUsage().arrayBuffers;
    const conn = await RawConnection.connect(server.port);
    conn.send("*2\r\n$3\r\nGET\r\n$600000000\r\n");
    assert.equal((await conn.read())?.raw.toString(), "-ERR Protocol error: invalid bulk length\r\n");
    assert.equal(await conn.read(), null);
    // A valid but huge length (500 MB) is not allocated up front either: memory follows the bytes
    // actually received.
    const big = await RawConnection.connect(server.port);
    big.send("*2\r\n$3\r\nGET\r\n$500000000\r\n" + "x".repeat(100000));
    await assertResponsive();
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 50e6, `arrayBuffers grew by ${grown} bytes`);
    big.close();
    await waitForClients(1);
  });

  test("a client that pipelines without reading is paused; others are served; memory stays bounded", async () => {
    const setup = await RawConnection.connect(server.port);
    const value = "v".repeat(100 * 1024);
    assert.equal((await setup.call("SET", "big", value))?.raw.toString(), "+OK\r\n");
    setup.close();
    const before = process.memoryUsage().arrayBuffers;
    // 1000 GETs of 100 KiB = 100 MB of replies that the client does not read.
    const requests = 1000;
    const hog = await rawSocket();
    hog.pause();
    hog.write(Buffer.concat(Array.from({ length: requests }, () => encodeCommand(["GET", "big"]))));
    await sleep(300);
    for (let i = 0; i < 5; i++) await assertResponsive(1000);
    const hogClient = [...server.core.clients.values()].find(
      (c) => c.transport && c.transport.queryBufferLength > 0,
    );
    assert.ok(hogClient, "the hog's unprocessed requests wait in its query buffer");
    const pending = hogClient.transport!.outputBufferLength;
    assert.ok(pending < 10e6, `the hog's output buffer holds ${pending} bytes`);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 40e6, `arrayBuffers grew by ${grown} bytes (100 MB if unbounded)`);
    // Once the client reads, it gets every reply, in full.
    const expected = requests * (`$${value.length}\r\n`.length + value.length + 2);
    let received = 0;
    await new Promise<void>((resolve) => {
      hog.on("data", (d: Buffer) => {
        received += d.length;
        if (received >= expected) resolve();
      });
      hog.resume();
    });
    assert.equal(received, expected);
    hog.destroy();
    await waitForClients(1);
  });

  test("200 clients at once", async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => RawConnection.connect(server.port)));
    await Promise.all(
      clients.map(async (c, i) => {
        c.send(
          Buffer.concat([
            encodeCommand(["SET", `many:${i}`, `value:${i}`]),
            encodeCommand(["GET", `many:${i}`]),
            encodeCommand(["PING"]),
          ]),
        );
        assert.equal((await c.read())?.raw.toString(), "+OK\r\n");
        assert.equal((await c.read())?.value, `value:${i}`);
        assert.equal((await c.read())?.raw.toString(), "+PONG\r\n");
      }),
    );
    assert.equal(server.core.clients.size, 201);
    clients.forEach((c) => c.close());
    await waitForClients(1);
  });

  test("clients disconnecting mid-request are cleaned up, and their requests never run", async () => {
    const a = await rawSocket();
    a.write("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$5\r\nab");
    const b = await rawSocket();
    b.write("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100000\r\n" + "y".repeat(50000));
    const c = await rawSocket();
    c.write("*3\r\n$3\r\nSE");
    await assertResponsive();
    await waitForClients(4);
    a.destroy();
    b.end();
    c.destroy();
    await waitForClients(1);
    assert.equal((await watcher.call("GET", "half"))?.raw.toString(), "$-1\r\n");
  });

  test("QUIT: +OK, nothing after it runs, and the client is freed without waiting for the peer", async () => {
    const conn = await RawConnection.connect(server.port);
    conn.send("PING\r\nQUIT\r\nSET afterquit 1\r\n");
    assert.equal((await conn.read())?.raw.toString(), "+PONG\r\n");
    assert.equal((await conn.read())?.raw.toString(), "+OK\r\n");
    assert.equal(await conn.read(), null);
    assert.equal((await watcher.call("GET", "afterquit"))?.raw.toString(), "$-1\r\n");
    // A peer that keeps its side open (half-open) does not keep the client alive.
    const half = await rawSocket(true);
    const closed = ended(half);
    half.write("QUIT\r\n");
    await closed;
    await waitForClients(1);
    half.destroy();
  });

  test("a protocol error frees the client without waiting for the peer", async () => {
    const half = await rawSocket(true);
    const data: Buffer[] = [];
    half.on("data", (d: Buffer) => data.push(d));
    const closed = ended(half);
    half.write("PING\r\n*1\r\nx\r\n");
    await closed;
    assert.equal(Buffer.concat(data).toString(), "+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n");
    await waitForClients(1);
    half.destroy();
  });

  test("an exception inside a command handler does not take the server down", async () => {
    const command = server.core.commands.lookup(["echo", "x"])!;
    const original = command.handler;
    const mutable = command as { handler: typeof original };
    mutable.handler = () => {
      throw new TypeError("boom");
    };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const reply = await watcher.call("ECHO", "x");
      assert.equal(reply?.raw.toString(), "-ERR internal error in 'ECHO': boom\r\n");
    } finally {
      mutable.handler = original;
    }
    await sleep(10);
    process.off("warning", onWarning);
    assert.deepEqual(warnings, ["boom"]);
    assert.equal((await watcher.call("ECHO", "x"))?.raw.toString(), "$1\r\nx\r\n");
  });
});
