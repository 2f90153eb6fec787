/**
 * Hash field expiry: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME,
 * HPEXPIRETIME, HPERSIST. Deliberate difference: these arrived in Redis 7.4, after the reference
 * server (7.0.15), so they follow Redis 7.4's documentation and source (t_hash.c, the commands'
 * JSON files) instead of parity tests, and carry hand-written command metadata (arity, flags, key
 * specs, ACL categories, COMMAND DOCS) below. Behaviour is covered by test/unit/hash-field-expiry.
 */
import { Err, HashTtlErr, RedisError } from "../errors.js";
import type { Client } from "../server/client.js";
import { parseInt64 } from "../types/string.js";
import { eqi } from "./args.js";
import { lookupHashRead, lookupHashWrite } from "./hash-common.js";
import type { CommandDefinition, CommandMeta, ReplyTree } from "./spec.js";
import { NotifyClass } from "../keyspace/notify.js";

/**
 * Largest absolute field expiry, in Unix ms: Redis 7.4's HFE_MAX_ABS_TIME_MSEC
 * (EB_EXPIRE_TIME_MAX >> 2, i.e. 2^46 - 1).
 */
const HFE_MAX_ABS_TIME_MSEC = 2n ** 46n - 1n;

/** HEXPIRE's per-field reply codes. */
const NO_FIELD = -2;
const CONDITION_NOT_MET = 0;
const SET = 1;
const DELETED = 2;
/** HTTL / HPERSIST's "no TTL" code. */
const NO_TTL = -1;

type Condition = "" | "nx" | "xx" | "gt" | "lt";

/**
 * Reads `FIELDS numfields field...`, where the FIELDS keyword must be at `fieldsAt`. Returns the
 * index of the first field. Errors in Redis 7.4's order and wording.
 */
function readFields(c: Client, fieldsAt: number): number {
  const argv = c.argv;
  if (!eqi(argv[fieldsAt]!, "fields")) throw new RedisError(HashTtlErr.fieldsMissing);
  const n = parseInt64(argv[fieldsAt + 1]!);
  if (n === undefined || n < 1n) throw new RedisError(HashTtlErr.numFieldsPositive);
  if (n !== BigInt(argv.length - fieldsAt - 2)) throw new RedisError(HashTtlErr.numFieldsMismatch);
  return fieldsAt + 2;
}

/** Replies an array with `code` for each field (a missing key: every field is missing). */
function replyAll(c: Client, first: number, code: number): void {
  c.reply.array(c.argv.length - first);
  for (let i = first; i < c.argv.length; i++) c.reply.integer(code);
}

/**
 * The four HEXPIRE commands (Redis 7.4's hexpireGenericCommand): `basetime` is now for the
 * relative forms and 0 for the absolute ones; `unitMs` is 1000 for seconds, 1 for milliseconds.
 */
