/**
 * Unit tests for server-family behaviour parity tests cannot reach: reddish-only DEBUG clock
 * subcommands, DEBUG SLEEP blocking, CONFIG REWRITE with a config file, INFO formatting details,
 * latency histograms and the memory estimates.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { jemallocSize, sdsAllocSize } from "../../src/commands/server-memory.js";
import { LatencyHistogram, recordLatency } from "../../src/commands/server-state.js";
import { startServer } from "../../src/index.js";
import { ReplyError } from "../../src/resp/collector.js";

/** A reply's text: status replies arrive as objects with a `text`. */
function text(reply: unknown): string {
  const t = (reply as { text?: unknown } | null)?.text;
  return String(t ?? reply);
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ReplyError);
    return e.message;
  }
  assert.fail("expected an error reply");
}

test("DEBUG FASTFORWARD and SET-TIME move a controllable clock", async () => {
  const server = await startServer({ clock: "manual", startTime: 1_700_000_000_000, listen: false });
  try {
    server.command("SET", "k", "v", "EX", "100");
    assert.equal(text(server.command("DEBUG", "FASTFORWARD", "30000")), "OK");
    assert.equal(server.command("TTL", "k"), 70);
    assert.equal(server.clock.now(), 1_700_000_030_000);
    assert.equal(text(server.command("DEBUG", "SET-TIME", "1700000200000")), "OK");
    assert.equal(server.command("GET", "k"), null);
    assert.deepEqual(server.command("TIME"), ["1700000200", "0"]);
    assert.match(
      errorOf(() => server.command("DEBUG", "FASTFORWARD", "-1")),
      /non-negative/,
    );
    assert.match(
      errorOf(() => server.command("DEBUG", "FASTFORWARD", "x")),
      /non-negative/,
    );
    assert.match(
      errorOf(() => server.command("DEBUG", "SET-TIME", "soon")),
      /Unix milliseconds/,
    );
    assert.match(
      errorOf(() => server.command("DEBUG", "FASTFORWARD")),
      /Try DEBUG HELP/,
    );
  } finally {
    await server.close();
  }
});

test("DEBUG SLEEP blocks the event loop like Redis blocks the server", async () => {
  const server = await startServer({ listen: false });
  try {
    let ticked = false;
    setImmediate(() => (ticked = true));
    const start = performance.now();
    assert.equal(text(server.command("DEBUG", "SLEEP", "0.05")), "OK");
    assert.ok(performance.now() - start >= 49);
    assert.equal(ticked, false);
  } finally {
    await server.close();
  }
});

