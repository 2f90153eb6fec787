/**
 * Connection commands: PING, ECHO, HELLO, AUTH, SELECT, SWAPDB, QUIT, RESET (Redis 7.0's
 * connection family; CLIENT lives in `client.ts`).
 */
import { aclLogAuthFailure, aclOf } from "../acl/index.js";
import { ConnectionErr, Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { parseInt64 } from "../types/string.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";

/** The server name and version reddish reports (HELLO, INFO) so clients treat it as Redis 7.0. */
export const REDIS_COMPAT_VERSION = "7.0.15";

const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;

/**
 * Redis's getIntFromObjectOrReply: a 32-bit signed integer. `message` replaces both the
 * not-an-integer and the out-of-range errors when given, as in Redis.
 */
function readInt32(arg: string, message?: string): number {
  const v = parseInt64(arg);
  if (v === undefined) throw new RedisError(message ?? Err.notInteger);
  if (v < INT32_MIN || v > INT32_MAX) throw new RedisError(message ?? ConnectionErr.intOutOfRange);
  return Number(v);
}

/**
 * Redis's validateClientName: every byte must be printable ASCII without spaces (0x21..0x7e),
 * so CLIENT LIST stays splittable on spaces. Throws the Redis error otherwise.
 */
export function validateClientName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e) throw new RedisError(ConnectionErr.clientName);
  }
}

/** Sets (or, with an empty name, clears) the connection name after {@link validateClientName}. */
export function setClientName(c: Client, name: string): void {
  validateClientName(name);
  c.name = name;
}

/**
 * Redis's ACLAuthenticateUser: the user must exist, be on, and accept the password (see the ACL
 * store). On success the client becomes authenticated as that user; a failure leaves its state alone.
 */
function authenticate(c: Client, user: string, password: string): boolean {
  if (!aclOf(c.server).authenticate(user, password)) {
    aclLogAuthFailure(c, user);
    return false;
  }
  c.authenticated = true;
  c.user = user;
  return true;
}

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

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function helloCommand(c: Client): void {
  const argv = c.argv;
  let version = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseInt64(argv[next++]!);
    if (v === undefined) throw new RedisError(ConnectionErr.helloProtover);
    if (v < 2n || v > 3n) throw new RedisError(Err.protocolVersion);
    version = Number(v);
  }
  // Redis 7.0 applies AUTH and SETNAME as it meets them: a later bad option leaves earlier ones
  // in effect (a name set before a failed AUTH stays set).
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (eqi(opt, "auth") && more >= 2) {
      if (!authenticate(c, argv[j + 1]!, argv[j + 2]!)) throw new RedisError(Err.wrongPass);
      j += 2;
    } else if (eqi(opt, "setname") && more >= 1) {
      setClientName(c, argv[j + 1]!);
      j++;
    } else {
      throw new RedisError(ConnectionErr.helloOption(opt));
    }
  }
  if (!c.authenticated) throw new RedisError(ConnectionErr.helloNoAuth);
  if (version) c.reply.resp = version as 2 | 3;
  const r = c.reply;
  r.map(7);
  r.bulk("server");
  r.bulk("redis");
  r.bulk("version");
  r.bulk(REDIS_COMPAT_VERSION);
  r.bulk("proto");
  r.integer(c.resp);
  r.bulk("id");
  r.integer(c.id);
  r.bulk("mode");
  r.bulk("standalone");
  r.bulk("role");
  r.bulk("master");
  r.bulk("modules");
  r.array(0);
}

/** AUTH [username] password */
function authCommand(c: Client): void {
  if (c.argv.length > 3) throw new RedisError(Err.syntax);
  let user = "default";
  let password: string;
  if (c.argv.length === 2) {
    // The old one-argument form is an error while the default user is nopass.
    if (aclOf(c.server).get("default")!.nopass) throw new RedisError(Err.authNotConfigured);
    password = c.argv[1]!;
  } else {
    user = c.argv[1]!;
    password = c.argv[2]!;
  }
  if (!authenticate(c, user, password)) throw new RedisError(Err.wrongPass);
  c.reply.simple("OK");
}

/** QUIT */
function quitCommand(c: Client): void {
  c.reply.simple("OK");
  c.closing = true;
  c.transport?.close(true);
}

/** SELECT index */
function selectCommand(c: Client): void {
  const index = readInt32(c.argv[1]!);
  const db = index >= 0 ? c.server.keyspace.databases[index] : undefined;
  if (!db) throw new RedisError(Err.dbIndexOutOfRange);
  c.db = db;
  c.reply.simple("OK");
}

/** SWAPDB index1 index2 */
function swapdbCommand(c: Client): void {
  const first = readInt32(c.argv[1]!, ConnectionErr.swapdbFirst);
  const second = readInt32(c.argv[2]!, ConnectionErr.swapdbSecond);
  const dbs = c.server.keyspace.databases;
  const a = first >= 0 ? dbs[first] : undefined;
  const b = second >= 0 ? dbs[second] : undefined;
  if (!a || !b) throw new RedisError(Err.dbIndexOutOfRange);
  if (a !== b) {
    // Watchers of a key are touched if it exists on either side (before or after the swap).
    c.server.watches.databaseSwapped(a, b);
    c.server.watches.databaseSwapped(b, a);
    a.swapContents(b);
    // Blocked clients stay with their database number: keys they wait for may now exist.
    c.server.blocking.databaseSwapped(a, b);
    c.server.evictor.databaseSwapped(a, b);
  }
  c.reply.simple("OK");
}

/**
 * Redis's clearClientConnectionState: back to a fresh connection's state (database 0, RESP2, no
 * transaction or WATCHes, no name, replies on, no-evict off, default authentication).
 */
export function resetClientState(c: Client): void {
  c.server.tracking.disable(c);
  c.db = c.server.keyspace.databases[0]!;
  c.reply.resp = 2;
  c.user = "default";
  // Redis's clearClientConnectionState: authenticated if the default user is on and nopass.
  const defaultUser = aclOf(c.server).get("default")!;
  c.authenticated = defaultUser.enabled && defaultUser.nopass;
  c.discardTransaction();
  c.server.pubsub.removeClient(c);
  c.name = "";
  c.noEvict = false;
  c.noTouch = false;
  // Replies go back on (CLIENT REPLY OFF and a pending SKIP are cleared), but a RESET whose own
  // reply is being skipped stays silent, as in Redis.
  c.replyMode = "on";
}

/** RESET */
function resetCommand(c: Client): void {
  resetClientState(c);
  c.reply.simple("RESET");
}

export const connectionCommands: CommandDefinition[] = [
  { name: "ping", handler: pingCommand },
  { name: "echo", handler: echoCommand },
  { name: "hello", handler: helloCommand },
  { name: "auth", handler: authCommand },
  { name: "quit", handler: quitCommand },
  { name: "select", handler: selectCommand },
  { name: "swapdb", handler: swapdbCommand },
  { name: "reset", handler: resetCommand },
];
