/**
 * Expiry of cache entries: a tagged union built by the helpers below (both Encore's capitalised
 * names and camelCase ones), resolved into a {@link DriverExpiry} at write time.
 */
import type { DriverExpiry } from "./driver.js";
import { CacheConfigError } from "./errors.js";

/** When a written entry expires. Build it with {@link expireIn}, {@link expireDailyAt}, {@link neverExpire}... */
export type Expiry =
  /** Expires `ms` milliseconds after the write; zero or negative: expired at once. */
  | { readonly kind: "duration"; readonly ms: number }
  /** Expires at the next given time of day, UTC. */
  | { readonly kind: "daily"; readonly hours: number; readonly minutes: number; readonly seconds: number }
  /** Never expires (removes any TTL); the backend may still evict it under memory pressure. */
  | { readonly kind: "never" }
  /** Keeps the key's current TTL (a new key gets none). */
  | { readonly kind: "keep-ttl" };

function duration(ms: number, unit: string): Expiry {
  if (typeof ms !== "number" || Number.isNaN(ms))
    throw new CacheConfigError(`expiry ${unit} must be a number, got ${String(ms)}`);
  return { kind: "duration", ms };
}

/** Expires `ms` milliseconds after the write (negative or zero: at once). */
export function expireIn(ms: number): Expiry {
  return duration(ms, "milliseconds");
}
/** Expires `seconds` seconds after the write. */
export function expireInSeconds(seconds: number): Expiry {
  return duration(seconds * 1000, "seconds");
}
/** Expires `minutes` minutes after the write. */
export function expireInMinutes(minutes: number): Expiry {
  return duration(minutes * 60_000, "minutes");
}
/** Expires `hours` hours after the write. */
export function expireInHours(hours: number): Expiry {
  return duration(hours * 3_600_000, "hours");
}

/** Expires at the next `hours:minutes:seconds` UTC (strictly after the write), like Encore. */
export function expireDailyAt(hours: number, minutes = 0, seconds = 0): Expiry {
  const ok = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!ok(hours, 23) || !ok(minutes, 59) || !ok(seconds, 59))
    throw new CacheConfigError(
      `expireDailyAt(${hours}, ${minutes}, ${seconds}): expected hours 0-23, minutes and seconds 0-59`,
    );
  return { kind: "daily", hours, minutes, seconds };
}

/** The entry never expires (any previous TTL is removed). */
export const neverExpire: Expiry = Object.freeze({ kind: "never" });
/** The write keeps the key's current TTL. */
export const keepTTL: Expiry = Object.freeze({ kind: "keep-ttl" });

/** Same as {@link expireIn} (Encore's name). */
export const ExpireIn = expireIn;
/** Same as {@link expireInSeconds} (Encore's name). */
export const ExpireInSeconds = expireInSeconds;
/** Same as {@link expireInMinutes} (Encore's name). */
export const ExpireInMinutes = expireInMinutes;
/** Same as {@link expireInHours} (Encore's name). */
export const ExpireInHours = expireInHours;
/** Same as {@link expireDailyAt} (Encore's name). */
export const ExpireDailyAt = expireDailyAt;
/** Same as {@link neverExpire} (Encore's name). */
export const NeverExpire: Expiry = neverExpire;
/** Same as {@link keepTTL} (Encore's name). */
export const KeepTTL: Expiry = keepTTL;

const DAY_MS = 86_400_000;

/**
 * The driver-level expiry of a write, given the configured {@link Expiry} (if any) and the
 * backend's time (`now`, read only for daily expiries).
 */
export function resolveExpiry(expiry: Expiry | undefined, now: () => number): DriverExpiry {
  if (expiry === undefined) return UNSET;
  switch (expiry.kind) {
    case "duration":
      return { kind: "in", ms: expiry.ms };
    case "never":
      return NEVER;
    case "keep-ttl":
      return KEEP;
    case "daily": {
      const t = now();
      const dayStart = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
      let at = dayStart + ((expiry.hours * 60 + expiry.minutes) * 60 + expiry.seconds) * 1000;
      if (at <= t) at += DAY_MS;
      return { kind: "in", ms: at - t };
    }
  }
}

const UNSET: DriverExpiry = Object.freeze({ kind: "unset" });
const NEVER: DriverExpiry = Object.freeze({ kind: "never" });
const KEEP: DriverExpiry = Object.freeze({ kind: "keep" });
