/**
 * Server commands: FLUSHDB, FLUSHALL, DBSIZE, TIME, LASTSAVE, SAVE, BGSAVE here; INFO, CONFIG,
 * DEBUG, MEMORY, SLOWLOG/LATENCY and SHUTDOWN/ROLE/WAIT in the sibling `server-*.ts` modules.
 *
 * Persistence: reddish keeps no files. SAVE and BGSAVE succeed at once without writing anything
 * (a save that completes instantly), updating LASTSAVE and INFO persistence as a real save would;
 * so BGSAVE never finds a save in progress.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { adminCommands } from "./server-admin.js";
import { configCommands } from "./server-config.js";
import { debugCommands } from "./server-debug.js";
import { infoCommands } from "./server-info.js";
import { memoryCommands } from "./server-memory.js";
import { slowlogCommands } from "./server-slowlog.js";
import { recordSave } from "./server-state.js";

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
  // Like Redis, FLUSHALL saves the (now empty) data set when save points are configured.
  if (c.server.config.get("save") !== "") recordSave(c.server);
  c.reply.simple("OK");
}

/** DBSIZE */
function dbsizeCommand(c: Client): void {
  c.reply.integer(c.db.size);
}

/** TIME */
function timeCommand(c: Client): void {
  const micros = c.server.clock.nowMicros();
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(micros / 1e6)));
  c.reply.bulk(String(micros % 1e6));
}

/** LASTSAVE */
function lastsaveCommand(c: Client): void {
  c.reply.integer(c.server.lastSave);
}

/** SAVE */
function saveCommand(c: Client): void {
  recordSave(c.server);
  c.reply.simple("OK");
}

/** BGSAVE [SCHEDULE] */
function bgsaveCommand(c: Client): void {
  if (c.argv.length > 1 && !(c.argv.length === 2 && eqi(c.argv[1]!, "schedule"))) {
    throw new RedisError(Err.syntax);
  }
  recordSave(c.server);
  c.reply.simple("Background saving started");
}

export const serverCommands: CommandDefinition[] = [
  { name: "flushdb", handler: flushdbCommand },
  { name: "flushall", handler: flushallCommand },
  { name: "dbsize", handler: dbsizeCommand },
  { name: "time", handler: timeCommand },
  { name: "lastsave", handler: lastsaveCommand },
  { name: "save", handler: saveCommand },
  { name: "bgsave", handler: bgsaveCommand },
  ...infoCommands,
  ...configCommands,
  ...debugCommands,
  ...memoryCommands,
  ...adminCommands,
  ...slowlogCommands,
];
