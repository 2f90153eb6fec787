/**
 * The `struct` library (Roberto Ierusalimschy's struct.c 1.4, as bundled with Redis): pack,
 * unpack and size of binary structures, on an x86-64 host (short 2, int 4, long 8, size_t 8
 * bytes; native order little-endian; default maximum alignment 8). Written here because it is a
 * native library of Redis's Lua and no npm package provides it.
 */
import { LuaTable } from "../lua/table.js";
import { NativeFunction, type LuaValue } from "../lua/value.js";
import type { LuaState } from "../lua/state.js";

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;

interface Header {
  endian: number;
  align: number;
}

interface Cursor {
  fmt: string;
  i: number;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function getNum(f: Cursor, df: number): number {
  if (!isDigit(f.fmt[f.i])) return df;
  let a = 0;
  do {
    a = a * 10 + (f.fmt.charCodeAt(f.i++) - 48);
  } while (isDigit(f.fmt[f.i]));
  return a;
}

function optSize(L: LuaState, opt: string, f: Cursor): number {
  switch (opt) {
    case "B":
    case "b":
      return 1;
    case "H":
    case "h":
      return 2;
    case "L":
    case "l":
    case "T":
    case "d":
      return 8;
    case "f":
      return 4;
    case "x":
      return 1;
    case "c":
      return getNum(f, 1);
    case "i":
    case "I": {
      const sz = getNum(f, 4);
      if (sz > MAXINTSIZE) throw L.error(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    case " ":
    case "<":
    case ">":
    case "!":
    case "s":
      return 0;
    default:
      throw L.argError(1, `invalid format option '${opt}'`);
  }
}

function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === "c") return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controlOptions(L: LuaState, opt: string, f: Cursor, h: Header): void {
  switch (opt) {
    case " ":
      return;
    case ">":
      h.endian = BIG;
      return;
    case "<":
      h.endian = LITTLE;
      return;
    case "!": {
      const a = getNum(f, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) throw L.error(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      throw L.error(`invalid format option '${opt}'`);
  }
}

const U64 = (1n << 64n) - 1n;

/** C's (Uinttype)(Inttype)n for negative n, (Uinttype)n otherwise (x86-64 conversions). */
function toUint64(n: number): bigint {
  if (Number.isNaN(n)) return 1n << 63n;
  if (n < 0) {
    if (n < -9223372036854775808) return 1n << 63n;
    return BigInt(Math.trunc(n)) & U64;
  }
  if (n >= 18446744073709551616) return 1n << 63n;
  return BigInt(Math.trunc(n));
}

function putInteger(n: number, endian: number, size: number): string {
  let value = toUint64(n);
  const bytes: number[] = new Array<number>(size);
  if (endian === LITTLE) {
    for (let i = 0; i < size; i++) {
      bytes[i] = Number(value & 0xffn);
      value >>= 8n;
    }
  } else {
    for (let i = size - 1; i >= 0; i--) {
      bytes[i] = Number(value & 0xffn);
      value >>= 8n;
    }
  }
  return String.fromCharCode(...bytes);
}

function getInteger(data: string, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  if (endian === BIG) {
    for (let i = 0; i < size; i++) l = ((l << 8n) | BigInt(data.charCodeAt(pos + i))) & U64;
  } else {
    for (let i = size - 1; i >= 0; i--) l = ((l << 8n) | BigInt(data.charCodeAt(pos + i))) & U64;
  }
  if (!signed) return Number(l);
  // x86-64 takes shift counts modulo 64.
  const mask = (U64 << BigInt((size * 8 - 1) & 63)) & U64;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function floatBytes(n: number, size: number, endian: number): string {
  const buf = Buffer.alloc(size);
  if (size === 4) {
    if (endian === LITTLE) buf.writeFloatLE(n);
    else buf.writeFloatBE(n);
  } else if (endian === LITTLE) buf.writeDoubleLE(n);
  else buf.writeDoubleBE(n);
  return buf.toString("latin1");
}

function readFloat(data: string, pos: number, size: number, endian: number): number {
  const buf = Buffer.from(data.slice(pos, pos + size), "latin1");
  if (size === 4) return endian === LITTLE ? buf.readFloatLE() : buf.readFloatBE();
  return endian === LITTLE ? buf.readDoubleLE() : buf.readDoubleBE();
}

function pack(argv: LuaValue[], L: LuaState): LuaValue[] {
  const f: Cursor = { fmt: L.checkString(argv, 1), i: 0 };
  // b_pack pushes a nil after its arguments: a missing first value reads "got nil".
  const args = [...argv, undefined];
  const h: Header = { endian: LITTLE, align: 1 };
  let arg = 1;
  let total = 0;
  let out = "";
  while (f.i < f.fmt.length) {
    const opt = f.fmt[f.i++]!;
    let size = optSize(L, opt, f);
    const align = toAlign(total, h, opt, size);
    total += align;
    out += "\0".repeat(align);
    switch (opt) {
      case "b":
      case "B":
      case "h":
      case "H":
      case "l":
      case "L":
      case "T":
      case "i":
      case "I":
        out += putInteger(L.checkNumber(args, arg++ + 1), h.endian, size);
        break;
      case "x":
        out += "\0";
        break;
      case "f":
      case "d":
        out += floatBytes(L.checkNumber(args, arg++ + 1), size, h.endian);
        break;
      case "c":
      case "s": {
        const s = L.checkString(args, arg++ + 1);
        if (size === 0) size = s.length;
        // luaL_argcheck names the argument after the string (struct.c's off-by-one).
        if (s.length < size) throw L.argError(arg + 1, "string too short");
        out += s.slice(0, size);
        if (opt === "s") {
          out += "\0";
          size++;
        }
        break;
      }
      default:
        controlOptions(L, opt, f, h);
    }
    total += size;
  }
  return [out];
}

function unpack(args: LuaValue[], L: LuaState): LuaValue[] {
  const f: Cursor = { fmt: L.checkString(args, 1), i: 0 };
  const data = L.checkString(args, 2);
  const ld = data.length;
  let pos = L.optInt(args, 3, 1) - 1;
  if (pos < 0) throw L.argError(3, "offset must be 1 or greater");
  const h: Header = { endian: LITTLE, align: 1 };
  const out: LuaValue[] = [];
  while (f.i < f.fmt.length) {
    const opt = f.fmt[f.i++]!;
    let size = optSize(L, opt, f);
    pos += toAlign(pos, h, opt, size);
    if (!(size <= ld && pos <= ld - size)) throw L.argError(2, "data string too short");
    switch (opt) {
      case "b":
      case "B":
      case "h":
      case "H":
      case "l":
      case "L":
      case "T":
      case "i":
      case "I":
        out.push(getInteger(data, pos, h.endian, opt >= "a" && opt <= "z", size));
        break;
      case "x":
        break;
      case "f":
      case "d":
        out.push(readFloat(data, pos, size, h.endian));
        break;
      case "c": {
        if (size === 0) {
          const prev = out.length > 0 ? out[out.length - 1] : undefined;
          if (typeof prev !== "number") throw L.error("format 'c0' needs a previous size");
          size = Math.trunc(prev);
          out.pop();
          if (!(size <= ld && pos <= ld - size)) throw L.argError(2, "data string too short");
        }
        out.push(data.slice(pos, pos + size));
        break;
      }
      case "s": {
        const e = data.indexOf("\0", pos);
        if (e < 0) throw L.error("unfinished string in data");
        size = e - pos + 1;
        out.push(data.slice(pos, e));
        break;
      }
      default:
        controlOptions(L, opt, f, h);
    }
    pos += size;
  }
  out.push(pos + 1);
  return out;
}

function size(args: LuaValue[], L: LuaState): LuaValue[] {
  const f: Cursor = { fmt: L.checkString(args, 1), i: 0 };
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (f.i < f.fmt.length) {
    const opt = f.fmt[f.i++]!;
    const sz = optSize(L, opt, f);
    pos += toAlign(pos, h, opt, sz);
    if (opt === "s") throw L.argError(1, "option 's' has no fixed size");
    else if (opt === "c" && sz === 0) throw L.argError(1, "option 'c0' has no fixed size");
    if (!/[A-Za-z0-9]/.test(opt)) controlOptions(L, opt, f, h);
    pos += sz;
  }
  return [pos];
}

/** Builds the `struct` table. */
export function createStructLibrary(): LuaTable {
  const t = new LuaTable();
  t.set("pack", new NativeFunction("pack", pack));
  t.set("unpack", new NativeFunction("unpack", unpack));
  t.set("size", new NativeFunction("size", size));
  return t;
}
