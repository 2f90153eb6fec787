/**
 * Glob-style pattern matching with Redis's exact rules (util.c stringmatchlen, as patched for
 * CVE-2022-36021 and CVE-2024-31228): `*`, `?`, `[abc]`, `[^a-z]`, `[a-z]` ranges (reversed ranges
 * allowed), `\x` escapes, optional ASCII case folding. Used by KEYS, SCAN MATCH, CONFIG GET,
 * PUBSUB patterns. Works on latin1 strings (bytes).
 *
 * Quirks kept on purpose, because Redis has them: an empty string matches only the empty pattern
 * (even `*` does not match it: commands special-case the pattern `*` before matching); an
 * unterminated class `[abc` ends at the pattern's end; a range may swallow the closing bracket
 * (`[a-]`); recursion through `*` gives up (no match) past 1000 levels.
 */

/** True if `text` matches `pattern`. */
export function globMatch(pattern: string, text: string, noCase = false): boolean {
  const state = { skipLongerMatches: false };
  return matchAt(pattern, 0, text, 0, noCase, state, 0);
}

/** ASCII tolower, as C's in the "C" locale. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * One level of stringmatchlen_impl: matches pattern[pi..] against text[si..]. Reads past either end
 * yield NaN, which compares unequal to everything, like the NUL terminator Redis relies on.
 */
function matchAt(
  p: string,
  pi: number,
  s: string,
  si: number,
  noCase: boolean,
  state: { skipLongerMatches: boolean },
  nesting: number,
): boolean {
  // Protection against abusive patterns.
  if (nesting > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (plen - pi === 1) return true;
      for (; si < slen; si++) {
        if (matchAt(p, pi + 1, s, si, noCase, state, nesting + 1)) return true;
        if (state.skipLongerMatches) return false;
      }
      // No match for the rest of the pattern anywhere in the rest of the string: no earlier `*`
      // can do better by matching more, so stop trying.
      state.skipLongerMatches = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      const sc = s.charCodeAt(si);
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let match = false;
      while (true) {
        const c = p.charCodeAt(pi);
        if (c === 92 /* \ */ && plen - pi >= 2) {
          pi++;
          if (p.charCodeAt(pi) === sc) match = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi >= plen) {
          pi--; // an unterminated class ends at the pattern's end
          break;
        } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = c;
          let end = p.charCodeAt(pi + 2);
          let x = sc;
          if (start > end) [start, end] = [end, start];
          if (noCase) {
            start = lower(start);
            end = lower(end);
            x = lower(x);
          }
          pi += 2;
          if (x >= start && x <= end) match = true;
        } else if (noCase ? lower(c) === lower(sc) : c === sc) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (pc === 92 /* \ */ && plen - pi >= 2) pi++;
      const c = p.charCodeAt(pi);
      const sc = s.charCodeAt(si);
      if (noCase ? lower(c) !== lower(sc) : c !== sc) return false;
      si++;
    }
    pi++;
    if (si >= slen) {
      while (p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
