/**
 * Connection commands: PING, ECHO, QUIT, SELECT and the rest of Redis 7.0's connection family.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { readInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** PING [message] */
function pingCommand(c: Client): void {
  if (c.argv.length > 2) throw new RedisError(Err.wrongArity("ping"));
  if (c.subscriptionCount > 0 && c.resp === 2) {
    c.reply.array(2);
    c.reply.bulk("pong");
    c.reply.bulk(c.argv[1] ?? "");
    return;
  }
  if (c.argv.length === 2) c.reply.bulk(c.argv[1]!);
  else c.reply.simple("PONG");
}

/** ECHO message */
function echoCommand(c: Client): void {
  c.reply.bulk(c.argv[1]!);
}

/** QUIT */
function quitCommand(c: Client): void {
  c.reply.simple("OK");
  c.closing = true;
  c.transport?.close(true);
}

/** SELECT index */
function selectCommand(c: Client): void {
  const index = readInt(c.argv[1]!, "ERR value is not an integer or out of range");
  const db = c.server.keyspace.databases[index];
  if (!db || index < 0) throw new RedisError(Err.dbIndexOutOfRange);
  c.db = db;
  c.reply.simple("OK");
}

export const connectionCommands: CommandDefinition[] = [
  { name: "ping", handler: pingCommand },
  { name: "echo", handler: echoCommand },
  { name: "quit", handler: quitCommand },
  { name: "select", handler: selectCommand },
];
