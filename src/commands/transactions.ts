/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Commands are checked for existence and
 * arity when queued (a rejection dooms the transaction: EXECABORT) and their arguments are parsed
 * when EXEC runs them, so argument errors appear inside EXEC's reply array, as in Redis 7.0.
 * EXEC runs the queue synchronously: nothing else can interleave, so it is atomic.
 */
import { Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { call } from "../server/dispatcher.js";
import type { CommandDefinition } from "./spec.js";

/** MULTI */
function multiCommand(c: Client): void {
  if (c.multiQueue !== null) throw new RedisError(Err.multiNested);
  c.multiQueue = [];
  c.multiDirty = false;
  c.reply.simple("OK");
}

/** EXEC */
function execCommand(c: Client): void {
  const queue = c.multiQueue;
  if (queue === null) throw new RedisError(Err.execWithoutMulti);
  if (c.server.watches.watchedKeyExpired(c)) c.dirtyCas = true;
  if (c.multiDirty || c.dirtyCas) {
    const aborted = c.multiDirty;
    c.discardTransaction();
    if (aborted) throw new RedisError(Err.execAbort);
    c.reply.nullArray();
    return;
  }
  c.server.watches.unwatchAll(c);
  const origArgv = c.argv;
  const origCommand = c.command;
  c.multiQueue = null;
  c.inExec = true;
  c.reply.array(queue.length);
  try {
    for (const queued of queue) {
      c.argv = queued.argv;
      c.command = queued.command;
      call(c, queued.command);
    }
  } finally {
    c.inExec = false;
    c.argv = origArgv;
    c.command = origCommand;
    c.discardTransaction();
  }
}

/** DISCARD */
function discardCommand(c: Client): void {
  if (c.multiQueue === null) throw new RedisError(Err.discardWithoutMulti);
  c.discardTransaction();
  c.reply.simple("OK");
}

/** WATCH key [key ...] */
function watchCommand(c: Client): void {
  if (c.multiQueue !== null) throw new RedisError(Err.watchInMulti);
  // No point in watching once the transaction is already doomed (as in Redis).
  if (!c.dirtyCas) {
    for (let i = 1; i < c.argv.length; i++) {
      const key = c.argv[i]!;
      c.server.watches.watch(c, c.db, key, c.db.isLogicallyExpired(key));
    }
  }
  c.reply.simple("OK");
}

/** UNWATCH */
function unwatchCommand(c: Client): void {
  c.server.watches.unwatchAll(c);
  c.dirtyCas = false;
  c.reply.simple("OK");
}

export const transactionsCommands: CommandDefinition[] = [
  { name: "multi", handler: multiCommand },
  { name: "exec", handler: execCommand },
  { name: "discard", handler: discardCommand },
  { name: "watch", handler: watchCommand },
  { name: "unwatch", handler: unwatchCommand },
];
