/**
 * The scripting runtime of one server (Redis 7.0's eval.c, function_lua.c and script.c): the Lua
 * state of EVAL scripts and its SHA1 cache, the Lua state of FUNCTION libraries and their
 * registry, the script client, and script runs — atomic, with `busy-reply-threshold`: a run that
 * goes past it continues across event-loop turns while other clients get BUSY, and SCRIPT KILL /
 * FUNCTION KILL can stop it if it has not written.
 */
import { RedisError, ScriptErr } from "../errors.js";
import { Client } from "../server/client.js";
import type { ServerCore } from "../server/core.js";
import { ScriptRunContext } from "./context.js";
import { LuaReplyWriter, cString, errorTable, luaToReply, replyErrorCode } from "./convert.js";
import { commandStats } from "../server/dispatcher.js";
import { LibrarySet, functionKey, type FunctionInfo, type Library } from "./libraries.js";
import { createBitLibrary } from "./libs/bit.js";
import { createCjsonLibrary } from "./libs/cjson.js";
import { createCmsgpackLibrary } from "./libs/cmsgpack.js";
import { createStructLibrary } from "./libs/struct.js";
import {
  LuaClosure,
  LuaError,
  LuaState,
  LuaSyntaxError,
  LuaTable,
  NativeFunction,
  fmtNumber,
  isFunction,
  type LuaHookAction,
  type LuaValue,
} from "./lua/index.js";
import { busyScripts } from "./busy.js";
import { Rand48 } from "./rand48.js";
import { createRedisTable, pushError, sha1hex, type RedisApiHost } from "./redis-api.js";
import { isScriptFlag, isValidName, parseEvalScript, parseLibraryMeta, type ScriptFlag } from "./shebang.js";

/** Base-library globals Redis 7.0 keeps (print, getfenv, setfenv, dofile... are removed). */
const BASE_GLOBALS = [
  "_G",
  "_VERSION",
  "assert",
  "collectgarbage",
  "error",
  "gcinfo",
  "getmetatable",
  "ipairs",
  "load",
  "loadstring",
  "next",
  "pairs",
  "pcall",
  "rawequal",
  "rawget",
  "rawset",
  "select",
  "setmetatable",
  "tonumber",
  "tostring",
  "type",
  "unpack",
  "xpcall",
  "string",
  "table",
  "math",
  "coroutine",
];

/** An EVAL script in the cache. */
export interface CachedScript {
  readonly sha: string;
  readonly body: string;
  /** No shebang (flags are then ignored). */
  readonly compat: boolean;
  readonly flags: ReadonlySet<ScriptFlag>;
  readonly fn: LuaClosure;
}

/** Instructions between checks of the clock (and of SCRIPT KILL). */
const HOOK_EVERY = 10000;
/** While busy, how long each slice of a run lasts before other clients are served. */
const SLICE_MS = 20;

/** Names a run for errors: the raw chunk name (`@user_script`) of a compiled prototype's source. */
function chunkSource(source: string): string {
  if (source.startsWith('[string "') && source.endsWith('"]')) return source.slice(9, -2);
  return "@" + source;
}

/** The Lua state of EVAL scripts or of functions, with its sandbox. */
interface Sandbox {
  readonly L: LuaState;
  /** `local f, h = ...; return xpcall(f, h)`: runs a script under the error handler. */
  readonly runner: LuaClosure;
}

/** The functions' state: globals are an empty proxy whose metatable's __index is switched. */
interface FunctionSandbox extends Sandbox {
  readonly proxy: LuaTable;
  readonly proxyMeta: LuaTable;
  /** What functions see when they run (the state's real globals). */
  readonly runtimeApi: LuaTable;
}

/** A run that is held across event-loop turns (past busy-reply-threshold). */
interface HeldRun {
  readonly ctx: ScriptRunContext;
}