function hexpireGeneric(c: Client, relative: boolean, unitMs: 1 | 1000): void {
  const argv = c.argv;
  const key = argv[1]!;
  const hash = lookupHashWrite(c, key);
  const now = c.server.clock.now();
  let expire = parseInt64(argv[2]!);
  if (expire === undefined) throw new RedisError(Err.notInteger);
  if (expire < 0n) throw new RedisError(HashTtlErr.negativeExpire);
  const name = c.command!.fullName;
  if (unitMs === 1000) {
    if (expire > HFE_MAX_ABS_TIME_MSEC / 1000n) throw new RedisError(Err.invalidExpire(name));
    expire *= 1000n;
  }
  const basetime = relative ? BigInt(now) : 0n;
  if (expire > HFE_MAX_ABS_TIME_MSEC - basetime) throw new RedisError(Err.invalidExpire(name));
  const when = Number(expire + basetime);

  let condition: Condition = "";
  let fieldsAt = 3;
  const option = argv[3]!.toLowerCase();
  if (option === "nx" || option === "xx" || option === "gt" || option === "lt") {
    condition = option;
    fieldsAt = 4;
  }
  const first = readFields(c, fieldsAt);
  if (hash === undefined) {
    replyAll(c, first, NO_FIELD);
    return;
  }

  hash.enableFieldExpiry();
  const reply = c.reply;
  reply.array(argv.length - first);
  let updated = 0;
  let deleted = 0;
  for (let i = first; i < argv.length; i++) {
    const field = argv[i]!;
    if (!hash.has(field) || hash.isFieldExpired(field, now)) {
      reply.integer(NO_FIELD);
      continue;
    }
    const previous = hash.fieldExpireAt(field);
    // A field without a TTL counts as an infinite one for GT and LT (Redis 7.4's documentation).
    const met =
      previous === undefined
        ? condition !== "xx" && condition !== "gt"
        : condition === "" ||
          condition === "xx" ||
          (condition === "gt" && when > previous) ||
          (condition === "lt" && when < previous);
    if (!met) {
      reply.integer(CONDITION_NOT_MET);
      continue;
    }
    // A time that is not in the future deletes the field (Redis's checkAlreadyExpired).
    if (when <= now) {
      hash.delete(field);
      deleted++;
      reply.integer(DELETED);
      continue;
    }
    hash.setFieldExpire(field, when);
    updated++;
    reply.integer(SET);
  }
  if (updated + deleted === 0) return;
  const db = c.db;
  const keyspace = c.server.keyspace;
  c.server.dirty += updated + deleted - 1; // the dispatcher counts one
  keyspace.signalModified(db, key);
  keyspace.notify(db, NotifyClass.hash, "hexpire", key);
  if (hash.size === 0) {
    db.delete(key);
    keyspace.notify(db, NotifyClass.generic, "del", key);
  } else if (updated > 0) {
    db.trackFieldExpiry(key);
  }
}

/** HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hexpireCommand(c: Client): void {
  hexpireGeneric(c, true, 1000);
}

/** HPEXPIRE key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hpexpireCommand(c: Client): void {
  hexpireGeneric(c, true, 1);
}

/** HEXPIREAT key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hexpireatCommand(c: Client): void {
  hexpireGeneric(c, false, 1000);
}

/** HPEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hpexpireatCommand(c: Client): void {
  hexpireGeneric(c, false, 1);
}

/**
 * HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME (Redis 7.4's httlGenericCommand): per field, -2 if it is
 * missing (or expired), -1 without a TTL, else the remaining time (`relative`) or the absolute
 * time, in ms or in seconds rounded up, as Redis's `(expire + 999 - basetime) / 1000`.
 */
function httlGeneric(c: Client, relative: boolean, unitMs: 1 | 1000): void {
  const argv = c.argv;
  const hash = lookupHashRead(c, argv[1]!);
  const first = readFields(c, 2);
  if (hash === undefined) {
    replyAll(c, first, NO_FIELD);
    return;
  }
  const now = c.server.clock.now();
  const basetime = relative ? now : 0;
  const reply = c.reply;
  reply.array(argv.length - first);
  for (let i = first; i < argv.length; i++) {
    const field = argv[i]!;
    if (!hash.has(field)) {
      reply.integer(NO_FIELD);
      continue;
    }
    const when = hash.fieldExpireAt(field);
    if (when === undefined) reply.integer(NO_TTL);
    else if (when < now) reply.integer(NO_FIELD);
    else if (unitMs === 1000) reply.integer(Math.floor((when + 999 - basetime) / 1000));
    else reply.integer(when - basetime);
  }
}

/** HTTL key FIELDS numfields field [field ...] */
function httlCommand(c: Client): void {
  httlGeneric(c, true, 1000);
}

/** HPTTL key FIELDS numfields field [field ...] */
function hpttlCommand(c: Client): void {
  httlGeneric(c, true, 1);
}

/** HEXPIRETIME key FIELDS numfields field [field ...] */
function hexpiretimeCommand(c: Client): void {
  httlGeneric(c, false, 1000);
}

