/**
 * INFO: Redis 7.0's sections, field names, field order and formatting (CRLF lines, `# Section`
 * headers, a blank line between sections). Values come from the server: statistics, clients,
 * keyspace, configuration, the clock. Fields describing machinery reddish does not have
 * (replication, AOF, forks, jemalloc, Lua) report what an idle Redis without them reports; memory
 * figures are the Node process's (V8 heap in use plus external buffers).
 */
import os from "node:os";
import type { Client } from "../server/client.js";
import type { ServerCore } from "../server/core.js";
import type { CommandDefinition } from "./spec.js";
import { dirtyCount, sampleMemory, serverState } from "./server-state.js";

/** The version reddish reports (clients such as ioredis parse it). */
export const REDIS_VERSION = "7.0.15";

/** The sections of a plain `INFO` (Redis's default set). */
const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "module_list",
  "errorstats",
  "cluster",
  "keyspace",
];

type Field = [string, string | number];

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    if (n < 1024 ** (i + 2)) return `${(n / 1024 ** (i + 1)).toFixed(2)}${units[i]}`;
  }
  return `${n}B`;
}

/** C's "%.2f". */
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "0.00");

/** Seconds as "%ld.%06ld". */
function cpuSeconds(usec: number): string {
  return `${Math.floor(usec / 1e6)}.${String(Math.floor(usec % 1e6)).padStart(6, "0")}`;
}

function multiplexingApi(): string {
  switch (process.platform) {
    case "linux":
      return "epoll";
    case "darwin":
    case "freebsd":
    case "openbsd":
      return "kqueue";
    case "sunos":
      return "evport";
    default:
      return "select";
  }
}

function field(name: string, value: string | number): Field {
  return [name, value];
}

/** A client blocked in a command (BLPOP, XREAD...): CLIENT UNBLOCK could end its wait. */
function isBlocked(c: Client): boolean {
  return c.unblock !== null;
}

function serverSection(server: ServerCore): Field[] {
  const now = server.clock.now();
  const uptime = Math.max(0, Math.floor((now - server.startedAt) / 1000));
  const hz = server.config.getNumber("hz");
  const configFile = server.configFile ?? "";
  return [
    field("redis_version", REDIS_VERSION),
    field("redis_git_sha1", "00000000"),
    field("redis_git_dirty", 0),
    field("redis_build_id", "0"),
    field("redis_mode", "standalone"),
    field("os", `${os.type()} ${os.release()} ${os.machine()}`),
    field("arch_bits", /64/.test(process.arch) ? 64 : 32),
    field("monotonic_clock", "POSIX clock_gettime"),
    field("multiplexing_api", multiplexingApi()),
    field("atomicvar_api", "c11-builtin"),
    field("gcc_version", "0.0.0"),
    field("process_id", process.pid),
    field("process_supervised", "no"),
    field("run_id", server.runId),
    field("tcp_port", server.port || server.config.getNumber("port")),
    field("server_time_usec", server.clock.nowMicros()),
    field("uptime_in_seconds", uptime),
    field("uptime_in_days", Math.floor(uptime / 86400)),
    field("hz", hz),
    field("configured_hz", hz),
    field("lru_clock", server.keyspace.lruClock()),
    field("executable", process.argv[1] ?? process.execPath),
    field("config_file", configFile),
    field("io_threads_active", 0),
  ];
}

function clientsSection(server: ServerCore): Field[] {
  let maxIn = 0;
  let maxOut = 0;
  let blocked = 0;
  for (const c of server.clients.values()) {
    if (c.transport) {
      maxIn = Math.max(maxIn, c.transport.queryBufferLength);
      maxOut = Math.max(maxOut, c.transport.outputBufferLength);
    }
    if (isBlocked(c)) blocked++;
  }
  return [
    field("connected_clients", server.clients.size),
    field("cluster_connections", 0),
    field("maxclients", server.config.get("maxclients")),
    field("client_recent_max_input_buffer", maxIn),
    field("client_recent_max_output_buffer", maxOut),
    field("blocked_clients", blocked),
    field("tracking_clients", server.tracking.clientCount),
    field("clients_in_timeout_table", 0),
  ];
}

/** Bytes the keyspace's own tables take, estimated like Redis's dict overheads. */
export function keyspaceOverhead(server: ServerCore): { main: number; expires: number }[] {
  return server.keyspace.databases.map((db) => ({
    main: db.size * 24 + dictBuckets(db.size) * 8,
    expires: db.expiresCount * 24 + dictBuckets(db.expiresCount) * 8,
  }));
}

/** Bucket count of a Redis dict holding `n` entries (next power of two, 0 when empty). */
export function dictBuckets(n: number): number {
  return n === 0 ? 0 : 2 ** Math.ceil(Math.log2(Math.max(4, n)));
}