export class Scripting implements RedisApiHost {
  /** The run in progress (`redis.call` runs its commands), or null. */
  current: ScriptRunContext | null = null;
  /** A run past busy-reply-threshold, continuing across event-loop turns; others get BUSY. */
  held: HeldRun | null = null;
  /** Redis's rand48 behind math.random (one stream for EVAL scripts and functions). */
  readonly rand = new Rand48();
  readonly scripts = new Map<string, CachedScript>();
  readonly libraries = new LibrarySet();
  private evalBox: Sandbox | null = null;
  private fnBox: FunctionSandbox | null = null;
  private readonly writer = new LuaReplyWriter();
  private client: Client | null = null;

  constructor(readonly server: ServerCore) {}

  // ---- sandboxes ----

  private scriptClient(): Client {
    if (!this.client) {
      this.client = new Client(0, this.server, this.writer);
      this.client.authenticated = true;
      this.client.isScript = true;
    }
    return this.client;
  }

  private newState(): LuaState {
    const rand = this.rand;
    const L = new LuaState({ random: { next: () => rand.nextDouble(), seed: (n) => rand.seed(n) } });
    const g = L.globals;
    const keep = new Set(BASE_GLOBALS);
    let k: LuaValue = undefined;
    const drop: LuaValue[] = [];
    for (let e = g.next(k); e; e = g.next(k)) {
      k = e[0];
      if (typeof k !== "string" || !keep.has(k)) drop.push(k);
    }
    for (const d of drop) g.set(d, undefined);
    g.set("bit", createBitLibrary());
    g.set("struct", createStructLibrary());
    g.set("cjson", createCjsonLibrary());
    g.set("cmsgpack", createCmsgpackLibrary());
    // Redis 7.0's pcall: an error table with an `err` field is caught as its message.
    const wrap = L.load(
      "local rawpcall, type = ...\n" +
        "local function fix(ok, ...)\n" +
        "  if ok then return ok, ... end\n" +
        "  local e = ...\n" +
        "  if type(e) == 'table' then\n" +
        "    local m = e.err\n" +
        "    local t = type(m)\n" +
        "    if t == 'string' or t == 'number' then return false, m end\n" +
        "  end\n" +
        "  return false, ...\n" +
        "end\n" +
        "return function(...) return fix(rawpcall(...)) end\n",
      "=pcall",
    );
    g.set("pcall", L.call(wrap, [g.get("pcall"), g.get("type")])[0]);
    return L;
  }

  /**
   * Redis's luaSetTableProtectionRecursively: the globals and every table reachable from them
   * (the libraries, `redis`) become read-only tables. KEYS and ARGV are set afterwards, raw.
   */
  private protectTables(g: LuaTable): void {
    const seen = new Set<LuaTable>();
    const walk = (t: LuaTable): void => {
      if (seen.has(t)) return;
      seen.add(t);
      t.readonly = true;
      let k: LuaValue = undefined;
      for (let e = t.next(k); e; e = t.next(k)) {
        k = e[0];
        if (e[1] instanceof LuaTable) walk(e[1]);
      }
    };
    walk(g);
  }

  /**
   * The error handler of runs (Redis's __redis__err__handler): turns the error into a table
   * `{err=..., source=..., line=...}` naming the innermost Lua function at the raise point
   * (string errors become `ERR <message>`).
   */
  private errorHandler(): NativeFunction {
    return new NativeFunction("__redis__err__handler", (args, L) => {
      const raised = args[0];
      let err: LuaTable;
      if (raised instanceof LuaTable) err = raised;
      else {
        err = new LuaTable();
        err.set("err", "ERR " + L.tostring(raised));
      }
      const frames = L.co.frames;
      const f = frames[frames.length - 1];
      if (f) {
        err.set("source", chunkSource(f.cl.proto.source));
        err.set("line", f.cl.proto.lines[f.pc - 1] ?? 0);
      }
      return [err];
    });
  }

