// Compiles the parser's AST into register-machine prototypes run by the VM (vm.ts).

import type { Exp, FuncNode, LocalDecl, Stat, TableItem } from "./parser.js";
import type { LuaValue } from "./value.js";
import { luaStringHash } from "./table.js";

/** VM opcodes. Operands marked RK are registers when >= 0 and constant -1-k when negative. */
export const enum Op {
  MOVE, // a b: R[a] = R[b]
  LOADK, // a b: R[a] = K[b]
  LOADBOOL, // a b: R[a] = b != 0
  LOADNIL, // a b: R[a..b] = nil
  GETUPVAL, // a b: R[a] = U[b]
  SETUPVAL, // a b: U[b] = R[a]
  NEWBOX, // a: R[a] = Box(R[a])
  GETBOX, // a b: R[a] = R[b].v
  SETBOX, // a b: R[a].v = R[b]
  GETGLOBAL, // a b: R[a] = env[K[b]]
  SETGLOBAL, // a b: env[K[b]] = R[a]
  GETTABLE, // a b c: R[a] = R[b][RK c]
  SETTABLE, // a b c: R[a][RK b] = RK c
  NEWTABLE, // a b c: R[a] = {} with b array slots and c node slots (5.1's rounded size hints)
  SELF, // a b c: R[a+1] = R[b]; R[a] = R[b][RK c]
  ADD, // a b c: R[a] = RK b + RK c
  SUB,
  MUL,
  DIV,
  MOD,
  POW,
  UNM, // a b: R[a] = -R[b]
  NOT,
  LEN,
  CONCAT, // a b c: R[a] = R[b] .. ... .. R[c]
  JMP, // a: pc = a
  JMPIF, // a b: if R[b] then pc = a
  JMPIFNOT, // a b: if not R[b] then pc = a
  EQ, // a b c: R[a] = RK b == RK c
  NE,
  LT,
  LE,
  JEQ, // a b c: if RK b == RK c then pc = a
  JNE,
  JLT,
  JNLT,
  JLE,
  JNLE,
  CALL, // a b c: R[a..a+c-2] = R[a](R[a+1..a+b-1]); b=0: args to top; c=0: all results (sets top)
  TAILCALL, // a b: return R[a](R[a+1..a+b-1])
  RETURN, // a b: return R[a..a+b-2]; b=0: to top
  FORPREP, // a b: check and prepare numeric for at R[a..a+2]; pc = b
  FORLOOP, // a b: R[a] += R[a+2]; if in range { R[a+3] = R[a]; pc = b }
  TFORCALL, // a c: R[a+3..a+2+c] = R[a](R[a+1], R[a+2])
  TFORLOOP, // a b: if R[a+3] ~= nil { R[a+2] = R[a+3]; pc = b }
  SETLIST, // a b c: R[a][c+i] = R[a+1+i], 0 <= i < b; b=0: to top
  CLOSURE, // a b: R[a] = closure(protos[b])
  VARARG, // a b: R[a..a+b-2] = ...; b=0: all (sets top)
}

/** A compiled function prototype. */
export interface Proto {
  /** Instructions, 4 ints each: op, a, b, c. */
  code: Int32Array;
  /** Source line of each instruction. */
  lines: Int32Array;
  /** Per instruction, variable descriptions of operands for error messages ("local 'x'"): [2*pc], [2*pc+1]. */
  info: (string | undefined)[];
  /** Per CONCAT instruction, descriptions of each operand register. */
  concatInfo: Map<number, (string | undefined)[]>;
  k: LuaValue[];
  /**
   * Per constant, the table hash of a string constant (luaStringHash, so field lookups with a
   * constant key skip hashing, as interned strings do in 5.1), -1 for other constants.
   */
  kh: number[];
  protos: Proto[];
  /** Per upvalue: [fromParentLocal (1/0), index] pairs. */
  upvals: Int32Array;
  upvalNames: string[];
  numParams: number;
  isVararg: boolean;
  /** Which parameters are captured (boxed at entry). */
  boxedParams: number[];
  maxStack: number;
  /** Chunk name as shown in messages (luaO_chunkid). */
  source: string;
  /** Chunk name as given to load ("@user_script"). */
  chunkName: string;
  lineDefined: number;
}

