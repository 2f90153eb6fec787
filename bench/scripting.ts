/**
 * The `scripting` bench part: EVALSHA of a small rate-limiter script (INCR, PEXPIRE on the first
 * hit, a limit check) through redis-benchmark against reddish and the real redis-server in the
 * same run, at -P 1 and -P 16, random keys (rl:__rand_int__, -r 100000). The script is loaded
 * with SCRIPT LOAD on each server first; both compute the same SHA1.
 *
 * Environment: BENCH_SCRIPT_N (requests per run at -P 1, default 50000; x4 when pipelined),
 * BENCH_ROUNDS, BENCH_CLIENTS and BENCH_PIPELINES as for the other parts.
 */
import {
  command,
  printThroughput,
  runInterleaved,
  startRedis,
  startReddish,
  type BenchCase,
} from "./common.js";

/** The rate limiter: allow ARGV[1] hits per window of ARGV[2] ms per key. */
export const RATE_LIMITER = [
  "local current = redis.call('INCR', KEYS[1])",
  "if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end",
  "if current > tonumber(ARGV[1]) then return 0 end",
  "return 1",
].join("\n");

const env = process.env;

/** Runs the part: loads the script on both servers, then the interleaved EVALSHA runs. */
export async function scriptingThroughput(rounds: number, pipelines: number[]): Promise<void> {
  const n = Number(env.BENCH_SCRIPT_N ?? 50_000);
  const redis = await startRedis();
  const reddish = await startReddish(false);
  try {
    const shas = await Promise.all(
      [redis, reddish].map((s) => command(s.port, "SCRIPT", "LOAD", RATE_LIMITER)),
    );
    const sha = shas[0]!;
    if (shas[1] !== sha || !/^[0-9a-f]{40}$/.test(sha)) {
      throw new Error(`SCRIPT LOAD replies differ: ${JSON.stringify(shas)}`);
    }
    const cases: BenchCase[] = [
      {
        label: "EVALSHA rate limiter",
        what: ["evalsha", sha, "1", "rl:__rand_int__", "100", "60000"],
        requests: (pipeline) => (pipeline > 1 ? n * 4 : n),
        before: async (server) => {
          await command(server.port, "FLUSHALL");
        },
      },
    ];
    const best = await runInterleaved([redis, reddish], cases, pipelines, rounds, 100_000);
    printThroughput(
      `Scripting: EVALSHA of a rate limiter (INCR + PEXPIRE + limit check), best of ${rounds} round(s)`,
      best,
      cases.map((c) => c.label),
      pipelines,
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}
