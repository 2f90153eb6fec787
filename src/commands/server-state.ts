/**
 * Per-server state the server commands keep beyond ServerCore's own fields: memory peak,
 * replication id, save statistics, active-expiry switch and per-command latency histograms.
 * Kept in a WeakMap keyed by the ServerCore so it lives and dies with the server.
 */
import { randomBytes } from "node:crypto";
import type { ServerCore } from "../server/core.js";

/** A log-linear latency histogram (microseconds), like the HDR histograms Redis keeps. */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  total = 0;

  /** Bucket key: exponent * 256 + the top 8 bits of the value in nanoseconds (as Redis records). */
  private static bucket(usec: number): number {
    const v = Math.max(1, Math.round(usec * 1000));
    const log2 = v < 0x80000000 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
    const exp = Math.max(0, log2 - 7);
    return exp * 256 + Math.floor(v / 2 ** exp);
  }

  /** The highest value a bucket stands for, in microseconds. */
  private static value(bucket: number): number {
    const exp = Math.floor(bucket / 256);
    const mant = bucket % 256;
    return ((mant + 1) * 2 ** exp - 1) / 1000;
  }

  record(usec: number): void {
    const b = LatencyHistogram.bucket(usec);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total++;
  }

  /**
   * The cumulative distribution as LATENCY HISTOGRAM reports it (Redis iterates its histogram
   * logarithmically from 1024 ns, doubling): for each level that adds calls, the level's highest
   * equivalent value in whole microseconds and the number of calls at or below it.
   */
  logBuckets(): [number, number][] {
    const keys = [...this.counts.keys()].sort((x, y) => x - y);
    const out: [number, number][] = [];
    let cumulative = 0;
    let reported = 0;
    let next = 0;
    for (let levelNs = 1024; cumulative < this.total; levelNs *= 2) {
      const highestUsec = LatencyHistogram.value(LatencyHistogram.bucket(levelNs / 1000));
      while (next < keys.length && LatencyHistogram.value(keys[next]!) <= highestUsec) {
        cumulative += this.counts.get(keys[next]!)!;
        next++;
      }
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
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b)!;
      if (seen >= target) return LatencyHistogram.value(b);
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
 * calls this after each command.
 */
export function recordLatency(server: ServerCore, fullName: string, usec: number): void {
  if (!server.config.hot.latencyTracking) return;
  const s = serverState(server);
  let h = s.latency.get(fullName);
  if (!h) s.latency.set(fullName, (h = new LatencyHistogram()));
  h.record(usec);
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