/** Memory figures shared by INFO memory and MEMORY STATS. */
export function memoryFigures(server: ServerCore) {
  const used = sampleMemory(server);
  const state = serverState(server);
  const mem = process.memoryUsage();
  let overheadDb = 0;
  for (const o of keyspaceOverhead(server)) overheadDb += o.main + o.expires;
  const startup = Math.min(state.startupMemory, used);
  const overhead = Math.min(used, startup + overheadDb);
  const dataset = used - overhead;
  return {
    used,
    peak: state.peakMemory,
    rss: mem.rss,
    startup,
    overhead,
    overheadDb,
    dataset,
    allocatorActive: Math.max(used, mem.heapTotal + mem.external),
  };
}

function memorySection(server: ServerCore): Field[] {
  const m = memoryFigures(server);
  const maxmemory = Number(server.config.get("maxmemory"));
  const lua = 32768;
  const vmFunctions = 33792;
  const resident = Math.max(m.rss, m.allocatorActive);
  return [
    field("used_memory", m.used),
    field("used_memory_human", bytesToHuman(m.used)),
    field("used_memory_rss", m.rss),
    field("used_memory_rss_human", bytesToHuman(m.rss)),
    field("used_memory_peak", m.peak),
    field("used_memory_peak_human", bytesToHuman(m.peak)),
    field("used_memory_peak_perc", `${f2((m.used * 100) / m.peak)}%`),
    field("used_memory_overhead", m.overhead),
    field("used_memory_startup", m.startup),
    field("used_memory_dataset", m.dataset),
    field("used_memory_dataset_perc", `${f2((m.dataset * 100) / Math.max(1, m.used - m.startup))}%`),
    field("allocator_allocated", m.used),
    field("allocator_active", m.allocatorActive),
    field("allocator_resident", resident),
    field("total_system_memory", os.totalmem()),
    field("total_system_memory_human", bytesToHuman(os.totalmem())),
    field("used_memory_lua", lua),
    field("used_memory_vm_eval", lua),
    field("used_memory_lua_human", bytesToHuman(lua)),
    field("used_memory_scripts_eval", 0),
    field("number_of_cached_scripts", 0),
    field("number_of_functions", 0),
    field("number_of_libraries", 0),
    field("used_memory_vm_functions", vmFunctions),
    field("used_memory_vm_total", lua + vmFunctions),
    field("used_memory_vm_total_human", bytesToHuman(lua + vmFunctions)),
    field("used_memory_functions", 200),
    field("used_memory_scripts", 200),
    field("used_memory_scripts_human", bytesToHuman(200)),
    field("maxmemory", maxmemory),
    field("maxmemory_human", bytesToHuman(maxmemory)),
    field("maxmemory_policy", server.config.get("maxmemory-policy")),
    field("allocator_frag_ratio", f2(m.allocatorActive / m.used)),
    field("allocator_frag_bytes", m.allocatorActive - m.used),
    field("allocator_rss_ratio", f2(resident / m.allocatorActive)),
    field("allocator_rss_bytes", resident - m.allocatorActive),
    field("rss_overhead_ratio", f2(m.rss / resident)),
    field("rss_overhead_bytes", m.rss - resident),
    field("mem_fragmentation_ratio", f2(m.rss / m.used)),
    field("mem_fragmentation_bytes", m.rss - m.used),
    field("mem_not_counted_for_evict", 0),
    field("mem_replication_backlog", 0),
    field("mem_total_replication_buffers", 0),
    field("mem_clients_slaves", 0),
    field("mem_clients_normal", 0),
    field("mem_cluster_links", 0),
    field("mem_aof_buffer", 0),
    field("mem_allocator", "libc"),
    field("active_defrag_running", 0),
    field("lazyfree_pending_objects", 0),
    field("lazyfreed_objects", 0),
  ];
}

function persistenceSection(server: ServerCore): Field[] {
  const s = serverState(server);
  return [
    field("loading", 0),
    field("async_loading", 0),
    field("current_cow_peak", 0),
    field("current_cow_size", 0),
    field("current_cow_size_age", 0),
    field("current_fork_perc", "0.00"),
    field("current_save_keys_processed", 0),
    field("current_save_keys_total", 0),
    field("rdb_changes_since_last_save", Math.max(0, dirtyCount(server) - s.dirtyAtSave)),
    field("rdb_bgsave_in_progress", 0),
    field("rdb_last_save_time", server.lastSave),
    field("rdb_last_bgsave_status", "ok"),
    field("rdb_last_bgsave_time_sec", s.lastBgsaveSeconds),
    field("rdb_current_bgsave_time_sec", -1),
    field("rdb_saves", s.rdbSaves),
    field("rdb_last_cow_size", 0),
    field("rdb_last_load_keys_expired", 0),
    field("rdb_last_load_keys_loaded", 0),
    field("aof_enabled", server.config.get("appendonly") === "yes" ? 1 : 0),
    field("aof_rewrite_in_progress", 0),
    field("aof_rewrite_scheduled", 0),
    field("aof_last_rewrite_time_sec", -1),
    field("aof_current_rewrite_time_sec", -1),
    field("aof_last_bgrewrite_status", "ok"),
    field("aof_rewrites", 0),
    field("aof_rewrites_consecutive_failures", 0),
    field("aof_last_write_status", "ok"),
    field("aof_last_cow_size", 0),
    field("module_fork_in_progress", 0),
    field("module_fork_last_cow_size", 0),
  ];
}

