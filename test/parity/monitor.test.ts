/**
 * Parity: MONITOR. A monitor line carries the time and the client's address, which differ between
 * the servers, so the feed is compared after one normalization rule: each line must match
 * `+<digits>.<6 digits> [<db> <who>] ...`, and is compared as `+T [<db> <label>] ...` where
 * `<label>` names the connection the address belongs to (`c` the commanding client, `m` the
 * monitor, or `lua` kept as is). Everything else (argument quoting, order, which commands show,
 * db numbers, the monitor's own replies) is compared byte for byte, in RESP2 and RESP3.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { encodeCommand, RawConnection, startRealRedis, type Parsed, type RealRedis } from "./harness.js";

/** A step: a command sent by the client `c` (default) or by the monitor `m`. */
type MonitorStep = string[] | { by: "m"; cmd: string[]; replies?: number };

interface MonitorCase {
  name: string;
  steps: MonitorStep[];
}

const LINE = /^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\](.*)$/s;

/** Runs a case on one server: the replies each step got, then the monitor's normalized feed. */
async function runOn(port: number, resp: 2 | 3, c: MonitorCase): Promise<string[]> {
  const m = await RawConnection.connect(port);
  const cl = await RawConnection.connect(port);
  const out: string[] = [];
  try {
    if (resp === 3) {
      await m.call("HELLO", "3");
      await cl.call("HELLO", "3");
    }
    await cl.call("FLUSHALL");
    await cl.call("SCRIPT", "FLUSH");
    await cl.call("FUNCTION", "FLUSH");
    const labels = new Map<string, string>([
      [`127.0.0.1:${cl.socket.localPort}`, "c"],
      [`127.0.0.1:${m.socket.localPort}`, "m"],
    ]);
    out.push("MONITOR -> " + raw(await m.call("MONITOR")));
    for (const step of c.steps) {
      if (Array.isArray(step)) {
        out.push(`${step.join(" ")} -> ${raw(await cl.call(...step))}`);
      } else {
        m.send(encodeCommand(step.cmd));
        // The monitor's replies and the lines of its own commands, as they come.
        const got: string[] = [];
        for (let i = 0; i < (step.replies ?? 1); i++) got.push(normalize(await m.read(), labels));
        out.push(`m: ${step.cmd.join(" ")} -> ${got.join(" | ")}`);
        if (step.cmd[0]!.toUpperCase() === "RESET") return out;
      }
    }
    // The feed, up to the marker command.
    cl.send(encodeCommand(["ECHO", "end-of-case"]));
    await cl.read();
    for (;;) {
      const line = normalize(await m.read(), labels);
      if (line.includes("end-of-case")) break;
      out.push(line);
    }
    return out;
  } finally {
    m.close();
    cl.close();
  }
}

function raw(p: Parsed | null): string {
  return p === null ? "(closed)" : JSON.stringify(p.raw.toString("latin1"));
}

function normalize(p: Parsed | null, labels: Map<string, string>): string {
  if (p === null) return "(closed)";
  const text = p.raw.toString("latin1");
  const match = LINE.exec(text);
  if (!match) return JSON.stringify(text);
  const [, sec, , db, who, rest] = match;
  // The time is Unix seconds now (both servers run on this machine).
  assert.ok(Math.abs(Number(sec) - Date.now() / 1000) < 60, `monitor time ${sec} is not now`);
  const label = who === "lua" ? "lua" : (labels.get(who!) ?? `unknown ${who}`);
  return JSON.stringify(`+T [${db} ${label}]${rest}`);
}

