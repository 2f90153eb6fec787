/**
 * Server configuration parameters: one schema entry per parameter (type, bounds, default, whether
 * it can change at run time), shared by the CLI, config files, CONFIG GET/SET and startServer
 * options. The schema lists every parameter of Redis 7.0.15, with its parsing rules and error
 * texts, so CONFIG GET and CONFIG SET answer as Redis does. Values are kept in Redis's canonical
 * text form, as CONFIG GET prints them.
 *
 * Many parameters (replication, cluster, AOF, TLS details, defragmentation...) have no effect in
 * reddish: they are accepted, validated and reported, and other subsystems may read them.
 */
import {
  ConfigValueError,
  clampHz,
  memtoull,
  parseActiveDefrag,
  parseBind,
  parseDir,
  parseKeyspaceEvents,
  showKeyspaceEvents,
  parseObufLimits,
  parseOomValues,
  parsePercentiles,
  parseReplicaOf,
  parseSave,
  parseShutdownFlags,
  validAofDirname,
  validAofFilename,
  validDbFilename,
  validHostname,
  validProcTitle,
} from "./config-values.js";

export { ConfigValueError, memtoull };

/** Kinds of parameter values, with Redis's parsing and printing rules. */
export type ParamType =
  | { kind: "bool" }
  /**
   * A number (Redis's numeric configs). `unsigned`: bounds compared as unsigned 64-bit values
   * (Redis's UINT, ULONG_LONG and SIZE_T configs); `memory`: accepts `1kb`-style units;
   * `percent`: also accepts `N%` (stored negated, as Redis does); `octal`: parsed and printed in
   * base 8.
   */
  | {
      kind: "int";
      min: bigint;
      max: bigint;
      unsigned?: boolean;
      memory?: boolean;
      percent?: boolean;
      octal?: boolean;
    }
  /** One of `values` (case-insensitive); `flags`: several space-separated values OR-ed together. */
  | { kind: "enum"; values: readonly string[]; flags?: boolean }
  /** Free text, with an optional validator returning Redis's error text. */
  | { kind: "string"; validate?: (value: string) => string | undefined }
  /** Parsed by `parse` (arguments split on spaces for multi-argument parameters). */
  | { kind: "special"; parse: (args: string[], current: string) => string };

/** One configuration parameter. */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Default, in canonical text form. */
  default: string;
  /** Another name accepted for it (e.g. `hash-max-ziplist-entries`). */
  aliases?: readonly string[];
  /** False for parameters that can only be set at startup. */
  mutable: boolean;
  /** Protected: CONFIG SET refuses it unless enable-protected-configs allows (`dir`, `dbfilename`). */
  protected?: boolean;
  /** Hidden: CONFIG GET matches it by exact name only, never by pattern. */
  hidden?: boolean;
  /** The value is several space-separated arguments (`save 3600 1`). */
  multiArg?: boolean;
  /** Post-processing after a successful set (Redis's apply functions that adjust values, e.g. hz). */
  normalize?: (canonical: string) => string;
  /** How CONFIG GET and CONFIG REWRITE print the stored value, when that differs. */
  show?: (stored: string) => string;
}

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;
const SSIZE_MAX = LONG_MAX;

type Extra = Partial<Pick<ParamSpec, "aliases" | "protected" | "hidden" | "normalize" | "show">>;

const IMMUTABLE = false;
const MUTABLE = true;

function bool(name: string, def: boolean, mutable: boolean, extra: Extra = {}): ParamSpec {
  return { name, type: { kind: "bool" }, default: def ? "yes" : "no", mutable, ...extra };
}
function num(
  name: string,
  mutable: boolean,
  min: bigint,
  max: bigint,
  def: bigint | number,
  opts: { unsigned?: boolean; memory?: boolean; percent?: boolean; octal?: boolean } = {},
  extra: Extra = {},
): ParamSpec {
  const type = { kind: "int" as const, min, max, ...opts };
  return { name, type, default: printNumber(type, BigInt(def)), mutable, ...extra };
}
function str(
  name: string,
  mutable: boolean,
  def: string,
  validate?: (value: string) => string | undefined,
  extra: Extra = {},
): ParamSpec {
  return { name, type: { kind: "string", validate }, default: def, mutable, ...extra };
}
function enumeration(
  name: string,
  mutable: boolean,
  values: readonly string[],
  def: string,
  extra: Extra = {},
): ParamSpec {
  return { name, type: { kind: "enum", values }, default: def, mutable, ...extra };
}
function special(
  name: string,
  mutable: boolean,
  def: string,
  parse: (args: string[], current: string) => string,
  multiArg: boolean,
  extra: Extra = {},
): ParamSpec {
  return { name, type: { kind: "special", parse }, default: def, mutable, multiArg, ...extra };
}

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

