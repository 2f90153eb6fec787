/** Parity cases for the server family: FLUSHDB, FLUSHALL, DBSIZE, INFO, CONFIG, DEBUG, MEMORY... */
import { paritySuite } from "./harness.js";

paritySuite("server", [
  {
    name: "flushdb and flushall",
    steps: [
      ["SET", "a", "1"],
      ["SET", "b", "2"],
      ["DBSIZE"],
      ["FLUSHDB"],
      ["DBSIZE"],
      ["SET", "a", "1"],
      ["FLUSHDB", "ASYNC"],
      ["FLUSHDB", "sync"],
      ["FLUSHDB", "lazy"],
      ["FLUSHDB", "ASYNC", "SYNC"],
      ["SET", "a", "1"],
      ["SELECT", "1"],
      ["SET", "b", "1"],
      ["FLUSHALL"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["DBSIZE"],
      ["FLUSHALL", "async"],
      ["FLUSHALL", "SYNC"],
      ["FLUSHALL", "x"],
      ["FLUSHALL", "sync", "x"],
      ["DBSIZE", "x"],
    ],
  },
]);
