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
}

/** A clock that tests can move: jump forward or to a given time. */
export interface ControllableClock extends Clock {
  /** Moves time forward by `ms` milliseconds (negative values are refused). */
  fastForward(ms: number): void;
  /** Sets the current time. */
  setTime(time: Date | number): void;
}

/**
 * The machine's clock, plus an offset that {@link SystemClock.fastForward} and
 * {@link SystemClock.setTime} adjust; time keeps flowing from there.
 */
export class SystemClock implements ControllableClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  nowMicros(): number {
    return Math.floor((performance.timeOrigin + performance.now() + this.offsetMs) * 1000);
  }
  fastForward(ms: number): void {
    checkForward(ms);
    this.offsetMs += ms;
  }
  setTime(time: Date | number): void {
    this.offsetMs = (typeof time === "number" ? time : time.getTime()) - Date.now();
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
