// Lua tables: an array part for keys 1..n (kept without trailing nils) and a Map for every other key.

import type { LuaValue } from "./value.js";

/**
 * A Lua table. Keys 1..arr.length live in `arr` (holes are `undefined`, the last slot is never nil,
 * so `#t` is `arr.length` — the border 5.1 reports for tables built as sequences); all other keys
 * live in `hash` (insertion order, which makes `pairs` deterministic). Float keys with an integer
 * value are the same key as the integer (JS numbers already are); NaN and nil keys are rejected by
 * the VM before reaching here.
 */
export class LuaTable {
  /** Values for keys 1..arr.length (index 0 holds key 1). */
  arr: LuaValue[] = [];
  /** Every other key. */
  hash: Map<Exclude<LuaValue, undefined>, LuaValue> = new Map();
  /**
   * Redis's readonly-table patch (lua_enablereadonlytable): when set, every write through the VM,
   * rawset, setmetatable and the table library raises "Attempt to modify a readonly table".
   */
  readonly = false;
  /** The metatable, or undefined. */
  metatable: LuaTable | undefined = undefined;
  private iterKey: LuaValue = undefined;
  private iter: Iterator<[Exclude<LuaValue, undefined>, LuaValue]> | undefined = undefined;

  /** Raw get (no metamethods). */
  get(k: LuaValue): LuaValue {
    if (typeof k === "number") {
      const a = this.arr;
      if (k >= 1 && k <= a.length && (k | 0) === k) return a[k - 1];
      if (this.hash.size === 0) return undefined;
    }
    if (k === undefined) return undefined;
    return this.hash.get(k);
  }

  /** Raw get of a string key (fast path for field access). */
  getStr(k: string): LuaValue {
    return this.hash.size === 0 ? undefined : this.hash.get(k);
  }

  /** Raw set (no metamethods). `k` must not be nil or NaN (checked by callers). */
  set(k: LuaValue, v: LuaValue): void {
    if (typeof k === "number" && (k | 0) === k && k >= 1) {
      const a = this.arr;
      const n = a.length;
      if (k <= n) {
        a[k - 1] = v;
        if (v === undefined && k === n) {
          let m = n - 1;
          while (m > 0 && a[m - 1] === undefined) m--;
          a.length = m;
        }
        return;
      }
      if (k === n + 1) {
        if (v === undefined) {
          this.hash.delete(k);
          return;
        }
        a.push(v);
        const h = this.hash;
        if (h.size > 0) {
          h.delete(k);
          let next = k + 1;
          let nv;
          while (h.size > 0 && (nv = h.get(next)) !== undefined) {
            a.push(nv);
            h.delete(next);
            next++;
          }
        }
        return;
      }
    }
    if (v === undefined) this.hash.delete(k as Exclude<LuaValue, undefined>);
    else this.hash.set(k as Exclude<LuaValue, undefined>, v);
  }

  /** The length operator `#t` for tables (a border: t[n] ~= nil and t[n+1] == nil). */
  length(): number {
    return this.arr.length;
  }

  /**
   * next(t, k): the entry after key `k` (nil starts), or undefined at the end.
   * Throws the string "invalid key to 'next'" when k is not in the table.
   */
  next(k: LuaValue): [LuaValue, LuaValue] | undefined {
    const a = this.arr;
    let i = 0;
    if (k !== undefined) {
      if (typeof k === "number" && (k | 0) === k && k >= 1 && k <= a.length) i = k;
      else return this.nextHash(k);
    }
    for (; i < a.length; i++) if (a[i] !== undefined) return [i + 1, a[i]];
    this.iter = this.hash.entries();
    this.iterKey = undefined;
    return this.advance();
  }

  private nextHash(k: LuaValue): [LuaValue, LuaValue] | undefined {
    if (this.iter === undefined || this.iterKey !== k || (k !== k && false)) {
      const it = this.hash.entries();
      for (;;) {
        const r = it.next();
        if (r.done) throw "invalid key to 'next'";
        if (r.value[0] === k) break;
      }
      this.iter = it;
    }
    return this.advance();
  }

  private advance(): [LuaValue, LuaValue] | undefined {
    const it = this.iter!;
    for (;;) {
      const r = it.next();
      if (r.done) {
        this.iter = undefined;
        this.iterKey = undefined;
        return undefined;
      }
      if (r.value[1] !== undefined) {
        this.iterKey = r.value[0];
        return r.value;
      }
    }
  }

  /** Largest positive numeric key (table.maxn). */
  maxn(): number {
    let m = this.arr.length;
    for (const k of this.hash.keys()) if (typeof k === "number" && k > m) m = k;
    return m;
  }
}
