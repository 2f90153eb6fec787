// The Lua 5.1 value model: nil, booleans, numbers (doubles), byte strings, tables, functions, threads.

import { LuaTable } from "./table.js";
import type { LuaState } from "./state.js";
import type { Proto } from "./compiler.js";
import type { Coroutine } from "./coroutine-type.js";

/**
 * Any Lua value. `undefined` is nil; numbers are doubles; strings are byte strings held as latin1
 * JS strings (one char per byte, like every key and value in reddish).
 */
export type LuaValue =
  undefined | boolean | number | string | LuaTable | LuaFunction | Coroutine | LuaUserdata;

/** A mutable cell holding a local captured by a closure (an upvalue). */
export class Box {
  constructor(public v: LuaValue) {}
}

/** A Lua function compiled from source: a prototype plus its captured upvalues and environment. */
export class LuaClosure {
  constructor(
    /** The compiled prototype. */
    readonly proto: Proto,
    /** Captured upvalue cells, in the prototype's upvalue order. */
    readonly upvals: Box[],
    /** The function environment (globals table), changeable with setfenv. */
    public env: LuaTable,
  ) {}
}

/**
 * What a native function receives besides its arguments: the state (to call back into Lua, raise
 * errors with position, read metatables).
 */
export type NativeFn = (args: LuaValue[], L: LuaState) => LuaValue[] | void;

/** A function implemented in TypeScript, callable from Lua. */
export class NativeFunction {
  /** Environment reported by getfenv for native functions (5.1 gives them the globals table). */
  env: LuaTable | undefined;
  constructor(
    /** Name used in "bad argument #n to 'name'" messages. */
    readonly name: string,
    /** The implementation. */
    readonly fn: NativeFn,
  ) {}
}

/** A Lua function value: either a Lua closure or a native function. */
export type LuaFunction = LuaClosure | NativeFunction;

/** Full userdata (only made by newproxy here): identity plus an optional metatable. */
export class LuaUserdata {
  metatable: LuaTable | undefined;
  constructor(readonly data?: unknown) {}
}

/**
 * A Lua error in flight: `value` is the Lua error value (usually a string already prefixed with
 * `chunk:line:`), exactly what pcall would return as its second result.
 */
export class LuaError extends Error {
  /** Lua-side traceback lines captured when the error was raised (innermost first). */
  luaTraceback: string[] | undefined;
  constructor(readonly value: LuaValue) {
    super(
      typeof value === "string" ? value : typeof value === "number" ? fmtNumber(value) : "(error object)",
    );
    this.name = "LuaError";
  }
}

/** Lua 5.1's type() names. */
export type LuaTypeName =
  "nil" | "boolean" | "number" | "string" | "table" | "function" | "thread" | "userdata";

/** The type() name of a value. */
export function typeName(v: LuaValue): LuaTypeName {
  switch (typeof v) {
    case "undefined":
      return "nil";
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      if (v instanceof LuaTable) return "table";
      if (v instanceof LuaClosure || v instanceof NativeFunction) return "function";
      if (v instanceof LuaUserdata) return "userdata";
      return "thread";
  }
}

/** True when the value is a function (Lua closure or native). */
export function isFunction(v: LuaValue): v is LuaFunction {
  return v instanceof LuaClosure || v instanceof NativeFunction;
}

/** Lua truthiness: everything but nil and false. */
export function truthy(v: LuaValue): boolean {
  return v !== undefined && v !== false;
}

/** Formats a number as Lua 5.1 does in tostring/print/concat (`%.14g`). */
export function fmtNumber(n: number): string {
  if (Number.isInteger(n)) {
    if (n === 0) return Object.is(n, -0) ? "-0" : "0";
    if (Math.abs(n) < 1e14) return String(n);
  }
  return fmtG(n, 14, false, "g");
}

