/**
 * SORT internals: the strtod emulation for weights and Redis's partial quicksort (the parity suite
 * checks both against redis-server; these pin the rules and check the partial sort's contract on
 * many random inputs).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { partialQuicksort, sortWeight } from "../../src/commands/sort.js";

test("sortWeight follows strtod: prefix rules, NUL, white space, hex, inf, NaN", () => {
  const ok: [string, number][] = [
    ["", 0],
    ["\0abc", 0],
    ["1\0x", 1],
    [" \t\n\r\v\f1", 1],
    ["007", 7],
    ["-0", -0],
    ["+.5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["0x10", 16],
    ["0X1P3", 8],
    ["0x.8", 0.5],
    ["-0x1.8p1", -3],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
    ["0X1P-1074", Number.MIN_VALUE],
    ["2.2250738585072013e-308", 2 ** -1022],
    ["1.7976931348623158e308", Number.MAX_VALUE],
    ["0e-999999", 0],
  ];
  for (const [s, v] of ok) assert.equal(Object.is(sortWeight(s), v), true, JSON.stringify(s));
  const bad = ["1 ", "  ", "0x", "1e", ".", "-", "nan", "nan(1)", "infinit", "abc", "1e400", "-1e400"];
  for (const s of bad) assert.equal(sortWeight(s), undefined, JSON.stringify(s));
});

test("sortWeight: ERANGE on inexact underflow (tiny after rounding), not on exact subnormals", () => {
  const exact = `0.${(5n ** 1074n).toString().padStart(1074, "0")}`;
  assert.equal(sortWeight(exact), Number.MIN_VALUE);
  assert.equal(sortWeight(exact.slice(0, -1) + "6"), undefined);
  assert.equal(sortWeight("0x0.0000000000001p-1022"), Number.MIN_VALUE);
  for (const s of [
    "1e-400",
    "1e-310",
    "4.9e-324",
    "2.2250738585072012e-308",
    "0x1p-1075",
    "0x1.fffffffffffffp-1023",
  ]) {
    assert.equal(sortWeight(s), undefined, s);
  }
  assert.equal(sortWeight("0x1.fffffffffffff8p1023"), undefined);
  assert.equal(sortWeight("0x1.fffffffffffff7p1023"), Number.MAX_VALUE);
});

test("partialQuicksort puts the wanted range in sorted position", () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 500; round++) {
    const n = 1 + rand(120);
    const v = Array.from({ length: n }, () => rand(1 + rand(50)));
    const lo = rand(n);
    const hi = lo + rand(n - lo);
    const expected = v.slice().sort((a, b) => a - b);
    const got = v.slice();
    partialQuicksort(got, (a, b) => a - b, lo, hi);
    assert.deepEqual(got.slice(lo, hi + 1), expected.slice(lo, hi + 1));
    assert.deepEqual(
      got.slice().sort((a, b) => a - b),
      expected,
    );
  }
});
