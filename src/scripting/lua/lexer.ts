// Lua 5.1 lexer: tokens, long strings and escapes, numbers as luaO_str2d, with 5.1's exact error
// texts (written by hand for the reasons given in parser.ts), plus chunk names as 5.1 shows them.

import { str2number } from "./value.js";

/** Lua's luaO_chunkid: how a chunk name is shown in messages. */
export function chunkId(source: string): string {
  // LUA_IDSIZE is 80 in Debian's lua5.1 build
  if (source[0] === "=") return source.slice(1, 80);
  if (source[0] === "@") {
    const s = source.slice(1);
    return s.length > 72 ? "..." + s.slice(s.length - 72) : s;
  }
  let len = source.search(/[\n\r]/);
  if (len < 0) len = source.length;
  const trunc = len > 63 || len < source.length;
  if (len > 63) len = 63;
  return '[string "' + source.slice(0, len) + (trunc ? "..." : "") + '"]';
}

/** A syntax error: `message` is the full 5.1 text (`chunk:line: msg near 'tok'`). */
export class LuaSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LuaSyntaxError";
  }
}

const RESERVED = new Set([
  "and",
  "break",
  "do",
  "else",
  "elseif",
  "end",
  "false",
  "for",
  "function",
  "if",
  "in",
  "local",
  "nil",
  "not",
  "or",
  "repeat",
  "return",
  "then",
  "true",
  "until",
  "while",
]);

// Token kinds: reserved words and symbols are their own text; others are below.
export const T_EOS = "<eof>";
export const T_NAME = "<name>";
export const T_STRING = "<string>";
export const T_NUMBER = "<number>";

