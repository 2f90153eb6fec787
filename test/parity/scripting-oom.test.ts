/**
 * Parity: scripts over maxmemory (Redis 7.0's script flags as command flags, scriptPrepareForRun's
 * allow-oom check, scriptVerifyOOM on a script's first write), and time frozen for expiry while a
 * script runs. A 1-byte maxmemory with noeviction makes OOM deterministic on both servers; each
 * case restores maxmemory 0. Scripts and libraries survive FLUSHALL, so OOM cases flush them.
 */
import { createHash } from "node:crypto";
import { paritySuite, type ParityCase } from "./harness.js";

const e = (script: string, ...rest: string[]) => ["EVAL", script, ...(rest.length ? rest : ["0"])];
const sha = (body: string) => createHash("sha1").update(body).digest("hex");
const later = "#!lua\nreturn 6";
const laterFn = "#!lua name=later\nredis.register_function('later', function() return 7 end)";

const library = [
  "#!lua name=oom",
  "redis.register_function('w', function() return redis.call('set', 'fw', 1) end)",
  "redis.register_function('g', function() return redis.call('get', 'a') end)",
  "redis.register_function{function_name='r', callback=function() return redis.call('get', 'a') end, flags={'no-writes'}}",
  "redis.register_function{function_name='rw', callback=function() return redis.call('set', 'a', 2) end, flags={'no-writes'}}",
  "redis.register_function{function_name='o', callback=function() return redis.call('set', 'fo', 1) end, flags={'allow-oom'}}",
].join("\n");

/** Busy-waits `ms` milliseconds of real time inside a script (TIME is real time in Redis 7.0). */
const wait = (ms: number) =>
  `local t0 = redis.call('time') local s = t0[1] * 1000000 + t0[2] ` +
  `repeat local t = redis.call('time') until t[1] * 1000000 + t[2] - s > ${ms * 1000} `;

