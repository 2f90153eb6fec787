// Unit tests of the Lua engine's host API: loading, natives, resumable runs, hooks, readonly tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LuaError,
  LuaState,
  LuaSyntaxError,
  LuaTable,
  type LuaValue,
} from "../../src/scripting/lua/index.js";

test("load and call return values; syntax errors carry 5.1 text with the chunk name", () => {
  const L = new LuaState();
  assert.deepEqual(L.call(L.load("return 1 + 1, 'x'", "@user_script")), [2, "x"]);
  assert.throws(
    () => L.load("x =", "@user_script"),
    (e: unknown) =>
      e instanceof LuaSyntaxError && e.message === "user_script:1: unexpected symbol near '<eof>'",
  );
});

test("natives receive arguments, return values and raise any Lua value", () => {
  const L = new LuaState();
  L.register("add", (args) => [(args[0] as number) + (args[1] as number)]);
  L.registerLib("redis", {
    fail: () => {
      const t = new LuaTable();
      t.set("err", "ERR boom");
      throw new LuaError(t);
    },
    where: (_a, L) => [L.where(1)],
  });
  assert.deepEqual(L.call(L.load("return add(2, 3)", "@s")), [5]);
  const r = L.call(L.load("local ok, e = pcall(redis.fail) return ok, e.err", "@s"));
  assert.deepEqual(r, [false, "ERR boom"]);
  assert.deepEqual(L.call(L.load("\nreturn redis.where()", "@user_script")), ["user_script:2: "]);
});

test("runtime errors name the variable and the line", () => {
  const L = new LuaState();
  assert.throws(
    () => L.call(L.load("local t = nil\nreturn t.x", "@user_script")),
    (e: unknown) =>
      e instanceof LuaError && e.value === "user_script:2: attempt to index local 't' (a nil value)",
  );
  assert.throws(
    () => L.call(L.load("f()", "@user_script")),
    (e: unknown) =>
      e instanceof LuaError && e.value === "user_script:1: attempt to call global 'f' (a nil value)",
  );
});

test("a run suspends on the hook's request and resumes where it stopped", () => {
  const L = new LuaState();
  let ticks = 0;
  L.setHook(() => (++ticks % 5 === 0 ? "suspend" : "continue"), 100);
  const fn = L.load("local s = 0 for i = 1, 100000 do s = s + i end return s", "@loop");
  const run = L.start(fn);
  let r = run.resume();
  let suspensions = 0;
  while (!r.done) {
    suspensions++;
    r = run.resume();
  }
  assert.ok(suspensions > 10);
  assert.deepEqual(r.values, [5000050000]);
});

test("suspension works inside pcall and coroutines", () => {
  const L = new LuaState();
  L.setHook(() => "suspend", 50);
  const fn = L.load(
    `local co = coroutine.wrap(function() for i = 1, 3 do local s = 0 for j = 1, 500 do s = s + j end coroutine.yield(s) end end)
     local ok, a = pcall(function() local t = {} for i = 1, 3 do t[i] = co() end return table.concat(t, ",") end)
     return ok, a`,
    "@c",
  );
  const run = L.start(fn);
  let r = run.resume();
  let n = 0;
  while (!r.done) {
    n++;
    r = run.resume();
  }
  assert.ok(n > 3);
  assert.deepEqual(r.values, [true, "125250,125250,125250"]);
});

test("a hook kill ends the run even inside pcall; the state stays usable", () => {
  const L = new LuaState();
  let killing = false;
  L.setHook(() => (killing ? { kill: "killed" } : "suspend"), 100);
  const run = L.start(L.load("while true do pcall(function() while true do end end) end", "@k"));
  assert.equal(run.resume().done, false);
  killing = true;
  assert.throws(
    () => run.resume(),
    (e: unknown) => e instanceof LuaError && e.value === "killed",
  );
  L.setHook(undefined);
  assert.deepEqual(L.call(L.load("return 7", "@x")), [7]);
});

test("a hook error is a catchable Lua error", () => {
  const L = new LuaState();
  let n = 0;
  L.setHook(() => (++n === 3 ? { error: "timeout" } : "continue"), 10);
  const r = L.call(L.load("local ok, e = pcall(function() while true do end end) return ok, e", "@h"));
  assert.deepEqual(r, [false, "timeout"]);
});

test("a host message handler sees the erroring stack", () => {
  const L = new LuaState();
  let info: ReturnType<LuaState["getinfo"]>;
  const fn = L.load("local function f()\n  error('x')\nend\nf()", "@user_script");
  assert.throws(
    () =>
      L.call(fn, [], (err: LuaValue) => {
        info = L.getinfo(1);
        return "handled: " + String(err);
      }),
    (e: unknown) => e instanceof LuaError && e.value === "handled: user_script:2: x",
  );
  assert.deepEqual(info, { what: "Lua", source: "@user_script", short_src: "user_script", currentline: 2 });
});

test("readonly tables reject writes from the VM, rawset and the table library", () => {
  const L = new LuaState();
  const t = new LuaTable();
  t.readonly = true;
  L.setGlobal("ro", t);
  const err = (code: string) => {
    try {
      L.call(L.load(code, "@user_script"));
      return undefined;
    } catch (e) {
      return (e as LuaError).value;
    }
  };
  assert.equal(err("ro.x = 1"), "user_script:1: Attempt to modify a readonly table");
  assert.equal(err("rawset(ro, 'y', 1)"), "Attempt to modify a readonly table");
  assert.equal(err("table.insert(ro, 1)"), "Attempt to modify a readonly table");
  assert.equal(err("setmetatable(ro, {})"), "Attempt to modify a readonly table");
  assert.equal(err("return ro.x"), undefined);
});

test("math.random uses the pluggable generator", () => {
  const L = new LuaState({ random: { next: () => 0.5, seed: () => undefined } });
  assert.deepEqual(L.call(L.load("return math.random(10), math.random()", "@r")), [6, 0.5]);
});

test("a native used as a metamethod sees the Lua function doing the access at level 1", () => {
  const L = new LuaState();
  const mt = new LuaTable();
  mt.set(
    "__index",
    L.register("guard", (args, L) => {
      throw L.error(`Script attempted to access nonexistent global variable '${String(args[1])}'`);
    }),
  );
  L.globals.metatable = mt;
  assert.throws(
    () => L.call(L.load("\nreturn x", "@user_script")),
    (e: unknown) =>
      e instanceof LuaError &&
      e.value === "user_script:2: Script attempted to access nonexistent global variable 'x'",
  );
});
