/**
 * HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST, following Redis 7.0's
 * hyperloglog.c. HLLs are string values holding Redis's exact HYLL bytes (see types/hyperloglog.ts),
 * edited in place as {@link RawString}s.
 */
import { HllErr, RedisError } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import {
  createHll,
  hllAdd,
  hllBytes,
  hllCachedCard,
  hllCacheValid,
  hllCount,
  hllCountRegisters,
  hllDecodeSparse,
  hllDenseRegisters,
  hllInvalidateCache,
  hllMerge,
  hllSelfTest,
  hllSetCachedCard,
  hllSetRegister,
  hllSparseToDense,
  HLL_DENSE,
  HLL_REGISTERS,
  HLL_SPARSE,
  isHllValue,
} from "../types/hyperloglog.js";
import { toRawString, type RawString, type StringValue } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { eqi } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { checkString } from "./string-common.js";

/** Redis's isHLLObjectOrReply: the value as a string holding a valid HLL header, else throws. */
function checkHll(v: RedisValue): StringValue {
  const s = checkString(v)!;
  if (!isHllValue(s)) throw new RedisError(HllErr.notHll);
  return s;
}

/** The HLL at `key` unshared for in-place edits (dbUnshareStringValue), checked valid. */
function unshareHll(c: Client, key: string, v: RedisValue): RawString {
  const s = checkHll(v);
  const raw = toRawString(s);
  if (raw !== s) c.db.replaceValue(key, raw);
  return raw;
}

function sparseMaxBytes(c: Client): number {
  return c.server.config.getNumber("hll-sparse-max-bytes");
}

/** PFADD key [element [element ...]] */
function pfaddCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const cur = c.db.lookupWrite(key);
  let raw: RawString;
  let updated = 0;
  if (cur === undefined) {
    raw = createHll();
    c.db.add(key, raw);
    updated++;
  } else {
    raw = unshareHll(c, key, cur);
  }
  const maxBytes = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(raw, argv[j]!, maxBytes);
    if (r === 1) updated++;
    else if (r === -1) throw new RedisError(HllErr.corrupted);
  }
  if (updated) {
    c.server.keyspace.signalModified(c.db, key);
    c.server.keyspace.notify(c.db, NotifyClass.string, "pfadd", key);
    hllInvalidateCache(raw.buf);
  }
  c.reply.integer(updated ? 1 : 0);
}

/** PFCOUNT key [key ...] */
function pfcountCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length > 2) {
    // Cardinality of the union: the maximum of every register over the keys.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.lookupRead(argv[j]!);
      if (v === undefined) continue;
      const s = checkHll(v);
      if (!hllMerge(max, hllBytes(s), s.length)) throw new RedisError(HllErr.corrupted);
    }
    c.reply.integer(hllCountRegisters(max));
    return;
  }
  const key = argv[1]!;
  const v = c.db.lookupRead(key);
  if (v === undefined) {
    c.reply.integer(0);
    return;
  }
  const raw = unshareHll(c, key, v);
  const buf = raw.buf;
  if (hllCacheValid(buf)) {
    c.reply.integer(hllCachedCard(buf));
    return;
  }
  const card = hllCount(buf, raw.length);
  if (card === undefined) throw new RedisError(HllErr.corrupted);
  // Updating the cache modifies the string, so it is a modification even for this read command.
  hllSetCachedCard(buf, card);
  c.server.keyspace.signalModified(c.db, key);
  c.reply.integer(card);
}

/** PFMERGE destkey [sourcekey [sourcekey ...]] */
function pfmergeCommand(c: Client): void {
  const argv = c.argv;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  // The destination is also a source.
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]!);
    if (v === undefined) continue;
    const s = checkHll(v);
    const bytes = hllBytes(s);
    if (bytes[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, bytes, s.length)) throw new RedisError(HllErr.corrupted);
  }
  const key = argv[1]!;
  const cur = c.db.lookupWrite(key);
  let raw: RawString;
  if (cur === undefined) {
    raw = createHll();
    c.db.add(key, raw);
  } else {
    raw = unshareHll(c, key, cur);
  }
  if (useDense && !hllSparseToDense(raw)) throw new RedisError(HllErr.corrupted);
  const maxBytes = sparseMaxBytes(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] !== 0) hllSetRegister(raw, j, max[j]!, maxBytes);
  }
  hllInvalidateCache(raw.buf);
  c.server.keyspace.signalModified(c.db, key);
  // Redis raises "pfadd" for PFMERGE too.
  c.server.keyspace.notify(c.db, NotifyClass.string, "pfadd", key);
  c.reply.simple("OK");
}

/** PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key */
function pfdebugCommand(c: Client): void {
  const sub = c.argv[1]!;
  const key = c.argv[2]!;
  const v = c.db.lookupWrite(key);
  if (v === undefined) throw new RedisError(HllErr.noSuchKey);
  const raw = unshareHll(c, key, v);
  if (eqi(sub, "getreg")) {
    if (raw.buf[4] === HLL_SPARSE && !hllSparseToDense(raw)) throw new RedisError(HllErr.corrupted);
    const regs = hllDenseRegisters(raw.buf);
    c.reply.array(regs.length);
    for (const r of regs) c.reply.integer(r);
  } else if (eqi(sub, "decode")) {
    if (raw.buf[4] !== HLL_SPARSE) throw new RedisError(HllErr.notSparse);
    c.reply.bulk(hllDecodeSparse(raw.buf, raw.length));
  } else if (eqi(sub, "encoding")) {
    c.reply.simple(raw.buf[4] === HLL_DENSE ? "dense" : "sparse");
  } else if (eqi(sub, "todense")) {
    let converted = false;
    if (raw.buf[4] === HLL_SPARSE) {
      if (!hllSparseToDense(raw)) throw new RedisError(HllErr.corrupted);
      converted = true;
    }
    c.reply.integer(converted ? 1 : 0);
  } else {
    throw new RedisError(HllErr.unknownSubcommand(sub));
  }
}

/** PFSELFTEST */
function pfselftestCommand(c: Client): void {
  const random = c.server.keyspace.random;
  const failure = hllSelfTest(() => random.nextUint32() >>> 1, sparseMaxBytes(c));
  if (failure !== undefined) throw new RedisError(failure);
  c.reply.simple("OK");
}

/** The HyperLogLog commands. */
export const hyperloglogCommands: CommandDefinition[] = [
  { name: "pfadd", handler: pfaddCommand },
  { name: "pfcount", handler: pfcountCommand },
  { name: "pfmerge", handler: pfmergeCommand },
  { name: "pfdebug", handler: pfdebugCommand },
  { name: "pfselftest", handler: pfselftestCommand },
];