const PROTECTED_ACTION = ["no", "yes", "local"];

/** Every parameter of Redis 7.0.15, with its defaults, in Redis's table order. */
export const CONFIG_SCHEMA: readonly ParamSpec[] = [
  // booleans
  bool("rdbchecksum", true, IMMUTABLE),
  bool("daemonize", false, IMMUTABLE),
  bool("io-threads-do-reads", false, IMMUTABLE),
  bool("always-show-logo", false, IMMUTABLE),
  bool("protected-mode", true, MUTABLE),
  bool("rdbcompression", true, MUTABLE),
  bool("rdb-del-sync-files", false, MUTABLE),
  bool("activerehashing", true, MUTABLE),
  bool("stop-writes-on-bgsave-error", true, MUTABLE),
  bool("set-proc-title", true, IMMUTABLE),
  bool("dynamic-hz", true, MUTABLE),
  bool("lazyfree-lazy-eviction", false, MUTABLE),
  bool("lazyfree-lazy-expire", false, MUTABLE),
  bool("lazyfree-lazy-server-del", false, MUTABLE),
  bool("lazyfree-lazy-user-del", false, MUTABLE),
  bool("lazyfree-lazy-user-flush", false, MUTABLE),
  bool("repl-disable-tcp-nodelay", false, MUTABLE),
  bool("repl-diskless-sync", true, MUTABLE),
  bool("aof-rewrite-incremental-fsync", true, MUTABLE),
  bool("no-appendfsync-on-rewrite", false, MUTABLE),
  bool("cluster-require-full-coverage", true, MUTABLE),
  bool("rdb-save-incremental-fsync", true, MUTABLE),
  bool("aof-load-truncated", true, MUTABLE),
  bool("aof-use-rdb-preamble", true, MUTABLE),
  bool("aof-timestamp-enabled", false, MUTABLE),
  bool("cluster-replica-no-failover", false, MUTABLE, { aliases: ["cluster-slave-no-failover"] }),
  bool("replica-lazy-flush", false, MUTABLE, { aliases: ["slave-lazy-flush"] }),
  bool("replica-serve-stale-data", true, MUTABLE, { aliases: ["slave-serve-stale-data"] }),
  bool("replica-read-only", true, MUTABLE, { aliases: ["slave-read-only"] }),
  bool("replica-ignore-maxmemory", true, MUTABLE, { aliases: ["slave-ignore-maxmemory"] }),
  bool("jemalloc-bg-thread", true, MUTABLE),
  {
    name: "activedefrag",
    type: { kind: "special", parse: parseActiveDefrag },
    default: "no",
    mutable: MUTABLE,
  },
  bool("syslog-enabled", false, IMMUTABLE),
  bool("cluster-enabled", false, IMMUTABLE),
  bool("appendonly", false, MUTABLE),
  bool("cluster-allow-reads-when-down", false, MUTABLE),
  bool("cluster-allow-pubsubshard-when-down", true, MUTABLE),
  bool("crash-log-enabled", true, MUTABLE),
  bool("crash-memcheck-enabled", true, MUTABLE),
  bool("use-exit-on-panic", false, MUTABLE, { hidden: true }),
  bool("disable-thp", true, IMMUTABLE),
  bool("cluster-allow-replica-migration", true, MUTABLE),
  bool("replica-announced", true, MUTABLE),
  bool("latency-tracking", true, MUTABLE),
  bool("aof-disable-auto-gc", false, MUTABLE),
  bool("replica-ignore-disk-write-errors", false, MUTABLE),

  // strings
  str("aclfile", IMMUTABLE, ""),
  str("unixsocket", IMMUTABLE, ""),
  str("pidfile", IMMUTABLE, ""),
  str("replica-announce-ip", MUTABLE, "", undefined, { aliases: ["slave-announce-ip"] }),
  str("masteruser", MUTABLE, ""),
  str("cluster-announce-ip", MUTABLE, ""),
  str("cluster-config-file", IMMUTABLE, "nodes.conf"),
  str("cluster-announce-hostname", MUTABLE, "", validHostname),
  str("syslog-ident", IMMUTABLE, "redis"),
  str("dbfilename", MUTABLE, "dump.rdb", validDbFilename, { protected: true }),
  str("appendfilename", IMMUTABLE, "appendonly.aof", validAofFilename),
  str("appenddirname", IMMUTABLE, "appendonlydir", validAofDirname),
  str("server_cpulist", IMMUTABLE, ""),
  str("bio_cpulist", IMMUTABLE, ""),
  str("aof_rewrite_cpulist", IMMUTABLE, ""),
  str("bgsave_cpulist", IMMUTABLE, ""),
  str("ignore-warnings", MUTABLE, ""),
  str("proc-title-template", MUTABLE, "{title} {listen-addr} {server-mode}", validProcTitle),
  str("bind-source-addr", MUTABLE, ""),
  str("logfile", IMMUTABLE, ""),
  str("masterauth", MUTABLE, ""),
  str("requirepass", MUTABLE, ""),

  // enums
  enumeration("supervised", IMMUTABLE, ["upstart", "systemd", "auto", "no"], "no"),
  enumeration(
    "syslog-facility",
    IMMUTABLE,
    ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"],
    "local0",
  ),
  enumeration("repl-diskless-load", MUTABLE, ["disabled", "on-empty-db", "swapdb"], "disabled"),
  enumeration("loglevel", MUTABLE, ["debug", "verbose", "notice", "warning"], "notice"),
  enumeration("maxmemory-policy", MUTABLE, MAXMEMORY_POLICIES, "noeviction"),
  enumeration("appendfsync", MUTABLE, ["everysec", "always", "no"], "everysec"),
  enumeration("oom-score-adj", MUTABLE, ["no", "yes", "relative", "absolute"], "no"),
  enumeration("acl-pubsub-default", MUTABLE, ["allchannels", "resetchannels"], "resetchannels"),
  enumeration("sanitize-dump-payload", MUTABLE, ["no", "yes", "clients"], "no"),
  enumeration("enable-protected-configs", IMMUTABLE, PROTECTED_ACTION, "no"),
  enumeration("enable-debug-command", IMMUTABLE, PROTECTED_ACTION, "no"),
  enumeration("enable-module-command", IMMUTABLE, PROTECTED_ACTION, "no"),
  enumeration("cluster-preferred-endpoint-type", MUTABLE, ["ip", "hostname", "unknown-endpoint"], "ip"),
  enumeration("propagation-error-behavior", MUTABLE, ["ignore", "panic", "panic-on-replicas"], "ignore"),
  special("shutdown-on-sigint", MUTABLE, "default", parseShutdownFlags, true),
  special("shutdown-on-sigterm", MUTABLE, "default", parseShutdownFlags, true),

  // integers
  num("databases", IMMUTABLE, 1n, INT_MAX, 16),
  num("port", MUTABLE, 0n, 65535n, 6379),
  num("io-threads", IMMUTABLE, 1n, 128n, 1),
  num("auto-aof-rewrite-percentage", MUTABLE, 0n, INT_MAX, 100),
  num(
    "cluster-replica-validity-factor",
    MUTABLE,
    0n,
    INT_MAX,
    10,
    {},
    {
      aliases: ["cluster-slave-validity-factor"],
    },
  ),
  num("list-max-listpack-size", MUTABLE, INT_MIN, INT_MAX, -2, {}, { aliases: ["list-max-ziplist-size"] }),
  num("tcp-keepalive", MUTABLE, 0n, INT_MAX, 300),
  num("cluster-migration-barrier", MUTABLE, 0n, INT_MAX, 1),
  num("active-defrag-cycle-min", MUTABLE, 1n, 99n, 1),
  num("active-defrag-cycle-max", MUTABLE, 1n, 99n, 25),
  num("active-defrag-threshold-lower", MUTABLE, 0n, 1000n, 10),
  num("active-defrag-threshold-upper", MUTABLE, 0n, 1000n, 100),
  num("lfu-log-factor", MUTABLE, 0n, INT_MAX, 10),
  num("lfu-decay-time", MUTABLE, 0n, INT_MAX, 1),
  num("replica-priority", MUTABLE, 0n, INT_MAX, 100, {}, { aliases: ["slave-priority"] }),
  num("repl-diskless-sync-delay", MUTABLE, 0n, INT_MAX, 5),
  num("maxmemory-samples", MUTABLE, 1n, INT_MAX, 5),
  num("maxmemory-eviction-tenacity", MUTABLE, 0n, 100n, 10),
  num("timeout", MUTABLE, 0n, INT_MAX, 0),
  num("replica-announce-port", MUTABLE, 0n, 65535n, 0, {}, { aliases: ["slave-announce-port"] }),
  num("tcp-backlog", IMMUTABLE, 0n, INT_MAX, 511),
  num("cluster-port", IMMUTABLE, 0n, 65535n, 0),
  num("cluster-announce-bus-port", MUTABLE, 0n, 65535n, 0),
  num("cluster-announce-port", MUTABLE, 0n, 65535n, 0),
  num("cluster-announce-tls-port", MUTABLE, 0n, 65535n, 0),
  num("repl-timeout", MUTABLE, 1n, INT_MAX, 60),
  num("repl-ping-replica-period", MUTABLE, 1n, INT_MAX, 10, {}, { aliases: ["repl-ping-slave-period"] }),
  num("list-compress-depth", MUTABLE, 0n, INT_MAX, 0),
  num("rdb-key-save-delay", MUTABLE, INT_MIN, INT_MAX, 0, {}, { hidden: true }),
  num("key-load-delay", MUTABLE, INT_MIN, INT_MAX, 0, {}, { hidden: true }),
  num("active-expire-effort", MUTABLE, 1n, 10n, 1),
  num("hz", MUTABLE, 0n, INT_MAX, 10, {}, { normalize: clampHz }),
  num("min-replicas-to-write", MUTABLE, 0n, INT_MAX, 0, {}, { aliases: ["min-slaves-to-write"] }),
  num("min-replicas-max-lag", MUTABLE, 0n, INT_MAX, 10, {}, { aliases: ["min-slaves-max-lag"] }),
  num("watchdog-period", MUTABLE, 0n, INT_MAX, 0, {}, { hidden: true }),
  num("shutdown-timeout", MUTABLE, 0n, INT_MAX, 10),
  num("repl-diskless-sync-max-replicas", MUTABLE, 0n, INT_MAX, 0),
  num("maxclients", MUTABLE, 1n, UINT_MAX, 10000, { unsigned: true }),
  num("unixsocketperm", IMMUTABLE, 0n, 0o777n, 0, { unsigned: true, octal: true }),
  num("socket-mark-id", IMMUTABLE, 0n, UINT_MAX, 0, { unsigned: true }),
  num("active-defrag-max-scan-fields", MUTABLE, 1n, LONG_MAX, 1000),
  num("slowlog-max-len", MUTABLE, 0n, LONG_MAX, 128),
  num("acllog-max-len", MUTABLE, 0n, LONG_MAX, 128),
  num("busy-reply-threshold", MUTABLE, 0n, LONG_MAX, 5000, {}, { aliases: ["lua-time-limit"] }),
  num("cluster-node-timeout", MUTABLE, 0n, LLONG_MAX, 15000),
  num("slowlog-log-slower-than", MUTABLE, -1n, LLONG_MAX, 10000),
  num("latency-monitor-threshold", MUTABLE, 0n, LLONG_MAX, 0),
  num("proto-max-bulk-len", MUTABLE, 1024n * 1024n, LONG_MAX, 512 * 1024 * 1024, { memory: true }),
  num("stream-node-max-entries", MUTABLE, 0n, LLONG_MAX, 100),
  num("repl-backlog-size", MUTABLE, 1n, LLONG_MAX, 1024 * 1024, { memory: true }),
  num("maxmemory", MUTABLE, 0n, ULLONG_MAX, 0, { unsigned: true, memory: true }),
  num("cluster-link-sendbuf-limit", MUTABLE, 0n, ULLONG_MAX, 0, { unsigned: true, memory: true }),
  num(
    "hash-max-listpack-entries",
    MUTABLE,
    0n,
    LONG_MAX,
    512,
    { unsigned: true },
    {
      aliases: ["hash-max-ziplist-entries"],
    },
  ),
  num("set-max-intset-entries", MUTABLE, 0n, LONG_MAX, 512, { unsigned: true }),
  num(
    "zset-max-listpack-entries",
    MUTABLE,
    0n,
    LONG_MAX,
    128,
    { unsigned: true },
    {
      aliases: ["zset-max-ziplist-entries"],
    },
  ),
  num("active-defrag-ignore-bytes", MUTABLE, 1n, LLONG_MAX, 100 << 20, { unsigned: true, memory: true }),
  num(
    "hash-max-listpack-value",
    MUTABLE,
    0n,
    LONG_MAX,
    64,
    { unsigned: true, memory: true },
    {
      aliases: ["hash-max-ziplist-value"],
    },
  ),
  num("stream-node-max-bytes", MUTABLE, 0n, LONG_MAX, 4096, { unsigned: true, memory: true }),
  num(
    "zset-max-listpack-value",
    MUTABLE,
    0n,
    LONG_MAX,
    64,
    { unsigned: true, memory: true },
    {
      aliases: ["zset-max-ziplist-value"],
    },
  ),
  num("hll-sparse-max-bytes", MUTABLE, 0n, LONG_MAX, 3000, { unsigned: true, memory: true }),
  num("tracking-table-max-keys", MUTABLE, 0n, LONG_MAX, 1000000, { unsigned: true }),
  num("client-query-buffer-limit", MUTABLE, 1024n * 1024n, LONG_MAX, 1024 * 1024 * 1024, {
    unsigned: true,
    memory: true,
  }),
  num("maxmemory-clients", MUTABLE, -100n, SSIZE_MAX, 0, { memory: true, percent: true }),
  num("repl-backlog-ttl", MUTABLE, 0n, LONG_MAX, 60 * 60),
  num("auto-aof-rewrite-min-size", MUTABLE, 0n, LLONG_MAX, 64 * 1024 * 1024, { memory: true }),
  num(
    "loading-process-events-interval-bytes",
    MUTABLE,
    1024n,
    INT_MAX,
    1024 * 1024 * 2,
    {},
    {
      hidden: true,
    },
  ),

  // TLS
  num("tls-port", MUTABLE, 0n, 65535n, 0),
  num("tls-session-cache-size", MUTABLE, 0n, INT_MAX, 20 * 1024),
  num("tls-session-cache-timeout", MUTABLE, 0n, INT_MAX, 300),
  bool("tls-cluster", false, MUTABLE),
  bool("tls-replication", false, MUTABLE),
  enumeration("tls-auth-clients", MUTABLE, ["no", "yes", "optional"], "yes"),
  bool("tls-prefer-server-ciphers", false, MUTABLE),
  bool("tls-session-caching", true, MUTABLE),
  str("tls-cert-file", MUTABLE, ""),
  str("tls-key-file", MUTABLE, ""),
  str("tls-key-file-pass", MUTABLE, ""),
  str("tls-client-cert-file", MUTABLE, ""),
  str("tls-client-key-file", MUTABLE, ""),
  str("tls-client-key-file-pass", MUTABLE, ""),
  str("tls-dh-params-file", MUTABLE, ""),
  str("tls-ca-cert-file", MUTABLE, ""),
  str("tls-ca-cert-dir", MUTABLE, ""),
  str("tls-protocols", MUTABLE, ""),
  str("tls-ciphers", MUTABLE, ""),
  str("tls-ciphersuites", MUTABLE, ""),

  // special
  special("dir", MUTABLE, process.cwd(), parseDir, false, { protected: true }),
  special("save", MUTABLE, "3600 1 300 100 60 10000", parseSave, true),
  special(
    "client-output-buffer-limit",
    MUTABLE,
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    parseObufLimits,
    true,
  ),
  special("oom-score-adj-values", MUTABLE, "0 200 800", parseOomValues, true),
  special("notify-keyspace-events", MUTABLE, "", parseKeyspaceEvents, false, { show: showKeyspaceEvents }),
  special("bind", MUTABLE, "127.0.0.1", parseBind, true),
  special("replicaof", IMMUTABLE, "", parseReplicaOf, true, { aliases: ["slaveof"] }),
  special("latency-tracking-info-percentiles", MUTABLE, "50 99 99.9", parsePercentiles, true),
];

