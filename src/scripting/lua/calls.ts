// The Lua state's call machinery: frames, native and special calls (pcall, coroutines), results,
// error unwinding to the nearest pcall, hooks and coroutine switches.

import { Coroutine, type Frame } from "./coroutine-type.js";
import { Box, isFunction, LuaClosure, LuaError, NativeFunction, typeName, type LuaValue } from "./value.js";
import { KillSignal, LuaOps } from "./ops.js";
import type { LuaHookAction, LuaState } from "./state.js";
import { LuaSyntaxError } from "./lexer.js";
import type { LuaTable } from "./table.js";

/** Returned by the VM loop when the hook suspends a top-level run. */
export const SUSPENDED = Symbol("suspended");
/** The shared empty result list (never mutated). */
export const EMPTY: LuaValue[] = [];
const MAX_FRAMES = 20000;
const MAX_NATIVE_DEPTH = 200;

/** Special natives handled inside the VM loop (they manipulate frames or threads). */
export const enum Special {
  None,
  PCALL,
  XPCALL,
  YIELD,
  RESUME,
  WRAP,
}

/** A native function with VM-level behaviour (pcall, xpcall, coroutine switching). */
export class SpecialFunction extends NativeFunction {
  co: Coroutine | undefined;
  constructor(
    name: string,
    readonly special: Special,
    fallback: (args: LuaValue[], L: LuaState) => LuaValue[] | void,
  ) {
    super(name, fallback);
  }
}

/** The call machinery of LuaState (the instruction loop itself is LuaVM.loop). */
export abstract class LuaCalls extends LuaOps {
  /** Compiles a chunk (LuaState.load). */
  abstract load(source: string, chunkName: string, env?: LuaTable): LuaClosure;

  /** The interpreter loop (vm.ts). */
  protected abstract loop(top: boolean): LuaValue[] | typeof SUSPENDED;

  /** Calls a function synchronously (from natives or the host); returns all results. */
  callSync(fn: LuaValue, args: LuaValue[]): LuaValue[] {
    if (fn instanceof NativeFunction && !(fn instanceof SpecialFunction && fn.special === Special.WRAP)) {
      const saveN = this.callName;
      const saveM = this.callIsMethod;
      const saveC = this.callerIsNative;
      this.callName = "?";
      this.callIsMethod = false;
      // called by a native (pcall(f), sort's comparator...) or by the VM itself (a metamethod: then
      // level 1 is the Lua function doing the access, as in 5.1)
      this.callerIsNative = this.nativeActive;
      const co = this.co;
      if (co.nativeDepth >= MAX_NATIVE_DEPTH) throw this.rtError("C stack overflow");
      co.nativeDepth++;
      const saveNative = this.nativeActive;
      this.nativeActive = true;
      try {
        return fn.fn(args, this as unknown as LuaState) ?? EMPTY;
      } finally {
        this.nativeActive = saveNative;
        co.nativeDepth--;
        this.callName = saveN;
        this.callIsMethod = saveM;
        this.callerIsNative = saveC;
      }
    }
    if (!(fn instanceof LuaClosure)) {
      const h = this.metaOf(fn, "__call");
      if (h === undefined || !isFunction(h)) throw this.typeErr(fn, "call", undefined);
      return this.callSync(h, [fn, ...args]);
    }
    const co = this.co;
    if (co.nativeDepth >= MAX_NATIVE_DEPTH) throw this.rtError("C stack overflow");
    let slot = co.top;
    const fr = co.frames;
    if (fr.length > 0) {
      const f = fr[fr.length - 1];
      slot = Math.max(slot, f.base + f.cl.proto.maxStack);
    }
    const st = co.stack;
    st[slot] = fn;
    for (let i = 0; i < args.length; i++) st[slot + 1 + i] = args[i];
    const frame = this.pushLuaFrame(co, fn, slot, args.length, slot, -1, 0, undefined);
    frame.boundary = true;
    frame.hostHandler = this.nextHostHandler;
    this.nextHostHandler = undefined;
    co.nativeDepth++;
    try {
      const r = this.execute(false);
      return r as LuaValue[];
    } finally {
      co.nativeDepth--;
    }
  }

