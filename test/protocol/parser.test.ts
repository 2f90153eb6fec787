/**
 * The request parser (RequestParser) at every chunk boundary: each input is parsed whole, split
 * at every single position, byte by byte and at random (seeded) positions, and the requests and
 * error must always equal those of a simple whole-buffer oracle written from Redis 7.0's rules.
 * Then the edge cases one by one: inline quoting (checked against a live redis-server), numbers,
 * limits, big bulks and every protocol error text.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  INLINE_MAX_SIZE,
  ProtocolError,
  RequestParser,
  parseLongLong,
  splitInlineArgs,
} from "../../src/resp/parser.js";
import { RawConnection, encodeCommand, startRealRedis, type RealRedis } from "../parity/harness.js";

/** Redis 7.0's protocol error texts, spelled out here rather than imported so the test checks them. */
const E = {
  invalidMultibulk: "ERR Protocol error: invalid multibulk length",
  invalidBulk: "ERR Protocol error: invalid bulk length",
  expectedDollar: (c: string) => `ERR Protocol error: expected '$', got '${c}'`,
  tooBigInline: "ERR Protocol error: too big inline request",
  tooBigMbulk: "ERR Protocol error: too big mbulk count string",
  tooBigBulk: "ERR Protocol error: too big bulk count string",
  unbalanced: "ERR Protocol error: unbalanced quotes in request",
  unauthMultibulk: "ERR Protocol error: unauthenticated multibulk length",
  unauthBulk: "ERR Protocol error: unauthenticated bulk length",
};

interface Outcome {
  requests: string[][];
  error: string | null;
  /** Input left over that is not (yet) a complete request. */
  leftover: boolean;
}

interface Limits {
  maxBulkLen?: number;
  unauthenticated?: boolean;
}

/** C's strchr from `from`: the index of `byte`, or -1 if absent or a NUL comes first. */
function cStrchr(buf: Buffer, from: number, byte: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === byte) return i;
    if (buf[i] === 0) return -1;
  }
  return -1;
}

/** Redis's string2ll, by regular expression and BigInt. */
function string2ll(text: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
  const v = BigInt(text);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : null;
}

/**
 * The oracle: parses a whole buffer at once, top to bottom, the way networking.c reads it when
 * everything has arrived. (Inline lines are split with splitInlineArgs, which is checked
 * separately against redis-server below.)
 */
function oracle(input: Buffer, limits: Limits = {}): Outcome {
  const maxBulk = BigInt(limits.maxBulkLen ?? 512 * 1024 * 1024);
  const requests: string[][] = [];
  const fail = (error: string): Outcome => ({ requests, error, leftover: false });
  const wait = (): Outcome => ({ requests, error: null, leftover: true });
  const tooBig = (from: number) => input.length - from > 65536;
  let pos = 0;
  while (pos < input.length) {
    if (input[pos] !== 0x2a) {
      const nl = cStrchr(input, pos, 10);
      if (nl < 0) return tooBig(pos) ? fail(E.tooBigInline) : wait();
      let line = input.toString("latin1", pos, nl);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      const args = splitInlineArgs(line);
      if (args === null) return fail(E.unbalanced);
      requests.push(args);
      pos = nl + 1;
      continue;
    }
    const cr = cStrchr(input, pos, 13);
    if (cr < 0) return tooBig(pos) ? fail(E.tooBigMbulk) : wait();
    if (cr + 1 >= input.length) return wait();
    const count = string2ll(input.toString("latin1", pos + 1, cr));
    if (count === null || count > 2147483647n) return fail(E.invalidMultibulk);
    if (count > 10n && limits.unauthenticated) return fail(E.unauthMultibulk);
    pos = cr + 2;
    const args: string[] = [];
    for (let k = 0n; k < count; k++) {
      if (pos >= input.length) return wait();
      const lineEnd = cStrchr(input, pos, 13);
      if (lineEnd < 0) return tooBig(pos) ? fail(E.tooBigBulk) : wait();
      if (lineEnd + 1 >= input.length) return wait();
      if (input[pos] !== 0x24) {
        const c = String.fromCharCode(input[pos]!);
        return fail(E.expectedDollar(c === "\r" || c === "\n" ? " " : c));
      }
      const len = string2ll(input.toString("latin1", pos + 1, lineEnd));
      if (len === null || len < 0n || len > maxBulk) return fail(E.invalidBulk);
      if (len > 16384n && limits.unauthenticated) return fail(E.unauthBulk);
      pos = lineEnd + 2;
      if (BigInt(input.length - pos) < len + 2n) return wait();
      args.push(input.toString("latin1", pos, pos + Number(len)));
      pos += Number(len) + 2;
    }
    requests.push(args);
  }
  return { requests, error: null, leftover: false };
}

