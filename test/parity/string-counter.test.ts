/**
 * Parity cases for the string counters: INCR, DECR, INCRBY, DECRBY (64-bit limits and overflow
 * errors) and INCRBYFLOAT, whose replies are x87 long double sums printed with `%.17Lf` and
 * trimmed, so many chains of increments are compared reply by reply. Every case uses its own keys.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

const LLONG_MAX = "9223372036854775807";
const LLONG_MIN = "-9223372036854775808";

/** A step that sleeps `ms` before sending `cmd`. */
function after(ms: number, cmd: (string | Buffer)[]): Step {
  return { cmd, sleepBefore: ms };
}

/** INCRBYFLOAT chains: [initial value or null, increments...]; every reply is compared. */
const FLOAT_CHAINS: [string | null, ...string[]][] = [
  ["10.5", "0.1", "0.1", "-0.3"],
  [null, "3.0e3", "5.0e-2", "-3000.05"],
  [null, "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"],
  [null, "1.1", "2.2", "3.3", "-6.6"],
  [null, "1e308", "1e308"],
  [null, "-1e308", "1"],
  [null, "1.7976931348623157e308", "1.7976931348623157e308"],
  [null, "1e4000", "-1e3999"],
  [null, "1e-20", "1e-17", "5e-18", "4.9999999999e-18"],
  [null, "0x1p-18", "0x3p-18", "0x1p-60"],
  [null, "0x10", "0X1.8P1", "0x.8"],
  [null, "123456789.123456789", "0.000000001"],
  [null, "99999999999999999999", "1", "0.5"],
  [null, "9223372036854775807", "1"],
  [null, "-0.0", "-0"],
  [null, "-5.5", "5.5"],
  [null, "1e17", "0.5", "1e18", "0.25"],
  [null, "4.94e-324", "1e-4940"],
  [null, "+1.5", ".5", "5.", "1E2", "1e+2", "1e-2"],
  [null, "3.14159265358979323846264338327950288", "2.71828182845904523536028747135266249"],
  [null, "0.30000000000000004", "0.1"],
  [null, "1234567890123456789012345678901234567890", "-1234567890123456789012345678901234567890"],
  ["1", "1e-17", "1e-17", "1e-17"],
  ["12", "-12.000000000000000001"],
  ["-1", "0.99999999999999999"],
  [null, "7e-1", "7e-2", "7e-3", "7e-4", "7e-5", "7e-6", "7e-7", "7e-8"],
  [null, "1e4930", "1e4930", "1e4930"],
  [null, "100", "-0.01", "-0.001", "-0.0001"],
];

const floatChainCases: ParityCase[] = FLOAT_CHAINS.map(([initial, ...incrs], i) => {
  const key = `ibf:${i}`;
  const steps: Step[] = [];
  if (initial !== null) steps.push({ cmd: ["SET", key, initial] });
  for (const incr of incrs) steps.push({ cmd: ["INCRBYFLOAT", key, incr] });
  steps.push({ cmd: ["GET", key] });
  return { name: `incrbyfloat chain ${i}: ${initial ?? "(none)"} + ${incrs.join(", ")}`, steps };
});

