// Generates src/commands/generated/commands.json from a real redis-server.
//
// Starts a throwaway `redis-server` (no persistence) on a free loopback port, switches a raw TCP
// connection to RESP3 with `HELLO 3`, sends `COMMAND INFO` and `COMMAND DOCS` (all commands),
// parses the replies with the small RESP3 parser below and writes one JSON entry per top-level
// command (with its subcommands nested), including the raw reply trees so our server can re-emit
// them byte for byte. The server is killed at the end, even on error.
//
// Run with `npm run gen:specs` (or `node scripts/gen-specs.mjs`). Set REDIS_SERVER to use a
// redis-server binary other than the one on PATH.
//
// Reply tree encoding: integer -> number; simple string -> "+text"; bulk string -> "$text";
// array -> ["*", ...]; map -> ["%", k1, v1, ...]; set -> ["~", ...]; push -> [">", ...];
// null -> null; boolean -> true/false; double -> [",", "text"]; big number -> ["(", "text"];
// verbatim string -> ["=", "fmt", "text"]; error -> ["-", "text"] (blob error: ["!", "text"]).
// Redis emits subcommands (and all commands) in hash-table order, which changes from run to run;
// the nested subcommand lists in "info" and "docs" are sorted by name to keep the output stable.

import { spawn } from "node:child_process";
import { Buffer } from "node:buffer";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_FILE = path.join(ROOT, "src", "commands", "generated", "commands.json");
const REDIS_SERVER = process.env.REDIS_SERVER || "redis-server";

// ---------------------------------------------------------------------------------------------
// RESP3 parser

class Incomplete extends Error {}
const INCOMPLETE = new Incomplete("incomplete");

/** Parses one value from buf at pos; returns [value, nextPos] or throws INCOMPLETE. */
function parseValue(buf, pos) {
  const lineEnd = buf.indexOf("\r\n", pos, "latin1");
  if (lineEnd < 0) throw INCOMPLETE;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("utf8", pos + 1, lineEnd);
  let next = lineEnd + 2;

  const readBlob = (len) => {
    if (buf.length < next + len + 2) throw INCOMPLETE;
    const text = buf.toString("utf8", next, next + len);
    next += len + 2;
    return text;
  };
  // Streamed aggregate (`*?`, `%?`, `~?`, `>?`): items until the `.` end marker.
  const readAggregate = (count, itemsPerEntry) => {
    const items = [];
    if (line === "?") {
      for (;;) {
        if (next >= buf.length) throw INCOMPLETE;
        if (buf[next] === 0x2e /* . */) {
          const end = buf.indexOf("\r\n", next, "latin1");
          if (end < 0) throw INCOMPLETE;
          next = end + 2;
          return items;
        }
        const [v, p] = parseValue(buf, next);
        items.push(v);
        next = p;
      }
    }
    for (let i = 0; i < count * itemsPerEntry; i++) {
      const [v, p] = parseValue(buf, next);
      items.push(v);
      next = p;
    }
    return items;
  };

  switch (type) {
    case "+":
      return ["+" + line, next];
    case "-":
      return [["-", line], next];
    case ":":
      return [Number(line), next];
    case "$": {
      if (line === "?") {
        // Streamed string: `;len` chunks terminated by `;0`.
        let text = "";
        for (;;) {
          const [chunk, p] = parseValue(buf, next);
          next = p;
          if (chunk === null) break;
          text += chunk;
        }
        return ["$" + text, next];
      }
      const len = Number(line);
      if (len < 0) return [null, next]; // RESP2 null bulk string
      return ["$" + readBlob(len), next];
    }
    case ";": {
      // Chunk of a streamed string (returned raw to the `$?` loop above; null = end).
      const len = Number(line);
      return [len === 0 ? null : readBlob(len), next];
    }
    case "!":
      return [["!", readBlob(Number(line))], next];
    case "=": {
      const text = readBlob(Number(line));
      return [["=", text.slice(0, 3), text.slice(4)], next];
    }
    case "*":
    case "~":
    case ">": {
      if (line !== "?" && Number(line) < 0) return [null, next]; // RESP2 null array
      const items = readAggregate(Number(line), 1);
      return [[type, ...items], next];
    }
    case "%": {
      const items = readAggregate(Number(line), 2);
      return [["%", ...items], next];
    }
    case "|": {
      // Attribute: metadata preceding the real value; parsed and dropped.
      readAggregate(Number(line), 2);
      return parseValue(buf, next);
    }
    case "_":
      return [null, next];
    case "#":
      if (line !== "t" && line !== "f") throw new Error(`bad boolean: ${line}`);
      return [line === "t", next];
    case ",":
      return [[",", line], next];
    case "(":
      return [["(", line], next];
    default:
      throw new Error(`unknown RESP type byte ${JSON.stringify(type)} at offset ${pos}`);
  }
}

