/**
 * Stream commands: Redis 7.0's t_stream.c. Entries (XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM,
 * XSETID) live here; consumer groups in `stream-group.ts`, XREAD/XREADGROUP in `stream-read.ts`,
 * XINFO in `stream-info.ts`. Arguments are parsed in Redis's order, so errors come out the same.
 */
import { Err, RedisError, StreamErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import {
  formatId,
  idMs,
  idSeq,
  MAX_ID,
  readIntervalId,
  readStreamId,
  UINT64_MAX,
  type StreamId,
} from "../types/stream-id.js";
import { StreamValue } from "../types/stream.js";
import { eqi, readBigInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import {
  lookupStreamRead,
  lookupStreamWrite,
  nodeLimits,
  nowMs,
  readAddTrimArgs,
  replyEntry,
} from "./stream-common.js";
import { streamGroupCommands } from "./stream-group.js";
import { streamInfoCommands } from "./stream-info.js";
import { streamReadCommands } from "./stream-read.js";
// DUMP/RESTORE of streams registers itself with the RDB module.
import "../types/stream-rdb.js";

/** STREAM_LISTPACK_MAX_SIZE. */
const LISTPACK_MAX_SIZE = 1 << 30;

/** XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] * | id field value [field value ...] */
function xaddCommand(c: Client): void {
  const args = readAddTrimArgs(c, true);
  const fieldPos = args.next + 1;
  const argv = c.argv;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) {
    throw new RedisError(Err.wrongArity(c.command!.fullName));
  }
  if (args.id === 0n && args.seqGiven) throw new RedisError(StreamErr.idZero);
  const key = argv[1]!;
  let s = lookupStreamWrite(c, key);
  if (s === undefined) {
    if (args.noMkstream) {
      c.reply.nullBulk();
      return;
    }
    s = new StreamValue();
    c.db.add(key, s);
  }
  if (s.lastId === MAX_ID) throw new RedisError(StreamErr.exhausted);
  let id: StreamId;
  if (args.id === undefined) {
    const ms = BigInt(nowMs(c));
    id = ms > idMs(s.lastId) ? ms << 64n : s.lastId + 1n;
  } else if (!args.seqGiven && idMs(args.id) === idMs(s.lastId)) {
    if (idSeq(s.lastId) === UINT64_MAX) throw new RedisError(StreamErr.idTooSmall);
    id = s.lastId + 1n;
  } else {
    id = args.id;
  }
  if (id <= s.lastId) throw new RedisError(StreamErr.idTooSmall);
  const fields = argv.slice(fieldPos);
  let total = 0;
  for (const f of fields) total += f.length;
  if (total > LISTPACK_MAX_SIZE) throw new RedisError(StreamErr.tooLarge);
  s.append(id, fields, total, nodeLimits(c));
  c.reply.bulk(formatId(id));
  const ks = c.server.keyspace;
  ks.signalModified(c.db, key);
  ks.notify(c.db, NotifyClass.stream, "xadd", key);
  c.server.dirty++;
  if (args.strategy !== null && s.trim(args.strategy, args.approx, args.limit) > 0) {
    ks.notify(c.db, NotifyClass.stream, "xtrim", key);
  }
  ks.signalReady(c.db, key);
}

/** XLEN key */
function xlenCommand(c: Client): void {
  const s = lookupStreamRead(c, c.argv[1]!);
  c.reply.integer(s === undefined ? 0 : s.length);
}

/** XRANGE / XREVRANGE (Redis's xrangeGenericCommand). */
function xrangeGeneric(c: Client, rev: boolean): void {
  const argv = c.argv;
  const start = readIntervalId(rev ? argv[3]! : argv[2]!, 0n, true);
  const end = readIntervalId(rev ? argv[2]! : argv[3]!, UINT64_MAX, false);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (eqi(argv[j]!, "count") && argv.length - j - 1 >= 1) {
      const n = readBigInt(argv[j + 1]!);
      count = n < 0n ? 0 : n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
      j++;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  const s = lookupStreamRead(c, argv[1]!);
  if (s === undefined) {
    c.reply.array(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  const entries = [];
  for (const e of s.range(start, end, rev)) {
    entries.push(e);
    if (entries.length === count) break;
  }
  c.reply.array(entries.length);
  for (const e of entries) replyEntry(c, e);
}

/** XRANGE key start end [COUNT count] */
function xrangeCommand(c: Client): void {
  xrangeGeneric(c, false);
}

/** XREVRANGE key end start [COUNT count] */
function xrevrangeCommand(c: Client): void {
  xrangeGeneric(c, true);
}

/** XDEL key id [id ...] */
function xdelCommand(c: Client): void {
  const key = c.argv[1]!;
  const s = lookupStreamWrite(c, key);
  if (s === undefined) {
    c.reply.integer(0);
    return;
  }
  const ids = c.argv.slice(2).map((a) => readStreamId(a, 0n, true));
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.delete(id)) continue;
    if (id === s.firstId) firstEntry = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = 0n;
    else if (firstEntry) s.refreshFirstId();
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.stream, "xdel", key);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

/** XTRIM key MAXLEN | MINID [= | ~] threshold [LIMIT count] */
function xtrimCommand(c: Client): void {
  const key = c.argv[1]!;
  const s = lookupStreamWrite(c, key);
  if (s === undefined) {
    c.reply.integer(0);
    return;
  }
  const args = readAddTrimArgs(c, false);
  const deleted = s.trim(args.strategy!, args.approx, args.limit);
  if (deleted) {
    c.server.keyspace.notify(c.db, NotifyClass.stream, "xtrim", key);
    c.server.keyspace.signalModified(c.db, key);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetidCommand(c: Client): void {
  const argv = c.argv;
  const id = readStreamId(argv[2]!, 0n, true);
  let entriesAdded = -1n;
  let maxDeleted = 0n;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    if (eqi(argv[i]!, "entriesadded") && more) {
      entriesAdded = readBigInt(argv[i + 1]!);
      if (entriesAdded < 0n) throw new RedisError(StreamErr.xsetidEntriesAdded);
    } else if (eqi(argv[i]!, "maxdeletedid") && more) {
      maxDeleted = readStreamId(argv[i + 1]!, 0n, true);
      if (id < maxDeleted) throw new RedisError(StreamErr.xsetidMaxDeleted);
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  const key = argv[1]!;
  const s = lookupStreamWrite(c, key);
  if (s === undefined) throw new RedisError(Err.noSuchKey);
  if (s.length > 0) {
    if (id < s.lastValidId()) throw new RedisError(StreamErr.xsetidSmallerThanTop);
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      throw new RedisError(StreamErr.xsetidEntriesAddedSmall);
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = Number(entriesAdded);
  if (maxDeleted !== 0n) s.maxDeletedId = maxDeleted;
  // Redis 7.0's XSETID does not signal the key as modified: WATCH is not invalidated.
  c.server.keyspace.notify(c.db, NotifyClass.stream, "xsetid", key);
  c.server.dirty++;
  c.reply.simple("OK");
}

export const streamCommands: CommandDefinition[] = [
  { name: "xadd", handler: xaddCommand },
  { name: "xlen", handler: xlenCommand },
  { name: "xrange", handler: xrangeCommand },
  { name: "xrevrange", handler: xrevrangeCommand },
  { name: "xdel", handler: xdelCommand },
  { name: "xtrim", handler: xtrimCommand },
  { name: "xsetid", handler: xsetidCommand },
  ...streamGroupCommands,
  ...streamReadCommands,
  ...streamInfoCommands,
];
