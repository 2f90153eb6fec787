/**
 * The dispatcher: every command from every source passes here. It enforces the command table in
 * Redis 7.0's order (unknown command, arity, auth, MULTI restrictions, pub/sub context, OOM),
 * queues commands inside MULTI, then calls the handler and turns thrown RedisErrors into error
 * replies. Handlers therefore hold only semantics.
 */
import { Err, RedisError } from "../errors.js";
import type { Command } from "../commands/spec.js";
import type { Client } from "./client.js";
import type { CommandStats } from "./core.js";
import { latencyHistogram } from "../commands/server-state.js";
import { recordCallTiming } from "../commands/server-slowlog.js";
import { busyErrorOf, busyScripts } from "../scripting/busy.js";
import { commandDeniesOom } from "../scripting/flags.js";
import { aclCheckCommand, aclCheckScriptCommand } from "../acl/index.js";
import { clientGate, feedMonitors, monitoring, POSTPONED } from "./monitor.js";

/** Commands allowed in RESP2 subscriber mode. */
const PUBSUB_ALLOWED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);

/** Commands that run immediately inside MULTI instead of being queued. */
const NOT_QUEUED = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

/**
 * Processes `client.argv` as one command: validates, queues (in MULTI) or runs it, and writes the
 * reply through `client.reply`. The keyspace's time is pinned to the command's start meanwhile.
 * `start` is the command's `performance.now()` reading: read here unless an in-process caller
 * passes the one it took as its call began.
 */
export function processCommand(client: Client, start = performance.now()): void {
  const clock = client.server.clock;
  const now = clock.nowAt ? clock.nowAt(start) : clock.now();
  client.lastInteraction = now;
  const keyspace = client.server.keyspace;
  if (!keyspace.pinTime(now)) return dispatch(client, start);
  try {
    dispatch(client, start);
  } finally {
    keyspace.unpinTime();
  }
}

/** processCommand's checks and queueing; `start` is its performance.now() reading. */
function dispatch(client: Client, start: number): void {
  const server = client.server;
  const argv = client.argv;
  const command = server.commands.lookup(argv);
  client.command = command ?? null;
  // As in Redis, an unknown command clears the last command (CLIENT LIST cmd=NULL).
  client.lastCommand = command ?? null;
  server.tracking.beforeCommand(client);
  if (!command) {
    const name = argv[0]!;
    if (argv.length >= 2 && server.commands.isContainer(name)) {
      return reject(client, Err.unknownSubcommand(argv[1]!, name));
    }
    return reject(client, Err.unknownCommand(name, argv.slice(1)));
  }
  if ((command.arity > 0 && command.arity !== argv.length) || argv.length < -command.arity) {
    return reject(client, Err.wrongArity(command.fullName), command);
  }
  if ((command.parent ?? command).fullName === "debug" && !debugAllowed(client)) {
    return reject(client, Err.debugNotAllowed, command);
  }
  if (!client.authenticated && !command.isNoAuth) {
    return reject(client, Err.noAuth, command);
  }
  const aclError = aclCheckCommand(client, command);
  if (aclError !== null) return reject(client, aclError, command);
  if (client.multiQueue !== null && command.isNoMulti) {
    return reject(client, Err.notAllowedInMulti, command);
  }
  // Not while a script is busy (Redis skips it then: no eviction in the middle of a script).
  if (server.config.hot.maxmemory > 0 && (busyScripts.size === 0 || busyErrorOf(server) === null)) {
    const outOfMemory = !server.evictor.performEvictions();
    if (outOfMemory && oomRejects(client, command)) return reject(client, Err.oom, command);
    // Scripts refuse their first denyoom command by the state at the command's start.
    server.evictor.oomAtCommandStart = outOfMemory;
  }
  if (server.tracking.clientCount > 0) server.tracking.limitUsedSlots(server.config.hot.trackingTableMaxKeys);
  if (client.subscriptionCount > 0 && client.resp === 2 && !PUBSUB_ALLOWED.has(topName(command))) {
    return reject(client, Err.pubsubContext(command.fullName), command);
  }
  if (busyScripts.size !== 0) {
    // A script past busy-reply-threshold: only commands flagged allow_busy run (SCRIPT KILL...).
    const busy = busyErrorOf(server);
    if (busy !== null && !command.meta.flags.includes("allow_busy")) return reject(client, busy, command);
  }
  const gate = clientGate(client, command);
  if (gate !== null) return gate === POSTPONED ? undefined : reject(client, gate, command);
  if (client.multiQueue !== null && !NOT_QUEUED.has(command.fullName)) {
    // Flags are taken at queue time (a script's flags depend on the script cache then).
    client.multiQueue.push({ command, argv, denyOom: commandDeniesOom(client, command, argv) });
    client.reply.simple("QUEUED");
    server.tracking.afterCommand(client, command);
    return;
  }
  call(client, command, start);
  // As Redis's processCommand: once the command (or a whole EXEC) is done, serve the clients
  // blocked on keys it made ready.
  server.blocking.afterCommand();
  // Invalidations of keys this client changed itself go after its reply.
  server.tracking.afterCommand(client, command);
}

/**
 * Commands scripts may run that Redis 7.0 flags `may_replicate` without `write`: read-only
 * scripts refuse them like writes. COMMAND INFO does not show the flag, so the generated metadata
 * lacks it; this list was taken from redis-server 7.0.15 (every non-write command tried in EVAL_RO).
 */
const MAY_REPLICATE = new Set(["publish", "spublish", "pfcount"]);

