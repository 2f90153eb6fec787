/**
 * Hash field expiry (HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME,
 * HPEXPIRETIME, HPERSIST). These arrived in Redis 7.4, after the reference server (7.0.15), so no
 * parity case can check them: these behavioural tests pin Redis 7.4's documented behaviour through
 * the real server path (in-process API and TCP, RESP2 and RESP3), on a manual clock.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { ReplyMap } from "../../src/resp/collector.js";
import type { Database } from "../../src/keyspace/database.js";
import type { NotifyClassFlag } from "../../src/keyspace/notify.js";
import { RawConnection } from "../parity/harness.js";

const T0 = 1_700_000_000_000;

async function manual(
  options: { listen?: boolean; config?: Record<string, string> } = {},
): Promise<ReddishServer> {
  return startServer({
    listen: options.listen ?? false,
    clock: "manual",
    startTime: T0,
    config: options.config,
  });
}

/** HGETALL's RESP3 map as [field, value] pairs, in reply order. */
function pairs(reply: unknown): [unknown, unknown][] {
  assert.ok(reply instanceof ReplyMap, "HGETALL replies a map in RESP3");
  return reply.entries;
}

/**
 * Records keyspace events raised through Keyspace.notify (which raises only the classes
 * `notify-keyspace-events` enables: all of them here).
 */
function recordEvents(server: ReddishServer): string[] {
  server.command("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  server.core.keyspace.addListener({
    keyspaceEvent(db: Database, _klass: NotifyClassFlag, event: string, key: string) {
      events.push(`${db.id}:${event}:${key}`);
    },
  });
  return events;
}

test("HEXPIRE family: every per-field reply code", async () => {
  const s = await manual();
  s.command("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
  // 1 set, -2 no such field.
  assert.deepEqual(s.command("HEXPIRE", "h", 100, "FIELDS", 2, "a", "zz"), [1, -2]);
  // NX: only fields without a TTL.
  assert.deepEqual(s.command("HEXPIRE", "h", 200, "NX", "FIELDS", 2, "a", "b"), [0, 1]);
  // XX: only fields with a TTL.
  assert.deepEqual(s.command("HPEXPIRE", "h", 300_000, "XX", "FIELDS", 2, "a", "c"), [1, 0]);
  assert.deepEqual(s.command("HPTTL", "h", "FIELDS", 3, "a", "b", "c"), [300_000, 200_000, -1]);
  // GT: a field without a TTL counts as infinite, so GT never applies to it.
  assert.deepEqual(s.command("HEXPIRE", "h", 250, "GT", "FIELDS", 3, "a", "b", "c"), [0, 1, 0]);
  // LT: and always applies to it.
  assert.deepEqual(s.command("HEXPIRE", "h", 260, "LT", "FIELDS", 3, "a", "b", "c"), [1, 0, 1]);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 4, "a", "b", "c", "d"), [260, 250, 260, -1]);
  // Equal times satisfy neither GT nor LT.
  assert.deepEqual(s.command("HEXPIRE", "h", 260, "GT", "FIELDS", 1, "a"), [0]);
  assert.deepEqual(s.command("HEXPIRE", "h", 260, "LT", "FIELDS", 1, "a"), [0]);
  // Conditions are case-insensitive, as is FIELDS.
  assert.deepEqual(s.command("HEXPIRE", "h", 1000, "gt", "fields", 1, "a"), [1]);
  // 2: a zero TTL or a time not in the future deletes the field.
  assert.deepEqual(s.command("HEXPIRE", "h", 0, "FIELDS", 1, "a"), [2]);
  assert.deepEqual(s.command("HPEXPIREAT", "h", T0, "FIELDS", 1, "b"), [2]);
  assert.deepEqual(s.command("HEXPIREAT", "h", 1, "FIELDS", 2, "c", "nope"), [2, -2]);
  assert.deepEqual(s.command("HGETALL", "h") instanceof ReplyMap, true);
  assert.deepEqual(pairs(s.command("HGETALL", "h")), [["d", "4"]]);
  // The condition is checked before the time: a failed NX does not delete.
  s.command("HEXPIRE", "h", 100, "FIELDS", 1, "d");
  assert.deepEqual(s.command("HEXPIRE", "h", 0, "NX", "FIELDS", 1, "d"), [0]);
  assert.equal(s.command("HEXISTS", "h", "d"), 1);
  // Deleting the last field deletes the key.
  assert.deepEqual(s.command("HPEXPIRE", "h", 0, "FIELDS", 1, "d"), [2]);
  assert.equal(s.command("EXISTS", "h"), 0);
  await s.close();
});

