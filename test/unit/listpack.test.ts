/** Listpack, intset, ziplist and zipmap serializers and parsers (byte layouts of Redis 7.0). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeIntset, intsetWidthOf, parseIntset } from "../../src/types/intset.js";
import {
  ListpackBuilder,
  backlenSize,
  encodeListpack,
  listpackEntrySize,
  listpackInteger,
  parseListpack,
} from "../../src/types/listpack.js";
import { parseZiplist, parseZipmap } from "../../src/types/ziplist.js";

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** The entries part of a one-element listpack (header and end byte stripped). */
function entryHex(s: string): string {
  const lp = encodeListpack([s]);
  return hex(lp.subarray(6, lp.length - 1));
}

test("listpack header, end byte and a small hash as redis-server 7.0.15 dumps it", () => {
  // From DUMP of HSET h f v a 1: 18 bytes, 4 elements.
  assert.equal(hex(encodeListpack(["f", "v", "a", "1"])), "1200000004008166028176028161020101ff");
  assert.equal(hex(encodeListpack([])), "070000000000ff");
  assert.equal(hex(new ListpackBuilder().finish()), "070000000000ff");
});

test("listpack integer encodings at every boundary", () => {
  const cases: [string, string][] = [
    ["0", "0001"],
    ["127", "7f01"],
    ["128", "c08002"],
    ["-1", "dfff02"],
    ["4095", "cfff02"],
    ["-4096", "d00002"],
    ["4096", "f1001003"],
    ["-4097", "f1ffef03"],
    ["32767", "f1ff7f03"],
    ["-32768", "f1008003"],
    ["32768", "f200800004"],
    ["8388607", "f2ffff7f04"],
    ["-8388608", "f200008004"],
    ["8388608", "f30000800005"],
    ["2147483647", "f3ffffff7f05"],
    ["-2147483648", "f30000008005"],
    ["2147483648", "f4000000800000000009"],
    ["9223372036854775807", "f4ffffffffffffff7f09"],
    ["-9223372036854775808", "f4000000000000008009"],
  ];
  for (const [s, expected] of cases) {
    assert.equal(entryHex(s), expected, s);
    assert.equal(listpackEntrySize(s), expected.length / 2, `size of ${s}`);
    const parsed = parseListpack(encodeListpack([s]));
    assert.ok(parsed);
    assert.equal(String(parsed[0]), s);
  }
  // Beyond ±2^53 integers come back as bigints, exactly.
  const big = parseListpack(encodeListpack(["9007199254740993"]))!;
  assert.equal(big[0], 9007199254740993n);
  assert.equal(parseListpack(encodeListpack(["9007199254740991"]))![0], 9007199254740991);
});

test("listpack strings: non-canonical integers stay strings", () => {
  for (const s of [
    "007",
    "+1",
    "-0",
    " 1",
    "1.0",
    "",
    "9223372036854775808",
    "-9223372036854775809",
    "abc",
  ]) {
    assert.equal(listpackInteger(s), undefined, s);
    assert.equal(parseListpack(encodeListpack([s]))![0], s);
  }
  assert.equal(entryHex(""), "8001");
  assert.equal(entryHex("abc"), "8361626304");
});

test("listpack string encodings and backlen sizes", () => {
  const check = (n: number, header: string, backlen: string) => {
    const lp = encodeListpack(["y".repeat(n)]);
    const entries = lp.subarray(6, lp.length - 1);
    assert.equal(hex(entries.subarray(0, header.length / 2)), header, `header of ${n}`);
    assert.equal(hex(entries.subarray(entries.length - backlen.length / 2)), backlen, `backlen of ${n}`);
    assert.equal(listpackEntrySize("y".repeat(n)), entries.length);
    assert.equal(parseListpack(lp)![0], "y".repeat(n));
  };
  check(63, "bf", "40");
  check(64, "e040", "42");
  check(125, "e07d", "7f");
  check(126, "e07e", "0180"); // body 128: two backlen bytes
  check(4095, "efff", "2081");
  check(4096, "f000100000", "2085"); // body 4101 = 32 * 128 + 5
  check(16377, "f0f93f0000", "7ffe"); // body 16382
  check(16378, "f0fa3f0000", "00ffff"); // body 16383: three bytes
  check(100000, "f0a0860100", "068da5"); // body 100005 = 6 * 16384 + 13 * 128 + 37
  assert.deepEqual(
    [127, 128, 16382, 16383, 2097150, 2097151, 268435454, 268435455].map(backlenSize),
    [1, 2, 2, 3, 3, 4, 4, 5],
  );
});

