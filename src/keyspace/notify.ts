/**
 * Keyspace-event classes (Redis's NOTIFY_* flags, the letters of `notify-keyspace-events`).
 * Commands raise events with {@link Keyspace.notify}; whatever publishes them (pub/sub, client
 * tracking, tests) listens through {@link KeyspaceListener.keyspaceEvent}.
 */
export const NotifyClass = {
  /** `K`: publish on `__keyspace@<db>__:<key>`. */
  keyspace: 1 << 0,
  /** `E`: publish on `__keyevent@<db>__:<event>`. */
  keyevent: 1 << 1,
  /** `g`: generic commands (DEL, EXPIRE, RENAME...). */
  generic: 1 << 2,
  /** `$`: string commands. */
  string: 1 << 3,
  /** `l`: list commands. */
  list: 1 << 4,
  /** `s`: set commands. */
  set: 1 << 5,
  /** `h`: hash commands. */
  hash: 1 << 6,
  /** `z`: sorted-set commands. */
  zset: 1 << 7,
  /** `x`: expired events (a key deleted because its TTL passed). */
  expired: 1 << 8,
  /** `e`: evicted events (a key deleted by maxmemory eviction). */
  evicted: 1 << 9,
  /** `t`: stream commands. */
  stream: 1 << 10,
  /** `m`: key-miss events (a read found no key). */
  keyMiss: 1 << 11,
  /** `n`: new-key events. */
  newKey: 1 << 14,
} as const;

/** One of the {@link NotifyClass} flags. */
export type NotifyClassFlag = (typeof NotifyClass)[keyof typeof NotifyClass];
