/**
 * Micro-benchmark of the Lua engine (src/scripting/lua) against Debian's lua5.1 on the same
 * programs: each program is timed inside the interpreter (os.clock on lua5.1, performance.now
 * around the call here, compile excluded on both sides), best of BENCH_LUA_ROUNDS (3), and the
 * ratio lua5.1 time / engine time is printed (1.0 = as fast as the C interpreter).
 * Also times a small rate-limiter script called repeatedly with a native `redis.call` stub
 * (engine only: calls per second, the engine's share of an EVALSHA).
 *
 * Run: npm run build && node dist/bench/lua-engine.js
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { LuaState, LuaTable, type LuaValue } from "../src/scripting/lua/index.js";

const ROUNDS = Math.max(1, Number(process.env.BENCH_LUA_ROUNDS ?? 3));

const PROGRAMS: Record<string, string> = {
  "fib(27) recursion": `local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
    return fib(27)`,
  "numeric for, 10M adds": `local s = 0 for i = 1, 10000000 do s = s + i % 7 end return s`,
  "table fill+sum 1M": `local t = {} for i = 1, 1000000 do t[#t+1] = i end
    local s = 0 for i, v in ipairs(t) do s = s + v end return s`,
  "table.sort 200k": `local t = {} local x = 1 for i = 1, 200000 do x = (x * 1103515245 + 12345) % 2147483648 t[i] = x end
    table.sort(t) return t[1]`,
  "string ops 200k": `local n = 0 for i = 1, 200000 do local s = "key:" .. i
    n = n + #s:upper() + #string.format("%d-%s", i, s) end return n`,
  "gsub/find 100k": `local n = 0 for i = 1, 100000 do local s = "hello world " .. i
    local r = s:gsub("o", "0") if r:find("w0rld") then n = n + 1 end end return n`,
  "method calls 2M": `local C = {} C.__index = C function C:inc(d) self.v = self.v + d return self end
    local o = setmetatable({v = 0}, C) for i = 1, 2000000 do o:inc(1) end return o.v`,
  "closures 1M": `local function mk(a) return function(b) return a + b end end
    local s = 0 for i = 1, 1000000 do s = s + mk(i)(1) end return s`,
  "string-key records 200k": `local n = 0 for i = 1, 200000 do local r = {id = i, name = "n" .. i, score = i * 2, tag = "t"}
    r.extra = r.id + r.score n = n + r.extra + #r.name end return n`,
  "hash build+pairs 100k": `local t = {} for i = 1, 100000 do t["key:" .. i] = i end
    local s = 0 for k, v in pairs(t) do s = s + v end for i = 1, 100000, 2 do t["key:" .. i] = nil end
    for k, v in pairs(t) do s = s + v end return s`,
  "sparse numeric keys 200k": `local t = {} for i = 1, 200000 do t[i * 7 + 0.5] = i end
    local s = 0 for i = 1, 200000 do s = s + t[i * 7 + 0.5] end return s`,
  "pcall 500k": `local s = 0 for i = 1, 500000 do local ok, v = pcall(function(x) return x * 2 end, i) s = s + v end return s`,
};

function timeEngine(src: string): number {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const L = new LuaState({ print: () => undefined });
    const fn = L.load(src, "=bench");
    const t0 = performance.now();
    L.call(fn);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function timeLua51(src: string): number | undefined {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const driver = `local f = assert(loadstring(${JSON.stringify(src)})) local t = os.clock() f() io.write(os.clock() - t)`;
    const out = spawnSync("lua5.1", ["-e", driver], { encoding: "utf8" });
    if (out.error || out.status !== 0) return undefined;
    best = Math.min(best, Number(out.stdout) * 1000);
  }
  return best;
}

const RATE_LIMITER = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local current = tonumber(redis.call("GET", key) or "0")
if current + 1 > limit then
  return 0
end
redis.call("INCR", key)
if current == 0 then redis.call("EXPIRE", key, window) end
return 1`;

function rateLimiter(): number {
  const L = new LuaState({ print: () => undefined });
  const store = new Map<string, number>();
  L.registerLib("redis", {
    call: (args) => {
      const cmd = String(args[0]).toUpperCase();
      const key = String(args[1]);
      if (cmd === "GET") return [store.has(key) ? String(store.get(key)) : false];
      if (cmd === "INCR") {
        const v = (store.get(key) ?? 0) + 1;
        store.set(key, v);
        return [v];
      }
      return [1];
    },
  });
  const proto = L.compile(RATE_LIMITER, "@user_script");
  const n = 300_000;
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    store.clear();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const keys = new LuaTable();
      keys.set(1, "rl:" + (i % 1000));
      const argv = new LuaTable();
      argv.set(1, "100");
      argv.set(2, "60");
      L.setGlobal("KEYS", keys);
      L.setGlobal("ARGV", argv);
      const res: LuaValue[] = L.call(L.instantiate(proto));
      if (res.length !== 1) throw new Error("unexpected result");
    }
    best = Math.min(best, performance.now() - t0);
  }
  return n / (best / 1000);
}

console.log(`Lua engine vs lua5.1 (best of ${ROUNDS}; ratio = lua5.1 time / engine time)`);
for (const [name, src] of Object.entries(PROGRAMS)) {
  const ours = timeEngine(src);
  const theirs = timeLua51(src);
  const ratio = theirs === undefined ? "n/a (no lua5.1)" : (theirs / ours).toFixed(2);
  console.log(
    `${name.padEnd(24)} engine ${ours.toFixed(1).padStart(8)} ms   lua5.1 ${theirs === undefined ? "   n/a" : theirs.toFixed(1).padStart(8)} ms   ratio ${ratio}`,
  );
}
console.log(
  `rate-limiter script, native redis.call stub: ${Math.round(rateLimiter()).toLocaleString("en")} calls/s`,
);