/** A parameter found by name, with the name it answers to (canonical or alias, lower case). */
export interface ParamMatch {
  spec: ParamSpec;
  /** `hash-max-ziplist-entries` when looked up by that alias. */
  name: string;
}

const BY_NAME = new Map<string, ParamMatch>();
for (const spec of CONFIG_SCHEMA) {
  BY_NAME.set(spec.name, { spec, name: spec.name });
  for (const alias of spec.aliases ?? []) BY_NAME.set(alias, { spec, name: alias });
}

/** Every name CONFIG GET patterns match against: canonical names and aliases. */
export const CONFIG_NAMES: readonly ParamMatch[] = [...BY_NAME.values()];

/** Finds a parameter by name or alias (case-insensitive). */
export function findParam(name: string): ParamSpec | undefined {
  return lookupParam(name)?.spec;
}

/** Finds a parameter by name or alias (case-insensitive), telling which name matched. */
export function lookupParam(name: string): ParamMatch | undefined {
  return BY_NAME.get(name) ?? BY_NAME.get(name.toLowerCase());
}

/**
 * Parses Redis's memory notation (`100`, `1k`=1000, `1kb`=1024, `mb`, `gb`, any case) as a number.
 * Returns undefined when invalid.
 */
export function parseMemory(text: string): number | undefined {
  const v = memtoull(text);
  return v === undefined ? undefined : Number(v);
}

