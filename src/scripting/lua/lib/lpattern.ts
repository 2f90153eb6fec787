// Lua 5.1 patterns (lstrlib.c semantics): classes, sets, captures, %b, %f, anchors, back-references.

import type { LuaState } from "../state.js";
import type { LuaValue } from "../value.js";

const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
const MAXCAPTURES = 32;

function isalpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isdigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isspace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function iscntrl(c: number): boolean {
  return c < 32 || c === 127;
}
function ispunct(c: number): boolean {
  return c >= 33 && c <= 126 && !isalpha(c) && !isdigit(c);
}
function isxdigit(c: number): boolean {
  return isdigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function matchClass(c: number, cl: number): boolean {
  let res: boolean;
  switch (cl | 0x20) {
    case 97: // a
      res = isalpha(c);
      break;
    case 99: // c
      res = iscntrl(c);
      break;
    case 100: // d
      res = isdigit(c);
      break;
    case 108: // l
      res = c >= 97 && c <= 122;
      break;
    case 112: // p
      res = ispunct(c);
      break;
    case 115: // s
      res = isspace(c);
      break;
    case 117: // u
      res = c >= 65 && c <= 90;
      break;
    case 119: // w
      res = isalpha(c) || isdigit(c);
      break;
    case 120: // x
      res = isxdigit(c);
      break;
    case 122: // z
      res = c === 0;
      break;
    default:
      return cl === c;
  }
  if (cl >= 65 && cl <= 90) return !res;
  return res;
}

/** The state of one match attempt (captures of the current try). */
export class MatchState {
  level = 0;
  capInit: number[] = [];
  capLen: number[] = [];
  readonly plen: number;
  constructor(
    readonly L: LuaState,
    readonly src: string,
    readonly pat: string,
  ) {
    const z = pat.indexOf("\0");
    this.plen = z < 0 ? pat.length : z;
  }

  private p(i: number): number {
    return i < this.plen ? this.pat.charCodeAt(i) : 0;
  }

  private classEnd(p: number): number {
    const L = this.L;
    const c = this.p(p++);
    if (c === 37) {
      if (p >= this.plen) throw L.error("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (c === 91) {
      if (this.p(p) === 94) p++;
      do {
        if (p >= this.plen) throw L.error("malformed pattern (missing ']')");
        const cc = this.p(p++);
        if (cc === 37 && p < this.plen) p++;
      } while (this.p(p) !== 93);
      return p + 1;
    }
    return p;
  }

  private matchBracket(c: number, p: number, ec: number): boolean {
    let sig = true;
    if (this.p(p + 1) === 94) {
      sig = false;
      p++;
    }
    while (++p < ec) {
      const pc = this.p(p);
      if (pc === 37) {
        p++;
        if (matchClass(c, this.p(p))) return sig;
      } else if (this.p(p + 1) === 45 && p + 2 < ec) {
        p += 2;
        if (pc <= c && c <= this.p(p)) return sig;
      } else if (pc === c) return sig;
    }
    return !sig;
  }

  private single(c: number, p: number, ep: number): boolean {
    switch (this.p(p)) {
      case 46:
        return true;
      case 37:
        return matchClass(c, this.p(p + 1));
      case 91:
        return this.matchBracket(c, p, ep - 1);
      default:
        return this.p(p) === c;
    }
  }

  /** Matches pattern from p against src from s; returns the end index or -1. */
  match(s: number, p: number): number {
    const src = this.src;
    const len = src.length;
    for (;;) {
      if (p >= this.plen) return s;
      const pc = this.p(p);
      if (pc === 40) {
        if (this.p(p + 1) === 41) return this.startCapture(s, p + 2, CAP_POSITION);
        return this.startCapture(s, p + 1, CAP_UNFINISHED);
      }
      if (pc === 41) return this.endCapture(s, p + 1);
      if (pc === 37) {
        const n = this.p(p + 1);
        if (n === 98) {
          s = this.matchBalance(s, p + 2);
          if (s === -1) return -1;
          p += 4;
          continue;
        }
        if (n === 102) {
          p += 2;
          if (this.p(p) !== 91) throw this.L.error("missing '[' after '%f' in pattern");
          const ep = this.classEnd(p);
          const prev = s === 0 ? 0 : src.charCodeAt(s - 1);
          const cur = s < len ? src.charCodeAt(s) : 0;
          if (!this.matchBracket(prev, p, ep - 1) && this.matchBracket(cur, p, ep - 1)) {
            p = ep;
            continue;
          }
          return -1;
        }
        if (isdigit(n)) {
          s = this.matchCapture(s, n);
          if (s === -1) return -1;
          p += 2;
          continue;
        }
      } else if (pc === 36 && p + 1 === this.plen) {
        return s === len ? s : -1;
      }
      const ep = this.classEnd(p);
      const m = s < len && this.single(src.charCodeAt(s), p, ep);
      switch (this.p(ep)) {
        case 63: {
          if (m) {
            const r = this.match(s + 1, ep + 1);
            if (r !== -1) return r;
          }
          p = ep + 1;
          continue;
        }
        case 42:
          return this.maxExpand(s, p, ep);
        case 43:
          return m ? this.maxExpand(s + 1, p, ep) : -1;
        case 45:
          return this.minExpand(s, p, ep);
        default:
          if (!m) return -1;
          s++;
          p = ep;
          continue;
      }
    }
  }

  private maxExpand(s: number, p: number, ep: number): number {
    const src = this.src;
    let i = 0;
    while (s + i < src.length && this.single(src.charCodeAt(s + i), p, ep)) i++;
    while (i >= 0) {
      const r = this.match(s + i, ep + 1);
      if (r !== -1) return r;
      i--;
    }
    return -1;
  }

  private minExpand(s: number, p: number, ep: number): number {
    const src = this.src;
    for (;;) {
      const r = this.match(s, ep + 1);
      if (r !== -1) return r;
      if (s < src.length && this.single(src.charCodeAt(s), p, ep)) s++;
      else return -1;
    }
  }

  private startCapture(s: number, p: number, what: number): number {
    if (this.level >= MAXCAPTURES) throw this.L.error("too many captures");
    this.capInit[this.level] = s;
    this.capLen[this.level] = what;
    this.level++;
    const r = this.match(s, p);
    if (r === -1) this.level--;
    return r;
  }

  private endCapture(s: number, p: number): number {
    let l = -1;
    for (let i = this.level - 1; i >= 0; i--)
      if (this.capLen[i] === CAP_UNFINISHED) {
        l = i;
        break;
      }
    if (l < 0) throw this.L.error("invalid pattern capture");
    this.capLen[l] = s - this.capInit[l];
    const r = this.match(s, p);
    if (r === -1) this.capLen[l] = CAP_UNFINISHED;
    return r;
  }

  private matchBalance(s: number, p: number): number {
    if (p >= this.plen || p + 1 >= this.plen) throw this.L.error("unbalanced pattern");
    const src = this.src;
    if (s >= src.length || src.charCodeAt(s) !== this.p(p)) return -1;
    const b = this.p(p);
    const e = this.p(p + 1);
    let cont = 1;
    while (++s < src.length) {
      const c = src.charCodeAt(s);
      if (c === e) {
        if (--cont === 0) return s + 1;
      } else if (c === b) cont++;
    }
    return -1;
  }

  private matchCapture(s: number, d: number): number {
    const l = d - 49;
    if (l < 0 || l >= this.level || this.capLen[l] === CAP_UNFINISHED)
      throw this.L.error("invalid capture index");
    const len = this.capLen[l];
    const cap = this.src.substr(this.capInit[l], len);
    if (this.src.length - s >= len && this.src.substr(s, len) === cap) return s + len;
    return -1;
  }

  /** Capture i (0-based) of a match s..e; the whole match when there are no captures. */
  capture(i: number, s: number, e: number): LuaValue {
    if (i >= this.level) {
      if (i === 0) return this.src.slice(s, e);
      throw this.L.error("invalid capture index");
    }
    const l = this.capLen[i];
    if (l === CAP_UNFINISHED) throw this.L.error("unfinished capture");
    if (l === CAP_POSITION) return this.capInit[i] + 1;
    return this.src.substr(this.capInit[i], l);
  }

  /** All captures (or the whole match). */
  captures(s: number, e: number, wholeIfNone: boolean): LuaValue[] {
    const n = this.level === 0 && wholeIfNone ? 1 : this.level;
    const out: LuaValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.capture(i, s, e));
    return out;
  }
}
