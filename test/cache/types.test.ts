// Type-level checks of key patterns, compiled by `npm run build` (tsc): each `@ts-expect-error`
// line must fail to compile, or the build fails. At runtime the file only constructs keyspaces.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CacheCluster,
  IntKeyspace,
  StringKeyspace,
  StructKeyspace,
  type KeyPatternFor,
} from "../../src/cache/index.js";

test("key patterns are checked by the compiler", () => {
  const c = new CacheCluster("types-check");
  // every field present: compiles
  new IntKeyspace<{ a: string; b: string }>(c, { keyPattern: "ok1/:a/:b" });
  new IntKeyspace<{ a: string; b: string }>(c, { keyPattern: "ok2/:b/x/:a" });
  new StructKeyspace<{ userId: string }, { n: number }>(c, { keyPattern: "ok3/:userId" });
  new StringKeyspace<string>(c, { keyPattern: "ok4/:key" });
  new StringKeyspace<number>(c, { keyPattern: "ok5/:id" });

  // @ts-expect-error field b missing from the pattern
  assert.ok(() => new IntKeyspace<{ a: string; b: string }>(c, { keyPattern: "x/:a" }));
  // @ts-expect-error field a missing (":ab" is another parameter)
  assert.ok(() => new IntKeyspace<{ a: string }>(c, { keyPattern: "x/:ab" }));
  // @ts-expect-error no parameter at all
  assert.ok(() => new IntKeyspace<{ a: string }>(c, { keyPattern: "x/a" }));
  // @ts-expect-error a primitive key needs a parameter
  assert.ok(() => new StringKeyspace<string>(c, { keyPattern: "plain" }));
  // @ts-expect-error a pattern of type string must be cast explicitly
  assert.ok(() => new IntKeyspace<{ a: string }>(c, { keyPattern: String("x/:a") }));

  const p: KeyPatternFor<{ a: string; b: number }> = "t/:a/:b";
  assert.equal(p, "t/:a/:b");
});