/** Feeds `chunks` to a RequestParser, draining requests after each; stops at a protocol error. */
function parseChunks(chunks: Buffer[], limits: Limits = {}): Outcome & { pendingBytes: number } {
  const parser = new RequestParser();
  if (limits.maxBulkLen !== undefined) parser.maxBulkLen = limits.maxBulkLen;
  parser.unauthenticated = limits.unauthenticated ?? false;
  const requests: string[][] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    try {
      for (let r = parser.next(); r !== null; r = parser.next()) requests.push(r);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return { requests, error: e.message, leftover: false, pendingBytes: parser.pendingBytes };
    }
  }
  return { requests, error: null, leftover: parser.pendingBytes > 0, pendingBytes: parser.pendingBytes };
}

/** Splits `input` at the given positions, each piece copied into its own buffer. */
function split(input: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(Buffer.from(input.subarray(prev, c)));
    prev = c;
  }
  out.push(Buffer.from(input.subarray(prev)));
  return out;
}

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * Asserts the parser agrees with the oracle on `input` whole, split at every position (when
 * `everyBoundary`), byte by byte, and at `randomSplits` seeded random cut sets.
 */
function checkAllSplits(
  input: Buffer,
  opts: {
    seed: number;
    everyBoundary?: boolean;
    byteByByte?: boolean;
    randomSplits?: number;
    limits?: Limits;
  },
): void {
  const expected = oracle(input, opts.limits);
  const label = () => JSON.stringify(input.toString("latin1").slice(0, 200));
  const check = (chunks: Buffer[], how: string) => {
    const got = parseChunks(chunks, opts.limits);
    assert.deepEqual(got.requests, expected.requests, `${how}: requests differ for ${label()}`);
    assert.equal(got.error, expected.error, `${how}: error differs for ${label()}`);
    if (expected.error === null && !expected.leftover) {
      assert.equal(got.pendingBytes, 0, `${how}: bytes left unconsumed for ${label()}`);
    }
  };
  check([input], "whole");
  if (opts.everyBoundary ?? true) {
    for (let i = 0; i <= input.length; i++) check(split(input, [i]), `split at ${i}`);
  }
  if (opts.byteByByte ?? true) {
    check(
      Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1)),
      "byte by byte",
    );
  }
  const random = rng(opts.seed);
  for (let r = 0; r < (opts.randomSplits ?? 10); r++) {
    const cuts = Array.from({ length: 1 + random(12) }, () => random(input.length + 1));
    check(split(input, cuts), `random cuts ${JSON.stringify(cuts)}`);
  }
}

const ARG_BYTES = "ab*$ \r\n\t\"'\\x0\x00\xff";

/** A random argument: mostly short, with protocol characters, CR/LF, NUL and high bytes. */
function randomArg(random: (n: number) => number): Buffer {
  const len = [0, 1, 2, 3, 5, 8, 13, 40][random(8)]!;
  let s = "";
  for (let i = 0; i < len; i++) s += ARG_BYTES[random(ARG_BYTES.length)];
  return Buffer.from(s, "latin1");
}

const INLINE_WORDS = ["SET", "get", "key", "a b", "x", '"q"', "'s'", '"a\\x41\\n"', '""', "é", "k:1"];
const GARBAGE_TAILS = [
  "*abc\r\n",
  "*1\r\nx\r\n",
  "*1\r\n$-1\r\n",
  "*1\r\n$abc\r\n",
  "*1\r\n$04\r\nPING\r\n",
  "*-0\r\n",
  "*1\r\n\r\n",
  'GET "a\r\n',
  "GET 'a'b\r\n",
  "*2\r\n$3\r\nabc\r\n", // incomplete: one argument missing
  "*1\r\n$3\r\nab", // incomplete payload
  "*1\r\n$3", // incomplete length line
  "*1\r", // incomplete count line
  "PIN", // incomplete inline
  "PING\x00\r\n", // NUL before the newline: waits, like Redis
  "*1\r\n$\x003\r\nabc\r\n",
];

