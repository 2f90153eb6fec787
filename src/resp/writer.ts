/**
 * The reply writer: handlers describe replies ("a map of n entries", "a double") and the writer
 * renders them for the client's protocol. This is the only place where RESP2 and RESP3 differ.
 * All strings are latin1 ("binary") strings: one char per byte.
 */
import { latin1Write } from "./bytes.js";
import { formatDouble } from "./format.js";

/** What handlers write replies through. Aggregates are announced by length, then their items follow. */
export interface ReplyWriter {
  /** The protocol this writer renders: 2 or 3. */
  readonly resp: 2 | 3;
  /** `+OK`-style status reply. */
  simple(text: string): void;
  /** An error reply; `message` starts with its code (`ERR ...`). */
  error(message: string): void;
  integer(value: number | bigint): void;
  /** A bulk string (binary-safe). */
  bulk(value: string): void;
  /** Null where Redis uses a null bulk (`$-1` in RESP2, `_` in RESP3). */
  nullBulk(): void;
  /** Null where Redis uses a null array (`*-1` in RESP2, `_` in RESP3). */
  nullArray(): void;
  array(length: number): void;
  /** A map of `length` key/value pairs (RESP2: an array of 2×length). */
  map(length: number): void;
  /** A set (RESP2: an array). */
  set(length: number): void;
  /**
   * A double (RESP2: a bulk string formatted with `%.17g`). `text`, when given, is the digits to
   * send instead (Redis's addReplyHumanLongDouble prints `%.17Lf`, trailing zeros removed).
   */
  double(value: number, text?: string): void;
  /** A boolean (RESP2: integer 1 or 0). */
  boolean(value: boolean): void;
  /** A verbatim string (RESP2: a bulk string). `format` is three characters, e.g. `txt`. */
  verbatim(text: string, format?: string): void;
  /** A big number (RESP2: a bulk string). */
  bigNumber(digits: string): void;
  /** An out-of-band push message header (RESP2: an array). */
  push(length: number): void;
}

/** Bulk strings shorter than this have their header written by {@link RespEncoder.bulk}'s JS code. */
const SHORT_BULK = 1000;
/**
 * Texts up to this many bytes are copied by a JS loop (~1.5 ns a byte here); longer ones by one
 * native write (~42 ns whatever the length).
 */
const SHORT_COPY = 24;

const SMALL_INTS: string[] = [];
for (let i = 0; i < 1000; i++) SMALL_INTS.push(`:${i}\r\n`);

/** Renders replies as RESP bytes into a growable buffer, taken in one piece per read batch. */
export class RespEncoder implements ReplyWriter {
  resp: 2 | 3 = 2;
  private buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  private len = 0;
  /** Bytes written since the last {@link RespEncoder.take}. */
  get pendingLength(): number {
    return this.len;
  }

  /** Returns the bytes written so far and starts afresh; null when nothing was written. */
  take(): Buffer | null {
    if (this.len === 0) return null;
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(16 * 1024);
    return out;
  }

  /** Drops everything written after the first `length` bytes (CLIENT REPLY OFF/SKIP). */
  truncate(length: number): void {
    if (length < this.len) this.len = length;
  }

  /** Appends raw protocol text (latin1). */
  raw(text: string): void {
    const n = text.length;
    if (this.len + n > this.buf.length) this.grow(n);
    if (n > SHORT_COPY) {
      this.len += latin1Write(this.buf, text, this.len);
      return;
    }
    // Short texts (headers, status replies, integers): a JS loop beats a native call.
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    this.len = p;
  }

  private grow(extra: number): void {
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  simple(text: string): void {
    this.raw(`+${text}\r\n`);
  }
  error(message: string): void {
    this.raw(`-${message}\r\n`);
  }
  integer(value: number | bigint): void {
    if (typeof value === "number" && value >= 0 && value < 1000 && Number.isInteger(value)) {
      this.raw(SMALL_INTS[value]!);
    } else {
      this.raw(`:${value}\r\n`);
    }
  }
  bulk(value: string): void {
    const n = value.length;
    if (n >= SHORT_BULK) {
      this.raw(`$${n}\r\n`);
      this.raw(value);
      this.raw("\r\n");
      return;
    }
    // The header in JS (it beats a native call), the value by the cheaper of loop and native copy.
    if (this.len + n + 16 > this.buf.length) this.grow(n + 16);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 0x24; // '$'
    if (n < 10) buf[p++] = 0x30 + n;
    else if (n < 100) {
      buf[p++] = 0x30 + ((n / 10) | 0);
      buf[p++] = 0x30 + (n % 10);
    } else {
      buf[p++] = 0x30 + ((n / 100) | 0);
      buf[p++] = 0x30 + (((n / 10) | 0) % 10);
      buf[p++] = 0x30 + (n % 10);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    if (n > SHORT_COPY) p += latin1Write(buf, value, p);
    else for (let i = 0; i < n; i++) buf[p++] = value.charCodeAt(i);
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }
  nullBulk(): void {
    this.raw(this.resp === 2 ? "$-1\r\n" : "_\r\n");
  }
  nullArray(): void {
    this.raw(this.resp === 2 ? "*-1\r\n" : "_\r\n");
  }
  array(length: number): void {
    this.raw(`*${length}\r\n`);
  }
  map(length: number): void {
    this.raw(this.resp === 2 ? `*${length * 2}\r\n` : `%${length}\r\n`);
  }
  set(length: number): void {
    this.raw(this.resp === 2 ? `*${length}\r\n` : `~${length}\r\n`);
  }
  double(value: number, text = formatDouble(value)): void {
    if (this.resp === 2) this.bulk(text);
    else this.raw(`,${text}\r\n`);
  }
  boolean(value: boolean): void {
    if (this.resp === 2) this.raw(value ? ":1\r\n" : ":0\r\n");
    else this.raw(value ? "#t\r\n" : "#f\r\n");
  }
  verbatim(text: string, format = "txt"): void {
    if (this.resp === 2) this.bulk(text);
    else {
      this.raw(`=${text.length + 4}\r\n${format}:`);
      this.raw(text);
      this.raw("\r\n");
    }
  }
  bigNumber(digits: string): void {
    if (this.resp === 2) this.bulk(digits);
    else this.raw(`(${digits}\r\n`);
  }
  push(length: number): void {
    this.raw(this.resp === 2 ? `*${length}\r\n` : `>${length}\r\n`);
  }
}
