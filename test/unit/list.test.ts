/** The list value class: ring buffer operations against a plain-array model, element encoding. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { ListValue } from "../../src/types/list.js";

test("push and pop at both ends, growing and shrinking", () => {
  const list = new ListValue();
  const model: string[] = [];
  for (let i = 0; i < 1000; i++) {
    if (i % 3 === 0) {
      list.pushHead(`h${i}`);
      model.unshift(`h${i}`);
    } else {
      list.pushTail(String(i));
      model.push(String(i));
    }
  }
  assert.deepEqual(list.toArray(), model);
  while (model.length > 0) {
    assert.equal(list.popHead(), model.shift());
    if (model.length > 0) assert.equal(list.popTail(), model.pop());
  }
  assert.equal(list.length, 0);
  assert.equal(list.popHead(), undefined);
  assert.equal(list.popTail(), undefined);
});

test("elements round-trip byte for byte, integers included", () => {
  const values = [
    "0",
    "-0",
    "00",
    "007",
    "-1",
    "1",
    "+1",
    "1073741823",
    "-1073741823",
    "1073741824",
    "-1073741824",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "1.0",
    "1e3",
    " 1",
    "",
    "-",
    "\u0000\u00ff",
    "x".repeat(1000),
  ];
  const list = ListValue.from(values);
  assert.deepEqual(list.toArray(), values);
  for (const [i, v] of values.entries()) {
    assert.equal(list.at(i), v);
    assert.equal(list.indexOf(v), i, v);
    assert.equal(list.equalAt(i, ListValue.probe(v)), true, v);
  }
  assert.equal(list.indexOf("1.00"), -1);
  assert.equal(list.equalAt(1, ListValue.probe("0")), false);
});

test("random operations match a plain-array model", () => {
  const rnd = new Random(7);
  const list = new ListValue();
  let model: string[] = [];
  const value = () => (rnd.below(3) === 0 ? String(rnd.below(5)) : `v${rnd.below(5)}`);
  for (let step = 0; step < 20000; step++) {
    const op = rnd.below(10);
    const n = model.length;
    if (op === 0) {
      const v = value();
      list.pushHead(v);
      model.unshift(v);
    } else if (op === 1) {
      const v = value();
      list.pushTail(v);
      model.push(v);
    } else if (op === 2) {
      assert.equal(list.popHead(), model.shift());
    } else if (op === 3) {
      assert.equal(list.popTail(), model.pop());
    } else if (op === 4) {
      const i = rnd.below(n + 1);
      const v = value();
      list.insert(i, v);
      model.splice(i, 0, v);
    } else if (op === 5 && n > 0) {
      const start = rnd.below(n);
      const count = rnd.below(n - start + 1);
      list.removeRange(start, count);
      model.splice(start, count);
    } else if (op === 6 && n > 0) {
      const i = rnd.below(n);
      const v = value();
      list.set(i, v);
      model[i] = v;
    } else if (op === 7) {
      const v = value();
      const limit = rnd.below(3);
      const fromTail = rnd.below(2) === 1;
      const removed = list.removeMatching(v, limit, fromTail);
      const indexes: number[] = [];
      if (fromTail) {
        for (let i = n - 1; i >= 0; i--)
          if (model[i] === v && (limit === 0 || indexes.length < limit)) indexes.push(i);
      } else {
        for (let i = 0; i < n; i++)
          if (model[i] === v && (limit === 0 || indexes.length < limit)) indexes.push(i);
      }
      assert.equal(removed, indexes.length);
      const drop = new Set(indexes);
      model = model.filter((_, i) => !drop.has(i));
    } else if (op === 8 && n > 0) {
      const i = rnd.below(n);
      assert.equal(list.at(i), model[i]);
    } else if (op === 9 && rnd.below(50) === 0) {
      // Occasionally drain most of it, so the buffer shrinks and regrows.
      const keep = rnd.below(4);
      list.removeRange(keep, n - keep);
      model.splice(keep, n - keep);
    }
    assert.equal(list.length, model.length);
  }
  assert.deepEqual(list.toArray(), model);
});

test("clone is deep; encoding is always quicklist", () => {
  const list = ListValue.from(["a", "1", "b"]);
  const copy = list.clone();
  copy.pushTail("c");
  copy.set(0, "z");
  assert.deepEqual(list.toArray(), ["a", "1", "b"]);
  assert.deepEqual(copy.toArray(), ["z", "1", "b", "c"]);
  assert.equal(list.encoding(), "quicklist");
  const big = new ListValue();
  for (let i = 0; i < 10000; i++) big.pushTail("x".repeat(100));
  assert.equal(big.encoding(), "quicklist");
});

test("forRange walks both ways", () => {
  const list = ListValue.from(["a", "b", "c", "d"]);
  const seen: string[] = [];
  list.forRange(1, 2, false, (e) => seen.push(e));
  list.forRange(0, 3, true, (e) => seen.push(e));
  assert.deepEqual(seen, ["b", "c", "d", "c", "b", "a"]);
});

test("memory usage follows Redis's quicklist accounting", () => {
  // Figures from redis-server 7.0.15's MEMORY USAGE minus the key's own 32 bytes (sds + dictEntry).
  assert.equal(ListValue.from(["a", "b", "c"]).memoryUsage(5), 112);
  const rpushed = new ListValue();
  const lpushed = new ListValue();
  const ints = new ListValue();
  for (let i = 0; i < 10000; i++) {
    rpushed.pushTail(`element:${i}`);
    lpushed.pushHead(`element:${i}`);
  }
  for (let i = 0; i < 5000; i++) ints.pushTail(String(i * 37 - 1000));
  assert.equal(rpushed.memoryUsage(5), 140000);
  assert.equal(lpushed.memoryUsage(5), 140000);
  assert.equal(ints.memoryUsage(5), 24752);
  assert.equal(new ListValue().memoryUsage(5), 56);
});