const LFIELDS_PER_FLUSH = 50;

/** Compiles a parsed function (the main chunk or any nested function). */
export function compileFunction(f: FuncNode, source: string, chunkName = source): Proto {
  const c = new FnCompiler(f, source);
  c.chunkName = chunkName;
  return c.compile();
}

interface BlockScope {
  freereg: number;
  breaks: number[] | undefined;
}

/** n rounded up as 5.1's luaO_int2fb then luaO_fb2int do: (8 + m) * 2^e with m < 8. */
function fbRound(n: number): number {
  let e = 0;
  while (n >= 16) {
    n = (n + 1) >> 1;
    e++;
  }
  return n << e;
}

function isMulti(e: Exp): boolean {
  return e.k === "call" || e.k === "method" || e.k === "vararg";
}

function describe(e: Exp): string | undefined {
  switch (e.k) {
    case "local":
      return `local '${e.decl.name}'`;
    case "upval":
      return `upvalue '${e.name}'`;
    case "global":
      return `global '${e.name}'`;
    case "index":
      return e.key.k === "str" ? `field '${e.key.v}'` : undefined;
    case "method":
      return `method '${e.name}'`;
    default:
      return undefined;
  }
}

const ARITH: Record<string, Op> = {
  "+": Op.ADD,
  "-": Op.SUB,
  "*": Op.MUL,
  "/": Op.DIV,
  "%": Op.MOD,
  "^": Op.POW,
};

class FnCompiler {
  code: number[] = [];
  lines: number[] = [];
  info: (string | undefined)[] = [];
  concatInfo = new Map<number, (string | undefined)[]>();
  k: LuaValue[] = [];
  kmap = new Map<LuaValue, number>();
  protos: Proto[] = [];
  freereg = 0;
  maxStack = 2;
  blocks: BlockScope[] = [];
  line: number;
  chunkName = "";

  constructor(
    readonly f: FuncNode,
    readonly source: string,
  ) {
    this.line = f.line;
  }

  compile(): Proto {
    const f = this.f;
    const boxedParams: number[] = [];
    for (const p of f.params) {
      p.reg = this.alloc();
      if (p.captured) boxedParams.push(p.reg);
    }
    this.block(f.body, undefined);
    this.emit(Op.RETURN, 0, 1, 0);
    const ups = new Int32Array(f.upvals.length * 2);
    f.upvals.forEach((u, i) => {
      ups[2 * i] = u.fromParentLocal ? 1 : 0;
      ups[2 * i + 1] = u.fromParentLocal ? u.fromParentLocal.reg : u.parentUpval;
    });
    return {
      code: Int32Array.from(this.code),
      lines: Int32Array.from(this.lines),
      info: this.info,
      concatInfo: this.concatInfo,
      k: this.k,
      kh: this.k.map((v) => (typeof v === "string" ? luaStringHash(v) : -1)),
      protos: this.protos,
      upvals: ups,
      upvalNames: f.upvals.map((u) => u.name),
      numParams: f.params.length,
      isVararg: f.isVararg,
      boxedParams,
      maxStack: this.maxStack + 4,
      source: this.source,
      chunkName: this.chunkName,
      lineDefined: f.line,
    };
  }

  emit(op: Op, a: number, b: number, c: number, i1?: string, i2?: string): number {
    const pc = this.lines.length;
    this.code.push(op, a, b, c);
    this.lines.push(this.line);
    if (i1 !== undefined || i2 !== undefined) {
      this.info[2 * pc] = i1;
      this.info[2 * pc + 1] = i2;
    }
    return pc;
  }

  pc(): number {
    return this.lines.length;
  }

