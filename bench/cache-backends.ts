/**
 * Benchmarks of the cache API's production backends against a real redis-server (and memcached,
 * when installed), started on loopback. `node dist/bench/cache-backends.js` (after `npm run build`).
 *
 * - `clients`: the raw client comparison that chose the Redis client: SET then GET of the same key
 *   (random among 10,000 keys, 32-byte values), with BENCH_INFLIGHT (1,000) operations in flight,
 *   through ioredis with auto-pipelining, ioredis without it, and node-redis (which pipelines
 *   commands issued in one tick on its own).
 *
 * - `api`: the typed cache API with BENCH_INFLIGHT operations in flight, through the production
 *   drivers: IntKeyspace.increment (without expiry, and with a 10 s defaultExpiry as a rate
 *   limiter has it), StructKeyspace.set and StructKeyspace.get (a 3-field object), keys random
 *   among 10,000; on a real redis-server (ioredis driver) and, when installed, on memcached.
 *
 * BENCH_PARTS selects parts (default `clients,api`). Each figure is the best of BENCH_ROUNDS (3) runs of BENCH_OPS (50,000) operations, runs of the
 * different subjects interleaved so that machine noise falls on all of them alike.
 */
import { Redis } from "ioredis";
import { createClient } from "redis";
import {
  CacheCluster,
  IntKeyspace,
  StructKeyspace,
  expireInSeconds,
  type CacheDriver,
} from "../src/cache/index.js";
import { redisDriver } from "../src/cache/backends/redis.js";
import { memcachedDriver } from "../src/cache/backends/memcached.js";
import { installed, startMemcached } from "../test/cache/backends/servers.js";
import { startRedis, killAll } from "./common.js";

const env = process.env;
const INFLIGHT = Number(env.BENCH_INFLIGHT ?? 1000);
const OPS = Number(env.BENCH_OPS ?? 50_000);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const KEYS = 10_000;
const VALUE = "v".repeat(32);

/** Runs `op(i)` OPS times with INFLIGHT in flight; returns operations per second. */
export async function throughput(op: (i: number) => Promise<unknown>, ops = OPS): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < ops) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(INFLIGHT, ops) }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

/** A named subject measured in interleaved rounds. */
export interface Subject {
  name: string;
  op: (i: number) => Promise<unknown>;
}

/** Best ops/s of each subject over ROUNDS interleaved rounds (after a short warm-up each). */
export async function measure(subjects: Subject[]): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (const s of subjects) await throughput(s.op, Math.min(OPS, 5000));
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of subjects) {
      const v = await throughput(s.op);
      best.set(s.name, Math.max(best.get(s.name) ?? 0, v));
    }
  }
  return best;
}

/** Prints one table of ops/s, with the ratio to the first row. */
export function report(title: string, results: Map<string, number>): void {
  console.log(`\n${title} (ops/s, best of ${ROUNDS} x ${OPS}, ${INFLIGHT} in flight)`);
  const first = [...results.values()][0] ?? 1;
  for (const [name, v] of results) {
    console.log(
      `  ${name.padEnd(62)} ${Math.round(v).toLocaleString("en-US").padStart(10)}  ${(v / first).toFixed(2)}x`,
    );
  }
}

const key = (i: number) => `bench:${i % KEYS}`;

async function clients(port: number): Promise<void> {
  const auto = new Redis({ port, host: "127.0.0.1", enableAutoPipelining: true });
  const plain = new Redis({ port, host: "127.0.0.1" });
  const nodeRedis = createClient({ socket: { port, host: "127.0.0.1" } });
  await nodeRedis.connect();
  try {
    const results = await measure([
      {
        name: "ioredis 6, auto-pipelining: SET+GET",
        op: async (i) => {
          await auto.set(key(i), VALUE);
          await auto.get(key(i));
        },
      },
      {
        name: "ioredis 6, no auto-pipelining: SET+GET",
        op: async (i) => {
          await plain.set(key(i), VALUE);
          await plain.get(key(i));
        },
      },
      {
        name: "node-redis 6: SET+GET",
        op: async (i) => {
          await nodeRedis.set(key(i), VALUE);
          await nodeRedis.get(key(i));
        },
      },
    ]);
    report("clients: raw SET then GET on redis-server", results);
  } finally {
    auto.disconnect();
    plain.disconnect();
    await nodeRedis.quit();
  }
}

interface Profile {
  name: string;
  plan: string;
  visits: number;
}

/** The typed API's operations on `driver`, as benchmark subjects named after `backend`. */
function apiSubjects(backend: string, driver: CacheDriver): Subject[] {
  const slug = backend
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const cluster = new CacheCluster(`bench-${slug}`, { backend: driver });
  const counters = new IntKeyspace<{ id: string }>(cluster, { keyPattern: "counter/:id" });
  const limited = new IntKeyspace<{ id: string }>(cluster, {
    keyPattern: "limited/:id",
    defaultExpiry: expireInSeconds(10),
  });
  const profiles = new StructKeyspace<{ id: string }, Profile>(cluster, { keyPattern: "profile/:id" });
  const id = (i: number) => ({ id: String(i % KEYS) });
  const profile: Profile = { name: "Alice", plan: "pro", visits: 42 };
  return [
    { name: `${backend}: IntKeyspace.increment`, op: (i) => counters.increment(id(i), 1) },
    { name: `${backend}: IntKeyspace.increment, defaultExpiry`, op: (i) => limited.increment(id(i), 1) },
    { name: `${backend}: StructKeyspace.set`, op: (i) => profiles.set(id(i), profile) },
    { name: `${backend}: StructKeyspace.get`, op: (i) => profiles.get(id(i)) },
  ];
}

async function api(port: number): Promise<void> {
  const redis = redisDriver(`redis://127.0.0.1:${port}`);
  const memcached = installed("memcached") ? await startMemcached(1) : undefined;
  const mc = memcached ? memcachedDriver(memcached.url) : undefined;
  try {
    const redisResults = await measure(apiSubjects("redis-server (ioredis driver)", redis));
    report("api: typed cache API on a real redis-server", redisResults);
    if (mc)
      report("api: typed cache API on memcached (1 server)", await measure(apiSubjects("memcached", mc)));
  } finally {
    await redis.close();
    await mc?.close();
    await memcached?.stop();
  }
}

async function main(): Promise<void> {
  const parts = (env.BENCH_PARTS ?? "clients,api").split(",");
  const redis = await startRedis();
  try {
    if (parts.includes("clients")) await clients(redis.port);
    if (parts.includes("api")) await api(redis.port);
  } finally {
    await redis.stop();
    killAll();
  }
}

await main();
