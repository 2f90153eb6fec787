/**
 * Focused tests of the set commands whose replies are random (SPOP, SRANDMEMBER) and of full SSCAN
 * iterations: shapes, distinctness, membership and side effects, which the differential suite can
 * only compare by shape.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ReplyError, startServer, type ReddishServer } from "../../src/index.js";

let server: ReddishServer;

before(async () => {
  server = await startServer({ listen: false, seed: 1234 });
});
after(async () => {
  await server.close();
});

function cmd(...args: string[]): unknown {
  return server.command(...args);
}

function strings(reply: unknown): string[] {
  assert.ok(Array.isArray(reply), `expected an array, got ${String(reply)}`);
  return reply as string[];
}

function fill(key: string, members: string[]): void {
  cmd("DEL", key);
  cmd("SADD", key, ...members);
}

const letters = "abcdefghijklmnopqrstuvwxyz".split("");
const numbers = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

test("SRANDMEMBER with a positive count returns distinct members", () => {
  for (const [key, members] of [
    ["letters", letters],
    ["numbers", numbers(40)],
    ["many", numbers(1000)],
  ] as const) {
    fill(key, [...members]);
    for (const count of [1, 2, 5, 13, 25, members.length - 1]) {
      const reply = strings(cmd("SRANDMEMBER", key, String(count)));
      assert.equal(reply.length, count);
      assert.equal(new Set(reply).size, count, `${key} ${count}: distinct`);
      for (const m of reply) assert.ok(members.includes(m));
    }
    assert.equal(cmd("SCARD", key), members.length);
  }
});

test("SRANDMEMBER with a negative count repeats members", () => {
  fill("few", ["a", "b"]);
  const reply = strings(cmd("SRANDMEMBER", "few", "-200"));
  assert.equal(reply.length, 200);
  assert.deepEqual([...new Set(reply)].sort(), ["a", "b"]);
  assert.equal(cmd("SCARD", "few"), 2);
});

test("SRANDMEMBER draws roughly uniformly", () => {
  fill("u", ["a", "b", "c", "d"]);
  const counts = new Map<string, number>();
  for (const m of strings(cmd("SRANDMEMBER", "u", "-4000"))) counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const m of ["a", "b", "c", "d"]) {
    const n = counts.get(m) ?? 0;
    assert.ok(n > 800 && n < 1200, `${m}: ${n}`);
  }
});

test("SRANDMEMBER refuses repetition counts too large to reply with", () => {
  fill("r", ["a"]);
  assert.throws(() => cmd("SRANDMEMBER", "r", "-4611686018427387904"), ReplyError);
  assert.deepEqual(cmd("SRANDMEMBER", "missing", "-4611686018427387904"), []);
});

test("SPOP removes what it returns", () => {
  for (const [key, members] of [
    ["letters", letters],
    ["numbers", numbers(50)],
    ["many", numbers(700)],
  ] as const) {
    for (const count of [1, 3, 10, members.length - 2]) {
      fill(key, [...members]);
      const popped = strings(cmd("SPOP", key, String(count)));
      assert.equal(popped.length, count);
      assert.equal(new Set(popped).size, count);
      const rest = strings(cmd("SMEMBERS", key));
      assert.equal(rest.length, members.length - count);
      for (const m of popped) assert.equal(cmd("SISMEMBER", key, m), 0);
      assert.deepEqual([...popped, ...rest].sort(), [...members].sort());
    }
  }
  fill("single", ["a", "b", "c"]);
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) seen.add(cmd("SPOP", "single") as string);
  assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
  assert.equal(cmd("EXISTS", "single"), 0);
  assert.equal(cmd("SPOP", "single"), null);
});

test("SPOP of most of a hashtable of integers leaves an intset", () => {
  fill("h", ["x", ...numbers(100)]);
  cmd("SREM", "h", "x");
  assert.equal(cmd("OBJECT", "ENCODING", "h"), "hashtable");
  cmd("SPOP", "h", "95");
  assert.equal(cmd("SCARD", "h"), 5);
  assert.equal(cmd("OBJECT", "ENCODING", "h"), "intset");
  const rest = strings(cmd("SMEMBERS", "h"));
  assert.deepEqual(
    rest,
    [...rest].sort((a, b) => Number(a) - Number(b)),
  );
});

test("a full SSCAN of a hashtable returns every member once with no writes", () => {
  const members = Array.from({ length: 250 }, (_, i) => `member:${i}`);
  fill("scan", members);
  const seen: string[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const [next, batch] = cmd("SSCAN", "scan", cursor, "COUNT", "7") as [string, string[]];
    seen.push(...batch);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  assert.ok(calls > 10);
  assert.deepEqual(seen.sort(), [...members].sort());
});

test("SSCAN keeps its guarantee across SREM and SPOP between calls", () => {
  const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
  fill("scan2", members);
  const stable = new Set(members.filter((_, i) => i % 3 === 0));
  const unstable = members.filter((_, i) => i % 3 !== 0);
  const seen = new Set<string>();
  let cursor = "0";
  let i = 0;
  do {
    const [next, batch] = cmd("SSCAN", "scan2", cursor, "COUNT", "10") as [string, string[]];
    for (const m of batch) seen.add(m);
    cursor = next;
    cmd("SREM", "scan2", unstable[i++ % unstable.length]!, unstable[(i * 7) % unstable.length]!);
    cmd("SADD", "scan2", `new${i}`);
  } while (cursor !== "0");
  for (const m of stable) assert.ok(seen.has(m), `${m} missed`);
});
