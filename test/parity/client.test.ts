/**
 * Parity: CLIENT and its subcommands. Connection ids, addresses, ports, ages and buffer sizes
 * legitimately differ between the servers, so replies that carry them compare "type" in the
 * suite, and the focused tests below compare CLIENT LIST/INFO field by field with those values
 * checked for form and masked (ids and addresses are replaced by which connection they name).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type ReddishServer } from "../../src/index.js";
import { type Parsed, paritySuite, RawConnection, startRealRedis, type RealRedis } from "./harness.js";

paritySuite("client", [
  {
    name: "client id, info and list",
    steps: [
      // Values differ between servers (ids, ports, memory): see the field-by-field tests below.
      { cmd: ["CLIENT", "ID"], compare: "type" },
      { cmd: ["CLIENT", "INFO"], compare: "type" },
      { cmd: ["CLIENT", "LIST"], compare: "type" },
      { cmd: ["client", "list", "type", "NORMAL"], compare: "type" },
      ["CLIENT", "ID", "x"],
      ["CLIENT", "INFO", "x"],
    ],
  },
  {
    name: "client list options",
    steps: [
      ["CLIENT", "LIST", "TYPE", "master"],
      ["CLIENT", "LIST", "TYPE", "replica"],
      ["CLIENT", "LIST", "TYPE", "slave"],
      ["CLIENT", "LIST", "TYPE", "pubsub"],
      ["CLIENT", "LIST", "TYPE", "foo"],
      ["CLIENT", "LIST", "TYPE"],
      ["CLIENT", "LIST", "TYPE", "normal", "x"],
      ["CLIENT", "LIST", "ID"],
      ["CLIENT", "LIST", "ID", "abc"],
      ["CLIENT", "LIST", "ID", "99999"],
      ["CLIENT", "LIST", "ID", "99999", "abc"],
      ["CLIENT", "LIST", "ID", "-5", "0"],
      ["CLIENT", "LIST", "id", "1.5"],
      ["CLIENT", "LIST", "FOO"],
      ["CLIENT", "LIST", "FOO", "bar"],
    ],
  },
  {
    name: "client setname and getname",
    steps: [
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "conn-1"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "a b"],
      ["CLIENT", "SETNAME", "a\nb"],
      ["CLIENT", "SETNAME", Buffer.from([0xff])],
      ["CLIENT", "SETNAME", Buffer.from([0x7f])],
      ["CLIENT", "SETNAME", Buffer.from("caf\u00e9")],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "!~{}[]"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME"],
      ["CLIENT", "SETNAME", "a", "b"],
      ["CLIENT", "GETNAME", "x"],
      { cmd: ["CLIENT", "SETNAME", "other"], client: 1 },
      { cmd: ["CLIENT", "GETNAME"], client: 1 },
      ["CLIENT", "GETNAME"],
    ],
  },
  {
    name: "client reply",
    steps: [
      { cmd: ["CLIENT", "REPLY", "OFF"], replies: 0 },
      { cmd: ["SET", "cl:r", "1"], replies: 0 },
      { cmd: ["GET", "cl:r"], replies: 0 },
      { cmd: ["CLIENT", "REPLY", "foo"], replies: 0 },
      { cmd: ["NOSUCH"], replies: 0 },
      // SKIP while replies are off does nothing.
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      { cmd: ["CLIENT", "REPLY", "OFF"], replies: 0 },
      ["CLIENT", "REPLY", "ON"],
      ["GET", "cl:r"],
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      { cmd: ["SET", "cl:r", "2"], replies: 0 },
      ["GET", "cl:r"],
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      { cmd: ["PING"], replies: 0 },
      ["PING", "back"],
      // ON cancels a pending SKIP and answers itself.
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      ["CLIENT", "REPLY", "ON"],
      ["CLIENT", "REPLY", "ON"],
      ["CLIENT", "REPLY", "foo"],
      ["CLIENT", "REPLY"],
      ["CLIENT", "REPLY", "on", "off"],
      // OFF then SKIP then ON.
      { cmd: ["CLIENT", "REPLY", "OFF"], replies: 0 },
      { cmd: ["CLIENT", "REPLY", "SKIP"], replies: 0 },
      ["CLIENT", "REPLY", "ON"],
      ["PING"],
    ],
  },
  {
    name: "client reply off pipelined",
    steps: [
      {
        cmd: [],
        raw:
          "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$4\r\nPING\r\n" +
          "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n",
        replies: 2,
      },
    ],
  },
  {
    name: "client no-evict",
    steps: [
      ["CLIENT", "NO-EVICT", "on"],
      ["CLIENT", "NO-EVICT", "OFF"],
      ["CLIENT", "NO-EVICT", "maybe"],
      ["CLIENT", "NO-EVICT"],
      ["CLIENT", "NO-EVICT", "on", "off"],
    ],
  },
  {
    name: "client tracking stubs",
    steps: [
      ["CLIENT", "GETREDIR"],
      ["CLIENT", "GETREDIR", "x"],
      ["CLIENT", "TRACKINGINFO"],
      ["CLIENT", "TRACKINGINFO", "x"],
      ["CLIENT", "CACHING", "yes"],
      ["CLIENT", "CACHING", "no"],
      ["CLIENT", "CACHING", "maybe"],
      ["CLIENT", "CACHING"],
    ],
  },
  {
    name: "client help and unknown subcommands",
    steps: [
      ["CLIENT", "HELP"],
      ["client", "help"],
      ["CLIENT", "HELP", "x"],
      ["CLIENT"],
      ["CLIENT", "NOSUCH"],
      ["CLIENT", "nosuch", "a", "b"],
      // 7.2's subcommands do not exist in 7.0.15 (node-redis tolerates the error on connect).
      ["CLIENT", "SETINFO", "lib-name", "node-redis"],
      ["CLIENT", "SETINFO", "LIB-VER", "4.6.0"],
      ["CLIENT", "NO-TOUCH", "on"],
    ],
  },
  {
    name: "client unblock without blocked clients",
    steps: [
      ["CLIENT", "UNBLOCK", "99999"],
      ["CLIENT", "UNBLOCK", "99999", "TIMEOUT"],
      ["CLIENT", "UNBLOCK", "99999", "error"],
      ["CLIENT", "UNBLOCK", "x"],
      ["CLIENT", "UNBLOCK", "99999", "foo"],
      ["CLIENT", "UNBLOCK", "x", "foo"],
      ["CLIENT", "UNBLOCK", "1", "timeout", "x"],
      ["CLIENT", "UNBLOCK"],
    ],
  },
  {
    name: "client kill errors",
    steps: [
      ["CLIENT", "KILL", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ADDR"],
      ["CLIENT", "KILL", "ID", "999999"],
      ["CLIENT", "KILL", "ID", "abc"],
      ["CLIENT", "KILL", "ID", "0"],
      ["CLIENT", "KILL", "ID", "-1"],
      ["CLIENT", "KILL", "ID", "abc", "FOO"],
      ["CLIENT", "KILL", "TYPE", "foo"],
      ["CLIENT", "KILL", "USER", "nobody"],
      ["CLIENT", "KILL", "SKIPME", "maybe"],
      ["CLIENT", "KILL", "ADDR", "x", "ID"],
      ["CLIENT", "KILL", "FOO", "bar"],
      ["CLIENT", "KILL", "MAXAGE", "10"],
      ["CLIENT", "KILL", "a", "b", "c"],
      ["CLIENT", "KILL", "ID", "1", "TYPE"],
      ["CLIENT", "KILL"],
      ["CLIENT", "KILL", "LADDR", "1.1.1.1:1"],
      ["CLIENT", "KILL", "ADDR", "1.1.1.1:1"],
      ["CLIENT", "KILL", "TYPE", "master"],
      ["CLIENT", "KILL", "TYPE", "replica"],
      ["CLIENT", "KILL", "TYPE", "slave"],
      ["CLIENT", "KILL", "TYPE", "pubsub"],
      // Only this connection is normal, and SKIPME defaults to yes.
      ["CLIENT", "KILL", "TYPE", "normal"],
      ["CLIENT", "KILL", "USER", "default", "SKIPME", "yes"],
      ["CLIENT", "KILL", "ID", "1", "ID", "999999"],
      ["PING"],
    ],
  },
  {
    name: "client kill type kills other connections",
    steps: [
      { cmd: ["PING"], client: 1 },
      { cmd: ["PING"], client: 2 },
      ["CLIENT", "KILL", "TYPE", "normal"],
      { cmd: ["PING"], client: 1 },
      { cmd: ["PING"], client: 2 },
      ["PING"],
    ],
  },
  {
    name: "client kill user",
    steps: [
      { cmd: ["PING"], client: 1 },
      ["CLIENT", "KILL", "USER", "default"],
      { cmd: ["PING"], client: 1 },
      ["PING"],
    ],
  },
  {
    name: "client kill skipme no kills the caller after its reply",
    steps: [
      { cmd: ["PING"], client: 1 },
      ["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"],
      ["PING"],
      { cmd: ["PING"], client: 1 },
    ],
  },
  {
    name: "client kill of self skips pipelined commands",
    steps: [
      {
        cmd: [],
        raw:
          "*6\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTYPE\r\n$6\r\nnormal\r\n$6\r\nSKIPME\r\n$2\r\nno\r\n" +
          "*3\r\n$3\r\nSET\r\n$7\r\ncl:kill\r\n$1\r\n1\r\n",
      },
      { cmd: ["PING"], client: 1 },
    ],
  },
  {
    name: "client subcommands inside multi",
    steps: [
      ["MULTI"],
      ["CLIENT", "SETNAME", "in-multi"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "bad name"],
      ["CLIENT", "NOSUCH"],
      ["EXEC"],
      ["MULTI"],
      ["CLIENT", "SETNAME", "in-multi"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "NO-EVICT", "on"],
      ["CLIENT", "GETREDIR"],
      ["EXEC"],
      ["CLIENT", "GETNAME"],
    ],
  },
]);

/** Fields of Redis 7.0's CLIENT LIST line, in order. */
const FIELDS = [
  "id",
  "addr",
  "laddr",
  "fd",
  "name",
  "age",
  "idle",
  "flags",
  "db",
  "sub",
  "psub",
  "ssub",
  "multi",
  "qbuf",
  "qbuf-free",
  "argv-mem",
  "multi-mem",
  "rbs",
  "rbp",
  "obl",
  "oll",
  "omem",
  "tot-mem",
  "events",
  "cmd",
  "user",
  "redir",
  "resp",
];

