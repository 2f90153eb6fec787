/**
 * Parity cases for sorted-set encodings (listpack/skiplist limits, conversion, COPY, config),
 * MEMORY USAGE of listpacks, ZSCAN, and interplay with WATCH, TTLs and MULTI.
 *
 * Everything is compared byte for byte except ZSCAN of a skiplist-encoded set: Redis walks its
 * hash table (hash order with a per-process random seed, dict cursors), so those replies are
 * compared by shape only ("type"); reddish's full iterations are checked in the unit tests.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

/** ZADD arguments for n members `m000`.. with scores from `score(i)`. */
function pairs(n: number, score: (i: number) => number | string = (i) => i, prefix = "m"): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String(score(i)), `${prefix}${String(i).padStart(3, "0")}`);
  return out;
}

/** Shape-only comparison (see the file comment). */
const shape = (cmd: string[]): Step => ({ cmd, compare: "type" });

const ENCODINGS: ParityCase[] = [
  {
    name: "listpack up to 128 entries, skiplist beyond",
    steps: [
      ["ZADD", "z", ...pairs(128)],
      ["OBJECT", "ENCODING", "z"],
      ["ZADD", "z", "5", "m005"],
      ["OBJECT", "ENCODING", "z"],
      ["ZADD", "z", "1000", "extra"],
      ["OBJECT", "ENCODING", "z"],
      ["ZREM", "z", "extra", "m000", "m001"],
      ["OBJECT", "ENCODING", "z"],
      ["ZRANGE", "z", "0", "4", "WITHSCORES"],
      ["ZADD", "w", "1", "x".repeat(64)],
      ["OBJECT", "ENCODING", "w"],
      ["ZADD", "w", "2", "y".repeat(65)],
      ["OBJECT", "ENCODING", "w"],
      ["ZADD", "w2", "1", "short", "2", "y".repeat(65)],
      ["OBJECT", "ENCODING", "w2"],
      ["ZADD", "w3", "1", "y".repeat(65), "2", "short"],
      ["OBJECT", "ENCODING", "w3"],
      ["ZADD", "w4", "XX", "1", "y".repeat(65)],
      ["ZADD", "w4", "1", "a"],
      ["ZADD", "w4", "XX", "1", "y".repeat(65)],
      ["OBJECT", "ENCODING", "w4"],
      ["ZADD", "big", ...pairs(129)],
      ["OBJECT", "ENCODING", "big"],
      ["COPY", "big", "big2"],
      ["OBJECT", "ENCODING", "big2"],
      ["ZRANGE", "big2", "0", "3", "WITHSCORES"],
      ["COPY", "w", "w5"],
      ["OBJECT", "ENCODING", "w5"],
      ["COPY", "z", "z2"],
      ["OBJECT", "ENCODING", "z2"],
      ["ZRANGE", "z2", "-3", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "zset-max-listpack-entries and -value are honoured",
    steps: [
      ["CONFIG", "SET", "zset-max-listpack-entries", "3"],
      ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
      ["OBJECT", "ENCODING", "z"],
      ["ZADD", "z", "4", "d"],
      ["OBJECT", "ENCODING", "z"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "0"],
      ["ZADD", "zero", "1", "a"],
      ["OBJECT", "ENCODING", "zero"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
      ["CONFIG", "SET", "zset-max-listpack-value", "2"],
      ["ZADD", "v", "1", "ab"],
      ["OBJECT", "ENCODING", "v"],
      ["ZADD", "v", "1", "abc"],
      ["OBJECT", "ENCODING", "v"],
      ["ZADD", "v2", "1", "abc"],
      ["OBJECT", "ENCODING", "v2"],
      ["CONFIG", "SET", "zset-max-listpack-value", "64"],
      ["ZRANGE", "v", "0", "-1", "WITHSCORES"],
    ],
  },
];

const MEMORY: ParityCase = {
  name: "MEMORY USAGE of listpack-encoded sets",
  steps: [
    ["ZADD", "z", "1", "a", "2", "b"],
    ["MEMORY", "USAGE", "z"],
    [
      "ZADD",
      "z2",
      "1.5",
      "abc",
      "100000",
      "12345",
      "3",
      "yy",
      "-5",
      "-77",
      "1e20",
      "big",
      "inf",
      "i",
      "-0",
      "negz",
      "0.1",
      "p",
      "4611686018427387904",
      "m",
      "5000",
      "q",
      "-4097",
      "r",
    ],
    ["MEMORY", "USAGE", "z2"],
    ["ZADD", "z3", ...pairs(128, (i) => i * 1000.5)],
    ["MEMORY", "USAGE", "z3"],
    ["MEMORY", "USAGE", "z3", "SAMPLES", "0"],
    ["ZADD", "z4", "1", "x".repeat(64), "2", "y".repeat(63)],
    ["MEMORY", "USAGE", "z4"],
    ["ZREM", "z3", "m005", "m100"],
    ["MEMORY", "USAGE", "z3"],
  ],
};

const SCAN: ParityCase[] = [
  {
    name: "ZSCAN of a listpack returns everything in order",
    steps: [
      ["ZADD", "z", "3", "c", "1", "a", "2", "b", "1.5", "ab", "1e17", "big", "-2", "neg", "inf", "top"],
      ["ZSCAN", "z", "0"],
      ["ZSCAN", "z", "12345"],
      ["ZSCAN", "z", "0", "COUNT", "1"],
      ["ZSCAN", "z", "0", "MATCH", "a*"],
      ["ZSCAN", "z", "0", "match", "*b*", "count", "100"],
      ["ZSCAN", "z", "0", "MATCH", "nothing"],
      ["ZSCAN", "z", "0", "COUNT", "0"],
      ["ZSCAN", "z", "0", "COUNT", "-1"],
      ["ZSCAN", "z", "0", "COUNT", "x"],
      ["ZSCAN", "z", "0", "COUNT"],
      ["ZSCAN", "z", "0", "MATCH"],
      ["ZSCAN", "z", "0", "FOO", "bar"],
      ["ZSCAN", "z", "x"],
      ["ZSCAN", "z", "-1"],
      ["ZSCAN", "z", "18446744073709551616"],
      ["ZSCAN", "missing", "0"],
      ["ZSCAN", "missing", "0", "COUNT", "0"],
      ["ZSCAN", "missing", "x"],
    ],
  },
  {
    name: "ZSCAN of a skiplist (hash order in Redis: shapes only)",
    steps: [
      ["ZADD", "big", ...pairs(200, (i) => i * 1.5)],
      shape(["ZSCAN", "big", "0", "COUNT", "1000"]),
      shape(["ZSCAN", "big", "0", "COUNT", "1000", "MATCH", "m19*"]),
      ["ZSCAN", "big", "0", "COUNT", "0"],
      ["ZSCAN", "big", "x"],
    ],
  },
];

const INTERPLAY: ParityCase[] = [
  {
    name: "WATCH sees changes, not no-ops",
    steps: [
      ["ZADD", "z", "1", "a"],
      ["WATCH", "z"],
      ["ZADD", "z", "NX", "5", "a"],
      ["ZADD", "z", "1", "a"],
      ["ZREM", "z", "nope"],
      ["ZREMRANGEBYSCORE", "z", "5", "6"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      ["WATCH", "z"],
      ["ZINCRBY", "z", "1", "a"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      ["WATCH", "z"],
      ["ZREM", "z", "a"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      ["WATCH", "d"],
      ["ZADD", "src", "1", "a"],
      ["ZUNIONSTORE", "d", "1", "src"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "TTL is kept by in-place changes and cleared by stores",
    steps: [
      ["ZADD", "z", "1", "a", "2", "b"],
      ["EXPIRE", "z", "100"],
      ["ZADD", "z", "3", "c"],
      ["ZREM", "z", "a"],
      ["ZINCRBY", "z", "1", "b"],
      ["TTL", "z"],
      ["ZUNIONSTORE", "z", "1", "z"],
      ["TTL", "z"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "sorted sets inside MULTI",
    steps: [
      ["MULTI"],
      ["ZADD", "z", "1", "a", "2", "b"],
      ["ZINCRBY", "z", "1.5", "a"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["ZPOPMIN", "z"],
      ["ZADD", "z", "NX", "XX", "1", "a"],
      ["ZSCORE", "z", "a"],
      ["EXEC"],
    ],
  },
];

paritySuite("sorted set encodings", [...ENCODINGS, MEMORY, ...SCAN, ...INTERPLAY]);