  private evalSandbox(): Sandbox {
    if (this.evalBox) return this.evalBox;
    const L = this.newState();
    const g = L.globals;
    g.set("redis", createRedisTable(this, "eval"));
    const handler = this.errorHandler();
    g.set("__redis__err__handler", handler);
    protectGlobals(L, g);
    this.protectTables(g);
    const runner = L.load("local f, h = ...\nreturn xpcall(f, h)\n", "=runner");
    this.evalBox = { L, runner };
    return this.evalBox;
  }

  // ---- EVAL scripts ----

  /** luaCreateFunction: the cached script for `body`, compiled and cached if new. */
  createScript(body: string): CachedScript {
    const sha = sha1hex(body);
    const cached = this.scripts.get(sha);
    if (cached) return cached;
    const parsed = parseEvalScript(body);
    const { L } = this.evalSandbox();
    let fn: LuaClosure;
    try {
      fn = L.load(parsed.code, "@user_script");
    } catch (e) {
      if (!(e instanceof LuaSyntaxError)) throw e;
      throw new RedisError(noNewlines(`ERR Error compiling script (new function): ${e.message}`));
    }
    const script: CachedScript = { sha, body, compat: parsed.compat, flags: parsed.flags, fn };
    this.scripts.set(sha, script);
    return script;
  }

  /** SCRIPT FLUSH: forgets every script and starts a new Lua state for them. */
  flushScripts(): void {
    this.scripts.clear();
    this.evalBox = null;
  }

  /** EVAL/EVALSHA(_RO) after argument checks: runs `script` for `caller`. */
  evalScript(caller: Client, script: CachedScript, keys: string[], args: string[], ro: boolean): void {
    const run = this.prepare(script.compat, script.flags, ro);
    const box = this.evalSandbox();
    const g = box.L.globals;
    g.set("KEYS", box.L.newTable(keys));
    g.set("ARGV", box.L.newTable(args));
    this.start(caller, box, [script.fn], script.sha, true, run);
  }

  // ---- runs ----

  /**
   * Runs `fn` under the error handler for `caller` and writes its reply, now or (past
   * busy-reply-threshold, when the caller's transport can wait) later, holding the caller.
   */
  private start(
    caller: Client,
    box: Sandbox,
    /** The script function, then (functions only) the keys and args tables. */
    call: LuaValue[],
    funcname: string,
    isEval: boolean,
    flags: RunFlags,
  ): void {
    const client = this.scriptClient();
    this.writer.reset(2);
    client.db = caller.db;
    client.inExec = caller.inExec;
    const ctx = new ScriptRunContext(
      client,
      caller,
      this.writer,
      funcname,
      isEval,
      flags.readOnly,
      flags.allowOom,
      flags.oomAtStart,
    );
    const L = box.L;
    const canHold =
      !caller.inExec && typeof caller.transport?.runUnblocking === "function" && this.held === null;
    const threshold = this.server.config.getNumber("busy-reply-threshold");
    let sliceEnd = Infinity;
    const hook = (): LuaHookAction => {
      if (ctx.killed) {
        // Raised at every instruction of the script until it ends (pcall cannot keep it alive);
        // not in the runner's own frame, once the script has returned into it.
        L.setHook(hook, 1);
        return L.co.frames.length > 1 ? { error: killError() } : undefined;
      }
      const now = performance.now();
      if (!ctx.timedOut) {
        if (canHold && threshold > 0 && now - ctx.startedAt >= threshold) return "suspend";
        return undefined;
      }
      return now >= sliceEnd ? "suspend" : undefined;
    };
    this.current = ctx;
    // No key expires in the middle of a script: expiry is judged at its start time until it ends.
    const keyspace = this.server.keyspace;
    keyspace.freezeExpiry(this.server.clock.now());
    L.setHook(hook, HOOK_EVERY);
    const run = L.start(box.runner, [call[0], this.handlerOf(L), ...call.slice(1)]);
    const finish = (values: LuaValue[] | null, error: LuaValue): void => {
      this.current = null;
      keyspace.freezeExpiry(null);
      L.setHook(undefined);
      this.writeResult(ctx, values, error);
    };
    const step = (): boolean => {
      try {
        const r = run.resume();
        if (!r.done) return false;
        finish(r.values, undefined);
      } catch (e) {
        if (!(e instanceof LuaError)) {
          this.current = null;
          keyspace.freezeExpiry(null);
          L.setHook(undefined);
          throw e;
        }
        finish(null, e.value);
      }
      return true;
    };
    if (step()) return;
    // Past busy-reply-threshold: hold the caller, serve others (BUSY) between slices.
    ctx.timedOut = true;
    this.hold(ctx);
    const continueRun = (): void => {
      sliceEnd = performance.now() + SLICE_MS;
      this.current = ctx;
      L.setHook(hook, HOOK_EVERY);
      let done: boolean;
      const transport = caller.transport;
      // Errors of the run cannot go through the dispatcher any more: write them here.
      const stepOrReply = (): boolean => {
        try {
          return step();
        } catch (e) {
          if (!(e instanceof RedisError)) throw e;
          caller.reply.error(e.message);
          this.server.countError(e.message);
          this.callFailed(ctx, 1);
          return true;
        }
      };
      if (transport?.runUnblocking) {
        done = false;
        transport.runUnblocking(() => {
          done = stepOrReply();
          if (done) this.release(caller);
        });
      } else {
        done = stepOrReply();
      }
      if (done) {
        this.release(caller);
        this.server.blocking.afterCommand();
        return;
      }
      this.current = null;
      setImmediate(continueRun);
    };
    this.current = null;
    setImmediate(continueRun);
  }

