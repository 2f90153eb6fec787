/**
 * Conversions between Redis replies and Lua values, as Redis 7.0 does them (script_lua.c).
 *
 * Replies to Lua (what `redis.call` returns), by the script client's protocol (`redis.setresp`):
 * integers → numbers; bulk strings → strings; RESP2 nulls → false, RESP3 null → nil; arrays →
 * tables 1..n; status → `{ok=...}`; errors → `{err=...}`;
 * RESP3 maps → `{map={k=v...}}`, sets → `{set={member=true...}}`, booleans → booleans,
 * doubles → `{double=n}`, big numbers → `{big_number=s}`,
 * verbatim strings → `{verbatim_string={format=..., string=...}}`. A RESP2 client sees doubles,
 * big numbers and verbatim strings as bulk strings and booleans as integers, as on the wire.
 *
 * Lua to replies (what a script returns): strings → bulk; numbers → integers (truncated, as C's
 * `(long long)` cast on x86-64); booleans → 1 / null while the script is in RESP2 (its
 * `redis.setresp`, not the caller's protocol), booleans once it chose RESP3; nil → null;
 * tables with `err`, `ok`, `double`, `big_number`, `map`, `set` or `verbatim_string` → those
 * replies; other tables → arrays of t[1], t[2], ... up to the first nil.
 */
import { formatDouble } from "../resp/format.js";
import type { ReplyWriter } from "../resp/writer.js";
import { LuaTable } from "./lua/table.js";
import type { LuaValue } from "./lua/value.js";

interface Frame {
  table: LuaTable;
  /** Items still expected (a map counts keys and values). */
  remaining: number;
  kind: "array" | "map" | "set";
  /** Next array index, or the pending map key. */
  index: number;
  key: LuaValue;
  hasKey: boolean;
}

/** A reply writer that builds the Lua value `redis.call` returns. */
export class LuaReplyWriter implements ReplyWriter {
  resp: 2 | 3 = 2;
  private stack: Frame[] = [];
  private result: LuaValue = undefined;
  private done = false;

  /** Starts collecting one reply. */
  reset(resp: 2 | 3): void {
    this.resp = resp;
    this.stack.length = 0;
    this.result = undefined;
    this.done = false;
  }

  /** Takes the converted reply (nil when the command wrote none) and starts afresh. */
  take(): LuaValue {
    const out = this.result;
    this.stack.length = 0;
    this.result = undefined;
    this.done = false;
    return out;
  }

  /** True once a whole reply was written. */
  get complete(): boolean {
    return this.done;
  }

  private add(value: LuaValue): void {
    for (;;) {
      // Tested by length: reading index -1 of an empty array is a slow property lookup.
      const top = this.stack.length === 0 ? undefined : this.stack[this.stack.length - 1];
      if (!top) {
        if (!this.done) {
          this.result = value;
          this.done = true;
        }
        return;
      }
      if (top.kind === "array") top.table.set(top.index++, value);
      else if (top.kind === "set") {
        if (value !== undefined) top.table.set(value, true);
      } else if (!top.hasKey) {
        top.key = value;
        top.hasKey = true;
      } else {
        if (top.key !== undefined) top.table.set(top.key, value);
        top.hasKey = false;
      }
      if (--top.remaining > 0) return;
      this.stack.pop();
      value = top.kind === "array" ? top.table : this.field(top.kind, top.table);
    }
  }

  private open(length: number, kind: Frame["kind"]): void {
    const table = new LuaTable();
    if (length <= 0) {
      this.add(kind === "array" ? table : this.field(kind, table));
      return;
    }
    const remaining = kind === "map" ? length * 2 : length;
    this.stack.push({ table, remaining, kind, index: 1, key: undefined, hasKey: false });
  }

  private field(name: string, value: LuaValue): LuaTable {
    const t = new LuaTable();
    t.set(name, value);
    return t;
  }

