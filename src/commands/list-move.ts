/**
 * List commands that move or pop across keys: LMOVE, RPOPLPUSH, LMPOP, and the argument parsing
 * LMPOP shares with BLMPOP.
 */
import { ListErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { parseInt64 } from "../types/string.js";
import { eqi, syntaxError } from "./args.js";
import { lmoveFromList, lookupListWrite, popRangeAndReplyWithKey, readWhere } from "./list-common.js";

/** LMOVE/RPOPLPUSH once the ends are parsed (Redis's lmoveGenericCommand). */
function lmoveGeneric(c: Client, from: boolean, to: boolean): void {
  const srcKey = c.argv[1]!;
  const src = lookupListWrite(c, srcKey);
  if (src === undefined) {
    c.reply.nullBulk();
    return;
  }
  lmoveFromList(c, srcKey, src, c.argv[2]!, from, to);
}

/** LMOVE source destination LEFT | RIGHT LEFT | RIGHT */
export function lmoveCommand(c: Client): void {
  const from = readWhere(c.argv[3]!);
  const to = readWhere(c.argv[4]!);
  lmoveGeneric(c, from, to);
}

/** RPOPLPUSH source destination */
export function rpoplpushCommand(c: Client): void {
  lmoveGeneric(c, false, true);
}

/** The parsed arguments of LMPOP and BLMPOP. */
export interface MpopArgs {
  keys: string[];
  /** LEFT (head) or RIGHT (tail). */
  left: boolean;
  /** COUNT, 1 when not given. */
  count: number;
}

/** A positive long (1..LONG_MAX), else `error` (Redis's getRangeLongFromObjectOrReply with a message). */
function readPositiveLong(arg: string, error: string): number {
  const v = parseInt64(arg);
  if (v === undefined || v < 1n) throw new RedisError(error);
  return Number(v);
}

/**
 * Parses `numkeys key [key ...] LEFT | RIGHT [COUNT count]` starting at `numkeysIdx`, in Redis's
 * order (lmpopGenericCommand): numkeys, then the end, then options.
 */
export function readMpopArgs(argv: readonly string[], numkeysIdx: number): MpopArgs {
  const numkeys = readPositiveLong(argv[numkeysIdx]!, ListErr.numkeysPositive);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) syntaxError();
  const left = readWhere(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (count === -1 && moreArgs && eqi(argv[j]!, "count")) {
      count = readPositiveLong(argv[++j]!, ListErr.countPositive);
    } else {
      syntaxError();
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), left, count: count === -1 ? 1 : count };
}

/** LMPOP numkeys key [key ...] LEFT | RIGHT [COUNT count] */
export function lmpopCommand(c: Client): void {
  const { keys, left, count } = readMpopArgs(c.argv, 1);
  for (const key of keys) {
    const list = lookupListWrite(c, key);
    if (list === undefined || list.length === 0) continue;
    popRangeAndReplyWithKey(c, list, key, left, count);
    return;
  }
  c.reply.nullArray();
}