  patch(pc: number, target: number): void {
    this.code[pc * 4 + 1] = target;
  }

  alloc(): number {
    const r = this.freereg++;
    if (this.freereg > this.maxStack) this.maxStack = this.freereg;
    return r;
  }

  reserve(n: number): void {
    this.freereg += n;
    if (this.freereg > this.maxStack) this.maxStack = this.freereg;
  }

  constant(v: string | number): number {
    // keyed like Lua's constant table: 0 and -0 are the same constant (the first one wins)
    const key: LuaValue = v;
    let i = this.kmap.get(key);
    if (i === undefined) {
      i = this.k.length;
      this.k.push(v);
      this.kmap.set(key, i);
    }
    return i;
  }

  // ---- blocks and statements ----

  block(stats: Stat[], breaks: number[] | undefined): void {
    const scope: BlockScope = { freereg: this.freereg, breaks };
    this.blocks.push(scope);
    for (const s of stats) this.stat(s);
    this.blocks.pop();
    this.freereg = scope.freereg;
  }

  declareLocal(d: LocalDecl, reg: number): void {
    d.reg = reg;
    if (d.captured) this.emit(Op.NEWBOX, reg, 0, 0);
  }

  stat(s: Stat): void {
    switch (s.k) {
      case "local": {
        this.line = s.line;
        const base = this.freereg;
        const n = s.decls.length;
        this.expList(s.exprs, base, n);
        this.freereg = base + n;
        s.decls.forEach((d, i) => this.declareLocal(d, base + i));
        return;
      }
      case "localfunc": {
        const r = this.alloc();
        s.decl.reg = r;
        if (s.decl.captured) {
          this.emit(Op.LOADNIL, r, r, 0);
          this.emit(Op.NEWBOX, r, 0, 0);
          const t = this.alloc();
          this.funcExp(s.f, t);
          this.emit(Op.SETBOX, r, t, 0);
          this.freereg = r + 1;
        } else this.funcExp(s.f, r);
        return;
      }
      case "assign":
        this.assign(s.targets, s.exprs, s.line);
        return;
      case "call": {
        const base = this.freereg;
        this.callExp(s.e, base, 0);
        this.freereg = base;
        return;
      }
      case "do":
        this.block(s.body, this.blocks[this.blocks.length - 1]?.breaks);
        return;
      case "while": {
        const start = this.pc();
        const exits = this.condJump(s.cond, false);
        const breaks: number[] = [];
        this.block(s.body, breaks);
        this.emit(Op.JMP, start, 0, 0);
        const end = this.pc();
        for (const j of exits) this.patch(j, end);
        for (const j of breaks) this.patch(j, end);
        return;
      }
      case "repeat": {
        const start = this.pc();
        const breaks: number[] = [];
        const scope: BlockScope = { freereg: this.freereg, breaks };
        this.blocks.push(scope);
        for (const st of s.body) this.stat(st);
        const back = this.condJump(s.cond, false);
        for (const j of back) this.patch(j, start);
        this.blocks.pop();
        this.freereg = scope.freereg;
        const end = this.pc();
        for (const j of breaks) this.patch(j, end);
        return;
      }
      case "if": {
        const ends: number[] = [];
        for (let i = 0; i < s.conds.length; i++) {
          const next = this.condJump(s.conds[i], false);
          this.block(s.blocks[i], this.blocks[this.blocks.length - 1]?.breaks);
          if (i < s.conds.length - 1 || s.orelse) ends.push(this.emit(Op.JMP, 0, 0, 0));
          const here = this.pc();
          for (const j of next) this.patch(j, here);
        }
        if (s.orelse) this.block(s.orelse, this.blocks[this.blocks.length - 1]?.breaks);
        const end = this.pc();
        for (const j of ends) this.patch(j, end);
        return;
      }
      case "numfor": {
        const base = this.freereg;
        this.expTo(s.start, this.alloc());
        this.expTo(s.limit, this.alloc());
        if (s.step) this.expTo(s.step, this.alloc());
        else this.emit(Op.LOADK, this.alloc(), this.constant(1), 0);
        this.line = s.line;
        const prep = this.emit(Op.FORPREP, base, 0, 0);
        const breaks: number[] = [];
        const bodyStart = this.pc();
        const scope: BlockScope = { freereg: this.freereg, breaks };
        this.blocks.push(scope);
        this.declareLocal(s.decl, this.alloc());
        for (const st of s.body) this.stat(st);
        this.blocks.pop();
        this.freereg = scope.freereg;
        this.line = s.line;
        const loop = this.emit(Op.FORLOOP, base, bodyStart, 0);
        this.code[prep * 4 + 2] = loop;
        const end = this.pc();
        for (const j of breaks) this.patch(j, end);
        this.freereg = base;
        return;
      }
      case "genfor": {
        const base = this.freereg;
        this.line = s.line;
        this.expList(s.exprs, base, 3);
        this.freereg = base + 3;
        const jmp = this.emit(Op.JMP, 0, 0, 0);
        const breaks: number[] = [];
        const bodyStart = this.pc();
        const scope: BlockScope = { freereg: this.freereg, breaks };
        this.blocks.push(scope);
        for (const d of s.decls) this.declareLocal(d, this.alloc());
        if (this.freereg < base + 6) this.reserve(base + 6 - this.freereg);
        for (const st of s.body) this.stat(st);
        this.blocks.pop();
        this.freereg = scope.freereg;
        this.patch(jmp, this.pc());
        this.line = s.line;
        this.emit(Op.TFORCALL, base, 0, s.decls.length);
        this.emit(Op.TFORLOOP, base, bodyStart, 0);
        const end = this.pc();
        for (const j of breaks) this.patch(j, end);
        this.freereg = base;
        return;
      }
      case "return": {
        this.line = s.line;
        const ex = s.exprs;
        if (ex.length === 1 && (ex[0].k === "call" || ex[0].k === "method")) {
          const base = this.freereg;
          this.callExp(ex[0], base, -1, true);
          this.freereg = base;
          return;
        }
        if (ex.length === 1 && ex[0].k === "local" && !ex[0].decl.captured) {
          this.emit(Op.RETURN, ex[0].decl.reg, 2, 0);
          return;
        }
        const base = this.freereg;
        const multi = ex.length > 0 && isMulti(ex[ex.length - 1]);
        this.expList(ex, base, multi ? -1 : ex.length);
        this.emit(Op.RETURN, base, multi ? 0 : ex.length + 1, 0);
        this.freereg = base;
        return;
      }
      case "break": {
        this.line = s.line;
        let breaks: number[] | undefined;
        for (let i = this.blocks.length - 1; i >= 0 && !breaks; i--) breaks = this.blocks[i].breaks;
        breaks!.push(this.emit(Op.JMP, 0, 0, 0));
        return;
      }
    }
  }