/** Pub/sub counts, if the server keeps a pub/sub registry exposing them. */
function pubsubCounts(server: ServerCore): { channels: number; patterns: number; shard: number } {
  const p = (server as unknown as { pubsub?: Record<string, unknown> }).pubsub;
  const n = (v: unknown) => (typeof v === "number" ? v : typeof v === "function" ? Number(v.call(p)) : 0);
  return p
    ? { channels: n(p.channelCount), patterns: n(p.patternCount), shard: n(p.shardChannelCount) }
    : { channels: 0, patterns: 0, shard: 0 };
}

function statsSection(server: ServerCore): Field[] {
  const st = server.stats;
  const ks = server.keyspace.stats;
  const ps = pubsubCounts(server);
  const extra = st as unknown as Record<string, unknown>;
  const num = (name: string) => (typeof extra[name] === "number" ? (extra[name] as number) : 0);
  return [
    field("total_connections_received", st.totalConnectionsReceived),
    field("total_commands_processed", st.totalCommandsProcessed),
    field("instantaneous_ops_per_sec", 0),
    field("total_net_input_bytes", st.totalNetInputBytes),
    field("total_net_output_bytes", st.totalNetOutputBytes),
    field("total_net_repl_input_bytes", 0),
    field("total_net_repl_output_bytes", 0),
    field("instantaneous_input_kbps", "0.00"),
    field("instantaneous_output_kbps", "0.00"),
    field("instantaneous_input_repl_kbps", "0.00"),
    field("instantaneous_output_repl_kbps", "0.00"),
    field("rejected_connections", st.rejectedConnections),
    field("sync_full", 0),
    field("sync_partial_ok", 0),
    field("sync_partial_err", 0),
    field("expired_keys", ks.expiredKeys),
    field("expired_stale_perc", "0.00"),
    field("expired_time_cap_reached_count", 0),
    field("expire_cycle_cpu_milliseconds", 0),
    field("evicted_keys", ks.evictedKeys),
    field("evicted_clients", 0),
    field("total_eviction_exceeded_time", 0),
    field("current_eviction_exceeded_time", 0),
    field("keyspace_hits", ks.keyspaceHits),
    field("keyspace_misses", ks.keyspaceMisses),
    field("pubsub_channels", ps.channels),
    field("pubsub_patterns", ps.patterns),
    field("pubsubshard_channels", ps.shard),
    field("latest_fork_usec", 0),
    field("total_forks", 0),
    field("migrate_cached_sockets", 0),
    field("slave_expires_tracked_keys", 0),
    field("active_defrag_hits", 0),
    field("active_defrag_misses", 0),
    field("active_defrag_key_hits", 0),
    field("active_defrag_key_misses", 0),
    field("total_active_defrag_time", 0),
    field("current_active_defrag_time", 0),
    field("tracking_total_keys", server.tracking.totalKeys),
    field("tracking_total_items", server.tracking.totalItemsCount),
    field("tracking_total_prefixes", server.tracking.totalPrefixes),
    field("unexpected_error_replies", 0),
    field("total_error_replies", st.totalErrorReplies),
    field("dump_payload_sanitizations", 0),
    field("total_reads_processed", num("totalReadsProcessed")),
    field("total_writes_processed", num("totalWritesProcessed")),
    field("io_threaded_reads_processed", 0),
    field("io_threaded_writes_processed", 0),
    field("reply_buffer_shrinks", 0),
    field("reply_buffer_expands", 0),
  ];
}

function replicationSection(server: ServerCore): Field[] {
  return [
    field("role", "master"),
    field("connected_slaves", 0),
    field("master_failover_state", "no-failover"),
    field("master_replid", serverState(server).replId),
    field("master_replid2", "0".repeat(40)),
    field("master_repl_offset", 0),
    field("second_repl_offset", -1),
    field("repl_backlog_active", 0),
    field("repl_backlog_size", server.config.get("repl-backlog-size")),
    field("repl_backlog_first_byte_offset", 0),
    field("repl_backlog_histlen", 0),
  ];
}

