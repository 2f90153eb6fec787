/**
 * Bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO, following Redis 7.0's bitops.c. Bit 0 is the most significant bit of the first byte.
 * Writes turn the value into a {@link RawString} edited in place, grown with zero bytes as needed.
 */
import { Err, RedisError, StringErr } from "../errors.js";
import { NotifyClass } from "../keyspace/notify.js";
import type { Client } from "../server/client.js";
import { byteAt, parseInt64, RawString, toRawString, type StringValue } from "../types/string.js";
import { eqi, readBigInt } from "./args.js";
import type { CommandDefinition } from "./spec.js";
import { checkString, lookupString, maxStringLength } from "./string-common.js";

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/**
 * Redis's getBitOffsetFromArgument: a bit offset, non-negative and addressing a byte below
 * proto-max-bulk-len. With `hashBits` > 0 (BITFIELD), `#n` means n × hashBits.
 */
function readBitOffset(c: Client, arg: string, hashBits = 0): number {
  const useHash = hashBits > 0 && arg.charCodeAt(0) === 35; /* # */
  const parsed = parseInt64(useHash ? arg.slice(1) : arg);
  if (parsed === undefined) throw new RedisError(Err.bitOffset);
  // Like C, the multiplication wraps around at 64 bits.
  const offset = useHash ? BigInt.asIntN(64, parsed * BigInt(hashBits)) : parsed;
  if (offset < 0n || offset >> 3n >= BigInt(maxStringLength(c))) throw new RedisError(Err.bitOffset);
  return Number(offset);
}

/**
 * Redis's lookupStringForBitCommand: the string at argv[1] as a RawString long enough to address
 * bit `maxBit`, created (zero-filled) when missing. `grew` tells whether it was created or extended.
 */
function lookupStringForWrite(c: Client, maxBit: number): { raw: RawString; grew: boolean } {
  const key = c.argv[1]!;
  const size = Math.floor(maxBit / 8) + 1;
  const cur = checkString(c.db.lookupWrite(key));
  if (cur === undefined) {
    const raw = new RawString(Buffer.alloc(0), size);
    raw.ensureLength(size);
    c.db.add(key, raw);
    return { raw, grew: true };
  }
  const raw = toRawString(cur);
  if (raw !== cur) c.db.replaceValue(key, raw);
  const before = raw.length;
  raw.ensureLength(size);
  return { raw, grew: raw.length !== before };
}

/** SETBIT key offset value */
function setbitCommand(c: Client): void {
  const offset = readBitOffset(c, c.argv[2]!);
  const on = parseInt64(c.argv[3]!);
  if (on === undefined || (on !== 0n && on !== 1n)) throw new RedisError(Err.bitValue);
  const { raw, grew } = lookupStringForWrite(c, offset);
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const old = raw.buf[byte]! & mask ? 1 : 0;
  if (grew || old !== Number(on)) {
    raw.buf[byte] = on === 1n ? raw.buf[byte]! | mask : raw.buf[byte]! & ~mask;
    c.server.keyspace.signalModified(c.db, c.argv[1]!);
    c.server.keyspace.notify(c.db, NotifyClass.string, "setbit", c.argv[1]!);
  }
  c.reply.integer(old);
}

/** GETBIT key offset */
function getbitCommand(c: Client): void {
  const offset = readBitOffset(c, c.argv[2]!);
  const v = lookupString(c.db, c.argv[1]!);
  const byte = Math.floor(offset / 8);
  if (v === undefined || byte >= v.length) {
    c.reply.integer(0);
    return;
  }
  c.reply.integer((byteAt(v, byte) >> (7 - (offset % 8))) & 1);
}

/** Redis's index normalisation: negative from the end, clamped to [0, total - 1] for the end. */
function normaliseRange(start: bigint, end: bigint, total: number): [number, number] {
  const t = BigInt(total);
  if (start < 0n) start += t;
  if (end < 0n) end += t;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= t) end = t - 1n;
  return [Number(start), Number(end)];
}

