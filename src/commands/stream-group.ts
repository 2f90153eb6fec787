/**
 * Consumer-group commands of Redis 7.0's t_stream.c: XGROUP (CREATE, SETID, DESTROY,
 * CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM and XAUTOCLAIM. Idle times and
 * delivery times come from the server clock.
 */
import { Err, RedisError, StreamErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import {
  MAX_ID,
  MIN_ID,
  readIntervalId,
  readStreamId,
  parseStreamId,
  UINT64_MAX,
  type StreamId,
} from "../types/stream-id.js";
import {
  IdMap,
  INVALID_ENTRIES_READ,
  StreamValue,
  type Consumer,
  type ConsumerGroup,
  type Nack,
} from "../types/stream.js";
import { eqi, readBigInt } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";
import { lookupStreamRead, lookupStreamWrite, nowMs, replyEntry, replyId } from "./stream-common.js";

/** Looks a consumer up, refreshing its seen-time unless `noRefresh` (streamLookupConsumer). */
export function lookupConsumer(
  c: Client,
  group: ConsumerGroup,
  name: string,
  noRefresh = false,
): Consumer | undefined {
  const consumer = group.consumers.get(name);
  if (consumer && !noRefresh) consumer.seenTime = nowMs(c);
  return consumer;
}

/** Creates a consumer (streamCreateConsumer): raises `xgroup-createconsumer`. Undefined if it exists. */
export function createConsumer(
  c: Client,
  group: ConsumerGroup,
  name: string,
  key: string,
): Consumer | undefined {
  if (group.consumers.has(name)) return undefined;
  const consumer: Consumer = { name, seenTime: nowMs(c), pel: new IdMap<Nack>() };
  group.consumers.set(name, consumer);
  c.server.dirty++;
  c.server.keyspace.notify(c.db, NotifyClass.stream, "xgroup-createconsumer", key);
  return consumer;
}

/** The consumer named `name`, created if missing (XREADGROUP, XCLAIM, XAUTOCLAIM). */
export function lookupOrCreateConsumer(c: Client, group: ConsumerGroup, name: string, key: string): Consumer {
  return lookupConsumer(c, group, name) ?? createConsumer(c, group, name, key)!;
}

/** Consumers in Redis's (byte) order. */
export function sortedConsumers(group: ConsumerGroup): Consumer[] {
  return [...group.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads ENTRIESREAD's value: a 64-bit integer ≥ 0, or -1. */
function readEntriesRead(arg: string): number {
  const v = readBigInt(arg);
  if (v < 0n && v !== -1n) throw new RedisError(StreamErr.entriesReadRange);
  return Number(v);
}

/** The common part of XGROUP's subcommands: option parsing, key and group checks. */
function xgroupPrologue(c: Client): {
  s: StreamValue | undefined;
  group: ConsumerGroup | undefined;
  mkstream: boolean;
  entriesRead: number;
} {
  const argv = c.argv;
  const sub = argv[1]!.toLowerCase();
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (sub === "create" || sub === "setid") {
    for (let i = 5; i < argv.length;) {
      if (sub === "create" && eqi(argv[i]!, "mkstream")) {
        mkstream = true;
        i++;
      } else if (eqi(argv[i]!, "entriesread") && i + 1 < argv.length) {
        entriesRead = readEntriesRead(argv[i + 1]!);
        i += 2;
      } else {
        throw new RedisError(Err.subcommandSyntax(argv[1]!, "xgroup"));
      }
    }
  }
  const s = lookupStreamWrite(c, argv[2]!);
  if (s === undefined && !mkstream) throw new RedisError(StreamErr.xgroupKeyMissing);
  const group = s?.groups.get(argv[3]!);
  if (group === undefined && (sub === "setid" || sub === "createconsumer" || sub === "delconsumer")) {
    throw new RedisError(StreamErr.noGroupForKey(argv[3]!, argv[2]!));
  }
  return { s, group, mkstream, entriesRead };
}

/** XGROUP CREATE key group id | $ [MKSTREAM] [ENTRIESREAD entries-read] */
function xgroupCreateCommand(c: Client): void {
  const { s: existing, entriesRead } = xgroupPrologue(c);
  const argv = c.argv;
  if (argv.length > 8) throw new RedisError(Err.subcommandSyntax(argv[1]!, "xgroup"));
  const id = argv[4] === "$" ? (existing?.lastId ?? MIN_ID) : readStreamId(argv[4]!, 0n, true);
  const key = argv[2]!;
  let s = existing;
  if (s === undefined) {
    s = new StreamValue();
    c.db.add(key, s);
    c.server.keyspace.signalModified(c.db, key);
  }
  if (s.createGroup(argv[3]!, id, entriesRead) === undefined) throw new RedisError(StreamErr.busyGroup);
  c.reply.simple("OK");
  c.server.dirty++;
  c.server.keyspace.notify(c.db, NotifyClass.stream, "xgroup-create", key);
}

/** XGROUP SETID key group id | $ [ENTRIESREAD entries-read] */
function xgroupSetidCommand(c: Client): void {
  const { s, group, entriesRead } = xgroupPrologue(c);
  const argv = c.argv;
  if (argv.length !== 5 && argv.length !== 7) throw new RedisError(Err.subcommandSyntax(argv[1]!, "xgroup"));
  const id = argv[4] === "$" ? s!.lastId : readStreamId(argv[4]!, 0n, false);
  group!.lastId = id;
  group!.entriesRead = entriesRead;
  c.reply.simple("OK");
  c.server.dirty++;
  c.server.keyspace.notify(c.db, NotifyClass.stream, "xgroup-setid", argv[2]!);
}

/** XGROUP DESTROY key group */
function xgroupDestroyCommand(c: Client): void {
  const { s, group } = xgroupPrologue(c);
  if (group === undefined) {
    c.reply.integer(0);
    return;
  }
  const key = c.argv[2]!;
  s!.groups.delete(group.name);
  c.reply.integer(1);
  c.server.dirty++;
  c.server.keyspace.notify(c.db, NotifyClass.stream, "xgroup-destroy", key);
  // Clients blocked in XREADGROUP on this group get -NOGROUP.
  c.server.keyspace.signalReady(c.db, key);
}

/** XGROUP CREATECONSUMER key group consumer */
function xgroupCreateconsumerCommand(c: Client): void {
  const { group } = xgroupPrologue(c);
  const created = createConsumer(c, group!, c.argv[4]!, c.argv[2]!);
  c.reply.integer(created ? 1 : 0);
}

/** XGROUP DELCONSUMER key group consumer */
function xgroupDelconsumerCommand(c: Client): void {
  const { group } = xgroupPrologue(c);
  const consumer = lookupConsumer(c, group!, c.argv[4]!, true);
  let pending = 0;
  if (consumer) {
    pending = consumer.pel.size;
    for (const [id] of [...consumer.pel.entries()]) group!.pel.delete(id);
    group!.consumers.delete(consumer.name);
    c.server.dirty++;
    c.server.keyspace.notify(c.db, NotifyClass.stream, "xgroup-delconsumer", c.argv[2]!);
  }
  c.reply.integer(pending);
}

/** XGROUP HELP */
function xgroupHelpCommand(c: Client): void {
  replyHelp(c, [
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
  ]);
}

/** XACK key group id [id ...] */
function xackCommand(c: Client): void {
  const s = lookupStreamRead(c, c.argv[1]!);
  const group = s?.groups.get(c.argv[2]!);
  if (group === undefined) {
    c.reply.integer(0);
    return;
  }
  const ids = c.argv.slice(3).map((a) => readStreamId(a, 0n, true));
  let acked = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (nack === undefined) continue;
    group.pel.delete(id);
    nack.consumer?.pel.delete(id);
    acked++;
    c.server.dirty++;
  }
  c.reply.integer(acked);
}

/** The group of `key`, or the NOGROUP error of XPENDING/XCLAIM/XAUTOCLAIM. */
function groupOrError(s: StreamValue | undefined, key: string, name: string): ConsumerGroup {
  const group = s?.groups.get(name);
  if (group === undefined) throw new RedisError(StreamErr.noKeyOrGroup(key, name));
  return group;
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpendingCommand(c: Client): void {
  const argv = c.argv;
  const justInfo = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) throw new RedisError(Err.syntax);
  let start = MIN_ID;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | undefined;
  if (argv.length >= 6) {
    let startIdx = 3;
    if (eqi(argv[3]!, "idle")) {
      minIdle = Number(readBigInt(argv[4]!));
      if (argv.length < 8) throw new RedisError(Err.syntax);
      startIdx += 2;
    }
    const n = readBigInt(argv[startIdx + 2]!);
    count = n < 0n ? 0 : n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    start = readIntervalId(argv[startIdx]!, 0n, true);
    end = readIntervalId(argv[startIdx + 1]!, UINT64_MAX, false);
    if (startIdx + 3 < argv.length) consumerName = argv[startIdx + 3];
  }
  const s = lookupStreamRead(c, argv[1]!);
  const group = groupOrError(s, argv[1]!, argv[2]!);
  const r = c.reply;
  if (justInfo) {
    r.array(4);
    r.integer(group.pel.size);
    if (group.pel.size === 0) {
      r.nullBulk();
      r.nullBulk();
      r.nullArray();
      return;
    }
    replyId(c, group.pel.firstKey()!);
    replyId(c, group.pel.lastKey()!);
    const withPending = sortedConsumers(group).filter((cons) => cons.pel.size > 0);
    r.array(withPending.length);
    for (const cons of withPending) {
      r.array(2);
      r.bulk(cons.name);
      r.bulk(String(cons.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName !== undefined) {
    const consumer = lookupConsumer(c, group, consumerName, true);
    if (consumer === undefined) {
      r.array(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = nowMs(c);
  const out: [StreamId, Nack][] = [];
  if (count > 0 && start <= end) {
    for (const [id, nack] of pel.entries(start)) {
      if (id > end) break;
      if (minIdle && now - nack.deliveryTime < minIdle) continue;
      out.push([id, nack]);
      if (out.length === count) break;
    }
  }
  r.array(out.length);
  for (const [id, nack] of out) {
    r.array(4);
    replyId(c, id);
    r.bulk(nack.consumer!.name);
    r.integer(Math.max(0, now - nack.deliveryTime));
    r.integer(nack.deliveryCount);
  }
}

/** Removes a pending entry from its group and consumer. */
function dropNack(group: ConsumerGroup, id: StreamId, nack: Nack): void {
  group.pel.delete(id);
  nack.consumer?.pel.delete(id);
}

/** Moves `nack` to `consumer`. */
function assignNack(id: StreamId, nack: Nack, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.delete(id);
  consumer.pel.set(id, nack);
  nack.consumer = consumer;
}

/** XAUTOCLAIM's largest COUNT: LONG_MAX / max(sizeof(streamID), attempts factor 10). */
const AUTOCLAIM_MAX_COUNT = (2n ** 63n - 1n) / 16n;

/** Reads an XCLAIM option's integer with its own error text. */
function readOptionInt(arg: string, error: string): number {
  return Number(readBigInt(arg, error));
}

/** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] */
function xclaimCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const s = lookupStreamRead(c, key);
  const group = groupOrError(s, key, argv[2]!);
  let minIdle = readOptionInt(argv[4]!, StreamErr.minIdle("XCLAIM"));
  if (minIdle < 0) minIdle = 0;
  let j = 5;
  const ids: StreamId[] = [];
  for (; j < argv.length; j++) {
    const parsed = parseStreamId(argv[j]!, 0n, true);
    if (parsed === undefined) break;
    ids.push(parsed.id);
  }
  const now = nowMs(c);
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (eqi(opt, "force")) force = true;
    else if (eqi(opt, "justid")) justId = true;
    else if (eqi(opt, "idle") && more)
      deliveryTime = now - readOptionInt(argv[++j]!, StreamErr.xclaimOption("IDLE"));
    else if (eqi(opt, "time") && more)
      deliveryTime = readOptionInt(argv[++j]!, StreamErr.xclaimOption("TIME"));
    else if (eqi(opt, "retrycount") && more) {
      retryCount = readOptionInt(argv[++j]!, StreamErr.xclaimOption("RETRYCOUNT"));
    } else if (eqi(opt, "lastid") && more) lastId = readStreamId(argv[++j]!, 0n, true);
    else throw new RedisError(StreamErr.xclaimUnrecognized(opt));
  }
  if (lastId > group.lastId) group.lastId = lastId;
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  let consumer: Consumer | undefined;
  const replies: (() => void)[] = [];
  for (const id of ids) {
    let nack = group.pel.get(id);
    const entry = s!.get(id);
    if (entry === undefined) {
      if (nack !== undefined) {
        dropNack(group, id, nack);
        c.server.dirty++;
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = { consumer: null, deliveryTime: now, deliveryCount: 1 };
      group.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer && minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(c, group, argv[3]!, key);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    assignNack(id, nack, consumer);
    replies.push(justId ? () => replyId(c, id) : () => replyEntry(c, entry));
    c.server.dirty++;
  }
  c.reply.array(replies.length);
  for (const write of replies) write();
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaimCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  let minIdle = readOptionInt(argv[4]!, StreamErr.minIdle("XAUTOCLAIM"));
  if (minIdle < 0) minIdle = 0;
  const start = readIntervalId(argv[5]!, 0n, true);
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eqi(argv[j]!, "count") && more) {
      // LONG_MAX / max(sizeof(streamID), attempts_factor 10) = LONG_MAX / 16.
      const n = readBigInt(argv[j + 1]!, StreamErr.autoclaimCount);
      if (n < 1n || n > AUTOCLAIM_MAX_COUNT) throw new RedisError(StreamErr.autoclaimCount);
      count = Number(n);
      j++;
    } else if (eqi(argv[j]!, "justid")) {
      justId = true;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  const s = lookupStreamRead(c, key);
  const group = groupOrError(s, key, argv[2]!);
  let attempts = count * 10;
  let consumer: Consumer | undefined;
  const now = nowMs(c);
  const replies: (() => void)[] = [];
  const deletedIds: StreamId[] = [];
  let cursor: StreamId | undefined = start;
  let next: [StreamId, Nack] | undefined;
  for (;;) {
    if (attempts-- === 0 || count === 0) {
      next = cursor === undefined ? undefined : group.pel.ceiling(cursor);
      break;
    }
    next = cursor === undefined ? undefined : group.pel.ceiling(cursor);
    if (next === undefined) break;
    const [id, nack]: [StreamId, Nack] = next;
    cursor = id === MAX_ID ? undefined : id + 1n;
    next = undefined;
    const entry = s!.get(id);
    if (entry === undefined) {
      dropNack(group, id, nack);
      deletedIds.push(id);
      c.server.dirty++;
      count--;
      continue;
    }
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(c, group, argv[3]!, key);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    assignNack(id, nack, consumer);
    replies.push(justId ? () => replyId(c, id) : () => replyEntry(c, entry));
    count--;
    c.server.dirty++;
  }
  const r = c.reply;
  r.array(3);
  replyId(c, next === undefined ? MIN_ID : next[0]);
  r.array(replies.length);
  for (const write of replies) write();
  r.array(deletedIds.length);
  for (const id of deletedIds) replyId(c, id);
}

export const streamGroupCommands: CommandDefinition[] = [
  { name: "xgroup|create", handler: xgroupCreateCommand },
  { name: "xgroup|setid", handler: xgroupSetidCommand },
  { name: "xgroup|destroy", handler: xgroupDestroyCommand },
  { name: "xgroup|createconsumer", handler: xgroupCreateconsumerCommand },
  { name: "xgroup|delconsumer", handler: xgroupDelconsumerCommand },
  { name: "xgroup|help", handler: xgroupHelpCommand },
  { name: "xack", handler: xackCommand },
  { name: "xpending", handler: xpendingCommand },
  { name: "xclaim", handler: xclaimCommand },
  { name: "xautoclaim", handler: xautoclaimCommand },
];
