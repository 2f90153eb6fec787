/**
 * Parity: DUMP and RESTORE of streams (Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2): payloads of
 * streams built by commands must be byte-identical (nodes as Redis's listpacks, SAMEFIELDS,
 * deleted flags, LZF compression of big nodes), and a payload DUMPed by the real server (with
 * groups, consumers and a PEL, whose times it pins) restores to the same stream on both, and
 * DUMPs back to the same bytes.
 */
import { paritySuite } from "./harness.js";

/** DUMP of a stream made on redis-server 7.0.15: 6 entries (3-1 deleted), groups g (PEL held by
 * alice, bob, carol) and h (ENTRIESREAD 7). */
const PAYLOAD = Buffer.from(
  "13011000000000000000010000000000000001c34062406c076c0000002700050140000781660200010201002001048276310304200b0001600b0032200b0003200d40170033200b0002200d400b0034600b0004600b0035200b020001052003180201856f74686572067b01846e616d65058378797a040801ff0506010101030106020167040181ffffffffffffffff030000000000000001000000000000000132799941a201000001000000000000000200000000000000010068e5cf8b0100000200000000000000040000000000000001037a9941a2010000010305616c69636532799941a2010000010000000000000001000000000000000103626f6294799941a20100000100000000000000020000000000000001056361726f6c037a9941a20100000100000000000000040000000000000001016806010700000a0008452df95f3e4c03",
  "hex",
);

const entries = (key: string, n: number, ...extra: string[]) =>
  Array.from({ length: n }, (_, i) => ["XADD", key, `${i + 1}-${i % 3}`, "f", `v${i}`, ...extra]);

paritySuite("stream-dump", [
  {
    name: "dump of streams built by commands",
    steps: [
      ["XADD", "s", "1-1", "a", "1"],
      ["DUMP", "s"],
      ["XADD", "s", "1-2", "a", "2", "b", "3"],
      ["XADD", "s", "5-0", "a", "-17"],
      ["XADD", "s", "5-1", "b", "99999999999"],
      ["DUMP", "s"],
      ["XDEL", "s", "1-2"],
      ["DUMP", "s"],
      ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "3"],
      ["XGROUP", "CREATE", "s", "a", "$"],
      ["XSETID", "s", "9-9", "ENTRIESADDED", "12", "MAXDELETEDID", "3-3"],
      ["DUMP", "s"],
      ["XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"],
      ["DUMP", "e"],
      ["CONFIG", "SET", "stream-node-max-entries", "4"],
      ...entries("m", 11, "payload", "x".repeat(40)),
      ["XDEL", "m", "6-2", "7-0"],
      ["XTRIM", "m", "MAXLEN", "9"],
      ["DUMP", "m"],
      ["CONFIG", "SET", "rdbcompression", "no"],
      ["DUMP", "m"],
      ["CONFIG", "SET", "rdbcompression", "yes"],
      ["CONFIG", "SET", "stream-node-max-entries", "100"],
      ["RESTORE", "m2", "0", "\x13\x00\x00\x00\x00"],
    ],
  },
  {
    name: "restore a payload with groups, consumers and a PEL",
    steps: [
      ["RESTORE", "s", "0", PAYLOAD],
      ["TYPE", "s"],
      ["OBJECT", "ENCODING", "s"],
      ["XINFO", "STREAM", "s", "FULL"],
      ["XINFO", "GROUPS", "s"],
      ["XPENDING", "s", "g"],
      ["XRANGE", "s", "-", "+"],
      ["DUMP", "s"],
      ["RESTORE", "s", "0", PAYLOAD],
      ["RESTORE", "s", "0", PAYLOAD, "REPLACE"],
      ["XADD", "s", "7-1", "f", "v7"],
      ["XREADGROUP", "GROUP", "h", "dave", "STREAMS", "s", "0"],
      ["XACK", "s", "g", "1-1", "2-1"],
      ["XPENDING", "s", "g"],
      ["XINFO", "GROUPS", "s"],
      ["RESTORE", "t", "0", PAYLOAD.subarray(0, PAYLOAD.length - 12)],
      ["EXISTS", "t"],
    ],
  },
]);