  assign(targets: Exp[], exprs: Exp[], line: number): void {
    if (targets.length === 1) {
      const t = targets[0];
      const e = exprs.length === 1 ? exprs[0] : undefined;
      // evaluate straight into the local's register when that cannot clobber an operand early
      const direct =
        e !== undefined &&
        e.k !== "and" &&
        e.k !== "or" &&
        e.k !== "table" &&
        e.k !== "call" &&
        e.k !== "method" &&
        e.k !== "paren";
      if (t.k === "local" && !t.decl.captured && direct) {
        this.line = line;
        this.expTo(e, t.decl.reg);
        return;
      }
    }
    const save = this.freereg;
    const slots: { t: Exp; obj: number; key: number }[] = [];
    for (const t of targets) {
      if (t.k === "index") {
        let obj: number;
        let key: number;
        if (targets.length === 1) {
          obj = this.expAny(t.obj);
          key = this.expRK(t.key);
        } else {
          obj = this.alloc();
          this.expTo(t.obj, obj);
          if (t.key.k === "str" || t.key.k === "num") key = this.expRK(t.key);
          else this.expTo(t.key, (key = this.alloc()));
        }
        slots.push({ t, obj, key });
      } else slots.push({ t, obj: 0, key: 0 });
    }
    const base = this.freereg;
    this.line = line;
    this.expList(exprs, base, targets.length);
    this.freereg = base + targets.length;
    for (let i = targets.length - 1; i >= 0; i--) {
      const { t, obj, key } = slots[i];
      const v = base + i;
      this.line = line;
      switch (t.k) {
        case "local":
          if (t.decl.captured) this.emit(Op.SETBOX, t.decl.reg, v, 0);
          else this.emit(Op.MOVE, t.decl.reg, v, 0);
          break;
        case "upval":
          this.emit(Op.SETUPVAL, v, t.idx, 0);
          break;
        case "global":
          this.emit(Op.SETGLOBAL, v, this.constant(t.name), 0);
          break;
        case "index":
          this.line = (t as { line: number }).line;
          this.emit(Op.SETTABLE, obj, key, v, describe((t as { obj: Exp }).obj));
          break;
      }
    }
    this.freereg = save;
  }

