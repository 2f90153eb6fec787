/**
 * Parity: the connection family (PING, ECHO, HELLO, AUTH, SELECT, SWAPDB, QUIT, RESET), with and
 * without requirepass. HELLO's reply carries the connection id, which legitimately differs
 * between the servers: those steps compare "type" here, and a focused test below checks the
 * whole reply with only the id masked.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { type Parsed, paritySuite, RawConnection, startRealRedis, type RealRedis } from "./harness.js";

paritySuite("connection", [
  {
    name: "ping and echo",
    steps: [
      ["PING"],
      ["PING", "hello"],
      ["PING", ""],
      ["PING", "a", "b"],
      ["ping", Buffer.from([0, 1, 255])],
      ["ECHO", "x"],
      ["ECHO", ""],
      ["ECHO", Buffer.from([0xff, 0x0d, 0x0a])],
      ["ECHO"],
      ["ECHO", "a", "b"],
    ],
  },
  {
    name: "hello errors",
    steps: [
      ["HELLO", "4"],
      ["HELLO", "1"],
      ["HELLO", "-3"],
      ["HELLO", "x"],
      ["HELLO", "3.0"],
      ["HELLO", "03"],
      ["HELLO", ""],
      ["HELLO", "99999999999999999999"],
      ["HELLO", "3", "FOO"],
      ["HELLO", "3", "AUTH"],
      ["HELLO", "3", "AUTH", "default"],
      ["HELLO", "3", "SETNAME"],
      ["HELLO", "3", "setname", "a b"],
      ["HELLO", "3", "SETNAME", "bad\nname"],
      ["HELLO", "3", "AUTH", "nouser", "pw"],
      ["HELLO", "3", "AUTH", "default", "anything", "x"],
      ["HELLO", "3", "SETNAME", "n1", "junk\r\nmore"],
      ["HELLO", "4", "FOO"],
      // None of the failed HELLOs above changed the protocol.
      ["PING"],
      ["CLIENT", "GETNAME"],
    ],
  },
  {
    name: "hello switches protocol",
    steps: [
      // The id inside HELLO's map differs between servers (see the focused test below).
      { cmd: ["HELLO", "3"], compare: "type" },
      ["CLIENT", "GETNAME"],
      { cmd: ["HELLO", "2"], compare: "type" },
      ["CLIENT", "GETNAME"],
      { cmd: ["HELLO"], compare: "type" },
      { cmd: ["hello", "3", "SETNAME", "conn1"], compare: "type" },
      ["CLIENT", "GETNAME"],
      { cmd: ["HELLO", "2", "AUTH", "default", "whatever", "SETNAME", "conn2"], compare: "type" },
      ["CLIENT", "GETNAME"],
      { cmd: ["HELLO", "3", "SETNAME", ""], compare: "type" },
      ["CLIENT", "GETNAME"],
      { cmd: ["HELLO", "2", "SETNAME", "a", "SETNAME", "b"], compare: "type" },
      ["CLIENT", "GETNAME"],
    ],
  },
  {
    name: "auth without requirepass",
    steps: [
      ["AUTH", "pw"],
      ["AUTH", "default", "anything"],
      ["AUTH", "DEFAULT", "anything"],
      ["AUTH", "nouser", "pw"],
      ["AUTH", "a", "b", "c"],
      ["AUTH"],
      ["PING"],
    ],
  },
  {
    name: "select",
    steps: [
      ["SET", "conn:sel", "db0"],
      ["SELECT", "1"],
      ["GET", "conn:sel"],
      ["SET", "conn:sel", "db1"],
      ["SELECT", "15"],
      ["SELECT", "16"],
      ["SELECT", "-1"],
      ["SELECT", "x"],
      ["SELECT", "01"],
      ["SELECT", "1.5"],
      ["SELECT", "4294967296"],
      ["SELECT", "-2147483649"],
      ["SELECT", "2147483647"],
      ["SELECT"],
      ["SELECT", "1", "2"],
      ["GET", "conn:sel"],
      ["SELECT", "0"],
      ["GET", "conn:sel"],
    ],
  },
  {
    name: "swapdb",
    steps: [
      ["SET", "conn:sw", "zero"],
      ["SELECT", "1"],
      ["SET", "conn:sw", "one"],
      ["SET", "conn:sw1", "only-one"],
      ["SWAPDB", "0", "1"],
      ["GET", "conn:sw"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["GET", "conn:sw"],
      ["GET", "conn:sw1"],
      ["SWAPDB", "1", "0"],
      ["GET", "conn:sw"],
      ["SWAPDB", "0", "0"],
      ["GET", "conn:sw"],
      ["SWAPDB", "0", "15"],
      ["DBSIZE"],
      ["SWAPDB", "15", "0"],
      ["DBSIZE"],
      ["SWAPDB", "0", "16"],
      ["SWAPDB", "-1", "0"],
      ["SWAPDB", "x", "0"],
      ["SWAPDB", "0", "x"],
      ["SWAPDB", "x", "y"],
      ["SWAPDB", "99999999999", "0"],
      ["SWAPDB", "0", "99999999999"],
      ["SWAPDB", "1.0", "0"],
      ["SWAPDB", "0"],
      ["SWAPDB", "0", "1", "2"],
    ],
  },
  {
    name: "swapdb with expiry",
    steps: [
      // Expiry times move with their keys.
      ["SET", "conn:swx", "v", "PX", "100"],
      ["SET", "conn:swy", "v"],
      ["SWAPDB", "0", "2"],
      ["GET", "conn:swx"],
      ["SELECT", "2"],
      ["GET", "conn:swx"],
      { cmd: ["GET", "conn:swx"], sleepBefore: 150 },
      ["GET", "conn:swy"],
      ["SELECT", "0"],
    ],
  },
  {
    name: "swapdb touches watched keys",
    steps: [
      ["SET", "conn:w", "1"],
      ["WATCH", "conn:w"],
      { cmd: ["SWAPDB", "0", "3"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      // A watched key missing on both sides is not touched.
      ["WATCH", "conn:none"],
      { cmd: ["SWAPDB", "0", "3"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      // A watched key missing here but present in the other database is touched.
      ["SELECT", "4"],
      ["SET", "conn:w4", "x"],
      ["SELECT", "0"],
      ["WATCH", "conn:w4"],
      { cmd: ["SWAPDB", "4", "0"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "swapdb inside multi",
    steps: [
      ["SET", "conn:swm", "a"],
      ["MULTI"],
      ["SWAPDB", "0", "5"],
      ["GET", "conn:swm"],
      ["SWAPDB", "0", "x"],
      ["EXEC"],
      ["GET", "conn:swm"],
    ],
  },
  {
    name: "quit",
    steps: [["PING"], ["QUIT"], { cmd: ["PING"], compare: "exact" }],
  },
  {
    name: "quit with arguments",
    steps: [["QUIT", "now", "please"], ["PING"]],
  },
  {
    name: "quit inside multi",
    steps: [["MULTI"], ["SET", "conn:q", "1"], ["QUIT"], ["PING"]],
  },
  {
    name: "pipelined commands after quit are not run",
    steps: [
      {
        cmd: [],
        raw: "*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$6\r\nconn:p\r\n$1\r\n1\r\n",
      },
      { cmd: ["GET", "conn:p"], client: 1 },
    ],
  },
  {
    name: "reset",
    steps: [
      ["SELECT", "2"],
      ["CLIENT", "SETNAME", "named"],
      ["CLIENT", "NO-EVICT", "on"],
      ["SET", "conn:r", "1"],
      ["WATCH", "conn:r"],
      ["MULTI"],
      ["SET", "conn:r", "2"],
      ["RESET"],
      // RESET left MULTI, dropped the queue and the WATCH, went back to db 0 and RESP2.
      ["EXEC"],
      ["GET", "conn:r"],
      ["CLIENT", "GETNAME"],
      // An aggregate that differs between RESP2 and RESP3 shows RESET went back to RESP2.
      ["CLIENT", "TRACKINGINFO"],
      ["SELECT", "2"],
      ["GET", "conn:r"],
      ["RESET", "x"],
    ],
  },
  {
    name: "reset turns replies back on",
    steps: [
      { cmd: ["CLIENT", "REPLY", "OFF"], replies: 0 },
      { cmd: ["PING"], replies: 0 },
      ["RESET"],
      ["PING"],
      // RESET does not cancel the skipping of its own reply.
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      { cmd: ["RESET"], replies: 0 },
      ["PING"],
      { cmd: ["CLIENT", "REPLY", "OFF"], replies: 0 },
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      ["RESET"],
      ["PING"],
    ],
  },
  {
    name: "reset drops watches touched by others",
    steps: [
      ["WATCH", "conn:rw"],
      { cmd: ["SET", "conn:rw", "x"], client: 1 },
      ["RESET"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
]);

paritySuite(
  "connection with requirepass",
  [
    {
      name: "commands need auth",
      steps: [
        ["PING"],
        ["GET", "x"],
        ["SELECT", "1"],
        ["CLIENT", "ID"],
        ["NOSUCH"],
        ["ECHO"],
        ["HELLO"],
        ["HELLO", "2"],
        ["HELLO", "4"],
        ["HELLO", "x"],
        ["HELLO", "3", "FOO"],
        ["AUTH"],
        ["AUTH", "bad"],
        ["AUTH", "default", "bad"],
        ["AUTH", "nouser", "pw"],
        ["AUTH", "a", "b", "c"],
        ["PING"],
        ["AUTH", "pw"],
        ["PING"],
        // A failed AUTH does not log an authenticated client out.
        ["AUTH", "bad"],
        ["PING"],
        ["AUTH", "default", "pw"],
        ["PING"],
      ],
    },
    {
      name: "hello auth",
      steps: [
        ["HELLO", "2", "AUTH", "default", "bad"],
        ["PING"],
        ["HELLO", "2", "AUTH", "nouser", "pw"],
        // The id inside HELLO's map differs between servers.
        { cmd: ["HELLO", "2", "AUTH", "default", "pw"], compare: "type" },
        ["PING"],
        ["CLIENT", "GETNAME"],
      ],
    },
    {
      name: "hello setname before failing auth keeps the name",
      steps: [
        ["HELLO", "3", "SETNAME", "early"],
        ["HELLO", "3", "SETNAME", "early2", "AUTH", "default", "bad"],
        ["AUTH", "pw"],
        ["CLIENT", "GETNAME"],
      ],
    },
    {
      name: "hello auth then bad setname keeps the auth",
      steps: [["HELLO", "2", "AUTH", "default", "pw", "SETNAME", "a b"], ["PING"], ["CLIENT", "GETNAME"]],
    },
    {
      name: "hello auth with a bad option after it",
      steps: [["HELLO", "2", "AUTH", "default", "pw", "FOO"], ["PING"]],
    },
    {
      name: "reset logs out",
      steps: [
        ["AUTH", "pw"],
        ["SELECT", "1"],
        ["RESET"],
        ["PING"],
        ["SELECT", "1"],
        ["AUTH", "pw"],
        ["PING"],
      ],
    },
    {
      name: "unauthenticated protocol limits",
      steps: [
        // Unauthenticated clients may not send multibulks longer than 10 elements.
        {
          cmd: [],
          raw: "*11\r\n$4\r\nPING\r\n",
        },
      ],
    },
    {
      name: "unauthenticated bulk limit",
      steps: [{ cmd: [], raw: "*2\r\n$4\r\nPING\r\n$16385\r\n" }],
    },
    {
      name: "authenticated clients have no such limits",
      steps: [
        ["AUTH", "pw"],
        ["PING", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
        ["ECHO", "x".repeat(20000)],
      ],
    },
    {
      name: "quit and reset are allowed unauthenticated",
      steps: [["RESET"], ["QUIT"]],
    },
  ],
  { redisArgs: ["--requirepass", "pw"], reddishConfig: { requirepass: "pw" } },
);

/** Replaces the value following the bulk string `id` in a HELLO map with a placeholder. */
function maskHelloId(reply: Parsed | null): string {
  assert.ok(reply && Array.isArray(reply.value), "HELLO replies with an aggregate");
  const items = reply.value;
  const parts = items.map((item, i) => {
    const previous = items[i - 1];
    if (previous && previous.value === "id") {
      assert.equal(item.type, ":", "the id is an integer");
      return ":<id>";
    }
    return item.raw.toString("latin1");
  });
  return `${reply.raw.subarray(0, reply.raw.indexOf("\r\n") + 2).toString("latin1")}${parts.join("")}`;
}

describe("HELLO reply, id masked", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer();
  });
  after(async () => {
    await redis.stop();
    await reddish.close();
  });

  test("every form of HELLO gives the same map, bar the id", async () => {
    const forms = [
      ["HELLO"],
      ["HELLO", "3"],
      ["HELLO"],
      ["HELLO", "2"],
      ["HELLO", "2", "SETNAME", "n"],
      ["HELLO", "3", "AUTH", "default", "x"],
    ];
    const sides = await Promise.all([redis.port, reddish.port].map((port) => RawConnection.connect(port)));
    try {
      for (const form of forms) {
        const [expected, actual] = await Promise.all(sides.map((conn) => conn.call(...form)));
        assert.equal(maskHelloId(actual!), maskHelloId(expected!), form.join(" "));
      }
      // The id is the connection's CLIENT ID.
      const conn = sides[1]!;
      const hello = await conn.call("HELLO", "2");
      const id = await conn.call("CLIENT", "ID");
      const items = hello!.value as Parsed[];
      const at = items.findIndex((p) => p.value === "id");
      assert.equal(items[at + 1]!.value, id!.value);
    } finally {
      for (const conn of sides) conn.close();
    }
  });
});
