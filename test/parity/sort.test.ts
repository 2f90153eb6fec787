/**
 * Parity cases for SORT and SORT_RO over lists, sets and sorted sets: numeric and ALPHA sorts,
 * ASC/DESC, LIMIT (negative, huge and out-of-range values), BY (string and hash-field weights,
 * missing and wrong-type weights, constant patterns), GET (`#`, strings, hash fields, missing
 * values), STORE, strtod's edge cases in weights, NUL bytes in keywords, patterns and elements,
 * ties (Redis's stable full sort and its partial quicksort with LIMIT), and every error path.
 *
 * Comparison rules: everything is byte for byte, except SORT ... BY nosort over a hashtable set,
 * whose order is Redis's dict (hash) order: compared "unordered".
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

/** Redis dict order: compare as a multiset. */
const unordered = (cmd: string[]): Step => ({ cmd, compare: "unordered" });

/** A deterministic shuffle of 0..n-1 (LCG), so lists are not already sorted. */
function shuffled(n: number, seed = 7): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Element names e00.. in shuffled order. */
function names(n: number, seed = 7): string[] {
  return shuffled(n, seed).map((i) => `e${String(i).padStart(2, "0")}`);
}

const B = (bytes: number[] | string): Buffer =>
  typeof bytes === "string" ? Buffer.from(bytes, "latin1") : Buffer.from(bytes);

const ARITY_AND_ERRORS: ParityCase = {
  name: "arity, syntax, WRONGTYPE and error order",
  steps: [
    ["SORT"],
    ["SORT_RO"],
    ["RPUSH", "l", "3", "1", "2"],
    ["SET", "str", "x"],
    ["HSET", "h", "f", "v"],
    ["SORT", "l", "foo"],
    ["SORT", "l", "LIMIT"],
    ["SORT", "l", "LIMIT", "1"],
    ["SORT", "l", "LIMIT", "a", "1"],
    ["SORT", "l", "LIMIT", "1", "a"],
    ["SORT", "l", "LIMIT", "1", "1.5"],
    ["SORT", "l", "LIMIT", "9223372036854775808", "1"],
    ["SORT", "l", "BY"],
    ["SORT", "l", "GET"],
    ["SORT", "l", "STORE"],
    ["SORT", "l", "ASC", "foo", "LIMIT", "a", "b"],
    ["SORT", "l", "LIMIT", "a", "b", "foo"],
    ["SORT_RO", "l", "STORE", "d"],
    ["SORT_RO", "l", "LIMIT", "0", "1", "STORE", "d"],
    ["SORT_RO", "l", "STORE"],
    ["EXISTS", "d"],
    ["SORT", "str"],
    ["SORT_RO", "str"],
    ["SORT", "h"],
    ["SORT", "h", "BY", "nosort"],
    ["SORT", "str", "foo"],
    ["SORT", "str", "LIMIT", "x", "1"],
    ["SORT", "str", "STORE", "d"],
    ["EXISTS", "d"],
    ["SORT", "missing"],
    ["SORT_RO", "missing"],
    ["SORT", "missing", "BY", "nosort", "LIMIT", "1", "1"],
    ["SORT", "missing", "DESC", "ALPHA", "GET", "#", "GET", "x_*"],
  ],
};

const NUMERIC_LIST: ParityCase = {
  name: "numeric sort of a list: ASC, DESC, ties, LIMIT",
  steps: [
    ["RPUSH", "l", "3", "1", "2", "10", "5", "-4", "2.5", "1e2", "-inf", "+inf", "0", "-0", "007"],
    ["SORT", "l"],
    ["SORT", "l", "ASC"],
    ["SORT", "l", "DESC"],
    ["SORT", "l", "desc", "ASC"],
    ["SORT", "l", "asc", "desc"],
    ["SORT_RO", "l"],
    ["SORT_RO", "l", "DESC", "LIMIT", "2", "3"],
    ["RPUSH", "ties", "1", "1.0", "01", "+1", "1e0", "0x1", " 1", "1", "\t1", "0.1e1"],
    ["SORT", "ties"],
    ["SORT", "ties", "DESC"],
    ["RPUSH", "one", "42"],
    ["SORT", "one"],
    ["SORT", "one", "LIMIT", "1", "1"],
  ],
};

