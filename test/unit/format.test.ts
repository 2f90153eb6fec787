/**
 * formatG/formatDouble against C's printf("%.*g") (glibc): a table of values printed by C, and a
 * seeded random comparison with a slow reference that rounds the exact binary value (BigInt) half
 * to even.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDouble, formatG } from "../../src/resp/format.js";

/** [value, precision, what glibc's printf("%.*g", precision, value) prints]. */
const PRINTF_TABLE: [number, number, string][] = [
  [0.1, 17, "0.10000000000000001"],
  [0.30000000000000004, 17, "0.30000000000000004"],
  [0.3333333333333333, 17, "0.33333333333333331"],
  [0.6666666666666666, 17, "0.66666666666666663"],
  [1.0, 17, "1"],
  [-1.5, 17, "-1.5"],
  [100.0, 17, "100"],
  [1e16, 17, "10000000000000000"],
  [1e17, 17, "1e+17"],
  [1.2345678901234567e19, 17, "1.2345678901234567e+19"],
  [0.0001, 17, "0.0001"],
  [1e-5, 17, "1.0000000000000001e-05"],
  [0.00012345, 17, "0.00012344999999999999"],
  [1.5e-7, 17, "1.4999999999999999e-07"],
  [1e21, 17, "1e+21"],
  [1e22, 17, "1e+22"],
  [1.2345678901234568e17, 17, "1.2345678901234568e+17"],
  [9007199254740992, 17, "9007199254740992"],
  [9007199254740994, 17, "9007199254740994"],
  [5e-324, 17, "4.9406564584124654e-324"],
  [2.2250738585072014e-308, 17, "2.2250738585072014e-308"],
  [1.7976931348623157e308, 17, "1.7976931348623157e+308"],
  [-1.7976931348623157e308, 17, "-1.7976931348623157e+308"],
  // Exact ties at the 18th digit: glibc rounds half to even, JavaScript's toExponential up.
  [2 ** -25, 17, "2.9802322387695312e-08"],
  [-(2 ** -25), 17, "-2.9802322387695312e-08"],
  [4.470348358154297e-8, 17, "4.4703483581542969e-08"],
  [5.960464477539063e-8, 17, "5.9604644775390625e-08"],
  [0.5, 17, "0.5"],
  [3.14159, 17, "3.1415899999999999"],
  [-0.0001, 17, "-0.0001"],
  [1234.5, 17, "1234.5"],
  [2.5, 1, "2"],
  [3.5, 1, "4"],
  [0.25, 1, "0.2"],
  [0.35, 1, "0.3"],
  [123425.0, 5, "1.2342e+05"],
  [123435.0, 5, "1.2344e+05"],
  [-123425.0, 5, "-1.2342e+05"],
  [9.5, 1, "1e+01"],
  [99.5, 2, "1e+02"],
  [0.5, 0, "0.5"],
  [1.0, 0, "1"],
  [15.0, 1, "2e+01"],
  [25.0, 1, "2e+01"],
  [0.125, 2, "0.12"],
  [0.375, 2, "0.38"],
  [1e100, 17, "1e+100"],
  [1.2345e-300, 17, "1.2345e-300"],
  [4.35, 17, "4.3499999999999996"],
  [4.35, 2, "4.3"],
  [1.005, 3, "1"],
  [2.675, 3, "2.67"],
  [1e15, 15, "1e+15"],
  [123456.0, 6, "123456"],
  [1234567.0, 6, "1.23457e+06"],
  [0.000123456, 3, "0.000123"],
];

test("formatG matches glibc printf %.*g on a table of values", () => {
  for (const [value, precision, expected] of PRINTF_TABLE) {
    assert.equal(formatG(value, precision), expected, `%.${precision}g of ${value}`);
  }
});

