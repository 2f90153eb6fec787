/**
 * Internals of the string and bitmap families: RawString editing, when values become raw, TTL
 * handling under a manual clock, the expiry-argument and option parsers, and INCRBYFLOAT outputs
 * captured from redis-server 7.0.15.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { expireArgToAbsoluteMs, parseExtendedStringArgs } from "../../src/commands/string.js";
import { RedisError } from "../../src/errors.js";
import { byteAt, RawString, stringEncoding, toRawString } from "../../src/types/string.js";

async function withServer(fn: (s: ReddishServer) => void | Promise<void>): Promise<void> {
  const server = await startServer({ clock: "manual", startTime: 1_700_000_000_000, listen: false });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** The stored value of a key in database 0, bypassing commands. */
function stored(server: ReddishServer, key: string) {
  return server.core.keyspace.databases[0]!.peek(key);
}

test("RawString: writeAt grows with zeros, slice and clone are independent", () => {
  const raw = new RawString("abc");
  raw.writeAt(5, "xy");
  assert.equal(raw.length, 7);
  assert.equal(raw.toString(), "abc\0\0xy");
  assert.equal(raw.slice(1, 4), "bc\0");
  assert.equal(raw.slice(5, 100), "xy");
  const copy = raw.clone();
  raw.writeAt(0, "Z");
  assert.equal(copy.toString(), "abc\0\0xy");
  assert.equal(raw.toString(), "Zbc\0\0xy");
  assert.equal(byteAt(raw, 0), 90);
  assert.equal(byteAt("\u00ff", 0), 255);
  assert.equal(toRawString(raw), raw);
  const fromPlain = toRawString("hello", 10);
  assert.equal(fromPlain.toString(), "hello");
  assert.ok(fromPlain.buf.length >= 15);
});

test("RawString: repeated appends reallocate only logarithmically often", () => {
  const raw = new RawString("");
  let reallocations = 0;
  let buf = raw.buf;
  for (let i = 0; i < 10_000; i++) {
    raw.append("0123456789");
    if (raw.buf !== buf) {
      reallocations++;
      buf = raw.buf;
    }
  }
  assert.equal(raw.length, 100_000);
  assert.ok(reallocations < 25, `reallocated ${reallocations} times`);
});

test("values edited in place become raw; whole-value writes stay plain strings", async () => {
  await withServer((server) => {
    server.command("SET", "plain", "12");
    assert.equal(typeof stored(server, "plain"), "string");
    assert.equal(stringEncoding(stored(server, "plain") as string), "int");
    server.command("APPEND", "plain", "3");
    assert.ok(stored(server, "plain") instanceof RawString);
    assert.equal(server.command("GET", "plain"), "123");
    server.command("INCR", "plain");
    assert.equal(stored(server, "plain"), "124");
    server.command("SETRANGE", "sr", "3", "x");
    assert.ok(stored(server, "sr") instanceof RawString);
    server.command("SET", "bits", "a");
    server.command("SETBIT", "bits", "0", "0");
    assert.ok(stored(server, "bits") instanceof RawString);
    server.command("SET", "bf", "a");
    server.command("BITFIELD", "bf", "GET", "u8", "0");
    assert.equal(typeof stored(server, "bf"), "string", "a read-only BITFIELD leaves the value alone");
    server.command("BITFIELD", "bf", "OVERFLOW", "FAIL", "SET", "u1", "0", "5");
    assert.ok(stored(server, "bf") instanceof RawString, "write ops unshare even when they fail");
    server.command("BITOP", "NOT", "dest", "plain");
    assert.ok(stored(server, "dest") instanceof RawString);
    server.command("APPEND", "fresh", "v");
    assert.equal(stored(server, "fresh"), "v");
  });
});

test("in-place edits do not leak into other keys", async () => {
  await withServer((server) => {
    server.command("SET", "a", "shared");
    server.command("GETSET", "b", "x");
    server.command("BITOP", "OR", "c", "a");
    server.command("APPEND", "c", "!");
    server.command("SETRANGE", "a", "0", "S");
    assert.equal(server.command("GET", "a"), "Shared");
    assert.equal(server.command("GET", "c"), "shared!");
  });
});