const cases: MonitorCase[] = [
  {
    name: "arguments quoted as sdscatrepr",
    steps: [
      ["SET", "k", 'a\nb\r\t\x07\x08\x01\xff"\\ \xe9~ \x7f\x00'],
      ["SET", "123", "456"],
      ["ECHO", ""],
      ["GET", "k"],
      ["get", "k"],
      ["LPUSH", "l", "1", "2"],
    ],
  },
  {
    name: "the db after the command, failed commands shown, refused and admin commands not",
    steps: [
      ["SELECT", "1"],
      ["SET", "a", "b"],
      ["SELECT", "0"],
      ["SET", "a", "b", "EX", "x"],
      ["INCR", "k1"],
      ["NOSUCH", "x"],
      ["GET"],
      ["CONFIG", "GET", "maxmemory"],
      ["CLIENT", "LIST", "ID", "0"],
      ["CLIENT", "ID", "x"],
      ["CLIENT", "GETNAME"],
      ["SLOWLOG", "LEN"],
      ["DEBUG", "SLEEP", "0"],
      ["LATENCY", "LATEST"],
      ["INFO", "nosuchsection"],
      ["PING"],
    ],
  },
  {
    name: "AUTH and HELLO redaction",
    steps: [
      ["AUTH", "x"],
      ["AUTH", "a", "b"],
      ["AUTH", "a", "b", "c"],
      ["HELLO", "4", "AUTH", "a", "b"],
      ["HELLO", "x", "AUTH", "a", "b"],
      ["HELLO", "3", "AUTH", "a"],
      ["HELLO", "2", "SETNAME", "x y", "AUTH", "u", "p"],
      ["HELLO", "3", "AUTH", "u", "p", "SETNAME", "x y"],
      ["HELLO", "3", "FOO", "AUTH", "u", "p"],
      ["HELLO", "3", "AUTH", "u", "p", "FOO", "AUTH", "v", "w"],
      ["HELLO", "3", "SETNAME", "", "AUTH", "u", "p"],
      ["HELLO", "3", "SETNAME", "a\x7f", "AUTH", "u", "p"],
    ],
  },
  {
    name: "MULTI/EXEC: queued commands fed when EXEC runs them, EXEC after",
    steps: [
      ["MULTI"],
      ["SET", "a", "1"],
      ["INCR", "a"],
      ["CONFIG", "GET", "hz"],
      ["EXEC"],
      ["MULTI"],
      ["SET", "a"],
      ["EXEC"],
      ["MULTI"],
      ["SET", "a", "2"],
      ["DISCARD"],
      ["MULTI"],
      ["MONITOR"],
      ["GET", "a"],
      ["EXEC"],
    ],
  },
  {
    name: "scripts: EVAL first, then its commands as [db lua]",
    steps: [
      ["EVAL", "redis.call('set','x',1) return redis.call('get','x')", "0"],
      ["EVAL", "return 1", "0"],
      ["EVAL", "return redis.call('nosuch')", "0"],
      ["EVAL", "redis.call('select','3') return redis.call('set', KEYS[1], ARGV[1])", "1", "k\n", "v\x01"],
      ["EVALSHA", "x", "0"],
      ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"],
      ["EVAL_RO", "return redis.call('get','x')", "0"],
      ["SCRIPT", "LOAD", "return redis.call('ping')"],
      ["EVALSHA", "e33ca0aac88c1b9fb0bd0f1e1fb2ed6db33a5ea1", "0"],
      [
        "FUNCTION",
        "LOAD",
        "#!lua name=lib\nredis.register_function('f', function() return redis.call('incr','n') end)",
      ],
      ["FCALL", "f", "0"],
      ["FCALL", "nosuch", "0"],
      ["MULTI"],
      ["EVAL", "return redis.call('incr','n')", "0"],
      ["EXEC"],
    ],
  },
  {
    name: "blocking commands fed when they block",
    steps: [
      ["BLPOP", "nolist", "0.01"],
      ["LPUSH", "l", "x"],
      ["BLPOP", "l", "0"],
    ],
  },
  {
    name: "the monitor's own commands",
    steps: [
      { by: "m", cmd: ["PING"], replies: 2 },
      { by: "m", cmd: ["GET", "k"] },
      { by: "m", cmd: ["SET", "k", "v"] },
      { by: "m", cmd: ["PUBLISH", "c", "m"] },
      { by: "m", cmd: ["PFCOUNT", "h"] },
      { by: "m", cmd: ["EVAL", "return 1", "0"] },
      { by: "m", cmd: ["FCALL", "f", "0"] },
      { by: "m", cmd: ["DBSIZE"] },
      { by: "m", cmd: ["NOSUCH"] },
      // Already monitoring: MONITOR answers nothing, so ECHO's reply comes first.
      { by: "m", cmd: ["MONITOR"], replies: 0 },
      { by: "m", cmd: ["ECHO", "e"], replies: 2 },
      { by: "m", cmd: ["SELECT", "2"], replies: 2 },
      ["SET", "k", "v"],
    ],
  },
  {
    name: "RESET ends monitoring",
    steps: [["SET", "a", "1"], { by: "m", cmd: ["RESET"] }],
  },
];

describe("parity monitor", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  let compared = 0;
  let differences = 0;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer({ config: { "enable-debug-command": "yes" } });
  });
  after(async () => {
    await redis.stop();
    await reddish.close();
    process.stdout.write(`# parity monitor: ${compared} lines compared, ${differences} differences\n`);
  });
  for (const c of cases) {
    for (const resp of [2, 3] as const) {
      test(`${c.name} [RESP${resp}]`, async () => {
        const expected = await runOn(redis.port, resp, c);
        const actual = await runOn(reddish.port, resp, c);
        compared += expected.length;
        for (let i = 0; i < Math.max(expected.length, actual.length); i++)
          if (expected[i] !== actual[i]) differences++;
        assert.deepEqual(actual, expected);
      });
    }
  }

  test("CLIENT LIST shows a monitor with flag O; QUIT ends it", async () => {
    for (const port of [redis.port, reddish.port]) {
      const m = await RawConnection.connect(port);
      await m.call("MONITOR");
      const c = await RawConnection.connect(port);
      const list = String((await c.call("CLIENT", "LIST"))!.value);
      assert.match(list, new RegExp(`addr=127\\.0\\.0\\.1:${m.socket.localPort} .* flags=O `));
      assert.equal(raw(await m.call("QUIT")), JSON.stringify("+OK\r\n"));
      await c.call("SET", "after", "quit");
      c.close();
      m.close();
    }
  });
});
