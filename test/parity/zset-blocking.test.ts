/**
 * Parity: BZPOPMIN, BZPOPMAX, BZMPOP. Immediate answers, timeouts, argument errors, and several
 * clients: a step sent with `replies: 0` blocks its client; the next step waits until the server
 * reports it blocked (`waitBlocked`), wakes it, and a `pending` step reads the reply. Timeouts are
 * ~50-100 ms to keep the suite short.
 */
import { paritySuite, type Step } from "./harness.js";

/** Sends a command on `client` that is expected to block (its reply is read by {@link pending}). */
function blocked(client: number, ...cmd: string[]): Step {
  return { cmd, client, replies: 0 };
}

/** Reads the reply owed to `client` by an earlier {@link blocked} step. */
function pending(client: number, replies = 1): Step {
  return { cmd: [], client, pending: true, replies };
}

/** Runs `cmd` on client 0 once `n` clients are blocked. */
function whenBlocked(n: number, ...cmd: string[]): Step {
  return { cmd, waitBlocked: n };
}

paritySuite("zset-blocking", [
  {
    name: "served at once when a key has members",
    steps: [
      ["ZADD", "b", "1", "x", "2", "y", "3", "z", "1.5", "w"],
      ["BZPOPMIN", "a", "b", "0"],
      ["BZPOPMAX", "a", "b", "0"],
      ["BZMPOP", "0", "2", "a", "b", "MIN"],
      ["BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "5"],
      ["EXISTS", "b"],
      ["ZADD", "a", "1", "p"],
      ["ZADD", "b", "2", "q"],
      ["BZPOPMAX", "a", "b", "1"],
      ["BZPOPMIN", "a", "b", "1"],
      ["ZADD", "big", ...Array.from({ length: 300 }, (_, i) => [String(i % 10), `m${i}`]).flat()],
      ["BZPOPMIN", "big", "0"],
      ["BZMPOP", "0", "1", "big", "MAX", "COUNT", "3"],
      ["ZCARD", "big"],
    ],
  },
  {
    name: "wrong type stops the key scan where Redis does",
    steps: [
      ["SET", "s", "v"],
      ["ZADD", "z", "1", "x", "2", "y"],
      ["BZPOPMIN", "s", "z", "0"],
      ["BZPOPMIN", "z", "s", "0"],
      ["BZPOPMAX", "missing", "s", "z", "0"],
      ["BZMPOP", "0", "2", "z", "s", "MAX"],
      ["BZMPOP", "0", "2", "missing", "s", "MIN"],
      ["RPUSH", "l", "x"],
      ["BZPOPMIN", "l", "0"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "timeouts reply a null array",
    steps: [
      ["BZPOPMIN", "a", "0.05"],
      ["BZPOPMAX", "a", "b", "0.05"],
      ["BZMPOP", "0.05", "1", "a", "MIN"],
      ["BZMPOP", "0.05", "2", "a", "b", "MAX", "COUNT", "3"],
      ["BZPOPMIN", "a", "1e-3"],
    ],
  },
  {
    name: "argument errors",
    steps: [
      ["ZADD", "z", "1", "x"],
      ["BZPOPMIN", "z", "abc"],
      ["BZPOPMIN", "z", "-1"],
      ["BZPOPMAX", "z", "inf"],
      ["BZPOPMAX", "z", "nan"],
      ["BZPOPMIN", "z", ""],
      ["BZMPOP", "x", "1", "z", "MIN"],
      ["BZMPOP", "-1", "1", "z", "MIN"],
      ["BZMPOP", "x", "0", "z", "MIN"],
      ["BZMPOP", "x", "1", "z", "MIDDLE"],
      ["BZMPOP", "x", "1", "z", "MIN", "COUNT", "0"],
      ["BZMPOP", "0", "2", "z", "MIN"],
      ["BZMPOP", "0", "1", "z", "MIN", "COUNT"],
      ["BZMPOP", "0", "1", "z", "MIN", "COUNT", "-2"],
      ["BZMPOP", "0", "1", "z", "MIN", "FOO", "1"],
      ["ZCARD", "z"],
    ],
  },
  {
    name: "arity errors",
    steps: [["BZPOPMIN", "k"], ["BZPOPMAX"], ["BZMPOP", "0", "1", "k"], ["BZMPOP", "0"]],
  },
  {
    name: "bzpopmin woken by zadd",
    steps: [
      blocked(1, "BZPOPMIN", "k", "0"),
      whenBlocked(1, "ZADD", "k", "2", "b", "1", "a"),
      pending(1),
      ["ZRANGE", "k", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "bzpopmax woken by zincrby, bzmpop by zunionstore",
    steps: [
      blocked(1, "BZPOPMAX", "k", "0"),
      whenBlocked(1, "ZINCRBY", "k", "1.5", "m"),
      pending(1),
      ["EXISTS", "k"],
      ["ZADD", "src", "1", "a", "2", "b", "3", "c"],
      blocked(1, "BZMPOP", "0", "1", "dst", "MAX", "COUNT", "2"),
      whenBlocked(1, "ZUNIONSTORE", "dst", "1", "src"),
      pending(1),
      ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "served from the key that got members, in blocking order",
    steps: [
      blocked(1, "BZPOPMIN", "a", "b", "c", "0"),
      { ...blocked(2, "BZMPOP", "0", "2", "c", "a", "MIN", "COUNT", "10"), waitBlocked: 1, client: 2 },
      { ...blocked(3, "BZPOPMAX", "c", "0"), waitBlocked: 2, client: 3 },
      whenBlocked(3, "ZADD", "c", "1", "x", "2", "y", "3", "z"),
      pending(1),
      pending(2),
      whenBlocked(1, "ZADD", "c", "5", "last"),
      pending(3),
      ["EXISTS", "c"],
    ],
  },
  {
    name: "served from the first key made ready in a transaction",
    steps: [
      blocked(1, "BZPOPMIN", "a", "b", "0"),
      whenBlocked(1, "MULTI"),
      ["ZADD", "b", "1", "from-b"],
      ["ZADD", "a", "1", "from-a"],
      ["EXEC"],
      pending(1),
      ["ZRANGE", "a", "0", "-1"],
      ["ZRANGE", "b", "0", "-1"],
    ],
  },
  {
    name: "a transaction that adds and pops leaves the client blocked",
    steps: [
      blocked(1, "BZPOPMIN", "k", "0"),
      whenBlocked(1, "MULTI"),
      ["ZADD", "k", "1", "x"],
      ["ZPOPMIN", "k"],
      ["EXEC"],
      whenBlocked(1, "ZADD", "k", "2", "y"),
      pending(1),
    ],
  },
  {
    name: "key recreated with another type keeps the client blocked",
    steps: [
      blocked(1, "BZPOPMIN", "k", "0"),
      whenBlocked(1, "SET", "k", "v"),
      whenBlocked(1, "DEL", "k"),
      whenBlocked(1, "RPUSH", "k", "x"),
      whenBlocked(1, "DEL", "k"),
      ["ZADD", "k", "7", "m"],
      pending(1),
    ],
  },
  {
    name: "blocking pops inside MULTI do not block",
    steps: [
      ["MULTI"],
      ["BZPOPMIN", "nok", "0"],
      ["BZPOPMAX", "nok", "0"],
      ["BZMPOP", "0", "1", "nok", "MIN"],
      ["ZADD", "k", "1", "a", "2", "b", "3", "c"],
      ["BZPOPMIN", "k", "0"],
      ["BZPOPMAX", "k", "0"],
      ["BZMPOP", "0", "1", "k", "MIN", "COUNT", "5"],
      ["BZPOPMIN", "k", "x"],
      ["EXEC"],
      ["EXISTS", "k"],
    ],
  },
  {
    name: "client unblock timeout and error",
    steps: [
      { cmd: ["CLIENT", "ID"], client: 1, capture: "id1", compare: "ignore" },
      blocked(1, "BZPOPMIN", "k", "0"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}"),
      pending(1),
      blocked(1, "BZMPOP", "0", "1", "k", "MAX"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}", "ERROR"),
      pending(1),
      ["ZADD", "k", "1", "x"],
      ["ZCARD", "k"],
    ],
  },
  {
    name: "timeout while another client adds elsewhere",
    steps: [
      blocked(1, "BZPOPMAX", "k", "0.1"),
      whenBlocked(1, "ZADD", "other", "1", "x"),
      pending(1),
      ["ZCARD", "other"],
    ],
  },
  {
    name: "three clients race for one key; a disconnected waiter is skipped",
    steps: [
      blocked(1, "BZPOPMIN", "k", "0"),
      { ...blocked(2, "BZPOPMAX", "k", "0"), waitBlocked: 1, client: 2 },
      { ...blocked(3, "BZMPOP", "0", "1", "k", "MAX", "COUNT", "2"), waitBlocked: 2, client: 3 },
      whenBlocked(3, "PING"),
      { cmd: [], client: 2, close: true },
      whenBlocked(2, "ZADD", "k", "1", "a"),
      pending(1),
      whenBlocked(1, "ZADD", "k", "2", "b", "3", "c", "4", "d"),
      pending(3),
      ["ZRANGE", "k", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "a waiter on several keys is served once, by the first key to get members",
    steps: [
      blocked(1, "BZPOPMAX", "a", "b", "0"),
      { ...blocked(2, "BZPOPMIN", "b", "a", "0"), waitBlocked: 1, client: 2 },
      whenBlocked(2, "MULTI"),
      ["ZADD", "b", "1", "x", "2", "y"],
      ["ZADD", "a", "5", "z"],
      ["EXEC"],
      pending(1),
      pending(2),
      ["ZRANGE", "a", "0", "-1", "WITHSCORES"],
      ["ZRANGE", "b", "0", "-1", "WITHSCORES"],
    ],
  },
]);
