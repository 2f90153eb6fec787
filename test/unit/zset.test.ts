/**
 * The sorted-set value class (src/types/zset.ts): both encodings against a reference model under
 * random ZADD-style updates and removals, conversion, range seeks, rank-range removal, ZSCAN's
 * guarantee for skiplists, cloning, and the listpack's -0 normalisation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { compareEntries } from "../../src/types/zset-tree.js";
import {
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZADD_XX,
  ZsetValue,
  type LexRange,
  type ZsetLimits,
} from "../../src/types/zset.js";

const LIMITS: ZsetLimits = { maxEntries: 128, maxValue: 64 };

/** Entries of a zset in order, as [member, score] pairs. */
function entries(z: ZsetValue): [string, number][] {
  const out: [string, number][] = [];
  z.forEach((m, s) => out.push([m, s]));
  return out;
}

/** The reference order of a member → score map. */
function sorted(model: Map<string, number>): [string, number][] {
  return [...model].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
}

test("ZADD flags: added, updated, no-op, NaN", () => {
  const z = new ZsetValue();
  assert.equal(z.add(1, "a", 0, LIMITS), ZADD_OUT_ADDED);
  assert.equal(z.add(1, "a", 0, LIMITS), 0);
  assert.equal(z.add(2, "a", 0, LIMITS), ZADD_OUT_UPDATED);
  assert.equal(z.add(5, "a", ZADD_NX, LIMITS), ZADD_OUT_NOP);
  assert.equal(z.add(5, "b", ZADD_XX, LIMITS), ZADD_OUT_NOP);
  assert.equal(z.add(1, "a", ZADD_GT, LIMITS), ZADD_OUT_NOP);
  assert.equal(z.add(3, "a", ZADD_LT, LIMITS), ZADD_OUT_NOP);
  assert.equal(z.add(3, "a", ZADD_GT, LIMITS), ZADD_OUT_UPDATED);
  assert.equal(z.add(Infinity, "a", ZADD_INCR, LIMITS), ZADD_OUT_UPDATED);
  assert.equal(z.lastScore, Infinity);
  assert.equal(z.add(-Infinity, "a", ZADD_INCR, LIMITS), ZADD_OUT_NAN);
  assert.equal(z.score("a"), Infinity);
  assert.equal(z.add(NaN, "c", 0, LIMITS), ZADD_OUT_NAN);
  assert.equal(z.size, 1);
});

test("both encodings agree with a reference model under random updates", () => {
  for (const encoding of ["listpack", "skiplist"] as const) {
    const random = new Random(encoding === "listpack" ? 11 : 12);
    const z = new ZsetValue(encoding);
    const limits = encoding === "listpack" ? { maxEntries: 1e9, maxValue: 1e9 } : LIMITS;
    const model = new Map<string, number>();
    for (let step = 0; step < 6000; step++) {
      const m = `k${random.below(800)}`;
      const op = random.below(10);
      if (op < 6) {
        const s = random.below(40) - 20 + (random.below(2) ? 0.5 : 0);
        const out = z.add(s, m, 0, limits);
        assert.equal(out, model.has(m) ? (model.get(m) === s ? 0 : ZADD_OUT_UPDATED) : ZADD_OUT_ADDED);
        model.set(m, s);
      } else if (op < 8) {
        const s = random.below(5) - 2;
        z.add(s, m, ZADD_INCR, limits);
        model.set(m, (model.get(m) ?? 0) + s);
      } else {
        assert.equal(z.remove(m), model.delete(m));
      }
      if (step % 500 === 0) z.check();
    }
    z.check();
    assert.equal(z.encoding(), encoding);
    const ref = sorted(model);
    assert.deepEqual(entries(z), ref);
    assert.equal(z.size, ref.length);
    for (let r = 0; r < ref.length; r += 5) {
      const [m, s] = ref[r]!;
      assert.equal(z.rank(m), r);
      assert.equal(z.rank(m, true), ref.length - 1 - r);
      assert.equal(z.memberAt(r), m);
      assert.equal(z.scoreAt(r), s);
      assert.equal(z.score(m), s);
    }
    assert.equal(z.rank("absent"), -1);
    assert.equal(z.score("absent"), undefined);
  }
});

