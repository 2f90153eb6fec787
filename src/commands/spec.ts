/**
 * Command table types. Metadata (arity, flags, key specs, ACL categories, COMMAND INFO/DOCS
 * replies) is generated from a pinned redis-server 7.0.15 into `generated/commands.json`
 * (`npm run gen:specs`); family modules contribute only names and handlers.
 */
import type { Client } from "../server/client.js";

/** A reply captured from Redis, re-emitted by the reply writer in either protocol. See `replyTree.ts`. */
export type ReplyTree = number | string | boolean | null | ReplyTree[];

/** Where key arguments start (Redis key-spec begin_search). */
export type BeginSearch =
  | { type: "index"; index: number }
  | { type: "keyword"; keyword: string; startFrom: number }
  | { type: "unknown" };

/** How key arguments continue (Redis key-spec find_keys). */
export type FindKeys =
  | { type: "range"; lastKey: number; keyStep: number; limit: number }
  | { type: "keynum"; keyNumIdx: number; firstKey: number; keyStep: number }
  | { type: "unknown" };

/** One key specification. */
export interface KeySpec {
  /** Free-text notes Redis attaches to some specs. */
  notes?: string;
  flags: string[];
  beginSearch: BeginSearch;
  findKeys: FindKeys;
}

/** Generated metadata of one command or subcommand. */
export interface CommandMeta {
  /** Lower case; subcommands are `container|sub`. */
  name: string;
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  aclCategories: string[];
  tips: string[];
  keySpecs: KeySpec[];
  subcommands: Record<string, CommandMeta>;
  /** This command's COMMAND INFO entry. */
  info: ReplyTree;
  /** This command's COMMAND DOCS value. */
  docs: ReplyTree;
}

/** Runs a command for a client: reads `client.argv`, writes through `client.reply`. Throws RedisError. */
export type CommandHandler = (client: Client) => void;

/** What a family module declares for each command it implements. */
export interface CommandDefinition {
  /** Lower-case name; `container|sub` for a subcommand. */
  name: string;
  handler: CommandHandler;
  /**
   * Hand-written metadata, only for commands newer than the pinned reference server (which has
   * none for them); everything else takes its metadata from `generated/commands.json`.
   */
  meta?: CommandMeta;
}

/** A resolved, implemented command, as the dispatcher uses it. */
export interface Command {
  readonly meta: CommandMeta;
  /** `get`, or `client|id` for a subcommand. */
  readonly fullName: string;
  readonly arity: number;
  readonly handler: CommandHandler;
  /** Implemented subcommands of a container command (e.g. CLIENT), by lower-case name. */
  readonly subcommands: Map<string, Command> | null;
  readonly parent: Command | null;
  readonly isWrite: boolean;
  readonly isReadonly: boolean;
  readonly isDenyOom: boolean;
  readonly isNoAuth: boolean;
  readonly isNoMulti: boolean;
  readonly isNoScript: boolean;
  readonly isFast: boolean;
  readonly isAdmin: boolean;
  readonly isBlocking: boolean;
}
