// Lua 5.1 coroutine library: create, resume, yield, status, wrap, running (switching is in the VM).

import { Coroutine } from "../coroutine-type.js";
import { LuaTable } from "../table.js";
import { LuaClosure, type LuaValue } from "../value.js";
import { Special, SpecialFunction, type LuaState } from "../state.js";
import { inRegisterOrder, setFn } from "./base.js";

/** Opens the coroutine library. */
export function openCoroutine(L: LuaState): void {
  const t = new LuaTable();
  const create = (args: LuaValue[], L: LuaState): Coroutine => {
    const f = args[0];
    if (!(f instanceof LuaClosure)) throw L.argError(1, "Lua function expected");
    const co = new Coroutine(f);
    co.env = L.co.env;
    return co;
  };
  setFn(L, t, "create", (args, L) => [create(args, L)]);
  const special = (
    name: string,
    kind: Special,
    fallback: (args: LuaValue[], L: LuaState) => LuaValue[] | void,
  ) => {
    const f = new SpecialFunction(name, kind, fallback);
    f.env = L.globals;
    return f;
  };
  t.set(
    "resume",
    special("resume", Special.RESUME, (_args, L) => {
      throw L.error("attempt to resume a coroutine from a native callback (not supported)");
    }),
  );
  t.set(
    "yield",
    special("yield", Special.YIELD, (_args, L) => {
      throw L.error("attempt to yield across metamethod/C-call boundary");
    }),
  );
  setFn(L, t, "status", (args, L) => {
    const co = args[0];
    if (!(co instanceof Coroutine)) throw L.argError(1, "coroutine expected");
    return [co === L.co ? "running" : co.status];
  });
  setFn(L, t, "running", (_args, L) => [L.co === L.main ? undefined : L.co]);
  setFn(L, t, "wrap", (args, L) => {
    const co = create(args, L);
    const w = special("wrap", Special.WRAP, (_a, L) => {
      throw L.error("attempt to resume a coroutine from a native callback (not supported)");
    });
    w.co = co;
    return [w];
  });
  L.globals.set("coroutine", inRegisterOrder(t, ["create", "resume", "running", "status", "wrap", "yield"]));
}
