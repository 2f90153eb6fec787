/**
 * The `cjson` library (Lua CJSON 2.1.0, as bundled with Redis): JSON encode/decode with its exact
 * number formatting (`%.14g`), escapes, sparse-array rule, empty tables encoded as `{}`,
 * `cjson.null`, and its error texts. Written here because it is a native library of Redis's Lua
 * and no npm package reproduces CJSON's behaviour. Object key order follows the engine's table
 * iteration order, which is Lua 5.1's (and so Redis's) node order.
 */
import { LuaTable } from "../lua/table.js";
import { formatG } from "../../resp/format.js";
import { LuaUserdata, NativeFunction, str2number, typeName, type LuaValue } from "../lua/value.js";
import type { LuaState } from "../lua/state.js";

/** `cjson.null`: Redis's lightuserdata NULL (type() says "userdata"). One per library instance. */
interface JsonConfig {
  null: LuaUserdata;
  encodeSparseConvert: boolean;
  encodeSparseRatio: number;
  encodeSparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  encodePrecision: number;
  encodeKeepBuffer: boolean;
  /** 0 off, 1 on, 2 "null". */
  encodeInvalidNumbers: number;
  decodeInvalidNumbers: boolean;
}

function defaultConfig(): JsonConfig {
  return {
    null: new LuaUserdata(null),
    encodeSparseConvert: false,
    encodeSparseRatio: 2,
    encodeSparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodePrecision: 14,
    encodeKeepBuffer: true,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: true,
  };
}

// ---- encoding ----

const ESCAPES: string[] = [];
for (let c = 0; c < 256; c++) {
  if (c < 32 || c === 127) ESCAPES[c] = "\\u00" + c.toString(16).padStart(2, "0");
}
ESCAPES[8] = "\\b";
ESCAPES[9] = "\\t";
ESCAPES[10] = "\\n";
ESCAPES[12] = "\\f";
ESCAPES[13] = "\\r";
ESCAPES[34] = '\\"';
ESCAPES[92] = "\\\\";
ESCAPES[47] = "\\/";

function encodeString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const esc = ESCAPES[s.charCodeAt(i)];
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

class Encoder {
  constructor(
    private readonly L: LuaState,
    private readonly cfg: JsonConfig,
  ) {}

  private fail(v: LuaValue, reason: string): never {
    throw this.L.error(`Cannot serialise ${typeName(v)}: ${reason}`);
  }

  number(n: number, holder: LuaValue): string {
    if (!Number.isFinite(n)) {
      if (this.cfg.encodeInvalidNumbers === 0) this.fail(holder, "must not be NaN or Inf");
      if (this.cfg.encodeInvalidNumbers === 2) return "null";
      if (Number.isNaN(n)) return "nan";
      return n > 0 ? "inf" : "-inf";
    }
    return formatG(n, this.cfg.encodePrecision);
  }

  value(v: LuaValue, depth: number): string {
    switch (typeof v) {
      case "string":
        return encodeString(v);
      case "number":
        return this.number(v, v);
      case "boolean":
        return v ? "true" : "false";
      case "undefined":
        return "null";
    }
    if (v instanceof LuaTable) {
      depth++;
      if (depth > this.cfg.encodeMaxDepth)
        throw this.L.error(`Cannot serialise, excessive nesting (${depth})`);
      const len = this.arrayLength(v);
      return len > 0 ? this.array(v, len, depth) : this.object(v, depth);
    }
    if (v === this.cfg.null) return "null";
    return this.fail(v, "type not supported");
  }

  /** lua_array_length: the largest index if every key is an integer >= 1, else -1 (object). */
  private arrayLength(t: LuaTable): number {
    let max = 0;
    let items = 0;
    let k: LuaValue = undefined;
    for (let e = t.next(k); e; e = t.next(k)) {
      k = e[0];
      if (typeof k === "number" && k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        continue;
      }
      return -1;
    }
    const cfg = this.cfg;
    if (cfg.encodeSparseRatio > 0 && max > items * cfg.encodeSparseRatio && max > cfg.encodeSparseSafe) {
      if (!cfg.encodeSparseConvert) this.fail(t, "excessively sparse array");
      return -1;
    }
    return max;
  }

  private array(t: LuaTable, len: number, depth: number): string {
    const parts: string[] = [];
    for (let i = 1; i <= len; i++) parts.push(this.value(t.get(i), depth));
    return "[" + parts.join(",") + "]";
  }

