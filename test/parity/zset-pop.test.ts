/**
 * Parity cases for sorted-set pops and random members: ZPOPMIN, ZPOPMAX (their RESP3 shapes with
 * and without a count), ZMPOP, ZRANDMEMBER. Pops are deterministic and compared byte for byte.
 * ZRANDMEMBER replies are random unless the whole set is asked for (then Redis lists it from the
 * tail, compared exactly); partial random replies are compared by shape ("type": reply type and
 * length) and checked for membership in the unit tests.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

/** ZADD arguments for n members `m000`.. with scores from `score(i)`. */
function pairs(n: number, score: (i: number) => number | string = (i) => i, prefix = "m"): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String(score(i)), `${prefix}${String(i).padStart(3, "0")}`);
  return out;
}

/** Random members: compare reply type and length only. */
const shape = (cmd: string[]): Step => ({ cmd, compare: "type" });

const POPS: ParityCase[] = [
  {
    name: "ZPOPMIN and ZPOPMAX",
    steps: [
      ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "1.5", "ab"],
      ["ZPOPMIN", "z"],
      ["ZPOPMAX", "z"],
      ["ZPOPMIN", "z", "2"],
      ["ZPOPMAX", "z", "1"],
      ["ZPOPMIN", "z", "0"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["ZPOPMAX", "z", "100"],
      ["EXISTS", "z"],
      ["ZPOPMIN", "z"],
      ["ZPOPMIN", "z", "3"],
      ["ZPOPMIN", "z", "0"],
      ["ZPOPMAX", "missing"],
      ["ZPOPMIN", "missing", "-1"],
      ["ZADD", "z", "1", "a"],
      ["ZPOPMIN", "z", "-1"],
      ["ZPOPMIN", "z", "x"],
      ["ZPOPMIN", "z", "1.5"],
      ["ZPOPMIN", "z", "1", "2"],
      ["ZPOPMAX", "z", "9223372036854775807"],
      ["EXISTS", "z"],
      ["ZADD", "big", ...pairs(300, (i) => i % 50)],
      ["ZPOPMIN", "big", "3"],
      ["ZPOPMAX", "big", "3"],
      ["ZPOPMAX", "big"],
      ["ZCARD", "big"],
      ["OBJECT", "ENCODING", "big"],
      ["ZPOPMIN", "big", "290"],
      ["EXISTS", "big"],
    ],
  },
  {
    name: "ZMPOP",
    steps: [
      ["ZADD", "z1", "1", "a", "2", "b", "3", "c"],
      ["ZADD", "z2", "10", "x", "20", "y"],
      ["ZMPOP", "2", "missing", "z1", "MIN"],
      ["ZMPOP", "2", "z1", "z2", "max", "COUNT", "2"],
      ["ZMPOP", "2", "z1", "z2", "MIN", "count", "10"],
      ["EXISTS", "z1"],
      ["ZMPOP", "2", "z1", "z2", "MAX"],
      ["ZMPOP", "2", "z1", "z2", "MAX"],
      ["ZMPOP", "1", "missing", "MIN"],
      ["ZMPOP", "1", "missing", "MIN", "COUNT", "3"],
      ["ZADD", "z1", "1", "a"],
      ["ZMPOP", "0", "z1", "MIN"],
      ["ZMPOP", "-1", "z1", "MIN"],
      ["ZMPOP", "x", "z1", "MIN"],
      ["ZMPOP", "1", "z1", "MIDDLE"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT", "0"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT", "-1"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT", "x"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT", "1", "COUNT", "1"],
      ["ZMPOP", "1", "z1", "MIN", "FOO"],
      ["ZMPOP", "3", "z1", "MIN"],
      ["ZMPOP", "2", "z1", "MIN"],
      ["ZMPOP", "99999999999999999999", "z1", "MIN"],
      ["SET", "str", "v"],
      ["ZMPOP", "2", "missing", "str", "MIN"],
      ["ZMPOP", "2", "z1", "str", "MIN"],
      ["ZMPOP", "1", "z1", "MIN", "COUNT", "9223372036854775807"],
      ["EXISTS", "z1"],
    ],
  },
];

const RANDOM: ParityCase[] = [
  {
    name: "ZRANDMEMBER (listpack)",
    steps: [
      ["ZADD", "z", "1", "a", "2", "b", "3", "c", "1.5", "d", "-1", "e"],
      shape(["ZRANDMEMBER", "z"]),
      shape(["ZRANDMEMBER", "z", "1"]),
      shape(["ZRANDMEMBER", "z", "3"]),
      shape(["ZRANDMEMBER", "z", "3", "WITHSCORES"]),
      shape(["ZRANDMEMBER", "z", "-7"]),
      shape(["ZRANDMEMBER", "z", "-7", "withscores"]),
      shape(["ZRANDMEMBER", "z", "1", "WITHSCORES"]),
      shape(["ZRANDMEMBER", "z", "-1", "WITHSCORES"]),
      ["ZRANDMEMBER", "z", "5"],
      ["ZRANDMEMBER", "z", "5", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "100", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "9223372036854775807"],
      ["ZRANDMEMBER", "z", "0"],
      ["ZRANDMEMBER", "z", "0", "WITHSCORES"],
      ["ZRANDMEMBER", "missing"],
      ["ZRANDMEMBER", "missing", "5"],
      ["ZRANDMEMBER", "missing", "-5", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "x"],
      ["ZRANDMEMBER", "z", "x", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "1", "WITHSCORE"],
      ["ZRANDMEMBER", "missing", "1", "WITHSCORE"],
      ["ZRANDMEMBER", "z", "1", "WITHSCORES", "x"],
      ["ZRANDMEMBER", "z", "-9223372036854775808"],
      ["ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"],
      ["ZRANDMEMBER", "z", "4611686018427387903", "WITHSCORES"],
      // On an existing key this would make Redis build a 2^62-entry reply.
      ["ZRANDMEMBER", "missing", "-4611686018427387903", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANDMEMBER (skiplist)",
    steps: [
      ["ZADD", "big", ...pairs(200, (i) => i / 4)],
      shape(["ZRANDMEMBER", "big"]),
      shape(["ZRANDMEMBER", "big", "10"]),
      shape(["ZRANDMEMBER", "big", "10", "WITHSCORES"]),
      shape(["ZRANDMEMBER", "big", "150", "WITHSCORES"]),
      shape(["ZRANDMEMBER", "big", "-300"]),
      shape(["ZRANDMEMBER", "big", "-3", "WITHSCORES"]),
      ["ZRANDMEMBER", "big", "200", "WITHSCORES"],
      ["ZRANDMEMBER", "big", "1000"],
    ],
  },
];

paritySuite("sorted set pops", [...POPS, ...RANDOM]);