const LIMITS: ParityCase = {
  name: "LIMIT offsets and counts",
  steps: [
    ["RPUSH", "l", "3", "1", "2", "10", "5"],
    ...[
      ["0", "0"],
      ["0", "1"],
      ["0", "-1"],
      ["0", "-100"],
      ["1", "-1"],
      ["-5", "2"],
      ["-1", "-1"],
      ["2", "100"],
      ["4", "5"],
      ["5", "1"],
      ["10", "2"],
      ["1", "9223372036854775807"],
      ["2", "9223372036854775807"],
      ["9223372036854775807", "9223372036854775807"],
      ["-9223372036854775808", "2"],
      ["2", "-9223372036854775808"],
      ["+1", "2"],
      ["01", "2"],
    ].flatMap(([off, cnt]) => [
      ["SORT", "l", "LIMIT", off!, cnt!],
      ["SORT", "l", "LIMIT", off!, cnt!, "DESC"],
      ["SORT", "l", "BY", "nosort", "LIMIT", off!, cnt!],
      ["SORT", "l", "BY", "nosort", "DESC", "LIMIT", off!, cnt!],
      ["SORT", "l", "LIMIT", off!, cnt!, "GET", "#", "GET", "x"],
    ]),
    ["SORT", "l", "LIMIT", "3", "1", "LIMIT", "0", "2"],
    ["SORT", "missing", "LIMIT", "0", "10"],
    ["SORT", "missing", "LIMIT", "-1", "-1"],
  ],
};

const ALPHA: ParityCase = {
  name: "ALPHA: byte order, NUL bytes (strcoll vs STORE's binary compare), high bytes",
  steps: [
    ["RPUSH", "l", "b", "a", "B", "10", "9", "", "ab", "a", "aa", "Z", "~"],
    ["SORT", "l", "ALPHA"],
    ["SORT", "l", "ALPHA", "DESC"],
    ["SORT", "l", "alpha", "LIMIT", "2", "4"],
    ["SORT", "l"],
    [
      "RPUSH",
      "bin",
      B([0xc3, 0xa9]),
      "z",
      B([0xff]),
      B("a\0c"),
      B("a\0b"),
      "a",
      B("a\0a"),
      "B",
      "b",
      B([0x80]),
      B([0x7f]),
    ],
    ["SORT", "bin", "ALPHA"],
    ["SORT", "bin", "ALPHA", "DESC"],
    ["SORT", "bin", "ALPHA", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "bin", "ALPHA", "DESC", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "bin", "ALPHA", "BY", "nosort"],
  ],
};

/** One list per weight: the weight sorted against 0 and 5, or the conversion error. */
function weightSteps(values: (string | Buffer)[]): (string | Buffer)[][] {
  return values.flatMap((v) => [
    ["DEL", "k"],
    ["RPUSH", "k", "5", v, "0"],
    ["SORT", "k"],
    ["SORT", "k", "DESC"],
  ]);
}

/** The exact decimal expansion of 2^-1074 (the smallest subnormal), and a neighbour of it. */
const MIN_SUBNORMAL = `0.${(5n ** 1074n).toString().padStart(1074, "0")}`;
const NEAR_MIN_SUBNORMAL = MIN_SUBNORMAL.slice(0, -1) + "6";
const THREE_MIN_SUBNORMAL = `0.${(3n * 5n ** 1074n).toString().padStart(1074, "0")}`;

/**
 * Weights strtod converts (or rejects without ERANGE). Weights that make strtod set ERANGE are in
 * {@link RANGE_ERRORS}: Redis 7.0 never clears errno before that strtod, so after one ERANGE every
 * later SORT weight on the server fails too until something else overwrites errno (a new
 * connection, a ZADD...). reddish does not reproduce that sticky state (deliberate difference); each
 * ERANGE weight gets a case of its own, whose fresh connections reset Redis's errno.
 */
