/**
 * Parity: the generic keyspace family (DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE,
 * EXPIRE & co, TTL & co, PERSIST, KEYS, SCAN, RANDOMKEY, TOUCH). OBJECT, DUMP and RESTORE are in
 * `generic-object.test.ts`.
 *
 * KEYS, SCAN and RANDOMKEY list keys in hash-table order in Redis, so multi-key replies are
 * compared unordered (KEYS) or by shape (SCAN); the focused SCAN tests at the end drive full
 * iterations on both servers and compare the sets of keys returned.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import {
  type ParityCase,
  RawConnection,
  type Parsed,
  paritySuite,
  startRealRedis,
  type RealRedis,
} from "./harness.js";

/** redis-server 7.0.15's DUMP of the string "hello". */
const HELLO_DUMP = Buffer.from("000568656c6c6f0a006372df766534200a", "hex");

const cases: ParityCase[] = [
  // ---- DEL / UNLINK / EXISTS / TOUCH / TYPE ----
  {
    name: "del unlink exists touch",
    steps: [
      ["SET", "del:a", "1"],
      ["SET", "del:b", "2"],
      ["SET", "del:c", "3"],
      ["EXISTS", "del:a", "del:a", "del:b", "del:missing"],
      ["TOUCH", "del:a", "del:a", "del:missing", "del:c"],
      ["DEL", "del:a", "del:missing", "del:a"],
      ["UNLINK", "del:b", "del:c", "del:b"],
      ["EXISTS", "del:a", "del:b", "del:c"],
      ["DEL", "del:nothing"],
      ["DEL"],
      ["UNLINK"],
      ["EXISTS"],
      ["TOUCH"],
    ],
  },
  {
    name: "del of expired and typed keys",
    steps: [
      ["SET", "dx:a", "v", "PX", "1"],
      { cmd: ["DEL", "dx:a"], sleepBefore: 10 },
      ["HSET", "dx:h", "f", "v"],
      ["SADD", "dx:s", "m"],
      ["DEL", "dx:h", "dx:s"],
      ["EXISTS", "dx:h", "dx:s"],
    ],
  },
  {
    name: "type",
    steps: [
      ["SET", "type:s", "v"],
      ["SET", "type:i", "123"],
      ["APPEND", "type:r", "x"],
      ["HSET", "type:h", "f", "v"],
      ["SADD", "type:set", "m"],
      ["TYPE", "type:s"],
      ["TYPE", "type:i"],
      ["TYPE", "type:r"],
      ["TYPE", "type:h"],
      ["TYPE", "type:set"],
      ["TYPE", "type:missing"],
      ["TYPE"],
      ["TYPE", "a", "b"],
    ],
  },

  // ---- RENAME / RENAMENX ----
  {
    name: "rename basics and ttl carry-over",
    steps: [
      ["SET", "rn:a", "va"],
      ["RENAME", "rn:a", "rn:b"],
      ["GET", "rn:a"],
      ["GET", "rn:b"],
      ["SET", "rn:t", "vt", "EX", "100"],
      ["RENAME", "rn:t", "rn:t2"],
      { cmd: ["TTL", "rn:t2"], compare: { approx: 1 } },
      ["SET", "rn:dst", "old", "EX", "100"],
      ["SET", "rn:src", "new"],
      ["RENAME", "rn:src", "rn:dst"],
      ["GET", "rn:dst"],
      ["TTL", "rn:dst"],
      ["RENAME", "rn:missing", "rn:x"],
      ["RENAME", "rn:dst", "rn:dst"],
      ["RENAME", "rn:missing", "rn:missing"],
      ["HSET", "rn:h", "f", "v"],
      ["RENAME", "rn:h", "rn:h2"],
      ["HGET", "rn:h2", "f"],
      ["TYPE", "rn:h"],
      ["RENAME", "rn:a"],
      ["RENAME", "rn:a", "rn:b", "rn:c"],
    ],
  },
  {
    name: "renamenx",
    steps: [
      ["SET", "rnx:a", "1"],
      ["SET", "rnx:b", "2"],
      ["RENAMENX", "rnx:a", "rnx:b"],
      ["GET", "rnx:a"],
      ["RENAMENX", "rnx:a", "rnx:c"],
      ["GET", "rnx:c"],
      ["EXISTS", "rnx:a"],
      ["RENAMENX", "rnx:c", "rnx:c"],
      ["RENAMENX", "rnx:missing", "rnx:missing"],
      ["RENAMENX", "rnx:missing", "rnx:z"],
      ["SET", "rnx:t", "v", "PX", "100000"],
      ["RENAMENX", "rnx:t", "rnx:t2"],
      { cmd: ["PTTL", "rnx:t2"], compare: { approx: 50 } },
      ["RENAMENX", "rnx:t2"],
    ],
  },
  {
    name: "rename onto an expired destination",
    steps: [
      ["SET", "rne:gone", "v", "PX", "1"],
      { cmd: ["RENAME", "rne:gone", "rne:x"], sleepBefore: 10 },
      ["COPY", "rne:gone", "rne:x"],
      ["MOVE", "rne:gone", "1"],
      ["SET", "rne:dst", "old", "PX", "1"],
      ["SET", "rne:src", "new"],
      { cmd: ["RENAMENX", "rne:src", "rne:dst"], sleepBefore: 10 },
      ["GET", "rne:dst"],
      ["TTL", "rne:dst"],
    ],
  },

  // ---- COPY ----
  {
    name: "copy",
    steps: [
      ["SET", "cp:a", "va"],
      ["COPY", "cp:a", "cp:b"],
      ["GET", "cp:b"],
      ["COPY", "cp:a", "cp:b"],
      ["SET", "cp:a", "va2"],
      ["COPY", "cp:a", "cp:b", "REPLACE"],
      ["GET", "cp:b"],
      ["COPY", "cp:missing", "cp:c"],
      ["COPY", "cp:missing", "cp:b", "REPLACE"],
      ["GET", "cp:b"],
      ["COPY", "cp:a", "cp:a"],
      ["COPY", "cp:missing", "cp:missing"],
      ["COPY", "cp:a", "cp:a", "replace"],
      ["SET", "cp:t", "v", "EX", "500"],
      ["COPY", "cp:t", "cp:t2"],
      { cmd: ["TTL", "cp:t2"], compare: { approx: 1 } },
      ["SET", "cp:ttl", "x", "EX", "500"],
      ["COPY", "cp:a", "cp:ttl", "REPLACE"],
      ["TTL", "cp:ttl"],
      ["COPY"],
      ["COPY", "cp:a"],
    ],
  },
  {
    name: "copy options and errors",
    steps: [
      ["SET", "cpo:a", "v"],
      ["COPY", "cpo:a", "cpo:a", "DB", "1"],
      ["SELECT", "1"],
      ["GET", "cpo:a"],
      ["DEL", "cpo:a"],
      ["SELECT", "0"],
      ["COPY", "cpo:a", "cpo:a", "DB", "0"],
      ["COPY", "cpo:a", "cpo:a", "db", "0", "db", "2", "REPLACE"],
      ["COPY", "cpo:a", "cpo:b", "DB", "16"],
      ["COPY", "cpo:a", "cpo:b", "DB", "-1"],
      ["COPY", "cpo:a", "cpo:b", "DB", "abc"],
      ["COPY", "cpo:a", "cpo:b", "DB", "2147483648"],
      ["COPY", "cpo:a", "cpo:b", "DB"],
      ["COPY", "cpo:a", "cpo:b", "FOO"],
      ["COPY", "cpo:a", "cpo:b", "REPLACE", "FOO"],
      ["COPY", "cpo:missing", "cpo:b", "DB", "99"],
      ["SELECT", "2"],
      ["GET", "cpo:a"],
      ["DEL", "cpo:a"],
      ["SELECT", "0"],
    ],
  },
  {
    name: "copy keeps values independent",
    steps: [
      ["APPEND", "cpi:raw", "abc"],
      ["COPY", "cpi:raw", "cpi:raw2"],
      ["APPEND", "cpi:raw2", "def"],
      ["GET", "cpi:raw"],
      ["GET", "cpi:raw2"],
      ["OBJECT", "ENCODING", "cpi:raw2"],
      ["SET", "cpi:emb", "hello"],
      ["COPY", "cpi:emb", "cpi:emb2"],
      ["OBJECT", "ENCODING", "cpi:emb2"],
      ["HSET", "cpi:h", "f", "1"],
      ["COPY", "cpi:h", "cpi:h2"],
      ["HSET", "cpi:h2", "g", "2"],
      ["HLEN", "cpi:h"],
      ["HLEN", "cpi:h2"],
      ["SADD", "cpi:s", "a", "b"],
      ["COPY", "cpi:s", "cpi:s2"],
      ["SREM", "cpi:s2", "a"],
      ["SCARD", "cpi:s"],
      ["SCARD", "cpi:s2"],
    ],
  },

  // ---- MOVE ----
  {
    name: "move",
    steps: [
      ["SET", "mv:a", "v", "EX", "100"],
      ["MOVE", "mv:a", "3"],
      ["EXISTS", "mv:a"],
      ["SELECT", "3"],
      ["GET", "mv:a"],
      { cmd: ["TTL", "mv:a"], compare: { approx: 1 } },
      ["SET", "mv:b", "in3"],
      ["SELECT", "0"],
      ["SET", "mv:b", "in0"],
      ["MOVE", "mv:b", "3"],
      ["GET", "mv:b"],
      ["MOVE", "mv:missing", "3"],
      ["MOVE", "mv:b", "0"],
      ["MOVE", "mv:missing", "0"],
      ["MOVE", "mv:b", "16"],
      ["MOVE", "mv:b", "-1"],
      ["MOVE", "mv:b", "x"],
      ["MOVE", "mv:b", "99999999999"],
      ["MOVE", "mv:b"],
      ["MOVE", "mv:b", "1", "2"],
      ["SELECT", "3"],
      ["DEL", "mv:a", "mv:b"],
      ["SELECT", "0"],
    ],
  },

  // ---- EXPIRE family ----
  {
    name: "expire and ttl",
    steps: [
      ["SET", "ex:a", "v"],
      ["TTL", "ex:a"],
      ["PTTL", "ex:a"],
      ["EXPIRETIME", "ex:a"],
      ["PEXPIRETIME", "ex:a"],
      ["EXPIRE", "ex:a", "100"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      { cmd: ["PTTL", "ex:a"], compare: { approx: 100 } },
      ["PEXPIRE", "ex:a", "100000"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      ["EXPIREAT", "ex:a", "4102444800"],
      ["EXPIRETIME", "ex:a"],
      ["PEXPIRETIME", "ex:a"],
      ["PEXPIREAT", "ex:a", "4102444800123"],
      ["EXPIRETIME", "ex:a"],
      ["PEXPIRETIME", "ex:a"],
      ["PEXPIREAT", "ex:a", "4102444800499"],
      ["EXPIRETIME", "ex:a"],
      ["PEXPIREAT", "ex:a", "4102444800500"],
      ["EXPIRETIME", "ex:a"],
      ["EXPIRE", "ex:missing", "100"],
      ["TTL", "ex:missing"],
      ["PTTL", "ex:missing"],
      ["EXPIRETIME", "ex:missing"],
      ["PEXPIRETIME", "ex:missing"],
      ["PERSIST", "ex:a"],
      ["PERSIST", "ex:a"],
      ["PERSIST", "ex:missing"],
      ["TTL", "ex:a"],
      ["EXPIRE", "ex:a", "100", "nx"],
      ["EXPIRE", "ex:a", "100", "NX"],
      ["EXPIRE", "ex:a", "200", "XX"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      ["EXPIRE", "ex:a", "100", "GT"],
      ["EXPIRE", "ex:a", "300", "gt"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      ["EXPIRE", "ex:a", "400", "LT"],
      ["EXPIRE", "ex:a", "50", "lt"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      ["EXPIRE", "ex:a", "60", "XX", "GT"],
      ["EXPIRE", "ex:a", "40", "XX", "GT"],
      ["EXPIRE", "ex:a", "30", "XX", "LT"],
      ["EXPIRE", "ex:a", "90", "xx", "lt"],
      ["PERSIST", "ex:a"],
      ["EXPIRE", "ex:a", "100", "XX"],
      ["EXPIRE", "ex:a", "100", "GT"],
      ["EXPIRE", "ex:a", "100", "LT"],
      { cmd: ["TTL", "ex:a"], compare: { approx: 1 } },
      ["EXPIRE", "ex:missing", "100", "NX"],
    ],
  },
  {
    name: "expire option errors",
    steps: [
      ["SET", "exo:a", "v"],
      ["EXPIRE", "exo:a", "10", "NX", "XX"],
      ["EXPIRE", "exo:a", "10", "NX", "GT"],
      ["EXPIRE", "exo:a", "10", "LT", "NX"],
      ["EXPIRE", "exo:a", "10", "GT", "LT"],
      ["EXPIRE", "exo:a", "10", "XX", "GT", "LT"],
      ["EXPIRE", "exo:a", "10", "NX", "GT", "LT"],
      ["EXPIRE", "exo:a", "10", "FOO"],
      ["EXPIRE", "exo:a", "abc", "FOO"],
      ["EXPIRE", "exo:a", "10", "NX", "BAR"],
      ["PEXPIRE", "exo:a", "10", "gt", "lt"],
      ["EXPIREAT", "exo:a", "10", "nx", "lt"],
      ["PEXPIREAT", "exo:a", "10", "what"],
      ["EXPIRE", "exo:a", "abc"],
      ["EXPIRE", "exo:a", "1.5"],
      ["EXPIRE", "exo:a", ""],
      ["PEXPIRE", "exo:a", "99999999999999999999"],
      ["EXPIRE", "exo:missing", "abc"],
      ["TTL", "exo:a"],
      ["EXPIRE", "exo:a"],
      ["PEXPIRE"],
      ["EXPIREAT", "exo:a"],
      ["PEXPIREAT", "exo:a"],
      ["TTL"],
      ["PTTL", "a", "b"],
      ["EXPIRETIME"],
      ["PEXPIRETIME", "a", "b"],
      ["PERSIST"],
    ],
  },
  {
    name: "expire overflow",
    steps: [
      ["SET", "exf:a", "v"],
      ["EXPIRE", "exf:a", "9223372036854775807"],
      ["EXPIRE", "exf:a", "-9223372036854775808"],
      ["EXPIRE", "exf:a", "9223372036854776"],
      ["EXPIRE", "exf:a", "-9223372036854776"],
      ["EXPIRE", "exf:a", "9223372036854775"],
      ["PEXPIRE", "exf:a", "9223372036854775807"],
      ["PEXPIRE", "exf:a", "9223372036854000000"],
      ["EXPIREAT", "exf:a", "9223372036854776"],
      ["EXPIREAT", "exf:a", "-9223372036854776"],
      ["TTL", "exf:a"],
      ["EXPIREAT", "exf:a", "9223372036854"],
      ["EXPIRETIME", "exf:a"],
      ["PEXPIRETIME", "exf:a"],
      ["TTL", "exf:a"],
    ],
  },
  {
    name: "expire in the past deletes",
    steps: [
      ["SET", "exp:a", "v"],
      ["EXPIRE", "exp:a", "-1"],
      ["EXISTS", "exp:a"],
      ["SET", "exp:b", "v"],
      ["PEXPIRE", "exp:b", "0"],
      ["EXISTS", "exp:b"],
      ["SET", "exp:c", "v"],
      ["EXPIREAT", "exp:c", "1"],
      ["EXISTS", "exp:c"],
      ["SET", "exp:d", "v"],
      ["PEXPIREAT", "exp:d", "-9223372036854775808"],
      ["EXISTS", "exp:d"],
      ["SET", "exp:e", "v", "EX", "100"],
      ["EXPIRE", "exp:e", "-5", "GT"],
      ["EXPIRE", "exp:e", "-5", "LT"],
      ["EXISTS", "exp:e"],
      ["SET", "exp:f", "v"],
      ["EXPIRE", "exp:f", "-5", "LT"],
      ["EXISTS", "exp:f"],
      ["SET", "exp:g", "v"],
      ["EXPIRE", "exp:g", "-5", "XX"],
      ["EXISTS", "exp:g"],
      ["HSET", "exp:h", "f", "v"],
      ["EXPIRE", "exp:h", "0"],
      ["EXISTS", "exp:h"],
    ],
  },
  {
    name: "expired keys",
    steps: [
      ["SET", "exk:a", "v", "PX", "5"],
      ["SET", "exk:b", "v", "PX", "5"],
      { cmd: ["TTL", "exk:a"], sleepBefore: 20 },
      ["PTTL", "exk:b"],
      ["EXPIRE", "exk:b", "100"],
      ["PERSIST", "exk:b"],
      ["EXISTS", "exk:a", "exk:b"],
    ],
  },
  {
    name: "expire on other types and set clears ttl",
    steps: [
      ["HSET", "ext:h", "f", "v"],
      ["EXPIRE", "ext:h", "100"],
      { cmd: ["TTL", "ext:h"], compare: { approx: 1 } },
      ["SADD", "ext:s", "m"],
      ["PEXPIRE", "ext:s", "100000"],
      { cmd: ["PTTL", "ext:s"], compare: { approx: 100 } },
      ["SET", "ext:k", "v", "EX", "100"],
      ["SET", "ext:k", "w"],
      ["TTL", "ext:k"],
    ],
  },

  {
    name: "writes signal watchers, reads and no-ops do not",
    steps: [
      ["SET", "w:a", "1"],
      ["SET", "w:b", "2", "EX", "100"],
      ["WATCH", "w:a", "w:b", "w:c", "w:none"],
      { cmd: ["TOUCH", "w:a"], client: 1 },
      { cmd: ["EXISTS", "w:a"], client: 1 },
      { cmd: ["TTL", "w:b"], client: 1, compare: { approx: 1 } },
      { cmd: ["PERSIST", "w:a"], client: 1 },
      { cmd: ["EXPIRE", "w:none", "10"], client: 1 },
      { cmd: ["RENAME", "w:none", "w:none2"], client: 1 },
      { cmd: ["DUMP", "w:a"], client: 1 },
      { cmd: ["OBJECT", "ENCODING", "w:a"], client: 1 },
      { cmd: ["COPY", "w:a", "w:b"], client: 1 },
      { cmd: ["EXPIRE", "w:a", "10", "NX", "GT"], client: 1 },
      ["MULTI"],
      ["GET", "w:a"],
      ["EXEC"],
      ...[
        ["EXPIRE", "w:a", "100"],
        ["PERSIST", "w:a"],
        ["PEXPIREAT", "w:a", "1"],
        ["COPY", "w:b", "w:c"],
        ["RENAME", "w:b", "w:c"],
        ["MOVE", "w:c", "7"],
        ["RESTORE", "w:c", "0", HELLO_DUMP],
        ["DEL", "w:c"],
        ["UNLINK", "w:c"],
      ].flatMap((write) => [
        ["SET", "w:a", "1"],
        ["SET", "w:b", "2", "EX", "100"],
        ["WATCH", "w:a", "w:b", "w:c"],
        { cmd: write, client: 1 },
        ["MULTI"],
        ["GET", "w:a"],
        ["EXEC"],
      ]),
      ["SELECT", "7"],
      ["FLUSHDB"],
      ["SELECT", "0"],
    ],
  },

  // ---- KEYS ----
  {
    name: "keys patterns",
    steps: [
      [
        "MSET",
        "kp:one",
        "1",
        "kp:two",
        "2",
        "kp:three",
        "3",
        "kp:four",
        "4",
        "kp:*star",
        "5",
        "kp:[br]",
        "6",
      ],
      ["MSET", "kp:h\\llo", "7", "kp:hallo", "8", "kp:hello", "9", "kp:hxllo", "10", "kp:Hello", "11"],
      // KEYS lists keys in hash-table order in Redis: compared unordered.
      { cmd: ["KEYS", "kp:*"], compare: "unordered" },
      { cmd: ["KEYS", "kp:t*"], compare: "unordered" },
      { cmd: ["KEYS", "kp:???"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h[ae]llo"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h[^e]llo"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h[a-f]llo"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h[f-a]llo"], compare: "unordered" },
      { cmd: ["KEYS", "kp:\\*star"], compare: "unordered" },
      { cmd: ["KEYS", "kp:\\[br\\]"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h\\\\llo"], compare: "unordered" },
      { cmd: ["KEYS", "kp:[hH]ello"], compare: "unordered" },
      { cmd: ["KEYS", "kp:*o*"], compare: "unordered" },
      { cmd: ["KEYS", "kp:h[a"], compare: "unordered" },
      ["KEYS", "kp:one"],
      ["KEYS", "kp:nomatch*"],
      ["KEYS", "nothing"],
      ["KEYS", ""],
      ["KEYS"],
      ["KEYS", "a", "b"],
    ],
  },
  {
    name: "keys skips expired keys",
    steps: [
      ["SET", "kx:a", "1", "PX", "1"],
      ["SET", "kx:b", "2"],
      { cmd: ["KEYS", "kx:*"], sleepBefore: 10 },
    ],
  },

  // ---- SCAN (single-key or empty results compare exactly; see the focused test below) ----
  {
    name: "scan errors and cursors",
    steps: [
      ["SET", "sc:only", "v"],
      ["SCAN", "0", "MATCH", "sc:only"],
      ["SCAN", "0", "MATCH", "sc:only", "COUNT", "1000"],
      ["SCAN", "", "MATCH", "sc:only", "COUNT", "1000"],
      ["SCAN", "0", "match", "sc:nomatch", "count", "1000"],
      ["SCAN", "0", "COUNT", "1000", "MATCH", "sc:o?ly", "TYPE", "string"],
      ["SCAN", "0", "COUNT", "1000", "MATCH", "sc:only", "TYPE", "STRING"],
      ["SCAN", "0", "COUNT", "1000", "MATCH", "sc:only", "TYPE", "hash"],
      ["SCAN", "0", "COUNT", "1000", "MATCH", "sc:only", "TYPE", "nosuchtype"],
      ["SCAN", "0", "COUNT", "1000", "MATCH", "sc:only", "TYPE", "none"],
      ["SCAN", "abc"],
      ["SCAN", " 1"],
      ["SCAN", "1 "],
      ["SCAN", "-"],
      ["SCAN", "+"],
      ["SCAN", "1.5"],
      ["SCAN", "18446744073709551616"],
      ["SCAN", "0", "COUNT", "0"],
      ["SCAN", "0", "COUNT", "-1"],
      ["SCAN", "0", "COUNT", "abc"],
      ["SCAN", "0", "COUNT"],
      ["SCAN", "0", "MATCH"],
      ["SCAN", "0", "TYPE"],
      ["SCAN", "0", "FOO", "bar"],
      ["SCAN", "0", "COUNT", "0", "FOO"],
      ["SCAN", "0", "FOO", "COUNT", "0"],
      ["SCAN"],
    ],
  },
  {
    name: "scan result shape",
    steps: [
      ["MSET", "ss:a", "1", "ss:b", "2", "ss:c", "3"],
      // Several keys: order and cursor values follow hash-table layout in Redis; shape only.
      { cmd: ["SCAN", "0", "COUNT", "100"], compare: "type" },
      { cmd: ["SCAN", "0", "MATCH", "ss:*", "COUNT", "100"], compare: "type" },
      ["SCAN", "0", "MATCH", "ss:b", "COUNT", "100"],
      ["SCAN", "0", "TYPE", "set", "COUNT", "100"],
    ],
  },

  // ---- RANDOMKEY ----
  {
    name: "randomkey",
    steps: [
      ["SELECT", "5"],
      ["FLUSHDB"],
      ["RANDOMKEY"],
      ["SET", "rk:only", "v"],
      ["RANDOMKEY"],
      ["SET", "rk:gone", "v", "PX", "1"],
      ["DEL", "rk:only"],
      { cmd: ["RANDOMKEY"], sleepBefore: 10 },
      ["SET", "rk:a", "1"],
      ["SET", "rk:b", "2"],
      // Two keys: which one comes back is random on both sides; compare the reply type.
      { cmd: ["RANDOMKEY"], compare: "type" },
      ["FLUSHDB"],
      ["SELECT", "0"],
      ["RANDOMKEY", "extra"],
    ],
  },
];

paritySuite("generic keyspace", cases);

/** Focused tests driving full SCAN iterations on both servers. */
describe("generic keyspace: full SCAN iterations", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  let a: RawConnection;
  let b: RawConnection;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer({});
    a = await RawConnection.connect(redis.port);
    b = await RawConnection.connect(reddish.port);
  });
  after(async () => {
    a.close();
    b.close();
    await redis.stop();
    await reddish.close();
  });

  async function both(...args: (string | Buffer)[]): Promise<[Parsed, Parsed]> {
    const [x, y] = await Promise.all([a.call(...args), b.call(...args)]);
    return [x!, y!];
  }

  /** Runs SCAN from cursor 0 until it returns 0; returns the keys seen. */
  async function fullScan(conn: RawConnection, options: string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    let cursor = "0";
    for (let rounds = 0; rounds < 10_000; rounds++) {
      const reply = await conn.call("SCAN", cursor, ...options);
      assert.ok(reply && reply.type === "*" && Array.isArray(reply.value) && reply.value.length === 2);
      const [next, keys] = reply.value as Parsed[];
      assert.equal(next!.type, "$", "the cursor is a bulk string");
      assert.match(String(next!.value), /^\d+$/);
      assert.equal(keys!.type, "*");
      for (const k of keys!.value as Parsed[]) seen.add(String(k.value));
      cursor = String(next!.value);
      if (cursor === "0") return seen;
    }
    throw new Error("SCAN did not finish");
  }

  test("SCAN returns the same key sets as Redis", async () => {
    await both("FLUSHALL");
    for (let i = 0; i < 300; i++) {
      await both("SET", `scan:str:${i}`, "v");
      if (i % 3 === 0) await both("HSET", `scan:hash:${i}`, "f", "v");
      if (i % 5 === 0) await both("SADD", `scan:set:${i}`, "m");
    }
    for (const options of [
      [],
      ["COUNT", "7"],
      ["COUNT", "1"],
      ["MATCH", "scan:str:1*", "COUNT", "13"],
      ["TYPE", "hash", "COUNT", "20"],
      ["TYPE", "SET"],
      ["MATCH", "scan:*:2?", "TYPE", "string", "COUNT", "1000"],
      ["TYPE", "nosuchtype"],
    ]) {
      const [x, y] = await Promise.all([fullScan(a, options), fullScan(b, options)]);
      assert.deepEqual([...y].sort(), [...x].sort(), `SCAN ${options.join(" ")}`);
    }
  });

  test("SCAN keeps returning keys that exist throughout, while others are deleted", async () => {
    const conn = b;
    await conn.call("FLUSHALL");
    for (let i = 0; i < 200; i++) await conn.call("SET", `live:${i}`, "v");
    const seen = new Set<string>();
    let cursor = "0";
    let deleted = 0;
    do {
      const reply = (await conn.call("SCAN", cursor, "COUNT", "9"))!;
      const [next, keys] = reply.value as Parsed[];
      for (const k of keys!.value as Parsed[]) seen.add(String(k.value));
      // Delete a few keys that were not returned yet, and add new ones.
      for (let n = 0; n < 3 && deleted < 100; n++, deleted++) await conn.call("DEL", `live:${199 - deleted}`);
      await conn.call("SET", `new:${cursor}`, "v");
      cursor = String(next!.value);
    } while (cursor !== "0");
    for (let i = 0; i < 100; i++) assert.ok(seen.has(`live:${i}`), `live:${i} was returned`);
  });
});
