// Lua 5.1 parser producing a scope-resolved AST, with Lua 5.1's exact syntax error texts.
//
// Written by hand rather than taken from npm: luaparse (the only maintained JS Lua parser) formats
// errors as "[line:col] ..." with its own wording and tokens, and Redis users see the exact 5.1
// messages ("user_script:1: '=' expected near 'x'"), so the lexer and the recursive-descent parser
// below follow the 5.1 grammar and report errors at the same token and line as lparser.c does.

import { Lexer, T_EOS, T_NAME, T_NUMBER, T_STRING, chunkId } from "./lexer.js";

/** A local variable declaration; `captured` is set when an inner function refers to it. */
export interface LocalDecl {
  name: string;
  captured: boolean;
  reg: number;
}

/** Expressions. Every node that can fail at run time carries the line 5.1 would report. */
export type Exp =
  | { k: "nil" }
  | { k: "true" }
  | { k: "false" }
  | { k: "vararg" }
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "func"; f: FuncNode }
  | { k: "table"; items: TableItem[]; line: number }
  | { k: "bin"; op: BinOp; a: Exp; b: Exp; line: number }
  | { k: "un"; op: "-" | "not" | "#"; a: Exp; line: number }
  | { k: "and" | "or"; a: Exp; b: Exp }
  | { k: "local"; decl: LocalDecl }
  | { k: "upval"; idx: number; name: string }
  | { k: "global"; name: string; line: number }
  | { k: "index"; obj: Exp; key: Exp; line: number }
  | { k: "call"; fn: Exp; args: Exp[]; line: number }
  | { k: "method"; obj: Exp; name: string; args: Exp[]; line: number }
  | { k: "paren"; e: Exp };

/** Binary operators (comparison operators keep their source spelling). */
export type BinOp = "+" | "-" | "*" | "/" | "%" | "^" | ".." | "==" | "~=" | "<" | "<=" | ">" | ">=";

/** A table constructor item: positional or keyed. */
export type TableItem = { pos: true; v: Exp } | { pos: false; key: Exp; v: Exp };

/** Statements. */
export type Stat =
  | { k: "local"; decls: LocalDecl[]; exprs: Exp[]; line: number }
  | { k: "localfunc"; decl: LocalDecl; f: FuncNode }
  | { k: "assign"; targets: Exp[]; exprs: Exp[]; line: number }
  | { k: "call"; e: Exp }
  | { k: "do"; body: Stat[] }
  | { k: "while"; cond: Exp; body: Stat[] }
  | { k: "repeat"; body: Stat[]; cond: Exp }
  | { k: "if"; conds: Exp[]; blocks: Stat[][]; orelse: Stat[] | undefined }
  | {
      k: "numfor";
      decl: LocalDecl;
      start: Exp;
      limit: Exp;
      step: Exp | undefined;
      body: Stat[];
      line: number;
    }
  | { k: "genfor"; decls: LocalDecl[]; exprs: Exp[]; body: Stat[]; line: number }
  | { k: "return"; exprs: Exp[]; line: number }
  | { k: "break"; line: number };

/** An upvalue of a function: a local of the enclosing function, or one of its upvalues. */
export interface UpvalDesc {
  name: string;
  fromParentLocal: LocalDecl | undefined;
  parentUpval: number;
}

/** A function body. */
export interface FuncNode {
  params: LocalDecl[];
  isVararg: boolean;
  body: Stat[];
  upvals: UpvalDesc[];
  line: number;
  lastLine: number;
  name: string;
}

interface Block {
  locals: LocalDecl[];
  isLoop: boolean;
}

class FuncState {
  blocks: Block[] = [];
  upvals: UpvalDesc[] = [];
  /** Declarations referenced as upvalues, parallel to `upvals`. */
  upvalDecls: LocalDecl[] = [];
  constructor(
    readonly parent: FuncState | undefined,
    readonly node: FuncNode,
  ) {}

