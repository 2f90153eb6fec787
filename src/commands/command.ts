/**
 * The COMMAND container: introspection of the command table. Replies are replayed from the reply
 * trees captured from Redis 7.0.15 (`meta.info`, `meta.docs`), restricted to what reddish
 * implements: only implemented commands are listed, and a container's entry lists only its
 * implemented subcommands.
 */
import { RedisError, ServerErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { globMatch } from "../util/glob.js";
import { eqi, syntaxError } from "./args.js";
import { keysOrError } from "./keys.js";
import { emitReplyTree } from "./replyTree.js";
import type { Command, CommandDefinition, ReplyTree } from "./spec.js";

/**
 * Writes Redis's help reply (addReplyHelp): a header naming the container, the given lines, and
 * the closing HELP entry, each as a status reply.
 */
export function replyHelp(c: Client, lines: readonly string[]): void {
  const name = c.argv[0]!.toUpperCase();
  c.reply.array(lines.length + 3);
  c.reply.simple(`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) c.reply.simple(line);
  c.reply.simple("HELP");
  c.reply.simple("    Prints this help.");
}

const infoCache = new WeakMap<Command, ReplyTree>();
const docsCache = new WeakMap<Command, ReplyTree>();

/** The COMMAND INFO entry of a command, its subcommand list limited to implemented ones. */
export function commandInfoTree(cmd: Command): ReplyTree {
  let tree = infoCache.get(cmd);
  if (tree === undefined) {
    tree = cmd.meta.info;
    const subs = cmd.subcommands;
    if (subs && Array.isArray(tree)) {
      const implemented = new Set([...subs.values()].map((s) => s.fullName));
      const list = tree[10] as ReplyTree[];
      const kept = list.slice(1).filter((sub) => {
        const name = (sub as ReplyTree[])[1] as string;
        return implemented.has(name.slice(1).toLowerCase());
      });
      tree = [...tree.slice(0, 10), ["*", ...kept], ...tree.slice(11)];
    }
    infoCache.set(cmd, tree);
  }
  return tree;
}

/** The COMMAND DOCS value of a command, its `subcommands` map limited to implemented ones. */
export function commandDocsTree(cmd: Command): ReplyTree {
  let tree = docsCache.get(cmd);
  if (tree === undefined) {
    tree = cmd.meta.docs;
    const subs = cmd.subcommands;
    if (subs && Array.isArray(tree)) {
      const implemented = new Set([...subs.values()].map((s) => s.fullName));
      const out: ReplyTree[] = ["%"];
      for (let i = 1; i < tree.length; i += 2) {
        let value = tree[i + 1]!;
        if (tree[i] === "$subcommands" && Array.isArray(value)) {
          const kept: ReplyTree[] = ["%"];
          for (let j = 1; j < value.length; j += 2) {
            const name = (value[j] as string).slice(1).toLowerCase();
            if (implemented.has(name)) kept.push(value[j]!, value[j + 1]!);
          }
          value = kept;
        }
        out.push(tree[i]!, value);
      }
      tree = out;
    }
    docsCache.set(cmd, tree);
  }
  return tree;
}

/** Redis's lookupCommandBySds: `name` or `container|subcommand`, any case. */
function lookupByFullName(c: Client, name: string): Command | undefined {
  const parts = name.split("|");
  if (parts.length > 2) return undefined;
  const cmd = c.server.commands.get(parts[0]!);
  if (parts.length === 1 || !cmd) return cmd;
  return cmd.subcommands?.get(parts[1]!.toLowerCase());
}

/** Every implemented command and subcommand, containers before their subcommands. */
function* allCommands(c: Client): Generator<Command> {
  for (const cmd of c.server.commands.all()) {
    yield cmd;
    if (cmd.subcommands) yield* cmd.subcommands.values();
  }
}

/** COMMAND */
function commandCommand(c: Client): void {
  const all = [...c.server.commands.all()];
  c.reply.array(all.length);
  for (const cmd of all) emitReplyTree(c.reply, commandInfoTree(cmd));
}

/** COMMAND COUNT */
function commandCountCommand(c: Client): void {
  c.reply.integer(c.server.commands.size);
}

/** COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
function commandListCommand(c: Client): void {
  let filter: ((cmd: Command) => boolean) | null = null;
  for (let i = 2; i < c.argv.length; i++) {
    const more = c.argv.length - 1 - i;
    if (!eqi(c.argv[i]!, "filterby") || more !== 2) syntaxError();
    const type = c.argv[i + 1]!;
    const arg = c.argv[i + 2]!;
    if (eqi(type, "module"))
      filter = () => false; // no modules
    else if (eqi(type, "aclcat")) {
      const category = `@${arg.toLowerCase()}`;
      filter = (cmd) => cmd.meta.aclCategories.includes(category);
    } else if (eqi(type, "pattern")) filter = (cmd) => globMatch(arg, cmd.fullName, true);
    else syntaxError();
    i += 2;
  }
  const names: string[] = [];
  for (const cmd of allCommands(c)) if (!filter || filter(cmd)) names.push(cmd.fullName);
  c.reply.array(names.length);
  for (const name of names) c.reply.bulk(name);
}

/** COMMAND INFO [command-name [command-name ...]] */
function commandInfoCommand(c: Client): void {
  if (c.argv.length === 2) return commandCommand(c);
  c.reply.array(c.argv.length - 2);
  for (const name of c.argv.slice(2)) {
    const cmd = lookupByFullName(c, name);
    if (cmd) emitReplyTree(c.reply, commandInfoTree(cmd));
    else c.reply.nullBulk();
  }
}

/** COMMAND DOCS [command-name [command-name ...]] */
function commandDocsCommand(c: Client): void {
  const found: Command[] = [];
  if (c.argv.length === 2) found.push(...c.server.commands.all());
  else {
    for (const name of c.argv.slice(2)) {
      const cmd = lookupByFullName(c, name);
      if (cmd) found.push(cmd);
    }
  }
  c.reply.map(found.length);
  for (const cmd of found) {
    c.reply.bulk(cmd.fullName);
    emitReplyTree(c.reply, commandDocsTree(cmd));
  }
}

/** Redis's getKeysSubcommandImpl: resolves argv[2..] and writes its keys (and flags). */
function getKeysReply(c: Client, withFlags: boolean): void {
  const argv = c.argv.slice(2);
  const cmd = c.server.commands.lookup(argv);
  if (!cmd) throw new RedisError(ServerErr.invalidCommand);
  const keys = keysOrError(cmd.meta, argv);
  if (typeof keys === "string") throw new RedisError(keys);
  c.reply.array(keys.length);
  for (const key of keys) {
    if (!withFlags) {
      c.reply.bulk(argv[key.pos]!);
      continue;
    }
    c.reply.array(2);
    c.reply.bulk(argv[key.pos]!);
    c.reply.set(key.flags.length);
    for (const flag of key.flags) c.reply.simple(flag);
  }
}

/** COMMAND GETKEYS command [arg [arg ...]] */
function commandGetKeysCommand(c: Client): void {
  getKeysReply(c, false);
}

/** COMMAND GETKEYSANDFLAGS command [arg [arg ...]] */
function commandGetKeysAndFlagsCommand(c: Client): void {
  getKeysReply(c, true);
}

/** COMMAND HELP */
function commandHelpCommand(c: Client): void {
  replyHelp(c, [
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
  ]);
}

export const commandCommands: CommandDefinition[] = [
  { name: "command", handler: commandCommand },
  { name: "command|count", handler: commandCountCommand },
  { name: "command|list", handler: commandListCommand },
  { name: "command|info", handler: commandInfoCommand },
  { name: "command|docs", handler: commandDocsCommand },
  { name: "command|getkeys", handler: commandGetKeysCommand },
  { name: "command|getkeysandflags", handler: commandGetKeysAndFlagsCommand },
  { name: "command|help", handler: commandHelpCommand },
];
