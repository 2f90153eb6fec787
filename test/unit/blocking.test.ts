/**
 * The blocking machinery (server/blocking.ts): timeout parsing, timeouts on the server clock,
 * disconnects, statistics, clients that cannot block, and the generic blockForKeys API that sorted
 * sets and streams reuse.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RedisError } from "../../src/errors.js";
import { startServer } from "../../src/index.js";
import { RespEncoder } from "../../src/resp/writer.js";
import { blockForKeys, canBlock, readBlockingTimeout } from "../../src/server/blocking.js";
import type { Client, ClientTransport } from "../../src/server/client.js";
import type { ServerCore } from "../../src/server/core.js";
import { RawConnection, encodeCommand, sleep } from "../parity/harness.js";

test("readBlockingTimeout follows getTimeoutFromObjectOrReply (long double, ceil to ms)", () => {
  const now = 1_000_000;
  assert.equal(readBlockingTimeout("0", now), 0);
  assert.equal(readBlockingTimeout("0.0", now), 0);
  assert.equal(readBlockingTimeout("-0.0001", now), 0); // ceil(-0.1) is -0: no timeout
  assert.equal(readBlockingTimeout("-1e-320", now), 0);
  assert.equal(readBlockingTimeout("0.001", now), now + 1);
  assert.equal(readBlockingTimeout("1e-3", now), now + 1);
  assert.equal(readBlockingTimeout("0.00001", now), now + 1);
  assert.equal(readBlockingTimeout("1e-320", now), now + 1);
  assert.equal(readBlockingTimeout("0.0015", now), now + 2);
  assert.equal(readBlockingTimeout("1.5", now), now + 1500);
  assert.equal(readBlockingTimeout("0x10", now), now + 16000);
  assert.equal(readBlockingTimeout("+.1", now), now + 100);
  // now + timeout beyond 64 bits: Redis never times the client out.
  assert.equal(readBlockingTimeout("9223372036854775.807", now), 0);
  const negative = ["-1", "inf", "-inf", "1e400", "9223372036854775807", "9223372036854775.808"];
  for (const arg of negative) {
    assert.throws(() => readBlockingTimeout(arg, now), new RedisError("ERR timeout is negative"), arg);
  }
  for (const arg of ["abc", "", " 1", "1 ", "nan", "1e-5000", "0x"]) {
    assert.throws(
      () => readBlockingTimeout(arg, now),
      new RedisError("ERR timeout is not a float or out of range"),
      arg,
    );
  }
});

function info(conn: RawConnection, section: string): Promise<string> {
  return conn.call("INFO", section).then((r) => String(r?.value ?? ""));
}

async function blockedCount(core: ServerCore, n: number): Promise<void> {
  for (let i = 0; i < 500 && core.blockedClients !== n; i++) await sleep(2);
  assert.equal(core.blockedClients, n);
}

test("timeouts follow the server clock: a manual clock must be moved", async () => {
  const server = await startServer({ clock: "manual" });
  const conn = await RawConnection.connect(server.port);
  conn.send(encodeCommand(["BLPOP", "k", "5"]));
  await blockedCount(server.core, 1);
  await sleep(30);
  assert.equal(server.core.blockedClients, 1);
  server.fastForward(5000);
  server.core.cron();
  // Not yet: Redis times out once the deadline is strictly in the past.
  assert.equal(server.core.blockedClients, 1);
  server.fastForward(1);
  server.core.cron();
  assert.equal((await conn.read())?.raw.toString(), "*-1\r\n");
  assert.equal(server.core.blockedClients, 0);
  conn.close();
  await server.close();
});

test("a clock jump is noticed after the next command", async () => {
  const server = await startServer({ clock: "manual" });
  const [a, b] = await Promise.all([RawConnection.connect(server.port), RawConnection.connect(server.port)]);
  a.send(encodeCommand(["BRPOP", "k", "1"]));
  await blockedCount(server.core, 1);
  server.fastForward(2000);
  await b.call("PING");
  assert.equal((await a.read())?.raw.toString(), "*-1\r\n");
  a.close();
  b.close();
  await server.close();
});

test("real-time timeouts fire on the system clock, not before the deadline", async () => {
  const server = await startServer();
  const conn = await RawConnection.connect(server.port);
  try {
    const start = performance.now();
    conn.send(encodeCommand(["BLPOP", "k", "0.05"]));
    assert.equal((await conn.read())?.raw.toString(), "*-1\r\n");
    const took = performance.now() - start;
    // The upper bound only says "it fired": a loaded CI machine may delay timers a lot.
    assert.ok(took >= 49 && took < 5000, `took ${took} ms`);
  } finally {
    conn.close();
    await server.close();
  }
});

test("deadlines fire in order among many clients", async () => {
  const server = await startServer({ clock: "manual" });
  const timeouts = [7, 3, 9, 1, 5, 2, 8, 4, 6, 10];
  const conns = await Promise.all(timeouts.map(() => RawConnection.connect(server.port)));
  for (const [i, conn] of conns.entries()) conn.send(encodeCommand(["BLPOP", `k${i}`, String(timeouts[i])]));
  await blockedCount(server.core, timeouts.length);
  for (let second = 1; second <= 10; second++) {
    server.fastForward(1000);
    server.fastForward(1);
    server.core.cron();
    assert.equal(server.core.blockedClients, timeouts.length - second);
    const i = timeouts.indexOf(second);
    assert.equal((await conns[i]!.read())?.raw.toString(), "*-1\r\n");
  }
  for (const c of conns) c.close();
  await server.close();
});

test("disconnect and CLIENT KILL release blocked clients; INFO and CLIENT LIST show them", async () => {
  const server = await startServer();
  const [a, b, admin] = await Promise.all([1, 2, 3].map(() => RawConnection.connect(server.port)));
  a.send(encodeCommand(["BLPOP", "k", "0"]));
  b.send(encodeCommand(["BLMOVE", "k", "d", "LEFT", "LEFT", "0"]));
  await blockedCount(server.core, 2);
  assert.match(await info(admin, "clients"), /blocked_clients:2\r\n/);
  const list = String((await admin.call("CLIENT", "LIST"))?.value);
  assert.equal(list.split("\n").filter((l) => / flags=b /.test(l)).length, 2);
  a.close();
  await blockedCount(server.core, 1);
  const id = String(
    list
      .split("\n")
      .find((l) => l.includes("cmd=blmove"))!
      .match(/^id=(\d+)/)![1],
  );
  assert.equal((await admin.call("CLIENT", "KILL", "ID", id))?.value, "1");
  await blockedCount(server.core, 0);
  assert.equal((await admin.call("RPUSH", "k", "x"))?.value, "1");
  assert.equal((await admin.call("LLEN", "k"))?.value, "1");
  b.close();
  admin.close();
  await server.close();
});

test("commandstats: a blocked call counts once; CLIENT UNBLOCK counts as failed", async () => {
  const server = await startServer();
  const [a, admin] = await Promise.all([
    RawConnection.connect(server.port),
    RawConnection.connect(server.port),
  ]);
  a.send(encodeCommand(["BLPOP", "k", "0"]));
  await blockedCount(server.core, 1);
  assert.match(await info(admin, "commandstats"), /cmdstat_blpop:calls=1,.*failed_calls=0/);
  await admin.call("RPUSH", "k", "x");
  assert.equal((await a.read())?.raw.toString(), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
  assert.match(await info(admin, "commandstats"), /cmdstat_blpop:calls=1,.*failed_calls=0/);
  const id = String((await a.call("CLIENT", "ID"))?.value);
  a.send(encodeCommand(["BLPOP", "k", "0"]));
  await blockedCount(server.core, 1);
  assert.equal((await admin.call("CLIENT", "UNBLOCK", id, "ERROR"))?.value, "1");
  assert.equal((await a.read())?.raw.toString(), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
  assert.match(await info(admin, "commandstats"), /cmdstat_blpop:calls=2,.*failed_calls=1/);
  assert.match(await info(admin, "errorstats"), /errorstat_UNBLOCKED:count=1/);
  a.close();
  admin.close();
  await server.close();
});

test("in-process callers never block: blocking commands answer as on timeout", async () => {
  const server = await startServer({ listen: false });
  assert.equal(server.command("BLPOP", "k", "0"), null);
  assert.equal(server.command("BRPOPLPUSH", "k", "d", "0"), null);
  assert.equal(server.command("BLMPOP", "0", "1", "k", "LEFT"), null);
  server.command("RPUSH", "k", "a");
  assert.deepEqual(server.command("BLPOP", "k", "0"), ["k", "a"]);
  assert.equal(server.core.blockedClients, 0);
  await server.close();
});

test("an in-process push wakes a network client", async () => {
  const server = await startServer();
  const conn = await RawConnection.connect(server.port);
  conn.send(encodeCommand(["BLPOP", "k", "0"]));
  await blockedCount(server.core, 1);
  server.command("LPUSH", "k", "from-api");
  assert.equal((await conn.read())?.raw.toString(), "*2\r\n$1\r\nk\r\n$8\r\nfrom-api\r\n");
  conn.close();
  await server.close();
});

/** A transport that holds clients blocked and records what it was told, for the generic API. */
class FakeTransport implements ClientTransport {
  readonly remoteAddress = "fake:1";
  readonly localAddress = "fake:2";
  readonly queryBufferLength = 0;
  readonly outputBufferLength = 0;
  unblocks = 0;
  constructor(private readonly client: () => Client) {}
  close(): void {}
  runUnblocking(run: () => void): void {
    run();
    if (!this.client().blocked) this.unblocks++;
  }
}

