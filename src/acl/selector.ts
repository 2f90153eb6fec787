/**
 * An ACL selector (Redis 7.0's aclSelector): which commands, keys and channels it allows, the
 * rules that change it, the permission check, and its description in ACL SETUSER syntax. Pure
 * value logic: no protocol, no server. The command universe is the full Redis 7.0.15 table of
 * the generated metadata, as Redis's `orig_commands` (so categories count the same commands).
 */
import { REDIS_COMMANDS } from "../commands/registry.js";
import type { CommandMeta } from "../commands/spec.js";
import { globMatch } from "../util/glob.js";

/** Why a rule was refused (Redis's errno values of ACLSetSelector / ACLSetUser). */
export type RuleError = "ENOENT" | "EINVAL" | "EEXIST" | "EISDIR" | "ENODEV" | "EBADMSG" | "ECHILD";

/** Thrown by rule parsing; the store turns it into Redis's error text. */
export class RuleFailure extends Error {
  constructor(readonly code: RuleError) {
    super(code);
  }
}

/** Redis 7.0's ACL categories, in its table order (ACL CAT; rule descriptions try them in order). */
export const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;

/** Every command and subcommand of the table, containers before their subcommands. */
export const ALL_COMMAND_METAS: readonly CommandMeta[] = Object.values(REDIS_COMMANDS).flatMap((m) => [
  m,
  ...Object.values(m.subcommands),
]);

/** Key read/write permission bits of a key pattern. */
export const KEY_READ = 1;
export const KEY_WRITE = 2;
const KEY_ALL = KEY_READ | KEY_WRITE;

/** A key pattern with the access it grants. */
export interface KeyPattern {
  pattern: string;
  flags: number;
}

/** Resolves a command name (`get`, `config|get`) in the full table, any case. */
export function lookupMeta(name: string): CommandMeta | undefined {
  const lower = name.toLowerCase();
  const bar = lower.indexOf("|");
  if (bar < 0) return REDIS_COMMANDS[lower];
  // Redis's lookupCommandBySdsLogic: exactly one `|` (container|sub).
  if (lower.indexOf("|", bar + 1) >= 0) return undefined;
  return REDIS_COMMANDS[lower.slice(0, bar)]?.subcommands[lower];
}

function inCategory(meta: CommandMeta, category: string): boolean {
  return meta.aclCategories.includes(`@${category}`);
}

