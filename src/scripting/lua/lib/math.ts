// Lua 5.1 math library (math.random/randomseed use the state's pluggable RandomSource).

import { LuaTable } from "../table.js";
import type { LuaState } from "../state.js";
import { inRegisterOrder, setFn } from "./base.js";

/** C's frexp: [mantissa in [0.5, 1), exponent]. */
function frexp(x: number): [number, number] {
  if (x === 0 || !isFinite(x) || x !== x) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * Math.pow(2, -e);
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** C's fmod (truncated remainder). */
function fmod(a: number, b: number): number {
  return a % b;
}

/** Opens the math library. */
export function openMath(L: LuaState): void {
  const t = new LuaTable();
  t.set("pi", Math.PI);
  t.set("huge", Infinity);
  const f1 = (name: string, f: (x: number) => number) =>
    setFn(L, t, name, (args, L) => [f(L.checkNumber(args, 1))]);
  f1("abs", Math.abs);
  f1("acos", Math.acos);
  f1("asin", Math.asin);
  f1("atan", Math.atan);
  f1("ceil", Math.ceil);
  f1("cos", Math.cos);
  f1("cosh", Math.cosh);
  f1("deg", (x) => x * (180 / Math.PI));
  f1("exp", Math.exp);
  f1("floor", Math.floor);
  f1("log", Math.log);
  f1("log10", Math.log10);
  f1("rad", (x) => x * (Math.PI / 180));
  f1("sin", Math.sin);
  f1("sinh", Math.sinh);
  f1("sqrt", Math.sqrt);
  f1("tan", Math.tan);
  f1("tanh", Math.tanh);
  setFn(L, t, "atan2", (args, L) => [Math.atan2(L.checkNumber(args, 1), L.checkNumber(args, 2))]);
  setFn(L, t, "fmod", (args, L) => [fmod(L.checkNumber(args, 1), L.checkNumber(args, 2))]);
  setFn(L, t, "mod", (args, L) => [fmod(L.checkNumber(args, 1), L.checkNumber(args, 2))]);
  setFn(L, t, "pow", (args, L) => [Math.pow(L.checkNumber(args, 1), L.checkNumber(args, 2))]);
  setFn(L, t, "modf", (args, L) => {
    const x = L.checkNumber(args, 1);
    const ip = x >= 0 ? Math.floor(x) : Math.ceil(x);
    return [ip, isFinite(x) ? x - ip : x !== x ? x : 0];
  });
  setFn(L, t, "frexp", (args, L) => frexp(L.checkNumber(args, 1)));
  setFn(L, t, "ldexp", (args, L) => [L.checkNumber(args, 1) * Math.pow(2, L.checkInt(args, 2))]);
  setFn(L, t, "min", (args, L) => {
    let m = L.checkNumber(args, 1);
    for (let i = 2; i <= args.length; i++) {
      const x = L.checkNumber(args, i);
      if (x < m) m = x;
    }
    return [m];
  });
  setFn(L, t, "max", (args, L) => {
    let m = L.checkNumber(args, 1);
    for (let i = 2; i <= args.length; i++) {
      const x = L.checkNumber(args, i);
      if (x > m) m = x;
    }
    return [m];
  });
  setFn(L, t, "random", (args, L) => {
    const r = L.random.next();
    switch (args.length) {
      case 0:
        return [r];
      case 1: {
        const u = L.checkInt(args, 1);
        if (!(1 <= u)) throw L.argError(1, "interval is empty");
        return [Math.floor(r * u) + 1];
      }
      case 2: {
        const l = L.checkInt(args, 1);
        const u = L.checkInt(args, 2);
        if (!(l <= u)) throw L.argError(2, "interval is empty");
        return [Math.floor(r * (u - l + 1)) + l];
      }
      default:
        throw L.error("wrong number of arguments");
    }
  });
  setFn(L, t, "randomseed", (args, L) => {
    L.random.seed(L.checkInt(args, 1));
  });
  L.globals.set(
    "math",
    inRegisterOrder(
      t,
      [
        "abs",
        "acos",
        "asin",
        "atan2",
        "atan",
        "ceil",
        "cosh",
        "cos",
        "deg",
        "exp",
        "floor",
        "fmod",
        "frexp",
        "ldexp",
        "log10",
        "log",
        "max",
        "min",
        "modf",
        "pow",
        "rad",
        "random",
        "randomseed",
        "sinh",
        "sin",
        "sqrt",
        "tanh",
        "tan",
      ],
      ["pi", "huge", "mod"],
    ),
  );
}
