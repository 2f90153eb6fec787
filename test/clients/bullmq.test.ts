/**
 * A real BullMQ queue (its Lua scripts run through EVALSHA) against reddish, and the same
 * scenarios against the real redis-server: jobs are added, processed and completed, retried with
 * attempts and backoff, delayed, and failed for good. BullMQ's scripts write an events stream
 * (XADD, XTRIM...): on a build without streams the reddish side is skipped, never faked.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Queue, QueueEvents, Worker, type Job, type ConnectionOptions } from "bullmq";
import { startServer, type ReddishServer } from "../../src/index.js";
import { startRealRedis, type RealRedis } from "../parity/harness.js";

let reddish: ReddishServer;
let redis: RealRedis;

before(async () => {
  [reddish, redis] = await Promise.all([startServer(), startRealRedis()]);
});

after(async () => {
  await Promise.all([reddish.close(), redis.stop()]);
});

/** Why reddish cannot run BullMQ in this build, or null. */
function missingOnReddish(): string | null {
  const missing = ["xadd", "xtrim", "xlen", "xrange", "xdel"].filter((c) => !reddish.core.commands.get(c));
  return missing.length ? `BullMQ's scripts need ${missing.join(", ").toUpperCase()} (streams)` : null;
}

/** Runs `scenario` against a server with a fresh queue name and closes what it opened. */
async function withQueue<T>(
  port: number,
  name: string,
  scenario: (queue: Queue, connection: ConnectionOptions) => Promise<T>,
): Promise<T> {
  const connection: ConnectionOptions = { host: "127.0.0.1", port, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection });
  try {
    return await scenario(queue, connection);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/** Waits until `predicate` holds (polling), at most `ms`. */
async function until(predicate: () => boolean, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Outcome {
  completed: { name: string; result: unknown; attemptsMade: number }[];
  failed: { name: string; reason: string; attemptsMade: number }[];
  counts: Record<string, number>;
}

/** Adds jobs, processes them with `processor` until `expected` jobs settled, reports what happened. */
async function runJobs(
  port: number,
  name: string,
  add: (queue: Queue) => Promise<unknown>,
  processor: (job: Job) => Promise<unknown>,
  expected: number,
): Promise<Outcome> {
  return withQueue(port, name, async (queue, connection) => {
    const outcome: Outcome = { completed: [], failed: [], counts: {} };
    const worker = new Worker(name, processor, { connection, autorun: true });
    worker.on("completed", (job: Job, result: unknown) => {
      outcome.completed.push({ name: job.name, result, attemptsMade: job.attemptsMade });
    });
    worker.on("failed", (job: Job | undefined, err: Error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        outcome.failed.push({ name: job.name, reason: err.message, attemptsMade: job.attemptsMade });
      }
    });
    try {
      await worker.waitUntilReady();
      await add(queue);
      await until(() => outcome.completed.length + outcome.failed.length >= expected);
      outcome.counts = await queue.getJobCounts("completed", "failed", "waiting", "delayed", "active");
    } finally {
      await worker.close();
    }
    return outcome;
  });
}

/** Runs a scenario on both servers; reddish's side is skipped when it lacks a command BullMQ needs. */
function onBoth(title: string, scenario: (port: number) => Promise<void>): void {
  describe(title, () => {
    test("real redis-server", async () => scenario(redis.port));
    test("reddish", async (t) => {
      const missing = missingOnReddish();
      if (missing) return t.skip(missing);
      await scenario(reddish.port);
    });
  });
}

onBoth("add, process, complete", async (port) => {
  const out = await runJobs(
    port,
    "basic",
    (q) => q.addBulk([1, 2, 3].map((n) => ({ name: `job${n}`, data: { n } }))),
    async (job) => (job.data as { n: number }).n * 10,
    3,
  );
  assert.deepEqual(out.completed.map((c) => c.result).sort(), [10, 20, 30]);
  assert.equal(out.counts.completed, 3);
  assert.equal(out.counts.waiting, 0);
});

onBoth("retry with attempts", async (port) => {
  const out = await runJobs(
    port,
    "retry",
    (q) => q.add("flaky", { x: 1 }, { attempts: 3, backoff: { type: "fixed", delay: 50 } }),
    async (job) => {
      if (job.attemptsMade < 2) throw new Error(`attempt ${job.attemptsMade} failed`);
      return "ok";
    },
    1,
  );
  assert.deepEqual(out.completed, [{ name: "flaky", result: "ok", attemptsMade: 3 }]);
});

onBoth("failure after the last attempt", async (port) => {
  const out = await runJobs(
    port,
    "fail",
    (q) => q.add("doomed", {}, { attempts: 2 }),
    async () => {
      throw new Error("always");
    },
    1,
  );
  assert.deepEqual(out.failed, [{ name: "doomed", reason: "always", attemptsMade: 2 }]);
  assert.equal(out.counts.failed, 1);
});

onBoth("delayed jobs", async (port) => {
  const seen: { name: string; waited: number }[] = [];
  const out = await runJobs(
    port,
    "delayed",
    (q) => Promise.all([q.add("later", {}, { delay: 300 }), q.add("now", {})]),
    async (job) => {
      seen.push({ name: job.name, waited: Date.now() - job.timestamp });
      return job.name;
    },
    2,
  );
  assert.deepEqual(
    seen.map((s) => s.name),
    ["now", "later"],
  );
  assert.ok(seen[1]!.waited >= 300, `delayed job ran after ${seen[1]!.waited} ms`);
  assert.equal(out.counts.completed, 2);
});

onBoth("queue events and job state", async (port) => {
  await withQueue(port, "events", async (queue, connection) => {
    const events = new QueueEvents("events", { connection });
    await events.waitUntilReady();
    const worker = new Worker("events", async () => "done", { connection });
    try {
      const job = await queue.add("e", { v: 1 });
      const result = await job.waitUntilFinished(events, 10000);
      assert.equal(result, "done");
      assert.equal(await job.getState(), "completed");
    } finally {
      await worker.close();
      await events.close();
    }
  });
});
