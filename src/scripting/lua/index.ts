// Public API of reddish's Lua 5.1 engine: values, states, compiling chunks, calling, resumable runs.
//
// Usage (host side):
//   const L = new LuaState({ libs: ["base", "string", "table", "math", "coroutine"] });
//   L.setGlobal("KEYS", L.newTable(["k1"]));
//   const fn = L.load(source, "@user_script");        // throws LuaSyntaxError, message as 5.1
//   const values = L.call(fn, [arg1]);                  // run to completion; throws LuaError
//   // or resumable, with a budget and a hook:
//   const run = L.start(fn, []);
//   let r = run.resume();                                // { done: false } when suspended by the hook
//   while (!r.done) { await setImmediate(); r = run.resume(); }
//   r.values
//
// Strings are byte strings held as latin1 JS strings; numbers are doubles; nil is `undefined`.

export {
  type LuaValue,
  type LuaTypeName,
  type NativeFn,
  type LuaFunction,
  LuaClosure,
  NativeFunction,
  LuaUserdata,
  LuaError,
  Box,
  typeName,
  isFunction,
  truthy,
  fmtNumber,
  str2number,
  toNumber,
} from "./value.js";
export { LuaTable, setSampledStringHash } from "./table.js";
export { LuaSyntaxError, chunkId } from "./lexer.js";
export { Coroutine } from "./coroutine-type.js";
export {
  LuaState,
  LuaRun,
  type LuaLibName,
  type LuaStateOptions,
  type LuaHook,
  type LuaHookAction,
  type LuaRunResult,
  type RandomSource,
} from "./state.js";
