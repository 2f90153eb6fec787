/**
 * Parity: CLIENT PAUSE / UNPAUSE. Paused commands are postponed, not refused: a step sent with
 * `replies: 0` is held, and its reply is read (`pending`) once the pause ends, by CLIENT UNPAUSE
 * or by its timeout (real time on both servers). Argument errors compare byte for byte.
 */
import { paritySuite } from "./harness.js";

paritySuite("pause", [
  {
    name: "client pause arguments",
    steps: [
      ["CLIENT", "PAUSE"],
      ["CLIENT", "PAUSE", "x"],
      ["CLIENT", "PAUSE", "-1"],
      ["CLIENT", "PAUSE", "1.5"],
      ["CLIENT", "PAUSE", "10", "foo"],
      ["CLIENT", "PAUSE", "10", "write", "x"],
      ["CLIENT", "PAUSE", "99999999999999999999"],
      ["CLIENT", "UNPAUSE", "x"],
      ["CLIENT", "PAUSE", "0", "WRITE"],
      ["CLIENT", "PAUSE", "0"],
      ["CLIENT", "UNPAUSE"],
      ["SET", "k", "v"],
    ],
  },
  {
    name: "WRITE: writes and may-replicate commands wait, reads go on, order kept",
    steps: [
      ["SET", "k", "old"],
      ["CLIENT", "PAUSE", "100000", "WRITE"],
      { cmd: ["SET", "k", "a"], client: 1, replies: 0 },
      { cmd: ["APPEND", "k", "b"], client: 2, replies: 0 },
      { cmd: ["PUBLISH", "ch", "m"], client: 3, replies: 0 },
      { cmd: ["GET", "k"], client: 4 },
      { cmd: ["PING"], client: 4 },
      { cmd: ["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"], client: 4 },
      { cmd: ["EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k"], client: 4 },
      { cmd: ["PFCOUNT", "h"], client: 5, replies: 0 },
      { cmd: ["EVAL", "return 1", "0"], client: 6, replies: 0 },
      { cmd: ["MULTI"], client: 4 },
      { cmd: ["GET", "k"], client: 4 },
      { cmd: ["EXEC"], client: 4 },
      { cmd: ["MULTI"], client: 4 },
      { cmd: ["INCR", "n"], client: 4, replies: 0 },
      ["CLIENT", "UNPAUSE"],
      { cmd: [], client: 1, pending: true },
      { cmd: [], client: 2, pending: true },
      { cmd: [], client: 3, pending: true },
      { cmd: [], client: 4, pending: true },
      { cmd: [], client: 5, pending: true },
      { cmd: [], client: 6, pending: true },
      { cmd: ["EXEC"], client: 4 },
      ["GET", "k"],
    ],
  },
  {
    name: "WRITE: a held client's later input waits behind its command",
    steps: [
      ["CLIENT", "PAUSE", "100000", "WRITE"],
      {
        raw: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n",
        cmd: [],
        client: 1,
        replies: 0,
      },
      { cmd: ["GET", "x"], client: 2 },
      ["CLIENT", "UNPAUSE"],
      { cmd: [], client: 1, pending: true, replies: 2 },
    ],
  },
  {
    name: "ALL: every command waits until the timeout",
    steps: [
      ["SET", "k", "old"],
      ["CLIENT", "PAUSE", "300", "ALL"],
      { cmd: ["GET", "k"], client: 1, replies: 0 },
      { cmd: ["SET", "k", "new"], client: 2, replies: 0 },
      { cmd: ["PING"], client: 3, replies: 0 },
      { cmd: [], client: 1, pending: true },
      { cmd: [], client: 2, pending: true },
      { cmd: [], client: 3, pending: true },
      ["GET", "k"],
    ],
  },
  {
    name: "a later pause keeps the stricter type and the later end",
    steps: [
      ["CLIENT", "PAUSE", "100000", "WRITE"],
      ["CLIENT", "PAUSE", "10", "WRITE"],
      { cmd: ["SET", "k", "a"], client: 1, replies: 0 },
      { cmd: ["GET", "k"], client: 2, sleepBefore: 50 },
      ["CLIENT", "UNPAUSE"],
      { cmd: [], client: 1, pending: true },
    ],
  },
]);