function fakeClient(core: ServerCore): { client: Client; encoder: RespEncoder; transport: FakeTransport } {
  const encoder = new RespEncoder();
  const client = core.createClient(encoder);
  const transport = new FakeTransport(() => client);
  client.transport = transport;
  return { client, encoder, transport };
}

function output(encoder: RespEncoder): string {
  return encoder.take()?.toString("latin1") ?? "";
}

test("blockForKeys: retry per ready key, false keeps waiting, errors end the wait", async () => {
  const server = await startServer({ listen: false });
  const core = server.core;
  const { client, encoder, transport } = fakeClient(core);
  assert.equal(canBlock(client), true);
  const tried: string[] = [];
  let serve = false;
  blockForKeys(client, client.db, ["a", "b", "a"], 0, (key) => {
    tried.push(key);
    if (!serve) return false;
    client.reply.simple(`served from ${key}`);
    return true;
  });
  assert.equal(client.blocked, true);
  assert.equal(client.unblock !== null, true);
  server.command("SET", "b", "1"); // ready, but retry declines: still blocked
  assert.deepEqual(tried, ["b"]);
  assert.equal(client.blocked, true);
  serve = true;
  server.command("MSET", "a", "1", "b", "2"); // both ready, in argument order of the writes
  assert.deepEqual(tried, ["b", "a"]);
  assert.equal(output(encoder), "+served from a\r\n");
  assert.equal(client.blocked, false);
  assert.equal(client.unblock, null);
  assert.equal(transport.unblocks, 1);

  blockForKeys(client, client.db, ["c"], 0, () => {
    throw new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value");
  });
  server.command("SET", "c", "1");
  assert.equal(output(encoder), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert.equal(client.blocked, false);
  await server.close();
});

test("blockForKeys: custom timeout reply, CLIENT UNBLOCK, removeClient", async () => {
  const server = await startServer({ clock: "manual", listen: false });
  const core = server.core;
  const { client, encoder } = fakeClient(core);
  const now = core.clock.now();
  blockForKeys(client, client.db, ["k"], now + 100, () => false, { onTimeout: (c) => c.reply.integer(-1) });
  server.fastForward(101);
  core.cron();
  assert.equal(output(encoder), ":-1\r\n");
  blockForKeys(client, client.db, ["k"], 0, () => false, { onTimeout: (c) => c.reply.integer(-2) });
  assert.deepEqual(server.command("CLIENT", "UNBLOCK", String(client.id)), 1);
  assert.equal(output(encoder), ":-2\r\n");
  assert.deepEqual(server.command("CLIENT", "UNBLOCK", String(client.id)), 0);
  blockForKeys(client, client.db, ["k"], now + 1000, () => true);
  assert.equal(core.blockedClients, 1);
  core.removeClient(client);
  assert.equal(core.blockedClients, 0);
  server.command("SET", "k", "v");
  assert.equal(output(encoder), "");
  await server.close();
});

test("a blocked client inside MULTI/EXEC is refused", async () => {
  const server = await startServer({ listen: false });
  const { client } = fakeClient(server.core);
  client.inExec = true;
  assert.equal(canBlock(client), false);
  client.inExec = false;
  client.transport = null;
  assert.equal(canBlock(client), false);
  await server.close();
});
