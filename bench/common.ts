/**
 * Shared machinery of `npm run bench`: starting redis-server and reddish-server as standalone
 * processes on loopback, running redis-benchmark against them with per-process CPU accounting,
 * a minimal RESP client, a fast pipelined loader over raw sockets, and the memory probes.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
/** The redis-server binary (REDIS_SERVER). */
export const REDIS_SERVER = env.REDIS_SERVER ?? "redis-server";
/** The redis-benchmark binary (REDIS_BENCHMARK). */
export const REDIS_BENCHMARK = env.REDIS_BENCHMARK ?? "redis-benchmark";
/** Parallel connections of every redis-benchmark run (BENCH_CLIENTS). */
export const CLIENTS = Number(env.BENCH_CLIENTS ?? 50);
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const PROBE = fileURLToPath(new URL("./memory-probe.js", import.meta.url));

/** Reads a comma-separated, lower-cased list from the environment; "" or "none" is the empty list. */
export function envList(name: string, fallback: string): string[] {
  const raw = (env[name] ?? fallback).trim().toLowerCase();
  if (raw === "" || raw === "none") return [];
  return raw
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** A server process under test. */
export interface Server {
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
/** Kills every server this process started (on exit, signal or failure). */
export function killAll(): void {
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

/** Starts a persistence-free redis-server on a free loopback port. */
export async function startRedis(): Promise<Server> {
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
export async function startReddish(probe: boolean): Promise<Server> {
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

/**
 * CPU ticks: busy ticks of the whole machine (/proc/stat) and those of this process with its
 * reaped children (servers, redis-benchmark runs), to tell how much other processes loaded it.
 */
export function cpuTicks(): { machineBusy: number; machineTotal: number; ours: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + cpu[4]!;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return { machineBusy: total - idle, machineTotal: total, ours: f[11]! + f[12]! + f[13]! + f[14]! };
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Throughput and server CPU of one redis-benchmark run. */
export interface RunResult {
  rps: number;
  cpuUsPerRequest: number;
}

/**
 * One redis-benchmark run against one server. `what` is either `-t <test>` arguments or a custom
 * command (`zrank bigzset member:__rand_int__`); the last CSV row is the figure kept (lrange_100
 * prints its LPUSH fill phase first). `cpuRequests` is what the server CPU is divided by
 * (defaults to `n`).
 */
export function runBenchmark(
  server: Server,
  what: string[],
  pipeline: number,
  n: number,
  randomRange: number,
  cpuRequests = n,
): RunResult {
  const pid = server.child.pid!;
  const cpuBefore = cpuMicros(pid);
  const args = ["-h", "127.0.0.1", "-p", String(server.port), "-c", String(CLIENTS), "-n", String(n)];
  args.push("-P", String(pipeline), "-r", String(randomRange), "--csv", ...what);
  const out = spawnSync(REDIS_BENCHMARK, args, { encoding: "utf8" });
  const cpuAfter = cpuMicros(pid);
  if (out.error) throw out.error;
  if (out.status !== 0) throw new Error(`redis-benchmark failed: ${out.stderr}`);
  // "test","rps","avg_latency_ms",...
  const rows = out.stdout
    .trim()
    .split("\n")
    .map((l) => l.split('","').map((f) => f.replace(/"/g, "")))
    .filter((f) => f[0] !== "test" && f.length > 1);
  const row = rows[rows.length - 1];
  if (!row || !(Number(row[1]) > 0)) throw new Error(`unexpected redis-benchmark output: ${out.stdout}`);
  return { rps: Number(row[1]), cpuUsPerRequest: (cpuAfter - cpuBefore) / cpuRequests };
}

/** Encodes one command in RESP (arguments are ASCII here). */
export function resp(...args: string[]): string {
  let text = `*${args.length}\r\n`;
  for (const a of args) text += `$${a.length}\r\n${a}\r\n`;
  return text;
}

/** A minimal RESP client for one command and its reply (INFO, FLUSHALL, DBSIZE). */
export function command(port: number, ...args: string[]): Promise<string> {
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

/** Sends a command and fails unless the reply is exactly `expected` (e.g. "+OK"). */
export async function expectReply(port: number, expected: string, ...args: string[]): Promise<void> {
  const reply = await command(port, ...args);
  if (reply !== expected) throw new Error(`${args.join(" ")}: expected ${expected}, got ${reply}`);
}

/** Parses an integer field out of an INFO reply. */
export function infoField(info: string, name: string): number {
  const m = new RegExp(`^${name}:(\\d+)`, "m").exec(info);
  return m ? Number(m[1]) : NaN;
}

/**
 * Sends `count` commands, `encode(i)` for i in [0, count), pipelined in batches of 2000 over 4
 * connections, each batch sent once the previous one's replies are all in. Every reply must be
 * a one-line, non-error reply (+OK, :1 ...). Returns the elapsed milliseconds.
 */
export async function loadPipelined(
  port: number,
  count: number,
  encode: (i: number) => string,
): Promise<number> {
  const start = performance.now();
  const connections = 4;
  const batch = 2000;
  let next = 0;
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      let pending = 0;
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
        for (let i = from; i < to; i++) text += encode(i);
        pending = to - from;
        s.write(text);
      };
      s.on("connect", send);
      s.on("data", (d: Buffer) => {
        if (d.includes(45 /* '-' */)) {
          s.destroy();
          reject(new Error(`error reply while loading: ${d.toString()}`));
          return;
        }
        for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) pending--;
        if (pending === 0) send();
      });
      s.on("error", reject);
    });
  await Promise.all(Array.from({ length: connections }, worker));
  return performance.now() - start;
}

/** A memory figure of one server. */
export interface MemorySample {
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

/** redis: INFO used_memory and RSS; reddish (started with a probe): heap + external after GC, RSS. */
export function measureMemory(server: Server): Promise<MemorySample> {
  return server.name === "redis" ? redisMemory(server) : reddishMemory(server);
}

/** Integer with thousands separators. */
export const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");
/** Right-aligns `s` in `n` columns. */
export const pad = (s: string, n: number): string => s.padStart(n);
/** Geometric mean. */
export const geomean = (xs: number[]): number =>
  Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
/** `%012d`, the format redis-benchmark gives `__rand_int__`. */
export const rand12 = (i: number): string => String(i).padStart(12, "0");

/** One benchmark of a throughput table: how to run it and how many requests. */
export interface BenchCase {
  /** Row label, e.g. "LPUSH". */
  label: string;
  /** redis-benchmark arguments after the common ones: `-t lpush` or a custom command. */
  what: string[];
  /** Requests for a given pipeline depth. */
  requests(pipeline: number): number;
  /** Requests the server CPU is spread over (defaults to the request count). */
  cpuRequests?(pipeline: number): number;
  /** Run before each measured run on each server (e.g. FLUSHALL). */
  before?(server: Server, pipeline: number): Promise<void>;
}

/**
 * Runs every case at every pipeline depth on both servers, alternating the servers per run (the
 * order flips each round), keeping each server's best of `rounds` runs.
 */
export async function runInterleaved(
  servers: [Server, Server],
  cases: BenchCase[],
  pipelines: number[],
  rounds: number,
  randomRange: number,
): Promise<Map<string, RunResult>> {
  const best = new Map<string, RunResult>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [servers[1], servers[0]];
    for (const pipeline of pipelines) {
      for (const c of cases) {
        for (const server of order) {
          await c.before?.(server, pipeline);
          const n = c.requests(pipeline);
          const r = runBenchmark(server, c.what, pipeline, n, randomRange, c.cpuRequests?.(pipeline) ?? n);
          const key = `${server.name}|${c.label}|${pipeline}`;
          const prev = best.get(key);
          if (!prev || r.rps > prev.rps) best.set(key, r);
          process.stderr.write(
            `  round ${round + 1} ${c.label} -P ${pipeline} ${server.name}: ${fmtInt(r.rps)} ops/s\n`,
          );
        }
      }
    }
  }
  return best;
}

/** Prints a throughput table (redis vs reddish) with a geometric-mean line per pipeline depth. */
export function printThroughput(
  title: string,
  best: Map<string, RunResult>,
  labels: string[],
  pipelines: number[],
  footnotes: string[] = [],
): void {
  const width = Math.max(8, ...labels.map((l) => l.length + 2));
  console.log(`\n${title}`);
  console.log(
    `${"test".padEnd(width)}${pad("-P", 4)}${pad("redis ops/s", 14)}${pad("reddish ops/s", 15)}${pad("ratio", 8)}` +
      `${pad("redis CPU µs/req", 18)}${pad("reddish CPU µs/req", 20)}`,
  );
  for (const pipeline of pipelines) {
    const ratios: number[] = [];
    for (const label of labels) {
      const a = best.get(`redis|${label}|${pipeline}`)!;
      const b = best.get(`reddish|${label}|${pipeline}`)!;
      const ratio = b.rps / a.rps;
      ratios.push(ratio);
      console.log(
        `${label.padEnd(width)}${pad(String(pipeline), 4)}${pad(fmtInt(a.rps), 14)}${pad(fmtInt(b.rps), 15)}` +
          `${pad(ratio.toFixed(2), 8)}${pad(a.cpuUsPerRequest.toFixed(2), 18)}${pad(b.cpuUsPerRequest.toFixed(2), 20)}`,
      );
    }
    console.log(
      `${"".padEnd(width)}${pad(String(pipeline), 4)}  geometric mean ratio reddish/redis: ${geomean(ratios).toFixed(2)}`,
    );
  }
  for (const note of footnotes) console.log(note);
}