test("listpack builder appends integers directly and counts 65535+ elements as unknown", () => {
  const b = new ListpackBuilder();
  b.appendInteger(5)
    .appendInteger(-5000)
    .appendInteger(2n ** 40n)
    .appendInteger(4611686018427387904);
  assert.equal(b.length, 4);
  assert.deepEqual(parseListpack(b.finish()), [5, -5000, 2 ** 40, 4611686018427387904n]);
  const many = new ListpackBuilder();
  for (let i = 0; i < 70000; i++) many.appendInteger(i % 100);
  const lp = many.finish();
  assert.equal(lp.readUInt16LE(4), 0xffff);
  assert.equal(lp.readUInt32LE(0), lp.length);
  assert.equal(parseListpack(lp)!.length, 70000);
  const exact = new ListpackBuilder();
  for (let i = 0; i < 65534; i++) exact.appendInteger(1);
  assert.equal(exact.finish().readUInt16LE(4), 65534);
  exact.appendInteger(1);
  assert.equal(exact.finish().readUInt16LE(4), 0xffff);
});

test("listpack parser round trips mixed entries", () => {
  let seed = 9;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let round = 0; round < 200; round++) {
    const items: string[] = [];
    const n = rand(40);
    for (let i = 0; i < n; i++) {
      const kind = rand(4);
      items.push(
        kind === 0
          ? String(rand(2 ** 30) - 2 ** 29)
          : kind === 1
            ? String(BigInt(rand(2 ** 30)) * 2n ** BigInt(rand(33)) * (rand(2) ? 1n : -1n))
            : Array.from({ length: rand(kind === 2 ? 70 : 5000) }, () => String.fromCharCode(rand(256))).join(
                "",
              ),
      );
    }
    const lp = encodeListpack(items);
    assert.equal(lp.readUInt32LE(0), lp.length);
    assert.deepEqual(parseListpack(lp)!.map(String), items);
  }
});

test("listpack parser rejects malformed blobs", () => {
  const lp = encodeListpack(["a", "1", "hello", "300"]);
  assert.ok(parseListpack(lp));
  const patched = (i: number, v: number) => {
    const c = Buffer.from(lp);
    c[i < 0 ? c.length + i : i] = v;
    return c;
  };
  assert.equal(parseListpack(lp.subarray(0, 6)), null); // too short
  assert.equal(parseListpack(patched(0, 99)), null); // total bytes
  assert.equal(parseListpack(patched(-1, 0)), null); // end byte
  assert.equal(parseListpack(patched(4, 3)), null); // element count
  assert.ok(parseListpack(Buffer.from(lp).fill(0xff, 4, 6))); // an unknown count is fine
  assert.equal(parseListpack(patched(8, 9)), null); // backlen of "a"
  assert.equal(parseListpack(patched(6, 0xf5)), null); // unknown encoding
  assert.equal(parseListpack(patched(6, 0xff)), null); // end byte too early
  assert.equal(parseListpack(patched(6, 0x8a)), null); // string running past the end
  // Every truncation with a fixed-up header is rejected.
  for (let n = 7; n < lp.length; n++) {
    const t = Buffer.concat([lp.subarray(0, n - 1), Buffer.from([0xff])]);
    t.writeUInt32LE(t.length, 0);
    assert.equal(parseListpack(t), null, `truncated to ${n}`);
  }
  // A 12-bit string header cut by the end byte.
  const s = Buffer.from("0900000001" + "00e0ff", "hex");
  s.writeUInt32LE(s.length, 0);
  assert.equal(parseListpack(s), null);
});

test("intset encoding widths, stickiness and parsing", () => {
  assert.equal(hex(encodeIntset(["1", "2", "3"])), "0200000003000000010002000300");
  assert.equal(hex(encodeIntset(["1"], 8)), "08000000" + "01000000" + "0100000000000000");
  assert.equal(hex(encodeIntset(["-32769", "1"])), "0400000002000000ff7fffff01000000");
  assert.equal(encodeIntset(["1", "2147483648"]).readUInt32LE(0), 8);
  assert.equal(encodeIntset(["-9223372036854775808", "9223372036854775807"]).length, 8 + 16);
  const widths: [string, number][] = [
    ["0", 2],
    ["-32768", 2],
    ["32767", 2],
    ["32768", 4],
    ["-32769", 4],
    ["99999", 4],
    ["2147483647", 4],
    ["-2147483648", 4],
    ["2147483648", 8],
    ["-2147483649", 8],
    ["10000000000", 8],
  ];
  for (const [s, w] of widths) assert.equal(intsetWidthOf(s), w, s);
  const members = ["-9223372036854775808", "-5", "0", "70000", "9223372036854775807"];
  assert.deepEqual(parseIntset(encodeIntset(members)), { members, width: 8 });
  assert.deepEqual(parseIntset(encodeIntset(["1", "2"], 4)), { members: ["1", "2"], width: 4 });
  const good = encodeIntset(["1", "2"]);
  assert.equal(parseIntset(Buffer.from("0200000000000000", "hex")), null); // empty
  assert.equal(parseIntset(Buffer.from(good).fill(3, 0, 1)), null); // width
  assert.equal(parseIntset(Buffer.from(good).fill(3, 4, 5)), null); // length
  assert.equal(parseIntset(good.subarray(0, 5)), null);
  assert.equal(parseIntset(Buffer.from("02000000020000000200010000", "hex").subarray(0, 12)), null); // unsorted
  assert.equal(parseIntset(Buffer.from("020000000200000001000100", "hex")), null); // duplicate
});

