/**
 * String values. A string set whole (SET, INCR, ...) is stored as a plain latin1 JS string: compact
 * and fast. A string edited in place (APPEND, SETRANGE, SETBIT, BITFIELD) becomes a {@link RawString},
 * a growable byte buffer like Redis's sds, so repeated edits are amortised O(1). Redis reports the
 * first kind as `int`/`embstr` and the second as `raw`, and so does OBJECT ENCODING here.
 */
import { latin1Slice, latin1Write } from "../resp/bytes.js";

/** A mutable, growable byte string (Redis's `raw` encoding). */
export class RawString {
  readonly type = "string";
  /** Bytes in use are `buf[0, length)`. */
  buf: Buffer;
  length: number;

  constructor(initial: string | Buffer, capacity = 0) {
    const size = typeof initial === "string" ? initial.length : initial.length;
    this.buf = Buffer.alloc(Math.max(size, capacity));
    if (typeof initial === "string") latin1Write(this.buf, initial, 0);
    else initial.copy(this.buf);
    this.length = size;
  }

  /** Grows to at least `size` bytes, zero-filling new bytes. */
  ensureLength(size: number): void {
    if (size <= this.length) return;
    if (size > this.buf.length) {
      // Same growth rule as sds: double below 1 MiB, then add 1 MiB.
      const capacity = size < 1024 * 1024 ? size * 2 : size + 1024 * 1024;
      const next = Buffer.alloc(capacity);
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    } else {
      this.buf.fill(0, this.length, size);
    }
    this.length = size;
  }

  /** Appends latin1 bytes. */
  append(bytes: string): void {
    const start = this.length;
    this.ensureLength(start + bytes.length);
    latin1Write(this.buf, bytes, start);
  }

  /** Overwrites bytes from `offset`, growing (zero-filled) as needed (SETRANGE). */
  writeAt(offset: number, bytes: string): void {
    this.ensureLength(offset + bytes.length);
    latin1Write(this.buf, bytes, offset);
  }

  /** Bytes [start, end) as a latin1 string (like String.prototype.slice with in-range bounds). */
  slice(start: number, end: number): string {
    return latin1Slice(this.buf, start, Math.min(end, this.length));
  }

  /** The contents as a latin1 string. */
  toString(): string {
    return latin1Slice(this.buf, 0, this.length);
  }

  /** An independent copy (COPY must not share a mutable buffer between keys). */
  clone(): RawString {
    return new RawString(this.buf.subarray(0, this.length));
  }
}

/**
 * The value as a {@link RawString} for in-place editing: the value itself when it already is one,
 * else a new RawString with room for `extra` more bytes (Redis's dbUnshareStringValue).
 */
export function toRawString(value: StringValue, extra = 0): RawString {
  if (typeof value !== "string") return value;
  return new RawString(value, value.length + extra);
}

/** Byte `index` of a string value (caller checks the bounds). */
export function byteAt(value: StringValue, index: number): number {
  return typeof value === "string" ? value.charCodeAt(index) : value.buf[index]!;
}

/** A string value as stored in the keyspace. */
export type StringValue = string | RawString;

/** The bytes of a string value as a latin1 string. */
export function stringBytes(value: StringValue): string {
  return typeof value === "string" ? value : value.toString();
}

/** The length in bytes of a string value. */
export function stringLength(value: StringValue): number {
  return value.length;
}

/** Largest value Redis encodes as `embstr` (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;

/** OBJECT ENCODING of a string value, following Redis's tryObjectEncoding. */
export function stringEncoding(value: StringValue): "int" | "embstr" | "raw" {
  if (typeof value !== "string") return "raw";
  if (value.length <= 20 && isCanonicalInt64(value)) return "int";
  return value.length <= EMBSTR_LIMIT ? "embstr" : "raw";
}

/** True for the canonical decimal form of a signed 64-bit integer ("12", "-7", not "012" or "+1"). */
export function isCanonicalInt64(s: string): boolean {
  return parseInt64(s) !== undefined;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Redis's string2ll: the canonical decimal form of a signed 64-bit integer, or undefined.
 * Returns a bigint to keep 64-bit precision.
 */
export function parseInt64(s: string): bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 20) return undefined;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0n : undefined;
  if (first < 49 || first > 57) return undefined;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) return undefined;
  return v;
}

export { INT64_MAX, INT64_MIN };
