// The Lua state: globals, metatables, the VM loop with an explicit call stack (resumable, hookable).

import { compileFunction, Op, type Proto } from "./compiler.js";
import { Coroutine, type Frame } from "./coroutine-type.js";
import { chunkId, LuaSyntaxError } from "./lexer.js";
import { parseChunk } from "./parser.js";
import { LuaTable } from "./table.js";
import {
  Box,
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
import { openBase } from "./lib/base.js";
import { openString } from "./lib/string.js";
import { openTable } from "./lib/table.js";
import { openMath } from "./lib/math.js";
import { openCoroutine } from "./lib/coroutine.js";

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

const SUSPENDED = Symbol("suspended");
const EMPTY: LuaValue[] = [];
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
export class LuaState {
  /** The global table (`_G`). */
  globals = new LuaTable();
  /** Metatable shared by all strings (set by the string library: __index = string). */
  stringMeta: LuaTable | undefined = undefined;
  /** Generator for math.random / math.randomseed. */
  random: RandomSource;
  /** Where print() writes lines. */
  printer: (line: string) => void;
  readonly main = new Coroutine(undefined);
  /** The running thread. */
  co: Coroutine = this.main;
  private hook: LuaHook | undefined = undefined;
  private hookEvery = 0;
  private hookCounter = 0x7fffffff;
  private execDepth = 0;
  /** Name of the function being called natively, from the call site (for "bad argument" messages). */
  callName = "?";
  /** Whether the current native was called as a method (obj:f()). */
  callIsMethod = false;
  /** True when the current native was called from a native (then error levels see no Lua caller). */
  callerIsNative = false;
  private ids = new WeakMap<object, number>();
  private nextId = 0x5560a0;

  constructor(opts: LuaStateOptions = {}) {
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
  private nextHostHandler: ((err: LuaValue) => LuaValue) | undefined;

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
  private nativeActive = false;

  private rtErrorPlain(msg: string): LuaError {
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

  private typeErr(v: LuaValue, what: string, info: string | undefined): LuaError {
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
  private vmRawSet(t: LuaTable, k: LuaValue, v: LuaValue): void {
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

  private compTM(a: LuaValue, b: LuaValue, ev: string): LuaValue {
    const h1 = this.metaOf(a, ev);
    if (h1 === undefined) return undefined;
    const h2 = this.metaOf(b, ev);
    return h1 === h2 ? h1 : undefined;
  }

  private orderError(a: LuaValue, b: LuaValue): LuaError {
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

  // ---- calling ----

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
        return fn.fn(args, this) ?? EMPTY;
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
  private pushLuaFrame(
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
  private place(co: Coroutine, dst: number, res: LuaValue[], nres: number): void {
    const st = co.stack;
    if (nres < 0) {
      for (let i = 0; i < res.length; i++) st[dst + i] = res[i];
      co.top = dst + res.length;
    } else {
      for (let i = 0; i < nres; i++) st[dst + i] = res[i];
    }
  }

  /** Runs the VM loop until the current boundary frame returns (or suspension at top level). */
  private execute(top: boolean): LuaValue[] | typeof SUSPENDED {
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

  private errorValue(e: unknown): LuaValue {
    if (e instanceof LuaError) return e.value;
    if (e instanceof LuaSyntaxError) return e.message;
    if (e instanceof RangeError && /call stack/i.test(e.message)) return this.rtError("stack overflow").value;
    if (typeof e === "string") return this.rtError(e).value;
    throw e;
  }

  /** Unwinds to the nearest pcall/xpcall in the running thread, or across threads, or rethrows. */
  private handleError(e: unknown): void {
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

  private runHook(): LuaHookAction {
    this.hookCounter = this.hookEvery;
    return this.hook!(this);
  }

  /** Resume `target` from thread `co`, results of resume going to co.stack[dst] (nres). */
  private doResume(
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

  private finishThread(co: Coroutine, res: LuaValue[]): void {
    co.status = "dead";
    const r = co.resumer!;
    co.resumer = undefined;
    this.co = r;
    r.status = "running";
    this.place(r, co.resumeRet, co.resumeWrap ? res : [true, ...res], co.resumeNres);
  }

  private tramp: LuaClosure | undefined;
  private trampoline(): LuaClosure {
    if (!this.tramp) {
      this.tramp = this.load("local f = ... return f(select(2, ...))", "=(trampoline)");
      this.tramp.proto.info.length = 0; // the callee is unnamed ('?'), as when pcall calls it
    }
    return this.tramp;
  }

  /** Handles a call of a special native at stack[fi] from a Lua frame. Returns true if threads changed. */
  private callSpecial(co: Coroutine, fn: SpecialFunction, fi: number, nargs: number, nres: number): void {
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

  /** The interpreter loop. */
  private loop(top: boolean): LuaValue[] | typeof SUSPENDED {
    outer: for (;;) {
      const co = this.co;
      const frames = co.frames;
      const frame = frames[frames.length - 1];
      const cl = frame.cl;
      const p = cl.proto;
      const code = p.code;
      const K = p.k;
      const KH = p.kh;
      const st = co.stack;
      const base = frame.base;
      let pc = frame.pc;
      for (;;) {
        if (--this.hookCounter <= 0) {
          frame.pc = pc;
          if (this.hook) {
            const act = this.runHook();
            if (act !== undefined && act !== "continue") {
              if (act === "suspend") {
                if (top && this.execDepth === 1) return SUSPENDED;
              } else if ("error" in act) {
                frame.pc = pc + 1;
                throw new LuaError(act.error);
              } else {
                throw new KillSignal(act.kill);
              }
            }
          } else this.hookCounter = 0x7fffffff;
        }
        const i = pc << 2;
        const a = code[i + 1];
        const b = code[i + 2];
        const c = code[i + 3];
        frame.pc = ++pc;
        switch (code[i]) {
          case Op.MOVE:
            st[base + a] = st[base + b];
            break;
          case Op.LOADK:
            st[base + a] = K[b];
            break;
          case Op.LOADBOOL:
            st[base + a] = b !== 0;
            break;
          case Op.LOADNIL:
            for (let r = a; r <= b; r++) st[base + r] = undefined;
            break;
          case Op.GETUPVAL:
            st[base + a] = cl.upvals[b].v;
            break;
          case Op.SETUPVAL:
            cl.upvals[b].v = st[base + a];
            break;
          case Op.NEWBOX:
            st[base + a] = new Box(st[base + a]) as unknown as LuaValue;
            break;
          case Op.GETBOX:
            st[base + a] = (st[base + b] as unknown as Box).v;
            break;
          case Op.SETBOX:
            (st[base + a] as unknown as Box).v = st[base + b];
            break;
          case Op.GETGLOBAL: {
            const env = cl.env;
            const key = K[b];
            const v = env.getH(key, KH[b]);
            st[base + a] = v !== undefined || env.metatable === undefined ? v : this.index(env, key);
            break;
          }
          case Op.SETGLOBAL: {
            const env = cl.env;
            if (env.metatable === undefined && !env.readonly) env.setH(K[b], KH[b], st[base + a]);
            else this.setIndex(env, K[b], st[base + a]);
            break;
          }
          case Op.GETTABLE: {
            const o = st[base + b];
            const key = c >= 0 ? st[base + c] : K[-1 - c];
            if (o instanceof LuaTable) {
              const v = c >= 0 ? o.get(key) : o.getH(key, KH[-1 - c]);
              st[base + a] = v !== undefined || o.metatable === undefined ? v : this.index(o, key);
            } else st[base + a] = this.index(o, key, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.SETTABLE: {
            const o = st[base + a];
            const key = b >= 0 ? st[base + b] : K[-1 - b];
            const v = c >= 0 ? st[base + c] : K[-1 - c];
            if (o instanceof LuaTable && o.metatable === undefined && !o.readonly) {
              if (b < 0 && KH[-1 - b] >= 0) o.setH(key, KH[-1 - b], v);
              else if (typeof key === "string") o.set(key, v);
              else this.vmRawSet(o, key, v);
            } else this.setIndex(o, key, v, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.NEWTABLE:
            st[base + a] = new LuaTable(b, c);
            break;
          case Op.SELF: {
            const o = st[base + b];
            const key = K[-1 - c];
            st[base + a + 1] = o;
            if (o instanceof LuaTable) {
              const v = o.getH(key, KH[-1 - c]);
              st[base + a] = v !== undefined || o.metatable === undefined ? v : this.index(o, key);
            } else st[base + a] = this.index(o, key, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.ADD: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x + y
                : this.arith(Op.ADD, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.SUB: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x - y
                : this.arith(Op.SUB, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.MUL: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x * y
                : this.arith(Op.MUL, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.DIV:
          case Op.MOD:
          case Op.POW: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? arithNum(code[i], x, y)
                : this.arith(code[i], x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.UNM: {
            const x = st[base + b];
            st[base + a] = typeof x === "number" ? -x : this.unm(x, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.NOT: {
            const x = st[base + b];
            st[base + a] = x === undefined || x === false;
            break;
          }
          case Op.LEN: {
            const x = st[base + b];
            st[base + a] = x instanceof LuaTable ? x.length() : this.len(x, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.CONCAT: {
            const x = st[base + b];
            if (c === b + 1) {
              const y = st[base + c];
              if (typeof x === "string" && typeof y === "string") {
                st[base + a] = x + y;
                break;
              }
            }
            st[base + a] = this.concat(st.slice(base + b, base + c + 1), p.concatInfo.get(pc - 1));
            break;
          }
          case Op.JMP:
            pc = a;
            break;
          case Op.JMPIF: {
            const x = st[base + b];
            if (x !== undefined && x !== false) pc = a;
            break;
          }
          case Op.JMPIFNOT: {
            const x = st[base + b];
            if (x === undefined || x === false) pc = a;
            break;
          }
          case Op.EQ:
          case Op.NE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = x === y || (typeof x === "object" && typeof y === "object" && this.eq(x, y));
            st[base + a] = code[i] === Op.EQ ? r : !r;
            break;
          }
          case Op.LT: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] = typeof x === "number" && typeof y === "number" ? x < y : this.lt(x, y);
            break;
          }
          case Op.LE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] = typeof x === "number" && typeof y === "number" ? x <= y : this.le(x, y);
            break;
          }
          case Op.JEQ:
          case Op.JNE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = x === y || (typeof x === "object" && typeof y === "object" && this.eq(x, y));
            if (r === (code[i] === Op.JEQ)) pc = a;
            break;
          }
          case Op.JLT:
          case Op.JNLT: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = typeof x === "number" && typeof y === "number" ? x < y : this.lt(x, y);
            if (r === (code[i] === Op.JLT)) pc = a;
            break;
          }
          case Op.JLE:
          case Op.JNLE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = typeof x === "number" && typeof y === "number" ? x <= y : this.le(x, y);
            if (r === (code[i] === Op.JLE)) pc = a;
            break;
          }
          case Op.CALL:
          case Op.TFORCALL:
          case Op.TAILCALL: {
            let fi: number;
            let nargs: number;
            let nres: number;
            const op = code[i];
            if (op === Op.TFORCALL) {
              fi = base + a + 3;
              st[fi] = st[base + a];
              st[fi + 1] = st[base + a + 1];
              st[fi + 2] = st[base + a + 2];
              nargs = 2;
              nres = c;
            } else {
              fi = base + a;
              nargs = b !== 0 ? b - 1 : co.top - fi - 1;
              nres = op === Op.TAILCALL ? -1 : c - 1;
            }
            let fn = st[fi];
            if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) {
              const h = this.metaOf(fn, "__call");
              if (!isFunction(h))
                throw this.typeErr(fn, "call", op === Op.TFORCALL ? undefined : p.info[2 * (pc - 1)]);
              for (let j = fi + nargs; j >= fi; j--) st[j + 1] = st[j];
              st[fi] = h;
              fn = h;
              nargs++;
            }
            if (fn instanceof LuaClosure) {
              if (op === Op.TAILCALL) {
                // a proper tail call: the callee replaces this frame (and inherits its role)
                const dst = frame.base - 1;
                for (let j = 0; j <= nargs; j++) st[dst + j] = st[fi + j];
                frames.pop();
                const nf = this.pushLuaFrame(
                  co,
                  fn,
                  dst,
                  nargs,
                  frame.ret,
                  frame.nres,
                  frame.protect,
                  frame.handler,
                );
                nf.boundary = frame.boundary;
                nf.hostHandler = frame.hostHandler;
                nf.tailcall = true;
              } else this.pushLuaFrame(co, fn, fi, nargs, fi, nres, 0, undefined);
              continue outer;
            }
            const nf = fn as NativeFunction;
            const info = op === Op.TFORCALL ? undefined : p.info[2 * (pc - 1)];
            this.callName = info ? info.slice(info.indexOf("'") + 1, -1) : "?";
            this.callIsMethod = info !== undefined && info.startsWith("method");
            this.callerIsNative = false;
            if (nf instanceof SpecialFunction && nf.special !== Special.None) {
              this.callSpecial(co, nf, fi, nargs, nres);
              continue outer;
            }
            let res: LuaValue[];
            this.nativeActive = true;
            try {
              res = nf.fn(st.slice(fi + 1, fi + 1 + nargs), this) ?? EMPTY;
            } finally {
              this.nativeActive = false;
            }
            if (nres < 0) {
              for (let j = 0; j < res.length; j++) st[fi + j] = res[j];
              co.top = fi + res.length;
            } else if (nres === 1) st[fi] = res[0];
            else for (let j = 0; j < nres; j++) st[fi + j] = res[j];
            if (this.co !== co) continue outer;
            break;
          }
          case Op.RETURN: {
            const n = b !== 0 ? b - 1 : co.top - (base + a);
            this.returnFrom(co, frame, base + a, n);
            if (frame.boundary) return frame.results!;
            continue outer;
          }
          case Op.FORPREP: {
            const r = base + a;
            let init = st[r];
            let limit = st[r + 1];
            let step = st[r + 2];
            if (typeof init !== "number" && (init = toNumber(init)) === undefined)
              throw this.rtError("'for' initial value must be a number");
            if (typeof limit !== "number" && (limit = toNumber(limit)) === undefined)
              throw this.rtError("'for' limit must be a number");
            if (typeof step !== "number" && (step = toNumber(step)) === undefined)
              throw this.rtError("'for' step must be a number");
            st[r + 1] = limit;
            st[r + 2] = step;
            st[r] = init - step;
            pc = b;
            break;
          }
          case Op.FORLOOP: {
            const r = base + a;
            const step = st[r + 2] as number;
            const idx = (st[r] as number) + step;
            const limit = st[r + 1] as number;
            if (0 < step ? idx <= limit : limit <= idx) {
              st[r] = idx;
              st[r + 3] = idx;
              pc = b;
            }
            break;
          }
          case Op.TFORLOOP: {
            const v = st[base + a + 3];
            if (v !== undefined) {
              st[base + a + 2] = v;
              pc = b;
            }
            break;
          }
          case Op.SETLIST: {
            const t = st[base + a] as LuaTable;
            const n = b !== 0 ? b : co.top - (base + a) - 1;
            t.setList(c, st, base + a + 1, n);
            break;
          }
          case Op.CLOSURE: {
            const np = p.protos[b];
            const ups = np.upvals;
            const boxes: Box[] = new Array(ups.length >> 1);
            for (let j = 0; j < boxes.length; j++) {
              boxes[j] =
                ups[2 * j] === 1 ? (st[base + ups[2 * j + 1]] as unknown as Box) : cl.upvals[ups[2 * j + 1]];
            }
            st[base + a] = new LuaClosure(np, boxes, cl.env);
            break;
          }
          case Op.VARARG: {
            const va = frame.varargs;
            if (b === 0) {
              for (let j = 0; j < va.length; j++) st[base + a + j] = va[j];
              co.top = base + a + va.length;
            } else for (let j = 0; j < b - 1; j++) st[base + a + j] = va[j];
            break;
          }
          default:
            throw new Error(`bad opcode ${code[i]}`);
        }
      }
    }
  }

  /** Pops `frame` delivering n results from stack[src..] (or `vals`) to its caller. */
  private returnFrom(co: Coroutine, frame: Frame, src: number, n: number, vals?: LuaValue[]): void {
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
