/**
 * The per-field expiry heap (Redis 7.4's hash field TTLs) against a plain Map model, and the hash
 * value class's expiry API: earliest-first reclaiming, listpackex order, clone independence.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/keyspace/random.js";
import { FieldExpiry } from "../../src/types/field-expiry.js";
import { HashValue, type HashLimits } from "../../src/types/hash.js";

const LIMITS: HashLimits = { maxEntries: 128, maxValue: 64 };

test("FieldExpiry matches a Map model under random sets, updates and deletes", () => {
  const random = new Random(7);
  const heap = new FieldExpiry();
  const model = new Map<string, number>();
  for (let step = 0; step < 20_000; step++) {
    const field = `f${random.below(300)}`;
    const op = random.below(10);
    if (op < 6) {
      const when = random.below(1_000_000);
      heap.set(field, when);
      model.set(field, when);
    } else if (op < 9) {
      assert.equal(heap.delete(field), model.delete(field));
    } else if (model.size > 0) {
      // Pop the minimum, as the expiry cycle does.
      const min = Math.min(...model.values());
      assert.equal(heap.minWhen(), min);
      assert.equal(model.get(heap.minField()), min);
      model.delete(heap.minField());
      heap.delete(heap.minField());
    }
    assert.equal(heap.size, model.size);
    assert.equal(heap.get(field), model.get(field));
    if (step % 500 === 0) {
      assert.equal(heap.minWhen(), model.size ? Math.min(...model.values()) : Infinity);
      for (const [f, w] of model) assert.equal(heap.get(f), w);
    }
  }
});

test("HashValue: expiring fields earliest first, listpackex order, clones are independent", () => {
  const h = new HashValue();
  for (const f of ["a", "b", "c", "d"]) h.set(f, f.toUpperCase(), LIMITS);
  assert.equal(h.tracksFieldExpiry, false);
  assert.equal(h.hasExpiredFields(Number.MAX_SAFE_INTEGER), false);
  h.setFieldExpire("c", 300);
  h.setFieldExpire("a", 100);
  h.setFieldExpire("nope", 1);
  assert.equal(h.encoding(), "listpackex");
  const order = (v: HashValue) => {
    const out: string[] = [];
    v.forEach((f, val) => out.push(`${f}=${val}`));
    return out;
  };
  assert.deepEqual(order(h), ["a=A", "c=C", "b=B", "d=D"]);
  const copy = h.clone();
  assert.equal(h.isFieldExpired("a", 100), false, "expired once now > when");
  assert.equal(h.isFieldExpired("a", 101), true);
  const expired: string[] = [];
  assert.equal(
    h.expireFields(301, Infinity, (f) => expired.push(f)),
    2,
  );
  assert.deepEqual(expired, ["a", "c"]);
  assert.deepEqual(order(h), ["b=B", "d=D"]);
  assert.equal(h.volatileFieldCount, 0);
  assert.deepEqual(order(copy), ["a=A", "c=C", "b=B", "d=D"]);
  assert.equal(copy.fieldExpireAt("c"), 300);
  // keepTtl (HINCRBY) leaves the TTL and the place; a plain set (HSET) clears both.
  copy.set("c", "C2", LIMITS, true);
  assert.deepEqual(order(copy), ["a=A", "c=C2", "b=B", "d=D"]);
  copy.set("a", "A2", LIMITS);
  assert.deepEqual(order(copy), ["c=C2", "b=B", "d=D", "a=A2"]);
  assert.equal(copy.fieldExpireAt("a"), undefined);
  assert.equal(copy.expireFields(1_000, 0), 0, "max 0 reclaims nothing");
  // After conversion to a hashtable the TTLs still apply.
  copy.convertToHashtable();
  assert.equal(copy.encoding(), "hashtable");
  assert.equal(copy.expireFields(1_000), 1);
  assert.equal(copy.has("c"), false);
  assert.equal(copy.size, 3);
});
