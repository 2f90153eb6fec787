/**
 * Incremental RESP request parser: multibulk (`*N\r\n$len\r\n...`) and inline requests, with Redis
 * 7.0's limits and `Protocol error` texts. It knows nothing of commands. Arguments come out as
 * latin1 ("binary") strings: one char per byte, so any byte sequence round-trips exactly.
 *
 * It follows networking.c's processMultibulkBuffer/processInlineBuffer closely, quirks included:
 * line terminators are searched with C's strchr, so a NUL byte before the terminator makes the line
 * look incomplete (the request then waits, and fails as "too big" past 64 KiB); the byte after a
 * `\r` and the CRLF after a bulk payload are skipped without being checked; numbers follow
 * string2ll (no '+', no leading zeros, no "-0", signed 64-bit range).
 *
 * Hand-written because no npm RESP parser exposes Redis's server-side request limits and exact
 * protocol errors (they are client-side reply parsers).
 */
import { constants as bufferConstants } from "node:buffer";
import { latin1Slice } from "./bytes.js";
import { ProtocolErr } from "../errors.js";

/** Largest inline request, and largest count line, Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Largest bulk argument by default (proto-max-bulk-len). */
export const DEFAULT_MAX_BULK_LEN = 512 * 1024 * 1024;
/**
 * Bulks at least this long that have not fully arrived are collected piece by piece instead of in
 * the input buffer (Redis's PROTO_MBULK_BIG_ARG).
 */
export const BIG_ARG = 32 * 1024;
/**
 * Longest argument reddish can hold: V8's string length limit (just under 512 MiB). A longer bulk
 * length is refused as an invalid bulk length (Redis would accept up to proto-max-bulk-len).
 */
export const MAX_ARG_LEN = bufferConstants.MAX_STRING_LENGTH;
/** Before AUTH, Redis refuses more than 10 arguments and bulks over 16 KiB. */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
const INT_MAX = 2147483647;
const EMPTY = Buffer.alloc(0);

/** A protocol violation: the server replies with `message` and closes the connection. */
export class ProtocolError extends Error {}

/** First arguments up to this many bytes are compared with the previous command name. */
const NAME_CACHE_MAX = 24;

/** Parses requests from a byte stream fed in arbitrary chunks. */
export class RequestParser {
  /** Input; bytes [pos, end) are unconsumed. `owned` when the buffer is ours to append into. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  private owned = false;
  /**
   * Bytes from `pos` already searched for the current line's terminator (and found to hold neither
   * it nor a NUL), so that a line arriving in many small pieces is scanned once.
   */
  private scanned = 0;
  /** State of a multibulk request in progress. */
  private pendingCount = 0;
  private pendingArgs: string[] = [];
  private pendingBulkLen = -1;
  /** Pieces of a large bulk (payload + CRLF) still arriving, and how many bytes they hold. */
  private bigParts: Buffer[] | null = null;
  private bigFilled = 0;
  /** The last command name's bytes and string (see commandName). */
  private readonly nameBytes = Buffer.alloc(NAME_CACHE_MAX);
  private nameLen = -1;
  private name = "";

  /** Maximum bulk length (proto-max-bulk-len). */
  maxBulkLen = DEFAULT_MAX_BULK_LEN;
  /** True while the client must still authenticate: Redis's stricter limits apply. */
  unauthenticated = false;

  /** Appends a chunk of input. The parser may keep a reference to it: don't reuse its memory. */
  feed(chunk: Buffer): void {
    if (this.bigParts !== null) {
      const need = this.pendingBulkLen + 2 - this.bigFilled;
      if (need > 0) {
        const take = Math.min(need, chunk.length);
        this.bigParts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
        this.bigFilled += take;
        if (take === chunk.length) return;
        chunk = chunk.subarray(take);
      }
    }
    if (chunk.length === 0) return;
    const remaining = this.end - this.pos;
    if (remaining === 0) {
      // The common case: everything before was consumed; use the chunk in place.
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    if (this.owned && this.end + chunk.length <= this.buf.length) {
      chunk.copy(this.buf, this.end);
      this.end += chunk.length;
      return;
    }
    const needed = remaining + chunk.length;
    if (this.owned && needed <= this.buf.length) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    } else {
      // Grow geometrically so that a request arriving in many small pieces costs O(n) copying.
      const next = Buffer.allocUnsafe(Math.max(needed * 2, 16 * 1024));
      this.buf.copy(next, 0, this.pos, this.end);
      this.buf = next;
      this.owned = true;
    }
    chunk.copy(this.buf, remaining);
    this.pos = 0;
    this.end = needed;
  }

  /** Bytes received but not yet consumed as complete requests. */
  get pendingBytes(): number {
    return this.end - this.pos + this.bigFilled;
  }