function cpuSection(): Field[] {
  const u = process.cpuUsage();
  return [
    field("used_cpu_sys", cpuSeconds(u.system)),
    field("used_cpu_user", cpuSeconds(u.user)),
    field("used_cpu_sys_children", "0.000000"),
    field("used_cpu_user_children", "0.000000"),
    field("used_cpu_sys_main_thread", cpuSeconds(u.system)),
    field("used_cpu_user_main_thread", cpuSeconds(u.user)),
  ];
}

/** INFO replaces characters that would break the `name:value` format. */
function safeInfoName(name: string): string {
  return name.replace(/[:\r\n]/g, "_");
}

function commandstatsSection(server: ServerCore): Field[] {
  const out: Field[] = [];
  for (const [name, s] of server.stats.commands) {
    if (!s.calls && !s.failed && !s.rejected) continue;
    const usec = Math.floor(s.usec);
    const perCall = s.calls ? usec / s.calls : 0;
    out.push(
      field(
        `cmdstat_${safeInfoName(name)}`,
        `calls=${s.calls},usec=${usec},usec_per_call=${f2(perCall)},rejected_calls=${s.rejected},failed_calls=${s.failed}`,
      ),
    );
  }
  return out;
}

function errorstatsSection(server: ServerCore): Field[] {
  return [...server.stats.errors.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, count]) => field(`errorstat_${code}`, `count=${count}`));
}

/** C's "%f" trimmed of trailing zeros, as Redis prints percentile labels. */
function percentileLabel(p: number): string {
  return String(Number(p.toFixed(6)));
}

function latencystatsSection(server: ServerCore): Field[] {
  const spec = server.config.get("latency-tracking-info-percentiles");
  const percentiles = spec === "" ? [] : spec.split(" ").map(Number);
  const histograms = serverState(server).latency;
  const out: Field[] = [];
  for (const [name, s] of server.stats.commands) {
    if (!s.calls) continue;
    const h = histograms.get(name);
    // Without recorded samples, every percentile is the mean call time.
    const at = (p: number) => (h ? h.percentile(p) : s.usec / s.calls);
    const values = percentiles.map((p) => `p${percentileLabel(p)}=${at(p).toFixed(3)}`);
    out.push(field(`latency_percentiles_usec_${safeInfoName(name)}`, values.join(",")));
  }
  return out;
}

function keyspaceSection(server: ServerCore): Field[] {
  const out: Field[] = [];
  for (const db of server.keyspace.databases) {
    if (db.size === 0) continue;
    out.push(field(`db${db.id}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=0`));
  }
  return out;
}

/** A section: its header title and its fields. */
const SECTIONS: [string, string, (server: ServerCore) => Field[]][] = [
  ["server", "Server", serverSection],
  ["clients", "Clients", clientsSection],
  ["memory", "Memory", memorySection],
  ["persistence", "Persistence", persistenceSection],
  ["stats", "Stats", statsSection],
  ["replication", "Replication", replicationSection],
  ["cpu", "CPU", cpuSection],
  ["module_list", "Modules", () => []],
  ["commandstats", "Commandstats", commandstatsSection],
  ["errorstats", "Errorstats", errorstatsSection],
  ["latencystats", "Latencystats", latencystatsSection],
  ["cluster", "Cluster", () => [field("cluster_enabled", 0)]],
  ["keyspace", "Keyspace", keyspaceSection],
];

/** Sections named in `args` (Redis's genInfoSectionDict): `all`, `everything`, `default`, names. */
function selectSections(args: readonly string[]): (name: string) => boolean {
  if (args.length === 0) return (name) => DEFAULT_SECTIONS.includes(name);
  const chosen = new Set<string>();
  let all = false;
  for (const arg of args) {
    const a = arg.toLowerCase();
    if (a === "default") DEFAULT_SECTIONS.forEach((s) => chosen.add(s));
    else if (a === "all" || a === "everything") all = true;
    else chosen.add(a);
  }
  if (chosen.has("modules")) chosen.add("module_list");
  return (name) => all || chosen.has(name);
}

/** The INFO text for the given section arguments. */
export function infoString(server: ServerCore, args: readonly string[]): string {
  const wanted = selectSections(args);
  const parts: string[] = [];
  for (const [name, title, build] of SECTIONS) {
    if (!wanted(name)) continue;
    let text = `# ${title}\r\n`;
    for (const [k, v] of build(server)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join("\r\n");
}

/** INFO [section [section ...]] */
function infoCommand(c: Client): void {
  c.reply.verbatim(infoString(c.server, c.argv.slice(1)));
}

export const infoCommands: CommandDefinition[] = [{ name: "info", handler: infoCommand }];
