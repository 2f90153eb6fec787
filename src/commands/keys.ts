/**
 * Key extraction from a command's arguments: the single source of key positions for COMMAND
 * GETKEYS / GETKEYSANDFLAGS, WATCH-like bookkeeping, ACL key patterns and cluster slots.
 *
 * Follows Redis 7.0's getKeysFromCommandWithSpecs: the key specs of the generated metadata are
 * used when they describe the keys completely; otherwise (a spec of unknown shape, an INCOMPLETE
 * spec, VARIABLE_FLAGS, or arguments the specs cannot place) the command's own key-finding
 * procedure decides, as Redis's `getkeys_proc` callbacks do.
 */
import { ServerErr } from "../errors.js";
import type { CommandMeta, KeySpec } from "./spec.js";

/** One key found in argv: its index and the access flags of the key spec that found it. */
export interface KeyReference {
  /** Index into argv (argv[0] is the command name). */
  pos: number;
  /** Key-spec flags in Redis's reply order (`RW`, `access`, `update`...); empty when unknown. */
  flags: readonly string[];
}

/** Options of {@link getKeys}. */
export interface GetKeysOptions {
  /** Also report arguments that key specs mark NOT_KEY (shard channels), as cluster routing does. */
  includeNotKeys?: boolean;
}

/** Redis's order for key-spec flags in replies (addReplyFlagsForKeyArgs). */
const FLAG_ORDER = [
  "RW",
  "RO",
  "OW",
  "RM",
  "access",
  "update",
  "insert",
  "delete",
  "not_key",
  "incomplete",
  "variable_flags",
];

function ordered(flags: readonly string[]): string[] {
  return FLAG_ORDER.filter((f) => flags.includes(f));
}

const RO_ACCESS = ["RO", "access"];
const RW_ACCESS_UPDATE = ["RW", "access", "update"];
const RW_ACCESS_DELETE = ["RW", "access", "delete"];
const OW_UPDATE = ["OW", "update"];

/**
 * True if the command takes key arguments at all (Redis's doesCommandHaveKeys): a key procedure
 * or a key spec that is not marked NOT_KEY (shard channels are not keys).
 */
export function commandHasKeys(meta: CommandMeta): boolean {
  return meta.keySpecs.some((s) => !s.flags.includes("not_key")) || NATIVE[meta.name] !== undefined;
}

/**
 * The keys of a full command line `argv` (argv[0] is the command name; for a subcommand argv[1]
 * is its name) for the command described by `meta`. Returns an empty list when the command has
 * no keys or its arguments are malformed, as Redis does; callers that need to tell the two apart
 * check {@link commandHasKeys} and the `no_mandatory_keys` flag, as COMMAND GETKEYS does.
 */
export function getKeys(
  meta: CommandMeta,
  argv: readonly string[],
  options: GetKeysOptions = {},
): KeyReference[] {
  const specs = meta.keySpecs;
  const hasKeySpec = specs.some((s) => !s.flags.includes("not_key"));
  const hasVarFlags = specs.some((s) => s.flags.includes("variable_flags"));
  if ((hasKeySpec || options.includeNotKeys) && !hasVarFlags) {
    const keys = keysFromSpecs(specs, argv, options.includeNotKeys ?? false);
    if (keys) return keys;
  }
  const native = NATIVE[meta.name];
  return native ? native(argv) : [];
}

/**
 * What COMMAND GETKEYS answers for `argv` (Redis's getKeysSubcommandImpl after the command
 * lookup): the keys, or the error text when the command takes no keys, has the wrong number of
 * arguments, or its arguments place no key.
 */
export function keysOrError(meta: CommandMeta, argv: readonly string[]): KeyReference[] | string {
  if (!commandHasKeys(meta)) return ServerErr.noKeyArguments;
  if ((meta.arity > 0 && meta.arity !== argv.length) || argv.length < -meta.arity) {
    return ServerErr.invalidArgCount;
  }
  const keys = getKeys(meta, argv);
  if (keys.length === 0 && !meta.flags.includes("no_mandatory_keys")) return ServerErr.invalidArguments;
  return keys;
}

