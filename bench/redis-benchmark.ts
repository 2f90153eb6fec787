/**
 * `npm run bench`: reddish against the real redis-server, both standalone processes on loopback,
 * driven by redis-benchmark (Debian's redis-tools) in the same run. Parts (BENCH_PARTS, default
 * all, in this order):
 *
 * - `strings`: SET, GET, INCR, MSET (10 keys) with BENCH_CLIENTS clients (50), at -P 1 and -P 16,
 *   random keys (-r 100000). Runs alternate between the servers (and the order flips each round)
 *   so that noise from the machine hits both alike; the best of BENCH_ROUNDS rounds is kept.
 *   Server CPU per request comes from /proc/<pid>/stat (utime + stime, all threads).
 * - `memory`: BENCH_KEYS keys (1,000,000) with BENCH_VALUE_SIZE-byte values (100) loaded through
 *   pipelined SETs into fresh servers. redis: INFO used_memory (and RSS); reddish: V8 heap used +
 *   external memory after a forced full GC (the server runs with --expose-gc and a small IPC probe,
 *   bench/memory-probe.ts), and RSS. Deltas from the empty server, per key.
 * - `collections`, `bigzset`, `collection-memory`: see bench/collections.ts.
 * - `streams`: XADD and XREADGROUP, see bench/streams.ts.
 * - `hllgeo`: HyperLogLog and geo commands, see bench/hllgeo.ts.
 * - `pubsub`: PUBLISH fan-out to 50 subscribers, messages delivered per second; see bench/pubsub.ts.
 * - `cache`: the typed cache API (reddish/cache) and test isolation; see bench/cache.ts.
 * - `scripting`: EVALSHA of a rate-limiter script, see bench/scripting.ts.
 *
 * Environment: BENCH_PARTS (strings,memory,collections,bigzset,collection-memory,streams,hllgeo,
 * pubsub,cache,scripting), BENCH_N
 * (requests per run at -P 1, default 100000; x6 when pipelined; MSET runs do fewer commands, see
 * requestsFor), BENCH_CLIENTS (50), BENCH_ROUNDS (3), BENCH_TESTS (set,get,incr,mset),
 * BENCH_PIPELINES (1,16), BENCH_KEYS (1000000; 0 skips the memory part), BENCH_VALUE_SIZE (100),
 * REDIS_SERVER / REDIS_BENCHMARK (binaries); the collection parts' variables are listed in
 * bench/collections.ts.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { cacheBench } from "./cache.js";
import { collectionMemory, collectionThroughput, bigZset } from "./collections.js";
import { streamThroughput } from "./streams.js";
import { hllGeoThroughput } from "./hllgeo.js";
import { pubsubFanout } from "./pubsub.js";
import { scriptingThroughput } from "./scripting.js";
import {
  REDIS_BENCHMARK,
  REDIS_SERVER,
  CLIENTS,
  command,
  cpuTicks,
  envList,
  fmtInt,
  killAll,
  loadPipelined,
  measureMemory,
  pad,
  printThroughput,
  rand12,
  runInterleaved,
  startRedis,
  startReddish,
  type BenchCase,
} from "./common.js";

const env = process.env;
const PARTS = envList(
  "BENCH_PARTS",
  "strings,memory,collections,bigzset,collection-memory,streams,hllgeo,pubsub,cache,scripting",
);
const BASE_N = Number(env.BENCH_N ?? 100_000);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
const TESTS = envList("BENCH_TESTS", "set,get,incr,mset");
const PIPELINES = (env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const MEMORY_KEYS = Number(env.BENCH_KEYS ?? 1_000_000);
const VALUE_SIZE = Number(env.BENCH_VALUE_SIZE ?? 100);

/**
 * Requests per run, aiming at 1-3 s each: BENCH_N at -P 1, six times that when pipelined; MSET
 * (10 keys per command) does half as many commands at -P 1 and a quarter when pipelined.
 */
function requestsFor(test: string, pipeline: number): number {
  const n = pipeline > 1 ? BASE_N * 6 : BASE_N;
  const divisor = test === "mset" ? (pipeline > 1 ? 4 : 2) : 1;
  return Math.max(1000, Math.round(n / divisor));
}

