/** The x87 long double emulation behind HINCRBYFLOAT; expected texts come from redis-server 7.0.15. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addLongDouble,
  formatLongDoubleHuman,
  longDoubleFromBigInt,
  parseLongDouble,
} from "../../src/util/longdouble.js";

/** Redis's reply to HINCRBYFLOAT on a missing field. */
function incrFromZero(incr: string): string | undefined {
  const v = parseLongDouble(incr);
  if (v === undefined) return undefined;
  const sum = addLongDouble(longDoubleFromBigInt(0n), v);
  return sum === undefined ? undefined : formatLongDoubleHuman(sum);
}

test("formats like %.17Lf with trailing zeros trimmed", () => {
  assert.equal(incrFromZero("0.1"), "0.1");
  assert.equal(
    incrFromZero("1e100"),
    "9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488",
  );
  assert.equal(incrFromZero("-1e-100"), "0", "-0.000... prints as 0");
  assert.equal(incrFromZero("1e-17"), "0.00000000000000001");
  assert.equal(incrFromZero("0.000003814697265625"), "0.00000381469726562", "ties round to even");
  assert.equal(incrFromZero("0x1.8p-2"), "0.375");
  assert.equal(incrFromZero("3.6e-4951"), "0", "a subnormal is accepted");
  assert.equal(incrFromZero("1.18973149535723176502e+4932")!.length, 4933, "LDBL_MAX prints in full");
});

test("sums round to a 64-bit significand", () => {
  let v = longDoubleFromBigInt(0n);
  const tenth = parseLongDouble("0.1")!;
  const texts: string[] = [];
  for (let i = 0; i < 3; i++) {
    v = addLongDouble(v, tenth)!;
    texts.push(formatLongDoubleHuman(v));
  }
  assert.deepEqual(texts, ["0.1", "0.2", "0.3"]);
  const big = parseLongDouble("18446744073709551615")!;
  assert.equal(formatLongDoubleHuman(addLongDouble(big, parseLongDouble("1")!)!), "18446744073709551616");
  const max = parseLongDouble("1.18973149535723176502e+4932")!;
  assert.equal(addLongDouble(max, max)!.inf, true, "overflow gives infinity");
  assert.equal(addLongDouble(parseLongDouble("inf")!, parseLongDouble("-inf")!), undefined, "NaN");
});

test("parses what strtold accepts, refuses what string2ld refuses", () => {
  for (const ok of [
    "1",
    "-1",
    "+.5e-3",
    "5.",
    ".5",
    "0x10",
    "0X.8",
    "0x1p-16445",
    "inf",
    "-Infinity",
    "1E5",
  ]) {
    assert.ok(parseLongDouble(ok) !== undefined, ok);
  }
  for (const bad of [
    "",
    " 1",
    "1 ",
    "1e",
    "e1",
    ".",
    "0x",
    "nan",
    "1e5000",
    "1e-5000",
    "0x1p-16500",
    "1\u00005",
  ]) {
    assert.equal(parseLongDouble(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(parseLongDouble("1".repeat(5120)), undefined, "longer than Redis's buffer");
  assert.equal(parseLongDouble("1e99999999999999999999"), undefined);
  assert.equal(parseLongDouble("0e99999999999999999999")!.mant, 0n);
});
