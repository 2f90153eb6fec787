/**
 * Redis's listpack format (listpack.c), byte for byte: the blob small hashes, sorted sets and
 * quicklist nodes are serialized as in RDB payloads.
 *
 * Layout: `<total bytes, uint32 LE><element count, uint16 LE><entries...><0xFF>`. The count is
 * 65535 ("unknown") when there are that many elements or more. Each entry is an encoding byte (and
 * any length bytes), the data, then a "backlen": the size of encoding + data written in 7-bit
 * groups, most significant first, every byte but the first flagged with 0x80, so it can be read
 * backwards from the entry's last byte. Encodings:
 *
 * | first byte  | entry                                        |
 * |-------------|----------------------------------------------|
 * | `0xxxxxxx`  | 7-bit unsigned integer                       |
 * | `10xxxxxx`  | string of up to 63 bytes (6-bit length)      |
 * | `110xxxxx`  | 13-bit signed integer (one more byte)        |
 * | `1110xxxx`  | string of up to 4095 bytes (12-bit length)   |
 * | `0xF1..F4`  | 16, 24, 32, 64-bit signed integer, LE        |
 * | `0xF0`      | string with a 32-bit LE length               |
 *
 * Like lpAppend, {@link ListpackBuilder.appendString} stores a string that is the canonical
 * decimal form of a signed 64-bit integer (Redis's string2ll) as an integer, in the smallest
 * integer encoding; {@link parseListpack} gives such entries back as integers.
 */
import { isIntsetMember } from "./set.js";

/** Header size: total bytes (4) and element count (2). */
export const LP_HDR_SIZE = 6;
/** The end-of-listpack byte. */
export const LP_EOF = 0xff;
/** The element count stored when it does not fit 16 bits. */
export const LP_HDR_NUMELE_UNKNOWN = 0xffff;
/** Bytes of an empty listpack (lpNew). */
export const LP_EMPTY_BYTES = LP_HDR_SIZE + 1;

/** An element read from a listpack: a string (latin1), or an integer (bigint beyond ±2^53). */
export type ListpackEntry = string | number | bigint;

