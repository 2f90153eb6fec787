/**
 * Functions: FCALL, FCALL_RO and FUNCTION LOAD / DELETE / FLUSH / LIST / DUMP / RESTORE / STATS /
 * KILL / HELP, over the library registry and runtime in `src/scripting/`.
 */
import { RedisError, ScriptErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { scriptingOf } from "../scripting/engine.js";
import { LibrarySet, RestorePayloadError, dumpLibraries, readLibraryCodes } from "../scripting/libraries.js";
import { SCRIPT_FLAGS } from "../scripting/shebang.js";
import { globMatch } from "../util/glob.js";
import { Err } from "../errors.js";
import { eqi } from "./args.js";
import { replyHelp } from "./command.js";
import { readNumkeys } from "./scripting.js";
import type { CommandDefinition } from "./spec.js";

/** An argument quoted in an error as Redis's addReplyErrorFormat does: CR and LF become spaces. */
function formatted(arg: string): string {
  return arg.replace(/[\r\n]/g, " ");
}

function fcallGeneric(c: Client, ro: boolean): void {
  const scripting = scriptingOf(c.server);
  const fn = scripting.findFunction(c.argv[1]!);
  if (!fn) throw new RedisError("ERR Function not found");
  const numkeys = readNumkeys(c, "ERR Bad number of keys provided");
  scripting.callFunction(c, fn, c.argv.slice(3, 3 + numkeys), c.argv.slice(3 + numkeys), ro);
}

/** FCALL function numkeys [key ...] [arg ...] */
function fcallCommand(c: Client): void {
  fcallGeneric(c, false);
}

/** FCALL_RO function numkeys [key ...] [arg ...] */
function fcallRoCommand(c: Client): void {
  fcallGeneric(c, true);
}

/** FUNCTION LOAD [REPLACE] function-code */
function functionLoadCommand(c: Client): void {
  let replace = false;
  let i = 2;
  for (; i < c.argv.length - 1; i++) {
    if (eqi(c.argv[i]!, "replace")) replace = true;
    else throw new RedisError(`ERR Unknown option given: ${formatted(c.argv[i]!)}`);
  }
  const name = scriptingOf(c.server).loadLibrary(c.argv[i]!, replace);
  c.server.dirty++;
  c.reply.bulk(name);
}

/** FUNCTION DELETE library-name */
function functionDeleteCommand(c: Client): void {
  const libs = scriptingOf(c.server).libraries;
  const lib = libs.libraries.get(c.argv[2]!);
  if (!lib) throw new RedisError("ERR Library not found");
  libs.unlink(lib);
  c.server.dirty++;
  c.reply.simple("OK");
}

/** FUNCTION FLUSH [ASYNC | SYNC] */
function functionFlushCommand(c: Client): void {
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "function"));
  if (c.argv.length === 3 && !eqi(c.argv[2]!, "sync") && !eqi(c.argv[2]!, "async")) {
    throw new RedisError(ScriptErr.functionFlushOption);
  }
  scriptingOf(c.server).flushFunctions();
  c.server.dirty++;
  c.reply.simple("OK");
}

/** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
function functionListCommand(c: Client): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < c.argv.length; i++) {
    const arg = c.argv[i]!;
    if (!withCode && eqi(arg, "withcode")) {
      withCode = true;
      continue;
    }
    if (pattern === null && eqi(arg, "libraryname")) {
      if (i >= c.argv.length - 1) throw new RedisError("ERR library name argument was not given");
      pattern = c.argv[++i]!;
      continue;
    }
    throw new RedisError(`ERR Unknown argument ${formatted(arg)}`);
  }
  const libs = [...scriptingOf(c.server).libraries.libraries.values()].filter(
    (lib) => pattern === null || globMatch(pattern, lib.name, true),
  );
  const r = c.reply;
  r.array(libs.length);
  for (const lib of libs) {
    r.map(withCode ? 4 : 3);
    r.bulk("library_name");
    r.bulk(lib.name);
    r.bulk("engine");
    r.bulk(lib.engine);
    r.bulk("functions");
    r.array(lib.functions.size);
    for (const fn of lib.functions.values()) {
      r.map(3);
      r.bulk("name");
      r.bulk(fn.name);
      r.bulk("description");
      if (fn.description === null) r.nullBulk();
      else r.bulk(fn.description);
      r.bulk("flags");
      const flags = SCRIPT_FLAGS.filter((f) => fn.flags.has(f));
      r.set(flags.length);
      for (const f of flags) r.simple(f);
    }
    if (withCode) {
      r.bulk("library_code");
      r.bulk(lib.code);
    }
  }
}

/** FUNCTION DUMP */
function functionDumpCommand(c: Client): void {
  const libs = scriptingOf(c.server).libraries.libraries.values();
  c.reply.bulk(dumpLibraries(libs, c.server.config).toString("latin1"));
}

/** FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE] */
function functionRestoreCommand(c: Client): void {
  if (c.argv.length > 4) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "function"));
  let policy: "append" | "replace" | "flush" = "append";
  if (c.argv.length === 4) {
    const p = c.argv[3]!;
    if (eqi(p, "append")) policy = "append";
    else if (eqi(p, "replace")) policy = "replace";
    else if (eqi(p, "flush")) policy = "flush";
    else
      throw new RedisError(
        "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
      );
  }
  const scripting = scriptingOf(c.server);
  let codes: string[] | null;
  try {
    codes = readLibraryCodes(Buffer.from(c.argv[2]!, "latin1"), c.server.config);
  } catch (e) {
    if (!(e instanceof RestorePayloadError)) throw e;
    throw new RedisError(`ERR ${e.message}`);
  }
  if (codes === null) throw new RedisError(Err.dumpPayload);
  const restored = new LibrarySet();
  for (const code of codes) {
    const lib = scripting.createLibrary(code, false, restored);
    const err = restored.join(single(lib), false);
    if (err !== null) throw new RedisError(`ERR ${err}`);
  }
  if (policy === "flush") scripting.libraries.swap(restored);
  else {
    const err = scripting.libraries.join(restored, policy === "replace");
    if (err !== null) throw new RedisError(`ERR ${err}`);
  }
  c.server.dirty++;
  c.reply.simple("OK");
}

function single(lib: Parameters<LibrarySet["link"]>[0]): LibrarySet {
  const s = new LibrarySet();
  s.link(lib);
  return s;
}

/** FUNCTION STATS */
function functionStatsCommand(c: Client): void {
  const scripting = scriptingOf(c.server);
  // FUNCTION STATS is allowed while a function is busy, not while an EVAL script is.
  if (scripting.held?.ctx.isEval) throw new RedisError(ScriptErr.busyEval);
  const r = c.reply;
  r.map(2);
  r.bulk("running_script");
  const run = scripting.held?.ctx ?? null;
  if (run === null) r.nullBulk();
  else {
    r.map(3);
    r.bulk("name");
    r.bulk(run.funcname);
    r.bulk("command");
    r.array(run.caller.argv.length);
    for (const a of run.caller.argv) r.bulk(a);
    r.bulk("duration_ms");
    r.integer(Math.floor(performance.now() - run.startedAt));
  }
  r.bulk("engines");
  r.map(1);
  r.bulk("LUA");
  r.map(2);
  r.bulk("libraries_count");
  r.integer(scripting.libraries.libraries.size);
  r.bulk("functions_count");
  r.integer(scripting.libraries.functionCount);
}

/** FUNCTION KILL */
function functionKillCommand(c: Client): void {
  scriptingOf(c.server).kill(false);
  c.reply.simple("OK");
}

/** FUNCTION HELP */
function functionHelpCommand(c: Client): void {
  replyHelp(c, [
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
  ]);
}

export const functionsCommands: CommandDefinition[] = [
  { name: "fcall", handler: fcallCommand },
  { name: "fcall_ro", handler: fcallRoCommand },
  { name: "function|load", handler: functionLoadCommand },
  { name: "function|delete", handler: functionDeleteCommand },
  { name: "function|flush", handler: functionFlushCommand },
  { name: "function|list", handler: functionListCommand },
  { name: "function|dump", handler: functionDumpCommand },
  { name: "function|restore", handler: functionRestoreCommand },
  { name: "function|stats", handler: functionStatsCommand },
  { name: "function|kill", handler: functionKillCommand },
  { name: "function|help", handler: functionHelpCommand },
];
