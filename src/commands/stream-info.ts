/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, with Redis 7.0's
 * fields (entries-added, max-deleted-entry-id, recorded-first-entry-id, entries-read, lag,
 * seen-time...) in Redis's order.
 */
import { Err, RedisError, StreamErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { MAX_ID, MIN_ID, type StreamId } from "../types/stream-id.js";
import {
  INVALID_ENTRIES_READ,
  type ConsumerGroup,
  type IdMap,
  type Nack,
  type StreamValue,
} from "../types/stream.js";
import { eqi, readBigInt } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";
import { lookupStreamRead, nowMs, replyEntry, replyId } from "./stream-common.js";
import { sortedConsumers } from "./stream-group.js";

/** The stream at argv[2], or Redis's "no such key". */
function streamOrError(c: Client): StreamValue {
  const s = lookupStreamRead(c, c.argv[2]!);
  if (s === undefined) throw new RedisError(Err.noSuchKey);
  return s;
}

/** A group's entries-read field. */
function replyEntriesRead(c: Client, group: ConsumerGroup): void {
  if (group.entriesRead !== INVALID_ENTRIES_READ) c.reply.integer(group.entriesRead);
  else c.reply.nullBulk();
}

/** A group's lag field. */
function replyLag(c: Client, s: StreamValue, group: ConsumerGroup): void {
  const lag = s.groupLag(group);
  if (lag === null) c.reply.nullBulk();
  else c.reply.integer(lag);
}

/** The first `count` (0: all) pending entries of a PEL, with their consumer for a group's PEL. */
function replyPel(c: Client, pel: IdMap<Nack>, count: number, withConsumer: boolean): void {
  const items: [StreamId, Nack][] = [];
  for (const item of pel.entries()) {
    if (count && items.length >= count) break;
    items.push(item);
  }
  c.reply.array(items.length);
  for (const [id, nack] of items) {
    c.reply.array(withConsumer ? 4 : 3);
    replyId(c, id);
    if (withConsumer) c.reply.bulk(nack.consumer!.name);
    c.reply.integer(nack.deliveryTime);
    c.reply.integer(nack.deliveryCount);
  }
}

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStreamCommand(c: Client): void {
  const s = streamOrError(c);
  const argv = c.argv;
  let full = false;
  let count = 10;
  if (argv.length > 3) {
    if ((argv.length !== 4 && argv.length !== 6) || !eqi(argv[3]!, "full")) {
      throw new RedisError(Err.subcommandSyntax(argv[1]!, "xinfo"));
    }
    if (argv.length === 6) {
      if (!eqi(argv[4]!, "count")) throw new RedisError(Err.subcommandSyntax(argv[1]!, "xinfo"));
      const n = readBigInt(argv[5]!);
      count = n < 0n ? 10 : n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    }
    full = true;
  }
  const r = c.reply;
  r.map(full ? 9 : 10);
  r.bulk("length");
  r.integer(s.length);
  r.bulk("radix-tree-keys");
  r.integer(s.nodes.length);
  r.bulk("radix-tree-nodes");
  r.integer(s.raxNodeCount());
  r.bulk("last-generated-id");
  replyId(c, s.lastId);
  r.bulk("max-deleted-entry-id");
  replyId(c, s.maxDeletedId);
  r.bulk("entries-added");
  r.integer(s.entriesAdded);
  r.bulk("recorded-first-entry-id");
  replyId(c, s.firstId);
  if (!full) {
    r.bulk("groups");
    r.integer(s.groups.size);
    r.bulk("first-entry");
    const first = s.range(MIN_ID, MAX_ID).next();
    if (first.done) r.nullBulk();
    else replyEntry(c, first.value);
    r.bulk("last-entry");
    const last = s.range(MIN_ID, MAX_ID, true).next();
    if (last.done) r.nullBulk();
    else replyEntry(c, last.value);
    return;
  }
  r.bulk("entries");
  const entries = [];
  for (const e of s.range(MIN_ID, MAX_ID)) {
    entries.push(e);
    if (entries.length === count) break;
  }
  r.array(entries.length);
  for (const e of entries) replyEntry(c, e);
  r.bulk("groups");
  const groups = s.sortedGroups();
  r.array(groups.length);
  for (const group of groups) {
    r.map(7);
    r.bulk("name");
    r.bulk(group.name);
    r.bulk("last-delivered-id");
    replyId(c, group.lastId);
    r.bulk("entries-read");
    replyEntriesRead(c, group);
    r.bulk("lag");
    replyLag(c, s, group);
    r.bulk("pel-count");
    r.integer(group.pel.size);
    r.bulk("pending");
    replyPel(c, group.pel, count, true);
    r.bulk("consumers");
    const consumers = sortedConsumers(group);
    r.array(consumers.length);
    for (const consumer of consumers) {
      r.map(4);
      r.bulk("name");
      r.bulk(consumer.name);
      r.bulk("seen-time");
      r.integer(consumer.seenTime);
      r.bulk("pel-count");
      r.integer(consumer.pel.size);
      r.bulk("pending");
      replyPel(c, consumer.pel, count, false);
    }
  }
}

/** XINFO GROUPS key */
function xinfoGroupsCommand(c: Client): void {
  const s = streamOrError(c);
  const groups = s.sortedGroups();
  const r = c.reply;
  r.array(groups.length);
  for (const group of groups) {
    r.map(6);
    r.bulk("name");
    r.bulk(group.name);
    r.bulk("consumers");
    r.integer(group.consumers.size);
    r.bulk("pending");
    r.integer(group.pel.size);
    r.bulk("last-delivered-id");
    replyId(c, group.lastId);
    r.bulk("entries-read");
    replyEntriesRead(c, group);
    r.bulk("lag");
    replyLag(c, s, group);
  }
}

/** XINFO CONSUMERS key group */
function xinfoConsumersCommand(c: Client): void {
  const s = streamOrError(c);
  const group = s.groups.get(c.argv[3]!);
  if (group === undefined) throw new RedisError(StreamErr.noGroupForKey(c.argv[3]!, c.argv[2]!));
  const consumers = sortedConsumers(group);
  const now = nowMs(c);
  const r = c.reply;
  r.array(consumers.length);
  for (const consumer of consumers) {
    r.map(3);
    r.bulk("name");
    r.bulk(consumer.name);
    r.bulk("pending");
    r.integer(consumer.pel.size);
    r.bulk("idle");
    r.integer(Math.max(0, now - consumer.seenTime));
  }
}

/** XINFO HELP */
function xinfoHelpCommand(c: Client): void {
  replyHelp(c, [
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
  ]);
}

export const streamInfoCommands: CommandDefinition[] = [
  { name: "xinfo|stream", handler: xinfoStreamCommand },
  { name: "xinfo|groups", handler: xinfoGroupsCommand },
  { name: "xinfo|consumers", handler: xinfoConsumersCommand },
  { name: "xinfo|help", handler: xinfoHelpCommand },
];
