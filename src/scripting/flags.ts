/**
 * The command flags of a script run (Redis 7.0's evalGetCommandFlags, fcallGetCommandFlags and
 * scriptFlagsToCmdFlags): EVAL, EVALSHA, FCALL and their `_RO` forms take the flags of the script
 * or function they run. A script with a shebang or a function that declares neither `allow-oom`
 * nor `no-writes` counts as a `denyoom` command, so the dispatcher refuses it (OOM) before it
 * starts when memory is over `maxmemory`. Scripts without a shebang keep the command's own flags.
 */
import type { Command } from "../commands/spec.js";
import type { Client } from "../server/client.js";
import { scriptingOf } from "./engine.js";
import { sha1hex } from "./redis-api.js";
import { parseEvalScript, type ScriptFlag } from "./shebang.js";

/** The commands that run a script or a function, by full name. */
const EVALS = new Set(["eval", "eval_ro", "evalsha", "evalsha_ro"]);
const FCALLS = new Set(["fcall", "fcall_ro"]);

/** scriptFlagsToCmdFlags, for CMD_DENYOOM: set unless `allow-oom` or `no-writes` is declared. */
function flagsDenyOom(flags: ReadonlySet<ScriptFlag>): boolean {
  return !flags.has("allow-oom") && !flags.has("no-writes");
}

/**
 * The declared flags of the script an EVAL-like command names (the cached script, else the
 * shebang of EVAL's body), or null when it has none (no shebang, an invalid one, an unknown SHA1).
 */
export function evalFlags(
  client: Client,
  command: Command,
  argv: readonly string[],
): ReadonlySet<ScriptFlag> | null {
  if (argv.length < 2) return null;
  const scripting = scriptingOf(client.server);
  const sha = command.fullName.startsWith("evalsha")
    ? argv[1]!.replace(/[A-Z]/g, (c) => c.toLowerCase())
    : null;
  const cached = scripting.scripts.get(sha ?? sha1hex(argv[1]!));
  if (cached) return cached.compat ? null : cached.flags;
  if (sha !== null) return null;
  try {
    const parsed = parseEvalScript(argv[1]!);
    return parsed.compat ? null : parsed.flags;
  } catch {
    // An invalid shebang: the command keeps its own flags (EVAL then replies the error).
    return null;
  }
}

/**
 * Whether a command counts as `denyoom` (Redis's getCommandFlags & CMD_DENYOOM): its table flag,
 * or for script runs, the flags of the script or function it names.
 */
export function commandDeniesOom(client: Client, command: Command, argv: readonly string[]): boolean {
  const name = command.fullName;
  if (EVALS.has(name)) {
    const flags = evalFlags(client, command, argv);
    return flags === null ? command.isDenyOom : flagsDenyOom(flags);
  }
  if (FCALLS.has(name)) {
    const fn = argv.length >= 2 ? scriptingOf(client.server).findFunction(argv[1]!) : undefined;
    return fn === undefined ? command.isDenyOom : flagsDenyOom(fn.flags);
  }
  return command.isDenyOom;
}
