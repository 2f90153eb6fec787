/**
 * Parity cases for the COMMAND container. Replies for single commands are compared byte for
 * byte; containers list their subcommands in Redis's hash order (and reddish lists only the ones
 * it implements), so those are checked by the normalising test at the end.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { keysOrError } from "../../src/commands/keys.js";
import { REDIS_COMMANDS } from "../../src/commands/registry.js";
import type { CommandMeta } from "../../src/commands/spec.js";
import { startServer, type ReddishServer } from "../../src/index.js";
import { paritySuite, RawConnection, startRealRedis, type Parsed, type RealRedis } from "./harness.js";

paritySuite("command", [
  {
    name: "command info of commands",
    steps: [
      ["COMMAND", "INFO", "get"],
      ["COMMAND", "INFO", "GET"],
      ["COMMAND", "INFO", "set", "mset", "bitfield"],
      ["COMMAND", "INFO", "sintercard", "copy", "ping", "flushall", "info", "debug"],
      ["COMMAND", "INFO", "nosuch"],
      ["COMMAND", "INFO", "get", "nosuch", "del"],
      ["COMMAND", "INFO", "config|get"],
      ["COMMAND", "INFO", "CONFIG|SET", "command|getkeys", "memory|usage"],
      ["COMMAND", "INFO", "config|nosuch"],
      ["COMMAND", "INFO", "get|x"],
      ["COMMAND", "INFO", "config|get|x"],
      ["COMMAND", "INFO", ""],
    ],
  },
  {
    name: "command docs",
    steps: [
      ["COMMAND", "DOCS", "get"],
      ["COMMAND", "DOCS", "set", "GET"],
      ["COMMAND", "DOCS", "nosuch"],
      ["COMMAND", "DOCS", "nosuch", "mset"],
      ["COMMAND", "DOCS", "config|set"],
      ["COMMAND", "DOCS", "memory|usage", "command|list"],
      ["COMMAND", "DOCS", "flushall", "info", "debug", "bitfield", "sintercard"],
    ],
  },
  {
    // Redis lists commands in hash order: compare unordered.
    name: "command list with filters",
    steps: [
      { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "flush*"], compare: "unordered" },
      { cmd: ["COMMAND", "LIST", "FILTERBY", "pattern", "config*"], compare: "unordered" },
      { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG|G*"], compare: "unordered" },
      { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "command*"], compare: "unordered" },
      { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "memory|*"], compare: "unordered" },
      { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "s?nter*"], compare: "unordered" },
      ["COMMAND", "LIST", "FILTERBY", "PATTERN", "nomatch*"],
      ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"],
      ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
      ["COMMAND", "LIST", "FILTERBY", "foo", "bar"],
      ["COMMAND", "LIST", "FILTERBY", "PATTERN"],
      ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"],
      ["COMMAND", "LIST", "foo"],
      ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "FILTERBY", "PATTERN", "b"],
    ],
  },
  {
    name: "command getkeys",
    steps: [
      ["COMMAND", "GETKEYS", "get", "a"],
      ["COMMAND", "GETKEYS", "GET", "a"],
      ["COMMAND", "GETKEYS", "set", "a", "b"],
      ["COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"],
      ["COMMAND", "GETKEYS", "mset", "a", "1", "b"],
      ["COMMAND", "GETKEYS", "del", "a", "b", "c"],
      ["COMMAND", "GETKEYS", "copy", "a", "b", "REPLACE"],
      ["COMMAND", "GETKEYS", "rename", "a", "b"],
      ["COMMAND", "GETKEYS", "smove", "a", "b", "m"],
      ["COMMAND", "GETKEYS", "sinterstore", "d", "a", "b"],
      ["COMMAND", "GETKEYS", "bitop", "and", "d", "a", "b"],
      ["COMMAND", "GETKEYS", "lcs", "a", "b"],
      ["COMMAND", "GETKEYS", "watch", "a", "b"],
      ["COMMAND", "GETKEYS", "sintercard", "2", "a", "b"],
      ["COMMAND", "GETKEYS", "sintercard", "1", "a", "LIMIT", "5"],
      ["COMMAND", "GETKEYS", "sintercard", "2", "a"],
      ["COMMAND", "GETKEYS", "sintercard", "0", "a"],
      ["COMMAND", "GETKEYS", "sintercard", "2abc", "a", "b"],
      ["COMMAND", "GETKEYS", "sintercard", "x", "a"],
      ["COMMAND", "GETKEYS", "object", "encoding", "k"],
      ["COMMAND", "GETKEYS", "memory", "usage", "k"],
      ["COMMAND", "GETKEYS", "bitfield", "k", "get", "u8", "0"],
    ],
  },
  {
    name: "command getkeys errors",
    steps: [
      ["COMMAND", "GETKEYS"],
      ["COMMAND", "GETKEYS", "get"],
      ["COMMAND", "GETKEYS", "ping"],
      ["COMMAND", "GETKEYS", "nosuch", "a"],
      ["COMMAND", "GETKEYS", "get", "a", "b"],
      ["COMMAND", "GETKEYS", "set", "a"],
      ["COMMAND", "GETKEYS", "ping", "x"],
      ["COMMAND", "GETKEYS", "client", "list"],
      ["COMMAND", "GETKEYS", "CLIENT", "LIST"],
      ["COMMAND", "GETKEYS", "config", "get", "x"],
      ["COMMAND", "GETKEYS", "client", "nosuch"],
      ["COMMAND", "GETKEYS", "client"],
      ["COMMAND", "GETKEYS", "config", "x"],
      ["COMMAND", "GETKEYS", "exec", "x"],
      ["COMMAND", "GETKEYS", "object", "encoding"],
    ],
  },
  {
    name: "command getkeysandflags",
    steps: [
      ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"],
      ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"],
      ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "EX", "10", "get"],
      ["COMMAND", "GETKEYSANDFLAGS", "get", "a"],
      ["COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"],
      ["COMMAND", "GETKEYSANDFLAGS", "copy", "a", "b"],
      ["COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"],
      ["COMMAND", "GETKEYSANDFLAGS", "sinterstore", "d", "a", "b"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "get", "u8", "0"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "get", "u8", "0", "overflow", "sat"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "set", "u8", "0", "1"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "incrby", "u8", "0", "1"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "nosuch"],
      ["COMMAND", "GETKEYSANDFLAGS", "bitfield", "k"],
      ["COMMAND", "GETKEYSANDFLAGS", "sintercard", "2abc", "a", "b"],
      ["COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a"],
      ["COMMAND", "GETKEYSANDFLAGS", "nosuch"],
      ["COMMAND", "GETKEYSANDFLAGS", "client", "list"],
    ],
  },
  {
    name: "command count, help and errors",
    steps: [
      // reddish counts the commands it implements, Redis all of its own.
      { cmd: ["COMMAND", "COUNT"], compare: "type" },
      ["COMMAND", "COUNT", "x"],
      ["COMMAND", "HELP"],
      ["COMMAND", "help"],
      ["COMMAND", "HELP", "x"],
      ["COMMAND", "NOSUCH"],
      ["COMMAND", "NOSUCH", "x"],
    ],
  },
]);

// ---- containers: Redis's subcommand order is hash order, reddish lists implemented ones ----

function canonical(p: Parsed): string {
  if (Array.isArray(p.value)) return `${p.type}[${p.value.map(canonical).join(",")}]`;
  return `${p.type}${JSON.stringify(p.value)}`;
}

function items(p: Parsed | null): Parsed[] {
  assert.ok(p && Array.isArray(p.value), `expected an aggregate, got ${p && p.type}`);
  return p.value as Parsed[];
}

/** A COMMAND INFO entry with its subcommand list (element 9 of the reply) sorted and filtered to `keep`. */
function normaliseInfo(entry: Parsed, keep?: Set<string>): string {
  const parts = items(entry);
  const subs = items(parts[9]!)
    .filter((s) => !keep || keep.has(String(items(s)[0]!.value)))
    .map(canonical)
    .sort();
  return `${parts.slice(0, 9).map(canonical).join(",")}|${subs.join(",")}`;
}

