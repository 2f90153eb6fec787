/**
 * Parity cases for the server family: FLUSHDB, FLUSHALL, DBSIZE, INFO, CONFIG, TIME, LASTSAVE,
 * SAVE/BGSAVE, DEBUG, MEMORY. Cases that change configuration restore it before they end (the
 * servers are shared by all cases of this file).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { paritySuite, RawConnection, startRealRedis, type Parsed, type RealRedis } from "./harness.js";

paritySuite("server", [
  {
    name: "flushdb and flushall",
    steps: [
      ["SET", "a", "1"],
      ["SET", "b", "2"],
      ["DBSIZE"],
      ["FLUSHDB"],
      ["DBSIZE"],
      ["SET", "a", "1"],
      ["FLUSHDB", "ASYNC"],
      ["FLUSHDB", "sync"],
      ["FLUSHDB", "lazy"],
      ["FLUSHDB", "ASYNC", "SYNC"],
      ["SET", "a", "1"],
      ["SELECT", "1"],
      ["SET", "b", "1"],
      ["FLUSHDB"],
      ["SELECT", "0"],
      ["DBSIZE"],
      ["SELECT", "1"],
      ["SET", "b", "1"],
      ["FLUSHALL"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["DBSIZE"],
      ["FLUSHALL", "async"],
      ["FLUSHALL", "SYNC"],
      ["FLUSHALL", "x"],
      ["FLUSHALL", "sync", "x"],
      ["DBSIZE", "x"],
    ],
  },
  {
    name: "flush inside MULTI and with WATCH",
    steps: [
      ["SET", "w", "1"],
      ["WATCH", "w"],
      ["MULTI"],
      ["FLUSHALL"],
      ["DBSIZE"],
      ["EXEC"],
      ["SET", "w", "1"],
      ["WATCH", "w"],
      { cmd: ["FLUSHDB"], client: 1 },
      ["MULTI"],
      ["GET", "w"],
      ["EXEC"],
    ],
  },
  {
    name: "dbsize counts keys with a TTL and per database",
    steps: [
      ["SET", "a", "1", "EX", "100"],
      ["SET", "b", "1"],
      ["DBSIZE"],
      ["SELECT", "2"],
      ["DBSIZE"],
      ["SET", "c", "1"],
      ["DBSIZE"],
      ["SELECT", "0"],
    ],
  },
  {
    // INFO values (memory, uptime, ids, counters) legitimately differ: only the reply type is
    // compared here; field names per section are checked exactly by the focused test below.
    name: "info sections (reply type)",
    steps: [
      { cmd: ["INFO"], compare: "type" },
      { cmd: ["INFO", "all"], compare: "type" },
      { cmd: ["INFO", "everything"], compare: "type" },
      { cmd: ["INFO", "default"], compare: "type" },
      { cmd: ["INFO", "server", "clients"], compare: "type" },
      { cmd: ["INFO", "commandstats"], compare: "type" },
      { cmd: ["INFO", "latencystats"], compare: "type" },
      { cmd: ["INFO", "memory", "CPU"], compare: "type" },
    ],
  },
  {
    name: "info sections with deterministic content",
    steps: [
      ["INFO", "nosuch"],
      ["INFO", "cluster"],
      ["INFO", "modules"],
      ["INFO", "module_list"],
      ["INFO", "keyspace"],
      ["SET", "a", "1"],
      ["HSET", "h", "f", "v"],
      ["SELECT", "3"],
      ["SET", "x", "1"],
      ["SELECT", "0"],
      ["INFO", "keyspace"],
      ["INFO", "KEYSPACE", "Cluster"],
      ["INFO", "cluster", "keyspace", "cluster", "nosuch"],
      ["INFO", "keyspace", "modules"],
      ["FLUSHALL"],
      ["INFO", "keyspace"],
    ],
  },
  {
    name: "info errorstats after CONFIG RESETSTAT",
    steps: [
      ["CONFIG", "RESETSTAT"],
      ["INFO", "errorstats"],
      ["NOSUCHCOMMAND"],
      ["SET", "s", "v"],
      ["HGET", "s", "x"],
      ["INCR", "s"],
      ["GET"],
      ["INFO", "errorstats"],
      ["CONFIG", "RESETSTAT"],
      ["INFO", "errorstats"],
    ],
  },
  {
    name: "config get: exact names, aliases, case, hidden parameters",
    steps: [
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "GET", "MAXMEMORY"],
      ["CONFIG", "GET", "hash-max-ziplist-entries"],
      ["CONFIG", "GET", "hash-max-listpack-entries"],
      ["CONFIG", "GET", "nosuch"],
      ["CONFIG", "GET", "use-exit-on-panic"],
      ["CONFIG", "GET", "use-exit-*"],
      ["CONFIG", "GET", "rdb-key-save-delay"],
      ["CONFIG", "GET", "lua-time-limit"],
      ["CONFIG", "GET", "slaveof"],
      ["CONFIG", "GET", "databases"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "GET", "client-output-buffer-limit"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "GET", "oom-score-adj-values"],
      ["CONFIG", "GET", "maxmemory-clients"],
      ["CONFIG", "GET", "unixsocketperm"],
      ["CONFIG", "GET", "proto-max-bulk-len"],
      ["CONFIG", "GET", "shutdown-on-sigint"],
      ["CONFIG", "GET", "appendonly"],
      ["CONFIG", "GET"],
    ],
  },
  {
    // Redis answers in its dict's order, which is not deterministic: compare unordered.
    name: "config get: patterns and several arguments",
    steps: [
      { cmd: ["CONFIG", "GET", "maxmemory*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "hash-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "*max-*-entries*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "HASH-MAX-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "lazyfree-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "slave*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "replica*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "cluster-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "tls-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "active*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "h?"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "[hz]*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "hz", "h?", "HZ"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "Hz", "hz"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "maxmemory", "maxmemory*", "timeout"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "MAXMEMORY", "maxmemory-*"], compare: "unordered" },
      { cmd: ["CONFIG", "GET", "zset-max-ziplist-*", "zset-*"], compare: "unordered" },
      ["CONFIG", "GET", "nomatch*"],
    ],
  },
  {
    name: "config set: values, units and canonical forms",
    steps: [
      ["CONFIG", "SET", "maxmemory", "1kb"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "5G"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "1b"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", ""],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "99999999999999999999"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "0"],
      ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"],
      ["CONFIG", "GET", "maxmemory-policy"],
      ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
      ["CONFIG", "SET", "hz", "0"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "1000"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "10"],
      ["CONFIG", "SET", "maxmemory-clients", "50%"],
      ["CONFIG", "GET", "maxmemory-clients"],
      ["CONFIG", "SET", "maxmemory-clients", "99999999999999999999"],
      ["CONFIG", "GET", "maxmemory-clients"],
      ["CONFIG", "SET", "maxmemory-clients", "0"],
      ["CONFIG", "SET", "list-max-ziplist-size", "-5"],
      ["CONFIG", "GET", "list-max-listpack-size"],
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
      ["CONFIG", "SET", "notify-keyspace-events", "gx$lshzeKEtmdnA"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "Kzs"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", ""],
      ["CONFIG", "SET", "appendonly", "YES"],
      ["CONFIG", "GET", "appendonly"],
      ["CONFIG", "SET", "appendonly", "no"],
      ["CONFIG", "SET", "save", "100 5 200 +6"],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "save", "010 0"],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "save", ""],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 2kb 5"],
      ["CONFIG", "GET", "client-output-buffer-limit"],
      ["CONFIG", "SET", "client-output-buffer-limit", "NORMAL 0 0 0 slave 256mb 64mb 60"],
      ["CONFIG", "GET", "client-output-buffer-limit"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50.0 99.50 0 100 1e1"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", ""],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"],
      ["CONFIG", "SET", "oom-score-adj-values", "0 100 50"],
      ["CONFIG", "GET", "oom-score-adj-values"],
      ["CONFIG", "SET", "oom-score-adj-values", "0 200 800"],
      ["CONFIG", "SET", "shutdown-on-sigint", "now nosave"],
      ["CONFIG", "GET", "shutdown-on-sigint"],
      ["CONFIG", "SET", "shutdown-on-sigint", "default NOW"],
      ["CONFIG", "GET", "shutdown-on-sigint"],
      ["CONFIG", "SET", "shutdown-on-sigint", "default"],
      ["CONFIG", "GET", "shutdown-on-sigint"],
      ["CONFIG", "SET", "proc-title-template", "{title} {port}"],
      ["CONFIG", "SET", "proc-title-template", "{{title}} a}b"],
      ["CONFIG", "SET", "proc-title-template", "{title} {listen-addr} {server-mode}"],
      ["CONFIG", "SET", "cluster-announce-hostname", "host-1.example"],
      ["CONFIG", "GET", "cluster-announce-hostname"],
      ["CONFIG", "SET", "cluster-announce-hostname", ""],
      ["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
      ["CONFIG", "GET", "slowlog-log-slower-than"],
      ["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
    ],
  },
  {
    name: "config set: several parameters at once, atomically",
    steps: [
      ["CONFIG", "SET", "maxmemory-samples", "7", "timeout", "3"],
      ["CONFIG", "GET", "maxmemory-samples"],
      ["CONFIG", "GET", "timeout"],
      ["CONFIG", "SET", "maxmemory-samples", "9", "timeout", "abc"],
      ["CONFIG", "GET", "maxmemory-samples"],
      ["CONFIG", "SET", "maxmemory-samples", "9", "nosuch", "1"],
      ["CONFIG", "GET", "maxmemory-samples"],
      ["CONFIG", "SET", "hash-max-ziplist-entries", "100", "hash-max-listpack-entries", "200"],
      ["CONFIG", "GET", "hash-max-listpack-entries"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "512"],
      ["CONFIG", "SET", "hz", "5", "HZ", "6"],
      ["CONFIG", "SET", "timeout", "1", "databases", "3", "nosuch", "1"],
      ["CONFIG", "SET", "nosuch", "1", "databases", "3"],
      ["CONFIG", "SET", "hz", "x", "nosuch", "1"],
      ["CONFIG", "SET", "maxmemory-samples", "5", "timeout", "0"],
    ],
  },
  {
    name: "config set: errors",
    steps: [
      ["CONFIG", "SET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "1", "hz"],
      ["CONFIG", "SET"],
      ["CONFIG", "SET", "nosuch", "1"],
      ["CONFIG", "SET", "maxmemory", "-1"],
      ["CONFIG", "SET", "maxmemory", "12x"],
      ["CONFIG", "SET", "hz", "abc"],
      ["CONFIG", "SET", "hz", "99999999999"],
      ["CONFIG", "SET", "hz", "+5"],
      ["CONFIG", "SET", "hz", "05"],
      ["CONFIG", "SET", "hz", "99999999999999999999"],
      ["CONFIG", "SET", "HASH-MAX-ZIPLIST-VALUE", "x"],
      ["CONFIG", "SET", "maxclients", "0"],
      ["CONFIG", "SET", "maxclients", "-5"],
      ["CONFIG", "SET", "databases", "3"],
      ["CONFIG", "SET", "Databases", "3"],
      ["CONFIG", "SET", "daemonize", "yes"],
      ["CONFIG", "SET", "slaveof", "no one"],
      ["CONFIG", "SET", "dir", "/tmp"],
      ["CONFIG", "SET", "dbfilename", "a/b"],
      ["CONFIG", "SET", "appendonly", "maybe"],
      ["CONFIG", "SET", "maxmemory-policy", "foo"],
      ["CONFIG", "SET", "loglevel", "loud"],
      ["CONFIG", "SET", "save", "1 2 3"],
      ["CONFIG", "SET", "save", "0 1"],
      ["CONFIG", "SET", "save", "1 -1"],
      ["CONFIG", "SET", "save", "  "],
      ["CONFIG", "SET", "save", "x 1"],
      ["CONFIG", "SET", "proto-max-bulk-len", "5"],
      ["CONFIG", "SET", "proto-max-bulk-len", "99999999999999999999"],
      ["CONFIG", "SET", "active-defrag-ignore-bytes", "99999999999999999999"],
      ["CONFIG", "SET", "maxmemory-clients", "200%"],
      ["CONFIG", "SET", "maxmemory-clients", "x"],
      ["CONFIG", "SET", "maxmemory-clients", "-5"],
      ["CONFIG", "SET", "unixsocketperm", "999"],
      ["CONFIG", "SET", "notify-keyspace-events", "Q"],
      ["CONFIG", "SET", "activedefrag", "yes"],
      ["CONFIG", "SET", "activedefrag", "maybe"],
      ["CONFIG", "SET", "oom-score-adj-values", "1 2"],
      ["CONFIG", "SET", "oom-score-adj-values", "0 200 x"],
      ["CONFIG", "SET", "oom-score-adj-values", "0 200 3000"],
      ["CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"],
      ["CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"],
      ["CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 -3"],
      ["CONFIG", "SET", "client-output-buffer-limit", "normal x 2 3"],
      ["CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 abc"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "101"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "-1"],
      ["CONFIG", "SET", "shutdown-on-sigint", "save nosave"],
      ["CONFIG", "SET", "shutdown-on-sigint", "later"],
      ["CONFIG", "SET", "shutdown-on-sigint", ""],
      ["CONFIG", "SET", "proc-title-template", "{title} {nope}"],
      ["CONFIG", "SET", "proc-title-template", "{title"],
      ["CONFIG", "SET", "proc-title-template", ""],
      ["CONFIG", "SET", "cluster-announce-hostname", "a_b"],
      ["CONFIG", "SET", "repl-timeout", "0"],
      ["CONFIG", "SET", "tls-auth-clients", "maybe"],
      ["CONFIG", "SET", "sanitize-dump-payload", "sometimes"],
      ["CONFIG", "SET", "enable-debug-command", "yes"],
      ["CONFIG", "SET", "use-exit-on-panic", "maybe"],
    ],
  },
  {
    name: "config subcommands",
    steps: [
      ["CONFIG", "RESETSTAT"],
      ["CONFIG", "RESETSTAT", "x"],
      ["CONFIG", "REWRITE"],
      ["CONFIG", "HELP"],
      ["CONFIG", "help"],
      ["CONFIG", "HELP", "x"],
      ["CONFIG", "NOSUCH"],
      ["CONFIG"],
    ],
  },
  {
    // Redis forks for BGSAVE: each save step first waits for a previous child to finish, so no
    // save is refused as already in progress (reddish's saves complete at once).
    name: "time, lastsave, save",
    steps: [
      { cmd: ["TIME"], compare: "type" }, // the clocks differ by microseconds
      ["TIME", "x"],
      { cmd: ["SAVE"], sleepBefore: 500 },
      ["SAVE", "x"],
      // Both servers just saved: LASTSAVE is now, give or take a second.
      { cmd: ["LASTSAVE"], compare: { approx: 2 } },
      ["LASTSAVE", "x"],
    ],
  },
  {
    name: "bgsave",
    steps: [
      { cmd: ["BGSAVE"], sleepBefore: 500 },
      ["BGSAVE", "foo"],
      ["BGSAVE", "schedule", "x"],
      { cmd: ["LASTSAVE"], compare: { approx: 2 } },
    ],
  },
  {
    name: "bgsave schedule",
    steps: [{ cmd: ["BGSAVE", "SCHEDULE"], sleepBefore: 500 }, ["BGSAVE", "SCHEDULE", "now"]],
  },
  {
    name: "debug: sleep, active expire, errors",
    steps: [
      ["DEBUG", "SLEEP", "0"],
      ["DEBUG", "SLEEP", "0.01"],
      ["DEBUG", "SLEEP", "abc"],
      ["DEBUG", "SLEEP", "-1"],
      ["DEBUG", "SLEEP"],
      ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
      ["SET", "k", "v", "PX", "1"],
      { cmd: ["DBSIZE"], sleepBefore: 250 },
      ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
      { cmd: ["DBSIZE"], sleepBefore: 400 },
      ["DEBUG", "SET-ACTIVE-EXPIRE"],
      ["DEBUG", "SET-ACTIVE-EXPIRE", "1", "2"],
      ["DEBUG", "NOSUCH"],
      ["DEBUG", "nosuch", "a", "b"],
      ["DEBUG", "JMAP"],
      ["DEBUG"],
      ["DEBUG", "LOG", "hello"],
      ["DEBUG", "ERROR", "MYERR something bad"],
      ["DEBUG", "ERROR", "plain"],
      ["DEBUG", "RELOAD"],
      ["DEBUG", "RELOAD", "NOSAVE", "MERGE"],
      ["DEBUG", "CHANGE-REPL-ID"],
      // DEBUG HELP: reddish lists only the subcommands it supports (deliberate difference).
      { cmd: ["DEBUG", "HELP"], compare: "ignore" },
    ],
  },
  {
    name: "debug object",
    steps: [
      ["SET", "foo", "bar"],
      ["SET", "n", "123"],
      ["SET", "big", "x".repeat(100)],
      // The address and LRU clock differ: compare the reply type only.
      { cmd: ["DEBUG", "OBJECT", "foo"], compare: "type" },
      { cmd: ["DEBUG", "OBJECT", "n"], compare: "type" },
      { cmd: ["DEBUG", "OBJECT", "big"], compare: "type" },
      ["DEBUG", "OBJECT", "nosuch"],
      ["DEBUG", "OBJECT"],
      ["DEBUG", "OBJECT", "foo", "bar"],
    ],
  },
  {
    name: "debug populate",
    steps: [
      ["DEBUG", "POPULATE", "3"],
      ["DBSIZE"],
      ["GET", "key:0"],
      ["GET", "key:2"],
      ["SET", "pre:1", "mine"],
      ["DEBUG", "POPULATE", "3", "pre", "10"],
      ["GET", "pre:0"],
      ["GET", "pre:1"],
      ["DEBUG", "POPULATE", "2", "short", "3"],
      ["GET", "short:1"],
      ["DEBUG", "POPULATE", "0"],
      ["DEBUG", "POPULATE", "-1"],
      ["DEBUG", "POPULATE", "x"],
      ["DEBUG", "POPULATE", "1", "p", "-1"],
      ["DEBUG", "POPULATE", "1", "p", "1", "x"],
      ["DBSIZE"],
    ],
  },
  {
    name: "debug protocol",
    steps: [
      ["DEBUG", "PROTOCOL", "string"],
      ["DEBUG", "PROTOCOL", "integer"],
      ["DEBUG", "PROTOCOL", "double"],
      ["DEBUG", "PROTOCOL", "bignum"],
      ["DEBUG", "PROTOCOL", "null"],
      ["DEBUG", "PROTOCOL", "array"],
      ["DEBUG", "PROTOCOL", "set"],
      ["DEBUG", "PROTOCOL", "map"],
      ["DEBUG", "PROTOCOL", "attrib"],
      ["DEBUG", "PROTOCOL", "push"],
      ["DEBUG", "PROTOCOL", "verbatim"],
      ["DEBUG", "PROTOCOL", "true"],
      ["DEBUG", "PROTOCOL", "FALSE"],
      ["DEBUG", "PROTOCOL", "nosuch"],
    ],
  },
  {
    name: "memory usage of strings",
    steps: [
      ["SET", "foo", "bar"],
      ["MEMORY", "USAGE", "foo"],
      ["SET", "n", "123"],
      ["MEMORY", "USAGE", "n"],
      ["SET", "n", "-123456789012"],
      ["MEMORY", "USAGE", "n"],
      ["SET", "e", ""],
      ["MEMORY", "USAGE", "e"],
      ["SET", "s44", "x".repeat(44)],
      ["MEMORY", "USAGE", "s44"],
      ["SET", "s45", "x".repeat(45)],
      ["MEMORY", "USAGE", "s45"],
      ["SET", "s100", "x".repeat(100)],
      ["MEMORY", "USAGE", "s100"],
      ["SET", "s300", "y".repeat(300)],
      ["MEMORY", "USAGE", "s300"],
      ["SET", "k".repeat(44), "v"],
      ["MEMORY", "USAGE", "k".repeat(44)],
      ["SET", "k".repeat(300), "v"],
      ["MEMORY", "USAGE", "k".repeat(300)],
      ["SET", "", "v"],
      ["MEMORY", "USAGE", ""],
      ["MEMORY", "USAGE", "nosuch"],
      ["MEMORY", "USAGE", "foo", "SAMPLES", "0"],
      ["MEMORY", "USAGE", "foo", "samples", "10"],
      ["MEMORY", "USAGE", "foo", "SAMPLES", "-1"],
      ["MEMORY", "USAGE", "foo", "SAMPLES", "x"],
      ["MEMORY", "USAGE", "foo", "SAMPLES"],
      ["MEMORY", "USAGE", "foo", "bar"],
      ["MEMORY", "USAGE", "nosuch", "bar"],
      ["MEMORY", "USAGE"],
    ],
  },
  {
    // Collection sizes depend on encodings reddish only estimates: compare the reply type.
    name: "memory usage of collections (type)",
    steps: [
      ["HSET", "h", "a", "1"],
      { cmd: ["MEMORY", "USAGE", "h"], compare: "type" },
      ["SADD", "s", "1", "2", "3"],
      { cmd: ["MEMORY", "USAGE", "s"], compare: "type" },
      ["SADD", "s2", "a", "b"],
      { cmd: ["MEMORY", "USAGE", "s2", "SAMPLES", "0"], compare: "type" },
    ],
  },
  {
    name: "memory subcommands",
    steps: [
      ["SET", "a", "1"],
      // Both instances hold far less than 5MB of data: the doctor declines the same way.
      ["MEMORY", "DOCTOR"],
      // Figures differ; the map has the same fields.
      { cmd: ["MEMORY", "STATS"], compare: "type" },
      // jemalloc's report versus reddish's "not supported": same reply type.
      { cmd: ["MEMORY", "MALLOC-STATS"], compare: "type" },
      ["MEMORY", "PURGE"],
      ["MEMORY", "HELP"],
      ["MEMORY", "NOSUCH"],
      ["MEMORY", "DOCTOR", "x"],
      ["MEMORY"],
    ],
  },
]);

// ---- focused checks that compare structure rather than bytes ----

/** Field names per section of an INFO text. */
function infoFields(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of text.split("\r\n")) {
    if (line.startsWith("# ")) sections.set(line.slice(2), (current = []));
    else if (line) current.push(line.slice(0, line.indexOf(":")));
  }
  return sections;
}

