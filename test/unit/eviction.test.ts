/**
 * maxmemory eviction beyond what parity can pin down (which keys a sampling policy picks is
 * random in Redis): the data set stays under the limit, LRU keeps recently used keys, volatile-ttl
 * evicts the soonest expiries first, LFU keeps frequently used keys, evictions are counted and
 * raised as `evicted` events, and accounting follows SWAPDB and FLUSHALL.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../../src/index.js";
import type { Database } from "../../src/keyspace/database.js";

function evictedKeys(info: unknown): number {
  return Number(/evicted_keys:(\d+)/.exec(String(info))![1]);
}

test("allkeys-lru keeps the data set under maxmemory and keeps recently used keys", async () => {
  const server = await startServer({ listen: false, clock: "manual", seed: 7 });
  try {
    server.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    server.command("CONFIG", "SET", "maxmemory-samples", "10");
    server.command("CONFIG", "SET", "maxmemory", "3mb");
    for (let i = 0; i < 1000; i++) server.command("SET", `hot:${i}`, "x".repeat(100));
    server.fastForward(10_000);
    for (let i = 0; i < 40_000; i++) {
      if (i % 10 === 0) for (let j = 0; j < 1000; j += 50) server.command("GET", `hot:${j}`);
      server.command("SET", `cold:${i}`, "y".repeat(100));
      if (i % 1000 === 0) server.fastForward(1000);
    }
    server.command("PING"); // evictions run before each command
    assert.ok(server.core.evictor.usedMemory() <= 3 * 1024 * 1024);
    const evicted = evictedKeys(server.command("INFO", "stats"));
    assert.ok(evicted > 10_000, `evicted ${evicted}`);
    let hotKept = 0;
    for (let j = 0; j < 1000; j += 50) hotKept += server.command("EXISTS", `hot:${j}`) as number;
    assert.equal(hotKept, 20, "keys read all along survive");
  } finally {
    await server.close();
  }
});

test("volatile-ttl evicts the soonest expiries first and never keys without a TTL", async () => {
  const server = await startServer({ listen: false, clock: "manual", seed: 3 });
  try {
    for (let i = 0; i < 2000; i++) server.command("SET", `p:${i}`, "z".repeat(200));
    for (let i = 0; i < 2000; i++) server.command("SET", `t:${i}`, "z".repeat(200), "EX", String(1000 + i));
    server.command("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
    server.command("CONFIG", "SET", "maxmemory", "100mb"); // accounting starts
    const used = server.core.evictor.usedMemory();
    server.command("CONFIG", "SET", "maxmemory", String(used - 200 * 1024));
    server.command("PING");
    assert.equal(server.command("EXISTS", ...Array.from({ length: 2000 }, (_, i) => `p:${i}`)), 2000);
    assert.equal(server.command("EXISTS", "t:1999"), 1, "the latest expiry survives");
    assert.equal(server.command("EXISTS", "t:0"), 0, "the soonest expiry went first");
    // Once only keys without TTL are left, writes are refused.
    server.command("CONFIG", "SET", "maxmemory", "1");
    assert.throws(() => server.command("SET", "new", "1"), /OOM command not allowed/);
    assert.equal(server.command("DBSIZE"), 2000);
  } finally {
    await server.close();
  }
});

test("allkeys-lfu keeps frequently read keys", async () => {
  const server = await startServer({ listen: false, clock: "manual", seed: 11 });
  try {
    server.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
    for (let i = 0; i < 100; i++) {
      server.command("SET", `freq:${i}`, "v".repeat(100));
      for (let r = 0; r < 50; r++) server.command("GET", `freq:${i}`);
    }
    assert.ok((server.command("OBJECT", "FREQ", "freq:0") as number) > 6);
    server.command("CONFIG", "SET", "maxmemory", "2mb");
    for (let i = 0; i < 30_000; i++) server.command("SET", `once:${i}`, "w".repeat(100));
    let kept = 0;
    for (let i = 0; i < 100; i++) kept += server.command("EXISTS", `freq:${i}`) as number;
    assert.ok(kept >= 95, `kept ${kept} of 100 frequently read keys`);
  } finally {
    await server.close();
  }
});

test("evictions raise `evicted` keyspace events and accounting follows SWAPDB and FLUSHALL", async () => {
  const server = await startServer({ listen: false, seed: 5 });
  try {
    server.command("CONFIG", "SET", "notify-keyspace-events", "Ee"); // notify raises enabled classes only
    const events: string[] = [];
    server.core.keyspace.addListener({
      keyspaceEvent: (_db: Database, _klass: number, event: string, key: string) => {
        if (event === "evicted") events.push(key);
      },
    });
    server.command("CONFIG", "SET", "maxmemory", "100mb");
    const empty = server.core.evictor.usedMemory();
    server.command("SET", "a", "x".repeat(1000));
    const withA = server.core.evictor.usedMemory();
    assert.ok(withA - empty > 1000);
    server.command("SWAPDB", "0", "1");
    assert.equal(server.core.evictor.usedMemory(), withA);
    server.command("FLUSHALL");
    assert.equal(server.core.evictor.usedMemory(), empty);
    server.command("SET", "b", "1");
    server.command("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
    server.command("CONFIG", "SET", "maxmemory", "1");
    server.command("PING");
    assert.deepEqual(events, ["b"]);
    assert.equal(evictedKeys(server.command("INFO", "stats")), 1);
  } finally {
    await server.close();
  }
});
