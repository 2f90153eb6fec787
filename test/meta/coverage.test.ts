/**
 * Keeps the command table honest: every implemented command (and subcommand) has parity cases,
 * or, for commands newer than the reference server (hand-written metadata, no server to compare
 * with), a named behavioural unit test; and the table's metadata is consistent with what the
 * dispatcher relies on.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ALL_COMMANDS } from "../../src/commands/index.js";
import { CommandTable, REDIS_COMMANDS } from "../../src/commands/registry.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The test sources of a directory, concatenated. */
function sourcesOf(dir: string): string {
  return readdirSync(join(root, "test", dir))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(root, "test", dir, f), "utf8"))
    .join("\n");
}
const paritySources = sourcesOf("parity");
const unitSources = sourcesOf("unit");

function mentioned(words: string[], sources = paritySources): boolean {
  const pattern = words.map((w) => `["'\`]${w.replace(/[|]/g, "\\|")}["'\`]`).join("\\s*,\\s*");
  return new RegExp(pattern, "i").test(sources);
}

/** True for commands newer than the reference server: their metadata is hand-written. */
function isNewerThanReference(fullName: string): boolean {
  return !REDIS_COMMANDS[fullName.split("|")[0]!];
}

test("every implemented command and subcommand has parity cases", () => {
  const table = new CommandTable(ALL_COMMANDS);
  const missing: string[] = [];
  for (const cmd of table.all()) {
    if (isNewerThanReference(cmd.fullName)) continue; // checked by the next test
    if (cmd.subcommands) {
      for (const [sub] of cmd.subcommands)
        if (!mentioned([cmd.fullName, sub])) missing.push(`${cmd.fullName} ${sub}`);
    } else if (!mentioned([cmd.fullName])) {
      missing.push(cmd.fullName);
    }
  }
  assert.deepEqual(missing, [], `commands without parity cases: ${missing.join(", ")}`);
});

test("every command newer than the reference server is named in a behavioural unit test", () => {
  const table = new CommandTable(ALL_COMMANDS);
  const newer = [...table.all()].filter((cmd) => isNewerThanReference(cmd.fullName));
  const missing = newer.filter((cmd) => !mentioned([cmd.fullName], unitSources)).map((cmd) => cmd.fullName);
  assert.deepEqual(missing, [], `newer commands without a unit test naming them: ${missing.join(", ")}`);
  // Such commands have no reference server to compare with: a parity case would be vacuous.
  const inParity = newer.filter((cmd) => mentioned([cmd.fullName])).map((cmd) => cmd.fullName);
  assert.deepEqual(inParity, [], `newer commands named in parity tests: ${inParity.join(", ")}`);
});

test("every definition names a Redis 7.0 command (or a newer one with its own metadata), once", () => {
  const seen = new Set<string>();
  for (const def of ALL_COMMANDS) {
    assert.ok(!seen.has(def.name), `duplicate definition of ${def.name}`);
    seen.add(def.name);
    const [container, sub] = def.name.split("|");
    const meta = REDIS_COMMANDS[container!] ?? def.meta;
    assert.ok(meta, `${def.name} is not a Redis 7.0 command and has no hand-written metadata`);
    if (def.meta) assert.ok(!REDIS_COMMANDS[container!], `${def.name} overrides generated metadata`);
    if (sub) assert.ok(meta.subcommands[def.name], `${def.name} is not a Redis 7.0 subcommand`);
  }
});

test("write commands are flagged write and readonly ones are not", () => {
  const table = new CommandTable(ALL_COMMANDS);
  for (const cmd of table.all()) {
    assert.ok(!(cmd.isWrite && cmd.isReadonly), `${cmd.fullName} is both write and readonly`);
  }
});