/** A ziplist entry list for the parser tests: prevlen/encoding bytes built by hand. */
function zl(entriesHex: string[], countOverride?: number): Buffer {
  const parts: Buffer[] = [];
  let prev = 0;
  let tail = 10;
  let offset = 10;
  for (const e of entriesHex) {
    const body = Buffer.from(e, "hex");
    const prevlen = prev < 254 ? Buffer.from([prev]) : Buffer.concat([Buffer.from([254]), le32(prev)]);
    const entry = Buffer.concat([prevlen, body]);
    tail = offset;
    offset += entry.length;
    prev = entry.length;
    parts.push(entry);
  }
  const h = Buffer.alloc(10);
  h.writeUInt32LE(offset + 1, 0);
  h.writeUInt32LE(tail, 4);
  h.writeUInt16LE(countOverride ?? entriesHex.length, 8);
  return Buffer.concat([h, ...parts, Buffer.from([0xff])]);
}

function le32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

test("ziplist parser: every encoding", () => {
  const long = "z".repeat(300);
  const entries = parseZiplist(
    zl([
      "0161", // "a"
      "40" + "03" + "626364", // 14-bit length "bcd"
      "80" + "00000002" + "6566", // 32-bit length "ef"
      "f1", // 0
      "fd", // 12
      "fe" + "80", // int8 -128
      "c0" + "0080", // int16 -32768
      "f0" + "000080", // int24 -8388608
      "d0" + "00000080", // int32
      "e0" + "0000000000000080", // int64 min
      "e0" + "0100000000002000", // 2^53 + 1
      "41" + "2c" + Buffer.from(long).toString("hex"), // 300 bytes: next prevlen is 5 bytes
      "f2",
    ]),
  );
  assert.deepEqual(entries, [
    "a",
    "bcd",
    "ef",
    0,
    12,
    -128,
    -32768,
    -8388608,
    -2147483648,
    -9223372036854775808n,
    9007199254740993n,
    long,
    1,
  ]);
  assert.deepEqual(parseZiplist(zl([])), []);
  assert.deepEqual(parseZiplist(zl(["0161", "0162"], 0xffff)), ["a", "b"]);
});

test("ziplist parser rejects malformed blobs", () => {
  const good = zl(["0161", "f5", "0162"]);
  assert.deepEqual(parseZiplist(good), ["a", 4, "b"]);
  const patched = (i: number, v: number) => {
    const c = Buffer.from(good);
    c[i < 0 ? c.length + i : i] = v;
    return c;
  };
  assert.equal(parseZiplist(good.subarray(0, 10)), null);
  assert.equal(parseZiplist(patched(0, 50)), null); // zlbytes
  assert.equal(parseZiplist(patched(-1, 0)), null); // end byte
  assert.equal(parseZiplist(patched(4, 11)), null); // tail not at the last entry
  assert.equal(parseZiplist(patched(4, 200)), null); // tail outside
  assert.equal(parseZiplist(patched(8, 2)), null); // count
  assert.equal(parseZiplist(patched(10, 1)), null); // first prevlen
  assert.equal(parseZiplist(patched(13, 5)), null); // prevlen of the 2nd entry
  assert.equal(parseZiplist(patched(14, 0xc1)), null); // invalid encoding
  assert.equal(parseZiplist(patched(14, 0xff)), null); // end byte as encoding
  assert.equal(parseZiplist(patched(11, 0x09)), null); // string past the end
  assert.equal(parseZiplist(patched(10, 0xff)), null); // 0xFF prevlen: the end too early
});

test("zipmap parser", () => {
  const zm = Buffer.concat([
    Buffer.from([2]),
    Buffer.from([1]),
    Buffer.from("a"),
    Buffer.from([2, 3]),
    Buffer.from("vv"),
    Buffer.alloc(3),
    Buffer.from([254]),
    le32(3),
    Buffer.from("big"),
    Buffer.from([0, 0]),
    Buffer.from([0xff]),
  ]);
  assert.deepEqual(parseZipmap(zm), ["a", "vv", "big", ""]);
  const unknownCount = Buffer.from(zm);
  unknownCount[0] = 254;
  assert.deepEqual(parseZipmap(unknownCount), ["a", "vv", "big", ""]);
  const badCount = Buffer.from(zm);
  badCount[0] = 3;
  assert.equal(parseZipmap(badCount), null);
  assert.equal(parseZipmap(Buffer.from([0, 0xff])), null); // empty
  assert.equal(parseZipmap(Buffer.from([1, 0xff, 0])), null); // no end byte
  assert.equal(parseZipmap(zm.subarray(0, 8)), null);
  const freeTooBig = Buffer.from(zm);
  freeTooBig[4] = 200; // the free-bytes count of the first value
  assert.equal(parseZipmap(freeTooBig), null);
});
