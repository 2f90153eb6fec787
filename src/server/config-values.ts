/**
 * Parsers and validators of configuration values whose rules go beyond a type: Redis's special
 * parameters (save, client-output-buffer-limit, notify-keyspace-events...), its is_valid checks
 * of string parameters, and its memtoull memory notation. Each throws {@link ConfigValueError}
 * with Redis 7.0's reason text.
 */
import { statSync } from "node:fs";

/** Why a value was refused, in Redis's words (the part after `argument '<name>') - `). */
export class ConfigValueError extends Error {}

const ULLONG_MAX = 18446744073709551615n;
const SHUTDOWN_FLAGS = ["default", "save", "nosave", "now", "force"];

// ---- validators of string parameters (Redis's is_valid functions) ----

const isBaseName = (v: string) => !v.includes("/");
export const validDbFilename = (v: string) =>
  isBaseName(v) ? undefined : "dbfilename can't be a path, just a filename";
export const validAofFilename = (v: string) =>
  v === ""
    ? "appendfilename can't be empty"
    : isBaseName(v)
      ? undefined
      : "appendfilename can't be a path, just a filename";
export const validAofDirname = (v: string) =>
  v === ""
    ? "appenddirname can't be empty"
    : isBaseName(v)
      ? undefined
      : "appenddirname can't be a path, just a dirname";
export function validHostname(v: string): string | undefined {
  if (v.length >= 256) return "Hostnames must be less than 256 characters";
  if (!/^[A-Za-z0-9.-]*$/.test(v))
    return "Hostnames may only contain alphanumeric characters, hyphens or dots";
  return undefined;
}
const PROC_TITLE_VARS = new Set([
  "title",
  "listen-addr",
  "server-mode",
  "port",
  "tls-port",
  "unixsocket",
  "config-file",
]);
/** Redis's validateProcTitleTemplate: known `{variables}` only, balanced braces, not empty. */
export function validProcTitle(v: string): string | undefined {
  const bad = "template format is invalid or contains unknown variables";
  if (v === "") return bad;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== "{") continue;
    if (v[i + 1] === "{") {
      i++;
      continue;
    }
    const end = v.indexOf("}", i);
    if (end < 0 || !PROC_TITLE_VARS.has(v.slice(i + 1, end))) return bad;
    i = end;
  }
  return undefined;
}
const validActiveDefrag = (v: string) =>
  v === "yes"
    ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
    : undefined;

// ---- special parameters ----

/** C's strtoll over a whole token (empty counts as 0, as Redis's checks allow). */
function strtollWhole(s: string): bigint | undefined {
  if (s === "") return 0n;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  return m ? BigInt(m[1]!) : undefined;
}

