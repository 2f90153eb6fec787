/**
 * Incremental RESP request parser: multibulk (`*N\r\n$len\r\n...`) and inline requests, with Redis
 * 7.0's limits and `Protocol error` texts. It knows nothing of commands. Arguments come out as
 * latin1 ("binary") strings: one char per byte, so any byte sequence round-trips exactly.
 *
 * Hand-written because no npm RESP parser exposes Redis's server-side request limits and exact
 * protocol errors (they are client-side reply parsers).
 */
import { latin1Slice } from "./bytes.js";
import { ProtocolErr } from "../errors.js";

/** Largest inline request, and largest count line, Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Largest bulk argument by default (proto-max-bulk-len). */
export const DEFAULT_MAX_BULK_LEN = 512 * 1024 * 1024;
/** Before AUTH, Redis refuses more than 10 arguments and bulks over 16 KiB. */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
const INT_MAX = 2147483647;

/** A protocol violation: the server replies with `message` and closes the connection. */
export class ProtocolError extends Error {}

/** Parses requests from a byte stream fed in arbitrary chunks. */
export class RequestParser {
  /** Unconsumed input; `pos` is the read position inside it. */
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** State of a multibulk request in progress. */
  private pendingCount = 0;
  private pendingArgs: string[] = [];
  private pendingBulkLen = -1;
  /** A large bulk being filled in place, to avoid re-concatenating the input for every chunk. */
  private bigBulk: Buffer | null = null;
  private bigBulkFilled = 0;

  /** Maximum bulk length (proto-max-bulk-len). */
  maxBulkLen = DEFAULT_MAX_BULK_LEN;
  /** True while the client must still authenticate: Redis's stricter limits apply. */
  unauthenticated = false;

  /** Appends a chunk of input. */
  feed(chunk: Buffer): void {
    if (this.bigBulk !== null) {
      const need = this.bigBulk.length - this.bigBulkFilled;
      const take = Math.min(need, chunk.length);
      chunk.copy(this.bigBulk, this.bigBulkFilled, 0, take);
      this.bigBulkFilled += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes received but not yet consumed as complete requests. */
  get pendingBytes(): number {
    return this.buf.length - this.pos + (this.bigBulk ? this.bigBulkFilled : 0);
  }

  /**
   * Returns the next complete request's arguments, an empty array for an empty request (which the
   * caller skips), or null when more input is needed. Throws {@link ProtocolError}.
   */
  next(): string[] | null {
    if (this.pendingCount === 0 && this.bigBulk === null) {
      if (this.pos >= this.buf.length) return null;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.parseInline();
      const count = this.readCountLine(ProtocolErr.tooBigMultibulkCount);
      if (count === null) return null;
      if (count === undefined || count > INT_MAX) throw new ProtocolError(ProtocolErr.invalidMultibulkLength);
      if (count > UNAUTH_MAX_MULTIBULK && this.unauthenticated) {
        throw new ProtocolError(ProtocolErr.unauthenticatedMultibulk);
      }
      if (count <= 0) return [];
      this.pendingCount = count;
      this.pendingArgs = [];
    }
    return this.parseBulks();
  }

  private parseBulks(): string[] | null {
    const buf = this.buf;
    while (this.pendingArgs.length < this.pendingCount) {
      if (this.bigBulk !== null) {
        if (this.bigBulkFilled < this.bigBulk.length) return null;
        // The big buffer holds the payload and its CRLF, which Redis skips without checking.
        this.pendingArgs.push(latin1Slice(this.bigBulk, 0, this.bigBulk.length - 2));
        this.bigBulk = null;
        this.bigBulkFilled = 0;
        this.pendingBulkLen = -1;
        continue;
      }
      if (this.pendingBulkLen < 0) {
        if (this.pos >= this.buf.length) return null;
        const cr = this.buf.indexOf(13, this.pos);
        if (cr < 0 || cr + 1 >= this.buf.length) {
          if (this.buf.length - this.pos > INLINE_MAX_SIZE)
            throw new ProtocolError(ProtocolErr.tooBigBulkCount);
          return null;
        }
        if (this.buf[this.pos] !== 0x24 /* '$' */) {
          throw new ProtocolError(ProtocolErr.expectedDollar(String.fromCharCode(this.buf[this.pos]!)));
        }
        const len = parseLongLong(this.buf, this.pos + 1, cr);
        if (len === undefined || len < 0 || len > this.maxBulkLen) {
          throw new ProtocolError(ProtocolErr.invalidBulkLength);
        }
        if (len > UNAUTH_MAX_BULK && this.unauthenticated) {
          throw new ProtocolError(ProtocolErr.unauthenticatedBulk);
        }
        this.pos = cr + 2;
        this.pendingBulkLen = len;
        const available = this.buf.length - this.pos;
        if (len >= 32 * 1024 && available < len + 2) {
          // Large argument: collect it in its own buffer as it arrives (payload + CRLF).
          this.bigBulk = Buffer.allocUnsafe(len + 2);
          const take = Math.min(available, len + 2);
          this.buf.copy(this.bigBulk, 0, this.pos, this.pos + take);
          this.bigBulkFilled = take;
          this.pos += take;
          continue;
        }
      }
      const len = this.pendingBulkLen;
      if (buf.length - this.pos < len + 2) return null;
      this.pendingArgs.push(latin1Slice(buf, this.pos, this.pos + len));
      this.pos += len + 2;
      this.pendingBulkLen = -1;
    }
    const args = this.pendingArgs;
    this.pendingArgs = [];
    this.pendingCount = 0;
    return args;
  }

  /** Reads `*N\r\n`; null if incomplete, undefined if not a number. */
  private readCountLine(tooBig: string): number | null | undefined {
    const cr = this.buf.indexOf(13, this.pos);
    if (cr < 0 || cr + 1 >= this.buf.length) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(tooBig);
      return null;
    }
    const n = parseLongLong(this.buf, this.pos + 1, cr);
    this.pos = cr + 2;
    return n;
  }

  private parseInline(): string[] | null {
    const nl = this.buf.indexOf(10, this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(ProtocolErr.tooBigInline);
      return null;
    }
    let end = nl;
    if (end > this.pos && this.buf[end - 1] === 13) end--;
    const line = latin1Slice(this.buf, this.pos, end);
    this.pos = nl + 1;
    const args = splitInlineArgs(line);
    if (args === null) throw new ProtocolError(ProtocolErr.unbalancedQuotes);
    return args;
  }
}

/**
 * Redis's string2ll over buf[start, end): optional '-', digits, no leading zeros (except "0"),
 * no '+', fits in a signed 64-bit integer (checked approximately past 2^53, where only the
 * "invalid" verdict matters for protocol lengths). Returns undefined when not a valid integer.
 */
function parseLongLong(buf: Buffer, start: number, end: number): number | undefined {
  if (start >= end || end - start > 20) return undefined;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d) {
    negative = true;
    i++;
    if (i >= end) return undefined;
  }
  if (buf[i] === 0x30 && end - i > 1) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  if (n > 2 ** 63) return undefined;
  return negative ? -n : n;
}

