/**
 * Parity: randomised differential sequences over the collection families (lists, sets, sorted
 * sets, hashes, SORT, the blocking pops with short timeouts, COPY/RENAME/TYPE/OBJECT ENCODING), in
 * the spirit of fakeredis's: a seeded generator draws commands from a small keyspace, with edge
 * arguments (inf/nan scores, out-of-range indexes, bad integers, wrong types as keys change type),
 * and every reply is compared byte for byte. Collections stay small, so encodings are the compact
 * ones whose order Redis makes deterministic; set reads of hashtable sets (Redis's hash order) are
 * compared as multisets.
 */
import { paritySuite, type ParityCase, type Step } from "./harness.js";

/** A small deterministic generator (an LCG), so every run sends the same sequences. */
function generator(seed: number): { pick<T>(items: readonly T[]): T; chance(p: number): boolean } {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  return {
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const KEYS = ["k1", "k2", "k3"];
const MEMBERS = ["a", "b", "c", "d", "1", "2", "10", "-3", "x"];
const INTS = [
  "0",
  "1",
  "-1",
  "2",
  "-2",
  "5",
  "-100",
  "100",
  "abc",
  "1.5",
  "9223372036854775807",
  "-9223372036854775808",
];
const SCORES = ["0", "1", "-1", "2.5", "inf", "-inf", "+inf", "nan", "1e308", "abc", "(1", "(inf", "3"];
const LEX = ["-", "+", "[a", "(a", "[c", "(z", "a", "[", "(b"];
const FLOATS = ["1.5", "-2", "abc", "inf", "0.1", "1e10"];
const ZADD_FLAGS = ["NX", "XX", "GT", "LT", "CH", "INCR"];
const SET_READS = new Set(["SMEMBERS", "SINTER", "SUNION", "SDIFF"]);

function randomCommands(seed: number, count: number): Step[] {
  const g = generator(seed);
  const key = () => g.pick(KEYS);
  const mem = () => g.pick(MEMBERS);
  const int = () => g.pick(INTS);
  const score = () => g.pick(SCORES);
  const lex = () => g.pick(LEX);
  const side = () => g.pick(["LEFT", "RIGHT"]);
  const opt = (p: number, ...args: string[]) => (g.chance(p) ? args : []);
  const commands: (() => string[])[] = [
    () => ["LPUSH", key(), mem(), mem()],
    () => ["RPUSH", key(), mem()],
    () => ["LPUSHX", key(), mem()],
    () => ["RPUSHX", key(), mem()],
    () => ["LPOP", key(), ...opt(0.5, int())],
    () => ["RPOP", key(), ...opt(0.5, int())],
    () => ["LINDEX", key(), int()],
    () => ["LRANGE", key(), int(), int()],
    () => ["LSET", key(), int(), mem()],
    () => ["LINSERT", key(), g.pick(["BEFORE", "AFTER", "X"]), mem(), mem()],
    () => ["LREM", key(), int(), mem()],
    () => ["LTRIM", key(), int(), int()],
    () => [
      "LPOS",
      key(),
      mem(),
      ...opt(0.5, "RANK", int()),
      ...opt(0.5, "COUNT", int()),
      ...opt(0.3, "MAXLEN", int()),
    ],
    () => ["LMOVE", key(), key(), side(), g.pick(["LEFT", "RIGHT", "UP"])],
    () => ["LMPOP", int(), key(), key(), side(), ...opt(0.5, "COUNT", int())],
    () => ["LLEN", key()],
    () => ["RPOPLPUSH", key(), key()],
    () => ["SADD", key(), mem(), mem()],
    () => ["SREM", key(), mem()],
    () => ["SCARD", key()],
    () => ["SISMEMBER", key(), mem()],
    () => ["SMISMEMBER", key(), mem(), mem()],
    () => ["SMOVE", key(), key(), mem()],
    () => ["SINTERCARD", int(), key(), key(), ...opt(0.5, "LIMIT", int())],
    () => ["SINTERSTORE", key(), key(), key()],
    () => ["SUNIONSTORE", key(), key(), key()],
    () => ["SDIFFSTORE", key(), key(), key()],
    () => ["SMEMBERS", key()],
    () => ["SINTER", key(), key()],
    () => ["SUNION", key(), key()],
    () => ["SDIFF", key(), key()],
    () => ["SPOP", key(), g.pick(["0", "-1"])],
    () => ["SRANDMEMBER", key(), "0"],
    () => [
      "ZADD",
      key(),
      ...opt(0.4, g.pick(ZADD_FLAGS)),
      ...opt(0.2, g.pick(ZADD_FLAGS)),
      score(),
      mem(),
      ...opt(0.5, score(), mem()),
    ],
    () => ["ZINCRBY", key(), score(), mem()],
    () => ["ZSCORE", key(), mem()],
    () => ["ZMSCORE", key(), mem(), mem()],
    () => ["ZRANGE", key(), int(), int(), ...opt(0.3, "REV"), ...opt(0.3, "WITHSCORES")],
    () => [
      "ZRANGE",
      key(),
      score(),
      score(),
      "BYSCORE",
      ...opt(0.3, "REV"),
      ...opt(0.4, "LIMIT", int(), int()),
      ...opt(0.3, "WITHSCORES"),
    ],
    () => ["ZRANGE", key(), lex(), lex(), "BYLEX", ...opt(0.3, "REV"), ...opt(0.4, "LIMIT", int(), int())],
    () => ["ZRANGEBYSCORE", key(), score(), score(), ...opt(0.3, "WITHSCORES")],
    () => ["ZREVRANGEBYSCORE", key(), score(), score(), ...opt(0.3, "LIMIT", int(), int())],
    () => ["ZRANGEBYLEX", key(), lex(), lex()],
    () => ["ZREVRANGEBYLEX", key(), lex(), lex()],
    () => ["ZREVRANGE", key(), int(), int(), ...opt(0.3, "WITHSCORES")],
    () => ["ZCOUNT", key(), score(), score()],
    () => ["ZLEXCOUNT", key(), lex(), lex()],
    () => ["ZRANK", key(), mem()],
    () => ["ZREVRANK", key(), mem()],
    () => ["ZREM", key(), mem()],
    () => ["ZREMRANGEBYRANK", key(), int(), int()],
    () => ["ZREMRANGEBYSCORE", key(), score(), score()],
    () => ["ZREMRANGEBYLEX", key(), lex(), lex()],
    () => [
      g.pick(["ZUNIONSTORE", "ZINTERSTORE"]),
      key(),
      int(),
      key(),
      key(),
      ...opt(0.4, "WEIGHTS", score(), score()),
      ...opt(0.3, "AGGREGATE", g.pick(["SUM", "MIN", "MAX", "X"])),
    ],
    () => [g.pick(["ZUNION", "ZINTER", "ZDIFF"]), int(), key(), key(), ...opt(0.3, "WITHSCORES")],
    () => ["ZDIFFSTORE", key(), int(), key(), key()],
    () => ["ZINTERCARD", int(), key(), key(), ...opt(0.3, "LIMIT", int())],
    () => ["ZPOPMIN", key(), ...opt(0.5, int())],
    () => ["ZPOPMAX", key(), ...opt(0.5, int())],
    () => ["ZMPOP", int(), key(), key(), g.pick(["MIN", "MAX"]), ...opt(0.5, "COUNT", int())],
    () => ["ZRANGESTORE", key(), key(), int(), int()],
    () => ["ZCARD", key()],
    () => ["ZRANDMEMBER", key(), "0"],
    () => ["HSET", key(), mem(), int()],
    () => ["HSETNX", key(), mem(), int()],
    () => ["HINCRBY", key(), mem(), int()],
    () => ["HINCRBYFLOAT", key(), mem(), g.pick(FLOATS)],
    () => ["HDEL", key(), mem(), mem()],
    () => ["HGETALL", key()],
    () => ["HKEYS", key()],
    () => ["HMGET", key(), mem(), mem()],
    () => ["HSTRLEN", key(), mem()],
    () => ["HEXISTS", key(), mem()],
    () => ["HLEN", key()],
    () => ["HRANDFIELD", key(), "0"],
    () => ["SORT", key(), ...opt(0.4, "ALPHA"), ...opt(0.3, "DESC"), ...opt(0.3, "LIMIT", int(), int())],
    () => ["SORT_RO", key(), ...opt(0.5, "ALPHA")],
    () => ["BLPOP", key(), key(), g.pick(["0.01", "-1", "abc"])],
    () => ["BZPOPMAX", key(), g.pick(["0.01", "-1"])],
    () => ["BLMPOP", "0.01", int(), key(), side()],
    () => ["BZMPOP", "0.01", int(), key(), g.pick(["MIN", "MAX"]), "COUNT", int()],
    () => ["BLMOVE", key(), key(), side(), side(), "0.01"],
    () => ["BRPOPLPUSH", key(), key(), "0.01"],
    () => ["TYPE", key()],
    () => ["OBJECT", "ENCODING", key()],
    () => ["EXISTS", key()],
    () => ["COPY", key(), key(), ...opt(0.5, "REPLACE")],
    () => ["RENAME", key(), key()],
    () => ["DEL", key()],
  ];
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const cmd = g.pick(commands)();
    // Redis orders hashtable sets by its hash function: compare those replies as multisets.
    steps.push(SET_READS.has(cmd[0]!) ? { cmd, compare: "unordered" } : { cmd });
  }
  return steps;
}

const cases: ParityCase[] = [11, 23, 37, 41].map((seed) => ({
  name: `random collection commands, seed ${seed}`,
  steps: randomCommands(seed, 600),
}));

paritySuite("collections (randomised)", cases);
