/**
 * The `hllgeo` part of `npm run bench` (see bench/redis-benchmark.ts for the common method: servers
 * alternate run by run, best of the rounds kept, server CPU from /proc): redis-benchmark custom
 * commands, -c BENCH_CLIENTS, at each BENCH_PIPELINES depth.
 *
 * - PFADD: `pfadd hll ele:__rand_int__` (-r 100000) from an empty database, so the HLL starts
 *   sparse and turns dense early in the run.
 * - PFCOUNT: `pfcount hll1` (cached cardinality, as Redis serves repeated counts) and
 *   `pfcount hll1 hll2 hll3` (a union estimated on every call), on three dense HLLs of 100,000
 *   elements each, loaded before every run.
 * - GEOADD: `geoadd geo 13.__rand_int__ 38.__rand_int__ m:__rand_int__` from an empty database.
 * - GEOSEARCH: `geosearch geo fromlonlat 13.__rand_int__ 38.__rand_int__ byradius 1 km asc` and
 *   `... byradius 5 km count 10 asc withdist`, on BENCH_GEO_POINTS (100,000) points spread over one
 *   degree square, loaded before every run (about 30 and 800 members within 1 and 5 km).
 *
 * Environment: BENCH_HLLGEO_TESTS (pfadd,pfcount,pfcount3,geoadd,geosearch,geosearchcount),
 * BENCH_HLLGEO_N (requests per run at -P 1, default 30000; x5 when pipelined; a tenth of that for
 * the 3-key PFCOUNT and the 5 km GEOSEARCH, which do much more per command), BENCH_HLLGEO_ROUNDS
 * (2), BENCH_GEO_POINTS, plus BENCH_CLIENTS and BENCH_PIPELINES.
 */
import {
  CLIENTS,
  envList,
  expectReply,
  loadPipelined,
  printThroughput,
  resp,
  runInterleaved,
  startRedis,
  startReddish,
  type BenchCase,
  type Server,
} from "./common.js";

const env = process.env;
const TESTS = envList("BENCH_HLLGEO_TESTS", "pfadd,pfcount,pfcount3,geoadd,geosearch,geosearchcount");
const N = Number(env.BENCH_HLLGEO_N ?? 30_000);
const ROUNDS = Math.max(1, Number(env.BENCH_HLLGEO_ROUNDS ?? 2));
const PIPELINES = (env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const GEO_POINTS = Number(env.BENCH_GEO_POINTS ?? 100_000);

const flush = (server: Server) => expectReply(server.port, "+OK", "FLUSHALL");

/** FLUSHALL, then hll1..hll3 with 100,000 distinct elements each (1000 per PFADD). */
async function fillHlls(server: Server): Promise<void> {
  await flush(server);
  for (let k = 1; k <= 3; k++) {
    await loadPipelined(server.port, 100, (batch) => {
      const elements: string[] = [];
      for (let i = 0; i < 1000; i++) elements.push(`e${k}:${batch * 1000 + i}`);
      return resp("PFADD", `hll${k}`, ...elements);
    });
  }
}

/** FLUSHALL, then `geo` with GEO_POINTS members spread over [13, 14] x [38, 39]. */
async function fillGeo(server: Server): Promise<void> {
  await flush(server);
  const coordinate = (i: number, m: number) => ((i * m) % GEO_POINTS) / GEO_POINTS;
  await loadPipelined(server.port, GEO_POINTS, (i) =>
    resp("GEOADD", "geo", String(13 + coordinate(i, 7919)), String(38 + coordinate(i, 104729)), `m:${i}`),
  );
  await expectReply(server.port, `:${GEO_POINTS}`, "ZCARD", "geo");
}

/** A GEOSEARCH from a random point of the square. */
const geosearch = (...rest: string[]): string[] => [
  "geosearch",
  "geo",
  "fromlonlat",
  "13.__rand_int__",
  "38.__rand_int__",
  ...rest,
];

/** Cases that do much more work per command run a tenth of the requests. */
const HEAVY = new Set(["pfcount3", "geosearchcount"]);

const CASES: Record<string, Omit<BenchCase, "requests">> = {
  pfadd: { label: "PFADD", what: ["pfadd", "hll", "ele:__rand_int__"], before: flush },
  pfcount: { label: "PFCOUNT (cached)", what: ["pfcount", "hll1"], before: fillHlls },
  pfcount3: { label: "PFCOUNT 3 keys", what: ["pfcount", "hll1", "hll2", "hll3"], before: fillHlls },
  geoadd: {
    label: "GEOADD",
    what: ["geoadd", "geo", "13.__rand_int__", "38.__rand_int__", "m:__rand_int__"],
    before: flush,
  },
  geosearch: { label: "GEOSEARCH 1 km", what: geosearch("byradius", "1", "km", "asc"), before: fillGeo },
  geosearchcount: {
    label: "GEOSEARCH 5 km COUNT 10",
    what: geosearch("byradius", "5", "km", "count", "10", "asc", "withdist"),
    before: fillGeo,
  },
};

/** Part `hllgeo`: HyperLogLog and geo commands on both servers. */
export async function hllGeoThroughput(): Promise<void> {
  const cases: BenchCase[] = TESTS.map((test) => {
    const c = CASES[test];
    if (!c) throw new Error(`unknown BENCH_HLLGEO_TESTS entry: ${test}`);
    const n = HEAVY.has(test) ? Math.max(1000, Math.round(N / 10)) : N;
    return { ...c, requests: (pipeline: number) => (pipeline > 1 ? n * 5 : n) };
  });
  if (cases.length === 0) return;
  const redis = await startRedis();
  const reddish = await startReddish(false);
  try {
    const best = await runInterleaved([redis, reddish], cases, PIPELINES, ROUNDS, 100_000);
    printThroughput(
      `HyperLogLog and geo: redis-benchmark -c ${CLIENTS} -r 100000 <command>, best of ${ROUNDS} round(s), servers alternating`,
      best,
      cases.map((c) => c.label),
      PIPELINES,
      [
        "  PFADD hll ele:__rand_int__ from empty; PFCOUNT on dense HLLs of 100,000 elements; GEOADD from empty;",
        `  GEOSEARCH fromlonlat 13.__rand_int__ 38.__rand_int__ on ${GEO_POINTS} points in a 1-degree square`,
      ],
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}
