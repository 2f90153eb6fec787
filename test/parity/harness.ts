/**
 * The differential parity harness: sends the same commands to a real redis-server (Debian's
 * 7.0.x, started on a free loopback port) and to reddish, over RESP2 and RESP3, and compares the
 * raw reply bytes. Looser comparisons exist only for replies Redis itself makes non-deterministic,
 * and each use in a test names why.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type ReddishServer } from "../../src/index.js";

/** How two replies are compared. */
export type Compare =
  /** Byte for byte (the default). */
  | "exact"
  /** Same multiset of top-level array elements (Redis's order is hash order), else exact. */
  | "unordered"
  /** Same reply type and aggregate length only (values differ legitimately: ids, addresses). */
  | "type"
  /** Integers within ±tolerance (time-dependent: TTLs), else exact. */
  | { approx: number }
  /** Not compared at all (setup steps whose reply is irrelevant, e.g. DEBUG SLEEP). */
  | "ignore";

/** One command sent to both servers. */
export interface Step {
  cmd: (string | Buffer)[];
  compare?: Compare;
  /** Which connection sends it (0 by default); cases may use several. */
  client?: number;
  /** Raw bytes to send instead of an encoded `cmd` (protocol tests); then `cmd` is ignored. */
  raw?: Buffer | string;
  /** Milliseconds to wait before sending (real time passes on both servers). */
  sleepBefore?: number;
  /** How many replies the step produces (0 for CLIENT REPLY OFF, several for SUBSCRIBE a b). Default 1. */
  replies?: number;
  /**
   * Send nothing: read (and compare) the `replies` replies still owed to this client by an earlier
   * step sent with `replies: 0`, e.g. a blocked BLPOP woken by a later step. `cmd` is ignored.
   */
  pending?: boolean;
  /**
   * Before sending, poll `INFO clients` on this step's client until it reports this many
   * `blocked_clients` (at most 5 s), so a step that blocks another client has surely been
   * processed. The polling replies are not compared.
   */
  waitBlocked?: number;
  /**
   * Read every unsolicited message (pub/sub messages, invalidations) owed to this client: send
   * PING and read all replies up to and including PING's, comparing the whole list (a different
   * count is a difference). With `compare: "unordered"` the messages are compared as a multiset
   * (only where Redis's delivery order is itself undefined). `cmd` is ignored.
   */
  drain?: boolean;
  /** Close this client's connection instead of sending anything (nothing is compared). */
  close?: boolean;
  /**
   * Remember this step's (first) reply value per server under this name; a later `cmd` argument
   * written `{name}` is replaced by the value remembered on the same server (e.g. CLIENT ID).
   */
  capture?: string;
}

/** A parity case: steps run in order on fresh servers (FLUSHALL first). */
export interface ParityCase {
  name: string;
  steps: (Step | (string | Buffer)[])[];
  /** Run only in this protocol (default both). */
  resp?: 2 | 3;
}

const REDIS_BIN = process.env.REDIS_SERVER ?? "redis-server";

/** Picks a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A real redis-server child process. */
export interface RealRedis {
  port: number;
  stop(): Promise<void>;
}

/** Starts the reference redis-server with settings that match reddish's defaults for parity. */
export async function startRealRedis(extraArgs: string[] = []): Promise<RealRedis> {
  const check = spawnSync(REDIS_BIN, ["--version"], { encoding: "utf8" });
  if (check.error) {
    throw new Error(
      `redis-server not found (${REDIS_BIN}). Install it with: apt-get install -y redis-server ` +
        `(or set REDIS_SERVER=/path/to/redis-server)`,
    );
  }
  // The free port is only free when probed: another process may take it before redis-server
  // binds it. So start it, make sure the server answering is this child, else try another port.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "reddish-parity-"));
    const child: ChildProcess = spawn(
      REDIS_BIN,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--enable-debug-command",
        "yes",
        "--logfile",
        "",
        "--loglevel",
        "warning",
        ...extraArgs,
      ],
      { stdio: "ignore" },
    );
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      if (await canConnect(port)) break;
      await sleep(20);
    }
    if (child.exitCode === null && child.pid !== undefined && listensOn(child.pid, port))
      return { port, stop };
    await stop();
    if (attempt >= 4) throw new Error(`redis-server did not start on a free port (last tried ${port})`);
  }
}

