/**
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP, and the size estimates behind them.
 *
 * Sizes follow Redis 7.0's accounting on 64-bit jemalloc: a key costs its sds allocation plus a
 * 24-byte dict entry; a string value costs a 16-byte robj plus its sds (embedded for `embstr`),
 * rounded up to jemalloc's size classes. For strings this reproduces Redis's numbers exactly.
 * Other values are estimated: a value may implement `memoryUsage(samples)` itself (families that
 * know their encoding can then match Redis); otherwise its object graph is walked, sampling at
 * most `samples` elements of each collection and extrapolating, as Redis does.
 */
import { ServerErr } from "../errors.js";
import type { Client } from "../server/client.js";
import type { ServerCore } from "../server/core.js";
import { RawString, stringEncoding } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { readInt, syntaxError, eqi } from "./args.js";
import { replyHelp } from "./command.js";
import type { CommandDefinition } from "./spec.js";
import { keyspaceOverhead, memoryFigures } from "./server-info.js";

/** jemalloc's usable size for a request of `n` bytes (its size classes on 64-bit). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  // Four classes per doubling above 128: spacing is a quarter of the group's base.
  const base = 2 ** Math.floor(Math.log2(n - 1));
  const step = base / 4;
  return Math.ceil(n / step) * step;
}

/** Header size of an sds string of `len` bytes (sdsReqType; type 5 only for short keys). */
function sdsHeader(len: number, allowType5: boolean): number {
  if (len < 32 && allowType5 && len > 0) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  if (len < 2 ** 32) return 9;
  return 17;
}