/** Names in a COMMAND INFO entry's subcommand list. */
function subNames(entry: Parsed): Set<string> {
  return new Set(items(items(entry)[9]!).map((s) => String(items(s)[0]!.value)));
}

/** A COMMAND DOCS value with its `subcommands` map sorted and filtered to `keep`. */
function normaliseDocs(value: Parsed, keep?: Set<string>): string {
  const kv = items(value);
  const out: string[] = [];
  for (let i = 0; i < kv.length; i += 2) {
    if (kv[i]!.value === "subcommands") {
      const subs = items(kv[i + 1]!);
      const entries: string[] = [];
      for (let j = 0; j < subs.length; j += 2) {
        if (keep && !keep.has(String(subs[j]!.value))) continue;
        entries.push(`${canonical(subs[j]!)}=${canonical(subs[j + 1]!)}`);
      }
      out.push(`subcommands{${entries.sort().join(",")}}`);
    } else out.push(`${canonical(kv[i]!)}=${canonical(kv[i + 1]!)}`);
  }
  return out.join(",");
}

describe("command (containers)", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  const conns: RawConnection[] = [];
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer({ config: { "enable-debug-command": "yes" } });
    for (const port of [redis.port, reddish.port]) {
      for (const resp of [2, 3]) {
        const conn = await RawConnection.connect(port);
        if (resp === 3) await conn.call("HELLO", "3");
        conns.push(conn);
      }
    }
  });
  after(async () => {
    for (const conn of conns) conn.close();
    await redis.stop();
    await reddish.close();
  });

  const containers = ["config", "command", "memory", "client", "object"];

  for (const [i, resp] of [2, 3].entries()) {
    test(`COMMAND INFO of containers: Redis's entry, implemented subcommands only [RESP${resp}]`, async () => {
      for (const name of containers) {
        const expected = items(await conns[i]!.call("COMMAND", "INFO", name))[0]!;
        const actual = items(await conns[2 + i]!.call("COMMAND", "INFO", name))[0]!;
        const implemented = subNames(actual);
        for (const sub of implemented) assert.ok(subNames(expected).has(sub), `${sub} is not in Redis`);
        assert.equal(normaliseInfo(actual), normaliseInfo(expected, implemented), name);
      }
    });

    test(`COMMAND DOCS of containers: Redis's docs, implemented subcommands only [RESP${resp}]`, async () => {
      for (const name of containers) {
        const actualInfo = items(await conns[2 + i]!.call("COMMAND", "INFO", name))[0]!;
        const implemented = subNames(actualInfo);
        const expected = items(await conns[i]!.call("COMMAND", "DOCS", name));
        const actual = items(await conns[2 + i]!.call("COMMAND", "DOCS", name));
        assert.equal(canonical(actual[0]!), canonical(expected[0]!));
        assert.equal(normaliseDocs(actual[1]!), normaliseDocs(expected[1]!, implemented), name);
      }
    });

    test(`COMMAND and COMMAND INFO list every implemented command with Redis's entry [RESP${resp}]`, async () => {
      const all = items(await conns[2 + i]!.call("COMMAND"));
      const count = await conns[2 + i]!.call("COMMAND", "COUNT");
      assert.equal(all.length, Number(count!.value));
      const viaInfo = items(await conns[2 + i]!.call("COMMAND", "INFO"));
      assert.equal(viaInfo.length, all.length);
      for (const entry of all) {
        const name = String(items(entry)[0]!.value);
        const expected = items(await conns[i]!.call("COMMAND", "INFO", name))[0]!;
        if (expected.type === "_" || expected.value === null) {
          // Newer than the reference server (Redis 7.4's HEXPIRE family): its hand-written
          // metadata is checked by its unit test, as test/meta/coverage.test.ts requires.
          assert.ok(!REDIS_COMMANDS[name], `${name} is unknown to the reference server`);
          continue;
        }
        assert.equal(normaliseInfo(entry), normaliseInfo(expected, subNames(entry)), name);
      }
      const docs = items(await conns[2 + i]!.call("COMMAND", "DOCS"));
      assert.equal(docs.length, all.length * 2);
    });
  }
});

