/**
 * The ACL rule logic (src/acl/): a selector's command description must rebuild exactly the
 * allowed set it describes (Redis panics otherwise), for random mixes of category and command
 * rules; key and channel checks follow the pattern flags.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { ACL_CATEGORIES, ALL_COMMAND_METAS, KEY_READ, KEY_WRITE, Selector } from "../../src/acl/selector.js";
import { hashPassword, User } from "../../src/acl/user.js";
import { startServer } from "../../src/index.js";

/** A small deterministic generator (xorshift32), so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test("describeCommands rebuilds the same allowed set for random rule mixes", () => {
  const next = rng(12345);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  for (let round = 0; round < 300; round++) {
    const s = new Selector(true);
    if (next() < 0.5) s.apply("+@all");
    const rules = Math.floor(next() * 8);
    for (let i = 0; i < rules; i++) {
      const sign = next() < 0.5 ? "+" : "-";
      if (next() < 0.5) s.apply(`${sign}@${pick(ACL_CATEGORIES)}`);
      else s.apply(`${sign}${pick(ALL_COMMAND_METAS).name}`);
    }
    const description = s.describeCommands();
    const rebuilt = new Selector(true);
    for (const rule of description.split(" ")) rebuilt.apply(rule);
    assert.deepEqual([...rebuilt.allowed].sort(), [...s.allowed].sort(), description);
    assert.equal(rebuilt.futureCommands, s.futureCommands, description);
  }
});

test("key patterns grant only the access they name", () => {
  const s = new Selector(true);
  for (const rule of ["%R~r*", "%W~w*", "~a*"]) s.apply(rule);
  assert.ok(s.allowsKey("r1", KEY_READ));
  assert.ok(!s.allowsKey("r1", KEY_WRITE));
  assert.ok(!s.allowsKey("r1", KEY_READ | KEY_WRITE));
  assert.ok(s.allowsKey("w1", KEY_WRITE));
  assert.ok(!s.allowsKey("w1", KEY_READ));
  assert.ok(s.allowsKey("a1", KEY_READ | KEY_WRITE));
  assert.ok(!s.allowsKey("b1", 0));
  assert.equal(s.describeKeys(), "%R~r* %W~w* ~a*");
});

test("channel patterns match channels by glob and patterns literally", () => {
  const s = new Selector(true);
  s.apply("&news.*");
  assert.ok(s.allowsChannel("news.a", false));
  assert.ok(!s.allowsChannel("sports", false));
  assert.ok(s.allowsChannel("news.*", true));
  assert.ok(!s.allowsChannel("news.a*", true));
});

test("passwords are SHA-256 hex and nopass accepts anything", () => {
  const u = new User("u");
  u.apply(">secret");
  assert.deepEqual(u.passwords, [hashPassword("secret")]);
  assert.match(u.passwords[0]!, /^[0-9a-f]{64}$/);
  assert.ok(u.checkPassword("secret"));
  assert.ok(!u.checkPassword("other"));
  u.apply("nopass");
  assert.ok(u.checkPassword("other"));
});

test("new connections must authenticate while the default user is off or has a password", async () => {
  const server = await startServer();
  const ask = (...commands: string[][]) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, "127.0.0.1", () =>
        socket.write(
          commands
            .map((c) => `*${c.length}\r\n${c.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`)
            .join(""),
        ),
      );
      let out = "";
      socket.on("data", (d) => {
        out += d.toString("latin1");
        if (out.split("\r\n").length > commands.length) {
          resolve(out);
          socket.destroy();
        }
      });
      socket.on("error", reject);
    });
  assert.equal(await ask(["ACL", "SETUSER", "default", ">pw"]), "+OK\r\n");
  assert.equal(await ask(["PING"]), "-NOAUTH Authentication required.\r\n");
  assert.equal(await ask(["AUTH", "pw"], ["ACL", "SETUSER", "default", "nopass"]), "+OK\r\n+OK\r\n");
  assert.equal(await ask(["PING"]), "+PONG\r\n");
  assert.equal(await ask(["ACL", "SETUSER", "default", "off"]), "+OK\r\n");
  assert.equal(await ask(["PING"]), "-NOAUTH Authentication required.\r\n");
  await server.close();
});