/** Fields whose values depend on the server's process, sockets and allocator: checked for form only. */
const NUMERIC_VARIABLE = new Set(["fd", "qbuf", "qbuf-free", "rbs", "rbp", "obl", "oll", "omem", "tot-mem"]);
/** Times in seconds: both are 0 or 1 in these short tests. */
const SECONDS = new Set(["age", "idle"]);

/**
 * One side of a scenario: opens connections and names each one (A, B, ...) so that ids and
 * addresses in replies can be replaced by the name of the connection they belong to.
 */
class Side {
  private readonly names = new Map<string, string>();
  private readonly conns: RawConnection[] = [];
  constructor(private readonly port: number) {}

  /** A connection that has sent nothing yet. */
  async fresh(): Promise<RawConnection> {
    const conn = await RawConnection.connect(this.port);
    this.conns.push(conn);
    return conn;
  }

  async open(name: string): Promise<RawConnection> {
    const conn = await RawConnection.connect(this.port);
    this.conns.push(conn);
    const id = await conn.call("CLIENT", "ID");
    const info = await conn.call("CLIENT", "INFO");
    const fields = parseLine(String(info!.value).trim());
    this.names.set(`id:${String(id!.value)}`, name);
    this.names.set(`addr:${fields.get("addr")}`, name);
    this.names.set(`laddr:${fields.get("laddr")}`, "server");
    return conn;
  }

