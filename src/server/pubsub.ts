/**
 * The pub/sub registry (Redis's pubsub.c): which clients listen to which channels, patterns and
 * shard channels, and delivery of published messages. Subscription and unsubscription
 * confirmations are written here too, because Redis writes them per channel as it goes.
 *
 * Delivery order is Redis 7.0's: the channel's subscribers in subscription order, then, for each
 * matching pattern, that pattern's subscribers. Redis walks its pattern dictionary in hash order
 * (randomly seeded per process), so the order among several matching patterns is not defined;
 * reddish uses pattern creation order.
 *
 * Messages go to a client outside its own command through {@link ClientTransport.pushed}, which
 * flushes them and applies the client's output buffer limits.
 */
import type { Client } from "./client.js";
import { globMatch } from "../util/glob.js";

/** The kind of channel: global or shard (SSUBSCRIBE/SPUBLISH). */
type Kind = "global" | "shard";

const NAMES = {
  global: { subscribe: "subscribe", unsubscribe: "unsubscribe", message: "message" },
  shard: { subscribe: "ssubscribe", unsubscribe: "sunsubscribe", message: "smessage" },
} as const;

/** Server-wide subscription tables. */
export class PubSub {
  /** Channel -> subscribers, in subscription order. */
  readonly channels = new Map<string, Set<Client>>();
  /** Pattern -> subscribers, in subscription order. */
  readonly patterns = new Map<string, Set<Client>>();
  /** Shard channel -> subscribers. */
  readonly shardChannels = new Map<string, Set<Client>>();

  /** Subscribes `c` to `channel` (no-op if already) and confirms; true if newly subscribed. */
  subscribe(c: Client, channel: string, kind: Kind = "global"): boolean {
    const own = kind === "global" ? c.channels : c.shardChannels;
    let added = false;
    if (!own.has(channel)) {
      own.add(channel);
      addTo(this.table(kind), channel, c);
      added = true;
    }
    confirm(c, NAMES[kind].subscribe, channel, countFor(c, kind));
    return added;
  }

  /** Unsubscribes `c` from `channel`; confirms when `notify`. True if it was subscribed. */
  unsubscribe(c: Client, channel: string, notify: boolean, kind: Kind = "global"): boolean {
    const own = kind === "global" ? c.channels : c.shardChannels;
    const removed = own.delete(channel);
    if (removed) removeFrom(this.table(kind), channel, c);
    if (notify) confirm(c, NAMES[kind].unsubscribe, channel, countFor(c, kind));
    return removed;
  }

  /** Unsubscribes `c` from every channel of a kind (UNSUBSCRIBE / SUNSUBSCRIBE without arguments). */
  unsubscribeAll(c: Client, notify: boolean, kind: Kind = "global"): number {
    const own = kind === "global" ? c.channels : c.shardChannels;
    let count = 0;
    for (const channel of [...own]) if (this.unsubscribe(c, channel, notify, kind)) count++;
    // Subscribed to nothing: Redis still confirms, with a null channel.
    if (notify && count === 0) confirm(c, NAMES[kind].unsubscribe, null, countFor(c, kind));
    return count;
  }

  /** Subscribes `c` to `pattern` and confirms. */
  psubscribe(c: Client, pattern: string): boolean {
    let added = false;
    if (!c.patterns.has(pattern)) {
      c.patterns.add(pattern);
      addTo(this.patterns, pattern, c);
      added = true;
    }
    confirm(c, "psubscribe", pattern, countFor(c, "global"));
    return added;
  }

  /** Unsubscribes `c` from `pattern`; confirms when `notify`. */
  punsubscribe(c: Client, pattern: string, notify: boolean): boolean {
    const removed = c.patterns.delete(pattern);
    if (removed) removeFrom(this.patterns, pattern, c);
    if (notify) confirm(c, "punsubscribe", pattern, countFor(c, "global"));
    return removed;
  }

  /** PUNSUBSCRIBE without arguments: every pattern, in subscription order (as Redis 7.0's list). */
  punsubscribeAll(c: Client, notify: boolean): number {
    let count = 0;
    for (const pattern of [...c.patterns]) if (this.punsubscribe(c, pattern, notify)) count++;
    if (notify && count === 0) confirm(c, "punsubscribe", null, countFor(c, "global"));
    return count;
  }

  /** Drops every subscription of `c` silently (RESET, disconnection). */
  removeClient(c: Client): void {
    if (c.subscriptionCount === 0) return;
    this.unsubscribeAll(c, false, "global");
    this.unsubscribeAll(c, false, "shard");
    this.punsubscribeAll(c, false);
  }

  /** Delivers `message` to the subscribers of `channel`; returns how many received it. */
  publish(channel: string, message: string, kind: Kind = "global"): number {
    let receivers = 0;
    const subscribers = this.table(kind).get(channel);
    if (subscribers) {
      const name = NAMES[kind].message;
      for (const c of subscribers) {
        deliver(c, name, null, channel, message);
        receivers++;
      }
    }
    // Shard channels ignore patterns.
    if (kind === "shard" || this.patterns.size === 0) return receivers;
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        deliver(c, "pmessage", pattern, channel, message);
        receivers++;
      }
    }
    return receivers;
  }

  /** Number of distinct channels and patterns with subscribers (as INFO's pubsub_channels...). */
  get channelCount(): number {
    return this.channels.size;
  }
  get patternCount(): number {
    return this.patterns.size;
  }
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  private table(kind: Kind): Map<string, Set<Client>> {
    return kind === "global" ? this.channels : this.shardChannels;
  }
}

/** The count Redis puts in confirmations: channels + patterns, or shard channels. */
function countFor(c: Client, kind: Kind): number {
  return kind === "global" ? c.channels.size + c.patterns.size : c.shardChannels.size;
}

function addTo(table: Map<string, Set<Client>>, name: string, c: Client): void {
  let set = table.get(name);
  if (!set) table.set(name, (set = new Set()));
  set.add(c);
}

function removeFrom(table: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = table.get(name);
  if (!set) return;
  set.delete(c);
  // Free the entry with its last subscriber, so channels do not accumulate.
  if (set.size === 0) table.delete(name);
}

/** A subscribe/unsubscribe confirmation: a push in RESP3, an array in RESP2. */
function confirm(c: Client, kind: string, name: string | null, count: number): void {
  const r = c.reply;
  r.push(3);
  r.bulk(kind);
  if (name === null) r.nullBulk();
  else r.bulk(name);
  r.integer(count);
}

/**
 * Writes a message to a subscriber, outside its command cycle. In-process clients (no
 * transport) cannot receive out-of-band data and get nothing, though they count as receivers.
 */
function deliver(c: Client, kind: string, pattern: string | null, channel: string, message: string): void {
  const transport = c.transport;
  if (transport === null || c.closing) return;
  const r = c.reply;
  r.push(pattern === null ? 3 : 4);
  r.bulk(kind);
  if (pattern !== null) r.bulk(pattern);
  r.bulk(channel);
  r.bulk(message);
  transport.pushed?.();
}