  findLocal(name: string): LocalDecl | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const ls = this.blocks[i].locals;
      for (let j = ls.length - 1; j >= 0; j--) if (ls[j].name === name) return ls[j];
    }
    return undefined;
  }

  /** Index of an upvalue for `decl` (found in an enclosing function), adding it if needed. */
  upvalIndex(decl: LocalDecl): number {
    const i = this.upvalDecls.indexOf(decl);
    if (i >= 0) return i;
    const parent = this.parent!;
    let desc: UpvalDesc;
    if (parent.findLocal(decl.name) === decl) {
      desc = { name: decl.name, fromParentLocal: decl, parentUpval: -1 };
    } else desc = { name: decl.name, fromParentLocal: undefined, parentUpval: parent.upvalIndex(decl) };
    this.upvals.push(desc);
    this.upvalDecls.push(decl);
    return this.upvals.length - 1;
  }
}

const BINPRI: Record<string, [number, number]> = {
  "+": [6, 6],
  "-": [6, 6],
  "*": [7, 7],
  "/": [7, 7],
  "%": [7, 7],
  "^": [10, 9],
  "..": [5, 4],
  "==": [3, 3],
  "~=": [3, 3],
  "<": [3, 3],
  "<=": [3, 3],
  ">": [3, 3],
  ">=": [3, 3],
  and: [2, 2],
  or: [1, 1],
};
const UNARY_PRIORITY = 8;
const MAX_LEVELS = 200;

/** Parses a chunk into the AST of its main function (a vararg function with no parameters). */
export function parseChunk(src: string, chunkName: string): FuncNode {
  return new Parser(src, chunkId(chunkName)).parseMain();
}

class Parser {
  lx: Lexer;
  fs!: FuncState;
  level = 0;
  constructor(src: string, chunk: string) {
    this.lx = new Lexer(src, chunk);
  }

  parseMain(): FuncNode {
    const lx = this.lx;
    // skip a first line starting with '#' (like luaL_loadfile; harmless for loadstring too? no: only files)
    const node: FuncNode = {
      params: [],
      isVararg: true,
      body: [],
      upvals: [],
      line: 0,
      lastLine: 0,
      name: "main chunk",
    };
    this.fs = new FuncState(undefined, node);
    this.fs.blocks.push({ locals: [], isLoop: false });
    lx.next();
    node.body = this.chunk();
    if (lx.cur() !== T_EOS) this.errorExpected(T_EOS);
    node.lastLine = lx.line;
    return node;
  }

  enter(): void {
    if (++this.level > MAX_LEVELS) this.lx.error("chunk has too many syntax levels", this.lx.cur());
  }

  errorExpected(tok: string): never {
    this.lx.syntaxError(`'${tok}' expected`);
  }

  check(tok: string): void {
    if (this.lx.cur() !== tok) this.errorExpected(tok);
  }

  checkNext(tok: string): void {
    this.check(tok);
    this.lx.next();
  }

  testNext(tok: string): boolean {
    if (this.lx.cur() === tok) {
      this.lx.next();
      return true;
    }
    return false;
  }

  checkMatch(what: string, who: string, where: number): void {
    if (!this.testNext(what)) {
      if (where === this.lx.line) this.errorExpected(what);
      this.lx.syntaxError(`'${what}' expected (to close '${who}' at line ${where})`);
    }
  }

  checkName(): string {
    this.check(T_NAME);
    const v = this.lx.val;
    this.lx.next();
    return v;
  }

  blockFollow(): boolean {
    const t = this.lx.cur();
    return t === "else" || t === "elseif" || t === "end" || t === "until" || t === T_EOS;
  }

  chunk(): Stat[] {
    const stats: Stat[] = [];
    this.enter();
    let last = false;
    while (!last && !this.blockFollow()) {
      const st = this.statement();
      if (st) {
        last = st.k === "return" || st.k === "break";
        stats.push(st);
      }
      this.testNext(";");
    }
    this.level--;
    return stats;
  }

