// The Lua state's value operations: errors with 5.1's texts and positions, argument checks for
// natives, metamethod-aware indexing, arithmetic, comparison, concatenation and tostring.

import { Op } from "./compiler.js";
import { Coroutine } from "./coroutine-type.js";
import { LuaTable } from "./table.js";
import {
  fmtNumber,
  isFunction,
  LuaClosure,
  LuaError,
  LuaUserdata,
  NativeFunction,
  toNumber,
  truthy,
  typeName,
  type LuaFunction,
  type LuaValue,
} from "./value.js";
import type { LuaHook, RandomSource } from "./state.js";

/** The part of LuaState that operates on values (extended by the call machinery and the VM). */
export abstract class LuaOps {
  /** The global table (`_G`). */
  globals = new LuaTable();
  /** Metatable shared by all strings (set by the string library: __index = string). */
  stringMeta: LuaTable | undefined = undefined;
  /** Generator for math.random / math.randomseed. */
  random!: RandomSource;
  /** Where print() writes lines. */
  printer!: (line: string) => void;
  readonly main = new Coroutine(undefined);
  /** The running thread. */
  co: Coroutine = this.main;
  protected hook: LuaHook | undefined = undefined;
  protected hookEvery = 0;
  protected hookCounter = 0x7fffffff;
  protected execDepth = 0;
  /** Name of the function being called natively, from the call site (for "bad argument" messages). */
  callName = "?";
  /** Whether the current native was called as a method (obj:f()). */
  callIsMethod = false;
  /** True when the current native was called from a native (then error levels see no Lua caller). */
  callerIsNative = false;
  protected ids = new WeakMap<object, number>();
  protected nextId = 0x5560a0;
  /** The closure pcall uses to call a non-function through __call (calls.ts). */
  protected tramp: LuaClosure | undefined;
  /** Host message handler for the next boundary frame (LuaState.call). */
  protected nextHostHandler: ((err: LuaValue) => LuaValue) | undefined;

  /** Calls a function synchronously (from natives or the host); returns all results. */
  abstract callSync(fn: LuaValue, args: LuaValue[]): LuaValue[];

  /** tostring() semantics, honouring __tostring. */
  tostring(v: LuaValue): string {
    const h = this.metaOf(v, "__tostring");
    if (h !== undefined) {
      const r = this.callSync(h, [v])[0];
      if (typeof r !== "string") {
        if (typeof r === "number") return fmtNumber(r);
        throw this.rtErrorPlain("'__tostring' must return a string");
      }
      return r;
    }
    return this.rawToString(v);
  }

  /** tostring without metamethods: "table: 0x...", numbers in %.14g. */
  rawToString(v: LuaValue): string {
    switch (typeof v) {
      case "undefined":
        return "nil";
      case "boolean":
        return v ? "true" : "false";
      case "number":
        return fmtNumber(v);
      case "string":
        return v;
      default: {
        let id = this.ids.get(v);
        if (id === undefined) {
          id = this.nextId += 0x28;
          this.ids.set(v, id);
        }
        const tn = typeName(v);
        return `${tn === "function" && v instanceof NativeFunction ? "function: builtin" : tn}: 0x${id.toString(16).padStart(8, "0")}`;
      }
    }
  }

  // ---- errors ----

  /** "chunk:line:" of the Lua function at `level` (1 = the caller of the running native), or "". */
  where(level: number): string {
    if (level === 1 && this.callerIsNative) return "";
    const fr = this.co.frames;
    let j = fr.length - 1;
    for (let l = 1; l < level; l++) {
      // a frame called by pcall or by a native has a native function at the next level
      if (j < 0 || fr[j].protect !== 0 || fr[j].boundary || fr[j].tailcall) return "";
      j--;
    }
    const f = fr[j];
    if (!f || f.cl === this.tramp) return "";
    const line = f.cl.proto.lines[f.pc - 1];
    return `${f.cl.proto.source}:${line}: `;
  }

  /** A LuaError with the running native's caller position (luaL_error). */
  error(msg: string): LuaError {
    return new LuaError(this.where(1) + msg);
  }