  simple(text: string): void {
    this.add(this.field("ok", text));
  }
  error(message: string): void {
    this.add(errorTable(message, true));
  }
  integer(value: number | bigint): void {
    this.add(Number(value));
  }
  bulk(value: string): void {
    this.add(value);
  }
  nullBulk(): void {
    this.add(this.resp === 2 ? false : undefined);
  }
  nullArray(): void {
    this.add(this.resp === 2 ? false : undefined);
  }
  array(length: number): void {
    this.open(length, "array");
  }
  map(length: number): void {
    if (this.resp === 2) this.open(length * 2, "array");
    else this.open(length, "map");
  }
  set(length: number): void {
    this.open(length, this.resp === 2 ? "array" : "set");
  }
  double(value: number): void {
    if (this.resp === 2) this.add(formatDouble(value));
    else this.add(this.field("double", value));
  }
  boolean(value: boolean): void {
    if (this.resp === 2) this.add(value ? 1 : 0);
    else this.add(value);
  }
  verbatim(text: string, format = "txt"): void {
    if (this.resp === 2) {
      this.add(text);
      return;
    }
    const inner = new LuaTable();
    inner.set("string", text);
    inner.set("format", format);
    this.add(this.field("verbatim_string", inner));
  }
  bigNumber(digits: string): void {
    if (this.resp === 2) this.add(digits);
    else this.add(this.field("big_number", digits));
  }
  push(length: number): void {
    this.open(length, "array");
  }
}

/**
 * The Lua error table for an error reply (luaPushErrorBuff): `{err="CODE message"}`; a message
 * without a space becomes `ERR <message>`; trailing CR/LF are trimmed. `fromReply` marks errors a
 * command already counted in the error stats (`ignore_error_stats_update`).
 */
export function errorTable(message: string, fromReply: boolean): LuaTable {
  const t = new LuaTable();
  t.set("err", normalizeError(message));
  if (fromReply) t.set("ignore_error_stats_update", true);
  return t;
}

/** Redis's error-code normalisation for messages given without the leading `-`. */
export function normalizeError(message: string): string {
  const space = message.indexOf(" ");
  const code = space < 0 ? "ERR" : message.slice(0, space);
  const msg = (space < 0 ? message : message.slice(space + 1)).replace(/^[\r\n]+|[\r\n]+$/g, "");
  return `${code} ${msg}`;
}

const INT64_MIN = -(2n ** 63n);

/** C's `(long long)n` on x86-64: truncation; NaN and out-of-range values give INT64_MIN. */
export function toLongLong(n: number): number | bigint {
  if (Number.isNaN(n) || n >= 9223372036854775808 || n < -9223372036854775808) return INT64_MIN;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? (Object.is(t, -0) ? 0 : t) : BigInt(t);
}

function noNewlines(s: string): string {
  return s.replace(/[\r\n]/g, " ");
}

/** A table's string field, or undefined. */
function stringField(t: LuaTable, name: string): string | undefined {
  const v = t.get(name);
  return typeof v === "string" ? v : undefined;
}

/**
 * Told of each error reply a script's value holds, with whether it was already counted in the
 * error statistics (`ignore_error_stats_update`, set on errors `redis.call` got).
 */
export type ReplyErrorListener = (message: string, alreadyCounted: boolean) => void;

/**
 * The error code Redis counts for an error reply written from a script (afterErrorReply): the
 * first word when a space comes within the first 32 bytes of `-message`, else ERR.
 */
export function replyErrorCode(message: string): string {
  const space = message.indexOf(" ");
  return space >= 0 && space < 31 ? message.slice(0, space) : "ERR";
}

/** LUAI_MAXCSTACK: the Lua stack slots a C function may use. */
const LUA_MAX_C_STACK = 8000;
/** The error written where a reply nests deeper than the Lua stack allows. */
const STACK_LIMIT_ERROR = "ERR reached lua stack limit";

/** A C string's content: Redis reads error and status texts up to the first NUL. */
export function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** A value still to write, with the Lua stack slots Redis would hold while converting it. */
type Pending = [value: LuaValue, stackUsed: number];