/** A random mix of requests, optionally ending with garbage. */
function randomInput(random: (n: number) => number, allowBig: boolean): Buffer {
  const parts: Buffer[] = [];
  const n = 1 + random(6);
  for (let i = 0; i < n; i++) {
    const kind = random(10);
    if (kind < 5) {
      const argc = 1 + random(4);
      parts.push(encodeCommand(Array.from({ length: argc }, () => randomArg(random))));
    } else if (kind < 7) {
      const words = Array.from({ length: 1 + random(4) }, () => INLINE_WORDS[random(INLINE_WORDS.length)]!);
      parts.push(Buffer.from(words.join(" ".repeat(1 + random(2))) + (random(2) ? "\r\n" : "\n"), "latin1"));
    } else if (kind === 7) {
      parts.push(Buffer.from(["\r\n", "\n", "  \r\n", "*0\r\n", "*-1\r\n", "*-7\r\n"][random(6)]!));
    } else if (kind === 8 && allowBig) {
      // Crosses the 32 KiB big-argument path.
      const big = Buffer.alloc(32 * 1024 + random(70 * 1024), ARG_BYTES);
      parts.push(encodeCommand(["SET", "k", big]));
    } else {
      parts.push(encodeCommand(["PING"]));
    }
  }
  if (random(4) === 0) parts.push(Buffer.from(GARBAGE_TAILS[random(GARBAGE_TAILS.length)]!, "latin1"));
  return Buffer.concat(parts);
}

describe("RequestParser at every chunk boundary", () => {
  test("random small inputs: whole, every single split, byte by byte, random splits", () => {
    const random = rng(20240601);
    for (let i = 0; i < 150; i++) {
      checkAllSplits(randomInput(random, false), { seed: i, randomSplits: 8 });
    }
  });

  test("random inputs with big (> 32 KiB) arguments: whole, byte by byte, random splits", () => {
    const random = rng(777);
    for (let i = 0; i < 12; i++) {
      const input = Buffer.concat([
        randomInput(random, true),
        encodeCommand(["SET", "k", Buffer.alloc(40000, "z")]),
      ]);
      checkAllSplits(input, { seed: i, everyBoundary: false, byteByByte: i < 2, randomSplits: 12 });
    }
  });

  test("every garbage tail after valid requests, at every split", () => {
    for (const [i, tail] of GARBAGE_TAILS.entries()) {
      const input = Buffer.concat([
        encodeCommand(["SET", "a", "1"]),
        Buffer.from("GET a\r\n"),
        Buffer.from(tail, "latin1"),
      ]);
      checkAllSplits(input, { seed: i });
    }
  });

  test("the oracle's verdicts on the garbage tails are Redis's", () => {
    const verdict = (tail: string) => {
      const o = oracle(Buffer.from(tail, "latin1"));
      return o.error ?? (o.leftover ? "wait" : `ok ${JSON.stringify(o.requests)}`);
    };
    assert.deepEqual(GARBAGE_TAILS.map(verdict), [
      E.invalidMultibulk,
      E.expectedDollar("x"),
      E.invalidBulk,
      E.invalidBulk,
      E.invalidBulk,
      E.invalidMultibulk,
      E.expectedDollar(" "),
      E.unbalanced,
      E.unbalanced,
      "wait",
      "wait",
      "wait",
      "wait",
      "wait",
      "wait",
      "wait",
    ]);
  });
});

/** Parses one complete input and returns [requests, error]. */
function parseAll(input: string | Buffer, limits: Limits = {}): [string[][], string | null] {
  const r = parseChunks([typeof input === "string" ? Buffer.from(input, "latin1") : input], limits);
  return [r.requests, r.error];
}

