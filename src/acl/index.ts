/**
 * The ACL users store of each server, created on first use (the server core knows nothing of
 * ACL): `aclOf(server)` is how commands, AUTH and the dispatcher reach it.
 */
import type { Client } from "../server/client.js";
import type { Command } from "../commands/spec.js";
import { AclErr } from "../errors.js";
import { AclStore, type AclDenial } from "./store.js";

type Server = Client["server"];

const stores = new WeakMap<Server, AclStore>();

/** The users store of `server`, whose default user follows its `requirepass`. */
export function aclOf(server: Server): AclStore {
  let store = stores.get(server);
  if (!store) {
    store = new AclStore(() => server.config.get("requirepass"));
    stores.set(server, store);
  }
  return store;
}

/**
 * Redis's ACLCheckAllPerm for a command about to run for `client` as `user` (the client's own
 * user unless a script runs for its caller): null when allowed, else why it is refused.
 */
export function aclDenial(client: Client, command: Command, user = client.user): AclDenial {
  const store = aclOf(client.server);
  const u = store.get(user);
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
  if (denial.reason === "cmd") return AclErr.noPermCommand(command.fullName);
  return denial.reason === "key" ? AclErr.noPermKey : AclErr.noPermChannel;
}

/** The error a script's redis.call gets for a refused command (scriptCall's texts). */
export function aclCheckScriptCommand(client: Client, command: Command, caller: Client): string | null {
  const denial = aclDenial(client, command, caller.user);
  if (denial === null) return null;
  if (denial.reason === "cmd") return AclErr.scriptNoPermCommand;
  return denial.reason === "key" ? AclErr.scriptNoPermKey : AclErr.scriptNoPermChannel;
}
