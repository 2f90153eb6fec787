/**
 * `client-output-buffer-limit` (Redis's checkClientOutputBufferLimits): a client whose pending
 * output reaches its class's hard limit, or stays at or above the soft limit for longer than the
 * soft seconds, is disconnected. This is what keeps a subscriber that does not read from making
 * the server grow without bound.
 */
import type { Client } from "./client.js";
import type { Config } from "./config.js";

/** Limits of one client class, in bytes and seconds (0: no limit). */
interface ClassLimits {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Parsed limits by class, refreshed when the configuration changes. */
export class OutputLimits {
  private normal: ClassLimits = { hard: 0, soft: 0, softSeconds: 0 };
  private pubsub: ClassLimits = { hard: 0, soft: 0, softSeconds: 0 };
  /** When each client first went over its soft limit (Redis's obuf_soft_limit_reached_time). */
  private readonly softSince = new WeakMap<Client, number>();

  constructor(config: Config) {
    this.load(config.get("client-output-buffer-limit"));
    config.onChange((name, value) => {
      if (name === "client-output-buffer-limit") this.load(value);
    });
  }

  private load(value: string): void {
    // The canonical value is `normal h s secs slave h s secs pubsub h s secs`.
    const parts = value.split(" ");
    const read = (i: number): ClassLimits => ({
      hard: Number(parts[i + 1]),
      soft: Number(parts[i + 2]),
      softSeconds: Number(parts[i + 3]),
    });
    this.normal = read(0);
    this.pubsub = read(8);
  }

  /**
   * True when `client`, with `used` bytes of pending output, must be disconnected now. Redis's
   * getClientType: a client with subscriptions is of the pubsub class; reddish has no replicas.
   */
  exceeded(client: Client, used: number, now: number): boolean {
    const limits = client.subscriptionCount > 0 ? this.pubsub : this.normal;
    const hard = limits.hard > 0 && used >= limits.hard;
    let soft = limits.soft > 0 && used >= limits.soft;
    if (soft) {
      const since = this.softSince.get(client);
      if (since === undefined) {
        this.softSince.set(client, now);
        soft = false;
      } else if (now - since <= limits.softSeconds * 1000) {
        soft = false;
      }
    } else {
      this.softSince.delete(client);
    }
    return hard || soft;
  }
}
