/**
 * ACL commands: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, HELP (Redis 7.0's
 * ACL family; the users store and rule logic live in `src/acl/`). Not implemented: LOG, DRYRUN,
 * LOAD, SAVE (they answer the unknown-subcommand error).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { aclOf, disconnectLostSubscribers, disconnectUserClients } from "../acl/index.js";
import { ACL_CATEGORIES, ALL_COMMAND_METAS, hasSpaces, lookupMeta, type Selector } from "../acl/selector.js";
import { AclErr, Err, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { eqi, readInt } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition, CommandMeta } from "./spec.js";

/** ACL SETUSER username [rule [rule ...]] */
function aclSetuserCommand(c: Client): void {
  const name = c.argv[2]!;
  if (hasSpaces(name)) throw new RedisError(AclErr.usernameSpaces);
  const store = aclOf(c.server);
  const before = store.get(name);
  const error = store.setUser(name, c.argv.slice(3));
  // Redis's addReplyErrorSdsSafe: line breaks inside the echoed rule become spaces.
  if (error !== null) throw new RedisError(AclErr.setUser(error.replace(/[\r\n]/g, " ")));
  c.reply.simple("OK");
  if (before) disconnectLostSubscribers(c, before, store.get(name)!);
}

/** The commands/keys/channels fields of a selector (Redis's aclAddReplySelectorDescription). */
function replySelector(c: Client, s: Selector): void {
  c.reply.bulk("commands");
  c.reply.bulk(s.describeCommands());
  c.reply.bulk("keys");
  c.reply.bulk(s.describeKeys());
  c.reply.bulk("channels");
  c.reply.bulk(s.describeChannels());
}

/** ACL GETUSER username */
function aclGetuserCommand(c: Client): void {
  const user = aclOf(c.server).get(c.argv[2]!);
  if (!user) return c.reply.nullBulk();
  const r = c.reply;
  r.map(6);
  r.bulk("flags");
  const flags = user.flags();
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk("passwords");
  r.array(user.passwords.length);
  for (const p of user.passwords) r.bulk(p);
  replySelector(c, user.root);
  r.bulk("selectors");
  const extra = user.selectors.slice(1);
  r.array(extra.length);
  for (const s of extra) {
    r.map(3);
    replySelector(c, s);
  }
}

/** ACL DELUSER username [username ...] */
function aclDeluserCommand(c: Client): void {
  const names = c.argv.slice(2);
  if (names.includes("default")) throw new RedisError(AclErr.deleteDefault);
  const store = aclOf(c.server);
  let deleted = 0;
  const gone: string[] = [];
  for (const name of names) {
    if (!store.delete(name)) continue;
    deleted++;
    gone.push(name);
  }
  c.reply.integer(deleted);
  // After the reply: a caller authenticated as a deleted user is closed once it is written.
  for (const name of gone) disconnectUserClients(c, name);
}

/** ACL LIST */
function aclListCommand(c: Client): void {
  const users = aclOf(c.server).list();
  c.reply.array(users.length);
  for (const u of users) c.reply.bulk(`user ${u.name} ${u.describe()}`);
}

/** ACL USERS */
function aclUsersCommand(c: Client): void {
  const users = aclOf(c.server).list();
  c.reply.array(users.length);
  for (const u of users) c.reply.bulk(u.name);
}

/** ACL WHOAMI */
function aclWhoamiCommand(c: Client): void {
  c.reply.bulk(c.user);
}

/** ACL CAT [category] */
function aclCatCommand(c: Client): void {
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "acl"));
  if (c.argv.length === 2) {
    c.reply.array(ACL_CATEGORIES.length);
    for (const cat of ACL_CATEGORIES) c.reply.bulk(cat);
    return;
  }
  const category = c.argv[2]!.toLowerCase();
  if (!(ACL_CATEGORIES as readonly string[]).includes(category))
    throw new RedisError(AclErr.unknownCategory(c.argv[2]!));
  const names = ALL_COMMAND_METAS.filter((m) => m.aclCategories.includes(`@${category}`)).map((m) => m.name);
  c.reply.array(names.length);
  for (const n of names) c.reply.bulk(n);
}

/** ACL GENPASS [bits] */
function aclGenpassCommand(c: Client): void {
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "acl"));
  let bits = 256;
  if (c.argv.length > 2) {
    bits = readInt(c.argv[2]!);
    if (bits <= 0 || bits > 4096) throw new RedisError(AclErr.genpassBits);
  }
  const chars = Math.floor((bits + 3) / 4);
  c.reply.bulk(
    randomBytes(Math.ceil(chars / 2))
      .toString("hex")
      .slice(0, chars),
  );
}

