/**
 * Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD / EXISTS / FLUSH / KILL / HELP,
 * over the runtime in `src/scripting/`. Deliberate difference: no SCRIPT DEBUG (its YES/SYNC modes are
 * Redis's interactive Lua debugger; NO alone would leave a subcommand that answers unlike Redis).
 */
import { Err, RedisError, ScriptErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { scriptingOf } from "../scripting/engine.js";
import { eqi } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";

/** numkeys of EVAL-like commands: Redis's checks, in order. */
export function readNumkeys(c: Client, badNumber: string): number {
  const arg = c.argv[2]!;
  if (!/^-?\d+$/.test(arg) || arg.length > 20) throw new RedisError(badNumber);
  const n = BigInt(arg);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new RedisError(badNumber);
  if (n > BigInt(c.argv.length - 3)) throw new RedisError(ScriptErr.numkeysTooBig);
  if (n < 0n) throw new RedisError(ScriptErr.numkeysNegative);
  return Number(n);
}

/** A strict long long (string2ll): no sign-only, no leading zeros, no '+'. */
function isLongLong(arg: string): boolean {
  return /^(0|-?[1-9]\d*)$/.test(arg);
}

/** EVAL's numkeys, with getLongLongFromObjectOrReply's error. */
function evalNumkeys(c: Client): number {
  if (!isLongLong(c.argv[2]!)) throw new RedisError(Err.notInteger);
  return readNumkeys(c, Err.notInteger);
}

function evalGeneric(c: Client, evalsha: boolean, ro: boolean): void {
  // A SHA1 of the wrong length cannot match: NOSCRIPT before anything else, as Redis.
  if (evalsha && c.argv[1]!.length !== 40) throw new RedisError(ScriptErr.noScript);
  const numkeys = evalNumkeys(c);
  const scripting = scriptingOf(c.server);
  let script;
  if (evalsha) {
    const sha = c.argv[1]!;
    // Redis lower-cases only A-Z.
    script = scripting.scripts.get(sha.replace(/[A-Z]/g, (ch) => ch.toLowerCase()));
    if (!script) throw new RedisError(ScriptErr.noScript);
  } else {
    script = scripting.createScript(c.argv[1]!);
  }
  const keys = c.argv.slice(3, 3 + numkeys);
  const args = c.argv.slice(3 + numkeys);
  scripting.evalScript(c, script, keys, args, ro);
}

/** EVAL script numkeys [key ...] [arg ...] */
function evalCommand(c: Client): void {
  evalGeneric(c, false, false);
}

/** EVAL_RO script numkeys [key ...] [arg ...] */
function evalRoCommand(c: Client): void {
  evalGeneric(c, false, true);
}

/** EVALSHA sha1 numkeys [key ...] [arg ...] */
function evalshaCommand(c: Client): void {
  evalGeneric(c, true, false);
}

/** EVALSHA_RO sha1 numkeys [key ...] [arg ...] */
function evalshaRoCommand(c: Client): void {
  evalGeneric(c, true, true);
}

/** SCRIPT LOAD script */
function scriptLoadCommand(c: Client): void {
  c.reply.bulk(scriptingOf(c.server).createScript(c.argv[2]!).sha);
}

/** SCRIPT EXISTS sha1 [sha1 ...] */
function scriptExistsCommand(c: Client): void {
  const scripts = scriptingOf(c.server).scripts;
  c.reply.array(c.argv.length - 2);
  for (let i = 2; i < c.argv.length; i++) {
    // The cache's lookup is case-insensitive, as Redis's dict.
    c.reply.integer(scripts.has(c.argv[i]!.toLowerCase()) ? 1 : 0);
  }
}

/** SCRIPT FLUSH [ASYNC | SYNC] */
function scriptFlushCommand(c: Client): void {
  if (c.argv.length > 3 || (c.argv.length === 3 && !eqi(c.argv[2]!, "sync") && !eqi(c.argv[2]!, "async"))) {
    throw new RedisError(ScriptErr.flushOption);
  }
  scriptingOf(c.server).flushScripts();
  c.reply.simple("OK");
}

/** SCRIPT KILL */
function scriptKillCommand(c: Client): void {
  scriptingOf(c.server).kill(true);
  c.reply.simple("OK");
}

/** SCRIPT HELP */
function scriptHelpCommand(c: Client): void {
  replyHelp(c, [
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
  ]);
}

export const scriptingCommands: CommandDefinition[] = [
  { name: "eval", handler: evalCommand },
  { name: "eval_ro", handler: evalRoCommand },
  { name: "evalsha", handler: evalshaCommand },
  { name: "evalsha_ro", handler: evalshaRoCommand },
  { name: "script|load", handler: scriptLoadCommand },
  { name: "script|exists", handler: scriptExistsCommand },
  { name: "script|flush", handler: scriptFlushCommand },
  { name: "script|kill", handler: scriptKillCommand },
  { name: "script|help", handler: scriptHelpCommand },
];
