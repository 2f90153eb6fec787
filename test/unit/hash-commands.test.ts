/**
 * HRANDFIELD's randomness, which parity tests can only compare by shape: membership, distinctness,
 * field/value pairing and the RESP3 reply shapes, through the in-process API (RESP3 values).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../../src/index.js";

function isPairs(reply: unknown): reply is [string, string][] {
  return Array.isArray(reply) && reply.every((p) => Array.isArray(p) && p.length === 2);
}

test("HRANDFIELD picks members, distinct for positive counts, paired WITHVALUES", async () => {
  const server = await startServer({ listen: false, seed: 5 });
  for (const size of [5, 300]) {
    const key = `h${size}`;
    const args: string[] = [];
    for (let i = 0; i < size; i++) args.push(`f${i}`, `v${i}`);
    server.command("HSET", key, ...args);
    const isField = (f: unknown): boolean =>
      typeof f === "string" && /^f\d+$/.test(f) && Number(f.slice(1)) < size;

    const one = server.command("HRANDFIELD", key);
    assert.ok(isField(one));

    for (const count of [1, 2, Math.floor(size / 2), size - 1]) {
      const picks = server.command("HRANDFIELD", key, count) as string[];
      assert.equal(picks.length, count);
      assert.ok(picks.every(isField));
      assert.equal(new Set(picks).size, count, "positive counts are distinct");

      const pairs = server.command("HRANDFIELD", key, count, "WITHVALUES");
      assert.ok(isPairs(pairs), "RESP3 WITHVALUES is an array of pairs");
      assert.equal(pairs.length, count);
      assert.equal(new Set(pairs.map(([f]) => f)).size, count);
      for (const [f, v] of pairs) assert.equal(v, `v${f.slice(1)}`);
    }

    const repeated = server.command("HRANDFIELD", key, -3 * size) as string[];
    assert.equal(repeated.length, 3 * size);
    assert.ok(repeated.every(isField));
    assert.ok(new Set(repeated).size < repeated.length, "negative counts repeat");
    const repeatedPairs = server.command("HRANDFIELD", key, -20, "WITHVALUES");
    assert.ok(isPairs(repeatedPairs));
    assert.equal(repeatedPairs.length, 20);
    for (const [f, v] of repeatedPairs) assert.equal(v, `v${f.slice(1)}`);

    const all = server.command("HRANDFIELD", key, size + 10) as string[];
    assert.deepEqual([...all].sort(), Array.from({ length: size }, (_, i) => `f${i}`).sort());
  }
  await server.close();
});

test("HRANDFIELD without a count covers every field", async () => {
  const server = await startServer({ listen: false, seed: 11 });
  server.command("HSET", "h", "a", "1", "b", "2", "c", "3");
  const seen = new Set<unknown>();
  for (let i = 0; i < 200; i++) seen.add(server.command("HRANDFIELD", "h"));
  assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
  await server.close();
});

test("a full HSCAN of a large hash returns every field exactly as HGETALL", async () => {
  const server = await startServer({ listen: false });
  const args: string[] = [];
  for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
  server.command("HSET", "big", ...args);
  const got = new Map<string, string>();
  let cursor = "0";
  do {
    const [next, items] = server.command("HSCAN", "big", cursor, "COUNT", 50) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) got.set(items[i]!, items[i + 1]!);
    cursor = next;
  } while (cursor !== "0");
  assert.equal(got.size, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(got.get(`f${i}`), `v${i}`);
  await server.close();
});