/** ACL LOG [count | RESET] */
function aclLogCommand(c: Client): void {
  if (c.argv.length > 3) throw new RedisError(Err.subcommandSyntax(c.argv[1]!, "acl"));
  const store = aclOf(c.server);
  let count = 10;
  if (c.argv.length === 3) {
    if (eqi(c.argv[2]!, "reset")) {
      store.log.length = 0;
      return c.reply.simple("OK");
    }
    count = Math.max(0, readInt(c.argv[2]!));
  }
  const entries = store.log.slice(0, count);
  const now = c.server.clock.now();
  const r = c.reply;
  r.array(entries.length);
  for (const e of entries) {
    r.map(7);
    r.bulk("count");
    r.integer(e.count);
    r.bulk("reason");
    r.bulk(e.reason);
    r.bulk("context");
    r.bulk(e.context);
    r.bulk("object");
    r.bulk(e.object);
    r.bulk("username");
    r.bulk(e.username);
    r.bulk("age-seconds");
    r.double((now - e.ctime) / 1000);
    r.bulk("client-info");
    r.bulk(e.clientInfo);
  }
}

/** Redis's lookupCommand over the full 7.0 table: a container with a subcommand argument resolves to it. */
function lookupFull(argv: readonly string[]): CommandMeta | undefined {
  const meta = lookupMeta(argv[0]!);
  if (!meta || argv.length < 2 || Object.keys(meta.subcommands).length === 0) return meta;
  if (argv[1]!.includes("|")) return undefined;
  return lookupMeta(`${meta.name}|${argv[1]!}`);
}

/** ACL DRYRUN username command [arg ...] */
function aclDryrunCommand(c: Client): void {
  const store = aclOf(c.server);
  const name = c.argv[2]!;
  if (!store.get(name)) throw new RedisError(AclErr.userNotFound(name));
  const argv = c.argv.slice(3);
  const meta = lookupFull(argv);
  if (!meta) throw new RedisError(AclErr.commandNotFound(argv[0]!));
  if ((meta.arity > 0 && meta.arity !== argv.length) || argv.length < -meta.arity) {
    throw new RedisError(Err.wrongArity(meta.name));
  }
  const denial = store.check(name, meta, argv);
  if (denial === null) return c.reply.simple("OK");
  if (denial.reason === "cmd") return c.reply.bulk(AclErr.dryrunCommand(meta.name));
  c.reply.bulk(
    denial.reason === "key" ? AclErr.dryrunKey(denial.object) : AclErr.dryrunChannel(denial.object),
  );
}

/** Node's error code as C's strerror() text (the common cases of opening a file). */
function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "No such file or directory";
  if (code === "EACCES") return "Permission denied";
  if (code === "EISDIR") return "Is a directory";
  return (e as Error).message;
}

/** ACL LOAD */
function aclLoadCommand(c: Client): void {
  const file = c.server.config.get("aclfile");
  if (file === "") throw new RedisError(AclErr.noAclFile);
  let text: string;
  try {
    text = readFileSync(file, "latin1");
  } catch (e) {
    throw new RedisError(AclErr.loadOpen(file, strerror(e)));
  }
  const store = aclOf(c.server);
  const before = new Set(store.list().map((u) => u.name));
  const error = store.load(text, file);
  if (error !== null) throw new RedisError(AclErr.setUser(error));
  c.reply.simple("OK");
  // As Redis frees the previous users: their connections (not default's) are closed.
  for (const name of before) if (name !== "default") disconnectUserClients(c, name);
}

/** ACL SAVE */
function aclSaveCommand(c: Client): void {
  const file = c.server.config.get("aclfile");
  if (file === "") throw new RedisError(AclErr.noAclFile);
  // Written to a temporary file renamed over the old one, as Redis does.
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, aclOf(c.server).serialize(), "latin1");
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
    throw new RedisError(AclErr.saveFailed);
  }
  c.reply.simple("OK");
}

const HELP_LINES = [
  "CAT [<category>]",
  "    List all commands that belong to <category>, or all command categories",
  "    when no category is specified.",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "DRYRUN <username> <command> [<arg> ...]",
  "    Returns whether the user can execute the given command without executing the command.",
  "GETUSER <username>",
  "    Get the user's details.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "LOAD",
  "    Reload users from the ACL file.",
  "LOG [<count> | RESET]",
  "    Show the ACL log entries.",
  "SAVE",
  "    Save the current config to the ACL file.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
];

/** ACL HELP */
function aclHelpCommand(c: Client): void {
  replyHelp(c, HELP_LINES);
}

export const aclCommands: CommandDefinition[] = [
  { name: "acl|setuser", handler: aclSetuserCommand },
  { name: "acl|getuser", handler: aclGetuserCommand },
  { name: "acl|deluser", handler: aclDeluserCommand },
  { name: "acl|list", handler: aclListCommand },
  { name: "acl|users", handler: aclUsersCommand },
  { name: "acl|whoami", handler: aclWhoamiCommand },
  { name: "acl|cat", handler: aclCatCommand },
  { name: "acl|genpass", handler: aclGenpassCommand },
  { name: "acl|help", handler: aclHelpCommand },
  { name: "acl|log", handler: aclLogCommand },
  { name: "acl|dryrun", handler: aclDryrunCommand },
  { name: "acl|load", handler: aclLoadCommand },
  { name: "acl|save", handler: aclSaveCommand },
];