test("listpack converts to skiplist past the limits, keeping contents", () => {
  const z = new ZsetValue();
  const limits = { maxEntries: 4, maxValue: 3 };
  for (const [s, m] of [
    [3, "c"],
    [1, "a"],
    [2, "b"],
    [2, "bb"],
  ] as const)
    z.add(s, m, 0, limits);
  assert.equal(z.encoding(), "listpack");
  z.add(0, "z", 0, limits);
  assert.equal(z.encoding(), "skiplist");
  z.check();
  assert.deepEqual(
    entries(z).map((e) => e[0]),
    ["z", "a", "b", "bb", "c"],
  );
  const w = new ZsetValue();
  w.add(1, "abc", 0, limits);
  assert.equal(w.encoding(), "listpack");
  w.add(1, "abcd", 0, limits);
  assert.equal(w.encoding(), "skiplist");
  // Updates never convert.
  const u = new ZsetValue();
  for (let i = 0; i < 4; i++) u.add(i, `m${i}`, 0, limits);
  u.add(10, "m0", 0, limits);
  assert.equal(u.encoding(), "listpack");
});

test("a listpack stores -0 as 0; a skiplist keeps it", () => {
  const lp = new ZsetValue();
  lp.add(-0, "a", 0, LIMITS);
  assert.ok(Object.is(lp.score("a"), 0));
  const sl = new ZsetValue("skiplist");
  sl.add(-0, "a", 0, LIMITS);
  assert.ok(Object.is(sl.score("a"), -0));
  sl.convertToListpackIfFits(LIMITS);
  assert.equal(sl.encoding(), "listpack");
  assert.ok(Object.is(sl.score("a"), 0));
  const stored = ZsetValue.fromSorted(["a"], [-0], true);
  assert.ok(Object.is(stored.score("a"), 0));
  const kept = ZsetValue.fromSorted(["a"], [-0], false);
  assert.ok(Object.is(kept.score("a"), -0));
});

test("convertToListpackIfFits checks both limits", () => {
  const z = new ZsetValue("skiplist");
  for (let i = 0; i < 5; i++) z.add(i, `m${i}`, 0, LIMITS);
  z.convertToListpackIfFits({ maxEntries: 4, maxValue: 64 });
  assert.equal(z.encoding(), "skiplist");
  z.convertToListpackIfFits({ maxEntries: 5, maxValue: 1 });
  assert.equal(z.encoding(), "skiplist");
  z.convertToListpackIfFits({ maxEntries: 5, maxValue: 2 });
  assert.equal(z.encoding(), "listpack");
  z.check();
  assert.deepEqual(
    entries(z).map((e) => e[0]),
    ["m0", "m1", "m2", "m3", "m4"],
  );
});

test("score range seeks and removals", () => {
  for (const encoding of ["listpack", "skiplist"] as const) {
    const z = new ZsetValue(encoding);
    for (let i = 0; i < 300; i++)
      z.add(Math.floor(i / 3), `m${String(i).padStart(3, "0")}`, 0, { maxEntries: 1e9, maxValue: 64 });
    const r = (min: number, max: number, minex = false, maxex = false) => ({ min, max, minex, maxex });
    assert.equal(z.firstInScoreRange(r(10, 20)), 30);
    assert.equal(z.lastInScoreRange(r(10, 20)), 62);
    assert.equal(z.firstInScoreRange(r(10, 20, true)), 33);
    assert.equal(z.lastInScoreRange(r(10, 20, false, true)), 59);
    assert.equal(z.firstInScoreRange(r(20, 10)), -1);
    assert.equal(z.firstInScoreRange(r(10, 10, true)), -1);
    assert.equal(z.firstInScoreRange(r(10.2, 10.8)), -1);
    assert.equal(z.firstInScoreRange(r(1000, 2000)), -1);
    assert.equal(z.lastInScoreRange(r(-10, -1)), -1);
    assert.equal(z.firstInScoreRange(r(-Infinity, Infinity)), 0);
    assert.equal(z.lastInScoreRange(r(-Infinity, Infinity)), 299);
    assert.equal(z.removeScoreRange(r(10, 20, false, true)), 30);
    assert.equal(z.size, 270);
    assert.equal(z.removeRankRange(0, 9), 10);
    assert.equal(z.memberAt(0), "m010");
    z.check();
  }
});