/** The BIT | BYTE unit argument: true for BIT. */
function readUnit(arg: string): boolean {
  if (eqi(arg, "bit")) return true;
  if (eqi(arg, "byte")) return false;
  throw new RedisError(Err.syntax);
}

/** Number of set bits in bytes [from, to] of a string value. */
function popcount(v: StringValue, from: number, to: number): number {
  let n = 0;
  if (typeof v === "string") for (let i = from; i <= to; i++) n += POPCOUNT[v.charCodeAt(i)]!;
  else for (let i = from, buf = v.buf; i <= to; i++) n += POPCOUNT[buf[i]!]!;
  return n;
}

/** Number of set bits in bit positions [from, to]. */
function popcountBits(v: StringValue, from: number, to: number): number {
  const firstByte = Math.floor(from / 8);
  const lastByte = Math.floor(to / 8);
  let n = popcount(v, firstByte, lastByte);
  // Remove the bits before `from` in the first byte and after `to` in the last.
  const headMask = (0xff << (8 - (from % 8))) & 0xff;
  const tailMask = (1 << (7 - (to % 8))) - 1;
  n -= POPCOUNT[byteAt(v, firstByte) & headMask]!;
  n -= POPCOUNT[byteAt(v, lastByte) & tailMask]!;
  return n;
}

/** BITCOUNT key [start end [BYTE | BIT]] */
function bitcountCommand(c: Client): void {
  const argv = c.argv;
  // Redis 7.0 answers 0 for a missing key before looking at the other arguments.
  const v = lookupString(c.db, argv[1]!);
  if (v === undefined) {
    c.reply.integer(0);
    return;
  }
  if (argv.length === 2) {
    c.reply.integer(v.length === 0 ? 0 : popcount(v, 0, v.length - 1));
    return;
  }
  if (argv.length !== 4 && argv.length !== 5) throw new RedisError(Err.syntax);
  const startArg = readBigInt(argv[2]!);
  const endArg = readBigInt(argv[3]!);
  const isBit = argv.length === 5 ? readUnit(argv[4]!) : false;
  if (startArg < 0n && endArg < 0n && startArg > endArg) {
    c.reply.integer(0);
    return;
  }
  const [start, end] = normaliseRange(startArg, endArg, isBit ? v.length * 8 : v.length);
  if (start > end) c.reply.integer(0);
  else c.reply.integer(isBit ? popcountBits(v, start, end) : popcount(v, start, end));
}

/** Position of the first bit equal to `bit` in bit positions [from, to], or -1. */
function findBit(v: StringValue, bit: number, from: number, to: number): number {
  const skip = bit ? 0 : 0xff;
  let pos = from;
  while (pos <= to) {
    if (pos % 8 === 0 && pos + 7 <= to) {
      // Whole byte: skip it when it holds no candidate.
      const b = byteAt(v, pos / 8);
      if (b === skip) {
        pos += 8;
        continue;
      }
    }
    if (((byteAt(v, Math.floor(pos / 8)) >> (7 - (pos % 8))) & 1) === bit) return pos;
    pos++;
  }
  return -1;
}