  private hold(ctx: ScriptRunContext): void {
    this.held = { ctx };
    ctx.caller.blockState = ctx;
    busyScripts.set(this.server, ctx.isEval ? ScriptErr.busyEval : ScriptErr.busyFunction);
  }

  private release(caller: Client): void {
    this.held = null;
    caller.blockState = null;
    busyScripts.delete(this.server);
  }

  private handlers = new WeakMap<LuaState, NativeFunction>();

  private handlerOf(L: LuaState): NativeFunction {
    let h = this.handlers.get(L);
    if (!h) {
      h = this.errorHandler();
      this.handlers.set(L, h);
    }
    return h;
  }

  /** Writes a run's outcome to its caller (luaCallFunction's reply part). */
  private writeResult(ctx: ScriptRunContext, values: LuaValue[] | null, error: LuaValue): void {
    const reply = ctx.caller.reply;
    if (values !== null) {
      // The runner returns xpcall's results: true and the script's first value, or false and the error.
      if (values[0] === true) {
        // Errors in the reply are counted as they are written; the call fails once for those,
        // and once for each that a command already counted (as Redis's afterErrorReply).
        let failed = 0;
        let counted = false;
        luaToReply(values[1], reply, ctx.writer.resp, (message, alreadyCounted) => {
          if (alreadyCounted) failed++;
          else {
            this.server.countError(`${replyErrorCode(message)} `);
            counted = true;
          }
        });
        this.callFailed(ctx, failed + (counted ? 1 : 0));
        return;
      }
      error = values[1];
    }
    if (!(error instanceof LuaTable)) {
      const msg = typeof error === "string" ? error : "execution failure";
      throw new RedisError(noNewlines(`ERR Error running script ${ctx.funcname}, ${msg.slice(0, 100)}`));
    }
    const err = error.get("err");
    let msg = cString(typeof err === "string" ? err : typeof err === "number" ? fmtNumber(err) : "");
    const source = error.get("source");
    const line = error.get("line");
    if (typeof source === "string" && line !== undefined) {
      msg += ` script: ${ctx.funcname}, on ${source}:${typeof line === "number" ? line : String(line)}.`;
    }
    msg = noNewlines(msg);
    // An error a command already counted (raised by redis.call) is not counted again.
    if (error.get("ignore_error_stats_update") === true) {
      reply.error(msg);
      this.callFailed(ctx, 1);
      return;
    }
    throw new RedisError(msg);
  }

