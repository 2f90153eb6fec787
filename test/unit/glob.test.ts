/**
 * globMatch: Redis's stringmatchlen rules, checked on known cases and differentially against a
 * real redis-server (KEYS runs stringmatchlen on every key).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { globMatch } from "../../src/util/glob.js";
import { RawConnection, type Parsed, startRealRedis, type RealRedis } from "../parity/harness.js";

test("basic wildcards, classes and escapes", () => {
  const yes: [string, string][] = [
    ["*", "anything"],
    ["h?llo", "hello"],
    ["h*llo", "heeeello"],
    ["h[ae]llo", "hallo"],
    ["h[^e]llo", "hallo"],
    ["h[a-b]llo", "hbllo"],
    ["h[b-a]llo", "hbllo"], // reversed ranges are allowed
    ["\\*", "*"],
    ["a\\", "a\\"], // a trailing backslash is literal
    ["[\\]]", "]"],
    ["", ""],
    ["a*", "a"],
    ["a**", "a"],
    ["[^", "x"], // unterminated negated class matches one character
    ["[a-]x", "]"], // the range a-] swallows the closing bracket
  ];
  for (const [p, s] of yes) assert.equal(globMatch(p, s), true, `${p} ~ ${s}`);
  const no: [string, string][] = [
    ["h[^e]llo", "hello"],
    ["h?llo", "hllo"],
    ["*", ""], // an empty string matches only the empty pattern
    ["**", ""],
    ["[", "["],
    ["a", "A"],
    ["abc", "ab"],
    ["ab", "abc"],
  ];
  for (const [p, s] of no) assert.equal(globMatch(p, s), false, `${p} !~ ${s}`);
});

test("case folding", () => {
  assert.equal(globMatch("HeLLo", "hello", true), true);
  assert.equal(globMatch("h[A-Z]llo", "hello", true), true);
  assert.equal(globMatch("h[E]llo", "hello", true), true);
  assert.equal(globMatch("h[\\E]llo", "hello", true), false); // escaped class members compare exactly
  assert.equal(globMatch("HELLO", "hello", false), false);
});

test("pathological patterns finish quickly", () => {
  const text = "a".repeat(60);
  const start = Date.now();
  assert.equal(globMatch("a*".repeat(30) + "b", text), false);
  assert.equal(globMatch("*".repeat(20) + "a*".repeat(20) + "b", text), false);
  assert.ok(Date.now() - start < 1000);
  // Recursion through `*` gives up past 1000 levels, as in Redis.
  assert.equal(globMatch("a*".repeat(1200), "a".repeat(1300)), false);
  assert.equal(globMatch("a*".repeat(900), "a".repeat(1000)), true);
});

describe("globMatch against redis-server's KEYS", () => {
  let redis: RealRedis;
  let conn: RawConnection;
  const keys = [
    "",
    "a",
    "b",
    "ab",
    "ba",
    "aab",
    "abb",
    "abab",
    "*",
    "?",
    "[",
    "]",
    "^",
    "-",
    "\\",
    "a*b",
    "a\\b",
    "[a]",
    "a-b",
    "^a",
    "]a",
    "aaaaaaaaab",
    "A",
    "AB",
  ];
  before(async () => {
    redis = await startRealRedis();
    conn = await RawConnection.connect(redis.port);
    for (const k of keys) await conn.call("SET", k, "v");
  });
  after(async () => {
    conn.close();
    await redis.stop();
  });

  test("random patterns select the same keys", async () => {
    const alphabet = ["a", "b", "A", "*", "?", "[", "]", "^", "-", "\\"];
    let seed = 99;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const patterns = new Set<string>(["**", "*a", "a*", "*?", "?*", "[a-b]*", "[b-a]", "[^a]*", "[\\", "[^"]);
    while (patterns.size < 1500) {
      const len = 1 + rand(6);
      let p = "";
      for (let i = 0; i < len; i++) p += alphabet[rand(alphabet.length)];
      patterns.add(p);
    }
    const mismatches: string[] = [];
    for (const p of patterns) {
      if (p === "*") continue; // KEYS special-cases the pattern "*"
      const reply = (await conn.call("KEYS", p)) as Parsed;
      const expected = (reply.value as Parsed[]).map((k) => String(k.value)).sort();
      const actual = keys.filter((k) => globMatch(p, k)).sort();
      if (JSON.stringify(expected) !== JSON.stringify(actual)) {
        mismatches.push(
          `${JSON.stringify(p)}: redis ${JSON.stringify(expected)} reddish ${JSON.stringify(actual)}`,
        );
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