const STRTOD: ParityCase = {
  name: "numeric weights parsed like strtod",
  steps: [
    ...weightSteps([
      "",
      " 1",
      "1 ",
      "\t2",
      "\n2",
      B("\x0b2"),
      B("\x0c2"),
      "\r2",
      "  ",
      "0x10",
      "0X1P3",
      "0x.8",
      "0x1.",
      "0x",
      "0x1p",
      "-0x1.8p1",
      "2.2250738585072014e-308",
      "2.2250738585072013e-308",
      "0X1P-1074",
      "0x0.0000000000001p-1022",
      "0x1p1023",
      "0x1.fffffffffffff7p1023",
      "1.7976931348623158e308",
      "0e-999999",
      "0e999999999999999999",
      "0x0p99999",
      "inf",
      "-inf",
      "+INF",
      "infinity",
      "-Infinity",
      "infinit",
      "nan",
      "-nan",
      "NaN",
      "nan(1)",
      "+.5",
      "1.",
      ".e1",
      ".",
      "1e",
      "1e+",
      "1e-5",
      "-",
      "+",
      "abc",
      "1abc",
      B("1\0x"),
      B("\0x"),
      B("\0"),
      B(" \0x"),
      "12345678901234567890",
      "9007199254740993",
      "-9223372036854775808",
      MIN_SUBNORMAL,
      THREE_MIN_SUBNORMAL,
      `${THREE_MIN_SUBNORMAL}000000`,
    ]),
    // Every bad weight is reported once; nothing is stored.
    ["RPUSH", "bad", "a", "b", "1"],
    ["SET", "d", "keep"],
    ["SORT", "bad", "STORE", "d"],
    ["GET", "d"],
    ["SORT", "bad", "ALPHA"],
    ["SORT", "bad", "BY", "nosort"],
    ["MSET", "w_a", "1", "w_b", "x"],
    ["SORT", "bad", "BY", "w_*"],
    ["SORT", "bad", "BY", "w_*", "ALPHA"],
  ],
};

/** Weights for which strtod sets ERANGE (overflow, or inexact underflow): one case each. */
const RANGE_ERRORS: ParityCase[] = [
  "1e400",
  "-1e400",
  "1e-400",
  "1e-310",
  "4.9e-324",
  "2.2250738585072012e-308",
  "2.2250738585072011e-308",
  "0x1p-1075",
  "0x1p-1076",
  "0x1.fffffffffffffp-1023",
  "0x0.fffffffffffff8p-1022",
  "0x1p1024",
  "0x1.fffffffffffff8p1023",
  "1.7976931348623159e308",
  "1e-99999999999999999999",
  NEAR_MIN_SUBNORMAL,
  `${MIN_SUBNORMAL}e-1`,
].map((v, i) => ({
  name: `ERANGE weight #${i} (${v.slice(0, 30)})`,
  steps: [
    ["RPUSH", "k", "5", v, "0"],
    ["SORT", "k"],
    ["MSET", "w_5", "1", "w_0", "2", `w_${v}`, v],
    ["SORT", "k", "BY", "w_*"],
  ],
}));

const BY_PATTERNS: ParityCase = {
  name: "BY: string and hash-field weights, missing and wrong-type weights, constant patterns",
  steps: [
    ["RPUSH", "l", "3", "1", "2", "4", "5"],
    ["MSET", "w_1", "30", "w_2", "20", "w_3", "10", "w_5", "20"],
    ["HSET", "h_1", "f", "9", "g", "b"],
    ["HSET", "h_2", "f", "8", "g", "a"],
    ["HSET", "h_3", "f", "x", "g", "a"],
    ["RPUSH", "w_4", "not-a-string"],
    ["SORT", "l", "BY", "w_*"],
    ["SORT", "l", "BY", "w_*", "DESC"],
    ["SORT", "l", "BY", "w_*", "ALPHA"],
    ["SORT", "l", "BY", "w_*", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "h_*->f"],
    ["SORT", "l", "BY", "h_*->g", "ALPHA"],
    ["SORT", "l", "BY", "h_*->g", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "h_*->nofield"],
    ["SORT", "l", "BY", "w_*->f"],
    ["SORT", "l", "BY", "h_*"],
    ["SORT", "l", "BY", "nokey_*"],
    ["SORT", "l", "BY", "nokey_*", "ALPHA"],
    ["SORT", "l", "BY", "nokey_*", "ALPHA", "DESC"],
    ["HSET", "h_4", "f", "1"],
    ["HSET", "h_5", "f", "1"],
    ["SORT", "l", "BY", "h_*->f"],
    ["SET", "w_3->", "x"],
    ["SORT", "l", "BY", "w_*->"],
    ["SORT", "l", "BY", "w_*->", "ALPHA"],
    ["SORT", "l", "BY", "a->b*"],
    ["MSET", "a->b1", "3", "a->b2", "1"],
    ["SORT", "l", "BY", "a->b*"],
    ["MSET", "p_1_*", "5", "p_2_*", "4"],
    ["SORT", "l", "BY", "p_*_*"],
    ["SORT", "l", "BY", "*"],
    ["SORT", "l", "BY", "w_*", "LIMIT", "1", "2"],
    ["SORT", "l", "BY", "w_*", "DESC", "LIMIT", "0", "3"],
    // A pattern without '*' does not sort; the first BY of that kind sticks.
    ["SORT", "l", "BY", "nosort"],
    ["SORT", "l", "BY", "nosort", "DESC"],
    ["SORT", "l", "BY", "nosort", "BY", "w_*"],
    ["SORT", "l", "BY", "w_*", "BY", "nosort"],
    ["SORT", "l", "BY", "w_*", "BY", "h_*->f"],
    ["SORT", "l", "BY", "nosort", "ALPHA"],
    ["SORT", "l", "BY", "#"],
    ["SORT", "l", "BY", "x->y"],
    // NUL bytes: '*' and '->' are searched in the C string only; keywords compare as C strings.
    ["SORT", "l", "BY", B("nosort\0*")],
    ["SET", B("w_3\0x"), "0"],
    ["SORT", "l", "BY", B("w_*\0x")],
    ["HSET", "h_2", B("f\0x"), "100"],
    ["SORT", "l", "BY", B("h_*->f\0x")],
    ["SORT", "l", "BY", B("h_*->\0f")],
    ["SORT", "l", B("DESC\0junk")],
    ["SORT", "l", B("by\0x"), "w_*"],
    ["SORT", "l", B("DESC "), "x"],
    // Expired weight keys are missing.
    ["SET", "w_4", "1", "PX", "1"],
    { cmd: ["SORT", "l", "BY", "w_*"], sleepBefore: 20 },
    ["EXISTS", "w_4"],
  ],
};

