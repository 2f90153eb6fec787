/**
 * Time inside scripts, deterministically: a manual clock that moves forward one second each time
 * TIME reads it, so a script's TTLs run out while it runs. As in Redis 7.0, keys are judged
 * expired at the script's start time until it ends, while TTLs and TIME follow the clock.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock, startServer } from "../../src/index.js";

/** A manual clock that TIME moves forward by `stepMs` after each reading. */
class TickingClock extends ManualClock {
  constructor(
    start: number,
    private readonly stepMs: number,
  ) {
    super(start);
  }
  override nowMicros(): number {
    const micros = super.nowMicros();
    this.fastForward(this.stepMs);
    return micros;
  }
}

const START = Date.UTC(2030, 0, 1);

test("keys do not expire in the middle of a script", async () => {
  const server = await startServer({ clock: new TickingClock(START, 1000), listen: false });
  server.command("SET", "before", "v", "PX", "500");
  const r = server.command(
    "EVAL",
    "redis.call('set', 'inside', 'v', 'px', 500) local t = redis.call('time') " +
      "return {t[1], redis.call('exists', 'before'), redis.call('get', 'inside'), " +
      "redis.call('pttl', 'before'), redis.call('pttl', 'inside'), redis.call('dbsize'), " +
      "#redis.call('keys', '*'), redis.call('time')[1]}",
    "0",
  );
  // TIME moved the clock one second per reading; the keys' TTLs ran out but they still exist.
  assert.deepEqual(r, [String(START / 1000), 1, "v", 0, 0, 2, 2, String(START / 1000 + 1)]);
  // Once the script is over, both are expired.
  assert.equal(server.command("EXISTS", "before", "inside"), 0);
  await server.close();
});

test("a key expired before the script started stays expired in it", async () => {
  const clock = new ManualClock(START);
  const server = await startServer({ clock, listen: false });
  server.command("SET", "k", "v", "PX", "10");
  clock.fastForward(11);
  assert.deepEqual(
    server.command("EVAL", "return {redis.call('exists', 'k'), redis.call('pttl', 'k')}", "0"),
    [0, -2],
  );
  await server.close();
});

test("functions see frozen expiry too, and the freeze ends with an error", async () => {
  const server = await startServer({ clock: new TickingClock(START, 1000), listen: false });
  server.command(
    "FUNCTION",
    "LOAD",
    "#!lua name=t\nredis.register_function('f', function(keys) redis.call('time') " +
      "if redis.call('exists', keys[1]) == 1 then error('still here') end return 0 end)",
  );
  server.command("SET", "k", "v", "PX", "500");
  assert.throws(() => server.command("FCALL", "f", "1", "k"), /still here/);
  assert.equal(server.command("EXISTS", "k"), 0);
  await server.close();
});

test("no active expiry while expiry is frozen", async () => {
  const clock = new ManualClock(START);
  const server = await startServer({ clock, listen: false });
  server.command("SET", "k", "v", "PX", "10");
  clock.fastForward(100);
  const keyspace = server.core.keyspace;
  keyspace.freezeExpiry(START);
  assert.equal(keyspace.activeExpireCycle(), 0);
  assert.equal(server.command("DBSIZE"), 1);
  keyspace.freezeExpiry(null);
  assert.equal(keyspace.activeExpireCycle(), 1);
  assert.equal(server.command("DBSIZE"), 0);
  await server.close();
});
