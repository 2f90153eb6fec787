// The Lua state: globals, libraries, the host API (load, call, resumable runs, hooks). Its value
// operations are in ops.ts, the call machinery in calls.ts, the instruction loop in vm.ts.

import { compileFunction, type Proto } from "./compiler.js";
import { chunkId } from "./lexer.js";
import { parseChunk } from "./parser.js";
import { LuaTable } from "./table.js";
import { LuaClosure, LuaUserdata, NativeFunction, type LuaValue } from "./value.js";
import { SUSPENDED } from "./calls.js";
import { LuaVM } from "./vm.js";
import { openBase } from "./lib/base.js";
import { openString } from "./lib/string.js";
import { openTable } from "./lib/table.js";
import { openMath } from "./lib/math.js";
import { openCoroutine } from "./lib/coroutine.js";

export { Special, SpecialFunction } from "./calls.js";
export { KillSignal, arithNum, toInt, asFunction } from "./ops.js";

/** Libraries the host can open. */
export type LuaLibName = "base" | "string" | "table" | "math" | "coroutine";

/** A source of uniform random numbers in [0, 1) for math.random, and its seeding (pluggable). */
export interface RandomSource {
  /** A number in [0, 1). */
  next(): number;
  /** math.randomseed(n). */
  seed(n: number): void;
}

/** What a hook asks the VM to do. */
export type LuaHookAction =
  | undefined
  | "continue"
  /** Stop and return `{ done: false }` from LuaRun.resume (only honoured when not inside a native callback). */
  | "suspend"
  /** Raise a Lua error with this value at the current instruction (pcall can catch it). */
  | { error: LuaValue }
  /** End the run now: LuaRun.resume throws LuaError(value); no pcall can catch it. */
  | { kill: LuaValue };

/** A host check called every `hookEvery` instructions. */
export type LuaHook = (L: LuaState) => LuaHookAction;

/** Options of a new state. */
export interface LuaStateOptions {
  /** Libraries to open (default: all of base, string, table, math, coroutine). */
  libs?: LuaLibName[];
  /** The generator behind math.random (default: a seeded xorshift, deterministic). */
  random?: RandomSource;
  /** Called with each print() line (default: process.stdout). */
  print?: (line: string) => void;
}

/** Result of one resume of a run. */
export type LuaRunResult = { done: true; values: LuaValue[] } | { done: false };

class DefaultRandom implements RandomSource {
  private s = 0x2545f491;
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0 || 1;
    return this.s / 4294967296;
  }
  seed(n: number): void {
    this.s = (Math.floor(n) >>> 0) ^ 0x2545f491 || 1;
  }
}

/**
 * A resumable execution of a Lua function started with LuaState.start. Call resume() until it
 * returns `{ done: true }`; between calls the host may serve other work. abort() ends it.
 */
export class LuaRun {
  private finished = false;
  /** @internal */
  constructor(
    private readonly L: LuaState,
    /** @internal */ readonly frameDepth: number,
  ) {}

  /** Runs until the function returns (values) or the hook asks to suspend. Throws LuaError on error. */
  resume(): LuaRunResult {
    if (this.finished) throw new Error("LuaRun already finished");
    const r = this.L.runTop(this);
    if (r === SUSPENDED) return { done: false };
    this.finished = true;
    return { done: true, values: r };
  }

  /** Abandons a suspended run (SCRIPT KILL): its frames are dropped; the state stays usable. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.L.dropRun(this);
  }
}

/** A Lua 5.1 state: globals, string metatable, the main thread and the VM. */
export class LuaState extends LuaVM {
  constructor(opts: LuaStateOptions = {}) {
    super();
    this.random = opts.random ?? new DefaultRandom();
    this.printer = opts.print ?? ((s) => process.stdout.write(s + "\n", "latin1"));
    this.main.status = "running";
    this.main.env = this.globals;
    const libs = opts.libs ?? ["base", "string", "table", "math", "coroutine"];
    for (const l of libs) this.openLib(l);
  }

  /** Opens one standard library into the globals. */
  openLib(name: LuaLibName): void {
    switch (name) {
      case "base":
        openBase(this);
        break;
      case "string":
        openString(this);
        break;
      case "table":
        openTable(this);
        break;
      case "math":
        openMath(this);
        break;
      case "coroutine":
        openCoroutine(this);
        break;
    }
  }

  // ---- host API ----

  /**
   * Compiles a chunk. `chunkName` follows Lua's convention: "@name" or "=name" show as `name` in
   * messages (Redis uses "@user_script"), anything else as `[string "..."]`. Throws LuaSyntaxError
   * whose message is 5.1's text. The function's environment is `env` (default: the globals).
   */
  load(source: string, chunkName: string, env?: LuaTable): LuaClosure {
    const proto = this.compile(source, chunkName);
    return new LuaClosure(proto, [], env ?? this.globals);
  }

  /** Compiles a chunk to a reusable prototype (cache it; instantiate with instantiate()). */
  compile(source: string, chunkName: string): Proto {
    const ast = parseChunk(source, chunkName);
    return compileFunction(ast, chunkId(chunkName), chunkName);
  }

  /** A closure over a compiled main-chunk prototype. */
  instantiate(proto: Proto, env?: LuaTable): LuaClosure {
    return new LuaClosure(proto, [], env ?? this.globals);
  }

