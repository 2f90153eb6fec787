/**
 * Server configuration parameters: one schema entry per parameter (type, default, whether it can
 * change at run time), shared by the CLI, config files, CONFIG GET/SET and startServer options.
 * Values are kept in Redis's canonical text form, as CONFIG GET prints them.
 */

/** Kinds of parameter values, with Redis's parsing and printing rules. */
export type ParamType =
  | { kind: "bool" }
  | { kind: "int"; min: number; max: number }
  | { kind: "memory"; min: number; max: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "string" }
  | { kind: "special" };

/** One configuration parameter. */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Default, in canonical text form. */
  default: string;
  /** Other names accepted for it (e.g. `hash-max-ziplist-entries`). */
  aliases?: readonly string[];
  /** False for parameters that can only be set at startup. */
  mutable: boolean;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

const bool = (name: string, def: "yes" | "no", mutable = true): ParamSpec => ({
  name,
  type: { kind: "bool" },
  default: def,
  mutable,
});
const int = (name: string, def: number, min: number, max: number, mutable = true): ParamSpec => ({
  name,
  type: { kind: "int", min, max },
  default: String(def),
  mutable,
});
const memory = (name: string, def: number, mutable = true): ParamSpec => ({
  name,
  type: { kind: "memory", min: 0, max: LONG_MAX },
  default: String(def),
  mutable,
});
const enumeration = (name: string, def: string, values: readonly string[], mutable = true): ParamSpec => ({
  name,
  type: { kind: "enum", values },
  default: def,
  mutable,
});
const str = (name: string, def: string, mutable = true): ParamSpec => ({
  name,
  type: { kind: "string" },
  default: def,
  mutable,
});

/** The eviction policies of `maxmemory-policy`. */
export const MAXMEMORY_POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
] as const;

/** Every parameter reddish knows, with Redis 7.0's defaults. */
export const CONFIG_SCHEMA: readonly ParamSpec[] = [
  int("port", 6379, 0, 65535, false),
  str("bind", "127.0.0.1", false),
  str("requirepass", ""),
  int("databases", 16, 1, INT_MAX, false),
  memory("maxmemory", 0),
  enumeration("maxmemory-policy", "noeviction", MAXMEMORY_POLICIES),
  int("maxmemory-samples", 5, 1, 64),
  int("maxclients", 10000, 1, INT_MAX),
  int("timeout", 0, 0, INT_MAX),
  int("tcp-keepalive", 300, 0, INT_MAX),
  int("hz", 10, 0, INT_MAX),
  memory("proto-max-bulk-len", 512 * 1024 * 1024),
  enumeration("enable-debug-command", "no", ["no", "yes", "local"], false),
  str("notify-keyspace-events", ""),
  str("save", "3600 1 300 100 60 10000"),
  enumeration("appendonly", "no", ["no", "yes"]),
  str("dir", process.cwd()),
  str("dbfilename", "dump.rdb"),
  enumeration("loglevel", "notice", ["debug", "verbose", "notice", "warning"]),
  str("logfile", "", false),
  bool("daemonize", "no", false),
  int("lua-time-limit", 5000, 0, LONG_MAX),
  int("busy-reply-threshold", 5000, 0, LONG_MAX),
  bool("lazyfree-lazy-user-del", "no"),
  bool("lazyfree-lazy-user-flush", "no"),
  bool("protected-mode", "yes"),
  int("list-max-listpack-size", -2, -5, INT_MAX),
  int("list-compress-depth", 0, 0, INT_MAX),
  int("hash-max-listpack-entries", 128, 0, LONG_MAX),
  int("hash-max-listpack-value", 64, 0, LONG_MAX),
  int("set-max-intset-entries", 512, 0, LONG_MAX),
  int("zset-max-listpack-entries", 128, 0, LONG_MAX),
  int("zset-max-listpack-value", 64, 0, LONG_MAX),
  int("stream-node-max-bytes", 4096, 0, LONG_MAX),
  int("stream-node-max-entries", 100, 0, LONG_MAX),
  int("lfu-log-factor", 10, 0, INT_MAX),
  int("lfu-decay-time", 1, 0, INT_MAX),
  int("slowlog-log-slower-than", 10000, -1, LONG_MAX),
  int("slowlog-max-len", 128, 0, LONG_MAX),
  str("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
  bool("activerehashing", "yes"),
  int("tls-port", 0, 0, 65535, false),
  str("tls-cert-file", "", false),
  str("tls-key-file", "", false),
  str("tls-ca-cert-file", "", false),
];

const BY_NAME = new Map<string, ParamSpec>();
for (const spec of CONFIG_SCHEMA) {
  BY_NAME.set(spec.name, spec);
  for (const alias of spec.aliases ?? []) BY_NAME.set(alias, spec);
}

/** Finds a parameter by name or alias (case-insensitive). */
export function findParam(name: string): ParamSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * Parses Redis's memory notation (`100`, `1k`=1000, `1kb`=1024, `mb`, `gb`, any case).
 * Returns undefined when invalid.
 */
export function parseMemory(text: string): number | undefined {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? "").toLowerCase();
  const mult: Record<string, number> = {
    "": 1,
    k: 1000,
    kb: 1024,
    m: 1000 * 1000,
    mb: 1024 * 1024,
    g: 1000 * 1000 * 1000,
    gb: 1024 * 1024 * 1024,
  };
  return Number(m[1]) * mult[unit]!;
}

