/**
 * CLIENT: connection introspection and control (ID, INFO, LIST, SETNAME, GETNAME, KILL, REPLY,
 * NO-EVICT, UNBLOCK, HELP), as in Redis 7.0; TRACKING, CACHING, GETREDIR and TRACKINGINFO live in
 * `client-tracking.ts`.
 */
import { aclOf } from "../acl/index.js";
import { ConnectionErr, Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { parseInt64 } from "../types/string.js";
import { eqi, syntaxError } from "./args.js";
import {
  clientCachingCommand,
  clientGetredirCommand,
  clientTrackingCommand,
  clientTrackinginfoCommand,
} from "./client-tracking.js";
import { setClientName } from "./connection.js";
import { isMonitor } from "../server/monitor.js";
import type { CommandDefinition } from "./spec.js";

/** Client types of CLIENT LIST TYPE and CLIENT KILL TYPE (Redis's getClientTypeByName). */
type ClientType = "normal" | "replica" | "pubsub" | "master";

function clientTypeByName(name: string): ClientType {
  const lower = name.toLowerCase();
  if (lower === "normal") return "normal";
  if (lower === "slave" || lower === "replica") return "replica";
  if (lower === "pubsub") return "pubsub";
  if (lower === "master") return "master";
  throw new RedisError(ConnectionErr.unknownClientType(name));
}

/** Redis's getClientType: reddish has no replication links, so only normal and pubsub occur. */
function clientType(c: Client): ClientType {
  return c.subscriptionCount > 0 ? "pubsub" : "normal";
}

/**
 * The clients CLIENT LIST and CLIENT KILL see: network connections, plus the calling client when
 * it is an in-process one (in-process callers are not connections, like Redis's fake clients).
 */
function visibleClients(caller: Client): Client[] {
  const out: Client[] = [];
  for (const other of caller.server.clients.values()) {
    if (other.transport !== null || other === caller) out.push(other);
  }
  return out;
}

/** Redis's client flags letters (CLIENT LIST flags=), in Redis's order. */
function clientFlags(c: Client): string {
  let flags = "";
  if (isMonitor(c)) flags += "O";
  if (c.subscriptionCount > 0) flags += "P";
  if (c.inMulti) flags += "x";
  if (c.unblock !== null) flags += "b";
  if (c.tracking !== null) flags += "t";
  if (c.tracking?.brokenRedirect) flags += "R";
  if (c.tracking?.bcast) flags += "B";
  if (c.dirtyCas) flags += "d";
  if (c.closing) flags += "c";
  if (c.noEvict) flags += "e";
  return flags || "N";
}

function argvBytes(argv: readonly string[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/**
 * One CLIENT LIST line (without the newline), with Redis 7.0's fields in Redis's order. Memory
 * and buffer figures are reddish's own approximations: they have the right names and types, and
 * the values describe reddish's buffers, not Redis's allocator.
 */
export function clientInfoString(c: Client, caller: Client): string {
  const now = c.server.clock.now();
  const transport = c.transport;
  const qbuf = transport?.queryBufferLength ?? 0;
  // Redis frees a client's argv once its command is done: only the running one has argv-mem.
  const argvMem = c === caller ? argvBytes(c.argv) : 0;
  // Queued arguments plus one pointer per argument, as Redis counts multi-mem.
  let multiMem = 0;
  if (c.multiQueue) for (const q of c.multiQueue) multiMem += argvBytes(q.argv) + 8 * q.argv.length;
  const omem = transport?.outputBufferLength ?? 0;
  const rbs = 16 * 1024;
  const totMem = 1024 + rbs + qbuf + argvMem + multiMem + omem;
  return (
    `id=${c.id}` +
    ` addr=${transport?.remoteAddress ?? ""}` +
    ` laddr=${transport?.localAddress ?? ""}` +
    ` fd=${transport?.fd ?? -1}` +
    ` name=${c.name}` +
    ` age=${Math.max(0, Math.floor((now - c.createdAt) / 1000))}` +
    ` idle=${Math.max(0, Math.floor((now - c.lastInteraction) / 1000))}` +
    ` flags=${clientFlags(c)}` +
    ` db=${c.db.id}` +
    ` sub=${c.channels.size}` +
    ` psub=${c.patterns.size}` +
    ` ssub=${c.shardChannels.size}` +
    ` multi=${c.multiQueue ? c.multiQueue.length : -1}` +
    ` qbuf=${qbuf}` +
    ` qbuf-free=0` +
    ` argv-mem=${argvMem}` +
    ` multi-mem=${multiMem}` +
    ` rbs=${rbs}` +
    ` rbp=0` +
    ` obl=0` +
    ` oll=0` +
    ` omem=${omem}` +
    ` tot-mem=${totMem}` +
    ` events=r${omem > 0 ? "w" : ""}` +
    ` cmd=${c.lastCommand?.fullName ?? "NULL"}` +
    ` user=${c.user}` +
    ` redir=${c.tracking === null ? -1 : c.tracking.redirect}` +
    ` resp=${c.resp}`
  );
}

/** CLIENT ID */
function clientIdCommand(c: Client): void {
  c.reply.integer(c.id);
}

/** CLIENT INFO */
function clientInfoCommand(c: Client): void {
  c.reply.verbatim(`${clientInfoString(c, c)}\n`);
}

/** CLIENT LIST [TYPE NORMAL | MASTER | REPLICA | PUBSUB] [ID client-id [client-id ...]] */
function clientListCommand(c: Client): void {
  const argv = c.argv;
  let text = "";
  if (argv.length === 4 && eqi(argv[2]!, "type")) {
    const type = clientTypeByName(argv[3]!);
    for (const other of visibleClients(c)) {
      if (clientType(other) === type) text += `${clientInfoString(other, c)}\n`;
    }
  } else if (argv.length > 3 && eqi(argv[2]!, "id")) {
    const visible = new Map(visibleClients(c).map((o) => [o.id, o]));
    const ids: number[] = [];
    for (let j = 3; j < argv.length; j++) {
      const id = parseInt64(argv[j]!);
      if (id === undefined) throw new RedisError(ConnectionErr.invalidClientId);
      ids.push(Number(id));
    }
    for (const id of ids) {
      const other = visible.get(id);
      if (other) text += `${clientInfoString(other, c)}\n`;
    }
  } else if (argv.length !== 2) {
    syntaxError();
  } else {
    for (const other of visibleClients(c)) text += `${clientInfoString(other, c)}\n`;
  }
  c.reply.verbatim(text);
}

/** CLIENT SETNAME connection-name */
function clientSetnameCommand(c: Client): void {
  setClientName(c, c.argv[2]!);
  c.reply.simple("OK");
}

/** CLIENT GETNAME */
function clientGetnameCommand(c: Client): void {
  if (c.name === "") c.reply.nullBulk();
  else c.reply.bulk(c.name);
}

/** Filters of CLIENT KILL's new form. */
interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  user?: string;
  skipMe: boolean;
}

/** Parses CLIENT KILL's options in order; the first bad option's error wins, as in Redis. */
function parseKillFilter(argv: readonly string[], userExists: (name: string) => boolean): KillFilter {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) syntaxError();
    if (eqi(opt, "id")) {
      const id = parseInt64(value);
      if (id === undefined || id < 1n) throw new RedisError(ConnectionErr.clientIdPositive);
      filter.id = Number(id);
    } else if (eqi(opt, "type")) {
      filter.type = clientTypeByName(value);
    } else if (eqi(opt, "addr")) {
      filter.addr = value;
    } else if (eqi(opt, "laddr")) {
      filter.laddr = value;
    } else if (eqi(opt, "user")) {
      if (!userExists(value)) throw new RedisError(ConnectionErr.noSuchUser(value));
      filter.user = value;
    } else if (eqi(opt, "skipme")) {
      if (eqi(value, "yes")) filter.skipMe = true;
      else if (eqi(value, "no")) filter.skipMe = false;
      else syntaxError();
    } else {
      syntaxError();
    }
  }
  return filter;
}