  private object(t: LuaTable, depth: number): string {
    const parts: string[] = [];
    let k: LuaValue = undefined;
    for (let e = t.next(k); e; e = t.next(k)) {
      k = e[0];
      let key: string;
      if (typeof k === "number") key = '"' + this.number(k, k) + '":';
      else if (typeof k === "string") key = encodeString(k) + ":";
      else this.fail(k, "table key must be a number or string");
      parts.push(key + this.value(e[1], depth));
    }
    return "{" + parts.join(",") + "}";
  }
}

// ---- decoding ----

const enum T {
  ObjBegin,
  ObjEnd,
  ArrBegin,
  ArrEnd,
  String,
  Number,
  Boolean,
  Null,
  Colon,
  Comma,
  End,
  Whitespace,
  Error,
  Unknown,
}

const TOKEN_NAMES = [
  "T_OBJ_BEGIN",
  "T_OBJ_END",
  "T_ARR_BEGIN",
  "T_ARR_END",
  "T_STRING",
  "T_NUMBER",
  "T_BOOLEAN",
  "T_NULL",
  "T_COLON",
  "T_COMMA",
  "T_END",
  "T_WHITESPACE",
  "T_ERROR",
  "T_UNKNOWN",
];

const CH2TOKEN: T[] = new Array<T>(256).fill(T.Error);
CH2TOKEN["{".charCodeAt(0)] = T.ObjBegin;
CH2TOKEN["}".charCodeAt(0)] = T.ObjEnd;
CH2TOKEN["[".charCodeAt(0)] = T.ArrBegin;
CH2TOKEN["]".charCodeAt(0)] = T.ArrEnd;
CH2TOKEN[",".charCodeAt(0)] = T.Comma;
CH2TOKEN[":".charCodeAt(0)] = T.Colon;
CH2TOKEN[0] = T.End;
for (const c of " \t\n\r") CH2TOKEN[c.charCodeAt(0)] = T.Whitespace;
for (const c of 'fiInNt"+-0123456789') CH2TOKEN[c.charCodeAt(0)] = T.Unknown;

const ESCAPE2CHAR: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  u: "u",
};

interface Token {
  type: T;
  index: number;
  value: LuaValue;
  /** For T.Error: what was wrong. */
  error: string;
}

/** strtod's longest valid prefix (decimal, hex, inf/infinity, nan), or "" when none. */
const STRTOD_PREFIX =
  /^[-+]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|infinity|inf|nan(?:\([0-9a-zA-Z_]*\))?)/i;

function decodeHex4(s: string, at: number): number {
  const h = s.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return String.fromCharCode(
    0xf0 | (cp >> 18),
    0x80 | ((cp >> 12) & 0x3f),
    0x80 | ((cp >> 6) & 0x3f),
    0x80 | (cp & 0x3f),
  );
}

class Decoder {
  private ptr = 0;
  private depth = 0;
  /** The data ends at its first NUL, as the C string CJSON walks does. */
  private readonly data: string;

  constructor(
    private readonly L: LuaState,
    private readonly cfg: JsonConfig,
    data: string,
  ) {
    const nul = data.indexOf("\0");
    this.data = nul < 0 ? data : data.slice(0, nul);
  }

  private ch(at: number): number {
    return at < this.data.length ? this.data.charCodeAt(at) : 0;
  }

  private setError(tok: Token, error: string): void {
    tok.type = T.Error;
    tok.index = this.ptr;
    tok.error = error;
  }

  private isInvalidNumber(): boolean {
    let p = this.ptr;
    if (this.ch(p) === 43 /* + */) return true;
    if (this.ch(p) === 45 /* - */) p++;
    const c = this.ch(p);
    if (c === 48 /* 0 */) {
      const c2 = this.ch(p + 1);
      return (c2 | 0x20) === 120 /* x */ || (c2 >= 48 && c2 <= 57);
    }
    if (c <= 57) return false;
    const three = this.data.slice(p, p + 3).toLowerCase();
    return three === "inf" || three === "nan";
  }

  private numberToken(tok: Token): void {
    const m = STRTOD_PREFIX.exec(this.data.slice(this.ptr));
    if (!m) return this.setError(tok, "invalid number");
    tok.type = T.Number;
    tok.value = str2number(m[0]) ?? NaN;
    this.ptr += m[0].length;
  }