test("DEBUG SET-ACTIVE-EXPIRE 0 stops the periodic expiry only", async () => {
  const server = await startServer({ clock: "manual", listen: false });
  try {
    server.command("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    server.command("SET", "k", "v", "PX", "10");
    server.fastForward(100);
    server.core.cron();
    assert.equal(server.command("DBSIZE"), 1);
    server.command("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    server.core.cron();
    assert.equal(server.command("DBSIZE"), 0);
  } finally {
    await server.close();
  }
});

test("SAVE, BGSAVE and LASTSAVE follow the server clock", async () => {
  const server = await startServer({ clock: "manual", startTime: 1_700_000_000_000, listen: false });
  try {
    server.fastForward(5000);
    assert.equal(text(server.command("BGSAVE")), "Background saving started");
    assert.equal(server.command("LASTSAVE"), 1_700_000_005);
    const info = String(server.command("INFO", "persistence"));
    assert.match(info, /\r\nrdb_saves:1\r\n/);
    assert.match(info, /\r\nrdb_last_save_time:1700000005\r\n/);
  } finally {
    await server.close();
  }
});

test("INFO: CRLF lines, version, keyspace, stats formats", async () => {
  const server = await startServer({ listen: false });
  try {
    server.command("SET", "a", "1");
    server.command("SET", "b", "1", "EX", "100");
    errorOf(() => server.command("INCR", "nosuch", "x"));
    const info = String(server.command("INFO", "everything"));
    assert.ok(!/[^\r]\n/.test(info), "every line ends with CRLF");
    assert.match(info, /^# Server\r\nredis_version:7\.0\.15\r\n/);
    assert.match(info, /\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n/);
    assert.match(
      info,
      /\r\ncmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/,
    );
    assert.match(
      info,
      /\r\ncmdstat_incr:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n/,
    );
    assert.match(info, /\r\nerrorstat_ERR:count=1\r\n/);
    assert.match(
      info,
      /\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/,
    );
    assert.match(info, /\r\nused_memory_human:[\d.]+[BKMG]\r\n/);
    assert.equal(text(server.command("CONFIG", "RESETSTAT")), "OK");
    assert.doesNotMatch(String(server.command("INFO", "commandstats")), /cmdstat_set/);
  } finally {
    await server.close();
  }
});

test("latency histograms report percentiles with two significant figures", () => {
  const h = new LatencyHistogram();
  for (let i = 1; i <= 100; i++) h.record(i);
  assert.ok(Math.abs(h.percentile(50) - 50) < 1);
  assert.ok(Math.abs(h.percentile(99) - 99) < 1);
  assert.ok(Math.abs(h.percentile(100) - 100) < 1);
  assert.equal(new LatencyHistogram().percentile(50), 0);
});

test("recordLatency feeds INFO latencystats when latency-tracking is on", async () => {
  const server = await startServer({ listen: false });
  try {
    server.command("GET", "x"); // the dispatcher records this call's (tiny) latency itself
    for (let i = 0; i < 3; i++) recordLatency(server.core, "get", 1234);
    assert.match(
      String(server.command("INFO", "latencystats")),
      /latency_percentiles_usec_get:p50=12\d\d\.\d{3}/,
    );
  } finally {
    await server.close();
  }
});

test("CONFIG REWRITE updates lines in place and appends changed parameters", async () => {
  const dir = mkdtempSync(join(tmpdir(), "reddish-rewrite-"));
  const file = join(dir, "redis.conf");
  writeFileSync(
    file,
    "# my config\nport 6390\nmaxmemory 10mb\nslave-read-only yes\nsave 900 1\nsave 300 10\n",
  );
  const server = await startServer({ listen: false, config: { maxmemory: "10mb" } });
  try {
    assert.match(
      errorOf(() => server.command("CONFIG", "REWRITE")),
      /without a config file/,
    );
    (server.core as unknown as { configFile: string }).configFile = file;
    server.command("CONFIG", "SET", "maxmemory", "2gb", "maxmemory-policy", "allkeys-lru", "save", "60 5");
    assert.equal(text(server.command("CONFIG", "REWRITE")), "OK");
    const content = readFileSync(file, "utf8");
    assert.match(content, /^# my config\nport 6379\nmaxmemory 2gb\nreplica-read-only yes\nsave 60 5\n/);
    assert.doesNotMatch(content, /save 300 10/);
    assert.match(content, /\n# Generated by CONFIG REWRITE\n/);
    assert.match(content, /\nmaxmemory-policy allkeys-lru\n/);
    assert.match(content, /\ndir "/);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("memory estimates follow jemalloc's size classes", async () => {
  assert.deepEqual(
    [1, 8, 9, 17, 23, 49, 104, 129, 200, 257, 1025].map(jemallocSize),
    [8, 8, 16, 32, 32, 64, 112, 160, 224, 320, 1280],
  );
  assert.equal(sdsAllocSize(3, true), 8);
  assert.equal(sdsAllocSize(44, true), 48);
  const server = await startServer({ listen: false });
  try {
    server.command("SET", "foo", "bar");
    assert.equal(server.command("MEMORY", "USAGE", "foo"), 64);
    server.command("APPEND", "raw", "x".repeat(100));
    assert.ok(Number(server.command("MEMORY", "USAGE", "raw")) >= 144);
    server.command("HSET", "h", "a", "1", "b", "2");
    assert.ok(Number(server.command("MEMORY", "USAGE", "h")) > 40);
    assert.equal(server.command("MEMORY", "USAGE", "nosuch"), null);
  } finally {
    await server.close();
  }
});

test("CONFIG SET port: reddish cannot move its listener", async () => {
  const server = await startServer();
  try {
    const port = String(server.port);
    const reply = server.command("CONFIG", "GET", "port") as unknown as { entries: [string, string][] };
    assert.deepEqual(reply.entries, [["port", port]]);
    assert.equal(text(server.command("CONFIG", "SET", "port", port)), "OK");
    assert.match(
      errorOf(() => server.command("CONFIG", "SET", "port", "1")),
      /argument 'port'\) - Unable to listen on this port/,
    );
  } finally {
    await server.close();
  }
});
