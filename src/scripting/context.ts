/**
 * The state of one script run (Redis's scriptRunCtx): the script client that runs its commands,
 * the caller, the run's flags (read-only, allow-oom, wrote, killed) and the reply collector `redis.call`
 * reads from.
 */
import type { Client } from "../server/client.js";
import type { ScriptCallPolicy } from "../server/dispatcher.js";
import type { LuaReplyWriter } from "./convert.js";
import type { LuaValue } from "./lua/index.js";

/** One script run in progress. */
export class ScriptRunContext implements ScriptCallPolicy {
  /** Set once a write command ran (SCRIPT KILL then refuses: UNKILLABLE). */
  wrote = false;
  /** Set by SCRIPT KILL / FUNCTION KILL; the run raises the kill error at its next check. */
  killed = false;
  /** performance.now() when the run started. */
  readonly startedAt = performance.now();
  /** True once the run went past busy-reply-threshold and others get BUSY. */
  timedOut = false;

  constructor(
    /** The script client (Redis's lua_client): runs the script's commands. */
    readonly client: Client,
    /** The client that sent EVAL/FCALL. */
    readonly caller: Client,
    /** The collector behind `client.reply`. */
    readonly writer: LuaReplyWriter,
    /** The script's SHA1 (EVAL) or the function's name (FCALL), as errors name it. */
    readonly funcname: string,
    /** True for EVAL/EVALSHA (SCRIPT KILL), false for FCALL (FUNCTION KILL). */
    readonly isEval: boolean,
    /** Write commands are refused (`no-writes` flag, or an `_RO` command). */
    readonly readOnly: boolean,
    /** Declared `allow-oom` (a shebang script or a function): denyoom commands always run. */
    readonly allowOom: boolean,
    /** Memory was over maxmemory when the run's command started (Redis's script_oom). */
    readonly oomAtStart: boolean,
  ) {}

  /** Called by the dispatcher before a write command runs. */
  willWrite(): void {
    this.wrote = true;
  }

  /**
   * Redis 7.0's call() for a script's read-only command: the caller, if it tracks keys, has the
   * keys of its own command (EVAL's declared keys) remembered, not those the script read.
   */
  ranReadOnly(): void {
    const caller = this.caller;
    if (caller.tracking !== null && caller.command)
      caller.server.tracking.rememberKeys(caller, caller.command);
  }

  /** scriptVerifyOOM: only the first write of a run can be refused, as one cannot stop midway. */
  refusesDenyOom(): boolean {
    return this.oomAtStart && !this.allowOom && !this.wrote;
  }

  /** The reply of the command just run, as a Lua value. */
  takeReply(): LuaValue {
    return this.writer.take();
  }
}