test("lex range seeks and removals", () => {
  const lex = (min: string, max: string): LexRange => {
    const bound = (s: string) =>
      s === "-"
        ? { inf: -1 as const, value: "", exclusive: true }
        : s === "+"
          ? { inf: 1 as const, value: "", exclusive: true }
          : { inf: 0 as const, value: s.slice(1), exclusive: s[0] === "(" };
    return { min: bound(min), max: bound(max) };
  };
  for (const encoding of ["listpack", "skiplist"] as const) {
    const z = new ZsetValue(encoding);
    for (let i = 0; i < 200; i++)
      z.add(0, `k${String(i).padStart(3, "0")}`, 0, { maxEntries: 1e9, maxValue: 64 });
    assert.equal(z.firstInLexRange(lex("[k010", "[k020")), 10);
    assert.equal(z.lastInLexRange(lex("[k010", "[k020")), 20);
    assert.equal(z.firstInLexRange(lex("(k010", "(k020")), 11);
    assert.equal(z.lastInLexRange(lex("(k010", "(k020")), 19);
    assert.equal(z.firstInLexRange(lex("-", "+")), 0);
    assert.equal(z.lastInLexRange(lex("-", "+")), 199);
    assert.equal(z.firstInLexRange(lex("-", "-")), -1);
    assert.equal(z.firstInLexRange(lex("+", "+")), -1);
    assert.equal(z.firstInLexRange(lex("[z", "+")), -1);
    assert.equal(z.lastInLexRange(lex("-", "[a")), -1);
    assert.equal(z.removeLexRange(lex("[k100", "(k150")), 50);
    assert.equal(z.size, 150);
    z.check();
  }
});

test("ZSCAN of a skiplist visits every member present for the whole scan", () => {
  const random = new Random(5);
  const z = new ZsetValue("skiplist");
  for (let i = 0; i < 1000; i++) z.add(i, `m${i}`, 0, LIMITS);
  const stable = new Set<string>();
  for (let i = 0; i < 1000; i += 2) stable.add(`m${i}`);
  const seen = new Set<string>();
  let cursor = 0;
  let next = 1000;
  do {
    cursor = z.scan(cursor, 10, (m) => seen.add(m));
    // Churn: remove odd members, add new ones.
    for (let k = 0; k < 5; k++) {
      z.remove(`m${2 * random.below(500) + 1}`);
      z.add(next, `m${next}`, 0, LIMITS);
      next++;
    }
  } while (cursor !== 0);
  for (const m of stable) assert.ok(seen.has(m), m);
  z.check();
});

test("ZSCAN of a listpack returns everything at once", () => {
  const z = new ZsetValue();
  z.add(2, "b", 0, LIMITS);
  z.add(1, "a", 0, LIMITS);
  const seen: string[] = [];
  assert.equal(
    z.scan(12345, 1, (m, s) => seen.push(`${m}:${s}`)),
    0,
  );
  assert.deepEqual(seen, ["a:1", "b:2"]);
});

test("clone is deep and keeps the encoding", () => {
  for (const encoding of ["listpack", "skiplist"] as const) {
    const z = new ZsetValue(encoding);
    for (let i = 0; i < 50; i++) z.add(i % 7, `m${i}`, 0, LIMITS);
    const copy = z.clone();
    assert.equal(copy.encoding(), encoding);
    assert.deepEqual(entries(copy), entries(z));
    copy.add(100, "m0", 0, LIMITS);
    copy.remove("m1");
    assert.equal(z.score("m0"), 0);
    assert.equal(z.score("m1"), 1);
    copy.check();
    z.check();
  }
});

test("walk goes both ways from any rank across leaves", () => {
  const z = new ZsetValue("skiplist");
  for (let i = 0; i < 1000; i++) z.add(i, `m${i}`, 0, LIMITS);
  const fwd: number[] = [];
  z.walk(495, false, (_m, s) => (fwd.push(s), fwd.length < 300));
  assert.deepEqual(
    fwd,
    Array.from({ length: 300 }, (_, i) => 495 + i),
  );
  const back: number[] = [];
  z.walk(495, true, (_m, s) => (back.push(s), true));
  assert.deepEqual(
    back,
    Array.from({ length: 496 }, (_, i) => 495 - i),
  );
});
