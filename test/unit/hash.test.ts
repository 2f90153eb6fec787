/** The hash value class: encodings and conversion, order, random sampling, the HSCAN guarantee. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { HashValue, type HashLimits } from "../../src/types/hash.js";

const DEFAULTS: HashLimits = { maxEntries: 128, maxValue: 64 };

function filled(n: number, limits = DEFAULTS): HashValue {
  const h = new HashValue();
  for (let i = 0; i < n; i++) h.set(`f${i}`, `v${i}`, limits);
  return h;
}

function fieldsOf(h: HashValue): string[] {
  const out: string[] = [];
  h.forEach((f) => out.push(f));
  return out;
}

test("listpack up to hash-max-listpack-entries, then hashtable for good", () => {
  const h = filled(128);
  assert.equal(h.type, "hash");
  assert.equal(h.encoding(), "listpack");
  assert.equal(h.set("f0", "updated", DEFAULTS), false, "updating is not adding");
  assert.equal(h.encoding(), "listpack");
  assert.equal(h.set("f128", "v", DEFAULTS), true);
  assert.equal(h.encoding(), "hashtable");
  assert.equal(h.size, 129);
  for (let i = 0; i < 128; i++) assert.equal(h.delete(`f${i}`), true);
  assert.equal(h.size, 1);
  assert.equal(h.encoding(), "hashtable", "conversion is one-way");
  assert.equal(h.get("f128"), "v");
  assert.equal(h.get("f0"), undefined);
});

test("values and fields longer than hash-max-listpack-value convert", () => {
  const exact = new HashValue();
  exact.set("x".repeat(64), "y".repeat(64), DEFAULTS);
  assert.equal(exact.encoding(), "listpack");
  const longValue = new HashValue();
  longValue.set("a", "y".repeat(65), DEFAULTS);
  assert.equal(longValue.encoding(), "hashtable");
  const longField = new HashValue();
  longField.set("x".repeat(65), "1", DEFAULTS);
  assert.equal(longField.encoding(), "hashtable");
  const byArgs = filled(3);
  byArgs.convertForArgs(["HSET", "k", "a", "b", "c", "z".repeat(65)], 2, DEFAULTS);
  assert.equal(byArgs.encoding(), "hashtable");
  const shortArgs = filled(3);
  shortArgs.convertForArgs(["HSET", "k", "a", "b"], 2, DEFAULTS);
  assert.equal(shortArgs.encoding(), "listpack");
  const none = filled(1, { maxEntries: 0, maxValue: 64 });
  assert.equal(none.encoding(), "hashtable", "maxEntries 0: a hashtable as soon as a field exists");
});

test("listpacks keep insertion order through updates and deletes", () => {
  const h = new HashValue();
  for (const f of ["z", "a", "m", "b"]) h.set(f, f.toUpperCase(), DEFAULTS);
  h.set("a", "again", DEFAULTS);
  h.delete("m");
  h.set("m", "M2", DEFAULTS);
  h.set("c", "C", DEFAULTS);
  assert.deepEqual(fieldsOf(h), ["z", "a", "b", "m", "c"]);
  const seen: string[] = [];
  assert.equal(
    h.scan(12345, 1, (f, v) => seen.push(f, v)),
    0,
  );
  assert.deepEqual(seen, ["z", "Z", "a", "again", "b", "B", "m", "M2", "c", "C"]);
  // After conversion the existing order carries over (new fields append).
  h.convertToHashtable();
  assert.deepEqual(fieldsOf(h), ["z", "a", "b", "m", "c"]);
});

test("hashtable lookups stay consistent through swap-removes", () => {
  const h = filled(1000);
  const random = new Random(7);
  const live = new Map<string, string>();
  for (let i = 0; i < 1000; i++) live.set(`f${i}`, `v${i}`);
  for (let round = 0; round < 5000; round++) {
    const f = `f${random.below(1500)}`;
    if (random.next() < 0.5) {
      assert.equal(h.delete(f), live.delete(f));
    } else {
      assert.equal(h.set(f, `w${round}`, DEFAULTS), !live.has(f));
      live.set(f, `w${round}`);
    }
  }
  assert.equal(h.size, live.size);
  for (const [f, v] of live) assert.equal(h.get(f), v);
  for (let slot = 0; slot < h.size; slot++) assert.equal(h.get(h.fieldAt(slot)), h.valueAt(slot));
});

test("clone is deep and keeps encoding and order", () => {
  for (const n of [5, 200]) {
    const h = filled(n);
    const copy = h.clone();
    assert.equal(copy.encoding(), h.encoding());
    assert.deepEqual(fieldsOf(copy), fieldsOf(h));
    copy.set("new", "x", DEFAULTS);
    copy.delete("f0");
    assert.equal(h.get("f0"), "v0");
    assert.equal(h.has("new"), false);
    assert.equal(copy.get("f1"), "v1");
  }
});

test("random slots are roughly uniform", () => {
  const random = new Random(42);
  for (const n of [10, 300]) {
    const h = filled(n);
    const samples = 200 * n;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < samples; i++) counts[h.randomSlot(random)]!++;
    // Chi-square with n-1 degrees of freedom: far below 2n for a fair picker.
    const expected = samples / n;
    const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    assert.ok(chi < 2 * n, `chi-square ${chi} for ${n} slots`);
  }
});

test("distinct random slots are distinct, in range and roughly uniform", () => {
  const random = new Random(1);
  const h = filled(50);
  const counts = new Array<number>(50).fill(0);
  const rounds = 4000;
  for (let r = 0; r < rounds; r++) {
    const slots = h.randomDistinctSlots(10, random);
    assert.equal(slots.length, 10);
    assert.equal(new Set(slots).size, 10);
    for (const s of slots) {
      assert.ok(s >= 0 && s < 50);
      counts[s]!++;
    }
  }
  const expected = (rounds * 10) / 50;
  const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  assert.ok(chi < 100, `chi-square ${chi}`);
  // Nearly the whole hash: still distinct and in range.
  const most = h.randomDistinctSlots(49, random);
  assert.equal(new Set(most).size, 49);
  assert.ok(most.every((s) => s >= 0 && s < 50));
});

test("hashtable scans visit every field present for the whole scan, despite inserts and deletes", () => {
  const random = new Random(99);
  for (let trial = 0; trial < 20; trial++) {
    const h = filled(500);
    const stable = new Set<string>();
    for (let i = 0; i < 500; i += 3) stable.add(`f${i}`); // never deleted during the scan
    const seen = new Set<string>();
    let cursor = 0;
    let next = 1000;
    let steps = 0;
    do {
      cursor = h.scan(cursor, 1 + random.below(20), (f) => seen.add(f));
      // Churn between steps: delete non-stable fields, add new ones.
      for (let k = 0; k < 10; k++) {
        const victim = `f${random.below(500)}`;
        if (!stable.has(victim)) h.delete(victim);
        h.set(`n${next++}`, "x", DEFAULTS);
      }
      steps++;
    } while (cursor !== 0 && steps < 10000);
    assert.equal(cursor, 0, "the scan terminates");
    for (const f of stable) assert.ok(seen.has(f), `missed ${f} in trial ${trial}`);
  }
});

test("scan returns only existing slots and ends with cursor 0", () => {
  const h = filled(300);
  const seen: string[] = [];
  let cursor = 0;
  do cursor = h.scan(cursor, 7, (f) => seen.push(f));
  while (cursor !== 0);
  assert.equal(seen.length, 300);
  assert.equal(new Set(seen).size, 300);
  // A cursor past the end is clamped.
  const tail: string[] = [];
  assert.equal(
    h.scan(10_000, 5, (f) => tail.push(f)),
    295,
  );
  assert.equal(tail.length, 5);
});
