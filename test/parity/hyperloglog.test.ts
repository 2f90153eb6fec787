/**
 * Parity cases for the HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. HLLs are
 * strings, so GET after each change compares Redis's exact HYLL bytes (sparse opcodes, dense
 * registers, cached cardinality and its stale flag), as well as every count.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

/** A binary argument (the harness encodes plain strings as UTF-8). */
const b = (s: string): Buffer => Buffer.from(s, "latin1");

/** The 16-byte header of a sparse HLL with a stale cache, then `body`. */
const sparseHll = (body: string): Buffer => b("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80" + body);

/** `count` elements `prefix0`.. as one PFADD. */
function pfadd(key: string, prefix: string, from: number, count: number): string[] {
  const out = ["PFADD", key];
  for (let i = from; i < from + count; i++) out.push(`${prefix}${i}`);
  return out;
}

const ERRORS: ParityCase = {
  name: "arity, wrong types, invalid and corrupted HLL strings",
  steps: [
    ["PFADD"],
    ["PFCOUNT"],
    ["PFMERGE"],
    ["PFDEBUG", "getreg"],
    ["PFDEBUG", "getreg", "k", "x"],
    ["PFSELFTEST", "x"],
    ["LPUSH", "list", "a"],
    ["PFADD", "list", "a"],
    ["PFCOUNT", "list"],
    ["PFCOUNT", "list", "missing"],
    ["PFMERGE", "list", "missing"],
    ["PFMERGE", "dest", "list"],
    ["PFDEBUG", "encoding", "list"],
    ["SET", "str", "hello"],
    ["PFADD", "str", "a"],
    ["PFCOUNT", "str"],
    ["PFCOUNT", "missing", "str"],
    ["PFMERGE", "dest", "str"],
    ["EXISTS", "dest"],
    ["SET", "int", "-9223372036854775808"],
    ["PFADD", "int", "a"],
    ["SET", "short", "HYLL\x01"],
    ["PFADD", "short", "a"],
    // Unknown encoding byte, and a dense HLL of the wrong length.
    { cmd: ["SET", "enc2", b("HYLL\x02" + "\x00".repeat(20))] },
    ["PFCOUNT", "enc2"],
    { cmd: ["SET", "dense", b("HYLL\x00" + "\x00".repeat(20))] },
    ["PFADD", "dense", "a"],
    ["PFDEBUG", "getreg", "dense"],
    // Sparse data that covers too few or too many registers.
    { cmd: ["SET", "c1", sparseHll("\x7f\xfe")] },
    ["PFCOUNT", "c1"],
    ["PFADD", "c1", "a"],
    ["PFADD", "c1", "zz", "yy"],
    ["PFCOUNT", "c1", "c1"],
    ["PFMERGE", "d", "c1"],
    ["EXISTS", "d"],
    ["PFDEBUG", "GETREG", "c1"],
    ["PFDEBUG", "TODENSE", "c1"],
    ["PFDEBUG", "DECODE", "c1"],
    { cmd: ["SET", "c2", sparseHll("\x7f\xff\x80")] },
    ["PFCOUNT", "c2"],
    ["PFADD", "c2", "a"],
    ["GET", "c2"],
    { cmd: ["SET", "c3", sparseHll("\x7f")] },
    ["PFCOUNT", "c3"],
    ["PFDEBUG", "DECODE", "c3"],
    ["PFADD", "c3", "a"],
    { cmd: ["SET", "c4", sparseHll("")] },
    ["PFCOUNT", "c4"],
    ["PFADD", "c4", "a"],
    ["PFDEBUG", "DECODE", "c4"],
    // A hand-made valid cache with any 63-bit value is returned as is.
    { cmd: ["SET", "cached", b("HYLL\x01\x00\x00\x00\x78\x56\x34\x12\xff\xff\xff\x7f\x7f\xff")] },
    ["PFCOUNT", "cached"],
    ["PFCOUNT", "cached", "missing"],
    // A one-register XZERO split into a single VAL shrinks the string.
    { cmd: ["SET", "x1", sparseHll("\x40\x00\x7f\xfe")] },
    ["PFADD", "x1", "a", "b", "c", "d", "e", "f", "g", "h"],
    ["GET", "x1"],
    ["PFDEBUG", "DECODE", "x1"],
    ["PFDEBUG", "nosuch", "x1"],
    ["PFDEBUG", "nosuch", "missing"],
    ["PFDEBUG", "getreg", "missing"],
    ["PFDEBUG", "decode", "str"],
  ],
};

