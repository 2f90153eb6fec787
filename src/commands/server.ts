/**
 * Server commands: FLUSHDB, FLUSHALL, DBSIZE, and (in sibling modules) INFO, CONFIG, DEBUG, MEMORY,
 * TIME, LASTSAVE, SAVE/BGSAVE.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** Redis's getFlushCommandFlags: `[ASYNC | SYNC]`, anything else is a syntax error. */
function checkFlushFlags(c: Client): void {
  if (c.argv.length === 1) return;
  if (c.argv.length === 2 && (eqi(c.argv[1]!, "sync") || eqi(c.argv[1]!, "async"))) return;
  throw new RedisError(Err.syntax);
}

/** FLUSHDB [ASYNC | SYNC] */
function flushdbCommand(c: Client): void {
  checkFlushFlags(c);
  c.db.flush();
  c.reply.simple("OK");
}

/** FLUSHALL [ASYNC | SYNC] */
function flushallCommand(c: Client): void {
  checkFlushFlags(c);
  for (const db of c.server.keyspace.databases) db.flush();
  c.reply.simple("OK");
}

/** DBSIZE */
function dbsizeCommand(c: Client): void {
  c.reply.integer(c.db.size);
}

export const serverCommands: CommandDefinition[] = [
  { name: "flushdb", handler: flushdbCommand },
  { name: "flushall", handler: flushallCommand },
  { name: "dbsize", handler: dbsizeCommand },
];