  private stringToken(tok: Token): void {
    this.ptr++;
    let out = "";
    for (;;) {
      const c = this.ch(this.ptr);
      if (c === 34) break;
      if (c === 0) return this.setError(tok, "unexpected end of string");
      if (c === 92) {
        const e = ESCAPE2CHAR[this.data[this.ptr + 1] ?? ""];
        if (e === "u") {
          const piece = this.unicodeEscape();
          if (piece === null) return this.setError(tok, "invalid unicode escape code");
          out += piece;
          continue;
        }
        if (e === undefined) return this.setError(tok, "invalid escape code");
        out += e;
        this.ptr += 2;
        continue;
      }
      out += this.data[this.ptr];
      this.ptr++;
    }
    this.ptr++;
    tok.type = T.String;
    tok.value = out;
  }

  private unicodeEscape(): string | null {
    let cp = decodeHex4(this.data, this.ptr + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null;
      if (this.data[this.ptr + 6] !== "\\" || this.data[this.ptr + 7] !== "u") return null;
      const low = decodeHex4(this.data, this.ptr + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.ptr += len;
    return utf8(cp);
  }

  next(): Token {
    const tok: Token = { type: T.Unknown, index: 0, value: undefined, error: "" };
    let c: number;
    for (;;) {
      c = this.ch(this.ptr);
      tok.type = CH2TOKEN[c]!;
      if (tok.type !== T.Whitespace) break;
      this.ptr++;
    }
    tok.index = this.ptr;
    if (tok.type === T.Error) {
      this.setError(tok, "invalid token");
      return tok;
    }
    if (tok.type === T.End) return tok;
    if (tok.type !== T.Unknown) {
      this.ptr++;
      return tok;
    }
    const rest = this.data.slice(this.ptr, this.ptr + 5);
    if (c === 34) this.stringToken(tok);
    else if (c === 45 || (c >= 48 && c <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) this.setError(tok, "invalid number");
      else this.numberToken(tok);
    } else if (rest.startsWith("true")) {
      tok.type = T.Boolean;
      tok.value = true;
      this.ptr += 4;
    } else if (rest === "false") {
      tok.type = T.Boolean;
      tok.value = false;
      this.ptr += 5;
    } else if (rest.startsWith("null")) {
      tok.type = T.Null;
      this.ptr += 4;
    } else if (this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) this.numberToken(tok);
    else this.setError(tok, "invalid token");
    return tok;
  }

  fail(expected: string, tok: Token): never {
    const found = tok.type === T.Error ? tok.error : TOKEN_NAMES[tok.type]!;
    throw this.L.error(`Expected ${expected} but found ${found} at character ${tok.index + 1}`);
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth) {
      throw this.L.error(`Found too many nested data structures (${this.depth}) at character ${this.ptr}`);
    }
  }

  value(tok: Token): LuaValue {
    switch (tok.type) {
      case T.String:
      case T.Number:
      case T.Boolean:
        return tok.value;
      case T.Null:
        return this.cfg.null;
      case T.ObjBegin:
        return this.object();
      case T.ArrBegin:
        return this.array();
      default:
        return this.fail("value", tok);
    }
  }

  private object(): LuaTable {
    this.descend();
    const t = new LuaTable();
    let tok = this.next();
    if (tok.type === T.ObjEnd) {
      this.depth--;
      return t;
    }
    for (;;) {
      if (tok.type !== T.String) this.fail("object key string", tok);
      const key = tok.value;
      tok = this.next();
      if (tok.type !== T.Colon) this.fail("colon", tok);
      t.set(key, this.value(this.next()));
      tok = this.next();
      if (tok.type === T.ObjEnd) {
        this.depth--;
        return t;
      }
      if (tok.type !== T.Comma) this.fail("comma or object end", tok);
      tok = this.next();
    }
  }

  private array(): LuaTable {
    this.descend();
    const t = new LuaTable();
    let tok = this.next();
    if (tok.type === T.ArrEnd) {
      this.depth--;
      return t;
    }
    for (let i = 1; ; i++) {
      t.set(i, this.value(tok));
      tok = this.next();
      if (tok.type === T.ArrEnd) {
        this.depth--;
        return t;
      }
      if (tok.type !== T.Comma) this.fail("comma or array end", tok);
      tok = this.next();
    }
  }
}

// ---- the module table ----

function checkArgCount(L: LuaState, args: LuaValue[], max: number): void {
  if (args.length > max) throw L.argError(max + 1, "found too many arguments");
}

/** json_integer_option: sets from argument `i` when given (within [min, max]); returns the value. */
function integerOption(
  L: LuaState,
  args: LuaValue[],
  i: number,
  fname: string,
  current: number,
  min: number,
  max: number,
): number {
  if (args[i] === undefined) return current;
  const v = L.checkInt(args, i + 1);
  if (v < min || v > max) {
    throw L.error(`bad argument #${i + 1} to '${fname}' (expected integer between ${min} and ${max})`);
  }
  return v;
}

/** json_enum_option for on/off settings: true/false or "on"/"off". */
function boolOption(L: LuaState, args: LuaValue[], i: number, fname: string, current: boolean): boolean {
  const v = args[i];
  if (v === undefined) return current;
  if (typeof v === "boolean") return v;
  const s = L.checkString(args, i + 1);
  if (s === "on") return true;
  if (s === "off") return false;
  throw L.argError(i + 1, `invalid option '${s}'`);
}

/** Builds a `cjson` table (with its own configuration, as `cjson.new()` does). */
export function createCjsonLibrary(): LuaTable {
  const cfg = defaultConfig();
  const t = new LuaTable();
  const fn = (name: string, f: (args: LuaValue[], L: LuaState) => LuaValue[]) =>
    t.set(name, new NativeFunction(name, f));
  fn("encode", (args, L) => {
    if (args.length !== 1) throw L.argError(1, "expected 1 argument");
    return [new Encoder(L, cfg).value(args[0], 0)];
  });
  fn("decode", (args, L) => {
    if (args.length !== 1) throw L.argError(1, "expected 1 argument");
    const data = L.checkString(args, 1);
    if (data.length >= 2 && (data[0] === "\0" || data[1] === "\0")) {
      throw L.error("JSON parser does not support UTF-16 or UTF-32");
    }
    const d = new Decoder(L, cfg, data);
    const v = d.value(d.next());
    const end = d.next();
    if (end.type !== T.End) d.fail("the end", end);
    return [v];
  });
  fn("encode_sparse_array", (args, L) => {
    checkArgCount(L, args, 3);
    cfg.encodeSparseConvert = boolOption(L, args, 0, "encode_sparse_array", cfg.encodeSparseConvert);
    cfg.encodeSparseRatio = integerOption(
      L,
      args,
      1,
      "encode_sparse_array",
      cfg.encodeSparseRatio,
      0,
      2147483647,
    );
    cfg.encodeSparseSafe = integerOption(
      L,
      args,
      2,
      "encode_sparse_array",
      cfg.encodeSparseSafe,
      0,
      2147483647,
    );
    return [cfg.encodeSparseConvert, cfg.encodeSparseRatio, cfg.encodeSparseSafe];
  });
  fn("encode_max_depth", (args, L) => {
    checkArgCount(L, args, 1);
    cfg.encodeMaxDepth = integerOption(L, args, 0, "encode_max_depth", cfg.encodeMaxDepth, 1, 2147483647);
    return [cfg.encodeMaxDepth];
  });
  fn("decode_max_depth", (args, L) => {
    checkArgCount(L, args, 1);
    cfg.decodeMaxDepth = integerOption(L, args, 0, "decode_max_depth", cfg.decodeMaxDepth, 1, 2147483647);
    return [cfg.decodeMaxDepth];
  });
  fn("encode_number_precision", (args, L) => {
    checkArgCount(L, args, 1);
    cfg.encodePrecision = integerOption(L, args, 0, "encode_number_precision", cfg.encodePrecision, 1, 14);
    return [cfg.encodePrecision];
  });
  fn("encode_keep_buffer", (args, L) => {
    checkArgCount(L, args, 1);
    cfg.encodeKeepBuffer = boolOption(L, args, 0, "encode_keep_buffer", cfg.encodeKeepBuffer);
    return [cfg.encodeKeepBuffer];
  });
  fn("encode_invalid_numbers", (args, L) => {
    checkArgCount(L, args, 1);
    const v = args[0];
    if (v !== undefined) {
      if (typeof v === "boolean") cfg.encodeInvalidNumbers = v ? 1 : 0;
      else {
        const s = L.checkString(args, 1);
        const i = ["off", "on", "null"].indexOf(s);
        if (i < 0) throw L.argError(1, `invalid option '${s}'`);
        cfg.encodeInvalidNumbers = i;
      }
    }
    return [cfg.encodeInvalidNumbers === 2 ? "null" : cfg.encodeInvalidNumbers === 1];
  });
  fn("decode_invalid_numbers", (args, L) => {
    checkArgCount(L, args, 1);
    cfg.decodeInvalidNumbers = boolOption(L, args, 0, "decode_invalid_numbers", cfg.decodeInvalidNumbers);
    return [cfg.decodeInvalidNumbers];
  });
  fn("new", () => [createCjsonLibrary()]);
  t.set("null", cfg.null);
  t.set("_NAME", "cjson");
  t.set("_VERSION", "2.1.0");
  return t;
}