/**
 * Whether process `pid` holds the socket listening on 127.0.0.1:`port` (Linux's /proc; elsewhere
 * assumed). Asked of the system, not the server, so that no command shows in its statistics.
 */
function listensOn(pid: number, port: number): boolean {
  let table: string;
  try {
    table = readFileSync("/proc/net/tcp", "latin1");
  } catch {
    return true;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const line of table.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === "0A") inodes.add(f[9]!);
  }
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m !== null && inodes.has(m[1]!);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "utf8") : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** A parsed reply, for the looser comparisons. */
export type Parsed = { type: string; value: string | Parsed[] | null; raw: Buffer };

/**
 * Parses one RESP2/RESP3 reply at `pos`; returns it and the next position, or null if incomplete.
 */
export function parseReply(buf: Buffer, pos: number): { reply: Parsed; next: number } | null {
  const lineEnd = buf.indexOf("\r\n", pos);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[pos]!);
  const line = buf.toString("latin1", pos + 1, lineEnd);
  let next = lineEnd + 2;
  switch (type) {
    case "+":
    case "-":
    case ":":
    case ",":
    case "#":
    case "(":
    case "_":
      return { reply: { type, value: line, raw: buf.subarray(pos, next) }, next };
    case "$":
    case "=":
    case "!": {
      const n = Number(line);
      if (n < 0) return { reply: { type, value: null, raw: buf.subarray(pos, next) }, next };
      if (buf.length < next + n + 2) return null;
      const value = buf.toString("latin1", next, next + n);
      next += n + 2;
      return { reply: { type, value, raw: buf.subarray(pos, next) }, next };
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      const n = Number(line);
      if (n < 0) return { reply: { type, value: null, raw: buf.subarray(pos, next) }, next };
      const count = type === "%" || type === "|" ? n * 2 : n;
      const items: Parsed[] = [];
      for (let i = 0; i < count; i++) {
        const r = parseReply(buf, next);
        if (!r) return null;
        items.push(r.reply);
        next = r.next;
      }
      return { reply: { type, value: items, raw: buf.subarray(pos, next) }, next };
    }
    default:
      throw new Error(`unparseable reply byte '${type}' in ${JSON.stringify(buf.toString("latin1", pos))}`);
  }
}

/** A raw connection that reads whole replies. */
export class RawConnection {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on("close", () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on("error", () => undefined);
  }

  static connect(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new RawConnection(s)));
      s.once("error", reject);
    });
  }

  send(data: Buffer | string): void {
    this.socket.write(data);
  }

  /** Reads one reply (or null if the connection closed first), waiting up to `timeoutMs`. */
  async read(timeoutMs = 5000): Promise<Parsed | null> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const r = this.buf.length ? parseReply(this.buf, 0) : null;
      if (r) {
        const reply = { ...r.reply, raw: Buffer.from(r.reply.raw) };
        this.buf = this.buf.subarray(r.next);
        return reply;
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for a reply; have ${JSON.stringify(this.buf.toString())}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a command and reads its reply. */
  async call(...args: (string | Buffer)[]): Promise<Parsed | null> {
    this.send(encodeCommand(args));
    return this.read();
  }

  close(): void {
    this.socket.destroy();
  }
}

function canonical(p: Parsed): string {
  if (Array.isArray(p.value)) return `${p.type}[${p.value.map(canonical).join(",")}]`;
  return `${p.type}${JSON.stringify(p.value)}`;
}

function shape(p: Parsed): string {
  if (Array.isArray(p.value)) return `${p.type}${p.value.length}`;
  return p.type === "-" ? `-${String(p.value).split(" ")[0]}` : p.type;
}

