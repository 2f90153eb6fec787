/**
 * The `redis` table scripts see (Redis 7.0's script_lua.c and eval.c): call, pcall, sha1hex,
 * error_reply, status_reply, log, setresp, set_repl, replicate_commands, breakpoint, debug,
 * acl_check_cmd and the REDIS_VERSION / LOG_* / REPL_* constants. `redis.call` and `redis.pcall`
 * run commands through the dispatcher's script path with the script client.
 */
import { createHash } from "node:crypto";
import { scriptCall } from "../server/dispatcher.js";
import type { ScriptRunContext } from "./context.js";
import { errorTable, normalizeError } from "./convert.js";
import { formatG } from "../resp/format.js";
import { LuaTable } from "./lua/table.js";
import { LuaError, NativeFunction, toNumber, type LuaState, type LuaValue } from "./lua/index.js";

/** The server version scripts see (`redis.REDIS_VERSION`, `REDIS_VERSION_NUM`). */
export const REDIS_VERSION = "7.0.15";
const REDIS_VERSION_NUM = 0x07000f;

/** Log levels (`redis.LOG_*`). */
const LOG_LEVELS = { LOG_DEBUG: 0, LOG_VERBOSE: 1, LOG_NOTICE: 2, LOG_WARNING: 3 } as const;

/** Replication flags (`redis.REPL_*`). */
const REPL = { REPL_NONE: 0, REPL_AOF: 1, REPL_SLAVE: 2, REPL_REPLICA: 2, REPL_ALL: 3 } as const;

/** Where the `redis` functions find the script being run. */
export interface RedisApiHost {
  /** The run in progress; null outside a run (e.g. while a library loads). */
  readonly current: ScriptRunContext | null;
}

/**
 * luaPushError: the error table for a message given without a leading `-` (`ERR <message>`), or
 * with one (`-CODE message`, code taken from the message).
 */
export function pushError(message: string): LuaTable {
  if (message.startsWith("-")) return errorTable(message.slice(1), false);
  const t = new LuaTable();
  t.set("err", `ERR ${message.replace(/^[\r\n]+|[\r\n]+$/g, "")}`);
  return t;
}

/** A script argument to a command: strings as is, numbers as `%.17g`; anything else is refused. */
function commandArgs(args: LuaValue[]): string[] | LuaTable {
  if (args.length === 0) return pushError("Please specify at least one argument for this redis lib call");
  const argv: string[] = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (typeof v === "string") argv[i] = v;
    else if (typeof v === "number") argv[i] = formatG(v, 17);
    else return pushError("Lua redis lib command arguments must be strings or integers");
  }
  return argv;
}

function native(name: string, fn: (args: LuaValue[], L: LuaState) => LuaValue[] | void): NativeFunction {
  return new NativeFunction(name, fn);
}

/** redis.call / redis.pcall: runs a command; errors raise (call) or are returned (pcall). */
function genericCommand(host: RedisApiHost, raise: boolean): (args: LuaValue[]) => LuaValue[] {
  return (args) => {
    const run = host.current;
    if (!run) throw new LuaError(pushError("redis.call is not allowed from this context"));
    const argv = commandArgs(args);
    let result: LuaValue;
    if (argv instanceof LuaTable) result = argv;
    else {
      const err = scriptCall(run.client, argv, run);
      if (err !== null) {
        // Already counted by the refusal: not again when the script raises or returns it.
        const table = pushError(err);
        table.set("ignore_error_stats_update", true);
        result = table;
      } else result = run.takeReply();
    }
    if (raise && result instanceof LuaTable && typeof result.get("err") === "string") {
      throw new LuaError(result);
    }
    return [result];
  };
}

/** sha1hex of a byte string. */
export function sha1hex(data: string): string {
  return createHash("sha1").update(data, "latin1").digest("hex");
}

/** Which variant of the `redis` table to build. */
export type RedisApiKind = "eval" | "function" | "load";

