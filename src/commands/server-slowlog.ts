/**
 * SLOWLOG and LATENCY: the slow log (commands slower than `slowlog-log-slower-than` µs) and the
 * latency monitor (events slower than `latency-monitor-threshold` ms), plus LATENCY HISTOGRAM over
 * the per-command histograms the dispatcher keeps. The dispatcher reports every call through
 * {@link recordCallTiming}.
 *
 * Not implemented: LATENCY DOCTOR and LATENCY GRAPH (they answer the unknown-subcommand error).
 */
import { Err, RedisError, ServerErr } from "../errors.js";
import type { Client } from "../server/client.js";
import type { ServerCore } from "../server/core.js";
import { eqi, readInt } from "./args.js";
import { replyHelp } from "./command.js";
import { serverState, type LatencyHistogram } from "./server-state.js";
import type { Command, CommandDefinition } from "./spec.js";

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
const MAX_ARGC = 32;
const MAX_STRING = 128;
/** Redis keeps the last 160 samples per latency event (LATENCY_TS_LEN). */
const LATENCY_SAMPLES = 160;

interface SlowlogEntry {
  id: number;
  /** Unix seconds. */
  time: number;
  usec: number;
  args: string[];
  addr: string;
  name: string;
}

interface LatencyEvent {
  /** Samples, oldest first: Unix seconds and milliseconds. */
  samples: { time: number; ms: number }[];
  max: number;
}

interface MonitorState {
  slowlog: SlowlogEntry[];
  nextSlowlogId: number;
  events: Map<string, LatencyEvent>;
}

const states = new WeakMap<ServerCore, MonitorState>();

function stateOf(server: ServerCore): MonitorState {
  let s = states.get(server);
  if (!s) states.set(server, (s = { slowlog: [], nextSlowlogId: 0, events: new Map() }));
  return s;
}

/** Configuration parameters whose values the slow log hides (Redis's SENSITIVE_CONFIG). */
const SENSITIVE_CONFIGS = new Set(["requirepass", "masterauth"]);

/** The arguments as the slow log stores them: secrets redacted, long lists and strings cut. */
function slowlogArgs(command: Command, argv: readonly string[]): string[] {
  const redacted = argv.slice();
  const name = command.fullName;
  if (name === "auth") {
    for (let i = 1; i < redacted.length; i++) redacted[i] = "(redacted)";
  } else if (name === "hello") {
    for (let i = 2; i < redacted.length; i++) {
      if (eqi(redacted[i]!, "auth") && i + 2 < redacted.length) {
        redacted[i + 1] = "(redacted)";
        redacted[i + 2] = "(redacted)";
        i += 2;
      } else if (eqi(redacted[i]!, "setname")) {
        i++;
      }
    }
  } else if (name === "config|set") {
    for (let i = 2; i + 1 < redacted.length; i += 2) {
      if (SENSITIVE_CONFIGS.has(redacted[i]!.toLowerCase())) redacted[i + 1] = "(redacted)";
    }
  }
  const kept = redacted.length > MAX_ARGC ? MAX_ARGC - 1 : redacted.length;
  const out: string[] = [];
  for (let i = 0; i < kept; i++) {
    const arg = redacted[i]!;
    out.push(
      arg.length > MAX_STRING
        ? `${arg.slice(0, MAX_STRING)}... (${arg.length - MAX_STRING} more bytes)`
        : arg,
    );
  }
  if (kept < redacted.length) out.push(`... (${redacted.length - kept} more arguments)`);
  return out;
}

/**
 * Called by the dispatcher after each command ran: adds it to the slow log and the latency
 * monitor when it was slow enough. `usec` is its duration in microseconds.
 */
export function recordCallTiming(client: Client, command: Command, usec: number): void {
  const server = client.server;
  const config = server.config;
  const slower = config.hot.slowlogLogSlowerThan;
  const threshold = config.hot.latencyMonitorThreshold;
  if (slower >= 0 && usec >= slower && command.fullName !== "exec") {
    const s = stateOf(server);
    s.slowlog.unshift({
      id: s.nextSlowlogId++,
      time: Math.floor(server.clock.now() / 1000),
      usec: Math.floor(usec),
      args: slowlogArgs(command, client.argv),
      // The script client has no connection: Redis shows its peer as "?:0".
      addr: client.transport?.remoteAddress ?? (client.isScript ? "?:0" : ""),
      name: client.name,
    });
    const max = config.getNumber("slowlog-max-len");
    if (s.slowlog.length > max) s.slowlog.length = max;
  }
  const ms = Math.floor(usec / 1000);
  if (threshold > 0 && ms >= threshold) {
    addLatencySample(server, command.isFast ? "fast-command" : "command", ms);
  }
}

