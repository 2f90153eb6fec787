/**
 * Parity: DUMP and RESTORE of hashes, sets, sorted sets and lists, in every encoding.
 *
 * DUMP payloads are compared byte for byte wherever Redis's bytes are deterministic: listpack
 * hashes and sorted sets, intsets, skiplist sorted sets (written from the greatest member down),
 * and lists built by appending. Hashtable-encoded hashes and sets are written in Redis's dict
 * order, which reddish cannot reproduce; for them the "cross-server" tests below restore Redis's
 * payload into reddish and reddish's payload into Redis and compare contents and encodings.
 *
 * RESTORE is fed payloads in every RDB type Redis 7.0 loads for these data types (the legacy
 * zipmap, ziplist and quicklist-of-ziplists forms included), built here with valid CRCs, and
 * corrupt ones: with `sanitize-dump-payload no` (the default) only those Redis rejects without a
 * deep scan; with `yes`, the ones a deep scan rejects.
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
import {
  payload,
  len,
  str,
  body,
  lp,
  ziplist,
  zipmap,
  intset,
  dbl,
  textDbl,
  patch,
  noise,
  RDB,
  b,
  INT_EDGES,
  NOT_INTS,
} from "./rdb-payloads.js";

// ---------------------------------------------------------------------------------------------
// DUMP byte for byte
// ---------------------------------------------------------------------------------------------

const dumpCases: ParityCase[] = [
  {
    name: "dump listpack hashes",
    steps: [
      ["HSET", "h:ints", ...INT_EDGES.flatMap((v, i) => [`f${i}`, v])],
      ["DUMP", "h:ints"],
      ["HSET", "h:keys", ...INT_EDGES.flatMap((v) => [v, "x"])],
      ["DUMP", "h:keys"],
      ["HSET", "h:strs", ...NOT_INTS.flatMap((v, i) => [`s${i}`, v])],
      ["DUMP", "h:strs"],
      ["OBJECT", "ENCODING", "h:strs"],
      ["HSET", "h:one", "f", "v"],
      ["DUMP", "h:one"],
      ["HSET", "h:bin", b("\x00\xff\r\n"), b("\x80\x81\x00")],
      ["DUMP", "h:bin"],
      // Edits keep insertion order: update in place, delete closes the gap.
      ["HSET", "h:edit", "a", "1", "b", "2", "c", "3", "d", "4"],
      ["HSET", "h:edit", "b", "two hundred"],
      ["HDEL", "h:edit", "c"],
      ["HSET", "h:edit", "e", "5"],
      ["DUMP", "h:edit"],
      ["HINCRBY", "h:edit", "a", "1000000"],
      ["DUMP", "h:edit"],
      // Long compressible values: the listpack is LZF-compressed.
      ["HSET", "h:lzf", "field", "a".repeat(60), "other", "ab".repeat(30)],
      ["DUMP", "h:lzf"],
      ["HSET", "h:noise", "f1", noise(60, 1), "f2", noise(60, 2)],
      ["DUMP", "h:noise"],
      ["DUMP", "h:missing"],
    ],
  },
  {
    name: "dump listpack hashes with long strings",
    steps: [
      ["CONFIG", "SET", "hash-max-listpack-value", "30000"],
      ["HSET", "hl", "s63", noise(63, 3), "s64", noise(64, 4), "s127", noise(127, 5), "s128", noise(128, 6)],
      ["DUMP", "hl"],
      ["HSET", "hl2", "s4095", noise(4095, 7), "s4096", noise(4096, 8)],
      ["DUMP", "hl2"],
      // Entries of 16383+ bytes have a 3-byte backlen.
      ["HSET", "hl3", "s16380", noise(16380, 9), "s20000", noise(20000, 10)],
      ["DUMP", "hl3"],
      ["HSET", "hl4", "z", "z".repeat(25000)],
      ["DUMP", "hl4"],
      ["OBJECT", "ENCODING", "hl4"],
      ["CONFIG", "SET", "hash-max-listpack-value", "64"],
    ],
  },
  {
    name: "dump intsets",
    steps: [
      ["SADD", "s16", "3", "1", "2", "-5", "32767", "-32768"],
      ["DUMP", "s16"],
      ["SADD", "s32", "1", "32768", "-32769", "2147483647", "-2147483648"],
      ["DUMP", "s32"],
      ["SADD", "s64", "1", "2147483648", "-9223372036854775808", "9223372036854775807"],
      ["DUMP", "s64"],
      ["OBJECT", "ENCODING", "s64"],
      ["SADD", "s1", "7"],
      ["DUMP", "s1"],
      ["SADD", "sbig", ...Array.from({ length: 300 }, (_, i) => String(i * 7919 - 1000000))],
      ["DUMP", "sbig"],
      ["SREM", "s16", "32767"],
      ["DUMP", "s16"],
    ],
  },
  {
    name: "dump listpack sorted sets",
    steps: [
      [
        "ZADD",
        "z",
        "1.5",
        "a",
        "3",
        "b",
        "-inf",
        "c",
        "inf",
        "d",
        "1e300",
        "e",
        "4611686018427387904",
        "f",
        "4611686018427387905",
        "g",
        "-4611686018427387904",
        "h",
        "0.1",
        "i",
        "-0",
        "j",
        "1e-300",
        "k",
        "123456789012",
        "l",
        "-2.5e-5",
        "m",
        "4.9e-324",
        "n",
      ],
      ["DUMP", "z"],
      ["ZADD", "zi", ...INT_EDGES.flatMap((v, i) => [String(i), v])],
      ["DUMP", "zi"],
      ["ZADD", "zs", ...INT_EDGES.flatMap((v, i) => [v, `m${i}`])],
      ["DUMP", "zs"],
      ["ZADD", "z1", "0", "only"],
      ["DUMP", "z1"],
      ["ZINCRBY", "z1", "0.25", "only"],
      ["DUMP", "z1"],
      ["ZADD", "zsame", "1", "c", "1", "a", "1", "b", "1", b("\xff"), "1", ""],
      ["DUMP", "zsame"],
      ["ZADD", "zlzf", "1", "m".repeat(50), "2", "n".repeat(50)],
      ["DUMP", "zlzf"],
    ],
  },
  {
    name: "dump skiplist sorted sets",
    steps: [
      [
        "ZADD",
        "zk",
        ...Array.from({ length: 200 }, (_, i) => [String((i * 37) % 101) + ".5", `member:${i}`]).flat(),
      ],
      ["OBJECT", "ENCODING", "zk"],
      ["DUMP", "zk"],
      ["ZADD", "zlong", "1", "x".repeat(65), "-0", "zero", "inf", "top", "-inf", "bottom", "2.5", "two"],
      ["OBJECT", "ENCODING", "zlong"],
      ["DUMP", "zlong"],
      ["ZADD", "zint", "1", "1", "2", "123456", "3", "y".repeat(100)],
      ["DUMP", "zint"],
    ],
  },
  {
    name: "dump lists",
    steps: [
      ["RPUSH", "l", "a", "1", "b", "1000000", "-7", "", b("\x00\xff")],
      ["DUMP", "l"],
      ["RPUSH", "li", ...INT_EDGES, ...NOT_INTS],
      ["DUMP", "li"],
      ["LPUSH", "lone", "x"],
      ["DUMP", "lone"],
      // Several quicklist nodes (8 KiB each by default).
      ["RPUSH", "lints", ...Array.from({ length: 3000 }, (_, i) => String(i + 1))],
      ["DUMP", "lints"],
      ["RPUSH", "lstr", ...Array.from({ length: 400 }, (_, i) => `element-${i}-${noise(i % 50, i)}`)],
      ["DUMP", "lstr"],
      ["RPUSH", "lbig", "a", "q".repeat(9000), "b", "r".repeat(5000), "s".repeat(5000), "c"],
      ["DUMP", "lbig"],
      [
        "RPUSH",
        "lmix",
        ...Array.from({ length: 500 }, (_, i) => (i % 3 ? String(i * 1000003) : noise(i % 300, i))),
      ],
      ["DUMP", "lmix"],
    ],
  },
  {
    name: "dump lists under list-max-listpack-size and list-compress-depth",
    steps: [
      ["CONFIG", "SET", "list-max-listpack-size", "5"],
      ["RPUSH", "l5", ...Array.from({ length: 23 }, (_, i) => `v${i}`)],
      ["DUMP", "l5"],
      ["CONFIG", "SET", "list-max-listpack-size", "-1"],
      ["RPUSH", "lm1", ...Array.from({ length: 1000 }, (_, i) => `value-${i}`)],
      ["DUMP", "lm1"],
      ["CONFIG", "SET", "list-max-listpack-size", "-5"],
      ["RPUSH", "lm5", ...Array.from({ length: 8000 }, (_, i) => `value-${i}`)],
      ["DUMP", "lm5"],
      ["CONFIG", "SET", "list-max-listpack-size", "0"],
      ["RPUSH", "l0", "a", "b", "c"],
      ["DUMP", "l0"],
      ["CONFIG", "SET", "list-max-listpack-size", "1000"],
      ["RPUSH", "l1000", ...Array.from({ length: 2000 }, (_, i) => `value-${i}`)],
      ["DUMP", "l1000"],
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
      // Middle nodes are LZF-compressed in memory and saved so, even with rdbcompression off.
      ["CONFIG", "SET", "list-compress-depth", "1"],
      ["RPUSH", "lc", ...Array.from({ length: 3000 }, (_, i) => `value-${i % 100}`)],
      ["DUMP", "lc"],
      ["CONFIG", "SET", "rdbcompression", "no"],
      ["DUMP", "lc"],
      ["RPUSH", "lc2", ...Array.from({ length: 1500 }, (_, i) => noise(10, i))],
      ["DUMP", "lc2"],
      // (Redis fixes a list's fill and compress depth when it is created, reddish applies the
      // current ones when dumping: a list dumped after those settings change may differ.)
      ["CONFIG", "SET", "list-compress-depth", "0"],
      ["CONFIG", "SET", "rdbcompression", "yes"],
    ],
  },
  {
    name: "dump without rdbcompression",
    steps: [
      ["CONFIG", "SET", "rdbcompression", "no"],
      ["HSET", "h", "field", "a".repeat(60)],
      ["DUMP", "h"],
      ["SET", "s", "b".repeat(100)],
      ["DUMP", "s"],
      ["ZADD", "z", "1", "m".repeat(60)],
      ["DUMP", "z"],
      ["CONFIG", "SET", "rdbcompression", "yes"],
      ["DUMP", "h"],
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// RESTORE of every RDB type
// ---------------------------------------------------------------------------------------------

/** Payloads used by several cases. */
const P = {
  hashLp: payload(body(RDB.HASH_LISTPACK, str(lp("f1", "v1", "f2", "2", "f3", "x".repeat(100))))),
  hashPlain: payload(body(RDB.HASH, len(3), str("b"), str("1"), str("a"), str("2"), str("c"), str("3"))),
  hashPlainLong: payload(body(RDB.HASH, len(2), str("a"), str("1"), str("b"), str("y".repeat(65)))),
  hashZiplist: payload(body(RDB.HASH_ZIPLIST, str(ziplist(["f", 1, "g", "value", "h", -70000])))),
  hashZipmap: payload(body(RDB.HASH_ZIPMAP, str(zipmap(["name", "redis", "ver", "2.4"], 2))), 4),
  setIntset64: payload(body(RDB.SET_INTSET, str(intset(8, [-3, 1, 2])))),
  setIntset16: payload(body(RDB.SET_INTSET, str(intset(2, [1, 2, 3, 4])))),
  setPlainInts: payload(body(RDB.SET, len(3), str("30"), str("-10"), str("20"))),
  setPlainMixed: payload(body(RDB.SET, len(3), str("30"), str("abc"), str("20"))),
  zset2: payload(body(RDB.ZSET_2, len(3), str("c"), dbl(3), str("a"), dbl(1.5), str("b"), dbl(-0))),
  zset2Long: payload(body(RDB.ZSET_2, len(2), str("a"), dbl(1), str("z".repeat(65)), dbl(2))),
  zsetText: payload(
    body(
      RDB.ZSET,
      len(6),
      str("a"),
      textDbl("1.5"),
      str("b"),
      textDbl(253 + 1),
      str("c"),
      textDbl(255),
      str("d"),
      textDbl(" 2e3xyz"),
      str("e"),
      textDbl("0x10"),
      str("f"),
      textDbl("-7"),
    ),
  ),
  zsetLp: payload(body(RDB.ZSET_LISTPACK, str(lp("a", "1", "b", "2.5", "c", "3")))),
  zsetZiplist: payload(body(RDB.ZSET_ZIPLIST, str(ziplist(["a", 1, "b", "2.5", "c", 3000000000])))),
  list: payload(body(RDB.LIST, len(3), str("a"), str("12"), str("c"))),
  listZiplist: payload(
    body(RDB.LIST_ZIPLIST, str(ziplist(["a", 0, 12, 13, -1, 300, 70000, 2 ** 40, "b".repeat(70)]))),
  ),
  quicklist: payload(
    body(RDB.LIST_QUICKLIST, len(3), str(ziplist(["a", "b"])), str(ziplist([])), str(ziplist([1, 2, 3]))),
  ),
  quicklist2: payload(
    body(
      RDB.LIST_QUICKLIST_2,
      len(3),
      len(2),
      str(lp("a", "b")),
      len(1),
      str("plain element"),
      len(2),
      str(lp("1", "2", "3")),
    ),
  ),
  quicklist2One: payload(body(RDB.LIST_QUICKLIST_2, len(1), len(2), str(lp("x", "y", "12")))),
};

