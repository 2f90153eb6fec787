/**
 * Focused tests of the sorted-set commands whose replies are random (ZRANDMEMBER) or
 * implementation-specific (ZSCAN cursors of skiplists): shapes, distinctness, membership, full
 * iterations; plus large-set behaviour (ranks, ranges and pops on 100k members) that the
 * differential suite keeps small.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";

let server: ReddishServer;

before(async () => {
  server = await startServer({ listen: false, seed: 99 });
});
after(async () => {
  await server.close();
});

function cmd(...args: string[]): unknown {
  return server.command(...args);
}

/** An array reply as strings; RESP3 member/score pairs (the embedded API speaks RESP3) are flattened. */
function strings(reply: unknown): string[] {
  assert.ok(Array.isArray(reply), `expected an array, got ${String(reply)}`);
  return (reply as unknown[]).flat().map(String);
}

function fill(key: string, n: number): Map<string, string> {
  cmd("DEL", key);
  const model = new Map<string, string>();
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = `m${i}`;
    const s = String(i * 0.25);
    model.set(m, s);
    args.push(s, m);
  }
  cmd("ZADD", key, ...args);
  return model;
}

test("ZRANDMEMBER with a positive count returns distinct members", () => {
  for (const n of [5, 100, 1000]) {
    const model = fill("z", n);
    for (const count of [1, 2, 3, Math.floor(n / 2), n - 1]) {
      const reply = strings(cmd("ZRANDMEMBER", "z", String(count)));
      assert.equal(reply.length, count);
      assert.equal(new Set(reply).size, count);
      for (const m of reply) assert.ok(model.has(m));
      const withScores = strings(cmd("ZRANDMEMBER", "z", String(count), "WITHSCORES"));
      assert.equal(withScores.length, 2 * count);
      for (let i = 0; i < withScores.length; i += 2) {
        assert.equal(Number(withScores[i + 1]), Number(model.get(withScores[i]!)));
      }
    }
    assert.equal(cmd("ZCARD", "z"), n);
  }
});

test("ZRANDMEMBER with a negative count repeats members", () => {
  fill("few", 2);
  const reply = strings(cmd("ZRANDMEMBER", "few", "-200"));
  assert.equal(reply.length, 200);
  assert.deepEqual([...new Set(reply)].sort(), ["m0", "m1"]);
  const big = fill("big", 500);
  const many = strings(cmd("ZRANDMEMBER", "big", "-1000", "WITHSCORES"));
  assert.equal(many.length, 2000);
  for (let i = 0; i < many.length; i += 2) assert.equal(Number(many[i + 1]), Number(big.get(many[i]!)));
});

test("ZRANDMEMBER refuses repeat counts too large to build (deliberate difference)", () => {
  fill("z", 3);
  assert.throws(() => cmd("ZRANDMEMBER", "z", "-100000000000"), /value is out of range/);
});

test("ZSCAN walks a skiplist completely, with MATCH", () => {
  const model = fill("big", 1000);
  const seen = new Map<string, string>();
  let cursor = "0";
  let calls = 0;
  do {
    const [next, items] = cmd("ZSCAN", "big", cursor, "COUNT", "37") as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(String(items[i]), String(items[i + 1]));
    cursor = String(next);
    calls++;
  } while (cursor !== "0");
  assert.ok(calls > 20);
  assert.equal(seen.size, model.size);
  for (const [m, s] of model) assert.equal(Number(seen.get(m)), Number(s));
  const matched: string[] = [];
  cursor = "0";
  do {
    const [next, items] = cmd("ZSCAN", "big", cursor, "MATCH", "m99*") as [string, string[]];
    for (let i = 0; i < items.length; i += 2) matched.push(String(items[i]));
    cursor = String(next);
  } while (cursor !== "0");
  assert.deepEqual(matched.sort(), [
    "m99",
    "m990",
    "m991",
    "m992",
    "m993",
    "m994",
    "m995",
    "m996",
    "m997",
    "m998",
    "m999",
  ]);
});

test("large sets: ranks, ranges, counts and pops stay consistent", () => {
  const n = 100000;
  cmd("DEL", "huge");
  for (let from = 0; from < n; from += 1000) {
    const args: string[] = [];
    for (let i = from; i < from + 1000; i++) args.push(String(i % 1000), `k${String(i).padStart(6, "0")}`);
    assert.equal(cmd("ZADD", "huge", ...args), 1000);
  }
  assert.equal(cmd("OBJECT", "ENCODING", "huge"), "skiplist");
  // Score i % 1000, ties by member: rank of k000000 is 0, of k000001 is 100 (after the 100 zeros).
  assert.equal(cmd("ZRANK", "huge", "k000000"), 0);
  assert.equal(cmd("ZRANK", "huge", "k000001"), 100);
  assert.equal(cmd("ZREVRANK", "huge", "k099999"), 0);
  assert.equal(cmd("ZCOUNT", "huge", "10", "(20"), 1000);
  assert.deepEqual(strings(cmd("ZRANGE", "huge", "50000", "50001")), ["k000500", "k001500"]);
  // Score 999 holds k000999, k001999, ..., k099999: the 100th is the last.
  assert.deepEqual(strings(cmd("ZRANGEBYSCORE", "huge", "(998", "+inf", "LIMIT", "99", "2")), ["k099999"]);
  assert.equal(cmd("ZREMRANGEBYSCORE", "huge", "0", "(500"), 50000);
  assert.equal(cmd("ZCARD", "huge"), 50000);
  assert.equal(cmd("ZRANK", "huge", "k000500"), 0);
  const popped = strings(cmd("ZPOPMAX", "huge", "3"));
  assert.deepEqual(popped, ["k099999", "999", "k098999", "999", "k097999", "999"]);
  assert.equal(cmd("ZREMRANGEBYRANK", "huge", "0", "-1"), 49997);
  assert.equal(cmd("EXISTS", "huge"), 0);
});
