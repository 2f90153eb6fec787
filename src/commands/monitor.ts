/**
 * MONITOR (streams every command the server runs to the calling client; the feed itself is in
 * src/server/monitor.ts) and CLIENT PAUSE / UNPAUSE (src/server/pause.ts). A client that cannot receive unsolicited output (in MULTI, a script, an
 * in-process caller) is refused as Redis refuses CLIENT_DENY_BLOCKING clients.
 */
import { ConnectionErr, Err, MonitorErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { addMonitor } from "../server/monitor.js";
import { pauseClients, unpauseClients } from "../server/pause.js";
import { parseInt64 } from "../types/string.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** MONITOR */
function monitorCommand(c: Client): void {
  if (c.inExec || c.isScript || typeof c.transport?.pushed !== "function") {
    throw new RedisError(MonitorErr.denyBlocking);
  }
  // Already monitoring: Redis ignores the command and answers nothing.
  if (addMonitor(c)) c.reply.simple("OK");
}

/** CLIENT PAUSE timeout [WRITE | ALL] */
function clientPauseCommand(c: Client): void {
  const ms = parseInt64(c.argv[2]!);
  if (ms === undefined) throw new RedisError(ConnectionErr.pauseTimeout);
  if (ms < 0n) throw new RedisError(ConnectionErr.pauseNegative);
  let type: "write" | "all" = "all";
  if (c.argv.length > 4) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "client"));
  if (c.argv.length === 4) {
    if (eqi(c.argv[3]!, "write")) type = "write";
    else if (!eqi(c.argv[3]!, "all")) throw new RedisError(ConnectionErr.pauseMode);
  }
  const now = c.server.clock.now();
  // Ends past 2^53 ms are as good as never.
  pauseClients(c.server, Math.min(now + Number(ms), Number.MAX_SAFE_INTEGER), type);
  c.reply.simple("OK");
}

/** CLIENT UNPAUSE */
function clientUnpauseCommand(c: Client): void {
  unpauseClients(c.server);
  c.reply.simple("OK");
}

/** MONITOR, CLIENT PAUSE and CLIENT UNPAUSE. */
export const monitorCommands: CommandDefinition[] = [
  { name: "monitor", handler: monitorCommand },
  { name: "client|pause", handler: clientPauseCommand },
  { name: "client|unpause", handler: clientUnpauseCommand },
];
