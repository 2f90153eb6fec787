/**
 * MONITOR's feed and the per-client gate of Redis 7.0's processCommand that follows the busy-script
 * check: a monitoring client (Redis flags it as a replica) may not touch the keyspace, and CLIENT
 * PAUSE postpones commands (src/server/pause.ts).
 *
 * Feeding (Redis's replicationFeedMonitors, called from call()): once a command has run (failed
 * or not, blocked or not), every monitor receives `+<sec>.<usec> [<db> <addr>] "arg" ...`, the db
 * being the client's after the command (SELECT 1 shows 1). Not fed: commands refused before they
 * run, queued commands (they are fed when EXEC runs them, EXEC itself after them), `admin`
 * commands (CONFIG, CLIENT LIST, DEBUG, MONITOR...). EVAL, EVALSHA and FCALL (`skip_monitor`) are
 * fed by Redis as they begin, so that the commands of their script (`[<db> lua]`) follow them;
 * here, since the dispatcher calls in once after the command, the script's first command feeds
 * its caller's line first (see {@link feedMonitors}). AUTH's and HELLO's AUTH arguments are
 * redacted as Redis 7.0's handlers redact them.
 */
import type { Command } from "../commands/spec.js";
import { MonitorErr } from "../errors.js";
import { scriptingOf } from "../scripting/engine.js";
import type { Client } from "./client.js";
import type { ServerCore } from "./core.js";
import { MAY_REPLICATE, pauses, postponeIfPaused } from "./pause.js";

/** Number of monitoring clients over all servers: the dispatcher feeds only when it is not 0. */
export const monitoring = { count: 0 };

/** Monitoring clients of each server, in MONITOR order. */
const monitorsByServer = new WeakMap<ServerCore, Set<Client>>();

/** A script caller's argv already fed by its script's first command (see feedMonitors). */
let callerFedEarly: string[] | null = null;

/** Whether `client` is monitoring (CLIENT LIST flag O). */
export function isMonitor(client: Client): boolean {
  return monitorsByServer.get(client.server)?.has(client) ?? false;
}

/** Makes `client` a monitor; false if it already is one (Redis then answers nothing). */
export function addMonitor(client: Client): boolean {
  let set = monitorsByServer.get(client.server);
  if (!set) monitorsByServer.set(client.server, (set = new Set()));
  if (set.has(client)) return false;
  set.add(client);
  monitoring.count++;
  return true;
}

function removeMonitor(set: Set<Client>, client: Client): void {
  if (set.delete(client)) monitoring.count--;
}

/**
 * Feeds the command `client` just ran to the monitors of its server (see the file comment for
 * which commands show). Called by the dispatcher's call() only while {@link monitoring} counts a
 * monitor. Also where RESET and disconnections end monitoring.
 */
export function feedMonitors(client: Client, command: Command): void {
  const set = monitorsByServer.get(client.server);
  if (!set) return;
  // RESET ends monitoring before it is fed (a monitor does not see its own RESET).
  if (command.fullName === "reset") removeMonitor(set, client);
  for (const m of set) if (m.closing) removeMonitor(set, m);
  if (set.size === 0 || command.isAdmin) return;
  if (client.isScript) {
    const caller = scriptingOf(client.server).current?.caller;
    if (caller && caller.argv !== callerFedEarly) {
      callerFedEarly = caller.argv;
      send(set, monitorLine(caller, caller.argv));
    }
  } else if (command.meta.flags.includes("skip_monitor")) {
    // EVAL/EVALSHA/FCALL: fed here unless its script's first command fed it already.
    if (client.argv === callerFedEarly) {
      callerFedEarly = null;
      return;
    }
  }
  send(set, monitorLine(client, redacted(command, client.argv)));
}

function send(set: Set<Client>, line: string): void {
  for (const m of set) {
    m.reply.simple(line);
    m.transport?.pushed?.();
  }
}

/** The line Redis's replicationFeedMonitors builds (without `+` and CRLF). */
function monitorLine(client: Client, argv: readonly string[]): string {
  const us = client.server.clock.nowMicros();
  const sec = Math.floor(us / 1e6);
  const usec = String(us - sec * 1e6).padStart(6, "0");
  const who = client.isScript ? "lua" : (client.transport?.remoteAddress ?? "?:0");
  let line = `${sec}.${usec} [${client.db.id} ${who}]`;
  for (const arg of argv) line += " " + quoteRepr(arg);
  return line;
}

/** The arguments as Redis 7.0 shows them once AUTH / HELLO redacted their secrets. */
function redacted(command: Command, argv: readonly string[]): readonly string[] {
  const name = command.fullName;
  if (name === "auth") {
    // authCommand refuses more than 3 arguments before redacting.
    return argv.length > 3 ? argv : [argv[0]!, ...argv.slice(1).map(() => "(redacted)")];
  }
  if (name !== "hello" || argv.length < 2 || (argv[1] !== "2" && argv[1] !== "3")) return argv;
  // helloCommand redacts each AUTH pair as its option loop meets it, until an option it refuses.
  const out = argv.slice();
  for (let j = 2; j < out.length; j++) {
    const more = out.length - 1 - j;
    const opt = out[j]!.toLowerCase();
    if (opt === "auth" && more >= 2) {
      out[j + 1] = out[j + 2] = "(redacted)";
      j += 2;
    } else if (opt === "setname" && more >= 1 && /^[!-~]*$/.test(out[j + 1]!)) {
      // An invalid name ends the loop with its error (a later AUTH stays as sent).
      j++;
    } else {
      break;
    }
  }
  return out;
}

/**
 * A string quoted as Redis's sdscatrepr quotes it: `"` ... `"`, with `\\`, `\"`, `\n`, `\r`,
 * `\t`, `\a`, `\b`, printable ASCII as is and every other byte as `\xHH`.
 */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += "\\\\";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : "\\x" + c.toString(16).padStart(2, "0");
    }
  }
  return out + '"';
}

/** What {@link clientGate} returns when it postponed the command (CLIENT PAUSE). */
export const POSTPONED = "";

/**
 * The part of Redis 7.0's processCommand after the busy-script check, for `client` about to run
 * `command`: a monitor may run no read, write or may-replicate command; then CLIENT PAUSE may
 * postpone the command (see pause.ts). Returns the refusal, {@link POSTPONED}, or null to go on.
 */
export function clientGate(client: Client, command: Command): string | null {
  const monitor = monitoring.count !== 0 && isMonitor(client);
  if (monitor && (command.isWrite || command.isReadonly || MAY_REPLICATE.has(command.fullName))) {
    return MonitorErr.replicaKeyspace;
  }
  if (pauses.size !== 0 && postponeIfPaused(client, command, monitor)) return POSTPONED;
  return null;
}
