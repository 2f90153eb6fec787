/**
 * CLIENT PAUSE: while a pause is on, the commands it covers are postponed (Redis's
 * blockPostponeClient), not refused: the client is held with its command and stops reading input,
 * and when the pause ends (timeout or CLIENT UNPAUSE) the held clients run their commands again
 * through the dispatcher, in the order they were held. `WRITE` covers write and may-replicate
 * commands (EXEC of a transaction holding one, PUBLISH, PFCOUNT, EVAL/FCALL by their script's
 * flags); `ALL` covers
 * everything. Monitors (replicas to Redis) are never paused. During any pause active expiry is
 * stopped, as Redis 7.0 stops it.
 *
 * Not done: lazy expiry and eviction during a pause (Redis keeps expired keys, and evicts nothing,
 * until the pause ends); in-process API clients cannot be held, so their commands run.
 */
import type { Command } from "../commands/spec.js";
import type { Client } from "./client.js";
import type { ServerCore } from "./core.js";
import { processCommand } from "./dispatcher.js";
import { scriptingOf } from "../scripting/engine.js";
import { evalFlags } from "../scripting/flags.js";

/** A server's pause: its kind and end (Unix ms), and the clients held by it, oldest first. */
interface PauseState {
  type: "write" | "all";
  end: number;
  held: Client[];
  timer: NodeJS.Timeout | null;
  /** activeExpireEnabled before the pause (restored after it). */
  activeExpire: boolean;
}

/** Servers with a pause on: the dispatcher's check is one Map size test when none is. */
export const pauses = new Map<ServerCore, PauseState>();

/** The blockState of a held client (opaque to everything else). */
const HELD = { postponed: true };

/**
 * Pauses `server`'s clients until `end` (Unix ms), as Redis's pauseClients: a pause already on
 * keeps the stricter type and the later end.
 */
export function pauseClients(server: ServerCore, end: number, type: "write" | "all"): void {
  let state = pauses.get(server);
  if (!state) {
    state = { type, end, held: [], timer: null, activeExpire: server.activeExpireEnabled };
    pauses.set(server, state);
    server.activeExpireEnabled = false;
  } else {
    if (type === "all") state.type = "all";
    if (end > state.end) state.end = end;
  }
  armTimer(server, state);
}

function armTimer(server: ServerCore, state: PauseState): void {
  if (state.timer) clearTimeout(state.timer);
  const wait = Math.max(0, state.end - server.clock.now());
  // Past 2^31-1 ms setTimeout fires at once; the expiry is re-checked at each firing.
  state.timer = setTimeout(
    () => {
      state.timer = null;
      expireIfDue(server);
    },
    Math.min(wait + 1, 0x7fffffff),
  );
  state.timer.unref();
}

/** Ends the pause if its time has come (the clock may be a manual one); true if still paused. */
function expireIfDue(server: ServerCore): boolean {
  const state = pauses.get(server);
  if (!state) return false;
  if (server.clock.now() < state.end) {
    if (state.timer === null) armTimer(server, state);
    return true;
  }
  unpauseClients(server);
  return false;
}

/** CLIENT UNPAUSE (and a pause's end): held clients run their commands again, in order. */
export function unpauseClients(server: ServerCore): void {
  const state = pauses.get(server);
  if (!state) return;
  pauses.delete(server);
  if (state.timer) clearTimeout(state.timer);
  server.activeExpireEnabled = state.activeExpire;
  for (const client of state.held) {
    if (client.blockState !== HELD) continue;
    const transport = client.transport;
    if (client.closing || !transport?.runUnblocking) {
      client.blockState = null;
      continue;
    }
    transport.runUnblocking(() => {
      client.blockState = null;
      processCommand(client);
    });
  }
}

/**
 * The pause part of Redis 7.0's processCommand: true if `client`'s `command` is postponed (the
 * client is then held). `exempt` clients (monitors) are never paused.
 */
export function postponeIfPaused(client: Client, command: Command, exempt: boolean): boolean {
  const server = client.server;
  const state = pauses.get(server);
  if (!state || exempt || !expireIfDue(server)) return false;
  if (state.type === "write" && !maybeReplicates(client, command, client.argv)) return false;
  if (!client.transport?.runUnblocking) return false;
  client.blockState = HELD;
  state.held.push(client);
  return true;
}

/** Whether the pause type of `server` is on (CLIENT LIST, tests). */
export function pauseOf(server: ServerCore): "write" | "all" | null {
  return pauses.get(server)?.type ?? null;
}

/**
 * Commands Redis 7.0 flags `may_replicate` without `write` (COMMAND INFO does not show the flag,
 * so the generated metadata lacks it); checked on redis-server 7.0.15 by sending each to a
 * monitoring client and during CLIENT PAUSE WRITE.
 */
export const MAY_REPLICATE = new Set(["publish", "spublish", "pfcount", "eval", "evalsha", "fcall"]);

/** Redis's is_may_replicate_command: write or may-replicate, or EXEC of a queue holding one. */
function maybeReplicates(client: Client, command: Command, argv: readonly string[]): boolean {
  if (command.isWrite) return true;
  const name = command.fullName;
  if (name.startsWith("eval") || name.startsWith("fcall")) return scriptMayReplicate(client, command, argv);
  if (MAY_REPLICATE.has(name)) return true;
  if (name !== "exec" || client.multiQueue === null) return false;
  return client.multiQueue.some((q) => maybeReplicates(client, q.command, q.argv));
}

/**
 * A script run's flags as Redis's scriptFlagsToCmdFlags makes them: a script or function that
 * declares flags writes unless `no-writes` (and loses may_replicate); otherwise the command's own
 * flags (EVAL and FCALL may replicate, the `_RO` forms do not).
 */
function scriptMayReplicate(client: Client, command: Command, argv: readonly string[]): boolean {
  const name = command.fullName;
  const flags = name.startsWith("eval")
    ? evalFlags(client, command, argv)
    : argv.length >= 2
      ? (scriptingOf(client.server).findFunction(argv[1]!)?.flags ?? null)
      : null;
  if (flags === null) return MAY_REPLICATE.has(name);
  return !flags.has("no-writes");
}