function printNumber(t: Extract<ParamType, { kind: "int" }>, v: bigint): string {
  if (t.percent && v < 0n) return `${-v}%`;
  if (t.memory) return String(BigInt.asUintN(64, v));
  if (t.octal) return v.toString(8);
  return String(v);
}

/** Redis's string2ll: canonical decimal 64-bit integers only. */
function string2ll(s: string): bigint | undefined {
  if (!/^(?:0|-?[1-9]\d*)$/.test(s) || s.length > 20) return undefined;
  const v = BigInt(s);
  return v > LLONG_MAX || v < -LLONG_MAX - 1n ? undefined : v;
}

function parseNumber(t: Extract<ParamType, { kind: "int" }>, value: string): bigint {
  let ll: bigint | undefined;
  if (t.memory) {
    const u = memtoull(value);
    if (u !== undefined) ll = BigInt.asIntN(64, u);
  }
  if (ll === undefined && t.percent && value.length > 1 && value.endsWith("%")) {
    const p = string2ll(value.slice(0, -1));
    if (p !== undefined && p >= 0n) ll = -p;
  }
  if (ll === undefined && t.octal && /^[+-]?[0-7]+$/.test(value))
    ll = BigInt(`0o${value.replace(/^[+-]/, "")}`);
  if (ll === undefined && !t.memory && !t.percent && !t.octal) ll = string2ll(value);
  if (ll === undefined) {
    throw new ConfigValueError(
      t.memory && t.percent
        ? "argument must be a memory or percent value"
        : t.memory
          ? "argument must be a memory value"
          : t.octal
            ? "argument couldn't be parsed as an octal number"
            : "argument couldn't be parsed into an integer",
    );
  }
  if (t.unsigned) {
    const u = BigInt.asUintN(64, ll);
    if (u > t.max || u < t.min) {
      const fmt = (x: bigint) => (t.octal ? x.toString(8) : String(x));
      throw new ConfigValueError(`argument must be between ${fmt(t.min)} and ${fmt(t.max)} inclusive`);
    }
  } else if (t.percent && ll < 0n) {
    if (ll < t.min) throw new ConfigValueError(`percentage argument must be less or equal to ${-t.min}`);
  } else if (ll > t.max || ll < t.min) {
    throw new ConfigValueError(`argument must be between ${t.min} and ${t.max} inclusive`);
  }
  return ll;
}

