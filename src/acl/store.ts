/**
 * The users store of one server (Redis's `Users` rax): the `default` user kept in step with
 * `requirepass`, ACL SETUSER's all-or-nothing rule application, authentication and the permission
 * check the dispatcher runs before each command. Pure logic over the command metadata.
 */
import type { CommandMeta } from "../commands/spec.js";
import { getKeys } from "../commands/keys.js";
import { hasSpaces, KEY_READ, KEY_WRITE, RuleFailure, type RuleError, type Selector } from "./selector.js";
import { User } from "./user.js";

/** Why a command was refused (Redis's ACL_DENIED_*), or null when allowed. */
export type AclDenial = { reason: "cmd" } | { reason: "key" | "channel"; object: string } | null;

/** Redis's ACLSetUserStringError texts. */
const RULE_ERRORS: Record<RuleError, string> = {
  ENOENT: "Unknown command or category name in ACL",
  EINVAL: "Syntax error",
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: "The password you are trying to remove from the user does not exist",
  EBADMSG:
    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
  ECHILD: "Allowing first-arg of a subcommand is not supported",
};

/** Redis's ACLCreateDefaultUser: on, nopass, all keys, channels and commands. */
let defaultTemplate: User | undefined;

/**
 * A fresh `default` user (+@all ~* &* on nopass). Built once and copied: applying +@all walks
 * the whole command table, which a per-test server would otherwise pay on its first command.
 */
function defaultUser(): User {
  if (defaultTemplate === undefined) {
    defaultTemplate = new User("default");
    for (const op of ["+@all", "~*", "&*", "on", "nopass"]) defaultTemplate.apply(op);
  }
  return defaultTemplate.clone();
}

/** Pub/sub commands whose arguments are channels (Redis's getChannelsFromCommand). */
const CHANNEL_ARGS: Record<string, { from: number; step: number; pattern: boolean; count?: number }> = {
  subscribe: { from: 1, step: 1, pattern: false },
  ssubscribe: { from: 1, step: 1, pattern: false },
  psubscribe: { from: 1, step: 1, pattern: true },
  publish: { from: 1, step: 1, pattern: false, count: 1 },
  spublish: { from: 1, step: 1, pattern: false, count: 1 },
};

/** What an ACL LOG entry records (Redis's ACLLogEntry). */
export interface AclLogEntry {
  count: number;
  reason: "command" | "key" | "channel" | "auth";
  context: "toplevel" | "multi" | "lua";
  object: string;
  username: string;
  /** When it last happened (ms, server clock). */
  ctime: number;
  /** The client's CLIENT LIST line then. */
  clientInfo: string;
}

/** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA: repeats within this many ms update one entry. */
const LOG_GROUPING_MS = 60000;

/** The users of one server. */
export class AclStore {
  private readonly users = new Map<string, User>();
  /** The requirepass value last applied to the default user. */
  private syncedRequirepass = "";

  /** ACL LOG, newest first. */
  readonly log: AclLogEntry[] = [];

  constructor(
    private readonly requirepass: () => string,
    /** acl-pubsub-default: new users get all channels when it is `allchannels`. */
    private readonly pubsubDefault: () => string = () => "resetchannels",
  ) {
    this.users.set("default", defaultUser());
    this.syncRequirepass();
  }

  /**
   * Redis's updateRequirePass: a changed requirepass resets the default user's passwords to it
   * (or to nopass when empty). Checked on each access, since CONFIG SET does not call in here.
   */
  private syncRequirepass(): void {
    const pass = this.requirepass();
    if (pass === this.syncedRequirepass) return;
    this.syncedRequirepass = pass;
    const d = this.users.get("default")!;
    d.apply("resetpass");
    d.apply(pass === "" ? "nopass" : `>${pass}`);
  }

  /** The user of that name, if any. */
  get(name: string): User | undefined {
    this.syncRequirepass();
    return this.users.get(name);
  }

