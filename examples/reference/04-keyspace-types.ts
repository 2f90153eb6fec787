// Reference document, "Keyspace types": every example, in order, on the rate-limit cluster.
import { ExpireIn } from "../../src/cache/index.js";
import { cluster } from "./03-rate-limit.js";

// StringKeyspace
import { StringKeyspace } from "../../src/cache/index.js";

const tokens = new StringKeyspace<{ tokenId: string }>(cluster, {
  keyPattern: "token/:tokenId",
  defaultExpiry: ExpireIn(3600 * 1000), // 1 hour
});

// Set a value
await tokens.set({ tokenId: "abc123" }, "user-token-value");

// Get a value (returns undefined on cache miss)
const token = await tokens.get({ tokenId: "abc123" });

// Delete a value
await tokens.delete({ tokenId: "abc123" });

// IntKeyspace
import { IntKeyspace } from "../../src/cache/index.js";

const counters = new IntKeyspace<{ counterId: string }>(cluster, {
  keyPattern: "counter/:counterId",
});

// Set a value
await counters.set({ counterId: "visits" }, 0);

// Increment and get new value
const newCount = await counters.increment({ counterId: "visits" }, 1);

// Decrement
const decremented = await counters.decrement({ counterId: "visits" }, 1);

// FloatKeyspace
import { FloatKeyspace } from "../../src/cache/index.js";

const scores = new FloatKeyspace<{ oddsId: string }>(cluster, {
  keyPattern: "odds/:oddsId",
});

// Set a value
await scores.set({ oddsId: "game1" }, 1.5);

// Increment by a float amount
const newOdds = await scores.increment({ oddsId: "game1" }, 0.1);

// StructKeyspace
import { StructKeyspace } from "../../src/cache/index.js";

interface UserProfile {
  name: string;
  email: string;
  preferences: {
    theme: "light" | "dark";
    notifications: boolean;
  };
}

const profiles = new StructKeyspace<{ userId: string }, UserProfile>(cluster, {
  keyPattern: "profile/:userId",
  defaultExpiry: ExpireIn(3600 * 1000),
});

// Set a structured value
await profiles.set(
  { userId: "user123" },
  {
    name: "Alice",
    email: "alice@example.com",
    preferences: { theme: "dark", notifications: true },
  },
);

// Get the value
const profile = await profiles.get({ userId: "user123" });

// StringListKeyspace
import { StringListKeyspace } from "../../src/cache/index.js";

const recentItems = new StringListKeyspace<{ userId: string }>(cluster, {
  keyPattern: "recent/:userId",
});

// Push items to the list
await recentItems.pushRight({ userId: "user123" }, "item1", "item2");

// Get items from the list
const items = await recentItems.getRange({ userId: "user123" }, 0, -1); // Get all

// Pop an item (returns undefined if empty)
const lastItem = await recentItems.popRight({ userId: "user123" });

// NumberListKeyspace
import { NumberListKeyspace } from "../../src/cache/index.js";

const scoreHistory = new NumberListKeyspace<{ playerId: string }>(cluster, {
  keyPattern: "scores/:playerId",
});

// Push scores
await scoreHistory.pushRight({ playerId: "player1" }, 100, 200, 150);

// Get all scores
const allScores = await scoreHistory.items({ playerId: "player1" });

// StringSetKeyspace
import { StringSetKeyspace } from "../../src/cache/index.js";

const tags = new StringSetKeyspace<{ articleId: string }>(cluster, {
  keyPattern: "tags/:articleId",
});

// Add members to the set
await tags.add({ articleId: "post1" }, "typescript", "encore", "backend");

// Check membership
const hasTag = await tags.contains({ articleId: "post1" }, "typescript");

// Get all members
const allTags = await tags.members({ articleId: "post1" });

// Remove members
await tags.remove({ articleId: "post1" }, "backend");

// NumberSetKeyspace
import { NumberSetKeyspace } from "../../src/cache/index.js";

const uniqueScores = new NumberSetKeyspace<{ gameId: string }>(cluster, {
  keyPattern: "unique-scores/:gameId",
});

// Add scores
await uniqueScores.add({ gameId: "game1" }, 100, 200, 300);

// Check if a score exists
const has100 = await uniqueScores.contains({ gameId: "game1" }, 100);

/** What the examples computed, for the test to check. */
export const results = {
  token,
  newCount,
  decremented,
  newOdds,
  profile,
  items,
  lastItem,
  allScores,
  hasTag,
  allTags,
  has100,
  tagsAfter: await tags.members({ articleId: "post1" }),
};