/** Allocation size of an sds string holding `len` bytes (plus `spare` unused capacity). */
export function sdsAllocSize(len: number, allowType5 = false, spare = 0): number {
  return jemallocSize(sdsHeader(len + spare, allowType5) + len + spare + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;

/** Bytes a string value takes, as Redis's objectComputeSize computes it. */
export function stringValueSize(value: string | RawString): number {
  if (value instanceof RawString) {
    return ROBJ + sdsAllocSize(value.length, false, value.buf.length - value.length);
  }
  switch (stringEncoding(value)) {
    case "int":
      return ROBJ;
    case "embstr":
      return jemallocSize(ROBJ + 3 + value.length + 1);
    default:
      return ROBJ + sdsAllocSize(value.length);
  }
}

/** A value that knows its own size (families may implement this to match Redis's accounting). */
interface SelfSizing {
  memoryUsage(samples: number): number;
}

function isSelfSizing(v: unknown): v is SelfSizing {
  return typeof (v as Partial<SelfSizing>).memoryUsage === "function";
}

/** Estimates the bytes an arbitrary JS value graph takes, sampling large collections. */
function estimateGraph(value: unknown, samples: number, seen: Set<object>, depth: number): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "string") return sdsAllocSize(value.length, true);
  if (typeof value === "number" || typeof value === "boolean") return 8;
  if (typeof value === "bigint") return 16;
  if (typeof value !== "object" || depth > 8 || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof RawString) return stringValueSize(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return jemallocSize(value.byteLength);
  const sampled = (items: Iterable<unknown>, count: number, perItem: number): number => {
    if (count === 0) return 0;
    let total = 0;
    let n = 0;
    for (const item of items) {
      total += perItem + estimateGraph(item, samples, seen, depth + 1);
      if (++n >= samples) break;
    }
    return (total / n) * count;
  };
  if (value instanceof Map) {
    const slots = value.size ? 2 ** Math.ceil(Math.log2(Math.max(4, value.size))) : 0;
    return 56 + slots * 8 + sampled(flatEntries(value), value.size, DICT_ENTRY);
  }
  if (value instanceof Set) {
    const slots = value.size ? 2 ** Math.ceil(Math.log2(Math.max(4, value.size))) : 0;
    return 56 + slots * 8 + sampled(value, value.size, DICT_ENTRY);
  }
  if (Array.isArray(value)) return 16 + sampled(value, value.length, 8);
  let total = 0;
  for (const v of Object.values(value)) total += estimateGraph(v, samples, seen, depth + 1);
  return total;
}

function* flatEntries(map: Map<unknown, unknown>): Generator<unknown> {
  for (const [k, v] of map) yield [k, v];
}

/** Bytes a value takes (objectComputeSize), `samples` elements sampled per collection. */
export function valueSize(value: RedisValue, samples: number): number {
  if (typeof value === "string" || value instanceof RawString) return stringValueSize(value);
  if (isSelfSizing(value)) return value.memoryUsage(samples);
  return ROBJ + estimateGraph(value, samples, new Set(), 0);
}

/**
 * Bytes a key takes with its value (MEMORY USAGE): the key's sds, its dict entry and the value,
 * `samples` elements sampled per collection.
 */
export function keyMemoryUsage(key: string, value: RedisValue, samples: number): number {
  return sdsAllocSize(key.length, true) + DICT_ENTRY + valueSize(value, samples);
}

/** MEMORY USAGE key [SAMPLES count] */
function memoryUsageCommand(c: Client): void {
  let samples = 5;
  for (let j = 3; j < c.argv.length; j++) {
    if (eqi(c.argv[j]!, "samples") && j + 1 < c.argv.length) {
      samples = readInt(c.argv[j + 1]!);
      if (samples < 0) syntaxError();
      if (samples === 0) samples = Number.MAX_SAFE_INTEGER;
      j++;
    } else {
      syntaxError();
    }
  }
  const key = c.argv[2]!;
  const value = c.db.peek(key);
  if (value === undefined) return c.reply.nullBulk();
  c.reply.integer(keyMemoryUsage(key, value, samples));
}

/** MEMORY STATS */
function memoryStatsCommand(c: Client): void {
  const server = c.server;
  const m = memoryFigures(server);
  const dbs = keyspaceOverhead(server)
    .map((o, id) => ({ id, ...o }))
    .filter(({ id }) => server.keyspace.databases[id]!.size > 0);
  const keys = server.keyspace.totalKeys();
  const net = m.used - m.startup;
  const entries: [string, () => void][] = [
    ["peak.allocated", () => c.reply.integer(m.peak)],
    ["total.allocated", () => c.reply.integer(m.used)],
    ["startup.allocated", () => c.reply.integer(m.startup)],
    ["replication.backlog", () => c.reply.integer(0)],
    ["clients.slaves", () => c.reply.integer(0)],
    ["clients.normal", () => c.reply.integer(0)],
    ["cluster.links", () => c.reply.integer(0)],
    ["aof.buffer", () => c.reply.integer(0)],
    ["lua.caches", () => c.reply.integer(0)],
    ["functions.caches", () => c.reply.integer(200)],
  ];
  for (const db of dbs) {
    entries.push([
      `db.${db.id}`,
      () => {
        c.reply.map(3);
        c.reply.bulk("overhead.hashtable.main");
        c.reply.integer(db.main);
        c.reply.bulk("overhead.hashtable.expires");
        c.reply.integer(db.expires);
        c.reply.bulk("overhead.hashtable.slot-to-keys");
        c.reply.integer(0);
      },
    ]);
  }
  const rss = m.rss;
  entries.push(
    ["overhead.total", () => c.reply.integer(m.overhead)],
    ["keys.count", () => c.reply.integer(keys)],
    ["keys.bytes-per-key", () => c.reply.integer(keys ? Math.floor(net / keys) : 0)],
    ["dataset.bytes", () => c.reply.integer(m.dataset)],
    ["dataset.percentage", () => c.reply.double(net > 0 ? (m.dataset * 100) / net : 0)],
    ["peak.percentage", () => c.reply.double((m.used * 100) / Math.max(1, m.peak))],
    ["allocator.allocated", () => c.reply.integer(m.used)],
    ["allocator.active", () => c.reply.integer(m.allocatorActive)],
    ["allocator.resident", () => c.reply.integer(Math.max(rss, m.allocatorActive))],
    ["allocator-fragmentation.ratio", () => c.reply.double(m.allocatorActive / m.used)],
    ["allocator-fragmentation.bytes", () => c.reply.integer(m.allocatorActive - m.used)],
    ["allocator-rss.ratio", () => c.reply.double(Math.max(rss, m.allocatorActive) / m.allocatorActive)],
    ["allocator-rss.bytes", () => c.reply.integer(Math.max(rss, m.allocatorActive) - m.allocatorActive)],
    ["rss-overhead.ratio", () => c.reply.double(rss / Math.max(rss, m.allocatorActive))],
    ["rss-overhead.bytes", () => c.reply.integer(rss - Math.max(rss, m.allocatorActive))],
    ["fragmentation", () => c.reply.double(rss / m.used)],
    ["fragmentation.bytes", () => c.reply.integer(rss - m.used)],
  );
  c.reply.map(entries.length);
  for (const [name, write] of entries) {
    c.reply.bulk(name);
    write();
  }
}

const DOCTOR_EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const DOCTOR_FINE =
  "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

/** Bytes the data set takes by reddish's estimate (keys and values, 5 samples per collection). */
function datasetEstimate(server: ServerCore, limit: number): number {
  let total = 0;
  for (const db of server.keyspace.databases) {
    if (db.size === 0) continue;
    let cursor = 0;
    do {
      cursor = db.scan(cursor, 1000, (key, value) => {
        total += keyMemoryUsage(key, value, 5);
      });
      if (total >= limit) return total;
    } while (cursor !== 0);
  }
  return total;
}

/** MEMORY DOCTOR */
function memoryDoctorCommand(c: Client): void {
  // Like Redis, too little data to diagnose under 5MB; reddish finds no allocator issues above.
  const small = datasetEstimate(c.server, 5 * 1024 * 1024) < 5 * 1024 * 1024;
  c.reply.verbatim(small ? DOCTOR_EMPTY : DOCTOR_FINE);
}

/** MEMORY MALLOC-STATS */
function memoryMallocStatsCommand(c: Client): void {
  c.reply.verbatim(ServerErr.mallocStatsUnsupported);
}

/** MEMORY PURGE */
function memoryPurgeCommand(c: Client): void {
  c.reply.simple("OK");
}

/** MEMORY HELP */
function memoryHelpCommand(c: Client): void {
  replyHelp(c, [
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
  ]);
}

export const memoryCommands: CommandDefinition[] = [
  { name: "memory|usage", handler: memoryUsageCommand },
  { name: "memory|stats", handler: memoryStatsCommand },
  { name: "memory|doctor", handler: memoryDoctorCommand },
  { name: "memory|malloc-stats", handler: memoryMallocStatsCommand },
  { name: "memory|purge", handler: memoryPurgeCommand },
  { name: "memory|help", handler: memoryHelpCommand },
];
