/**
 * Builders of RDB payloads for the DUMP/RESTORE parity tests (dump-collections.test.ts): DUMP
 * framing with a valid CRC, RDB lengths and strings, listpacks, ziplists, zipmaps, intsets,
 * doubles, and the integer edge cases of the encodings.
 */
import { ListpackBuilder } from "../../src/types/listpack.js";
import { crc64 } from "../../src/types/rdb.js";

/** A DUMP payload around a body (type byte + value), with an RDB version and a valid CRC. */
export function payload(body: Buffer, version = 10): Buffer {
  const framed = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  return Buffer.concat([framed, crc64(framed)]);
}

/** An RDB length prefix. */
export function len(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

/** An RDB string, stored plainly (length + bytes). */
export function str(s: string | Buffer): Buffer {
  const b = typeof s === "string" ? Buffer.from(s, "latin1") : s;
  return Buffer.concat([len(b.length), b]);
}

/** A body: type byte then parts. */
export function body(type: number, ...parts: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([type]), ...parts]);
}

/** A listpack of strings (stored as lpAppend stores them). */
export function lp(...entries: string[]): Buffer {
  const b = new ListpackBuilder();
  for (const e of entries) b.appendString(e);
  return b.finish();
}

/** A ziplist holding strings and integers (integers in their smallest ziplist encoding). */
export function ziplist(entries: (string | number)[]): Buffer {
  const parts: Buffer[] = [];
  let prev = 0;
  let tail = 10;
  let offset = 10;
  for (const e of entries) {
    const prevlen = prev < 254 ? Buffer.from([prev]) : Buffer.concat([Buffer.from([254]), u32le(prev)]);
    let enc: Buffer;
    if (typeof e === "string") {
      const n = e.length;
      const head =
        n < 64
          ? Buffer.from([n])
          : n < 16384
            ? Buffer.from([0x40 | (n >> 8), n & 0xff])
            : Buffer.concat([Buffer.from([0x80]), u32be(n)]);
      enc = Buffer.concat([head, Buffer.from(e, "latin1")]);
    } else if (e >= 0 && e <= 12) {
      enc = Buffer.from([0xf1 + e]);
    } else if (e >= -128 && e <= 127) {
      enc = Buffer.from([0xfe, e & 0xff]);
    } else if (e >= -32768 && e <= 32767) {
      enc = Buffer.alloc(3);
      enc[0] = 0xc0;
      enc.writeInt16LE(e, 1);
    } else if (e >= -8388608 && e <= 8388607) {
      enc = Buffer.alloc(4);
      enc[0] = 0xf0;
      enc.writeIntLE(e, 1, 3);
    } else if (e >= -2147483648 && e <= 2147483647) {
      enc = Buffer.alloc(5);
      enc[0] = 0xd0;
      enc.writeInt32LE(e, 1);
    } else {
      enc = Buffer.alloc(9);
      enc[0] = 0xe0;
      enc.writeBigInt64LE(BigInt(e), 1);
    }
    const entry = Buffer.concat([prevlen, enc]);
    tail = offset;
    offset += entry.length;
    prev = entry.length;
    parts.push(entry);
  }
  const header = Buffer.alloc(10);
  const total = offset + 1;
  header.writeUInt32LE(total, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(entries.length, 8);
  return Buffer.concat([header, ...parts, Buffer.from([0xff])]);
}

/** A zipmap (Redis 2.4 hashes) of field/value pairs, each value with `free` spare bytes. */
export function zipmap(pairs: string[], free = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([pairs.length / 2])];
  for (let i = 0; i < pairs.length; i += 2) {
    parts.push(Buffer.from([pairs[i]!.length]), Buffer.from(pairs[i]!, "latin1"));
    parts.push(
      Buffer.from([pairs[i + 1]!.length, free]),
      Buffer.from(pairs[i + 1]!, "latin1"),
      Buffer.alloc(free),
    );
  }
  parts.push(Buffer.from([0xff]));
  return Buffer.concat(parts);
}

/** An intset of the given width. */
export function intset(width: 2 | 4 | 8, values: number[]): Buffer {
  const b = Buffer.alloc(8 + width * values.length);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(values.length, 4);
  for (let i = 0; i < values.length; i++) {
    const p = 8 + i * width;
    if (width === 2) b.writeInt16LE(values[i]!, p);
    else if (width === 4) b.writeInt32LE(values[i]!, p);
    else b.writeBigInt64LE(BigInt(values[i]!), p);
  }
  return b;
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** A binary double (RDB_TYPE_ZSET_2 scores). */
export function dbl(d: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d, 0);
  return b;
}

/** A text double (RDB_TYPE_ZSET scores): a length byte and the text, or 253/254/255. */
export function textDbl(t: string | number): Buffer {
  if (typeof t === "number") return Buffer.from([t]);
  return Buffer.concat([Buffer.from([t.length]), Buffer.from(t, "latin1")]);
}

/** A copy of `b` with byte `i` set to `v`. */
export function patch(b: Buffer, i: number, v: number): Buffer {
  const c = Buffer.from(b);
  c[i < 0 ? c.length + i : i] = v;
  return c;
}

/** Deterministic pseudo-random bytes (incompressible), as a latin1 string. */
export function noise(n: number, seed: number): string {
  let s = seed >>> 0 || 1;
  let out = "";
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out += String.fromCharCode(32 + ((s >>> 16) % 95));
  }
  return out;
}

export const RDB = {
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
};

export const b = (s: string): Buffer => Buffer.from(s, "latin1");

/** Integers at every listpack integer-encoding boundary, and near-integers stored as strings. */
export const INT_EDGES = [
  "0",
  "1",
  "12",
  "13",
  "127",
  "128",
  "-1",
  "-128",
  "-129",
  "4095",
  "4096",
  "-4096",
  "-4097",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "8388607",
  "8388608",
  "-8388608",
  "-8388609",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "9007199254740993",
  "9223372036854775807",
  "-9223372036854775808",
];
export const NOT_INTS = [
  "9223372036854775808",
  "-9223372036854775809",
  "007",
  "+1",
  "-0",
  " 1",
  "1 ",
  "1.0",
  "0x10",
  "",
];
