/**
 * Stream internals and clock-driven behaviour: the ordered PEL map and the entry store against
 * naive models under random operations, large streams (seeks stay correct across many nodes),
 * IDs generated from a manual clock (same ms → seq + 1, clock going backwards → last ms), and
 * idle times driven by the clock. The differential suite covers replies byte for byte.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { formatId, makeId, MAX_ID, MIN_ID, parseStreamId } from "../../src/types/stream-id.js";
import { IdMap, StreamValue } from "../../src/types/stream.js";

let server: ReddishServer;

before(async () => {
  server = await startServer({ listen: false, clock: "manual", startTime: 1_700_000_000_000 });
});
after(async () => {
  await server.close();
});

function cmd(...args: string[]): unknown {
  return server.command(...args);
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("IdMap matches a sorted model under random inserts, deletes and seeks", () => {
  const rand = rng(7);
  const map = new IdMap<number>();
  const model = new Map<bigint, number>();
  for (let step = 0; step < 6000; step++) {
    const key = BigInt(Math.floor(rand() * 3000));
    const op = rand();
    if (op < 0.5) {
      assert.equal(map.set(key, step), !model.has(key));
      model.set(key, step);
    } else if (op < 0.8) {
      assert.equal(map.delete(key), model.delete(key));
    } else {
      const sorted = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const expected = sorted.find((k) => k >= key);
      const got = map.ceiling(key);
      assert.equal(got?.[0], expected);
      if (expected !== undefined) assert.equal(got![1], model.get(expected));
      assert.equal(map.firstKey(), sorted[0]);
      assert.equal(map.lastKey(), sorted[sorted.length - 1]);
    }
    assert.equal(map.size, model.size);
  }
  const sorted = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(
    [...map.entries()].map(([k]) => k),
    sorted,
  );
  assert.deepEqual(
    [...map.entries(1500n)].map(([k]) => k),
    sorted.filter((k) => k >= 1500n),
  );
});

test("StreamValue ranges, deletes and trims match a model across many nodes", () => {
  const rand = rng(11);
  const s = new StreamValue();
  const limits = { maxBytes: 4096, maxEntries: 7 };
  let model: bigint[] = [];
  let next = 1n;
  for (let step = 0; step < 5000; step++) {
    const op = rand();
    if (op < 0.6) {
      next += BigInt(1 + Math.floor(rand() * 3));
      s.append(next, ["f", String(step)], 1 + String(step).length, limits);
      model.push(next);
    } else if (op < 0.85) {
      const id = BigInt(Math.floor(rand() * Number(next + 2n)));
      const had = model.includes(id);
      assert.equal(s.delete(id), had);
      if (had) model = model.filter((x) => x !== id);
    } else if (op < 0.9) {
      const maxlen = Math.floor(rand() * model.length * 1.2);
      const removed = s.trim({ maxlen }, false, 0);
      assert.equal(removed, Math.max(0, model.length - maxlen));
      model = model.slice(removed);
    } else {
      const a = BigInt(Math.floor(rand() * Number(next + 2n)));
      const b = a + BigInt(Math.floor(rand() * 40));
      const fwd = [...s.range(a, b)].map((e) => e.id);
      assert.deepEqual(
        fwd,
        model.filter((x) => x >= a && x <= b),
      );
      assert.deepEqual(
        [...s.range(a, b, true)].map((e) => e.id),
        fwd.reverse(),
      );
    }
    assert.equal(s.length, model.length);
  }
  assert.deepEqual(
    [...s.range(MIN_ID, MAX_ID)].map((e) => e.id),
    model,
  );
  for (const node of s.nodes) assert.ok(node.live > 0);
});

test("ID parsing: halves, bounds and formatting", () => {
  assert.equal(
    formatId(makeId(18446744073709551615n, 18446744073709551615n)),
    "18446744073709551615-18446744073709551615",
  );
  assert.equal(parseStreamId("5", 7n, false)?.id, makeId(5n, 7n));
  assert.equal(parseStreamId("5-*", 0n, true, true)?.seqGiven, false);
  assert.equal(parseStreamId("5-*", 0n, true, false), undefined);
  assert.equal(parseStreamId("-", 0n, true), undefined);
  assert.equal(parseStreamId("+", 0n, false)?.id, MAX_ID);
  assert.equal(parseStreamId("-1", 0n, false), undefined);
  assert.equal(parseStreamId("1-18446744073709551616", 0n, false), undefined);
});

test("automatic IDs follow the server clock, never going back", () => {
  cmd("DEL", "s");
  const t0 = server.clock.now();
  assert.equal(cmd("XADD", "s", "*", "a", "1"), `${t0}-0`);
  assert.equal(cmd("XADD", "s", "*", "a", "2"), `${t0}-1`);
  server.fastForward(5);
  assert.equal(cmd("XADD", "s", "*", "a", "3"), `${t0 + 5}-0`);
  server.setTime(t0 - 1000);
  assert.equal(cmd("XADD", "s", "*", "a", "4"), `${t0 + 5}-1`);
  assert.equal(cmd("XADD", "s", `${t0 + 5}-*`, "a", "5"), `${t0 + 5}-2`);
  server.setTime(t0 + 10);
  assert.equal(cmd("XADD", "s", "*", "a", "6"), `${t0 + 10}-0`);
});

test("idle times and delivery times follow the server clock", () => {
  cmd("DEL", "s");
  const t0 = server.clock.now();
  cmd("XADD", "s", "1-1", "a", "1");
  cmd("XGROUP", "CREATE", "s", "g", "0");
  cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
  server.fastForward(1500);
  const [entry] = cmd("XPENDING", "s", "g", "-", "+", "10") as unknown[][];
  assert.deepEqual(entry, ["1-1", "c", 1500, 1]);
  assert.deepEqual(cmd("XPENDING", "s", "g", "IDLE", "1501", "-", "+", "10"), []);
  const claimed = cmd("XAUTOCLAIM", "s", "g", "d", "1000", "0", "JUSTID") as unknown[];
  assert.deepEqual(claimed[1], ["1-1"]);
  server.fastForward(20);
  const [again] = cmd("XPENDING", "s", "g", "-", "+", "10") as unknown[][];
  assert.deepEqual(again, ["1-1", "d", 20, 1]);
  assert.ok(t0 > 0);
});

test("a blocked XREAD of an in-process caller answers at once", () => {
  cmd("DEL", "s");
  assert.equal(cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$"), null);
});

test("large streams: seeks and trims stay exact", () => {
  cmd("DEL", "big");
  for (let i = 1; i <= 20000; i++) cmd("XADD", "big", `${i}-0`, "f", String(i));
  assert.equal(cmd("XLEN", "big"), 20000);
  assert.deepEqual(
    (cmd("XRANGE", "big", "12345", "12347") as unknown[][]).map((e) => e[0]),
    ["12345-0", "12346-0", "12347-0"],
  );
  assert.equal(cmd("XTRIM", "big", "MAXLEN", "~", "10050"), 9900);
  assert.equal(cmd("XTRIM", "big", "MINID", "15000"), 5099);
  assert.equal(cmd("XLEN", "big"), 5001);
});
