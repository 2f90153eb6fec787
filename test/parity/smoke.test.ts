/** Parity smoke cases for the core pipeline: GET/SET, errors from the dispatcher. */
import { paritySuite } from "./harness.js";

paritySuite("core dispatch", [
  { name: "unknown command", steps: [["NOSUCH", "a", "b"], ["nosuch"], ["x".repeat(200), "y".repeat(200)]] },
  { name: "wrong arity", steps: [["GET"], ["GET", "a", "b"], ["SET", "k"]] },
  {
    name: "set and get",
    steps: [
      ["SET", "k", "v"],
      ["GET", "k"],
      ["GET", "missing"],
      ["SET", "k", "v2", "NX"],
      ["SET", "k", "v2", "XX", "GET"],
      ["SET", "k", "v", "EX", "0"],
      ["SET", "k", "v", "EX", "abc"],
      ["SET", "k", "v", "NX", "XX"],
      ["SET", "k", "v", "KEEPTTL", "EX", "10"],
      ["PING"],
      ["PING", "hello"],
      ["ECHO", "x"],
    ],
  },
]);