/** Compares two replies; returns a description of the difference or null. */
export function diffReplies(expected: Parsed | null, actual: Parsed | null, compare: Compare): string | null {
  if (compare === "ignore") return null;
  if (expected === null || actual === null) {
    return expected === actual
      ? null
      : `connection closed on one side: redis=${show(expected)} reddish=${show(actual)}`;
  }
  if (compare === "type") return shape(expected) === shape(actual) ? null : describe2(expected, actual);
  if (compare === "unordered" && Array.isArray(expected.value) && Array.isArray(actual.value)) {
    if (expected.type !== actual.type) return describe2(expected, actual);
    const a = expected.value.map(canonical).sort();
    const b = actual.value.map(canonical).sort();
    return JSON.stringify(a) === JSON.stringify(b) ? null : describe2(expected, actual);
  }
  if (typeof compare === "object" && expected.type === ":" && actual.type === ":") {
    return Math.abs(Number(expected.value) - Number(actual.value)) <= compare.approx
      ? null
      : describe2(expected, actual);
  }
  return expected.raw.equals(actual.raw) ? null : describe2(expected, actual);
}

function show(p: Parsed | null): string {
  return p === null ? "(closed)" : JSON.stringify(p.raw.toString("latin1"));
}

function describe2(e: Parsed, a: Parsed): string {
  return `\n  redis:   ${show(e)}\n  reddish: ${show(a)}`;
}

/** Totals over a test file, printed at its end (the closing note quotes them). */
export const parityTotals = { compared: 0, differences: 0 };

/** Shared servers for one test file. */
export interface ParityServers {
  redisPort: number;
  reddishPort: number;
  reddish: ReddishServer;
}

/**
 * Registers a suite of parity cases: each case runs on both servers in RESP2 and RESP3 and fails
 * with every differing reply listed.
 */
export function paritySuite(
  title: string,
  cases: ParityCase[],
  options: { redisArgs?: string[]; reddishConfig?: Record<string, string> } = {},
): void {
  describe(title, () => {
    let redis: RealRedis;
    let reddish: ReddishServer;
    const atStart = { compared: 0, differences: 0 };
    before(async () => {
      Object.assign(atStart, parityTotals);
      redis = await startRealRedis(options.redisArgs);
      reddish = await startServer({ config: { "enable-debug-command": "yes", ...options.reddishConfig } });
    });
    after(async () => {
      await redis.stop();
      await reddish.close();
      const compared = parityTotals.compared - atStart.compared;
      const differences = parityTotals.differences - atStart.differences;
      process.stdout.write(`# parity ${title}: ${compared} replies compared, ${differences} differences\n`);
    });
    for (const c of cases) {
      for (const resp of [2, 3] as const) {
        if (c.resp !== undefined && c.resp !== resp) continue;
        test(`${c.name} [RESP${resp}]`, async () => {
          const problems = await runCase(c, resp, redis.port, reddish.port);
          assert.equal(problems.length, 0, problems.join("\n"));
        });
      }
    }
  });
}