export function parseSave(args: string[]): string {
  if (args.length === 1 && args[0] === "") args = [];
  if (args.length % 2 === 1) throw new ConfigValueError("Invalid save parameters");
  const values: bigint[] = [];
  for (let j = 0; j < args.length; j++) {
    const v = strtollWhole(args[j]!);
    if (v === undefined || (j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) {
      throw new ConfigValueError("Invalid save parameters");
    }
    values.push(v);
  }
  return values.map(String).join(" ");
}

const OBUF_CLASSES = ["normal", "slave", "pubsub"] as const;
function obufClass(name: string): number {
  const n = name.toLowerCase();
  if (n === "normal") return 0;
  if (n === "slave" || n === "replica") return 1;
  if (n === "pubsub") return 2;
  return -1; // "master" is refused too
}

/** client-output-buffer-limit: classes not named keep their current limits. */
export function parseObufLimits(args: string[], current: string): string {
  if (args.length % 4 !== 0) {
    throw new ConfigValueError("Wrong number of arguments in buffer limit configuration.");
  }
  const cur = current.split(" ");
  const limits = OBUF_CLASSES.map((_, i) => cur.slice(i * 4 + 1, i * 4 + 4));
  for (let j = 0; j < args.length; j += 4) {
    const cls = obufClass(args[j]!);
    if (cls < 0) throw new ConfigValueError("Invalid client class specified in buffer limit configuration.");
    const hard = memtoull(args[j + 1]!);
    const soft = memtoull(args[j + 2]!);
    const secs = strtollWhole(args[j + 3]!);
    if (hard === undefined || soft === undefined || secs === undefined || secs < 0n) {
      throw new ConfigValueError(
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      );
    }
    limits[cls] = [String(hard), String(soft), String(secs)];
  }
  return OBUF_CLASSES.map((name, i) => `${name} ${limits[i]!.join(" ")}`).join(" ");
}

export function parseOomValues(args: string[]): string {
  if (args.length !== 3) throw new ConfigValueError("wrong number of arguments");
  const out: string[] = [];
  for (const a of args) {
    const v = strtollWhole(a);
    if (v === undefined || a === "" || v < -2000n || v > 2000n) {
      throw new ConfigValueError("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    }
    out.push(String(v));
  }
  return out.join(" ");
}

/** Bits of notify-keyspace-events, in Redis's order. */
const KEYSPACE_EVENT_LETTERS = "g$lshzxetdnKEm";
const NOTIFY_ALL = "g$lshzxetd";
/**
 * notify-keyspace-events is stored with every flag spelled out (`g$lshzxetdnKEm` order), because
 * Redis's rendering (see {@link showKeyspaceEvents}) loses `n` next to `A`.
 */
export function parseKeyspaceEvents(args: string[]): string {
  if (args.length !== 1) throw new ConfigValueError("wrong number of arguments");
  const set = new Set<string>();
  for (const ch of args[0]!) {
    if (ch === "A") for (const c of NOTIFY_ALL) set.add(c);
    else if (KEYSPACE_EVENT_LETTERS.includes(ch)) set.add(ch);
    else throw new ConfigValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }
  let out = "";
  for (const c of KEYSPACE_EVENT_LETTERS) if (set.has(c)) out += c;
  return out;
}

/** notify-keyspace-events as Redis's keyspaceEventsFlagsToString prints it (`A` hides `n`). */
export function showKeyspaceEvents(stored: string): string {
  let out = "";
  if ([...NOTIFY_ALL].every((c) => stored.includes(c))) out = "A";
  else for (const c of "g$lshzxetdn") if (stored.includes(c)) out += c;
  for (const c of "KEm") if (stored.includes(c)) out += c;
  return out;
}

export function parseBind(args: string[]): string {
  if (args.length > 16) throw new ConfigValueError("Too many bind addresses specified.");
  if (args.length === 1 && args[0] === "") return "";
  return args.join(" ");
}

export function parseReplicaOf(args: string[]): string {
  if (args.length !== 2) throw new ConfigValueError("wrong number of arguments");
  if (args[0]!.toLowerCase() === "no" && args[1]!.toLowerCase() === "one") return "";
  if (!/^\d+$/.test(args[1]!) || Number(args[1]) > 65535) throw new ConfigValueError("Invalid master port");
  return `${args[0]} ${Number(args[1])}`;
}

/** C's "%f" with trailing zeros (and a trailing dot) removed, as Redis's trimDoubleString. */
function trimmedFixed(d: number): string {
  let s = d.toFixed(6);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

const STRICT_DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
export function parsePercentiles(args: string[]): string {
  if (args.length === 1 && args[0] === "") return "";
  const out: string[] = [];
  for (const a of args) {
    if (!STRICT_DOUBLE.test(a))
      throw new ConfigValueError("Invalid latency-tracking-info-percentiles parameters");
    const p = Number(a);
    if (p > 100 || p < 0) {
      throw new ConfigValueError(
        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
      );
    }
    out.push(trimmedFixed(p));
  }
  return out.join(" ");
}

export function parseShutdownFlags(args: string[]): string {
  let bits = 0;
  for (const a of args) {
    const i = SHUTDOWN_FLAGS.indexOf(a.toLowerCase());
    if (i < 0) {
      throw new ConfigValueError(`argument(s) must be one of the following: ${SHUTDOWN_FLAGS.join(", ")}`);
    }
    if (i > 0) bits |= 1 << (i - 1);
  }
  if ((bits & 3) === 3) {
    throw new ConfigValueError("shutdown options SAVE and NOSAVE can't be used simultaneously");
  }
  const names = SHUTDOWN_FLAGS.slice(1).filter((_, i) => bits & (1 << i));
  return names.length ? names.join(" ") : "default";
}

export function parseDir(args: string[]): string {
  if (args.length !== 1) throw new ConfigValueError("wrong number of arguments");
  let ok = false;
  try {
    ok = statSync(args[0]!).isDirectory();
  } catch {
    throw new ConfigValueError("No such file or directory");
  }
  if (!ok) throw new ConfigValueError("Not a directory");
  return args[0]!;
}

export const clampHz = (v: string) => String(Math.min(500, Math.max(1, Number(v))));

export function parseActiveDefrag(args: string[]): string {
  const v = args[0]!.toLowerCase();
  if (v !== "yes" && v !== "no") throw new ConfigValueError("argument must be 'yes' or 'no'");
  const err = validActiveDefrag(v);
  if (err) throw new ConfigValueError(err);
  return v;
}

/**
 * Redis's memtoull: digits with an optional unit (`b`, `k`=1000, `kb`=1024, `m`, `mb`, `g`, `gb`,
 * any case), as an unsigned 64-bit value (overflow saturates, then the unit wraps like C).
 * An empty digit string counts as 0, as in Redis. Returns undefined when invalid.
 */
export function memtoull(text: string): bigint | undefined {
  if (text.startsWith("-")) return undefined;
  const m = /^(\d*)(.*)$/s.exec(text)!;
  const mult: Record<string, bigint> = {
    "": 1n,
    b: 1n,
    k: 1000n,
    kb: 1024n,
    m: 1000n * 1000n,
    mb: 1024n * 1024n,
    g: 1000n * 1000n * 1000n,
    gb: 1024n * 1024n * 1024n,
  };
  const unit = mult[m[2]!.toLowerCase()];
  if (unit === undefined || m[1]!.length >= 128) return undefined;
  let v = m[1] === "" ? 0n : BigInt(m[1]!);
  if (v > ULLONG_MAX) v = ULLONG_MAX;
  return BigInt.asUintN(64, v * unit);
}