/**
 * Writes a script's return value as a reply (luaReplyToRedisReply). `scriptResp` is the script's
 * own protocol (booleans depend on it). Error tables become error replies with their message as
 * is, each reported to `onError`.
 *
 * Redis converts recursively on the Lua stack, one more slot per array level (more for maps and
 * sets); a value that would need more than LUAI_MAXCSTACK slots becomes the "reached lua stack
 * limit" error, so a table that contains itself ends as it does in Redis. The conversion here
 * walks an explicit work list instead (JS recursion would overflow first) and counts the slots.
 */
export function luaToReply(
  root: LuaValue,
  w: ReplyWriter,
  scriptResp: 2 | 3,
  onError: ReplyErrorListener,
): void {
  const work: Pending[] = [[root, 2]];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const [v, used] = item;
    if (used + 4 > LUA_MAX_C_STACK) {
      w.error(STACK_LIMIT_ERROR);
      onError(STACK_LIMIT_ERROR, false);
      continue;
    }
    const children = writeValue(v, w, scriptResp, onError, used);
    // Children are written in order: pushed last first.
    if (children !== null) for (let i = children.length - 1; i >= 0; i--) work.push(children[i]!);
  }
}

/** Writes one value, or an aggregate's header, returning the aggregate's elements still to write. */
function writeValue(
  v: LuaValue,
  w: ReplyWriter,
  scriptResp: 2 | 3,
  onError: ReplyErrorListener,
  used: number,
): Pending[] | null {
  switch (typeof v) {
    case "string":
      w.bulk(v);
      return null;
    case "boolean":
      if (scriptResp === 2) {
        if (v) w.integer(1);
        else w.nullBulk();
      } else w.boolean(v);
      return null;
    case "number":
      w.integer(toLongLong(v));
      return null;
  }
  if (!(v instanceof LuaTable)) {
    w.nullBulk();
    return null;
  }
  const err = stringField(v, "err");
  if (err !== undefined) {
    const message = cString(err);
    w.error(noNewlines(message));
    onError(message, v.get("ignore_error_stats_update") === true);
    return null;
  }
  const ok = stringField(v, "ok");
  if (ok !== undefined) {
    w.simple(noNewlines(cString(ok)));
    return null;
  }
  const dbl = v.get("double");
  if (typeof dbl === "number") {
    w.double(dbl);
    return null;
  }
  const big = stringField(v, "big_number");
  if (big !== undefined) {
    w.bigNumber(noNewlines(big));
    return null;
  }
  const map = v.get("map");
  if (map instanceof LuaTable) {
    // Redis holds the map, the iteration's key and value, and a copy of the key being converted.
    const items: Pending[] = [];
    let k: LuaValue = undefined;
    for (let e = map.next(k); e; e = map.next(k)) {
      k = e[0];
      items.push([e[0], used + 4], [e[1], used + 3]);
    }
    w.map(items.length / 2);
    return items;
  }
  const set = v.get("set");
  if (set instanceof LuaTable) {
    const items: Pending[] = [];
    let k: LuaValue = undefined;
    for (let e = set.next(k); e; e = set.next(k)) {
      k = e[0];
      items.push([k, used + 3]);
    }
    w.set(items.length);
    return items;
  }
  const verbatim = v.get("verbatim_string");
  if (verbatim instanceof LuaTable) {
    const format = stringField(verbatim, "format");
    const text = stringField(verbatim, "string");
    // Redis writes exactly three format bytes: the C string's first three, padded with spaces.
    if (format !== undefined && text !== undefined) {
      w.verbatim(text, cString(format).slice(0, 3).padEnd(3, " "));
      return null;
    }
  }
  const items: Pending[] = [];
  for (let value = v.get(1); value !== undefined; value = v.get(items.length + 1))
    items.push([value, used + 1]);
  w.array(items.length);
  return items;
}