/** BITPOS key bit [start [end [BYTE | BIT]]] */
function bitposCommand(c: Client): void {
  const argv = c.argv;
  const bitArg = readBigInt(argv[2]!);
  if (bitArg !== 0n && bitArg !== 1n) throw new RedisError(StringErr.bitArgument);
  const bit = Number(bitArg);
  // A missing key is an endless run of zeros.
  const v = lookupString(c.db, argv[1]!);
  if (v === undefined) {
    c.reply.integer(bit ? -1 : 0);
    return;
  }
  let start: number;
  let end: number;
  let isBit = false;
  let endGiven = false;
  if (argv.length === 3) {
    start = 0;
    end = v.length - 1;
  } else if (argv.length <= 6) {
    const startArg = readBigInt(argv[3]!);
    if (argv.length === 6) isBit = readUnit(argv[5]!);
    let endArg = BigInt(v.length - 1);
    if (argv.length >= 5) {
      endArg = readBigInt(argv[4]!);
      endGiven = true;
    }
    [start, end] = normaliseRange(startArg, endArg, isBit ? v.length * 8 : v.length);
  } else {
    throw new RedisError(Err.syntax);
  }
  if (start > end) {
    c.reply.integer(-1);
    return;
  }
  const from = isBit ? start : start * 8;
  const to = isBit ? end : end * 8 + 7;
  const pos = findBit(v, bit, from, to);
  // Looking for a 0 with no explicit end, the string counts as padded with zeros on the right.
  if (pos === -1 && bit === 0 && !endGiven) c.reply.integer(to + 1);
  else c.reply.integer(pos);
}

/** The bytes of a string value as a Buffer (a view, for RawStrings). */
function bytesOf(v: StringValue): Buffer {
  return typeof v === "string" ? Buffer.from(v, "latin1") : v.buf.subarray(0, v.length);
}

/** BITOP <AND | OR | XOR | NOT> destkey key [key ...] */
function bitopCommand(c: Client): void {
  const argv = c.argv;
  const opName = argv[1]!;
  let op: "and" | "or" | "xor" | "not";
  if (eqi(opName, "and")) op = "and";
  else if (eqi(opName, "or")) op = "or";
  else if (eqi(opName, "xor")) op = "xor";
  else if (eqi(opName, "not")) op = "not";
  else throw new RedisError(Err.syntax);
  if (op === "not" && argv.length !== 4) throw new RedisError(StringErr.bitopNotArity);
  const sources: Buffer[] = [];
  let maxLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = lookupString(c.db, argv[j]!);
    const bytes = v === undefined ? Buffer.alloc(0) : bytesOf(v);
    sources.push(bytes);
    if (bytes.length > maxLen) maxLen = bytes.length;
  }
  const dest = argv[2]!;
  if (maxLen === 0) {
    if (c.db.delete(dest)) c.server.keyspace.notify(c.db, NotifyClass.generic, "del", dest);
    c.reply.integer(0);
    return;
  }
  const result = new RawString(Buffer.alloc(0), maxLen);
  result.ensureLength(maxLen);
  const out = result.buf;
  const first = sources[0]!;
  out.set(first);
  if (op === "not") {
    for (let i = 0; i < maxLen; i++) out[i] = ~out[i]! & 0xff;
  } else {
    for (let k = 1; k < sources.length; k++) {
      const src = sources[k]!;
      const n = src.length;
      if (op === "and") {
        for (let i = 0; i < n; i++) out[i]! &= src[i]!;
        out.fill(0, n, maxLen);
      } else if (op === "or") {
        for (let i = 0; i < n; i++) out[i]! |= src[i]!;
      } else {
        for (let i = 0; i < n; i++) out[i]! ^= src[i]!;
      }
    }
  }
  c.db.setKey(dest, result);
  c.server.keyspace.notify(c.db, NotifyClass.string, "set", dest);
  c.reply.integer(maxLen);
}

// ---- BITFIELD ----

const enum Overflow {
  Wrap,
  Sat,
  Fail,
}

const enum FieldOp {
  Get,
  Set,
  IncrBy,
}

interface BitfieldOp {
  op: FieldOp;
  offset: number;
  /** SET value or INCRBY increment. */
  value: bigint;
  overflow: Overflow;
  bits: number;
  signed: boolean;
}

