// A Lua thread (coroutine): its own value stack and call frames, run by the VM loop.

import type { LuaValue, LuaFunction, LuaClosure } from "./value.js";
import type { LuaTable } from "./table.js";

/** Status strings as coroutine.status reports them. */
export type CoroutineStatus = "suspended" | "running" | "normal" | "dead";

/** One activation of a Lua function (natives run without a frame). */
export interface Frame {
  cl: LuaClosure;
  pc: number;
  /** Absolute stack index of register 0. */
  base: number;
  /** Absolute stack index where results go (the callee's slot in the caller). */
  ret: number;
  /** Results wanted by the caller, or -1 for all. */
  nres: number;
  /** Extra arguments of a vararg function. */
  varargs: LuaValue[];
  /** 0: plain; 1: called by pcall; 2: called by xpcall (handler in `handler`). */
  protect: number;
  handler: LuaValue;
  /** When set, returning from this frame ends the current VM loop (a host or native call). */
  boundary: boolean;
  /** Host message handler of a boundary frame (LuaState.call/start with a handler). */
  hostHandler: ((err: LuaValue) => LuaValue) | undefined;
  /** Created by a tail call (5.1 shows a "(tail call)" level below it). */
  tailcall: boolean;
  /** Results of a returning boundary frame. */
  results: LuaValue[] | undefined;
}

/** A Lua thread. */
export class Coroutine {
  stack: LuaValue[] = [];
  frames: Frame[] = [];
  status: CoroutineStatus = "suspended";
  /** Index just past the last multiple-result value (set by calls and varargs with "all"). */
  top = 0;
  /** The coroutine that resumed this one (while running or normal). */
  resumer: Coroutine | undefined = undefined;
  /** Where the resumer wants resume's results: stack slot and count (-1: all), and whether via wrap. */
  resumeRet = 0;
  resumeNres = 0;
  resumeWrap = false;
  /** Slot/count where a pending yield's caller wants the values passed to the next resume. */
  yieldRet = 0;
  yieldNres = 0;
  started = false;
  /** Native (synchronous) call nesting inside this thread: yielding across it is an error. */
  nativeDepth = 0;
  /** Frames called by pcall/xpcall currently active in this thread (5.1 cannot yield across them). */
  protectDepth = 0;
  /** The thread's global environment (getfenv(0)). */
  env: LuaTable | undefined;
  constructor(readonly fn: LuaFunction | undefined) {}
}
