/**
 * The `cmsgpack` library (lua-cmsgpack 0.4.0, as bundled with Redis): MessagePack pack/unpack of
 * Lua values with its exact choices (integers in the smallest encoding, floats as float32 when
 * exact, tables with keys 1..n as arrays, nesting past 16 levels packed as nil). Written here
 * because it is a native library of Redis's Lua; npm's msgpack packages choose encodings
 * differently. Map entries follow the engine's table iteration order (Lua 5.1's node order).
 */
import { LuaTable } from "../lua/table.js";
import { NativeFunction, type LuaValue } from "../lua/value.js";
import type { LuaState } from "../lua/state.js";

const MAX_NESTING = 16;
const INT64_MIN = -9223372036854775808;
const INT64_LIMIT = 9223372036854775808;

/** C's `(int64_t)x == x` on x86-64 (NaN, infinities and out-of-range values are not). */
function isInt64(x: number): boolean {
  return Number.isFinite(x) && Math.trunc(x) === x && x >= INT64_MIN && x < INT64_LIMIT;
}

/** C's `(int)x == x`. */
function isInt32(x: number): boolean {
  return Number.isFinite(x) && Math.trunc(x) === x && x >= -2147483648 && x <= 2147483647;
}

function be(value: bigint, bytes: number): string {
  let out = "";
  for (let i = bytes - 1; i >= 0; i--) out += String.fromCharCode(Number((value >> BigInt(i * 8)) & 0xffn));
  return out;
}

function encodeInt(n: number): string {
  const c = String.fromCharCode;
  if (n >= 0) {
    if (n <= 127) return c(n);
    if (n <= 0xff) return c(0xcc, n);
    if (n <= 0xffff) return c(0xcd) + be(BigInt(n), 2);
    if (n <= 0xffffffff) return c(0xce) + be(BigInt(n), 4);
    return c(0xcf) + be(BigInt(n), 8);
  }
  if (n >= -32) return c(n & 0xff);
  if (n >= -128) return c(0xd0, n & 0xff);
  if (n >= -32768) return c(0xd1) + be(BigInt(n) & 0xffffn, 2);
  if (n >= -2147483648) return c(0xd2) + be(BigInt(n) & 0xffffffffn, 4);
  return c(0xd3) + be(BigInt.asUintN(64, BigInt(n)), 8);
}

function encodeDouble(d: number): string {
  const f = Math.fround(d);
  if (f === d) {
    const b = Buffer.alloc(4);
    b.writeFloatBE(f);
    return "\xca" + b.toString("latin1");
  }
  // x86-64's 0/0 is the negative quiet NaN, which is what scripts produce; JS has one NaN.
  if (Number.isNaN(d)) return "\xcb\xff\xf8\0\0\0\0\0\0";
  const b = Buffer.alloc(8);
  b.writeDoubleBE(d);
  return "\xcb" + b.toString("latin1");
}

function encodeString(s: string): string {
  const len = s.length;
  if (len < 32) return String.fromCharCode(0xa0 | len) + s;
  if (len <= 0xff) return "\xd9" + String.fromCharCode(len) + s;
  if (len <= 0xffff) return "\xda" + be(BigInt(len), 2) + s;
  return "\xdb" + be(BigInt(len), 4) + s;
}

function header(len: number, fix: number, op16: string, op32: string): string {
  if (len <= 15) return String.fromCharCode(fix | len);
  if (len <= 0xffff) return op16 + be(BigInt(len), 2);
  return op32 + be(BigInt(len), 4);
}

