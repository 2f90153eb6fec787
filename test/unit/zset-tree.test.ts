/**
 * The sorted-set B+tree (src/types/zset-tree.ts): random operations checked against a plain
 * sorted array, with the structural invariants verified as the tree grows, splits, merges and
 * shrinks; bulk loading; predicate seeks; range removal.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { compareEntries, ZTree } from "../../src/types/zset-tree.js";

interface Entry {
  s: number;
  m: string;
}

function cmp(a: Entry, b: Entry): number {
  return compareEntries(a.s, a.m, b.s, b.m);
}

/** All entries walking the leaf chain forwards. */
function walk(tree: ZTree): Entry[] {
  const out: Entry[] = [];
  for (let leaf: ReturnType<ZTree["select"]>["leaf"] | null = tree.first; leaf; leaf = leaf.next) {
    for (let i = 0; i < leaf.members.length; i++) out.push({ s: leaf.scores[i]!, m: leaf.members[i]! });
  }
  return out;
}

/** All entries walking the leaf chain backwards. */
function walkBack(tree: ZTree): Entry[] {
  const out: Entry[] = [];
  for (let leaf: ReturnType<ZTree["select"]>["leaf"] | null = tree.last; leaf; leaf = leaf.prev) {
    for (let i = leaf.members.length - 1; i >= 0; i--) out.push({ s: leaf.scores[i]!, m: leaf.members[i]! });
  }
  return out;
}

function insertSorted(ref: Entry[], e: Entry): void {
  let lo = 0;
  let hi = ref.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(ref[mid]!, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  ref.splice(lo, 0, e);
}

test("compareEntries orders by score, then by member bytes", () => {
  assert.ok(compareEntries(1, "b", 2, "a") < 0);
  assert.ok(compareEntries(2, "a", 1, "b") > 0);
  assert.ok(compareEntries(1, "a", 1, "b") < 0);
  assert.ok(compareEntries(1, "ab", 1, "a") > 0);
  assert.ok(compareEntries(1, "\xff", 1, "\x00\xff") > 0);
  assert.equal(compareEntries(-0, "a", 0, "a"), 0);
  assert.ok(compareEntries(-Infinity, "z", Infinity, "a") < 0);
});

test("random inserts and removals match a sorted array, invariants hold", () => {
  const random = new Random(7);
  const tree = new ZTree();
  const ref: Entry[] = [];
  const present = new Map<string, number>();
  for (let step = 0; step < 30000; step++) {
    const grow = step < 15000 ? 0.7 : 0.3;
    if (ref.length === 0 || random.next() < grow) {
      const m = `m${random.below(20000)}`;
      if (present.has(m)) continue;
      // Few distinct scores, so ties are broken by member often.
      const s = random.below(50) - 25;
      tree.insert(s, m);
      insertSorted(ref, { s, m });
      present.set(m, s);
    } else {
      const e = ref[random.below(ref.length)]!;
      assert.equal(tree.remove(e.s, e.m), true);
      ref.splice(ref.indexOf(e), 1);
      present.delete(e.m);
    }
    if (step % 2500 === 0) {
      tree.check();
      assert.deepEqual(walk(tree), ref);
    }
  }
  tree.check();
  assert.equal(tree.size, ref.length);
  assert.deepEqual(walk(tree), ref);
  assert.deepEqual(walkBack(tree), ref.slice().reverse());
  for (let i = 0; i < ref.length; i += 7) {
    const e = ref[i]!;
    assert.equal(tree.rankOf(e.s, e.m), i);
    const { leaf, idx } = tree.select(i);
    assert.equal(leaf.members[idx], e.m);
    assert.equal(leaf.scores[idx], e.s);
  }
  assert.equal(tree.rankOf(0, "absent"), -1);
  assert.equal(tree.remove(0, "absent"), false);
  // A present member with the wrong score is not found.
  const e = ref[0]!;
  assert.equal(tree.rankOf(e.s + 1000, e.m), -1);
  assert.equal(tree.remove(e.s + 1000, e.m), false);
});

test("removing everything shrinks the tree back to one empty leaf", () => {
  const tree = new ZTree();
  const n = 5000;
  for (let i = 0; i < n; i++) tree.insert(i % 13, `k${i}`);
  tree.check();
  // Remove in an order that empties leaves on both sides.
  for (let i = 0; i < n; i += 2) assert.equal(tree.remove(i % 13, `k${i}`), true);
  tree.check();
  for (let i = n - 1; i >= 1; i -= 2) assert.equal(tree.remove(i % 13, `k${i}`), true);
  tree.check();
  assert.equal(tree.size, 0);
  assert.deepEqual(walk(tree), []);
  tree.insert(1, "again");
  tree.check();
  assert.deepEqual(walk(tree), [{ s: 1, m: "again" }]);
});

test("ascending and descending insertion orders (append-heavy workloads)", () => {
  for (const dir of [1, -1]) {
    const tree = new ZTree();
    const ref: Entry[] = [];
    for (let i = 0; i < 20000; i++) {
      const s = dir * i;
      tree.insert(s, "x");
      ref.push({ s, m: "x" });
    }
    ref.sort(cmp);
    tree.check();
    assert.deepEqual(walk(tree), ref);
    assert.equal(tree.rankOf(dir * 12345, "x"), dir === 1 ? 12345 : 20000 - 1 - 12345);
  }
});

test("fromSorted bulk-loads a valid tree of any size", () => {
  for (const n of [0, 1, 2, 95, 96, 97, 200, 4609, 50000]) {
    const members: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i < n; i++) {
      members.push(`m${String(i).padStart(6, "0")}`);
      scores.push(Math.floor(i / 3));
    }
    const tree = ZTree.fromSorted(members, scores);
    tree.check();
    assert.equal(tree.size, n);
    const all = walk(tree);
    assert.deepEqual(
      all.map((e) => e.m),
      members,
    );
    // And it keeps working under updates.
    for (let i = 0; i < n; i += 3) tree.remove(scores[i]!, members[i]!);
    for (let i = 0; i < 300; i++) tree.insert(-i, `new${i}`);
    tree.check();
  }
});