const HEX = "0123456789abcdefABCDEF";

function isSpace(c: string): boolean {
  return c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\v" || c === "\f";
}

function isHex(c: string): boolean {
  return HEX.includes(c);
}

function hexValue(c: string): number {
  const i = HEX.indexOf(c);
  return i < 16 ? i : i - 6;
}

/**
 * Splits an inline request like Redis's sdssplitargs: whitespace separates arguments; "double
 * quotes" understand \xHH, \n, \r, \t, \b, \a and \<char>; 'single quotes' understand \'. A closing
 * quote must be followed by whitespace or the end. Returns null on unbalanced quotes.
 */
export function splitInlineArgs(line: string): string[] | null {
  const args: string[] = [];
  let p = 0;
  const n = line.length;
  while (true) {
    while (p < n && isSpace(line[p]!)) p++;
    if (p >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let current = "";
    while (!done) {
      if (inDouble) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === "\\" && line[p + 1] === "x" && p + 3 < n && isHex(line[p + 2]!) && isHex(line[p + 3]!)) {
          current += String.fromCharCode(hexValue(line[p + 2]!) * 16 + hexValue(line[p + 3]!));
          p += 3;
        } else if (c === "\\" && p + 1 < n) {
          p++;
          const e = line[p]!;
          current +=
            e === "n"
              ? "\n"
              : e === "r"
                ? "\r"
                : e === "t"
                  ? "\t"
                  : e === "b"
                    ? "\b"
                    : e === "a"
                      ? "\x07"
                      : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line[p + 1]!)) return null;
          done = true;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === "\\" && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line[p + 1]!)) return null;
          done = true;
        } else {
          current += c;
        }
      } else {
        if (p >= n) {
          done = true;
          break;
        }
        const c = line[p]!;
        if (isSpace(c)) done = true;
        else if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else current += c;
      }
      if (p < n) p++;
    }
    args.push(current);
  }
}