  /**
   * The user of that name without applying a changed requirepass first: for permission checks,
   * which passwords do not affect (one map lookup per command).
   */
  peek(name: string): User | undefined {
    return this.users.get(name);
  }

  /** All users sorted by name (Redis's rax order). */
  list(): User[] {
    this.syncRequirepass();
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * ACL SETUSER: applies the rules to a copy (a new user starts as Redis's ACLCreateUser) and
   * keeps it only if every rule is valid. Returns Redis's error text (without `ERR `) or null.
   */
  setUser(name: string, args: readonly string[]): string | null {
    const merged = mergeSelectorArgs(args);
    if (typeof merged === "string") return `Unmatched parenthesis in acl selector starting at '${merged}'.`;
    const current = this.get(name);
    const user = current ? current.clone() : this.newUser(name);
    user.allChannelsOnReset = this.pubsubDefault() === "allchannels";
    for (const op of merged) {
      try {
        user.apply(op);
      } catch (e) {
        if (!(e instanceof RuleFailure)) throw e;
        return `Error in ACL SETUSER modifier '${op}': ${RULE_ERRORS[e.code]}`;
      }
    }
    this.users.set(name, user);
    return null;
  }

  /** Redis's ACLCreateUser: off, no passwords, no commands, keys or channels (unless acl-pubsub-default). */
  private newUser(name: string): User {
    const user = new User(name);
    user.allChannelsOnReset = this.pubsubDefault() === "allchannels";
    if (user.allChannelsOnReset) user.root.apply("allchannels");
    return user;
  }

  /**
   * Redis's addACLLogEntry: an entry like one of the 10 newest (same reason, context, object,
   * user, within 60 s) is counted and moved to the head; else a new one is added and the log
   * trimmed to `maxLen`.
   */
  addLog(entry: Omit<AclLogEntry, "count">, maxLen: number): void {
    for (let i = 0; i < Math.min(10, this.log.length); i++) {
      const e = this.log[i]!;
      if (
        e.reason === entry.reason &&
        e.context === entry.context &&
        e.object === entry.object &&
        e.username === entry.username &&
        entry.ctime - e.ctime <= LOG_GROUPING_MS
      ) {
        this.log.splice(i, 1);
        this.log.unshift({ ...entry, count: e.count + 1 });
        return;
      }
    }
    this.log.unshift({ ...entry, count: 1 });
    if (this.log.length > maxLen) this.log.length = maxLen;
  }

  /** The ACL file text ACL SAVE writes: one `user <name> <rules>` line per user (Redis's ACLSaveToFile). */
  serialize(): string {
    return this.list()
      .map((u) => `user ${u.name} ${u.describe()}\n`)
      .join("");
  }

  /**
   * Redis's ACLLoadFromFile on the file's text (`file` names it in errors): either every line is
   * valid and the users are replaced (a missing `default` is recreated as on nopass ~* &* +@all),
   * or nothing changes and the error text (without `ERR `) is returned.
   */
  load(text: string, file: string): string | null {
    let errors = "";
    const loaded = new Map<string, User>();
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      if (line === "") continue;
      const at = `${file}:${i + 1}`;
      const argv = line.split(" ");
      if (argv[0] !== "user" || argv.length < 2) {
        errors += `${at} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${at}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${i + 1}. `;
        continue;
      }
      const merged = mergeSelectorArgs(argv.slice(2));
      if (typeof merged === "string") {
        errors += `${at}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      const user = this.newUser(name);
      user.allChannelsOnReset = this.pubsubDefault() === "allchannels";
      // Unknown command names are all reported with the rule; other errors only the first.
      let syntaxError = false;
      for (const op of merged) {
        const rule = op.replace(/^[\t\r\n]+|[\t\r\n]+$/g, "");
        try {
          user.apply(rule);
        } catch (e) {
          if (!(e instanceof RuleFailure)) throw e;
          if (e.code === "ENOENT") {
            errors += `${at}: Error in applying operation '${rule}': ${RULE_ERRORS[e.code]}. `;
          } else if (!syntaxError) {
            errors += `${at}: ${RULE_ERRORS[e.code]}. `;
            syntaxError = true;
          }
        }
      }
      loaded.set(name, user);
    }
    if (errors !== "")
      return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    if (!loaded.has("default")) loaded.set("default", defaultUser());
    this.users.clear();
    for (const [name, user] of loaded) this.users.set(name, user);
    return null;
  }

  /** Removes a user; false if there was none. The default user is the caller's to refuse. */
  delete(name: string): boolean {
    return this.users.delete(name);
  }

  /**
   * Redis's ACLCheckUserCredentials: the user exists, is on, and the password matches (any
   * password for a nopass user).
   */
  authenticate(name: string, password: string): boolean {
    const user = this.get(name);
    return user !== undefined && user.enabled && user.checkPassword(password);
  }

  /**
   * Redis's ACLCheckAllUserCommandPerm: null if some selector of the user allows the command
   * with its keys and channels; otherwise the denial of the root selector... as Redis reports the
   * most relevant one: a key or channel denial wins over a command denial.
   */
  check(userName: string, meta: CommandMeta, argv: readonly string[]): AclDenial {
    const user = this.peek(userName);
    if (!user) return { reason: "cmd" };
    let relevant: Denied = { reason: "cmd", pos: 0 };
    for (const selector of user.selectors) {
      const denial = checkSelector(selector, meta, argv);
      if (denial === null) return null;
      // Redis keeps the most relevant denial: channel over key over command, then the later argument.
      const rank = RANK[denial.reason];
      const best = RANK[relevant.reason];
      if (rank > best || (rank === best && denial.pos > relevant.pos)) relevant = denial;
    }
    return relevant.reason === "cmd"
      ? { reason: "cmd" }
      : { reason: relevant.reason, object: argv[relevant.pos]! };
  }
}

/** A selector's refusal with the argument index it concerns. */
type Denied = { reason: "cmd" | "key" | "channel"; pos: number };

/** Redis's ACL_DENIED_* values (ACL_DENIED_AUTH, 3, never comes from a selector). */
const RANK = { cmd: 1, key: 2, channel: 4 } as const;

/** Redis's ACLSelectorCheckCmd for one selector. */
function checkSelector(selector: Selector, meta: CommandMeta, argv: readonly string[]): Denied | null {
  if (!selector.allowsCommand(meta, argv)) return { reason: "cmd", pos: 0 };
  if (!selector.allKeys && meta.keySpecs.length > 0) {
    for (const key of getKeys(meta, argv)) {
      let flags = 0;
      if (key.flags.includes("access")) flags |= KEY_READ;
      if (key.flags.includes("insert") || key.flags.includes("delete") || key.flags.includes("update"))
        flags |= KEY_WRITE;
      if (!selector.allowsKey(argv[key.pos]!, flags)) return { reason: "key", pos: key.pos };
    }
  }
  const channels = CHANNEL_ARGS[meta.name];
  if (!selector.allChannels && channels) {
    const end = channels.count !== undefined ? channels.from + channels.count : argv.length;
    for (let i = channels.from; i < end && i < argv.length; i += channels.step) {
      if (!selector.allowsChannel(argv[i]!, channels.pattern)) return { reason: "channel", pos: i };
    }
  }
  return null;
}

/**
 * Redis's ACLMergeSelectorArguments: arguments from one starting with `(` to one ending with `)`
 * are joined with spaces into one selector rule. Returns the unmatched opening argument on error.
 */
function mergeSelectorArgs(args: readonly string[]): string[] | string {
  const out: string[] = [];
  let open: string[] | null = null;
  for (const arg of args) {
    if (open === null && arg.startsWith("(") && !arg.endsWith(")")) {
      open = [arg];
    } else if (open !== null) {
      open.push(arg);
      if (arg.endsWith(")")) {
        out.push(open.join(" "));
        open = null;
      }
    } else {
      out.push(arg);
    }
  }
  if (open !== null) return open[0]!;
  return out;
}