  /** Counts `n` failed calls of the caller's command (EVAL, FCALL...) in INFO commandstats. */
  private callFailed(ctx: ScriptRunContext, n: number): void {
    const command = ctx.caller.command;
    if (n > 0 && command) commandStats(ctx.caller, command).failed += n;
  }

  /**
   * scriptPrepareForRun's checks that apply to reddish (no replication, cluster or disk errors):
   * a script declaring flags that may write cannot start over maxmemory without `allow-oom`, nor
   * run through an `_RO` command. Returns the run's flags.
   */
  private prepare(compat: boolean, flags: ReadonlySet<ScriptFlag>, ro: boolean): RunFlags {
    const server = this.server;
    const oomAtStart = server.config.hot.maxmemory > 0 && server.evictor.oomAtCommandStart;
    if (!compat && !flags.has("no-writes")) {
      if (oomAtStart && !flags.has("allow-oom")) throw new RedisError(ScriptErr.oomFlag);
      if (ro) throw new RedisError(ScriptErr.roWithWriteFlag);
    }
    return {
      readOnly: ro || (!compat && flags.has("no-writes")),
      allowOom: !compat && flags.has("allow-oom"),
      oomAtStart,
    };
  }

  /** SCRIPT KILL / FUNCTION KILL. Throws the refusal; returns when the run will stop. */
  kill(isEval: boolean): void {
    const held = this.held;
    if (!held) throw new RedisError(ScriptErr.notBusy);
    const ctx = held.ctx;
    if (ctx.wrote) throw new RedisError(ScriptErr.unkillable);
    if (isEval && !ctx.isEval) throw new RedisError(ScriptErr.busyFunction);
    if (!isEval && ctx.isEval) throw new RedisError(ScriptErr.busyEval);
    ctx.killed = true;
  }

  // ---- functions ----

  private functionSandbox(): FunctionSandbox {
    if (this.fnBox) return this.fnBox;
    const L = this.newState();
    const api = L.globals;
    api.set("redis", createRedisTable(this, "function"));
    protectGlobals(L, api);
    this.protectTables(api);
    // Functions run with an empty globals proxy whose __index is the API of the moment: the
    // loading API while a library loads, the full API afterwards (as Redis 7.0 does).
    const proxy = new LuaTable();
    const proxyMeta = new LuaTable();
    proxyMeta.set("__index", api);
    proxyMeta.set("__newindex", readonlyError());
    proxy.metatable = proxyMeta;
    proxy.readonly = true;
    // Switched by the host with raw sets only.
    proxyMeta.readonly = true;
    const runner = L.load(
      "local f, h, k, a = ...\nreturn xpcall(function() return f(k, a) end, h)\n",
      "=runner",
    );
    this.fnBox = { L, runner, proxy, proxyMeta, runtimeApi: api };
    return this.fnBox;
  }