const restoreCases: ParityCase[] = [
  {
    name: "restore hashes",
    steps: [
      // A listpack stays a listpack even with a value past hash-max-listpack-value.
      ["RESTORE", "h1", "0", P.hashLp],
      ["OBJECT", "ENCODING", "h1"],
      ["HGETALL", "h1"],
      ["DUMP", "h1"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
      ["RESTORE", "h2", "0", P.hashLp],
      ["OBJECT", "ENCODING", "h2"],
      { cmd: ["HGETALL", "h2"], compare: "unordered" }, // dict order
      ["HGET", "h2", "f3"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
      // RDB_TYPE_HASH: compacted to a listpack in payload order when it fits.
      ["RESTORE", "h3", "0", P.hashPlain],
      ["OBJECT", "ENCODING", "h3"],
      ["HGETALL", "h3"],
      ["DUMP", "h3"],
      ["RESTORE", "h4", "0", P.hashPlainLong],
      ["OBJECT", "ENCODING", "h4"],
      ["HLEN", "h4"],
      ["HGET", "h4", "b"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
      ["RESTORE", "h5", "0", P.hashPlain],
      ["OBJECT", "ENCODING", "h5"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
      ["RESTORE", "h6", "0", P.hashZiplist],
      ["OBJECT", "ENCODING", "h6"],
      ["HGETALL", "h6"],
      ["DUMP", "h6"],
      ["RESTORE", "h7", "0", P.hashZipmap],
      ["OBJECT", "ENCODING", "h7"],
      ["HGETALL", "h7"],
      ["DUMP", "h7"],
      ["CONFIG", "SET", "hash-max-listpack-value", "3"],
      ["RESTORE", "h8", "0", P.hashZipmap],
      ["OBJECT", "ENCODING", "h8"],
      ["RESTORE", "h9", "0", P.hashZiplist],
      ["OBJECT", "ENCODING", "h9"],
      ["CONFIG", "SET", "hash-max-listpack-value", "64"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "1"],
      ["RESTORE", "h10", "0", P.hashZiplist],
      ["OBJECT", "ENCODING", "h10"],
      ["HGET", "h10", "h"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
    ],
  },
  {
    name: "restore sets",
    steps: [
      // The intset keeps the payload's width, as Redis never narrows an intset.
      ["RESTORE", "s1", "0", P.setIntset64],
      ["OBJECT", "ENCODING", "s1"],
      ["SMEMBERS", "s1"],
      ["DUMP", "s1"],
      ["SADD", "s1", "100"],
      ["DUMP", "s1"],
      ["RESTORE", "s2", "0", P.setIntset16],
      ["DUMP", "s2"],
      ["CONFIG", "SET", "set-max-intset-entries", "3"],
      ["RESTORE", "s3", "0", P.setIntset16],
      ["OBJECT", "ENCODING", "s3"],
      ["SCARD", "s3"],
      { cmd: ["SMEMBERS", "s3"], compare: "unordered" }, // dict order
      ["RESTORE", "s4", "0", P.setPlainInts],
      ["OBJECT", "ENCODING", "s4"],
      ["CONFIG", "SET", "set-max-intset-entries", "2"],
      ["RESTORE", "s5", "0", P.setPlainInts],
      ["OBJECT", "ENCODING", "s5"],
      { cmd: ["SMEMBERS", "s5"], compare: "unordered" }, // dict order
      ["CONFIG", "SET", "set-max-intset-entries", "512"],
      // RDB_TYPE_SET of integers becomes an intset (sorted).
      ["RESTORE", "s6", "0", P.setPlainInts],
      ["OBJECT", "ENCODING", "s6"],
      ["SMEMBERS", "s6"],
      ["DUMP", "s6"],
      ["RESTORE", "s7", "0", P.setPlainMixed],
      ["OBJECT", "ENCODING", "s7"],
      ["SCARD", "s7"],
      ["SISMEMBER", "s7", "abc"],
      ["SISMEMBER", "s7", "30"],
    ],
  },
  {
    name: "restore sorted sets",
    steps: [
      // Skiplist payloads become listpacks when they fit (sorted; -0 stored as 0).
      ["RESTORE", "z1", "0", P.zset2],
      ["OBJECT", "ENCODING", "z1"],
      ["ZRANGE", "z1", "0", "-1", "WITHSCORES"],
      ["DUMP", "z1"],
      ["RESTORE", "z2", "0", P.zset2Long],
      ["OBJECT", "ENCODING", "z2"],
      ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
      ["DUMP", "z2"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "2"],
      ["RESTORE", "z3", "0", P.zset2],
      ["OBJECT", "ENCODING", "z3"],
      ["ZSCORE", "z3", "b"],
      ["DUMP", "z3"],
      ["RESTORE", "z4", "0", P.zsetLp],
      ["OBJECT", "ENCODING", "z4"],
      ["DUMP", "z4"],
      ["RESTORE", "z5", "0", P.zsetZiplist],
      ["OBJECT", "ENCODING", "z5"],
      ["DUMP", "z5"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
      ["RESTORE", "z6", "0", P.zsetLp],
      ["OBJECT", "ENCODING", "z6"],
      ["ZRANGE", "z6", "0", "-1", "WITHSCORES"],
      ["DUMP", "z6"],
      ["RESTORE", "z7", "0", P.zsetZiplist],
      ["OBJECT", "ENCODING", "z7"],
      ["ZRANGE", "z7", "0", "-1", "WITHSCORES"],
      ["DUMP", "z7"],
      ["RESTORE", "z8", "0", P.zsetText],
      ["OBJECT", "ENCODING", "z8"],
      ["ZRANGE", "z8", "0", "-1", "WITHSCORES"],
      ["DUMP", "z8"],
      ["CONFIG", "SET", "zset-max-listpack-value", "0"],
      ["RESTORE", "z9", "0", P.zset2],
      ["OBJECT", "ENCODING", "z9"],
      ["RESTORE", "z10", "0", P.zsetLp],
      ["OBJECT", "ENCODING", "z10"],
      ["CONFIG", "SET", "zset-max-listpack-value", "64"],
    ],
  },
  {
    name: "restore lists",
    steps: [
      ["RESTORE", "l1", "0", P.list],
      ["OBJECT", "ENCODING", "l1"],
      ["LRANGE", "l1", "0", "-1"],
      ["DUMP", "l1"],
      ["RESTORE", "l2", "0", P.listZiplist],
      ["LRANGE", "l2", "0", "-1"],
      ["DUMP", "l2"],
      ["RESTORE", "l3", "0", P.quicklist],
      ["LRANGE", "l3", "0", "-1"],
      ["LLEN", "l3"],
      ["RESTORE", "l4", "0", P.quicklist2],
      ["LRANGE", "l4", "0", "-1"],
      ["LINDEX", "l4", "2"],
      ["RESTORE", "l5", "0", P.quicklist2One],
      ["LRANGE", "l5", "0", "-1"],
      ["DUMP", "l5"],
      ["RPUSH", "l5", "more"],
      ["DUMP", "l5"],
    ],
  },
  {
    name: "restore round trips of reddish-made payloads",
    steps: [
      ["HSET", "h", "a", "1", "b", "2"],
      ["SADD", "s", "1", "2", "3"],
      ["ZADD", "z", "1", "a", "2", "b"],
      ["RPUSH", "l", "x", "y"],
      ["RESTORE", "h2", "0", payload(body(RDB.HASH_LISTPACK, str(lp("a", "1", "b", "2"))))],
      ["RESTORE", "s2", "0", payload(body(RDB.SET_INTSET, str(intset(2, [1, 2, 3]))))],
      ["RESTORE", "z2", "0", payload(body(RDB.ZSET_LISTPACK, str(lp("a", "1", "b", "2"))))],
      ["RESTORE", "l2", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1), len(2), str(lp("x", "y"))))],
      ["RESTORE", "h", "0", payload(body(RDB.HASH_LISTPACK, str(lp("a", "1"))))],
      ["RESTORE", "h", "0", payload(body(RDB.HASH_LISTPACK, str(lp("a", "1")))), "REPLACE"],
      ["HGETALL", "h"],
      ["RESTORE", "ttl", "100000", P.zsetLp],
      { cmd: ["PTTL", "ttl"], compare: { approx: 100 } },
      ["TYPE", "ttl"],
      ["EXISTS", "h2", "s2", "z2", "l2"],
    ],
  },
  {
    name: "restore rejects payloads Redis rejects without a deep scan",
    steps: [
      // Listpack header: total bytes, end byte, size.
      ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), 0, 99))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), -1, 0))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(b("\x07\x00\x00"))))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_LISTPACK, str(patch(lp("a", "1"), 0, 5))))],
      // Empty values are errors (an empty key).
      ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(lp())))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_LISTPACK, str(lp())))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.SET, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_2, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(0)))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1), len(2), str(lp())))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST, len(1), str(ziplist([]))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(ziplist([]))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_ZIPLIST, str(ziplist([]))))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_ZIPLIST, str(ziplist([]))))],
      ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(intset(2, []))))],
      // Quicklist containers and nodes.
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1), len(3), str(lp("a"))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1), len(0), str(lp("a"))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1), len(1), str("")))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(2), len(2), str(lp("a"))))],
      // Intsets: width, size.
      ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(patch(intset(2, [1, 2]), 0, 3))))],
      ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(patch(intset(2, [1, 2]), 4, 3))))],
      ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(b("\x02\x00\x00"))))],
      // Duplicates found while building a hashtable (or an intset) are always errors.
      ["RESTORE", "x", "0", payload(body(RDB.SET, len(2), str("1"), str("1")))],
      ["RESTORE", "x", "0", payload(body(RDB.SET, len(3), str("a"), str("b"), str("a")))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_2, len(2), str("a"), dbl(1), str("a"), dbl(2)))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET, len(2), str("a"), textDbl("1"), str("a"), textDbl("2")))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_2, len(1), str("a"), dbl(NaN)))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET, len(1), str("a"), textDbl(253)))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET, len(1), str("a"), textDbl("abc")))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_ZIPLIST, str(ziplist(["a", "1", "a", "2"]))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_ZIPLIST, str(ziplist(["a", "1", "b"]))))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_ZIPLIST, str(ziplist(["a", 1, "a", 2]))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_ZIPMAP, str(zipmap(["a", "1", "a", "2"]))))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_ZIPMAP, str(b("\x00\xff"))))],
      [
        "RESTORE",
        "x",
        "0",
        payload(
          body(
            RDB.HASH,
            len(200),
            ...Array.from({ length: 200 }, (_, i) => [str(`f${i % 150}`), str("v")]).flat(),
          ),
        ),
      ],
      // Ziplists are always scanned deeply: bad counts, tails, prevlens, encodings.
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(patch(ziplist(["a", "b"]), 8, 3))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(patch(ziplist(["a", "b"]), 4, 10))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(patch(ziplist(["a", "b"]), 13, 5))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(patch(ziplist(["a", 5]), 14, 0xc5))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_ZIPLIST, str(patch(ziplist(["a", "b"]), 0, 20))))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST, len(1), str(patch(ziplist(["a"]), 11, 9))))],
      // Truncated bodies.
      ["RESTORE", "x", "0", payload(body(RDB.HASH, len(2), str("a"), str("1")))],
      ["RESTORE", "x", "0", payload(body(RDB.ZSET_2, len(2), str("a"), dbl(1)))],
      ["RESTORE", "x", "0", payload(body(RDB.LIST_QUICKLIST_2, len(1)))],
      ["RESTORE", "x", "0", payload(body(RDB.SET, len(1)))],
      ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK))],
      // Types Redis does not load as a value here.
      ["RESTORE", "x", "0", payload(body(6, len(0)))],
      ["RESTORE", "x", "0", payload(body(8, str(lp("a", "1"))))],
      ["RESTORE", "x", "0", payload(body(20, str(lp("a", "1"))))],
      ["EXISTS", "x"],
      // The CRC is checked first.
      ["RESTORE", "x", "0", patch(P.hashLp, 3, 0)],
      ["RESTORE", "x", "0", patch(P.zset2, -1, 0)],
    ],
  },
];

