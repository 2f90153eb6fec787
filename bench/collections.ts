/**
 * The collection parts of `npm run bench` (see bench/redis-benchmark.ts for the string parts and
 * the common method: servers alternate run by run, best of the rounds kept, server CPU from /proc).
 *
 * - `collections`: redis-benchmark's own LPUSH, RPOP, SADD, HSET, ZADD and LRANGE_100 tests,
 *   -c BENCH_CLIENTS, -r 100000, at each BENCH_PIPELINES depth. Every run starts from an empty
 *   database (FLUSHALL), except RPOP, which first gets a list of as many elements as it pops
 *   (loaded by pipelined RPUSHes), so that no run depends on which tests were selected.
 * - `bigzset`: one sorted set of BENCH_ELEMENTS members (1,000,000; `member:%012d`, scores a
 *   permutation of 0..N-1), built by pipelined single-member ZADDs over 4 connections (timed),
 *   then throughput of ZRANK, ZSCORE (random members), ZRANGE (10 members by rank from the middle,
 *   WITHSCORES) and ZRANGE BYSCORE LIMIT 0 10 (from a random score) on it, custom redis-benchmark
 *   commands with -r N.
 * - `collection-memory`: one hash of N fields (`field:%012d`, 16-byte values), one set of N members
 *   and one sorted set of N members (the bigzset one when that part ran), each loaded by pipelined
 *   single-element commands into a fresh server: redis used_memory delta vs reddish heap + external
 *   delta after a forced GC, and RSS deltas, per element.
 *
 * Environment: BENCH_COLL_TESTS (lpush,rpop,sadd,hset,zadd,lrange_100), BENCH_COLL_N (requests
 * per run at -P 1, default 30000; x5 when pipelined; LRANGE_100 does half as many at -P 1 and a
 * quarter when pipelined), BENCH_COLL_ROUNDS (2, also for bigzset), BENCH_ELEMENTS (1000000; 0
 * skips bigzset and collection-memory), BENCH_BIGZSET_N (requests per query run at -P 1, default
 * 20000; x5 when pipelined), BENCH_BIGZSET_TESTS (zrank,zscore,zrange,zrangebyscore),
 * BENCH_MEMORY_TYPES (hash,set,zset), plus BENCH_CLIENTS and BENCH_PIPELINES.
 */
import {
  CLIENTS,
  envList,
  expectReply,
  fmtInt,
  loadPipelined,
  measureMemory,
  pad,
  printThroughput,
  rand12,
  resp,
  runInterleaved,
  startRedis,
  startReddish,
  type BenchCase,
  type MemorySample,
  type Server,
} from "./common.js";

