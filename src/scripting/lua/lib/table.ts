// Lua 5.1 table library, including 5.1's own quicksort so comparator-driven results match lua5.1.

import { LuaTable } from "../table.js";
import { fmtNumber, isFunction, truthy, typeName, type LuaValue } from "../value.js";
import type { LuaState } from "../state.js";
import { inRegisterOrder, setFn } from "./base.js";

/** Opens the table library. */
export function openTable(L: LuaState): void {
  const t = new LuaTable();
  setFn(L, t, "getn", (args, L) => [L.checkTable(args, 1).length()]);
  setFn(L, t, "setn", (args, L) => {
    L.checkTable(args, 1);
    throw L.error("'setn' is obsolete");
  });
  setFn(L, t, "maxn", (args, L) => [L.checkTable(args, 1).maxn()]);
  setFn(L, t, "insert", (args, L) => {
    const tb = L.checkTable(args, 1);
    let e = tb.length() + 1;
    let pos: number;
    switch (args.length) {
      case 2:
        pos = e;
        break;
      case 3: {
        pos = L.checkInt(args, 2);
        if (pos > e) e = pos;
        for (let i = e; i > pos; i--) L.rawSet(tb, i, tb.get(i - 1));
        break;
      }
      default:
        throw L.error("wrong number of arguments to 'insert'");
    }
    L.rawSet(tb, pos, args[args.length - 1]);
  });
  setFn(L, t, "remove", (args, L) => {
    const tb = L.checkTable(args, 1);
    const e = tb.length();
    let pos = L.optInt(args, 2, e);
    if (!(1 <= pos && pos <= e)) return [];
    const v = tb.get(pos);
    for (; pos < e; pos++) L.rawSet(tb, pos, tb.get(pos + 1));
    L.rawSet(tb, e, undefined);
    return [v];
  });
  setFn(L, t, "concat", (args, L) => {
    const sep = L.optString(args, 2, "");
    const tb = L.checkTable(args, 1);
    let i = L.optInt(args, 3, 1);
    const last = args[3] === undefined ? tb.length() : L.checkInt(args, 4);
    const parts: string[] = [];
    for (; i <= last; i++) {
      const v = tb.get(i);
      if (typeof v === "string") parts.push(v);
      else if (typeof v === "number") parts.push(fmtNumber(v));
      else throw L.error(`invalid value (${typeName(v)}) at index ${i} in table for 'concat'`);
    }
    return [parts.join(sep)];
  });
  setFn(L, t, "foreach", (args, L) => {
    const tb = L.checkTable(args, 1);
    const f = args[1];
    if (!isFunction(f)) throw L.typeError(args, 2, "function");
    let k: LuaValue = undefined;
    for (;;) {
      const e = tb.next(k);
      if (!e) return [];
      const r = L.callSync(f, [e[0], e[1]])[0];
      if (r !== undefined) return [r];
      k = e[0];
    }
  });
  setFn(L, t, "foreachi", (args, L) => {
    const tb = L.checkTable(args, 1);
    const f = args[1];
    if (!isFunction(f)) throw L.typeError(args, 2, "function");
    const n = tb.length();
    for (let i = 1; i <= n; i++) {
      const r = L.callSync(f, [i, tb.get(i)])[0];
      if (r !== undefined) return [r];
    }
    return [];
  });
  setFn(L, t, "sort", (args, L) => {
    const tb = L.checkTable(args, 1);
    const n = tb.length();
    if (tb.readonly && n > 1) throw L.rtError("Attempt to modify a readonly table");
    const cmp = args[1];
    if (cmp !== undefined && !isFunction(cmp)) throw L.typeError(args, 2, "function");
    const a: LuaValue[] = new Array(n + 2);
    for (let i = 1; i <= n; i++) a[i] = tb.get(i);
    const lt = cmp
      ? (x: LuaValue, y: LuaValue) => truthy(L.callSync(cmp, [x, y])[0])
      : (x: LuaValue, y: LuaValue) => (typeof x === "number" && typeof y === "number" ? x < y : L.lt(x, y));
    const swap = (i: number, j: number) => {
      const v = a[i];
      a[i] = a[j];
      a[j] = v;
    };
    const auxsort = (l: number, u: number): void => {
      while (l < u) {
        if (lt(a[u], a[l])) swap(l, u);
        if (u - l === 1) break;
        let i = Math.floor((l + u) / 2);
        if (lt(a[i], a[l])) swap(i, l);
        else if (lt(a[u], a[i])) swap(i, u);
        if (u - l === 2) break;
        const P = a[i];
        swap(i, u - 1);
        i = l;
        let j = u - 1;
        for (;;) {
          while (lt(a[++i], P)) if (i > u) throw L.error("invalid order function for sorting");
          while (lt(P, a[--j])) if (j < l) throw L.error("invalid order function for sorting");
          if (j < i) break;
          swap(i, j);
        }
        swap(u - 1, i);
        if (i - l < u - i) {
          j = l;
          i = i - 1;
          l = i + 2;
        } else {
          j = i + 1;
          i = u;
          u = j - 2;
        }
        auxsort(j, i);
      }
    };
    try {
      auxsort(1, n);
    } finally {
      if (n > 0) for (let i = 1; i <= n; i++) L.rawSet(tb, i, a[i]);
    }
  });
  L.globals.set(
    "table",
    inRegisterOrder(t, ["concat", "foreach", "foreachi", "getn", "maxn", "insert", "remove", "setn", "sort"]),
  );
}