  /**
   * Compiles and runs a library's code, collecting the functions it registers
   * (functionsCreateWithLibraryCtx + luaEngineCreate). Throws RedisError with Redis's texts.
   */
  createLibrary(code: string, replace: boolean, into: LibrarySet): Library {
    const meta = parseLibraryMeta(code);
    if (meta.engine.toLowerCase() !== "lua") throw new RedisError(`ERR Engine '${meta.engine}' not found`);
    if (!isValidName(meta.name)) throw new RedisError(`ERR ${ScriptFnErr.badName}`);
    const old = into.libraries.get(meta.name);
    if (old && !replace) throw new RedisError(`ERR Library '${meta.name}' already exists`);
    const box = this.functionSandbox();
    const L = box.L;
    let chunk: LuaClosure;
    const proxy = box.proxy;
    try {
      chunk = L.load(meta.code, "@user_function", proxy);
    } catch (e) {
      if (!(e instanceof LuaSyntaxError)) throw e;
      throw new RedisError(noNewlines(`ERR Error compiling function: ${e.message}`));
    }
    const lib: Library = { name: meta.name, engine: "LUA", code, functions: new Map() };
    const register = new NativeFunction("register_function", (args) => {
      registerFunction(lib, args);
      return [];
    });
    const loadApi = new LuaTable();
    const loadRedis = createRedisTable(this, "load", register);
    loadApi.set("redis", loadRedis);
    protectGlobals(L, loadApi);
    this.protectTables(loadApi);
    // While loading, a missing `redis.x` is reported like a missing global (Redis 7.0).
    protectGlobals(L, loadRedis);
    box.proxyMeta.set("__index", loadApi);
    try {
      L.setHook(undefined);
      const r = L.call(box.runner, [chunk, this.handlerOf(L), undefined, undefined]);
      if (r[0] !== true) {
        const err = r[1];
        const msg =
          err instanceof LuaTable && typeof err.get("err") === "string" ? (err.get("err") as string) : "";
        throw new RedisError(noNewlines(`ERR Error registering functions: ${msg}`));
      }
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      throw new RedisError(noNewlines(`ERR Error registering functions: ${L.tostring(e.value)}`));
    } finally {
      box.proxyMeta.set("__index", box.runtimeApi);
    }
    if (lib.functions.size === 0) throw new RedisError("ERR No functions registered");
    return lib;
  }

  /** FUNCTION LOAD [REPLACE]: returns the library name. */
  loadLibrary(code: string, replace: boolean): string {
    const lib = this.createLibrary(code, replace, this.libraries);
    const single = new LibrarySet();
    single.link(lib);
    const err = this.libraries.join(single, replace);
    if (err !== null) throw new RedisError(`ERR ${err}`);
    return lib.name;
  }

  /** A registered function by name (case-insensitive, as Redis's dict). */
  findFunction(name: string): FunctionInfo | undefined {
    return this.libraries.functions.get(functionKey(name));
  }

  /** FCALL/FCALL_RO after argument checks. */
  callFunction(caller: Client, fn: FunctionInfo, keys: string[], args: string[], ro: boolean): void {
    const run = this.prepare(false, fn.flags, ro);
    const box = this.functionSandbox();
    const L = box.L;
    this.start(caller, box, [fn.callback, L.newTable(keys), L.newTable(args)], fn.name, false, run);
  }

  /** FUNCTION FLUSH. */
  flushFunctions(): void {
    this.libraries.clear();
    this.fnBox = null;
  }
}

/** Texts of function registration errors. */
const ScriptFnErr = {
  badName:
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
} as const;