  /** The connection's id as this server numbers it. */
  idOf(name: string): string {
    for (const [key, value] of this.names) if (value === name && key.startsWith("id:")) return key.slice(3);
    throw new Error(`no connection ${name}`);
  }

  addrOf(name: string): string {
    for (const [key, value] of this.names) if (value === name && key.startsWith("addr:")) return key.slice(5);
    throw new Error(`no connection ${name}`);
  }

  laddr(): string {
    for (const [key] of this.names) if (key.startsWith("laddr:")) return key.slice(6);
    throw new Error("no connection yet");
  }

  /** A reply as text, with CLIENT LIST lines normalized and null for a closed connection. */
  describe(reply: Parsed | null): string {
    if (reply === null) return "(closed)";
    if (reply.type === "$" || reply.type === "=") {
      const text = String(reply.value);
      if (text.includes("id=")) {
        const body = reply.type === "=" ? text.slice(4) : text;
        const lines = body.split("\n");
        assert.equal(lines.pop(), "", "every line ends with a newline");
        return `${reply.type}${reply.type === "=" ? text.slice(0, 4) : ""}${lines.map((l) => this.normalize(l)).join("\n")}`;
      }
    }
    if (Array.isArray(reply.value)) {
      // HELLO's map: the value after "id" is a connection id.
      const items = reply.value;
      const parts = items.map((item, i) =>
        items[i - 1]?.value === "id" ? this.describe(item) : item.raw.toString("latin1"),
      );
      return `${reply.type}${items.length}[${parts.join(",")}]`;
    }
    if (reply.type === ":" && this.names.has(`id:${String(reply.value)}`)) {
      return `:<id of ${this.names.get(`id:${String(reply.value)}`)}>`;
    }
    return reply.raw.toString("latin1");
  }