describe("multibulk requests", () => {
  test("plain, binary and empty arguments", () => {
    assert.deepEqual(parseAll("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"), [[["SET", "k", ""]], null]);
    const binary = Buffer.from([0, 1, 13, 10, 255, 42, 36]);
    const [requests] = parseAll(encodeCommand(["SET", binary, binary]));
    assert.deepEqual(requests, [["SET", binary.toString("latin1"), binary.toString("latin1")]]);
  });

  test("empty requests: *0, negative counts, -2^63; then the next request", () => {
    for (const count of ["0", "-1", "-100", "-2147483649", "-9223372036854775808"]) {
      assert.deepEqual(parseAll(`*${count}\r\n*1\r\n$4\r\nPING\r\n`), [[[], ["PING"]], null], count);
    }
  });

  test("the byte after CR and the CRLF after a payload are skipped unchecked, like Redis", () => {
    assert.deepEqual(parseAll("*1\rX$4\rXPINGxx*1\r\n$4\r\nPING\r\n"), [[["PING"], ["PING"]], null]);
  });

  test("string2ll rules for counts and lengths", () => {
    for (const bad of [
      "01",
      "+1",
      "-0",
      " 1",
      "1 ",
      "",
      "-",
      "1a",
      "0x1",
      "2147483648",
      "-9223372036854775809",
    ]) {
      assert.deepEqual(parseAll(`*${bad}\r\n`), [[], E.invalidMultibulk], `count ${JSON.stringify(bad)}`);
    }
    for (const bad of [
      "04",
      "+4",
      "-0",
      "-1",
      " 4",
      "",
      "4.0",
      "9223372036854775807",
      "99999999999999999999",
    ]) {
      assert.deepEqual(
        parseAll(`*1\r\n$${bad}\r\nPING\r\n`),
        [[], E.invalidBulk],
        `length ${JSON.stringify(bad)}`,
      );
    }
  });

  test("parseLongLong is string2ll", () => {
    const cases: [string, number | undefined][] = [
      ["0", 0],
      ["7", 7],
      ["-7", -7],
      ["1234567890", 1234567890],
      ["9223372036854775807", 2 ** 63],
      ["-9223372036854775808", -9223372036854775808],
      ["9223372036854775808", undefined],
      ["-9223372036854775809", undefined],
      ["99999999999999999999", undefined],
      ["-0", undefined],
      ["00", undefined],
      ["+1", undefined],
      ["", undefined],
      ["-", undefined],
      ["1e3", undefined],
      [" 1", undefined],
    ];
    for (const [text, expected] of cases) {
      const buf = Buffer.from(`<${text}>`);
      assert.equal(parseLongLong(buf, 1, buf.length - 1), expected, JSON.stringify(text));
    }
  });

  test("count limits: INT_MAX accepted, INT_MAX + 1 refused", () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from("*2147483647\r\n$4\r\nPING\r\n"));
    assert.equal(parser.next(), null); // waits for 2^31 - 2 more arguments
    assert.deepEqual(parseAll("*2147483648\r\n"), [[], E.invalidMultibulk]);
    assert.deepEqual(parseAll("*3000000000\r\n"), [[], E.invalidMultibulk]);
  });

  test("bulk length limit: proto-max-bulk-len (default 512 MiB)", () => {
    assert.deepEqual(parseAll("*1\r\n$536870913\r\n"), [[], E.invalidBulk]);
    assert.deepEqual(parseAll("*1\r\n$600000000\r\n"), [[], E.invalidBulk]);
    assert.deepEqual(parseAll("*2\r\n$4\r\nECHO\r\n$11\r\nhello world\r\n", { maxBulkLen: 10 }), [
      [],
      E.invalidBulk,
    ]);
    assert.deepEqual(parseAll("*2\r\n$4\r\nECHO\r\n$10\r\nhello worl\r\n", { maxBulkLen: 10 }), [
      [["ECHO", "hello worl"]],
      null,
    ]);
  });

  test("expected '$': the offending byte, CR and LF shown as spaces", () => {
    assert.deepEqual(parseAll("*1\r\nx\r\n"), [[], E.expectedDollar("x")]);
    assert.deepEqual(parseAll("*1\r\n*1\r\n"), [[], E.expectedDollar("*")]);
    assert.deepEqual(parseAll("*1\r\n\r\n"), [[], E.expectedDollar(" ")]);
    assert.deepEqual(parseAll("*1\r\n\n\r\n"), [[], E.expectedDollar(" ")]);
    assert.deepEqual(parseAll("*1\r\n\xff\r\n"), [[], E.expectedDollar("\xff")]);
  });

  test("unauthenticated clients: at most 10 arguments and 16 KiB bulks", () => {
    const unauth = { unauthenticated: true };
    assert.deepEqual(parseAll(encodeCommand(Array(10).fill("a")), unauth), [[Array(10).fill("a")], null]);
    assert.deepEqual(parseAll("*11\r\n", unauth), [[], E.unauthMultibulk]);
    assert.deepEqual(parseAll("*1\r\n$16385\r\n", unauth), [[], E.unauthBulk]);
    const big = "x".repeat(16384);
    assert.deepEqual(parseAll(encodeCommand(["AUTH", big]), unauth), [[["AUTH", big]], null]);
    // Validity is checked before the authentication limits.
    assert.deepEqual(parseAll("*2147483648\r\n", unauth), [[], E.invalidMultibulk]);
    assert.deepEqual(parseAll("*1\r\n$536870913\r\n", unauth), [[], E.invalidBulk]);
  });
});

