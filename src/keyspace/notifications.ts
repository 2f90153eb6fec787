/**
 * Keyspace notifications (Redis's notify.c): turns keyspace events into pub/sub messages on
 * `__keyspace@<db>__:<key>` (message: the event) and `__keyevent@<db>__:<event>` (message: the
 * key), as `notify-keyspace-events` selects. The flags also set {@link Keyspace.eventMask}, so
 * events nobody wants are dropped before they reach here.
 */
import type { Database } from "./database.js";
import type { Keyspace, KeyspaceListener } from "./keyspace.js";
import { NotifyClass, type NotifyClassFlag } from "./notify.js";

/** `notify-keyspace-events` letters and their flags (`A` is every class but `m` and `n`). */
const LETTERS: Record<string, number> = {
  K: NotifyClass.keyspace,
  E: NotifyClass.keyevent,
  g: NotifyClass.generic,
  $: NotifyClass.string,
  l: NotifyClass.list,
  s: NotifyClass.set,
  h: NotifyClass.hash,
  z: NotifyClass.zset,
  x: NotifyClass.expired,
  e: NotifyClass.evicted,
  t: NotifyClass.stream,
  m: NotifyClass.keyMiss,
  n: NotifyClass.newKey,
};
const ALL =
  NotifyClass.generic |
  NotifyClass.string |
  NotifyClass.list |
  NotifyClass.set |
  NotifyClass.hash |
  NotifyClass.zset |
  NotifyClass.expired |
  NotifyClass.evicted |
  NotifyClass.stream;

/** The flags of a (validated) `notify-keyspace-events` value. Unknown letters (`d`) count for nothing. */
export function keyspaceEventFlags(value: string): number {
  let flags = 0;
  for (const ch of value) flags |= ch === "A" ? ALL : (LETTERS[ch] ?? 0);
  return flags;
}

/** Publishes keyspace events through `publish` (the pub/sub registry's). */
export class KeyspaceEventPublisher implements KeyspaceListener {
  private flags = 0;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly publish: (channel: string, message: string) => void,
  ) {}

  /** Applies a `notify-keyspace-events` value. */
  configure(value: string): void {
    this.flags = keyspaceEventFlags(value);
    // Without K or E nothing is published, whatever the classes.
    const targets = NotifyClass.keyspace | NotifyClass.keyevent;
    this.keyspace.eventMask = this.flags & targets ? this.flags & ~targets : 0;
  }

  keyspaceEvent(db: Database, klass: NotifyClassFlag, event: string, key: string): void {
    if ((this.flags & klass) === 0) return;
    if (this.flags & NotifyClass.keyspace) this.publish(`__keyspace@${db.id}__:${key}`, event);
    if (this.flags & NotifyClass.keyevent) this.publish(`__keyevent@${db.id}__:${event}`, key);
  }
}