  block(isLoop: boolean): Stat[] {
    this.fs.blocks.push({ locals: [], isLoop });
    const b = this.chunk();
    this.fs.blocks.pop();
    return b;
  }

  declare(name: string): LocalDecl {
    return { name, captured: false, reg: -1 };
  }

  activate(...decls: LocalDecl[]): void {
    this.fs.blocks[this.fs.blocks.length - 1].locals.push(...decls);
  }

  statement(): Stat | undefined {
    const lx = this.lx;
    const line = lx.line;
    switch (lx.cur()) {
      case "if":
        return this.ifStat(line);
      case "while": {
        lx.next();
        const cond = this.expr();
        this.checkNext("do");
        const body = this.block(true);
        this.checkMatch("end", "while", line);
        return { k: "while", cond, body };
      }
      case "do": {
        lx.next();
        const body = this.block(false);
        this.checkMatch("end", "do", line);
        return { k: "do", body };
      }
      case "for":
        return this.forStat(line);
      case "repeat": {
        lx.next();
        this.fs.blocks.push({ locals: [], isLoop: true });
        const body = this.chunk();
        this.checkMatch("until", "repeat", line);
        const cond = this.expr();
        this.fs.blocks.pop();
        return { k: "repeat", body, cond };
      }
      case "function": {
        lx.next();
        let target: Exp = this.singleVar(this.checkName());
        let isMethod = false;
        let fname = "";
        while (lx.cur() === ".") {
          lx.next();
          fname = this.checkName();
          target = { k: "index", obj: target, key: { k: "str", v: fname }, line: lx.lastLine };
        }
        if (lx.cur() === ":") {
          lx.next();
          fname = this.checkName();
          target = { k: "index", obj: target, key: { k: "str", v: fname }, line: lx.lastLine };
          isMethod = true;
        }
        const f = this.body(isMethod, line);
        return { k: "assign", targets: [target], exprs: [{ k: "func", f }], line };
      }
      case "local":
        lx.next();
        if (this.testNext("function")) {
          const decl = this.declare(this.checkName());
          this.activate(decl);
          const f = this.body(false, line);
          return { k: "localfunc", decl, f };
        } else {
          const decls: LocalDecl[] = [];
          do decls.push(this.declare(this.checkName()));
          while (this.testNext(","));
          let exprs: Exp[] = [];
          if (this.testNext("=")) exprs = this.exprList();
          this.activate(...decls);
          return { k: "local", decls, exprs, line: lx.lastLine };
        }
      case "return": {
        lx.next();
        let exprs: Exp[] = [];
        if (!this.blockFollow() && lx.cur() !== ";") exprs = this.exprList();
        return { k: "return", exprs, line };
      }
      case "break": {
        lx.next();
        if (!this.fs.blocks.some((b) => b.isLoop)) lx.syntaxError("no loop to break");
        return { k: "break", line };
      }
      default:
        return this.exprStat();
    }
  }

  ifStat(line: number): Stat {
    const lx = this.lx;
    const conds: Exp[] = [];
    const blocks: Stat[][] = [];
    lx.next();
    conds.push(this.expr());
    this.checkNext("then");
    blocks.push(this.block(false));
    let orelse: Stat[] | undefined;
    while (lx.cur() === "elseif") {
      lx.next();
      conds.push(this.expr());
      this.checkNext("then");
      blocks.push(this.block(false));
    }
    if (this.testNext("else")) orelse = this.block(false);
    this.checkMatch("end", "if", line);
    return { k: "if", conds, blocks, orelse };
  }