describe("big arguments (the > 32 KiB path)", () => {
  const payload = Buffer.alloc(1024 * 1024 + 7);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 8)) & 0xff;
  const input = Buffer.concat([encodeCommand(["SET", "k", payload]), encodeCommand(["GET", "k"])]);
  const expected = [
    ["SET", "k", payload.toString("latin1")],
    ["GET", "k"],
  ];

  for (const size of [1, 7, 1000, 16 * 1024, 65536, 300000, input.length]) {
    test(`1 MiB argument in ${size}-byte chunks`, () => {
      const parser = new RequestParser();
      const requests: string[][] = [];
      for (let i = 0; i < input.length; i += size) {
        parser.feed(Buffer.from(input.subarray(i, i + size)));
        for (let r = parser.next(); r !== null; r = parser.next()) requests.push(r);
      }
      assert.equal(requests.length, 2);
      assert.equal(requests[0]![2]!.length, payload.length);
      assert.deepEqual(requests, expected);
      assert.equal(parser.pendingBytes, 0);
    });
  }

  test("queue size counts the big argument's bytes received so far", () => {
    const parser = new RequestParser();
    const head = Buffer.from("*1\r\n$100000\r\n");
    parser.feed(head);
    assert.equal(parser.next(), null);
    parser.feed(Buffer.alloc(50000, "a"));
    assert.equal(parser.next(), null);
    assert.equal(parser.pendingBytes, 50000);
    parser.feed(Buffer.concat([Buffer.alloc(50000, "a"), Buffer.from("\r\n*1\r\n$4\r\nPING\r\n")]));
    assert.equal(parser.next()![0]!.length, 100000);
    assert.deepEqual(parser.next(), ["PING"]);
    assert.equal(parser.next(), null);
  });
});

