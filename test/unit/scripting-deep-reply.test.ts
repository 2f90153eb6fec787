/**
 * A script that returns a table containing itself: Redis 7.0 converts it until the Lua stack is
 * full (LUAI_MAXCSTACK), then writes "reached lua stack limit" in its place. The parity harness's
 * reply parser cannot descend 8000 levels, so these compare raw bytes with redis-server 7.0.15's,
 * recorded as MD5 sums with their lengths (reproduce: send the same EVAL over a raw socket).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import net from "node:net";
import { test } from "node:test";
import { startServer } from "../../src/index.js";
import { encodeCommand } from "../parity/harness.js";

/** Sends commands on one connection and returns every byte received until it is quiet. */
async function rawReplies(port: number, commands: string[][]): Promise<Buffer[]> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const out: Buffer[] = [];
  for (const cmd of commands) {
    socket.write(encodeCommand(cmd));
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, 300);
      const onData = (d: Buffer) => {
        chunks.push(d);
        clearTimeout(timer);
        timer = setTimeout(() => {
          socket.off("data", onData);
          resolve();
        }, 100);
      };
      socket.on("data", onData);
    });
    out.push(Buffer.concat(chunks));
  }
  socket.destroy();
  return out;
}

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
const LIMIT = "-ERR reached lua stack limit\r\n";

test("self-containing tables end with Redis's stack-limit error", async () => {
  const server = await startServer({ port: 0 });
  const lib =
    "#!lua name=deep\nredis.register_function('deep', function() local t = {} t[1] = t return t end)";
  const [loaded, evalReply, fcallReply, , map, mapKey, set, nested, stats] = await rawReplies(server.port, [
    ["FUNCTION", "LOAD", lib],
    ["EVAL", "local t = {} t[1] = t return t", "0"],
    ["FCALL", "deep", "0"],
    ["HELLO", "3"],
    ["EVAL", "local t = {map={}} t.map.k = t return t", "0"],
    ["EVAL", "local t = {map={}} t.map[t] = 1 return t", "0"],
    ["EVAL", "local t = {set={}} t.set[t] = true return t", "0"],
    ["EVAL", "local t = {} t[1] = {map={k=t}} return t", "0"],
    ["INFO", "errorstats"],
  ]);
  assert.equal(loaded!.toString(), "$4\r\ndeep\r\n");
  // 7995 nested one-element arrays, the error innermost.
  const expected = "*1\r\n".repeat(7995) + LIMIT;
  assert.equal(evalReply!.toString(), expected);
  assert.equal(fcallReply!.toString(), expected);
  assert.deepEqual([map!.length, md5(map!)], [29368, "4f0584ceb60926041e8a3196ba730080"]);
  assert.deepEqual([mapKey!.length, md5(mapKey!)], [16048, "aacf4730b80cc059385c25564ae650d7"]);
  assert.deepEqual([set!.length, md5(set!)], [10690, "d6ced3c6db27da3fa1c2fea912b9b2c4"]);
  assert.deepEqual([nested!.length, md5(nested!)], [30038, "f97897ee2a246796976b19c457d09896"]);
  // Each stack-limit error written is an error reply, counted as ERR.
  const written = [evalReply, fcallReply, map, mapKey, set, nested].reduce(
    (n, b) => n + b!.toString().split(LIMIT).length - 1,
    0,
  );
  assert.match(stats!.toString(), new RegExp(`errorstat_ERR:count=${written}\\r\\n`));
  await server.close();
});