/** HPEXPIRETIME key FIELDS numfields field [field ...] */
function hpexpiretimeCommand(c: Client): void {
  httlGeneric(c, false, 1);
}

/** HPERSIST key FIELDS numfields field [field ...] — per field: -2 missing, -1 no TTL, 1 removed. */
function hpersistCommand(c: Client): void {
  const argv = c.argv;
  const key = argv[1]!;
  const hash = lookupHashWrite(c, key);
  const first = readFields(c, 2);
  if (hash === undefined) {
    replyAll(c, first, NO_FIELD);
    return;
  }
  const now = c.server.clock.now();
  const reply = c.reply;
  reply.array(argv.length - first);
  let changed = false;
  for (let i = first; i < argv.length; i++) {
    const field = argv[i]!;
    if (!hash.has(field)) reply.integer(NO_FIELD);
    else if (hash.isFieldExpired(field, now)) reply.integer(NO_FIELD);
    else if (hash.persistField(field)) {
      changed = true;
      reply.integer(1);
    } else reply.integer(NO_TTL);
  }
  if (!changed) return;
  c.server.keyspace.notify(c.db, NotifyClass.hash, "hpersist", key);
  c.server.keyspace.signalModified(c.db, key);
}

// ---- hand-written metadata (the reference server has none for these commands) ----

/** The key-spec and argument shapes these commands share. */
interface FieldTtlMetaSpec {
  name: string;
  arity: number;
  flags: string[];
  /** ACL categories in COMMAND INFO's order. */
  acl: string[];
  tips: string[];
  keySpecFlags: string[];
  summary: string;
  /** The time argument (`seconds`, `milliseconds`, ...); none for HTTL and HPERSIST forms. */
  timeArg?: string;
}

const KEY_ARG: ReplyTree = ["%", "$name", "$key", "$type", "$key", "$key_spec_index", 0];
const CONDITION_ARG: ReplyTree = [
  "%",
  "$name",
  "$condition",
  "$type",
  "$oneof",
  "$flags",
  ["~", "+optional"],
  "$arguments",
  [
    "*",
    ...["nx", "xx", "gt", "lt"].map((t) => [
      "%",
      "$name",
      `$${t}`,
      "$type",
      "$pure-token",
      "$token",
      `$${t.toUpperCase()}`,
    ]),
  ],
];
const FIELDS_ARG: ReplyTree = [
  "%",
  "$name",
  "$fields",
  "$type",
  "$block",
  "$token",
  "$FIELDS",
  "$arguments",
  [
    "*",
    ["%", "$name", "$numfields", "$type", "$integer"],
    ["%", "$name", "$field", "$type", "$string", "$flags", ["~", "+multiple"]],
  ],
];

/** Builds a {@link CommandMeta} with COMMAND INFO and COMMAND DOCS trees shaped like Redis's. */
function fieldTtlMeta(spec: FieldTtlMetaSpec): CommandMeta {
  const keySpec = {
    flags: spec.keySpecFlags,
    beginSearch: { type: "index", index: 1 } as const,
    findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } as const,
  };
  const keySpecTree: ReplyTree = [
    "%",
    "$flags",
    ["~", ...spec.keySpecFlags.map((f) => `+${f}`)],
    "$begin_search",
    ["%", "$type", "$index", "$spec", ["%", "$index", 1]],
    "$find_keys",
    ["%", "$type", "$range", "$spec", ["%", "$lastkey", 0, "$keystep", 1, "$limit", 0]],
  ];
  const args: ReplyTree[] = [KEY_ARG];
  if (spec.timeArg) args.push(["%", "$name", `$${spec.timeArg}`, "$type", "$integer"], CONDITION_ARG);
  args.push(FIELDS_ARG);
  return {
    name: spec.name,
    arity: spec.arity,
    flags: spec.flags,
    firstKey: 1,
    lastKey: 1,
    step: 1,
    aclCategories: spec.acl,
    tips: spec.tips,
    keySpecs: [keySpec],
    subcommands: {},
    info: [
      "*",
      `$${spec.name}`,
      spec.arity,
      ["~", ...spec.flags.map((f) => `+${f}`)],
      1,
      1,
      1,
      ["~", ...spec.acl.map((a) => `+${a}`)],
      ["~", ...spec.tips.map((t) => `$${t}`)],
      ["~", keySpecTree],
      ["~"],
    ],
    docs: [
      "%",
      "$summary",
      `$${spec.summary}`,
      "$since",
      "$7.4.0",
      "$group",
      "$hash",
      "$complexity",
      "$O(N) where N is the number of specified fields",
      "$arguments",
      ["*", ...args],
    ],
  };
}