/** table_is_an_array: every key a positive int-valued number and no holes. */
function isArray(t: LuaTable): boolean {
  let count = 0;
  let max = 0;
  let k: LuaValue = undefined;
  for (let e = t.next(k); e; e = t.next(k)) {
    k = e[0];
    if (typeof k !== "number" || k <= 0 || !isInt32(k)) return false;
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

function encode(v: LuaValue, level: number): string {
  if (v instanceof LuaTable && level === MAX_NESTING) return "\xc0";
  switch (typeof v) {
    case "string":
      return encodeString(v);
    case "boolean":
      return v ? "\xc3" : "\xc2";
    case "number":
      return isInt64(v) ? encodeInt(v === 0 ? 0 : v) : encodeDouble(v);
  }
  if (v instanceof LuaTable) {
    if (isArray(v)) {
      const len = v.length();
      let out = header(len, 0x90, "\xdc", "\xdd");
      for (let j = 1; j <= len; j++) out += encode(v.get(j), level + 1);
      return out;
    }
    let count = 0;
    let k: LuaValue = undefined;
    for (let e = v.next(k); e; e = v.next(k)) {
      k = e[0];
      count++;
    }
    let out = header(count, 0x80, "\xde", "\xdf");
    k = undefined;
    for (let e = v.next(k); e; e = v.next(k)) {
      k = e[0];
      out += encode(k, level + 1) + encode(e[1], level + 1);
    }
    return out;
  }
  return "\xc0";
}

class Cursor {
  error: "eof" | "badfmt" | null = null;
  constructor(
    readonly s: string,
    public p: number,
  ) {}
  get left(): number {
    return this.s.length - this.p;
  }
  need(n: number): boolean {
    if (this.left < n) {
      this.error = "eof";
      return false;
    }
    return true;
  }
  uint(at: number, bytes: number): bigint {
    let v = 0n;
    for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(this.s.charCodeAt(at + i));
    return v;
  }
}

function decode(c: Cursor): LuaValue {
  if (!c.need(1)) return undefined;
  const b = c.s.charCodeAt(c.p);
  const fixed = (n: number, f: () => LuaValue): LuaValue => {
    if (!c.need(n)) return undefined;
    const v = f();
    c.p += n;
    return v;
  };
  const str = (hdr: number, len: number): LuaValue => {
    if (!c.need(hdr + len)) return undefined;
    const v = c.s.slice(c.p + hdr, c.p + hdr + len);
    c.p += hdr + len;
    return v;
  };
  const array = (hdr: number, len: number): LuaValue => {
    c.p += hdr;
    const t = new LuaTable();
    for (let j = 1; j <= len; j++) {
      const v = decode(c);
      if (c.error) return undefined;
      t.set(j, v);
    }
    return t;
  };
  const map = (hdr: number, len: number): LuaValue => {
    c.p += hdr;
    const t = new LuaTable();
    for (let j = 0; j < len; j++) {
      const k = decode(c);
      if (c.error) return undefined;
      const v = decode(c);
      if (c.error) return undefined;
      if (k !== undefined && !(typeof k === "number" && Number.isNaN(k))) t.set(k, v);
    }
    return t;
  };
  const lenAt = (bytes: number): number | null => (c.need(1 + bytes) ? Number(c.uint(c.p + 1, bytes)) : null);
  if (b <= 0x7f) return fixed(1, () => b);
  if (b >= 0xe0) return fixed(1, () => b - 256);
  if ((b & 0xe0) === 0xa0) return str(1, b & 0x1f);
  if ((b & 0xf0) === 0x90) return array(1, b & 0x0f);
  if ((b & 0xf0) === 0x80) return map(1, b & 0x0f);
  const signed = (bytes: number) => () => Number(BigInt.asIntN(bytes * 8, c.uint(c.p + 1, bytes)));
  const unsigned = (bytes: number) => () => Number(c.uint(c.p + 1, bytes));
  switch (b) {
    case 0xcc:
      return fixed(2, unsigned(1));
    case 0xcd:
      return fixed(3, unsigned(2));
    case 0xce:
      return fixed(5, unsigned(4));
    case 0xcf:
      return fixed(9, unsigned(8));
    case 0xd0:
      return fixed(2, signed(1));
    case 0xd1:
      return fixed(3, signed(2));
    case 0xd2:
      return fixed(5, signed(4));
    case 0xd3:
      return fixed(9, signed(8));
    case 0xc0:
      c.p++;
      return undefined;
    case 0xc3:
      c.p++;
      return true;
    case 0xc2:
      c.p++;
      return false;
    case 0xca:
      return fixed(5, () => Buffer.from(c.s.slice(c.p + 1, c.p + 5), "latin1").readFloatBE());
    case 0xcb:
      return fixed(9, () => Buffer.from(c.s.slice(c.p + 1, c.p + 9), "latin1").readDoubleBE());
    case 0xd9: {
      const len = lenAt(1);
      return len === null ? undefined : str(2, len);
    }
    case 0xda: {
      const len = lenAt(2);
      return len === null ? undefined : str(3, len);
    }
    case 0xdb: {
      const len = lenAt(4);
      return len === null ? undefined : str(5, len);
    }
    case 0xdc: {
      const len = lenAt(2);
      return len === null ? undefined : array(3, len);
    }
    case 0xdd: {
      const len = lenAt(4);
      return len === null ? undefined : array(5, len);
    }
    case 0xde: {
      const len = lenAt(2);
      return len === null ? undefined : map(3, len);
    }
    case 0xdf: {
      const len = lenAt(4);
      return len === null ? undefined : map(5, len);
    }
  }
  c.error = "badfmt";
  return undefined;
}

function unpackFull(L: LuaState, s: string, limit: number, offset: number): LuaValue[] {
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    throw L.error(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`);
  } else if (offset > s.length) {
    throw L.error(`Start offset ${offset} greater than input length ${s.length}.`);
  }
  if (decodeAll) limit = 2147483647;
  const c = new Cursor(s, offset);
  const out: LuaValue[] = [];
  for (let cnt = 0; c.left > 0 && cnt < limit; cnt++) {
    out.push(decode(c));
    if (c.error === "eof") throw L.error("Missing bytes in input.");
    if (c.error === "badfmt") throw L.error("Bad data format in input.");
  }
  if (!decodeAll) out.unshift(c.left === 0 ? -1 : s.length - c.left);
  return out;
}

/** Builds the `cmsgpack` table. */
export function createCmsgpackLibrary(): LuaTable {
  const t = new LuaTable();
  t.set(
    "pack",
    new NativeFunction("pack", (args, L) => {
      if (args.length === 0) throw L.argError(0, "MessagePack pack needs input.");
      let out = "";
      for (const v of args) out += encode(v, 0);
      return [out];
    }),
  );
  t.set("unpack", new NativeFunction("unpack", (args, L) => unpackFull(L, L.checkString(args, 1), 0, 0)));
  t.set(
    "unpack_one",
    new NativeFunction("unpack_one", (args, L) => {
      const offset = L.optInt(args, 2, 0);
      return unpackFull(L, L.checkString(args, 1), 1, offset);
    }),
  );
  t.set(
    "unpack_limit",
    new NativeFunction("unpack_limit", (args, L) => {
      const limit = L.checkInt(args, 2);
      const offset = L.optInt(args, 3, 0);
      return unpackFull(L, L.checkString(args, 1), limit, offset);
    }),
  );
  t.set("_NAME", "cmsgpack");
  t.set("_VERSION", "lua-cmsgpack 0.4.0");
  t.set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
  t.set("_DESCRIPTION", "MessagePack C implementation for Lua");
  return t;
}