/** Records a latency sample for `event` (Redis's latencyAddSample): one sample per second. */
function addLatencySample(server: ServerCore, event: string, ms: number): void {
  const s = stateOf(server);
  let e = s.events.get(event);
  if (!e) s.events.set(event, (e = { samples: [], max: 0 }));
  const now = Math.floor(server.clock.now() / 1000);
  if (ms > e.max) e.max = ms;
  const last = e.samples[e.samples.length - 1];
  if (last && last.time === now) {
    if (ms > last.ms) last.ms = ms;
    return;
  }
  e.samples.push({ time: now, ms });
  if (e.samples.length > LATENCY_SAMPLES) e.samples.shift();
}

// ---- SLOWLOG ----

/** SLOWLOG GET [count] */
function slowlogGetCommand(c: Client): void {
  const entries = stateOf(c.server).slowlog;
  let count = 10;
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "slowlog"));
  if (c.argv.length === 3) {
    count = readInt(c.argv[2]!, ServerErr.slowlogCount);
    if (count < -1) throw new RedisError(ServerErr.slowlogCount);
    if (count === -1) count = entries.length;
  }
  const n = Math.min(count, entries.length);
  c.reply.array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    c.reply.array(6);
    c.reply.integer(e.id);
    c.reply.integer(e.time);
    c.reply.integer(e.usec);
    c.reply.array(e.args.length);
    for (const a of e.args) c.reply.bulk(a);
    c.reply.bulk(e.addr);
    c.reply.bulk(e.name);
  }
}

/** SLOWLOG LEN */
function slowlogLenCommand(c: Client): void {
  c.reply.integer(stateOf(c.server).slowlog.length);
}

/** SLOWLOG RESET */
function slowlogResetCommand(c: Client): void {
  stateOf(c.server).slowlog = [];
  c.reply.simple("OK");
}

/** SLOWLOG HELP */
function slowlogHelpCommand(c: Client): void {
  replyHelp(c, [
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
  ]);
}

// ---- LATENCY ----

/** LATENCY LATEST */
function latencyLatestCommand(c: Client): void {
  const events = stateOf(c.server).events;
  c.reply.array(events.size);
  for (const [name, e] of events) {
    const last = e.samples[e.samples.length - 1]!;
    c.reply.array(4);
    c.reply.bulk(name);
    c.reply.integer(last.time);
    c.reply.integer(last.ms);
    c.reply.integer(e.max);
  }
}

/** LATENCY HISTORY event */
function latencyHistoryCommand(c: Client): void {
  const e = stateOf(c.server).events.get(c.argv[2]!);
  if (!e) {
    c.reply.array(0);
    return;
  }
  c.reply.array(e.samples.length);
  for (const s of e.samples) {
    c.reply.array(2);
    c.reply.integer(s.time);
    c.reply.integer(s.ms);
  }
}

/** LATENCY RESET [event ...] */
function latencyResetCommand(c: Client): void {
  const events = stateOf(c.server).events;
  if (c.argv.length === 2) {
    const n = events.size;
    events.clear();
    c.reply.integer(n);
    return;
  }
  let n = 0;
  for (const name of c.argv.slice(2)) if (events.delete(name)) n++;
  c.reply.integer(n);
}

/** LATENCY HISTOGRAM [command ...] */
function latencyHistogramCommand(c: Client): void {
  const histograms = serverState(c.server).latency;
  const selected: [string, LatencyHistogram][] = [];
  if (c.argv.length === 2) {
    for (const [name, h] of histograms) if (h.total > 0) selected.push([name, h]);
  } else {
    // Like Redis, each named command (or container: all its subcommands) is reported in the
    // order given, repeats included.
    for (const arg of c.argv.slice(2)) {
      const cmd = c.server.commands.get(arg);
      if (!cmd) continue;
      const names = cmd.subcommands ? [...cmd.subcommands.values()].map((s) => s.fullName) : [cmd.fullName];
      for (const name of names) {
        const h = histograms.get(name);
        if (h && h.total > 0) selected.push([name, h]);
      }
    }
  }
  c.reply.map(selected.length);
  for (const [name, h] of selected) {
    c.reply.bulk(name);
    c.reply.map(2);
    c.reply.bulk("calls");
    c.reply.integer(h.total);
    c.reply.bulk("histogram_usec");
    const buckets = h.logBuckets();
    c.reply.map(buckets.length);
    for (const [usec, cumulative] of buckets) {
      c.reply.integer(usec);
      c.reply.integer(cumulative);
    }
  }
}

/** LATENCY HELP */
function latencyHelpCommand(c: Client): void {
  replyHelp(c, [
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
    "    If no commands are specified then all histograms are replied.",
  ]);
}

export const slowlogCommands: CommandDefinition[] = [
  { name: "slowlog|get", handler: slowlogGetCommand },
  { name: "slowlog|len", handler: slowlogLenCommand },
  { name: "slowlog|reset", handler: slowlogResetCommand },
  { name: "slowlog|help", handler: slowlogHelpCommand },
  { name: "latency|latest", handler: latencyLatestCommand },
  { name: "latency|history", handler: latencyHistoryCommand },
  { name: "latency|reset", handler: latencyResetCommand },
  { name: "latency|histogram", handler: latencyHistogramCommand },
  { name: "latency|help", handler: latencyHelpCommand },
];
