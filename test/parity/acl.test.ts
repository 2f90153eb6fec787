/**
 * Parity: ACL users (SETUSER rules, GETUSER, LIST, USERS, WHOAMI, DELUSER, CAT, GENPASS, HELP)
 * and AUTH / HELLO AUTH against them. Every case deletes the users it creates at its end, so both
 * servers start each case with only `default`. Redis describes command rules by walking its
 * command dict in hash order (random per server start), so cases keep to at most one single-command
 * rule beside categories where the description is compared byte for byte.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import {
  type Parsed,
  paritySuite,
  RawConnection,
  startRealRedis,
  type ParityCase,
  type RealRedis,
} from "./harness.js";

const HASH_X = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

/** Steps deleting the users a case made, so the next case starts clean. */
function cleanup(...users: string[]): (string | Buffer)[][] {
  return [
    ["ACL", "DELUSER", ...users],
    ["ACL", "LIST"],
  ];
}

const cases: ParityCase[] = [
  {
    name: "default user",
    steps: [
      ["ACL", "LIST"],
      ["ACL", "USERS"],
      ["ACL", "WHOAMI"],
      ["ACL", "GETUSER", "default"],
      ["ACL", "GETUSER", "nosuch"],
      ["ACL", "DELUSER", "default"],
      ["ACL", "DELUSER", "nosuch", "default"],
      ["ACL", "DELUSER", "nosuch"],
      ["ACL", "WHOAMI", "x"],
      ["ACL", "SETUSER"],
      ["ACL", "DELUSER"],
      ["ACL", "FOO"],
      ["ACL"],
    ],
  },
  {
    name: "setuser basic rules and getuser",
    steps: [
      ["ACL", "SETUSER", "bob"],
      ["ACL", "LIST"],
      ["ACL", "GETUSER", "bob"],
      ["ACL", "SETUSER", "alice", "on", ">p1", "~foo*", "%R~bar", "&ch*", "+@hash"],
      ["ACL", "GETUSER", "alice"],
      ["ACL", "SETUSER", "alice", "-hset"],
      ["ACL", "LIST"],
      ["ACL", "SETUSER", "alice", "resetchannels", "&x", "&x", "~foo*", "%W~foo*"],
      ["ACL", "GETUSER", "alice"],
      ["ACL", "SETUSER", "carol", "on", "nopass", "allkeys", "allchannels", "allcommands", "-@dangerous"],
      ["ACL", "GETUSER", "carol"],
      ["ACL", "SETUSER", "dave", `#${HASH_X}`, ">y", "<y", "~a", "%W~b", "%RW~c", "%wr~d"],
      ["ACL", "GETUSER", "dave"],
      ["ACL", "SETUSER", "dave", `!${HASH_X}`, "nocommands", "+get"],
      ["ACL", "GETUSER", "dave"],
      ["ACL", "SETUSER", "dave", "-get", "+client|id", "resetkeys", "nopass"],
      ["ACL", "LIST"],
      ["ACL", "SETUSER", "dave", "reset"],
      ["ACL", "GETUSER", "dave"],
      ["ACL", "SETUSER", "dave", "skip-sanitize-payload", "+select|0", "-@all", "+select|1"],
      ["ACL", "LIST"],
      ["ACL", "SETUSER", "eve", "on", "+@all", "-@admin"],
      ["ACL", "GETUSER", "eve"],
      ["ACL", "SETUSER", "eve", "-@all", "+@hash", "+@string"],
      ["ACL", "GETUSER", "eve"],
      ["ACL", "SETUSER", "eve", "resetpass", ">a", ">b", ">a", "<b", "RESETKEYS", "ALLKEYS", "ON", "OFF"],
      ["ACL", "GETUSER", "eve"],
      ["ACL", "USERS"],
      ["ACL", "DELUSER", "bob", "nosuch", "carol"],
      ...cleanup("alice", "dave", "eve"),
    ],
  },
  {
    name: "setuser errors change nothing",
    steps: [
      ["ACL", "SETUSER", "eve", "foo"],
      ["ACL", "SETUSER", "eve", "+nosuch"],
      ["ACL", "SETUSER", "eve", "+@nosuch"],
      ["ACL", "SETUSER", "eve", "-@nosuch"],
      ["ACL", "SETUSER", "eve", "~a b"],
      ["ACL", "SETUSER", "eve", "allkeys", "~x"],
      ["ACL", "SETUSER", "eve", "allchannels", "&x"],
      ["ACL", "SETUSER", "eve", "<nope"],
      ["ACL", "SETUSER", "eve", "#abc"],
      ["ACL", "SETUSER", "eve", "!abc"],
      ["ACL", "SETUSER", "eve", `#${HASH_X.toUpperCase()}`],
      ["ACL", "SETUSER", "eve", "+client|id|x"],
      ["ACL", "SETUSER", "eve", "+get|"],
      ["ACL", "SETUSER", "eve", "-get|x"],
      ["ACL", "SETUSER", "eve", "+config|nosuch"],
      ["ACL", "SETUSER", "eve", "%X~a"],
      ["ACL", "SETUSER", "eve", "%RR~a"],
      ["ACL", "SETUSER", "eve", "&a\r\nb"],
      ["ACL", "SETUSER", "a b"],
      ["ACL", "SETUSER", "eve", "on", ">pw", "bogus"],
      // None of the failed calls created eve.
      ["ACL", "USERS"],
      ["ACL", "SETUSER", "eve", "on", ">pw"],
      ["ACL", "SETUSER", "eve", "off", ">other", "bogus"],
      ["ACL", "LIST"],
      ["ACL", "SETUSER", "eve", ""],
      ...cleanup("eve"),
    ],
  },
  {
    name: "selectors",
    steps: [
      ["ACL", "SETUSER", "sel", "on", "nopass", "(~a* +get)", "(", "%R~b*", "+@hash", ")"],
      ["ACL", "GETUSER", "sel"],
      ["ACL", "LIST"],
      ["ACL", "SETUSER", "sel", "(~x"],
      ["ACL", "SETUSER", "sel", "(~x", "+nosuch)"],
      ["ACL", "SETUSER", "sel", "(+nosuch)"],
      ["ACL", "SETUSER", "sel", "clearselectors"],
      ["ACL", "GETUSER", "sel"],
      ["ACL", "SETUSER", "sel", "(~z)", "reset"],
      ["ACL", "LIST"],
      ...cleanup("sel"),
    ],
  },
  {
    name: "cat and genpass",
    steps: [
      ["ACL", "CAT"],
      // Redis lists a category's commands in its command dict's hash order.
      { cmd: ["ACL", "CAT", "hash"], compare: "unordered" },
      { cmd: ["ACL", "CAT", "DANGEROUS"], compare: "unordered" },
      { cmd: ["ACL", "CAT", "scripting"], compare: "unordered" },
      ["ACL", "CAT", "nosuch"],
      ["ACL", "CAT", "a", "b"],
      // Random passwords: only their length is compared.
      { cmd: ["ACL", "GENPASS"], compare: "type" },
      ["STRLEN", "x"],
      ["ACL", "GENPASS", "0"],
      ["ACL", "GENPASS", "-1"],
      ["ACL", "GENPASS", "4097"],
      ["ACL", "GENPASS", "x"],
      ["ACL", "GENPASS", "1", "2"],
      ["ACL", "HELP"],
      ["ACL", "HELP", "x"],
    ],
  },
  {
    name: "genpass lengths",
    steps: [1, 4, 5, 7, 8, 255, 256, 4096].flatMap((bits) => [
      ["EVAL", "return string.len(redis.call('ACL','GENPASS',ARGV[1]))", "0", String(bits)],
    ]),
  },
  {
    name: "auth and hello auth as users",
    steps: [
      ["ACL", "SETUSER", "u1", "on", ">pw1", ">pw2", "allkeys", "+@all"],
      ["ACL", "SETUSER", "u2", "off", ">pw"],
      ["ACL", "SETUSER", "u3", "on", "nopass"],
      ["ACL", "SETUSER", "u4", "on"],
      ["AUTH", "u1", "bad"],
      ["AUTH", "nosuch", "pw1"],
      ["AUTH", "u2", "pw"],
      ["AUTH", "u4", ""],
      ["AUTH", "pw1"],
      ["ACL", "WHOAMI"],
      ["AUTH", "u1", "pw2"],
      ["ACL", "WHOAMI"],
      ["AUTH", "u3", "anything"],
      ["ACL", "WHOAMI"],
      ["AUTH", "default", "x"],
      ["ACL", "WHOAMI"],
      { cmd: ["HELLO", "2", "AUTH", "u2", "pw"] },
      { cmd: ["HELLO", "2", "AUTH", "u1", "pw1"], compare: "type" },
      ["ACL", "WHOAMI"],
      ["RESET"],
      ["ACL", "WHOAMI"],
      ["AUTH", "u1", "pw1"],
      ["SET", "k", "v"],
      ["GET", "k"],
      ["AUTH", "default", ""],
      ...cleanup("u1", "u2", "u3", "u4"),
    ],
    resp: 2,
  },
  {
    name: "requirepass sets the default user's password",
    steps: [
      ["CONFIG", "SET", "requirepass", "secret"],
      ["ACL", "LIST"],
      ["ACL", "GETUSER", "default"],
      ["AUTH", "default", "bad"],
      ["AUTH", "secret"],
      ["AUTH", "default", "secret"],
      ["CONFIG", "SET", "requirepass", ""],
      ["ACL", "LIST"],
      ["AUTH", "x"],
    ],
  },
  {
    name: "noperm for commands, keys and channels",
    steps: [
      // prettier-ignore
      ["ACL", "SETUSER", "lim", "on", "nopass", "~k*", "%R~r*", "%W~w*", "&news.*", "-@all", "+@string", "+@pubsub", "+acl|whoami", "+multi", "+exec", "+eval", "+client|id"],
      ["AUTH", "lim", "x"],
      ["SET", "k1", "v"],
      ["GET", "k1"],
      ["HSET", "k1", "f", "v"],
      ["CLIENT", "KILL", "ID", "999999"],
      ["GET", "r1"],
      ["SET", "r1", "v"],
      ["SET", "w1", "v"],
      ["GET", "w1"],
      ["MGET", "k1", "zz"],
      ["COPY", "r1", "w1"],
      ["APPEND", "x", "y"],
      ["PUBLISH", "news.a", "m"],
      ["PUBLISH", "sports", "m"],
      ["SUBSCRIBE", "news.a", "sports"],
      ["PSUBSCRIBE", "news.*"],
      ["PSUBSCRIBE", "news.a*"],
      ["PUNSUBSCRIBE"],
      ["MULTI"],
      ["SET", "k2", "v"],
      ["GET", "r2"],
      ["SET", "r2", "v"],
      ["EXEC"],
      ["EVAL", "return redis.call('GET', KEYS[1])", "1", "k1"],
      ["EVAL", "return redis.call('GET', KEYS[1])", "1", "w1"],
      ["EVAL", "return redis.call('HSET', 'k1', 'f', 'v')", "0"],
      ["EVAL", "return redis.pcall('PUBLISH', 'sports', 'm')", "0"],
      ["EVAL", "return redis.pcall('SET', 'r9', 'v')", "0"],
      ["ACL", "WHOAMI"],
      ["ACL", "LIST"],
      ["AUTH", "default", "x"],
      ...cleanup("lim"),
    ],
    resp: 2,
  },
  {
    name: "selectors grant alternatives",
    steps: [
      [
        "ACL",
        "SETUSER",
        "sel",
        "on",
        "nopass",
        "resetchannels",
        "~a*",
        "+get",
        "(~b* +set)",
        "(&c* +publish)",
      ],
      ["AUTH", "sel", "x"],
      ["GET", "a1"],
      ["GET", "b1"],
      ["SET", "b1", "v"],
      ["SET", "a1", "v"],
      ["PUBLISH", "c1", "m"],
      ["PUBLISH", "d1", "m"],
      ["DEL", "a1"],
      ["AUTH", "default", "x"],
      ...cleanup("sel"),
    ],
    resp: 2,
  },
  {
    name: "deluser disconnects the user's clients",
    steps: [
      ["ACL", "SETUSER", "gone", "on", "nopass", "+@all", "~*"],
      ["ACL", "SETUSER", "stay", "on", "nopass", "+@all", "~*"],
      { cmd: ["AUTH", "gone", "x"], client: 1 },
      { cmd: ["AUTH", "stay", "x"], client: 2 },
      { cmd: ["AUTH", "gone", "x"], client: 3 },
      ["ACL", "DELUSER", "gone"],
      { cmd: ["PING"], client: 1 },
      { cmd: ["ACL", "WHOAMI"], client: 2 },
      // The caller itself gets its reply, then is closed.
      { cmd: ["ACL", "DELUSER", "stay"], client: 2 },
      { cmd: ["PING"], client: 2 },
      { cmd: ["PING"], client: 3 },
      ["ACL", "LIST"],
    ],
  },
  {
    name: "setuser closes subscribers that lose their channels",
    steps: [
      ["ACL", "SETUSER", "sub", "on", "nopass", "+@all", "resetchannels", "&news.*", "&chat"],
      { cmd: ["AUTH", "sub", "x"], client: 1 },
      { cmd: ["SUBSCRIBE", "news.a"], client: 1 },
      { cmd: ["AUTH", "sub", "x"], client: 2 },
      { cmd: ["PSUBSCRIBE", "news.*"], client: 2 },
      { cmd: ["AUTH", "sub", "x"], client: 3 },
      { cmd: ["SUBSCRIBE", "chat"], client: 3 },
      // A superset of the old patterns closes nobody.
      ["ACL", "SETUSER", "sub", "&more"],
      { cmd: [], drain: true, client: 1 },
      // news.* goes: the news.a subscriber and the news.* pattern subscriber are closed.
      ["ACL", "SETUSER", "sub", "resetchannels", "&news.a", "&chat"],
      { cmd: [], drain: true, client: 1 },
      { cmd: [], drain: true, client: 2 },
      { cmd: [], drain: true, client: 3 },
      ["ACL", "SETUSER", "sub", "allchannels"],
      { cmd: [], drain: true, client: 3 },
      ...cleanup("sub"),
    ],
    resp: 2,
  },
  {
    name: "reset follows the default user",
    steps: [
      ["ACL", "SETUSER", "default", "off"],
      ["RESET"],
      ["GET", "x"],
      ["AUTH", "default", "x"],
      ["HELLO", "2", "AUTH", "default", "x"],
      { cmd: ["ACL", "SETUSER", "default", "on"], client: 1 },
      ["AUTH", "default", "x"],
      ["GET", "x"],
    ],
    resp: 2,
  },
  {
    name: "client kill user",
    steps: [
      ["ACL", "SETUSER", "kk", "on", "nopass", "+@all"],
      { cmd: ["AUTH", "kk", "x"], client: 1 },
      ["CLIENT", "KILL", "USER", "nosuch"],
      ["CLIENT", "KILL", "USER", "kk"],
      { cmd: ["PING"], client: 1 },
      ["CLIENT", "KILL", "USER", "kk"],
      ...cleanup("kk"),
    ],
  },
  {
    name: "dryrun",
    steps: [
      ["ACL", "SETUSER", "dr", "on", "nopass", "~k*", "&c*", "+get", "+publish", "+client|id", "+select|0"],
      ["ACL", "DRYRUN", "dr", "get", "k"],
      ["ACL", "DRYRUN", "dr", "GET", "z"],
      ["ACL", "DRYRUN", "dr", "set", "k", "v"],
      ["ACL", "DRYRUN", "nosuch", "get", "k"],
      ["ACL", "DRYRUN", "dr", "nosuchcmd"],
      ["ACL", "DRYRUN", "dr", "get"],
      ["ACL", "DRYRUN", "dr", "publish", "d", "m"],
      ["ACL", "DRYRUN", "dr", "publish", "c1", "m"],
      ["ACL", "DRYRUN", "dr", "client", "id"],
      ["ACL", "DRYRUN", "dr", "client", "info"],
      ["ACL", "DRYRUN", "dr", "client", "nosuch"],
      ["ACL", "DRYRUN", "dr", "select", "0"],
      ["ACL", "DRYRUN", "dr", "select", "1"],
      // A command reddish does not serve is still known to ACL (the full 7.0 table).
      ["ACL", "DRYRUN", "dr", "failover"],
      ["ACL", "DRYRUN", "dr"],
      ["ACL", "DRYRUN", "default", "flushall"],
      ...cleanup("dr"),
    ],
  },
  {
    name: "acl log argument errors and load/save without aclfile",
    steps: [
      ["ACL", "LOG", "RESET"],
      ["ACL", "LOG"],
      ["ACL", "LOG", "x"],
      ["ACL", "LOG", "1", "2"],
      ["ACL", "LOG", "reset", "x"],
      ["ACL", "LOG", "-1"],
      ["ACL", "LOG", "0"],
      ["ACL", "LOAD"],
      ["ACL", "SAVE"],
      ["ACL", "LOAD", "x"],
    ],
  },
];

