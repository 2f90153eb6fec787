/**
 * Parity: BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH. Immediate answers, timeouts, argument errors,
 * and several clients: a step sent with `replies: 0` blocks its client; the next step waits until
 * the server reports it blocked (`waitBlocked`), wakes it, and a `pending` step reads the reply.
 * Timeouts are ~50-100 ms to keep the suite short.
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

paritySuite("list-blocking", [
  {
    name: "served at once when a key has elements",
    steps: [
      ["RPUSH", "b", "1", "2", "3"],
      ["BLPOP", "a", "b", "0"],
      ["BRPOP", "a", "b", "0"],
      ["BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5"],
      ["EXISTS", "b"],
      ["RPUSH", "a", "x"],
      ["RPUSH", "b", "y"],
      ["BRPOP", "a", "b", "1"],
      ["BLPOP", "a", "b", "1"],
      ["RPUSH", "src", "s1", "s2"],
      ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"],
      ["BRPOPLPUSH", "src", "dst", "0"],
      ["LRANGE", "dst", "0", "-1"],
      ["EXISTS", "src"],
    ],
  },
  {
    name: "wrong type stops the key scan where Redis does",
    steps: [
      ["SET", "s", "v"],
      ["RPUSH", "l", "x", "y"],
      ["BLPOP", "s", "l", "0"],
      ["BLPOP", "l", "s", "0"],
      ["BLPOP", "missing", "s", "l", "0"],
      ["BLMPOP", "0", "2", "l", "s", "RIGHT"],
      ["BLMPOP", "0", "2", "missing", "s", "RIGHT"],
      ["BLMOVE", "s", "d", "LEFT", "LEFT", "0"],
      ["RPUSH", "l2", "z"],
      ["BLMOVE", "l2", "s", "LEFT", "LEFT", "0"],
      ["BRPOPLPUSH", "l2", "s", "0"],
      ["LRANGE", "l2", "0", "-1"],
    ],
  },
  {
    name: "timeouts reply a null array",
    steps: [
      ["BLPOP", "a", "0.05"],
      ["BRPOP", "a", "b", "0.05"],
      ["BLMPOP", "0.05", "1", "a", "LEFT"],
      ["BLMOVE", "a", "d", "LEFT", "LEFT", "0.05"],
      ["BRPOPLPUSH", "a", "d", "0.05"],
      ["BLPOP", "a", "0.00001"],
      ["BLPOP", "a", "1e-3"],
      ["BLPOP", "a", "0x0.1p-4"],
      ["BLPOP", "a", "+.05"],
      ["EXISTS", "d"],
    ],
  },
  {
    name: "timeout argument errors",
    steps: [
      ["RPUSH", "l", "x"],
      ["BLPOP", "l", "abc"],
      ["BLPOP", "l", "-1"],
      ["BLPOP", "l", "-0.001"],
      ["BLPOP", "l", "inf"],
      ["BLPOP", "l", "-inf"],
      ["BLPOP", "l", "nan"],
      ["BLPOP", "l", "1e400"],
      ["BLPOP", "l", ""],
      ["BLPOP", "l", " 1"],
      ["BLPOP", "l", "1 "],
      ["BLPOP", "l", "9223372036854775807"],
      ["BLPOP", "l", "9223372036854775.808"],
      ["BRPOP", "l", "x"],
      ["BLMOVE", "l", "d", "LEFT", "LEFT", "x"],
      ["BLMOVE", "l", "d", "UP", "LEFT", "x"],
      ["BLMOVE", "l", "d", "LEFT", "UP", "-1"],
      ["BRPOPLPUSH", "l", "d", "-1"],
      ["BLMPOP", "x", "1", "l", "LEFT"],
      ["BLMPOP", "-1", "1", "l", "LEFT"],
      ["BLMPOP", "x", "0", "l", "LEFT"],
      ["BLMPOP", "x", "1", "l", "UP"],
      ["BLMPOP", "x", "1", "l", "LEFT", "COUNT", "0"],
      ["BLMPOP", "0", "2", "l", "LEFT"],
      ["BLMPOP", "0", "1", "l", "LEFT", "COUNT"],
      ["BLMPOP", "0", "1", "l", "LEFT", "FOO", "1"],
      ["LLEN", "l"],
    ],
  },
  {
    name: "arity errors",
    steps: [
      ["BLPOP", "k"],
      ["BRPOP"],
      ["BLMOVE", "a", "b", "LEFT", "LEFT"],
      ["BRPOPLPUSH", "a", "b"],
      ["BLMPOP", "0", "1", "k"],
    ],
  },
  {
    name: "blpop woken by lpush",
    steps: [
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "LPUSH", "k", "a", "b"),
      pending(1),
      ["LRANGE", "k", "0", "-1"],
    ],
  },
  {
    name: "brpop woken by rpush of several",
    steps: [
      blocked(1, "BRPOP", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "a", "b", "c"),
      pending(1),
      ["LRANGE", "k", "0", "-1"],
    ],
  },
  {
    name: "served from the key that got elements",
    steps: [
      blocked(1, "BLPOP", "a", "b", "c", "0"),
      whenBlocked(1, "RPUSH", "c", "x"),
      pending(1),
      ["EXISTS", "c"],
    ],
  },
  {
    name: "served from the first key made ready in a transaction",
    steps: [
      blocked(1, "BLPOP", "a", "b", "0"),
      whenBlocked(1, "MULTI"),
      ["RPUSH", "b", "from-b"],
      ["RPUSH", "a", "from-a"],
      ["EXEC"],
      pending(1),
      ["LRANGE", "a", "0", "-1"],
      ["LRANGE", "b", "0", "-1"],
    ],
  },
  {
    name: "transaction that pushes and pops leaves the client blocked",
    steps: [
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "MULTI"),
      ["RPUSH", "k", "x"],
      ["LPOP", "k"],
      ["EXEC"],
      whenBlocked(1, "RPUSH", "k", "y"),
      pending(1),
    ],
  },
  {
    name: "clients are served in the order they blocked",
    steps: [
      blocked(1, "BLPOP", "k", "0"),
      { ...blocked(2, "BRPOP", "k", "0"), waitBlocked: 1, client: 2 },
      { ...blocked(3, "BLPOP", "k", "0"), waitBlocked: 2, client: 3 },
      whenBlocked(3, "RPUSH", "k", "a", "b"),
      pending(1),
      pending(2),
      whenBlocked(1, "RPUSH", "k", "c", "d"),
      pending(3),
      ["LRANGE", "k", "0", "-1"],
    ],
  },
  {
    name: "blmpop with count and a second waiter",
    steps: [
      blocked(1, "BLMPOP", "0", "2", "a", "k", "RIGHT", "COUNT", "2"),
      { ...blocked(2, "BLPOP", "k", "0"), waitBlocked: 1, client: 2 },
      whenBlocked(2, "RPUSH", "k", "a", "b", "c"),
      pending(1),
      pending(2),
      ["EXISTS", "k"],
    ],
  },
  {
    name: "blmove chain wakes the next waiter",
    steps: [
      blocked(1, "BLMOVE", "a", "b", "LEFT", "LEFT", "0"),
      { ...blocked(2, "BLPOP", "b", "0"), waitBlocked: 1, client: 2 },
      whenBlocked(2, "RPUSH", "a", "x"),
      pending(1),
      pending(2),
      ["EXISTS", "a", "b"],
    ],
  },
  {
    name: "brpoplpush chain of three",
    steps: [
      blocked(1, "BRPOPLPUSH", "a", "b", "0"),
      { ...blocked(2, "BRPOPLPUSH", "b", "c", "0"), waitBlocked: 1, client: 2 },
      { ...blocked(3, "BRPOP", "c", "0"), waitBlocked: 2, client: 3 },
      whenBlocked(3, "LPUSH", "a", "1", "2"),
      pending(1),
      pending(2),
      pending(3),
      ["LRANGE", "a", "0", "-1"],
      ["EXISTS", "b", "c"],
    ],
  },
  {
    name: "a key's waiters are all served before the keys their moves made ready",
    steps: [
      blocked(1, "BLMOVE", "k", "k2", "LEFT", "LEFT", "0"),
      { ...blocked(2, "BLPOP", "k2", "0"), waitBlocked: 1, client: 2 },
      { ...blocked(3, "BLPOP", "k", "0"), waitBlocked: 2, client: 3 },
      whenBlocked(3, "RPUSH", "k", "a", "b", "c"),
      pending(1),
      pending(3),
      pending(2),
      ["LRANGE", "k", "0", "-1"],
      ["EXISTS", "k2"],
    ],
  },
  {
    name: "move into the waited database wakes the client",
    steps: [
      { cmd: ["SELECT", "3"], client: 1 },
      blocked(1, "BRPOP", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "x", "y"),
      ["MOVE", "k", "3"],
      pending(1),
      ["EXISTS", "k"],
    ],
  },
  {
    name: "blmove rotating onto its own key then another waiter",
    steps: [
      blocked(1, "BLMOVE", "k", "k", "RIGHT", "LEFT", "0"),
      { ...blocked(2, "BLPOP", "k", "0"), waitBlocked: 1, client: 2 },
      whenBlocked(2, "RPUSH", "k", "x"),
      pending(1),
      pending(2),
      ["EXISTS", "k"],
    ],
  },
  {
    name: "blmove whose destination has the wrong type",
    steps: [
      ["SET", "s", "v"],
      blocked(1, "BLMOVE", "a", "s", "LEFT", "LEFT", "0"),
      whenBlocked(1, "RPUSH", "a", "x"),
      pending(1),
      ["LRANGE", "a", "0", "-1"],
      ["GET", "s"],
    ],
  },
  {
    name: "key recreated with another type keeps the client blocked",
    steps: [
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "SET", "k", "v"),
      whenBlocked(1, "SADD", "k2", "m"),
      ["DEL", "k"],
      ["RPUSH", "k", "x"],
      pending(1),
    ],
  },
  {
    name: "keys created by copy and rename wake clients",
    steps: [
      ["RPUSH", "src", "a", "b"],
      blocked(1, "BLPOP", "k1", "0"),
      { ...blocked(2, "BRPOP", "k2", "0"), waitBlocked: 1, client: 2 },
      whenBlocked(2, "COPY", "src", "k1"),
      pending(1),
      whenBlocked(1, "RENAME", "src", "k2"),
      pending(2),
      ["LRANGE", "k1", "0", "-1"],
      ["LRANGE", "k2", "0", "-1"],
    ],
  },
  {
    name: "duplicate keys are served once",
    steps: [
      blocked(1, "BLPOP", "k", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "a", "b"),
      pending(1),
      ["LRANGE", "k", "0", "-1"],
    ],
  },
  {
    name: "other databases do not wake a client; swapdb does",
    steps: [
      { cmd: ["SELECT", "1"], client: 1 },
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "db0"),
      whenBlocked(1, "SELECT", "2"),
      ["RPUSH", "k", "db2"],
      whenBlocked(1, "SWAPDB", "1", "2"),
      pending(1),
      ["LRANGE", "k", "0", "-1"],
      ["SELECT", "1"],
      ["EXISTS", "k"],
    ],
  },
  {
    name: "pipelined commands wait for the blocked one",
    steps: [
      {
        cmd: [],
        client: 1,
        raw: "*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nk\r\n",
        replies: 0,
      },
      whenBlocked(1, "RPUSH", "k", "x", "y"),
      pending(1, 3),
      ["LLEN", "k"],
    ],
  },
  {
    name: "pipelined commands after a timeout",
    steps: [
      {
        cmd: [],
        raw: "*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$4\r\n0.05\r\n*1\r\n$4\r\nPING\r\n",
        replies: 2,
      },
    ],
  },
  {
    name: "a blocked client can block again after being served",
    steps: [
      {
        cmd: [],
        client: 1,
        raw: "*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n",
        replies: 0,
      },
      whenBlocked(1, "RPUSH", "k", "first"),
      pending(1),
      whenBlocked(1, "RPUSH", "k", "second"),
      pending(1),
    ],
  },
  {
    name: "timeout while another client pushes elsewhere",
    steps: [
      blocked(1, "BLPOP", "k", "0.1"),
      whenBlocked(1, "RPUSH", "other", "x"),
      pending(1),
      ["LLEN", "other"],
    ],
  },
  {
    name: "blocking commands inside multi do not block",
    steps: [
      ["MULTI"],
      ["BLPOP", "nok", "0"],
      ["BRPOP", "nok", "0"],
      ["BRPOPLPUSH", "nok", "d", "0"],
      ["BLMOVE", "nok", "d", "LEFT", "LEFT", "0"],
      ["BLMPOP", "0", "1", "nok", "LEFT"],
      ["RPUSH", "k", "a", "b", "c", "d"],
      ["BLPOP", "k", "0"],
      ["BRPOP", "k", "0"],
      ["BLMOVE", "k", "d", "LEFT", "LEFT", "0"],
      ["BLMPOP", "0", "1", "k", "LEFT"],
      ["BLPOP", "k", "x"],
      ["BLPOP", "k", "-1"],
      ["EXEC"],
      ["LRANGE", "d", "0", "-1"],
    ],
  },
  {
    name: "disconnect while blocked releases the client",
    steps: [
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "PING"),
      { cmd: [], client: 1, close: true },
      whenBlocked(0, "RPUSH", "k", "x"),
      ["LLEN", "k"],
    ],
  },
  {
    name: "client unblock timeout and error",
    steps: [
      { cmd: ["CLIENT", "ID"], client: 1, capture: "id1", compare: "ignore" },
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}"),
      pending(1),
      ["CLIENT", "UNBLOCK", "{id1}"],
      blocked(1, "BLMOVE", "k", "d", "LEFT", "LEFT", "0"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}", "TIMEOUT"),
      pending(1),
      blocked(1, "BLMPOP", "0", "1", "k", "LEFT"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}", "ERROR"),
      pending(1),
      ["CLIENT", "UNBLOCK", "{id1}", "ERROR"],
      ["CLIENT", "UNBLOCK", "{id1}", "FOO"],
      { cmd: ["PING"], client: 1 },
      ["RPUSH", "k", "x"],
      ["LLEN", "k"],
    ],
  },
  {
    name: "client reply off and skip apply to the served reply",
    steps: [
      { cmd: ["CLIENT", "REPLY", "OFF"], client: 1, replies: 0 },
      blocked(1, "BLPOP", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "x"),
      whenBlocked(0, "PING"),
      { cmd: ["CLIENT", "REPLY", "ON"], client: 1 },
      { cmd: ["CLIENT", "REPLY", "SKIP"], client: 1, replies: 0 },
      blocked(1, "BRPOP", "k", "0"),
      whenBlocked(1, "RPUSH", "k", "y"),
      { cmd: ["ECHO", "visible"], client: 1 },
      ["LLEN", "k"],
    ],
  },
]);