test("formatDouble: special values as Redis prints them", () => {
  assert.equal(formatDouble(0), "0");
  assert.equal(formatDouble(-0), "-0");
  assert.equal(formatDouble(Infinity), "inf");
  assert.equal(formatDouble(-Infinity), "-inf");
  assert.equal(formatDouble(NaN), "nan");
  assert.equal(formatDouble(3), "3");
  assert.equal(formatDouble(-2.5), "-2.5");
  assert.equal(formatDouble(1.1), "1.1000000000000001");
});

/** Exact decimal digits and exponent of a positive finite double: value = 0.d1d2d3... × 10^exp. */
function exactDecimal(value: number): { digits: string; exp: number } {
  // value = m × 2^e exactly, m an integer below 2^53.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  let digits: string;
  let exp: number;
  if (e >= 0) {
    digits = (m << BigInt(e)).toString();
    exp = digits.length;
  } else {
    // m / 2^-e = m × 5^-e / 10^-e
    digits = (m * 5n ** BigInt(-e)).toString();
    exp = digits.length + e;
  }
  const trimmed = digits.replace(/^0+/, "");
  exp -= digits.length - trimmed.length;
  return { digits: trimmed.replace(/0+$/, ""), exp };
}

/** A slow, obviously-correct %.*g: round the exact expansion half to even, then lay it out. */
function referenceG(value: number, precision: number): string {
  const p = Math.max(1, precision);
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const negative = value < 0;
  const { digits, exp } = exactDecimal(Math.abs(value));
  let kept = digits.slice(0, p).padEnd(p, "0");
  let exponent = exp - 1; // scientific exponent of the first digit
  const rest = digits.slice(p);
  const roundUp =
    rest.length > 0 &&
    (rest[0]! > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || Number(kept[p - 1]) % 2 === 1)));
  if (roundUp) {
    const up = (BigInt(kept) + 1n).toString();
    if (up.length > p) {
      kept = up.slice(0, p);
      exponent++;
    } else kept = up;
  }
  let out: string;
  if (exponent < -4 || exponent >= p) {
    const frac = kept.slice(1).replace(/0+$/, "");
    const abs = Math.abs(exponent);
    out = `${kept[0]}${frac ? "." + frac : ""}e${exponent < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
  } else if (exponent >= 0) {
    const int = kept.slice(0, exponent + 1);
    const frac = kept.slice(exponent + 1).replace(/0+$/, "");
    out = frac ? `${int}.${frac}` : int;
  } else {
    out = `0.${"0".repeat(-exponent - 1)}${kept.replace(/0+$/, "")}`;
  }
  return negative ? "-" + out : out;
}

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("formatG agrees with an exact half-to-even reference on random values", () => {
  assert.deepEqual(
    PRINTF_TABLE.filter(([v, p, s]) => referenceG(v, p) !== s),
    [],
    "the reference itself reproduces printf",
  );
  const random = rng(42);
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 5000; i++) {
    let value: number;
    const kind = random();
    if (kind < 0.3) {
      // Arbitrary bit patterns.
      view.setUint32(0, Math.floor(random() * 2 ** 32));
      view.setUint32(4, Math.floor(random() * 2 ** 32));
      value = view.getFloat64(0);
      if (!Number.isFinite(value)) continue;
    } else if (kind < 0.7) {
      // Few significant bits: where exact ties live.
      value = Math.floor(random() * 2 ** 20) / 2 ** Math.floor(random() * 30);
    } else {
      value = Number((random() * 2e6 - 1e6).toFixed(Math.floor(random() * 7)));
    }
    const precision = [17, 17, 17, 1, 2, 3, 5, 10, 16][Math.floor(random() * 9)]!;
    assert.equal(formatG(value, precision), referenceG(value, precision), `%.${precision}g of ${value}`);
  }
});

test("formatDouble round-trips every double it prints", () => {
  const random = rng(7);
  for (let i = 0; i < 2000; i++) {
    const value = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    assert.equal(Number(formatDouble(value)), value);
  }
});
