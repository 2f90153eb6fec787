/** Parity: MULTI/EXEC/DISCARD/WATCH/UNWATCH, queue-time vs exec-time errors, several clients. */
import { paritySuite } from "./harness.js";

paritySuite("transactions", [
  {
    name: "multi exec basic",
    steps: [["MULTI"], ["SET", "tx:a", "1"], ["INCR", "tx:a"], ["GET", "tx:a"], ["EXEC"], ["GET", "tx:a"]],
  },
  {
    name: "empty transaction",
    steps: [["MULTI"], ["EXEC"]],
  },
  {
    name: "exec and discard without multi",
    steps: [["EXEC"], ["DISCARD"], ["UNWATCH"]],
  },
  {
    name: "nested multi",
    steps: [["MULTI"], ["MULTI"], ["SET", "tx:n", "1"], ["EXEC"], ["GET", "tx:n"]],
  },
  {
    name: "discard drops the queue",
    steps: [["MULTI"], ["SET", "tx:d", "1"], ["DISCARD"], ["GET", "tx:d"], ["DISCARD"]],
  },
  {
    name: "unknown command at queue time aborts",
    steps: [["MULTI"], ["SET", "tx:u", "1"], ["NOSUCHCMD", "x"], ["EXEC"], ["GET", "tx:u"]],
  },
  {
    name: "wrong arity at queue time aborts",
    steps: [["MULTI"], ["SET", "tx:w"], ["GET", "tx:w", "extra"], ["EXEC"], ["GET", "tx:w"]],
  },
  {
    name: "argument errors appear inside exec",
    steps: [
      ["MULTI"],
      ["SET", "tx:e", "v", "EX", "abc"],
      ["SET", "tx:e", "v"],
      ["INCR", "tx:e"],
      ["SET", "tx:e2", "v", "NX", "XX"],
      ["GET", "tx:e"],
      ["EXEC"],
    ],
  },
  {
    name: "watch inside multi",
    steps: [["MULTI"], ["WATCH", "tx:x"], ["SET", "tx:x", "1"], ["EXEC"], ["GET", "tx:x"]],
  },
  {
    name: "watched key modified by another client fails exec",
    steps: [
      ["WATCH", "tx:k"],
      { cmd: ["SET", "tx:k", "other"], client: 1 },
      ["MULTI"],
      ["SET", "tx:k", "mine"],
      ["EXEC"],
      ["GET", "tx:k"],
    ],
  },
  {
    name: "watched key untouched lets exec run",
    steps: [
      ["SET", "tx:k2", "0"],
      ["WATCH", "tx:k2"],
      { cmd: ["SET", "tx:other", "x"], client: 1 },
      ["MULTI"],
      ["INCR", "tx:k2"],
      ["EXEC"],
    ],
  },
  {
    name: "watch then own write fails exec",
    steps: [["WATCH", "tx:own"], ["SET", "tx:own", "1"], ["MULTI"], ["GET", "tx:own"], ["EXEC"]],
  },
  {
    name: "unwatch clears",
    steps: [
      ["WATCH", "tx:uw"],
      { cmd: ["SET", "tx:uw", "other"], client: 1 },
      ["UNWATCH"],
      ["MULTI"],
      ["GET", "tx:uw"],
      ["EXEC"],
    ],
  },
  {
    name: "watch a missing key that another client creates",
    steps: [["WATCH", "tx:m"], { cmd: ["SET", "tx:m", "1"], client: 1 }, ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "watch survives only one exec",
    steps: [
      ["WATCH", "tx:once"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["SET", "tx:once", "x"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "discard unwatches",
    steps: [
      ["WATCH", "tx:dw"],
      ["MULTI"],
      ["DISCARD"],
      { cmd: ["SET", "tx:dw", "x"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "flushall touches watched keys",
    steps: [
      ["SET", "tx:f", "1"],
      ["WATCH", "tx:f"],
      { cmd: ["FLUSHALL"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "flushall does not touch watched missing keys",
    steps: [["WATCH", "tx:fm"], { cmd: ["FLUSHALL"], client: 1 }, ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "watched key that expires fails exec",
    steps: [
      // Wide margins: WATCH must come before the expiry even on a loaded machine.
      ["SET", "tx:exp", "1", "PX", "500"],
      ["WATCH", "tx:exp"],
      { cmd: ["MULTI"], sleepBefore: 900 },
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "watch in other db is independent",
    steps: [
      ["WATCH", "tx:db"],
      { cmd: ["SELECT", "1"], client: 1 },
      { cmd: ["SET", "tx:db", "x"], client: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "select inside multi",
    steps: [["MULTI"], ["SELECT", "1"], ["SET", "tx:s", "1"], ["SELECT", "0"], ["EXEC"], ["GET", "tx:s"]],
  },
  {
    name: "quit and watch arity",
    steps: [["WATCH"], ["MULTI", "x"], ["EXEC", "x"]],
  },
]);