const cases: ParityCase[] = [
  {
    name: "eval over maxmemory",
    steps: [
      ["SCRIPT", "FLUSH"],
      ["CONFIG", "RESETSTAT"],
      ["SET", "a", "1"],
      ["CONFIG", "SET", "maxmemory", "1"],
      e("return redis.call('set', 'b', 1)"),
      e("return redis.pcall('set', 'b', 1)"),
      e("local r = redis.pcall('set', 'b', 1); return {type(r), r.err}"),
      e("return redis.call('get', 'a')"),
      e("redis.call('get', 'a'); return redis.call('set', 'b', 1)"),
      e("return redis.call('incr', 'a')"),
      // A first write that is not denyoom (DEL, EXPIRE) lets the later ones through.
      e("redis.call('del', 'nokey'); return redis.call('set', 'b', 1)"),
      e("redis.call('expire', 'a', 100); return redis.call('incr', 'a')"),
      e("return redis.call('persist', 'a')"),
      e("local ok = pcall(redis.call, 'set', 'c', 1); return redis.call('set', 'c', 2)"),
      e("#!lua\nreturn 1"),
      e("#!lua\nreturn redis.call('get', 'a')"),
      e("#!lua flags=no-writes\nreturn redis.call('get', 'a')"),
      e("#!lua flags=no-writes\nreturn redis.call('set', 'a', 2)"),
      e("#!lua flags=allow-oom\nreturn redis.call('set', 'd', 1)"),
      e("#!lua flags=allow-oom\nreturn redis.call('incr', 'd')"),
      e("#!lua flags=allow-oom,no-writes\nreturn redis.call('set', 'x', 1)"),
      e("#!lua flags=bogus\nreturn 1"),
      e("#!lua name=x\nreturn 1"),
      ["EVAL_RO", "#!lua\nreturn 1", "0"],
      ["EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"],
      ["EVAL_RO", "return redis.call('get', 'a')", "0"],
      ["EVAL_RO", "return redis.call('set', 'a', 1)", "0"],
      { cmd: ["SCRIPT", "LOAD", "#!lua\nreturn 5"], capture: "flagged" },
      ["EVALSHA", "{flagged}", "0"],
      ["EVALSHA_RO", "{flagged}", "0"],
      { cmd: ["SCRIPT", "LOAD", "return redis.call('set', 'e', 1)"], capture: "compat" },
      ["EVALSHA", "{compat}", "0"],
      ["EVALSHA", "0000000000000000000000000000000000000000", "0"],
      ["MULTI"],
      e("return 1"),
      ["EXEC"],
      ["MGET", "a", "b", "c", "d", "e", "x"],
      ["INFO", "errorstats"],
      ["CONFIG", "SET", "maxmemory", "0"],
    ],
  },
  {
    name: "functions over maxmemory",
    steps: [
      ["FUNCTION", "FLUSH"],
      ["FUNCTION", "LOAD", library],
      ["CONFIG", "RESETSTAT"],
      ["SET", "a", "1"],
      ["CONFIG", "SET", "maxmemory", "1"],
      ["FCALL", "w", "0"],
      ["FCALL", "g", "0"],
      ["FCALL", "r", "0"],
      ["FCALL", "rw", "0"],
      ["FCALL", "o", "0"],
      ["FCALL_RO", "g", "0"],
      ["FCALL_RO", "r", "0"],
      ["FCALL_RO", "o", "0"],
      ["FCALL", "nosuch", "0"],
      ["FUNCTION", "LOAD", laterFn],
      ["FUNCTION", "DELETE", "oom"],
      ["FUNCTION", "LIST"],
      ["MGET", "fw", "fo"],
      ["INFO", "errorstats"],
      ["CONFIG", "SET", "maxmemory", "0"],
    ],
  },
  {
    name: "scripts in transactions over maxmemory",
    steps: [
      ["SCRIPT", "FLUSH"],
      ["FUNCTION", "FLUSH"],
      // A compat script queued before the limit: EXEC runs, the script's first SET is refused.
      ["MULTI"],
      e("return redis.call('set', 'm', 1)"),
      e("return redis.call('get', 'm')"),
      { cmd: ["CONFIG", "SET", "maxmemory", "1"], client: 1 },
      ["EXEC"],
      ["CONFIG", "SET", "maxmemory", "0"],
      // Flags are taken when queued: a script unknown then is not denyoom, and is refused at start.
      ["MULTI"],
      ["EVALSHA", sha(later), "0"],
      ["FCALL", "later", "0"],
      { cmd: ["SCRIPT", "LOAD", later], client: 1 },
      { cmd: ["FUNCTION", "LOAD", laterFn], client: 1 },
      { cmd: ["CONFIG", "SET", "maxmemory", "1"], client: 1 },
      ["EXEC"],
      // Queued while known: EXEC itself is refused.
      ["CONFIG", "SET", "maxmemory", "0"],
      ["MULTI"],
      ["EVALSHA", sha(later), "0"],
      { cmd: ["CONFIG", "SET", "maxmemory", "1"], client: 1 },
      ["EXEC"],
      // The OOM state is the one of the command being run, not of an earlier script.
      e("return 1"),
      ["CONFIG", "SET", "maxmemory", "1gb"],
      ["MULTI"],
      ["EVALSHA", sha(later), "0"],
      ["EXEC"],
      e("#!lua\nreturn redis.call('set', 'big', 1)"),
      ["CONFIG", "SET", "maxmemory", "0"],
      ["FUNCTION", "FLUSH"],
    ],
  },
  {
    // Keys are set inside the scripts, so that they surely expire after the script started, even
    // on a loaded machine (a key set before would race the script's start).
    name: "keys do not expire while a script runs",
    steps: [
      e(
        `redis.call('set', 'k', 'v', 'px', 20) redis.call('set', 'k2', 'v', 'px', 20) ${wait(60)} ` +
          "local r = {redis.call('exists', 'k'), redis.call('get', 'k'), redis.call('pttl', 'k'), " +
          "redis.call('ttl', 'k'), #redis.call('scan', 0)[2], #redis.call('keys', '*'), redis.call('dbsize'), " +
          "redis.call('type', 'k')['ok'], redis.call('object', 'encoding', 'k')} " +
          "redis.call('set', 'k', 'w', 'keepttl') r[#r + 1] = redis.call('get', 'k') " +
          "r[#r + 1] = redis.call('expire', 'k2', 0) r[#r + 1] = redis.call('exists', 'k2') return r",
      ),
      ["EXISTS", "k", "k2"],
      ["SET", "k6", "v", "PX", "5"],
      { cmd: e("return {redis.call('exists', 'k6'), redis.call('get', 'k6')}"), sleepBefore: 30 },
      e("local t = redis.call('time') return {#t, type(t[1]), type(t[2])}"),
    ],
  },
];

paritySuite("scripting-oom", cases);
