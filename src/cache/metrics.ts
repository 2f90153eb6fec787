/**
 * Per-keyspace metrics (operations, hits, misses, errors, latency) readable from code, and the
 * same information as events, so a hit rate needs no wrapper around calls.
 */
import { EventEmitter } from "node:events";

/** Outcome of one keyspace operation. `hit`/`miss` only for reads that may find nothing. */
export type OperationResult = "hit" | "miss" | "ok" | "error";

/** One finished keyspace operation, as emitted on `"operation"` events. */
export interface CacheOperationEvent {
  /** The cluster's name. */
  readonly cluster: string;
  /** The keyspace's key pattern. */
  readonly keyspace: string;
  /** The method called, e.g. `"get"`, `"increment"`. */
  readonly operation: string;
  /** The Redis key (the first one for multi-key operations). */
  readonly key: string | undefined;
  readonly result: OperationResult;
  /** Wall time of the call, in milliseconds. */
  readonly durationMs: number;
  /** The error thrown, when `result` is `"error"`. */
  readonly error?: Error;
}

/** A snapshot of a keyspace's counters. */
export interface KeyspaceMetricsSnapshot {
  readonly operations: number;
  readonly hits: number;
  readonly misses: number;
  readonly errors: number;
  /** hits / (hits + misses); 0 before any read. */
  readonly hitRate: number;
  /** Sum, mean and maximum of operation latencies, in milliseconds. */
  readonly totalLatencyMs: number;
  readonly meanLatencyMs: number;
  readonly maxLatencyMs: number;
}

/** Live counters of one keyspace (also see the `"operation"` event of `cacheEvents` and of the keyspace). */
export class KeyspaceMetrics {
  operations = 0;
  hits = 0;
  misses = 0;
  errors = 0;
  totalLatencyMs = 0;
  maxLatencyMs = 0;

  /** hits / (hits + misses); 0 before any read. */
  get hitRate(): number {
    const reads = this.hits + this.misses;
    return reads === 0 ? 0 : this.hits / reads;
  }

  /** Records one operation. */
  record(result: OperationResult, durationMs: number, count = 1): void {
    this.operations++;
    if (result === "hit") this.hits += count;
    else if (result === "miss") this.misses += count;
    else if (result === "error") this.errors++;
    this.totalLatencyMs += durationMs;
    if (durationMs > this.maxLatencyMs) this.maxLatencyMs = durationMs;
  }

  /** A frozen copy of the counters. */
  snapshot(): KeyspaceMetricsSnapshot {
    return Object.freeze({
      operations: this.operations,
      hits: this.hits,
      misses: this.misses,
      errors: this.errors,
      hitRate: this.hitRate,
      totalLatencyMs: this.totalLatencyMs,
      meanLatencyMs: this.operations === 0 ? 0 : this.totalLatencyMs / this.operations,
      maxLatencyMs: this.maxLatencyMs,
    });
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.operations = this.hits = this.misses = this.errors = 0;
    this.totalLatencyMs = this.maxLatencyMs = 0;
  }
}

/** Events of every keyspace: `cacheEvents.on("operation", (e: CacheOperationEvent) => ...)`. */
export const cacheEvents = new EventEmitter<{ operation: [CacheOperationEvent] }>();