test("absolute and relative forms agree; the same field may repeat", async () => {
  const s = await manual();
  s.command("HSET", "h", "f", "v");
  assert.deepEqual(s.command("HEXPIREAT", "h", T0 / 1000 + 50, "FIELDS", 1, "f"), [1]);
  assert.deepEqual(s.command("HEXPIRETIME", "h", "FIELDS", 1, "f"), [T0 / 1000 + 50]);
  assert.deepEqual(s.command("HPEXPIRETIME", "h", "FIELDS", 1, "f"), [T0 + 50_000]);
  assert.deepEqual(s.command("HPEXPIREAT", "h", T0 + 1234, "FIELDS", 2, "f", "f"), [1, 1]);
  assert.deepEqual(s.command("HPEXPIRETIME", "h", "FIELDS", 1, "f"), [T0 + 1234]);
  // Seconds round up, as Redis's (expire + 999 - basetime) / 1000.
  assert.deepEqual(s.command("HEXPIRETIME", "h", "FIELDS", 1, "f"), [T0 / 1000 + 2]);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "f"), [2]);
  assert.deepEqual(s.command("HPTTL", "h", "FIELDS", 1, "f"), [1234]);
  s.fastForward(1234);
  // Expired once now > when: at exactly `when` the field still lives.
  assert.deepEqual(s.command("HPTTL", "h", "FIELDS", 1, "f"), [0]);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "f"), [0]);
  assert.equal(s.command("HGET", "h", "f"), "v");
  s.fastForward(1);
  assert.deepEqual(s.command("HPTTL", "h", "FIELDS", 1, "f"), [-2]);
  assert.deepEqual(s.command("HEXPIRETIME", "h", "FIELDS", 1, "f"), [-2]);
  assert.equal(s.command("HGET", "h", "f"), null);
  await s.close();
});

test("missing keys answer -2 per field; wrong types are refused", async () => {
  const s = await manual();
  assert.deepEqual(s.command("HEXPIRE", "nokey", 10, "FIELDS", 2, "a", "b"), [-2, -2]);
  assert.deepEqual(s.command("HPERSIST", "nokey", "FIELDS", 1, "a"), [-2]);
  for (const cmd of ["HTTL", "HPTTL", "HEXPIRETIME", "HPEXPIRETIME"]) {
    assert.deepEqual(s.command(cmd, "nokey", "FIELDS", 3, "a", "b", "c"), [-2, -2, -2]);
  }
  assert.equal(s.command("EXISTS", "nokey"), 0, "HEXPIRE does not create the key");
  s.command("SET", "str", "x");
  const wrongType = { message: /^WRONGTYPE / };
  assert.throws(() => s.command("HEXPIRE", "str", 10, "FIELDS", 1, "a"), wrongType);
  // WRONGTYPE comes before argument errors, as in Redis (the key is looked up first).
  assert.throws(() => s.command("HEXPIRE", "str", "abc", "FIELDS", 1, "a"), wrongType);
  assert.throws(() => s.command("HTTL", "str", "FIELDS", 0, "a"), wrongType);
  assert.throws(() => s.command("HPERSIST", "str", "FIELDS", 1, "a"), wrongType);
  await s.close();
});