  /** luaL_argerror: "bad argument #n to 'f' (msg)" with the call site's name. */
  argError(n: number, msg: string): LuaError {
    if (this.callIsMethod) {
      n--;
      if (n === 0) return this.error(`calling '${this.callName}' on bad self (${msg})`);
    }
    return this.error(`bad argument #${n} to '${this.callName}' (${msg})`);
  }

  /** luaL_typerror for argument n (1-based). */
  typeError(args: LuaValue[], n: number, expected: string): LuaError {
    const got = n - 1 < args.length ? typeName(args[n - 1]) : "no value";
    return this.argError(n, `${expected} expected, got ${got}`);
  }

  /** True while a native called from the VM runs (runtime errors then carry no position). */
  protected nativeActive = false;

  protected rtErrorPlain(msg: string): LuaError {
    if (this.nativeActive) return new LuaError(msg);
    const fr = this.co.frames;
    const f = fr[fr.length - 1];
    if (!f) return new LuaError(msg);
    return new LuaError(`${f.cl.proto.source}:${f.cl.proto.lines[f.pc - 1]}: ${msg}`);
  }

  /** A runtime error at the current instruction (luaG_runerror). */
  rtError(msg: string): LuaError {
    return this.rtErrorPlain(msg);
  }

  protected typeErr(v: LuaValue, what: string, info: string | undefined): LuaError {
    const t = typeName(v);
    return this.rtError(
      info ? `attempt to ${what} ${info} (a ${t} value)` : `attempt to ${what} a ${t} value`,
    );
  }

  // ---- argument helpers for natives ----

  /** luaL_checktable-like: argument n must be a table. */
  checkTable(args: LuaValue[], n: number): LuaTable {
    const v = args[n - 1];
    if (v instanceof LuaTable) return v;
    throw this.typeError(args, n, "table");
  }

  /** luaL_checknumber: numbers and numeric strings. */
  checkNumber(args: LuaValue[], n: number): number {
    const v = args[n - 1];
    if (typeof v === "number") return v;
    const x = toNumber(v);
    if (x === undefined) throw this.typeError(args, n, "number");
    return x;
  }

  /** luaL_optnumber. */
  optNumber(args: LuaValue[], n: number, def: number): number {
    return args[n - 1] === undefined ? def : this.checkNumber(args, n);
  }

  /** luaL_checkint: the number truncated toward zero (C cast). */
  checkInt(args: LuaValue[], n: number): number {
    const x = this.checkNumber(args, n);
    return toInt(x);
  }

  /** luaL_optint. */
  optInt(args: LuaValue[], n: number, def: number): number {
    return args[n - 1] === undefined ? def : this.checkInt(args, n);
  }

  /** luaL_checklstring: strings, and numbers converted with %.14g. */
  checkString(args: LuaValue[], n: number): string {
    const v = args[n - 1];
    if (typeof v === "string") return v;
    if (typeof v === "number") return fmtNumber(v);
    throw this.typeError(args, n, "string");
  }

  /** luaL_optlstring. */
  optString(args: LuaValue[], n: number, def: string): string {
    return args[n - 1] === undefined ? def : this.checkString(args, n);
  }

  /** luaL_checkany. */
  checkAny(args: LuaValue[], n: number): LuaValue {
    if (n - 1 >= args.length) throw this.argError(n, "value expected");
    return args[n - 1];
  }

  // ---- metamethods and generic operations ----

  /** The raw metamethod `event` of v, or undefined. */
  metaOf(v: LuaValue, event: string): LuaValue {
    let mt: LuaTable | undefined;
    if (v instanceof LuaTable || v instanceof LuaUserdata) mt = v.metatable;
    else if (typeof v === "string") mt = this.stringMeta;
    else return undefined;
    return mt === undefined ? undefined : mt.getStr(event);
  }

