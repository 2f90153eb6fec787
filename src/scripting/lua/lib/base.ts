// Lua 5.1 base library: print, type, tostring, tonumber, pairs, pcall, error, loadstring, setfenv...

import { LuaTable } from "../table.js";
import {
  LuaClosure,
  LuaError,
  LuaUserdata,
  NativeFunction,
  fmtNumber,
  isFunction,
  str2number,
  truthy,
  typeName,
  type LuaValue,
} from "../value.js";
import { LuaSyntaxError } from "../lexer.js";
import { Special, SpecialFunction, type LuaState } from "../state.js";

type Fn = (args: LuaValue[], L: LuaState) => LuaValue[] | void;

/** Adds a native function to a table. */
export function setFn(L: LuaState, t: LuaTable, name: string, fn: Fn): NativeFunction {
  const f = new NativeFunction(name, fn);
  f.env = L.globals;
  t.set(name, f);
  return f;
}

/**
 * The library table `t` rebuilt as luaL_register builds it: presized for the C library's functions
 * (lua_createtable(L, 0, n)) and filled in its luaL_Reg order, then the `extra` keys the C opener
 * sets afterwards, so that pairs() visits them in lua5.1's (and Redis's) order.
 */
export function inRegisterOrder(t: LuaTable, names: string[], extra: string[] = []): LuaTable {
  const r = new LuaTable(0, names.length);
  for (const n of names) r.set(n, t.get(n));
  for (const n of extra) r.set(n, t.get(n));
  return r;
}

function strtoul(s: string, base: number): number | undefined {
  const m = /^[ \t\n\v\f\r]*([-+]?)/.exec(s)!;
  let i = m[0].length;
  const neg = m[1] === "-";
  if (base === 16 && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X")) i += 2;
  let v = 0;
  const st = i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 87;
    else if (c >= 65 && c <= 90) d = c - 55;
    else break;
    if (d >= base) break;
    v = v * base + d;
  }
  if (i === st) return undefined;
  if (!/^[ \t\n\v\f\r]*$/.test(s.slice(i))) return undefined;
  if (v > 2 ** 64) v = 2 ** 64;
  return neg && v !== 0 ? 18446744073709551616 - v : v;
}

/** Loads a chunk for loadstring/load: [fn] or [nil, message]. */
export function loadChunk(L: LuaState, src: string, name: string): LuaValue[] {
  try {
    return [L.load(src, name, L.co.env ?? L.globals)];
  } catch (e) {
    if (e instanceof LuaSyntaxError) return [undefined, e.message];
    throw e;
  }
}

const GC_OPTS = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul"];