test("countBefore seeks monotonic predicates (score and lex bounds)", () => {
  const tree = new ZTree();
  const ref: Entry[] = [];
  for (let i = 0; i < 3000; i++) {
    const e = { s: Math.floor(i / 10), m: `m${String(i % 10)}` };
    tree.insert(e.s, e.m);
    ref.push(e);
  }
  ref.sort(cmp);
  for (const bound of [-1, 0, 0.5, 1, 17, 150, 299, 299.5, 300, 1000]) {
    const gte = (s: number): boolean => s >= bound;
    const gt = (s: number): boolean => s > bound;
    assert.equal(
      tree.countBefore(gte),
      ref.findIndex((e) => gte(e.s)) === -1 ? ref.length : ref.findIndex((e) => gte(e.s)),
    );
    assert.equal(
      tree.countBefore(gt),
      ref.findIndex((e) => gt(e.s)) === -1 ? ref.length : ref.findIndex((e) => gt(e.s)),
    );
  }
  // A lex seek over equal scores.
  const lex = new ZTree();
  for (let i = 0; i < 1000; i++) lex.insert(0, `k${String(i).padStart(4, "0")}`);
  assert.equal(
    lex.countBefore((_s, m) => m >= "k0500"),
    500,
  );
  assert.equal(
    lex.countBefore((_s, m) => m > "k0500"),
    501,
  );
  assert.equal(
    lex.countBefore((_s, m) => m > "z"),
    1000,
  );
});

test("removeAt removes rank ranges across leaves and reports them in order", () => {
  const random = new Random(3);
  for (let round = 0; round < 40; round++) {
    const n = 1 + random.below(3000);
    const tree = new ZTree();
    const ref: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const e = { s: random.below(100), m: `e${i}` };
      tree.insert(e.s, e.m);
      ref.push(e);
    }
    ref.sort(cmp);
    const start = random.below(n);
    const count = 1 + random.below(n - start);
    const removed: Entry[] = [];
    tree.removeAt(start, count, (m, s) => removed.push({ s, m }));
    assert.deepEqual(removed, ref.slice(start, start + count));
    ref.splice(start, count);
    tree.check();
    assert.deepEqual(walk(tree), ref);
  }
});

test("entries that equal a stale separator are still found and removed", () => {
  // Build several leaves, delete the first entries of later leaves (separators go stale), then
  // re-insert entries equal to those separators and look them up.
  const tree = new ZTree();
  for (let i = 0; i < 1000; i++) tree.insert(i, "m");
  const firsts: number[] = [];
  for (let leaf = tree.first.next; leaf; leaf = leaf.next) firsts.push(leaf.scores[0]!);
  for (const s of firsts) assert.equal(tree.remove(s, "m"), true);
  tree.check();
  for (const s of firsts) {
    assert.equal(tree.rankOf(s, "m"), -1);
    tree.insert(s, "m");
    assert.equal(tree.rankOf(s, "m"), s);
  }
  tree.check();
  for (const s of firsts) assert.equal(tree.remove(s, "m"), true);
  tree.check();
  assert.equal(tree.size, 1000 - firsts.length);
});
