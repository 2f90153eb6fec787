/**
 * Redis's intset format (intset.c), byte for byte: the blob a small all-integer set is serialized
 * as in RDB payloads.
 *
 * Layout: `<encoding, uint32 LE><length, uint32 LE><length integers, each `encoding` bytes, LE>`,
 * where the encoding is the element width in bytes (2, 4 or 8) and the integers are sorted
 * ascending with no duplicates. Redis widens an intset when a member needs it and never narrows
 * it again, so a set that once held a large integer keeps the wider encoding.
 */

/** The element widths an intset can use (INTSET_ENC_INT16 / INT32 / INT64). */
export type IntsetWidth = 2 | 4 | 8;

/** Header size: encoding and length. */
const INTSET_HDR_SIZE = 8;

/** The narrowest width holding a canonical integer string (_intsetValueEncoding). */
export function intsetWidthOf(member: string): IntsetWidth {
  // Up to 4 digits always fits 16 bits; up to 9 digits always fits 32 bits.
  const digits = member.length - (member.charCodeAt(0) === 45 ? 1 : 0);
  if (digits <= 4) return 2;
  if (digits <= 9) {
    const v = Number(member);
    return v >= -32768 && v <= 32767 ? 2 : 4;
  }
  if (digits >= 11) return 8;
  const v = Number(member);
  return v >= -2147483648 && v <= 2147483647 ? 4 : 8;
}

/**
 * The intset blob of `members` (canonical integer strings, sorted ascending by value, distinct),
 * in the narrowest width that holds them all, or `minWidth` if wider.
 */
export function encodeIntset(members: readonly string[], minWidth: IntsetWidth = 2): Buffer {
  let width: IntsetWidth = minWidth;
  // Sorted: only the extremes can need the widest encoding.
  if (members.length > 0 && width < 8) {
    const lo = intsetWidthOf(members[0]!);
    const hi = intsetWidthOf(members[members.length - 1]!);
    width = Math.max(width, lo, hi) as IntsetWidth;
  }
  const n = members.length;
  const out = Buffer.allocUnsafe(INTSET_HDR_SIZE + n * width);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(n, 4);
  let p = INTSET_HDR_SIZE;
  for (const m of members) {
    if (width === 2) out.writeInt16LE(Number(m), p);
    else if (width === 4) out.writeInt32LE(Number(m), p);
    else out.writeBigInt64LE(BigInt(m), p);
    p += width;
  }
  return out;
}

/** A parsed intset: its members as decimal strings in stored order, and its width. */
export interface ParsedIntset {
  members: string[];
  width: IntsetWidth;
}

/**
 * Parses and fully validates an intset (intsetValidateIntegrity with deep checks: a known width,
 * a size that matches the length, at least one member, strictly ascending members). Returns null
 * if the blob is malformed.
 */
export function parseIntset(blob: Uint8Array): ParsedIntset | null {
  const size = blob.length;
  if (size < INTSET_HDR_SIZE) return null;
  const view = Buffer.from(blob.buffer, blob.byteOffset, size);
  const width = view.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = view.readUInt32LE(4);
  if (INTSET_HDR_SIZE + count * width !== size) return null;
  if (count === 0) return null;
  const members: string[] = [];
  let prev: number | bigint | undefined;
  for (let i = 0, p = INTSET_HDR_SIZE; i < count; i++, p += width) {
    const v: number | bigint =
      width === 2 ? view.readInt16LE(p) : width === 4 ? view.readInt32LE(p) : view.readBigInt64LE(p);
    if (prev !== undefined && v <= prev) return null;
    prev = v;
    members.push(String(v));
  }
  return { members, width };
}