/** Bytes the backlen of an entry of `size` bytes takes (lpEncodeBacklen). */
export function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Bytes of the encoding and data of an integer entry (lpEncodeIntegerGetType). */
function integerBodySize(v: number | bigint): number {
  if (typeof v === "bigint") {
    if (v >= -2147483648n && v <= 2147483647n) return integerBodySize(Number(v));
    return 9;
  }
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes of the encoding and data of a string entry (lpEncodeString's header plus the data). */
function stringBodySize(len: number): number {
  return (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
}

/**
 * The integer a string stands for if listpack stores it as one (lpStringToInt64: canonical
 * decimal, signed 64-bit), else undefined. Numbers are exact (≤ 16 digits), bigints beyond.
 */
export function listpackInteger(s: string): number | bigint | undefined {
  if (!isIntsetMember(s)) return undefined;
  return s.length <= 15 ? Number(s) : BigInt(s);
}

/** Total bytes an element adds to a listpack (entry and backlen), as lpAppend would store it. */
export function listpackEntrySize(s: string): number {
  const v = listpackInteger(s);
  const body = v === undefined ? stringBodySize(s.length) : integerBodySize(v);
  return body + backlenSize(body);
}

/** Builds a listpack by appending entries, as a sequence of lpAppend calls would. */
export class ListpackBuilder {
  private buf: Buffer;
  private used = LP_HDR_SIZE;
  private count = 0;

  constructor(capacity = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, LP_EMPTY_BYTES));
  }

  /** Number of entries appended. */
  get length(): number {
    return this.count;
  }

  /** The listpack's total size so far, end byte included (lpBytes). */
  get bytes(): number {
    return this.used + 1;
  }

  private reserve(n: number): void {
    if (this.used + n + 1 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.used + n + 1) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** Appends a string (lpAppend): as an integer when it is a canonical 64-bit integer. */
  appendString(s: string): this {
    const v = listpackInteger(s);
    if (v !== undefined) return this.appendInteger(v);
    const len = s.length;
    const body = stringBodySize(len);
    this.reserve(body + 5);
    const buf = this.buf;
    let p = this.used;
    if (len < 64) {
      buf[p++] = 0x80 | len;
    } else if (len < 4096) {
      buf[p++] = 0xe0 | (len >> 8);
      buf[p++] = len & 0xff;
    } else {
      buf[p++] = 0xf0;
      buf.writeUInt32LE(len, p);
      p += 4;
    }
    p += buf.write(s, p, len, "latin1");
    this.used = this.writeBacklen(p, body);
    this.count++;
    return this;
  }

  /** Appends a signed 64-bit integer (lpAppendInteger) in its smallest encoding. */
  appendInteger(value: number | bigint): this {
    let v: number | bigint = value;
    if (typeof v === "bigint" && v >= -2147483648n && v <= 2147483647n) v = Number(v);
    const body = integerBodySize(v);
    this.reserve(body + 1);
    const buf = this.buf;
    let p = this.used;
    if (typeof v === "bigint" || body === 9) {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(BigInt(v), p);
      p += 8;
    } else if (body === 1) {
      buf[p++] = v;
    } else if (body === 2) {
      const u = v < 0 ? (1 << 13) + v : v;
      buf[p++] = 0xc0 | (u >> 8);
      buf[p++] = u & 0xff;
    } else if (body === 3) {
      buf[p++] = 0xf1;
      buf.writeInt16LE(v, p);
      p += 2;
    } else if (body === 4) {
      buf[p++] = 0xf2;
      buf.writeIntLE(v, p, 3);
      p += 3;
    } else {
      buf[p++] = 0xf3;
      buf.writeInt32LE(v, p);
      p += 4;
    }
    this.used = this.writeBacklen(p, body);
    this.count++;
    return this;
  }

  /** Writes the backlen of an entry of `size` bytes at `p` (lpEncodeBacklen); returns the end. */
  private writeBacklen(p: number, size: number): number {
    const buf = this.buf;
    const n = backlenSize(size);
    // Most significant group first; every byte after the first carries the 0x80 flag.
    for (let i = n - 1; i >= 0; i--) {
      buf[p + i] = (size & 127) | (i === 0 ? 0 : 128);
      size = Math.floor(size / 128);
    }
    return p + n;
  }

  /** The finished listpack (a copy; the builder may keep appending). */
  finish(): Buffer {
    this.reserve(0);
    const total = this.used + 1;
    const out = Buffer.allocUnsafe(total);
    this.buf.copy(out, 0, 0, this.used);
    out.writeUInt32LE(total, 0);
    out.writeUInt16LE(this.count < LP_HDR_NUMELE_UNKNOWN ? this.count : LP_HDR_NUMELE_UNKNOWN, 4);
    out[total - 1] = LP_EOF;
    return out;
  }
}

/** A listpack of these strings, each stored as lpAppend would. */
export function encodeListpack(elements: Iterable<string>): Buffer {
  const b = new ListpackBuilder();
  for (const e of elements) b.appendString(e);
  return b.finish();
}

/**
 * Reads a backlen ending at `p` backwards (lpDecodeBacklen); returns its value, or -1 if it runs
 * past 5 bytes or before `start`.
 */
function decodeBacklen(buf: Uint8Array, p: number, start: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    if (p < start) return -1;
    const b = buf[p]!;
    val += (b & 127) * 2 ** shift;
    if (!(b & 128)) return val;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
}

/**
 * Parses and fully validates a listpack (lpValidateIntegrity with deep checks: the header's total
 * bytes equal the blob's size, the end byte, every entry's encoding and backlen within bounds, and
 * the element count unless "unknown"). Returns the entries, or null if the blob is malformed.
 * Integer entries come back as numbers (bigints beyond ±2^53); strings as latin1 strings.
 */
export function parseListpack(lp: Uint8Array): ListpackEntry[] | null {
  const size = lp.length;
  if (size < LP_EMPTY_BYTES) return null;
  const view = Buffer.from(lp.buffer, lp.byteOffset, size);
  if (view.readUInt32LE(0) !== size) return null;
  if (lp[size - 1] !== LP_EOF) return null;
  const numele = view.readUInt16LE(4);
  const out: ListpackEntry[] = [];
  const last = size - 1; // entries must end at or before the end byte
  let p = LP_HDR_SIZE;
  while (p < last) {
    const b = lp[p]!;
    let hdr: number; // encoding and length bytes
    let len: number; // data bytes
    let entry: ListpackEntry;
    if ((b & 0x80) === 0) {
      hdr = 1;
      len = 0;
      entry = b;
    } else if ((b & 0xc0) === 0x80) {
      hdr = 1;
      len = b & 0x3f;
      entry = "";
    } else if ((b & 0xe0) === 0xc0) {
      if (p + 1 >= last) return null;
      hdr = 2;
      len = 0;
      const u = ((b & 0x1f) << 8) | lp[p + 1]!;
      entry = u >= 1 << 12 ? u - (1 << 13) : u;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 1 >= last) return null;
      hdr = 2;
      len = ((b & 0x0f) << 8) | lp[p + 1]!;
      entry = "";
    } else if (b === 0xf0) {
      if (p + 4 >= last) return null;
      hdr = 5;
      len = view.readUInt32LE(p + 1);
      entry = "";
    } else if (b >= 0xf1 && b <= 0xf4) {
      hdr = 1;
      len = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      entry = 0; // read below, once the bounds are checked
    } else {
      return null; // unknown encoding, or the end byte before the end
    }
    const body = hdr + len;
    const back = backlenSize(body);
    if (p + body + back > last) return null;
    const end = p + body + back;
    if (decodeBacklen(lp, end - 1, p + body) !== body) return null;
    if (typeof entry === "string") {
      entry = view.toString("latin1", p + hdr, p + body);
    } else if (b >= 0xf1 && b <= 0xf4) {
      const d = p + 1;
      if (b === 0xf1) entry = view.readInt16LE(d);
      else if (b === 0xf2) entry = view.readIntLE(d, 3);
      else if (b === 0xf3) entry = view.readInt32LE(d);
      else {
        const big = view.readBigInt64LE(d);
        entry = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      }
    }
    out.push(entry);
    p = end;
  }
  if (p !== last) return null;
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== out.length) return null;
  return out;
}

/** An entry as the string Redis would give back for it (integers in decimal). */
export function entryToString(e: ListpackEntry): string {
  return typeof e === "string" ? e : String(e);
}
