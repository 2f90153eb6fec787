/**
 * LCS: the longest common subsequence of two string values, by the same dynamic programming table
 * and backtracking walk as Redis 7.0, so ties resolve to the same subsequence and match ranges.
 */
import { Err, RedisError, StringErr } from "../errors.js";
import type { Client } from "../server/client.js";
import { latin1Slice } from "../resp/bytes.js";
import { stringBytes, type StringValue } from "../types/string.js";
import type { RedisValue } from "../types/value.js";
import { eqi, readBigInt } from "./args.js";
import { maxStringLength } from "./string-common.js";

function isStringOrAbsent(v: RedisValue | undefined): v is StringValue | undefined {
  return v === undefined || typeof v === "string" || v.type === "string";
}

const UINT32_MAX = 4294967295;

/** One matching range, as LCS IDX reports it (inclusive byte indexes in each string). */
interface LcsMatch {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
export function lcsCommand(c: Client): void {
  const argv = c.argv;
  const va = c.db.lookupRead(argv[1]!);
  const vb = c.db.lookupRead(argv[2]!);
  if (!isStringOrAbsent(va) || !isStringOrAbsent(vb)) throw new RedisError(StringErr.lcsNotStrings);
  const a = va === undefined ? "" : stringBytes(va);
  const b = vb === undefined ? "" : stringBytes(vb);
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const moreArgs = argv.length - 1 - j;
    if (eqi(opt, "idx")) getIdx = true;
    else if (eqi(opt, "len")) getLen = true;
    else if (eqi(opt, "withmatchlen")) withMatchLen = true;
    else if (eqi(opt, "minmatchlen") && moreArgs > 0) {
      const v = readBigInt(argv[++j]!);
      minMatchLen = v < 0n ? 0 : v > 2n ** 53n ? Number.MAX_SAFE_INTEGER : Number(v);
    } else throw new RedisError(Err.syntax);
  }
  if (getLen && getIdx) throw new RedisError(StringErr.lcsLenAndIdx);
  if (a.length >= UINT32_MAX - 1 || b.length >= UINT32_MAX - 1) throw new RedisError(StringErr.lcsTooLong);
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > maxStringLength(c)) throw new RedisError(StringErr.lcsMemoryLimit);
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    throw new RedisError(StringErr.lcsAllocFailed);
  }
  // table[i * (blen + 1) + j] = LCS length of a[0, i) and b[0, j).
  const row = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const base = i * row;
    const prev = base - row;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) table[base + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[base + j - 1]!;
        table[base + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * row + blen]!;
  if (getLen && !getIdx) {
    c.reply.integer(total);
    return;
  }

  // Walk back from the end, collecting the subsequence and the contiguous match ranges.
  const chars = Buffer.allocUnsafe(total);
  const matches: LcsMatch[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen; // alen means "no range in progress"
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * row + j]! > table[i * row + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) matches.push({ aStart, aEnd, bStart, bEnd });
      aStart = alen;
    }
  }

  if (!getIdx) {
    c.reply.bulk(latin1Slice(chars, 0, total));
    return;
  }
  c.reply.map(2);
  c.reply.bulk("matches");
  c.reply.array(matches.length);
  for (const m of matches) {
    c.reply.array(withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.integer(m.aStart);
    c.reply.integer(m.aEnd);
    c.reply.array(2);
    c.reply.integer(m.bStart);
    c.reply.integer(m.bEnd);
    if (withMatchLen) c.reply.integer(m.aEnd - m.aStart + 1);
  }
  c.reply.bulk("len");
  c.reply.integer(total);
}