/** Redis's getKeysUsingKeySpecs; null where Redis falls back to the command's own procedure. */
function keysFromSpecs(
  specs: readonly KeySpec[],
  argv: readonly string[],
  includeNotKeys: boolean,
): KeyReference[] | null {
  const argc = argv.length;
  const out: KeyReference[] = [];
  for (const spec of specs) {
    if (spec.flags.includes("not_key") && !includeNotKeys) continue;
    let first = 0;
    const bs = spec.beginSearch;
    if (bs.type === "index") {
      first = bs.index;
    } else if (bs.type === "keyword") {
      const start = bs.startFrom > 0 ? bs.startFrom : argc + bs.startFrom;
      const end = bs.startFrom > 0 ? argc - 1 : 1;
      const keyword = bs.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue; // keyword not found
    } else {
      return null;
    }

    let last: number;
    let step: number;
    const fk = spec.findKeys;
    if (fk.type === "range") {
      step = fk.keyStep;
      if (fk.lastKey >= 0) last = first + fk.lastKey;
      else if (!fk.limit) last = argc + fk.lastKey;
      else last = first + (Math.floor((argc - first) / fk.limit) + fk.lastKey);
    } else if (fk.type === "keynum") {
      step = fk.keyStep;
      if (fk.keyNumIdx >= argc - first) return null;
      const numkeys = parseStrictInt(argv[first + fk.keyNumIdx]!);
      if (numkeys === undefined || numkeys < 0) return null;
      first += fk.firstKey;
      last = first + numkeys - 1;
    } else {
      return null;
    }

    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      // Missing arguments (only possible past the dispatcher's arity check for variable-arity
      // commands) place no key; Redis's command then reports the error.
      if (i >= argc) continue;
      out.push({ pos: i, flags: ordered(spec.flags) });
    }
    if (spec.flags.includes("incomplete")) return null;
  }
  return out;
}

/** Redis's string2ll, as a number (key counts are small); undefined when not canonical. */
function parseStrictInt(s: string): number | undefined {
  if (!/^(?:0|-?[1-9]\d{0,18})$/.test(s)) return undefined;
  return Number(s);
}

/** C's atoi: leading whitespace, optional sign, digits; 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, v));
}

/**
 * Redis's genericGetKeys: a key count at `countOfs`, keys from `firstOfs`, plus an optional
 * destination key at `storeOfs` (reported last). Flags are unknown here (empty), as in Redis.
 */
function generic(storeOfs: number, countOfs: number, firstOfs: number) {
  return (argv: readonly string[]): KeyReference[] => {
    const num = atoi(argv[countOfs] ?? "");
    if (num < 1 || num > argv.length - firstOfs) return [];
    const keys: KeyReference[] = [];
    for (let i = 0; i < num; i++) keys.push({ pos: firstOfs + i, flags: [] });
    if (storeOfs) keys.push({ pos: storeOfs, flags: [] });
    return keys;
  };
}

const eqi = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b;

/** SORT: the sorted key, plus the last STORE destination (skipping LIMIT/GET/BY arguments). */
function sortKeys(argv: readonly string[]): KeyReference[] {
  const keys: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }];
  let store: KeyReference | null = null;
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!.toLowerCase();
    if (skip[arg] !== undefined) i += skip[arg];
    else if (arg === "store" && i + 1 < argv.length) store = { pos: i + 1, flags: OW_UPDATE };
  }
  if (store) keys.push(store);
  return keys;
}