/** Why a value was refused, in Redis's words (the part after `argument '<name>') - `). */
export class ConfigValueError extends Error {}

/** The live configuration: canonical text values by parameter name. */
export class Config {
  private readonly values = new Map<string, string>();
  private readonly watchers: ((name: string, value: string) => void)[] = [];

  constructor(overrides: Record<string, string> = {}) {
    for (const spec of CONFIG_SCHEMA) this.values.set(spec.name, spec.default);
    for (const [name, value] of Object.entries(overrides)) this.set(name, value, true);
  }

  /** Calls `fn` after any parameter changes. */
  onChange(fn: (name: string, value: string) => void): void {
    this.watchers.push(fn);
  }

  /** The canonical text value of a parameter. Throws for unknown names. */
  get(name: string): string {
    const spec = findParam(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    return this.values.get(spec.name)!;
  }

  /** A numeric parameter's value. */
  getNumber(name: string): number {
    return Number(this.get(name));
  }

  /** Canonical names and values, in schema order. */
  entries(): [string, string][] {
    return CONFIG_SCHEMA.map((s) => [s.name, this.values.get(s.name)!]);
  }

  /**
   * Validates and sets a parameter. `atStartup` allows immutable ones. Throws ConfigValueError
   * with Redis's reason text, or Error for unknown/immutable parameters.
   */
  set(name: string, value: string, atStartup = false): void {
    const spec = findParam(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    if (!spec.mutable && !atStartup) throw new ConfigValueError("can't set immutable config");
    const canonical = canonicalize(spec, value);
    this.values.set(spec.name, canonical);
    for (const fn of this.watchers) fn(spec.name, canonical);
  }
}

function canonicalize(spec: ParamSpec, value: string): string {
  const t = spec.type;
  switch (t.kind) {
    case "bool": {
      const v = value.toLowerCase();
      if (v !== "yes" && v !== "no") throw new ConfigValueError("argument must be 'yes' or 'no'");
      return v;
    }
    case "int": {
      if (!/^-?\d+$/.test(value)) throw new ConfigValueError("argument couldn't be parsed into an integer");
      const n = Number(value);
      if (n < t.min || n > t.max) {
        throw new ConfigValueError(`argument must be between ${t.min} and ${t.max} inclusive`);
      }
      return String(n);
    }
    case "memory": {
      const n = parseMemory(value);
      if (n === undefined) throw new ConfigValueError("argument must be a memory value");
      if (n < t.min || n > t.max) {
        throw new ConfigValueError(`argument must be between ${t.min} and ${t.max} inclusive`);
      }
      return String(n);
    }
    case "enum": {
      const v = value.toLowerCase();
      if (!t.values.includes(v)) {
        throw new ConfigValueError(`argument(s) must be one of the following: ${t.values.join(", ")}`);
      }
      return v;
    }
    default:
      return value;
  }
}