/**
 * CLIENT KILL ip:port
 * CLIENT KILL [ID client-id] [TYPE NORMAL | MASTER | REPLICA | PUBSUB] [USER username]
 *   [ADDR ip:port] [LADDR ip:port] [SKIPME YES | NO] [...]
 */
function clientKillCommand(c: Client): void {
  const oldForm = c.argv.length === 3;
  // The old form kills by address and may kill the caller itself.
  const filter: KillFilter = oldForm
    ? { addr: c.argv[2]!, skipMe: false }
    : parseKillFilter(c.argv, (name) => aclOf(c.server).get(name) !== undefined);
  const victims: Client[] = [];
  // Only connections can be killed: in-process callers are not connections.
  for (const other of c.server.clients.values()) {
    if (other.transport === null) continue;
    if (filter.addr !== undefined && (other.transport?.remoteAddress ?? "") !== filter.addr) continue;
    if (filter.laddr !== undefined && (other.transport?.localAddress ?? "") !== filter.laddr) continue;
    if (filter.type !== undefined && clientType(other) !== filter.type) continue;
    if (filter.id !== undefined && other.id !== filter.id) continue;
    if (filter.user !== undefined && other.user !== filter.user) continue;
    if (other === c && filter.skipMe) continue;
    victims.push(other);
  }
  if (oldForm && victims.length === 0) throw new RedisError(ConnectionErr.noSuchClient);
  let closeSelf = false;
  for (const victim of victims) {
    if (victim === c) closeSelf = true;
    else killClient(victim);
  }
  if (oldForm) c.reply.simple("OK");
  else c.reply.integer(victims.length);
  // The caller's own connection closes once this reply is written.
  if (closeSelf) {
    c.closing = true;
    c.transport?.close(true);
  }
}