/** Reads `bits` bits at bit `offset` as an unsigned integer; bytes past the end read as 0. */
function readField(v: StringValue | undefined, offset: number, bits: number): bigint {
  let value = 0n;
  const len = v === undefined ? 0 : v.length;
  for (let j = 0; j < bits; j++) {
    const pos = offset + j;
    const byte = Math.floor(pos / 8);
    const b = byte < len ? byteAt(v!, byte) : 0;
    value = (value << 1n) | BigInt((b >> (7 - (pos % 8))) & 1);
  }
  return value;
}

/** Writes the low `bits` bits of `value` at bit `offset` (the buffer is long enough). */
function writeField(raw: RawString, offset: number, bits: number, value: bigint): void {
  const buf = raw.buf;
  for (let j = 0; j < bits; j++) {
    const pos = offset + j;
    const byte = Math.floor(pos / 8);
    const mask = 1 << (7 - (pos % 8));
    if ((value >> BigInt(bits - 1 - j)) & 1n) buf[byte] = buf[byte]! | mask;
    else buf[byte] = buf[byte]! & ~mask;
  }
}

/** Result of an overflow check: direction (0 none, 1 over, -1 under) and the WRAP/SAT value. */
interface OverflowCheck {
  direction: number;
  limit: bigint;
}

/**
 * Redis's checkUnsignedBitfieldOverflow on 64-bit machine integers (`value` as uint64, `incr` as
 * int64), including its wrap-around arithmetic, so odd inputs (negative SET values) match.
 */
function checkUnsigned(value: bigint, incr: bigint, bits: number, overflow: Overflow): OverflowCheck {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, -value);
  const wrapped = BigInt.asUintN(bits, value + incr);
  if (value > max || (incr > 0n && incr > maxIncr)) {
    return { direction: 1, limit: overflow === Overflow.Sat ? max : wrapped };
  }
  if (incr < 0n && incr < minIncr) {
    return { direction: -1, limit: overflow === Overflow.Sat ? 0n : wrapped };
  }
  return { direction: 0, limit: 0n };
}

/** Redis's checkSignedBitfieldOverflow, with the same 64-bit wrap-around in its intermediate values. */
function checkSigned(value: bigint, incr: bigint, bits: number, overflow: Overflow): OverflowCheck {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, min - value);
  const wrapped = BigInt.asIntN(bits, value + incr);
  if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) {
    return { direction: 1, limit: overflow === Overflow.Sat ? max : wrapped };
  }
  if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) {
    return { direction: -1, limit: overflow === Overflow.Sat ? min : wrapped };
  }
  return { direction: 0, limit: 0n };
}

/** Parses a bitfield type: `i1`..`i64` or `u1`..`u63` (lower-case sign letter, like Redis). */
function readFieldType(arg: string): { signed: boolean; bits: number } {
  const sign = arg.charCodeAt(0);
  if (sign !== 105 /* i */ && sign !== 117 /* u */) throw new RedisError(StringErr.bitfieldType);
  const signed = sign === 105;
  const bits = parseInt64(arg.slice(1));
  if (bits === undefined || bits < 1n || bits > (signed ? 64n : 63n))
    throw new RedisError(StringErr.bitfieldType);
  return { signed, bits: Number(bits) };
}

/** Parses BITFIELD's operations, with Redis's errors in Redis's order. */
function parseBitfieldOps(c: Client): { ops: BitfieldOp[]; readonly: boolean; highestBit: number } {
  const argv = c.argv;
  const ops: BitfieldOp[] = [];
  let overflow = Overflow.Wrap;
  let readonly = true;
  let highestBit = 0;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j]!;
    let op: FieldOp;
    if (eqi(sub, "get") && remaining >= 2) op = FieldOp.Get;
    else if (eqi(sub, "set") && remaining >= 3) op = FieldOp.Set;
    else if (eqi(sub, "incrby") && remaining >= 3) op = FieldOp.IncrBy;
    else if (eqi(sub, "overflow") && remaining >= 1) {
      const kind = argv[++j]!;
      if (eqi(kind, "wrap")) overflow = Overflow.Wrap;
      else if (eqi(kind, "sat")) overflow = Overflow.Sat;
      else if (eqi(kind, "fail")) overflow = Overflow.Fail;
      else throw new RedisError(StringErr.bitfieldOverflowType);
      continue;
    } else throw new RedisError(Err.syntax);
    const { signed, bits } = readFieldType(argv[j + 1]!);
    const offset = readBitOffset(c, argv[j + 2]!, bits);
    let value = 0n;
    if (op !== FieldOp.Get) {
      readonly = false;
      if (offset + bits - 1 > highestBit) highestBit = offset + bits - 1;
      value = readBigInt(argv[j + 3]!);
    }
    ops.push({ op, offset, value, overflow, bits, signed });
    j += op === FieldOp.Get ? 2 : 3;
  }
  return { ops, readonly, highestBit };
}