paritySuite("acl", cases);

/**
 * ACL LOG entries, with each entry's `age-seconds` (time) and `client-info` (ids, addresses,
 * memory) masked: everything else (order, counts, reasons, contexts, objects, users) is exact.
 */
function maskLog(reply: Parsed | null): string {
  assert.ok(
    reply && Array.isArray(reply.value),
    `ACL LOG replies with an array: ${reply?.raw.toString("latin1")}`,
  );
  return reply.value
    .map((entry) => {
      assert.ok(Array.isArray(entry.value), "each entry is a map");
      const items = entry.value;
      const head = entry.raw.subarray(0, entry.raw.indexOf("\r\n") + 2).toString("latin1");
      return (
        head +
        items
          .map((item, i) => {
            const key = items[i - 1]?.value;
            if (i % 2 === 1 && key === "age-seconds")
              return `<age ${item.type === "," || item.type === "$"}>`;
            if (i % 2 === 1 && key === "client-info")
              return `<info ${String(item.value).startsWith("id=")} ${/ user=\S* /.exec(String(item.value))?.[0]}>`;
            return item.raw.toString("latin1");
          })
          .join("")
      );
    })
    .join("|");
}

describe("ACL LOG entries, age and client-info masked", () => {
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

  for (const resp of [2, 3]) {
    test(`denials, grouping and auth failures are logged [RESP${resp}]`, async () => {
      const sides = await Promise.all([redis.port, reddish.port].map((port) => RawConnection.connect(port)));
      const both = async (...cmd: string[]): Promise<[Parsed | null, Parsed | null]> => {
        const [a, b] = await Promise.all(sides.map((conn) => conn.call(...cmd)));
        return [a!, b!];
      };
      try {
        if (resp === 3) await both("HELLO", "3");
        const setup: string[][] = [
          ["ACL", "LOG", "RESET"],
          ["CONFIG", "SET", "acllog-max-len", "6"],
          // prettier-ignore
          ["ACL", "SETUSER", "lg", "on", "nopass", "~k*", "&c*", "+get", "+publish", "+eval", "+multi", "+discard", "+acl|log"],
          ["AUTH", "lg", "x"],
          ["GET", "z"],
          ["SET", "k", "v"],
          ["PUBLISH", "d", "m"],
          ["GET", "z"],
          ["MULTI"],
          ["SET", "k", "v"],
          ["GET", "z"],
          ["DISCARD"],
          ["EVAL", "return redis.pcall('GET', 'z')", "0"],
          ["EVAL", "return redis.pcall('SET', 'k', 'v')", "0"],
          ["AUTH", "lg2", "bad"],
          ["hello", "2", "AUTH", "lg3", "bad"],
          ["AuTh", "lg2", "bad"],
          ["GET", "z"],
        ];
        for (const cmd of setup) {
          const [expected, actual] = await both(...cmd);
          assert.equal(actual!.raw.toString("latin1"), expected!.raw.toString("latin1"), cmd.join(" "));
        }
        for (const cmd of [
          ["ACL", "LOG"],
          ["ACL", "LOG", "2"],
          ["ACL", "LOG", "100"],
        ]) {
          const [expected, actual] = await both(...cmd);
          assert.equal(maskLog(actual), maskLog(expected), cmd.join(" "));
        }
        for (const cmd of [
          ["AUTH", "default", "x"],
          ["ACL", "LOG", "RESET"],
          ["ACL", "LOG"],
        ]) {
          const [expected, actual] = await both(...cmd);
          assert.equal(actual!.raw.toString("latin1"), expected!.raw.toString("latin1"), cmd.join(" "));
        }
      } finally {
        await both("CONFIG", "SET", "acllog-max-len", "128").catch(() => undefined);
        await both("ACL", "DELUSER", "lg").catch(() => undefined);
        for (const conn of sides) conn.close();
      }
    });
  }
});