  forStat(line: number): Stat {
    const lx = this.lx;
    lx.next();
    const n1 = this.checkName();
    if (lx.cur() === "=") {
      lx.next();
      const start = this.expr();
      this.checkNext(",");
      const limit = this.expr();
      let step: Exp | undefined;
      if (this.testNext(",")) step = this.expr();
      const forLine = lx.lastLine;
      this.checkNext("do");
      const decl = this.declare(n1);
      this.fs.blocks.push({ locals: [decl], isLoop: true });
      const body = this.chunk();
      this.fs.blocks.pop();
      this.checkMatch("end", "for", line);
      return { k: "numfor", decl, start, limit, step, body, line: forLine };
    }
    if (lx.cur() === "," || lx.cur() === "in") {
      const decls = [this.declare(n1)];
      while (this.testNext(",")) decls.push(this.declare(this.checkName()));
      this.checkNext("in");
      const forLine = lx.line;
      const exprs = this.exprList();
      this.checkNext("do");
      this.fs.blocks.push({ locals: decls, isLoop: true });
      const body = this.chunk();
      this.fs.blocks.pop();
      this.checkMatch("end", "for", line);
      return { k: "genfor", decls, exprs, body, line: forLine };
    }
    return lx.syntaxError("'=' or 'in' expected");
  }

  exprStat(): Stat {
    const lx = this.lx;
    const e = this.primaryExp();
    if (e.k === "call" || e.k === "method") return { k: "call", e };
    const targets: Exp[] = [e];
    for (;;) {
      const t = targets[targets.length - 1];
      if (t.k !== "local" && t.k !== "upval" && t.k !== "global" && t.k !== "index")
        lx.syntaxError("syntax error");
      if (!this.testNext(",")) break;
      targets.push(this.primaryExp());
    }
    this.checkNext("=");
    const exprs = this.exprList();
    return { k: "assign", targets, exprs, line: lx.lastLine };
  }

  singleVar(name: string): Exp {
    const fs = this.fs;
    const d = fs.findLocal(name);
    if (d) return { k: "local", decl: d };
    for (let f = fs.parent; f; f = f.parent) {
      const pd = f.findLocal(name);
      if (pd) {
        pd.captured = true;
        return { k: "upval", idx: fs.upvalIndex(pd), name };
      }
    }
    return { k: "global", name, line: this.lx.lastLine };
  }

  primaryExp(): Exp {
    const lx = this.lx;
    let e: Exp;
    if (lx.cur() === T_NAME) {
      const name = lx.val;
      lx.next();
      e = this.singleVar(name);
    } else if (lx.cur() === "(") {
      const line = lx.line;
      lx.next();
      const inner = this.expr();
      this.checkMatch(")", "(", line);
      e = { k: "paren", e: inner };
    } else return lx.syntaxError("unexpected symbol");
    for (;;) {
      switch (lx.cur()) {
        case ".": {
          lx.next();
          const name = this.checkName();
          e = { k: "index", obj: e, key: { k: "str", v: name }, line: lx.lastLine };
          break;
        }
        case "[": {
          lx.next();
          const key = this.expr();
          this.checkNext("]");
          e = { k: "index", obj: e, key, line: lx.lastLine };
          break;
        }
        case ":": {
          lx.next();
          const name = this.checkName();
          const line = lx.line;
          const args = this.callArgs(line);
          e = { k: "method", obj: e, name, args, line };
          break;
        }
        case "(":
        case T_STRING:
        case "{": {
          const line = lx.line;
          e = { k: "call", fn: e, args: this.callArgs(line), line };
          break;
        }
        default:
          return e;
      }
    }
  }

  callArgs(line: number): Exp[] {
    const lx = this.lx;
    if (lx.cur() === T_STRING) {
      const v = lx.val;
      lx.next();
      return [{ k: "str", v }];
    }
    if (lx.cur() === "{") return [this.tableCons()];
    if (lx.cur() === "(") {
      if (line !== lx.lastLine) lx.syntaxError("ambiguous syntax (function call x new statement)");
      lx.next();
      let args: Exp[] = [];
      if (lx.cur() !== ")") args = this.exprList();
      this.checkMatch(")", "(", line);
      return args;
    }
    return lx.syntaxError("function arguments expected");
  }

