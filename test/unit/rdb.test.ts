/** RDB serialization internals: CRC64, LZF, length and string encodings, DUMP payload framing. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ReplyError, startServer } from "../../src/index.js";
import {
  RDB_VERSION,
  RdbFormatError,
  RdbReader,
  RdbType,
  RdbWriter,
  canSerialize,
  crc64,
  createDumpPayload,
  loadDumpPayload,
  lzfCompress,
  lzfDecompress,
  registerRdbLoader,
  verifyDumpPayload,
} from "../../src/types/rdb.js";
import type { CollectionValue } from "../../src/types/value.js";

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

test("crc64 is Redis's Jones CRC (check value of 123456789)", () => {
  // Redis's crc64.c self-test: e9c6d914c4b8d9ca, stored little-endian.
  assert.equal(hex(crc64(Buffer.from("123456789"))), "cad9b8c414d9c6e9");
  assert.equal(hex(crc64(Buffer.alloc(0))), "0000000000000000");
  const data = Buffer.from("xx123456789yy");
  assert.equal(hex(crc64(data, 2, 11)), "cad9b8c414d9c6e9");
});

test("lengths use RDB's 6, 14, 32 and 64-bit forms", () => {
  const cases: [number, string][] = [
    [0, "00"],
    [63, "3f"],
    [64, "4040"],
    [16383, "7fff"],
    [16384, "8000004000"],
    [0xffffffff, "80ffffffff"],
    [0x100000000, "810000000100000000"],
  ];
  for (const [n, expected] of cases) {
    const w = new RdbWriter();
    w.length(n);
    assert.equal(hex(w.toBuffer()), expected, `length ${n}`);
    assert.equal(new RdbReader(w.toBuffer()).length(), n);
  }
  assert.throws(() => new RdbReader(Buffer.from("82", "hex")).length(), RdbFormatError);
  assert.throws(() => new RdbReader(Buffer.from("c0", "hex")).length(), RdbFormatError);
  assert.throws(() => new RdbReader(Buffer.from("80000000", "hex")).length(), RdbFormatError);
});

test("strings use integer encodings only for canonical 32-bit integers", () => {
  const cases: [string, string][] = [
    ["0", "c000"],
    ["-1", "c0ff"],
    ["127", "c07f"],
    ["-128", "c080"],
    ["128", "c18000"],
    ["-32768", "c10080"],
    ["32768", "c200800000"],
    ["2147483647", "c2ffffff7f"],
    ["-2147483648", "c200000080"],
    ["2147483648", "0a32313437343833363438"],
    ["007", "03303037"],
    ["+1", "022b31"],
    ["-0", "022d30"],
    ["", "00"],
    ["abc", "03616263"],
  ];
  for (const [s, expected] of cases) {
    const w = new RdbWriter();
    w.string(s);
    assert.equal(hex(w.toBuffer()), expected, JSON.stringify(s));
    assert.equal(new RdbReader(w.toBuffer()).string(), s);
  }
  const w = new RdbWriter();
  w.integerString(-9223372036854775808n);
  assert.equal(new RdbReader(w.toBuffer()).string(), "-9223372036854775808");
});

test("strings over 20 bytes are LZF-compressed when that saves 4 bytes", () => {
  const plain20 = new RdbWriter();
  plain20.string("a".repeat(20));
  assert.equal(plain20.toBuffer()[0], 20);
  const compressed = new RdbWriter();
  compressed.string("a".repeat(43));
  assert.equal(hex(compressed.toBuffer()), "c3092b016161e01e00016161");
  assert.equal(new RdbReader(compressed.toBuffer()).string(), "a".repeat(43));
  const incompressible = new RdbWriter();
  incompressible.string("abcdefghijklmnopqrstuvwxyz0123456789");
  assert.equal(incompressible.toBuffer()[0], 36);
});

test("LZF round-trips and rejects corrupt input", () => {
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  for (let i = 0; i < 200; i++) {
    const len = 3 + (rand() % 5000);
    const alphabet = 1 + (rand() % 20);
    const input = Buffer.alloc(len);
    for (let j = 0; j < len; j++) input[j] = rand() % alphabet;
    const out = lzfCompress(input, len + 64);
    assert.ok(out, "compressible with room to spare");
    const back = Buffer.alloc(len);
    assert.equal(lzfDecompress(out, back), len);
    assert.ok(back.equals(input));
  }
  // Too little room: compression gives up.
  assert.equal(lzfCompress(Buffer.from("abcdefghijklmnopqrstuvwxyz"), 22), null);
  // Literal run past the input, back reference before the start, truncated back reference,
  // output too small, empty input.
  assert.equal(lzfDecompress(Buffer.from("05616263", "hex"), Buffer.alloc(10)), 0);
  assert.equal(lzfDecompress(Buffer.from("00612005", "hex"), Buffer.alloc(10)), 0);
  assert.equal(lzfDecompress(Buffer.from("0061e005", "hex"), Buffer.alloc(10)), 0);
  assert.equal(lzfDecompress(Buffer.from("0161610061", "hex"), Buffer.alloc(2)), 0);
  assert.equal(lzfDecompress(Buffer.alloc(0), Buffer.alloc(0)), 0);
});

test("DUMP payload framing: type, value, version, CRC", () => {
  const p = createDumpPayload("hello");
  assert.equal(hex(p), "000568656c6c6f0a006372df766534200a"); // redis-server 7.0.15's DUMP of "hello"
  assert.equal(verifyDumpPayload(p), true);
  assert.equal(loadDumpPayload(p), "hello");
  const badCrc = Buffer.from(p);
  badCrc[badCrc.length - 1] ^= 1;
  assert.equal(verifyDumpPayload(badCrc), false);
  assert.equal(verifyDumpPayload(p.subarray(0, 9)), false);
  const withVersion = (v: number) => {
    const body = Buffer.concat([Buffer.from("000161", "hex"), Buffer.from([v & 0xff, v >> 8])]);
    return Buffer.concat([body, crc64(body)]);
  };
  assert.equal(verifyDumpPayload(withVersion(RDB_VERSION)), true);
  assert.equal(verifyDumpPayload(withVersion(9)), true);
  assert.equal(verifyDumpPayload(withVersion(RDB_VERSION + 1)), false);
});

/** redis-server 7.0.15's DUMP of a stream holding one entry (XADD st 1-1 a 1). */
const STREAM_DUMP =
  "130110000000000000000100000000000000011c1c0000000a00010100010101816102000102010001000101010401ff" +
  "0101010101000001000a00297d780fd88aa62c";