  // ---- expressions ----

  /** Evaluates a list into base.. (want values; -1: all, the last one multi). Leaves freereg at base+count. */
  expList(exprs: Exp[], base: number, want: number): void {
    const n = exprs.length;
    for (let i = 0; i < n; i++) {
      const e = exprs[i];
      if (i === n - 1 && isMulti(e)) {
        const w = want < 0 ? -1 : Math.max(want - i, 0);
        this.multi(e, base + i, w);
        this.freereg = base + i + Math.max(w, 0);
        if (want >= 0) this.freereg = base + want;
        return;
      }
      this.expTo(e, this.alloc());
    }
    if (want >= 0) {
      if (n < want) {
        this.emit(Op.LOADNIL, base + n, base + want - 1, 0);
        this.reserve(want - n);
      }
      this.freereg = base + want;
    }
  }

  multi(e: Exp, base: number, want: number): void {
    this.freereg = base;
    if (e.k === "vararg") {
      this.emit(Op.VARARG, base, want + 1, 0);
      if (want > 0) this.reserve(want);
    } else this.callExp(e, base, want);
  }

  callExp(e: Exp, base: number, want: number, tail = false): void {
    this.freereg = base;
    let nargs: number;
    let info: string | undefined;
    let args: Exp[];
    let line: number;
    if (e.k === "method") {
      const obj = this.expAny(e.obj);
      this.freereg = base;
      this.line = e.line;
      this.reserve(2);
      this.emit(Op.SELF, base, obj, -1 - this.constant(e.name), describe(e.obj));
      info = `method '${e.name}'`;
      args = e.args;
      nargs = 1;
      line = e.line;
    } else if (e.k === "call") {
      this.expTo(e.fn, this.alloc());
      info = describe(e.fn);
      args = e.args;
      nargs = 0;
      line = e.line;
    } else throw new Error("not a call");
    const argBase = this.freereg;
    const multi = args.length > 0 && isMulti(args[args.length - 1]);
    this.expList(args, argBase, multi ? -1 : args.length);
    nargs += args.length;
    this.line = line;
    if (tail) {
      this.emit(Op.TAILCALL, base, multi ? 0 : nargs + 1, 0, info);
      this.emit(Op.RETURN, base, 0, 0);
    } else this.emit(Op.CALL, base, multi ? 0 : nargs + 1, want + 1, info);
    this.freereg = base;
  }

  /** A register holding e's value (a local's own register when possible). */
  expAny(e: Exp): number {
    if (e.k === "local" && !e.decl.captured) return e.decl.reg;
    const r = this.alloc();
    this.expTo(e, r);
    return r;
  }

  expRK(e: Exp): number {
    if (e.k === "num" || e.k === "str") return -1 - this.constant(e.v);
    return this.expAny(e);
  }

