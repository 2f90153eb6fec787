/**
 * DEBUG: the subset of Redis 7.0's DEBUG subcommands that make sense without an RDB file, a
 * replication link or jemalloc (SLEEP, SET-ACTIVE-EXPIRE, OBJECT, POPULATE, PROTOCOL, ERROR, LOG,
 * RELOAD, CHANGE-REPL-ID, HELP), plus reddish's test-clock subcommands:
 *
 * - `DEBUG FASTFORWARD <ms>`: moves the server clock forward by `ms` milliseconds, so TTLs run
 *   down without waiting. Replies `+OK`.
 * - `DEBUG SET-TIME <unix-ms>`: sets the server clock to a Unix time in milliseconds. Replies `+OK`.
 *
 * Both need a controllable clock (`fastForward` / `setTime`), which every clock startServer makes
 * is; otherwise they reply with an error. Other subcommands answer Redis's "unknown subcommand"
 * error.
 */
import { Err, RedisError, ServerErr } from "../errors.js";
import type { ControllableClock } from "../keyspace/clock.js";
import type { Client } from "../server/client.js";
import { RawString, stringEncoding } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { eqi, readNonNegativeInt } from "./args.js";
import { replyHelp } from "./command.js";
import { valueSize } from "./server-memory.js";
import { serverState, setActiveExpire } from "./server-state.js";
import { randomBytes } from "node:crypto";

/** C's strtod on a prefix ("1.5s" is 1.5, garbage is 0). */
function strtod(text: string): number {
  const v = parseFloat(text);
  return Number.isNaN(v) ? 0 : v;
}

/** C's atoi. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * Blocks the whole server for `ms` milliseconds, as Redis's DEBUG SLEEP does: a synchronous wait
 * on the event-loop thread (Atomics.wait, which sleeps without burning CPU). Nothing else runs
 * meanwhile.
 */
function blockFor(ms: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) Atomics.wait(cell, 0, 0, left);
}

/** Length in bytes of an RDB length prefix. */
function rdbLenSize(len: number): number {
  if (len < 1 << 6) return 1;
  if (len < 1 << 14) return 2;
  if (len <= 0xffffffff) return 5;
  return 9;
}

/** RDB-serialized length of a value (DEBUG OBJECT serializedlength), estimated for collections. */
function serializedLength(value: RedisValue): number {
  if (typeof value === "string" || value instanceof RawString) {
    const s = typeof value === "string" ? value : value.toString();
    if (s.length <= 11 && /^(?:0|-?[1-9]\d*)$/.test(s)) {
      const n = Number(s);
      if (n >= -128 && n <= 127) return 2;
      if (n >= -32768 && n <= 32767) return 3;
      if (n >= -2147483648 && n <= 2147483647) return 5;
    }
    return rdbLenSize(s.length) + s.length;
  }
  return Math.max(1, Math.floor(valueSize(value, 5) / 2));
}

function encodingOf(value: RedisValue): string {
  return typeof value === "string" || value instanceof RawString ? stringEncoding(value) : value.encoding();
}

/** A stable pretend address for `Value at:`. */
function fakeAddress(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `0x7f${(h >>> 0).toString(16).padStart(8, "0")}00`;
}

/** DEBUG OBJECT key */
function debugObject(c: Client): void {
  const key = c.argv[2]!;
  const value = c.db.peek(key);
  if (value === undefined) throw new RedisError(Err.noSuchKey);
  const idle = c.db.idleSeconds(key) ?? 0;
  const lru = (c.server.keyspace.lruClock() - idle) & 0xffffff;
  const encoding = encodingOf(value);
  const maxmemory = c.server.config.get("maxmemory");
  const policy = c.server.config.get("maxmemory-policy");
  const shared =
    encoding === "int" &&
    Number(value) >= 0 &&
    Number(value) < 10000 &&
    (maxmemory === "0" || !/lru|lfu/.test(policy));
  c.reply.simple(
    `Value at:${fakeAddress(key)} refcount:${shared ? 2147483647 : 1} encoding:${encoding} ` +
      `serializedlength:${serializedLength(value)} lru:${lru} lru_seconds_idle:${idle}`,
  );
}