  /** v[k] with __index (luaV_gettable). */
  index(v: LuaValue, k: LuaValue, info?: string): LuaValue {
    for (let loop = 0; loop < 100; loop++) {
      let h: LuaValue;
      if (v instanceof LuaTable) {
        const r = v.get(k);
        if (r !== undefined) return r;
        const mt = v.metatable;
        if (mt === undefined || (h = mt.getStr("__index")) === undefined) return undefined;
      } else {
        h = this.metaOf(v, "__index");
        if (h === undefined) throw this.typeErr(v, "index", info);
      }
      if (isFunction(h)) return this.callSync(h, [v, k])[0];
      v = h;
      info = undefined;
    }
    throw this.rtError("loop in gettable");
  }

  /** v[k] = val with __newindex (luaV_settable). */
  setIndex(v: LuaValue, k: LuaValue, val: LuaValue, info?: string): void {
    for (let loop = 0; loop < 100; loop++) {
      let h: LuaValue;
      if (v instanceof LuaTable) {
        const mt = v.metatable;
        if (mt === undefined) {
          this.vmRawSet(v, k, val);
          return;
        }
        // 5.1 makes the slot (luaH_set) before looking at __newindex, so the key is created even
        // when the metamethod then handles the assignment.
        if (v.readonly) throw this.rtError("Attempt to modify a readonly table");
        if (k === undefined) throw this.rtError("table index is nil");
        if (typeof k === "number" && k !== k) throw this.rtError("table index is NaN");
        if (v.touch(k) !== undefined || (h = mt.getStr("__newindex")) === undefined) {
          v.set(k, val);
          return;
        }
      } else {
        h = this.metaOf(v, "__newindex");
        if (h === undefined) throw this.typeErr(v, "index", info);
      }
      if (isFunction(h)) {
        this.callSync(h, [v, k, val]);
        return;
      }
      v = h;
      info = undefined;
    }
    throw this.rtError("loop in settable");
  }

  /** rawset with 5.1's key checks, as natives do it (errors carry no position). */
  rawSet(t: LuaTable, k: LuaValue, v: LuaValue): void {
    if (t.readonly) throw this.rtError("Attempt to modify a readonly table");
    if (k === undefined) throw new LuaError("table index is nil");
    if (typeof k === "number" && k !== k) throw new LuaError("table index is NaN");
    t.set(k, v);
  }

  /** rawset from the VM (errors carry the current line). */
  protected vmRawSet(t: LuaTable, k: LuaValue, v: LuaValue): void {
    if (t.readonly) throw this.rtError("Attempt to modify a readonly table");
    if (k === undefined) throw this.rtError("table index is nil");
    if (typeof k === "number" && k !== k) throw this.rtError("table index is NaN");
    t.set(k, v);
  }