/** Runs one case on both servers; returns descriptions of differences. */
export async function runCase(
  c: ParityCase,
  resp: 2 | 3,
  redisPort: number,
  reddishPort: number,
): Promise<string[]> {
  const steps: Step[] = c.steps.map((s) => (Array.isArray(s) ? { cmd: s } : s));
  const clientCount = Math.max(1, ...steps.map((s) => (s.client ?? 0) + 1));
  const sides = await Promise.all(
    [redisPort, reddishPort].map(async (port) => {
      const conns: RawConnection[] = [];
      for (let i = 0; i < clientCount; i++) {
        const conn = await RawConnection.connect(port);
        if (resp === 3) await conn.call("HELLO", "3");
        conns.push(conn);
      }
      await conns[0]!.call("FLUSHALL");
      return conns;
    }),
  );
  const problems: string[] = [];
  const captured = sides.map(() => new Map<string, string>());
  try {
    for (const [i, step] of steps.entries()) {
      if (step.sleepBefore) await sleep(step.sleepBefore);
      if (step.waitBlocked !== undefined) {
        await Promise.all(sides.map((conns) => waitBlocked(conns[step.client ?? 0]!, step.waitBlocked!)));
      }
      if (step.close) {
        for (const conns of sides) conns[step.client ?? 0]!.close();
        continue;
      }
      if (step.drain) {
        const lists = await Promise.all(sides.map((conns) => drainMessages(conns[step.client ?? 0]!)));
        parityTotals.compared++;
        const d = diffReplyLists(lists[0]!, lists[1]!, step.compare ?? "exact");
        if (d) {
          parityTotals.differences++;
          problems.push(`step ${i} (drain client ${step.client ?? 0}):${d}`);
        }
        continue;
      }
      const count = step.replies ?? 1;
      const replies = await Promise.all(
        sides.map(async (conns, side) => {
          const conn = conns[step.client ?? 0]!;
          if (!step.pending) conn.send(step.raw ?? encodeCommand(substitute(step.cmd, captured[side]!)));
          const out: (Parsed | null)[] = [];
          for (let r = 0; r < count; r++) out.push(await conn.read());
          if (step.capture !== undefined && out[0] && typeof out[0].value === "string") {
            captured[side]!.set(step.capture, out[0].value);
          }
          return out;
        }),
      );
      for (let r = 0; r < count; r++) {
        parityTotals.compared++;
        const d = diffReplies(replies[0]![r]!, replies[1]![r]!, step.compare ?? "exact");
        if (d) {
          parityTotals.differences++;
          const label = step.pending
            ? "(pending reply)"
            : step.raw !== undefined
              ? JSON.stringify(String(step.raw))
              : step.cmd.map(String).join(" ");
          problems.push(`step ${i} reply ${r} (${label}):${d}`);
        }
      }
    }
  } finally {
    for (const conns of sides) for (const conn of conns) conn.close();
  }
  return problems;
}

/** True for PING's reply: `+PONG`, or `pong ""` in RESP2 subscriber mode. */
function isPong(p: Parsed): boolean {
  if (p.type === "+") return p.value === "PONG";
  if (p.type !== "*" || !Array.isArray(p.value) || p.value.length !== 2) return false;
  return p.value[0]!.value === "pong" && p.value[1]!.value === "";
}

/** Sends PING and reads every reply up to and including PING's; returns the ones before it. */
async function drainMessages(conn: RawConnection): Promise<(Parsed | null)[]> {
  conn.send(encodeCommand(["PING"]));
  const out: (Parsed | null)[] = [];
  for (;;) {
    const reply = await conn.read();
    if (reply === null || isPong(reply)) {
      if (reply === null) out.push(null);
      return out;
    }
    out.push(reply);
  }
}

/** Compares two lists of messages; `unordered` sorts them first. */
function diffReplyLists(
  expected: (Parsed | null)[],
  actual: (Parsed | null)[],
  compare: Compare,
): string | null {
  const text = (list: (Parsed | null)[]) =>
    list.map((p) => (p === null ? "(closed)" : p.raw.toString("latin1")));
  const a = text(expected);
  const b = text(actual);
  if (compare === "unordered") {
    a.sort();
    b.sort();
  } else if (compare !== "exact") {
    throw new Error("drain steps compare exactly or unordered");
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  return `\n  redis:   ${JSON.stringify(a)}\n  reddish: ${JSON.stringify(b)}`;
}

/** Replaces `{name}` arguments with values captured earlier on the same server. */
function substitute(cmd: (string | Buffer)[], captured: Map<string, string>): (string | Buffer)[] {
  if (captured.size === 0) return cmd;
  return cmd.map((arg) => {
    if (typeof arg !== "string") return arg;
    const m = /^\{(\w+)\}$/.exec(arg);
    // Captured values are latin1 (one char per byte): send them back byte for byte.
    return m && captured.has(m[1]!) ? Buffer.from(captured.get(m[1]!)!, "latin1") : arg;
  });
}

/** Polls INFO clients on `conn` until `blocked_clients` is `n` (5 s at most). */
async function waitBlocked(conn: RawConnection, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const reply = await conn.call("INFO", "clients");
    const m = /blocked_clients:(\d+)/.exec(String(reply?.value ?? ""));
    if (m && Number(m[1]) === n) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} blocked clients (${m?.[1]})`);
    await sleep(2);
  }
}