/** Metadata of a command that sets field TTLs (HEXPIRE...). */
function setterMeta(name: string, timeArg: string, summary: string): CommandMeta {
  return fieldTtlMeta({
    name,
    arity: -6,
    flags: ["write", "denyoom", "fast"],
    acl: ["@write", "@hash", "@fast"],
    tips: [],
    keySpecFlags: ["RW", "update"],
    summary,
    timeArg,
  });
}

/** Metadata of a command that reads field TTLs (HTTL...). */
function getterMeta(name: string, summary: string, tips: string[]): CommandMeta {
  return fieldTtlMeta({
    name,
    arity: -5,
    flags: ["readonly", "fast"],
    acl: ["@read", "@hash", "@fast"],
    tips,
    keySpecFlags: ["RO", "access"],
    summary,
  });
}

const NONDETERMINISTIC = ["nondeterministic_output"];

export const hashExpireCommands: CommandDefinition[] = [
  {
    name: "hexpire",
    handler: hexpireCommand,
    meta: setterMeta(
      "hexpire",
      "seconds",
      "Set expiry for hash field using relative time to expire (seconds)",
    ),
  },
  {
    name: "hpexpire",
    handler: hpexpireCommand,
    meta: setterMeta(
      "hpexpire",
      "milliseconds",
      "Set expiry for hash field using relative time to expire (milliseconds)",
    ),
  },
  {
    name: "hexpireat",
    handler: hexpireatCommand,
    meta: setterMeta(
      "hexpireat",
      "unix-time-seconds",
      "Set expiry for hash field using an absolute Unix timestamp (seconds)",
    ),
  },
  {
    name: "hpexpireat",
    handler: hpexpireatCommand,
    meta: setterMeta(
      "hpexpireat",
      "unix-time-milliseconds",
      "Set expiry for hash field using an absolute Unix timestamp (milliseconds)",
    ),
  },
  {
    name: "httl",
    handler: httlCommand,
    meta: getterMeta("httl", "Returns the TTL in seconds of a hash field.", NONDETERMINISTIC),
  },
  {
    name: "hpttl",
    handler: hpttlCommand,
    meta: getterMeta("hpttl", "Returns the TTL in milliseconds of a hash field.", NONDETERMINISTIC),
  },
  {
    name: "hexpiretime",
    handler: hexpiretimeCommand,
    meta: getterMeta(
      "hexpiretime",
      "Returns the expiration time of a hash field as a Unix timestamp, in seconds.",
      [],
    ),
  },
  {
    name: "hpexpiretime",
    handler: hpexpiretimeCommand,
    meta: getterMeta(
      "hpexpiretime",
      "Returns the expiration time of a hash field as a Unix timestamp, in msec.",
      [],
    ),
  },
  {
    name: "hpersist",
    handler: hpersistCommand,
    meta: fieldTtlMeta({
      name: "hpersist",
      arity: -5,
      flags: ["write", "fast"],
      acl: ["@write", "@hash", "@fast"],
      tips: [],
      keySpecFlags: ["RW", "update"],
      summary: "Removes the expiration time for each specified field",
    }),
  },
];