  funcExp(f: FuncNode, dst: number): void {
    const fc = new FnCompiler(f, this.source);
    fc.chunkName = this.chunkName;
    const p = fc.compile();
    this.protos.push(p);
    this.emit(Op.CLOSURE, dst, this.protos.length - 1, 0);
  }

  /** Evaluates e into register dst (dst is reserved: below freereg). */
  expTo(e: Exp, dst: number): void {
    const save = this.freereg;
    switch (e.k) {
      case "nil":
        this.emit(Op.LOADNIL, dst, dst, 0);
        break;
      case "true":
        this.emit(Op.LOADBOOL, dst, 1, 0);
        break;
      case "false":
        this.emit(Op.LOADBOOL, dst, 0, 0);
        break;
      case "num":
      case "str":
        this.emit(Op.LOADK, dst, this.constant(e.v), 0);
        break;
      case "vararg":
        this.emit(Op.VARARG, dst, 2, 0);
        break;
      case "func":
        this.funcExp(e.f, dst);
        break;
      case "local":
        if (e.decl.captured) this.emit(Op.GETBOX, dst, e.decl.reg, 0);
        else if (e.decl.reg !== dst) this.emit(Op.MOVE, dst, e.decl.reg, 0);
        break;
      case "upval":
        this.emit(Op.GETUPVAL, dst, e.idx, 0);
        break;
      case "global":
        this.line = e.line;
        this.emit(Op.GETGLOBAL, dst, this.constant(e.name), 0);
        break;
      case "paren":
        this.expTo(e.e, dst);
        break;
      case "index": {
        const obj = this.expAny(e.obj);
        const key = this.expRK(e.key);
        this.line = e.line;
        this.emit(Op.GETTABLE, dst, obj, key, describe(e.obj));
        break;
      }
      case "call":
      case "method":
        if (dst === this.freereg - 1) {
          this.callExp(e, dst, 1);
        } else {
          const base = this.freereg;
          this.callExp(e, base, 1);
          this.emit(Op.MOVE, dst, base, 0);
        }
        break;
      case "and":
      case "or": {
        this.expTo(e.a, dst);
        const j = this.emit(e.k === "and" ? Op.JMPIFNOT : Op.JMPIF, 0, dst, 0);
        this.expTo(e.b, dst);
        this.patch(j, this.pc());
        break;
      }
      case "un": {
        const r = this.expAny(e.a);
        this.line = e.line;
        const op = e.op === "-" ? Op.UNM : e.op === "not" ? Op.NOT : Op.LEN;
        this.emit(op, dst, r, 0, describe(e.a));
        break;
      }
      case "bin":
        this.binExp(e, dst);
        break;
      case "table":
        this.tableExp(e.items, dst, e.line);
        break;
    }
    this.freereg = save;
  }

  binExp(e: Exp & { k: "bin" }, dst: number): void {
    const op = e.op;
    if (op === "..") {
      const parts: Exp[] = [];
      let x: Exp = e;
      while (x.k === "bin" && x.op === "..") {
        parts.push(x.a);
        x = x.b;
      }
      parts.push(x);
      const first = this.freereg;
      for (const p of parts) this.expTo(p, this.alloc());
      this.line = e.line;
      const pc = this.emit(Op.CONCAT, dst, first, first + parts.length - 1);
      this.concatInfo.set(pc, parts.map(describe));
      return;
    }
    const arith = ARITH[op];
    if (arith !== undefined) {
      const b = this.expRK(e.a);
      const c = this.expRK(e.b);
      this.line = e.line;
      this.emit(arith, dst, b, c, describe(e.a), describe(e.b));
      return;
    }
    let b = this.expRK(e.a);
    let c = this.expRK(e.b);
    this.line = e.line;
    let cmp: Op;
    switch (op) {
      case "==":
        cmp = Op.EQ;
        break;
      case "~=":
        cmp = Op.NE;
        break;
      case "<":
        cmp = Op.LT;
        break;
      case "<=":
        cmp = Op.LE;
        break;
      case ">":
        cmp = Op.LT;
        [b, c] = [c, b];
        break;
      default:
        cmp = Op.LE;
        [b, c] = [c, b];
        break;
    }
    this.emit(cmp, dst, b, c);
  }

