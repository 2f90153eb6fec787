/**
 * Protocol parity: malformed and unusual requests sent as raw bytes to redis-server and reddish,
 * replies compared byte for byte. A protocol error closes the connection, which shows as a `null`
 * read on both sides (the last of each such step's `replies`).
 */
import { paritySuite, type ParityCase, type Step } from "../parity/harness.js";

/** A raw step: `bytes` sent as is (latin1), `replies` replies read (null once closed). */
function raw(bytes: string, replies = 1): Step {
  return { cmd: [], raw: Buffer.from(bytes, "latin1"), replies };
}

/** A raw step that must end in a protocol error: `before` replies, the error, then the close. */
function fatal(bytes: string, before = 0): Step {
  return raw(bytes, before + 2);
}

const multibulk = (...args: string[]) =>
  `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a, "latin1")}\r\n${a}\r\n`).join("");

const cases: ParityCase[] = [
  { name: "count not a number: *abc", steps: [fatal("*abc\r\n")] },
  { name: "count with a leading zero, a plus, a space", steps: [fatal("*01\r\n")] },
  { name: "count +1", steps: [fatal("*+1\r\n$4\r\nPING\r\n")] },
  { name: "count ' 1'", steps: [fatal("* 1\r\n$4\r\nPING\r\n")] },
  { name: "count -0", steps: [fatal("*-0\r\n")] },
  { name: "count empty", steps: [fatal("*\r\nPING\r\n")] },
  { name: "count above INT_MAX: *2147483648", steps: [fatal("*2147483648\r\n")] },
  { name: "count *3000000000", steps: [fatal("*3000000000\r\n")] },
  { name: "count below -2^63", steps: [fatal("*-9223372036854775809\r\n")] },
  { name: "expected '$', got 'x'", steps: [fatal("*1\r\nx\r\n")] },
  { name: "expected '$', got '*'", steps: [fatal("*2\r\n$4\r\nECHO\r\n*1\r\n")] },
  { name: "expected '$', got CR (shown as a space)", steps: [fatal("*1\r\n\r\n")] },
  { name: "expected '$', got a high byte", steps: [fatal("*1\r\n\xff\r\n")] },
  { name: "bulk length $-1", steps: [fatal("*1\r\n$-1\r\n")] },
  { name: "bulk length $-0", steps: [fatal("*1\r\n$-0\r\nPING\r\n")] },
  { name: "bulk length $04", steps: [fatal("*1\r\n$04\r\nPING\r\n")] },
  { name: "bulk length not a number", steps: [fatal("*1\r\n$abc\r\n")] },
  { name: "bulk length empty", steps: [fatal("*1\r\n$\r\n")] },
  { name: "bulk length above 512 MB", steps: [fatal("*1\r\n$536870913\r\n")] },
  { name: "bulk length 600 MB", steps: [fatal("*1\r\n$600000000\r\n")] },
  { name: "bulk length 2^63", steps: [fatal("*1\r\n$9223372036854775808\r\n")] },
  { name: "too big mbulk count string", steps: [fatal("*" + "1".repeat(70000))] },
  { name: "too big bulk count string", steps: [fatal("*1\r\n$" + "1".repeat(70000))] },
  { name: "too big inline request (no newline past 64 KiB)", steps: [fatal("a".repeat(70000))] },
  {
    name: "a NUL hides the newline until the line is too big",
    steps: [fatal("PING\x00\r\n" + "a".repeat(70000))],
  },
  { name: "unbalanced double quote", steps: [fatal('SET "a b\r\n')] },
  { name: "unbalanced: closing quote not followed by a space", steps: [fatal("ECHO 'a'b\r\n")] },
  { name: "unbalanced: escaped closing quote", steps: [fatal('ECHO "a\\"\r\n')] },
  {
    name: "pipelined valid commands, then garbage: replies first, then the error, then close",
    steps: [fatal(multibulk("SET", "a", "1") + multibulk("GET", "a") + "ECHO hi\r\n" + "*1\r\nx\r\n", 3)],
  },
  {
    name: "pipelined inline commands, then unbalanced quotes",
    steps: [fatal('PING\r\nECHO x\r\nSET k "v\r\nPING\r\n', 2)],
  },
  {
    name: "pipelined commands, then an invalid count",
    steps: [fatal("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n*x\r\n", 2)],
  },
  {
    name: "commands before a big bad bulk length still answered",
    steps: [["SET", "k", "v"], fatal(multibulk("GET", "k") + "*2\r\n$3\r\nGET\r\n$600000000\r\n", 1)],
  },
  {
    name: "empty requests: *0, *-1, -2^63, blank lines",
    steps: [raw("*0\r\n*-1\r\n*-9223372036854775808\r\n\r\n\n   \r\nPING\r\n"), ["PING"]],
  },
  { name: "negative count then a command", steps: [raw("*-100\r\n*1\r\n$4\r\nPING\r\n")] },
  {
    name: "byte after CR and payload CRLF are not checked",
    steps: [raw("*1\rX$4\rXPINGxx", 1), ["ECHO", "ok"]],
  },
  {
    name: "inline quoting and escapes",
    steps: [
      raw('ECHO "a\\x41\\x4g\\q\\n\\"z"\r\n'),
      raw("ECHO 'a\\'b\\\\c'\r\n"),
      raw('ECHO "\\x41\\x4"\r\n'),
      raw('ECHO "tab\\tcr\\rbs\\bbell\\a"\r\n'),
      raw('ECHO a"b c"\r\n'),
      raw("ECHO ''\r\n"),
      raw('ECHO ""\r\n'),
      raw("ECHO a\x0bb\r\n"),
      raw('ECHO "a"\x0bb\r\n'),
      raw("ECHO x\r\r\n"),
      raw("ECHO x\ry\r\n"),
      raw("  ECHO   spaced  \n"),
      raw("ECHO \xe9\xa0\r\n"),
    ],
  },
  {
    name: "empty argument and binary arguments",
    steps: [
      ["ECHO", ""],
      ["ECHO", Buffer.from([0, 13, 10, 255])],
      ["SET", Buffer.from([0, 1]), Buffer.from("\r\n$3\r\n")],
      ["GET", Buffer.from([0, 1])],
    ],
  },
  {
    name: "big arguments (> 32 KiB) and pipelining around them",
    steps: [
      ["ECHO", "x".repeat(100000)],
      raw(multibulk("SET", "big", "y".repeat(40000)) + "PING\r\n" + multibulk("GET", "big"), 3),
    ],
  },
  {
    name: "a request split across steps is completed by the next bytes",
    steps: [raw("*2\r\n$4\r\nECHO\r\n$5\r\nhel", 0), raw("lo\r\n"), raw("PI", 0), raw("NG\r\n")],
  },
];

paritySuite("protocol: malformed and unusual requests", cases);

/** Before AUTH, Redis refuses more than 10 arguments and bulks over 16 KiB. */
const unauthenticated: ParityCase[] = [
  { name: "more than 10 arguments before AUTH", steps: [fatal("*11\r\n")] },
  {
    name: "10 arguments before AUTH are fine",
    steps: [["ECHO", "1", "2", "3", "4", "5", "6", "7", "8", "9"]],
  },
  { name: "a bulk over 16 KiB before AUTH", steps: [fatal("*2\r\n$4\r\nECHO\r\n$16385\r\n")] },
  { name: "a bulk of exactly 16 KiB before AUTH", steps: [["ECHO", "z".repeat(16384)]] },
  { name: "invalid beats unauthenticated", steps: [fatal("*2147483648\r\n")] },
  {
    name: "the limits are lifted by AUTH",
    steps: [
      ["AUTH", "pw"],
      ["ECHO", "z".repeat(20000)],
      ["ECHO", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
    ],
  },
];

paritySuite("protocol: unauthenticated limits", unauthenticated, {
  redisArgs: ["--requirepass", "pw"],
  reddishConfig: { requirepass: "pw" },
});
