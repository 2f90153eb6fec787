// jest example: one line (isolatedTest) gives every test, concurrent ones too, its own cache.
import { expect, test as base } from "@jest/globals";
import { cacheClock, isolatedTest } from "../../src/testing/index.js";
import { allowRequest, profiles } from "../app/cache.js";

const test = isolatedTest(base);

test.concurrent("allows three requests, then refuses until the window passes", async () => {
  const results = await Promise.all([1, 2, 3, 4].map(() => allowRequest("alice")));
  expect(results).toEqual([true, true, true, false]);
  cacheClock().advance(10_001);
  expect(await allowRequest("alice")).toBe(true);
});

test.concurrent("starts from an empty cache", async () => {
  expect(await allowRequest("alice")).toBe(true);
  await profiles.set({ userId: "alice" }, { name: "Alice" });
  expect(await profiles.get({ userId: "alice" })).toEqual({ name: "Alice" });
});