async function throughput(): Promise<void> {
  if (TESTS.length === 0) return;
  const redis = await startRedis();
  const reddish = await startReddish(false);
  const cases: BenchCase[] = TESTS.map((test) => ({
    label: test.toUpperCase(),
    what: ["-t", test],
    requests: (pipeline) => requestsFor(test, pipeline),
  }));
  try {
    const best = await runInterleaved([redis, reddish], cases, PIPELINES, ROUNDS, 100_000);
    printThroughput(
      `Throughput: redis-benchmark -c ${CLIENTS} -r 100000, best of ${ROUNDS} round(s), servers alternating`,
      best,
      cases.map((c) => c.label),
      PIPELINES,
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}

async function memory(): Promise<void> {
  if (MEMORY_KEYS <= 0) return;
  const rows: string[] = [];
  const results: Record<string, { used: number; rss: number; ms: number }> = {};
  const tail = `\r\n$${VALUE_SIZE}\r\n${"x".repeat(VALUE_SIZE)}\r\n`;
  // key:%012d, the -r format.
  const encode = (i: number) => `*3\r\n$3\r\nSET\r\n$16\r\nkey:${rand12(i)}${tail}`;
  for (const name of ["redis", "reddish"] as const) {
    const server = name === "redis" ? await startRedis() : await startReddish(true);
    try {
      const before = await measureMemory(server);
      const ms = await loadPipelined(server.port, MEMORY_KEYS, encode);
      const dbsize = await command(server.port, "DBSIZE");
      if (dbsize !== `:${MEMORY_KEYS}`) throw new Error(`${name}: DBSIZE is ${dbsize} after loading`);
      const after = await measureMemory(server);
      results[name] = { used: after.used - before.used, rss: after.rss - before.rss, ms };
    } finally {
      await server.stop();
    }
  }
  const perKey = (bytes: number) => (bytes / MEMORY_KEYS).toFixed(1);
  const r = results.redis!;
  const d = results.reddish!;
  rows.push(
    `redis    used_memory delta            ${pad(fmtInt(r.used / 1e6), 6)} MB  ${pad(perKey(r.used), 7)} bytes/key` +
      `   RSS delta ${pad(fmtInt(r.rss / 1e6), 6)} MB  ${pad(perKey(r.rss), 7)} bytes/key   load ${fmtInt((MEMORY_KEYS / r.ms) * 1000)} SET/s`,
  );
  rows.push(
    `reddish  heap+external after GC delta ${pad(fmtInt(d.used / 1e6), 6)} MB  ${pad(perKey(d.used), 7)} bytes/key` +
      `   RSS delta ${pad(fmtInt(d.rss / 1e6), 6)} MB  ${pad(perKey(d.rss), 7)} bytes/key   load ${fmtInt((MEMORY_KEYS / d.ms) * 1000)} SET/s`,
  );
  rows.push(
    `ratio reddish/redis: ${(d.used / r.used).toFixed(2)} (heap+external vs used_memory), ` +
      `${(d.rss / r.rss).toFixed(2)} (RSS vs RSS)`,
  );
  console.log(
    `\nMemory: ${fmtInt(MEMORY_KEYS)} keys (key:%012d) with ${VALUE_SIZE}-byte values, loaded by pipelined SETs`,
  );
  for (const row of rows) console.log(row);
}

async function main(): Promise<void> {
  const version = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  const bench = spawnSync(REDIS_BENCHMARK, ["--version"], { encoding: "utf8" });
  if (version.error || bench.error) {
    console.error(
      "redis-server and redis-benchmark are needed (Debian/Ubuntu: apt-get install redis-server redis-tools).",
    );
    process.exit(1);
  }
  const started = performance.now();
  const ticksAtStart = cpuTicks();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(`reddish benchmark: ${version.stdout.trim()}`);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? "?"}), load average ${load()}`,
  );
  const timed = async (part: string, run: () => Promise<void>) => {
    if (!PARTS.includes(part)) return;
    const t = performance.now();
    await run();
    process.stderr.write(`  (${part}: ${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  };
  await timed("strings", throughput);
  await timed("memory", memory);
  await timed("collections", collectionThroughput);
  await timed("bigzset", () => bigZset(PARTS.includes("collection-memory")));
  await timed("collection-memory", () => collectionMemory(PARTS.includes("bigzset")));
  await timed("streams", streamThroughput);
  await timed("hllgeo", hllGeoThroughput);
  await timed("pubsub", pubsubFanout);
  await timed("cache", cacheBench);
  await timed("scripting", () => scriptingThroughput(ROUNDS, PIPELINES));
  const ticks = cpuTicks();
  const other = ticks.machineBusy - ticksAtStart.machineBusy - (ticks.ours - ticksAtStart.ours);
  const share = (t: number) => ((100 * t) / (ticks.machineTotal - ticksAtStart.machineTotal)).toFixed(0);
  console.log(
    `\n(total ${((performance.now() - started) / 1000).toFixed(0)} s, load average now ${load()}; ` +
      `CPU busy ${share(ticks.machineBusy - ticksAtStart.machineBusy)}% of the machine, ` +
      `other processes ${share(other)}%)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  killAll();
  process.exit(1);
});
