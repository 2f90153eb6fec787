// Lua conformance: every program in test/lua/conformance/*.lua runs on reddish's engine and on
// Debian's lua5.1 (same driver, same chunk name); their outputs must be identical.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LuaState, setSampledStringHash } from "../../src/scripting/lua/index.js";

// lua5.1 hashes long strings by sampling their bytes (Redis's Lua hashes them all): match it here.
setSampledStringHash(true);

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = join(root, "test", "lua", "conformance");
const driverPath = join(root, "test", "lua", "driver.lua");
const driver = readFileSync(driverPath, "latin1");

function split(out: string): Map<string, string> {
  const m = new Map<string, string>();
  let name = "";
  let buf: string[] = [];
  for (const line of out.split("\n")) {
    if (line.startsWith("==== ")) {
      if (name) m.set(name, buf.join("\n"));
      name = line.slice(5);
      buf = [];
    } else buf.push(line);
  }
  if (name) m.set(name, buf.join("\n"));
  return m;
}

function runOurs(code: string): string {
  const lines: string[] = [];
  const L = new LuaState({ print: (s) => lines.push(s) });
  L.setGlobal("CODE", code);
  let budget = 200_000;
  L.setHook(() => (--budget <= 0 ? { kill: "instruction budget exhausted" } : undefined), 1000);
  L.call(L.load(driver, "=driver"));
  return lines.join("\n") + "\n";
}

function runLua51(file: string): string {
  const r = spawnSync("lua5.1", ["-e", `CODE=io.open(${JSON.stringify(file)},"rb"):read("*a")`, driverPath], {
    encoding: "latin1",
  });
  if (r.error) throw new Error("lua5.1 is required for the conformance suite (apt-get install lua5.1)");
  return r.stdout;
}

for (const f of readdirSync(dir)
  .filter((x) => x.endsWith(".lua"))
  .sort()) {
  const file = join(dir, f);
  const code = readFileSync(file, "latin1");
  const theirs = split(runLua51(file));
  let ours: Map<string, string>;
  let crash: unknown;
  try {
    ours = split(runOurs(code));
  } catch (e) {
    crash = e;
    ours = new Map();
  }
  test(`${f}: engine ran the whole file`, () => {
    assert.equal(crash, undefined);
    assert.ok(theirs.size > 0);
  });
  for (const [name, expected] of theirs) {
    test(`${f}: ${name}`, () => assert.equal(ours.get(name), expected));
  }
}