test("argument errors, with Redis 7.4's texts", async () => {
  const s = await manual();
  s.command("HSET", "h", "a", "1");
  const err = (message: string) => ({ message });
  const cases: [unknown[], string][] = [
    [["HEXPIRE", "h", "abc", "FIELDS", 1, "a"], "ERR value is not an integer or out of range"],
    [["HEXPIRE", "h", "1.5", "FIELDS", 1, "a"], "ERR value is not an integer or out of range"],
    [["HEXPIRE", "h", -1, "FIELDS", 1, "a"], "ERR invalid expire time, must be >= 0"],
    [["HPEXPIREAT", "h", -5, "FIELDS", 1, "a"], "ERR invalid expire time, must be >= 0"],
    [["HEXPIRE", "h", 70368744178, "FIELDS", 1, "a"], "ERR invalid expire time in 'hexpire' command"],
    [
      ["HEXPIRE", "h", 70368744178 - T0 / 1000, "FIELDS", 1, "a"],
      "ERR invalid expire time in 'hexpire' command",
    ],
    [["HEXPIREAT", "h", 70368744178, "FIELDS", 1, "a"], "ERR invalid expire time in 'hexpireat' command"],
    [["HPEXPIREAT", "h", 2 ** 46, "FIELDS", 1, "a"], "ERR invalid expire time in 'hpexpireat' command"],
    [["HPEXPIRE", "h", 2 ** 46 - T0, "FIELDS", 1, "a"], "ERR invalid expire time in 'hpexpire' command"],
    [
      ["HEXPIRE", "h", 10, "FIELD", 1, "a"],
      "ERR Mandatory argument FIELDS is missing or not at the right position",
    ],
    [
      ["HEXPIRE", "h", 10, "1", "FIELDS", "a"],
      "ERR Mandatory argument FIELDS is missing or not at the right position",
    ],
    [
      ["HEXPIRE", "h", 10, "NX", "XX", "FIELDS", 1, "a"],
      "ERR Mandatory argument FIELDS is missing or not at the right position",
    ],
    [["HEXPIRE", "h", 10, "FIELDS", 0, "a"], "ERR Parameter `numFields` should be greater than 0"],
    [["HEXPIRE", "h", 10, "FIELDS", -1, "a"], "ERR Parameter `numFields` should be greater than 0"],
    [["HEXPIRE", "h", 10, "FIELDS", "x", "a"], "ERR Parameter `numFields` should be greater than 0"],
    [
      ["HEXPIRE", "h", 10, "FIELDS", 2, "a"],
      "ERR The `numfields` parameter must match the number of arguments",
    ],
    [
      ["HEXPIRE", "h", 10, "NX", "FIELDS", 1, "a", "b"],
      "ERR The `numfields` parameter must match the number of arguments",
    ],
    [
      ["HEXPIRE", "h", 10, "NX", "FIELDS", 1],
      "ERR The `numfields` parameter must match the number of arguments",
    ],
    [["HTTL", "h", "FIELD", 1, "a"], "ERR Mandatory argument FIELDS is missing or not at the right position"],
    [["HPTTL", "h", "FIELDS", 0, "a"], "ERR Parameter `numFields` should be greater than 0"],
    [
      ["HEXPIRETIME", "h", "FIELDS", 3, "a"],
      "ERR The `numfields` parameter must match the number of arguments",
    ],
    [
      ["HPEXPIRETIME", "h", "FIELDS", 1, "a", "b"],
      "ERR The `numfields` parameter must match the number of arguments",
    ],
    [["HPERSIST", "h", "x", 1, "a"], "ERR Mandatory argument FIELDS is missing or not at the right position"],
    [["HPERSIST", "h", "FIELDS", "1x", "a"], "ERR Parameter `numFields` should be greater than 0"],
    [["HPERSIST", "h", "FIELDS", 2, "a"], "ERR The `numfields` parameter must match the number of arguments"],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => s.command(...(args as string[])), err(message), JSON.stringify(args));
  }
  // The largest accepted times: 2^46 - 1 ms, or whole seconds below it.
  assert.deepEqual(s.command("HEXPIREAT", "h", 70368744177, "FIELDS", 1, "a"), [1]);
  assert.deepEqual(s.command("HPEXPIRETIME", "h", "FIELDS", 1, "a"), [70368744177000]);
  assert.deepEqual(s.command("HPEXPIREAT", "h", 2 ** 46 - 1, "FIELDS", 1, "a"), [1]);
  assert.deepEqual(s.command("HPEXPIRETIME", "h", "FIELDS", 1, "a"), [2 ** 46 - 1]);
  // Arity: HEXPIRE needs 6 arguments, the others 5.
  for (const args of [
    ["HEXPIRE", "h", 10, "FIELDS", 1],
    ["HPEXPIRE", "h"],
    ["HEXPIREAT", "h", 10, "FIELDS"],
    ["HPEXPIREAT", "h", 1, 2, 3],
    ["HTTL", "h", "FIELDS", 1],
    ["HPTTL", "h"],
    ["HEXPIRETIME", "h", "FIELDS"],
    ["HPEXPIRETIME"],
    ["HPERSIST", "h", "FIELDS", 1],
  ]) {
    const name = String(args[0]).toLowerCase();
    assert.throws(
      () => s.command(...(args as string[])),
      err(`ERR wrong number of arguments for '${name}' command`),
      JSON.stringify(args),
    );
  }
  // Nothing was changed by the failed commands.
  assert.deepEqual(s.command("HPEXPIRETIME", "h", "FIELDS", 1, "a"), [2 ** 46 - 1]);
  await s.close();
});

