// node:test example: one line (isolatedTest) gives every test its own cache and a manual clock.
import assert from "node:assert/strict";
import { test as base } from "node:test";
import { cacheClock, isolatedTest } from "../../src/testing/index.js";
import { allowRequest, profiles } from "../app/cache.js";

const test = isolatedTest(base);

test("allows three requests, then refuses until the window passes", async () => {
  assert.deepEqual(await Promise.all([1, 2, 3, 4].map(() => allowRequest("alice"))), [
    true,
    true,
    true,
    false,
  ]);
  cacheClock().advance(10_001);
  assert.equal(await allowRequest("alice"), true);
});

test("starts from an empty cache", async () => {
  assert.equal(await allowRequest("alice"), true);
  assert.equal(await profiles.get({ userId: "alice" }), undefined);
});