/**
 * Validates a value for a parameter and returns its canonical text. `current` is the current
 * canonical value (some parameters update only part of it). Throws ConfigValueError with Redis's
 * reason text.
 */
export function canonicalize(spec: ParamSpec, value: string, current = spec.default): string {
  const t = spec.type;
  let out: string;
  switch (t.kind) {
    case "bool": {
      const v = value.toLowerCase();
      if (v !== "yes" && v !== "no") throw new ConfigValueError("argument must be 'yes' or 'no'");
      out = v;
      break;
    }
    case "int":
      out = printNumber(t, parseNumber(t, value));
      break;
    case "enum": {
      const v = value.toLowerCase();
      if (!t.values.includes(v)) {
        throw new ConfigValueError(`argument(s) must be one of the following: ${t.values.join(", ")}`);
      }
      out = v;
      break;
    }
    case "string": {
      const err = t.validate?.(value);
      if (err) throw new ConfigValueError(err);
      out = value;
      break;
    }
    case "special": {
      const args = spec.multiArg ? value.split(" ") : [value];
      out = t.parse(args, current);
      break;
    }
  }
  return spec.normalize ? spec.normalize(out) : out;
}

/** Parameters read on every command or every write, kept parsed (refreshed on every change). */
export interface HotConfig {
  latencyTracking: boolean;
  slowlogLogSlowerThan: number;
  latencyMonitorThreshold: number;
  protoMaxBulkLen: number;
  /** 0: no limit. */
  maxmemory: number;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  /** 0: no limit. */
  trackingTableMaxKeys: number;
}

