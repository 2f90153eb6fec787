// Lua 5.1 string library (byte strings as latin1 JS strings) and the string metatable.

import { LuaTable } from "../table.js";
import { LuaClosure, fmtG, fmtNumber, isFunction, typeName, type LuaValue } from "../value.js";
import type { LuaState } from "../state.js";
import { inRegisterOrder, setFn } from "./base.js";
import { MatchState } from "./lpattern.js";

const SPECIALS = /[\^$*+?.([%-]/;

function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + " ".repeat(width - s.length);
  if (zero) {
    const m = /^([+\- ]?(?:0[xX])?)/.exec(s)!;
    return m[1] + "0".repeat(width - s.length) + s.slice(m[1].length);
  }
  return " ".repeat(width - s.length) + s;
}

function toLong(n: number): bigint {
  if (!isFinite(n)) return -9223372036854775808n;
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

function fixedBig(n: number, prec: number): string {
  if (Math.abs(n) < 1e21) return n.toFixed(prec);
  return BigInt(n).toString() + (prec > 0 ? "." + "0".repeat(prec) : "");
}

/** One C printf conversion as Lua 5.1's string.format performs it. */
function formatOne(L: LuaState, args: LuaValue[], argn: number, spec: string, conv: string): string {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?$/.exec(spec)!;
  const flags = m[1];
  const width = m[2] ? parseInt(m[2], 10) : 0;
  const prec = m[3] !== undefined ? (m[3] === "" ? 0 : parseInt(m[3], 10)) : undefined;
  const left = flags.includes("-");
  const plus = flags.includes("+");
  const space = flags.includes(" ");
  const alt = flags.includes("#");
  let zero = flags.includes("0") && !left;
  const sign = (neg: boolean) => (neg ? "-" : plus ? "+" : space ? " " : "");
  switch (conv) {
    case "c": {
      // sprintf's output is added up to its first NUL (strlen), so %c of 0 adds nothing
      const ch = String.fromCharCode(L.checkInt(args, argn) & 255);
      const out = pad(ch, width, left, false);
      const z = out.indexOf("\0");
      return z < 0 ? out : out.slice(0, z);
    }
    case "d":
    case "i": {
      const num = L.checkNumber(args, argn);
      const tr = Math.trunc(num);
      // safe integers need no BigInt (the common case); others wrap like a C long cast
      const v = Number.isSafeInteger(tr) ? tr : toLong(num);
      let digits = (v < 0 ? -v : v).toString();
      if (prec !== undefined) {
        zero = false;
        if (prec === 0 && v == 0) digits = "";
        else if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
      }
      return pad(sign(v < 0) + digits, width, left, zero);
    }
    case "o":
    case "u":
    case "x":
    case "X": {
      const v = BigInt.asUintN(64, toLong(L.checkNumber(args, argn)));
      let digits = v.toString(conv === "o" ? 8 : conv === "u" ? 10 : 16);
      if (conv === "X") digits = digits.toUpperCase();
      if (prec !== undefined) {
        zero = false;
        if (prec === 0 && v === 0n) digits = "";
        else if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
      }
      if (alt && v !== 0n) {
        if (conv === "x") digits = "0x" + digits;
        else if (conv === "X") digits = "0X" + digits;
      }
      if (alt && conv === "o" && digits[0] !== "0") digits = "0" + digits;
      return pad(digits, width, left, zero);
    }
    case "e":
    case "E":
    case "f":
    case "g":
    case "G": {
      const n = L.checkNumber(args, argn);
      let body: string;
      const neg = n < 0 || Object.is(n, -0);
      const a = Math.abs(n);
      if (!isFinite(n)) {
        body = n !== n ? "nan" : "inf";
        if (conv === "E" || conv === "G") body = body.toUpperCase();
        zero = false;
        return pad(sign(neg && n === n) + body, width, left, false);
      }
      const p = prec ?? 6;
      if (conv === "f") {
        body = fixedBig(a, p);
        if (alt && p === 0) body += ".";
      } else if (conv === "e" || conv === "E") {
        body = a.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2");
        if (alt && p === 0) body = body.replace("e", ".e");
        if (conv === "E") body = body.toUpperCase();
      } else {
        body = fmtG(a, p, alt, conv as "g" | "G");
      }
      return pad(sign(neg) + body, width, left, zero);
    }
    case "s": {
      const s = L.checkString(args, argn);
      if (prec === undefined && s.length >= 100) return s;
      const out = pad(prec !== undefined ? s.slice(0, prec) : s, width, left, false);
      const z = out.indexOf("\0");
      return z < 0 ? out : out.slice(0, z);
    }
    default:
      throw L.error(`invalid option '%${conv}' to 'format'`);
  }
}

function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '"':
      case "\\":
      case "\n":
        out += "\\" + c;
        break;
      case "\r":
        out += "\\r";
        break;
      case "\0":
        out += "\\000";
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

/** string.format. */
export function strFormat(args: LuaValue[], L: LuaState): string {
  const fmt = L.checkString(args, 1);
  let out = "";
  let argn = 1;
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i++];
    if (c !== "%") {
      out += c;
      continue;
    }
    if (fmt[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    argn++;
    // scanformat
    const st = i;
    while (i < fmt.length && "-+ #0".includes(fmt[i])) i++;
    if (i - st >= 6) throw L.error("invalid format (repeated flags)");
    if (/\d/.test(fmt[i] ?? "")) i++;
    if (/\d/.test(fmt[i] ?? "")) i++;
    if (fmt[i] === ".") {
      i++;
      if (/\d/.test(fmt[i] ?? "")) i++;
      if (/\d/.test(fmt[i] ?? "")) i++;
    }
    if (/\d/.test(fmt[i] ?? "")) throw L.error("invalid format (width or precision too long)");
    const spec = fmt.slice(st, i);
    const conv = fmt[i++] ?? "";
    if (argn > args.length && "cdiouxXeEfgGqs".includes(conv) && conv !== "")
      throw L.argError(argn, "no value");
    if (conv === "q") out += quoted(L.checkString(args, argn));
    else out += formatOne(L, args, argn, spec, conv);
  }
  return out;
}

/** Opens the string library and sets the string metatable (__index = string). */
export function openString(L: LuaState): void {
  const lib = new LuaTable();
  const fn = (name: string, f: (args: LuaValue[], L: LuaState) => LuaValue[] | void) =>
    setFn(L, lib, name, f);
  fn("len", (args, L) => [L.checkString(args, 1).length]);
  fn("sub", (args, L) => {
    const s = L.checkString(args, 1);
    const l = s.length;
    let i = posrelat(L.checkInt(args, 2), l);
    let j = posrelat(L.optInt(args, 3, -1), l);
    if (i < 1) i = 1;
    if (j > l) j = l;
    return [i <= j ? s.slice(i - 1, j) : ""];
  });
  fn("upper", (args, L) => [L.checkString(args, 1).replace(/[a-z]+/g, (x) => x.toUpperCase())]);
  fn("lower", (args, L) => [L.checkString(args, 1).replace(/[A-Z]+/g, (x) => x.toLowerCase())]);
  fn("rep", (args, L) => {
    const s = L.checkString(args, 1);
    const n = L.checkInt(args, 2);
    if (n <= 0 || s.length === 0) return [""];
    if (s.length * n > 0x1fffffe8) throw L.error("not enough memory");
    return [s.repeat(n)];
  });
  fn("reverse", (args, L) => [L.checkString(args, 1).split("").reverse().join("")]);
  fn("byte", (args, L) => {
    const s = L.checkString(args, 1);
    const l = s.length;
    const posi = posrelat(L.optInt(args, 2, 1), l);
    let pose = posrelat(args[2] === undefined ? posi : L.checkInt(args, 3), l);
    const i = posi <= 0 ? 1 : posi;
    if (pose > l) pose = l;
    if (i > pose) return [];
    const out: LuaValue[] = [];
    for (let k = i; k <= pose; k++) out.push(s.charCodeAt(k - 1));
    return out;
  });
  fn("char", (args, L) => {
    let out = "";
    for (let i = 1; i <= args.length; i++) {
      const c = L.checkInt(args, i);
      if (c < 0 || c > 255) throw L.argError(i, "invalid value");
      out += String.fromCharCode(c);
    }
    return [out];
  });
  fn("dump", (args, L) => {
    const f = args[0];
    if (!isFunction(f)) throw L.typeError(args, 1, "function");
    if (!(f instanceof LuaClosure)) throw L.error("unable to dump given function");
    throw L.error("unable to dump given function");
  });
  fn("format", (args, L) => [strFormat(args, L)]);
  const find = (args: LuaValue[], L: LuaState, isFind: boolean): LuaValue[] => {
    const s = L.checkString(args, 1);
    const p = L.checkString(args, 2);
    const ls = s.length;
    let init = posrelat(L.optInt(args, 3, 1), ls) - 1;
    if (init < 0) init = 0;
    else if (init > ls) init = ls;
    if (isFind && (args[3] !== undefined && args[3] !== false ? true : !SPECIALS.test(p.split("\0")[0]))) {
      const idx = s.indexOf(p, init);
      return idx < 0 ? [undefined] : [idx + 1, idx + p.length];
    }
    const anchor = p[0] === "^";
    const ms = new MatchState(L, s, anchor ? p.slice(1) : p);
    let s1 = init;
    do {
      ms.level = 0;
      const e = ms.match(s1, 0);
      if (e !== -1) {
        if (isFind) return [s1 + 1, e, ...ms.captures(-1, -1, false)];
        return ms.captures(s1, e, true);
      }
    } while (s1++ < ls && !anchor);
    return [undefined];
  };
  fn("find", (args, L) => find(args, L, true));
  fn("match", (args, L) => find(args, L, false));
  const gmatch = (args: LuaValue[], L: LuaState): LuaValue[] => {
    const s = L.checkString(args, 1);
    const p = L.checkString(args, 2);
    let pos = 0;
    const iter = new (class {})();
    void iter;
    return [
      setFn(L, new LuaTable(), "gmatch_aux", (_a, L) => {
        const ms = new MatchState(L, s, p);
        for (let src = pos; src <= s.length; src++) {
          ms.level = 0;
          const e = ms.match(src, 0);
          if (e !== -1) {
            pos = e === src ? e + 1 : e;
            return ms.captures(src, e, true);
          }
        }
        return [];
      }),
    ];
  };
  fn("gmatch", gmatch);
  // LUA_COMPAT_GFIND, as Debian and Redis build 5.1
  fn("gfind", gmatch);
  fn("gsub", (args, L) => {
    const src = L.checkString(args, 1);
    let p = L.checkString(args, 2);
    const repl = args[2];
    const tr = typeName(repl);
    const maxS = L.optInt(args, 4, src.length + 1);
    if (!(tr === "number" || tr === "string" || tr === "table" || tr === "function"))
      throw L.argError(3, "string/function/table expected");
    const anchor = p[0] === "^";
    if (anchor) p = p.slice(1);
    const ms = new MatchState(L, src, p);
    let s = 0;
    let n = 0;
    let out = "";
    const replStr = typeof repl === "number" ? fmtNumber(repl) : (repl as string);
    while (n < maxS) {
      ms.level = 0;
      const e = ms.match(s, 0);
      if (e !== -1) {
        n++;
        // add_value
        const whole = src.slice(s, e);
        if (tr === "string" || tr === "number") {
          for (let i = 0; i < replStr.length; i++) {
            const c = replStr[i];
            if (c !== "%") out += c;
            else {
              i++;
              const d = replStr[i] ?? "";
              if (!(d >= "0" && d <= "9")) out += d;
              else if (d === "0") out += whole;
              else {
                const v = ms.capture(d.charCodeAt(0) - 49, s, e);
                out += typeof v === "number" ? fmtNumber(v) : (v as string);
              }
            }
          }
        } else {
          let v: LuaValue;
          if (tr === "function") v = L.callSync(repl, ms.captures(s, e, true))[0];
          else v = L.index(repl, ms.capture(0, s, e));
          if (v === undefined || v === false) out += whole;
          else if (typeof v === "string") out += v;
          else if (typeof v === "number") out += fmtNumber(v);
          else throw L.error(`invalid replacement value (a ${typeName(v)})`);
        }
      }
      if (e !== -1 && e > s) s = e;
      else if (s < src.length) out += src[s++];
      else break;
      if (anchor) break;
    }
    out += src.slice(s);
    return [out, n];
  });
  const t = inRegisterOrder(lib, [
    "byte",
    "char",
    "dump",
    "find",
    "format",
    "gfind",
    "gmatch",
    "gsub",
    "len",
    "lower",
    "match",
    "rep",
    "reverse",
    "sub",
    "upper",
  ]);
  L.globals.set("string", t);
  const meta = new LuaTable();
  meta.set("__index", t);
  L.stringMeta = meta;
}