// ---- key extraction for every kind of key spec, including commands reddish does not serve yet ----

/** Command lines exercising each key-spec shape and each command-specific key procedure. */
const KEY_CASES: string[][] = [
  ["get", "a"],
  ["set", "a", "b", "get"],
  ["mset", "a", "1", "b"],
  ["blpop", "a", "b", "0"],
  ["brpoplpush", "a", "b", "0"],
  ["lmove", "a", "b", "left", "right"],
  ["pfmerge", "d", "a", "b"],
  ["zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"],
  ["zunionstore", "d", "5", "a"],
  ["zunionstore", "d", "2a", "a", "b"],
  ["zinterstore", "d", "1", "a"],
  ["zdiffstore", "d", "0", "a"],
  ["zunion", "2", "a", "b"],
  ["zinter", "3", "a", "b"],
  ["zdiff", "1", "a", "WITHSCORES"],
  ["zintercard", "2", "a", "b", "LIMIT", "1"],
  ["eval", "return 1", "2", "a", "b", "c"],
  ["eval", "return 1", "0"],
  ["eval", "return 1", "5", "a"],
  ["eval", "return 1", "2abc", "a", "b"],
  ["evalsha_ro", "abc", "1", "k"],
  ["fcall", "f", "1", "k", "arg"],
  ["fcall_ro", "f", "x", "k"],
  ["sort", "a"],
  ["sort", "a", "store", "b", "by", "x", "get", "y"],
  ["sort", "a", "LIMIT", "0", "1", "STORE", "b", "STORE", "c"],
  ["sort", "a", "store"],
  ["sort_ro", "a", "by", "x"],
  ["migrate", "h", "p", "k", "0", "5"],
  ["migrate", "h", "p", "", "0", "5", "KEYS", "a", "b"],
  ["migrate", "h", "p", "", "0", "5", "COPY", "AUTH", "pw", "KEYS", "a", "b"],
  ["migrate", "h", "p", "", "0", "5", "AUTH2", "u", "keys", "KEYS", "a"],
  ["migrate", "h", "p", "k", "0", "5", "KEYS", "a"],
  ["georadius", "k", "0", "0", "1", "km", "store", "d"],
  ["georadius", "k", "0", "0", "1", "km", "STORE", "d", "STOREDIST", "e"],
  ["georadius", "k", "0", "0", "1", "km"],
  ["georadiusbymember", "k", "m", "1", "km", "storedist", "d"],
  ["georadius_ro", "k", "0", "0", "1", "km"],
  ["xread", "count", "2", "streams", "a", "b", "0", "0"],
  ["xread", "streams", "a", "b", "0"],
  ["xread", "block", "0", "streams", "a", "0"],
  ["xreadgroup", "group", "g", "c", "streams", "a", "0"],
  ["xreadgroup", "group", "g", "c", "noack", "count", "1", "streams", "a", "b", ">", ">"],
  ["lmpop", "2", "a", "b", "left"],
  ["lmpop", "5", "a", "left"],
  ["blmpop", "0", "2", "a", "b", "left"],
  ["zmpop", "1", "a", "min"],
  ["bzmpop", "0", "1", "a", "max", "count", "2"],
  ["sintercard", "2", "a"],
  ["bitfield", "k", "get", "u8", "0", "set", "u8", "0", "1"],
  ["bitfield", "k", "overflow", "wrap"],
  ["bitfield_ro", "k", "get", "u8", "0"],
  ["ssubscribe", "ch"],
  ["spublish", "ch", "msg"],
  ["sunsubscribe", "ch"],
  ["xinfo", "stream", "s"],
  ["xgroup", "create", "s", "g", "$"],
  ["object", "freq", "k"],
  ["memory", "usage", "k"],
  ["pubsub", "channels"],
  ["getex", "k", "PERSIST"],
  ["lcs", "a", "b"],
  ["restore", "k", "0", "x"],
  ["rename", "a", "b"],
];

