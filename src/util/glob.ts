/**
 * Glob-style pattern matching with Redis's exact rules (stringmatchlen): `*`, `?`, `[abc]`,
 * `[^a-z]`, `[a-z]` ranges (reversed ranges allowed), `\x` escapes, optional case folding.
 * Used by KEYS, SCAN MATCH, CONFIG GET, PUBSUB patterns. Works on latin1 strings (bytes).
 */

/** True if `text` matches `pattern`. */
export function globMatch(pattern: string, text: string, noCase = false): boolean {
  return matchAt(pattern, 0, text, 0, noCase, 0);
}

function fold(c: number, noCase: boolean): number {
  return noCase && c >= 65 && c <= 90 ? c + 32 : c;
}

function matchAt(p: string, pi: number, s: string, si: number, noCase: boolean, depth: number): boolean {
  if (depth > 1000) return false; // Redis also bounds recursion for pathological patterns.
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k < slen; k++) {
        if (matchAt(p, pi + 1, s, k, noCase, depth + 1)) return true;
      }
      return false;
    }
    if (si >= slen) break;
    const sc = s.charCodeAt(si);
    if (pc === 63 /* ? */) {
      si++;
      pi++;
      continue;
    }
    if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let matched = false;
      while (true) {
        if (pi >= plen) {
          pi--; // Redis: an unterminated class ends at the pattern's end.
          break;
        }
        const c = p.charCodeAt(pi);
        if (c === 92 /* \ */ && pi + 2 < plen + 1 && pi + 1 < plen) {
          pi++;
          if (p.charCodeAt(pi) === sc) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = c;
          let end = p.charCodeAt(pi + 2);
          if (start > end) [start, end] = [end, start];
          const x = fold(sc, noCase);
          if (noCase) {
            start = fold(start, true);
            end = fold(end, true);
          }
          pi += 2;
          if (x >= start && x <= end) matched = true;
        } else if (fold(c, noCase) === fold(sc, noCase)) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
      pi++;
      continue;
    }
    if (pc === 92 /* \ */ && pi + 1 < plen) {
      pi++;
    }
    if (fold(p.charCodeAt(pi), noCase) !== fold(sc, noCase)) return false;
    si++;
    pi++;
  }
  while (pi < plen && p.charCodeAt(pi) === 42) pi++;
  return pi === plen && si === slen;
}