/** BITFIELD and BITFIELD_RO (`readonlyCommand`: only GET allowed). */
function bitfieldGeneric(c: Client, readonlyCommand: boolean): void {
  const { ops, readonly, highestBit } = parseBitfieldOps(c);
  let raw: RawString | null = null;
  let grew = false;
  let value: StringValue | undefined;
  if (readonly) {
    value = lookupString(c.db, c.argv[1]!);
  } else {
    if (readonlyCommand) throw new RedisError(StringErr.bitfieldReadOnly);
    ({ raw, grew } = lookupStringForWrite(c, highestBit));
    value = raw;
  }
  c.reply.array(ops.length);
  let changes = 0;
  for (const op of ops) {
    if (op.op === FieldOp.Get) {
      const u = readField(value, op.offset, op.bits);
      c.reply.integer(op.signed ? BigInt.asIntN(op.bits, u) : u);
      continue;
    }
    const stored = readField(raw!, op.offset, op.bits);
    const oldValue = op.signed ? BigInt.asIntN(op.bits, stored) : stored;
    let newValue: bigint;
    let reply: bigint;
    let check: OverflowCheck;
    if (op.op === FieldOp.IncrBy) {
      check = op.signed
        ? checkSigned(oldValue, op.value, op.bits, op.overflow)
        : checkUnsigned(oldValue, op.value, op.bits, op.overflow);
      newValue = check.direction !== 0 ? check.limit : oldValue + op.value;
      reply = newValue;
    } else {
      const v = op.signed ? op.value : BigInt.asUintN(64, op.value);
      check = op.signed
        ? checkSigned(v, 0n, op.bits, op.overflow)
        : checkUnsigned(v, 0n, op.bits, op.overflow);
      newValue = check.direction !== 0 ? check.limit : v;
      reply = oldValue;
    }
    if (check.direction !== 0 && op.overflow === Overflow.Fail) {
      c.reply.nullBulk();
      continue;
    }
    c.reply.integer(reply);
    writeField(raw!, op.offset, op.bits, BigInt.asUintN(op.bits, newValue));
    if (grew || newValue !== oldValue) changes++;
  }
  if (changes > 0) {
    c.server.keyspace.signalModified(c.db, c.argv[1]!);
    c.server.keyspace.notify(c.db, NotifyClass.string, "setbit", c.argv[1]!);
  }
}

/** BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value | INCRBY type offset increment ...] */
function bitfieldCommand(c: Client): void {
  bitfieldGeneric(c, false);
}

/** BITFIELD_RO key [GET type offset ...] */
function bitfieldroCommand(c: Client): void {
  bitfieldGeneric(c, true);
}

export const bitmapCommands: CommandDefinition[] = [
  { name: "setbit", handler: setbitCommand },
  { name: "getbit", handler: getbitCommand },
  { name: "bitcount", handler: bitcountCommand },
  { name: "bitpos", handler: bitposCommand },
  { name: "bitop", handler: bitopCommand },
  { name: "bitfield", handler: bitfieldCommand },
  { name: "bitfield_ro", handler: bitfieldroCommand },
];