  /**
   * Returns the next complete request's arguments, an empty array for an empty request (which the
   * caller skips), or null when more input is needed. Throws {@link ProtocolError}; the parser is
   * unusable afterwards (the connection closes).
   */
  next(): string[] | null {
    if (this.pendingCount === 0) {
      if (this.pos >= this.end) return null;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.parseInline();
      const cr = this.findLineEnd(13);
      if (cr < 0) {
        if (this.end - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(ProtocolErr.tooBigMultibulkCount);
        return null;
      }
      if (cr + 1 >= this.end) return null; // the '\n' has not arrived
      const count = parseLongLong(this.buf, this.pos + 1, cr);
      if (count === undefined || count > INT_MAX) throw new ProtocolError(ProtocolErr.invalidMultibulkLength);
      if (count > UNAUTH_MAX_MULTIBULK && this.unauthenticated) {
        throw new ProtocolError(ProtocolErr.unauthenticatedMultibulk);
      }
      this.advance(cr + 2);
      if (count <= 0) return [];
      this.pendingCount = count;
      this.pendingArgs = [];
    }
    return this.parseBulks();
  }

  private advance(pos: number): void {
    this.pos = pos;
    this.scanned = 0;
  }

  /**
   * Index of the first `byte` at or after `pos`, or -1 if it has not arrived or a NUL comes first
   * (C's strchr on Redis's NUL-terminated query buffer).
   */
  private findLineEnd(byte: number): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos + this.scanned;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b === byte) return i;
      if (b === 0) break;
    }
    this.scanned = i - this.pos;
    return -1;
  }

  private parseBulks(): string[] | null {
    const args = this.pendingArgs;
    while (args.length < this.pendingCount) {
      if (this.bigParts !== null) {
        const len = this.pendingBulkLen;
        if (this.bigFilled < len + 2) return null;
        const parts = this.bigParts;
        // The pieces hold the payload and its CRLF, which Redis skips without checking.
        const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, len + 2);
        args.push(latin1Slice(whole, 0, len));
        this.bigParts = null;
        this.bigFilled = 0;
        this.pendingBulkLen = -1;
        continue;
      }
      if (this.pendingBulkLen < 0 && !this.shortBulkHeader()) {
        if (this.pos >= this.end) return null;
        const cr = this.findLineEnd(13);
        if (cr < 0) {
          if (this.end - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(ProtocolErr.tooBigBulkCount);
          return null;
        }
        if (cr + 1 >= this.end) return null;
        const first = this.buf[this.pos]!;
        if (first !== 0x24 /* '$' */) {
          // Redis turns CR and LF in error texts into spaces.
          const got = first === 13 || first === 10 ? " " : String.fromCharCode(first);
          throw new ProtocolError(ProtocolErr.expectedDollar(got));
        }
        const len = parseLongLong(this.buf, this.pos + 1, cr);
        if (len === undefined || len < 0 || len > this.maxBulkLen) {
          throw new ProtocolError(ProtocolErr.invalidBulkLength);
        }
        if (len > UNAUTH_MAX_BULK && this.unauthenticated) {
          throw new ProtocolError(ProtocolErr.unauthenticatedBulk);
        }
        if (len > MAX_ARG_LEN) throw new ProtocolError(ProtocolErr.invalidBulkLength);
        this.advance(cr + 2);
        this.pendingBulkLen = len;
        const available = this.end - this.pos;
        if (len >= BIG_ARG && available < len + 2) {
          // A large argument still arriving: collect its pieces as they come, then join them once.
          const head = this.buf.subarray(this.pos, this.end);
          this.bigParts = available === 0 ? [] : [this.owned ? Buffer.from(head) : head];
          this.bigFilled = available;
          this.advance(this.end);
          continue;
        }
      }
      const len = this.pendingBulkLen;
      if (this.end - this.pos < len + 2) return null;
      args.push(
        args.length === 0 && len <= NAME_CACHE_MAX
          ? this.commandName(len)
          : latin1Slice(this.buf, this.pos, this.pos + len),
      );
      this.advance(this.pos + len + 2);
      this.pendingBulkLen = -1;
    }
    this.pendingArgs = [];
    this.pendingCount = 0;
    return args;
  }

  /**
   * The common case of a bulk header, read in one pass: `$` and 1 to 9 digits (no leading zero),
   * then CR and one more byte (skipped unchecked, as Redis does), for a length under BIG_ARG that
   * no limit refuses. Consumes it and sets pendingBulkLen, or returns false having changed nothing
   * (the general path then decides, errors included).
   */
  private shortBulkHeader(): boolean {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    if (end - p < 4 || buf[p] !== 0x24 /* '$' */) return false;
    let n = buf[p + 1]! - 0x30;
    if (n < 1 || n > 9) return false;
    p += 2;
    for (let digits = 1; p < end; p++, digits++) {
      const d = buf[p]! - 0x30;
      if (d < 0 || d > 9) break;
      if (digits === 9) return false;
      n = n * 10 + d;
    }
    if (p + 1 >= end || buf[p] !== 13) return false;
    if (n >= BIG_ARG || n > this.maxBulkLen || (n > UNAUTH_MAX_BULK && this.unauthenticated)) return false;
    this.advance(p + 2);
    this.pendingBulkLen = n;
    return true;
  }

  /**
   * The first argument (the command name) at `pos`: the previous request's string when the bytes
   * are the same, which pipelines of one command make the rule (saves building a string).
   */
  private commandName(len: number): string {
    const buf = this.buf;
    const pos = this.pos;
    const cached = this.nameBytes;
    if (len === this.nameLen) {
      let i = 0;
      while (i < len && buf[pos + i] === cached[i]) i++;
      if (i === len) return this.name;
    }
    buf.copy(cached, 0, pos, pos + len);
    this.nameLen = len;
    this.name = latin1Slice(buf, pos, pos + len);
    return this.name;
  }

  private parseInline(): string[] | null {
    const nl = this.findLineEnd(10);
    if (nl < 0) {
      if (this.end - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(ProtocolErr.tooBigInline);
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && this.buf[lineEnd - 1] === 13) lineEnd--;
    const line = latin1Slice(this.buf, this.pos, lineEnd);
    this.advance(nl + 1);
    const args = splitInlineArgs(line);
    if (args === null) throw new ProtocolError(ProtocolErr.unbalancedQuotes);
    return args;
  }
}