/** C's `%.<prec>g` / `%.<prec>G` (with `#` keeping trailing zeros when alt is set). */
export function fmtG(n: number, prec: number, alt: boolean, conv: "g" | "G"): string {
  let s: string;
  if (!isFinite(n)) s = n !== n ? (Object.is(n, NaN) && 1 / n < 0 ? "-nan" : "nan") : n > 0 ? "inf" : "-inf";
  else {
    if (prec === 0) prec = 1;
    let e = n.toExponential(prec - 1);
    if (Number.isInteger(n) && Math.abs(n) >= 10 ** prec && Math.abs(n) < 2 ** 70) e = exactExp(n, prec);
    const x = parseInt(e.slice(e.indexOf("e") + 1), 10);
    if (x < -4 || x >= prec) {
      let mant = e.slice(0, e.indexOf("e"));
      if (!alt && mant.includes(".")) mant = mant.replace(/\.?0+$/, "");
      const ax = Math.abs(x);
      s = mant + "e" + (x < 0 ? "-" : "+") + (ax < 10 ? "0" + ax : String(ax));
    } else {
      s = n.toFixed(Math.max(0, prec - 1 - x));
      if (!alt && s.includes(".")) s = s.replace(/\.?0+$/, "");
      if (Object.is(n, -0) && s[0] !== "-") s = "-" + s;
    }
  }
  return conv === "G" ? s.toUpperCase() : s;
}

/** toExponential(prec-1) of an integer with C's exact round-half-even (glibc printf). */
function exactExp(n: number, prec: number): string {
  const neg = n < 0;
  const d = BigInt(Math.abs(n)).toString();
  let keep = d.slice(0, prec);
  const rest = d.slice(prec);
  const half = "5" + "0".repeat(rest.length - 1);
  let up = rest > half;
  if (rest === half) up = (parseInt(keep[keep.length - 1], 10) & 1) === 1;
  let exp = d.length - 1;
  if (up) {
    const k = (BigInt(keep) + 1n).toString();
    if (k.length > keep.length) {
      exp++;
      keep = k.slice(0, prec);
    } else keep = k;
  }
  const mant = keep.length > 1 ? keep[0] + "." + keep.slice(1) : keep;
  return (neg ? "-" : "") + mant + "e+" + exp;
}

const STRTOD =
  /^[ \t\n\v\f\r]*([-+]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|inf(?:inity)?|nan(?:\([0-9a-zA-Z_]*\))?))/i;

/**
 * Lua 5.1's luaO_str2d: glibc strtod (decimal, hex, inf, nan) then optional trailing whitespace.
 * Returns undefined when the whole string is not a number.
 */
export function str2number(s: string): number | undefined {
  const m = STRTOD.exec(s);
  if (!m) return undefined;
  const rest = s.slice(m[0].length);
  if (rest.length && !/^[ \t\n\v\f\r]*$/.test(rest)) return undefined;
  return parseStrtod(m[1]);
}

function parseStrtod(t: string): number {
  let sign = 1;
  if (t[0] === "-" || t[0] === "+") {
    if (t[0] === "-") sign = -1;
    t = t.slice(1);
  }
  const low = t.toLowerCase();
  if (low.startsWith("inf")) return sign * Infinity;
  if (low.startsWith("nan")) return NaN;
  if (low.startsWith("0x")) {
    const m = /^0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([-+]?[0-9]+))?$/.exec(low)!;
    let v = 0;
    for (const c of m[1]) v = v * 16 + parseInt(c, 16);
    let f = 1 / 16;
    for (const c of m[2]) {
      v += parseInt(c, 16) * f;
      f /= 16;
    }
    if (m[3]) v *= Math.pow(2, parseInt(m[3], 10));
    return sign * v;
  }
  return sign * Number(t);
}

/** Number coercion for arithmetic (5.1's tonumber on operands): numbers, and strings that parse. */
export function toNumber(v: LuaValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return str2number(v);
  return undefined;
}