test("expired fields are invisible; HLEN counts them until reclaimed, as in Redis 7.4", async () => {
  const s = await manual();
  s.command("DEBUG", "SET-ACTIVE-EXPIRE", 0);
  s.command("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
  s.command("HPEXPIRE", "h", 100, "FIELDS", 2, "a", "b");
  s.fastForward(101);
  assert.deepEqual(pairs(s.command("HGETALL", "h")), [
    ["c", "3"],
    ["d", "4"],
  ]);
  assert.deepEqual(s.command("HKEYS", "h"), ["c", "d"]);
  assert.deepEqual(s.command("HVALS", "h"), ["3", "4"]);
  assert.deepEqual(s.command("HSCAN", "h", 0), ["0", ["c", "3", "d", "4"]]);
  assert.equal(s.command("HLEN", "h"), 4, "HLEN counts fields not reclaimed yet");
  // Reading a field reclaims it.
  assert.equal(s.command("HGET", "h", "a"), null);
  assert.equal(s.command("HLEN", "h"), 3);
  assert.deepEqual(s.command("HMGET", "h", "b", "c"), [null, "3"]);
  assert.equal(s.command("HLEN", "h"), 2);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 2, "a", "c"), [-2, -1]);
  // HEXISTS / HSTRLEN / HSETNX / HINCRBY see expired fields as absent.
  s.command("HPEXPIRE", "h", 10, "FIELDS", 2, "c", "d");
  s.fastForward(11);
  assert.equal(s.command("HEXISTS", "h", "c"), 0);
  assert.equal(s.command("HSTRLEN", "h", "d"), 0);
  // The key went with its last field.
  assert.equal(s.command("EXISTS", "h"), 0);
  s.command("HSET", "h", "x", "10", "y", "20");
  s.command("HPEXPIRE", "h", 10, "FIELDS", 2, "x", "y");
  s.fastForward(11);
  assert.equal(s.command("HSETNX", "h", "x", "new"), 1);
  assert.equal(s.command("HINCRBY", "h", "y", 5), 5);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 2, "x", "y"), [-1, -1]);
  s.command("HPEXPIRE", "h", 10, "FIELDS", 1, "x");
  s.fastForward(11);
  assert.equal(s.command("HINCRBYFLOAT", "h", "x", "1.5"), "1.5");
  s.command("HPEXPIRE", "h", 10, "FIELDS", 1, "x");
  s.fastForward(11);
  // HSET counts an expired field as new.
  assert.equal(s.command("HSET", "h", "x", "again"), 1);
  s.command("HPEXPIRE", "h", 10, "FIELDS", 1, "x");
  s.fastForward(11);
  // HDEL does not count an expired field as deleted.
  assert.equal(s.command("HDEL", "h", "x"), 0);
  assert.deepEqual(pairs(s.command("HGETALL", "h")), [["y", "5"]]);
  // HEXPIRE and HPERSIST see expired fields as missing.
  s.command("HPEXPIRE", "h", 10, "FIELDS", 1, "y");
  s.command("HSET", "h", "z", "1");
  s.fastForward(11);
  assert.deepEqual(s.command("HEXPIRE", "h", 100, "FIELDS", 1, "y"), [-2]);
  assert.deepEqual(s.command("HPERSIST", "h", "FIELDS", 2, "y", "z"), [-2, -1]);
  // SORT ... BY/GET h->field reads an expired field as missing.
  s.command("RPUSH", "l", "1");
  s.command("HSET", "w1", "f", "x", "g", "y");
  s.command("HPEXPIRE", "w1", 10, "FIELDS", 1, "f");
  s.fastForward(11);
  assert.deepEqual(s.command("SORT", "l", "GET", "w*->f", "GET", "w*->g"), [null, "y"]);
  await s.close();
});