test("TTL handling under a manual clock", async () => {
  await withServer((server) => {
    const db = server.core.keyspace.databases[0]!;
    const now = server.clock.now();
    server.command("SET", "k", "v", "EX", "10");
    assert.equal(db.getExpire("k"), now + 10_000);
    server.command("SET", "k", "v2", "KEEPTTL");
    assert.equal(db.getExpire("k"), now + 10_000);
    server.command("INCRBYFLOAT", "k2", "1");
    server.command("PSETEX", "n", "500", "1");
    server.command("INCR", "n");
    server.command("APPEND", "n", "0");
    server.command("SETRANGE", "n", "0", "3");
    server.command("SETBIT", "n", "0", "0");
    assert.equal(db.getExpire("n"), now + 500, "edits keep the TTL");
    server.command("GETSET", "n", "x");
    assert.equal(db.getExpire("n"), undefined, "GETSET clears it");
    server.command("SETEX", "e", "5", "v");
    assert.equal(server.command("GETEX", "e", "PERSIST"), "v");
    assert.equal(db.getExpire("e"), undefined);
    assert.equal(server.command("GETEX", "e", "PXAT", String(now + 1000)), "v");
    assert.equal(db.getExpire("e"), now + 1000);
    server.fastForward(1001); // a key expires once the time is past its expiry, as in Redis
    assert.equal(server.command("GET", "e"), null);
    server.command("SET", "past", "v");
    assert.equal(server.command("GETEX", "past", "EXAT", String(Math.floor(now / 1000))), "v");
    assert.equal(db.exists("past"), false);
    server.fastForward(9_000);
    assert.equal(server.command("GET", "k"), null);
  });
});

test("expireArgToAbsoluteMs: exact 64-bit limits", () => {
  const now = 1_700_000_000_000;
  assert.equal(expireArgToAbsoluteMs("EX", "10", now, "set"), now + 10_000);
  assert.equal(expireArgToAbsoluteMs("PXAT", "5", now, "set"), 5);
  assert.equal(expireArgToAbsoluteMs("EXAT", "9223372036854775", now, "set"), 9223372036854775000);
  const invalid = (unit: "EX" | "PX" | "EXAT" | "PXAT", arg: string, text: string) =>
    assert.throws(
      () => expireArgToAbsoluteMs(unit, arg, now, "getex"),
      (e: unknown) => e instanceof RedisError && e.message === text,
    );
  invalid("EX", "0", "ERR invalid expire time in 'getex' command");
  invalid("EXAT", "9223372036854776", "ERR invalid expire time in 'getex' command");
  invalid("EX", "9223372036854775", "ERR invalid expire time in 'getex' command");
  invalid("PX", "9223372036854775807", "ERR invalid expire time in 'getex' command");
  invalid("PX", "1.5", "ERR value is not an integer or out of range");
});

test("parseExtendedStringArgs: Redis's combinations", () => {
  const f = parseExtendedStringArgs(["SET", "k", "v", "nx", "GET", "px", "100"], 3, true);
  assert.deepEqual(
    { nx: f.nx, get: f.get, unit: f.expireUnit, arg: f.expireArg },
    { nx: true, get: true, unit: "PX", arg: "100" },
  );
  assert.equal(parseExtendedStringArgs(["GETEX", "k", "PERSIST"], 2, false).persist, true);
  const syntax = (argv: string[], start: number, forSet: boolean) =>
    assert.throws(() => parseExtendedStringArgs(argv, start, forSet), /syntax error/);
  syntax(["SET", "k", "v", "PERSIST"], 3, true);
  syntax(["GETEX", "k", "KEEPTTL"], 2, false);
  syntax(["GETEX", "k", "NX"], 2, false);
  syntax(["SET", "k", "v", "EX", "1", "PX", "1"], 3, true);
  syntax(["SET", "k", "v", "EX"], 3, true);
});

test("INCRBYFLOAT outputs match redis-server 7.0.15 (long double, %.17Lf)", async () => {
  await withServer((server) => {
    const cases: [string | null, string, string][] = [
      ["10.5", "0.1", "10.6"],
      [null, "3.0e3", "3000"],
      [null, "5.0e-2", "0.05"],
      [null, "0x1p-18", "0.00000381469726562"],
      [null, "0x3p-18", "0.00001144409179688"],
      [null, "1e-20", "0"],
      [null, "0x10", "16"],
      [
        null,
        "1e308",
        "99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048",
      ],
    ];
    cases.forEach(([initial, incr, expected], i) => {
      const key = `f${i}`;
      if (initial !== null) server.command("SET", key, initial);
      assert.equal(server.command("INCRBYFLOAT", key, incr), expected, `${initial} + ${incr}`);
    });
    assert.throws(() => server.command("INCRBYFLOAT", "f0", "inf"), /NaN or Infinity/);
    assert.throws(() => server.command("INCRBYFLOAT", "f0", "1e5000"), /not a valid float/);
  });
});
