/**
 * `npm run bench`: reddish against the real redis-server, both standalone processes on loopback,
 * driven by redis-benchmark (Debian's redis-tools) in the same run.
 *
 * 1. Throughput: SET, GET, INCR, MSET (10 keys) with BENCH_CLIENTS clients (50), at -P 1 and
 *    -P 16, random keys (-r 100000). Runs alternate between the servers (and the order flips each
 *    round) so that noise from the machine hits both alike; the best of BENCH_ROUNDS rounds is
 *    kept. Server CPU per request comes from /proc/<pid>/stat (utime + stime, all threads).
 * 2. Memory: BENCH_KEYS keys (1,000,000) with BENCH_VALUE_SIZE-byte values (100) loaded through
 *    pipelined SETs into fresh servers. redis: INFO used_memory (and RSS); reddish: V8 heap used +
 *    external memory after a forced full GC (the server runs with --expose-gc and a small IPC probe,
 *    bench/memory-probe.ts), and RSS. Deltas from the empty server, per key.
 *
 * Environment: BENCH_N (requests per run at -P 1, default 100000; x6 when pipelined; MSET runs do
 * fewer commands, see requestsFor), BENCH_CLIENTS (50), BENCH_ROUNDS (3), BENCH_TESTS (set,get,incr,mset),
 * BENCH_PIPELINES (1,16), BENCH_KEYS (1000000; 0 skips the memory part), BENCH_VALUE_SIZE (100),
 * REDIS_SERVER / REDIS_BENCHMARK (binaries).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const BASE_N = Number(env.BENCH_N ?? 100_000);
const CLIENTS = Number(env.BENCH_CLIENTS ?? 50);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
const TESTS = (env.BENCH_TESTS ?? "set,get,incr,mset").split(",").map((t) => t.trim().toLowerCase());
const PIPELINES = (env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const MEMORY_KEYS = Number(env.BENCH_KEYS ?? 1_000_000);
const VALUE_SIZE = Number(env.BENCH_VALUE_SIZE ?? 100);
const REDIS_SERVER = env.REDIS_SERVER ?? "redis-server";
const REDIS_BENCHMARK = env.REDIS_BENCHMARK ?? "redis-benchmark";
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const PROBE = fileURLToPath(new URL("./memory-probe.js", import.meta.url));

/** A server process under test. */
interface Server {
  name: "redis" | "reddish";
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} did not start listening on port ${port}`);
}

const children = new Set<ChildProcess>();
function killAll(): void {
  for (const c of children) c.kill("SIGKILL");
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

function stopper(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    }
    children.delete(child);
    cleanup?.();
  };
}

async function startRedis(): Promise<Server> {
  const port = await freePort();
  const dir = mkdtempSync(join(os.tmpdir(), "reddish-bench-"));
  const child = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  children.add(child);
  await waitForPort(port, child, "redis-server");
  return {
    name: "redis",
    port,
    child,
    stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
  };
}

/** Starts `reddish-server` (the CLI) as its own process; with `probe`, GC-able and IPC-probed. */
async function startReddish(probe: boolean): Promise<Server> {
  const port = await freePort();
  const nodeArgs = probe ? ["--expose-gc", "--import", PROBE] : [];
  const child = spawn(process.execPath, [...nodeArgs, CLI, "--port", String(port)], {
    stdio: probe ? ["ignore", "ignore", "inherit", "ipc"] : ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  await waitForPort(port, child, "reddish-server");
  return { name: "reddish", port, child, stop: stopper(child) };
}

/** utime + stime of a process (all its threads), in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

interface RunResult {
  rps: number;
  cpuUsPerRequest: number;
}

/** One redis-benchmark run of one test against one server. */
function runBenchmark(server: Server, test: string, pipeline: number, n: number): RunResult {
  const pid = server.child.pid!;
  const cpuBefore = cpuMicros(pid);
  const args = ["-h", "127.0.0.1", "-p", String(server.port), "-c", String(CLIENTS), "-n", String(n)];
  args.push("-P", String(pipeline), "-t", test, "-r", "100000", "--csv");
  const out = spawnSync(REDIS_BENCHMARK, args, { encoding: "utf8" });
  const cpuAfter = cpuMicros(pid);
  if (out.error) throw out.error;
  if (out.status !== 0) throw new Error(`redis-benchmark failed: ${out.stderr}`);
  // "test","rps","avg_latency_ms",...
  const row = out.stdout
    .trim()
    .split("\n")
    .map((l) => l.split('","').map((f) => f.replace(/"/g, "")))
    .find((f) => f[0] !== "test" && f.length > 1);
  if (!row) throw new Error(`unexpected redis-benchmark output: ${out.stdout}`);
  return { rps: Number(row[1]), cpuUsPerRequest: (cpuAfter - cpuBefore) / n };
}

/**
 * Requests per run, aiming at 1-3 s each: BENCH_N at -P 1, six times that when pipelined; MSET
 * (10 keys per command) does half as many commands at -P 1 and a quarter when pipelined.
 */
function requestsFor(test: string, pipeline: number): number {
  const n = pipeline > 1 ? BASE_N * 6 : BASE_N;
  const divisor = test === "mset" ? (pipeline > 1 ? 4 : 2) : 1;
  return Math.max(1000, Math.round(n / divisor));
}

/** A minimal RESP client for one command and its reply (INFO, FLUSHALL). */
function command(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString("latin1");
      const m = /^\$(\d+)\r\n/.exec(buf);
      const done = m ? buf.length >= m[0].length + Number(m[1]) + 2 : buf.endsWith("\r\n");
      if (done) {
        s.destroy();
        resolve(m ? buf.slice(m[0].length, m[0].length + Number(m[1])) : buf.trim());
      }
    });
    s.on("error", reject);
    s.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(""));
  });
}

function infoField(info: string, name: string): number {
  const m = new RegExp(`^${name}:(\\d+)`, "m").exec(info);
  return m ? Number(m[1]) : NaN;
}

/** Loads `count` keys (`key:%012d`, the -r format) with `valueSize`-byte values via pipelined SETs. */
async function loadKeys(port: number, count: number, valueSize: number): Promise<number> {
  const start = performance.now();
  const connections = 4;
  const batch = 2000;
  const value = "x".repeat(valueSize);
  const tail = `\r\n$${valueSize}\r\n${value}\r\n`;
  let next = 0;
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      let expected = 0;
      let received = 0;
      const send = () => {
        if (next >= count) {
          s.destroy();
          resolve();
          return;
        }
        const from = next;
        const to = Math.min(count, from + batch);
        next = to;
        let text = "";
        for (let i = from; i < to; i++)
          text += `*3\r\n$3\r\nSET\r\n$16\r\nkey:${String(i).padStart(12, "0")}${tail}`;
        expected += (to - from) * 5; // "+OK\r\n"
        s.write(text);
      };
      s.on("connect", send);
      s.on("data", (d: Buffer) => {
        received += d.length;
        if (d.includes(45 /* '-' */)) reject(new Error(`error reply while loading: ${d.toString()}`));
        if (received === expected) send();
      });
      s.on("error", reject);
    });
  await Promise.all(Array.from({ length: connections }, worker));
  return performance.now() - start;
}

interface MemorySample {
  /** The figure compared: redis used_memory, reddish heapUsed + external after GC. */
  used: number;
  rss: number;
}

function reddishMemory(server: Server): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: NodeJS.MemoryUsage & { gcForced: boolean }) => {
      server.child.off("message", onMessage);
      if (!m.gcForced) reject(new Error("reddish-server was not started with --expose-gc"));
      else resolve({ used: m.heapUsed + m.external, rss: m.rss });
    };
    server.child.on("message", onMessage);
    server.child.send("memory");
  });
}

async function redisMemory(server: Server): Promise<MemorySample> {
  const info = await command(server.port, "INFO", "memory");
  return { used: infoField(info, "used_memory"), rss: rssBytes(server.child.pid!) };
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string, n: number) => s.padStart(n);

async function throughput(): Promise<void> {
  const redis = await startRedis();
  const reddish = await startReddish(false);
  const best = new Map<string, RunResult>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [redis, reddish] : [reddish, redis];
      for (const pipeline of PIPELINES) {
        for (const test of TESTS) {
          for (const server of order) {
            const r = runBenchmark(server, test, pipeline, requestsFor(test, pipeline));
            const key = `${server.name}|${test}|${pipeline}`;
            const prev = best.get(key);
            if (!prev || r.rps > prev.rps) best.set(key, r);
            process.stderr.write(
              `  round ${round + 1} ${test.toUpperCase()} -P ${pipeline} ${server.name}: ${fmtInt(r.rps)} ops/s\n`,
            );
          }
        }
      }
    }
  } finally {
    await redis.stop();
    await reddish.stop();
  }

  console.log(
    `\nThroughput: redis-benchmark -c ${CLIENTS} -r 100000, best of ${ROUNDS} round(s), servers alternating`,
  );
  console.log(
    `${"test".padEnd(8)}${pad("-P", 4)}${pad("redis ops/s", 14)}${pad("reddish ops/s", 15)}${pad("ratio", 8)}` +
      `${pad("redis CPU µs/req", 18)}${pad("reddish CPU µs/req", 20)}`,
  );
  for (const pipeline of PIPELINES) {
    const ratios: number[] = [];
    for (const test of TESTS) {
      const a = best.get(`redis|${test}|${pipeline}`)!;
      const b = best.get(`reddish|${test}|${pipeline}`)!;
      const ratio = b.rps / a.rps;
      ratios.push(ratio);
      console.log(
        `${test.toUpperCase().padEnd(8)}${pad(String(pipeline), 4)}${pad(fmtInt(a.rps), 14)}${pad(fmtInt(b.rps), 15)}` +
          `${pad(ratio.toFixed(2), 8)}${pad(a.cpuUsPerRequest.toFixed(2), 18)}${pad(b.cpuUsPerRequest.toFixed(2), 20)}`,
      );
    }
    const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(
      `${"".padEnd(8)}${pad(String(pipeline), 4)}  geometric mean ratio reddish/redis: ${geomean.toFixed(2)}`,
    );
  }
}

async function memory(): Promise<void> {
  if (MEMORY_KEYS <= 0) return;
  const rows: string[] = [];
  const results: Record<string, { used: number; rss: number; ms: number }> = {};
  for (const name of ["redis", "reddish"] as const) {
    const server = name === "redis" ? await startRedis() : await startReddish(true);
    try {
      const measure = () => (name === "redis" ? redisMemory(server) : reddishMemory(server));
      const before = await measure();
      const ms = await loadKeys(server.port, MEMORY_KEYS, VALUE_SIZE);
      const dbsize = await command(server.port, "DBSIZE");
      if (dbsize !== `:${MEMORY_KEYS}`) throw new Error(`${name}: DBSIZE is ${dbsize} after loading`);
      const after = await measure();
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
  console.log(`reddish benchmark: ${version.stdout.trim()}`);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? "?"}), ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  await throughput();
  await memory();
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  killAll();
  process.exit(1);
});
