/**
 * Injectable time. Expiry is stored as absolute Unix milliseconds (as in Redis), so the system
 * clock behaves like a real server and a {@link ManualClock} makes TTL tests deterministic.
 */

/** A source of the current time. */
export interface Clock {
  /** Current Unix time in milliseconds. */
  now(): number;
  /** Current Unix time in microseconds (for TIME and latency figures). */
  nowMicros(): number;
  /**
   * Unix time in milliseconds at a `performance.now()` reading taken just before, when the clock
   * can tell (the dispatcher reads the monotonic clock once per command for both its timing and
   * the command's time). Optional: {@link Clock.now} is used otherwise.
   */
  nowAt?(monotonicMs: number): number;
}

/** A clock that tests can move: jump forward or to a given time. */
export interface ControllableClock extends Clock {
  /** Moves time forward by `ms` milliseconds (negative values are refused). */
  fastForward(ms: number): void;
  /** Sets the current time. */
  setTime(time: Date | number): void;
}

/** How long SystemClock follows the monotonic clock before reading the wall clock again. */
const RESYNC_MS = 250;

/**
 * The machine's clock, plus an offset that {@link SystemClock.fastForward} and
 * {@link SystemClock.setTime} adjust; time keeps flowing from there. Between readings of the wall
 * clock (`Date.now()`, at most every 250 ms) time advances with `performance.now()`, so that one
 * monotonic reading per command serves both its timing and its time.
 */
export class SystemClock implements ControllableClock {
  private offsetMs = 0;
  /** `Date.now()` minus `performance.now()` at the last wall-clock reading. */
  private base = 0;
  private syncedAt = Number.NEGATIVE_INFINITY;
  now(): number {
    return this.nowAt(performance.now());
  }
  nowAt(monotonicMs: number): number {
    if (monotonicMs - this.syncedAt > RESYNC_MS || monotonicMs < this.syncedAt) {
      this.base = Date.now() - monotonicMs;
      this.syncedAt = monotonicMs;
    }
    return Math.floor(monotonicMs + this.base) + this.offsetMs;
  }
  nowMicros(): number {
    return Math.floor((performance.timeOrigin + performance.now() + this.offsetMs) * 1000);
  }
  fastForward(ms: number): void {
    checkForward(ms);
    this.offsetMs += ms;
  }
  setTime(time: Date | number): void {
    this.offsetMs = 0;
    this.offsetMs = (typeof time === "number" ? time : time.getTime()) - this.now();
  }
}

function checkForward(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError("fastForward expects a non-negative number of ms");
}

/** A clock that moves only when told to: `fastForward(ms)` or `setTime(date)`. */
export class ManualClock implements ControllableClock {
  private ms: number;
  constructor(start: Date | number = Date.now()) {
    this.ms = typeof start === "number" ? start : start.getTime();
  }
  now(): number {
    return this.ms;
  }
  nowMicros(): number {
    return this.ms * 1000;
  }
  /** Moves time forward by `ms` milliseconds (negative values are refused). */
  fastForward(ms: number): void {
    checkForward(ms);
    this.ms += ms;
  }
  /** Sets the current time. */
  setTime(time: Date | number): void {
    this.ms = typeof time === "number" ? time : time.getTime();
  }
}