/** Opens the base library. */
export function openBase(L: LuaState): void {
  const G = L.globals;
  G.set("_G", G);
  G.set("_VERSION", "Lua 5.1");
  const fn = (name: string, f: Fn) => setFn(L, G, name, f);

  fn("print", (args, L) => {
    const ts = L.index(L.globals, "tostring");
    const parts: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const s = L.callSync(ts, [args[i]])[0];
      if (typeof s !== "string" && typeof s !== "number")
        throw L.error("'tostring' must return a string to 'print'");
      parts.push(typeof s === "number" ? fmtNumber(s) : s);
    }
    L.printer(parts.join("\t"));
  });
  fn("type", (args, L) => [typeName(L.checkAny(args, 1))]);
  fn("tostring", (args, L) => [L.tostring(L.checkAny(args, 1))]);
  fn("tonumber", (args, L) => {
    const base = L.optInt(args, 2, 10);
    if (base === 10) {
      const v = L.checkAny(args, 1);
      if (typeof v === "number") return [v];
      if (typeof v === "string") return [str2number(v)];
      return [undefined];
    }
    const s = L.checkString(args, 1);
    if (!(base >= 2 && base <= 36)) throw L.argError(2, "base out of range");
    return [strtoul(s, base)];
  });
  fn("rawequal", (args, L) => {
    L.checkAny(args, 1);
    L.checkAny(args, 2);
    return [args[0] === args[1]];
  });
  fn("rawget", (args, L) => {
    const t = L.checkTable(args, 1);
    L.checkAny(args, 2);
    return [t.get(args[1])];
  });
  fn("rawset", (args, L) => {
    const t = L.checkTable(args, 1);
    L.checkAny(args, 2);
    L.checkAny(args, 3);
    L.rawSet(t, args[1], args[2]);
    return [t];
  });
  fn("getmetatable", (args, L) => {
    const mt = L.getMetatable(L.checkAny(args, 1));
    if (!mt) return [undefined];
    const p = mt.getStr("__metatable");
    return [p !== undefined ? p : mt];
  });
  fn("setmetatable", (args, L) => {
    const t = L.checkTable(args, 1);
    const mt = args[1];
    if (mt !== undefined && !(mt instanceof LuaTable)) throw L.argError(2, "nil or table expected");
    if (t.readonly) throw L.rtError("Attempt to modify a readonly table");
    if (t.metatable && t.metatable.getStr("__metatable") !== undefined)
      throw L.error("cannot change a protected metatable");
    t.metatable = mt;
    return [t];
  });
  fn("assert", (args, L) => {
    const v = L.checkAny(args, 1);
    if (!truthy(v)) throw L.error(L.optString(args, 2, "assertion failed!"));
    return args;
  });
  fn("error", (args, L) => {
    const level = L.optInt(args, 2, 1);
    let v = args[0];
    if ((typeof v === "string" || typeof v === "number") && level > 0) {
      v = L.where(level) + (typeof v === "number" ? fmtNumber(v) : v);
    }
    throw new LuaError(v);
  });
  const nextFn = fn("next", (args, L) => {
    const t = L.checkTable(args, 1);
    let r;
    try {
      r = t.next(args[1]);
    } catch (e) {
      if (typeof e === "string") throw L.error(e);
      throw e;
    }
    return r ?? [undefined];
  });
  fn("pairs", (args, L) => [nextFn, L.checkTable(args, 1), undefined]);
  const ipairsAux = new NativeFunction("ipairs_aux", (args) => {
    const t = args[0] as LuaTable;
    const i = (args[1] as number) + 1;
    const v = t.get(i);
    return v === undefined ? [] : [i, v];
  });
  fn("ipairs", (args, L) => [ipairsAux, L.checkTable(args, 1), 0]);
  fn("select", (args, L) => {
    const n = args.length;
    if (args[0] === "#") return [n - 1];
    let i = L.checkInt(args, 1);
    if (i < 0) i = n + i;
    else if (i > n) i = n;
    if (i < 1) throw L.argError(1, "index out of range");
    return args.slice(i);
  });
  fn("unpack", (args, L) => {
    const t = L.checkTable(args, 1);
    const i = L.optInt(args, 2, 1);
    const e = args[2] === undefined ? t.length() : L.checkInt(args, 3);
    if (i > e) return [];
    const n = e - i + 1;
    if (n <= 0 || n >= 8000) throw L.error("too many results to unpack");
    const out: LuaValue[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = t.get(i + k);
    return out;
  });
  const pcallFallback: Fn = (args, L) => {
    if (args.length < 1) throw L.argError(1, "value expected");
    try {
      return [true, ...L.callSync(args[0], args.slice(1))];
    } catch (e) {
      if (e instanceof LuaError) return [false, e.value];
      throw e;
    }
  };
  const pcall = new SpecialFunction("pcall", Special.PCALL, pcallFallback);
  pcall.env = G;
  G.set("pcall", pcall);
  const xpcall = new SpecialFunction("xpcall", Special.XPCALL, (args, L) => {
    L.checkAny(args, 2);
    try {
      return [true, ...L.callSync(args[0], [])];
    } catch (e) {
      if (e instanceof LuaError) return [false, L.callSync(args[1], [e.value])[0]];
      throw e;
    }
  });
  xpcall.env = G;
  G.set("xpcall", xpcall);
  fn("loadstring", (args, L) => {
    const s = L.checkString(args, 1);
    return loadChunk(L, s, L.optString(args, 2, s));
  });
  fn("load", (args, L) => {
    const f = args[0];
    if (!isFunction(f)) throw L.typeError(args, 1, "function");
    const name = L.optString(args, 2, "=(load)");
    let src = "";
    for (;;) {
      const piece = L.callSync(f, [])[0];
      if (piece === undefined || piece === "") break;
      if (typeof piece !== "string") return [undefined, "reader function must return a string"];
      src += piece;
    }
    return loadChunk(L, src, name);
  });
  const getFunc = (args: LuaValue[], L: LuaState, forSet: boolean): LuaValue => {
    const f = args[0];
    if (isFunction(f)) return f;
    const level = args[0] === undefined ? 1 : L.checkInt(args, 1);
    if (level < 0) throw L.argError(1, "level must be non-negative");
    if (level === 0) return undefined;
    const fr = L.co.frames;
    let j = fr.length - 1;
    for (let l = 1; l < level; l++) {
      if (j >= 0 && fr[j].tailcall) throw L.error(`no function environment for tail call at level ${level}`);
      j--;
    }
    const frame = fr[j];
    if (!frame) throw L.argError(1, "invalid level");
    void forSet;
    return frame.cl;
  };
  fn("getfenv", (args, L) => {
    const f = getFunc(args, L, false);
    if (f === undefined) return [L.co.env ?? L.globals];
    if (f instanceof LuaClosure) return [f.env];
    return [(f as NativeFunction).env ?? L.globals];
  });
  fn("setfenv", (args, L) => {
    const t = L.checkTable(args, 2);
    const f = getFunc(args, L, true);
    if (f === undefined) {
      L.co.env = t;
      return [];
    }
    if (f instanceof LuaClosure) {
      f.env = t;
      return [f];
    }
    throw L.error("'setfenv' cannot change environment of given object");
  });
  fn("collectgarbage", (args, L) => {
    const opt = L.optString(args, 1, "collect");
    if (!GC_OPTS.includes(opt)) throw L.argError(1, `invalid option '${opt}'`);
    switch (opt) {
      case "count":
        return [Math.round(process.memoryUsage().heapUsed / 1024) + 0.5];
      case "step":
        return [true];
      case "setpause":
      case "setstepmul":
        return [200];
      default:
        return [0];
    }
  });
  fn("gcinfo", () => [Math.round(process.memoryUsage().heapUsed / 1024)]);
  fn("newproxy", (args, L) => {
    const u = new LuaUserdata();
    const a = args[0];
    if (a === undefined || a === false) return [u];
    if (a === true) {
      u.metatable = new LuaTable();
      return [u];
    }
    if (a instanceof LuaUserdata) {
      u.metatable = a.metatable;
      return [u];
    }
    throw L.argError(1, "boolean or proxy expected");
  });
}