  /** Checks a CLIENT LIST line's field order and value forms; masks values that legitimately differ. */
  normalize(line: string): string {
    const fields = parseLine(line);
    assert.deepEqual([...fields.keys()], FIELDS, `field names and order of ${line}`);
    const out: string[] = [];
    for (const [key, value] of fields) {
      if (key === "id") out.push(`id=<${this.names.get(`id:${value}`) ?? "unknown"}>`);
      else if (key === "addr") out.push(`addr=<${this.names.get(`addr:${value}`) ?? "unknown"}>`);
      else if (key === "laddr") out.push(`laddr=<${this.names.get(`laddr:${value}`) ?? "unknown"}>`);
      else if (NUMERIC_VARIABLE.has(key)) {
        assert.match(value, /^-?\d+$/, `${key} is an integer in ${line}`);
        out.push(`${key}=<n>`);
      } else if (SECONDS.has(key)) {
        assert.match(value, /^[01]$/, `${key} in ${line}`);
        out.push(`${key}=<s>`);
      } else out.push(`${key}=${value}`);
    }
    return out.join(" ");
  }

  close(): void {
    for (const conn of this.conns) conn.close();
  }
}

function parseLine(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of line.split(" ")) {
    const eq = part.indexOf("=");
    assert.ok(eq > 0, `field ${part} of ${line}`);
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

/** A scenario runs on one side and returns what it observed, normalized. */
type Scenario = (side: Side) => Promise<string[]>;

describe("CLIENT values that differ by server, compared field by field", () => {
  let redis: RealRedis;
  let reddish: ReddishServer;
  before(async () => {
    redis = await startRealRedis();
    reddish = await startServer();
  });
  after(async () => {
    await redis.stop();
    await reddish.close();
  });

  function scenario(name: string, run: Scenario): void {
    test(name, async () => {
      const sides = [new Side(redis.port), new Side(reddish.port)];
      try {
        const [expected, actual] = await Promise.all(sides.map((side) => run(side)));
        assert.deepEqual(actual, expected);
      } finally {
        for (const side of sides) side.close();
      }
    });
  }

  scenario("list and info fields", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const out: string[] = [];
    const see = async (conn: RawConnection, ...args: string[]) =>
      out.push(side.describe(await conn.call(...args)));
    await see(a, "CLIENT", "SETNAME", "alpha");
    await see(b, "SELECT", "2");
    await see(a, "CLIENT", "LIST");
    await see(a, "CLIENT", "INFO");
    await see(b, "CLIENT", "INFO");
    await see(a, "CLIENT", "LIST", "TYPE", "normal");
    await see(a, "CLIENT", "LIST", "ID", side.idOf("B"), side.idOf("A"), side.idOf("B"), "99999");
    await see(a, "CLIENT", "ID");
    await see(b, "HELLO", "3");
    await see(b, "CLIENT", "INFO");
    await see(b, "CLIENT", "LIST", "ID", side.idOf("A"));
    await see(b, "RESET");
    await see(b, "CLIENT", "INFO");
    return out;
  });

  scenario("flags, multi, cmd and db of another connection", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const out: string[] = [];
    const see = async (conn: RawConnection, ...args: string[]) =>
      out.push(side.describe(await conn.call(...args)));
    const listB = () => see(a, "CLIENT", "LIST", "ID", side.idOf("B"));
    await see(b, "MULTI");
    await see(b, "SET", "cl:f", "1");
    await see(b, "GET", "cl:f");
    await listB();
    await see(b, "DISCARD");
    await see(b, "WATCH", "cl:w");
    await see(a, "SET", "cl:w", "1");
    await listB();
    await see(b, "CLIENT", "NO-EVICT", "on");
    await listB();
    await see(b, "UNWATCH");
    await see(b, "NOSUCH");
    await listB();
    await see(b, "GET");
    await listB();
    await see(b, "CLIENT", "NOSUCH");
    await listB();
    await see(b, "CLIENT", "SETNAME", "bee");
    await see(b, "SELECT", "9");
    await listB();
    await side.fresh();
    const list = (await a.call("CLIENT", "LIST"))!;
    // The newest connection has sent nothing: no last command.
    const last = String(list.value).trim().split("\n").pop()!;
    out.push(last.replace(/^.* cmd=/, "cmd="));
    return out;
  });

  scenario("kill by id", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const out: string[] = [];
    const see = async (conn: RawConnection, ...args: string[]) =>
      out.push(side.describe(await conn.call(...args)));
    await see(a, "CLIENT", "KILL", "ID", side.idOf("B"));
    await see(b, "PING");
    await see(a, "CLIENT", "KILL", "ID", side.idOf("B"));
    await see(a, "CLIENT", "KILL", "ID", side.idOf("A"));
    await see(a, "CLIENT", "KILL", "ID", side.idOf("A"), "SKIPME", "no");
    await see(a, "PING");
    return out;
  });

  scenario("kill by address, old form", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const out: string[] = [];
    const see = async (conn: RawConnection, ...args: string[]) =>
      out.push(side.describe(await conn.call(...args)));
    await see(a, "CLIENT", "KILL", side.addrOf("B"));
    await see(b, "PING");
    await see(a, "CLIENT", "KILL", side.addrOf("B"));
    // The old form may kill the caller: it gets +OK, then the connection closes.
    await see(a, "CLIENT", "KILL", side.addrOf("A"));
    await see(a, "PING");
    return out;
  });

  scenario("kill by addr and laddr filters", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const c = await side.open("C");
    const out: string[] = [];
    const see = async (conn: RawConnection, ...args: string[]) =>
      out.push(side.describe(await conn.call(...args)));
    await see(a, "CLIENT", "KILL", "ADDR", side.addrOf("B"), "TYPE", "normal");
    await see(a, "CLIENT", "KILL", "ADDR", side.addrOf("C"), "TYPE", "pubsub");
    await see(a, "CLIENT", "KILL", "ADDR", side.addrOf("A"));
    await see(a, "CLIENT", "KILL", "LADDR", side.laddr(), "ID", side.idOf("C"));
    await see(b, "PING");
    await see(c, "PING");
    await see(a, "CLIENT", "KILL", "LADDR", side.laddr(), "SKIPME", "no");
    await see(a, "PING");
    return out;
  });

  scenario("ids grow and HELLO reports the connection id", async (side) => {
    const a = await side.open("A");
    const b = await side.open("B");
    const out: string[] = [];
    out.push(String(Number(side.idOf("B")) > Number(side.idOf("A"))));
    out.push(side.describe(await b.call("CLIENT", "ID")));
    const hello = (await a.call("HELLO", "2"))!.value as Parsed[];
    const at = hello.findIndex((p) => p.value === "id");
    out.push(side.describe(hello[at + 1]!));
    return out;
  });
});

describe("CLIENT from the in-process API", () => {
  test("in-process callers see themselves but are not connections", async () => {
    const server = await startServer();
    const conn = await RawConnection.connect(server.port);
    try {
      const netId = (await conn.call("CLIENT", "ID"))!.value;
      const ownId = server.command("CLIENT", "ID");
      assert.equal(typeof ownId, "number");
      const list = String(server.command("CLIENT", "LIST"));
      const ids = list
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[0]);
      assert.deepEqual(ids, [`id=${netId}`, `id=${ownId}`]);
      assert.match(String(server.command("CLIENT", "INFO")), new RegExp(`^id=${ownId} addr= laddr= fd=-1 `));
      // The network connection does not list in-process callers.
      const seen = String((await conn.call("CLIENT", "LIST"))!.value);
      assert.equal(seen.trim().split("\n").length, 1);
      // In-process callers cannot be killed; the network connection can.
      assert.equal(server.command("CLIENT", "KILL", "ID", String(ownId), "SKIPME", "no"), 0);
      assert.equal(server.command("CLIENT", "KILL", "TYPE", "normal"), 1);
      assert.equal(await conn.read(), null);
    } finally {
      conn.close();
      await server.close();
    }
  });
});