  /** Reads a global (raw). */
  getGlobal(name: string): LuaValue {
    return this.globals.get(name);
  }

  /** Sets a global (raw). */
  setGlobal(name: string, v: LuaValue): void {
    this.globals.set(name, v);
  }

  /** Registers a native function as a global. */
  register(name: string, fn: (args: LuaValue[], L: LuaState) => LuaValue[] | void): NativeFunction {
    const f = new NativeFunction(name, fn);
    f.env = this.globals;
    this.globals.set(name, f);
    return f;
  }

  /** Creates (or extends) a global library table with native functions: `redis.call` etc. */
  registerLib(
    name: string,
    fns: Record<string, (args: LuaValue[], L: LuaState) => LuaValue[] | void>,
  ): LuaTable {
    const cur = this.globals.get(name);
    const t = cur instanceof LuaTable ? cur : new LuaTable();
    if (t !== cur) this.globals.set(name, t);
    for (const [k, fn] of Object.entries(fns)) {
      const f = new NativeFunction(k, fn);
      f.env = this.globals;
      t.set(k, f);
    }
    return t;
  }

  /** A new table holding the given values at 1..n (nil-free arrays expected). */
  newTable(arr: LuaValue[] = []): LuaTable {
    const t = new LuaTable();
    for (let i = 0; i < arr.length; i++) t.set(i + 1, arr[i]);
    return t;
  }

  /** The metatable of a value (tables, userdata, strings), ignoring __metatable. */
  getMetatable(v: LuaValue): LuaTable | undefined {
    if (v instanceof LuaTable || v instanceof LuaUserdata) return v.metatable;
    if (typeof v === "string") return this.stringMeta;
    return undefined;
  }

  /** Sets a table's or userdata's metatable (raw, ignoring __metatable). */
  setMetatable(v: LuaTable | LuaUserdata, mt: LuaTable | undefined): void {
    v.metatable = mt;
  }

  /** Installs (or removes) the instruction hook, called every `every` instructions. */
  setHook(hook: LuaHook | undefined, every = 1000): void {
    this.hook = hook;
    this.hookEvery = hook ? Math.max(1, every) : 0;
    this.hookCounter = hook ? this.hookEvery : 0x7fffffff;
  }

  /**
   * Calls a function to completion (synchronously). Throws LuaError. The hook's "suspend" is
   * ignored. `handler`, like lua_pcall's message handler, runs at the raise point of an uncaught
   * error (getinfo sees the erroring stack) and its result becomes the thrown LuaError's value.
   */
  call(fn: LuaValue, args: LuaValue[] = [], handler?: (err: LuaValue) => LuaValue): LuaValue[] {
    this.nextHostHandler = handler;
    try {
      return this.callSync(fn, args);
    } finally {
      this.nextHostHandler = undefined;
    }
  }

  /**
   * Debug info of the function at `level` of the running thread's stack, lua_getinfo "Sl" style:
   * level 1 is the innermost Lua function (the caller of a running native). Natives are not
   * counted. Undefined past the bottom.
   */
  getinfo(
    level: number,
  ): { what: "Lua" | "main"; source: string; short_src: string; currentline: number } | undefined {
    const fr = this.co.frames;
    const f = fr[fr.length - level];
    if (!f) return undefined;
    const p = f.cl.proto;
    return {
      what: p.lineDefined === 0 ? "main" : "Lua",
      source: p.chunkName,
      short_src: p.source,
      currentline: p.lines[Math.max(0, f.pc - 1)],
    };
  }

  /** Starts a resumable run of `fn(args)`; nothing executes until resume(). */
  start(fn: LuaValue, args: LuaValue[] = [], handler?: (err: LuaValue) => LuaValue): LuaRun {
    this.startHandler = handler;
    if (this.execDepth > 0) throw new Error("LuaState.start while another run is active");
    const co = this.main;
    co.frames.length = 0;
    co.top = 0;
    const run = new LuaRun(this, 0);
    this.pendingStart = { fn, args };
    return run;
  }
  private pendingStart: { fn: LuaValue; args: LuaValue[] } | undefined;
  private startHandler: ((err: LuaValue) => LuaValue) | undefined;

  /** @internal Runs (or continues) the top-level run. */
  runTop(_run: LuaRun): LuaValue[] | typeof SUSPENDED {
    if (this.pendingStart) {
      this.co = this.main;
      const { fn, args } = this.pendingStart;
      this.pendingStart = undefined;
      if (!(fn instanceof LuaClosure)) return this.callSync(fn, args);
      const co = this.main;
      co.stack[0] = fn;
      for (let i = 0; i < args.length; i++) co.stack[1 + i] = args[i];
      const f = this.pushLuaFrame(co, fn, 0, args.length, 0, -1, 0, undefined);
      f.boundary = true;
      f.hostHandler = this.startHandler;
    }
    try {
      return this.execute(true);
    } catch (e) {
      this.main.frames.length = 0;
      this.co = this.main;
      throw e;
    }
  }

  /** @internal */
  dropRun(_run: LuaRun): void {
    this.main.frames.length = 0;
    this.main.top = 0;
    this.co = this.main;
    this.pendingStart = undefined;
  }
}