const BASICS: ParityCase = {
  name: "PFADD, PFCOUNT and the cached cardinality in the bytes",
  steps: [
    ["PFADD", "h"],
    ["GET", "h"],
    ["STRLEN", "h"],
    ["OBJECT", "ENCODING", "h"],
    ["PFADD", "h", "a", "b", "c"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["GET", "h"],
    ["PFADD", "h", "a"],
    ["GET", "h"],
    ["PFADD", "h", "d"],
    ["GET", "h"],
    ["PFCOUNT", "h", "h"],
    ["GET", "h"],
    ["PFCOUNT", "h", "missing"],
    ["PFCOUNT", "missing"],
    ["PFCOUNT", "missing", "missing2"],
    ["EXISTS", "missing"],
    {
      cmd: ["PFADD", "bin", b("\x00"), "", b("\xff\xfe\x80"), "z".repeat(1000), "z".repeat(1001), "1234567"],
    },
    ["GET", "bin"],
    ["PFCOUNT", "bin"],
    ["PFDEBUG", "DECODE", "bin"],
    ["PFDEBUG", "ENCODING", "bin"],
    ["DUMP", "bin"],
    ["TYPE", "bin"],
    ["SET", "e", ""],
    ["PFADD", "e", "x"],
    ["MULTI"],
    ["PFADD", "t", "a"],
    ["PFCOUNT", "t"],
    ["PFCOUNT", "t"],
    ["EXEC"],
    ["GET", "t"],
    // Refreshing a stale cached cardinality modifies the key (WATCH sees it); a valid cache does not.
    ["PFADD", "w", "a"],
    ["WATCH", "w"],
    ["PFCOUNT", "w"],
    ["MULTI"],
    ["PING"],
    ["EXEC"],
    ["WATCH", "w"],
    ["PFCOUNT", "w"],
    ["MULTI"],
    ["PING"],
    ["EXEC"],
    ["WATCH", "w"],
    ["PFADD", "w", "a"],
    ["MULTI"],
    ["PING"],
    ["EXEC"],
    ["WATCH", "w"],
    ["PFMERGE", "w"],
    ["MULTI"],
    ["PING"],
    ["EXEC"],
  ],
};

/** Elements added one at a time until the sparse HLL turns dense, with the bytes checked on the way. */
function promotionSteps(): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < 1800; i++) {
    steps.push({ cmd: ["PFADD", "s", `e${i}`] });
    if (i % 61 === 0) steps.push({ cmd: ["GET", "s"] }, { cmd: ["PFCOUNT", "s"] });
  }
  steps.push({ cmd: ["GET", "s"] }, { cmd: ["PFDEBUG", "ENCODING", "s"] }, { cmd: ["PFCOUNT", "s"] });
  return steps;
}

const PROMOTION: ParityCase = {
  name: "sparse to dense promotion one element at a time",
  steps: promotionSteps(),
};

