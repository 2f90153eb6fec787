/**
 * Key patterns (`requests/:userId/:resourcePath`): the compile-time check that every field of the
 * key type appears in the pattern, the runtime parser and validator, the key encoder (escaping
 * `/` and `\` so distinct keys never map to the same Redis key) and the overlap test between
 * patterns of one cluster.
 */
import { CacheConfigError, CacheError } from "./errors.js";

/** Patterns containing the parameter `:F` as a whole segment (last one, or followed by `/`). */
type HasParam<F extends string> = `${string}:${F}` | `${string}:${F}/${string}`;

/** The intersection of the parameter types of a union of functions: every field's condition at once. */
type AllParams<U> = [U] extends [(pattern: infer I) => void] ? I : never;

/**
 * The key patterns TypeScript accepts for key type `K`: for an object type, every field must
 * appear as a `:field` segment (so `"x/:a"` does not compile for `{ a: string; b: string }`); for
 * a primitive key (string, number), the pattern needs a parameter. A pattern held in a variable of
 * type `string` needs a cast (`as KeyPatternFor<K>`); it is then checked at runtime.
 */
export type KeyPatternFor<K> = [K] extends [object]
  ? keyof K extends never
    ? string
    : AllParams<{ [F in keyof K & string]-?: (pattern: HasParam<F>) => void }[keyof K & string]>
  : `${string}:${string}`;

/** A parsed segment: literal text or a parameter name. */
type Segment = { readonly literal: string; readonly param?: undefined } | { readonly param: string };

const PARAM_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A validated key pattern that encodes keys into Redis keys. */
export class KeyPattern {
  readonly segments: readonly Segment[];
  readonly params: readonly string[];
  private readonly paramSet: ReadonlySet<string>;
  /** Literal text before, between and after the parameters (one more entry than `params`). */
  private readonly between: readonly string[];

  constructor(readonly pattern: string) {
    if (typeof pattern !== "string" || pattern === "")
      throw new CacheConfigError(
        `invalid key pattern ${JSON.stringify(pattern)}: it must be a non-empty string`,
      );
    const segments: Segment[] = [];
    const params: string[] = [];
    for (const part of pattern.split("/")) {
      const bad = (why: string) =>
        new CacheConfigError(`invalid key pattern ${JSON.stringify(pattern)}: ${why}`);
      if (part === "") throw bad("empty segment (leading, trailing or double '/')");
      if (part.startsWith(":")) {
        const name = part.slice(1);
        if (!PARAM_NAME.test(name))
          throw bad(`parameter ${JSON.stringify(part)} is not ':' followed by a field name`);
        if (params.includes(name)) throw bad(`parameter ':${name}' appears twice`);
        params.push(name);
        segments.push({ param: name });
      } else {
        if (part.includes(":")) throw bad(`':' may only start a segment (in ${JSON.stringify(part)})`);
        if (part.includes("\\")) throw bad(`literal segments may not contain '\\'`);
        segments.push({ literal: part });
      }
    }
    if (params.length === 0)
      throw new CacheConfigError(
        `invalid key pattern ${JSON.stringify(pattern)}: it needs at least one ':field' parameter`,
      );
    this.segments = segments;
    this.params = params;
    this.paramSet = new Set(params);
    // The literal text around the parameters: "a/:x/b/:y" gives ["a/", "/b/", ""].
    const between: string[] = [""];
    segments.forEach((seg, i) => {
      const sep = i > 0 ? "/" : "";
      if (seg.param === undefined) between[between.length - 1] += sep + seg.literal;
      else {
        between[between.length - 1] += sep;
        between.push("");
      }
    });
    this.between = between;
  }

  /**
   * The Redis key for `key`: literals as written, parameter values escaped (`\` → `\\`,
   * `/` → `\/`). Throws {@link CacheError} when the key does not fit the pattern.
   */
  encode(key: unknown, operation: string): string {
    const params = this.params;
    const between = this.between;
    if (typeof key !== "object" || key === null) {
      if (params.length !== 1)
        throw new CacheError(
          `key pattern ${JSON.stringify(this.pattern)} has ${params.length} parameters, so keys must be objects with fields ${params.join(", ")}`,
          { operation },
        );
      return between[0]! + escapeValue(key, params[0]!, this.pattern, operation) + between[1]!;
    }
    const fields = key as Record<string, unknown>;
    let out = between[0]!;
    for (let i = 0; i < params.length; i++) {
      const param = params[i]!;
      out += escapeValue(fields[param], param, this.pattern, operation) + between[i + 1]!;
    }
    // Every parameter was found, so a field count above theirs means a field outside the pattern
    // (counted without allocating; the slow path names it).
    let count = 0;
    for (const field in fields) if (Object.hasOwn(fields, field)) count++;
    if (count !== params.length) {
      for (const field of Object.keys(fields)) {
        if (!this.paramSet.has(field))
          throw new CacheError(
            `field ${JSON.stringify(field)} of the key is not in the key pattern ${JSON.stringify(this.pattern)}; every field must appear as ':${field}'`,
            { operation },
          );
      }
    }
    return out;
  }

  /** True when some key of this pattern and some key of `other` would be the same Redis key. */
  overlaps(other: KeyPattern): boolean {
    if (other.segments.length !== this.segments.length) return false; // escaped values hold no bare '/'
    return this.segments.every((a, i) => {
      const b = other.segments[i]!;
      return a.param !== undefined || b.param !== undefined || a.literal === b.literal;
    });
  }
}

function escapeValue(value: unknown, field: string, pattern: string, operation: string): string {
  let s: string;
  if (typeof value === "string") s = value;
  else if (typeof value === "number")
    return String(value); // a number has no '/' or backslash
  else if (typeof value === "bigint" || typeof value === "boolean") s = String(value);
  else
    throw new CacheError(
      `key field ${JSON.stringify(field)} of pattern ${JSON.stringify(pattern)} must be a string, number, bigint or boolean, got ${value === null ? "null" : typeof value}`,
      { operation },
    );
  if (s.indexOf("/") < 0 && s.indexOf("\\") < 0) return s;
  return s.replace(/[\\/]/g, (c) => "\\" + c);
}
