/**
 * INFO commandstats of scripts, which the parity suite cannot compare byte for byte (timings):
 * commands refused inside a script count as rejected calls, and EVAL fails once for errors in its
 * reply and once per error a command already counted. Expected figures are redis-server 7.0.15's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../../src/index.js";

/** cmdstat lines as `name: rejected/failed`, for the commands that have any. */
function rejectedAndFailed(info: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=\d+,.*rejected_calls=(\d+),failed_calls=(\d+)/gm)) {
    out[m[1]!] = `${m[2]}/${m[3]}`;
  }
  return out;
}

test("refusals inside scripts are rejected calls; script replies with errors fail EVAL", async () => {
  const server = await startServer({ listen: false });
  const run = (...args: string[]): Record<string, string> => {
    server.command("CONFIG", "RESETSTAT");
    try {
      server.command(...args);
    } catch {
      // Error replies are what is being counted.
    }
    return rejectedAndFailed(String(server.command("INFO", "commandstats")));
  };
  assert.deepEqual(
    run(
      "EVAL",
      "redis.pcall('get','a','b') redis.pcall('subscribe','x') redis.pcall('nosuch') return redis.pcall('incr', 'h')",
      "0",
    ),
    { "config|resetstat": "0/0", get: "1/0", subscribe: "1/0", eval: "0/0", incr: "0/0" },
  );
  assert.deepEqual(run("EVAL", "return {1, {err='x y'}, {err='nospace'}}", "0"), {
    "config|resetstat": "0/0",
    eval: "0/1",
  });
  assert.deepEqual(run("EVAL", "return redis.pcall('nosuch')", "0"), {
    "config|resetstat": "0/0",
    eval: "0/1",
  });
  assert.deepEqual(run("EVAL", "return redis.call('nosuch')", "0"), {
    "config|resetstat": "0/0",
    eval: "0/1",
  });
  assert.deepEqual(run("EVAL", "#!lua flags=no-writes\nreturn redis.pcall('set','k',1)", "0"), {
    "config|resetstat": "0/0",
    eval: "0/1",
    set: "1/0",
  });
  server.command("SET", "s", "x");
  assert.deepEqual(run("EVAL", "return {redis.pcall('incr', 's'), redis.pcall('incr', 's')}", "0"), {
    "config|resetstat": "0/0",
    eval: "0/2",
    incr: "0/2",
  });
  await server.close();
});