test("payloads of types without a loader are format errors; loaders can be registered", () => {
  // redis-server 7.0.15's DUMP of a stream with one entry: streams have a loader now.
  const stream = Buffer.from(STREAM_DUMP, "hex");
  assert.equal(verifyDumpPayload(stream), true);
  const loaded = loadDumpPayload(stream);
  assert.equal((loaded as CollectionValue).type, "stream");
  assert.equal(canSerialize(loaded), true);
  // A pre-release module type byte has no loader.
  const module = Buffer.concat([Buffer.from("0600", "hex"), Buffer.from([10, 0])]);
  assert.throws(() => loadDumpPayload(Buffer.concat([module, crc64(module)])), RdbFormatError);
  // A family module adds its type like this (here a throwaway loader for an unused type byte).
  registerRdbLoader(RdbType.MODULE_2, (r) => `module:${r.string()}`);
  const body = Buffer.from("07036162630a00", "hex");
  assert.equal(loadDumpPayload(Buffer.concat([body, crc64(body)])), "module:abc");
});

test("RESTORE answers Bad data format for types not implemented yet", async () => {
  const server = await startServer({ listen: false });
  try {
    // A pre-release module type byte; redis-server 7.0.15's DUMP of a stream restores.
    const module = Buffer.concat([Buffer.from("0600", "hex"), Buffer.from([10, 0])]);
    assert.throws(
      () => server.command("RESTORE", "k", "0", Buffer.concat([module, crc64(module)])),
      (e: unknown) => e instanceof ReplyError && e.message === "ERR Bad data format",
    );
    assert.equal(server.command("EXISTS", "k"), 0);
    assert.equal(String(server.command("RESTORE", "st", "0", Buffer.from(STREAM_DUMP, "hex"))), "OK");
    assert.equal(server.command("XLEN", "st"), 1);
    assert.equal(server.command("EXISTS", "k"), 0);
    assert.equal(String(server.command("RESTORE", "k", "0", createDumpPayload("x".repeat(100)))), "OK");
    assert.equal(server.command("GET", "k"), "x".repeat(100));
  } finally {
    await server.close();
  }
});
