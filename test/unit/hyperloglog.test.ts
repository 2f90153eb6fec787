/** HyperLogLog internals: the 32-bit-halves MurmurHash64A against a BigInt reference, keyspace events. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "../../src/index.js";
import { hllSelfTest, murmurHash64ABig, murmurHashU64Big, patternOf } from "../../src/types/hyperloglog.js";

const MASK = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

/** MurmurHash64A written directly from its definition on 64-bit BigInts. */
function reference(bytes: Buffer): bigint {
  let h = (0xadc83b19n ^ (BigInt(bytes.length) * M)) & MASK;
  const blocks = bytes.length - (bytes.length & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = bytes.readBigUInt64LE(i);
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  const rest = bytes.length & 7;
  if (rest) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(bytes[blocks + j]!) << BigInt(8 * j);
    h = (h * M) & MASK;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

test("MurmurHash64A on 32-bit halves equals the 64-bit definition", () => {
  const samples = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "\xff\xfe\x80\x00", "x".repeat(1000)];
  for (let i = 0; i < 2000; i++) {
    let s = "";
    const len = (i * 7919) % 41;
    for (let j = 0; j < len; j++) s += String.fromCharCode((i * 31 + j * 131) & 0xff);
    samples.push(s);
  }
  for (const s of samples)
    assert.equal(murmurHash64ABig(s), reference(Buffer.from(s, "latin1")), JSON.stringify(s));
});

test("the self test's 8-byte integer hash equals the string hash of its bytes", () => {
  for (const [hi, lo] of [
    [0, 0],
    [0, 1],
    [0x7fffffff, 0xffffffff],
    [0x12345678, 0x9abcdef0],
    [0xffffffff, 0xffffffff],
  ] as const) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(lo, 0);
    bytes.writeUInt32LE(hi, 4);
    assert.equal(murmurHashU64Big(hi, lo), reference(bytes));
  }
});

test("register index and run length follow hllPatLen", () => {
  for (const s of ["a", "b", "hello", "\x00"]) {
    const h = reference(Buffer.from(s, "latin1"));
    const index = Number(h & 0x3fffn);
    let rest = (h >> 14n) | (1n << 50n);
    let count = 1;
    while ((rest & 1n) === 0n) {
      count++;
      rest >>= 1n;
    }
    assert.deepEqual(patternOf(s), { index, count });
  }
});

test("PFADD and PFMERGE raise pfadd string events only when they change the value", async () => {
  // Keyspace.notify raises only the classes notify-keyspace-events enables.
  const server = await startServer({ listen: false, config: { "notify-keyspace-events": "KE$" } });
  const events: string[] = [];
  server.core.keyspace.addListener({
    keyspaceEvent: (_db, klass, event, key) => events.push(`${klass}:${event}:${key}`),
  });
  server.command("PFADD", "h", "a");
  server.command("PFADD", "h", "a");
  server.command("PFCOUNT", "h");
  server.command("PFMERGE", "m", "h");
  assert.deepEqual(events, ["8:pfadd:h", "8:pfadd:m"]);
  await server.close();
});

test("PFSELFTEST's checks pass (register access, estimation error, dense and sparse agree)", async () => {
  let seed = 12345;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 1);
  assert.equal(hllSelfTest(rand, 3000), undefined);
  const server = await startServer({ listen: false });
  assert.equal(server.command("PFSELFTEST")?.toString(), "OK");
  await server.close();
});