/**
 * Builds a `redis` table. `eval`: what EVAL scripts see; `function`: what functions see at run
 * time (no breakpoint/debug/replicate_commands); `load`: what a library sees while it loads
 * (register_function, log, the log constants and the version only — `registerFunction` given).
 */
export function createRedisTable(
  host: RedisApiHost,
  kind: RedisApiKind,
  registerFunction?: NativeFunction,
): LuaTable {
  const t = new LuaTable();
  const set = (fn: NativeFunction) => t.set(fn.name, fn);
  set(
    native("log", (args) => {
      if (args.length < 2) throw new LuaError(pushError("redis.log() requires two arguments or more."));
      const level = toNumber(args[0]);
      if (level === undefined) throw new LuaError(pushError("First argument must be a number (log level)."));
      const n = Math.trunc(level);
      if (!(n >= 0 && n <= 3)) throw new LuaError(pushError("Invalid debug level."));
      // reddish keeps no log file: the message is accepted and dropped.
    }),
  );
  for (const [k, v] of Object.entries(LOG_LEVELS)) t.set(k, v);
  t.set("REDIS_VERSION", REDIS_VERSION);
  t.set("REDIS_VERSION_NUM", REDIS_VERSION_NUM);
  if (kind === "load") {
    if (registerFunction) set(registerFunction);
    return t;
  }
  set(native("call", genericCommand(host, true)));
  set(native("pcall", genericCommand(host, false)));
  set(
    native("sha1hex", (args) => {
      if (args.length !== 1) throw new LuaError(pushError("wrong number of arguments"));
      const v = args[0];
      const data = typeof v === "string" ? v : typeof v === "number" ? formatNumber(v) : "";
      return [sha1hex(data)];
    }),
  );
  set(
    native("error_reply", (args) => {
      const v = args[0];
      if (args.length !== 1 || typeof v !== "string") return [pushError("wrong number or type of arguments")];
      return [pushError(v.startsWith("-") ? v : `-${v}`)];
    }),
  );
  set(
    native("status_reply", (args) => {
      const v = args[0];
      if (args.length !== 1 || typeof v !== "string") return [pushError("wrong number or type of arguments")];
      const ok = new LuaTable();
      ok.set("ok", v);
      return [ok];
    }),
  );
  set(
    native("setresp", (args) => {
      const run = host.current;
      if (args.length !== 1) throw new LuaError(pushError("redis.setresp() requires one argument."));
      const n = Math.trunc(toNumber(args[0]) ?? NaN);
      if (n !== 2 && n !== 3) throw new LuaError(pushError("RESP version must be 2 or 3."));
      if (run) run.client.reply.resp = n;
    }),
  );
  set(
    native("set_repl", (args) => {
      // Redis's own text says "two" although one argument is expected.
      if (args.length !== 1) throw new LuaError(pushError("redis.set_repl() requires two arguments."));
      const n = Math.trunc(toNumber(args[0]) ?? NaN);
      if (!(n >= 0 && n <= 3)) {
        throw new LuaError(
          pushError("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."),
        );
      }
      // reddish has no replication or AOF: the flags are accepted and have no effect.
    }),
  );
  for (const [k, v] of Object.entries(REPL)) t.set(k, v);
  set(
    native("acl_check_cmd", (args) => {
      const run = host.current;
      if (args.length < 1)
        throw new LuaError(pushError("Please specify at least one argument for this redis lib call"));
      const argv = commandArgs(args);
      if (argv instanceof LuaTable) throw new LuaError(argv);
      const cmd = run?.client.server.commands.lookup(argv);
      if (!cmd) throw new LuaError(pushError("Invalid command passed to redis.acl_check_cmd()"));
      // Only the default user exists, and it may run every command.
      return [true];
    }),
  );
  if (kind === "eval") {
    set(native("breakpoint", () => [false]));
    set(native("debug", () => []));
    set(native("replicate_commands", () => [true]));
  }
  return t;
}

/** A number as Lua's tostring would give it (lua_tolstring), for sha1hex. */
function formatNumber(n: number): string {
  return formatG(n, 14);
}

export { normalizeError };