/** What a script run decides about the commands it runs (see {@link scriptCall}). */
export interface ScriptCallPolicy {
  /** The client whose script this is: commands are checked against its ACL user. */
  readonly caller?: Client;
  /** Write commands are refused (a `no-writes` script, EVAL_RO, FCALL_RO). */
  readonly readOnly: boolean;
  /** Told before a write command runs (the script can no longer be killed). */
  willWrite(): void;
  /** Told after a read-only command ran (its caller's tracking remembers keys). */
  ranReadOnly(): void;
  /**
   * True if a denyoom command is refused now (scriptVerifyOOM): memory was over maxmemory when
   * the run started, the script has not written yet and is not flagged `allow-oom`.
   */
  refusesDenyOom(): boolean;
}

/**
 * Runs one command for a script (`redis.call`) on the script client, with Redis 7.0's
 * scriptCall checks instead of the network ones: unknown command, arity, `noscript`, writes in a
 * read-only script, OOM. Returns the refusal text (without error code, or `-CODE text`), already
 * counted in the error statistics, or null once the command ran; its reply, errors included, went to `client.reply`. Scripts never block
 * (no transport).
 */
export function scriptCall(client: Client, argv: string[], policy: ScriptCallPolicy): string | null {
  const command = client.server.commands.lookup(argv);
  // A refusal counts as an error reply, and as a rejected call of a known command.
  const refuse = (text: string): string => {
    client.server.countError(text.startsWith("-") ? text.slice(1) : `ERR ${text}`);
    if (command) commandStats(client, command).rejected++;
    return text;
  };
  if (!command) return refuse("Unknown Redis command called from script");
  if ((command.arity > 0 && command.arity !== argv.length) || argv.length < -command.arity) {
    return refuse("Wrong number of args calling Redis command from script");
  }
  client.argv = argv;
  client.command = command;
  client.lastCommand = command;
  if (command.isNoScript) return refuse("This Redis command is not allowed from script");
  const aclError = policy.caller ? aclCheckScriptCommand(client, command, policy.caller) : null;
  if (aclError !== null) return refuse(aclError);
  if (policy.readOnly && (command.isWrite || MAY_REPLICATE.has(command.fullName))) {
    return refuse("Write commands are not allowed from read-only scripts.");
  }
  if (command.isDenyOom && policy.refusesDenyOom()) return refuse(`-${Err.oom}`);
  if (command.isWrite) policy.willWrite();
  call(client, command);
  if (command.isReadonly) policy.ranReadOnly();
  return null;
}

/**
 * Runs a validated command's handler (also used by EXEC for queued commands): statistics, error
 * replies from thrown RedisErrors, CLIENT REPLY modes. `start` (performance.now()) begins the
 * call's timing; processCommand passes the reading it took on entry.
 */
export function call(client: Client, command: Command, start = performance.now()): void {
  const server = client.server;
  let failed = false;
  try {
    command.handler(client);
  } catch (e) {
    if (!(e instanceof RedisError)) throw e;
    client.reply.error(e.message);
    server.countError(e.message);
    failed = true;
  }
  // Looked up after the handler: CONFIG RESETSTAT counts itself in the fresh statistics.
  const stats = commandStats(client, command);
  if (failed) stats.failed++;
  // Client-side caching: the keys a read-only command read (tracking clients only).
  if (client.tracking !== null) server.tracking.commandRan(client, command);
  const usec = (performance.now() - start) * 1000;
  stats.calls++;
  stats.usec += usec;
  server.stats.totalCommandsProcessed++;
  if (command.isWrite) server.dirty++;
  if (server.config.hot.latencyTracking)
    (stats.histogram ??= latencyHistogram(server, command.fullName)).record(usec);
  recordCallTiming(client, command, usec);
  if (monitoring.count !== 0) feedMonitors(client, command);
}

/** A command's INFO commandstats entry (created on first use). */
export function commandStats(client: Client, command: Command): CommandStats {
  const all = client.server.stats.commands;
  let s = all.get(command.fullName);
  if (!s) all.set(command.fullName, (s = { calls: 0, usec: 0, rejected: 0, failed: 0 }));
  return s;
}

/**
 * Whether a command is refused when memory cannot be brought under maxmemory (Redis's
 * reject_cmd_on_oom): denyoom commands, EXEC of a transaction holding one, and anything queued
 * in MULTI except EXEC, DISCARD, QUIT and RESET. A script run is denyoom by its script's flags.
 */
function oomRejects(client: Client, command: Command): boolean {
  if (commandDeniesOom(client, command, client.argv)) return true;
  const name = command.fullName;
  if (name === "exec") return client.multiQueue?.some((q) => q.denyOom) ?? false;
  return client.multiQueue !== null && name !== "discard" && name !== "quit" && name !== "reset";
}

/** Rejects a command before it runs; inside MULTI this also dooms the transaction. */
function reject(client: Client, message: string, command?: Command): void {
  if (client.multiQueue !== null) client.multiDirty = true;
  if (command?.fullName === "exec") {
    // Redis's execCommandAbort: a rejected EXEC discards the transaction, in or out of MULTI.
    client.discardTransaction();
    message = Err.execAbortBecause(message);
  }
  client.reply.error(message);
  client.server.countError(message);
  if (command) commandStats(client, command).rejected++;
  client.server.tracking.afterCommand(client, command ?? null);
}

/** enable-debug-command: `yes`, or `local` for loopback and in-process clients. */
function debugAllowed(client: Client): boolean {
  const setting = client.server.config.get("enable-debug-command");
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  const addr = client.transport?.remoteAddress;
  return addr === undefined || addr.startsWith("127.") || addr.startsWith("[::1]");
}

function topName(command: Command): string {
  return (command.parent ?? command).fullName;
}