test("HRANDFIELD never returns an expired field and reclaims them", async () => {
  const s = await manual();
  s.command("DEBUG", "SET-ACTIVE-EXPIRE", 0);
  const events = recordEvents(s);
  s.command("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
  s.command("HPEXPIRE", "h", 10, "FIELDS", 4, "a", "b", "c", "d");
  s.fastForward(11);
  for (let i = 0; i < 20; i++) assert.equal(s.command("HRANDFIELD", "h"), "e");
  assert.deepEqual(s.command("HRANDFIELD", "h", -5), ["e", "e", "e", "e", "e"]);
  assert.deepEqual(s.command("HRANDFIELD", "h", 3, "WITHVALUES"), [["e", "5"]]);
  assert.equal(s.command("HLEN", "h"), 1);
  assert.deepEqual(
    events.filter((e) => e.includes("hexpired")),
    ["0:hexpired:h"],
  );
  s.command("HPEXPIRE", "h", 10, "FIELDS", 1, "e");
  s.fastForward(11);
  assert.equal(s.command("HRANDFIELD", "h"), null);
  assert.equal(s.command("EXISTS", "h"), 0);
  s.command("HSET", "h2", "a", "1");
  s.command("HPEXPIRE", "h2", 10, "FIELDS", 1, "a");
  s.fastForward(11);
  assert.deepEqual(s.command("HRANDFIELD", "h2", 2), []);
  assert.equal(s.command("EXISTS", "h2"), 0);
  await s.close();
});

test("active expiry reclaims fields and deletes emptied keys, with events", async () => {
  const s = await manual();
  const events = recordEvents(s);
  s.command("HSET", "h", "a", "1", "b", "2");
  s.command("HPEXPIRE", "h", 100, "FIELDS", 1, "a");
  s.command("HSET", "gone", "x", "1");
  s.command("HPEXPIRE", "gone", 50, "FIELDS", 1, "x");
  // A large hashtable-encoded hash with staggered TTLs.
  const args: string[] = [];
  for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
  s.command("HSET", "big", ...args);
  for (let i = 0; i < 1000; i++) s.command("HPEXPIRE", "big", 10 + i, "FIELDS", 1, `f${i}`);
  assert.equal(s.command("OBJECT", "ENCODING", "big"), "hashtable");
  s.fastForward(60);
  s.core.cron();
  assert.equal(s.command("EXISTS", "gone"), 0);
  assert.ok(events.includes("0:hexpired:gone") && events.includes("0:del:gone"), events.join(" "));
  assert.equal(s.command("HLEN", "h"), 2);
  // Fields 0..49 of `big` are due (10 + i < 60); the cycle's budget may take a few runs.
  for (let i = 0; i < 5; i++) s.core.cron();
  assert.equal(s.command("HLEN", "big"), 950);
  s.fastForward(100);
  s.core.cron();
  assert.equal(s.command("HLEN", "h"), 1);
  assert.deepEqual(pairs(s.command("HGETALL", "h")), [["b", "2"]]);
  s.fastForward(1000);
  for (let i = 0; i < 20 && s.command("EXISTS", "big") === 1; i++) s.core.cron();
  assert.equal(s.command("EXISTS", "big"), 0);
  assert.ok(events.includes("0:del:big"));
  // DEBUG SET-ACTIVE-EXPIRE 0 stops it.
  s.command("DEBUG", "SET-ACTIVE-EXPIRE", 0);
  s.command("HSET", "h3", "a", "1");
  s.command("HPEXPIRE", "h3", 1, "FIELDS", 1, "a");
  s.fastForward(2);
  s.core.cron();
  assert.equal(s.command("HLEN", "h3"), 1);
  assert.equal(s.command("EXISTS", "h3"), 1, "the key stays until a field access reclaims it");
  s.command("DEBUG", "SET-ACTIVE-EXPIRE", 1);
  s.core.cron();
  assert.equal(s.command("EXISTS", "h3"), 0);
  await s.close();
});

test("commands raise hexpire, hpersist, hexpired and del events", async () => {
  const s = await manual();
  const events = recordEvents(s);
  s.command("HSET", "h", "a", "1", "b", "2");
  s.command("HEXPIRE", "h", 100, "FIELDS", 1, "missing");
  s.command("HEXPIRE", "h", 100, "NX", "FIELDS", 1, "a");
  s.command("HEXPIRE", "h", 100, "NX", "FIELDS", 1, "a");
  s.command("HPERSIST", "h", "FIELDS", 1, "b");
  s.command("HPERSIST", "h", "FIELDS", 1, "a");
  s.command("HEXPIRE", "h", 0, "FIELDS", 2, "a", "b");
  assert.deepEqual(events, ["0:hset:h", "0:hexpire:h", "0:hpersist:h", "0:hexpire:h", "0:del:h"]);
  events.length = 0;
  s.command("HSET", "k", "a", "1");
  s.command("HPEXPIRE", "k", 5, "FIELDS", 1, "a");
  s.fastForward(6);
  assert.equal(s.command("HGET", "k", "a"), null);
  assert.deepEqual(events, ["0:hset:k", "0:hexpire:k", "0:hexpired:k", "0:del:k"]);
  // A key whose own TTL passed too is left to key expiry: no field events for it.
  events.length = 0;
  s.command("HSET", "both", "a", "1");
  s.command("HPEXPIRE", "both", 5, "FIELDS", 1, "a");
  s.command("PEXPIRE", "both", 5);
  s.fastForward(6);
  s.core.cron();
  assert.equal(s.command("EXISTS", "both"), 0);
  assert.deepEqual(events, ["0:hset:both", "0:hexpire:both", "0:expire:both", "0:expired:both"]);
  await s.close();
});

test("HPERSIST, HSET clearing a TTL, HINCRBY keeping it", async () => {
  const s = await manual();
  s.command("HSET", "h", "a", "1", "b", "2", "n", "10", "x", "1.5");
  s.command("HEXPIRE", "h", 100, "FIELDS", 4, "a", "b", "n", "x");
  assert.deepEqual(s.command("HPERSIST", "h", "FIELDS", 3, "a", "a", "zz"), [1, -1, -2]);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 2, "a", "b"), [-1, 100]);
  assert.equal(s.command("HSET", "h", "b", "new"), 0);
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "b"), [-1]);
  s.command("HEXPIRE", "h", 100, "FIELDS", 1, "b");
  s.command("HMSET", "h", "b", "newer");
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "b"), [-1]);
  assert.equal(s.command("HSETNX", "h", "n", "x"), 0);
  assert.equal(s.command("HINCRBY", "h", "n", 5), 15);
  assert.equal(s.command("HINCRBYFLOAT", "h", "x", "1"), "2.5");
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 2, "n", "x"), [100, 100]);
  // HDEL drops the TTL with the field; a re-created field has none.
  s.command("HDEL", "h", "n");
  s.command("HSET", "h", "n", "1");
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "n"), [-1]);
  // A plain listpack hash (never given a TTL) answers -1 / -2 too.
  s.command("HSET", "plain", "a", "1");
  assert.deepEqual(s.command("HPERSIST", "plain", "FIELDS", 2, "a", "b"), [-1, -2]);
  assert.deepEqual(s.command("HTTL", "plain", "FIELDS", 2, "a", "b"), [-1, -2]);
  assert.equal(s.command("OBJECT", "ENCODING", "plain"), "listpack");
  // The key's own TTL is independent of its fields'.
  s.command("EXPIRE", "h", 1000);
  s.command("PERSIST", "h");
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "x"), [100]);
  await s.close();
});