/** MIGRATE: the key argument, or the keys after KEYS when the key argument is empty. */
function migrateKeys(argv: readonly string[]): KeyReference[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const arg = argv[i]!.toLowerCase();
      if (arg === "keys") {
        if (argv[3]!.length > 0) return [];
        first = i + 1;
        num = argv.length - first;
        break;
      }
      if (skip[arg] !== undefined) i += skip[arg];
    }
  }
  const keys: KeyReference[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: RW_ACCESS_DELETE });
  return keys;
}

/** GEORADIUS / GEORADIUSBYMEMBER: the key, plus the last STORE or STOREDIST destination. */
function georadiusKeys(argv: readonly string[]): KeyReference[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((eqi(argv[i], "store") || eqi(argv[i], "storedist")) && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }];
  if (stored >= 0) keys.push({ pos: stored, flags: OW_UPDATE });
  return keys;
}

/** XREAD / XREADGROUP: the first half of the arguments after STREAMS. */
function xreadKeys(flags: readonly string[]) {
  return (argv: readonly string[]): KeyReference[] => {
    let streamsPos = -1;
    for (let i = 1; i < argv.length; i++) {
      const arg = argv[i]!.toLowerCase();
      if (arg === "block" || arg === "count") i++;
      else if (arg === "group") i += 2;
      else if (arg === "noack") continue;
      else if (arg === "streams") {
        streamsPos = i;
        break;
      } else break;
    }
    let num = argv.length - streamsPos - 1;
    if (streamsPos === -1 || num === 0 || num % 2 !== 0) return [];
    num /= 2;
    const keys: KeyReference[] = [];
    for (let i = streamsPos + 1; i < argv.length - num; i++) keys.push({ pos: i, flags });
    return keys;
  };
}

/** SET: RW when the GET option is present, otherwise OW. */
function setKeys(argv: readonly string[]): KeyReference[] {
  for (let i = 3; i < argv.length; i++) {
    if (eqi(argv[i], "get")) return [{ pos: 1, flags: RW_ACCESS_UPDATE }];
  }
  return [{ pos: 1, flags: OW_UPDATE }];
}

/** BITFIELD: read-only when every operation is a GET (or OVERFLOW). */
function bitfieldKeys(argv: readonly string[]): KeyReference[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    const arg = argv[i]!.toLowerCase();
    if (arg === "get" && remaining >= 2) i += 2;
    else if ((arg === "set" || arg === "incrby") && remaining >= 3) {
      readonly = false;
      break;
    } else if (arg === "overflow" && remaining >= 1) i += 1;
    else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? RO_ACCESS : RW_ACCESS_UPDATE }];
}

/** Commands with their own key-finding procedure in Redis (getkeys_proc). */
const NATIVE: Record<string, ((argv: readonly string[]) => KeyReference[]) | undefined> = {
  zunion: generic(0, 1, 2),
  zinter: generic(0, 1, 2),
  zdiff: generic(0, 1, 2),
  zintercard: generic(0, 1, 2),
  sintercard: generic(0, 1, 2),
  zunionstore: generic(1, 2, 3),
  zinterstore: generic(1, 2, 3),
  zdiffstore: generic(1, 2, 3),
  eval: generic(0, 2, 3),
  evalsha: generic(0, 2, 3),
  eval_ro: generic(0, 2, 3),
  evalsha_ro: generic(0, 2, 3),
  fcall: generic(0, 2, 3),
  fcall_ro: generic(0, 2, 3),
  lmpop: generic(0, 1, 2),
  zmpop: generic(0, 1, 2),
  blmpop: generic(0, 2, 3),
  bzmpop: generic(0, 2, 3),
  sort: sortKeys,
  sort_ro: () => [{ pos: 1, flags: RO_ACCESS }],
  migrate: migrateKeys,
  georadius: georadiusKeys,
  georadiusbymember: georadiusKeys,
  xread: xreadKeys(RO_ACCESS),
  xreadgroup: xreadKeys(["RW", "access", "update"]),
  set: setKeys,
  bitfield: bitfieldKeys,
};