  /** Arithmetic with coercion and metamethods. */
  arith(op: Op, a: LuaValue, b: LuaValue, ia?: string, ib?: string): LuaValue {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== undefined && y !== undefined) return arithNum(op, x, y);
    const ev = ARITH_EVENTS[op - Op.ADD];
    let h = this.metaOf(a, ev);
    if (h === undefined) h = this.metaOf(b, ev);
    if (h !== undefined) return this.callSync(h, [a, b])[0];
    if (x === undefined) throw this.typeErr(a, "perform arithmetic on", ia);
    throw this.typeErr(b, "perform arithmetic on", ib);
  }

  /** Unary minus. */
  unm(a: LuaValue, info?: string): LuaValue {
    const x = toNumber(a);
    if (x !== undefined) return -x;
    const h = this.metaOf(a, "__unm");
    if (h !== undefined) return this.callSync(h, [a, a])[0];
    throw this.typeErr(a, "perform arithmetic on", info);
  }

  /** The length operator. */
  len(a: LuaValue, info?: string): LuaValue {
    if (typeof a === "string") return a.length;
    if (a instanceof LuaTable) return a.length();
    const h = this.metaOf(a, "__len");
    if (h !== undefined) return this.callSync(h, [a, undefined])[0];
    throw this.typeErr(a, "get length of", info);
  }

  /** Equality (==) with __eq for tables and userdata. */
  eq(a: LuaValue, b: LuaValue): boolean {
    if (a === b) return true;
    if (
      (a instanceof LuaTable && b instanceof LuaTable) ||
      (a instanceof LuaUserdata && b instanceof LuaUserdata)
    ) {
      const h = this.compTM(a, b, "__eq");
      if (h === undefined) return false;
      return truthy(this.callSync(h, [a, b])[0]);
    }
    return false;
  }

  protected compTM(a: LuaValue, b: LuaValue, ev: string): LuaValue {
    const h1 = this.metaOf(a, ev);
    if (h1 === undefined) return undefined;
    const h2 = this.metaOf(b, ev);
    return h1 === h2 ? h1 : undefined;
  }

  protected orderError(a: LuaValue, b: LuaValue): LuaError {
    const t1 = typeName(a);
    const t2 = typeName(b);
    return this.rtError(
      t1 === t2 ? `attempt to compare two ${t1} values` : `attempt to compare ${t1} with ${t2}`,
    );
  }

  /** a < b. */
  lt(a: LuaValue, b: LuaValue): boolean {
    const ta = typeof a;
    if (ta === typeof b) {
      if (ta === "number" || ta === "string") return (a as number) < (b as number);
      const h = this.compTM(a, b, "__lt");
      if (h !== undefined) return truthy(this.callSync(h, [a, b])[0]);
    }
    throw this.orderError(a, b);
  }

  /** a <= b (falls back to not (b < a) through __lt). */
  le(a: LuaValue, b: LuaValue): boolean {
    const ta = typeof a;
    if (ta === typeof b) {
      if (ta === "number" || ta === "string") return (a as number) <= (b as number);
      let h = this.compTM(a, b, "__le");
      if (h !== undefined) return truthy(this.callSync(h, [a, b])[0]);
      h = this.compTM(b, a, "__lt");
      if (h !== undefined) return !truthy(this.callSync(h, [b, a])[0]);
    }
    throw this.orderError(a, b);
  }

  /** Concatenation of values[from..to] (luaV_concat, right to left). */
  concat(vals: LuaValue[], infos: (string | undefined)[] | undefined): LuaValue {
    let n = vals.length;
    while (n > 1) {
      const a = vals[n - 2];
      const b = vals[n - 1];
      const sa = typeof a === "string" || typeof a === "number";
      const sb = typeof b === "string" || typeof b === "number";
      if (sa && sb) {
        let j = n - 2;
        while (j > 0 && (typeof vals[j - 1] === "string" || typeof vals[j - 1] === "number")) j--;
        let s = "";
        for (let i = j; i < n; i++) {
          const v = vals[i];
          s += typeof v === "number" ? fmtNumber(v) : (v as string);
        }
        vals[j] = s;
        n = j + 1;
        continue;
      }
      let h = this.metaOf(a, "__concat");
      if (h === undefined) h = this.metaOf(b, "__concat");
      if (h === undefined) {
        const bad = sa ? n - 1 : n - 2;
        throw this.typeErr(vals[bad], "concatenate", infos?.[bad]);
      }
      vals[n - 2] = this.callSync(h, [a, b])[0];
      n--;
    }
    return vals[0];
  }
}

/** Signal used by a hook's `kill`: not catchable by pcall. */
export class KillSignal extends LuaError {}

const ARITH_EVENTS = ["__add", "__sub", "__mul", "__div", "__mod", "__pow"];

/** 5.1 numeric arithmetic (fmod-free: a - floor(a/b)*b for %). */
export function arithNum(op: Op, x: number, y: number): number {
  switch (op) {
    case Op.ADD:
      return x + y;
    case Op.SUB:
      return x - y;
    case Op.MUL:
      return x * y;
    case Op.DIV:
      return x / y;
    case Op.MOD:
      return x - Math.floor(x / y) * y;
    default:
      return Math.pow(x, y);
  }
}

/** C's (int) cast of a double as luaL_checkint does (truncation; out of range gives INT_MIN). */
export function toInt(x: number): number {
  if (!(x > -2147483649 && x < 2147483648)) return -2147483648;
  return Math.trunc(x);
}

/** Returns the function of a value if callable, for libraries. */
export function asFunction(v: LuaValue): LuaFunction | undefined {
  return isFunction(v) ? v : undefined;
}