paritySuite("DUMP/RESTORE collections", [...dumpCases, ...restoreCases]);

/**
 * Corrupt payloads Redis accepts unless it deep-scans them (`sanitize-dump-payload yes`), which
 * reddish always rejects: malformed entries, duplicates, odd pair counts, unsorted intsets.
 */
paritySuite(
  "DUMP/RESTORE collections (sanitize-dump-payload yes)",
  [
    {
      name: "restore rejects what a deep scan rejects",
      steps: [
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(lp("a", "1", "a", "2"))))],
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(lp("a", "1", "b"))))],
        ["RESTORE", "x", "0", payload(body(RDB.ZSET_LISTPACK, str(lp("a", "1", "a", "2"))))],
        ["RESTORE", "x", "0", payload(body(RDB.ZSET_LISTPACK, str(lp("a", "1", "b"))))],
        ["RESTORE", "x", "0", payload(body(RDB.HASH, len(2), str("a"), str("1"), str("a"), str("2")))],
        // A wrong element count, a bad backlen, an unknown encoding, an entry past the end.
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), 4, 4))))],
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), 8, 7))))],
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), 9, 0xf5))))],
        ["RESTORE", "x", "0", payload(body(RDB.HASH_LISTPACK, str(patch(lp("a", "1"), 6, 0x85))))],
        [
          "RESTORE",
          "x",
          "0",
          payload(body(RDB.LIST_QUICKLIST_2, len(1), len(2), str(patch(lp("a", "b"), 4, 1)))),
        ],
        [
          "RESTORE",
          "x",
          "0",
          payload(body(RDB.LIST_QUICKLIST_2, len(1), len(2), str(patch(lp("abc"), 6, 0xe0)))),
        ],
        // Unsorted or duplicate intset members.
        ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(intset(2, [5, 3]))))],
        ["RESTORE", "x", "0", payload(body(RDB.SET_INTSET, str(intset(4, [3, 3]))))],
        ["EXISTS", "x"],
        // Valid payloads still load.
        ["RESTORE", "ok", "0", P.hashLp],
        ["HGETALL", "ok"],
        ["RESTORE", "ok2", "0", P.quicklist2],
        ["LRANGE", "ok2", "0", "-1"],
      ],
    },
  ],
  { redisArgs: ["--sanitize-dump-payload", "yes"], reddishConfig: { "sanitize-dump-payload": "yes" } },
);