  /** Pushes a frame for closure `cl` whose arguments are at stack[slot+1 .. slot+nargs]. */
  protected pushLuaFrame(
    co: Coroutine,
    cl: LuaClosure,
    slot: number,
    nargs: number,
    ret: number,
    nres: number,
    protect: number,
    handler: LuaValue,
  ): Frame {
    if (co.frames.length >= MAX_FRAMES) throw this.rtError("stack overflow");
    const p = cl.proto;
    const base = slot + 1;
    const st = co.stack;
    // keep the stack dense (no holes) so V8 keeps it a fast array
    const need = base + p.maxStack + nargs;
    while (st.length < need) st.push(undefined);
    let varargs = EMPTY;
    const np = p.numParams;
    if (p.isVararg && nargs > np) varargs = st.slice(base + np, base + nargs);
    for (let i = nargs; i < np; i++) st[base + i] = undefined;
    const bp = p.boxedParams;
    for (let i = 0; i < bp.length; i++) st[base + bp[i]] = new Box(st[base + bp[i]]) as unknown as LuaValue;
    const frame: Frame = {
      cl,
      pc: 0,
      base,
      ret,
      nres,
      varargs,
      protect,
      handler,
      boundary: false,
      results: undefined,
      hostHandler: undefined,
      tailcall: false,
    };
    co.frames.push(frame);
    return frame;
  }

  /** Places results at st[dst..] adjusted to nres (-1: all, sets top). */
  protected place(co: Coroutine, dst: number, res: LuaValue[], nres: number): void {
    const st = co.stack;
    if (nres < 0) {
      for (let i = 0; i < res.length; i++) st[dst + i] = res[i];
      co.top = dst + res.length;
    } else {
      for (let i = 0; i < nres; i++) st[dst + i] = res[i];
    }
  }

  /** Runs the VM loop until the current boundary frame returns (or suspension at top level). */
  protected execute(top: boolean): LuaValue[] | typeof SUSPENDED {
    this.execDepth++;
    const saveNative = this.nativeActive;
    this.nativeActive = false;
    try {
      for (;;) {
        try {
          return this.loop(top);
        } catch (e) {
          this.handleError(e);
        }
      }
    } finally {
      this.execDepth--;
      this.nativeActive = saveNative;
    }
  }

  protected errorValue(e: unknown): LuaValue {
    if (e instanceof LuaError) return e.value;
    if (e instanceof LuaSyntaxError) return e.message;
    if (e instanceof RangeError && /call stack/i.test(e.message)) return this.rtError("stack overflow").value;
    if (typeof e === "string") return this.rtError(e).value;
    throw e;
  }

  /** Unwinds to the nearest pcall/xpcall in the running thread, or across threads, or rethrows. */
  protected handleError(e: unknown): void {
    if (e instanceof KillSignal) throw e;
    let err = this.errorValue(e);
    for (;;) {
      const co = this.co;
      const fr = co.frames;
      let i = fr.length - 1;
      while (i >= 0 && fr[i].protect === 0 && !fr[i].boundary) i--;
      if (i >= 0 && fr[i].protect !== 0) {
        const f = fr[i];
        if (f.protect === 2) {
          try {
            err = this.callSync(f.handler, [err])[0];
          } catch (e2) {
            if (e2 instanceof KillSignal) throw e2;
            err = "error in error handling";
          }
        }
        fr.length = i;
        co.protectDepth--;
        this.place(co, f.ret, [false, err], f.nres);
        return;
      }
      if (i >= 0) {
        // a boundary: the native (or host) that started this loop sees the error
        const f = fr[i];
        if (f.hostHandler) {
          const h = f.hostHandler;
          f.hostHandler = undefined;
          err = h(err);
          fr.length = i;
          throw new LuaError(err);
        }
        fr.length = i;
        if (f.protect) co.protectDepth--;
        throw e instanceof LuaError && e.value === err ? e : new LuaError(err);
      }
      // the thread died
      fr.length = 0;
      const r = co.resumer;
      if (!r) throw e instanceof LuaError && e.value === err ? e : new LuaError(err);
      co.status = "dead";
      co.resumer = undefined;
      this.co = r;
      r.status = "running";
      if (co.resumeWrap) {
        if (typeof err === "string") {
          const f = r.frames[r.frames.length - 1];
          if (f && f.cl !== this.tramp) err = `${f.cl.proto.source}:${f.cl.proto.lines[f.pc - 1]}: ${err}`;
        }
        continue;
      }
      this.place(r, co.resumeRet, [false, err], co.resumeNres);
      return;
    }
  }

