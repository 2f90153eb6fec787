// The Lua VM's instruction loop: runs the frames of the current thread until the boundary frame
// returns, the hook suspends a top-level run, or an error propagates (handled by LuaCalls).

import { Op } from "./compiler.js";
import { LuaTable } from "./table.js";
import { Box, isFunction, LuaClosure, LuaError, NativeFunction, toNumber, type LuaValue } from "./value.js";
import { LuaCalls, SUSPENDED, EMPTY, Special, SpecialFunction } from "./calls.js";
import { KillSignal, arithNum } from "./ops.js";
import type { LuaState } from "./state.js";

/** LuaState's instruction loop. */
export abstract class LuaVM extends LuaCalls {
  /** The interpreter loop. */
  protected loop(top: boolean): LuaValue[] | typeof SUSPENDED {
    outer: for (;;) {
      const co = this.co;
      const frames = co.frames;
      const frame = frames[frames.length - 1];
      const cl = frame.cl;
      const p = cl.proto;
      const code = p.code;
      const K = p.k;
      const KH = p.kh;
      const st = co.stack;
      const base = frame.base;
      let pc = frame.pc;
      for (;;) {
        if (--this.hookCounter <= 0) {
          frame.pc = pc;
          if (this.hook) {
            const act = this.runHook();
            if (act !== undefined && act !== "continue") {
              if (act === "suspend") {
                if (top && this.execDepth === 1) return SUSPENDED;
              } else if ("error" in act) {
                frame.pc = pc + 1;
                throw new LuaError(act.error);
              } else {
                throw new KillSignal(act.kill);
              }
            }
          } else this.hookCounter = 0x7fffffff;
        }
        const i = pc << 2;
        const a = code[i + 1];
        const b = code[i + 2];
        const c = code[i + 3];
        frame.pc = ++pc;
        switch (code[i]) {
          case Op.MOVE:
            st[base + a] = st[base + b];
            break;
          case Op.LOADK:
            st[base + a] = K[b];
            break;
          case Op.LOADBOOL:
            st[base + a] = b !== 0;
            break;
          case Op.LOADNIL:
            for (let r = a; r <= b; r++) st[base + r] = undefined;
            break;
          case Op.GETUPVAL:
            st[base + a] = cl.upvals[b].v;
            break;
          case Op.SETUPVAL:
            cl.upvals[b].v = st[base + a];
            break;
          case Op.NEWBOX:
            st[base + a] = new Box(st[base + a]) as unknown as LuaValue;
            break;
          case Op.GETBOX:
            st[base + a] = (st[base + b] as unknown as Box).v;
            break;
          case Op.SETBOX:
            (st[base + a] as unknown as Box).v = st[base + b];
            break;
          case Op.GETGLOBAL: {
            const env = cl.env;
            const key = K[b];
            const v = env.getH(key, KH[b]);
            st[base + a] = v !== undefined || env.metatable === undefined ? v : this.index(env, key);
            break;
          }
          case Op.SETGLOBAL: {
            const env = cl.env;
            if (env.metatable === undefined && !env.readonly) env.setH(K[b], KH[b], st[base + a]);
            else this.setIndex(env, K[b], st[base + a]);
            break;
          }
          case Op.GETTABLE: {
            const o = st[base + b];
            const key = c >= 0 ? st[base + c] : K[-1 - c];
            if (o instanceof LuaTable) {
              const v = c >= 0 ? o.get(key) : o.getH(key, KH[-1 - c]);
              st[base + a] = v !== undefined || o.metatable === undefined ? v : this.index(o, key);
            } else st[base + a] = this.index(o, key, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.SETTABLE: {
            const o = st[base + a];
            const key = b >= 0 ? st[base + b] : K[-1 - b];
            const v = c >= 0 ? st[base + c] : K[-1 - c];
            if (o instanceof LuaTable && o.metatable === undefined && !o.readonly) {
              if (b < 0 && KH[-1 - b] >= 0) o.setH(key, KH[-1 - b], v);
              else if (typeof key === "string") o.set(key, v);
              else this.vmRawSet(o, key, v);
            } else this.setIndex(o, key, v, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.NEWTABLE:
            st[base + a] = new LuaTable(b, c);
            break;
          case Op.SELF: {
            const o = st[base + b];
            const key = K[-1 - c];
            st[base + a + 1] = o;
            if (o instanceof LuaTable) {
              const v = o.getH(key, KH[-1 - c]);
              st[base + a] = v !== undefined || o.metatable === undefined ? v : this.index(o, key);
            } else st[base + a] = this.index(o, key, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.ADD: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x + y
                : this.arith(Op.ADD, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.SUB: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x - y
                : this.arith(Op.SUB, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.MUL: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? x * y
                : this.arith(Op.MUL, x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.DIV:
          case Op.MOD:
          case Op.POW: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] =
              typeof x === "number" && typeof y === "number"
                ? arithNum(code[i], x, y)
                : this.arith(code[i], x, y, p.info[2 * (pc - 1)], p.info[2 * (pc - 1) + 1]);
            break;
          }
          case Op.UNM: {
            const x = st[base + b];
            st[base + a] = typeof x === "number" ? -x : this.unm(x, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.NOT: {
            const x = st[base + b];
            st[base + a] = x === undefined || x === false;
            break;
          }
          case Op.LEN: {
            const x = st[base + b];
            st[base + a] = x instanceof LuaTable ? x.length() : this.len(x, p.info[2 * (pc - 1)]);
            break;
          }
          case Op.CONCAT: {
            const x = st[base + b];
            if (c === b + 1) {
              const y = st[base + c];
              if (typeof x === "string" && typeof y === "string") {
                st[base + a] = x + y;
                break;
              }
            }
            st[base + a] = this.concat(st.slice(base + b, base + c + 1), p.concatInfo.get(pc - 1));
            break;
          }
          case Op.JMP:
            pc = a;
            break;
          case Op.JMPIF: {
            const x = st[base + b];
            if (x !== undefined && x !== false) pc = a;
            break;
          }
          case Op.JMPIFNOT: {
            const x = st[base + b];
            if (x === undefined || x === false) pc = a;
            break;
          }
          case Op.EQ:
          case Op.NE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = x === y || (typeof x === "object" && typeof y === "object" && this.eq(x, y));
            st[base + a] = code[i] === Op.EQ ? r : !r;
            break;
          }
          case Op.LT: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] = typeof x === "number" && typeof y === "number" ? x < y : this.lt(x, y);
            break;
          }
          case Op.LE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            st[base + a] = typeof x === "number" && typeof y === "number" ? x <= y : this.le(x, y);
            break;
          }
          case Op.JEQ:
          case Op.JNE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = x === y || (typeof x === "object" && typeof y === "object" && this.eq(x, y));
            if (r === (code[i] === Op.JEQ)) pc = a;
            break;
          }
          case Op.JLT:
          case Op.JNLT: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = typeof x === "number" && typeof y === "number" ? x < y : this.lt(x, y);
            if (r === (code[i] === Op.JLT)) pc = a;
            break;
          }
          case Op.JLE:
          case Op.JNLE: {
            const x = b >= 0 ? st[base + b] : K[-1 - b];
            const y = c >= 0 ? st[base + c] : K[-1 - c];
            const r = typeof x === "number" && typeof y === "number" ? x <= y : this.le(x, y);
            if (r === (code[i] === Op.JLE)) pc = a;
            break;
          }
          case Op.CALL:
          case Op.TFORCALL:
          case Op.TAILCALL: {
            let fi: number;
            let nargs: number;
            let nres: number;
            const op = code[i];
            if (op === Op.TFORCALL) {
              fi = base + a + 3;
              st[fi] = st[base + a];
              st[fi + 1] = st[base + a + 1];
              st[fi + 2] = st[base + a + 2];
              nargs = 2;
              nres = c;
            } else {
              fi = base + a;
              nargs = b !== 0 ? b - 1 : co.top - fi - 1;
              nres = op === Op.TAILCALL ? -1 : c - 1;
            }
            let fn = st[fi];
            if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) {
              const h = this.metaOf(fn, "__call");
              if (!isFunction(h))
                throw this.typeErr(fn, "call", op === Op.TFORCALL ? undefined : p.info[2 * (pc - 1)]);
              for (let j = fi + nargs; j >= fi; j--) st[j + 1] = st[j];
              st[fi] = h;
              fn = h;
              nargs++;
            }
            if (fn instanceof LuaClosure) {
              if (op === Op.TAILCALL) {
                // a proper tail call: the callee replaces this frame (and inherits its role)
                const dst = frame.base - 1;
                for (let j = 0; j <= nargs; j++) st[dst + j] = st[fi + j];
                frames.pop();
                const nf = this.pushLuaFrame(
                  co,
                  fn,
                  dst,
                  nargs,
                  frame.ret,
                  frame.nres,
                  frame.protect,
                  frame.handler,
                );
                nf.boundary = frame.boundary;
                nf.hostHandler = frame.hostHandler;
                nf.tailcall = true;
              } else this.pushLuaFrame(co, fn, fi, nargs, fi, nres, 0, undefined);
              continue outer;
            }
            const nf = fn as NativeFunction;
            const info = op === Op.TFORCALL ? undefined : p.info[2 * (pc - 1)];
            this.callName = info ? info.slice(info.indexOf("'") + 1, -1) : "?";
            this.callIsMethod = info !== undefined && info.startsWith("method");
            this.callerIsNative = false;
            if (nf instanceof SpecialFunction && nf.special !== Special.None) {
              this.callSpecial(co, nf, fi, nargs, nres);
              continue outer;
            }
            let res: LuaValue[];
            this.nativeActive = true;
            try {
              res = nf.fn(st.slice(fi + 1, fi + 1 + nargs), this as unknown as LuaState) ?? EMPTY;
            } finally {
              this.nativeActive = false;
            }
            if (nres < 0) {
              for (let j = 0; j < res.length; j++) st[fi + j] = res[j];
              co.top = fi + res.length;
            } else if (nres === 1) st[fi] = res[0];
            else for (let j = 0; j < nres; j++) st[fi + j] = res[j];
            if (this.co !== co) continue outer;
            break;
          }
          case Op.RETURN: {
            const n = b !== 0 ? b - 1 : co.top - (base + a);
            this.returnFrom(co, frame, base + a, n);
            if (frame.boundary) return frame.results!;
            continue outer;
          }
          case Op.FORPREP: {
            const r = base + a;
            let init = st[r];
            let limit = st[r + 1];
            let step = st[r + 2];
            if (typeof init !== "number" && (init = toNumber(init)) === undefined)
              throw this.rtError("'for' initial value must be a number");
            if (typeof limit !== "number" && (limit = toNumber(limit)) === undefined)
              throw this.rtError("'for' limit must be a number");
            if (typeof step !== "number" && (step = toNumber(step)) === undefined)
              throw this.rtError("'for' step must be a number");
            st[r + 1] = limit;
            st[r + 2] = step;
            st[r] = init - step;
            pc = b;
            break;
          }
          case Op.FORLOOP: {
            const r = base + a;
            const step = st[r + 2] as number;
            const idx = (st[r] as number) + step;
            const limit = st[r + 1] as number;
            if (0 < step ? idx <= limit : limit <= idx) {
              st[r] = idx;
              st[r + 3] = idx;
              pc = b;
            }
            break;
          }
          case Op.TFORLOOP: {
            const v = st[base + a + 3];
            if (v !== undefined) {
              st[base + a + 2] = v;
              pc = b;
            }
            break;
          }
          case Op.SETLIST: {
            const t = st[base + a] as LuaTable;
            const n = b !== 0 ? b : co.top - (base + a) - 1;
            t.setList(c, st, base + a + 1, n);
            break;
          }
          case Op.CLOSURE: {
            const np = p.protos[b];
            const ups = np.upvals;
            const boxes: Box[] = new Array(ups.length >> 1);
            for (let j = 0; j < boxes.length; j++) {
              boxes[j] =
                ups[2 * j] === 1 ? (st[base + ups[2 * j + 1]] as unknown as Box) : cl.upvals[ups[2 * j + 1]];
            }
            st[base + a] = new LuaClosure(np, boxes, cl.env);
            break;
          }
          case Op.VARARG: {
            const va = frame.varargs;
            if (b === 0) {
              for (let j = 0; j < va.length; j++) st[base + a + j] = va[j];
              co.top = base + a + va.length;
            } else for (let j = 0; j < b - 1; j++) st[base + a + j] = va[j];
            break;
          }
          default:
            throw new Error(`bad opcode ${code[i]}`);
        }
      }
    }
  }
}