const GET_PATTERNS: ParityCase = {
  name: "GET: #, strings, hash fields, missing and wrong-type values",
  steps: [
    ["RPUSH", "l", "3", "1", "2"],
    ["MSET", "w_1", "30", "w_2", "20", "w_3", "10"],
    ["HSET", "h_1", "f", "one"],
    ["HSET", "h_3", "f", "three"],
    ["SADD", "s_2", "x"],
    ["SORT", "l", "GET", "#"],
    ["SORT", "l", "GET", "w_*"],
    ["SORT", "l", "GET", "h_*->f"],
    ["SORT", "l", "GET", "s_*"],
    ["SORT", "l", "GET", "w_*->f"],
    ["SORT", "l", "GET", "nokey_*"],
    ["SORT", "l", "GET", "constant"],
    ["SET", "constant", "c"],
    ["SORT", "l", "GET", "constant"],
    ["SORT", "l", "GET", "#", "GET", "w_*", "GET", "h_*->f", "GET", "nokey_*", "GET", "#"],
    ["SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "LIMIT", "1", "5"],
    ["SORT", "l", "BY", "nosort", "GET", "h_*->f", "DESC"],
    ["SORT", "l", "GET", B("#\0x")],
    ["SORT", "l", "GET", B("w_\0*")],
    ["SORT", "l", "GET", "##"],
    ["SORT", "l", "GET", "#", "LIMIT", "0", "0"],
    ["SORT", "l", "GET", "#", "LIMIT", "5", "1"],
    ["SORT_RO", "l", "GET", "w_*", "GET", "#"],
    ["SORT", "l", "GET"],
    ["SORT", "l", "GET", "#", "GET"],
  ],
};

const STORE: ParityCase = {
  name: "STORE: list result, TTL cleared, empty result deletes, overwrite, GET values",
  steps: [
    ["RPUSH", "l", "3", "1", "2"],
    ["MSET", "w_1", "30", "w_3", "10"],
    ["SORT", "l", "STORE", "d"],
    ["TYPE", "d"],
    ["OBJECT", "ENCODING", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SET", "d", "string", "EX", "100"],
    ["SORT", "l", "DESC", "STORE", "d"],
    ["TTL", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "GET", "w_*", "GET", "#", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "GET", "nokey_*", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "LIMIT", "1", "1", "GET", "#", "GET", "w_*", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "LIMIT", "10", "1", "STORE", "d"],
    ["EXISTS", "d"],
    ["SORT", "l", "LIMIT", "10", "1", "STORE", "d"],
    ["SORT", "missing", "STORE", "d"],
    ["SET", "d", "x"],
    ["SORT", "missing", "STORE", "d"],
    ["EXISTS", "d"],
    ["SORT", "l", "STORE", "l"],
    ["LRANGE", "l", "0", "-1"],
    ["SORT", "l", "BY", "nosort", "DESC", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "STORE", "d1", "STORE", "d2"],
    ["EXISTS", "d1", "d2"],
    ["SORT", "l", B("store\0x"), "d3"],
    ["LRANGE", "d3", "0", "-1"],
    ["MULTI"],
    ["SORT", "l", "DESC", "STORE", "d4"],
    ["LRANGE", "d4", "0", "-1"],
    ["EXEC"],
  ],
};

const SETS: ParityCase = {
  name: "sets: intset and hashtable, BY nosort, STORE forces ALPHA",
  steps: [
    ["SADD", "is", "5", "3", "9", "1", "-2", "100"],
    ["OBJECT", "ENCODING", "is"],
    ["SORT", "is"],
    ["SORT", "is", "DESC"],
    ["SORT", "is", "ALPHA"],
    ["SORT", "is", "LIMIT", "1", "2"],
    // Unsorted: intset order (ascending), DESC ignored, LIMIT applied.
    ["SORT", "is", "BY", "nosort"],
    ["SORT", "is", "BY", "nosort", "DESC"],
    ["SORT", "is", "BY", "nosort", "LIMIT", "1", "3"],
    ["SORT", "is", "BY", "nosort", "DESC", "LIMIT", "4", "10"],
    ["SORT", "is", "BY", "nosort", "GET", "#", "GET", "w_*"],
    // With STORE, BY nosort becomes an ALPHA sort (DESC honoured), the BY pattern dropped.
    ["SORT", "is", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "is", "BY", "nosort", "DESC", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "is", "BY", "nosort", "BY", "w_*", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["MSET", "w_5", "1", "w_9", "2"],
    ["SORT", "is", "BY", "w_*"],
    ["SORT", "is", "BY", "w_*", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    // (No strcoll ties here: a hashtable set's ties keep dict order, which Redis randomises.)
    ["SADD", "hs", "b", "10", "a", "2", "c", "1.5", B([0xe9]), "B"],
    ["OBJECT", "ENCODING", "hs"],
    ["SORT", "hs"],
    ["SORT", "hs", "ALPHA"],
    ["SORT", "hs", "ALPHA", "DESC", "LIMIT", "1", "3"],
    unordered(["SORT", "hs", "BY", "nosort"]),
    unordered(["SORT", "hs", "BY", "nosort", "DESC"]),
    ["SORT", "hs", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "hs", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SADD", "nums", "3.5", "-1", "2", "abc"],
    ["SORT", "nums"],
    ["SREM", "nums", "abc"],
    ["SORT", "nums"],
    ["SORT", "nums", "DESC", "LIMIT", "0", "2"],
    ["SADD", "single", "only"],
    ["SORT", "single", "BY", "nosort"],
    ["SORT", "single", "ALPHA"],
  ],
};

const ZSETS: ParityCase = {
  name: "sorted sets: members sorted, BY nosort in score order, encoding converted",
  steps: [
    ["ZADD", "z", "3", "c", "1", "a", "2", "b", "4", "d", "0", "30", "5", "7"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT_RO", "z", "BY", "nosort"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT", "z", "ALPHA"],
    ["SORT", "z", "ALPHA", "DESC"],
    ["SORT", "z", "BY", "nosort", "DESC"],
    ...[
      ["0", "2"],
      ["1", "2"],
      ["3", "10"],
      ["5", "1"],
      ["6", "1"],
      ["7", "1"],
      ["100", "1"],
      ["2", "0"],
      ["-3", "2"],
      ["0", "-1"],
    ].flatMap(([off, cnt]) => [
      ["SORT", "z", "BY", "nosort", "LIMIT", off!, cnt!],
      ["SORT", "z", "BY", "nosort", "DESC", "LIMIT", off!, cnt!],
      ["SORT", "z", "BY", "nosort", "LIMIT", off!, cnt!, "GET", "#", "GET", "w_*"],
    ]),
    ["SORT", "z", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "3", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["ZADD", "nz", "1", "10", "2", "9", "3", "-1", "4", "2.5"],
    ["SORT", "nz"],
    ["SORT", "nz", "DESC", "LIMIT", "1", "2"],
    ["MSET", "w_10", "1", "w_9", "3", "w_-1", "2"],
    ["SORT", "nz", "BY", "w_*"],
    ["SORT", "nz", "BY", "w_*", "LIMIT", "0", "2", "GET", "w_*"],
    ["SORT", "z"],
    ["ZADD", "big", ...Array.from({ length: 300 }, (_, i) => [String(300 - i), `m${i}`]).flat()],
    ["OBJECT", "ENCODING", "big"],
    ["SORT", "big", "BY", "nosort", "LIMIT", "290", "20"],
    ["SORT", "big", "BY", "nosort", "DESC", "LIMIT", "150", "5"],
    ["SORT", "big", "ALPHA", "LIMIT", "0", "5"],
    ["ZADD", "single", "1", "x"],
    ["SORT", "single", "BY", "nosort", "DESC"],
    ["OBJECT", "ENCODING", "single"],
  ],
};

/** Elements e00..e49 shuffled, weights `w_<e>` with few distinct values (or none at all). */
function tieSetup(n: number, distinct: number): (string | Buffer)[][] {
  const els = names(n);
  const weights = els.flatMap((e, i) =>
    i % 5 === 4 ? [] : [`w_${e}`, String.fromCharCode(97 + (i % distinct))],
  );
  return [
    ["RPUSH", "l", ...els],
    ["MSET", ...weights],
  ];
}

/** ALPHA BY ties: the full (stable) sort and Redis's partial quicksort for LIMIT. */
function tieCase(n: number, distinct: number): ParityCase {
  const limits = [
    ["0", "5"],
    ["3", "7"],
    ["10", "20"],
    [String(n - 3), "10"],
    ["1", String(n - 1)],
    ["0", String(n - 1)],
    ["0", String(n)],
    [String(Math.floor(n / 2)), "1"],
  ];
  return {
    name: `ties in BY ALPHA: ${n} elements, ${distinct} distinct weights`,
    steps: [
      ...tieSetup(n, distinct),
      ["SORT", "l", "BY", "w_*", "ALPHA"],
      ["SORT", "l", "BY", "w_*", "ALPHA", "DESC"],
      ["SORT", "l", "BY", "nokey_*", "ALPHA", "LIMIT", "1", "4"],
      ["SORT", "l", "BY", "w_*"],
      ...limits.flatMap(([off, cnt]) => [
        ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", off!, cnt!],
        ["SORT", "l", "BY", "w_*", "ALPHA", "DESC", "LIMIT", off!, cnt!],
        ["SORT", "l", "BY", "w_*", "LIMIT", off!, cnt!],
        ["SORT", "l", "BY", "nokey_*", "ALPHA", "LIMIT", off!, cnt!],
        ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", off!, cnt!, "STORE", "d"],
        ["LRANGE", "d", "0", "-1"],
      ]),
    ],
  };
}

const LARGE: ParityCase = {
  name: "larger lists: numeric, ALPHA, BY with LIMIT, STORE",
  steps: [
    ["RPUSH", "l", ...shuffled(500, 3).map(String)],
    ["MSET", ...shuffled(500, 3).flatMap((i) => [`w_${i}`, String((i * 37) % 101)])],
    ["SORT", "l", "LIMIT", "0", "10"],
    ["SORT", "l", "DESC", "LIMIT", "100", "10"],
    ["SORT", "l", "ALPHA", "LIMIT", "200", "15"],
    ["SORT", "l", "BY", "w_*", "LIMIT", "250", "12"],
    ["SORT", "l", "BY", "w_*", "DESC", "LIMIT", "0", "12", "GET", "w_*", "GET", "#"],
    ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "40", "12"],
    ["SORT", "l", "BY", "w_*", "STORE", "d"],
    ["LRANGE", "d", "0", "20"],
    ["LLEN", "d"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "495", "10"],
    ["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "495", "10"],
  ],
};

const GETKEYS: ParityCase = {
  name: "COMMAND GETKEYS for SORT and SORT_RO",
  steps: [
    ["COMMAND", "GETKEYS", "SORT", "l", "STORE", "d"],
    ["COMMAND", "GETKEYS", "SORT", "l", "BY", "w_*", "GET", "#", "LIMIT", "0", "1"],
    ["COMMAND", "GETKEYS", "SORT_RO", "l", "GET", "#"],
  ],
};

paritySuite("sort", [
  ARITY_AND_ERRORS,
  NUMERIC_LIST,
  LIMITS,
  ALPHA,
  STRTOD,
  ...RANGE_ERRORS,
  BY_PATTERNS,
  GET_PATTERNS,
  STORE,
  SETS,
  ZSETS,
  tieCase(5, 2),
  tieCase(12, 3),
  tieCase(50, 3),
  tieCase(64, 4),
  LARGE,
  GETKEYS,
]);