/** Metadata of `argv`'s command the way Redis resolves it (a container's subcommand). */
function metaOf(argv: string[]): CommandMeta | undefined {
  const top = REDIS_COMMANDS[argv[0]!.toLowerCase()];
  if (!top || Object.keys(top.subcommands).length === 0 || argv.length < 2) return top;
  return top.subcommands[`${top.name}|${argv[1]!.toLowerCase()}`];
}

describe("getKeys against Redis's COMMAND GETKEYSANDFLAGS", () => {
  let redis: RealRedis;
  let conn: RawConnection;
  before(async () => {
    redis = await startRealRedis();
    conn = await RawConnection.connect(redis.port);
  });
  after(async () => {
    conn.close();
    await redis.stop();
  });

  test("every key-spec shape and key procedure", async () => {
    for (const argv of KEY_CASES) {
      const reply = await conn.call("COMMAND", "GETKEYSANDFLAGS", ...argv);
      const meta = metaOf(argv);
      assert.ok(meta, argv.join(" "));
      const ours = keysOrError(meta, argv);
      const label = argv.join(" ");
      if (reply!.type === "-") {
        assert.equal(typeof ours === "string" ? ours : JSON.stringify(ours), reply!.value, label);
        continue;
      }
      assert.ok(typeof ours !== "string", `${label}: ${String(ours)} but Redis found keys`);
      const expected = items(reply).map((pair) => {
        const [key, flags] = items(pair);
        return [key!.value, items(flags!).map((f) => f.value)];
      });
      assert.deepEqual(
        ours.map((k) => [argv[k.pos], [...k.flags]]),
        expected,
        label,
      );
    }
  });
});