/** The live configuration: canonical text values by parameter name. */
export class Config {
  private readonly values = new Map<string, string>();
  private readonly watchers: ((name: string, value: string) => void)[] = [];
  /** Hot parameters, parsed; never stale (see {@link Config.commit}). */
  readonly hot: HotConfig = {
    latencyTracking: true,
    slowlogLogSlowerThan: 0,
    latencyMonitorThreshold: 0,
    protoMaxBulkLen: 0,
    maxmemory: 0,
    hashMaxListpackEntries: 0,
    hashMaxListpackValue: 0,
    setMaxIntsetEntries: 0,
    zsetMaxListpackEntries: 0,
    zsetMaxListpackValue: 0,
    trackingTableMaxKeys: 0,
  };

  constructor(overrides: Record<string, string> = {}) {
    for (const spec of CONFIG_SCHEMA) this.values.set(spec.name, spec.default);
    this.refreshHot();
    for (const [name, value] of Object.entries(overrides)) this.set(name, value, true);
  }

  private refreshHot(): void {
    const hot = this.hot;
    hot.latencyTracking = this.get("latency-tracking") === "yes";
    hot.slowlogLogSlowerThan = this.getNumber("slowlog-log-slower-than");
    hot.latencyMonitorThreshold = this.getNumber("latency-monitor-threshold");
    hot.protoMaxBulkLen = this.getNumber("proto-max-bulk-len");
    hot.maxmemory = this.getNumber("maxmemory");
    hot.hashMaxListpackEntries = this.getNumber("hash-max-listpack-entries");
    hot.hashMaxListpackValue = this.getNumber("hash-max-listpack-value");
    hot.setMaxIntsetEntries = this.getNumber("set-max-intset-entries");
    hot.zsetMaxListpackEntries = this.getNumber("zset-max-listpack-entries");
    hot.zsetMaxListpackValue = this.getNumber("zset-max-listpack-value");
    hot.trackingTableMaxKeys = this.getNumber("tracking-table-max-keys");
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

  /** A parameter's value as CONFIG GET prints it. */
  display(name: string): string {
    const spec = findParam(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    const value = this.values.get(spec.name)!;
    return spec.show ? spec.show(value) : value;
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
   * Validates and sets a parameter. `atStartup` allows immutable and protected ones. Throws
   * ConfigValueError with Redis's reason text, or Error for unknown parameters.
   */
  set(name: string, value: string, atStartup = false): void {
    const spec = findParam(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    if (!spec.mutable && !atStartup) throw new ConfigValueError("can't set immutable config");
    this.commit([[spec, this.validate(spec, value)]]);
  }

  /** Validates a value against the current configuration; returns its canonical text. */
  validate(spec: ParamSpec, value: string): string {
    return canonicalize(spec, value, this.values.get(spec.name));
  }

  /** Stores already validated canonical values, then notifies watchers. */
  commit(changes: readonly (readonly [ParamSpec, string])[]): void {
    for (const [spec, canonical] of changes) this.values.set(spec.name, canonical);
    this.refreshHot();
    for (const [spec, canonical] of changes) for (const fn of this.watchers) fn(spec.name, canonical);
  }
}
