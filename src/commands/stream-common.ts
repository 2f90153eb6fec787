/**
 * Helpers shared by the stream command modules: typed lookups, entry replies, node limits and
 * the XADD/XTRIM trimming arguments (Redis 7.0's streamParseAddOrTrimArgsOrReply).
 */
import { Err, RedisError, StreamErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { formatId, parseStreamId, readStreamId, type StreamId } from "../types/stream-id.js";
import { StreamValue, type StreamEntry, type StreamNodeLimits } from "../types/stream.js";
import type { RedisValue } from "../types/value.js";
import { eqi, readBigInt } from "./args.js";

/** Throws WRONGTYPE unless `v` is absent or a stream. */
export function checkStream(v: RedisValue | undefined): StreamValue | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof StreamValue)) throw new RedisError(Err.wrongType);
  return v;
}

/** A stream for reading (lookupKeyRead), or undefined; WRONGTYPE for other types. */
export function lookupStreamRead(c: Client, key: string): StreamValue | undefined {
  return checkStream(c.db.lookupRead(key));
}

/** A stream for writing (lookupKeyWrite), or undefined; WRONGTYPE for other types. */
export function lookupStreamWrite(c: Client, key: string): StreamValue | undefined {
  return checkStream(c.db.lookupWrite(key));
}

/** The configured node limits. */
export function nodeLimits(c: Client): StreamNodeLimits {
  const config = c.server.config;
  return {
    maxBytes: config.getNumber("stream-node-max-bytes"),
    maxEntries: config.getNumber("stream-node-max-entries"),
  };
}

/** The server clock in whole ms. */
export function nowMs(c: Client): number {
  return Math.floor(c.server.clock.now());
}

/** Writes one entry: `[id, [field, value, ...]]`. */
export function replyEntry(c: Client, e: StreamEntry): void {
  c.reply.array(2);
  c.reply.bulk(formatId(e.id));
  c.reply.array(e.fields.length);
  for (const f of e.fields) c.reply.bulk(f);
}

/** Writes an ID as a bulk string. */
export function replyId(c: Client, id: StreamId): void {
  c.reply.bulk(formatId(id));
}

/** A parsed trimming strategy and XADD's other options. */
export interface AddTrimArgs {
  strategy: { maxlen: number } | { minid: StreamId } | null;
  approx: boolean;
  /** 0 for no limit. */
  limit: number;
  noMkstream: boolean;
  /** XADD's ID: undefined for `*`. */
  id: StreamId | undefined;
  seqGiven: boolean;
  /** Index of the ID argument (XADD) or past the options (XTRIM). */
  next: number;
}

/** Parses XADD (`xadd`) or XTRIM options from argv[2] (streamParseAddOrTrimArgsOrReply). */
export function readAddTrimArgs(c: Client, xadd: boolean): AddTrimArgs {
  const argv = c.argv;
  const args: AddTrimArgs = {
    strategy: null,
    approx: false,
    limit: 0,
    noMkstream: false,
    id: undefined,
    seqGiven: true,
    next: argv.length,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === "*") {
      break;
    } else if ((eqi(opt, "maxlen") || eqi(opt, "minid")) && more) {
      if (args.strategy !== null) throw new RedisError(StreamErr.maxlenAndMinid);
      args.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === "~") {
        args.approx = true;
        i++;
      } else if (more >= 2 && next === "=") {
        i++;
      }
      if (eqi(opt, "maxlen")) {
        const maxlen = readBigInt(argv[i + 1]!);
        if (maxlen < 0n) throw new RedisError(StreamErr.maxlenNegative);
        args.strategy = { maxlen: Number(maxlen) };
      } else {
        args.strategy = { minid: readStreamId(argv[i + 1]!, 0n, true) };
      }
      i++;
    } else if (eqi(opt, "limit") && more) {
      const limit = readBigInt(argv[i + 1]!);
      if (limit < 0n) throw new RedisError(StreamErr.limitNegative);
      args.limit = limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
      limitGiven = true;
      i++;
    } else if (xadd && eqi(opt, "nomkstream")) {
      args.noMkstream = true;
    } else if (xadd) {
      const parsed = parseStreamId(opt, 0n, true, true);
      if (parsed === undefined) throw new RedisError(StreamErr.invalidId);
      args.id = parsed.id;
      args.seqGiven = parsed.seqGiven;
      break;
    } else {
      throw new RedisError(Err.syntax);
    }
  }
  args.next = i;
  if (args.limit && args.strategy === null) throw new RedisError(StreamErr.limitWithoutStrategy);
  if (!xadd && args.strategy === null) throw new RedisError(StreamErr.xtrimWithoutStrategy);
  if (limitGiven) {
    if (!args.approx) throw new RedisError(StreamErr.limitWithoutApprox);
  } else if (args.approx) {
    const perNode = c.server.config.getNumber("stream-node-max-entries");
    args.limit = 100 * perNode;
    if (args.limit <= 0) args.limit = 10000;
    if (args.limit > 1000000) args.limit = 1000000;
  } else {
    args.limit = 0;
  }
  return args;
}