  tableExp(items: TableItem[], dst: number, line: number): void {
    this.line = line;
    let npos = 0;
    for (const it of items) if (it.pos) npos++;
    const last = items[items.length - 1];
    // 5.1 does not count a trailing multi-value item, and stores both size hints as "floating
    // point bytes" (luaO_int2fb), i.e. rounded up to a representable size.
    const narray = last !== undefined && last.pos && isMulti(last.v) ? npos - 1 : npos;
    this.emit(Op.NEWTABLE, dst, fbRound(narray), fbRound(items.length - npos));
    let pending = 0;
    let stored = 0;
    const flushBase = this.freereg;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.pos) {
        if (i === items.length - 1 && isMulti(it.v)) {
          this.multi(it.v, flushBase + pending, -1);
          this.line = line;
          this.emit(Op.SETLIST, dst, 0, stored + 1);
          this.freereg = flushBase;
          return;
        }
        this.freereg = flushBase + pending;
        this.expTo(it.v, this.alloc());
        pending++;
        if (pending === LFIELDS_PER_FLUSH) {
          this.emit(Op.SETLIST, dst, pending, stored + 1);
          stored += pending;
          pending = 0;
          this.freereg = flushBase;
        }
      } else {
        const save = this.freereg;
        const k = this.expRK(it.key);
        const v = this.expRK(it.v);
        this.line = line;
        this.emit(Op.SETTABLE, dst, k, v);
        this.freereg = save;
      }
    }
    if (pending > 0) {
      this.line = line;
      this.emit(Op.SETLIST, dst, pending, stored + 1);
    }
    this.freereg = flushBase;
  }

  /** Emits jumps taken when e's truth equals `when`; returns them for patching. */
  condJump(e: Exp, when: boolean): number[] {
    switch (e.k) {
      case "true":
      case "num":
      case "str":
        return when ? [this.emit(Op.JMP, 0, 0, 0)] : [];
      case "nil":
      case "false":
        return when ? [] : [this.emit(Op.JMP, 0, 0, 0)];
      case "un":
        if (e.op === "not") return this.condJump(e.a, !when);
        break;
      case "and":
      case "or": {
        const isAnd = e.k === "and";
        if (isAnd !== when) {
          // and/false: either false jumps; or/true: either true jumps
          const l1 = this.condJump(e.a, when);
          const l2 = this.condJump(e.b, when);
          return l1.concat(l2);
        }
        const skip = this.condJump(e.a, !when);
        const l = this.condJump(e.b, when);
        const here = this.pc();
        for (const j of skip) this.patch(j, here);
        return l;
      }
      case "bin": {
        const op = e.op;
        if (op === "==" || op === "~=" || op === "<" || op === "<=" || op === ">" || op === ">=") {
          const save = this.freereg;
          let b = this.expRK(e.a);
          let c = this.expRK(e.b);
          if (op === ">" || op === ">=") [b, c] = [c, b];
          this.line = e.line;
          let jop: Op;
          if (op === "==") jop = when ? Op.JEQ : Op.JNE;
          else if (op === "~=") jop = when ? Op.JNE : Op.JEQ;
          else if (op === "<" || op === ">") jop = when ? Op.JLT : Op.JNLT;
          else jop = when ? Op.JLE : Op.JNLE;
          const j = this.emit(jop, 0, b, c);
          this.freereg = save;
          return [j];
        }
        break;
      }
    }
    const save = this.freereg;
    const r = this.expAny(e);
    const j = this.emit(when ? Op.JMPIF : Op.JMPIFNOT, 0, r, 0);
    this.freereg = save;
    return [j];
  }
}
