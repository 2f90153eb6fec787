/**
 * SHUTDOWN for real (parity tests cannot: it would stop the shared reference server): an
 * embedded server closes its listener and every connection, `closed` settles; the CLI process
 * exits. Also the slow log's bookkeeping that parity compares only by shape.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer } from "../../src/index.js";
import { RawConnection } from "../parity/harness.js";

const cliPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "cli", "main.js");

test("SHUTDOWN closes every connection of an embedded server and settles `closed`", async () => {
  const server = await startServer();
  const other = net.connect(server.port, "127.0.0.1");
  await once(other, "connect");
  const otherClosed = once(other, "close");
  const shutter = net.connect(server.port, "127.0.0.1");
  await once(shutter, "connect");
  const received: Buffer[] = [];
  shutter.on("data", (b: Buffer) => received.push(b));
  shutter.write("SHUTDOWN NOSAVE\r\n");
  await once(shutter, "close");
  await otherClosed;
  await server.closed;
  assert.equal(Buffer.concat(received).length, 0, "SHUTDOWN sends no reply");
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = net.connect(server.port, "127.0.0.1", () => resolve(s));
      s.on("error", reject);
    }),
    /ECONNREFUSED/,
  );
});

test("SHUTDOWN ABORT and bad flags leave the server running", async () => {
  const server = await startServer({ listen: false });
  try {
    assert.throws(() => server.command("SHUTDOWN", "ABORT"), /No shutdown in progress/);
    assert.throws(() => server.command("SHUTDOWN", "SAVE", "NOSAVE"), /syntax error/);
    assert.deepEqual({ ...(server.command("PING") as object) }, { text: "PONG" });
  } finally {
    await server.close();
  }
});

test("SHUTDOWN makes the CLI exit with status 0", async () => {
  const child = spawn(process.execPath, [cliPath, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  const ready = new Promise<number>((resolve) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      const m = /redis:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const port = await ready;
  const conn = await RawConnection.connect(port);
  conn.socket.write("*1\r\n$8\r\nSHUTDOWN\r\n");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0);
  conn.socket.destroy();
});

test("the slow log keeps the newest entries first, up to slowlog-max-len", async () => {
  const server = await startServer({ listen: false, config: { "slowlog-log-slower-than": "0" } });
  try {
    server.command("CONFIG", "SET", "slowlog-max-len", "3");
    server.command("SET", "a", "1");
    server.command("GET", "a");
    const entries = server.command("SLOWLOG", "GET", "-1") as unknown[][];
    assert.equal(entries.length, 3);
    assert.deepEqual(entries[0]![3], ["GET", "a"]);
    assert.deepEqual(entries[1]![3], ["SET", "a", "1"]);
    assert.deepEqual(entries[2]![3], ["CONFIG", "SET", "slowlog-max-len", "3"]);
    assert.ok((entries[0]![0] as number) > (entries[1]![0] as number), "ids grow");
  } finally {
    await server.close();
  }
});
