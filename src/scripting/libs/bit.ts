/**
 * The `bit` library (LuaBitOp 1.0, as bundled with Redis): 32-bit operations on Lua numbers.
 * Written here because it is a native library of Redis's Lua and no npm package provides it.
 */
import { LuaTable } from "../lua/table.js";
import { NativeFunction, type LuaValue } from "../lua/value.js";
import type { LuaState } from "../lua/state.js";

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Little-endian hosts hold a double's low word first. */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * LuaBitOp's barg: adds 2^52 + 2^51 so the number's integer part (rounded to nearest, ties to
 * even) lands in the low word of the double, whose 32 bits are the result.
 */
function toBits(n: number): number {
  scratch[0] = n + (2 ** 52 + 2 ** 51);
  return words[LOW]! | 0;
}

/** Argument `i` (0-based) as LuaBitOp's 32-bit value. */
function arg(L: LuaState, args: LuaValue[], i: number): number {
  return toBits(L.checkNumber(args, i + 1));
}

function fold(name: string, op: (a: number, b: number) => number): NativeFunction {
  return new NativeFunction(name, (args, L) => {
    let b = arg(L, args, 0);
    for (let i = 1; i < args.length; i++) b = op(b, arg(L, args, i));
    return [b];
  });
}

function shift(name: string, op: (b: number, n: number) => number): NativeFunction {
  return new NativeFunction(name, (args, L) => {
    const b = arg(L, args, 0);
    const n = arg(L, args, 1) & 31;
    return [op(b, n) | 0];
  });
}

/** Builds the `bit` table. */
export function createBitLibrary(): LuaTable {
  const t = new LuaTable();
  const fns: NativeFunction[] = [
    new NativeFunction("tobit", (args, L) => [arg(L, args, 0)]),
    new NativeFunction("bnot", (args, L) => [~arg(L, args, 0)]),
    fold("band", (a, b) => a & b),
    fold("bor", (a, b) => a | b),
    fold("bxor", (a, b) => a ^ b),
    shift("lshift", (b, n) => b << n),
    shift("rshift", (b, n) => b >>> n),
    shift("arshift", (b, n) => b >> n),
    shift("rol", (b, n) => (b << n) | (b >>> (32 - n))),
    shift("ror", (b, n) => (b >>> n) | (b << (32 - n))),
    new NativeFunction("bswap", (args, L) => {
      const b = arg(L, args, 0);
      return [(b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24) | 0];
    }),
    new NativeFunction("tohex", (args, L) => {
      let b = arg(L, args, 0) >>> 0;
      let n = args[1] === undefined ? 8 : arg(L, args, 1);
      let digits = "0123456789abcdef";
      if (n < 0) {
        n = -n;
        digits = "0123456789ABCDEF";
      }
      if (n > 8) n = 8;
      let out = "";
      for (let i = 0; i < n; i++) {
        out = digits[b & 15]! + out;
        b >>>= 4;
      }
      return [out];
    }),
  ];
  for (const f of fns) t.set(f.name, f);
  return t;
}
