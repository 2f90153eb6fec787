/**
 * Parity: CLUSTER (every subcommand) and ASKING on a standalone server: argument-count errors
 * from the table, then Redis's "cluster support disabled" error, even for CLUSTER HELP.
 */
import { paritySuite } from "./harness.js";

/** Every subcommand, written out so that the coverage test finds each name. */
const SUBCOMMANDS: string[][] = [
  ["CLUSTER", "ADDSLOTS", "1"],
  ["CLUSTER", "ADDSLOTSRANGE", "1", "2"],
  ["CLUSTER", "BUMPEPOCH"],
  ["CLUSTER", "COUNT-FAILURE-REPORTS", "id"],
  ["CLUSTER", "COUNTKEYSINSLOT", "1"],
  ["CLUSTER", "DELSLOTS", "1"],
  ["CLUSTER", "DELSLOTSRANGE", "1", "2"],
  ["CLUSTER", "FAILOVER"],
  ["CLUSTER", "FLUSHSLOTS"],
  ["CLUSTER", "FORGET", "id"],
  ["CLUSTER", "GETKEYSINSLOT", "1", "1"],
  ["CLUSTER", "HELP"],
  ["CLUSTER", "INFO"],
  ["CLUSTER", "KEYSLOT", "foo"],
  ["CLUSTER", "LINKS"],
  ["CLUSTER", "MEET", "127.0.0.1", "7000"],
  ["CLUSTER", "MYID"],
  ["CLUSTER", "NODES"],
  ["CLUSTER", "REPLICAS", "id"],
  ["CLUSTER", "REPLICATE", "id"],
  ["CLUSTER", "RESET"],
  ["CLUSTER", "SAVECONFIG"],
  ["CLUSTER", "SET-CONFIG-EPOCH", "1"],
  ["CLUSTER", "SETSLOT", "1", "STABLE"],
  ["CLUSTER", "SHARDS"],
  ["CLUSTER", "SLAVES", "id"],
  ["CLUSTER", "SLOTS"],
];

paritySuite("cluster", [
  {
    name: "cluster subcommands on a standalone server",
    steps: SUBCOMMANDS,
  },
  {
    name: "cluster arity and unknown subcommands",
    steps: [
      ["CLUSTER"],
      ["CLUSTER", "NOSUCH"],
      ["CLUSTER", "HELP", "x"],
      ["CLUSTER", "INFO", "x"],
      ["CLUSTER", "KEYSLOT"],
      ["cluster", "keyslot", "a", "b"],
      ["CLUSTER", "GETKEYSINSLOT", "1"],
      ["CLUSTER", "ADDSLOTS"],
      ["CLUSTER", "SETSLOT", "1"],
    ],
  },
  {
    name: "asking, readonly, readwrite",
    steps: [
      ["ASKING"],
      ["ASKING", "x"],
      ["READONLY"],
      ["READWRITE"],
      ["MULTI"],
      ["ASKING"],
      ["CLUSTER", "INFO"],
      ["EXEC"],
    ],
  },
]);
