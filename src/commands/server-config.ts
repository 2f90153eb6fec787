/**
 * The CONFIG container: GET, SET, RESETSTAT, REWRITE, HELP, with Redis 7.0.15's matching rules,
 * atomic multi-parameter SET and exact error texts. The parameter schema is in
 * `src/server/config.ts`.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { RedisError, ServerErr } from "../errors.js";
import type { Client } from "../server/client.js";
import {
  CONFIG_NAMES,
  CONFIG_SCHEMA,
  ConfigValueError,
  lookupParam,
  type ParamMatch,
  type ParamSpec,
} from "../server/config.js";
import type { ServerCore } from "../server/core.js";
import { globMatch } from "../util/glob.js";
import { syntaxError } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";
import { serverState } from "./server-state.js";

/** The value CONFIG GET reports: the configured one, except the port actually listened on. */
function reportedValue(server: ServerCore, spec: ParamSpec): string {
  if (spec.name === "port" && server.port > 0 && server.config.get("tls-port") === "0") {
    return String(server.port);
  }
  return server.config.display(spec.name);
}

/** CONFIG GET parameter [parameter ...] */
function configGetCommand(c: Client): void {
  // Matches keyed case-insensitively; an exact name is echoed as typed, a pattern match by name.
  const matches = new Map<string, { display: string; spec: ParamSpec }>();
  for (const arg of c.argv.slice(2)) {
    if (!/[[*?]/.test(arg)) {
      if (matches.has(arg.toLowerCase())) continue;
      const found = lookupParam(arg);
      if (found) matches.set(arg.toLowerCase(), { display: arg, spec: found.spec });
      continue;
    }
    for (const { spec, name } of CONFIG_NAMES) {
      if (spec.hidden || matches.has(name)) continue;
      if (globMatch(arg, name, true)) matches.set(name, { display: name, spec });
    }
  }
  c.reply.map(matches.size);
  for (const { display, spec } of matches.values()) {
    c.reply.bulk(display);
    c.reply.bulk(reportedValue(c.server, spec));
  }
}

/** enable-protected-configs: `yes`, or `local` for loopback and in-process clients. */
function protectedAllowed(c: Client): boolean {
  const setting = c.server.config.get("enable-protected-configs");
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  const addr = c.transport?.remoteAddress;
  return addr === undefined || addr.startsWith("127.") || addr.startsWith("[::1]") || addr.startsWith("::1");
}

/**
 * Settings reddish cannot apply at run time (it cannot move its listener): accepted only when they
 * leave things as they are, else refused with the error Redis gives when applying them fails.
 */
function applyError(server: ServerCore, spec: ParamSpec, value: string): string | undefined {
  if (spec.name === "port" && value !== reportedValue(server, spec)) {
    return "Unable to listen on this port. Check server logs.";
  }
  if (spec.name === "tls-port" && value !== server.config.get("tls-port")) {
    return "Unable to listen on this port. Check server logs.";
  }
  if (spec.name === "bind" && value !== server.config.get("bind")) {
    return "Failed to bind to specified addresses.";
  }
  return undefined;
}

/** CONFIG SET parameter value [parameter value ...] */
function configSetCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length % 2 === 1) syntaxError();
  const config = c.server.config;
  // Pass 1 (Redis's order): unknown, immutable or protected, duplicate; the first problem wins.
  const targets: ParamMatch[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i]!;
    const match = lookupParam(name);
    if (!match) throw new RedisError(ServerErr.configUnknown(name));
    const { spec } = match;
    if (!spec.mutable) throw new RedisError(ServerErr.configSetFailed(name, "can't set immutable config"));
    if (spec.protected && !protectedAllowed(c)) {
      throw new RedisError(ServerErr.configSetFailed(name, "can't set protected config"));
    }
    if (targets.some((t) => t.spec === spec && t.name === match.name)) {
      throw new RedisError(ServerErr.configSetFailed(name, "duplicate parameter"));
    }
    targets.push(match);
  }
  // Pass 2: validate every value; nothing changes unless all are valid.
  const changes: [ParamSpec, string][] = [];
  targets.forEach((match, i) => {
    try {
      changes.push([match.spec, config.validate(match.spec, argv[3 + i * 2]!)]);
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      throw new RedisError(ServerErr.configSetFailed(match.name, e.message));
    }
  });
  for (const [spec, value] of changes) {
    const err = applyError(c.server, spec, value);
    if (err) throw new RedisError(ServerErr.configSetFailed(spec.name, err));
  }
  config.commit(changes);
  c.reply.simple("OK");
}

/** Resets the statistics INFO reports (Redis's resetServerStats and command/error tables). */
export function resetStats(server: ServerCore): void {
  const st = server.stats;
  st.totalConnectionsReceived = 0;
  st.totalCommandsProcessed = 0;
  st.rejectedConnections = 0;
  st.totalNetInputBytes = 0;
  st.totalNetOutputBytes = 0;
  st.totalErrorReplies = 0;
  st.commands.clear();
  st.errors.clear();
  const ks = server.keyspace.stats;
  ks.keyspaceHits = 0;
  ks.keyspaceMisses = 0;
  ks.expiredKeys = 0;
  ks.evictedKeys = 0;
  const state = serverState(server);
  state.latency.clear();
  state.peakMemory = 0;
}