paritySuite("string counters", [
  // ---- INCR family ----
  {
    name: "incr and decr",
    steps: [
      ["INCR", "n:a"],
      ["INCR", "n:a"],
      ["DECR", "n:a"],
      ["DECR", "n:b"],
      ["DECR", "n:b"],
      ["INCRBY", "n:c", "100"],
      ["INCRBY", "n:c", "-250"],
      ["DECRBY", "n:c", "-50"],
      ["DECRBY", "n:c", "7"],
      ["GET", "n:c"],
      ["SET", "n:d", "-10"],
      ["INCR", "n:d"],
      ["SET", "n:e", "999999999999999"],
      ["INCR", "n:e"],
      ["INCRBY", "n:e", "999999999999999"],
      ["INCRBY", "n:e", "9000000000000000000"],
      ["GET", "n:e"],
      ["INCR", "n:a", "x"],
      ["INCRBY", "n:a"],
    ],
  },
  {
    name: "incr on non-integer values",
    steps: [
      ["SET", "ni:a", "abc"],
      ["INCR", "ni:a"],
      ["SET", "ni:b", " 1"],
      ["INCR", "ni:b"],
      ["SET", "ni:c", "1 "],
      ["DECR", "ni:c"],
      ["SET", "ni:d", "01"],
      ["INCRBY", "ni:d", "1"],
      ["SET", "ni:e", "-0"],
      ["INCR", "ni:e"],
      ["SET", "ni:f", "+1"],
      ["INCR", "ni:f"],
      ["SET", "ni:g", "1.0"],
      ["INCR", "ni:g"],
      ["SET", "ni:h", "99999999999999999999"],
      ["INCR", "ni:h"],
      ["SET", "ni:i", ""],
      ["INCR", "ni:i"],
      ["SET", "ni:j", "0"],
      ["INCR", "ni:j"],
      ["SET", "ni:k", Buffer.from("1\u0000")],
      ["INCR", "ni:k"],
      ["SET", "ni:l", "9223372036854775808"],
      ["DECR", "ni:l"],
      ["SET", "ni:m", LLONG_MIN],
      ["INCR", "ni:m"],
    ],
  },
  {
    name: "incrby argument errors",
    steps: [
      ["INCRBY", "na:a", "abc"],
      ["INCRBY", "na:a", "1.5"],
      ["INCRBY", "na:a", ""],
      ["INCRBY", "na:a", "9223372036854775808"],
      ["DECRBY", "na:a", "-9223372036854775809"],
      ["DECRBY", "na:a", " 1"],
      ["INCRBY", "na:a", "+5"],
      ["GET", "na:a"],
      ["HSET", "na:h", "f", "v"],
      ["INCRBY", "na:h", "x"],
      ["DECRBY", "na:h", LLONG_MIN],
    ],
  },
  {
    name: "incr overflow",
    steps: [
      ["SET", "no:a", LLONG_MAX],
      ["INCR", "no:a"],
      ["INCRBY", "no:a", "1"],
      ["DECRBY", "no:a", "-1"],
      ["DECR", "no:a"],
      ["INCR", "no:a"],
      ["SET", "no:b", LLONG_MIN],
      ["DECR", "no:b"],
      ["DECRBY", "no:b", "1"],
      ["INCRBY", "no:b", "-1"],
      ["INCRBY", "no:b", LLONG_MAX],
      ["INCRBY", "no:b", LLONG_MIN],
      ["DECRBY", "no:c", LLONG_MIN],
      ["DECRBY", "no:c", LLONG_MAX],
      ["DECRBY", "no:c", "1"],
      ["INCRBY", "no:c", "-1"],
      ["SET", "no:d", "-1"],
      ["INCRBY", "no:d", LLONG_MIN],
      ["INCRBY", "no:d", LLONG_MAX],
      ["SET", "no:e", "1"],
      ["INCRBY", "no:e", LLONG_MAX],
      ["INCRBY", "no:e", LLONG_MIN],
      ["GET", "no:e"],
      ["SET", "no:f", "5"],
      ["DECRBY", "no:f", LLONG_MIN],
      ["GET", "no:f"],
    ],
  },
  {
    name: "incr keeps the ttl",
    steps: [
      ["SET", "nt:a", "1", "PX", "60"],
      ["INCR", "nt:a"],
      ["SET", "nt:b", "1.5", "PX", "60"],
      ["INCRBYFLOAT", "nt:b", "1"],
      after(120, ["GET", "nt:a"]),
      ["GET", "nt:b"],
    ],
  },
  // ---- INCRBYFLOAT ----
  ...floatChainCases,
  {
    name: "incrbyfloat errors",
    steps: [
      ["INCRBYFLOAT", "f:a", "abc"],
      ["INCRBYFLOAT", "f:a", ""],
      ["INCRBYFLOAT", "f:a", " 1"],
      ["INCRBYFLOAT", "f:a", "1 "],
      ["INCRBYFLOAT", "f:a", "1e"],
      ["INCRBYFLOAT", "f:a", "1e+"],
      ["INCRBYFLOAT", "f:a", "."],
      ["INCRBYFLOAT", "f:a", "0x"],
      ["INCRBYFLOAT", "f:a", "0x1p"],
      ["INCRBYFLOAT", "f:a", "nan"],
      ["INCRBYFLOAT", "f:a", "NaN"],
      ["INCRBYFLOAT", "f:a", "-nan"],
      ["INCRBYFLOAT", "f:a", "inf"],
      ["INCRBYFLOAT", "f:a", "-Infinity"],
      ["INCRBYFLOAT", "f:a", "+INF"],
      ["INCRBYFLOAT", "f:a", "1e5000"],
      ["INCRBYFLOAT", "f:a", "-1e5000"],
      ["INCRBYFLOAT", "f:a", "1e-5000"],
      ["INCRBYFLOAT", "f:a", "1e99999999999999999999"],
      ["INCRBYFLOAT", "f:a", "0e99999999999999999999"],
      ["INCRBYFLOAT", "f:a", Buffer.from("1\u0000")],
      ["INCRBYFLOAT", "f:a", Buffer.from("\u00001")],
      ["INCRBYFLOAT", "f:a", "1".repeat(5119)],
      ["INCRBYFLOAT", "f:a", "1".repeat(5120)],
      ["INCRBYFLOAT", "f:a", "1".repeat(4933)],
      ["INCRBYFLOAT", "f:a", "-" + "1".repeat(4934)],
      ["GET", "f:a"],
      ["SET", "f:b", "1e4932"],
      ["INCRBYFLOAT", "f:b", "1e4932"],
      ["INCRBYFLOAT", "f:b", "-1e4932"],
      ["SET", "f:c", "abc"],
      ["INCRBYFLOAT", "f:c", "1"],
      ["SET", "f:d", "inf"],
      ["INCRBYFLOAT", "f:d", "1"],
      ["SET", "f:e", "nan"],
      ["INCRBYFLOAT", "f:e", "1"],
      ["SET", "f:f", " 1"],
      ["INCRBYFLOAT", "f:f", "1"],
      ["SET", "f:g", ""],
      ["INCRBYFLOAT", "f:g", "1"],
      ["HSET", "f:h", "f", "v"],
      ["INCRBYFLOAT", "f:h", "abc"],
      ["INCRBYFLOAT", "f:c", "abc"],
      ["INCRBYFLOAT", "f:a"],
    ],
  },
]);
