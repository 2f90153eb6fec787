/**
 * MONITOR: streams every command the server runs to the calling client (the feed itself is in
 * src/server/monitor.ts). A client that cannot receive unsolicited output (in MULTI, a script, an
 * in-process caller) is refused as Redis refuses CLIENT_DENY_BLOCKING clients.
 */
import { MonitorErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { addMonitor } from "../server/monitor.js";
import type { CommandDefinition } from "./spec.js";

/** MONITOR */
function monitorCommand(c: Client): void {
  if (c.inExec || c.isScript || typeof c.transport?.pushed !== "function") {
    throw new RedisError(MonitorErr.denyBlocking);
  }
  // Already monitoring: Redis ignores the command and answers nothing.
  if (addMonitor(c)) c.reply.simple("OK");
}

/** MONITOR and, later, CLIENT PAUSE / UNPAUSE. */
export const monitorCommands: CommandDefinition[] = [{ name: "monitor", handler: monitorCommand }];