function isAlpha(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isAlnum(c: string): boolean {
  return isAlpha(c) || isDigit(c);
}

/** The 5.1 lexer (llex.c): one token of lookahead, 5.1's error messages. */
export class Lexer {
  pos = 0;
  line = 1;
  lastLine = 1;
  tok = "";
  /** Token text (name, processed string value, raw number text). */
  val = "";
  /** Raw text as 5.1's buffer would hold it (for "near" messages). */
  raw = "";
  num = 0;
  // lookahead
  aTok: string | undefined;
  aVal = "";
  aRaw = "";
  aNum = 0;
  constructor(
    readonly src: string,
    readonly chunk: string,
  ) {}

  error(msg: string, tokKind: string | undefined, raw?: string): never {
    let m = `${this.chunk}:${this.line}: ${msg}`;
    if (tokKind !== undefined) m += ` near '${this.tokText(tokKind, raw)}'`;
    throw new LuaSyntaxError(m);
  }

  tokText(kind: string, raw?: string): string {
    if (kind === T_NAME || kind === T_STRING || kind === T_NUMBER) return raw ?? this.raw;
    if (kind.length === 1) {
      const c = kind.charCodeAt(0);
      if (c < 32) return `char(${c})`;
    }
    return kind;
  }

  /** The current token kind (a method so that TS does not narrow it across next()). */
  cur(): string {
    return this.tok;
  }

  syntaxError(msg: string): never {
    this.error(msg, this.tok);
  }

  next(): void {
    this.lastLine = this.line;
    if (this.aTok !== undefined) {
      this.tok = this.aTok;
      this.val = this.aVal;
      this.raw = this.aRaw;
      this.num = this.aNum;
      this.aTok = undefined;
      return;
    }
    this.tok = this.scan();
  }

  lookahead(): string {
    const [t, v, r, n] = [this.tok, this.val, this.raw, this.num];
    const k = this.scan();
    this.aTok = k;
    this.aVal = this.val;
    this.aRaw = this.raw;
    this.aNum = this.num;
    this.tok = t;
    this.val = v;
    this.raw = r;
    this.num = n;
    return k;
  }

  private newline(): void {
    const s = this.src;
    const old = s[this.pos];
    this.pos++;
    if ((s[this.pos] === "\n" || s[this.pos] === "\r") && s[this.pos] !== old) this.pos++;
    this.line++;
  }

  private scan(): string {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) return T_EOS;
      switch (c) {
        case "\n":
        case "\r":
          this.newline();
          continue;
        case "-": {
          if (s[this.pos + 1] !== "-") {
            this.pos++;
            return "-";
          }
          this.pos += 2;
          if (s[this.pos] === "[") {
            const sep = this.skipSep();
            if (sep >= 0) {
              this.readLong(sep, true);
              continue;
            }
          }
          while (this.pos < s.length && s[this.pos] !== "\n" && s[this.pos] !== "\r") this.pos++;
          continue;
        }
        case "[": {
          const sep = this.skipSep();
          if (sep >= 0) {
            this.readLong(sep, false);
            return T_STRING;
          }
          if (sep === -1) return "[";
          this.error("invalid long string delimiter", T_STRING, "[=");
          break;
        }
        case "=":
          this.pos++;
          if (s[this.pos] === "=") {
            this.pos++;
            return "==";
          }
          return "=";
        case "<":
          this.pos++;
          if (s[this.pos] === "=") {
            this.pos++;
            return "<=";
          }
          return "<";
        case ">":
          this.pos++;
          if (s[this.pos] === "=") {
            this.pos++;
            return ">=";
          }
          return ">";
        case "~":
          this.pos++;
          if (s[this.pos] === "=") {
            this.pos++;
            return "~=";
          }
          return "~";
        case '"':
        case "'":
          this.readString(c);
          return T_STRING;
        case ".":
          if (s[this.pos + 1] === ".") {
            if (s[this.pos + 2] === ".") {
              this.pos += 3;
              return "...";
            }
            this.pos += 2;
            return "..";
          }
          if (!isDigit(s[this.pos + 1] ?? "")) {
            this.pos++;
            return ".";
          }
          this.readNumber();
          return T_NUMBER;
        default:
          if (c === " " || c === "\t" || c === "\v" || c === "\f") {
            this.pos++;
            continue;
          }
          if (isDigit(c)) {
            this.readNumber();
            return T_NUMBER;
          }
          if (isAlpha(c)) {
            const st = this.pos;
            while (this.pos < s.length && isAlnum(s[this.pos])) this.pos++;
            const w = s.slice(st, this.pos);
            if (RESERVED.has(w)) return w;
            this.val = w;
            this.raw = w;
            return T_NAME;
          }
          this.pos++;
          return c;
      }
    }
  }

  private readNumber(): void {
    const s = this.src;
    const st = this.pos;
    while (this.pos < s.length && (isDigit(s[this.pos]) || s[this.pos] === ".")) this.pos++;
    if (s[this.pos] === "e" || s[this.pos] === "E") {
      this.pos++;
      if (s[this.pos] === "+" || s[this.pos] === "-") this.pos++;
    }
    while (this.pos < s.length && (isAlnum(s[this.pos]) || s[this.pos] === "_")) this.pos++;
    const text = s.slice(st, this.pos);
    this.raw = text;
    const n = str2number(text);
    if (n === undefined) this.error("malformed number", T_NUMBER);
    this.num = n;
  }

  /** At '[' : returns the level of `[==[` (>=0), -1 for a lone '[', or -(level)-1 for '[=' without '['. */
  private skipSep(): number {
    const s = this.src;
    const open = s[this.pos];
    let count = 0;
    this.pos++;
    while (s[this.pos] === "=") {
      this.pos++;
      count++;
    }
    return s[this.pos] === open ? count : -count - 1;
  }

  private readLong(sep: number, comment: boolean): void {
    const s = this.src;
    const startRaw = this.pos - sep - 1;
    this.pos++; // second '['
    if (s[this.pos] === "\n" || s[this.pos] === "\r") this.newline();
    let out = "";
    let segStart = this.pos;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) {
        this.error(comment ? "unfinished long comment" : "unfinished long string", T_EOS);
      }
      if (c === "]") {
        const save = this.pos;
        if (this.skipSep() === sep) {
          out += s.slice(segStart, save);
          this.pos++;
          if (!comment) {
            this.val = out;
            this.raw = s.slice(startRaw, this.pos);
          }
          return;
        }
        continue;
      }
      if (c === "[") {
        const save = this.pos;
        if (this.skipSep() === sep) {
          this.raw = "[";
          this.error("nesting of [[...]] is deprecated", "[");
        }
        this.pos = save + 1;
        continue;
      }
      if (c === "\n" || c === "\r") {
        out += s.slice(segStart, this.pos) + "\n";
        this.newline();
        segStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private readString(delim: string): void {
    const s = this.src;
    this.pos++;
    let out = "";
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) this.error("unfinished string", T_EOS);
      if (c === "\n" || c === "\r") this.error("unfinished string", T_STRING, delim + out);
      if (c === delim) {
        this.pos++;
        break;
      }
      if (c === "\\") {
        this.pos++;
        const e = s[this.pos];
        switch (e) {
          case "a":
            out += "\x07";
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "v":
            out += "\v";
            break;
          case "\n":
          case "\r":
            out += "\n";
            this.newline();
            continue;
          case undefined:
            continue;
          default:
            if (isDigit(e)) {
              let v = 0;
              let i = 0;
              while (i < 3 && isDigit(s[this.pos] ?? "")) {
                v = v * 10 + s.charCodeAt(this.pos) - 48;
                this.pos++;
                i++;
              }
              if (v > 255) this.error("escape sequence too large", T_STRING, delim + out);
              out += String.fromCharCode(v);
              continue;
            }
            out += e;
        }
        this.pos++;
        continue;
      }
      out += c;
      this.pos++;
    }
    this.val = out;
    this.raw = delim + out + delim;
  }
}
