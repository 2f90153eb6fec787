/**
 * Parsers for the legacy compact encodings older RDB payloads carry and Redis 7.0 still loads
 * (converting them on load): ziplists (ziplist.c; lists, hashes and sorted sets before 7.0, and
 * quicklist nodes before RDB_TYPE_LIST_QUICKLIST_2) and zipmaps (zipmap.c; hashes before 2.6).
 * Both are validated as thoroughly as Redis does when loading them (always "deep").
 */
import type { ListpackEntry } from "./listpack.js";

const ZIPLIST_HEADER_SIZE = 10;
const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;

/**
 * Parses and validates a ziplist (ziplistValidateIntegrity, deep): header bytes equal to the
 * blob's size, the end byte, a tail offset pointing at the last entry, every entry's prevlen equal
 * to the previous entry's size, valid encodings within bounds, and the element count unless
 * "unknown" (65535). Returns the entries (integers as numbers, or bigints beyond ±2^53), or null.
 *
 * Layout: `<zlbytes u32 LE><zltail u32 LE><zllen u16 LE><entries><0xFF>`; an entry is
 * `<prevlen: 1 byte < 254, or 0xFE + u32 LE><encoding><data>`, the encoding being `00pppppp`
 * (string, 6-bit length), `01pppppp qqqqqqqq` (14-bit length, big-endian), `10______` + u32 BE
 * length, or for integers 0xC0 (int16), 0xD0 (int32), 0xE0 (int64), 0xF0 (int24), 0xFE (int8),
 * all little-endian, and 0xF1..0xFD (the values 0..12 with no data).
 */
export function parseZiplist(zl: Uint8Array): ListpackEntry[] | null {
  const size = zl.length;
  if (size < ZIPLIST_HEADER_SIZE + 1) return null;
  const view = Buffer.from(zl.buffer, zl.byteOffset, size);
  if (view.readUInt32LE(0) !== size) return null;
  if (zl[size - 1] !== ZIP_END) return null;
  const tail = view.readUInt32LE(4);
  if (tail > size - 1) return null;
  const headerCount = view.readUInt16LE(8);
  const out: ListpackEntry[] = [];
  const last = size - 1;
  let p = ZIPLIST_HEADER_SIZE;
  let prevStart = -1;
  let prevSize = 0;
  while (zl[p] !== ZIP_END) {
    // prevlen
    let q = p;
    let prevlen = zl[q++]!;
    if (prevlen === ZIP_BIG_PREVLEN) {
      if (q + 4 > last) return null;
      prevlen = view.readUInt32LE(q);
      q += 4;
    } else if (prevlen > ZIP_BIG_PREVLEN) {
      return null;
    }
    if (prevlen !== prevSize) return null;
    if (q >= last) return null;
    // encoding
    const enc = zl[q++]!;
    let entry: ListpackEntry;
    let dataLen: number;
    if (enc < 0xc0) {
      const kind = enc & 0xc0;
      if (kind === 0x00) {
        dataLen = enc & 0x3f;
      } else if (kind === 0x40) {
        if (q >= last) return null;
        dataLen = ((enc & 0x3f) << 8) | zl[q++]!;
      } else {
        if (q + 4 > last) return null;
        dataLen = view.readUInt32BE(q);
        q += 4;
      }
      if (q + dataLen > last) return null;
      entry = view.toString("latin1", q, q + dataLen);
    } else {
      if (enc === 0xc0) dataLen = 2;
      else if (enc === 0xd0) dataLen = 4;
      else if (enc === 0xe0) dataLen = 8;
      else if (enc === 0xf0) dataLen = 3;
      else if (enc === 0xfe) dataLen = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) dataLen = 0;
      else return null;
      if (q + dataLen > last) return null;
      if (enc === 0xc0) entry = view.readInt16LE(q);
      else if (enc === 0xd0) entry = view.readInt32LE(q);
      else if (enc === 0xf0) entry = view.readIntLE(q, 3);
      else if (enc === 0xfe) entry = view.readInt8(q);
      else if (enc === 0xe0) {
        const big = view.readBigInt64LE(q);
        entry = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      } else entry = (enc & 0x0f) - 1;
    }
    const next = q + dataLen;
    out.push(entry);
    prevStart = p;
    prevSize = next - p;
    p = next;
  }
  if (p !== last) return null;
  if (prevStart >= 0 && prevStart !== tail) return null;
  if (headerCount !== 0xffff && headerCount !== out.length) return null;
  return out;
}

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/**
 * Parses and validates a zipmap (zipmapValidateIntegrity, deep): a Redis 2.4 hash encoding,
 * `<count: 1 byte, 254+ = unknown>` then `<len><field><len><free: 1 byte><value><free bytes>`
 * pairs and 0xFF, lengths being 1 byte (< 254) or 254 + u32 LE. Returns the fields and values
 * interleaved, or null if malformed or empty.
 */
export function parseZipmap(zm: Uint8Array): string[] | null {
  const size = zm.length;
  if (size < 2) return null;
  if (zm[size - 1] !== ZIPMAP_END) return null;
  const view = Buffer.from(zm.buffer, zm.byteOffset, size);
  const outOfRange = (q: number): boolean => q < 2 || q > size - 1;
  const out: string[] = [];
  let count = 0;
  let p = 1;
  const readLen = (): number => {
    const b = zm[p]!;
    const s = b < ZIPMAP_BIGLEN ? 1 : 5;
    if (outOfRange(p + s)) return -1;
    const len = b < ZIPMAP_BIGLEN ? b : view.readUInt32LE(p + 1);
    p += s;
    return len;
  };
  while (zm[p] !== ZIPMAP_END) {
    const flen = readLen();
    if (flen < 0) return null;
    if (outOfRange(p + flen)) return null;
    const field = view.toString("latin1", p, p + flen);
    p += flen;
    const vlen = readLen();
    if (vlen < 0) return null;
    const free = zm[p++]!;
    if (outOfRange(p + vlen + free)) return null;
    const value = view.toString("latin1", p, p + vlen);
    p += vlen + free;
    out.push(field, value);
    count++;
  }
  if (count === 0) return null;
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== count) return null;
  return out;
}