/** CONFIG RESETSTAT */
function configResetStatCommand(c: Client): void {
  resetStats(c.server);
  c.reply.simple("OK");
}

// ---- CONFIG REWRITE ----

const SIGNATURE = "# Generated by CONFIG REWRITE";

/** Redis's rewriteConfigFormatMemory: the largest exact unit. */
function formatMemory(text: string): string {
  const v = BigInt(text);
  const units: [bigint, string][] = [
    [1024n ** 3n, "gb"],
    [1024n ** 2n, "mb"],
    [1024n, "kb"],
  ];
  for (const [size, unit] of units) if (v !== 0n && v % size === 0n) return `${v / size}${unit}`;
  return text;
}

/** Redis's sdscatrepr: a double-quoted, escaped string. */
function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (code < 32 || code > 126) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** The config-file lines for one parameter, and whether they must be written even if absent. */
function rewriteLines(spec: ParamSpec, value: string): { lines: string[]; force: boolean } {
  const name = spec.name;
  const force = value !== spec.default;
  const t = spec.type;
  switch (name) {
    case "save":
      if (value === "") return { lines: [`save ""`], force: true };
      return {
        lines: value
          .split(" ")
          .reduce<string[]>((acc, v, i, all) => (i % 2 ? acc : [...acc, `save ${v} ${all[i + 1]}`]), []),
        force: true,
      };
    case "client-output-buffer-limit": {
      const w = value.split(" ");
      const lines = [0, 1, 2].map((i) => {
        const cls = w[i * 4] === "slave" ? "replica" : w[i * 4];
        return `${name} ${cls} ${formatMemory(w[i * 4 + 1]!)} ${formatMemory(w[i * 4 + 2]!)} ${w[i * 4 + 3]}`;
      });
      return { lines, force };
    }
    case "bind":
      return { lines: [`bind ${value === "" ? '""' : value}`], force };
    case "latency-tracking-info-percentiles":
      return { lines: [`${name} ${value === "" ? '""' : value}`], force: true };
    case "replicaof":
      return { lines: value === "" ? [] : [`${name} ${value}`], force: value !== "" };
    default:
      break;
  }
  if (t.kind === "int" && t.memory && !value.endsWith("%")) {
    return { lines: [`${name} ${formatMemory(value)}`], force };
  }
  if (t.kind === "string" || name === "notify-keyspace-events" || name === "dir") {
    return { lines: [`${name} ${quote(value)}`], force: name === "dir" || force };
  }
  return { lines: [`${name} ${value}`], force };
}

/** Rewrites `path` like Redis's CONFIG REWRITE: existing lines updated in place, others appended. */
export function rewriteConfigFile(server: ServerCore, path: string): void {
  let old: string[] = [];
  try {
    old = readFileSync(path, "utf8").split("\n");
    if (old.at(-1) === "") old.pop();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const lines = old.map((l) => l.replace(/[\r\n\t ]+$/, "").replace(/^[\r\n\t ]+/, ""));
  const byOption = new Map<string, number[]>();
  let needsSignature = !lines.includes(SIGNATURE);
  lines.forEach((line, n) => {
    if (line === "" || line.startsWith("#")) return;
    const word = line.split(/\s+/)[0]!.toLowerCase().replace("slave", "replica");
    const canonical = lookupParam(word)?.spec.name ?? word;
    byOption.set(canonical, [...(byOption.get(canonical) ?? []), n]);
  });
  for (const spec of CONFIG_SCHEMA) {
    if (spec.hidden) continue;
    const { lines: fresh, force } = rewriteLines(spec, server.config.display(spec.name));
    const slots = byOption.get(spec.name) ?? [];
    fresh.forEach((line, i) => {
      if (i < slots.length) lines[slots[i]!] = line;
      else if (force || slots.length > 0) {
        if (needsSignature) {
          lines.push(SIGNATURE);
          needsSignature = false;
        }
        lines.push(line);
      }
    });
    for (const n of slots.slice(fresh.length)) lines[n] = "";
  }
  const content: string[] = [];
  for (const line of lines) {
    if (line === "" && content.at(-1) === "") continue;
    content.push(line);
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content.map((l) => l + "\n").join(""), { mode: 0o644 });
  renameSync(tmp, path);
}

/** CONFIG REWRITE */
function configRewriteCommand(c: Client): void {
  const path = c.server.configFile;
  if (!path) throw new RedisError(ServerErr.configNoFile);
  try {
    rewriteConfigFile(c.server, path);
  } catch (e) {
    throw new RedisError(ServerErr.configRewrite((e as Error).message));
  }
  c.reply.simple("OK");
}

/** CONFIG HELP */
function configHelpCommand(c: Client): void {
  replyHelp(c, [
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
  ]);
}

export const configCommands: CommandDefinition[] = [
  { name: "config|get", handler: configGetCommand },
  { name: "config|set", handler: configSetCommand },
  { name: "config|resetstat", handler: configResetStatCommand },
  { name: "config|rewrite", handler: configRewriteCommand },
  { name: "config|help", handler: configHelpCommand },
];
