/**
 * The `streams` part of `npm run bench` (see bench/redis-benchmark.ts for the common method:
 * servers alternate run by run, best of the rounds kept, server CPU from /proc).
 *
 * - XADD: `XADD bench:stream * field <rand>` from an empty database (IDs from each server's
 *   clock), and the same with `MAXLEN ~ 1000` (trimming whole nodes as it goes).
 * - XREADGROUP: `XREADGROUP GROUP g c COUNT 1 STREAMS bench:stream >` on a stream pre-filled with
 *   as many entries as the run has requests (pipelined XADDs with explicit IDs, untimed) and a
 *   group created at 0-0: every request delivers one new entry and adds it to the PEL.
 *
 * Environment: BENCH_STREAM_N (requests per run at -P 1, default 30000; x5 when pipelined),
 * BENCH_STREAM_ROUNDS (2), BENCH_STREAM_TESTS (xadd,xadd_maxlen,xreadgroup), plus BENCH_CLIENTS
 * and BENCH_PIPELINES.
 */
import net from "node:net";
import {
  CLIENTS,
  envList,
  expectReply,
  printThroughput,
  resp,
  runInterleaved,
  startRedis,
  startReddish,
  type BenchCase,
  type Server,
} from "./common.js";

const env = process.env;
const STREAM_N = Number(env.BENCH_STREAM_N ?? 30_000);
const ROUNDS = Math.max(1, Number(env.BENCH_STREAM_ROUNDS ?? 2));
const TESTS = envList("BENCH_STREAM_TESTS", "xadd,xadd_maxlen,xreadgroup");
const PIPELINES = (env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const KEY = "bench:stream";

const flush = (server: Server) => expectReply(server.port, "+OK", "FLUSHALL");

/** Requests of one run: STREAM_N at -P 1, five times that when pipelined. */
function requests(pipeline: number): number {
  return Math.max(1000, pipeline > 1 ? STREAM_N * 5 : STREAM_N);
}

/**
 * Sends `count` XADDs with increasing explicit IDs on one connection (order matters, so not
 * common.ts's loadPipelined, which spreads commands over several), in batches, each sent once
 * the previous one's replies (bulk strings: two lines each) are all in.
 */
function loadStream(port: number, count: number): Promise<void> {
  const payload = "x".repeat(16);
  const batch = 2000;
  let next = 0;
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let lines = 0;
    const send = () => {
      if (next >= count) {
        s.destroy();
        resolve();
        return;
      }
      const to = Math.min(count, next + batch);
      let text = "";
      for (let i = next; i < to; i++) text += resp("XADD", KEY, `${i + 1}-1`, "field", payload);
      lines = 2 * (to - next);
      next = to;
      s.write(text);
    };
    s.on("connect", send);
    s.on("data", (d: Buffer) => {
      if (d[0] === 45 /* '-' */) {
        s.destroy();
        reject(new Error(`error reply while loading: ${d.toString()}`));
        return;
      }
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines--;
      if (lines === 0) send();
    });
    s.on("error", reject);
  });
}

/** FLUSHALL, then a stream of `count` entries (IDs 1-1, 2-1, ...) and group `g` at 0-0. */
async function fillStream(server: Server, count: number): Promise<void> {
  await flush(server);
  await loadStream(server.port, count);
  await expectReply(server.port, `:${count}`, "XLEN", KEY);
  await expectReply(server.port, "+OK", "XGROUP", "CREATE", KEY, "g", "0");
}

/** Part `streams`: XADD and XREADGROUP throughput on both servers. */
export async function streamThroughput(): Promise<void> {
  if (TESTS.length === 0) return;
  const cases: BenchCase[] = TESTS.map((test): BenchCase => {
    switch (test) {
      case "xadd":
        return { label: "XADD", what: ["XADD", KEY, "*", "field", "__rand_int__"], requests, before: flush };
      case "xadd_maxlen":
        return {
          label: "XADD MAXLEN~1000",
          what: ["XADD", KEY, "MAXLEN", "~", "1000", "*", "field", "__rand_int__"],
          requests,
          before: flush,
        };
      case "xreadgroup":
        return {
          label: "XREADGROUP",
          what: ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", KEY, ">"],
          requests,
          before: (server, pipeline) => fillStream(server, requests(pipeline)),
        };
      default:
        throw new Error(`unknown BENCH_STREAM_TESTS entry: ${test}`);
    }
  });
  const redis = await startRedis();
  const reddish = await startReddish(false);
  try {
    const best = await runInterleaved([redis, reddish], cases, PIPELINES, ROUNDS, 100_000);
    printThroughput(
      `Streams: redis-benchmark -c ${CLIENTS}, best of ${ROUNDS} round(s), servers alternating; XADD from an empty ` +
        `database, XREADGROUP (COUNT 1, one new entry per request) from a pre-filled stream of n entries`,
      best,
      cases.map((c) => c.label),
      PIPELINES,
    );
  } finally {
    await redis.stop();
    await reddish.stop();
  }
}
