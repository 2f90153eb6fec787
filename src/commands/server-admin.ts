/**
 * Administrative commands of a standalone master: SHUTDOWN, ROLE, WAIT, READONLY, READWRITE.
 * reddish has no replicas and no cluster mode, so these answer as a Redis 7.0 master with no
 * replicas and `cluster-enabled no` does.
 */
import { Err, RedisError, ServerErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { blockForKeys, canBlock } from "../server/blocking.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { parseInt64 } from "../types/string.js";

/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
 *
 * Closes every connection without a reply and stops the server (the embedded server closes; the
 * CLI exits). Nothing is saved: reddish keeps no files. No shutdown is ever in progress (there are
 * no replicas to wait for), so ABORT always fails.
 */
function shutdownCommand(c: Client): void {
  let save = false;
  let nosave = false;
  let abort = false;
  let flags = 0;
  for (const arg of c.argv.slice(1)) {
    if (eqi(arg, "nosave")) nosave = true;
    else if (eqi(arg, "save")) save = true;
    else if (eqi(arg, "now") || eqi(arg, "force")) flags++;
    else if (eqi(arg, "abort")) abort = true;
    else throw new RedisError(Err.syntax);
  }
  if ((abort && (save || nosave || flags > 0)) || (save && nosave)) throw new RedisError(Err.syntax);
  if (abort) throw new RedisError(ServerErr.noShutdown);
  c.server.shutdown();
}

/** ROLE */
function roleCommand(c: Client): void {
  c.reply.array(3);
  c.reply.bulk("master");
  c.reply.integer(0);
  c.reply.array(0);
}

/**
 * WAIT numreplicas timeout
 *
 * With no replicas, WAIT 0 answers 0 at once; asking for replicas blocks until the timeout (in ms;
 * 0 waits forever) and answers 0, as Redis does. Inside MULTI (and for in-process callers) it
 * answers at once.
 */
function waitCommand(c: Client): void {
  const numReplicas = parseInt64(c.argv[1]!);
  if (numReplicas === undefined) throw new RedisError(Err.notInteger);
  const timeout = parseInt64(c.argv[2]!);
  if (timeout === undefined) throw new RedisError(ServerErr.timeoutNotInteger);
  if (timeout < 0n) throw new RedisError(ServerErr.timeoutNegative);
  if (numReplicas <= 0n || !canBlock(c)) {
    c.reply.integer(0);
    return;
  }
  const deadline = timeout === 0n ? 0 : c.server.clock.now() + Number(timeout);
  blockForKeys(c, c.db, [], deadline, () => false, { onTimeout: (client) => client.reply.integer(0) });
}

/** READONLY and READWRITE: cluster-only. */
function clusterOnlyCommand(): void {
  throw new RedisError(ServerErr.clusterDisabled);
}

export const adminCommands: CommandDefinition[] = [
  { name: "shutdown", handler: shutdownCommand },
  { name: "role", handler: roleCommand },
  { name: "wait", handler: waitCommand },
  { name: "readonly", handler: clusterOnlyCommand },
  { name: "readwrite", handler: clusterOnlyCommand },
];