describe("ACL LOAD / SAVE with an aclfile (file paths masked in errors)", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  const dir = mkdtempSync(join(tmpdir(), "reddish-aclfile-"));
  const redisFile = join(dir, "redis.acl");
  const reddishFile = join(dir, "reddish.acl");
  const initial = "user alice on nopass ~a* +get\n  \nuser default on nopass ~* &* +@all -flushall\n";
  before(async () => {
    writeFileSync(redisFile, initial);
    writeFileSync(reddishFile, initial);
    redis = await startRealRedis(["--aclfile", redisFile]);
    reddish = await startServer({ config: { aclfile: reddishFile } });
  });
  after(async () => {
    await redis.stop();
    await reddish.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("save writes ACL LIST's lines, load replaces the users or reports every bad line", async () => {
    const sides = await Promise.all([redis.port, reddish.port].map((port) => RawConnection.connect(port)));
    const files = [redisFile, reddishFile];
    const same = async (...cmd: string[]): Promise<void> => {
      const replies = await Promise.all(sides.map((conn) => conn.call(...cmd)));
      const [expected, actual] = replies.map((r, i) =>
        r!.raw.toString("latin1").split(files[i]!).join("<file>"),
      );
      assert.equal(actual, expected, cmd.join(" "));
    };
    const write = (text: string): void => files.forEach((f) => writeFileSync(f, text));
    try {
      await same("ACL", "LIST");
      await same("ACL", "SETUSER", "bob", "on", ">pw", "(~x +set)");
      await same("ACL", "SAVE");
      assert.equal(readFileSync(reddishFile, "latin1"), readFileSync(redisFile, "latin1"), "saved files");
      await same("ACL", "SETUSER", "carol", "on");
      await same("ACL", "LOAD");
      await same("ACL", "LIST");
      write("user u1 on nopass +get\n");
      await same("ACL", "LOAD");
      await same("ACL", "LIST");
      write(
        "foo bar\nuser\nuser a\tb on\nuser x on +nosuch\nuser d on\nuser d off\nuser s (~a\nuser y ~a b c +nosuch -nosuch2\n",
      );
      await same("ACL", "LOAD");
      await same("ACL", "LIST");
      rmSync(redisFile);
      rmSync(reddishFile);
      await same("ACL", "LOAD");
      await same("ACL", "SAVE");
      assert.equal(readFileSync(reddishFile, "latin1"), readFileSync(redisFile, "latin1"), "saved files");
    } finally {
      for (const conn of sides) conn.close();
    }
  });
});
