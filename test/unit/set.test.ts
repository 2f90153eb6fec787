/** The set value class: encodings, conversion, intset order, SSCAN guarantee, cloning. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { compareIntStrings, isIntsetMember, SetValue } from "../../src/types/set.js";
import { parseInt64 } from "../../src/types/string.js";

const MAX = 512;

function members(set: SetValue): string[] {
  const out: string[] = [];
  for (let i = 0; i < set.size; i++) out.push(set.at(i));
  return out;
}

test("isIntsetMember accepts exactly Redis's string2ll forms", () => {
  const yes = ["0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "1000000000000000000"];
  const no = [
    "",
    "-",
    "-0",
    "01",
    "+1",
    " 1",
    "1 ",
    "1.0",
    "1e3",
    "0x10",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "123456789012345678901",
    "abc",
  ];
  for (const s of yes) assert.equal(isIntsetMember(s), true, s);
  for (const s of no) assert.equal(isIntsetMember(s), false, s);
  for (const s of [...yes, ...no]) assert.equal(isIntsetMember(s), parseInt64(s) !== undefined, s);
});

test("compareIntStrings orders like the integers", () => {
  const random = new Random(7);
  const values: bigint[] = [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n, 10n, -10n, 9n, -9n];
  for (let i = 0; i < 500; i++) {
    const digits = 1 + random.below(19);
    let v = BigInt(Math.floor(random.next() * 10 ** Math.min(digits, 15)));
    if (digits > 15) v = v * 10000n + BigInt(random.below(10000));
    if (random.below(2)) v = -v;
    if (v <= 9223372036854775807n && v >= -9223372036854775808n) values.push(v);
  }
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < 20; j++) {
      const a = values[i]!;
      const b = values[random.below(values.length)]!;
      const expected = a < b ? -1 : a > b ? 1 : 0;
      assert.equal(Math.sign(compareIntStrings(String(a), String(b))), expected, `${a} vs ${b}`);
    }
  }
});

test("an intset keeps its members sorted by integer value", () => {
  const set = new SetValue();
  const random = new Random(1);
  const reference = new Set<bigint>();
  for (let i = 0; i < 2000; i++) {
    const v = BigInt(random.below(400)) - 200n;
    if (random.below(3) === 0) {
      assert.equal(set.remove(String(v)), reference.delete(v));
    } else {
      assert.equal(set.add(String(v), MAX), !reference.has(v));
      reference.add(v);
    }
  }
  assert.equal(set.encoding(), "intset");
  const expected = [...reference].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
  assert.deepEqual(members(set), expected);
  for (let v = -210; v < 210; v++) assert.equal(set.has(String(v)), reference.has(BigInt(v)));
  assert.equal(set.has("x"), false);
  assert.equal(set.has("01"), false);
  assert.equal(set.remove("x"), false);
});

test("intset converts to hashtable past set-max-intset-entries, one way", () => {
  const set = new SetValue();
  for (let i = 512; i >= 1; i--) assert.equal(set.add(String(i), MAX), true);
  assert.equal(set.encoding(), "intset");
  assert.equal(set.add("512", MAX), false);
  assert.equal(set.encoding(), "intset");
  assert.deepEqual(members(set).slice(0, 3), ["1", "2", "3"]);
  assert.equal(set.add("513", MAX), true);
  assert.equal(set.encoding(), "hashtable");
  assert.equal(set.size, 513);
  for (let i = 1; i <= 513; i++) assert.equal(set.has(String(i)), true);
  for (let i = 1; i <= 510; i++) set.remove(String(i));
  assert.equal(set.encoding(), "hashtable", "no conversion back");
  assert.deepEqual(members(set).sort(), ["511", "512", "513"]);
});

test("a non-integer member converts to hashtable", () => {
  const set = new SetValue();
  set.add("3", MAX);
  set.add("1", MAX);
  assert.equal(set.encoding(), "intset");
  assert.equal(set.add("x", MAX), true);
  assert.equal(set.encoding(), "hashtable");
  assert.equal(set.remove("x"), true);
  assert.equal(set.encoding(), "hashtable");
  assert.equal(set.has("1"), true);
  assert.equal(set.has("3"), true);
  const first = new SetValue();
  first.add("abc", MAX);
  assert.equal(first.encoding(), "hashtable");
  const zero = new SetValue();
  zero.add("1", 0);
  assert.equal(zero.encoding(), "hashtable", "limit 0: never an intset once it has a member");
});

test("hashtable add/remove/has with swap-remove", () => {
  const set = new SetValue();
  set.add("x", MAX);
  const reference = new Set<string>(["x"]);
  const random = new Random(3);
  for (let i = 0; i < 5000; i++) {
    const m = `m${random.below(300)}`;
    if (random.below(2)) {
      assert.equal(set.add(m, MAX), !reference.has(m));
      reference.add(m);
    } else {
      assert.equal(set.remove(m), reference.has(m));
      reference.delete(m);
    }
    assert.equal(set.size, reference.size);
    assert.equal(set.has(m), reference.has(m));
  }
  assert.deepEqual(members(set).sort(), [...reference].sort());
  const removed = set.removeAt(0);
  assert.equal(set.has(removed), false);
});

test("SSCAN on an intset returns everything with cursor 0", () => {
  const set = new SetValue();
  for (const m of ["5", "-1", "3"]) set.add(m, MAX);
  for (const cursor of [0, 1, 99]) {
    const seen: string[] = [];
    assert.equal(
      set.scan(cursor, 1, (m) => seen.push(m)),
      0,
    );
    assert.deepEqual(seen, ["-1", "3", "5"]);
  }
});

test("SSCAN on a hashtable returns every member present for the whole scan", () => {
  const random = new Random(11);
  for (let round = 0; round < 20; round++) {
    const set = new SetValue();
    set.add("seed", MAX);
    for (let i = 0; i < 200; i++) set.add(`m${i}`, MAX);
    const stable = new Set<string>();
    for (let i = 0; i < 200; i += 2) stable.add(`m${i}`);
    const seen = new Set<string>();
    let cursor = 0;
    let calls = 0;
    let next = 200;
    do {
      cursor = set.scan(cursor, 1 + random.below(15), (m) => seen.add(m));
      calls++;
      // Between calls: remove some odd (unstable) members, add new ones.
      for (let k = 0; k < 5; k++) set.remove(`m${2 * random.below(100) + 1}`);
      for (let k = 0; k < 3; k++) set.add(`m${next++}`, MAX);
    } while (cursor !== 0 && calls < 10_000);
    assert.equal(cursor, 0);
    for (const m of stable) assert.ok(seen.has(m), `round ${round}: ${m} missed`);
  }
});

test("SSCAN cursor beyond the end is clamped", () => {
  const set = new SetValue();
  for (const m of ["a", "b", "c"]) set.add(m, MAX);
  const seen: string[] = [];
  let cursor = set.scan(1000, 2, (m) => seen.push(m));
  while (cursor !== 0) cursor = set.scan(cursor, 2, (m) => seen.push(m));
  assert.deepEqual(seen.sort(), ["a", "b", "c"]);
});

test("clone is deep and keeps the encoding", () => {
  const ints = new SetValue();
  for (const m of ["2", "1"]) ints.add(m, MAX);
  const copy = ints.clone();
  copy.add("0", MAX);
  assert.deepEqual(members(ints), ["1", "2"]);
  assert.deepEqual(members(copy), ["0", "1", "2"]);
  assert.equal(copy.encoding(), "intset");
  const ht = new SetValue();
  for (const m of ["x", "1"]) ht.add(m, MAX);
  ht.remove("x");
  const htCopy = ht.clone();
  assert.equal(htCopy.encoding(), "hashtable");
  htCopy.add("y", MAX);
  assert.equal(ht.has("y"), false);
  assert.equal(htCopy.has("1"), true);
  assert.equal(htCopy.type, "set");
});
