/**
 * Per-server state the server commands keep beyond ServerCore's own fields: memory peak,
 * replication id, save statistics, active-expiry switch and per-command latency histograms.
 * Kept in a WeakMap keyed by the ServerCore so it lives and dies with the server.
 */
import { randomBytes } from "node:crypto";
import type { ServerCore } from "../server/core.js";

/**
 * A log-linear latency histogram (microseconds), like the HDR histograms Redis keeps: a value of
 * v nanoseconds falls in bucket (exponent, top 8 bits), exponent = max(0, log2(v) - 7). Counts
 * live in one 256-slot row per exponent, created on first use, so recording is two array
 * accesses (the dispatcher records every call).
 */
export class LatencyHistogram {
  private readonly rows: (Float64Array | undefined)[] = [];
  total = 0;

  record(usec: number): void {
    const v = Math.max(1, Math.round(usec * 1000));
    let exp = 0;
    let mant = v;
    if (v >= 0x80000000) {
      exp = Math.floor(Math.log2(v)) - 7;
      mant = Math.floor(v / 2 ** exp);
    } else if (v >= 256) {
      exp = 24 - Math.clz32(v);
      mant = v >>> exp;
    }
    const row = (this.rows[exp] ??= new Float64Array(256));
    row[mant]!++;
    this.total++;
  }

  /** The highest value a bucket stands for, in microseconds. */
  private static value(exp: number, mant: number): number {
    return ((mant + 1) * 2 ** exp - 1) / 1000;
  }

  /** The non-empty buckets in ascending order: [highest value in µs, count]. */
  private *buckets(): Generator<[number, number]> {
    for (let exp = 0; exp < this.rows.length; exp++) {
      const row = this.rows[exp];
      if (!row) continue;
      for (let mant = 0; mant < 256; mant++)
        if (row[mant]! > 0) yield [LatencyHistogram.value(exp, mant), row[mant]!];
    }
  }

  /**
   * The cumulative distribution as LATENCY HISTOGRAM reports it (Redis iterates its histogram
   * logarithmically from 1024 ns, doubling): for each level that adds calls, the level's highest
   * equivalent value in whole microseconds and the number of calls at or below it.
   */
  logBuckets(): [number, number][] {
    const buckets = [...this.buckets()];
    const out: [number, number][] = [];
    let cumulative = 0;
    let reported = 0;
    let next = 0;
    // 1024 ns is bucket (exponent 3, 128); each doubling adds one to the exponent.
    for (let exp = 3; cumulative < this.total; exp++) {
      const highestUsec = LatencyHistogram.value(exp, 128);
      while (next < buckets.length && buckets[next]![0] <= highestUsec) cumulative += buckets[next++]![1];
      if (cumulative > reported) {
        out.push([Math.floor(highestUsec), cumulative]);
        reported = cumulative;
      }
    }
    return out;
  }

  /** The value at a percentile (0..100), in microseconds. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const [value, count] of this.buckets()) {
      seen += count;
      if (seen >= target) return value;
    }
    return 0;
  }
}

/** State of one server kept by the server commands. */
export interface ServerState {
  /** process memory (heap + external) when the server commands first looked. */
  startupMemory: number;
  peakMemory: number;
  /** 40 hex characters (INFO replication master_replid). */
  replId: string;
  /** Successful SAVE/BGSAVE runs (INFO rdb_saves). */
  rdbSaves: number;
  /** Last "save" duration in seconds (-1: never). */
  lastBgsaveSeconds: number;
  /** Value of the server's dirty counter at the last save, if it keeps one. */
  dirtyAtSave: number;
  /** False after DEBUG SET-ACTIVE-EXPIRE 0. */
  activeExpire: boolean;
  /** Per command full name. */
  latency: Map<string, LatencyHistogram>;
}

const states = new WeakMap<ServerCore, ServerState>();

/** Used memory as reddish reports it: the V8 heap in use plus buffers held outside it. */
export function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** The state of `server`, created on first use. */
export function serverState(server: ServerCore): ServerState {
  let s = states.get(server);
  if (!s) {
    const used = usedMemory();
    s = {
      startupMemory: used,
      peakMemory: used,
      replId: randomBytes(20).toString("hex"),
      rdbSaves: 0,
      lastBgsaveSeconds: -1,
      dirtyAtSave: 0,
      activeExpire: true,
      latency: new Map(),
    };
    states.set(server, s);
  }
  return s;
}

/** Samples memory use, updating the peak; returns the current figure. */
export function sampleMemory(server: ServerCore): number {
  const s = serverState(server);
  const used = usedMemory();
  if (used > s.peakMemory) s.peakMemory = used;
  return used;
}

/** The server's count of changes (Redis's server.dirty), when the core keeps one. */
export function dirtyCount(server: ServerCore): number {
  return server.dirty;
}

/**
 * Records one call's latency for INFO latencystats (when latency-tracking is on). The dispatcher
 * records through the histogram it keeps in the command's statistics instead.
 */
export function recordLatency(server: ServerCore, fullName: string, usec: number): void {
  if (!server.config.hot.latencyTracking) return;
  latencyHistogram(server, fullName).record(usec);
}

/** The latency histogram of a command (full name) on `server`, created on first use. */
export function latencyHistogram(server: ServerCore, fullName: string): LatencyHistogram {
  const s = serverState(server);
  let h = s.latency.get(fullName);
  if (!h) s.latency.set(fullName, (h = new LatencyHistogram()));
  return h;
}

/**
 * Switches active expiry on or off (DEBUG SET-ACTIVE-EXPIRE). While off, the periodic expiry
 * cycle of this server's keyspace does nothing; keys still expire lazily when accessed.
 */
export function setActiveExpire(server: ServerCore, enabled: boolean): void {
  serverState(server).activeExpire = enabled;
  server.activeExpireEnabled = enabled;
}

/** Marks a completed (pretend) save: reddish keeps no files. */
export function recordSave(server: ServerCore): void {
  const s = serverState(server);
  server.lastSave = Math.floor(server.clock.now() / 1000);
  s.rdbSaves++;
  s.lastBgsaveSeconds = 0;
  s.dirtyAtSave = dirtyCount(server);
}
