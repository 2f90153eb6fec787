/**
 * XREAD and XREADGROUP (Redis 7.0's xreadCommand), with BLOCK: a client that finds nothing to
 * read is parked with `server/blocking.ts` on its streams and served, when one of them gets a
 * newer entry, exactly as the blocked.c of 7.0 serves it (only that stream, at most COUNT or
 * 1000 entries). XREADGROUP waiters get `-NOGROUP` when their group is destroyed and
 * `-UNBLOCKED` when their stream is deleted or replaced by another type.
 */
import { BlockingErr, Err, RedisError, ScriptErr, StreamErr } from "../errors.js";
import { blockForKeys, canBlock } from "../server/blocking.js";
import type { Client } from "../server/client.js";
import { MAX_ID, MIN_ID, readStreamId, type StreamId } from "../types/stream-id.js";
import { StreamValue, type Consumer, type ConsumerGroup } from "../types/stream.js";
import { eqi, readBigInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { checkStream, nowMs, replyEntry, replyId } from "./stream-common.js";
import { lookupOrCreateConsumer } from "./stream-group.js";

/** XREAD_BLOCKED_DEFAULT_COUNT: the COUNT of a blocked read that gave none. */
const BLOCKED_DEFAULT_COUNT = 1000;

const INT64_MAX = (1n << 63n) - 1n;

/** Group context of an XREADGROUP. */
interface GroupRead {
  name: string;
  consumer: string;
  noack: boolean;
}

/**
 * Replies the entries after `after` (streamReplyWithRange from after+1), at most `count` (0: all).
 * With a group, delivers them: moves the group's last ID and read counter and, unless NOACK,
 * records them as pending for `consumer`.
 */
function replyNewEntries(
  c: Client,
  s: StreamValue,
  after: StreamId,
  count: number,
  group?: ConsumerGroup,
  consumer?: Consumer,
  noack = false,
): void {
  const entries = [];
  if (after !== MAX_ID) {
    for (const e of s.range(after + 1n, MAX_ID)) {
      entries.push(e);
      if (entries.length === count) break;
    }
  }
  c.reply.array(entries.length);
  const now = nowMs(c);
  for (const e of entries) {
    if (group && e.id > group.lastId) {
      if (group.entriesRead !== -1 && !s.rangeHasTombstones(e.id)) group.entriesRead++;
      else if (s.entriesAdded) group.entriesRead = s.estimateDistance(e.id);
      group.lastId = e.id;
    }
    replyEntry(c, e);
    if (group && consumer && !noack) {
      const nack = group.pel.get(e.id);
      if (nack === undefined) {
        const created = { consumer, deliveryTime: now, deliveryCount: 1 };
        group.pel.set(e.id, created);
        consumer.pel.set(e.id, created);
      } else {
        nack.consumer?.pel.delete(e.id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.set(e.id, nack);
      }
    }
  }
}

/** Replies a consumer's own pending entries after `after` (streamReplyWithRangeFromConsumerPEL). */
function replyHistory(c: Client, s: StreamValue, after: StreamId, count: number, consumer: Consumer): void {
  const ids: StreamId[] = [];
  if (after !== MAX_ID) {
    for (const [id] of consumer.pel.entries(after + 1n)) {
      ids.push(id);
      if (ids.length === count) break;
    }
  }
  c.reply.array(ids.length);
  const now = nowMs(c);
  for (const id of ids) {
    const entry = s.get(id);
    if (entry === undefined) {
      c.reply.array(2);
      replyId(c, id);
      c.reply.nullArray();
    } else {
      replyEntry(c, entry);
      const nack = consumer.pel.get(id)!;
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
  }
}

/** Opens the reply of `n` streams: a map in RESP3, an array of pairs in RESP2. */
function replyStreamsHeader(c: Client, n: number): void {
  if (c.resp === 2) c.reply.array(n);
  else c.reply.map(n);
}

/** Opens one stream's part of the reply. */
function replyStreamKey(c: Client, key: string): void {
  if (c.resp === 2) c.reply.array(2);
  c.reply.bulk(key);
}

/**
 * Parses a BLOCK timeout in milliseconds (getTimeoutFromObjectOrReply, UNIT_MILLISECONDS) into an
 * absolute deadline; 0 waits forever (also when the deadline would overflow 64 bits).
 */
function readMsTimeout(arg: string, now: number): number {
  const ms = readBigInt(arg, "ERR timeout is not an integer or out of range");
  if (ms < 0n) throw new RedisError(BlockingErr.timeoutNegative);
  if (ms === 0n) return 0;
  const deadline = BigInt(now) + ms;
  return deadline > INT64_MAX ? 0 : Number(deadline);
}

/** XREAD / XREADGROUP. */
function xreadGeneric(c: Client, xreadgroup: boolean): void {
  const argv = c.argv;
  let deadline = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | undefined;
  let consumerName: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!;
    if (eqi(o, "block") && more) {
      if (c.isScript) throw new RedisError(ScriptErr.blockInScript(argv[0]!));
      i++;
      deadline = readMsTimeout(argv[i]!, nowMs(c));
    } else if (eqi(o, "count") && more) {
      i++;
      const n = readBigInt(argv[i]!);
      count = n < 0n ? 0 : n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    } else if (eqi(o, "streams") && more) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        throw new RedisError(StreamErr.unbalanced);
      }
      streamsCount /= 2;
      break;
    } else if (eqi(o, "group") && more >= 2) {
      if (!xreadgroup) throw new RedisError(StreamErr.groupOnlyReadgroup);
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (eqi(o, "noack")) {
      if (!xreadgroup) throw new RedisError(StreamErr.noackOnlyReadgroup);
      noack = true;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  if (streamsArg === 0) throw new RedisError(Err.syntax);
  if (xreadgroup && groupName === undefined) throw new RedisError(StreamErr.missingGroup);

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  /** The ID each read must exceed; MAX_ID stands for `>`. */
  const ids: StreamId[] = [];
  const groups: ConsumerGroup[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const s = checkStream(c.db.lookupRead(key));
    if (groupName !== undefined) {
      const group = s?.groups.get(groupName);
      if (group === undefined) throw new RedisError(StreamErr.noKeyOrGroupReadgroup(key, groupName));
      groups.push(group);
    }
    const arg = argv[streamsArg + streamsCount + i]!;
    if (arg === "$") {
      if (xreadgroup) throw new RedisError(StreamErr.dollarInReadgroup);
      ids.push(s ? s.lastId : MIN_ID);
    } else if (arg === ">") {
      if (!xreadgroup) throw new RedisError(StreamErr.gtOnlyReadgroup);
      ids.push(MAX_ID);
    } else {
      ids.push(readStreamId(arg, 0n, true));
    }
  }

  // Serve synchronously what can be.
  const served: (() => void)[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const s = c.db.lookupRead(key) as StreamValue | undefined;
    if (s === undefined) continue;
    let gt = ids[i]!;
    let serve = false;
    let history = false;
    let consumer: Consumer | undefined;
    const group = groups[i];
    if (group !== undefined) {
      if (gt !== MAX_ID) {
        serve = true;
        history = true;
      } else if (s.length && s.lastValidId() > group.lastId) {
        serve = true;
        gt = group.lastId;
      }
    } else if (s.length && s.lastValidId() > gt) {
      serve = true;
    }
    if (!serve) continue;
    // The consumer is looked up (and created) only for a stream that is served now.
    if (group !== undefined) consumer = lookupOrCreateConsumer(c, group, consumerName!, key);
    const after = gt;
    served.push(() => {
      replyStreamKey(c, key);
      if (history) replyHistory(c, s, after, count, consumer!);
      else replyNewEntries(c, s, after, count, group, consumer, noack);
    });
    if (group !== undefined) c.server.dirty++;
  }
  if (served.length > 0) {
    replyStreamsHeader(c, served.length);
    for (const write of served) write();
    return;
  }
  if (deadline === -1 || !canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  const gtByKey = new Map<string, StreamId>();
  for (let i = 0; i < streamsCount; i++) if (!gtByKey.has(keys[i]!)) gtByKey.set(keys[i]!, ids[i]!);
  const group: GroupRead | undefined =
    groupName === undefined ? undefined : { name: groupName, consumer: consumerName!, noack };
  const blockedCount = count || BLOCKED_DEFAULT_COUNT;
  blockForKeys(c, c.db, keys, deadline, (key) =>
    serveBlocked(c, key, gtByKey.get(key)!, blockedCount, group),
  );
}

/** A blocked XREAD/XREADGROUP's retry for a ready key (serveClientsBlockedOnStreamKey). */
function serveBlocked(
  c: Client,
  key: string,
  gt: StreamId,
  count: number,
  read: GroupRead | undefined,
): boolean {
  const value = c.db.peek(key);
  if (!(value instanceof StreamValue)) {
    if (read !== undefined) throw new RedisError(StreamErr.keyGone);
    return false;
  }
  let group: ConsumerGroup | undefined;
  if (read !== undefined) {
    group = value.groups.get(read.name);
    if (group === undefined) throw new RedisError(StreamErr.groupGone);
    gt = group.lastId;
  }
  if (value.lastId <= gt) return false;
  const consumer = group ? lookupOrCreateConsumer(c, group, read!.consumer, key) : undefined;
  replyStreamsHeader(c, 1);
  replyStreamKey(c, key);
  replyNewEntries(c, value, gt, count, group, consumer, read?.noack ?? false);
  if (group) c.server.dirty++;
  return true;
}

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xreadCommand(c: Client): void {
  xreadGeneric(c, false);
}

/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroupCommand(c: Client): void {
  xreadGeneric(c, true);
}

export const streamReadCommands: CommandDefinition[] = [
  { name: "xread", handler: xreadCommand },
  { name: "xreadgroup", handler: xreadgroupCommand },
];