/** redis.register_function(name, callback) or redis.register_function{...} while loading. */
function registerFunction(lib: Library, args: LuaValue[]): void {
  let name: LuaValue;
  let callback: LuaValue;
  let description: string | null = null;
  const flags = new Set<ScriptFlag>();
  const fail = (msg: string): never => {
    throw new LuaError(pushError(msg));
  };
  if (args.length === 1) {
    const t = args[0];
    if (!(t instanceof LuaTable))
      fail(
        "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
      );
    const table = t as LuaTable;
    let k: LuaValue = undefined;
    for (let e = table.next(k); e; e = table.next(k)) {
      k = e[0];
      const v = e[1];
      if (typeof k !== "string") fail("named argument key given to redis.register_function is not a string");
      if (k === "function_name") {
        if (!isLuaString(v)) fail("function_name argument given to redis.register_function must be a string");
        name = luaString(v);
      } else if (k === "description") {
        if (!isLuaString(v)) fail("description argument given to redis.register_function must be a string");
        description = luaString(v);
      } else if (k === "callback") {
        if (!isFunction(v)) fail("callback argument given to redis.register_function must be a function");
        callback = v;
      } else if (k === "flags") {
        if (!(v instanceof LuaTable))
          fail("flags argument to redis.register_function must be a table representing function flags");
        const ft = v as LuaTable;
        for (let j = 1; j <= ft.length(); j++) {
          const f = ft.get(j);
          if (typeof f !== "string" || !isScriptFlag(f)) fail("unknown flag given");
          flags.add(f as ScriptFlag);
        }
      } else {
        fail("unknown argument given to redis.register_function");
      }
    }
    if (name === undefined) fail("redis.register_function must get a function name argument");
    if (callback === undefined) fail("redis.register_function must get a callback argument");
  } else if (args.length === 2) {
    callback = args[1];
    if (!isLuaString(args[0])) fail("first argument to redis.register_function must be a string");
    name = luaString(args[0]);
    if (!isFunction(callback)) fail("second argument to redis.register_function must be a function");
  } else {
    fail("wrong number of arguments to redis.register_function");
  }
  const fname = name as string;
  if (!isValidName(fname)) fail(ScriptFnErr.badName);
  if (lib.functions.has(fname)) fail("Function already exists in the library");
  lib.functions.set(fname, {
    name: fname,
    callback: callback as FunctionInfo["callback"],
    flags,
    description,
    library: lib,
  });
}

/** What {@link Scripting.prepare} decides about a run. */
interface RunFlags {
  /** Write commands are refused (`no-writes`, or an `_RO` command). */
  readonly readOnly: boolean;
  /** Declared `allow-oom`. */
  readonly allowOom: boolean;
  /** Memory was over maxmemory when the command started. */
  readonly oomAtStart: boolean;
}

/** lua_isstring: strings and numbers. */
function isLuaString(v: LuaValue): v is string | number {
  return typeof v === "string" || typeof v === "number";
}

/** lua_tostring of a string or number. */
function luaString(v: LuaValue): string {
  return typeof v === "number" ? fmtNumber(v) : String(v);
}

/** The error a killed run raises (until it ends). */
function killError(): LuaTable {
  return pushError("Script killed by user with SCRIPT KILL...");
}

/**
 * "chunk:line: " of the innermost Lua frame: the position a metamethod native reports (natives
 * have no frames, so the top frame is the Lua code whose access triggered it).
 */
function luaWhere(L: LuaState): string {
  const frames = L.co.frames;
  const f = frames[frames.length - 1];
  return f ? `${f.cl.proto.source}:${f.cl.proto.lines[f.pc - 1]}: ` : "";
}

/** A `__newindex` native raising Redis's readonly-table error at the caller's position. */
function readonlyError(): NativeFunction {
  return new NativeFunction("__newindex", (_args, L) => {
    throw new LuaError(luaWhere(L) + "Attempt to modify a readonly table");
  });
}

/**
 * Redis's global protection: reading a missing global raises "Script attempted to access
 * nonexistent global variable", creating one raises the readonly-table error.
 */
function protectGlobals(L: LuaState, g: LuaTable): void {
  const mt = new LuaTable();
  mt.set(
    "__index",
    new NativeFunction("__index", (args, L2) => {
      const key = args[1];
      const name = L2.tostring(key);
      throw new LuaError(`${luaWhere(L2)}Script attempted to access nonexistent global variable '${name}'`);
    }),
  );
  mt.set("__newindex", readonlyError());
  mt.readonly = true;
  g.metatable = mt;
  void L;
}

function noNewlines(s: string): string {
  return s.replace(/[\r\n]/g, " ");
}

export { errorTable };

const instances = new WeakMap<ServerCore, Scripting>();

/** The scripting runtime of a server (created on first use). */
export function scriptingOf(server: ServerCore): Scripting {
  let s = instances.get(server);
  if (!s) {
    s = new Scripting(server);
    instances.set(server, s);
  }
  return s;
}