/** Closes another client's connection at once. */
function killClient(victim: Client): void {
  victim.closing = true;
  victim.transport?.close(false);
}

/** CLIENT NO-EVICT ON | OFF */
function clientNoEvictCommand(c: Client): void {
  const arg = c.argv[2]!;
  if (eqi(arg, "on")) c.noEvict = true;
  else if (eqi(arg, "off")) c.noEvict = false;
  else syntaxError();
  c.reply.simple("OK");
}

/**
 * CLIENT REPLY ON | OFF | SKIP
 * OFF and SKIP send no reply; ON replies even when replies were off (the transport drops what is
 * written while `replyMode` is off or `skipThisReply` is set at the end of a command).
 */
function clientReplyCommand(c: Client): void {
  const arg = c.argv[2]!;
  if (eqi(arg, "on")) {
    c.replyMode = "on";
    c.skipThisReply = false;
    c.reply.simple("OK");
  } else if (eqi(arg, "off")) {
    c.replyMode = "off";
  } else if (eqi(arg, "skip")) {
    if (c.replyMode !== "off") c.replyMode = "skip";
  } else {
    syntaxError();
  }
}

/** CLIENT UNBLOCK client-id [TIMEOUT | ERROR] */
function clientUnblockCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length > 4) {
    throw new RedisError(Err.subcommandSyntax(argv[1]!, argv[0]!));
  }
  // The reason is checked before the id, as in Redis.
  let withError = false;
  if (argv.length === 4) {
    if (eqi(argv[3]!, "timeout")) withError = false;
    else if (eqi(argv[3]!, "error")) withError = true;
    else throw new RedisError(ConnectionErr.unblockReason);
  }
  const id = parseInt64(argv[2]!);
  if (id === undefined) throw new RedisError(Err.notInteger);
  const target = c.server.clients.get(Number(id));
  if (target?.unblock) {
    target.unblock(withError);
    c.reply.integer(1);
  } else {
    c.reply.integer(0);
  }
}

const HELP_LINES = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
  "HELP",
  "    Prints this help.",
];

/** CLIENT HELP */
function clientHelpCommand(c: Client): void {
  c.reply.array(HELP_LINES.length);
  for (const line of HELP_LINES) c.reply.simple(line);
}

export const clientCommands: CommandDefinition[] = [
  { name: "client|id", handler: clientIdCommand },
  { name: "client|info", handler: clientInfoCommand },
  { name: "client|list", handler: clientListCommand },
  { name: "client|setname", handler: clientSetnameCommand },
  { name: "client|getname", handler: clientGetnameCommand },
  { name: "client|kill", handler: clientKillCommand },
  { name: "client|no-evict", handler: clientNoEvictCommand },
  { name: "client|reply", handler: clientReplyCommand },
  { name: "client|tracking", handler: clientTrackingCommand },
  { name: "client|getredir", handler: clientGetredirCommand },
  { name: "client|trackinginfo", handler: clientTrackinginfoCommand },
  { name: "client|caching", handler: clientCachingCommand },
  { name: "client|unblock", handler: clientUnblockCommand },
  { name: "client|help", handler: clientHelpCommand },
];
