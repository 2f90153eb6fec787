/**
 * The `cache` part of `npm run bench` (also `node dist/bench/cache.js` alone): throughput of the
 * typed cache API, `IntKeyspace.increment` and `StructKeyspace.set` / `get`, with BENCH_CACHE_INFLIGHT
 * (1000) operations in flight, on
 * - the embedded server in process (no sockets),
 * - the embedded server over TCP in the same process (startServer + ioredis),
 * - reddish-server as its own process over TCP (ioredis),
 * - a real redis-server over TCP (the same ioredis client),
 * beside ioredis-mock running the same raw commands (INCRBY, SET of the struct serialized to JSON,
 * GET and JSON.parse). Best of
 * BENCH_ROUNDS (3) runs of BENCH_CACHE_N operations (100000) each, after a warm-up run; contenders that
 * are compared take turns, so the load of a busy machine hits them alike. Also the cost of isolating one
 * test with reddish/testing (a fresh embedded server per test), averaged over 2000 isolations.
 */
import RedisMock from "ioredis-mock";
import {
  CacheCluster,
  IntKeyspace,
  InProcessDriver,
  StructKeyspace,
  configureCache,
  createEmbeddedCore,
} from "../src/cache/index.js";
import type { CacheDriver } from "../src/cache/driver.js";
import { startServer } from "../src/index.js";
import { CacheIsolation } from "../src/testing/index.js";
import { IoredisTestDriver } from "../test/cache/ioredis-driver.js";
import { fmtInt, killAll, startRedis, startReddish } from "./common.js";

const env = process.env;
const N = Number(env.BENCH_CACHE_N ?? 100_000);
const INFLIGHT = Number(env.BENCH_CACHE_INFLIGHT ?? 1000);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
const KEYS = 1000;

/** Runs `op(i)` N times with INFLIGHT calls outstanding; returns operations per second. */
async function drive(op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < N) await op(next++);
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return (N / (performance.now() - start)) * 1000;
}

interface Contender {
  name: string;
  incr(i: number): Promise<unknown>;
  set(i: number): Promise<unknown>;
  get(i: number): Promise<unknown>;
  close(): Promise<void>;
}

interface Row {
  name: string;
  incr: number;
  set: number;
  get: number;
}

const profile = {
  name: "Alice",
  email: "alice@example.com",
  preferences: { theme: "dark", notifications: true },
};
type Profile = typeof profile;

let clusterSeq = 0;

function typedApi(name: string, driver: CacheDriver, close: () => Promise<void> = async () => {}): Contender {
  const clusterName = `bench-${++clusterSeq}`;
  configureCache({ clusters: { [clusterName]: driver } });
  const cluster = new CacheCluster(clusterName);
  const counters = new IntKeyspace<{ id: number }>(cluster, { keyPattern: "counter/:id" });
  const profiles = new StructKeyspace<{ userId: number }, Profile>(cluster, {
    keyPattern: "profile/:userId",
  });
  return {
    name,
    incr: (i) => counters.increment({ id: i % KEYS }, 1),
    set: (i) => profiles.set({ userId: i % KEYS }, profile),
    get: (i) => profiles.get({ userId: i % KEYS }),
    close: async () => {
      await driver.close();
      await close();
    },
  };
}

/**
 * ioredis-mock doing what the typed API does: INCRBY; SET of the struct's JSON (serialized per
 * call, as the typed set does); GET and JSON.parse.
 */
function mock(): Contender {
  const redis = new RedisMock();
  return {
    name: "ioredis-mock (raw commands)",
    incr: (i) => redis.incrby(`counter/${i % KEYS}`, 1),
    set: (i) => redis.set(`profile/${i % KEYS}`, JSON.stringify(profile)),
    get: async (i) => JSON.parse((await redis.get(`profile/${i % KEYS}`)) ?? "null") as unknown,
    close: async () => void redis.disconnect(),
  };
}

/**
 * Measures contenders that are compared with each other: for each workload, one warm-up run
 * each, then ROUNDS rounds in which they take turns (the order flips each round), so that the
 * load of a busy machine hits them alike; the best run of each is kept.
 */
async function compare(contenders: Contender[]): Promise<Row[]> {
  const rows = contenders.map((c) => ({ name: c.name, incr: 0, set: 0, get: 0 }));
  for (const w of ["incr", "set", "get"] as const) {
    for (const c of contenders) await drive((i) => c[w](i));
    for (let r = 0; r < ROUNDS; r++) {
      const order = contenders.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) rows[i]![w] = Math.max(rows[i]![w], await drive((n) => contenders[i]![w](n)));
    }
  }
  for (const c of contenders) await c.close();
  return rows;
}

function isolationCost(): number {
  const cluster = { name: "bench-isolation", evictionPolicy: "allkeys-lru" };
  new CacheIsolation().driverFor(cluster); // builds the shared command table once
  const n = 2000;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const iso = new CacheIsolation();
    (iso.driverFor(cluster) as InProcessDriver).run(["INCR", "k"]);
  }
  return (performance.now() - start) / n;
}

/** Prints the cache API benchmark. */
export async function cacheBench(): Promise<void> {
  console.log(
    `\nTyped cache API: ops/s with ${INFLIGHT} operations in flight, best of ${ROUNDS} alternating run(s) of ${fmtInt(N)}, ${KEYS} keys`,
  );
  const core = createEmbeddedCore();
  const rows = await compare([
    mock(),
    typedApi("embedded, in process", new InProcessDriver(core, 0, () => core.stopCron())),
  ]);
  const server = await startServer();
  const reddish = await startReddish(false);
  const redis = await startRedis();
  rows.push(
    ...(await compare([
      typedApi("embedded, TCP, same process (ioredis)", IoredisTestDriver.connect(server.port), () =>
        server.close(),
      ),
      typedApi("reddish-server process, TCP (ioredis)", IoredisTestDriver.connect(reddish.port), () =>
        reddish.stop(),
      ),
      typedApi("redis-server, TCP (ioredis)", IoredisTestDriver.connect(redis.port), () => redis.stop()),
    ])),
  );
  const w = Math.max(...rows.map((r) => r.name.length));
  const num = (n: number) => fmtInt(Math.round(n)).padStart(12);
  console.log(
    `${"".padEnd(w)} ${"increment".padStart(12)} ${"struct set".padStart(12)} ${"struct get".padStart(12)}`,
  );
  for (const r of rows) console.log(`${r.name.padEnd(w)} ${num(r.incr)} ${num(r.set)} ${num(r.get)}`);
  const [mockRow, inproc, tcp, proc, real] = rows as [Row, Row, Row, Row, Row];
  const ratio = (a: Row, b: Row) =>
    `${(a.incr / b.incr).toFixed(2)}× / ${(a.set / b.set).toFixed(2)}× / ${(a.get / b.get).toFixed(2)}×`;
  console.log(`in process vs ioredis-mock (target ≥ 1):             ${ratio(inproc, mockRow)}`);
  console.log(`embedded TCP (same process) vs redis-server (≥ 0.8):  ${ratio(tcp, real)}`);
  console.log(`reddish-server process vs redis-server:               ${ratio(proc, real)}`);
  console.log(
    `isolating one test (reddish/testing, fresh server + first command): ${isolationCost().toFixed(3)} ms`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cacheBench().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      killAll();
      process.exit(1);
    },
  );
}