  protected runHook(): LuaHookAction {
    this.hookCounter = this.hookEvery;
    return this.hook!(this as unknown as LuaState);
  }

  /** Resume `target` from thread `co`, results of resume going to co.stack[dst] (nres). */
  protected doResume(
    co: Coroutine,
    target: Coroutine,
    args: LuaValue[],
    dst: number,
    nres: number,
    wrap: boolean,
  ): void {
    target.resumer = co;
    target.resumeRet = dst;
    target.resumeNres = nres;
    target.resumeWrap = wrap;
    co.status = "normal";
    target.status = "running";
    this.co = target;
    if (!target.started) {
      target.started = true;
      const fn = target.fn!;
      if (fn instanceof LuaClosure) {
        target.stack[0] = fn;
        for (let i = 0; i < args.length; i++) target.stack[1 + i] = args[i];
        this.pushLuaFrame(target, fn, 0, args.length, 0, -1, 0, undefined);
      } else {
        // a native body runs to completion at once
        let res: LuaValue[];
        try {
          res = this.callSync(fn, args);
        } catch (e) {
          this.handleError(e);
          return;
        }
        this.finishThread(target, res);
      }
    } else {
      this.place(target, target.yieldRet, args, target.yieldNres);
    }
  }

  protected finishThread(co: Coroutine, res: LuaValue[]): void {
    co.status = "dead";
    const r = co.resumer!;
    co.resumer = undefined;
    this.co = r;
    r.status = "running";
    this.place(r, co.resumeRet, co.resumeWrap ? res : [true, ...res], co.resumeNres);
  }

  protected trampoline(): LuaClosure {
    if (!this.tramp) {
      this.tramp = this.load("local f = ... return f(select(2, ...))", "=(trampoline)");
      this.tramp.proto.info.length = 0; // the callee is unnamed ('?'), as when pcall calls it
    }
    return this.tramp;
  }