describe("64 KiB line limits", () => {
  test("inline: 65536 bytes without newline wait, 65537 are refused", () => {
    assert.equal(INLINE_MAX_SIZE, 65536);
    assert.deepEqual(parseAll("a".repeat(65536)), [[], null]);
    assert.deepEqual(parseAll("a".repeat(65537)), [[], E.tooBigInline]);
  });

  test("multibulk count and bulk length lines", () => {
    assert.deepEqual(parseAll("*" + "1".repeat(65536)), [[], E.tooBigMbulk]);
    assert.deepEqual(parseAll("*1\r\n$" + "1".repeat(65536)), [[], E.tooBigBulk]);
    // A CR at the very end: the line is incomplete, not too big (Redis waits for the LF).
    assert.deepEqual(parseAll("*" + "1".repeat(70000) + "\r"), [[], null]);
  });

  test("a NUL before the newline hides it (strchr), until the line is too big", () => {
    assert.deepEqual(parseAll("PING\x00\r\n"), [[], null]);
    assert.deepEqual(parseAll("PING\x00\r\n" + "a".repeat(70000)), [[], E.tooBigInline]);
    assert.deepEqual(parseAll("*1\x00\r\n" + "a".repeat(70000)), [[], E.tooBigMbulk]);
  });

  test("a long line arriving in small pieces is scanned once (no quadratic slowdown)", () => {
    const parser = new RequestParser();
    const start = process.hrtime.bigint();
    for (let i = 0; i < 65536; i++) {
      parser.feed(Buffer.from("a"));
      assert.equal(parser.next(), null);
    }
    parser.feed(Buffer.from("\n"));
    assert.deepEqual(parser.next(), ["a".repeat(65536)]);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});

/**
 * Inline lines whose splitting is subtle, each checked against redis-server: it receives
 * `RPUSH <key> x <case>` and the list is read back.
 */
const INLINE_CASES = [
  "a b  c",
  "  lead and trail  ",
  "a\tb\x0bc\x0cd",
  "\x0ba b",
  '"a b" c',
  '"a\\x41\\x4g\\q\\n\\"z"',
  "'a\\'b\\\\c'",
  "'a\\\"b'",
  '"\\x41\\x4"',
  '"\\XFF" "\\xfF" "\\xzz"',
  '"a""b"',
  "'a'b",
  'a"b c"d',
  'a"b c"',
  "a'b c'",
  'x"" y',
  '"x\ry"',
  "x\ry",
  '""',
  "''",
  '"',
  "'",
  '"a\\"',
  '"a\\',
  "'a\\'",
  '"tab\\tcr\\rbs\\bbell\\a\\0"',
  '"a"\tb',
  '"a"\x0bb',
  "\xe9 \xfc\xa0x \x85",
  "\"a'b\" 'a\"b'",
  "\\x41 \\n",
  "a\r",
];

describe("inline requests (sdssplitargs)", () => {
  let redis: RealRedis;
  before(async () => {
    redis = await startRealRedis();
  });
  after(async () => {
    await redis.stop();
  });

  test("tricky lines split exactly as redis-server splits them", async () => {
    for (const [i, line] of INLINE_CASES.entries()) {
      const key = `inline:${i}`;
      const full = `RPUSH ${key} x ${line}`;
      const conn = await RawConnection.connect(redis.port);
      conn.send(Buffer.from(full + "\r\n", "latin1"));
      const reply = await conn.read();
      let expected: string[] | null;
      if (reply?.type === "-") {
        assert.equal(reply.value, E.unbalanced, `redis for ${JSON.stringify(line)}`);
        expected = null;
      } else {
        const list = await conn.call("LRANGE", key, "0", "-1");
        const items = (list!.value as { value: string }[]).map((p) => p.value);
        expected = ["RPUSH", key, ...items];
      }
      conn.close();
      const [requests, error] = parseAll(full + "\r\n");
      if (expected === null) assert.equal(error, E.unbalanced, JSON.stringify(line));
      else assert.deepEqual(requests, [expected], JSON.stringify(line));
    }
  });

  test("splitInlineArgs by itself", () => {
    assert.deepEqual(splitInlineArgs(""), []);
    assert.deepEqual(splitInlineArgs("   "), []);
    assert.deepEqual(splitInlineArgs("set k v"), ["set", "k", "v"]);
    assert.deepEqual(splitInlineArgs('"\\x00\\xff"'), ["\x00\xff"]);
    assert.deepEqual(splitInlineArgs("a\x0bb"), ["a\x0bb"]);
    assert.deepEqual(splitInlineArgs('a"b"'), ["ab"]);
    assert.equal(splitInlineArgs('"a"b'), null);
    assert.equal(splitInlineArgs("'unterminated"), null);
  });

  test("empty lines are empty requests; CRLF or LF end a line", () => {
    assert.deepEqual(parseAll("\r\n\n   \r\nPING\nPING\r\n"), [[[], [], [], ["PING"], ["PING"]], null]);
    assert.deepEqual(parseAll("ECHO x\r\r\n"), [[["ECHO", "x"]], null]);
    assert.deepEqual(parseAll("ECHO x\ry\r\n"), [[["ECHO", "x", "y"]], null]);
  });

  test("unbalanced quotes are a protocol error, after the requests before them", () => {
    assert.deepEqual(parseAll('PING\r\nSET "a b\r\nPING\r\n'), [[["PING"]], E.unbalanced]);
  });
});
