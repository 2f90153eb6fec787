/** Unit tests for the configuration schema: parsing, canonical forms and errors of each kind. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONFIG_NAMES,
  CONFIG_SCHEMA,
  Config,
  ConfigValueError,
  canonicalize,
  findParam,
  lookupParam,
  memtoull,
  parseMemory,
} from "../../src/server/config.js";

function canon(name: string, value: string, current?: string): string {
  return canonicalize(findParam(name)!, value, current);
}

function refused(name: string, value: string): string {
  try {
    canon(name, value);
  } catch (e) {
    assert.ok(e instanceof ConfigValueError);
    return e.message;
  }
  assert.fail(`${name} ${JSON.stringify(value)} was accepted`);
}

test("the schema has Redis 7.0.15's parameters, aliases and hidden ones", () => {
  const visible = CONFIG_NAMES.filter((m) => !m.spec.hidden);
  assert.equal(visible.length, 192);
  assert.equal(CONFIG_NAMES.length - visible.length, 5);
  assert.equal(new Set(CONFIG_SCHEMA.map((s) => s.name)).size, CONFIG_SCHEMA.length);
  assert.equal(lookupParam("SLAVE-READ-ONLY")!.name, "slave-read-only");
  assert.equal(lookupParam("slave-read-only")!.spec.name, "replica-read-only");
  assert.equal(findParam("nosuch"), undefined);
});

test("memory values: units, saturation, Redis's leniencies", () => {
  assert.equal(memtoull("1kb"), 1024n);
  assert.equal(memtoull("1K"), 1000n);
  assert.equal(memtoull("2mb"), 2n * 1024n * 1024n);
  assert.equal(memtoull("3G"), 3000000000n);
  assert.equal(memtoull("7b"), 7n);
  assert.equal(memtoull(""), 0n);
  assert.equal(memtoull("k"), 0n);
  assert.equal(memtoull("-1"), undefined);
  assert.equal(memtoull("1xb"), undefined);
  assert.equal(memtoull("99999999999999999999"), 18446744073709551615n);
  assert.equal(parseMemory("1gb"), 1024 ** 3);
  assert.equal(canon("maxmemory", "1kb"), "1024");
  assert.equal(canon("maxmemory", "99999999999999999999"), "18446744073709551615");
  assert.equal(refused("maxmemory", "-5"), "argument must be a memory value");
  assert.equal(
    refused("proto-max-bulk-len", "99999999999999999999"),
    "argument must be between 1048576 and 9223372036854775807 inclusive",
  );
});

test("integers: strict parsing and bounds", () => {
  assert.equal(canon("hz", "5"), "5");
  assert.equal(canon("list-max-listpack-size", "-5"), "-5");
  assert.equal(refused("hz", "+5"), "argument couldn't be parsed into an integer");
  assert.equal(refused("hz", "05"), "argument couldn't be parsed into an integer");
  assert.equal(refused("hz", "-1"), "argument must be between 0 and 2147483647 inclusive");
  assert.equal(refused("maxclients", "-5"), "argument must be between 1 and 4294967295 inclusive");
  assert.equal(
    refused("slowlog-max-len", "-5"),
    "argument must be between 0 and 9223372036854775807 inclusive",
  );
  assert.equal(canon("hz", "0"), "1", "hz is clamped to [1, 500]");
  assert.equal(canon("hz", "9999"), "500");
});

test("percent values", () => {
  assert.equal(canon("maxmemory-clients", "50%"), "50%");
  assert.equal(canon("maxmemory-clients", "1mb"), "1048576");
  assert.equal(refused("maxmemory-clients", "200%"), "percentage argument must be less or equal to 100");
  assert.equal(refused("maxmemory-clients", "x"), "argument must be a memory or percent value");
});

test("booleans and enums", () => {
  assert.equal(canon("appendonly", "YES"), "yes");
  assert.equal(refused("appendonly", "1"), "argument must be 'yes' or 'no'");
  assert.equal(canon("maxmemory-policy", "AllKeys-LRU"), "allkeys-lru");
  assert.equal(
    refused("loglevel", "loud"),
    "argument(s) must be one of the following: debug, verbose, notice, warning",
  );
  assert.match(refused("activedefrag", "yes"), /^Active defragmentation cannot be enabled/);
  assert.equal(canon("activedefrag", "no"), "no");
});

test("special parameters", () => {
  assert.equal(canon("save", "100 5 200 +6"), "100 5 200 6");
  assert.equal(canon("save", ""), "");
  assert.equal(refused("save", "0 1"), "Invalid save parameters");
  assert.equal(refused("save", "1"), "Invalid save parameters");
  const events = findParam("notify-keyspace-events")!;
  const shown = (value: string) => events.show!(canon("notify-keyspace-events", value));
  assert.equal(shown("KEA"), "AKE");
  // Stored with every flag (n survives A), shown as Redis prints it.
  assert.equal(canon("notify-keyspace-events", "gx$lshzeKEtmdnA"), "g$lshzxetdnKEm");
  assert.equal(shown("gx$lshzeKEtmdnA"), "AKEm");
  assert.equal(shown("zs"), "sz");
  assert.equal(shown("En"), "nE");
  assert.equal(
    refused("notify-keyspace-events", "Q"),
    "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
  );
  const obuf = findParam("client-output-buffer-limit")!.default;
  assert.equal(
    canon("client-output-buffer-limit", "replica 1mb 2kb 5", obuf),
    "normal 0 0 0 slave 1048576 2048 5 pubsub 33554432 8388608 60",
  );
  assert.equal(
    refused("client-output-buffer-limit", "master 1 2 3"),
    "Invalid client class specified in buffer limit configuration.",
  );
  assert.equal(canon("latency-tracking-info-percentiles", "50.0 99.50 1e1"), "50 99.5 10");
  assert.equal(canon("shutdown-on-sigint", "now nosave"), "nosave now");
  assert.equal(canon("shutdown-on-sigint", "default"), "default");
  assert.equal(
    refused("shutdown-on-sigint", "save nosave"),
    "shutdown options SAVE and NOSAVE can't be used simultaneously",
  );
  assert.equal(canon("oom-score-adj-values", "0 -100 2000"), "0 -100 2000");
  assert.equal(canon("replicaof", "no one"), "");
  assert.equal(canon("replicaof", "host 6380"), "host 6380");
  assert.equal(refused("dir", "/no/such/dir/anywhere"), "No such file or directory");
  assert.equal(
    refused("proc-title-template", "{title} {nope}"),
    "template format is invalid or contains unknown variables",
  );
  assert.equal(canon("proc-title-template", "{{title}} a}b"), "{{title}} a}b");
  assert.equal(refused("dbfilename", "a/b"), "dbfilename can't be a path, just a filename");
});

test("Config: overrides at startup, immutables later, watchers", () => {
  const config = new Config({ databases: "4", "hash-max-ziplist-entries": "64", save: "" });
  assert.equal(config.get("databases"), "4");
  assert.equal(config.get("hash-max-listpack-entries"), "64");
  assert.equal(config.get("save"), "");
  assert.equal(config.getNumber("hz"), 10);
  assert.throws(() => config.set("databases", "8"), /immutable/);
  assert.throws(() => config.set("nosuch", "1"), /unknown config parameter/);
  const seen: string[] = [];
  config.onChange((name, value) => seen.push(`${name}=${value}`));
  config.set("maxmemory", "1mb");
  assert.deepEqual(seen, ["maxmemory=1048576"]);
  const spec = findParam("timeout")!;
  config.commit([[spec, config.validate(spec, "30")]]);
  assert.equal(config.get("timeout"), "30");
  assert.equal(config.entries().length, CONFIG_SCHEMA.length);
});