function textOf(reply: Parsed | null): string {
  assert.ok(reply && typeof reply.value === "string", `expected a string reply, got ${reply?.type}`);
  return reply.value as string;
}

/** Pairs of a flat CONFIG GET reply. */
function pairs(reply: Parsed | null): Map<string, string> {
  assert.ok(reply && Array.isArray(reply.value));
  const items = (reply.value as Parsed[]).map((p) => String(p.value));
  const out = new Map<string, string>();
  for (let i = 0; i < items.length; i += 2) out.set(items[i]!, items[i + 1]!);
  return out;
}

describe("server (structure)", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  let a: RawConnection;
  let b: RawConnection;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer({ config: { "enable-debug-command": "yes" } });
    a = await RawConnection.connect(redis.port);
    b = await RawConnection.connect(reddish.port);
  });
  after(async () => {
    a.close();
    b.close();
    await redis.stop();
    await reddish.close();
  });

  // INFO values differ (memory, pids, timings), but the sections, their order and their field
  // names and order must be Redis's.
  test("INFO everything: same sections and field names, in order", async () => {
    for (const conn of [a, b]) {
      await conn.call("SET", "k", "v");
      await conn.call("GET", "k");
      await conn.call("NOSUCH");
    }
    const expected = infoFields(textOf(await a.call("INFO", "everything")));
    const actual = infoFields(textOf(await b.call("INFO", "everything")));
    assert.deepEqual([...actual.keys()], [...expected.keys()]);
    for (const [section, names] of expected) {
      if (section === "Commandstats" || section === "Latencystats") {
        // One line per command called: the same commands, in the servers' own orders.
        assert.deepEqual([...actual.get(section)!].sort(), [...names].sort(), section);
      } else {
        assert.deepEqual(actual.get(section), names, section);
      }
    }
  });

  test("INFO default and named sections select the same sections", async () => {
    for (const args of [[], ["default"], ["all"], ["server", "CPU", "nosuch"], ["modules", "keyspace"]]) {
      const expected = infoFields(textOf(await a.call("INFO", ...args)));
      const actual = infoFields(textOf(await b.call("INFO", ...args)));
      assert.deepEqual([...actual.keys()], [...expected.keys()], args.join(" "));
    }
  });

  // Parameters whose values depend on how each server was started.
  const STARTUP_DEPENDENT = new Set(["dir", "port", "save", "loglevel", "logfile", "pidfile"]);

  test("CONFIG GET *: the same parameters with the same defaults", async () => {
    const expected = pairs(await a.call("CONFIG", "GET", "*"));
    const actual = pairs(await b.call("CONFIG", "GET", "*"));
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [name, value] of expected) {
      if (STARTUP_DEPENDENT.has(name)) continue;
      assert.equal(actual.get(name), value, name);
    }
  });
});