  /** Handles a call of a special native at stack[fi] from a Lua frame. Returns true if threads changed. */
  protected callSpecial(co: Coroutine, fn: SpecialFunction, fi: number, nargs: number, nres: number): void {
    const st = co.stack;
    switch (fn.special) {
      case Special.PCALL:
      case Special.XPCALL: {
        const isX = fn.special === Special.XPCALL;
        if (nargs < 1) throw this.argError(1, "value expected");
        let callee = st[fi + 1];
        let tramp = 0;
        if (callee instanceof SpecialFunction && callee.special >= Special.YIELD) {
          // run it through a Lua trampoline so that thread switches stay inside the VM
          for (let j = fi + nargs; j >= fi + 1; j--) st[j + 1] = st[j];
          st[fi + 1] = callee = this.trampoline();
          nargs++;
          tramp = 1;
        }
        let handler: LuaValue;
        let calleeArgs: number;
        if (isX) {
          handler = st[fi + 2 + tramp];
          calleeArgs = tramp;
        } else calleeArgs = nargs - 1;
        if (callee instanceof LuaClosure) {
          this.pushLuaFrame(co, callee, fi + 1, calleeArgs, fi, nres, isX ? 2 : 1, handler);
          co.protectDepth++;
          return;
        }
        if (!isFunction(callee) && !isFunction(this.metaOf(callee, "__call"))) {
          this.place(co, fi, [false, `attempt to call a ${typeName(callee)} value`], nres);
          return;
        }
        const args = isX ? [] : st.slice(fi + 2, fi + 2 + calleeArgs);
        let res: LuaValue[];
        co.protectDepth++;
        try {
          // pcall is a native: the callee's level 1 is pcall itself
          const saveNative = this.nativeActive;
          this.nativeActive = true;
          try {
            res = [true, ...this.callSync(callee, args)];
          } finally {
            this.nativeActive = saveNative;
          }
        } catch (e) {
          if (e instanceof KillSignal) throw e;
          let err = this.errorValue(e);
          if (isX) {
            try {
              err = this.callSync(handler, [err])[0];
            } catch {
              err = "error in error handling";
            }
          }
          res = [false, err];
        } finally {
          co.protectDepth--;
        }
        this.place(co, fi, res, nres);
        return;
      }
      case Special.YIELD: {
        if (co.nativeDepth > 0 || co.protectDepth > 0 || (!co.resumer && this.execDepth > 1))
          throw new LuaError("attempt to yield across metamethod/C-call boundary");
        if (!co.resumer) throw new LuaError("attempt to yield from outside a coroutine");
        const vals = st.slice(fi + 1, fi + 1 + nargs);
        co.yieldRet = fi;
        co.yieldNres = nres;
        co.status = "suspended";
        const r = co.resumer;
        co.resumer = undefined;
        this.co = r;
        r.status = "running";
        this.place(r, co.resumeRet, co.resumeWrap ? vals : [true, ...vals], co.resumeNres);
        return;
      }
      case Special.RESUME: {
        const target = st[fi + 1];
        if (!(target instanceof Coroutine)) throw this.argError(1, "coroutine expected");
        if (target.status !== "suspended") {
          const msg =
            target.status === "dead"
              ? "cannot resume dead coroutine"
              : `cannot resume ${target === co ? "running" : target.status} coroutine`;
          this.place(co, fi, [false, msg], nres);
          return;
        }
        this.doResume(co, target, st.slice(fi + 2, fi + 1 + nargs), fi, nres, false);
        return;
      }
      case Special.WRAP: {
        const target = fn.co!;
        if (target.status !== "suspended") {
          const msg =
            target.status === "dead"
              ? "cannot resume dead coroutine"
              : `cannot resume ${target === co ? "running" : target.status} coroutine`;
          throw this.error(msg);
        }
        this.doResume(co, target, st.slice(fi + 1, fi + 1 + nargs), fi, nres, true);
        return;
      }
    }
  }

  /** Pops `frame` delivering n results from stack[src..] (or `vals`) to its caller. */
  protected returnFrom(co: Coroutine, frame: Frame, src: number, n: number, vals?: LuaValue[]): void {
    const st = co.stack;
    const frames = co.frames;
    frames.pop();
    if (vals) {
      src = -1;
      n = vals.length;
    }
    if (frame.boundary) {
      const out = vals ? vals.slice() : st.slice(src, src + n);
      if (frame.protect) {
        out.unshift(true);
        co.protectDepth--;
      }
      frame.results = out;
      return;
    }
    if (frames.length === 0 && co !== this.main) {
      this.finishThread(co, vals ? vals.slice() : st.slice(src, src + n));
      return;
    }
    let dst = frame.ret;
    let nres = frame.nres;
    if (frame.protect) {
      co.protectDepth--;
      st[dst] = true;
      dst++;
      if (nres > 0) nres--;
      else if (nres === 0) nres = -2;
    }
    if (nres === -2) {
      /* wanted nothing */
    } else if (nres < 0) {
      if (vals) for (let j = 0; j < n; j++) st[dst + j] = vals[j];
      else for (let j = 0; j < n; j++) st[dst + j] = st[src + j];
      co.top = dst + n;
    } else {
      for (let j = 0; j < nres; j++) st[dst + j] = j < n ? (vals ? vals[j] : st[src + j]) : undefined;
    }
  }
}