  tableCons(): Exp {
    const lx = this.lx;
    const line = lx.line;
    this.checkNext("{");
    const items: TableItem[] = [];
    while (lx.cur() !== "}") {
      if (lx.cur() === T_NAME) {
        if (lx.lookahead() !== "=") items.push({ pos: true, v: this.expr() });
        else {
          const key: Exp = { k: "str", v: lx.val };
          lx.next();
          this.checkNext("=");
          items.push({ pos: false, key, v: this.expr() });
        }
      } else if (lx.cur() === "[") {
        lx.next();
        const key = this.expr();
        this.checkNext("]");
        this.checkNext("=");
        items.push({ pos: false, key, v: this.expr() });
      } else items.push({ pos: true, v: this.expr() });
      if (!this.testNext(",") && !this.testNext(";")) break;
    }
    this.checkMatch("}", "{", line);
    return { k: "table", items, line: lx.lastLine };
  }

  body(isMethod: boolean, line: number): FuncNode {
    const lx = this.lx;
    const node: FuncNode = { params: [], isVararg: false, body: [], upvals: [], line, lastLine: 0, name: "" };
    const fs = new FuncState(this.fs, node);
    this.fs = fs;
    fs.blocks.push({ locals: [], isLoop: false });
    if (isMethod) node.params.push(this.declare("self"));
    this.checkNext("(");
    if (lx.cur() !== ")") {
      do {
        if (lx.cur() === T_NAME) node.params.push(this.declare(this.checkName()));
        else if (lx.cur() === "...") {
          lx.next();
          node.isVararg = true;
        } else lx.syntaxError("<name> or '...' expected");
      } while (!node.isVararg && this.testNext(","));
    }
    this.activate(...node.params);
    this.checkNext(")");
    node.body = this.chunk();
    node.lastLine = lx.line;
    this.checkMatch("end", "function", line);
    node.upvals = fs.upvals;
    this.fs = fs.parent!;
    return node;
  }

  exprList(): Exp[] {
    const list = [this.expr()];
    while (this.testNext(",")) list.push(this.expr());
    return list;
  }

  expr(): Exp {
    return this.subExpr(0);
  }

  simpleExp(): Exp {
    const lx = this.lx;
    let e: Exp;
    switch (lx.cur()) {
      case T_NUMBER:
        e = { k: "num", v: lx.num };
        break;
      case T_STRING:
        e = { k: "str", v: lx.val };
        break;
      case "nil":
        e = { k: "nil" };
        break;
      case "true":
        e = { k: "true" };
        break;
      case "false":
        e = { k: "false" };
        break;
      case "...": {
        if (!this.fs.node.isVararg) lx.syntaxError("cannot use '...' outside a vararg function");
        e = { k: "vararg" };
        break;
      }
      case "{":
        return this.tableCons();
      case "function": {
        const line = lx.line;
        lx.next();
        return { k: "func", f: this.body(false, line) };
      }
      default:
        return this.primaryExp();
    }
    lx.next();
    return e;
  }

  subExpr(limit: number): Exp {
    const lx = this.lx;
    this.enter();
    let e: Exp;
    const t = lx.cur();
    if (t === "not" || t === "-" || t === "#") {
      lx.next();
      const a = this.subExpr(UNARY_PRIORITY);
      if (t === "-" && a.k === "num") e = { k: "num", v: -a.v };
      else e = { k: "un", op: t, a, line: lx.lastLine };
    } else e = this.simpleExp();
    for (;;) {
      const op = lx.cur();
      const pri = BINPRI[op];
      if (!pri || pri[0] <= limit) break;
      lx.next();
      const b = this.subExpr(pri[1]);
      if (op === "and" || op === "or") e = { k: op, a: e, b };
      else e = { k: "bin", op: op as BinOp, a: e, b, line: lx.lastLine };
    }
    this.level--;
    return e;
  }
}