const env = process.env;
const COLL_TESTS = envList("BENCH_COLL_TESTS", "lpush,rpop,sadd,hset,zadd,lrange_100");
const COLL_N = Number(env.BENCH_COLL_N ?? 30_000);
const BIGZSET_N = Number(env.BENCH_BIGZSET_N ?? 20_000);
const COLL_ROUNDS = Math.max(1, Number(env.BENCH_COLL_ROUNDS ?? 2));
const PIPELINES = (env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const ELEMENTS = Number(env.BENCH_ELEMENTS ?? 1_000_000);
const BIGZSET_TESTS = envList("BENCH_BIGZSET_TESTS", "zrank,zscore,zrange,zrangebyscore");
const MEMORY_TYPES = envList("BENCH_MEMORY_TYPES", "hash,set,zset");

const flush = (server: Server) => expectReply(server.port, "+OK", "FLUSHALL");

/** Requests of one collections run: COLL_N at -P 1, five times that when pipelined. */
function collRequests(test: string, pipeline: number): number {
  const n = pipeline > 1 ? COLL_N * 5 : COLL_N;
  const divisor = test === "lrange_100" ? (pipeline > 1 ? 4 : 2) : 1;
  return Math.max(1000, Math.round(n / divisor));
}

/** FLUSHALL, then `mylist` (redis-benchmark's list) with `count` 3-byte elements. */
async function fillList(server: Server, count: number): Promise<void> {
  await flush(server);
  const perCommand = 100;
  const full = resp("RPUSH", "mylist", ...Array<string>(perCommand).fill("xxx"));
  const commands = Math.ceil(count / perCommand);
  const last = count - (commands - 1) * perCommand;
  const lastCommand = resp("RPUSH", "mylist", ...Array<string>(last).fill("xxx"));
  await loadPipelined(server.port, commands, (i) => (i === commands - 1 ? lastCommand : full));
  await expectReply(server.port, `:${count}`, "LLEN", "mylist");
}

/** Part `collections`: redis-benchmark's collection tests on both servers. */
export async function collectionThroughput(): Promise<void> {
  if (COLL_TESTS.length === 0) return;
  const cases: BenchCase[] = COLL_TESTS.map((test) => {
    const requests = (pipeline: number) => collRequests(test, pipeline);
    const base = { label: test.toUpperCase(), what: ["-t", test], requests, before: flush };
    // RPOP pops as many elements as the run has requests.
    if (test === "rpop") return { ...base, before: (s, pipeline) => fillList(s, requests(pipeline)) };
    // redis-benchmark first runs as many LPUSHes to fill the list; the server's CPU covers both.
    if (test === "lrange_100") return { ...base, label: "LRANGE_100*", cpuRequests: (p) => 2 * requests(p) };
    return base;
  });
  const redis = await startRedis();
  const reddish = await startReddish(false);
  try {
    const best = await runInterleaved([redis, reddish], cases, PIPELINES, COLL_ROUNDS, 100_000);
    const footnotes = COLL_TESTS.includes("lrange_100")
      ? [
          "* LRANGE_100: ops/s of the LRANGE phase; CPU µs/req spread over it and the LPUSH phase redis-benchmark runs first (2n requests)",
        ]
      : [];
    printThroughput(
      `Collections: redis-benchmark -c ${CLIENTS} -r 100000 -t ${COLL_TESTS.join(",")}, best of ${COLL_ROUNDS} round(s), ` +
        `servers alternating, each run from an empty database (RPOP from a list of n elements)`,
      best,
      cases.map((c) => c.label),
      PIPELINES,
      footnotes,
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}

/** A big collection type: its key, how one element is added, how its size is read. */
interface BigType {
  key: string;
  encode(i: number): string;
  sizeCommand: string;
  what: string;
}

/** Multiplier making i -> i*m mod n a permutation of 0..n-1 (m coprime to n). */
function permutationMultiplier(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let m = 7919;
  while (gcd(m, n) !== 1) m += 2;
  return m;
}

function bigType(type: string, n: number): BigType {
  switch (type) {
    case "hash":
      return {
        key: "bighash",
        encode: (i) =>
          `*4\r\n$4\r\nHSET\r\n$7\r\nbighash\r\n$18\r\nfield:${rand12(i)}\r\n$16\r\nvalue:${String(i).padStart(10, "0")}\r\n`,
        sizeCommand: "HLEN",
        what: "one key, fields field:%012d with 16-byte values (value:%010d)",
      };
    case "set":
      return {
        key: "bigset",
        encode: (i) => `*3\r\n$4\r\nSADD\r\n$6\r\nbigset\r\n$19\r\nmember:${rand12(i)}\r\n`,
        sizeCommand: "SCARD",
        what: "one key, members member:%012d",
      };
    case "zset": {
      const m = permutationMultiplier(n);
      return {
        key: "bigzset",
        encode: (i) => resp("ZADD", "bigzset", String((i * m) % n), `member:${rand12(i)}`),
        sizeCommand: "ZCARD",
        what: "one key, members member:%012d, integer scores (a permutation of 0..N-1)",
      };
    }
    default:
      throw new Error(`unknown BENCH_MEMORY_TYPES entry: ${type}`);
  }
}

/** Memory and load time of one big collection on one server. */
interface BuildResult {
  used: number;
  rss: number;
  ms: number;
}

/** Loads the big collection into an empty server, checking its size; memory deltas after. */
async function buildBig(server: Server, t: BigType, n: number): Promise<BuildResult> {
  const before: MemorySample = await measureMemory(server);
  const ms = await loadPipelined(server.port, n, t.encode);
  await expectReply(server.port, `:${n}`, t.sizeCommand, t.key);
  const after = await measureMemory(server);
  return { used: after.used - before.used, rss: after.rss - before.rss, ms };
}

const memoryResults = new Map<string, { redis: BuildResult; reddish: BuildResult }>();

/** Part `bigzset`: build a big sorted set on both servers, then query throughput on it. */
export async function bigZset(keepMemory: boolean): Promise<void> {
  if (ELEMENTS <= 0) return;
  const n = ELEMENTS;
  const t = bigType("zset", n);
  const redis = await startRedis();
  const reddish = await startReddish(true);
  try {
    const r = await buildBig(redis, t, n);
    const d = await buildBig(reddish, t, n);
    if (keepMemory) memoryResults.set("zset", { redis: r, reddish: d });
    const rate = (b: BuildResult) => (n / b.ms) * 1000;
    console.log(
      `\nSorted set of ${fmtInt(n)} members (member:%012d, scores a permutation of 0..${n - 1}), ` +
        `built by pipelined single-member ZADDs (4 connections, batches of 2000)`,
    );
    console.log(
      `build  redis ${(r.ms / 1000).toFixed(2)} s (${fmtInt(rate(r))} ZADD/s)   reddish ${(d.ms / 1000).toFixed(2)} s ` +
        `(${fmtInt(rate(d))} ZADD/s)   ratio reddish/redis ${(rate(d) / rate(r)).toFixed(2)}`,
    );
    console.log(
      `memory redis used_memory ${(r.used / n).toFixed(1)} B/member, reddish heap+external after GC ` +
        `${(d.used / n).toFixed(1)} B/member, ratio ${(d.used / r.used).toFixed(2)}`,
    );
    const mid = Math.floor(n / 2);
    const queries: Record<string, { label: string; what: string[] }> = {
      zrank: { label: "ZRANK", what: ["zrank", "bigzset", "member:__rand_int__"] },
      zscore: { label: "ZSCORE", what: ["zscore", "bigzset", "member:__rand_int__"] },
      zrange: {
        label: "ZRANGE mid 10 WITHSCORES",
        what: ["zrange", "bigzset", String(mid), String(mid + 9), "withscores"],
      },
      zrangebyscore: {
        label: "ZRANGE BYSCORE LIMIT 10",
        what: ["zrange", "bigzset", "__rand_int__", "+inf", "byscore", "limit", "0", "10"],
      },
    };
    const cases: BenchCase[] = BIGZSET_TESTS.map((test) => {
      const q = queries[test];
      if (!q) throw new Error(`unknown BENCH_BIGZSET_TESTS entry: ${test}`);
      return { ...q, requests: (pipeline: number) => (pipeline > 1 ? BIGZSET_N * 5 : BIGZSET_N) };
    });
    if (cases.length === 0) return;
    const best = await runInterleaved([redis, reddish], cases, PIPELINES, COLL_ROUNDS, n);
    printThroughput(
      `Queries on it: redis-benchmark -c ${CLIENTS} -r ${n} <command>, best of ${COLL_ROUNDS} round(s), servers alternating`,
      best,
      cases.map((c) => c.label),
      PIPELINES,
      [
        `  ZRANK/ZSCORE: <cmd> bigzset member:__rand_int__; ZRANGE mid: zrange bigzset ${mid} ${mid + 9} withscores;` +
          ` BYSCORE: zrange bigzset __rand_int__ +inf byscore limit 0 10`,
      ],
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}

/** Part `collection-memory`: bytes per element of a big hash, set and sorted set. */
export async function collectionMemory(zsetBuilt: boolean): Promise<void> {
  if (ELEMENTS <= 0 || MEMORY_TYPES.length === 0) return;
  const n = ELEMENTS;
  for (const type of MEMORY_TYPES) {
    if (type === "zset" && zsetBuilt && memoryResults.has("zset")) continue;
    const t = bigType(type, n);
    const results: Partial<Record<"redis" | "reddish", BuildResult>> = {};
    for (const name of ["redis", "reddish"] as const) {
      const server = name === "redis" ? await startRedis() : await startReddish(true);
      try {
        results[name] = await buildBig(server, t, n);
      } finally {
        await server.stop();
      }
    }
    memoryResults.set(type, { redis: results.redis!, reddish: results.reddish! });
  }
  console.log(
    `\nMemory: one key holding ${fmtInt(n)} elements, loaded by pipelined single-element HSET/SADD/ZADD; ` +
      `redis used_memory delta vs reddish heap+external delta after GC`,
  );
  console.log(
    `${"type".padEnd(6)}${pad("redis MB", 10)}${pad("B/elem", 8)}${pad("reddish MB", 12)}${pad("B/elem", 8)}${pad("ratio", 7)}` +
      `${pad("redis RSS B/elem", 18)}${pad("reddish RSS B/elem", 20)}${pad("RSS ratio", 11)}` +
      `${pad("load redis/s", 14)}${pad("reddish/s", 11)}`,
  );
  for (const type of MEMORY_TYPES) {
    const m = memoryResults.get(type);
    if (!m) continue;
    const { redis: r, reddish: d } = m;
    console.log(
      `${type.padEnd(6)}${pad(fmtInt(r.used / 1e6), 10)}${pad((r.used / n).toFixed(1), 8)}` +
        `${pad(fmtInt(d.used / 1e6), 12)}${pad((d.used / n).toFixed(1), 8)}${pad((d.used / r.used).toFixed(2), 7)}` +
        `${pad((r.rss / n).toFixed(1), 18)}${pad((d.rss / n).toFixed(1), 20)}${pad((d.rss / r.rss).toFixed(2), 11)}` +
        `${pad(fmtInt((n / r.ms) * 1000), 14)}${pad(fmtInt((n / d.ms) * 1000), 11)}`,
    );
  }
  for (const type of MEMORY_TYPES) {
    const t = bigType(type, n);
    console.log(`  ${type}: ${t.what}`);
  }
}