test("OBJECT ENCODING listpackex and its field order", async () => {
  const s = await manual();
  s.command("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
  assert.equal(s.command("OBJECT", "ENCODING", "h"), "listpack");
  // Any HEXPIRE-family write on an existing hash converts it, even when nothing is set.
  s.command("HEXPIRE", "h", 10, "FIELDS", 1, "missing");
  assert.equal(s.command("OBJECT", "ENCODING", "h"), "listpackex");
  // Fields with a TTL come first, earliest first; then the others in insertion order.
  s.command("HEXPIRE", "h", 30, "FIELDS", 1, "c");
  s.command("HEXPIRE", "h", 20, "FIELDS", 1, "d");
  assert.deepEqual(s.command("HKEYS", "h"), ["d", "c", "a", "b"]);
  s.command("HEXPIRE", "h", 40, "FIELDS", 1, "d");
  assert.deepEqual(s.command("HKEYS", "h"), ["c", "d", "a", "b"]);
  s.command("HPERSIST", "h", "FIELDS", 1, "c");
  assert.deepEqual(s.command("HKEYS", "h"), ["d", "a", "b", "c"]);
  s.command("HSET", "h", "d", "x");
  assert.deepEqual(s.command("HKEYS", "h"), ["a", "b", "c", "d"]);
  s.command("HSET", "h", "e", "5");
  assert.deepEqual(s.command("HKEYS", "h"), ["a", "b", "c", "d", "e"]);
  assert.equal(s.command("OBJECT", "ENCODING", "h"), "listpackex");
  // It stays listpackex with no TTL left, and converts to a hashtable past the limits.
  s.command("HSET", "h", "long", "x".repeat(100));
  assert.equal(s.command("OBJECT", "ENCODING", "h"), "hashtable");
  s.command("HEXPIRE", "h", 10, "FIELDS", 1, "long");
  assert.deepEqual(s.command("HTTL", "h", "FIELDS", 1, "long"), [10]);
  await s.close();
});

test("a hash converted to a hashtable keeps its field TTLs", async () => {
  const s = await manual({ config: { "hash-max-listpack-entries": "4" } });
  s.command("HSET", "h", "a", "1", "b", "2");
  s.command("HPEXPIRE", "h", 500, "FIELDS", 1, "a");
  s.command("HSET", "h", "c", "3", "d", "4", "e", "5");
  assert.equal(s.command("OBJECT", "ENCODING", "h"), "hashtable");
  assert.deepEqual(s.command("HPTTL", "h", "FIELDS", 2, "a", "b"), [500, -1]);
  s.fastForward(501);
  assert.deepEqual((s.command("HKEYS", "h") as string[]).sort(), ["b", "c", "d", "e"]);
  await s.close();
});

test("RENAME, COPY, MOVE and SWAPDB keep field TTLs, and the copies expire actively", async () => {
  const s = await manual();
  s.command("HSET", "src", "a", "1", "b", "2");
  s.command("HPEXPIRE", "src", 100, "FIELDS", 1, "a");
  s.command("RENAME", "src", "renamed");
  assert.deepEqual(s.command("HPTTL", "renamed", "FIELDS", 2, "a", "b"), [100, -1]);
  assert.equal(s.command("COPY", "renamed", "copy"), 1);
  assert.deepEqual(s.command("HPTTL", "copy", "FIELDS", 1, "a"), [100]);
  assert.equal(s.command("OBJECT", "ENCODING", "copy"), "listpackex");
  // The copy is independent.
  s.command("HPERSIST", "copy", "FIELDS", 1, "a");
  assert.deepEqual(s.command("HPTTL", "renamed", "FIELDS", 1, "a"), [100]);
  s.command("COPY", "renamed", "copy1", "DB", 1);
  s.command("HSET", "mv", "x", "1", "y", "2");
  s.command("HPEXPIRE", "mv", 100, "FIELDS", 1, "x");
  assert.equal(s.command("MOVE", "mv", 2), 1);
  s.command("HSET", "sw", "x", "1", "y", "2");
  s.command("HPEXPIRE", "sw", 100, "FIELDS", 1, "x");
  s.command("SWAPDB", 0, 3);
  s.fastForward(101);
  s.core.cron();
  const db = (i: number) => s.db(i);
  // Reclaimed by the active cycle alone: HLEN does not reclaim.
  assert.equal(db(3).command("HLEN", "renamed"), 1);
  assert.equal(db(3).command("HLEN", "copy"), 2);
  assert.equal(db(1).command("HLEN", "copy1"), 1);
  assert.equal(db(2).command("HLEN", "mv"), 1);
  assert.equal(db(3).command("HLEN", "sw"), 1);
  await s.close();
});

test("DUMP of a hash with field TTLs carries its live fields (the 7.0 format has no field TTLs)", async () => {
  const s = await manual();
  s.command("HSET", "h", "a", "1", "b", "2", "c", "3");
  s.command("HPEXPIRE", "h", 100, "FIELDS", 1, "a");
  s.command("HPEXPIRE", "h", 1000, "FIELDS", 1, "b");
  s.fastForward(101);
  const payload = s.command("DUMP", "h") as string;
  s.command("RESTORE", "copy", 0, Buffer.from(payload, "latin1"));
  assert.deepEqual(pairs(s.command("HGETALL", "copy")), [
    ["b", "2"],
    ["c", "3"],
  ]);
  assert.deepEqual(s.command("HTTL", "copy", "FIELDS", 2, "b", "c"), [-1, -1]);
  assert.equal(s.command("OBJECT", "ENCODING", "copy"), "listpack");
  s.command("HPEXPIRE", "h", 1, "FIELDS", 2, "b", "c");
  s.fastForward(2);
  assert.equal(s.command("DUMP", "h"), null);
  await s.close();
});

test("MULTI/EXEC queues the commands and runs them atomically; WATCH sees field changes", async (t) => {
  const s = await startServer({ clock: "manual", startTime: T0 });
  t.after(() => s.close());
  const c = await RawConnection.connect(s.port);
  const w = await RawConnection.connect(s.port);
  const text = async (...args: string[]) => (await c.call(...args))!.raw.toString("latin1");
  await text("HSET", "h", "a", "1", "b", "2");
  assert.equal(await text("MULTI"), "+OK\r\n");
  assert.equal(await text("HEXPIRE", "h", "100", "FIELDS", "2", "a", "zz"), "+QUEUED\r\n");
  assert.equal(await text("HTTL", "h", "FIELDS", "1", "a"), "+QUEUED\r\n");
  assert.equal(await text("HPERSIST", "h", "FIELDS", "1", "a"), "+QUEUED\r\n");
  assert.equal(await text("HEXPIRE", "h", "x", "FIELDS", "1", "a"), "+QUEUED\r\n");
  assert.equal(
    await text("EXEC"),
    "*4\r\n*2\r\n:1\r\n:-2\r\n*1\r\n:100\r\n*1\r\n:1\r\n-ERR value is not an integer or out of range\r\n",
  );
  // Arity errors abort the transaction at queue time.
  await text("MULTI");
  assert.equal(
    await text("HTTL", "h", "FIELDS", "1"),
    "-ERR wrong number of arguments for 'httl' command\r\n",
  );
  assert.equal(await text("EXEC"), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  // WATCH: an HEXPIRE by another client fails the EXEC.
  await text("WATCH", "h");
  await w.call("HEXPIRE", "h", "50", "FIELDS", "1", "b");
  await text("MULTI");
  await text("HGET", "h", "b");
  assert.equal(await text("EXEC"), "*-1\r\n");
  c.close();
  w.close();
});

test("RESP2 and RESP3 replies, byte for byte", async (t) => {
  const s = await startServer({ clock: "manual", startTime: T0 });
  t.after(() => s.close());
  for (const resp of [2, 3]) {
    const now = s.clock.now();
    const c = await RawConnection.connect(s.port);
    t.after(() => c.close());
    if (resp === 3) await c.call("HELLO", "3");
    const raw = async (...args: string[]) => (await c.call(...args))!.raw.toString("latin1");
    await raw("DEL", "h");
    await raw("HSET", "h", "a", "1", "b", "2");
    assert.equal(await raw("HEXPIRE", "h", "100", "FIELDS", "3", "a", "b", "c"), "*3\r\n:1\r\n:1\r\n:-2\r\n");
    assert.equal(await raw("HTTL", "h", "FIELDS", "2", "a", "c"), "*2\r\n:100\r\n:-2\r\n");
    assert.equal(await raw("HPTTL", "h", "FIELDS", "1", "a"), "*1\r\n:100000\r\n");
    assert.equal(
      await raw("HEXPIRETIME", "h", "FIELDS", "1", "a"),
      `*1\r\n:${Math.ceil(now / 1000) + 100}\r\n`,
    );
    assert.equal(await raw("HPEXPIRETIME", "h", "FIELDS", "1", "a"), `*1\r\n:${now + 100_000}\r\n`);
    assert.equal(await raw("HPERSIST", "h", "FIELDS", "2", "a", "c"), "*2\r\n:1\r\n:-2\r\n");
    assert.equal(await raw("HEXPIRE", "nokey", "1", "FIELDS", "1", "a"), "*1\r\n:-2\r\n");
    assert.equal(await raw("HTTL", "nokey", "FIELDS", "1", "a"), "*1\r\n:-2\r\n");
    assert.equal(
      await raw("HEXPIRE", "h", "1", "FIELDS", "0", "a"),
      "-ERR Parameter `numFields` should be greater than 0\r\n",
    );
    await raw("HPEXPIRE", "h", "10", "FIELDS", "1", "b");
    s.fastForward(11);
    assert.equal(
      await raw("HGETALL", "h"),
      resp === 2 ? "*2\r\n$1\r\na\r\n$1\r\n1\r\n" : "%1\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    assert.equal(await raw("HGET", "h", "b"), resp === 2 ? "$-1\r\n" : "_\r\n");
  }
});

test("COMMAND INFO, DOCS and GETKEYS describe the hand-written metadata", async () => {
  const s = await manual();
  const strings = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strings) : typeof v === "object" ? String(v) : v;
  const info = strings(s.command("COMMAND", "INFO", "hexpire", "httl", "hpersist")) as unknown[][];
  assert.equal(info[0]![0], "hexpire");
  assert.equal(info[0]![1], -6);
  assert.deepEqual(info[0]![2], ["write", "denyoom", "fast"]);
  assert.deepEqual(info[0]![6], ["@write", "@hash", "@fast"]);
  assert.deepEqual(info[1]![2], ["readonly", "fast"]);
  assert.deepEqual(info[1]![6], ["@read", "@hash", "@fast"]);
  assert.deepEqual(info[1]![7], ["nondeterministic_output"]);
  assert.equal(info[2]![1], -5);
  assert.deepEqual(s.command("COMMAND", "GETKEYS", "HEXPIRE", "k", "1", "FIELDS", "1", "f"), ["k"]);
  assert.deepEqual(s.command("COMMAND", "GETKEYS", "HPTTL", "k", "FIELDS", "1", "f"), ["k"]);
  const docs = s.command("COMMAND", "DOCS", "hpexpireat") as ReplyMap;
  const [name, doc] = docs.entries[0]!;
  assert.equal(name, "hpexpireat");
  const fields = new Map((doc as ReplyMap).entries);
  assert.equal(fields.get("since"), "7.4.0");
  assert.equal(fields.get("group"), "hash");
  const listed = s.command("COMMAND", "LIST", "FILTERBY", "PATTERN", "h*expire*") as string[];
  assert.deepEqual([...listed].sort(), [
    "hexpire",
    "hexpireat",
    "hexpiretime",
    "hpexpire",
    "hpexpireat",
    "hpexpiretime",
  ]);
  await s.close();
});