const SPARSE_MAX: ParityCase = {
  name: "hll-sparse-max-bytes decides the promotion",
  steps: [
    ["CONFIG", "SET", "hll-sparse-max-bytes", "100"],
    ...Array.from({ length: 50 }, (_, i) => [
      ["PFADD", "s", `q${i}`],
      ["STRLEN", "s"],
      ["PFDEBUG", "ENCODING", "s"],
    ]).flat(),
    ["GET", "s"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "0"],
    ["PFADD", "z", "a"],
    ["PFDEBUG", "ENCODING", "z"],
    ["PFADD", "z", "b"],
    ["PFDEBUG", "ENCODING", "z"],
    ["GET", "z"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
  ],
};

/** 100k elements in batches of 1000, counted along the way. */
function largeSteps(): Step[] {
  const steps: Step[] = [];
  for (let batch = 0; batch < 100; batch++) {
    steps.push({ cmd: pfadd("big", "", batch * 1000, 1000) });
    if (batch % 10 === 0) steps.push({ cmd: ["PFCOUNT", "big"] }, { cmd: ["GET", "big"] });
  }
  steps.push({ cmd: ["GET", "big"] }, { cmd: ["PFCOUNT", "big"] }, { cmd: ["PFDEBUG", "ENCODING", "big"] });
  steps.push({ cmd: ["PFDEBUG", "GETREG", "big"] });
  return steps;
}

const LARGE: ParityCase = { name: "100k elements: counts and dense bytes", steps: largeSteps() };

const MERGE: ParityCase = {
  name: "PFMERGE and PFCOUNT of several keys, sparse and dense",
  steps: [
    pfadd("dense", "d", 0, 5000),
    pfadd("sparse", "s", 0, 200),
    pfadd("sparse2", "d", 0, 100),
    ["PFCOUNT", "dense", "sparse"],
    ["PFCOUNT", "sparse", "sparse2", "missing"],
    ["PFMERGE", "m1", "sparse", "sparse2"],
    ["GET", "m1"],
    ["PFDEBUG", "ENCODING", "m1"],
    ["PFCOUNT", "m1"],
    ["PFMERGE", "m2", "sparse", "dense", "missing"],
    ["GET", "m2"],
    ["PFCOUNT", "m2"],
    ["PFMERGE", "sparse", "dense"],
    ["GET", "sparse"],
    ["PFDEBUG", "ENCODING", "sparse"],
    ["PFMERGE", "empty"],
    ["GET", "empty"],
    ["PFMERGE", "empty2", "missing"],
    ["GET", "empty2"],
    ["PFMERGE", "sparse2"],
    ["GET", "sparse2"],
    ["PFADD", "one", "a"],
    ["PFADD", "two", "b"],
    ["PFMERGE", "one", "two"],
    ["GET", "one"],
    ["PFCOUNT", "one"],
    ["PFDEBUG", "DECODE", "one"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "40"],
    ["PFMERGE", "small", "sparse2", "two"],
    ["PFDEBUG", "ENCODING", "small"],
    ["GET", "small"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ["PFCOUNT", "dense", "sparse", "sparse2", "m1", "m2", "one"],
  ],
};

const APPEND_AND_FRIENDS: ParityCase = {
  name: "HLL strings edited by string commands",
  steps: [
    ["PFADD", "a1", "x", "y"],
    ["APPEND", "a1", "zz"],
    ["PFCOUNT", "a1"],
    ["PFADD", "a1", "w"],
    ["GET", "a1"],
    ["PFADD", "a2", "x", "y"],
    { cmd: ["SETRANGE", "a2", "4", b("\x00")] },
    ["PFCOUNT", "a2"],
    ["PFDEBUG", "GETREG", "a2"],
    ["GET", "a2"],
    ["PFADD", "a3", "x"],
    ["PFCOUNT", "a3"],
    { cmd: ["SETRANGE", "a3", "15", b("\x80")] },
    ["PFCOUNT", "a3"],
    ["GET", "a3"],
    ["PFADD", "a4", "x"],
    ["GET", "a4"],
    ["SETBIT", "a4", "127", "1"],
    ["PFCOUNT", "a4"],
    ["PFADD", "src", "p", "q", "r"],
    ["DUMP", "src"],
    ["COPY", "src", "cp"],
    ["PFADD", "cp", "s"],
    ["PFCOUNT", "src"],
    ["PFCOUNT", "cp"],
    ["GETRANGE", "cp", "0", "15"],
  ],
};

const DEBUG: ParityCase = {
  name: "PFDEBUG GETREG, DECODE, ENCODING, TODENSE",
  steps: [
    ["PFADD", "h", "a", "b", "c", "d", "e"],
    ["PFDEBUG", "ENCODING", "h"],
    ["PFDEBUG", "DECODE", "h"],
    ["PFDEBUG", "GETREG", "h"],
    ["PFDEBUG", "ENCODING", "h"],
    ["GET", "h"],
    ["PFDEBUG", "DECODE", "h"],
    ["PFADD", "h2", "a"],
    ["PFDEBUG", "TODENSE", "h2"],
    ["PFDEBUG", "TODENSE", "h2"],
    ["GET", "h2"],
    ["PFDEBUG", "todense", "h2"],
    // PFSELFTEST itself (seconds of work) runs in test/unit/hyperloglog.test.ts, out of the
    // harness's reply timeout; its arity is checked in ERRORS.
  ],
};

paritySuite("hyperloglog", [ERRORS, BASICS, PROMOTION, SPARSE_MAX, LARGE, MERGE, APPEND_AND_FRIENDS, DEBUG]);
