/**
 * Parity: scripts past busy-reply-threshold (100 ms here): other clients get BUSY except for the
 * allow_busy commands, SCRIPT KILL / FUNCTION KILL stop a script that has not written, and the
 * caller of a killed script gets Redis's error.
 */
import { paritySuite, type ParityCase } from "./harness.js";

const loop = "local i = 0 while true do i = i + 1 end";
const cases: ParityCase[] = [
  {
    name: "busy eval, SCRIPT KILL",
    steps: [
      { cmd: ["EVAL", loop, "0"], replies: 0 },
      { cmd: ["PING"], client: 1, sleepBefore: 300 },
      { cmd: ["GET", "x"], client: 1 },
      { cmd: ["EVAL", "return 1", "0"], client: 1 },
      { cmd: ["FUNCTION", "STATS"], client: 1 },
      { cmd: ["FUNCTION", "KILL"], client: 1 },
      { cmd: ["MULTI"], client: 1 },
      { cmd: ["SET", "x", "1"], client: 1 },
      { cmd: ["DISCARD"], client: 1 },
      { cmd: ["SCRIPT", "KILL"], client: 1 },
      { cmd: [], pending: true, replies: 1 },
      { cmd: ["PING"], client: 1 },
      { cmd: ["SCRIPT", "KILL"], client: 1 },
      ["PING"],
    ],
  },
  {
    name: "a script that wrote cannot be killed",
    steps: [
      {
        cmd: [
          "EVAL",
          "redis.call('set', 'w', '1') local t = redis.call('time') local s = t[1] while true do local n = redis.call('time') if n[1] - s >= 2 then break end end return 'done'",
          "0",
        ],
        replies: 0,
      },
      { cmd: ["SCRIPT", "KILL"], client: 1, sleepBefore: 300 },
      { cmd: ["GET", "w"], client: 1 },
      { cmd: [], pending: true, replies: 1 },
      { cmd: ["GET", "w"], client: 1 },
    ],
  },
  {
    name: "busy function, FUNCTION KILL",
    steps: [
      [
        "FUNCTION",
        "LOAD",
        "REPLACE",
        `#!lua name=busy\nredis.register_function('spin', function() ${loop} end)`,
      ],
      { cmd: ["FCALL", "spin", "0"], replies: 0 },
      { cmd: ["PING"], client: 1, sleepBefore: 300 },
      { cmd: ["SCRIPT", "KILL"], client: 1 },
      { cmd: ["FUNCTION", "STATS"], client: 1, compare: "type" },
      { cmd: ["FUNCTION", "KILL"], client: 1 },
      { cmd: [], pending: true, replies: 1 },
      { cmd: ["FUNCTION", "STATS"], client: 1 },
    ],
  },
];

paritySuite("scripting-busy", cases, {
  redisArgs: ["--busy-reply-threshold", "100"],
  reddishConfig: { "busy-reply-threshold": "100" },
});
