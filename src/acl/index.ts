/**
 * The ACL users store of each server, created on first use (the server core knows nothing of
 * ACL): `aclOf(server)` is how commands, AUTH and the dispatcher reach it.
 */
import { readFileSync } from "node:fs";
import type { Client } from "../server/client.js";
import type { Command } from "../commands/spec.js";
import { AclErr } from "../errors.js";
import { clientInfoString } from "../commands/client.js";
import { globMatch } from "../util/glob.js";
import { AclStore, type AclDenial, type AclLogEntry } from "./store.js";
import type { User } from "./user.js";

type Server = Client["server"];

/** The users store of `server`, whose default user follows its `requirepass`. */
export function aclOf(server: Server): AclStore {
  // A property of the server (not a WeakMap): every command reads it.
  let store = server.aclStore;
  if (!store) {
    store = new AclStore(
      () => server.config.get("requirepass"),
      () => server.config.get("acl-pubsub-default"),
    );
    // Redis loads the aclfile at startup; here on first use (a file that fails to load leaves
    // only the default user, where Redis would refuse to start).
    const file = server.config.get("aclfile");
    if (file !== "") {
      try {
        store.load(readFileSync(file, "latin1"), file);
      } catch {
        // An unreadable file: no users but default, as above.
      }
    }
    server.aclStore = store;
    const users = store;
    server.defaultUserRequiresAuth = () => {
      const user = users.get("default");
      return user === undefined || !user.enabled || !user.nopass;
    };
  }
  return store;
}

/**
 * Redis's ACLCheckAllPerm for a command about to run for `client` as `user` (the client's own
 * user unless a script runs for its caller): null when allowed, else why it is refused.
 */
export function aclDenial(client: Client, command: Command, user = client.user): AclDenial {
  const server = client.server;
  // No store yet and no aclfile to load: only the untouched `default` user exists, allowed
  // everything (creating the store would copy the command table for each fresh server).
  if (server.aclStore === undefined && server.config.get("aclfile") === "") return null;
  const store = aclOf(server);
  const u = store.peek(user);
  // The common case (a user allowed everything) skips key extraction.
  if (u !== undefined && u.selectors.length === 1) {
    const root = u.root;
    if (root.allCommands && root.allKeys && root.allChannels) return null;
  }
  return store.check(user, command.meta, client.argv);
}

/** The NOPERM error the dispatcher replies for a refused command (processCommand's texts). */
export function aclCheckCommand(client: Client, command: Command): string | null {
  const denial = aclDenial(client, command);
  if (denial === null) return null;
  logDenial(client, client, command, denial, client.multiQueue !== null ? "multi" : "toplevel");
  if (denial.reason === "cmd") return AclErr.noPermCommand(command.fullName);
  return denial.reason === "key" ? AclErr.noPermKey : AclErr.noPermChannel;
}

/** The error a script's redis.call gets for a refused command (scriptCall's texts). */
export function aclCheckScriptCommand(client: Client, command: Command, caller: Client): string | null {
  const denial = aclDenial(client, command, caller.user);
  if (denial === null) return null;
  logDenial(caller, caller, command, denial, "lua");
  if (denial.reason === "cmd") return AclErr.scriptNoPermCommand;
  return denial.reason === "key" ? AclErr.scriptNoPermKey : AclErr.scriptNoPermChannel;
}

const REASONS = { cmd: "command", key: "key", channel: "channel" } as const;

/** Adds the ACL LOG entry of a refused command; `client` is the one whose line the log shows. */
function logDenial(
  client: Client,
  user: Client,
  command: Command,
  denial: NonNullable<AclDenial>,
  context: AclLogEntry["context"],
): void {
  const object = denial.reason === "cmd" ? command.fullName : denial.object;
  addLog(client, { reason: REASONS[denial.reason], context, object, username: user.user });
}

/** Adds the ACL LOG entry of a failed AUTH / HELLO AUTH for `username`. */
export function aclLogAuthFailure(client: Client, username: string): void {
  const context = client.multiQueue !== null ? "multi" : "toplevel";
  // The object is the command name as the client typed it (AUTH, hello...).
  addLog(client, { reason: "auth", context, object: client.argv[0]!, username });
}

function addLog(
  client: Client,
  entry: Pick<AclLogEntry, "reason" | "context" | "object" | "username">,
): void {
  const server = client.server;
  const maxLen = Number(server.config.get("acllog-max-len"));
  aclOf(server).addLog(
    { ...entry, ctime: server.clock.now(), clientInfo: clientInfoString(client, client) },
    maxLen,
  );
}

/**
 * Redis's ACLFreeUserAndKillClients: every connection authenticated as `name` goes back to the
 * default user unauthenticated and is closed (`current`, the caller, once its reply is written).
 */
export function disconnectUserClients(current: Client, name: string): void {
  for (const other of current.server.clients.values()) {
    if (other.user !== name) continue;
    other.user = "default";
    other.authenticated = false;
    // In-process callers are not connections: they just lose their authentication.
    if (other.transport === null) continue;
    other.closing = true;
    other.transport.close(other === current);
  }
}

/**
 * Redis's ACLKillPubsubClientsIfNeeded, after ACL SETUSER changed `before` into `after`: unless
 * the new user allows every channel or keeps every channel pattern it had, each subscriber
 * authenticated as it whose channels, patterns or shard channels the new patterns no longer
 * allow is closed (`current`, the caller, once its reply is written).
 */
export function disconnectLostSubscribers(current: Client, before: User, after: User): void {
  if (after.selectors.some((s) => s.allChannels)) return;
  const upcoming = new Set(after.selectors.flatMap((s) => s.channels));
  if (before.selectors.every((s) => s.channels.every((c) => upcoming.has(c)))) return;
  const allowed = (channel: string, isPattern: boolean): boolean =>
    [...upcoming].some((p) => (isPattern ? p === channel : globMatch(p, channel)));
  for (const other of current.server.clients.values()) {
    if (other.user !== after.name || other.subscriptionCount === 0 || other.transport === null) continue;
    const lost =
      [...other.patterns].some((p) => !allowed(p, true)) ||
      [...other.channels].some((c) => !allowed(c, false)) ||
      [...other.shardChannels].some((c) => !allowed(c, false));
    if (!lost) continue;
    other.closing = true;
    other.transport.close(other === current);
  }
}
