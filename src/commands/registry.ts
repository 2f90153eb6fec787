/**
 * The command table: generated metadata joined with the handlers that family modules declare.
 * Only implemented commands are in the table, so COMMAND reports exactly what reddish serves and
 * anything else answers Redis's unknown-command error.
 */
import { createRequire } from "node:module";
import type { Command, CommandDefinition, CommandHandler, CommandMeta } from "./spec.js";

const require = createRequire(import.meta.url);
/** Metadata of every Redis 7.0.15 command, keyed by lower-case name. */
export const REDIS_COMMANDS = require("./generated/commands.json") as Record<string, CommandMeta>;

/** Handler for a container whose subcommand is missing from the table (never reached: arity -2). */
const containerHandler: CommandHandler = () => {
  throw new Error("container command dispatched without a subcommand");
};

export class CommandTable {
  private readonly commands = new Map<string, Command>();
  /** Also keyed by upper-case name: clients mostly send `GET`, and this saves a toLowerCase. */
  private readonly byUpperName = new Map<string, Command>();

  /** Builds the table from family modules' definitions. Throws on a name Redis does not have. */
  constructor(definitions: Iterable<CommandDefinition>) {
    const subs = new Map<string, CommandDefinition[]>();
    for (const def of definitions) {
      const bar = def.name.indexOf("|");
      if (bar < 0) {
        const meta = def.meta ?? REDIS_COMMANDS[def.name];
        if (!meta) throw new Error(`no Redis metadata for command '${def.name}'`);
        this.commands.set(def.name, makeCommand(meta, def.handler, null));
      } else {
        const container = def.name.slice(0, bar);
        const list = subs.get(container) ?? [];
        list.push(def);
        subs.set(container, list);
      }
    }
    for (const [container, defs] of subs) {
      const meta = REDIS_COMMANDS[container];
      if (!meta) throw new Error(`no Redis metadata for container '${container}'`);
      // A container may also run on its own (COMMAND with no subcommand): keep its handler.
      const own = this.commands.get(container)?.handler ?? containerHandler;
      const parent = makeCommand(meta, own, null, new Map());
      for (const def of defs) {
        const subMeta = meta.subcommands[def.name];
        if (!subMeta) throw new Error(`no Redis metadata for subcommand '${def.name}'`);
        parent.subcommands!.set(
          def.name.slice(container.length + 1),
          makeCommand(subMeta, def.handler, parent),
        );
      }
      this.commands.set(container, parent);
    }
    for (const [name, cmd] of this.commands) this.byUpperName.set(name.toUpperCase(), cmd);
  }

  /** The command (or container) with this name, any case. */
  get(name: string): Command | undefined {
    return this.byUpperName.get(name) ?? this.commands.get(name) ?? this.commands.get(name.toLowerCase());
  }

  /**
   * Resolves argv to a command like Redis's lookupCommand: a container with at least two arguments
   * resolves to its subcommand (undefined if unknown).
   */
  lookup(argv: readonly string[]): Command | undefined {
    const cmd = this.get(argv[0]!);
    if (!cmd || !cmd.subcommands || argv.length < 2) return cmd;
    const sub = argv[1]!;
    return cmd.subcommands.get(sub) ?? cmd.subcommands.get(sub.toLowerCase());
  }

  /** True if `name` is a container command (has subcommands). */
  isContainer(name: string): boolean {
    return this.get(name)?.subcommands != null;
  }

  /** All top-level commands. */
  all(): IterableIterator<Command> {
    return this.commands.values();
  }

  get size(): number {
    return this.commands.size;
  }
}

function makeCommand(
  meta: CommandMeta,
  handler: CommandHandler,
  parent: Command | null,
  subcommands: Map<string, Command> | null = null,
): Command {
  const has = (flag: string) => meta.flags.includes(flag);
  return {
    meta,
    fullName: meta.name,
    arity: meta.arity,
    handler,
    subcommands,
    parent,
    isWrite: has("write"),
    isReadonly: has("readonly"),
    isDenyOom: has("denyoom"),
    isNoAuth: has("no_auth"),
    isNoMulti: has("no_multi"),
    isNoScript: has("noscript"),
    isFast: has("fast"),
    isAdmin: has("admin"),
    isBlocking: has("blocking"),
  };
}