/** DEBUG POPULATE count [prefix] [size] */
function debugPopulate(c: Client): void {
  const count = readNonNegativeInt(c.argv[2]!, ServerErr.positiveValue);
  const size = c.argv.length === 5 ? readNonNegativeInt(c.argv[4]!, ServerErr.positiveValue) : 0;
  const prefix = c.argv.length >= 4 ? c.argv[3]! : "key";
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, 127);
    if (c.db.lookupWrite(key) !== undefined) continue;
    let value = `value:${j}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value.padEnd(size, "\0");
    c.db.add(key, value);
    c.server.keyspace.signalModified(c.db, key);
  }
  c.reply.simple("OK");
}

/** A writer able to emit raw protocol (for RESP3 attributes). */
interface RawWriter {
  raw(text: string): void;
}

/** DEBUG PROTOCOL type: a sample reply of each RESP type. */
function debugProtocol(c: Client): void {
  const r = c.reply;
  const type = c.argv[2]!.toLowerCase();
  switch (type) {
    case "string":
      return r.bulk("Hello World");
    case "integer":
      return r.integer(12345);
    case "double":
      return r.double(3.141);
    case "bignum":
      return r.bigNumber("1234567999999999999999999999999999999");
    case "null":
      return r.nullBulk();
    case "array":
      r.array(3);
      for (let i = 0; i < 3; i++) r.integer(i);
      return;
    case "set":
      r.set(3);
      for (let i = 0; i < 3; i++) r.integer(i);
      return;
    case "map":
      r.map(3);
      for (let i = 0; i < 3; i++) {
        r.integer(i);
        r.boolean(i === 1);
      }
      return;
    case "attrib":
      if (c.resp === 3 && typeof (r as unknown as Partial<RawWriter>).raw === "function") {
        (r as unknown as RawWriter).raw("|1\r\n");
        r.bulk("key-popularity");
        r.array(2);
        r.bulk("key:123");
        r.integer(90);
      }
      return r.bulk("Some real reply following the attribute");
    case "push":
      if (c.resp < 3) throw new RedisError(ServerErr.resp2NotSupported);
      r.push(2);
      r.bulk("server-cpu-usage");
      r.integer(42);
      return r.bulk("Some real reply following the push reply");
    case "true":
      return r.boolean(true);
    case "false":
      return r.boolean(false);
    case "verbatim":
      return r.verbatim("This is a verbatim\nstring");
    default:
      throw new RedisError(ServerErr.protocolType);
  }
}

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: reddish keeps no RDB, so the data set stays as is. */
function debugReload(c: Client): void {
  for (const opt of c.argv.slice(2)) {
    if (!eqi(opt, "merge") && !eqi(opt, "noflush") && !eqi(opt, "nosave")) {
      throw new RedisError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
  }
  c.reply.simple("OK");
}

function controllableClock(c: Client): ControllableClock {
  const clock = c.server.clock as Partial<ControllableClock>;
  if (typeof clock.fastForward !== "function" || typeof clock.setTime !== "function") {
    throw new RedisError(ServerErr.clockNotControllable);
  }
  return clock as ControllableClock;
}

/** DEBUG FASTFORWARD ms (reddish only) */
function debugFastForward(c: Client): void {
  const ms = readNonNegativeInt(c.argv[2]!, ServerErr.fastForwardRange);
  controllableClock(c).fastForward(ms);
  c.reply.simple("OK");
}

/** DEBUG SET-TIME unix-ms (reddish only) */
function debugSetTime(c: Client): void {
  const arg = c.argv[2]!;
  if (!/^-?\d{1,16}$/.test(arg)) throw new RedisError(ServerErr.setTimeValue);
  controllableClock(c).setTime(Number(arg));
  c.reply.simple("OK");
}

/** DEBUG HELP: the subcommands reddish supports. */
function debugHelp(c: Client): void {
  replyHelp(c, [
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "RELOAD [option ...]",
    "    reddish keeps no RDB file: the data set is kept as it is. Valid <option>",
    "    values: MERGE, NOFLUSH, NOSAVE.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "FASTFORWARD <milliseconds>",
    "    (reddish) Move the server clock forward by <milliseconds>.",
    "SET-TIME <unix-time-milliseconds>",
    "    (reddish) Set the server clock to the given Unix time in milliseconds.",
  ]);
}

/** DEBUG subcommand [argument ...] */
function debugCommand(c: Client): void {
  const sub = c.argv[1]!.toLowerCase();
  const argc = c.argv.length;
  if (sub === "help" && argc === 2) return debugHelp(c);
  if (sub === "sleep" && argc === 3) {
    const ms = strtod(c.argv[2]!) * 1000;
    if (ms > 0) blockFor(ms);
    return c.reply.simple("OK");
  }
  if (sub === "set-active-expire" && argc === 3) {
    setActiveExpire(c.server, atoi(c.argv[2]!) !== 0);
    return c.reply.simple("OK");
  }
  if (sub === "object" && argc === 3) return debugObject(c);
  if (sub === "populate" && argc >= 3 && argc <= 5) return debugPopulate(c);
  if (sub === "protocol" && argc === 3) return debugProtocol(c);
  if (sub === "error" && argc === 3) throw new RedisError(c.argv[2]!.replace(/[\r\n]/g, " "));
  if (sub === "log" && argc === 3) return c.reply.simple("OK");
  if (sub === "reload") return debugReload(c);
  if (sub === "change-repl-id" && argc === 2) {
    serverState(c.server).replId = randomBytes(20).toString("hex");
    return c.reply.simple("OK");
  }
  if (sub === "fastforward" && argc === 3) return debugFastForward(c);
  if (sub === "set-time" && argc === 3) return debugSetTime(c);
  throw new RedisError(ServerErr.debugSyntax(c.argv[1]!));
}

export const debugCommands = [{ name: "debug", handler: debugCommand }];