const INT64_MAX_DIGITS = "9223372036854775807";
const INT64_MIN_DIGITS = "9223372036854775808";

/**
 * Redis's string2ll over buf[start, end): optional '-', then "0" alone or digits not starting with
 * 0, within the signed 64-bit range. Returns undefined when invalid. Values past 2^53 are the
 * nearest double (callers only compare them against much smaller limits).
 */
export function parseLongLong(buf: Buffer, start: number, end: number): number | undefined {
  const length = end - start;
  if (length <= 0 || length > 20) return undefined;
  if (length === 1 && buf[start] === 0x30) return 0;
  let i = start;
  const negative = buf[i] === 0x2d; /* '-' */
  if (negative) i++;
  if (i >= end) return undefined;
  const digitsStart = i;
  const first = buf[i]! - 0x30;
  if (first < 1 || first > 9) return undefined;
  let n = first;
  for (i++; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  const digits = end - digitsStart;
  if (digits > 15) {
    // Beyond 2^53 the running sum above is inexact: check the range on the text, and let
    // Number() round correctly.
    if (digits > 19) return undefined;
    const text = buf.toString("latin1", digitsStart, end);
    if (digits === 19 && text > (negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS)) return undefined;
    n = Number(text);
  }
  return negative ? -n : n;
}

const HEX = "0123456789abcdefABCDEF";

/** C's isspace in the C locale. */
function isSpace(c: string): boolean {
  return c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\v" || c === "\f";
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && HEX.includes(c);
}

function hexValue(c: string): number {
  const i = HEX.indexOf(c);
  return i < 16 ? i : i - 6;
}

/** Escapes understood inside "double quotes" (others stand for the character itself). */
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

/**
 * Splits an inline request like Redis's sdssplitargs. Blanks (isspace) separate arguments, but
 * inside an unquoted argument only space, \t, \r and \n end it (\v and \f are kept). "Double
 * quotes" understand \xHH, \n, \r, \t, \b, \a and \<char>; 'single quotes' understand only \'.
 * Quotes may start mid-argument (`a"b c"` is `ab c`); a closing quote must be followed by a blank
 * or the end. Returns null on unbalanced quotes. The line must not contain NUL bytes (the parser
 * never passes one: Redis's line search stops at NUL).
 */
export function splitInlineArgs(line: string): string[] | null {
  const args: string[] = [];
  const n = line.length;
  let p = 0;
  while (true) {
    while (p < n && isSpace(line[p]!)) p++;
    if (p >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let current = "";
    while (true) {
      if (inDouble) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === "\\" && line[p + 1] === "x" && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current += String.fromCharCode(hexValue(line[p + 2]!) * 16 + hexValue(line[p + 3]!));
          p += 4;
        } else if (c === "\\" && p + 1 < n) {
          const e = line[p + 1]!;
          current += ESCAPES[e] ?? e;
          p += 2;
        } else if (c === '"') {
          p++;
          if (p < n && !isSpace(line[p]!)) return null;
          break;
        } else {
          current += c;
          p++;
        }
      } else if (inSingle) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === "\\" && line[p + 1] === "'") {
          current += "'";
          p += 2;
        } else if (c === "'") {
          p++;
          if (p < n && !isSpace(line[p]!)) return null;
          break;
        } else {
          current += c;
          p++;
        }
      } else {
        if (p >= n) break;
        const c = line[p]!;
        p++;
        if (c === " " || c === "\n" || c === "\r" || c === "\t") break;
        if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else current += c;
      }
    }
    args.push(current);
  }
}
