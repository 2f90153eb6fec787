/**
 * Parity: XREAD and XREADGROUP with BLOCK, with several clients: a step sent with `replies: 0`
 * blocks its client; the next step waits until the server reports it blocked (`waitBlocked`),
 * wakes it, and a `pending` step reads the reply. Covers wake-ups by XADD from another client and
 * from MULTI/EXEC, `$` resolved at block time, serving order, timeouts, CLIENT UNBLOCK, and the
 * errors XREADGROUP waiters get when their group or stream goes away.
 */
import { paritySuite, type Step } from "./harness.js";

/** Sends a command on `client` that is expected to block. */
function blocked(client: number, ...cmd: string[]): Step {
  return { cmd, client, replies: 0 };
}

/** Reads the reply owed to `client` by an earlier {@link blocked} step. */
function pending(client: number): Step {
  return { cmd: [], client, pending: true, replies: 1 };
}

/** Runs `cmd` on client 0 once `n` clients are blocked. */
function whenBlocked(n: number, ...cmd: string[]): Step {
  return { cmd, waitBlocked: n };
}

paritySuite("stream-blocking", [
  {
    name: "xread block woken by xadd",
    steps: [
      ["XADD", "s", "1-1", "a", "1"],
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "XADD", "s", "1-2", "b", "2"),
      pending(1),
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "nokey", "s", "$", "1-2"),
      whenBlocked(1, "XADD", "nokey", "5-1", "c", "3"),
      pending(1),
      blocked(1, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "1-2"),
      whenBlocked(1, "MULTI"),
      ["XADD", "s", "2-1", "x", "1"],
      ["XADD", "s", "2-2", "x", "2"],
      ["EXEC"],
      pending(1),
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "XADD", "s", "3-1", "y", "1"),
      pending(1),
      ["INFO", "nosuchsection"],
    ],
  },
  {
    name: "several readers served in blocking order, each from its own id",
    steps: [
      ["XADD", "s", "1-1", "a", "1"],
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "0-1"),
      blocked(2, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      { cmd: ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], client: 3, replies: 0, waitBlocked: 1 },
      whenBlocked(2, "XADD", "s", "2-1", "b", "2"),
      pending(1),
      pending(2),
      pending(3),
    ],
  },
  {
    name: "timeouts and blocking denied in multi",
    steps: [
      ["XREAD", "BLOCK", "50", "STREAMS", "s", "$"],
      ["XADD", "s", "1-1", "a", "1"],
      ["XGROUP", "CREATE", "s", "g", "$"],
      ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">"],
      ["MULTI"],
      ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
      ["EXEC"],
      ["XINFO", "GROUPS", "s"],
      ["XPENDING", "s", "g"],
      ["XREAD", "BLOCK", "50", "STREAMS", "s", "0"],
    ],
  },
  {
    name: "deletion, type change and re-creation while xread waits",
    steps: [
      ["XADD", "s", "5-1", "a", "1"],
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "DEL", "s"),
      ["XADD", "s", "1-1", "a", "1"],
      ["SET", "s", "string"],
      ["DEL", "s"],
      ["XADD", "s", "5-2", "b", "2"],
      pending(1),
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "MULTI"),
      ["XADD", "s", "6-1", "c", "3"],
      ["XDEL", "s", "6-1"],
      ["EXEC"],
      pending(1),
    ],
  },
  {
    name: "xreadgroup block woken by xadd, pending created, noack",
    steps: [
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
      blocked(2, "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "NOACK", "STREAMS", "s", ">"),
      whenBlocked(2, "XADD", "s", "1-1", "a", "1"),
      pending(1),
      ["XPENDING", "s", "g"],
      ["XADD", "s", "1-2", "b", "2"],
      pending(2),
      ["XPENDING", "s", "g"],
      ["XINFO", "GROUPS", "s"],
      blocked(1, "XREADGROUP", "GROUP", "g", "carol", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "MULTI"),
      ["XADD", "s", "2-1", "c", "3"],
      ["XADD", "s", "2-2", "c", "4"],
      ["EXEC"],
      pending(1),
      ["XPENDING", "s", "g"],
      ["XINFO", "GROUPS", "s"],
      ["XREADGROUP", "GROUP", "g", "carol", "BLOCK", "0", "STREAMS", "s", ">"],
    ],
  },
  {
    name: "xreadgroup waiters get errors when the group or the stream goes away",
    steps: [
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "XGROUP", "DESTROY", "s", "g"),
      pending(1),
      ["XGROUP", "CREATE", "s", "g", "$"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "DEL", "s"),
      pending(1),
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "SET", "s", "x"),
      pending(1),
      ["DEL", "s"],
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "RENAME", "s", "t"),
      pending(1),
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "FLUSHALL"),
      pending(1),
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "XGROUP", "DESTROY", "s", "g"),
      ["XADD", "s", "1-1", "a", "1"],
      pending(1),
    ],
  },
  {
    name: "client unblock",
    steps: [
      { cmd: ["CLIENT", "ID"], client: 1, capture: "id1", compare: "ignore" },
      blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}"),
      pending(1),
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      blocked(1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
      whenBlocked(1, "CLIENT", "UNBLOCK", "{id1}", "ERROR"),
      pending(1),
      ["XINFO", "GROUPS", "s"],
    ],
  },
]);