// ---------------------------------------------------------------------------------------------
// Cross-server: random values, payloads restored on the other server
// ---------------------------------------------------------------------------------------------

describe("DUMP/RESTORE collections: cross-server", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  let a: RawConnection;
  let r: RawConnection;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer({});
    a = await RawConnection.connect(redis.port);
    r = await RawConnection.connect(reddish.port);
  });
  after(async () => {
    a.close();
    r.close();
    await redis.stop();
    await reddish.close();
  });

  async function both(...args: (string | Buffer)[]): Promise<[Parsed, Parsed]> {
    const [x, y] = await Promise.all([a.call(...args), r.call(...args)]);
    return [x!, y!];
  }

  let seed = 77;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  /** A random element: often an integer, sometimes binary, of varied lengths. */
  const element = (maxLen: number): string => {
    switch (rand(5)) {
      case 0:
        return String(rand(1000));
      case 1:
        return String(rand(2 ** 24) * (rand(2) ? 1 : -1) * (rand(3) ? 1 : 100003));
      case 2:
        return noise(rand(maxLen + 1), rand(1 << 30));
      case 3:
        return Array.from({ length: rand(maxLen + 1) }, () => String.fromCharCode(rand(256))).join("");
      default:
        return "e".repeat(rand(maxLen + 1)) + rand(100);
    }
  };

  /** A value's contents in canonical form (sorted where the order is the dict's). */
  async function contents(conn: RawConnection, type: string, key: string): Promise<string> {
    const cmd =
      type === "hash"
        ? ["HGETALL", key]
        : type === "set"
          ? ["SMEMBERS", key]
          : type === "zset"
            ? ["ZRANGE", key, "0", "-1", "WITHSCORES"]
            : ["LRANGE", key, "0", "-1"];
    const reply = (await conn.call(...cmd))!;
    const items = (reply.value as Parsed[]).map((p) => String(p.value));
    if (type === "hash") {
      const pairs: string[] = [];
      for (let i = 0; i < items.length; i += 2) pairs.push(JSON.stringify([items[i], items[i + 1]]));
      return pairs.sort().join("\n");
    }
    if (type === "set") return items.sort().join("\n");
    return JSON.stringify(items);
  }

  /**
   * Builds the same value on both servers, then: compact encodings must DUMP identically;
   * every payload must restore on the other server to the same contents and encoding.
   */
  async function check(
    type: string,
    commands: (string | Buffer)[][],
  ): Promise<{ same: boolean; compact: boolean }> {
    await both("DEL", "k", "k2");
    for (const c of commands) {
      const [x, y] = await both(...c);
      assert.equal(y.raw.toString("latin1"), x.raw.toString("latin1"), c.slice(0, 3).join(" "));
    }
    const [enc] = await both("OBJECT", "ENCODING", "k");
    const encoding = String(enc.value);
    const compact = ["listpack", "intset", "skiplist", "quicklist"].includes(encoding);
    const [dx, dy] = await both("DUMP", "k");
    const same = dx.raw.equals(dy.raw);
    const original = await contents(a, type, "k");
    // Redis's payload into reddish, reddish's into Redis.
    for (const [conn, other, dump] of [
      [r, a, dx],
      [a, r, dy],
    ] as const) {
      const ok = await conn.call("RESTORE", "k2", "0", Buffer.from(String(dump.value), "latin1"), "REPLACE");
      assert.equal(ok!.type, "+", `RESTORE on ${conn === r ? "reddish" : "redis"}: ${String(ok!.value)}`);
      assert.equal(await contents(conn, type, "k2"), original);
      const e2 = await conn.call("OBJECT", "ENCODING", "k2");
      const e1 = await other.call("OBJECT", "ENCODING", "k");
      assert.equal(e2!.value, e1!.value);
    }
    return { same, compact };
  }

  test("hashes", async () => {
    let differences = 0;
    for (let i = 0; i < 60; i++) {
      const n = i < 40 ? 1 + rand(130) : 130 + rand(400);
      const maxLen = i % 5 === 0 ? 80 : 20;
      const args: string[] = [];
      for (let j = 0; j < n; j++) args.push(element(maxLen) + "#" + j, element(maxLen));
      const { same, compact } = await check("hash", [["HSET", "k", ...args]]);
      if (compact && !same) differences++;
    }
    assert.equal(differences, 0);
  });

  test("sets", async () => {
    let differences = 0;
    for (let i = 0; i < 60; i++) {
      const n = i < 30 ? 1 + rand(600) : 1 + rand(100);
      const members: string[] = [];
      for (let j = 0; j < n; j++) {
        members.push(
          i < 30 ? String(rand(2 ** 30) * (rand(2) ? 1 : -1) * (i % 3 ? 1 : 2 ** 20)) : element(30),
        );
      }
      const { same, compact } = await check("set", [["SADD", "k", ...members]]);
      if (compact && !same) differences++;
    }
    assert.equal(differences, 0);
  });

  test("sorted sets", async () => {
    let differences = 0;
    for (let i = 0; i < 60; i++) {
      const n = i < 40 ? 1 + rand(140) : 130 + rand(300);
      const args: string[] = [];
      for (let j = 0; j < n; j++) {
        const score =
          rand(4) === 0
            ? String(rand(100))
            : rand(3) === 0
              ? (rand(10 ** 6) / 1000 - 500).toString()
              : String(rand(2 ** 30) * 2 ** rand(40) * (rand(2) ? 1 : -1));
        args.push(score, element(i % 7 === 0 ? 70 : 20));
      }
      const { same, compact } = await check("zset", [["ZADD", "k", ...args]]);
      if (compact && !same) differences++;
    }
    assert.equal(differences, 0);
  });

  test("lists", async () => {
    let differences = 0;
    for (let i = 0; i < 40; i++) {
      const n = 1 + rand(i < 20 ? 200 : 5000);
      const items: string[] = [];
      for (let j = 0; j < n; j++) items.push(element(i % 4 === 0 ? 400 : 30));
      const { same } = await check("list", [["RPUSH", "k", ...items]]);
      if (!same) differences++;
    }
    assert.equal(differences, 0);
  });
});