/** A RESP3 connection that sends inline-free (array) commands and awaits parsed replies in order. */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.waiting = [];
    this.error = null;
    socket.on("data", (data) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
      this.drain();
    });
    const fail = (err) => {
      this.error = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
  }

  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.removeListener("error", reject);
        resolve(new Connection(socket));
      });
      socket.once("error", reject);
    });
  }

  drain() {
    while (this.waiting.length && this.buf.length) {
      let value, next;
      try {
        [value, next] = parseValue(this.buf, 0);
      } catch (err) {
        if (err === INCOMPLETE) return;
        this.socket.destroy(err);
        return;
      }
      this.buf = this.buf.subarray(next);
      this.waiting.shift().resolve(value);
    }
  }

  command(...args) {
    if (this.error) return Promise.reject(this.error);
    let out = `*${args.length}\r\n`;
    for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    this.socket.write(out);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.drain();
    });
  }

  close() {
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Reply tree helpers

const isError = (v) => Array.isArray(v) && (v[0] === "-" || v[0] === "!");

/** Text of a simple/bulk string node. */
function str(node) {
  if (typeof node !== "string" || (node[0] !== "+" && node[0] !== "$")) {
    throw new Error(`expected a string, got ${JSON.stringify(node)}`);
  }
  return node.slice(1);
}

/** Items of an array/set node. */
function items(node) {
  if (!Array.isArray(node) || (node[0] !== "*" && node[0] !== "~")) {
    throw new Error(`expected an array or set, got ${JSON.stringify(node)}`);
  }
  return node.slice(1);
}

/** Entries of a map node as [keyText, value] pairs. */
function entries(node) {
  if (!Array.isArray(node) || node[0] !== "%") {
    throw new Error(`expected a map, got ${JSON.stringify(node)}`);
  }
  const out = [];
  for (let i = 1; i < node.length; i += 2) out.push([str(node[i]), node[i + 1]]);
  return out;
}

const mapGet = (node, key) => entries(node).find(([k]) => k === key)?.[1];

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts the subcommand array (element 10) of a COMMAND INFO entry by name, recursively. */
function sortInfo(info) {
  const subs = info[10];
  if (Array.isArray(subs) && subs.length > 1) {
    const sorted = subs
      .slice(1)
      .map(sortInfo)
      .sort((a, b) => byName(str(a[1]), str(b[1])));
    info = [...info.slice(0, 10), [subs[0], ...sorted], ...info.slice(11)];
  }
  return info;
}

/** Sorts the "subcommands" map of a COMMAND DOCS entry by name, recursively. */
function sortDocs(docs) {
  const out = ["%"];
  for (const [k, v] of entries(docs)) {
    let value = v;
    if (k === "subcommands") {
      const pairs = entries(v)
        .map(([name, d]) => [name, sortDocs(d)])
        .sort((a, b) => byName(a[0], b[0]));
      value = ["%", ...pairs.flatMap(([name, d]) => ["$" + name, d])];
    }
    out.push("$" + k, value);
  }
  return out;
}

function convertKeySpec(spec) {
  const bs = mapGet(spec, "begin_search");
  const fk = mapGet(spec, "find_keys");
  const bsType = str(mapGet(bs, "type"));
  const bsSpec = mapGet(bs, "spec");
  const fkType = str(mapGet(fk, "type"));
  const fkSpec = mapGet(fk, "spec");

  let beginSearch;
  if (bsType === "index") beginSearch = { type: "index", index: mapGet(bsSpec, "index") };
  else if (bsType === "keyword") {
    beginSearch = {
      type: "keyword",
      keyword: str(mapGet(bsSpec, "keyword")),
      startFrom: mapGet(bsSpec, "startfrom"),
    };
  } else if (bsType === "unknown") beginSearch = { type: "unknown" };
  else throw new Error(`unknown begin_search type ${bsType}`);

  let findKeys;
  if (fkType === "range") {
    findKeys = {
      type: "range",
      lastKey: mapGet(fkSpec, "lastkey"),
      keyStep: mapGet(fkSpec, "keystep"),
      limit: mapGet(fkSpec, "limit"),
    };
  } else if (fkType === "keynum") {
    findKeys = {
      type: "keynum",
      keyNumIdx: mapGet(fkSpec, "keynumidx"),
      firstKey: mapGet(fkSpec, "firstkey"),
      keyStep: mapGet(fkSpec, "keystep"),
    };
  } else if (fkType === "unknown") findKeys = { type: "unknown" };
  else throw new Error(`unknown find_keys type ${fkType}`);

  const known = new Set(["notes", "flags", "begin_search", "find_keys"]);
  const extra = entries(spec).filter(([k]) => !known.has(k));
  if (extra.length) console.warn(`warning: key spec has extra fields: ${extra.map(([k]) => k).join(", ")}`);

  const out = { flags: items(mapGet(spec, "flags")).map(str), beginSearch, findKeys };
  const notes = mapGet(spec, "notes"); // only some key specs carry a free-text note
  if (notes !== undefined) out.notes = str(notes);
  return out;
}

/** Builds one command (or subcommand) entry from its COMMAND INFO array and COMMAND DOCS map. */
function buildEntry(info, docs, counts) {
  const name = str(info[1]).toLowerCase();
  if (info[0] !== "*" || info.length !== 11) throw new Error(`unexpected COMMAND INFO shape for ${name}`);
  if (docs === undefined) {
    console.warn(`warning: no COMMAND DOCS entry for ${name}`);
    docs = ["%"];
  }
  const docsSubs = mapGet(docs, "subcommands");
  const docsSubMap = new Map(docsSubs ? entries(docsSubs) : []);

  const subcommands = {};
  for (const subInfo of items(info[10])) {
    const sub = buildEntry(subInfo, docsSubMap.get(str(subInfo[1])), counts);
    subcommands[sub.name] = sub;
    counts.subcommands++;
  }
  for (const subName of docsSubMap.keys()) {
    if (!(subName.toLowerCase() in subcommands)) console.warn(`warning: ${subName} is in DOCS but not INFO`);
  }

  return {
    name,
    arity: info[2],
    flags: items(info[3]).map(str),
    firstKey: info[4],
    lastKey: info[5],
    step: info[6],
    aclCategories: items(info[7]).map(str),
    tips: items(info[8]).map(str),
    keySpecs: items(info[9]).map(convertKeySpec),
    subcommands,
    info,
    docs,
  };
}

// ---------------------------------------------------------------------------------------------
// Output formatting: plain objects one key per line, arrays (incl. reply trees) on a single line.

function format(value, indent = "") {
  const isPlainObject = value !== null && typeof value === "object" && !Array.isArray(value);
  if (!isPlainObject || Object.keys(value).length === 0) return JSON.stringify(value);
  const inner = indent + "  ";
  const lines = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`);
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// Throwaway redis-server

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "reddish-gen-specs-"));
  const child = spawn(
    REDIS_SERVER,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--logfile",
      "",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once("error", (err) => {
      exited = { error: err };
      resolve();
    });
  });

  const server = {
    port,
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const timer = sleep(3000, undefined, { ref: false }).then(() => exited || child.kill("SIGKILL"));
        await Promise.race([exitPromise, timer]);
        await exitPromise;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    killNow() {
      if (!exited) child.kill("SIGKILL");
    },
  };

  // Wait until it answers PING.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) {
      await server.stop();
      throw new Error(`${REDIS_SERVER} exited early (${JSON.stringify(exited)}):\n${log}`);
    }
    try {
      const conn = await Connection.open(port);
      try {
        if ((await conn.command("PING")) === "+PONG") return server;
      } finally {
        conn.close();
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${REDIS_SERVER} did not answer PING on port ${port}:\n${log}`);
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const server = await startServer();
  const onSignal = () => {
    server.killNow();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => server.killNow());
  try {
    const conn = await Connection.open(server.port);
    try {
      const hello = await conn.command("HELLO", "3");
      if (isError(hello)) throw new Error(`HELLO 3 failed: ${hello[1]}`);
      const version = str(mapGet(hello, "version"));
      const infoReply = await conn.command("COMMAND", "INFO");
      const docsReply = await conn.command("COMMAND", "DOCS");
      if (isError(infoReply)) throw new Error(`COMMAND INFO failed: ${infoReply[1]}`);
      if (isError(docsReply)) throw new Error(`COMMAND DOCS failed: ${docsReply[1]}`);

      const docsByName = new Map(entries(docsReply));
      const infos = items(infoReply)
        .map(sortInfo)
        .sort((a, b) => byName(str(a[1]).toLowerCase(), str(b[1]).toLowerCase()));
      const counts = { commands: 0, subcommands: 0 };
      const out = {};
      for (const info of infos) {
        const docs = docsByName.get(str(info[1]));
        const entry = buildEntry(info, docs && sortDocs(docs), counts);
        out[entry.name] = entry;
        counts.commands++;
      }
      for (const name of docsByName.keys()) {
        if (!(name.toLowerCase() in out))
          console.warn(`warning: ${name} is in COMMAND DOCS but not COMMAND INFO`);
      }

      mkdirSync(path.dirname(OUT_FILE), { recursive: true });
      writeFileSync(OUT_FILE, format(out) + "\n");
      console.log(
        `gen-specs: redis ${version}: ${counts.commands} commands, ${counts.subcommands} subcommands ` +
          `-> ${path.relative(ROOT, OUT_FILE)}`,
      );
    } finally {
      conn.close();
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await server.stop();
  }
}

main().catch((err) => {
  console.error(`gen-specs: ${err.stack || err}`);
  process.exitCode = 1;
});