/** Redis's ACLStringHasSpaces: C isspace() characters or NUL. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** One selector: the root selector of a user or one of its `(...)` selectors. */
export class Selector {
  /** Allowed commands by full name (Redis's command bitmap). */
  allowed = new Set<string>();
  /** SELECTOR_FLAG_ALLCOMMANDS: set by +@all, cleared when any command bit is cleared. */
  allCommands = false;
  /** The reserved "future commands" bit: set by +@all, cleared only by -@all. */
  futureCommands = false;
  /** First arguments allowed for otherwise denied commands (`+select|0`), by command name. */
  firstArgs = new Map<string, string[]>();
  allKeys = false;
  patterns: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];

  constructor(readonly root: boolean) {}

  /** A deep copy (SETUSER works on a copy so a bad rule changes nothing). */
  clone(): Selector {
    const s = new Selector(this.root);
    s.allowed = new Set(this.allowed);
    s.allCommands = this.allCommands;
    s.futureCommands = this.futureCommands;
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    s.allKeys = this.allKeys;
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.allChannels = this.allChannels;
    s.channels = [...this.channels];
    return s;
  }

  private setBit(name: string, allow: boolean): void {
    if (allow) this.allowed.add(name);
    else {
      this.allowed.delete(name);
      this.allCommands = false;
    }
  }

  /** Redis's ACLChangeSelectorPerm: a command and all its subcommands. */
  changePerm(meta: CommandMeta, allow: boolean): void {
    this.setBit(meta.name, allow);
    this.firstArgs.delete(meta.name);
    for (const sub of Object.values(meta.subcommands)) this.setBit(sub.name, allow);
  }

  /** Allows or denies every command (and subcommand) of a category. */
  private setCategory(category: string, allow: boolean): void {
    for (const meta of ALL_COMMAND_METAS) if (inCategory(meta, category)) this.changePerm(meta, allow);
  }

  private setAll(allow: boolean): void {
    this.allowed = allow ? new Set(ALL_COMMAND_METAS.map((m) => m.name)) : new Set();
    this.allCommands = allow;
    this.futureCommands = allow;
    this.firstArgs.clear();
  }

  /** Applies one selector rule (Redis's ACLSetSelector). Throws {@link RuleFailure}. */
  apply(op: string): void {
    const lower = op.toLowerCase();
    if (lower === "allkeys" || op === "~*") {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === "resetkeys") {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === "allchannels" || op === "&*") {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === "resetchannels") {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === "allcommands" || lower === "+@all") {
      this.setAll(true);
    } else if (lower === "nocommands" || lower === "-@all") {
      this.setAll(false);
    } else if (op[0] === "~" || op[0] === "%") {
      this.addKeyPattern(op);
    } else if (op[0] === "&") {
      if (this.allChannels) throw new RuleFailure("EISDIR");
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) throw new RuleFailure("EINVAL");
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === "+" && op[1] !== "@") {
      this.allowCommand(op.slice(1));
    } else if (op[0] === "-" && op[1] !== "@") {
      const meta = lookupMeta(op.slice(1));
      if (!meta) throw new RuleFailure("ENOENT");
      this.changePerm(meta, false);
    } else if ((op[0] === "+" || op[0] === "-") && op[1] === "@") {
      const category = op.slice(2).toLowerCase();
      if (!(ACL_CATEGORIES as readonly string[]).includes(category)) throw new RuleFailure("ENOENT");
      this.setCategory(category, op[0] === "+");
    } else {
      throw new RuleFailure("EINVAL");
    }
  }

  private addKeyPattern(op: string): void {
    if (this.allKeys) throw new RuleFailure("EEXIST");
    let flags = 0;
    let offset = 1;
    if (op[0] === "%") {
      for (; offset < op.length; offset++) {
        const ch = op[offset]!.toUpperCase();
        if (ch === "R" && !(flags & KEY_READ)) flags |= KEY_READ;
        else if (ch === "W" && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
        else if (op[offset] === "~") {
          offset++;
          break;
        } else throw new RuleFailure("EINVAL");
      }
    } else {
      flags = KEY_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new RuleFailure("EINVAL");
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing) existing.flags |= flags;
    else this.patterns.push({ pattern, flags });
    this.allKeys = false;
  }

  /** `+name`, `+container|sub`, or `+command|first-arg`. */
  private allowCommand(name: string): void {
    const bar = name.lastIndexOf("|");
    if (bar < 0) {
      const meta = lookupMeta(name);
      if (!meta) throw new RuleFailure("ENOENT");
      this.changePerm(meta, true);
      return;
    }
    const container = name.slice(0, bar);
    const sub = name.slice(bar + 1);
    const meta = lookupMeta(container);
    if (!meta) throw new RuleFailure("ENOENT");
    if (container.includes("|")) throw new RuleFailure("ECHILD");
    if (sub === "") throw new RuleFailure("EINVAL");
    if (Object.keys(meta.subcommands).length > 0) {
      const subMeta = lookupMeta(name);
      if (!subMeta) throw new RuleFailure("ENOENT");
      this.changePerm(subMeta, true);
    } else {
      const list = this.firstArgs.get(meta.name) ?? [];
      if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
      this.firstArgs.set(meta.name, list);
    }
  }

  /** Whether the command (not its keys) may run (the first part of ACLSelectorCheckCmd). */
  allowsCommand(meta: CommandMeta, argv: readonly string[]): boolean {
    if (this.allCommands || meta.flags.includes("no_auth") || this.allowed.has(meta.name)) return true;
    const first = this.firstArgs.get(meta.name);
    const arg = argv[meta.name.includes("|") ? 2 : 1];
    return (
      first !== undefined && arg !== undefined && first.some((a) => a.toLowerCase() === arg.toLowerCase())
    );
  }

  /** Redis's ACLSelectorCheckKey: a key with access `flags` (KEY_READ/KEY_WRITE, 0 for any). */
  allowsKey(key: string, flags: number): boolean {
    if (this.allKeys) return true;
    for (const p of this.patterns) {
      if ((p.flags & flags) !== flags) continue;
      if (globMatch(p.pattern, key)) return true;
    }
    return false;
  }

  /** Redis's ACLCheckChannelAgainstList: patterns are compared literally when `isPattern`. */
  allowsChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return this.channels.some((p) => (isPattern ? p === channel : globMatch(p, channel)));
  }

  /** Key patterns as ACL LIST shows them (`~a %R~b`), space separated. */
  describeKeys(): string {
    if (this.allKeys) return "~*";
    return this.patterns
      .map((p) => `${p.flags === KEY_ALL ? "" : p.flags === KEY_READ ? "%R" : "%W"}~${p.pattern}`)
      .join(" ");
  }

  /** Channel patterns as GETUSER shows them (`&a &b`). */
  describeChannels(): string {
    if (this.allChannels) return "&*";
    return this.channels.map((c) => `&${c}`).join(" ");
  }

  /**
   * Redis's ACLDescribeSelectorCommandRules: rebuilds a rule string from the allowed set,
   * starting from +@all or -@all, then the best-fitting categories, then single commands.
   */
  describeCommands(): string {
    const additive = !this.futureCommands;
    const rules = [additive ? "-@all" : "+@all"];
    const fake = new Selector(false);
    fake.setAll(!additive);
    const temp = new Selector(false);
    temp.allowed = new Set(this.allowed);
    const applied = new Set<string>();
    for (;;) {
      let best: string | null = null;
      let minDiff = Infinity;
      let maxSame = 0;
      for (const category of ACL_CATEGORIES) {
        if (applied.has(category)) continue;
        let on = 0;
        let off = 0;
        for (const meta of ALL_COMMAND_METAS) {
          if (!inCategory(meta, category)) continue;
          if (temp.allowed.has(meta.name)) on++;
          else off++;
        }
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = category;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best === null) break;
      fake.setCategory(best, additive);
      temp.setCategory(best, !additive);
      rules.push(`${additive ? "+" : "-"}@${best}`);
      applied.add(best);
    }
    for (const top of Object.values(REDIS_COMMANDS)) {
      this.describeSingle(top, fake, rules);
      for (const sub of Object.values(top.subcommands)) this.describeSingle(sub, fake, rules);
      const first = this.firstArgs.get(top.name);
      if (!this.allowed.has(top.name) && first) for (const a of first) rules.push(`+${top.name}|${a}`);
    }
    return rules.join(" ");
  }

  private describeSingle(meta: CommandMeta, fake: Selector, rules: string[]): void {
    const user = this.allowed.has(meta.name);
    if (user !== fake.allowed.has(meta.name)) {
      rules.push(`${user ? "+" : "-"}${meta.name}`);
      fake.changePerm(meta, user);
    }
  }

  /** Redis's ACLDescribeSelector: keys, channels, then command rules. */
  describe(): string {
    const parts: string[] = [];
    const keys = this.describeKeys();
    if (keys !== "") parts.push(keys);
    if (this.allChannels) parts.push("&*");
    else {
      parts.push("resetchannels");
      for (const c of this.channels) parts.push(`&${c}`);
    }
    parts.push(this.describeCommands());
    return parts.join(" ");
  }
}
